//! Benchmark of reading a mailbox: a generated mbox of about 1 GB with 2,000
//! messages, read by `monev rekap`, side by side with baselines on the same file.
//!
//! Setup (not timed): a roster of 2,000 units (`opd0001`..`opd2000`, each with
//! an address); every unit's template filled as OPD staff fill it (tests/common:
//! `fill_complete`), sent in its own message built with mail-builder from the
//! unit's address, together with a scanned cover letter (a ~340 KiB PDF-like
//! attachment of random bytes, the usual reason mailboxes are large). Messages
//! are written one by one (mboxrd) to `Kotak Masuk.mbox`; the mailbox is never
//! held in memory, nor is it by the reader.
//!
//! Timed, `MONEV_BENCH_RUNS` runs (default 3), on the same file (in the page
//! cache after setup):
//! 1. raw read: the file read in 1 MiB pieces, nothing else (the I/O floor);
//! 2. mail-parser's own mbox iterator (`mail_parser::mailbox::mbox::MessageIterator`),
//!    splitting messages only;
//! 3. monev's mbox splitter (`monev::ingest::mbox::Messages`), splitting only;
//! 4. the MIME floor: monev's splitter and mail-parser's full parse of every
//!    message (which decodes every attachment), in parallel batches of 64;
//! 5. `monev::ingest::mbox::load`: splitting, MIME parsing and taking every
//!    spreadsheet attachment (parallel batches), without reading workbooks;
//! 6. `monev::rekap::compile` on the mailbox: all of the above plus reading,
//!    checking and scoring the 2,000 workbooks (what `monev rekap` does apart
//!    from writing its outputs).
//!
//! Peak memory (VmHWM, reset through `/proc/self/clear_refs` before phases 5
//! and 6) shows that memory does not grow with the mailbox.
//!
//! Run: `cargo bench --bench mbox` (release profile). Needs about 1 GB of free
//! space in the temporary folder. `MONEV_BENCH_MBOX_MESSAGES` changes the
//! number of messages (the size scales with it); `MONEV_BENCH_MBOX_FILE=PATH`
//! keeps the generated mailbox at PATH and reuses it on later runs.

// Not every timing helper is used here.
#[allow(dead_code)]
#[path = "support/mod.rs"]
mod support;

#[path = "../tests/common/mod.rs"]
mod common;

use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use common::mail::{XLSX, append_mbox, message};
use common::scenario::{fill_complete, fill_template};
use monev::model::FileStatus;
use monev::rekap::{NoProgress, RekapConfig, compile};
use monev::roster::Roster;
use monev::score::Rubric;
use rayon::prelude::*;
use support::{Stats, proc_status_kib};

const YEAR: i32 = 2026;
const DEFAULT_MESSAGES: usize = 2000;
const DEFAULT_RUNS: usize = 3;
/// The cover letter's size: with the workbook, about 500 KB per message on disk.
const COVER_BYTES: usize = 340 * 1024;

fn main() {
    let runs = support::runs(DEFAULT_RUNS);
    let messages: usize = std::env::var("MONEV_BENCH_MBOX_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or(DEFAULT_MESSAGES);
    let form = common::form();
    let rubric = Rubric::embedded().expect("rubric");
    let root = tempfile::tempdir().expect("temporary folder");
    let mut csv = String::from("kode,nama,email\n");
    for n in 1..=messages {
        csv.push_str(&format!(
            "opd{n:04},Perangkat Daerah Uji {n:04},opd{n:04}@serangkota.go.id\n"
        ));
    }
    let roster = Roster::from_csv(&csv, "opd.csv").expect("roster");
    // MONEV_BENCH_MBOX_FILE: keep the generated mailbox there and reuse it
    // next time (for profiling; setup takes minutes).
    let kept = std::env::var_os("MONEV_BENCH_MBOX_FILE").map(std::path::PathBuf::from);
    let mbox = kept
        .clone()
        .unwrap_or_else(|| root.path().join("Kotak Masuk.mbox"));

    let started = Instant::now();
    let size = match &kept {
        Some(p) if p.exists() => fs::metadata(p).expect("kept mbox").len(),
        _ => setup(&form, &roster, root.path(), &mbox),
    };
    println!(
        "mbox: {messages} messages, {:.2} GB ({:.0} KB per message), {} rayon threads; setup {:.1} s (not timed)",
        size as f64 / 1e9,
        size as f64 / 1e3 / messages as f64,
        rayon::current_num_threads(),
        started.elapsed().as_secs_f64()
    );

    let config = RekapConfig {
        inputs: vec![mbox.clone()],
        year: Some(YEAR),
        allowed_domains: monev::links::default_allowed_domains(),
        now: chrono::DateTime::parse_from_rfc3339("2026-10-01T09:00:00+07:00").expect("valid time"),
        reading: Default::default(),
    };
    let mut phases: Vec<(&str, Vec<Duration>, Option<u64>)> = vec![
        ("1 raw read (1 MiB pieces)", vec![], None),
        ("2 mail-parser mbox iterator", vec![], None),
        ("3 monev mbox splitter", vec![], None),
        (
            "4 floor: monev splitter + mail-parser MIME parse of every message",
            vec![],
            None,
        ),
        (
            "5 monev mbox load (split + MIME + attachments)",
            vec![],
            None,
        ),
        ("6 monev rekap compile on the mbox", vec![], None),
    ];
    for run in 0..runs {
        let t = Instant::now();
        let mut f = File::open(&mbox).expect("open");
        let mut buf = vec![0u8; 1 << 20];
        let mut total = 0u64;
        loop {
            let n = f.read(&mut buf).expect("read");
            if n == 0 {
                break;
            }
            total += n as u64;
        }
        assert_eq!(total, size);
        phases[0].1.push(t.elapsed());

        let t = Instant::now();
        let n = mail_parser::mailbox::mbox::MessageIterator::new(BufReader::with_capacity(
            1 << 20,
            File::open(&mbox).expect("open"),
        ))
        .filter(|m| m.is_ok())
        .count();
        phases[1].1.push(t.elapsed());
        assert_eq!(n, messages);

        let t = Instant::now();
        let n = monev::ingest::mbox::Messages::new(BufReader::with_capacity(
            1 << 20,
            File::open(&mbox).expect("open"),
        ))
        .filter(|m| m.is_ok())
        .count();
        phases[2].1.push(t.elapsed());
        assert_eq!(n, messages);

        let t = Instant::now();
        let mut batch = Vec::new();
        let mut parts = 0;
        let parse = |batch: &mut Vec<Vec<u8>>| -> usize {
            let n = batch
                .par_iter()
                .map(|m| {
                    mail_parser::MessageParser::default()
                        .parse(m)
                        .map_or(0, |m| m.attachment_count())
                })
                .sum();
            batch.clear();
            n
        };
        for m in monev::ingest::mbox::Messages::new(BufReader::with_capacity(
            1 << 20,
            File::open(&mbox).expect("open"),
        )) {
            batch.push(m.expect("message").bytes);
            if batch.len() == 64 {
                parts += parse(&mut batch);
            }
        }
        parts += parse(&mut batch);
        phases[3].1.push(t.elapsed());
        assert_eq!(parts, 2 * messages);

        let reset = fs::write("/proc/self/clear_refs", "5").is_ok();
        let t = Instant::now();
        let (sizes, skipped) = monev::ingest::mbox::load(&mbox, None, &|i| i.bytes.len());
        phases[4].1.push(t.elapsed());
        assert_eq!(sizes.len(), messages, "{skipped:?}");
        assert!(skipped.is_empty(), "{skipped:?}");
        if reset && run == 0 {
            phases[4].2 = proc_status_kib("VmHWM:");
        }

        let reset = fs::write("/proc/self/clear_refs", "5").is_ok();
        let t = Instant::now();
        let r = compile(&form, &roster, &rubric, &config, &NoProgress).expect("compile");
        phases[5].1.push(t.elapsed());
        if reset && run == 0 {
            phases[5].2 = proc_status_kib("VmHWM:");
        }
        assert_eq!(r.files.len(), messages);
        assert!(
            r.files
                .iter()
                .all(|f| f.status == FileStatus::Used && f.sender.is_some())
        );
        assert!(r.units.iter().all(|u| u.score == Some(100)));
    }
    println!(
        "  {runs} runs (median; GB/s of the mailbox; peak RSS of the process for phases 5 and 6):"
    );
    let floor = Stats::of(&mut phases[0].1.clone()).median.as_secs_f64();
    for (name, times, peak) in &mut phases {
        let s = Stats::of(times);
        let secs = s.median.as_secs_f64();
        println!(
            "  {name}: {secs:.2} s, {:.2} GB/s, {:.1}× raw read{}",
            size as f64 / 1e9 / secs,
            secs / floor,
            peak.map(|k| format!(", peak {:.0} MiB", k as f64 / 1024.0))
                .unwrap_or_default()
        );
    }
}

/// Fills every unit's workbook and writes one message per unit into `mbox`;
/// returns the mailbox's size in bytes.
fn setup(form: &monev::form::Form, roster: &Roster, root: &Path, mbox: &Path) -> u64 {
    let work = root.join("kerja");
    fs::create_dir_all(&work).expect("work folder");
    let mut out = BufWriter::with_capacity(1 << 20, File::create(mbox).expect("create mbox"));
    // A batch at a time, so the messages are never all in memory.
    for chunk in roster.units().chunks(64) {
        let built: Vec<Vec<u8>> = chunk
            .par_iter()
            .map(|unit| {
                let path = work.join(format!("{}.xlsx", unit.code));
                fill_template(
                    form,
                    unit,
                    YEAR,
                    &work,
                    "2026-08-20T09:00:00Z",
                    &path,
                    |f| fill_complete(f, &unit.code, YEAR),
                );
                let xlsx = fs::read(&path).expect("read");
                fs::remove_file(&path).expect("remove");
                let cover = noise(&unit.code, COVER_BYTES);
                let from = unit.email.clone().expect("address");
                let m = message(
                    &from,
                    "Thu, 27 Aug 2026 10:00:00 +0700",
                    &format!("Laporan Monev {}", unit.name),
                    "Bersama ini kami sampaikan laporan dan surat pengantar.",
                    &[
                        (&monev::template::file_name(YEAR, &unit.code), XLSX, &xlsx),
                        ("surat-pengantar.pdf", "application/pdf", &cover),
                    ],
                );
                let mut one = Vec::with_capacity(m.len() + 100);
                append_mbox(&mut one, &from, &m);
                one
            })
            .collect();
        for m in built {
            out.write_all(&m).expect("write mbox");
        }
    }
    out.flush().expect("flush");
    drop(out);
    fs::metadata(mbox).expect("mbox").len()
}

/// Deterministic incompressible bytes (xorshift), like a scanned PDF.
fn noise(seed: &str, len: usize) -> Vec<u8> {
    let mut x: u64 = seed.bytes().fold(0x9E37_79B9_7F4A_7C15, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01B3)
    });
    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(b"%PDF-1.4\n");
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}
