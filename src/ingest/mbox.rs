//! Mailboxes in the mbox format, as Thunderbird and Google Takeout export them:
//! messages one after another, each starting with a `From ` postmark line, with
//! `From ` at the start of a body line escaped as `>From ` (mboxo and mboxrd).
//!
//! The mailbox is streamed: [`Messages`] yields one message at a time from a
//! buffered reader, and [`load`] takes a batch of messages (at most 64, or
//! 32 MiB) at a time and reads their attachments in parallel, so memory stays
//! bounded by the batch whatever the size of the mailbox. A message larger
//! than [`MAX_MESSAGE_BYTES`] is not held: it is counted, skipped and listed.
//!
//! mail-parser has an mbox iterator too (`mail_parser::mailbox::mbox`); this one
//! adds the size limit per message and per line, a stricter postmark rule (a
//! `From ` line only separates messages after a blank line or when it looks like
//! a postmark, so an unescaped "From the desk of…" in a body does not cut a
//! message in two), and message numbers for the reports. The benchmark
//! (`cargo bench --bench mbox`) measures both side by side.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use super::inbound::{Origin, read_message};
use crate::error::describe_io;
use crate::ingest::source::{Input, Skipped};

/// The largest message read, in bytes (attachments grow by a third in base64).
pub const MAX_MESSAGE_BYTES: usize = 64 << 20;
/// At most this many messages are held and read in parallel at once.
const BATCH_MESSAGES: usize = 64;
/// At most this many bytes of messages are held at once.
const BATCH_BYTES: usize = 32 << 20;
/// Lines are read in pieces of at most this many bytes.
const LINE_CHUNK: u64 = 64 << 10;

/// One message of a mailbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawMessage {
    /// 1-based position in the mailbox.
    pub number: usize,
    /// The message (RFC 5322), without its postmark line, `>From ` unescaped.
    /// Empty when the message was too large.
    pub bytes: Vec<u8>,
    /// The message's full size when it exceeded [`MAX_MESSAGE_BYTES`].
    pub oversize: Option<u64>,
}

/// Iterates over the messages of an mbox stream. Lines are read straight into
/// the message being built (one copy), in pieces of at most 64 KiB.
pub struct Messages<R> {
    reader: R,
    /// The message being built (or, past the limit, the current line only).
    bytes: Vec<u8>,
    has_current: bool,
    /// Bytes of the current message, counted also past the limit.
    size: u64,
    oversize: bool,
    at_line_start: bool,
    prev_blank: bool,
    first_line: bool,
    count: usize,
    done: bool,
}

impl<R: BufRead> Messages<R> {
    /// Reads messages from `reader` (give it a large buffer, e.g. 1 MiB).
    pub fn new(reader: R) -> Messages<R> {
        Messages {
            reader,
            bytes: Vec::new(),
            has_current: false,
            size: 0,
            oversize: false,
            at_line_start: true,
            prev_blank: false,
            first_line: true,
            count: 0,
            done: false,
        }
    }

    /// How many messages have been started so far.
    pub fn started(&self) -> usize {
        self.count
    }

    /// The message built so far, if any (its bytes are taken).
    fn finish(&mut self) -> Option<RawMessage> {
        if !self.has_current {
            return None;
        }
        self.has_current = false;
        let capacity = if self.oversize { 0 } else { self.bytes.len() };
        let bytes = std::mem::replace(&mut self.bytes, Vec::with_capacity(capacity));
        Some(RawMessage {
            number: self.count,
            bytes: if self.oversize { Vec::new() } else { bytes },
            oversize: self.oversize.then_some(self.size),
        })
    }

    fn start(&mut self) {
        self.count += 1;
        self.has_current = true;
        self.size = 0;
        self.oversize = false;
    }
}

impl<R: BufRead> Iterator for Messages<R> {
    type Item = io::Result<RawMessage>;

    fn next(&mut self) -> Option<io::Result<RawMessage>> {
        if self.done {
            return None;
        }
        loop {
            let start = self.bytes.len();
            let n = match (&mut self.reader)
                .take(LINE_CHUNK)
                .read_until(b'\n', &mut self.bytes)
            {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            };
            if n == 0 {
                self.done = true;
                return self.finish().map(Ok);
            }
            let starts_line = self.at_line_start;
            self.at_line_start = self.bytes.ends_with(b"\n");
            if starts_line {
                let line = &self.bytes[start..];
                let first = std::mem::replace(&mut self.first_line, false);
                if line.starts_with(b"From ")
                    && (first || self.prev_blank || looks_like_postmark(line))
                {
                    self.bytes.truncate(start);
                    self.prev_blank = false;
                    let done = self.finish();
                    self.start();
                    if let Some(done) = done {
                        return Some(Ok(done));
                    }
                    continue;
                }
                self.prev_blank = matches!(line, b"\n" | b"\r\n");
                let gts = line.iter().take_while(|&&b| b == b'>').count();
                if gts > 0 && line[gts..].starts_with(b"From ") {
                    self.bytes.remove(start);
                }
                if !self.has_current {
                    // No postmark at the top: a single message saved as .mbox.
                    self.start();
                }
            } else {
                self.prev_blank = false;
            }
            self.size += n as u64;
            if self.size > MAX_MESSAGE_BYTES as u64 {
                // Only counted from here on; the message is listed, not read.
                self.oversize = true;
            }
            if self.oversize {
                self.bytes.clear();
            }
        }
    }
}

/// True for a postmark line: `From sender Thu Aug 27 10:00:00 2026` (a time
/// and a four-digit year after the sender).
fn looks_like_postmark(line: &[u8]) -> bool {
    let has_time = line.windows(5).any(|w| {
        w[0].is_ascii_digit()
            && w[1].is_ascii_digit()
            && w[2] == b':'
            && w[3].is_ascii_digit()
            && w[4].is_ascii_digit()
    });
    let has_year = line.windows(4).any(|w| w.iter().all(u8::is_ascii_digit));
    has_time && has_year
}

/// Reads every spreadsheet attachment of a mailbox with `read`, in mailbox
/// order, streaming (see the module docs). Inputs are shown as
/// `kotak.mbox » pesan 12 «subjek» » lampiran.xlsx`. Messages without a
/// spreadsheet, too large, or unreadable are listed as skipped; a mailbox that
/// can't be opened or breaks off gives one skipped entry and keeps what was read.
pub fn load<T: Send>(
    path: &Path,
    mtime: Option<DateTime<FixedOffset>>,
    read: &(dyn Fn(Input) -> T + Sync),
) -> (Vec<T>, Vec<Skipped>) {
    let shown = path.display().to_string();
    let mut out = (Vec::new(), Vec::new());
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            out.1.push(Skipped {
                path: shown,
                reason: format!("tidak dapat dibaca: {}", describe_io(&e)),
            });
            return out;
        }
    };
    let origin = Origin {
        disk: path,
        mtime,
        subject_in_path: true,
    };
    let flush = |batch: Vec<RawMessage>, out: &mut (Vec<T>, Vec<Skipped>)| {
        let done: Vec<(Vec<T>, Vec<Skipped>)> = batch
            .par_iter()
            .map(|m| read_one(m, &shown, origin, read))
            .collect();
        for (r, s) in done {
            out.0.extend(r);
            out.1.extend(s);
        }
    };
    // One thread splits the mailbox while the others read the previous batch;
    // at most one batch waits in the channel, so memory stays bounded.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<RawMessage>>(1);
    let (started, failure) = std::thread::scope(|scope| {
        let splitter = scope.spawn(move || {
            let mut messages = Messages::new(BufReader::with_capacity(1 << 20, file));
            let mut batch = Vec::new();
            let mut batch_bytes = 0;
            let mut failure = None;
            for m in messages.by_ref() {
                match m {
                    Ok(m) => {
                        batch_bytes += m.bytes.len();
                        batch.push(m);
                        if batch.len() >= BATCH_MESSAGES || batch_bytes >= BATCH_BYTES {
                            if tx.send(std::mem::take(&mut batch)).is_err() {
                                break;
                            }
                            batch_bytes = 0;
                        }
                    }
                    Err(e) => failure = Some(e),
                }
            }
            if !batch.is_empty() {
                let _ = tx.send(batch);
            }
            (messages.started(), failure)
        });
        for batch in rx {
            flush(batch, &mut out);
        }
        splitter
            .join()
            .unwrap_or_else(|_| (0, Some(io::Error::other("pembacaan kotak surat terhenti"))))
    });
    if let Some(e) = failure {
        out.1.push(Skipped {
            path: shown,
            reason: format!(
                "kotak surat tidak dapat dibaca sampai habis setelah pesan {started}: {}",
                describe_io(&e)
            ),
        });
    } else if started == 0 {
        out.1.push(Skipped {
            path: shown,
            reason: "kotak surat kosong".into(),
        });
    }
    out
}

/// Reads one message of a mailbox.
fn read_one<T>(
    m: &RawMessage,
    mailbox: &str,
    origin: Origin,
    read: &(dyn Fn(Input) -> T + Sync),
) -> (Vec<T>, Vec<Skipped>) {
    let shown = format!("{mailbox} » pesan {}", m.number);
    if let Some(size) = m.oversize {
        return (
            vec![],
            vec![Skipped {
                path: shown,
                reason: format!(
                    "pesan berukuran {} MiB, melebihi batas {} MiB; tidak dibaca",
                    size >> 20,
                    MAX_MESSAGE_BYTES >> 20
                ),
            }],
        );
    }
    let (inputs, skipped) = read_message(&m.bytes, &shown, origin);
    (inputs.into_iter().map(read).collect(), skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<String> {
        Messages::new(text.as_bytes())
            .map(|m| String::from_utf8(m.unwrap().bytes).unwrap())
            .collect()
    }

    #[test]
    fn messages_are_split_at_postmarks_and_unescaped() {
        let mbox = "From a@b.id Thu Aug 27 10:00:00 2026\nSubject: satu\n\n>From sini\nFrom the desk of the head\n\nFrom b@c.id Fri Aug 28 10:00:00 2026\nSubject: dua\n\nisi\n";
        let m = split(mbox);
        assert_eq!(m.len(), 2, "{m:?}");
        assert_eq!(
            m[0],
            "Subject: satu\n\nFrom sini\nFrom the desk of the head\n\n"
        );
        assert_eq!(m[1], "Subject: dua\n\nisi\n");
    }

    #[test]
    fn a_mailbox_of_odd_messages_is_listed_message_by_message() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kotak.mbox");
        let mut text =
            b"From a Thu Aug 27 10:00:00 2026\n\nFrom b Thu Aug 27 10:00:00 2026\n".to_vec();
        text.extend_from_slice(&[0xff, 0xfe, 0x00, b'\n', 0x80, b'\n']);
        text.extend_from_slice(b"\nFrom c Thu Aug 27 10:00:00 2026\nSubject: Laporan\nFrom: c@d.id\n\nTanpa lampiran.\n");
        std::fs::write(&path, text).unwrap();
        let (inputs, skipped) = load(&path, None, &|i| i);
        assert!(inputs.is_empty());
        assert_eq!(skipped.len(), 3, "{skipped:?}");
        let shown = path.display().to_string();
        assert!(skipped[0].path.starts_with(&format!("{shown} » pesan 1")));
        assert_eq!(skipped[2].path, format!("{shown} » pesan 3 «Laporan»"));
        assert!(skipped[2].reason.starts_with("tanpa lampiran"));

        std::fs::write(&path, b"").unwrap();
        let (_, skipped) = load(&path, None, &|i| i);
        assert_eq!(skipped[0].reason, "kotak surat kosong");
    }

    #[test]
    fn a_file_without_postmark_is_one_message() {
        assert_eq!(split("Subject: x\n\nisi\n"), vec!["Subject: x\n\nisi\n"]);
        assert!(split("").is_empty());
    }

    #[test]
    fn long_lines_and_large_messages_are_bounded() {
        let long = "A".repeat(200_000);
        let m = split(&format!(
            "From a Thu Aug 27 10:00:00 2026\n{long}\nFrom x\n"
        ));
        assert_eq!(m.len(), 1, "a From inside a long line is no separator");
        assert!(m[0].contains("From x"));

        let big = MAX_MESSAGE_BYTES + 10;
        let mut text = b"From a Thu Aug 27 10:00:00 2026\n".to_vec();
        text.extend(std::iter::repeat_n(b'x', big));
        text.extend_from_slice(b"\n\nFrom b Thu Aug 27 10:00:00 2026\nSubject: kecil\n");
        let got: Vec<RawMessage> = Messages::new(text.as_slice()).map(Result::unwrap).collect();
        assert_eq!(got.len(), 2);
        assert!(got[0].bytes.is_empty());
        assert_eq!(got[0].oversize, Some(big as u64 + 2));
        assert_eq!(got[1].bytes, b"Subject: kecil\n");
    }
}
