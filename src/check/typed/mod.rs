//! The evaluator's typed text against the case: the 文字 and 发现 texts of
//! the working paper state amounts and rates the case also holds.
//!
//! - `paper.typed_figure` (提示): a number whose figure's name is right
//!   before it (`年初预算`, `全年预算数`, `决算支出`, `调减预算`, `预算执行率`,
//!   `预决算差异率`, `调整比例`, the 三公 items, 培训费, 会议费, 基本支出 /
//!   项目支出, a project's name) and that agrees with none of the case's
//!   values for it, beyond the rounding of the text (`8848万元` agrees with
//!   8,848.19; `1.28亿元` with 12,847.65): the cell, the words, the case's value.
//! - `paper.typed_unverified` (提示): per text, the amounts (…万元 / 元 / 亿元)
//!   named by no figure that match no amount of the case anywhere (tables,
//!   自评表, 目标表, 事实, data tables, 单位数据, 转移支付, 抽查项目), nor the sum
//!   of the amounts before them (`合计0.89万元`); zeros and thresholds
//!   (`单价100万元以上`) are left out.
//! - `paper.voice` (提示, a kind with `voice = "self"`): a text in a third
//!   party's voice ([`voice`]).

mod names;
mod scan;
mod values;
mod voice;

use rust_decimal::Decimal;

use names::{Claim, Key, Named, Reader};
use scan::{Number, Unit};
use values::{Candidate, CaseValues, Pool};

use super::Ctx;
use crate::model::{Provenance, Severity};
use crate::report_kind::Voice;

/// A text the evaluator typed: what it is (`文字“评价结论”`), its words, its cell.
pub(crate) struct Typed<'a> {
    pub label: String,
    pub text: &'a str,
    pub at: Provenance,
}

/// The paper's 文字 and 发现 texts.
fn typed(case: &crate::model::Case) -> Vec<Typed<'_>> {
    let Some(paper) = case.working_paper.as_ref() else { return Vec::new() };
    let texts = paper
        .text_cells()
        .filter_map(|(name, text, at)| Some(Typed { label: format!("文字“{name}”"), text, at: at?.clone() }));
    let findings = paper.findings.iter().map(|f| Typed {
        label: format!("发现“{}”", f.indicator),
        text: &f.text,
        at: f.text_at.clone(),
    });
    texts.chain(findings).filter(|t| !t.text.trim().is_empty()).collect()
}

/// A 提示 before duplicates are folded: its rule, the text's label, what it says, the cell.
struct Draft {
    rule: &'static str,
    label: String,
    body: String,
    at: Provenance,
}

/// Check every typed text; `voice` is the report kind's.
pub(super) fn run(ctx: &mut Ctx, voice: Voice) {
    let case = ctx.case;
    let Some(paper) = case.working_paper.as_ref() else { return };
    let texts = typed(case);
    let values = CaseValues::new(case, case.evaluation_year());
    let reader = Reader { programs: &values.programs };
    let pool = Pool::of(case);
    let mut drafts = Vec::new();
    for t in &texts {
        drafts.extend(figures_of(t, &reader, &values, &pool));
        if voice == Voice::SelfEvaluation {
            drafts.extend(voice::third_party(t).map(|body| Draft {
                rule: "paper.voice",
                label: t.label.clone(),
                body,
                at: t.at.clone(),
            }));
        }
    }
    for (d, also) in fold_duplicates(drafts) {
        let also: Vec<String> =
            also.iter().map(|(label, at)| format!("{label}（{} › {}）", at.sheet, at.cell())).collect();
        let tail = if also.is_empty() { String::new() } else { format!("{}也这样写。", also.join("、")) };
        ctx.report(Severity::Note, d.rule, &paper.file, format!("{}{}{tail}", d.label, d.body), vec![d.at]);
    }
}

/// The same words in several texts (a 发现 copied into 文字) are one 提示
/// at the first, naming the others.
fn fold_duplicates(drafts: Vec<Draft>) -> Vec<(Draft, Vec<(String, Provenance)>)> {
    let mut out: Vec<(Draft, Vec<(String, Provenance)>)> = Vec::new();
    for d in drafts {
        match out.iter_mut().find(|(o, _)| o.rule == d.rule && o.body == d.body) {
            Some((_, also)) => also.push((d.label, d.at)),
            None => out.push((d, Vec::new())),
        }
    }
    out
}

/// The figure 提示 of one text: each disagreeing named figure, then the unverified amounts.
fn figures_of(t: &Typed, reader: &Reader, values: &CaseValues, pool: &Pool) -> Vec<Draft> {
    let chars = scan::fold(t.text);
    let numbers = scan::numbers(&chars);
    let mut out = Vec::new();
    let mut unverified: Vec<String> = Vec::new();
    for (k, n) in numbers.iter().enumerate() {
        let named = reader.name(&chars, n);
        let candidates = named.map(|m| values.candidates(m.key, m.year)).unwrap_or_default();
        if let Some(m) = named.filter(|_| !candidates.is_empty()) {
            // A project's value stands for the text's only when it is the very
            // number (a bound such as `未超过10%` met by some project proves
            // nothing) or when the case holds no department value.
            let department = candidates.iter().any(|c| !c.project);
            let own: Vec<&Candidate> =
                candidates.iter().filter(|c| m.claim == Claim::Equal || !c.project || !department).collect();
            if !own.iter().any(|c| agrees(n, &m, c)) {
                let body = disagreement(&chars, n, &m, own[0]);
                out.push(Draft { rule: "paper.typed_figure", label: t.label.clone(), body, at: t.at.clone() });
            }
            continue;
        }
        if n.unit == Unit::Amount
            && matches!(n.word, "万元" | "亿元")
            && !n.value.is_zero()
            && !threshold(&chars, n)
            && !is_sum(&chars, &numbers, k)
        {
            let tolerance = n.precision.max(Decimal::new(1, 2)) / Decimal::TWO;
            if !pool.holds(n.value, tolerance) {
                unverified.push(chars[n.start..n.end].iter().collect());
            }
        }
    }
    unverified.dedup();
    if !unverified.is_empty() {
        let body = unverified_body(&unverified, values.has_tables());
        out.push(Draft { rule: "paper.typed_unverified", label: t.label.clone(), body, at: t.at.clone() });
    }
    out
}

/// The most amounts one unverified 提示 lists.
const LISTED: usize = 8;

fn unverified_body(amounts: &[String], tables: bool) -> String {
    let shown: Vec<&str> = amounts.iter().take(LISTED).map(String::as_str).collect();
    let more = if amounts.len() > LISTED { format!("等 {} 处", amounts.len()) } else { String::new() };
    let why = if tables { "" } else { "（本案没有部门预算、决算公开表）" };
    format!(
        "中的金额 {}{more} 在本案的报表、自评表和评价底稿中都找不到，无法核对{why}：请核对出处（或在评价底稿“事实”中登记）。",
        shown.join("、")
    )
}

/// Does the typed number agree with the case's value, to the text's precision?
fn agrees(n: &Number, m: &Named, c: &Candidate) -> bool {
    let mut tolerance = n.precision.max(Decimal::new(1, 2)) / Decimal::TWO;
    if n.unit == Unit::Percent {
        tolerance += Decimal::new(5, 3);
    }
    let (typed, case) = if n.signed { (n.value, c.value) } else { (n.value.abs(), c.value.abs()) };
    match m.claim {
        Claim::Equal => (typed - case).abs() <= tolerance,
        Claim::AtMost => case <= typed + tolerance,
        Claim::AtLeast => case >= typed - tolerance,
    }
}

fn shown(n: &Number, d: Decimal) -> String {
    match n.unit {
        Unit::Amount => values::amount(d),
        Unit::Percent => format!("{}%", crate::model::value::fmt_rate(d)),
    }
}

fn disagreement(chars: &[char], n: &Number, m: &Named, c: &Candidate) -> String {
    let words: String = chars[m.from..n.end].iter().collect();
    let typed: String = chars[n.start..n.end].iter().collect();
    let rate = matches!(m.key, Key::Execution(_) | Key::Difference(_) | Key::AdjustmentRate(_));
    let how = match m.claim {
        Claim::Equal => String::new(),
        Claim::AtMost if rate => format!("，幅度超过 {typed}"),
        Claim::AtMost => format!("，超过 {typed}"),
        Claim::AtLeast if rate => format!("，幅度不到 {typed}"),
        Claim::AtLeast => format!("，不到 {typed}"),
    };
    format!("写“{words}”，而本案的{}为 {}（{}）{how}。", c.what, shown(n, c.value), c.source)
}

/// A limit rather than a figure: `单价100万元（含）以上`, `不超过5万元`.
fn threshold(chars: &[char], n: &Number) -> bool {
    let after: String = chars[n.end..(n.end + 4).min(chars.len())].iter().collect();
    let before: String = chars[n.start.saturating_sub(4)..n.start].iter().collect();
    ["以上", "以下", "以内", "（含）", "(含)"].iter().any(|w| after.starts_with(w))
        || ["单价", "超过", "低于", "高于", "不足", "不到", "最高", "最低", "每人", "每次"]
            .iter()
            .any(|w| before.ends_with(w))
}

/// `合计0.89万元` after `0.62万元，…0.27万元` in its sentence: the sum of
/// the amounts right before it (two or more, back to the sentence's start).
fn is_sum(chars: &[char], numbers: &[Number], k: usize) -> bool {
    let n = &numbers[k];
    let before: String = chars[n.start.saturating_sub(3)..n.start].iter().collect();
    if !["合计", "共计", "总计", "累计", "共", "总额", "计"]
        .iter()
        .any(|w| before.trim_end_matches(['为', '：', ':']).ends_with(w))
    {
        return false;
    }
    let sentence = chars[..n.start].iter().rposition(|c| "。；;！？\n".contains(*c)).map_or(0, |i| i + 1);
    let parts = numbers[..k].iter().rev().take_while(|p| p.start >= sentence).filter(|p| p.unit == Unit::Amount);
    let half = n.precision.max(Decimal::new(1, 2)) / Decimal::TWO;
    let mut sum = Decimal::ZERO;
    for (i, p) in parts.enumerate() {
        sum += p.value;
        if i >= 1 && (sum - n.value).abs() <= half + Decimal::new(5, 3) * Decimal::from(i as u64 + 1) {
            return true;
        }
    }
    false
}
