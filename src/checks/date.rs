//! Checks on Waktu Pelaksanaan (Kolom 2).

use chrono::Datelike;

use super::{Context, quote};
use crate::dates::When;
use crate::finding::{Code, Finding};
use crate::form::col;
use crate::ingest::{Activity, Submission};
use crate::text::normalize_key;

fn location(a: &Activity, sub: &Submission, ctx: &Context) -> Option<crate::finding::Location> {
    let c = sub.table1_columns[col::WHEN]?;
    (!a.cells[col::WHEN].is_empty()).then(|| ctx.at(&sub.table1_sheet, (a.row, c)))
}

/// `date.unrecognised`: the text is neither a date, a period nor a recurring
/// description, so the city team can't tell when the activity happened.
pub fn unrecognised(a: &Activity, sub: &Submission, ctx: &Context) -> Vec<Finding> {
    let Some(loc) = location(a, sub, ctx) else {
        return vec![];
    };
    if a.when != When::Unrecognised {
        return vec![];
    }
    vec![Finding::new(
        Code::DateUnrecognised,
        loc,
        format!(
            "Waktu Pelaksanaan \"{}\" tidak dapat dipahami. Tulis tanggal dd/mm/yyyy (misalnya 17/08/{}), periode (\"Januari s.d. Juni {}\"), atau kegiatan rutin (\"Setiap hari Senin\").",
            quote(&a.cells[col::WHEN].text),
            ctx.year,
            ctx.year
        ),
    )]
}

/// `date.outside_year`: the date or period lies (partly) outside the reporting
/// year; a report covers one year only.
pub fn outside_year(a: &Activity, sub: &Submission, ctx: &Context) -> Vec<Finding> {
    let Some(loc) = location(a, sub, ctx) else {
        return vec![];
    };
    let When::Period { start, end } = a.when else {
        return vec![];
    };
    if a.when.within_year(ctx.year) {
        return vec![];
    }
    let span = if start == end {
        start.format("%d/%m/%Y").to_string()
    } else {
        format!(
            "{} s.d. {}",
            start.format("%d/%m/%Y"),
            end.format("%d/%m/%Y")
        )
    };
    vec![Finding::new(
        Code::DateOutsideYear,
        loc,
        format!(
            "Waktu Pelaksanaan \"{}\" ({span}) berada di luar tahun pelaporan {}.",
            quote(&a.cells[col::WHEN].text),
            ctx.year
        ),
    )]
}

/// True when the row is about the BerAKHLAK twibbon (Lampiran C.3 huruf e).
pub fn is_twibbon(a: &Activity, ctx: &Context) -> bool {
    let twibbon_labels: Vec<String> = ctx
        .form
        .activation
        .iter()
        .filter(|f| f.twibbon)
        .map(|f| normalize_key(&f.label))
        .collect();
    [col::ACTIVITY, col::MEDIA].iter().any(|&i| {
        let key = normalize_key(&a.cells[i].text);
        key.contains("twibbon") || key.contains("twibon") || twibbon_labels.contains(&key)
    })
}

/// True when the period [start, end] contains the 17th of some month.
fn holds_a_17th(start: chrono::NaiveDate, end: chrono::NaiveDate) -> bool {
    if end < start {
        return false;
    }
    // A period of 31 days or more always does; shorter ones are walked.
    (end - start).num_days() >= 30
        || start
            .iter_days()
            .take_while(|d| *d <= end)
            .any(|d| d.day() == 17)
}

/// `date.twibbon_not_17`: the twibbon is worn on the 17th of each month; a
/// twibbon activity dated on no 17th is probably a typo.
pub fn twibbon_not_17(a: &Activity, sub: &Submission, ctx: &Context) -> Vec<Finding> {
    let Some(loc) = location(a, sub, ctx) else {
        return vec![];
    };
    if !is_twibbon(a, ctx) {
        return vec![];
    }
    let wrong = match a.when {
        When::Period { start, end } => !holds_a_17th(start, end),
        When::Recurring {
            day_of_month: Some(d),
        } => d != 17,
        _ => false,
    };
    if !wrong {
        return vec![];
    }
    vec![Finding::new(
        Code::DateTwibbonNot17,
        loc,
        format!(
            "Twibbon BerAKHLAK dipasang pada tanggal 17 setiap bulan, tetapi Waktu Pelaksanaan tertulis \"{}\".",
            quote(&a.cells[col::WHEN].text)
        ),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn periods_with_and_without_a_17th() {
        assert!(holds_a_17th(d(3, 17), d(3, 17)));
        assert!(!holds_a_17th(d(3, 18), d(3, 18)));
        assert!(holds_a_17th(d(3, 10), d(3, 20)));
        assert!(!holds_a_17th(d(3, 18), d(4, 16)));
        assert!(holds_a_17th(d(3, 18), d(4, 17)));
        assert!(holds_a_17th(d(1, 1), d(12, 31)));
        assert!(holds_a_17th(NaiveDate::MIN, NaiveDate::MAX));
    }
}
