//! The consolidated workbook for the city team (`rekap.xlsx`): Ringkasan,
//! Kegiatan, Data Dukung, Temuan, Berkas and Tentang. Every text that came from
//! an input is written as a string, so a value beginning with `=` never becomes
//! a formula; links become hyperlinks only when they are http(s).

use rust_xlsxwriter::{
    Chart, ChartType, ConditionalFormatCell, ConditionalFormatCellRule, ConditionalFormatDataBar,
    ConditionalFormatText, ConditionalFormatTextRule, DocProperties, Format, FormatAlign,
    FormatBorder, Table, TableColumn, TableStyle, Url, Workbook, Worksheet, XlsxError,
};

use super::{fit_cell, level_name, row_height};
use crate::error::{Error, Result};
use crate::finding::Severity;
use crate::form::Form;
use crate::rekap::{FileStatus, Rekap, UnitStatus};
use crate::score::Rubric;

/// The value of [`crate::identity::PROP_KIND`] on a rekap.
pub const KIND_REKAP: &str = "rekap";

/// Sheet names.
pub const SUMMARY: &str = "Ringkasan";
pub const ACTIVITIES: &str = "Kegiatan";
pub const EVIDENCE: &str = "Data Dukung";
pub const FINDINGS: &str = "Temuan";
pub const FILES: &str = "Berkas";
pub const ABOUT: &str = "Tentang";

/// Ringkasan's column headers.
pub const SUMMARY_COLUMNS: [&str; 15] = [
    "No",
    "Kode",
    "Perangkat Daerah",
    "Status",
    "Tanggal Kirim",
    "Terlambat",
    "Jumlah Kegiatan",
    "Indikator 1",
    "Indikator 2",
    "Indikator 3",
    "Indikator 4",
    "Skor",
    "Level Maturitas",
    "Galat",
    "Peringatan",
];

/// Ringkasan: 0-based row of the column headers.
pub const SUMMARY_HEADER_ROW: u32 = 4;

struct Styles {
    title: Format,
    bold: Format,
    header: Format,
    cell: Format,
    number: Format,
    datetime: Format,
    date: Format,
    wrap: Format,
}

impl Styles {
    fn new() -> Styles {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Top);
        Styles {
            title: Format::new().set_bold().set_font_size(13),
            bold: Format::new().set_bold(),
            header: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_background_color("#D9E1F2"),
            number: cell.clone().set_align(FormatAlign::Center),
            datetime: cell.clone().set_num_format("dd/mm/yyyy hh:mm"),
            date: Format::new().set_num_format("dd/mm/yyyy"),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            cell,
        }
    }
}

fn xlsx_err(e: XlsxError) -> Error {
    Error::Workbook {
        name: "rekap".into(),
        reason: e.to_string(),
    }
}

/// Builds the consolidated workbook in memory.
pub fn build(rekap: &Rekap, form: &Form, rubric: &Rubric) -> Result<Vec<u8>> {
    build_inner(rekap, form, rubric).map_err(xlsx_err)
}

fn build_inner(rekap: &Rekap, form: &Form, rubric: &Rubric) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let st = Styles::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "Rekapitulasi Monitoring dan Evaluasi Budaya Kerja BerAKHLAK {}",
                rekap.year
            ))
            .set_author(&form.regulation.city_team)
            .set_company(&form.regulation.government)
            .set_custom_property(crate::identity::PROP_KIND, KIND_REKAP)
            .set_custom_property(crate::identity::PROP_YEAR, rekap.year),
    );
    write_summary(wb.add_worksheet(), rekap, form, rubric, &st)?;
    write_activities(wb.add_worksheet(), rekap, &st)?;
    write_evidence(wb.add_worksheet(), rekap, form, &st)?;
    write_findings(wb.add_worksheet(), rekap, &st)?;
    write_files(wb.add_worksheet(), rekap, &st)?;
    write_about(wb.add_worksheet(), rekap, form, rubric, &st)?;
    wb.save_to_buffer()
}

fn print_setup(ws: &mut Worksheet, header_row: u32) -> Result<(), XlsxError> {
    crate::print::a4_landscape(ws);
    ws.set_repeat_rows(header_row, header_row)?;
    Ok(())
}

/// Writes user text as a string (never a formula), cut to the cell limit.
fn text(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: &str,
    fmt: &Format,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, col, fit_cell(value), fmt)?;
    Ok(())
}

/// Excel keeps at most 65,530 hyperlinks per worksheet; later links stay text.
const MAX_LINKS: u32 = 65_530;

/// A clickable link when the target is http(s) (and the sheet still has room
/// for one), else plain text. `made` counts the sheet's links.
fn link(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    target: &str,
    made: &mut u32,
) -> Result<(), XlsxError> {
    let t = target.trim();
    let lower = t.to_ascii_lowercase();
    let is_web = (lower.starts_with("https://") || lower.starts_with("http://")) && t.len() <= 2000;
    if is_web
        && *made < MAX_LINKS
        && !t.contains(char::is_whitespace)
        && ws.write_url_with_text(row, col, Url::new(t), t).is_ok()
    {
        *made += 1;
        return Ok(());
    }
    ws.write_string(row, col, fit_cell(target))?;
    Ok(())
}

fn write_summary(
    ws: &mut Worksheet,
    rekap: &Rekap,
    form: &Form,
    rubric: &Rubric,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(SUMMARY)?;
    let last_col = SUMMARY_COLUMNS.len() as u16 - 1;
    ws.merge_range(
        0,
        0,
        0,
        last_col,
        &format!(
            "Rekapitulasi Monitoring dan Evaluasi Penerapan Budaya Kerja BerAKHLAK Tahun {}",
            rekap.year
        ),
        &st.title,
    )?;
    ws.merge_range(
        1,
        0,
        1,
        last_col,
        &format!(
            "{} — {}",
            form.regulation.government, form.regulation.city_team
        ),
        &st.bold,
    )?;
    ws.merge_range(
        2,
        0,
        2,
        last_col,
        &format!(
            "Dasar: {} tentang {}",
            form.regulation.name, form.regulation.title
        ),
        &Format::new(),
    )?;
    for (i, (col, width)) in SUMMARY_COLUMNS
        .iter()
        .zip([
            5.0, 14.0, 42.0, 16.0, 16.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 8.0, 11.0, 8.0, 11.0,
        ])
        .enumerate()
    {
        ws.set_column_width(i as u16, width)?;
        ws.write_string_with_format(SUMMARY_HEADER_ROW, i as u16, *col, &st.header)?;
    }
    ws.set_row_height(SUMMARY_HEADER_ROW, 30)?;
    let first = SUMMARY_HEADER_ROW + 1;
    for (i, u) in rekap.units.iter().enumerate() {
        let r = first + i as u32;
        ws.write_number_with_format(r, 0, (i + 1) as f64, &st.number)?;
        text(ws, r, 1, &u.code, &st.cell)?;
        text(ws, r, 2, &u.name, &st.cell)?;
        text(ws, r, 3, u.status.label(), &st.cell)?;
        match u.submitted_at {
            Some(t) => ws.write_datetime_with_format(r, 4, t.naive_local(), &st.datetime)?,
            None => ws.write_blank(r, 4, &st.cell)?,
        };
        let late = match u.status {
            UnitStatus::Missing => "",
            _ if u.late => "Ya",
            _ => "Tidak",
        };
        text(ws, r, 5, late, &st.number)?;
        if u.status == UnitStatus::Missing {
            for c in 6..=14 {
                ws.write_blank(r, c, &st.cell)?;
            }
            continue;
        }
        ws.write_number_with_format(r, 6, u.activities as f64, &st.number)?;
        for (k, ind) in u.indicators.iter().enumerate() {
            ws.write_number_with_format(r, 7 + k as u16, f64::from(ind.points), &st.number)?;
        }
        ws.write_number_with_format(r, 11, f64::from(u.score.unwrap_or(0)), &st.number)?;
        ws.write_number_with_format(r, 12, f64::from(u.level.unwrap_or(1)), &st.number)?;
        ws.write_number_with_format(r, 13, u.count(Severity::Error) as f64, &st.number)?;
        ws.write_number_with_format(r, 14, u.count(Severity::Warning) as f64, &st.number)?;
    }
    let last = first + rekap.units.len().max(1) as u32 - 1;

    // Conditional formatting: status colours, score bars, errors in red.
    let fill = |color: &str| Format::new().set_background_color(color);
    for (label, color) in [
        (UnitStatus::Complete.label(), "#C6EFCE"),
        (UnitStatus::NeedsFix.label(), "#FFEB9C"),
        (UnitStatus::Missing.label(), "#FFC7CE"),
    ] {
        let cf = ConditionalFormatText::new()
            .set_rule(ConditionalFormatTextRule::Contains(label.to_string()))
            .set_format(fill(color));
        ws.add_conditional_format(first, 3, last, 3, &cf)?;
    }
    ws.add_conditional_format(first, 11, last, 11, &ConditionalFormatDataBar::new())?;
    let errors = ConditionalFormatCell::new()
        .set_rule(ConditionalFormatCellRule::GreaterThan(0))
        .set_format(
            Format::new()
                .set_font_color("#9C0006")
                .set_background_color("#FFC7CE"),
        );
    ws.add_conditional_format(first, 13, last, 13, &errors)?;

    // City totals and the distribution of levels.
    let t = &rekap.totals;
    let mut r = last + 2;
    ws.write_string_with_format(r, 2, "Jumlah Kota", &st.bold)?;
    let avg = t
        .average_score
        .map_or("-".to_string(), |a| format!("{a:.1}").replace('.', ","));
    let rows: [(&str, String); 6] = [
        ("Perangkat Daerah", t.units.to_string()),
        (UnitStatus::Complete.label(), t.complete.to_string()),
        (UnitStatus::NeedsFix.label(), t.needs_fix.to_string()),
        (UnitStatus::Missing.label(), t.missing.to_string()),
        ("Terlambat", t.late.to_string()),
        ("Rata-rata skor (yang mengirim)", avg),
    ];
    // Labels span C:E, values sit in F.
    for (label, value) in rows {
        r += 1;
        ws.merge_range(r, 2, r, 4, label, &st.cell)?;
        match value.parse::<f64>() {
            Ok(n) => ws.write_number_with_format(r, 5, n, &st.number)?,
            Err(_) => ws.write_string_with_format(r, 5, value, &st.number)?,
        };
    }
    r += 2;
    ws.write_string_with_format(
        r,
        2,
        format!("Sebaran Level Maturitas ({})", rubric.variable),
        &st.bold,
    )?;
    for level in 1..=5u8 {
        r += 1;
        let desc = rubric.level(level).map_or("", |l| l.description.as_str());
        ws.merge_range(
            r,
            2,
            r,
            4,
            &format!("{} — {desc}", level_name(level)),
            &st.cell,
        )?;
        ws.write_number_with_format(r, 5, t.levels[usize::from(level - 1)] as f64, &st.number)?;
    }

    // Chart of scores by OPD.
    let mut chart = Chart::new(ChartType::Bar);
    chart
        .add_series()
        .set_categories((SUMMARY, first, 2, last, 2))
        .set_values((SUMMARY, first, 11, last, 11))
        .set_name("Skor");
    chart.title().set_name(&format!(
        "Skor Maturitas Budaya Kerja per Perangkat Daerah {}",
        rekap.year
    ));
    chart
        .x_axis()
        .set_max(f64::from(rubric.max_score()))
        .set_min(0.0);
    chart.legend().set_hidden();
    chart
        .set_width(720)
        .set_height((rekap.units.len() as u32 * 18).clamp(300, 1600));
    // The chart starts on a new printed page.
    ws.insert_chart(r + 3, 2, &chart)?;
    ws.set_page_breaks(&[r + 2])?;

    // Signature block for the report to the Wali Kota through the Sekretaris Daerah.
    let sig = last + 2;
    ws.write_string(sig, 10, &form.table1.signature_place)?;
    ws.write_string(sig + 1, 10, &form.table1.signature_role)?;
    ws.write_string(sig + 6, 10, &form.table1.signature_name)?;

    ws.set_freeze_panes(first, 3)?;
    print_setup(ws, SUMMARY_HEADER_ROW)?;
    ws.set_active(true);
    Ok(())
}

fn table(ws: &mut Worksheet, headers: &[&str], rows: u32, name: &str) -> Result<(), XlsxError> {
    let columns: Vec<TableColumn> = headers
        .iter()
        .map(|h| TableColumn::new().set_header(*h))
        .collect();
    let table = Table::new()
        .set_name(name)
        .set_style(TableStyle::Medium2)
        .set_columns(&columns);
    ws.add_table(0, 0, rows.max(1), headers.len() as u16 - 1, &table)?;
    ws.set_freeze_panes(1, 0)?;
    print_setup(ws, 0)
}

/// Kegiatan's column headers.
pub const ACTIVITY_COLUMNS: [&str; 17] = [
    "Kode OPD",
    "Perangkat Daerah",
    "Indikator",
    "Baris",
    "No.",
    "Waktu Pelaksanaan",
    "Mulai",
    "Selesai",
    "Kegiatan",
    "Bentuk/ Media/ Peralatan yang Digunakan",
    "Permasalahan yang Dihadapi",
    "Upaya Pemecahan Permasalahan",
    "Data Dukung",
    "Sah",
    "Temuan",
    "Berkas",
    "Status Berkas",
];

fn write_activities(ws: &mut Worksheet, rekap: &Rekap, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name(ACTIVITIES)?;
    crate::print::column_widths(
        ws,
        &[
            12.0, 30.0, 9.0, 7.0, 6.0, 22.0, 11.0, 11.0, 40.0, 26.0, 26.0, 26.0, 40.0, 6.0, 30.0,
            30.0, 12.0,
        ],
    )?;
    let mut r = 0;
    let mut links = 0;
    for u in &rekap.units {
        let superseded = rekap.files.iter().filter(|f| {
            f.status == FileStatus::Superseded && f.unit.as_deref() == Some(u.code.as_str())
        });
        let sources = std::iter::once((
            u.file.as_deref().unwrap_or(""),
            FileStatus::Used,
            &u.activity_rows,
        ))
        .chain(superseded.map(|f| (f.path.as_str(), f.status, &f.activity_rows)));
        for (file, status, rows) in sources {
            for a in rows {
                if r >= MAX_TABLE_ROWS {
                    break;
                }
                r += 1;
                write_activity(ws, r, u, a, (file, status), st, &mut links)?;
            }
        }
    }
    note_cut(ws, r)?;
    table(ws, &ACTIVITY_COLUMNS, r, "Kegiatan")
}

/// One Kegiatan row.
fn write_activity(
    ws: &mut Worksheet,
    r: u32,
    u: &crate::rekap::UnitResult,
    a: &crate::rekap::ActivityRecord,
    (file, status): (&str, FileStatus),
    st: &Styles,
    links: &mut u32,
) -> Result<(), XlsxError> {
    text(ws, r, 0, &u.code, &Format::new())?;
    text(ws, r, 1, &u.name, &Format::new())?;
    match a.indicator {
        Some(n) => ws.write_number(r, 2, n as f64)?,
        None => ws.write_string(r, 2, "-")?,
    };
    ws.write_number(r, 3, f64::from(a.row))?;
    text(ws, r, 4, &a.number, &Format::new())?;
    let when = if a.recurring {
        format!("{} (rutin)", a.when_text)
    } else {
        a.when_text.clone()
    };
    text(ws, r, 5, &when, &Format::new())?;
    for (c, d) in [(6u16, a.start), (7, a.end)] {
        if let Some(d) = d {
            ws.write_date_with_format(r, c, d, &st.date)?;
        }
    }
    text(ws, r, 8, &a.activity, &st.wrap)?;
    text(ws, r, 9, &a.media, &st.wrap)?;
    text(ws, r, 10, &a.problem, &st.wrap)?;
    text(ws, r, 11, &a.solution, &st.wrap)?;
    link(ws, r, 12, &a.evidence, links)?;
    text(
        ws,
        r,
        13,
        if a.valid { "Ya" } else { "Tidak" },
        &Format::new(),
    )?;
    text(ws, r, 14, &a.codes.join(", "), &Format::new())?;
    text(ws, r, 15, file, &Format::new())?;
    text(ws, r, 16, status.label(), &Format::new())?;
    ws.set_row_height(
        r,
        row_height(&[
            (&a.activity, 40.0),
            (&a.media, 26.0),
            (&a.problem, 26.0),
            (&a.solution, 26.0),
        ]),
    )?;
    Ok(())
}

/// Excel's last usable table row (1,048,576 rows, one for the header).
pub const MAX_TABLE_ROWS: u32 = 1_048_574;

/// When a table was cut at Excel's row limit, says so in the row after it
/// (the JSON output keeps everything).
fn note_cut(ws: &mut Worksheet, rows: u32) -> Result<(), XlsxError> {
    if rows >= MAX_TABLE_ROWS {
        ws.write_string(
            rows + 1,
            0,
            "Baris berikutnya tidak dimuat karena melebihi batas baris Excel; lihat keluaran JSON (--json) untuk data lengkap.",
        )?;
    }
    Ok(())
}

/// Data Dukung's column headers.
pub const EVIDENCE_COLUMNS: [&str; 10] = [
    "Kode OPD",
    "Perangkat Daerah",
    "Indikator",
    "Butir",
    "Data Dukung",
    "Ketersediaan",
    "Tautan Data Dukung",
    "Keterangan",
    "Poin",
    "Sel",
];

fn write_evidence(
    ws: &mut Worksheet,
    rekap: &Rekap,
    form: &Form,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(EVIDENCE)?;
    crate::print::column_widths(
        ws,
        &[12.0, 30.0, 9.0, 6.0, 50.0, 13.0, 45.0, 25.0, 6.0, 14.0],
    )?;
    let mut r = 0;
    let mut links = 0;
    for u in &rekap.units {
        for ind in &u.indicators {
            for e in &ind.evidence {
                r += 1;
                let spec = &form.table2.indicators[ind.number - 1];
                let item_text = if e.item == "a" { &spec.a } else { &spec.b };
                text(ws, r, 0, &u.code, &Format::new())?;
                text(ws, r, 1, &u.name, &Format::new())?;
                ws.write_number(r, 2, ind.number as f64)?;
                text(ws, r, 3, &e.item, &Format::new())?;
                text(ws, r, 4, item_text, &st.wrap)?;
                text(ws, r, 5, &e.status_text, &Format::new())?;
                link(ws, r, 6, e.link.as_deref().unwrap_or(""), &mut links)?;
                text(ws, r, 7, &e.remark, &st.wrap)?;
                ws.write_number(r, 8, f64::from(e.points))?;
                text(ws, r, 9, e.cell.as_deref().unwrap_or(""), &Format::new())?;
                ws.set_row_height(r, row_height(&[(item_text, 50.0), (&e.remark, 25.0)]))?;
            }
        }
    }
    table(ws, &EVIDENCE_COLUMNS, r, "DataDukung")
}

/// Temuan's column headers.
pub const FINDING_COLUMNS: [&str; 8] = [
    "Kode OPD",
    "Perangkat Daerah",
    "Berkas",
    "Lembar",
    "Sel",
    "Tingkat",
    "Kode Temuan",
    "Pesan",
];

fn write_findings(ws: &mut Worksheet, rekap: &Rekap, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name(FINDINGS)?;
    crate::print::column_widths(ws, &[12.0, 30.0, 40.0, 12.0, 7.0, 11.0, 30.0, 90.0])?;
    let name_of = |code: &str| {
        rekap
            .units
            .iter()
            .find(|u| u.code == code)
            .map_or("", |u| u.name.as_str())
    };
    let mut r = 0;
    for file in &rekap.files {
        let code = file.unit.as_deref().unwrap_or("");
        for f in &file.findings {
            if r >= MAX_TABLE_ROWS {
                break;
            }
            r += 1;
            text(ws, r, 0, code, &Format::new())?;
            text(ws, r, 1, name_of(code), &Format::new())?;
            text(ws, r, 2, &f.location.file, &Format::new())?;
            text(
                ws,
                r,
                3,
                f.location.sheet.as_deref().unwrap_or(""),
                &Format::new(),
            )?;
            text(
                ws,
                r,
                4,
                f.location.cell.as_deref().unwrap_or(""),
                &Format::new(),
            )?;
            text(ws, r, 5, f.severity.label(), &Format::new())?;
            text(ws, r, 6, f.code.as_str(), &Format::new())?;
            text(ws, r, 7, &f.message, &st.wrap)?;
            ws.set_row_height(r, row_height(&[(&f.message, 90.0)]))?;
        }
    }
    note_cut(ws, r)?;
    table(ws, &FINDING_COLUMNS, r, "Temuan")?;
    let last = r.max(1);
    for (label, color) in [
        (Severity::Error.label(), "#FFC7CE"),
        (Severity::Warning.label(), "#FFEB9C"),
    ] {
        let cf = ConditionalFormatText::new()
            .set_rule(ConditionalFormatTextRule::BeginsWith(label.to_string()))
            .set_format(Format::new().set_background_color(color));
        ws.add_conditional_format(1, 5, last, 5, &cf)?;
    }
    Ok(())
}

/// Berkas's column headers.
pub const FILE_COLUMNS: [&str; 12] = [
    "Berkas",
    "SHA-256",
    "Format",
    "Kode OPD",
    "Tahun",
    "Waktu Kirim",
    "Sumber Waktu",
    "Dikenali Dari",
    "Status",
    "Alasan",
    "Jumlah Kegiatan",
    "Pengirim",
];

fn write_files(ws: &mut Worksheet, rekap: &Rekap, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name(FILES)?;
    crate::print::column_widths(
        ws,
        &[
            45.0, 20.0, 8.0, 14.0, 7.0, 16.0, 18.0, 22.0, 11.0, 70.0, 9.0, 28.0,
        ],
    )?;
    let mut r = 0;
    for f in &rekap.files {
        r += 1;
        text(ws, r, 0, &f.path, &Format::new())?;
        text(ws, r, 1, &f.sha256, &Format::new())?;
        text(ws, r, 2, f.format.as_str(), &Format::new())?;
        text(ws, r, 3, f.unit.as_deref().unwrap_or(""), &Format::new())?;
        if let Some(y) = f.year {
            ws.write_number(r, 4, f64::from(y))?;
        }
        if let Some(t) = f.submitted_at {
            ws.write_datetime_with_format(
                r,
                5,
                t.naive_local(),
                &Format::new().set_num_format("dd/mm/yyyy hh:mm"),
            )?;
        }
        text(
            ws,
            r,
            6,
            f.submitted_source.map_or("", |s| s.label()),
            &Format::new(),
        )?;
        text(
            ws,
            r,
            7,
            f.identified_by.map_or("", |s| s.label()),
            &Format::new(),
        )?;
        text(ws, r, 8, f.status.label(), &Format::new())?;
        text(ws, r, 9, f.reason.as_deref().unwrap_or(""), &st.wrap)?;
        ws.set_row_height(r, row_height(&[(f.reason.as_deref().unwrap_or(""), 70.0)]))?;
        ws.write_number(r, 10, f.activities as f64)?;
        text(ws, r, 11, f.sender.as_deref().unwrap_or(""), &Format::new())?;
    }
    for s in &rekap.skipped {
        r += 1;
        text(ws, r, 0, &s.path, &Format::new())?;
        text(ws, r, 8, "dilewati", &Format::new())?;
        text(ws, r, 9, &s.reason, &st.wrap)?;
        ws.set_row_height(r, row_height(&[(&s.reason, 70.0)]))?;
    }
    table(ws, &FILE_COLUMNS, r, "Berkas")
}

fn write_about(
    ws: &mut Worksheet,
    rekap: &Rekap,
    form: &Form,
    rubric: &Rubric,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(ABOUT)?;
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, 100)?;
    ws.write_string_with_format(0, 0, "Tentang rekap ini", &st.title)?;
    let rows: Vec<(&str, String)> = vec![
        ("Aplikasi", format!("monev {}", rekap.tool_version)),
        ("Waktu pembuatan", rekap.generated_at.clone()),
        ("Tahun pelaporan", rekap.year.to_string()),
        (
            "Dasar",
            format!("{} tentang {}", form.regulation.name, form.regulation.title),
        ),
        (
            "Daftar Perangkat Daerah",
            format!("{} ({} OPD)", rekap.roster, rekap.units.len()),
        ),
        (
            "Formulir",
            format!("{} (versi {})", rekap.form, rekap.form_version),
        ),
        (
            "Rubrik",
            format!("{} (versi {})", rekap.rubric, rekap.rubric_version),
        ),
        (
            "Variabel",
            format!("{} — {}", rubric.variable, rubric.source),
        ),
        (
            "Penilaian",
            format!(
                "Setiap indikator: butir a dan b masing-masing {} poin bila Ketersediaan \"Ada\" dan tautannya tanpa galat; {} poin bila Tabel 1 memuat sedikitnya satu kegiatan sah untuk indikator tersebut. Skor 0–{}. Level = 1 + jumlah indikator berturut-turut (mulai indikator 1) yang poinnya penuh.",
                rubric.item_points,
                rubric.activity_points,
                rubric.max_score()
            ),
        ),
        (
            "Domain tautan yang diterima",
            rekap.allowed_domains.join(", "),
        ),
        (
            "Berkas",
            format!(
                "{} dibaca, {} ditolak, {} digantikan, {} dilewati",
                rekap.totals.files,
                rekap.totals.rejected,
                rekap.totals.superseded,
                rekap.totals.skipped
            ),
        ),
        ("Batas waktu", form.deadline_text(rekap.year)),
    ];
    for (i, (k, v)) in rows.iter().enumerate() {
        ws.write_string_with_format(i as u32 + 2, 0, *k, &st.bold)?;
        ws.write_string_with_format(i as u32 + 2, 1, v, &st.wrap)?;
    }
    let mut r = rows.len() as u32 + 3;
    ws.write_string_with_format(r, 0, "Level Maturitas", &st.bold)?;
    for l in &rubric.levels {
        r += 1;
        ws.write_string(r, 0, &l.name)?;
        ws.write_string_with_format(r, 1, &l.description, &st.wrap)?;
    }
    print_setup(ws, 0)
}
