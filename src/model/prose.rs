//! Typed text as the report prints it: straight double quotes of Chinese
//! text as Chinese pairs ([`chinese_quotes`]), a list typed into one cell
//! cut at its own numbering ([`numbered_items`]). Neither reads what a
//! sentence says: only quote marks and item numbers.

use std::borrow::Cow;

/// A Chinese character or Chinese punctuation (CJK ideographs, the CJK
/// symbols `、。「」`, the full-width forms `（），：`).
fn is_chinese(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}' | '“' | '”')
}

/// Straight double quotes as Chinese pairs where the text is Chinese:
/// `"三公经费"控制率` → `“三公经费”控制率`. The quotes pair left to right; a
/// pair changes when what it quotes, or the character just outside it, is
/// Chinese. English (`the "OK" button`) and an unpaired quote stay as typed.
///
/// ```
/// use jixiao::model::prose::chinese_quotes;
/// assert_eq!(chinese_quotes("\"三公经费\"控制率"), "“三公经费”控制率");
/// assert_eq!(chinese_quotes("按\"A\"档计"), "按“A”档计");
/// assert_eq!(chinese_quotes("the \"OK\" button"), "the \"OK\" button");
/// assert_eq!(chinese_quotes("12\" 显示器"), "12\" 显示器");
/// ```
pub fn chinese_quotes(text: &str) -> Cow<'_, str> {
    let quotes: Vec<usize> = text.match_indices('"').map(|(i, _)| i).collect();
    if quotes.len() < 2 {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + quotes.len() * 2);
    let mut from = 0;
    for pair in quotes.chunks_exact(2) {
        let (open, close) = (pair[0], pair[1]);
        let before = text[..open].chars().next_back();
        let after = text[close + 1..].chars().next();
        let chinese = text[open + 1..close].chars().any(is_chinese)
            || before.is_some_and(is_chinese)
            || after.is_some_and(is_chinese);
        if chinese {
            out.push_str(&text[from..open]);
            out.push('“');
            out.push_str(&text[open + 1..close]);
            out.push('”');
            from = close + 1;
        }
    }
    if from == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[from..]);
    Cow::Owned(out)
}

/// How an item number is written: `（一）` / `(1)`, `一、` / `1、`, `1.`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Bracketed,
    Comma,
    Dot,
}

/// An item number found in the text: where it starts, its form, whether
/// in Chinese numerals, its value.
#[derive(Debug, Clone, Copy)]
struct Number {
    at: usize,
    form: Form,
    chinese: bool,
    value: u32,
}

/// `一` … `九十九` → 1 … 99.
fn chinese_value(s: &str) -> Option<u32> {
    const D: &str = "零一二三四五六七八九";
    let digit = |c: char| D.chars().position(|d| d == c).map(|p| p as u32);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d).filter(|v| *v > 0),
        ['十', d] => digit(*d).filter(|v| *v > 0).map(|v| 10 + v),
        [t, '十'] => digit(*t).filter(|v| *v > 1).map(|v| v * 10),
        [t, '十', d] => Some(digit(*t).filter(|v| *v > 1)? * 10 + digit(*d).filter(|v| *v > 0)?),
        _ => None,
    }
}

/// The numeral at the start of `s`: (value, Chinese, its length in bytes).
fn numeral(s: &str) -> Option<(u32, bool, usize)> {
    let arabic = s.chars().take_while(char::is_ascii_digit).count();
    if (1..=2).contains(&arabic) {
        return s[..arabic].parse().ok().filter(|v| *v > 0).map(|v| (v, false, arabic));
    }
    let len: usize = s.chars().take_while(|c| "一二三四五六七八九十".contains(*c)).map(char::len_utf8).sum();
    chinese_value(&s[..len]).map(|v| (v, true, len))
}

/// The item number at the start of `s`, if `s` starts with one.
fn number_at(s: &str, at: usize) -> Option<Number> {
    let bracketed = s.strip_prefix('(').or_else(|| s.strip_prefix('（'));
    if let Some(inner) = bracketed {
        let (value, chinese, len) = numeral(inner)?;
        let closed = inner[len..].starts_with(')') || inner[len..].starts_with('）');
        return closed.then_some(Number { at, form: Form::Bracketed, chinese, value });
    }
    let (value, chinese, len) = numeral(s)?;
    let rest = &s[len..];
    if rest.starts_with('、') {
        return Some(Number { at, form: Form::Comma, chinese, value });
    }
    let dotted = rest.strip_prefix('.').or_else(|| rest.strip_prefix('．'));
    let decimal = dotted.and_then(|r| r.chars().next()).is_some_and(|c| c.is_ascii_digit());
    (dotted.is_some() && !chinese && !decimal).then_some(Number { at, form: Form::Dot, chinese, value })
}

/// Where an item may start: at the text's start or after a sentence's end,
/// a colon or white space (a line break typed in the cell included).
fn starts_item(before: Option<char>) -> bool {
    before.is_none_or(|c| c.is_whitespace() || "。；;！!？?：:".contains(c))
}

/// A list typed into one text, cut at its own numbering: `（一）甲。（二）乙。`
/// → `[“（一）甲。”, “（二）乙。”]`; text before the first item is a first
/// paragraph of its own. The list is the numbering that starts at 1 (`（一）`,
/// `(1)`, `一、`, `1、`, `1.`; ASCII and full-width brackets alike) and counts
/// up by one, each number at the start of the text or after `。；：`, `!?`
/// or white space; numbers of another form (a list inside an item) stay in
/// their item. Text without two such items is one paragraph.
///
/// ```
/// use jixiao::model::prose::numbered_items;
/// assert_eq!(numbered_items("职责如下：（一）拟订政策。(二)组织实施。"), ["职责如下：", "（一）拟订政策。", "(二)组织实施。"]);
/// assert_eq!(numbered_items("（一）甲：1.子项；2.子项。（二）乙。"), ["（一）甲：1.子项；2.子项。", "（二）乙。"]);
/// assert_eq!(numbered_items("得分为1.5分。"), ["得分为1.5分。"]);
/// assert_eq!(numbered_items("第1、2季度"), ["第1、2季度"]);
/// ```
pub fn numbered_items(text: &str) -> Vec<String> {
    let mut numbers = Vec::new();
    let mut before = None;
    for (i, c) in text.char_indices() {
        if starts_item(before) {
            numbers.extend(number_at(&text[i..], i));
        }
        before = Some(c);
    }
    let Some(first) = numbers.iter().position(|n| n.value == 1) else { return whole(text) };
    let list = numbers[first];
    let mut starts = vec![list.at];
    for n in &numbers[first + 1..] {
        if n.form == list.form && n.chinese == list.chinese && n.value as usize == starts.len() + 1 {
            starts.push(n.at);
        }
    }
    if starts.len() < 2 {
        return whole(text);
    }
    let mut cuts = vec![0];
    cuts.extend(&starts);
    cuts.push(text.len());
    cuts.windows(2).map(|w| text[w[0]..w[1]].trim()).filter(|p| !p.is_empty()).map(String::from).collect()
}

fn whole(text: &str) -> Vec<String> {
    let t = text.trim();
    if t.is_empty() {
        Vec::new()
    } else {
        vec![t.to_string()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_pair_left_to_right() {
        assert_eq!(chinese_quotes("\"三公\"经费和\"两费\""), "“三公”经费和“两费”");
        assert_eq!(chinese_quotes("未闭合的\"引号"), "未闭合的\"引号");
        assert_eq!(chinese_quotes("\"A\" and \"B\"档"), "\"A\" and “B”档");
        assert_eq!(chinese_quotes("无引号"), "无引号");
        assert!(matches!(chinese_quotes("say \"hi\""), Cow::Borrowed(_)));
    }

    #[test]
    fn a_list_is_cut_at_its_numbers() {
        let duties = "（一）贯彻落实政策。（二）拟订办法，并组织实施。（三）落实标准。(四)负责经办。";
        assert_eq!(
            numbered_items(duties),
            ["（一）贯彻落实政策。", "（二）拟订办法，并组织实施。", "（三）落实标准。", "(四)负责经办。"]
        );
        // A typed line break before an item is where it starts.
        assert_eq!(numbered_items("1、甲\u{2028}2、乙"), ["1、甲", "2、乙"]);
        // Out of order or not at a sentence's start: not an item.
        assert_eq!(numbered_items("（一）甲。（三）丙。"), ["（一）甲。（三）丙。"]);
        assert_eq!(numbered_items("见附件(1)和附件(2)。"), ["见附件(1)和附件(2)。"]);
        // A nested list of another form stays in its item; a later 1 of the same form is not a new list.
        assert_eq!(
            numbered_items("本次评价分三个阶段。(1) 前期准备：1、方案；2、座谈。（2）组织实施。(3) 撰写报告。"),
            ["本次评价分三个阶段。", "(1) 前期准备：1、方案；2、座谈。", "（2）组织实施。", "(3) 撰写报告。"]
        );
        assert_eq!(numbered_items("（十）甲。（十一）乙。"), ["（十）甲。（十一）乙。"]);
        assert_eq!(chinese_value("二十一"), Some(21));
        assert_eq!(chinese_value("十二"), Some(12));
        assert_eq!(chinese_value("零"), None);
        assert_eq!(numbered_items("  "), Vec::<String>::new());
    }
}
