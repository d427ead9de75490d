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

    /// Each rule's sentence, by its family's macro; None where the
    /// template has no macro for it or fails (the 依据 is said instead).
    fn rules(&mut self, facts: &[&Fact]) -> Vec<Option<String>> {
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
                captured.with_state_mut(|state| match state.lookup(family) {
                    Some(_) => match state.call_macro(family, &[arg]) {
                        Ok(text) => Some(one_line(&text)).filter(|t| !t.is_empty()),
                        Err(e) => {
                            error.get_or_insert_with(|| describe(&e));
                            None
                        }
                    },
                    None => None,
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

/// The finding of a scored indicator: its rules' sentences (a rule's own
/// `finding`, else its family's macro, else its 依据), then its findings.
pub fn finding(i: &ScoredIndicator, words: &mut Words) -> String {
    if !i.is_scored() {
        return super::shown_basis(i);
    }
    let facts: Vec<&Fact> = i.sentences.iter().filter_map(|s| s.fact.as_ref()).collect();
    let mut worded = words.rules(&facts).into_iter();
    let mut out = String::new();
    let mut run: Vec<(String, Decimal)> = Vec::new();
    for s in &i.sentences {
        if let Some((text, d)) = &s.finding {
            run.push((text.clone(), *d));
            continue;
        }
        out.push_str(&said(&std::mem::take(&mut run)));
        out.push_str(&rule_sentence(s, &mut worded));
    }
    out.push_str(&said(&run));
    out
}

fn rule_sentence(s: &Sentence, worded: &mut impl Iterator<Item = Option<String>>) -> String {
    let Some(fact) = &s.fact else { return s.basis.clone() };
    let own = fact.text().map(String::from);
    let by_macro = worded.next().flatten();
    own.or(by_macro).unwrap_or_else(|| s.basis.clone())
}

/// Findings in a row, alike ones merged, each with the points it took.
fn said(run: &[(String, Decimal)]) -> String {
    merge_alike(run)
        .into_iter()
        .map(|(text, d)| {
            if d.is_zero() {
                end_sentence(&text)
            } else {
                format!("{}，扣{}分。", end_clause(&text), fmt_number(d))
            }
        })
        .collect()
}

/// The 问题描述 of a problem: its findings as recorded (alike ones said
/// once), or for a computed indicator its finding without the clauses
/// that only state points.
pub fn problem_description(i: &ScoredIndicator, finding: &str) -> String {
    let found: Vec<(String, Decimal)> =
        i.sentences.iter().filter_map(|s| s.finding.clone()).filter(|(_, d)| !d.is_zero()).collect();
    if found.is_empty() {
        crate::score::strip_points(finding)
    } else {
        merge_alike(&found).iter().map(|(t, _)| end_sentence(t)).collect()
    }
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
                Some("问卷满意度为89.59%，低于95%的满分标准，扣1.6分。".to_string()),
                Some("预算执行率为100%，达到100%的目标，得满分。".to_string())
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
        assert_eq!(words.rules(&[&bands, &ratio]), vec![Some("满意度89.59%，尚可。".to_string()), None]);
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
            assert!(text.as_deref().is_some_and(|t| !t.contains("none")), "{}: {text:?}", fact.family());
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
}
