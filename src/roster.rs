//! The roster of Perangkat Daerah (OPD): who gets a template and who is expected
//! to report. The default is `templates/opd-kota-serang.csv` (embedded); the city
//! team replaces it with `--opd FILE`, a CSV separated by `,` or `;` (what Excel
//! in an Indonesian locale saves) or a spreadsheet (.xlsx, .xls, .ods).
//!
//! A bad roster is an [`Error`] naming the line and the problem: rosters come
//! from the operator, and a wrong roster makes every later step wrong.

use std::collections::HashMap;
use std::path::Path;

use calamine::{Reader, open_workbook_auto};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, describe_io};
use crate::text::normalize_key;

/// The embedded default roster.
pub const DEFAULT_ROSTER: &str = include_str!("../templates/opd-kota-serang.csv");

/// One Perangkat Daerah.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Short, lowercase, unique code, e.g. `dinkes`.
    pub code: String,
    /// Full name, e.g. `Dinas Kesehatan`.
    pub name: String,
    /// Contact address; may be empty.
    pub email: Option<String>,
}

/// The 1-based line of a CSV record from its byte position, counting newlines
/// once as positions grow (record positions only grow).
struct LineCounter<'a> {
    bytes: &'a [u8],
    /// Bytes up to here are counted...
    at: usize,
    /// ...and hold this many newlines.
    newlines: usize,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineCounter {
            bytes,
            at: 0,
            newlines: 0,
        }
    }

    /// The line a record starting at `byte` is on. A record's position is
    /// where reading began, before any blank lines, so those are skipped.
    fn line_at(&mut self, byte: u64) -> usize {
        let b = self.bytes;
        let mut at = (byte as usize).min(b.len());
        while at < b.len() && (b[at] == b'\n' || b[at] == b'\r') {
            at += 1;
        }
        if at < self.at {
            (self.at, self.newlines) = (0, 0);
        }
        self.newlines += b[self.at..at].iter().filter(|&&c| c == b'\n').count();
        self.at = at;
        self.newlines + 1
    }
}

/// The list of units, in roster order, with look-ups by code and by name
/// that take constant time (a roster may hold thousands of units, and every
/// file is matched against it).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "Listed", into = "Listed")]
pub struct Roster {
    units: Vec<Unit>,
    /// Where the roster came from ("bawaan" or a path).
    pub origin: String,
    /// Index into `units` by code.
    by_code: HashMap<String, usize>,
    /// Index into `units` by [`normalize_key`] of the name.
    by_name: HashMap<String, usize>,
    /// Index into `units` by address (trimmed, ASCII lower case); None when
    /// more than one unit has it.
    by_email: HashMap<String, Option<usize>>,
}

/// A roster as it crosses a process boundary: its units and origin.
#[derive(Serialize, Deserialize)]
struct Listed {
    units: Vec<Unit>,
    origin: String,
}

impl From<Listed> for Roster {
    fn from(l: Listed) -> Roster {
        Roster::new(l.units, &l.origin)
    }
}

impl From<Roster> for Listed {
    fn from(r: Roster) -> Listed {
        Listed {
            units: r.units,
            origin: r.origin,
        }
    }
}

impl Roster {
    /// A roster of `units` (in this order) from `origin`. Codes and names are
    /// expected to be unique, as [`Roster::from_csv`] ensures; on a repeat the
    /// first unit wins the look-up.
    pub fn new(units: Vec<Unit>, origin: &str) -> Roster {
        let mut by_code = HashMap::with_capacity(units.len());
        let mut by_name = HashMap::with_capacity(units.len());
        let mut by_email = HashMap::new();
        for (i, u) in units.iter().enumerate() {
            by_code.entry(u.code.clone()).or_insert(i);
            by_name.entry(normalize_key(&u.name)).or_insert(i);
            if let Some(e) = &u.email {
                by_email
                    .entry(e.trim().to_ascii_lowercase())
                    .and_modify(|shared| *shared = None)
                    .or_insert(Some(i));
            }
        }
        Roster {
            units,
            origin: origin.to_string(),
            by_code,
            by_name,
            by_email,
        }
    }

    /// The units, in roster order.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// The embedded default roster.
    pub fn embedded() -> Result<Roster> {
        Roster::from_csv(DEFAULT_ROSTER, "bawaan")
    }

    /// Reads a roster file, choosing the format by extension.
    pub fn load(path: &Path) -> Result<Roster> {
        let origin = path.display().to_string();
        let ext = crate::text::extension(path);
        if matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods") {
            return Roster::from_spreadsheet(path);
        }
        let bytes = std::fs::read(path).map_err(|e| Error::RosterUnreadable {
            path: path.to_path_buf(),
            reason: describe_io(&e),
        })?;
        Roster::from_csv(&crate::text::decode_text(&bytes), &origin)
    }

    /// Parses CSV text separated by `,` or `;` (sniffed from the header line).
    pub fn from_csv(text: &str, origin: &str) -> Result<Roster> {
        let text = text.trim_start_matches('\u{feff}');
        let header_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let delimiter = if header_line.matches(';').count() > header_line.matches(',').count() {
            b';'
        } else {
            b','
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut rows = Vec::new();
        // Lines are counted from the text itself: the csv crate skips blank lines
        // when it numbers records, and users count every line.
        let mut lines = LineCounter::new(text.as_bytes());
        for record in reader.records() {
            let record = record.map_err(|e| Error::RosterInvalid {
                origin: origin.to_string(),
                line: e.position().map_or(0, |p| lines.line_at(p.byte())),
                problem: "baris CSV tidak dapat dibaca".to_string(),
            })?;
            let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
            rows.push((line, record.iter().map(str::to_string).collect()));
        }
        Roster::from_rows(rows, origin)
    }

    /// Reads the first sheet of a spreadsheet roster.
    fn from_spreadsheet(path: &Path) -> Result<Roster> {
        let unreadable = |reason: String| Error::RosterUnreadable {
            path: path.to_path_buf(),
            reason,
        };
        let mut wb = open_workbook_auto(path).map_err(|e| match e {
            calamine::Error::Io(io) => unreadable(describe_io(&io)),
            _ => unreadable("bukan lembar kerja yang dapat dibuka atau berkasnya rusak".into()),
        })?;
        let range = wb
            .worksheet_range_at(0)
            .ok_or_else(|| unreadable("buku kerja tidak memiliki lembar".into()))?
            .map_err(|_| unreadable("lembar pertama tidak dapat dibaca".into()))?;
        let (top, _) = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, row)| {
                let cells = row.iter().map(crate::text::cell_text).collect::<Vec<_>>();
                (top as usize + i + 1, cells)
            })
            .collect();
        Roster::from_rows(rows, &path.display().to_string())
    }

    /// Validates rows of cells; the first non-empty row is the header.
    fn from_rows(rows: Vec<(usize, Vec<String>)>, origin: &str) -> Result<Roster> {
        let mut rows = rows
            .into_iter()
            .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
        let Some((_, header)) = rows.next() else {
            return Err(Error::RosterEmpty {
                origin: origin.to_string(),
            });
        };
        let find = |names: &[&str]| {
            header
                .iter()
                .position(|h| names.contains(&h.trim().to_lowercase().as_str()))
        };
        let missing = |column| Error::RosterMissingColumn {
            origin: origin.to_string(),
            column,
        };
        let code_col = find(&["kode", "code"]).ok_or_else(|| missing("kode"))?;
        let name_col = find(&["nama", "name", "nama opd", "perangkat daerah"])
            .ok_or_else(|| missing("nama"))?;
        let email_col = find(&["email", "e-mail", "surel"]);

        let mut units: Vec<Unit> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut seen_names: HashMap<String, usize> = HashMap::new();
        for (line, cells) in rows {
            let get = |i: usize| cells.get(i).map(|s| s.trim()).unwrap_or("");
            let invalid = |problem: String| Error::RosterInvalid {
                origin: origin.to_string(),
                line,
                problem,
            };
            let code = get(code_col).to_lowercase();
            let name = get(name_col)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let email = email_col.map(get).unwrap_or("").to_string();
            if code.is_empty() {
                return Err(invalid("kolom kode kosong".into()));
            }
            if !valid_code(&code) {
                return Err(invalid(format!(
                    "kode '{code}' tidak sah; gunakan huruf kecil, angka, '-' atau '_' (paling banyak 32 karakter)"
                )));
            }
            if name.is_empty() {
                return Err(invalid(format!("nama untuk kode '{code}' kosong")));
            }
            if !email.is_empty() && !valid_email(&email) {
                return Err(invalid(format!("alamat surel '{email}' tidak sah")));
            }
            if let Some(first) = seen.insert(code.clone(), line) {
                return Err(invalid(format!(
                    "kode '{code}' sudah dipakai pada baris {first}"
                )));
            }
            if let Some(first) = seen_names.insert(normalize_key(&name), line) {
                return Err(invalid(format!(
                    "nama '{name}' sudah dipakai pada baris {first}"
                )));
            }
            units.push(Unit {
                code,
                name,
                email: (!email.is_empty()).then_some(email),
            });
        }
        if units.is_empty() {
            return Err(Error::RosterEmpty {
                origin: origin.to_string(),
            });
        }
        Ok(Roster::new(units, origin))
    }

    /// The unit with this code.
    pub fn get(&self, code: &str) -> Option<&Unit> {
        let code = code.trim();
        let i = match self.by_code.get(code) {
            Some(i) => *i,
            None => *self.by_code.get(&code.to_lowercase())?,
        };
        self.units.get(i)
    }

    /// The unit whose name matches, ignoring case, spacing and punctuation.
    pub fn find_by_name(&self, name: &str) -> Option<&Unit> {
        self.find_by_key(&normalize_key(name))
    }

    /// The unit whose name gives this [`normalize_key`].
    pub fn find_by_key(&self, key: &str) -> Option<&Unit> {
        if key.is_empty() {
            return None;
        }
        self.by_name.get(key).and_then(|&i| self.units.get(i))
    }

    /// The one unit with this address (any ASCII case); None when no unit,
    /// or more than one, has it: a shared address identifies nobody.
    pub fn unit_by_email(&self, address: &str) -> Option<&Unit> {
        let i = (*self.by_email.get(&address.trim().to_ascii_lowercase())?)?;
        self.units.get(i)
    }

    /// Keeps only the units named in `codes`, in roster order; an unknown code is an error.
    pub fn select(&self, codes: &[String]) -> Result<Vec<&Unit>> {
        if codes.is_empty() {
            return Ok(self.units.iter().collect());
        }
        for code in codes {
            if self.get(code).is_none() {
                return Err(Error::UnknownUnit {
                    code: code.clone(),
                    available: self
                        .units
                        .iter()
                        .map(|u| u.code.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
        }
        let wanted: Vec<String> = codes.iter().map(|c| c.trim().to_lowercase()).collect();
        Ok(self
            .units
            .iter()
            .filter(|u| wanted.contains(&u.code))
            .collect())
    }
}

/// Codes are short, lowercase ASCII: they end up in file names.
fn valid_code(code: &str) -> bool {
    (1..=32).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && code
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
}

/// A deliberately loose address check: something@domain.tld, no spaces.
fn valid_email(email: &str) -> bool {
    let mut parts = email.split('@');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(local), Some(domain), None) => {
            !local.is_empty() && domain.contains('.') && !email.contains(char::is_whitespace)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_roster_has_units_of_every_kind() {
        let r = Roster::embedded().unwrap();
        assert!(r.units.len() >= 30, "{}", r.units.len());
        assert_eq!(
            r.units
                .iter()
                .filter(|u| u.name.starts_with("Kecamatan "))
                .count(),
            6
        );
        for needle in [
            "Sekretariat Daerah",
            "Sekretariat Dewan",
            "Inspektorat",
            "Dinas ",
            "Badan ",
            "Rumah Sakit",
        ] {
            assert!(
                r.units.iter().any(|u| u.name.starts_with(needle)),
                "{needle}"
            );
        }
        assert!(r.units.iter().all(|u| valid_code(&u.code)));
        assert_eq!(r.get("DINKES").unwrap().name, "Dinas Kesehatan");
    }

    #[test]
    fn semicolon_csv_with_bom_and_quotes() {
        let r = Roster::from_csv("\u{feff}Kode;Nama;Email\r\ndinkes;Dinas Kesehatan;dinkes@serangkota.go.id\r\nDLH;\"Dinas Lingkungan; Hidup\";\r\n", "x").unwrap();
        assert_eq!(r.units.len(), 2);
        assert_eq!(r.units[1].code, "dlh");
        assert_eq!(r.units[1].name, "Dinas Lingkungan; Hidup");
        assert_eq!(r.units[0].email.as_deref(), Some("dinkes@serangkota.go.id"));
        assert_eq!(r.units[1].email, None);
    }

    #[test]
    fn errors_name_the_line() {
        let e = Roster::from_csv(
            "kode,nama\ndinkes,Dinas Kesehatan\n\ndinkes,Dinas Lain\n",
            "r.csv",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Daftar OPD 'r.csv' baris 4: kode 'dinkes' sudah dipakai pada baris 2."
        );
        let e = Roster::from_csv("kode,nama\ndinkes,\n", "r.csv").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Daftar OPD 'r.csv' baris 2: nama untuk kode 'dinkes' kosong."
        );
        let e = Roster::from_csv("kode,email\ndinkes,a@b.id\n", "r.csv").unwrap_err();
        assert!(matches!(
            e,
            Error::RosterMissingColumn { column: "nama", .. }
        ));
        let e = Roster::from_csv("kode,nama\nDinas Kesehatan,Dinkes\n", "r.csv").unwrap_err();
        assert!(
            e.to_string()
                .contains("baris 2: kode 'dinas kesehatan' tidak sah"),
            "{e}"
        );
        let e = Roster::from_csv(
            "kode,nama,email\ndinkes,Dinas Kesehatan,bukan-surel\n",
            "r.csv",
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("surel 'bukan-surel' tidak sah"),
            "{e}"
        );
        assert!(matches!(
            Roster::from_csv("", "r.csv"),
            Err(Error::RosterEmpty { .. })
        ));
        assert!(matches!(
            Roster::from_csv("kode,nama\n", "r.csv"),
            Err(Error::RosterEmpty { .. })
        ));
    }

    #[test]
    fn name_matching_ignores_case_spacing_and_punctuation() {
        let r = Roster::embedded().unwrap();
        assert_eq!(
            r.find_by_name("  DINAS  kesehatan. ").unwrap().code,
            "dinkes"
        );
        assert_eq!(
            r.find_by_name("Dinas Komunikasi Informatika Statistik dan Persandian")
                .unwrap()
                .code,
            "diskominfo"
        );
        assert!(r.find_by_name("Dinas Antah Berantah").is_none());
    }

    #[test]
    fn select_rejects_unknown_codes() {
        let r = Roster::embedded().unwrap();
        assert_eq!(r.select(&["dlh".into(), "dinkes".into()]).unwrap().len(), 2);
        let e = r.select(&["dinkez".into()]).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("Kode OPD 'dinkez' tidak ada dalam daftar OPD."),
            "{e}"
        );
    }
}
