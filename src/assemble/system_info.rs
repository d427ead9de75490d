//! The indicator system as the report describes it ([`SystemInfo`]): its
//! 一级 and 二级 with their weights (and each 一级's share of the total) and
//! 三级 names, as score counted them, and the grade bands.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::model::value::round2;
use crate::model::GRADE_BANDS;
use crate::score::Scored;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemInfo {
    pub name: String,
    pub level1_count: usize,
    pub level2_count: usize,
    pub level3_count: usize,
    pub level1: Vec<Level1Info>,
    /// The 一级 weights summed (100 in the shipped systems).
    #[serde(default)]
    pub total_weight: Decimal,
    /// The share (%, 2 decimals) of the 一级 named 产出 and 效益 together —
    /// the national framework asks for at least 60 — none without them.
    #[serde(default)]
    pub results_share: Option<Decimal>,
    /// That share is at least 60.
    #[serde(default)]
    pub results_met: bool,
    /// The grade bands, best first ([`crate::model::GRADE_BANDS`]).
    #[serde(default)]
    pub grades: Vec<GradeBand>,
}

/// A grade and its score range: `low` inclusive (none for the lowest
/// grade), `high` exclusive (none for the highest).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradeBand {
    pub grade: String,
    pub low: Option<Decimal>,
    pub high: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Level1Info {
    pub name: String,
    pub weight: Decimal,
    /// Its weight's share of the total (%, 2 decimals).
    #[serde(default)]
    pub share: Decimal,
    pub level2: Vec<Level2Info>,
    pub indicator_count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Level2Info {
    pub name: String,
    pub weight: Decimal,
    pub indicators: Vec<String>,
}

/// The system's 一级 and 二级 with the weights score summed
/// ([`Scored::level1`], [`Scored::level2`]: computed once, there) and the
/// names of their 三级, in the system's order.
pub(super) fn system_info(scored: &Scored) -> SystemInfo {
    let mut level1: Vec<Level1Info> = scored
        .level1
        .iter()
        .map(|l1| {
            let inds: Vec<_> = scored.indicators.iter().filter(|i| i.level1 == l1.name).collect();
            let level2: Vec<Level2Info> = scored
                .level2
                .iter()
                .filter(|l2| l2.level1 == l1.name)
                .map(|l2| Level2Info {
                    name: l2.name.clone(),
                    weight: l2.weight.normalize(),
                    indicators: inds.iter().filter(|i| i.level2 == l2.name).map(|i| i.name.clone()).collect(),
                })
                .collect();
            Level1Info {
                name: l1.name.clone(),
                weight: l1.weight.normalize(),
                share: Decimal::ZERO,
                indicator_count: inds.len(),
                level2,
            }
        })
        .collect();
    let total_weight: Decimal = level1.iter().map(|l| l.weight).sum();
    let share = |w: Decimal| {
        if total_weight.is_zero() {
            Decimal::ZERO
        } else {
            round2(w / total_weight * Decimal::ONE_HUNDRED).normalize()
        }
    };
    for l in &mut level1 {
        l.share = share(l.weight);
    }
    let results: Vec<Decimal> =
        level1.iter().filter(|l| l.name.contains("产出") || l.name.contains("效益")).map(|l| l.weight).collect();
    let results_share = (!results.is_empty()).then(|| share(results.iter().sum()));
    SystemInfo {
        name: scored.system.name.clone(),
        level1_count: level1.len(),
        level2_count: level1.iter().map(|l| l.level2.len()).sum(),
        level3_count: scored.system.indicators.len(),
        total_weight: total_weight.normalize(),
        results_share,
        results_met: results_share.is_some_and(|s| s >= Decimal::from(60)),
        grades: grade_bands(),
        level1,
    }
}

/// The grade bands of [`GRADE_BANDS`], best first.
fn grade_bands() -> Vec<GradeBand> {
    let low = |l: u32| (l > 0).then(|| Decimal::from(l));
    GRADE_BANDS
        .iter()
        .enumerate()
        .map(|(i, (g, l))| GradeBand {
            grade: g.label().to_string(),
            low: low(*l),
            high: i.checked_sub(1).map(|p| Decimal::from(GRADE_BANDS[p].1)),
        })
        .collect()
}
