//! `monev rekap`: read every returned workbook, check it, pick each OPD's newest
//! file, score maturity, and assemble the [`Rekap`] that the report writers turn
//! into the consolidated workbook, JSON and terminal summary.
//!
//! Files are read in parallel (rayon); everything after reading is cheap and
//! sequential so the output order is stable.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Local};
use rayon::prelude::*;
use serde::Serialize;

use crate::checks::{self, Context, across};
use crate::error::{Error, Result};
use crate::finding::{Finding, Severity};
use crate::form::{Form, col};
use crate::ingest::source::{self, Format, Input, Skipped, wib};
use crate::ingest::{self, Availability, Rejection, Submission};
use crate::roster::Roster;
use crate::score::{Rubric, Score, score};

/// The JSON schema name.
pub const SCHEMA: &str = "monev-rekap/1";

/// What `monev rekap` is asked to do.
#[derive(Debug, Clone)]
pub struct RekapConfig {
    /// Files or folders.
    pub inputs: Vec<PathBuf>,
    /// The reporting year; None means the year most files state, else the current year.
    pub year: Option<i32>,
    /// Domains evidence links may point to.
    pub allowed_domains: Vec<String>,
    /// The consolidated workbook to write (None: don't write one).
    pub output: Option<PathBuf>,
    /// The JSON file to write.
    pub json: Option<PathBuf>,
    /// The folder for one feedback workbook per OPD that sent a report.
    pub feedback_dir: Option<PathBuf>,
}

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
    Rejected,
}

impl FileStatus {
    /// Indonesian label (dipakai / digantikan / ditolak).
    pub fn label(self) -> &'static str {
        match self {
            FileStatus::Used => "dipakai",
            FileStatus::Superseded => "digantikan",
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
    pub identified_by: Option<ingest::IdentifiedBy>,
    pub status: FileStatus,
    /// Why the file was rejected or superseded.
    pub reason: Option<String>,
    pub findings: Vec<Finding>,
    /// How many filled Tabel 1 rows it holds.
    pub activities: usize,
    /// The rows of a superseded file (a used file's rows are its unit's).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub activity_rows: Vec<ActivityRecord>,
    /// The sender's address, for a file that came by e-mail.
    pub sender: Option<String>,
    /// An accepted file that is the template sent back untouched: it never
    /// supersedes a real submission. TODO(lead): becomes `file.empty`.
    #[serde(skip)]
    pub blank: bool,
}

/// A unit's overall status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitStatus {
    Complete,
    NeedsFix,
    Missing,
}

impl UnitStatus {
    /// Indonesian label for the Ringkasan sheet.
    pub fn label(self) -> &'static str {
        match self {
            UnitStatus::Complete => "Lengkap",
            UnitStatus::NeedsFix => "Perlu Perbaikan",
            UnitStatus::Missing => "Belum Mengirim",
        }
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
    /// The Tautan cell, e.g. "'Tabel 2'!E6".
    pub cell: Option<String>,
}

/// One indicator's result.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorResult {
    pub number: usize,
    pub points: u32,
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
    pub file: Option<String>,
    #[serde(serialize_with = "rfc3339_opt")]
    pub submitted_at: Option<DateTime<FixedOffset>>,
    pub late: bool,
    pub score: Option<u32>,
    pub level: Option<u8>,
    pub activities: usize,
    pub valid_activities: usize,
    pub indicators: Vec<IndicatorResult>,
    pub findings: Vec<Finding>,
    pub activity_rows: Vec<ActivityRecord>,
}

impl UnitResult {
    /// Number of findings of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
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
    pub totals: Totals,
    pub units: Vec<UnitResult>,
    pub files: Vec<FileResult>,
    pub skipped: Vec<Skipped>,
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

/// A file after reading.
struct Read {
    input: Input,
    submitted: Option<(DateTime<FixedOffset>, TimeSource)>,
    outcome: std::result::Result<Submission, Box<Rejection>>,
}

/// Refuses outputs that are also inputs, given or found in an input folder
/// (an input is never overwritten).
pub fn guard_outputs(inputs: &[PathBuf], found: &[source::Found], outputs: &[&Path]) -> Result<()> {
    let canon = |p: &Path| std::fs::canonicalize(p).ok();
    let taken: Vec<PathBuf> = inputs
        .iter()
        .map(PathBuf::as_path)
        .chain(found.iter().map(source::Found::path))
        .filter_map(&canon)
        .collect();
    for out in outputs {
        if canon(out).is_some_and(|o| taken.contains(&o)) {
            return Err(Error::OutputIsInput {
                path: out.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// Reads, checks and scores every input. `on_found` gets the number of files
/// found; `on_file` is called after each of them is read.
pub fn compile(
    form: &Form,
    roster: &Roster,
    rubric: &Rubric,
    config: &RekapConfig,
    on_found: &(dyn Fn(usize) + Sync),
    on_file: &(dyn Fn(&str) + Sync),
) -> Result<Rekap> {
    if config.inputs.is_empty() {
        return Err(Error::NoInput);
    }
    if let Some(y) = config.year {
        crate::check_year(y)?;
    }
    let outputs: Vec<&Path> = config
        .output
        .iter()
        .chain(config.json.iter())
        .map(PathBuf::as_path)
        .collect();
    if let Some(twice) = outputs
        .iter()
        .enumerate()
        .find_map(|(i, o)| outputs[..i].contains(o).then_some(o))
    {
        return Err(Error::OutputTwice {
            path: twice.to_path_buf(),
        });
    }
    let (found, mut skipped) = source::discover(&config.inputs)?;
    guard_outputs(&config.inputs, &found, &outputs)?;
    on_found(found.len());

    let loaded: Vec<(Vec<Read>, Vec<Skipped>)> = found
        .par_iter()
        .map(|f| {
            // Reading takes the bytes: each file's contents live only while it
            // is read (a mailbox is streamed, see `source::load_with`).
            let (reads, skipped) = source::load_with(f, &|mut input| {
                let outcome = ingest::read_guarded(&mut input, form, roster);
                let submitted = submitted_at(&input, outcome.as_ref().ok());
                Read {
                    input,
                    submitted,
                    outcome,
                }
            });
            on_file(&found_path(f));
            (reads, skipped)
        })
        .collect();
    let mut reads = Vec::new();
    for (r, s) in loaded {
        reads.extend(r);
        skipped.extend(s);
    }

    let year = config.year.unwrap_or_else(|| majority_year(&reads));
    crate::check_year(year)?;
    if let Some(dir) = &config.feedback_dir {
        let feedback: Vec<PathBuf> = roster
            .units
            .iter()
            .map(|u| dir.join(crate::report::feedback::file_name(year, &u.code)))
            .collect();
        let feedback: Vec<&Path> = feedback.iter().map(PathBuf::as_path).collect();
        guard_outputs(&config.inputs, &found, &feedback)?;
    }

    // Per-file checks.
    let (mut files, subs): (Vec<FileResult>, Vec<Option<Submission>>) = reads
        .into_iter()
        .map(|read| check_file(read, year, form, &config.allowed_domains))
        .unzip();

    // Checks across files: newest file per unit, lateness, shared links.
    across::supersede(&mut files, roster);
    let deadline = form.deadline_date(year);
    for file in files.iter_mut().filter(|f| f.status == FileStatus::Used) {
        file.findings
            .extend(across::late(file, deadline, &form.deadline_text(year)));
    }
    let used: Vec<(usize, &Submission)> = subs
        .iter()
        .enumerate()
        .filter(|(i, _)| files[*i].status == FileStatus::Used)
        .filter_map(|(i, s)| s.as_ref().map(|s| (i, s)))
        .collect();
    let shared = across::shared_links(&used, &files, roster, &config.allowed_domains);
    for (i, findings) in shared {
        files[i].findings.extend(findings);
    }
    for f in &mut files {
        f.findings.sort_by(|a, b| {
            a.location
                .order_key()
                .cmp(&b.location.order_key())
                .then(a.severity.cmp(&b.severity))
        });
    }

    // Superseded files keep their rows too: nothing read is dropped.
    for (i, sub) in subs.iter().enumerate() {
        if let (FileStatus::Superseded, Some(sub)) = (files[i].status, sub) {
            let valid = score(sub, &files[i].findings, rubric).activity_valid;
            files[i].activity_rows = activity_records(&files[i], sub, &valid);
        }
    }

    let units = roster
        .units
        .iter()
        .map(|u| {
            let used = files.iter().position(|f| {
                f.status == FileStatus::Used && f.unit.as_deref() == Some(u.code.as_str())
            });
            match used.and_then(|i| subs[i].as_ref().map(|s| (i, s))) {
                Some((i, sub)) => unit_result(u, &files[i], sub, rubric, form),
                None => missing_unit(u),
            }
        })
        .collect::<Vec<_>>();

    let totals = totals(&units, &files, skipped.len());
    Ok(Rekap {
        schema: SCHEMA,
        year,
        tool_version: env!("CARGO_PKG_VERSION"),
        generated_at: Local::now()
            .with_timezone(&wib())
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        roster: roster.origin.clone(),
        rubric: rubric.origin.clone(),
        rubric_version: rubric.version.clone(),
        form: form.origin.clone(),
        form_version: form.version.clone(),
        allowed_domains: config.allowed_domains.clone(),
        totals,
        units,
        files,
        skipped,
    })
}

/// One read file as a [`FileResult`] with its own findings (per-file checks,
/// wrong year) and, when accepted, its submission.
fn check_file(
    read: Read,
    year: i32,
    form: &Form,
    allowed_domains: &[String],
) -> (FileResult, Option<Submission>) {
    let (submitted_at, submitted_source) = match read.submitted {
        Some((t, s)) => (Some(t), Some(s)),
        None => (None, None),
    };
    let mut file = FileResult {
        path: read.input.path,
        sha256: read.input.sha256,
        format: read.input.format,
        unit: None,
        year: None,
        submitted_at,
        submitted_source,
        identified_by: None,
        status: FileStatus::Used,
        reason: None,
        findings: Vec::new(),
        activities: 0,
        activity_rows: Vec::new(),
        sender: read.input.sender,
        blank: false,
    };
    match read.outcome {
        Ok(mut sub) => {
            sub.assume_year(year);
            let ctx = Context {
                file: &file.path,
                form,
                year,
                allowed_domains,
            };
            let mut findings = checks::check_submission(&sub, &ctx);
            findings.extend(across::wrong_year(&sub, &ctx));
            file.findings = findings;
            file.unit = Some(sub.unit.clone());
            file.year = sub.year;
            file.identified_by = Some(sub.identified_by);
            file.activities = sub.activities.len();
            file.blank = sub.is_blank();
            (file, Some(sub))
        }
        Err(rejection) => {
            file.unit = rejection.unit;
            file.year = rejection.year;
            file.status = FileStatus::Rejected;
            file.reason = Some(rejection.finding.message.clone());
            file.findings.push(rejection.finding);
            (file, None)
        }
    }
}

fn found_path(f: &source::Found) -> String {
    f.path().display().to_string()
}

/// When a file was submitted: the e-mail's date, else the workbook's own
/// last-modified property, else the file's modification time.
fn submitted_at(
    input: &Input,
    sub: Option<&Submission>,
) -> Option<(DateTime<FixedOffset>, TimeSource)> {
    if let Some(d) = input.email_date {
        return Some((d.with_timezone(&wib()), TimeSource::Email));
    }
    if let Some(d) = sub.and_then(|s| s.modified) {
        return Some((d.with_timezone(&wib()), TimeSource::Workbook));
    }
    input.mtime.map(|d| (d, TimeSource::FileSystem))
}

/// The year most readable files state, else the current year.
fn majority_year(reads: &[Read]) -> i32 {
    let mut counts: HashMap<i32, usize> = HashMap::new();
    for r in reads {
        if let Some(y) = r
            .outcome
            .as_ref()
            .ok()
            .and_then(|s| s.year)
            .filter(|y| crate::YEARS.contains(y))
        {
            *counts.entry(y).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(y, n)| (*n, *y))
        .map(|(y, _)| y)
        .unwrap_or_else(|| {
            use chrono::Datelike;
            Local::now().year()
        })
}

fn missing_unit(u: &crate::roster::Unit) -> UnitResult {
    UnitResult {
        code: u.code.clone(),
        name: u.name.clone(),
        status: UnitStatus::Missing,
        file: None,
        submitted_at: None,
        late: false,
        score: None,
        level: None,
        activities: 0,
        valid_activities: 0,
        indicators: Vec::new(),
        findings: Vec::new(),
        activity_rows: Vec::new(),
    }
}

fn unit_result(
    u: &crate::roster::Unit,
    file: &FileResult,
    sub: &Submission,
    rubric: &Rubric,
    form: &Form,
) -> UnitResult {
    let s: Score = score(sub, &file.findings, rubric);
    let has_error = file.findings.iter().any(|f| f.severity == Severity::Error);
    let indicators = s
        .indicators
        .iter()
        .map(|ind| IndicatorResult {
            number: ind.number,
            points: ind.points,
            met: ind.met,
            activities: ind.activities,
            valid_activities: ind.valid_activities,
            evidence: sub
                .evidence
                .iter()
                .filter(|e| e.indicator == ind.number)
                .map(|e| EvidenceResult {
                    item: e.item.to_string(),
                    status: match e.availability {
                        Availability::Ada => Some("ada"),
                        Availability::BelumAda => Some("belum_ada"),
                        _ => None,
                    },
                    status_text: match &e.availability {
                        Availability::Ada => form.table2.availability[0].clone(),
                        Availability::BelumAda => form.table2.availability[1].clone(),
                        Availability::Empty => String::new(),
                        Availability::Invalid(t) => t.clone(),
                    },
                    link: (!e.link.is_empty()).then(|| e.link.link_or_text().to_string()),
                    remark: e.remark.clone(),
                    points: ind.item_points[usize::from(e.item == 'b')],
                    cell: e.link.pos.map(|(r, c)| {
                        format!("'{}'!{}", sub.table2_sheet, crate::finding::a1(r, c))
                    }),
                })
                .collect(),
        })
        .collect();
    let activity_rows = activity_records(file, sub, &s.activity_valid);
    UnitResult {
        code: u.code.clone(),
        name: u.name.clone(),
        status: if has_error {
            UnitStatus::NeedsFix
        } else {
            UnitStatus::Complete
        },
        file: Some(file.path.clone()),
        submitted_at: file.submitted_at,
        late: file
            .findings
            .iter()
            .any(|f| f.code == crate::finding::Code::FileLate),
        score: Some(s.total),
        level: Some(s.level),
        activities: sub.activities.len(),
        valid_activities: s.activity_valid.iter().filter(|v| **v).count(),
        indicators,
        findings: file.findings.clone(),
        activity_rows,
    }
}

/// The Kegiatan rows of one file, each with the codes of the findings on its row.
fn activity_records(file: &FileResult, sub: &Submission, valid: &[bool]) -> Vec<ActivityRecord> {
    let mut codes_by_row: HashMap<u32, Vec<String>> = HashMap::new();
    for f in &file.findings {
        if f.location.sheet.as_deref() != Some(sub.table1_sheet.as_str()) {
            continue;
        }
        if let Some(cell) = f.location.cell.as_deref() {
            let (row, _) = crate::finding::parse_a1(cell);
            codes_by_row
                .entry(row)
                .or_default()
                .push(f.code.as_str().to_string());
        }
    }
    sub.activities
        .iter()
        .zip(valid)
        .map(|(a, valid)| {
            let (start, end, recurring) = match a.when {
                crate::dates::When::Period { start, end } => (Some(start), Some(end), false),
                crate::dates::When::Recurring { .. } => (None, None, true),
                crate::dates::When::Unrecognised => (None, None, false),
            };
            ActivityRecord {
                indicator: a.indicator,
                row: a.row + 1,
                number: a.cells[col::NO].text.clone(),
                when_text: a.cells[col::WHEN].text.clone(),
                start,
                end,
                recurring,
                activity: a.cells[col::ACTIVITY].text.clone(),
                media: a.cells[col::MEDIA].text.clone(),
                problem: a.cells[col::PROBLEM].text.clone(),
                solution: a.cells[col::SOLUTION].text.clone(),
                evidence: a.cells[col::EVIDENCE].link_or_text().to_string(),
                valid: *valid,
                codes: codes_by_row.remove(&(a.row + 1)).unwrap_or_default(),
            }
        })
        .collect()
}

fn totals(units: &[UnitResult], files: &[FileResult], skipped: usize) -> Totals {
    let count = |s: UnitStatus| units.iter().filter(|u| u.status == s).count();
    let scores: Vec<u32> = units.iter().filter_map(|u| u.score).collect();
    let mut levels = [0; 5];
    for l in units.iter().filter_map(|u| u.level) {
        levels[usize::from(l.clamp(1, 5) - 1)] += 1;
    }
    Totals {
        units: units.len(),
        complete: count(UnitStatus::Complete),
        needs_fix: count(UnitStatus::NeedsFix),
        missing: count(UnitStatus::Missing),
        late: units.iter().filter(|u| u.late).count(),
        average_score: (!scores.is_empty())
            .then(|| f64::from(scores.iter().sum::<u32>()) / scores.len() as f64),
        levels,
        files: files.len(),
        rejected: files
            .iter()
            .filter(|f| f.status == FileStatus::Rejected)
            .count(),
        superseded: files
            .iter()
            .filter(|f| f.status == FileStatus::Superseded)
            .count(),
        skipped,
    }
}
