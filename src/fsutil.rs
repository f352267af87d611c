//! Output safety: every file monev writes goes to a temporary file in the target
//! folder first and is renamed into place, so a crash or a full disk never leaves
//! a half-written workbook where a good one was expected.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result, describe_io};

/// Writes `bytes` to `path` atomically (temporary file in the same folder, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_all_atomic(&[(path, bytes)])
}

/// Writes several files: every temporary file is written and synced first, and
/// only then are they renamed into place, so a failure while writing (a full
/// disk, a folder that can't be written) leaves no output at all. A failure
/// during the renames themselves, which are quick metadata operations, can still
/// leave the earlier outputs in place; each output is always whole.
pub fn write_all_atomic(files: &[(&Path, &[u8])]) -> Result<()> {
    let mut staged = Vec::with_capacity(files.len());
    for (path, bytes) in files {
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
        // Temporary files are private (0600); outputs are ordinary documents that
        // colleagues open from shared folders.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644))
                .map_err(fail)?;
        }
        tmp.as_file().sync_all().map_err(fail)?;
        staged.push((tmp, *path));
    }
    for (tmp, path) in staged {
        tmp.persist(path).map_err(|e| Error::Write {
            path: path.to_path_buf(),
            reason: describe_io(&e.error),
        })?;
    }
    Ok(())
}

/// A path as shown to people: its components joined with the platform's own
/// separator, never a mix of `/` and `\\`.
pub fn display_path(path: &Path) -> String {
    let mut out = String::new();
    for c in path.components() {
        use std::path::Component;
        let part = c.as_os_str().to_string_lossy();
        match c {
            Component::RootDir => out.push(std::path::MAIN_SEPARATOR),
            _ => {
                if !out.is_empty() && !out.ends_with(std::path::MAIN_SEPARATOR) {
                    out.push(std::path::MAIN_SEPARATOR);
                }
                out.push_str(&part);
            }
        }
    }
    out
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
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o644, "outputs must be readable by others");
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("a.xlsx");
        let bad = dir.path().join("no-such-dir").join("b.json");
        assert!(write_all_atomic(&[(&good, b"1"), (&bad, b"2")]).is_err());
        assert!(
            !good.exists(),
            "nothing may be written when one output fails"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn displayed_paths_use_one_separator() {
        let sep = std::path::MAIN_SEPARATOR;
        assert_eq!(
            display_path(Path::new("masuk/dinkes/a.xlsx")),
            format!("masuk{sep}dinkes{sep}a.xlsx")
        );
        #[cfg(windows)]
        assert_eq!(
            display_path(Path::new(r"C:\Lap Masuk/b.xlsx")),
            r"C:\Lap Masuk\b.xlsx"
        );
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
