//! Across documents: 预算 十一 ↔ 项目绩效目标表 ↔ 项目支出绩效自评表, and a
//! 成本指标's money within its project's budget.

use rust_decimal::Decimal;

use crate::check::{workbook_of, Ctx};
use crate::model::{project_key, Row, Severity, Table};

/// 预算 十一 ↔ 项目绩效目标表 ↔ 项目支出绩效自评表, and target money ≤ 项目支出.
pub(super) fn projects(ctx: &mut Ctx) {
    let case = ctx.case;
    // The latest budget year's 表十一 (the one reading of it: `figures::budget_projects`).
    let year = ctx.years(false).last().copied().filter(|y| *y != 0);
    let (budget11, listed): (Option<&crate::model::Table>, Vec<(&Row, Decimal)>) =
        match crate::model::figures::budget_projects(case, year) {
            Some((t, rows)) => (Some(t), rows.into_iter().map(|p| (p.row, p.amount)).collect()),
            None => (None, Vec::new()),
        };
    if let Some(t11) = budget11 {
        budget_list_against_targets(ctx, t11, &listed);
    }
    self_evals_against_lists(ctx, budget11.is_some(), &listed);
    target_money_within_budget(ctx, &listed);
}

/// 表十一's projects each with a 项目绩效目标表, and each 目标表 in 表十一.
fn budget_list_against_targets(ctx: &mut Ctx, t11: &Table, listed: &[(&Row, Decimal)]) {
    let targets = &ctx.case.project_targets;
    let wb = workbook_of(t11);
    if !targets.is_empty() {
        for (r, _) in listed {
            if !targets.iter().any(|p| project_key(&p.project) == project_key(&r.label)) {
                ctx.report(
                    Severity::Note,
                    "cross.projects",
                    &wb,
                    format!("预算表十一中的项目“{}”没有对应的项目绩效目标表。", r.label),
                    vec![r.at.clone()],
                );
            }
        }
    }
    for p in targets {
        if !listed.iter().any(|(r, _)| project_key(&r.label) == project_key(&p.project)) {
            ctx.report(
                Severity::Note,
                "cross.projects",
                &p.location.file,
                format!("项目绩效目标表“{}”不在预算表十一的项目清单中。", p.project),
                Vec::new(),
            );
        }
    }
}

/// Each 项目支出绩效自评表 with its 目标表 and in 表十一.
fn self_evals_against_lists(ctx: &mut Ctx, has_budget11: bool, listed: &[(&Row, Decimal)]) {
    let case = ctx.case;
    let targets = &case.project_targets;
    let evals = &case.project_self_evals;
    for e in evals {
        if !targets.is_empty() && !targets.iter().any(|p| project_key(&p.project) == project_key(&e.project)) {
            ctx.report(
                Severity::Note,
                "cross.projects",
                &e.location.file,
                format!("项目“{}”有支出绩效自评表，但没有项目绩效目标表。", e.project),
                Vec::new(),
            );
        }
        if has_budget11 && !listed.iter().any(|(r, _)| project_key(&r.label) == project_key(&e.project)) {
            ctx.report(
                Severity::Note,
                "cross.projects",
                &e.location.file,
                format!("项目“{}”有支出绩效自评表，但不在预算表十一的项目清单中。", e.project),
                Vec::new(),
            );
        }
    }
}

/// A 成本指标 money target above the project's budget line.
fn target_money_within_budget(ctx: &mut Ctx, listed: &[(&Row, Decimal)]) {
    let targets = &ctx.case.project_targets;
    for p in targets {
        let Some((row, budget)) = listed.iter().find(|(r, _)| project_key(&r.label) == project_key(&p.project)) else {
            continue;
        };
        for i in p.indicators.iter().filter(|i| i.level1.contains("成本") && i.target.is_money()) {
            let Some(v) = i.target.value() else { continue };
            let wan = if i.target.unit().is_some_and(|u| u == "元") { v / Decimal::from(10_000) } else { v };
            if crate::model::value::round2(wan) > *budget {
                ctx.report(
                    Severity::Note,
                    "cross.target_money",
                    &p.location.file,
                    format!(
                        "项目“{}”的成本指标“{}”目标值 {} 高于预算表十一的项目支出 {} 万元。",
                        p.project,
                        i.name,
                        i.target.text,
                        crate::model::value::fmt_amount(*budget)
                    ),
                    vec![i.at.clone(), row.at.clone()],
                );
            }
        }
    }
}
