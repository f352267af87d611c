//! Hostile and damaged inputs (issue 8, sections 1 and 2): every case of
//! `shared/cases/hardening/` as a fixture (tests/fixtures/hardening/) or a
//! generator ported from its script, each pinned to the right result: a
//! `file.unreadable` rejection with a clear Indonesian reason, a skipped entry
//! with its reason, or normal reading — and, where that is the point, within a
//! time or memory bound.
//!
//! Most cases are read in-process through the library *without* worker
//! isolation, which proves each fix at its source (an abort there would kill
//! this test binary). End-to-end runs use the `monev` binary with a timeout,
//! under `prlimit --as` when it is installed.

mod common;

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use monev::finding::Code;
use monev::ingest::guard::{Limits, Reading};
use monev::ingest::isolate::{Supervisor, TEST_FAULTS_ENV, Verdict, WorkerLimits};
use monev::ingest::source::Format;
use monev::model::{FileResult, FileStatus, Rekap};
use monev::rekap::{NoProgress, RekapConfig, compile};
use monev::score::Rubric;

/// The hardening fixtures folder.
fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hardening")
}

fn fixture(name: &str) -> PathBuf {
    fixtures().join(name)
}

/// The good sample report (Dinas Kesehatan, score 100).
fn good() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/masuk/01-dinkes-lengkap.xlsx")
}

/// Runs the library's rekap over `inputs` in-process, without isolation.
fn rekap_with(inputs: &[PathBuf], limits: Limits) -> Rekap {
    let config = RekapConfig {
        inputs: inputs.to_vec(),
        year: Some(2026),
        allowed_domains: monev::links::default_allowed_domains(),
        now: common::test_now(),
        reading: Reading {
            limits,
            supervisor: None,
        },
    };
    let rubric = Rubric::embedded().expect("rubric");
    compile(
        &common::form(),
        &common::roster(),
        &rubric,
        &config,
        &NoProgress,
    )
    .unwrap_or_else(|e| panic!("rekap {inputs:?}: {e}"))
}

fn rekap(inputs: &[PathBuf]) -> Rekap {
    rekap_with(inputs, Limits::default())
}

/// The one file result of a rekap over a single file.
fn only_file(r: &Rekap) -> &FileResult {
    assert_eq!(r.files.len(), 1, "files: {:#?}", r.files);
    &r.files[0]
}

/// Asserts the file was rejected as unreadable with a reason containing `needle`.
fn assert_unreadable(f: &FileResult, needle: &str) {
    assert_eq!(f.status, FileStatus::Rejected, "{f:#?}");
    let finding = &f.findings[0];
    assert_eq!(finding.code, Code::FileUnreadable, "{f:#?}");
    assert!(
        finding.message.starts_with("Berkas tidak dapat dibaca: ")
            && finding.message.contains(needle),
        "reason {:?} lacks {needle:?}",
        finding.message
    );
}

/// The score of the unit a rekap scored.
fn score_of(r: &Rekap, code: &str) -> Option<(u32, u8)> {
    let u = r.units.iter().find(|u| u.code == code)?;
    Some((u.score?, u.level?))
}

/// `prlimit --as=BYTES` prefix, when prlimit is installed.
fn prlimit() -> Option<PathBuf> {
    ["/usr/bin/prlimit", "/bin/prlimit"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

/// The monev binary, optionally under an address-space cap, isolation off
/// (so the run proves the fix itself) unless `isolated`.
fn monev(memory: Option<u64>, isolated: bool) -> Command {
    let bin = assert_cmd::cargo::cargo_bin("monev");
    let mut cmd = match (memory, prlimit()) {
        (Some(bytes), Some(p)) => {
            let mut c = Command::new(p);
            c.arg(format!("--as={bytes}")).arg(bin);
            c
        }
        (Some(_), None) => {
            eprintln!("prlimit is not installed: memory bound not enforced");
            Command::new(bin)
        }
        (None, _) => Command::new(bin),
    };
    if !isolated {
        cmd.env("MONEV_NO_ISOLATION", "1");
    }
    cmd.timeout(Duration::from_secs(60));
    cmd
}

/// Runs `monev rekap` over `inputs`, returns the JSON and the wall time.
fn rekap_bin(
    mut cmd: Command,
    inputs: &[PathBuf],
    extra: &[&str],
) -> (serde_json::Value, Duration) {
    let out = tempfile::tempdir().expect("tempdir");
    #[cfg(unix)]
    {
        // Writable by a dropped-privilege run (fz-17).
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(out.path(), std::fs::Permissions::from_mode(0o777));
    }
    let json = out.path().join("rekap.json");
    let start = Instant::now();
    cmd.arg("rekap")
        .args(inputs)
        .arg("-o")
        .arg(out.path().join("rekap.xlsx"))
        .arg("--json")
        .arg(&json)
        .arg("-q")
        .args(extra);
    let output = cmd.output().expect("monev runs");
    let took = start.elapsed();
    assert!(
        output.status.success(),
        "monev rekap failed ({:?}, {took:?}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(&json).expect("rekap.json written");
    (serde_json::from_str(&text).expect("valid JSON"), took)
}

/// Status and reason of the file (or skipped entry) whose path ends with `name`.
fn listed(json: &serde_json::Value, name: &str) -> (String, String) {
    for f in json["files"].as_array().into_iter().flatten() {
        if f["path"].as_str().is_some_and(|p| p.ends_with(name)) {
            return (
                f["status"].as_str().unwrap_or_default().to_string(),
                f["reason"].as_str().unwrap_or_default().to_string(),
            );
        }
    }
    for s in json["skipped"].as_array().into_iter().flatten() {
        if s["path"].as_str().is_some_and(|p| p.ends_with(name)) {
            return (
                "skipped".into(),
                s["reason"].as_str().unwrap_or_default().to_string(),
            );
        }
    }
    panic!("{name} is not listed: {json:#}");
}

/// The entries of a zip package.
fn zip_entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    let bytes = std::fs::read(path).expect("read package");
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    (0..zip.len())
        .map(|i| {
            let mut e = zip.by_index(i).expect("entry");
            let mut data = Vec::new();
            e.read_to_end(&mut data).expect("inflate");
            (e.name().expect("entry name").to_string(), data)
        })
        .collect()
}

/// Writes a zip package (the first entry stored, as `mimetype` must be in .ods).
fn write_zip(path: &Path, entries: &[(String, Vec<u8>)]) {
    let file = std::fs::File::create(path).expect("create");
    let mut zip = zip::ZipWriter::new(file);
    for (i, (name, data)) in entries.iter().enumerate() {
        let method = if i == 0 && name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        zip.start_file(name.as_str(), options).expect("entry");
        zip.write_all(data).expect("write");
    }
    zip.finish().expect("finish");
}

/// The good sample with each entry passed through `edit`.
fn edited_sample(path: &Path, edit: impl Fn(&str, Vec<u8>) -> Vec<u8>) {
    let entries: Vec<(String, Vec<u8>)> = zip_entries(&good())
        .into_iter()
        .map(|(n, d)| {
            let d = edit(&n, d);
            (n, d)
        })
        .collect();
    write_zip(path, &entries);
}

fn replace_once(data: Vec<u8>, what: &str, with: &str) -> Vec<u8> {
    let text = String::from_utf8(data).expect("utf-8 part");
    assert!(text.contains(what), "{what} not found");
    text.replacen(what, with, 1).into_bytes()
}

// ---------------------------------------------------------------------------
// .xls generation (port of fz-07-xls-hlink-amplification.py)
// ---------------------------------------------------------------------------

fn rec(kind: u16, data: &[u8]) -> Vec<u8> {
    let mut out = kind.to_le_bytes().to_vec();
    out.extend((data.len() as u16).to_le_bytes());
    out.extend(data);
    out
}

const CLSID_URL: [u8; 16] = [
    0xE0, 0xC9, 0xEA, 0x79, 0xF9, 0xBA, 0xCE, 0x11, 0x8C, 0x82, 0x00, 0xAA, 0x00, 0x4B, 0xA9, 0x0B,
];

fn hlink_data(r0: u16, r1: u16, c0: u16, c1: u16, url: &str) -> Vec<u8> {
    let u: Vec<u8> = url
        .encode_utf16()
        .chain([0])
        .flat_map(u16::to_le_bytes)
        .collect();
    let mut d = Vec::new();
    for v in [r0, r1, c0, c1] {
        d.extend(v.to_le_bytes());
    }
    d.extend(CLSID_URL);
    d.extend(2u32.to_le_bytes());
    d.extend(3u32.to_le_bytes());
    d.extend(CLSID_URL);
    d.extend((u.len() as u32).to_le_bytes());
    d.extend(u);
    d
}

/// An HLINK record, its data beyond 8,224 bytes in CONTINUE records.
fn hlink_records(data: &[u8]) -> Vec<u8> {
    let mut chunks = data.chunks(8224);
    let mut out = rec(0x01B8, chunks.next().unwrap_or_default());
    for c in chunks {
        out.extend(rec(0x003C, c));
    }
    out
}

fn bof(dt: u16) -> Vec<u8> {
    let mut d = Vec::new();
    for v in [0x0600u16, dt, 0x0DBB, 0x07CC] {
        d.extend(v.to_le_bytes());
    }
    d.extend(0u32.to_le_bytes());
    d.extend(6u32.to_le_bytes());
    rec(0x0809, &d)
}

/// A workbook stream: globals naming one sheet "S", then the sheet with `body`.
fn workbook_stream(body: &[u8]) -> Vec<u8> {
    let globals = |off: u32| {
        let mut g = bof(5);
        g.extend(rec(0x0042, &1200u16.to_le_bytes()));
        let mut bs = off.to_le_bytes().to_vec();
        bs.extend([0, 0, 1, 0, b'S']);
        g.extend(rec(0x0085, &bs));
        g.extend(rec(0x000A, b""));
        g
    };
    let off = globals(0).len() as u32;
    let mut s = globals(off);
    s.extend(bof(0x10));
    s.extend(body);
    s.extend(rec(0x000A, b""));
    s
}

/// An OLE compound file holding `streams` (cfb crate).
fn compound_file(streams: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("create");
    for (name, data) in streams {
        file.create_stream(name)
            .expect("stream")
            .write_all(data)
            .expect("write");
    }
    file.flush().expect("flush");
    file.into_inner().into_inner()
}

/// A single-stream OLE compound file with 512-byte sectors holding `stream` as
/// `Workbook`, laid out exactly as the case's script writes it.
fn xls_file(stream: &[u8]) -> Vec<u8> {
    const E: u32 = 0xFFFF_FFFE;
    const F: u32 = 0xFFFF_FFFF;
    const FAT: u32 = 0xFFFF_FFFD;
    let mut data = stream.to_vec();
    data.resize(data.len().max(4096), 0);
    let size = data.len();
    let nd = size.div_ceil(512);
    data.resize(nd * 512, 0);
    let mut nf = 1;
    while nd + 1 + nf > nf * 128 {
        nf += 1;
    }
    let mut fat: Vec<u32> = (0..nd)
        .map(|i| if i + 1 < nd { (i + 1) as u32 } else { E })
        .collect();
    fat.push(E);
    fat.extend(std::iter::repeat_n(FAT, nf));
    fat.resize(nf * 128, F);
    let mut difat: Vec<u32> = (0..nf).map(|i| (nd + 1 + i) as u32).collect();
    difat.resize(109, F);
    let mut out = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    out.extend([0; 16]);
    for v in [0x3Eu16, 3, 0xFFFE, 9, 6] {
        out.extend(v.to_le_bytes());
    }
    out.extend([0; 6]);
    for v in [0, nf as u32, nd as u32, 0, 4096, E, 0, E, 0] {
        out.extend(v.to_le_bytes());
    }
    out.extend(difat.iter().flat_map(|v| v.to_le_bytes()));
    out.extend(&data);
    let dir = |name: &str, typ: u8, start: u32, sz: u64, child: u32| {
        let n: Vec<u8> = name
            .encode_utf16()
            .chain([0])
            .flat_map(u16::to_le_bytes)
            .collect();
        let mut d = n.clone();
        d.resize(64, 0);
        d.extend((n.len() as u16).to_le_bytes());
        d.extend([typ, 1]);
        for v in [F, F, child] {
            d.extend(v.to_le_bytes());
        }
        d.extend([0; 36]);
        d.extend(start.to_le_bytes());
        d.extend(sz.to_le_bytes());
        d
    };
    out.extend(dir("Root Entry", 5, E, 0, 1));
    out.extend(dir("Workbook", 2, 0, size as u64, F));
    out.extend([0; 256]);
    out.extend(fat.iter().flat_map(|v| v.to_le_bytes()));
    out
}

// ---------------------------------------------------------------------------
// Section 1: each case, fixed at its source
// ---------------------------------------------------------------------------

#[test]
fn fz01_sst_unique_count_claim_is_unreadable_not_an_abort() {
    let r = rekap(&[fixture("fz-01-xlsx-sst-uniquecount.xlsx")]);
    assert_unreadable(only_file(&r), "rusak");
}

#[test]
fn fz03_many_styles_cloning_a_long_format_are_refused_in_bounded_memory() {
    let r = rekap(&[fixture("fz-03-xlsx-styles-format-clone.xlsx")]);
    assert_unreadable(only_file(&r), "64000 gaya sel");
    // The whole binary, without isolation, within 1 GB (it took 9.7 GB).
    let (json, took) = rekap_bin(
        monev(Some(1_000_000_000), false),
        &[fixture("fz-03-xlsx-styles-format-clone.xlsx")],
        &[],
    );
    assert_eq!(
        listed(&json, "fz-03-xlsx-styles-format-clone.xlsx").0,
        "rejected"
    );
    assert!(took < Duration::from_secs(20), "{took:?}");
}

#[test]
fn fz04_xls_dimensions_claim_allocates_nothing_and_the_sheet_is_read() {
    let r = rekap(&[fixture("fz-04-xls-dimensions.xls")]);
    // Read normally: it just is no template.
    let f = only_file(&r);
    assert_eq!(f.findings[0].code, Code::FileNotTemplate, "{f:#?}");
}

#[test]
fn fz05_xls_cfb_directory_loop_is_unreadable_at_once() {
    let start = Instant::now();
    let r = rekap(&[fixture("fz-05-xls-cfb-directory-loop.xls")]);
    assert_unreadable(only_file(&r), "rusak");
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn fz06d_xls_cell_at_column_65535_is_refused_before_dense_allocation() {
    let r = rekap(&[fixture("fz-06d-xls-cell-at-column-65535.xls")]);
    assert_unreadable(only_file(&r), "tersebar terlalu luas");
}

/// Found by the mutation fuzzer: fz-06d cut short by 4 bytes. The cfb crate
/// refuses the truncated file, so monev's own survey can't see the far cell,
/// but calamine reads it: the dense range must be refused inside calamine.
#[test]
fn fuzz01_truncated_xls_with_a_cell_beyond_column_iv_is_unreadable() {
    let r = rekap(&[fixture("fuzz-01-xls-truncated-cell-beyond-column-iv.xls")]);
    assert_unreadable(only_file(&r), "rusak");
}

/// Found by the mutation fuzzer: inputs that made calamine panic. fuzz-02:
/// `to_u32` asserted whole u32s in a FAT sector cut short; fuzz-03: a sector
/// starting past the end of the file sliced an inverted range; fuzz-04: the
/// cell reference `D99999999999999999999` overflowed u32; fuzz-05: a sheet
/// offset past the end of the Workbook stream; fuzz-06 and fuzz-07: reversed
/// ranges (`<dimension>`/merges in .xlsx, DIMENSIONS in .xls) overflowed in
/// debug builds. The guard caught the panics, but a panic is a bug: the damaged
/// ones are now plain damaged files, and the reversed ranges read normally.
#[test]
fn fuzz_regressions_are_handled_without_a_panic() {
    for (name, damaged) in [
        ("fuzz-02-xls-truncated-fat-sector.xls", true),
        ("fuzz-03-xls-sector-past-eof.xls", true),
        // Its overflowing cell sits in a sheet the forms do not need, which is
        // never read whole: the report reads normally.
        ("fuzz-04-xlsx-cell-ref-overflow.xlsx", false),
        ("fuzz-05-xls-boundsheet-offset.xls", true),
        ("fuzz-06-xlsx-reversed-range.xlsx", false),
        ("fuzz-07-xls-reversed-dimensions.xls", false),
    ] {
        let r = rekap(&[fixture(name)]);
        let f = only_file(&r);
        if damaged {
            assert_unreadable(f, "rusak");
        }
        assert!(
            f.findings
                .iter()
                .all(|x| !x.message.contains("isinya tidak wajar")),
            "{name}: a panic was caught: {f:#?}"
        );
    }
}

#[test]
fn fz07_xls_hlink_ranges_cost_one_entry_per_record_not_per_cell() {
    let dir = tempfile::tempdir().unwrap();
    // 'big': one HLINK over A1:IV65536 with a 100,000-character URL (was 965 MiB).
    let big = hlink_records(&hlink_data(
        0,
        65535,
        0,
        255,
        &format!("https://drive.google.com/file/d/{}", "A".repeat(100_000)),
    ));
    // 'tile': 1,681 HLINK records covering all 16.7 million cells (was 2.7 GB, 22 s).
    let tile: Vec<u8> = (0..65536u32)
        .step_by(39)
        .flat_map(|r| {
            hlink_records(&hlink_data(
                r as u16,
                (r + 38).min(65535) as u16,
                0,
                255,
                &format!("https://drive.google.com/file/d/{r:030}"),
            ))
        })
        .collect();
    let mut paths = Vec::new();
    for (name, body) in [("big.xls", big), ("tile.xls", tile)] {
        let p = dir.path().join(name);
        std::fs::write(&p, xls_file(&workbook_stream(&body))).unwrap();
        paths.push(p);
    }
    let start = Instant::now();
    let r = rekap(&paths);
    for f in &r.files {
        assert_eq!(f.findings[0].code, Code::FileNotTemplate, "{f:#?}");
    }
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
    let (json, _) = rekap_bin(monev(Some(400_000_000), false), &paths, &[]);
    assert_eq!(listed(&json, "tile.xls").0, "rejected");
}

#[test]
fn fz08a_ods_repeats_are_counted_before_expansion() {
    let r = rekap(&[fixture("fz-08a-ods-repeated-cell-1000-rows.ods")]);
    assert_unreadable(only_file(&r), "lebih dari 250000 sel terisi");
    // Was 2 GB: now refused before calamine expands anything.
    let (json, _) = rekap_bin(
        monev(Some(300_000_000), false),
        &[fixture("fz-08a-ods-repeated-cell-1000-rows.ods")],
        &[],
    );
    assert_eq!(
        listed(&json, "fz-08a-ods-repeated-cell-1000-rows.ods").0,
        "rejected"
    );
}

/// fz-09: the good report with N one-cell rows in Tabel 1 and N two-row merges.
fn merges_workbook(path: &Path, n: usize) {
    edited_sample(path, |name, data| {
        if name != "xl/worksheets/sheet2.xml" {
            return data;
        }
        let rows: String = (100..100 + n)
            .map(|r| {
                format!(r#"<row r="{r}"><c r="C{r}" t="inlineStr"><is><t>k</t></is></c></row>"#)
            })
            .collect();
        let merges: String = (0..n)
            .map(|i| format!(r#"<mergeCell ref="Z{}:Z{}"/>"#, 2 * i + 1, 2 * i + 2))
            .collect();
        let data = replace_once(data, "</sheetData>", &format!("{rows}</sheetData>"));
        replace_once(data, "</mergeCells>", &format!("{merges}</mergeCells>"))
    });
}

#[test]
fn fz09_merged_areas_are_indexed_not_scanned_per_cell() {
    // Rows x merges was quadratic (x4 per doubling: 30,000 took 6.6 s and
    // 120,000 took 108 s in a release build). Four times the rows and merges
    // must now cost about four times as much, not sixteen.
    let dir = tempfile::tempdir().unwrap();
    let time = |n: usize| {
        let p = dir.path().join(format!("m{n}.xlsx"));
        merges_workbook(&p, n);
        let start = Instant::now();
        let r = rekap(&[p]);
        let took = start.elapsed();
        assert_eq!(only_file(&r).status, FileStatus::Used, "{:#?}", r.files);
        took
    };
    let small = time(4_000);
    let large = time(16_000);
    assert!(
        large < small * 9,
        "4x the rows took {:.1}x as long ({small:?} -> {large:?})",
        large.as_secs_f64() / small.as_secs_f64()
    );
}

#[test]
fn a_part_opened_again_and_again_counts_each_time_against_the_unpacked_limit() {
    // 150 extra sheets all point at one 2.5 MB part: its declared size
    // counts once in the package (far under the limit), but reading the
    // head of every sheet opens it 150 times (375 MB unpacked).
    const COPIES: usize = 150;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bagian-berulang.xlsx");
    let mut entries: Vec<(String, Vec<u8>)> = zip_entries(&good())
        .into_iter()
        .map(|(n, d)| match n.as_str() {
            "xl/workbook.xml" => {
                let sheets: String = (0..COPIES)
                    .map(|i| {
                        format!(r#"<sheet name="Salinan {i}" sheetId="{}" r:id="rIdX{i}"/>"#, 100 + i)
                    })
                    .collect();
                let d = replace_once(d, "</sheets>", &format!("{sheets}</sheets>"));
                (n, d)
            }
            "xl/_rels/workbook.xml.rels" => {
                let rels: String = (0..COPIES)
                    .map(|i| format!(r#"<Relationship Id="rIdX{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/besar.xml"/>"#))
                    .collect();
                let d = replace_once(d, "</Relationships>", &format!("{rels}</Relationships>"));
                (n, d)
            }
            _ => (n, d),
        })
        .collect();
    let padding = "x".repeat(2_500_000);
    entries.push((
        "xl/worksheets/besar.xml".into(),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><!--{padding}--><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>catatan</t></is></c></row></sheetData></worksheet>"#
        )
        .into_bytes(),
    ));
    write_zip(&path, &entries);

    let r = rekap(std::slice::from_ref(&path));
    let f = only_file(&r);
    // The report itself is read and scored; the copies past the budget are
    // listed as unread with the reason.
    assert_eq!(f.status, FileStatus::Used, "{f:#?}");
    assert_eq!(score_of(&r, "dinkes"), Some((100, 5)));
    let unread: Vec<&str> = f
        .findings
        .iter()
        .filter(|x| x.code == Code::FileSheetUnread)
        .map(|x| x.message.as_str())
        .collect();
    assert!(!unread.is_empty(), "{:#?}", f.findings);
    assert!(
        unread
            .iter()
            .all(|m| m.contains("terlalu besar setelah dibuka")),
        "{unread:#?}"
    );
    assert!(unread.len() < COPIES, "the first copies fit the budget");
}

#[test]
fn fz12_a_workbook_claiming_100000_sheets_is_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("s.xlsx");
    let n = 100_000;
    edited_sample(&p, |name, data| match name {
        "xl/workbook.xml" => {
            let extra: String = (0..n)
                .map(|i| {
                    format!(
                        r#"<sheet name="S{i}" sheetId="{}" r:id="rIdS{i}"/>"#,
                        1000 + i
                    )
                })
                .collect();
            replace_once(data, "</sheets>", &format!("{extra}</sheets>"))
        }
        "xl/_rels/workbook.xml.rels" => {
            let extra: String = (0..n)
                .map(|i| format!(r#"<Relationship Id="rIdS{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet5.xml"/>"#))
                .collect();
            replace_once(
                data,
                "</Relationships>",
                &format!("{extra}</Relationships>"),
            )
        }
        _ => data,
    });
    let start = Instant::now();
    let r = rekap(&[p]);
    let took = start.elapsed();
    assert_unreadable(only_file(&r), "paling banyak 255");
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[cfg(unix)]
#[test]
fn fz15_a_fifo_in_the_input_folder_is_skipped_not_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(good(), dir.path().join("01-dinkes-lengkap.xlsx")).unwrap();
    let fifo = dir.path().join("pipa.xlsx");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let (json, took) = rekap_bin(monev(None, true), &[dir.path().to_path_buf()], &[]);
    let (status, reason) = listed(&json, "pipa.xlsx");
    assert_eq!(status, "skipped");
    assert!(reason.contains("FIFO"), "{reason}");
    assert_eq!(listed(&json, "01-dinkes-lengkap.xlsx").0, "used");
    assert!(took < Duration::from_secs(20), "{took:?}");
    // Named directly, too.
    let r = rekap(&[fifo]);
    assert!(r.files.is_empty());
    assert!(r.skipped[0].reason.contains("bukan berkas biasa"));
}

#[cfg(unix)]
#[test]
fn fz16_a_link_to_dev_zero_is_skipped_and_a_huge_file_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(good(), dir.path().join("01-dinkes-lengkap.xlsx")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("nol.xlsx")).unwrap();
    let huge = std::fs::File::create(dir.path().join("raksasa.xlsx")).unwrap();
    huge.set_len(3 << 30).unwrap(); // 3 GiB, sparse
    drop(huge);
    let (json, took) = rekap_bin(
        monev(Some(1_000_000_000), true),
        &[dir.path().to_path_buf()],
        &[],
    );
    let (status, reason) = listed(&json, "nol.xlsx");
    assert_eq!(status, "skipped");
    assert!(reason.contains("perangkat"), "{reason}");
    let (status, reason) = listed(&json, "raksasa.xlsx");
    assert_eq!(status, "rejected");
    assert!(
        reason.contains("3072,0 MiB melebihi batas 20,0 MiB") && reason.contains("--batas-ukuran"),
        "{reason}"
    );
    assert_eq!(listed(&json, "01-dinkes-lengkap.xlsx").0, "used");
    assert!(took < Duration::from_secs(20), "{took:?}");
}

#[test]
fn batas_ukuran_sets_the_size_limit_in_mib() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("besar.xlsx");
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(3 * 1024 * 1024 / 2).unwrap(); // 1.5 MiB
    drop(f);
    let (json, _) = rekap_bin(
        monev(None, false),
        std::slice::from_ref(&p),
        &["--batas-ukuran", "1"],
    );
    let (status, reason) = listed(&json, "besar.xlsx");
    assert_eq!(status, "rejected");
    assert!(
        reason.contains("1,5 MiB melebihi batas 1,0 MiB"),
        "{reason}"
    );
    // Under the default 20 MiB it is read (and found broken, not too big).
    let (json, _) = rekap_bin(monev(None, false), &[p], &[]);
    assert!(listed(&json, "besar.xlsx").1.contains("rusak"));
}

#[cfg(unix)]
#[test]
fn fz17_an_unreadable_subfolder_is_listed_and_the_walk_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o777)).unwrap();
    let input = root.join("in");
    let locked = input.join("terkunci");
    std::fs::create_dir_all(&locked).unwrap();
    std::fs::copy(good(), input.join("01-dinkes-lengkap.xlsx")).unwrap();
    std::fs::copy(good(), locked.join("01-dinkes-lengkap.xlsx")).unwrap();
    for (p, mode) in [(&input, 0o777), (&locked, 0o000)] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let file = input.join("01-dinkes-lengkap.xlsx");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    // Root reads anything: drop to `nobody` as the case's script does.
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let bin = assert_cmd::cargo::cargo_bin("monev");
    let mut cmd = if is_root {
        if !Path::new("/usr/bin/setpriv").is_file() {
            eprintln!("skipped: running as root without setpriv");
            return;
        }
        let mut c = Command::new("/usr/bin/setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.timeout(Duration::from_secs(60));
    let (json, _) = rekap_bin(cmd, std::slice::from_ref(&input), &[]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (status, reason) = listed(&json, "terkunci");
    assert_eq!(status, "skipped");
    assert!(reason.contains("akses ditolak"), "{reason}");
    // Files are named below the input folder: the report in `in/` is just its name.
    assert_eq!(listed(&json, "01-dinkes-lengkap.xlsx").0, "used");
}

#[cfg(unix)]
#[test]
fn fz18_an_out_of_range_modification_time_is_ignored() {
    // ext4 clamps such times; tmpfs keeps them.
    let shm = Path::new("/dev/shm");
    if !shm.is_dir() {
        eprintln!("skipped: no /dev/shm");
        return;
    }
    let dir = tempfile::tempdir_in(shm).unwrap();
    let p = dir.path().join("01-dinkes-lengkap.xlsx");
    std::fs::copy(good(), &p).unwrap();
    for secs in [10_000_000_000_000i64, -10_000_000_000_000] {
        let t = if secs > 0 {
            std::time::UNIX_EPOCH + Duration::from_secs(secs as u64)
        } else {
            std::time::UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs())
        };
        let f = std::fs::File::options().write(true).open(&p).unwrap();
        if f.set_modified(t).is_err() {
            eprintln!("skipped: the file system refuses time {secs}");
            continue;
        }
        drop(f);
        let r = rekap(std::slice::from_ref(&p));
        assert_eq!(score_of(&r, "dinkes"), Some((100, 5)), "mtime {secs}");
        let (json, _) = rekap_bin(monev(None, false), std::slice::from_ref(&p), &[]);
        assert_eq!(listed(&json, "01-dinkes-lengkap.xlsx").0, "used");
    }
}

#[test]
fn fz19a_an_xls_named_xlsx_keeps_its_hyperlinks() {
    let r = rekap(&[fixture("fz-19a-xls-saved-as-xlsx-name.xlsx")]);
    let f = only_file(&r);
    assert_eq!(f.format, Format::Xls, "the content decides the format");
    assert_eq!(score_of(&r, "dinkes"), Some((100, 5)), "{:#?}", f.findings);
}

#[test]
fn fz19b_an_ods_named_xlsx_keeps_its_hyperlinks() {
    let ods =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/masuk/03-kec-serang-libreoffice.ods");
    let proper = rekap(std::slice::from_ref(&ods));
    let dir = tempfile::tempdir().unwrap();
    let renamed = dir.path().join("03-kec-serang-libreoffice.xlsx");
    std::fs::copy(&ods, &renamed).unwrap();
    let r = rekap(&[renamed]);
    assert_eq!(only_file(&r).format, Format::Ods);
    let unit = proper.files[0].unit.clone().expect("unit recognised");
    assert!(score_of(&proper, &unit).is_some());
    assert_eq!(score_of(&r, &unit), score_of(&proper, &unit));
    assert_eq!(r.files[0].findings.len(), proper.files[0].findings.len());
}

#[test]
fn fz21_password_protected_workbooks_are_told_to_remove_the_password() {
    let dir = tempfile::tempdir().unwrap();
    // .xls with FILEPASS (the case's fixture).
    let mut inputs = vec![fixture("fz-21b-xls-filepass.xls")];
    // .xlsx encrypted by Excel: an OLE file with EncryptionInfo + EncryptedPackage.
    let xlsx = dir.path().join("terkunci.xlsx");
    std::fs::write(
        &xlsx,
        compound_file(&[
            ("/EncryptionInfo", vec![4, 0, 4, 0, 0x40, 0, 0, 0]),
            ("/EncryptedPackage", vec![0x5A; 5000]),
        ]),
    )
    .unwrap();
    inputs.push(xlsx);
    // .ods saved with a password: manifest encryption-data.
    let ods = dir.path().join("terkunci.ods");
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="3000">
  <manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA">
   <manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="AAAA"/>
  </manifest:encryption-data>
 </manifest:file-entry>
</manifest:manifest>"#;
    write_zip(
        &ods,
        &[
            (
                "mimetype".into(),
                b"application/vnd.oasis.opendocument.spreadsheet".to_vec(),
            ),
            ("META-INF/manifest.xml".into(), manifest.as_bytes().to_vec()),
            ("content.xml".into(), vec![0x17; 3000]),
        ],
    );
    inputs.push(ods);
    let r = rekap(&inputs);
    assert_eq!(r.files.len(), 3);
    for f in &r.files {
        assert_unreadable(f, "dilindungi kata sandi");
        assert!(f.findings[0].message.contains("hapus kata sandinya"));
    }
}

#[test]
fn fz22_a_truncated_ods_is_unreadable_at_once() {
    // In the binary with a timeout: a regression would hang, not fail.
    let (json, took) = rekap_bin(
        monev(None, false),
        &[fixture("fz-22-ods-truncated-content-hang.ods")],
        &[],
    );
    let (status, reason) = listed(&json, "fz-22-ods-truncated-content-hang.ods");
    assert_eq!(status, "rejected");
    assert!(reason.contains("rusak"), "{reason}");
    assert!(took < Duration::from_secs(10), "{took:?}");
}

// ---------------------------------------------------------------------------
// Isolation: what no guard can foresee
// ---------------------------------------------------------------------------

fn supervisor(time: Duration) -> Supervisor {
    Supervisor::new(
        assert_cmd::cargo::cargo_bin("monev"),
        vec!["pekerja-baca".into()],
        WorkerLimits {
            memory_bytes: 512 * 1024 * 1024,
            time,
        },
    )
    .env(TEST_FAULTS_ENV, "1")
}

/// Has the supervisor's worker read `bytes` as an .xlsx named `name`.
fn in_worker(s: &Supervisor, name: &str, bytes: &[u8]) -> Verdict {
    let input = monev::ingest::source::Input::in_memory(name, name, Format::Xlsx, bytes.to_vec());
    s.read(&input, &common::form(), &common::roster())
}

/// The unit the worker read the good report as; panics on any other verdict.
fn read_unit(v: Verdict) -> String {
    match v {
        Verdict::Read(Ok(sub)) => sub.unit,
        other => panic!("expected the report read, got {other:?}"),
    }
}

#[test]
fn a_worker_that_aborts_or_hangs_costs_only_its_file_and_is_replaced() {
    let s = supervisor(Duration::from_secs(3));
    let good_bytes = std::fs::read(good()).unwrap();
    assert_eq!(read_unit(in_worker(&s, "baik.xlsx", &good_bytes)), "dinkes");
    assert!(matches!(
        in_worker(&s, "mati.xlsx", b"MONEV-TEST-ABORT"),
        Verdict::Died
    ));
    // A new worker takes over.
    assert_eq!(read_unit(in_worker(&s, "baik.xlsx", &good_bytes)), "dinkes");
    let start = Instant::now();
    assert!(matches!(
        in_worker(&s, "macet.xlsx", b"MONEV-TEST-HANG"),
        Verdict::Died
    ));
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(read_unit(in_worker(&s, "baik.xlsx", &good_bytes)), "dinkes");
}

#[test]
fn a_worker_over_its_memory_cap_dies_and_is_replaced() {
    let s = supervisor(Duration::from_secs(20));
    // The worker allocates 4 GiB for this file: over its 512 MiB cap.
    assert!(matches!(
        in_worker(&s, "besar.xlsx", b"MONEV-TEST-OOM"),
        Verdict::Died
    ));
    let good_bytes = std::fs::read(good()).unwrap();
    assert_eq!(read_unit(in_worker(&s, "baik.xlsx", &good_bytes)), "dinkes");
}

#[test]
fn a_worker_reports_a_rejection_as_the_in_process_read_would() {
    let s = supervisor(Duration::from_secs(20));
    match in_worker(&s, "bukan.xlsx", b"bukan lembar kerja") {
        Verdict::Read(Err(rejection)) => {
            assert_eq!(rejection.finding.code, Code::FileUnreadable);
            assert_eq!(rejection.finding.location.file, "bukan.xlsx");
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[test]
fn rekap_rejects_the_file_that_killed_a_worker_and_keeps_every_other() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(good(), dir.path().join("01-dinkes-lengkap.xlsx")).unwrap();
    std::fs::write(dir.path().join("mati.xlsx"), b"MONEV-TEST-ABORT").unwrap();
    let mut cmd = monev(None, true);
    cmd.env(TEST_FAULTS_ENV, "1");
    let (json, _) = rekap_bin(cmd, &[dir.path().to_path_buf()], &[]);
    let (status, reason) = listed(&json, "mati.xlsx");
    assert_eq!(status, "rejected");
    assert!(
        reason.contains("berkas terlalu besar atau rusak"),
        "{reason}"
    );
    assert_eq!(listed(&json, "01-dinkes-lengkap.xlsx").0, "used");
    let dinkes = json["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == "dinkes")
        .unwrap();
    assert_eq!(dinkes["score"], 100);
}

// ---------------------------------------------------------------------------
// Section 2: the corpus in one rekap
// ---------------------------------------------------------------------------

/// Every hostile fixture, generated case and a good report in one `rekap`:
/// the good report is scored, every hostile file is listed with a reason, and
/// the run stays under 60 s and 1 GB.
#[test]
fn corpus_of_hostile_files_beside_a_good_report() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("masuk");
    std::fs::create_dir(&input).unwrap();
    std::fs::copy(good(), input.join("01-dinkes-lengkap.xlsx")).unwrap();
    let mut hostile = Vec::new();
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        // The xls saved under an .xlsx name is a good report too (same unit).
        if name.starts_with("fz-19a") {
            continue;
        }
        std::fs::copy(&p, input.join(&name)).unwrap();
        hostile.push(name);
    }
    std::fs::write(
        input.join("fz-07-tile.xls"),
        xls_file(&workbook_stream(
            &(0..65536u32)
                .step_by(39)
                .flat_map(|r| {
                    hlink_records(&hlink_data(
                        r as u16,
                        (r + 38).min(65535) as u16,
                        0,
                        255,
                        &format!("https://drive.google.com/file/d/{r:030}"),
                    ))
                })
                .collect::<Vec<u8>>(),
        )),
    )
    .unwrap();
    hostile.push("fz-07-tile.xls".into());
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/dev/zero", input.join("nol.xlsx")).unwrap();
        hostile.push("nol.xlsx".into());
        if std::process::Command::new("mkfifo")
            .arg(input.join("pipa.xlsx"))
            .status()
            .is_ok_and(|s| s.success())
        {
            hostile.push("pipa.xlsx".into());
        }
    }
    let f = std::fs::File::create(input.join("raksasa.xlsx")).unwrap();
    f.set_len(3 << 30).unwrap();
    drop(f);
    hostile.push("raksasa.xlsx".into());

    let (json, took) = rekap_bin(monev(Some(1_000_000_000), true), &[input], &[]);
    assert!(took < Duration::from_secs(60), "{took:?}");
    let dinkes = json["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == "dinkes")
        .unwrap();
    assert_eq!(
        (dinkes["score"].as_u64(), dinkes["level"].as_u64()),
        (Some(100), Some(5))
    );
    for name in &hostile {
        let (status, reason) = listed(&json, name);
        // A fuzz find whose only fault was a reversed range reads normally now,
        // and so does one whose fault sits in a sheet monev does not read.
        if name.starts_with("fuzz-06") || name.starts_with("fuzz-04") {
            continue;
        }
        assert!(
            status == "rejected" || status == "skipped",
            "{name}: {status}"
        );
        assert!(!reason.trim().is_empty(), "{name} has no reason");
    }
}

/// fz-13 and fz-14: input text beyond Excel's limits (a 40,000-character sheet
/// name; a cell of 16,384 emoji, 32,768 UTF-16 units) never stops the outputs:
/// the rekap, its JSON and the feedback are all written, the texts cut. (The
/// files are good reports otherwise, so they live apart from the hostile
/// corpus, in `tests/fixtures/long-text/`.)
#[test]
fn fz13_fz14_over_long_input_text_never_stops_the_outputs() {
    for name in [
        "fz-13-xlsx-40000-char-sheet-name.xlsx",
        "fz-14-xlsx-16384-emoji-cell.xlsx",
    ] {
        let out = tempfile::tempdir().unwrap();
        let status = Command::cargo_bin("monev")
            .unwrap()
            .arg("rekap")
            .arg(
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("tests/fixtures/long-text")
                    .join(name),
            )
            .args(["-q", "--tahun", "2026", "-o"])
            .arg(out.path().join("rekap.xlsx"))
            .arg("--json")
            .arg(out.path().join("rekap.json"))
            .arg("--umpan-balik")
            .arg(out.path().join("ub"))
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&status.stderr)
        );
        for written in ["rekap.xlsx", "rekap.json"] {
            assert!(out.path().join(written).exists(), "{name}: {written}");
        }
        let feedback = std::fs::read_dir(out.path().join("ub")).unwrap().count();
        assert_eq!(feedback, 1, "{name}: one feedback workbook");
    }
}
