//! Rendering a [`crate::rekap::Rekap`]: the consolidated workbook
//! ([`workbook`]), feedback for each OPD ([`feedback`]), JSON ([`json`]) and the
//! terminal ([`terminal`]). This is the
//! one place findings are turned into output; the checks only produce data.

pub mod feedback;
pub mod json;
pub mod terminal;
pub mod workbook;

pub use crate::style::{MAX_CELL_CHARS, fit_cell, fit_utf16};

use crate::finding::{Code, Severity};
use crate::form::Form;
use crate::model::{UnitResult, UnitStatus};

/// What the OPD should do next, in words it can act on: the first sentence of
/// its feedback. Built from the unit's status and the OPD sentences of its
/// findings' code records ([`crate::finding::CodeInfo::for_opd`]); operator-only
/// findings never reach it. The coloured cells of its feedback workbook are
/// mentioned only when it colours some ([`feedback::marks_cells`]).
pub fn advice_for_opd(unit: &UnitResult, form: &Form) -> String {
    let team = &form.regulation.city_team;
    let first_error = unit
        .findings
        .iter()
        .find(|f| f.for_opd() && f.severity == Severity::Error);
    match unit.status {
        UnitStatus::Complete => "Laporan lengkap. Terima kasih.".to_string(),
        UnitStatus::Rejected => {
            // The finding's own words may already ask to send the file back;
            // the advice asks once, at its end.
            let why = first_error.map_or(String::new(), |f| {
                format!(
                    " {} {}",
                    without_send_back(&f.message),
                    without_send_back(f.code.info().for_opd)
                )
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
            let cells = if feedback::marks_cells(unit, form) {
                " (sel yang berwarna pada lembar Tabel 1 dan Tabel 2)"
            } else {
                ""
            };
            format!(
                "{year_note}Mohon perbaiki setiap galat yang tercantum di bawah ini{cells}, lalu kirim kembali berkas ini kepada {team}."
            )
        }
    }
}

/// `text` without a closing request to send the file back ("…, lalu kirim
/// kembali.", "… lalu kirim kembali berkas yang sama"), then ending in a full
/// stop: where a sheet already asks once to send the file back (the advice of
/// the feedback's first sheet), the findings and hints quoted on it do not ask
/// again. Text without such an ending is returned unchanged.
///
/// ```
/// use monev::report::without_send_back;
/// assert_eq!(without_send_back("Simpan ulang berkas di Excel, lalu kirim kembali."), "Simpan ulang berkas di Excel.");
/// assert_eq!(without_send_back("hapus isinya, simpan, lalu kirim kembali"), "hapus isinya, simpan.");
/// assert_eq!(without_send_back("Isi kedua tabel, lalu kirim kembali berkas yang sama."), "Isi kedua tabel.");
/// assert_eq!(without_send_back("Kolom kosong"), "Kolom kosong");
/// ```
pub fn without_send_back(text: &str) -> String {
    let t = text.trim_end();
    let t = t.strip_suffix('.').unwrap_or(t);
    let cut = ["lalu kirim kembali", "lalu kirim kembali berkas yang sama"]
        .iter()
        .filter_map(|tail| t.strip_suffix(tail))
        .next();
    let kept = match cut {
        Some(head) => head
            .trim_end()
            .trim_end_matches([',', ';'])
            .trim_end()
            .to_string(),
        None => t.to_string(),
    };
    match cut {
        Some(_) if !kept.is_empty() => format!("{kept}."),
        Some(_) => String::new(),
        None => text.to_string(),
    }
}

/// The findings of a unit summarised for the body of its feedback e-mail:
/// status, score and level, the counts, and the first few findings meant for
/// the OPD with their cells.
pub fn feedback_summary(unit: &UnitResult, rubric: &crate::score::Rubric) -> String {
    let mut out = format!("status {}", unit.status.label());
    if let (Some(score), Some(level)) = (unit.score, unit.level) {
        out.push_str(&format!(
            ", skor {score} dari {}, {}",
            rubric.max_score(),
            level_name(level)
        ));
    }
    let shown: Vec<_> = unit.findings.iter().filter(|f| f.for_opd()).collect();
    out.push_str(&format!(
        "; {} galat dan {} peringatan.",
        unit.count_for_opd(Severity::Error),
        unit.count_for_opd(Severity::Warning)
    ));
    for f in shown.iter().take(10) {
        let place = f.location.sheet_cell();
        out.push_str(&format!(
            "\n- {}{}: {}",
            f.severity.label(),
            if place.is_empty() {
                String::new()
            } else {
                format!(" {place}")
            },
            f.message
        ));
    }
    if shown.len() > 10 {
        out.push_str(&format!(
            "\n- dan {} temuan lain (lihat lembar Catatan Perbaikan).",
            shown.len() - 10
        ));
    }
    out
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
