//! Benchmark of `monev rekap` on 1,000 filled workbooks.
//!
//! Setup (not timed): a roster of 1,000 units (`opd0001`..`opd1000`) is parsed
//! with `Roster::from_csv`; every unit's template is built with
//! `monev::template::build` and filled the way OPD staff do, by editing the xlsx
//! package (`tests/common`: `Filler` and `scenario::fill_complete`). Every 10th
//! unit also makes two mistakes (a local file path pasted as evidence in Tabel 1
//! and an empty Ketersediaan in Tabel 2), so the checks have findings to report.
//! All files are saved to `masuk/` with the workbook property "last modified"
//! 2026-08-20 (before the deadline).
//!
//! Timed, one warm-up and `MONEV_BENCH_RUNS` measured runs (default 5), each
//! phase separately: `monev::rekap::compile` (discover, read the files in
//! parallel with rayon, check, score), building the consolidated workbook
//! (`report::workbook::build`) and the JSON (`report::json::to_json`), and their
//! sum, which is what `monev rekap -o FILE --json FILE` does apart from writing
//! the two outputs. Prints min, median, mean and max per phase and files/s.
//!
//! Peak memory: the process's peak RSS (VmHWM) is reset through
//! `/proc/self/clear_refs` after setup and read after the runs (Linux). For an
//! end-to-end figure without the bench's own setup in the same process, the
//! release binary is then run as a child (`monev rekap masuk -q -o r.xlsx --json
//! r.json --opd opd.csv`) under `/usr/bin/time -v`, which reports its wall time
//! and maximum RSS.
//!
//! The bench panics when the result is wrong: a file missing or rejected, a unit
//! without a score, or findings in other files than the mistaken ones.
//!
//! Run: `cargo bench --bench rekap` (release profile). The targets of the issue
//! are under 3 s wall time and under 300 MB peak memory on a 2-core machine.

#[path = "support/mod.rs"]
mod support;

#[path = "../tests/common/mod.rs"]
mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::scenario::{T1, T2, fill_complete, fill_template, t1_row, t2_row};
use monev::finding::Code;
use monev::form::Form;
use monev::model::{FileStatus, Rekap};
use monev::rekap::{NoProgress, RekapConfig, compile};
use monev::report::{json, workbook};
use monev::roster::Roster;
use monev::score::Rubric;
use monev::template::file_name;
use rayon::prelude::*;
use support::{Stats, ms, proc_status_kib};

const UNITS: usize = 1000;
/// Every `MISTAKE_EVERY`-th unit makes mistakes.
const MISTAKE_EVERY: usize = 10;
const WARM_UPS: usize = 1;
const DEFAULT_RUNS: usize = 5;
/// Runs of the release binary as a child process.
const BINARY_RUNS: usize = 3;
const YEAR: i32 = 2026;
const MODIFIED: &str = "2026-08-20T09:00:00Z";
const TARGET_SECONDS: f64 = 3.0;
const TARGET_MIB: f64 = 300.0;

fn main() {
    let runs = support::runs(DEFAULT_RUNS);
    let form = Form::embedded().expect("embedded form");
    let rubric = Rubric::embedded().expect("embedded rubric");
    let root = tempfile::tempdir().expect("temporary folder");
    let roster_path = root.path().join("opd.csv");
    let csv = roster_csv(UNITS);
    fs::write(&roster_path, &csv).expect("write roster CSV");
    let roster = Roster::from_csv(&csv, &roster_path.display().to_string()).expect("roster");
    assert_eq!(roster.units().len(), UNITS);

    // Setup: fill and save every unit's workbook.
    let masuk = root.path().join("masuk");
    let started = Instant::now();
    let input_bytes = setup(&form, &roster, root.path(), &masuk);
    let setup_time = started.elapsed();
    let mistaken = (0..UNITS).filter(|&i| is_mistaken(i)).count();
    println!(
        "rekap: {UNITS} filled workbooks ({mistaken} with mistakes, {:.1} MiB in total), {} rayon threads",
        input_bytes as f64 / 1024.0 / 1024.0,
        rayon::current_num_threads()
    );
    println!(
        "  setup (build + fill + save, not timed): {:.2} s",
        setup_time.as_secs_f64()
    );

    let config = RekapConfig {
        inputs: vec![masuk.clone()],
        year: Some(YEAR),
        allowed_domains: monev::links::default_allowed_domains(),
        now: chrono::DateTime::parse_from_rfc3339("2026-10-01T09:00:00+07:00").expect("valid time"),
        reading: Default::default(),
    };

    // Peak RSS from here on: setup's peak would otherwise dominate.
    let reset = fs::write("/proc/self/clear_refs", "5");
    let baseline = proc_status_kib("VmRSS:");

    let mut compile_times = Vec::with_capacity(runs);
    let mut workbook_times = Vec::with_capacity(runs);
    let mut json_times = Vec::with_capacity(runs);
    let mut total_times = Vec::with_capacity(runs);
    let mut sizes = (0, 0);
    for i in 0..WARM_UPS + runs {
        let start = Instant::now();
        let rekap = compile(&form, &roster, &rubric, &config, &NoProgress).expect("compile");
        let compiled = start.elapsed();
        let xlsx = workbook::build(&rekap, &form, &rubric).expect("consolidated workbook");
        let built = start.elapsed();
        let json = json::to_json(&rekap).expect("JSON");
        let total = start.elapsed();
        if i == 0 {
            verify(&rekap, mistaken);
            sizes = (xlsx.len(), json.len());
        }
        drop((rekap, xlsx, json));
        if i >= WARM_UPS {
            compile_times.push(compiled);
            workbook_times.push(built - compiled);
            json_times.push(total - built);
            total_times.push(total);
        }
    }
    let peak = proc_status_kib("VmHWM:");

    println!(
        "  {runs} runs after {WARM_UPS} warm-up; consolidated workbook {:.1} KiB, JSON {:.1} KiB",
        sizes.0 as f64 / 1024.0,
        sizes.1 as f64 / 1024.0
    );
    let compile_stats = Stats::of(&mut compile_times);
    let total_stats = Stats::of(&mut total_times);
    compile_stats.print("compile (read + check + score)");
    Stats::of(&mut workbook_times).print("consolidated workbook");
    Stats::of(&mut json_times).print("JSON");
    total_stats.print("total (compile + workbook + JSON)");
    println!(
        "  throughput: compile {:.0} files/s (mean), {:.0} files/s (best); end to end {:.0} files/s (mean)",
        UNITS as f64 / compile_stats.mean.as_secs_f64(),
        UNITS as f64 / compile_stats.min.as_secs_f64(),
        UNITS as f64 / total_stats.mean.as_secs_f64()
    );
    let mib = |kib: u64| kib as f64 / 1024.0;
    match (&reset, baseline, peak) {
        (Ok(()), Some(base), Some(peak)) => println!(
            "  peak RSS (VmHWM) during the runs: {:.1} MiB (RSS before the runs {:.1} MiB, so {:.1} MiB on top)",
            mib(peak),
            mib(base),
            mib(peak.saturating_sub(base))
        ),
        (Err(e), _, Some(peak)) => println!(
            "  peak RSS (VmHWM): {:.1} MiB, including setup (could not reset it through /proc/self/clear_refs: {e})",
            mib(peak)
        ),
        _ => println!("  peak RSS: unknown (no /proc/self/status)"),
    }
    let mean_total = total_stats.mean.as_secs_f64();
    println!(
        "  target wall time < {TARGET_SECONDS} s (in process): {} (mean {mean_total:.2} s)",
        verdict(mean_total < TARGET_SECONDS)
    );

    binary_runs(root.path(), &masuk, &roster_path, runs.min(BINARY_RUNS));
}

/// The roster CSV: `opd0001,Perangkat Daerah Uji 0001,` and so on.
fn roster_csv(units: usize) -> String {
    let mut csv = String::from("kode,nama,email\n");
    for n in 1..=units {
        csv.push_str(&format!("opd{n:04},Perangkat Daerah Uji {n:04},\n"));
    }
    csv
}

/// Unit `i` (0-based roster index) makes mistakes.
fn is_mistaken(i: usize) -> bool {
    i % MISTAKE_EVERY == MISTAKE_EVERY - 1
}

/// Builds, fills and saves every unit's workbook into `masuk`; returns their total size.
fn setup(form: &Form, roster: &Roster, root: &Path, masuk: &Path) -> u64 {
    let templat = root.join("templat");
    fs::create_dir_all(&templat).expect("create templat/");
    fs::create_dir_all(masuk).expect("create masuk/");
    roster
        .units()
        .par_iter()
        .enumerate()
        .map(|(i, unit)| {
            let path = masuk.join(file_name(YEAR, &unit.code));
            fill_template(form, unit, YEAR, &templat, MODIFIED, &path, |f| {
                fill_complete(f, &unit.code, YEAR);
                if is_mistaken(i) {
                    // A local path pasted instead of a link, and an empty Ketersediaan.
                    let g = format!("G{}", t1_row(1, 0));
                    f.clear(T1, &g);
                    f.text(
                        T1,
                        &g,
                        &format!(r"C:\Users\{}\Documents\foto apel.jpg", unit.code),
                    );
                    f.clear(T2, &format!("D{}", t2_row(3, 'b')));
                }
            });
            fs::metadata(&path).expect("saved file").len()
        })
        .sum()
}

/// Panics unless every file was read and used, every unit scored, and exactly
/// the mistaken units have findings (including the two planted ones).
fn verify(rekap: &Rekap, mistaken: usize) {
    assert_eq!(rekap.totals.files, UNITS, "files read");
    assert_eq!(rekap.files.len(), UNITS, "file results");
    assert!(
        rekap.files.iter().all(|f| f.status == FileStatus::Used),
        "every file is used: {:?}",
        rekap
            .files
            .iter()
            .filter(|f| f.status != FileStatus::Used)
            .map(|f| (&f.path, f.status, &f.reason))
            .collect::<Vec<_>>()
    );
    assert_eq!(rekap.skipped.len(), 0, "skipped inputs");
    assert_eq!(rekap.units.len(), UNITS, "unit results");
    let unscored: Vec<&str> = rekap
        .units
        .iter()
        .filter(|u| u.score.is_none())
        .map(|u| u.code.as_str())
        .collect();
    assert!(unscored.is_empty(), "units without a score: {unscored:?}");
    assert_eq!(rekap.totals.missing, 0, "missing units");

    let with_findings = rekap
        .files
        .iter()
        .filter(|f| !f.findings.is_empty())
        .count();
    assert_eq!(with_findings, mistaken, "files with findings");
    for (i, u) in rekap.units.iter().enumerate() {
        let codes: Vec<Code> = u.findings.iter().map(|f| f.code).collect();
        if is_mistaken(i) {
            assert!(
                codes.contains(&Code::LinkLocalPath)
                    && codes.contains(&Code::EvidenceStatusMissing),
                "{}: expected link.local_path and evidence.status_missing, found {codes:?}",
                u.code
            );
        } else {
            assert!(
                codes.is_empty(),
                "{}: unexpected findings {codes:?}",
                u.code
            );
            assert_eq!(u.score, Some(100), "{}: score of a complete report", u.code);
        }
    }
}

/// Runs the release binary end to end as a child under `/usr/bin/time -v`.
fn binary_runs(root: &Path, masuk: &Path, roster: &Path, runs: usize) {
    let Some(bin) = monev_binary() else {
        println!("  release binary: not found, end-to-end run skipped");
        return;
    };
    let time = Path::new("/usr/bin/time");
    if !time.is_file() {
        println!("  release binary: /usr/bin/time not installed, end-to-end run skipped");
        return;
    }
    let out = root.join("r.xlsx");
    let json = root.join("r.json");
    let mut walls = Vec::with_capacity(runs);
    let mut rss = Vec::with_capacity(runs);
    for _ in 0..runs {
        let _ = fs::remove_file(&out);
        let _ = fs::remove_file(&json);
        let start = Instant::now();
        let output = Command::new(time)
            .arg("-v")
            .arg(&bin)
            .arg("rekap")
            .arg(masuk)
            .arg("-q")
            .arg("-o")
            .arg(&out)
            .arg("--json")
            .arg(&json)
            .arg("--opd")
            .arg(roster)
            .output()
            .expect("run /usr/bin/time");
        walls.push(start.elapsed());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success() && out.is_file() && json.is_file(),
            "{} rekap failed ({}):\n{stderr}",
            bin.display(),
            output.status
        );
        let max_rss = stderr
            .lines()
            .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
            .and_then(|v| v.trim().parse::<u64>().ok())
            .expect("/usr/bin/time -v reports the maximum resident set size");
        rss.push(max_rss);
    }
    let max_rss = rss.iter().copied().max().unwrap_or(0) as f64 / 1024.0;
    let stats = Stats::of(&mut walls);
    println!(
        "  release binary ({}), `rekap masuk -q -o r.xlsx --json r.json --opd opd.csv`, {runs} runs:",
        bin.display()
    );
    println!(
        "    wall time (incl. process start and writing outputs): min {:.0} ms, median {:.0} ms, mean {:.0} ms, max {:.0} ms",
        ms(stats.min),
        ms(stats.median),
        ms(stats.mean),
        ms(stats.max)
    );
    println!("    max RSS: {max_rss:.1} MiB");
    println!(
        "    targets: wall time < {TARGET_SECONDS} s: {}; peak memory < {TARGET_MIB} MB: {}",
        verdict(stats.max.as_secs_f64() < TARGET_SECONDS),
        verdict(max_rss * 1.048_576 < TARGET_MIB)
    );
}

/// The `monev` binary built for this bench (release profile).
fn monev_binary() -> Option<PathBuf> {
    // Cargo sets CARGO_BIN_EXE_<name> when building benches (since 1.43); the
    // fallback is target/release/monev under CARGO_TARGET_DIR or the manifest dir.
    option_env!("CARGO_BIN_EXE_monev")
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .or_else(|| {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
            Some(target.join("release").join("monev")).filter(|p| p.is_file())
        })
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT met" }
}
