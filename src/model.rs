//! The result model of a rekap: every input file and what became of it, every
//! unit of the roster with its status, points and findings, and the city-wide
//! totals. Plain data, serialised as the JSON (`monev-rekap/2`) and rendered by
//! [`crate::report`]; it imports nothing from the checks or the outputs.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::finding::{Finding, Severity};
use crate::ingest::IdentifiedBy;
use crate::ingest::source::{Format, Skipped};

/// The JSON schema name.
pub const SCHEMA: &str = "monev-rekap/2";

/// Where a file's submission time came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeSource {
    Email,
    Workbook,
    FileSystem,
}

impl TimeSource {
    /// Indonesian label.
    pub fn label(self) -> &'static str {
        match self {
            TimeSource::Email => "tanggal surel",
            TimeSource::Workbook => "properti buku kerja",
            TimeSource::FileSystem => "waktu ubah berkas",
        }
    }
}

/// What became of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    Used,
    Superseded,
    /// The untouched template came back (`file.empty`); it never counts over a filled report.
    Empty,
    Rejected,
}

impl FileStatus {
    /// Indonesian label (dipakai / digantikan / ditolak).
    pub fn label(self) -> &'static str {
        match self {
            FileStatus::Used => "dipakai",
            FileStatus::Superseded => "digantikan",
            FileStatus::Empty => "templat kosong",
            FileStatus::Rejected => "ditolak",
        }
    }
}

/// One input file and what became of it.
#[derive(Debug, Clone, Serialize)]
pub struct FileResult {
    pub path: String,
    pub sha256: String,
    pub format: Format,
    pub unit: Option<String>,
    pub year: Option<i32>,
    #[serde(serialize_with = "rfc3339_opt")]
    pub submitted_at: Option<DateTime<FixedOffset>>,
    pub submitted_source: Option<TimeSource>,
    pub identified_by: Option<IdentifiedBy>,
    pub status: FileStatus,
    /// Why the file was rejected or superseded.
    pub reason: Option<String>,
    pub findings: Vec<Finding>,
    /// How many filled Tabel 1 rows it holds.
    pub activities: usize,
    /// The sender's address, for a file that came by e-mail.
    pub sender: Option<String>,
    /// The rows of a superseded file (a used file's rows are its unit's).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub activity_rows: Vec<ActivityRecord>,
}

/// A unit's overall status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitStatus {
    /// An accepted report without errors.
    Complete,
    /// An accepted report with at least one error finding.
    NeedsFix,
    /// Nothing received.
    Missing,
    /// Only the untouched template came back (`file.empty`).
    EmptyTemplate,
    /// Every file received from this unit was rejected.
    Rejected,
}

impl UnitStatus {
    /// Indonesian label for the Ringkasan sheet.
    pub fn label(self) -> &'static str {
        match self {
            UnitStatus::Complete => "Lengkap",
            UnitStatus::NeedsFix => "Perlu Perbaikan",
            UnitStatus::Missing => "Belum Mengirim",
            UnitStatus::EmptyTemplate => "Belum Mengirim (templat kosong)",
            UnitStatus::Rejected => "Ditolak",
        }
    }

    /// Every status, in the order reports list them.
    pub const ALL: [UnitStatus; 5] = [
        UnitStatus::Complete,
        UnitStatus::NeedsFix,
        UnitStatus::Rejected,
        UnitStatus::EmptyTemplate,
        UnitStatus::Missing,
    ];

    /// True when the unit has an accepted report that is scored.
    pub fn is_scored(self) -> bool {
        matches!(self, UnitStatus::Complete | UnitStatus::NeedsFix)
    }
}

/// One Tabel 2 item's result.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceResult {
    pub item: String,
    /// "ada", "belum_ada" or null (empty or unrecognised).
    pub status: Option<&'static str>,
    /// What was typed in Ketersediaan.
    pub status_text: String,
    pub link: Option<String>,
    pub remark: String,
    pub points: u32,
    /// The Ketersediaan cell the points come from, e.g. `'Tabel 2'!D6`.
    pub availability_cell: Option<String>,
    /// The Tautan Data Dukung cell, e.g. `'Tabel 2'!E6`.
    pub link_cell: Option<String>,
    /// The item's absolute 0-based row in the file read (for the feedback).
    #[serde(skip)]
    pub row: Option<u32>,
}

/// One indicator's result.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorResult {
    pub number: usize,
    /// `item_points` plus `activity_points`.
    pub points: u32,
    /// Points of evidence items a and b (Tabel 2).
    pub item_points: [u32; 2],
    /// Points for at least one valid Tabel 1 activity under this indicator.
    pub activity_points: u32,
    /// The first valid activity's row, e.g. `'Tabel 1'!C8`, where the activity points come from.
    pub activity_cell: Option<String>,
    pub met: bool,
    pub activities: usize,
    pub valid_activities: usize,
    pub evidence: Vec<EvidenceResult>,
}

/// One filled Tabel 1 row, for the Kegiatan sheet.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityRecord {
    pub indicator: Option<usize>,
    pub row: u32,
    pub number: String,
    pub when_text: String,
    pub start: Option<chrono::NaiveDate>,
    pub end: Option<chrono::NaiveDate>,
    pub recurring: bool,
    pub activity: String,
    pub media: String,
    pub problem: String,
    pub solution: String,
    /// The link target when there is one, else the text.
    pub evidence: String,
    pub valid: bool,
    /// Codes of the findings on this row.
    pub codes: Vec<String>,
}

/// One unit of the roster with its result.
#[derive(Debug, Clone, Serialize)]
pub struct UnitResult {
    pub code: String,
    pub name: String,
    pub status: UnitStatus,
    /// The file that counts (its display name), or the rejected/empty file received.
    pub file: Option<String>,
    #[serde(serialize_with = "rfc3339_opt")]
    pub submitted_at: Option<DateTime<FixedOffset>>,
    /// Where `submitted_at` comes from.
    pub submitted_source: Option<TimeSource>,
    pub late: bool,
    pub score: Option<u32>,
    pub level: Option<u8>,
    pub activities: usize,
    pub valid_activities: usize,
    pub indicators: Vec<IndicatorResult>,
    pub findings: Vec<Finding>,
    pub activity_rows: Vec<ActivityRecord>,
    /// Where the form's tables were in the file read (for the feedback that
    /// puts the entries back into this year's template).
    #[serde(skip)]
    pub sheets: Option<FormSheets>,
}

/// The form's sheets and columns as found in a file read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormSheets {
    pub table1: String,
    pub table2: String,
    /// Absolute 0-based column of each Tabel 1 column of Lampiran B.
    pub table1_columns: [Option<u32>; 7],
    /// Absolute 0-based column of each Tabel 2 column.
    pub table2_columns: [Option<u32>; 6],
}

impl UnitResult {
    /// Number of findings of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// Number of findings of a severity that the OPD is shown
    /// ([`Finding::for_opd`]): what its feedback workbook and reply count.
    pub fn count_for_opd(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.for_opd() && f.severity == severity)
            .count()
    }
}

/// City-wide totals.
#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    pub units: usize,
    pub complete: usize,
    pub needs_fix: usize,
    pub missing: usize,
    /// Units whose only reply was the untouched template.
    pub empty_template: usize,
    /// Units whose every file was rejected.
    pub rejected_units: usize,
    pub late: usize,
    pub average_score: Option<f64>,
    /// How many units reached each level, index 0 = level 1.
    pub levels: [usize; 5],
    pub files: usize,
    pub rejected: usize,
    pub superseded: usize,
    pub skipped: usize,
}

/// The whole result of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Rekap {
    pub schema: &'static str,
    pub year: i32,
    pub tool_version: &'static str,
    pub generated_at: String,
    pub roster: String,
    pub rubric: String,
    pub rubric_version: String,
    pub form: String,
    pub form_version: String,
    pub allowed_domains: Vec<String>,
    /// The inputs given (files or folders), by their own names only.
    pub inputs: Vec<String>,
    pub totals: Totals,
    pub units: Vec<UnitResult>,
    pub files: Vec<FileResult>,
    pub skipped: Vec<Skipped>,
    /// Every file read as a report (on disk), for the output guard: an output
    /// may never replace one of them.
    #[serde(skip)]
    pub read_paths: Vec<std::path::PathBuf>,
}

fn rfc3339_opt<S: serde::Serializer>(
    v: &Option<DateTime<FixedOffset>>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match v {
        Some(d) => s.serialize_str(&d.to_rfc3339()),
        None => s.serialize_none(),
    }
}
