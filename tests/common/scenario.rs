//! Filling generated templates the way OPD staff do: activities under an
//! indicator of Tabel 1 and answers on Tabel 2, addressed by indicator and slot
//! rather than by raw cell, so tests read like the form. Shared by the
//! integration tests, the benchmark and `examples/sampel.rs`.

use std::path::Path;

use chrono::NaiveDate;
use monev::form::Form;
use monev::roster::Unit;
use monev::template::{self, T1_FIRST_GROUP_ROW, T1_INPUT_ROWS, T2_HEADER_ROW};

use super::Filler;

/// Tabel 1's sheet name.
pub const T1: &str = "Tabel 1";
/// Tabel 2's sheet name.
pub const T2: &str = "Tabel 2";

/// Builds `unit`'s template for `year` in `work`, fills it with `fill` as a person
/// would, stamps the save time `modified` (RFC 3339, as Excel does on saving) and
/// saves it to `out`. The template itself is removed again.
pub fn fill_template(
    form: &Form,
    unit: &Unit,
    year: i32,
    work: &Path,
    modified: &str,
    out: &Path,
    fill: impl FnOnce(&mut Filler),
) {
    let blank = work.join(template::file_name(year, &unit.code));
    std::fs::write(&blank, template::build(form, unit, year).expect("template"))
        .expect("write template");
    let mut f = Filler::open(&blank);
    fill(&mut f);
    f.modified(modified);
    f.save(out);
    std::fs::remove_file(&blank).expect("remove template");
}

/// [`fill_template`] for the roster's `code` with the embedded form, saved on
/// 20 August 2026 (before the deadline): the usual way a test writes one
/// OPD's filled report to `out`.
pub fn filled_report(
    code: &str,
    year: i32,
    work: &Path,
    out: &Path,
    fill: impl FnOnce(&mut Filler),
) {
    fill_template(
        &super::form(),
        super::roster().get(code).expect("a roster unit"),
        year,
        work,
        "2026-08-20T09:00:00Z",
        out,
        fill,
    );
}

/// What is typed in Waktu Pelaksanaan.
#[derive(Debug, Clone, Copy)]
pub enum When<'a> {
    /// A real date cell (Excel serial with the template's dd/mm/yyyy format).
    Date(NaiveDate),
    /// Text as typed.
    Text(&'a str),
    Empty,
}

/// What is put in a link column.
#[derive(Debug, Clone, Copy)]
pub enum Link<'a> {
    /// Excel's Insert > Link: display text "Bukti" with this target.
    Hyperlink(&'a str),
    /// `=HYPERLINK("url","Bukti")`.
    Formula(&'a str),
    /// Pasted text.
    Text(&'a str),
    Empty,
}

/// One Tabel 1 row.
#[derive(Debug, Clone, Copy)]
pub struct Activity<'a> {
    pub when: When<'a>,
    pub activity: &'a str,
    pub media: &'a str,
    pub problem: &'a str,
    pub solution: &'a str,
    pub link: Link<'a>,
}

impl Default for Activity<'_> {
    fn default() -> Self {
        Activity {
            when: When::Empty,
            activity: "",
            media: "",
            problem: "",
            solution: "",
            link: Link::Empty,
        }
    }
}

/// The date `y-m-d`.
pub fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// A Google Drive file link with an id derived from `seed` (unique per seed).
pub fn drive(seed: &str) -> String {
    let id: String = seed
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("https://drive.google.com/file/d/1{id}XyZ0123456789/view?usp=sharing")
}

/// The 1-based worksheet row of input slot `slot` (0-based) under indicator `n` (1..=4).
pub fn t1_row(n: usize, slot: usize) -> u32 {
    assert!((1..=4).contains(&n) && slot < T1_INPUT_ROWS as usize);
    T1_FIRST_GROUP_ROW + (n as u32 - 1) * (T1_INPUT_ROWS + 1) + 1 + slot as u32 + 1
}

/// The 1-based worksheet row of Tabel 2 item `item` ('a' or 'b') of indicator `n`.
pub fn t2_row(n: usize, item: char) -> u32 {
    T2_HEADER_ROW + 1 + 2 * (n as u32 - 1) + u32::from(item == 'b') + 1
}

fn put_link(f: &mut Filler, sheet: &str, cell: &str, link: Link) {
    match link {
        Link::Hyperlink(url) => {
            f.hyperlink(sheet, cell, url, "Bukti");
        }
        Link::Formula(url) => {
            f.formula_link(sheet, cell, url, "Bukti");
        }
        Link::Text(t) => {
            // What was there before (a hyperlink) goes: the cell holds the text.
            f.clear(sheet, cell);
            f.text(sheet, cell, t);
        }
        Link::Empty => {}
    }
}

/// Types one activity into slot `slot` under indicator `n`.
pub fn put_activity(f: &mut Filler, n: usize, slot: usize, a: &Activity) {
    let r = t1_row(n, slot);
    match a.when {
        When::Date(d) => {
            f.date(T1, &format!("B{r}"), d);
        }
        When::Text(t) => {
            f.text(T1, &format!("B{r}"), t);
        }
        When::Empty => {}
    }
    for (col, value) in [
        ("C", a.activity),
        ("D", a.media),
        ("E", a.problem),
        ("F", a.solution),
    ] {
        if !value.is_empty() {
            f.text(T1, &format!("{col}{r}"), value);
        }
    }
    put_link(f, T1, &format!("G{r}"), a.link);
}

/// Answers Tabel 2 item `item` of indicator `n`.
pub fn put_evidence(f: &mut Filler, n: usize, item: char, status: &str, link: Link, remark: &str) {
    let r = t2_row(n, item);
    if !status.is_empty() {
        f.text(T2, &format!("D{r}"), status);
    }
    put_link(f, T2, &format!("E{r}"), link);
    if !remark.is_empty() {
        f.text(T2, &format!("F{r}"), remark);
    }
}

/// Activity texts per indicator, as an OPD would write them.
const ACTIVITIES: [(&str, &str); 4] = [
    (
        "Pembacaan nilai-nilai BerAKHLAK dan slogan \"Bangga Melayani Bangsa\"",
        "Apel Pagi",
    ),
    (
        "Penetapan Keputusan Kepala tentang nilai Budaya Kerja dan Agen Perubahan",
        "Kegiatan Rapat",
    ),
    (
        "Sosialisasi dan internalisasi nilai BerAKHLAK kepada seluruh pegawai",
        "Dokumen Bahan Tayang",
    ),
    (
        "Evaluasi penerapan Budaya Kerja oleh Tim Percepatan Pelaksanaan Reformasi Birokrasi Perangkat Daerah",
        "Media Sosial Perangkat Daerah",
    ),
];

/// A complete, correct report: two dated activities with Drive evidence under
/// every indicator and all eight evidence items "Ada" with their own Drive links.
/// Links are unique to `code`, so no two units share one. Scores 100, Level 5.
pub fn fill_complete(f: &mut Filler, code: &str, year: i32) {
    for n in 1..=4 {
        let (activity, media) = ACTIVITIES[n - 1];
        for slot in 0..2 {
            let link = drive(&format!("{code}-{n}-{slot}"));
            put_activity(
                f,
                n,
                slot,
                &Activity {
                    when: When::Date(ymd(year, 2 + 3 * slot as u32, 17)),
                    activity,
                    media,
                    problem: if slot == 1 {
                        "Sebagian pegawai bertugas lapangan"
                    } else {
                        ""
                    },
                    solution: if slot == 1 {
                        "Materi dibagikan melalui grup WhatsApp"
                    } else {
                        ""
                    },
                    link: Link::Hyperlink(&link),
                },
            );
        }
        for item in ['a', 'b'] {
            let link = drive(&format!("{code}-t2-{n}{item}"));
            put_evidence(f, n, item, "Ada", Link::Hyperlink(&link), "");
        }
    }
}

/// The usual mistakes, one per row, at known cells (the unit is Dinas
/// Perhubungan, `dishub`): a local path, a problem without a solution, missing
/// fields, text instead of a link, dates typed as text, an unrecognisable date, a
/// date in the wrong year, a twibbon on the 18th, http, YouTube, a "My Drive"
/// address, a HYPERLINK formula pointing at `shared_with` (another unit's
/// evidence), and on Tabel 2 a missing link, an empty and an invalid
/// Ketersediaan, a link next to "Belum Ada" and a local path.
pub fn fill_usual_mistakes(f: &mut Filler, shared_with: &str) {
    let ok = drive("dishub-ok");
    let a = |when, activity, media, link| Activity {
        when,
        activity,
        media,
        link,
        ..Activity::default()
    };
    // Indicator 1 (rows 8..): local path, problem without solution, missing fields + text.
    put_activity(
        f,
        1,
        0,
        &a(
            When::Text("17 Agustus 2026"),
            "Apel pagi",
            "Apel Pagi",
            Link::Text(r"C:\Users\dishub\Documents\foto apel.jpg"),
        ),
    );
    put_activity(
        f,
        1,
        1,
        &Activity {
            problem: "Pegawai terlambat hadir",
            ..a(
                When::Text("Januari s.d. Juni 2026"),
                "Apel pagi rutin",
                "Apel Pagi",
                Link::Hyperlink(&ok),
            )
        },
    );
    put_activity(
        f,
        1,
        2,
        &a(
            When::Text("Setiap hari Senin"),
            "",
            "",
            Link::Text("terlampir"),
        ),
    );
    // Indicator 2 (rows 24..): unrecognised date + javascript, date outside the year + my-drive.
    put_activity(
        f,
        2,
        0,
        &a(
            When::Text("kemarin sore"),
            "Rapat staf",
            "Kegiatan Rapat",
            Link::Text("javascript:alert(1)"),
        ),
    );
    put_activity(
        f,
        2,
        1,
        &a(
            When::Date(ymd(2025, 12, 17)),
            "Rapat evaluasi",
            "Kegiatan Rapat",
            Link::Hyperlink("https://drive.google.com/drive/my-drive"),
        ),
    );
    // Indicator 3 (rows 40..): twibbon on the 18th over http, a YouTube link.
    put_activity(
        f,
        3,
        0,
        &a(
            When::Date(ymd(2026, 3, 18)),
            "Pemasangan twibbon",
            "Twibbon BerAKHLAK (tanggal 17 setiap bulan)",
            Link::Text("http://drive.google.com/file/d/1abcdefghijkLMNOP/view"),
        ),
    );
    put_activity(
        f,
        3,
        1,
        &a(
            When::Text("1-5 Maret 2026"),
            "Video BerAKHLAK",
            "Multimedia",
            Link::Text("https://www.youtube.com/watch?v=abc123"),
        ),
    );
    // Indicator 4 (row 56): a HYPERLINK formula pointing at another unit's evidence.
    put_activity(
        f,
        4,
        0,
        &a(
            When::Text("17/08/2026"),
            "Monev budaya kerja",
            "Kegiatan Rapat",
            Link::Formula(shared_with),
        ),
    );
    // Tabel 2 (rows 6..13).
    put_evidence(f, 1, 'a', "Ada", Link::Hyperlink(&drive("dishub-1a")), "");
    put_evidence(f, 1, 'b', "Ada", Link::Empty, "menyusul");
    put_evidence(f, 2, 'b', "Sudah", Link::Empty, "");
    put_evidence(
        f,
        3,
        'a',
        "Belum Ada",
        Link::Hyperlink(&drive("dishub-3a")),
        "",
    );
    put_evidence(f, 3, 'b', "Belum Ada", Link::Empty, "");
    put_evidence(f, 4, 'a', "Ada", Link::Hyperlink(&drive("dishub-4a")), "");
    put_evidence(f, 4, 'b', "Ada", Link::Text("D:/bukti/sk-tim.pdf"), "");
}

/// Base64 with 76-character lines, for building e-mails.
pub fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for (i, chunk) in bytes.chunks(3).enumerate() {
        if i > 0 && i % 19 == 0 {
            out.push_str("\r\n");
        }
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(T[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A saved e-mail (.eml) from `from`, dated `date` (RFC 2822), with one
/// spreadsheet attachment called `name`.
pub fn email(from: &str, date: &str, name: &str, attachment: &[u8]) -> String {
    format!(
        "From: {from}\r\nTo: rb@serangkota.go.id\r\nSubject: Laporan Monev Budaya Kerja BerAKHLAK\r\nDate: {date}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"BATAS\"\r\n\r\n--BATAS\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBersama ini kami sampaikan laporan monitoring dan evaluasi penerapan Budaya Kerja BerAKHLAK.\r\n--BATAS\r\nContent-Type: application/octet-stream; name=\"{name}\"\r\nContent-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n--BATAS--\r\n",
        base64(attachment)
    )
}
