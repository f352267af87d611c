//! Outlook .msg messages (issue 10): Outlook for Windows saves a received
//! e-mail as a .msg, an OLE compound file ([MS-OXMSG]). monev reads it as it
//! reads a .eml: each attachment (and each attachment of a message attached to
//! it, up to five levels) with the message's date.
//!
//! Layout read here ([MS-OXMSG] 2.1–2.4), through the `cfb` crate:
//! - `__properties_version1.0` of the message: a header (32 bytes for the top
//!   message, 24 for an embedded one, 8 for an attachment) then 16-byte fixed
//!   entries `tag: u32, flags: u32, value: [u8; 8]`; the date is
//!   PidTagClientSubmitTime (0x0039) or else PidTagMessageDeliveryTime
//!   (0x0E06), both PT_SYSTIME (0x0040), a FILETIME (100 ns since 1601, UTC).
//! - `__attach_version1.0_#XXXXXXXX` storages, each with the attachment's
//!   bytes in `__substg1.0_37010102` (PidTagAttachDataBinary), its name in
//!   `__substg1.0_3707001F` (long file name) or `…3704001F` (file name) or
//!   `…3001001F` (display name), UTF-16LE (or `…001E`, 8-bit), and an attached
//!   message in the `__substg1.0_3701000D` storage.
//!
//! Untrusted input: a malformed .msg gives an Indonesian reason, never a
//! panic (the reading runs under `catch_unwind`); no stream is read beyond the
//! size of the file, which the caller has already limited.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, TimeZone};

/// One attachment of a .msg: its file name (if given), bytes, and the date of
/// the message that carried it.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    /// What the attachment is shown as: `lampiran.xlsx`, or
    /// `Subjek » lampiran.xlsx` inside an attached message.
    pub shown: String,
    /// The file name given in the message, if any.
    pub name: Option<String>,
    /// The attachment's bytes.
    pub bytes: Vec<u8>,
    /// When the (innermost) message was sent, in the message's UTC offset 0.
    pub date: Option<DateTime<FixedOffset>>,
}

/// Reads the attachments of the .msg `bytes`. Errors: an Indonesian reason
/// when the file is not a readable Outlook message.
pub fn attachments(bytes: &[u8]) -> Result<Vec<Attachment>, String> {
    let bytes = bytes.to_vec();
    std::panic::catch_unwind(move || read(&bytes))
        .unwrap_or_else(|_| Err("berkas .msg rusak dan tidak dapat diurai".into()))
}

const NOT_MSG: &str = "bukan pesan Outlook (.msg) yang dapat dibaca";

fn read(bytes: &[u8]) -> Result<Vec<Attachment>, String> {
    let mut cfb = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|_| NOT_MSG.to_string())?;
    if !cfb.is_stream("/__properties_version1.0") {
        return Err(NOT_MSG.into());
    }
    let mut out = Vec::new();
    collect(&mut cfb, Path::new("/"), 32, "", None, 0, &mut out);
    Ok(out)
}

type Cfb<'a> = cfb::CompoundFile<Cursor<&'a [u8]>>;

/// Collects the attachments of the message stored at `dir`, whose property
/// stream header is `header` bytes long.
fn collect(
    cfb: &mut Cfb,
    dir: &Path,
    header: usize,
    prefix: &str,
    outer_date: Option<DateTime<FixedOffset>>,
    depth: usize,
    out: &mut Vec<Attachment>,
) {
    let props = stream(cfb, &dir.join("__properties_version1.0")).unwrap_or_default();
    let date = message_date(&props, header).or(outer_date);
    let mut storages: Vec<PathBuf> = match cfb.read_storage(dir) {
        Ok(entries) => entries
            .filter(|e| e.is_storage() && e.name().starts_with("__attach_version1.0_#"))
            .map(|e| e.path().to_path_buf())
            .collect(),
        Err(_) => return,
    };
    storages.sort();
    for att in storages {
        let name = ["3707", "3704", "3001"]
            .iter()
            .find_map(|id| string_prop(cfb, &att, id))
            .filter(|n| !n.trim().is_empty());
        let embedded = att.join("__substg1.0_3701000D");
        if cfb.is_storage(&embedded) {
            if depth < 5 {
                let subject = string_prop(cfb, &embedded, "0037")
                    .unwrap_or_else(|| "surel terlampir".to_string());
                let inner_prefix = format!("{prefix}{subject} » ");
                collect(cfb, &embedded, 24, &inner_prefix, date, depth + 1, out);
            }
            continue;
        }
        let Some(bytes) = stream(cfb, &att.join("__substg1.0_37010102")) else {
            continue;
        };
        out.push(Attachment {
            shown: format!("{prefix}{}", name.as_deref().unwrap_or("lampiran")),
            name,
            bytes,
            date,
        });
    }
}

/// A whole stream, or None when it is missing or unreadable.
fn stream(cfb: &mut Cfb, path: &Path) -> Option<Vec<u8>> {
    let mut s = cfb.open_stream(path).ok()?;
    let mut v = Vec::new();
    s.read_to_end(&mut v).ok()?;
    Some(v)
}

/// A string property `id` (4 hex digits) of the object at `dir`: UTF-16LE
/// (type 001F) or 8-bit (001E, read as Latin-1, Outlook's usual code page).
fn string_prop(cfb: &mut Cfb, dir: &Path, id: &str) -> Option<String> {
    if let Some(b) = stream(cfb, &dir.join(format!("__substg1.0_{id}001F"))) {
        let units: Vec<u16> = b
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        return Some(
            String::from_utf16_lossy(&units)
                .trim_end_matches('\0')
                .to_string(),
        );
    }
    stream(cfb, &dir.join(format!("__substg1.0_{id}001E")))
        .map(|b| b.iter().map(|&c| c as char).collect::<String>())
        .map(|s| s.trim_end_matches('\0').to_string())
}

/// PidTagClientSubmitTime, or else PidTagMessageDeliveryTime, from a property
/// stream with a `header`-byte header.
fn message_date(props: &[u8], header: usize) -> Option<DateTime<FixedOffset>> {
    let entries = props.get(header..)?;
    let find = |id: u32| {
        entries.chunks_exact(16).find_map(|e| {
            let tag = u32::from_le_bytes(e[0..4].try_into().ok()?);
            if tag != (id << 16) | 0x0040 {
                return None;
            }
            filetime(u64::from_le_bytes(e[8..16].try_into().ok()?))
        })
    };
    find(0x0039).or_else(|| find(0x0E06))
}

/// A FILETIME (100 ns since 1601-01-01 UTC) as a date, UTC offset 0.
fn filetime(ft: u64) -> Option<DateTime<FixedOffset>> {
    const UNIX_EPOCH_AS_FILETIME_SECS: i64 = 11_644_473_600;
    let secs = i64::try_from(ft / 10_000_000).ok()? - UNIX_EPOCH_AS_FILETIME_SECS;
    let nanos = u32::try_from((ft % 10_000_000) * 100).ok()?;
    FixedOffset::east_opt(0)?
        .timestamp_opt(secs, nanos)
        .single()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;

    /// A FILETIME for a moment.
    pub fn to_filetime(d: DateTime<FixedOffset>) -> u64 {
        ((d.timestamp() + 11_644_473_600) as u64) * 10_000_000
    }

    fn utf16(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    /// Attachments to build: (file name, bytes).
    pub type Files<'a> = &'a [(&'a str, &'a [u8])];

    /// Builds a .msg as Outlook lays it out: the date property, one
    /// attachment per (name, bytes), and optionally an attached message
    /// (subject, its date, its attachments).
    pub fn build_msg(
        date: Option<DateTime<FixedOffset>>,
        attachments: Files,
        inner: Option<(&str, DateTime<FixedOffset>, Files)>,
    ) -> Vec<u8> {
        let mut c = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        write_message(&mut c, Path::new("/"), 32, date, attachments);
        if let Some((subject, d, atts)) = inner {
            let att = Path::new("/__attach_version1.0_#000000FF");
            c.create_storage(att).unwrap();
            let emb = att.join("__substg1.0_3701000D");
            c.create_storage(&emb).unwrap();
            c.create_stream(emb.join("__substg1.0_0037001F"))
                .unwrap()
                .write_all(&utf16(subject))
                .unwrap();
            write_message(&mut c, &emb, 24, Some(d), atts);
        }
        c.flush().unwrap();
        c.into_inner().into_inner()
    }

    fn write_message(
        c: &mut cfb::CompoundFile<Cursor<Vec<u8>>>,
        dir: &Path,
        header: usize,
        date: Option<DateTime<FixedOffset>>,
        attachments: &[(&str, &[u8])],
    ) {
        let mut props = vec![0u8; header];
        if let Some(d) = date {
            props.extend_from_slice(&((0x0039u32 << 16) | 0x0040).to_le_bytes());
            props.extend_from_slice(&6u32.to_le_bytes());
            props.extend_from_slice(&to_filetime(d).to_le_bytes());
        }
        c.create_stream(dir.join("__properties_version1.0"))
            .unwrap()
            .write_all(&props)
            .unwrap();
        for (i, (name, bytes)) in attachments.iter().enumerate() {
            let att = dir.join(format!("__attach_version1.0_#{i:08X}"));
            c.create_storage(&att).unwrap();
            c.create_stream(att.join("__properties_version1.0"))
                .unwrap()
                .write_all(&[0u8; 8])
                .unwrap();
            c.create_stream(att.join("__substg1.0_3707001F"))
                .unwrap()
                .write_all(&utf16(name))
                .unwrap();
            c.create_stream(att.join("__substg1.0_37010102"))
                .unwrap()
                .write_all(bytes)
                .unwrap();
        }
    }

    fn wib(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn msg_attachments_come_with_the_submit_date() {
        let d = wib("2026-08-31T23:30:00+07:00");
        let msg = build_msg(Some(d), &[("lap dinkes.xlsx", b"PK\x03\x04 data")], None);
        let atts = attachments(&msg).unwrap();
        assert_eq!(atts.len(), 1);
        assert_eq!(atts[0].name.as_deref(), Some("lap dinkes.xlsx"));
        assert_eq!(atts[0].bytes, b"PK\x03\x04 data");
        assert_eq!(atts[0].date.unwrap(), d);
    }

    #[test]
    fn msg_attached_message_keeps_its_own_date_and_subject() {
        let outer = wib("2026-09-02T08:00:00+07:00");
        let inner = wib("2026-08-30T10:00:00+07:00");
        let msg = build_msg(
            Some(outer),
            &[],
            Some(("Laporan Dishub", inner, &[("dishub.xlsx", b"x")])),
        );
        let atts = attachments(&msg).unwrap();
        assert_eq!(atts.len(), 1);
        assert_eq!(atts[0].shown, "Laporan Dishub » dishub.xlsx");
        assert_eq!(atts[0].date.unwrap(), inner);
    }

    #[test]
    fn msg_with_damaged_bytes_never_panics_or_hangs() {
        let d = wib("2026-08-31T23:30:00+07:00");
        let good = build_msg(Some(d), &[("a.xlsx", &[7u8; 5000])], None);
        // xorshift: deterministic mutations (bytes overwritten, file cut)
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let started = std::time::Instant::now();
        for _ in 0..500 {
            let mut m = good.clone();
            for _ in 0..1 + next() % 8 {
                let i = (next() as usize) % m.len();
                m[i] = next() as u8;
            }
            if next() % 4 == 0 {
                m.truncate((next() as usize) % m.len());
            }
            let _ = attachments(&m);
        }
        assert!(started.elapsed().as_secs() < 60);
    }

    #[test]
    fn msg_that_is_not_outlook_is_refused_in_indonesian() {
        assert!(
            attachments(b"not a compound file")
                .unwrap_err()
                .contains(".msg")
        );
        // an .xls is a compound file but not a message
        let mut c = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        c.create_stream("/Workbook")
            .unwrap()
            .write_all(b"x")
            .unwrap();
        c.flush().unwrap();
        let xls = c.into_inner().into_inner();
        assert!(attachments(&xls).is_err());
    }
}
