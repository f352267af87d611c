//! Print-readiness and auditability of everything monev writes: a template, a
//! rekap (from `samples/masuk` through the binary) and a feedback workbook are
//! converted to PDF with LibreOffice (`soffice --headless --convert-to pdf`),
//! their pages rendered to PNG with `pdftoppm`, and checked:
//!
//! - the page count stays within bounds and every page has its print title
//!   and "Halaman i dari n";
//! - no two words of a page are printed on top of each other, and the words of
//!   every wrapped cell appear in the PDF (nothing clipped away);
//! - computed from the workbook alone (calamine for the texts, the sheet XML
//!   for row heights, column widths, merges and wrap formats): no wrapped cell
//!   needs more lines than its row's height allows.
//!
//! The PDF tests skip with a printed reason when soffice or pdftoppm is
//! missing, and their layout checks when neither Calibri nor its
//! metric-compatible Carlito is installed (another font changes every line
//! break). The rekap's scores are also recomputed from its own cells.

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use calamine::{Data, DataType, Reader, Xlsx, open_workbook};
use common::scenario::{Link, fill_complete, fill_template, put_evidence};
use monev::report::workbook::{
    CHART, CHART_COLUMNS, DETAIL, DETAIL_COLUMNS, DETAIL_HEADER_ROW, SUMMARY, SUMMARY_COLUMNS,
    SUMMARY_HEADER_ROW,
};
use monev::style::col;
use quick_xml::events::Event;
use quick_xml::reader::Reader as XmlReader;

const YEAR: i32 = 2026;

// ---------------------------------------------------------------------------
// Tools

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
}

/// soffice, pdftoppm and pdftotext are all installed; else prints why the
/// calling test is skipped.
fn tools() -> bool {
    if common::soffice().is_none() {
        return false;
    }
    for tool in ["pdftoppm", "pdftotext"] {
        if !on_path(tool) {
            eprintln!("skipped: {tool} not installed (apt-get install -y poppler-utils)");
            return false;
        }
    }
    true
}

/// Calibri or Carlito (same metrics) is what LibreOffice will draw with; else
/// prints why the layout checks are skipped.
fn calibri_metrics() -> bool {
    let out = Process::new("fc-match")
        .arg("Calibri")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let ok = out.contains("Carlito") || out.contains("Calibri");
    if !ok {
        eprintln!(
            "layout checks skipped: neither Calibri nor Carlito installed (apt-get install -y fonts-crosextra-carlito); fc-match says {out:?}"
        );
    }
    ok
}

/// Converts a workbook to PDF with LibreOffice (own profile, time limit).
fn to_pdf(src: &Path, out_dir: &Path) -> PathBuf {
    fs::create_dir_all(out_dir).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let profile_url = url::Url::from_file_path(profile.path()).unwrap();
    let mut child = Process::new("soffice")
        .arg("--headless")
        .arg("--norestore")
        .arg(format!("-env:UserInstallation={profile_url}"))
        .arg("--convert-to")
        .arg("pdf")
        .arg("--outdir")
        .arg(out_dir)
        .arg(src)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start soffice");
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > common::SOFFICE_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("soffice did not convert {} in time", src.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let pdf = out_dir.join(format!(
        "{}.pdf",
        src.file_stem().unwrap().to_string_lossy()
    ));
    assert!(pdf.is_file(), "soffice wrote no PDF for {}", src.display());
    // MONEV_PRINT_DIR=folder keeps a copy of every PDF, to look at.
    if let Some(keep) = std::env::var_os("MONEV_PRINT_DIR") {
        let keep = PathBuf::from(keep);
        fs::create_dir_all(&keep).unwrap();
        fs::copy(&pdf, keep.join(pdf.file_name().unwrap())).unwrap();
    }
    pdf
}

/// Renders every page to PNG; returns the images, in page order.
fn render(pdf: &Path, out_dir: &Path) -> Vec<PathBuf> {
    fs::create_dir_all(out_dir).unwrap();
    let prefix = out_dir.join("page");
    let status = Process::new("pdftoppm")
        .args(["-r", "40", "-png"])
        .arg(pdf)
        .arg(&prefix)
        .status()
        .expect("run pdftoppm");
    assert!(status.success(), "pdftoppm failed on {}", pdf.display());
    let mut pngs: Vec<PathBuf> = fs::read_dir(out_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    pngs.sort();
    for p in &pngs {
        let bytes = fs::read(p).unwrap();
        assert!(
            bytes.starts_with(b"\x89PNG") && bytes.len() > 1000,
            "{} is not a rendered page",
            p.display()
        );
    }
    pngs
}

/// One word of a PDF page with its box (points).
#[derive(Debug, Clone)]
struct Word {
    text: String,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

/// One PDF page: size and words.
#[derive(Debug, Clone)]
struct PdfPage {
    width: f64,
    height: f64,
    words: Vec<Word>,
}

impl PdfPage {
    fn text(&self) -> String {
        self.words
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The pages of a PDF with their words (`pdftotext -bbox`).
fn pdf_pages(pdf: &Path) -> Vec<PdfPage> {
    let out = Process::new("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    assert!(out.status.success(), "pdftotext failed");
    let xml = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut reader = XmlReader::from_str(&xml);
    let mut pages: Vec<PdfPage> = Vec::new();
    let mut word: Option<Word> = None;
    let attr = |e: &quick_xml::events::BytesStart, name: &str| -> f64 {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == name)
            .and_then(|a| a.value.parse().ok())
            .unwrap_or(0.0)
    };
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "page" => pages.push(PdfPage {
                width: attr(&e, "width"),
                height: attr(&e, "height"),
                words: Vec::new(),
            }),
            Ok(Event::Start(e)) if e.local_name().as_ref() == "word" => {
                word = Some(Word {
                    text: String::new(),
                    x0: attr(&e, "xMin"),
                    y0: attr(&e, "yMin"),
                    x1: attr(&e, "xMax"),
                    y1: attr(&e, "yMax"),
                });
            }
            Ok(Event::Text(t)) => {
                if let Some(w) = word.as_mut() {
                    w.text.push_str(&t.xml10_content());
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let Some(w) = word.as_mut() {
                    match r.resolve_char_ref().ok().flatten() {
                        Some(c) => w.text.push(c),
                        None => w.text.push_str(
                            quick_xml::escape::resolve_predefined_entity(&r).unwrap_or(""),
                        ),
                    }
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "word" => {
                if let (Some(w), Some(p)) = (word.take(), pages.last_mut()) {
                    p.words.push(w);
                }
            }
            Ok(Event::Eof) => break,
            Err(e) => panic!("pdftotext output: {e}"),
            _ => {}
        }
    }
    pages
}

/// Words printed on top of each other: pairs whose boxes overlap by more than
/// a third of the smaller box in both directions.
fn overprinted(page: &PdfPage) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let w = &page.words;
    for i in 0..w.len() {
        for j in i + 1..w.len() {
            let (a, b) = (&w[i], &w[j]);
            let dx = a.x1.min(b.x1) - a.x0.max(b.x0);
            let dy = a.y1.min(b.y1) - a.y0.max(b.y0);
            let min_w = (a.x1 - a.x0).min(b.x1 - b.x0);
            let min_h = (a.y1 - a.y0).min(b.y1 - b.y0);
            if dx > min_w / 3.0 && dy > min_h / 3.0 && min_w > 0.5 {
                found.push((a.text.clone(), b.text.clone()));
            }
        }
    }
    found
}

// ---------------------------------------------------------------------------
// Reading layout from the workbook

/// One sheet's layout: column widths (characters), row heights (points),
/// merged ranges and the style of each cell.
struct Layout {
    widths: HashMap<u32, f64>,
    heights: HashMap<u32, f64>,
    merges: Vec<(u32, u32, u32, u32)>,
    styles: HashMap<(u32, u32), u32>,
}

impl Layout {
    fn read(xlsx: &Path, sheet: &str) -> Layout {
        let xml = common::sheet_xml(xlsx, sheet);
        let mut widths = HashMap::new();
        for c in common::elements(&xml, "col") {
            let min: u32 = c["min"].parse().unwrap();
            let max: u32 = c["max"].parse().unwrap();
            let w: f64 = c.get("width").map_or(8.43, |w| w.parse().unwrap());
            for i in min..=max.min(min + 200) {
                widths.insert(i - 1, w);
            }
        }
        let heights = common::elements(&xml, "row")
            .into_iter()
            .filter_map(|r| {
                Some((
                    r["r"].parse::<u32>().ok()? - 1,
                    r.get("ht")?.parse::<f64>().ok()?,
                ))
            })
            .collect();
        let merges = common::elements(&xml, "mergeCell")
            .into_iter()
            .map(|m| {
                let (a, b) = m["ref"].split_once(':').unwrap();
                let (r0, c0) = common::pos(a);
                let (r1, c1) = common::pos(b);
                (r0, c0, r1, c1)
            })
            .collect();
        let styles = common::elements(&xml, "c")
            .into_iter()
            .filter_map(|c| Some((common::pos(&c["r"]), c.get("s")?.parse().ok()?)))
            .collect();
        Layout {
            widths,
            heights,
            merges,
            styles,
        }
    }

    fn width(&self, col: u32) -> f64 {
        self.widths.get(&col).copied().unwrap_or(8.43)
    }

    fn height(&self, row: u32) -> f64 {
        self.heights.get(&row).copied().unwrap_or(15.0)
    }

    /// The cell's printable box: total width of its merge (characters) and
    /// total height of its merge (points).
    fn area(&self, row: u32, col: u32) -> (f64, f64) {
        match self
            .merges
            .iter()
            .find(|(r0, c0, r1, c1)| (*r0..=*r1).contains(&row) && (*c0..=*c1).contains(&col))
        {
            Some(&(r0, c0, r1, c1)) => (
                (c0..=c1).map(|c| self.width(c)).sum(),
                (r0..=r1).map(|r| self.height(r)).sum(),
            ),
            None => (self.width(col), self.height(row)),
        }
    }
}

/// Style indexes (cellXfs) that wrap text.
fn wrapping_styles(xlsx: &Path) -> HashSet<u32> {
    let styles = common::zip_text(xlsx, "xl/styles.xml").unwrap();
    let mut reader = XmlReader::from_str(&styles);
    let mut in_xfs = false;
    let mut index: i64 = -1;
    let mut wrap = HashSet::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "cellXfs" => in_xfs = true,
                "xf" if in_xfs => index += 1,
                "alignment"
                    if in_xfs
                        && e.attributes().flatten().any(|a| {
                            a.key.as_ref() == "wrapText" && matches!(a.value.as_ref(), "1" | "true")
                        }) =>
                {
                    wrap.insert(index as u32);
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "cellXfs" => in_xfs = false,
            Event::Eof => break,
            _ => {}
        }
    }
    wrap
}

/// Lines a text needs in Calibri 11 in a column `width` characters wide:
/// an independent, plain estimate (average glyph widths in pixels at 96 dpi,
/// a "0" is 7 px; wide characters 14 px), wrapping at spaces.
fn lines_needed(text: &str, width: f64) -> usize {
    let px = |c: char| -> f64 {
        if unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) >= 2 {
            14.0
        } else if c.is_uppercase() {
            7.5
        } else if c == ' ' || c.is_ascii_punctuation() {
            3.5
        } else {
            6.2
        }
    };
    let room = width * 7.0 + 5.0 - 6.0;
    text.split('\n')
        .map(|para| {
            let mut lines = 1;
            let mut used = 0.0;
            for word in para.split(' ') {
                let w: f64 = word.chars().map(px).sum();
                let add = if used > 0.0 { px(' ') + w } else { w };
                if used + add <= room {
                    used += add;
                } else {
                    // A new line; a word longer than a line is broken.
                    if used > 0.0 {
                        lines += 1;
                    }
                    let extra = ((w / room).ceil() as usize).max(1) - 1;
                    lines += extra;
                    used = w - extra as f64 * room;
                }
            }
            lines
        })
        .sum()
}

/// Every wrapped text cell of every sheet whose text needs more lines than its
/// row (or merged rows) can show, as "Sheet!A1: n lines in h pt".
fn short_rows(xlsx: &Path) -> Vec<String> {
    let wrap = wrapping_styles(xlsx);
    let mut wb: Xlsx<_> = open_workbook(xlsx).unwrap();
    let mut bad = Vec::new();
    for sheet in wb.sheet_names() {
        if sheet.starts_with('_') {
            continue;
        }
        let layout = Layout::read(xlsx, &sheet);
        let range = wb.worksheet_range(&sheet).unwrap();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, v) in range.used_cells() {
            let (row, col) = (r0 + r as u32, c0 + c as u32);
            let Data::String(text) = v else { continue };
            if !layout
                .styles
                .get(&(row, col))
                .is_some_and(|s| wrap.contains(s))
            {
                continue;
            }
            let (width, height) = layout.area(row, col);
            let lines = lines_needed(text, width);
            // Calibri 11 needs about 14.3 points a line.
            if (lines as f64) * 14.3 > height + 0.5 {
                bad.push(format!(
                    "{sheet}!{}: {lines} lines in {height} pt ({text:.40})",
                    common::a1(row, col)
                ));
            }
        }
    }
    bad
}

/// The words of every wrapped cell that fit on one line of their cell, missing
/// from the PDF (text cut off). LibreOffice may still break a word at a
/// hyphen, slash or backslash, so a word counts as printed when it appears in
/// a page's text with the spaces removed.
fn missing_words(xlsx: &Path, pages: &[PdfPage]) -> Vec<String> {
    let printed: HashSet<&str> = pages
        .iter()
        .flat_map(|p| p.words.iter().map(|w| w.text.as_str()))
        .collect();
    let joined: Vec<String> = pages
        .iter()
        .map(|p| p.words.iter().map(|w| w.text.as_str()).collect())
        .collect();
    let wrap = wrapping_styles(xlsx);
    let mut wb: Xlsx<_> = open_workbook(xlsx).unwrap();
    let mut missing = Vec::new();
    for sheet in wb.sheet_names() {
        if sheet.starts_with('_') {
            continue;
        }
        let layout = Layout::read(xlsx, &sheet);
        let range = wb.worksheet_range(&sheet).unwrap();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, v) in range.used_cells() {
            let (row, col) = (r0 + r as u32, c0 + c as u32);
            let Data::String(text) = v else { continue };
            if !layout
                .styles
                .get(&(row, col))
                .is_some_and(|s| wrap.contains(s))
            {
                continue;
            }
            let (width, _) = layout.area(row, col);
            for word in text.split_whitespace() {
                let fits = (word.chars().count() as f64) < width * 0.8;
                if fits && !printed.contains(word) && !joined.iter().any(|j| j.contains(word)) {
                    missing.push(format!("{sheet}!{}: {word}", common::a1(row, col)));
                }
            }
        }
    }
    missing
}

/// The common print checks of one output: page count within `pages`, every
/// page titled and numbered, no overprinted words, no text cut off, pages
/// rendered to PNG. Returns the PDF's pages.
fn check_print(
    xlsx: &Path,
    dir: &Path,
    pages: std::ops::RangeInclusive<usize>,
    title: &str,
) -> Option<Vec<PdfPage>> {
    let bad = short_rows(xlsx);
    assert!(
        bad.is_empty(),
        "rows too short for their text:\n{}",
        bad.join("\n")
    );
    if !tools() {
        return None;
    }
    let pdf = to_pdf(xlsx, &dir.join("pdf"));
    let pngs = render(&pdf, &dir.join("png"));
    let got = pdf_pages(&pdf);
    assert_eq!(pngs.len(), got.len(), "one picture per page");
    if !calibri_metrics() {
        return None;
    }
    assert!(
        pages.contains(&got.len()),
        "{}: {} pages, expected {pages:?}",
        xlsx.display(),
        got.len()
    );
    let n = got.len();
    for (i, page) in got.iter().enumerate() {
        let text = page.text();
        assert!(
            text.contains(&format!("Halaman {} dari {n}", i + 1)),
            "page {}: no page number: {text:.200}",
            i + 1
        );
        assert!(
            text.contains(title),
            "page {}: no print title {title:?}: {text:.200}",
            i + 1
        );
        let over = overprinted(page);
        assert!(
            over.is_empty(),
            "page {}: overprinted words {over:?}",
            i + 1
        );
    }
    let missing = missing_words(xlsx, &got);
    assert!(missing.is_empty(), "text cut off:\n{}", missing.join("\n"));
    Some(got)
}

// ---------------------------------------------------------------------------
// Outputs

/// The rekap (and JSON and feedback) of `samples/masuk`, through the binary.
fn sample_rekap(dir: &Path) -> (PathBuf, serde_json::Value, PathBuf) {
    let out = dir.join("rekap.xlsx");
    let json = dir.join("rekap.json");
    let feedback = dir.join("umpan-balik");
    Command::cargo_bin("monev")
        .unwrap()
        .args(["rekap", "--senyap", "--tahun", "2026"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/masuk"))
        .arg("-o")
        .arg(&out)
        .arg("--json")
        .arg(&json)
        .arg("--umpan-balik")
        .arg(&feedback)
        .assert()
        .success();
    let j = serde_json::from_slice(&fs::read(&json).unwrap()).unwrap();
    (out, j, feedback)
}

#[test]
fn template_prints_on_a4_with_titles_page_numbers_and_no_clipped_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::generate(dir.path(), YEAR, &["dinkes"]).remove(0);
    let Some(pages) = check_print(&path, dir.path(), 6..=10, "Dinas Kesehatan — 2026") else {
        return;
    };
    // The Petunjuk (page 1) is portrait; the tables are landscape.
    assert!(pages[0].height > pages[0].width, "Petunjuk is portrait");
    assert!(
        pages[1..].iter().all(|p| p.width > p.height),
        "tables are landscape"
    );
    // Lines may break after a hyphen: compare without spaces.
    let all: String = pages.iter().map(|p| p.text().replace(' ', "")).collect();
    assert!(
        all.contains("selambat-lambatnyabulanAgustus2026"),
        "{all:.600}"
    );
    assert!(all.contains("31Agustus2026"));
}

#[test]
fn rekap_prints_on_a4_with_every_opd_name_whole_and_kegiatan_landscape() {
    let dir = tempfile::tempdir().unwrap();
    let (xlsx, _, _) = sample_rekap(dir.path());
    let Some(pages) = check_print(
        &xlsx,
        dir.path(),
        15..=35,
        "Rekapitulasi Monev Budaya Kerja",
    ) else {
        return;
    };
    let sheet_pages = |sheet: &str| -> Vec<&PdfPage> {
        pages
            .iter()
            .filter(|p| p.text().contains(&format!("BerAKHLAK {YEAR} — {sheet}")))
            .collect()
    };
    for sheet in [
        SUMMARY,
        CHART,
        DETAIL,
        "Kegiatan",
        "Data Dukung",
        "Temuan",
        "Berkas",
        "Tentang",
    ] {
        assert!(!sheet_pages(sheet).is_empty(), "{sheet} prints");
    }
    for p in sheet_pages("Kegiatan") {
        assert!(p.width > p.height, "Kegiatan prints landscape");
        // Two parts side by side, each whole: no column spills onto a third page.
        let text = p.text();
        let part1 = text.contains("Kegiatan Bentuk/") && text.contains("Perangkat Daerah");
        let part2 = text.contains("Permasalahan") && text.contains("Status Berkas");
        assert!(
            part1 || part2,
            "a Kegiatan page of neither part: {text:.300}"
        );
        // "Baris" and "No." are apart.
        let baris = p.words.iter().find(|w| w.text == "Baris");
        let no = p.words.iter().find(|w| w.text == "No.");
        if let (Some(b), Some(n)) = (baris, no) {
            assert!(n.x0 - b.x1 > 10.0, "Baris and No. run together");
        }
    }
    // Every OPD's name and every level description print whole on Ringkasan.
    let summary: HashSet<String> = sheet_pages(SUMMARY)
        .iter()
        .flat_map(|p| p.words.iter().map(|w| w.text.clone()))
        .collect();
    for u in common::roster().units() {
        for word in u.name.split_whitespace() {
            assert!(summary.contains(word), "{}: {word} not printed", u.name);
        }
    }
    let rubric = monev::score::Rubric::embedded().unwrap();
    for l in &rubric.levels {
        for word in l.description.split_whitespace() {
            assert!(summary.contains(word), "{}: {word} not printed", l.name);
        }
    }
}

#[test]
fn feedback_prints_on_a4_with_titles_and_page_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let (_, _, feedback) = sample_rekap(dir.path());
    let path = feedback.join("umpan-balik-2026-dishub.xlsx");
    // Catatan Perbaikan, then this year's template holding dishub's entries.
    check_print(&path, dir.path(), 8..=14, "Dinas Perhubungan");
}

#[test]
fn chart_labels_every_reporting_opd_by_score_and_lists_the_rest_apart() {
    let dir = tempfile::tempdir().unwrap();
    let form = common::form();
    let roster = common::roster();
    let masuk = dir.path().join("masuk");
    fs::create_dir_all(&masuk).unwrap();
    // 30 of 34 report; their scores differ (indicator 4 items dropped for some).
    let reporting = &roster.units()[..30];
    for (i, u) in reporting.iter().enumerate() {
        fill_template(
            &form,
            u,
            YEAR,
            dir.path(),
            "2026-08-20T09:00:00Z",
            &masuk.join(format!("{}.xlsx", u.code)),
            |f| {
                fill_complete(f, &u.code, YEAR);
                for n in (4 - i % 4 + 1)..=4 {
                    put_evidence(f, n, 'a', "Belum Ada", Link::Empty, "");
                }
            },
        );
    }
    let out = dir.path().join("rekap.xlsx");
    Command::cargo_bin("monev")
        .unwrap()
        .args(["rekap", "--senyap", "--tahun", "2026"])
        .arg(&masuk)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    // The chart's data: one row per reporting OPD, highest score first.
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let grafik = wb.worksheet_range(CHART).unwrap();
    let name_col = col(&CHART_COLUMNS, "Perangkat Daerah") as usize;
    let score_col = col(&CHART_COLUMNS, "Skor") as usize;
    let ranked: Vec<(String, f64)> = grafik
        .rows()
        .filter(|r| r.len() > score_col && matches!(r[score_col], Data::Float(_)))
        .map(|r| (r[name_col].to_string(), r[score_col].as_f64().unwrap()))
        .collect();
    assert_eq!(ranked.len(), 30, "{ranked:?}");
    assert!(
        ranked.windows(2).all(|w| w[0].1 >= w[1].1),
        "ordered by score"
    );
    let names: HashSet<&str> = ranked.iter().map(|(n, _)| n.as_str()).collect();
    for u in reporting {
        assert!(names.contains(u.name.as_str()), "{} charted", u.name);
    }
    let missing_line = grafik.get_value((1, 0)).unwrap().to_string();
    for u in &roster.units()[30..] {
        assert!(!names.contains(u.name.as_str()), "{} sent nothing", u.name);
        assert!(missing_line.contains(&u.name), "{missing_line}");
    }
    // Every category is labelled, none skipped.
    let chart = common::zip_text(&out, "xl/charts/chart1.xml").unwrap();
    assert!(
        chart.contains("<c:tickLblSkip val=\"1\"/>"),
        "every label shown"
    );
    if !tools() || !calibri_metrics() {
        return;
    }
    let pdf = to_pdf(&out, &dir.path().join("pdf"));
    let pages = pdf_pages(&pdf);
    let chart_page = pages
        .iter()
        .find(|p| p.text().contains(&format!("BerAKHLAK {YEAR} — {CHART}")))
        .expect("the chart prints");
    assert!(
        chart_page.height > chart_page.width,
        "chart page is portrait"
    );
    let text = chart_page.text();
    for u in reporting {
        // Long names may be shortened by the chart; the first words show.
        let start: Vec<&str> = u.name.split_whitespace().take(2).collect();
        assert!(
            text.contains(&start.join(" ")),
            "{} not labelled on the chart page",
            u.name
        );
    }
}

#[test]
fn every_score_recomputes_from_the_rekaps_own_cells() {
    let dir = tempfile::tempdir().unwrap();
    let (xlsx, json, _) = sample_rekap(dir.path());
    let rubric = monev::score::Rubric::embedded().unwrap();
    let mut wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let detail = wb.worksheet_range(DETAIL).unwrap();
    let c = |h: &str| col(&DETAIL_COLUMNS, h) as usize;
    // code -> indicator -> (a, b, activity, total)
    let mut points: BTreeMap<String, BTreeMap<u32, [f64; 4]>> = BTreeMap::new();
    for row in detail.rows().skip(DETAIL_HEADER_ROW as usize + 1) {
        let num = |h: &str| {
            row[c(h)]
                .as_f64()
                .unwrap_or_else(|| panic!("{h} is a number: {:?}", row[c(h)]))
        };
        let (a, b, act) = (
            num("Poin Butir a"),
            num("Poin Butir b"),
            num("Poin Kegiatan"),
        );
        assert!([0.0, f64::from(rubric.item_points)].contains(&a));
        assert!([0.0, f64::from(rubric.item_points)].contains(&b));
        assert!([0.0, f64::from(rubric.activity_points)].contains(&act));
        // Each point traces to a cell.
        if a > 0.0 {
            assert!(
                row[c("Sel Butir a (Ketersediaan)")]
                    .to_string()
                    .contains('!')
            );
        }
        if b > 0.0 {
            assert!(
                row[c("Sel Butir b (Ketersediaan)")]
                    .to_string()
                    .contains('!')
            );
        }
        if act > 0.0 {
            assert!(!row[c("Sel Kegiatan Sah Pertama")].to_string().is_empty());
        }
        assert_eq!(num("Jumlah Poin"), a + b + act);
        points
            .entry(row[c("Kode")].to_string())
            .or_default()
            .insert(num("Indikator") as u32, [a, b, act, a + b + act]);
    }
    let summary = wb.worksheet_range(SUMMARY).unwrap();
    let s = |h: &str| u32::from(col(&SUMMARY_COLUMNS, h));
    let units = json["units"].as_array().unwrap();
    let mut scored = 0;
    for (i, u) in units.iter().enumerate() {
        let code = u["code"].as_str().unwrap();
        let row = SUMMARY_HEADER_ROW + 1 + i as u32;
        let cell = |h: &str| {
            summary
                .get_value((row, s(h)))
                .cloned()
                .unwrap_or(Data::Empty)
        };
        let Some(score) = u["score"].as_f64() else {
            assert!(!points.contains_key(code), "{code} sent nothing");
            assert_eq!(cell("Skor"), Data::Empty);
            continue;
        };
        scored += 1;
        let ind = &points[code];
        let total: f64 = ind.values().map(|p| p[3]).sum();
        assert_eq!(total, score, "{code}: score from Rincian Skor");
        assert_eq!(cell("Skor").as_f64(), Some(score), "{code}: Ringkasan");
        for (k, j) in u["indicators"].as_array().unwrap().iter().enumerate() {
            let n = k as u32 + 1;
            assert_eq!(
                ind[&n][3],
                j["points"].as_f64().unwrap(),
                "{code} indicator {n}"
            );
            assert_eq!(
                cell(&format!("Indikator {n}")).as_f64(),
                Some(ind[&n][3]),
                "{code}"
            );
        }
        let full = f64::from(rubric.indicator_points());
        let level = 1.0 + (1..=4).take_while(|n| ind[n][3] == full).count() as f64;
        assert_eq!(Some(level), u["level"].as_f64(), "{code}: level");
        assert_eq!(cell("Level Maturitas").as_f64(), Some(level));
    }
    assert_eq!(
        scored, 8,
        "the eight sample OPDs that reported (five files, three in the mailbox)"
    );
    // Averages and counts are numbers, not text.
    let numbers: Vec<&Data> = summary
        .used_cells()
        .map(|(_, _, v)| v)
        .filter(|v| matches!(v, Data::String(t) if t.chars().all(|c| c.is_ascii_digit() || c == ',') && !t.is_empty()))
        .collect();
    assert!(numbers.is_empty(), "numbers written as text: {numbers:?}");
}

/// `monev rekap --senyap --tahun 2026 --opd ROSTER MASUK -o OUT` (it must succeed).
fn rekap_with_roster(roster: &Path, masuk: &Path, out: &Path) {
    Command::cargo_bin("monev")
        .unwrap()
        .args(["rekap", "--senyap", "--tahun", "2026", "--opd"])
        .arg(roster)
        .arg(masuk)
        .arg("-o")
        .arg(out)
        .assert()
        .success();
}

#[test]
fn chart_of_a_60_unit_roster_labels_every_name_on_one_page() {
    let dir = tempfile::tempdir().unwrap();
    let form = common::form();
    // A roster of 60 with long names; each answers Tabel 2 only, with 1 to 8
    // items "Ada" (none would be an empty template), so the scores spread.
    let units: Vec<monev::roster::Unit> = (1..=60)
        .map(|i| monev::roster::Unit {
            code: format!("upt{i:02}"),
            name: format!("Unit Pelaksana Teknis Daerah Pelayanan Wilayah {i:02}"),
            email: None,
        })
        .collect();
    let csv: String = std::iter::once("kode,nama,email".to_string())
        .chain(units.iter().map(|u| format!("{},{},", u.code, u.name)))
        .collect::<Vec<_>>()
        .join("\n");
    let roster = dir.path().join("opd.csv");
    fs::write(&roster, csv).unwrap();
    let masuk = dir.path().join("masuk");
    fs::create_dir_all(&masuk).unwrap();
    for (i, u) in units.iter().enumerate() {
        fill_template(
            &form,
            u,
            YEAR,
            dir.path(),
            "2026-08-20T09:00:00Z",
            &masuk.join(format!("{}.xlsx", u.code)),
            |f| {
                for k in 0..=(i % 8) {
                    let (n, item) = (k / 2 + 1, if k % 2 == 0 { 'a' } else { 'b' });
                    let link = common::scenario::drive(&format!("{}-{n}{item}", u.code));
                    put_evidence(f, n, item, "Ada", Link::Hyperlink(&link), "");
                }
            },
        );
    }
    let out = dir.path().join("rekap.xlsx");
    rekap_with_roster(&roster, &masuk, &out);
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let grafik = wb.worksheet_range(CHART).unwrap();
    let score_col = col(&CHART_COLUMNS, "Skor") as usize;
    let charted = grafik
        .rows()
        .filter(|r| r.len() > score_col && matches!(r[score_col], Data::Float(_)))
        .count();
    assert_eq!(charted, 60);
    if !tools() || !calibri_metrics() {
        return;
    }
    let pages = pdf_pages(&to_pdf(&out, &dir.path().join("pdf")));
    let chart_pages: Vec<&PdfPage> = pages
        .iter()
        .filter(|p| p.text().contains(&format!("BerAKHLAK {YEAR} — {CHART}")))
        .collect();
    // The chart's page: every one of the 60 numbers is labelled there, and
    // the ranking starts on the next page.
    let first = chart_pages[0];
    assert!(
        !first.text().contains("Peringkat"),
        "the chart has its page"
    );
    let labels: HashSet<&str> = first.words.iter().map(|w| w.text.as_str()).collect();
    for i in 1..=60 {
        assert!(
            labels.contains(format!("{i:02}").as_str()),
            "label {i:02} missing"
        );
    }
}

/// The large rekap sheets are written row by row (rust_xlsxwriter's
/// constant-memory mode drops a write to a row already passed): Ringkasan's
/// city totals, level distribution and signature block, which share rows
/// below the table, are all there, beside each other; Temuan and Berkas have
/// one row per finding and per file; Kegiatan one per activity.
#[test]
fn rekap_rows_written_in_order_keep_totals_signature_and_every_table_row() {
    let dir = tempfile::tempdir().unwrap();
    let (out, json, _) = sample_rekap(dir.path());
    let form = monev::form::Form::embedded().unwrap();
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let sheet = wb.worksheet_range(SUMMARY).unwrap();
    let units = json["units"].as_array().unwrap().len() as u32;
    let at = |r: u32, c: u32| {
        sheet
            .get_value((r, c))
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    let last = SUMMARY_HEADER_ROW + units;
    let sig = col(&SUMMARY_COLUMNS, "Indikator 3") as u32;
    assert_eq!(at(last + 2, 2), "Jumlah Kota");
    assert_eq!(at(last + 2, sig), form.table1.signature_place);
    assert_eq!(at(last + 3, 2), "Perangkat Daerah");
    assert_eq!(at(last + 3, 5), units.to_string());
    assert_eq!(at(last + 3, sig), form.table1.signature_role);
    assert_eq!(at(last + 8, sig), form.table1.signature_name);
    assert!(at(last + 12, 2).starts_with("Sebaran Level Maturitas"));
    for level in 0..5 {
        let line = at(last + 13 + level, 2);
        assert!(line.starts_with("Level "), "level {level}: {line:?}");
    }
    assert!(at(last + 19, 2).starts_with("Grafik skor"));

    let mut rows = |name: &str| {
        wb.worksheet_range(name)
            .unwrap()
            .rows()
            .skip(1)
            .filter(|r| r.iter().any(|c| !c.is_empty()))
            .count()
    };
    let findings: usize = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["findings"].as_array().unwrap().len())
        .sum();
    assert_eq!(rows(monev::report::workbook::FINDINGS), findings);
    let files = json["files"].as_array().unwrap().len() + json["skipped"].as_array().unwrap().len();
    assert_eq!(rows(monev::report::workbook::FILES), files);
    let activities: usize = json["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["activity_rows"].as_array().map_or(0, Vec::len))
        .sum::<usize>()
        + json["files"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["status"] == "superseded")
            .map(|f| f["activities"].as_u64().unwrap() as usize)
            .sum::<usize>();
    // Kegiatan: the legend row, the header, then one row per activity of the
    // used and the superseded files.
    assert!(activities > 0);
    assert_eq!(rows(monev::report::workbook::ACTIVITIES) - 1, activities);
}

/// A large roster of which few OPDs sent a report: the Grafik line naming
/// every OPD without a score (here over 90,000 characters) is cut to Excel's
/// cell limit, marked with "…", instead of failing the whole rekap.
#[test]
fn grafik_line_of_thousands_of_unscored_opds_is_cut_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let masuk = dir.path().join("masuk");
    fs::create_dir(&masuk).unwrap();
    let mut csv = String::from("kode,nama,email\n");
    for i in 0..2000 {
        csv.push_str(&format!(
            "opd-{i:05},Dinas Pemberdayaan Perempuan dan Perlindungan Anak {i:05},\n"
        ));
    }
    let roster = dir.path().join("opd.csv");
    fs::write(&roster, csv).unwrap();
    let out = dir.path().join("rekap.xlsx");
    rekap_with_roster(&roster, &masuk, &out);
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let line = wb
        .worksheet_range(CHART)
        .unwrap()
        .get_value((1, 0))
        .unwrap()
        .to_string();
    assert!(line.starts_with("Tidak ada dalam grafik"), "{line:.80}");
    assert!(line.ends_with('…'));
    assert!(line.encode_utf16().count() <= monev::style::MAX_CELL_CHARS);
    let summary = wb.worksheet_range(SUMMARY).unwrap();
    assert_eq!(
        summary
            .get_value((SUMMARY_HEADER_ROW + 2000, 1))
            .unwrap()
            .to_string(),
        "opd-01999"
    );
}

#[test]
fn feedback_prints_long_drive_links_of_tabel_1_and_tabel_2_whole() {
    // Drive addresses as OPDs paste them: folder links with a resource key,
    // file links with "usp=drive_link", 90 to 120 characters.
    const T1_LINK: &str = "https://drive.google.com/drive/folders/1QwErTyUiOpAsDfGhJkLzXcVbNm0123456789AbCdEf?usp=sharing&resourcekey=0-XyZabc";
    const T2_LINK: &str = "https://drive.google.com/file/d/1ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210zYx/view?usp=drive_link";
    let dir = tempfile::tempdir().unwrap();
    let masuk = dir.path().join("masuk");
    fs::create_dir_all(&masuk).unwrap();
    fs::create_dir_all(dir.path().join("kerja")).unwrap();
    let unit = common::roster().get("dlh").unwrap().clone();
    fill_template(
        &common::form(),
        &unit,
        YEAR,
        &dir.path().join("kerja"),
        "2026-08-20T09:00:00Z",
        &masuk.join("dlh.xlsx"),
        |f| {
            fill_complete(f, "dlh", YEAR);
            let r = common::scenario::t1_row(2, 1);
            f.clear("Tabel 1", &format!("G{r}"));
            f.hyperlink("Tabel 1", &format!("G{r}"), T1_LINK, T1_LINK);
            f.clear("Tabel 2", &format!("E{}", common::scenario::t2_row(2, 'a')));
            put_evidence(f, 2, 'a', "Ada", Link::Text(T2_LINK), "");
        },
    );
    let ub = dir.path().join("ub");
    Command::cargo_bin("monev")
        .unwrap()
        .args(["rekap", "-q", "--tahun", "2026"])
        .arg(&masuk)
        .arg("-o")
        .arg(dir.path().join("r.xlsx"))
        .arg("--umpan-balik")
        .arg(&ub)
        .assert()
        .success();
    let path = ub.join("umpan-balik-2026-dlh.xlsx");
    let Some(pages) = check_print(&path, dir.path(), 8..=14, "Dinas Lingkungan Hidup") else {
        return;
    };
    // Wrapped over lines of its cell, every character of each address is on
    // paper: the page's words joined without spaces hold it whole.
    for link in [T1_LINK, T2_LINK] {
        let page = pages
            .iter()
            .find(|p| {
                let joined: String = p.words.iter().map(|w| w.text.as_str()).collect();
                joined.contains(link)
            })
            .unwrap_or_else(|| panic!("{link} not printed whole"));
        // ... and inside the page, not cut at a cell edge.
        for w in page.words.iter().filter(|w| link.contains(w.text.as_str())) {
            assert!(w.x1 <= page.width, "{} runs off the page", w.text);
        }
    }
    // Read back, the feedback gives the same addresses (text or link alike).
    let r = common::run_rekap(&[path], Some(YEAR));
    let u = r.units.iter().find(|u| u.code == "dlh").unwrap();
    let evidence: Vec<&str> = u
        .activity_rows
        .iter()
        .map(|a| a.evidence.as_str())
        .collect();
    assert!(evidence.contains(&T1_LINK), "{evidence:?}");
    let links: Vec<&str> = u
        .indicators
        .iter()
        .flat_map(|i| &i.evidence)
        .filter_map(|e| e.link.as_deref())
        .collect();
    assert!(links.contains(&T2_LINK), "{links:?}");
}
