//! What monev's patches to its vendored dependencies must keep true
//! (`vendor/*/MONEV-PATCHES.md`): the patched code gives the same answers as
//! the unpatched code, only faster.

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook};

/// The `s` (style index) attribute of every `<c>` in a sheet's XML, in order.
fn cell_styles(xlsx: &[u8], sheet: &str) -> Vec<(String, u32)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(xlsx)).expect("zip");
    let mut xml = String::new();
    zip.by_name(sheet)
        .expect("sheet part")
        .read_to_string(&mut xml)
        .expect("utf-8");
    let cell = regex::Regex::new(r#"<c r="([A-Z]+[0-9]+)"(?: s="([0-9]+)")?"#).unwrap();
    cell.captures_iter(&xml)
        .map(|c| {
            let s = c.get(2).map_or(0, |m| m.as_str().parse().unwrap());
            (c[1].to_string(), s)
        })
        .collect()
}

/// rust_xlsxwriter patch `format-index-cache`: formats made one after another
/// in a loop usually sit at the same address; each must still get its own
/// style, and an equal format the same one.
#[test]
fn formats_built_at_a_reused_address_keep_their_own_styles() {
    let codes = ["0.0", "0.00", "0.000", "0.0", "dd/mm/yyyy"];
    for constant_memory in [false, true] {
        let mut wb = Workbook::new();
        let ws = if constant_memory {
            wb.add_worksheet_with_constant_memory().unwrap()
        } else {
            wb.add_worksheet()
        };
        for (row, code) in codes.iter().enumerate() {
            let format = Format::new().set_num_format(*code);
            ws.write_number_with_format(row as u32, 0, 1.5, &format)
                .unwrap();
            ws.write_number_with_format(row as u32, 1, 2.5, &format)
                .unwrap();
        }
        let bytes = wb.save_to_buffer().unwrap();
        let styles = cell_styles(&bytes, "xl/worksheets/sheet1.xml");
        assert_eq!(styles.len(), 10, "{styles:?}");
        let of = |r: usize| styles[2 * r].1;
        for r in 0..codes.len() {
            assert_eq!(styles[2 * r].1, styles[2 * r + 1].1, "one row, one format");
            for q in 0..codes.len() {
                assert_eq!(
                    of(r) == of(q),
                    codes[r] == codes[q],
                    "rows {r} and {q} ({} and {}), constant memory {constant_memory}: {styles:?}",
                    codes[r],
                    codes[q]
                );
            }
        }
    }
}

/// calamine patch `values-only`: a workbook opened for its values reads the
/// same cells (dates still dates) and the same custom properties as the full
/// reader.
#[test]
fn the_values_only_reader_reads_what_the_full_reader_reads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.xlsx");
    let mut wb = Workbook::new();
    wb.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_company("Pemerintah Kota Serang")
            .set_custom_property("monev_opd", "dinkes"),
    );
    let ws = wb.add_worksheet();
    ws.set_name("Tabel 1").unwrap();
    let date = Format::new()
        .set_num_format("dd/mm/yyyy")
        .set_bold()
        .set_background_color("#FFFF00");
    let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 21).unwrap();
    ws.write_date_with_format(0, 0, day, &date).unwrap();
    ws.write_string(0, 1, "Apel pagi").unwrap();
    ws.write_number(0, 2, 3.0).unwrap();
    wb.save(&path).unwrap();
    let bytes = std::fs::read(&path).unwrap();

    let mut full = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    let mut lean = Xlsx::new_values_only(Cursor::new(bytes)).unwrap();
    let a = full.worksheet_range("Tabel 1").unwrap();
    let b = lean.worksheet_range("Tabel 1").unwrap();
    assert_eq!(a, b);
    assert!(
        matches!(b.get_value((0, 0)), Some(Data::DateTime(_))),
        "a date cell stays a date: {:?}",
        b.get_value((0, 0))
    );
    let (pa, pb) = (
        full.workbook_properties().unwrap(),
        lean.workbook_properties().unwrap(),
    );
    assert_eq!(pa.custom_properties, pb.custom_properties);
    assert_eq!(
        pb.custom_properties.get("monev_opd").map(String::as_str),
        Some("dinkes")
    );
    assert_eq!(pa.modified, pb.modified);
}
