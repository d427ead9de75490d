//! The projects looked at again: the re-checked 项目支出绩效自评表
//! ([`RecheckInfo`], 表3-3) and the sampled projects ([`SampledInfo`]).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::check::CheckReport;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecheckInfo {
    pub project: String,
    pub stated_grade: String,
    pub grade: String,
    pub stated_total: Option<Decimal>,
    pub total: Decimal,
    pub reasons: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampledInfo {
    pub name: String,
    pub purpose: String,
    pub budget: Option<Decimal>,
    pub grade: String,
    pub reason: String,
}

/// The check's re-check of each 项目支出绩效自评表.
pub(super) fn rechecks(checks: &CheckReport) -> Vec<RecheckInfo> {
    checks
        .rechecks
        .iter()
        .map(|r| RecheckInfo {
            project: r.project.clone(),
            stated_grade: r.stated_grade.map(|g| g.to_string()).unwrap_or_default(),
            grade: r.grade.to_string(),
            stated_total: r.stated_total.map(|d| d.normalize()),
            total: r.total.normalize(),
            reasons: r.reason_details().join("；"),
        })
        .collect()
}

/// The working paper's sampled projects (抽查项目).
pub(super) fn sampled(paper: Option<&crate::model::WorkingPaper>) -> Vec<SampledInfo> {
    paper
        .map(|p| {
            p.sampled
                .iter()
                .map(|x| SampledInfo {
                    name: x.name.clone(),
                    purpose: x.purpose.clone(),
                    budget: x.budget.map(|d| d.normalize()),
                    grade: x.grade.clone(),
                    reason: x.reason.clone(),
                })
                .collect()
        })
        .unwrap_or_default()
}
