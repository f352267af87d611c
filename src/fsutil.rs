//! Small file-system helpers shared by the commands: paths as shown to people,
//! and checking an output folder before any work is done. Writing itself goes
//! through [`crate::output`].

use std::path::Path;

use crate::error::{Error, Result, describe_io};

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

/// Checks, before any work is done, that the folder `dir` can hold outputs:
/// it exists and can be written, or it is missing and its nearest existing
/// ancestor is a folder that can be written (the missing folders are then
/// created by [`crate::output::write_outputs`], as part of the all-or-nothing
/// write, and removed again when it fails or is interrupted). Nothing is
/// created here: a run that stops before writing leaves no empty folder.
/// Errors: [`Error::OutputDir`] naming `dir`, with the reason (an ancestor is
/// a file, access denied, ...).
pub fn check_writable_dir(dir: &Path) -> Result<()> {
    let fail = |reason: String| Error::OutputDir {
        path: dir.to_path_buf(),
        reason,
    };
    let existing = nearest_existing(dir);
    if !existing.is_dir() {
        return Err(fail(format!(
            "'{}' adalah berkas, bukan folder",
            display_path(&existing)
        )));
    }
    // An anonymous file where the system allows one, so the probe never shows.
    tempfile::tempfile_in(&existing).map_err(|e| fail(describe_io(&e)))?;
    Ok(())
}

/// The folder an output at `path` goes into ("." for a bare file name).
pub fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// `dir` itself when something exists there, else its nearest ancestor that
/// exists ("." for a relative path none of whose ancestors exist).
fn nearest_existing(dir: &Path) -> std::path::PathBuf {
    dir.ancestors()
        .find(|a| !a.as_os_str().is_empty() && std::fs::symlink_metadata(a).is_ok())
        .map_or_else(|| Path::new(".").to_path_buf(), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_folder_below_a_file_is_refused_and_nothing_is_created() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        std::fs::write(&file, b"x").unwrap();
        let e = check_writable_dir(&file.join("sub")).unwrap_err();
        assert!(matches!(e, Error::OutputDir { .. }), "{e}");
        assert!(e.to_string().contains("bukan folder"), "{e}");
        // A missing folder below a writable one is fine, and stays missing.
        let missing = dir.path().join("baru").join("sub");
        check_writable_dir(&missing).unwrap();
        assert!(!dir.path().join("baru").exists());
    }
}
