//! Helpers shared by the integration tests: generating templates through the
//! library, converting workbooks with LibreOffice, reading parts of an xlsx
//! package that calamine does not expose (data validations, protection, styles,
//! print setup) and [`Filler`], which fills a template the way a person would by
//! editing the package itself.
//!
//! Everything here panics with a descriptive message instead of returning errors:
//! a helper failure is a test failure.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use std::collections::HashMap;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use calamine::{Data, Range};
use chrono::NaiveDate;
use monev::form::Form;
use monev::roster::Roster;
use monev::template::TemplatConfig;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

pub mod mail;
pub mod scenario;

/// How long one LibreOffice conversion may take before it is killed.
pub const SOFFICE_TIMEOUT: Duration = Duration::from_secs(120);

const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL_HYPERLINK: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink";
const PKG_REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const RELS_CONTENT_TYPE: &str = "application/vnd.openxmlformats-package.relationships+xml";

/// The embedded form definition.
pub fn form() -> Form {
    Form::embedded().expect("the embedded form definition must load")
}

/// The embedded roster.
pub fn roster() -> Roster {
    Roster::embedded().expect("the embedded roster must load")
}

/// Generates the templates of `year` into `dir` through the library (embedded
/// form and roster); `only` selects unit codes (empty: all). Returns the written
/// paths in roster order.
pub fn generate(dir: &Path, year: i32, only: &[&str]) -> Vec<PathBuf> {
    generate_with(dir, year, only, false)
        .unwrap_or_else(|e| panic!("generate({}, {year}, {only:?}): {e}", dir.display()))
}

/// [`generate`], through `monev::app::run` as the binary runs it, with
/// `--timpa` when `overwrite`; returns the error instead of panicking.
pub fn generate_with(
    dir: &Path,
    year: i32,
    only: &[&str],
    overwrite: bool,
) -> monev::Result<Vec<PathBuf>> {
    use monev::app::{Command, Common, Config, Report, Source, TemplatJob};
    let config = Config {
        common: Common {
            form: Source::Embedded,
            roster: Source::Embedded,
            rubric: Source::Embedded,
            domains: None,
            overwrite,
        },
        command: Command::Templat(TemplatJob {
            templat: TemplatConfig {
                year,
                output_dir: dir.to_path_buf(),
                only: only.iter().map(|s| s.to_string()).collect(),
                allowed_domains: Vec::new(),
            },
            drafts: None,
        }),
    };
    match monev::app::run(&config, &monev::rekap::NoProgress)? {
        Report::Templat { files, .. } => Ok(files),
        other => panic!("templat reported {other:?}"),
    }
}

/// The fixed moment tests run at: 1 October 2026, 09:00 WIB.
pub fn test_now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2026-10-01T09:00:00+07:00").expect("valid time")
}

/// The pipeline's config for `inputs`, with the default domains and [`test_now`].
pub fn rekap_config(inputs: Vec<PathBuf>, year: Option<i32>) -> monev::rekap::RekapConfig {
    monev::rekap::RekapConfig {
        inputs,
        year,
        allowed_domains: monev::links::default_allowed_domains(),
        now: test_now(),
        reading: Default::default(),
    }
}

// ---------------------------------------------------------------------------
// Cell references and values

/// Absolute zero-based `(row, col)` of an A1 reference ("C8" → (7, 2)); `$` is ignored.
pub fn pos(a1: &str) -> (u32, u32) {
    let a1 = a1.replace('$', "").to_ascii_uppercase();
    let split = a1
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or_else(|| panic!("not an A1 reference: {a1}"));
    let (letters, digits) = a1.split_at(split);
    assert!(
        !letters.is_empty() && letters.chars().all(|c| c.is_ascii_uppercase()),
        "not an A1 reference: {a1}"
    );
    let col = letters
        .bytes()
        .fold(0u32, |acc, b| acc * 26 + u32::from(b - b'A' + 1));
    let row: u32 = digits
        .parse()
        .unwrap_or_else(|_| panic!("not an A1 reference: {a1}"));
    assert!(row >= 1, "not an A1 reference: {a1}");
    (row - 1, col - 1)
}

/// The A1 reference of absolute zero-based `(row, col)`.
pub fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8(letters).unwrap(), row + 1)
}

/// A cell value as text: empty for empty cells, whole numbers without ".0".
pub fn data_text(value: &Data) -> String {
    match value {
        Data::Empty => String::new(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

/// The text of the cell at an absolute A1 reference (empty when outside the range).
pub fn cell_text(range: &Range<Data>, a1: &str) -> String {
    range.get_value(pos(a1)).map(data_text).unwrap_or_default()
}

/// The Excel serial number (1900 date system) of a date.
pub fn excel_serial(date: NaiveDate) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
    (date - epoch).num_days() as f64
}

/// The date of an Excel serial number (1900 date system, after February 1900).
pub fn serial_date(serial: f64) -> NaiveDate {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
    epoch + chrono::Duration::days(serial.floor() as i64)
}

/// Runs the rekap (no outputs written) over `inputs` for `year`, with the
/// embedded form, roster and rubric and the default link domains.
pub fn run_rekap(inputs: &[PathBuf], year: Option<i32>) -> monev::model::Rekap {
    monev::rekap::compile(
        &form(),
        &roster(),
        &monev::score::Rubric::embedded().expect("embedded rubric"),
        &rekap_config(inputs.to_vec(), year),
        &monev::rekap::NoProgress,
    )
    .expect("rekap")
}

// ---------------------------------------------------------------------------
// LibreOffice

/// Finds LibreOffice on PATH. When it is missing, prints why the calling test is
/// skipped and returns `None`; the caller then returns early.
pub fn soffice() -> Option<PathBuf> {
    let found = find_soffice();
    if found.is_none() {
        eprintln!("skipped: soffice not installed (apt-get install -y libreoffice-calc)");
    }
    found
}

fn find_soffice() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["soffice", "libreoffice"].map(|name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Converts `src` with LibreOffice to `to` ("xlsx", "xls" or "ods") into
/// `out_dir` and returns the written file (`out_dir/<stem>.<to>`, replacing an
/// existing file of that name). The source is first copied into a private
/// folder, so converting xlsx to xlsx never reads and writes the same file, and
/// every call uses its own LibreOffice user profile, so parallel tests do not
/// fight over the profile lock. Panics when soffice is missing, fails or runs
/// longer than [`SOFFICE_TIMEOUT`].
pub fn convert(src: &Path, to: &str, out_dir: &Path) -> PathBuf {
    let filter = match to {
        "xlsx" => "xlsx:Calc MS Excel 2007 XML",
        "xls" => "xls:MS Excel 97",
        "ods" => "ods",
        other => panic!("convert: unsupported target format {other:?}"),
    };
    let bin = find_soffice().expect("convert: soffice not installed (check soffice() first)");
    fs::create_dir_all(out_dir).expect("convert: create out_dir");
    let name = src.file_name().expect("convert: source has no file name");
    let stem = src.file_stem().unwrap().to_string_lossy().into_owned();
    let dest = out_dir.join(format!("{stem}.{to}"));
    if let (Ok(a), Ok(b)) = (src.canonicalize(), dest.canonicalize()) {
        assert_ne!(a, b, "convert: the result would overwrite the source");
    }
    let _ = fs::remove_file(&dest);

    let stage = tempfile::Builder::new()
        .prefix("monev-lo-in-")
        .tempdir()
        .expect("convert: staging folder");
    let staged = stage.path().join(name);
    fs::copy(src, &staged).unwrap_or_else(|e| panic!("convert: copy {}: {e}", src.display()));
    let profile = tempfile::Builder::new()
        .prefix("monev-lo-")
        .tempdir()
        .expect("convert: profile folder");
    let profile_url = url::Url::from_file_path(profile.path()).expect("convert: profile URL");
    let log_path = stage.path().join("soffice.log");
    let log = fs::File::create(&log_path).expect("convert: log file");

    let mut child = Command::new(&bin)
        .arg("--headless")
        .arg("--norestore")
        .arg(format!("-env:UserInstallation={profile_url}"))
        .arg("--convert-to")
        .arg(filter)
        .arg("--outdir")
        .arg(out_dir)
        .arg(&staged)
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("convert: start {}: {e}", bin.display()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("convert: wait for soffice") {
            break status;
        }
        if started.elapsed() > SOFFICE_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "convert: soffice did not finish within {:?} converting {} to {to}",
                SOFFICE_TIMEOUT,
                src.display()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let output = fs::read_to_string(&log_path).unwrap_or_default();
    assert!(
        status.success() && dest.is_file(),
        "convert: soffice failed ({status}) converting {} to {to}; expected {}\n{output}",
        src.display(),
        dest.display()
    );
    dest
}

// ---------------------------------------------------------------------------
// Reading the xlsx package

/// The text of one entry of a zip package, or `None` when it does not exist.
pub fn zip_text(package: &Path, entry: &str) -> Option<String> {
    let file = fs::File::open(package).unwrap_or_else(|e| panic!("{}: {e}", package.display()));
    let mut zip = zip::ZipArchive::new(file)
        .unwrap_or_else(|e| panic!("{} is not a zip package: {e}", package.display()));
    let mut entry = zip.by_name(entry).ok()?;
    let mut text = String::new();
    entry
        .read_to_string(&mut text)
        .unwrap_or_else(|e| panic!("{}: {e}", package.display()));
    Some(text)
}

/// The package part of a sheet ("xl/worksheets/sheet2.xml"), resolved through
/// `xl/workbook.xml` and `xl/_rels/workbook.xml.rels`.
pub fn sheet_part(xlsx: &Path, sheet: &str) -> String {
    let workbook = zip_text(xlsx, "xl/workbook.xml").expect("xl/workbook.xml missing");
    let rels = zip_text(xlsx, "xl/_rels/workbook.xml.rels").expect("workbook rels missing");
    resolve_sheet_part(&workbook, &rels, sheet)
        .unwrap_or_else(|| panic!("{}: no sheet named {sheet:?}", xlsx.display()))
}

fn resolve_sheet_part(workbook: &str, rels: &str, sheet: &str) -> Option<String> {
    let id = elements(workbook, "sheet")
        .into_iter()
        .find(|a| a.get("name").map(String::as_str) == Some(sheet))
        .and_then(|a| {
            a.into_iter()
                .find(|(k, _)| k.ends_with(":id"))
                .map(|(_, v)| v)
        })?;
    let target = elements(rels, "Relationship")
        .into_iter()
        .find(|a| a.get("Id") == Some(&id))
        .and_then(|mut a| a.remove("Target"))?;
    Some(match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    })
}

/// The XML of a sheet, by sheet name.
pub fn sheet_xml(xlsx: &Path, sheet: &str) -> String {
    let part = sheet_part(xlsx, sheet);
    zip_text(xlsx, &part).unwrap_or_else(|| panic!("{}: part {part} missing", xlsx.display()))
}

/// The attributes (qualified names as written, values unescaped) of every
/// element with this local name, in document order.
pub fn elements(xml: &str, local_name: &str) -> Vec<HashMap<String, String>> {
    let mut reader = Reader::from_str(xml);
    let mut found = Vec::new();
    loop {
        match reader.read_event().expect("malformed XML") {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == local_name => {
                found.push(attributes(&e).into_iter().collect());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    found
}

/// Like [`elements`], with the text content of each element (entities resolved,
/// text of nested elements included).
pub fn elements_with_text(xml: &str, local_name: &str) -> Vec<(HashMap<String, String>, String)> {
    let mut reader = Reader::from_str(xml);
    let mut found = Vec::new();
    let mut open: Option<(HashMap<String, String>, String)> = None;
    let mut depth = 0usize;
    loop {
        match reader.read_event().expect("malformed XML") {
            Event::Start(e) => {
                if open.is_some() {
                    depth += 1;
                } else if e.local_name().as_ref() == local_name {
                    open = Some((attributes(&e).into_iter().collect(), String::new()));
                    depth = 0;
                }
            }
            Event::Empty(e) if open.is_none() && e.local_name().as_ref() == local_name => {
                found.push((attributes(&e).into_iter().collect(), String::new()));
            }
            Event::End(_) if open.is_some() => {
                if depth == 0 {
                    found.extend(open.take());
                } else {
                    depth -= 1;
                }
            }
            Event::Text(t) => {
                if let Some((_, text)) = open.as_mut() {
                    text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some((_, text)) = open.as_mut() {
                    text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, text)) = open.as_mut() {
                    text.push_str(&resolve_ref(&r));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    found
}

/// The text of `&name;` or `&#N;`.
fn resolve_ref(r: &quick_xml::events::BytesRef) -> String {
    match r.resolve_char_ref().expect("bad character reference") {
        Some(c) => c.to_string(),
        None => quick_xml::escape::resolve_predefined_entity(r)
            .unwrap_or_else(|| panic!("unknown entity &{};", &**r))
            .to_string(),
    }
}

fn attributes(e: &BytesStart) -> Vec<(String, String)> {
    e.attributes()
        .map(|a| {
            let a = a.expect("malformed XML attribute");
            let key = a.key.as_ref().to_string();
            let value = a
                .normalized_value(XmlVersion::Implicit1_0)
                .expect("malformed XML attribute value")
                .into_owned();
            (key, value)
        })
        .collect()
}

/// One data validation of a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validation {
    /// The cells, e.g. "D8:D22 D24:D38".
    pub sqref: String,
    /// The `type` attribute ("list", "date", ...; "none" when absent).
    pub kind: String,
    /// The `errorStyle` attribute ("stop" when absent).
    pub error_style: String,
    /// The first formula as stored, e.g. `"Ada,Belum Ada"` with the quotes.
    pub formula1: String,
    /// The second formula ("" when absent).
    pub formula2: String,
    /// The input message ("" when absent).
    pub prompt: String,
}

impl Validation {
    /// True when the validation applies to the cell `a1`.
    pub fn covers(&self, a1: &str) -> bool {
        sqref_covers(&self.sqref, a1)
    }

    /// The entries of a literal list (`"a,b,c"`); empty for other formulas.
    pub fn list_items(&self) -> Vec<String> {
        match self
            .formula1
            .strip_prefix('"')
            .and_then(|f| f.strip_suffix('"'))
        {
            Some(list) => list.split(',').map(str::to_string).collect(),
            None => Vec::new(),
        }
    }
}

/// The data validations of a sheet, in document order. Reads both the plain
/// `<dataValidations>` element and the Excel 2010 extension list form
/// (`<x14:dataValidation>` with `<xm:sqref>` and `<x14:formula1><xm:f>`), which
/// Excel and LibreOffice use for lists that refer to other sheets (the
/// extension form is only checked against a hand-written sample: neither our
/// templates nor LibreOffice's re-save of them use it). Limitation: only the
/// fields of [`Validation`] are read (no titles, error texts or operator).
pub fn data_validations(xlsx: &Path, sheet: &str) -> Vec<Validation> {
    parse_validations(&sheet_xml(xlsx, sheet))
}

/// The data validations in a sheet's XML (see [`data_validations`]).
pub fn parse_validations(xml: &str) -> Vec<Validation> {
    #[derive(PartialEq)]
    enum Field {
        None,
        Formula1,
        Formula2,
        Sqref,
    }
    let mut reader = Reader::from_str(xml);
    let mut found = Vec::new();
    let mut current: Option<Validation> = None;
    let mut field = Field::None;
    loop {
        let event = reader.read_event().expect("malformed sheet XML");
        match event {
            Event::Start(ref e) | Event::Empty(ref e)
                if e.local_name().as_ref() == "dataValidation" =>
            {
                let attrs: HashMap<String, String> = attributes(e).into_iter().collect();
                let get = |k: &str| attrs.get(k).cloned();
                let v = Validation {
                    sqref: get("sqref").unwrap_or_default(),
                    kind: get("type").unwrap_or_else(|| "none".into()),
                    error_style: get("errorStyle").unwrap_or_else(|| "stop".into()),
                    formula1: String::new(),
                    formula2: String::new(),
                    prompt: get("prompt").unwrap_or_default(),
                };
                if matches!(event, Event::Empty(_)) {
                    found.push(v);
                } else {
                    current = Some(v);
                }
            }
            Event::Start(ref e) if current.is_some() => {
                field = match e.local_name().as_ref() {
                    "formula1" => Field::Formula1,
                    "formula2" => Field::Formula2,
                    "sqref" => Field::Sqref,
                    _ => field,
                };
            }
            Event::End(ref e) => match e.local_name().as_ref() {
                "dataValidation" => found.extend(current.take()),
                "formula1" | "formula2" | "sqref" => field = Field::None,
                _ => {}
            },
            Event::Text(ref t) => push_text(&mut current, &field, &t.xml10_content()),
            Event::CData(ref t) => push_text(&mut current, &field, &t.xml10_content()),
            Event::GeneralRef(ref r) => push_text(&mut current, &field, &resolve_ref(r)),
            Event::Eof => break,
            _ => {}
        }
    }

    fn push_text(current: &mut Option<Validation>, field: &Field, text: &str) {
        let Some(v) = current else { return };
        match field {
            Field::Formula1 => v.formula1.push_str(text),
            Field::Formula2 => v.formula2.push_str(text),
            Field::Sqref => v.sqref.push_str(text),
            Field::None => {}
        }
    }
    found
}

/// True when a space-separated list of cells and ranges ("B8:B22 B24") covers `a1`.
pub fn sqref_covers(sqref: &str, a1: &str) -> bool {
    let (row, col) = pos(a1);
    sqref.split_whitespace().any(|part| {
        let (first, last) = part.split_once(':').unwrap_or((part, part));
        let (r0, c0) = pos(first);
        let (r1, c1) = pos(last);
        (r0..=r1).contains(&row) && (c0..=c1).contains(&col)
    })
}

/// The style index (`s` attribute) of a cell in a sheet's XML; 0 when the cell
/// has no style or does not exist.
pub fn cell_style(xlsx: &Path, sheet: &str, a1: &str) -> u32 {
    let want = a1.to_ascii_uppercase();
    elements(&sheet_xml(xlsx, sheet), "c")
        .into_iter()
        .find(|a| a.get("r").map(|r| r.to_ascii_uppercase()) == Some(want.clone()))
        .and_then(|a| a.get("s").map(|s| s.parse().expect("numeric style index")))
        .unwrap_or(0)
}

/// What a cell format (`cellXfs` entry of styles.xml) says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellFormat {
    /// False when the format has `<protection locked="0"/>`.
    pub locked: bool,
    pub num_fmt_id: u32,
    /// The custom number format code, when `num_fmt_id` is not built in.
    pub format_code: Option<String>,
}

/// The cell format with this index.
pub fn cell_format(xlsx: &Path, style: u32) -> CellFormat {
    let styles = zip_text(xlsx, "xl/styles.xml").expect("xl/styles.xml missing");
    let root = parse_tree(&styles);
    let codes: HashMap<u32, String> = elements(&styles, "numFmt")
        .into_iter()
        .filter_map(|a| {
            Some((
                a.get("numFmtId")?.parse().ok()?,
                a.get("formatCode")?.clone(),
            ))
        })
        .collect();
    let xf = root
        .child("cellXfs")
        .expect("styles.xml has no cellXfs")
        .children
        .iter()
        .filter(|n| n.name == "xf")
        .nth(style as usize)
        .unwrap_or_else(|| panic!("styles.xml has no cell format {style}"));
    let num_fmt_id = xf.attr("numFmtId").map_or(0, |v| v.parse().unwrap());
    let locked = xf
        .child("protection")
        .and_then(|p| p.attr("locked"))
        .is_none_or(|v| !matches!(v, "0" | "false"));
    CellFormat {
        locked,
        num_fmt_id,
        format_code: codes.get(&num_fmt_id).cloned(),
    }
}

// ---------------------------------------------------------------------------
// A minimal element tree with byte spans, for editing XML in place.

#[derive(Debug)]
struct Node {
    /// Local name.
    name: String,
    /// Byte offset of `<`.
    start: usize,
    /// Byte offset just after the start tag (or the whole empty element).
    open_end: usize,
    /// Byte offset of the end tag's `<` (equals `open_end` for empty elements).
    close_start: usize,
    /// Byte offset just after the element.
    end: usize,
    empty: bool,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
}

impl Node {
    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|n| n.name == name)
    }

    fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> {
        self.children.iter().filter(move |n| n.name == name)
    }

    /// The qualified name as written in the start tag (with any prefix).
    fn qname<'a>(&self, xml: &'a str) -> &'a str {
        let tag = &xml[self.start + 1..self.open_end];
        let len = tag
            .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
            .unwrap_or(tag.len());
        &tag[..len]
    }
}

/// Parses a document into its root element with byte spans.
fn parse_tree(xml: &str) -> Node {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Node> = Vec::new();
    let mut root = None;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("malformed XML near byte {before}: {e}"));
        let after = reader.buffer_position() as usize;
        let (e, empty) = match event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                let mut node = stack.pop().expect("unbalanced XML");
                node.close_start = before;
                node.end = after;
                attach(&mut stack, &mut root, node);
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let node = Node {
            name: e.local_name().as_ref().to_string(),
            start: before,
            open_end: after,
            close_start: after,
            end: after,
            empty,
            attrs: attributes(&e),
            children: Vec::new(),
        };
        if empty {
            attach(&mut stack, &mut root, node);
        } else {
            stack.push(node);
        }
    }
    assert!(stack.is_empty(), "unbalanced XML");
    root.expect("XML without a root element")
}

fn attach(stack: &mut [Node], root: &mut Option<Node>, node: Node) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(node),
        None => *root = Some(node),
    }
}

fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

fn start_tag(qname: &str, attrs: &[(String, String)], empty: bool) -> String {
    let mut tag = format!("<{qname}");
    for (k, v) in attrs {
        tag.push_str(&format!(" {k}=\"{}\"", escape(v)));
    }
    tag.push_str(if empty { "/>" } else { ">" });
    tag
}

fn splice(xml: &mut String, from: usize, to: usize, with: &str) {
    xml.replace_range(from..to, with);
}

/// The child elements of `<worksheet>` that must come after `<hyperlinks>`.
const AFTER_HYPERLINKS: [&str; 20] = [
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "rowBreaks",
    "colBreaks",
    "customProperties",
    "cellWatches",
    "ignoredErrors",
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
];

// ---------------------------------------------------------------------------
// Filler

/// Fills a workbook "as a person would", by editing its xlsx package: the sheet
/// XML of the edited sheets changes (and, for hyperlinks, the sheet's
/// relationships and the content types when needed); every other entry is copied
/// unchanged. Cells are addressed by sheet name and absolute A1 reference; an
/// existing cell keeps its `s` (style) attribute, so a date written into
/// 'Tabel 1'!B8 gets the template's dd/mm/yyyy format.
///
/// ```ignore
/// Filler::open(&template)
///     .text("Tabel 1", "C8", "Apel pagi")
///     .date("Tabel 1", "B8", NaiveDate::from_ymd_opt(2026, 8, 17).unwrap())
///     .hyperlink("Tabel 1", "G8", "https://drive.google.com/x", "Foto")
///     .save(&filled);
/// ```
pub struct Filler {
    source: PathBuf,
    /// Every entry of the package, in the original order.
    entries: Vec<(String, Vec<u8>)>,
}

impl Filler {
    /// Reads a whole xlsx package into memory.
    pub fn open(path: impl AsRef<Path>) -> Filler {
        let path = path.as_ref();
        let file = fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut zip = zip::ZipArchive::new(file)
            .unwrap_or_else(|e| panic!("{} is not a zip package: {e}", path.display()));
        let mut entries = Vec::with_capacity(zip.len());
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).expect("readable zip entry");
            let mut data = Vec::new();
            entry.read_to_end(&mut data).expect("readable zip entry");
            let name = entry.name().expect("UTF-8 zip entry name").into_owned();
            entries.push((name, data));
        }
        Filler {
            source: path.to_path_buf(),
            entries,
        }
    }

    /// Writes a text cell (an inline string).
    pub fn text(&mut self, sheet: &str, cell: &str, value: &str) -> &mut Filler {
        let body = format!("<is><t xml:space=\"preserve\">{}</t></is>", escape(value));
        self.set_cell(sheet, cell, Some("inlineStr"), &body)
    }

    /// Writes a number cell.
    pub fn number(&mut self, sheet: &str, cell: &str, value: f64) -> &mut Filler {
        assert!(value.is_finite(), "Filler::number: {value} is not finite");
        self.set_cell(sheet, cell, None, &format!("<v>{value}</v>"))
    }

    /// Writes a date as its Excel serial number, keeping the cell's style (and so
    /// its date format, when the template gave it one).
    pub fn date(&mut self, sheet: &str, cell: &str, date: NaiveDate) -> &mut Filler {
        self.number(sheet, cell, excel_serial(date))
    }

    /// Writes a real Excel hyperlink: the display text in the cell, a
    /// `<hyperlink>` element and an external relationship of the sheet.
    pub fn hyperlink(&mut self, sheet: &str, cell: &str, url: &str, display: &str) -> &mut Filler {
        self.text(sheet, cell, display);
        let part = self.part_of(sheet);
        let rels_part = rels_part_of(&part);
        let rels = self.entry_text(&rels_part).unwrap_or_else(|| {
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"{PKG_REL_NS}\"></Relationships>"
            )
        });
        let (rels, id) = add_relationship(&rels, url);
        self.put(&rels_part, rels.into_bytes());
        self.ensure_rels_content_type();

        let mut xml = self.entry_text(&part).expect("sheet part");
        remove_hyperlink(&mut xml, cell);
        let prefix = ensure_rel_namespace(&mut xml);
        insert_hyperlink(&mut xml, cell, &prefix, &id);
        self.put(&part, xml.into_bytes());
        self
    }

    /// Writes a `HYPERLINK("url","display")` formula with `display` as its cached value.
    pub fn formula_link(
        &mut self,
        sheet: &str,
        cell: &str,
        url: &str,
        display: &str,
    ) -> &mut Filler {
        let formula = format!(
            "HYPERLINK(\"{}\",\"{}\")",
            url.replace('"', "\"\""),
            display.replace('"', "\"\"")
        );
        let body = format!("<f>{}</f><v>{}</v>", escape(&formula), escape(display));
        self.set_cell(sheet, cell, Some("str"), &body)
    }

    /// Writes an Excel hyperlink whose address Excel split at `#`: the
    /// relationship holds `url`, the `<hyperlink location>` holds `location`
    /// (as Excel stores `…/edit#gid=0`).
    pub fn hyperlink_with_location(
        &mut self,
        sheet: &str,
        cell: &str,
        url: &str,
        location: &str,
        display: &str,
    ) -> &mut Filler {
        self.hyperlink(sheet, cell, url, display);
        let part = self.part_of(sheet);
        let mut xml = self.entry_text(&part).expect("sheet part");
        let tag = format!("<hyperlink ref=\"{}\" ", cell.to_ascii_uppercase());
        let at = xml.find(&tag).expect("the hyperlink just written") + tag.len();
        xml.insert_str(at, &format!("location=\"{}\" ", escape(location)));
        self.put(&part, xml.into_bytes());
        self
    }

    /// Writes a cached error value (`#SPILL!`, `#N/A` …) as Excel stores it:
    /// `<c t="e"><v>#SPILL!</v></c>`, here without its formula.
    pub fn error_value(&mut self, sheet: &str, cell: &str, value: &str) -> &mut Filler {
        self.set_cell(sheet, cell, Some("e"), &format!("<v>{}</v>", escape(value)))
    }

    /// Writes a logical value as Excel stores TRUE or FALSE typed in a cell:
    /// `<c t="b"><v>1</v></c>`.
    pub fn boolean(&mut self, sheet: &str, cell: &str, value: bool) -> &mut Filler {
        self.set_cell(
            sheet,
            cell,
            Some("b"),
            &format!("<v>{}</v>", u8::from(value)),
        )
    }

    /// Writes a cell with type `t` and inner XML `body` exactly as given, even
    /// when no spreadsheet program would (`t="n"` around text, say).
    pub fn raw_cell(
        &mut self,
        sheet: &str,
        cell: &str,
        t: Option<&str>,
        body: &str,
    ) -> &mut Filler {
        self.set_cell(sheet, cell, t, body)
    }

    /// Merges `range` (`B8:B10`), as Home > Merge does; the values of the cells
    /// below the top-left are left as they are (Excel would clear them).
    pub fn merge(&mut self, sheet: &str, range: &str) -> &mut Filler {
        let part = self.part_of(sheet);
        let mut xml = self.entry_text(&part).expect("sheet part");
        let element = format!("<mergeCell ref=\"{range}\"/>");
        let close = xml
            .find("</mergeCells>")
            .expect("the template sheet has merged cells already");
        xml.insert_str(close, &element);
        // Drop the count hint, which is optional and no longer true.
        if let Some(start) = xml.find("<mergeCells count=\"") {
            let end = start + xml[start..].find('>').expect("tag end");
            xml.replace_range(start..end, "<mergeCells");
        }
        self.put(&part, xml.into_bytes());
        self
    }

    /// Adds a worksheet part `xml` (any bytes, even broken XML) as a visible
    /// sheet called `name` at the end of the workbook, as a person adding a
    /// "Catatan" sheet would (with whatever another program wrote into it).
    pub fn add_sheet(&mut self, name: &str, xml: &str) -> &mut Filler {
        self.add_sheet_part(
            name,
            "worksheets",
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
            xml,
        )
    }

    /// Adds an Excel 4.0 macro sheet called `name` (`xl/macrosheets/`), as
    /// old workbooks with XLM macros carry.
    pub fn add_macro_sheet(&mut self, name: &str, xml: &str) -> &mut Filler {
        self.add_sheet_part(
            name,
            "macrosheets",
            "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet",
            "application/vnd.ms-excel.macrosheet+xml",
            xml,
        )
    }

    fn add_sheet_part(
        &mut self,
        name: &str,
        dir: &str,
        rel_type: &str,
        content_type: &str,
        xml: &str,
    ) -> &mut Filler {
        let n = (1..)
            .find(|n| self.entry_text(&format!("xl/{dir}/sheet{n}.xml")).is_none())
            .unwrap();
        let part = format!("xl/{dir}/sheet{n}.xml");
        self.put(&part, xml.as_bytes().to_vec());
        let mut rels = self
            .entry_text("xl/_rels/workbook.xml.rels")
            .expect("workbook rels");
        let id = format!("rIdMonev{dir}{n}");
        let close = rels.rfind("</Relationships>").expect("rels close");
        rels.insert_str(
            close,
            &format!(
                "<Relationship Id=\"{id}\" Type=\"{rel_type}\" Target=\"{dir}/sheet{n}.xml\"/>"
            ),
        );
        self.put("xl/_rels/workbook.xml.rels", rels.into_bytes());
        let mut workbook = self.entry_text("xl/workbook.xml").expect("workbook");
        let close = workbook.find("</sheets>").expect("sheets close");
        workbook.insert_str(
            close,
            &format!(
                "<sheet name=\"{}\" sheetId=\"{}\" r:id=\"{id}\"/>",
                escape(name),
                100 + n
            ),
        );
        self.put("xl/workbook.xml", workbook.into_bytes());
        let mut types = self.entry_text("[Content_Types].xml").expect("types");
        let close = types.rfind("</Types>").expect("types close");
        types.insert_str(
            close,
            &format!("<Override PartName=\"/{part}\" ContentType=\"{content_type}\"/>"),
        );
        self.put("[Content_Types].xml", types.into_bytes());
        self
    }

    /// Empties a cell (keeping its style) and removes a hyperlink anchored on it.
    pub fn clear(&mut self, sheet: &str, cell: &str) -> &mut Filler {
        self.set_cell(sheet, cell, None, "");
        let part = self.part_of(sheet);
        let mut xml = self.entry_text(&part).expect("sheet part");
        remove_hyperlink(&mut xml, cell);
        self.put(&part, xml.into_bytes());
        self
    }

    /// Sets the workbook's last-modified property (docProps/core.xml
    /// `dcterms:modified`), as Excel does when a person saves: `when` is RFC 3339,
    /// e.g. "2026-08-20T09:30:00Z".
    pub fn modified(&mut self, when: &str) -> &mut Filler {
        let core = self
            .entry_text("docProps/core.xml")
            .expect("docProps/core.xml");
        let start = core
            .find("<dcterms:modified")
            .expect("dcterms:modified element");
        let open_end = start + core[start..].find('>').expect("tag end") + 1;
        let close = open_end
            + core[open_end..]
                .find("</dcterms:modified>")
                .expect("closing tag");
        let updated = format!("{}{}{}", &core[..open_end], escape(when), &core[close..]);
        self.put("docProps/core.xml", updated.into_bytes());
        self
    }

    /// Removes what names the OPD, as when the filled tables are pasted into a
    /// colleague's workbook: the custom document properties, the `_monev`
    /// sheet's code and name, and the OPD name above Tabel 1 and Tabel 2. Only
    /// the file name (and, for an e-mail, the sender) can still tell the OPD.
    pub fn forget_identity(&mut self) -> &mut Filler {
        self.put(
            "docProps/custom.xml",
            b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\"></Properties>".to_vec(),
        );
        self.clear("_monev", "B1").clear("_monev", "B2");
        for sheet in ["Tabel 1", "Tabel 2"] {
            self.text(sheet, "A2", "Perangkat Daerah:");
        }
        self
    }

    /// Writes the package to `path` (which may be the file it was opened from).
    pub fn save(&self, path: impl AsRef<Path>) {
        let path = path.as_ref();
        let mut buffer = std::io::Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut buffer);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for (name, data) in &self.entries {
                if name.ends_with('/') {
                    zip.add_directory(name.as_str(), options)
                        .expect("zip entry");
                    continue;
                }
                zip.start_file(name.as_str(), options).expect("zip entry");
                zip.write_all(data).expect("zip entry");
            }
            zip.finish().expect("zip package");
        }
        fs::write(path, buffer.into_inner())
            .unwrap_or_else(|e| panic!("Filler::save {}: {e}", path.display()));
    }

    /// The text of an entry of the package being edited.
    pub fn entry_text(&self, name: &str) -> Option<String> {
        self.entries
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, d)| String::from_utf8(d.clone()).expect("UTF-8 XML part"))
    }

    fn put(&mut self, name: &str, data: Vec<u8>) {
        match self.entries.iter_mut().find(|(n, _)| n == name) {
            Some(entry) => entry.1 = data,
            None => self.entries.push((name.to_string(), data)),
        }
    }

    /// The package part of a sheet.
    fn part_of(&self, sheet: &str) -> String {
        let workbook = self.entry_text("xl/workbook.xml").expect("xl/workbook.xml");
        let rels = self
            .entry_text("xl/_rels/workbook.xml.rels")
            .expect("xl/_rels/workbook.xml.rels");
        resolve_sheet_part(&workbook, &rels, sheet)
            .unwrap_or_else(|| panic!("{}: no sheet named {sheet:?}", self.source.display()))
    }

    fn ensure_rels_content_type(&mut self) {
        let mut types = self
            .entry_text("[Content_Types].xml")
            .expect("[Content_Types].xml");
        let root = parse_tree(&types);
        let has_rels = root.children_named("Default").any(|d| {
            d.attr("Extension")
                .is_some_and(|e| e.eq_ignore_ascii_case("rels"))
        });
        if !has_rels {
            let default =
                format!("<Default Extension=\"rels\" ContentType=\"{RELS_CONTENT_TYPE}\"/>");
            splice(&mut types, root.open_end, root.open_end, &default);
            self.put("[Content_Types].xml", types.into_bytes());
        }
    }

    /// Replaces (or creates) a cell with type `t` and inner XML `body`, keeping
    /// the existing cell's style.
    fn set_cell(&mut self, sheet: &str, cell: &str, t: Option<&str>, body: &str) -> &mut Filler {
        let part = self.part_of(sheet);
        let mut xml = self.entry_text(&part).expect("sheet part");
        set_cell_xml(&mut xml, cell, t, body);
        self.put(&part, xml.into_bytes());
        self
    }
}

/// `xl/worksheets/sheet2.xml` → `xl/worksheets/_rels/sheet2.xml.rels`.
fn rels_part_of(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

fn set_cell_xml(xml: &mut String, cell: &str, t: Option<&str>, body: &str) {
    let cell = cell.replace('$', "").to_ascii_uppercase();
    let (row, col) = pos(&cell);
    let build = |style: Option<&str>| {
        let mut attrs = vec![("r".to_string(), cell.clone())];
        if let Some(s) = style {
            attrs.push(("s".into(), s.into()));
        }
        if let Some(t) = t {
            attrs.push(("t".into(), t.into()));
        }
        if body.is_empty() {
            start_tag("c", &attrs, true)
        } else {
            format!("{}{body}</c>", start_tag("c", &attrs, false))
        }
    };

    let root = parse_tree(xml);
    let data = root
        .child("sheetData")
        .expect("worksheet without sheetData");
    let row_number = |n: &Node| -> u32 {
        n.attr("r")
            .expect("row without an r attribute")
            .parse()
            .expect("numeric row number")
    };
    let Some(row_node) = data
        .children_named("row")
        .find(|r| row_number(r) == row + 1)
    else {
        // No such row: add one, in row order.
        let new_row = format!("<row r=\"{}\">{}</row>", row + 1, build(None));
        if data.empty {
            let with = format!("<{q}>{new_row}</{q}>", q = data.qname(xml));
            splice(xml, data.start, data.end, &with);
        } else {
            let at = data
                .children_named("row")
                .find(|r| row_number(r) > row + 1)
                .map_or(data.close_start, |r| r.start);
            splice(xml, at, at, &new_row);
        }
        expand_dimension(xml, row, col);
        return;
    };
    let cell_col = |c: &Node| pos(c.attr("r").expect("cell without an r attribute")).1;
    if let Some(existing) = row_node
        .children_named("c")
        .find(|c| c.attr("r").is_some_and(|r| r.eq_ignore_ascii_case(&cell)))
    {
        let new_cell = build(existing.attr("s"));
        splice(xml, existing.start, existing.end, &new_cell);
        return;
    }
    // The row exists without this cell: insert it in column order, dropping the
    // row's `spans` hint, which may no longer be true.
    let new_cell = build(None);
    let attrs: Vec<(String, String)> = row_node
        .attrs
        .iter()
        .filter(|(k, _)| k != "spans")
        .cloned()
        .collect();
    let qname = row_node.qname(xml).to_string();
    let with = if row_node.empty {
        format!("{}{new_cell}</{qname}>", start_tag(&qname, &attrs, false))
    } else {
        let at = row_node
            .children_named("c")
            .find(|c| cell_col(c) > col)
            .map_or(row_node.close_start, |c| c.start);
        format!(
            "{}{}{new_cell}{}",
            start_tag(&qname, &attrs, false),
            &xml[row_node.open_end..at],
            &xml[at..row_node.end]
        )
    };
    splice(xml, row_node.start, row_node.end, &with);
    expand_dimension(xml, row, col);
}

/// Widens `<dimension ref>` to include a cell.
fn expand_dimension(xml: &mut String, row: u32, col: u32) {
    let root = parse_tree(xml);
    let Some(dim) = root.child("dimension") else {
        return;
    };
    let Some(r) = dim.attr("ref") else { return };
    let (first, last) = r.split_once(':').unwrap_or((r, r));
    let (r0, c0) = pos(first);
    let (r1, c1) = pos(last);
    let new_ref = format!(
        "{}:{}",
        a1(r0.min(row), c0.min(col)),
        a1(r1.max(row), c1.max(col))
    );
    let attrs: Vec<(String, String)> = dim
        .attrs
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                if k == "ref" {
                    new_ref.clone()
                } else {
                    v.clone()
                },
            )
        })
        .collect();
    let with = start_tag(dim.qname(xml), &attrs, true);
    splice(xml, dim.start, dim.end, &with);
}

/// Adds an external hyperlink relationship; returns the new rels XML and the id.
fn add_relationship(rels: &str, url: &str) -> (String, String) {
    let root = parse_tree(rels);
    let ids: Vec<&str> = root
        .children_named("Relationship")
        .filter_map(|r| r.attr("Id"))
        .collect();
    let id = (1..)
        .map(|n| format!("rId{n}"))
        .find(|id| !ids.contains(&id.as_str()))
        .unwrap();
    let element = format!(
        "<Relationship Id=\"{id}\" Type=\"{REL_HYPERLINK}\" Target=\"{}\" TargetMode=\"External\"/>",
        escape(url)
    );
    let mut rels = rels.to_string();
    if root.empty {
        let with = format!(
            "{}{element}</{q}>",
            start_tag(root.qname(&rels), &root.attrs, false),
            q = root.qname(&rels)
        );
        splice(&mut rels, root.start, root.end, &with);
    } else {
        splice(&mut rels, root.close_start, root.close_start, &element);
    }
    (rels, id)
}

/// Makes sure the worksheet declares the relationships namespace; returns its prefix.
fn ensure_rel_namespace(xml: &mut String) -> String {
    let root = parse_tree(xml);
    if let Some((key, _)) = root
        .attrs
        .iter()
        .find(|(k, v)| k.starts_with("xmlns:") && v == REL_NS)
    {
        return key["xmlns:".len()..].to_string();
    }
    let prefix = if root.attrs.iter().any(|(k, _)| k == "xmlns:r") {
        "monevr"
    } else {
        "r"
    };
    let mut attrs = root.attrs.clone();
    attrs.push((format!("xmlns:{prefix}"), REL_NS.to_string()));
    let with = start_tag(root.qname(xml), &attrs, root.empty);
    splice(xml, root.start, root.open_end, &with);
    prefix.to_string()
}

/// Removes a `<hyperlink>` anchored exactly on `cell` (and an emptied `<hyperlinks>`).
fn remove_hyperlink(xml: &mut String, cell: &str) {
    let root = parse_tree(xml);
    let Some(links) = root.child("hyperlinks") else {
        return;
    };
    let matching: Vec<&Node> = links
        .children_named("hyperlink")
        .filter(|h| h.attr("ref").is_some_and(|r| r.eq_ignore_ascii_case(cell)))
        .collect();
    if matching.is_empty() {
        return;
    }
    if matching.len() == links.children.len() {
        splice(xml, links.start, links.end, "");
    } else {
        for h in matching.iter().rev() {
            splice(xml, h.start, h.end, "");
        }
    }
}

/// Adds `<hyperlink ref r:id>` to `<hyperlinks>`, creating that element at its
/// schema position (after dataValidations, before printOptions/pageMargins...).
fn insert_hyperlink(xml: &mut String, cell: &str, prefix: &str, id: &str) {
    let root = parse_tree(xml);
    let element = format!(
        "<hyperlink ref=\"{}\" {prefix}:id=\"{id}\"/>",
        cell.replace('$', "").to_ascii_uppercase()
    );
    match root.child("hyperlinks") {
        Some(links) if !links.empty => splice(xml, links.close_start, links.close_start, &element),
        Some(links) => {
            let q = links.qname(xml).to_string();
            let with = format!("<{q}>{element}</{q}>");
            splice(xml, links.start, links.end, &with);
        }
        None => {
            let at = root
                .children
                .iter()
                .find(|n| AFTER_HYPERLINKS.contains(&n.name.as_str()))
                .map_or(root.close_start, |n| n.start);
            splice(xml, at, at, &format!("<hyperlinks>{element}</hyperlinks>"));
        }
    }
}
