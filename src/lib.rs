//! monev: monitoring dan evaluasi penerapan Budaya Kerja BerAKHLAK under
//! Peraturan Wali Kota Serang Nomor 34 Tahun 2023.
//!
//! The pipeline, in the order data flows through it:
//! [`form`] (the regulation's texts) → [`template`] (one workbook per OPD) →
//! `ingest` (reading returned workbooks) → `checks` (findings) → `score`
//! (maturity) → [`model`] (the result) → `report` (the consolidated workbook,
//! JSON and terminal text) → [`output`] (the one writer). [`rekap`] is the
//! pipeline; [`app`] wires the steps to a plain [`app::Config`]. The library
//! neither prints nor reads the clock: the binary parses arguments, owns the
//! terminal, and maps the result to an exit code.

pub mod app;
pub mod checks;
pub mod contoh;
pub mod dates;
pub mod email;
pub mod error;
pub mod finding;
pub mod form;
pub mod fsutil;
pub mod identity;
pub mod ingest;
pub mod links;
pub mod model;
pub mod output;
pub mod print;
pub mod rekap;
pub mod report;
pub mod roster;
pub mod score;
pub mod style;
pub mod template;
pub mod text;

pub use error::{Error, Result};

/// The years monev accepts (the regulation dates from 2023).
pub const YEARS: std::ops::RangeInclusive<i32> = 2023..=2100;

/// Rejects a reporting year outside [`YEARS`].
pub fn check_year(year: i32) -> Result<()> {
    if YEARS.contains(&year) {
        Ok(())
    } else {
        Err(Error::BadYear { year })
    }
}
