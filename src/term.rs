//! The terminal, owned by the binary: a progress bar on stderr fed by the
//! library's [`Progress`] callbacks, and the summaries the library renders as
//! text ([`monev::report::terminal`]), printed here.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use monev::app::{Command, Report};
use monev::fsutil::display_path;
use monev::rekap::Progress;
use monev::report::terminal;

/// A progress bar on stderr, hidden when quiet (indicatif hides it by itself
/// when stderr is not a terminal).
pub struct Bar(ProgressBar);

impl Bar {
    pub fn new(command: &Command, quiet: bool) -> Bar {
        if quiet {
            return Bar(ProgressBar::hidden());
        }
        let what = match command {
            Command::Templat(_) => "Menyusun templat",
            Command::Rekap(_) | Command::Periksa(_) | Command::Pengingat(_) => "Membaca berkas",
            Command::Contoh(_) => "Menulis contoh",
        };
        let bar = ProgressBar::new(0);
        let style = ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_prefix(what);
        Bar(bar)
    }

    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl Progress for Bar {
    fn found(&self, n: usize) {
        self.0.set_length(n as u64);
    }
    fn read(&self, name: &str) {
        self.0.set_message(name.to_string());
        self.0.inc(1);
    }
}

/// Seconds with an Indonesian decimal comma: "0,12".
fn seconds(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64()).replace('.', ",")
}

/// Prints what a command did. `periksa` always prints its findings (that is
/// its purpose); the others print a summary unless quiet. A warning that
/// nothing was found comes first.
pub fn show(report: &Report, quiet: bool, took: Duration) {
    match report {
        Report::Templat {
            files,
            output_dir,
            year,
            drafts,
        } => {
            if !quiet {
                println!(
                    "{} templat tahun {year} ditulis ke {} ({} detik).",
                    files.len(),
                    display_path(output_dir),
                    seconds(took)
                );
                if let Some(d) = drafts {
                    print!("{d}");
                }
            }
        }
        Report::Pengingat { rekap, summary } => {
            if let Some(w) = terminal::nothing_found(rekap) {
                eprintln!("{w}");
            }
            if !quiet {
                print!("{summary}");
                println!("Selesai dalam {} detik.", seconds(took));
            }
        }
        Report::Rekap {
            rekap,
            outputs,
            feedback,
            drafts,
        } => {
            if let Some(w) = terminal::nothing_found(rekap) {
                eprintln!("{w}");
            }
            if !quiet {
                let mut names: Vec<String> = outputs.iter().map(|p| display_path(p)).collect();
                if let (n @ 1.., Some(dir)) = feedback {
                    names.push(format!("{n} umpan balik OPD di {}", display_path(dir)));
                }
                if let (n @ 1.., Some(dir)) = drafts {
                    names.push(format!("{n} draf surel balasan di {}", display_path(dir)));
                }
                print!("{}", terminal::summary(rekap, &names));
                println!("Selesai dalam {} detik.", seconds(took));
            }
        }
        Report::Contoh {
            workbooks,
            roster,
            units,
            output_dir,
        } => {
            if !quiet {
                println!(
                    "{workbooks} laporan contoh dari {units} OPD ditulis ke {} ({} detik); daftar OPD: {}.",
                    display_path(output_dir),
                    seconds(took),
                    display_path(roster)
                );
                println!(
                    "Rekap: monev rekap {} --opd {}",
                    display_path(output_dir),
                    display_path(roster)
                );
            }
        }
        Report::Periksa { rekap, roster, .. } => {
            if let Some(w) = terminal::nothing_found(rekap) {
                eprintln!("{w}");
            }
            print!("{}", terminal::periksa(rekap, roster));
        }
    }
}
