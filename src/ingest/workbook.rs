//! Opening one returned workbook from memory, whatever the format (.xlsx,
//! .xlsm, .xls, .ods), into a [`Book`]: every sheet's cells with absolute
//! positions, its visibility, and on demand each cell's link target (an xlsx
//! hyperlink, an ods `text:a`, an xls HLINK record, or a `HYPERLINK()` formula).

use std::collections::HashMap;
use std::io::Cursor;
use std::sync::LazyLock;

use calamine::{Data, Range, Reader, SheetVisible, Sheets, open_workbook_auto_from_rs};
use regex::Regex;

use super::ods;
use super::source::Format;

/// One sheet's cells.
pub struct Sheet {
    pub name: String,
    pub visible: SheetVisible,
    pub cells: Range<Data>,
}

static EMPTY: Data = Data::Empty;

impl Sheet {
    /// The value at an absolute 0-based (row, column).
    pub fn value(&self, row: u32, col: u32) -> &Data {
        self.cells.get_value((row, col)).unwrap_or(&EMPTY)
    }

    /// The value as trimmed text ("" when empty). Whole floats print without ".0".
    pub fn text(&self, row: u32, col: u32) -> String {
        data_text(self.value(row, col))
    }

    /// Absolute (first row, last row) of the used area.
    pub fn rows(&self) -> std::ops::RangeInclusive<u32> {
        match (self.cells.start(), self.cells.end()) {
            (Some((r0, _)), Some((r1, _))) => r0..=r1,
            // An empty sheet: a range that yields nothing.
            _ => std::ops::RangeInclusive::new(1, 0),
        }
    }

    /// Absolute (first column, last column) of the used area.
    pub fn cols(&self) -> std::ops::RangeInclusive<u32> {
        match (self.cells.start(), self.cells.end()) {
            (Some((_, c0)), Some((_, c1))) => c0..=c1,
            // An empty sheet: a range that yields nothing.
            _ => std::ops::RangeInclusive::new(1, 0),
        }
    }
}

/// Text of a cell value.
pub fn data_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string().trim().to_string(),
    }
}

/// An opened workbook.
pub struct Book {
    pub sheets: Vec<Sheet>,
    pub custom_properties: HashMap<String, String>,
    /// The workbook's own last-modified property (RFC 3339 text as stored).
    pub modified: Option<String>,
    workbook: Sheets<Cursor<Vec<u8>>>,
    /// Link targets read outside calamine (.ods `text:a`, .xls HLINK records).
    other_links: Option<ods::SheetLinks>,
}

/// Why a file could not be opened, in Indonesian.
pub fn open(bytes: Vec<u8>, format: Format) -> Result<Book, String> {
    if is_encrypted(&bytes) {
        return Err(
            "berkas dilindungi kata sandi; simpan ulang tanpa kata sandi lalu kirim kembali".into(),
        );
    }
    // calamine gives no hyperlink targets for .ods and .xls: read them directly.
    let other_links = match format {
        Format::Ods => Some(ods::links(&bytes)),
        Format::Xls => Some(super::xls::links(&bytes)),
        _ => None,
    };
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|_| "berkas rusak atau bukan lembar kerja yang dapat dibuka".to_string())?;
    let props = workbook.workbook_properties().unwrap_or_default();
    let metadata: Vec<(String, SheetVisible)> = workbook
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible))
        .collect();
    let mut sheets = Vec::with_capacity(metadata.len());
    for (name, visible) in metadata {
        let cells = workbook
            .worksheet_range(&name)
            .map_err(|_| format!("lembar '{name}' rusak dan tidak dapat dibaca"))?;
        sheets.push(Sheet {
            name,
            visible,
            cells,
        });
    }
    if sheets.is_empty() {
        return Err("buku kerja tidak memiliki lembar".into());
    }
    Ok(Book {
        sheets,
        custom_properties: props.custom_properties,
        modified: props.modified,
        workbook,
        other_links,
    })
}

/// An OLE compound file holding an `EncryptedPackage` stream is a password-protected xlsx.
fn is_encrypted(bytes: &[u8]) -> bool {
    const CFB: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if !bytes.starts_with(&CFB) {
        return false;
    }
    let needle: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

static HYPERLINK_FORMULA: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i)HYPERLINK\s*\(\s*"([^"]*)""#).expect("valid regex"));

impl Book {
    /// The sheet with this exact name.
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.sheets.iter().find(|s| s.name == name)
    }

    /// Link targets of a sheet by absolute (row, column): hyperlinks first, then
    /// `HYPERLINK("url", …)` formulas. Failures to read them give no links.
    pub fn links(&mut self, sheet: &str) -> HashMap<(u32, u32), String> {
        let mut out = HashMap::new();
        if let Ok(formulas) = self.workbook.worksheet_formula(sheet) {
            for (row, col, f) in formulas.used_cells() {
                if let Some(url) = HYPERLINK_FORMULA.captures(f).and_then(|c| c.get(1)) {
                    let (r0, c0) = formulas.start().unwrap_or((0, 0));
                    out.insert((r0 + row as u32, c0 + col as u32), url.as_str().to_string());
                }
            }
        }
        match &mut self.workbook {
            Sheets::Xlsx(x) => {
                if let Ok(links) = x.hyperlinks_by_sheet_name(sheet) {
                    for link in links {
                        if let Some(target) = link.target {
                            let (r0, c0) = link.range.start;
                            let (r1, c1) = link.range.end;
                            for r in r0..=r1.min(r0 + 10_000) {
                                for c in c0..=c1.min(c0 + 100) {
                                    out.insert((r, c), target.clone());
                                }
                            }
                        }
                    }
                }
            }
            _ => {
                if let Some(links) = self.other_links.as_ref().and_then(|l| l.get(sheet)) {
                    out.extend(links.iter().map(|(k, v)| (*k, v.clone())));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_indonesian_reason() {
        let e = open(b"bukan lembar kerja".to_vec(), Format::Xlsx)
            .err()
            .unwrap();
        assert_eq!(e, "berkas rusak atau bukan lembar kerja yang dapat dibuka");
    }

    #[test]
    fn encrypted_package_is_recognised() {
        let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        bytes.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        let e = open(bytes, Format::Xlsx).err().unwrap();
        assert!(e.contains("kata sandi"), "{e}");
    }

    #[test]
    fn hyperlink_formula_pattern() {
        let c = HYPERLINK_FORMULA
            .captures(r#"of:=HYPERLINK("https://x.y/a";"Bukti")"#)
            .unwrap();
        assert_eq!(&c[1], "https://x.y/a");
        let c = HYPERLINK_FORMULA
            .captures(r#"hyperlink( "http://a" , "b")"#)
            .unwrap();
        assert_eq!(&c[1], "http://a");
    }
}
