//! Findings are data: what a check noticed, where, and how bad it is. Checks
//! return them and keep going; [`crate::report`] is the one place that renders
//! them (terminal, workbook, JSON). Codes are stable: scripts and the city team's
//! notes refer to them, so a code is never renamed once released.

use std::fmt;

use serde::Serialize;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    /// The Indonesian word shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "Galat",
            Severity::Warning => "Peringatan",
            Severity::Info => "Info",
        }
    }
}

/// Every finding code monev produces, with its severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    FileUnreadable,
    FileNotTemplate,
    FileUnknownUnit,
    FileWrongYear,
    FileColumnMissing,
    FileDuplicateTable,
    FileLate,
    FileSuperseded,
    FileIdentifiedBySender,
    ActivityMissingField,
    ActivityProblemWithoutSolution,
    ActivityOutsideIndicator,
    LinkNotUrl,
    LinkLocalPath,
    LinkUnsafeScheme,
    LinkDriveWithoutId,
    LinkNotDrive,
    LinkInsecure,
    LinkSharedWithOtherUnit,
    DateUnrecognised,
    DateOutsideYear,
    DateTwibbonNot17,
    EvidenceStatusMissing,
    EvidenceStatusInvalid,
    EvidenceLinkMissing,
    EvidenceLinkWithoutAda,
    EvidenceRowMissing,
    EvidenceExtraRow,
}

impl Code {
    /// Every code, for documentation and tests.
    pub const ALL: [Code; 28] = [
        Code::FileUnreadable,
        Code::FileNotTemplate,
        Code::FileUnknownUnit,
        Code::FileWrongYear,
        Code::FileColumnMissing,
        Code::FileDuplicateTable,
        Code::FileLate,
        Code::FileSuperseded,
        Code::FileIdentifiedBySender,
        Code::ActivityMissingField,
        Code::ActivityProblemWithoutSolution,
        Code::ActivityOutsideIndicator,
        Code::LinkNotUrl,
        Code::LinkLocalPath,
        Code::LinkUnsafeScheme,
        Code::LinkDriveWithoutId,
        Code::LinkNotDrive,
        Code::LinkInsecure,
        Code::LinkSharedWithOtherUnit,
        Code::DateUnrecognised,
        Code::DateOutsideYear,
        Code::DateTwibbonNot17,
        Code::EvidenceStatusMissing,
        Code::EvidenceStatusInvalid,
        Code::EvidenceLinkMissing,
        Code::EvidenceLinkWithoutAda,
        Code::EvidenceRowMissing,
        Code::EvidenceExtraRow,
    ];

    /// The stable code string, e.g. `link.local_path`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::FileUnreadable => "file.unreadable",
            Code::FileNotTemplate => "file.not_template",
            Code::FileUnknownUnit => "file.unknown_unit",
            Code::FileWrongYear => "file.wrong_year",
            Code::FileColumnMissing => "file.column_missing",
            Code::FileDuplicateTable => "file.duplicate_table",
            Code::FileLate => "file.late",
            Code::FileSuperseded => "file.superseded",
            Code::FileIdentifiedBySender => "file.identified_by_sender",
            Code::ActivityMissingField => "activity.missing_field",
            Code::ActivityProblemWithoutSolution => "activity.problem_without_solution",
            Code::ActivityOutsideIndicator => "activity.outside_indicator",
            Code::LinkNotUrl => "link.not_url",
            Code::LinkLocalPath => "link.local_path",
            Code::LinkUnsafeScheme => "link.unsafe_scheme",
            Code::LinkDriveWithoutId => "link.drive_without_id",
            Code::LinkNotDrive => "link.not_drive",
            Code::LinkInsecure => "link.insecure",
            Code::LinkSharedWithOtherUnit => "link.shared_with_other_unit",
            Code::DateUnrecognised => "date.unrecognised",
            Code::DateOutsideYear => "date.outside_year",
            Code::DateTwibbonNot17 => "date.twibbon_not_17",
            Code::EvidenceStatusMissing => "evidence.status_missing",
            Code::EvidenceStatusInvalid => "evidence.status_invalid",
            Code::EvidenceLinkMissing => "evidence.link_missing",
            Code::EvidenceLinkWithoutAda => "evidence.link_without_ada",
            Code::EvidenceRowMissing => "evidence.row_missing",
            Code::EvidenceExtraRow => "evidence.extra_row",
        }
    }

    /// How bad findings with this code are.
    pub fn severity(self) -> Severity {
        use Code::*;
        match self {
            FileUnreadable
            | FileNotTemplate
            | FileUnknownUnit
            | FileWrongYear
            | FileColumnMissing
            | ActivityMissingField
            | LinkNotUrl
            | LinkLocalPath
            | LinkUnsafeScheme
            | LinkDriveWithoutId
            | EvidenceStatusMissing
            | EvidenceStatusInvalid
            | EvidenceLinkMissing
            | EvidenceRowMissing => Severity::Error,
            ActivityProblemWithoutSolution
            | ActivityOutsideIndicator
            | DateUnrecognised
            | DateOutsideYear
            | DateTwibbonNot17
            | LinkNotDrive
            | LinkInsecure
            | LinkSharedWithOtherUnit
            | EvidenceLinkWithoutAda
            | EvidenceExtraRow
            | FileDuplicateTable
            | FileLate => Severity::Warning,
            FileSuperseded | FileIdentifiedBySender => Severity::Info,
        }
    }

    /// True for codes about a link (used to decide whether a link "has an error").
    pub fn is_link_error(self) -> bool {
        matches!(
            self,
            Code::LinkNotUrl
                | Code::LinkLocalPath
                | Code::LinkUnsafeScheme
                | Code::LinkDriveWithoutId
        )
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Where a finding is: a file, and within it a sheet and an absolute A1 cell.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    pub file: String,
    pub sheet: Option<String>,
    pub cell: Option<String>,
}

impl Location {
    /// A whole file.
    pub fn file(file: &str) -> Location {
        Location {
            file: file.to_string(),
            sheet: None,
            cell: None,
        }
    }

    /// A cell, from a 0-based absolute (row, column).
    pub fn cell(file: &str, sheet: &str, row: u32, col: u32) -> Location {
        Location {
            file: file.to_string(),
            sheet: Some(sheet.to_string()),
            cell: Some(a1(row, col)),
        }
    }

    /// Sort key: file, sheet, then row and column numerically (H9 before H10).
    pub fn order_key(&self) -> (&str, Option<&str>, (u32, u32)) {
        (
            &self.file,
            self.sheet.as_deref(),
            self.cell.as_deref().map_or((0, 0), parse_a1),
        )
    }

    /// The same location without its cell (a finding about a whole sheet).
    pub fn sheet_only(mut self) -> Location {
        self.cell = None;
        self
    }

    /// `'Tabel 1'!H14`, `'Tabel 1'` or "" for a whole file.
    pub fn sheet_cell(&self) -> String {
        match (&self.sheet, &self.cell) {
            (Some(s), Some(c)) => format!("'{s}'!{c}"),
            (Some(s), None) => format!("'{s}'"),
            _ => String::new(),
        }
    }
}

/// What a check noticed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    #[serde(flatten)]
    pub location: Location,
    /// A full Indonesian sentence, naming the sheet and cell where there is one.
    pub message: String,
}

impl Finding {
    /// A finding whose message is prefixed with its sheet and cell.
    pub fn new(code: Code, location: Location, message: impl Into<String>) -> Finding {
        let message = message.into();
        let place = location.sheet_cell();
        let message = if place.is_empty() {
            message
        } else {
            format!("{place}: {message}")
        };
        Finding {
            code,
            severity: code.severity(),
            location,
            message,
        }
    }
}

/// An absolute A1 reference from a 0-based (row, column): (13, 7) → "H14".
///
/// ```
/// assert_eq!(monev::finding::a1(13, 7), "H14");
/// assert_eq!(monev::finding::a1(0, 26), "AA1");
/// ```
pub fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.push(b'A' + rem as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

/// 1-based (row, column) of an A1 reference; (0, 0) when it is not one.
pub fn parse_a1(cell: &str) -> (u32, u32) {
    let letters: String = cell.chars().take_while(char::is_ascii_alphabetic).collect();
    let col = letters.chars().fold(0u32, |acc, c| {
        acc.saturating_mul(26)
            .saturating_add(c.to_ascii_uppercase() as u32 - 'A' as u32 + 1)
    });
    let row = cell[letters.len()..].parse().unwrap_or(0);
    (row, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_references() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(13, 7), "H14");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(9, 701), "ZZ10");
        assert_eq!(a1(0, 702), "AAA1");
    }

    #[test]
    fn a1_parses_back() {
        assert_eq!(parse_a1("H14"), (14, 8));
        assert_eq!(parse_a1("AA1"), (1, 27));
        assert_eq!(parse_a1("x"), (0, 24));
        assert!(
            Location::cell("f", "S", 8, 3).order_key() < Location::cell("f", "S", 9, 0).order_key()
        );
    }

    #[test]
    fn codes_are_unique_and_dotted() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "{c}");
            assert!(c.as_str().contains('.'));
        }
    }

    #[test]
    fn message_names_sheet_and_cell() {
        let f = Finding::new(
            Code::LinkLocalPath,
            Location::cell("a.xlsx", "Tabel 1", 13, 7),
            "lokasi lokal.",
        );
        assert_eq!(f.message, "'Tabel 1'!H14: lokasi lokal.");
        assert_eq!(f.severity, Severity::Error);
        let f = Finding::new(Code::FileLate, Location::file("a.xlsx"), "terlambat.");
        assert_eq!(f.message, "terlambat.");
    }
}
