//! Small text helpers shared by the reader and the writer: normalising names for
//! matching, decoding text files of unknown encoding, and file extensions.

use std::path::Path;

/// Lower-cases and keeps only letters and digits, single-spaced: "Dinas  Kesehatan."
/// and "dinas kesehatan" give the same key. Used to match names and header texts
/// that users retype or reformat.
pub fn normalize_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
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

/// Decodes bytes as UTF-8, or else as Windows-1252/Latin-1 (what Excel's plain
/// "CSV" saves), so a roster is never rejected for its encoding alone.
pub fn decode_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| b as char).collect(),
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
    fn latin1_fallback() {
        assert_eq!(decode_text(b"caf\xe9"), "café");
        assert_eq!(decode_text("café".as_bytes()), "café");
    }
}
