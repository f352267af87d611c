//! The feedback workbook round trip (issue "The e-mail round trip", section
//! 3): this year's template pre-filled with what the OPD sent, problem cells
//! marked. Unchanged it gives the same findings again (and, found in an input
//! folder, is monev's own output); fixed and sent back it is a fresh report;
//! last year's template comes back as this year's with the same entries.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::Filler;
use common::scenario::{
    Link, drive, fill_complete, fill_template, filled_report, put_activity, put_evidence,
};
use monev::model::{Rekap, UnitStatus};

const YEAR: i32 = 2026;

/// A dlh report with three mistakes: a local path as 1a's link, an empty
/// Ketersediaan on 2b, and a problem without a solution on indicator 3.
fn flawed(dir: &Path, year: i32) -> PathBuf {
    let work = dir.join("kerja");
    fs::create_dir_all(&work).unwrap();
    let masuk = dir.join("masuk");
    fs::create_dir_all(&masuk).unwrap();
    let out = masuk.join(format!("dlh-{year}.xlsx"));
    let unit = common::roster().get("dlh").unwrap().clone();
    fill_template(
        &common::form(),
        &unit,
        year,
        &work,
        "2026-08-20T09:00:00Z",
        &out,
        |f| {
            fill_complete(f, "dlh", year);
            put_evidence(f, 1, 'a', "Ada", Link::Text(r"C:\Bukti\slogan.jpg"), "");
            f.clear("Tabel 2", "D7");
            f.clear("Tabel 2", "E7");
            put_activity(
                f,
                3,
                0,
                &common::scenario::Activity {
                    when: common::scenario::When::Text("Maret 2026"),
                    activity: "Sosialisasi nilai BerAKHLAK",
                    media: "Rapat",
                    problem: "Peserta datang terlambat",
                    solution: "",
                    link: Link::Hyperlink(&drive("dlh-sos")),
                },
            );
        },
    );
    out
}

/// Runs the binary's rekap with feedback into `dir/ub` for 2026.
fn rekap_with_feedback(inputs: &[&Path], dir: &Path) -> PathBuf {
    let ub = dir.join("ub");
    let mut c = Command::cargo_bin("monev").unwrap();
    c.arg("rekap")
        .args(inputs)
        .args(["-q", "--tahun", "2026", "--timpa", "-o"])
        .arg(dir.join("r.xlsx"))
        .arg("--umpan-balik")
        .arg(&ub);
    c.assert().success();
    ub.join("umpan-balik-2026-dlh.xlsx")
}

/// `monev rekap INPUT -o DIR/r.xlsx --umpan-balik DIR/ub --eml DIR/draf`
/// for 2026 (drafts dated today, by the binary).
fn rekap_with_replies(input: &Path, dir: &Path) {
    Command::cargo_bin("monev")
        .unwrap()
        .arg("rekap")
        .arg(input)
        .args(["-q", "--tahun", "2026", "-o"])
        .arg(dir.join("r.xlsx"))
        .arg("--umpan-balik")
        .arg(dir.join("ub"))
        .arg("--eml")
        .arg(dir.join("draf"))
        .assert()
        .success();
}

fn run(inputs: &[PathBuf]) -> Rekap {
    common::run_rekap(inputs, Some(YEAR))
}

/// (code, cell, message) of the OPD's findings about its entries.
fn entries_findings(r: &Rekap) -> BTreeSet<(String, String, String)> {
    let u = r.units.iter().find(|u| u.code == "dlh").unwrap();
    u.findings
        .iter()
        .filter(|f| f.for_opd() && !f.code.as_str().starts_with("file."))
        .map(|f| {
            (
                f.code.to_string(),
                f.location.sheet_cell(),
                f.message.clone(),
            )
        })
        .collect()
}

#[test]
fn unchanged_feedback_gives_the_same_findings_again() {
    let dir = tempfile::tempdir().unwrap();
    let original = flawed(dir.path(), YEAR);
    let before = run(std::slice::from_ref(&original));
    let feedback = rekap_with_feedback(&[&original], dir.path());
    let again = run(std::slice::from_ref(&feedback));
    let (a, b) = (entries_findings(&before), entries_findings(&again));
    assert!(a.len() >= 3, "{a:#?}");
    assert_eq!(a, b);
    let unit = |r: &Rekap| {
        let u = r.units.iter().find(|u| u.code == "dlh").unwrap();
        (u.score, u.level, u.activities)
    };
    assert_eq!(unit(&before), unit(&again));
}

#[test]
fn unchanged_feedback_found_in_an_input_folder_is_monevs_own_output() {
    let dir = tempfile::tempdir().unwrap();
    let original = flawed(dir.path(), YEAR);
    let masuk = original.parent().unwrap().to_path_buf();
    let feedback = rekap_with_feedback(&[&original], dir.path());
    fs::copy(&feedback, masuk.join("umpan-balik-2026-dlh.xlsx")).unwrap();
    let r = run(std::slice::from_ref(&masuk));
    let skipped = r
        .skipped
        .iter()
        .find(|s| s.path.ends_with("umpan-balik-2026-dlh.xlsx"))
        .expect("listed");
    assert!(
        skipped.reason.starts_with("keluaran monev"),
        "{}",
        skipped.reason
    );
    assert_eq!(r.files.len(), 1, "only the original is read");
}

#[test]
fn unchanged_feedback_of_a_rejected_file_is_skipped_and_the_unit_stays_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let masuk = dir.path().join("masuk");
    let work = dir.path().join("kerja");
    fs::create_dir_all(&masuk).unwrap();
    fs::create_dir_all(&work).unwrap();
    // dinkes's report cut off in transfer: rejected; its feedback is the
    // blank template with the reason.
    unscored_reports(&masuk, &work);
    fs::remove_file(masuk.join("dishub.xlsx")).unwrap();
    rekap_with_replies(&masuk, dir.path());
    let feedback = dir.path().join("ub/umpan-balik-2026-dinkes.xlsx");
    fs::copy(&feedback, masuk.join("umpan-balik-2026-dinkes.xlsx")).unwrap();
    let r = run(std::slice::from_ref(&masuk));
    let skipped = r
        .skipped
        .iter()
        .find(|s| s.path.ends_with("umpan-balik-2026-dinkes.xlsx"))
        .expect("the unchanged feedback is listed as skipped");
    assert!(
        skipped.reason.starts_with("keluaran monev"),
        "{}",
        skipped.reason
    );
    let u = r.units.iter().find(|u| u.code == "dinkes").unwrap();
    assert_eq!(u.status, UnitStatus::Rejected, "{:#?}", u.findings);
}

#[test]
fn fixed_feedback_sent_back_is_a_fresh_report_and_scores_lengkap() {
    let dir = tempfile::tempdir().unwrap();
    let original = flawed(dir.path(), YEAR);
    let feedback = rekap_with_feedback(&[&original], dir.path());
    // The OPD fixes the three marked cells in the workbook it got back.
    let fixed = original.parent().unwrap().join("dlh-perbaikan.xlsx");
    let mut f = Filler::open(&feedback);
    f.clear("Tabel 2", "E6");
    f.hyperlink("Tabel 2", "E6", &drive("dlh-t2-1a-baru"), "Bukti");
    f.text("Tabel 2", "D7", "Ada");
    f.hyperlink("Tabel 2", "E7", &drive("dlh-t2-1b-baru"), "Bukti");
    f.text("Tabel 1", "F40", "Undangan dikirim lebih awal");
    f.modified("2026-08-28T09:00:00Z");
    f.save(&fixed);
    let r = run(&[original.parent().unwrap().to_path_buf()]);
    let u = r.units.iter().find(|u| u.code == "dlh").unwrap();
    assert_eq!(
        (u.status, u.score, u.level),
        (UnitStatus::Complete, Some(100), Some(5)),
        "{:#?}",
        u.findings
    );
    assert!(u.file.as_deref().unwrap().ends_with("dlh-perbaikan.xlsx"));
}

#[test]
fn last_years_template_comes_back_as_this_years_with_the_same_entries() {
    let dir = tempfile::tempdir().unwrap();
    let original = flawed(dir.path(), 2025);
    let before = run(std::slice::from_ref(&original));
    let u = before.units.iter().find(|u| u.code == "dlh").unwrap();
    assert!(
        u.findings
            .iter()
            .any(|f| f.code.as_str() == "file.wrong_year")
    );
    let feedback = rekap_with_feedback(&[&original], dir.path());
    let again = run(std::slice::from_ref(&feedback));
    let v = again.units.iter().find(|u| u.code == "dlh").unwrap();
    assert!(
        !v.findings
            .iter()
            .any(|f| f.code.as_str() == "file.wrong_year"),
        "the feedback is this year's template"
    );
    assert_eq!(again.files[0].year, Some(2026));
    let texts = |u: &monev::model::UnitResult| {
        u.activity_rows
            .iter()
            .map(|a| {
                (
                    a.indicator,
                    a.when_text.clone(),
                    a.activity.clone(),
                    a.evidence.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        texts(u),
        texts(v),
        "the same entries under the same indicators"
    );
}

#[test]
fn feedback_reply_drafts_carry_the_feedback_and_summarise_the_findings() {
    let dir = tempfile::tempdir().unwrap();
    let original = flawed(dir.path(), YEAR);
    let roster = dir.path().join("opd.csv");
    fs::write(
        &roster,
        "kode,nama,email\ndlh,Dinas Lingkungan Hidup,dlh@serangkota.go.id\n",
    )
    .unwrap();
    Command::cargo_bin("monev")
        .unwrap()
        .arg("rekap")
        .arg(&original)
        .args(["-q", "--tahun", "2026", "--opd"])
        .arg(&roster)
        .arg("-o")
        .arg(dir.path().join("r.xlsx"))
        .arg("--umpan-balik")
        .arg(dir.path().join("ub"))
        .arg("--eml")
        .arg(dir.path().join("draf"))
        .args(["--dari", "rb@serangkota.go.id"])
        .assert()
        .success();
    let eml = fs::read(dir.path().join("draf/umpan-balik-2026-dlh.eml")).unwrap();
    let workbook = fs::read(dir.path().join("ub/umpan-balik-2026-dlh.xlsx")).unwrap();
    let message = mail_parser::MessageParser::default().parse(&eml).unwrap();
    assert_eq!(
        message.subject(),
        Some("Umpan Balik Monev Budaya Kerja BerAKHLAK Tahun 2026 – Dinas Lingkungan Hidup")
    );
    let to = message
        .to()
        .and_then(|a| a.first())
        .and_then(|a| a.address());
    assert_eq!(to, Some("dlh@serangkota.go.id"));
    assert_eq!(message.header_raw("X-Unsent").map(str::trim), Some("1"));
    let attachment = message.attachments().next().expect("attachment");
    assert_eq!(
        mail_parser::MimeHeaders::attachment_name(attachment),
        Some("umpan-balik-2026-dlh.xlsx")
    );
    assert_eq!(attachment.contents(), workbook.as_slice(), "byte for byte");
    let body = message.body_text(0).unwrap();
    assert!(
        body.contains("Perlu Perbaikan") && body.contains("galat"),
        "{body}"
    );
    assert!(
        body.contains("'Tabel 2'!E6"),
        "the findings name their cells: {body}"
    );
}

#[test]
fn a_complete_report_with_warnings_gets_a_reply_that_asks_for_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let masuk = dir.path().join("masuk");
    let work = dir.path().join("kerja");
    fs::create_dir_all(&masuk).unwrap();
    fs::create_dir_all(&work).unwrap();
    // Complete, with a warning on a cell (a Drive link typed without https://).
    filled_report("bapenda", YEAR, &work, &masuk.join("bapenda.xlsx"), |f| {
        fill_complete(f, "bapenda", YEAR);
        let cell = format!("E{}", common::scenario::t2_row(1, 'a'));
        let bare = drive("bapenda-t2-1a");
        let bare = bare.trim_start_matches("https://");
        f.clear("Tabel 2", &cell).text("Tabel 2", &cell, bare);
    });
    // The binary dates drafts today (2026-11-29 or later): after the 2026
    // deadline, which a reply to an incomplete report restates.
    rekap_with_replies(&masuk, dir.path());
    let eml = fs::read(dir.path().join("draf/umpan-balik-2026-bapenda.eml")).unwrap();
    let message = mail_parser::MessageParser::default().parse(&eml).unwrap();
    let body = message.body_text(0).unwrap().replace("\r\n", "\n");
    assert!(
        body.contains("Lengkap") && body.contains("sudah lengkap"),
        "{body}"
    );
    assert!(body.contains("Perbaikan tidak wajib"), "{body}");
    for asked in ["Mohon perbaiki", "telah lewat", "sesegera mungkin"] {
        assert!(!body.contains(asked), "{asked:?} in:\n{body}");
    }
}

#[test]
fn a_late_reports_feedback_counts_the_findings_it_lists_as_its_reply_does() {
    let dir = tempfile::tempdir().unwrap();
    let original = flawed(dir.path(), YEAR);
    // Saved in September: `file.late` (for the operator; the OPD sees
    // "(terlambat)" beside the time instead) joins the OPD's findings.
    let mut f = Filler::open(&original);
    f.modified("2026-09-05T09:00:00Z");
    f.save(&original);
    rekap_with_replies(&original, dir.path());
    let r = run(std::slice::from_ref(&original));
    let u = r.units.iter().find(|u| u.code == "dlh").unwrap();
    assert!(
        u.findings.iter().any(|f| f.code.as_str() == "file.late"),
        "{:#?}",
        u.findings
    );
    let cover = sheet_text(
        &dir.path().join("ub/umpan-balik-2026-dlh.xlsx"),
        "Catatan Perbaikan",
    );
    let lines: Vec<&str> = cover.lines().collect();
    let at = lines
        .iter()
        .position(|l| *l == "Temuan")
        .expect("Temuan row");
    let counted = lines[at + 1];
    let eml = fs::read(dir.path().join("draf/umpan-balik-2026-dlh.eml")).unwrap();
    let message = mail_parser::MessageParser::default().parse(&eml).unwrap();
    let body = message.body_text(0).unwrap().to_string();
    // "2 galat, 3 peringatan" on the sheet; "2 galat dan 3 peringatan" in the reply.
    assert!(
        body.contains(&counted.replace(", ", " dan ")),
        "sheet says {counted:?}; reply:\n{body}"
    );
    assert!(cover.contains("(terlambat)"), "{cover}");
}

/// All the text of a workbook's sheet, one cell per line.
fn sheet_text(xlsx: &Path, sheet: &str) -> String {
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto(xlsx).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range
        .cells()
        .map(|(_, _, v)| common::data_text(v))
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// How many cell notes a workbook has (rust_xlsxwriter writes them to
/// `xl/comments*.xml`, one `<comment>` each).
fn notes(xlsx: &Path) -> usize {
    let mut zip = zip::ZipArchive::new(fs::File::open(xlsx).unwrap()).unwrap();
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    names
        .iter()
        .filter(|n| n.starts_with("xl/comments"))
        .map(|n| {
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut zip.by_name(n).unwrap(), &mut xml).unwrap();
            xml.matches("<comment ").count()
        })
        .sum()
}

#[test]
fn coloured_cells_are_explained_only_when_the_feedback_marks_some() {
    let dir = tempfile::tempdir().unwrap();
    // dlh: three mistakes on cells.
    flawed(dir.path(), YEAR);
    let masuk = dir.path().join("masuk");
    let work = dir.path().join("kerja");
    // dinkes: a complete report cut off in transfer (rejected); dishub: its
    // blank template back.
    unscored_reports(&masuk, &work);
    // bapenda: complete, but a column header of Tabel 1 renamed (an error on
    // the sheet, not on a cell).
    filled_report("bapenda", YEAR, &work, &masuk.join("bapenda.xlsx"), |f| {
        fill_complete(f, "bapenda", YEAR);
        f.text("Tabel 1", "E5", "Kendala");
    });
    rekap_with_replies(&masuk, dir.path());
    let r = run(&[masuk]);
    let status = |code: &str| r.units.iter().find(|u| u.code == code).unwrap().status;
    assert_eq!(status("dlh"), UnitStatus::NeedsFix);
    assert_eq!(status("dinkes"), UnitStatus::Rejected);
    assert_eq!(status("dishub"), UnitStatus::EmptyTemplate);
    assert_eq!(status("bapenda"), UnitStatus::NeedsFix);

    const COLOURED: &str = "diberi warna (merah: galat, kuning: peringatan)";
    const COLOURED_MAIL: &str = "sel yang perlu diperbaiki diberi warna dan catatan";
    let feedback = |code: &str| dir.path().join(format!("ub/umpan-balik-2026-{code}.xlsx"));
    let mail = |code: &str| {
        let eml = fs::read(dir.path().join(format!("draf/umpan-balik-2026-{code}.eml"))).unwrap();
        mail_parser::MessageParser::default()
            .parse(&eml)
            .unwrap()
            .body_text(0)
            .unwrap()
            .replace("\r\n", "\n")
    };

    // Marked cells: explained in the workbook and in the reply.
    assert!(notes(&feedback("dlh")) >= 3);
    let cover = sheet_text(&feedback("dlh"), "Catatan Perbaikan");
    assert!(cover.contains(COLOURED), "{cover}");
    assert!(cover.contains("(sel yang berwarna pada lembar Tabel 1 dan Tabel 2)"));
    assert!(mail("dlh").contains(COLOURED_MAIL), "{}", mail("dlh"));

    // None marked: never spoken of.
    for (code, says) in [
        (
            "dinkes",
            "Karena berkas Anda tidak dapat dibaca, lembar Tabel 1 dan Tabel 2 di belakang lembar ini masih kosong dan tidak ada sel yang diberi warna.",
        ),
        (
            "dishub",
            "Lembar Tabel 1 dan Tabel 2 di belakang lembar ini masih kosong, seperti templat yang Anda kirim",
        ),
        (
            "bapenda",
            "tidak untuk sel tertentu, sehingga tidak ada sel yang diberi warna",
        ),
    ] {
        assert_eq!(notes(&feedback(code)), 0, "{code}");
        let cover = sheet_text(&feedback(code), "Catatan Perbaikan");
        assert!(!cover.contains(COLOURED), "{code}: {cover}");
        assert!(!cover.contains("sel yang berwarna"), "{code}: {cover}");
        assert!(cover.contains(says), "{code}: {cover}");
        let body = mail(code);
        assert!(!body.contains(COLOURED_MAIL), "{code}: {body}");
        assert!(!body.contains("sel-sel tersebut"), "{code}: {body}");
    }
    assert!(
        sheet_text(&feedback("bapenda"), "Catatan Perbaikan").contains(
            "Mohon perbaiki setiap galat yang tercantum di bawah ini, lalu kirim kembali"
        )
    );
    assert!(
        mail("dinkes").contains("templat tahun 2026 yang masih kosong, tanpa sel berwarna"),
        "{}",
        mail("dinkes")
    );
}

/// The Catatan Perbaikan of a rejected file, a blank template sent back, a
/// report to fix and a complete report with a warning on a cell, from the binary's `rekap --umpan-balik`: (status, text of the
/// sheet, one cell per line, in row order).
fn covers_by_status(dir: &Path) -> Vec<(UnitStatus, String)> {
    let masuk = dir.join("masuk");
    let work = dir.join("kerja");
    fs::create_dir_all(&masuk).unwrap();
    flawed(dir, YEAR);
    unscored_reports(&masuk, &work);
    // Complete, with a warning on a cell (a link pasted without https://).
    filled_report("bapenda", YEAR, &work, &masuk.join("bapenda.xlsx"), |f| {
        fill_complete(f, "bapenda", YEAR);
        let bare = drive("bapenda-t2-1a");
        f.clear("Tabel 2", "E6");
        put_evidence(
            f,
            1,
            'a',
            "Ada",
            Link::Text(bare.trim_start_matches("https://")),
            "",
        );
    });
    Command::cargo_bin("monev")
        .unwrap()
        .arg("rekap")
        .arg(&masuk)
        .args(["-q", "--tahun", "2026", "-o"])
        .arg(dir.join("r.xlsx"))
        .arg("--umpan-balik")
        .arg(dir.join("ub"))
        .assert()
        .success();
    [
        ("dinkes", UnitStatus::Rejected),
        ("dishub", UnitStatus::EmptyTemplate),
        ("dlh", UnitStatus::NeedsFix),
        ("bapenda", UnitStatus::Complete),
    ]
    .into_iter()
    .map(|(code, status)| {
        let path = dir.join(format!("ub/umpan-balik-2026-{code}.xlsx"));
        if let Some(keep) = std::env::var_os("MONEV_KEEP_DIR") {
            fs::copy(&path, Path::new(&keep).join(path.file_name().unwrap())).unwrap();
        }
        (status, sheet_text(&path, "Catatan Perbaikan"))
    })
    .collect()
}

#[test]
fn catatan_perbaikan_has_no_header_without_rows_and_says_kirim_kembali_once() {
    let dir = tempfile::tempdir().unwrap();
    for (status, cover) in covers_by_status(dir.path()) {
        assert!(
            cover.contains(&format!("Status\n{}", status.label())),
            "{status:?}: {cover}"
        );
        // "Templat dikirim kembali …" tells what happened; it asks nothing.
        let asks =
            cover.matches("kirim kembali").count() - cover.matches("dikirim kembali").count();
        assert_eq!(asks, 1, "{status:?}: {cover}");
        let lines: Vec<&str> = cover.lines().collect();
        // Every table header is followed by a row of that table.
        let header_at = lines.iter().position(|l| *l == "Indikator (Tabel 2)");
        if matches!(status, UnitStatus::NeedsFix | UnitStatus::Complete) {
            let h = header_at.expect("the points table");
            assert!(lines[h + 6].starts_with("1. "), "{status:?}: {cover}");
        } else {
            // Nothing was scored: no points table, one line telling why.
            assert_eq!(header_at, None, "{status:?}: {cover}");
            assert!(!cover.contains("Butir a dan b:"), "{status:?}: {cover}");
            assert!(
                cover.contains("Poin per indikator tidak dihitung"),
                "{status:?}: {cover}"
            );
        }
        // The findings table has its rows (or says there are none).
        let t = lines
            .iter()
            .rposition(|l| *l == "Tingkat")
            .expect("findings");
        assert!(lines.len() > t + 1, "{status:?}: {cover}");
    }
}

/// Two reports that get no score, written into `masuk`: dinkes's complete
/// report cut off in transfer (rejected) and dishub's blank template.
fn unscored_reports(masuk: &Path, work: &Path) {
    let form = common::form();
    let roster = common::roster();
    filled_report("dinkes", YEAR, work, &masuk.join("dinkes.xlsx"), |f| {
        fill_complete(f, "dinkes", YEAR)
    });
    let whole = fs::read(masuk.join("dinkes.xlsx")).unwrap();
    fs::write(masuk.join("dinkes.xlsx"), &whole[..whole.len() / 2]).unwrap();
    fs::write(
        masuk.join("dishub.xlsx"),
        monev::template::build(&form, roster.get("dishub").unwrap(), YEAR).unwrap(),
    )
    .unwrap();
}
