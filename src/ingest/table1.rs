//! Reading Tabel 1: every filled row, given to the nearest indicator row above
//! it. Group rows and the footer (signature block, Keterangan) are recognised
//! strictly, so no typed activity is taken for one and lost.

use std::sync::LazyLock;

use calamine::Data;
use regex::Regex;

use super::layout::{Found, date_of, read_cell};
use super::workbook::{Links, Sheet, data_text};
use super::{Activity, CellText};
use crate::dates::{When, parse_when};
use crate::form::{Form, col};
use crate::text::normalize_key;

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
fn is_footer_start(texts: &[String], footer: &FooterKeys) -> bool {
    let Some(first) = texts.first() else {
        return false;
    };
    if texts.len() > 2 {
        return false;
    }
    let key = normalize_key(first);
    // Whole words: "Serang, 28 Agustus 2026" starts the footer, "Serangkaian
    // kegiatan" does not.
    let starts = |k: &str| {
        !k.is_empty()
            && key
                .strip_prefix(k)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
    };
    starts(&footer.place) || key == footer.notes || starts(&footer.role)
}

/// The normalised texts that start Tabel 1's footer, made once per sheet.
struct FooterKeys {
    place: String,
    notes: String,
    role: String,
}

impl FooterKeys {
    fn new(form: &Form) -> FooterKeys {
        FooterKeys {
            place: normalize_key(&form.table1.signature_place),
            notes: normalize_key(&form.table1.notes_title),
            role: normalize_key(&form.table1.signature_role),
        }
    }
}

pub(super) fn read_activities(
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
    let footer = FooterKeys::new(form);
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
        if current.is_some() && is_footer_start(&texts, &footer) {
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

/// Waktu Pelaksanaan understood: a date cell is that day; text is parsed.
fn when_of(value: &Data, text: &str, year: i32) -> When {
    match date_of(value) {
        Some(d) => When::Period { start: d, end: d },
        None => parse_when(text, year),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
