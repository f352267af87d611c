//! Worker isolation: each file is first read by a supervised worker process
//! with a memory cap and a time limit, so an abort, an allocation failure, a
//! stack overflow or an endless loop inside a dependency costs only that file.
//!
//! The [`Supervisor`] (in the main process) keeps a pool of workers, reusing
//! each for many files and starting a new one when one dies. A worker is any
//! program that runs [`serve`] on its standard input and output; the `monev`
//! binary has a hidden subcommand for it. The protocol:
//!
//! * once, when a worker starts: one JSON line `{"form":…,"roster":…}`, the
//!   form definition and roster every file is read against;
//! * per file, the request: one JSON line
//!   `{"format":"xlsx","len":N,"path":…,"name":…,"sender":…}`, then exactly
//!   N bytes;
//! * per file, the reply: one JSON line `{"outcome":{"Ok":Submission}}` or
//!   `{"outcome":{"Err":Rejection}}`: what [`super::read_guarded`] made of it.
//!
//! The worker does the whole reading; the main process only decodes the
//! reply, so each file is parsed once. A worker that exits, is killed by its
//! memory cap, or does not reply within the time limit is the file's fault:
//! the supervisor kills and reaps it, and the caller rejects the file
//! ("berkas terlalu besar atau rusak").
//!
//! On Unix the memory cap is `RLIMIT_AS`, set by the worker on itself at start
//! ([`apply_memory_limit`], crate `rlimit`); the time limit applies everywhere.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::source::{Format, Input};
use super::{Rejection, Submission};
use crate::form::Form;
use crate::roster::Roster;

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
// Returned once per file and unpacked at once: boxing the submission would
// only add an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Verdict {
    /// The worker read it: this is what it made of it.
    Read(Result<Submission, Box<Rejection>>),
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

/// What every file of a run is read against; sent once to each worker.
#[derive(Serialize, Deserialize)]
struct Init {
    form: Form,
    roster: Roster,
}

/// One file: the fields of [`Input`] that reading uses, then `len` bytes.
#[derive(Serialize, Deserialize)]
struct Request {
    format: Format,
    len: u64,
    path: String,
    name: String,
    sender: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Reply {
    outcome: Result<Submission, Box<Rejection>>,
}

/// Why no worker took a file.
enum NoWorker {
    /// None could be started.
    Unavailable,
    /// A new worker died while taking the file in.
    Died,
}

impl From<NoWorker> for Verdict {
    fn from(n: NoWorker) -> Verdict {
        match n {
            NoWorker::Unavailable => Verdict::Unavailable,
            NoWorker::Died => Verdict::Died,
        }
    }
}

/// One running worker.
struct Worker {
    child: Child,
    stdin: ChildStdin,
    /// Replies, read and decoded by a thread; `None` (or a closed channel)
    /// at EOF or on a line that is no reply.
    replies: Receiver<Option<Reply>>,
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
    /// The [`Init`] line, made from the first form and roster given (None
    /// when they could not be encoded: then no worker is started).
    init: OnceLock<Option<Vec<u8>>>,
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
            init: OnceLock::new(),
        }
    }

    /// Sets an environment variable for the workers (e.g. [`TEST_FAULTS_ENV`]).
    pub fn env(mut self, key: &str, value: &str) -> Supervisor {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    fn spawn(&self, init: &[u8]) -> Option<Worker> {
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
        let mut stdin = child.stdin.take()?;
        let stdout = child.stdout.take()?;
        if stdin.write_all(init).is_err() {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        let (tx, replies) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            // One buffer for all of this worker's replies: a new string of
            // several kilobytes per reply, freed on another thread, fragments
            // glibc's heap (10,000 reports: the main process held 577 MB
            // against 291 MB when reading in-process; 282 MB with replies
            // outside the heap).
            let mut line = String::new();
            loop {
                line.clear();
                let reply = match reader.read_line(&mut line) {
                    Ok(0) | Err(_) => None,
                    Ok(_) => serde_json::from_str::<Reply>(&line).ok(),
                };
                let end = reply.is_none();
                if tx.send(reply).is_err() || end {
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

    /// Has a worker read `input` (its bytes, as its format) against `form`
    /// and `roster`. Blocks until it replies, dies, or runs out of time; safe
    /// to call from many threads at once (each call uses its own worker).
    ///
    /// One supervisor serves one form and roster: the first ones given are
    /// sent to every worker it starts.
    pub fn read(&self, input: &Input, form: &Form, roster: &Roster) -> Verdict {
        let init = self.init.get_or_init(|| {
            let mut line = serde_json::to_vec(&Init {
                form: form.clone(),
                roster: roster.clone(),
            })
            .ok()?;
            line.push(b'\n');
            Some(line)
        });
        // Without an init line a worker could only fail every file: read
        // in-process instead.
        let Some(init) = init.as_deref() else {
            return Verdict::Unavailable;
        };
        let pooled = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let worker = match pooled {
            Some(mut w) => {
                if send(&mut w.stdin, input).is_ok() {
                    w
                } else {
                    // It died since its last file (not this file's fault).
                    w.kill();
                    match self.fresh(init, input) {
                        Ok(w) => w,
                        Err(v) => return v.into(),
                    }
                }
            }
            None => match self.fresh(init, input) {
                Ok(w) => w,
                Err(v) => return v.into(),
            },
        };
        // Out of time, or the worker's output ended: no reply.
        let reply = worker
            .replies
            .recv_timeout(self.limits.time)
            .unwrap_or_default();
        match reply {
            Some(reply) => {
                if let Ok(mut idle) = self.idle.lock() {
                    idle.push(worker);
                }
                Verdict::Read(reply.outcome)
            }
            None => {
                worker.kill();
                Verdict::Died
            }
        }
    }

    /// A new worker with the file sent; a worker that dies while taking the
    /// file in is the file's fault.
    fn fresh(&self, init: &[u8], input: &Input) -> Result<Worker, NoWorker> {
        let mut w = self.spawn(init).ok_or(NoWorker::Unavailable)?;
        if send(&mut w.stdin, input).is_err() {
            w.kill();
            return Err(NoWorker::Died);
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

fn send(stdin: &mut ChildStdin, input: &Input) -> std::io::Result<()> {
    let header = serde_json::to_string(&Request {
        format: input.format,
        len: input.bytes.len() as u64,
        path: input.path.clone(),
        name: input.name.clone(),
        sender: input.sender.clone(),
    })
    .map_err(std::io::Error::other)?;
    stdin.write_all(header.as_bytes())?;
    stdin.write_all(b"\n")?;
    stdin.write_all(&input.bytes)?;
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

/// The worker loop: reads the [`Init`] line, then requests until `input`
/// closes; reads each file with [`super::read_guarded`] and writes the
/// outcome as one reply line to `output`.
///
/// Errors: a malformed init or request line, an oversized request, or an
/// I/O failure on either stream (the supervisor then treats the worker as dead).
pub fn serve<R: BufRead, W: Write>(mut input: R, mut output: W) -> std::io::Result<()> {
    let faults = std::env::var(TEST_FAULTS_ENV).is_ok_and(|v| v == "1");
    let invalid = |e: serde_json::Error| std::io::Error::new(std::io::ErrorKind::InvalidData, e);
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        return Ok(());
    }
    let init: Init = serde_json::from_str(line.trim()).map_err(invalid)?;
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let request: Request = serde_json::from_str(line.trim()).map_err(invalid)?;
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
        let mut file = Input::in_memory(&request.path, &request.name, request.format, bytes);
        file.sender = request.sender;
        let outcome = super::read_guarded(&mut file, &init.form, &init.roster);
        serde_json::to_writer(&mut output, &Reply { outcome }).map_err(std::io::Error::other)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn request(input: &mut Vec<u8>, path: &str, bytes: &[u8]) {
        let header = Request {
            format: Format::Xlsx,
            len: bytes.len() as u64,
            path: path.into(),
            name: path.into(),
            sender: None,
        };
        input.extend(serde_json::to_string(&header).unwrap().as_bytes());
        input.push(b'\n');
        input.extend(bytes);
    }

    #[test]
    fn serve_reads_each_file_against_the_init_form_and_roster_and_stops_at_eof() {
        let form = Form::embedded().unwrap();
        let roster = Roster::embedded().unwrap();
        let unit = roster.get("dinkes").unwrap().clone();
        let template = crate::template::build(&form, &unit, 2026).unwrap();
        let mut input = serde_json::to_vec(&Init {
            form: form.clone(),
            roster: roster.clone(),
        })
        .unwrap();
        input.push(b'\n');
        request(&mut input, "templat.xlsx", &template);
        request(&mut input, "rusak.xlsx", b"bukan lembar kerja");
        let mut out = Vec::new();
        serve(&input[..], &mut out).unwrap();
        let replies: Vec<Reply> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(replies.len(), 2);
        let sub = replies[0].outcome.as_ref().expect("the template is read");
        assert_eq!(sub.unit, "dinkes");
        assert_eq!(sub.year, Some(2026));
        assert_eq!(sub.evidence.len(), 8);
        // The same file read in this process gives the same submission.
        let mut here = Input::in_memory("templat.xlsx", "templat.xlsx", Format::Xlsx, template);
        let local = super::super::read(&mut here, &form, &roster).unwrap();
        assert_eq!(
            serde_json::to_string(&local).unwrap(),
            serde_json::to_string(sub).unwrap()
        );
        let rejected = replies[1].outcome.as_ref().unwrap_err();
        assert_eq!(rejected.finding.location.file, "rusak.xlsx");
        assert_eq!(rejected.finding.code, crate::finding::Code::FileUnreadable);
    }

    #[test]
    fn a_missing_worker_program_is_unavailable_not_a_verdict() {
        let s = Supervisor::new(
            PathBuf::from("/nonexistent/monev-worker"),
            vec![],
            WorkerLimits::default(),
        );
        let input = Input::in_memory("x.xlsx", "x.xlsx", Format::Xlsx, b"x".to_vec());
        let verdict = s.read(
            &input,
            &Form::embedded().unwrap(),
            &Roster::embedded().unwrap(),
        );
        assert!(matches!(verdict, Verdict::Unavailable), "{verdict:?}");
    }
}
