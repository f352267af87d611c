//! Checks on one Tabel 1 row (an activity).

use super::Context;
use crate::finding::{Code, Finding};
use crate::form::col;
use crate::ingest::{Activity, Submission};

/// The columns every filled row must have: Waktu Pelaksanaan, Kegiatan,
/// Bentuk/Media and Data Dukung.
pub const REQUIRED: [usize; 4] = [col::WHEN, col::ACTIVITY, col::MEDIA, col::EVIDENCE];

/// Which activities are valid, in the submission's order: all [`REQUIRED`]
/// columns filled and no error finding on the Data Dukung cell (our rubric,
/// `templates/rubrik.toml`: only a valid activity earns an indicator's
/// activity points).
pub fn validity(sub: &Submission, findings: &[Finding]) -> Vec<bool> {
    let bad: std::collections::HashSet<(u32, u32)> = findings
        .iter()
        .filter(|f| f.severity == crate::finding::Severity::Error && f.code.is_link())
        .filter(|f| f.location.sheet.as_deref() == Some(sub.table1_sheet.as_str()))
        .filter_map(|f| Some((f.location.row?, f.location.col?)))
        .collect();
    sub.activities
        .iter()
        .map(|a| {
            REQUIRED.iter().all(|&i| !a.cells[i].is_empty())
                && !a.cells[col::EVIDENCE].pos.is_some_and(|p| bad.contains(&p))
        })
        .collect()
}

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

/// Answers that mean "there was no problem", as data: `templates/tanpa-masalah.txt`.
pub const NO_PROBLEM_PHRASES: &str = include_str!("../../templates/tanpa-masalah.txt");

/// True when a Permasalahan answer says there was no problem ("Tidak ada",
/// "Nihil", "-", ...): the whole answer matches a phrase of
/// [`NO_PROBLEM_PHRASES`], or it is made only of symbols.
pub fn says_no_problem(text: &str) -> bool {
    static PHRASES: std::sync::LazyLock<std::collections::HashSet<String>> =
        std::sync::LazyLock::new(|| {
            NO_PROBLEM_PHRASES
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(crate::text::normalize_key)
                .collect()
        });
    let key = crate::text::normalize_key(text);
    key.is_empty() || PHRASES.contains(&key)
}

/// `activity.problem_without_solution`: a problem is reported with no effort to
/// solve it; the regulation asks for both (Kolom 5 and 6). An answer saying
/// there was no problem needs no solution.
pub fn problem_without_solution(a: &Activity, sub: &Submission, ctx: &Context) -> Vec<Finding> {
    let (Some(c), false, true) = (
        sub.table1_columns[col::SOLUTION],
        a.cells[col::PROBLEM].is_empty(),
        a.cells[col::SOLUTION].is_empty(),
    ) else {
        return vec![];
    };
    if says_no_problem(&a.cells[col::PROBLEM].text) {
        return vec![];
    }
    vec![Finding::new(
        Code::ActivityProblemWithoutSolution,
        ctx.at(&sub.table1_sheet, (a.row, c)),
        format!(
            "\"{}\" diisi tetapi \"{}\" belum diisi; tuliskan alternatif solusi pemecahan permasalahan.",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_problem_answers_are_recognised_as_whole_answers() {
        for yes in [
            "Tidak ada",
            "Tidak ada kendala",
            "Nihil",
            "Tidak Ada Permasalahan",
            "N/A",
            "-",
            "—",
            "Aman",
            "Lancar.",
            "  tidak  ada  ",
        ] {
            assert!(says_no_problem(yes), "{yes}");
        }
        for no in [
            "Tidak ada anggaran",
            "Peserta sedikit",
            "Jaringan internet lambat",
            "Aman tetapi peserta kurang",
        ] {
            assert!(!says_no_problem(no), "{no}");
        }
    }
}
