//! A 项目支出绩效自评表 re-checked as a whole: its execution points, its
//! indicators, the weights, the total and the grade.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::value::{fmt_number, round2};
use crate::model::{Grade, ProjectSelfEval};

use super::execution::recheck_execution;
use super::indicator::recheck_indicator;
use super::{hundred, Defect, DefectKind, ExecutionRecheck, IndicatorRecheck, Policy};

/// A 项目支出绩效自评表, re-checked.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectRecheck {
    pub project: String,
    pub workbook: String,
    pub sheet: String,
    pub execution: Option<ExecutionRecheck>,
    pub indicators: Vec<IndicatorRecheck>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub stated_total: Option<Decimal>,
    pub stated_grade: Option<Grade>,
    #[serde(with = "rust_decimal::serde::str")]
    pub total: Decimal,
    pub grade: Grade,
    pub defects: Vec<Defect>,
    /// The policy applied.
    pub policy: Policy,
    /// The total by the form's printed rule, when the policy gives another.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub form_total: Option<Decimal>,
}

impl ProjectRecheck {
    /// The reasons of 表3-3: the defect kinds, in order, without repeats.
    pub fn reasons(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        for d in &self.defects {
            if d.kind != DefectKind::Grade && !out.contains(&d.kind.label()) {
                out.push(d.kind.label());
            }
        }
        out
    }

    /// The reasons of 表3-3 with their values, in order, without repeats: a
    /// 分值计算错误 on an indicator that also kept full marks for an unmet
    /// target is said with it, once.
    pub fn reason_details(&self) -> Vec<String> {
        let unmet = |name: &Option<String>| {
            self.defects.iter().find(|d| d.kind == DefectKind::UnmetFullMarks && &d.indicator == name)
        };
        let mut out: Vec<String> = Vec::new();
        for d in self.defects.iter().filter(|d| d.kind != DefectKind::Grade) {
            if d.kind == DefectKind::Formula && d.indicator.is_some() && unmet(&d.indicator).is_some() {
                continue;
            }
            let detail = match (
                d.kind,
                self.defects.iter().find(|f| f.kind == DefectKind::Formula && f.indicator == d.indicator),
            ) {
                // `…未按规定扣分（自评13分，复核0分）`: the scores of the 分值计算错误.
                (DefectKind::UnmetFullMarks, Some(f)) => {
                    format!("{}{}", d.detail, f.detail.find('（').map(|i| &f.detail[i..]).unwrap_or_default())
                }
                _ => d.detail.clone(),
            };
            if !out.contains(&detail) {
                out.push(detail);
            }
        }
        out
    }
}

pub(super) fn recheck_project(e: &ProjectSelfEval, policy: Policy) -> ProjectRecheck {
    let mut defects = Vec::new();
    let execution = recheck_execution(e, &mut defects);
    let spent_wan = execution.as_ref().map(|x| x.spent);
    let strict = policy == Policy::Strict;
    let indicators: Vec<IndicatorRecheck> =
        e.indicators.iter().map(|i| recheck_indicator(i, spent_wan, strict, &mut defects)).collect();

    check_weights(e, &indicators, execution.as_ref(), &mut defects);
    let stated_total = e.stated_total.as_ref().and_then(|v| v.value.number());
    check_stated_total(e, stated_total, execution.as_ref(), &mut defects);
    let total = round2(
        indicators.iter().map(|i| i.score).sum::<Decimal>() + execution.as_ref().map(|x| x.points).unwrap_or_default(),
    );
    let grade = Grade::from_score(total);
    // The same form by the printed rule, when the policy is another: both numbers are shown.
    let form_total = if strict { Some(recheck_project(e, Policy::Form).total).filter(|f| *f != total) } else { None };
    let stated_grade = check_grade(e, policy, stated_total, total, grade, form_total, &mut defects);
    let (workbook, sheet) = (e.location.file.clone(), e.location.sheet.clone());
    ProjectRecheck {
        project: e.project.clone(),
        workbook,
        sheet,
        execution,
        indicators,
        stated_total,
        stated_grade,
        total,
        grade,
        defects,
        policy,
        form_total,
    }
}

/// The weights, the execution's included, sum to 100.
fn check_weights(
    e: &ProjectSelfEval,
    indicators: &[IndicatorRecheck],
    execution: Option<&ExecutionRecheck>,
    defects: &mut Vec<Defect>,
) {
    let weights: Decimal =
        indicators.iter().map(|i| i.weight).sum::<Decimal>() + execution.map(|x| x.weight).unwrap_or_default();
    if weights != hundred() {
        defects.push(Defect {
            kind: DefectKind::Weights,
            indicator: None,
            text: format!(
                "分值合计为 {}（含预算执行率 {}），应为 100。",
                fmt_number(weights),
                fmt_number(execution.map(|x| x.weight).unwrap_or_default())
            ),
            detail: format!("分值合计为{}，不为100", fmt_number(weights)),
            at: e.indicators.first().map(|i| i.at.clone()),
        });
    }
}

/// The stated 总分 is the sum of the stated scores.
fn check_stated_total(
    e: &ProjectSelfEval,
    stated_total: Option<Decimal>,
    execution: Option<&ExecutionRecheck>,
    defects: &mut Vec<Defect>,
) {
    let stated_sum: Decimal = e.indicators.iter().filter_map(|i| i.score).sum::<Decimal>()
        + execution.and_then(|x| x.stated).unwrap_or_default();
    if let Some(st) = stated_total {
        if (st - stated_sum).abs() > Decimal::new(1, 2) {
            defects.push(Defect {
                kind: DefectKind::Total,
                indicator: None,
                text: format!("总分填写 {}，各项自评得分之和为 {}。", fmt_number(st), fmt_number(stated_sum)),
                detail: format!("总分{}不等于各项得分之和{}", fmt_number(st), fmt_number(stated_sum)),
                at: e.stated_total.as_ref().map(|v| v.at.clone()),
            });
        }
    }
}

/// The stated 等级 (else the grade of the stated 总分) against the
/// re-checked one: the stated grade.
fn check_grade(
    e: &ProjectSelfEval,
    policy: Policy,
    stated_total: Option<Decimal>,
    total: Decimal,
    grade: Grade,
    form_total: Option<Decimal>,
    defects: &mut Vec<Defect>,
) -> Option<Grade> {
    let stated_grade = e.stated_grade.as_deref().and_then(Grade::parse).or(stated_total.map(Grade::from_score));
    if let Some(sg) = stated_grade {
        if sg != grade {
            defects.push(Defect {
                kind: DefectKind::Grade,
                indicator: None,
                text: format!(
                    "自评 {} 分、等级“{}”，复核（{}）{} 分、等级“{}”{}。",
                    stated_total.map(fmt_number).unwrap_or_else(|| "—".into()),
                    sg,
                    policy.label(),
                    fmt_number(total),
                    grade,
                    form_total
                        .map(|f| format!("；按表注规则为 {} 分、等级“{}”", fmt_number(f), Grade::from_score(f)))
                        .unwrap_or_default()
                ),
                detail: String::new(),
                at: e.stated_total.as_ref().map(|v| v.at.clone()),
            });
        }
    }
    stated_grade
}
