//! Checks on evidence links (Tabel 1 Data Dukung and Tabel 2 Tautan Data
//! Dukung): the regulation asks for a Google Drive link the city team can open
//! (Keterangan Kolom 7). The classification itself lives in [`crate::links`];
//! this module turns it into findings.

use std::collections::HashMap;

use super::{Context, quote};
use crate::finding::{Code, Finding, Location, Severity};
use crate::form::col;
use crate::ingest::{Activity, CellText, Evidence, Submission};
use crate::links::{LinkError, LinkVerdict, LinkWarning, check_link};

/// The verdict of every non-empty link cell of one submission (Tabel 1 Data
/// Dukung, Tabel 2 Tautan Data Dukung), by (table, 0-based row and column).
/// Classifying a link ([`check_link`]) is the costliest part of checking a
/// file, and both the link checks and the shared-link check across files
/// ([`super::across::shared_links`]) need it: it is done once per cell.
#[derive(Debug, Default)]
pub struct Verdicts {
    /// Keyed by (true for Tabel 2, position).
    by_cell: HashMap<(bool, (u32, u32)), LinkVerdict>,
}

impl Verdicts {
    /// Classifies every non-empty link cell of `sub` against `allowed_domains`.
    pub fn classify(sub: &Submission, allowed_domains: &[String]) -> Verdicts {
        let mut by_cell = HashMap::new();
        for (table2, cell) in link_cells(sub) {
            if let (Some(pos), false) = (cell.pos, cell.is_empty()) {
                by_cell
                    .entry((table2, pos))
                    .or_insert_with(|| check_link(cell.link_or_text(), allowed_domains));
            }
        }
        Verdicts { by_cell }
    }

    /// The verdict of the cell at `pos` of Tabel 2 (`table2`) or Tabel 1,
    /// when it was classified.
    pub fn get(&self, table2: bool, pos: (u32, u32)) -> Option<&LinkVerdict> {
        self.by_cell.get(&(table2, pos))
    }

    /// Each link's identity ([`LinkVerdict::key`]) with its cell, in the
    /// submission's order (Tabel 1 rows, then Tabel 2 items), as (key, true
    /// for Tabel 2, 0-based row and column); links with an error have no
    /// identity and are left out. Consumes the verdicts (the keys are moved
    /// out, not copied).
    pub fn into_keys(mut self, sub: &Submission) -> Vec<LinkKey> {
        link_cells(sub)
            .filter_map(|(table2, cell)| {
                let pos = cell.pos?;
                let verdict = self.by_cell.get_mut(&(table2, pos))?;
                Some(LinkKey {
                    key: verdict.key.take()?,
                    table2,
                    pos,
                })
            })
            .collect()
    }
}

/// One link's identity and where it is (see [`Verdicts::into_keys`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkKey {
    /// [`LinkVerdict::key`]: the Drive file or folder, or the address.
    pub key: String,
    /// True for Tabel 2's Tautan Data Dukung, false for Tabel 1's Data Dukung.
    pub table2: bool,
    /// 0-based row and column of the cell.
    pub pos: (u32, u32),
}

/// The link cells of a submission, each with true for Tabel 2: Tabel 1's
/// Data Dukung by row, then Tabel 2's Tautan Data Dukung by item.
fn link_cells(sub: &Submission) -> impl Iterator<Item = (bool, &CellText)> {
    sub.activities
        .iter()
        .map(|a| (false, &a.cells[col::EVIDENCE]))
        .chain(sub.evidence.iter().map(|e| (true, &e.link)))
}

/// `link.*` on Tabel 1's Data Dukung.
pub fn activity_link(a: &Activity, sub: &Submission, ctx: &Context) -> Vec<Finding> {
    let cell = &a.cells[col::EVIDENCE];
    match cell.pos {
        Some(pos) if !cell.is_empty() => link_findings(cell, (&sub.table1_sheet, false), pos, ctx),
        _ => vec![],
    }
}

/// `link.*` on Tabel 2's Tautan Data Dukung.
pub fn evidence_link(e: &Evidence, sub: &Submission, ctx: &Context) -> Vec<Finding> {
    let cell = &e.link;
    match cell.pos {
        Some(pos) if !cell.is_empty() => link_findings(cell, (&sub.table2_sheet, true), pos, ctx),
        _ => vec![],
    }
}

/// Classifies one link cell: `link.not_url`, `link.local_path`,
/// `link.unsafe_scheme`, `link.drive_without_id`, `link.drive_truncated` and
/// `link.not_drive` (errors: no points, following Keterangan Kolom 7 and the
/// accepted domains set in the rubric or `--domain`), `link.insecure` and
/// `link.no_scheme` (warnings: the link still counts).
///
/// `table`: the cell's sheet, and true when it is Tabel 2's.
pub fn link_findings(
    cell: &CellText,
    (sheet, table2): (&str, bool),
    pos: (u32, u32),
    ctx: &Context,
) -> Vec<Finding> {
    let raw = cell.link_or_text();
    let loc: Location = ctx.at(sheet, pos);
    // Classified once per file; a cell not classified (none should be) is
    // classified here.
    let own;
    let verdict = match ctx.links.get(table2, pos) {
        Some(v) => v,
        None => {
            own = check_link(raw, ctx.allowed_domains);
            &own
        }
    };
    let shown = quote(raw);
    // Points are lost to any finding of Error severity on the cell, which
    // includes `link.not_drive` among the warnings of the classification.
    let earns_points = verdict.error.is_none()
        && verdict
            .warnings
            .iter()
            .all(|w| warning_code(w).severity() != Severity::Error);
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
        let message = match warning {
            LinkWarning::Insecure => format!(
                "Tautan \"{shown}\" memakai http:// yang tidak aman; gunakan tautan https://."
            ),
            LinkWarning::NoScheme => format!(
                "Tautan \"{shown}\" tidak diawali https:// sehingga mungkin tidak dapat diklik{}. Tempelkan tautan lengkap yang diawali https:// (di Google Drive: Bagikan > Salin link).",
                // Said only of a link that earns its points.
                if earns_points {
                    "; tautan ini tetap dihitung"
                } else {
                    ""
                }
            ),
            LinkWarning::NotDrive(host) => format!(
                "Tautan data dukung mengarah ke {host}, di luar domain yang diterima ({}), sehingga tidak mendapat poin: Keterangan Kolom 7 meminta data dukung disajikan dalam tautan Google Drive. Unggah buktinya ke Google Drive lalu tempelkan tautannya.",
                ctx.allowed_domains.join(", ")
            ),
        };
        out.push(Finding::new(warning_code(warning), loc.clone(), message));
    }
    out
}

/// The finding code of a classification warning (its severity, from the
/// code's record, says whether the link still earns points).
fn warning_code(warning: &LinkWarning) -> Code {
    match warning {
        LinkWarning::Insecure => Code::LinkInsecure,
        LinkWarning::NoScheme => Code::LinkNoScheme,
        LinkWarning::NotDrive(_) => Code::LinkNotDrive,
    }
}
