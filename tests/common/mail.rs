//! E-mail helpers for tests, the sample generator and the mailbox benchmark:
//! messages built with mail-builder as a mail program sends them, forwards,
//! and mbox files as Thunderbird and Google Takeout export them.

use mail_builder::MessageBuilder;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::raw::Raw;
use mail_builder::mime::MimePart;

/// The xlsx content type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A sent message from `from`, dated `date` (RFC 2822, e.g.
/// "Fri, 28 Aug 2026 10:00:00 +0700"), with a text body and `attachments`
/// (file name, content type, bytes).
pub fn message(
    from: &str,
    date: &str,
    subject: &str,
    text: &str,
    attachments: &[(&str, &str, &[u8])],
) -> Vec<u8> {
    let mut parts = vec![MimePart::new("text/plain", text.to_string())];
    for (name, ctype, bytes) in attachments {
        parts.push(MimePart::new(ctype.to_string(), bytes.to_vec()).attachment(name.to_string()));
    }
    MessageBuilder::new()
        .from(from.to_string())
        .to("rb@serangkota.go.id")
        .subject(subject.to_string())
        .header("Date", Raw::new(date.to_string()))
        .message_id(format!(
            "{}.{}@test",
            subject.len(),
            date.replace([' ', ',', ':', '+'], "")
        ))
        .body(MimePart::new(mixed(date, subject), parts))
        .write_to_vec()
        .expect("message")
}

/// multipart/mixed with a boundary made from the message's date and subject,
/// so the same message gives the same bytes.
fn mixed(date: &str, subject: &str) -> ContentType<'static> {
    let seed: u64 = date
        .bytes()
        .chain(subject.bytes())
        .fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
    ContentType::new("multipart/mixed").attribute("boundary", format!("batas-{seed:016x}"))
}

/// An HTML-only message without attachments ("laporan menyusul").
pub fn html_only(from: &str, date: &str, subject: &str, html: &str) -> Vec<u8> {
    MessageBuilder::new()
        .from(from.to_string())
        .to("rb@serangkota.go.id")
        .subject(subject.to_string())
        .header("Date", Raw::new(date.to_string()))
        .message_id(format!(
            "html.{}@test",
            date.replace([' ', ',', ':', '+'], "")
        ))
        .html_body(html.to_string())
        .write_to_vec()
        .expect("message")
}

/// `inner` forwarded as an attachment (message/rfc822) by `from` on `date`.
pub fn forward(from: &str, date: &str, inner: &[u8]) -> Vec<u8> {
    MessageBuilder::new()
        .from(from.to_string())
        .to("rb@serangkota.go.id")
        .subject("Fwd: laporan")
        .header("Date", Raw::new(date.to_string()))
        .message_id(format!(
            "fwd.{}@test",
            date.replace([' ', ',', ':', '+'], "")
        ))
        .body(MimePart::new(
            mixed(date, "fwd"),
            vec![
                MimePart::new("text/plain", "Diteruskan, laporan dari OPD."),
                MimePart::new("message/rfc822", inner.to_vec()).attachment("laporan.eml"),
            ],
        ))
        .write_to_vec()
        .expect("message")
}

/// An mbox (mboxrd) of `messages`, each with its envelope sender: a `From `
/// postmark line before each message, `From ` at the start of a line escaped
/// as `>From `, and a blank line after each message.
pub fn mbox(messages: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (sender, m) in messages {
        append_mbox(&mut out, sender, m);
    }
    out
}

/// Appends one message to an mbox being built (see [`mbox`]).
pub fn append_mbox(out: &mut Vec<u8>, sender: &str, message: &[u8]) {
    out.extend_from_slice(format!("From {sender} Thu Aug 27 10:00:00 2026\n").as_bytes());
    for line in message.split_inclusive(|&b| b == b'\n') {
        let gts = line.iter().take_while(|&&b| b == b'>').count();
        if line[gts..].starts_with(b"From ") {
            out.push(b'>');
        }
        out.extend_from_slice(line);
    }
    if !message.ends_with(b"\n") {
        out.push(b'\n');
    }
    out.push(b'\n');
}
