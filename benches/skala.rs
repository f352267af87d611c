//! Scale benchmark: `monev templat` and `monev rekap` at N = 100 and 1,000
//! units (and 10,000 with `MONEV_SKALA_10000=1`), beside the calamine read
//! floor on the same files.
//!
//! For each N: `monev contoh --jumlah N` writes the sample workbooks and
//! their roster (not timed here, but its time is printed); then the release
//! binary runs as a child under `/usr/bin/time` (wall time, peak RSS):
//! - `monev templat --opd opd.csv` (N templates);
//! - `monev rekap FOLDER --opd opd.csv -o rekap.xlsx --json rekap.json`, once
//!   with worker isolation (the default) and once with `MONEV_NO_ISOLATION=1`.
//!
//! The read floor is measured in this process, on the same files and the
//! same number of threads as rayon uses (all cores): calamine opens each
//! workbook from its bytes and reads every sheet's cells
//! (`open_workbook_auto_from_rs` + `worksheet_range` per sheet). Its ratio is
//! rekap wall time / floor wall time.
//!
//! The write floor is measured the same way: rust_xlsxwriter writes the
//! cells of the rekap just made again, with none of monev's work, the large
//! sheets in parallel in constant-memory mode ([`write_floor`]). Reading the
//! reports and writing the rekap are both unavoidable, so read floor + write
//! floor is the least any rekap built on these two crates can take.
//!
//! Run: `cargo bench --bench skala` (release profile), or
//! `MONEV_SKALA_10000=1 cargo bench --bench skala` to include 10,000.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use calamine::{Reader, open_workbook_auto_from_rs};
use rayon::prelude::*;

const YEAR: &str = "2026";

/// Wall seconds, peak RSS (MiB) and CPU seconds (user + system) of a child
/// run under `/usr/bin/time`.
fn timed(args: &[&str], env: &[(&str, &str)], dir: &Path) -> (f64, f64, f64) {
    let exe = env!("CARGO_BIN_EXE_monev");
    let stats = dir.join("time.txt");
    let mut cmd = Command::new("/usr/bin/time");
    cmd.arg("-f")
        .arg("%e %M %U %S")
        .arg("-o")
        .arg(&stats)
        .arg(exe)
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run /usr/bin/time monev");
    assert!(
        out.status.success(),
        "monev {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = fs::read_to_string(&stats).expect("time output");
    let last = text.lines().last().unwrap_or("");
    let mut parts = last.split_whitespace();
    let secs: f64 = parts.next().and_then(|s| s.parse().ok()).expect("seconds");
    let kib: f64 = parts.next().and_then(|s| s.parse().ok()).expect("KiB");
    let cpu: f64 = parts.filter_map(|s| s.parse::<f64>().ok()).sum();
    (secs, kib / 1024.0, cpu)
}

/// CPU seconds (user + system) this process has used so far.
fn cpu_now() -> f64 {
    // SAFETY: getrusage fills a zeroed struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let t = |v: libc::timeval| v.tv_sec as f64 + v.tv_usec as f64 / 1e6;
    t(u.ru_utime) + t(u.ru_stime)
}

/// The calamine read floor: every sheet of every workbook (.xlsx, .xls,
/// .ods, as `monev contoh` mixes them) in `dir`, in
/// parallel. Returns wall seconds, CPU seconds and the number of workbooks.
fn read_floor(dir: &Path) -> (f64, f64, usize) {
    let files: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "xlsx" || e == "xls" || e == "ods")
        })
        .collect();
    let started = Instant::now();
    let cpu = cpu_now();
    let cells: usize = files
        .par_iter()
        .map(|p| {
            let bytes = fs::read(p).unwrap();
            let mut wb = open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
            let mut n = 0;
            for name in wb.sheet_names() {
                if let Ok(range) = wb.worksheet_range(&name) {
                    n += range.used_cells().count();
                }
            }
            n
        })
        .sum();
    assert!(cells > 0);
    (
        started.elapsed().as_secs_f64(),
        cpu_now() - cpu,
        files.len(),
    )
}

/// The write floor: rust_xlsxwriter writing the cells of a rekap workbook
/// again, with none of monev's work (no model, no row heights, no links):
/// every sheet of `rekap` is read with calamine first (not timed), then a
/// new workbook gets the same sheets, each cell's value (text, or a number
/// for numbers, dates and booleans) with one bordered, wrapped format, the
/// large sheets in constant-memory mode filled in parallel, saved with the
/// rekap's zip level (2). Returns wall and CPU seconds.
fn write_floor(rekap: &Path, dir: &Path) -> (f64, f64) {
    use calamine::{Data, Xlsx};
    use rust_xlsxwriter::{Format, FormatBorder, Workbook, Worksheet};
    let mut xlsx: Xlsx<_> = calamine::open_workbook(rekap).unwrap();
    // Each sheet's name and its cells as (row, column, value).
    type Cells = Vec<(u32, u16, Data)>;
    let sheets: Vec<(String, Cells)> = xlsx
        .sheet_names()
        .into_iter()
        .map(|name| {
            let range = xlsx.worksheet_range(&name).unwrap();
            let (r0, c0) = range.start().unwrap_or((0, 0));
            let cells = range
                .used_cells()
                .map(|(r, c, v)| (r0 + r as u32, (c0 + c as u32) as u16, v.clone()))
                .collect();
            (name, cells)
        })
        .collect();
    let started = Instant::now();
    let cpu = cpu_now();
    let mut wb = Workbook::new();
    wb.set_tempdir(dir).unwrap();
    wb.set_zip_compression_level(2);
    let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let mut worksheets: Vec<Worksheet> = sheets
        .iter()
        .map(|_| wb.new_worksheet_with_constant_memory().unwrap())
        .collect();
    worksheets
        .par_iter_mut()
        .zip(&sheets)
        .for_each(|(ws, (name, cells))| {
            ws.set_name(name).unwrap();
            for (r, c, v) in cells {
                match v {
                    Data::Float(f) => ws.write_number_with_format(*r, *c, *f, &cell),
                    Data::Int(i) => ws.write_number_with_format(*r, *c, *i as f64, &cell),
                    Data::DateTime(d) => ws.write_number_with_format(*r, *c, d.as_f64(), &cell),
                    Data::Bool(b) => ws.write_boolean_with_format(*r, *c, *b, &cell),
                    other => ws.write_string_with_format(*r, *c, other.to_string(), &cell),
                }
                .unwrap();
            }
        });
    for ws in worksheets {
        wb.push_worksheet(ws);
    }
    wb.save(dir.join("write-floor.xlsx")).unwrap();
    (started.elapsed().as_secs_f64(), cpu_now() - cpu)
}

fn main() {
    let mut sizes = vec![100, 1000];
    if std::env::var_os("MONEV_SKALA_10000").is_some_and(|v| v == "1") {
        sizes.push(10_000);
    }
    println!(
        "threads: {} (rayon); binary: {}",
        rayon::current_num_threads(),
        env!("CARGO_BIN_EXE_monev")
    );
    println!(
        "Wall seconds (s), CPU seconds user+system (cpu), peak RSS (MiB); ratio = rekap / read floor, wall and CPU; write floor = rust_xlsxwriter writing the rekap's cells again; last ratio = rekap without isolation / (read floor + write floor), wall."
    );
    println!(
        "| N | contoh s | templat s, /s, MiB | read floor s (cpu) | rekap s (cpu), /s, MiB | ratio wall (cpu) | rekap without isolation s (cpu), MiB | ratio wall (cpu) | write floor s (cpu) | ratio to read + write floor |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for n in sizes {
        let root = tempfile::tempdir().unwrap();
        let masuk = root.path().join("masuk");
        let n_text = n.to_string();
        let (contoh_s, _, _) = timed(
            &[
                "contoh",
                "--jumlah",
                &n_text,
                "--keluaran",
                masuk.to_str().unwrap(),
                "--tahun",
                YEAR,
                "-q",
            ],
            &[],
            root.path(),
        );
        // The roster goes outside the input folder, as an operator keeps it.
        let roster = root.path().join("opd.csv");
        fs::rename(masuk.join("opd.csv"), &roster).unwrap();
        let roster = roster.to_str().unwrap();
        let templat_dir = root.path().join("templat");
        let (templat_s, templat_mib, _) = timed(
            &[
                "templat",
                "--opd",
                roster,
                "--tahun",
                YEAR,
                "--keluaran",
                templat_dir.to_str().unwrap(),
                "-q",
            ],
            &[],
            root.path(),
        );
        let (floor_s, floor_cpu, files) = read_floor(&masuk);
        let rekap = |env: &[(&str, &str)], tag: &str| {
            let out = root.path().join(format!("rekap-{tag}.xlsx"));
            let json = root.path().join(format!("rekap-{tag}.json"));
            timed(
                &[
                    "rekap",
                    masuk.to_str().unwrap(),
                    "--opd",
                    roster,
                    "--tahun",
                    YEAR,
                    "-o",
                    out.to_str().unwrap(),
                    "--json",
                    json.to_str().unwrap(),
                    "-q",
                ],
                env,
                root.path(),
            )
        };
        let (rekap_s, rekap_mib, rekap_cpu) = rekap(&[], "iso");
        let (plain_s, plain_mib, plain_cpu) = rekap(&[("MONEV_NO_ISOLATION", "1")], "plain");
        let (write_s, write_cpu) = write_floor(&root.path().join("rekap-plain.xlsx"), root.path());
        println!(
            "| {n} ({files} files) | {contoh_s:.2} | {templat_s:.2}, {:.0}/s, {templat_mib:.0} | {floor_s:.2} ({floor_cpu:.2}) | {rekap_s:.2} ({rekap_cpu:.2}), {:.0}/s, {rekap_mib:.0} | {:.1}× ({:.1}×) | {plain_s:.2} ({plain_cpu:.2}), {plain_mib:.0} | {:.1}× ({:.1}×) | {write_s:.2} ({write_cpu:.2}) | {:.1}× |",
            n as f64 / templat_s,
            files as f64 / rekap_s,
            rekap_s / floor_s,
            rekap_cpu / floor_cpu,
            plain_s / floor_s,
            plain_cpu / floor_cpu,
            plain_s / (floor_s + write_s),
        );
    }
}
