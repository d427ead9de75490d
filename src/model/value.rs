//! Cell values as the department wrote them: amounts, percentages, "not
//! applicable", text — and the text normalisation every parser shares.
//!
//! ```
//! use jixiao::model::value::{parse_number_text, NumberText};
//! use rust_decimal_macros::dec;
//! assert_eq!(parse_number_text("12,847.65"), NumberText::Number(dec!(12847.65)));
//! assert_eq!(parse_number_text("1, 547. 33"), NumberText::Number(dec!(1547.33)));
//! assert_eq!(parse_number_text("１２．５"), NumberText::Number(dec!(12.5)));
//! assert_eq!(parse_number_text("99.99%"), NumberText::Percent(dec!(0.9999)));
//! assert_eq!(parse_number_text("——"), NumberText::NotApplicable);
//! assert_eq!(parse_number_text("12O.5"), NumberText::Invalid);
//! ```

use rust_decimal::prelude::*;
use serde::Serialize;

use super::Provenance;

/// One cell of a table, read by meaning.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum CellValue {
    /// Nothing written (or `-`, which exports use for zero).
    Empty,
    /// An amount or count. Amounts are 万元 unless the table says otherwise.
    #[serde(with = "rust_decimal::serde::str")]
    Number(Decimal),
    /// A percentage as a fraction (`99.99%` → 0.9999).
    #[serde(with = "rust_decimal::serde::str")]
    Percent(Decimal),
    /// `——`: not applicable.
    NotApplicable,
    /// Text.
    Text(String),
}

impl CellValue {
    /// The number, counting empty and not-applicable cells as zero.
    pub fn amount_or_zero(&self) -> Decimal {
        match self {
            CellValue::Number(d) | CellValue::Percent(d) => *d,
            _ => Decimal::ZERO,
        }
    }

    /// The number if one was written.
    pub fn number(&self) -> Option<Decimal> {
        match self {
            CellValue::Number(d) | CellValue::Percent(d) => Some(*d),
            _ => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, CellValue::Empty | CellValue::NotApplicable)
    }

    pub fn text(&self) -> Option<&str> {
        match self {
            CellValue::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// A value with the cell it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Value {
    #[serde(flatten)]
    pub value: CellValue,
    pub at: Provenance,
}

/// What a piece of text means when read as a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberText {
    Empty,
    NotApplicable,
    Number(Decimal),
    Percent(Decimal),
    /// Looks like it was meant to be a number but is not one (`12O.5`).
    Invalid,
    /// Ordinary text.
    Text,
}

/// Map full-width ASCII variants (digits, letters, punctuation, the
/// ideographic space) to their ASCII forms. Chinese characters are untouched.
pub fn to_half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '。' => '.',
            _ => c,
        })
        .collect()
}

/// A label normalised for matching: half-width, no white space of any kind,
/// Chinese quotes and brackets folded (`“三公”` → `"三公"`, `（境）` → `(境)`).
pub fn normalize_label(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}' && *c != '\u{00A0}')
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '“' | '”' => '"',
            '‘' | '’' => '\'',
            '【' | '〔' => '[',
            '】' | '〕' => ']',
            _ => c,
        })
        .collect()
}

/// Read text as a number the way a person would: thousands separators, stray
/// spaces, full-width digits, `%`, brackets for negatives, `-` for zero,
/// `——` for not applicable.
pub fn parse_number_text(raw: &str) -> NumberText {
    let s: String = to_half_width(raw).chars().filter(|c| !c.is_whitespace() && *c != '\u{00A0}').collect();
    if s.is_empty() {
        return NumberText::Empty;
    }
    if s.chars().all(|c| matches!(c, '—' | '─' | '–' | '－')) || s == "--" {
        return NumberText::NotApplicable;
    }
    if s == "-" || s == "/" || s == "\\" {
        return NumberText::Empty;
    }
    let (body, percent) = match s.strip_suffix('%') {
        Some(b) => (b, true),
        None => (s.as_str(), false),
    };
    let (body, negative) = if let Some(inner) = body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        (inner, true)
    } else if let Some(inner) = body.strip_prefix('-') {
        (inner, true)
    } else {
        (body.strip_prefix('+').unwrap_or(body), false)
    };
    let cleaned: String = body.chars().filter(|c| *c != ',').collect();
    let valid = !cleaned.is_empty()
        && cleaned.chars().all(|c| c.is_ascii_digit() || c == '.')
        && cleaned.chars().filter(|c| *c == '.').count() <= 1
        && cleaned.chars().any(|c| c.is_ascii_digit());
    if valid {
        if let Ok(mut d) = Decimal::from_str(&cleaned) {
            if negative {
                d = -d;
            }
            return if percent {
                NumberText::Percent((d / Decimal::ONE_HUNDRED).normalize())
            } else {
                NumberText::Number(d)
            };
        }
    }
    // Mostly digits with a stray letter or symbol: a typo in a number cell.
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
    let cjk = s.chars().filter(|c| (*c as u32) >= 0x2E80).count();
    let letters = s.chars().filter(|c| c.is_ascii_alphabetic()).count();
    if digits > 0 && cjk == 0 && digits >= letters * 2 && s.len() <= 24 {
        return NumberText::Invalid;
    }
    NumberText::Text
}

/// A float from a numeric cell as the decimal a person typed: the shortest
/// representation that round-trips (`12847.65`, not `12847.6499999…`),
/// with float noise from formulas (`1547.3300000000002`) rounded away.
pub fn decimal_from_f64(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    let d = Decimal::from_str(&format!("{f}")).ok().or_else(|| Decimal::from_f64(f))?;
    Some(d.round_dp(9).normalize())
}

/// An amount as the tables print it: half-up to 2 decimals with thousands
/// separators (`12,847.65`, `-0.01`).
pub fn fmt_amount(d: Decimal) -> String {
    let r = round2(d);
    let s = format!("{:.2}", r.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{}{grouped}.{frac}", if r.is_sign_negative() && !r.is_zero() { "-" } else { "" })
}

/// A number without trailing zeros, rounded half-up to 2 decimals (`12.5`, `10`, `12.55`).
pub fn fmt_number(d: Decimal) -> String {
    round2(d).normalize().to_string()
}

/// A score that may not be known yet (an indicator waiting for inputs):
/// the number, or `待填`.
pub fn fmt_score(d: Option<Decimal>) -> String {
    d.map(fmt_number).unwrap_or_else(|| "待填".into())
}

/// An input figure as a formula shows it: whole numbers plainly (`56710`),
/// others with at least 2 decimals and no precision lost (`5442.70`,
/// `1268.369`).
pub fn fmt_input(d: Decimal) -> String {
    let d = d.normalize();
    if d.scale() == 0 {
        d.to_string()
    } else if d.scale() < 2 {
        format!("{d:.2}")
    } else {
        d.to_string()
    }
}

/// A percentage with 2 decimals (`72.00`, `91.67`).
pub fn fmt_rate(d: Decimal) -> String {
    format!("{:.2}", round2(d))
}

/// Half-up rounding to 2 decimals, as Chinese finance rounds.
/// `text` trimmed and ending with `。` (empty stays empty).
pub fn end_sentence(text: &str) -> String {
    let t = text.trim();
    if t.is_empty() || t.ends_with('。') {
        t.to_string()
    } else {
        format!("{t}。")
    }
}

pub fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// A score, points or a rate as tables and the JSON carry it: rounded to
/// and written with exactly two decimals (`4.5` → `4.50`, `29` → `29.00`).
pub fn fixed2(d: Decimal) -> Decimal {
    let mut d = round2(d);
    d.rescale(2);
    d
}

/// [`fixed2`] as text: `4.50`, `29.00`.
pub fn fmt_points(d: Decimal) -> String {
    fixed2(d).to_string()
}

/// A line break inside a cell's text, as the model keeps it: U+2028 LINE
/// SEPARATOR, so that a text never splits the report's line-based template
/// output into blocks (a line starting with `#` or `@` in a finding cannot
/// become a heading or a directive). The DOCX writer makes it a `w:br`, the
/// XLSX writer a newline.
pub const LINE_BREAK: char = '\u{2028}';

/// Is `c` allowed in XML 1.0 text?
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// A cell's text made safe at the model boundary (calamine has already
/// decoded Excel's `_xHHHH_` escapes: `_x000B_`, a line break pasted from
/// Word, arrives as U+000B): line breaks (`\r\n`, `\r`, `\n`, vertical tab, form feed)
/// kept as [`LINE_BREAK`], tabs as spaces, and every other character XML
/// cannot hold dropped. Returns the text and how many were dropped.
///
/// ```
/// use jixiao::model::value::{clean_text, LINE_BREAK};
/// let (t, dropped) = clean_text("原始凭证不完整\u{B}如：\u{1}记账凭证\r\n缺少名单");
/// assert_eq!(t, format!("原始凭证不完整{LINE_BREAK}如：记账凭证{LINE_BREAK}缺少名单"));
/// assert_eq!(dropped, 1);
/// assert_eq!(clean_text("普通文字").0, "普通文字");
/// ```
pub fn clean_text(s: &str) -> (String, usize) {
    if s.chars().all(|c| c >= ' ' && c != '\u{7F}' && is_xml_char(c)) {
        return (s.to_string(), 0);
    }
    let mut out = String::with_capacity(s.len());
    let mut dropped = 0;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(LINE_BREAK);
            }
            '\n' | '\u{B}' | '\u{C}' => out.push(LINE_BREAK),
            '\t' => out.push(' '),
            c if c < ' ' || c == '\u{7F}' || !is_xml_char(c) => dropped += 1,
            c => out.push(c),
        }
    }
    (out, dropped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn numbers_as_people_write_them() {
        use NumberText::*;
        assert_eq!(parse_number_text("12,847.65"), Number(dec!(12847.65)));
        assert_eq!(parse_number_text(" 88.5 "), Number(dec!(88.5)));
        assert_eq!(parse_number_text("1, 547. 33"), Number(dec!(1547.33)));
        assert_eq!(parse_number_text("（1,234.50）"), Number(dec!(-1234.50)));
        assert_eq!(parse_number_text("-3.5"), Number(dec!(-3.5)));
        assert_eq!(parse_number_text("0.00"), Number(dec!(0)));
        assert_eq!(parse_number_text("100%"), Percent(dec!(1)));
        assert_eq!(parse_number_text("12.5%"), Percent(dec!(0.125)));
        assert_eq!(parse_number_text("０．９６７２"), Number(dec!(0.9672)));
        assert_eq!(parse_number_text("-"), Empty);
        assert_eq!(parse_number_text(""), Empty);
        assert_eq!(parse_number_text("——"), NotApplicable);
        assert_eq!(parse_number_text("12O.5"), Invalid);
        assert_eq!(parse_number_text("1.2.3"), Invalid);
        assert_eq!(parse_number_text("合计"), Text);
        assert_eq!(parse_number_text("≥95%"), Invalid);
    }

    #[test]
    fn floats_keep_what_was_typed() {
        assert_eq!(decimal_from_f64(12847.65), Some(dec!(12847.65)));
        assert_eq!(decimal_from_f64(1547.3300000000002), Some(dec!(1547.33)));
        assert_eq!(decimal_from_f64(0.9999), Some(dec!(0.9999)));
        assert_eq!(decimal_from_f64(5.0), Some(dec!(5)));
        assert_eq!(decimal_from_f64(f64::NAN), None);
    }

    #[test]
    fn amounts_print_like_the_tables() {
        assert_eq!(fmt_amount(dec!(12847.65)), "12,847.65");
        assert_eq!(fmt_amount(dec!(1547.325)), "1,547.33");
        assert_eq!(fmt_amount(dec!(0)), "0.00");
        assert_eq!(fmt_amount(dec!(-0.01)), "-0.01");
        assert_eq!(fmt_amount(dec!(123456789)), "123,456,789.00");
        assert_eq!(fmt_number(dec!(12.5000)), "12.5");
        assert_eq!(fmt_number(dec!(12.546)), "12.55");
        assert_eq!(fmt_input(dec!(5442.7)), "5442.70");
        assert_eq!(fmt_input(dec!(1268.369)), "1268.369");
        assert_eq!(fmt_input(dec!(56710)), "56710");
        assert_eq!(fmt_input(dec!(81.40)), "81.40");
        assert_eq!(fmt_rate(dec!(72)), "72.00");
    }

    #[test]
    fn half_up() {
        assert_eq!(round2(dec!(0.675)), dec!(0.68));
        assert_eq!(round2(dec!(2.345)), dec!(2.35));
        assert_eq!(round2(dec!(2.9016)), dec!(2.90));
    }

    #[test]
    fn labels() {
        assert_eq!(normalize_label("合 计"), "合计");
        assert_eq!(normalize_label("因公出国（境）费"), "因公出国(境)费");
        assert_eq!(normalize_label("“三公”经费"), "\"三公\"经费");
    }
}
