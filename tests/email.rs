//! The e-mail round trip: drafts out (`monev templat --eml`), mailboxes in
//! (`monev rekap` on .mbox) and reminders (`monev pengingat`). Drafts are parsed
//! back with mail-parser; mailboxes are built with mail-builder from real
//! filled templates.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::DateTime;
use common::Filler;
use common::mail::{XLSX, append_mbox, forward, html_only, message};
use common::scenario::{fill_complete, fill_template};
use mail_parser::{MessageParser, MimeHeaders};
use monev::finding::Code;
use monev::ingest::IdentifiedBy;
use monev::model::{FileStatus, Rekap};
use monev::rekap::{NoProgress, compile};
use monev::roster::Roster;
use monev::score::Rubric;

const YEAR: i32 = 2026;

/// A roster with addresses for most units; Kecamatan Taktakan has none.
const ROSTER: &str = "kode,nama,email
dinkes,Dinas Kesehatan,dinkes@serangkota.go.id
dishub,Dinas Perhubungan,dishub@serangkota.go.id
dlh,Dinas Lingkungan Hidup,dlh@serangkota.go.id
bapenda,Badan Pendapatan Daerah,bapenda@serangkota.go.id
disdukcapil,Dinas Kependudukan dan Pencatatan Sipil,disdukcapil@serangkota.go.id
kec-serang,Kecamatan Serang,kec.serang@serangkota.go.id
dinsos,Dinas Sosial,dinsos@serangkota.go.id
disnaker,Dinas Tenaga Kerja,disnaker@serangkota.go.id
perkim,Dinas Perumahan dan Kawasan Permukiman,perkim@serangkota.go.id
damkar,Dinas Pemadam Kebakaran dan Penyelamatan,damkar@serangkota.go.id
rsud,Rumah Sakit Umum Daerah Kota Serang,rsud@serangkota.go.id
dindikbud,Dinas Pendidikan dan Kebudayaan,dindikbud@serangkota.go.id
kec-taktakan,Kecamatan Taktakan,
";

fn roster() -> Roster {
    Roster::from_csv(ROSTER, "opd.csv").unwrap()
}

fn monev() -> Command {
    Command::cargo_bin("monev").unwrap()
}

/// `code`'s template filled by `fill`, as bytes.
fn filled(work: &Path, code: &str, fill: impl FnOnce(&mut Filler)) -> Vec<u8> {
    let unit = roster().get(code).unwrap().clone();
    let out = work.join(format!("isi-{code}.xlsx"));
    fill_template(
        &common::form(),
        &unit,
        YEAR,
        work,
        "2026-08-01T00:00:00Z",
        &out,
        fill,
    );
    let bytes = fs::read(&out).unwrap();
    fs::remove_file(&out).unwrap();
    bytes
}

fn complete(work: &Path, code: &str) -> Vec<u8> {
    filled(work, code, |f| fill_complete(f, code, YEAR))
}

fn blank(code: &str) -> Vec<u8> {
    monev::template::build(&common::form(), roster().get(code).unwrap(), YEAR).unwrap()
}

// ---------------------------------------------------------------------------
// Drafts out

fn attachment_bytes(eml: &[u8]) -> (String, Vec<u8>, String) {
    let m = MessageParser::default().parse(eml).unwrap();
    let a = m.attachments().next().expect("one attachment");
    (
        a.attachment_name().unwrap().to_string(),
        a.contents().to_vec(),
        a.content_type()
            .map(|c| format!("{}/{}", c.ctype(), c.subtype().unwrap_or("")))
            .unwrap(),
    )
}

/// The raw text of a header, unfolded.
fn raw_header(eml: &[u8], name: &str) -> String {
    let text = String::from_utf8_lossy(eml);
    let head = text.split("\r\n\r\n").next().unwrap();
    let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    unfolded
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .unwrap_or_else(|| panic!("no {name} header in {head}"))
        .to_string()
}

#[test]
fn templat_eml_writes_a_draft_per_opd_with_its_template_attached() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("opd.csv"), ROSTER).unwrap();
    let out = monev()
        .current_dir(d)
        .args([
            "templat", "--opd", "opd.csv", "--tahun", "2026", "-o", "templat",
        ])
        .args([
            "--hanya",
            "dinkes",
            "kec-taktakan",
            "--eml",
            "draf",
            "--dari",
            "rb@serangkota.go.id",
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("2 draf surel (.eml) ditulis ke draf"),
        "{stdout}"
    );
    assert!(stdout.contains("1 OPD tanpa alamat surel"), "{stdout}");
    assert!(
        stdout.contains("Kecamatan Taktakan (kec-taktakan)"),
        "{stdout}"
    );
    assert!(!stdout.contains("Dinas Kesehatan (dinkes)"), "{stdout}");

    let eml = fs::read(d.join("draf/monev-budaya-kerja-2026-dinkes.eml")).unwrap();
    let m = MessageParser::default().parse(&eml).unwrap();
    // Subject: non-ASCII (an en dash), RFC 2047 encoded on the wire.
    assert_eq!(
        m.subject(),
        Some("Formulir Monev Budaya Kerja BerAKHLAK Tahun 2026 – Dinas Kesehatan")
    );
    let raw_subject = raw_header(&eml, "Subject");
    assert!(raw_subject.starts_with("=?utf-8?"), "{raw_subject}");
    assert!(raw_subject.is_ascii());
    assert_eq!(raw_header(&eml, "X-Unsent"), "1");
    let to = m.to().unwrap().first().unwrap();
    assert_eq!(to.address(), Some("dinkes@serangkota.go.id"));
    assert_eq!(to.name(), Some("Dinas Kesehatan"));
    assert_eq!(
        m.from().unwrap().first().unwrap().address(),
        Some("rb@serangkota.go.id")
    );
    assert!(m.date().is_some());
    let body = m.body_text(0).unwrap();
    assert!(body.contains("31 Agustus 2026"), "{body}");
    assert!(body.contains("\"monev-budaya-kerja-2026-dinkes.xlsx\" tidak diubah"));
    assert!(body.contains("ke rb@serangkota.go.id"));
    let (name, bytes, ctype) = attachment_bytes(&eml);
    assert_eq!(name, "monev-budaya-kerja-2026-dinkes.xlsx");
    assert_eq!(ctype, XLSX);
    assert_eq!(
        bytes,
        fs::read(d.join("templat/monev-budaya-kerja-2026-dinkes.xlsx")).unwrap(),
        "the attachment is the template, byte for byte"
    );

    // No address in the roster: no To, the draft is still written.
    let eml = fs::read(d.join("draf/monev-budaya-kerja-2026-kec-taktakan.eml")).unwrap();
    let m = MessageParser::default().parse(&eml).unwrap();
    assert!(m.to().is_none());
    assert_eq!(
        m.subject(),
        Some("Formulir Monev Budaya Kerja BerAKHLAK Tahun 2026 – Kecamatan Taktakan")
    );

    // Drafts left in an input folder are not read as reports.
    let out = monev()
        .current_dir(d)
        .args([
            "rekap",
            "draf",
            "--opd",
            "opd.csv",
            "-o",
            "rekap.xlsx",
            "--json",
            "r.json",
        ])
        .assert()
        .success();
    drop(out);
    let j: serde_json::Value =
        serde_json::from_slice(&fs::read(d.join("r.json")).unwrap()).unwrap();
    assert_eq!(j["files"].as_array().unwrap().len(), 0);
    let skipped = j["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 2);
    assert!(skipped[0]["reason"].as_str().unwrap().contains("X-Unsent"));
}

#[test]
fn a_draft_encodes_a_non_ascii_file_name_and_a_pemda_body() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The pure builder with a non-ASCII attachment name.
    let unit = roster().get("dinkes").unwrap().clone();
    let date = DateTime::parse_from_rfc3339("2026-07-01T08:00:00+07:00").unwrap();
    let template = blank("dinkes");
    let name = "Formulir BerAKHLAK – Dinas Kesehatan (édisi 2026).xlsx";
    let eml = monev::email::draft::build(&monev::email::draft::Draft {
        to: unit.email.as_deref(),
        to_name: &unit.name,
        from: Some("rb@serangkota.go.id"),
        from_name: "Tim Percepatan Reformasi Birokrasi",
        subject: "Uji – ÄÖÜ".into(),
        body: "Isi surel: tenggat 31 Agustus.\n".into(),
        attachment_name: name,
        attachment: &template,
        date,
        message_id: "uji@serangkota.go.id".into(),
    });
    let disposition = raw_header(&eml_part_head(&eml), "Content-Disposition");
    assert!(
        disposition.contains("filename*=UTF-8''") || disposition.contains("filename*0*=UTF-8''"),
        "RFC 2231 encoded: {disposition}"
    );
    assert!(
        String::from_utf8_lossy(&eml).is_ascii(),
        "everything on the wire is ASCII"
    );
    let (got_name, bytes, _) = attachment_bytes(&eml);
    assert_eq!(got_name, name);
    assert_eq!(bytes, template);
    let m = MessageParser::default().parse(&eml).unwrap();
    assert_eq!(m.subject(), Some("Uji – ÄÖÜ"));
    assert_eq!(
        m.header_raw("Date").map(str::trim),
        Some("Wed, 1 Jul 2026 08:00:00 +0700")
    );

    // A pemda's own body text.
    fs::write(d.join("opd.csv"), ROSTER).unwrap();
    fs::write(
        d.join("isi.txt"),
        "Kepada {nama}: kirim {berkas} sebelum {tenggat} ke {alamat_balik}.\n",
    )
    .unwrap();
    monev()
        .current_dir(d)
        .args([
            "templat", "--opd", "opd.csv", "--tahun", "2026", "-o", "t", "--hanya", "dishub",
        ])
        .args(["--email", "t", "--isi-surel", "isi.txt", "-q"])
        .assert()
        .success();
    let eml = fs::read(d.join("t/monev-budaya-kerja-2026-dishub.eml")).unwrap();
    let m = MessageParser::default().parse(&eml).unwrap();
    assert_eq!(
        m.body_text(0).unwrap().trim(),
        "Kepada Dinas Perhubungan: kirim monev-budaya-kerja-2026-dishub.xlsx sebelum 31 Agustus 2026 ke alamat pengirim surel ini."
    );
    assert!(
        m.from().is_none(),
        "without --dari the mail program's account sends it"
    );
    // An unreadable body template stops before anything is written.
    monev()
        .current_dir(d)
        .args([
            "templat",
            "--opd",
            "opd.csv",
            "--tahun",
            "2026",
            "-o",
            "u",
            "--eml",
            "u",
            "--isi-surel",
            "tidak-ada.txt",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "Templat isi surel 'tidak-ada.txt' tidak dapat dibaca",
        ));
    assert!(
        !d.join("u")
            .join("monev-budaya-kerja-2026-dishub.xlsx")
            .exists()
    );
}

/// The headers of the attachment part of a draft (the part after the last boundary).
fn eml_part_head(eml: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(eml);
    let at = text.rfind("Content-Type: application/").unwrap();
    text[at..].as_bytes().to_vec()
}

// ---------------------------------------------------------------------------
// Mailboxes in

struct Inbox {
    _dir: tempfile::TempDir,
    root: PathBuf,
    mbox: PathBuf,
}

/// The mailbox of the issue, built from real filled templates.
fn inbox() -> Inbox {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let work = root.join("kerja");
    fs::create_dir_all(&work).unwrap();
    fs::create_dir_all(root.join("masuk")).unwrap();
    let text = "Bersama ini kami sampaikan laporan.";
    let mut mbox = Vec::new();
    let dinkes_first = complete(&work, "dinkes");
    let dinkes_second = filled(&work, "dinkes", |f| {
        fill_complete(f, "dinkes", YEAR);
        f.text("Tabel 1", "C8", "Apel pagi (perbaikan)");
    });
    // 1. One message, two attachments for two OPDs, sent by someone outside the roster.
    append_mbox(
        &mut mbox,
        "operator@gmail.com",
        &message(
            "operator@gmail.com",
            "Thu, 20 Aug 2026 09:00:00 +0700",
            "Laporan Dinkes dan Dishub",
            text,
            &[
                ("monev-budaya-kerja-2026-dinkes.xlsx", XLSX, &dinkes_first),
                (
                    "monev-budaya-kerja-2026-dishub.xlsx",
                    XLSX,
                    &complete(&work, "dishub"),
                ),
            ],
        ),
    );
    // 2. A non-ASCII file name.
    append_mbox(
        &mut mbox,
        "dlh@serangkota.go.id",
        &message(
            "dlh@serangkota.go.id",
            "Fri, 21 Aug 2026 10:00:00 +0700",
            "Laporan DLH",
            text,
            &[(
                "Laporan Monev – Dinas Lingkungan Hidup (ké-2).xlsx",
                XLSX,
                &complete(&work, "dlh"),
            )],
        ),
    );
    // 3. A name that tries to climb out of any folder.
    append_mbox(
        &mut mbox,
        "bapenda@serangkota.go.id",
        &message(
            "bapenda@serangkota.go.id",
            "Fri, 21 Aug 2026 11:00:00 +0700",
            "Laporan Bapenda",
            text,
            &[(
                "../../../bapenda-lolos.xlsx",
                "application/octet-stream",
                &complete(&work, "bapenda"),
            )],
        ),
    );
    // 4. HTML only, no attachment.
    append_mbox(
        &mut mbox,
        "disdukcapil@serangkota.go.id",
        &html_only(
            "disdukcapil@serangkota.go.id",
            "Sat, 22 Aug 2026 08:00:00 +0700",
            "Laporan menyusul",
            "<p>Laporan kami menyusul minggu depan.</p>\n<p>From the desk of Kadis</p>",
        ),
    );
    // 5. Late.
    append_mbox(
        &mut mbox,
        "kec.serang@serangkota.go.id",
        &message(
            "kec.serang@serangkota.go.id",
            "Wed, 2 Sep 2026 08:15:00 +0700",
            "Laporan Kecamatan Serang",
            text,
            &[(
                "monev-budaya-kerja-2026-kec-serang.xlsx",
                XLSX,
                &complete(&work, "kec-serang"),
            )],
        ),
    );
    // 6. Dinkes writes again: the later message wins.
    append_mbox(
        &mut mbox,
        "dinkes@serangkota.go.id",
        &message(
            "dinkes@serangkota.go.id",
            "Tue, 25 Aug 2026 14:00:00 +0700",
            "Perbaikan laporan Dinkes",
            text,
            &[("monev-budaya-kerja-2026-dinkes.xlsx", XLSX, &dinkes_second)],
        ),
    );
    // 7. Dinsos reports, then replies to the invitation with the untouched template.
    append_mbox(
        &mut mbox,
        "dinsos@serangkota.go.id",
        &message(
            "dinsos@serangkota.go.id",
            "Fri, 21 Aug 2026 15:00:00 +0700",
            "Laporan Dinsos",
            text,
            &[(
                "monev-budaya-kerja-2026-dinsos.xlsx",
                XLSX,
                &complete(&work, "dinsos"),
            )],
        ),
    );
    append_mbox(
        &mut mbox,
        "dinsos@serangkota.go.id",
        &message(
            "dinsos@serangkota.go.id",
            "Thu, 27 Aug 2026 09:00:00 +0700",
            "Re: Formulir Monev Budaya Kerja BerAKHLAK Tahun 2026 – Dinas Sosial",
            "Terima kasih, templat sudah kami terima.\n\n> From: Tim\n> Mohon diisi.",
            &[(
                "monev-budaya-kerja-2026-dinsos.xlsx",
                XLSX,
                &blank("dinsos"),
            )],
        ),
    );
    // 8. Forwarded by the secretariat: Disnaker's own message inside.
    let inner = message(
        "disnaker@serangkota.go.id",
        "Mon, 24 Aug 2026 16:30:00 +0700",
        "Laporan Disnaker",
        text,
        &[("laporan-disnaker.xlsx", XLSX, &complete(&work, "disnaker"))],
    );
    append_mbox(
        &mut mbox,
        "sekretariat@serangkota.go.id",
        &forward(
            "sekretariat@serangkota.go.id",
            "Tue, 25 Aug 2026 07:00:00 +0700",
            &inner,
        ),
    );
    // 9. Known only by its sender: the identity got lost and the name says nothing.
    let anonymous = filled(&work, "perkim", |f| {
        fill_complete(f, "perkim", YEAR);
        f.forget_identity();
    });
    append_mbox(
        &mut mbox,
        "perkim@serangkota.go.id",
        &message(
            "PERKIM@serangkota.go.id",
            "Wed, 26 Aug 2026 10:00:00 +0700",
            "Laporan",
            text,
            &[("laporan.xlsx", XLSX, &anonymous)],
        ),
    );
    // 10. Unreadable: a PDF under an .xlsx name (rejected before its OPD is known).
    append_mbox(
        &mut mbox,
        "rsud@serangkota.go.id",
        &message(
            "rsud@serangkota.go.id",
            "Thu, 27 Aug 2026 10:00:00 +0700",
            "Laporan RSUD",
            text,
            &[("laporan-rsud.xlsx", XLSX, b"%PDF-1.4 hasil pindai")],
        ),
    );
    // 11. Dindikbud sends only the blank template.
    append_mbox(
        &mut mbox,
        "dindikbud@serangkota.go.id",
        &message(
            "dindikbud@serangkota.go.id",
            "Thu, 27 Aug 2026 11:00:00 +0700",
            "Re: Formulir",
            text,
            &[(
                "monev-budaya-kerja-2026-dindikbud.xlsx",
                XLSX,
                &blank("dindikbud"),
            )],
        ),
    );
    let path = root.join("masuk").join("Kotak Masuk.mbox");
    fs::write(&path, mbox).unwrap();
    fs::remove_dir_all(&work).unwrap();
    Inbox {
        _dir: dir,
        root,
        mbox: path,
    }
}

fn run(inputs: &[PathBuf]) -> Rekap {
    compile(
        &common::form(),
        &roster(),
        &Rubric::embedded().unwrap(),
        &common::rekap_config(inputs.to_vec(), Some(YEAR)),
        &NoProgress,
    )
    .unwrap()
}

fn file<'a>(r: &'a Rekap, ends_with: &str) -> &'a monev::model::FileResult {
    r.files
        .iter()
        .find(|f| f.path.ends_with(ends_with))
        .unwrap_or_else(|| {
            panic!(
                "no file ending in {ends_with}: {:#?}",
                r.files.iter().map(|f| &f.path).collect::<Vec<_>>()
            )
        })
}

fn at(s: &str) -> Option<DateTime<chrono::FixedOffset>> {
    Some(DateTime::parse_from_rfc3339(s).unwrap())
}

#[test]
fn rekap_reads_every_spreadsheet_of_a_mailbox_with_its_date_and_sender() {
    let inbox = inbox();
    let r = run(std::slice::from_ref(&inbox.mbox));
    let unit = |code: &str| r.units.iter().find(|u| u.code == code).unwrap();
    // A mailbox given directly is named by its own name, never the local folder.
    let mb = inbox
        .mbox
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();

    // One message, two OPDs.
    let dishub = file(
        &r,
        "» pesan 1 «Laporan Dinkes dan Dishub» » monev-budaya-kerja-2026-dishub.xlsx",
    );
    assert_eq!(dishub.status, FileStatus::Used);
    assert_eq!(dishub.unit.as_deref(), Some("dishub"));
    assert_eq!(dishub.sender.as_deref(), Some("operator@gmail.com"));
    assert_eq!(dishub.submitted_at, at("2026-08-20T09:00:00+07:00"));
    assert!(dishub.path.starts_with(&mb));

    // The later of Dinkes' two messages wins.
    let first = file(
        &r,
        "» pesan 1 «Laporan Dinkes dan Dishub» » monev-budaya-kerja-2026-dinkes.xlsx",
    );
    assert_eq!(first.status, FileStatus::Superseded);
    let second = file(
        &r,
        "» pesan 6 «Perbaikan laporan Dinkes» » monev-budaya-kerja-2026-dinkes.xlsx",
    );
    assert_eq!(second.status, FileStatus::Used);
    assert_eq!(second.sender.as_deref(), Some("dinkes@serangkota.go.id"));
    assert_eq!(unit("dinkes").file.as_deref(), Some(second.path.as_str()));
    assert_eq!(unit("dinkes").submitted_at, at("2026-08-25T14:00:00+07:00"));

    // A non-ASCII file name is kept as sent.
    let dlh = file(&r, "» Laporan Monev – Dinas Lingkungan Hidup (ké-2).xlsx");
    assert_eq!(dlh.status, FileStatus::Used);
    assert_eq!(dlh.unit.as_deref(), Some("dlh"));

    // "../" never reaches a shown name, and nothing is written anywhere.
    let bapenda = file(&r, "» pesan 3 «Laporan Bapenda» » bapenda-lolos.xlsx");
    assert_eq!(bapenda.unit.as_deref(), Some("bapenda"));
    assert_eq!(bapenda.status, FileStatus::Used);
    for f in &r.files {
        assert!(!f.path.contains("../"), "{}", f.path);
    }
    let mut written = Vec::new();
    for entry in walk(&inbox.root) {
        written.push(
            entry
                .strip_prefix(&inbox.root)
                .unwrap()
                .display()
                .to_string(),
        );
    }
    assert_eq!(
        written,
        ["masuk", "masuk/Kotak Masuk.mbox"],
        "attachments are never written to disk"
    );
    assert!(!Path::new("bapenda-lolos.xlsx").exists());

    // HTML only: listed as skipped, no attachment.
    let html = r
        .skipped
        .iter()
        .find(|s| s.path.ends_with("» pesan 4 «Laporan menyusul»"))
        .expect("the HTML-only message is listed");
    assert!(html.reason.starts_with("tanpa lampiran"), "{}", html.reason);

    // Late.
    let late = unit("kec-serang");
    assert!(late.late);
    assert_eq!(late.submitted_at, at("2026-09-02T08:15:00+07:00"));

    // The untouched template sent back later never supersedes the real report.
    let dinsos_real = file(
        &r,
        "» pesan 7 «Laporan Dinsos» » monev-budaya-kerja-2026-dinsos.xlsx",
    );
    let dinsos_blank = file(
        &r,
        "» pesan 8 «Re: Formulir Monev Budaya Kerja BerAKHLAK Tahun 2026 – Dinas Sosial» » monev-budaya-kerja-2026-dinsos.xlsx",
    );
    assert_eq!(dinsos_real.status, FileStatus::Used);
    assert_eq!(dinsos_blank.status, FileStatus::Empty);
    assert!(
        dinsos_blank
            .findings
            .iter()
            .any(|f| f.code == Code::FileEmpty),
        "{:?}",
        dinsos_blank.findings
    );
    assert_eq!(unit("dinsos").score, Some(100));

    // Forwarded: the OPD's own message gives the sender and the time.
    let disnaker = file(&r, "» Laporan Disnaker » laporan-disnaker.xlsx");
    assert_eq!(disnaker.unit.as_deref(), Some("disnaker"));
    assert_eq!(
        disnaker.sender.as_deref(),
        Some("disnaker@serangkota.go.id")
    );
    assert_eq!(disnaker.submitted_at, at("2026-08-24T16:30:00+07:00"));

    // Known only by its sender (any case), with an info finding saying so.
    let perkim = file(&r, "» pesan 10 «Laporan» » laporan.xlsx");
    assert_eq!(perkim.unit.as_deref(), Some("perkim"));
    assert_eq!(perkim.identified_by, Some(IdentifiedBy::Sender));
    assert_eq!(perkim.status, FileStatus::Used);
    let hint = perkim
        .findings
        .iter()
        .find(|f| f.code == Code::FileIdentifiedBySender)
        .expect("info finding");
    assert_eq!(hint.severity, monev::finding::Severity::Info);
    assert!(
        hint.message.contains("perkim@serangkota.go.id"),
        "{}",
        hint.message
    );
    assert_eq!(unit("perkim").score, Some(100));

    // Rejected, with its sender kept, and its OPD known from the sender.
    let rsud = file(&r, "» laporan-rsud.xlsx");
    assert_eq!(rsud.status, FileStatus::Rejected);
    assert_eq!(rsud.sender.as_deref(), Some("rsud@serangkota.go.id"));
    assert_eq!(rsud.unit.as_deref(), Some("rsud"));

    // Every message is accounted for: 12 attachments read, 1 message skipped.
    assert_eq!(
        r.files.len(),
        12,
        "{:#?}",
        r.files.iter().map(|f| &f.path).collect::<Vec<_>>()
    );
    assert_eq!(r.skipped.len(), 1, "{:?}", r.skipped);
}

/// Every path under `root`, sorted.
fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn senders_are_shown_in_berkas_and_in_the_json() {
    let inbox = inbox();
    let d = &inbox.root;
    fs::write(d.join("opd.csv"), ROSTER).unwrap();
    monev()
        .current_dir(d)
        .args([
            "rekap",
            "masuk",
            "--opd",
            "opd.csv",
            "--tahun",
            "2026",
            "-o",
            "rekap.xlsx",
            "--json",
            "rekap.json",
            "-q",
        ])
        .assert()
        .success();
    let j: serde_json::Value =
        serde_json::from_slice(&fs::read(d.join("rekap.json")).unwrap()).unwrap();
    let perkim = j["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["unit"] == "perkim")
        .unwrap();
    assert_eq!(perkim["sender"], "perkim@serangkota.go.id");
    assert_eq!(perkim["identified_by"], "sender");
    assert_eq!(perkim["submitted_at"], "2026-08-26T10:00:00+07:00");

    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(d.join("rekap.xlsx")).unwrap();
    let berkas = wb.worksheet_range("Berkas").unwrap();
    let header: Vec<String> = berkas
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = header
        .iter()
        .position(|h| h == "Pengirim")
        .expect("Pengirim column");
    let senders: Vec<String> = berkas.rows().skip(1).map(|r| r[col].to_string()).collect();
    assert!(
        senders.contains(&"perkim@serangkota.go.id".to_string()),
        "{senders:?}"
    );
    assert!(senders.contains(&"operator@gmail.com".to_string()));
    let skipped_row = berkas
        .rows()
        .find(|r| r[0].to_string().ends_with("«Laporan menyusul»"))
        .expect("skipped message listed in Berkas");
    let status = header.iter().position(|h| h == "Status").unwrap();
    assert_eq!(skipped_row[status].to_string(), "dilewati");
}

// ---------------------------------------------------------------------------
// Reminders

#[test]
fn pengingat_writes_a_draft_for_every_opd_without_a_usable_report() {
    let inbox = inbox();
    let d = &inbox.root;
    fs::write(d.join("opd.csv"), ROSTER).unwrap();
    let out = monev()
        .current_dir(d)
        .args([
            "pengingat",
            "masuk",
            "--opd",
            "opd.csv",
            "--tahun",
            "2026",
            "--eml",
            "pengingat",
        ])
        .args(["--dari", "rb@serangkota.go.id"])
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut drafts: Vec<String> = fs::read_dir(d.join("pengingat"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    drafts.sort();
    // Missing (damkar, disdukcapil with its HTML-only note, kec-taktakan without
    // an address), rejected (rsud) and blank (dindikbud); not dinsos, whose
    // blank reply came after a real report.
    assert_eq!(
        drafts,
        [
            "pengingat-2026-damkar.eml",
            "pengingat-2026-dindikbud.eml",
            "pengingat-2026-disdukcapil.eml",
            "pengingat-2026-kec-taktakan.eml",
            "pengingat-2026-rsud.eml",
        ]
    );
    assert!(stdout.contains("5 dari 13 OPD belum mengirim"), "{stdout}");
    assert!(
        stdout.contains(
            "Dinas Pemadam Kebakaran dan Penyelamatan (damkar) <damkar@serangkota.go.id>"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("Kecamatan Taktakan (kec-taktakan) <tanpa alamat surel>"),
        "{stdout}"
    );
    // Only drafts are written.
    assert!(!d.join("rekap.xlsx").exists());

    let read = |name: &str| fs::read(d.join("pengingat").join(name)).unwrap();
    let rsud = read("pengingat-2026-rsud.eml");
    let m = MessageParser::default().parse(&rsud).unwrap();
    assert_eq!(
        m.subject(),
        Some(
            "Pengingat: Formulir Monev Budaya Kerja BerAKHLAK Tahun 2026 – Rumah Sakit Umum Daerah Kota Serang"
        )
    );
    assert_eq!(m.header_raw("X-Unsent").map(str::trim), Some("1"));
    assert_eq!(
        m.to().unwrap().first().unwrap().address(),
        Some("rsud@serangkota.go.id")
    );
    let body = m.body_text(0).unwrap().replace("\r\n", "\n");
    assert!(
        body.contains("\"laporan-rsud.xlsx\", 27/08/2026 10:00 WIB"),
        "{body}"
    );
    assert!(body.contains("tidak dapat direkap"), "{body}");
    assert!(body.contains("31 Agustus 2026"));
    let (name, bytes, ctype) = attachment_bytes(&rsud);
    assert_eq!(name, "monev-budaya-kerja-2026-rsud.xlsx");
    assert_eq!(ctype, XLSX);
    // The blank template again: monev reads it as rsud's, with nothing filled.
    fs::write(d.join("kosong.xlsx"), &bytes).unwrap();
    let r = run(&[d.join("kosong.xlsx")]);
    assert_eq!(r.files[0].unit.as_deref(), Some("rsud"));
    assert_eq!(r.files[0].activities, 0);

    let body = |name: &str| {
        MessageParser::default()
            .parse(&read(name))
            .unwrap()
            .body_text(0)
            .unwrap()
            .replace("\r\n", "\n")
    };
    assert!(body("pengingat-2026-dindikbud.eml").contains("masih berupa templat kosong"));
    assert!(body("pengingat-2026-damkar.eml").contains(
        "Kami belum menerima berkas laporan dari Dinas Pemadam Kebakaran dan Penyelamatan."
    ));
}

#[test]
fn needs_reminder_is_the_one_rule() {
    let inbox = inbox();
    let r = run(std::slice::from_ref(&inbox.mbox));
    let needing: Vec<&str> = r
        .units
        .iter()
        .filter(|u| monev::email::remind::needs_reminder(u))
        .map(|u| u.code.as_str())
        .collect();
    assert_eq!(
        needing,
        ["disdukcapil", "damkar", "rsud", "dindikbud", "kec-taktakan"]
    );
}

// ---------------------------------------------------------------------------
// The deadline as of the day a draft is written

/// The plain-text body of a draft.
fn body_of(eml: &[u8]) -> String {
    MessageParser::default()
        .parse(eml)
        .unwrap()
        .body_text(0)
        .unwrap()
        .replace("\r\n", "\n")
}

const AHEAD: &str = "Batas waktu pengiriman laporan adalah 31 Agustus 2026 (selambat-lambatnya bulan Agustus 2026).";
const PASSED: &str = "Batas waktu pengiriman laporan, selambat-lambatnya bulan Agustus 2026 (31 Agustus 2026), telah lewat; mohon laporan dikirim sesegera mungkin.";

#[test]
fn every_draft_states_the_deadline_as_ahead_through_31_august_and_as_passed_after_it() {
    let form = common::form();
    let roster = roster();
    let rubric = Rubric::embedded().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let masuk = dir.path().join("masuk");
    fs::create_dir(&masuk).unwrap();
    fs::write(masuk.join("dinkes.xlsx"), complete(dir.path(), "dinkes")).unwrap();
    let rekap = compile(
        &form,
        &roster,
        &rubric,
        &common::rekap_config(vec![masuk], Some(YEAR)),
        &NoProgress,
    )
    .unwrap();
    let dinkes = rekap.units.iter().find(|u| u.code == "dinkes").unwrap();
    for (date, expected, not) in [
        ("2026-08-20T10:00:00+07:00", AHEAD, PASSED),
        // The deadline day itself, to its last minute in WIB.
        ("2026-08-31T23:59:00+07:00", AHEAD, PASSED),
        ("2026-09-01T00:01:00+07:00", PASSED, AHEAD),
        ("2027-01-05T08:00:00+07:00", PASSED, AHEAD),
    ] {
        let config = monev::email::draft::DraftConfig {
            dir: PathBuf::from("."),
            from: Some("rb@serangkota.go.id".into()),
            body: None,
            date: DateTime::parse_from_rfc3339(date).unwrap(),
        };
        let reminders = monev::email::remind::reminders(
            &rekap,
            &roster,
            &form,
            &config,
            monev::email::remind::REMINDER_BODY,
        )
        .unwrap();
        assert!(!reminders.is_empty());
        let dishub = roster.get("dishub").unwrap();
        let invitation = monev::email::draft::invitation(
            &form,
            dishub,
            YEAR,
            "monev-budaya-kerja-2026-dishub.xlsx",
            &blank("dishub"),
            monev::email::draft::INVITATION_BODY,
            &config,
        );
        let reply = monev::email::draft::feedback_reply(
            &form,
            roster.get("dinkes").unwrap(),
            Some("dinkes@serangkota.go.id"),
            YEAR,
            &monev::report::feedback_summary(dinkes, &rubric),
            &monev::report::feedback::attachment_note(dinkes, &form, YEAR),
            false,
            "umpan-balik-2026-dinkes.xlsx",
            b"PK",
            monev::email::draft::FEEDBACK_BODY,
            &config,
        );
        for (what, eml) in [
            ("pengingat", &reminders[0].bytes),
            ("undangan", &invitation),
            ("balasan umpan balik", &reply),
        ] {
            let body = body_of(eml);
            assert!(body.contains(expected), "{what} on {date}:\n{body}");
            assert!(!body.contains(not), "{what} on {date}:\n{body}");
        }
    }
}

#[test]
fn pengingat_says_the_deadline_has_passed_only_once_it_has() {
    use chrono::Datelike;
    // The binary drafts with today's date in WIB: a year still to come has
    // its deadline ahead, last year's has passed.
    let this_year = (chrono::Utc::now() + chrono::Duration::hours(7)).year();
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("opd.csv"), ROSTER).unwrap();
    let masuk = dir.path().join("masuk");
    fs::create_dir(&masuk).unwrap();
    fs::write(masuk.join("catatan.txt"), "laporan menyusul").unwrap();
    for (year, passed) in [(this_year + 1, false), (this_year - 1, true)] {
        let out = format!("pengingat-{year}");
        monev()
            .current_dir(dir.path())
            .args([
                "pengingat",
                "masuk",
                "--opd",
                "opd.csv",
                "-q",
                "--eml",
                &out,
            ])
            .args(["--tahun", &year.to_string()])
            .assert()
            .success();
        let eml = fs::read(
            dir.path()
                .join(&out)
                .join(format!("pengingat-{year}-dinkes.eml")),
        )
        .unwrap();
        let body = body_of(&eml);
        let sentence = if passed {
            format!(
                "Batas waktu pengiriman laporan, selambat-lambatnya bulan Agustus {year} (31 Agustus {year}), telah lewat"
            )
        } else {
            format!("Batas waktu pengiriman laporan adalah 31 Agustus {year}")
        };
        assert!(body.contains(&sentence), "{year}:\n{body}");
        assert_eq!(body.contains("telah lewat"), passed, "{year}:\n{body}");
    }
}

/// Counts the files read.
#[derive(Default)]
struct Reads(std::sync::atomic::AtomicUsize);

impl monev::rekap::Progress for Reads {
    fn read(&self, _name: &str) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

#[test]
fn a_missing_email_body_file_is_refused_before_any_report_is_read() {
    use monev::app::{Command, Common, Config, PengingatConfig, RekapJob, Source};
    let dir = tempfile::tempdir().unwrap();
    let masuk = dir.path().join("masuk");
    fs::create_dir(&masuk).unwrap();
    fs::write(masuk.join("dinkes.xlsx"), complete(dir.path(), "dinkes")).unwrap();
    let drafts = monev::email::draft::DraftConfig {
        dir: dir.path().join("draf"),
        from: None,
        body: Some(dir.path().join("isi-surel-hilang.txt")),
        date: common::test_now(),
    };
    let common = Common {
        form: Source::Embedded,
        roster: Source::Embedded,
        rubric: Source::Embedded,
        domains: None,
        overwrite: false,
    };
    let rekap = common::rekap_config(vec![masuk], Some(YEAR));
    for command in [
        Command::Pengingat(PengingatConfig {
            rekap: rekap.clone(),
            drafts: drafts.clone(),
        }),
        Command::Rekap(RekapJob {
            rekap,
            output: None,
            json: None,
            feedback_dir: Some(dir.path().join("umpan")),
            drafts: Some(drafts.clone()),
        }),
    ] {
        let reads = Reads::default();
        let config = Config {
            common: common.clone(),
            command,
        };
        let e = monev::app::run(&config, &reads).unwrap_err();
        assert!(e.to_string().contains("isi-surel-hilang.txt"), "{e}");
        assert_eq!(reads.0.load(std::sync::atomic::Ordering::SeqCst), 0);
    }
    assert!(!dir.path().join("draf").exists());
    assert!(!dir.path().join("umpan").exists());
    // With the embedded body the same run reads the report.
    let reads = Reads::default();
    let config = Config {
        common,
        command: Command::Pengingat(PengingatConfig {
            rekap: common::rekap_config(vec![dir.path().join("masuk")], Some(YEAR)),
            drafts: monev::email::draft::DraftConfig {
                body: None,
                ..drafts
            },
        }),
    };
    monev::app::run(&config, &reads).unwrap();
    assert_eq!(reads.0.load(std::sync::atomic::Ordering::SeqCst), 1);
}
