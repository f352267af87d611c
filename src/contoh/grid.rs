//! The sheet model behind `monev contoh`'s .xls and .ods copies: what a
//! filled workbook holds, independent of the file format — sheets with their
//! visibility, cell values (text, numbers, dates), merged areas, hyperlinks
//! and column widths, and the document properties.
//!
//! The model is read back from the unit's own filled .xlsx (which
//! [`super`] writes with `rust_xlsxwriter`, the same way it always has), with
//! calamine, the reader monev itself uses. So an .xls or .ods sample holds
//! exactly what its .xlsx twin holds, as a converted file does; formatting
//! beyond number formats, wrapping and column widths (fonts, borders, fills,
//! row heights, protection, data validation, print setup) is not carried.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Reader, SheetVisible, Xlsx};
use chrono::{DateTime, NaiveDate, NaiveDateTime};

/// One cell value, as the formats store it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// Text (may hold `\n` line breaks).
    Text(String),
    /// A plain number.
    Number(f64),
    /// A date: the Excel serial (days since 1899-12-30, 1900 date system),
    /// shown as dd/mm/yyyy.
    Date(f64),
}

/// Whether a sheet shows: Excel's three states (ODF has only two).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Visibility {
    Visible,
    Hidden,
    VeryHidden,
}

/// A merged area, 0-based and inclusive: (first row, first column, last row,
/// last column).
pub(crate) type Area = (u32, u16, u32, u16);

/// One sheet.
#[derive(Debug, Clone)]
pub(crate) struct Sheet {
    pub name: String,
    pub visibility: Visibility,
    /// Non-empty cells by 0-based (row, column), in row order.
    pub cells: BTreeMap<(u32, u16), Value>,
    pub merges: Vec<Area>,
    /// Hyperlinks: the cell (0-based row, column) and its external target.
    pub links: Vec<(u32, u16, String)>,
    /// Column widths in characters from column A; columns past the end keep
    /// the default width.
    pub widths: Vec<f64>,
}

impl Sheet {
    /// The link target of (row, col), if the cell is a hyperlink.
    pub fn link(&self, row: u32, col: u16) -> Option<&str> {
        self.links
            .iter()
            .find(|(r, c, _)| (*r, *c) == (row, col))
            .map(|(_, _, t)| t.as_str())
    }
}

/// A custom document property's value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PropValue {
    Text(String),
    Integer(i32),
}

/// The document properties monev writes into a template (see
/// `template::properties`), plus the save time.
#[derive(Debug, Clone, Default)]
pub(crate) struct Props {
    pub title: Option<String>,
    pub subject: Option<String>,
    pub author: Option<String>,
    pub company: Option<String>,
    pub comment: Option<String>,
    /// Created and last saved, in UTC.
    pub created: Option<NaiveDateTime>,
    pub modified: Option<NaiveDateTime>,
    /// Custom properties by name, sorted by name.
    pub custom: Vec<(String, PropValue)>,
}

/// A whole workbook.
#[derive(Debug, Clone)]
pub(crate) struct Book {
    pub sheets: Vec<Sheet>,
    pub props: Props,
}

/// Custom properties that are numbers in the template (`set_custom_property`
/// with an integer); every other one is text.
const INTEGER_PROPS: [&str; 1] = [crate::identity::PROP_YEAR];

/// Reads the model of an .xlsx held in memory. `widths[i]` are the column
/// widths of sheet `i` (calamine does not read them). Errors: calamine's
/// message when the bytes are no readable .xlsx.
pub(crate) fn from_xlsx(bytes: Vec<u8>, widths: &[&[f64]]) -> Result<Book, String> {
    let mut x = Xlsx::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let p = x.workbook_properties().map_err(|e| e.to_string())?;
    let time = |t: &Option<String>| {
        t.as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.naive_utc())
    };
    let mut custom: Vec<(String, PropValue)> = p
        .custom_properties
        .iter()
        .map(|(name, value)| {
            let typed = INTEGER_PROPS
                .contains(&name.as_str())
                .then(|| value.trim().parse().ok())
                .flatten()
                .map_or_else(|| PropValue::Text(value.clone()), PropValue::Integer);
            (name.clone(), typed)
        })
        .collect();
    custom.sort_by(|a, b| a.0.cmp(&b.0));
    let props = Props {
        title: p.title.clone(),
        subject: p.subject.clone(),
        author: p.creator.clone(),
        company: p.company.clone(),
        comment: p.description.clone(),
        created: time(&p.created),
        modified: time(&p.modified),
        custom,
    };
    let metas = x.sheets_metadata().to_vec();
    let mut sheets = Vec::with_capacity(metas.len());
    for (i, meta) in metas.iter().enumerate() {
        let range = x.worksheet_range(&meta.name).map_err(|e| e.to_string())?;
        let mut cells = BTreeMap::new();
        if let Some((r0, c0)) = range.start() {
            for (r, c, v) in range.used_cells() {
                let at = (r0 + r as u32, (c0 as usize + c) as u16);
                let value = match v {
                    Data::String(s) => Value::Text(s.clone()),
                    Data::Float(f) => Value::Number(*f),
                    Data::Int(n) => Value::Number(*n as f64),
                    Data::DateTime(d) => Value::Date(d.as_f64()),
                    Data::Empty => continue,
                    other => Value::Text(other.to_string()),
                };
                cells.insert(at, value);
            }
        }
        let merges = x
            .merge_cells_by_sheet_name(&meta.name)
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|d| (d.start.0, d.start.1 as u16, d.end.0, d.end.1 as u16))
            .collect();
        let links = x
            .hyperlinks_by_sheet_name(&meta.name)
            .map_err(|e| e.to_string())?
            .into_iter()
            .filter_map(|h| Some((h.range.start.0, h.range.start.1 as u16, h.target?)))
            .collect();
        sheets.push(Sheet {
            name: meta.name.clone(),
            visibility: match meta.visible {
                SheetVisible::Visible => Visibility::Visible,
                SheetVisible::Hidden => Visibility::Hidden,
                SheetVisible::VeryHidden => Visibility::VeryHidden,
            },
            cells,
            merges,
            links,
            widths: widths.get(i).map(|w| w.to_vec()).unwrap_or_default(),
        });
    }
    Ok(Book { sheets, props })
}

/// The calendar date and time of an Excel serial (1900 date system, no
/// 1900 leap-year bug below 61 since monev never writes such dates).
pub(crate) fn serial_datetime(serial: f64) -> NaiveDateTime {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)
        .unwrap_or_default()
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default();
    let seconds = (serial * 86_400.0).round() as i64;
    epoch + chrono::Duration::seconds(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_are_calendar_dates() {
        assert_eq!(serial_datetime(46_098.0).to_string(), "2026-03-17 00:00:00");
        assert_eq!(serial_datetime(46_098.5).to_string(), "2026-03-17 12:00:00");
    }
}
