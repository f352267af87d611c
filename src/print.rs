//! Page setup and row heights shared by every workbook monev writes
//! (templates, rekap, feedback), so they print on A4 from Excel and
//! LibreOffice: a print title in the page header, "Halaman 1 dari 3" in the
//! footer, repeated header rows, content fitted to the page width, and rows
//! tall enough for their wrapped text (neither program grows the rows of a
//! generated file by itself).

use rust_xlsxwriter::{Worksheet, XlsxError};
use unicode_width::UnicodeWidthChar;

/// Excel's paper size code for A4.
const A4: u8 = 9;

/// How dates with time are shown to users: "28/08/2026 10:00 WIB".
pub const WIB_DATETIME: &str = "%d/%m/%Y %H:%M WIB";

/// The height of one line of 11 pt text, in points (Excel's default row).
pub const LINE_HEIGHT: f64 = 15.0;

/// Excel's tallest row, in points.
pub const MAX_ROW_HEIGHT: f64 = 409.0;

/// The footer of every printed page: "Halaman 1 dari 3".
pub const FOOTER: &str = "&C&9Halaman &P dari &N";

/// How one sheet prints.
#[derive(Debug, Clone, Copy)]
pub struct Page<'a> {
    /// Printed centred at the top of every page (cut to fit Excel's limit).
    pub title: &'a str,
    /// Landscape (true) or portrait.
    pub landscape: bool,
    /// Rows repeated at the top of every page (0-based, inclusive).
    pub repeat_rows: Option<(u32, u32)>,
    /// Columns repeated at the left of every page (0-based, inclusive).
    pub repeat_cols: Option<(u16, u16)>,
    /// Shrink to one page wide (true), or print at `scale` percent with the
    /// sheet's own vertical page breaks.
    pub fit_width: bool,
    /// Print scale in percent when not fitted (10–400).
    pub scale: u16,
}

impl<'a> Page<'a> {
    /// A portrait page, one page wide, titled `title`.
    pub fn portrait(title: &'a str) -> Page<'a> {
        Page {
            title,
            landscape: false,
            repeat_rows: None,
            repeat_cols: None,
            fit_width: true,
            scale: 100,
        }
    }

    /// A landscape page, one page wide, titled `title`.
    pub fn landscape(title: &'a str) -> Page<'a> {
        Page {
            landscape: true,
            ..Page::portrait(title)
        }
    }

    /// The same page with rows `first..=last` repeated on every page.
    pub fn repeat(self, first: u32, last: u32) -> Page<'a> {
        Page {
            repeat_rows: Some((first, last)),
            ..self
        }
    }
}

/// Applies `page` to a worksheet: A4, orientation, margins, page header with
/// the title, footer with page numbers, repeated rows and columns, scaling.
pub fn setup(ws: &mut Worksheet, page: &Page) -> Result<(), XlsxError> {
    if page.landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_paper_size(A4);
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    if page.fit_width {
        ws.set_print_fit_to_pages(1, 0);
    } else {
        ws.set_print_scale(page.scale.clamp(10, 400));
    }
    ws.set_header(header(page.title));
    ws.set_footer(FOOTER);
    if let Some((first, last)) = page.repeat_rows {
        ws.set_repeat_rows(first, last)?;
    }
    if let Some((first, last)) = page.repeat_cols {
        ws.set_repeat_columns(first, last)?;
    }
    Ok(())
}

/// The page header: `title` centred in 9 pt bold, with `&` escaped and cut so
/// the header stays within Excel's 255 characters.
fn header(title: &str) -> String {
    let escaped: String = title
        .chars()
        .take(200)
        .collect::<String>()
        .replace('&', "&&");
    format!("&C&\"-,Bold\"&9{escaped}")
}

/// Sets the widths (in characters) of the first columns, left to right.
pub fn column_widths(ws: &mut Worksheet, widths: &[f64]) -> Result<(), XlsxError> {
    for (col, width) in widths.iter().enumerate() {
        ws.set_column_width(col as u16, *width)?;
    }
    Ok(())
}

/// How much of a line one character takes, in Excel width units (the width of
/// a "0" in Calibri 11, the workbooks' font; LibreOffice uses the
/// metric-compatible Carlito). A little generous, so a row is never too short:
/// capitals and wide characters (CJK, emoji: display width 2) take more,
/// narrow letters and punctuation less.
fn char_units(c: char, bold: bool) -> f64 {
    let w = c.width().unwrap_or(0) as f64;
    let base = if c.is_uppercase() || "mwMW@%".contains(c) {
        1.2
    } else if c.is_ascii_punctuation() || c == ' ' || "ijlt".contains(c) {
        0.6
    } else {
        0.95
    };
    let units = if w >= 2.0 { 2.3 } else { w * base };
    if bold { units * 1.1 } else { units }
}

/// [`char_units`] of every ASCII character, plain and bold, computed once.
fn ascii_units() -> &'static [[f64; 128]; 2] {
    static UNITS: std::sync::OnceLock<[[f64; 128]; 2]> = std::sync::OnceLock::new();
    UNITS.get_or_init(|| {
        let mut t = [[0.0; 128]; 2];
        for b in 0..128u8 {
            t[0][usize::from(b)] = char_units(char::from(b), false);
            t[1][usize::from(b)] = char_units(char::from(b), true);
        }
        t
    })
}

/// The width of a word: the sum of its characters' [`char_units`], in order
/// (ASCII from a table, so the sum is the same to the last bit).
fn word_units(word: &str, bold: bool) -> f64 {
    if word.is_ascii() {
        let t = &ascii_units()[usize::from(bold)];
        word.bytes().map(|b| t[usize::from(b)]).sum()
    } else {
        word.chars().map(|c| char_units(c, bold)).sum()
    }
}

/// The number of lines `text` takes when wrapped in a column `width`
/// characters wide (sum the widths of merged columns), breaking at spaces as
/// Excel does and inside words longer than a line. Line breaks in the text
/// start new lines; an empty text takes one line.
///
/// ```
/// use monev::print::text_lines;
/// assert_eq!(text_lines("pendek", 20.0, false), 1);
/// assert_eq!(text_lines("a\nb\nc", 50.0, false), 3);
/// assert!(text_lines(&"kata ".repeat(40), 20.0, false) >= 10);
/// ```
pub fn text_lines(text: &str, width: f64, bold: bool) -> usize {
    // The text area is a little narrower than the column (cell padding).
    let room = (width - 1.0).max(1.0);
    // Short texts (most cells) fit on one line whatever their characters:
    // no character takes more than 2.3 × 1.1 units, and no character is
    // shorter than a byte.
    if (text.len() as f64) * 2.53 <= room && !text.contains('\n') {
        return 1;
    }
    text.split('\n')
        .map(|para| {
            let mut lines = 1;
            let mut used = 0.0;
            for word in para.split(' ') {
                let w = word_units(word, bold);
                let space = if used > 0.0 {
                    char_units(' ', bold)
                } else {
                    0.0
                };
                if used + space + w <= room {
                    used += space + w;
                } else if w <= room {
                    lines += usize::from(used > 0.0);
                    used = w;
                } else {
                    // A word longer than a line is broken anywhere.
                    if used > 0.0 {
                        lines += 1;
                    }
                    lines += (w / room).ceil() as usize - 1;
                    used = w % room;
                }
            }
            lines
        })
        .sum::<usize>()
        .max(1)
}

/// A row height (points) that shows every `(text, column width in characters)`
/// whole: the most lines any of them needs at [`LINE_HEIGHT`] a line, plus a
/// little padding, at most [`MAX_ROW_HEIGHT`]. `bold` for header rows.
///
/// ```
/// use monev::print::row_height;
/// assert_eq!(row_height(&[("pendek", 20.0)], false), 15.0);
/// assert!(row_height(&[("satu dua tiga empat lima enam", 10.0)], false) >= 45.0);
/// ```
pub fn row_height(cells: &[(&str, f64)], bold: bool) -> f64 {
    let lines = cells
        .iter()
        .map(|(text, width)| text_lines(text, *width, bold))
        .max()
        .unwrap_or(1);
    if lines <= 1 {
        LINE_HEIGHT
    } else {
        (LINE_HEIGHT * lines as f64 + 3.0).min(MAX_ROW_HEIGHT)
    }
}

/// Sets `row`'s height from its texts (see [`row_height`]) when they need
/// more than one line.
pub fn fit_row(ws: &mut Worksheet, row: u32, cells: &[(&str, f64)]) -> Result<(), XlsxError> {
    let h = row_height(cells, false);
    if h > LINE_HEIGHT {
        ws.set_row_height(row, h)?;
    }
    Ok(())
}

/// Makes every chart of an xlsx package label every category
/// (`<c:tickLblSkip val="1"/>`): left to decide, Excel skips labels it finds
/// crowded, so a reader pairs a bar with its neighbour's name.
/// rust_xlsxwriter writes the element only for intervals above 1, so it is
/// added here to the finished package; other parts are copied unchanged.
///
/// # Errors
/// When `xlsx` is not a readable zip package (a programming error: it is the
/// workbook just written).
pub fn label_every_category(xlsx: Vec<u8>) -> Result<Vec<u8>, String> {
    let mut out = std::io::Cursor::new(Vec::new());
    label_every_category_into(std::io::Cursor::new(xlsx), &mut out)?;
    Ok(out.into_inner())
}

/// [`label_every_category`] from one package to another, streamed: the chart
/// parts are rewritten, every other part is copied still compressed (no
/// inflating and deflating again), so time and memory do not grow with the
/// sheets' size beyond the copy itself.
///
/// # Errors
/// When `src` is not a readable zip package, or reading or writing fails
/// (the message says which).
pub fn label_every_category_into<R, W>(src: R, dst: W) -> Result<(), String>
where
    R: std::io::Read + std::io::Seek,
    W: std::io::Write + std::io::Seek,
{
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(src).map_err(|e| e.to_string())?;
    let mut w = zip::ZipWriter::new(dst);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| e.to_string())?;
        let name = entry.name().map_err(|e| e.to_string())?.to_string();
        if !(name.starts_with("xl/charts/chart") && name.ends_with(".xml")) {
            w.raw_copy_file(entry).map_err(|e| e.to_string())?;
            continue;
        }
        let mut xml = String::new();
        entry.read_to_string(&mut xml).map_err(|e| e.to_string())?;
        let xml = xml.replace(
            "<c:lblOffset val=\"100\"/></c:catAx>",
            "<c:lblOffset val=\"100\"/><c:tickLblSkip val=\"1\"/></c:catAx>",
        );
        w.start_file(name, options).map_err(|e| e.to_string())?;
        w.write_all(xml.as_bytes()).map_err(|e| e.to_string())?;
    }
    w.finish().map_err(|e| e.to_string())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_heights_grow_with_text() {
        assert_eq!(row_height(&[("pendek", 20.0)], false), 15.0);
        let three = row_height(&[(&"x".repeat(45), 20.0), ("y", 5.0)], false);
        assert!(three >= 45.0, "{three}");
        assert_eq!(row_height(&[("a\nb\nc", 50.0)], false), 48.0);
        assert_eq!(
            row_height(&[(&"x".repeat(100_000), 10.0)], false),
            MAX_ROW_HEIGHT
        );
    }

    #[test]
    fn wide_characters_and_emoji_take_two_columns() {
        let latin = text_lines(&"a".repeat(30), 21.0, false);
        let cjk = text_lines(&"漢".repeat(30), 21.0, false);
        let emoji = text_lines(&"🎉".repeat(30), 21.0, false);
        assert_eq!(latin, 2);
        assert!(cjk >= 2 * latin, "{cjk}");
        assert!(emoji >= 2 * latin, "{emoji}");
    }

    #[test]
    fn words_wrap_whole_and_long_words_break() {
        // "aaaa bbbb" in a 6-wide column: one word a line.
        assert_eq!(text_lines("aaaa bbbb", 6.0, false), 2);
        assert!(text_lines(&"x".repeat(60), 11.0, false) >= 6);
        assert_eq!(text_lines("", 10.0, false), 1);
    }

    #[test]
    fn ascii_words_measure_as_their_characters() {
        for word in [
            "Kecamatan",
            "WALANTAKA",
            "ijl.,;",
            "https://x.id/a?b=1&c=%20",
            "\t",
        ] {
            for bold in [false, true] {
                let by_char: f64 = word.chars().map(|c| char_units(c, bold)).sum();
                assert_eq!(
                    word_units(word, bold).to_bits(),
                    by_char.to_bits(),
                    "{word}"
                );
            }
        }
    }

    #[test]
    fn header_escapes_ampersands() {
        assert_eq!(header("A & B"), "&C&\"-,Bold\"&9A && B");
    }
}
