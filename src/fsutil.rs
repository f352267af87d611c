//! Output safety: every file monev writes goes to a temporary file in the target
//! folder first and is renamed into place, so a crash or a full disk never leaves
//! a half-written workbook where a good one was expected.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result, describe_io};

/// Writes `bytes` to `path` atomically (temporary file in the same folder, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let fail = |e: std::io::Error| Error::Write {
        path: path.to_path_buf(),
        reason: describe_io(&e),
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".monev-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Creates `dir` (and parents) and checks it can be written, before any work is done.
pub fn ensure_writable_dir(dir: &Path) -> Result<()> {
    let fail = |e: std::io::Error| Error::OutputDir {
        path: dir.to_path_buf(),
        reason: describe_io(&e),
    };
    std::fs::create_dir_all(dir).map_err(fail)?;
    tempfile::Builder::new()
        .prefix(".monev-probe-")
        .tempfile_in(dir)
        .map_err(fail)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn unwritable_dir_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        std::fs::write(&file, b"x").unwrap();
        let e = ensure_writable_dir(&file.join("sub")).unwrap_err();
        assert!(matches!(e, Error::OutputDir { .. }), "{e}");
    }
}
