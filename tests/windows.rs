//! Windows behaviour (issue 10), run on Linux by `cargo test` and under Wine by
//! `.ci/windows`: outputs name paths with the platform's separator only; a
//! folder dropped on the program is compiled into `rekap-<tahun>.xlsx` beside
//! it; the stray quote of `"Folder\"` is explained; no arguments outside a
//! terminal still prints the help with exit code 2; and, on Windows only, an
//! input or output held open with no sharing (as Excel holds a workbook) gets
//! the Indonesian message telling the operator to close it; an Outlook .msg
//! is compiled like a .eml.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A copy of `samples/masuk/` in a fresh folder (`<tmp>/Lap Masuk`), so that
/// nothing is written into the repository.
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

fn monev() -> Command {
    let mut c = Command::cargo_bin("monev").unwrap();
    c.env("MONEV_TANPA_BUKA", "1");
    c
}

/// The separator the platform does not use.
const FOREIGN: char = if cfg!(windows) { '/' } else { '\\' };

#[test]
fn rekap_names_paths_with_the_platform_separator_only() {
    let (tmp, dir) = samples_copy();
    let json = tmp.path().join("rekap.json");
    let out = monev()
        .arg("rekap")
        .arg(&dir)
        .arg("--keluaran")
        .arg(tmp.path().join("rekap-pisah.xlsx"))
        .arg("--json")
        .arg(&json)
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    for line in stdout.lines().filter(|l| l.contains("rekap-pisah.xlsx")) {
        assert!(!line.contains(FOREIGN), "mixed separators: {line}");
    }
    let j: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let mut paths = Vec::new();
    strings_naming(&j, "Lap Masuk", &mut paths);
    assert!(!paths.is_empty(), "the JSON names no input path");
    for p in paths {
        assert!(!p.contains(FOREIGN), "mixed separators in the JSON: {p}");
    }
}

/// Every string in `v` that contains `needle`.
fn strings_naming(v: &serde_json::Value, needle: &str, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) if s.contains(needle) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings_naming(x, needle, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| strings_naming(x, needle, out)),
        _ => {}
    }
}

#[test]
fn a_dropped_folder_is_compiled_beside_it() {
    let (tmp, dir) = samples_copy();
    let out = monev().arg(&dir).assert().success().get_output().clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    use chrono::Datelike;
    let year = chrono::Utc::now().year();
    let rekap = tmp.path().join(format!("rekap-{year}.xlsx"));
    assert!(rekap.is_file(), "no {}: {stdout}", rekap.display());
    // dropping again replaces monev's own rekap
    monev().arg(&dir).assert().success();
}

#[test]
fn dropped_files_are_compiled_beside_them() {
    let (_tmp, dir) = samples_copy();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let files = &files[..2];
    monev().args(files).assert().success();
    use chrono::Datelike;
    let year = chrono::Utc::now().year();
    assert!(dir.join(format!("rekap-{year}.xlsx")).is_file());
}

#[test]
fn a_trailing_backslash_quote_is_explained_with_the_fix() {
    let out = monev()
        .args(["rekap", "Lap Masuk\""])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("tanda petik"), "{stderr}");
    assert!(stderr.contains("\"Lap Masuk\""), "{stderr}");
}

#[test]
fn no_arguments_outside_a_terminal_exits_2_as_before() {
    // assert_cmd gives the program pipes, not a terminal: no menu, no waiting.
    monev().assert().code(2);
}

/// Holds `path` open with no sharing, as Excel holds a workbook.
#[cfg(windows)]
fn hold(path: &Path) -> std::fs::File {
    use std::os::windows::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .share_mode(0)
        .open(path)
        .unwrap()
}

#[cfg(windows)]
#[test]
fn a_locked_input_is_reported_as_unreadable_with_close_it_in_excel() {
    let (tmp, dir) = samples_copy();
    let held = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .unwrap();
    let _guard = hold(&held);
    let json = tmp.path().join("r.json");
    monev()
        .arg("rekap")
        .arg(&dir)
        .arg("--keluaran")
        .arg(tmp.path().join("r.xlsx"))
        .arg("--json")
        .arg(&json)
        .assert()
        .success();
    let text = std::fs::read_to_string(&json).unwrap();
    assert!(text.contains("file.unreadable"), "{text}");
    assert!(text.contains("Excel"), "{text}");
    assert!(!text.contains("Sharing violation"), "{text}");
}

#[cfg(windows)]
#[test]
fn a_locked_output_gets_the_close_it_message() {
    let (tmp, dir) = samples_copy();
    let out = tmp.path().join("r.xlsx");
    monev()
        .arg("rekap")
        .arg(&dir)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let _guard = hold(&out);
    let res = monev()
        .arg("rekap")
        .arg(&dir)
        .arg("-o")
        .arg(&out)
        .arg("--timpa")
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(stderr.contains("sedang dibuka program lain"), "{stderr}");
    assert!(!stderr.contains("os error"), "{stderr}");
}

/// An Outlook .msg as Outlook lays it out ([MS-OXMSG]): the submit time
/// (PidTagClientSubmitTime, a FILETIME) and one attachment (name, bytes).
fn outlook_msg(submitted_unix: i64, name: &str, bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let mut c = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    let mut props = vec![0u8; 32];
    props.extend_from_slice(&((0x0039u32 << 16) | 0x0040).to_le_bytes());
    props.extend_from_slice(&6u32.to_le_bytes());
    let filetime = ((submitted_unix + 11_644_473_600) as u64) * 10_000_000;
    props.extend_from_slice(&filetime.to_le_bytes());
    c.create_stream("/__properties_version1.0")
        .unwrap()
        .write_all(&props)
        .unwrap();
    c.create_stream("/__substg1.0_0037001F")
        .unwrap()
        .write_all(&utf16("Laporan Monev BerAKHLAK"))
        .unwrap();
    let att = "/__attach_version1.0_#00000000";
    c.create_storage(att).unwrap();
    c.create_stream(format!("{att}/__properties_version1.0"))
        .unwrap()
        .write_all(&[0u8; 8])
        .unwrap();
    c.create_stream(format!("{att}/__substg1.0_3707001F"))
        .unwrap()
        .write_all(&utf16(name))
        .unwrap();
    c.create_stream(format!("{att}/__substg1.0_37010102"))
        .unwrap()
        .write_all(bytes)
        .unwrap();
    c.flush().unwrap();
    c.into_inner().into_inner()
}

#[test]
fn an_outlook_msg_is_compiled_like_an_eml_with_its_attachment_and_date() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("masuk");
    std::fs::create_dir(&dir).unwrap();
    let report = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/masuk/01-dinkes-lengkap.xlsx"),
    )
    .unwrap();
    // 2026-08-20 10:00 WIB
    let sent = chrono::DateTime::parse_from_rfc3339("2026-08-20T10:00:00+07:00").unwrap();
    std::fs::write(
        dir.join("Laporan Dinkes.msg"),
        outlook_msg(sent.timestamp(), "laporan dinkes.xlsx", &report),
    )
    .unwrap();
    let json = tmp.path().join("r.json");
    monev()
        .arg("rekap")
        .arg(&dir)
        .args(["--tahun", "2026", "-o"])
        .arg(tmp.path().join("r.xlsx"))
        .arg("--json")
        .arg(&json)
        .assert()
        .success();
    let j: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let sent_units: Vec<&serde_json::Value> = j["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["status"] != "missing")
        .collect();
    assert_eq!(sent_units.len(), 1, "{j}");
    let files = j["files"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{j}");
    let f = &files[0];
    let path = f["path"].as_str().unwrap();
    assert!(
        path.contains("Laporan Dinkes.msg") && path.ends_with("laporan dinkes.xlsx"),
        "{path}"
    );
    assert_eq!(f["submitted_source"], "email", "{f}");
    let at = chrono::DateTime::parse_from_rfc3339(f["submitted_at"].as_str().unwrap()).unwrap();
    assert_eq!(at, sent, "the message date is the submission time");
}
