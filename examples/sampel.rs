//! Regenerates `samples/masuk/`: returned reports made from monev's own templates
//! and filled as OPD staff fill them (see `samples/README.md`). Needs LibreOffice
//! (`soffice`) for the sample that passed through it.
//!
//! Run: `cargo run --example sampel`

#[path = "../tests/common/mod.rs"]
mod common;

use std::fs;
use std::io::{Read, Write};
use std::path::Path;

use common::Filler;
use common::mail::{XLSX, forward, html_only, mbox, message};
use common::scenario::*;

const YEAR: i32 = 2026;

/// Fills `code`'s template with `f`, saved as of `modified` to `out`.
fn fill(work: &Path, code: &str, modified: &str, out: &Path, f: impl FnOnce(&mut Filler)) {
    let unit = common::roster().get(code).expect("unit in roster").clone();
    fill_template(&common::form(), &unit, YEAR, work, modified, out, f);
}

/// Sets an .ods file's last-modified date (meta.xml `dc:date`), keeping the
/// package valid (`mimetype` first and stored).
fn set_ods_date(path: &Path, date: &str) {
    let mut zip = zip::ZipArchive::new(fs::File::open(path).expect("ods")).expect("zip");
    let mut entries = Vec::new();
    for i in 0..zip.len() {
        let mut e = zip.by_index(i).expect("entry");
        let mut data = Vec::new();
        e.read_to_end(&mut data).expect("read");
        entries.push((e.name().expect("name").into_owned(), e.compression(), data));
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        for (name, method, mut data) in entries {
            if name == "meta.xml" {
                let xml = String::from_utf8(data).expect("utf-8");
                let start = xml.find("<dc:date>").expect("dc:date") + "<dc:date>".len();
                let end = xml[start..].find("</dc:date>").expect("end") + start;
                data = format!("{}{date}{}", &xml[..start], &xml[end..]).into_bytes();
            }
            let opts = zip::write::SimpleFileOptions::default().compression_method(method);
            w.start_file(name, opts).expect("entry");
            w.write_all(&data).expect("write");
        }
        w.finish().expect("finish");
    }
    fs::write(path, buf.into_inner()).expect("write ods");
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join("masuk");
    let work = tempfile::tempdir().expect("tempdir");
    let w = work.path();
    if root.exists() {
        fs::remove_dir_all(&root).expect("clear samples/masuk");
    }
    fs::create_dir_all(&root).expect("samples/masuk");

    // 1. Perfect.
    fill(
        w,
        "dinkes",
        "2026-08-20T02:15:00Z",
        &root.join("01-dinkes-lengkap.xlsx"),
        |f| fill_complete(f, "dinkes", YEAR),
    );
    // 2. The usual mistakes (one link copied from Dinas Kesehatan).
    let shared = drive("dinkes-1-0");
    fill(
        w,
        "dishub",
        "2026-08-29T08:40:00Z",
        &root.join("02-dishub-kesalahan-umum.xlsx"),
        |f| fill_usual_mistakes(f, &shared),
    );
    // 3. Filled, then opened and saved in LibreOffice Calc as .ods.
    let soffice = common::soffice().expect("LibreOffice (soffice) is needed for the .ods sample");
    let _ = soffice;
    let xlsx = w.join("kec-serang.xlsx");
    fill(w, "kec-serang", "2026-08-27T03:00:00Z", &xlsx, |f| {
        fill_complete(f, "kec-serang", YEAR);
        put_activity(
            f,
            1,
            2,
            &Activity {
                when: When::Text("Setiap tanggal 17"),
                activity: "Pemasangan twibbon BerAKHLAK oleh seluruh pegawai kecamatan",
                media: "Twibbon BerAKHLAK (tanggal 17 setiap bulan)",
                link: Link::Text("http://drive.google.com/drive/folders/1kecSerangTwibbon2026"),
                ..Activity::default()
            },
        );
    });
    let ods = common::convert(&xlsx, "ods", &w.join("lo"));
    set_ods_date(&ods, "2026-08-27T10:00:00");
    fs::copy(&ods, root.join("03-kec-serang-libreoffice.ods")).expect("copy ods");
    // 4. Sent late, by e-mail.
    let late = w.join("bapenda.xlsx");
    fill(w, "bapenda", "2026-09-04T07:00:00Z", &late, |f| {
        fill_complete(f, "bapenda", YEAR)
    });
    let eml = email(
        "bapenda@serangkota.go.id",
        "Sat, 05 Sep 2026 09:12:00 +0700",
        "Laporan Monev Budaya Kerja Bapenda 2026.xlsx",
        &fs::read(&late).expect("read"),
    );
    fs::write(root.join("04-bapenda-terlambat.eml"), eml).expect("eml");
    // 5. One OPD, two files: a first partial one and the corrected one.
    fill(
        w,
        "dlh",
        "2026-08-10T01:30:00Z",
        &root.join("05-dlh-kiriman-pertama.xlsx"),
        |f| {
            put_activity(
                f,
                1,
                0,
                &Activity {
                    when: When::Date(ymd(YEAR, 1, 5)),
                    activity: "Apel pagi dan pembacaan nilai BerAKHLAK",
                    media: "Apel Pagi",
                    link: Link::Hyperlink(&drive("dlh-awal")),
                    ..Activity::default()
                },
            );
            put_evidence(f, 1, 'a', "Ada", Link::Hyperlink(&drive("dlh-awal-1a")), "");
        },
    );
    fill(
        w,
        "dlh",
        "2026-08-26T04:00:00Z",
        &root.join("06-dlh-perbaikan.xlsx"),
        |f| fill_complete(f, "dlh", YEAR),
    );
    // 7. A mailbox exported from Thunderbird: one message with two reports, a
    //    note without attachment, and a report forwarded by the secretariat.
    let report = |code: &str| {
        let out = w.join(format!("{code}.xlsx"));
        fill(w, code, "2026-08-24T02:00:00Z", &out, |f| {
            fill_complete(f, code, YEAR)
        });
        fs::read(&out).expect("read")
    };
    let text = "Bersama ini kami sampaikan laporan monitoring dan evaluasi penerapan Budaya Kerja BerAKHLAK.";
    let two = message(
        "sekretariat.dinsos@gmail.com",
        "Mon, 24 Aug 2026 09:30:00 +0700",
        "Laporan Monev Dinsos dan Disnaker",
        text,
        &[
            (
                "Laporan Monev 2026 – Dinas Sosial.xlsx",
                XLSX,
                &report("dinsos"),
            ),
            (
                "monev-budaya-kerja-2026-disnaker.xlsx",
                XLSX,
                &report("disnaker"),
            ),
        ],
    );
    let note = html_only(
        "rsud@serangkota.go.id",
        "Tue, 25 Aug 2026 13:00:00 +0700",
        "Laporan menyusul",
        "<p>Mohon maaf, laporan RSUD kami kirim minggu depan.</p>",
    );
    let inner = message(
        "dindikbud@serangkota.go.id",
        "Wed, 26 Aug 2026 08:00:00 +0700",
        "Laporan Dindikbud",
        text,
        &[(
            "monev-budaya-kerja-2026-dindikbud.xlsx",
            XLSX,
            &report("dindikbud"),
        )],
    );
    let fwd = forward(
        "sekretariat@serangkota.go.id",
        "Thu, 27 Aug 2026 07:45:00 +0700",
        &inner,
    );
    fs::write(
        root.join("07-kotak-masuk.mbox"),
        mbox(&[
            ("sekretariat.dinsos@gmail.com", &two),
            ("rsud@serangkota.go.id", &note),
            ("sekretariat@serangkota.go.id", &fwd),
        ]),
    )
    .expect("mbox");
    // Not a report: listed as skipped.
    fs::write(
        root.join("catatan-operator.txt"),
        "Daftar kiriman surel OPD, Agustus 2026.\n",
    )
    .expect("txt");
    println!("samples/masuk ditulis ulang.");
}
