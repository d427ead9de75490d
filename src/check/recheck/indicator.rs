//! One indicator of a 项目支出绩效自评表 recomputed by the policy: its
//! score, how it was reached, and the defects of its wording.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::value::{fmt_input, fmt_number, round2};
use crate::model::{Comparison, Provenance, SelfEvalIndicator, Target, TargetKind};

use super::{Defect, DefectKind, Policy};

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

impl TargetOutcome {
    /// Its 依据 sentence already ends with the points (`得满分`, `得0分`,
    /// `不得分`); else the sentence says how, and the caller adds `得X分`.
    pub fn states_points(self) -> bool {
        use TargetOutcome as O;
        match self {
            O::ActualEmpty | O::CostNotMoney | O::OnTime | O::Late | O::Qualitative | O::UnmetQuantity => true,
            O::Met | O::Unmet | O::Stated => false,
        }
    }
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

/// One target of a 项目支出绩效自评表 scored for `weight` points by
/// `policy`: (score, 依据, outcome — [`TargetOutcome::states_points`] says
/// whether the 依据 already gives the points). The form's own 得分, where the formula cannot
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

/// What an indicator scores: (the printed formula's score, the re-checked
/// score, how it was reached, the outcome).
type Scored = (Option<Decimal>, Decimal, String, TargetOutcome);

pub(super) fn recheck_indicator(
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
    report_wording(i, strict, cost_label, &mut push);
    let (formula, score, basis, outcome) = score_indicator(i, spent_wan, cost, quantity, &mut push);
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

/// Defects that do not change the score by themselves: a sign in the
/// actual, a missing unit, a cost target that is not money (the form's
/// rule), a malformed target.
fn report_wording(
    i: &SelfEvalIndicator,
    strict: bool,
    cost_label: bool,
    push: &mut impl FnMut(DefectKind, String, String, &Provenance),
) {
    let (t, b) = (&i.target, &i.actual);
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
}

/// An empty actual scores 0, and so (strict) does a cost target that is
/// not money; otherwise the printed formula.
fn score_indicator(
    i: &SelfEvalIndicator,
    spent_wan: Option<Decimal>,
    cost: bool,
    quantity: bool,
    push: &mut impl FnMut(DefectKind, String, String, &Provenance),
) -> Scored {
    let (t, b) = (&i.target, &i.actual);
    let stated = i.score;
    let stated_text = stated.map(fmt_number).unwrap_or_else(|| "未填".into());
    use TargetOutcome as O;
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
        score_by_formula(i, spent_wan, cost, quantity, push)
    }
}

/// The printed formula: a number against its target pro rata, a deadline
/// met or missed, a qualitative target reached; else the form's own score.
fn score_by_formula(
    i: &SelfEvalIndicator,
    spent_wan: Option<Decimal>,
    cost: bool,
    quantity: bool,
    push: &mut impl FnMut(DefectKind, String, String, &Provenance),
) -> Scored {
    let (t, b) = (&i.target, &i.actual);
    let w = i.weight.unwrap_or_default();
    let stated = i.score;
    use TargetOutcome as O;
    let pair = numeric_pair(t, b).filter(|(_, _, ut, _, ub)| {
        same_unit(ut, ub) || ub.is_empty() || ut.is_empty() || convert(Decimal::ONE, ub, ut, None) != Decimal::ONE
    });
    if let Some(pair) = pair {
        return score_numeric(i, pair, spent_wan, cost, quantity, push);
    }
    match (&t.kind, &b.kind) {
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
            (None, s, "年度指标值与实际完成值计量口径不一致，无法按完成比例计算，按自评得分计".into(), O::Stated)
        }
    }
}

/// A number against a numeric target: B/A (正向) or A/B (反向) × 分值,
/// capped at the 分值; full marks for an unmet target is a defect, and
/// (strict) an unmet 数量指标 scores 0.
fn score_numeric(
    i: &SelfEvalIndicator,
    pair: (Comparison, Decimal, &str, Decimal, &str),
    spent_wan: Option<Decimal>,
    cost: bool,
    quantity: bool,
    push: &mut impl FnMut(DefectKind, String, String, &Provenance),
) -> Scored {
    let (t, b) = (&i.target, &i.actual);
    let w = i.weight.unwrap_or_default();
    let stated = i.score;
    use TargetOutcome as O;
    let (op, a, ut, bv, ub) = pair;
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
    let shown = |d: Decimal| fmt_number(d);
    let formula_text = equation(reverse, *a, bv, if ut.is_empty() { ub } else { ut }, w);
    if ok {
        (Some(formula), formula, formula_text, O::Met)
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
                format!("“{}”年度指标值“{}”，实际完成值“{}”，未完成年度指标但未按规定扣分", i.name, t.text, b.text),
                &i.at,
            );
        }
        if quantity {
            (
                Some(formula),
                Decimal::ZERO,
                format!("{formula_text}，但数量指标未完成年度指标值，不得分"),
                O::UnmetQuantity,
            )
        } else {
            (Some(formula), formula, format!("未完成年度指标值，按比例计分：{formula_text}"), O::Unmet)
        }
    }
}

/// The printed formula with its figures, as a reviewer writes it:
/// 正向 `实际完成值18200人次/年度指标值18200人次×10分=10分`, 反向 `年度指标值…/实际完成值…×分值`;
/// above the 分值, `…=6.74分，超过分值按分值计`; a divisor of 0 in words
/// (full marks, as the rule gives them). Every equation printed is true.
fn equation(reverse: bool, a: Decimal, b: Decimal, unit: &str, w: Decimal) -> String {
    let (target, actual) = (format!("年度指标值{}{unit}", fmt_input(a)), format!("实际完成值{}{unit}", fmt_input(b)));
    let (num, den, den_value) = if reverse { (&target, &actual, b) } else { (&actual, &target, a) };
    if den_value.is_zero() {
        return format!("{den}，按完成计满分，得{}分", fmt_number(w));
    }
    let raw = round2(if reverse { a / b } else { b / a } * w);
    let over = if raw > w { "，超过分值按分值计" } else { "" };
    format!("{num}/{den}×{}分={}分{over}", fmt_number(w), fmt_number(raw))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Provenance;

    fn target(level1: &str, level2: &str, t: &str, b: &str, weight: &str) -> SelfEvalIndicator {
        let at = Provenance::new("自评表.xlsx", "Sheet1", 9, 4);
        SelfEvalIndicator {
            level1: level1.into(),
            level2: level2.into(),
            name: "指标".into(),
            target: Target::parse(t),
            actual: Target::parse(b),
            weight: Some(weight.parse().unwrap()),
            score: None,
            remark: None,
            at: at.clone(),
            score_at: at,
        }
    }

    fn scored(i: &SelfEvalIndicator, policy: Policy) -> (String, String) {
        let (score, basis, _) = score_target(i, i.weight.unwrap(), policy, None);
        (fmt_number(score), basis)
    }

    /// The left side computed equals the right; above the 分值 the cap is
    /// said, never a false `…×分值 = 分值`.
    #[test]
    fn a_target_prints_a_true_equation_in_a_reviewers_words() {
        // 正向, met exactly.
        let met = target("产出指标", "数量指标", "≥18200人次", "18200人次", "10");
        assert_eq!(
            scored(&met, Policy::Form),
            ("10".into(), "实际完成值18200人次/年度指标值18200人次×10分=10分".into())
        );
        // 正向, beyond the target: 96/95×6.67 is 6.74.
        let beyond = target("产出指标", "质量指标", "≥95%", "96%", "6.67");
        assert_eq!(
            scored(&beyond, Policy::Form),
            ("6.67".into(), "实际完成值96%/年度指标值95%×6.67分=6.74分，超过分值按分值计".into())
        );
        // 反向 cost target at half the budget: 年度指标值/实际完成值 is 2, twice the 分值.
        let cost = target("成本指标", "经济成本指标", "≤100万元", "50万元", "10");
        assert_eq!(
            scored(&cost, Policy::Strict),
            ("10".into(), "年度指标值100万元/实际完成值50万元×10分=20分，超过分值按分值计".into())
        );
        // 反向, over the ceiling: pro rata.
        let over = target("成本指标", "经济成本指标", "≤100万元", "125万元", "10");
        assert_eq!(
            scored(&over, Policy::Form),
            ("8".into(), "未完成年度指标值，按比例计分：年度指标值100万元/实际完成值125万元×10分=8分".into())
        );
        // An unmet 数量指标 (strict): the formula, then why it scores 0.
        let short = target("产出指标", "数量指标", ">2960人", "2910", "20");
        assert_eq!(
            scored(&short, Policy::Strict),
            ("0".into(), "实际完成值2910人/年度指标值2960人×20分=19.66分，但数量指标未完成年度指标值，不得分".into())
        );
        // An actual of 0 against a ceiling: no division by 0 printed.
        let nothing = target("成本指标", "经济成本指标", "≤100万元", "0万元", "10");
        assert_eq!(scored(&nothing, Policy::Form), ("10".into(), "实际完成值0万元，按完成计满分，得10分".into()));
    }
}
