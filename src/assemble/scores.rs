//! The scores as the report shows them ([`ScoreInfo`]): 总分, 等级, each
//! 一级's subtotal and each indicator with its 依据, finding and analysis.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::placeholder;
use crate::model::value::{fixed2, normalize_label};
use crate::score::Scored;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreInfo {
    /// 总分; none in a draft whose indicators are not all scored.
    pub total: Option<Decimal>,
    /// 评价等级, or its placeholder in such a draft.
    pub grade: String,
    /// The indicators not scored for want of inputs.
    pub pending: Vec<String>,
    pub level1: Vec<Level1Score>,
    /// Each 二级 with its subtotal (表7–表10 of a report), in the order of
    /// the system.
    #[serde(default)]
    pub level2: Vec<Level2Result>,
    pub indicators: Vec<IndicatorInfo>,
    /// 附件3 问题清单.
    pub problems: Vec<super::ProblemInfo>,
    /// Where the points went, for the analysis of chapter 三.
    #[serde(default)]
    pub analysis: Analysis,
}

/// Where points were lost and what went well, computed once (the
/// templates compare no numbers): the 一级 of the highest and the lowest
/// 得分率, how many indicators got full marks, the indicators that lost
/// points (most lost first, then in order).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub strongest: Option<Level1Rate>,
    pub weakest: Option<Level1Rate>,
    /// Scored indicators with full marks, of `scored`.
    pub full: usize,
    pub scored: usize,
    /// Points lost in all.
    pub lost: Decimal,
    pub losses: Vec<Loss>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Level1Rate {
    pub name: String,
    pub rate: Decimal,
}

/// An indicator that lost points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Loss {
    pub name: String,
    pub level1: String,
    pub weight: Decimal,
    pub score: Decimal,
    pub lost: Decimal,
}

fn analysis(level1: &[Level1Score], indicators: &[IndicatorInfo]) -> Analysis {
    let rated: Vec<Level1Rate> =
        level1.iter().filter_map(|l| Some(Level1Rate { name: l.name.clone(), rate: l.rate? })).collect();
    let strongest = rated.iter().max_by(|a, b| a.rate.cmp(&b.rate).then(b.name.cmp(&a.name))).cloned();
    let weakest = rated.iter().min_by(|a, b| a.rate.cmp(&b.rate).then(a.name.cmp(&b.name))).cloned();
    let mut losses: Vec<Loss> = indicators
        .iter()
        .filter_map(|i| {
            let (score, lost) = (i.score?, i.lost?);
            (!lost.is_zero()).then(|| Loss {
                name: i.name.clone(),
                level1: i.level1.clone(),
                weight: i.weight,
                score,
                lost,
            })
        })
        .collect();
    losses.sort_by_key(|l| std::cmp::Reverse(l.lost));
    let scored = indicators.iter().filter(|i| i.score.is_some()).count();
    Analysis {
        strongest: strongest.filter(|s| weakest.as_ref().is_some_and(|w| w.name != s.name)),
        weakest: weakest.clone().filter(|_| rated.len() > 1),
        full: scored - losses.len(),
        scored,
        lost: fixed2(losses.iter().map(|l| l.lost).sum::<Decimal>()),
        losses,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Level1Score {
    pub name: String,
    pub weight: Decimal,
    /// None while one of its indicators is pending.
    pub score: Option<Decimal>,
    /// 得分率 % (2 decimals).
    pub rate: Option<Decimal>,
    /// The indicators of this 一级, in order.
    pub indicators: Vec<IndicatorInfo>,
}

/// A 二级's result: its weight, the sum of its indicators' scores and its
/// 得分率 (score ÷ weight, %, 2 decimals).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Level2Result {
    pub level1: String,
    pub name: String,
    pub weight: Decimal,
    /// None while one of its indicators is pending.
    pub score: Option<Decimal>,
    pub rate: Option<Decimal>,
    /// The indicators of this 二级, in order.
    pub indicators: Vec<IndicatorInfo>,
}

/// 得分率 %: score ÷ weight × 100, two decimals (none for a weight of 0).
pub(super) fn rate_of(score: Decimal, weight: Decimal) -> Option<Decimal> {
    (!weight.is_zero()).then(|| fixed2(score / weight * Decimal::ONE_HUNDRED))
}

fn level2(scored: &Scored, indicators: &[IndicatorInfo]) -> Vec<Level2Result> {
    scored
        .level2
        .iter()
        .map(|l| Level2Result {
            level1: l.level1.clone(),
            name: l.name.clone(),
            weight: fixed2(l.weight),
            score: l.score.map(fixed2),
            rate: l.score.and_then(|s| rate_of(s, l.weight)),
            indicators: indicators.iter().filter(|i| i.level1 == l.level1 && i.level2 == l.name).cloned().collect(),
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorInfo {
    pub number: usize,
    pub level1: String,
    pub level2: String,
    pub name: String,
    pub weight: Decimal,
    /// None while the indicator waits for inputs (`pending`).
    pub score: Option<Decimal>,
    /// 得失分依据 (for a pending indicator, the placeholder of what it lacks).
    pub basis: String,
    /// The evaluator's statement for the narrative: what was found, then
    /// the result once (`预算执行率偏差为0%，不超过5%，得满分。`, or each
    /// deduction with its reason and `得Y分`), worded by
    /// `templates/report/findings.j2`; alike findings said once; no formulas.
    #[serde(default)]
    pub finding: String,
    /// What was found, without points (a third-party report's chapter 三).
    #[serde(default)]
    pub observation: String,
    /// Points lost (weight − score); none while pending.
    #[serde(default)]
    pub lost: Option<Decimal>,
    /// The inputs it lacks.
    pub pending: Vec<String>,
    /// The evaluator's analysis texts (文字 rows named `指标分析：<name>…`), in order.
    pub analysis: Vec<String>,
}

/// The 依据 of an indicator not scored: what it lacks, as placeholders, or
/// why its rule failed; else its 依据.
pub fn shown_basis(i: &crate::score::ScoredIndicator) -> String {
    if !i.pending.is_empty() {
        let lacking: Vec<String> = i.pending.iter().map(|w| placeholder(w)).collect();
        format!("缺少评分所需的输入，暂不评分：{}。", lacking.join("、"))
    } else if let Some(why) = &i.failed {
        format!("未评分：{}{}", why.trim_end_matches('。'), placeholder(&format!("指标“{}”的得分", i.name)))
    } else {
        i.basis.clone()
    }
}

/// The evaluator's analysis paragraphs of an indicator: the 文字 rows named
/// `指标分析：<name>`, `指标分析：<name>（1）`, `指标分析：<name>：<part>`, in the
/// order typed (names compared normalised, so full- and half-width agree).
fn analysis_of(paper: Option<&crate::model::WorkingPaper>, name: &str) -> Vec<String> {
    let name = normalize_label(name);
    let Some(paper) = paper else { return Vec::new() };
    paper
        .texts
        .iter()
        .filter(|(k, _)| {
            let k = normalize_label(k);
            k.strip_prefix("指标分析:").is_some_and(|rest| {
                rest == name || rest.starts_with(&format!("{name}(")) || rest.starts_with(&format!("{name}:"))
            })
        })
        .map(|(_, v)| v.clone())
        .collect()
}

/// Each scored indicator with its finding (`worded`, in the same order)
/// and the evaluator's analysis texts.
fn indicators(
    scored: &Scored,
    worded: &[super::findings::Worded],
    paper: Option<&crate::model::WorkingPaper>,
) -> Vec<IndicatorInfo> {
    scored
        .indicators
        .iter()
        .zip(worded)
        .map(|(i, finding)| IndicatorInfo {
            number: i.number,
            level1: i.level1.clone(),
            level2: i.level2.clone(),
            name: i.name.clone(),
            weight: fixed2(i.weight),
            score: i.is_scored().then(|| fixed2(i.score)),
            basis: shown_basis(i),
            finding: finding.statement.clone(),
            observation: finding.observation.clone(),
            lost: i.is_scored().then(|| fixed2(i.weight - i.score)),
            pending: i.pending.clone(),
            analysis: analysis_of(paper, &i.name),
        })
        .collect()
}

/// The scores: 总分 and 等级 (a placeholder while indicators wait for
/// inputs), each 一级 with its indicators, and the 问题清单.
pub(super) fn score_info(
    scored: &Scored,
    worded: &[super::findings::Worded],
    paper: Option<&crate::model::WorkingPaper>,
) -> ScoreInfo {
    let indicators = indicators(scored, worded, paper);
    let unscored: Vec<String> = scored.indicators.iter().filter(|i| !i.is_scored()).map(|i| i.name.clone()).collect();
    let findings = paper.map(|p| p.findings.as_slice()).unwrap_or_default();
    let mut info = ScoreInfo {
        total: scored.total.map(fixed2),
        grade: match scored.grade {
            Some(g) => g.to_string(),
            None => placeholder(&format!("评价等级（{} 个指标缺输入）", unscored.len())),
        },
        pending: unscored,
        analysis: Analysis::default(),
        level1: scored
            .level1
            .iter()
            .map(|l| Level1Score {
                name: l.name.clone(),
                weight: fixed2(l.weight),
                score: l.score.map(fixed2),
                rate: l.rate.map(fixed2),
                indicators: indicators.iter().filter(|i| i.level1 == l.name).cloned().collect(),
            })
            .collect(),
        problems: super::problems::problems(scored, worded, findings),
        level2: level2(scored, &indicators),
        indicators,
    };
    info.analysis = analysis(&info.level1, &info.indicators);
    info
}
