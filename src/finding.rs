//! Findings are data: what a check noticed, where, and how bad it is. Checks
//! return them and keep going; [`crate::report`] is the one place that renders
//! them (terminal, workbook, JSON). Codes are stable: scripts and the city team's
//! notes refer to them, so a code is never renamed once released.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    /// The Indonesian word shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "Galat",
            Severity::Warning => "Peringatan",
            Severity::Info => "Info",
        }
    }
}

/// Every finding code monev produces. Each has one [`CodeInfo`] record (see
/// [`Code::info`]) holding its severity, label and explanations; the README's
/// table of codes and the rekap's explanations come from that record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    FileUnreadable,
    FileNotTemplate,
    FileUnknownUnit,
    FileWrongYear,
    FileColumnMissing,
    FileDuplicateTable,
    FileEmpty,
    FileLate,
    FileSuperseded,
    /// A sheet monev does not need could not be read (the file is still read).
    FileSheetUnread,
    /// Only the sender's address identified the OPD.
    FileIdentifiedBySender,
    ActivityNone,
    IndicatorNoActivity,
    ActivityMissingField,
    ActivityProblemWithoutSolution,
    ActivityOutsideIndicator,
    LinkNotUrl,
    LinkLocalPath,
    LinkUnsafeScheme,
    LinkDriveWithoutId,
    LinkDriveTruncated,
    LinkNotDrive,
    LinkInsecure,
    LinkNoScheme,
    LinkSharedWithOtherUnit,
    DateUnrecognised,
    DateOutsideYear,
    DateTwibbonNot17,
    EvidenceStatusMissing,
    EvidenceStatusInvalid,
    EvidenceStatusCheckmark,
    EvidenceLinkMissing,
    EvidenceLinkWithoutAda,
    EvidenceRowMissing,
    EvidenceExtraRow,
}

/// Who a finding is for: the OPD (shown in its feedback) or only the
/// city-team operator (kept in the operator's sheets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Opd,
    Operator,
}

/// The one record of a finding code.
#[derive(Debug, Clone, Copy)]
pub struct CodeInfo {
    pub code: Code,
    /// The stable code string, e.g. `link.local_path`.
    pub name: &'static str,
    pub severity: Severity,
    pub audience: Audience,
    /// A short Indonesian label, as in the README's table.
    pub label: &'static str,
    /// One sentence for the OPD: what to do.
    pub for_opd: &'static str,
    /// One sentence for the operator: what it means for the rekap.
    pub for_operator: &'static str,
}

macro_rules! codes {
    ($( $code:ident, $name:literal, $sev:ident, $aud:ident, $label:literal, $opd:literal, $op:literal; )*) => {
        /// Every code's record, in the order the README lists them.
        pub const CODES: &[CodeInfo] = &[
            $( CodeInfo {
                code: Code::$code,
                name: $name,
                severity: Severity::$sev,
                audience: Audience::$aud,
                label: $label,
                for_opd: $opd,
                for_operator: $op,
            }, )*
        ];
    };
}

codes! {
    FileUnreadable, "file.unreadable", Error, Opd,
        "bukan lembar kerja, rusak, dilindungi kata sandi, atau sedang dibuka program lain (berkas ditolak)",
        "Buka berkas aslinya di Excel atau LibreOffice (bila tidak dapat dibuka, ambil lagi berkas asli yang utuh), simpan ulang sebagai .xlsx tanpa kata sandi, lalu kirim kembali.",
        "Berkas ditolak; OPD-nya berstatus Ditolak bila dikenali.";
    FileNotTemplate, "file.not_template", Error, Opd,
        "Tabel 1 dan Tabel 2 tidak ditemukan (ditolak)",
        "Gunakan templat yang dikirim Tim Percepatan dan jangan menghapus judul kolomnya.",
        "Berkas ditolak; bukan templat laporan.";
    FileUnknownUnit, "file.unknown_unit", Error, Operator,
        "tidak cocok dengan OPD mana pun dalam daftar (ditolak)",
        "Gunakan templat yang dibuat untuk Perangkat Daerah Anda.",
        "Berkas ditolak; periksa daftar OPD atau nama berkas.";
    FileWrongYear, "file.wrong_year", Error, Opd,
        "tahun templat berbeda dengan tahun rekap (tetap dibaca)",
        "Pindahkan isian ke templat tahun berjalan; umpan balik ini sudah memakai templat tahun berjalan.",
        "Berkas tetap dibaca dan dinilai; tanggal dinilai menurut tahun templatnya.";
    FileColumnMissing, "file.column_missing", Error, Opd,
        "judul kolom formulir tidak ditemukan",
        "Kembalikan judul kolom seperti pada templat.",
        "Isian kolom itu tidak dapat diperiksa.";
    FileDuplicateTable, "file.duplicate_table", Warning, Opd,
        "lembar salinan yang juga berisi tabel formulir tidak dibaca",
        "Pindahkan isian lembar salinan ke lembar aslinya, lalu hapus lembar salinan.",
        "Isian lembar salinan tidak dinilai.";
    FileEmpty, "file.empty", Warning, Opd,
        "templat kembali tanpa isian (tidak menggantikan laporan lain)",
        "Isi Tabel 1 dan Tabel 2 pada templat, lalu kirim kembali.",
        "Tidak dinilai; OPD berstatus Belum Mengirim (templat kosong) bila tidak ada laporan lain.";
    FileLate, "file.late", Warning, Operator,
        "dikirim (atau terakhir disimpan) setelah 31 Agustus tahun pelaporan",
        "Kirim laporan selambat-lambatnya bulan Agustus.",
        "Tetap dinilai; ditandai Terlambat.";
    FileSuperseded, "file.superseded", Info, Operator,
        "digantikan berkas yang lebih baru dari OPD yang sama",
        "Tidak ada yang perlu dilakukan.",
        "Hanya berkas terbaru setiap OPD yang dinilai.";
    FileSheetUnread, "file.sheet_unread", Info, Operator,
        "lembar yang tidak dipakai formulir tidak dapat dibaca (berkas tetap dibaca)",
        "Tidak ada yang perlu dilakukan.",
        "Berkas tetap dibaca dan dinilai; lembar itu (grafik, makro, catatan) dilewati.";
    FileIdentifiedBySender, "file.identified_by_sender", Info, Operator,
        "OPD dikenali hanya dari alamat pengirim surel yang ada di daftar OPD",
        "Tidak ada yang perlu dilakukan.",
        "Pastikan lampiran itu memang laporan OPD pengirimnya.";
    ActivityNone, "activity.none", Error, Opd,
        "Tabel 1 tidak memuat satu pun kegiatan sah",
        "Isi Tabel 1 dengan kegiatan di bawah baris indikatornya, lengkap dengan tautan data dukung.",
        "Laporan tidak pernah berstatus Lengkap tanpa kegiatan.";
    IndicatorNoActivity, "indicator.no_activity", Warning, Opd,
        "indikator tanpa kegiatan sah pada Tabel 1",
        "Tambahkan sedikitnya satu kegiatan sah di bawah baris indikator itu.",
        "Indikator itu tidak mendapat poin kegiatan.";
    ActivityMissingField, "activity.missing_field", Error, Opd,
        "kegiatan tanpa Waktu Pelaksanaan, Kegiatan, Bentuk/Media, atau Data Dukung",
        "Lengkapi kolom yang kosong pada baris kegiatan itu.",
        "Kegiatan itu tidak sah.";
    ActivityProblemWithoutSolution, "activity.problem_without_solution", Warning, Opd,
        "Permasalahan diisi, Upaya kosong",
        "Isi Upaya Pemecahan Permasalahan.",
        "Tidak memengaruhi skor.";
    ActivityOutsideIndicator, "activity.outside_indicator", Warning, Opd,
        "kegiatan di atas baris indikator pertama (tidak dinilai)",
        "Pindahkan kegiatan ke bawah baris indikatornya.",
        "Kegiatan itu tidak dinilai.";
    LinkNotUrl, "link.not_url", Error, Opd,
        "Data Dukung berisi teks, bukan tautan",
        "Isi dengan tautan Google Drive.",
        "Tautan itu tidak mendapat poin.";
    LinkLocalPath, "link.local_path", Error, Opd,
        "lokasi berkas di komputer pengirim (C:\\..., file://, /home/..., tautan relatif)",
        "Unggah bukti ke Google Drive dan tempelkan tautannya.",
        "Tautan itu tidak mendapat poin.";
    LinkUnsafeScheme, "link.unsafe_scheme", Error, Opd,
        "javascript:, data:, atau skema selain http/https",
        "Isi dengan tautan Google Drive (https://drive.google.com/...).",
        "Tautan itu tidak mendapat poin.";
    LinkDriveWithoutId, "link.drive_without_id", Error, Opd,
        "alamat Google Drive tanpa berkas/folder tertentu",
        "Salin tautan berkas atau folder bukti dari tombol Bagikan.",
        "Tautan itu tidak mendapat poin.";
    LinkDriveTruncated, "link.drive_truncated", Error, Opd,
        "tautan Google Drive terpotong",
        "Salin ulang tautan Google Drive secara utuh.",
        "Tautan itu tidak mendapat poin.";
    LinkNotDrive, "link.not_drive", Error, Opd,
        "tautan di luar domain yang diterima (galat; peringatan bila rubrik mengizinkan domain lain)",
        "Unggah bukti ke Google Drive dan tempelkan tautannya.",
        "Menurut rubrik bawaan tautan itu tidak mendapat poin.";
    LinkInsecure, "link.insecure", Warning, Opd,
        "http:// bukan https://",
        "Gunakan tautan yang diawali https://.",
        "Tidak memengaruhi skor.";
    LinkNoScheme, "link.no_scheme", Warning, Opd,
        "tautan ditulis tanpa https:// (tetap dihitung, tetapi mungkin tidak dapat diklik)",
        "Tempelkan tautan lengkap yang diawali https:// (Bagikan > Salin link).",
        "Tidak memengaruhi skor; tautan dibaca sebagai https://.";
    LinkSharedWithOtherUnit, "link.shared_with_other_unit", Warning, Opd,
        "tautan yang sama dipakai OPD lain",
        "Pastikan data dukung menunjukkan kegiatan Perangkat Daerah Anda sendiri.",
        "Tidak memengaruhi skor; periksa keasliannya.";
    DateUnrecognised, "date.unrecognised", Warning, Opd,
        "Waktu Pelaksanaan tidak dapat dipahami",
        "Tulis tanggal seperti 17/08/2026 atau periode seperti Januari s.d. Juni 2026.",
        "Tidak memengaruhi skor.";
    DateOutsideYear, "date.outside_year", Warning, Opd,
        "tanggal atau periode di luar tahun pelaporan",
        "Periksa tahun pada Waktu Pelaksanaan.",
        "Tidak memengaruhi skor.";
    DateTwibbonNot17, "date.twibbon_not_17", Warning, Opd,
        "kegiatan twibbon tidak pada tanggal 17",
        "Twibbon dipasang setiap tanggal 17 (Lampiran C.3); periksa tanggalnya.",
        "Tidak memengaruhi skor.";
    EvidenceStatusMissing, "evidence.status_missing", Error, Opd,
        "Ketersediaan kosong",
        "Pilih \"Ada\" atau \"Belum Ada\".",
        "Butir itu tidak mendapat poin.";
    EvidenceStatusInvalid, "evidence.status_invalid", Error, Opd,
        "Ketersediaan bukan \"Ada\" atau \"Belum Ada\"",
        "Pilih \"Ada\" atau \"Belum Ada\" dari daftar pilihan.",
        "Butir itu tidak mendapat poin.";
    EvidenceStatusCheckmark, "evidence.status_checkmark", Warning, Opd,
        "Ketersediaan berisi tanda centang (dibaca \"Ada\")",
        "Pilih \"Ada\" dari daftar pilihan sebagai ganti tanda centang.",
        "Dinilai sebagai \"Ada\".";
    EvidenceLinkMissing, "evidence.link_missing", Error, Opd,
        "Ketersediaan \"Ada\" tetapi tautan kosong",
        "Tempelkan tautan Google Drive bukti.",
        "Butir itu tidak mendapat poin.";
    EvidenceLinkWithoutAda, "evidence.link_without_ada", Warning, Opd,
        "tautan diisi padahal Ketersediaan \"Belum Ada\"",
        "Bila bukti sudah ada, pilih \"Ada\".",
        "Butir itu tidak mendapat poin.";
    EvidenceRowMissing, "evidence.row_missing", Error, Opd,
        "baris data dukung pada Tabel 2 hilang",
        "Kembalikan baris butir data dukung seperti pada templat.",
        "Butir itu tidak mendapat poin.";
    EvidenceExtraRow, "evidence.extra_row", Warning, Opd,
        "baris Tabel 2 berisi jawaban tetapi bukan salah satu dari delapan butir (tidak dinilai)",
        "Isikan jawaban pada baris butir yang sesuai.",
        "Baris itu tidak dinilai.";
}

impl Code {
    /// Every code, for documentation and tests.
    pub fn all() -> impl Iterator<Item = Code> {
        CODES.iter().map(|i| i.code)
    }

    /// This code's record.
    pub fn info(self) -> &'static CodeInfo {
        CODES
            .iter()
            .find(|i| i.code == self)
            .expect("every code has a record (pinned by a test)")
    }

    /// The stable code string, e.g. `link.local_path`.
    pub fn as_str(self) -> &'static str {
        self.info().name
    }

    /// How bad findings with this code are, by default.
    pub fn severity(self) -> Severity {
        self.info().severity
    }

    /// True for codes about a link's form (an error here costs the link's points).
    pub fn is_link(self) -> bool {
        self.as_str().starts_with("link.") && self != Code::LinkSharedWithOtherUnit
    }
}

/// The README's table of finding codes, made from [`CODES`] (a test keeps
/// the README in step): code, severity, label, and what the OPD should do.
pub fn codes_table() -> String {
    let mut out = String::from("| kode | tingkat | arti | untuk OPD |\n|---|---|---|---|\n");
    for info in CODES {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            info.name,
            info.severity.label().to_lowercase(),
            info.label.replace('|', "\\|"),
            info.for_opd.replace('|', "\\|")
        ));
    }
    out
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    /// The stable name (`link.not_url`); any other text is an error.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
        let name = String::deserialize(d)?;
        CODES
            .iter()
            .find(|info| info.name == name)
            .map(|info| info.code)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown finding code {name}")))
    }
}

/// Where a finding is: a file, and within it a sheet and a cell. Positions are
/// numbers; the A1 text is made in one place, [`Location::cell`], by
/// `rust_xlsxwriter::utility`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file as shown to people: its own name (and, for an e-mail
    /// attachment, `surat.eml » lampiran.xlsx`), never the operator's local folder.
    pub file: String,
    pub sheet: Option<String>,
    /// Absolute 0-based row.
    pub row: Option<u32>,
    /// Absolute 0-based column.
    pub col: Option<u32>,
}

impl Location {
    /// A whole file.
    pub fn file(file: &str) -> Location {
        Location {
            file: file.to_string(),
            sheet: None,
            row: None,
            col: None,
        }
    }

    /// A cell, from a 0-based absolute (row, column).
    pub fn at(file: &str, sheet: &str, row: u32, col: u32) -> Location {
        Location {
            file: file.to_string(),
            sheet: Some(sheet.to_string()),
            row: Some(row),
            col: Some(col),
        }
    }

    /// A whole sheet.
    pub fn sheet(file: &str, sheet: &str) -> Location {
        Location {
            file: file.to_string(),
            sheet: Some(sheet.to_string()),
            row: None,
            col: None,
        }
    }

    /// The A1 reference of the cell ("H14"), when there is one.
    pub fn cell(&self) -> Option<String> {
        Some(a1(self.row?, self.col?))
    }

    /// Sort key: file, sheet, then row and column numerically (H9 before H10).
    pub fn order_key(&self) -> (&str, Option<&str>, (u32, u32)) {
        (
            &self.file,
            self.sheet.as_deref(),
            (self.row.unwrap_or(0), self.col.unwrap_or(0)),
        )
    }

    /// `'Tabel 1'!H14`, `'Tabel 1'` or "" for a whole file: a reference a
    /// spreadsheet understands (sheet names quoted where needed).
    pub fn sheet_cell(&self) -> String {
        match (&self.sheet, self.cell()) {
            (Some(s), Some(c)) => format!("{}!{c}", quote_sheet_name(s)),
            (Some(s), None) => quote_sheet_name(s),
            _ => String::new(),
        }
    }
}

/// A sheet name quoted for a reference when it needs it (`'Tabel 1'`).
pub fn quote_sheet_name(sheet: &str) -> String {
    rust_xlsxwriter::utility::quote_sheet_name(sheet)
}

impl Serialize for Location {
    /// `file`, `sheet`, `cell` (A1), and 1-based `row` and `column` numbers.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("file", &self.file)?;
        m.serialize_entry("sheet", &self.sheet)?;
        m.serialize_entry("cell", &self.cell())?;
        m.serialize_entry("row", &self.row.map(|r| r + 1))?;
        m.serialize_entry("column", &self.col.map(|c| c + 1))?;
        m.end()
    }
}

impl<'de> Deserialize<'de> for Location {
    /// What [`Location`]'s `Serialize` writes (the A1 `cell` is ignored; the
    /// 1-based `row` and `column` give the position back).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Location, D::Error> {
        #[derive(Deserialize)]
        struct Written {
            file: String,
            sheet: Option<String>,
            row: Option<u32>,
            column: Option<u32>,
        }
        let w = Written::deserialize(d)?;
        Ok(Location {
            file: w.file,
            sheet: w.sheet,
            row: w.row.and_then(|r| r.checked_sub(1)),
            col: w.column.and_then(|c| c.checked_sub(1)),
        })
    }
}

/// What a check noticed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    #[serde(flatten)]
    pub location: Location,
    /// A full Indonesian sentence about the problem. It never repeats the
    /// location, which reports show in their own columns.
    pub message: String,
}

impl Finding {
    /// A finding with its code's default severity.
    pub fn new(code: Code, location: Location, message: impl Into<String>) -> Finding {
        Finding {
            code,
            severity: code.severity(),
            location,
            message: message.into(),
        }
    }

    /// The same finding with another severity (a rule a setting relaxes).
    pub fn with_severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }

    /// True when the OPD should see it in its feedback.
    pub fn for_opd(&self) -> bool {
        self.code.info().audience == Audience::Opd
    }
}

/// An A1 reference from a 0-based (row, column): (13, 7) → "H14".
///
/// ```
/// assert_eq!(monev::finding::a1(13, 7), "H14");
/// assert_eq!(monev::finding::a1(0, 26), "AA1");
/// ```
pub fn a1(row: u32, col: u32) -> String {
    let col = u16::try_from(col).unwrap_or(u16::MAX);
    rust_xlsxwriter::utility::row_col_to_cell(row, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_references() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(13, 7), "H14");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(9, 701), "ZZ10");
        assert_eq!(a1(0, 702), "AAA1");
    }

    #[test]
    fn locations_sort_by_number_not_text() {
        assert!(
            Location::at("f", "S", 8, 3).order_key() < Location::at("f", "S", 9, 0).order_key()
        );
        assert!(
            Location::at("f", "S", 8, 3).order_key() < Location::at("f", "S", 10, 0).order_key()
        );
    }

    #[test]
    fn every_code_has_exactly_one_record() {
        let mut seen = std::collections::HashSet::new();
        for info in CODES {
            assert!(seen.insert(info.name), "{} twice", info.name);
            assert!(info.name.contains('.'));
            assert_eq!(info.code.info().name, info.name);
            for text in [info.label, info.for_opd, info.for_operator] {
                assert!(!text.is_empty(), "{}", info.name);
            }
            assert!(info.for_opd.ends_with('.') && info.for_operator.ends_with('.'));
        }
    }

    #[test]
    fn message_never_repeats_the_location() {
        let f = Finding::new(
            Code::LinkLocalPath,
            Location::at("a.xlsx", "Tabel 1", 13, 7),
            "lokasi lokal.",
        );
        assert_eq!(f.message, "lokasi lokal.");
        assert_eq!(f.location.cell().as_deref(), Some("H14"));
        assert_eq!(f.location.sheet_cell(), "'Tabel 1'!H14");
        assert_eq!(f.severity, Severity::Error);
        assert_eq!(Location::sheet("a", "Tabel2").sheet_cell(), "Tabel2");
    }

    #[test]
    fn json_location_has_sheet_cell_and_numbers() {
        let f = Finding::new(
            Code::LinkLocalPath,
            Location::at("a.xlsx", "Tabel 1", 13, 7),
            "x.",
        );
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(v["sheet"], "Tabel 1");
        assert_eq!(v["cell"], "H14");
        assert_eq!(v["row"], 14);
        assert_eq!(v["column"], 8);
        assert_eq!(v["code"], "link.local_path");
        assert_eq!(v["severity"], "error");
    }
}
