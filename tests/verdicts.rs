//! Verdicts the city team can trust (issue "Verdicts the city team can trust"):
//! the status says what was received, what staff typed is kept and read as they
//! meant it, and nobody is nagged for what is fine. Cases from
//! `shared/cases/trust/` are in `tests/fixtures/trust/`; the others are built
//! from our own templates and filled as a person would.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use calamine::{Data, Reader, Xlsx, open_workbook};
use common::scenario::{Activity, Link, When, fill_complete, fill_template, put_activity};
use monev::finding::{Code, Severity};
use monev::model::{Rekap, UnitResult, UnitStatus};
use monev::rekap::{NoProgress, compile};
use monev::score::Rubric;

const YEAR: i32 = 2026;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/trust")
        .join(name)
}

fn run(inputs: &[PathBuf], year: Option<i32>) -> Rekap {
    compile(
        &common::form(),
        &common::roster(),
        &Rubric::embedded().unwrap(),
        &common::rekap_config(inputs.to_vec(), year),
        &NoProgress,
    )
    .unwrap()
}

fn unit<'a>(r: &'a Rekap, code: &str) -> &'a UnitResult {
    r.units.iter().find(|u| u.code == code).unwrap()
}

fn codes(u: &UnitResult) -> Vec<&'static str> {
    u.findings.iter().map(|f| f.code.as_str()).collect()
}

/// What `monev periksa --tahun 2026 PATH` prints (it must succeed).
fn periksa_2026(path: &Path) -> String {
    let out = Command::cargo_bin("monev")
        .unwrap()
        .args(["periksa", "--tahun", "2026"])
        .arg(path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8_lossy(&out).into_owned()
}

/// A filled report of `code` saved as `dir/name`.
fn report(
    dir: &Path,
    code: &str,
    year: i32,
    name: &str,
    fill: impl FnOnce(&mut common::Filler),
) -> PathBuf {
    let work = dir.join("kerja");
    fs::create_dir_all(&work).unwrap();
    let out = dir.join(name);
    common::scenario::filled_report(code, year, &work, &out, fill);
    out
}

#[test]
fn nc01_empty_tabel1_is_never_lengkap_and_the_feedback_says_what_to_add() {
    let input = fixture("nc-01-empty-tabel1.xlsx");
    let r = run(std::slice::from_ref(&input), Some(YEAR));
    let u = unit(&r, "setwan");
    assert_eq!(
        (u.status, u.score, u.level),
        (UnitStatus::NeedsFix, Some(80), Some(1))
    );
    let none: Vec<_> = u
        .findings
        .iter()
        .filter(|f| f.code == Code::ActivityNone)
        .collect();
    assert_eq!(none.len(), 1);
    assert_eq!(none[0].severity, Severity::Error);
    assert_eq!(none[0].location.sheet.as_deref(), Some("Tabel 1"));
    let per_indicator: Vec<_> = u
        .findings
        .iter()
        .filter(|f| f.code == Code::IndicatorNoActivity)
        .collect();
    assert_eq!(per_indicator.len(), 4);
    for (n, f) in per_indicator.iter().enumerate() {
        assert_eq!(f.severity, Severity::Warning);
        let wording = &common::form().table1.indicators[n];
        assert!(
            f.message.contains(&format!("Indikator {}", n + 1))
                && f.message.contains(wording.as_str()),
            "names the indicator in the regulation's words: {}",
            f.message
        );
    }

    // The feedback tells the OPD what to add, never "Laporan lengkap".
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("monev")
        .unwrap()
        .arg("rekap")
        .arg(&input)
        .args(["-q", "--tahun", "2026", "-o"])
        .arg(dir.path().join("r.xlsx"))
        .arg("--umpan-balik")
        .arg(dir.path().join("ub"))
        .assert()
        .success();
    let text = workbook_text(&dir.path().join("ub/umpan-balik-2026-setwan.xlsx"));
    assert!(!text.contains("Laporan lengkap"), "{text}");
    assert!(text.contains("tidak memuat satu pun kegiatan"), "{text}");
    assert!(text.contains("Tuliskan kegiatan"), "{text}");
}

/// Every text cell of every sheet, joined.
fn workbook_text(path: &Path) -> String {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let mut out = String::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        for row in range.rows() {
            for c in row {
                if let Data::String(s) = c {
                    out.push_str(s);
                    out.push('\n');
                }
            }
        }
    }
    out
}

#[test]
fn nc04_check_marks_are_kept_as_typed_and_read_as_ada() {
    let input = fixture("nc-04-checkmarks.xlsx");
    let r = run(std::slice::from_ref(&input), Some(YEAR));
    let u = unit(&r, "dinsos");
    let marks = ["✓", "√", "✔", "☑"];
    let evidence: Vec<_> = u.indicators.iter().flat_map(|i| &i.evidence).collect();
    for (e, mark) in evidence.iter().zip(marks) {
        assert_eq!(e.status_text, mark, "typed value kept exactly");
        assert_eq!(e.status, Some("ada"));
        assert_eq!(e.points, 10);
    }
    assert_eq!(u.score, Some(40));
    let checkmarks: Vec<String> = u
        .findings
        .iter()
        .filter(|f| f.code == Code::EvidenceStatusCheckmark)
        .map(|f| f.location.cell().unwrap())
        .collect();
    assert_eq!(checkmarks, ["D6", "D7", "D8", "D9"]);
    assert!(
        u.findings
            .iter()
            .filter(|f| f.code == Code::EvidenceStatusCheckmark)
            .all(|f| f.severity == Severity::Warning)
    );
    // No message tells a staffer that a cell they filled is empty.
    for f in &u.findings {
        if let Some(row) = f.location.row
            && (5..=8).contains(&row)
        {
            assert!(
                !f.message.contains("belum diisi") && !f.message.contains("kosong"),
                "{}",
                f.message
            );
        }
    }
    // The JSON and the rekap's Data Dukung sheet show the marks as typed.
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    let xlsx = dir.path().join("r.xlsx");
    Command::cargo_bin("monev")
        .unwrap()
        .arg("rekap")
        .arg(&input)
        .args(["-q", "--tahun", "2026", "-o"])
        .arg(&xlsx)
        .arg("--json")
        .arg(&json)
        .assert()
        .success();
    let text = fs::read_to_string(&json).unwrap();
    for mark in marks {
        assert!(
            text.contains(&format!("\"status_text\": \"{mark}\"")),
            "{mark}"
        );
    }
    let sheet = workbook_text(&xlsx);
    for mark in marks {
        assert!(sheet.lines().any(|l| l == mark), "{mark} in the rekap");
    }
}

#[test]
fn saying_there_was_no_problem_needs_no_solution() {
    let dir = tempfile::tempdir().unwrap();
    let path = report(dir.path(), "dinkes", YEAR, "dinkes.xlsx", |f| {
        fill_complete(f, "dinkes", YEAR);
        for (slot, problem) in [
            (2, "Tidak ada"),
            (3, "Nihil"),
            (4, "-"),
            (5, "Tidak ada anggaran"),
        ] {
            put_activity(
                f,
                1,
                slot,
                &Activity {
                    when: When::Date(common::scenario::ymd(YEAR, 3, 17)),
                    activity: "Apel pagi",
                    media: "Apel Pagi",
                    problem,
                    solution: "",
                    link: Link::Hyperlink(&common::scenario::drive(&format!("dinkes-x-{slot}"))),
                },
            );
        }
    });
    let r = run(&[path], Some(YEAR));
    let nagged: Vec<String> = unit(&r, "dinkes")
        .findings
        .iter()
        .filter(|f| f.code == Code::ActivityProblemWithoutSolution)
        .map(|f| f.location.cell().unwrap())
        .collect();
    // Only "Tidak ada anggaran" is a real problem; the template's indicator 1
    // rows start at row 8, so slot 5 is row 13.
    assert_eq!(nagged, ["F13"]);
}

#[test]
fn a_rejected_file_of_a_known_opd_is_ditolak_and_gets_feedback() {
    let dir = tempfile::tempdir().unwrap();
    let masuk = dir.path().join("masuk");
    fs::create_dir_all(&masuk).unwrap();
    fs::write(
        masuk.join(monev::template::file_name(YEAR, "dishub")),
        b"ini bukan lembar kerja",
    )
    .unwrap();
    let r = run(std::slice::from_ref(&masuk), Some(YEAR));
    let u = unit(&r, "dishub");
    assert_eq!(
        (u.status, u.score, u.level),
        (UnitStatus::Rejected, None, None)
    );
    assert_eq!(codes(u), ["file.unreadable"]);
    assert_eq!(r.totals.rejected_units, 1);
    assert_eq!(r.totals.missing, r.units.len() - 1);
    let json = serde_json::to_value(&r).unwrap();
    let dishub = json["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == "dishub")
        .unwrap();
    assert_eq!(dishub["status"], "rejected");

    let out = tempfile::tempdir().unwrap();
    let stdout = Command::cargo_bin("monev")
        .unwrap()
        .arg("rekap")
        .arg(&masuk)
        .args(["--tahun", "2026", "-o"])
        .arg(out.path().join("r.xlsx"))
        .arg("--umpan-balik")
        .arg(out.path().join("ub"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let stdout = String::from_utf8_lossy(&stdout);
    assert!(
        stdout
            .lines()
            .any(|l| l.trim_start().starts_with("Ditolak") && l.trim_end().ends_with(" 1")),
        "{stdout}"
    );
    let text = workbook_text(&out.path().join("ub/umpan-balik-2026-dishub.xlsx"));
    assert!(text.contains("belum dapat dinilai"), "{text}");
    assert!(text.contains("tidak dapat dibaca"), "{text}");
}

#[test]
fn a_blank_template_sent_back_never_supersedes_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let masuk = dir.path().join("masuk");
    fs::create_dir_all(&masuk).unwrap();
    let mut filled = report(&masuk, "dlh", YEAR, "dlh.xlsx", |f| {
        fill_complete(f, "dlh", YEAR)
    });
    // The blank template arrives later (a reply that attaches it again).
    let work = dir.path().join("kerja2");
    fs::create_dir_all(&work).unwrap();
    let blank = masuk.join("balasan-dlh.xlsx");
    let unit_dlh = common::roster().get("dlh").unwrap().clone();
    fill_template(
        &common::form(),
        &unit_dlh,
        YEAR,
        &work,
        "2026-08-30T09:00:00Z",
        &blank,
        |_| {},
    );
    let r = run(std::slice::from_ref(&masuk), Some(YEAR));
    let u = unit(&r, "dlh");
    assert_eq!((u.status, u.score), (UnitStatus::Complete, Some(100)));
    assert!(u.file.as_deref().unwrap().ends_with("dlh.xlsx"));
    let empty = r
        .files
        .iter()
        .find(|f| f.path.ends_with("balasan-dlh.xlsx"))
        .unwrap();
    assert_eq!(empty.status, monev::model::FileStatus::Empty);
    assert!(
        empty
            .findings
            .iter()
            .any(|f| f.code == Code::FileEmpty && f.severity == Severity::Warning)
    );

    // Alone, the blank template gives its own status, not a score.
    fs::remove_file(&filled).unwrap();
    filled.pop();
    let r = run(std::slice::from_ref(&masuk), Some(YEAR));
    let u = unit(&r, "dlh");
    assert_eq!(
        (u.status, u.score, u.level),
        (UnitStatus::EmptyTemplate, None, None)
    );
    assert_eq!(u.status.label(), "Belum Mengirim (templat kosong)");
}

#[test]
fn periksa_names_last_years_template_instead_of_judging_every_date() {
    let dir = tempfile::tempdir().unwrap();
    let path = report(
        dir.path(),
        "inspektorat",
        2025,
        "inspektorat-2025.xlsx",
        |f| fill_complete(f, "inspektorat", 2025),
    );
    let out = periksa_2026(&path);
    assert!(out.contains("file.wrong_year"), "{out}");
    assert!(
        out.contains("templat tahun 2025") && out.contains("tahun 2026"),
        "{out}"
    );
    assert!(
        !out.contains("date.outside_year"),
        "2025 dates in a 2025 template are not judged against 2026: {out}"
    );
    // The OPD's feedback tells it to move its entries to this year's template.
    let r = run(&[path], Some(2026));
    let advice = monev::report::advice_for_opd(unit(&r, "inspektorat"), &common::form());
    assert!(advice.contains("templat tahun 2026"), "{advice}");
}

#[test]
fn nothing_found_is_said_first_and_names_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let masuk = dir.path().join("kotak-masuk");
    fs::create_dir_all(&masuk).unwrap();
    fs::write(masuk.join("catatan.txt"), "bukan laporan").unwrap();
    let out = Command::cargo_bin("monev")
        .unwrap()
        .current_dir(dir.path())
        .args(["rekap", "kotak-masuk", "-o", "r.xlsx"])
        .assert()
        .success()
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("PERINGATAN: tidak ada laporan OPD") && stderr.contains("kotak-masuk"),
        "{stderr}"
    );
    assert!(
        dir.path().join("r.xlsx").exists(),
        "the rekap of 34 'Belum Mengirim' is still written"
    );
    let out = Command::cargo_bin("monev")
        .unwrap()
        .current_dir(dir.path())
        .args(["periksa", "kotak-masuk"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("kotak-masuk"));
}

#[test]
fn a_youtube_link_earns_no_points_unless_the_domain_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let youtube = "https://www.youtube.com/watch?v=abc123XYZ";
    let path = report(dir.path(), "dinkes", YEAR, "dinkes.xlsx", |f| {
        fill_complete(f, "dinkes", YEAR);
        common::scenario::put_evidence(f, 1, 'a', "Ada", Link::Text(youtube), "");
    });
    let r = run(std::slice::from_ref(&path), Some(YEAR));
    let u = unit(&r, "dinkes");
    let f = u
        .findings
        .iter()
        .find(|f| f.code == Code::LinkNotDrive)
        .unwrap();
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message.contains("tidak mendapat poin") && f.message.contains("Google Drive"),
        "{}",
        f.message
    );
    assert_eq!(u.indicators[0].item_points, [0, 10]);
    // A pemda that accepts YouTube says so once, and the verdict follows.
    let mut cfg = common::rekap_config(vec![path], Some(YEAR));
    cfg.allowed_domains.push("youtube.com".into());
    let r = compile(
        &common::form(),
        &common::roster(),
        &Rubric::embedded().unwrap(),
        &cfg,
        &NoProgress,
    )
    .unwrap();
    let u = unit(&r, "dinkes");
    assert!(!codes(u).contains(&"link.not_drive"));
    assert_eq!(u.indicators[0].item_points, [10, 10]);
}

#[test]
fn the_petunjuk_names_the_same_domains_the_verdict_follows() {
    let dir = tempfile::tempdir().unwrap();
    let petunjuk = |args: &[&str]| {
        let out = dir.path().join(args.join("-").replace(['.', ' '], "_"));
        Command::cargo_bin("monev")
            .unwrap()
            .args([
                "templat", "--tahun", "2026", "--hanya", "dinkes", "-q", "-o",
            ])
            .arg(&out)
            .args(args)
            .assert()
            .success();
        let path = out.join(monev::template::file_name(YEAR, "dinkes"));
        let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
        let range = wb.worksheet_range("Petunjuk").unwrap();
        range
            .rows()
            .flat_map(|r| r.iter().map(|c| c.to_string()))
            .find(|t| t.contains("Domain tautan yang diterima"))
            .unwrap()
    };
    let default = petunjuk(&[]);
    assert!(
        default.contains("drive.google.com, docs.google.com"),
        "{default}"
    );
    let relaxed = petunjuk(&["--domain", "drive.google.com", "youtube.com"]);
    assert!(
        relaxed.contains("drive.google.com, youtube.com"),
        "{relaxed}"
    );
}

/// Found by trying monev as a new user: fixing a feedback workbook in an
/// editor that keeps a cell's old hyperlink when new text is typed over it.
#[test]
fn a_web_address_typed_over_an_old_link_counts_and_a_cleared_link_is_no_entry() {
    let dir = tempfile::tempdir().unwrap();
    let youtube = "https://www.youtube.com/watch?v=abc123XYZ";
    let path = report(dir.path(), "dinkes", YEAR, "dinkes.xlsx", |f| {
        fill_complete(f, "dinkes", YEAR);
        // G9: an old YouTube hyperlink, a Drive address typed over it.
        f.hyperlink("Tabel 1", "G9", youtube, "Bukti");
        f.text("Tabel 1", "G9", &common::scenario::drive("dinkes-g9-baru"));
        // G10: a row whose text was cleared; only the old hyperlink is left.
        f.hyperlink("Tabel 1", "G10", youtube, "Bukti");
        f.text("Tabel 1", "G10", "");
    });
    let r = run(std::slice::from_ref(&path), Some(YEAR));
    let u = unit(&r, "dinkes");
    let on = |cell: &str| {
        u.findings
            .iter()
            .filter(|f| f.location.cell().as_deref() == Some(cell))
            .map(|f| f.code.as_str())
            .collect::<Vec<_>>()
    };
    assert!(
        on("G9").is_empty(),
        "the address people see counts: {:?}",
        on("G9")
    );
    assert!(on("G10").is_empty(), "no ghost entry: {:?}", on("G10"));
    assert_eq!(u.activities, 8, "the cleared row is no activity");
    assert_eq!((u.score, u.status), (Some(100), UnitStatus::Complete));
}

/// dlh's complete report with `t1_text` typed (as text) over Tabel 1's first
/// Data Dukung and `t2_text` over Tabel 2's item 1a link; gives the file and
/// those two cells (A1 style).
fn typed_links(dir: &Path, t1_text: &str, t2_text: &str) -> (PathBuf, String, String) {
    let t1 = format!("G{}", common::scenario::t1_row(1, 0));
    let t2 = format!("E{}", common::scenario::t2_row(1, 'a'));
    let path = report(dir, "dlh", YEAR, "dlh.xlsx", |f| {
        fill_complete(f, "dlh", YEAR);
        f.clear("Tabel 1", &t1).text("Tabel 1", &t1, t1_text);
        f.clear("Tabel 2", &t2).text("Tabel 2", &t2, t2_text);
    });
    (path, t1, t2)
}

#[test]
fn a_link_without_https_that_earns_no_points_is_never_called_counted() {
    let dir = tempfile::tempdir().unwrap();
    // Outside the accepted domains: no points, so "tetap dihitung" would be false.
    let elsewhere = "www.serangkota.go.id/berita/apel-pagi";
    // A Drive folder link cut short: wrong anyway, the error alone says so.
    let cut = "drive.google.com/drive/folders/1XyZ?usp=sharing";
    let (path, t1, t2) = typed_links(dir.path(), elsewhere, cut);
    let r = run(std::slice::from_ref(&path), Some(YEAR));
    let u = unit(&r, "dlh");
    let at = |cell: &str| -> Vec<(Code, &str)> {
        u.findings
            .iter()
            .filter(|f| f.code.is_link() && f.location.sheet_cell().ends_with(cell))
            .map(|f| (f.code, f.message.as_str()))
            .collect()
    };
    let on_t1 = at(&t1);
    let mut codes: Vec<Code> = on_t1.iter().map(|(c, _)| *c).collect();
    codes.sort_by_key(|c| c.as_str());
    assert_eq!(
        codes,
        vec![Code::LinkNoScheme, Code::LinkNotDrive],
        "{on_t1:#?}"
    );
    let (_, no_scheme) = on_t1
        .iter()
        .find(|(c, _)| *c == Code::LinkNoScheme)
        .unwrap();
    assert!(
        !no_scheme.contains("tetap dihitung") && no_scheme.contains("tidak diawali https://"),
        "{no_scheme}"
    );
    let on_t2 = at(&t2);
    let codes: Vec<Code> = on_t2.iter().map(|(c, _)| *c).collect();
    assert_eq!(codes, vec![Code::LinkDriveTruncated], "{on_t2:#?}");
}

#[test]
fn drive_links_typed_without_https_still_count_and_are_warned_as_not_clickable() {
    let dir = tempfile::tempdir().unwrap();
    let bare = "drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUvWxYz_0123/view";
    let bare_folder = "drive.google.com/drive/folders/1ZyXwVuTsRqPoNmLkJiHgFeDcBa987654";
    // Pasted as text, without the scheme, as the address bar shows it.
    let (path, t1, t2) = typed_links(dir.path(), bare, bare_folder);
    let r = run(std::slice::from_ref(&path), Some(YEAR));
    let u = unit(&r, "dlh");
    // Counted: a person can open them, so the report keeps every point.
    assert_eq!(
        (u.status, u.score),
        (UnitStatus::Complete, Some(100)),
        "{:#?}",
        u.findings
    );
    let warned: Vec<(String, Severity, &str)> = u
        .findings
        .iter()
        .filter(|f| f.code == Code::LinkNoScheme)
        .map(|f| (f.location.sheet_cell(), f.severity, f.message.as_str()))
        .collect();
    assert_eq!(warned.len(), 2, "{warned:#?}");
    for ((cell, severity, message), (want, link)) in
        warned.iter().zip([(&t1, bare), (&t2, bare_folder)])
    {
        assert!(cell.ends_with(want.as_str()), "{cell} for {want}");
        assert_eq!(*severity, Severity::Warning);
        assert!(
            message.contains(link) && message.contains("tidak diawali https://"),
            "{message}"
        );
    }
    // No other link finding on them, and the whole-https links are not warned.
    assert_eq!(
        u.findings.iter().filter(|f| f.code.is_link()).count(),
        2,
        "{:#?}",
        u.findings
    );
    // The operator sees it through `monev periksa`.
    let out = periksa_2026(&path);
    assert!(out.contains("link.no_scheme"), "{out}");
}
