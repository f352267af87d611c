//! Reminders (`monev pengingat`): after the same compile as `monev rekap`, one
//! draft per roster OPD without a usable submission, saying what was wrong with
//! what was received, with the OPD's blank template attached again.
//!
//! Which OPDs get one is decided by [`needs_reminder`] alone, so that new unit
//! statuses only need to be added there.

use std::path::{Path, PathBuf};

use super::draft::{Draft, DraftConfig, fill_body, message_id};
use crate::error::Result;
use crate::form::Form;
use crate::model::{FileResult, FileStatus, Rekap, UnitResult, UnitStatus};
use crate::roster::{Roster, Unit};

/// The embedded body of reminders (`templates/surel-pengingat.txt`).
pub const REMINDER_BODY: &str = include_str!("../../templates/surel-pengingat.txt");

/// True when an OPD has no usable submission yet: nothing was received
/// ([`UnitStatus::Missing`]), every file it sent was rejected
/// ([`UnitStatus::Rejected`]), or only a blank template came back
/// ([`UnitStatus::EmptyTemplate`]). The one rule for reminders.
pub fn needs_reminder(unit: &UnitResult) -> bool {
    matches!(
        unit.status,
        UnitStatus::Missing | UnitStatus::Rejected | UnitStatus::EmptyTemplate
    )
}

/// One reminder draft.
#[derive(Debug, Clone)]
pub struct Reminder {
    pub code: String,
    pub name: String,
    /// The roster address; None when the roster has none (To is left empty).
    pub email: Option<String>,
    /// What was wrong with what was received, as told to the OPD.
    pub reason: String,
    /// Where the draft goes.
    pub path: PathBuf,
    /// The .eml bytes.
    pub bytes: Vec<u8>,
}

/// The subject of a reminder.
pub fn subject(year: i32, unit_name: &str) -> String {
    format!("Pengingat: Formulir Monev Budaya Kerja BerAKHLAK Tahun {year} – {unit_name}")
}

/// The file name of a reminder draft: `pengingat-2026-dinkes.eml`.
pub fn file_name(year: i32, code: &str) -> String {
    format!("pengingat-{year}-{code}.eml")
}

/// The files that belong to a unit: recognised as its own, or (when rejected
/// before the unit was known) sent from its roster address.
fn files_of<'a>(rekap: &'a Rekap, unit: &'a Unit) -> impl Iterator<Item = &'a FileResult> {
    rekap.files.iter().filter(move |f| {
        f.unit.as_deref() == Some(unit.code.as_str())
            || (f.unit.is_none()
                && unit.email.as_deref().is_some_and(|e| {
                    f.sender
                        .as_deref()
                        .is_some_and(|s| s.eq_ignore_ascii_case(e))
                }))
    })
}

/// What the OPD is told about what was received (one or two sentences).
pub fn reason(rekap: &Rekap, unit: &Unit, result: &UnitResult) -> String {
    let shown = |f: &FileResult| {
        let name = f.path.rsplit(" » ").next().unwrap_or(&f.path);
        let name = std::path::Path::new(name)
            .file_name()
            .map_or(name.to_string(), |n| n.to_string_lossy().into_owned());
        match f.submitted_at {
            Some(t) => format!("\"{name}\", {}", t.format(crate::print::WIB_DATETIME)),
            None => format!("\"{name}\""),
        }
    };
    if let Some(f) = files_of(rekap, unit)
        .filter(|f| f.status == FileStatus::Empty)
        .max_by_key(|f| f.submitted_at)
        .filter(|_| result.status == UnitStatus::EmptyTemplate)
    {
        return format!(
            "Berkas yang kami terima ({}) masih berupa templat kosong: Tabel 1 dan Tabel 2 belum diisi.",
            shown(f)
        );
    }
    let rejected = files_of(rekap, unit)
        .filter(|f| f.status == FileStatus::Rejected)
        .max_by_key(|f| f.submitted_at);
    match rejected {
        Some(f) => format!(
            "Berkas yang kami terima ({}) tidak dapat direkap. {}",
            shown(f),
            f.reason.as_deref().unwrap_or("Berkas ditolak.")
        ),
        None => format!("Kami belum menerima berkas laporan dari {}.", unit.name),
    }
}

/// The reminder drafts of every roster OPD that [`needs_reminder`], in roster
/// order, each with its blank template (built for `rekap.year`) attached.
/// Errors: a template can't be built.
pub fn reminders(
    rekap: &Rekap,
    roster: &Roster,
    form: &Form,
    config: &DraftConfig,
    body_template: &str,
) -> Result<Vec<Reminder>> {
    let year = rekap.year;
    let from = config.from.as_deref();
    let mut out = Vec::new();
    for (unit, result) in roster.units().iter().zip(&rekap.units) {
        debug_assert_eq!(unit.code, result.code);
        if !needs_reminder(result) {
            continue;
        }
        let template = crate::template::build(form, unit, year)?;
        let template_name = crate::template::file_name(year, &unit.code);
        let reason = reason(rekap, unit, result);
        let bytes = super::draft::build(&Draft {
            to: unit.email.as_deref(),
            to_name: &unit.name,
            from,
            from_name: &form.regulation.city_team,
            subject: subject(year, &unit.name),
            body: fill_body(
                body_template,
                form,
                unit,
                year,
                &template_name,
                from,
                &reason,
                config.date.date_naive(),
            ),
            attachment_name: &template_name,
            attachment: &template,
            date: config.date,
            message_id: message_id("pengingat", year, &unit.code, config.date, from),
        });
        out.push(Reminder {
            code: unit.code.clone(),
            name: unit.name.clone(),
            email: unit.email.clone(),
            reason,
            path: config.dir.join(file_name(year, &unit.code)),
            bytes,
        });
    }
    Ok(out)
}

/// The terminal lines after `monev pengingat`: which OPDs get a reminder, with
/// their addresses and what was wrong, out of `units` in the roster.
pub fn summary(reminders: &[Reminder], units: usize, dir: &Path) -> String {
    if reminders.is_empty() {
        return format!(
            "Semua {units} OPD sudah mengirim laporan yang dapat direkap; tidak ada pengingat.\n"
        );
    }
    let mut out = format!(
        "{} dari {units} OPD belum mengirim laporan yang dapat direkap. Draf pengingat ditulis ke {}:\n",
        reminders.len(),
        dir.display()
    );
    for r in reminders {
        out.push_str(&format!(
            "  - {} ({}) <{}>: {}\n",
            r.name,
            r.code,
            r.email.as_deref().unwrap_or("tanpa alamat surel"),
            r.reason
        ));
    }
    out
}
