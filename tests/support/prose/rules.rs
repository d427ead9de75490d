//! The rules of the prose check, one function per defect class (class 7,
//! the figures, in [`super::figures`]).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::Value;

pub use super::figures::{missing_figures, summary_table_figures, summary_xlsx_figures, Figures};
use super::{arith, Block, Class, Defect, Docx, Region};

fn defect(class: Class, docx: &Docx, b: &Block, text: impl Into<String>) -> Defect {
    let place = if docx.name.is_empty() { b.place() } else { format!("{} {}", docx.name, b.place()) };
    Defect { class, place, text: text.into() }
}

/// The sentences of a text: split after 。；！？ and at line breaks, each
/// with whether a sentence mark ended it.
pub fn sentences(text: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        match c {
            '。' | '；' | '！' | '？' => {
                out.push((std::mem::take(&mut cur), true));
            }
            '\n' => out.push((std::mem::take(&mut cur), false)),
            c => cur.push(c),
        }
    }
    out.push((cur, false));
    out.into_iter().map(|(s, end)| (s.trim().to_string(), end)).filter(|(s, _)| !s.is_empty()).collect()
}

/// A text without its leading enumerator: `（一）`, `(1)`, `（1）`, `1.`,
/// `1、`, `一、`, `一是`, `①`.
pub fn strip_enumerator(s: &str) -> &str {
    let s = s.trim_start();
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = s.strip_prefix(open) {
            if let Some(end) = rest.find(close) {
                if end <= 9 && rest[..end].chars().all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
                {
                    return rest[end + close.len_utf8()..].trim_start();
                }
            }
        }
    }
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    let lead: usize = s.chars().take_while(|c| numeral(*c)).map(char::len_utf8).sum();
    if lead > 0 {
        let rest = &s[lead..];
        for mark in [". ", ".", "．", "、", "是"] {
            if let Some(r) = rest.strip_prefix(mark) {
                return r.trim_start();
            }
        }
    }
    if let Some(c) = s.chars().next().filter(|c| ('①'..='⑳').contains(c)) {
        return s[c.len_utf8()..].trim_start();
    }
    s
}

/// The numbers printed as `{prefix}N分` (`扣0.5分`, `得4.5分`).
pub fn points_after(text: &str, prefix: &str) -> Vec<Decimal> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices(prefix) {
        let rest = &text[i + prefix.len()..];
        let num: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
        if !num.is_empty() && rest[num.len()..].starts_with('分') {
            if let Ok(n) = num.parse() {
                out.push(n);
            }
        }
    }
    out
}

/// An indicator as an item's statement is read against it.
pub struct Indicator {
    pub name: String,
    pub weight: Decimal,
    pub score: Option<Decimal>,
}

/// The indicators of a case, longest names first.
fn indicators(json: &Value) -> Vec<Indicator> {
    let mut out: Vec<Indicator> = json["score"]["indicators"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| {
            let name = i["name"].as_str()?.to_string();
            let weight = i["weight"].as_str()?.parse().ok()?;
            let score = i["score"].as_str().and_then(|s| s.parse().ok());
            Some(Indicator { name, weight, score })
        })
        .collect();
    out.sort_by_key(|i| std::cmp::Reverse(i.name.chars().count()));
    out
}

/// The indicator a block's text (or, for a row, its last such cell) starts with.
fn item_of<'a>(b: &Block, names: &'a [Indicator]) -> Option<&'a Indicator> {
    let starts = |t: &str| names.iter().find(|i| strip_enumerator(t).starts_with(i.name.as_str()));
    if b.is_row() {
        b.cells.iter().rev().find_map(|c| starts(c))
    } else {
        starts(&b.text)
    }
}

/// The tables whose header row names one of `columns`.
fn tables_with(docx: &Docx, columns: &[&str]) -> Vec<usize> {
    let mut out = Vec::new();
    for b in docx.blocks.iter().filter(|b| b.header) {
        if b.cells.iter().any(|c| columns.iter().any(|w| c.contains(w))) {
            out.extend(b.table);
        }
    }
    out
}

/// Tables of scoring rules (附件1's 评分办法), whose rows state rules, not findings.
fn rule_tables(docx: &Docx) -> Vec<usize> {
    tables_with(docx, &["评分办法", "评分标准"])
}

const FULL_MARKS: [&str; 3] = ["得满分", "符合满分标准", "达到满分标准"];

/// The scores an item's text states: full marks (the weight), each `得N分`,
/// and the result of each `得分=…=N分`.
fn stated_scores(text: &str, weight: Decimal) -> Vec<Decimal> {
    let mut out: Vec<Decimal> = text.matches("得满分").map(|_| weight).collect();
    out.extend(points_after(text, "得"));
    for (i, _) in text.match_indices("得分=") {
        let rest = &text[i + "得分=".len()..];
        let Some(end) = rest.find('分') else { continue };
        let chain = &rest[..end];
        if chain.chars().all(|c| c.is_ascii_digit() || ".%×÷/*+-()= ".contains(c)) {
            out.extend(chain.rsplit('=').next().and_then(|n| n.trim().parse::<Decimal>().ok()));
        }
    }
    out
}

/// The statement of an item starting at `i`: the block's text, and a
/// heading's the paragraphs under it up to the next item; with the index of
/// its last block.
fn statement(blocks: &[Block], i: usize, names: &[Indicator]) -> (String, usize) {
    let mut text = blocks[i].text.clone();
    let mut last = i;
    if blocks[i].is_heading() {
        let under = |n: &&Block| !n.is_heading() && !n.is_row() && item_of(n, names).is_none();
        for next in blocks[i + 1..].iter().take_while(under) {
            text.push('\n');
            text.push_str(&next.text);
            last = next.index;
        }
    }
    (text, last)
}

/// Class 1: in one indicator's statement (the paragraph or row that starts
/// with its name, a heading's with the paragraphs under it), full-marks
/// wording beside a deduction (`扣X分`, `得Y分` below the weight, `不得分`),
/// or the score said twice (full marks and a score, or the indicator's
/// score stated twice).
pub fn full_marks(docx: &Docx, json: &Value) -> Vec<Defect> {
    let names = indicators(json);
    let rules = rule_tables(docx);
    let mut out = Vec::new();
    let mut covered = None;
    for (i, b) in docx.blocks.iter().enumerate() {
        if covered.is_some_and(|c| i <= c) || b.region == Region::Toc || b.header {
            continue;
        }
        if b.table.is_some_and(|t| rules.contains(&t)) {
            continue;
        }
        let Some(ind) = item_of(b, &names) else { continue };
        let (text, last) = statement(&docx.blocks, i, &names);
        covered = Some(last);
        let full = FULL_MARKS.iter().map(|w| text.matches(w).count()).sum::<usize>();
        let scored = points_after(&text, "得");
        let deducted = points_after(&text, "扣").iter().any(|x| !x.is_zero());
        let below = scored.iter().any(|y| *y < ind.weight) || (text.contains("不得分") && !ind.weight.is_zero());
        let stated = stated_scores(&text, ind.weight);
        let twice = ind.score.is_some_and(|s| stated.iter().filter(|v| **v == s).count() >= 2);
        let why = if full > 0 && (deducted || below) {
            "满分措辞与扣分并存"
        } else if (full > 0 && stated.len() > 1) || twice {
            "得分说了两遍"
        } else {
            continue;
        };
        let (name, weight) = (&ind.name, ind.weight);
        out.push(defect(Class::FullMarks, docx, b, format!("{why}（{name}，{weight}分）：{text}")));
    }
    out
}

/// Class 2: every printed equation, anywhere in the document (the annexes'
/// 计算过程 too: a formula may stand there, but it must be true).
pub fn false_equations(docx: &Docx) -> Vec<Defect> {
    let mut out = Vec::new();
    for b in docx.blocks.iter().filter(|b| b.region != Region::Toc) {
        for (eq, why) in arith::false_equations(&b.text) {
            out.push(defect(Class::FalseEquation, docx, b, format!("{eq}：{why}")));
        }
    }
    out
}

/// The formula words of class 3.
const FORMULA_WORDS: [&str; 8] = ["得分=", "得分＝", "正向指标", "反向指标", "封顶", "×分值", "*分值", "满足“="];

/// `B/A` or `A/B` standing alone (not inside a longer Latin word).
fn ratio_letters(text: &str) -> Option<&'static str> {
    for pat in ["B/A", "A/B"] {
        for (i, _) in text.match_indices(pat) {
            let before = text[..i].chars().next_back();
            let after = text[i + pat.len()..].chars().next();
            if !before.is_some_and(|c| c.is_ascii_alphabetic()) && !after.is_some_and(|c| c.is_ascii_alphabetic()) {
                return Some(pat);
            }
        }
    }
    None
}

/// A threshold in the engine's form: `属于“…”档`, `“≤5”档`, `“<70”档`.
fn engine_threshold(text: &str) -> Option<String> {
    for (i, _) in text.match_indices("”档") {
        let open = text[..i].rfind('“')?;
        let inner = &text[open + '“'.len_utf8()..i];
        let engine = text[..open].ends_with("属于") || inner.starts_with(['≤', '≥', '<', '>', '=', '＜', '＞']);
        if engine {
            return Some(format!("“{inner}”档"));
        }
    }
    None
}

/// Class 3: formula text or a unit-less engine threshold in the report's
/// prose (front matter and chapters; the annexes, and a 得分表 whose
/// 得失分依据 is the 计算过程 wherever a kind places it, may hold formulas).
pub fn formula_text(docx: &Docx) -> Vec<Defect> {
    let scoring = tables_with(docx, &["得失分依据", "计算过程", "评分依据", "评分办法"]);
    let mut out = Vec::new();
    for b in docx.prose().filter(|b| !b.table.is_some_and(|t| scoring.contains(&t))) {
        let mut found: Vec<String> =
            FORMULA_WORDS.iter().filter(|w| b.text.contains(**w)).map(|w| w.to_string()).collect();
        found.extend(ratio_letters(&b.text).map(String::from));
        found.extend(engine_threshold(&b.text));
        if !found.is_empty() {
            out.push(defect(Class::FormulaText, docx, b, format!("{}：{}", found.join("、"), b.text)));
        }
    }
    out
}

/// A sentence as the repeat count compares it: without its enumerator and,
/// when it opens an item (`名称（3分）：…`), without that label.
fn normalised(sentence: &str) -> String {
    let s = strip_enumerator(sentence);
    let s = match s.find('：') {
        Some(i) if s[..i].ends_with("分）") && s[..i].chars().count() <= 40 => &s[i + '：'.len_utf8()..],
        _ => s,
    };
    s.trim().to_string()
}

/// Class 4: a sentence of 8 characters or more said three or more times in
/// the prose (annexes and table header rows aside; in a table cell only a
/// sentence a mark ends or a comma divides, not a name).
pub fn repeated(docx: &Docx) -> Vec<Defect> {
    let mut seen: BTreeMap<String, Vec<&Block>> = BTreeMap::new();
    for b in docx.prose() {
        let parts: Vec<&String> = if b.is_row() { b.cells.iter().collect() } else { vec![&b.text] };
        for part in parts {
            for (s, ended) in sentences(part) {
                let s = normalised(&s);
                let sentence_like = !b.is_row() || ended || s.contains('，');
                if s.chars().count() >= 8 && sentence_like {
                    seen.entry(s).or_default().push(b);
                }
            }
        }
    }
    let mut out = Vec::new();
    for (s, at) in seen.into_iter().filter(|(_, at)| at.len() >= 3) {
        let places: Vec<String> = at.iter().map(|b| format!("第{}", b.index + 1)).collect();
        let text = format!("“{s}”出现{}次（{}段/行）", at.len(), places.join("、"));
        out.push(defect(Class::Repeated, docx, at[0], text));
    }
    out
}

/// Words that make a sentence state a problem.
const NEGATIVE: [&str; 27] = [
    "未达到",
    "低于",
    "不足",
    "缺",
    "偏差",
    "问题",
    "差距",
    "滞后",
    "错误",
    "违",
    "不够",
    "不完",
    "不规范",
    "不合理",
    "不到位",
    "不清",
    "不明确",
    "不符",
    "未按",
    "未开展",
    "未制定",
    "未落实",
    "未建立",
    "未及时",
    "未填写",
    "未完成",
    "无法",
];

/// `超过` not as `未超过`/`不超过`: an excess, a problem.
fn exceeds(s: &str) -> bool {
    s.match_indices("超过").any(|(i, _)| !(s[..i].ends_with('未') || s[..i].ends_with('不')))
}

/// A compliance statement: `未超过…`, `不超过…`, `达到…目标/标准/要求/N%`.
fn complies(s: &str) -> bool {
    if s.contains("未超过") || s.contains("不超过") {
        return true;
    }
    s.match_indices("达到").any(|(i, _)| {
        let before = &s[..i];
        let after = &s[i + "达到".len()..];
        let negated = before.ends_with('未') || before.ends_with("没有") || before.ends_with('不');
        let clause = after.split(['，', ',']).next().unwrap_or("");
        let what = ["目标", "标准", "要求"].iter().any(|w| clause.contains(w))
            || clause.chars().next().is_some_and(|c| c.is_ascii_digit());
        !negated && what
    })
}

/// A sentence that is only a grade: `高质量发展等级为“良好”`.
fn bare_grade(s: &str) -> bool {
    let Some(i) = s.find("等级为“") else { return false };
    let rest = &s[i + "等级为“".len()..];
    let Some(close) = rest.find('”') else { return false };
    rest[close + '”'.len_utf8()..].trim().is_empty() && !s[..i].contains('，')
}

/// Class 5 on one 问题描述: each sentence that states compliance or a
/// score rather than a problem.
pub fn non_problem(place: &str, text: &str) -> Vec<Defect> {
    let mut why = Vec::new();
    for (s, _) in sentences(text) {
        let negative = NEGATIVE.iter().any(|n| s.contains(n)) || exceeds(&s);
        let reason = if s.contains("得满分") || s.contains("满分标准") {
            "满分措辞"
        } else if !points_after(&s, "扣").is_empty() || !points_after(&s, "得").is_empty() {
            "扣分/得分措辞"
        } else if bare_grade(&s) {
            "只有等级"
        } else if complies(&s) && !negative {
            "陈述达标"
        } else {
            continue;
        };
        why.push(format!("{reason}：“{s}”"));
    }
    if why.is_empty() {
        return Vec::new();
    }
    vec![Defect { class: Class::NonProblem, place: place.to_string(), text: why.join("；") }]
}

/// Class 5 on the DOCX's 问题清单 section (the rows under a heading naming
/// 问题清单, their 问题描述 column).
pub fn docx_problem_list(docx: &Docx) -> Vec<Defect> {
    let mut columns: BTreeMap<usize, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for b in docx.blocks.iter().filter(|b| b.is_row() && b.heading.contains("问题清单")) {
        let table = b.table.unwrap();
        if b.header {
            if let Some(c) = b.cells.iter().position(|c| c.contains("问题描述")) {
                columns.insert(table, c);
            }
            continue;
        }
        let Some(&col) = columns.get(&table) else { continue };
        let Some(text) = b.cells.get(col).or(b.cells.last()) else { continue };
        let place = if docx.name.is_empty() { b.place() } else { format!("{} {}", docx.name, b.place()) };
        out.extend(non_problem(&place, text));
    }
    out
}

/// The evaluator's words a self-evaluation must not hold (复核 in a job
/// title — 复核人, 复核岗 — is the department's own).
const THIRD_PARTY: [&str; 7] = ["我公司", "评价组", "评价机构", "自评报告称", "委托方", "自评报告“", "复核"];

/// Class 6: a third party's voice anywhere in a 自评 report.
pub fn third_party_voice(docx: &Docx) -> Vec<Defect> {
    let mut out = Vec::new();
    for b in docx.blocks.iter().filter(|b| b.region != Region::Toc) {
        let text = b.text.replace("复核人", "").replace("复核岗", "");
        let found: Vec<&str> = THIRD_PARTY.iter().copied().filter(|w| text.contains(w)).collect();
        if !found.is_empty() {
            out.push(defect(Class::ThirdPartyVoice, docx, b, format!("{}：{}", found.join("、"), b.text)));
        }
    }
    out
}

/// The evaluated unit's names, which the case's own workbooks give (a
/// synthesised case's 示例市… is its input, not a placeholder jixiao wrote).
pub fn unit_names(json: &Value) -> Vec<String> {
    let mut out: Vec<String> = [&json["case"]["object"], &json["case"]["short"], &json["project"]["name"]]
        .iter()
        .filter_map(|v| v.as_str().map(String::from))
        .filter(|s| !s.is_empty())
        .collect();
    out.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    out
}

const PLACEHOLDERS: [&str; 8] = ["示例", "某某", "某会计师事务所", "XXX", "×××", "测试单位", "张三", "李四"];

/// `某…公司`, `某…事务所`, `某…机构`, `某…单位` within a few characters.
fn some_firm(text: &str) -> Option<String> {
    for (i, _) in text.match_indices('某') {
        let rest: String = text[i..].chars().take(10).collect();
        for end in ["公司", "事务所", "机构", "单位"] {
            if let Some(j) = rest.find(end) {
                return Some(rest[..j + end.len()].to_string());
            }
        }
    }
    None
}

/// Class 8: a placeholder name anywhere (cover, 撰写说明, team tables, …),
/// the unit's own names aside.
pub fn placeholders(docx: &Docx, units: &[String]) -> Vec<Defect> {
    let mut units = units.to_vec();
    units.sort_by_key(|u| std::cmp::Reverse(u.chars().count()));
    let mut out = Vec::new();
    for b in docx.blocks.iter().filter(|b| b.region != Region::Toc) {
        let mut text = b.text.clone();
        for u in &units {
            text = text.replace(u.as_str(), "");
        }
        let mut found: Vec<String> =
            PLACEHOLDERS.iter().filter(|p| text.contains(**p)).map(|p| p.to_string()).collect();
        found.extend(some_firm(&text).filter(|f| !found.iter().any(|p| f.contains(p.as_str()))));
        if !found.is_empty() {
            out.push(defect(Class::Placeholder, docx, b, format!("{}：{}", found.join("、"), b.text)));
        }
    }
    out
}

/// Whether `settings.xml` asks Word to update the fields on opening.
pub fn asks_update(settings: &str) -> bool {
    let Some(i) = settings.find("<w:updateFields") else { return false };
    let tag = &settings[i..settings[i..].find('>').map(|j| i + j).unwrap_or(settings.len())];
    !["\"false\"", "\"0\"", "\"off\""].iter().any(|v| tag.contains(v))
}

/// Class 9: `w:updateFields` in a report whose 目录 numbers are all filled,
/// or which has no 目录 (Word would ask to update for nothing).
pub fn update_fields(docx: &Docx) -> Vec<Defect> {
    if !asks_update(&docx.settings) {
        return Vec::new();
    }
    let toc: Vec<&Block> = docx.blocks.iter().filter(|b| b.region == Region::Toc).collect();
    let numbered = |b: &&Block| {
        b.text.rsplit('\t').next().is_some_and(|n| !n.trim().is_empty() && n.trim().chars().all(|c| c.is_ascii_digit()))
    };
    let why = if toc.is_empty() {
        "报告没有目录"
    } else if toc.iter().all(numbered) {
        "目录页码已填"
    } else {
        return Vec::new();
    };
    let place = if docx.name.is_empty() { "settings.xml".to_string() } else { format!("{} settings.xml", docx.name) };
    vec![Defect { class: Class::UpdateFields, place, text: format!("w:updateFields 打开，而{why}") }]
}
