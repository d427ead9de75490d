//! The rule families. Each reads its parameters, computes its share of the
//! indicator's weight and writes the sentence of its 得失分依据.

use rust_decimal::Decimal;

use crate::model::figures;
use crate::model::value::{fmt_input, fmt_number, round2};

mod context;
mod wording;
pub use context::{project_key, Rechecked, RuleContext, Sampled};
use wording::{band_words, condition_words, unit_after};

use super::fact::{Checkpoint, Common, Cond, Fact, FailingUnit, GapProject, GradedProject, MetricFact};
use super::metrics::{Inputs, Metric, MetricError};
use super::{Family, ParamError, Params};
pub use crate::system::condition::{between, condition_holds, ConditionError};
use crate::system::RuleSpec;

/// Why a rule cannot be scored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error(transparent)]
    Param(#[from] ParamError),
    #[error(transparent)]
    Metric(#[from] MetricError),
    /// A divisor or step of the system's rule that is 0 or below (the
    /// system's check refuses it first; kept so that no rule divides by 0).
    #[error("参数“{key}”为 {}，应大于 0（它是除数或步长）。", n(*.value))]
    NotPositive { key: String, value: Decimal },
    #[error(transparent)]
    Condition(#[from] ConditionError),
    /// `shown` is the metric as the 依据 shows it (`预算执行率为98%`).
    #[error("{shown}不在任何分档内：请在 bands 中加上“else:0”。")]
    NoBand { shown: String },
    #[error("手工得分 {} 超过分值 {}。", n(*.score), n(*.weight))]
    ManualOverWeight { score: Decimal, weight: Decimal },
    #[error("事实“{fact}”为“{word}”，不在对照表 {map} 中。")]
    NotInMap { fact: String, word: String, map: String },
    #[error("项目“{project}”的自评表中没有指标“{name}”。")]
    NoTarget { name: String, project: String },
    #[error("评价底稿“抽查项目”表中没有用途为“{purpose}”的项目。")]
    NoSampledProjects { purpose: String },
    #[error("抽查项目“{name}”的评价等级“{grade}”无法识别（应为优、良、中、差）。")]
    UnknownGrade { name: String, grade: String },
    #[error("抽查项目“{name}”缺少可识别的自评等级（没有它的项目支出绩效自评表，也没有在评价底稿中填写）。")]
    MissingSelfGrade { name: String },
    #[error("抽查项目“{name}”缺少可识别的复评等级。")]
    MissingRecheckGrade { name: String },
}

/// What a rule gives.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Points earned (of the rule's share), before findings.
    pub score: Decimal,
    /// The sentence of the 得失分依据.
    pub basis: String,
    /// What the rule found, typed by family, for the findings template
    /// (`templates/report/findings.j2`, one macro per family). None: nothing
    /// to say (family `findings`).
    pub fact: Option<Fact>,
    /// The evaluator's own score (family `manual`).
    pub manual: bool,
    /// A gate held: the indicator's later rules are not applied.
    pub stop: bool,
}

fn n(d: Decimal) -> String {
    fmt_number(d)
}

fn shown(label: &str, m: &Metric) -> String {
    if let Some(instead) = &m.instead {
        // No equation (a divisor of 0): the figures said, and the value taken.
        instead.clone()
    } else if let Some(source) = m.formula.strip_prefix("据") {
        // A table metric given as a 事实: say so.
        format!("{label}为{}{}（据{source}）", n(m.value), unit_after(&m.unit))
    } else if m.formula.is_empty() {
        format!("{label}为{}{}", n(m.value), unit_after(&m.unit))
    } else {
        format!("{label}={}={}{}", m.formula, n(m.value), m.unit)
    }
}

fn deduction_text(w: Decimal, score: Decimal) -> String {
    let lost = w - score;
    if lost.is_zero() {
        format!("得{}分", n(score))
    } else {
        format!("扣{}分", n(lost))
    }
}

/// A number parameter that must be above 0 (a divisor or a step).
fn positive(p: &Params, key: &str, default: Decimal) -> Result<Decimal, RuleError> {
    let value = p.number_or(key, default)?;
    if value <= Decimal::ZERO {
        return Err(RuleError::NotPositive { key: key.to_string(), value });
    }
    Ok(value)
}

/// Run a rule for its share `w` of the indicator's weight.
pub fn evaluate(rule: &RuleSpec, w: Decimal, inputs: &Inputs, context: &RuleContext) -> Result<Outcome, RuleError> {
    let mut outcome = evaluate_rule(rule, w, inputs, context)?;
    // `basis = "…{value}…"` words the 依据, `finding = "…"` the narrative's sentence.
    for key in ["basis", "finding"] {
        let Some(template) = rule.params.get(key).filter(|_| rule.family != Family::Manual) else { continue };
        let metric = rule.params.get("metric").map(|name| inputs.metric(name)).transpose()?;
        let label = rule.label.clone().or_else(|| rule.params.get("metric").map(String::from)).unwrap_or_default();
        let text = template
            .replace("{value}", &metric.as_ref().map(|m| n(m.value)).unwrap_or_default())
            .replace("{formula}", &metric.as_ref().map(|m| m.formula.clone()).unwrap_or_default())
            .replace("{score}", &n(outcome.score))
            .replace("{weight}", &n(w))
            .replace("{deduction}", &n(w - outcome.score))
            .replace("{label}", &label);
        if key == "basis" {
            outcome.basis = text;
        } else if let Some(fact) = &mut outcome.fact {
            fact.common_mut().text = Some(text);
        }
    }
    Ok(outcome)
}

/// What a family's function reads.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    rule: &'a RuleSpec,
    /// The rule's share of the indicator's weight.
    w: Decimal,
    inputs: &'a Inputs<'a>,
    context: &'a RuleContext,
}

impl<'a> Ctx<'a> {
    /// The parameters, the metric's name and the label the 依据 uses.
    fn names(&self) -> (&'a Params, &'a str, String) {
        let p = &self.rule.params;
        let metric = p.get("metric").unwrap_or_default();
        (p, metric, self.rule.label.clone().unwrap_or_else(|| metric.to_string()))
    }

    /// The outcome: the score kept within the share; `fact` the family's
    /// fact, given the fields every family has.
    fn done(&self, score: Decimal, basis: String, fact: impl FnOnce(Common) -> Fact) -> Result<Outcome, RuleError> {
        let score = score.max(Decimal::ZERO).min(self.w);
        Ok(Outcome { score, basis, fact: Some(fact(self.common(score))), manual: false, stop: false })
    }

    /// The fields every family has: label, weight, score, lost, full.
    fn common(&self, score: Decimal) -> Common {
        Common::new(self.names().2, self.w, score)
    }
}

fn evaluate_rule(rule: &RuleSpec, w: Decimal, inputs: &Inputs, context: &RuleContext) -> Result<Outcome, RuleError> {
    let c = Ctx { rule, w, inputs, context };
    match rule.family {
        Family::Ratio => ratio(&c),
        Family::Bands => bands(&c),
        Family::Window => window(&c),
        Family::Step => step(&c),
        Family::Checkpoints => checkpoints(&c),
        Family::Findings => findings(&c),
        Family::NotApplicable => not_applicable(&c),
        Family::Manual => manual(&c),
        Family::GradeMap => grade_map(&c),
        Family::ProjectGrades => project_grades(&c),
        Family::GradeGap => grade_gap(&c),
        Family::Share => share(&c),
        Family::Gate => gate(&c),
        Family::UnitShare => unit_share(&c),
        Family::Target => target(&c),
    }
}

fn ratio(c: &Ctx) -> Result<Outcome, RuleError> {
    let Ctx { rule, w, inputs, .. } = *c;
    let (p, metric_name, _) = c.names();
    let target = positive(p, "target", Decimal::ONE_HUNDRED)?;
    let mut parts = None;
    let m = if let Some(num) = p.get("numerator") {
        let den = p.required("denominator")?;
        let (a, b) = (inputs.metric(num)?, inputs.metric(den)?);
        if b.value.is_zero() {
            return Err(MetricError::Zero { what: format!("“{den}”"), then: Some("比率") }.into());
        }
        parts = Some(((num, a.value, a.unit.clone()), (den, b.value, b.unit.clone())));
        Metric {
            value: figures::share_rate(a.value, b.value).unwrap_or_default(),
            formula: format!("{}/{}×100%", fmt_input(a.value), fmt_input(b.value)),
            unit: "%".into(),
            instead: None,
        }
    } else {
        inputs.metric(metric_name)?
    };
    let score = round2((m.value / target).min(Decimal::ONE) * w);
    let label = rule.label.clone().unwrap_or_else(|| p.get("numerator").unwrap_or(metric_name).to_string());
    // Against a target below 100 %, the rate is compared with the target, not read as the score's share.
    let how = if target == Decimal::ONE_HUNDRED {
        format!("得分={}%×{}分={}分", n(m.value.min(target)), n(w), n(score))
    } else if m.value >= target {
        format!("达到目标值{}%，得满分{}分", n(target), n(w))
    } else {
        format!("未达到目标值{}%，得分={}%/{}%×{}分={}分", n(target), n(m.value), n(target), n(w), n(score))
    };
    let (numerator, denominator) = parts.unzip();
    c.done(score, format!("{}，{how}。", shown(&label, &m)), |common| Fact::Ratio {
        common: Common { label, ..common },
        metric: MetricFact::of(&m),
        target,
        met: m.value >= target,
        numerator: numerator.as_ref().map(|p| p.0.to_string()),
        numerator_value: numerator.as_ref().map(|p| p.1),
        numerator_unit: numerator.map(|p| p.2),
        denominator: denominator.as_ref().map(|p| p.0.to_string()),
        denominator_value: denominator.as_ref().map(|p| p.1),
        denominator_unit: denominator.map(|p| p.2),
    })
}

fn bands(c: &Ctx) -> Result<Outcome, RuleError> {
    let Ctx { w, inputs, .. } = *c;
    let (p, metric_name, label) = c.names();
    let m = inputs.metric(metric_name)?;
    let bands = p.pairs("bands")?;
    let mut band = None;
    for (i, (cond, _)) in bands.iter().enumerate() {
        if condition_holds(cond, m.value)? {
            band = Some(i);
            break;
        }
    }
    let index = band.ok_or_else(|| RuleError::NoBand { shown: shown(&label, &m) })?;
    let (cond, f) = bands[index].clone();
    let score = round2(w * f);
    // The band in words with its unit (`不超过5%`, `不低于80%且低于90%`).
    let which = match band_words(&bands, index, m.value, &m.unit) {
        words if words.is_empty() => String::new(),
        words => format!("{words}，"),
    };
    // The band of full marks (the first with the highest share), for the sentence of a shortfall.
    let top = bands.iter().fold(None::<&(String, Decimal)>, |best, b| match best {
        Some(x) if x.1 >= b.1 => Some(x),
        _ => Some(b),
    });
    c.done(
        score,
        format!("{}，{which}得分={}分×{}%={}分。", shown(&label, &m), n(w), n(f * Decimal::ONE_HUNDRED), n(score)),
        |common| Fact::Bands {
            common,
            metric: MetricFact::of(&m),
            band: Cond::parse(&cond),
            share: f * Decimal::ONE_HUNDRED,
            top: top.map(|(c, _)| Cond::parse(c)),
        },
    )
}

fn window(c: &Ctx) -> Result<Outcome, RuleError> {
    let Ctx { w, inputs, .. } = *c;
    let (p, metric_name, label) = c.names();
    let m = inputs.metric(metric_name)?;
    let (from, to) = (p.number("full_from")?.unwrap_or_default(), p.number("full_to")?.unwrap_or_default());
    let per_point = p.number_or("per_point", Decimal::ZERO)?;
    let (zb, za) = (p.number("zero_below")?, p.number("zero_above")?);
    let v = m.value;
    // The edges, stated once: full marks inclusive (`from ≤ v ≤ to`), zero
    // strict (`v < zero_below`, `v > zero_above`); full marks win on an edge
    // shared by both.
    let within = from <= v && v <= to;
    let zeroed = !within && (zb.is_some_and(|z| v < z) || za.is_some_and(|z| v > z));
    let score = if within {
        w
    } else if zeroed {
        Decimal::ZERO
    } else if v < from {
        w - per_point * (from - v)
    } else {
        w - per_point * (v - to)
    };
    let score = round2(score.max(Decimal::ZERO));
    c.done(score, format!("{}，{}。", shown(&label, &m), deduction_text(w, score)), |common| Fact::Window {
        common,
        metric: MetricFact::of(&m),
        full_from: from,
        full_to: to,
        below: v < from,
        above: v > to,
        zeroed,
    })
}

fn step(c: &Ctx) -> Result<Outcome, RuleError> {
    let Ctx { w, inputs, .. } = *c;
    let (p, metric_name, label) = c.names();
    let m = inputs.metric(metric_name)?;
    let threshold = p.number("threshold")?.unwrap_or_default();
    let per = positive(p, "per", Decimal::ONE)?;
    let deduct = p.number("deduct")?.unwrap_or_default();
    let cap = p.number_or("cap", w)?;
    let v = m.value;
    let zero_above = p.number("zero_above")?;
    let fact = |common| Fact::Step {
        common,
        metric: MetricFact::of(&m),
        threshold,
        within: v <= threshold,
        zeroed: v > threshold && zero_above.is_some_and(|z| v > z),
        zero_above,
        excess: (v - threshold).max(Decimal::ZERO),
        per,
        deduct,
    };
    let (score, why) = if v <= threshold {
        (w, format!("不超过{}{}", n(threshold), m.unit))
    } else if p.number("zero_above")?.is_some_and(|z| v > z) {
        (Decimal::ZERO, format!("超过{}{}，不得分", n(p.number("zero_above")?.unwrap_or_default()), m.unit))
    } else {
        let steps = ((v - threshold) / per).ceil();
        let d = (deduct * steps).min(cap);
        (
            w - d,
            format!(
                "超过{}{}，每{}{}扣{}分",
                n(threshold),
                m.unit,
                n(per),
                if m.unit == "%" { "个百分点" } else { m.unit.as_str() },
                n(deduct)
            ),
        )
    };
    let score = round2(score.max(Decimal::ZERO));
    c.done(score, format!("{}，{}，{}。", shown(&label, &m), why, deduction_text(w, score)), fact)
}

fn checkpoints(c: &Ctx) -> Result<Outcome, RuleError> {
    let Ctx { w, inputs, .. } = *c;
    let (p, _, _) = c.names();
    let den_name = p.required("denominator")?;
    let den = inputs.metric(den_name)?.value;
    if den.is_zero() {
        return Err(MetricError::Zero { what: format!("“{den_name}”"), then: None }.into());
    }
    let per = positive(p, "per", Decimal::TWO)?;
    let deduct = p.number_or("deduct", Decimal::new(1, 1))?;
    let linear = p.get("variant").unwrap_or("stepped") == "linear";
    let mut total = Decimal::ZERO;
    let mut parts = Vec::new();
    let mut points = Vec::new();
    for (fact, threshold) in p.pairs("points")? {
        let spent = inputs.fact_number(&fact)?;
        let rate = figures::share_rate(spent, den).unwrap_or_default();
        let short = threshold - rate;
        let lost = if short <= Decimal::ZERO {
            Decimal::ZERO
        } else if linear {
            round2(short / per * deduct)
        } else {
            deduct * (short / per).ceil()
        };
        points.push(Checkpoint {
            name: fact.clone(),
            amount: spent,
            rate,
            threshold,
            met: short <= Decimal::ZERO,
            short: short.max(Decimal::ZERO),
            lost,
        });
        if short <= Decimal::ZERO {
            parts.push(format!("{fact}{}万元，执行进度{}%，达到{}%", fmt_input(spent), n(rate), n(threshold)));
        } else {
            let d = if linear { round2(short / per * deduct) } else { deduct * (short / per).ceil() };
            total += d;
            parts.push(format!(
                "{fact}{}万元，执行进度{}%，低于{}%共{}个百分点，扣{}分",
                fmt_input(spent),
                n(rate),
                n(threshold),
                n(short),
                n(d)
            ));
        }
    }
    let how = if linear {
        format!("按差额每{}个百分点扣{}分线性计算", n(per), n(deduct))
    } else {
        format!("按每低{}个百分点（含不足{}个百分点）扣{}分计算", n(per), n(per), n(deduct))
    };
    let score = round2((w - total).max(Decimal::ZERO));
    c.done(
        score,
        format!(
            "以{den_name}{}万元为分母：{}；{how}，合计扣{}分，{}。",
            fmt_input(den),
            parts.join("；"),
            n(total),
            if score.is_zero() { "扣完为止".to_string() } else { format!("得{}分", n(score)) }
        ),
        |common| Fact::Checkpoints { common, denominator: den_name.to_string(), denominator_value: den, points },
    )
}

fn findings(c: &Ctx) -> Result<Outcome, RuleError> {
    let Ctx { w, .. } = *c;
    // The findings' own texts say what there is to say.
    Ok(Outcome { score: w, basis: String::new(), fact: None, manual: false, stop: false })
}

fn not_applicable(c: &Ctx) -> Result<Outcome, RuleError> {
    let Ctx { w, .. } = *c;
    let (p, _, _) = c.names();
    let reason = p.get("reason").unwrap_or("本年度不涉及").to_string();
    c.done(w, format!("{reason}，该项不适用，得满分{}分。", n(w)), |common| Fact::NotApplicable {
        common,
        reason,
    })
}

fn manual(c: &Ctx) -> Result<Outcome, RuleError> {
    let Ctx { w, .. } = *c;
    let (p, _, _) = c.names();
    let s = p.number("score")?.unwrap_or_default();
    if s > w {
        return Err(RuleError::ManualOverWeight { score: s, weight: w });
    }
    let basis = p.get("basis").unwrap_or("评价组人工评分。").to_string();
    // The evaluator's own words are the narrative's too (or its `finding`).
    let text = p.get("finding").unwrap_or(&basis).to_string();
    let fact = Fact::Manual { common: Common { text: Some(text), ..c.common(s) } };
    Ok(Outcome { score: s, fact: Some(fact), basis, manual: true, stop: false })
}

fn grade_map(c: &Ctx) -> Result<Outcome, RuleError> {
    let Ctx { w, inputs, .. } = *c;
    let (p, _, _) = c.names();
    let fact = p.required("fact")?;
    let word = inputs.fact_text(fact)?;
    let map = p.pairs("map")?;
    let f = map
        .iter()
        .find(|(k, _)| k == &word || word.starts_with(k.as_str()))
        .or_else(|| map.iter().find(|(k, _)| k == "else"))
        .map(|(_, f)| *f)
        .ok_or_else(|| RuleError::NotInMap {
            fact: fact.to_string(),
            word: word.clone(),
            map: p.get("map").unwrap_or_default().to_string(),
        })?;
    let score = round2(w * f);
    c.done(
        score,
        format!("{fact}为“{word}”，得分={}分×{}%={}分。", n(w), n(f * Decimal::ONE_HUNDRED), n(score)),
        |common| Fact::GradeMap { common, fact: fact.to_string(), word, share: f * Decimal::ONE_HUNDRED },
    )
}

fn project_grades(c: &Ctx) -> Result<Outcome, RuleError> {
    let Ctx { w, context, .. } = *c;
    let (p, _, _) = c.names();
    let purpose = p.required("purpose")?;
    let map = if p.has("map") {
        p.pairs("map")?
    } else {
        vec![
            ("优".into(), Decimal::ONE),
            ("良".into(), Decimal::new(75, 2)),
            ("中".into(), Decimal::new(5, 1)),
            ("差".into(), Decimal::ZERO),
        ]
    };
    let projects = context.sampled(purpose);
    if projects.is_empty() {
        return Err(RuleError::NoSampledProjects { purpose: purpose.to_string() });
    }
    let mut fractions = Vec::new();
    let mut named = Vec::new();
    for (name, grade, _) in &projects {
        let f = map
            .iter()
            .find(|(k, _)| grade.starts_with(k.as_str()))
            .map(|(_, f)| *f)
            .ok_or_else(|| RuleError::UnknownGrade { name: name.clone(), grade: grade.clone() })?;
        fractions.push(f);
        named.push(format!("{name}“{grade}”"));
    }
    let count = Decimal::from(fractions.len() as u64);
    let score = round2(w / count * fractions.iter().copied().sum::<Decimal>());
    let fs: Vec<String> = fractions.iter().map(|f| n(*f)).collect();
    let reasons: Vec<String> = projects
        .iter()
        .filter(|p| !p.2.is_empty())
        .map(|(name, grade, reason)| format!("{name}评价等级“{grade}”：{}", reason.trim_end_matches('。')))
        .collect();
    let why = if reasons.is_empty() { String::new() } else { format!("{}。", reasons.join("；")) };
    let listed: Vec<GradedProject> = projects
        .iter()
        .zip(&fractions)
        .map(|((name, grade, reason), f)| GradedProject {
            name: name.clone(),
            grade: grade.clone(),
            reason: reason.trim().trim_end_matches('。').to_string(),
            points: round2(w / count * *f),
        })
        .collect();
    c.done(
        score,
        format!(
            "抽取{}个项目：{}，得分={}分/{}×({})={}分。{why}",
            fractions.len(),
            named.join("、"),
            n(w),
            fractions.len(),
            fs.join("+"),
            n(score)
        ),
        |common| Fact::ProjectGrades { common, projects: listed, count: fractions.len() },
    )
}

fn grade_gap(c: &Ctx) -> Result<Outcome, RuleError> {
    let Ctx { w, context, .. } = *c;
    let (p, _, _) = c.names();
    let per_step = p.number_or("per_step", Decimal::ONE)?;
    let purpose = p.get("purpose").unwrap_or("复评");
    let pairs = context.grade_pairs(purpose)?;
    if pairs.is_empty() {
        return Err(RuleError::NoSampledProjects { purpose: purpose.to_string() });
    }
    let mut lost = Decimal::ZERO;
    let mut parts = Vec::new();
    let mut listed = Vec::new();
    for (name, s, r, reason) in &pairs {
        let gap = s.gap(*r);
        lost += per_step * Decimal::from(gap);
        listed.push(GapProject {
            name: name.clone(),
            self_grade: s.to_string(),
            recheck: r.to_string(),
            gap,
            reason: reason.trim().trim_end_matches('。').to_string(),
            lost: per_step * Decimal::from(gap),
        });
        let why = if reason.is_empty() || gap == 0 {
            String::new()
        } else {
            format!("，原因：{}", reason.trim_end_matches('。'))
        };
        parts.push(if gap == 0 {
            format!("{name}自评“{s}”、复评“{r}”，一致")
        } else {
            format!("{name}自评“{s}”、复评“{r}”，相差{gap}档{why}")
        });
    }
    let score = round2((w - lost).max(Decimal::ZERO));
    c.done(
        score,
        format!("复评{}个项目：{}；{}。", pairs.len(), parts.join("；"), deduction_text(w, score)),
        |common| Fact::GradeGap { common, projects: listed, count: pairs.len() },
    )
}

fn share(c: &Ctx) -> Result<Outcome, RuleError> {
    let (p, w, inputs) = (&c.rule.params, c.w, c.inputs);
    let (compliant, total) = (p.required("compliant")?, p.required("total")?);
    let (k, t) = (inputs.fact_number(compliant)?, inputs.fact_number(total)?);
    if t.is_zero() {
        return Err(MetricError::Zero { what: format!("“{total}”"), then: Some("占比") }.into());
    }
    let score = round2(k / t * w);
    // Say what was counted: `合规单位数6个，单位总数6个`, or the label the system gives.
    let unit = |name: &str| inputs.paper.and_then(|p| p.fact(name)).map(|f| f.unit.clone()).unwrap_or_default();
    let counted = format!("{compliant}{}{}，{total}{}{}", n(k), unit(compliant), n(t), unit(total));
    let what = match &c.rule.label {
        Some(label) => format!("{label}：{counted}"),
        None => counted,
    };
    c.done(
        score,
        format!(
            "{what}，占比{}%，得分={}/{}×{}分={}分。",
            n(figures::share_rate(k, t).unwrap_or_default()),
            n(k),
            n(t),
            n(w),
            n(score)
        ),
        |common| Fact::Share {
            common,
            compliant: compliant.to_string(),
            compliant_value: k,
            total: total.to_string(),
            total_value: t,
            rate: figures::share_rate(k, t).unwrap_or_default(),
        },
    )
}

/// `gate`: a condition on a metric or 事实 (`when = "=0"`, `"≥95"`). Held:
/// `score` × the weight (default all of it), with `reason`, and the
/// indicator's later rules are not applied; not held: nothing, and the
/// later rules (the sub-items) score the indicator.
fn gate(c: &Ctx) -> Result<Outcome, RuleError> {
    let (p, w, inputs) = (&c.rule.params, c.w, c.inputs);
    let (_, metric_name, label) = c.names();
    let m = inputs.metric(metric_name)?;
    let when = p.required("when")?;
    let fraction = p.number_or("score", Decimal::ONE)?;
    let fact = |common, held, otherwise: Option<&str>| Fact::Gate {
        common,
        metric: MetricFact::of(&m),
        when: Cond::parse(when),
        reason: p.get("reason").unwrap_or_default().to_string(),
        held,
        otherwise: otherwise.map(String::from),
    };
    // The condition in words, unless the figure already says it (`为0万元`).
    let said = |held| match condition_words(when, m.value, held, &m.unit) {
        words if words.is_empty() => words,
        words => format!("{words}，"),
    };
    if condition_holds(when, m.value)? {
        let score = round2(w * fraction);
        let reason = p.get("reason").map(|r| format!("{r}：")).unwrap_or_default();
        let held = said(true);
        Ok(Outcome {
            score,
            basis: format!("{reason}{}，{held}{}。", shown(&label, &m), deduction_text(w, score)),
            fact: Some(fact(c.common(score), true, None)),
            manual: false,
            stop: true,
        })
    } else {
        let otherwise = p.get("otherwise").unwrap_or("按以下各项评分");
        Ok(Outcome {
            score: Decimal::ZERO,
            basis: format!("{}，{}{otherwise}：", shown(&label, &m), said(false)),
            // Not held: the sub-items score the indicator, the weight is not lost here.
            fact: Some(fact(c.common(w), false, Some(otherwise))),
            manual: false,
            stop: false,
        })
    }
}

/// `target`: one target of the evaluated project's 自评表 (年度指标值 against
/// 实际完成值) scored by the re-check policy — the form's printed rule by
/// default.
fn target(c: &Ctx) -> Result<Outcome, RuleError> {
    let name = c.rule.params.required("indicator")?;
    let case = c.inputs.case;
    let form = case.evaluated_project().ok_or(MetricError::NoProject)?;
    let ind = form
        .indicators
        .iter()
        .find(|i| crate::model::value::normalize_label(&i.name) == crate::model::value::normalize_label(name))
        .ok_or_else(|| RuleError::NoTarget { name: name.to_string(), project: form.project.clone() })?;
    let spent = form.funds.first().and_then(|f| f.spent.as_ref()).and_then(|v| v.value.number());
    let (score, how, outcome) = crate::check::recheck::score_target(ind, c.w, c.context.policy, spent);
    let actual =
        if ind.actual.text.trim().is_empty() { "未填写".to_string() } else { format!("“{}”", ind.actual.text) };
    // The re-check's sentence may already end with the points (`得满分`, `得0分`, `=10分`).
    let stated = outcome.states_points() || ["=", "得"].iter().any(|p| how.ends_with(&format!("{p}{}分", n(score))));
    let points = if stated { String::new() } else { format!("，得{}分", n(score)) };
    c.done(
        score,
        format!("年度指标值“{}”，实际完成{actual}：{how}{points}。", ind.target.text),
        |common| Fact::Target {
            common,
            indicator: ind.name.clone(),
            target: ind.target.text.clone(),
            actual: ind.actual.text.trim().to_string(),
            outcome,
        },
    )
}

/// `unit_share`: the share of the units on the 单位数据 sheet whose
/// `column` meets `at_least` / `at_most` / `between = "a, b"`, × the
/// weight; the units that fall short are named.
fn unit_share(c: &Ctx) -> Result<Outcome, RuleError> {
    let (p, w, inputs) = (&c.rule.params, c.w, c.inputs);
    let column = p.required("column")?;
    let label = c.rule.label.clone().unwrap_or_else(|| column.to_string());
    let unit = p.get("unit").unwrap_or_default();
    let (low, high) = match p.get("between") {
        Some(range) => {
            let (a, b) = between(range)?;
            (Some(a), Some(b))
        }
        None => (p.number("at_least")?, p.number("at_most")?),
    };
    let units = inputs.units(column)?;
    let meets = |v: Decimal| low.is_none_or(|l| v >= l) && high.is_none_or(|h| v <= h);
    let failing: Vec<FailingUnit> = units
        .iter()
        .filter(|(_, v, _)| !meets(*v))
        .map(|(name, v, formula)| FailingUnit { name: name.clone(), value: *v, formula: formula.clone() })
        .collect();
    let (k, t) = (units.len() - failing.len(), units.len());
    if t == 0 {
        return Err(MetricError::Zero {
            what: format!("“{column}”的单位数"), then: Some("达标单位占比")
        }
        .into());
    }
    let score = round2(w * Decimal::from(k as u64) / Decimal::from(t as u64));
    let cond = match (low, high) {
        (Some(l), Some(h)) => format!("在{}{unit}至{}{unit}之间", n(l), n(h)),
        (Some(l), None) => format!("不低于{}{unit}", n(l)),
        (None, Some(h)) => format!("不高于{}{unit}", n(h)),
        (None, None) => "有数据".to_string(),
    };
    let named: Vec<String> = failing
        .iter()
        .map(|u| match &u.formula {
            Some(f) => format!("{}（{f}={}{unit}）", u.name, n(u.value)),
            None => format!("{}（{}{unit}）", u.name, n(u.value)),
        })
        .collect();
    let short = if named.is_empty() { String::new() } else { format!("未达到的有：{}；", named.join("、")) };
    // A per-unit formula: the 依据 names the columns it reads.
    let formula = match crate::system::expr::is_expression(column) {
        true => {
            let e = crate::system::expr::Expr::parse(column).map_err(MetricError::from)?;
            Some(format!("{}{}", e.text(), if e.is_percent() { "%" } else { "" }))
        }
        false => None,
    };
    let (by, label) = match (formula, &c.rule.label) {
        (Some(f), None) => (format!("按单位数据“{f}”计算，"), String::new()),
        (Some(f), Some(l)) => (String::new(), format!("{l}（{f}）")),
        (None, _) => (String::new(), label),
    };
    c.done(
        score,
        format!("{by}{t}个单位中{k}个{label}{cond}，{short}得分={}分×{k}/{t}={}分。", n(w), n(score)),
        |common| Fact::UnitShare {
            common,
            units: t,
            meeting: k,
            failing,
            unit: unit.to_string(),
            at_least: low,
            at_most: high,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The messages are the ones the rules wrote as strings before they were typed.
    #[test]
    fn error_messages() {
        let missing =
            |year, purpose| MetricError::MissingTable { year, table: "支出决算表（公开03表）", purpose };
        assert_eq!(
            missing(Some(2024), Some("无法计算决算支出")).to_string(),
            "缺少2024年的支出决算表（公开03表），无法计算决算支出。"
        );
        assert_eq!(missing(None, None).to_string(), "缺少支出决算表（公开03表）。");
        let zero = |what: &str, then| RuleError::from(MetricError::Zero { what: what.into(), then });
        assert_eq!(zero("全年预算数", Some("预算执行率")).to_string(), "全年预算数为 0，无法计算预算执行率。");
        assert_eq!(zero("单位总数", None).to_string(), "单位总数为 0。");
        assert_eq!(
            RuleError::ManualOverWeight { score: Decimal::new(35, 1), weight: Decimal::TWO }.to_string(),
            "手工得分 3.5 超过分值 2。"
        );
        assert_eq!(RuleError::from(ParamError::Missing { key: "metric".into() }).to_string(), "缺少参数“metric”。");
        assert_eq!(
            condition_holds("≈95", Decimal::ONE).unwrap_err().to_string(),
            "条件“≈95”应以 ≥ > ≤ < 开头，或写 else。"
        );
    }
}
