//! `monev rekap` and `monev periksa` end to end: templates made by the templat
//! code, filled by the test as OPD staff would (tests/common/scenario.rs), read
//! back, checked, scored and written out.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use calamine::{Data, DataType, Reader, Xlsx, open_workbook};
use common::Filler;
use common::scenario::*;
use monev::finding::{Code, Severity};
use monev::model::{FileStatus, Rekap, UnitStatus};
use monev::rekap::compile;
use monev::report::workbook::{ACTIVITY_COLUMNS, SUMMARY_COLUMNS};
use monev::roster::{Roster, Unit};
use monev::score::Rubric;
use monev::style::col;
use monev::template;

const YEAR: i32 = 2026;

fn unit(code: &str) -> Unit {
    common::roster()
        .get(code)
        .unwrap_or_else(|| panic!("{code} not in roster"))
        .clone()
}

/// Fills `code`'s template with `fill`, saved (as of `modified`) to `masuk/name`.
fn filled(
    dir: &Path,
    code: &str,
    year: i32,
    name: &str,
    modified: &str,
    fill: impl FnOnce(&mut Filler),
) -> PathBuf {
    let work = dir.join("templat");
    let masuk = dir.join("masuk");
    fs::create_dir_all(&work).unwrap();
    fs::create_dir_all(&masuk).unwrap();
    let path = masuk.join(name);
    fill_template(
        &common::form(),
        &unit(code),
        year,
        &work,
        modified,
        &path,
        fill,
    );
    path
}

fn run(inputs: &[PathBuf], year: Option<i32>) -> Rekap {
    let cfg = common::rekap_config(inputs.to_vec(), year);
    compile(
        &common::form(),
        &common::roster(),
        &Rubric::embedded().unwrap(),
        &cfg,
        &monev::rekap::NoProgress,
    )
    .unwrap()
}

fn unit_of<'a>(r: &'a Rekap, code: &str) -> &'a monev::model::UnitResult {
    r.units.iter().find(|u| u.code == code).unwrap()
}

/// (code, sheet, cell) of every finding of a unit.
fn found(r: &Rekap, code: &str) -> BTreeSet<(String, String, String)> {
    unit_of(r, code)
        .findings
        .iter()
        .map(|f| {
            (
                f.code.as_str().to_string(),
                f.location.sheet.clone().unwrap_or_default(),
                f.location.cell().unwrap_or_default(),
            )
        })
        .collect()
}

fn has(set: &BTreeSet<(String, String, String)>, code: &str, sheet: &str, cell: &str) -> bool {
    set.contains(&(code.to_string(), sheet.to_string(), cell.to_string()))
}

/// A folder holding one file for every finding code that filled templates can
/// produce, plus the files that must be rejected.
struct Pile {
    _dir: tempfile::TempDir,
    masuk: PathBuf,
    /// Filled Tabel 1 rows written per accepted, used file.
    rows: BTreeMap<String, usize>,
}

fn pile() -> Pile {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let shared = drive("dinkes-1-0");
    filled(
        d,
        "dinkes",
        YEAR,
        "monev-budaya-kerja-2026-dinkes.xlsx",
        "2026-08-20T09:00:00Z",
        |f| fill_complete(f, "dinkes", YEAR),
    );
    filled(
        d,
        "dishub",
        YEAR,
        "laporan dishub.xlsx",
        "2026-08-29T15:00:00Z",
        |f| fill_usual_mistakes(f, &shared),
    );
    filled(
        d,
        "bapenda",
        YEAR,
        "bapenda.xlsx",
        "2026-09-02T02:00:00Z",
        |f| {
            fill_complete(f, "bapenda", YEAR);
            // An evidence row typed again below the table.
            f.text("Tabel 2", "C15", "a. Ada slogan nilai organisasi; dan");
            f.text("Tabel 2", "D15", "Ada");
        },
    );
    filled(
        d,
        "inspektorat",
        2025,
        "inspektorat.xlsx",
        "2026-08-01T02:00:00Z",
        |f| fill_complete(f, "inspektorat", 2025),
    );
    filled(
        d,
        "dlh",
        YEAR,
        "dlh-awal.xlsx",
        "2026-08-10T02:00:00Z",
        |f| {
            put_activity(
                f,
                1,
                0,
                &Activity {
                    when: When::Date(ymd(YEAR, 1, 5)),
                    activity: "Apel",
                    media: "Apel Pagi",
                    link: Link::Hyperlink(&drive("dlh-awal")),
                    ..Activity::default()
                },
            );
        },
    );
    filled(
        d,
        "dlh",
        YEAR,
        "dlh-revisi.xlsx",
        "2026-08-25T02:00:00Z",
        |f| fill_complete(f, "dlh", YEAR),
    );
    filled(
        d,
        "kec-kasemen",
        YEAR,
        "kasemen.xlsx",
        "2026-08-15T02:00:00Z",
        |f| {
            fill_complete(f, "kec-kasemen", YEAR);
            // A person unprotected the sheet and deleted a header and an item text.
            f.clear("Tabel 1", "E5");
            f.clear("Tabel 2", "C13");
        },
    );
    // Tabel 2 answered, Tabel 1 left empty; a check mark and a cut-off Drive link.
    filled(
        d,
        "setwan",
        YEAR,
        "setwan.xlsx",
        "2026-08-12T02:00:00Z",
        |f| {
            for n in 1..=4 {
                for item in ['a', 'b'] {
                    if (n, item) == (1, 'a') || (n, item) == (2, 'a') {
                        continue;
                    }
                    let link = drive(&format!("setwan-t2-{n}{item}"));
                    if (n, item) == (3, 'b') {
                        // Pasted without its scheme: counted, warned (link.no_scheme).
                        let bare = link.trim_start_matches("https://");
                        put_evidence(f, n, item, "Ada", Link::Text(bare), "");
                        continue;
                    }
                    put_evidence(f, n, item, "Ada", Link::Hyperlink(&link), "");
                }
            }
            put_evidence(f, 1, 'a', "✓", Link::Hyperlink(&drive("setwan-t2-1a")), "");
            put_evidence(
                f,
                2,
                'a',
                "Ada",
                Link::Text("https://drive.google.com/file/d/1Qw"),
                "",
            );
        },
    );
    // The untouched template sent back.
    filled(
        d,
        "dinsos",
        YEAR,
        "dinsos-balasan.xlsx",
        "2026-08-12T02:00:00Z",
        |_| {},
    );
    let masuk = d.join("masuk");
    // Rejected: not a spreadsheet inside, not a template, unknown unit.
    fs::write(masuk.join("rusak.xlsx"), b"ini bukan lembar kerja").unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet()
        .write_string(0, 0, "Daftar hadir apel")
        .unwrap();
    wb.save(masuk.join("daftar-hadir.xlsx")).unwrap();
    let stranger = Unit {
        code: "dinas-antah".into(),
        name: "Dinas Antah Berantah".into(),
        email: None,
    };
    fs::write(
        masuk.join("kiriman.xlsx"),
        template::build(&common::form(), &stranger, YEAR).unwrap(),
    )
    .unwrap();
    // Skipped and ignored.
    fs::write(masuk.join("catatan.txt"), "bukan laporan").unwrap();
    fs::copy(masuk.join("bapenda.xlsx"), masuk.join("~$bapenda.xlsx")).unwrap();

    let rows = BTreeMap::from([
        ("dinkes".to_string(), 8),
        ("dishub".to_string(), 8),
        ("bapenda".to_string(), 8),
        ("inspektorat".to_string(), 8),
        ("dlh".to_string(), 8),
        ("kec-kasemen".to_string(), 8),
        ("setwan".to_string(), 0),
        ("dinsos".to_string(), 0),
    ]);
    Pile {
        _dir: dir,
        masuk,
        rows,
    }
}

#[test]
fn every_finding_code_is_produced_by_a_real_workbook() {
    let p = pile();
    let r = run(std::slice::from_ref(&p.masuk), Some(YEAR));
    let mut codes: BTreeSet<&str> = r
        .files
        .iter()
        .flat_map(|f| f.findings.iter().map(|x| x.code.as_str()))
        .collect();
    // activity.outside_indicator needs a row above the first indicator, which the
    // protected template doesn't allow: it is covered by the rebuilt workbook below.
    codes.extend(rebuilt_workbook_codes());
    codes.insert(unread_sheet_code());
    codes.insert(sender_identified_code());
    let all: BTreeSet<&str> = Code::all().map(|c| c.as_str()).collect();
    let missing: Vec<_> = all.difference(&codes).collect();
    assert!(missing.is_empty(), "codes never produced: {missing:?}");
}

#[test]
fn usual_mistakes_are_reported_at_their_cells() {
    let p = pile();
    let r = run(std::slice::from_ref(&p.masuk), Some(YEAR));
    let f = found(&r, "dishub");
    for (code, sheet, cell) in [
        ("link.local_path", "Tabel 1", "G8"),
        ("activity.problem_without_solution", "Tabel 1", "F9"),
        ("activity.missing_field", "Tabel 1", "C10"),
        ("activity.missing_field", "Tabel 1", "D10"),
        ("link.not_url", "Tabel 1", "G10"),
        ("date.unrecognised", "Tabel 1", "B24"),
        ("link.unsafe_scheme", "Tabel 1", "G24"),
        ("date.outside_year", "Tabel 1", "B25"),
        ("link.drive_without_id", "Tabel 1", "G25"),
        ("date.twibbon_not_17", "Tabel 1", "B40"),
        ("link.insecure", "Tabel 1", "G40"),
        ("link.not_drive", "Tabel 1", "G41"),
        ("link.shared_with_other_unit", "Tabel 1", "G56"),
        ("evidence.link_missing", "Tabel 2", "E7"),
        ("evidence.status_missing", "Tabel 2", "D8"),
        ("evidence.status_invalid", "Tabel 2", "D9"),
        ("evidence.link_without_ada", "Tabel 2", "E10"),
        ("link.local_path", "Tabel 2", "E13"),
    ] {
        assert!(
            has(&f, code, sheet, cell),
            "missing {code} at '{sheet}'!{cell}; got {f:#?}"
        );
    }
    // Typed dates, periods and recurring rows are understood: no date finding on them.
    for cell in ["B8", "B9", "B10", "B41", "B56"] {
        assert!(
            !f.iter()
                .any(|(c, _, x)| c.starts_with("date.") && x == cell),
            "{cell}: {f:#?}"
        );
    }
    // The other side of the shared link is flagged too.
    assert!(has(
        &found(&r, "dinkes"),
        "link.shared_with_other_unit",
        "Tabel 1",
        "G8"
    ));
    // Messages name the sheet and cell.
    let u = unit_of(&r, "dishub");
    let m = u
        .findings
        .iter()
        .find(|f| f.code == Code::LinkLocalPath)
        .unwrap();
    assert_eq!(m.location.sheet_cell(), "'Tabel 1'!G8");
    assert!(
        !m.message.contains("G8") && !m.message.contains("'Tabel 1'"),
        "the message never repeats the location: {}",
        m.message
    );
    assert_eq!(u.status, UnitStatus::NeedsFix);
}

#[test]
fn scores_and_levels_follow_the_rubric() {
    let p = pile();
    let r = run(std::slice::from_ref(&p.masuk), Some(YEAR));
    // dinkes is perfect apart from the link dishub copied (a warning).
    let dinkes = unit_of(&r, "dinkes");
    assert_eq!(
        (dinkes.score, dinkes.level, dinkes.status),
        (Some(100), Some(5), UnitStatus::Complete)
    );
    assert_eq!(dinkes.count(Severity::Error), 0);
    // dishub: indicator 1 has item a (10) and no valid activity (G8 local path, G9
    // valid! -> 5): 15. Indicator 2: nothing valid (javascript, my-drive; 2a empty,
    // 2b invalid): 0. Indicator 3: items Belum Ada; twibbon row valid (http is a
    // warning) -> 5. Indicator 4: 4a 10, 4b local path 0, formula row valid -> 15.
    let dishub = unit_of(&r, "dishub");
    let points: Vec<u32> = dishub.indicators.iter().map(|i| i.points).collect();
    assert_eq!(points, vec![15, 0, 5, 15]);
    assert_eq!((dishub.score, dishub.level), (Some(35), Some(1)));
    assert_eq!(dishub.activities, 8);
    // The superseded early dlh file doesn't count; the revision does.
    let dlh = unit_of(&r, "dlh");
    assert!(dlh.file.as_deref().unwrap().ends_with("dlh-revisi.xlsx"));
    assert_eq!(dlh.score, Some(100));
    // A report with an empty Tabel 1 is never "Lengkap" (nc-01): 8 items x 10
    // minus the cut-off link of 2a = 70 (3b's link without https:// counts), an error for the empty Tabel 1 and a
    // warning per indicator; the check mark in 1a counts as "Ada".
    let setwan = unit_of(&r, "setwan");
    assert_eq!(
        (setwan.status, setwan.score, setwan.level),
        (UnitStatus::NeedsFix, Some(70), Some(1))
    );
    let codes = found(&r, "setwan");
    assert!(has(&codes, "activity.none", "Tabel 1", ""), "{codes:?}");
    for _ in 1..=4 {
        assert!(
            codes
                .iter()
                .any(|(c, s, _)| c == "indicator.no_activity" && s == "Tabel 1")
        );
    }
    assert_eq!(
        unit_of(&r, "setwan")
            .findings
            .iter()
            .filter(|f| f.code == Code::IndicatorNoActivity)
            .count(),
        4
    );
    assert!(
        has(&codes, "evidence.status_checkmark", "Tabel 2", "D6"),
        "{codes:?}"
    );
    assert_eq!(setwan.indicators[0].evidence[0].status_text, "✓");
    assert!(has(&codes, "link.no_scheme", "Tabel 2", "E11"), "{codes:?}");
    // The untouched template sent back: not scored, its own status.
    let dinsos = unit_of(&r, "dinsos");
    assert_eq!(
        (dinsos.status, dinsos.score, dinsos.level),
        (UnitStatus::EmptyTemplate, None, None)
    );
    // Missing units have no score and no level.
    let missing = unit_of(&r, "diskominfo");
    assert_eq!(
        (missing.status, missing.score, missing.level),
        (UnitStatus::Missing, None, None)
    );
    // Late, and the wrong year, are flagged but the files are kept.
    assert!(unit_of(&r, "bapenda").late);
    // The evidence row typed again below the table is reported, not scored.
    assert!(has(
        &found(&r, "bapenda"),
        "evidence.extra_row",
        "Tabel 2",
        "D15"
    ));
    assert_eq!(unit_of(&r, "bapenda").score, Some(100));
    let insp = unit_of(&r, "inspektorat");
    assert!(insp.findings.iter().any(|f| f.code == Code::FileWrongYear));
    assert_eq!(insp.status, UnitStatus::NeedsFix);
    // kasemen lost a header: column missing, and its problems can't be checked.
    let kasemen = found(&r, "kec-kasemen");
    assert!(
        kasemen
            .iter()
            .any(|(c, s, _)| c == "file.column_missing" && s == "Tabel 1"),
        "{kasemen:#?}"
    );
    assert!(
        kasemen.iter().any(|(c, _, _)| c == "evidence.row_missing"),
        "{kasemen:#?}"
    );
    // dishub and setwan Level 1; kasemen lost 4b (15 points on indicator 4):
    // Level 4; the four complete reports (wrong year and late included) Level 5.
    assert_eq!(r.totals.levels, [2, 0, 0, 1, 4]);
}

#[test]
fn files_are_used_superseded_rejected_or_skipped_with_reasons() {
    let p = pile();
    let r = run(std::slice::from_ref(&p.masuk), Some(YEAR));
    let status = |name: &str| {
        let f = r
            .files
            .iter()
            .find(|f| f.path.ends_with(name))
            .unwrap_or_else(|| panic!("{name} not listed"));
        (
            f.status,
            f.reason.clone().unwrap_or_default(),
            f.findings.first().map(|x| x.code),
        )
    };
    assert_eq!(status("dlh-awal.xlsx").0, FileStatus::Superseded);
    assert!(status("dlh-awal.xlsx").1.contains("dlh-revisi.xlsx"));
    assert_eq!(status("dlh-revisi.xlsx").0, FileStatus::Used);
    let (s, reason, code) = status("rusak.xlsx");
    assert_eq!(
        (s, code),
        (FileStatus::Rejected, Some(Code::FileUnreadable))
    );
    assert!(reason.contains("tidak dapat dibaca"), "{reason}");
    assert_eq!(status("daftar-hadir.xlsx").2, Some(Code::FileNotTemplate));
    assert_eq!(status("kiriman.xlsx").2, Some(Code::FileUnknownUnit));
    assert_eq!(r.skipped.len(), 1);
    assert!(r.skipped[0].path.ends_with("catatan.txt"));
    assert!(
        !r.files.iter().any(|f| f.path.contains("~$")),
        "lock files are ignored"
    );
    // The file named "laporan dishub.xlsx" was recognised by its properties.
    let dishub = r
        .files
        .iter()
        .find(|f| f.path.ends_with("laporan dishub.xlsx"))
        .unwrap();
    assert_eq!(
        dishub.identified_by,
        Some(monev::ingest::IdentifiedBy::Properties)
    );
}

#[test]
fn nothing_is_silently_dropped() {
    let p = pile();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rekap.xlsx");
    let json = dir.path().join("rekap.json");
    Command::cargo_bin("monev")
        .unwrap()
        .args(["rekap", "--senyap", "--tahun", "2026"])
        .arg(&p.masuk)
        .arg("--keluaran")
        .arg(&out)
        .arg("--json")
        .arg(&json)
        .assert()
        .success();
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let kegiatan = wb.worksheet_range("Kegiatan").unwrap();
    let data_rows = monev::report::workbook::ACTIVITIES_HEADER_ROW as usize + 1;
    let status_col = usize::from(col(&ACTIVITY_COLUMNS, "Status Berkas"));
    let mut per_unit: BTreeMap<String, usize> = BTreeMap::new();
    for row in kegiatan.rows().skip(data_rows) {
        *per_unit.entry(row[0].to_string()).or_default() += 1;
    }
    // dlh's superseded first file keeps its one row (marked "digantikan").
    let mut expected = p.rows.clone();
    expected.retain(|_, n| *n > 0);
    *expected.get_mut("dlh").unwrap() += 1;
    assert_eq!(
        per_unit, expected,
        "every filled Tabel 1 row of every accepted file appears in Kegiatan"
    );
    let superseded_rows = kegiatan
        .rows()
        .skip(data_rows)
        .filter(|r| r[status_col] == Data::String("digantikan".into()))
        .count();
    assert_eq!(superseded_rows, 1);
    let berkas = wb.worksheet_range("Berkas").unwrap();
    let listed: BTreeMap<String, (String, String)> = berkas
        .rows()
        .skip(1)
        .map(|r| (r[0].to_string(), (r[8].to_string(), r[9].to_string())))
        .collect();
    // 12 spreadsheets read + 1 skipped text file; the lock file is not listed.
    assert_eq!(listed.len(), 13, "{listed:#?}");
    for name in ["rusak.xlsx", "daftar-hadir.xlsx", "kiriman.xlsx"] {
        let (status, reason) = listed
            .iter()
            .find(|(k, _)| k.ends_with(name))
            .map(|(_, v)| v.clone())
            .unwrap();
        assert_eq!(status, "ditolak", "{name}");
        assert!(!reason.is_empty(), "{name} must carry its reason");
    }
    let (status, _) = listed
        .iter()
        .find(|(k, _)| k.ends_with("catatan.txt"))
        .map(|(_, v)| v.clone())
        .unwrap();
    assert_eq!(status, "dilewati");
}

#[test]
fn json_and_workbook_agree() {
    let p = pile();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rekap.xlsx");
    let json = dir.path().join("rekap.json");
    Command::cargo_bin("monev")
        .unwrap()
        .args(["rekap", "--senyap"])
        .arg(&p.masuk)
        .arg("-o")
        .arg(&out)
        .arg("--json")
        .arg(&json)
        .assert()
        .success();
    let j: serde_json::Value = serde_json::from_slice(&fs::read(&json).unwrap()).unwrap();
    assert_eq!(j["schema"], "monev-rekap/2");
    assert_eq!(j["year"], 2026);
    assert!(chrono::DateTime::parse_from_rfc3339(j["generated_at"].as_str().unwrap()).is_ok());
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let ringkasan = wb.worksheet_range("Ringkasan").unwrap();
    let header = monev::report::workbook::SUMMARY_HEADER_ROW;
    let units = j["units"].as_array().unwrap();
    assert_eq!(units.len(), common::roster().units().len());
    for (i, u) in units.iter().enumerate() {
        let row = header + 1 + i as u32;
        let cell = |c: u32| {
            ringkasan
                .get_value((row, c))
                .cloned()
                .unwrap_or(Data::Empty)
        };
        let c = |header: &str| u32::from(col(&SUMMARY_COLUMNS, header));
        assert_eq!(cell(c("Kode")).to_string(), u["code"].as_str().unwrap());
        let status = match u["status"].as_str().unwrap() {
            "complete" => "Lengkap",
            "needs_fix" => "Perlu Perbaikan",
            "missing" => "Belum Mengirim",
            "empty_template" => "Belum Mengirim (templat kosong)",
            "rejected" => "Ditolak",
            s => panic!("status {s}"),
        };
        assert_eq!(cell(c("Status")).to_string(), status);
        match u["score"].as_u64() {
            Some(s) => {
                assert_eq!(cell(c("Skor")).as_f64(), Some(s as f64), "{}", u["code"]);
                assert_eq!(
                    cell(c("Level Maturitas")).as_f64(),
                    u["level"].as_u64().map(|l| l as f64)
                );
                let points: Vec<f64> = (c("Indikator 1")..=c("Indikator 4"))
                    .map(|c| cell(c).as_f64().unwrap())
                    .collect();
                let jp: Vec<f64> = u["indicators"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["points"].as_f64().unwrap())
                    .collect();
                assert_eq!(points, jp);
                let errors = u["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|f| f["severity"] == "error")
                    .count();
                assert_eq!(cell(c("Galat")).as_f64(), Some(errors as f64));
            }
            None => assert!(u["level"].is_null() && cell(c("Skor")) == Data::Empty),
        }
    }
    // Temuan holds every finding of every file, as the JSON's files do.
    let temuan = wb.worksheet_range("Temuan").unwrap();
    let json_findings: usize = j["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["findings"].as_array().unwrap().len())
        .sum();
    assert_eq!(temuan.rows().count() - 1, json_findings);
    let kegiatan = wb.worksheet_range("Kegiatan").unwrap();
    let superseded_rows: u64 = j["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "superseded")
        .map(|f| f["activity_rows"].as_array().unwrap().len() as u64)
        .sum();
    assert_eq!(superseded_rows, 1);
    let json_rows: u64 = units
        .iter()
        .map(|u| u["activities"].as_u64().unwrap())
        .sum::<u64>()
        + superseded_rows;
    let header_rows = u64::from(monev::report::workbook::ACTIVITIES_HEADER_ROW) + 1;
    assert_eq!(kegiatan.rows().count() as u64 - header_rows, json_rows);
    // Findings carry the documented keys.
    let f = &j["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == "dishub")
        .unwrap()["findings"][0];
    for key in ["severity", "code", "file", "sheet", "cell", "message"] {
        assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
    }
}

#[test]
fn input_text_never_becomes_a_formula_and_links_only_when_http() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    filled(d, "dinkes", YEAR, "a.xlsx", "2026-08-20T09:00:00Z", |f| {
        fill_complete(f, "dinkes", YEAR);
        f.text("Tabel 1", "C8", "=1+1");
        f.text(
            "Tabel 1",
            "E8",
            "=HYPERLINK(\"http://jahat.example\",\"klik\")",
        );
        f.clear("Tabel 1", "G9");
        f.text("Tabel 1", "G9", "javascript:alert(1)");
    });
    let out = d.join("rekap.xlsx");
    Command::cargo_bin("monev")
        .unwrap()
        .args(["rekap", "-q"])
        .arg(d.join("masuk"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let formulas = wb.worksheet_formula("Kegiatan").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formula may be written"
    );
    let kegiatan = wb.worksheet_range("Kegiatan").unwrap();
    let activity = usize::from(col(&ACTIVITY_COLUMNS, "Kegiatan"));
    assert!(
        kegiatan
            .rows()
            .any(|r| r[activity] == Data::String("=1+1".into()))
    );
    let links = wb.hyperlinks_by_sheet_name("Kegiatan").unwrap();
    assert!(links.iter().all(|l| {
        l.target
            .as_deref()
            .is_some_and(|t| t.starts_with("https://"))
    }));
    assert_eq!(
        links.len(),
        7,
        "8 rows, one javascript: link is not made clickable"
    );
}

#[test]
fn inputs_are_never_modified_and_outputs_never_overwrite_them() {
    let p = pile();
    let before: BTreeMap<PathBuf, Vec<u8>> = fs::read_dir(&p.masuk)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.clone(), fs::read(p).unwrap()))
        .collect();
    let target = p.masuk.join("bapenda.xlsx");
    let out = Command::cargo_bin("monev")
        .unwrap()
        .args(["rekap", "-q"])
        .arg(&p.masuk)
        .arg("--keluaran")
        .arg(&target)
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("adalah salah satu berkas masukan"),
        "{stderr}"
    );
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("monev")
        .unwrap()
        .args(["rekap", "-q"])
        .arg(&p.masuk)
        .arg("-o")
        .arg(dir.path().join("r.xlsx"))
        .assert()
        .success();
    for (path, bytes) in before {
        assert_eq!(
            fs::read(&path).unwrap(),
            bytes,
            "{} changed",
            path.display()
        );
    }
}

#[test]
fn io_failures_exit_2_and_write_nothing() {
    let p = pile();
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    // A missing folder is created (tests/output.rs); one whose name is taken
    // by a file cannot be.
    std::fs::write(dir.path().join("bukan-folder"), "x").unwrap();
    let bad = dir.path().join("bukan-folder").join("r.xlsx");
    let out = Command::cargo_bin("monev")
        .unwrap()
        .args(["rekap", "-q"])
        .arg(&p.masuk)
        .arg("-o")
        .arg(&bad)
        .arg("--json")
        .arg(&json)
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("galat: Folder keluaran"), "{stderr}");
    assert!(stderr.contains("bukan folder"), "{stderr}");
    assert!(!json.exists(), "nothing is written when one output fails");
    let missing = Command::cargo_bin("monev")
        .unwrap()
        .args(["rekap", "tidak/ada"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("Masukan 'tidak/ada' tidak ditemukan.")
    );
    let none = Command::cargo_bin("monev")
        .unwrap()
        .args(["rekap"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&none.stderr).starts_with("galat:"));
}

#[test]
fn periksa_groups_findings_by_sheet() {
    let p = pile();
    let out = Command::cargo_bin("monev")
        .unwrap()
        .args(["periksa", "--tahun", "2026"])
        .arg(p.masuk.join("laporan dishub.xlsx"))
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let t1 = stdout.find("[Tabel 1]").expect("Tabel 1 group");
    let t2 = stdout.find("[Tabel 2]").expect("Tabel 2 group");
    assert!(t1 < t2);
    assert!(stdout[t1..t2].contains("link.local_path"));
    assert!(stdout.contains("Dinas Perhubungan (dishub)"));
    Command::cargo_bin("monev")
        .unwrap()
        .args(["periksa", "--ketat"])
        .arg(p.masuk.join("laporan dishub.xlsx"))
        .assert()
        .code(1);
    Command::cargo_bin("monev")
        .unwrap()
        .args(["check", "--strict"])
        .arg(p.masuk.join("monev-budaya-kerja-2026-dinkes.xlsx"))
        .assert()
        .success();
}

#[test]
fn periksa_on_a_file_it_cannot_read_says_the_year_is_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("laporan-dlh.xlsx");
    fs::write(&broken, b"PK\x03\x04 terpotong").unwrap();
    let out = Command::cargo_bin("monev")
        .unwrap()
        .args(["periksa"])
        .arg(&broken)
        .assert()
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("tahun tidak diketahui"), "{stdout}");
    assert!(!stdout.contains("tahun ?"), "{stdout}");
}

/// A workbook a person rebuilt: sheets renamed, a column inserted, the header
/// lower, indicator rows numbered, an activity above the first indicator, no
/// identity at all (the OPD is known only by the name shown on the sheet).
fn rebuilt_workbook(path: &Path, year_line: bool) {
    let form = common::form();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Laporan Kegiatan").unwrap();
    ws.write_string(0, 0, "FORMULIR LAPORAN MONITORING DAN EVALUASI")
        .unwrap();
    ws.write_string(1, 0, "Perangkat Daerah :  DINAS SOSIAL")
        .unwrap();
    if year_line {
        ws.write_string(2, 0, "Tahun: 2026").unwrap();
    }
    let cols = &form.table1.columns;
    let headers = [
        &cols[0],
        &cols[1],
        &cols[2],
        &"Jumlah Peserta".to_string(),
        &cols[3],
        &cols[4],
        &cols[5],
        &"Data Dukung (tautan)".to_string(),
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(4, c as u16, h.as_str()).unwrap();
    }
    let row = |ws: &mut rust_xlsxwriter::Worksheet, r: u32, vals: [&str; 8]| {
        for (c, v) in vals.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r, c as u16, *v).unwrap();
            }
        }
    };
    let link1 = drive("dinsos-1");
    let link2 = drive("dinsos-2");
    row(
        ws,
        5,
        [
            "",
            "05/01/2026",
            "Apel awal tahun",
            "120",
            "Apel Pagi",
            "",
            "",
            &link1,
        ],
    );
    row(
        ws,
        6,
        [
            &format!("1. {}", form.table1.indicators[0]),
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    );
    row(
        ws,
        7,
        [
            "1",
            "Setiap hari Senin",
            "Apel pagi",
            "80",
            "Apel Pagi",
            "",
            "",
            &link1,
        ],
    );
    row(
        ws,
        8,
        [
            &format!("2. {}", form.table1.indicators[1]),
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    );
    row(
        ws,
        9,
        [
            "1",
            "12 Feb 2026",
            "Penetapan SK Tim",
            "",
            "Kegiatan Rapat",
            "",
            "",
            &link2,
        ],
    );
    row(
        ws,
        10,
        [
            "2",
            "17 Agustus",
            "Upacara HUT RI",
            "",
            "Apel Pagi",
            "",
            "",
            &link2,
        ],
    );
    row(
        ws,
        11,
        ["", "", "", "", "", "Serang, 28 Agustus 2026", "", ""],
    );
    row(ws, 12, ["", "", "", "", "", "Ketua Tim", "", ""]);
    let ws2 = wb.add_worksheet();
    ws2.set_name("Maturitas").unwrap();
    let t2 = &form.table2;
    for (c, h) in [
        &t2.columns[0],
        &t2.columns[1],
        &t2.columns[2],
        &t2.columns[4],
        &t2.columns[3],
        &t2.columns[5],
    ]
    .iter()
    .enumerate()
    {
        ws2.write_string(1, c as u16, h.as_str()).unwrap();
    }
    for (i, ind) in t2.indicators.iter().enumerate() {
        for (k, item) in [&ind.a, &ind.b].iter().enumerate() {
            let r = 2 + 2 * i as u32 + k as u32;
            ws2.write_string(r, 2, item.as_str()).unwrap();
            if i < 2 {
                ws2.write_string(r, 3, drive(&format!("dinsos-t2-{i}{k}")))
                    .unwrap();
                ws2.write_string(r, 4, "ada").unwrap();
            } else {
                ws2.write_string(r, 4, "Belum Ada").unwrap();
            }
        }
    }
    // A copy of the activity sheet someone started filling separately.
    let ws3 = wb.add_worksheet();
    ws3.set_name("Tabel 1 (2)").unwrap();
    for (c, h) in cols.iter().enumerate() {
        ws3.write_string(0, c as u16, h.as_str()).unwrap();
    }
    ws3.write_string(1, 2, "Kegiatan di lembar salinan")
        .unwrap();
    wb.save(path).unwrap();
}

/// file.sheet_unread: a complete report with an added sheet another program broke.
fn unread_sheet_code() -> &'static str {
    let dir = tempfile::tempdir().unwrap();
    let path = filled(
        dir.path(),
        "dinkes",
        YEAR,
        "laporan.xlsx",
        "2026-08-20T09:00:00Z",
        |f| {
            fill_complete(f, "dinkes", YEAR);
            f.add_sheet(
                "Catatan",
                "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"n\"><v>x</v></c>",
            );
        },
    );
    let r = run(&[path], Some(YEAR));
    assert!(
        unit_of(&r, "dinkes")
            .findings
            .iter()
            .any(|f| f.code == Code::FileSheetUnread)
    );
    "file.sheet_unread"
}

fn rebuilt_workbook_codes() -> [&'static str; 2] {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("laporan.xlsx");
    rebuilt_workbook(&path, true);
    let r = run(&[path], Some(YEAR));
    let u = unit_of(&r, "dinsos");
    assert!(
        u.findings
            .iter()
            .any(|f| f.code == Code::ActivityOutsideIndicator
                && f.location.cell().as_deref() == Some("C6"))
    );
    let duplicate = u
        .findings
        .iter()
        .find(|f| f.code == Code::FileDuplicateTable)
        .expect("the copied sheet is reported");
    assert!(
        duplicate.message.contains("'Tabel 1 (2)'"),
        "{}",
        duplicate.message
    );
    ["activity.outside_indicator", "file.duplicate_table"]
}

/// `file.identified_by_sender`: an e-mailed workbook that lost its identity,
/// from an address the roster lists (the embedded roster has none).
fn sender_identified_code() -> &'static str {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let xlsx = filled(d, "dinkes", YEAR, "lap.xlsx", "2026-08-01T00:00:00Z", |f| {
        fill_complete(f, "dinkes", YEAR);
        f.forget_identity();
    });
    let eml = email(
        "dinkes@serangkota.go.id",
        "Mon, 24 Aug 2026 10:00:00 +0700",
        "laporan.xlsx",
        &fs::read(&xlsx).unwrap(),
    );
    fs::remove_file(&xlsx).unwrap();
    fs::write(d.join("masuk/surat.eml"), eml).unwrap();
    let roster = Roster::from_csv(
        "kode,nama,email\ndinkes,Dinas Kesehatan,dinkes@serangkota.go.id\n",
        "opd.csv",
    )
    .unwrap();
    let cfg = common::rekap_config(vec![d.join("masuk")], Some(YEAR));
    let r = compile(
        &common::form(),
        &roster,
        &Rubric::embedded().unwrap(),
        &cfg,
        &monev::rekap::NoProgress,
    )
    .unwrap();
    assert_eq!(r.units[0].status, UnitStatus::Complete);
    assert!(
        r.units[0]
            .findings
            .iter()
            .any(|f| f.code == Code::FileIdentifiedBySender)
    );
    "file.identified_by_sender"
}

#[test]
fn renamed_sheets_inserted_columns_and_moved_headers_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("laporan.xlsx");
    rebuilt_workbook(&path, true);
    let r = run(&[path], Some(YEAR));
    let file = &r.files[0];
    assert_eq!(file.status, FileStatus::Used, "{:#?}", file.findings);
    assert_eq!(
        file.identified_by,
        Some(monev::ingest::IdentifiedBy::UnitName)
    );
    let u = unit_of(&r, "dinsos");
    // Indicators 1 and 2: both items Ada with Drive links (20) + a valid activity (5).
    let points: Vec<u32> = u.indicators.iter().map(|i| i.points).collect();
    assert_eq!(points, vec![25, 25, 0, 0]);
    assert_eq!(u.level, Some(3));
    assert_eq!(u.activities, 4, "the signature block is not an activity");
    let rows = &u.activity_rows;
    assert_eq!(
        rows.iter().map(|a| a.indicator).collect::<Vec<_>>(),
        vec![None, Some(1), Some(2), Some(2)]
    );
    assert_eq!(
        rows[2].media, "Kegiatan Rapat",
        "columns are found by header, not position"
    );
    assert_eq!(rows[2].start, Some(ymd(2026, 2, 12)));
    assert!(rows[1].recurring);
    // The same link twice within one unit is not "shared with another unit".
    assert!(
        !u.findings
            .iter()
            .any(|f| f.code == Code::LinkSharedWithOtherUnit)
    );
}

#[test]
fn email_date_decides_lateness_and_the_newest_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let xlsx = filled(d, "dinkes", YEAR, "lap.xlsx", "2026-08-01T00:00:00Z", |f| {
        fill_complete(f, "dinkes", YEAR)
    });
    let bytes = fs::read(&xlsx).unwrap();
    fs::remove_file(&xlsx).unwrap();
    let eml = |date: &str, name: &str| email("dinkes@serangkota.go.id", date, name, &bytes);
    fs::write(
        d.join("masuk/1.eml"),
        eml("Mon, 31 Aug 2026 23:59:00 +0700", "laporan.xlsx"),
    )
    .unwrap();
    fs::write(
        d.join("masuk/2.eml"),
        eml("Tue, 1 Sep 2026 00:30:00 +0700", "laporan-revisi.xlsx"),
    )
    .unwrap();
    let r = run(&[d.join("masuk")], Some(YEAR));
    let u = unit_of(&r, "dinkes");
    assert!(
        u.file
            .as_deref()
            .unwrap()
            .ends_with("2.eml » laporan-revisi.xlsx"),
        "{:?}",
        u.file
    );
    assert!(u.late, "1 September 00:30 WIB is after 31 Agustus");
    let first = r.files.iter().find(|f| f.path.contains("1.eml")).unwrap();
    assert_eq!(first.status, FileStatus::Superseded);
    assert_eq!(
        first.submitted_source,
        Some(monev::model::TimeSource::Email)
    );
    assert!(!first.findings.iter().any(|f| f.code == Code::FileLate));
}

#[test]
fn libreoffice_saved_reports_score_the_same() {
    let Some(_) = common::soffice() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let xlsx = filled(
        d,
        "dinkes",
        YEAR,
        "dinkes.xlsx",
        "2026-08-20T09:00:00Z",
        |f| {
            fill_complete(f, "dinkes", YEAR);
            f.text("Tabel 1", "G10", r"C:\bukti\foto.jpg");
        },
    );
    let converted = d.join("lo");
    fs::create_dir_all(&converted).unwrap();
    let mut inputs = vec![xlsx.clone()];
    for fmt in ["ods", "xls", "xlsx"] {
        inputs.push(common::convert(&xlsx, fmt, &converted.join(fmt)));
    }
    let roster = Roster::from_csv(
        "kode,nama\ndinkes,Dinas Kesehatan\nlo-ods,Salinan ODS\nlo-xls,Salinan XLS\nlo-xlsx,Salinan XLSX\n",
        "uji",
    )
    .unwrap();
    let mut scores = Vec::new();
    for input in &inputs {
        let cfg = common::rekap_config(vec![input.clone()], Some(YEAR));
        let r = compile(
            &common::form(),
            &roster,
            &Rubric::embedded().unwrap(),
            &cfg,
            &monev::rekap::NoProgress,
        )
        .unwrap();
        let u = unit_of(&r, "dinkes");
        let codes: BTreeSet<_> = u
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| (f.code.as_str(), f.location.cell()))
            .collect();
        scores.push((
            input.extension().unwrap().to_string_lossy().into_owned(),
            u.score,
            u.activities,
            codes,
        ));
    }
    let xlsx_result = &scores[0];
    for s in &scores[1..] {
        assert_eq!(
            (s.1, s.2, &s.3),
            (xlsx_result.1, xlsx_result.2, &xlsx_result.3),
            "{} differs from xlsx",
            s.0
        );
    }
    assert_eq!(xlsx_result.1, Some(100));
    assert!(
        xlsx_result
            .3
            .contains(&("link.local_path", Some("G10".into())))
    );
}

#[test]
fn default_year_is_the_year_the_templates_state() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    filled(d, "dinkes", 2024, "a.xlsx", "2024-08-20T09:00:00Z", |f| {
        fill_complete(f, "dinkes", 2024)
    });
    filled(d, "dishub", 2024, "b.xlsx", "2024-08-20T09:00:00Z", |f| {
        fill_complete(f, "dishub", 2024)
    });
    let r = run(&[d.join("masuk")], None);
    assert_eq!(r.year, 2024);
    assert_eq!(unit_of(&r, "dinkes").score, Some(100));
    assert!(!unit_of(&r, "dinkes").late);
}

#[test]
fn feedback_is_written_for_every_unit_that_reported() {
    let p = pile();
    let dir = tempfile::tempdir().unwrap();
    let fb = dir.path().join("umpan-balik");
    let json = dir.path().join("r.json");
    Command::cargo_bin("monev")
        .unwrap()
        .args(["rekap", "-q", "--tahun", "2026"])
        .arg(&p.masuk)
        .arg("-o")
        .arg(dir.path().join("r.xlsx"))
        .arg("--json")
        .arg(&json)
        .arg("--umpan-balik")
        .arg(&fb)
        .assert()
        .success();
    let mut names: Vec<String> = fs::read_dir(&fb)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let expected: Vec<String> = p
        .rows
        .keys()
        .map(|c| format!("umpan-balik-2026-{c}.xlsx"))
        .collect();
    assert_eq!(names, expected);
    let j: serde_json::Value = serde_json::from_slice(&fs::read(&json).unwrap()).unwrap();
    let dishub = j["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == "dishub")
        .unwrap();
    let mut wb: Xlsx<_> = open_workbook(fb.join("umpan-balik-2026-dishub.xlsx")).unwrap();
    let summary = wb.worksheet_range("Catatan Perbaikan").unwrap();
    assert_eq!(common::cell_text(&summary, "B3"), "Dinas Perhubungan");
    assert_eq!(common::cell_text(&summary, "B6"), "Perlu Perbaikan");
    assert_eq!(
        common::cell_text(&summary, "B7"),
        format!("{} dari 100", dishub["score"])
    );
    // Every finding meant for the OPD is listed once, with its cell (a link
    // into the template behind it); operator-only ones (file.late) are not.
    let for_opd: Vec<&serde_json::Value> = dishub["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            !["file.late", "file.superseded", "file.unknown_unit"]
                .contains(&f["code"].as_str().unwrap())
        })
        .collect();
    let listed = summary
        .rows()
        .filter(|r| {
            r.len() > 3 && ["Galat", "Peringatan", "Info"].contains(&r[3].to_string().as_str())
        })
        .count();
    assert_eq!(listed, for_opd.len());
    assert!(
        summary
            .rows()
            .any(|r| r[1] == Data::String("G8".into()) && r[2] == Data::String("Tabel 1".into()))
    );
    // The template behind it holds what dishub submitted, at the same cell.
    let t1 = wb.worksheet_range("Tabel 1").unwrap();
    assert_eq!(
        common::cell_text(&t1, "G8"),
        r"C:\Users\dishub\Documents\foto apel.jpg"
    );
}

/// Regression (bug: signature-block rows read as activities / rows after the
/// signature block silently dropped): a filled signature block is not an
/// activity, while a full row appended below the Keterangan still is.
#[test]
fn signature_block_is_not_an_activity_but_appended_rows_are() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let link = drive("dinkes-tambahan");
    filled(d, "dinkes", YEAR, "a.xlsx", "2026-08-20T09:00:00Z", |f| {
        fill_complete(f, "dinkes", YEAR);
        f.text("Tabel 1", "E72", "Serang, 28 Agustus 2026");
        f.text("Tabel 1", "E78", "(Drs. H. Ahmad Sujai, M.Si)");
        f.text("Tabel 1", "E79", "NIP 196809241996032003");
        f.text("Tabel 1", "B90", "17/08/2026");
        f.text(
            "Tabel 1",
            "C90",
            "Upacara HUT RI dengan pembacaan nilai BerAKHLAK",
        );
        f.text("Tabel 1", "D90", "Apel Pagi");
        f.hyperlink("Tabel 1", "G90", &link, "Bukti");
    });
    let r = run(&[d.join("masuk")], Some(YEAR));
    let u = unit_of(&r, "dinkes");
    assert_eq!(
        u.activities,
        9,
        "{:#?}",
        u.activity_rows.iter().map(|a| a.row).collect::<Vec<_>>()
    );
    let last = u.activity_rows.last().unwrap();
    assert_eq!((last.row, last.indicator), (90, Some(4)));
    assert!(u.findings.is_empty(), "{:#?}", u.findings);
}

/// Regression (bug: a partly typed activity whose Kegiatan starts like an
/// indicator was taken for an indicator row and vanished; a row starting with
/// "Serangkaian" was taken for the signature block and ended Tabel 1).
#[test]
fn activities_that_look_like_indicators_or_signatures_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let link = drive("dinkes-serangkaian");
    filled(d, "dinkes", YEAR, "a.xlsx", "2026-08-20T09:00:00Z", |f| {
        fill_complete(f, "dinkes", YEAR);
        // Indicator 2, slot 2 (row 26): only Kegiatan, echoing indicator 3's text.
        f.text(
            "Tabel 1",
            "C26",
            "Internalisasi budaya organisasi yang berkelanjutan",
        );
        // Indicator 3, slot 2 (row 42): "Serangkaian ..." with a link.
        f.text("Tabel 1", "C42", "Serangkaian kegiatan apel pagi");
        f.hyperlink("Tabel 1", "G42", &link, "Bukti");
    });
    let r = run(&[d.join("masuk")], Some(YEAR));
    let u = unit_of(&r, "dinkes");
    assert_eq!(u.activities, 10);
    let rows: BTreeMap<u32, Option<usize>> = u
        .activity_rows
        .iter()
        .map(|a| (a.row, a.indicator))
        .collect();
    assert_eq!(rows[&26], Some(2));
    assert_eq!(rows[&42], Some(3));
    // The rows after them keep their indicators.
    assert_eq!(rows[&56], Some(4));
    assert!(has(
        &found(&r, "dinkes"),
        "activity.missing_field",
        "Tabel 1",
        "B26"
    ));
}

/// Regression (bug: a huge negative number in a date cell panicked inside
/// calamine and stopped the whole run; a value in XFD1048576 made calamine
/// allocate hundreds of gigabytes). Such files are read or rejected, never fatal.
#[test]
fn hostile_workbooks_never_stop_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    filled(
        d,
        "dinkes",
        YEAR,
        "tanggal-negatif.xlsx",
        "2026-08-20T09:00:00Z",
        |f| {
            fill_complete(f, "dinkes", YEAR);
            f.number("Tabel 1", "B8", -1e12);
        },
    );
    filled(
        d,
        "dishub",
        YEAR,
        "sel-jauh.xlsx",
        "2026-08-20T09:00:00Z",
        |f| {
            fill_complete(f, "dishub", YEAR);
            f.text("Tabel 1", "XFD1048576", "x");
        },
    );
    filled(d, "dlh", YEAR, "baik.xlsx", "2026-08-20T09:00:00Z", |f| {
        fill_complete(f, "dlh", YEAR)
    });
    let out = Command::cargo_bin("monev")
        .unwrap()
        .args(["rekap", "-q", "--json"])
        .arg(d.join("r.json"))
        .arg("-o")
        .arg(d.join("r.xlsx"))
        .arg(d.join("masuk"))
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    let j: serde_json::Value =
        serde_json::from_slice(&fs::read(d.join("r.json")).unwrap()).unwrap();
    let score = |code: &str| {
        j["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["code"] == code)
            .unwrap()["score"]
            .clone()
    };
    assert_eq!(score("dlh"), 100);
    assert_eq!(
        score("dishub"),
        100,
        "one stray far cell doesn't spoil the report"
    );
    // The negative "date" is not a date: the row is judged as text and flagged.
    let dinkes = j["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == "dinkes")
        .unwrap();
    assert!(
        dinkes["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "date.unrecognised" && f["cell"] == "B8")
    );
}

/// Regression (bug: when a file states no year, "17 Agustus" was read as the
/// year 0 and flagged as outside the reporting year).
#[test]
fn dates_without_a_year_take_the_reporting_year() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("laporan.xlsx");
    rebuilt_workbook(&path, false);
    let r = run(&[path], Some(YEAR));
    let u = unit_of(&r, "dinsos");
    let row = u
        .activity_rows
        .iter()
        .find(|a| a.when_text == "17 Agustus")
        .unwrap();
    assert_eq!(row.start, Some(ymd(YEAR, 8, 17)));
    assert!(
        !u.findings.iter().any(|f| f.code == Code::DateOutsideYear),
        "{:#?}",
        u.findings
    );
}

#[test]
fn the_same_output_twice_and_feedback_over_an_input_are_refused() {
    let p = pile();
    let dir = tempfile::tempdir().unwrap();
    let same = dir.path().join("r.xlsx");
    let out = Command::cargo_bin("monev")
        .unwrap()
        .args(["rekap", "-q"])
        .arg(&p.masuk)
        .arg("-o")
        .arg(&same)
        .arg("--json")
        .arg(&same)
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("disebut dua kali"));
    // Feedback into the input folder would replace a report named like feedback.
    let victim = p.masuk.join("umpan-balik-2026-dinkes.xlsx");
    fs::copy(p.masuk.join("monev-budaya-kerja-2026-dinkes.xlsx"), &victim).unwrap();
    let before = fs::read(&victim).unwrap();
    Command::cargo_bin("monev")
        .unwrap()
        .args(["rekap", "-q", "--tahun", "2026"])
        .arg(&p.masuk)
        .arg("-o")
        .arg(dir.path().join("r.xlsx"))
        .arg("--umpan-balik")
        .arg(&p.masuk)
        .assert()
        .code(2);
    assert_eq!(fs::read(&victim).unwrap(), before);
}
