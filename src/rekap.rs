//! The rekap pipeline: discover the inputs, read every returned workbook, check
//! it, set aside blank templates, pick each OPD's newest file, score maturity,
//! and assemble the [`Rekap`] model that the outputs render.
//!
//! Files are read in parallel (rayon); everything after reading is cheap and
//! sequential so the result is the same whatever the number of threads. The
//! pipeline neither prints nor reads the clock: the moment of the run comes in
//! [`RekapConfig::now`], progress goes to a [`Progress`] the caller supplies.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, FixedOffset};
use rayon::prelude::*;

use crate::checks::link::LinkKey;
use crate::checks::{self, Context, across};
use crate::error::{Error, Result};
use crate::finding::{Code, Finding, Severity, quote_sheet_name};
use crate::form::{Form, col};
use crate::ingest::source::{self, Input, Skipped};
use crate::ingest::{self, Rejection, Submission};
use crate::model::{
    ActivityRecord, EvidenceResult, FileResult, FileStatus, FormSheets, IndicatorResult, Rekap,
    SCHEMA, TimeSource, Totals, UnitResult, UnitStatus,
};
use crate::roster::{Roster, Unit};
use crate::score::{Rubric, Score, score};

/// What `monev rekap` (and `monev periksa`) is asked to do.
#[derive(Debug, Clone)]
pub struct RekapConfig {
    /// Files or folders.
    pub inputs: Vec<PathBuf>,
    /// The reporting year; None means the year most files state, else the
    /// year of [`RekapConfig::now`].
    pub year: Option<i32>,
    /// Domains evidence links may point to (empty: any web address).
    pub allowed_domains: Vec<String>,
    /// The moment of the run, in WIB: `generated_at`, and the year when no
    /// file states one. Supplied by the caller so runs are reproducible.
    pub now: DateTime<FixedOffset>,
    /// Input limits and worker isolation (see `ingest::guard`).
    pub reading: ingest::guard::Reading,
}

/// Where the pipeline reports progress; the binary draws a bar from it.
pub trait Progress: Sync {
    /// `n` files were found and are about to be read.
    fn found(&self, _n: usize) {}
    /// One found file (shown as `name`) has been read.
    fn read(&self, _name: &str) {}
}

/// No progress display (tests, scripts).
pub struct NoProgress;
impl Progress for NoProgress {}

/// A file after reading.
struct Read {
    input: Input,
    shown: String,
    submitted: Option<(DateTime<FixedOffset>, TimeSource)>,
    outcome: std::result::Result<Submission, Box<Rejection>>,
}

/// Reads, checks and scores every input.
///
/// Errors: [`Error::NoInput`], [`Error::InputMissing`], [`Error::BadYear`]
/// and discovery failures; problems inside files are findings, never errors.
pub fn compile(
    form: &Form,
    roster: &Roster,
    rubric: &Rubric,
    config: &RekapConfig,
    progress: &dyn Progress,
) -> Result<Rekap> {
    if config.inputs.is_empty() {
        return Err(Error::NoInput);
    }
    if let Some(y) = config.year {
        crate::check_year(y)?;
    }
    let (found, mut skipped) = source::discover(&config.inputs)?;
    progress.found(found.len());

    let loaded: Vec<(Vec<Read>, Vec<Skipped>)> = found
        .par_iter()
        .map(|f| {
            // Reading takes the bytes: each file's contents live only while it
            // is read (a mailbox is streamed, see `source::load_with`).
            let (reads, skipped) =
                source::load_with(f, &config.reading.limits, &|mut input: Input| {
                    let outcome =
                        ingest::guard::read_checked(&mut input, form, roster, &config.reading);
                    let submitted = submitted_at(&input, outcome.as_ref().ok());
                    let shown = shown_path(&config.inputs, &input.disk_path, &input.path);
                    Read {
                        input,
                        shown,
                        submitted,
                        outcome,
                    }
                });
            progress.read(&found_name(f, &config.inputs));
            (reads, skipped)
        })
        .collect();
    let mut reads = Vec::new();
    for (r, s) in loaded {
        reads.extend(r);
        skipped.extend(s);
    }
    // monev's own outputs found among the inputs are listed, never judged.
    let mut own_outputs = Vec::new();
    // A feedback workbook still holding exactly what monev wrote is monev's
    // own output too, unless it was named on its own (then it is read, and
    // gives the same findings again).
    let named = |p: &Path| config.inputs.iter().any(|i| i == p);
    reads.retain(|r| match &r.outcome {
        Ok(sub)
            if sub.feedback_key.as_deref() == Some(sub.answers_key().as_str())
                && !named(&r.input.disk_path) =>
        {
            own_outputs.push(Skipped {
                path: r.shown.clone(),
                reason: "keluaran monev (umpan balik yang belum diubah)".into(),
            });
            false
        }
        Err(rej) if rej.own_output.is_some() => {
            own_outputs.push(Skipped {
                path: r.shown.clone(),
                reason: format!(
                    "keluaran monev ({})",
                    rej.own_output.as_deref().unwrap_or_default()
                ),
            });
            false
        }
        _ => true,
    });
    for s in &mut skipped {
        s.path = shown_path(&config.inputs, Path::new(&s.path), &s.path);
        if is_own_json(Path::new(&s.path), &config.inputs) {
            s.reason = "keluaran monev (JSON rekap)".into();
        }
    }
    skipped.extend(own_outputs);

    let year = config
        .year
        .unwrap_or_else(|| majority_year(&reads).unwrap_or(config.now.year()));
    crate::check_year(year)?;
    let read_paths: Vec<PathBuf> = reads.iter().map(|r| r.input.disk_path.clone()).collect();

    // Per-file checks.
    // Per-file checks are independent: run in parallel, in file order.
    let (mut files, checked): (Vec<FileResult>, Vec<Option<Checked>>) = reads
        .into_par_iter()
        .map(|read| check_file(read, year, form, roster, &config.allowed_domains))
        .unzip();
    let (subs, link_keys): (Vec<Option<Submission>>, Vec<Vec<LinkKey>>) = checked
        .into_iter()
        .map(|c| match c {
            Some((sub, keys)) => (Some(sub), keys),
            None => (None, Vec::new()),
        })
        .unzip();

    // Across files (blank templates already set aside): newest file per unit,
    // lateness, shared links.
    supersede(&mut files, roster);
    let deadline = form.deadline_date(year);
    for file in files.iter_mut().filter(|f| f.status == FileStatus::Used) {
        let saved_time = file.submitted_source != Some(TimeSource::Email);
        let when = file
            .submitted_at
            .map(|t| (t, file.submitted_source.map_or("", |s| s.label())));
        file.findings.extend(across::late(
            &file.path,
            when,
            saved_time,
            deadline,
            &form.deadline_text(year),
        ));
    }
    let used: Vec<across::FileLinks> = subs
        .iter()
        .zip(&link_keys)
        .enumerate()
        .filter(|(i, _)| files[*i].status == FileStatus::Used)
        .filter_map(|(i, (s, keys))| {
            s.as_ref().map(|s| across::FileLinks {
                index: i,
                file: files[i].path.as_str(),
                unit: s.unit.as_str(),
                table1_sheet: s.table1_sheet.as_str(),
                table2_sheet: s.table2_sheet.as_str(),
                links: keys,
            })
        })
        .collect();
    let shared = across::shared_links(&used, roster);
    drop(used);
    drop(link_keys);
    for (i, findings) in shared {
        files[i].findings.extend(findings);
    }
    files.par_iter_mut().for_each(|f| {
        f.findings.sort_by(|a, b| {
            a.location
                .order_key()
                .cmp(&b.location.order_key())
                .then(a.severity.cmp(&b.severity))
        });
    });

    // Files that do not count keep their rows too: nothing read is dropped.
    files.par_iter_mut().zip(&subs).for_each(|(file, sub)| {
        if let (FileStatus::Superseded | FileStatus::Empty, Some(sub)) = (file.status, sub) {
            let valid = score(sub, &file.findings, rubric).activity_valid;
            file.activity_rows = activity_records(file, sub, &valid);
        }
    });

    let mut by_unit: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        if let Some(u) = f.unit.as_deref() {
            by_unit.entry(u).or_default().push(i);
        }
    }
    let units: Vec<UnitResult> = roster
        .units()
        .par_iter()
        .map(|u| {
            let own = by_unit.get(u.code.as_str()).map_or(&[][..], Vec::as_slice);
            unit_result(u, own, &files, &subs, rubric)
        })
        .collect();
    let totals = totals(&units, &files, skipped.len());
    Ok(Rekap {
        schema: SCHEMA,
        year,
        tool_version: env!("CARGO_PKG_VERSION"),
        generated_at: config
            .now
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        roster: roster.origin.clone(),
        rubric: rubric.origin.clone(),
        rubric_version: rubric.version.clone(),
        form: form.origin.clone(),
        form_version: form.version.clone(),
        allowed_domains: config.allowed_domains.clone(),
        inputs: config
            .inputs
            .iter()
            .map(|p| {
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| crate::fsutil::display_path(p))
            })
            .collect(),
        totals,
        units,
        files,
        skipped,
        read_paths,
    })
}

/// An accepted file's submission with its links' identities.
type Checked = (Submission, Vec<LinkKey>);

/// One read file as a [`FileResult`] with its own findings and, when
/// accepted, its submission and its links' identities (for the shared-link
/// check across files).
fn check_file(
    read: Read,
    year: i32,
    form: &Form,
    roster: &Roster,
    allowed_domains: &[String],
) -> (FileResult, Option<Checked>) {
    let (submitted_at, submitted_source) = match read.submitted {
        Some((t, s)) => (Some(t), Some(s)),
        None => (None, None),
    };
    let mut file = FileResult {
        path: read.shown,
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
        sender: read.input.sender.clone(),
    };
    match read.outcome {
        Ok(mut sub) => {
            // A last year's template: its dates are judged against its own year;
            // the wrong year itself is the finding.
            let own_year = sub.year.filter(|y| crate::YEARS.contains(y));
            sub.assume_year(year);
            let links = checks::link::Verdicts::classify(&sub, allowed_domains);
            let ctx = Context {
                file: &file.path,
                form,
                year: own_year.unwrap_or(year),
                allowed_domains,
                links: &links,
            };
            let mut findings = Vec::new();
            if let Some(f) = checks::file::empty(&sub, &ctx) {
                file.status = FileStatus::Empty;
                file.reason = Some(f.message.clone());
                findings.push(f);
            } else {
                findings.extend(checks::check_submission(&sub, &ctx));
                let valid = checks::activity::validity(&sub, &findings);
                findings.extend(checks::file::no_activity(&sub, &valid, &findings, &ctx));
            }
            findings.extend(checks::file::wrong_year(&sub, year, &ctx));
            file.findings = findings;
            file.unit = Some(sub.unit.clone());
            file.year = sub.year;
            file.identified_by = Some(sub.identified_by);
            file.activities = sub.activities.len();
            let keys = links.into_keys(&sub);
            (file, Some((sub, keys)))
        }
        Err(rejection) => {
            let mut finding = rejection.finding;
            finding.location.file = file.path.clone();
            // A rejected file still tells whose it is when it can (its
            // properties, or at least its file name): that OPD is "Ditolak",
            // not "Belum Mengirim", and gets feedback saying why.
            file.unit = rejection
                .unit
                .or_else(|| ingest::unit_from_file_name(roster, &read.input.name));
            file.year = rejection.year;
            file.status = FileStatus::Rejected;
            file.reason = Some(finding.message.clone());
            file.findings.push(finding);
            (file, None)
        }
    }
}

/// Of several accepted files from one unit the newest counts (by submission
/// time, then name); the others are marked superseded, naming the newer file.
fn supersede(files: &mut [FileResult], roster: &Roster) {
    let candidates: Vec<across::Candidate> = files
        .iter()
        .map(|f| across::Candidate {
            unit: f.unit.as_deref().filter(|_| f.status == FileStatus::Used),
            submitted_at: f.submitted_at,
            file: &f.path,
        })
        .collect();
    let replaced_by = across::newest(&candidates);
    let decisions: Vec<(usize, Finding)> = replaced_by
        .iter()
        .enumerate()
        .filter_map(|(i, by)| {
            let by = (*by)?;
            let unit = files[i].unit.as_deref().and_then(|c| roster.get(c))?;
            Some((
                i,
                across::superseded(
                    &files[i].path,
                    &unit.name,
                    &files[by].path,
                    files[by].submitted_at,
                ),
            ))
        })
        .collect();
    for (i, finding) in decisions {
        files[i].status = FileStatus::Superseded;
        files[i].reason = Some(finding.message.clone());
        files[i].findings.push(finding);
    }
}

/// The name of a found file as shown in progress.
fn found_name(f: &source::Found, roots: &[PathBuf]) -> String {
    let p = f.path();
    shown_path(roots, p, &p.display().to_string())
}

/// How an input is named in every output: its path below the input folder it
/// was found in (or its own name when it was given directly), with the
/// platform's separator throughout, and for an e-mail attachment the
/// ` » attachment` suffix. Never the operator's local folder.
pub fn shown_path(roots: &[PathBuf], disk: &Path, full: &str) -> String {
    let disk_text = disk.display().to_string();
    let suffix = full.strip_prefix(&disk_text).unwrap_or("");
    let relative = roots
        .iter()
        .filter(|r| r.is_dir())
        .filter_map(|r| disk.strip_prefix(r).ok())
        .filter(|rel| !rel.as_os_str().is_empty())
        .min_by_key(|rel| rel.components().count())
        .map(crate::fsutil::display_path)
        .unwrap_or_else(|| {
            disk.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| crate::fsutil::display_path(disk))
        });
    format!("{relative}{suffix}")
}

/// True for a `.json` file below the inputs that monev wrote (its schema names monev).
fn is_own_json(shown: &Path, roots: &[PathBuf]) -> bool {
    if crate::text::extension(shown) != "json" {
        return false;
    }
    roots.iter().any(|root| {
        let path = if root.is_dir() {
            root.join(shown)
        } else {
            root.clone()
        };
        let mut head = [0u8; 256];
        std::fs::File::open(&path)
            .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
            .is_ok_and(|n| String::from_utf8_lossy(&head[..n]).contains("\"monev-rekap/"))
    })
}

/// When a file was submitted: the e-mail's date, else the workbook's own
/// last-saved property, else the file's modification time.
fn submitted_at(
    input: &Input,
    sub: Option<&Submission>,
) -> Option<(DateTime<FixedOffset>, TimeSource)> {
    if let Some(d) = input.email_date {
        return Some((d.with_timezone(&source::wib()), TimeSource::Email));
    }
    if let Some(d) = sub.and_then(|s| s.modified) {
        return Some((d.with_timezone(&source::wib()), TimeSource::Workbook));
    }
    input.mtime.map(|d| (d, TimeSource::FileSystem))
}

/// The year most readable files state.
fn majority_year(reads: &[Read]) -> Option<i32> {
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
}

/// Of the files `own` (indices into `files`), the newest with `status`, by
/// submission time then name.
fn newest_of(own: &[usize], files: &[FileResult], status: FileStatus) -> Option<usize> {
    own.iter()
        .copied()
        .filter(|&i| files[i].status == status)
        .max_by(|&a, &b| {
            (files[a].submitted_at, &files[a].path).cmp(&(files[b].submitted_at, &files[b].path))
        })
}

/// One roster unit's result: scored from its used file, else the status of
/// what it did send (a blank template, rejected files), else missing. `own`
/// are the indices of the unit's files in `files`.
fn unit_result(
    u: &Unit,
    own: &[usize],
    files: &[FileResult],
    subs: &[Option<Submission>],
    rubric: &Rubric,
) -> UnitResult {
    let used = newest_of(own, files, FileStatus::Used);
    if let Some((i, sub)) = used.and_then(|i| subs[i].as_ref().map(|s| (i, s))) {
        return scored_unit(u, &files[i], sub, rubric);
    }
    let (status, file) = match (
        newest_of(own, files, FileStatus::Empty),
        newest_of(own, files, FileStatus::Rejected),
    ) {
        (Some(i), _) => (UnitStatus::EmptyTemplate, Some(&files[i])),
        (None, Some(i)) => (UnitStatus::Rejected, Some(&files[i])),
        (None, None) => (UnitStatus::Missing, None),
    };
    UnitResult {
        code: u.code.clone(),
        name: u.name.clone(),
        status,
        file: file.map(|f| f.path.clone()),
        submitted_at: file.and_then(|f| f.submitted_at),
        submitted_source: file.and_then(|f| f.submitted_source),
        late: false,
        score: None,
        level: None,
        activities: 0,
        valid_activities: 0,
        indicators: Vec::new(),
        findings: file.map(|f| f.findings.clone()).unwrap_or_default(),
        activity_rows: Vec::new(),
        sheets: None,
    }
}

/// A reference to a cell for the audit columns: `'Tabel 2'!D6`.
fn reference(sheet: &str, pos: Option<(u32, u32)>) -> Option<String> {
    pos.map(|(r, c)| format!("{}!{}", quote_sheet_name(sheet), crate::finding::a1(r, c)))
}

fn scored_unit(u: &Unit, file: &FileResult, sub: &Submission, rubric: &Rubric) -> UnitResult {
    let s: Score = score(sub, &file.findings, rubric);
    let has_error = file.findings.iter().any(|f| f.severity == Severity::Error);
    let availability_col = sub.table2_columns[crate::form::col2::AVAILABILITY];
    let indicators = s
        .indicators
        .iter()
        .map(|ind| IndicatorResult {
            number: ind.number,
            points: ind.points,
            item_points: ind.item_points,
            activity_points: ind.points - ind.item_points.iter().sum::<u32>(),
            activity_cell: sub
                .activities
                .iter()
                .zip(&s.activity_valid)
                .find(|(a, v)| **v && a.indicator == Some(ind.number))
                .and_then(|(a, _)| {
                    let c = sub.table1_columns[col::ACTIVITY]?;
                    reference(&sub.table1_sheet, Some((a.row, c)))
                }),
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
                        crate::ingest::Availability::Ada => Some("ada"),
                        crate::ingest::Availability::Checkmark(_) => Some("ada"),
                        crate::ingest::Availability::BelumAda => Some("belum_ada"),
                        _ => None,
                    },
                    status_text: e.availability_text.clone(),
                    link: (!e.link.is_empty()).then(|| e.link.link_or_text().to_string()),
                    remark: e.remark.clone(),
                    points: ind.item_points[usize::from(e.item == 'b')],
                    availability_cell: reference(&sub.table2_sheet, e.row.zip(availability_col)),
                    link_cell: reference(&sub.table2_sheet, e.link.pos),
                    row: e.row,
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
        submitted_source: file.submitted_source,
        late: file.findings.iter().any(|f| f.code == Code::FileLate),
        score: Some(s.total),
        level: Some(s.level),
        activities: sub.activities.len(),
        valid_activities: s.activity_valid.iter().filter(|v| **v).count(),
        indicators,
        findings: file.findings.clone(),
        activity_rows,
        sheets: Some(FormSheets {
            table1: sub.table1_sheet.clone(),
            table2: sub.table2_sheet.clone(),
            table1_columns: sub.table1_columns,
            table2_columns: sub.table2_columns,
        }),
    }
}

/// The Kegiatan rows of one file, each with the codes of the findings on its row.
fn activity_records(file: &FileResult, sub: &Submission, valid: &[bool]) -> Vec<ActivityRecord> {
    let mut codes_by_row: HashMap<u32, Vec<String>> = HashMap::new();
    for f in &file.findings {
        if f.location.sheet.as_deref() != Some(sub.table1_sheet.as_str()) {
            continue;
        }
        if let Some(row) = f.location.row {
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
                codes: codes_by_row.remove(&a.row).unwrap_or_default(),
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
    let files_with = |s: FileStatus| files.iter().filter(|f| f.status == s).count();
    Totals {
        units: units.len(),
        complete: count(UnitStatus::Complete),
        needs_fix: count(UnitStatus::NeedsFix),
        missing: count(UnitStatus::Missing),
        empty_template: count(UnitStatus::EmptyTemplate),
        rejected_units: count(UnitStatus::Rejected),
        late: units.iter().filter(|u| u.late).count(),
        average_score: (!scores.is_empty())
            .then(|| f64::from(scores.iter().sum::<u32>()) / scores.len() as f64),
        levels,
        files: files.len(),
        rejected: files_with(FileStatus::Rejected),
        superseded: files_with(FileStatus::Superseded),
        skipped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_shown_below_their_folder_with_one_separator() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("dinkes");
        std::fs::create_dir_all(&sub).unwrap();
        let file = sub.join("lap.xlsx");
        std::fs::write(&file, b"x").unwrap();
        let roots = vec![dir.path().to_path_buf()];
        let sep = std::path::MAIN_SEPARATOR;
        assert_eq!(
            shown_path(&roots, &file, &file.display().to_string()),
            format!("dinkes{sep}lap.xlsx")
        );
        let attachment = format!("{} » a.xlsx", file.display());
        assert_eq!(
            shown_path(&roots, &file, &attachment),
            format!("dinkes{sep}lap.xlsx » a.xlsx")
        );
        // A file given directly is shown by its own name.
        assert_eq!(
            shown_path(
                std::slice::from_ref(&file),
                &file,
                &file.display().to_string()
            ),
            "lap.xlsx"
        );
    }
}
