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
