//! Draft e-mails (.eml) that the city team opens in Outlook or Thunderbird and
//! sends: one per OPD with its template attached (`monev templat --eml`), and
//! reminders ([`super::remind`]).
//!
//! A draft is an RFC 5322 message with a MIME multipart body built by
//! mail-builder: a UTF-8 text body (quoted-printable or base64 as mail-builder
//! judges best), the workbook attached as
//! `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` with its
//! file name in RFC 2231 encoding (`filename*=UTF-8''…`) when it is not plain
//! ASCII, the subject in RFC 2047 encoding when it is not, and `X-Unsent: 1`,
//! which makes Outlook open the file as an unsent draft ready to send.
//!
//! The body comes from a text template in `templates/` (embedded; a pemda may
//! pass its own file). Placeholders: `{nama}` (OPD name), `{tahun}`, `{tenggat}`
//! ("31 Agustus 2026"), `{batas_waktu}` (the deadline sentence, which says
//! whether the deadline is still ahead or has passed on the draft's date, see
//! [`deadline_sentence`]), `{tim_kota}`, `{tim_pd}`, `{berkas}` (the
//! attachment's file name), `{alamat_balik}` (where to send the report back)
//! and, in reminders, `{alasan}` (what was wrong with what was received); in
//! feedback replies `{alasan}` is the summary of the findings and `{lampiran}`
//! what the attached feedback workbook holds and what to do with it.
//!
//! The library never reads the clock: the Date header is given by the caller.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate};
use mail_builder::MessageBuilder;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::raw::Raw;
use mail_builder::mime::MimePart;

use crate::error::{Error, Result, describe_io};
use crate::form::Form;
use crate::roster::Unit;

/// The content type of an .xlsx attachment.
pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The embedded body of the drafts written by `monev templat --eml`
/// (`templates/surel-templat.txt`).
pub const INVITATION_BODY: &str = include_str!("../../templates/surel-templat.txt");

/// Where drafts go and what they say, as the binary resolves it.
#[derive(Debug, Clone)]
pub struct DraftConfig {
    /// The folder the .eml files are written to.
    pub dir: PathBuf,
    /// The team's address (`--dari`): the From header and where reports go back.
    pub from: Option<String>,
    /// A body template file replacing the embedded one.
    pub body: Option<PathBuf>,
    /// The Date header (the binary reads the clock, the library never does).
    pub date: DateTime<FixedOffset>,
}

/// One draft, ready to build.
#[derive(Debug, Clone)]
pub struct Draft<'a> {
    /// The recipient's address; None leaves To out (the operator fills it in).
    pub to: Option<&'a str>,
    /// The recipient's display name (e.g. the OPD's name).
    pub to_name: &'a str,
    /// The sender's address; None leaves From to the mail program's account.
    pub from: Option<&'a str>,
    /// The sender's display name (e.g. the city team).
    pub from_name: &'a str,
    pub subject: String,
    /// The plain-text body.
    pub body: String,
    /// The attachment's file name, as the recipient sees it.
    pub attachment_name: &'a str,
    /// The attachment's bytes (an .xlsx workbook).
    pub attachment: &'a [u8],
    pub date: DateTime<FixedOffset>,
    /// The Message-ID, without angle brackets.
    pub message_id: String,
}

/// Builds the .eml bytes of a draft. Pure: the same draft gives the same bytes.
pub fn build(d: &Draft) -> Vec<u8> {
    let mut message = MessageBuilder::new()
        .message_id(d.message_id.as_str())
        .header("Date", Raw::new(d.date.to_rfc2822()))
        .subject(d.subject.as_str())
        .header("X-Unsent", Raw::new("1"))
        .header("X-Mailer", Raw::new(crate::template::APP));
    if let Some(from) = d.from {
        message = message.from((d.from_name, from));
    }
    if let Some(to) = d.to {
        message = message.to((d.to_name, to));
    }
    // The boundary comes from the Message-ID, so the same draft gives the same bytes.
    let boundary = format!(
        "monev-{}",
        &crate::ingest::source::sha256(d.message_id.as_bytes())[..32]
    );
    let text = MimePart::new("text/plain", normalize_newlines(&d.body));
    let attachment = MimePart::new(
        ContentType::new(XLSX_MIME).attribute("name", d.attachment_name),
        d.attachment,
    )
    .attachment(d.attachment_name);
    message = message.body(MimePart::new(
        ContentType::new("multipart/mixed").attribute("boundary", boundary),
        vec![text, attachment],
    ));
    let mut out = Vec::new();
    message.serialize(&mut out);
    out
}

/// CRLF line ends, as RFC 5322 wants, whatever the template file used.
fn normalize_newlines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', "\r\n")
}

/// The subject of an OPD's invitation draft:
/// `Formulir Monev Budaya Kerja BerAKHLAK Tahun 2026 – Dinas Kesehatan`.
pub fn invitation_subject(year: i32, unit_name: &str) -> String {
    format!("Formulir Monev Budaya Kerja BerAKHLAK Tahun {year} – {unit_name}")
}

/// The file name of an OPD's invitation draft, beside its template:
/// `monev-budaya-kerja-2026-dinkes.eml`.
pub fn invitation_file_name(year: i32, code: &str) -> String {
    format!("monev-budaya-kerja-{year}-{code}.eml")
}

/// Reads a body template: the given file (decoded as UTF-8 or Windows-1252),
/// else `embedded`. Errors: the file can't be read.
pub fn load_body(path: Option<&Path>, embedded: &str) -> Result<String> {
    match path {
        None => Ok(embedded.to_string()),
        Some(p) => std::fs::read(p)
            .map(|b| {
                crate::text::decode_text(&b)
                    .trim_start_matches('\u{feff}')
                    .to_string()
            })
            .map_err(|e| Error::EmailTemplateUnreadable {
                path: p.to_path_buf(),
                reason: describe_io(&e),
            }),
    }
}

/// Indonesian month names, January first.
const MONTHS: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

/// The deadline sentence of a draft written on `today` (the draft's date, in
/// WIB, as the binary gives it; the library never reads the clock), for the
/// reports of `year`. The rule is Lampiran D of Perwal 34/2023: reports go to
/// the city team "secara berkala per tahun selambat-lambatnya bulan Agustus";
/// monev uses the form's deadline date (31 Agustus). On or before that day
/// the deadline is still ahead; after it, it "telah lewat", and the OPD is
/// asked to send as soon as possible rather than by a date already past.
pub fn deadline_sentence(form: &Form, year: i32, today: NaiveDate) -> String {
    let month = MONTHS
        .get(form.deadline.month.wrapping_sub(1) as usize)
        .copied()
        .unwrap_or("Agustus");
    let date = form.deadline_text(year);
    if today > form.deadline_date(year) {
        format!(
            "Batas waktu pengiriman laporan, selambat-lambatnya bulan {month} {year} ({date}), telah lewat; mohon laporan dikirim sesegera mungkin."
        )
    } else {
        format!(
            "Batas waktu pengiriman laporan adalah {date} (selambat-lambatnya bulan {month} {year})."
        )
    }
}

/// Fills a body template for one OPD (see the module docs for placeholders);
/// `today` is the draft's date, for `{batas_waktu}`.
#[allow(clippy::too_many_arguments)]
pub fn fill_body(
    template: &str,
    form: &Form,
    unit: &Unit,
    year: i32,
    attachment_name: &str,
    reply_to: Option<&str>,
    reason: &str,
    today: NaiveDate,
) -> String {
    form.fill(template, &unit.name, year)
        .replace("{batas_waktu}", &deadline_sentence(form, year, today))
        .replace("{berkas}", attachment_name)
        .replace(
            "{alamat_balik}",
            reply_to.unwrap_or("alamat pengirim surel ini"),
        )
        .replace("{alasan}", reason)
}

/// A Message-ID that names what the draft is for, e.g.
/// `monev.2026.dinkes.templat.1787900000@serangkota.go.id`.
pub fn message_id(
    kind: &str,
    year: i32,
    code: &str,
    date: DateTime<FixedOffset>,
    from: Option<&str>,
) -> String {
    let domain = from
        .and_then(|f| f.rsplit_once('@'))
        .map(|(_, d)| d)
        .filter(|d| !d.is_empty())
        .unwrap_or("monev.invalid");
    format!("monev.{year}.{code}.{kind}.{}@{domain}", date.timestamp())
}

/// The invitation draft of one OPD, with its template attached.
pub fn invitation(
    form: &Form,
    unit: &Unit,
    year: i32,
    template_name: &str,
    template: &[u8],
    body_template: &str,
    config: &DraftConfig,
) -> Vec<u8> {
    let from = config.from.as_deref();
    build(&Draft {
        to: unit.email.as_deref(),
        to_name: &unit.name,
        from,
        from_name: &form.regulation.city_team,
        subject: invitation_subject(year, &unit.name),
        body: fill_body(
            body_template,
            form,
            unit,
            year,
            template_name,
            from,
            "",
            config.date.date_naive(),
        ),
        attachment_name: template_name,
        attachment: template,
        date: config.date,
        message_id: message_id("templat", year, &unit.code, config.date, from),
    })
}

/// The terminal lines after `templat --eml`: where the drafts are, and which
/// OPDs have no address in the roster (their drafts have an empty To).
pub fn summary(units: &[&Unit], dir: &Path) -> String {
    let mut out = format!(
        "{} draf surel (.eml) ditulis ke {}; buka di Outlook atau Thunderbird, periksa, lalu kirim.\n",
        units.len(),
        dir.display()
    );
    let without: Vec<_> = units.iter().filter(|u| u.email.is_none()).collect();
    if !without.is_empty() {
        out.push_str(&format!(
            "{} OPD tanpa alamat surel dalam daftar OPD (kolom Kepada pada drafnya kosong, isi sebelum mengirim):\n",
            without.len()
        ));
        for u in without {
            out.push_str(&format!("  - {} ({})\n", u.name, u.code));
        }
    }
    out
}

/// The embedded body of feedback replies (`templates/surel-umpan-balik.txt`).
pub const FEEDBACK_BODY: &str = include_str!("../../templates/surel-umpan-balik.txt");

/// The file name of a feedback reply draft: `umpan-balik-2026-dinkes.eml`.
pub fn feedback_file_name(year: i32, code: &str) -> String {
    format!("umpan-balik-{year}-{code}.eml")
}

/// The reply that takes an OPD its feedback workbook (`monev rekap
/// --umpan-balik FOLDER --eml FOLDER`): to the address the report came from,
/// else the roster's; the body summarises the status, score and findings
/// (`summary`, the body's `{alasan}`) and says what the attachment holds
/// (`attachment_note`, its `{lampiran}`, from
/// [`crate::report::feedback::attachment_note`]). `complete`: the report is
/// Lengkap, so the deadline (`{batas_waktu}`) is not restated: the OPD is
/// not asked to send anything.
#[allow(clippy::too_many_arguments)]
pub fn feedback_reply(
    form: &Form,
    unit: &Unit,
    to: Option<&str>,
    year: i32,
    summary: &str,
    attachment_note: &str,
    complete: bool,
    attachment_name: &str,
    attachment: &[u8],
    body_template: &str,
    config: &DraftConfig,
) -> Vec<u8> {
    let from = config.from.as_deref();
    // Before the other placeholders, so text from the OPD's cells in the
    // summary is never taken for one.
    let mut body_template = body_template.replace("{lampiran}", attachment_note);
    if complete {
        body_template = body_template
            .replace(" {batas_waktu}", "")
            .replace("{batas_waktu}", "");
    }
    build(&Draft {
        to,
        to_name: &unit.name,
        from,
        from_name: &form.regulation.city_team,
        subject: format!(
            "Umpan Balik Monev Budaya Kerja BerAKHLAK Tahun {year} – {}",
            unit.name
        ),
        body: fill_body(
            &body_template,
            form,
            unit,
            year,
            attachment_name,
            from,
            summary,
            config.date.date_naive(),
        ),
        attachment_name,
        attachment,
        date: config.date,
        message_id: message_id("umpan-balik", year, &unit.code, config.date, from),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use mail_parser::{MessageParser, MimeHeaders};

    fn unit() -> Unit {
        Unit {
            code: "dinkes".into(),
            name: "Dinas Kesehatan".into(),
            email: Some("dinkes@serangkota.go.id".into()),
        }
    }

    fn date() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-07-01T08:00:00+07:00").unwrap()
    }

    #[test]
    fn invitation_body_names_the_deadline_the_file_and_the_return_address() {
        let form = Form::embedded().unwrap();
        let body = fill_body(
            INVITATION_BODY,
            &form,
            &unit(),
            2026,
            "monev-budaya-kerja-2026-dinkes.xlsx",
            Some("rb@serangkota.go.id"),
            "",
            date().date_naive(),
        );
        assert!(body.contains("31 Agustus 2026"), "{body}");
        assert!(body.contains("bulan Agustus"));
        assert!(body.contains("\"monev-budaya-kerja-2026-dinkes.xlsx\" tidak diubah"));
        assert!(body.contains("ke rb@serangkota.go.id"));
        assert!(body.contains("Dinas Kesehatan"));
        assert!(!body.contains('{'), "placeholder left: {body}");
    }

    #[test]
    fn a_draft_parses_back_with_its_headers_and_attachment() {
        let form = Form::embedded().unwrap();
        let cfg = DraftConfig {
            dir: PathBuf::from("."),
            from: Some("rb@serangkota.go.id".into()),
            body: None,
            date: date(),
        };
        let bytes = b"PK\x03\x04 not really a workbook";
        let eml = invitation(
            &form,
            &unit(),
            2026,
            "lapor\u{e1}n.xlsx",
            bytes,
            INVITATION_BODY,
            &cfg,
        );
        assert_eq!(
            eml,
            invitation(
                &form,
                &unit(),
                2026,
                "lapor\u{e1}n.xlsx",
                bytes,
                INVITATION_BODY,
                &cfg
            ),
            "drafts are deterministic"
        );
        let m = MessageParser::default().parse(&eml).unwrap();
        assert_eq!(
            m.subject(),
            Some("Formulir Monev Budaya Kerja BerAKHLAK Tahun 2026 – Dinas Kesehatan")
        );
        assert_eq!(m.header_raw("X-Unsent").map(str::trim), Some("1"));
        let a = m.attachments().next().unwrap();
        assert_eq!(a.attachment_name(), Some("lapor\u{e1}n.xlsx"));
        assert_eq!(a.contents(), bytes);
    }
}
