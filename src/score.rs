//! Maturity scoring, driven by `templates/rubrik.toml` (embedded) or a
//! `--rubrik FILE` override.
//!
//! Per indicator: each evidence item (a, b) earns `item_points` when its
//! Ketersediaan is "Ada" and its link is present with no error finding; the
//! indicator earns `activity_points` more when Tabel 1 holds at least one valid
//! activity for it (all four required fields present, link without error). An
//! indicator is met with full points; the level is 1 plus the number of
//! consecutive met indicators from indicator 1.

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::checks::activity::validity;
use crate::error::{Error, Result, describe_io};
use crate::finding::{Finding, Severity};
use crate::form::INDICATORS;
use crate::ingest::Submission;

/// The embedded default rubric.
pub const DEFAULT_RUBRIC: &str = include_str!("../templates/rubrik.toml");

/// The scoring rubric.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    pub version: String,
    pub variable: String,
    pub source: String,
    pub item_points: u32,
    pub activity_points: u32,
    /// Domains an evidence link may point to; a link elsewhere is an error
    /// and earns no points (Keterangan Kolom 7: "tautan google drive").
    /// `--domain` overrides it; an empty list accepts any web address.
    #[serde(default = "crate::links::default_allowed_domains")]
    pub accepted_domains: Vec<String>,
    pub levels: Vec<Level>,
    #[serde(skip)]
    pub origin: String,
}

/// One maturity level.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub level: u8,
    pub name: String,
    pub description: String,
}

impl Rubric {
    /// The embedded rubric.
    pub fn embedded() -> Result<Rubric> {
        Rubric::from_toml(DEFAULT_RUBRIC, "bawaan")
    }

    /// Reads a rubric file.
    pub fn load(path: &Path) -> Result<Rubric> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::RubricUnreadable {
            path: path.to_path_buf(),
            reason: describe_io(&e),
        })?;
        Rubric::from_toml(&text, &path.display().to_string())
    }

    /// Parses and validates a rubric.
    pub fn from_toml(text: &str, origin: &str) -> Result<Rubric> {
        let invalid = |problem: String| Error::RubricInvalid {
            origin: origin.to_string(),
            problem,
        };
        let mut r: Rubric =
            toml::from_str(text).map_err(|e| invalid(crate::text::toml_problem(&e, text)))?;
        r.origin = origin.to_string();
        let levels: Vec<u8> = r.levels.iter().map(|l| l.level).collect();
        if levels != [1, 2, 3, 4, 5] {
            return Err(invalid(
                "'levels' harus berisi level 1 sampai 5 secara berurutan".into(),
            ));
        }
        if r.item_points > 1000 || r.activity_points > 1000 {
            return Err(invalid("poin paling banyak 1000".into()));
        }
        if r.indicator_points() == 0 {
            return Err(invalid("poin indikator tidak boleh nol".into()));
        }
        Ok(r)
    }

    /// Full points of one indicator.
    pub fn indicator_points(&self) -> u32 {
        2 * self.item_points + self.activity_points
    }

    /// Highest possible score.
    pub fn max_score(&self) -> u32 {
        INDICATORS as u32 * self.indicator_points()
    }

    /// The level's name and description.
    pub fn level(&self, level: u8) -> Option<&Level> {
        self.levels.iter().find(|l| l.level == level)
    }
}

/// One indicator's result.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorScore {
    pub number: usize,
    pub points: u32,
    pub met: bool,
    pub activities: usize,
    pub valid_activities: usize,
    /// Points of items a and b.
    pub item_points: [u32; 2],
}

/// A unit's score.
#[derive(Debug, Clone, Serialize)]
pub struct Score {
    pub indicators: Vec<IndicatorScore>,
    pub total: u32,
    pub level: u8,
    /// Validity of each activity, in the submission's order.
    pub activity_valid: Vec<bool>,
}

/// Cells (sheet, row, column) that carry a link error (an error-severity
/// `link.*` finding other than sharing).
fn link_error_cells(findings: &[Finding]) -> HashSet<(String, u32, u32)> {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Error && f.code.is_link())
        .filter_map(|f| Some((f.location.sheet.clone()?, f.location.row?, f.location.col?)))
        .collect()
}

/// Scores a submission given all findings of its file.
pub fn score(sub: &Submission, findings: &[Finding], rubric: &Rubric) -> Score {
    let bad = link_error_cells(findings);
    let has_error = |sheet: &str, pos: Option<(u32, u32)>| {
        pos.is_some_and(|(r, c)| bad.contains(&(sheet.to_string(), r, c)))
    };
    let activity_valid = validity(sub, findings);
    let indicators: Vec<IndicatorScore> = (1..=INDICATORS)
        .map(|n| {
            let rows: Vec<usize> = (0..sub.activities.len())
                .filter(|&i| sub.activities[i].indicator == Some(n))
                .collect();
            let valid = rows.iter().filter(|&&i| activity_valid[i]).count();
            let mut item_points = [0; 2];
            for e in sub.evidence.iter().filter(|e| e.indicator == n) {
                let ok = e.availability.is_ada()
                    && !e.link.is_empty()
                    && !has_error(&sub.table2_sheet, e.link.pos);
                if ok {
                    item_points[usize::from(e.item == 'b')] = rubric.item_points;
                }
            }
            let points = item_points.iter().sum::<u32>()
                + if valid > 0 { rubric.activity_points } else { 0 };
            IndicatorScore {
                number: n,
                points,
                met: points == rubric.indicator_points(),
                activities: rows.len(),
                valid_activities: valid,
                item_points,
            }
        })
        .collect();
    let total = indicators.iter().map(|i| i.points).sum();
    let level = 1 + indicators.iter().take_while(|i| i.met).count() as u8;
    Score {
        indicators,
        total,
        level,
        activity_valid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_rubric() {
        let r = Rubric::embedded().unwrap();
        assert_eq!(r.indicator_points(), 25);
        assert_eq!(r.max_score(), 100);
        assert_eq!(r.level(1).unwrap().name, "Level I");
    }

    #[test]
    fn bad_rubric_is_rejected() {
        let bad = DEFAULT_RUBRIC.replace("level = 3", "level = 7");
        let e = Rubric::from_toml(&bad, "r.toml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Berkas rubrik 'r.toml' tidak sah: 'levels' harus berisi level 1 sampai 5 secara berurutan."
        );
    }
}
