//! Which figure a typed number states: the figure's name right before it
//! (`年初预算12,847.65万元`, `全年预算数8,848.19万元`, `预算执行率100%`,
//! `公务接待费决算支出0.24万元`), read back from the number over fillers
//! (`安排资金`, `为`, `达`), comparisons (`未超过`) and, for a rate, its base
//! (`年初预算总额`). A name far from its number, or a sentence about a month
//! or a quarter (`6月底…实际支出`), states no figure of the year.

use super::scan::{starts_with, Number, Unit};

/// Which budget a figure is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// 年初预算.
    Initial,
    /// 全年预算 (调整后).
    FullYear,
    /// 决算 (执行数).
    Final,
}

/// Whose figure it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subject {
    Department,
    Basic,
    Projects,
    ThreePublic,
    Abroad,
    Vehicle,
    Reception,
    Training,
    Meeting,
    /// A project of the case, by its index in the list the matcher was given.
    Program(usize),
}

/// A figure of the case a text may state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    Amount(Subject, Stage),
    /// 全年预算 − 年初预算 (调减 / 调增 / 追加).
    Adjustment(Subject),
    /// 执行数 / 全年预算.
    Execution(Subject),
    /// (决算 − 年初预算) / 年初预算.
    Difference(Subject),
    /// (全年预算 − 年初预算) / 年初预算.
    AdjustmentRate(Subject),
}

/// How the text states the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Claim {
    Equal,
    /// 未超过, 不超过, 低于 …: the figure is at most the number.
    AtMost,
    /// 超过, 高于, 不低于 …: at least.
    AtLeast,
}

/// A number's figure: the key, the year the sentence names, how it is
/// stated and where its name starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Named {
    pub key: Key,
    pub year: Option<i32>,
    pub claim: Claim,
    pub from: usize,
}

#[derive(Debug, Clone, Copy)]
enum Word {
    /// A figure of its own (`年初预算`), whose subject a word before may narrow.
    Direct(Stage),
    Adjust,
    Rate(fn(Subject) -> Key),
    /// Only with a subject (`预算`, `决算`).
    Stage(Stage),
    /// A subject's figure in one word (`基本支出决算`).
    Fixed(Subject, Stage),
    Subject(Subject),
}

/// Figure names, longest first where one ends another.
const WORDS: &[(&str, Word)] = &[
    ("基本支出年初预算", Word::Fixed(Subject::Basic, Stage::Initial)),
    ("项目支出年初预算", Word::Fixed(Subject::Projects, Stage::Initial)),
    ("基本支出预算", Word::Fixed(Subject::Basic, Stage::Initial)),
    ("项目支出预算", Word::Fixed(Subject::Projects, Stage::Initial)),
    ("基本支出决算", Word::Fixed(Subject::Basic, Stage::Final)),
    ("项目支出决算", Word::Fixed(Subject::Projects, Stage::Final)),
    ("年初预算安排", Word::Direct(Stage::Initial)),
    ("年初预算支出", Word::Direct(Stage::Initial)),
    ("年初预算数", Word::Direct(Stage::Initial)),
    ("年初预算", Word::Direct(Stage::Initial)),
    ("预算支出", Word::Direct(Stage::Initial)),
    ("调整后预算数", Word::Direct(Stage::FullYear)),
    ("调整后预算", Word::Direct(Stage::FullYear)),
    ("全年预算数", Word::Direct(Stage::FullYear)),
    ("全年预算", Word::Direct(Stage::FullYear)),
    ("调减至", Word::Direct(Stage::FullYear)),
    ("调增至", Word::Direct(Stage::FullYear)),
    ("调整至", Word::Direct(Stage::FullYear)),
    ("追加至", Word::Direct(Stage::FullYear)),
    ("决算支出总额", Word::Direct(Stage::Final)),
    ("全年支出决算", Word::Direct(Stage::Final)),
    ("支出决算数", Word::Direct(Stage::Final)),
    ("决算支出", Word::Direct(Stage::Final)),
    ("支出决算", Word::Direct(Stage::Final)),
    ("决算数", Word::Direct(Stage::Final)),
    ("实际支出", Word::Direct(Stage::Final)),
    ("本年支出", Word::Direct(Stage::Final)),
    ("全年支出", Word::Direct(Stage::Final)),
    ("全年执行数", Word::Direct(Stage::Final)),
    ("执行数", Word::Direct(Stage::Final)),
    ("预算调整数", Word::Adjust),
    ("调整金额", Word::Adjust),
    ("调减预算", Word::Adjust),
    ("调增预算", Word::Adjust),
    ("调整预算", Word::Adjust),
    ("追加预算", Word::Adjust),
    ("调减", Word::Adjust),
    ("调增", Word::Adjust),
    ("预算执行率", Word::Rate(Key::Execution)),
    ("资金执行率", Word::Rate(Key::Execution)),
    ("支出执行率", Word::Rate(Key::Execution)),
    ("执行率", Word::Rate(Key::Execution)),
    ("预决算差异率", Word::Rate(Key::Difference)),
    ("差异率", Word::Rate(Key::Difference)),
    ("预算调整率", Word::Rate(Key::AdjustmentRate)),
    ("调整率", Word::Rate(Key::AdjustmentRate)),
    ("调整比例", Word::Rate(Key::AdjustmentRate)),
    ("调减比例", Word::Rate(Key::AdjustmentRate)),
    ("调增比例", Word::Rate(Key::AdjustmentRate)),
    ("调整幅度", Word::Rate(Key::AdjustmentRate)),
    ("调减幅度", Word::Rate(Key::AdjustmentRate)),
    ("调增幅度", Word::Rate(Key::AdjustmentRate)),
    ("预算数", Word::Stage(Stage::Initial)),
    ("预算", Word::Stage(Stage::Initial)),
    ("决算", Word::Stage(Stage::Final)),
    ("三公经费", Word::Subject(Subject::ThreePublic)),
    ("因公出国(境)费用", Word::Subject(Subject::Abroad)),
    ("因公出国(境)经费", Word::Subject(Subject::Abroad)),
    ("因公出国(境)费", Word::Subject(Subject::Abroad)),
    ("因公出国费", Word::Subject(Subject::Abroad)),
    ("公务用车购置及运行维护费", Word::Subject(Subject::Vehicle)),
    ("公务用车购置和运行维护费", Word::Subject(Subject::Vehicle)),
    ("公务接待费", Word::Subject(Subject::Reception)),
    ("培训费", Word::Subject(Subject::Training)),
    ("会议费", Word::Subject(Subject::Meeting)),
    ("基本支出", Word::Subject(Subject::Basic)),
    ("项目支出", Word::Subject(Subject::Projects)),
];

/// Read back over these between a name and its number.
const FILLERS: &[&str] = &[
    "安排资金",
    "（调整后）",
    "(调整后)",
    "资金",
    "金额",
    "总额",
    "合计",
    "共计",
    "总计",
    "累计",
    "分别",
    "达到",
    "为",
    "是",
    "达",
    "约",
    "了",
    "的",
    "：",
    ":",
    " ",
];
const AT_MOST: &[&str] = &["未超过", "不超过", "不高于", "不大于", "未超出", "不足", "低于", "小于", "控制在"];
const AT_LEAST: &[&str] = &["超过", "超出", "高于", "大于", "不低于", "不少于"];
/// A rate's base, between its name and its number (`调整比例未超过年初预算总额10%`).
const RATE_BASES: &[&str] = &["年初预算总额", "年初预算数", "年初预算", "预算总额", "总预算"];
/// A sentence about part of the year states no figure of the year.
const PART_OF_YEAR: &[&str] = &["月底", "月末", "季度", "半年", "月份"];
/// Where a clause ends: a name never reaches across these.
const CLAUSE_ENDS: &[char] = &['，', ',', '、', '；', ';', '。', '！', '？', '!', '?', '\n'];
const SENTENCE_ENDS: &[char] = &['；', ';', '。', '！', '？', '!', '?', '\n'];
/// How far back a sentence's subject, stage or year is looked for.
const WINDOW: usize = 120;

/// Quotes and brackets are skipped when comparing (`“三公”经费`, `因公出国（境）费`).
fn fold_char(c: char) -> Option<char> {
    match c {
        '“' | '”' | '"' | '‘' | '’' | '\'' => None,
        '（' => Some('('),
        '）' => Some(')'),
        c => Some(c),
    }
}

/// Where `word` starts when `chars[from..end]` ends with it (quotes skipped).
fn ends_with(chars: &[char], from: usize, end: usize, word: &str) -> Option<usize> {
    let mut i = end;
    for w in word.chars().rev() {
        loop {
            if i <= from {
                return None;
            }
            i -= 1;
            if let Some(c) = fold_char(chars[i]) {
                if c != w {
                    return None;
                }
                break;
            }
        }
    }
    Some(i)
}

/// The longest word of `words` that `chars[from..end]` ends with.
fn word_at<'w, T: Copy>(
    chars: &[char],
    from: usize,
    end: usize,
    words: &'w [(&str, T)],
) -> Option<(usize, &'w str, T)> {
    words
        .iter()
        .filter_map(|(w, t)| ends_with(chars, from, end, w).map(|s| (s, *w, *t)))
        .max_by_key(|(_, w, _)| w.chars().count())
}

/// Where the longest word of `list` that `chars[from..end]` ends with starts.
fn ends_with_any(chars: &[char], from: usize, end: usize, list: &[&str]) -> Option<usize> {
    list.iter().filter_map(|w| ends_with(chars, from, end, w)).min()
}

/// `end` read back over fillers, a rate's base and a comparison.
fn strip(chars: &[char], from: usize, mut end: usize, unit: Unit) -> (usize, Claim) {
    let mut claim = Claim::Equal;
    let bases: &[&str] = if unit == Unit::Percent { RATE_BASES } else { &[] };
    loop {
        let before = end;
        for (list, says) in
            [(FILLERS, None), (bases, None), (AT_MOST, Some(Claim::AtMost)), (AT_LEAST, Some(Claim::AtLeast))]
        {
            if let Some(s) = ends_with_any(chars, from, end, list).filter(|&s| s > from) {
                end = s;
                if let Some(c) = says.filter(|_| claim == Claim::Equal) {
                    claim = c;
                }
            }
        }
        if end == before {
            return (end, claim);
        }
    }
}

/// What reads a sentence: its projects' names (as [`crate::model::project_key`] gives them).
pub(crate) struct Reader<'a> {
    pub programs: &'a [String],
}

impl Reader<'_> {
    /// The figure `n` states in `chars`, if its name is right before it.
    pub fn name(&self, chars: &[char], n: &Number) -> Option<Named> {
        let sentence = chars[..n.start].iter().rposition(|c| SENTENCE_ENDS.contains(c)).map_or(0, |i| i + 1);
        let window = sentence.max(n.start.saturating_sub(WINDOW));
        let clause = chars[..n.start].iter().rposition(|c| CLAUSE_ENDS.contains(c)).map_or(0, |i| i + 1).max(window);
        let before: String = chars[window..n.start].iter().collect();
        if PART_OF_YEAR.iter().any(|w| before.contains(w)) {
            return None;
        }
        let (end, claim) = strip(chars, clause, n.start, n.unit);
        let (from, _, word) = word_at(chars, clause, end, WORDS)?;
        let before_name = self.subject_before(chars, clause, from);
        let narrowed = before_name.map(|(s, _)| s);
        // The words quoted start at the subject that narrows the name (`公务接待费决算支出`).
        let from = match (word, before_name) {
            (Word::Subject(_) | Word::Fixed(..), _) | (_, None) | (_, Some((_, None))) => from,
            (_, Some((_, Some(at)))) => at,
        };
        let key = match (word, n.unit) {
            (Word::Rate(key), Unit::Percent) => key(narrowed.unwrap_or(Subject::Department)),
            (_, Unit::Percent) | (Word::Rate(_), Unit::Amount) => return None,
            (Word::Adjust, _) => Key::Adjustment(narrowed.unwrap_or(Subject::Department)),
            (Word::Direct(stage), _) => {
                Key::Amount(narrowed.or_else(|| head(chars, window, from)).unwrap_or(Subject::Department), stage)
            }
            (Word::Stage(stage), _) => Key::Amount(narrowed.or_else(|| head(chars, window, from))?, stage),
            (Word::Subject(s), _) => Key::Amount(s, last_stage(chars, window, from).unwrap_or(Stage::Final)),
            (Word::Fixed(s, stage), _) => Key::Amount(s, stage),
        };
        Some(Named { key, year: year_in(&before), claim, from })
    }

    /// The subject a name is narrowed to by the word right before it
    /// (`公务接待费` in `公务接待费决算支出`), or a project the clause names.
    /// (With where the subject word starts, when it is one.)
    fn subject_before(&self, chars: &[char], from: usize, end: usize) -> Option<(Subject, Option<usize>)> {
        let stripped = strip(chars, from, end, Unit::Amount).0;
        if let Some((at, _, Word::Subject(s))) = word_at(chars, from, stripped, WORDS) {
            return Some((s, Some(at)));
        }
        self.program_in(chars, from, end).map(|s| (s, None))
    }

    /// A project named in `chars[from..end]`.
    fn program_in(&self, chars: &[char], from: usize, end: usize) -> Option<Subject> {
        let text = crate::model::project_key(&chars[from..end].iter().collect::<String>());
        self.programs.iter().position(|p| p.chars().count() >= 2 && text.contains(p.as_str())).map(Subject::Program)
    }
}

/// The sentence's first subject word before `end` (`培训费` in
/// `培训费预算6200元，决算支出6200元`). A project named earlier in the
/// sentence does not carry: `抽取医疗救助资金…3个项目，预算金额…` is their sum.
fn head(chars: &[char], from: usize, end: usize) -> Option<Subject> {
    (from..end).find_map(|i| {
        WORDS.iter().find_map(|(w, t)| match t {
            Word::Subject(s) if starts_with_folded(chars, i, end, w) => Some(*s),
            _ => None,
        })
    })
}

/// Does `chars[at..end]` start with `word` (quotes skipped)?
fn starts_with_folded(chars: &[char], at: usize, end: usize, word: &str) -> bool {
    if fold_char(chars[at]).is_none() {
        return false;
    }
    let mut i = at;
    for w in word.chars() {
        while i < end && fold_char(chars[i]).is_none() {
            i += 1;
        }
        if i >= end || fold_char(chars[i]) != Some(w) {
            return false;
        }
        i += 1;
    }
    true
}

/// The last stage word (`预算`, `决算`) of `chars[from..end]`.
fn last_stage(chars: &[char], from: usize, end: usize) -> Option<Stage> {
    (from..end).rev().find_map(|i| {
        if starts_with(chars, i, "决算") {
            Some(Stage::Final)
        } else if starts_with(chars, i, "预算") {
            Some(Stage::Initial)
        } else {
            None
        }
    })
}

/// The last year (`2023年`) a text names.
fn year_in(text: &str) -> Option<i32> {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len().saturating_sub(4)).rev().find_map(|i| {
        let four: String = chars[i..i + 4].iter().collect();
        let alone = i == 0 || !chars[i - 1].is_ascii_digit();
        (alone && chars[i + 4] == '年' && four.chars().all(|c| c.is_ascii_digit())).then(|| four.parse().ok()).flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::super::scan::{fold, numbers};
    use super::*;

    fn names(text: &str, programs: &[&str]) -> Vec<Option<(Key, Option<i32>, Claim)>> {
        let programs: Vec<String> = programs.iter().map(|p| crate::model::project_key(p)).collect();
        let reader = Reader { programs: &programs };
        let chars = fold(text);
        numbers(&chars).iter().map(|n| reader.name(&chars, n).map(|m| (m.key, m.year, m.claim))).collect()
    }

    use Stage::*;
    use Subject::*;

    #[test]
    fn a_name_right_before_its_number() {
        assert_eq!(
            names("年初预算安排资金12847.65万元，调减预算1268.369万元，调整比例未超过年初预算总额10%。", &[]),
            vec![
                Some((Key::Amount(Department, Initial), None, Claim::Equal)),
                Some((Key::Adjustment(Department), None, Claim::Equal)),
                Some((Key::AdjustmentRate(Department), None, Claim::AtMost)),
            ]
        );
        assert_eq!(
            names("全年预算数8848.19万元，2024年决算数8848.19万元，预算执行率100%", &[]),
            vec![
                Some((Key::Amount(Department, FullYear), None, Claim::Equal)),
                Some((Key::Amount(Department, Final), Some(2024), Claim::Equal)),
                Some((Key::Execution(Department), Some(2024), Claim::Equal)),
            ]
        );
    }

    #[test]
    fn a_subject_narrows_a_name_and_carries_through_its_sentence() {
        assert_eq!(
            names("2023年培训费决算支出0.52万元；“三公”经费预算合计2700元，其中公务接待费2700元", &[]),
            vec![
                Some((Key::Amount(Training, Final), Some(2023), Claim::Equal)),
                Some((Key::Amount(ThreePublic, Initial), None, Claim::Equal)),
                Some((Key::Amount(Reception, Initial), None, Claim::Equal)),
            ]
        );
        assert_eq!(
            names("培训费预算6200元，决算支出6200元。", &[]),
            vec![
                Some((Key::Amount(Training, Initial), None, Claim::Equal)),
                Some((Key::Amount(Training, Final), None, Claim::Equal))
            ]
        );
        assert_eq!(
            names("医疗救助资金年初预算2389万元", &["医疗救助资金"]),
            vec![Some((Key::Amount(Program(0), Initial), None, Claim::Equal))]
        );
        assert_eq!(
            names("全年支出决算8848.19万元，其中：基本支出决算456.23万元、项目支出预算12369.9万元", &[]),
            vec![
                Some((Key::Amount(Department, Final), None, Claim::Equal)),
                Some((Key::Amount(Basic, Final), None, Claim::Equal)),
                Some((Key::Amount(Projects, Initial), None, Claim::Equal)),
            ]
        );
    }

    #[test]
    fn no_name_no_figure() {
        assert_eq!(
            names("6月底部门预算实际支出5442.70万元；资产总额58.77万元，决算合计支出2700元", &[]),
            vec![None, None, None]
        );
        // A rate name never names an amount, nor an amount name a rate.
        assert_eq!(names("执行率5万元，年初预算10%", &[]), vec![None, None]);
    }
}
