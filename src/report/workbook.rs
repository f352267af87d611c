//! The consolidated workbook for the city team (`rekap.xlsx`): Ringkasan,
//! Grafik, Rincian Skor, Kegiatan, Data Dukung, Temuan, Berkas and Tentang.
//! Every text that came from an input is written as a string, so a value
//! beginning with `=` never becomes a formula; links become hyperlinks only
//! when they are http(s). Each table sheet has one column spec
//! ([`crate::style::Column`]) that its header and rows follow; every sheet
//! prints on A4 ([`crate::print`]).
//!
//! Auditable: Rincian Skor gives, for every OPD and indicator, the points of
//! item a, item b and the activity, each beside the cell it comes from, so the
//! score can be recomputed from the workbook alone; Tentang states the rubric
//! in full ("Cara Penilaian").

use rust_xlsxwriter::{
    Chart, ChartFont, ChartType, ConditionalFormatCell, ConditionalFormatCellRule,
    ConditionalFormatDataBar, ConditionalFormatText, ConditionalFormatTextRule, DocProperties,
    Format, Workbook, Worksheet, XlsxError,
};

use super::level_name;
use crate::error::{Error, Result};
use crate::finding::Severity;
use crate::form::Form;
use crate::model::{
    EvidenceResult, FileStatus, IndicatorResult, Rekap, TimeSource, UnitResult, UnitStatus,
};
use crate::print::{Page, fit_row, row_height};
use crate::score::Rubric;
use crate::style::{Column, Kind, Styles, Value, col, write_header, write_row};

/// The value of [`crate::identity::PROP_KIND`] on a rekap.
pub const KIND_REKAP: &str = "rekap";

/// Sheet names.
pub const SUMMARY: &str = "Ringkasan";
pub const CHART: &str = "Grafik";
pub const DETAIL: &str = "Rincian Skor";
pub const ACTIVITIES: &str = "Kegiatan";
pub const EVIDENCE: &str = "Data Dukung";
pub const FINDINGS: &str = "Temuan";
pub const FILES: &str = "Berkas";
pub const ABOUT: &str = "Tentang";

use Kind::{Center, Date, DateTime, Integer, Link, Text};

/// Ringkasan's columns.
pub const SUMMARY_COLUMNS: [Column; 16] = [
    Column::new("No", 4.5, Integer),
    Column::new("Kode", 14.0, Center),
    Column::new("Perangkat Daerah", 34.0, Text),
    Column::new("Status", 14.0, Text),
    Column::new("Tanggal Kirim", 15.0, DateTime),
    Column::new("Sumber Tanggal", 14.0, Text),
    Column::new("Terlambat", 10.0, Center),
    Column::new("Jumlah Kegiatan", 9.0, Integer),
    Column::new("Indikator 1", 9.0, Integer),
    Column::new("Indikator 2", 9.0, Integer),
    Column::new("Indikator 3", 9.0, Integer),
    Column::new("Indikator 4", 9.0, Integer),
    Column::new("Skor", 7.0, Integer),
    Column::new("Level Maturitas", 9.0, Integer),
    Column::new("Galat", 7.0, Integer),
    Column::new("Peringatan", 11.0, Integer),
];

/// Ringkasan: 0-based row of the column headers (under the title, the basis
/// line and the legend of the four indicators).
pub const SUMMARY_HEADER_ROW: u32 = 9;

/// What "Sah" means, as stated on the sheets that use it.
pub const VALID_MEANING: &str = "Sah: kegiatan yang Waktu Pelaksanaan, Kegiatan, Bentuk/ Media/ Peralatan yang Digunakan, dan Data Dukung-nya terisi, dengan tautan Data Dukung tanpa galat. Hanya kegiatan sah yang memberi poin kegiatan.";

/// What each time in "Tanggal Kirim" is.
pub fn time_source_label(source: TimeSource) -> &'static str {
    match source {
        TimeSource::Email => "tanggal surel",
        TimeSource::Workbook => "terakhir disimpan",
        TimeSource::FileSystem => "waktu berkas",
    }
}

fn xlsx_err(e: XlsxError) -> Error {
    Error::Workbook {
        name: "rekap".into(),
        reason: e.to_string(),
    }
}

/// Builds the consolidated workbook in memory (tests and benches; the
/// command streams it into its output with [`write`]). Scratch files go to
/// the system's temporary folder. Errors: [`Error::Workbook`].
pub fn build(rekap: &Rekap, form: &Form, rubric: &Rubric) -> Result<Vec<u8>> {
    let mut out = std::io::Cursor::new(Vec::new());
    save(rekap, form, rubric, &std::env::temp_dir(), &mut out).map_err(|e| e.into_error(None))?;
    Ok(out.into_inner())
}

/// Writes the consolidated workbook into `file`, the staged output for
/// `path` (see [`crate::output::Produce`]). The large sheets are written in
/// rust_xlsxwriter's constant-memory mode, row by row, through scratch files
/// in `path`'s folder, so memory does not grow with the number of OPDs,
/// activities or findings. Errors: [`Error::Workbook`]; a failed write of the
/// file is [`Error::Write`] or [`Error::OutputLocked`] naming `path`.
pub fn write(
    rekap: &Rekap,
    form: &Form,
    rubric: &Rubric,
    file: &mut std::fs::File,
    path: &std::path::Path,
) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    save(rekap, form, rubric, dir, &mut out).map_err(|e| e.into_error(Some(path)))?;
    std::io::Write::flush(&mut out).map_err(|e| crate::output::io_error(path, &e))
}

/// Why saving the workbook failed.
enum SaveError {
    Xlsx(XlsxError),
    /// Writing a scratch file or the output.
    Io(std::io::Error),
    /// Re-packing the workbook (its message).
    Pack(String),
}

impl SaveError {
    fn into_error(self, path: Option<&std::path::Path>) -> Error {
        match (self, path) {
            (SaveError::Io(e), Some(p)) => crate::output::io_error(p, &e),
            (SaveError::Io(e), None) => xlsx_err(XlsxError::IoError(e)),
            (SaveError::Xlsx(e), _) => xlsx_err(e),
            (SaveError::Pack(reason), _) => xlsx_err(XlsxError::ParameterError(reason)),
        }
    }
}

/// Builds the workbook with scratch files in `dir`, saves it to a scratch
/// file there, and copies it into `out` with every chart labelling every
/// category ([`crate::print::label_every_category_into`]).
fn save<W: std::io::Write + std::io::Seek>(
    rekap: &Rekap,
    form: &Form,
    rubric: &Rubric,
    dir: &std::path::Path,
    out: W,
) -> Result<(), SaveError> {
    use std::io::Seek;
    let mut wb = assemble(rekap, form, rubric, dir).map_err(SaveError::Xlsx)?;
    let mut scratch = tempfile::tempfile_in(dir).map_err(SaveError::Io)?;
    wb.save_to_writer(std::io::BufWriter::with_capacity(1 << 16, &mut scratch))
        .map_err(SaveError::Xlsx)?;
    drop(wb);
    scratch.rewind().map_err(SaveError::Io)?;
    crate::print::label_every_category_into(
        std::io::BufReader::with_capacity(1 << 16, scratch),
        out,
    )
    .map_err(SaveError::Pack)
}

/// Zip compression level of the rekap (1 fastest … 9 smallest; rust_xlsxwriter's
/// default is 6). Compressing the sheets is most of the time a large rekap
/// takes to save: on 10,000 OPDs (149 MB of sheet XML) level 2 takes about a
/// third of level 6's time for a file about 25% larger (19 MB against 15 MB);
/// level 1 (zlib-rs's "quick" strategy) is no faster and much larger.
const ZIP_LEVEL: u8 = 2;

/// The workbook with every sheet written. Ringkasan, Rincian Skor, Kegiatan,
/// Data Dukung, Temuan and Berkas, which grow with the input, are
/// constant-memory sheets (rows written in order, strings inline, scratch
/// files in `dir`); Grafik (its chart reads its cells) and Tentang are small
/// and kept in memory.
fn assemble(
    rekap: &Rekap,
    form: &Form,
    rubric: &Rubric,
    dir: &std::path::Path,
) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_tempdir(dir)?;
    wb.set_zip_compression_level(ZIP_LEVEL);
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
    // The large sheets are filled in parallel, each in its own scratch file;
    // the workbook takes them in order. The shared formats are registered
    // first, so their order in the style table is always the same.
    for format in st.all() {
        wb.register_format(format);
    }
    let mut sheets = (0..6)
        .map(|_| wb.new_worksheet_with_constant_memory())
        .collect::<Result<Vec<Worksheet>, _>>()?;
    {
        use rayon::prelude::*;
        sheets
            .par_iter_mut()
            .enumerate()
            .map(|(i, ws)| match i {
                0 => write_summary(ws, rekap, form, rubric, &st),
                1 => write_detail(ws, rekap, form, rubric, &st),
                2 => write_activities(ws, rekap, &st),
                3 => write_evidence(ws, rekap, form, &st),
                4 => write_findings(ws, rekap, &st),
                _ => write_files(ws, rekap, &st),
            })
            .collect::<Result<Vec<()>, XlsxError>>()?;
    }
    let mut sheets = sheets.into_iter();
    let mut next = || sheets.next().expect("six sheets");
    wb.push_worksheet(next());
    write_chart(wb.add_worksheet(), rekap, rubric, &st)?;
    for _ in 0..5 {
        wb.push_worksheet(next());
    }
    write_about(wb.add_worksheet(), rekap, form, rubric, &st)?;
    Ok(wb)
}

/// The print title of a rekap sheet: "Rekap Budaya Kerja BerAKHLAK 2026 — Kegiatan".
fn page_title(rekap: &Rekap, sheet: &str) -> String {
    format!(
        "Rekapitulasi Monev Budaya Kerja BerAKHLAK {} — {sheet}",
        rekap.year
    )
}

/// The total width of columns `first..=last` of a spec (a merged range).
fn span(columns: &[Column], first: usize, last: usize) -> f64 {
    columns[first..=last].iter().map(|c| c.width).sum()
}

/// A line of text merged across `first..=last` of a sheet's columns, wrapped,
/// the row as tall as the text needs.
fn merged_line(
    ws: &mut Worksheet,
    row: u32,
    columns: &[Column],
    (first, last): (usize, usize),
    text: &str,
    fmt: &Format,
) -> Result<(), XlsxError> {
    // A line built from the input (the names of every OPD without a score)
    // can outgrow a cell: it is cut to Excel's limit rather than fail the rekap.
    let text = crate::style::fit_cell(text);
    if first == last {
        ws.write_string_with_format(row, first as u16, &text, fmt)?;
    } else {
        ws.merge_range(row, first as u16, row, last as u16, &text, fmt)?;
    }
    fit_row(ws, row, &[(&text, span(columns, first, last))])
}

fn write_summary(
    ws: &mut Worksheet,
    rekap: &Rekap,
    form: &Form,
    rubric: &Rubric,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(SUMMARY)?;
    let cols = &SUMMARY_COLUMNS;
    let all = (0, cols.len() - 1);
    merged_line(
        ws,
        0,
        cols,
        all,
        &format!(
            "Rekapitulasi Monitoring dan Evaluasi Penerapan Budaya Kerja BerAKHLAK Tahun {}",
            rekap.year
        ),
        &st.title,
    )?;
    ws.set_row_height(0, 20)?;
    merged_line(
        ws,
        1,
        cols,
        all,
        &format!(
            "{} — {}",
            form.regulation.government, form.regulation.city_team
        ),
        &st.bold,
    )?;
    merged_line(
        ws,
        2,
        cols,
        all,
        &format!(
            "Laporan disampaikan menurut {}. Poin, skor, dan level maturitas dihitung dengan rubrik monev yang disusun berdasarkan {} variabel {}, bukan ketentuan {}; rinciannya pada lembar \"{DETAIL}\" dan \"Cara Penilaian\" pada lembar \"{ABOUT}\".",
            form.regulation.short,
            short_source(rubric),
            rubric.variable,
            form.regulation.short,
        ),
        &st.wrap,
    )?;
    merged_line(
        ws,
        3,
        cols,
        all,
        "Indikator pada Tabel 1 dan Tabel 2:",
        &st.bold,
    )?;
    for (k, text) in form.table1.indicators.iter().enumerate() {
        merged_line(
            ws,
            4 + k as u32,
            cols,
            all,
            &format!("Indikator {}: {text}", k + 1),
            &st.wrap,
        )?;
    }
    merged_line(
        ws,
        SUMMARY_HEADER_ROW - 1,
        cols,
        all,
        "Sumber Tanggal: \"tanggal surel\" = waktu surel dikirim; \"terakhir disimpan\" = waktu buku kerja terakhir disimpan (bukan waktu kirim); \"waktu berkas\" = waktu ubah berkas di komputer operator.",
        &st.wrap,
    )?;
    write_header(ws, SUMMARY_HEADER_ROW, cols, st)?;
    let first = SUMMARY_HEADER_ROW + 1;
    let mut links = 0;
    for (i, u) in rekap.units.iter().enumerate() {
        let r = first + i as u32;
        let sent = u.status.is_scored();
        let late = match u.status {
            s if !s.is_scored() => "",
            _ if u.late => "Ya",
            _ => "Tidak",
        };
        let num = |v: usize| if sent { Value::from(v) } else { Value::Blank };
        let points = |k: usize| {
            u.indicators
                .get(k)
                .filter(|_| sent)
                .map_or(Value::Blank, |ind| Value::from(ind.points))
        };
        let values = [
            Value::from(i + 1),
            Value::Text(&u.code),
            Value::Text(&u.name),
            Value::Text(u.status.label()),
            u.submitted_at
                .map_or(Value::Blank, |t| Value::DateTime(t.naive_local())),
            Value::Text(unit_time_source(rekap, u).map_or("", time_source_label)),
            Value::Text(late),
            num(u.activities),
            points(0),
            points(1),
            points(2),
            points(3),
            Value::from(u.score.filter(|_| sent)),
            u.level
                .filter(|_| sent)
                .map_or(Value::Blank, |l| Value::from(u32::from(l))),
            num(u.count(Severity::Error)),
            num(u.count(Severity::Warning)),
        ];
        write_row(ws, r, cols, &values, st, &mut links)?;
    }
    let last = first + rekap.units.len().max(1) as u32 - 1;

    // Conditional formatting: status colours, score bars, errors in red.
    let fill = |color: &str| Format::new().set_background_color(color);
    let status_col = col(cols, "Status");
    for (label, color) in [
        (UnitStatus::Complete.label(), "#C6EFCE"),
        (UnitStatus::NeedsFix.label(), "#FFEB9C"),
        (UnitStatus::Rejected.label(), "#FFC7CE"),
        (UnitStatus::Missing.label(), "#FFC7CE"),
    ] {
        let cf = ConditionalFormatText::new()
            .set_rule(ConditionalFormatTextRule::Contains(label.to_string()))
            .set_format(fill(color));
        ws.add_conditional_format(first, status_col, last, status_col, &cf)?;
    }
    let score_col = col(cols, "Skor");
    ws.add_conditional_format(
        first,
        score_col,
        last,
        score_col,
        &ConditionalFormatDataBar::new(),
    )?;
    let errors = ConditionalFormatCell::new()
        .set_rule(ConditionalFormatCellRule::GreaterThan(0))
        .set_format(
            Format::new()
                .set_font_color("#9C0006")
                .set_background_color("#FFC7CE"),
        );
    let error_col = col(cols, "Galat");
    ws.add_conditional_format(first, error_col, last, error_col, &errors)?;

    // City totals and the distribution of levels (labels span C:E, values in
    // F) share rows with the signature block (K:P). The sheet is written row
    // by row (constant memory), so both are collected, then written in row
    // order; within a row, in the order given (the last height wins).
    let plain = Format::new();
    let mut tail: Vec<(u32, Tail)> = Vec::new();
    let t = &rekap.totals;
    let mut r = last + 2;
    tail.push((r, Tail::Text(2, "Jumlah Kota".into(), &st.bold)));
    let count = |n: usize| Some(n as f64);
    let rows: [(&str, Option<f64>, &Format); 8] = [
        ("Perangkat Daerah", count(t.units), &st.integer),
        (UnitStatus::Complete.label(), count(t.complete), &st.integer),
        (
            UnitStatus::NeedsFix.label(),
            count(t.needs_fix),
            &st.integer,
        ),
        (
            UnitStatus::Rejected.label(),
            count(t.rejected_units),
            &st.integer,
        ),
        (
            UnitStatus::EmptyTemplate.label(),
            count(t.empty_template),
            &st.integer,
        ),
        (UnitStatus::Missing.label(), count(t.missing), &st.integer),
        ("Terlambat", count(t.late), &st.integer),
        (
            "Rata-rata skor (yang dinilai)",
            t.average_score,
            &st.decimal,
        ),
    ];
    for (label, value, fmt) in rows {
        r += 1;
        tail.push((r, Tail::Merged((2, 4), label.into(), &st.cell)));
        tail.push((
            r,
            match value {
                Some(n) => Tail::Number(5, n, fmt),
                None => Tail::Text(5, "-".into(), &st.center),
            },
        ));
    }
    r += 2;
    tail.push((
        r,
        Tail::Merged(
            (2, 5),
            format!("Sebaran Level Maturitas ({})", rubric.variable),
            &st.bold,
        ),
    ));
    for level in 1..=5u8 {
        r += 1;
        let desc = rubric.level(level).map_or("", |l| l.description.as_str());
        tail.push((
            r,
            Tail::Merged((2, 4), format!("{} — {desc}", level_name(level)), &st.cell),
        ));
        tail.push((
            r,
            Tail::Number(5, t.levels[usize::from(level - 1)] as f64, &st.integer),
        ));
    }
    r += 2;
    tail.push((
        r,
        Tail::Merged(
            (2, 9),
            format!("Grafik skor per Perangkat Daerah: lihat lembar \"{CHART}\"."),
            &st.wrap,
        ),
    ));

    // Signature block for the report to the Wali Kota through the Sekretaris Daerah.
    let sig = last + 2;
    let sig_col = col(cols, "Indikator 3") as usize;
    let sig_cols = (sig_col, cols.len() - 1);
    tail.push((
        sig,
        Tail::Merged(sig_cols, form.table1.signature_place.clone(), &plain),
    ));
    tail.push((
        sig + 1,
        Tail::Merged(sig_cols, form.table1.signature_role.clone(), &st.wrap),
    ));
    tail.push((
        sig + 6,
        Tail::Merged(sig_cols, form.table1.signature_name.clone(), &plain),
    ));
    tail.sort_by_key(|(row, _)| *row);
    for (row, cell) in &tail {
        match cell {
            Tail::Merged(range, text, fmt) => merged_line(ws, *row, cols, *range, text, fmt)?,
            Tail::Text(c, text, fmt) => {
                ws.write_string_with_format(*row, *c, text, fmt)?;
            }
            Tail::Number(c, n, fmt) => {
                ws.write_number_with_format(*row, *c, *n, fmt)?;
            }
        }
    }

    ws.set_freeze_panes(first, 3)?;
    crate::print::setup(
        ws,
        &Page::landscape(&page_title(rekap, SUMMARY))
            .repeat(SUMMARY_HEADER_ROW, SUMMARY_HEADER_ROW),
    )?;
    ws.set_active(true);
    Ok(())
}

/// A cell below Ringkasan's table, collected to be written in row order.
enum Tail<'f> {
    /// A line merged across columns `first..=last` (see [`merged_line`]).
    Merged((usize, usize), String, &'f Format),
    Text(u16, String, &'f Format),
    Number(u16, f64, &'f Format),
}

/// "Permendagri 99/2018" when the rubric's source is that regulation, else its source.
fn short_source(rubric: &Rubric) -> String {
    if rubric.source.contains("Nomor 99 Tahun 2018") {
        "Permendagri 99/2018".to_string()
    } else {
        rubric.source.clone()
    }
}

/// Grafik's columns: the ranking the chart is drawn from.
pub const CHART_COLUMNS: [Column; 4] = [
    Column::new("Peringkat", 10.0, Integer),
    Column::new("Kode", 12.0, Center),
    Column::new("Perangkat Daerah", 52.0, Text),
    Column::new("Skor", 9.0, Integer),
];

/// Grafik: a bar chart of every OPD that sent a report, highest score on top,
/// every name labelled; OPDs that sent nothing are named in a line above it,
/// and the ranking the chart is drawn from follows on the next page.
fn write_chart(
    ws: &mut Worksheet,
    rekap: &Rekap,
    rubric: &Rubric,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(CHART)?;
    let cols = &CHART_COLUMNS;
    let all = (0, cols.len() - 1);
    let mut ranked: Vec<&UnitResult> = rekap
        .units
        .iter()
        .filter(|u| u.status.is_scored() && u.score.is_some())
        .collect();
    ranked.sort_by(|a, b| b.score.cmp(&a.score).then(a.name.cmp(&b.name)));
    // Units without a score, by status ("Belum Mengirim", "Ditolak", ...).
    let unscored: Vec<(UnitStatus, Vec<&str>)> = UnitStatus::ALL
        .iter()
        .filter(|s| !s.is_scored())
        .map(|&s| {
            let names = rekap
                .units
                .iter()
                .filter(|u| u.status == s)
                .map(|u| u.name.as_str())
                .collect::<Vec<_>>();
            (s, names)
        })
        .filter(|(_, names)| !names.is_empty())
        .collect();
    merged_line(
        ws,
        0,
        cols,
        all,
        &format!(
            "Skor Maturitas Budaya Kerja per Perangkat Daerah Tahun {}",
            rekap.year
        ),
        &st.title,
    )?;
    ws.set_row_height(0, 20)?;
    let missing_line = if unscored.is_empty() {
        "Semua Perangkat Daerah telah mengirim laporan yang dinilai.".to_string()
    } else {
        let groups: Vec<String> = unscored
            .iter()
            .map(|(s, names)| format!("{} ({}): {}.", s.label(), names.len(), names.join("; ")))
            .collect();
        format!("Tidak ada dalam grafik (tanpa skor). {}", groups.join(" "))
    };
    merged_line(ws, 1, cols, all, &missing_line, &st.wrap)?;

    // The chart fills the first page; the ranking starts on the next.
    let chart_row = 3;
    let missing_lines = crate::print::text_lines(&missing_line, span(cols, 0, 3), false) as u32;
    let height = chart_height(ranked.len(), CHART_ROOM - 20 * missing_lines.min(20));
    // Rows under the chart: 20 px each by default.
    let chart_rows = height.div_ceil(20) + 1;
    let header = chart_row + chart_rows;
    write_header(ws, header, cols, st)?;
    let mut links = 0;
    for (i, u) in ranked.iter().enumerate() {
        let values = [
            Value::from(i + 1),
            Value::Text(&u.code),
            Value::Text(&u.name),
            Value::from(u.score),
        ];
        write_row(ws, header + 1 + i as u32, cols, &values, st, &mut links)?;
    }
    if !ranked.is_empty() {
        let (first, last) = (header + 1, header + ranked.len() as u32);
        let mut chart = Chart::new(ChartType::Bar);
        chart
            .add_series()
            .set_categories((CHART, first, 2, last, 2))
            .set_values((CHART, first, 3, last, 3))
            .set_name("Skor")
            .set_gap(40);
        chart.title().set_hidden();
        chart
            .x_axis()
            .set_max(f64::from(rubric.max_score()))
            .set_min(0.0)
            .set_name("Skor")
            .set_font(ChartFont::new().set_size(8));
        // Categories run top to bottom in ranking order, every one labelled.
        chart
            .y_axis()
            .set_reverse()
            .set_label_interval(1)
            .set_font(ChartFont::new().set_size(7.5));
        chart.legend().set_hidden();
        chart.set_width(700).set_height(height);
        ws.insert_chart(chart_row, 0, &chart)?;
        ws.set_page_breaks(&[header])?;
    }
    crate::print::setup(
        ws,
        &Page::portrait(&page_title(rekap, CHART)).repeat(header, header),
    )
}

/// The chart's height in pixels for `names` bars within `room` pixels: 24 px
/// a name while that fits, down to 12 px (labels are 7.5 pt), so that 60 names
/// fit on one portrait A4 page under the heading.
pub fn chart_height(names: usize, room: u32) -> u32 {
    let n = names.max(1) as u32;
    let per_name = (room.saturating_sub(CHART_FRAME) / n).clamp(12, 24);
    (n * per_name + CHART_FRAME).max(260)
}

/// The room for the chart on a portrait A4 page, in pixels, under the title
/// row and above the footer, less what the line of OPDs that sent nothing
/// takes beyond its first line.
pub const CHART_ROOM: u32 = 880;
/// The chart's title, axis and margins, in pixels.
const CHART_FRAME: u32 = 110;

/// Rincian Skor's columns: per OPD and indicator, each point with its cell.
pub const DETAIL_COLUMNS: [Column; 13] = [
    Column::new("Kode", 11.0, Center),
    Column::new("Perangkat Daerah", 28.0, Text),
    Column::new("Indikator", 9.0, Integer),
    Column::new("Poin Butir a", 8.0, Integer),
    Column::new("Sel Butir a (Ketersediaan)", 14.0, Text),
    Column::new("Poin Butir b", 8.0, Integer),
    Column::new("Sel Butir b (Ketersediaan)", 14.0, Text),
    Column::new("Poin Kegiatan", 9.0, Integer),
    Column::new("Sel Kegiatan Sah Pertama", 14.0, Text),
    Column::new("Kegiatan Sah", 8.0, Integer),
    Column::new("Jumlah Poin", 8.0, Integer),
    Column::new("Terpenuhi", 10.0, Center),
    Column::new("Berkas", 24.0, Text),
];

/// Rincian Skor: 0-based row of the column headers.
pub const DETAIL_HEADER_ROW: u32 = 4;

fn write_detail(
    ws: &mut Worksheet,
    rekap: &Rekap,
    form: &Form,
    rubric: &Rubric,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(DETAIL)?;
    let cols = &DETAIL_COLUMNS;
    let all = (0, cols.len() - 1);
    merged_line(
        ws,
        0,
        cols,
        all,
        &format!("Rincian Skor per Indikator Tahun {}", rekap.year),
        &st.title,
    )?;
    merged_line(
        ws,
        1,
        cols,
        all,
        &format!(
            "Butir a dan b: {} poin bila Ketersediaan \"{}\" dan tautan Data Dukung terisi tanpa galat (sel = jawaban Ketersediaan pada {}). Kegiatan: {} poin bila ada sedikitnya satu kegiatan sah untuk indikator itu (sel = kegiatan sah pertama pada {}). Jumlah Poin = butir a + butir b + kegiatan; terpenuhi bila {} poin. Skor = jumlah poin keempat indikator.",
            rubric.item_points,
            form.table2.availability[0],
            form.table2.sheet,
            rubric.activity_points,
            form.table1.sheet,
            rubric.indicator_points(),
        ),
        &st.wrap,
    )?;
    merged_line(ws, 2, cols, all, VALID_MEANING, &st.wrap)?;
    write_header(ws, DETAIL_HEADER_ROW, cols, st)?;
    let mut r = DETAIL_HEADER_ROW;
    let mut links = 0;
    for u in rekap
        .units
        .iter()
        .filter(|u| u.status.is_scored() && u.score.is_some())
    {
        for ind in &u.indicators {
            r += 1;
            let items = item_points(ind);
            let cell = |item: &str| {
                ind.evidence
                    .iter()
                    .find(|e| e.item == item)
                    .and_then(availability_cell)
                    .unwrap_or_default()
            };
            let values = [
                Value::Text(&u.code),
                Value::Text(&u.name),
                Value::from(ind.number),
                Value::from(items[0]),
                Value::Owned(cell("a")),
                Value::from(items[1]),
                Value::Owned(cell("b")),
                Value::from(activity_points(ind)),
                Value::Owned(activity_cell(rekap, u, ind).unwrap_or_default()),
                Value::from(ind.valid_activities),
                Value::from(ind.points),
                Value::Text(if ind.met { "Ya" } else { "Belum" }),
                Value::Text(file_name(u.file.as_deref().unwrap_or(""))),
            ];
            write_row(ws, r, cols, &values, st, &mut links)?;
        }
    }
    ws.autofilter(
        DETAIL_HEADER_ROW,
        0,
        r.max(DETAIL_HEADER_ROW + 1),
        cols.len() as u16 - 1,
    )?;
    ws.set_freeze_panes(DETAIL_HEADER_ROW + 1, 0)?;
    crate::print::setup(
        ws,
        &Page::landscape(&page_title(rekap, DETAIL)).repeat(DETAIL_HEADER_ROW, DETAIL_HEADER_ROW),
    )
}

/// The last component of a path as given ("masuk/a.xlsx" → "a.xlsx").
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// Kegiatan's columns. Printed in two parts side by side (break before
/// "Permasalahan"), with Kode OPD, Indikator and Baris repeated on both.
pub const ACTIVITY_COLUMNS: [Column; 18] = [
    Column::new("Kode OPD", 11.0, Center),
    Column::new("Indikator", 9.0, Center),
    Column::new("Baris", 7.0, Integer),
    Column::new("No.", 6.0, Center),
    Column::new("Waktu Pelaksanaan", 18.0, Text),
    Column::new("Mulai", 11.0, Date),
    Column::new("Selesai", 11.0, Date),
    Column::new("Kegiatan", 36.0, Text),
    Column::new("Bentuk/ Media/ Peralatan yang Digunakan", 24.0, Text),
    Column::new("Sah", 7.0, Center),
    Column::new("Perangkat Daerah", 24.0, Text),
    Column::new("Permasalahan yang Dihadapi", 26.0, Text),
    Column::new("Upaya Pemecahan Permasalahan", 26.0, Text),
    Column::new("Data Dukung", 30.0, Text),
    Column::new("Buka", 6.0, Link),
    Column::new("Temuan", 18.0, Text),
    Column::new("Berkas", 22.0, Text),
    Column::new("Status Berkas", 10.0, Center),
];

/// Kegiatan: 0-based row of the column headers (under the meaning of "Sah").
pub const ACTIVITIES_HEADER_ROW: u32 = 2;

fn write_activities(ws: &mut Worksheet, rekap: &Rekap, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name(ACTIVITIES)?;
    let cols = &ACTIVITY_COLUMNS;
    // Each printed part carries its own legend (columns A:C repeat on both).
    let part1 = (3, col(cols, "Perangkat Daerah") as usize);
    let part2 = (part1.1 + 1, cols.len() - 1);
    let legend1 = format!(
        "{VALID_MEANING} Baris = nomor baris pada Tabel 1 berkas OPD; No. = isian kolom 1."
    );
    let legend2 = "Baris = nomor baris pada Tabel 1 berkas OPD. Buka = tautan Data Dukung yang dapat diklik. Temuan = kode temuan pada baris itu (pesannya pada lembar Temuan).";
    for ((first, last), text) in [(part1, legend1.as_str()), (part2, legend2)] {
        ws.merge_range(0, first as u16, 0, last as u16, text, &st.wrap)?;
    }
    fit_row(
        ws,
        0,
        &[
            (&legend1, span(cols, part1.0, part1.1)),
            (legend2, span(cols, part2.0, part2.1)),
        ],
    )?;
    write_header(ws, ACTIVITIES_HEADER_ROW, cols, st)?;
    let mut r = ACTIVITIES_HEADER_ROW;
    let mut links = 0;
    // Superseded files by unit, in file order (one pass, not one per unit).
    let mut superseded_of: std::collections::HashMap<&str, Vec<&crate::model::FileResult>> =
        std::collections::HashMap::new();
    for f in &rekap.files {
        if let (FileStatus::Superseded, Some(code)) = (f.status, f.unit.as_deref()) {
            superseded_of.entry(code).or_default().push(f);
        }
    }
    for u in &rekap.units {
        let superseded = superseded_of
            .get(u.code.as_str())
            .into_iter()
            .flatten()
            .copied();
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
                let when = if a.recurring {
                    format!("{} (rutin)", a.when_text)
                } else {
                    a.when_text.clone()
                };
                let values = [
                    Value::Text(&u.code),
                    a.indicator.map_or(Value::Text("-"), Value::from),
                    Value::from(a.row),
                    Value::Text(&a.number),
                    Value::Owned(when),
                    a.start.map_or(Value::Blank, Value::Date),
                    a.end.map_or(Value::Blank, Value::Date),
                    Value::Text(&a.activity),
                    Value::Text(&a.media),
                    Value::Text(if a.valid { "Ya" } else { "Tidak" }),
                    Value::Text(&u.name),
                    Value::Text(&a.problem),
                    Value::Text(&a.solution),
                    Value::Text(&a.evidence),
                    Value::Text(&a.evidence),
                    Value::Owned(a.codes.join(", ")),
                    Value::Text(file_name(file)),
                    Value::Text(status.label()),
                ];
                write_row(ws, r, cols, &values, st, &mut links)?;
            }
        }
    }
    note_cut(ws, r)?;
    let last_col = cols.len() as u16 - 1;
    ws.autofilter(
        ACTIVITIES_HEADER_ROW,
        0,
        r.max(ACTIVITIES_HEADER_ROW + 1),
        last_col,
    )?;
    ws.set_freeze_panes(ACTIVITIES_HEADER_ROW + 1, 3)?;
    ws.set_vertical_page_breaks(&[part1.1 as u32 + 1])?;
    crate::print::setup(
        ws,
        &Page {
            repeat_cols: Some((0, 2)),
            fit_width: false,
            scale: 80,
            ..Page::landscape(&page_title(rekap, ACTIVITIES))
                .repeat(ACTIVITIES_HEADER_ROW, ACTIVITIES_HEADER_ROW)
        },
    )
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

/// Data Dukung's columns.
pub const EVIDENCE_COLUMNS: [Column; 12] = [
    Column::new("Kode OPD", 11.0, Center),
    Column::new("Perangkat Daerah", 24.0, Text),
    Column::new("Indikator", 9.0, Integer),
    Column::new("Butir", 6.0, Center),
    Column::new("Data Dukung", 38.0, Text),
    Column::new("Ketersediaan", 12.0, Text),
    Column::new("Sel", 12.0, Text),
    Column::new("Tautan Data Dukung", 34.0, Text),
    Column::new("Buka", 6.0, Link),
    Column::new("Sel Tautan", 12.0, Text),
    Column::new("Keterangan", 20.0, Text),
    Column::new("Poin", 6.0, Integer),
];

/// Data Dukung: 0-based row of the column headers.
pub const EVIDENCE_HEADER_ROW: u32 = 2;

fn write_evidence(
    ws: &mut Worksheet,
    rekap: &Rekap,
    form: &Form,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(EVIDENCE)?;
    let cols = &EVIDENCE_COLUMNS;
    merged_line(
        ws,
        0,
        cols,
        (0, cols.len() - 1),
        &format!(
            "Jawaban {} per Perangkat Daerah dan butir. Sel = sel jawaban Ketersediaan; Sel Tautan = sel tautan Data Dukung. Poin diberikan bila Ketersediaan \"{}\" dan tautannya terisi tanpa galat.",
            form.table2.sheet, form.table2.availability[0]
        ),
        &st.wrap,
    )?;
    write_header(ws, EVIDENCE_HEADER_ROW, cols, st)?;
    let mut r = EVIDENCE_HEADER_ROW;
    let mut links = 0;
    for u in &rekap.units {
        for ind in &u.indicators {
            for e in &ind.evidence {
                r += 1;
                let spec = &form.table2.indicators[ind.number - 1];
                let item_text = if e.item == "a" { &spec.a } else { &spec.b };
                let values = [
                    Value::Text(&u.code),
                    Value::Text(&u.name),
                    Value::from(ind.number),
                    Value::Text(&e.item),
                    Value::Text(item_text),
                    Value::Text(&e.status_text),
                    Value::Owned(availability_cell(e).unwrap_or_default()),
                    Value::Text(e.link.as_deref().unwrap_or("")),
                    Value::Text(e.link.as_deref().unwrap_or("")),
                    Value::Owned(link_cell(e).unwrap_or_default()),
                    Value::Text(&e.remark),
                    Value::from(e.points),
                ];
                write_row(ws, r, cols, &values, st, &mut links)?;
            }
        }
    }
    let last_col = cols.len() as u16 - 1;
    ws.autofilter(
        EVIDENCE_HEADER_ROW,
        0,
        r.max(EVIDENCE_HEADER_ROW + 1),
        last_col,
    )?;
    ws.set_freeze_panes(EVIDENCE_HEADER_ROW + 1, 0)?;
    crate::print::setup(
        ws,
        &Page::landscape(&page_title(rekap, EVIDENCE))
            .repeat(EVIDENCE_HEADER_ROW, EVIDENCE_HEADER_ROW),
    )
}

/// Temuan's columns.
pub const FINDING_COLUMNS: [Column; 8] = [
    Column::new("Kode OPD", 11.0, Center),
    Column::new("Perangkat Daerah", 24.0, Text),
    Column::new("Berkas", 26.0, Text),
    Column::new("Lembar", 11.0, Text),
    Column::new("Sel", 7.0, Center),
    Column::new("Tingkat", 11.0, Center),
    Column::new("Kode Temuan", 24.0, Text),
    Column::new("Pesan", 62.0, Text),
];

fn write_findings(ws: &mut Worksheet, rekap: &Rekap, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name(FINDINGS)?;
    let cols = &FINDING_COLUMNS;
    write_header(ws, 0, cols, st)?;
    let names: std::collections::HashMap<&str, &str> = rekap
        .units
        .iter()
        .map(|u| (u.code.as_str(), u.name.as_str()))
        .collect();
    let name_of = |code: &str| names.get(code).copied().unwrap_or("");
    let mut r = 0;
    let mut links = 0;
    for file in &rekap.files {
        let code = file.unit.as_deref().unwrap_or("");
        for f in &file.findings {
            if r >= MAX_TABLE_ROWS {
                break;
            }
            r += 1;
            let values = [
                Value::Text(code),
                Value::Text(name_of(code)),
                Value::Text(&f.location.file),
                Value::Text(f.location.sheet.as_deref().unwrap_or("")),
                Value::Owned(f.location.cell().unwrap_or_default()),
                Value::Text(f.severity.label()),
                Value::Text(f.code.as_str()),
                Value::Text(&f.message),
            ];
            write_row(ws, r, cols, &values, st, &mut links)?;
        }
    }
    note_cut(ws, r)?;
    let last = r.max(1);
    ws.autofilter(0, 0, last, cols.len() as u16 - 1)?;
    ws.set_freeze_panes(1, 0)?;
    let severity_col = col(cols, "Tingkat");
    for (label, color) in [
        (Severity::Error.label(), "#FFC7CE"),
        (Severity::Warning.label(), "#FFEB9C"),
    ] {
        let cf = ConditionalFormatText::new()
            .set_rule(ConditionalFormatTextRule::BeginsWith(label.to_string()))
            .set_format(Format::new().set_background_color(color));
        ws.add_conditional_format(1, severity_col, last, severity_col, &cf)?;
    }
    crate::print::setup(
        ws,
        &Page::landscape(&page_title(rekap, FINDINGS)).repeat(0, 0),
    )
}

/// Berkas's columns.
pub const FILE_COLUMNS: [Column; 12] = [
    Column::new("Berkas", 30.0, Text),
    Column::new("SHA-256", 18.0, Text),
    Column::new("Format", 7.0, Center),
    Column::new("Kode OPD", 11.0, Center),
    Column::new("Tahun", 7.0, Center),
    Column::new("Waktu Kirim", 15.0, DateTime),
    Column::new("Sumber Waktu", 14.0, Text),
    Column::new("Dikenali Dari", 16.0, Text),
    Column::new("Status", 11.0, Center),
    Column::new("Alasan", 40.0, Text),
    Column::new("Jumlah Kegiatan", 9.0, Integer),
    Column::new("Pengirim", 22.0, Text),
];

fn write_files(ws: &mut Worksheet, rekap: &Rekap, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name(FILES)?;
    let cols = &FILE_COLUMNS;
    write_header(ws, 0, cols, st)?;
    let mut r = 0;
    let mut links = 0;
    for f in &rekap.files {
        r += 1;
        let values = [
            Value::Text(&f.path),
            Value::Text(&f.sha256),
            Value::Text(f.format.as_str()),
            Value::Text(f.unit.as_deref().unwrap_or("")),
            f.year.map_or(Value::Blank, |y| Value::Number(f64::from(y))),
            f.submitted_at
                .map_or(Value::Blank, |t| Value::DateTime(t.naive_local())),
            Value::Text(f.submitted_source.map_or("", time_source_label)),
            Value::Text(f.identified_by.map_or("", |s| s.label())),
            Value::Text(f.status.label()),
            Value::Text(f.reason.as_deref().unwrap_or("")),
            Value::from(f.activities),
            Value::Text(f.sender.as_deref().unwrap_or("")),
        ];
        write_row(ws, r, cols, &values, st, &mut links)?;
    }
    for s in &rekap.skipped {
        r += 1;
        let mut values = vec![Value::Blank; cols.len()];
        values[0] = Value::Text(&s.path);
        values[col(cols, "Status") as usize] = Value::Text("dilewati");
        values[col(cols, "Alasan") as usize] = Value::Text(&s.reason);
        write_row(ws, r, cols, &values, st, &mut links)?;
    }
    ws.autofilter(0, 0, r.max(1), cols.len() as u16 - 1)?;
    ws.set_freeze_panes(1, 0)?;
    crate::print::setup(ws, &Page::landscape(&page_title(rekap, FILES)).repeat(0, 0))
}

/// Tentang's two columns: label and text.
const ABOUT_WIDTHS: [f64; 2] = [28.0, 62.0];

fn write_about(
    ws: &mut Worksheet,
    rekap: &Rekap,
    form: &Form,
    rubric: &Rubric,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(ABOUT)?;
    crate::print::column_widths(ws, &ABOUT_WIDTHS)?;
    ws.write_string_with_format(0, 0, "Tentang rekap ini", &st.title)?;
    let rows: Vec<(&str, String)> = vec![
        ("Aplikasi", format!("monev {}", rekap.tool_version)),
        (
            "Waktu pembuatan",
            chrono::DateTime::parse_from_rfc3339(&rekap.generated_at).map_or_else(
                |_| rekap.generated_at.clone(),
                |t| t.format(crate::print::WIB_DATETIME).to_string(),
            ),
        ),
        ("Tahun pelaporan", rekap.year.to_string()),
        (
            "Dasar pelaporan",
            format!(
                "{} tentang {}: Perangkat Daerah melaporkan penerapan Budaya Kerja dengan Tabel 1–3.",
                form.regulation.name, form.regulation.title
            ),
        ),
        (
            "Batas waktu",
            format!(
                "Menurut {}: selambat-lambatnya bulan Agustus. monev memakai tanggal {}; kiriman sesudahnya ditandai terlambat.",
                form.regulation.short,
                form.deadline_text(rekap.year)
            ),
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
    ];
    let mut r = 1;
    for (k, v) in &rows {
        r += 1;
        key_value(ws, r, k, v, st)?;
    }
    r += 2;
    ws.write_string_with_format(r, 0, "Cara Penilaian", &st.title)?;
    for (k, v) in scoring_method(rubric, form) {
        r += 1;
        key_value(ws, r, &k, &v, st)?;
    }
    r += 2;
    ws.write_string_with_format(r, 0, "Level Maturitas", &st.header)?;
    ws.write_string_with_format(r, 1, "Uraian dan syarat", &st.header)?;
    for l in &rubric.levels {
        r += 1;
        let text = format!(
            "{}\nDicapai bila: {}",
            l.description,
            level_condition(l.level)
        );
        ws.write_string_with_format(r, 0, &l.name, &st.cell)?;
        ws.write_string_with_format(r, 1, &text, &st.cell)?;
        fit_row(ws, r, &[(&text, ABOUT_WIDTHS[1])])?;
    }
    crate::print::setup(ws, &Page::portrait(&page_title(rekap, ABOUT)))
}

fn key_value(
    ws: &mut Worksheet,
    r: u32,
    key: &str,
    value: &str,
    st: &Styles,
) -> Result<(), XlsxError> {
    let value = crate::style::fit_cell(value);
    let value = value.as_str();
    ws.write_string_with_format(r, 0, key, &st.bold)?;
    ws.write_string_with_format(r, 1, value, &st.wrap)?;
    let h = row_height(&[(value, ABOUT_WIDTHS[1])], false)
        .max(row_height(&[(key, ABOUT_WIDTHS[0])], true));
    if h > crate::print::LINE_HEIGHT {
        ws.set_row_height(r, h)?;
    }
    Ok(())
}

/// The rubric in full, as (label, text) lines, from `templates/rubrik.toml`
/// (or `--rubrik`).
pub fn scoring_method(rubric: &Rubric, form: &Form) -> Vec<(String, String)> {
    vec![
        (
            "Rubrik".into(),
            format!(
                "{} (versi {}): variabel {} pada {}.",
                rubric.origin, rubric.version, rubric.variable, rubric.source
            ),
        ),
        (
            "Kedudukan".into(),
            format!(
                "Poin dan level di bawah ini adalah rubrik monev yang disusun berdasarkan {} variabel {}, bukan ketentuan {}. {} mengatur kewajiban melapor dan formulirnya, tidak mengatur poin.",
                short_source(rubric),
                rubric.variable,
                form.regulation.short,
                form.regulation.short,
            ),
        ),
        (
            "Butir a dan b".into(),
            format!(
                "Setiap butir data dukung pada {} bernilai {} poin bila Ketersediaan \"{}\" dan tautan Data Dukung diisi tanpa galat; selain itu 0.",
                form.table2.sheet, rubric.item_points, form.table2.availability[0]
            ),
        ),
        (
            "Kegiatan".into(),
            format!(
                "Setiap indikator mendapat {} poin bila {} memuat sedikitnya satu kegiatan sah untuk indikator itu. {VALID_MEANING}",
                rubric.activity_points, form.table1.sheet
            ),
        ),
        (
            "Indikator terpenuhi".into(),
            format!(
                "Bila poinnya penuh: 2 × {} + {} = {} poin.",
                rubric.item_points,
                rubric.activity_points,
                rubric.indicator_points()
            ),
        ),
        (
            "Skor".into(),
            format!(
                "Jumlah poin keempat indikator, 0–{}.",
                rubric.max_score()
            ),
        ),
        (
            "Level".into(),
            "1 + banyaknya indikator terpenuhi berturut-turut mulai Indikator 1 (Level I–V). Perangkat Daerah yang belum mengirim tidak memiliki skor maupun level.".into(),
        ),
    ]
}

/// When a level is reached, in words.
fn level_condition(level: u8) -> String {
    match level {
        1 => "Indikator 1 belum terpenuhi.".into(),
        5 => "Indikator 1 sampai 4 terpenuhi.".into(),
        2 => "Indikator 1 terpenuhi, Indikator 2 belum.".into(),
        n => format!(
            "Indikator 1 sampai {} terpenuhi, Indikator {n} belum.",
            n - 1
        ),
    }
}

// The model fields the audit columns read. Each has one accessor here, so the
// sheets above don't depend on how the model stores them.

/// Where a unit's submission time came from.
fn unit_time_source(_rekap: &Rekap, u: &UnitResult) -> Option<TimeSource> {
    u.submitted_source
}

/// Points of items a and b.
fn item_points(ind: &IndicatorResult) -> [u32; 2] {
    ind.item_points
}

/// The activity points of an indicator.
fn activity_points(ind: &IndicatorResult) -> u32 {
    ind.activity_points
}

/// The first valid activity's cell of an indicator ("'Tabel 1'!C8").
fn activity_cell(_rekap: &Rekap, _u: &UnitResult, ind: &IndicatorResult) -> Option<String> {
    ind.activity_cell.clone()
}

/// The Ketersediaan cell of an item.
fn availability_cell(e: &EvidenceResult) -> Option<String> {
    e.availability_cell.clone()
}

/// The link cell of an item.
fn link_cell(e: &EvidenceResult) -> Option<String> {
    e.link_cell.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_fits_34_and_60_names_on_one_page_with_readable_bars() {
        for n in [1, 5, 34, 60] {
            let h = chart_height(n, CHART_ROOM);
            assert!(h <= CHART_ROOM, "{n} names: {h} px");
            assert!((h - CHART_FRAME) / n as u32 >= 12, "{n} names: {h} px");
        }
        assert!(chart_height(34, CHART_ROOM) >= 34 * 20);
        // 30 reporting and 30 missing (a long line above the chart) still fit.
        let h = chart_height(30, CHART_ROOM - 20 * 8);
        assert!(h <= CHART_ROOM - 20 * 8 && (h - CHART_FRAME) / 30 >= 12);
    }
}
