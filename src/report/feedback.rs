//! Feedback for each OPD (`monev rekap --umpan-balik FOLDER`): one small
//! workbook per OPD that sent a report, saying its status, score and level, the
//! points of each indicator, and every finding with the sheet and cell to fix,
//! so the city team can send it back by e-mail as it is.

use rust_xlsxwriter::{DocProperties, Workbook, XlsxError};

use super::{fit_cell, level_name};
use crate::error::{Error, Result};
use crate::finding::Severity;
use crate::form::Form;
use crate::model::{Rekap, UnitResult};
use crate::print::{Page, fit_row};
use crate::score::Rubric;
use crate::style::{Column, Kind, Styles, Value, write_header, write_row};

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

/// The points table of the first sheet: per indicator, items a and b and the
/// activity, with the full points and whether it is met.
pub const POINT_COLUMNS: [Column; 6] = [
    Column::new("Indikator (Tabel 2)", 44.0, Kind::Text),
    Column::new("Butir a", 8.0, Kind::Integer),
    Column::new("Butir b", 8.0, Kind::Integer),
    Column::new("Kegiatan", 9.0, Kind::Integer),
    Column::new("Poin", 7.0, Kind::Integer),
    Column::new("Terpenuhi", 10.0, Kind::Center),
];

/// The findings sheet's columns.
pub const FINDING_COLUMNS: [Column; 5] = [
    Column::new("Lembar", 11.0, Kind::Text),
    Column::new("Sel", 7.0, Kind::Center),
    Column::new("Tingkat", 10.0, Kind::Center),
    Column::new("Kode Temuan", 27.0, Kind::Text),
    Column::new("Pesan", 58.0, Kind::Text),
];

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
    let st = Styles::new();
    let print_title = format!(
        "Umpan Balik Monev Budaya Kerja BerAKHLAK {} — {}",
        rekap.year, unit.name
    );
    let cols = &POINT_COLUMNS;
    // Label column A, text across B:F.
    let label_width = cols[0].width;
    let text_width: f64 = cols[1..].iter().map(|c| c.width).sum();

    let ws = wb.add_worksheet();
    ws.set_name("Umpan Balik")?;
    let heading = format!(
        "Umpan Balik Monitoring dan Evaluasi Penerapan Budaya Kerja BerAKHLAK Tahun {}",
        rekap.year
    );
    ws.merge_range(0, 0, 0, 5, &heading, &st.title)?;
    fit_row(ws, 0, &[(&heading, label_width + text_width)])?;
    // Says what the time is: an e-mail's date, or when the workbook was last saved.
    let submitted = unit.submitted_at.map_or("-".to_string(), |t| {
        let time = t.format(crate::print::WIB_DATETIME);
        match unit.submitted_source {
            Some(source) => format!("{time} ({})", super::workbook::time_source_label(source)),
            None => time.to_string(),
        }
    });
    let level = unit.level.unwrap_or(1);
    let level_text = format!(
        "{} — {}",
        level_name(level),
        rubric.level(level).map_or("", |l| l.description.as_str())
    );
    let file = unit.file.as_deref().unwrap_or_default();
    let file = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let rows: [(&str, String); 7] = [
        ("Perangkat Daerah", unit.name.clone()),
        ("Berkas yang dinilai", file.to_string()),
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
        let r = 2 + i as u32;
        ws.write_string_with_format(r, 0, *k, &st.bold)?;
        ws.merge_range(r, 1, r, 5, &fit_cell(v), &st.wrap)?;
        fit_row(ws, r, &[(v, text_width)])?;
    }
    let mut r = 2 + rows.len() as u32 + 1;
    write_header(ws, r, cols, &st)?;
    let mut links = 0;
    for ind in &unit.indicators {
        r += 1;
        let text = format!(
            "{}. {}",
            ind.number,
            form.table2.indicators[ind.number - 1].text
        );
        let mut items = [0; 2];
        for e in &ind.evidence {
            items[usize::from(e.item == "b")] = e.points;
        }
        let values = [
            Value::Owned(text),
            Value::from(items[0]),
            Value::from(items[1]),
            Value::from(ind.points - items[0] - items[1]),
            Value::from(ind.points),
            Value::Text(if ind.met { "Ya" } else { "Belum" }),
        ];
        write_row(ws, r, cols, &values, &st, &mut links)?;
    }
    r += 2;
    let method = format!(
        "Butir a dan b: {} poin bila Ketersediaan \"{}\" dan tautannya diisi tanpa galat. Kegiatan: {} poin bila Tabel 1 memuat sedikitnya satu kegiatan yang lengkap (Waktu Pelaksanaan, Kegiatan, Bentuk/Media, Data Dukung) dengan tautan tanpa galat. Rubrik monev berdasarkan Permendagri 99/2018 variabel XI.",
        rubric.item_points, form.table2.availability[0], rubric.activity_points
    );
    ws.merge_range(r, 0, r, 5, &method, &st.wrap)?;
    fit_row(ws, r, &[(&method, label_width + text_width)])?;
    r += 2;
    let advice = super::advice_for_opd(unit, form);
    ws.merge_range(r, 0, r, 5, &advice, &st.wrap)?;
    fit_row(ws, r, &[(&advice, label_width + text_width)])?;
    crate::print::setup(ws, &Page::portrait(&print_title))?;

    let ws = wb.add_worksheet();
    ws.set_name("Temuan")?;
    let cols = &FINDING_COLUMNS;
    write_header(ws, 0, cols, &st)?;
    let mut r = 0;
    for f in unit.findings.iter().filter(|f| f.for_opd()) {
        r += 1;
        let values = [
            Value::Text(f.location.sheet.as_deref().unwrap_or("Berkas")),
            Value::Owned(f.location.cell().unwrap_or_default()),
            Value::Text(f.severity.label()),
            Value::Text(f.code.as_str()),
            Value::Text(&f.message),
        ];
        write_row(ws, r, cols, &values, &st, &mut links)?;
    }
    ws.autofilter(0, 0, r.max(1), cols.len() as u16 - 1)?;
    ws.set_freeze_panes(1, 0)?;
    crate::print::setup(ws, &Page::landscape(&print_title).repeat(0, 0))?;
    wb.save_to_buffer()
}
