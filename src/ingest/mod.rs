//! Reading a returned workbook into a [`Submission`]: which OPD and year it is,
//! every filled Tabel 1 row with its indicator, and the eight Tabel 2 answers.
//!
//! Users rename sheets, insert columns and insert rows, so nothing here relies on
//! positions: sheets are found by name or else by their header texts, columns by
//! header text, and each Tabel 1 row belongs to the nearest indicator row above it.
//! Problems with the structure are findings; only an unreadable file, a file that
//! is no template, or an unknown OPD rejects the file.

pub mod ods;
pub mod source;
pub mod workbook;
pub mod xls;

use std::sync::LazyLock;

use calamine::Data;
use chrono::{DateTime, FixedOffset, NaiveDate};
use regex::Regex;
use serde::Serialize;

use crate::dates::{When, parse_when};
use crate::finding::{Code, Finding, Location};
use crate::form::{Form, INDICATORS, col, col2};
use crate::identity::{self, Identity};
use crate::roster::Roster;
use crate::text::{normalize_key, squash};
use source::Input;
use workbook::{Book, Links, Sheet, data_text};

/// How the OPD of a file was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentifiedBy {
    /// Custom document properties.
    Properties,
    /// The `_monev` sheet.
    IdentitySheet,
    /// The OPD name shown on Tabel 1.
    UnitName,
    /// The file name.
    FileName,
}

impl IdentifiedBy {
    /// Indonesian description for reports.
    pub fn label(self) -> &'static str {
        match self {
            IdentifiedBy::Properties => "properti dokumen",
            IdentifiedBy::IdentitySheet => "lembar _monev",
            IdentifiedBy::UnitName => "nama Perangkat Daerah pada Tabel 1",
            IdentifiedBy::FileName => "nama berkas",
        }
    }
}

/// A cell's content as read: the text shown and, for links, the target.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CellText {
    /// Absolute 0-based (row, column); None when the column is missing.
    #[serde(skip)]
    pub pos: Option<(u32, u32)>,
    /// What the cell shows (trimmed).
    pub text: String,
    /// The hyperlink target, when the cell has one.
    pub link: Option<String>,
}

impl CellText {
    /// True when the cell holds nothing.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty() && self.link.is_none()
    }

    /// The link target if any, else the text: what a link check judges.
    pub fn link_or_text(&self) -> &str {
        self.link.as_deref().unwrap_or(&self.text)
    }
}

/// One filled Tabel 1 row.
#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    /// 1..=4, or None when the row sits above every indicator row.
    pub indicator: Option<usize>,
    /// Absolute 0-based row.
    pub row: u32,
    /// The seven columns in the regulation's order.
    pub cells: [CellText; 7],
    /// Waktu Pelaksanaan, understood.
    #[serde(skip)]
    pub when: When,
}

/// The answer in Ketersediaan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    Ada,
    BelumAda,
    Empty,
    /// Something else was typed.
    Invalid(String),
}

/// One Tabel 2 evidence item (1a … 4b).
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// 1..=4.
    pub indicator: usize,
    /// 'a' or 'b'.
    pub item: char,
    /// Absolute 0-based row; None when the row was not found.
    pub row: Option<u32>,
    pub availability: Availability,
    pub link: CellText,
    pub remark: String,
}

/// What one accepted workbook holds.
#[derive(Debug, Clone)]
pub struct Submission {
    pub unit: String,
    pub identified_by: IdentifiedBy,
    /// The year the template states, if any.
    pub year: Option<i32>,
    pub table1_sheet: String,
    pub table2_sheet: String,
    /// The absolute column of each Tabel 1 field (None when missing).
    pub table1_columns: [Option<u32>; 7],
    /// The absolute column of each Tabel 2 field (None when missing).
    pub table2_columns: [Option<u32>; 6],
    pub activities: Vec<Activity>,
    pub evidence: Vec<Evidence>,
    /// Structural findings (missing columns or rows).
    pub findings: Vec<Finding>,
    /// The workbook's own last-modified property.
    pub modified: Option<DateTime<FixedOffset>>,
}

/// Why a file was rejected.
#[derive(Debug, Clone)]
pub struct Rejection {
    pub finding: Finding,
    /// The unit, when it was recognised before the rejection.
    pub unit: Option<String>,
    pub year: Option<i32>,
}

/// Reads one input. `Err` is a rejection (unreadable, not a template, unknown OPD).
pub fn read(input: &mut Input, form: &Form, roster: &Roster) -> Result<Submission, Box<Rejection>> {
    let reject = |code: Code, message: String, unit: Option<String>, year: Option<i32>| {
        Box::new(Rejection {
            finding: Finding::new(code, Location::file(&input.path), message),
            unit,
            year,
        })
    };
    let mut book =
        workbook::open(std::mem::take(&mut input.bytes), input.format).map_err(|reason| {
            reject(
                Code::FileUnreadable,
                format!("Berkas tidak dapat dibaca: {reason}."),
                None,
                None,
            )
        })?;
    // monev's own outputs (rekap, feedback) left in an input folder.
    if let Some(kind) = book.custom_properties.get(identity::PROP_KIND) {
        let what = if kind == "rekap" {
            "rekap"
        } else {
            "umpan balik"
        };
        return Err(reject(
            Code::FileNotTemplate,
            format!("Berkas ini adalah {what} keluaran monev, bukan laporan Perangkat Daerah."),
            None,
            None,
        ));
    }
    let sheet_identity = book
        .sheet(identity::SHEET)
        .map(|s| {
            Identity::from_rows(
                s.rows()
                    .iter()
                    .map(|&r| (s.text(r, 0), s.text(r, 1)))
                    .collect::<Vec<_>>()
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.clone())),
            )
        })
        .unwrap_or_default();
    let prop_identity = Identity::from_properties(&book.custom_properties);

    let mut t1s = find_table1(&book, form).into_iter();
    let mut t2s = find_table2(&book, form).into_iter();
    let (t1, t2) = (t1s.next(), t2s.next());
    let shown = t1
        .as_ref()
        .map(|t| shown_identity(&book.sheets[t.sheet], t.header_row));
    let year = prop_identity
        .year
        .or(sheet_identity.year)
        .or(shown.as_ref().and_then(|s| s.1))
        .or_else(|| year_from_name(&input.name));
    let unit = identify(
        roster,
        &prop_identity,
        &sheet_identity,
        shown.as_ref().and_then(|s| s.0.as_deref()),
        &input.name,
    );

    let (found1, found2) = (t1.is_some(), t2.is_some());
    let (Some(t1), Some(t2)) = (t1, t2) else {
        let missing = match (found1, found2) {
            (false, false) => format!("{} dan {}", form.table1.sheet, form.table2.sheet),
            (false, true) => form.table1.sheet.clone(),
            _ => form.table2.sheet.clone(),
        };
        return Err(reject(
            Code::FileNotTemplate,
            format!(
                "Berkas bukan templat laporan: {missing} tidak ditemukan (tidak ada lembar dengan judul kolom formulir). Gunakan templat dari Tim Percepatan Pelaksanaan Reformasi Birokrasi Kota Serang."
            ),
            unit.as_ref().map(|u| u.0.clone()),
            year,
        ));
    };
    let Some((unit, identified_by)) = unit else {
        let shown_name = shown.and_then(|s| s.0).unwrap_or_default();
        let detail = if shown_name.is_empty() {
            String::new()
        } else {
            format!(" (nama tertulis: \"{shown_name}\")")
        };
        return Err(reject(
            Code::FileUnknownUnit,
            format!(
                "Perangkat Daerah pengirim tidak dikenali{detail}: tidak ada OPD dalam daftar yang cocok dengan properti dokumen, lembar _monev, nama pada Tabel 1, maupun nama berkas."
            ),
            None,
            year,
        ));
    };

    let mut findings = Vec::new();
    let t1_sheet_name = book.sheets[t1.sheet].name.clone();
    // A copied sheet ("Tabel 1 (2)") is not read: say so rather than drop it unseen.
    for (extra, used) in t1s
        .map(|t| (t.sheet, &t1_sheet_name))
        .chain(t2s.map(|t| (t.sheet, &book.sheets[t2.sheet].name)))
    {
        let name = &book.sheets[extra].name;
        if name != used {
            findings.push(Finding::new(
                Code::FileDuplicateTable,
                Location::file(&input.path),
                format!(
                    "Lembar '{name}' juga berisi tabel formulir, tetapi hanya lembar '{used}' yang dibaca. Pindahkan isinya ke lembar '{used}' lalu hapus lembar salinan."
                ),
            ));
        }
    }
    let t2_sheet_name = book.sheets[t2.sheet].name.clone();
    let links1 = book.links(&t1_sheet_name);
    let links2 = if t2.sheet == t1.sheet {
        links1.clone()
    } else {
        book.links(&t2_sheet_name)
    };
    let default_year = year.unwrap_or(0);
    let activities = read_activities(&book.sheets[t1.sheet], &t1, form, &links1, default_year);
    for (i, col) in t1.columns.iter().enumerate().skip(1) {
        if col.is_none() {
            findings.push(Finding::new(
                Code::FileColumnMissing,
                Location::cell(&input.path, &t1_sheet_name, t1.header_row, 0).sheet_only(),
                format!(
                    "Kolom \"{}\" tidak ditemukan pada baris judul (baris {}); isian kolom ini tidak dapat diperiksa. Jangan mengubah judul kolom.",
                    form.table1.columns[i],
                    t1.header_row + 1
                ),
            ));
        }
    }
    let evidence = read_evidence(&book.sheets[t2.sheet], &t2, form, &links2);
    for c in [col2::AVAILABILITY, col2::LINK] {
        if t2.columns[c].is_none() {
            findings.push(Finding::new(
                Code::FileColumnMissing,
                Location::cell(&input.path, &t2_sheet_name, t2.header_row, 0).sheet_only(),
                format!(
                    "Kolom \"{}\" tidak ditemukan pada baris judul {}.",
                    form.table2.columns[c], form.table2.sheet
                ),
            ));
        }
    }
    for e in evidence.iter().filter(|e| e.row.is_none()) {
        findings.push(Finding::new(
            Code::EvidenceRowMissing,
            Location::cell(&input.path, &t2_sheet_name, t2.header_row, 0).sheet_only(),
            format!(
                "Baris data dukung {}{} tidak ditemukan; jangan menghapus baris pada {}.",
                e.indicator, e.item, form.table2.sheet
            ),
        ));
    }
    let modified = book.modified.as_deref().and_then(parse_timestamp);
    Ok(Submission {
        unit,
        identified_by,
        year,
        table1_sheet: t1_sheet_name,
        table2_sheet: t2_sheet_name,
        table1_columns: t1.columns,
        table2_columns: t2.columns,
        activities,
        evidence,
        findings,
        modified,
    })
}

impl Submission {
    /// Dates typed without a year ("17 Agustus") were read before the reporting
    /// year was known; when the file itself states no year, read them again in
    /// the reporting year.
    pub fn assume_year(&mut self, year: i32) {
        if self.year.is_none() {
            for a in &mut self.activities {
                a.when = parse_when(&a.cells[col::WHEN].text, year);
            }
        }
    }
}

thread_local! {
    /// Set while a file is read under [`read_guarded`]: its panics are reported
    /// as a finding, not printed.
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// [`read`], with a panic in a dependency (or here) on a hostile file turned
/// into a `file.unreadable` rejection, so one bad file never stops the run.
pub fn read_guarded(
    input: &mut Input,
    form: &Form,
    roster: &Roster,
) -> Result<Submission, Box<Rejection>> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(|g| g.get()) {
                previous(info);
            }
        }));
    });
    let path = input.path.clone();
    GUARDED.with(|g| g.set(true));
    let result =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read(input, form, roster)));
    GUARDED.with(|g| g.set(false));
    result.unwrap_or_else(|_| {
        Err(Box::new(Rejection {
            finding: Finding::new(
                Code::FileUnreadable,
                Location::file(&path),
                "Berkas tidak dapat dibaca: isinya tidak wajar sehingga pembacaan gagal. Buka dan simpan ulang berkas di Excel, lalu kirim kembali.",
            ),
            unit: None,
            year: None,
        }))
    })
}

impl Location {
    /// The same location without its cell (a finding about a whole sheet).
    pub fn sheet_only(mut self) -> Location {
        self.cell = None;
        self
    }
}

/// Where a table was found: sheet index, header row, and each column.
struct Found<const N: usize> {
    sheet: usize,
    header_row: u32,
    columns: [Option<u32>; N],
}

/// Sheets in the order to try: those named like `name` first, `_monev` never.
fn candidates(book: &Book, name: &str) -> Vec<usize> {
    let key = normalize_key(name);
    let mut idx: Vec<usize> = (0..book.sheets.len())
        .filter(|&i| book.sheets[i].name != identity::SHEET)
        .collect();
    idx.sort_by_key(|&i| normalize_key(&book.sheets[i].name) != key);
    idx
}

/// Maps header texts to columns in one row: exact key matches first, then
/// containment for headers still unmatched (a user may add "(link)" to a header).
fn match_headers<const N: usize>(sheet: &Sheet, row: u32, headers: &[String]) -> [Option<u32>; N] {
    let keys: Vec<String> = headers.iter().map(|h| normalize_key(h)).collect();
    let cells: Vec<(u32, String)> = sheet
        .row_cells(row)
        .map(|(c, v)| (c, normalize_key(&data_text(v))))
        .filter(|(_, k)| !k.is_empty())
        .collect();
    let mut out = [None; N];
    let mut used = Vec::new();
    for (i, key) in keys.iter().enumerate().take(N) {
        if let Some((c, _)) = cells.iter().find(|(c, k)| k == key && !used.contains(c)) {
            out[i] = Some(*c);
            used.push(*c);
        }
    }
    for (i, key) in keys.iter().enumerate().take(N) {
        if out[i].is_some() || key.len() < 5 {
            continue;
        }
        let hit = cells.iter().find(|(c, k)| {
            !used.contains(c)
                && k.len() >= 5
                && (k.contains(key.as_str()) || key.contains(k.as_str()))
        });
        if let Some((c, _)) = hit {
            out[i] = Some(*c);
            used.push(*c);
        }
    }
    out
}

/// Finds a table whose header row matches at least `min` headers including `required`.
/// Every sheet holding such a table (its first header row), best candidate first.
fn find_table<const N: usize>(
    book: &Book,
    sheet_name: &str,
    headers: &[String],
    required: &[usize],
    min: usize,
) -> Vec<Found<N>> {
    candidates(book, sheet_name)
        .into_iter()
        .filter_map(|i| {
            let sheet = &book.sheets[i];
            // Headers sit near the top: look at the first 60 rows that hold anything.
            sheet.rows().iter().take(60).find_map(|&row| {
                let columns: [Option<u32>; N] = match_headers(sheet, row, headers);
                let hits = columns.iter().filter(|c| c.is_some()).count();
                (hits >= min && required.iter().all(|&r| columns[r].is_some())).then_some(Found {
                    sheet: i,
                    header_row: row,
                    columns,
                })
            })
        })
        .collect()
}

fn find_table1(book: &Book, form: &Form) -> Vec<Found<7>> {
    find_table(
        book,
        &form.table1.sheet,
        &form.table1.columns,
        &[col::ACTIVITY],
        4,
    )
}

fn find_table2(book: &Book, form: &Form) -> Vec<Found<6>> {
    find_table(
        book,
        &form.table2.sheet,
        &form.table2.columns,
        &[col2::AVAILABILITY],
        3,
    )
}

static SHOWN_UNIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*perangkat\s+daerah\s*:\s*(.+?)\s*$").expect("valid regex")
});
static SHOWN_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*tahun\s*:?\s*(\d{4})\b").expect("valid regex"));
static NAME_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\D)(20\d\d)(?:\D|$)").expect("valid regex"));

/// The OPD name and year shown above the Tabel 1 header.
fn shown_identity(sheet: &Sheet, header_row: u32) -> (Option<String>, Option<i32>) {
    let (mut name, mut year) = (None, None);
    for &row in sheet.rows().iter().take_while(|r| **r < header_row) {
        for (_, v) in sheet.row_cells(row) {
            let t = data_text(v);
            if let Some(m) = SHOWN_UNIT.captures(&t) {
                name.get_or_insert(squash(&m[1]));
            }
            if let Some(m) = SHOWN_YEAR.captures(&t) {
                year = year.or(m[1].parse().ok());
            }
        }
    }
    (name, year)
}

fn year_from_name(name: &str) -> Option<i32> {
    NAME_YEAR.captures(name).and_then(|m| m[1].parse().ok())
}

/// Finds the unit: properties, then `_monev`, then the shown name, then the file name.
fn identify(
    roster: &Roster,
    props: &Identity,
    sheet: &Identity,
    shown: Option<&str>,
    file_name: &str,
) -> Option<(String, IdentifiedBy)> {
    let by_code = |id: &Identity| {
        id.code
            .as_deref()
            .and_then(|c| roster.get(c))
            .map(|u| u.code.clone())
    };
    if let Some(c) = by_code(props) {
        return Some((c, IdentifiedBy::Properties));
    }
    if let Some(c) = by_code(sheet) {
        return Some((c, IdentifiedBy::IdentitySheet));
    }
    if let Some(u) = shown.and_then(|n| roster.find_by_name(n)) {
        return Some((u.code.clone(), IdentifiedBy::UnitName));
    }
    unit_from_file_name(roster, file_name).map(|c| (c, IdentifiedBy::FileName))
}

/// A unit named in a file name: `monev-budaya-kerja-2026-dinkes.xlsx`,
/// `Laporan Dinas Kesehatan.xlsx`, `dinkes_revisi.xlsx`. The longest match wins.
fn unit_from_file_name(roster: &Roster, file_name: &str) -> Option<String> {
    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
    let key = format!(" {} ", normalize_key(&stem.replace(['_', '-'], " ")));
    let compact = format!("-{}-", stem.to_lowercase().replace([' ', '_', '.'], "-"));
    roster
        .units
        .iter()
        .filter_map(|u| {
            let name_hit = key.contains(&format!(" {} ", normalize_key(&u.name)));
            let code_hit = compact.contains(&format!("-{}-", u.code));
            let weight = if name_hit {
                u.name.len() + 100
            } else {
                u.code.len()
            };
            (name_hit || code_hit).then_some((weight, u.code.clone()))
        })
        .max()
        .map(|(_, c)| c)
}

/// True for the row holding the column numbers 1..7 under the header.
fn is_numbering_row(sheet: &Sheet, row: u32, columns: &[Option<u32>; 7]) -> bool {
    columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.map(|c| (i, c)))
        .all(|(i, c)| sheet.text(row, c) == (i + 1).to_string())
}

/// The non-empty texts of a row, left to right.
fn row_texts(sheet: &Sheet, row: u32) -> Vec<String> {
    sheet
        .row_cells(row)
        .map(|(_, v)| data_text(v))
        .filter(|t| !t.is_empty())
        .collect()
}

/// A normalised indicator text without a leading "1", "IV", "a" or "indikator 2".
fn strip_indicator_prefix(key: &str) -> String {
    static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:indikator\s+)?([1-4]|i{1,3}|iv|[a-d])\s+").expect("valid regex")
    });
    PREFIX.replace(key, "").into_owned()
}

/// Which indicator a row names, if it is an indicator (group) row.
fn indicator_of_row(texts: &[String], keys: &[String]) -> Option<usize> {
    if texts.is_empty() || texts.len() > 2 {
        return None;
    }
    let row_key = normalize_key(&texts.join(" "));
    let stripped = strip_indicator_prefix(&row_key);
    keys.iter()
        .position(|k| {
            [row_key.as_str(), stripped.as_str()].iter().any(|r| {
                r == k || (r.len() >= 30 && (k.starts_with(*r) || r.starts_with(k.as_str())))
            })
        })
        .map(|i| i + 1)
}

/// True for the rows that start the footer of Tabel 1: the signature block
/// ("Serang, ....", the Ketua Tim line) or the Keterangan.
fn is_footer_start(texts: &[String], form: &Form) -> bool {
    let Some(first) = texts.first() else {
        return false;
    };
    let key = normalize_key(first);
    let place = normalize_key(&form.table1.signature_place);
    let notes = normalize_key(&form.table1.notes_title);
    let role = normalize_key(&form.table1.signature_role);
    // Whole words: "Serang, 28 Agustus 2026" starts the footer, "Serangkaian
    // kegiatan" does not.
    let starts = |k: &str| !k.is_empty() && (key == k || key.starts_with(&format!("{k} ")));
    texts.len() <= 2 && (starts(&place) || key == notes || starts(&role))
}

fn read_activities(
    sheet: &Sheet,
    t1: &Found<7>,
    form: &Form,
    links: &Links,
    year: i32,
) -> Vec<Activity> {
    let keys: Vec<String> = form
        .table1
        .indicators
        .iter()
        .map(|k| normalize_key(k))
        .collect();
    let mut current = None;
    let mut in_footer = false;
    let mut out = Vec::new();
    for &row in sheet.rows_from(t1.header_row.saturating_add(1)) {
        if is_numbering_row(sheet, row, &t1.columns) {
            continue;
        }
        let texts = row_texts(sheet, row);
        let cells: [CellText; 7] = std::array::from_fn(|i| match t1.columns[i] {
            Some(c) => read_cell(sheet, row, c, links),
            None => CellText::default(),
        });
        let form_texts: Vec<&str> = cells[col::WHEN..]
            .iter()
            .filter(|c| !c.is_empty())
            .map(|c| c.text.as_str())
            .collect();
        let filled = form_texts.len();
        // A group row holds the indicator text outside the form columns (merged
        // over A:G it lives in "No."), or as the only, complete text of a row. A
        // partly typed activity whose Kegiatan merely starts like an indicator
        // stays an activity.
        if let Some(n) = indicator_of_row(&texts, &keys) {
            let is_group = match form_texts.as_slice() {
                [] => true,
                [only] => {
                    indicator_of_row(&[only.to_string()], &keys) == Some(n)
                        && strip_indicator_prefix(&normalize_key(only)) == keys[n - 1]
                }
                _ => false,
            };
            if is_group {
                current = Some(n);
                continue;
            }
        }
        if current.is_some() && is_footer_start(&texts, form) {
            in_footer = true;
            continue;
        }
        // Below the signature block, single texts are the signer's name, NIP or
        // date; a row with two or more form columns is still an activity (rows
        // appended at the end are not dropped).
        if filled == 0 || (in_footer && filled < 2) {
            continue;
        }
        let when = when_of(
            sheet.value(row, t1.columns[col::WHEN].unwrap_or(u32::MAX)),
            &cells[col::WHEN].text,
            year,
        );
        out.push(Activity {
            indicator: current,
            row,
            cells,
            when,
        });
    }
    out
}

/// A document timestamp: RFC 3339, or (as LibreOffice writes in .ods) a local
/// time without zone, taken as Western Indonesian Time where the OPDs work.
fn parse_timestamp(text: &str) -> Option<DateTime<FixedOffset>> {
    let t = text.trim();
    DateTime::parse_from_rfc3339(t).ok().or_else(|| {
        chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f")
            .ok()?
            .and_local_timezone(source::wib())
            .single()
    })
}

/// A cell's text and link target. Dates show as dd/mm/yyyy.
fn read_cell(sheet: &Sheet, row: u32, col: u32, links: &Links) -> CellText {
    let value = sheet.value(row, col);
    let text = match date_of(value) {
        Some(d) => d.format("%d/%m/%Y").to_string(),
        None => data_text(value),
    };
    CellText {
        pos: Some((row, col)),
        text,
        // A cell inside a merged area shows the area's top-left link too.
        link: {
            let (r, c) = sheet.anchor(row, col);
            links
                .get(r, c)
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
        },
    }
}

/// The date of a real date cell (Excel date serial with a date format, or ODS ISO date).
fn date_of(value: &Data) -> Option<NaiveDate> {
    match value {
        // Serials from 1 (1900) to 2958465 (9999-12-31) only: calamine's conversion
        // panics on absurd values such as -1e12 typed into a date cell.
        Data::DateTime(dt) if dt.is_datetime() && (1.0..=2_958_465.0).contains(&dt.as_f64()) => {
            dt.as_datetime().map(|d| d.date())
        }
        Data::DateTimeIso(s) => NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok(),
        _ => None,
    }
}

/// Waktu Pelaksanaan understood: a date cell is that day; text is parsed.
fn when_of(value: &Data, text: &str, year: i32) -> When {
    match date_of(value) {
        Some(d) => When::Period { start: d, end: d },
        None => parse_when(text, year),
    }
}

fn read_evidence(sheet: &Sheet, t2: &Found<6>, form: &Form, links: &Links) -> Vec<Evidence> {
    let item_keys: Vec<(usize, char, String)> = form
        .table2
        .indicators
        .iter()
        .enumerate()
        .flat_map(|(i, ind)| {
            [
                (i + 1, 'a', item_key(&ind.a)),
                (i + 1, 'b', item_key(&ind.b)),
            ]
        })
        .collect();
    let text_col = t2.columns[col2::EVIDENCE];
    let mut rows_found: Vec<Option<u32>> = vec![None; 2 * INDICATORS];
    let mut unmatched = Vec::new();
    for &row in sheet.rows_from(t2.header_row.saturating_add(1)) {
        let Some(c) = text_col else { break };
        let key = item_key(&sheet.text(row, c));
        if key.is_empty() {
            continue;
        }
        let hit = item_keys.iter().position(|(_, _, k)| {
            *k == key || (key.len() >= 20 && (k.starts_with(&key) || key.starts_with(k.as_str())))
        });
        match hit {
            Some(i) if rows_found[i].is_none() => rows_found[i] = Some(row),
            _ => unmatched.push(row),
        }
    }
    // Rows whose text was edited beyond recognition fill the gaps in order.
    let mut spare = unmatched.into_iter();
    for slot in rows_found.iter_mut().filter(|s| s.is_none()) {
        *slot = spare.next();
    }
    let cell = |row: Option<u32>, c: usize| match (row, t2.columns[c]) {
        (Some(r), Some(c)) => read_cell(sheet, r, c, links),
        _ => CellText::default(),
    };
    item_keys
        .iter()
        .zip(rows_found)
        .map(|((indicator, item, _), row)| Evidence {
            indicator: *indicator,
            item: *item,
            row,
            availability: availability(
                &cell(row, col2::AVAILABILITY).text,
                &form.table2.availability,
            ),
            link: cell(row, col2::LINK),
            remark: cell(row, col2::REMARK).text,
        })
        .collect()
}

/// An evidence item's text without its "a." / "b." prefix, as a key.
fn item_key(text: &str) -> String {
    let key = normalize_key(text);
    key.strip_prefix("a ")
        .or_else(|| key.strip_prefix("b "))
        .unwrap_or(&key)
        .to_string()
}

/// Ketersediaan, tolerant of case and spacing; "Tidak Ada" counts as "Belum Ada".
fn availability(text: &str, answers: &[String]) -> Availability {
    let key = normalize_key(text);
    if key.is_empty() {
        Availability::Empty
    } else if key == normalize_key(&answers[0]) {
        Availability::Ada
    } else if key == normalize_key(&answers[1]) || key == "tidak ada" || key == "belum" {
        Availability::BelumAda
    } else {
        Availability::Invalid(text.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_from_file_names() {
        let r = Roster::embedded().unwrap();
        assert_eq!(
            unit_from_file_name(&r, "monev-budaya-kerja-2026-dinkes.xlsx").as_deref(),
            Some("dinkes")
        );
        assert_eq!(
            unit_from_file_name(&r, "Laporan Dinas Kesehatan (revisi).xlsx").as_deref(),
            Some("dinkes")
        );
        assert_eq!(
            unit_from_file_name(&r, "KEC_CIPOCOKJAYA_final.ods").as_deref(),
            Some("kec-cipocokjaya")
        );
        assert_eq!(unit_from_file_name(&r, "laporan.xlsx"), None);
        assert_eq!(
            year_from_name("monev-budaya-kerja-2026-dinkes.xlsx"),
            Some(2026)
        );
        assert_eq!(year_from_name("lap20261.xlsx"), None);
    }

    #[test]
    fn indicator_rows_tolerate_prefixes_and_edits() {
        let form = Form::embedded().unwrap();
        let keys: Vec<String> = form
            .table1
            .indicators
            .iter()
            .map(|k| normalize_key(k))
            .collect();
        let t = |s: &str| vec![s.to_string()];
        assert_eq!(
            indicator_of_row(&t(&form.table1.indicators[2]), &keys),
            Some(3)
        );
        assert_eq!(
            indicator_of_row(&t(&format!("4. {}", form.table1.indicators[3])), &keys),
            Some(4)
        );
        assert_eq!(
            indicator_of_row(
                &t("Slogan-slogan yang menggambarkan nilai organisasi"),
                &keys
            ),
            Some(1)
        );
        assert_eq!(indicator_of_row(&t("Slogan"), &keys), None);
        let activity = vec!["17/08/2026".to_string(), "Apel".into(), "Apel Pagi".into()];
        assert_eq!(indicator_of_row(&activity, &keys), None);
    }

    #[test]
    fn timestamps_with_and_without_zone() {
        assert_eq!(
            parse_timestamp("2026-08-20T02:15:00Z")
                .unwrap()
                .to_rfc3339(),
            "2026-08-20T02:15:00+00:00"
        );
        assert_eq!(
            parse_timestamp("2026-08-27T10:00:00.123456789")
                .unwrap()
                .to_rfc3339(),
            "2026-08-27T10:00:00.123456789+07:00"
        );
        assert_eq!(parse_timestamp("kemarin"), None);
    }

    #[test]
    fn availability_answers() {
        let a = vec!["Ada".to_string(), "Belum Ada".to_string()];
        assert_eq!(availability(" ada ", &a), Availability::Ada);
        assert_eq!(availability("BELUM ADA", &a), Availability::BelumAda);
        assert_eq!(availability("Tidak Ada", &a), Availability::BelumAda);
        assert_eq!(availability("", &a), Availability::Empty);
        assert_eq!(
            availability("Sudah", &a),
            Availability::Invalid("Sudah".into())
        );
    }
}
