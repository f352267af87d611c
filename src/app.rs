//! The commands, as plain functions over a plain [`Config`]: load the form, the
//! roster and the rubric (one loader, [`load`]), run the pipeline, build the
//! outputs and write them through [`crate::output`]. Nothing here prints,
//! reads the clock or knows about command-line parsing: the binary supplies
//! the moment of the run and a [`Progress`], and renders the [`Report`].

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::finding::Severity;
use crate::form::Form;
use crate::model::Rekap;
use crate::output::{self, Output, OutputKind, Policy};
use crate::rekap::{self, Progress, RekapConfig};
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
    /// `--domain`: accepted evidence-link domains; None means the rubric's.
    pub domains: Option<Vec<String>>,
    /// `--timpa`: replace monev's own earlier outputs of the same kind.
    pub overwrite: bool,
}

/// One command with its settings.
#[derive(Debug, Clone)]
pub enum Command {
    Templat(TemplatJob),
    Rekap(RekapJob),
    Periksa(PeriksaConfig),
    Pengingat(PengingatConfig),
    /// `monev contoh`: sample workbooks and their roster.
    Contoh(crate::contoh::ContohConfig),
}

/// `monev templat`: the templates, and with `--eml` a draft per OPD.
#[derive(Debug, Clone)]
pub struct TemplatJob {
    pub templat: TemplatConfig,
    /// Also write an .eml draft per OPD with its template attached (`--eml`).
    pub drafts: Option<crate::email::draft::DraftConfig>,
}

/// `monev pengingat`: the rekap's compile, then a reminder draft for every OPD
/// without a usable submission (see [`crate::email::remind`]).
#[derive(Debug, Clone)]
pub struct PengingatConfig {
    pub rekap: RekapConfig,
    pub drafts: crate::email::draft::DraftConfig,
}

/// `monev rekap`: the pipeline's settings and the outputs to write.
#[derive(Debug, Clone)]
pub struct RekapJob {
    /// `allowed_domains` is filled from [`Common::domains`] or the rubric.
    pub rekap: RekapConfig,
    /// The consolidated workbook (None: don't write one).
    pub output: Option<PathBuf>,
    /// The JSON file.
    pub json: Option<PathBuf>,
    /// The folder for one feedback workbook per OPD that sent something.
    pub feedback_dir: Option<PathBuf>,
    /// With feedback: also a reply draft per OPD, the feedback attached (`--eml`).
    pub drafts: Option<crate::email::draft::DraftConfig>,
}

/// `monev periksa`: the rekap's checks on single files.
#[derive(Debug, Clone)]
pub struct PeriksaConfig {
    pub rekap: RekapConfig,
    /// Report [`Report::Periksa`] `errors` so the binary exits 1.
    pub strict: bool,
}

/// Everything a run needs.
#[derive(Debug, Clone)]
pub struct Config {
    pub common: Common,
    pub command: Command,
}

/// What a command did, for the binary to show and map to an exit code.
#[derive(Debug)]
pub enum Report {
    Templat {
        files: Vec<PathBuf>,
        output_dir: PathBuf,
        year: i32,
        /// With `--eml`: where the drafts went and which OPDs have no address.
        drafts: Option<String>,
    },
    Pengingat {
        rekap: Box<Rekap>,
        /// Which OPDs got a reminder, with their addresses.
        summary: String,
    },
    Rekap {
        rekap: Box<Rekap>,
        /// The workbook and JSON written.
        outputs: Vec<PathBuf>,
        /// Feedback workbooks written, and their folder.
        feedback: (usize, Option<PathBuf>),
        /// Reply drafts written (`--eml`), and their folder.
        drafts: (usize, Option<PathBuf>),
    },
    Periksa {
        rekap: Box<Rekap>,
        roster: Box<Roster>,
        /// True when `--ketat` was given and some file has an error.
        failed: bool,
    },
    Contoh {
        /// Workbooks written (units that "send nothing" get none).
        workbooks: usize,
        /// The roster written (`opd.csv`).
        roster: PathBuf,
        /// Units in the roster.
        units: usize,
        output_dir: PathBuf,
    },
}

/// Runs a command. Errors are for the caller to print (exit code 2).
pub fn run(config: &Config, progress: &dyn Progress) -> Result<Report> {
    let form = load_form(&config.common.form)?;
    let roster = load_roster(&config.common.roster)?;
    let rubric = load_rubric(&config.common.rubric)?;
    let domains = config
        .common
        .domains
        .clone()
        .unwrap_or_else(|| rubric.accepted_domains.clone());
    let blank = |bytes: &[u8]| crate::ingest::is_blank_template(bytes, &form);
    match &config.command {
        Command::Templat(job) => {
            let mut cfg = job.templat.clone();
            cfg.allowed_domains = domains;
            let policy = Policy {
                overwrite: config.common.overwrite,
                inputs: &[],
                is_blank_template: &blank,
            };
            run_templat(&form, &roster, &cfg, job.drafts.as_ref(), &policy, progress)
        }
        Command::Rekap(job) => {
            let mut job = job.clone();
            job.rekap.allowed_domains = domains;
            run_rekap(
                &form,
                &roster,
                &rubric,
                &job,
                config.common.overwrite,
                &blank,
                progress,
            )
        }
        Command::Pengingat(cfg) => {
            let mut rcfg = cfg.rekap.clone();
            rcfg.allowed_domains = domains;
            let policy_inputs = rcfg.inputs.clone();
            // The folder and the body are checked before anything is read.
            crate::fsutil::check_writable_dir(&cfg.drafts.dir)?;
            let body = crate::email::draft::load_body(
                cfg.drafts.body.as_deref(),
                crate::email::remind::REMINDER_BODY,
            )?;
            let rekap = rekap::compile(&form, &roster, &rubric, &rcfg, progress)?;
            let reminders =
                crate::email::remind::reminders(&rekap, &roster, &form, &cfg.drafts, &body)?;
            let outputs: Vec<Output> = reminders
                .iter()
                .map(|r| Output::bytes(r.path.clone(), OutputKind::Draft, r.bytes.clone()))
                .collect();
            let mut inputs = policy_inputs;
            inputs.extend(rekap.read_paths.iter().cloned());
            let policy = Policy {
                overwrite: config.common.overwrite,
                inputs: &inputs,
                is_blank_template: &blank,
            };
            output::write_outputs(outputs, &policy)?;
            let summary =
                crate::email::remind::summary(&reminders, rekap.units.len(), &cfg.drafts.dir);
            Ok(Report::Pengingat {
                rekap: Box::new(rekap),
                summary,
            })
        }
        Command::Contoh(cfg) => {
            let policy = Policy {
                overwrite: config.common.overwrite,
                inputs: &[],
                is_blank_template: &blank,
            };
            run_contoh(&form, cfg, &policy, progress)
        }
        Command::Periksa(cfg) => {
            let mut rcfg = cfg.rekap.clone();
            rcfg.allowed_domains = domains;
            let rekap = rekap::compile(&form, &roster, &rubric, &rcfg, progress)?;
            let errors = rekap
                .files
                .iter()
                .any(|f| f.findings.iter().any(|x| x.severity == Severity::Error));
            Ok(Report::Periksa {
                rekap: Box::new(rekap),
                roster: Box::new(roster),
                failed: cfg.strict && errors,
            })
        }
    }
}

fn run_templat(
    form: &Form,
    roster: &Roster,
    cfg: &TemplatConfig,
    drafts: Option<&crate::email::draft::DraftConfig>,
    policy: &Policy,
    progress: &dyn Progress,
) -> Result<Report> {
    crate::check_year(cfg.year)?;
    let units = roster.select(&cfg.only)?;
    let mut planned: Vec<(PathBuf, OutputKind)> = units
        .iter()
        .map(|u| (template::path(cfg, &u.code), OutputKind::Template))
        .collect();
    let draft_path = |d: &crate::email::draft::DraftConfig, code: &str| {
        d.dir
            .join(crate::email::draft::invitation_file_name(cfg.year, code))
    };
    if let Some(d) = drafts {
        planned.extend(
            units
                .iter()
                .map(|u| (draft_path(d, &u.code), OutputKind::Draft)),
        );
    }
    output::check_paths(&as_refs(&planned), policy)?;
    crate::fsutil::check_writable_dir(&cfg.output_dir)?;
    let body = match drafts {
        Some(d) => {
            crate::fsutil::check_writable_dir(&d.dir)?;
            Some(crate::email::draft::load_body(
                d.body.as_deref(),
                crate::email::draft::INVITATION_BODY,
            )?)
        }
        None => None,
    };
    progress.found(units.len());
    let mut outputs = template::build_all(form, &units, cfg, progress)?;
    let files: Vec<PathBuf> = outputs.iter().map(|o| o.path.clone()).collect();
    // Each OPD's draft carries its template, byte for byte.
    if let (Some(d), Some(body)) = (drafts, &body) {
        let drafts: Vec<Output> = units
            .iter()
            .zip(&outputs)
            .map(|(u, t)| {
                Output::bytes(
                    draft_path(d, &u.code),
                    OutputKind::Draft,
                    crate::email::draft::invitation(
                        form,
                        u,
                        cfg.year,
                        &template::file_name(cfg.year, &u.code),
                        t.as_bytes().unwrap_or_default(),
                        body,
                        d,
                    ),
                )
            })
            .collect();
        outputs.extend(drafts);
    }
    output::write_outputs(outputs, policy)?;
    Ok(Report::Templat {
        files,
        output_dir: cfg.output_dir.clone(),
        year: cfg.year,
        drafts: drafts.map(|d| crate::email::draft::summary(&units, &d.dir)),
    })
}

/// Workbooks built and written per batch by `monev contoh`, so memory stays
/// bounded whatever the count (each batch is written all or nothing).
const CONTOH_BATCH: usize = 1000;

fn run_contoh(
    form: &Form,
    cfg: &crate::contoh::ContohConfig,
    policy: &Policy,
    progress: &dyn Progress,
) -> Result<Report> {
    use crate::contoh;
    crate::check_year(cfg.year)?;
    if !(1..=contoh::MAX_COUNT).contains(&cfg.count) {
        return Err(crate::Error::BadCount {
            count: cfg.count,
            max: contoh::MAX_COUNT,
        });
    }
    let mut planned = vec![(contoh::roster_path(cfg), OutputKind::Roster)];
    planned.extend((0..cfg.count).map(|i| (contoh::path(cfg, i), OutputKind::Sample)));
    output::check_paths(&as_refs(&planned), policy)?;
    crate::fsutil::check_writable_dir(&cfg.output_dir)?;
    progress.found(cfg.count);
    let roster = contoh::roster(cfg.count);
    // The roster goes with the first batch, so a run stopped before its first
    // batch is written leaves nothing, not even the folder it created.
    let mut roster_csv = Some(Output::bytes(
        contoh::roster_path(cfg),
        OutputKind::Roster,
        contoh::roster_csv(&roster).into_bytes(),
    ));
    let mut workbooks = 0;
    for start in (0..cfg.count).step_by(CONTOH_BATCH) {
        let end = (start + CONTOH_BATCH).min(cfg.count);
        let mut outputs = contoh::build_range(form, &roster, cfg, start..end, progress)?;
        workbooks += outputs.len();
        outputs.extend(roster_csv.take());
        output::write_outputs(outputs, policy)?;
    }
    Ok(Report::Contoh {
        workbooks,
        roster: contoh::roster_path(cfg),
        units: cfg.count,
        output_dir: cfg.output_dir.clone(),
    })
}

fn as_refs(planned: &[(PathBuf, OutputKind)]) -> Vec<(&Path, OutputKind)> {
    planned.iter().map(|(p, k)| (p.as_path(), *k)).collect()
}

fn run_rekap(
    form: &Form,
    roster: &Roster,
    rubric: &Rubric,
    job: &RekapJob,
    overwrite: bool,
    blank: &dyn Fn(&[u8]) -> bool,
    progress: &dyn Progress,
) -> Result<Report> {
    // Every path that can be checked before reading is checked now.
    let mut planned: Vec<(PathBuf, OutputKind)> = Vec::new();
    if let Some(p) = &job.output {
        planned.push((p.clone(), OutputKind::Rekap));
    }
    if let Some(p) = &job.json {
        planned.push((p.clone(), OutputKind::Json));
    }
    let early = Policy {
        overwrite,
        inputs: &job.rekap.inputs,
        is_blank_template: blank,
    };
    output::check_paths(&as_refs(&planned), &early)?;
    // Folders are only checked here; missing ones are created as part of the
    // write (and removed again if it fails or is interrupted).
    if let Some(dir) = &job.feedback_dir {
        crate::fsutil::check_writable_dir(dir)?;
    }
    if let Some(d) = &job.drafts {
        crate::fsutil::check_writable_dir(&d.dir)?;
    }
    let body = match &job.drafts {
        Some(d) => Some(crate::email::draft::load_body(
            d.body.as_deref(),
            crate::email::draft::FEEDBACK_BODY,
        )?),
        None => None,
    };

    let result = rekap::compile(form, roster, rubric, &job.rekap, progress)?;
    // Every output is produced as it is staged, one at a time, so the run
    // never holds more than one of them (see `output::Content::Streamed`).
    let mut outputs = Vec::new();
    let result_ref = &result;
    if let Some(p) = &job.output {
        outputs.push(Output::streamed(
            p.clone(),
            OutputKind::Rekap,
            move |file, path| report::workbook::write(result_ref, form, rubric, file, path),
        ));
    }
    if let Some(p) = &job.json {
        outputs.push(Output::streamed(
            p.clone(),
            OutputKind::Json,
            move |file, path| report::json::write(result_ref, file, path),
        ));
    }
    let main_outputs: Vec<PathBuf> = outputs.iter().map(|o| o.path.clone()).collect();
    let mut feedback = 0;
    let mut drafts = 0;
    if let Some(dir) = &job.feedback_dir {
        // The reply goes where the report came from, else to the roster's address.
        let senders: std::collections::HashMap<&str, Option<&str>> = result
            .files
            .iter()
            .map(|f| (f.path.as_str(), f.sender.as_deref()))
            .collect();
        for unit in result.units.iter().filter(|u| u.file.is_some()) {
            let name = report::feedback::file_name(result.year, &unit.code);
            let draft = match (&job.drafts, &body, roster.get(&unit.code)) {
                (Some(d), Some(body), Some(owner)) => Some((d, body, owner)),
                _ => None,
            };
            // The draft attaches the feedback workbook: the feedback's
            // producer leaves its bytes here for the draft's, staged next.
            let shared = std::sync::Arc::new(std::sync::Mutex::new(None::<Vec<u8>>));
            let keep = draft.is_some().then(|| std::sync::Arc::clone(&shared));
            outputs.push(Output::streamed(
                dir.join(&name),
                OutputKind::Feedback,
                move |file, path| {
                    let bytes = report::feedback::build(unit, result_ref, form, rubric)?;
                    std::io::Write::write_all(file, &bytes)
                        .map_err(|e| output::io_error(path, &e))?;
                    if let Some(keep) = keep {
                        *keep.lock().unwrap_or_else(|p| p.into_inner()) = Some(bytes);
                    }
                    Ok(())
                },
            ));
            feedback += 1;
            if let Some((d, body, owner)) = draft {
                let sender = unit
                    .file
                    .as_deref()
                    .and_then(|f| senders.get(f).copied().flatten());
                let to = sender.or(owner.email.as_deref());
                outputs.push(Output::streamed(
                    d.dir.join(crate::email::draft::feedback_file_name(
                        result.year,
                        &unit.code,
                    )),
                    OutputKind::Draft,
                    move |file, path| {
                        let taken = shared.lock().unwrap_or_else(|p| p.into_inner()).take();
                        let attachment = match taken {
                            Some(bytes) => bytes,
                            None => report::feedback::build(unit, result_ref, form, rubric)?,
                        };
                        let bytes = crate::email::draft::feedback_reply(
                            form,
                            owner,
                            to,
                            result_ref.year,
                            &report::feedback_summary(unit, rubric),
                            &report::feedback::attachment_note(unit, form, result_ref.year),
                            unit.status == crate::model::UnitStatus::Complete,
                            &name,
                            &attachment,
                            body,
                            d,
                        );
                        std::io::Write::write_all(file, &bytes)
                            .map_err(|e| output::io_error(path, &e))
                    },
                ));
                drafts += 1;
            }
        }
    }
    let mut inputs = job.rekap.inputs.clone();
    inputs.extend(result.read_paths.iter().cloned());
    let policy = Policy {
        overwrite,
        inputs: &inputs,
        is_blank_template: blank,
    };
    output::write_outputs(outputs, &policy)?;
    Ok(Report::Rekap {
        rekap: Box::new(result),
        outputs: main_outputs,
        feedback: (feedback, job.feedback_dir.clone()),
        drafts: (drafts, job.drafts.as_ref().map(|d| d.dir.clone())),
    })
}

/// Loads a definition from the embedded copy or a file: the one loader the
/// form, the roster and the rubric share, so they fail the same way (an
/// unreadable file is "tidak dapat dibaca", bad content "tidak sah").
pub fn load<T>(
    source: &Source,
    embedded: impl FnOnce() -> Result<T>,
    from_file: impl FnOnce(&Path) -> Result<T>,
) -> Result<T> {
    match source {
        Source::Embedded => embedded(),
        Source::File(p) => from_file(p),
    }
}

/// Loads the form definition.
pub fn load_form(source: &Source) -> Result<Form> {
    load(source, Form::embedded, Form::load)
}

/// Loads the roster.
pub fn load_roster(source: &Source) -> Result<Roster> {
    load(source, Roster::embedded, Roster::load)
}

/// Loads the rubric.
pub fn load_rubric(source: &Source) -> Result<Rubric> {
    load(source, Rubric::embedded, Rubric::load)
}
