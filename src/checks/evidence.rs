//! Checks on one Tabel 2 evidence item (Ketersediaan and Tautan Data Dukung).

use super::{Context, quote};
use crate::finding::{Code, Finding};
use crate::form::col2;
use crate::ingest::{Availability, Evidence, Submission};

/// The cell of a Tabel 2 column in an item's row, when both are known.
fn cell(e: &Evidence, sub: &Submission, column: usize) -> Option<(u32, u32)> {
    Some((e.row?, sub.table2_columns[column]?))
}

/// `evidence.status_missing` / `evidence.status_invalid`: Ketersediaan must be
/// "Ada" or "Belum Ada"; scoring depends on it.
pub fn status(e: &Evidence, sub: &Submission, ctx: &Context) -> Vec<Finding> {
    let Some(pos) = cell(e, sub, col2::AVAILABILITY) else {
        return vec![];
    };
    let answers = &ctx.form.table2.availability;
    let (code, message) = match &e.availability {
        Availability::Empty => (
            Code::EvidenceStatusMissing,
            format!(
                "Ketersediaan data dukung {}{} belum diisi; pilih \"{}\" atau \"{}\".",
                e.indicator, e.item, answers[0], answers[1]
            ),
        ),
        Availability::Invalid(t) => (
            Code::EvidenceStatusInvalid,
            format!(
                "Ketersediaan data dukung {}{} berisi \"{}\"; pilih \"{}\" atau \"{}\".",
                e.indicator,
                e.item,
                quote(t),
                answers[0],
                answers[1]
            ),
        ),
        _ => return vec![],
    };
    vec![Finding::new(code, ctx.at(&sub.table2_sheet, pos), message)]
}

/// `evidence.status_checkmark`: a check mark typed in Ketersediaan is read as
/// "Ada" (what was meant), with a warning asking for the dropdown value.
pub fn checkmark(e: &Evidence, sub: &Submission, ctx: &Context) -> Vec<Finding> {
    let (Some(pos), Availability::Checkmark(mark)) =
        (cell(e, sub, col2::AVAILABILITY), &e.availability)
    else {
        return vec![];
    };
    let answers = &ctx.form.table2.availability;
    vec![Finding::new(
        Code::EvidenceStatusCheckmark,
        ctx.at(&sub.table2_sheet, pos),
        format!(
            "Ketersediaan data dukung {}{} berisi tanda \"{mark}\" dan dibaca sebagai \"{}\"; pilih \"{}\" dari daftar pilihan agar jelas.",
            e.indicator, e.item, answers[0], answers[0]
        ),
    )]
}

/// `evidence.link_missing` / `evidence.link_without_ada`: "Ada" needs a link the
/// city team can open; a link next to "Belum Ada" contradicts itself.
pub fn link_presence(e: &Evidence, sub: &Submission, ctx: &Context) -> Vec<Finding> {
    let Some(pos) = cell(e, sub, col2::LINK) else {
        return vec![];
    };
    let answers = &ctx.form.table2.availability;
    let (code, message) = match (&e.availability, e.link.is_empty()) {
        (a, true) if a.is_ada() => (
            Code::EvidenceLinkMissing,
            format!(
                "Ketersediaan data dukung {}{} \"{}\" tetapi \"{}\" kosong; tempelkan tautan Google Drive bukti.",
                e.indicator,
                e.item,
                answers[0],
                ctx.form.table2.columns[col2::LINK]
            ),
        ),
        (Availability::BelumAda, false) => (
            Code::EvidenceLinkWithoutAda,
            format!(
                "Tautan diisi sementara Ketersediaan data dukung {}{} \"{}\"; bila bukti sudah ada, pilih \"{}\".",
                e.indicator, e.item, answers[1], answers[0]
            ),
        ),
        _ => return vec![],
    };
    vec![Finding::new(code, ctx.at(&sub.table2_sheet, pos), message)]
}
