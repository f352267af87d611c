//! `monev contoh`: N realistic filled workbooks and the roster they belong
//! to, for demonstrations and benchmarks.
//!
//! The roster has N units with codes `opd-00001`, `opd-00002`, … and is
//! written as `opd.csv` beside the workbooks, so
//! `monev rekap FOLDER --opd FOLDER/opd.csv` reads them. Each workbook is the
//! unit's own template ([`crate::template`]) with its input cells filled the
//! way OPD staff fill them: dated activities with Google Drive evidence in
//! Tabel 1 and "Ada"/"Belum Ada" with links in Tabel 2.
//!
//! The mix (decided per unit from the seed, so the same seed always gives the
//! same files, byte for byte): about half complete reports, some partial
//! ones (fewer activities and evidence items, so scores spread over the
//! levels), reports with the usual mistakes (a local file path as evidence,
//! a date in another year, an empty Ketersediaan, an `http://` link, text
//! where a link belongs, "Belum Ada" with a link), reports saved after the
//! deadline, reports whose evidence links are shared by a group of about 33
//! units (as when a circular's link is pasted by every OPD), and units that
//! send nothing.
//!
//! The file format is decided per unit too ([`format`]): about 90 % .xlsx,
//! 5 % Excel 97-2003 .xls and 5 % OpenDocument .ods, as offices that save
//! in an older Excel or in LibreOffice send them. Every workbook is first
//! written as .xlsx with `rust_xlsxwriter`; an .xls or .ods unit's workbook
//! is that .xlsx read back into a format-neutral model ([`grid`], with
//! calamine) and written again by monev's own writers ([`biff`]: BIFF8 in an
//! OLE compound file; [`ods`]: an OpenDocument package). So the three carry
//! the same sheets, cell values, merged areas, hyperlinks (xls: HLINK
//! records; ods: `text:a`), column widths and document properties — the
//! identity custom properties included, as a LibreOffice conversion keeps
//! them — and the same unit reads back with the same findings and score in
//! any of the three. Formatting beyond number formats and wrapping is not
//! carried (see [`grid`]).

use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use rust_xlsxwriter::{
    ExcelDateTime, Format, FormatAlign, FormatBorder, Url, Workbook, Worksheet, XlsxError,
};

use crate::error::{Error, Result};
use crate::form::{Form, INDICATORS};
use crate::output::{Output, OutputKind};
use crate::roster::{Roster, Unit};
use crate::template::{
    self, T1_FIRST_GROUP_ROW, T1_INPUT_ROWS, T2_HEADER_ROW, properties, workbook,
};

mod biff;
mod grid;
mod ods;

/// The seed `monev contoh` uses unless told otherwise.
pub const SEED: u64 = 34_2023;
/// The roster's file name inside the output folder.
pub const ROSTER_FILE: &str = "opd.csv";
/// The most workbooks one run writes (codes have five digits).
pub const MAX_COUNT: usize = 99_999;
/// Units sharing one set of evidence links, in the "shared" kind.
pub const SHARED_GROUP: usize = 33;
pub use crate::identity::PROP_SAMPLE;

/// What `monev contoh` is asked to do.
#[derive(Debug, Clone)]
pub struct ContohConfig {
    /// Number of units (and at most that many workbooks), 1..=[`MAX_COUNT`].
    pub count: usize,
    /// The folder the workbooks and `opd.csv` go to.
    pub output_dir: PathBuf,
    /// Reporting year of the templates.
    pub year: i32,
    /// Seed of the mix; [`SEED`] by default.
    pub seed: u64,
}

/// What one unit sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Every indicator with two dated activities and all eight evidence items.
    Complete,
    /// Fewer activities and evidence items.
    Partial,
    /// The usual mistakes.
    Mistakes,
    /// Complete, but saved after the deadline.
    Late,
    /// Complete, with evidence links shared by its group of units.
    Shared,
    /// Nothing sent: no workbook.
    Missing,
}

/// SplitMix64: a small, well-known generator, enough for a reproducible mix
/// (never for anything secret).
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64, i: usize) -> Rng {
        let mut r = Rng(seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next();
        r
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The code of unit `i` (0-based): `opd-00001` for 0.
pub fn code(i: usize) -> String {
    format!("opd-{:05}", i + 1)
}

const KINDS_OF_UNIT: [&str; 8] = [
    "Dinas",
    "Badan",
    "Kecamatan",
    "Kelurahan",
    "Bagian",
    "UPTD",
    "Puskesmas",
    "Kantor",
];

/// The generated roster of `count` units: codes `opd-00001`…, names such as
/// "Dinas Contoh 00001", addresses at `contoh.example`.
pub fn roster(count: usize) -> Roster {
    Roster::new(
        (0..count)
            .map(|i| Unit {
                code: code(i),
                name: format!(
                    "{} Contoh {:05}",
                    KINDS_OF_UNIT[i % KINDS_OF_UNIT.len()],
                    i + 1
                ),
                email: Some(format!("{}@contoh.example", code(i))),
            })
            .collect(),
        ROSTER_FILE,
    )
}

/// The roster as CSV (`kode,nama,email`), as `--opd` reads it.
pub fn roster_csv(roster: &Roster) -> String {
    let mut out = String::from("kode,nama,email\n");
    for u in roster.units() {
        out.push_str(&format!(
            "{},{},{}\n",
            u.code,
            u.name,
            u.email.as_deref().unwrap_or("")
        ));
    }
    out
}

/// What unit `i` sends under `seed`: about 50 % complete, 15 % partial, 12 %
/// with mistakes, 8 % late, 10 % shared links, 5 % nothing.
pub fn kind(seed: u64, i: usize) -> Kind {
    match Rng::new(seed, i).below(100) {
        0..50 => Kind::Complete,
        50..65 => Kind::Partial,
        65..77 => Kind::Mistakes,
        77..85 => Kind::Late,
        85..95 => Kind::Shared,
        _ => Kind::Missing,
    }
}

/// The file format a sample workbook is saved in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleFormat {
    /// Office Open XML (.xlsx), as the template is.
    Xlsx,
    /// Excel 97-2003 (.xls, BIFF8).
    Xls,
    /// OpenDocument spreadsheet (.ods).
    Ods,
}

impl SampleFormat {
    /// The file name extension, without the dot: `xlsx`, `xls`, `ods`.
    pub fn ext(self) -> &'static str {
        match self {
            SampleFormat::Xlsx => "xlsx",
            SampleFormat::Xls => "xls",
            SampleFormat::Ods => "ods",
        }
    }
}

/// The format unit `i` saves its report in under `seed`: about 5 % .xls,
/// 5 % .ods, the rest .xlsx.
pub fn format(seed: u64, i: usize) -> SampleFormat {
    match Rng::new(seed ^ 0xF0A7, i).below(100) {
        0..5 => SampleFormat::Xls,
        5..10 => SampleFormat::Ods,
        _ => SampleFormat::Xlsx,
    }
}

/// The file name unit `i` sends its report under: mostly the template's own
/// name, sometimes renamed as people do; the extension is its [`format`]'s.
pub fn file_name(year: i32, i: usize, seed: u64) -> String {
    let c = code(i);
    let stem = match Rng::new(seed ^ 0xF11E, i).below(10) {
        0 => format!("Laporan Budaya Kerja {c} {year}"),
        1 => format!("monev-budaya-kerja-{year}-{c} (revisi)"),
        _ => format!("monev-budaya-kerja-{year}-{c}"),
    };
    format!("{stem}.{}", format(seed, i).ext())
}

/// A Google Drive file link with an id made from `seed`.
fn drive(seed: &str) -> String {
    let id: String = seed
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("https://drive.google.com/file/d/1{id}XyZ0123456789/view?usp=sharing")
}

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

/// The 0-based Tabel 1 row of input slot `slot` under indicator `n` (0-based).
fn t1_row(n: usize, slot: usize) -> u32 {
    T1_FIRST_GROUP_ROW + n as u32 * (T1_INPUT_ROWS + 1) + 1 + slot as u32
}

/// The 0-based Tabel 2 row of item b (`second`) or a of indicator `n` (0-based).
fn t2_row(n: usize, second: bool) -> u32 {
    T2_HEADER_ROW + 1 + 2 * n as u32 + u32::from(second)
}

/// The formats of filled input cells (as the template's, with values).
struct Cells {
    text: Format,
    date: Format,
}

impl Cells {
    fn new() -> Cells {
        let text = Format::new()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_unlocked();
        Cells {
            date: text.clone().set_num_format("dd/mm/yyyy"),
            text,
        }
    }
}

/// What goes into a link cell.
enum Link {
    Hyperlink(String),
    Text(String),
}

fn put_link(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    link: &Link,
    st: &Cells,
) -> Result<(), XlsxError> {
    match link {
        Link::Hyperlink(url) => {
            ws.write_url_with_options(row, col, Url::new(url), "Bukti", "", Some(&st.text))?;
        }
        Link::Text(t) => {
            ws.write_string_with_format(row, col, t, &st.text)?;
        }
    }
    Ok(())
}

/// Builds unit `i`'s filled workbook in its [`format`], or None when its
/// kind is [`Kind::Missing`]. Errors: [`Error::Workbook`].
pub fn build(form: &Form, unit: &Unit, year: i32, seed: u64, i: usize) -> Result<Option<Vec<u8>>> {
    build_as(form, unit, year, seed, i, format(seed, i))
}

/// [`build`], saved as `format` whatever the unit's own: the same content
/// in another file format (to compare how the formats read back). Errors:
/// [`Error::Workbook`].
pub fn build_as(
    form: &Form,
    unit: &Unit,
    year: i32,
    seed: u64,
    i: usize,
    format: SampleFormat,
) -> Result<Option<Vec<u8>>> {
    let kind = kind(seed, i);
    if kind == Kind::Missing {
        return Ok(None);
    }
    let failed = |reason: String| Error::Workbook {
        name: file_name(year, i, seed),
        reason,
    };
    let xlsx = build_kind(form, unit, year, seed, i, kind).map_err(|e| failed(e.to_string()))?;
    let bytes = match format {
        SampleFormat::Xlsx => xlsx,
        SampleFormat::Xls => {
            biff::write(&grid::from_xlsx(xlsx, &template::SHEET_WIDTHS).map_err(failed)?)
                .map_err(failed)?
        }
        SampleFormat::Ods => {
            ods::write(&grid::from_xlsx(xlsx, &template::SHEET_WIDTHS).map_err(failed)?)
                .map_err(failed)?
        }
    };
    Ok(Some(bytes))
}

fn build_kind(
    form: &Form,
    unit: &Unit,
    year: i32,
    seed: u64,
    i: usize,
    kind: Kind,
) -> Result<Vec<u8>, XlsxError> {
    let mut rng = Rng::new(seed ^ 0xF111, i);
    let deadline = form.deadline_date(year);
    // Saved some days before the deadline, or after it when late.
    let saved = if kind == Kind::Late {
        deadline + chrono::Duration::days(1 + rng.below(20) as i64)
    } else {
        deadline - chrono::Duration::days(1 + rng.below(40) as i64)
    };
    let saved = saved
        .and_hms_opt(8 + rng.below(9) as u32, rng.below(60) as u32, 0)
        .unwrap_or_default();
    let props = properties(form, unit, year)
        .set_creation_datetime(&saved)
        .set_custom_property(PROP_SAMPLE, "1");
    let mut wb = workbook(form, unit, year, &props)?;
    let st = Cells::new();
    fill_table1(&mut wb, form, unit, year, kind, seed, i, &mut rng, &st)?;
    fill_table2(&mut wb, unit, kind, seed, i, &mut rng, &st)?;
    wb.save_to_buffer()
}

/// The evidence link of a cell: the group's shared one for [`Kind::Shared`],
/// else the unit's own.
fn evidence(unit: &Unit, kind: Kind, seed: u64, i: usize, what: &str) -> Link {
    if kind == Kind::Shared {
        // Groups of about SHARED_GROUP shared units: about a tenth of units are
        // "shared", so a group spans ten times as many indices.
        let group = i / (SHARED_GROUP * 10);
        Link::Hyperlink(drive(&format!("bersama-{seed}-{group}-{what}")))
    } else {
        Link::Hyperlink(drive(&format!("{}-{what}", unit.code)))
    }
}

#[allow(clippy::too_many_arguments)]
fn fill_table1(
    wb: &mut Workbook,
    form: &Form,
    unit: &Unit,
    year: i32,
    kind: Kind,
    seed: u64,
    i: usize,
    rng: &mut Rng,
    st: &Cells,
) -> Result<(), XlsxError> {
    let ws = wb.worksheet_from_index(1)?;
    let labels = form.activation_labels();
    for (n, (activity, media)) in ACTIVITIES.iter().enumerate().take(INDICATORS) {
        let slots = match kind {
            Kind::Partial => rng.below(3) as usize,
            _ => 2 + rng.below(2) as usize,
        };
        for slot in 0..slots {
            let row = t1_row(n, slot);
            let month = 1 + (slot as u32 * 4 + rng.below(3) as u32) % 12;
            let day = 1 + rng.below(28) as u32;
            let mistake = kind == Kind::Mistakes && rng.below(3) == 0;
            let date_year = if mistake && rng.below(2) == 0 {
                year - 1
            } else {
                year
            };
            let date = NaiveDate::from_ymd_opt(date_year, month, day).unwrap_or_default();
            ws.write_datetime_with_format(
                row,
                1,
                ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)?,
                &st.date,
            )?;
            ws.write_string_with_format(row, 2, *activity, &st.text)?;
            let media = if rng.below(4) == 0 && !labels.is_empty() {
                labels[rng.below(labels.len() as u64) as usize]
            } else {
                media
            };
            ws.write_string_with_format(row, 3, media, &st.text)?;
            if slot == 1 {
                ws.write_string_with_format(
                    row,
                    4,
                    "Sebagian pegawai bertugas lapangan",
                    &st.text,
                )?;
                if !(mistake && rng.below(2) == 0) {
                    ws.write_string_with_format(
                        row,
                        5,
                        "Materi dibagikan melalui grup WhatsApp",
                        &st.text,
                    )?;
                }
            }
            let link = if mistake {
                match rng.below(3) {
                    0 => Link::Text(format!(
                        r"C:\Users\{}\Documents\bukti kegiatan {}.jpg",
                        unit.code,
                        slot + 1
                    )),
                    1 => Link::Hyperlink(format!(
                        "http://drive.google.com/file/d/1{}x{n}{slot}/view",
                        unit.code.replace('-', "")
                    )),
                    _ => Link::Text("terlampir".to_string()),
                }
            } else {
                evidence(unit, kind, seed, i, &format!("t1-{n}-{slot}"))
            };
            put_link(ws, row, 6, &link, st)?;
        }
    }
    Ok(())
}

fn fill_table2(
    wb: &mut Workbook,
    unit: &Unit,
    kind: Kind,
    seed: u64,
    i: usize,
    rng: &mut Rng,
    st: &Cells,
) -> Result<(), XlsxError> {
    let ws = wb.worksheet_from_index(2)?;
    for n in 0..INDICATORS {
        for second in [false, true] {
            let row = t2_row(n, second);
            let item = if second { 'b' } else { 'a' };
            let link = evidence(unit, kind, seed, i, &format!("t2-{n}{item}"));
            let have = match kind {
                Kind::Partial => rng.below(2) == 0,
                _ => true,
            };
            let mistake = kind == Kind::Mistakes && rng.below(4) == 0;
            match (have, mistake) {
                (true, false) => {
                    ws.write_string_with_format(row, 3, "Ada", &st.text)?;
                    put_link(ws, row, 4, &link, st)?;
                }
                (false, false) => {
                    ws.write_string_with_format(row, 3, "Belum Ada", &st.text)?;
                    ws.write_string_with_format(row, 5, "Sedang disusun", &st.text)?;
                }
                (_, true) => match rng.below(2) {
                    // Ketersediaan left empty, link given.
                    0 => put_link(ws, row, 4, &link, st)?,
                    // "Belum Ada" with a link.
                    _ => {
                        ws.write_string_with_format(row, 3, "Belum Ada", &st.text)?;
                        put_link(ws, row, 4, &link, st)?;
                    }
                },
            }
        }
    }
    Ok(())
}

/// Where unit `i`'s workbook goes.
pub fn path(config: &ContohConfig, i: usize) -> PathBuf {
    config
        .output_dir
        .join(file_name(config.year, i, config.seed))
}

/// The roster file's path.
pub fn roster_path(config: &ContohConfig) -> PathBuf {
    config.output_dir.join(ROSTER_FILE)
}

/// Builds the filled workbooks of units `range` of `roster` in memory, in
/// parallel, in unit order; the caller writes them through [`crate::output`].
/// Errors: [`Error::Workbook`].
pub fn build_range(
    form: &Form,
    roster: &Roster,
    config: &ContohConfig,
    range: std::ops::Range<usize>,
    progress: &dyn crate::rekap::Progress,
) -> Result<Vec<Output<'static>>> {
    let built: Vec<Option<Output<'static>>> = roster.units()[range.clone()]
        .par_iter()
        .zip(range)
        .map(|(unit, i)| {
            let bytes = build(form, unit, config.year, config.seed, i)?;
            progress.read(&unit.code);
            Ok(bytes.map(|bytes| Output::bytes(path(config, i), OutputKind::Sample, bytes)))
        })
        .collect::<Result<_>>()?;
    Ok(built.into_iter().flatten().collect())
}
