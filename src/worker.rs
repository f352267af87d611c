//! The hidden worker entry of the binary: `monev pekerja-baca --batas-memori
//! BYTES` caps its own memory, then reads files sent by the supervisor on
//! standard input and answers on standard output (see
//! `monev::ingest::isolate`). It is started by `monev` itself, never by users.

use std::process::ExitCode;

/// The first argument that turns the binary into a worker.
pub const COMMAND: &str = "pekerja-baca";

/// Runs the worker until its input closes.
pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(2).collect();
    let limit = args
        .windows(2)
        .find(|w| w[0] == "--batas-memori")
        .and_then(|w| w[1].parse::<u64>().ok());
    if let Some(bytes) = limit
        && monev::ingest::isolate::apply_memory_limit(bytes).is_err()
    {
        return ExitCode::from(2);
    }
    let stdin = std::io::stdin().lock();
    let stdout = std::io::stdout().lock();
    match monev::ingest::isolate::serve(stdin, std::io::BufWriter::new(stdout)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(2),
    }
}
