//! The one output step every command writes through (templates, the rekap and
//! its JSON, feedback workbooks, e-mail drafts).
//!
//! Before anything is written, every output is checked: names are distinct,
//! the extension matches the content, no output is an input, and an existing
//! file is replaced only with `--timpa` and only when it is monev's own output
//! of the same kind (a filled report is never replaced), and each output's
//! folder exists and can be written or can be created. Then the missing
//! folders are created, each file is staged as a temporary file in its target
//! folder and, once all are staged, renamed into place; if a rename fails, the
//! files already placed are rolled back and the folders created removed, so an
//! error (exit code 2) means nothing was written.
//!
//! An output's content is either bytes already built or a producer
//! ([`Content::Streamed`]) that writes it straight into its staged file when
//! its turn comes, so large outputs (the rekap, its JSON) are never held in
//! memory and thousands of feedback workbooks are built one at a time. A few
//! runs of consecutive outputs are staged side by side (see
//! [`write_outputs`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result, describe_io, is_locked};
use crate::fsutil::display_path;
use crate::identity::PROP_KIND;

/// What an output is; it decides the extension and what may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    /// A blank template for an OPD (`monev templat`).
    Template,
    /// The consolidated rekap workbook.
    Rekap,
    /// The rekap as JSON.
    Json,
    /// A feedback workbook for one OPD.
    Feedback,
    /// An e-mail draft (.eml).
    Draft,
    /// A filled sample workbook (`monev contoh`).
    Sample,
    /// The roster of the samples (`monev contoh`, CSV).
    Roster,
}

impl OutputKind {
    /// The extension the content needs (for a sample, the first of
    /// [`OutputKind::extensions`]).
    pub fn extension(self) -> &'static str {
        match self {
            OutputKind::Template
            | OutputKind::Rekap
            | OutputKind::Feedback
            | OutputKind::Sample => "xlsx",
            OutputKind::Json => "json",
            OutputKind::Roster => "csv",
            OutputKind::Draft => "eml",
        }
    }

    /// Every extension the content may have: a sample workbook is .xlsx,
    /// .xls or .ods (`contoh::format`), every other output has one.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            OutputKind::Sample => &["xlsx", "xls", "ods"],
            OutputKind::Template | OutputKind::Rekap | OutputKind::Feedback => &["xlsx"],
            OutputKind::Json => &["json"],
            OutputKind::Roster => &["csv"],
            OutputKind::Draft => &["eml"],
        }
    }

    /// Indonesian name, for messages.
    pub fn label(self) -> &'static str {
        match self {
            OutputKind::Template => "templat",
            OutputKind::Rekap => "rekap",
            OutputKind::Json => "JSON rekap",
            OutputKind::Feedback => "umpan balik",
            OutputKind::Draft => "draf surel",
            OutputKind::Sample => "laporan contoh",
            OutputKind::Roster => "daftar OPD contoh",
        }
    }

    /// Whether each file is synced to disk before it is renamed into place.
    /// Sample workbooks are not (thousands of syncs would dominate `monev
    /// contoh`, and a lost sample is simply made again).
    pub fn durable(self) -> bool {
        self != OutputKind::Sample
    }

    /// The value of the `monev_jenis` document property on workbooks of this kind.
    pub fn property(self) -> Option<&'static str> {
        match self {
            OutputKind::Rekap => Some("rekap"),
            OutputKind::Feedback => Some("umpan_balik"),
            _ => None,
        }
    }
}

/// Produces an output's content straight into its staged file: called with
/// the staged temporary file (empty, at its start) and the output's final
/// path (for messages, and the folder for any scratch files). Errors are the
/// crate's; an I/O failure on the file is best reported with [`io_error`].
pub type Produce<'a> = Box<dyn FnOnce(&mut std::fs::File, &Path) -> Result<()> + Send + 'a>;

/// An output's content.
pub enum Content<'a> {
    /// Bytes already built.
    Bytes(Vec<u8>),
    /// Built only when the output is staged, straight into its temporary
    /// file, so a run never holds more than one streamed output at once
    /// (the rekap and its JSON, thousands of feedback workbooks).
    Streamed(Produce<'a>),
}

impl std::fmt::Debug for Content<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Content::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            Content::Streamed(_) => f.write_str("Streamed"),
        }
    }
}

/// One file to write.
#[derive(Debug)]
pub struct Output<'a> {
    pub path: PathBuf,
    pub kind: OutputKind,
    pub content: Content<'a>,
}

impl<'a> Output<'a> {
    /// An output whose bytes are already built.
    pub fn bytes(path: PathBuf, kind: OutputKind, bytes: Vec<u8>) -> Output<'a> {
        Output {
            path,
            kind,
            content: Content::Bytes(bytes),
        }
    }

    /// An output produced by `produce` when it is staged (see [`Produce`]).
    pub fn streamed(
        path: PathBuf,
        kind: OutputKind,
        produce: impl FnOnce(&mut std::fs::File, &Path) -> Result<()> + Send + 'a,
    ) -> Output<'a> {
        Output {
            path,
            kind,
            content: Content::Streamed(Box::new(produce)),
        }
    }

    /// The bytes, when they are already built.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match &self.content {
            Content::Bytes(b) => Some(b),
            Content::Streamed(_) => None,
        }
    }
}

/// The rules an output step follows.
pub struct Policy<'a> {
    /// `--timpa`: replace existing outputs of the same kind.
    pub overwrite: bool,
    /// Files read as inputs (never replaced).
    pub inputs: &'a [PathBuf],
    /// Tells whether an existing workbook is an untouched template (which
    /// `monev templat --timpa` may replace) rather than a filled report.
    pub is_blank_template: &'a dyn Fn(&[u8]) -> bool,
}

/// Checks outputs before any work is done (no bytes needed): distinct names,
/// matching extensions, and the replace rules. The same checks run again in
/// [`write_outputs`].
pub fn check_paths(planned: &[(&Path, OutputKind)], policy: &Policy) -> Result<()> {
    // One key per path (canonical when it exists), so checking thousands of
    // outputs (`monev contoh`) is linear, not quadratic.
    let mut seen = std::collections::HashSet::with_capacity(planned.len());
    // The inputs' keys and the input folders, made once (not once per output).
    let input_keys: std::collections::HashSet<PathBuf> =
        policy.inputs.iter().map(|i| path_key(i)).collect();
    let input_dirs: Vec<PathBuf> = policy
        .inputs
        .iter()
        .filter(|i| i.is_dir())
        .filter_map(|i| std::fs::canonicalize(i).ok())
        .collect();
    let mut folders = std::collections::HashSet::new();
    for (path, kind) in planned {
        // Each folder once: it exists and can be written, or can be created.
        let folder = crate::fsutil::parent_dir(path);
        if folders.insert(folder) {
            crate::fsutil::check_writable_dir(folder)?;
        }
        let key = path_key(path);
        if !seen.insert(key.clone()) {
            return Err(Error::OutputTwice {
                path: path.to_path_buf(),
            });
        }
        let ext = crate::text::extension(path);
        if !kind.extensions().contains(&ext.as_str()) {
            return Err(Error::OutputExtension {
                path: path.to_path_buf(),
                what: kind.label(),
                expected: kind.extension(),
            });
        }
        if input_keys.contains(&key)
            || (inside_an_input_folder(path, &input_dirs)
                && !std::fs::read(path).is_ok_and(|b| is_own_output(&b, *kind, policy)))
        {
            return Err(Error::OutputIsInput {
                path: path.to_path_buf(),
            });
        }
        check_existing(path, *kind, policy)?;
    }
    Ok(())
}

/// True when `path` exists below one of the input folders (`dirs`,
/// canonical): before discovery it may be a report about to be read (monev's
/// own outputs excepted, which discovery lists as skipped).
fn inside_an_input_folder(path: &Path, dirs: &[PathBuf]) -> bool {
    let Ok(file) = std::fs::canonicalize(path) else {
        return false;
    };
    dirs.iter().any(|dir| file.starts_with(dir))
}

/// What two paths naming the same file share: the canonical path when the
/// file exists, else the absolute path.
fn path_key(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| absolute(p))
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// An existing file may be replaced only with `--timpa`, and only when it is
/// monev's own output of the same kind.
fn check_existing(path: &Path, kind: OutputKind, policy: &Policy) -> Result<()> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(());
    };
    if meta.is_dir() {
        return Err(Error::Write {
            path: path.to_path_buf(),
            reason: describe_io(&std::io::Error::from(std::io::ErrorKind::IsADirectory)),
        });
    }
    if !policy.overwrite {
        return Err(Error::OutputExists {
            path: path.to_path_buf(),
        });
    }
    let ours = match std::fs::read(path) {
        Ok(bytes) => is_own_output(&bytes, kind, policy),
        // Held open (Excel on Windows): say so, rather than "not ours".
        Err(e) if is_locked(&e) => return Err(write_error(path, &e)),
        Err(_) => false,
    };
    if ours {
        Ok(())
    } else {
        Err(Error::OutputNotOurs {
            path: path.to_path_buf(),
            what: kind.label(),
        })
    }
}

/// Whether `bytes` are monev's own output of `kind`.
fn is_own_output(bytes: &[u8], kind: OutputKind, policy: &Policy) -> bool {
    match kind {
        OutputKind::Rekap | OutputKind::Feedback => {
            workbook_kind(bytes).as_deref() == kind.property()
        }
        OutputKind::Template => workbook_kind(bytes).is_none() && (policy.is_blank_template)(bytes),
        OutputKind::Json => {
            let head = &bytes[..bytes.len().min(512)];
            String::from_utf8_lossy(head).contains("\"schema\": \"monev-rekap/")
        }
        OutputKind::Sample => is_sample(bytes),
        OutputKind::Roster => is_sample_roster(bytes),
        OutputKind::Draft => {
            let head = &bytes[..bytes.len().min(8192)];
            // monev's drafts are unsent drafts (`X-Unsent: 1`, see `email::draft`).
            String::from_utf8_lossy(head)
                .lines()
                .any(|l| l.trim_end().eq_ignore_ascii_case("X-Unsent: 1"))
        }
    }
}

/// True when `bytes` are a workbook `monev contoh` wrote (its
/// [`crate::identity::PROP_SAMPLE`] property: in `docProps/custom.xml` of an
/// .xlsx, `meta.xml` of an .ods, the user-defined property set of an .xls),
/// which `--timpa` may replace.
fn is_sample(bytes: &[u8]) -> bool {
    const CFB: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    let name = crate::identity::PROP_SAMPLE;
    if bytes.starts_with(&CFB) {
        // The property set's dictionary holds the name as UTF-8 bytes.
        return bytes.len() <= 16 << 20 && bytes.windows(name.len()).any(|w| w == name.as_bytes());
    }
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return false;
    };
    let (part, needle) = if zip.index_for_name("meta.xml").is_some() {
        ("meta.xml", format!("meta:name=\"{name}\""))
    } else {
        ("docProps/custom.xml", format!("name=\"{name}\""))
    };
    let Ok(part) = zip.by_name(part) else {
        return false;
    };
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut std::io::Read::take(part, 1 << 20), &mut xml).is_ok()
        && xml.contains(&needle)
}

/// True when `text` is a roster `monev contoh` wrote (header, then codes
/// `opd-NNNNN`), which `--timpa` may replace.
fn is_sample_roster(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let mut lines = head.lines();
    lines.next() == Some("kode,nama,email") && lines.next().is_some_and(|l| l.starts_with("opd-0"))
}

/// The `monev_jenis` custom property of an .xlsx, if any.
pub fn workbook_kind(bytes: &[u8]) -> Option<String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut std::io::Read::take(zip.by_name("docProps/custom.xml").ok()?, 1 << 20),
        &mut xml,
    )
    .ok()?;
    let at = xml.find(&format!("name=\"{PROP_KIND}\""))?;
    let rest = &xml[at..];
    let start = rest.find("<vt:lpwstr>")? + "<vt:lpwstr>".len();
    let end = rest[start..].find('<')?;
    Some(rest[start..start + end].to_string())
}

/// Writes every output, all or nothing (see the module docs). Every path is
/// checked before any content is produced; streamed contents are produced
/// one at a time, in order, as each is staged, and an error producing one
/// discards everything staged. Errors: [`Error::OutputTwice`],
/// [`Error::OutputExtension`], [`Error::OutputIsInput`],
/// [`Error::OutputExists`], [`Error::OutputNotOurs`], [`Error::OutputLocked`],
/// [`Error::Write`], and whatever a [`Produce`] returns.
pub fn write_outputs(outputs: Vec<Output>, policy: &Policy) -> Result<()> {
    let planned: Vec<(&Path, OutputKind)> =
        outputs.iter().map(|o| (o.path.as_path(), o.kind)).collect();
    check_paths(&planned, policy)?;
    let call = undo::begin();
    create_folders(planned.iter().map(|(p, _)| *p), call)?;
    drop(planned);
    // Staged in a few runs of consecutive outputs side by side (the rekap
    // beside its JSON; feedback workbooks in turns), each run in order, so at
    // most one output per run is being produced at any time.
    let runs = split_runs(outputs, rayon::current_num_threads().max(1) * 2);
    let failed = std::sync::atomic::AtomicBool::new(false);
    let staged: Vec<Result<Vec<(tempfile::NamedTempFile, PathBuf)>>> = {
        use rayon::prelude::*;
        runs.into_par_iter()
            .map(|run| {
                let mut staged = Vec::with_capacity(run.len());
                for o in run {
                    if failed.load(std::sync::atomic::Ordering::Relaxed) {
                        break;
                    }
                    let durable = o.kind.durable();
                    match stage(&o.path, o.content, durable, call) {
                        Ok(tmp) => staged.push((tmp, o.path)),
                        Err(e) => {
                            failed.store(true, std::sync::atomic::Ordering::Relaxed);
                            return Err(e);
                        }
                    }
                }
                Ok(staged)
            })
            .collect()
    };
    let mut all = Vec::new();
    let mut failure = None;
    for run in staged {
        match run {
            Ok(run) => all.extend(run),
            Err(e) => {
                failure.get_or_insert(e);
            }
        }
    }
    if let Some(e) = failure {
        drop(all); // the staged files delete themselves
        undo::abandon(call);
        return Err(e);
    }
    commit(all, call)
}

/// Creates the missing folders the outputs at `paths` go into, outermost
/// first, recording each one under `call`: a failed or interrupted write
/// removes them again ([`undo::abandon`], [`undo::interrupted`]), and only
/// while empty, so a folder that held anything before, or got anything monev
/// did not put there, is never removed. Errors: [`Error::OutputDir`].
fn create_folders<'p>(paths: impl Iterator<Item = &'p Path>, call: u64) -> Result<()> {
    let mut done = std::collections::HashSet::new();
    for path in paths {
        let folder = crate::fsutil::parent_dir(path);
        if !done.insert(folder) || folder.is_dir() {
            continue;
        }
        let missing: Vec<&Path> = folder
            .ancestors()
            .take_while(|a| !a.as_os_str().is_empty() && !a.is_dir())
            .collect();
        for dir in missing.into_iter().rev() {
            let made = undo::record(call, || {
                let r = std::fs::create_dir(dir);
                let step = r.is_ok().then(|| undo::Step::RemoveDir(dir.to_path_buf()));
                (r, step)
            });
            match made {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => {}
                Err(e) => {
                    undo::abandon(call);
                    return Err(Error::OutputDir {
                        path: folder.to_path_buf(),
                        reason: describe_io(&e),
                    });
                }
            }
        }
    }
    Ok(())
}

/// Splits `outputs` into about `most` runs of consecutive outputs, in order.
/// A draft stays in the run of the feedback workbook just before it (the
/// reply it attaches, handed over when the run stages them in turn).
fn split_runs(outputs: Vec<Output>, most: usize) -> Vec<Vec<Output>> {
    let size = outputs.len().div_ceil(most.max(1)).max(1);
    let mut runs: Vec<Vec<Output>> = Vec::new();
    for o in outputs {
        match runs.last_mut() {
            Some(run)
                if run.len() < size
                    || (o.kind == OutputKind::Draft
                        && run.last().is_some_and(|p| p.kind == OutputKind::Feedback)) =>
            {
                run.push(o);
            }
            _ => runs.push(vec![o]),
        }
    }
    runs
}

/// What an interrupted write must undo, so Ctrl-C leaves neither a staged
/// `.monev-*.tmp` file nor a partly replaced set of outputs behind.
///
/// Every [`write_outputs`] call records, while it runs, the folders it
/// created, the staged temporary files, the outputs already renamed into
/// place and the earlier outputs set aside. The binary's signal handler
/// calls [`interrupted`], which undoes every recorded step in reverse order
/// (so a created folder is emptied before it is removed) and keeps the record
/// locked, so no further file is staged before the process exits.
pub mod undo {
    use std::path::PathBuf;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicU64, Ordering};

    /// One step to undo.
    #[derive(Debug)]
    pub(super) enum Step {
        /// Remove a staged or placed file.
        Remove(PathBuf),
        /// Move an earlier output set aside back to its place.
        Restore { from: PathBuf, to: PathBuf },
        /// Remove a folder created for the outputs, if it is empty.
        RemoveDir(PathBuf),
    }

    static STEPS: Mutex<Vec<(u64, Step)>> = Mutex::new(Vec::new());
    static CALLS: AtomicU64 = AtomicU64::new(0);

    fn steps() -> std::sync::MutexGuard<'static, Vec<(u64, Step)>> {
        STEPS.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn begin() -> u64 {
        CALLS.fetch_add(1, Ordering::Relaxed)
    }

    /// Runs `act` and records the step it returns, under the record's lock,
    /// so an interrupt sees either neither or both (a file created but not
    /// yet recorded would be left behind).
    pub(super) fn record<R>(call: u64, act: impl FnOnce() -> (R, Option<Step>)) -> R {
        let mut guard = steps();
        let (result, step) = act();
        if let Some(step) = step {
            guard.push((call, step));
        }
        result
    }

    /// Forgets a finished call's steps (before its set-aside files are deleted).
    pub(super) fn end(call: u64) {
        steps().retain(|(c, _)| *c != call);
    }

    /// Ends a failed call whose files are already cleaned up (staged files
    /// dropped, placed ones removed, earlier ones restored): removes the
    /// folders it created, innermost first and only while empty, and forgets
    /// its steps.
    pub(super) fn abandon(call: u64) {
        let mut guard = steps();
        let mut dirs = Vec::new();
        guard.retain_mut(|(c, step)| {
            if *c != call {
                return true;
            }
            if let Step::RemoveDir(p) = step {
                dirs.push(std::mem::take(p));
            }
            false
        });
        for dir in dirs.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }

    /// Undoes every write in progress (for a Ctrl-C handler) and blocks
    /// further writes; returns the number of steps undone. The caller exits
    /// right after.
    pub fn interrupted() -> usize {
        let mut guard = steps();
        let n = guard.len();
        for (_, step) in guard.drain(..).rev() {
            match step {
                Step::Remove(p) => {
                    let _ = std::fs::remove_file(p);
                }
                Step::Restore { from, to } => {
                    let _ = std::fs::rename(from, to);
                }
                // Emptied by the steps undone before it (recorded after it);
                // never removed while it holds anything else.
                Step::RemoveDir(p) => {
                    let _ = std::fs::remove_dir(p);
                }
            }
        }
        // Keep the lock: no write may start between now and the exit.
        std::mem::forget(guard);
        n
    }
}

/// Writes `content` to a temporary file beside `path`, synced when `sync`.
fn stage(path: &Path, content: Content, sync: bool, call: u64) -> Result<tempfile::NamedTempFile> {
    let fail = |e: std::io::Error| write_error(path, &e);
    let dir = crate::fsutil::parent_dir(path);
    let mut tmp = undo::record(call, || {
        let tmp = tempfile::Builder::new()
            .prefix(".monev-")
            .suffix(".tmp")
            .tempfile_in(dir);
        let step = tmp
            .as_ref()
            .ok()
            .map(|t| undo::Step::Remove(t.path().to_path_buf()));
        (tmp, step)
    })
    .map_err(fail)?;
    match content {
        Content::Bytes(bytes) => tmp.write_all(&bytes).map_err(fail)?,
        Content::Streamed(produce) => produce(tmp.as_file_mut(), path)?,
    }
    // Temporary files are private (0600); outputs are ordinary documents that
    // colleagues open from shared folders.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(fail)?;
    }
    if sync {
        tmp.as_file().sync_all().map_err(fail)?;
    }
    Ok(tmp)
}

/// Renames the staged files into place. An existing target is first moved
/// aside; on any failure every placed file is removed and every moved-aside
/// file restored.
fn commit<P: AsRef<Path>>(staged: Vec<(tempfile::NamedTempFile, P)>, call: u64) -> Result<()> {
    let mut placed: Vec<(P, Option<tempfile::TempPath>)> = Vec::new();
    let mut failure = None;
    for (tmp, target) in staged {
        let path = target.as_ref();
        let backup = if path.exists() {
            let aside = undo::record(call, || {
                let b = set_aside(path);
                let step = b.as_ref().ok().map(|b| undo::Step::Restore {
                    from: b.to_path_buf(),
                    to: path.to_path_buf(),
                });
                (b, step)
            });
            match aside {
                Ok(b) => Some(b),
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        } else {
            None
        };
        let persisted = undo::record(call, || {
            let r = tmp.persist(path);
            let step = r
                .as_ref()
                .ok()
                .map(|_| undo::Step::Remove(path.to_path_buf()));
            (r, step)
        });
        match persisted {
            Ok(_) => placed.push((target, backup)),
            Err(e) => {
                if let Some(b) = backup {
                    let _ = std::fs::rename(&b, path);
                    let _ = b.keep();
                }
                failure = Some(write_error(path, &e.error));
                break;
            }
        }
    }
    match failure {
        None => {
            // Forget the undo steps before the set-aside files are deleted
            // (as `placed` drops).
            undo::end(call);
            Ok(())
        }
        Some(e) => {
            for (target, backup) in placed.into_iter().rev() {
                let path = target.as_ref();
                let _ = std::fs::remove_file(path);
                if let Some(b) = backup {
                    let _ = std::fs::rename(&b, path);
                    let _ = b.keep();
                }
            }
            undo::abandon(call);
            Err(e)
        }
    }
}

/// Moves an existing output to a temporary name in its folder; the returned
/// path deletes it when dropped (after a successful commit).
fn set_aside(path: &Path) -> Result<tempfile::TempPath> {
    let dir = crate::fsutil::parent_dir(path);
    let holder = tempfile::Builder::new()
        .prefix(".monev-lama-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| write_error(path, &e))?
        .into_temp_path();
    std::fs::rename(path, &holder).map_err(|e| write_error(path, &e))?;
    Ok(holder)
}

/// The error for a failed write of the output at `path`; a file held open by
/// another program (Excel on Windows) is told so, with the fix
/// ([`Error::OutputLocked`], else [`Error::Write`]). For [`Produce`]rs.
pub fn io_error(path: &Path, e: &std::io::Error) -> Error {
    write_error(path, e)
}

/// The error for a failed write; a file held open by another program (Excel
/// on Windows) is told so, with the fix.
fn write_error(path: &Path, e: &std::io::Error) -> Error {
    if is_locked(e) {
        Error::OutputLocked {
            path: PathBuf::from(display_path(path)),
        }
    } else {
        Error::Write {
            path: path.to_path_buf(),
            reason: describe_io(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy<'a>(overwrite: bool, inputs: &'a [PathBuf]) -> Policy<'a> {
        Policy {
            overwrite,
            inputs,
            is_blank_template: &|_| false,
        }
    }

    fn out(path: &Path, kind: OutputKind, bytes: &[u8]) -> Output<'static> {
        Output::bytes(path.to_path_buf(), kind, bytes.to_vec())
    }

    #[test]
    fn existing_files_need_timpa_and_must_be_ours() {
        let dir = tempfile::tempdir().unwrap();
        let json = dir.path().join("r.json");
        std::fs::write(&json, "{\n  \"schema\": \"monev-rekap/2\"\n}").unwrap();
        let new = br#"{"schema": "x"}"#;
        let e = write_outputs(vec![out(&json, OutputKind::Json, new)], &policy(false, &[]));
        assert!(matches!(e, Err(Error::OutputExists { .. })), "{e:?}");
        write_outputs(vec![out(&json, OutputKind::Json, new)], &policy(true, &[])).unwrap();
        assert_eq!(std::fs::read(&json).unwrap(), new);
        // Now it is no longer recognisably ours: refused even with --timpa.
        let e = write_outputs(
            vec![out(&json, OutputKind::Json, b"{}")],
            &policy(true, &[]),
        );
        assert!(matches!(e, Err(Error::OutputNotOurs { .. })), "{e:?}");
        assert_eq!(std::fs::read(&json).unwrap(), new);
    }

    #[test]
    fn the_extension_must_match_the_content() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("rekap.csv");
        let e = write_outputs(
            vec![out(&csv, OutputKind::Rekap, b"PK")],
            &policy(false, &[]),
        );
        assert!(matches!(e, Err(Error::OutputExtension { .. })), "{e:?}");
        assert!(!csv.exists());
    }

    #[test]
    fn all_or_nothing_when_one_target_fails_late() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.json");
        let old = dir.path().join("b.json");
        std::fs::write(&old, "{\"schema\": \"monev-rekap/2\"}").unwrap();
        // The third target is a folder's name: staging succeeds, the rename fails.
        let blocker = dir.path().join("c.json");
        let outputs = [
            out(&a, OutputKind::Json, b"1"),
            out(&old, OutputKind::Json, b"2"),
            out(&blocker, OutputKind::Json, b"3"),
        ];
        let p = policy(true, &[]);
        check_paths(
            &outputs
                .iter()
                .map(|o| (o.path.as_path(), o.kind))
                .collect::<Vec<_>>(),
            &p,
        )
        .unwrap();
        std::fs::create_dir(&blocker).unwrap();
        std::fs::write(blocker.join("isi"), "x").unwrap();
        let staged: Vec<_> = outputs
            .iter()
            .map(|o| {
                let bytes = o.as_bytes().unwrap().to_vec();
                (
                    stage(&o.path, Content::Bytes(bytes), true, 0).unwrap(),
                    o.path.as_path(),
                )
            })
            .collect();
        assert!(commit(staged, undo::begin()).is_err());
        assert!(!a.exists(), "a placed file must be rolled back");
        assert_eq!(
            std::fs::read_to_string(&old).unwrap(),
            "{\"schema\": \"monev-rekap/2\"}",
            "a replaced file must be restored"
        );
        let stray: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(".monev-"))
            .collect();
        assert!(stray.is_empty(), "no temporary files left: {stray:?}");
    }

    #[test]
    fn an_input_is_never_an_output() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("lap.xlsx");
        std::fs::write(&input, b"x").unwrap();
        let e = write_outputs(
            vec![out(&input, OutputKind::Rekap, b"y")],
            &policy(true, std::slice::from_ref(&input)),
        );
        assert!(matches!(e, Err(Error::OutputIsInput { .. })), "{e:?}");
        assert_eq!(std::fs::read(&input).unwrap(), b"x");
    }

    #[test]
    fn streamed_content_is_produced_only_after_every_check_passes() {
        let dir = tempfile::tempdir().unwrap();
        let taken = dir.path().join("r.json");
        std::fs::write(&taken, "{}").unwrap();
        let called = std::sync::atomic::AtomicBool::new(false);
        let produce = |_: &mut std::fs::File, _: &Path| {
            called.store(true, std::sync::atomic::Ordering::SeqCst);
            Ok(())
        };
        let e = write_outputs(
            vec![
                Output::streamed(dir.path().join("a.xlsx"), OutputKind::Rekap, produce),
                out(&taken, OutputKind::Json, b"{}"),
            ],
            &policy(false, &[]),
        );
        assert!(matches!(e, Err(Error::OutputExists { .. })), "{e:?}");
        assert!(!called.load(std::sync::atomic::Ordering::SeqCst));
        assert!(!dir.path().join("a.xlsx").exists());
    }

    #[test]
    fn streamed_content_lands_in_its_file_and_a_failing_producer_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.json");
        let b = dir.path().join("b.json");
        write_outputs(
            vec![Output::streamed(a.clone(), OutputKind::Json, |f, _| {
                std::io::Write::write_all(f, b"{\"schema\": \"monev-rekap/2\"}")
                    .map_err(|e| io_error(&a, &e))
            })],
            &policy(false, &[]),
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(&a).unwrap(),
            "{\"schema\": \"monev-rekap/2\"}"
        );
        // The second output fails while it is produced: the first, already
        // staged, is not placed, and the earlier file is left as it was.
        let e = write_outputs(
            vec![
                out(&b, OutputKind::Json, b"1"),
                Output::streamed(a.clone(), OutputKind::Json, |f, path| {
                    std::io::Write::write_all(f, b"half").unwrap();
                    Err(Error::Write {
                        path: path.to_path_buf(),
                        reason: "disk penuh".into(),
                    })
                }),
            ],
            &policy(true, &[]),
        );
        assert!(matches!(e, Err(Error::Write { .. })), "{e:?}");
        assert!(!b.exists());
        assert_eq!(
            std::fs::read_to_string(&a).unwrap(),
            "{\"schema\": \"monev-rekap/2\"}"
        );
        let stray: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(".monev-"))
            .collect();
        assert!(stray.is_empty(), "no temporary files left: {stray:?}");
    }

    #[test]
    fn missing_output_folders_are_created_with_the_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("baru").join("sub").join("a.json");
        let b = dir.path().join("baru").join("b.json");
        write_outputs(
            vec![
                out(&a, OutputKind::Json, b"1"),
                out(&b, OutputKind::Json, b"2"),
            ],
            &policy(false, &[]),
        )
        .unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"1");
        assert_eq!(std::fs::read(&b).unwrap(), b"2");
    }

    #[test]
    fn a_folder_below_a_file_is_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("berkas"), "x").unwrap();
        let called = std::sync::atomic::AtomicBool::new(false);
        let e = write_outputs(
            vec![
                Output::streamed(
                    dir.path().join("baru").join("r.xlsx"),
                    OutputKind::Rekap,
                    |_, _| {
                        called.store(true, std::sync::atomic::Ordering::SeqCst);
                        Ok(())
                    },
                ),
                out(
                    &dir.path().join("berkas").join("r.json"),
                    OutputKind::Json,
                    b"{}",
                ),
            ],
            &policy(false, &[]),
        )
        .unwrap_err();
        assert!(matches!(e, Error::OutputDir { .. }), "{e:?}");
        assert!(e.to_string().contains("bukan folder"), "{e}");
        assert!(!called.load(std::sync::atomic::Ordering::SeqCst));
        assert!(!dir.path().join("baru").exists(), "no folder was created");
    }

    /// Names in `dir`, sorted.
    fn listing(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_failed_producer_removes_the_folders_created_for_the_write_but_no_other() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("lama");
        std::fs::create_dir(&old).unwrap();
        std::fs::write(old.join("punya-opd.txt"), "x").unwrap();
        let empty_before = dir.path().join("kosong");
        std::fs::create_dir(&empty_before).unwrap();
        let e = write_outputs(
            vec![
                out(&dir.path().join("baru/sub/a.json"), OutputKind::Json, b"1"),
                out(&old.join("b.json"), OutputKind::Json, b"2"),
                out(&empty_before.join("c.json"), OutputKind::Json, b"3"),
                Output::streamed(
                    dir.path().join("baru2/d.json"),
                    OutputKind::Json,
                    |_, path| {
                        Err(Error::Write {
                            path: path.to_path_buf(),
                            reason: "disk penuh".into(),
                        })
                    },
                ),
            ],
            &policy(false, &[]),
        );
        assert!(matches!(e, Err(Error::Write { .. })), "{e:?}");
        assert_eq!(
            listing(dir.path()),
            ["kosong", "lama"],
            "created folders removed"
        );
        assert_eq!(listing(&old), ["punya-opd.txt"]);
        assert!(
            listing(&empty_before).is_empty(),
            "a folder that existed stays"
        );
    }

    #[test]
    fn a_created_folder_that_got_someone_elses_file_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("baru");
        let e = write_outputs(
            vec![Output::streamed(
                folder.join("a.json"),
                OutputKind::Json,
                |_, path| {
                    // Someone saves a file into the new folder meanwhile.
                    std::fs::write(path.with_file_name("catatan.txt"), "x").unwrap();
                    Err(Error::Write {
                        path: path.to_path_buf(),
                        reason: "disk penuh".into(),
                    })
                },
            )],
            &policy(false, &[]),
        );
        assert!(e.is_err());
        assert_eq!(listing(&folder), ["catatan.txt"]);
    }

    #[test]
    fn a_failed_rename_removes_the_placed_outputs_and_the_folders_created() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("lama");
        std::fs::create_dir(&old).unwrap();
        let blocker = old.join("c.json");
        let e = write_outputs(
            vec![
                out(&dir.path().join("baru/a.json"), OutputKind::Json, b"1"),
                // While staged, the last target becomes a folder with a file
                // in it: the rename onto it fails after the others are placed.
                Output::streamed(old.join("b.json"), OutputKind::Json, |f, path| {
                    std::fs::create_dir(&blocker).unwrap();
                    std::fs::write(blocker.join("isi"), "x").unwrap();
                    std::io::Write::write_all(f, b"2").map_err(|e| io_error(path, &e))
                }),
                out(&blocker, OutputKind::Json, b"3"),
            ],
            &policy(false, &[]),
        );
        assert!(e.is_err(), "{e:?}");
        assert_eq!(
            listing(dir.path()),
            ["lama"],
            "the created folder is removed"
        );
        assert_eq!(listing(&old), ["c.json"], "placed outputs removed");
    }

    #[test]
    fn runs_keep_order_split_evenly_and_keep_each_draft_with_its_feedback() {
        let outs: Vec<Output> = (0..7)
            .map(|i| out(Path::new(&format!("{i}.json")), OutputKind::Json, b""))
            .collect();
        let runs = split_runs(outs, 3);
        let names: Vec<Vec<String>> = runs
            .iter()
            .map(|r| r.iter().map(|o| o.path.display().to_string()).collect())
            .collect();
        assert_eq!(
            names,
            [
                vec!["0.json", "1.json", "2.json"],
                vec!["3.json", "4.json", "5.json"],
                vec!["6.json"]
            ]
        );
        assert_eq!(split_runs(Vec::new(), 4).len(), 0);
        // A reply draft is never parted from the feedback it attaches.
        let outs = vec![
            out(Path::new("a.xlsx"), OutputKind::Feedback, b""),
            out(Path::new("a.eml"), OutputKind::Draft, b""),
            out(Path::new("b.xlsx"), OutputKind::Feedback, b""),
            out(Path::new("b.eml"), OutputKind::Draft, b""),
        ];
        let runs = split_runs(outs, 4);
        assert!(runs.iter().all(|r| {
            r[0].kind == OutputKind::Feedback
                && r.windows(2)
                    .all(|w| w[1].kind != OutputKind::Draft || w[0].kind == OutputKind::Feedback)
        }));
        assert_eq!(runs.len(), 2);
    }
}
