//! Filling generated templates the way OPD staff do: activities under an
//! indicator of Tabel 1 and answers on Tabel 2, addressed by indicator and slot
//! rather than by raw cell, so tests read like the form. Shared by the
//! integration tests, the benchmark and `examples/sampel.rs`.

use chrono::NaiveDate;
use monev::template::{T1_FIRST_GROUP_ROW, T1_INPUT_ROWS, T2_HEADER_ROW};

use super::Filler;

/// Tabel 1's sheet name.
pub const T1: &str = "Tabel 1";
/// Tabel 2's sheet name.
pub const T2: &str = "Tabel 2";

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
