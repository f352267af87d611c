//! Opening one returned workbook from memory, whatever the format (.xlsx,
//! .xlsm, .xls, .ods), into a [`Book`]: on demand, a sheet's cells with
//! absolute positions and merged areas (.xlsx, .xls, and .ods from
//! `content.xml`), and each cell's link targets (an xlsx hyperlink with its
//! `#` location, every ods `text:a`, an xls HLINK record, or a `HYPERLINK()`
//! formula). Only the sheets a caller asks for are read.

use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read, Seek};
use std::sync::LazyLock;

use calamine::{
    Data, Dimensions, Reader, SheetType, SheetVisible, Sheets, Xlsx, open_workbook_auto_from_rs,
};
use regex::Regex;

use super::ods;
use super::source::Format;
use crate::links::hyperlink_target;

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
/// Most bytes a zipped workbook (.xlsx, .xlsm, .ods) may unpack to: the sum
/// of its parts' sizes, and again the sum over every time a part is opened
/// while it is read (calamine's `unpack_budget`, set by [`open`] for the
/// thread that reads the workbook).
pub const MAX_UNPACKED: u64 = 300 * 1024 * 1024;

/// The reason given when reading would unpack more than [`MAX_UNPACKED`].
fn unpacked_too_much() -> String {
    format!(
        "isi berkas terlalu besar setelah dibuka (bagian-bagiannya, setiap kali dibaca, melebihi {} MiB)",
        MAX_UNPACKED / (1024 * 1024)
    )
}

/// A row near a sheet's top: (row, its non-empty cells as (column, normalised text)).
pub type HeadRow = (u32, Vec<(u32, String)>);

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
    /// [`Sheet::head_keys`], made once.
    head_keys: OnceCell<Vec<HeadRow>>,
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
            head_keys: OnceCell::new(),
        }
    }

    /// The first [`HEAD_ROWS`] rows holding anything, each as (row, its
    /// non-empty text cells as (column, [`crate::text::normalize_key`] of the
    /// text)): where a form's header row is looked for. Made once per sheet,
    /// however many tables are looked for.
    pub fn head_keys(&self) -> &[HeadRow] {
        self.head_keys.get_or_init(|| {
            self.rows
                .iter()
                .take(HEAD_ROWS)
                .map(|&row| {
                    // Headers are text: numbers and dates (most of a
                    // filled table) are never a header and are not keyed.
                    let cells = self
                        .row_cells(row)
                        .filter_map(|(c, v)| match v {
                            Data::String(s) => Some((c, crate::text::normalize_key(s))),
                            _ => None,
                        })
                        .filter(|(_, k)| !k.is_empty())
                        .collect();
                    (row, cells)
                })
                .collect()
        })
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

/// A sheet as listed by the workbook, before any of its cells are read.
#[derive(Debug, Clone)]
pub struct SheetInfo {
    pub name: String,
    pub visible: SheetVisible,
    /// False for chart, dialog, macro and VBA sheets, which hold no form and are
    /// never read.
    pub worksheet: bool,
}

/// How many rows holding anything a sheet's head keeps: form headers sit near
/// the top, so sheets monev may not need are only read this far.
pub const HEAD_ROWS: usize = 60;

/// A sheet read (or not), kept once read.
type Loaded = Result<Sheet, String>;

/// An opened workbook. Sheets are read on demand and only as far as needed:
/// monev reads Tabel 1, Tabel 2 and `_monev`, and only the first [`HEAD_ROWS`]
/// rows of other sheets (to find a renamed or copied form), so a sheet it does
/// not need (a chart, a pivot table, an added "Catatan") never stops a report.
pub struct Book {
    pub sheets: Vec<SheetInfo>,
    pub custom_properties: HashMap<String, String>,
    /// The workbook's own last-modified property (RFC 3339 text as stored).
    pub modified: Option<String>,
    workbook: RefCell<Sheets<Cursor<Vec<u8>>>>,
    full: Vec<OnceCell<Loaded>>,
    heads: Vec<OnceCell<Loaded>>,
    /// `HYPERLINK()` targets found while reading .xlsx cells, by sheet.
    formula_links: RefCell<HashMap<String, CellLinks>>,
    /// .xlsx hyperlinks read with a sheet's cells, by sheet.
    xlsx_hyperlinks: RefCell<HashMap<String, Vec<calamine::Hyperlink>>>,
    /// Link targets read outside calamine (.ods `text:a`, .xls HLINK records).
    other_links: Option<OtherLinks>,
    /// .ods merged areas, read from `content.xml` (calamine gives none).
    ods_merges: HashMap<String, Vec<Dimensions>>,
}

/// Why a file could not be opened, in Indonesian.
pub fn open(bytes: Vec<u8>, format: Format) -> Result<Book, String> {
    if is_encrypted(&bytes) {
        return Err(
            "berkas dilindungi kata sandi; simpan ulang tanpa kata sandi lalu kirim kembali".into(),
        );
    }
    check_unpacked_size(&bytes)?;
    // Every part opened from here on, by monev or calamine, on this thread,
    // is charged to the budget (the book is read on the thread that opens it).
    calamine::unpack_budget::set(Some(MAX_UNPACKED));
    // calamine gives no hyperlink targets for .ods and .xls, nor .ods merges:
    // read them directly.
    let (other_links, ods_merges) = match format {
        Format::Ods => {
            let content = ods::read(&bytes);
            (Some(OtherLinks::Cells(content.links)), content.merges)
        }
        Format::Xls => (
            Some(OtherLinks::Ranges(super::xls::links(&bytes))),
            HashMap::new(),
        ),
        _ => (None, HashMap::new()),
    };
    let mut workbook = open_by_format(bytes, format).map_err(|e| {
        if calamine::unpack_budget::exceeded() {
            unpacked_too_much()
        } else {
            e
        }
    })?;
    let props = workbook.workbook_properties().unwrap_or_default();
    let sheets: Vec<SheetInfo> = workbook
        .sheets_metadata()
        .iter()
        .map(|s| SheetInfo {
            name: s.name.clone(),
            visible: s.visible,
            worksheet: s.typ == SheetType::WorkSheet,
        })
        .collect();
    if sheets.len() > MAX_SHEETS {
        return Err(format!(
            "buku kerja berisi {} lembar (paling banyak {MAX_SHEETS}); berkas tidak wajar untuk laporan ini",
            sheets.len()
        ));
    }
    if sheets.is_empty() {
        return Err("buku kerja tidak memiliki lembar".into());
    }
    Ok(Book {
        full: sheets.iter().map(|_| OnceCell::new()).collect(),
        heads: sheets.iter().map(|_| OnceCell::new()).collect(),
        sheets,
        custom_properties: props.custom_properties,
        modified: props.modified,
        workbook: RefCell::new(workbook),
        formula_links: RefCell::new(HashMap::new()),
        xlsx_hyperlinks: RefCell::new(HashMap::new()),
        other_links,
        ods_merges,
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
        // Values only: monev reads no fonts, fills, borders or app properties.
        Format::Xlsx | Format::Xlsm => match Xlsx::new_values_only(cursor.clone()) {
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

/// What one read of an .xlsx worksheet gives.
struct XlsxSheet {
    cells: Cells,
    /// `HYPERLINK()` formula targets.
    formula_links: CellLinks,
    /// Merged areas and hyperlinks: read only when the whole sheet is.
    merges: Vec<Dimensions>,
    hyperlinks: Option<Vec<calamine::Hyperlink>>,
}

/// Streams an .xlsx sheet once: values (sparse) and `HYPERLINK()` targets,
/// stopping after `max_rows` rows holding a value when given; a whole sheet
/// also gives its merged areas and hyperlinks from the same read (the
/// vendored calamine's `worksheet_one_pass`).
/// `Err(None)` means the sheet XML is broken; `Err(Some(reason))` a limit.
fn read_xlsx_sheet<RS: Read + Seek>(
    x: &mut Xlsx<RS>,
    name: &str,
    max_rows: Option<usize>,
) -> Result<XlsxSheet, Option<String>> {
    let mut cells = BTreeMap::new();
    let mut formula_links = HashMap::new();
    let mut rows = RowCount::new(max_rows);
    let mut over_limit = false;
    let mut take = |cell: calamine::XlsxCellFormula<'_>| -> bool {
        if let Some(url) = cell
            .formula
            .as_deref()
            .and_then(|f| HYPERLINK_FORMULA.captures(f))
            .and_then(|c| c.get(1))
        {
            formula_links.insert(cell.pos, url.as_str().to_string());
        }
        let value = Data::from(cell.value);
        if value != Data::Empty {
            if rows.full(cell.pos.0) {
                return false;
            }
            if cells.len() >= MAX_CELLS {
                over_limit = true;
                return false;
            }
            cells.insert(cell.pos, value);
        }
        true
    };
    let (merges, hyperlinks) = if max_rows.is_some() {
        let mut reader = x.worksheet_cells_reader(name).map_err(|_| None)?;
        while let Some(cell) = reader.next_cell_with_formula().map_err(|_| None)? {
            if !take(cell) {
                break;
            }
        }
        (Vec::new(), None)
    } else {
        let (merges, links) = x.worksheet_one_pass(name, &mut take).map_err(|_| None)?;
        (merges, Some(links))
    };
    if over_limit {
        return Err(Some(too_many_cells(name)));
    }
    Ok(XlsxSheet {
        cells,
        formula_links,
        merges,
        hyperlinks,
    })
}

/// Counts the rows holding a value, to stop reading a sheet's head in time.
struct RowCount {
    max: Option<usize>,
    seen: usize,
    last: Option<u32>,
}

impl RowCount {
    fn new(max: Option<usize>) -> RowCount {
        RowCount {
            max,
            seen: 0,
            last: None,
        }
    }

    /// True when a value in `row` would go past the limit (rows come in order).
    fn full(&mut self, row: u32) -> bool {
        if self.last != Some(row) {
            if self.max.is_some_and(|m| self.seen >= m) {
                return true;
            }
            self.seen += 1;
            self.last = Some(row);
        }
        false
    }
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
    /// The index of the sheet with this exact name.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.sheets.iter().position(|s| s.name == name)
    }

    /// The sheet with this exact name, read whole; None when there is no such
    /// sheet or it cannot be read.
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.index(name).and_then(|i| self.sheet_at(i).ok())
    }

    /// Sheet `i`, read whole (once). `Err` gives why it cannot be read, in Indonesian.
    pub fn sheet_at(&self, i: usize) -> Result<&Sheet, &str> {
        self.full[i]
            .get_or_init(|| self.load(i, None))
            .as_ref()
            .map_err(String::as_str)
    }

    /// The first [`HEAD_ROWS`] rows holding anything of sheet `i` (the whole
    /// sheet when it was read whole already). `Err` as for [`Book::sheet_at`].
    pub fn head_at(&self, i: usize) -> Result<&Sheet, &str> {
        if let Some(Ok(sheet)) = self.full[i].get() {
            return Ok(sheet);
        }
        self.heads[i]
            .get_or_init(|| self.load(i, Some(HEAD_ROWS)))
            .as_ref()
            .map_err(String::as_str)
    }

    /// The sheets that were tried and could not be read, with why.
    pub fn unread(&self) -> Vec<(&str, &str)> {
        self.sheets
            .iter()
            .zip(self.full.iter().zip(&self.heads))
            .filter_map(|(info, (full, head))| {
                let err = match (full.get(), head.get()) {
                    (Some(Err(e)), _) | (None, Some(Err(e))) => e,
                    _ => return None,
                };
                Some((info.name.as_str(), err.as_str()))
            })
            .collect()
    }

    /// Reads sheet `i`, whole or only its first `max_rows` rows holding a value.
    fn load(&self, i: usize, max_rows: Option<usize>) -> Loaded {
        let info = &self.sheets[i];
        let name = info.name.as_str();
        let unreadable = || {
            if calamine::unpack_budget::exceeded() {
                format!(
                    "lembar '{name}' tidak dibaca karena {}",
                    unpacked_too_much()
                )
            } else {
                format!("lembar '{name}' rusak dan tidak dapat dibaca")
            }
        };
        if !info.worksheet {
            return Err(format!("lembar '{name}' bukan lembar kerja"));
        }
        let mut workbook = self.workbook.borrow_mut();
        let (cells, merges) = match &mut *workbook {
            Sheets::Xlsx(x) => {
                let read =
                    read_xlsx_sheet(x, name, max_rows).map_err(|e| e.unwrap_or_else(unreadable))?;
                if let Some(hyperlinks) = read.hyperlinks {
                    self.formula_links
                        .borrow_mut()
                        .insert(name.to_string(), read.formula_links);
                    self.xlsx_hyperlinks
                        .borrow_mut()
                        .insert(name.to_string(), hyperlinks);
                }
                (read.cells, read.merges)
            }
            other => {
                let range = other.worksheet_range(name).map_err(|_| unreadable())?;
                let (r0, c0) = range.start().unwrap_or((0, 0));
                let mut cells = BTreeMap::new();
                let mut rows = RowCount::new(max_rows);
                for (r, c, v) in range.used_cells() {
                    if rows.full(r as u32) {
                        break;
                    }
                    if cells.len() >= MAX_CELLS {
                        return Err(too_many_cells(name));
                    }
                    cells.insert((r0 + r as u32, c0 + c as u32), v.clone());
                }
                let merges = match other {
                    Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
                    _ => self.ods_merges.get(name).cloned().unwrap_or_default(),
                };
                (cells, merges)
            }
        };
        Ok(Sheet::new(name.to_string(), info.visible, cells, merges))
    }

    /// Link targets of a sheet: hyperlinks first, then `HYPERLINK("url", …)`
    /// formulas. Failures to read them give no links (the cell text is judged).
    /// An .xlsx target Excel split at `#` gets its `location` back
    /// (`…/edit#gid=0`); a relative target names a file beside the sender's
    /// workbook and reads as such ([`crate::links::hyperlink_target`]).
    pub fn links(&self, sheet: &str) -> Links {
        let mut out = Links::default();
        match &mut *self.workbook.borrow_mut() {
            Sheets::Xlsx(x) => {
                // Read with the sheet's cells when it was read whole; else read now.
                let read = self.xlsx_hyperlinks.borrow_mut().remove(sheet);
                if let Ok(links) = read
                    .map(Ok)
                    .unwrap_or_else(|| x.hyperlinks_by_sheet_name(sheet))
                {
                    for link in links {
                        let Some(target) = link.target else { continue };
                        let target = match link.location.as_deref().map(str::trim) {
                            Some(l) if !l.is_empty() && !target.contains('#') => {
                                format!("{target}#{l}")
                            }
                            _ => target,
                        };
                        out.ranges.push(
                            link.range.start,
                            link.range.end,
                            hyperlink_target(&target),
                        );
                    }
                }
                if let Some(f) = self.formula_links.borrow().get(sheet) {
                    out.cells
                        .extend(f.iter().map(|(k, v)| (*k, hyperlink_target(v))));
                }
            }
            other => {
                if let Ok(formulas) = other.worksheet_formula(sheet) {
                    let (r0, c0) = formulas.start().unwrap_or((0, 0));
                    for (row, col, f) in formulas.used_cells() {
                        if let Some(url) = HYPERLINK_FORMULA.captures(f).and_then(|c| c.get(1)) {
                            out.cells.insert(
                                (r0 + row as u32, c0 + col as u32),
                                hyperlink_target(url.as_str()),
                            );
                        }
                    }
                }
                match &self.other_links {
                    Some(OtherLinks::Cells(l)) => {
                        for (k, v) in l.get(sheet).into_iter().flatten() {
                            out.cells
                                .entry(*k)
                                .or_insert_with(|| hyperlinks_target_list(v));
                        }
                    }
                    // HLINK ranges stay ranges: one URL per record, never per cell (fz-07).
                    Some(OtherLinks::Ranges(l)) => {
                        for (from, to, v) in l.get(sheet).into_iter().flatten() {
                            out.ranges.push(*from, *to, hyperlink_target(v));
                        }
                    }
                    None => {}
                }
            }
        }
        out
    }
}

/// Several targets of one cell (space-separated), each read as [`hyperlink_target`].
fn hyperlinks_target_list(targets: &str) -> String {
    targets
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(hyperlink_target)
        .collect::<Vec<_>>()
        .join(" ")
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
    fn head_stops_after_its_rows() {
        let mut rows = RowCount::new(Some(2));
        // Several cells of one row count once; the third row is past the head.
        assert!(!rows.full(4) && !rows.full(4) && !rows.full(9) && !rows.full(9));
        assert!(rows.full(10));
        let mut all = RowCount::new(None);
        assert!((0..1000).all(|r| !all.full(r)));
    }

    #[test]
    fn several_targets_are_each_read_as_hyperlink_targets() {
        assert_eq!(
            hyperlinks_target_list("file:///D:/a.jpg  Dokumentasi/b.jpg https://x.id/c"),
            "file:///D:/a.jpg ./Dokumentasi/b.jpg https://x.id/c"
        );
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
