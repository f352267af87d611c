//! `monev contoh`: the sample workbooks are deterministic, read back as the
//! mix they claim to be (complete, partial, mistakes, late, shared links,
//! nothing sent), and the rekap of the same inputs is the same whatever the
//! number of threads.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use monev::app::{Command, Common, Config, Report, Source};
use monev::contoh::{self, ContohConfig, Kind};
use monev::finding::Code;
use monev::model::{FileStatus, Rekap};
use monev::roster::Roster;

const YEAR: i32 = 2026;

fn run_contoh(dir: &Path, count: usize, overwrite: bool) -> monev::Result<Report> {
    let config = Config {
        common: Common {
            form: Source::Embedded,
            roster: Source::Embedded,
            rubric: Source::Embedded,
            domains: None,
            overwrite,
        },
        command: Command::Contoh(ContohConfig {
            count,
            output_dir: dir.to_path_buf(),
            year: YEAR,
            seed: contoh::SEED,
        }),
    };
    monev::app::run(&config, &monev::rekap::NoProgress)
}

/// Every file in `dir` with its bytes, by name.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn compile(dir: &Path) -> Rekap {
    let roster = Roster::load(&dir.join(contoh::ROSTER_FILE)).expect("the sample roster loads");
    monev::rekap::compile(
        &common::form(),
        &roster,
        &monev::score::Rubric::embedded().unwrap(),
        &common::rekap_config(vec![dir.to_path_buf()], Some(YEAR)),
        &monev::rekap::NoProgress,
    )
    .expect("rekap of the samples")
}

fn has(rekap: &Rekap, code: Code) -> usize {
    rekap
        .files
        .iter()
        .filter(|f| f.findings.iter().any(|x| x.code == code))
        .count()
}

#[test]
fn contoh_is_deterministic_and_reads_back_as_its_mix() {
    const N: usize = 150;
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let Report::Contoh {
        workbooks, units, ..
    } = run_contoh(a.path(), N, false).unwrap()
    else {
        panic!("contoh reports Contoh");
    };
    run_contoh(b.path(), N, false).unwrap();
    assert_eq!(units, N);
    let (first, second) = (contents(a.path()), contents(b.path()));
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &first {
        assert!(second[name] == *bytes, "{name} differs between two runs");
    }
    let kinds: Vec<Kind> = (0..N).map(|i| contoh::kind(contoh::SEED, i)).collect();
    let missing = kinds.iter().filter(|k| **k == Kind::Missing).count();
    for k in [
        Kind::Complete,
        Kind::Partial,
        Kind::Mistakes,
        Kind::Late,
        Kind::Shared,
        Kind::Missing,
    ] {
        assert!(kinds.contains(&k), "{k:?} missing from the mix of {N}");
    }
    assert_eq!(workbooks, N - missing);
    assert_eq!(first.len(), workbooks + 1, "the workbooks and opd.csv");

    let rekap = compile(a.path());
    assert_eq!(rekap.units.len(), N);
    assert_eq!(rekap.files.len(), workbooks);
    for f in &rekap.files {
        assert_eq!(f.status, FileStatus::Used, "{}: {:?}", f.path, f.reason);
        assert!(f.unit.as_deref().is_some_and(|u| u.starts_with("opd-")));
    }
    assert_eq!(
        rekap.units.iter().filter(|u| u.file.is_none()).count(),
        missing
    );
    let late = kinds.iter().filter(|k| **k == Kind::Late).count();
    assert_eq!(has(&rekap, Code::FileLate), late);
    let shared = kinds.iter().filter(|k| **k == Kind::Shared).count();
    assert!(shared >= 2);
    assert_eq!(has(&rekap, Code::LinkSharedWithOtherUnit), shared);
    assert!(has(&rekap, Code::LinkLocalPath) + has(&rekap, Code::LinkInsecure) > 0);
    let scores: std::collections::BTreeSet<u32> =
        rekap.units.iter().filter_map(|u| u.score).collect();
    assert!(scores.len() >= 3, "scores spread: {scores:?}");
}

#[test]
fn contoh_refuses_to_overwrite_without_timpa_and_replaces_its_own_with_it() {
    let dir = tempfile::tempdir().unwrap();
    run_contoh(dir.path(), 5, false).unwrap();
    let e = run_contoh(dir.path(), 5, false).unwrap_err();
    assert!(matches!(e, monev::Error::OutputExists { .. }), "{e:?}");
    run_contoh(dir.path(), 5, true).expect("--timpa replaces samples");
    assert!(matches!(
        run_contoh(dir.path(), 0, false),
        Err(monev::Error::BadCount { .. })
    ));
}

/// The rekap's JSON with `threads` rayon threads.
fn rekap_json(inputs: &[PathBuf], roster: &Roster, threads: usize) -> Vec<u8> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let rekap = monev::rekap::compile(
            &common::form(),
            roster,
            &monev::score::Rubric::embedded().unwrap(),
            &common::rekap_config(inputs.to_vec(), Some(YEAR)),
            &monev::rekap::NoProgress,
        )
        .unwrap();
        monev::report::json::to_json(&rekap).unwrap()
    })
}

#[test]
fn rekap_content_is_the_same_with_one_and_with_several_threads() {
    let dir = tempfile::tempdir().unwrap();
    run_contoh(dir.path(), 80, false).unwrap();
    let roster = Roster::load(&dir.path().join(contoh::ROSTER_FILE)).unwrap();
    let inputs = vec![dir.path().to_path_buf()];
    let one = rekap_json(&inputs, &roster, 1);
    for threads in [2, 4] {
        let many = rekap_json(&inputs, &roster, threads);
        assert!(
            one == many,
            "the rekap JSON with 1 and {threads} threads differs"
        );
    }
}

/// A unit's result as JSON with its file's name (which differs between
/// formats) replaced, so results of the same unit from two files compare.
fn unit_json(rekap: &Rekap, code: &str) -> String {
    let unit = rekap
        .units
        .iter()
        .find(|u| u.code == code)
        .unwrap_or_else(|| panic!("{code} in the rekap"));
    let name = unit.file.clone().unwrap_or_default();
    let json = serde_json::to_string_pretty(unit).unwrap();
    let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
    json.replace(&name, "<berkas>")
        .replace(&format!("{stem}.xlsx"), "<berkas>")
}

#[test]
fn contoh_mixes_xlsx_xls_and_ods_and_each_reads_back_as_its_xlsx_twin() {
    const N: usize = 200;
    let dir = tempfile::tempdir().unwrap();
    run_contoh(dir.path(), N, false).unwrap();
    let form = common::form();
    let roster = contoh::roster(N);
    let sent: Vec<usize> = (0..N)
        .filter(|&i| contoh::kind(contoh::SEED, i) != Kind::Missing)
        .collect();
    let of = |f: contoh::SampleFormat| {
        sent.iter()
            .copied()
            .filter(|&i| contoh::format(contoh::SEED, i) == f)
            .collect::<Vec<_>>()
    };
    let (xls, ods) = (of(contoh::SampleFormat::Xls), of(contoh::SampleFormat::Ods));
    assert!(xls.len() >= 3 && ods.len() >= 3, "xls {xls:?}, ods {ods:?}");
    assert!(of(contoh::SampleFormat::Xlsx).len() > N * 3 / 4);

    // Each file's extension is its format, and its content that format.
    for &i in xls.iter().chain(&ods) {
        let name = contoh::file_name(YEAR, i, contoh::SEED);
        let bytes = fs::read(dir.path().join(&name)).unwrap();
        if xls.contains(&i) {
            assert!(name.ends_with(".xls"), "{name}");
            assert!(
                bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]),
                "{name} is a compound file"
            );
        } else {
            assert!(name.ends_with(".ods"), "{name}");
            assert_eq!(&bytes[30..38], b"mimetype", "{name}: mimetype first");
            assert_eq!(
                &bytes[38..84],
                b"application/vnd.oasis.opendocument.spreadsheet",
                "{name}: stored uncompressed"
            );
        }
        // Same seed, same bytes (no timestamps in the files).
        let again = contoh::build(&form, &roster.units()[i], YEAR, contoh::SEED, i)
            .unwrap()
            .unwrap();
        assert!(again == bytes, "{name} differs when built again");
    }

    // The twin folder: the same units, every one as .xlsx.
    let twin = tempfile::tempdir().unwrap();
    fs::copy(
        dir.path().join(contoh::ROSTER_FILE),
        twin.path().join(contoh::ROSTER_FILE),
    )
    .unwrap();
    for &i in &sent {
        let bytes = contoh::build_as(
            &form,
            &roster.units()[i],
            YEAR,
            contoh::SEED,
            i,
            contoh::SampleFormat::Xlsx,
        )
        .unwrap()
        .unwrap();
        let name = contoh::file_name(YEAR, i, contoh::SEED);
        let stem = name.rsplit_once('.').unwrap().0;
        fs::write(twin.path().join(format!("{stem}.xlsx")), bytes).unwrap();
    }

    let mixed = compile(dir.path());
    let all_xlsx = compile(twin.path());
    assert_eq!(mixed.files.len(), sent.len());
    for &i in xls.iter().chain(&ods) {
        let code = contoh::code(i);
        let name = contoh::file_name(YEAR, i, contoh::SEED);
        let file = mixed
            .files
            .iter()
            .find(|f| f.path.ends_with(&name))
            .unwrap_or_else(|| panic!("{name} was read"));
        assert_eq!(file.status, FileStatus::Used, "{name}: {:?}", file.reason);
        assert_eq!(file.unit.as_deref(), Some(code.as_str()), "{name}");
        assert_eq!(
            file.identified_by,
            Some(monev::ingest::IdentifiedBy::Properties),
            "{name} is identified by its document properties"
        );
        assert!(
            file.submitted_source == Some(monev::model::TimeSource::Workbook),
            "{name}: the save time comes from the workbook"
        );
        let unit = mixed.units.iter().find(|u| u.code == code).unwrap();
        assert!(unit.score.is_some(), "{name} is scored");
        assert_eq!(
            unit_json(&mixed, &code),
            unit_json(&all_xlsx, &code),
            "{name} reads back differently from the same unit's .xlsx"
        );
    }
    // Links survive: a complete .xls/.ods report has no missing-link finding.
    for &i in xls.iter().chain(&ods) {
        if contoh::kind(contoh::SEED, i) != Kind::Complete {
            continue;
        }
        let unit = mixed
            .units
            .iter()
            .find(|u| u.code == contoh::code(i))
            .unwrap();
        let links: Vec<_> = unit
            .findings
            .iter()
            .filter(|f| format!("{:?}", f.code).starts_with("Link"))
            .collect();
        assert!(links.is_empty(), "{}: {links:?}", contoh::code(i));
        assert!(
            unit.activity_rows
                .iter()
                .all(|r| r.evidence.starts_with("https://"))
        );
    }
}

#[test]
fn contoh_xls_and_ods_open_in_libreoffice_and_convert_to_the_same_result() {
    let Some(_) = common::soffice() else {
        return;
    };
    // Only the two files converted are built (a run of 200 holds both formats).
    const N: usize = 200;
    let dir = tempfile::tempdir().unwrap();
    let roster = contoh::roster(N);
    let first = |f: contoh::SampleFormat| {
        (0..N)
            .find(|&i| {
                contoh::format(contoh::SEED, i) == f
                    && contoh::kind(contoh::SEED, i) != Kind::Missing
            })
            .unwrap_or_else(|| panic!("a sent {f:?} among {N}"))
    };
    for f in [contoh::SampleFormat::Xls, contoh::SampleFormat::Ods] {
        let i = first(f);
        let bytes = contoh::build(&common::form(), &roster.units()[i], YEAR, contoh::SEED, i)
            .unwrap()
            .unwrap();
        fs::write(
            dir.path().join(contoh::file_name(YEAR, i, contoh::SEED)),
            bytes,
        )
        .unwrap();
    }
    let rekap_of = |file: &Path| {
        monev::rekap::compile(
            &common::form(),
            &roster,
            &monev::score::Rubric::embedded().unwrap(),
            &common::rekap_config(vec![file.to_path_buf()], Some(YEAR)),
            &monev::rekap::NoProgress,
        )
        .unwrap()
    };
    let out = tempfile::tempdir().unwrap();
    for f in [contoh::SampleFormat::Xls, contoh::SampleFormat::Ods] {
        let i = first(f);
        let code = contoh::code(i);
        let original = dir.path().join(contoh::file_name(YEAR, i, contoh::SEED));
        let converted = common::convert(&original, "xlsx", out.path());
        let (a, b) = (rekap_of(&original), rekap_of(&converted));
        assert_eq!(
            b.files[0].status,
            FileStatus::Used,
            "{:?}",
            b.files[0].reason
        );
        assert_eq!(b.files[0].unit.as_deref(), Some(code.as_str()));
        // LibreOffice reads an .ods's zone-less save time in the machine's
        // time zone (WIB at an OPD, maybe UTC here), so the instant may move
        // by hours; the verdict on lateness (`late`) must not.
        let without_time = |json: String| {
            json.lines()
                .filter(|l| !l.contains("\"submitted_at\""))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(
            without_time(unit_json(&a, &code)),
            without_time(unit_json(&b, &code)),
            "{f:?} {code}: LibreOffice's .xlsx of it reads differently"
        );
    }
}

#[test]
fn contoh_timpa_replaces_its_own_xls_and_ods_but_no_other_workbook_of_that_name() {
    const N: usize = 200;
    let form = common::form();
    let roster = contoh::roster(N);
    let first = |f: contoh::SampleFormat| {
        (0..N)
            .find(|&i| {
                contoh::format(contoh::SEED, i) == f
                    && contoh::kind(contoh::SEED, i) != Kind::Missing
            })
            .unwrap()
    };
    let (xls, ods) = (
        first(contoh::SampleFormat::Xls),
        first(contoh::SampleFormat::Ods),
    );
    let dir = tempfile::tempdir().unwrap();
    for i in [xls, ods] {
        let bytes = contoh::build(&form, &roster.units()[i], YEAR, contoh::SEED, i)
            .unwrap()
            .unwrap();
        fs::write(
            dir.path().join(contoh::file_name(YEAR, i, contoh::SEED)),
            bytes,
        )
        .unwrap();
    }
    let e = run_contoh(dir.path(), N, false).unwrap_err();
    assert!(matches!(e, monev::Error::OutputExists { .. }), "{e:?}");
    run_contoh(dir.path(), N, true).expect("--timpa replaces its own .xls and .ods");

    // A workbook of the same name that monev did not write is kept.
    for i in [xls, ods] {
        let other = tempfile::tempdir().unwrap();
        let name = contoh::file_name(YEAR, i, contoh::SEED);
        let converted = common::soffice().map(|_| {
            let src = dir.path().join(&name);
            // A person's own workbook: a blank template saved in that format.
            let blank = other.path().join("templat.xlsx");
            fs::write(
                &blank,
                monev::template::build(&form, &roster.units()[i], YEAR).unwrap(),
            )
            .unwrap();
            let ext = src.extension().unwrap().to_str().unwrap().to_string();
            common::convert(&blank, &ext, &other.path().join("conv"))
        });
        let Some(converted) = converted else {
            return;
        };
        fs::copy(&converted, other.path().join(&name)).unwrap();
        fs::remove_file(&converted).unwrap();
        fs::remove_file(other.path().join("templat.xlsx")).unwrap();
        let e = run_contoh(other.path(), N, true).unwrap_err();
        assert!(
            matches!(e, monev::Error::OutputNotOurs { .. }),
            "{name}: {e:?}"
        );
    }
}
