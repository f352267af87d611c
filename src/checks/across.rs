//! Checks that look across files: which file of an OPD counts, whether it came
//! late, whether its year is right, and whether two OPDs submitted the same link.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::Context;
use crate::finding::{Code, Finding, Location};
use crate::form::col;
use crate::ingest::Submission;
use crate::links::check_link;
use crate::rekap::{FileResult, FileStatus};
use crate::roster::Roster;

/// `file.wrong_year`: the template states another year than the one compiled.
/// The file is kept (its content may still be right) and flagged.
pub fn wrong_year(sub: &Submission, ctx: &Context) -> Vec<Finding> {
    match sub.year {
        Some(y) if y != ctx.year => vec![Finding::new(
            Code::FileWrongYear,
            Location::file(ctx.file),
            format!(
                "Templat ini untuk tahun {y}, sedangkan rekap untuk tahun {}. Berkas tetap dibaca; pastikan OPD memakai templat tahun {}.",
                ctx.year, ctx.year
            ),
        )],
        _ => vec![],
    }
}

/// `file.superseded`: of several accepted files from one OPD, the newest counts
/// (by submission time, then path; a blank template only when nothing else
/// came); the others are marked and say which replaced them.
pub fn supersede(files: &mut [FileResult], roster: &Roster) {
    for unit in &roster.units {
        let mut idx: Vec<usize> = (0..files.len())
            .filter(|&i| {
                files[i].status == FileStatus::Used
                    && files[i].unit.as_deref() == Some(unit.code.as_str())
            })
            .collect();
        if idx.len() < 2 {
            continue;
        }
        // A blank template sent back (a reply to the invitation) never wins over a real report.
        idx.sort_by(|&a, &b| {
            (!files[a].blank, files[a].submitted_at, &files[a].path).cmp(&(
                !files[b].blank,
                files[b].submitted_at,
                &files[b].path,
            ))
        });
        let newest = *idx.last().expect("at least two files");
        let (path, when) = (files[newest].path.clone(), files[newest].submitted_at);
        for &i in &idx[..idx.len() - 1] {
            let when = when
                .map(|w| format!(" ({})", w.format(crate::print::WIB_DATETIME)))
                .unwrap_or_default();
            let message = if files[i].blank && !files[newest].blank {
                format!(
                    "Templat kosong yang dikirim kembali; tidak menggantikan laporan {} yang sudah diterima: {path}{when}.",
                    unit.name
                )
            } else {
                format!(
                    "Digantikan oleh berkas yang lebih baru dari {}: {path}{when}.",
                    unit.name
                )
            };
            files[i].status = FileStatus::Superseded;
            files[i].reason = Some(message.clone());
            files[i].findings.push(Finding::new(
                Code::FileSuperseded,
                Location::file(&files[i].path),
                message,
            ));
        }
    }
}

/// `file.late`: submitted after the deadline (Lampiran D: by the end of August),
/// judged on the calendar day in Western Indonesian Time.
pub fn late(file: &FileResult, deadline: NaiveDate, deadline_text: &str) -> Vec<Finding> {
    match file.submitted_at {
        Some(t) if t.date_naive() > deadline => vec![Finding::new(
            Code::FileLate,
            Location::file(&file.path),
            format!(
                "Berkas dikirim {} ({}), setelah batas waktu {deadline_text}.",
                t.format(crate::print::WIB_DATETIME),
                file.submitted_source
                    .map_or("waktu tidak diketahui", |s| s.label())
            ),
        )],
        _ => vec![],
    }
}

/// `link.shared_with_other_unit`: the same evidence (same Drive file or folder,
/// or same address) appears in another OPD's submission. Each OPD's evidence
/// should be its own; one finding per occurrence, naming the other OPDs.
pub fn shared_links(
    used: &[(usize, &Submission)],
    files: &[FileResult],
    roster: &Roster,
    allowed_domains: &[String],
) -> Vec<(usize, Vec<Finding>)> {
    // key -> occurrences (file index, unit, location)
    let mut by_key: BTreeMap<String, Vec<(usize, String, Location)>> = BTreeMap::new();
    for &(i, sub) in used {
        let file = &files[i].path;
        let cells = sub
            .activities
            .iter()
            .map(|a| (&sub.table1_sheet, &a.cells[col::EVIDENCE]))
            .chain(sub.evidence.iter().map(|e| (&sub.table2_sheet, &e.link)));
        for (sheet, cell) in cells {
            let (Some(pos), false) = (cell.pos, cell.is_empty()) else {
                continue;
            };
            if let Some(key) = check_link(cell.link_or_text(), allowed_domains).key {
                by_key.entry(key).or_default().push((
                    i,
                    sub.unit.clone(),
                    Location::cell(file, sheet, pos.0, pos.1),
                ));
            }
        }
    }
    let name = |code: &str| {
        roster
            .get(code)
            .map_or(code.to_string(), |u| u.name.clone())
    };
    let mut out: BTreeMap<usize, Vec<Finding>> = BTreeMap::new();
    for occurrences in by_key.values() {
        let units: BTreeSet<&str> = occurrences.iter().map(|(_, u, _)| u.as_str()).collect();
        if units.len() < 2 {
            continue;
        }
        for (i, unit, loc) in occurrences {
            let others: Vec<String> = units
                .iter()
                .filter(|u| **u != unit)
                .map(|u| name(u))
                .collect();
            out.entry(*i).or_default().push(Finding::new(
                Code::LinkSharedWithOtherUnit,
                loc.clone(),
                format!(
                    "Tautan yang sama juga dikirim oleh {}; data dukung setiap Perangkat Daerah harus menunjukkan kegiatannya sendiri.",
                    others.join(", ")
                ),
            ));
        }
    }
    out.into_iter().collect()
}
