//! The one output step, through the binary as people run it: nothing is
//! overwritten without `--timpa`, a filled report is never replaced, the
//! extension must match the content, a failed run writes nothing, and a rekap
//! can be written into its own input folder again and again.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::scenario::{fill_complete, fill_template};

const YEAR: i32 = 2026;

fn monev(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("monev").unwrap();
    c.current_dir(dir);
    c
}

fn stderr_of(c: &mut Command, code: i32) -> String {
    let out = c.assert().code(code).get_output().clone();
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Names of the files in `dir` (not recursive), sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn templat_never_replaces_a_filled_report_even_with_timpa() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("templat");
    let args = [
        "templat", "--tahun", "2026", "--hanya", "dinkes", "-q", "-o",
    ];
    monev(dir.path()).args(args).arg(&out).assert().success();
    let name = monev::template::file_name(YEAR, "dinkes");
    let target = out.join(&name);

    // Again without --timpa: refused, the blank template stays.
    let e = stderr_of(monev(dir.path()).args(args).arg(&out), 2);
    assert!(e.contains("sudah ada") && e.contains("--timpa"), "{e}");
    // With --timpa an untouched template is replaced.
    monev(dir.path())
        .args(args)
        .arg(&out)
        .arg("--timpa")
        .assert()
        .success();

    // The OPD fills it and saves it under the very name the Petunjuk asks it to keep.
    let work = tempfile::tempdir().unwrap();
    let unit = common::roster().get("dinkes").unwrap().clone();
    fill_template(
        &common::form(),
        &unit,
        YEAR,
        work.path(),
        "2026-08-20T09:00:00Z",
        &target,
        |f| fill_complete(f, "dinkes", YEAR),
    );
    let filled = fs::read(&target).unwrap();
    let e = stderr_of(monev(dir.path()).args(args).arg(&out).arg("--timpa"), 2);
    assert!(
        e.contains("bukan templat buatan monev") && e.contains(&name),
        "{e}"
    );
    assert_eq!(
        fs::read(&target).unwrap(),
        filled,
        "the report is untouched"
    );
    assert_eq!(names(&out), vec![name], "no temporary files are left");
}

#[test]
fn templat_writes_nothing_when_one_target_is_taken() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("templat");
    fs::create_dir_all(&out).unwrap();
    // One of the 34 targets is a filled report: all 34 are refused, none written.
    let work = tempfile::tempdir().unwrap();
    let unit = common::roster().get("dishub").unwrap().clone();
    let taken = out.join(monev::template::file_name(YEAR, "dishub"));
    fill_template(
        &common::form(),
        &unit,
        YEAR,
        work.path(),
        "2026-08-20T09:00:00Z",
        &taken,
        |f| fill_complete(f, "dishub", YEAR),
    );
    let e = stderr_of(
        monev(dir.path())
            .args(["templat", "--tahun", "2026", "-q", "--timpa", "-o"])
            .arg(&out),
        2,
    );
    assert!(e.contains("bukan templat buatan monev"), "{e}");
    assert_eq!(
        names(&out),
        vec![monev::template::file_name(YEAR, "dishub")],
        "exit code 2 means nothing was written"
    );
}

/// A folder of returned reports: two filled ones and a text file.
fn masuk(root: &Path) -> PathBuf {
    let masuk = root.join("masuk");
    let work = root.join("kerja");
    fs::create_dir_all(&masuk).unwrap();
    fs::create_dir_all(&work).unwrap();
    for code in ["dinkes", "dlh"] {
        let unit = common::roster().get(code).unwrap().clone();
        fill_template(
            &common::form(),
            &unit,
            YEAR,
            &work,
            "2026-08-20T09:00:00Z",
            &masuk.join(format!("{code}.xlsx")),
            |f| fill_complete(f, code, YEAR),
        );
    }
    fs::write(masuk.join("catatan.txt"), "bukan laporan").unwrap();
    masuk
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

#[test]
fn rekap_can_run_twice_into_its_own_input_folder() {
    let dir = tempfile::tempdir().unwrap();
    let masuk = masuk(dir.path());
    let run = || {
        let mut c = monev(dir.path());
        c.args(["rekap", "masuk", "-q", "--timpa"])
            .args(["-o", "masuk/rekap.xlsx", "--json", "masuk/rekap.json"])
            .args(["--umpan-balik", "masuk/umpan-balik"]);
        c.assert().success();
        json(&masuk.join("rekap.json"))
    };
    let first = run();
    let second = run();
    assert_eq!(first["units"], second["units"], "the same result twice");
    assert_eq!(
        second["totals"]["rejected"], 0,
        "own outputs are never 'ditolak'"
    );
    let skipped: Vec<(String, String)> = second["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let sep = std::path::MAIN_SEPARATOR;
    for own in [
        "rekap.xlsx".to_string(),
        "rekap.json".to_string(),
        format!("umpan-balik{sep}umpan-balik-2026-dinkes.xlsx"),
    ] {
        let reason = skipped
            .iter()
            .find(|(p, _)| *p == own)
            .map(|(_, r)| r.as_str())
            .unwrap_or_else(|| panic!("{own} not listed: {skipped:?}"));
        assert!(reason.starts_with("keluaran monev"), "{own}: {reason}");
    }
    // Without --timpa the second run is refused, and the first outputs stay.
    let before = fs::read(masuk.join("rekap.xlsx")).unwrap();
    let e = stderr_of(
        monev(dir.path()).args(["rekap", "masuk", "-q", "-o", "masuk/rekap.xlsx"]),
        2,
    );
    assert!(e.contains("sudah ada"), "{e}");
    assert_eq!(fs::read(masuk.join("rekap.xlsx")).unwrap(), before);
}

#[test]
fn outputs_need_the_extension_of_their_content() {
    let dir = tempfile::tempdir().unwrap();
    masuk(dir.path());
    let e = stderr_of(
        monev(dir.path()).args(["rekap", "masuk", "-q", "-o", "rekap.csv"]),
        2,
    );
    assert!(e.contains("rekap.csv") && e.contains(".xlsx"), "{e}");
    let e = stderr_of(
        monev(dir.path()).args(["rekap", "masuk", "-q", "--json", "r.xlsx"]),
        2,
    );
    assert!(e.contains("r.xlsx") && e.contains(".json"), "{e}");
    assert!(!dir.path().join("r.xlsx").exists());
    assert!(!dir.path().join("rekap.csv").exists());
    assert!(!dir.path().join("rekap.xlsx").exists());
}

#[test]
fn an_output_folder_below_a_file_is_refused_before_reading_naming_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    masuk(dir.path());
    let good = dir.path().join("keluar");
    fs::create_dir_all(&good).unwrap();
    // The JSON's folder is a file: refused before anything is read or written.
    fs::write(dir.path().join("bukan-folder"), "x").unwrap();
    let e = stderr_of(
        monev(dir.path())
            .args(["rekap", "masuk", "-q", "-o", "keluar/rekap.xlsx"])
            .args(["--json", "bukan-folder/rekap.json"]),
        2,
    );
    assert_eq!(
        e.trim_end(),
        "galat: Folder keluaran 'bukan-folder' tidak dapat dibuat atau ditulisi: \
         'bukan-folder' adalah berkas, bukan folder."
    );
    assert!(names(&good).is_empty(), "{:?}", names(&good));
    // The same for the feedback folder, and for a folder deeper below the file.
    let e = stderr_of(
        monev(dir.path())
            .args(["rekap", "masuk", "-q", "-o", "keluar/rekap.xlsx"])
            .args(["--umpan-balik", "bukan-folder/umpan/2026"]),
        2,
    );
    assert!(
        e.contains("'bukan-folder/umpan/2026'") && e.contains("'bukan-folder' adalah berkas"),
        "{e}"
    );
    assert!(names(&good).is_empty(), "{:?}", names(&good));
}

#[test]
fn rekap_json_and_feedback_into_missing_folders_create_them() {
    let dir = tempfile::tempdir().unwrap();
    masuk(dir.path());
    monev(dir.path())
        .args(["rekap", "masuk", "-q", "-o", "hasil/2026/rekap.xlsx"])
        .args(["--json", "hasil/json/rekap.json"])
        .args(["--umpan-balik", "hasil/umpan"])
        .assert()
        .success();
    let hasil = dir.path().join("hasil");
    assert_eq!(names(&hasil), ["2026", "json", "umpan"]);
    assert_eq!(names(&hasil.join("2026")), ["rekap.xlsx"]);
    calamine::open_workbook_auto(hasil.join("2026/rekap.xlsx")).unwrap();
    assert_eq!(
        json(&hasil.join("json/rekap.json"))["schema"],
        "monev-rekap/2"
    );
    assert_eq!(
        names(&hasil.join("umpan")),
        ["umpan-balik-2026-dinkes.xlsx", "umpan-balik-2026-dlh.xlsx"]
    );
}

/// Plants a file that is not monev's at `path` as soon as the first report
/// has been read: someone saves it there while the run is reading.
struct PlantDuringReading(PathBuf);

impl monev::rekap::Progress for PlantDuringReading {
    fn read(&self, _name: &str) {
        fs::write(&self.0, "{\"milik\": \"operator\"}").unwrap();
    }
}

#[test]
fn a_rekap_whose_write_fails_leaves_no_folder_it_would_have_created() {
    use monev::app::{Command, Common, Config, RekapJob, Source};
    let dir = tempfile::tempdir().unwrap();
    let masuk = masuk(dir.path());
    let hasil = dir.path().join("hasil");
    let drafts = monev::email::draft::DraftConfig {
        dir: hasil.join("balasan"),
        from: Some("rb@serangkota.go.id".into()),
        body: None,
        date: common::test_now(),
    };
    let config = Config {
        common: Common {
            form: Source::Embedded,
            roster: Source::Embedded,
            rubric: Source::Embedded,
            domains: None,
            overwrite: false,
        },
        command: Command::Rekap(RekapJob {
            rekap: common::rekap_config(vec![masuk], Some(YEAR)),
            output: Some(hasil.join("rekap/rekap.xlsx")),
            json: Some(dir.path().join("rekap.json")),
            feedback_dir: Some(hasil.join("umpan")),
            drafts: Some(drafts),
        }),
    };
    let e =
        monev::app::run(&config, &PlantDuringReading(dir.path().join("rekap.json"))).unwrap_err();
    assert!(matches!(e, monev::Error::OutputExists { .. }), "{e}");
    assert!(!hasil.exists(), "folders left: {:?}", names(&hasil));
    assert_eq!(names(dir.path()), ["kerja", "masuk", "rekap.json"]);
}

#[test]
fn findings_and_paths_in_the_json_never_show_the_operators_folder() {
    let dir = tempfile::tempdir().unwrap();
    let masuk = masuk(dir.path());
    let out = tempfile::tempdir().unwrap();
    let json_path = out.path().join("r.json");
    monev(dir.path())
        .arg("rekap")
        .arg(&masuk)
        .args(["-q", "-o"])
        .arg(out.path().join("r.xlsx"))
        .arg("--json")
        .arg(&json_path)
        .assert()
        .success();
    let text = fs::read_to_string(&json_path).unwrap();
    let root = dir.path().display().to_string();
    assert!(
        !text.contains(&root),
        "the operator's folder leaked into the JSON"
    );
    let j = json(&json_path);
    assert_eq!(j["schema"], "monev-rekap/2");
    let files: Vec<&str> = j["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["dinkes.xlsx", "dlh.xlsx"]);
}
