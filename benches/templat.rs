//! Benchmark of `monev templat`: generates the templates of the whole embedded
//! roster through `monev::template::generate` several times (each run into a
//! fresh folder) and prints the wall time per run (min, median, mean), files per
//! second and the process's peak resident memory. For comparison it also times
//! building the same workbooks in memory on one thread (no files, no fsync). Plain `std::time`, no harness:
//! `cargo bench --bench templat`. `MONEV_BENCH_RUNS` overrides the number of
//! measured runs (default 20, after 2 warm-up runs).

#[path = "support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use support::{Stats, ms};

use monev::app::{Command, Common, Config, Report, Source, TemplatJob};
use monev::form::Form;
use monev::roster::Roster;
use monev::template::{TemplatConfig, build};

const WARM_UPS: usize = 2;
const DEFAULT_RUNS: usize = 20;
const YEAR: i32 = 2026;

fn main() {
    let runs = support::runs(DEFAULT_RUNS);
    let form = Form::embedded().expect("embedded form");
    let roster = Roster::embedded().expect("embedded roster");
    let units = roster.units().len();
    let root = tempfile::tempdir().expect("temporary folder");

    let mut times = Vec::with_capacity(runs);
    let mut bytes = 0u64;
    for i in 0..WARM_UPS + runs {
        let config = TemplatConfig {
            year: YEAR,
            output_dir: root.path().join(format!("run-{i}")),
            only: Vec::new(),
            allowed_domains: Vec::new(),
        };
        let run = Config {
            common: Common {
                form: Source::Embedded,
                roster: Source::Embedded,
                rubric: Source::Embedded,
                domains: None,
                overwrite: false,
            },
            command: Command::Templat(TemplatJob {
                templat: config.clone(),
                drafts: None,
            }),
        };
        let start = Instant::now();
        let Report::Templat { files, .. } =
            monev::app::run(&run, &monev::rekap::NoProgress).expect("templat")
        else {
            unreachable!("templat reports templates")
        };
        let elapsed = start.elapsed();
        assert_eq!(files.len(), units, "one file per unit");
        if i >= WARM_UPS {
            times.push(elapsed);
        }
        if i == 0 {
            bytes = files
                .iter()
                .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
                .sum();
        }
        std::fs::remove_dir_all(&config.output_dir).expect("remove run folder");
    }

    let stats = Stats::of(&mut times);
    println!(
        "templat: {units} templates per run ({:.1} KiB in total), {runs} runs after {WARM_UPS} warm-ups, {} rayon threads",
        bytes as f64 / 1024.0,
        rayon::current_num_threads()
    );
    stats.print("wall time per run");
    println!(
        "  throughput: {:.0} files/s (mean), {:.0} files/s (best run)",
        units as f64 / stats.mean.as_secs_f64(),
        units as f64 / stats.min.as_secs_f64()
    );

    // The same workbooks built in memory on one thread: the CPU share of a run.
    let mut build_times: Vec<Duration> = (0..runs.min(5))
        .map(|_| {
            let start = Instant::now();
            for unit in roster.units() {
                std::hint::black_box(build(&form, unit, YEAR).expect("build"));
            }
            start.elapsed()
        })
        .collect();
    build_times.sort();
    println!(
        "  in memory, one thread, no files: min {:.2} ms per {units} workbooks ({:.2} ms each)",
        ms(build_times[0]),
        ms(build_times[0]) / units as f64
    );
    match support::proc_status_kib("VmHWM:") {
        Some(kib) => println!("  peak RSS (VmHWM): {:.1} MiB", kib as f64 / 1024.0),
        None => println!("  peak RSS: unknown (no /proc/self/status)"),
    }
}
