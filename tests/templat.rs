//! Integration tests of `monev templat`: the generated workbooks read back with
//! calamine (sheets, texts, dropdowns, identity, protection, print setup), the
//! command-line behaviour of the binary (files written, errors and exit codes),
//! the [`common::Filler`] used by later tests, and a LibreOffice round trip of an
//! empty and of a filled template (skipped with a printed reason when soffice is
//! not installed).

mod common;

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use calamine::{
    Data, DataType, Range, Reader, SheetVisible, Xlsx, open_workbook, open_workbook_auto,
};
use chrono::NaiveDate;
use monev::form::Form;
use monev::identity::{self, Identity};
use monev::roster::Unit;
use predicates::prelude::*;

use common::{
    Filler, a1, cell_format, cell_style, cell_text, convert, data_validations, elements, form,
    generate, pos, roster, serial_date, sheet_xml, soffice, sqref_covers, zip_text,
};

const YEAR: i32 = 2026;
const SHEETS: [&str; 5] = ["Petunjuk", "Tabel 1", "Tabel 2", "Tabel 3", "_monev"];
const DRIVE_1: &str = "https://drive.google.com/drive/folders/1AbC-apel_pagi?usp=sharing&x=1";
const DRIVE_2: &str = "https://drive.google.com/file/d/9ZyX-sk-slogan/view";

/// Generates one unit's template into a fresh folder.
fn one(code: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let files = generate(dir.path(), YEAR, &[code]);
    assert_eq!(files.len(), 1, "{files:?}");
    let path = files[0].clone();
    (dir, path)
}

fn unit(code: &str) -> Unit {
    roster().get(code).unwrap().clone()
}

fn xlsx(path: &Path) -> Xlsx<BufReader<File>> {
    open_workbook(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn sheet(wb: &mut Xlsx<BufReader<File>>, name: &str) -> Range<Data> {
    wb.worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"))
}

/// The identity a template of `unit` for [`YEAR`] must carry.
fn expected_identity(unit: &Unit, year: i32) -> Identity {
    Identity {
        code: Some(unit.code.clone()),
        name: Some(unit.name.clone()),
        year: Some(year),
        version: Some(form().version),
    }
}

/// The identity read from the `_monev` sheet (keys in A, values in B).
fn identity_from_sheet(range: &Range<Data>) -> Identity {
    let (top, _) = range.start().expect("_monev is empty");
    let (bottom, _) = range.end().unwrap();
    let rows: Vec<(String, String)> = (top..=bottom)
        .map(|r| (cell_text(range, &a1(r, 0)), cell_text(range, &a1(r, 1))))
        .collect();
    Identity::from_rows(rows.iter().map(|(k, v)| (k.as_str(), v.clone())))
}

/// The rows (0-based) of Tabel 1 holding the indicator texts, in the form's order.
fn indicator_rows(t1: &Range<Data>, form: &Form) -> Vec<u32> {
    let (_, last_row) = (0, t1.end().unwrap().0);
    form.table1
        .indicators
        .iter()
        .map(|text| {
            (0..=last_row)
                .find(|&r| cell_text(t1, &a1(r, 0)) == *text)
                .unwrap_or_else(|| panic!("indicator row not found: {text}"))
        })
        .collect()
}

/// The input rows under each indicator: the rows after the group row whose
/// column A holds a running number, up to the next group row.
fn input_blocks(t1: &Range<Data>, form: &Form) -> Vec<Vec<u32>> {
    indicator_rows(t1, form)
        .iter()
        .map(|&group| {
            (group + 1..)
                .take_while(|&r| cell_text(t1, &a1(r, 0)).parse::<u32>().is_ok())
                .collect()
        })
        .collect()
}

/// A date cell as a date, whether stored as a serial number (xlsx, xls) or as
/// an ISO date (ods).
fn cell_date(range: &Range<Data>, cell: &str) -> Option<NaiveDate> {
    match range.get_value(pos(cell))? {
        Data::DateTime(dt) if dt.is_datetime() => Some(serial_date(dt.as_f64())),
        Data::DateTimeIso(iso) => NaiveDate::parse_from_str(iso.get(..10)?, "%Y-%m-%d").ok(),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Files

#[test]
fn library_writes_one_file_per_roster_unit_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let files = generate(dir.path(), YEAR, &[]);
    let roster = roster();
    let expected: Vec<PathBuf> = roster
        .units()
        .iter()
        .map(|u| {
            dir.path()
                .join(format!("monev-budaya-kerja-{YEAR}-{}.xlsx", u.code))
        })
        .collect();
    assert_eq!(files, expected);
    let mut on_disk: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    on_disk.sort();
    let mut expected_sorted = expected.clone();
    expected_sorted.sort();
    assert_eq!(
        on_disk, expected_sorted,
        "stray files (temporaries?) in the output folder"
    );

    // Every file says which unit it belongs to.
    for (unit, path) in roster.units().iter().zip(&files) {
        let props = xlsx(path).workbook_properties().unwrap().custom_properties;
        assert_eq!(
            Identity::from_properties(&props),
            expected_identity(unit, YEAR),
            "{}",
            path.display()
        );
    }

    // Generating again over existing files is refused without --timpa and
    // replaces the untouched templates with it.
    let e = common::generate_with(dir.path(), YEAR, &[], false).unwrap_err();
    assert!(e.to_string().contains("sudah ada"), "{e}");
    assert_eq!(
        common::generate_with(dir.path(), YEAR, &[], true)
            .unwrap()
            .len(),
        roster.units().len()
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        roster.units().len()
    );
}

#[test]
fn sheets_are_in_order_and_the_identity_sheet_is_very_hidden() {
    let (_dir, path) = one("dinkes");
    let wb = xlsx(&path);
    let meta = wb.sheets_metadata();
    let names: Vec<&str> = meta.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, SHEETS);
    for s in &meta[..4] {
        assert_eq!(s.visible, SheetVisible::Visible, "{}", s.name);
    }
    assert_eq!(meta[4].visible, SheetVisible::VeryHidden);
}

// ---------------------------------------------------------------------------
// Contents

#[test]
fn tabel_1_has_the_regulations_columns_and_indicator_blocks() {
    let form = form();
    let unit = unit("dp3akb");
    let (_dir, path) = one(&unit.code);
    let mut wb = xlsx(&path);
    let t1 = sheet(&mut wb, "Tabel 1");

    assert_eq!(cell_text(&t1, "A1"), form.table1.title);
    let top: Vec<String> = ["A2", "A3"].iter().map(|c| cell_text(&t1, c)).collect();
    assert!(
        top.iter().any(|t| t.contains(&unit.name)),
        "OPD name not at the top: {top:?}"
    );
    assert!(
        top.iter().any(|t| t.contains(&YEAR.to_string())),
        "year not at the top: {top:?}"
    );

    let headers: Vec<String> = (0..7).map(|c| cell_text(&t1, &a1(4, c))).collect();
    assert_eq!(headers, form.table1.columns, "A5:G5");
    assert_eq!(cell_text(&t1, "H5"), "", "no eighth column");
    let numbering: Vec<String> = (0..7).map(|c| cell_text(&t1, &a1(5, c))).collect();
    assert_eq!(numbering, ["1", "2", "3", "4", "5", "6", "7"], "A6:G6");

    let groups = indicator_rows(&t1, &form);
    assert!(
        groups.windows(2).all(|w| w[0] < w[1]),
        "indicators out of order: {groups:?}"
    );
    assert!(groups[0] > 5, "first indicator above the numbering row");
    let merged = wb.merge_cells_by_sheet_name("Tabel 1").unwrap();
    for (group, block) in groups.iter().zip(input_blocks(&t1, &form)) {
        assert!(
            merged
                .iter()
                .any(|m| m.start == (*group, 0) && m.end == (*group, 6)),
            "indicator row {} is not merged across A:G",
            group + 1
        );
        assert!(
            block.len() >= 10,
            "only {} input rows under row {}",
            block.len(),
            group + 1
        );
        assert_eq!(block[0], group + 1);
        for &r in &block {
            for c in 1..7 {
                assert_eq!(cell_text(&t1, &a1(r, c)), "", "{} is not empty", a1(r, c));
            }
        }
    }

    // The regulation's notes follow the table, in order.
    let last = t1.end().unwrap().0;
    let mut from = *groups.last().unwrap();
    for note in &form.table1.notes {
        from = (from..=last)
            .find(|&r| cell_text(&t1, &a1(r, 0)) == *note)
            .unwrap_or_else(|| panic!("note missing or out of order: {note}"));
    }
}

#[test]
fn tabel_2_lists_the_eight_evidence_items() {
    let form = form();
    let unit = unit("dishub");
    let (_dir, path) = one(&unit.code);
    let mut wb = xlsx(&path);
    let t2 = sheet(&mut wb, "Tabel 2");
    let merged = wb.merge_cells_by_sheet_name("Tabel 2").unwrap();

    assert_eq!(cell_text(&t2, "A1"), form.table2.title);
    assert!(cell_text(&t2, "A2").contains(&unit.name));
    let headers: Vec<String> = (0..6).map(|c| cell_text(&t2, &a1(4, c))).collect();
    assert_eq!(headers, form.table2.columns, "A5:F5");

    let evidence: Vec<String> = (5..13).map(|r| cell_text(&t2, &a1(r, 2))).collect();
    let expected: Vec<String> = form
        .table2
        .indicators
        .iter()
        .flat_map(|i| [i.a.clone(), i.b.clone()])
        .collect();
    assert_eq!(evidence, expected, "C6:C13 (1a, 1b, ..., 4b)");
    assert_eq!(cell_text(&t2, "C14"), "", "more than eight evidence rows");

    for (i, ind) in form.table2.indicators.iter().enumerate() {
        let row = 5 + 2 * i as u32;
        assert_eq!(cell_text(&t2, &a1(row, 0)), (i + 1).to_string());
        assert_eq!(cell_text(&t2, &a1(row, 1)), ind.text);
        assert!(ind.a.starts_with("a. ") && ind.b.starts_with("b. "));
        for col in [0, 1] {
            assert!(
                merged
                    .iter()
                    .any(|m| m.start == (row, col) && m.end == (row + 1, col)),
                "{}:{} is not merged",
                a1(row, col),
                a1(row + 1, col)
            );
        }
        for r in [row, row + 1] {
            for c in 3..6 {
                assert_eq!(cell_text(&t2, &a1(r, c)), "", "{} is not empty", a1(r, c));
            }
        }
    }
}

#[test]
fn tabel_3_lists_the_seven_values() {
    let form = form();
    let (_dir, path) = one("setda");
    let mut wb = xlsx(&path);
    let t3 = sheet(&mut wb, "Tabel 3");
    assert_eq!(cell_text(&t3, "A1"), form.table3.title);
    let headers: Vec<String> = (0..4).map(|c| cell_text(&t3, &a1(2, c))).collect();
    assert_eq!(headers, form.table3.columns, "A3:D3");
    assert_eq!(form.table3.values.len(), 7);
    for (i, value) in form.table3.values.iter().enumerate() {
        let row = 3 + i as u32;
        assert_eq!(cell_text(&t3, &a1(row, 0)), format!("{}.", i + 1));
        assert_eq!(cell_text(&t3, &a1(row, 1)), value.name);
        let guide = cell_text(&t3, &a1(row, 2));
        let behaviour = cell_text(&t3, &a1(row, 3));
        for (n, item) in value.guide.iter().enumerate() {
            assert!(
                guide.contains(&format!("{}. {item}", n + 1)),
                "{}: {item}",
                value.name
            );
        }
        for (n, item) in value.behaviour.iter().enumerate() {
            assert!(
                behaviour.contains(&format!("{}. {item}", n + 1)),
                "{}: {item}",
                value.name
            );
        }
    }
    assert_eq!(cell_text(&t3, "A11"), "", "more than seven values");
}

#[test]
fn petunjuk_names_the_unit_the_year_and_the_deadline() {
    let form = form();
    let unit = unit("kec-curug");
    let (_dir, path) = one(&unit.code);
    let mut wb = xlsx(&path);
    let p = sheet(&mut wb, "Petunjuk");
    assert_eq!(cell_text(&p, "A1"), form.instructions.title);
    let text: Vec<String> = p
        .rows()
        .map(|r| r.iter().map(common::data_text).collect())
        .collect();
    let all = text.join("\n");
    assert!(all.contains(&format!(
        "Perangkat Daerah: {}. Tahun pelaporan: {YEAR}.",
        unit.name
    )));
    assert!(all.contains(&form.deadline_text(YEAR)), "deadline missing");
    assert!(
        !all.contains('{'),
        "unfilled placeholder in Petunjuk: {all}"
    );
}

// ---------------------------------------------------------------------------
// Dropdowns and input messages

#[test]
fn dropdowns_and_input_messages() {
    let form = form();
    let (_dir, path) = one("dinkes");
    let mut wb = xlsx(&path);
    let t1 = sheet(&mut wb, "Tabel 1");
    let blocks = input_blocks(&t1, &form);
    let input_rows: Vec<u32> = blocks.concat();
    let v1 = data_validations(&path, "Tabel 1");
    let covering = |vs: &[common::Validation], cell: &str| {
        let found: Vec<common::Validation> =
            vs.iter().filter(|v| v.covers(cell)).cloned().collect();
        assert_eq!(
            found.len(),
            1,
            "{cell}: expected exactly one validation, got {found:?}"
        );
        found.into_iter().next().unwrap()
    };

    // Kolom 4: the activation forms, but other text is allowed.
    let media = covering(&v1, "D8");
    assert_eq!(media.kind, "list");
    assert_eq!(media.list_items(), form.activation_labels());
    assert_ne!(
        media.error_style, "stop",
        "Bentuk/Media must accept other text"
    );

    // Kolom 2: a date in the year, with a warning only.
    let when = covering(&v1, "B8");
    assert_eq!(when.kind, "date");
    assert!(
        ["information", "warning"].contains(&when.error_style.as_str()),
        "{}",
        when.error_style
    );
    let jan1 = NaiveDate::from_ymd_opt(YEAR, 1, 1).unwrap();
    let dec31 = NaiveDate::from_ymd_opt(YEAR, 12, 31).unwrap();
    assert_eq!(serial_date(when.formula1.parse().unwrap()), jan1);
    assert_eq!(serial_date(when.formula2.parse().unwrap()), dec31);

    // Kolom 7: a prompt about Google Drive.
    let link = covering(&v1, "G8");
    assert!(link.prompt.contains("Google Drive"), "{}", link.prompt);

    // Each validation covers every input row of every block and nothing else.
    for (validation, col) in [(&when, 1), (&media, 3), (&link, 6)] {
        for r in 0..t1.end().unwrap().0 + 20 {
            assert_eq!(
                validation.covers(&a1(r, col)),
                input_rows.contains(&r),
                "{} coverage of {}",
                validation.sqref,
                a1(r, col)
            );
        }
    }
    for cell in ["C8", "E8", "F8", "A8"] {
        assert!(
            v1.iter().all(|v| !v.covers(cell)),
            "{cell} has a validation"
        );
    }

    // Tabel 2: Ketersediaan is strictly "Ada" / "Belum Ada".
    let v2 = data_validations(&path, "Tabel 2");
    for r in 6..=13 {
        let availability = covering(&v2, &format!("D{r}"));
        assert_eq!(availability.kind, "list");
        assert_eq!(availability.list_items(), ["Ada", "Belum Ada"]);
        assert_eq!(availability.list_items(), form.table2.availability);
        assert_eq!(availability.error_style, "stop");
        let link = covering(&v2, &format!("E{r}"));
        assert!(link.prompt.contains("Google Drive"), "{}", link.prompt);
    }
    assert!(v2.iter().all(|v| !v.covers("D5") && !v.covers("D14")));
}

// ---------------------------------------------------------------------------
// Identity

#[test]
fn identity_is_in_the_properties_and_in_the_hidden_sheet() {
    // dp3akb's name has commas; the year is not the default one.
    for (code, year) in [("dinkes", 2026), ("dp3akb", 2031)] {
        let dir = tempfile::tempdir().unwrap();
        let path = generate(dir.path(), year, &[code]).remove(0);
        let expected = expected_identity(&unit(code), year);
        let mut wb = xlsx(&path);

        let props = wb.workbook_properties().unwrap().custom_properties;
        assert_eq!(
            props.get(identity::PROP_CODE).map(String::as_str),
            Some(code)
        );
        assert_eq!(props.get(identity::PROP_NAME), expected.name.as_ref());
        assert_eq!(props.get(identity::PROP_YEAR), Some(&year.to_string()));
        assert_eq!(props.get(identity::PROP_VERSION), expected.version.as_ref());
        assert_eq!(Identity::from_properties(&props), expected);

        let rows = sheet(&mut wb, identity::SHEET);
        let keys: Vec<String> = (0..4).map(|r| cell_text(&rows, &a1(r, 0))).collect();
        assert_eq!(
            keys,
            [
                identity::KEY_CODE,
                identity::KEY_NAME,
                identity::KEY_YEAR,
                identity::KEY_VERSION
            ]
        );
        assert_eq!(cell_text(&rows, "B1"), code);
        assert_eq!(cell_text(&rows, "B3"), year.to_string());
        assert_eq!(identity_from_sheet(&rows), expected);
    }
}

// ---------------------------------------------------------------------------
// Protection, styles and print setup (read from the package XML)

/// The single element `name` of a sheet, as attributes.
fn one_element(xlsx: &Path, sheet: &str, name: &str) -> HashMap<String, String> {
    let mut found = elements(&sheet_xml(xlsx, sheet), name);
    assert_eq!(
        found.len(),
        1,
        "{sheet}: expected one <{name}>, got {found:?}"
    );
    found.remove(0)
}

/// True for an OOXML boolean attribute that is set ("1"/"true").
fn is_true(attrs: &HashMap<String, String>, key: &str) -> bool {
    matches!(attrs.get(key).map(String::as_str), Some("1" | "true"))
}

/// True for an OOXML boolean attribute that is cleared ("0"/"false").
fn is_false(attrs: &HashMap<String, String>, key: &str) -> bool {
    matches!(attrs.get(key).map(String::as_str), Some("0" | "false"))
}

#[test]
fn sheets_are_protected_but_rows_can_be_inserted_and_resized() {
    let (_dir, path) = one("dinkes");
    for name in SHEETS {
        let p = one_element(&path, name, "sheetProtection");
        assert!(is_true(&p, "sheet"), "{name} is not protected: {p:?}");
        assert!(
            !p.contains_key("password") && !p.contains_key("hashValue"),
            "{name}: password"
        );
    }
    // In <sheetProtection> each attribute names a protected action; "0" means
    // the action is allowed (rust_xlsxwriter writes only the allowed ones).
    for name in ["Petunjuk", "Tabel 1", "Tabel 2"] {
        let p = one_element(&path, name, "sheetProtection");
        for allowed in ["insertRows", "formatRows", "formatColumns"] {
            assert!(
                is_false(&p, allowed),
                "{name}: {allowed} is not allowed: {p:?}"
            );
        }
        // Selecting cells stays possible (these attributes prevent when set)...
        for select in ["selectLockedCells", "selectUnlockedCells"] {
            assert!(!is_true(&p, select), "{name}: {select} is prevented: {p:?}");
        }
        // ...and columns stay protected (these attributes allow when "0").
        for kept in ["insertColumns", "deleteColumns"] {
            assert!(
                !is_false(&p, kept),
                "{name}: {kept} unexpectedly allowed: {p:?}"
            );
        }
    }
}

#[test]
fn only_input_cells_are_unlocked() {
    let form = form();
    let (_dir, path) = one("dinkes");
    let locked =
        |sheet: &str, cell: &str| cell_format(&path, cell_style(&path, sheet, cell)).locked;
    let mut wb = xlsx(&path);
    let t1 = sheet(&mut wb, "Tabel 1");
    for block in input_blocks(&t1, &form) {
        for r in block {
            for c in 1..7 {
                assert!(
                    !locked("Tabel 1", &a1(r, c)),
                    "'Tabel 1'!{} is locked",
                    a1(r, c)
                );
            }
        }
    }
    for r in indicator_rows(&t1, &form) {
        assert!(
            locked("Tabel 1", &a1(r, 0)),
            "indicator row {} is unlocked",
            r + 1
        );
    }
    for cell in ["A1", "A2", "A5", "B5", "C5", "G5", "C6"] {
        assert!(locked("Tabel 1", cell), "'Tabel 1'!{cell} is unlocked");
    }
    // The date column shows dates as dd/mm/yyyy.
    let date_format = cell_format(&path, cell_style(&path, "Tabel 1", "B8"));
    assert_eq!(date_format.format_code.as_deref(), Some("dd/mm/yyyy"));
    assert_eq!(
        cell_format(&path, cell_style(&path, "Tabel 1", "C8")).format_code,
        None
    );

    for r in 6..=13 {
        for c in ["D", "E", "F"] {
            assert!(
                !locked("Tabel 2", &format!("{c}{r}")),
                "'Tabel 2'!{c}{r} is locked"
            );
        }
        for c in ["A", "B", "C"] {
            assert!(
                locked("Tabel 2", &format!("{c}{r}")),
                "'Tabel 2'!{c}{r} is unlocked"
            );
        }
    }
    for cell in ["A1", "A3"] {
        assert!(locked("Petunjuk", cell), "'Petunjuk'!{cell} is unlocked");
    }
    for cell in ["B4", "D10"] {
        assert!(locked("Tabel 3", cell), "'Tabel 3'!{cell} is unlocked");
    }
}

#[test]
fn print_setup_is_a4_one_page_wide_with_repeated_headers_and_page_numbers() {
    let (_dir, path) = one("dinkes");
    for name in &SHEETS[..4] {
        let setup = one_element(&path, name, "pageSetup");
        // The Petunjuk is a page of text (portrait); the tables are wide (landscape).
        let orientation = if *name == "Petunjuk" {
            "portrait"
        } else {
            "landscape"
        };
        assert_eq!(
            setup.get("orientation").map(String::as_str),
            Some(orientation),
            "{name}"
        );
        let xml = common::sheet_xml(&path, name);
        assert!(
            xml.contains("Halaman &amp;P dari &amp;N"),
            "{name}: footer with page numbers"
        );
        assert!(
            xml.contains("Dinas Kesehatan — 2026</oddHeader>"),
            "{name}: print title"
        );
        assert_eq!(
            setup.get("paperSize").map(String::as_str),
            Some("9"),
            "{name}: A4"
        );
        // fitToWidth defaults to 1 when absent; fitToHeight 0 means "as many pages as needed".
        assert_eq!(
            setup.get("fitToWidth").map_or("1", String::as_str),
            "1",
            "{name}"
        );
        assert_eq!(
            setup.get("fitToHeight").map(String::as_str),
            Some("0"),
            "{name}"
        );
        let fit = one_element(&path, name, "pageSetUpPr");
        assert!(is_true(&fit, "fitToPage"), "{name}: fit to page is off");
    }
    let workbook = zip_text(&path, "xl/workbook.xml").unwrap();
    let sheet_index = |name: &str| SHEETS.iter().position(|s| *s == name).unwrap().to_string();
    let titles: Vec<(String, String)> = common::elements_with_text(&workbook, "definedName")
        .into_iter()
        .filter(|(attrs, _)| attrs.get("name").map(String::as_str) == Some("_xlnm.Print_Titles"))
        .map(|(mut attrs, text)| (attrs.remove("localSheetId").unwrap_or_default(), text))
        .collect();
    assert!(
        titles.contains(&(sheet_index("Tabel 1"), "'Tabel 1'!$5:$6".to_string())),
        "{titles:?}"
    );
    assert!(
        titles.contains(&(sheet_index("Tabel 2"), "'Tabel 2'!$5:$5".to_string())),
        "{titles:?}"
    );
}

// ---------------------------------------------------------------------------
// The binary

fn monev(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("monev").unwrap();
    cmd.current_dir(dir);
    cmd
}

fn no_panic() -> impl Predicate<str> {
    predicate::str::contains("panicked").not()
}

/// The file names in a folder, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn binary_writes_every_unit_or_only_the_chosen_ones() {
    let dir = tempfile::tempdir().unwrap();
    let all = dir.path().join("semua");
    monev(dir.path())
        .args(["templat", "--tahun", "2026", "--keluaran"])
        .arg(&all)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "{} templat tahun 2026 ditulis",
            roster().units().len()
        )))
        .stderr(no_panic());
    let mut expected: Vec<String> = roster()
        .units()
        .iter()
        .map(|u| format!("monev-budaya-kerja-2026-{}.xlsx", u.code))
        .collect();
    expected.sort();
    assert_eq!(names_in(&all), expected);

    let some = dir.path().join("sebagian");
    monev(dir.path())
        .args([
            "templat", "--tahun", "2027", "--hanya", "dinkes", "dishub", "-o",
        ])
        .arg(&some)
        .assert()
        .success()
        .stderr(no_panic());
    assert_eq!(
        names_in(&some),
        [
            "monev-budaya-kerja-2027-dinkes.xlsx",
            "monev-budaya-kerja-2027-dishub.xlsx"
        ]
    );
    let props = xlsx(&some.join("monev-budaya-kerja-2027-dishub.xlsx"))
        .workbook_properties()
        .unwrap()
        .custom_properties;
    assert_eq!(
        Identity::from_properties(&props),
        expected_identity(&unit("dishub"), 2027)
    );

    // --senyap prints nothing on success.
    monev(dir.path())
        .args([
            "templat",
            "--tahun",
            "2026",
            "--senyap",
            "--hanya",
            "dlh",
            "--keluaran",
        ])
        .arg(dir.path().join("senyap"))
        .assert()
        .success()
        .stdout(predicate::str::is_empty());
}

#[test]
fn binary_reads_a_semicolon_roster() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("opd.csv");
    std::fs::write(
        &csv,
        "\u{feff}Kode;Nama;Email\r\nuji-a;Dinas Uji A;\r\nUJI-B;\"Badan Uji, Riset; dan Inovasi\";uji@contoh.go.id\r\nuji-c;Kecamatan Uji;\r\n",
    )
    .unwrap();
    let out = dir.path().join("keluaran");
    monev(dir.path())
        .args(["templat", "--tahun", "2026", "--opd"])
        .arg(&csv)
        .arg("--keluaran")
        .arg(&out)
        .assert()
        .success()
        .stderr(no_panic());
    assert_eq!(
        names_in(&out),
        [
            "monev-budaya-kerja-2026-uji-a.xlsx",
            "monev-budaya-kerja-2026-uji-b.xlsx",
            "monev-budaya-kerja-2026-uji-c.xlsx"
        ]
    );
    let path = out.join("monev-budaya-kerja-2026-uji-b.xlsx");
    let mut wb = xlsx(&path);
    let props = wb.workbook_properties().unwrap().custom_properties;
    assert_eq!(
        props.get(identity::PROP_NAME).map(String::as_str),
        Some("Badan Uji, Riset; dan Inovasi")
    );
    assert_eq!(
        props.get(identity::PROP_CODE).map(String::as_str),
        Some("uji-b")
    );
    let t1 = sheet(&mut wb, "Tabel 1");
    assert!(cell_text(&t1, "A2").contains("Badan Uji, Riset; dan Inovasi"));
}

/// Runs the binary expecting exit code 2 and returns its stderr.
fn fails(dir: &Path, args: &[&std::ffi::OsStr]) -> String {
    let output = monev(dir).args(args).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(stderr.starts_with("galat: "), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    assert!(output.stdout.is_empty(), "{args:?}: stdout not empty");
    stderr
}

fn os(args: &[&str]) -> Vec<std::ffi::OsString> {
    args.iter().map(Into::into).collect()
}

fn refs(args: &[std::ffi::OsString]) -> Vec<&std::ffi::OsStr> {
    args.iter().map(|a| a.as_os_str()).collect()
}

#[test]
fn binary_reports_bad_input_in_indonesian_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("keluaran");
    let out_arg = out.display().to_string();

    // A roster that does not exist.
    let missing = dir.path().join("tidak-ada.csv");
    let mut args = os(&["templat", "--keluaran", &out_arg, "--opd"]);
    args.push(missing.clone().into());
    let e = fails(dir.path(), &refs(&args));
    assert!(
        e.contains("tidak-ada.csv") && e.contains("tidak dapat dibaca"),
        "{e}"
    );

    // A roster with a duplicate code: the message names the file and both lines.
    let dup = dir.path().join("ganda.csv");
    std::fs::write(
        &dup,
        "kode,nama\ndinkes,Dinas Kesehatan\n\ndinkes,Dinas Lain\n",
    )
    .unwrap();
    let mut args = os(&["templat", "--keluaran", &out_arg, "--opd"]);
    args.push(dup.into());
    let e = fails(dir.path(), &refs(&args));
    assert!(e.contains("ganda.csv"), "{e}");
    assert!(
        e.contains("baris 4") && e.contains("baris 2") && e.contains("'dinkes'"),
        "{e}"
    );

    // An output folder below a regular file.
    let file = dir.path().join("berkas-biasa");
    std::fs::write(&file, "x").unwrap();
    let blocked = file.join("templat");
    let e = fails(
        dir.path(),
        &refs(&os(&[
            "templat",
            "--hanya",
            "dinkes",
            "--keluaran",
            &blocked.display().to_string(),
        ])),
    );
    assert!(
        e.contains("Folder keluaran") && e.contains("berkas-biasa"),
        "{e}"
    );

    // An unknown unit code lists the known ones.
    let e = fails(
        dir.path(),
        &refs(&os(&[
            "templat",
            "--keluaran",
            &out_arg,
            "--hanya",
            "dinkez",
        ])),
    );
    assert!(
        e.contains("'dinkez'") && e.contains("dinkes") && e.contains("kec-walantaka"),
        "{e}"
    );

    // An unknown flag, a year outside the supported range, a missing command.
    let e = fails(dir.path(), &refs(&os(&["templat", "--tahunn", "2026"])));
    assert!(
        e.contains("'--tahunn'") && e.contains("tidak dikenal"),
        "{e}"
    );
    assert!(e.contains("monev --bantuan"), "{e}");
    let e = fails(
        dir.path(),
        &refs(&os(&["templat", "--tahun", "1999", "--keluaran", &out_arg])),
    );
    assert!(e.contains("1999") && e.contains("tidak sah"), "{e}");
    let e = fails(dir.path(), &refs(&os(&[])));
    assert!(e.contains("perintah belum disebut"), "{e}");
    let e = fails(dir.path(), &refs(&os(&["rekapp"])));
    assert!(e.contains("tidak dikenal"), "{e}");

    assert!(!out.exists(), "a failed run created the output folder");
}

#[test]
fn binary_help_is_indonesian() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["--bantuan"][..],
        &["--help"],
        &["-h"],
        &["templat", "--bantuan"],
        &["templat", "--help"],
    ] {
        monev(dir.path())
            .args(args)
            .assert()
            .code(0)
            .stdout(predicate::str::contains("Penggunaan"))
            .stderr(no_panic());
    }
    monev(dir.path())
        .args(["templat", "--bantuan"])
        .assert()
        .stdout(predicate::str::contains("--hanya").and(predicate::str::contains("--keluaran")));
}

// ---------------------------------------------------------------------------
// Filler

/// Every zip entry name with its bytes.
fn entries(path: &Path) -> HashMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut e = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut e, &mut data).unwrap();
            (e.name().unwrap().into_owned(), data)
        })
        .collect()
}

#[test]
fn filler_writes_what_a_reader_sees() {
    let (dir, path) = one("dinkes");
    let filled = dir.path().join("terisi.xlsx");
    let date = NaiveDate::from_ymd_opt(YEAR, 8, 17).unwrap();
    let tricky = "Apel pagi \"BerAKHLAK\" & <nilai> 'ASN'\nbaris kedua  ";
    let style_c8 = cell_style(&path, "Tabel 1", "C8");

    Filler::open(&path)
        .date("Tabel 1", "B8", date)
        .text("Tabel 1", "C8", tricky)
        .text("Tabel 1", "D8", "Apel Pagi")
        .hyperlink("Tabel 1", "G8", "https://drive.google.com/lama", "lama")
        .hyperlink("Tabel 1", "G8", DRIVE_1, "Foto apel")
        .hyperlink("Tabel 1", "G24", DRIVE_2, "SK")
        .formula_link("Tabel 1", "G9", DRIVE_2, "Dokumen rapat")
        .text("Tabel 1", "C9", "akan dihapus")
        .clear("Tabel 1", "C9")
        .number("Tabel 1", "H8", 42.5)
        .text("Tabel 1", "B4", "baris sisipan")
        .text("Tabel 1", "C200", "baris baru")
        .text("Tabel 2", "D6", "Ada")
        .hyperlink("Tabel 2", "E6", DRIVE_2, "SK slogan")
        .hyperlink("Tabel 2", "E7", DRIVE_1, "dihapus")
        .clear("Tabel 2", "E7")
        .save(&filled);

    let mut wb = xlsx(&filled);
    let t1 = sheet(&mut wb, "Tabel 1");
    assert_eq!(cell_text(&t1, "C8"), tricky);
    assert_eq!(cell_text(&t1, "D8"), "Apel Pagi");
    let b8 = t1.get_value(pos("B8")).unwrap();
    assert!(b8.is_datetime(), "B8 is not a date: {b8:?}");
    assert_eq!(cell_date(&t1, "B8"), Some(date));
    assert_eq!(cell_text(&t1, "G8"), "Foto apel");
    assert_eq!(cell_text(&t1, "G9"), "Dokumen rapat");
    assert_eq!(cell_text(&t1, "C9"), "");
    assert_eq!(t1.get_value(pos("H8")), Some(&Data::Float(42.5)));
    assert_eq!(cell_text(&t1, "B4"), "baris sisipan");
    assert_eq!(cell_text(&t1, "C200"), "baris baru");
    // The untouched template text is still there.
    assert_eq!(cell_text(&t1, "A1"), form().table1.title);
    assert_eq!(cell_text(&t1, "C5"), form().table1.columns[2]);

    let links = wb.hyperlinks_by_sheet_name("Tabel 1").unwrap();
    let targets: Vec<(String, Option<&str>)> = links
        .iter()
        .map(|h| (a1(h.range.start.0, h.range.start.1), h.target.as_deref()))
        .collect();
    assert_eq!(
        targets,
        [
            ("G8".to_string(), Some(DRIVE_1)),
            ("G24".to_string(), Some(DRIVE_2))
        ]
    );
    let formulas = wb.worksheet_formula("Tabel 1").unwrap();
    assert_eq!(
        formulas.get_value(pos("G9")).map(String::as_str),
        Some(format!("HYPERLINK(\"{DRIVE_2}\",\"Dokumen rapat\")").as_str())
    );

    let t2 = sheet(&mut wb, "Tabel 2");
    assert_eq!(cell_text(&t2, "D6"), "Ada");
    assert_eq!(cell_text(&t2, "E6"), "SK slogan");
    assert_eq!(cell_text(&t2, "E7"), "");
    let links = wb.hyperlinks_by_sheet_name("Tabel 2").unwrap();
    assert_eq!(links.len(), 1, "{links:?}");
    assert!(links[0].contains(5, 4) && links[0].target.as_deref() == Some(DRIVE_2));

    // Styles are kept; <hyperlinks> sits where the schema wants it.
    assert_eq!(cell_style(&filled, "Tabel 1", "C8"), style_c8);
    let xml = sheet_xml(&filled, "Tabel 1");
    let at = |needle: &str| {
        xml.find(needle)
            .unwrap_or_else(|| panic!("{needle} missing"))
    };
    assert!(at("</dataValidations>") < at("<hyperlinks>"));
    assert!(at("</hyperlinks>") < at("<pageMargins"));
    assert_eq!(
        data_validations(&filled, "Tabel 1"),
        data_validations(&path, "Tabel 1")
    );

    // Everything else in the package is copied unchanged.
    let before = entries(&path);
    let after = entries(&filled);
    let changed: Vec<&String> = {
        let mut c: Vec<&String> = after
            .iter()
            .filter(|(name, data)| before.get(*name) != Some(data))
            .map(|(name, _)| name)
            .collect();
        c.sort();
        c
    };
    assert_eq!(
        changed,
        [
            "xl/worksheets/_rels/sheet2.xml.rels",
            "xl/worksheets/_rels/sheet3.xml.rels",
            "xl/worksheets/sheet2.xml",
            "xl/worksheets/sheet3.xml"
        ]
    );
    assert!(before.keys().all(|k| after.contains_key(k)));
}

#[test]
fn filler_can_overwrite_its_source_and_fill_an_empty_sheet() {
    let (_dir, path) = one("dinkes");
    Filler::open(&path)
        .text("Tabel 3", "F20", "catatan")
        .save(&path);
    Filler::open(&path)
        .number("Tabel 3", "F20", 7.0)
        .save(&path);
    let mut wb = xlsx(&path);
    let t3 = sheet(&mut wb, "Tabel 3");
    assert_eq!(t3.get_value(pos("F20")), Some(&Data::Float(7.0)));
    assert_eq!(cell_text(&t3, "B4"), form().table3.values[0].name);
}

#[test]
fn cell_references_convert_both_ways() {
    for (a, p) in [
        ("A1", (0, 0)),
        ("C8", (7, 2)),
        ("$G$5", (4, 6)),
        ("Z1", (0, 25)),
        ("AA10", (9, 26)),
        ("XFD3", (2, 16383)),
    ] {
        assert_eq!(pos(a), p, "{a}");
        assert_eq!(a1(p.0, p.1), a.replace('$', ""));
    }
    assert!(sqref_covers("B8:B22 B24:B38", "B30"));
    assert!(!sqref_covers("B8:B22 B24:B38", "B23"));
    assert!(sqref_covers("D6", "D6") && !sqref_covers("D6", "D7"));
}

#[test]
fn validations_are_read_in_plain_and_extension_list_form() {
    let xml = r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData/>
<dataValidations count="2"><dataValidation type="list" allowBlank="1" prompt="Pilih &quot;Ada&quot;" sqref="D6:D13"><formula1>&quot;Ada,Belum Ada&quot;</formula1></dataValidation><dataValidation showInputMessage="1" prompt="Tautan Google Drive" sqref="E6:E13"/></dataValidations>
<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}"><x14:dataValidations count="1"><x14:dataValidation type="list" errorStyle="warning" prompt="Daftar"><x14:formula1><xm:f>Daftar!$A$1:$A$9</xm:f></x14:formula1><xm:sqref>D8:D22 D24:D38</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst></worksheet>"#;
    let v = common::parse_validations(xml);
    assert_eq!(v.len(), 3, "{v:?}");
    assert_eq!(v[0].list_items(), ["Ada", "Belum Ada"]);
    assert_eq!(
        (v[0].kind.as_str(), v[0].error_style.as_str()),
        ("list", "stop")
    );
    assert_eq!(v[0].prompt, "Pilih \"Ada\"");
    assert_eq!(
        (v[1].kind.as_str(), v[1].sqref.as_str()),
        ("none", "E6:E13")
    );
    assert_eq!(v[2].sqref, "D8:D22 D24:D38");
    assert_eq!(v[2].formula1, "Daftar!$A$1:$A$9");
    assert_eq!(v[2].error_style, "warning");
    assert!(v[2].covers("D30") && !v[2].covers("D23"));
    assert!(v[2].list_items().is_empty());
}

// ---------------------------------------------------------------------------
// LibreOffice round trips

#[test]
fn libreoffice_keeps_identity_headers_and_dropdowns() {
    if soffice().is_none() {
        return;
    }
    let form = form();
    let unit = unit("dinkes");
    let (dir, src) = one(&unit.code);
    let expected = expected_identity(&unit, YEAR);
    let converted: Vec<(&str, PathBuf)> = std::thread::scope(|s| {
        let handles = ["xlsx", "xls", "ods"].map(|to| {
            let (src, out) = (&src, dir.path().join(format!("lo-{to}")));
            s.spawn(move || (to, convert(src, to, &out)))
        });
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });

    for (format, path) in &converted {
        let mut wb = open_workbook_auto(path).unwrap_or_else(|e| panic!("{format}: {e}"));
        let meta = wb.sheets_metadata().to_vec();
        let names: Vec<&str> = meta.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, SHEETS, "{format}");
        assert_ne!(
            meta[4].visible,
            SheetVisible::Visible,
            "{format}: _monev became visible"
        );
        for s in &meta[..4] {
            assert_eq!(s.visible, SheetVisible::Visible, "{format}: {}", s.name);
        }

        let rows = wb.worksheet_range(identity::SHEET).unwrap();
        assert_eq!(
            identity_from_sheet(&rows),
            expected,
            "{format}: _monev sheet"
        );

        // Custom properties: LibreOffice keeps them in xlsx and ods, and calamine
        // 0.38 reads the user-defined properties of xls too.
        let props = wb.workbook_properties().unwrap().custom_properties;
        assert_eq!(
            Identity::from_properties(&props),
            expected,
            "{format}: properties {props:?}"
        );

        let t1 = wb.worksheet_range("Tabel 1").unwrap();
        let headers: Vec<String> = (0..7).map(|c| cell_text(&t1, &a1(4, c))).collect();
        assert_eq!(headers, form.table1.columns, "{format}: Tabel 1 headers");
        assert_eq!(indicator_rows(&t1, &form).len(), 4, "{format}");
        let t2 = wb.worksheet_range("Tabel 2").unwrap();
        assert_eq!(
            cell_text(&t2, "C13"),
            form.table2.indicators[3].b,
            "{format}"
        );
    }

    // The xlsx LibreOffice writes still has the dropdowns and their error styles.
    let (_, lo_xlsx) = converted.iter().find(|(f, _)| *f == "xlsx").unwrap();
    let v1 = data_validations(lo_xlsx, "Tabel 1");
    let media = v1
        .iter()
        .find(|v| v.covers("D8"))
        .expect("Tabel 1 D8 dropdown lost");
    assert_eq!(media.list_items(), form.activation_labels());
    assert_ne!(media.error_style, "stop");
    let when = v1
        .iter()
        .find(|v| v.covers("B8"))
        .expect("Tabel 1 B8 date rule lost");
    assert_eq!(when.kind, "date");
    let v2 = data_validations(lo_xlsx, "Tabel 2");
    let availability = v2
        .iter()
        .find(|v| v.covers("D13"))
        .expect("Ketersediaan lost");
    assert_eq!(availability.list_items(), ["Ada", "Belum Ada"]);
    assert_eq!(availability.error_style, "stop");
    assert!(
        v2.iter()
            .any(|v| v.covers("E6") && v.prompt.contains("Google Drive"))
    );
    let p = one_element(lo_xlsx, "Tabel 1", "sheetProtection");
    assert!(is_true(&p, "sheet") && is_false(&p, "insertRows"), "{p:?}");

    // The Filler also works on LibreOffice's xlsx.
    let refilled = dir.path().join("lo-terisi.xlsx");
    Filler::open(lo_xlsx)
        .text("Tabel 1", "C8", "Apel pagi")
        .hyperlink("Tabel 1", "G8", DRIVE_1, "Foto")
        .save(&refilled);
    let mut wb = xlsx(&refilled);
    let t1 = sheet(&mut wb, "Tabel 1");
    assert_eq!(cell_text(&t1, "C8"), "Apel pagi");
    let links = wb.hyperlinks_by_sheet_name("Tabel 1").unwrap();
    assert!(
        links
            .iter()
            .any(|h| h.contains(7, 6) && h.target.as_deref() == Some(DRIVE_1))
    );
}

#[test]
fn libreoffice_keeps_what_a_person_filled_in() {
    if soffice().is_none() {
        return;
    }
    let unit = unit("dishub");
    let (dir, src) = one(&unit.code);
    let filled = dir.path().join("terisi.xlsx");
    let date = NaiveDate::from_ymd_opt(YEAR, 8, 17).unwrap();
    let activity = "Apel pagi & penguatan nilai <BerAKHLAK>";
    Filler::open(&src)
        .date("Tabel 1", "B8", date)
        .text("Tabel 1", "C8", activity)
        .text("Tabel 1", "D8", "Apel Pagi")
        .hyperlink("Tabel 1", "G8", DRIVE_1, "Foto apel")
        .text("Tabel 2", "D6", "Ada")
        .hyperlink("Tabel 2", "E6", DRIVE_2, "SK slogan")
        .save(&filled);

    let converted: Vec<(&str, PathBuf)> = std::thread::scope(|s| {
        let handles = ["xlsx", "ods"].map(|to| {
            let (filled, out) = (&filled, dir.path().join(format!("lo-{to}")));
            s.spawn(move || (to, convert(filled, to, &out)))
        });
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });

    for (format, path) in &converted {
        let mut wb = open_workbook_auto(path).unwrap();
        let t1 = wb.worksheet_range("Tabel 1").unwrap();
        assert_eq!(cell_text(&t1, "C8"), activity, "{format}");
        assert_eq!(cell_text(&t1, "D8"), "Apel Pagi", "{format}");
        assert_eq!(
            cell_date(&t1, "B8"),
            Some(date),
            "{format}: {:?}",
            t1.get_value(pos("B8"))
        );
        assert_eq!(cell_text(&t1, "G8"), "Foto apel", "{format}");
        let t2 = wb.worksheet_range("Tabel 2").unwrap();
        assert_eq!(cell_text(&t2, "D6"), "Ada", "{format}");
        assert_eq!(cell_text(&t2, "E6"), "SK slogan", "{format}");
        let props = wb.workbook_properties().unwrap().custom_properties;
        assert_eq!(
            Identity::from_properties(&props),
            expected_identity(&unit, YEAR),
            "{format}"
        );
    }

    // Hyperlink targets: calamine reads them from xlsx only (not from ods).
    let (_, lo_xlsx) = converted.iter().find(|(f, _)| *f == "xlsx").unwrap();
    let mut wb = xlsx(lo_xlsx);
    let links = wb.hyperlinks_by_sheet_name("Tabel 1").unwrap();
    assert!(
        links
            .iter()
            .any(|h| h.contains(7, 6) && h.target.as_deref() == Some(DRIVE_1)),
        "{links:?}"
    );
    let links = wb.hyperlinks_by_sheet_name("Tabel 2").unwrap();
    assert!(
        links
            .iter()
            .any(|h| h.contains(5, 4) && h.target.as_deref() == Some(DRIVE_2)),
        "{links:?}"
    );
}

#[test]
fn a_spreadsheet_roster_and_a_custom_form_override_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    // An .xlsx roster as the city team would keep it, header on the first row.
    let roster = dir.path().join("opd.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in [
        ["Kode", "Nama", "Email"],
        ["dinkes", "Dinas Kesehatan", "dinkes@serangkota.go.id"],
        ["RSUD", "RSUD dr. Drajat Prawiranegara", ""],
    ]
    .iter()
    .enumerate()
    {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save(&roster).unwrap();
    // A custom form: same shape, another title.
    let form = dir.path().join("formulir.toml");
    let text = monev::form::DEFAULT_FORM.replace(
        "title = \"Tabel 1 Formulir Laporan Monitoring dan Evaluasi\"",
        "title = \"Tabel 1 Formulir Laporan Monitoring dan Evaluasi (Uji)\"",
    );
    std::fs::write(&form, text).unwrap();
    let out = dir.path().join("t");
    monev(dir.path())
        .args(["templat", "-q", "--tahun", "2026", "--opd"])
        .arg(&roster)
        .arg("--formulir")
        .arg(&form)
        .arg("--keluaran")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(
        names_in(&out),
        vec![
            "monev-budaya-kerja-2026-dinkes.xlsx",
            "monev-budaya-kerja-2026-rsud.xlsx"
        ]
    );
    let mut book = xlsx(&out.join("monev-budaya-kerja-2026-rsud.xlsx"));
    let t1 = sheet(&mut book, "Tabel 1");
    assert_eq!(
        cell_text(&t1, "A1"),
        "Tabel 1 Formulir Laporan Monitoring dan Evaluasi (Uji)"
    );
    assert_eq!(
        cell_text(&t1, "A2"),
        "Perangkat Daerah: RSUD dr. Drajat Prawiranegara"
    );

    // A duplicate in a spreadsheet roster names the worksheet row.
    let bad = dir.path().join("ganda.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in [
        ["kode", "nama"],
        ["dlh", "Dinas Lingkungan Hidup"],
        ["dlh", "Dinas Lain"],
    ]
    .iter()
    .enumerate()
    {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save(&bad).unwrap();
    let stderr = fails(
        dir.path(),
        &refs(
            &[
                os(&["templat", "--opd"]),
                vec![bad.clone().into_os_string()],
            ]
            .concat(),
        ),
    );
    assert!(
        stderr.contains("baris 3: kode 'dlh' sudah dipakai pada baris 2."),
        "{stderr}"
    );
    // A broken form definition is refused with its reason.
    std::fs::write(&form, "version = ").unwrap();
    let stderr = fails(
        dir.path(),
        &refs(
            &[
                os(&["templat", "--formulir"]),
                vec![form.clone().into_os_string()],
            ]
            .concat(),
        ),
    );
    assert!(
        stderr.contains("Berkas formulir") && stderr.contains("tidak sah"),
        "{stderr}"
    );
}
