//! 自评复核: recompute every 项目支出绩效自评表 by a named policy, list each
//! defect, and check the arithmetic of the 部门整体支出绩效自评表.
//!
//! [`Policy::Form`] (the default) is the form's printed rule (注 3): 执行率
//! points = min(B/A, 1) × 10; a quantitative indicator scores B/A × 分值
//! when 正向 (≥ or a bare target), A/B × 分值 when 反向 (≤), capped at its
//! 分值 — an unmet target pro rata; an empty actual scores 0.
//! [`Policy::Strict`] adds seed 000's evaluator's conventions (its 表3-3): a
//! 数量指标 whose target was not met scores 0; a 成本指标 whose target is not
//! money scores 0; a 成本指标 money target without a sign is a ceiling
//! (反向). The system (`recheck = "strict"`) or the working paper (项目信息
//! 复核口径: 表注 / 严格) chooses; where the two differ both numbers are
//! shown. A sign in an actual, a missing unit or a malformed target are
//! defects to report, not deductions.

mod defect;
mod dept;
mod execution;
mod indicator;
mod project;
mod summary;

use rust_decimal::Decimal;

use crate::model::Severity;

use super::Ctx;

pub use defect::{Defect, DefectKind};
pub use dept::DeptRecheck;
pub use execution::ExecutionRecheck;
pub use indicator::{score_target, IndicatorRecheck, TargetOutcome};
pub use project::ProjectRecheck;

pub use crate::system::Policy;

pub(super) fn run(ctx: &mut Ctx) -> (Vec<ProjectRecheck>, Vec<DeptRecheck>) {
    let case = ctx.case;
    let policy = ctx.policy;
    let rechecks: Vec<ProjectRecheck> =
        case.project_self_evals.iter().map(|e| project::recheck_project(e, policy)).collect();
    for r in &rechecks {
        for d in &r.defects {
            ctx.report(
                Severity::Note,
                d.kind.rule(),
                &r.workbook,
                format!("{}：{}", r.project, d.text),
                d.at.iter().cloned().collect(),
            );
        }
    }
    summary::summary_against_forms(ctx);
    let depts = case.dept_self_evals.iter().map(|d| dept::recheck_dept(ctx, d)).collect();
    (rechecks, depts)
}

pub(super) fn hundred() -> Decimal {
    Decimal::ONE_HUNDRED
}

pub(super) fn ten() -> Decimal {
    Decimal::TEN
}
