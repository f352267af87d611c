//! E-mail on both sides of the yearly round trip: drafts that take each OPD its
//! template ([`draft`]), reminders to OPDs without a usable submission
//! ([`remind`]), and, coming back, saved messages (.eml) and whole mailboxes
//! (.mbox, as Thunderbird and Google Takeout export them) whose spreadsheet
//! attachments become inputs ([`inbound`], [`mbox`]).
//!
//! Mail is untrusted input: attachments are read from memory and never written
//! to disk, names are cleaned before they are shown ([`clean_name`]), forwarded
//! messages are followed to a bounded depth ([`inbound::MAX_DEPTH`]), and a
//! mailbox is read one message at a time with a size limit per message.

pub mod draft;
pub mod inbound;
pub mod mbox;
pub mod remind;

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
/// use monev::email::clean_name;
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

#[cfg(test)]
mod tests {
    use super::*;

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
