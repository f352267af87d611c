//! Ctrl-C: an interrupted run leaves no staged `.monev-*.tmp` file, no
//! half-written output (every workbook left behind opens whole), and no
//! folder that monev created for the run.
#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::scenario::{fill_complete, fill_template};

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

/// Starts `monev contoh` for `count` samples into `dir`.
fn contoh(dir: &Path, count: usize) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_monev"))
        .args(["contoh", "--jumlah", &count.to_string()])
        .args(["--tahun", "2026", "-q", "--keluaran"])
        .arg(dir)
        .spawn()
        .unwrap()
}

/// Waits until `ready` holds (true) or the child ends or two minutes pass.
fn wait_for(child: &mut std::process::Child, ready: impl Fn() -> bool) -> bool {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(120) {
        if ready() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    false
}

fn interrupt(child: &mut std::process::Child) {
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(130),
        "exit code after Ctrl-C: {status:?}"
    );
}

#[test]
fn sigint_while_outputs_are_staged_leaves_no_temporary_files_and_no_partial_outputs() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("contoh");
    // Two batches (1,000 and 500): interrupted while the second is staged.
    let mut child = contoh(&dir, 1500);
    let second_batch = || dir.join("opd.csv").exists() && staged(&dir).len() > 10;
    assert!(
        wait_for(&mut child, second_batch),
        "the run never staged its second batch"
    );
    interrupt(&mut child);
    assert!(
        staged(&dir).is_empty(),
        "temporary files left: {:?}",
        staged(&dir)
    );
    let mut whole = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "xlsx") {
            calamine::open_workbook_auto(&path)
                .unwrap_or_else(|e| panic!("{} is not whole: {e}", path.display()));
            whole += 1;
        }
    }
    assert!(whole > 0, "the first batch stays");
}

#[test]
fn sigint_during_the_first_batch_of_contoh_leaves_no_folder() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("contoh");
    let mut child = contoh(&dir, 200);
    assert!(
        wait_for(&mut child, || staged(&dir).len() > 10),
        "the run never staged an output"
    );
    interrupt(&mut child);
    assert!(!dir.exists(), "the folder monev created is left");
    assert!(staged(root.path()).is_empty());
}

/// A folder `masuk` under `root` with a complete report from every OPD of
/// the embedded roster, each filled in its own template.
fn reports_of_every_opd(root: &Path) -> PathBuf {
    let masuk = root.join("masuk");
    let work = root.join("kerja");
    fs::create_dir_all(&masuk).unwrap();
    fs::create_dir_all(&work).unwrap();
    let form = common::form();
    for unit in common::roster().units() {
        fill_template(
            &form,
            unit,
            2026,
            &work,
            "2026-08-20T09:00:00Z",
            &masuk.join(format!("{}.xlsx", unit.code)),
            |f| fill_complete(f, &unit.code, 2026),
        );
    }
    fs::remove_dir(&work).unwrap();
    masuk
}

/// Sends `sig` to the whole process group of `child` (started with
/// `process_group(0)`), as a terminal's Ctrl-C does: its reading workers get
/// it too.
fn signal_group(child: &std::process::Child, sig: i32) {
    // SAFETY: sending a signal to the process group of our own child.
    assert_eq!(unsafe { libc::kill(-(child.id() as i32), sig) }, 0);
}

/// Runs `monev rekap masuk -o rekap.xlsx --umpan-balik FEEDBACK` in `root`,
/// sends Ctrl-C (SIGINT to its process group) as soon as a feedback workbook
/// is being staged in `watch`, and checks that it exits with 130.
fn interrupt_while_feedback_is_staged(root: &Path, feedback: &str, watch: &Path) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_monev"))
        .current_dir(root)
        .args([
            "rekap",
            "masuk",
            "--tahun",
            "2026",
            "-q",
            "-o",
            "rekap.xlsx",
        ])
        .args(["--umpan-balik", feedback])
        .process_group(0)
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut caught_staging = false;
    while started.elapsed() < Duration::from_secs(120) {
        if !staged(watch).is_empty() {
            caught_staging = true;
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(caught_staging, "the run never staged a feedback workbook");
    signal_group(&child, libc::SIGINT);
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(130),
        "exit code after Ctrl-C: {status:?}"
    );
}

#[test]
fn sigint_while_feedback_is_written_removes_the_feedback_folder_monev_created() {
    let root = tempfile::tempdir().unwrap();
    reports_of_every_opd(root.path());
    let feedback = root.path().join("umpan");
    let inner = feedback.join("2026");
    interrupt_while_feedback_is_staged(root.path(), "umpan/2026", &inner);
    assert!(
        !feedback.exists(),
        "the feedback folders monev created are left: {:?}",
        fs::read_dir(&feedback).map(|d| d.count())
    );
    assert!(!root.path().join("rekap.xlsx").exists());
    assert!(staged(root.path()).is_empty(), "{:?}", staged(root.path()));
}

#[test]
fn sigint_while_feedback_is_written_keeps_a_feedback_folder_that_existed() {
    let root = tempfile::tempdir().unwrap();
    reports_of_every_opd(root.path());
    let feedback = root.path().join("umpan");
    fs::create_dir(&feedback).unwrap();
    fs::write(feedback.join("catatan.txt"), "milik operator").unwrap();
    interrupt_while_feedback_is_staged(root.path(), "umpan", &feedback);
    let left: Vec<String> = fs::read_dir(&feedback)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["catatan.txt"], "only what was there before");
}

/// The thread ids of the children of process `pid` (Linux: every thread's
/// `/proc/PID/task/TID/children`).
#[cfg(target_os = "linux")]
fn children(pid: u32) -> Vec<String> {
    let Ok(tasks) = fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    tasks
        .filter_map(|t| t.ok())
        .filter_map(|t| fs::read_to_string(t.path().join("children")).ok())
        .flat_map(|c| c.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

/// An .xlsx package (stored, so its bytes show) that the test build of the
/// reading worker hangs on (`MONEV-TEST-HANG`, see `ingest::isolate`).
fn hanging_workbook() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("xl/workbook.xml", stored).unwrap();
    std::io::Write::write_all(&mut zip, b"<workbook>MONEV-TEST-HANG</workbook>").unwrap();
    zip.finish().unwrap().into_inner()
}

#[cfg(target_os = "linux")]
#[test]
fn sigint_while_reports_are_read_leaves_no_feedback_folder_and_no_output() {
    let root = tempfile::tempdir().unwrap();
    let masuk = root.path().join("masuk");
    let work = root.path().join("kerja");
    fs::create_dir_all(&masuk).unwrap();
    fs::create_dir_all(&work).unwrap();
    let unit = common::roster().get("dinkes").unwrap().clone();
    fill_template(
        &common::form(),
        &unit,
        2026,
        &work,
        "2026-08-20T09:00:00Z",
        &masuk.join("dinkes.xlsx"),
        |f| fill_complete(f, "dinkes", 2026),
    );
    // Reading this one takes the worker's whole time limit: the run is still
    // reading when it is interrupted.
    fs::write(masuk.join("macet.xlsx"), hanging_workbook()).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_monev"))
        .current_dir(root.path())
        .env(monev::ingest::isolate::TEST_FAULTS_ENV, "1")
        .args([
            "rekap",
            "masuk",
            "--tahun",
            "2026",
            "-q",
            "-o",
            "rekap.xlsx",
        ])
        .args(["--umpan-balik", "umpan", "--eml", "balasan"])
        .process_group(0)
        .spawn()
        .unwrap();
    let started = Instant::now();
    while children(child.id()).is_empty() && started.elapsed() < Duration::from_secs(60) {
        assert!(child.try_wait().unwrap().is_none(), "the run ended early");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        !children(child.id()).is_empty(),
        "no reading worker started"
    );
    std::thread::sleep(Duration::from_millis(300));
    signal_group(&child, libc::SIGINT);
    let status = child.wait().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "the run was not interrupted while reading"
    );
    assert_eq!(
        status.code(),
        Some(130),
        "exit code after Ctrl-C: {status:?}"
    );
    for left in ["umpan", "balasan", "rekap.xlsx"] {
        assert!(!root.path().join(left).exists(), "{left} was left behind");
    }
    assert!(staged(root.path()).is_empty(), "{:?}", staged(root.path()));
}
