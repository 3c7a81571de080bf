//! The rules engine (stub while the engine is being written).

use serde::{Deserialize, Serialize};

/// Warning levels, lowest to highest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Ok,
    Unknown,
    Watch,
    Warning,
    Emergency,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RulesConfig {}

impl RulesConfig {
    pub fn validate(&self, _custom_symptoms: &[String]) -> Result<(), String> {
        Ok(())
    }
}
