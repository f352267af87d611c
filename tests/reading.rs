//! Reading what OPDs really send (issue 7, sections 1 and 2): content monev
//! does not need never loses a report, error values are text, .ods merges and
//! cells with several links read as in .xlsx, and hyperlink targets keep their
//! `#` fragment and name local files as local files. Each case in
//! `tests/fixtures/trust/` (from shared/cases/trust) has a test giving its
//! right result; each kind is also pinned on templates filled here.

mod common;

use std::path::{Path, PathBuf};

use common::Filler;
use common::scenario::*;
use monev::finding::{Code, Severity};
use monev::model::{FileStatus, Rekap, UnitResult, UnitStatus};

const YEAR: i32 = 2026;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/trust")
        .join(name)
}

fn unit_of<'a>(r: &'a Rekap, code: &str) -> &'a UnitResult {
    r.units.iter().find(|u| u.code == code).unwrap()
}

/// (code, sheet, cell) of every finding of a unit.
fn codes(u: &UnitResult) -> Vec<(String, String, String)> {
    u.findings
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

/// The one file read is used, and its OPD complete with 100 points, Level 5,
/// without any finding.
fn assert_clean_and_complete(r: &Rekap, unit: &str) {
    assert_eq!(r.files.len(), 1);
    assert_eq!(
        r.files[0].status,
        FileStatus::Used,
        "{:#?}",
        r.files[0].findings
    );
    let u = unit_of(r, unit);
    assert_eq!(codes(u), vec![], "no findings");
    assert_eq!(
        (u.status, u.score, u.level),
        (UnitStatus::Complete, Some(100), Some(5))
    );
}

/// Fills `code`'s complete report into `dir/name`, then applies `more`.
fn complete_with(dir: &Path, code: &str, name: &str, more: impl FnOnce(&mut Filler)) -> PathBuf {
    let out = dir.join(name);
    fill_template(
        &common::form(),
        common::roster().get(code).unwrap(),
        YEAR,
        dir,
        "2026-08-20T09:00:00Z",
        &out,
        |f| {
            fill_complete(f, code, YEAR);
            more(f);
        },
    );
    out
}

// ---------------------------------------------------------------------------
// The cases

#[test]
fn spill_error_in_tabel1_is_text_and_the_report_stays_complete() {
    // bh-05: Tabel 1 A8 holds =SEQUENCE(15) cached as #SPILL!.
    let r = common::run_rekap(&[fixture("bh-05-spill-error.xlsx")], Some(YEAR));
    assert_clean_and_complete(&r, "dinkes");
    let row = &unit_of(&r, "dinkes").activity_rows[0];
    assert_eq!((row.row, row.number.as_str()), (8, "#SPILL!"));
}

#[test]
fn chart_sheet_is_ignored_and_the_report_stays_complete() {
    // bh-15: a chart sheet "Grafik" (no sheetData).
    let r = common::run_rekap(&[fixture("bh-15-chart-sheet.xlsx")], Some(YEAR));
    assert_clean_and_complete(&r, "dinkes");
}

#[test]
fn ods_merged_date_and_link_reach_the_rows_below() {
    // bh-09: Tabel 1 B8:B10 (17/03/2026) and G8:G10 (one Drive link) merged.
    let r = common::run_rekap(&[fixture("bh-09-ods-merged-date.ods")], Some(YEAR));
    assert_clean_and_complete(&r, "dinkes");
    let rows = &unit_of(&r, "dinkes").activity_rows;
    let first = rows.iter().find(|a| a.row == 8).unwrap();
    assert!(first.evidence.starts_with("https://drive.google.com/"));
    for n in [9, 10] {
        let a = rows.iter().find(|a| a.row == n).unwrap();
        assert_eq!(a.start, Some(ymd(2026, 3, 17)), "row {n}");
        assert_eq!(a.evidence, first.evidence, "row {n}");
        assert!(a.valid, "row {n}");
    }
}

#[test]
fn ods_merged_period_reaches_the_rows_below() {
    // nc-05: Disnaker, B8:B10 merged with "Januari s.d. Juni 2026".
    let r = common::run_rekap(&[fixture("nc-05-ods-merged-date.ods")], Some(YEAR));
    let u = unit_of(&r, "disnaker");
    assert!(
        !u.findings
            .iter()
            .any(|f| f.code == Code::ActivityMissingField),
        "{:#?}",
        u.findings
    );
    for n in [8, 9, 10] {
        let a = u.activity_rows.iter().find(|a| a.row == n).unwrap();
        assert_eq!(a.when_text, "Januari s.d. Juni 2026", "row {n}");
        assert_eq!(
            (a.start, a.end),
            (Some(ymd(2026, 1, 1)), Some(ymd(2026, 6, 30))),
            "row {n}"
        );
    }
}

#[test]
fn ods_cell_with_two_links_is_judged_by_its_web_link() {
    // bh-14: G8 = file:///D:/… then a Drive link; G24 = a Drive link then file:///D:/….
    let r = common::run_rekap(&[fixture("bh-14-two-links-one-cell.ods")], Some(YEAR));
    assert_clean_and_complete(&r, "dinkes");
    let rows = &unit_of(&r, "dinkes").activity_rows;
    for n in [8, 24] {
        let a = rows.iter().find(|a| a.row == n).unwrap();
        // Both links are kept, none is dropped.
        assert!(
            a.evidence.contains("file:///D:/"),
            "row {n}: {}",
            a.evidence
        );
        assert!(
            a.evidence.contains("https://drive.google.com/"),
            "row {n}: {}",
            a.evidence
        );
        assert!(a.valid, "row {n}");
    }
}

// ---------------------------------------------------------------------------
// The kinds, on templates filled here

/// The seven classic error values and the Excel 365 ones.
const ERROR_VALUES: [&str; 15] = [
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#SPILL!",
    "#CALC!",
    "#FIELD!",
    "#BLOCKED!",
    "#CONNECT!",
    "#BUSY!",
    "#UNKNOWN!",
    "#PYTHON!",
];

/// Tabel 1 rows of the complete report whose Waktu Pelaksanaan gets an error value.
fn error_rows() -> Vec<u32> {
    (1..=4)
        .flat_map(|n| (0..2).map(move |slot| t1_row(n, slot)))
        .collect()
}

#[test]
fn every_error_value_is_text_that_gets_its_column_finding() {
    let dir = tempfile::tempdir().unwrap();
    let path = complete_with(dir.path(), "dinkes", "galat.xlsx", |f| {
        // Waktu Pelaksanaan of the eight activities, then Keterangan of Tabel 2.
        for (value, row) in ERROR_VALUES.iter().zip(error_rows()) {
            f.error_value(T1, &format!("B{row}"), value);
        }
        for (value, n) in ERROR_VALUES[8..].iter().zip(6..) {
            f.error_value(T2, &format!("F{n}"), value);
        }
    });
    let r = common::run_rekap(&[path], Some(YEAR));
    assert_eq!(r.files[0].status, FileStatus::Used);
    let u = unit_of(&r, "dinkes");
    for (value, row) in ERROR_VALUES.iter().zip(error_rows()) {
        let a = u.activity_rows.iter().find(|a| a.row == row).unwrap();
        assert_eq!(a.when_text, *value, "row {row}");
        let f = u
            .findings
            .iter()
            .find(|f| f.location.cell().as_deref() == Some(&format!("B{row}")))
            .unwrap_or_else(|| panic!("no finding at B{row}"));
        assert_eq!(f.code, Code::DateUnrecognised);
        assert!(f.message.contains(value), "{}", f.message);
    }
    // Keterangan is free text: an error value there is no problem at all.
    assert_eq!(
        u.indicators[0].evidence[0].remark, "#CALC!",
        "Tabel 2 F6 kept as typed"
    );
    assert!(u.findings.iter().all(|f| f.code == Code::DateUnrecognised));
    assert_eq!(u.score, Some(100));
}

#[test]
fn unneeded_sheet_that_cannot_be_parsed_costs_an_info_finding_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = complete_with(dir.path(), "dinkes", "catatan.xlsx", |f| {
        f.add_sheet(
            "Catatan",
            "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"n\"><v>not a number</v></c></row>",
        );
    });
    let r = common::run_rekap(&[path], Some(YEAR));
    assert_eq!(
        r.files[0].status,
        FileStatus::Used,
        "{:#?}",
        r.files[0].findings
    );
    let u = unit_of(&r, "dinkes");
    assert_eq!(
        codes(u),
        vec![(
            "file.sheet_unread".to_string(),
            "Catatan".to_string(),
            String::new()
        )]
    );
    assert_eq!(u.findings[0].severity, Severity::Info);
    assert!(u.findings[0].message.contains("'Catatan'"));
    assert_eq!(
        (u.status, u.score, u.level),
        (UnitStatus::Complete, Some(100), Some(5))
    );
}

#[test]
fn macro_sheet_is_ignored_and_the_report_stays_complete() {
    let dir = tempfile::tempdir().unwrap();
    let path = complete_with(dir.path(), "dinkes", "makro.xlsx", |f| {
        f.add_macro_sheet(
            "Makro1",
            "<xm:macrosheet xmlns:xm=\"http://schemas.microsoft.com/office/excel/2006/main\"><sheetData/></xm:macrosheet>",
        );
    });
    let r = common::run_rekap(&[path], Some(YEAR));
    assert_clean_and_complete(&r, "dinkes");
}

#[test]
fn broken_tabel1_still_rejects_the_file_naming_the_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let path = complete_with(dir.path(), "dinkes", "rusak.xlsx", |f| {
        f.text(T1, "B8", "17/08/2026");
        f.raw_cell(T1, "C8", Some("n"), "<v>bukan angka</v>");
    });
    let r = common::run_rekap(&[path], Some(YEAR));
    assert_eq!(r.files[0].status, FileStatus::Rejected);
    let f = &r.files[0].findings[0];
    assert_eq!(f.code, Code::FileUnreadable);
    assert!(f.message.contains("'Tabel 1'"), "{}", f.message);
}

#[test]
fn hyperlink_target_split_at_hash_keeps_its_fragment() {
    let sheet = "https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUv/edit";
    let dir = tempfile::tempdir().unwrap();
    let path = complete_with(dir.path(), "dinkes", "fragmen.xlsx", |f| {
        f.hyperlink_with_location(T1, "G8", sheet, "gid=123456", "Daftar hadir");
    });
    let r = common::run_rekap(&[path], Some(YEAR));
    let u = unit_of(&r, "dinkes");
    let a = u.activity_rows.iter().find(|a| a.row == 8).unwrap();
    assert_eq!(a.evidence, format!("{sheet}#gid=123456"));
    assert!(a.valid);
    assert_eq!(codes(u), vec![]);
}

#[test]
fn relative_hyperlink_targets_are_local_paths() {
    let dir = tempfile::tempdir().unwrap();
    let path = complete_with(dir.path(), "dinkes", "relatif.xlsx", |f| {
        f.hyperlink(T1, "G8", "Dokumentasi/Foto%20Apel.jpg", "Foto apel");
        f.hyperlink(T1, "G9", "../Bukti/x.pdf", "Bukti");
        f.hyperlink(T2, "E6", "foto.jpg", "Foto");
    });
    let r = common::run_rekap(&[path], Some(YEAR));
    let u = unit_of(&r, "dinkes");
    let found = codes(u);
    for (sheet, cell) in [(T1, "G8"), (T1, "G9"), (T2, "E6")] {
        assert!(
            found.contains(&("link.local_path".into(), sheet.into(), cell.into())),
            "{sheet}!{cell}: {found:#?}"
        );
    }
    assert!(!found.iter().any(|(c, _, _)| c == "link.not_url"));
}

/// Rewrites one entry of a zip package (the others copied as they are, the
/// `mimetype` of an .ods first and stored, as ODF asks).
fn rewrite_entry(package: &Path, entry: &str, edit: impl FnOnce(String) -> String) {
    use std::io::{Read, Write};
    let bytes = std::fs::read(package).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut edit = Some(edit);
    for i in 0..zip.len() {
        let mut e = zip.by_index(i).unwrap();
        let name = e.name().unwrap().into_owned();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        if name == entry {
            let f = edit.take().unwrap();
            data = f(String::from_utf8(data).unwrap()).into_bytes();
        }
        let method = if name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        out.start_file(
            name.as_str(),
            zip::write::SimpleFileOptions::default().compression_method(method),
        )
        .unwrap();
        out.write_all(&data).unwrap();
    }
    assert!(edit.is_none(), "{entry} not in {}", package.display());
    std::fs::write(package, out.finish().unwrap().into_inner()).unwrap();
}

#[test]
fn ods_number_that_is_no_number_keeps_its_text_and_the_file_is_read() {
    if common::soffice().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let xlsx = complete_with(dir.path(), "dinkes", "angka.xlsx", |f| {
        f.number(T1, "A8", 1.0);
    });
    let ods = common::convert(&xlsx, "ods", &dir.path().join("ods"));
    rewrite_entry(&ods, "content.xml", |xml| {
        // Another program wrote "1,0" where ODF wants "1" (and shows "1").
        let at = xml
            .find("office:value=\"1\"")
            .expect("the number typed in A8");
        format!("{}office:value=\"1,0\"{}", &xml[..at], &xml[at + 17..])
    });
    let r = common::run_rekap(&[ods], Some(YEAR));
    assert_eq!(
        r.files[0].status,
        FileStatus::Used,
        "{:#?}",
        r.files[0].findings
    );
    let u = unit_of(&r, "dinkes");
    assert_eq!(u.activity_rows[0].number, "1");
    assert_eq!((u.score, u.level), (Some(100), Some(5)));
}

/// The offsets of the error codes of BoolErr records (and of formula results
/// cached as errors) in a BIFF8 stream: found by walking records from each BOF.
fn xls_error_code_offsets(bytes: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let rd = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]) as usize;
    let mut i = 0;
    while i + 4 <= bytes.len() {
        // A worksheet substream starts with BOF (0x0809, 16 bytes) of type 0x0010.
        if rd(i) == 0x0809 && rd(i + 2) == 16 && i + 8 <= bytes.len() && rd(i + 6) == 0x0010 {
            let mut j = i;
            while j + 4 <= bytes.len() {
                let (typ, len) = (rd(j), rd(j + 2));
                if j + 4 + len > bytes.len() {
                    break;
                }
                let data = &bytes[j + 4..j + 4 + len];
                if typ == 0x0205 && len == 8 && data[7] == 1 {
                    out.push(j + 4 + 6);
                }
                if typ == 0x0006 && len >= 20 && data[6] == 2 && data[12..14] == [0xFF, 0xFF] {
                    out.push(j + 4 + 8);
                }
                if typ == 0x000A {
                    break;
                }
                j += 4 + len;
            }
            i = j;
        }
        i += 1;
    }
    out
}

#[test]
fn xls_error_code_calamine_does_not_know_is_an_error_value_not_a_lost_file() {
    if common::soffice().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let xlsx = complete_with(dir.path(), "dinkes", "kode.xlsx", |f| {
        f.error_value(T1, "A8", "#DIV/0!");
    });
    let xls = common::convert(&xlsx, "xls", &dir.path().join("xls"));
    let mut bytes = std::fs::read(&xls).unwrap();
    let offsets = xls_error_code_offsets(&bytes);
    assert!(!offsets.is_empty(), "LibreOffice wrote no error cell");
    for at in offsets {
        assert_eq!(bytes[at], 0x07, "#DIV/0! is BErr 0x07");
        // A code outside [MS-XLS] BErr, as a damaged or future file may hold.
        bytes[at] = 0x2C;
    }
    std::fs::write(&xls, bytes).unwrap();
    let r = common::run_rekap(&[xls], Some(YEAR));
    assert_eq!(
        r.files[0].status,
        FileStatus::Used,
        "{:#?}",
        r.files[0].findings
    );
    let u = unit_of(&r, "dinkes");
    assert_eq!(u.activity_rows[0].number, "#VALUE!");
    assert_eq!((u.score, u.level), (Some(100), Some(5)));
}

#[test]
fn ods_unneeded_sheet_that_cannot_be_parsed_costs_an_info_finding_only() {
    if common::soffice().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let xlsx = complete_with(dir.path(), "dinkes", "catatan.xlsx", |f| {
        f.add_sheet(
            "Catatan",
            "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Catatan OPD</t></is></c></row></sheetData></worksheet>",
        );
    });
    let ods = common::convert(&xlsx, "ods", &dir.path().join("ods"));
    rewrite_entry(&ods, "content.xml", |xml| {
        // Another program wrote a repeat count that is no number in "Catatan".
        let table = xml
            .find("table:name=\"Catatan\"")
            .expect("the Catatan sheet");
        let row = table + xml[table..].find("<table:table-row").expect("a row");
        let at = row + "<table:table-row".len();
        format!(
            "{} table:number-rows-repeated=\"banyak\"{}",
            &xml[..at],
            &xml[at..]
        )
    });
    let r = common::run_rekap(&[ods], Some(YEAR));
    assert_eq!(
        r.files[0].status,
        FileStatus::Used,
        "{:#?}",
        r.files[0].findings
    );
    let u = unit_of(&r, "dinkes");
    let found = codes(u);
    assert!(
        found.contains(&("file.sheet_unread".into(), "Catatan".into(), String::new())),
        "{found:#?}"
    );
    assert_eq!(
        (u.status, u.score, u.level),
        (UnitStatus::Complete, Some(100), Some(5))
    );
}

/// dinkes's complete report with TRUE typed in Ketersediaan 1a and FALSE in
/// the Permasalahan of the first activity (stored as logical values, as
/// Excel stores them), read back.
fn logical_values_read(r: &Rekap, what: &str) {
    let u = unit_of(r, "dinkes");
    let cell = format!("D{}", t2_row(1, 'a'));
    let f = u
        .findings
        .iter()
        .find(|f| f.location.sheet_cell().ends_with(&format!("!{cell}")))
        .unwrap_or_else(|| panic!("{what}: no finding on {cell}: {:#?}", u.findings));
    assert_eq!(
        f.message,
        "Ketersediaan data dukung 1a berisi \"BENAR\"; pilih \"Ada\" atau \"Belum Ada\".",
        "{what}"
    );
    assert_eq!(u.activity_rows[0].problem, "SALAH", "{what}");
    for f in &u.findings {
        let m = f.message.to_lowercase();
        assert!(
            !m.contains("\"true\"") && !m.contains("\"false\""),
            "{}",
            f.message
        );
    }
}

#[test]
fn true_and_false_typed_in_cells_read_as_benar_and_salah() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = complete_with(dir.path(), "dinkes", "logika.xlsx", |f| {
        f.boolean(T2, &format!("D{}", t2_row(1, 'a')), true);
        f.boolean(T1, &format!("E{}", t1_row(1, 0)), false);
    });
    logical_values_read(
        &common::run_rekap(std::slice::from_ref(&xlsx), Some(YEAR)),
        "xlsx",
    );
    // Saved again by LibreOffice as .xls (a BoolErr record).
    if common::soffice().is_none() {
        eprintln!("LibreOffice (soffice) not installed: .xls and .ods round trips skipped");
        return;
    }
    let xls = common::convert(&xlsx, "xls", &dir.path().join("xls"));
    logical_values_read(&common::run_rekap(&[xls], Some(YEAR)), "xls");
    // In .ods, a logical value typed in Calc is stored as ODF's boolean value
    // type (what LibreOffice writes for TRUE/FALSE typed in a cell, with a
    // boolean number style). LibreOffice's import of the .xlsx turns the
    // logical cells into =TRUE()/=FALSE() formulas instead; they are made
    // into the typed form here.
    let ods = common::convert(&xlsx, "ods", &dir.path().join("ods"));
    rewrite_entry(&ods, "content.xml", |mut xml| {
        for (formula, value, logical) in [("TRUE", "1", "true"), ("FALSE", "0", "false")] {
            let from = format!(
                "table:formula=\"of:={formula}()\" office:value-type=\"float\" office:value=\"{value}\" calcext:value-type=\"float\""
            );
            assert!(xml.contains(&from), "no {formula} cell in the .ods");
            xml = xml.replace(
                &from,
                &format!(
                    "office:value-type=\"boolean\" office:boolean-value=\"{logical}\" calcext:value-type=\"boolean\""
                ),
            );
        }
        xml
    });
    logical_values_read(&common::run_rekap(&[ods], Some(YEAR)), "ods");
}
