//! Writes a [`Book`] as an Excel 97-2003 workbook (.xls, BIFF8) for
//! `monev contoh`.
//!
//! The file is an OLE compound file [MS-CFB] (version 3, 512-byte sectors,
//! written with the `cfb` crate, every timestamp zero so the same book gives
//! the same bytes) holding three streams:
//!
//! * `Workbook` [MS-XLS 2.1.2]: the globals substream — BOF, the interface
//!   and workbook settings records with their defaults (WRITEACCESS,
//!   CODEPAGE 1200 i.e. UTF-16, DSF, WINDOW1, BACKUP, HIDEOBJ, DATEMODE 1900,
//!   PRECISION, REFRESHALL, BOOKBOOL, USESELFS, COUNTRY), four FONT records
//!   (Arial 10; index 4 is never used, 2.5.129), FORMAT 164 `dd/mm/yyyy`, the
//!   15 style XFs and the default cell XF every workbook has (2.4.353) plus
//!   one for dates and one for wrapped text, the Normal STYLE, one
//!   BOUNDSHEET8 per sheet (2.4.28; `_monev` keeps its very hidden state),
//!   the shared strings in SST with CONTINUE records (2.4.265, 2.4.58) and
//!   their EXTSST index (2.4.107), EOF — then per sheet: BOF,
//!   DEFAULTROWHEIGHT, WSBOOL, COLINFO widths (2.4.53), DIMENSIONS (2.4.90),
//!   the cells as LABELSST (2.4.149) and NUMBER (2.4.180; a date is a number
//!   with the date XF, as Excel stores it), WINDOW2 (2.4.346), MERGEDCELLS
//!   (2.4.168), one HLINK per hyperlink (2.4.140: a Hyperlink Object
//!   [MS-OSHARED 2.3.7.1] with the cell text as display name and a URL
//!   moniker), EOF.
//! * `\x05SummaryInformation` and `\x05DocumentSummaryInformation` [MS-OLEPS
//!   2.21]: title, subject, author, comments, creation and last-save times,
//!   company, and the custom properties in the user-defined section with
//!   their dictionary (2.17), as LibreOffice writes them when it saves an
//!   .xlsx as .xls: code page 65001 (UTF-8) and VT_LPSTR strings; the year
//!   is a VT_I4 as in the .xlsx.
//!
//! Not written: fonts, fills and borders beyond the defaults, row heights,
//! sheet protection, data validation, print setup (see [`super::grid`]).

use std::io::{Cursor, Write};

use chrono::NaiveDateTime;

use super::grid::{Book, PropValue, Sheet, Value, Visibility};
// The URL moniker CLSID is the one monev's .xls reader recognises.
use crate::ingest::xls::CLSID_URL_MONIKER;

/// Record types [MS-XLS 2.3].
mod rt {
    pub const BOF: u16 = 0x0809;
    pub const EOF: u16 = 0x000A;
    pub const CODEPAGE: u16 = 0x0042;
    pub const WINDOW1: u16 = 0x003D;
    pub const FONT: u16 = 0x0031;
    pub const FORMAT: u16 = 0x041E;
    pub const XF: u16 = 0x00E0;
    pub const STYLE: u16 = 0x0293;
    pub const BOUNDSHEET: u16 = 0x0085;
    pub const SST: u16 = 0x00FC;
    pub const CONTINUE: u16 = 0x003C;
    pub const EXTSST: u16 = 0x00FF;
    pub const COLINFO: u16 = 0x007D;
    pub const DIMENSIONS: u16 = 0x0200;
    pub const NUMBER: u16 = 0x0203;
    pub const LABELSST: u16 = 0x00FD;
    pub const WINDOW2: u16 = 0x023E;
    pub const MERGEDCELLS: u16 = 0x00E5;
    pub const HLINK: u16 = 0x01B8;
    pub const INTERFACEHDR: u16 = 0x00E1;
    pub const MMS: u16 = 0x00C1;
    pub const INTERFACEEND: u16 = 0x00E2;
    pub const WRITEACCESS: u16 = 0x005C;
    pub const DSF: u16 = 0x0161;
    pub const BACKUP: u16 = 0x0040;
    pub const HIDEOBJ: u16 = 0x008D;
    pub const DATEMODE: u16 = 0x0022;
    pub const PRECISION: u16 = 0x000E;
    pub const REFRESHALL: u16 = 0x01B7;
    pub const BOOKBOOL: u16 = 0x00DA;
    pub const USESELFS: u16 = 0x0160;
    pub const COUNTRY: u16 = 0x008C;
    pub const DEFAULTROWHEIGHT: u16 = 0x0225;
    pub const WSBOOL: u16 = 0x0081;
}

/// Most bytes of data one record holds [MS-XLS 2.1.4].
const MAX_RECORD: usize = 8224;
/// The number format of dates (a user-defined format id, 2.4.126).
const DATE_FORMAT_ID: u16 = 164;
/// XF indices: the default cell XF, dates, wrapped text.
const XF_DEFAULT: u16 = 15;
const XF_DATE: u16 = 16;
const XF_TEXT: u16 = 17;
/// Most merged areas in one MERGEDCELLS record (2.4.168).
const MAX_MERGES_PER_RECORD: usize = 1026;
/// The last row and column BIFF8 can address.
const MAX_ROW: u32 = 65_535;
const MAX_COL: u16 = 255;

/// CLSID of the standard hyperlink, {79EAC9D0-BAF9-11CE-8C82-00AA004BA90B}, as stored.
const CLSID_STDLINK: [u8; 16] = [
    0xD0, 0xC9, 0xEA, 0x79, 0xF9, 0xBA, 0xCE, 0x11, 0x8C, 0x82, 0x00, 0xAA, 0x00, 0x4B, 0xA9, 0x0B,
];
/// FMTID of SummaryInformation, {F29F85E0-4FF9-1068-AB91-08002B27B3D9}.
const FMTID_SUMMARY: [u8; 16] = [
    0xE0, 0x85, 0x9F, 0xF2, 0xF9, 0x4F, 0x68, 0x10, 0xAB, 0x91, 0x08, 0x00, 0x2B, 0x27, 0xB3, 0xD9,
];
/// FMTID of DocumentSummaryInformation, {D5CDD502-2E9C-101B-9397-08002B2CF9AE}.
const FMTID_DOC_SUMMARY: [u8; 16] = [
    0x02, 0xD5, 0xCD, 0xD5, 0x9C, 0x2E, 0x1B, 0x10, 0x93, 0x97, 0x08, 0x00, 0x2B, 0x2C, 0xF9, 0xAE,
];
/// FMTID of the user-defined properties, {D5CDD505-2E9C-101B-9397-08002B2CF9AE}.
const FMTID_USER_DEFINED: [u8; 16] = [
    0x05, 0xD5, 0xCD, 0xD5, 0x9C, 0x2E, 0x1B, 0x10, 0x93, 0x97, 0x08, 0x00, 0x2B, 0x2C, 0xF9, 0xAE,
];

/// The .xls bytes of `book`. Errors: a sheet past BIFF8's 65,536 rows × 256
/// columns, or the compound-file writer's message.
pub(crate) fn write(book: &Book) -> Result<Vec<u8>, String> {
    let workbook = workbook_stream(book)?;
    let mut cfb = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))
        .map_err(|e| e.to_string())?;
    for (name, data) in [
        ("/Workbook", workbook),
        ("/\u{5}SummaryInformation", summary_information(book)),
        (
            "/\u{5}DocumentSummaryInformation",
            document_summary_information(book),
        ),
    ] {
        let mut stream = cfb.create_stream(name).map_err(|e| e.to_string())?;
        stream.write_all(&data).map_err(|e| e.to_string())?;
    }
    // The root's times are set when the file is created; zero them (the
    // 1601 epoch, MS-CFB 2.6.3) so the bytes depend on the book alone.
    let zero = std::time::UNIX_EPOCH
        .checked_sub(std::time::Duration::from_secs(11_644_473_600))
        .unwrap_or(std::time::UNIX_EPOCH);
    cfb.set_created_time("/", zero).map_err(|e| e.to_string())?;
    cfb.set_modified_time("/", zero)
        .map_err(|e| e.to_string())?;
    cfb.flush().map_err(|e| e.to_string())?;
    Ok(cfb.into_inner().into_inner())
}

/// Appends one record (type, length, data) to `out`.
fn record(out: &mut Vec<u8>, kind: u16, data: &[u8]) {
    debug_assert!(data.len() <= MAX_RECORD);
    out.extend_from_slice(&kind.to_le_bytes());
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
}

/// UTF-16LE code units of `s`.
fn utf16(s: &str) -> Vec<u16> {
    s.encode_utf16().collect()
}

/// A ShortXLUnicodeString (2.5.240): u8 count, flags (UTF-16), the units.
fn short_string(s: &str) -> Vec<u8> {
    let units: Vec<u16> = utf16(s).into_iter().take(255).collect();
    let mut out = vec![units.len() as u8, 0x01];
    out.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    out
}

/// An XLUnicodeString (2.5.294): u16 count, flags (UTF-16), the units.
fn unicode_string(s: &str) -> Vec<u8> {
    let units = utf16(s);
    let mut out = (units.len() as u16).to_le_bytes().to_vec();
    out.push(0x01);
    out.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    out
}

/// BOF (2.4.21) of a BIFF8 substream of type `dt` (5 globals, 0x10 sheet).
fn bof(out: &mut Vec<u8>, dt: u16) {
    let mut d = Vec::with_capacity(16);
    for v in [0x0600u16, dt, 0x0DBB, 0x07CC] {
        d.extend_from_slice(&v.to_le_bytes());
    }
    d.extend_from_slice(&0u32.to_le_bytes());
    d.extend_from_slice(&0x0006u32.to_le_bytes());
    record(out, rt::BOF, &d);
}

/// An XF record (2.4.353): font, number format, flags (locked, style,
/// parent), alignment byte, used-attribute byte.
fn xf(out: &mut Vec<u8>, ifmt: u16, flags: u16, align: u8, used: u8) {
    let mut d = Vec::with_capacity(20);
    d.extend_from_slice(&0u16.to_le_bytes()); // ifnt
    d.extend_from_slice(&ifmt.to_le_bytes());
    d.extend_from_slice(&flags.to_le_bytes());
    d.push(align);
    d.push(0); // trot
    d.push(0); // indent, shrink, reading order
    d.push(used);
    d.extend_from_slice(&[0; 8]); // borders
    // icvFore 64 (system foreground), icvBack 65 (system background).
    d.extend_from_slice(&(64u16 | (65 << 7)).to_le_bytes());
    record(out, rt::XF, &d);
}

/// The `Workbook` stream.
fn workbook_stream(book: &Book) -> Result<Vec<u8>, String> {
    // Shared strings, in order of first use.
    let mut sst = Sst::default();
    let mut sheets = Vec::with_capacity(book.sheets.len());
    for (i, sheet) in book.sheets.iter().enumerate() {
        sheets.push(sheet_stream(sheet, i == 0, &mut sst)?);
    }

    let mut g = Vec::with_capacity(16 * 1024);
    bof(&mut g, 0x0005);
    // The records the globals grammar (2.1.7.20.1) names before the
    // formatting, with their default values, as Excel writes them.
    record(&mut g, rt::INTERFACEHDR, &1200u16.to_le_bytes());
    record(&mut g, rt::MMS, &[0, 0]);
    record(&mut g, rt::INTERFACEEND, &[]);
    // WriteAccess (2.4.349): the user name, padded with spaces to 112 bytes.
    let mut user = unicode_string("monev");
    user.resize(112, b' ');
    record(&mut g, rt::WRITEACCESS, &user);
    record(&mut g, rt::CODEPAGE, &1200u16.to_le_bytes());
    record(&mut g, rt::DSF, &[0, 0]);
    let mut w1 = Vec::with_capacity(18);
    for v in [0u16, 0, 0x4000, 0x2000, 0x0038, 0, 0, 1, 0x0258] {
        w1.extend_from_slice(&v.to_le_bytes());
    }
    record(&mut g, rt::WINDOW1, &w1);
    record(&mut g, rt::BACKUP, &[0, 0]);
    record(&mut g, rt::HIDEOBJ, &[0, 0]);
    // The 1900 date system; full precision; no refresh on load.
    record(&mut g, rt::DATEMODE, &[0, 0]);
    record(&mut g, rt::PRECISION, &[1, 0]);
    record(&mut g, rt::REFRESHALL, &[0, 0]);
    record(&mut g, rt::BOOKBOOL, &[0, 0]);
    for _ in 0..4 {
        let mut f = Vec::new();
        // dyHeight 200 twips, no attributes, automatic colour, normal weight.
        for v in [200u16, 0, 0x7FFF, 400, 0] {
            f.extend_from_slice(&v.to_le_bytes());
        }
        f.extend_from_slice(&[0, 0, 0, 0]); // underline, family, charset, reserved
        f.extend(short_string("Arial"));
        record(&mut g, rt::FONT, &f);
    }
    let mut fmt = DATE_FORMAT_ID.to_le_bytes().to_vec();
    fmt.extend(unicode_string("dd/mm/yyyy"));
    record(&mut g, rt::FORMAT, &fmt);
    // 15 style XFs (0xFFF5: locked, a style, no parent), then the cell XFs.
    xf(&mut g, 0, 0xFFF5, 0x20, 0);
    for _ in 1..15 {
        xf(&mut g, 0, 0xFFF5, 0x20, 0xF4);
    }
    xf(&mut g, 0, 0x0001, 0x20, 0); // 15: default
    xf(&mut g, DATE_FORMAT_ID, 0x0001, 0x00, 0x04); // 16: date, top, number format used
    xf(&mut g, 0, 0x0001, 0x08, 0x10); // 17: wrapped, top, alignment used
    // The built-in Normal style on XF 0.
    record(&mut g, rt::STYLE, &[0x00, 0x80, 0x00, 0xFF]);
    record(&mut g, rt::USESELFS, &[0, 0]);
    let mut offsets_at = Vec::with_capacity(book.sheets.len());
    for sheet in &book.sheets {
        let mut d = vec![0; 4]; // lbPlyPos, patched below
        d.push(match sheet.visibility {
            Visibility::Visible => 0,
            Visibility::Hidden => 1,
            Visibility::VeryHidden => 2,
        });
        d.push(0); // worksheet
        d.extend(short_string(&sheet.name));
        offsets_at.push(g.len() + 4);
        record(&mut g, rt::BOUNDSHEET, &d);
    }
    // Country (2.4.63): United States for the user interface, Indonesia (62)
    // for the system settings.
    record(&mut g, rt::COUNTRY, &[1, 0, 62, 0]);
    sst.write(&mut g);
    record(&mut g, rt::EOF, &[]);

    let mut at = g.len();
    for (patch, sheet) in offsets_at.iter().zip(&sheets) {
        g[*patch..*patch + 4].copy_from_slice(&(at as u32).to_le_bytes());
        at += sheet.len();
    }
    for sheet in sheets {
        g.extend(sheet);
    }
    Ok(g)
}

/// The shared string table: unique strings in order of first use, and the
/// number of references.
#[derive(Default)]
struct Sst {
    strings: Vec<String>,
    index: std::collections::HashMap<String, u32>,
    total: u32,
}

impl Sst {
    /// The index of `s`, added when new.
    fn add(&mut self, s: &str) -> u32 {
        self.total += 1;
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.strings.len() as u32;
        self.strings.push(s.to_string());
        self.index.insert(s.to_string(), i);
        i
    }

    /// Writes SST, its CONTINUE records and EXTSST at the end of `g` (the
    /// globals substream, which starts the stream, so a position in `g` is a
    /// stream offset). A string is split only inside its characters, never
    /// inside a surrogate pair, and the CONTINUE that carries the rest starts
    /// with the flags byte again (2.4.265, 2.5.293).
    fn write(&self, g: &mut Vec<u8>) {
        // Records as built: (type, data); `starts` are (record index, offset
        // in its data) of each bucket's first string.
        let per_bucket = (self.strings.len().div_ceil(128)).max(8);
        let mut records: Vec<(u16, Vec<u8>)> = Vec::new();
        let mut head = self.total.to_le_bytes().to_vec();
        head.extend_from_slice(&(self.strings.len() as u32).to_le_bytes());
        records.push((rt::SST, head));
        let mut starts = Vec::new();
        for (n, s) in self.strings.iter().enumerate() {
            let units = utf16(s);
            // The header (count, flags) and at least one unit must fit.
            let room = MAX_RECORD - records.last().map_or(0, |r| r.1.len());
            if room < 3 + 2.min(units.len() * 2) {
                records.push((rt::CONTINUE, Vec::new()));
            }
            if n % per_bucket == 0 {
                starts.push((records.len() - 1, records.last().map_or(0, |r| r.1.len())));
            }
            let data = &mut records.last_mut().expect("SST record").1;
            data.extend_from_slice(&(units.len() as u16).to_le_bytes());
            data.push(0x01);
            let mut rest = &units[..];
            loop {
                let data = &mut records.last_mut().expect("SST record").1;
                let mut fit = (MAX_RECORD - data.len()) / 2;
                if fit >= rest.len() {
                    data.extend(rest.iter().flat_map(|u| u.to_le_bytes()));
                    break;
                }
                // Keep a surrogate pair together.
                if fit > 0 && (0xD800..0xDC00).contains(&rest[fit - 1]) {
                    fit -= 1;
                }
                data.extend(rest[..fit].iter().flat_map(|u| u.to_le_bytes()));
                rest = &rest[fit..];
                records.push((rt::CONTINUE, vec![0x01]));
            }
        }
        // Stream offsets of each record's start, to index the buckets.
        let mut record_at = Vec::with_capacity(records.len());
        let mut pos = g.len();
        for (_, data) in &records {
            record_at.push(pos);
            pos += 4 + data.len();
        }
        for (kind, data) in &records {
            record(g, *kind, data);
        }
        let mut ext = (per_bucket as u16).to_le_bytes().to_vec();
        for (r, offset) in starts {
            let cb = 4 + offset;
            ext.extend_from_slice(&((record_at[r] + cb) as u32).to_le_bytes());
            ext.extend_from_slice(&(cb as u16).to_le_bytes());
            ext.extend_from_slice(&0u16.to_le_bytes());
        }
        record(g, rt::EXTSST, &ext);
    }
}

/// One sheet's substream (BOF to EOF).
fn sheet_stream(sheet: &Sheet, first: bool, sst: &mut Sst) -> Result<Vec<u8>, String> {
    let too_big = |r: u32, c: u16| {
        format!(
            "lembar '{}': sel baris {} kolom {} di luar batas format .xls (65.536 baris × 256 kolom)",
            sheet.name,
            r + 1,
            c + 1
        )
    };
    if let Some(&(r, c)) = sheet
        .cells
        .keys()
        .find(|(r, c)| *r > MAX_ROW || *c > MAX_COL)
    {
        return Err(too_big(r, c));
    }
    let mut s = Vec::with_capacity(8 * 1024);
    bof(&mut s, 0x0010);
    // Default row height 12.75 pt (255 twips); WsBool (2.4.351): show
    // automatic page breaks, outline symbols below and right.
    record(&mut s, rt::DEFAULTROWHEIGHT, &[0, 0, 0xFF, 0]);
    record(&mut s, rt::WSBOOL, &0x04C1u16.to_le_bytes());
    for (col, w) in sheet.widths.iter().enumerate().take(256) {
        let mut d = Vec::with_capacity(12);
        let width = (w * 256.0).round().clamp(0.0, 65_535.0) as u16;
        for v in [col as u16, col as u16, width, XF_DEFAULT, 0, 0] {
            d.extend_from_slice(&v.to_le_bytes());
        }
        record(&mut s, rt::COLINFO, &d);
    }
    let rows = sheet.cells.keys().map(|(r, _)| *r);
    let cols = sheet.cells.keys().map(|(_, c)| *c);
    let (r0, r1) = (
        rows.clone().min().unwrap_or(0),
        rows.max().map_or(0, |r| r + 1),
    );
    let (c0, c1) = (
        cols.clone().min().unwrap_or(0),
        cols.max().map_or(0, |c| c + 1),
    );
    let mut d = Vec::with_capacity(14);
    d.extend_from_slice(&r0.to_le_bytes());
    d.extend_from_slice(&r1.to_le_bytes());
    for v in [c0, c1, 0] {
        d.extend_from_slice(&v.to_le_bytes());
    }
    record(&mut s, rt::DIMENSIONS, &d);
    for (&(row, col), value) in &sheet.cells {
        let mut d = Vec::with_capacity(14);
        d.extend_from_slice(&(row as u16).to_le_bytes());
        d.extend_from_slice(&col.to_le_bytes());
        match value {
            Value::Text(t) => {
                d.extend_from_slice(&XF_TEXT.to_le_bytes());
                d.extend_from_slice(&sst.add(t).to_le_bytes());
                record(&mut s, rt::LABELSST, &d);
            }
            Value::Number(n) => {
                d.extend_from_slice(&XF_DEFAULT.to_le_bytes());
                d.extend_from_slice(&n.to_le_bytes());
                record(&mut s, rt::NUMBER, &d);
            }
            Value::Date(n) => {
                d.extend_from_slice(&XF_DATE.to_le_bytes());
                d.extend_from_slice(&n.to_le_bytes());
                record(&mut s, rt::NUMBER, &d);
            }
        }
    }
    // WINDOW2: grid, headers, zeros, default header colour, outline symbols;
    // the first sheet selected and shown.
    let grbit: u16 = 0x00B6 | if first { 0x0600 } else { 0 };
    let mut d = Vec::with_capacity(18);
    for v in [grbit, 0, 0, 64, 0, 0, 0, 0, 0] {
        d.extend_from_slice(&v.to_le_bytes());
    }
    record(&mut s, rt::WINDOW2, &d);
    let merges: Vec<_> = sheet
        .merges
        .iter()
        .filter(|(r0, c0, r1, c1)| *r0 <= *r1 && *c0 <= *c1 && *r1 <= MAX_ROW && *c1 <= MAX_COL)
        .collect();
    for chunk in merges.chunks(MAX_MERGES_PER_RECORD) {
        let mut d = (chunk.len() as u16).to_le_bytes().to_vec();
        for &&(r0, c0, r1, c1) in chunk {
            for v in [r0 as u16, r1 as u16, c0, c1] {
                d.extend_from_slice(&v.to_le_bytes());
            }
        }
        record(&mut s, rt::MERGEDCELLS, &d);
    }
    for (row, col, target) in &sheet.links {
        if *row > MAX_ROW || *col > MAX_COL {
            continue;
        }
        let shown = match sheet.cells.get(&(*row, *col)) {
            Some(Value::Text(t)) => t.clone(),
            _ => target.clone(),
        };
        let d = hlink(*row as u16, *col, target, &shown);
        // A record too long for BIFF (a URL of thousands of characters)
        // is left out: the cell keeps its text.
        if d.len() <= MAX_RECORD {
            record(&mut s, rt::HLINK, &d);
        }
    }
    record(&mut s, rt::EOF, &[]);
    Ok(s)
}

/// A HyperlinkString [MS-OSHARED 2.3.7.9]: u32 count of units with the NUL,
/// the units, NUL.
fn hyperlink_string(out: &mut Vec<u8>, s: &str) {
    let units = utf16(s);
    out.extend_from_slice(&(units.len() as u32 + 1).to_le_bytes());
    out.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    out.extend_from_slice(&[0, 0]);
}

/// An HLINK record's data (2.4.140) over one cell: its Ref8U, the StdLink
/// CLSID and a Hyperlink Object [MS-OSHARED 2.3.7.1] with flags
/// hlstmfHasMoniker | hlstmfIsAbsolute | hlstmfSiteGaveDisplayName |
/// hlstmfHasDisplayName (0x17, as Excel and LibreOffice write a web link),
/// the display name, and a URL moniker (2.3.7.6) whose length covers the
/// NUL-terminated URL only, so no serial GUID, version or flags follow.
fn hlink(row: u16, col: u16, target: &str, shown: &str) -> Vec<u8> {
    let mut d = Vec::with_capacity(64 + 2 * target.len());
    for v in [row, row, col, col] {
        d.extend_from_slice(&v.to_le_bytes());
    }
    d.extend_from_slice(&CLSID_STDLINK);
    d.extend_from_slice(&2u32.to_le_bytes()); // streamVersion
    d.extend_from_slice(&0x17u32.to_le_bytes());
    hyperlink_string(&mut d, shown);
    d.extend_from_slice(&CLSID_URL_MONIKER);
    let units = utf16(target);
    d.extend_from_slice(&((units.len() as u32 + 1) * 2).to_le_bytes());
    d.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    d.extend_from_slice(&[0, 0]);
    d
}

/// Property value types [MS-OLEPS 2.15].
const VT_I2: u16 = 0x0002;
const VT_I4: u16 = 0x0003;
const VT_LPSTR: u16 = 0x001E;
const VT_FILETIME: u16 = 0x0040;
/// The code page of the property sets: UTF-8, as LibreOffice writes them.
const CODEPAGE_UTF8: u16 = 65001;

/// One property value, typed [MS-OLEPS 2.15], padded to 4 bytes.
enum Prop<'a> {
    CodePage,
    Text(&'a str),
    Int(i32),
    Time(NaiveDateTime),
    /// The dictionary of custom property names (2.17), by identifier.
    Dictionary(Vec<(u32, &'a str)>),
}

impl Prop<'_> {
    fn bytes(&self) -> Vec<u8> {
        let typed = |vt: u16, value: &[u8]| {
            let mut out = u32::from(vt).to_le_bytes().to_vec();
            out.extend_from_slice(value);
            out
        };
        let mut out = match self {
            Prop::CodePage => typed(VT_I2, &CODEPAGE_UTF8.to_le_bytes()),
            Prop::Text(s) => {
                // CodePageString (2.5): byte count with the NUL, the bytes.
                let mut v = (s.len() as u32 + 1).to_le_bytes().to_vec();
                v.extend_from_slice(s.as_bytes());
                v.push(0);
                typed(VT_LPSTR, &v)
            }
            Prop::Int(n) => typed(VT_I4, &n.to_le_bytes()),
            Prop::Time(t) => typed(VT_FILETIME, &filetime(*t).to_le_bytes()),
            Prop::Dictionary(names) => {
                let mut v = (names.len() as u32).to_le_bytes().to_vec();
                for (id, name) in names {
                    v.extend_from_slice(&id.to_le_bytes());
                    v.extend_from_slice(&(name.len() as u32 + 1).to_le_bytes());
                    v.extend_from_slice(name.as_bytes());
                    v.push(0);
                }
                v
            }
        };
        out.resize(out.len().next_multiple_of(4), 0);
        out
    }
}

/// A UTC time as a FILETIME: 100-nanosecond intervals since 1601-01-01.
fn filetime(t: NaiveDateTime) -> u64 {
    let unix = t.and_utc().timestamp();
    ((unix + 11_644_473_600).max(0) as u64) * 10_000_000
}

/// A PropertySet section (2.20): size, count, (identifier, offset) pairs,
/// the values.
fn section(props: &[(u32, Prop)]) -> Vec<u8> {
    let header = 8 + 8 * props.len();
    let values: Vec<Vec<u8>> = props.iter().map(|(_, p)| p.bytes()).collect();
    let size = header + values.iter().map(Vec::len).sum::<usize>();
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(&(size as u32).to_le_bytes());
    out.extend_from_slice(&(props.len() as u32).to_le_bytes());
    let mut offset = header;
    for ((id, _), v) in props.iter().zip(&values) {
        out.extend_from_slice(&id.to_le_bytes());
        out.extend_from_slice(&(offset as u32).to_le_bytes());
        offset += v.len();
    }
    for v in values {
        out.extend(v);
    }
    out
}

/// A PropertySetStream (2.21) of one or two sections.
fn property_set(sections: &[([u8; 16], Vec<u8>)]) -> Vec<u8> {
    let mut out = vec![0xFE, 0xFF, 0x00, 0x00]; // byte order, version 0
    out.extend_from_slice(&0x0002_0006u32.to_le_bytes()); // system identifier
    out.extend_from_slice(&[0; 16]); // CLSID
    out.extend_from_slice(&(sections.len() as u32).to_le_bytes());
    let mut offset = 28 + 20 * sections.len();
    for (fmtid, data) in sections {
        out.extend_from_slice(fmtid);
        out.extend_from_slice(&(offset as u32).to_le_bytes());
        offset += data.len();
    }
    for (_, data) in sections {
        out.extend_from_slice(data);
    }
    out
}

/// `\x05SummaryInformation`: title (2), subject (3), author (4), comments
/// (6), created (12), last saved (13) [MS-OLEPS 2.25.1].
fn summary_information(book: &Book) -> Vec<u8> {
    let p = &book.props;
    let mut props = vec![(1, Prop::CodePage)];
    for (id, value) in [
        (2, &p.title),
        (3, &p.subject),
        (4, &p.author),
        (6, &p.comment),
    ] {
        if let Some(v) = value {
            props.push((id, Prop::Text(v)));
        }
    }
    if let Some(t) = p.created {
        props.push((12, Prop::Time(t)));
    }
    if let Some(t) = p.modified {
        props.push((13, Prop::Time(t)));
    }
    property_set(&[(FMTID_SUMMARY, section(&props))])
}

/// `\x05DocumentSummaryInformation`: the company (15) [MS-OLEPS 2.25.2], then
/// the user-defined section with the custom properties (identifiers from 2).
fn document_summary_information(book: &Book) -> Vec<u8> {
    let p = &book.props;
    let mut first = vec![(1, Prop::CodePage)];
    if let Some(c) = &p.company {
        first.push((15, Prop::Text(c)));
    }
    let names: Vec<(u32, &str)> = p
        .custom
        .iter()
        .enumerate()
        .map(|(i, (name, _))| (i as u32 + 2, name.as_str()))
        .collect();
    let mut custom = vec![(0, Prop::Dictionary(names)), (1, Prop::CodePage)];
    for (i, (_, value)) in p.custom.iter().enumerate() {
        custom.push((
            i as u32 + 2,
            match value {
                PropValue::Text(t) => Prop::Text(t),
                PropValue::Integer(n) => Prop::Int(*n),
            },
        ));
    }
    property_set(&[
        (FMTID_DOC_SUMMARY, section(&first)),
        (FMTID_USER_DEFINED, section(&custom)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_shared_strings_continue_inside_their_characters() {
        let mut sst = Sst::default();
        let long = "é".repeat(5000); // 10,000 bytes as UTF-16
        sst.add("a");
        sst.add(&long);
        sst.add("a");
        let mut g = Vec::new();
        sst.write(&mut g);
        // SST, one CONTINUE, EXTSST.
        let mut kinds = Vec::new();
        let mut pos = 0;
        while pos < g.len() {
            let kind = u16::from_le_bytes([g[pos], g[pos + 1]]);
            let len = usize::from(u16::from_le_bytes([g[pos + 2], g[pos + 3]]));
            kinds.push((kind, len));
            pos += 4 + len;
        }
        assert_eq!(kinds.len(), 3, "{kinds:?}");
        assert_eq!(kinds[0], (rt::SST, MAX_RECORD));
        assert_eq!(kinds[1].0, rt::CONTINUE);
        // 8 header bytes, "a" (3 + 2), the long string's header (3), the
        // units in the SST; the rest after one flags byte.
        let in_sst = (MAX_RECORD - 8 - 5 - 3) / 2;
        assert_eq!(kinds[1].1, 1 + 2 * (5000 - in_sst));
        assert_eq!(kinds[2].0, rt::EXTSST);
        // Total and unique counts.
        assert_eq!(&g[4..12], &[3, 0, 0, 0, 2, 0, 0, 0]);
    }

    #[test]
    fn filetimes_count_from_1601() {
        let t = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        assert_eq!(filetime(t), 116_444_736_000_000_000);
    }
}
