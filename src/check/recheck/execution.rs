//! The 项目预算执行情况 points of a 项目支出绩效自评表, recomputed.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::figures;
use crate::model::value::{fmt_number, round2};
use crate::model::ProjectSelfEval;

use super::{ten, Defect, DefectKind};

/// The 项目预算执行情况 points, recomputed.
#[derive(Debug, Clone, Serialize)]
pub struct ExecutionRecheck {
    #[serde(with = "rust_decimal::serde::str")]
    pub budget: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub spent: Decimal,
    /// B/A as a fraction, rounded to 4 decimals ([`figures::share_fraction`]).
    #[serde(with = "rust_decimal::serde::str")]
    pub rate: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub weight: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub points: Decimal,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub stated: Option<Decimal>,
}

/// The 项目预算执行情况 of the form's 资金总额 line (else its first fund
/// line): B/A points out of its weight, a zero budget noted, never a
/// denominator.
pub(super) fn recheck_execution(e: &ProjectSelfEval, defects: &mut Vec<Defect>) -> Option<ExecutionRecheck> {
    let total_line = e.funds.iter().find(|f| f.label.contains("资金总额")).or(e.funds.first());
    total_line.and_then(|f| {
        let budget = f.budget.as_ref()?.value.number()?;
        let spent = f.spent.as_ref().and_then(|v| v.value.number()).unwrap_or_default();
        let weight = f.weight.as_ref().and_then(|v| v.value.number()).unwrap_or(ten());
        let stated = f.score.as_ref().and_then(|v| v.value.number());
        if budget.is_zero() {
            // A zero budget is never a denominator: 年初无预算, the execution
            // rate cannot be computed; the stated points stand, noted.
            defects.push(Defect {
                kind: DefectKind::NoBudget,
                indicator: Some("预算执行率".into()),
                text: format!(
                    "全年预算数为 0（年初无预算），预算执行率无法计算（执行数 {}），不按 0% 计分，采用自评得分 {}；请核实资金来源。",
                    fmt_number(spent),
                    stated.map(fmt_number).unwrap_or_else(|| "—".into())
                ),
                detail: "全年预算数为0，预算执行率无法计算".into(),
                at: f.budget.as_ref().map(|v| v.at.clone()),
            });
            let points = stated.unwrap_or_default();
            return Some(ExecutionRecheck { budget, spent, rate: Decimal::ZERO, weight, points, stated });
        }
        // The points from B/A unrounded, as the form computes them; the
        // rate shown and kept is figures' (2 decimals in %, half up).
        let points = round2((spent / budget).min(Decimal::ONE) * weight);
        if let Some(s) = stated {
            if (s - points).abs() > Decimal::new(1, 2) {
                defects.push(Defect {
                    kind: DefectKind::Formula,
                    indicator: Some("预算执行率".into()),
                    text: format!(
                        "预算执行率 {}/{} = {}%，应得 {} 分，自评 {} 分。",
                        fmt_number(spent),
                        fmt_number(budget),
                        fmt_number(figures::share_rate(spent, budget).unwrap_or_default()),
                        fmt_number(points),
                        fmt_number(s)
                    ),
                    detail: format!("预算执行率分值计算错误，自评{}分，复核{}分", fmt_number(s), fmt_number(points)),
                    at: f.score.as_ref().map(|v| v.at.clone()),
                });
            }
        }
        let rate = figures::share_fraction(spent, budget).unwrap_or_default();
        Some(ExecutionRecheck { budget, spent, rate, weight, points, stated })
    })
}
