//! Rendering a [`crate::rekap::Rekap`]: the consolidated workbook
//! ([`workbook`]), feedback for each OPD ([`feedback`]), JSON ([`json`]) and the
//! terminal ([`terminal`]). This is the
//! one place findings are turned into output; the checks only produce data.

pub mod feedback;
pub mod json;
pub mod terminal;
pub mod workbook;

/// Excel's limit on the characters in one cell.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Cuts text to what a cell can hold, marking the cut.
pub fn fit_cell(text: &str) -> String {
    if text.chars().count() <= MAX_CELL_CHARS {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(MAX_CELL_CHARS - 1).collect();
        s.push('…');
        s
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
    fn long_text_is_cut_to_excels_limit() {
        let long = "x".repeat(40_000);
        let cut = fit_cell(&long);
        assert_eq!(cut.chars().count(), MAX_CELL_CHARS);
        assert!(cut.ends_with('…'));
        assert_eq!(fit_cell("pendek"), "pendek");
    }
}
