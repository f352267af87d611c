//! Opening one returned workbook from memory, whatever the format (.xlsx,
//! .xlsm, .xls, .ods), into a [`Book`]: every sheet's cells with absolute
//! positions, its visibility, and on demand each cell's link target (an xlsx
//! hyperlink, an ods `text:a`, an xls HLINK record, or a `HYPERLINK()` formula).

use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read, Seek};
use std::sync::LazyLock;

use calamine::{Data, Dimensions, Reader, SheetVisible, Sheets, Xlsx, open_workbook_auto_from_rs};
use regex::Regex;

use super::ods;
use super::source::Format;

/// A sheet's values by absolute 0-based (row, column).
type Cells = BTreeMap<(u32, u32), Data>;
/// Link targets by absolute 0-based (row, column).
type CellLinks = HashMap<(u32, u32), String>;
/// Links read outside calamine, by sheet: single cells (.ods) or HLINK ranges (.xls).
enum OtherLinks {
    Cells(ods::SheetLinks),
    Ranges(super::xls::SheetLinks),
}

/// Most sheets a workbook may have (a report has five; fz-12 claimed 100,000,
/// and each sheet costs a look-up by name inside calamine).
pub const MAX_SHEETS: usize = 255;

/// Most non-empty cells one sheet may hold (a filled template has about 1,000).
pub const MAX_CELLS: usize = 250_000;
/// Most bytes a zipped workbook (.xlsx, .xlsm, .ods) may unpack to.
pub const MAX_UNPACKED: u64 = 300 * 1024 * 1024;

/// One sheet's non-empty cells, stored sparsely by absolute 0-based (row, column),
/// so a stray value in XFD1048576 costs one entry, not a billion.
pub struct Sheet {
    pub name: String,
    pub visible: SheetVisible,
    cells: BTreeMap<(u32, u32), Data>,
    rows: Vec<u32>,
    cols: Vec<u32>,
    /// Merged areas taller than one row: their lower cells read the top-left
    /// value. Indexed, so a look-up is no scan over every merge (fz-09).
    merges: super::rects::RectIndex<()>,
}

static EMPTY: Data = Data::Empty;

impl Sheet {
    fn new(
        name: String,
        visible: SheetVisible,
        cells: BTreeMap<(u32, u32), Data>,
        merges: Vec<Dimensions>,
    ) -> Sheet {
        let mut rows: Vec<u32> = cells.keys().map(|(r, _)| *r).collect();
        rows.dedup();
        let mut cols: Vec<u32> = cells.keys().map(|(_, c)| *c).collect();
        cols.sort_unstable();
        cols.dedup();
        let mut index = super::rects::RectIndex::default();
        for d in merges
            .into_iter()
            .filter(|d| d.end.0 > d.start.0 && d.end.1 >= d.start.1)
        {
            index.push(d.start, d.end, ());
        }
        let merges = index;
        Sheet {
            name,
            visible,
            cells,
            rows,
            cols,
            merges,
        }
    }

    /// The cell whose value (row, col) shows: the top-left of a merged area taller
    /// than one row (people merge Waktu Pelaksanaan or Data Dukung over several
    /// activities), else the cell itself.
    pub fn anchor(&self, row: u32, col: u32) -> (u32, u32) {
        self.merges
            .find(row, col)
            .map_or((row, col), |(start, _)| start)
    }

    /// The value at an absolute 0-based (row, column).
    pub fn value(&self, row: u32, col: u32) -> &Data {
        self.cells.get(&self.anchor(row, col)).unwrap_or(&EMPTY)
    }

    /// The value as trimmed text ("" when empty). Whole floats print without ".0".
    pub fn text(&self, row: u32, col: u32) -> String {
        data_text(self.value(row, col))
    }

    /// The rows holding at least one value, in order.
    pub fn rows(&self) -> &[u32] {
        &self.rows
    }

    /// The rows holding a value, from `first` on.
    pub fn rows_from(&self, first: u32) -> &[u32] {
        &self.rows[self.rows.partition_point(|r| *r < first)..]
    }

    /// The columns holding at least one value, in order.
    pub fn cols(&self) -> &[u32] {
        &self.cols
    }

    /// The values stored in one row, left to right, as (column, value).
    pub fn row_cells(&self, row: u32) -> impl Iterator<Item = (u32, &Data)> {
        self.cells
            .range((row, 0)..=(row, u32::MAX))
            .map(|((_, c), v)| (*c, v))
    }
}

/// Link targets of one sheet: single cells, and hyperlink ranges kept as
/// ranges (indexed: a look-up is no scan over every range).
#[derive(Debug, Clone, Default)]
pub struct Links {
    cells: HashMap<(u32, u32), String>,
    ranges: super::rects::RectIndex<String>,
}

impl Links {
    /// The target at (row, col), if any.
    pub fn get(&self, row: u32, col: u32) -> Option<&str> {
        self.cells
            .get(&(row, col))
            .map(String::as_str)
            .or_else(|| self.ranges.find(row, col).map(|(_, t)| t.as_str()))
    }
}

/// Text of a cell value (one function for the reader and the roster).
pub use crate::text::cell_text as data_text;

/// An opened workbook.
pub struct Book {
    pub sheets: Vec<Sheet>,
    pub custom_properties: HashMap<String, String>,
    /// The workbook's own last-modified property (RFC 3339 text as stored).
    pub modified: Option<String>,
    workbook: Sheets<Cursor<Vec<u8>>>,
    /// `HYPERLINK()` targets found while reading .xlsx cells, by sheet.
    formula_links: HashMap<String, HashMap<(u32, u32), String>>,
    /// Link targets read outside calamine (.ods `text:a`, .xls HLINK records).
    other_links: Option<OtherLinks>,
}

/// Why a file could not be opened, in Indonesian.
pub fn open(bytes: Vec<u8>, format: Format) -> Result<Book, String> {
    if is_encrypted(&bytes) {
        return Err(
            "berkas dilindungi kata sandi; simpan ulang tanpa kata sandi lalu kirim kembali".into(),
        );
    }
    check_unpacked_size(&bytes)?;
    // calamine gives no hyperlink targets for .ods and .xls: read them directly.
    let other_links = match format {
        Format::Ods => Some(OtherLinks::Cells(ods::links(&bytes))),
        Format::Xls => Some(OtherLinks::Ranges(super::xls::links(&bytes))),
        _ => None,
    };
    let mut workbook = open_by_format(bytes, format)?;
    let props = workbook.workbook_properties().unwrap_or_default();
    let metadata: Vec<(String, SheetVisible)> = workbook
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible))
        .collect();
    if metadata.len() > MAX_SHEETS {
        return Err(format!(
            "buku kerja berisi {} lembar (paling banyak {MAX_SHEETS}); berkas tidak wajar untuk laporan ini",
            metadata.len()
        ));
    }
    let mut sheets = Vec::with_capacity(metadata.len());
    let mut formula_links = HashMap::new();
    for (name, visible) in metadata {
        let unreadable = || format!("lembar '{name}' rusak dan tidak dapat dibaca");
        let (cells, merges) = match &mut workbook {
            Sheets::Xlsx(x) => {
                let (cells, links) =
                    read_xlsx_sheet(x, &name).map_err(|e| e.unwrap_or_else(unreadable))?;
                formula_links.insert(name.clone(), links);
                (
                    cells,
                    x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
                )
            }
            other => {
                let range = other.worksheet_range(&name).map_err(|_| unreadable())?;
                let mut cells = BTreeMap::new();
                for (r, c, v) in range.used_cells() {
                    if cells.len() >= MAX_CELLS {
                        return Err(too_many_cells(&name));
                    }
                    let (r0, c0) = range.start().unwrap_or((0, 0));
                    cells.insert((r0 + r as u32, c0 + c as u32), v.clone());
                }
                let merges = match other {
                    Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
                    _ => Vec::new(),
                };
                (cells, merges)
            }
        };
        sheets.push(Sheet::new(name, visible, cells, merges));
    }
    if sheets.is_empty() {
        return Err("buku kerja tidak memiliki lembar".into());
    }
    Ok(Book {
        sheets,
        custom_properties: props.custom_properties,
        modified: props.modified,
        workbook,
        formula_links,
        other_links,
    })
}

/// Opens the workbook with the reader of its format (detected from the content
/// by `guard::read_checked`; the file name decides nothing), telling a
/// password-protected file apart from a damaged one.
fn open_by_format(bytes: Vec<u8>, format: Format) -> Result<Sheets<Cursor<Vec<u8>>>, String> {
    use calamine::{Ods, OdsError, Xls, XlsError, XlsxError};
    let broken = || "berkas rusak atau bukan lembar kerja yang dapat dibuka".to_string();
    let password = || super::guard::PASSWORD.to_string();
    let cursor = Cursor::new(bytes);
    match format {
        Format::Xls => match Xls::new(cursor) {
            Ok(x) => Ok(Sheets::Xls(x)),
            Err(XlsError::Password) => Err(password()),
            Err(_) => Err(broken()),
        },
        Format::Ods => match Ods::new(cursor) {
            Ok(x) => Ok(Sheets::Ods(x)),
            Err(OdsError::Password) => Err(password()),
            Err(_) => Err(broken()),
        },
        Format::Xlsx | Format::Xlsm => match Xlsx::new(cursor.clone()) {
            Ok(x) => Ok(Sheets::Xlsx(x)),
            Err(XlsxError::Password) => Err(password()),
            // Not an xlsx after all (the name said so, the content is unknown).
            Err(_) => open_workbook_auto_from_rs(cursor).map_err(|_| broken()),
        },
    }
}

fn too_many_cells(sheet: &str) -> String {
    format!(
        "lembar '{sheet}' berisi lebih dari {MAX_CELLS} sel terisi; berkas tidak wajar untuk laporan ini"
    )
}

/// Streams an .xlsx sheet once: values (sparse) and `HYPERLINK()` targets.
/// `Err(None)` means the sheet XML is broken; `Err(Some(reason))` a limit.
fn read_xlsx_sheet<RS: Read + Seek>(
    x: &mut Xlsx<RS>,
    name: &str,
) -> Result<(Cells, CellLinks), Option<String>> {
    let mut reader = x.worksheet_cells_reader(name).map_err(|_| None)?;
    let mut cells = BTreeMap::new();
    let mut links = HashMap::new();
    while let Some(cell) = reader.next_cell_with_formula().map_err(|_| None)? {
        if let Some(url) = cell
            .formula
            .as_deref()
            .and_then(|f| HYPERLINK_FORMULA.captures(f))
            .and_then(|c| c.get(1))
        {
            links.insert(cell.pos, url.as_str().to_string());
        }
        let value = Data::from(cell.value);
        if value != Data::Empty {
            if cells.len() >= MAX_CELLS {
                return Err(Some(too_many_cells(name)));
            }
            cells.insert(cell.pos, value);
        }
    }
    Ok((cells, links))
}

/// Refuses zipped workbooks that unpack to more than [`MAX_UNPACKED`] (zip bombs).
/// Non-zip files (.xls) pass: their size is bounded by the file itself.
fn check_unpacked_size(bytes: &[u8]) -> Result<(), String> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        if let Ok(entry) = zip.by_index_raw(i) {
            total = total.saturating_add(entry.size());
        }
    }
    if total > MAX_UNPACKED {
        return Err(format!(
            "isi berkas terlalu besar setelah dibuka ({} MiB; paling banyak {} MiB)",
            total / (1024 * 1024),
            MAX_UNPACKED / (1024 * 1024)
        ));
    }
    Ok(())
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

    /// Link targets of a sheet: hyperlinks first, then `HYPERLINK("url", …)`
    /// formulas. Failures to read them give no links (the cell text is judged).
    pub fn links(&mut self, sheet: &str) -> Links {
        let mut out = Links::default();
        match &mut self.workbook {
            Sheets::Xlsx(x) => {
                if let Ok(links) = x.hyperlinks_by_sheet_name(sheet) {
                    for link in links {
                        if let Some(target) = link.target {
                            out.ranges.push(link.range.start, link.range.end, target);
                        }
                    }
                }
                if let Some(f) = self.formula_links.get(sheet) {
                    out.cells.extend(f.iter().map(|(k, v)| (*k, v.clone())));
                }
            }
            other => {
                if let Ok(formulas) = other.worksheet_formula(sheet) {
                    let (r0, c0) = formulas.start().unwrap_or((0, 0));
                    for (row, col, f) in formulas.used_cells() {
                        if let Some(url) = HYPERLINK_FORMULA.captures(f).and_then(|c| c.get(1)) {
                            out.cells.insert(
                                (r0 + row as u32, c0 + col as u32),
                                url.as_str().to_string(),
                            );
                        }
                    }
                }
                match &self.other_links {
                    Some(OtherLinks::Cells(l)) => {
                        for (k, v) in l.get(sheet).into_iter().flatten() {
                            out.cells.entry(*k).or_insert_with(|| v.clone());
                        }
                    }
                    // HLINK ranges stay ranges: one URL per record, never per cell (fz-07).
                    Some(OtherLinks::Ranges(l)) => {
                        for (from, to, v) in l.get(sheet).into_iter().flatten() {
                            out.ranges.push(*from, *to, v.clone());
                        }
                    }
                    None => {}
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
