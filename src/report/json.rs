//! The machine-readable rekap (`--json FILE`, schema `monev-rekap/2`).

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};
use crate::model::Rekap;

/// The rekap as pretty-printed JSON, in memory (tests, benches; the command
/// streams it with [`write`]).
pub fn to_json(rekap: &Rekap) -> Result<Vec<u8>> {
    serde_json::to_vec_pretty(rekap).map_err(|e| Error::Json {
        reason: e.to_string(),
    })
}

/// Streams the rekap as pretty-printed JSON into `file` (the staged output
/// for `path`), byte for byte what [`to_json`] returns, through a buffer, so
/// the document is never held in memory. Errors: [`Error::Json`], and for a
/// failed write [`Error::Write`] or [`Error::OutputLocked`] naming `path`.
pub fn write(rekap: &Rekap, file: &mut std::fs::File, path: &Path) -> Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    serde_json::to_writer_pretty(&mut out, rekap).map_err(|e| {
        if e.is_io() {
            // The original I/O error (a locked file, a full disk).
            crate::output::io_error(path, &std::io::Error::from(e))
        } else {
            Error::Json {
                reason: e.to_string(),
            }
        }
    })?;
    out.flush().map_err(|e| crate::output::io_error(path, &e))
}
