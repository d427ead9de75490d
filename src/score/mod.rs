//! Stage 3 — `score`: the department against an indicator system held as
//! data. Every 三级 score carries its 得失分依据 (the rule's sentence with the
//! numbers put in, then each finding with its deduction) and, below its
//! weight, its 问题清单 row. Scores are rounded half-up to 2 decimals.
//!
//! ```no_run
//! let case = jixiao::ingest::ingest_path(std::path::Path::new("sample-workbooks/zaozhuang-shizhong-2024"));
//! let checks = jixiao::check::check(&case);
//! let scored = jixiao::score::score(&case, &checks).expect("a valid working paper");
//! assert_eq!(scored.total.unwrap().to_string(), "82.03");
//! ```

pub mod fact;
pub mod metrics;
pub mod rules;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::check::CheckReport;
use crate::model::figures;
use crate::model::value::{fmt_number, round2};
use crate::model::working_paper::Finding;
use crate::model::{Case, Grade, WorkingPaper};

use crate::system::needs;
pub use crate::system::{shipped_systems, Family, Indicator, ParamError, Params, ScoreError, ScoreErrorKind, System};

pub use fact::Fact;
use metrics::Inputs;
use rules::{project_key, Rechecked, RuleContext, Sampled};

/// One scored 三级 indicator.
#[derive(Debug, Clone, Serialize)]
pub struct ScoredIndicator {
    pub number: usize,
    pub level1: String,
    pub level2: String,
    pub name: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub weight: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub score: Decimal,
    /// 得失分依据.
    pub basis: String,
    /// The 依据 sentence by sentence, with what the narrative needs to word
    /// them as an evaluator would (`assemble` renders each with the
    /// findings template): one per rule, then the working paper's findings.
    pub sentences: Vec<Sentence>,
    /// The rule families applied.
    pub rules: Vec<String>,
    /// Scored by hand (family `manual`).
    pub manual: bool,
    /// The inputs it lacks (`事实“6月底支出”`, `2023年 公开09表`): not
    /// scored — its score is unknown, never a stand-in — until they are given.
    pub pending: Vec<String>,
    /// Why a rule could not score it (`全年预算数为 0，无法计算预算执行率。`):
    /// 未评分, the others are scored all the same.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed: Option<String>,
}

impl ScoredIndicator {
    /// The indicator, not scored yet.
    fn of(ind: &Indicator) -> ScoredIndicator {
        ScoredIndicator {
            number: ind.number,
            level1: ind.level1.clone(),
            level2: ind.level2.clone(),
            name: ind.name.clone(),
            weight: ind.weight,
            score: Decimal::ZERO,
            basis: String::new(),
            sentences: Vec::new(),
            rules: ind.rules.iter().map(|r| r.family.name().to_string()).collect(),
            manual: false,
            pending: Vec::new(),
            failed: None,
        }
    }

    /// Scored (not waiting for inputs, no rule failed).
    pub fn is_scored(&self) -> bool {
        self.pending.is_empty() && self.failed.is_none()
    }
}

/// A 一级 subtotal.
#[derive(Debug, Clone, Serialize)]
pub struct Level1Score {
    pub name: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub weight: Decimal,
    /// None while one of its indicators is pending.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub score: Option<Decimal>,
    /// 得分率 in %, 2 decimals.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub rate: Option<Decimal>,
}

/// One sentence of an indicator's 依据.
#[derive(Debug, Clone, Serialize)]
pub struct Sentence {
    /// As the 依据 has it.
    pub basis: String,
    /// A rule's fact (`rules::Outcome::fact`); none for a finding of the
    /// working paper or the full-marks note. `score --json` records it as
    /// [`fact::record`] does.
    #[serde(serialize_with = "fact::record")]
    pub fact: Option<Fact>,
    /// A finding of the working paper: its text as recorded and the points
    /// it took (0: a remark that took none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finding: Option<(String, Decimal)>,
}

impl Sentence {
    fn text(basis: String) -> Sentence {
        Sentence { basis, fact: None, finding: None }
    }
}

/// A 二级 subtotal.
#[derive(Debug, Clone, Serialize)]
pub struct Level2Score {
    pub level1: String,
    pub name: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub weight: Decimal,
    /// None while one of its indicators is pending.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub score: Option<Decimal>,
}

/// A row of 附件3 问题清单.
#[derive(Debug, Clone, Serialize)]
pub struct ProblemRow {
    /// 问题分类 (the 一级's short label).
    pub category: String,
    /// 序号 within the list.
    pub number: usize,
    /// 项目责任单位.
    pub unit: String,
    /// The indicator it comes from.
    pub indicator: String,
}

/// Sampling coverage of the projects re-evaluated.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Coverage {
    pub purpose: String,
    pub sampled: usize,
    pub projects: usize,
    #[serde(with = "rust_decimal::serde::str")]
    pub sampled_money: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub total_money: Decimal,
    /// % of projects and of money, 2 decimals.
    #[serde(with = "rust_decimal::serde::str")]
    pub project_rate: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub money_rate: Decimal,
    /// Meets ≥ 30 % of projects and ≥ 60 % of money.
    pub sufficient: bool,
}

/// The scored case.
#[derive(Debug, Clone, Serialize)]
pub struct Scored {
    pub system: System,
    pub year: Option<i32>,
    pub indicators: Vec<ScoredIndicator>,
    pub level2: Vec<Level2Score>,
    pub level1: Vec<Level1Score>,
    /// 总分; None while an indicator is pending (a draft).
    #[serde(with = "rust_decimal::serde::str_option")]
    pub total: Option<Decimal>,
    pub grade: Option<Grade>,
    pub problems: Vec<ProblemRow>,
    pub coverage: Vec<Coverage>,
    /// Things to look at that do not stop scoring.
    pub warnings: Vec<String>,
    /// The 问卷 as scored (empty without one): printed as an annex.
    pub survey: Vec<metrics::SurveyQuestion>,
}

/// What an indicator reads from this case: its rules' needs in order,
/// stopping after a `gate` that holds (its sub-items are then not needed).
/// A gate whose own inputs are missing cannot be decided: everything after
/// it counts.
pub fn needs_in_effect(case: &Case, system: &System, ind: &Indicator) -> Vec<needs::Need> {
    let check = CheckReport::default();
    let inputs = Inputs::new(case, &check, &system.metrics).with_survey(system.survey.as_ref());
    let context = RuleContext { sampled: Vec::new(), rechecked: Vec::new(), policy: Default::default() };
    let mut out: Vec<needs::Need> = Vec::new();
    for rule in &ind.rules {
        let add = needs::rule_needs(rule, &ind.name, &system.metrics);
        let known = add.iter().all(|n| crate::missing::lacking(case, n).is_none());
        for n in add {
            if !out.iter().any(|o| o.same_input(&n)) {
                out.push(n);
            }
        }
        if rule.family == Family::Gate && known {
            let w = rule.weight.unwrap_or(ind.weight);
            if rules::evaluate(rule, w, &inputs, &context).is_ok_and(|o| o.stop) {
                break;
            }
        }
    }
    out
}

/// Every input the system reads from this case, gates decided, each once.
pub fn needs_of(case: &Case, system: &System) -> Vec<needs::Need> {
    let mut in_effect: Vec<needs::Need> = Vec::new();
    for ind in &system.indicators {
        for n in needs_in_effect(case, system, ind) {
            if !in_effect.iter().any(|o| o.same_input(&n)) {
                in_effect.push(n);
            }
        }
    }
    in_effect
}

/// What the case lacks for the templates declaring `texts` and for the
/// system its `setup` names ([`crate::missing::missing_with`]).
pub fn missing(
    case: &Case,
    setup: &crate::setup::Setup,
    texts: &[crate::templates::TextNeed],
) -> crate::missing::Missing {
    let in_effect = setup.system.as_ref().map(|s| needs_of(case, s)).unwrap_or_default();
    crate::missing::missing_with(case, texts, &in_effect)
}

/// Score the case, its setup resolved with the default options (a
/// convenience for one-off use; the pipeline calls [`score_with`]).
pub fn score(case: &Case, check: &CheckReport) -> Result<Scored, Vec<ScoreError>> {
    score_with(case, check, &crate::setup::Setup::of(case))
}

/// Score the case against the system its `setup` names. Every problem in
/// the working paper or the system is an error naming its place; nothing
/// is silently scored zero.
pub fn score_with(case: &Case, check: &CheckReport, setup: &crate::setup::Setup) -> Result<Scored, Vec<ScoreError>> {
    let system = setup.system.clone()?;
    let mut errors = system.validate();
    let paper = case.working_paper.as_ref();
    let year = case.evaluation_year();
    let inputs = Inputs::new(case, check, &system.metrics).with_survey(system.survey.as_ref());
    let findings = paper.map(|p| p.findings.as_slice()).unwrap_or_default();
    errors.extend(finding_errors(&system, findings));
    let context = rule_context(setup, paper, check);
    let indicators: Vec<ScoredIndicator> = system
        .indicators
        .iter()
        .map(|ind| score_indicator(case, &system, ind, findings, &inputs, &context, &mut errors))
        .collect();
    if !errors.is_empty() {
        return Err(once_each(errors));
    }
    let (total, level1, level2) = subtotals(&system, &indicators);
    let problems = problem_rows(&system, paper, &indicators);
    let survey = inputs.survey_questions().unwrap_or_default();
    let (coverage, mut warnings) = coverage(case, paper, year);
    warnings.extend(inputs.notes.take());
    warnings.extend(recheck_warnings(check, &context));
    Ok(Scored {
        grade: total.map(Grade::from_score),
        system,
        year,
        indicators,
        level2,
        level1,
        total,
        problems,
        coverage,
        warnings,
        survey,
    })
}

/// `file › sheet › 第N行` of a finding of the working paper.
fn finding_place(f: &Finding) -> crate::model::Place {
    crate::model::Place::row_of(&f.at)
}

/// The working paper's findings that name no indicator of the system, or
/// take more than its weight, or less than nothing.
fn finding_errors(system: &System, findings: &[Finding]) -> Vec<ScoreError> {
    let mut errors = Vec::new();
    for f in findings {
        let place = finding_place(f);
        match system.indicator(&f.indicator) {
            None => errors.push(ScoreError::new(
                &place,
                ScoreErrorKind::UnknownIndicator { indicator: f.indicator.clone(), system: system.name.clone() },
            )),
            Some(ind) if f.deduction > ind.weight => errors.push(ScoreError::new(
                &place,
                ScoreErrorKind::DeductionOverWeight {
                    deduction: f.deduction,
                    indicator: ind.name.clone(),
                    weight: ind.weight,
                },
            )),
            Some(_) if f.deduction < Decimal::ZERO => {
                errors.push(ScoreError::new(&place, ScoreErrorKind::NegativeDeduction { deduction: f.deduction }))
            }
            _ => {}
        }
    }
    errors
}

/// What the grade rules read: the sampled projects of the working paper,
/// the check stage's re-checks, the setup's re-check policy.
fn rule_context(setup: &crate::setup::Setup, paper: Option<&WorkingPaper>, check: &CheckReport) -> RuleContext {
    let sampled = paper
        .map(|p| {
            p.sampled
                .iter()
                .map(|s| Sampled {
                    name: s.name.clone(),
                    purpose: s.purpose.clone(),
                    self_grade: s.self_grade.clone(),
                    recheck_grade: s.recheck_grade.clone(),
                    grade: s.grade.clone(),
                    reason: s.reason.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let rechecked = check
        .rechecks
        .iter()
        .map(|r| Rechecked {
            key: project_key(&r.project),
            stated: r.stated_grade,
            grade: r.grade,
            reasons: r.reasons().join("；"),
        })
        .collect();
    RuleContext { policy: setup.recheck_policy, sampled, rechecked }
}

/// One problem, one error: two rules of an indicator missing the same
/// input say it once.
fn once_each(errors: Vec<ScoreError>) -> Vec<ScoreError> {
    let mut out: Vec<ScoreError> = Vec::new();
    for e in errors {
        if !out.contains(&e) {
            out.push(e);
        }
    }
    out
}

/// One 三级 indicator: pending while its inputs are missing; else its
/// rules, then the working paper's findings against it.
fn score_indicator(
    case: &Case,
    system: &System,
    ind: &Indicator,
    findings: &[Finding],
    inputs: &Inputs,
    context: &RuleContext,
    errors: &mut Vec<ScoreError>,
) -> ScoredIndicator {
    let pending: Vec<String> = needs_in_effect(case, system, ind)
        .iter()
        .filter_map(|n| crate::missing::lacking(case, n))
        .map(|(_, item)| item.what)
        .collect();
    if !pending.is_empty() {
        return ScoredIndicator { pending, ..ScoredIndicator::of(ind) };
    }
    let ruled = apply_rules(ind, inputs, context);
    let mut basis = ruled.sentences;
    let items = sub_items(ind, errors);
    let lost = apply_findings(ind, findings, &items, &mut basis, errors);
    let score = round2((ruled.score - lost).max(Decimal::ZERO).min(ind.weight));
    if basis.is_empty() {
        basis.push(Sentence::text(if score == ind.weight {
            format!("未发现问题，得满分{}分。", fmt_number(ind.weight))
        } else {
            String::new()
        }));
    }
    ScoredIndicator {
        score,
        basis: basis.iter().map(|s| s.basis.as_str()).collect(),
        sentences: basis,
        manual: ruled.manual,
        failed: (!ruled.failed.is_empty()).then(|| ruled.failed.join("；")),
        ..ScoredIndicator::of(ind)
    }
}

/// What an indicator's rules gave, before findings.
struct Ruled {
    score: Decimal,
    sentences: Vec<Sentence>,
    manual: bool,
    /// Why rules could not score it (`规则 ratio：…`).
    failed: Vec<String>,
}

/// The indicator's rules in order, stopping after a gate that holds.
fn apply_rules(ind: &Indicator, inputs: &Inputs, context: &RuleContext) -> Ruled {
    let mut ruled = Ruled { score: Decimal::ZERO, sentences: Vec::new(), manual: false, failed: Vec::new() };
    for rule in &ind.rules {
        let w = rule.weight.unwrap_or(ind.weight);
        match rules::evaluate(rule, w, inputs, context) {
            Ok(o) => {
                ruled.score += o.score;
                ruled.manual |= o.manual;
                if !o.basis.is_empty() {
                    ruled.sentences.push(Sentence { basis: o.basis, fact: o.fact, finding: None });
                }
                if o.stop {
                    break; // a gate held: the sub-items are not applied
                }
            }
            // One failing rule leaves its indicator 未评分, never the whole score.
            Err(e) => ruled.failed.push(format!("规则 {}：{e}", rule.family)),
        }
    }
    ruled
}

/// Sub-items (`items = "①:1, ②:1"` on a findings rule): what their
/// findings can take, each.
fn sub_items(ind: &Indicator, errors: &mut Vec<ScoreError>) -> Vec<(String, Decimal)> {
    match ind.rules.iter().find(|r| r.family == Family::Findings && r.params.has("items")) {
        Some(r) => r.params.pairs("items").unwrap_or_else(|e| {
            errors.push(ScoreError::new(
                &ind.place,
                ScoreErrorKind::InvalidItems { indicator: ind.name.clone(), error: e },
            ));
            Vec::new()
        }),
        None => Vec::new(),
    }
}

/// The working paper's findings against `ind`, each a sentence of its
/// 依据 with the points it took (capped by its sub-item's `items`): the
/// points lost.
fn apply_findings(
    ind: &Indicator,
    findings: &[Finding],
    items: &[(String, Decimal)],
    basis: &mut Vec<Sentence>,
    errors: &mut Vec<ScoreError>,
) -> Decimal {
    let mut lost = Decimal::ZERO;
    let mut taken: Vec<(String, Decimal)> = Vec::new();
    let taken_of = |taken: &[(String, Decimal)], item: &str| -> Decimal {
        taken.iter().filter(|(k, _)| k == item).map(|(_, v)| *v).sum()
    };
    for f in findings.iter().filter(|f| f.indicator == ind.name) {
        if f.deduction.is_zero() {
            basis.push(Sentence {
                finding: Some((f.text.clone(), Decimal::ZERO)),
                ..Sentence::text(end_sentence(&f.text))
            });
            continue;
        }
        let item = f.item.trim();
        let mut d = f.deduction;
        if let Some((_, cap)) = items.iter().find(|(k, _)| k == item) {
            d = d.min((*cap - taken_of(&taken, item)).max(Decimal::ZERO));
            taken.push((item.to_string(), d));
        } else if !items.is_empty() && !item.is_empty() {
            errors.push(ScoreError::new(
                finding_place(f),
                ScoreErrorKind::UnknownItem {
                    item: f.item.clone(),
                    indicator: ind.name.clone(),
                    items: items.iter().map(|(k, _)| k.clone()).collect(),
                },
            ));
        }
        lost += d;
        let text = if d < f.deduction {
            format!(
                "{}扣{}分（该子项最多扣{}分）。",
                end_clause(&f.text),
                fmt_number(d),
                fmt_number(taken_of(&taken, item))
            )
        } else {
            format!("{}扣{}分。", end_clause(&f.text), fmt_number(d))
        };
        basis.push(Sentence { finding: Some((f.text.clone(), d)), ..Sentence::text(text) });
    }
    lost
}

/// The sum of scored indicators; unknown while one is pending (never the
/// sum of the rest).
fn sum_of(of: &[&ScoredIndicator]) -> Option<Decimal> {
    of.iter().all(|i| i.is_scored()).then(|| round2(of.iter().map(|i| i.score).sum()))
}

/// 总分 and the 一级 and 二级 subtotals.
fn subtotals(system: &System, indicators: &[ScoredIndicator]) -> (Option<Decimal>, Vec<Level1Score>, Vec<Level2Score>) {
    let total = sum_of(&indicators.iter().collect::<Vec<_>>());
    let level1: Vec<Level1Score> = system
        .level1_names()
        .into_iter()
        .map(|name| {
            let of: Vec<&ScoredIndicator> = indicators.iter().filter(|i| i.level1 == name).collect();
            let weight: Decimal = of.iter().map(|i| i.weight).sum();
            let score = sum_of(&of);
            let rate = score.map(|s| figures::share_rate(s, weight).unwrap_or(Decimal::ZERO));
            Level1Score { name, weight, score, rate }
        })
        .collect();
    let mut level2: Vec<Level2Score> = Vec::new();
    for i in indicators {
        if !level2.iter().any(|l| l.level1 == i.level1 && l.name == i.level2) {
            let of: Vec<&ScoredIndicator> =
                indicators.iter().filter(|o| o.level1 == i.level1 && o.level2 == i.level2).collect();
            level2.push(Level2Score {
                level1: i.level1.clone(),
                name: i.level2.clone(),
                weight: of.iter().map(|o| o.weight).sum(),
                score: sum_of(&of),
            });
        }
    }
    (total, level1, level2)
}

/// 附件3 问题清单: a row per scored indicator that lost points (its 问题描述
/// is worded once, by assemble, from the facts that lost them).
fn problem_rows(system: &System, paper: Option<&WorkingPaper>, indicators: &[ScoredIndicator]) -> Vec<ProblemRow> {
    let unit = paper.and_then(|p| p.info("项目责任单位").or(p.info("评价对象"))).unwrap_or_default().to_string();
    let mut problems = Vec::new();
    for i in indicators.iter().filter(|i| i.is_scored() && i.score < i.weight) {
        let short = system
            .level1
            .iter()
            .find(|l| l.name == i.level1)
            .map(|l| l.short.clone())
            .unwrap_or_else(|| i.level1.clone());
        problems.push(ProblemRow {
            category: short,
            number: problems.len() + 1,
            unit: unit.clone(),
            indicator: i.name.clone(),
        });
    }
    problems
}

/// A sampled project whose 复评等级 on the working paper differs from its
/// 自评表's re-check: scoring took the re-check.
fn recheck_warnings(check: &CheckReport, context: &RuleContext) -> Vec<String> {
    let mut warnings = Vec::new();
    for r in &check.rechecks {
        let key = project_key(&r.project);
        if let Some(s) = context.sampled.iter().find(|s| project_key(&s.name) == key && s.purpose == "复评") {
            if let Some(g) = Grade::parse(&s.recheck_grade) {
                if g != r.grade {
                    warnings.push(format!(
                        "抽查项目“{}”：评价底稿填写复评等级“{}”，自评表复核结果为“{}”（{} 分），评分采用复核结果。",
                        s.name,
                        s.recheck_grade,
                        r.grade,
                        fmt_number(r.total)
                    ));
                }
            }
        }
    }
    warnings
}

fn end_clause(text: &str) -> String {
    let t = text.trim().trim_end_matches(['。', '；', ';', '，', ',']);
    if t.is_empty() {
        String::new()
    } else {
        format!("{t}，")
    }
}

use crate::model::value::end_sentence;

/// Coverage of the sampled projects against the budget's 表十一.
fn coverage(
    case: &Case,
    paper: Option<&crate::model::WorkingPaper>,
    year: Option<i32>,
) -> (Vec<Coverage>, Vec<String>) {
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    let Some(paper) = paper else { return (out, warnings) };
    let Some((_, rows)) = crate::model::figures::budget_projects(case, year) else {
        return (out, warnings);
    };
    let total_money: Decimal = rows.iter().map(|r| r.amount).sum();
    for purpose in ["复评", "实际绩效"] {
        let sampled: Vec<_> = paper.sampled.iter().filter(|s| s.purpose == purpose).collect();
        if sampled.is_empty() || rows.is_empty() {
            continue;
        }
        let money: Decimal = sampled
            .iter()
            .map(|s| {
                rows.iter()
                    .find(|r| project_key(&r.row.label) == project_key(&s.name))
                    .map(|r| r.amount)
                    .or(s.budget)
                    .unwrap_or_default()
            })
            .sum();
        let count = |n: usize| Decimal::from(n as u64);
        let project_rate = figures::share_rate(count(sampled.len()), count(rows.len())).unwrap_or(Decimal::ZERO);
        let money_rate = figures::share_rate(money, total_money).unwrap_or(Decimal::ZERO);
        let sufficient = project_rate >= Decimal::from(30) && money_rate >= Decimal::from(60);
        if !sufficient {
            warnings.push(format!(
                "{purpose}抽查了 {} 个项目（共 {} 个，{}%），资金 {} 万元（占 {}%）：未达到项目数不低于30%、资金量不低于60%的要求。",
                sampled.len(),
                rows.len(),
                fmt_number(project_rate),
                crate::model::value::fmt_amount(money),
                fmt_number(money_rate)
            ));
        }
        out.push(Coverage {
            purpose: purpose.into(),
            sampled: sampled.len(),
            projects: rows.len(),
            sampled_money: money,
            total_money,
            project_rate,
            money_rate,
            sufficient,
        });
    }
    (out, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_systems_parse_and_validate() {
        assert_eq!(shipped_systems().len(), crate::system::SHIPPED.len(), "every shipped file parses");
        for (file, text) in crate::system::SHIPPED {
            let s = System::from_toml(text, file).unwrap_or_else(|e| panic!("{file}: {e:?}")).expanded(None);
            let errors = s.validate();
            assert!(errors.is_empty(), "{file}: {errors:#?}");
        }
        let z = System::from_toml(crate::system::SHIPPED[0].1, crate::system::SHIPPED[0].0).unwrap();
        assert_eq!(z.indicators.len(), 27);
        assert_eq!(z.level2.len(), 13);
        let h = System::from_toml(crate::system::SHIPPED[1].1, crate::system::SHIPPED[1].0).unwrap();
        assert_eq!(h.indicators.len(), 29);
    }
}
