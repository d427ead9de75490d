//! The indicator system as the report describes it ([`SystemInfo`]): its
//! 一级 and 二级 with their weights and 三级 names, as score counted them.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::score::Scored;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemInfo {
    pub name: String,
    pub level1_count: usize,
    pub level2_count: usize,
    pub level3_count: usize,
    pub level1: Vec<Level1Info>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Level1Info {
    pub name: String,
    pub weight: Decimal,
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
    let level1: Vec<Level1Info> = scored
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
            Level1Info { name: l1.name.clone(), weight: l1.weight.normalize(), indicator_count: inds.len(), level2 }
        })
        .collect();
    SystemInfo {
        name: scored.system.name.clone(),
        level1_count: level1.len(),
        level2_count: level1.iter().map(|l| l.level2.len()).sum(),
        level3_count: scored.system.indicators.len(),
        level1,
    }
}
