//! Ctrl-C: an interrupted run leaves no staged `.monev-*.tmp` file and no
//! half-written output (every workbook left behind opens whole).
#![cfg(unix)]

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn staged(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".monev-"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn sigint_while_outputs_are_staged_leaves_no_temporary_files_and_no_partial_outputs() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("contoh");
    let mut child = Command::new(env!("CARGO_BIN_EXE_monev"))
        .args([
            "contoh",
            "--jumlah",
            "3000",
            "--tahun",
            "2026",
            "-q",
            "--keluaran",
        ])
        .arg(&dir)
        .spawn()
        .unwrap();
    // Wait until a batch of workbooks is being staged (more than the roster's
    // one file), so the interrupt lands mid-write.
    let started = Instant::now();
    let mut caught_staging = false;
    while started.elapsed() < Duration::from_secs(120) {
        if staged(&dir).len() > 10 {
            caught_staging = true;
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(caught_staging, "the run never staged an output");
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(130),
        "exit code after Ctrl-C: {status:?}"
    );
    assert!(
        staged(&dir).is_empty(),
        "temporary files left: {:?}",
        staged(&dir)
    );
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "xlsx") {
            calamine::open_workbook_auto(&path)
                .unwrap_or_else(|e| panic!("{} is not whole: {e}", path.display()));
        }
    }
}
