//! How a system asks 项目支出绩效自评表 to be re-checked (`recheck =
//! "strict"` / `"form"`; the working paper's 复核口径 may say otherwise —
//! the case's setting is resolved once, in [`crate::setup`]).

use serde::Serialize;

/// How a 自评表 is re-checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// The form's printed rule: an unmet target scores pro rata.
    #[default]
    Form,
    /// Seed 000's conventions: an unmet 数量指标 scores 0, a non-money
    /// 成本指标 target scores 0, a bare money cost target is a ceiling.
    Strict,
}

impl Policy {
    /// `strict`/`严格` or `form`/`表注`.
    pub fn parse(s: &str) -> Option<Policy> {
        match s.trim() {
            "strict" | "严格" | "严格口径" => Some(Policy::Strict),
            "form" | "表注" | "表注规则" | "表注口径" => Some(Policy::Form),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Policy::Form => "表注规则",
            Policy::Strict => "严格口径",
        }
    }
}
