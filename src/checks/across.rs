//! Checks that look across files: which file of an OPD counts, whether it came
//! late, and whether two OPDs submitted the same link. They work on plain
//! per-file facts handed in by the pipeline, so they know nothing of the
//! result model.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::finding::{Code, Finding, Location};

use crate::roster::Roster;

/// At most this many other OPDs are named in one shared-link finding; the
/// rest are counted, so a link shared by many units stays one short sentence.
pub const MAX_NAMED_OTHERS: usize = 3;

/// A file that counts, with its links' identities, for [`shared_links`].
#[derive(Debug, Clone)]
pub struct FileLinks<'a> {
    /// The file's index in the run.
    pub index: usize,
    /// The file as shown in outputs.
    pub file: &'a str,
    /// Its unit's code.
    pub unit: &'a str,
    /// The sheets its Tabel 1 and Tabel 2 were read from.
    pub table1_sheet: &'a str,
    pub table2_sheet: &'a str,
    /// Its links' identities ([`super::link::Verdicts::into_keys`]).
    pub links: &'a [super::link::LinkKey],
}

/// One accepted file competing to be its unit's report.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    /// The unit, or None for a file that does not compete (rejected, blank).
    pub unit: Option<&'a str>,
    pub submitted_at: Option<DateTime<FixedOffset>>,
    /// The file as shown in outputs (the tie-breaker).
    pub file: &'a str,
}

/// For each candidate, the index of the newer file of the same unit that
/// replaces it, or None when it is its unit's newest (or does not compete).
/// Newest = latest submission time, then the greatest name.
pub fn newest(candidates: &[Candidate]) -> Vec<Option<usize>> {
    let mut best: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, c) in candidates.iter().enumerate() {
        let Some(unit) = c.unit else { continue };
        let key = |c: &Candidate| (c.submitted_at, c.file.to_string());
        best.entry(unit)
            .and_modify(|b| {
                if key(c) > key(&candidates[*b]) {
                    *b = i;
                }
            })
            .or_insert(i);
    }
    candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let b = *best.get(c.unit?)?;
            (b != i).then_some(b)
        })
        .collect()
}

/// `file.superseded`: the finding on a file replaced by a newer one.
pub fn superseded(
    file: &str,
    unit_name: &str,
    newer: &str,
    newer_at: Option<DateTime<FixedOffset>>,
) -> Finding {
    let when = newer_at
        .map(|w| format!(" ({})", w.format(crate::print::WIB_DATETIME)))
        .unwrap_or_default();
    Finding::new(
        Code::FileSuperseded,
        Location::file(file),
        format!("Digantikan oleh berkas yang lebih baru dari {unit_name}: {newer}{when}."),
    )
}

/// `file.late`: submitted after the deadline (Lampiran D: "selambat-lambatnya
/// bulan Agustus"; monev uses 31 Agustus), judged on the calendar day in
/// Western Indonesian Time. `when` is the time and where it comes from;
/// `saved_time` is true when it is a saved time rather than an e-mail date,
/// which the message then calls "terakhir disimpan", not "dikirim".
pub fn late(
    file: &str,
    when: Option<(DateTime<FixedOffset>, &str)>,
    saved_time: bool,
    deadline: NaiveDate,
    deadline_text: &str,
) -> Vec<Finding> {
    match when {
        Some((t, source)) if t.date_naive() > deadline => {
            let verb = if saved_time {
                "terakhir disimpan"
            } else {
                "dikirim"
            };
            vec![Finding::new(
                Code::FileLate,
                Location::file(file),
                format!(
                    "Berkas {verb} {} (menurut {source}), setelah batas waktu {deadline_text}.",
                    t.format(crate::print::WIB_DATETIME)
                ),
            )]
        }
        _ => vec![],
    }
}

/// `link.shared_with_other_unit`: the same evidence (same Drive file or folder,
/// or same address) appears in another OPD's submission. Each OPD's evidence
/// should be its own. One finding per occurrence, naming at most
/// [`MAX_NAMED_OTHERS`] of the other OPDs plus how many more; the cost is
/// linear in the number of links.
///
/// `used`: one entry per file that counts, in file order.
pub fn shared_links(used: &[FileLinks], roster: &Roster) -> Vec<(usize, Vec<Finding>)> {
    let per_file = used.iter().map(|f| {
        f.links.iter().map(move |l| {
            let sheet = if l.table2 {
                f.table2_sheet
            } else {
                f.table1_sheet
            };
            (
                l.key.clone(),
                f.index,
                f.unit,
                Location::at(f.file, sheet, l.pos.0, l.pos.1),
            )
        })
    });
    // key -> occurrences (file index, unit, location)
    let mut by_key: BTreeMap<String, Vec<(usize, &str, Location)>> = BTreeMap::new();
    for (key, i, unit, loc) in per_file.into_iter().flatten() {
        by_key.entry(key).or_default().push((i, unit, loc));
    }
    let name = |code: &str| {
        roster
            .get(code)
            .map_or(code.to_string(), |u| u.name.clone())
    };
    let mut out: BTreeMap<usize, Vec<Finding>> = BTreeMap::new();
    for occurrences in by_key.values() {
        let units: BTreeSet<&str> = occurrences.iter().map(|(_, u, _)| *u).collect();
        if units.len() < 2 {
            continue;
        }
        for (i, unit, loc) in occurrences {
            let others = units.len() - 1;
            let named: Vec<String> = units
                .iter()
                .filter(|u| *u != unit)
                .take(MAX_NAMED_OTHERS)
                .map(|u| name(u))
                .collect();
            let more = others - named.len();
            let who = if more > 0 {
                format!("{} dan {more} Perangkat Daerah lain", named.join(", "))
            } else {
                named.join(", ")
            };
            out.entry(*i).or_default().push(Finding::new(
                Code::LinkSharedWithOtherUnit,
                loc.clone(),
                format!(
                    "Tautan yang sama juga dikirim oleh {who}; data dukung setiap Perangkat Daerah harus menunjukkan kegiatannya sendiri."
                ),
            ));
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32) -> Option<DateTime<FixedOffset>> {
        DateTime::parse_from_rfc3339(&format!("2026-08-{day:02}T10:00:00+07:00")).ok()
    }

    #[test]
    fn newest_file_of_each_unit_wins() {
        let c = |unit, day, file| Candidate {
            unit,
            submitted_at: at(day),
            file,
        };
        let cands = [
            c(Some("dlh"), 10, "a.xlsx"),
            c(Some("dlh"), 20, "b.xlsx"),
            c(Some("dinkes"), 5, "c.xlsx"),
            c(None, 30, "d.xlsx"),
            c(Some("dlh"), 20, "a2.xlsx"),
        ];
        assert_eq!(newest(&cands), vec![Some(1), None, None, None, Some(1)]);
    }

    #[test]
    fn late_says_saved_when_the_time_is_a_saved_time() {
        let deadline = NaiveDate::from_ymd_opt(2026, 8, 31).unwrap();
        let sep1 = DateTime::parse_from_rfc3339("2026-09-01T08:00:00+07:00").unwrap();
        let f = late(
            "a.xlsx",
            Some((sep1, "x")),
            true,
            deadline,
            "31 Agustus 2026",
        );
        assert!(
            f[0].message
                .starts_with("Berkas terakhir disimpan 01/09/2026"),
            "{}",
            f[0].message
        );
        let f = late(
            "a.xlsx",
            Some((sep1, "x")),
            false,
            deadline,
            "31 Agustus 2026",
        );
        assert!(f[0].message.starts_with("Berkas dikirim"));
        let aug31 = DateTime::parse_from_rfc3339("2026-08-31T23:59:00+07:00").unwrap();
        assert!(late("a", Some((aug31, "x")), false, deadline, "").is_empty());
    }
}
