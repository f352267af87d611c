//! The one set of cell formats every workbook monev writes uses (templates,
//! rekap, feedback), so the header colour, borders and number formats are
//! defined once, and [`Column`]: one sheet column's header, width and kind.
//! A sheet's columns are a `&[Column]`; [`write_header`] and [`write_row`]
//! follow it, so header names, widths and formats cannot drift apart.
//!
//! Numbers are numeric cells. Number formats carry the Indonesian locale
//! (`[$-421]`), so LibreOffice shows `87,5` whatever the reader's locale and
//! Excel shows it in the reader's own locale.

use chrono::{NaiveDate, NaiveDateTime};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Url, Worksheet, XlsxError};

use crate::print::{MAX_ROW_HEIGHT, row_height};

/// The fill of every header cell (light blue).
pub const HEADER_FILL: &str = "#D9E1F2";
/// The fill of Tabel 1's indicator rows (light yellow).
pub const GROUP_FILL: &str = "#FFF2CC";
/// The fill of the template's column numbering row (light grey).
pub const NUMBERING_FILL: &str = "#F2F2F2";
/// Excel number format of dates shown to users.
pub const DATE: &str = "dd/mm/yyyy";
/// Excel number format of date-times shown to users.
pub const DATETIME: &str = "dd/mm/yyyy hh:mm";
/// Excel number format of whole numbers (Indonesian grouping: 1.234).
pub const INTEGER: &str = "[$-421]#,##0";
/// Excel number format of numbers with one decimal (Indonesian: 87,5).
pub const DECIMAL: &str = "[$-421]#,##0.0";

/// The formats, built once per workbook.
#[derive(Debug, Clone)]
pub struct Styles {
    /// Sheet titles: bold, 13 pt.
    pub title: Format,
    /// Bold text without a border.
    pub bold: Format,
    /// Plain wrapped text without a border, top-aligned.
    pub wrap: Format,
    /// Column headers: bold, wrapped, centred, light blue, thin border.
    pub header: Format,
    /// A bordered, wrapped, top-aligned text cell.
    pub cell: Format,
    /// A bordered, centred cell (short codes, Ya/Tidak).
    pub center: Format,
    /// A bordered whole number.
    pub integer: Format,
    /// A bordered number with one decimal.
    pub decimal: Format,
    /// A bordered date.
    pub date: Format,
    /// A bordered date and time.
    pub datetime: Format,
    /// Tabel 1's indicator rows: bold, light yellow.
    pub group: Format,
    /// The template's column numbering row: italic, centred, grey.
    pub numbering: Format,
    /// A template input cell (unlocked).
    pub input: Format,
    /// A template date input cell (unlocked, dd/mm/yyyy).
    pub input_date: Format,
    /// A bordered clickable link (blue, underlined).
    pub link: Format,
}

impl Styles {
    /// The formats with monev's colours.
    pub fn new() -> Styles {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::Top);
        let input = cell.clone().set_unlocked();
        let center = cell.clone().set_align(FormatAlign::Center);
        Styles {
            title: Format::new().set_bold().set_font_size(13),
            bold: Format::new().set_bold().set_align(FormatAlign::Top),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            header: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(HEADER_FILL),
            integer: center.clone().set_num_format(INTEGER),
            decimal: center.clone().set_num_format(DECIMAL),
            date: center.clone().set_num_format(DATE),
            datetime: center.clone().set_num_format(DATETIME),
            group: cell.clone().set_bold().set_background_color(GROUP_FILL),
            numbering: cell
                .clone()
                .set_italic()
                .set_align(FormatAlign::Center)
                .set_background_color(NUMBERING_FILL),
            input_date: input.clone().set_num_format(DATE),
            link: cell
                .clone()
                .set_font_color("#0563C1")
                .set_underline(rust_xlsxwriter::FormatUnderline::Single),
            input,
            center,
            cell,
        }
    }

    /// Every format of the set, in a fixed order: registered with a workbook
    /// before its sheets are filled in parallel, so the workbook's style
    /// table does not depend on which sheet asks first.
    pub fn all(&self) -> [&Format; 15] {
        [
            &self.title,
            &self.bold,
            &self.wrap,
            &self.header,
            &self.cell,
            &self.center,
            &self.integer,
            &self.decimal,
            &self.date,
            &self.datetime,
            &self.group,
            &self.numbering,
            &self.input,
            &self.input_date,
            &self.link,
        ]
    }

    /// The format of a column kind.
    pub fn of(&self, kind: Kind) -> &Format {
        match kind {
            Kind::Text | Kind::Link => &self.cell,
            Kind::Center => &self.center,
            Kind::Integer => &self.integer,
            Kind::Decimal => &self.decimal,
            Kind::Date => &self.date,
            Kind::DateTime => &self.datetime,
        }
    }
}

impl Default for Styles {
    fn default() -> Self {
        Styles::new()
    }
}

/// How a column's cells are written and formatted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Wrapped text; the row grows to show it whole.
    Text,
    /// Short centred text (codes, "Ya"/"Tidak").
    Center,
    /// A whole number.
    Integer,
    /// A number with one decimal.
    Decimal,
    /// A date (dd/mm/yyyy).
    Date,
    /// A date and time (dd/mm/yyyy hh:mm).
    DateTime,
    /// A link: a short clickable "buka" when the value is an http(s)
    /// address, else blank. Put the address as [`Kind::Text`] beside it.
    Link,
}

/// One column of an output sheet: its header, its width in characters (Excel's
/// unit: the width of a "0" in the default font) and its kind.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    pub width: f64,
    pub kind: Kind,
}

impl Column {
    /// A column spec.
    pub const fn new(header: &'static str, width: f64, kind: Kind) -> Column {
        Column {
            header,
            width,
            kind,
        }
    }
}

/// The 0-based index of the column headed `header`.
///
/// # Panics
/// When no column has that header (a programming error in a fixed spec).
pub fn col(columns: &[Column], header: &str) -> u16 {
    columns
        .iter()
        .position(|c| c.header == header)
        .unwrap_or_else(|| panic!("no column {header:?}")) as u16
}

/// One value of a row, in the order of its sheet's columns.
#[derive(Debug, Clone)]
pub enum Value<'a> {
    Blank,
    Text(&'a str),
    Owned(String),
    Number(f64),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Self {
        Value::Text(s)
    }
}

impl From<String> for Value<'_> {
    fn from(s: String) -> Self {
        Value::Owned(s)
    }
}

impl From<f64> for Value<'_> {
    fn from(n: f64) -> Self {
        Value::Number(n)
    }
}

impl From<u32> for Value<'_> {
    fn from(n: u32) -> Self {
        Value::Number(f64::from(n))
    }
}

impl From<usize> for Value<'_> {
    fn from(n: usize) -> Self {
        Value::Number(n as f64)
    }
}

impl<'a, T: Into<Value<'a>>> From<Option<T>> for Value<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Blank, Into::into)
    }
}

/// Sets the widths of `columns`, starting at column `first`, and writes their
/// headers in `row` with the header format; the row grows to show the headers
/// whole.
pub fn write_header(
    ws: &mut Worksheet,
    row: u32,
    columns: &[Column],
    st: &Styles,
) -> Result<(), XlsxError> {
    let mut cells = Vec::with_capacity(columns.len());
    for (i, c) in columns.iter().enumerate() {
        ws.set_column_width(i as u16, c.width)?;
        ws.write_string_with_format(row, i as u16, c.header, &st.header)?;
        cells.push((c.header, c.width));
    }
    ws.set_row_height(row, row_height(&cells, true).max(15.0))?;
    Ok(())
}

/// Excel's limit on one cell's text, in UTF-16 code units (as Excel and
/// rust_xlsxwriter count: an emoji takes two).
pub const MAX_CELL_CHARS: usize = 32_767;

/// Cuts text to what a cell can hold (at most [`MAX_CELL_CHARS`] UTF-16
/// units), marking the cut with "…"; never splits a character.
///
/// ```
/// assert_eq!(monev::style::fit_cell("pendek"), "pendek");
/// assert!(monev::style::fit_cell(&"x".repeat(40_000)).ends_with('…'));
/// ```
pub fn fit_cell(text: &str) -> String {
    fit_utf16(text, MAX_CELL_CHARS)
}

/// Cuts text to at most `limit` UTF-16 code units, ending in "…" when cut.
pub fn fit_utf16(text: &str, limit: usize) -> String {
    // A text never has more UTF-16 units than UTF-8 bytes: short texts (all
    // but a few) need no counting.
    if text.len() <= limit || text.encode_utf16().count() <= limit {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        // Room is left for the "…" (one unit).
        if used + c.len_utf16() > limit.saturating_sub(1) {
            break;
        }
        used += c.len_utf16();
        out.push(c);
    }
    out.push('…');
    out
}

/// Excel keeps at most 65,530 hyperlinks per worksheet; later links stay text.
pub const MAX_LINKS: u32 = 65_530;

/// Writes one row of a sheet that follows `columns`: every value with its
/// column's format (text as a string, never a formula, cut to the cell limit;
/// links clickable when http(s) and the sheet still has room, counted in
/// `links`), then sets the row's height from its longest text.
pub fn write_row(
    ws: &mut Worksheet,
    row: u32,
    columns: &[Column],
    values: &[Value],
    st: &Styles,
    links: &mut u32,
) -> Result<(), XlsxError> {
    debug_assert_eq!(columns.len(), values.len(), "one value per column");
    // The texts the row's height follows, borrowed (no copies).
    let mut texts: Vec<(&str, f64)> = Vec::with_capacity(columns.len());
    for (i, (c, v)) in columns.iter().zip(values).enumerate() {
        let col = i as u16;
        let fmt = st.of(c.kind);
        match v {
            Value::Blank => {
                ws.write_blank(row, col, fmt)?;
            }
            Value::Number(n) => {
                ws.write_number_with_format(row, col, *n, fmt)?;
            }
            Value::Date(d) => {
                ws.write_date_with_format(row, col, d, fmt)?;
            }
            Value::DateTime(t) => {
                ws.write_datetime_with_format(row, col, t, fmt)?;
            }
            Value::Text(s) => {
                write_text(ws, row, col, s, c.kind, st, links)?;
                if c.kind != Kind::Link {
                    texts.push((s, c.width));
                }
            }
            Value::Owned(s) => {
                write_text(ws, row, col, s, c.kind, st, links)?;
                if c.kind != Kind::Link {
                    texts.push((s.as_str(), c.width));
                }
            }
        }
    }
    let height = row_height(&texts, false);
    if height > 15.0 {
        ws.set_row_height(row, height.min(MAX_ROW_HEIGHT))?;
    }
    Ok(())
}

/// The text a [`Kind::Link`] cell shows: its target is the address.
pub const LINK_TEXT: &str = "buka";

fn write_text(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    kind: Kind,
    st: &Styles,
    links: &mut u32,
) -> Result<(), XlsxError> {
    if kind == Kind::Link {
        // LibreOffice never wraps a hyperlink cell, so the address itself is
        // shown as text in the column before, and this cell is a short
        // clickable "buka" when the address is http(s).
        let t = text.trim();
        let lower = t.to_ascii_lowercase();
        let is_web =
            (lower.starts_with("https://") || lower.starts_with("http://")) && t.len() <= 2000;
        if is_web
            && *links < MAX_LINKS
            && !t.contains(char::is_whitespace)
            && ws
                .write_url_with_format(row, col, Url::new(t).set_text(LINK_TEXT), &st.link)
                .is_ok()
        {
            *links += 1;
            return Ok(());
        }
        ws.write_blank(row, col, st.of(kind))?;
        return Ok(());
    }
    ws.write_string_with_format(row, col, fit_cell(text), st.of(kind))?;
    Ok(())
}
