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
