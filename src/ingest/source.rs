//! Finding and loading input files: walk folders, keep spreadsheets, open saved
//! e-mails (.eml) and mailboxes (.mbox) and take their spreadsheet attachments
//! with the e-mail's date and sender ([`crate::email`]), list everything else as
//! skipped, and ignore office lock files.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result, describe_io};
use crate::text::extension;

/// The spreadsheet formats monev reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Xlsx,
    Xlsm,
    Xls,
    Ods,
}

impl Format {
    /// The format named by a file extension (any case).
    pub fn from_name(name: &str) -> Option<Format> {
        match extension(Path::new(name)).as_str() {
            "xlsx" => Some(Format::Xlsx),
            "xlsm" => Some(Format::Xlsm),
            "xls" => Some(Format::Xls),
            "ods" => Some(Format::Ods),
            _ => None,
        }
    }

    /// Lower-case name, as in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xlsm => "xlsm",
            Format::Xls => "xls",
            Format::Ods => "ods",
        }
    }
}

/// A file found under the inputs, not yet read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Spreadsheet(PathBuf),
    Email(PathBuf),
    /// An mbox mailbox (Thunderbird, Google Takeout).
    Mailbox(PathBuf),
}

impl Found {
    /// The file on disk.
    pub fn path(&self) -> &Path {
        match self {
            Found::Spreadsheet(p) | Found::Email(p) | Found::Mailbox(p) => p,
        }
    }
}

/// A file that is not read, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// One spreadsheet to read, loaded into memory.
#[derive(Debug, Clone)]
pub struct Input {
    /// Shown in reports; for an attachment `surat.eml » lampiran.xlsx`.
    pub path: String,
    /// The file (or attachment) name, used to guess the unit and year.
    pub name: String,
    pub format: Format,
    pub bytes: Vec<u8>,
    pub sha256: String,
    /// The e-mail's Date header, when the file came as an attachment.
    pub email_date: Option<DateTime<FixedOffset>>,
    /// The file's modification time.
    pub mtime: Option<DateTime<FixedOffset>>,
    /// The file on disk (the .eml or .mbox for an attachment).
    pub disk_path: PathBuf,
    /// The sender's address (the message's From), when the file came by e-mail.
    pub sender: Option<String>,
}

/// True for lock files that Excel (`~$x.xlsx`) and LibreOffice (`.~lock.x.xlsx#`) leave.
pub fn is_lock_file(name: &str) -> bool {
    name.starts_with("~$") || name.starts_with(".~lock.")
}

/// Walks the inputs (files or folders, recursively) in a stable order. A file
/// reached twice (named twice, or through a link) is read once; links to
/// folders are not followed, so a link loop can't make the walk endless.
pub fn discover(inputs: &[PathBuf]) -> Result<(Vec<Found>, Vec<Skipped>)> {
    let mut walk = Walk::default();
    for input in inputs {
        if !input.exists() {
            return Err(Error::InputMissing {
                path: input.clone(),
            });
        }
        walk.visit(input, true)?;
    }
    Ok((walk.found, walk.skipped))
}

#[derive(Default)]
struct Walk {
    found: Vec<Found>,
    skipped: Vec<Skipped>,
    seen: std::collections::HashSet<PathBuf>,
}

impl Walk {
    fn visit(&mut self, path: &Path, given: bool) -> Result<()> {
        let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        if path.is_dir() {
            if is_link && !given {
                self.skipped.push(Skipped {
                    path: path.display().to_string(),
                    reason: "tautan ke folder lain tidak diikuti".into(),
                });
                return Ok(());
            }
            let entries = std::fs::read_dir(path).map_err(|e| Error::InputUnreadable {
                path: path.to_path_buf(),
                reason: describe_io(&e),
            })?;
            let mut children = Vec::new();
            for entry in entries {
                match entry {
                    Ok(e) => children.push(e.path()),
                    Err(e) => self.skipped.push(Skipped {
                        path: path.display().to_string(),
                        reason: format!(
                            "sebagian isi folder tidak dapat dibaca: {}",
                            describe_io(&e)
                        ),
                    }),
                }
            }
            children.sort();
            for child in children {
                self.visit(&child, false)?;
            }
            return Ok(());
        }
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if !self.seen.insert(key) {
            return Ok(());
        }
        classify(path, &mut self.found, &mut self.skipped);
        Ok(())
    }
}

/// Sorts one file into spreadsheets, e-mails, ignored lock files and skipped files.
fn classify(path: &Path, found: &mut Vec<Found>, skipped: &mut Vec<Skipped>) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if is_lock_file(&name) {
        return;
    }
    if Format::from_name(&name).is_some() {
        found.push(Found::Spreadsheet(path.to_path_buf()));
    } else if extension(path) == "eml" {
        found.push(Found::Email(path.to_path_buf()));
    } else if extension(path) == "mbox" {
        found.push(Found::Mailbox(path.to_path_buf()));
    } else {
        skipped.push(Skipped {
            path: path.display().to_string(),
            reason: "bukan berkas lembar kerja (.xlsx, .xlsm, .xls, .ods), surel (.eml), atau kotak surat (.mbox)".into(),
        });
    }
}

/// Loads a found file: one input for a spreadsheet, one per spreadsheet
/// attachment for an e-mail. Read failures become `Err(Skipped)`-like entries.
pub fn load(found: &Found) -> (Vec<Input>, Vec<Skipped>) {
    match found {
        Found::Spreadsheet(path) => match std::fs::read(path) {
            Ok(bytes) => {
                let name = file_name(path);
                let format = Format::from_name(&name).unwrap_or(Format::Xlsx);
                (
                    vec![Input {
                        path: path.display().to_string(),
                        name,
                        format,
                        sha256: sha256(&bytes),
                        bytes,
                        email_date: None,
                        mtime: mtime(path),
                        disk_path: path.clone(),
                        sender: None,
                    }],
                    vec![],
                )
            }
            Err(e) => (
                vec![],
                vec![Skipped {
                    path: path.display().to_string(),
                    reason: format!("tidak dapat dibaca: {}", describe_io(&e)),
                }],
            ),
        },
        Found::Email(path) => load_email(path),
        // Every attachment of the mailbox at once: for callers that want them
        // all (`load_with` streams instead).
        Found::Mailbox(_) => load_with(found, &|i| i),
    }
}

fn load_email(path: &Path) -> (Vec<Input>, Vec<Skipped>) {
    match std::fs::read(path) {
        Ok(bytes) => crate::email::inbound::read_message(
            &bytes,
            &path.display().to_string(),
            crate::email::inbound::Origin {
                disk: path,
                mtime: mtime(path),
                subject_in_path: false,
            },
        ),
        Err(e) => (
            vec![],
            vec![Skipped {
                path: path.display().to_string(),
                reason: format!("tidak dapat dibaca: {}", describe_io(&e)),
            }],
        ),
    }
}

/// Loads a found file and reads each of its inputs with `read`, in order. A
/// mailbox is streamed: its messages are taken a batch at a time and their
/// attachments read in parallel, so the mailbox is never held in memory whole
/// (see [`crate::email::mbox`]).
pub fn load_with<T: Send>(
    found: &Found,
    read: &(dyn Fn(Input) -> T + Sync),
) -> (Vec<T>, Vec<Skipped>) {
    match found {
        Found::Mailbox(path) => crate::email::mbox::load(path, mtime(path), read),
        other => {
            let (inputs, skipped) = load(other);
            (inputs.into_iter().map(read).collect(), skipped)
        }
    }
}

/// The spreadsheet format of some bytes, judged by content: an OOXML or ODF
/// package, or an OLE compound file (.xls).
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    const CFB: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(&CFB) {
        return Some(Format::Xls);
    }
    // Spreadsheet packages start with a zip local header; anything else (a PDF,
    // a photo) is no spreadsheet, and is not searched for a zip directory.
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    if zip.by_name("xl/workbook.xml").is_ok() {
        return Some(Format::Xlsx);
    }
    let mut mimetype = String::new();
    std::io::Read::read_to_string(
        &mut std::io::Read::take(zip.by_name("mimetype").ok()?, 200),
        &mut mimetype,
    )
    .ok()?;
    (mimetype.trim() == "application/vnd.oasis.opendocument.spreadsheet").then_some(Format::Ods)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn mtime(path: &Path) -> Option<DateTime<FixedOffset>> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    let utc: DateTime<Utc> = modified.into();
    Some(utc.with_timezone(&wib()))
}

/// Western Indonesian Time (UTC+7), Kota Serang's time zone.
pub fn wib() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC offset"))
}

/// Hex SHA-256 of the bytes.
pub fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension_any_case() {
        assert_eq!(Format::from_name("a.XLSX"), Some(Format::Xlsx));
        assert_eq!(Format::from_name("a.Ods"), Some(Format::Ods));
        assert_eq!(Format::from_name("a.xlsm"), Some(Format::Xlsm));
        assert_eq!(Format::from_name("a.csv"), None);
    }

    #[test]
    fn lock_files() {
        assert!(is_lock_file("~$laporan.xlsx"));
        assert!(is_lock_file(".~lock.laporan.xlsx#"));
        assert!(!is_lock_file("laporan.xlsx"));
    }

    #[test]
    fn discovery_walks_sorts_and_skips() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        for n in ["b.XLSX", "~$b.XLSX", "catatan.txt"] {
            std::fs::write(dir.path().join(n), b"x").unwrap();
        }
        std::fs::write(sub.join("a.ods"), b"x").unwrap();
        std::fs::write(sub.join("surat.eml"), b"x").unwrap();
        let (found, skipped) = discover(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(found.len(), 3);
        assert!(matches!(&found[0], Found::Spreadsheet(p) if p.ends_with("b.XLSX")));
        assert!(matches!(&found[2], Found::Email(_)));
        assert_eq!(skipped.len(), 1);
        assert!(skipped[0].path.ends_with("catatan.txt"));
        assert!(matches!(
            discover(&[dir.path().join("nope")]),
            Err(Error::InputMissing { .. })
        ));
        // Named twice: read once.
        let twice = discover(&[dir.path().to_path_buf(), sub.join("a.ods")])
            .unwrap()
            .0;
        assert_eq!(twice.len(), 3);
    }

    #[cfg(unix)]
    #[test]
    fn folder_links_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.xlsx"), b"x").unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
        let (found, skipped) = discover(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(skipped.len(), 1);
        assert!(skipped[0].reason.contains("tidak diikuti"));
    }

    /// A minimal xlsx-like package (enough for [`sniff`]).
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

    fn b64(bytes: &[u8]) -> String {
        const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        bytes
            .chunks(3)
            .flat_map(|c| {
                let n = (u32::from(c[0]) << 16)
                    | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
                    | u32::from(*c.get(2).unwrap_or(&0));
                (0..4).map(move |k| {
                    if k <= c.len() {
                        T[((n >> (18 - 6 * k)) & 63) as usize] as char
                    } else {
                        '='
                    }
                })
            })
            .collect()
    }

    #[test]
    fn forwarded_and_unnamed_attachments_are_found() {
        let inner = format!(
            "From: dinkes@serangkota.go.id\r\nDate: Fri, 28 Aug 2026 10:00:00 +0700\r\nSubject: Laporan Dinkes\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"IN\"\r\n\r\n--IN\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n--IN--\r\n",
            b64(&tiny_xlsx())
        );
        let outer = format!(
            "From: sekretariat@serangkota.go.id\r\nDate: Tue, 1 Sep 2026 08:00:00 +0700\r\nSubject: Fwd: Laporan Dinkes\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"OUT\"\r\n\r\n--OUT\r\nContent-Type: text/plain\r\n\r\nDiteruskan.\r\n--OUT\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n{inner}\r\n--OUT--\r\n"
        );
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("fwd.eml");
        std::fs::write(&p, outer).unwrap();
        let (inputs, skipped) = load(&Found::Email(p));
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(inputs.len(), 1);
        assert_eq!(inputs[0].format, Format::Xlsx);
        assert!(
            inputs[0]
                .path
                .ends_with("» Laporan Dinkes » lampiran-1.xlsx"),
            "{}",
            inputs[0].path
        );
        // The forwarded message's own date: when the OPD sent it.
        assert_eq!(
            inputs[0].email_date.unwrap().to_rfc3339(),
            "2026-08-28T10:00:00+07:00"
        );
    }

    #[test]
    fn formats_are_sniffed_from_content() {
        assert_eq!(sniff(&tiny_xlsx()), Some(Format::Xlsx));
        assert_eq!(
            sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]),
            Some(Format::Xls)
        );
        assert_eq!(sniff(b"bukan"), None);
    }

    #[test]
    fn email_attachments_carry_the_date() {
        let eml = "From: a@b.id\r\nTo: c@d.id\r\nSubject: Laporan\r\nDate: Mon, 31 Aug 2026 23:30:00 +0700\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\nTerlampir.\r\n--XX\r\nContent-Type: application/octet-stream; name=\"lap.xlsx\"\r\nContent-Disposition: attachment; filename=\"lap.xlsx\"\r\nContent-Transfer-Encoding: base64\r\n\r\nUEsDBA==\r\n--XX--\r\n";
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("surat.eml");
        std::fs::write(&p, eml).unwrap();
        let (inputs, skipped) = load(&Found::Email(p));
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(inputs.len(), 1);
        assert_eq!(inputs[0].name, "lap.xlsx");
        assert_eq!(inputs[0].bytes, b"PK\x03\x04");
        assert_eq!(
            inputs[0].email_date.unwrap().to_rfc3339(),
            "2026-08-31T23:30:00+07:00"
        );
    }
}
