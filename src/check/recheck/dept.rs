//! The arithmetic of a 部门整体支出绩效自评表: weights, totals, scores and
//! the execution rate.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::check::{Ctx, Term};
use crate::model::value::fmt_number;
use crate::model::{DeptSelfEval, Grade, Provenance, Severity};

use super::hundred;

/// The 部门整体支出绩效自评表, re-checked.
#[derive(Debug, Clone, Serialize)]
pub struct DeptRecheck {
    pub department: Option<String>,
    pub workbook: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub total_weight: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub total_score: Decimal,
    /// 执行数 / 预算数, rounded to 4 decimals.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub execution_rate: Option<Decimal>,
    pub grade: Grade,
}

pub(super) fn recheck_dept(ctx: &mut Ctx, d: &DeptSelfEval) -> DeptRecheck {
    let wb = d.location.file.clone();
    let (total_weight, total_score) = scores_within_weights(ctx, d, &wb);
    group_weights(ctx, d, &wb);
    totals(ctx, d, &wb, total_weight, total_score);
    let rate = execution_rate(ctx, d, &wb);
    DeptRecheck {
        department: d.department.clone(),
        workbook: wb,
        total_weight,
        total_score,
        execution_rate: rate,
        grade: Grade::from_score(total_score),
    }
}

/// Each 三级指标's score within its weight: (Σ weights, Σ scores).
fn scores_within_weights(ctx: &mut Ctx, d: &DeptSelfEval, wb: &str) -> (Decimal, Decimal) {
    let mut total_weight = Decimal::ZERO;
    let mut total_score = Decimal::ZERO;
    for i in &d.indicators {
        let w = i.weight.as_ref().and_then(|v| v.value.number()).unwrap_or_default();
        let s = i.score.as_ref().and_then(|v| v.value.number()).unwrap_or_default();
        total_weight += w;
        total_score += s;
        if s > w {
            ctx.report(
                Severity::Error,
                "recheck.dept_score",
                wb,
                format!("部门整体支出绩效自评表“{}”自评得分 {} 超过分值 {}。", i.name, fmt_number(s), fmt_number(w)),
                i.score.iter().map(|v| v.at.clone()).collect(),
            );
        }
    }
    (total_weight, total_score)
}

/// Σ 三级 = the bracketed 二级 and 一级 weights.
fn group_weights(ctx: &mut Ctx, d: &DeptSelfEval, wb: &str) {
    let mut groups: Vec<(String, Option<Decimal>, Decimal, Provenance)> = Vec::new();
    let mut level1: Vec<(String, Option<Decimal>, Decimal, Provenance)> = Vec::new();
    for i in &d.indicators {
        let w = i.weight.as_ref().and_then(|v| v.value.number()).unwrap_or_default();
        let key2 = format!("{}/{}", i.level1, i.level2);
        match groups.iter_mut().find(|g| g.0 == key2) {
            Some(g) => g.2 += w,
            None => groups.push((key2, i.level2_weight, w, i.at.clone())),
        }
        match level1.iter_mut().find(|g| g.0 == i.level1) {
            Some(g) => g.2 += w,
            None => level1.push((i.level1.clone(), i.level1_weight, w, i.at.clone())),
        }
    }
    for (name, stated, sum, at) in groups.iter().chain(level1.iter()) {
        if let Some(s) = stated {
            if s != sum {
                ctx.sum(
                    "recheck.dept_weights",
                    wb,
                    "部门整体支出绩效自评表",
                    Term::new(format!("“{name}”标注分值"), *s, Some(at.clone())),
                    vec![Term::new("其下三级指标分值之和", *sum, None)],
                );
            }
        }
    }
}

/// The weights sum to 100, and the 合计 row states both sums.
fn totals(ctx: &mut Ctx, d: &DeptSelfEval, wb: &str, total_weight: Decimal, total_score: Decimal) {
    if total_weight != hundred() {
        ctx.report(
            Severity::Error,
            "recheck.dept_weights",
            wb,
            format!("部门整体支出绩效自评表三级指标分值合计为 {}，应为 100。", fmt_number(total_weight)),
            Vec::new(),
        );
    }
    if let Some(v) = &d.total_weight {
        ctx.sum(
            "recheck.dept_total",
            wb,
            "部门整体支出绩效自评表",
            Term::new("合计分值", v.value.amount_or_zero(), Some(v.at.clone())),
            vec![Term::new("各三级指标分值之和", total_weight, None)],
        );
    }
    if let Some(v) = &d.total_score {
        ctx.sum(
            "recheck.dept_total",
            wb,
            "部门整体支出绩效自评表",
            Term::new("合计自评得分", v.value.amount_or_zero(), Some(v.at.clone())),
            vec![Term::new("各三级指标自评得分之和", total_score, None)],
        );
    }
}

/// 执行数 / 预算数, against the 预算执行率 the form states.
fn execution_rate(ctx: &mut Ctx, d: &DeptSelfEval, wb: &str) -> Option<Decimal> {
    let rate = match (&d.budget, &d.spent) {
        (Some(b), Some(s)) => {
            let (b, s) = (b.value.amount_or_zero(), s.value.amount_or_zero());
            crate::model::figures::share_fraction(s, b)
        }
        _ => None,
    };
    if let (Some(r), Some(stated)) = (rate, &d.execution_rate) {
        let sv = stated.value.amount_or_zero();
        let sv = if sv > Decimal::ONE + Decimal::ONE { sv / hundred() } else { sv };
        if (sv - r).abs() > Decimal::new(1, 4) {
            ctx.report(
                Severity::Error,
                "recheck.dept_rate",
                wb,
                format!(
                    "部门整体支出绩效自评表预算执行率填写 {}%，执行数/预算数 = {}%。",
                    fmt_number(sv * hundred()),
                    fmt_number(r * hundred())
                ),
                vec![stated.at.clone()],
            );
        }
    }
    rate
}
