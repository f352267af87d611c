//! The commands, as plain functions over a plain [`Config`]: load the form and
//! the roster, run the pipeline, show progress and a summary on the terminal.
//! Nothing here knows about command-line parsing.

use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

use crate::error::Result;
use crate::finding::Severity;
use crate::form::Form;
use crate::fsutil::write_all_atomic;
use crate::rekap::{self, RekapConfig};
use crate::report;
use crate::roster::Roster;
use crate::score::Rubric;
use crate::template::{self, TemplatConfig};

/// Where a definition comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The copy embedded in the binary.
    Embedded,
    /// A file given on the command line.
    File(PathBuf),
}

/// Settings shared by every command.
#[derive(Debug, Clone)]
pub struct Common {
    pub form: Source,
    pub roster: Source,
    pub rubric: Source,
    /// No progress bar and no summary (for scripts).
    pub quiet: bool,
}

/// One command with its settings.
#[derive(Debug, Clone)]
pub enum Command {
    Templat(TemplatConfig),
    Rekap(RekapConfig),
    Periksa(PeriksaConfig),
    Pengingat(PengingatConfig),
}

/// `monev pengingat`: the rekap's compile, then a reminder draft for every OPD
/// without a usable submission (see [`crate::email::remind`]).
#[derive(Debug, Clone)]
pub struct PengingatConfig {
    /// The compile's settings (outputs are ignored: only drafts are written).
    pub rekap: RekapConfig,
    pub drafts: crate::email::draft::DraftConfig,
}

/// `monev periksa`: the rekap's checks on single files, printed by sheet.
#[derive(Debug, Clone)]
pub struct PeriksaConfig {
    pub files: Vec<PathBuf>,
    pub year: Option<i32>,
    pub allowed_domains: Vec<String>,
    /// Exit with [`Outcome::Findings`] when any file has an error finding.
    pub strict: bool,
}

/// How a successful run ended (the binary maps it to an exit code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done; findings, if any, are data.
    Done,
    /// `periksa --ketat` found errors.
    Findings,
}

/// Everything a run needs.
#[derive(Debug, Clone)]
pub struct Config {
    pub common: Common,
    pub command: Command,
}

/// Runs a command. Errors are for the caller to print (exit code 2).
pub fn run(config: &Config) -> Result<Outcome> {
    let form = load_form(&config.common.form)?;
    let roster = load_roster(&config.common.roster)?;
    let quiet = config.common.quiet;
    match &config.command {
        Command::Templat(cfg) => run_templat(&form, &roster, cfg, quiet).map(|()| Outcome::Done),
        Command::Rekap(cfg) => {
            let rubric = load_rubric(&config.common.rubric)?;
            run_rekap(&form, &roster, &rubric, cfg, quiet).map(|()| Outcome::Done)
        }
        Command::Periksa(cfg) => {
            let rubric = load_rubric(&config.common.rubric)?;
            run_periksa(&form, &roster, &rubric, cfg, quiet)
        }
        Command::Pengingat(cfg) => {
            let rubric = load_rubric(&config.common.rubric)?;
            run_pengingat(&form, &roster, &rubric, cfg, quiet).map(|()| Outcome::Done)
        }
    }
}

/// Loads the rubric.
pub fn load_rubric(source: &Source) -> Result<Rubric> {
    match source {
        Source::Embedded => Rubric::embedded(),
        Source::File(p) => Rubric::load(p),
    }
}

fn compile_with_progress(
    form: &Form,
    roster: &Roster,
    rubric: &Rubric,
    cfg: &RekapConfig,
    quiet: bool,
) -> Result<rekap::Rekap> {
    let bar = progress_bar(0, "Membaca berkas", quiet);
    let on_found = |n: usize| bar.set_length(n as u64);
    let on_file = |p: &str| {
        bar.set_message(p.to_string());
        bar.inc(1);
    };
    let result = rekap::compile(form, roster, rubric, cfg, &on_found, &on_file);
    bar.finish_and_clear();
    result
}

fn run_rekap(
    form: &Form,
    roster: &Roster,
    rubric: &Rubric,
    cfg: &RekapConfig,
    quiet: bool,
) -> Result<()> {
    let start = Instant::now();
    let result = compile_with_progress(form, roster, rubric, cfg, quiet)?;
    let xlsx = match &cfg.output {
        Some(_) => Some(report::workbook::build(&result, form, rubric)?),
        None => None,
    };
    let json = match &cfg.json {
        Some(_) => Some(report::json::to_json(&result)?),
        None => None,
    };
    let mut feedback: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    if let Some(dir) = &cfg.feedback_dir {
        crate::fsutil::ensure_writable_dir(dir)?;
        for unit in result.units.iter().filter(|u| u.file.is_some()) {
            let bytes = report::feedback::build(unit, &result, form, rubric)?;
            feedback.push((
                dir.join(report::feedback::file_name(result.year, &unit.code)),
                bytes,
            ));
        }
    }
    let mut outputs: Vec<(&Path, &[u8])> = Vec::new();
    if let (Some(p), Some(b)) = (&cfg.output, &xlsx) {
        outputs.push((p, b));
    }
    if let (Some(p), Some(b)) = (&cfg.json, &json) {
        outputs.push((p, b));
    }
    let main_outputs = outputs.len();
    outputs.extend(feedback.iter().map(|(p, b)| (p.as_path(), b.as_slice())));
    write_all_atomic(&outputs)?;
    if !quiet {
        let mut names: Vec<String> = outputs[..main_outputs]
            .iter()
            .map(|(p, _)| p.display().to_string())
            .collect();
        if let Some(dir) = cfg.feedback_dir.as_ref().filter(|_| !feedback.is_empty()) {
            names.push(format!(
                "{} umpan balik OPD di {}",
                feedback.len(),
                dir.display()
            ));
        }
        print!("{}", report::terminal::summary(&result, &names));
        println!("Selesai dalam {} detik.", seconds(start));
    }
    Ok(())
}

fn run_periksa(
    form: &Form,
    roster: &Roster,
    rubric: &Rubric,
    cfg: &PeriksaConfig,
    quiet: bool,
) -> Result<Outcome> {
    let rekap_cfg = RekapConfig {
        inputs: cfg.files.clone(),
        year: cfg.year,
        allowed_domains: cfg.allowed_domains.clone(),
        output: None,
        json: None,
        feedback_dir: None,
    };
    let result = compile_with_progress(form, roster, rubric, &rekap_cfg, quiet)?;
    print!("{}", report::terminal::periksa(&result, roster));
    let errors = result
        .files
        .iter()
        .any(|f| f.findings.iter().any(|x| x.severity == Severity::Error));
    Ok(if cfg.strict && errors {
        Outcome::Findings
    } else {
        Outcome::Done
    })
}

/// Loads the form definition.
pub fn load_form(source: &Source) -> Result<Form> {
    match source {
        Source::Embedded => Form::embedded(),
        Source::File(p) => Form::load(p),
    }
}

/// Loads the roster.
pub fn load_roster(source: &Source) -> Result<Roster> {
    match source {
        Source::Embedded => Roster::embedded(),
        Source::File(p) => Roster::load(p),
    }
}

/// A progress bar on stderr, hidden when quiet or when stderr is not a terminal.
pub fn progress_bar(len: u64, what: &str, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    let style = ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {wide_msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix(what.to_string());
    bar
}

/// Seconds with an Indonesian decimal comma: "0,12".
pub fn seconds(start: Instant) -> String {
    format!("{:.2}", start.elapsed().as_secs_f64()).replace('.', ",")
}

fn run_templat(form: &Form, roster: &Roster, cfg: &TemplatConfig, quiet: bool) -> Result<()> {
    let start = Instant::now();
    let count = roster.select(&cfg.only)?.len();
    let bar = progress_bar(count as u64, "Menyusun templat", quiet);
    let on_file = |p: &Path| {
        bar.set_message(
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
        bar.inc(1);
    };
    let report = template::generate(form, roster, cfg, &on_file)?;
    bar.finish_and_clear();
    if !quiet {
        println!(
            "{} templat tahun {} ditulis ke {} ({} detik).",
            report.files.len(),
            cfg.year,
            report.output_dir.display(),
            seconds(start)
        );
        if let Some(d) = &cfg.drafts {
            print!(
                "{}",
                crate::email::draft::summary(&roster.select(&cfg.only)?, &d.dir)
            );
        }
    }
    Ok(())
}

fn run_pengingat(
    form: &Form,
    roster: &Roster,
    rubric: &Rubric,
    cfg: &PengingatConfig,
    quiet: bool,
) -> Result<()> {
    use crate::email::{draft, remind};
    let start = Instant::now();
    crate::fsutil::ensure_writable_dir(&cfg.drafts.dir)?;
    let body = draft::load_body(cfg.drafts.body.as_deref(), remind::REMINDER_BODY)?;
    let rekap_cfg = RekapConfig {
        output: None,
        json: None,
        feedback_dir: None,
        ..cfg.rekap.clone()
    };
    let result = compile_with_progress(form, roster, rubric, &rekap_cfg, quiet)?;
    let reminders = remind::reminders(&result, roster, form, &cfg.drafts, &body)?;
    // A draft never replaces an input.
    let (found, _) = crate::ingest::source::discover(&rekap_cfg.inputs)?;
    let paths: Vec<&Path> = reminders.iter().map(|r| r.path.as_path()).collect();
    rekap::guard_outputs(&rekap_cfg.inputs, &found, &paths)?;
    let outputs: Vec<(&Path, &[u8])> = reminders
        .iter()
        .map(|r| (r.path.as_path(), r.bytes.as_slice()))
        .collect();
    write_all_atomic(&outputs)?;
    if !quiet {
        print!(
            "{}",
            remind::summary(&reminders, result.units.len(), &cfg.drafts.dir)
        );
        println!("Selesai dalam {} detik.", seconds(start));
    }
    Ok(())
}
