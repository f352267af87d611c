//! Rendering a [`crate::rekap::Rekap`]: the consolidated workbook
//! ([`workbook`]), feedback for each OPD ([`feedback`]), JSON ([`json`]) and the
//! terminal ([`terminal`]). This is the
//! one place findings are turned into output; the checks only produce data.

pub mod feedback;
pub mod json;
pub mod terminal;
pub mod workbook;

pub use crate::style::{MAX_CELL_CHARS, fit_cell};

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
