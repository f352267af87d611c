//! Checks on a workbook's structure, from what the reader recorded
//! ([`crate::ingest::Structure`]): a sheet that could not be read, a copied
//! form sheet, a missing column, a missing or an extra Tabel 2 row. Users
//! rename, insert and delete things; each of these is said once, where it is.

use super::Context;
use crate::finding::{Code, Finding, Location};
use crate::form::col2;
use crate::ingest::Submission;

/// `file.sheet_unread`: a sheet the forms do not need could not be read; it
/// is skipped and the file is still read.
pub fn sheet_unread(sub: &Submission, ctx: &Context) -> Vec<Finding> {
    sub.structure
        .unread_sheets
        .iter()
        .map(|(name, reason)| {
            Finding::new(
                Code::FileSheetUnread,
                Location::sheet(ctx.file, name),
                format!(
                    "{}; lembar ini dilewati karena tidak diperlukan untuk laporan, sehingga berkas tetap direkap.",
                    crate::text::capitalize_first(reason)
                ),
            )
        })
        .collect()
}

/// `file.duplicate_table`: another sheet also holds a form table; only the
/// first is read, so the copy's content must be moved.
pub fn duplicate_table(sub: &Submission, ctx: &Context) -> Vec<Finding> {
    sub.structure
        .copied_sheets
        .iter()
        .map(|(copy, used)| {
            Finding::new(
                Code::FileDuplicateTable,
                Location::file(ctx.file),
                format!(
                    "Lembar '{copy}' juga berisi tabel formulir, tetapi hanya lembar '{used}' yang dibaca. Pindahkan isinya ke lembar '{used}' lalu hapus lembar salinan."
                ),
            )
        })
        .collect()
}

/// `file.column_missing`: a column header of the form (Lampiran B, Tabel 1
/// Kolom 2–7; Tabel 2 Ketersediaan and Tautan) was not found, so that
/// column's entries can't be checked.
pub fn column_missing(sub: &Submission, ctx: &Context) -> Vec<Finding> {
    let t1 = sub
        .table1_columns
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, c)| c.is_none())
        .map(|(i, _)| {
            Finding::new(
                Code::FileColumnMissing,
                Location::sheet(ctx.file, &sub.table1_sheet),
                format!(
                    "Kolom \"{}\" tidak ditemukan pada baris judul (baris {}); isian kolom ini tidak dapat diperiksa. Jangan mengubah judul kolom.",
                    ctx.form.table1.columns[i],
                    sub.structure.table1_header_row + 1
                ),
            )
        });
    let t2 = [col2::AVAILABILITY, col2::LINK]
        .into_iter()
        .filter(|&c| sub.table2_columns[c].is_none())
        .map(|c| {
            Finding::new(
                Code::FileColumnMissing,
                Location::sheet(ctx.file, &sub.table2_sheet),
                format!(
                    "Kolom \"{}\" tidak ditemukan pada baris judul {} (baris {}).",
                    ctx.form.table2.columns[c],
                    ctx.form.table2.sheet,
                    sub.structure.table2_header_row + 1
                ),
            )
        });
    t1.chain(t2).collect()
}

/// `evidence.row_missing`: one of the eight evidence rows (1a … 4b) of
/// Tabel 2 was not found; it earns no points.
pub fn evidence_row_missing(sub: &Submission, ctx: &Context) -> Vec<Finding> {
    sub.evidence
        .iter()
        .filter(|e| e.row.is_none())
        .map(|e| {
            Finding::new(
                Code::EvidenceRowMissing,
                Location::sheet(ctx.file, &sub.table2_sheet),
                format!(
                    "Baris data dukung {}{} tidak ditemukan; jangan menghapus baris pada {}.",
                    e.indicator, e.item, ctx.form.table2.sheet
                ),
            )
        })
        .collect()
}

/// `evidence.extra_row`: a Tabel 2 row holds an answer but is none of the
/// eight items (a duplicated or added row): reported, not scored.
pub fn evidence_extra_row(sub: &Submission, ctx: &Context) -> Vec<Finding> {
    let col = sub.table2_columns[col2::AVAILABILITY]
        .or(sub.table2_columns[col2::LINK])
        .unwrap_or(0);
    sub.structure
        .extra_evidence_rows
        .iter()
        .map(|&row| {
            Finding::new(
                Code::EvidenceExtraRow,
                Location::at(ctx.file, &sub.table2_sheet, row, col),
                format!(
                    "Baris {} pada {} berisi jawaban tetapi bukan salah satu dari delapan butir data dukung (mungkin baris ganda atau tambahan), sehingga tidak dinilai. Isikan jawabannya pada baris butir yang sesuai.",
                    row + 1,
                    ctx.form.table2.sheet
                ),
            )
        })
        .collect()
}

/// `file.identified_by_sender`: nothing in the file named its OPD, so the
/// sender's address in the roster did (an e-mail attachment).
pub fn identified_by_sender(sub: &Submission, ctx: &Context) -> Vec<Finding> {
    let Some(sender) = &sub.structure.identified_by_sender else {
        return vec![];
    };
    vec![Finding::new(
        Code::FileIdentifiedBySender,
        Location::file(ctx.file),
        format!(
            "Perangkat Daerah dikenali dari alamat pengirim surel {sender}, karena properti dokumen, lembar _monev, nama pada Tabel 1, maupun nama berkas tidak menyebutnya. Pastikan berkas ini memang laporan OPD tersebut."
        ),
    )]
}
