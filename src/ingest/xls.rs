//! Hyperlink targets of an Excel 97-2003 (.xls, BIFF8) workbook. calamine gives
//! an .xls cell's display text only ("Bukti"); the target (a Google Drive URL,
//! a local file) lives in the sheet's HLINK records. This opens the OLE compound
//! file, walks the `Workbook` stream's records once, names each sheet substream
//! from the BOUNDSHEET8 records, and decodes every HLINK's Hyperlink Object
//! [MS-OSHARED 2.3.7.1] into its external target.
//!
//! Targets read:
//! * URL monikers (`https:`, `http:`, `mailto:`, `ftp:` …), as stored;
//! * file monikers, as the Windows path stored (`C:\Users\x\foto.jpg`,
//!   `\\server\share\x`; `..\x` for a link relative to the workbook);
//! * monikers saved as a string (UNC paths), as stored;
//! * composite monikers, by their first URL or file part.
//!
//! A location string (`#Sheet2!A1`, a URL fragment) is appended after `#` to an
//! external target; a link with a location only (inside the workbook) gives
//! nothing. Every read is bounds-checked: anything unreadable (not a compound
//! file, an encrypted stream, a truncated or malformed record) gives fewer or
//! no links, never an error or a panic.

use std::collections::HashMap;
use std::io::{Cursor, Read};

/// Links by sheet name: each HLINK record as its range, given by two absolute
/// 0-based (row, column) corners, and its one target. A range is never
/// expanded into cells: one record over A1:IV65536 costs one entry (fz-07).
pub type SheetLinks = HashMap<String, Vec<LinkRange>>;

/// One HLINK record: first cell, last cell, target.
pub type LinkRange = ((u32, u32), (u32, u32), String);

/// BOF: the start of a substream (the globals, a sheet, an embedded chart).
const RT_BOF: u16 = 0x0809;
/// EOF: the end of a substream.
const RT_EOF: u16 = 0x000A;
/// BOUNDSHEET8: a sheet's name and the stream offset of its BOF.
const RT_BOUNDSHEET: u16 = 0x0085;
/// FILEPASS: the records after it are encrypted.
const RT_FILEPASS: u16 = 0x002F;
/// HLINK: a hyperlink over a range of cells.
const RT_HLINK: u16 = 0x01B8;
/// CONTINUE: more data for the previous record.
const RT_CONTINUE: u16 = 0x003C;

/// Hyperlink Object flag: a moniker is present.
const HAS_MONIKER: u32 = 0x01;
/// Hyperlink Object flag: a location string is present.
const HAS_LOCATION: u32 = 0x08;
/// Hyperlink Object flag: a display name is present.
const HAS_DISPLAY_NAME: u32 = 0x10;
/// Hyperlink Object flag: a target frame name is present.
const HAS_FRAME_NAME: u32 = 0x80;
/// Hyperlink Object flag: the moniker is a HyperlinkString, not an OLE moniker.
const MONIKER_SAVED_AS_STR: u32 = 0x100;

/// CLSID of the URL moniker, {79EAC9E0-BAF9-11CE-8C82-00AA004BA90B}, as stored
/// (also written by `monev contoh`'s .xls writer).
pub(crate) const CLSID_URL_MONIKER: [u8; 16] = [
    0xE0, 0xC9, 0xEA, 0x79, 0xF9, 0xBA, 0xCE, 0x11, 0x8C, 0x82, 0x00, 0xAA, 0x00, 0x4B, 0xA9, 0x0B,
];
/// CLSID of the file moniker, {00000303-0000-0000-C000-000000000046}, as stored.
const CLSID_FILE_MONIKER: [u8; 16] = [
    0x03, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46,
];
/// CLSID of the item moniker, {00000304-0000-0000-C000-000000000046}, as stored.
const CLSID_ITEM_MONIKER: [u8; 16] = [
    0x04, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46,
];
/// CLSID of the anti moniker, {00000305-0000-0000-C000-000000000046}, as stored.
const CLSID_ANTI_MONIKER: [u8; 16] = [
    0x05, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46,
];
/// CLSID of the composite moniker, {00000309-0000-0000-C000-000000000046}, as stored.
const CLSID_COMPOSITE_MONIKER: [u8; 16] = [
    0x09, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46,
];

/// Composite monikers nested deeper than this are not read.
const MAX_MONIKER_DEPTH: u32 = 4;

/// Reads the hyperlink targets of every sheet. Anything unreadable gives no
/// links (the cell text is then used), never an error, never a panic.
pub fn links(bytes: &[u8]) -> SheetLinks {
    // The compound-file reader is a dependency; a malformed file must not take
    // the whole run down even if it panics there.
    std::panic::catch_unwind(|| workbook_stream(bytes))
        .ok()
        .flatten()
        .map(|stream| parse_stream(&stream))
        .unwrap_or_default()
}

/// The `Workbook` stream (`Book` in older files) of an OLE compound file.
fn workbook_stream(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).ok()?;
    for name in ["/Workbook", "/Book"] {
        if file.is_stream(name) {
            let mut stream = file.open_stream(name).ok()?;
            let mut out = Vec::new();
            stream.read_to_end(&mut out).ok()?;
            return Some(out);
        }
    }
    None
}

/// A little-endian reader over a byte slice; every read past the end is `None`.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `buf`.
    fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    /// The next `n` bytes.
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let out = self.buf.get(self.pos..end)?;
        self.pos = end;
        Some(out)
    }

    /// Skips `n` bytes.
    fn skip(&mut self, n: usize) -> Option<()> {
        self.take(n).map(|_| ())
    }

    /// The next fixed-size array of bytes.
    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    /// The next byte.
    fn u8(&mut self) -> Option<u8> {
        self.array::<1>().map(|[b]| b)
    }

    /// The next little-endian u16.
    fn u16(&mut self) -> Option<u16> {
        self.array().map(u16::from_le_bytes)
    }

    /// The next little-endian u32.
    fn u32(&mut self) -> Option<u32> {
        self.array().map(u32::from_le_bytes)
    }

    /// The next u32 as a length in bytes.
    fn len32(&mut self) -> Option<usize> {
        self.u32().and_then(|n| usize::try_from(n).ok())
    }

    /// A HyperlinkString [MS-OSHARED 2.3.7.9]: a u32 count of UTF-16 code
    /// units (the terminating NUL included), then the units.
    fn hyperlink_string(&mut self) -> Option<String> {
        let units = self.len32()?;
        let bytes = self.take(units.checked_mul(2)?)?;
        Some(utf16_until_nul(bytes))
    }
}

/// UTF-16LE text up to the first NUL (lone surrogates become U+FFFD).
fn utf16_until_nul(bytes: &[u8]) -> String {
    let units = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|&u| u != 0);
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// 8-bit text up to the first NUL, each byte taken as Latin-1.
fn latin1_until_nul(bytes: &[u8]) -> String {
    bytes
        .iter()
        .take_while(|&&b| b != 0)
        .map(|&b| char::from(b))
        .collect()
}

/// One BIFF record: its type, its data and the stream offset of the next one.
struct Record<'a> {
    kind: u16,
    data: &'a [u8],
    next: usize,
}

/// The record starting at `pos`, if a whole one is there.
fn record_at(stream: &[u8], pos: usize) -> Option<Record<'_>> {
    let mut r = Reader::new(stream.get(pos..)?);
    let kind = r.u16()?;
    let len = usize::from(r.u16()?);
    let data = r.take(len)?;
    Some(Record {
        kind,
        data,
        next: pos + 4 + len,
    })
}

/// Walks the records of a `Workbook` stream and collects the links of each sheet.
fn parse_stream(stream: &[u8]) -> SheetLinks {
    let mut out = SheetLinks::new();
    let mut sheets: HashMap<usize, String> = HashMap::new();
    let mut current: Option<String> = None;
    // Nesting of BOF/EOF pairs: an embedded chart sits inside its sheet.
    let mut depth = 0u32;
    let mut pos = 0;
    while let Some(rec) = record_at(stream, pos) {
        let start = pos;
        pos = rec.next;
        match rec.kind {
            RT_BOF => {
                if let Some(name) = sheets.get(&start) {
                    current = Some(name.clone());
                    depth = 1;
                } else {
                    if depth == 0 {
                        current = None;
                    }
                    depth = depth.saturating_add(1);
                }
            }
            RT_EOF => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    current = None;
                }
            }
            // Without the password nothing after this can be read.
            RT_FILEPASS => break,
            RT_BOUNDSHEET => {
                if let Some((offset, name)) = boundsheet(rec.data) {
                    sheets.insert(offset, name);
                }
            }
            RT_HLINK => {
                let mut data = rec.data.to_vec();
                while let Some(cont) = record_at(stream, pos).filter(|c| c.kind == RT_CONTINUE) {
                    data.extend_from_slice(cont.data);
                    pos = cont.next;
                }
                if let (Some(sheet), Some((range, target))) = (&current, hlink(&data)) {
                    let (from, to) = range.corners();
                    out.entry(sheet.clone())
                        .or_default()
                        .push((from, to, target));
                }
            }
            _ => {}
        }
    }
    out.retain(|_, cells| !cells.is_empty());
    out
}

/// A BOUNDSHEET8 record: the stream offset of the sheet's BOF and its name.
fn boundsheet(data: &[u8]) -> Option<(usize, String)> {
    let mut r = Reader::new(data);
    let offset = usize::try_from(r.u32()?).ok()?;
    r.skip(2)?; // hsState, dt
    let chars = usize::from(r.u8()?);
    let high_byte = r.u8()? & 0x01 != 0;
    let name = if high_byte {
        utf16_until_nul(r.take(chars.checked_mul(2)?)?)
    } else {
        r.take(chars)?.iter().map(|&b| char::from(b)).collect()
    };
    Some((offset, name))
}

/// A Ref8U: the cells a hyperlink covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CellRange {
    rows: (u16, u16),
    cols: (u16, u16),
}

impl CellRange {
    /// The first and last (row, column) of the range.
    fn corners(self) -> ((u32, u32), (u32, u32)) {
        let (r0, r1) = (self.rows.0.min(self.rows.1), self.rows.0.max(self.rows.1));
        let (c0, c1) = (self.cols.0.min(self.cols.1), self.cols.0.max(self.cols.1));
        (
            (u32::from(r0), u32::from(c0)),
            (u32::from(r1), u32::from(c1)),
        )
    }
}

/// An HLINK record (its CONTINUE data appended): the range and the external target.
fn hlink(data: &[u8]) -> Option<(CellRange, String)> {
    let mut r = Reader::new(data);
    let rows = (r.u16()?, r.u16()?);
    let cols = (r.u16()?, r.u16()?);
    r.skip(16)?; // hlinkClsid
    let target = hyperlink_object(&mut r)?;
    Some((CellRange { rows, cols }, target))
}

/// A Hyperlink Object [MS-OSHARED 2.3.7.1]: its external target, with any
/// location appended after `#`. `None` for a link inside the workbook.
fn hyperlink_object(r: &mut Reader) -> Option<String> {
    r.skip(4)?; // streamVersion
    let flags = r.u32()?;
    if flags & HAS_DISPLAY_NAME != 0 {
        r.hyperlink_string()?;
    }
    if flags & HAS_FRAME_NAME != 0 {
        r.hyperlink_string()?;
    }
    // LibreOffice reads a string moniker whenever MonikerSavedAsStr is set.
    let target = if flags & MONIKER_SAVED_AS_STR != 0 {
        r.hyperlink_string()?
    } else if flags & HAS_MONIKER != 0 {
        ole_moniker(r, 0)?
    } else {
        return None;
    };
    let target = target.trim().to_string();
    if target.is_empty() {
        return None;
    }
    let location = if flags & HAS_LOCATION != 0 {
        r.hyperlink_string().unwrap_or_default()
    } else {
        String::new()
    };
    Some(if location.is_empty() {
        target
    } else {
        format!("{target}#{location}")
    })
}

/// An OLE moniker (CLSID, then its data): the target it names. Item and anti
/// monikers (parts of a composite) give an empty string; unknown kinds `None`,
/// since their length can't be known.
fn ole_moniker(r: &mut Reader, depth: u32) -> Option<String> {
    let clsid: [u8; 16] = r.array()?;
    match clsid {
        CLSID_URL_MONIKER => url_moniker(r),
        CLSID_FILE_MONIKER => file_moniker(r),
        CLSID_COMPOSITE_MONIKER if depth < MAX_MONIKER_DEPTH => composite_moniker(r, depth),
        CLSID_ITEM_MONIKER => {
            // delimiter, then item: each a u32 byte length and the bytes.
            let delimiter = r.len32()?;
            r.skip(delimiter)?;
            let item = r.len32()?;
            r.skip(item)?;
            Some(String::new())
        }
        CLSID_ANTI_MONIKER => r.u32().map(|_| String::new()),
        _ => None,
    }
}

/// A URL moniker's data: a u32 byte length, then a NUL-terminated UTF-16 URL
/// (possibly followed, within the length, by a serial GUID, version and flags).
fn url_moniker(r: &mut Reader) -> Option<String> {
    let len = r.len32()?;
    // Some writers give a length past the record's end; read what is there.
    let available = r.buf.len().saturating_sub(r.pos);
    let bytes = r.take(len.min(available))?;
    Some(utf16_until_nul(bytes))
}

/// A file moniker's data [MS-OSHARED 2.3.7.8]: the path, preferring the
/// Unicode one, with `..\` for each level a relative link climbs above the
/// workbook. An absolute path is given alone (LibreOffice writes up-levels
/// before a drive path when the workbook was saved outside Windows).
fn file_moniker(r: &mut Reader) -> Option<String> {
    let anti = r.u16()?;
    let ansi_len = r.len32()?;
    let ansi = latin1_until_nul(r.take(ansi_len)?);
    r.skip(24)?; // endServer, versionNumber, reserved1, reserved2
    let unicode_size = r.u32()?;
    let path = if unicode_size > 0 {
        let bytes = r.len32()?;
        r.skip(2)?; // usKeyValue
        utf16_until_nul(r.take(bytes)?)
    } else {
        ansi
    };
    if is_absolute_windows_path(&path) {
        return Some(path);
    }
    Some(format!(
        "{}{path}",
        "..\\".repeat(usize::from(anti.min(64)))
    ))
}

/// Whether `path` is a drive (`C:\`, `C:/`) or UNC (`\\server`) path, which no
/// up-level count can make relative.
fn is_absolute_windows_path(path: &str) -> bool {
    let b = path.as_bytes();
    let drive =
        b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && matches!(b[2], b'\\' | b'/');
    drive || path.starts_with("\\\\") || path.starts_with("//")
}

/// A composite moniker's data: a u32 count, then the monikers. The first part
/// naming a target is the target.
fn composite_moniker(r: &mut Reader, depth: u32) -> Option<String> {
    let count = r.u32()?;
    let mut target = String::new();
    for _ in 0..count {
        let part = ole_moniker(r, depth + 1)?;
        if target.is_empty() {
            target = part;
        }
    }
    Some(target)
}

/// What a pre-open check needs to know about an .xls workbook, read from its
/// records before calamine sees them (see `ingest::guard`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Survey {
    /// A FILEPASS record: the workbook is encrypted (password-protected).
    pub encrypted: bool,
    /// The sheets BOUNDSHEET8 records name.
    pub sheets: usize,
    /// Per sheet: name, cell records, and the area (rows × columns) of the
    /// rectangle spanning its cells, which calamine allocates densely.
    pub cells: Vec<(String, usize, u64)>,
}

/// BIFF cell records calamine reads into a sheet, each starting with a u16 row
/// and a u16 column: Number, Label, RString, BoolErr, RK, LabelSst, Formula.
const CELL_RECORDS: [u16; 7] = [0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006];
/// MulRk: a row, a first column, RK values, then the last column.
const RT_MULRK: u16 = 0x00BD;

/// Surveys an .xls workbook: encryption, sheet count, and each sheet's cells,
/// walking each sheet from its BOUNDSHEET8 offset as calamine does. `None` when
/// the compound file or its `Workbook` stream can't be read here (calamine then
/// judges the file, and the isolation limits still apply). Sheets are surveyed
/// only up to `max_sheets`.
pub fn survey(bytes: &[u8], max_sheets: usize) -> Option<Survey> {
    let stream = std::panic::catch_unwind(|| workbook_stream(bytes))
        .ok()
        .flatten()?;
    let mut out = Survey::default();
    let mut offsets = Vec::new();
    let mut pos = 0;
    // The globals substream: up to its EOF.
    while let Some(rec) = record_at(&stream, pos) {
        pos = rec.next;
        match rec.kind {
            RT_FILEPASS => {
                out.encrypted = true;
                return Some(out);
            }
            RT_BOUNDSHEET => {
                if let Some(b) = boundsheet(rec.data) {
                    offsets.push(b);
                }
            }
            RT_EOF => break,
            _ => {}
        }
    }
    out.sheets = offsets.len();
    for (offset, name) in offsets.into_iter().take(max_sheets) {
        let (count, area) = sheet_cells(&stream, offset);
        out.cells.push((name, count, area));
    }
    Some(out)
}

/// The cell records of the sheet substream at `offset` and the area of the
/// rectangle spanning them (embedded substreams skipped, as calamine does).
fn sheet_cells(stream: &[u8], offset: usize) -> (usize, u64) {
    let mut count = 0usize;
    let (mut r0, mut r1, mut c0, mut c1) = (u32::MAX, 0u32, u32::MAX, 0u32);
    let mut add = |r: u16, c: u16| {
        let (r, c) = (u32::from(r), u32::from(c));
        r0 = r0.min(r);
        r1 = r1.max(r);
        c0 = c0.min(c);
        c1 = c1.max(c);
    };
    let mut pos = offset;
    let mut depth = 0u32;
    let mut seen_bof = false;
    while let Some(rec) = record_at(stream, pos) {
        pos = rec.next;
        if depth > 0 {
            match rec.kind {
                RT_BOF => depth += 1,
                RT_EOF => depth -= 1,
                _ => {}
            }
            continue;
        }
        let mut r = Reader::new(rec.data);
        match rec.kind {
            RT_BOF if seen_bof => depth = 1,
            RT_BOF => seen_bof = true,
            RT_EOF => break,
            k if CELL_RECORDS.contains(&k) => {
                if let (Some(row), Some(col)) = (r.u16(), r.u16()) {
                    count += 1;
                    add(row, col);
                }
            }
            RT_MULRK if rec.data.len() >= 6 => {
                let n = rec.data.len();
                let row = u16::from_le_bytes([rec.data[0], rec.data[1]]);
                let first = u16::from_le_bytes([rec.data[2], rec.data[3]]);
                let last = u16::from_le_bytes([rec.data[n - 2], rec.data[n - 1]]);
                count += (n - 6) / 6;
                add(row, first);
                add(row, last.max(first));
            }
            _ => {}
        }
    }
    if count == 0 {
        return (0, 0);
    }
    let area = (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1);
    (count, area)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Link ranges expanded to cells (first record wins), for small test ranges.
    pub(super) fn expand(links: SheetLinks) -> HashMap<String, HashMap<(u32, u32), String>> {
        links
            .into_iter()
            .map(|(sheet, ranges)| {
                let mut cells = HashMap::new();
                for ((r0, c0), (r1, c1), t) in ranges {
                    for r in r0..=r1 {
                        for c in c0..=c1 {
                            cells.entry((r, c)).or_insert_with(|| t.clone());
                        }
                    }
                }
                (sheet, cells)
            })
            .collect()
    }

    /// A HyperlinkString of `s`.
    fn hs(s: &str) -> Vec<u8> {
        let units: Vec<u16> = s.encode_utf16().chain([0]).collect();
        let mut out = (units.len() as u32).to_le_bytes().to_vec();
        out.extend(units.iter().flat_map(|u| u.to_le_bytes()));
        out
    }

    /// UTF-16LE bytes of `s`, NUL-terminated when `nul`.
    fn utf16(s: &str, nul: bool) -> Vec<u8> {
        let mut units: Vec<u16> = s.encode_utf16().collect();
        if nul {
            units.push(0);
        }
        units.iter().flat_map(|u| u.to_le_bytes()).collect()
    }

    /// HLINK record data: the Ref8U, the CLSID, then a Hyperlink Object.
    fn hlink_data(rows: (u16, u16), cols: (u16, u16), flags: u32, body: &[u8]) -> Vec<u8> {
        let mut d = Vec::new();
        for v in [rows.0, rows.1, cols.0, cols.1] {
            d.extend(v.to_le_bytes());
        }
        d.extend([0xD0, 0xC9, 0xEA, 0x79, 0xF9, 0xBA, 0xCE, 0x11]);
        d.extend([0x8C, 0x82, 0x00, 0xAA, 0x00, 0x4B, 0xA9, 0x0B]);
        d.extend(2u32.to_le_bytes());
        d.extend(flags.to_le_bytes());
        d.extend(body);
        d
    }

    /// A URL moniker of `url`, with the trailing serial data Excel writes.
    fn url_moniker_bytes(url: &str) -> Vec<u8> {
        let mut data = utf16(url, true);
        data.extend([0xAB; 24]);
        let mut out = CLSID_URL_MONIKER.to_vec();
        out.extend((data.len() as u32).to_le_bytes());
        out.extend(data);
        out
    }

    /// A file moniker with ANSI path `ansi`, optional Unicode path, `anti` levels up.
    fn file_moniker_bytes(anti: u16, ansi: &str, unicode: Option<&str>) -> Vec<u8> {
        let mut out = CLSID_FILE_MONIKER.to_vec();
        out.extend(anti.to_le_bytes());
        out.extend((ansi.len() as u32 + 1).to_le_bytes());
        out.extend(ansi.as_bytes());
        out.push(0);
        out.extend(0xFFFFu16.to_le_bytes());
        out.extend(0xDEADu16.to_le_bytes());
        out.extend([0; 20]);
        match unicode {
            Some(u) => {
                let bytes = utf16(u, false);
                out.extend((bytes.len() as u32 + 6).to_le_bytes());
                out.extend((bytes.len() as u32).to_le_bytes());
                out.extend(3u16.to_le_bytes());
                out.extend(bytes);
            }
            None => out.extend(0u32.to_le_bytes()),
        }
        out
    }

    /// One record: type, length, data.
    fn record(kind: u16, data: &[u8]) -> Vec<u8> {
        let mut out = kind.to_le_bytes().to_vec();
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
        out
    }

    /// A BOUNDSHEET8 record for `name` (8-bit when it fits, else UTF-16).
    fn boundsheet_record(offset: u32, name: &str) -> Vec<u8> {
        let mut d = offset.to_le_bytes().to_vec();
        d.extend([0, 0]);
        if name.chars().all(|c| u32::from(c) < 0x100) {
            d.push(name.chars().count() as u8);
            d.push(0);
            d.extend(name.chars().map(|c| c as u8));
        } else {
            let units = utf16(name, false);
            d.push((units.len() / 2) as u8);
            d.push(1);
            d.extend(units);
        }
        record(RT_BOUNDSHEET, &d)
    }

    /// A BOF record.
    fn bof() -> Vec<u8> {
        record(RT_BOF, &[0x00, 0x06, 0x10, 0x00, 0, 0, 0, 0])
    }

    /// A workbook stream: globals naming the sheets, then each sheet's records
    /// (an HLINK record list per sheet).
    fn stream(sheets: &[(&str, Vec<Vec<u8>>)]) -> Vec<u8> {
        // The globals' length is fixed by the names, so lay them out twice.
        let globals = |offsets: &[u32]| {
            let mut g = bof();
            for ((name, _), &off) in sheets.iter().zip(offsets) {
                g.extend(boundsheet_record(off, name));
            }
            g.extend(record(RT_EOF, &[]));
            g
        };
        let mut offsets = vec![0; sheets.len()];
        let mut pos = globals(&offsets).len() as u32;
        let bodies: Vec<Vec<u8>> = sheets
            .iter()
            .map(|(_, recs)| {
                let mut s = bof();
                for rec in recs {
                    s.extend(rec);
                }
                s.extend(record(RT_EOF, &[]));
                s
            })
            .collect();
        for (off, body) in offsets.iter_mut().zip(&bodies) {
            *off = pos;
            pos += body.len() as u32;
        }
        let mut out = globals(&offsets);
        for body in bodies {
            out.extend(body);
        }
        out
    }

    #[test]
    fn url_link_with_display_name_and_range() {
        let mut body = hs("Bukti");
        body.extend(url_moniker_bytes(
            "https://drive.google.com/file/d/abc/view",
        ));
        let data = hlink_data((4, 5), (6, 6), 0x17, &body);
        let s = stream(&[("Tabel 1", vec![record(RT_HLINK, &data)])]);
        let links = expand(parse_stream(&s));
        let t1 = &links["Tabel 1"];
        assert_eq!(t1.len(), 2);
        assert_eq!(t1[&(4, 6)], "https://drive.google.com/file/d/abc/view");
        assert_eq!(t1[&(5, 6)], "https://drive.google.com/file/d/abc/view");
    }

    #[test]
    fn sheets_are_told_apart_and_unicode_names_read() {
        let link = |url: &str, row: u16| {
            record(
                RT_HLINK,
                &hlink_data((row, row), (1, 1), 0x03, &url_moniker_bytes(url)),
            )
        };
        let s = stream(&[
            ("Tabel 1", vec![link("https://a.id/1", 0)]),
            ("Ringkasan", vec![]),
            ("Lembar Ω", vec![link("https://a.id/2", 9)]),
        ]);
        let links = expand(parse_stream(&s));
        assert_eq!(links.len(), 2);
        assert_eq!(links["Tabel 1"][&(0, 1)], "https://a.id/1");
        assert_eq!(links["Lembar Ω"][&(9, 1)], "https://a.id/2");
    }

    #[test]
    fn continue_records_are_joined() {
        let data = hlink_data((2, 2), (3, 3), 0x03, &url_moniker_bytes("https://x.id/abc"));
        let (a, b) = data.split_at(40);
        let s = stream(&[("S", vec![record(RT_HLINK, a), record(RT_CONTINUE, b)])]);
        assert_eq!(expand(parse_stream(&s))["S"][&(2, 3)], "https://x.id/abc");
    }

    #[test]
    fn file_moniker_prefers_unicode_path_and_climbs() {
        let body = file_moniker_bytes(0, "C:\\Users\\x\\foto.jpg", Some("C:\\Users\\x\\fotó.jpg"));
        let data = hlink_data((0, 0), (0, 0), 0x01, &body);
        assert_eq!(hlink(&data).unwrap().1, "C:\\Users\\x\\fotó.jpg");
        let body = file_moniker_bytes(2, "bukti\\a.pdf", None);
        let data = hlink_data((0, 0), (0, 0), 0x01, &body);
        assert_eq!(hlink(&data).unwrap().1, "..\\..\\bukti\\a.pdf");
        let body = file_moniker_bytes(2, "C:/Users/x/foto.jpg", None);
        let data = hlink_data((0, 0), (0, 0), 0x01, &body);
        assert_eq!(hlink(&data).unwrap().1, "C:/Users/x/foto.jpg");
        let body = file_moniker_bytes(1, "\\\\srv\\share\\a.pdf", None);
        let data = hlink_data((0, 0), (0, 0), 0x01, &body);
        assert_eq!(hlink(&data).unwrap().1, "\\\\srv\\share\\a.pdf");
    }

    #[test]
    fn string_moniker_and_location() {
        let mut body = hs("\\\\server\\share\\a.xls");
        body.extend(hs("Sheet1!A1"));
        let data = hlink_data((0, 0), (0, 0), 0x10B, &body);
        assert_eq!(
            hlink(&data).unwrap().1,
            "\\\\server\\share\\a.xls#Sheet1!A1"
        );
    }

    #[test]
    fn internal_link_gives_nothing() {
        let mut body = hs("ke Tabel 2");
        body.extend(hs("'Tabel 2'!A1"));
        let data = hlink_data((0, 0), (0, 0), 0x1C, &body);
        assert_eq!(hlink(&data), None);
    }

    #[test]
    fn frame_name_is_skipped() {
        let mut body = hs("Bukti");
        body.extend(hs("_blank"));
        body.extend(url_moniker_bytes("https://a.id/x"));
        let data = hlink_data((0, 0), (0, 0), 0x97, &body);
        assert_eq!(hlink(&data).unwrap().1, "https://a.id/x");
    }

    #[test]
    fn composite_moniker_gives_its_first_target() {
        let mut body = CLSID_COMPOSITE_MONIKER.to_vec();
        body.extend(3u32.to_le_bytes());
        body.extend(CLSID_ANTI_MONIKER);
        body.extend(1u32.to_le_bytes());
        body.extend(file_moniker_bytes(0, "D:\\data.xls", None));
        body.extend(CLSID_ITEM_MONIKER);
        body.extend(2u32.to_le_bytes());
        body.extend(b"!\0");
        body.extend(3u32.to_le_bytes());
        body.extend(b"A1\0");
        let data = hlink_data((0, 0), (0, 0), 0x01, &body);
        assert_eq!(hlink(&data).unwrap().1, "D:\\data.xls");
    }

    #[test]
    fn unknown_moniker_gives_nothing() {
        let mut body = vec![0x42; 16];
        body.extend(hs("x"));
        let data = hlink_data((0, 0), (0, 0), 0x01, &body);
        assert_eq!(hlink(&data), None);
    }

    #[test]
    fn huge_range_is_one_entry_not_one_per_cell() {
        let data = hlink_data(
            (0, 65535),
            (0, 255),
            0x03,
            &url_moniker_bytes("https://a.id"),
        );
        let s = stream(&[("S", vec![record(RT_HLINK, &data)])]);
        let links = parse_stream(&s);
        assert_eq!(
            links["S"],
            vec![((0, 0), (65535, 255), "https://a.id".to_string())]
        );
    }

    #[test]
    fn links_outside_a_named_sheet_and_after_filepass_are_ignored() {
        let data = hlink_data((0, 0), (0, 0), 0x03, &url_moniker_bytes("https://a.id"));
        // In the globals substream.
        let mut s = bof();
        s.extend(record(RT_HLINK, &data));
        s.extend(record(RT_EOF, &[]));
        assert!(parse_stream(&s).is_empty());
        // After FILEPASS.
        let s = stream(&[(
            "S",
            vec![record(RT_FILEPASS, &[0; 6]), record(RT_HLINK, &data)],
        )]);
        assert!(parse_stream(&s).is_empty());
    }

    #[test]
    fn embedded_chart_keeps_its_sheet() {
        let data = hlink_data((1, 1), (1, 1), 0x03, &url_moniker_bytes("https://a.id"));
        let mut chart = bof();
        chart.extend(record(RT_EOF, &[]));
        let s = stream(&[("S", vec![chart, record(RT_HLINK, &data)])]);
        assert_eq!(expand(parse_stream(&s))["S"][&(1, 1)], "https://a.id");
    }

    /// An OLE compound file holding `stream` as its `Workbook` stream.
    fn compound_file(stream: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("create");
        file.create_stream("/Workbook")
            .expect("stream")
            .write_all(stream)
            .expect("write");
        file.flush().expect("flush");
        file.into_inner().into_inner()
    }

    #[test]
    fn reads_the_workbook_stream_of_a_compound_file() {
        let data = hlink_data((7, 7), (2, 2), 0x03, &url_moniker_bytes("https://a.id/z"));
        let bytes = compound_file(&stream(&[("Tabel 2", vec![record(RT_HLINK, &data)])]));
        assert_eq!(expand(links(&bytes))["Tabel 2"][&(7, 2)], "https://a.id/z");
    }

    #[test]
    fn damaged_compound_files_never_panic() {
        let data = hlink_data((7, 7), (2, 2), 0x03, &url_moniker_bytes("https://a.id/z"));
        let bytes = compound_file(&stream(&[("S", vec![record(RT_HLINK, &data)])]));
        for cut in (0..bytes.len()).step_by(97) {
            let _ = links(&bytes[..cut]);
        }
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..300 {
            let mut mutated = bytes.clone();
            for _ in 0..8 {
                // Mostly the header and directory, where a compound file is fragile.
                let i = (next() as usize) % mutated.len().min(2048);
                mutated[i] = next() as u8;
            }
            let _ = links(&mutated);
        }
    }

    #[test]
    fn garbage_and_truncations_never_panic() {
        assert!(links(b"").is_empty());
        assert!(links(b"not an xls file").is_empty());
        let mut header = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        header.extend([0xFF; 504]);
        assert!(links(&header).is_empty());

        let mut body = hs("Bukti");
        body.extend(url_moniker_bytes(
            "https://drive.google.com/file/d/abc/view",
        ));
        let good = hlink_data((0, 3), (0, 1), 0x17, &body);
        let file = hlink_data((0, 0), (0, 0), 0x01, &file_moniker_bytes(1, "a", Some("b")));
        let s = stream(&[("S", vec![record(RT_HLINK, &good), record(RT_HLINK, &file)])]);
        for cut in 0..s.len() {
            let _ = parse_stream(&s[..cut]);
        }
        for cut in 0..good.len() {
            let _ = hlink(&good[..cut]);
        }
        for cut in 0..file.len() {
            let _ = hlink(&file[..cut]);
        }

        // Deterministic pseudo-random bytes (xorshift), raw and mutated.
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..2000 {
            let len = (next() % 600) as usize;
            let noise: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            let _ = parse_stream(&noise);
            let _ = hlink(&noise);
            let mut mutated = s.clone();
            for _ in 0..4 {
                let i = (next() as usize) % mutated.len();
                mutated[i] = next() as u8;
            }
            let _ = parse_stream(&mutated);
            let _ = links(&noise);
        }
    }
}

/// Real .xls files: written as .xlsx by rust_xlsxwriter, converted by LibreOffice.
#[cfg(test)]
mod libreoffice_tests {
    use super::*;
    use std::path::{Path, PathBuf};
    use std::process::Command;

    use calamine::{Data, Reader as _, Xls};
    use rust_xlsxwriter::{Url, Workbook};

    /// `soffice` on the PATH, if any.
    fn soffice() -> Option<PathBuf> {
        std::env::split_paths(&std::env::var_os("PATH")?)
            .map(|dir| dir.join("soffice"))
            .find(|p| p.is_file())
    }

    /// Converts `xlsx` to .xls in its folder with LibreOffice; the .xls bytes.
    fn convert(soffice: &Path, xlsx: &Path) -> Vec<u8> {
        let dir = xlsx.parent().expect("file in a folder");
        let profile = dir.join("lo-profile");
        let status = Command::new(soffice)
            .arg("--headless")
            .arg("--norestore")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args(["--convert-to", "xls", "--outdir"])
            .arg(dir)
            .arg(xlsx)
            .output()
            .expect("soffice runs");
        assert!(status.status.success(), "soffice failed: {status:?}");
        std::fs::read(xlsx.with_extension("xls")).expect("converted .xls")
    }

    const DRIVE: &str = "https://drive.google.com/file/d/abc123XYZ_-/view";
    const DOCS: &str = "https://docs.google.com/document/d/XYZ/edit#heading=h.1";

    #[test]
    fn libreoffice_xls_links() {
        let Some(soffice) = soffice() else {
            eprintln!("skipped libreoffice_xls_links: soffice is not installed");
            return;
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let xlsx = dir.path().join("laporan.xlsx");
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet().set_name("Tabel 1").expect("name");
        ws.write(0, 0, "No").expect("write");
        ws.write_url_with_text(2, 6, Url::new(DRIVE), "Bukti")
            .expect("write");
        ws.write_url_with_text(3, 6, Url::new("file:///C:/Users/x/foto.jpg"), "Foto")
            .expect("write");
        ws.write_url_with_text(4, 6, Url::new("mailto:opd@serangkota.go.id"), "Surel")
            .expect("write");
        ws.write_url_with_text(5, 6, Url::new("internal:'Tabel 2'!A1"), "ke Tabel 2")
            .expect("write");
        let ws2 = wb.add_worksheet().set_name("Tabel 2").expect("name");
        ws2.write_url_with_text(10, 3, Url::new(DOCS), "Dokumen")
            .expect("write");
        wb.save(&xlsx).expect("save");

        let bytes = convert(&soffice, &xlsx);
        let links = tests::expand(links(&bytes));
        let t1 = &links["Tabel 1"];
        assert_eq!(t1[&(2, 6)], DRIVE);
        assert_eq!(t1[&(3, 6)], "C:/Users/x/foto.jpg");
        assert_eq!(t1[&(4, 6)], "mailto:opd@serangkota.go.id");
        assert!(!t1.contains_key(&(5, 6)), "internal link read as external");
        assert_eq!(t1.len(), 3);
        assert_eq!(links["Tabel 2"][&(10, 3)], DOCS);
        assert_eq!(links["Tabel 2"].len(), 1);

        // A damaged copy of a real file gives fewer links, never a panic.
        for cut in (0..bytes.len()).step_by(251) {
            let _ = super::links(&bytes[..cut]);
        }
        let mut x = 0xD1B5_4A32_D192_ED03u64;
        for _ in 0..200 {
            let mut mutated = bytes.clone();
            for _ in 0..16 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let i = (x as usize) % mutated.len();
                mutated[i] = (x >> 32) as u8;
            }
            let _ = super::links(&mutated);
        }

        // The positions are calamine's absolute positions of the display texts.
        let mut xls = Xls::new(Cursor::new(bytes)).expect("calamine opens it");
        let range = xls.worksheet_range("Tabel 1").expect("sheet");
        assert_eq!(range.get_value((2, 6)), Some(&Data::String("Bukti".into())));
        let range = xls.worksheet_range("Tabel 2").expect("sheet");
        assert_eq!(
            range.get_value((10, 3)),
            Some(&Data::String("Dokumen".into()))
        );
    }
}
