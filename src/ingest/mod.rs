//! Reading a returned workbook into a [`Submission`]: which OPD and year it is,
//! every filled Tabel 1 row with its indicator, and the eight Tabel 2 answers.
//!
//! Users rename sheets, insert columns and insert rows, so nothing here relies on
//! positions: sheets are found by name or else by their header texts, columns by
//! header text, and each Tabel 1 row belongs to the nearest indicator row above it.
//! Problems with the structure are findings; only an unreadable file, a file that
//! is no template, or an unknown OPD rejects the file.

pub mod guard;
mod identify;
pub mod inbound;
pub mod isolate;
mod layout;
pub mod mbox;
pub mod msg;
pub mod ods;
mod rects;
pub mod source;
mod table1;
mod table2;
pub mod workbook;
pub mod xls;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::dates::{When, parse_when};
use crate::finding::{Code, Finding, Location};
use crate::form::{Form, col};
use crate::identity::{self, Identity};
use crate::roster::Roster;
pub use identify::unit_from_file_name;
use identify::{identify, shown_identity, unit_from_sender, year_from_name};
use layout::{find_table1, find_table2};
use source::Input;
use table1::read_activities;
use table2::read_evidence;

/// How the OPD of a file was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentifiedBy {
    /// Custom document properties.
    Properties,
    /// The `_monev` sheet.
    IdentitySheet,
    /// The OPD name shown on Tabel 1.
    UnitName,
    /// The file name.
    FileName,
    /// The sender's address, found in the roster (for an attachment that
    /// nothing else identifies).
    Sender,
}

impl IdentifiedBy {
    /// Indonesian description for reports.
    pub fn label(self) -> &'static str {
        match self {
            IdentifiedBy::Properties => "properti dokumen",
            IdentifiedBy::IdentitySheet => "lembar _monev",
            IdentifiedBy::UnitName => "nama Perangkat Daerah pada Tabel 1",
            IdentifiedBy::FileName => "nama berkas",
            IdentifiedBy::Sender => "alamat pengirim surel",
        }
    }
}

/// A cell's content as read: the text shown and, for links, the target.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellText {
    /// Absolute 0-based (row, column); None when the column is missing.
    pub pos: Option<(u32, u32)>,
    /// What the cell shows (trimmed).
    pub text: String,
    /// The hyperlink target, when the cell has one.
    pub link: Option<String>,
}

impl CellText {
    /// True when the cell shows nothing. A hyperlink left behind on a cell
    /// whose text was cleared (Excel's Clear Contents keeps it) is not an
    /// entry: what a person sees counts.
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// What a link check judges: the hyperlink target, unless the cell shows
    /// a web address of its own that differs from it (someone typed a new
    /// address over an old link, and the editor kept the old target: the
    /// address people see wins); else the text.
    pub fn link_or_text(&self) -> &str {
        match &self.link {
            Some(link) if !shows_other_address(&self.text, link) => link,
            _ => &self.text,
        }
    }
}

/// True when `text` is one web address (http or https, no spaces) other than
/// the hyperlink target `link`.
fn shows_other_address(text: &str, link: &str) -> bool {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && !t.contains(char::is_whitespace)
        && t.trim_end_matches('/') != link.trim().trim_end_matches('/')
}

/// One filled Tabel 1 row.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Activity {
    /// 1..=4, or None when the row sits above every indicator row.
    pub indicator: Option<usize>,
    /// Absolute 0-based row.
    pub row: u32,
    /// The seven columns in the regulation's order.
    pub cells: [CellText; 7],
    /// Waktu Pelaksanaan, understood.
    pub when: When,
}

/// The answer in Ketersediaan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    Ada,
    BelumAda,
    Empty,
    /// A check mark (√ ✓ ✔ ☑): read as "Ada", flagged so the OPD picks the
    /// dropdown value. Holds what was typed.
    Checkmark(String),
    /// Something else was typed.
    Invalid(String),
}

impl Availability {
    /// True when the answer counts as "Ada" (including a check mark).
    pub fn is_ada(&self) -> bool {
        matches!(self, Availability::Ada | Availability::Checkmark(_))
    }
}

/// One Tabel 2 evidence item (1a … 4b).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Evidence {
    /// 1..=4.
    pub indicator: usize,
    /// 'a' or 'b'.
    pub item: char,
    /// Absolute 0-based row; None when the row was not found.
    pub row: Option<u32>,
    pub availability: Availability,
    /// Ketersediaan exactly as typed (trimmed), never erased by normalising.
    pub availability_text: String,
    pub link: CellText,
    pub remark: String,
}

/// Facts about a workbook's structure, recorded by the reader and judged by
/// `checks::structure` (missing columns and evidence rows follow from
/// [`Submission::table1_columns`], [`Submission::table2_columns`] and
/// [`Evidence::row`]).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Structure {
    /// Sheets the forms do not need that could not be read (skipped): the
    /// name, and why (an Indonesian phrase naming the sheet).
    pub unread_sheets: Vec<(String, String)>,
    /// (copy, sheet read): other sheets that also hold a form table.
    pub copied_sheets: Vec<(String, String)>,
    /// Absolute 0-based header rows of Tabel 1 and Tabel 2.
    pub table1_header_row: u32,
    pub table2_header_row: u32,
    /// Tabel 2 rows holding an answer that belong to no evidence item.
    pub extra_evidence_rows: Vec<u32>,
    /// The sender's address, when only it identified the OPD.
    pub identified_by_sender: Option<String>,
}

/// What one accepted workbook holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Submission {
    pub unit: String,
    pub identified_by: IdentifiedBy,
    /// The year the template states, if any.
    pub year: Option<i32>,
    pub table1_sheet: String,
    pub table2_sheet: String,
    /// The absolute column of each Tabel 1 field (None when missing).
    pub table1_columns: [Option<u32>; 7],
    /// The absolute column of each Tabel 2 field (None when missing).
    pub table2_columns: [Option<u32>; 6],
    pub activities: Vec<Activity>,
    pub evidence: Vec<Evidence>,
    /// What the reader noticed about the workbook's structure; the checks in
    /// `checks::structure` turn it into findings.
    pub structure: Structure,
    /// The workbook's own last-modified property.
    pub modified: Option<DateTime<FixedOffset>>,
    /// For a feedback workbook monev wrote: the key of the answers it was
    /// written with ([`answers_key`]). Equal to [`Submission::answers_key`]
    /// when nobody changed the answers since.
    pub feedback_key: Option<String>,
}

/// Why a file was rejected.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rejection {
    pub finding: Finding,
    /// Set when the file is one of monev's own outputs (its kind, e.g. "rekap"):
    /// listed as skipped, never judged.
    pub own_output: Option<String>,
    /// The unit, when it was recognised before the rejection.
    pub unit: Option<String>,
    pub year: Option<i32>,
}

/// Reads one input. `Err` is a rejection (unreadable, not a template, unknown OPD).
pub fn read(input: &mut Input, form: &Form, roster: &Roster) -> Result<Submission, Box<Rejection>> {
    // The unpacked-size budget `workbook::open` sets lasts while this file
    // is read, and no longer: later reads on this thread start unlimited.
    struct ClearBudget;
    impl Drop for ClearBudget {
        fn drop(&mut self) {
            calamine::unpack_budget::set(None);
        }
    }
    let _clear = ClearBudget;
    let reject = |code: Code, message: String, unit: Option<String>, year: Option<i32>| {
        Box::new(Rejection {
            finding: Finding::new(code, Location::file(&input.path), message),
            own_output: None,
            unit,
            year,
        })
    };
    // The OPD whose roster address sent the file: kept on a rejection too, so
    // the OPD can be told what was wrong.
    let sender_unit = || {
        input
            .sender
            .as_deref()
            .and_then(|s| unit_from_sender(roster, s))
            .map(|u| u.code.clone())
    };
    let book =
        workbook::open(std::mem::take(&mut input.bytes), input.format).map_err(|reason| {
            reject(
                Code::FileUnreadable,
                format!("Berkas tidak dapat dibaca: {reason}."),
                sender_unit(),
                None,
            )
        })?;
    // monev's own outputs (rekap, feedback) left in an input folder.
    // A feedback workbook is this year's template pre-filled with what the OPD
    // sent: the OPD fixes it and sends it back, so it is read as a report. The
    // pipeline sets it aside only when its answers are still exactly what
    // monev wrote (see `Submission::feedback_key`).
    let feedback_key = book
        .custom_properties
        .get(identity::PROP_ANSWERS)
        .filter(|_| {
            book.custom_properties
                .get(identity::PROP_KIND)
                .map(String::as_str)
                == Some(identity::KIND_FEEDBACK)
        })
        .cloned();
    if let (Some(kind), None) = (
        book.custom_properties.get(identity::PROP_KIND),
        &feedback_key,
    ) {
        let what = if kind == "rekap" {
            "rekap"
        } else {
            "umpan balik"
        };
        let mut rejection = reject(
            Code::FileNotTemplate,
            format!("Berkas ini adalah {what} keluaran monev, bukan laporan Perangkat Daerah."),
            None,
            None,
        );
        rejection.own_output = Some(what.to_string());
        return Err(rejection);
    }
    let sheet_identity = book
        .sheet(identity::SHEET)
        .map(|s| {
            Identity::from_rows(
                s.rows()
                    .iter()
                    .map(|&r| (s.text(r, 0), s.text(r, 1)))
                    .collect::<Vec<_>>()
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.clone())),
            )
        })
        .unwrap_or_default();
    let prop_identity = Identity::from_properties(&book.custom_properties);

    let mut t1s = find_table1(&book, form).into_iter();
    let mut t2s = find_table2(&book, form).into_iter();
    let (t1, t2) = (t1s.next(), t2s.next());
    // The tables' sheets, read whole (a renamed one was only read to its head).
    let whole = |i: usize| {
        book.sheet_at(i).map_err(|reason| {
            reject(
                Code::FileUnreadable,
                format!("Berkas tidak dapat dibaca: {reason}."),
                None,
                None,
            )
        })
    };
    let sheet1 = t1.as_ref().map(|t| whole(t.sheet)).transpose()?;
    let sheet2 = t2.as_ref().map(|t| whole(t.sheet)).transpose()?;
    let shown = t1
        .as_ref()
        .zip(sheet1)
        .map(|(t, sheet)| shown_identity(sheet, t.header_row));
    let year = prop_identity
        .year
        .or(sheet_identity.year)
        .or(shown.as_ref().and_then(|s| s.1))
        .or_else(|| year_from_name(&input.name));
    let unit = identify(
        roster,
        &prop_identity,
        &sheet_identity,
        shown.as_ref().and_then(|s| s.0.as_deref()),
        &input.name,
    );

    let (found1, found2) = (t1.is_some(), t2.is_some());
    let (Some(t1), Some(t2), Some(sheet1), Some(sheet2)) = (t1, t2, sheet1, sheet2) else {
        // The form may be in a sheet that cannot be read: say that, not "no template".
        if let Some((_, reason)) = book.unread().first() {
            return Err(reject(
                Code::FileUnreadable,
                format!("Berkas tidak dapat dibaca: {reason}."),
                unit.as_ref().map(|u| u.0.clone()),
                year,
            ));
        }
        let missing = match (found1, found2) {
            (false, false) => format!("{} dan {}", form.table1.sheet, form.table2.sheet),
            (false, true) => form.table1.sheet.clone(),
            _ => form.table2.sheet.clone(),
        };
        return Err(reject(
            Code::FileNotTemplate,
            format!(
                "Berkas bukan templat laporan: {missing} tidak ditemukan (tidak ada lembar dengan judul kolom formulir). Gunakan templat dari Tim Percepatan Pelaksanaan Reformasi Birokrasi Kota Serang."
            ),
            unit.as_ref().map(|u| u.0.clone()).or_else(sender_unit),
            year,
        ));
    };
    // Last resort: the sender's address, when the roster lists it (the
    // check `structure::identified_by_sender` says so).
    let unit = unit.or_else(|| {
        let u = unit_from_sender(roster, input.sender.as_deref()?)?;
        Some((u.code.clone(), IdentifiedBy::Sender))
    });
    let Some((unit, identified_by)) = unit else {
        let shown_name = shown.and_then(|s| s.0).unwrap_or_default();
        let detail = if shown_name.is_empty() {
            String::new()
        } else {
            format!(" (nama tertulis: \"{shown_name}\")")
        };
        return Err(reject(
            Code::FileUnknownUnit,
            format!(
                "Perangkat Daerah pengirim tidak dikenali{detail}: tidak ada OPD dalam daftar yang cocok dengan properti dokumen, lembar _monev, nama pada Tabel 1, nama berkas, maupun alamat pengirim surel."
            ),
            None,
            year,
        ));
    };

    let t1_sheet_name = book.sheets[t1.sheet].name.clone();
    let t2_sheet_name = book.sheets[t2.sheet].name.clone();
    // A copied sheet ("Tabel 1 (2)") is not read: recorded, so a check says so.
    let copied_sheets = t1s
        .map(|t| (t.sheet, &t1_sheet_name))
        .chain(t2s.map(|t| (t.sheet, &t2_sheet_name)))
        .map(|(extra, used)| (book.sheets[extra].name.clone(), used.clone()))
        .filter(|(extra, used)| extra != used)
        .collect();
    let links1 = book.links(&t1_sheet_name);
    let links2 = if t2.sheet == t1.sheet {
        links1.clone()
    } else {
        book.links(&t2_sheet_name)
    };
    let default_year = year.unwrap_or(0);
    let activities = read_activities(sheet1, &t1, form, &links1, default_year);
    let (evidence, extra_rows) = read_evidence(sheet2, &t2, form, &links2);
    let structure = Structure {
        unread_sheets: book
            .unread()
            .into_iter()
            .map(|(name, reason)| (name.to_string(), reason.to_string()))
            .collect(),
        copied_sheets,
        table1_header_row: t1.header_row,
        table2_header_row: t2.header_row,
        extra_evidence_rows: extra_rows,
        identified_by_sender: (identified_by == IdentifiedBy::Sender)
            .then(|| input.sender.clone())
            .flatten(),
    };
    let modified = book.modified.as_deref().and_then(parse_timestamp);
    Ok(Submission {
        unit,
        identified_by,
        year,
        table1_sheet: t1_sheet_name,
        table2_sheet: t2_sheet_name,
        table1_columns: t1.columns,
        table2_columns: t2.columns,
        activities,
        evidence,
        structure,
        modified,
        feedback_key,
    })
}

/// A key of a report's answers: SHA-256 over every Tabel 1 row (its
/// indicator and columns 2–7 as their link or text) and every Tabel 2 answer
/// (Ketersediaan, link or text, Keterangan). The feedback workbook stores the
/// key of what monev wrote; reading it back gives the same key until someone
/// changes an answer. Rows with nothing written count for nothing: the
/// feedback of a rejected file lists no answers, and its workbook (a blank
/// template) reads back as eight blank Tabel 2 items, the same answers.
pub fn answers_key<'a>(
    activities: impl IntoIterator<Item = (Option<usize>, [&'a str; 6])>,
    evidence: impl IntoIterator<Item = [&'a str; 3]>,
) -> String {
    let blank = |cells: &[&str]| cells.iter().all(|c| c.trim().is_empty());
    let mut text = String::new();
    for (indicator, cells) in activities {
        if blank(&cells) {
            continue;
        }
        text.push_str(&format!("A{}", indicator.unwrap_or(0)));
        for c in cells {
            text.push('\u{1f}');
            text.push_str(c.trim());
        }
        text.push('\n');
    }
    for cells in evidence {
        if blank(&cells) {
            continue;
        }
        text.push('E');
        for c in cells {
            text.push('\u{1f}');
            text.push_str(c.trim());
        }
        text.push('\n');
    }
    source::sha256(text.as_bytes())
}

impl Submission {
    /// The [`answers_key`] of what this workbook holds.
    pub fn answers_key(&self) -> String {
        answers_key(
            self.activities.iter().map(|a| {
                (
                    a.indicator,
                    [
                        a.cells[1].link_or_text(),
                        a.cells[2].link_or_text(),
                        a.cells[3].link_or_text(),
                        a.cells[4].link_or_text(),
                        a.cells[5].link_or_text(),
                        a.cells[6].link_or_text(),
                    ],
                )
            }),
            self.evidence.iter().map(|e| {
                [
                    e.availability_text.as_str(),
                    e.link.link_or_text(),
                    e.remark.as_str(),
                ]
            }),
        )
    }
}

/// True when a template holds no answer at all: no Tabel 1 activity and no
/// Tabel 2 answer, link or remark. The one test behind `file.empty` and
/// behind `monev templat --timpa` replacing only untouched templates.
pub fn blank_answers(activities: &[Activity], evidence: &[Evidence]) -> bool {
    activities.is_empty()
        && evidence
            .iter()
            .all(|e| e.availability_text.is_empty() && e.link.is_empty() && e.remark.is_empty())
}

/// True when `bytes` are a workbook holding our form with every input cell
/// blank (an untouched template). Anything unreadable or filled is not.
pub fn is_blank_template(bytes: &[u8], form: &Form) -> bool {
    let Some(format) = source::sniff(bytes) else {
        return false;
    };
    let Ok(book) = workbook::open(bytes.to_vec(), format) else {
        return false;
    };
    let (Some(t1), Some(t2)) = (
        find_table1(&book, form).into_iter().next(),
        find_table2(&book, form).into_iter().next(),
    ) else {
        return false;
    };
    let (Ok(sheet1), Ok(sheet2)) = (book.sheet_at(t1.sheet), book.sheet_at(t2.sheet)) else {
        return false;
    };
    let links1 = book.links(&book.sheets[t1.sheet].name);
    let links2 = book.links(&book.sheets[t2.sheet].name);
    let activities = read_activities(sheet1, &t1, form, &links1, 0);
    let (evidence, extra) = read_evidence(sheet2, &t2, form, &links2);
    extra.is_empty() && blank_answers(&activities, &evidence)
}

impl Submission {
    /// True for a template sent back untouched ([`blank_answers`]).
    pub fn is_blank(&self) -> bool {
        blank_answers(&self.activities, &self.evidence)
    }

    /// Dates typed without a year ("17 Agustus") were read before the reporting
    /// year was known; when the file itself states no year, read them again in
    /// the reporting year.
    pub fn assume_year(&mut self, year: i32) {
        if self.year.is_none() {
            for a in &mut self.activities {
                a.when = parse_when(&a.cells[col::WHEN].text, year);
            }
        }
    }
}

thread_local! {
    /// Set while a file is read under [`read_guarded`]: its panics are reported
    /// as a finding, not printed.
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// [`read`], with a panic in a dependency (or here) on a hostile file turned
/// into a `file.unreadable` rejection, so one bad file never stops the run.
pub fn read_guarded(
    input: &mut Input,
    form: &Form,
    roster: &Roster,
) -> Result<Submission, Box<Rejection>> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(|g| g.get()) {
                previous(info);
            }
        }));
    });
    let path = input.path.clone();
    GUARDED.with(|g| g.set(true));
    let result =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read(input, form, roster)));
    GUARDED.with(|g| g.set(false));
    result.unwrap_or_else(|_| {
        Err(Box::new(Rejection {
            finding: Finding::new(
                Code::FileUnreadable,
                Location::file(&path),
                "Berkas tidak dapat dibaca: isinya tidak wajar sehingga pembacaan gagal. Buka dan simpan ulang berkas di Excel, lalu kirim kembali.",
            ),
            own_output: None,
            unit: None,
            year: None,
        }))
    })
}

/// A document timestamp: RFC 3339, or (as LibreOffice writes in .ods) a local
/// time without zone, taken as Western Indonesian Time where the OPDs work.
fn parse_timestamp(text: &str) -> Option<DateTime<FixedOffset>> {
    let t = text.trim();
    DateTime::parse_from_rfc3339(t).ok().or_else(|| {
        chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f")
            .ok()?
            .and_local_timezone(source::wib())
            .single()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_with_and_without_zone() {
        assert_eq!(
            parse_timestamp("2026-08-20T02:15:00Z")
                .unwrap()
                .to_rfc3339(),
            "2026-08-20T02:15:00+00:00"
        );
        assert_eq!(
            parse_timestamp("2026-08-27T10:00:00.123456789")
                .unwrap()
                .to_rfc3339(),
            "2026-08-27T10:00:00.123456789+07:00"
        );
        assert_eq!(parse_timestamp("kemarin"), None);
    }
}
