//! Finding and loading input files: walk folders, keep spreadsheets, open saved
//! e-mails (.eml) and mailboxes (.mbox) and take their spreadsheet attachments
//! with the e-mail's date and sender ([`crate::email`]), list everything else as
//! skipped, and ignore office lock files.
//!
//! Only regular files are read: FIFOs, sockets and devices (also behind a
//! symbolic link) are skipped with a reason, so nothing can block the walk
//! (fz-15, fz-16). A folder that can't be listed is skipped and the walk goes
//! on (fz-17). A file over the size limit is rejected from its metadata before
//! it is read (fz-16), and a file another program holds open is retried, then
//! rejected with a message telling the operator to close it. Out-of-range
//! modification times are ignored (fz-18). A mailbox is exempt from the size
//! limit (it has its own limit per message).

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::guard::Limits;
use crate::error::{Error, Result, describe_io, is_locked};
use crate::text::extension;

/// The spreadsheet formats monev reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Set when loading already decided the file can't be read (too big,
    /// held open by another program): the full `file.unreadable` message.
    pub refused: Option<String>,
    /// The sender's address (the message's From), when the file came by e-mail.
    pub sender: Option<String>,
}

impl Input {
    /// A spreadsheet already in memory, shown as `path`, named `name` (for
    /// guessing its unit and year), with no e-mail, times or sender, and no
    /// SHA-256 (reading does not use it; discovery computes it).
    pub fn in_memory(path: &str, name: &str, format: Format, bytes: Vec<u8>) -> Input {
        Input {
            path: path.to_string(),
            name: name.to_string(),
            format,
            bytes,
            sha256: String::new(),
            email_date: None,
            mtime: None,
            disk_path: PathBuf::from(path),
            refused: None,
            sender: None,
        }
    }
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
    fn skip(&mut self, path: &Path, reason: String) {
        self.skipped.push(Skipped {
            path: path.display().to_string(),
            reason,
        });
    }

    fn visit(&mut self, path: &Path, given: bool) -> Result<()> {
        let link = match std::fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(e) => {
                self.skip(path, format!("tidak dapat dibaca: {}", describe_io(&e)));
                return Ok(());
            }
        };
        let is_link = link.file_type().is_symlink();
        // What a link points to; a dangling link is skipped with the reason.
        let meta = if is_link {
            match std::fs::metadata(path) {
                Ok(m) => m,
                Err(e) => {
                    self.skip(path, format!("tautan rusak: {}", describe_io(&e)));
                    return Ok(());
                }
            }
        } else {
            link
        };
        if meta.is_dir() {
            if is_link && !given {
                self.skip(path, "tautan ke folder lain tidak diikuti".into());
                return Ok(());
            }
            // A folder that can't be listed is reported; the walk goes on (fz-17).
            let entries = match std::fs::read_dir(path) {
                Ok(entries) => entries,
                Err(e) => {
                    self.skip(
                        path,
                        format!("folder tidak dapat dibaca: {}", describe_io(&e)),
                    );
                    return Ok(());
                }
            };
            let mut children = Vec::new();
            for entry in entries {
                match entry {
                    Ok(e) => children.push(e.path()),
                    Err(e) => self.skip(
                        path,
                        format!(
                            "sebagian isi folder tidak dapat dibaca: {}",
                            describe_io(&e)
                        ),
                    ),
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
        if !meta.is_file() {
            // FIFOs, sockets, devices: reading one could block or never end (fz-15, fz-16).
            if !is_lock_file(&file_name(path)) {
                self.skip(path, not_regular(&meta));
            }
            return Ok(());
        }
        classify(path, &mut self.found, &mut self.skipped);
        Ok(())
    }
}

/// Why a non-regular file is not read.
fn not_regular(meta: &std::fs::Metadata) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        let what = if t.is_fifo() {
            "pipa (FIFO)"
        } else if t.is_socket() {
            "soket"
        } else if t.is_block_device() || t.is_char_device() {
            "perangkat"
        } else {
            "bukan berkas biasa"
        };
        format!("bukan berkas biasa ({what}); hanya berkas biasa yang dibaca")
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        "bukan berkas biasa; hanya berkas biasa yang dibaca".into()
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
    } else if matches!(extension(path).as_str(), "eml" | "msg") {
        // Outlook's .msg is read like a .eml (src/ingest/msg.rs).
        found.push(Found::Email(path.to_path_buf()));
    } else if extension(path) == "mbox" {
        found.push(Found::Mailbox(path.to_path_buf()));
    } else {
        skipped.push(Skipped {
            path: path.display().to_string(),
            reason: "bukan berkas lembar kerja (.xlsx, .xlsm, .xls, .ods), surel (.eml, .msg), atau kotak surat (.mbox)".into(),
        });
    }
}

/// Loads a found file with the default [`Limits`].
pub fn load(found: &Found) -> (Vec<Input>, Vec<Skipped>) {
    load_limited(found, &Limits::default())
}

/// Loads a found file: one input for a spreadsheet, one per spreadsheet
/// attachment for an e-mail. A file that is no longer a regular file is
/// skipped; a spreadsheet over `limits.max_file_bytes` or held open by another
/// program becomes an input with [`Input::refused`] set (a rejected file with
/// its reason), so it is listed with the other reports.
pub fn load_limited(found: &Found, limits: &Limits) -> (Vec<Input>, Vec<Skipped>) {
    if let Found::Mailbox(_) = found {
        return load_with(found, limits, &|i| i);
    }
    let path = found.path();
    let skip = |reason: String| {
        (
            vec![],
            vec![Skipped {
                path: path.display().to_string(),
                reason,
            }],
        )
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) if m.is_file() => m,
        Ok(m) => return skip(not_regular(&m)),
        Err(e) => return skip(format!("tidak dapat dibaca: {}", describe_io(&e))),
    };
    let too_big = (meta.len() > limits.max_file_bytes).then(|| {
        format!(
            "Berkas tidak dapat dibaca: ukurannya {} melebihi batas {} (ubah dengan --batas-ukuran). Laporan yang terisi biasanya jauh di bawah 1 MiB; periksa apakah berkas yang dikirim benar",
            mib(meta.len()),
            mib(limits.max_file_bytes)
        ) + "."
    });
    match found {
        Found::Email(path) => match too_big {
            Some(_) => skip(format!(
                "surel terlalu besar ({}; batas {}, ubah dengan --batas-ukuran)",
                mib(meta.len()),
                mib(limits.max_file_bytes)
            )),
            None => load_email(path),
        },
        Found::Spreadsheet(path) => {
            let name = file_name(path);
            let format = Format::from_name(&name).unwrap_or(Format::Xlsx);
            let input = |bytes: Vec<u8>, refused: Option<String>| Input {
                path: path.display().to_string(),
                name: name.clone(),
                format,
                sha256: if refused.is_some() {
                    String::new()
                } else {
                    sha256(&bytes)
                },
                bytes,
                email_date: None,
                mtime: mtime(path),
                disk_path: path.clone(),
                refused,
                sender: None,
            };
            if let Some(reason) = too_big {
                return (vec![input(Vec::new(), Some(reason))], vec![]);
            }
            match read_regular(path, limits.max_file_bytes) {
                Ok(bytes) => (vec![input(bytes, None)], vec![]),
                Err(e) if is_locked(&e) => (
                    vec![input(
                        Vec::new(),
                        Some(format!(
                            "Berkas tidak dapat dibaca: {}. Tutup berkas itu (misalnya di Excel), lalu jalankan monev lagi.",
                            describe_io(&e)
                        )),
                    )],
                    vec![],
                ),
                Err(e) => skip(format!("tidak dapat dibaca: {}", describe_io(&e))),
            }
        }
        Found::Mailbox(_) => unreachable!("mailboxes are streamed before this"),
    }
}

/// Sizes for messages: "3,5 MiB".
fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0)).replace('.', ",")
}

/// How often, and how long apart, a file held by another program is retried.
const LOCK_RETRIES: u32 = 3;
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_millis(300);

/// Reads a regular file of at most `max` bytes. The file is opened without
/// blocking (a FIFO swapped in since the walk can't stall the run), checked to
/// be a regular file through the open handle, and read to at most `max + 1`
/// bytes. A file another program holds is retried a few times.
fn read_regular(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    let mut attempt = 0;
    loop {
        match read_regular_once(path, max) {
            Err(e) if is_locked(&e) && attempt + 1 < LOCK_RETRIES => {
                attempt += 1;
                std::thread::sleep(LOCK_WAIT);
            }
            other => return other,
        }
    }
}

fn read_regular_once(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            not_regular(&meta),
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len().min(max)).unwrap_or(0));
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            "berkas bertambah besar saat dibaca",
        ));
    }
    Ok(bytes)
}

fn load_email(path: &Path) -> (Vec<Input>, Vec<Skipped>) {
    match std::fs::read(path) {
        Ok(bytes) if extension(path) == "msg" => load_msg(path, &bytes),
        Ok(bytes) => super::inbound::read_message(
            &bytes,
            &path.display().to_string(),
            super::inbound::Origin {
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

/// The spreadsheet attachments of an Outlook .msg (see [`super::msg`]), as
/// [`load_email`] takes those of a .eml.
fn load_msg(path: &Path, bytes: &[u8]) -> (Vec<Input>, Vec<Skipped>) {
    let shown = path.display().to_string();
    let atts = match super::msg::attachments(bytes) {
        Ok(a) => a,
        Err(reason) => {
            return (
                vec![],
                vec![Skipped {
                    path: shown,
                    reason,
                }],
            );
        }
    };
    let mut out = (Vec::new(), Vec::new());
    for (i, a) in atts.into_iter().enumerate() {
        if a.name.as_deref().is_some_and(is_lock_file) {
            continue;
        }
        let format = a
            .name
            .as_deref()
            .and_then(Format::from_name)
            .or_else(|| sniff(&a.bytes));
        let name = a.name.clone().unwrap_or_else(|| {
            format!(
                "lampiran-{}.{}",
                i + 1,
                format.map_or("bin", Format::as_str)
            )
        });
        // Names from a message are untrusted: each part is cleaned.
        let parts: Vec<String> = a.shown.split(" » ").map(crate::text::clean_name).collect();
        let item = format!("{shown} » {}", parts.join(" » "));
        match format {
            Some(format) => out.0.push(Input {
                path: item,
                name: crate::text::clean_name(&name),
                format,
                sha256: sha256(&a.bytes),
                bytes: a.bytes,
                email_date: a.date,
                mtime: mtime(path),
                disk_path: path.to_path_buf(),
                refused: None,
                sender: None,
            }),
            None => out.1.push(Skipped {
                path: item,
                reason: "lampiran bukan berkas lembar kerja".into(),
            }),
        }
    }
    if out.0.is_empty() && out.1.is_empty() {
        out.1.push(Skipped {
            path: shown,
            reason: "surel tidak memiliki lampiran lembar kerja".into(),
        });
    }
    out
}

/// Loads a found file and reads each of its inputs with `read`, in order. A
/// mailbox is streamed: its messages are taken a batch at a time and their
/// attachments read in parallel, so the mailbox is never held in memory whole
/// (see [`super::mbox`]).
pub fn load_with<T: Send>(
    found: &Found,
    limits: &Limits,
    read: &(dyn Fn(Input) -> T + Sync),
) -> (Vec<T>, Vec<Skipped>) {
    match found {
        Found::Mailbox(path) => {
            // Only a regular file is streamed (never a FIFO or a device).
            match std::fs::metadata(path) {
                Ok(m) if m.is_file() => super::mbox::load(path, mtime(path), read),
                Ok(m) => (
                    Vec::new(),
                    vec![Skipped {
                        path: path.display().to_string(),
                        reason: not_regular(&m),
                    }],
                ),
                Err(e) => (
                    Vec::new(),
                    vec![Skipped {
                        path: path.display().to_string(),
                        reason: format!("tidak dapat dibaca: {}", describe_io(&e)),
                    }],
                ),
            }
        }
        other => {
            let (inputs, skipped) = load_limited(other, limits);
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

/// The file's modification time, when it is a plausible one (years 1900 to
/// 9999). Times outside chrono's range (possible on tmpfs, xfs, btrfs, e.g.
/// after extracting an archive) are ignored, never a panic (fz-18).
fn mtime(path: &Path) -> Option<DateTime<FixedOffset>> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    let utc = system_time_utc(modified)?;
    use chrono::Datelike;
    (1900..=9999)
        .contains(&utc.year())
        .then(|| utc.with_timezone(&wib()))
}

/// A system time as UTC, or None beyond chrono's range.
fn system_time_utc(t: std::time::SystemTime) -> Option<DateTime<Utc>> {
    match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => DateTime::from_timestamp(i64::try_from(d.as_secs()).ok()?, d.subsec_nanos()),
        Err(e) => {
            let d = e.duration();
            let secs = i64::try_from(d.as_secs()).ok()?;
            let (secs, nanos) = match d.subsec_nanos() {
                0 => (secs.checked_neg()?, 0),
                n => (secs.checked_neg()?.checked_sub(1)?, 1_000_000_000 - n),
            };
            DateTime::from_timestamp(secs, nanos)
        }
    }
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
    fn out_of_range_system_times_give_no_time_not_a_panic() {
        use std::time::{Duration, UNIX_EPOCH};
        let far = Duration::from_secs(10_000_000_000_000);
        assert_eq!(system_time_utc(UNIX_EPOCH + far), None);
        assert_eq!(system_time_utc(UNIX_EPOCH - far), None);
        let t = system_time_utc(UNIX_EPOCH - Duration::from_millis(1500)).unwrap();
        assert_eq!(t.to_rfc3339(), "1969-12-31T23:59:58.500+00:00");
        let t = system_time_utc(UNIX_EPOCH + Duration::from_secs(1_787_000_000)).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-08-17T20:53:20+00:00");
    }

    #[test]
    fn a_file_over_the_size_limit_is_refused_unread_with_the_sizes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("besar.xlsx");
        std::fs::write(&p, vec![0u8; 3 * 1024 * 1024]).unwrap();
        let limits = Limits {
            max_file_bytes: 2 * 1024 * 1024,
        };
        let (inputs, skipped) = load_limited(&Found::Spreadsheet(p.clone()), &limits);
        assert!(skipped.is_empty());
        assert!(inputs[0].bytes.is_empty());
        let reason = inputs[0].refused.as_deref().unwrap();
        assert!(
            reason.contains("3,0 MiB melebihi batas 2,0 MiB"),
            "{reason}"
        );
        // Within the limit: read whole.
        let (inputs, _) = load_limited(&Found::Spreadsheet(p), &Limits::default());
        assert_eq!(inputs[0].bytes.len(), 3 * 1024 * 1024);
        assert!(inputs[0].refused.is_none());
    }

    #[cfg(unix)]
    #[test]
    fn fifos_and_links_to_devices_are_skipped_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.xlsx"), b"x").unwrap();
        std::os::unix::fs::symlink("/dev/null", dir.path().join("nol.xlsx")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("hilang"), dir.path().join("rusak.ods"))
            .unwrap();
        let fifo = std::process::Command::new("mkfifo")
            .arg(dir.path().join("pipa.xlsx"))
            .status()
            .is_ok_and(|s| s.success());
        let (found, skipped) = discover(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(found.len(), 1);
        let reason = |name: &str| {
            skipped
                .iter()
                .find(|s| s.path.ends_with(name))
                .map(|s| s.reason.clone())
                .unwrap_or_default()
        };
        assert!(reason("nol.xlsx").contains("perangkat"), "{skipped:?}");
        assert!(
            reason("rusak.ods").starts_with("tautan rusak"),
            "{skipped:?}"
        );
        if fifo {
            assert!(reason("pipa.xlsx").contains("FIFO"), "{skipped:?}");
        }
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
