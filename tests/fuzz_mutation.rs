//! A stable mutation fuzzer that CI can run for a bounded time: it mutates the
//! hardening fixtures and the sample reports with a fixed seed (so a run is
//! reproducible) and reads each mutant through monev's whole ingestion
//! in-process, without worker isolation, under a 2 GiB address-space cap.
//!
//! It fails on an abort or an allocation failure (the test process dies), on
//! a hang (no progress for 20 s; the input is saved under
//! `target/fuzz-mutation/` to become a regression fixture), and on any panic,
//! whether it escapes the per-file guard or the guard catches it.
//!
//! Duration: `MONEV_FUZZ_SECONDS` (default 5; CI runs 60), seed:
//! `MONEV_FUZZ_SEED` (default fixed). With `MONEV_FUZZ_KEEP=DIR`, each input
//! is written to `DIR/current-<seed name>` before it is read, so the one that
//! aborted the process is there afterwards, and each input whose panic the
//! guard caught is kept as `DIR/panic-<n>-<seed name>`.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use monev::form::Form;
use monev::ingest::guard::{Reading, read_checked};
use monev::ingest::source::{Format, Input};
use monev::roster::Roster;

/// xorshift64*: small, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// The seeds: every fixture and sample workbook.
fn seeds() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["tests/fixtures/hardening", "samples/masuk"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        paths.sort();
        for p in paths {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if Format::from_name(&name).is_some()
                && let Ok(bytes) = std::fs::read(&p)
            {
                out.push((name, bytes));
            }
        }
    }
    out
}

/// Numbers that make readers allocate or loop.
const NASTY: [&str; 8] = [
    "0",
    "-1",
    "4294967295",
    "1000000000",
    "16384",
    "1048576",
    "99999999999999999999",
    "65535",
];

/// One byte-level mutation of `data`.
fn mutate_bytes(rng: &mut Rng, data: &mut Vec<u8>) {
    if data.is_empty() {
        data.push(rng.next() as u8);
        return;
    }
    match rng.below(6) {
        0 => {
            let i = rng.below(data.len());
            data[i] = rng.next() as u8;
        }
        1 => {
            let cut = rng.below(data.len());
            data.truncate(cut);
        }
        2 => {
            let a = rng.below(data.len());
            let b = (a + rng.below(64)).min(data.len());
            data.drain(a..b);
        }
        3 => {
            let a = rng.below(data.len());
            let b = (a + rng.below(256)).min(data.len());
            let chunk = data[a..b].to_vec();
            let at = rng.below(data.len());
            data.splice(at..at, chunk);
        }
        4 => {
            // Replace a run of digits with a nasty number (counts, sizes, positions).
            let start = rng.below(data.len());
            if let Some(i) = data[start..].iter().position(u8::is_ascii_digit) {
                let i = start + i;
                let j = data[i..]
                    .iter()
                    .position(|b| !b.is_ascii_digit())
                    .map_or(data.len(), |k| i + k);
                let n = NASTY[rng.below(NASTY.len())].as_bytes().to_vec();
                data.splice(i..j, n);
            }
        }
        _ => {
            // Little-endian u16/u32 fields (xls records, CFB headers) set to extremes.
            let i = rng.below(data.len().saturating_sub(4).max(1));
            let v: [u8; 4] = match rng.below(3) {
                0 => [0xFF; 4],
                1 => [0xFE, 0xFF, 0xFF, 0xFF],
                _ => [0x00, 0x00, 0x01, 0x00],
            };
            for (k, b) in v.iter().enumerate() {
                if let Some(x) = data.get_mut(i + k) {
                    *x = *b;
                }
            }
        }
    }
}

/// A mutant of a zip package: one part mutated (XML parts mostly), rezipped.
fn mutate_zip(rng: &mut Rng, bytes: &[u8]) -> Option<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut entries = Vec::new();
    for i in 0..zip.len() {
        let mut e = zip.by_index(i).ok()?;
        let mut data = Vec::new();
        e.read_to_end(&mut data).ok()?;
        entries.push((e.name().ok()?.to_string(), data));
    }
    let xml: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].0.ends_with(".xml"))
        .collect();
    let pick = if !xml.is_empty() && rng.below(4) > 0 {
        xml[rng.below(xml.len())]
    } else {
        rng.below(entries.len())
    };
    for _ in 0..=rng.below(3) {
        mutate_bytes(rng, &mut entries[pick].1);
    }
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in &entries {
        let method = if name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        out.start_file(
            name.as_str(),
            zip::write::SimpleFileOptions::default().compression_method(method),
        )
        .ok()?;
        out.write_all(data).ok()?;
    }
    Some(out.finish().ok()?.into_inner())
}

fn mutant(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    if seed.starts_with(b"PK")
        && rng.below(5) > 0
        && let Some(m) = mutate_zip(rng, seed)
    {
        return m;
    }
    let mut data = seed.to_vec();
    for _ in 0..=rng.below(4) {
        mutate_bytes(rng, &mut data);
    }
    data
}

fn read_one(name: &str, bytes: Vec<u8>, form: &Form, roster: &Roster) -> bool {
    let mut input = Input {
        path: name.to_string(),
        name: name.to_string(),
        format: Format::from_name(name).unwrap_or(Format::Xlsx),
        sha256: String::new(),
        bytes,
        email_date: None,
        mtime: None,
        disk_path: PathBuf::from(name),
        refused: None,
        sender: None,
    };
    match read_checked(&mut input, form, roster, &Reading::default()) {
        Ok(_) => false,
        Err(r) => r.finding.message.contains("isinya tidak wajar"),
    }
}

#[test]
fn mutated_fixtures_never_abort_hang_or_panic_through_the_guard() {
    let seconds: u64 = std::env::var("MONEV_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let seed: u64 = std::env::var("MONEV_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED_0008_BA5E_2026);
    // An allocation beyond this aborts the test: a crash found.
    #[cfg(unix)]
    monev::ingest::isolate::apply_memory_limit(2 << 30).expect("cap memory");
    let seeds = seeds();
    assert!(seeds.len() >= 10, "seeds: {}", seeds.len());
    let done = Arc::new(AtomicUsize::new(0));
    let current: Arc<Mutex<(String, Vec<u8>)>> = Arc::default();
    let deadline = Duration::from_secs(seconds);
    let worker = {
        let (done, current) = (done.clone(), current.clone());
        std::thread::spawn(move || {
            let form = Form::embedded().unwrap();
            let roster = Roster::embedded().unwrap();
            let mut rng = Rng(seed | 1);
            let start = Instant::now();
            let mut caught = 0usize;
            let keep = std::env::var_os("MONEV_FUZZ_KEEP").map(PathBuf::from);
            while start.elapsed() < deadline {
                let (name, bytes) = &seeds[rng.below(seeds.len())];
                let m = mutant(&mut rng, bytes);
                if let Ok(mut c) = current.lock() {
                    *c = (name.clone(), m.clone());
                }
                if let Some(dir) = &keep {
                    // The input being read, in case it aborts the process.
                    let _ = std::fs::write(dir.join(format!("current-{name}")), &m);
                }
                if read_one(name, m.clone(), &form, &roster) {
                    caught += 1;
                    if let Some(dir) = &keep {
                        let _ = std::fs::write(dir.join(format!("panic-{caught}-{name}")), &m);
                    }
                }
                done.fetch_add(1, Ordering::SeqCst);
            }
            caught
        })
    };
    // Watchdog: every input must finish within 20 s.
    let mut last = (0usize, Instant::now());
    while !worker.is_finished() {
        std::thread::sleep(Duration::from_millis(200));
        let n = done.load(Ordering::SeqCst);
        if n != last.0 {
            last = (n, Instant::now());
        } else if last.1.elapsed() > Duration::from_secs(20) {
            let (name, bytes) = current.lock().map(|c| c.clone()).unwrap_or_default();
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-mutation");
            let _ = std::fs::create_dir_all(&dir);
            let path = dir.join(format!("hang-{n}-{name}"));
            let _ = std::fs::write(&path, &bytes);
            panic!(
                "input {n} (from {name}) hangs; saved to {} as a regression fixture",
                path.display()
            );
        }
    }
    let caught = worker.join().expect("no panic escaped the guard");
    let n = done.load(Ordering::SeqCst);
    eprintln!("mutation fuzzer: {n} inputs in {seconds} s, {caught} panics caught by the guard");
    assert!(n > 0);
    // The guard turns a panic into a rejection, but a panic in reading is a bug
    // (two kinds in calamine's compound-file reader were found this way).
    assert_eq!(
        caught, 0,
        "{caught} inputs panicked (caught by the guard); rerun with MONEV_FUZZ_SEED={seed} MONEV_FUZZ_KEEP=DIR to keep them"
    );
}
