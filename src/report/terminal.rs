//! What the terminal shows: the rekap summary table, and `monev periksa`'s
//! findings grouped by sheet.

use std::fmt::Write;

use crate::finding::{Finding, Severity};
use crate::model::{FileStatus, Rekap, UnitStatus};

/// The short table printed after `monev rekap`.
pub fn summary(rekap: &Rekap, outputs: &[String]) -> String {
    let t = &rekap.totals;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Rekap tahun {}: {} Perangkat Daerah",
        rekap.year, t.units
    );
    for status in UnitStatus::ALL {
        let n = rekap.units.iter().filter(|u| u.status == status).count();
        let _ = writeln!(s, "  {:<32} {n:>4}", status.label());
    }
    let _ = writeln!(s, "  {:<32} {:>4}", "Terlambat", t.late);
    if let Some(avg) = t.average_score {
        let _ = writeln!(
            s,
            "  {:<32} {:>6}",
            "Rata-rata skor",
            format!("{avg:.1}").replace('.', ",")
        );
    }
    let _ = writeln!(
        s,
        "Berkas: {} dibaca, {} ditolak, {} digantikan, {} dilewati",
        t.files, t.rejected, t.superseded, t.skipped
    );
    for f in rekap
        .files
        .iter()
        .filter(|f| f.reason.is_some() && f.status == FileStatus::Rejected)
    {
        let _ = writeln!(
            s,
            "  ditolak: {} — {}",
            f.path,
            f.reason.as_deref().unwrap_or("")
        );
    }
    if !outputs.is_empty() {
        let _ = writeln!(s, "Keluaran: {}", outputs.join(", "));
    }
    s
}

/// The warning shown first when no report at all was found among the
/// inputs (only other files, or nothing): the rekap is still valid, every
/// OPD "Belum Mengirim", but the operator should know at once.
pub fn nothing_found(rekap: &Rekap) -> Option<String> {
    if !rekap.files.is_empty() {
        return None;
    }
    let skipped = rekap.skipped.len();
    let what = if skipped == 0 {
        "tidak ada berkas sama sekali".to_string()
    } else {
        format!("hanya {skipped} berkas lain yang bukan laporan (lihat lembar Berkas)")
    };
    Some(format!(
        "PERINGATAN: tidak ada laporan OPD (.xlsx, .xlsm, .xls, .ods, atau surel .eml berlampiran) yang ditemukan di {}: {what}. Periksa folder masukannya.",
        rekap.inputs.join(", ")
    ))
}

/// `monev periksa`'s report: each file with its OPD, year and score, then its
/// findings grouped by sheet; skipped files last.
pub fn periksa(rekap: &Rekap, roster: &crate::roster::Roster) -> String {
    let mut s = String::new();
    for file in &rekap.files {
        let unit = file
            .unit
            .as_deref()
            .and_then(|c| roster.get(c))
            .map_or("OPD tidak dikenali".to_string(), |u| {
                format!("{} ({})", u.name, u.code)
            });
        let score = rekap
            .units
            .iter()
            .find(|u| u.file.as_deref() == Some(file.path.as_str()))
            .and_then(|u| Some(format!(", skor {} (Level {})", u.score?, u.level?)))
            .unwrap_or_default();
        let year = file
            .year
            .map_or("tidak diketahui".into(), |y| y.to_string());
        let title = format!("== {} — {unit}, tahun {year}{score}", file.path);
        s.push_str(&findings_by_sheet(&title, &file.findings));
    }
    for skipped in &rekap.skipped {
        let _ = writeln!(s, "== {} — dilewati: {}", skipped.path, skipped.reason);
    }
    s
}

/// Findings of one file grouped by sheet, for `monev periksa`.
pub fn findings_by_sheet(title: &str, findings: &[Finding]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{title}");
    if findings.is_empty() {
        let _ = writeln!(s, "  Tidak ada temuan.");
        return s;
    }
    let mut sheets: Vec<Option<&str>> = findings
        .iter()
        .map(|f| f.location.sheet.as_deref())
        .collect();
    sheets.sort();
    sheets.dedup();
    for sheet in sheets {
        let _ = writeln!(s, "  [{}]", sheet.unwrap_or("Berkas"));
        for f in findings
            .iter()
            .filter(|f| f.location.sheet.as_deref() == sheet)
        {
            let _ = writeln!(
                s,
                "    {:<6} {:<10} {:<34} {}",
                f.location.cell().as_deref().unwrap_or("-"),
                f.severity.label(),
                f.code.as_str(),
                f.message
            );
        }
    }
    let count = |sev| findings.iter().filter(|f| f.severity == sev).count();
    let _ = writeln!(
        s,
        "  Jumlah: {} galat, {} peringatan, {} info",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    );
    s
}
