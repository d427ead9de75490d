//! The evaluator's sentence of each scored indicator ([`IndicatorInfo::finding`](super::IndicatorInfo)):
//! what the narrative (chapter 三, the 问题清单) says where the 依据 has a
//! formula. Each rule's facts are worded by `templates/report/findings.j2`
//! (one macro per rule family, named as the family; overridable like the
//! report parts); the working paper's findings are kept as recorded, and
//! findings that repeat one sentence for several subjects are said once
//! (`A、B、C等项目未…`).

use std::path::PathBuf;

use minijinja::{Environment, Value};
use rust_decimal::Decimal;

use crate::model::value::fmt_number;
use crate::score::{Fact, ScoredIndicator, Sentence};

/// The template's name among the parts.
pub const TEMPLATE: &str = "findings.j2";

/// The findings template, ready to word facts.
pub struct Words {
    env: Option<Environment<'static>>,
    /// Why the template could not be used (its error), once.
    pub error: Option<String>,
}

impl Words {
    /// `findings.j2` from the first of `dirs` that has it, else the shipped
    /// one, in the strict environment of the parts: every field of a
    /// family's [`Fact`] is there (an optional one as none), so a misspelt
    /// name is an error, not an empty word.
    pub fn new(dirs: &[PathBuf]) -> Words {
        match crate::templates::environment(dirs, &[TEMPLATE.to_string()]) {
            Ok(env) => Words { env: Some(env), error: None },
            Err(e) => Words { env: None, error: Some(describe(&e)) },
        }
    }

    /// Each rule's observation by its family's macro, and what the
    /// 问题清单 says of it (the `<family>_problem` macro, else the
    /// observation); None where the template has no macro for it or fails
    /// (the 依据 is said instead).
    fn rules(&mut self, facts: &[&Fact]) -> Vec<Option<(String, String)>> {
        let Some(env) = &self.env else { return facts.iter().map(|_| None).collect() };
        let mut captured = match env.get_template(TEMPLATE).and_then(|t| t.render_captured(())) {
            Ok(c) => c,
            Err(e) => {
                self.error.get_or_insert_with(|| describe(&e));
                return facts.iter().map(|_| None).collect();
            }
        };
        let mut error = None;
        let out = facts
            .iter()
            .map(|fact| {
                let family = fact.family();
                let arg = Value::from(minijinja::value::Serde(fact));
                captured.with_state_mut(|state| {
                    let mut call = |name: &str| -> Option<String> {
                        state.lookup(name)?;
                        match state.call_macro(name, std::slice::from_ref(&arg)) {
                            Ok(text) => Some(one_line(&text)).filter(|t| !t.is_empty()),
                            Err(e) => {
                                error.get_or_insert_with(|| describe(&e));
                                None
                            }
                        }
                    };
                    let seen = call(family)?;
                    let problem = if fact.common().full { None } else { call(&format!("{family}_problem")) };
                    Some((seen.clone(), problem.unwrap_or(seen)))
                })
            })
            .collect();
        if let Some(e) = error {
            self.error.get_or_insert(e);
        }
        out
    }
}

fn describe(e: &minijinja::Error) -> String {
    let place = match (e.name(), e.line()) {
        (Some(name), Some(line)) => format!("{name} 第{line}行"),
        (Some(name), None) => name.to_string(),
        _ => TEMPLATE.to_string(),
    };
    format!("评价句模板 {place} 出错（{e}），相关指标的正文改用得失分依据。")
}

/// A macro's output as one line: the lines trimmed and joined (Chinese
/// needs no spaces between them).
fn one_line(text: &str) -> String {
    text.lines().map(str::trim).collect()
}

/// What the narrative says of an indicator, worded once from its facts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Worded {
    /// One statement: what was found, then the result once — `得满分`, or
    /// each deduction with its reason and `得Y分` (`不得分`).
    pub statement: String,
    /// What was found, without points (chapter 三 of a third-party report).
    pub observation: String,
    /// Only what lost points, as a problem (附件3 问题清单); empty when
    /// nothing did.
    pub problem: String,
}

/// One thing said of an indicator: a rule's observation or a finding of
/// the working paper, with the points it took.
struct Part {
    /// A clause, without its closing punctuation.
    seen: String,
    /// As the 问题清单 says it.
    problem: String,
    lost: Decimal,
    /// A text of the user's own that says its points (`扣1分`, `得满分`), or
    /// score's own sentence: printed as it is, the result not repeated.
    states_points: bool,
}

/// The statement, observation and problem of a scored indicator (an
/// unscored one says what it lacks).
pub fn word(i: &ScoredIndicator, words: &mut Words) -> Worded {
    if !i.is_scored() {
        let basis = super::shown_basis(i);
        return Worded { statement: basis.clone(), observation: basis, problem: String::new() };
    }
    let parts = parts(i, words);
    let lost = (i.weight - i.score).max(Decimal::ZERO);
    Worded {
        statement: statement(&parts, lost, i.score),
        observation: parts.iter().map(|p| end_sentence(&p.seen)).collect(),
        problem: if lost.is_zero() {
            String::new()
        } else {
            parts.iter().filter(|p| !p.lost.is_zero()).map(|p| end_sentence(&p.problem)).collect()
        },
    }
}

/// The indicator's rules and findings in order, alike findings merged.
fn parts(i: &ScoredIndicator, words: &mut Words) -> Vec<Part> {
    let facts: Vec<&Fact> = i.sentences.iter().filter_map(|s| s.fact.as_ref()).collect();
    let mut worded = words.rules(&facts).into_iter();
    let mut out = Vec::new();
    let mut run: Vec<(String, Decimal)> = Vec::new();
    let flush = |run: &mut Vec<(String, Decimal)>, out: &mut Vec<Part>| {
        for (text, lost) in merge_alike(&std::mem::take(run)) {
            let seen = end_clause(&text).to_string();
            out.push(Part { problem: seen.clone(), seen, lost, states_points: false });
        }
    };
    for s in &i.sentences {
        if let Some(found) = &s.finding {
            run.push(found.clone());
            continue;
        }
        flush(&mut run, &mut out);
        out.push(rule_part(s, &mut worded));
    }
    flush(&mut run, &mut out);
    out.retain(|p| !p.seen.is_empty());
    out
}

fn rule_part(s: &Sentence, worded: &mut impl Iterator<Item = Option<(String, String)>>) -> Part {
    let verbatim = |text: &str, lost| Part {
        seen: end_clause(text).to_string(),
        problem: end_clause(text).to_string(),
        lost,
        states_points: states_points(text),
    };
    let Some(fact) = &s.fact else {
        // Score's own sentence (`未发现问题，得满分3分。`).
        return Part { states_points: true, ..verbatim(&s.basis, Decimal::ZERO) };
    };
    let lost = fact.common().lost.max(Decimal::ZERO);
    let by_macro = worded.next().flatten();
    if let Some(own) = fact.text() {
        return verbatim(own, lost);
    }
    match by_macro {
        Some((seen, problem)) => {
            Part { seen: end_clause(&seen).into(), problem: end_clause(&problem).into(), lost, states_points: false }
        }
        None => Part { states_points: true, ..verbatim(&s.basis, lost) },
    }
}

/// A text of the user's own (a system's `finding`, the evaluator's 依据)
/// that already says what it scored.
fn states_points(text: &str) -> bool {
    text.contains("得满分") || text.contains("不得分") || has_points(text, '扣') || has_points(text, '得')
}

/// `<c><number>分` in `text` (`扣0.5分`, `得3分`).
fn has_points(text: &str, c: char) -> bool {
    text.match_indices(c).any(|(at, _)| {
        let rest = text[at + c.len_utf8()..].trim_start();
        let digits = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').count();
        digits > 0 && rest[digits..].trim_start().starts_with('分')
    })
}

/// The parts said once, then the result once: full marks, or each
/// deduction with its reason and the score.
fn statement(parts: &[Part], lost: Decimal, score: Decimal) -> String {
    let (own, parts): (Vec<&Part>, Vec<&Part>) = parts.iter().partition(|p| p.states_points);
    let mut out: String = own.iter().map(|p| end_sentence(&p.seen)).collect();
    let (kept, took): (Vec<&Part>, Vec<&Part>) = parts.iter().partition(|p| p.lost.is_zero());
    let kept: Vec<&str> = kept.iter().map(|p| p.seen.as_str()).collect();
    if !own.is_empty() && took.is_empty() {
        if !kept.is_empty() {
            out.push_str(&end_sentence(&kept.join("；")));
        }
        return out;
    }
    if took.is_empty() {
        let seen = if kept.is_empty() { "未发现问题".to_string() } else { kept.join("；") };
        out.push_str(&format!("{seen}，得满分。"));
        return out;
    }
    if !kept.is_empty() {
        out.push_str(&end_sentence(&kept.join("；")));
    }
    let result = if score.is_zero() { "不得分".to_string() } else { format!("得{}分", fmt_number(score)) };
    match took.as_slice() {
        [one] if score.is_zero() => out.push_str(&format!("{}，{result}。", one.seen)),
        [one] => out.push_str(&format!("{}，扣{}分，{result}。", one.seen, fmt_number(lost))),
        many => {
            for p in many {
                out.push_str(&format!("{}，扣{}分；", p.seen, fmt_number(p.lost)));
            }
            let sum: Decimal = many.iter().map(|p| p.lost).sum();
            let capped = if sum > lost { "（扣完为止）" } else { "" };
            out.push_str(&format!("合计扣{}分{capped}，{result}。", fmt_number(lost)));
        }
    }
    out
}

fn end_clause(text: &str) -> &str {
    text.trim().trim_end_matches(['。', '；', ';', '，', ','])
}

use crate::model::value::end_sentence;

/// The shortest shared ending that makes findings one sentence (characters).
const SHARED_MIN: usize = 10;

/// Findings that say one thing of different subjects (`医疗救助资金项目未按…`,
/// `城乡居民区级配套资金项目未按…`), next to each other, merged into one
/// (`医疗救助资金、城乡居民区级配套资金等项目未按…`) with their points summed;
/// a finding recorded twice is said once.
pub fn merge_alike(items: &[(String, Decimal)]) -> Vec<(String, Decimal)> {
    let mut out: Vec<(String, Decimal)> = Vec::new();
    let mut i = 0;
    while i < items.len() {
        let mut j = i + 1;
        while j < items.len() && shared_ending(&items[i..=j]).is_some() {
            j += 1;
        }
        let group = &items[i..j];
        let points: Decimal = group.iter().map(|(_, d)| *d).sum();
        let text = match shared_ending(group) {
            Some((subjects, ending)) if group.len() > 1 => {
                let mut unique: Vec<&str> = Vec::new();
                for s in subjects {
                    if !unique.contains(&s) {
                        unique.push(s);
                    }
                }
                match unique.as_slice() {
                    [""] => ending,
                    [one] => format!("{one}{ending}"),
                    many => format!("{}等{ending}", many.join("、")),
                }
            }
            _ => group[0].0.trim().to_string(),
        };
        out.push((text, points));
        i = j;
    }
    out
}

/// The subjects and the shared ending of findings that differ only in
/// their opening words, or None: the ending is long and most of each text,
/// each opening a few words without a full stop (identical texts share
/// all of it, with empty openings).
fn shared_ending(group: &[(String, Decimal)]) -> Option<(Vec<&str>, String)> {
    let texts: Vec<Vec<char>> = group.iter().map(|(t, _)| t.trim().chars().collect()).collect();
    let first = texts.first()?;
    let mut n = 0;
    while n < first.len() && texts.iter().all(|t| n < t.len() && t[t.len() - 1 - n] == first[first.len() - 1 - n]) {
        n += 1;
    }
    let all_same = texts.iter().all(|t| t.len() == n);
    if n < SHARED_MIN && !all_same {
        return None;
    }
    let mut subjects = Vec::new();
    for (t, (raw, _)) in texts.iter().zip(group) {
        let opening = t.len() - n;
        if !all_same && (opening == 0 || opening * 2 > n) {
            return None;
        }
        let subject: String = t[..opening].iter().collect();
        if subject.contains(['。', '；', '，', ';', ',']) {
            return None;
        }
        let raw = raw.trim();
        subjects.push(&raw[..raw.char_indices().nth(opening).map(|(b, _)| b).unwrap_or(raw.len())]);
    }
    Some((subjects, first[first.len() - n..].iter().collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn alike_findings_are_said_once() {
        let tail = "项目未按照《枣庄市社会福利和社会救助资金管理暂行办法》规定开展事前评价。";
        let items: Vec<(String, Decimal)> = ["医疗救助资金", "城乡居民区级配套资金", "60岁以上城乡居民财政代缴"]
            .iter()
            .map(|s| (format!("{s}{tail}"), d("0.5")))
            .collect();
        assert_eq!(
            merge_alike(&items),
            vec![(format!("医疗救助资金、城乡居民区级配套资金、60岁以上城乡居民财政代缴等{tail}"), d("1.5"))]
        );
        // Recorded twice: once, the points of both.
        let twice = vec![("资产标签粘贴不全。".to_string(), d("0.2")), ("资产标签粘贴不全。".to_string(), d("0.2"))];
        assert_eq!(merge_alike(&twice), vec![("资产标签粘贴不全。".to_string(), d("0.4"))]);
        // Different findings stay apart.
        let apart = vec![
            ("记账凭证科目归类错误，该笔资金为公务接待费用。".to_string(), d("0.5")),
            ("原始凭证不完整，缺少补助对象审批确认名单。".to_string(), d("0.5")),
        ];
        assert_eq!(merge_alike(&apart), apart);
    }

    use crate::score::fact::{Common, Cond, MetricFact};

    fn metric(value: &str) -> MetricFact {
        MetricFact { value: d(value), unit: "%".into(), source: String::new() }
    }

    fn bands(label: &str) -> Fact {
        Fact::Bands {
            common: Common::new(label.into(), d("4"), d("2.4")),
            metric: metric("89.59"),
            band: Cond::parse("≥80"),
            share: d("60"),
            top: Some(Cond::parse("≥95")),
        }
    }

    fn ratio(label: &str) -> Fact {
        Fact::Ratio {
            common: Common::new(label.into(), d("2"), d("2")),
            metric: metric("100"),
            target: d("100"),
            met: true,
            numerator: None,
            numerator_value: None,
            numerator_unit: None,
            denominator: None,
            denominator_value: None,
            denominator_unit: None,
        }
    }

    #[test]
    fn the_shipped_macros_word_the_facts() {
        let mut words = Words::new(&[]);
        let (bands, ratio) = (bands("问卷满意度"), ratio("预算执行率"));
        assert_eq!(
            words.rules(&[&bands, &ratio]),
            vec![
                Some(("问卷满意度为89.59%，低于95%".to_string(), "问卷满意度为89.59%，低于95%".to_string())),
                Some(("预算执行率为100%，达到100%的目标".to_string(), "预算执行率为100%，达到100%的目标".to_string()))
            ]
        );
        assert!(words.error.is_none());
    }

    #[test]
    fn an_override_replaces_the_words_and_a_missing_macro_falls_back() {
        let dir = std::env::temp_dir().join(format!("jixiao-findings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join(TEMPLATE),
            "{% macro bands(f) %}\n  {{ f.label }}{{ f.value }}{{ f.unit }}，\n  尚可。\n{% endmacro %}",
        )
        .unwrap();
        let mut words = Words::new(std::slice::from_ref(&dir));
        let (bands, ratio) = (bands("满意度"), ratio("执行率"));
        // No ratio macro in the override: the 依据 is said instead (None here).
        assert_eq!(
            words.rules(&[&bands, &ratio]),
            vec![Some(("满意度89.59%，尚可。".to_string(), "满意度89.59%，尚可。".to_string())), None]
        );
        // A broken template: every rule falls back, and the error is reported once.
        std::fs::write(dir.join(TEMPLATE), "{% macro bands(f) %}{{ f.label ").unwrap();
        let mut words = Words::new(std::slice::from_ref(&dir));
        assert_eq!(words.rules(&[&bands]), vec![None]);
        assert!(words.error.as_deref().is_some_and(|e| e.contains("findings.j2")), "{:?}", words.error);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// One fact of each family whose optional fields are all none.
    fn every_family() -> Vec<Fact> {
        use crate::check::recheck::TargetOutcome;
        let common = || Common::new("指标".into(), d("2"), d("1"));
        let mut facts = vec![bands("满意度"), ratio("执行率")];
        if let Fact::Bands { top, .. } = &mut facts[0] {
            *top = None;
        }
        facts.extend([
            Fact::Window {
                common: common(),
                metric: metric("5"),
                full_from: d("8"),
                full_to: d("10"),
                below: true,
                above: false,
                zeroed: false,
            },
            Fact::Step {
                common: common(),
                metric: metric("12"),
                threshold: d("10"),
                within: false,
                zeroed: false,
                zero_above: None,
                excess: d("2"),
                per: d("1"),
                deduct: d("0.5"),
            },
            Fact::Checkpoints {
                common: common(),
                denominator: "全年预算数".into(),
                denominator_value: d("100"),
                points: vec![],
            },
            Fact::NotApplicable { common: common(), reason: "本年度不涉及".into() },
            Fact::Manual { common: Common { text: Some("评价组人工评分。".into()), ..common() } },
            Fact::GradeMap { common: common(), fact: "等级".into(), word: "良好".into(), share: d("80") },
            Fact::ProjectGrades { common: common(), projects: vec![], count: 0 },
            Fact::GradeGap { common: common(), projects: vec![], count: 0 },
            Fact::Share {
                common: common(),
                compliant: "合规单位数".into(),
                compliant_value: d("5"),
                total: "单位总数".into(),
                total_value: d("6"),
                rate: d("83.33"),
            },
            Fact::Gate {
                common: common(),
                metric: metric("0"),
                when: Cond::parse("=0"),
                reason: String::new(),
                held: true,
                otherwise: None,
            },
            Fact::UnitShare {
                common: common(),
                units: 6,
                meeting: 6,
                failing: vec![],
                unit: "%".into(),
                at_least: None,
                at_most: None,
            },
            Fact::Target {
                common: common(),
                indicator: "数量".into(),
                target: "100人".into(),
                actual: "100人".into(),
                outcome: TargetOutcome::Met,
            },
        ]);
        facts
    }

    #[test]
    fn every_family_is_worded_strictly_and_a_misspelt_field_fails() {
        let facts = every_family();
        let mut words = Words::new(&[]);
        let worded = words.rules(&facts.iter().collect::<Vec<_>>());
        assert!(words.error.is_none(), "{:?}", words.error);
        for (fact, text) in facts.iter().zip(&worded) {
            assert!(
                text.as_ref().is_some_and(|(seen, problem)| !seen.contains("none") && !problem.contains("none")),
                "{}: {text:?}",
                fact.family()
            );
            // The macros say what was found; the points are said once, by `statement`.
            let (seen, _) = text.as_ref().unwrap();
            assert!(!seen.contains("得满分") && !seen.contains("扣"), "{}: {seen}", fact.family());
        }
        let dir = std::env::temp_dir().join(format!("jixiao-findings-strict-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(TEMPLATE), "{% macro bands(f) %}{{ f.lable }}{% endmacro %}").unwrap();
        let mut words = Words::new(std::slice::from_ref(&dir));
        assert_eq!(words.rules(&[&bands("满意度")]), vec![None]);
        assert!(words.error.as_deref().is_some_and(|e| e.contains("findings.j2")), "{:?}", words.error);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn macro_output_is_one_line() {
        assert_eq!(one_line("\n  预算执行率为100%，\n  得满分。\n"), "预算执行率为100%，得满分。");
    }

    fn indicator(weight: &str, score: &str, sentences: Vec<Sentence>) -> ScoredIndicator {
        ScoredIndicator {
            number: 1,
            level1: "产出".into(),
            level2: "时效".into(),
            name: "完成时间".into(),
            weight: d(weight),
            score: d(score),
            basis: String::new(),
            sentences,
            rules: Vec::new(),
            manual: false,
            pending: Vec::new(),
            failed: None,
        }
    }

    fn rule(fact: Fact) -> Sentence {
        Sentence { basis: "（依据）".into(), fact: Some(fact), finding: None }
    }

    fn found(text: &str, points: &str) -> Sentence {
        Sentence { basis: "（依据）".into(), fact: None, finding: Some((text.into(), d(points))) }
    }

    #[test]
    fn full_marks_are_said_once() {
        let mut words = Words::new(&[]);
        let w = word(&indicator("2", "2", vec![rule(ratio("预算执行率"))]), &mut words);
        assert_eq!(w.statement, "预算执行率为100%，达到100%的目标，得满分。");
        assert_eq!(w.observation, "预算执行率为100%，达到100%的目标。");
        assert_eq!(w.problem, "");
    }

    #[test]
    fn a_deduction_is_never_beside_full_marks_wording() {
        // 高邑 完成时间: the rate met its target, a finding took 0.5.
        let mut words = Words::new(&[]);
        let i = indicator("5", "4.5", vec![rule(ratio("项目按时完成率")), found("项目完成时限与预期有差距。", "0.5")]);
        let w = word(&i, &mut words);
        assert_eq!(w.statement, "项目按时完成率为100%，达到100%的目标。项目完成时限与预期有差距，扣0.5分，得4.5分。");
        assert!(!w.statement.contains("满分"), "{}", w.statement);
        // The 问题清单 says only what lost points, without points.
        assert_eq!(w.problem, "项目完成时限与预期有差距。");
    }

    #[test]
    fn several_deductions_each_with_its_reason_then_the_total() {
        let mut words = Words::new(&[]);
        let i = indicator(
            "2",
            "0.5",
            vec![
                found("记账凭证科目归类错误。", "0.5"),
                found("原始凭证不完整。", "0.5"),
                found("基本要素未填写。", "0.5"),
            ],
        );
        let w = word(&i, &mut words);
        assert_eq!(
            w.statement,
            "记账凭证科目归类错误，扣0.5分；原始凭证不完整，扣0.5分；基本要素未填写，扣0.5分；合计扣1.5分，得0.5分。"
        );
        // More taken than the weight holds: capped, and said so.
        let i = indicator("1", "0", vec![found("资产标签粘贴不全。", "0.8"), found("资产账实不符。", "0.8")]);
        assert_eq!(
            word(&i, &mut words).statement,
            "资产标签粘贴不全，扣0.8分；资产账实不符，扣0.8分；合计扣1分（扣完为止），不得分。"
        );
        // One reason that takes everything: 不得分.
        let i = indicator("2", "0", vec![found("未开展事前评价。", "2")]);
        assert_eq!(word(&i, &mut words).statement, "未开展事前评价，不得分。");
    }

    #[test]
    fn a_text_that_states_its_points_is_not_repeated() {
        let mut words = Words::new(&[]);
        let manual = Fact::Manual {
            common: Common {
                text: Some("经查，资料齐全，得满分3分。".into()),
                ..Common::new("立项".into(), d("3"), d("3"))
            },
        };
        let w = word(&indicator("3", "3", vec![rule(manual)]), &mut words);
        assert_eq!(w.statement, "经查，资料齐全，得满分3分。");
        assert!(states_points("扣 0.5 分") && states_points("不得分") && !states_points("得分率为90%"));
    }
}
