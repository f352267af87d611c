//! Hyperlink targets and merged areas of an OpenDocument spreadsheet. calamine
//! gives an .ods cell's display text only; the target lives in `content.xml` as
//! the `xlink:href` of a `text:a` inside the cell (a cell may hold several), and
//! a merged area is a cell with `table:number-rows-spanned` /
//! `table:number-columns-spanned` followed by `table:covered-table-cell`s. This
//! walks `content.xml` once, counting rows and columns (including
//! `number-rows-repeated`/`number-columns-repeated` and covered cells) to give
//! each link and merged area its absolute position.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use calamine::Dimensions;
use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

/// Links by sheet name, then by absolute 0-based (row, column). A cell with
/// several `text:a` gives all their targets in order, separated by a space
/// (targets are URI-encoded, so they hold no space themselves).
pub type SheetLinks = HashMap<String, HashMap<(u32, u32), String>>;

/// Most merged areas kept per workbook (a filled template has a few dozen).
const MAX_MERGES: usize = 10_000;

/// What `content.xml` tells beyond calamine's values.
#[derive(Debug, Default)]
pub struct Content {
    /// Link targets (see [`SheetLinks`]).
    pub links: SheetLinks,
    /// Merged areas by sheet name, absolute 0-based and inclusive.
    pub merges: HashMap<String, Vec<Dimensions>>,
}

/// Reads the links and merged areas of every sheet. An unreadable package gives
/// none (the cell text is then used), never an error: calamine judges the file.
pub fn read(bytes: &[u8]) -> Content {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Content::default();
    };
    let Ok(mut entry) = zip.by_name("content.xml") else {
        return Content::default();
    };
    if !calamine::unpack_budget::charge(entry.size()) {
        return Content::default();
    }
    let mut xml = String::new();
    if entry.read_to_string(&mut xml).is_err() {
        return Content::default();
    }
    parse_content(&xml)
}

/// An .ods link target as a workbook-relative one: ODF resolves relative
/// references against the package itself, so LibreOffice writes a file beside
/// the document as `../foto.jpg`; .xlsx and .xls store it as `foto.jpg`.
fn document_relative(href: String) -> String {
    match href.strip_prefix("../") {
        Some(rest) if !href.contains("://") => rest.to_string(),
        _ => href,
    }
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
pub fn parse_content(xml: &str) -> Content {
    let mut out = Content::default();
    let mut merge_count = 0usize;
    let mut reader = Reader::from_str(xml);
    let mut sheet: Option<String> = None;
    let (mut row, mut col) = (0u32, 0u32);
    let mut row_repeat = 1u32;
    let mut cell_repeat = 1u32;
    let mut in_cell = false;
    // A cell's comment (office:annotation) may hold links too; they are not the cell's.
    let mut in_note = false;
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
                    note_merge(&mut out, &sheet, &e, (row, col), &mut merge_count);
                }
                "office:annotation" => in_note = true,
                "text:a" if in_cell && !in_note => {
                    if let (Some(s), Some(href)) = (&sheet, attr(&e, "xlink:href")) {
                        let href = document_relative(href);
                        out.links
                            .entry(s.clone())
                            .or_default()
                            .entry((row, col))
                            .and_modify(|all| {
                                // One link whose text changes format mid-way is
                                // stored as several text:a with the same target.
                                if !all.split(' ').any(|t| t == href) {
                                    all.push(' ');
                                    all.push_str(&href);
                                }
                            })
                            .or_insert(href);
                    }
                }
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                "table:table-cell" | "table:covered-table-cell" => {
                    note_merge(&mut out, &sheet, &e, (row, col), &mut merge_count);
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
                    in_note = false;
                }
                "office:annotation" => {
                    in_note = false;
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

/// Records the merged area a cell starts, if it spans more than one cell.
fn note_merge(
    out: &mut Content,
    sheet: &Option<String>,
    e: &BytesStart,
    (row, col): (u32, u32),
    count: &mut usize,
) {
    let rows = repeat(e, "table:number-rows-spanned");
    let cols = repeat(e, "table:number-columns-spanned");
    let Some(s) = sheet else { return };
    if (rows > 1 || cols > 1) && *count < MAX_MERGES {
        *count += 1;
        out.merges.entry(s.clone()).or_default().push(Dimensions {
            start: (row, col),
            end: (row.saturating_add(rows - 1), col.saturating_add(cols - 1)),
        });
    }
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
        let links = parse_content(xml).links;
        assert_eq!(
            links["Tabel 1"][&(3, 5)],
            "https://drive.google.com/file/d/abc/view"
        );
        assert_eq!(links["Tabel 2"][&(0, 0)], "https://a.b/&c");
    }

    #[test]
    fn merged_areas_every_link_of_a_cell_and_relative_targets() {
        let xml = r#"<office:document-content><office:body><office:spreadsheet>
<table:table table:name="Tabel 1">
 <table:table-row table:number-rows-repeated="7"><table:table-cell/></table:table-row>
 <table:table-row>
   <table:table-cell/>
   <table:table-cell table:number-rows-spanned="3" office:value-type="date" office:date-value="2026-03-17"><text:p>17/03/2026</text:p></table:table-cell>
   <table:table-cell table:number-columns-repeated="4"/>
   <table:table-cell table:number-rows-spanned="3"><text:p>Foto: <text:a xlink:href="file:///D:/Foto%20Apel.jpg">foto</text:a>, hadir: <text:a xlink:href="https://drive.google.com/file/d/1abcdefghijkl/view">daftar</text:a><text:a xlink:href="https://drive.google.com/file/d/1abcdefghijkl/view"><text:span>hadir</text:span></text:a></text:p></table:table-cell>
 </table:table-row>
 <table:table-row>
   <table:table-cell/><table:covered-table-cell/><table:table-cell table:number-columns-repeated="4"/><table:covered-table-cell/>
 </table:table-row>
 <table:table-row>
   <table:table-cell table:number-columns-spanned="2" table:number-rows-spanned="1"><text:p><text:a xlink:href="../Dokumentasi/Foto%20Apel.jpg">a</text:a></text:p></table:table-cell><table:covered-table-cell/>
   <table:table-cell><office:annotation><text:p><text:a xlink:href="https://example.com/note">n</text:a></text:p></office:annotation><text:p><text:a xlink:href="../../Bukti/x.pdf">b</text:a></text:p></table:table-cell>
 </table:table-row>
</table:table>
</office:spreadsheet></office:body></office:document-content>"#;
        let c = parse_content(xml);
        let d = |start: (u32, u32), end: (u32, u32)| Dimensions { start, end };
        assert_eq!(
            c.merges["Tabel 1"],
            vec![d((7, 1), (9, 1)), d((7, 6), (9, 6)), d((9, 0), (9, 1))]
        );
        let links = &c.links["Tabel 1"];
        assert_eq!(
            links[&(7, 6)],
            "file:///D:/Foto%20Apel.jpg https://drive.google.com/file/d/1abcdefghijkl/view"
        );
        // ODF resolves relative links against the package: one "../" less.
        assert_eq!(links[&(9, 0)], "Dokumentasi/Foto%20Apel.jpg");
        assert_eq!(links[&(9, 2)], "../Bukti/x.pdf");
    }

    #[test]
    fn garbage_gives_nothing() {
        assert!(read(b"not a zip").links.is_empty());
        assert!(parse_content("<unclosed").links.is_empty());
    }
}
