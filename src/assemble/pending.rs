//! What the report still needs ([`Pending`]): the inputs the case lacks
//! for the templates in use, and the indicators whose rule failed.

use serde::{Deserialize, Serialize};

use crate::score::Scored;

/// Something the report still needs, shown as a placeholder until filled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    /// Its list: `缺表`, `缺事实`, `缺文字`, `缺项目信息`, `缺其他`.
    pub group: String,
    /// `项目信息“评价机构”`, `文字“主要成效及做法”`.
    pub what: String,
    /// Where to fill it.
    pub fill: String,
}

/// A table cell whose value waits for an input (the sentence or row beside
/// it names what is missing).
pub const PENDING_CELL: &str = "【待填】";

/// Every item the case lacks for the templates in use (each 项目信息 field
/// the report prints is filled, or a visible placeholder listed here: never
/// an empty slot), then each indicator whose rule failed: 未评分 until its
/// input is corrected.
pub(super) fn pending(missing: &crate::missing::Missing, scored: &Scored) -> Vec<Pending> {
    let mut pending: Vec<Pending> = missing
        .groups()
        .iter()
        .flat_map(|(group, items)| {
            items.iter().map(move |i| Pending {
                group: group.to_string(),
                what: i.what.clone(),
                fill: format!("{}（{}用）", i.fill, i.used_by),
            })
        })
        .collect();
    let system = &scored.system;
    for i in scored.indicators.iter().filter(|i| i.failed.is_some()) {
        let place = system.indicator(&i.name).map(|d| d.place.clone()).unwrap_or_default();
        pending.push(Pending {
            group: "未评分".into(),
            what: format!("指标“{}”的得分", i.name),
            fill: format!("{}（指标定义：{place}）；改正后重新生成", i.failed.as_deref().unwrap_or_default()),
        });
    }
    pending
}
