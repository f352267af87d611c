//! Where a form table is in a workbook, and how its cells read: sheets are
//! found by name or else by their header texts, columns by header text (exact
//! first, then containment), so renamed sheets and inserted columns still read.

use calamine::Data;
use chrono::NaiveDate;

use super::CellText;
use super::workbook::{Book, Links, Sheet, data_text};
use crate::form::{Form, col, col2};
use crate::identity;
use crate::text::normalize_key;

/// Where a table was found: sheet index, header row, and each column.
pub(super) struct Found<const N: usize> {
    pub sheet: usize,
    pub header_row: u32,
    pub columns: [Option<u32>; N],
}

/// Worksheets in the order to try, each with whether it is named like `name`:
/// those named so first; `_monev`, chart, dialog and macro sheets never.
fn candidates(book: &Book, name: &str) -> Vec<(usize, bool)> {
    let key = normalize_key(name);
    let mut idx: Vec<(usize, bool)> = (0..book.sheets.len())
        .filter(|&i| book.sheets[i].worksheet && book.sheets[i].name != identity::SHEET)
        .map(|i| (i, normalize_key(&book.sheets[i].name) == key))
        .collect();
    idx.sort_by_key(|&(_, named)| !named);
    idx
}

/// Maps header texts to columns in one row: exact key matches first, then
/// containment for headers still unmatched (a user may add "(link)" to a header).
/// `keys` are the headers' [`normalize_key`]s, `cells` the row's non-empty
/// cells as (column, key) ([`Sheet::head_keys`]).
fn match_headers<const N: usize>(cells: &[(u32, String)], keys: &[String]) -> [Option<u32>; N] {
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
/// A sheet named like the table is read whole; any other only as far as its
/// head ([`Book::head_at`]). A sheet that cannot be read is passed over (the
/// book remembers it, see [`Book::unread`]).
fn find_table<const N: usize>(
    book: &Book,
    sheet_name: &str,
    headers: &[String],
    required: &[usize],
    min: usize,
) -> Vec<Found<N>> {
    let keys: Vec<String> = headers.iter().map(|h| normalize_key(h)).collect();
    candidates(book, sheet_name)
        .into_iter()
        .filter_map(|(i, named)| {
            let sheet = if named {
                book.sheet_at(i)
            } else {
                book.head_at(i)
            }
            .ok()?;
            // Headers sit near the top: look at the first rows that hold anything.
            sheet.head_keys().iter().find_map(|(row, cells)| {
                let row = *row;
                let columns: [Option<u32>; N] = match_headers(cells, &keys);
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

pub(super) fn find_table1(book: &Book, form: &Form) -> Vec<Found<7>> {
    find_table(
        book,
        &form.table1.sheet,
        &form.table1.columns,
        &[col::ACTIVITY],
        4,
    )
}

pub(super) fn find_table2(book: &Book, form: &Form) -> Vec<Found<6>> {
    find_table(
        book,
        &form.table2.sheet,
        &form.table2.columns,
        &[col2::AVAILABILITY],
        3,
    )
}

/// A cell's text and link target. Dates show as dd/mm/yyyy.
pub(super) fn read_cell(sheet: &Sheet, row: u32, col: u32, links: &Links) -> CellText {
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
pub(super) fn date_of(value: &Data) -> Option<NaiveDate> {
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
