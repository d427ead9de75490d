//! Stage — `review`: a published evaluation re-checked, its printed rules
//! against its printed figures (`jixiao review`). The published 得分表
//! ([`read`]) is set beside the case scored with its own system on its own
//! inputs; every difference is a [`Slip`]: a score off its rule, a 得分率
//! that is not 得分 ÷ 分值, a subtotal that does not add up, a 分值 or a
//! name that differs from the 指标体系, an indicator the 得分表 leaves out.
//! [`report`] words them as a 复核意见 (DOCX), [`xlsx`] lists them.

pub mod read;
pub mod report;
pub mod xlsx;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::value::{fmt_number, normalize_label, round2};
use crate::score::{Scored, ScoredIndicator};
pub use read::{Published, PublishedRow, ReadError, RowKind};

/// What kind of slip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SlipKind {
    /// 得分与评分规则不符.
    Score,
    /// 得分率与得分 ÷ 分值不符.
    Rate,
    /// 小计 / 合计 与所列得分之和不符.
    Subtotal,
    /// 分值与指标体系不符.
    Weight,
    /// 指标名称与指标体系不符.
    Name,
    /// 指标体系中的指标未列入得分表.
    Absent,
}

impl SlipKind {
    pub fn label(self) -> &'static str {
        match self {
            SlipKind::Score => "得分与评分规则不符",
            SlipKind::Rate => "得分率与得分÷分值不符",
            SlipKind::Subtotal => "小计与所列得分之和不符",
            SlipKind::Weight => "分值与指标体系不符",
            SlipKind::Name => "指标名称与指标体系不符",
            SlipKind::Absent => "得分表未列入该指标",
        }
    }
}

/// One difference found.
#[derive(Debug, Clone, Serialize)]
pub struct Slip {
    pub kind: SlipKind,
    /// The indicator (一级 › 二级 › 三级) or the subtotal it concerns.
    pub indicator: String,
    /// file › sheet › row of the published figure.
    pub at: String,
    pub published: String,
    /// What the rule, the sum or the system gives.
    pub expected: String,
    /// The rule applied (families and its printed 依据).
    pub rule: String,
    /// The inputs it was applied to.
    pub inputs: String,
}

/// The review of one case.
#[derive(Debug, Clone, Serialize)]
pub struct Review {
    pub file: String,
    pub sheet: String,
    /// Rows of 三级 indicators read.
    pub indicators: usize,
    pub slips: Vec<Slip>,
    /// Things said about the reading (a row matched by position …).
    pub notes: Vec<String>,
}

fn same_name(a: &str, b: &str) -> bool {
    let n = |s: &str| normalize_label(s).chars().filter(|c| !c.is_whitespace()).collect::<String>();
    n(a) == n(b)
}

fn path_of(i: &ScoredIndicator) -> String {
    format!("{} › {} › {}", i.level1, i.level2, i.name)
}

/// The published scores beside the case as scored.
pub fn review(published: &Published, scored: &Scored) -> Review {
    let mut r = Review {
        file: published.file.clone(),
        sheet: published.sheet.clone(),
        indicators: 0,
        slips: Vec::new(),
        notes: Vec::new(),
    };
    let mut seen = vec![false; scored.indicators.len()];
    let rows: Vec<&PublishedRow> = published.rows.iter().filter(|p| p.kind == RowKind::Indicator).collect();
    r.indicators = rows.len();
    for (pos, row) in rows.iter().enumerate() {
        let by_name = (!row.name.is_empty())
            .then(|| scored.indicators.iter().position(|i| same_name(&i.name, &row.name)))
            .flatten();
        let index = by_name.or_else(|| (pos < scored.indicators.len()).then_some(pos));
        let Some(index) = index else {
            r.notes.push(format!("{}：“{}”在指标体系中找不到对应的三级指标，未复核。", row.at, row.name));
            continue;
        };
        let ind = &scored.indicators[index];
        seen[index] = true;
        if row.name.is_empty() {
            r.notes.push(format!("{}：未列三级指标名称，按位置对应“{}”。", row.at, ind.name));
        } else if by_name.is_none() {
            r.slips.push(name_slip(row, ind));
        }
        let rule = scored.system.indicator(&ind.name).map(|d| d.method.trim().to_string()).unwrap_or_default();
        indicator_slips(row, ind, &rule, &mut r.slips);
    }
    for ind in scored.indicators.iter().zip(&seen).filter(|(_, s)| !**s).map(|(i, _)| i) {
        r.slips.push(Slip {
            kind: SlipKind::Absent,
            indicator: path_of(ind),
            at: format!("{} › {}", published.file, published.sheet),
            published: "未列".into(),
            expected: format!("分值{}，得分{}", fmt_number(ind.weight), fmt_number(ind.score)),
            rule: ind.rules.join("、"),
            inputs: ind.basis.clone(),
        });
    }
    subtotal_slips(published, &mut r.slips);
    r
}

fn name_slip(row: &PublishedRow, ind: &ScoredIndicator) -> Slip {
    Slip {
        kind: SlipKind::Name,
        indicator: path_of(ind),
        at: row.at.clone(),
        published: row.name.clone(),
        expected: ind.name.clone(),
        rule: "按位置对应指标体系中的三级指标".into(),
        inputs: String::new(),
    }
}

/// Score, 分值 and 得分率 of one indicator row.
fn indicator_slips(row: &PublishedRow, ind: &ScoredIndicator, method: &str, out: &mut Vec<Slip>) {
    let slip = |kind, published: String, expected: String, rule: String, inputs: String| Slip {
        kind,
        indicator: path_of(ind),
        at: row.at.clone(),
        published,
        expected,
        rule,
        inputs,
    };
    if let Some(w) = row.weight.filter(|w| round2(*w) != round2(ind.weight)) {
        out.push(slip(
            SlipKind::Weight,
            fmt_number(w),
            fmt_number(ind.weight),
            "指标体系所定分值".into(),
            String::new(),
        ));
    }
    if let Some(s) = row.score {
        if ind.is_scored() && round2(s) != round2(ind.score) {
            let rule =
                if method.is_empty() { format!("评分规则 {}", ind.rules.join("、")) } else { method.to_string() };
            out.push(slip(SlipKind::Score, fmt_number(s), fmt_number(ind.score), rule, inputs_of(ind)));
        }
    }
    if let (Some(rate), Some(s), Some(w)) = (row.rate, row.score, row.weight.or(Some(ind.weight))) {
        if w > Decimal::ZERO {
            let exact = s / w * Decimal::ONE_HUNDRED;
            let shown =
                exact.round_dp_with_strategy(row.rate_decimals, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
            if shown != rate.round_dp(row.rate_decimals) {
                let p = row.rate_decimals as usize;
                let (rate, shown) = (format!("{rate:.p$}%"), format!("{shown:.p$}%"));
                let inputs = format!("得分{} ÷ 分值{} × 100% = {shown}", fmt_number(s), fmt_number(w));
                out.push(slip(SlipKind::Rate, rate, shown, "得分率 = 得分 ÷ 分值".into(), inputs));
            }
        }
    }
}

/// What the rule read: its sentences with their figures (the working
/// paper's findings after them), else the whole 依据.
fn inputs_of(ind: &ScoredIndicator) -> String {
    let ruled: Vec<&str> = ind.sentences.iter().filter(|s| s.fact.is_some()).map(|s| s.basis.as_str()).collect();
    let found: Vec<&str> = ind.sentences.iter().filter(|s| s.finding.is_some()).map(|s| s.basis.as_str()).collect();
    if ruled.is_empty() && found.is_empty() {
        ind.basis.clone()
    } else {
        ruled.into_iter().chain(found).collect::<Vec<_>>().join("")
    }
}

/// 小计 rows against the indicator rows of their 一级, the 合计 against all.
fn subtotal_slips(published: &Published, out: &mut Vec<Slip>) {
    let indicators = || published.rows.iter().filter(|p| p.kind == RowKind::Indicator);
    for row in published.rows.iter().filter(|p| p.kind != RowKind::Indicator) {
        let (label, parts): (String, Vec<&PublishedRow>) = match row.kind {
            RowKind::Subtotal => {
                (format!("{} 小计", row.level1), indicators().filter(|p| p.level1 == row.level1).collect())
            }
            _ => ("合计".into(), indicators().collect()),
        };
        let sum = |f: fn(&PublishedRow) -> Option<Decimal>| parts.iter().filter_map(|p| f(p)).sum::<Decimal>();
        for (what, printed, total) in [("得分", row.score, sum(|p| p.score)), ("分值", row.weight, sum(|p| p.weight))]
        {
            let Some(printed) = printed else { continue };
            if round2(printed) != round2(total) {
                let terms: Vec<String> = parts
                    .iter()
                    .filter_map(|p| if what == "得分" { p.score } else { p.weight })
                    .map(fmt_number)
                    .collect();
                out.push(Slip {
                    kind: SlipKind::Subtotal,
                    indicator: format!("{label}（{what}）"),
                    at: row.at.clone(),
                    published: fmt_number(printed),
                    expected: fmt_number(total),
                    rule: format!("{label}{what} = 所列三级指标{what}之和"),
                    inputs: terms.join(" + "),
                });
            }
        }
    }
}

/// Review's text for the terminal.
pub fn text(r: &Review) -> String {
    let mut s = format!("复核得分表：{} › {}（三级指标 {} 行）\n", r.file, r.sheet, r.indicators);
    for n in &r.notes {
        s.push_str(&format!("提示 {n}\n"));
    }
    for (k, slip) in r.slips.iter().enumerate() {
        s.push_str(&format!(
            "{}. {}：{}（{}）— 得分表 {}，应为 {}；依据：{}{}\n",
            k + 1,
            slip.kind.label(),
            slip.indicator,
            slip.at,
            slip.published,
            slip.expected,
            slip.rule,
            if slip.inputs.is_empty() { String::new() } else { format!("；{}", slip.inputs) }
        ));
    }
    if r.slips.is_empty() {
        s.push_str("未发现差错：所列得分、得分率、小计与指标体系的规则一致。\n");
    } else {
        s.push_str(&format!("共发现 {} 处差错。\n", r.slips.len()));
    }
    s
}
