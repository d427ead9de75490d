//! 评价等级: 优 ≥ 90, 良 80–90, 中 60–80, 差 < 60 (lower bound inclusive).
//!
//! ```
//! use jixiao::model::Grade;
//! use rust_decimal_macros::dec;
//! assert_eq!(Grade::from_score(dec!(82.03)), Grade::Good);
//! assert_eq!(Grade::from_score(dec!(90)), Grade::Excellent);
//! assert_eq!(Grade::parse("良"), Some(Grade::Good));
//! ```

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A grade, shared by every report kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Grade {
    /// 差 (< 60)
    #[serde(rename = "差")]
    Poor,
    /// 中 (60–80)
    #[serde(rename = "中")]
    Fair,
    /// 良 (80–90)
    #[serde(rename = "良")]
    Good,
    /// 优 (≥ 90)
    #[serde(rename = "优")]
    Excellent,
}

/// The grades from best to worst, each with the lowest score it takes
/// (inclusive): the bands reports state (“90分（含）以上为优”).
pub const GRADE_BANDS: [(Grade, u32); 4] =
    [(Grade::Excellent, 90), (Grade::Good, 80), (Grade::Fair, 60), (Grade::Poor, 0)];

impl Grade {
    pub fn from_score(score: Decimal) -> Grade {
        GRADE_BANDS.iter().find(|(_, low)| score >= Decimal::from(*low)).map(|(g, _)| *g).unwrap_or(Grade::Poor)
    }

    /// `优` / `优秀`, `良` / `良好`, `中` / `中等` / `合格`, `差` / `较差` / `不合格`.
    pub fn parse(text: &str) -> Option<Grade> {
        let t = text.trim();
        if t.starts_with('优') {
            Some(Grade::Excellent)
        } else if t.starts_with('良') {
            Some(Grade::Good)
        } else if t.starts_with('中') || t == "合格" || t == "一般" {
            Some(Grade::Fair)
        } else if t.starts_with('差') || t == "较差" || t == "不合格" {
            Some(Grade::Poor)
        } else {
            None
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Grade::Excellent => "优",
            Grade::Good => "良",
            Grade::Fair => "中",
            Grade::Poor => "差",
        }
    }

    /// How many tiers apart two grades are (优 vs 良 = 1).
    pub fn gap(self, other: Grade) -> u8 {
        (self as i8 - other as i8).unsigned_abs()
    }
}

impl std::fmt::Display for Grade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}
