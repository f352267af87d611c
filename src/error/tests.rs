//! Pins the exact Indonesian messages users see for each error.

use super::*;

#[test]
fn roster_messages() {
    let e = Error::RosterInvalid {
        origin: "opd.csv".into(),
        line: 4,
        problem: "kode 'dinkes' sudah dipakai pada baris 2".into(),
    };
    assert_eq!(
        e.to_string(),
        "Daftar OPD 'opd.csv' baris 4: kode 'dinkes' sudah dipakai pada baris 2."
    );
    let e = Error::RosterMissingColumn {
        origin: "opd.csv".into(),
        column: "nama",
    };
    assert_eq!(
        e.to_string(),
        "Daftar OPD 'opd.csv' tidak memiliki kolom 'nama'. Baris pertama harus berisi judul kolom: kode,nama,email."
    );
}

#[test]
fn unknown_unit_message() {
    let e = Error::UnknownUnit {
        code: "dinkez".into(),
        available: "dinkes, dishub".into(),
    };
    assert_eq!(
        e.to_string(),
        "Kode OPD 'dinkez' tidak ada dalam daftar OPD. Kode yang tersedia: dinkes, dishub."
    );
}

#[test]
fn io_errors_are_described_in_indonesian() {
    let e = Error::RosterUnreadable {
        path: "x.csv".into(),
        reason: describe_io(&io::Error::from(io::ErrorKind::NotFound)),
    };
    assert_eq!(
        e.to_string(),
        "Daftar OPD 'x.csv' tidak dapat dibaca: berkas atau folder tidak ditemukan."
    );
    let e = Error::OutputDir {
        path: "/proc/x".into(),
        reason: describe_io(&io::Error::from(io::ErrorKind::PermissionDenied)),
    };
    assert_eq!(
        e.to_string(),
        "Folder keluaran '/proc/x' tidak dapat dibuat atau ditulisi: akses ditolak (periksa izin berkas atau folder)."
    );
}

#[test]
fn workbook_errors_end_in_one_period() {
    let e = Error::Workbook {
        name: "rekap".into(),
        reason: "Row or column exceeds Excel's allowed limits.".into(),
    };
    assert_eq!(
        e.to_string(),
        "Buku kerja 'rekap' gagal disusun: Row or column exceeds Excel's allowed limits."
    );
}

#[test]
fn output_is_input_message() {
    let e = Error::OutputIsInput {
        path: "masuk/a.xlsx".into(),
    };
    assert_eq!(
        e.to_string(),
        "Berkas keluaran 'masuk/a.xlsx' adalah salah satu berkas masukan; pilih nama lain agar masukan tidak tertimpa."
    );
}

#[test]
fn a_file_excel_holds_open_on_windows_is_locked_and_said_so() {
    for code in [32, 33] {
        let e = io::Error::from_raw_os_error(code);
        assert!(is_locked_on(&e, true), "{code}");
        assert_eq!(
            describe_io_on(&e, true),
            "berkas sedang dibuka atau dikunci program lain"
        );
        // The same numbers mean something else on Linux (EPIPE, EDOM).
        assert!(!is_locked_on(&e, false), "{code}");
    }
    let busy = io::Error::from(io::ErrorKind::ResourceBusy);
    assert!(is_locked_on(&busy, false));
}

#[test]
fn common_io_errors_are_described_in_indonesian() {
    use io::ErrorKind as K;
    for (kind, text) in [
        (K::NotFound, "berkas atau folder tidak ditemukan"),
        (
            K::PermissionDenied,
            "akses ditolak (periksa izin berkas atau folder)",
        ),
        (K::FileTooLarge, "berkas terlalu besar"),
        (K::OutOfMemory, "memori tidak cukup"),
        (
            K::StaleNetworkFileHandle,
            "folder jaringan terputus; sambungkan lagi",
        ),
        (K::WouldBlock, "berkas sedang dipakai program lain"),
    ] {
        assert_eq!(describe_io_on(&io::Error::from(kind), false), text);
    }
    assert_eq!(
        describe_io_on(&io::Error::from_raw_os_error(1920), true),
        "berkas tidak dapat diakses (mungkin belum diunduh dari penyimpanan awan)"
    );
}
