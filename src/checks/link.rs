//! Checks on evidence links (Tabel 1 Data Dukung and Tabel 2 Tautan Data
//! Dukung): the regulation asks for a Google Drive link the city team can open
//! (Keterangan Kolom 7). The classification itself lives in [`crate::links`];
//! this module turns it into findings.

use super::{Context, quote};
use crate::finding::{Code, Finding, Location};
use crate::form::col;
use crate::ingest::{Activity, CellText, Evidence, Submission};
use crate::links::{LinkError, LinkWarning, check_link};

/// `link.*` on Tabel 1's Data Dukung.
pub fn activity_link(a: &Activity, sub: &Submission, ctx: &Context) -> Vec<Finding> {
    let cell = &a.cells[col::EVIDENCE];
    match cell.pos {
        Some(pos) if !cell.is_empty() => link_findings(cell, ctx.at(&sub.table1_sheet, pos), ctx),
        _ => vec![],
    }
}

/// `link.*` on Tabel 2's Tautan Data Dukung.
pub fn evidence_link(e: &Evidence, sub: &Submission, ctx: &Context) -> Vec<Finding> {
    let cell = &e.link;
    match cell.pos {
        Some(pos) if !cell.is_empty() => link_findings(cell, ctx.at(&sub.table2_sheet, pos), ctx),
        _ => vec![],
    }
}

/// Classifies one link cell: `link.not_url`, `link.local_path`,
/// `link.unsafe_scheme`, `link.drive_without_id`, `link.drive_truncated` and
/// `link.not_drive` (errors: no points, following Keterangan Kolom 7 and the
/// accepted domains set in the rubric or `--domain`) and `link.insecure` (warning).
pub fn link_findings(cell: &CellText, loc: Location, ctx: &Context) -> Vec<Finding> {
    let raw = cell.link_or_text();
    let verdict = check_link(raw, ctx.allowed_domains);
    let shown = quote(raw);
    let mut out = Vec::new();
    if let Some(error) = &verdict.error {
        let (code, message) = match error {
            LinkError::NotUrl => (
                Code::LinkNotUrl,
                format!(
                    "Data dukung berisi teks \"{shown}\", bukan tautan. Isi dengan tautan Google Drive (https://drive.google.com/...)."
                ),
            ),
            LinkError::LocalPath => (
                Code::LinkLocalPath,
                format!(
                    "Data dukung menunjuk lokasi berkas di komputer pengirim (\"{shown}\") yang tidak dapat dibuka {}. Unggah berkasnya ke Google Drive lalu tempelkan tautannya.",
                    ctx.form.regulation.city_team
                ),
            ),
            LinkError::UnsafeScheme(scheme) => (
                Code::LinkUnsafeScheme,
                format!(
                    "Tautan data dukung memakai skema \"{scheme}:\" yang tidak diizinkan; hanya tautan https:// (atau http://) yang diterima."
                ),
            ),
            LinkError::DriveTruncated => (
                Code::LinkDriveTruncated,
                format!(
                    "Tautan Google Drive \"{shown}\" terpotong: kode berkas atau foldernya tidak lengkap. Salin ulang tautan secara utuh dari tombol Bagikan > Salin link."
                ),
            ),
            LinkError::DriveWithoutId => (
                Code::LinkDriveWithoutId,
                format!(
                    "Tautan Google Drive \"{shown}\" tidak menunjuk berkas atau folder tertentu (misalnya tautan \"Drive Saya\"). Salin tautan berbagi dari berkas atau folder bukti (klik kanan > Bagikan > Salin link)."
                ),
            ),
        };
        out.push(Finding::new(code, loc.clone(), message));
    }
    for warning in &verdict.warnings {
        let (code, message) = match warning {
            LinkWarning::Insecure => (
                Code::LinkInsecure,
                format!(
                    "Tautan \"{shown}\" memakai http:// yang tidak aman; gunakan tautan https://."
                ),
            ),
            LinkWarning::NotDrive(host) => (
                Code::LinkNotDrive,
                format!(
                    "Tautan data dukung mengarah ke {host}, di luar domain yang diterima ({}), sehingga tidak mendapat poin: Keterangan Kolom 7 meminta data dukung disajikan dalam tautan Google Drive. Unggah buktinya ke Google Drive lalu tempelkan tautannya.",
                    ctx.allowed_domains.join(", ")
                ),
            ),
        };
        out.push(Finding::new(code, loc.clone(), message));
    }
    out
}
