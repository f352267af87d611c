//! Understanding the free-text "Waktu Pelaksanaan" (time of implementation)
//! column of an OPD activity log.
//!
//! Staff type this column by hand, so the same day can appear as
//! `17/08/2026`, `17-08-26`, `Senin, 17 Agustus 2026` or `17 Agt 2026`, and a
//! period as `Januari s.d. Juni 2026`, `1-5 Maret 2026` or `Triwulan I 2026`.
//! Some rows describe a routine (`Setiap hari Senin`) rather than a date.
//! [`parse_when`] turns such text into a [`When`] so that reports can check,
//! for example, that an activity lies inside the reporting year
//! ([`When::within_year`]).
//!
//! The parser works in three steps:
//!
//! 1. [`normalize`] lowercases the text, unifies dashes and apostrophes,
//!    collapses whitespace and drops trailing punctuation.
//! 2. Recurring descriptions (`setiap`, `tiap`, `rutin`, ...) are detected
//!    first, because they often contain words that look like dates.
//! 3. The whole text is tried as a single date expression (a "term"). Only if
//!    it is not one is it split at a range separator (`-`, `s.d.`, `sampai`,
//!    `hingga`, ...). Trying the whole text first is what keeps `17-08-2026`
//!    a single day rather than a range.
//!
//! Numeric dates are always read day first, as is usual in Indonesia.

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

/// The meaning of a "Waktu Pelaksanaan" cell.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum When {
    /// A single day (start == end) or an inclusive period.
    Period { start: NaiveDate, end: NaiveDate },
    /// A recurring description with no single date, e.g. "Setiap hari Senin".
    /// `day_of_month` is Some(17) for "Setiap tanggal 17" / "tiap tgl 17", else None.
    Recurring { day_of_month: Option<u32> },
    /// Text that can't be understood (including empty/whitespace-only text).
    Unrecognised,
}

impl When {
    /// True when this is a Period that lies entirely within `year`.
    ///
    /// `Recurring` and `Unrecognised` return true: there is no date to judge,
    /// so they are never reported as lying outside the year.
    #[must_use]
    pub fn within_year(&self, year: i32) -> bool {
        match self {
            When::Period { start, end } => start.year() == year && end.year() == year,
            When::Recurring { .. } | When::Unrecognised => true,
        }
    }
}

/// Parse typed text. `default_year` is used when the text names no year at all
/// (e.g. "17 Agustus", "Januari s.d. Juni").
///
/// Never panics; anything that cannot be understood yields
/// [`When::Unrecognised`].
#[must_use]
pub fn parse_when(text: &str, default_year: i32) -> When {
    let text = normalize(text);
    if text.is_empty() {
        return When::Unrecognised;
    }
    // "17/08/2026 08:00", "17 Agustus 2026 pukul 08.00 WIB": the date counts.
    let text = match TIME_OF_DAY.find(&text) {
        Some(m) if m.start() > 0 => trim_punctuation(&text[..m.start()]).to_string(),
        _ => text,
    };
    if RECURRING.is_match(&text) {
        return When::Recurring {
            day_of_month: day_of_month(&text),
        };
    }
    let period = match parse_term(&text) {
        // The whole text is one date expression: never reinterpret it as a
        // range, even if it turns out to be invalid (e.g. `31-02-2026`).
        Some(term) => term.resolve(default_year),
        None => parse_range(&text, default_year),
    };
    match period {
        Some((start, end)) => When::Period { start, end },
        None => When::Unrecognised,
    }
}

/// Earliest year accepted when typed explicitly; older years are typos.
const MIN_YEAR: i32 = 1900;
/// Latest year accepted when typed explicitly; later years are typos.
const MAX_YEAR: i32 = 2199;

/// A time of day (or a span of times) at the end of a date: ` 08:00`,
/// `, 07.30`, ` pukul 08.00 wib`, ` pada 08.00`, ` jam 08.00-10.00 wib`.
/// Needs a space before it, so `17.08.2026` is never taken for a time.
static TIME_OF_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[\s,]+(?:(?:pukul|pkl|jam|pada)\.?\s*)?(?:[01]?\d|2[0-3])[.:][0-5]\d(?:[.:][0-5]\d)?(?:\s*(?:-|s\.?\s?d\.?|sampai)\s*(?:[01]?\d|2[0-3])[.:][0-5]\d)?(?:\s*(?:wib|wita|wit))?(?:\s*(?:-|s\.?\s?d\.?|sampai)\s*selesai)?$",
    )
    .expect("valid regex")
});

/// Words that mark a recurring description.
static RECURRING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:setiap|tiap|rutin|berkala|mingguan|bulanan|harian|per\s*bulan|per\s*minggu|per\s*hari)\b",
    )
    .expect("valid regex")
});

/// `tanggal 17`, `tgl 17`, `tgl. 17` inside a recurring description.
static DAY_OF_MONTH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:tanggal|tgl)\b\.?\s*(\d{1,2})\b").expect("valid regex"));

/// Filler words that may precede a date: weekdays (`Senin, 17 Agustus`),
/// `pada`, `hari`, `tanggal`, `bulan`, `tahun`, `tahun anggaran`, `TA`.
static FILLER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:pada|hari|tanggal|tgl|bulan|bln|tahun\s+anggaran|tahun|thn|ta|senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b\.?[\s,]*",
    )
    .expect("valid regex")
});

/// Separators between the two ends of a range.
static RANGE_SEPARATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*(?:-|\bs\s?[./]\s?d\b\.?|\bsd\b\.?|\bsampai(?:\s+dengan)?\b|\bhingga\b)\s*")
        .expect("valid regex")
});

/// Day-first numeric date: `17/08/2026`, `7-8-26`, `17.08.2026`.
static NUMERIC_DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*([/.-])\s*(\d{4}|\d{2})$").expect("valid regex")
});

/// ISO-like numeric date: `2026-08-17`, `2026/08/17`.
static NUMERIC_YMD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4})\s*([/.-])\s*(\d{1,2})\s*([/.-])\s*(\d{1,2})$").expect("valid regex")
});

/// Day and month name, optional year: `17 Agustus 2026`, `17-Agt-26`, `5 Mei`.
static DAY_MONTH_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2})[\s,-]*([a-z]+)\.?(?:[\s,-]*(?:(?:tahun|thn)\.?\s*)?(\d{4}|\d{2}))?$")
        .expect("valid regex")
});

/// Month name, optional four-digit year: `Agustus 2026`, `Agt.`, `Juni`.
static MONTH_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([a-z]+)\.?(?:[\s,-]*(?:(?:tahun|thn)\.?\s*)?(\d{4}))?$").expect("valid regex")
});

/// Quarter or semester: `Triwulan III 2026`, `TW 2`, `Semester I 2026`.
static QUARTER_SEMESTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(triwulan|tw|kuartal|quarter|q|semester|smt)\.?\s*(iv|iii|ii|i|[1-4])(?:[\s,-]+(?:(?:tahun|thn)\.?\s*)?(\d{4}))?$",
    )
    .expect("valid regex")
});

/// A bare four-digit year: `2026`.
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{4})$").expect("valid regex"));

/// A bare day number, only meaningful as the start of a range (`1-5 Maret`).
static DAY_ONLY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})$").expect("valid regex"));

/// One end of a range, or a whole single date expression, before any year
/// defaulting has been applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Term {
    /// A day; `month` is None only for a bare day number such as the `1` in
    /// `1-5 Maret 2026`.
    Day {
        day: u32,
        month: Option<u32>,
        year: Option<i32>,
    },
    /// Whole months `first..=last`: a month, a quarter or a semester.
    Months {
        first: u32,
        last: u32,
        year: Option<i32>,
    },
    /// A whole year.
    Year(i32),
}

impl Term {
    /// The year written in the text, if any.
    fn year(&self) -> Option<i32> {
        match *self {
            Term::Day { year, .. } | Term::Months { year, .. } => year,
            Term::Year(year) => Some(year),
        }
    }

    /// The inclusive period this term covers, using `fallback_year` when the
    /// text named no year. None for invalid dates and bare day numbers.
    fn resolve(&self, fallback_year: i32) -> Option<(NaiveDate, NaiveDate)> {
        let year = self.year().unwrap_or(fallback_year);
        match *self {
            Term::Day { day, month, .. } => {
                let date = NaiveDate::from_ymd_opt(year, month?, day)?;
                Some((date, date))
            }
            Term::Months { first, last, .. } => Some((
                NaiveDate::from_ymd_opt(year, first, 1)?,
                last_day_of_month(year, last)?,
            )),
            Term::Year(_) => Some((
                NaiveDate::from_ymd_opt(year, 1, 1)?,
                NaiveDate::from_ymd_opt(year, 12, 31)?,
            )),
        }
    }
}

/// Lowercase, unify dashes and apostrophes, collapse whitespace and strip
/// trailing punctuation.
#[must_use]
pub fn normalize(text: &str) -> String {
    let unified: String = text
        .to_lowercase()
        .chars()
        .map(|c| match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            '\u{2018}' | '\u{2019}' | '`' => '\'',
            other => other,
        })
        .collect();
    let collapsed = unified.split_whitespace().collect::<Vec<_>>().join(" ");
    trim_punctuation(&collapsed).to_string()
}

/// Strip trailing punctuation and surrounding whitespace.
fn trim_punctuation(text: &str) -> &str {
    text.trim().trim_end_matches(|c: char| {
        matches!(c, '.' | ',' | ';' | ':' | '!' | '?') || c.is_whitespace()
    })
}

/// The day of month after `tanggal`/`tgl` in a recurring description, if it is
/// a plausible day (1..=31).
fn day_of_month(text: &str) -> Option<u32> {
    let day: u32 = DAY_OF_MONTH.captures(text)?[1].parse().ok()?;
    (1..=31).contains(&day).then_some(day)
}

/// Remove leading filler words such as a weekday or `tanggal`.
fn strip_filler(mut text: &str) -> &str {
    while let Some(m) = FILLER.find(text) {
        if m.end() == 0 {
            break;
        }
        text = &text[m.end()..];
    }
    text
}

/// Parse one date expression (no range). Checks structure, month names and
/// year plausibility, but not whether the day exists; see [`Term::resolve`].
fn parse_term(text: &str) -> Option<Term> {
    let text = strip_filler(trim_punctuation(text));
    if text.is_empty() {
        return None;
    }
    parse_quarter_semester(text)
        .or_else(|| parse_numeric_dmy(text))
        .or_else(|| parse_numeric_ymd(text))
        .or_else(|| parse_day_month_name(text))
        .or_else(|| parse_month_name(text))
        .or_else(|| parse_year(text))
        .or_else(|| parse_day_only(text))
}

/// `Triwulan I 2026`, `Semester 2`.
fn parse_quarter_semester(text: &str) -> Option<Term> {
    let caps = QUARTER_SEMESTER.captures(text)?;
    let index = roman_or_digit(&caps[2])?;
    let year = optional_year(caps.get(3).map(|m| m.as_str()))?;
    let (first, last) = match &caps[1] {
        "semester" | "smt" if index <= 2 => (index * 6 - 5, index * 6),
        "semester" | "smt" => return None,
        _ => (index * 3 - 2, index * 3),
    };
    Some(Term::Months { first, last, year })
}

/// `17/08/2026`, `17-08-26`, `17.08.2026` (both separators must match).
fn parse_numeric_dmy(text: &str) -> Option<Term> {
    let caps = NUMERIC_DMY.captures(text)?;
    if caps[2] != caps[4] {
        return None;
    }
    Some(Term::Day {
        day: caps[1].parse().ok()?,
        month: Some(caps[3].parse().ok()?),
        year: Some(parse_year_digits(&caps[5])?),
    })
}

/// `2026-08-17`, `2026/08/17` (both separators must match).
fn parse_numeric_ymd(text: &str) -> Option<Term> {
    let caps = NUMERIC_YMD.captures(text)?;
    if caps[2] != caps[4] {
        return None;
    }
    Some(Term::Day {
        day: caps[5].parse().ok()?,
        month: Some(caps[3].parse().ok()?),
        year: Some(parse_year_digits(&caps[1])?),
    })
}

/// `17 Agustus 2026`, `17-Agt-2026`, `17 Agu. 26`, `17 Agustus`.
fn parse_day_month_name(text: &str) -> Option<Term> {
    let caps = DAY_MONTH_NAME.captures(text)?;
    Some(Term::Day {
        day: caps[1].parse().ok()?,
        month: Some(month_number(&caps[2])?),
        year: optional_year(caps.get(3).map(|m| m.as_str()))?,
    })
}

/// `Agustus 2026`, `Agustus`.
fn parse_month_name(text: &str) -> Option<Term> {
    let caps = MONTH_NAME.captures(text)?;
    let month = month_number(&caps[1])?;
    Some(Term::Months {
        first: month,
        last: month,
        year: optional_year(caps.get(2).map(|m| m.as_str()))?,
    })
}

/// `2026` (a `Tahun` prefix has already been stripped as filler).
fn parse_year(text: &str) -> Option<Term> {
    let caps = YEAR.captures(text)?;
    Some(Term::Year(parse_year_digits(&caps[1])?))
}

/// A bare day number such as the `1` in `1-5 Maret 2026`.
fn parse_day_only(text: &str) -> Option<Term> {
    let caps = DAY_ONLY.captures(text)?;
    Some(Term::Day {
        day: caps[1].parse().ok()?,
        month: None,
        year: None,
    })
}

/// Split `text` at each range separator in turn and return the first split
/// whose two ends form a valid, non-reversed period.
fn parse_range(text: &str, default_year: i32) -> Option<(NaiveDate, NaiveDate)> {
    RANGE_SEPARATOR.find_iter(text).find_map(|sep| {
        let left = parse_term(&text[..sep.start()])?;
        let right = parse_term(&text[sep.end()..])?;
        combine_range(left, right, default_year)
    })
}

/// Join two range ends. The left end borrows what it lacks from the right:
/// the year (`Januari s.d. Juni 2026`) and, for a bare day number, also the
/// month (`1-5 Maret 2026`). The right end falls back to `default_year`.
fn combine_range(left: Term, right: Term, default_year: i32) -> Option<(NaiveDate, NaiveDate)> {
    let right_year = right.year().unwrap_or(default_year);
    let left = match (left, right) {
        (
            Term::Day {
                day, month: None, ..
            },
            Term::Day {
                month: Some(month), ..
            },
        ) => Term::Day {
            day,
            month: Some(month),
            year: Some(right_year),
        },
        (Term::Day { month: None, .. }, _) => return None,
        (other, _) => other,
    };
    let (start, _) = left.resolve(right_year)?;
    let (_, end) = right.resolve(default_year)?;
    (start <= end).then_some((start, end))
}

/// Inclusive last day of `month` in `year`, without arithmetic that could
/// overflow for extreme years.
fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    (28..=31)
        .rev()
        .find_map(|day| NaiveDate::from_ymd_opt(year, month, day))
}

/// A typed year of two or four digits; two digits mean 20xx. Returns None for
/// implausible years outside [`MIN_YEAR`]..=[`MAX_YEAR`].
fn parse_year_digits(digits: &str) -> Option<i32> {
    let value: i32 = digits.parse().ok()?;
    let year = if digits.len() == 2 {
        2000 + value
    } else {
        value
    };
    (MIN_YEAR..=MAX_YEAR).contains(&year).then_some(year)
}

/// An optional typed year: `Some(None)` when absent, `None` when present but
/// implausible (so the whole term is rejected).
fn optional_year(digits: Option<&str>) -> Option<Option<i32>> {
    match digits {
        None => Some(None),
        Some(digits) => parse_year_digits(digits).map(Some),
    }
}

/// `i`..`iv` or `1`..`4`.
fn roman_or_digit(text: &str) -> Option<u32> {
    match text {
        "i" | "1" => Some(1),
        "ii" | "2" => Some(2),
        "iii" | "3" => Some(3),
        "iv" | "4" => Some(4),
        _ => None,
    }
}

/// Month number for an Indonesian or English month name or abbreviation
/// (already lowercased).
#[must_use]
pub fn month_number(name: &str) -> Option<u32> {
    let month = match name {
        "januari" | "jan" | "january" => 1,
        "februari" | "pebruari" | "feb" | "peb" | "febr" | "pebr" | "february" => 2,
        "maret" | "mar" | "mrt" | "march" => 3,
        "april" | "apr" => 4,
        "mei" | "may" => 5,
        "juni" | "jun" | "june" => 6,
        "juli" | "jul" | "july" => 7,
        "agustus" | "agu" | "agt" | "ags" | "agst" | "agus" | "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "oktober" | "okt" | "october" | "oct" => 10,
        "november" | "nopember" | "nov" | "nop" => 11,
        "desember" | "des" | "december" | "dec" => 12,
        _ => return None,
    };
    Some(month)
}

#[cfg(test)]
mod tests {
    use super::*;

    const Y: i32 = 2026;

    fn d(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn day(year: i32, month: u32, dd: u32) -> When {
        When::Period {
            start: d(year, month, dd),
            end: d(year, month, dd),
        }
    }

    fn period(start: NaiveDate, end: NaiveDate) -> When {
        When::Period { start, end }
    }

    fn assert_parses(text: &str, expected: When) {
        assert_eq!(parse_when(text, Y), expected, "input: {text:?}");
    }

    fn assert_unrecognised(text: &str) {
        assert_parses(text, When::Unrecognised);
    }

    fn assert_recurring(text: &str, day_of_month: Option<u32>) {
        assert_parses(text, When::Recurring { day_of_month });
    }

    // ----- numeric dates -------------------------------------------------

    #[test]
    fn numeric_day_first_with_slash_dash_dot() {
        for text in ["17/08/2026", "17-08-2026", "17.08.2026"] {
            assert_parses(text, day(2026, 8, 17));
        }
    }

    #[test]
    fn numeric_single_digit_day_and_month() {
        assert_parses("7/8/2026", day(2026, 8, 7));
        assert_parses("5/3/2026", day(2026, 3, 5));
    }

    #[test]
    fn numeric_two_digit_year() {
        assert_parses("17/08/26", day(2026, 8, 17));
        assert_parses("17-08-26", day(2026, 8, 17));
    }

    #[test]
    fn numeric_iso() {
        assert_parses("2026-08-17", day(2026, 8, 17));
        assert_parses("2026/08/17", day(2026, 8, 17));
    }

    #[test]
    fn numeric_with_spaces_around_separators() {
        assert_parses("17 / 08 / 2026", day(2026, 8, 17));
    }

    #[test]
    fn numeric_mixed_separators_rejected() {
        assert_unrecognised("17/08-2026");
    }

    #[test]
    fn numeric_invalid_dates() {
        for text in [
            "31/02/2026",
            "32/01/2026",
            "17/13/2026",
            "00/01/2026",
            "01/00/2026",
            "31-02-2026",
            "2026-02-30",
            "31/04/2026",
        ] {
            assert_unrecognised(text);
        }
    }

    #[test]
    fn leap_years() {
        assert_parses("29/02/2028", day(2028, 2, 29));
        assert_unrecognised("29/02/2026");
        assert_parses("29 Februari 2028", day(2028, 2, 29));
        assert_unrecognised("29 Februari 2026");
    }

    #[test]
    fn implausible_years_rejected() {
        assert_unrecognised("17/08/1800");
        assert_unrecognised("17 Agustus 2300");
        assert_unrecognised("0000");
    }

    // ----- month names ---------------------------------------------------

    #[test]
    fn day_month_name_year() {
        for text in [
            "17 Agustus 2026",
            "17 Agt 2026",
            "17 Agu. 2026",
            "17-Agustus-2026",
            "17 Ags 2026",
            "17 Agst 2026",
            "17 Agus 2026",
            "17 August 2026",
            "17 Aug 2026",
            "17 Agustus tahun 2026",
            "17 Agt 26",
        ] {
            assert_parses(text, day(2026, 8, 17));
        }
    }

    #[test]
    fn day_month_without_year_uses_default() {
        assert_parses("17 Agustus", day(Y, 8, 17));
        assert_eq!(parse_when("17 Agustus", 2030), day(2030, 8, 17));
    }

    #[test]
    fn every_month_name_and_abbreviation() {
        let table: [(u32, &[&str]); 12] = [
            (1, &["Januari", "Jan", "January"]),
            (2, &["Februari", "Pebruari", "Feb", "Peb", "February"]),
            (3, &["Maret", "Mar", "March"]),
            (4, &["April", "Apr"]),
            (5, &["Mei", "May"]),
            (6, &["Juni", "Jun", "June"]),
            (7, &["Juli", "Jul", "July"]),
            (
                8,
                &["Agustus", "Agu", "Agt", "Ags", "Agst", "Agus", "August"],
            ),
            (9, &["September", "Sep", "Sept"]),
            (10, &["Oktober", "Okt", "October"]),
            (11, &["November", "Nopember", "Nov", "Nop"]),
            (12, &["Desember", "Des", "December"]),
        ];
        for (month, names) in table {
            for name in names {
                assert_parses(&format!("1 {name} 2026"), day(2026, month, 1));
                assert_parses(&format!("1 {name}. 2026"), day(2026, month, 1));
            }
        }
    }

    #[test]
    fn month_year_is_whole_month() {
        assert_parses("Agustus 2026", period(d(2026, 8, 1), d(2026, 8, 31)));
        assert_parses("Februari 2028", period(d(2028, 2, 1), d(2028, 2, 29)));
        assert_parses("Februari 2026", period(d(2026, 2, 1), d(2026, 2, 28)));
        assert_parses("April 2026", period(d(2026, 4, 1), d(2026, 4, 30)));
        assert_parses("Bulan Juni 2026", period(d(2026, 6, 1), d(2026, 6, 30)));
    }

    #[test]
    fn month_without_year_uses_default() {
        assert_parses("Mei", period(d(Y, 5, 1), d(Y, 5, 31)));
    }

    #[test]
    fn year_alone() {
        let whole = period(d(2026, 1, 1), d(2026, 12, 31));
        assert_parses("2026", whole.clone());
        assert_parses("Tahun 2026", whole.clone());
        assert_parses("Tahun Anggaran 2026", whole.clone());
        assert_parses("TA 2026", whole);
    }

    // ----- tolerance -----------------------------------------------------

    #[test]
    fn leading_weekday() {
        assert_parses("Senin, 17 Agustus 2026", day(2026, 8, 17));
        assert_parses("Jumat 5/3/2026", day(2026, 3, 5));
        assert_parses("Jum'at, 5 Maret 2026", day(2026, 3, 5));
        assert_parses("Jum’at, 5 Maret 2026", day(2026, 3, 5));
        assert_parses("Hari Sabtu tanggal 7 Maret 2026", day(2026, 3, 7));
        assert_parses("Minggu, 8 Maret 2026", day(2026, 3, 8));
    }

    #[test]
    fn case_spaces_and_trailing_punctuation() {
        assert_parses("17 AGUSTUS 2026", day(2026, 8, 17));
        assert_parses("  17   agustus    2026  ", day(2026, 8, 17));
        assert_parses("17 Agustus 2026.", day(2026, 8, 17));
        assert_parses("17/08/2026.", day(2026, 8, 17));
        assert_parses("17 Agustus 2026;", day(2026, 8, 17));
        assert_parses("17 Agustus 2026 ...", day(2026, 8, 17));
        assert_parses("17\u{a0}Agustus\t2026", day(2026, 8, 17));
        assert_parses("SENIN,  17  AGUSTUS  2026.", day(2026, 8, 17));
    }

    // ----- ranges --------------------------------------------------------

    #[test]
    fn month_range_borrows_year() {
        let h1 = period(d(2026, 1, 1), d(2026, 6, 30));
        for text in [
            "Januari s.d. Juni 2026",
            "Januari s.d Juni 2026",
            "Januari sd Juni 2026",
            "Januari s/d Juni 2026",
            "Januari sampai Juni 2026",
            "Januari sampai dengan Juni 2026",
            "Januari hingga Juni 2026",
            "Januari - Juni 2026",
            "Januari-Juni 2026",
            "Januari – Juni 2026",
            "Januari—Juni 2026",
            "JANUARI S.D. JUNI 2026",
            "Januari  s.d.  Juni  2026.",
        ] {
            assert_parses(text, h1.clone());
        }
    }

    #[test]
    fn month_range_without_year_uses_default() {
        assert_parses("Januari s.d. Juni", period(d(Y, 1, 1), d(Y, 6, 30)));
    }

    #[test]
    fn day_range_within_month() {
        let expected = period(d(2026, 3, 1), d(2026, 3, 5));
        for text in [
            "1-5 Maret 2026",
            "1 - 5 Maret 2026",
            "1–5 Maret 2026",
            "1 s.d. 5 Maret 2026",
            "1 sampai 5 Maret 2026",
            "Tanggal 1 - 5 Maret 2026",
        ] {
            assert_parses(text, expected.clone());
        }
    }

    #[test]
    fn day_range_across_months() {
        assert_parses(
            "28 Februari - 3 Maret 2026",
            period(d(2026, 2, 28), d(2026, 3, 3)),
        );
        assert_parses(
            "Senin, 2 Maret - Jumat, 6 Maret 2026",
            period(d(2026, 3, 2), d(2026, 3, 6)),
        );
    }

    #[test]
    fn numeric_range() {
        let expected = period(d(2026, 8, 17), d(2026, 8, 20));
        assert_parses("17/08/2026 - 20/08/2026", expected.clone());
        assert_parses("17/08/2026 s.d. 20/08/2026", expected.clone());
        assert_parses("17-08-2026 - 20-08-2026", expected.clone());
        assert_parses("17-08-2026-20-08-2026", expected.clone());
        assert_parses("17-08-2026 – 20-08-2026", expected);
    }

    #[test]
    fn month_year_ranges() {
        assert_parses(
            "Januari 2026 sampai Desember 2026",
            period(d(2026, 1, 1), d(2026, 12, 31)),
        );
        assert_parses(
            "Juli hingga Agustus 2026",
            period(d(2026, 7, 1), d(2026, 8, 31)),
        );
        assert_parses(
            "Desember 2025 s.d. Februari 2026",
            period(d(2025, 12, 1), d(2026, 2, 28)),
        );
    }

    #[test]
    fn year_range() {
        assert_parses("2025 - 2026", period(d(2025, 1, 1), d(2026, 12, 31)));
    }

    #[test]
    fn reversed_ranges_rejected() {
        assert_unrecognised("5-1 Maret 2026");
        assert_unrecognised("Juni s.d. Januari 2026");
        assert_unrecognised("20/08/2026 - 17/08/2026");
        assert_unrecognised("Februari 2026 s.d. Desember 2025");
        // Left side borrows 2026 from the right, so December comes after February.
        assert_unrecognised("Desember s.d. Februari 2026");
    }

    #[test]
    fn range_with_invalid_end_rejected() {
        assert_unrecognised("1-32 Maret 2026");
        assert_unrecognised("30 Februari - 3 Maret 2026");
        assert_unrecognised("1 Maret - 5");
        assert_unrecognised("1 - Triwulan I 2026");
    }

    #[test]
    fn dashes_between_day_and_month_name_are_one_date() {
        // Same reading as `17-Agustus-2026`: a single day, not a range.
        assert_parses("1 - Maret 2026", day(2026, 3, 1));
    }

    #[test]
    fn single_dash_date_is_not_a_range() {
        assert_parses("17-08-2026", day(2026, 8, 17));
        assert_parses("1-5-2026", day(2026, 5, 1));
    }

    // ----- quarters and semesters ----------------------------------------

    #[test]
    fn quarters() {
        assert_parses("Triwulan I 2026", period(d(2026, 1, 1), d(2026, 3, 31)));
        assert_parses("Triwulan II 2026", period(d(2026, 4, 1), d(2026, 6, 30)));
        assert_parses("Triwulan III 2026", period(d(2026, 7, 1), d(2026, 9, 30)));
        assert_parses("Triwulan IV 2026", period(d(2026, 10, 1), d(2026, 12, 31)));
        assert_parses("Triwulan 3 2026", period(d(2026, 7, 1), d(2026, 9, 30)));
        assert_parses("TW III tahun 2026", period(d(2026, 7, 1), d(2026, 9, 30)));
        assert_parses("Triwulan I", period(d(Y, 1, 1), d(Y, 3, 31)));
        assert_unrecognised("Triwulan V 2026");
    }

    #[test]
    fn semesters() {
        assert_parses("Semester I 2026", period(d(2026, 1, 1), d(2026, 6, 30)));
        assert_parses("Semester 2 2026", period(d(2026, 7, 1), d(2026, 12, 31)));
        assert_parses("Semester II 2026", period(d(2026, 7, 1), d(2026, 12, 31)));
        assert_unrecognised("Semester 3 2026");
    }

    #[test]
    fn quarter_range() {
        assert_parses(
            "Triwulan I s.d. Triwulan III 2026",
            period(d(2026, 1, 1), d(2026, 9, 30)),
        );
    }

    // ----- recurring -----------------------------------------------------

    #[test]
    fn recurring_without_day() {
        for text in [
            "Setiap hari Senin",
            "Rutin setiap apel pagi",
            "Setiap Senin dan Kamis",
            "Setiap bulan",
            "tiap minggu",
            "Rutin",
            "Berkala",
            "Mingguan",
            "Bulanan",
            "Harian",
            "2 kali per bulan",
            "sekali per minggu",
            "Senin setiap minggu",
            "SETIAP HARI",
        ] {
            assert_recurring(text, None);
        }
    }

    #[test]
    fn recurring_with_day_of_month() {
        assert_recurring("Setiap tanggal 17", Some(17));
        assert_recurring("tiap tgl 17", Some(17));
        assert_recurring("Tiap tgl. 17 setiap bulan", Some(17));
        assert_recurring("setiap tgl.1", Some(1));
        assert_recurring("Setiap tanggal 31.", Some(31));
    }

    #[test]
    fn recurring_with_impossible_day() {
        assert_recurring("Setiap tanggal 32", None);
        assert_recurring("Setiap tanggal 0", None);
        assert_recurring("Setiap tanggal 170", None);
    }

    #[test]
    fn recurring_words_must_be_whole_words() {
        // "tiap" inside another word is not a recurring marker.
        assert_unrecognised("xtiapx");
        assert_unrecognised("rutinitas");
    }

    // ----- unrecognised --------------------------------------------------

    #[test]
    fn unrecognised_text() {
        for text in [
            "",
            "   ",
            "\t\n",
            "kemarin",
            "xx",
            "TBD",
            "Senin",
            "-",
            "s.d.",
            "17",
            "Tanggal 17",
            "Agustus 17, 2026",
            "17 Foo 2026",
            "Maret 26",
            "1/2",
            "2026-08",
            "...",
            "- 2026",
        ] {
            assert_unrecognised(text);
        }
    }

    // ----- within_year ---------------------------------------------------

    #[test]
    fn within_year() {
        assert!(parse_when("17 Agustus 2026", Y).within_year(2026));
        assert!(!parse_when("17 Agustus 2026", Y).within_year(2025));
        assert!(!parse_when("Desember 2025 s.d. Februari 2026", Y).within_year(2026));
        assert!(!parse_when("Desember 2025 s.d. Februari 2026", Y).within_year(2025));
        assert!(parse_when("Januari s.d. Juni 2026", Y).within_year(2026));
        assert!(When::Recurring { day_of_month: None }.within_year(1999));
        assert!(When::Unrecognised.within_year(1999));
    }

    // ----- helpers -------------------------------------------------------

    #[test]
    fn dates_with_a_time_of_day_are_that_date() {
        let aug17 = day(2026, 8, 17);
        for text in [
            "17/08/2026 08:00",
            "17 Agustus 2026 pukul 08.00 WIB",
            "17 Agu 2026 pada 08.00",
            "17-08-2026, 07.30",
            "Senin, 17 Agustus 2026 jam 08.00-10.00 WIB",
            "17/08/2026 08:00 s.d. selesai",
        ] {
            assert_eq!(parse_when(text, 2026), aug17, "{text}");
        }
        assert_eq!(
            parse_when("Minggu, 15 Mar 2026 07:30", 2026),
            day(2026, 3, 15)
        );
        // A dotted date is a date, not a time.
        assert_eq!(parse_when("17.08.2026", 2026), aug17);
        // A time alone is no date.
        assert_eq!(parse_when("08:00", 2026), When::Unrecognised);
    }

    #[test]
    fn normalize_unifies_text() {
        assert_eq!(
            normalize("  Januari – Juni  2026.. "),
            "januari - juni 2026"
        );
        assert_eq!(normalize("Jum’at"), "jum'at");
        assert_eq!(normalize(""), "");
    }

    #[test]
    fn extreme_default_years_do_not_panic() {
        for year in [i32::MIN, -1, 0, 262_143, 262_144, i32::MAX] {
            let _ = parse_when("17 Agustus", year);
            let _ = parse_when("Desember", year);
            let _ = parse_when("Triwulan IV", year);
            let _ = parse_when("1-5 Maret", year);
            let _ = parse_when("Januari s.d. Desember", year);
        }
        assert_eq!(parse_when("17 Agustus", i32::MAX), When::Unrecognised);
    }

    /// Deterministic fuzzing without extra dependencies: random strings built
    /// from date-like tokens and odd characters (including multibyte ones)
    /// must never panic.
    #[test]
    fn never_panics_on_random_text() {
        const TOKENS: &[&str] = &[
            "17", "08", "2026", "26", "1", "31", "0", "99999", "/", "-", ".", " ", "  ", "–", "—",
            "s.d.", "s/d", "sd", "sampai", "dengan", "hingga", "agustus", "agt.", "mei", "des",
            "triwulan", "iv", "semester", "ii", "tahun", "senin,", "jum'at", "setiap", "tgl.",
            "tanggal", "é", "ß", "İ", "ǅ", "日本", "🎉", "\u{0301}", "\u{200b}", "\u{a0}", "'",
            "’", ",", "?", "\n", "\0",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let len = (next() % 8) as usize;
            let text: String = (0..len)
                .map(|_| {
                    let r = next();
                    if r % 5 == 0 {
                        char::from_u32((r >> 8) as u32 % 0x11_0000)
                            .unwrap_or('x')
                            .to_string()
                    } else {
                        TOKENS[(r >> 8) as usize % TOKENS.len()].to_string()
                    }
                })
                .collect();
            let year = (next() % 400) as i32 + 1900;
            let when = parse_when(&text, year);
            let _ = when.within_year(year);
            if let When::Period { start, end } = when {
                assert!(start <= end, "reversed period for {text:?}");
            }
        }
    }
}
