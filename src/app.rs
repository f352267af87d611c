//! The commands, as plain functions over a plain [`Config`]: load the form and
//! the roster, run the pipeline, show progress and a summary on the terminal.
//! Nothing here knows about command-line parsing.

use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

use crate::error::Result;
use crate::form::Form;
use crate::roster::Roster;
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
    /// No progress bar and no summary (for scripts).
    pub quiet: bool,
}

/// One command with its settings.
#[derive(Debug, Clone)]
pub enum Command {
    Templat(TemplatConfig),
}

/// Everything a run needs.
#[derive(Debug, Clone)]
pub struct Config {
    pub common: Common,
    pub command: Command,
}

/// Runs a command. Errors are for the caller to print (exit code 2).
pub fn run(config: &Config) -> Result<()> {
    let form = load_form(&config.common.form)?;
    let roster = load_roster(&config.common.roster)?;
    match &config.command {
        Command::Templat(cfg) => run_templat(&form, &roster, cfg, config.common.quiet),
    }
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
    }
    Ok(())
}
