//! Checks on one Tabel 1 row (an activity).

use super::Context;
use crate::finding::{Code, Finding};
use crate::form::col;
use crate::ingest::{Activity, Submission};

/// The columns every filled row must have: Waktu Pelaksanaan, Kegiatan,
/// Bentuk/Media and Data Dukung.
pub const REQUIRED: [usize; 4] = [col::WHEN, col::ACTIVITY, col::MEDIA, col::EVIDENCE];

/// `activity.missing_field`: a filled row lacks a required column; one finding
/// per empty cell, so the OPD sees exactly which cells to fill. A column that is
/// missing from the sheet altogether is reported once as `file.column_missing`.
pub fn missing_fields(a: &Activity, sub: &Submission, ctx: &Context) -> Vec<Finding> {
    REQUIRED
        .iter()
        .filter_map(|&i| {
            let c = sub.table1_columns[i]?;
            a.cells[i].is_empty().then(|| {
                Finding::new(
                    Code::ActivityMissingField,
                    ctx.at(&sub.table1_sheet, (a.row, c)),
                    format!(
                        "Kolom \"{}\" kosong pada kegiatan baris {}; kolom ini wajib diisi.",
                        ctx.form.table1.columns[i],
                        a.row + 1
                    ),
                )
            })
        })
        .collect()
}

/// `activity.problem_without_solution`: a problem is reported with no effort to
/// solve it; the regulation asks for both (Kolom 5 and 6).
pub fn problem_without_solution(a: &Activity, sub: &Submission, ctx: &Context) -> Vec<Finding> {
    let (Some(c), false, true) = (
        sub.table1_columns[col::SOLUTION],
        a.cells[col::PROBLEM].is_empty(),
        a.cells[col::SOLUTION].is_empty(),
    ) else {
        return vec![];
    };
    vec![Finding::new(
        Code::ActivityProblemWithoutSolution,
        ctx.at(&sub.table1_sheet, (a.row, c)),
        format!(
            "\"{}\" diisi tetapi \"{}\" kosong; tuliskan alternatif solusi pemecahan permasalahan.",
            ctx.form.table1.columns[col::PROBLEM],
            ctx.form.table1.columns[col::SOLUTION]
        ),
    )]
}

/// `activity.outside_indicator`: a filled row above the first indicator row
/// belongs to no indicator, so it can't count towards any.
pub fn outside_indicator(a: &Activity, sub: &Submission, ctx: &Context) -> Vec<Finding> {
    if a.indicator.is_some() {
        return vec![];
    }
    let c = sub.table1_columns[col::ACTIVITY].unwrap_or(0);
    vec![Finding::new(
        Code::ActivityOutsideIndicator,
        ctx.at(&sub.table1_sheet, (a.row, c)),
        format!(
            "Kegiatan pada baris {} berada di atas baris indikator pertama sehingga tidak termasuk indikator mana pun; pindahkan ke bawah indikator yang sesuai.",
            a.row + 1
        ),
    )]
}
