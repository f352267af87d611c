//! Checks on a whole file: a template sent back blank, a report whose Tabel 1
//! holds no valid activity (in total, or under an indicator), and a template
//! of another year.

use super::Context;
use crate::finding::{Code, Finding, Location};
use crate::form::INDICATORS;
use crate::ingest::{Submission, blank_answers};

/// `file.empty`: every input cell of the template is blank (typically a reply
/// that attaches the untouched template). Such a file is set aside: it never
/// replaces a real submission and is not scored.
pub fn empty(sub: &Submission, ctx: &Context) -> Option<Finding> {
    blank_answers(&sub.activities, &sub.evidence).then(|| {
        Finding::new(
            Code::FileEmpty,
            Location::file(ctx.file),
            format!(
                "Templat dikirim kembali tanpa isian: {} dan {} masih kosong. Isi kedua tabel, lalu kirim kembali berkas yang sama.",
                ctx.form.table1.sheet, ctx.form.table2.sheet
            ),
        )
    })
}

/// `activity.none` (error) when Tabel 1 holds no valid activity at all, and
/// `indicator.no_activity` (warning) for each indicator without one. Rules:
/// Lampiran B (Tabel 1 lists activities under each of the four indicators)
/// and our rubric (an indicator's activity points need one valid activity).
/// Where the activities went is said when it is known: a copied sheet
/// (`file.duplicate_table`) or rows above the first indicator.
pub fn no_activity(
    sub: &Submission,
    valid: &[bool],
    findings: &[Finding],
    ctx: &Context,
) -> Vec<Finding> {
    let sheet = &sub.table1_sheet;
    let mut hints = Vec::new();
    if findings.iter().any(|f| f.code == Code::FileDuplicateTable) {
        hints.push(
            "isian pada lembar salinan tidak dibaca; pindahkan ke lembar yang asli".to_string(),
        );
    }
    let outside = sub
        .activities
        .iter()
        .filter(|a| a.indicator.is_none())
        .count();
    if outside > 0 {
        hints.push(format!(
            "{outside} kegiatan berada di atas baris indikator pertama (baris indikator mungkin terhapus) sehingga tidak dihitung"
        ));
    }
    let hint = if hints.is_empty() {
        String::new()
    } else {
        format!(" Catatan: {}.", hints.join("; "))
    };
    let mut out = Vec::new();
    if !valid.iter().any(|v| *v) {
        let what = if sub.activities.is_empty() {
            "tidak memuat satu pun kegiatan"
        } else {
            "tidak memuat kegiatan yang sah (semua kegiatan masih bergalat)"
        };
        out.push(Finding::new(
            Code::ActivityNone,
            Location::sheet(ctx.file, sheet),
            format!(
                "{sheet} {what}. Tuliskan kegiatan penerapan Budaya Kerja di bawah baris indikatornya, lengkap dengan Waktu Pelaksanaan, Kegiatan, Bentuk/Media, dan tautan Data Dukung.{hint}"
            ),
        ));
    }
    for n in 1..=INDICATORS {
        let has = sub
            .activities
            .iter()
            .zip(valid)
            .any(|(a, v)| *v && a.indicator == Some(n));
        if !has {
            let wording = &ctx.form.table1.indicators[n - 1];
            out.push(Finding::new(
                Code::IndicatorNoActivity,
                Location::sheet(ctx.file, sheet),
                format!(
                    "Indikator {n} (\"{wording}\") belum memiliki kegiatan yang sah. Tambahkan sedikitnya satu kegiatan di bawah baris indikator ini, lengkap dengan Waktu Pelaksanaan, Kegiatan, Bentuk/Media, dan tautan Data Dukung."
                ),
            ));
        }
    }
    out
}

/// `file.wrong_year`: the template states another year than the reporting
/// year. The file is still read; its dates are judged against its own year
/// (the wrong year is the one problem), and the OPD is told to use this
/// year's template.
pub fn wrong_year(sub: &Submission, year: i32, ctx: &Context) -> Vec<Finding> {
    match sub.year {
        Some(y) if y != year => vec![Finding::new(
            Code::FileWrongYear,
            Location::file(ctx.file),
            format!(
                "Berkas ini memakai templat tahun {y}, sedangkan pelaporan untuk tahun {year}. Pindahkan isian ke templat tahun {year}."
            ),
        )],
        _ => vec![],
    }
}
