//! Pins the expected results for `samples/masuk/` (see samples/README.md):
//! scores, levels, statuses and finding codes, through the binary as the README
//! runs it.

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;

/// (status, score, level, late, distinct finding codes) of one unit.
type Outcome = (String, Option<u64>, Option<u64>, bool, Vec<String>);

#[test]
fn samples_give_the_documented_results() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("rekap.json");
    let out = Command::cargo_bin("monev")
        .unwrap()
        .current_dir(root)
        .args(["rekap", "samples/masuk", "--keluaran"])
        .arg(dir.path().join("rekap.xlsx"))
        .arg("--json")
        .arg(&json)
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let count = |label: &str| {
        stdout.lines().find_map(|l| {
            let (name, n) = l.trim().rsplit_once(' ')?;
            (name.trim() == label).then(|| n.parse::<u32>().ok())?
        })
    };
    assert_eq!(count("Lengkap"), Some(7), "{stdout}");
    assert_eq!(count("Perlu Perbaikan"), Some(1), "{stdout}");
    assert_eq!(count("Belum Mengirim"), Some(26), "{stdout}");

    let j: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(j["year"], 2026);
    let mut got: BTreeMap<String, Outcome> = BTreeMap::new();
    for u in j["units"].as_array().unwrap() {
        if u["status"] == "missing" {
            continue;
        }
        let mut codes: Vec<String> = u["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect();
        codes.sort();
        codes.dedup();
        got.insert(
            u["code"].as_str().unwrap().to_string(),
            (
                u["status"].as_str().unwrap().to_string(),
                u["score"].as_u64(),
                u["level"].as_u64(),
                u["late"].as_bool().unwrap(),
                codes,
            ),
        );
    }
    let s = |v: &[&str]| v.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    let expected = BTreeMap::from([
        (
            "bapenda".to_string(),
            (
                "complete".to_string(),
                Some(100),
                Some(5),
                true,
                s(&["file.late"]),
            ),
        ),
        (
            "dinkes".to_string(),
            (
                "complete".to_string(),
                Some(100),
                Some(5),
                false,
                s(&["link.shared_with_other_unit"]),
            ),
        ),
        (
            "dishub".to_string(),
            (
                "needs_fix".to_string(),
                Some(35),
                Some(1),
                false,
                s(&[
                    "activity.missing_field",
                    "activity.problem_without_solution",
                    "date.outside_year",
                    "date.twibbon_not_17",
                    "date.unrecognised",
                    "evidence.link_missing",
                    "evidence.link_without_ada",
                    "evidence.status_invalid",
                    "evidence.status_missing",
                    "indicator.no_activity",
                    "link.drive_without_id",
                    "link.insecure",
                    "link.local_path",
                    "link.not_drive",
                    "link.not_url",
                    "link.shared_with_other_unit",
                    "link.unsafe_scheme",
                ]),
            ),
        ),
        (
            "dlh".to_string(),
            ("complete".to_string(), Some(100), Some(5), false, s(&[])),
        ),
        // 07-kotak-masuk.mbox: two reports in one message, and one forwarded.
        (
            "dinsos".to_string(),
            ("complete".to_string(), Some(100), Some(5), false, s(&[])),
        ),
        (
            "disnaker".to_string(),
            ("complete".to_string(), Some(100), Some(5), false, s(&[])),
        ),
        (
            "dindikbud".to_string(),
            ("complete".to_string(), Some(100), Some(5), false, s(&[])),
        ),
        (
            "kec-serang".to_string(),
            (
                "complete".to_string(),
                Some(100),
                Some(5),
                false,
                s(&["link.insecure"]),
            ),
        ),
    ]);
    assert_eq!(got, expected);
    assert_eq!(
        j["units"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| u["status"] == "missing")
            .count(),
        26
    );

    let files: BTreeMap<String, String> = j["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(files["05-dlh-kiriman-pertama.xlsx"], "superseded");
    // Files are named below the input folder, never by the operator's path.
    assert_eq!(files["03-kec-serang-libreoffice.ods"], "used");
    let skipped: BTreeMap<&str, &str> = j["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["path"].as_str().unwrap(), s["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped.contains_key("catatan-operator.txt"));
    assert!(
        skipped["07-kotak-masuk.mbox » pesan 2 «Laporan menyusul»"].starts_with("tanpa lampiran")
    );
    // Mailbox attachments carry the message's date and sender; a forwarded
    // report, its OPD's own message.
    let by_unit = |code: &str| {
        j["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["unit"] == code)
            .unwrap()
            .clone()
    };
    let dinsos = by_unit("dinsos");
    assert_eq!(dinsos["sender"], "sekretariat.dinsos@gmail.com");
    assert_eq!(dinsos["submitted_at"], "2026-08-24T09:30:00+07:00");
    assert!(
        dinsos["path"]
            .as_str()
            .unwrap()
            .ends_with("» Laporan Monev 2026 – Dinas Sosial.xlsx")
    );
    let dindikbud = by_unit("dindikbud");
    assert_eq!(dindikbud["sender"], "dindikbud@serangkota.go.id");
    assert_eq!(dindikbud["submitted_at"], "2026-08-26T08:00:00+07:00");
    // The .ods sample's hyperlinks were read from content.xml: its Drive links score.
    let serang = j["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == "kec-serang")
        .unwrap();
    let link = serang["indicators"][0]["evidence"][0]["link"]
        .as_str()
        .unwrap();
    assert!(
        link.starts_with("https://drive.google.com/file/d/"),
        "{link}"
    );
}
