//! 附件3 问题清单 ([`ProblemInfo`]): score's problem rows, each described
//! from its indicator's worded finding, with the points lost and the
//! working paper's findings behind it.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::findings;
use crate::score::Scored;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProblemInfo {
    pub category: String,
    pub number: usize,
    pub unit: String,
    /// The 三级 indicator it comes from.
    pub indicator: String,
    pub description: String,
    /// Points lost on the indicator.
    pub lost: Decimal,
    /// The working paper's findings behind it (empty for a computed indicator).
    pub findings: Vec<FindingInfo>,
}

/// A finding of the working paper, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingInfo {
    pub text: String,
    pub deduction: Decimal,
    /// The 问题主题 it is filed under.
    pub theme: String,
    /// `评价底稿.xlsx › 发现 › A5`.
    pub source: String,
}

/// Score's problem rows ([`Scored::problems`]: which indicators, their
/// 问题分类, 序号 and 责任单位), each described as the report says it: from
/// the indicator's worded problem ([`findings::Worded::problem`]: only what
/// lost points; the wording needs the findings template), with
/// the points lost and the working paper's findings that took points.
pub(super) fn problems(
    scored: &Scored,
    worded: &[findings::Worded],
    findings: &[crate::model::working_paper::Finding],
) -> Vec<ProblemInfo> {
    scored
        .problems
        .iter()
        .map(|p| {
            let indicator = scored.indicators.iter().zip(worded).find(|(i, _)| i.name == p.indicator);
            ProblemInfo {
                category: p.category.clone(),
                number: p.number,
                unit: p.unit.clone(),
                indicator: p.indicator.clone(),
                description: indicator.map(|(_, w)| w.problem.clone()).unwrap_or_default(),
                lost: indicator.map(|(i, _)| crate::model::value::fixed2(i.weight - i.score)).unwrap_or_default(),
                findings: findings
                    .iter()
                    .filter(|f| f.indicator == p.indicator && !f.deduction.is_zero())
                    .map(|f| FindingInfo {
                        text: f.text.clone(),
                        deduction: crate::model::value::fixed2(f.deduction),
                        theme: f.theme.clone(),
                        source: f.at.to_string(),
                    })
                    .collect(),
            }
        })
        .collect()
}
