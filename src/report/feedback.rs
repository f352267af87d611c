//! Feedback for each OPD (`monev rekap --umpan-balik FOLDER`): one small
//! workbook per OPD that sent a report, saying its status, score and level, the
//! points of each indicator, and every finding with the sheet and cell to fix,
//! so the city team can send it back by e-mail as it is.

use rust_xlsxwriter::{
    DocProperties, Format, FormatAlign, FormatBorder, Table, TableColumn, TableStyle, Workbook,
    XlsxError,
};

use super::{fit_cell, level_name, row_height};
use crate::error::{Error, Result};
use crate::finding::Severity;
use crate::form::Form;
use crate::model::{Rekap, UnitResult};
use crate::score::Rubric;

/// The feedback file name: `umpan-balik-2026-dinkes.xlsx`.
pub fn file_name(year: i32, code: &str) -> String {
    format!("umpan-balik-{year}-{code}.xlsx")
}

/// Builds one OPD's feedback workbook.
pub fn build(unit: &UnitResult, rekap: &Rekap, form: &Form, rubric: &Rubric) -> Result<Vec<u8>> {
    build_inner(unit, rekap, form, rubric).map_err(|e| Error::Workbook {
        name: file_name(rekap.year, &unit.code),
        reason: e.to_string(),
    })
}

fn build_inner(
    unit: &UnitResult,
    rekap: &Rekap,
    form: &Form,
    rubric: &Rubric,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "Umpan Balik Monev Budaya Kerja BerAKHLAK {} — {}",
                rekap.year, unit.name
            ))
            .set_author(&form.regulation.city_team)
            .set_company(&form.regulation.government)
            .set_custom_property(crate::identity::PROP_KIND, "umpan_balik"),
    );
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(13);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let boxed = Format::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let header = boxed.clone().set_bold().set_background_color("#D9E1F2");

    let ws = wb.add_worksheet();
    ws.set_name("Umpan Balik")?;
    ws.set_column_width(0, 26)?;
    ws.set_column_width(1, 60)?;
    ws.set_column_width(2, 12)?;
    ws.set_column_width(3, 12)?;
    ws.write_string_with_format(
        0,
        0,
        format!(
            "Umpan Balik Monitoring dan Evaluasi Penerapan Budaya Kerja BerAKHLAK Tahun {}",
            rekap.year
        ),
        &title,
    )?;
    let submitted = unit.submitted_at.map_or("-".to_string(), |t| {
        t.format(crate::print::WIB_DATETIME).to_string()
    });
    let level = unit.level.unwrap_or(1);
    let level_text = format!(
        "{} — {}",
        level_name(level),
        rubric.level(level).map_or("", |l| l.description.as_str())
    );
    let rows: [(&str, String); 7] = [
        ("Perangkat Daerah", unit.name.clone()),
        ("Berkas yang dinilai", unit.file.clone().unwrap_or_default()),
        (
            "Waktu kirim",
            format!("{submitted}{}", if unit.late { " (terlambat)" } else { "" }),
        ),
        ("Status", unit.status.label().to_string()),
        (
            "Skor",
            format!("{} dari {}", unit.score.unwrap_or(0), rubric.max_score()),
        ),
        ("Level Maturitas", level_text),
        (
            "Temuan",
            format!(
                "{} galat, {} peringatan",
                unit.count(Severity::Error),
                unit.count(Severity::Warning)
            ),
        ),
    ];
    for (i, (k, v)) in rows.iter().enumerate() {
        ws.write_string_with_format(2 + i as u32, 0, *k, &bold)?;
        ws.write_string_with_format(2 + i as u32, 1, fit_cell(v), &wrap)?;
    }
    let mut r = 2 + rows.len() as u32 + 1;
    for (c, h) in ["Indikator", "", "Poin", "Terpenuhi"].iter().enumerate() {
        ws.write_string_with_format(r, c as u16, *h, &header)?;
    }
    ws.merge_range(r, 0, r, 1, "Indikator (Tabel 2)", &header)?;
    for ind in &unit.indicators {
        r += 1;
        let text = &form.table2.indicators[ind.number - 1].text;
        ws.merge_range(r, 0, r, 1, &format!("{}. {text}", ind.number), &boxed)?;
        ws.write_number_with_format(r, 2, f64::from(ind.points), &boxed)?;
        ws.write_string_with_format(r, 3, if ind.met { "Ya" } else { "Belum" }, &boxed)?;
        ws.set_row_height(r, 30)?;
    }
    r += 2;
    let advice = super::advice_for_opd(unit, form);
    ws.merge_range(r, 0, r, 3, &advice, &wrap)?;
    ws.set_row_height(r, 32)?;
    crate::print::a4_landscape(ws);

    let ws = wb.add_worksheet();
    ws.set_name("Temuan")?;
    crate::print::column_widths(ws, &[12.0, 7.0, 11.0, 32.0, 100.0])?;
    let mut r = 0;
    for f in unit.findings.iter().filter(|f| f.for_opd()) {
        r += 1;
        ws.write_string(
            r,
            0,
            fit_cell(f.location.sheet.as_deref().unwrap_or("Berkas")),
        )?;
        ws.write_string(r, 1, f.location.cell().unwrap_or_default())?;
        ws.write_string(r, 2, f.severity.label())?;
        ws.write_string(r, 3, f.code.as_str())?;
        ws.write_string_with_format(r, 4, fit_cell(&f.message), &wrap)?;
        ws.set_row_height(r, row_height(&[(&f.message, 100.0)]))?;
    }
    let columns: Vec<TableColumn> = ["Lembar", "Sel", "Tingkat", "Kode Temuan", "Pesan"]
        .iter()
        .map(|h| TableColumn::new().set_header(*h))
        .collect();
    ws.add_table(
        0,
        0,
        r.max(1),
        4,
        &Table::new()
            .set_style(TableStyle::Medium2)
            .set_columns(&columns),
    )?;
    crate::print::a4_landscape(ws);
    ws.set_repeat_rows(0, 0)?;
    wb.save_to_buffer()
}
