//! Hyperlink targets of an OpenDocument spreadsheet. calamine gives an .ods
//! cell's display text only; the target lives in `content.xml` as the `xlink:href`
//! of a `text:a` inside the cell. This walks `content.xml` once, counting rows
//! and columns (including `number-rows-repeated`/`number-columns-repeated` and
//! covered cells of merged ranges) to give each link its absolute position.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

/// Links by sheet name, then by absolute 0-based (row, column).
pub type SheetLinks = HashMap<String, HashMap<(u32, u32), String>>;

/// Reads the links of every sheet. An unreadable package gives no links (the
/// cell text is then used), never an error: calamine has already judged the file.
pub fn links(bytes: &[u8]) -> SheetLinks {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return SheetLinks::new();
    };
    let Ok(mut entry) = zip.by_name("content.xml") else {
        return SheetLinks::new();
    };
    let mut xml = String::new();
    if entry.read_to_string(&mut xml).is_err() {
        return SheetLinks::new();
    }
    parse_content(&xml)
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

fn repeat(e: &BytesStart, name: &str) -> u32 {
    attr(e, name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
        .max(1)
}

/// Parses `content.xml`.
pub fn parse_content(xml: &str) -> SheetLinks {
    let mut out = SheetLinks::new();
    let mut reader = Reader::from_str(xml);
    let mut sheet: Option<String> = None;
    let (mut row, mut col) = (0u32, 0u32);
    let mut row_repeat = 1u32;
    let mut cell_repeat = 1u32;
    let mut in_cell = false;
    loop {
        let event = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(e) => e,
        };
        match event {
            Event::Start(e) => match e.name().as_ref() {
                "table:table" => {
                    sheet = attr(&e, "table:name");
                    row = 0;
                }
                "table:table-row" => {
                    row_repeat = repeat(&e, "table:number-rows-repeated");
                    col = 0;
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    cell_repeat = repeat(&e, "table:number-columns-repeated");
                    in_cell = true;
                }
                "text:a" if in_cell => {
                    if let (Some(s), Some(href)) = (&sheet, attr(&e, "xlink:href")) {
                        out.entry(s.clone())
                            .or_default()
                            .entry((row, col))
                            .or_insert(href);
                    }
                }
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                "table:table-cell" | "table:covered-table-cell" => {
                    col = col.saturating_add(repeat(&e, "table:number-columns-repeated"));
                }
                "table:table-row" => {
                    row = row.saturating_add(repeat(&e, "table:number-rows-repeated"));
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "table:table-cell" | "table:covered-table-cell" => {
                    col = col.saturating_add(cell_repeat);
                    in_cell = false;
                }
                "table:table-row" => row = row.saturating_add(row_repeat),
                "table:table" => sheet = None,
                _ => {}
            },
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_repeats_and_covered_cells() {
        let xml = r#"<office:document-content><office:body><office:spreadsheet>
<table:table table:name="Tabel 1">
 <table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="7"/></table:table-row>
 <table:table-row>
   <table:table-cell table:number-columns-spanned="2"><text:p>x</text:p></table:table-cell>
   <table:covered-table-cell/>
   <table:table-cell table:number-columns-repeated="3"/>
   <table:table-cell><text:p><text:a xlink:href="https://drive.google.com/file/d/abc/view">Bukti</text:a></text:p></table:table-cell>
 </table:table-row>
</table:table>
<table:table table:name="Tabel 2"><table:table-row><table:table-cell><text:p><text:a xlink:href="https://a.b/&amp;c">a</text:a></text:p></table:table-cell></table:table-row></table:table>
</office:spreadsheet></office:body></office:document-content>"#;
        let links = parse_content(xml);
        assert_eq!(
            links["Tabel 1"][&(3, 5)],
            "https://drive.google.com/file/d/abc/view"
        );
        assert_eq!(links["Tabel 2"][&(0, 0)], "https://a.b/&c");
    }

    #[test]
    fn garbage_gives_nothing() {
        assert!(links(b"not a zip").is_empty());
        assert!(parse_content("<unclosed").is_empty());
    }
}
