//! libFuzzer target: arbitrary bytes through monev's whole ingestion (format
//! detection by content, pre-open guards, calamine, monev's own link readers,
//! table reading), in-process and without worker isolation, so every abort,
//! hang (-timeout) or memory blow-up (-rss_limit_mb) is found at its source.
//! The first byte picks the name's extension, since a name can still matter
//! when the content is not recognised.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use monev::form::Form;
use monev::ingest::guard::{Reading, read_checked};
use monev::ingest::source::{Format, Input};
use monev::roster::Roster;

static FORM: LazyLock<Form> = LazyLock::new(|| Form::embedded().expect("form"));
static ROSTER: LazyLock<Roster> = LazyLock::new(|| Roster::embedded().expect("roster"));

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let format = [Format::Xlsx, Format::Xls, Format::Ods, Format::Xlsm][usize::from(pick % 4)];
    let name = format!("laporan.{}", format.as_str());
    let mut input = Input::in_memory(&name, &name, format, bytes.to_vec());
    let _ = read_checked(&mut input, &FORM, &ROSTER, &Reading::default());
});
