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

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::value::{fmt_number, round2};
use crate::model::{
    Comparison, DeptSelfEval, Grade, ProjectSelfEval, Provenance, SelfEvalIndicator, Severity, Target, TargetKind,
};

use super::Ctx;

pub use crate::system::Policy;

/// The kinds of self-evaluation defect seed 000 describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DefectKind {
    /// 分值计算错误: the stated score does not follow the formula.
    Formula,
    /// 未完成年度目标但未按规定扣分.
    UnmetFullMarks,
    /// 实际完成值带比较符号.
    ActualWithSign,
    /// 实际完成值缺少单位.
    ActualMissingUnit,
    /// 实际完成值未填写.
    ActualEmpty,
    /// 成本指标的目标值不是金额.
    CostTargetNotMoney,
    /// 指标值表述不规范.
    MalformedTarget,
    /// 分值合计不为 100.
    Weights,
    /// 总分不等于各项得分之和.
    Total,
    /// 自评等级与复核等级不符.
    Grade,
    /// 全年预算数为 0: the execution rate has no denominator.
    NoBudget,
}

impl DefectKind {
    pub fn rule(self) -> &'static str {
        match self {
            DefectKind::Formula => "recheck.formula",
            DefectKind::UnmetFullMarks => "recheck.unmet_full_marks",
            DefectKind::ActualWithSign => "recheck.actual_sign",
            DefectKind::ActualMissingUnit => "recheck.actual_unit",
            DefectKind::ActualEmpty => "recheck.actual_empty",
            DefectKind::CostTargetNotMoney => "recheck.cost_target",
            DefectKind::MalformedTarget => "recheck.target_text",
            DefectKind::Weights => "recheck.weights",
            DefectKind::Total => "recheck.total",
            DefectKind::Grade => "recheck.grade",
            DefectKind::NoBudget => "recheck.no_budget",
        }
    }

    /// The 表3-3 wording of the defect kind.
    pub fn label(self) -> &'static str {
        match self {
            DefectKind::Formula => "分值计算错误",
            DefectKind::UnmetFullMarks => "未完成年度指标但未按规定扣分",
            DefectKind::ActualWithSign => "实际完成值填写不规范（带比较符号）",
            DefectKind::ActualMissingUnit => "实际完成值缺少单位",
            DefectKind::ActualEmpty => "实际完成值未填写",
            DefectKind::CostTargetNotMoney => "指标设置不合理（成本指标目标值不是金额）",
            DefectKind::MalformedTarget => "指标值设置不够清晰明确",
            DefectKind::Weights => "分值合计不为100",
            DefectKind::Total => "总分不等于各项得分之和",
            DefectKind::Grade => "自评等级与复核等级不符",
            DefectKind::NoBudget => "年初无预算，预算执行率无法计算",
        }
    }
}

/// One defect of a self-evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct Defect {
    pub kind: DefectKind,
    /// The 三级指标 concerned, if any.
    pub indicator: Option<String>,
    /// Plain Chinese, with the values.
    pub text: String,
    /// The 表3-3 phrase: the defect named with its values
    /// (`成本指标“医疗救助资金”年度指标值“≥18200人次”不是金额，设置不合理`).
    pub detail: String,
    pub at: Option<Provenance>,
}

/// The 项目预算执行情况 points, recomputed.
#[derive(Debug, Clone, Serialize)]
pub struct ExecutionRecheck {
    #[serde(with = "rust_decimal::serde::str")]
    pub budget: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub spent: Decimal,
    /// B/A as a fraction, rounded to 4 decimals.
    #[serde(with = "rust_decimal::serde::str")]
    pub rate: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub weight: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub points: Decimal,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub stated: Option<Decimal>,
}

/// How an indicator's re-check came out, for the narrative's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetOutcome {
    /// The target was met (a number at or beyond it).
    Met,
    /// Not met: pro rata.
    Unmet,
    /// Not met, a 数量指标 under the strict policy: 0.
    UnmetQuantity,
    /// 实际完成值 empty: 0.
    ActualEmpty,
    /// A 成本指标 whose target is not money (strict): 0.
    CostNotMoney,
    /// A deadline met / missed.
    OnTime,
    Late,
    /// A qualitative target reached.
    Qualitative,
    /// No formula applies: the form's own score stands.
    Stated,
}

/// One indicator, recomputed.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorRecheck {
    pub level1: String,
    pub level2: String,
    pub name: String,
    pub target: String,
    pub actual: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub weight: Decimal,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub stated: Option<Decimal>,
    /// The printed formula's score, where it applies.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub formula: Option<Decimal>,
    /// The re-checked score.
    #[serde(with = "rust_decimal::serde::str")]
    pub score: Decimal,
    /// How the score was reached.
    pub basis: String,
    pub outcome: TargetOutcome,
}

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

pub(super) fn run(ctx: &mut Ctx) -> (Vec<ProjectRecheck>, Vec<DeptRecheck>) {
    let case = ctx.case;
    let policy = ctx.policy;
    let rechecks: Vec<ProjectRecheck> = case.project_self_evals.iter().map(|e| recheck_project(e, policy)).collect();
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
    summary_against_forms(ctx);
    let depts = case.dept_self_evals.iter().map(|d| recheck_dept(ctx, d)).collect();
    (rechecks, depts)
}

/// The 项目支出绩效自评结果汇总表 against the forms: a 自评得分 or 自评等级
/// that differs from the form's own 总分/等级, a project listed without its
/// form — each a 提示 naming both places.
fn summary_against_forms(ctx: &mut Ctx) {
    use crate::model::{project_key, CellValue, TableKind};
    let case = ctx.case;
    for t in case.tables_of(TableKind::SelfEvalSummary) {
        let b = t.main();
        let (Some(score_c), grade_c) = (b.column(&["得分"]), b.column(&["等级"])) else { continue };
        let file = t.location.first().map(|l| l.file.clone()).unwrap_or_default();
        for row in b.rows.iter().filter(|r| !r.label.trim().is_empty() && r.kind != crate::model::RowKind::Total) {
            let Some(score) = row.value(score_c) else { continue };
            let listed = match &score.value {
                CellValue::Number(d) => *d,
                _ => continue,
            };
            let key = project_key(&row.label);
            let Some(form) = case.project_self_evals.iter().find(|e| project_key(&e.project) == key) else {
                ctx.report(
                    Severity::Note,
                    "recheck.summary_missing",
                    &file,
                    format!(
                        "汇总表列有项目“{}”（自评 {} 分），但案例中没有它的项目支出绩效自评表。",
                        row.label,
                        fmt_number(listed)
                    ),
                    vec![score.at.clone()],
                );
                continue;
            };
            let stated = form.stated_total.as_ref().and_then(|v| v.value.number());
            if let Some(st) = stated.filter(|st| (*st - listed).abs() > Decimal::new(1, 2)) {
                let mut cells = vec![score.at.clone()];
                cells.extend(form.stated_total.as_ref().map(|v| v.at.clone()));
                ctx.report(
                    Severity::Note,
                    "recheck.summary_total",
                    &file,
                    format!(
                        "汇总表中“{}”自评 {} 分，其自评表总分为 {} 分。",
                        row.label,
                        fmt_number(listed),
                        fmt_number(st)
                    ),
                    cells,
                );
            }
            let listed_grade = grade_c.and_then(|c| row.value(c)).and_then(|v| match &v.value {
                CellValue::Text(t) => Grade::parse(t),
                _ => None,
            });
            let form_grade = form.stated_grade.as_deref().and_then(Grade::parse).or(stated.map(Grade::from_score));
            if let (Some(a), Some(b)) = (listed_grade, form_grade) {
                if a != b {
                    ctx.report(
                        Severity::Note,
                        "recheck.summary_grade",
                        &file,
                        format!("汇总表中“{}”自评等级“{a}”，其自评表为“{b}”。", row.label),
                        vec![score.at.clone()],
                    );
                }
            }
        }
    }
}

fn hundred() -> Decimal {
    Decimal::ONE_HUNDRED
}

fn ten() -> Decimal {
    Decimal::TEN
}

fn recheck_project(e: &ProjectSelfEval, policy: Policy) -> ProjectRecheck {
    let mut defects = Vec::new();
    let total_line = e.funds.iter().find(|f| f.label.contains("资金总额")).or(e.funds.first());
    let execution = total_line.and_then(|f| {
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
        let rate = spent / budget;
        let points = round2(rate.min(Decimal::ONE) * weight);
        if let Some(s) = stated {
            if (s - points).abs() > Decimal::new(1, 2) {
                defects.push(Defect {
                    kind: DefectKind::Formula,
                    indicator: Some("预算执行率".into()),
                    text: format!(
                        "预算执行率 {}/{} = {}%，应得 {} 分，自评 {} 分。",
                        fmt_number(spent),
                        fmt_number(budget),
                        fmt_number(rate * hundred()),
                        fmt_number(points),
                        fmt_number(s)
                    ),
                    detail: format!("预算执行率分值计算错误，自评{}分，复核{}分", fmt_number(s), fmt_number(points)),
                    at: f.score.as_ref().map(|v| v.at.clone()),
                });
            }
        }
        Some(ExecutionRecheck { budget, spent, rate: rate.round_dp(4), weight, points, stated })
    });
    let spent_wan = execution.as_ref().map(|x| x.spent);
    let strict = policy == Policy::Strict;
    let indicators: Vec<IndicatorRecheck> =
        e.indicators.iter().map(|i| recheck_indicator(i, spent_wan, strict, &mut defects)).collect();

    let weights: Decimal =
        indicators.iter().map(|i| i.weight).sum::<Decimal>() + execution.as_ref().map(|x| x.weight).unwrap_or_default();
    if weights != hundred() {
        defects.push(Defect {
            kind: DefectKind::Weights,
            indicator: None,
            text: format!(
                "分值合计为 {}（含预算执行率 {}），应为 100。",
                fmt_number(weights),
                fmt_number(execution.as_ref().map(|x| x.weight).unwrap_or_default())
            ),
            detail: format!("分值合计为{}，不为100", fmt_number(weights)),
            at: e.indicators.first().map(|i| i.at.clone()),
        });
    }
    let stated_total = e.stated_total.as_ref().and_then(|v| v.value.number());
    let stated_sum: Decimal = e.indicators.iter().filter_map(|i| i.score).sum::<Decimal>()
        + execution.as_ref().and_then(|x| x.stated).unwrap_or_default();
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
    let total = round2(
        indicators.iter().map(|i| i.score).sum::<Decimal>() + execution.as_ref().map(|x| x.points).unwrap_or_default(),
    );
    let grade = Grade::from_score(total);
    // The same form by the printed rule, when the policy is another: both numbers are shown.
    let form_total = if strict { Some(recheck_project(e, Policy::Form).total).filter(|f| *f != total) } else { None };
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

/// One target of a 项目支出绩效自评表 scored for `weight` points by
/// `policy`: (score, 依据). The form's own 得分, where the formula cannot
/// apply, is taken at the form's scale (得分 / 分值 × weight).
pub fn score_target(
    i: &SelfEvalIndicator,
    weight: Decimal,
    policy: Policy,
    spent_wan: Option<Decimal>,
) -> (Decimal, String, TargetOutcome) {
    let mut scaled = i.clone();
    scaled.score = match (i.score, i.weight) {
        (Some(s), Some(w)) if !w.is_zero() => Some(round2(s / w * weight)),
        (s, _) => s,
    };
    scaled.weight = Some(weight);
    let mut defects = Vec::new();
    let r = recheck_indicator(&scaled, spent_wan, policy == Policy::Strict, &mut defects);
    (r.score, r.basis, r.outcome)
}

/// Two units are the same kind of count (`人` and `人次`) or identical.
fn same_unit(a: &str, b: &str) -> bool {
    a == b || (!a.is_empty() && !b.is_empty() && (a.starts_with(b) || b.starts_with(a)))
}

/// The actual in the target's unit: 元 ↔ 万元, and a unit-less money actual
/// that equals the project's spending in 元 read as 元.
fn convert(actual: Decimal, unit_a: &str, unit_t: &str, spent_wan: Option<Decimal>) -> Decimal {
    let wan = |u: &str| u == "万元" || u == "万";
    let wan_t = wan(unit_t);
    if wan_t && unit_a == "元" {
        return actual / Decimal::from(10_000);
    }
    if unit_t == "元" && wan(unit_a) {
        return actual * Decimal::from(10_000);
    }
    if wan_t && unit_a.is_empty() {
        if let Some(s) = spent_wan {
            if (actual / Decimal::from(10_000) - s).abs() <= Decimal::new(1, 2) {
                return actual / Decimal::from(10_000);
            }
        }
    }
    actual
}

/// Target and actual as (comparison, A, unit of A, B, unit of B) when both are numbers.
fn numeric_pair<'t>(t: &'t Target, b: &'t Target) -> Option<(Comparison, Decimal, &'t str, Decimal, &'t str)> {
    match (&t.kind, &b.kind) {
        (TargetKind::Quantity { op, value: a, unit: ut }, TargetKind::Quantity { value: bv, unit: ub, .. }) => {
            Some((*op, *a, ut, *bv, ub))
        }
        (TargetKind::Duration { value: a, unit: ut }, TargetKind::Duration { value: bv, unit: ub }) => {
            Some((Comparison::Eq, *a, ut, *bv, ub))
        }
        _ => None,
    }
}

fn met(op: Comparison, reverse: bool, a: Decimal, b: Decimal) -> bool {
    match (op, reverse) {
        (Comparison::Gt, _) => b > a,
        (Comparison::Lt, _) => b < a,
        (_, true) => b <= a,
        (_, false) => b >= a,
    }
}

fn recheck_indicator(
    i: &SelfEvalIndicator,
    spent_wan: Option<Decimal>,
    strict: bool,
    defects: &mut Vec<Defect>,
) -> IndicatorRecheck {
    let w = i.weight.unwrap_or_default();
    let stated = i.score;
    // The strict conventions read the 成本/数量 labels; the form's rule does not.
    let cost_label = i.level1.contains("成本");
    let cost = strict && cost_label;
    let quantity = strict && i.level2.contains("数量");
    let mut push = |kind: DefectKind, text: String, detail: String, at: &Provenance| {
        defects.push(Defect { kind, indicator: Some(i.name.clone()), text, detail, at: Some(at.clone()) })
    };
    let (t, b) = (&i.target, &i.actual);
    // Defects that do not change the score by themselves.
    if b.has_sign {
        let plain = b.text.trim_start_matches(|c: char| "≥≤><=＞＜≧≦".contains(c));
        push(
            DefectKind::ActualWithSign,
            format!("“{}”实际完成值“{}”带比较符号，应填写具体数值（如“{}”）。", i.name, b.text, plain),
            format!("“{}”实际完成值“{}”带比较符号，填写不规范", i.name, b.text),
            &i.at,
        );
    }
    if let (TargetKind::Quantity { unit: ut, .. }, TargetKind::Quantity { unit: ub, .. }) = (&t.kind, &b.kind) {
        if ub.is_empty() && !ut.is_empty() {
            push(
                DefectKind::ActualMissingUnit,
                format!("“{}”实际完成值“{}”缺少单位（年度指标值为“{}”）。", i.name, b.text, t.text),
                format!("“{}”实际完成值“{}”缺少单位", i.name, b.text),
                &i.at,
            );
        }
    }
    if !strict && cost_label && !t.is_money() && !matches!(t.kind, TargetKind::Malformed { .. } | TargetKind::Empty) {
        push(
            DefectKind::CostTargetNotMoney,
            format!("成本指标“{}”的年度指标值“{}”不是金额（该指标实为数量指标），按表注公式计分。", i.name, t.text),
            format!("成本指标“{}”年度指标值“{}”不是金额，设置不合理", i.name, t.text),
            &i.at,
        );
    }
    if let TargetKind::Malformed { reason } = &t.kind {
        push(
            DefectKind::MalformedTarget,
            format!("“{}”年度指标值“{}”：{}。", i.name, t.text, reason),
            format!("“{}”年度指标值“{}”表述不清晰", i.name, t.text),
            &i.at,
        );
    }
    let stated_text = stated.map(fmt_number).unwrap_or_else(|| "未填".into());
    use TargetOutcome as O;
    let (formula, score, basis, outcome): (Option<Decimal>, Decimal, String, TargetOutcome) =
        if matches!(b.kind, TargetKind::Empty) {
            push(
                DefectKind::ActualEmpty,
                format!("“{}”实际完成值未填写，自评得分 {}，复核得 0 分。", i.name, stated_text),
                format!("“{}”实际完成值未填写", i.name),
                &i.at,
            );
            (None, Decimal::ZERO, "实际完成值未填写，得0分".into(), O::ActualEmpty)
        } else if cost && !t.is_money() && !matches!(t.kind, TargetKind::Malformed { .. } | TargetKind::Empty) {
            push(
                DefectKind::CostTargetNotMoney,
                format!(
                    "成本指标“{}”的年度指标值“{}”不是金额（该指标实为数量指标），自评得分 {}，复核得 0 分。",
                    i.name, t.text, stated_text
                ),
                format!("成本指标“{}”年度指标值“{}”不是金额，设置不合理", i.name, t.text),
                &i.at,
            );
            (None, Decimal::ZERO, format!("成本指标年度指标值“{}”不是金额，得0分", t.text), O::CostNotMoney)
        } else {
            let pair = numeric_pair(t, b).filter(|(_, _, ut, _, ub)| {
                same_unit(ut, ub)
                    || ub.is_empty()
                    || ut.is_empty()
                    || convert(Decimal::ONE, ub, ut, None) != Decimal::ONE
            });
            match (&t.kind, &b.kind) {
                _ if pair.is_some() => {
                    let (op, a, ut, bv, ub) = pair.unwrap_or((Comparison::Eq, Decimal::ZERO, "", Decimal::ZERO, ""));
                    let (a, bv) = (&a, convert(bv, ub, ut, spent_wan));
                    let reverse = matches!(op, Comparison::Le | Comparison::Lt) || (cost && op == Comparison::Eq);
                    let ratio = if reverse {
                        if bv.is_zero() {
                            Decimal::ONE
                        } else {
                            *a / bv
                        }
                    } else if a.is_zero() {
                        Decimal::ONE
                    } else {
                        bv / *a
                    };
                    let formula = round2((ratio * w).min(w));
                    let ok = met(op, reverse, *a, bv);
                    let direction = if reverse { "反向指标 A/B" } else { "正向指标 B/A" };
                    let shown = |d: Decimal| fmt_number(d);
                    let (num, den) = if reverse { (shown(*a), shown(bv)) } else { (shown(bv), shown(*a)) };
                    let formula_text = format!("{direction} {num}/{den}×{} = {}", shown(w), shown(formula));
                    if ok {
                        (Some(formula), formula, format!("{formula_text}，封顶{}分", shown(w)), O::Met)
                    } else {
                        if stated == Some(w) && w > Decimal::ZERO {
                            push(
                                DefectKind::UnmetFullMarks,
                                format!(
                                    "“{}”年度指标值“{}”，实际完成“{}”，未完成年度指标却得满分 {}。",
                                    i.name,
                                    t.text,
                                    b.text,
                                    shown(w)
                                ),
                                format!(
                                    "“{}”年度指标值“{}”，实际完成值“{}”，未完成年度指标但未按规定扣分",
                                    i.name, t.text, b.text
                                ),
                                &i.at,
                            );
                        }
                        if quantity {
                            (
                                Some(formula),
                                Decimal::ZERO,
                                format!("{formula_text}；数量指标未完成年度指标值，不得分"),
                                O::UnmetQuantity,
                            )
                        } else {
                            (Some(formula), formula, format!("{formula_text}；未完成，按比例得分"), O::Unmet)
                        }
                    }
                }
                (TargetKind::Deadline { month: tm, day: td, .. }, TargetKind::Deadline { month: bm, day: bd, .. }) => {
                    let ok = (*bm, bd.unwrap_or(31)) <= (*tm, td.unwrap_or(31));
                    let s = if ok { w } else { Decimal::ZERO };
                    if ok {
                        (Some(s), s, "按期完成，得满分".into(), O::OnTime)
                    } else {
                        (Some(s), s, "未按期完成，不得分".into(), O::Late)
                    }
                }
                (TargetKind::Qualitative, _) if qualitative_met(t, b) => {
                    (Some(w), w, "定性指标已达成，得满分".into(), O::Qualitative)
                }
                _ => {
                    let s = stated.unwrap_or_default().min(w);
                    (None, s, "无法按公式复算，沿用自评得分".into(), O::Stated)
                }
            }
        };
    if let (Some(f), Some(s)) = (formula, stated) {
        if (f - s).abs() > Decimal::new(1, 2) {
            push(
                DefectKind::Formula,
                format!("“{}”自评 {} 分，复算：{}。", i.name, fmt_number(s), basis),
                format!("“{}”分值计算错误（自评{}分，复核{}分）", i.name, fmt_number(s), fmt_number(score)),
                &i.score_at,
            );
        }
    }
    IndicatorRecheck {
        level1: i.level1.clone(),
        level2: i.level2.clone(),
        name: i.name.clone(),
        target: t.text.clone(),
        actual: b.text.clone(),
        weight: w,
        stated,
        formula,
        score,
        basis,
        outcome,
    }
}

fn qualitative_met(t: &Target, b: &Target) -> bool {
    let bt = b.text.as_str();
    !bt.contains('未')
        && !bt.contains("部分")
        && (bt == t.text
            || ["完成", "达到", "实现", "是", "良好", "健全", "明显", "有效", "长期", "提高", "促进"]
                .iter()
                .any(|w| bt.contains(w)))
}

fn recheck_dept(ctx: &mut Ctx, d: &DeptSelfEval) -> DeptRecheck {
    let wb = d.location.file.clone();
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
                &wb,
                format!("部门整体支出绩效自评表“{}”自评得分 {} 超过分值 {}。", i.name, fmt_number(s), fmt_number(w)),
                i.score.iter().map(|v| v.at.clone()).collect(),
            );
        }
    }
    // Σ 三级 = the bracketed 二级 and 一级 weights.
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
                    &wb,
                    "部门整体支出绩效自评表",
                    super::Term::new(format!("“{name}”标注分值"), *s, Some(at.clone())),
                    vec![super::Term::new("其下三级指标分值之和", *sum, None)],
                );
            }
        }
    }
    if total_weight != hundred() {
        ctx.report(
            Severity::Error,
            "recheck.dept_weights",
            &wb,
            format!("部门整体支出绩效自评表三级指标分值合计为 {}，应为 100。", fmt_number(total_weight)),
            Vec::new(),
        );
    }
    if let Some(v) = &d.total_weight {
        ctx.sum(
            "recheck.dept_total",
            &wb,
            "部门整体支出绩效自评表",
            super::Term::new("合计分值", v.value.amount_or_zero(), Some(v.at.clone())),
            vec![super::Term::new("各三级指标分值之和", total_weight, None)],
        );
    }
    if let Some(v) = &d.total_score {
        ctx.sum(
            "recheck.dept_total",
            &wb,
            "部门整体支出绩效自评表",
            super::Term::new("合计自评得分", v.value.amount_or_zero(), Some(v.at.clone())),
            vec![super::Term::new("各三级指标自评得分之和", total_score, None)],
        );
    }
    let rate = match (&d.budget, &d.spent) {
        (Some(b), Some(s)) => {
            let (b, s) = (b.value.amount_or_zero(), s.value.amount_or_zero());
            (!b.is_zero()).then(|| (s / b).round_dp(4))
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
                &wb,
                format!(
                    "部门整体支出绩效自评表预算执行率填写 {}%，执行数/预算数 = {}%。",
                    fmt_number(sv * hundred()),
                    fmt_number(r * hundred())
                ),
                vec![stated.at.clone()],
            );
        }
    }
    DeptRecheck {
        department: d.department.clone(),
        workbook: wb,
        total_weight,
        total_score,
        execution_rate: rate,
        grade: Grade::from_score(total_score),
    }
}
