//! The machine-readable rekap (`--json FILE`, schema `monev-rekap/2`).

use crate::error::{Error, Result};
use crate::model::Rekap;

/// The rekap as pretty-printed JSON.
pub fn to_json(rekap: &Rekap) -> Result<Vec<u8>> {
    serde_json::to_vec_pretty(rekap).map_err(|e| Error::Json {
        reason: e.to_string(),
    })
}
