//! Checks made on a file's bytes before any dependency parses them, and the
//! reading entry point that applies them: [`read_checked`].
//!
//! Every limit here gives the file a `file.unreadable` finding with an
//! Indonesian reason, never a hang or an out-of-memory:
//!
//! * the format is taken from the content, not the name (fz-19: an .xls or
//!   .ods saved under a `.xlsx` name lost every hyperlink), and an encrypted
//!   workbook (.xlsx in an OLE `EncryptedPackage`, .xls with FILEPASS, .ods
//!   with manifest encryption) is told to remove its password (fz-21);
//! * .xls: the sheet count, and each sheet's cells and the area calamine
//!   allocates densely for them (fz-04, fz-06d), from the records themselves;
//! * .ods: the sheet count, and each table's cells *counting repeats* and
//!   their area, before calamine expands `number-columns-repeated` (fz-08);
//! * .xlsx: the sheet count (fz-12: 100,000 listed sheets), and the number of
//!   cell styles (fz-03: 100,000 `<xf>` each cloning a long number format);
//! * anything a check can't foresee (an abort, an endless loop in a
//!   dependency) is caught by the optional worker isolation
//!   ([`super::isolate::Supervisor`]) when one is configured.

use std::io::{BufReader, Cursor};
use std::sync::Arc;

use quick_xml::events::Event;

use super::isolate::{Supervisor, Verdict};
use super::source::{Format, Input};
use super::workbook::{MAX_CELLS, MAX_SHEETS};
use super::{Rejection, Submission};
use crate::finding::{Code, Finding, Location};
use crate::form::Form;
use crate::roster::Roster;

/// Default largest input file: 20 MiB (a filled report is about 20 KiB).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;
/// Largest area (rows × columns) spanned by one sheet's cells in .xls and
/// .ods, which calamine stores densely: 4 million cells (about 128 MiB).
pub const MAX_DENSE_CELLS: u64 = 4_000_000;
/// Most cell styles (`<xf>`) an .xlsx may define: Excel's own limit.
pub const MAX_STYLES: usize = 64_000;

/// The reason given for a password-protected workbook.
pub const PASSWORD: &str = "berkas dilindungi kata sandi. Buka berkas itu, hapus kata sandinya (di Excel: File > Info > Protect Workbook > Encrypt with Password, kosongkan), simpan, lalu kirim kembali";

/// Limits applied while loading and reading inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read, in bytes (`--batas-ukuran`, given in MiB). Larger
    /// files are rejected from their metadata, before anything is read.
    pub max_file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
        }
    }
}

/// How inputs are read: the limits, and the worker isolation when the caller
/// provides a worker program (the `monev` binary does; a library user may not).
#[derive(Debug, Clone, Default)]
pub struct Reading {
    pub limits: Limits,
    /// When set, each file is first read by a supervised worker process with
    /// a memory cap and a time limit; a file that kills it is rejected.
    pub supervisor: Option<Arc<Supervisor>>,
}

/// What the bytes are, by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    /// A spreadsheet in this format.
    Sheet(Format),
    /// An encrypted Office document (OLE file with `EncryptionInfo`).
    Encrypted,
    /// Nothing monev recognises.
    Unknown,
}

/// The OLE compound file signature (.xls, encrypted .xlsx).
const CFB: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Detects the format from the content: an OLE compound file is .xls unless it
/// holds an encrypted OOXML package; a zip is .xlsx or .ods by its parts.
pub fn detect(bytes: &[u8]) -> Detected {
    if bytes.starts_with(&CFB) {
        let has = |name: &str| {
            let needle: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
            bytes.windows(needle.len()).any(|w| w == needle.as_slice())
        };
        return if has("EncryptedPackage") || has("EncryptionInfo") {
            Detected::Encrypted
        } else {
            Detected::Sheet(Format::Xls)
        };
    }
    super::source::sniff(bytes).map_or(Detected::Unknown, Detected::Sheet)
}

/// The pre-open checks for bytes of a known format. `Err` is the reason, in
/// Indonesian, without a final full stop.
pub fn check(bytes: &[u8], format: Format) -> Result<(), String> {
    match format {
        Format::Xls => check_xls(bytes),
        Format::Ods => check_ods(bytes),
        Format::Xlsx | Format::Xlsm => check_xlsx(bytes),
    }
}

fn too_many_sheets(n: usize) -> String {
    format!(
        "buku kerja berisi {n} lembar (paling banyak {MAX_SHEETS}); berkas tidak wajar untuk laporan ini"
    )
}

/// The cell count and dense area of one sheet, against the limits.
fn check_cells(sheet: &str, cells: u64, area: u64) -> Result<(), String> {
    if cells > MAX_CELLS as u64 {
        return Err(format!(
            "lembar '{sheet}' berisi lebih dari {MAX_CELLS} sel terisi; berkas tidak wajar untuk laporan ini"
        ));
    }
    if area > MAX_DENSE_CELLS {
        return Err(format!(
            "isi lembar '{sheet}' tersebar terlalu luas ({area} sel dari sel terisi pertama sampai terakhir; paling banyak {MAX_DENSE_CELLS}). Hapus isi sel jauh di luar tabel, simpan, lalu kirim kembali"
        ));
    }
    Ok(())
}

fn check_xls(bytes: &[u8]) -> Result<(), String> {
    let Some(survey) = super::xls::survey(bytes, MAX_SHEETS) else {
        return Ok(());
    };
    if survey.encrypted {
        return Err(PASSWORD.into());
    }
    if survey.sheets > MAX_SHEETS {
        return Err(too_many_sheets(survey.sheets));
    }
    for (name, cells, area) in &survey.cells {
        check_cells(name, *cells as u64, *area)?;
    }
    Ok(())
}

fn check_xlsx(bytes: &[u8]) -> Result<(), String> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    // The sheets the workbook lists, counted before calamine builds them (fz-12).
    if let Ok(workbook) = zip.by_name("xl/workbook.xml") {
        let mut reader = quick_xml::Reader::from_reader(BufReader::new(workbook));
        let mut buf = Vec::new();
        let mut sheets = 0usize;
        loop {
            match reader.read_event_into(&mut buf) {
                Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "sheet" => {
                    sheets += 1;
                }
                Ok(Event::End(e)) if e.local_name().as_ref() == "sheets" => break,
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
            buf.clear();
        }
        if sheets > MAX_SHEETS {
            return Err(too_many_sheets(sheets));
        }
    }
    let Ok(styles) = zip.by_name("xl/styles.xml") else {
        return Ok(());
    };
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(styles));
    let mut buf = Vec::new();
    let mut xfs = 0usize;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "xf" => {
                xfs += 1;
                if xfs > MAX_STYLES {
                    return Err(format!(
                        "berkas memuat lebih dari {MAX_STYLES} gaya sel; berkas tidak wajar untuk laporan ini"
                    ));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

fn check_ods(bytes: &[u8]) -> Result<(), String> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    if let Ok(manifest) = zip.by_name("META-INF/manifest.xml") {
        let mut reader = quick_xml::Reader::from_reader(BufReader::new(manifest));
        let mut buf = Vec::new();
        loop {
            match reader.read_event_into(&mut buf) {
                Ok(Event::Start(e) | Event::Empty(e))
                    if e.local_name().as_ref() == "encryption-data" =>
                {
                    return Err(PASSWORD.into());
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
            buf.clear();
        }
    }
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(());
    };
    ods_tables(BufReader::new(content))
}

/// Walks `content.xml` counting each table's non-empty cells with their
/// repeats, and the area they span, without expanding anything.
fn ods_tables<R: std::io::BufRead>(input: R) -> Result<(), String> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut tables = 0usize;
    let mut name = String::new();
    let (mut row, mut col) = (0u64, 0u64);
    let mut row_repeat = 1u64;
    let mut cells = 0u64;
    let (mut r0, mut r1, mut c0, mut c1) = (u64::MAX, 0u64, u64::MAX, 0u64);
    let repeat = |e: &quick_xml::events::BytesStart, key: &str| -> u64 {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == key)
            .and_then(|a| a.value.trim().parse::<u64>().ok())
            .unwrap_or(1)
            .clamp(1, 1 << 32)
    };
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break,
            Ok(e) => e,
        };
        let is_start = matches!(event, Event::Start(_));
        match event {
            Event::Start(e) if e.name().as_ref() == "table:table" => {
                tables += 1;
                if tables > MAX_SHEETS {
                    return Err(too_many_sheets(tables));
                }
                name = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.as_ref() == "table:name")
                    .map(|a| a.value.into_owned())
                    .unwrap_or_default();
                (row, cells) = (0, 0);
                (r0, r1, c0, c1) = (u64::MAX, 0, u64::MAX, 0);
            }
            Event::End(e) if e.name().as_ref() == "table:table" => {
                let area = if cells == 0 {
                    0
                } else {
                    (r1 - r0 + 1).saturating_mul(c1 - c0 + 1)
                };
                check_cells(&name, cells, area)?;
            }
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                row_repeat = repeat(&e, "table:number-rows-repeated");
                col = 0;
            }
            Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                row = row.saturating_add(repeat(&e, "table:number-rows-repeated"));
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                row = row.saturating_add(row_repeat);
            }
            Event::Start(e) | Event::Empty(e)
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                let n = repeat(&e, "table:number-columns-repeated");
                // A cell with a value type, or with content (a Start), counts as filled.
                let filled = is_start
                    || e.attributes()
                        .flatten()
                        .any(|a| a.key.as_ref() == "office:value-type");
                if filled {
                    cells = cells.saturating_add(n.saturating_mul(row_repeat));
                    r0 = r0.min(row);
                    r1 = r1.max(row.saturating_add(row_repeat - 1));
                    c0 = c0.min(col);
                    c1 = c1.max(col.saturating_add(n - 1));
                    if cells > MAX_CELLS as u64 {
                        return check_cells(&name, cells, 0);
                    }
                }
                col = col.saturating_add(n);
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

/// Reads one input with every guard: a refusal made while loading (too big,
/// locked), the format by content, the password and pre-open checks, the
/// worker isolation when configured, then [`super::read_guarded`].
pub fn read_checked(
    input: &mut Input,
    form: &Form,
    roster: &Roster,
    reading: &Reading,
) -> Result<Submission, Box<Rejection>> {
    let path = input.path.clone();
    let reject = |message: String| {
        Box::new(Rejection {
            finding: Finding::new(Code::FileUnreadable, Location::file(&path), message),
            own_output: None,
            unit: None,
            year: None,
        })
    };
    if let Some(reason) = input.refused.take() {
        return Err(reject(reason));
    }
    match detect(&input.bytes) {
        Detected::Encrypted => {
            return Err(reject(format!("Berkas tidak dapat dibaca: {PASSWORD}.")));
        }
        // An .xlsm is an .xlsx package: keep the name's more precise format.
        Detected::Sheet(Format::Xlsx) if input.format == Format::Xlsm => {}
        Detected::Sheet(f) => input.format = f,
        Detected::Unknown => {}
    }
    if let Err(reason) = check(&input.bytes, input.format) {
        return Err(reject(format!("Berkas tidak dapat dibaca: {reason}.")));
    }
    if let Some(supervisor) = &reading.supervisor {
        let verdict = supervisor.read(input, form, roster);
        if !matches!(verdict, Verdict::Unavailable) {
            // A worker took the file: its bytes are no longer needed here.
            input.bytes = Vec::new();
        }
        match verdict {
            Verdict::Read(outcome) => return outcome,
            Verdict::Died => {
                return Err(reject(
                    "Berkas tidak dapat dibaca: berkas terlalu besar atau rusak (pembacaannya melampaui batas memori atau waktu). Buka dan simpan ulang berkas di Excel, lalu kirim kembali.".into(),
                ));
            }
            // No worker could start: read here, unisolated.
            Verdict::Unavailable => {}
        }
    }
    super::read_guarded(input, form, roster)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ods_content(body: &str) -> Result<(), String> {
        ods_tables(BufReader::new(body.as_bytes()))
    }

    #[test]
    fn ods_repeats_are_counted_before_expansion() {
        let bomb = r#"<table:table table:name="Bom"><table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#;
        let e = ods_content(bomb).unwrap_err();
        assert!(e.contains("'Bom'") && e.contains("250000"), "{e}");
        let fine = r#"<table:table table:name="T"><table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row><table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#;
        assert_eq!(ods_content(fine), Ok(()));
    }

    #[test]
    fn ods_cells_spread_far_apart_are_refused() {
        let far = r#"<table:table table:name="Jauh"><table:table-row><table:table-cell office:value-type="float"/></table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16000"/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="16000"/><table:table-cell office:value-type="float"/></table:table-row></table:table>"#;
        let e = ods_content(far).unwrap_err();
        assert!(e.contains("terlalu luas"), "{e}");
    }

    #[test]
    fn content_decides_the_format() {
        assert_eq!(detect(b"PK\x03\x04 rusak"), Detected::Unknown);
        let mut cfb = CFB.to_vec();
        cfb.extend([0; 100]);
        assert_eq!(detect(&cfb), Detected::Sheet(Format::Xls));
        cfb.extend("EncryptionInfo".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(detect(&cfb), Detected::Encrypted);
    }
}
