//! The scores as the report shows them ([`ScoreInfo`]): 总分, 等级, each
//! 一级's subtotal and each indicator with its 依据, finding and analysis.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::placeholder;
use crate::model::value::normalize_label;
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
    pub indicators: Vec<IndicatorInfo>,
    /// 附件3 问题清单.
    pub problems: Vec<super::ProblemInfo>,
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
    /// The evaluator's sentence for the narrative: the 依据 without its
    /// formulas (`预算执行率偏差为0%，不超过5%，得满分。`), worded by
    /// `templates/report/findings.j2`; alike findings said once.
    #[serde(default)]
    pub finding: String,
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
fn indicators(scored: &Scored, worded: &[String], paper: Option<&crate::model::WorkingPaper>) -> Vec<IndicatorInfo> {
    scored
        .indicators
        .iter()
        .zip(worded)
        .map(|(i, finding)| IndicatorInfo {
            number: i.number,
            level1: i.level1.clone(),
            level2: i.level2.clone(),
            name: i.name.clone(),
            weight: i.weight.normalize(),
            score: i.is_scored().then(|| i.score.normalize()),
            basis: shown_basis(i),
            finding: finding.clone(),
            pending: i.pending.clone(),
            analysis: analysis_of(paper, &i.name),
        })
        .collect()
}

/// The scores: 总分 and 等级 (a placeholder while indicators wait for
/// inputs), each 一级 with its indicators, and the 问题清单.
pub(super) fn score_info(scored: &Scored, worded: &[String], paper: Option<&crate::model::WorkingPaper>) -> ScoreInfo {
    let indicators = indicators(scored, worded, paper);
    let unscored: Vec<String> = scored.indicators.iter().filter(|i| !i.is_scored()).map(|i| i.name.clone()).collect();
    let findings = paper.map(|p| p.findings.as_slice()).unwrap_or_default();
    ScoreInfo {
        total: scored.total.map(|t| t.normalize()),
        grade: match scored.grade {
            Some(g) => g.to_string(),
            None => placeholder(&format!("评价等级（{} 个指标缺输入）", unscored.len())),
        },
        pending: unscored,
        level1: scored
            .level1
            .iter()
            .map(|l| Level1Score {
                name: l.name.clone(),
                weight: l.weight.normalize(),
                score: l.score.map(|s| s.normalize()),
                rate: l.rate,
                indicators: indicators.iter().filter(|i| i.level1 == l.name).cloned().collect(),
            })
            .collect(),
        problems: super::problems::problems(scored, worded, findings),
        indicators,
    }
}
