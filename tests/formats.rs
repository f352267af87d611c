//! The same content gets the same verdict in every format (issue 7, section 2):
//! filled reports built from our own templates, with merged cells, cells with
//! several links, hyperlinks whose address Excel split at `#`, relative links
//! and error values, are saved again by LibreOffice as .xlsx, .xls and .ods.
//! Every version must give the same activities, answers, links, findings
//! (codes and cells), score and level as the original.
//!
//! What is compared leaves out only what a re-save legitimately changes: the
//! save time (and so `file.late`), and the exact spelling of a link that is not
//! a web link (`Dokumentasi/Foto%20Apel.jpg` in .xlsx is
//! `Dokumentasi\Foto Apel.jpg` in .xls): links are compared by their verdict.
//!
//! LibreOffice 7.4 cannot write a cell holding several hyperlinks to .xlsx or
//! .xls (it drops them all), so several links in one cell are tested here as
//! typed text, and as `text:a`s in .ods by `tests/reading.rs`.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use common::Filler;
use common::scenario::*;
use monev::links::{LinkError, check_link, default_allowed_domains};
use monev::model::{Rekap, UnitResult, UnitStatus};

const YEAR: i32 = 2026;

/// A link as judged: the web address shown, or the error, and the duplicate key.
type Verdict = (Option<String>, Option<LinkError>, Option<String>);

fn verdict(text: &str) -> Verdict {
    let v = check_link(text, &default_allowed_domains());
    (v.url, v.error, v.key)
}

/// Everything a report's verdict is made of.
#[derive(Debug, PartialEq)]
struct Digest {
    status: UnitStatus,
    score: Option<u32>,
    level: Option<u8>,
    /// Per Tabel 1 row: indicator, when (text, start, end, recurring), the four
    /// text columns, the link and whether the activity counts.
    activities: Vec<Activity>,
    /// Per Tabel 2 item: status, link, remark, points.
    answers: Vec<(usize, String, String, Option<Verdict>, String, u32)>,
    /// (code, sheet, cell), without the save-time findings.
    findings: BTreeSet<(String, String, String)>,
}

#[derive(Debug, PartialEq)]
struct Activity {
    row: u32,
    indicator: Option<usize>,
    when: (String, Option<NaiveDate>, Option<NaiveDate>, bool),
    texts: [String; 4],
    link: Verdict,
    valid: bool,
}

fn digest(u: &UnitResult) -> Digest {
    Digest {
        status: u.status,
        score: u.score,
        level: u.level,
        activities: u
            .activity_rows
            .iter()
            .map(|a| Activity {
                row: a.row,
                indicator: a.indicator,
                when: (a.when_text.clone(), a.start, a.end, a.recurring),
                texts: [
                    a.activity.clone(),
                    a.media.clone(),
                    a.problem.clone(),
                    a.solution.clone(),
                ],
                link: verdict(&a.evidence),
                valid: a.valid,
            })
            .collect(),
        answers: u
            .indicators
            .iter()
            .flat_map(|i| {
                i.evidence.iter().map(move |e| {
                    (
                        i.number,
                        e.item.clone(),
                        e.status_text.clone(),
                        e.link.as_deref().map(verdict),
                        e.remark.clone(),
                        e.points,
                    )
                })
            })
            .collect(),
        findings: u
            .findings
            .iter()
            .filter(|f| f.code.as_str() != "file.late")
            .map(|f| {
                (
                    f.code.as_str().to_string(),
                    f.location.sheet.clone().unwrap_or_default(),
                    f.location.cell().unwrap_or_default(),
                )
            })
            .collect(),
    }
}

fn unit_of<'a>(r: &'a Rekap, code: &str) -> &'a UnitResult {
    r.units.iter().find(|u| u.code == code).unwrap()
}

/// Builds `code`'s template filled by `fill` into `dir/<code>.xlsx`.
fn report(dir: &Path, code: &str, fill: impl FnOnce(&mut Filler)) -> PathBuf {
    let out = dir.join(format!("{code}.xlsx"));
    common::scenario::filled_report(code, YEAR, dir, &out, fill);
    out
}

/// Merges `col` over `rows` of Tabel 1 as Excel does: the top cell keeps its
/// value, the cells below are emptied.
fn merge_down(f: &mut Filler, col: &str, rows: std::ops::RangeInclusive<u32>) {
    let (first, last) = (*rows.start(), *rows.end());
    for r in first + 1..=last {
        f.clear(T1, &format!("{col}{r}"));
    }
    f.merge(T1, &format!("{col}{first}:{col}{last}"));
}

/// A complete report with a date and a link merged over three activities, a
/// Google Sheets link split at `#`, and typed text holding a local path and a
/// Drive link.
fn complete_with_merges(dir: &Path) -> PathBuf {
    report(dir, "dinkes", |f| {
        fill_complete(f, "dinkes", YEAR);
        put_activity(
            f,
            1,
            2,
            &Activity3 {
                activity: "Apel pagi dengan pembacaan slogan BerAKHLAK",
                media: "Apel Pagi",
            }
            .into(),
        );
        merge_down(f, "B", t1_row(1, 0)..=t1_row(1, 2));
        merge_down(f, "G", t1_row(1, 0)..=t1_row(1, 2));
        f.hyperlink_with_location(
            T1,
            &format!("G{}", t1_row(2, 0)),
            "https://docs.google.com/spreadsheets/d/1DaftarHadirQw3rTy0123/edit",
            "gid=1234567",
            "Daftar hadir",
        );
        f.text(
            T1,
            &format!("G{}", t1_row(2, 1)),
            &format!(
                "Foto: D:\\Monev 2026\\Foto Apel.jpg, daftar hadir: {}",
                drive("dinkes-hadir")
            ),
        );
        f.hyperlink_with_location(
            T2,
            &format!("E{}", t2_row(1, 'a')),
            "https://docs.google.com/document/d/1SuratKeputusanQw3rTy01/edit",
            "heading=h.abc123",
            "SK",
        );
    })
}

/// The usual mistakes, plus a period merged over three rows, relative links to
/// files on the sender's computer and error values.
fn mistakes_with_merges_and_errors(dir: &Path) -> PathBuf {
    report(dir, "dishub", |f| {
        fill_usual_mistakes(f, &drive("dinkes-1-0"));
        // Rows 8..10 hold "17 Agustus 2026", "Januari s.d. Juni 2026", "Setiap hari Senin".
        merge_down(f, "B", t1_row(1, 0)..=t1_row(1, 2));
        f.hyperlink(
            T1,
            &format!("G{}", t1_row(1, 1)),
            "Dokumentasi/Foto%20Apel.jpg",
            "Foto apel",
        );
        f.hyperlink(T2, &format!("E{}", t2_row(2, 'a')), "../Bukti/sk.pdf", "SK");
        f.text(T2, &format!("D{}", t2_row(2, 'a')), "Ada");
        f.error_value(T1, &format!("B{}", t1_row(3, 1)), "#N/A");
        f.error_value(T1, &format!("A{}", t1_row(4, 0)), "#DIV/0!");
    })
}

/// A complete report typed by hand: periods as text merged over activities, a
/// `HYPERLINK()` formula, error values (#SPILL! where Data Dukung belongs), two
/// Drive links typed in one cell, and a Drive folder link with a `#` fragment
/// on Tabel 2.
fn typed_report_with_excel365_errors(dir: &Path) -> PathBuf {
    report(dir, "disnaker", |f| {
        fill_complete(f, "disnaker", YEAR);
        for n in 1..=4 {
            f.text(T1, &format!("B{}", t1_row(n, 0)), "Januari s.d. Juni 2026");
            put_activity(
                f,
                n,
                2,
                &Activity3 {
                    activity: "Pembacaan nilai-nilai BerAKHLAK",
                    media: "Apel Pagi",
                }
                .into(),
            );
            merge_down(f, "B", t1_row(n, 0)..=t1_row(n, 2));
        }
        f.formula_link(
            T1,
            &format!("G{}", t1_row(2, 2)),
            &drive("disnaker-rumus"),
            "Bukti",
        );
        f.error_value(T1, &format!("G{}", t1_row(3, 2)), "#SPILL!");
        // LibreOffice 7.4 saves error values it does not know (#CALC!) as #NAME?;
        // a classic one survives every format.
        f.error_value(T1, &format!("E{}", t1_row(4, 2)), "#N/A");
        f.text(
            T1,
            &format!("G{}", t1_row(4, 2)),
            &format!("{}\n{}", drive("disnaker-a"), drive("disnaker-b")),
        );
        f.hyperlink_with_location(
            T2,
            &format!("E{}", t2_row(4, 'b')),
            "https://drive.google.com/drive/folders/1FolderBuktiQw3rTy0123",
            "bukti-4b",
            "Folder",
        );
    })
}

/// Activity text and media only (the rest empty).
struct Activity3<'a> {
    activity: &'a str,
    media: &'a str,
}

impl<'a> From<Activity3<'a>> for common::scenario::Activity<'a> {
    fn from(a: Activity3<'a>) -> Self {
        common::scenario::Activity {
            activity: a.activity,
            media: a.media,
            ..Default::default()
        }
    }
}

/// Reads `original` and its LibreOffice .xlsx, .xls and .ods versions and
/// asserts they all give `code` the same verdict; returns it.
fn same_verdict_in_every_format(original: &Path, code: &str) -> Digest {
    let work = original.parent().unwrap().join(format!("lo-{code}"));
    let read = |path: &Path| {
        let r = common::run_rekap(&[path.to_path_buf()], Some(YEAR));
        assert_eq!(r.files.len(), 1);
        digest(unit_of(&r, code))
    };
    let expected = read(original);
    for to in ["xlsx", "xls", "ods"] {
        let converted = common::convert(original, to, &work.join(to));
        assert_eq!(
            read(&converted),
            expected,
            "{code}: the LibreOffice .{to} differs from the original .xlsx"
        );
    }
    expected
}

#[test]
fn complete_report_with_merges_fragments_and_several_links_reads_alike_in_every_format() {
    if common::soffice().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = same_verdict_in_every_format(&complete_with_merges(dir.path()), "dinkes");
    // The original itself reads right: the merged date and link reach row 10,
    // the fragment is kept, the typed Drive link wins over the local path.
    assert_eq!(
        (d.status, d.score, d.level),
        (UnitStatus::Complete, Some(100), Some(5)),
        "{:#?}",
        d.findings
    );
    let row = |n: u32| d.activities.iter().find(|a| a.row == n).unwrap();
    let (r8, r10) = (row(t1_row(1, 0)), row(t1_row(1, 2)));
    assert_eq!(r10.when, r8.when);
    assert_eq!(r10.link, r8.link);
    assert!(r10.valid);
    assert_eq!(
        row(t1_row(2, 0)).link.0.as_deref(),
        Some("https://docs.google.com/spreadsheets/d/1DaftarHadirQw3rTy0123/edit#gid=1234567")
    );
    assert_eq!(row(t1_row(2, 1)).link.1, None);
    assert_eq!(d.findings, BTreeSet::new());
}

#[test]
fn report_with_mistakes_merges_relative_links_and_error_values_reads_alike_in_every_format() {
    if common::soffice().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = same_verdict_in_every_format(&mistakes_with_merges_and_errors(dir.path()), "dishub");
    let has = |code: &str, sheet: &str, row: u32, col: &str| {
        d.findings
            .contains(&(code.into(), sheet.into(), format!("{col}{row}")))
    };
    // The merged "17 Agustus 2026" reaches rows 9 and 10.
    for slot in 1..=2 {
        let a = d
            .activities
            .iter()
            .find(|a| a.row == t1_row(1, slot))
            .unwrap();
        assert_eq!(a.when.0, "17 Agustus 2026");
    }
    assert!(has("link.local_path", T1, t1_row(1, 1), "G"));
    assert!(has("link.local_path", T2, t2_row(2, 'a'), "E"));
    assert!(has("date.unrecognised", T1, t1_row(3, 1), "B"));
    assert_eq!(d.status, UnitStatus::NeedsFix);
}

#[test]
fn typed_report_with_merged_periods_formulas_and_excel365_errors_reads_alike_in_every_format() {
    if common::soffice().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d =
        same_verdict_in_every_format(&typed_report_with_excel365_errors(dir.path()), "disnaker");
    let row = |n: usize, slot: usize| {
        d.activities
            .iter()
            .find(|a| a.row == t1_row(n, slot))
            .unwrap()
    };
    for n in 1..=4 {
        assert_eq!(row(n, 2).when.0, "Januari s.d. Juni 2026", "indicator {n}");
    }
    assert_eq!(row(3, 2).link.1, Some(LinkError::NotUrl), "#SPILL! is text");
    assert_eq!(row(4, 2).texts[2], "#N/A");
    assert_eq!(row(4, 2).link.1, None);
    assert_eq!(
        d.answers[7].3.as_ref().and_then(|v| v.0.clone()).as_deref(),
        Some("https://drive.google.com/drive/folders/1FolderBuktiQw3rTy0123#bukti-4b")
    );
}
