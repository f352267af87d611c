//! The checks: each a small function with a stable code that looks at one part
//! of a [`Submission`] and returns [`Finding`]s. Checks never stop the run.
//! Checks on the workbook's structure (missing columns and rows, copied or
//! unreadable sheets) live in [`structure`]; checks on a whole file (blank
//! template, no activity, wrong year) in [`file`]; checks that need every file at once (superseded files, links
//! shared between OPDs, lateness) live in [`across`] and run after all files
//! are read.

pub mod across;
pub mod activity;
pub mod date;
pub mod evidence;
pub mod file;
pub mod link;
pub mod structure;

use crate::finding::{Finding, Location};
use crate::form::Form;
use crate::ingest::Submission;

/// What every check may need to know.
pub struct Context<'a> {
    /// The file as shown in reports.
    pub file: &'a str,
    pub form: &'a Form,
    /// The reporting year.
    pub year: i32,
    /// Domains evidence links may point to.
    pub allowed_domains: &'a [String],
    /// Every link cell of the submission, classified once
    /// ([`link::Verdicts::classify`]) for the link checks and the shared-link
    /// check across files.
    pub links: &'a link::Verdicts,
}

impl Context<'_> {
    /// A location in this file.
    pub fn at(&self, sheet: &str, pos: (u32, u32)) -> Location {
        Location::at(self.file, sheet, pos.0, pos.1)
    }
}

/// Runs every structure and per-row check on a submission, in a stable order.
pub fn check_submission(sub: &Submission, ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    out.extend(structure::identified_by_sender(sub, ctx));
    out.extend(structure::sheet_unread(sub, ctx));
    out.extend(structure::duplicate_table(sub, ctx));
    out.extend(structure::column_missing(sub, ctx));
    out.extend(structure::evidence_row_missing(sub, ctx));
    out.extend(structure::evidence_extra_row(sub, ctx));
    for a in &sub.activities {
        out.extend(activity::missing_fields(a, sub, ctx));
        out.extend(activity::problem_without_solution(a, sub, ctx));
        out.extend(activity::outside_indicator(a, sub, ctx));
        out.extend(link::activity_link(a, sub, ctx));
        out.extend(date::unrecognised(a, sub, ctx));
        out.extend(date::outside_year(a, sub, ctx));
        out.extend(date::twibbon_not_17(a, sub, ctx));
    }
    for e in &sub.evidence {
        out.extend(evidence::status(e, sub, ctx));
        out.extend(evidence::checkmark(e, sub, ctx));
        out.extend(evidence::link_presence(e, sub, ctx));
        out.extend(link::evidence_link(e, sub, ctx));
    }
    out
}

/// Shortens user text quoted in a message.
pub fn quote(text: &str) -> String {
    let flat = crate::text::squash(text);
    if flat.chars().count() > 80 {
        format!("{}…", flat.chars().take(79).collect::<String>())
    } else {
        flat
    }
}
