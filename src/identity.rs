//! A template's identity (OPD code, OPD name, year, template version), written
//! twice into every workbook: as custom document properties and as rows of the
//! very hidden sheet `_monev`. LibreOffice keeps custom properties but turns
//! "very hidden" into "hidden"; other tools drop properties but keep sheets. The
//! reader therefore tries both, then falls back to the OPD name and the file name.

use std::collections::HashMap;

use serde::Serialize;

/// Name of the hidden sheet holding the identity.
pub const SHEET: &str = "_monev";
/// Custom property names.
pub const PROP_CODE: &str = "monev_kode";
pub const PROP_NAME: &str = "monev_nama";
pub const PROP_YEAR: &str = "monev_tahun";
pub const PROP_VERSION: &str = "monev_versi";
/// Custom property marking monev's own outputs (value "rekap"), never read as input.
pub const PROP_KIND: &str = "monev_jenis";
/// Custom property of a feedback workbook: the key of the answers monev wrote
/// into it (`ingest::answers_key`).
pub const PROP_ANSWERS: &str = "monev_isian";
/// The value of [`PROP_KIND`] on a feedback workbook.
pub const KIND_FEEDBACK: &str = "umpan_balik";
/// The custom document property marking a workbook as written by `monev
/// contoh` (value `1`), so `--timpa` may replace it.
pub const PROP_SAMPLE: &str = "monev_contoh";
/// Keys of the `_monev` sheet's rows (column A), values in column B.
pub const KEY_CODE: &str = "kode";
pub const KEY_NAME: &str = "nama";
pub const KEY_YEAR: &str = "tahun";
pub const KEY_VERSION: &str = "versi";

/// What a template says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Identity {
    pub code: Option<String>,
    pub name: Option<String>,
    pub year: Option<i32>,
    pub version: Option<String>,
}

impl Identity {
    /// From custom document properties.
    pub fn from_properties(props: &HashMap<String, String>) -> Identity {
        Identity {
            code: clean(props.get(PROP_CODE)),
            name: clean(props.get(PROP_NAME)),
            year: props.get(PROP_YEAR).and_then(|y| parse_year(y)),
            version: clean(props.get(PROP_VERSION)),
        }
    }

    /// From `(key, value)` rows of the `_monev` sheet.
    pub fn from_rows<'a>(rows: impl IntoIterator<Item = (&'a str, String)>) -> Identity {
        let mut id = Identity::default();
        for (key, value) in rows {
            let value = Some(value.trim().to_string()).filter(|v| !v.is_empty());
            match key.trim().to_lowercase().as_str() {
                KEY_CODE => id.code = value.map(|v| v.to_lowercase()),
                KEY_NAME => id.name = value,
                KEY_YEAR => id.year = value.as_deref().and_then(parse_year),
                KEY_VERSION => id.version = value,
                _ => {}
            }
        }
        id
    }

    /// True when it names at least a unit code.
    pub fn is_known(&self) -> bool {
        self.code.is_some()
    }
}

fn clean(v: Option<&String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Years as stored by Excel ("2026"), LibreOffice ("2026.0") or as a float.
fn parse_year(text: &str) -> Option<i32> {
    let t = text.trim();
    let t = t.strip_suffix(".0").unwrap_or(t);
    t.parse::<i32>().ok().filter(|y| (1900..=9999).contains(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_from_any_tool() {
        assert_eq!(parse_year("2026"), Some(2026));
        assert_eq!(parse_year(" 2026.0 "), Some(2026));
        assert_eq!(parse_year("dua ribu"), None);
    }

    #[test]
    fn rows_are_case_insensitive() {
        let id = Identity::from_rows([
            ("Kode", "DINKES".to_string()),
            ("tahun", "2026".to_string()),
            ("x", "y".into()),
        ]);
        assert_eq!(id.code.as_deref(), Some("dinkes"));
        assert_eq!(id.year, Some(2026));
        assert!(id.is_known());
    }
}
