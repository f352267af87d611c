//! The double-click menu and the drop-a-folder flow through a real
//! pseudo-terminal (rexpect), as an operator meets them: no arguments in a
//! terminal shows the Indonesian menu; each choice asks only what it needs;
//! the window waits for a key at the end. Unix only (Wine has no pty); the
//! flows without a terminal are in tests/windows.rs.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command;

use rexpect::session::{PtySession, spawn_command};

const TIMEOUT_MS: u64 = 120_000;

fn samples_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("Lap Masuk");
    std::fs::create_dir(&dir).unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/masuk");
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
        }
    }
    (tmp, dir)
}

/// The program in a new pseudo-terminal, or None (with the reason printed)
/// where none can be opened: the environment, not a failure of monev.
fn spawn(args: &[&std::ffi::OsStr], cwd: &Path) -> Option<PtySession> {
    let mut c = Command::new(env!("CARGO_BIN_EXE_monev"));
    c.args(args)
        .current_dir(cwd)
        .env("MONEV_TANPA_BUKA", "1")
        .env("TERM", "xterm");
    match spawn_command(c, Some(TIMEOUT_MS)) {
        Ok(p) => Some(p),
        Err(e) => {
            eprintln!("menu test skipped: no pseudo-terminal here ({e})");
            None
        }
    }
}

const DOWN: &str = "\x1b[B";

#[test]
fn menu_rekap_asks_folder_and_year_then_waits_for_a_key() {
    let (tmp, dir) = samples_copy();
    let Some(mut p) = spawn(&[], tmp.path()) else {
        return;
    };
    p.exp_string("Pilih pekerjaan").unwrap();
    p.send(DOWN).unwrap(); // "Rekap folder laporan yang masuk"
    p.send("\r").unwrap();
    p.flush().unwrap();
    p.exp_string("Folder laporan").unwrap();
    // dragged into the window: quoted, with a trailing space
    p.send(&format!("'{}' \r", dir.display())).unwrap();
    p.flush().unwrap();
    p.exp_string("Tahun pelaporan").unwrap();
    p.send("2026\r").unwrap();
    p.flush().unwrap();
    p.exp_string("Lengkap").unwrap();
    p.exp_string("Tekan Enter").unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    p.exp_eof().unwrap();
    assert!(tmp.path().join("rekap-2026.xlsx").is_file());
}

#[test]
fn menu_templat_asks_the_year_and_writes_the_templates() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(mut p) = spawn(&[], tmp.path()) else {
        return;
    };
    p.exp_string("Pilih pekerjaan").unwrap();
    p.send("\r").unwrap(); // the first choice: templates
    p.flush().unwrap();
    p.exp_string("Tahun pelaporan").unwrap();
    p.send("2027\r").unwrap();
    p.flush().unwrap();
    p.exp_string("Folder tujuan").unwrap();
    p.send("\r").unwrap(); // the default templat-2027
    p.flush().unwrap();
    p.exp_string("Tekan Enter").unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    p.exp_eof().unwrap();
    let n = std::fs::read_dir(tmp.path().join("templat-2027"))
        .unwrap()
        .count();
    assert!(n > 30, "{n} templates");
}

#[test]
fn dropping_a_folder_in_a_terminal_compiles_it_and_waits_for_a_key() {
    let (tmp, dir) = samples_copy();
    let Some(mut p) = spawn(&[dir.as_os_str()], tmp.path()) else {
        return;
    };
    p.exp_string("Lengkap").unwrap();
    p.exp_string("Tekan Enter").unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    p.exp_eof().unwrap();
    use chrono::Datelike;
    let year = chrono::Utc::now().year();
    assert!(tmp.path().join(format!("rekap-{year}.xlsx")).is_file());
}

#[test]
fn menu_periksa_asks_only_for_the_file() {
    let (tmp, dir) = samples_copy();
    let Some(mut p) = spawn(&[], tmp.path()) else {
        return;
    };
    p.exp_string("Pilih pekerjaan").unwrap();
    p.send(DOWN).unwrap();
    p.send(DOWN).unwrap(); // "Periksa satu berkas laporan"
    p.send("\r").unwrap();
    p.flush().unwrap();
    p.exp_string("Berkas laporan").unwrap();
    let file = dir.join("02-dishub-kesalahan-umum.xlsx");
    p.send(&format!("{}\r", file.display())).unwrap();
    p.flush().unwrap();
    // periksa prints the findings of the file, then the window waits
    p.exp_string("02-dishub-kesalahan-umum.xlsx").unwrap();
    p.exp_string("Tekan Enter").unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn menu_help_shows_the_command_line_use_and_waits() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(mut p) = spawn(&[], tmp.path()) else {
        return;
    };
    p.exp_string("Pilih pekerjaan").unwrap();
    for _ in 0..3 {
        p.send(DOWN).unwrap();
    }
    p.send("\r").unwrap();
    p.flush().unwrap();
    p.exp_string("Penggunaan").unwrap();
    p.exp_string("Tekan Enter").unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn menu_rejects_a_folder_that_does_not_exist_and_asks_again() {
    let (tmp, dir) = samples_copy();
    let Some(mut p) = spawn(&[], tmp.path()) else {
        return;
    };
    p.exp_string("Pilih pekerjaan").unwrap();
    p.send(DOWN).unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    p.exp_string("Folder laporan").unwrap();
    p.send("tidak-ada\r").unwrap();
    p.flush().unwrap();
    p.exp_string("tidak ditemukan").unwrap();
    // dialoguer keeps the typed text: clear it, then type the right folder
    for _ in 0.."tidak-ada".len() {
        p.send("\x7f").unwrap();
    }
    p.send(&format!("{}\r", dir.display())).unwrap();
    p.flush().unwrap();
    p.exp_string("Tahun pelaporan").unwrap();
    p.send("2026\r").unwrap();
    p.flush().unwrap();
    p.exp_string("Tekan Enter").unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    p.exp_eof().unwrap();
    assert!(tmp.path().join("rekap-2026.xlsx").is_file());
}
