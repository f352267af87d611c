//! Writes a [`Book`] as an OpenDocument spreadsheet (.ods), as LibreOffice
//! Calc saves one, for `monev contoh`.
//!
//! The package [OpenDocument 1.2 Part 3, §3] is a zip whose first entry is
//! `mimetype`, stored uncompressed (§3.3), then `content.xml`, `styles.xml`,
//! `meta.xml` and `META-INF/manifest.xml` (§4). Every entry carries the zip
//! epoch (1980-01-01) as its time, so the same book gives the same bytes.
//!
//! * Cells [Part 1, §9.1.4, §19.385]: text as `office:value-type="string"`
//!   with one `text:p` per line (runs of spaces as `text:s`, tabs as
//!   `text:tab`, §6.1.3); numbers as `float`; dates as `date` with
//!   `office:date-value` and a dd/mm/yyyy data style; a hyperlink as a
//!   `text:a` with `xlink:href` around the cell text (§6.1.8), where monev's
//!   reader (`ingest::ods`) and LibreOffice look for it.
//! * Merged areas: `table:number-rows-spanned`/`-columns-spanned` on the first
//!   cell and `table:covered-table-cell` for the rest (§9.1.4, §9.1.5).
//! * A hidden sheet: a table style with `table:display="false"` (§17.15, ODF
//!   has no "very hidden"; LibreOffice writes a very hidden `_monev` so too).
//! * Column widths: `style:column-width` (§17.16), a character taken as 7
//!   pixels plus 5 of padding at 96 per inch, as Excel sizes columns.
//! * Properties in `meta.xml` (§4.3): title, subject, description, initial
//!   creator and creator, creation and save dates, and the custom properties
//!   as `meta:user-defined` (the year as `float`), as LibreOffice converts an
//!   .xlsx's. Dates are written as LibreOffice writes them, in local time
//!   without a zone; the local time is Western Indonesian Time (UTC+7), where
//!   the OPDs work, and monev reads a zone-less time so.

use std::fmt::Write as _;
use std::io::{Cursor, Write};

use chrono::NaiveDateTime;
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

use super::grid::{Book, PropValue, Sheet, Value, Visibility, serial_datetime};

/// The media type of a spreadsheet [OpenDocument 1.2 Part 1, Appendix C].
pub(crate) const MIMETYPE: &str = "application/vnd.oasis.opendocument.spreadsheet";

/// The `office:version` written.
const VERSION: &str = "1.2";

/// Namespaces of the document roots.
const NS: &str = concat!(
    r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
    r#"xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" "#,
    r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" "#,
    r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
    r#"xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" "#,
    r#"xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" "#,
    r#"xmlns:xlink="http://www.w3.org/1999/xlink" "#,
    r#"xmlns:dc="http://purl.org/dc/elements/1.1/" "#,
    r#"xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0""#
);

/// Hours Western Indonesian Time is ahead of UTC.
const WIB_HOURS: i64 = 7;

/// The .ods bytes of `book`. Errors: the zip writer's message.
pub(crate) fn write(book: &Book) -> Result<Vec<u8>, String> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let epoch = zip::DateTime::default();
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(epoch);
    let deflated = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(epoch);
    let parts: [(&str, String, SimpleFileOptions); 5] = [
        ("mimetype", MIMETYPE.to_string(), stored),
        ("content.xml", content(book), deflated),
        ("styles.xml", styles(), deflated),
        ("meta.xml", meta(book), deflated),
        ("META-INF/manifest.xml", manifest(), deflated),
    ];
    for (name, body, options) in parts {
        zip.start_file(name, options).map_err(|e| e.to_string())?;
        zip.write_all(body.as_bytes()).map_err(|e| e.to_string())?;
    }
    Ok(zip.finish().map_err(|e| e.to_string())?.into_inner())
}

/// `text` with XML's special characters escaped (for content and attributes).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Control characters other than tab and line breaks are not XML.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// One paragraph's text with whitespace as ODF keeps it [Part 1, §6.1.2,
/// §6.1.3]: the first of a run of spaces as itself (none at the start), the
/// rest as `text:s`, tabs as `text:tab`.
fn paragraph(line: &str) -> String {
    let mut out = String::new();
    let mut spaces = 0usize;
    let mut at_start = true;
    let flush = |out: &mut String, spaces: &mut usize, at_start: bool| {
        if *spaces == 0 {
            return;
        }
        let mut n = *spaces;
        if !at_start {
            out.push(' ');
            n -= 1;
        }
        match n {
            0 => {}
            1 => out.push_str("<text:s/>"),
            n => {
                let _ = write!(out, r#"<text:s text:c="{n}"/>"#);
            }
        }
        *spaces = 0;
    };
    for c in line.chars() {
        match c {
            ' ' => spaces += 1,
            '\t' => {
                flush(&mut out, &mut spaces, at_start);
                out.push_str("<text:tab/>");
                at_start = false;
            }
            c => {
                flush(&mut out, &mut spaces, at_start);
                out.push_str(&escape(&c.to_string()));
                at_start = false;
            }
        }
    }
    // Trailing spaces are kept too.
    if spaces > 0 {
        let _ = write!(out, r#"<text:s text:c="{spaces}"/>"#);
    }
    out
}

/// A cell's paragraphs: one `text:p` per line, the first wrapped in a
/// `text:a` when the cell is a hyperlink.
fn paragraphs(text: &str, link: Option<&str>) -> String {
    let text = text.replace("\r\n", "\n");
    let mut out = String::new();
    for (i, line) in text.split('\n').enumerate() {
        match link {
            Some(href) if i == 0 => {
                let _ = write!(
                    out,
                    r#"<text:p><text:a xlink:type="simple" xlink:href="{}">{}</text:a></text:p>"#,
                    escape(href),
                    paragraph(line)
                );
            }
            _ => {
                let _ = write!(out, "<text:p>{}</text:p>", paragraph(line));
            }
        }
    }
    out
}

/// A number as ODF's `office:value` (xsd:double) and as shown.
fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// What one grid position holds.
enum Slot<'a> {
    Empty,
    Covered,
    Cell(Option<&'a Value>, (u32, u16)),
}

/// The column width in inches of `chars` characters (see the module doc).
fn inches(chars: f64) -> f64 {
    (chars * 7.0 + 5.0) / 96.0
}

fn content(book: &Book) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {NS} office:version="{VERSION}"><office:automatic-styles>"#
    );
    // Column styles, one per distinct width (in sheet order).
    let mut widths: Vec<String> = Vec::new();
    for sheet in &book.sheets {
        for w in &sheet.widths {
            let w = format!("{:.4}in", inches(*w));
            if !widths.contains(&w) {
                widths.push(w);
            }
        }
    }
    for (i, w) in widths.iter().enumerate() {
        let _ = write!(
            out,
            r#"<style:style style:name="co{}" style:family="table-column"><style:table-column-properties fo:break-before="auto" style:column-width="{w}"/></style:style>"#,
            i + 1
        );
    }
    out.push_str(concat!(
        r#"<style:style style:name="ta1" style:family="table" style:master-page-name="Default"><style:table-properties table:display="true"/></style:style>"#,
        r#"<style:style style:name="ta2" style:family="table" style:master-page-name="Default"><style:table-properties table:display="false"/></style:style>"#,
        r#"<number:date-style style:name="N1"><number:day number:style="long"/><number:text>/</number:text><number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/></number:date-style>"#,
        r#"<style:style style:name="ce1" style:family="table-cell" style:parent-style-name="Default"><style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top"/></style:style>"#,
        r#"<style:style style:name="ce2" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="N1"><style:table-cell-properties style:vertical-align="top"/></style:style>"#,
        r#"</office:automatic-styles><office:body><office:spreadsheet>"#
    ));
    for sheet in &book.sheets {
        table(&mut out, sheet, &widths);
    }
    out.push_str("</office:spreadsheet></office:body></office:document-content>");
    out
}

/// One `table:table`.
fn table(out: &mut String, sheet: &Sheet, widths: &[String]) {
    let style = if sheet.visibility == Visibility::Visible {
        "ta1"
    } else {
        "ta2"
    };
    let _ = write!(
        out,
        r#"<table:table table:name="{}" table:style-name="{style}">"#,
        escape(&sheet.name)
    );
    for w in &sheet.widths {
        let w = format!("{:.4}in", inches(*w));
        let k = widths.iter().position(|x| *x == w).unwrap_or(0) + 1;
        let _ = write!(
            out,
            r#"<table:table-column table:style-name="co{k}" table:default-cell-style-name="Default"/>"#
        );
    }
    out.push_str(r#"<table:table-column table:default-cell-style-name="Default"/>"#);
    // The grid: every cell's slot, merged areas' starts and covered cells.
    let mut anchors = std::collections::HashMap::new();
    let mut covered = std::collections::HashSet::new();
    let mut last_row = sheet.cells.keys().map(|(r, _)| *r).max();
    for &(r0, c0, r1, c1) in &sheet.merges {
        anchors.insert((r0, c0), (r1 - r0 + 1, c1 - c0 + 1));
        for r in r0..=r1 {
            for c in c0..=c1 {
                if (r, c) != (r0, c0) {
                    covered.insert((r, c));
                }
            }
        }
        last_row = last_row.max(Some(r1));
    }
    let Some(last_row) = last_row else {
        out.push_str("<table:table-row><table:table-cell/></table:table-row></table:table>");
        return;
    };
    let mut empty_rows = 0u32;
    for row in 0..=last_row {
        let last_col = sheet
            .cells
            .range((row, 0)..=(row, u16::MAX))
            .map(|((_, c), _)| *c)
            .chain(anchors.keys().filter(|(r, _)| *r == row).map(|(_, c)| *c))
            .chain(covered.iter().filter(|(r, _)| *r == row).map(|(_, c)| *c))
            .max();
        let Some(last_col) = last_col else {
            empty_rows += 1;
            continue;
        };
        if empty_rows > 0 {
            empty_row(out, empty_rows);
            empty_rows = 0;
        }
        out.push_str("<table:table-row>");
        let mut gap = 0u32;
        for col in 0..=last_col {
            let slot = if covered.contains(&(row, col)) {
                Slot::Covered
            } else if let Some(v) = sheet.cells.get(&(row, col)) {
                Slot::Cell(Some(v), (row, col))
            } else if anchors.contains_key(&(row, col)) {
                Slot::Cell(None, (row, col))
            } else {
                Slot::Empty
            };
            if let Slot::Empty = slot {
                gap += 1;
                continue;
            }
            if gap > 0 {
                empty_cells(out, gap);
                gap = 0;
            }
            match slot {
                Slot::Covered => out.push_str("<table:covered-table-cell/>"),
                Slot::Cell(value, at) => {
                    let span = anchors.get(&at).map_or(String::new(), |(rows, cols)| {
                        format!(
                            r#" table:number-rows-spanned="{rows}" table:number-columns-spanned="{cols}""#
                        )
                    });
                    cell(out, value, sheet.link(at.0, at.1), &span);
                }
                Slot::Empty => {}
            }
        }
        out.push_str("</table:table-row>");
    }
    out.push_str("</table:table>");
}

fn empty_row(out: &mut String, n: u32) {
    if n == 1 {
        out.push_str("<table:table-row><table:table-cell/></table:table-row>");
    } else {
        let _ = write!(
            out,
            r#"<table:table-row table:number-rows-repeated="{n}"><table:table-cell/></table:table-row>"#
        );
    }
}

fn empty_cells(out: &mut String, n: u32) {
    if n == 1 {
        out.push_str("<table:table-cell/>");
    } else {
        let _ = write!(
            out,
            r#"<table:table-cell table:number-columns-repeated="{n}"/>"#
        );
    }
}

/// One `table:table-cell` with its value, link and span attributes.
fn cell(out: &mut String, value: Option<&Value>, link: Option<&str>, span: &str) {
    match value {
        None => {
            let _ = write!(out, "<table:table-cell{span}/>");
        }
        Some(Value::Text(t)) => {
            let _ = write!(
                out,
                r#"<table:table-cell table:style-name="ce1" office:value-type="string"{span}>{}</table:table-cell>"#,
                paragraphs(t, link)
            );
        }
        Some(Value::Number(n)) => {
            let shown = number(*n);
            let _ = write!(
                out,
                r#"<table:table-cell office:value-type="float" office:value="{shown}"{span}>{}</table:table-cell>"#,
                paragraphs(&shown, link)
            );
        }
        Some(Value::Date(serial)) => {
            let at = serial_datetime(*serial);
            let value = if at.time() == chrono::NaiveTime::MIN {
                at.format("%Y-%m-%d").to_string()
            } else {
                at.format("%Y-%m-%dT%H:%M:%S").to_string()
            };
            let shown = at.format("%d/%m/%Y").to_string();
            let _ = write!(
                out,
                r#"<table:table-cell table:style-name="ce2" office:value-type="date" office:date-value="{value}"{span}>{}</table:table-cell>"#,
                paragraphs(&shown, link)
            );
        }
    }
}

fn styles() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {NS} office:version="{VERSION}"><office:styles><style:default-style style:family="table-cell"><style:table-cell-properties style:decimal-places="2"/></style:default-style><style:style style:name="Default" style:family="table-cell"/></office:styles><office:automatic-styles><style:page-layout style:name="pm1"/></office:automatic-styles><office:master-styles><style:master-page style:name="Default" style:page-layout-name="pm1"/></office:master-styles></office:document-styles>"#
    )
}

/// A UTC time as LibreOffice writes it in `meta.xml`: local (WIB), no zone.
fn local(t: NaiveDateTime) -> String {
    (t + chrono::Duration::hours(WIB_HOURS))
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

fn meta(book: &Book) -> String {
    let p = &book.props;
    let mut out = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta {NS} office:version="{VERSION}"><office:meta><meta:generator>{}</meta:generator>"#,
        escape(crate::template::APP)
    );
    let mut element = |name: &str, value: Option<String>| {
        if let Some(v) = value {
            let _ = write!(out, "<{name}>{}</{name}>", escape(&v));
        }
    };
    element("dc:title", p.title.clone());
    element("dc:subject", p.subject.clone());
    element("meta:initial-creator", p.author.clone());
    element("dc:description", p.comment.clone());
    element("dc:creator", p.author.clone());
    element("meta:creation-date", p.created.map(local));
    element("dc:date", p.modified.map(local));
    if let Some(company) = &p.company {
        // LibreOffice keeps an .xlsx's company as a custom property.
        let _ = write!(
            out,
            r#"<meta:user-defined meta:name="Company">{}</meta:user-defined>"#,
            escape(company)
        );
    }
    for (name, value) in &p.custom {
        let (kind, text) = match value {
            PropValue::Text(t) => ("string", escape(t)),
            PropValue::Integer(n) => ("float", n.to_string()),
        };
        let _ = write!(
            out,
            r#"<meta:user-defined meta:name="{}" meta:value-type="{kind}">{text}</meta:user-defined>"#,
            escape(name)
        );
    }
    out.push_str("</office:meta></office:document-meta>");
    out
}

fn manifest() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="{VERSION}"><manifest:file-entry manifest:full-path="/" manifest:version="{VERSION}" manifest:media-type="{MIMETYPE}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/><manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/><manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/></manifest:manifest>"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_is_kept_as_odf_keeps_it() {
        assert_eq!(paragraph("a  b"), r#"a <text:s/>b"#);
        assert_eq!(
            paragraph("  a\tb "),
            r#"<text:s text:c="2"/>a<text:tab/>b<text:s text:c="1"/>"#
        );
        assert_eq!(paragraph("x & <y>"), "x &amp; &lt;y&gt;");
        assert_eq!(
            paragraphs("Bukti\nkedua", Some("https://a.b/?x=1&y=2")),
            r#"<text:p><text:a xlink:type="simple" xlink:href="https://a.b/?x=1&amp;y=2">Bukti</text:a></text:p><text:p>kedua</text:p>"#
        );
    }
}
