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
    Format, ProtectionOptions, Workbook, Worksheet, XlsxError,
};

use crate::error::{Error, Result};
use crate::form::{Form, INDICATORS};
use crate::identity;
use crate::print::{LINE_HEIGHT, Page, fit_row, row_height, text_lines};
use crate::roster::Unit;
use crate::style::Styles;

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
    build_with_domains(form, unit, year, &crate::links::default_allowed_domains())
}

/// [`build`], naming `domains` as the accepted evidence-link domains in the
/// Petunjuk (the same setting the verdict follows: the rubric's
/// `accepted_domains` or `--domain`; an empty list accepts any web address).
pub fn build_with_domains(
    form: &Form,
    unit: &Unit,
    year: i32,
    domains: &[String],
) -> Result<Vec<u8>> {
    let name = file_name(year, &unit.code);
    build_inner(form, unit, year, domains, None).map_err(|e| Error::Workbook {
        name,
        reason: e.to_string(),
    })
}

/// A first sheet written before the template's own (the feedback's "Catatan
/// Perbaikan"), given the shared styles.
pub type Cover<'a> = &'a dyn Fn(&mut Worksheet, &Styles) -> Result<(), XlsxError>;

/// One OPD's template for `year`, pre-filled with `prefill` and, when given,
/// preceded by a `cover` sheet: the feedback workbook an OPD fixes in place
/// (issue "The e-mail round trip", section 3). `properties` are extra custom
/// document properties (name, value). Errors: [`Error::Workbook`].
pub fn build_prefilled(
    form: &Form,
    unit: &Unit,
    year: i32,
    domains: &[String],
    prefill: &Prefill,
    cover: Option<Cover>,
    properties: &[(&str, String)],
) -> Result<Vec<u8>> {
    let name = file_name(year, &unit.code);
    build_inner(
        form,
        unit,
        year,
        domains,
        Some((prefill, cover, properties)),
    )
    .map_err(|e| Error::Workbook {
        name,
        reason: e.to_string(),
    })
}

/// Entries written into a template before it goes back to its OPD.
#[derive(Debug, Clone, Default)]
pub struct Prefill {
    /// Tabel 1 rows under each indicator (index 0 = indicator 1), in order;
    /// each row holds the seven columns of Lampiran B.
    pub activities: [Vec<[PrefillCell; 7]>; INDICATORS],
    /// Tabel 2 answers in item order 1a, 1b, …, 4b: Ketersediaan, Tautan Data
    /// Dukung, Keterangan.
    pub evidence: Vec<[PrefillCell; 3]>,
}

/// One pre-filled cell: the text as submitted, its link target, and the
/// findings on it (shown as a cell note and a coloured fill).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrefillCell {
    pub text: String,
    pub link: Option<String>,
    /// The findings' messages, one per line; empty when the cell is fine.
    pub note: String,
    /// True when one of the findings is an error (red), else a warning (yellow).
    pub error: bool,
}

impl Prefill {
    /// The first input row (0-based) and the number of input rows under each
    /// indicator of Tabel 1: at least [`T1_INPUT_ROWS`], more when an
    /// indicator holds more activities.
    pub fn table1_blocks(&self) -> [(u32, u32); INDICATORS] {
        let mut out = [(0, 0); INDICATORS];
        let mut row = T1_FIRST_GROUP_ROW;
        for (n, block) in out.iter_mut().enumerate() {
            let rows = (self.activities[n].len() as u32).max(T1_INPUT_ROWS);
            *block = (row + 1, rows);
            row += 1 + rows;
        }
        out
    }

    /// The 0-based row of Tabel 2 item `index` (0 = 1a, 1 = 1b, …).
    pub fn table2_row(index: usize) -> u32 {
        T2_HEADER_ROW + 1 + index as u32
    }
}

/// The text a pre-filled cell shows: its text, else its link.
fn prefill_shown(cell: &PrefillCell) -> &str {
    if cell.text.is_empty() {
        cell.link.as_deref().unwrap_or("")
    } else {
        &cell.text
    }
}

/// The fill of a cell with findings: red for an error, yellow for a warning.
fn flagged(base: &Format, cell: &PrefillCell) -> Format {
    base.clone()
        .set_background_color(if cell.error { "#FFC7CE" } else { "#FFEB9C" })
}

/// Writes one pre-filled input cell with `base`'s format, in a column `width`
/// characters wide: a link (http/https) stays a clickable link showing its
/// text, except an address shown as itself that does not fit on one line of
/// the column: it is written as text, wrapped, so it prints whole (LibreOffice never wraps a hyperlink
/// cell: a long address was cut at the cell's edge on paper). Read back, both
/// give the same address. Findings become a note.
fn write_prefilled(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &PrefillCell,
    base: &Format,
    width: f64,
) -> Result<(), XlsxError> {
    let format = if cell.note.is_empty() {
        base.clone()
    } else {
        flagged(base, cell)
    };
    let text = crate::style::fit_cell(&cell.text);
    let web = cell.link.as_deref().filter(|l| {
        let l = l.trim().to_ascii_lowercase();
        (l.starts_with("https://") || l.starts_with("http://"))
            && l.len() <= 2000
            && !l.contains(char::is_whitespace)
    });
    let shown_of = |url: &str| {
        if text.is_empty() {
            url.to_string()
        } else {
            text.clone()
        }
    };
    // Only an address shown as itself becomes text: a link with its own
    // label (text other than the address) stays a link, or the address would
    // be lost.
    let web = web.filter(|url| {
        let shown = shown_of(url);
        shown.trim() != url.trim() || text_lines(&shown, width, false) == 1
    });
    match web {
        Some(url) => {
            let shown = shown_of(url);
            ws.write_url_with_options(
                row,
                col,
                rust_xlsxwriter::Url::new(url),
                &shown,
                "",
                Some(&format),
            )?;
        }
        None => {
            // A link that is no web address (a local path) is kept as the
            // text it was; a long web address is its text, wrapped.
            let shown = if text.is_empty() {
                crate::style::fit_cell(cell.link.as_deref().unwrap_or(""))
            } else {
                text
            };
            if shown.is_empty() {
                ws.write_blank(row, col, &format)?;
            } else {
                ws.write_string_with_format(row, col, shown, &format)?;
            }
        }
    }
    if !cell.note.is_empty() {
        let note = rust_xlsxwriter::Note::new(crate::style::fit_cell(&cell.note))
            .set_author("monev")
            .add_author_prefix(false)
            .set_width(360)
            .set_height(140);
        ws.insert_note(row, col, &note)?;
    }
    Ok(())
}

/// What [`build_inner`] adds for a pre-filled workbook.
type Filling<'a> = (&'a Prefill, Option<Cover<'a>>, &'a [(&'a str, String)]);

fn build_inner(
    form: &Form,
    unit: &Unit,
    year: i32,
    domains: &[String],
    filling: Option<Filling>,
) -> Result<Vec<u8>, XlsxError> {
    let mut props = properties(form, unit, year);
    if let Some((_, _, extra)) = filling {
        for (name, value) in extra {
            props = props.set_custom_property(*name, value.as_str());
        }
    }
    assemble(form, unit, year, domains, filling, &props)?.save_to_buffer()
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

/// `unit`'s blank template as an unsaved workbook with `props`; sheets in the
/// order Petunjuk, Tabel 1, Tabel 2, Tabel 3, `_monev` (indices 0..=4), so a
/// caller can fill input cells before saving (`monev contoh`).
pub(crate) fn workbook(
    form: &Form,
    unit: &Unit,
    year: i32,
    props: &DocProperties,
) -> Result<Workbook, XlsxError> {
    assemble(
        form,
        unit,
        year,
        &crate::links::default_allowed_domains(),
        None,
        props,
    )
}

/// The template's sheets, in order, after an optional cover sheet.
fn assemble(
    form: &Form,
    unit: &Unit,
    year: i32,
    domains: &[String],
    filling: Option<Filling>,
    props: &DocProperties,
) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let st = Styles::new();
    wb.set_properties(props);
    let (prefill, cover) = match filling {
        Some((p, c, _)) => (Some(p), c),
        None => (None, None),
    };
    if let Some(cover) = cover {
        let ws = wb.add_worksheet();
        cover(ws, &st)?;
        ws.set_active(true);
    }
    write_instructions(wb.add_worksheet(), form, unit, year, domains, &st)?;
    write_table1(wb.add_worksheet(), form, unit, year, &st, prefill)?;
    write_table2(wb.add_worksheet(), form, unit, year, &st, prefill)?;
    write_table3(wb.add_worksheet(), form, unit, year, &st)?;
    write_identity(wb.add_worksheet(), form, unit, year)?;
    Ok(wb)
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
    (last_col, width): (u16, f64),
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.merge_range(0, 0, 0, last_col, title, &st.title)?;
    ws.set_row_height(0, 20)?;
    let name = format!("Perangkat Daerah: {}", unit.name);
    ws.merge_range(1, 0, 1, last_col, &name, &st.bold)?;
    fit_row(ws, 1, &[(&name, width)])?;
    ws.merge_range(2, 0, 2, last_col, &format!("Tahun: {year}"), &st.bold)?;
    Ok(())
}

/// Column widths (characters) of each form sheet.
const PETUNJUK_WIDTH: f64 = 95.0;
const T1_WIDTHS: [f64; 7] = [5.0, 18.0, 36.0, 26.0, 26.0, 26.0, 36.0];
const T2_WIDTHS: [f64; 6] = [5.0, 40.0, 48.0, 14.0, 40.0, 28.0];
const T3_WIDTHS: [f64; 4] = [5.0, 18.0, 50.0, 70.0];
/// The column widths (characters, from column A) of the sheets in the order
/// [`workbook`] writes them (Petunjuk, Tabel 1, Tabel 2, Tabel 3; `_monev`
/// keeps the default): `monev contoh` gives them to its .xls and .ods copies.
pub(crate) const SHEET_WIDTHS: [&[f64]; 4] =
    [&[PETUNJUK_WIDTH], &T1_WIDTHS, &T2_WIDTHS, &T3_WIDTHS];

/// The print title of a template sheet: "Tabel 1 — Dinas Kesehatan — 2026".
fn page_title(sheet: &str, unit: &Unit, year: i32) -> String {
    format!("{sheet} — {} — {year}", unit.name)
}

/// Writes header texts in `row` and makes the row tall enough for them.
fn header_row(
    ws: &mut Worksheet,
    row: u32,
    headers: &[String],
    widths: &[f64],
    st: &Styles,
) -> Result<(), XlsxError> {
    for (col, header) in headers.iter().enumerate() {
        ws.write_string_with_format(row, col as u16, header, &st.header)?;
    }
    let cells: Vec<(&str, f64)> = headers
        .iter()
        .zip(widths)
        .map(|(h, w)| (h.as_str(), *w))
        .collect();
    ws.set_row_height(row, row_height(&cells, true).max(30.0))?;
    Ok(())
}

fn write_instructions(
    ws: &mut Worksheet,
    form: &Form,
    unit: &Unit,
    year: i32,
    domains: &[String],
    st: &Styles,
) -> Result<(), XlsxError> {
    let accepted = if domains.is_empty() {
        "semua alamat web (https://)".to_string()
    } else {
        domains.join(", ")
    };
    ws.set_name(&form.instructions.sheet)?;
    ws.set_column_width(0, PETUNJUK_WIDTH)?;
    ws.write_string_with_format(0, 0, &form.instructions.title, &st.title)?;
    ws.set_row_height(
        0,
        row_height(&[(&form.instructions.title, PETUNJUK_WIDTH)], true) + 4.0,
    )?;
    let mut row = 2;
    for line in &form.instructions.lines {
        let text = form
            .fill(line, &unit.name, year)
            .replace("{domain}", &accepted);
        ws.write_string_with_format(row, 0, &text, &st.wrap)?;
        fit_row(ws, row, &[(&text, PETUNJUK_WIDTH)])?;
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
        fit_row(ws, row, &[(note, PETUNJUK_WIDTH)])?;
    }
    ws.set_active(true);
    ws.protect_with_options(&protection());
    crate::print::setup(
        ws,
        &Page::portrait(&page_title(&form.instructions.sheet, unit, year)),
    )
}

fn write_table1(
    ws: &mut Worksheet,
    form: &Form,
    unit: &Unit,
    year: i32,
    st: &Styles,
    prefill: Option<&Prefill>,
) -> Result<(), XlsxError> {
    let empty = Prefill::default();
    let prefill = prefill.unwrap_or(&empty);
    let layout = prefill.table1_blocks();
    let t1 = &form.table1;
    ws.set_name(&t1.sheet)?;
    crate::print::column_widths(ws, &T1_WIDTHS)?;
    let full: f64 = T1_WIDTHS.iter().sum();
    write_heading(ws, &t1.title, unit, year, (6, full), st)?;
    header_row(ws, T1_HEADER_ROW, &t1.columns, &T1_WIDTHS, st)?;
    for col in 0..t1.columns.len() {
        ws.write_number_with_format(
            T1_HEADER_ROW + 1,
            col as u16,
            (col + 1) as f64,
            &st.numbering,
        )?;
    }

    let mut row = T1_FIRST_GROUP_ROW;
    let mut blocks = Vec::new();
    for (n, indicator) in t1.indicators.iter().enumerate() {
        ws.merge_range(row, 0, row, 6, indicator, &st.group)?;
        fit_row(ws, row, &[(indicator, full)])?;
        let (first, count) = layout[n];
        let last = first + count - 1;
        for r in first..=last {
            match prefill.activities[n].get((r - first) as usize) {
                Some(cells) => {
                    for (col, cell) in cells.iter().enumerate() {
                        let base = if col == 1 { &st.input_date } else { &st.input };
                        if col == 0 && cell.text.is_empty() && cell.note.is_empty() {
                            ws.write_number_with_format(r, 0, f64::from(r - first + 1), base)?;
                        } else {
                            write_prefilled(ws, r, col as u16, cell, base, T1_WIDTHS[col])?;
                        }
                    }
                    let texts: Vec<(&str, f64)> = cells
                        .iter()
                        .zip(T1_WIDTHS)
                        .map(|(c, w)| (prefill_shown(c), w))
                        .collect();
                    fit_row(ws, r, &texts)?;
                }
                None => {
                    ws.write_number_with_format(r, 0, f64::from(r - first + 1), &st.input)?;
                    ws.write_blank(r, 1, &st.input_date)?;
                    for col in 2..=6 {
                        ws.write_blank(r, col, &st.input)?;
                    }
                }
            }
        }
        blocks.push((first, last));
        row = last + 1;
    }
    add_table1_validations(ws, form, year, &blocks)?;

    // Signature block, as printed under Tabel 1 in the regulation.
    row += 1;
    let sign: f64 = T1_WIDTHS[4..].iter().sum();
    ws.merge_range(row, 4, row, 6, &t1.signature_place, &Format::new())?;
    ws.merge_range(row + 1, 4, row + 2, 6, &t1.signature_role, &st.wrap)?;
    ws.merge_range(row + 6, 4, row + 6, 6, &t1.signature_name, &Format::new())?;
    let role_lines = text_lines(&t1.signature_role, sign, false) as f64;
    if role_lines > 2.0 {
        ws.set_row_height(row + 2, LINE_HEIGHT * (role_lines - 1.0) + 3.0)?;
    }
    row += 8;
    ws.write_string_with_format(row, 0, &t1.notes_title, &st.bold)?;
    for note in &t1.notes {
        row += 1;
        ws.merge_range(row, 0, row, 6, note, &st.wrap)?;
        fit_row(ws, row, &[(note, full)])?;
    }

    ws.set_freeze_panes(T1_HEADER_ROW + 2, 0)?;
    ws.protect_with_options(&protection());
    crate::print::setup(
        ws,
        &Page::landscape(&page_title(&t1.sheet, unit, year))
            .repeat(T1_HEADER_ROW, T1_HEADER_ROW + 1),
    )
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
    prefill: Option<&Prefill>,
) -> Result<(), XlsxError> {
    let t2 = &form.table2;
    ws.set_name(&t2.sheet)?;
    crate::print::column_widths(ws, &T2_WIDTHS)?;
    let full: f64 = T2_WIDTHS.iter().sum();
    write_heading(ws, &t2.title, unit, year, (5, full), st)?;
    header_row(ws, T2_HEADER_ROW, &t2.columns, &T2_WIDTHS, st)?;
    let first = T2_HEADER_ROW + 1;
    for (i, ind) in t2.indicators.iter().enumerate() {
        let row = first + 2 * i as u32;
        // Each item's row shows its text whole and leaves room for a pasted
        // link; the indicator's text spans both rows.
        let ha = row_height(&[(&ind.a, T2_WIDTHS[2])], false).max(48.0);
        let mut hb = row_height(&[(&ind.b, T2_WIDTHS[2])], false).max(48.0);
        let hi = row_height(&[(&ind.text, T2_WIDTHS[1])], false);
        if ha + hb < hi {
            hb = hi - ha;
        }
        // Pre-filled answers (a long address, a long remark) show whole too.
        let answers = |k: usize| -> f64 {
            let Some(a) = prefill.and_then(|p| p.evidence.get(2 * i + k)) else {
                return 0.0;
            };
            let texts: Vec<(&str, f64)> = a
                .iter()
                .zip(&T2_WIDTHS[3..])
                .map(|(c, w)| (prefill_shown(c), *w))
                .collect();
            row_height(&texts, false)
        };
        let ha = ha.max(answers(0));
        hb = hb.max(answers(1));
        ws.set_row_height(row, ha)?;
        ws.set_row_height(row + 1, hb)?;
        ws.merge_range(row, 0, row + 1, 0, "", &st.numbering)?;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &st.numbering)?;
        ws.merge_range(row, 1, row + 1, 1, &ind.text, &st.cell)?;
        ws.write_string_with_format(row, 2, &ind.a, &st.cell)?;
        ws.write_string_with_format(row + 1, 2, &ind.b, &st.cell)?;
        for (k, r) in [row, row + 1].into_iter().enumerate() {
            let answers = prefill.and_then(|p| p.evidence.get(2 * i + k));
            for col in 3..=5u16 {
                match answers.map(|a| &a[usize::from(col - 3)]) {
                    Some(cell)
                        if !cell.text.is_empty()
                            || cell.link.is_some()
                            || !cell.note.is_empty() =>
                    {
                        write_prefilled(ws, r, col, cell, &st.input, T2_WIDTHS[usize::from(col)])?
                    }
                    _ => {
                        ws.write_blank(r, col, &st.input)?;
                    }
                }
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
    ws.protect_with_options(&protection());
    crate::print::setup(
        ws,
        &Page::landscape(&page_title(&t2.sheet, unit, year)).repeat(T2_HEADER_ROW, T2_HEADER_ROW),
    )
}

fn write_table3(
    ws: &mut Worksheet,
    form: &Form,
    unit: &Unit,
    year: i32,
    st: &Styles,
) -> Result<(), XlsxError> {
    let t3 = &form.table3;
    ws.set_name(&t3.sheet)?;
    crate::print::column_widths(ws, &T3_WIDTHS)?;
    ws.merge_range(0, 0, 0, 3, &t3.title, &st.title)?;
    ws.set_row_height(0, 20)?;
    let header_row_index = 2;
    header_row(ws, header_row_index, &t3.columns, &T3_WIDTHS, st)?;
    let numbered = |items: &[String]| {
        items
            .iter()
            .enumerate()
            .map(|(i, s)| format!("{}. {s}", i + 1))
            .collect::<Vec<_>>()
            .join("\n")
    };
    for (i, v) in t3.values.iter().enumerate() {
        let row = header_row_index + 1 + i as u32;
        let guide = numbered(&v.guide);
        let behaviour = numbered(&v.behaviour);
        ws.write_string_with_format(row, 0, format!("{}.", i + 1), &st.cell)?;
        ws.write_string_with_format(row, 1, &v.name, &st.cell)?;
        ws.write_string_with_format(row, 2, &guide, &st.cell)?;
        ws.write_string_with_format(row, 3, &behaviour, &st.cell)?;
        fit_row(
            ws,
            row,
            &[
                (&v.name, T3_WIDTHS[1]),
                (&guide, T3_WIDTHS[2]),
                (&behaviour, T3_WIDTHS[3]),
            ],
        )?;
    }
    // Read-only reference: no input cells, but rows and columns may be resized.
    ws.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::new()
    });
    crate::print::setup(
        ws,
        &Page::landscape(&page_title(&t3.sheet, unit, year))
            .repeat(header_row_index, header_row_index),
    )
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
) -> Result<Vec<crate::output::Output<'static>>> {
    crate::check_year(config.year)?;
    units
        .par_iter()
        .map(|unit| {
            let bytes = build_with_domains(form, unit, config.year, &config.allowed_domains)?;
            let path = path(config, &unit.code);
            progress.read(&file_name(config.year, &unit.code));
            Ok(crate::output::Output::bytes(
                path,
                crate::output::OutputKind::Template,
                bytes,
            ))
        })
        .collect()
}
