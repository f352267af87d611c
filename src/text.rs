//! Small text helpers shared by the reader and the writer: normalising names for
//! matching, decoding text files of unknown encoding, and file extensions.

use std::path::Path;

/// Lower-cases and keeps only letters and digits, single-spaced: "Dinas  Kesehatan."
/// and "dinas kesehatan" give the same key. Used to match names and header texts
/// that users retype or reformat.
///
/// ```
/// assert_eq!(monev::text::normalize_key(" Bentuk/ Media/  Peralatan "), "bentuk media peralatan");
/// ```
pub fn normalize_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    if text.is_ascii() {
        // The same rule, byte by byte (for ASCII, `char::is_alphanumeric` is
        // `is_ascii_alphanumeric` and lower case is ASCII lower case).
        let mut gap = false;
        for b in text.bytes() {
            if b.is_ascii_alphanumeric() {
                if gap && !out.is_empty() {
                    out.push(' ');
                }
                gap = false;
                out.push(b.to_ascii_lowercase() as char);
            } else {
                gap = true;
            }
        }
        return out;
    }
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// The text a cell shows, trimmed ("" when empty); whole floats print without
/// ".0"; a logical value is "BENAR" or "SALAH". The one cell-to-text
/// function, shared by the report reader and the roster reader.
pub fn cell_text(d: &calamine::Data) -> String {
    use calamine::Data;
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        // TRUE/FALSE typed in a cell is stored as a logical value, not as the
        // words typed; what the OPD saw is what its program shows, and Excel
        // and LibreOffice in Indonesian show BENAR/SALAH (the id names of
        // TRUE()/FALSE()). Rust's "true"/"false" is nobody's spelling.
        Data::Bool(true) => "BENAR".to_string(),
        Data::Bool(false) => "SALAH".to_string(),
        other => other.to_string().trim().to_string(),
    }
}

/// Decodes bytes as UTF-8, or else as Windows-1252 (what Excel's plain "CSV"
/// saves on Windows), so a roster is never rejected for its encoding alone.
pub fn decode_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| windows_1252(b)).collect(),
    }
}

/// One Windows-1252 byte as a character (0x80–0x9F differ from Latin-1).
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// The lower-cased extension of a path ("" when there is none).
pub fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Collapses runs of whitespace (including line breaks inside a cell) to single spaces.
pub fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A TOML parse error as one Indonesian phrase with its line and column (the
/// parser's own English detail is not shown; a named key is).
pub fn toml_problem(e: &toml::de::Error, text: &str) -> String {
    let key = e
        .message()
        .split('`')
        .nth(1)
        .map(|k| format!(" (kunci '{k}')"))
        .unwrap_or_default();
    match e.span() {
        Some(span) => {
            let before = &text.as_bytes()[..span.start.min(text.len())];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let col = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
            format!("isi TOML tidak sah pada baris {line} kolom {col}{key}")
        }
        None => format!("isi TOML tidak sah{key}"),
    }
}

/// Longest cleaned name, in characters.
const MAX_NAME_CHARS: usize = 120;

/// A name from an e-mail (attachment file name, subject) made safe to show and
/// to match: only the last path component is kept (`../../x.xlsx` gives
/// `x.xlsx`, `C:\a\b.xlsx` gives `b.xlsx`), control characters and bidirectional
/// overrides (which can make `xlsx.exe` look like `exe.xlsx`) are removed, runs
/// of white space become one space, and the result is at most 120 characters.
/// Returns an empty string when nothing is left.
///
/// ```
/// use monev::text::clean_name;
/// assert_eq!(clean_name("../../rahasia.xlsx"), "rahasia.xlsx");
/// assert_eq!(clean_name("lap\u{202e}xslx.exe"), "lapxslx.exe");
/// assert_eq!(clean_name("a\r\nb.xlsx"), "a b.xlsx");
/// ```
pub fn clean_name(name: &str) -> String {
    let last = name
        .rsplit(['/', '\\'])
        .find(|part| !part.trim().is_empty() && part.trim() != "." && part.trim() != "..")
        .unwrap_or("");
    let mut out = String::with_capacity(last.len());
    let mut space = false;
    for c in last.chars() {
        if is_bidi_control(c) || c == '\u{feff}' {
            continue;
        }
        if c.is_control() || c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    let out = out.trim_start_matches('.').trim().to_string();
    if out.chars().count() > MAX_NAME_CHARS {
        // Keep the extension: it is what tells a spreadsheet apart.
        let ext: String = match out.rsplit_once('.') {
            Some((_, e)) if e.len() <= 5 => format!(".{e}"),
            _ => String::new(),
        };
        let keep = MAX_NAME_CHARS - ext.chars().count() - 1;
        return format!("{}…{ext}", out.chars().take(keep).collect::<String>());
    }
    out
}

/// Unicode bidirectional formatting characters (embeddings, overrides,
/// isolates and marks).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with its first character in upper case (a phrase made a sentence).
///
/// ```
/// assert_eq!(monev::text::capitalize_first("lembar 'X' rusak"), "Lembar 'X' rusak");
/// ```
pub fn capitalize_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_spacing_and_punctuation() {
        assert_eq!(normalize_key("  Dinas   Kesehatan. "), "dinas kesehatan");
        assert_eq!(
            normalize_key("Bentuk/ Media/ Peralatan yang Digunakan"),
            "bentuk media peralatan yang digunakan"
        );
        assert_eq!(normalize_key("No."), "no");
        assert_eq!(normalize_key("...."), "");
    }

    #[test]
    fn toml_problems_name_line_column_and_key() {
        let text = "a = 1\nb = ";
        let e = toml::from_str::<toml::Table>(text).unwrap_err();
        assert_eq!(
            toml_problem(&e, text),
            "isi TOML tidak sah pada baris 2 kolom 5"
        );
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct S {
            a: i32,
        }
        let text = "a = 1\nzz = 2";
        let e = toml::from_str::<S>(text).unwrap_err();
        assert_eq!(
            toml_problem(&e, text),
            "isi TOML tidak sah pada baris 2 kolom 1 (kunci 'zz')"
        );
    }

    #[test]
    fn latin1_fallback() {
        assert_eq!(decode_text(b"caf\xe9"), "café");
        assert_eq!(
            decode_text(b"Dinas \x93Sehat\x94 \x96 Kota"),
            "Dinas “Sehat” – Kota"
        );
        assert_eq!(decode_text("café".as_bytes()), "café");
    }

    #[test]
    fn names_lose_paths_controls_and_bidi_overrides() {
        assert_eq!(clean_name("../../../etc/passwd.xlsx"), "passwd.xlsx");
        assert_eq!(clean_name("..\\..\\lap.xlsx"), "lap.xlsx");
        assert_eq!(clean_name("laporan/../"), "laporan");
        assert_eq!(clean_name(".."), "");
        assert_eq!(clean_name(".tersembunyi.xlsx"), "tersembunyi.xlsx");
        assert_eq!(
            clean_name("Laporan\u{2066}Dinkes\u{2069}.xlsx"),
            "LaporanDinkes.xlsx"
        );
        assert_eq!(clean_name("a\u{0}\u{7}b  c.xlsx"), "a b c.xlsx");
        assert_eq!(
            clean_name("Laporan Dinas Kesehatan (revisi).xlsx"),
            "Laporan Dinas Kesehatan (revisi).xlsx"
        );
        let long = format!("{}.xlsx", "a".repeat(500));
        let cleaned = clean_name(&long);
        assert_eq!(cleaned.chars().count(), MAX_NAME_CHARS);
        assert!(cleaned.ends_with("….xlsx"), "{cleaned}");
    }
}
