//! Rendering a [`crate::rekap::Rekap`]: the consolidated workbook
//! ([`workbook`]), feedback for each OPD ([`feedback`]), JSON ([`json`]) and the
//! terminal ([`terminal`]). This is the
//! one place findings are turned into output; the checks only produce data.

pub mod feedback;
pub mod json;
pub mod terminal;
pub mod workbook;

use crate::finding::{Code, Severity};
use crate::form::Form;
use crate::model::{UnitResult, UnitStatus};

/// Excel's limit on one cell's text, in UTF-16 code units (as Excel and
/// rust_xlsxwriter count: an emoji takes two).
pub const MAX_CELL_CHARS: usize = 32_767;

/// Cuts text to what a cell can hold (at most [`MAX_CELL_CHARS`] UTF-16
/// units), marking the cut with "…"; never splits a character.
pub fn fit_cell(text: &str) -> String {
    fit_utf16(text, MAX_CELL_CHARS)
}

/// Cuts text to at most `limit` UTF-16 code units, ending in "…" when cut.
pub fn fit_utf16(text: &str, limit: usize) -> String {
    if text.encode_utf16().count() <= limit {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        // Room is left for the "…" (one unit).
        if used + c.len_utf16() > limit.saturating_sub(1) {
            break;
        }
        used += c.len_utf16();
        out.push(c);
    }
    out.push('…');
    out
}

/// A row height (points) that shows wrapped texts whole: the most lines any of
/// `(text, column width in characters)` needs, at 15 points a line. Excel and
/// LibreOffice don't grow rows of generated files by themselves.
pub fn row_height(cells: &[(&str, f64)]) -> f64 {
    let lines = cells
        .iter()
        .map(|(text, width)| {
            let per_line = (width * 1.1).max(1.0) as usize;
            text.split('\n')
                .map(|l| l.chars().count().max(1).div_ceil(per_line))
                .sum::<usize>()
        })
        .max()
        .unwrap_or(1)
        .clamp(1, 20);
    15.0 * lines as f64
}

/// What the OPD should do next, in words it can act on: the first sentence of
/// its feedback. Built from the unit's status and the OPD sentences of its
/// findings' code records ([`crate::finding::CodeInfo::for_opd`]); operator-only
/// findings never reach it.
pub fn advice_for_opd(unit: &UnitResult, form: &Form) -> String {
    let team = &form.regulation.city_team;
    let first_error = unit
        .findings
        .iter()
        .find(|f| f.for_opd() && f.severity == Severity::Error);
    match unit.status {
        UnitStatus::Complete => "Laporan lengkap. Terima kasih.".to_string(),
        UnitStatus::Rejected => {
            let why = first_error.map_or(String::new(), |f| {
                format!(" {} {}", f.message, f.code.info().for_opd)
            });
            format!(
                "Berkas yang Anda kirim belum dapat dinilai.{why} Setelah diperbaiki, kirim kembali kepada {team}."
            )
        }
        UnitStatus::EmptyTemplate => format!(
            "Templat yang Anda kirim masih kosong. Isi Tabel 1 dan Tabel 2, lalu kirim kembali kepada {team}."
        ),
        UnitStatus::Missing => format!(
            "Laporan belum diterima. Kirim laporan kepada {team} selambat-lambatnya bulan Agustus."
        ),
        UnitStatus::NeedsFix => {
            let wrong_year = unit.findings.iter().find(|f| f.code == Code::FileWrongYear);
            let year_note = wrong_year.map_or(String::new(), |f| format!("{} ", f.message));
            format!(
                "{year_note}Mohon perbaiki setiap galat pada lembar \"Temuan\" (lembar dan sel disebutkan), lalu kirim kembali berkas yang sama kepada {team}."
            )
        }
    }
}

/// The Indonesian name of a maturity level ("Level III").
pub fn level_name(level: u8) -> &'static str {
    match level {
        1 => "Level I",
        2 => "Level II",
        3 => "Level III",
        4 => "Level IV",
        5 => "Level V",
        _ => "-",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_heights_grow_with_text() {
        assert_eq!(row_height(&[("pendek", 20.0)]), 15.0);
        assert_eq!(row_height(&[(&"x".repeat(45), 20.0), ("y", 5.0)]), 45.0);
        assert_eq!(row_height(&[("a\nb\nc", 50.0)]), 45.0);
        assert_eq!(row_height(&[(&"x".repeat(100_000), 10.0)]), 300.0);
    }

    #[test]
    fn long_text_is_cut_to_excels_limit_in_utf16_units() {
        let long = "x".repeat(40_000);
        let cut = fit_cell(&long);
        assert_eq!(cut.encode_utf16().count(), MAX_CELL_CHARS);
        assert!(cut.ends_with('…'));
        assert_eq!(fit_cell("pendek"), "pendek");
        // 16,384 emoji are 16,384 chars but 32,768 UTF-16 units (fz-14).
        let emoji = "😀".repeat(16_384);
        let cut = fit_cell(&emoji);
        assert!(cut.encode_utf16().count() <= MAX_CELL_CHARS);
        assert!(cut.ends_with('…'));
        assert_eq!(fit_utf16("ab😀", 3), "ab…");
    }
}
