//! Feedback for each OPD (`monev rekap --umpan-balik FOLDER`): this year's
//! template for the OPD, pre-filled with exactly what it submitted (whatever
//! format and year of template it used), each problem cell coloured and
//! carrying a note with the finding, and a first sheet "Catatan Perbaikan"
//! with the status, score, level, points per indicator and every finding
//! linked to its cell. The OPD fixes the cells and sends the same file back;
//! read again, it counts as a fresh submission. Unchanged, it is recognised by
//! the key of its answers (`ingest::answers_key`) as monev's own output.

use rust_xlsxwriter::{Url, Worksheet, XlsxError};

use super::{fit_cell, level_name};
use crate::error::Result;
use crate::finding::{Finding, Severity, quote_sheet_name};
use crate::form::{Form, INDICATORS};
use crate::identity;
use crate::model::{ActivityRecord, Rekap, UnitResult, UnitStatus};
use crate::print::{Page, fit_row};
use crate::roster::Unit;
use crate::score::Rubric;
use crate::style::{Column, Kind, Styles, Value, write_header, write_row};
use crate::template::{Prefill, PrefillCell};

/// The feedback file name: `umpan-balik-2026-dinkes.xlsx`.
pub fn file_name(year: i32, code: &str) -> String {
    format!("umpan-balik-{year}-{code}.xlsx")
}

/// Builds one OPD's feedback workbook (see the module docs). Errors:
/// [`crate::Error::Workbook`].
pub fn build(unit: &UnitResult, rekap: &Rekap, form: &Form, rubric: &Rubric) -> Result<Vec<u8>> {
    let (prefill, placed) = prefill(unit, form);
    let key = crate::ingest::answers_key(
        prefill
            .activities
            .iter()
            .enumerate()
            .flat_map(|(n, rows)| rows.iter().map(move |r| (n, r)))
            .map(|(n, r)| {
                (
                    Some(n + 1),
                    [
                        r[1].key(),
                        r[2].key(),
                        r[3].key(),
                        r[4].key(),
                        r[5].key(),
                        r[6].key(),
                    ],
                )
            }),
        prefill
            .evidence
            .iter()
            .map(|e| [e[0].key(), e[1].key(), e[2].key()]),
    );
    let cover = |ws: &mut Worksheet, st: &Styles| cover(ws, st, unit, rekap, form, rubric, &placed);
    let owner = Unit {
        code: unit.code.clone(),
        name: unit.name.clone(),
        email: None,
    };
    crate::template::build_prefilled(
        form,
        &owner,
        rekap.year,
        &rekap.allowed_domains,
        &prefill,
        Some(&cover),
        &[
            (identity::PROP_KIND, identity::KIND_FEEDBACK.to_string()),
            (identity::PROP_ANSWERS, key),
        ],
    )
}

/// A finding placed in the feedback workbook: its sheet and cell there, when
/// it has one.
struct Placed<'a> {
    finding: &'a Finding,
    sheet: Option<String>,
    cell: Option<(u32, u16)>,
}

/// The text an answer is keyed by: its link, else its text (as
/// `CellText::link_or_text` reads it back).
trait AnswerKey {
    fn key(&self) -> &str;
}

impl AnswerKey for PrefillCell {
    fn key(&self) -> &str {
        self.link.as_deref().unwrap_or(&self.text)
    }
}

/// A submitted text as a pre-filled cell: a web address becomes a link.
fn answer(text: &str) -> PrefillCell {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let web = (lower.starts_with("https://") || lower.starts_with("http://"))
        && !t.contains(char::is_whitespace);
    PrefillCell {
        text: t.to_string(),
        link: web.then(|| t.to_string()),
        ..PrefillCell::default()
    }
}

/// The seven Tabel 1 columns of a submitted activity.
fn activity_cells(a: &ActivityRecord) -> [PrefillCell; 7] {
    [
        answer(&a.number),
        answer(&a.when_text),
        answer(&a.activity),
        answer(&a.media),
        answer(&a.problem),
        answer(&a.solution),
        answer(&a.evidence),
    ]
}

/// The unit's submission as a [`Prefill`] of this year's template, and each
/// of its OPD findings placed on the new cells. Activities keep their
/// indicator and order (rows above the first indicator go under indicator 1);
/// a finding on a cell that moved follows it.
fn prefill<'a>(unit: &'a UnitResult, form: &Form) -> (Prefill, Vec<Placed<'a>>) {
    let mut prefill = Prefill::default();
    // (file row, 1-based) -> (indicator index, position)
    let mut rows = std::collections::HashMap::new();
    for a in &unit.activity_rows {
        let n = a.indicator.unwrap_or(1).clamp(1, INDICATORS) - 1;
        rows.insert(a.row, (n, prefill.activities[n].len()));
        prefill.activities[n].push(activity_cells(a));
    }
    let evidence: Vec<_> = unit.indicators.iter().flat_map(|i| &i.evidence).collect();
    for e in &evidence {
        prefill.evidence.push([
            answer(&e.status_text),
            answer(e.link.as_deref().unwrap_or("")),
            answer(&e.remark),
        ]);
    }
    let blocks = prefill.table1_blocks();
    let sheets = unit.sheets.as_ref();
    let mut placed = Vec::new();
    for f in unit.findings.iter().filter(|f| f.for_opd()) {
        let on = |name: Option<&String>| name.is_some() && f.location.sheet.as_ref() == name;
        let (sheet, cell) = if on(sheets.map(|s| &s.table1)) {
            let s = sheets.expect("checked");
            let cell = f.location.row.zip(f.location.col).and_then(|(r, c)| {
                let (n, k) = *rows.get(&(r + 1))?;
                let col = s.table1_columns.iter().position(|x| *x == Some(c))?;
                Some((n, k, col))
            });
            match cell {
                Some((n, k, col)) => {
                    let target = &mut prefill.activities[n][k][col];
                    add_note(target, f);
                    (
                        Some(form.table1.sheet.clone()),
                        Some((blocks[n].0 + k as u32, col as u16)),
                    )
                }
                None => (Some(form.table1.sheet.clone()), None),
            }
        } else if on(sheets.map(|s| &s.table2)) {
            let s = sheets.expect("checked");
            let cell = f.location.row.zip(f.location.col).and_then(|(r, c)| {
                let j = evidence.iter().position(|e| e.row == Some(r))?;
                let col = s
                    .table2_columns
                    .iter()
                    .position(|x| *x == Some(c))
                    .filter(|col| (3..=5).contains(col))
                    .unwrap_or(3);
                Some((j, col))
            });
            match cell {
                Some((j, col)) => {
                    add_note(&mut prefill.evidence[j][col - 3], f);
                    (
                        Some(form.table2.sheet.clone()),
                        Some((Prefill::table2_row(j), col as u16)),
                    )
                }
                None => (Some(form.table2.sheet.clone()), None),
            }
        } else {
            (f.location.sheet.clone(), None)
        };
        placed.push(Placed {
            finding: f,
            sheet,
            cell,
        });
    }
    (prefill, placed)
}

/// Adds a finding to a cell's note.
fn add_note(cell: &mut PrefillCell, f: &Finding) {
    if !cell.note.is_empty() {
        cell.note.push('\n');
    }
    cell.note
        .push_str(&format!("{}: {}", f.severity.label(), f.message));
    cell.error |= f.severity == Severity::Error;
}

/// The sentence above the findings table: how to find what to fix. Coloured
/// cells are explained only when some cell is marked; a rejected file (nothing
/// could be read, so Tabel 1 and Tabel 2 behind are empty), a blank template,
/// or findings about the file as a whole mark none. None when there are no
/// findings ("Tidak ada temuan." follows). It never asks to send the file
/// back: the advice above it does, once ([`super::advice_for_opd`]), except
/// for a complete report, where sending a fixed file back is the OPD's choice
/// and this sentence says so.
fn findings_intro(unit: &UnitResult, placed: &[Placed]) -> Option<String> {
    let optional = if unit.status == UnitStatus::Complete {
        " Bila Anda memperbaikinya, simpan berkas ini lalu kirim kembali."
    } else {
        ""
    };
    if placed.iter().any(|p| p.cell.is_some()) {
        return Some(format!(
            "Sel yang perlu diperbaiki diberi warna (merah: galat, kuning: peringatan) dan catatan pada lembar Tabel 1 dan Tabel 2 di belakang lembar ini; klik alamat sel di bawah untuk menuju ke sana.{optional}"
        ));
    }
    match unit.status {
        UnitStatus::Rejected => Some(
            "Karena berkas Anda tidak dapat dibaca, lembar Tabel 1 dan Tabel 2 di belakang lembar ini masih kosong dan tidak ada sel yang diberi warna. Perbaiki berkas Anda sesuai temuan di bawah, atau isi Tabel 1 dan Tabel 2 pada berkas ini.".to_string(),
        ),
        UnitStatus::EmptyTemplate => Some(
            "Lembar Tabel 1 dan Tabel 2 di belakang lembar ini masih kosong, seperti templat yang Anda kirim, dan dapat langsung diisi.".to_string(),
        ),
        _ if placed.is_empty() => None,
        _ => Some(format!(
            "Temuan di bawah ini berlaku untuk berkas atau lembar secara keseluruhan, tidak untuk sel tertentu, sehingga tidak ada sel yang diberi warna.{optional}"
        )),
    }
}

/// Why a unit that was not scored has no points per indicator (one line in
/// place of the points table, which would otherwise be a header without
/// rows); None when it was scored.
fn no_points_reason(unit: &UnitResult) -> Option<&'static str> {
    if unit.score.is_some() && !unit.indicators.is_empty() {
        return None;
    }
    Some(match unit.status {
        UnitStatus::Rejected => {
            "Poin per indikator tidak dihitung karena berkas yang Anda kirim tidak dapat dibaca."
        }
        UnitStatus::EmptyTemplate => {
            "Poin per indikator tidak dihitung karena belum ada isian yang dapat dinilai."
        }
        _ => "Poin per indikator tidak dihitung karena tidak ada laporan yang dapat dinilai.",
    })
}

/// Whether `unit`'s feedback workbook colours any cell (a finding placed on a
/// cell of Tabel 1 or Tabel 2); for the reply draft, which must not speak of
/// coloured cells when there are none.
pub fn marks_cells(unit: &UnitResult, form: &Form) -> bool {
    prefill(unit, form).1.iter().any(|p| p.cell.is_some())
}

/// What the reply draft says about the attached feedback workbook (its
/// `{lampiran}`): a sentence, then what to do, ending in "lalu kirim kembali"
/// (the body goes on with "dengan membalas surel ini ke …"). Coloured cells
/// are mentioned only when some are marked ([`marks_cells`]).
pub fn attachment_note(unit: &UnitResult, form: &Form, year: i32) -> String {
    let name = &unit.name;
    match unit.status {
        UnitStatus::Rejected => format!(
            "Berkas yang Anda kirim tidak dapat dibaca, sehingga berkas ini adalah templat tahun {year} yang masih kosong, tanpa sel berwarna; lembar pertama \"{SHEET}\" memuat alasannya. Mohon perbaiki berkas Anda sesuai catatan itu atau isi templat ini, simpan, lalu kirim kembali"
        ),
        UnitStatus::EmptyTemplate => format!(
            "Berkas ini adalah templat tahun {year} untuk {name} yang masih kosong, seperti templat yang Anda kirim. Mohon isi Tabel 1 dan Tabel 2, simpan, lalu kirim kembali"
        ),
        // Nothing to fix before points are given: say so, and ask nothing.
        UnitStatus::Complete => {
            let marked = if marks_cells(unit, form) {
                "; sel dengan peringatan diberi warna dan catatan"
            } else {
                ""
            };
            format!(
                "Laporan {name} sudah lengkap. Berkas ini adalah templat tahun {year} yang sudah berisi isian Anda; lembar pertama \"{SHEET}\" memuat hasil pemeriksaannya{marked}. Perbaikan tidak wajib; bila Anda memperbaikinya, simpan pada berkas yang sama lalu kirim kembali"
            )
        }
        _ if marks_cells(unit, form) => format!(
            "Berkas ini adalah templat tahun {year} yang sudah berisi isian {name}; sel yang perlu diperbaiki diberi warna dan catatan, dan lembar pertama \"{SHEET}\" memuat daftar temuannya. Mohon perbaiki sel-sel tersebut pada berkas yang sama, simpan, lalu kirim kembali"
        ),
        _ => format!(
            "Berkas ini adalah templat tahun {year} yang sudah berisi isian {name}; lembar pertama \"{SHEET}\" memuat hasil pemeriksaan dan temuannya. Bila ada yang perlu diperbaiki, perbaiki pada berkas yang sama, simpan, lalu kirim kembali"
        ),
    }
}

/// The points table of the first sheet: per indicator, items a and b and the
/// activity, with the full points and whether it is met.
pub const POINT_COLUMNS: [Column; 6] = [
    Column::new("Indikator (Tabel 2)", 44.0, Kind::Text),
    Column::new("Butir a", 8.0, Kind::Integer),
    Column::new("Butir b", 8.0, Kind::Integer),
    Column::new("Kegiatan", 10.0, Kind::Integer),
    Column::new("Poin", 7.0, Kind::Integer),
    Column::new("Terpenuhi", 10.0, Kind::Center),
];

/// The first sheet's name.
pub const SHEET: &str = "Catatan Perbaikan";

/// The findings table's columns (on the first sheet, below the points, so
/// sharing its column widths): the message, the cell (a link to it), the
/// sheet and the severity.
pub const FINDING_COLUMNS: [Column; 4] = [
    Column::new("Temuan", 44.0, Kind::Text),
    Column::new("Sel", 8.0, Kind::Center),
    Column::new("Lembar", 8.0, Kind::Center),
    Column::new("Tingkat", 10.0, Kind::Center),
];

/// The first sheet, "Catatan Perbaikan": what the OPD's report earned and
/// every finding, each linked to the cell to fix in the sheets behind it.
fn cover(
    ws: &mut Worksheet,
    st: &Styles,
    unit: &UnitResult,
    rekap: &Rekap,
    form: &Form,
    rubric: &Rubric,
    placed: &[Placed],
) -> Result<(), XlsxError> {
    let print_title = format!(
        "Umpan Balik Monev Budaya Kerja BerAKHLAK {} — {}",
        rekap.year, unit.name
    );
    let cols = &POINT_COLUMNS;
    // Label column A, text across B:F.
    let label_width = cols[0].width;
    let text_width: f64 = cols[1..].iter().map(|c| c.width).sum();

    ws.set_name(SHEET)?;
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
    // A rejected file or a blank template is not scored: no score, no level.
    let not_scored = "tidak dinilai (tidak ada laporan yang dapat dinilai)".to_string();
    let level_text = unit.level.map_or(not_scored.clone(), |level| {
        format!(
            "{} — {}",
            level_name(level),
            rubric.level(level).map_or("", |l| l.description.as_str())
        )
    });
    let score_text = unit.score.map_or(not_scored, |score| {
        format!("{score} dari {}", rubric.max_score())
    });
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
        ("Skor", score_text),
        ("Level Maturitas", level_text),
        (
            "Temuan",
            // The findings this workbook lists, as the reply e-mail counts them.
            format!(
                "{} galat, {} peringatan",
                unit.count_for_opd(Severity::Error),
                unit.count_for_opd(Severity::Warning)
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
    let mut links = 0;
    if let Some(why) = no_points_reason(unit) {
        // The points table's column widths all the same: the texts above
        // and the findings table below are laid out on them.
        let widths: Vec<f64> = cols.iter().map(|c| c.width).collect();
        crate::print::column_widths(ws, &widths)?;
        ws.merge_range(r, 0, r, 5, why, &st.wrap)?;
        fit_row(ws, r, &[(why, label_width + text_width)])?;
    } else {
        r = write_points(ws, st, r, unit, form, rubric, &mut links)?;
    }
    r += 2;
    let advice = super::advice_for_opd(unit, form);
    ws.merge_range(r, 0, r, 5, &advice, &st.wrap)?;
    fit_row(ws, r, &[(&advice, label_width + text_width)])?;
    r += 2;
    if let Some(intro) = findings_intro(unit, placed) {
        ws.merge_range(r, 0, r, 5, &intro, &st.wrap)?;
        fit_row(ws, r, &[(&intro, label_width + text_width)])?;
        r += 2;
    }
    let fcols = &FINDING_COLUMNS;
    write_header(ws, r, fcols, st)?;
    let header = r;
    for p in placed {
        r += 1;
        let sheet = p.sheet.as_deref().unwrap_or("Berkas");
        let cell = p
            .cell
            .map(|(row, col)| crate::finding::a1(row, u32::from(col)))
            .unwrap_or_default();
        // The advice above asks once to send the file back.
        let values = [
            Value::Owned(super::without_send_back(&p.finding.message)),
            Value::Blank,
            Value::Text(sheet),
            Value::Text(p.finding.severity.label()),
        ];
        write_row(ws, r, fcols, &values, st, &mut links)?;
        if !cell.is_empty() {
            let target = format!("internal:{}!{cell}", quote_sheet_name(sheet));
            ws.write_url_with_options(r, 1, Url::new(target), &cell, "", Some(&st.link))?;
        }
    }
    if placed.is_empty() {
        r += 1;
        ws.merge_range(r, 0, r, 3, "Tidak ada temuan.", &st.cell)?;
    }
    crate::print::setup(ws, &Page::portrait(&print_title).repeat(header, header))?;
    Ok(())
}

/// The points table from row `r` (header) down, then the sentence on how the
/// points are counted; returns that sentence's row.
fn write_points(
    ws: &mut Worksheet,
    st: &Styles,
    mut r: u32,
    unit: &UnitResult,
    form: &Form,
    rubric: &Rubric,
    links: &mut u32,
) -> Result<u32, XlsxError> {
    let cols = &POINT_COLUMNS;
    let width: f64 = cols.iter().map(|c| c.width).sum();
    write_header(ws, r, cols, st)?;
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
        write_row(ws, r, cols, &values, st, links)?;
    }
    r += 2;
    let method = format!(
        "Butir a dan b: {} poin bila Ketersediaan \"{}\" dan tautannya diisi tanpa galat. Kegiatan: {} poin bila Tabel 1 memuat sedikitnya satu kegiatan yang lengkap (Waktu Pelaksanaan, Kegiatan, Bentuk/Media, Data Dukung) dengan tautan tanpa galat. Rubrik monev berdasarkan Permendagri 99/2018 variabel XI.",
        rubric.item_points, form.table2.availability[0], rubric.activity_points
    );
    ws.merge_range(r, 0, r, 5, &method, &st.wrap)?;
    fit_row(ws, r, &[(&method, width)])?;
    Ok(r)
}
