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
use serde::Serialize;

use crate::model::Severity;

use super::Ctx;

pub use defect::{Defect, DefectKind};
pub use dept::DeptRecheck;
pub use execution::ExecutionRecheck;
pub use indicator::{score_target, IndicatorRecheck, TargetOutcome};
pub use project::ProjectRecheck;

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

/// The policy for a case: the paper's 复核口径, else its system's `recheck`, else the form's rule.
pub fn policy_of(case: &crate::model::Case) -> Policy {
    case.working_paper
        .as_ref()
        .and_then(|p| p.info("复核口径"))
        .and_then(Policy::parse)
        .or_else(|| crate::score::select_system(case).ok().and_then(|s| s.recheck))
        .unwrap_or_default()
}

pub(super) fn run(ctx: &mut Ctx) -> (Vec<ProjectRecheck>, Vec<DeptRecheck>) {
    let case = ctx.case;
    let policy = policy_of(case);
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
