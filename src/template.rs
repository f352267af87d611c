//! `monev templat`: one Excel workbook per OPD, built from the form definition.
//!
//! Each workbook has the sheets Petunjuk, Tabel 1, Tabel 2, Tabel 3 and the very
//! hidden `_monev`. Sheets are protected without a password; only input cells are
//! unlocked. Users may still resize columns and rows everywhere, and insert rows
//! on Petunjuk, Tabel 1 and Tabel 2 (Tabel 3 is a read-only reference). The layout constants below
//! are what the template writes; the reader (`ingest`) does not rely on them and
//! finds sheets, headers and indicator rows by their text instead, because users
//! rename, insert and move things.

use std::path::PathBuf;

use rayon::prelude::*;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime,
    Format, FormatAlign, FormatBorder, ProtectionOptions, Workbook, Worksheet, XlsxError,
};

use crate::error::{Error, Result};
use crate::form::{Form, INDICATORS};
use crate::identity;
use crate::roster::Unit;

/// Tabel 1: 0-based row of the column headers.
pub const T1_HEADER_ROW: u32 = 4;
/// Tabel 1: 0-based row of the first indicator group row.
pub const T1_FIRST_GROUP_ROW: u32 = 6;
/// Tabel 1: empty input rows under each indicator.
pub const T1_INPUT_ROWS: u32 = 15;
/// Tabel 2: 0-based row of the column headers.
pub const T2_HEADER_ROW: u32 = 4;
/// The application name written into document properties.
pub const APP: &str = concat!("monev ", env!("CARGO_PKG_VERSION"));

/// The file name of an OPD's template.
///
/// ```
/// assert_eq!(monev::template::file_name(2026, "dinkes"), "monev-budaya-kerja-2026-dinkes.xlsx");
/// ```
pub fn file_name(year: i32, code: &str) -> String {
    format!("monev-budaya-kerja-{year}-{code}.xlsx")
}

/// Builds one OPD's workbook in memory.
pub fn build(form: &Form, unit: &Unit, year: i32) -> Result<Vec<u8>> {
    let name = file_name(year, &unit.code);
    build_inner(form, unit, year).map_err(|e| Error::Workbook {
        name,
        reason: e.to_string(),
    })
}

fn build_inner(form: &Form, unit: &Unit, year: i32) -> Result<Vec<u8>, XlsxError> {
    workbook(form, unit, year, &properties(form, unit, year))?.save_to_buffer()
}

/// The document properties of `unit`'s template: title, author, and the
/// identity custom properties ([`identity`]). `monev contoh` adds to them.
pub(crate) fn properties(form: &Form, unit: &Unit, year: i32) -> DocProperties {
    DocProperties::new()
        .set_title(format!("{} — {} — {year}", form.table1.title, unit.name))
        .set_subject(format!(
            "Monitoring dan evaluasi penerapan Budaya Kerja BerAKHLAK {year}"
        ))
        .set_author(&form.regulation.city_team)
        .set_company(&form.regulation.government)
        .set_comment(format!(
            "Dibuat oleh {APP} berdasarkan {}.",
            form.regulation.name
        ))
        .set_custom_property(identity::PROP_CODE, unit.code.as_str())
        .set_custom_property(identity::PROP_NAME, unit.name.as_str())
        .set_custom_property(identity::PROP_YEAR, year)
        .set_custom_property(identity::PROP_VERSION, form.version.as_str())
}

/// `unit`'s template as an unsaved workbook with `props`; sheets in the order
/// Petunjuk, Tabel 1, Tabel 2, Tabel 3, `_monev` (indices 0..=4), so a caller
/// can fill input cells before saving (`monev contoh`).
pub(crate) fn workbook(
    form: &Form,
    unit: &Unit,
    year: i32,
    props: &DocProperties,
) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let st = Styles::new();
    wb.set_properties(props);
    write_instructions(wb.add_worksheet(), form, unit, year, &st)?;
    write_table1(wb.add_worksheet(), form, unit, year, &st)?;
    write_table2(wb.add_worksheet(), form, unit, year, &st)?;
    write_table3(wb.add_worksheet(), form, &st)?;
    write_identity(wb.add_worksheet(), form, unit, year)?;
    Ok(wb)
}

/// The formats the template uses.
struct Styles {
    title: Format,
    subtitle: Format,
    header: Format,
    numbering: Format,
    group: Format,
    input: Format,
    input_date: Format,
    text: Format,
    wrap: Format,
    bold: Format,
}

impl Styles {
    fn new() -> Styles {
        let boxed = Format::new()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::Top);
        let input = boxed.clone().set_unlocked();
        Styles {
            title: Format::new().set_bold().set_font_size(13),
            subtitle: Format::new().set_bold(),
            header: boxed
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color("#D9E1F2"),
            numbering: boxed
                .clone()
                .set_italic()
                .set_align(FormatAlign::Center)
                .set_background_color("#F2F2F2"),
            group: boxed.clone().set_bold().set_background_color("#FFF2CC"),
            input_date: input.clone().set_num_format("dd/mm/yyyy"),
            input,
            text: boxed,
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            bold: Format::new().set_bold(),
        }
    }
}

/// Protection that keeps the form intact but lets users resize and insert rows.
fn protection() -> ProtectionOptions {
    ProtectionOptions {
        format_columns: true,
        format_rows: true,
        insert_rows: true,
        delete_rows: true,
        ..ProtectionOptions::new()
    }
}

/// The three title rows every form sheet starts with.
fn write_heading(
    ws: &mut Worksheet,
    title: &str,
    unit: &Unit,
    year: i32,
    last_col: u16,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.merge_range(0, 0, 0, last_col, title, &st.title)?;
    ws.merge_range(
        1,
        0,
        1,
        last_col,
        &format!("Perangkat Daerah: {}", unit.name),
        &st.subtitle,
    )?;
    ws.merge_range(2, 0, 2, last_col, &format!("Tahun: {year}"), &st.subtitle)?;
    Ok(())
}

fn write_instructions(
    ws: &mut Worksheet,
    form: &Form,
    unit: &Unit,
    year: i32,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(&form.instructions.sheet)?;
    ws.set_column_width(0, 120)?;
    ws.write_string_with_format(0, 0, &form.instructions.title, &st.title)?;
    let mut row = 2;
    for line in &form.instructions.lines {
        ws.write_string_with_format(row, 0, form.fill(line, &unit.name, year), &st.wrap)?;
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(
        row,
        0,
        format!("{} (Tabel 1)", form.table1.notes_title),
        &st.bold,
    )?;
    for note in &form.table1.notes {
        row += 1;
        ws.write_string_with_format(row, 0, note, &st.wrap)?;
    }
    ws.set_active(true);
    ws.protect_with_options(&protection());
    crate::print::a4_landscape(ws);
    Ok(())
}

fn write_table1(
    ws: &mut Worksheet,
    form: &Form,
    unit: &Unit,
    year: i32,
    st: &Styles,
) -> Result<(), XlsxError> {
    let t1 = &form.table1;
    ws.set_name(&t1.sheet)?;
    crate::print::column_widths(ws, &[5.0, 18.0, 36.0, 26.0, 26.0, 26.0, 36.0])?;
    write_heading(ws, &t1.title, unit, year, 6, st)?;
    ws.set_row_height(T1_HEADER_ROW, 32)?;
    for (col, header) in t1.columns.iter().enumerate() {
        ws.write_string_with_format(T1_HEADER_ROW, col as u16, header, &st.header)?;
        ws.write_number_with_format(
            T1_HEADER_ROW + 1,
            col as u16,
            (col + 1) as f64,
            &st.numbering,
        )?;
    }

    let mut row = T1_FIRST_GROUP_ROW;
    let mut blocks = Vec::new();
    for indicator in &t1.indicators {
        ws.merge_range(row, 0, row, 6, indicator, &st.group)?;
        let (first, last) = (row + 1, row + T1_INPUT_ROWS);
        for r in first..=last {
            ws.write_number_with_format(r, 0, f64::from(r - first + 1), &st.input)?;
            ws.write_blank(r, 1, &st.input_date)?;
            for col in 2..=6 {
                ws.write_blank(r, col, &st.input)?;
            }
        }
        blocks.push((first, last));
        row = last + 1;
    }
    add_table1_validations(ws, form, year, &blocks)?;

    // Signature block, as printed under Tabel 1 in the regulation.
    row += 1;
    ws.merge_range(row, 4, row, 6, &t1.signature_place, &Format::new())?;
    ws.merge_range(row + 1, 4, row + 2, 6, &t1.signature_role, &st.wrap)?;
    ws.merge_range(row + 6, 4, row + 6, 6, &t1.signature_name, &Format::new())?;
    row += 8;
    ws.write_string_with_format(row, 0, &t1.notes_title, &st.bold)?;
    for note in &t1.notes {
        row += 1;
        ws.merge_range(row, 0, row, 6, note, &st.wrap)?;
    }

    ws.set_freeze_panes(T1_HEADER_ROW + 2, 0)?;
    ws.set_repeat_rows(T1_HEADER_ROW, T1_HEADER_ROW + 1)?;
    ws.protect_with_options(&protection());
    crate::print::a4_landscape(ws);
    Ok(())
}

fn add_table1_validations(
    ws: &mut Worksheet,
    form: &Form,
    year: i32,
    blocks: &[(u32, u32)],
) -> Result<(), XlsxError> {
    let jan1 = ExcelDateTime::from_ymd(year as u16, 1, 1)?;
    let dec31 = ExcelDateTime::from_ymd(year as u16, 12, 31)?;
    let date = DataValidation::new()
        .allow_date(DataValidationRule::Between(jan1, dec31))
        .set_input_title("Waktu Pelaksanaan")?
        .set_input_message(format!(
            "Ketik tanggal dengan format dd/mm/yyyy, misalnya 17/08/{year}. Periode atau kegiatan rutin boleh ditulis sebagai teks, misalnya \"Januari s.d. Juni {year}\" atau \"Setiap hari Senin\"."
        ))?
        .set_error_style(DataValidationErrorStyle::Information)
        .set_error_title("Periksa Waktu Pelaksanaan")?
        .set_error_message(format!(
            "Isian ini bukan tanggal di tahun {year}. Bila yang dimaksud periode atau kegiatan rutin (misalnya \"Setiap hari Senin\"), klik OK untuk tetap menyimpannya."
        ))?;
    add_to_blocks(ws, 1, blocks, date)?;

    let list = DataValidation::new()
        .allow_list_strings(&form.activation_labels())?
        .set_input_title("Bentuk/ Media/ Peralatan")?
        .set_input_message("Pilih bentuk aktivasi dari daftar (Lampiran C.3) atau ketik sendiri bentuk, media, atau peralatan yang digunakan.")?
        .set_error_style(DataValidationErrorStyle::Information)
        .set_error_title("Bentuk lain")?
        .set_error_message("Isian tidak ada dalam daftar bentuk aktivasi. Klik OK untuk tetap menyimpannya.")?;
    add_to_blocks(ws, 3, blocks, list)?;
    add_to_blocks(ws, 6, blocks, drive_link_validation()?)?;
    Ok(())
}

/// Applies one validation to column `col` of every input block (one `sqref`, so
/// Excel extends it when rows are inserted inside a block).
fn add_to_blocks(
    ws: &mut Worksheet,
    col: u16,
    blocks: &[(u32, u32)],
    dv: DataValidation,
) -> Result<(), XlsxError> {
    let letter = rust_xlsxwriter::column_number_to_name(col);
    let ranges: Vec<String> = blocks
        .iter()
        .map(|(first, last)| format!("{letter}{}:{letter}{}", first + 1, last + 1))
        .collect();
    let (first, last) = blocks[0];
    ws.add_data_validation(first, col, last, col, &dv.set_multi_range(ranges.join(" ")))?;
    Ok(())
}

/// An input message explaining the Google Drive rule (accepts any value).
fn drive_link_validation() -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_any_value()
        .set_input_title("Data Dukung: tautan Google Drive")?
        .set_input_message(
            "Tempelkan tautan Google Drive (https://drive.google.com/...) ke berkas atau folder bukti. Atur berbagi: \"Siapa saja yang memiliki link\". Jangan menulis lokasi berkas di komputer (C:\\...).",
        )
}

fn write_table2(
    ws: &mut Worksheet,
    form: &Form,
    unit: &Unit,
    year: i32,
    st: &Styles,
) -> Result<(), XlsxError> {
    let t2 = &form.table2;
    ws.set_name(&t2.sheet)?;
    crate::print::column_widths(ws, &[5.0, 40.0, 48.0, 14.0, 40.0, 28.0])?;
    write_heading(ws, &t2.title, unit, year, 5, st)?;
    for (col, header) in t2.columns.iter().enumerate() {
        ws.write_string_with_format(T2_HEADER_ROW, col as u16, header, &st.header)?;
    }
    let first = T2_HEADER_ROW + 1;
    for (i, ind) in t2.indicators.iter().enumerate() {
        let row = first + 2 * i as u32;
        ws.set_row_height(row, 48)?;
        ws.set_row_height(row + 1, 62)?;
        ws.merge_range(row, 0, row + 1, 0, "", &st.numbering)?;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &st.numbering)?;
        ws.merge_range(row, 1, row + 1, 1, &ind.text, &st.text)?;
        ws.write_string_with_format(row, 2, &ind.a, &st.text)?;
        ws.write_string_with_format(row + 1, 2, &ind.b, &st.text)?;
        for r in [row, row + 1] {
            for col in 3..=5 {
                ws.write_blank(r, col, &st.input)?;
            }
        }
    }
    let last = first + 2 * INDICATORS as u32 - 1;
    let availability = DataValidation::new()
        .allow_list_strings(&t2.availability)?
        .set_input_title("Ketersediaan")?
        .set_input_message(format!(
            "Pilih \"{}\" atau \"{}\".",
            t2.availability[0], t2.availability[1]
        ))?
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_error_title("Ketersediaan")?
        .set_error_message(format!(
            "Isian hanya boleh \"{}\" atau \"{}\".",
            t2.availability[0], t2.availability[1]
        ))?;
    ws.add_data_validation(first, 3, last, 3, &availability)?;
    ws.add_data_validation(first, 4, last, 4, &drive_link_validation()?)?;
    ws.set_freeze_panes(T2_HEADER_ROW + 1, 0)?;
    ws.set_repeat_rows(T2_HEADER_ROW, T2_HEADER_ROW)?;
    ws.protect_with_options(&protection());
    crate::print::a4_landscape(ws);
    Ok(())
}

fn write_table3(ws: &mut Worksheet, form: &Form, st: &Styles) -> Result<(), XlsxError> {
    let t3 = &form.table3;
    ws.set_name(&t3.sheet)?;
    crate::print::column_widths(ws, &[5.0, 20.0, 50.0, 70.0])?;
    ws.merge_range(0, 0, 0, 3, &t3.title, &st.title)?;
    let header_row = 2;
    for (col, header) in t3.columns.iter().enumerate() {
        ws.write_string_with_format(header_row, col as u16, header, &st.header)?;
    }
    let numbered = |items: &[String]| {
        items
            .iter()
            .enumerate()
            .map(|(i, s)| format!("{}. {s}", i + 1))
            .collect::<Vec<_>>()
            .join("\n")
    };
    for (i, v) in t3.values.iter().enumerate() {
        let row = header_row + 1 + i as u32;
        ws.write_string_with_format(row, 0, format!("{}.", i + 1), &st.text)?;
        ws.write_string_with_format(row, 1, &v.name, &st.text)?;
        ws.write_string_with_format(row, 2, numbered(&v.guide), &st.text)?;
        ws.write_string_with_format(row, 3, numbered(&v.behaviour), &st.text)?;
    }
    ws.set_repeat_rows(header_row, header_row)?;
    // Read-only reference: no input cells, but rows and columns may be resized.
    ws.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::new()
    });
    crate::print::a4_landscape(ws);
    Ok(())
}

fn write_identity(
    ws: &mut Worksheet,
    form: &Form,
    unit: &Unit,
    year: i32,
) -> Result<(), XlsxError> {
    ws.set_name(identity::SHEET)?;
    let rows: [(&str, String); 4] = [
        (identity::KEY_CODE, unit.code.clone()),
        (identity::KEY_NAME, unit.name.clone()),
        (identity::KEY_YEAR, year.to_string()),
        (identity::KEY_VERSION, form.version.clone()),
    ];
    for (r, (key, value)) in rows.iter().enumerate() {
        ws.write_string(r as u32, 0, *key)?;
        ws.write_string(r as u32, 1, value)?;
    }
    ws.write_string(rows.len() as u32, 0, "aplikasi")?;
    ws.write_string(rows.len() as u32, 1, APP)?;
    ws.set_very_hidden(true);
    ws.protect();
    Ok(())
}

/// What `monev templat` is asked to do.
#[derive(Debug, Clone)]
pub struct TemplatConfig {
    pub year: i32,
    pub output_dir: PathBuf,
    /// Unit codes to generate; empty means all.
    pub only: Vec<String>,
    /// Accepted evidence-link domains, named in the Petunjuk (filled by
    /// [`crate::app`] from `--domain` or the rubric).
    pub allowed_domains: Vec<String>,
}

/// Where a unit's template goes.
pub fn path(config: &TemplatConfig, code: &str) -> PathBuf {
    config.output_dir.join(file_name(config.year, code))
}

/// Builds the templates of `units` in memory, in parallel, in the units'
/// order; the caller writes them through [`crate::output`]. Errors:
/// [`Error::BadYear`], [`Error::Workbook`].
pub fn build_all(
    form: &Form,
    units: &[&Unit],
    config: &TemplatConfig,
    progress: &dyn crate::rekap::Progress,
) -> Result<Vec<crate::output::Output>> {
    crate::check_year(config.year)?;
    units
        .par_iter()
        .map(|unit| {
            let bytes = build(form, unit, config.year)?;
            let path = path(config, &unit.code);
            progress.read(&file_name(config.year, &unit.code));
            Ok(crate::output::Output {
                path,
                kind: crate::output::OutputKind::Template,
                bytes,
            })
        })
        .collect()
}
