//! Which OPD and year a workbook belongs to, when its properties and `_monev`
//! sheet don't say: the OPD name and year shown above Tabel 1, then the file name,
//! then (for e-mail attachments) the sender's address in the roster.

use std::sync::LazyLock;

use regex::Regex;

use super::IdentifiedBy;
use super::workbook::{Sheet, data_text};
use crate::identity::Identity;
use crate::roster::{Roster, Unit};
use crate::text::{normalize_key, squash};

static SHOWN_UNIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*perangkat\s+daerah\s*:\s*(.+?)\s*$").expect("valid regex")
});
static SHOWN_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*tahun\s*:?\s*(\d{4})\b").expect("valid regex"));
static NAME_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\D)(20\d\d)(?:\D|$)").expect("valid regex"));

/// The OPD name and year shown above the Tabel 1 header.
pub(super) fn shown_identity(sheet: &Sheet, header_row: u32) -> (Option<String>, Option<i32>) {
    let (mut name, mut year) = (None, None);
    for &row in sheet.rows().iter().take_while(|r| **r < header_row) {
        for (_, v) in sheet.row_cells(row) {
            let t = data_text(v);
            if let Some(m) = SHOWN_UNIT.captures(&t) {
                name.get_or_insert(squash(&m[1]));
            }
            if let Some(m) = SHOWN_YEAR.captures(&t) {
                year = year.or(m[1].parse().ok());
            }
        }
    }
    (name, year)
}

pub(super) fn year_from_name(name: &str) -> Option<i32> {
    NAME_YEAR.captures(name).and_then(|m| m[1].parse().ok())
}

/// Finds the unit: properties, then `_monev`, then the shown name, then the file name.
pub(super) fn identify(
    roster: &Roster,
    props: &Identity,
    sheet: &Identity,
    shown: Option<&str>,
    file_name: &str,
) -> Option<(String, IdentifiedBy)> {
    let by_code = |id: &Identity| {
        id.code
            .as_deref()
            .and_then(|c| roster.get(c))
            .map(|u| u.code.clone())
    };
    if let Some(c) = by_code(props) {
        return Some((c, IdentifiedBy::Properties));
    }
    if let Some(c) = by_code(sheet) {
        return Some((c, IdentifiedBy::IdentitySheet));
    }
    if let Some(u) = shown.and_then(|n| roster.find_by_name(n)) {
        return Some((u.code.clone(), IdentifiedBy::UnitName));
    }
    unit_from_file_name(roster, file_name).map(|c| (c, IdentifiedBy::FileName))
}

/// The unit whose roster address is `sender` (any case). None when no unit, or
/// more than one, has that address: a shared address identifies nobody.
pub(super) fn unit_from_sender<'r>(roster: &'r Roster, sender: &str) -> Option<&'r Unit> {
    roster.unit_by_email(sender)
}

/// Longest run of words (or code parts) of a file name tried as a unit's
/// name (or code); a code has at most 32 characters, so at most 17 parts.
const MAX_NAME_WORDS: usize = 17;

/// A unit named in a file name: `monev-budaya-kerja-2026-dinkes.xlsx`,
/// `Laporan Dinas Kesehatan.xlsx`, `dinkes_revisi.xlsx`. The longest match
/// wins; a name beats a code. Each run of consecutive words is looked up in
/// the roster's indexes, so the cost does not grow with the roster.
pub fn unit_from_file_name(roster: &Roster, file_name: &str) -> Option<String> {
    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
    let key = normalize_key(&stem.replace(['_', '-'], " "));
    let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    let compact = stem.to_lowercase().replace([' ', '_', '.'], "-");
    let parts: Vec<&str> = compact.split('-').collect();
    let mut best: Option<(usize, String)> = None;
    let mut consider = |weight: usize, code: &str| {
        if best
            .as_ref()
            .is_none_or(|b| (weight, code) > (b.0, b.1.as_str()))
        {
            best = Some((weight, code.to_string()));
        }
    };
    for i in 0..words.len() {
        for j in i + 1..=words.len().min(i + MAX_NAME_WORDS) {
            if let Some(u) = roster.find_by_key(&words[i..j].join(" ")) {
                consider(u.name.len() + 100, &u.code);
            }
        }
    }
    for i in 0..parts.len() {
        for j in i + 1..=parts.len().min(i + MAX_NAME_WORDS) {
            let joined = parts[i..j].join("-");
            if let Some(u) = roster.get(&joined).filter(|u| u.code == joined) {
                consider(u.code.len(), &u.code);
            }
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_from_file_names() {
        let r = Roster::embedded().unwrap();
        assert_eq!(
            unit_from_file_name(&r, "monev-budaya-kerja-2026-dinkes.xlsx").as_deref(),
            Some("dinkes")
        );
        assert_eq!(
            unit_from_file_name(&r, "Laporan Dinas Kesehatan (revisi).xlsx").as_deref(),
            Some("dinkes")
        );
        assert_eq!(
            unit_from_file_name(&r, "KEC_CIPOCOKJAYA_final.ods").as_deref(),
            Some("kec-cipocokjaya")
        );
        assert_eq!(unit_from_file_name(&r, "laporan.xlsx"), None);
        assert_eq!(
            year_from_name("monev-budaya-kerja-2026-dinkes.xlsx"),
            Some(2026)
        );
        assert_eq!(year_from_name("lap20261.xlsx"), None);
    }

    #[test]
    fn units_from_sender_addresses() {
        let r = Roster::from_csv(
            "kode,nama,email\ndinkes,Dinas Kesehatan,Dinkes@SerangKota.go.id\ndishub,Dinas Perhubungan,bersama@serangkota.go.id\ndlh,Dinas Lingkungan Hidup,bersama@serangkota.go.id\n",
            "r.csv",
        )
        .unwrap();
        assert_eq!(
            unit_from_sender(&r, "dinkes@serangkota.go.id").map(|u| u.code.as_str()),
            Some("dinkes")
        );
        assert!(
            unit_from_sender(&r, "bersama@serangkota.go.id").is_none(),
            "shared address"
        );
        assert!(unit_from_sender(&r, "lain@serangkota.go.id").is_none());
    }
}
