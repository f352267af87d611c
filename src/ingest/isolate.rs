//! Worker isolation: each file is first read by a supervised worker process
//! with a memory cap and a time limit, so an abort, an allocation failure, a
//! stack overflow or an endless loop inside a dependency costs only that file.
//!
//! The [`Supervisor`] (in the main process) keeps a pool of workers, reusing
//! each for many files and starting a new one when one dies. A worker is any
//! program that runs [`serve`] on its standard input and output; the `monev`
//! binary has a hidden subcommand for it. The protocol, per file:
//!
//! * request: one JSON line `{"format":"xlsx","len":N}`, then exactly N bytes;
//! * reply: one JSON line `{"done":true}` once the file has been opened and
//!   every part monev reads has been parsed ([`preflight`]).
//!
//! A worker that exits, is killed by its memory cap, or does not reply within
//! the time limit is the file's fault: the supervisor kills and reaps it, and
//! the caller rejects the file ("berkas terlalu besar atau rusak"). A file the
//! worker survives is then read in the main process by the same deterministic
//! code, so it needs no more memory or time there than it did in the worker.
//!
//! On Unix the memory cap is `RLIMIT_AS`, set by the worker on itself at start
//! ([`apply_memory_limit`], crate `rlimit`); the time limit applies everywhere.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::source::Format;

/// Default memory cap of one worker: 768 MiB of address space.
pub const DEFAULT_WORKER_MEMORY: u64 = 768 * 1024 * 1024;
/// Default time one file may take in a worker: 20 s (a report takes ~10 ms).
pub const DEFAULT_WORKER_TIME: Duration = Duration::from_secs(20);
/// Largest request a worker accepts, in bytes (above any file-size limit in use).
const MAX_REQUEST: u64 = 4 * 1024 * 1024 * 1024;

/// Environment variable that, in tests only, makes a worker abort, hang or
/// run out of memory on a file containing `MONEV-TEST-ABORT`,
/// `MONEV-TEST-HANG` or `MONEV-TEST-OOM` (set it to `1`).
pub const TEST_FAULTS_ENV: &str = "MONEV_TEST_WORKER_FAULTS";

/// How a file fared in a worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The worker read it and replied: safe to read in-process.
    Survived,
    /// The worker died or ran out of time on it.
    Died,
    /// No worker could be started: the caller reads in-process, unisolated.
    Unavailable,
}

/// The limits of one worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkerLimits {
    /// Address-space cap in bytes (Unix only).
    pub memory_bytes: u64,
    /// Longest time one file may take.
    pub time: Duration,
}

impl Default for WorkerLimits {
    fn default() -> Self {
        WorkerLimits {
            memory_bytes: DEFAULT_WORKER_MEMORY,
            time: DEFAULT_WORKER_TIME,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Request {
    format: Format,
    len: u64,
}

#[derive(Serialize, Deserialize)]
struct Reply {
    done: bool,
}

/// One running worker.
struct Worker {
    child: Child,
    stdin: ChildStdin,
    /// Reply lines, read by a thread; `None` (or a closed channel) at EOF.
    replies: Receiver<Option<String>>,
}

impl Worker {
    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts workers and hands each file to one of them.
pub struct Supervisor {
    program: PathBuf,
    args: Vec<String>,
    env: Vec<(String, String)>,
    limits: WorkerLimits,
    idle: Mutex<Vec<Worker>>,
}

impl std::fmt::Debug for Supervisor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Supervisor")
            .field("program", &self.program)
            .field("args", &self.args)
            .field("limits", &self.limits)
            .finish()
    }
}

impl Supervisor {
    /// A supervisor running `program args… --batas-memori BYTES` as its
    /// worker; the program must run [`serve`] (after [`apply_memory_limit`]).
    /// No process starts until the first file.
    pub fn new(program: PathBuf, args: Vec<String>, limits: WorkerLimits) -> Supervisor {
        Supervisor {
            program,
            args,
            env: Vec::new(),
            limits,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Sets an environment variable for the workers (e.g. [`TEST_FAULTS_ENV`]).
    pub fn env(mut self, key: &str, value: &str) -> Supervisor {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    fn spawn(&self) -> Option<Worker> {
        let mut child = Command::new(&self.program)
            .args(&self.args)
            .arg("--batas-memori")
            .arg(self.limits.memory_bytes.to_string())
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let stdin = child.stdin.take()?;
        let stdout = child.stdout.take()?;
        let (tx, replies) = channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            loop {
                let line = lines.next().and_then(Result::ok);
                let end = line.is_none();
                if tx.send(line).is_err() || end {
                    break;
                }
            }
        });
        Some(Worker {
            child,
            stdin,
            replies,
        })
    }

    /// Has a worker read `bytes` as `format`. Blocks until it replies, dies,
    /// or runs out of time; safe to call from many threads at once (each call
    /// uses its own worker).
    pub fn check(&self, bytes: &[u8], format: Format) -> Verdict {
        let pooled = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let mut worker = match pooled {
            Some(mut w) => {
                if send(&mut w.stdin, bytes, format).is_ok() {
                    w
                } else {
                    // It died since its last file (not this file's fault).
                    w.kill();
                    match self.fresh(bytes, format) {
                        Ok(w) => w,
                        Err(v) => return v,
                    }
                }
            }
            None => match self.fresh(bytes, format) {
                Ok(w) => w,
                Err(v) => return v,
            },
        };
        match worker.replies.recv_timeout(self.limits.time) {
            Ok(Some(line)) if serde_json::from_str::<Reply>(&line).is_ok_and(|r| r.done) => {
                if let Ok(mut idle) = self.idle.lock() {
                    idle.push(worker);
                }
                Verdict::Survived
            }
            Ok(_) | Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                let _ = worker.child.kill();
                let _ = worker.child.wait();
                Verdict::Died
            }
        }
    }

    /// A new worker with the file sent; a worker that dies while taking the
    /// file in is the file's fault.
    fn fresh(&self, bytes: &[u8], format: Format) -> Result<Worker, Verdict> {
        let mut w = self.spawn().ok_or(Verdict::Unavailable)?;
        if send(&mut w.stdin, bytes, format).is_err() {
            w.kill();
            return Err(Verdict::Died);
        }
        Ok(w)
    }
}

impl Drop for Supervisor {
    fn drop(&mut self) {
        if let Ok(mut idle) = self.idle.lock() {
            for w in idle.drain(..) {
                // Closing stdin ends a worker; kill in case it is stuck.
                w.kill();
            }
        }
    }
}

fn send(stdin: &mut ChildStdin, bytes: &[u8], format: Format) -> std::io::Result<()> {
    let header = serde_json::to_string(&Request {
        format,
        len: bytes.len() as u64,
    })
    .map_err(std::io::Error::other)?;
    stdin.write_all(header.as_bytes())?;
    stdin.write_all(b"\n")?;
    stdin.write_all(bytes)?;
    stdin.flush()
}

/// Caps this process's address space (Unix; elsewhere nothing). A worker calls
/// it first, so an allocation beyond the cap fails (and aborts) in the worker.
pub fn apply_memory_limit(bytes: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let (_, hard) = rlimit::getrlimit(rlimit::Resource::AS)?;
        rlimit::setrlimit(rlimit::Resource::AS, bytes.min(hard), hard)
    }
    #[cfg(not(unix))]
    {
        let _ = bytes;
        Ok(())
    }
}

/// The worker loop: reads requests from `input` until it closes, reads each
/// file with [`preflight`], and writes a reply line for each to `output`.
pub fn serve<R: BufRead, W: Write>(mut input: R, mut output: W) -> std::io::Result<()> {
    let faults = std::env::var(TEST_FAULTS_ENV).is_ok_and(|v| v == "1");
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let request: Request = serde_json::from_str(line.trim())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        if request.len > MAX_REQUEST {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "request too large",
            ));
        }
        let mut bytes = Vec::new();
        (&mut input).take(request.len).read_to_end(&mut bytes)?;
        if faults {
            test_fault(&bytes);
        }
        preflight(bytes, request.format);
        serde_json::to_writer(&mut output, &Reply { done: true }).map_err(std::io::Error::other)?;
        output.write_all(b"\n")?;
        output.flush()?;
    }
}

/// Test-only faults (see [`TEST_FAULTS_ENV`]).
fn test_fault(bytes: &[u8]) {
    let has = |m: &[u8]| bytes.windows(m.len()).any(|w| w == m);
    if has(b"MONEV-TEST-ABORT") {
        std::process::abort();
    }
    if has(b"MONEV-TEST-OOM") {
        let big: Vec<u8> = vec![1; 4 << 30];
        std::hint::black_box(&big);
    }
    if has(b"MONEV-TEST-HANG") {
        loop {
            std::thread::sleep(Duration::from_secs(1));
        }
    }
}

/// Everything a dependency does with a file, as monev's reading does it: the
/// pre-open checks, opening the workbook (every sheet's cells and merges) and
/// every sheet's links. Panics are caught (the in-process read reports them).
pub fn preflight(bytes: Vec<u8>, format: Format) {
    let _ = std::panic::catch_unwind(move || {
        if super::guard::check(&bytes, format).is_err() {
            return;
        }
        if let Ok(mut book) = super::workbook::open(bytes, format) {
            let names: Vec<String> = book.sheets.iter().map(|s| s.name.clone()).collect();
            for name in names {
                let _ = book.links(&name);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serve_answers_each_request_and_stops_at_eof() {
        let mut input = Vec::new();
        for bytes in [&b"bukan lembar kerja"[..], b""] {
            input.extend(
                serde_json::to_string(&Request {
                    format: Format::Xlsx,
                    len: bytes.len() as u64,
                })
                .unwrap()
                .as_bytes(),
            );
            input.push(b'\n');
            input.extend(bytes);
        }
        let mut out = Vec::new();
        serve(&input[..], &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"done\":true}\n{\"done\":true}\n"
        );
    }

    #[test]
    fn a_missing_worker_program_is_unavailable_not_a_verdict() {
        let s = Supervisor::new(
            PathBuf::from("/nonexistent/monev-worker"),
            vec![],
            WorkerLimits::default(),
        );
        assert_eq!(s.check(b"x", Format::Xlsx), Verdict::Unavailable);
    }
}
