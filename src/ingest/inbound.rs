//! Spreadsheet attachments of one received message, as inputs: from a saved
//! .eml, or from one message of a mailbox ([`super::mbox`]).
//!
//! Every attachment that is a spreadsheet (by its name, or by its content when
//! the name says nothing) becomes an [`Input`] carrying the message's Date (the
//! submission time) and its From address (the sender, an identification hint).
//! Messages forwarded as attachments are followed, also when mail-parser left
//! them encoded, up to [`MAX_DEPTH`] levels; deeper ones are listed as skipped
//! with the depth as the reason. Attachments stay in memory; their names are
//! cleaned with [`crate::text::clean_name`] before they are shown or matched.

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use mail_parser::{Message, MessageParser, MimeHeaders, PartType};

use crate::ingest::source::{Format, Input, Skipped, is_lock_file, sha256, sniff};
use crate::text::clean_name;

/// How many levels of forwarded messages are followed (a message forwarded
/// inside a message is one level). Real forwards are two or three deep.
pub const MAX_DEPTH: usize = 10;

/// The reason listed for a message that carries no spreadsheet.
pub const NO_ATTACHMENT: &str =
    "tanpa lampiran: surel tidak membawa berkas lembar kerja (.xlsx, .xlsm, .xls, .ods)";

/// Where a message came from on disk.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    /// The .eml or .mbox file.
    pub disk: &'a Path,
    /// Its modification time.
    pub mtime: Option<DateTime<FixedOffset>>,
    /// Show the subject after `shown` (for messages of a mailbox, which have no
    /// file name of their own).
    pub subject_in_path: bool,
}

/// The spreadsheet attachments of one raw message (RFC 5322 bytes), shown as
/// `{shown} » {attachment name}`. A message that can't be parsed, an unsent
/// draft (`X-Unsent: 1`, such as the drafts `monev templat --eml` writes) and a
/// message without any spreadsheet are listed as skipped under `shown`.
pub fn read_message(raw: &[u8], shown: &str, origin: Origin) -> (Vec<Input>, Vec<Skipped>) {
    let mut out = (Vec::new(), Vec::new());
    let skip = |reason: &str| Skipped {
        path: shown.to_string(),
        reason: reason.to_string(),
    };
    let Some(message) = MessageParser::default().parse(raw) else {
        out.1.push(skip("surel tidak dapat diurai"));
        return out;
    };
    let labelled;
    let shown = match message.subject().map(clean_name).filter(|s| !s.is_empty()) {
        Some(subject) if origin.subject_in_path => {
            labelled = format!("{shown} «{subject}»");
            labelled.as_str()
        }
        _ => shown,
    };
    let skip = |reason: &str| Skipped {
        path: shown.to_string(),
        reason: reason.to_string(),
    };
    if message
        .header_raw("X-Unsent")
        .is_some_and(|v| v.trim() == "1")
    {
        out.1.push(skip(
            "draf surel yang belum dikirim (X-Unsent), bukan laporan yang diterima",
        ));
        return out;
    }
    let mut others = Vec::new();
    collect(
        &message,
        shown,
        None,
        None,
        0,
        origin,
        &mut out,
        &mut others,
    );
    if out.0.is_empty() && out.1.is_empty() {
        let reason = if others.is_empty() {
            NO_ATTACHMENT.to_string()
        } else {
            format!("{NO_ATTACHMENT}; lampiran lain: {}", others.join(", "))
        };
        out.1.push(skip(&reason));
    }
    out
}

/// The first From address of a message, lower-cased and cleaned.
pub fn sender(message: &Message) -> Option<String> {
    let address = message.from()?.first()?.address()?;
    let cleaned: String = address
        .trim()
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .take(254)
        .collect::<String>()
        .to_lowercase();
    (cleaned.contains('@')).then_some(cleaned)
}

/// The message's Date header, if it is a real date.
fn date(message: &Message) -> Option<DateTime<FixedOffset>> {
    let d = message.date()?;
    DateTime::parse_from_rfc3339(&d.to_rfc3339()).ok()
}

/// Takes the spreadsheet attachments of a message and of messages forwarded
/// inside it. A forwarded message's own Date and From win: they say when and by
/// whom the OPD sent it.
#[allow(clippy::too_many_arguments)]
fn collect(
    message: &Message,
    shown: &str,
    outer_date: Option<DateTime<FixedOffset>>,
    outer_sender: Option<&str>,
    depth: usize,
    origin: Origin,
    out: &mut (Vec<Input>, Vec<Skipped>),
    others: &mut Vec<String>,
) {
    let date = date(message).or(outer_date);
    let from = sender(message);
    let from = from.as_deref().or(outer_sender);
    for (i, part) in message.attachments().enumerate() {
        // A forwarded message: parsed by mail-parser, or left encoded when it
        // nests deeper than mail-parser follows.
        let is_message = matches!(part.body, PartType::Message(_))
            || part.content_type().is_some_and(|ct| {
                ct.ctype().eq_ignore_ascii_case("message")
                    && ct.subtype().is_some_and(|s| {
                        s.eq_ignore_ascii_case("rfc822") || s.eq_ignore_ascii_case("global")
                    })
            });
        if is_message {
            let parsed;
            let inner = match part.message() {
                Some(m) => Some(m),
                None => {
                    parsed = MessageParser::default().parse(part.contents());
                    parsed.as_ref()
                }
            };
            let name = inner
                .and_then(|m| m.subject())
                .map(clean_name)
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "surel terlampir".to_string());
            let path = format!("{shown} » {name}");
            match inner {
                None => out.1.push(Skipped {
                    path,
                    reason: "surel terlampir tidak dapat diurai".into(),
                }),
                Some(_) if depth + 1 > MAX_DEPTH => out.1.push(Skipped {
                    path,
                    reason: format!(
                        "surel diteruskan lebih dari {MAX_DEPTH} lapis; lampiran di dalamnya tidak dibaca karena batas kedalaman. Minta OPD mengirim berkasnya langsung sebagai lampiran"
                    ),
                }),
                Some(inner) => collect(inner, &path, date, from, depth + 1, origin, out, others),
            }
            continue;
        }
        // A part that runs to the end of the message (no closing boundary) is
        // left undecoded by mail-parser: decode it here.
        let decoded;
        let bytes = if part.is_encoding_problem
            && part
                .content_transfer_encoding()
                .is_some_and(|e| e.trim().eq_ignore_ascii_case("base64"))
        {
            decoded = decode_base64_lenient(part.contents());
            decoded.as_slice()
        } else {
            part.contents()
        };
        let given = part
            .attachment_name()
            .map(clean_name)
            .filter(|n| !n.is_empty());
        if given.as_deref().is_some_and(is_lock_file) {
            continue;
        }
        // A named spreadsheet, or an unnamed or oddly named one recognised by its content.
        let format = given
            .as_deref()
            .and_then(Format::from_name)
            .or_else(|| sniff(bytes));
        let Some(format) = format else {
            if let Some(name) = given {
                others.push(name);
            }
            continue;
        };
        let name = given.unwrap_or_else(|| format!("lampiran-{}.{}", i + 1, format.as_str()));
        out.0.push(Input {
            path: format!("{shown} » {name}"),
            name,
            format,
            sha256: sha256(bytes),
            bytes: bytes.to_vec(),
            email_date: date,
            mtime: origin.mtime,
            disk_path: origin.disk.to_path_buf(),
            sender: from.map(str::to_string),
            refused: None,
        });
    }
}

/// Decodes base64 text, skipping white space and stopping at padding or at the
/// first byte outside the alphabet (what follows a part whose closing boundary
/// is missing).
fn decode_base64_lenient(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in text {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            _ => break,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use mail_builder::MessageBuilder;
    use mail_builder::mime::MimePart;

    /// A minimal xlsx-like package (enough for `sniff`).
    fn tiny_xlsx() -> Vec<u8> {
        use std::io::Write;
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buf);
        zip.start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"<workbook/>").unwrap();
        zip.finish().unwrap();
        buf.into_inner()
    }

    fn origin() -> Origin<'static> {
        Origin {
            disk: Path::new("surat.eml"),
            mtime: None,
            subject_in_path: false,
        }
    }

    fn with_attachment(from: &str, subject: &str, part: MimePart<'static>) -> Vec<u8> {
        MessageBuilder::new()
            .from(from)
            .subject(subject.to_string())
            .header(
                "Date",
                mail_builder::headers::raw::Raw::new("Fri, 28 Aug 2026 10:00:00 +0700"),
            )
            .body(MimePart::new(
                "multipart/mixed",
                vec![MimePart::new("text/plain", "Terlampir."), part],
            ))
            .write_to_vec()
            .unwrap()
    }

    /// The report, forwarded `levels` times (each forward wraps the previous
    /// message as a message/rfc822 attachment, base64 encoded by mail-builder).
    fn forwarded(levels: usize) -> Vec<u8> {
        let mut message = with_attachment(
            "dinkes@serangkota.go.id",
            "Laporan Dinkes",
            MimePart::new(crate::email::draft::XLSX_MIME, tiny_xlsx()).attachment("laporan.xlsx"),
        );
        for i in 0..levels {
            message = with_attachment(
                &format!("penerus{i}@serangkota.go.id"),
                &format!("Fwd {i}"),
                MimePart::new("message/rfc822", message).attachment("diteruskan.eml"),
            );
        }
        message
    }

    #[test]
    fn forwarded_attachments_are_read_up_to_the_depth_limit() {
        for levels in [1, 6, MAX_DEPTH] {
            let (inputs, skipped) = read_message(&forwarded(levels), "surat.eml", origin());
            assert!(skipped.is_empty(), "{levels} levels: {skipped:?}");
            assert_eq!(inputs.len(), 1, "{levels} levels");
            assert_eq!(inputs[0].bytes, tiny_xlsx());
            assert_eq!(inputs[0].name, "laporan.xlsx");
            // The OPD's own message says who sent it and when.
            assert_eq!(inputs[0].sender.as_deref(), Some("dinkes@serangkota.go.id"));
            assert!(
                inputs[0].path.ends_with("» Laporan Dinkes » laporan.xlsx"),
                "{}",
                inputs[0].path
            );
        }
    }

    #[test]
    fn forwarding_deeper_than_the_limit_is_reported_with_the_depth_as_reason() {
        let (inputs, skipped) = read_message(&forwarded(MAX_DEPTH + 1), "surat.eml", origin());
        assert!(inputs.is_empty());
        assert_eq!(skipped.len(), 1, "{skipped:?}");
        assert!(
            skipped[0].reason.contains("lebih dari 10 lapis"),
            "{}",
            skipped[0].reason
        );
        assert!(skipped[0].reason.contains("batas kedalaman"));
    }

    #[test]
    fn lenient_base64() {
        assert_eq!(decode_base64_lenient(b"UEsD\r\nBA==\r\n--x"), b"PK\x03\x04");
        assert_eq!(decode_base64_lenient(b"aGFs\nbw"), b"halo");
        assert!(decode_base64_lenient(b"").is_empty());
    }

    #[test]
    fn a_message_without_its_closing_boundary_keeps_its_attachment() {
        let eml = with_attachment(
            "dinkes@serangkota.go.id",
            "Laporan",
            MimePart::new(crate::email::draft::XLSX_MIME, tiny_xlsx()).attachment("laporan.xlsx"),
        );
        let text = String::from_utf8(eml).unwrap();
        // Cut the closing boundary (and what follows), as a broken mail program does.
        let cut = text.rfind("\r\n--").unwrap();
        for tail in ["", "\r\n", "\r\n\r\n"] {
            let broken = format!("{}{tail}", &text[..cut]);
            let (inputs, skipped) = read_message(broken.as_bytes(), "surat.eml", origin());
            assert!(skipped.is_empty(), "{skipped:?}");
            assert_eq!(inputs.len(), 1);
            assert_eq!(inputs[0].bytes, tiny_xlsx(), "tail {tail:?}");
        }
    }

    #[test]
    fn names_are_cleaned_and_messages_without_spreadsheets_are_listed() {
        let eml = with_attachment(
            "Dinkes@SerangKota.go.id",
            "x",
            MimePart::new("application/octet-stream", tiny_xlsx())
                .attachment("../../\u{202e}laporan.xlsx"),
        );
        let (inputs, _) = read_message(&eml, "surat.eml", origin());
        assert_eq!(inputs[0].name, "laporan.xlsx");
        assert_eq!(inputs[0].path, "surat.eml » laporan.xlsx");
        assert_eq!(inputs[0].sender.as_deref(), Some("dinkes@serangkota.go.id"));

        let html = MessageBuilder::new()
            .from("dinkes@serangkota.go.id")
            .subject("Laporan menyusul")
            .html_body("<p>Laporan menyusul.</p>")
            .write_to_vec()
            .unwrap();
        let (inputs, skipped) = read_message(
            &html,
            "kotak.mbox » pesan 3",
            Origin {
                subject_in_path: true,
                ..origin()
            },
        );
        assert!(inputs.is_empty());
        assert_eq!(skipped[0].path, "kotak.mbox » pesan 3 «Laporan menyusul»");
        assert!(skipped[0].reason.starts_with("tanpa lampiran"));
    }
}
