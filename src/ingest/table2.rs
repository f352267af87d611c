//! Reading Tabel 2: the eight evidence items (1a … 4b), found by their text
//! (or, where a text was edited beyond recognition, by their order), with
//! Ketersediaan, Tautan Data Dukung and Keterangan.

use super::layout::{Found, read_cell};
use super::workbook::{Links, Sheet};
use super::{Availability, CellText, Evidence};
use crate::form::{Form, INDICATORS, col2};
use crate::text::normalize_key;

/// The eight items, and the rows below the header that hold an answer
/// (Ketersediaan or a link) but belong to no item: extra or duplicated rows,
/// which are not scored and must be reported rather than dropped unseen.
pub(super) fn read_evidence(
    sheet: &Sheet,
    t2: &Found<6>,
    form: &Form,
    links: &Links,
) -> (Vec<Evidence>, Vec<u32>) {
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
    let extra: Vec<u32> = sheet
        .rows_from(t2.header_row.saturating_add(1))
        .iter()
        .copied()
        .filter(|r| !rows_found.contains(&Some(*r)))
        .filter(|&r| {
            [col2::AVAILABILITY, col2::LINK]
                .iter()
                .any(|&c| !cell(Some(r), c).is_empty())
        })
        .collect();
    let items = item_keys
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
            availability_text: cell(row, col2::AVAILABILITY).text,
            link: cell(row, col2::LINK),
            remark: cell(row, col2::REMARK).text,
        })
        .collect();
    (items, extra)
}

/// An evidence item's text without its "a." / "b." prefix, as a key.
fn item_key(text: &str) -> String {
    let key = normalize_key(text);
    key.strip_prefix("a ")
        .or_else(|| key.strip_prefix("b "))
        .unwrap_or(&key)
        .to_string()
}

/// Check marks staff type for "yes" (square root, check mark, heavy check mark,
/// ballot box with check). They are read as "Ada", with a warning.
pub const CHECK_MARKS: [char; 4] = ['√', '✓', '✔', '☑'];

/// Ketersediaan, tolerant of case and spacing; "Tidak Ada" counts as "Belum Ada",
/// a lone check mark as "Ada" (flagged). A value made only of symbols is never
/// taken for an empty cell: what was typed is kept.
fn availability(text: &str, answers: &[String]) -> Availability {
    let key = normalize_key(text);
    let typed = text.trim();
    // Emoji forms of a check mark carry a variation selector (U+FE0F, as
    // phones and the Windows emoji picker type "✔️"): the mark is what counts.
    let bare: String = typed
        .chars()
        .filter(|c| !matches!(c, '\u{FE0E}' | '\u{FE0F}'))
        .collect();
    if typed.is_empty() {
        Availability::Empty
    } else if !bare.chars().all(char::is_whitespace)
        && bare
            .chars()
            .all(|c| CHECK_MARKS.contains(&c) || c.is_whitespace())
    {
        Availability::Checkmark(typed.to_string())
    } else if key.is_empty() {
        Availability::Invalid(typed.to_string())
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
    fn availability_answers() {
        let a = vec!["Ada".to_string(), "Belum Ada".to_string()];
        assert_eq!(availability(" ada ", &a), Availability::Ada);
        assert_eq!(availability("BELUM ADA", &a), Availability::BelumAda);
        assert_eq!(availability("Tidak Ada", &a), Availability::BelumAda);
        assert_eq!(availability("", &a), Availability::Empty);
        for mark in ["√", "✓", " ✔ ", "☑", "✔\u{FE0F}"] {
            assert_eq!(
                availability(mark, &a),
                Availability::Checkmark(mark.trim().into())
            );
        }
        for kept in ["x", "X", "-", "?"] {
            assert_eq!(availability(kept, &a), Availability::Invalid(kept.into()));
        }
        assert_eq!(
            availability("Sudah", &a),
            Availability::Invalid("Sudah".into())
        );
    }
}
