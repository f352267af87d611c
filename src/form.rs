//! The form definition: every text the templates show, loaded from
//! `templates/formulir.toml` (embedded) or a `--formulir FILE` override.
//!
//! The regulation's wording is data, not code: this module only gives it types
//! and checks the shape the template and the reader rely on (seven Tabel 1
//! columns, four indicators, two availability answers, a dropdown Excel accepts).

use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, describe_io};

/// The embedded default form definition.
pub const DEFAULT_FORM: &str = include_str!("../templates/formulir.toml");

/// The whole form definition.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    /// Template version written into every workbook's identity.
    pub version: String,
    pub regulation: Regulation,
    pub deadline: Deadline,
    pub table1: Table1,
    pub table2: Table2,
    pub table3: Table3,
    pub activation: Vec<Activation>,
    pub instructions: Instructions,
    /// Where this definition came from ("bawaan" or a path), for reports.
    #[serde(skip)]
    pub origin: String,
}

/// Names of the regulation and the teams it sets up.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regulation {
    pub name: String,
    pub title: String,
    pub short: String,
    pub city: String,
    pub government: String,
    pub city_team: String,
    pub unit_team: String,
}

/// The yearly reporting deadline (day and month of the reporting year).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    pub month: u32,
    pub day: u32,
    /// The deadline as words, without the year ("31 Agustus").
    pub text: String,
}

/// Tabel 1, the activity log.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table1 {
    pub sheet: String,
    pub title: String,
    /// The seven column headers, in order.
    pub columns: Vec<String>,
    pub notes_title: String,
    /// Keterangan, Kolom 1 to 7.
    pub notes: Vec<String>,
    /// The four indicator rows.
    pub indicators: Vec<String>,
    pub signature_place: String,
    pub signature_role: String,
    pub signature_name: String,
}

/// Tabel 2, the maturity indicators.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table2 {
    pub sheet: String,
    pub title: String,
    /// No, Indikator, Data Dukung, Ketersediaan, Tautan Data Dukung, Keterangan.
    pub columns: Vec<String>,
    /// The two answers of Ketersediaan: "Ada" first, "Belum Ada" second.
    pub availability: Vec<String>,
    pub indicators: Vec<Indicator2>,
}

/// One Tabel 2 indicator with its evidence items a and b.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator2 {
    pub text: String,
    pub a: String,
    pub b: String,
}

/// Tabel 3, the values guide.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table3 {
    pub sheet: String,
    pub title: String,
    pub columns: Vec<String>,
    pub values: Vec<Value>,
}

/// One BerAKHLAK value with its Panduan Perilaku and Perwujudan Perilaku.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Value {
    pub name: String,
    pub guide: Vec<String>,
    pub behaviour: Vec<String>,
}

/// One activation form of Lampiran C.3.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activation {
    /// The dropdown entry.
    pub label: String,
    /// The regulation's heading.
    pub text: String,
    /// The twibbon, worn on the 17th of each month.
    #[serde(default)]
    pub twibbon: bool,
}

/// The "Petunjuk" sheet.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instructions {
    pub sheet: String,
    pub title: String,
    pub lines: Vec<String>,
}

/// Index of each Tabel 1 column, in the regulation's order.
pub mod col {
    pub const NO: usize = 0;
    pub const WHEN: usize = 1;
    pub const ACTIVITY: usize = 2;
    pub const MEDIA: usize = 3;
    pub const PROBLEM: usize = 4;
    pub const SOLUTION: usize = 5;
    pub const EVIDENCE: usize = 6;
}

/// Index of each Tabel 2 column.
pub mod col2 {
    pub const NO: usize = 0;
    pub const INDICATOR: usize = 1;
    pub const EVIDENCE: usize = 2;
    pub const AVAILABILITY: usize = 3;
    pub const LINK: usize = 4;
    pub const REMARK: usize = 5;
}

/// How many indicators both tables have.
pub const INDICATORS: usize = 4;

impl Form {
    /// The embedded default definition.
    pub fn embedded() -> Result<Form> {
        Form::from_toml(DEFAULT_FORM, "bawaan")
    }

    /// Reads a definition from a file.
    pub fn load(path: &Path) -> Result<Form> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::FormUnreadable {
            path: path.to_path_buf(),
            reason: describe_io(&e),
        })?;
        Form::from_toml(&text, &path.display().to_string())
    }

    /// Parses and validates a definition.
    pub fn from_toml(text: &str, origin: &str) -> Result<Form> {
        let invalid = |problem: String| Error::FormInvalid {
            origin: origin.to_string(),
            problem,
        };
        let mut form: Form =
            toml::from_str(text).map_err(|e| invalid(crate::text::toml_problem(&e, text)))?;
        form.origin = origin.to_string();
        form.validate().map_err(invalid)?;
        Ok(form)
    }

    /// Checks the shape the template and the reader rely on.
    fn validate(&self) -> std::result::Result<(), String> {
        let t1 = &self.table1;
        expect_len("table1.columns", t1.columns.len(), 7)?;
        expect_len("table1.notes", t1.notes.len(), 7)?;
        expect_len("table1.indicators", t1.indicators.len(), INDICATORS)?;
        expect_len("table2.columns", self.table2.columns.len(), 6)?;
        expect_len("table2.availability", self.table2.availability.len(), 2)?;
        expect_len(
            "table2.indicators",
            self.table2.indicators.len(),
            INDICATORS,
        )?;
        expect_len("table3.columns", self.table3.columns.len(), 4)?;
        if self.activation.is_empty() {
            return Err("daftar 'activation' kosong".into());
        }
        if self.activation.iter().any(|a| a.label.contains(',')) {
            return Err(
                "label 'activation' tidak boleh memuat koma (batasan daftar pilihan Excel)".into(),
            );
        }
        let list_len: usize = self
            .activation
            .iter()
            .map(|a| a.label.chars().count() + 1)
            .sum();
        if list_len > 256 {
            return Err(format!(
                "gabungan label 'activation' {} karakter, melebihi batas daftar pilihan Excel (255)",
                list_len - 1
            ));
        }
        let sheets = [
            &self.instructions.sheet,
            &t1.sheet,
            &self.table2.sheet,
            &self.table3.sheet,
        ];
        for (i, s) in sheets.iter().enumerate() {
            if s.is_empty()
                || s.chars().count() > 31
                || s.contains(['[', ']', ':', '*', '?', '/', '\\'])
            {
                return Err(format!("nama lembar '{s}' tidak sah untuk Excel"));
            }
            if sheets[..i].contains(s) {
                return Err(format!("nama lembar '{s}' dipakai dua kali"));
            }
        }
        if NaiveDate::from_ymd_opt(2024, self.deadline.month, self.deadline.day).is_none() {
            return Err(format!(
                "tenggat {}/{} bukan tanggal yang sah",
                self.deadline.day, self.deadline.month
            ));
        }
        Ok(())
    }

    /// The reporting deadline of `year` (31 August by default).
    pub fn deadline_date(&self, year: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, self.deadline.month, self.deadline.day)
            // 29 February in a common year: the last day of February.
            .or_else(|| NaiveDate::from_ymd_opt(year, self.deadline.month, 28))
            .unwrap_or(NaiveDate::MIN)
    }

    /// The deadline as words with the year ("31 Agustus 2026").
    pub fn deadline_text(&self, year: i32) -> String {
        format!("{} {year}", self.deadline.text)
    }

    /// The dropdown entries of Bentuk/Media.
    pub fn activation_labels(&self) -> Vec<&str> {
        self.activation.iter().map(|a| a.label.as_str()).collect()
    }

    /// Fills the placeholders of an instruction line.
    pub fn fill(&self, line: &str, unit_name: &str, year: i32) -> String {
        line.replace("{nama}", unit_name)
            .replace("{tahun}", &year.to_string())
            .replace("{tenggat}", &self.deadline_text(year))
            .replace("{tim_kota}", &self.regulation.city_team)
            .replace("{tim_pd}", &self.regulation.unit_team)
    }
}

fn expect_len(what: &str, got: usize, want: usize) -> std::result::Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!(
            "'{what}' harus berisi {want} butir, ditemukan {got}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_form_is_valid_and_verbatim() {
        let f = Form::embedded().unwrap();
        assert_eq!(
            f.table1.columns[3],
            "Bentuk/ Media/ Peralatan yang Digunakan"
        );
        assert_eq!(
            f.table1.title,
            "Tabel 1 Formulir Laporan Monitoring dan Evaluasi"
        );
        assert_eq!(
            f.table2.indicators[2].a,
            "a. Ada dokumen resmi program internalisasi budaya organisasi berkelanjutan; dan"
        );
        assert_eq!(f.table3.values.len(), 7);
        assert_eq!(f.activation.len(), 9);
        assert_eq!(f.activation.iter().filter(|a| a.twibbon).count(), 1);
        assert_eq!(
            f.deadline_date(2026),
            NaiveDate::from_ymd_opt(2026, 8, 31).unwrap()
        );
        assert_eq!(f.deadline_text(2026), "31 Agustus 2026");
    }

    #[test]
    fn every_regulation_text_appears_in_the_regulation() {
        // The form's wording must be the regulation's: check each text against the
        // seed copy when it is present next to the repository.
        let Ok(seed) = std::fs::read_to_string("../shared/seed/perwal-serang-34-2023.txt") else {
            eprintln!("dilewati: ../shared/seed/perwal-serang-34-2023.txt tidak ada");
            return;
        };
        let tags = regex::Regex::new("<[^>]*>").unwrap();
        let norm = |s: &str| {
            let s = tags.replace_all(s, "").replace('*', "");
            s.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        let seed = norm(&seed);
        let f = Form::embedded().unwrap();
        let mut texts: Vec<&str> = vec![&f.table1.title, &f.table2.title];
        texts.extend(f.table1.columns.iter().map(String::as_str));
        texts.extend(f.table1.indicators.iter().map(String::as_str));
        for i in &f.table2.indicators {
            texts.extend([i.text.as_str(), &i.a[3..], &i.b[3..]]);
        }
        for v in &f.table3.values {
            texts.extend(v.guide.iter().map(String::as_str));
            texts.extend(v.behaviour.iter().map(String::as_str));
        }
        for n in &f.table1.notes {
            texts.push(n.split(" : ").nth(1).unwrap());
        }
        for t in texts {
            assert!(
                seed.contains(&norm(t)),
                "not verbatim in the regulation: {t}"
            );
        }
    }

    #[test]
    fn wrong_shapes_are_rejected_with_a_message() {
        let bad = DEFAULT_FORM.replacen("\"No.\",\n", "", 1);
        let e = Form::from_toml(&bad, "x.toml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Berkas formulir 'x.toml' tidak sah: 'table1.columns' harus berisi 7 butir, ditemukan 6."
        );
        let e = Form::from_toml("version = ", "y.toml").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("Berkas formulir 'y.toml' tidak sah: isi TOML tidak sah"),
            "{e}"
        );
        let long = DEFAULT_FORM.replace(
            "label = \"Multimedia\"",
            &format!("label = \"{}\"", "M".repeat(120)),
        );
        let e = Form::from_toml(&long, "z.toml").unwrap_err();
        assert!(
            e.to_string()
                .contains("melebihi batas daftar pilihan Excel"),
            "{e}"
        );
    }
}
