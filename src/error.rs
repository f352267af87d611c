//! The errors that stop a command: I/O failures, bad rosters, bad form definitions
//! and bad arguments. Problems *inside* a returned workbook are not errors; they
//! are [`crate::finding::Finding`]s. Every message is a full Indonesian sentence,
//! because it is shown as-is to the city-team operator; `error/tests.rs` pins them.

use std::io;
use std::path::PathBuf;

use thiserror::Error;

/// Everything that makes a `monev` command fail (exit code 2).
#[derive(Debug, Error)]
pub enum Error {
    /// A roster file could not be opened or decoded.
    #[error("Daftar OPD '{}' tidak dapat dibaca: {}.", path.display(), reason)]
    RosterUnreadable { path: PathBuf, reason: String },

    /// A roster file lacks a required column.
    #[error(
        "Daftar OPD '{origin}' tidak memiliki kolom '{column}'. Baris pertama harus berisi judul kolom: kode,nama,email."
    )]
    RosterMissingColumn {
        origin: String,
        column: &'static str,
    },

    /// A roster row is invalid.
    #[error("Daftar OPD '{origin}' baris {line}: {problem}.")]
    RosterInvalid {
        origin: String,
        line: usize,
        problem: String,
    },

    /// A roster holds no unit at all.
    #[error("Daftar OPD '{origin}' tidak berisi satu pun Perangkat Daerah.")]
    RosterEmpty { origin: String },

    /// A form definition (formulir.toml) could not be read.
    #[error("Berkas formulir '{}' tidak dapat dibaca: {}.", path.display(), reason)]
    FormUnreadable { path: PathBuf, reason: String },

    /// A form definition is not valid TOML or breaks a rule.
    #[error("Berkas formulir '{origin}' tidak sah: {problem}.")]
    FormInvalid { origin: String, problem: String },

    /// A rubric file could not be read.
    #[error("Berkas rubrik '{}' tidak dapat dibaca: {}.", path.display(), reason)]
    RubricUnreadable { path: PathBuf, reason: String },

    /// A rubric definition (rubrik.toml) could not be used.
    #[error("Berkas rubrik '{origin}' tidak sah: {problem}.")]
    RubricInvalid { origin: String, problem: String },

    /// `--hanya` names a code that is not in the roster.
    #[error("Kode OPD '{code}' tidak ada dalam daftar OPD. Kode yang tersedia: {available}.")]
    UnknownUnit { code: String, available: String },

    /// The output folder can't be created or written.
    #[error("Folder keluaran '{}' tidak dapat dibuat atau ditulisi: {}.", path.display(), reason)]
    OutputDir { path: PathBuf, reason: String },

    /// An output file can't be written.
    #[error("Berkas keluaran '{}' tidak dapat ditulis: {}.", path.display(), reason)]
    Write { path: PathBuf, reason: String },

    /// rust_xlsxwriter refused to build a workbook.
    #[error("Buku kerja '{name}' gagal disusun: {}.", reason.trim_end_matches('.'))]
    Workbook { name: String, reason: String },

    /// The JSON output could not be produced.
    #[error("Keluaran JSON gagal disusun: {}.", reason.trim_end_matches('.'))]
    Json { reason: String },

    /// An output path is also one of the inputs.
    #[error(
        "Berkas keluaran '{}' adalah salah satu berkas masukan; pilih nama lain agar masukan tidak tertimpa.",
        path.display()
    )]
    OutputIsInput { path: PathBuf },

    /// The same output path is given twice.
    #[error("Berkas keluaran '{}' disebut dua kali; setiap keluaran perlu nama sendiri.", path.display())]
    OutputTwice { path: PathBuf },

    /// An output's extension does not match what it holds.
    #[error(
        "Berkas keluaran '{}' akan berisi {what}, jadi namanya harus berakhiran .{expected}.",
        path.display()
    )]
    OutputExtension {
        path: PathBuf,
        what: &'static str,
        expected: &'static str,
    },

    /// An output exists and `--timpa` was not given.
    #[error(
        "Berkas '{}' sudah ada dan tidak ditimpa. Pilih nama atau folder lain, atau tambahkan --timpa untuk mengganti keluaran monev sebelumnya.",
        path.display()
    )]
    OutputExists { path: PathBuf },

    /// An output exists and is not monev's own output of the same kind.
    #[error(
        "Berkas '{}' sudah ada dan bukan {what} buatan monev (mungkin laporan yang sudah diisi), sehingga tidak akan ditimpa, juga dengan --timpa. Pilih nama atau folder lain.",
        path.display()
    )]
    OutputNotOurs { path: PathBuf, what: &'static str },

    /// An output is held open by another program (Windows sharing violation).
    #[error(
        "Berkas keluaran '{}' sedang dibuka program lain (misalnya Excel). Tutup berkas itu, lalu jalankan perintah ini lagi.",
        path.display()
    )]
    OutputLocked { path: PathBuf },

    /// An input path does not exist.
    #[error("Masukan '{}' tidak ditemukan.", path.display())]
    InputMissing { path: PathBuf },

    /// An input folder can't be listed.
    #[error("Masukan '{}' tidak dapat dibaca: {}.", path.display(), reason)]
    InputUnreadable { path: PathBuf, reason: String },

    /// No input was given at all.
    #[error("Tidak ada berkas masukan; sebutkan berkas atau folder berisi laporan OPD.")]
    NoInput,

    /// An e-mail body template (`--templat-surel`) could not be read.
    #[error("Templat isi surel '{}' tidak dapat dibaca: {}.", path.display(), reason)]
    EmailTemplateUnreadable { path: PathBuf, reason: String },

    /// A year outside the range the tool supports.
    #[error("Tahun {year} tidak sah; gunakan tahun antara 2023 dan 2100.")]
    BadYear { year: i32 },

    /// `monev contoh --jumlah` outside 1..=max.
    #[error("Jumlah {count} tidak sah; gunakan 1 sampai {max}.")]
    BadCount { count: usize, max: usize },
}

/// Convenience alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Describes an I/O error in Indonesian, for messages shown to users.
pub fn describe_io(err: &io::Error) -> String {
    describe_io_on(err, cfg!(windows))
}

/// Windows: ERROR_SHARING_VIOLATION (32) and ERROR_LOCK_VIOLATION (33), what
/// opening a workbook that Excel holds open gives.
const WINDOWS_LOCKED: [i32; 2] = [32, 33];

/// True when the file is held by another program (on Windows, a workbook open
/// in Excel; elsewhere a busy resource). Worth retrying, then telling the
/// operator to close the file.
pub fn is_locked(err: &io::Error) -> bool {
    is_locked_on(err, cfg!(windows))
}

fn is_locked_on(err: &io::Error, windows: bool) -> bool {
    (windows
        && err
            .raw_os_error()
            .is_some_and(|c| WINDOWS_LOCKED.contains(&c)))
        || err.kind() == io::ErrorKind::ResourceBusy
}

/// [`describe_io`] as on Windows (`windows`) or elsewhere: raw error codes
/// differ between systems (32 is a sharing violation on Windows, a broken
/// pipe on Linux).
fn describe_io_on(err: &io::Error, windows: bool) -> String {
    use io::ErrorKind as K;
    if is_locked_on(err, windows) {
        return "berkas sedang dibuka atau dikunci program lain".to_string();
    }
    if windows && err.raw_os_error() == Some(1920) {
        // ERROR_CANT_ACCESS_FILE: e.g. a OneDrive file not downloaded.
        return "berkas tidak dapat diakses (mungkin belum diunduh dari penyimpanan awan)"
            .to_string();
    }
    match err.kind() {
        K::NotFound => "berkas atau folder tidak ditemukan".to_string(),
        K::PermissionDenied => "akses ditolak (periksa izin berkas atau folder)".to_string(),
        K::AlreadyExists => "sudah ada".to_string(),
        K::IsADirectory => "yang ditunjuk adalah folder, bukan berkas".to_string(),
        K::NotADirectory => "salah satu bagian jalurnya bukan folder".to_string(),
        K::ReadOnlyFilesystem => "sistem berkas hanya-baca".to_string(),
        K::StorageFull => "ruang penyimpanan penuh".to_string(),
        K::InvalidData => "isi berkas rusak atau bukan teks yang dapat dibaca".to_string(),
        K::FileTooLarge => "berkas terlalu besar".to_string(),
        K::OutOfMemory => "memori tidak cukup".to_string(),
        K::TimedOut => "waktu habis saat membaca".to_string(),
        K::Interrupted => "pembacaan terputus".to_string(),
        K::WouldBlock => "berkas sedang dipakai program lain".to_string(),
        K::InvalidFilename => "nama berkas atau folder tidak sah".to_string(),
        K::NotSeekable => "bukan berkas biasa".to_string(),
        K::StaleNetworkFileHandle => "folder jaringan terputus; sambungkan lagi".to_string(),
        K::NetworkDown | K::NetworkUnreachable | K::HostUnreachable | K::ConnectionReset => {
            "jaringan ke folder bersama terputus".to_string()
        }
        K::TooManyLinks => "terlalu banyak tautan".to_string(),
        K::Unsupported => "tidak didukung sistem".to_string(),
        K::InvalidInput => format!("tidak dapat dibaca ({err})"),
        _ => format!("galat sistem ({err})"),
    }
}

#[cfg(test)]
#[path = "error/tests.rs"]
mod tests;
