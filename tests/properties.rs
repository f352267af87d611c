//! Property tests (proptest) on the two parsers that see the most free text:
//! the Waktu Pelaksanaan parser (`dates::parse_when`) and the evidence link
//! classifier (`links::check_link`). Neither may panic on any input, and what
//! the writers of those texts produce (the template's dd/mm/yyyy, Indonesian
//! month names, a Drive link as Drive writes it) must parse back to the value
//! it was written from.

use chrono::{Datelike, NaiveDate};
use monev::dates::{When, parse_when};
use monev::links::{LinkError, check_link, default_allowed_domains, drive_id};
use proptest::prelude::*;

/// Indonesian month names as people type them (the template's month list).
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

/// Any day between 1900 and 2100.
fn date() -> impl Strategy<Value = NaiveDate> {
    (1900i32..=2100, 1u32..=12, 1u32..=31)
        .prop_filter_map("a real day", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
}

fn period(start: NaiveDate, end: NaiveDate) -> When {
    When::Period { start, end }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parse_when_never_panics_on_any_text(text in ".{0,200}", year in 1900i32..=2100) {
        let _ = parse_when(&text, year);
    }

    #[test]
    fn parse_when_never_panics_on_date_like_noise(
        text in "[0-9/\\-. a-zA-Z]{0,40}",
        year in -100_000i32..=100_000,
    ) {
        let _ = parse_when(&text, year);
    }

    #[test]
    fn a_date_written_dd_mm_yyyy_parses_back(d in date(), year in 2023i32..=2100) {
        let text = format!("{:02}/{:02}/{}", d.day(), d.month(), d.year());
        prop_assert_eq!(parse_when(&text, year), period(d, d));
    }

    #[test]
    fn a_date_written_with_the_month_name_parses_back(d in date(), year in 2023i32..=2100) {
        let text = format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year());
        prop_assert_eq!(parse_when(&text, year), period(d, d));
    }

    #[test]
    fn a_period_written_with_sd_parses_back(a in date(), b in date(), year in 2023i32..=2100) {
        let (start, end) = if a <= b { (a, b) } else { (b, a) };
        let text = format!(
            "{:02}/{:02}/{} s.d. {:02}/{:02}/{}",
            start.day(), start.month(), start.year(), end.day(), end.month(), end.year()
        );
        prop_assert_eq!(parse_when(&text, year), period(start, end));
    }

    #[test]
    fn check_link_never_panics_on_any_text(text in ".{0,300}") {
        let v = check_link(&text, &default_allowed_domains());
        // A verdict is either usable (with its key) or an error (without one).
        prop_assert_eq!(v.error.is_none(), v.key.is_some());
    }

    #[test]
    fn check_link_never_panics_on_url_like_noise(
        text in "(https?|file|javascript|ftp)?:?/{0,3}[a-zA-Z0-9.:@/?#%&=~_\\-\\\\]{0,80}",
    ) {
        let _ = check_link(&text, &default_allowed_domains());
    }

    #[test]
    fn a_drive_file_link_is_accepted_with_its_id(id in "[A-Za-z0-9_-]{10,60}") {
        let url = format!("https://drive.google.com/file/d/{id}/view?usp=sharing");
        let v = check_link(&url, &default_allowed_domains());
        prop_assert!(v.is_ok(), "{:?}", v);
        prop_assert_eq!(v.key, Some(format!("drive:{id}")));
        let parsed = url::Url::parse(v.url.as_deref().unwrap_or_default()).unwrap();
        prop_assert_eq!(drive_id(&parsed), Some(id));
    }

    #[test]
    fn a_windows_path_is_always_a_local_path(
        drive in "[C-Z]",
        parts in prop::collection::vec("[A-Za-z0-9_]{1,12}", 1..5),
    ) {
        let path = format!("{drive}:\\{}.pdf", parts.join("\\"));
        prop_assert_eq!(
            check_link(&path, &default_allowed_domains()).error,
            Some(LinkError::LocalPath)
        );
    }
}
