//! The numbers of a typed text: amounts (元 / 千元 / 万元 / 亿元, held in
//! 万元) and percentages, each with where it sits and how precisely it was
//! written. Digits may be full-width (`１２８４７．６５`), amounts may carry
//! thousands separators (`12,847.65`); a number without one of those units
//! (a year, a count, a document number) is not read.

use std::str::FromStr;

use rust_decimal::Decimal;

/// The most numbers read from one text: a text is a cell (at most 32,767
/// characters), and each number costs a bounded look back.
pub(crate) const MAX_NUMBERS: usize = 400;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// Money, in 万元.
    Amount,
    /// A percentage (`31.13%` → 31.13).
    Percent,
}

/// A number with its unit, as typed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Number {
    /// Where it starts (its sign or first digit) and ends (after its unit), in characters.
    pub start: usize,
    pub end: usize,
    /// In 万元, or in % for a percentage.
    pub value: Decimal,
    /// One unit of the last digit written, in the same unit (`1.28亿元` → 100).
    pub precision: Decimal,
    pub unit: Unit,
    /// The unit as written (`万元`, `元`, `%`).
    pub word: &'static str,
    /// Written with a sign (`-31.13%`).
    pub signed: bool,
}

/// The text as characters, full-width digits, point, percent sign and
/// minus folded to ASCII (one character for one: positions are kept). A
/// full-width comma is a thousands separator only between full-width digits.
pub(crate) fn fold(text: &str) -> Vec<char> {
    let raw: Vec<char> = text.chars().collect();
    let wide_digit = |c: char| ('０'..='９').contains(&c);
    (0..raw.len())
        .map(|i| match raw[i] {
            c @ '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '．' => '.',
            '％' => '%',
            '－' | '−' => '-',
            '，' if i > 0 && wide_digit(raw[i - 1]) && raw.get(i + 1).copied().is_some_and(wide_digit) => ',',
            c => c,
        })
        .collect()
}

/// The units after a number: text, factor to 万元 (None: a percentage).
const UNITS: &[(&str, Option<(i64, u32)>)] =
    &[("亿元", Some((10_000, 0))), ("万元", Some((1, 0))), ("千元", Some((1, 1))), ("元", Some((1, 4))), ("%", None)];

/// Does `chars[at..]` start with `word`?
pub(crate) fn starts_with(chars: &[char], at: usize, word: &str) -> bool {
    (at..).zip(word.chars()).all(|(i, w)| chars.get(i) == Some(&w))
}

/// The digits of a number starting at `i`: (end, digits without separators, decimals written).
fn digits(chars: &[char], mut i: usize) -> (usize, String, u32) {
    let mut s = String::new();
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            s.push(c);
            i += 1;
        } else if c == ','
            && (1..=3).all(|k| chars.get(i + k).is_some_and(char::is_ascii_digit))
            && !chars.get(i + 4).is_some_and(char::is_ascii_digit)
        {
            i += 1;
        } else {
            break;
        }
    }
    let mut scale = 0;
    if chars.get(i) == Some(&'.') && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
        s.push('.');
        i += 1;
        while i < chars.len() && chars[i].is_ascii_digit() && scale < 12 {
            s.push(chars[i]);
            scale += 1;
            i += 1;
        }
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
    }
    (i, s, scale)
}

/// Every amount and percentage of the (folded) text, at most [`MAX_NUMBERS`].
pub(crate) fn numbers(chars: &[char]) -> Vec<Number> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() && out.len() < MAX_NUMBERS {
        let c = chars[i];
        let glued = i > 0 && (chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '.' || chars[i - 1] == '_');
        if !c.is_ascii_digit() || glued {
            i += 1;
            continue;
        }
        let (end, text, scale) = digits(chars, i);
        let mut u = end;
        while chars.get(u) == Some(&' ') {
            u += 1;
        }
        let unit = UNITS.iter().find(|(w, _)| starts_with(chars, u, w));
        let (Some((word, factor)), Ok(n)) = (unit, Decimal::from_str(&text)) else {
            i = end.max(i + 1);
            continue;
        };
        let signed =
            i > 0 && chars[i - 1] == '-' && !(i > 1 && (chars[i - 2].is_ascii_alphanumeric() || chars[i - 2] == '-'));
        let step = Decimal::new(1, scale);
        let (value, precision, unit) = match factor {
            Some((mul, div)) => {
                let f = Decimal::new(*mul, *div);
                (n * f, step * f, Unit::Amount)
            }
            None => (n, step, Unit::Percent),
        };
        out.push(Number {
            start: if signed { i - 1 } else { i },
            end: u + word.chars().count(),
            value: if signed { -value } else { value },
            precision,
            unit,
            word,
            signed,
        });
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn read(text: &str) -> Vec<(Decimal, Decimal, Unit)> {
        numbers(&fold(text)).into_iter().map(|n| (n.value, n.precision, n.unit)).collect()
    }

    #[test]
    fn amounts_are_held_in_wan_yuan_with_the_precision_written() {
        assert_eq!(
            read("年初预算12,847.65万元，合计2700元，约1.28亿元，3.5千元"),
            vec![
                (dec!(12847.65), dec!(0.01), Unit::Amount),
                (dec!(0.27), dec!(0.0001), Unit::Amount),
                (dec!(12800), dec!(100), Unit::Amount),
                (dec!(0.35), dec!(0.01), Unit::Amount),
            ]
        );
    }

    #[test]
    fn full_width_digits_signs_and_percentages() {
        assert_eq!(
            read("全年预算数８，８４８．１９万元，差异率－31.13％，执行率100%"),
            vec![
                (dec!(8848.19), dec!(0.01), Unit::Amount),
                (dec!(-31.13), dec!(0.01), Unit::Percent),
                (dec!(100), dec!(1), Unit::Percent),
            ]
        );
        // A full-width comma between ASCII digits ends a clause; so does an ASCII one before four digits.
        assert_eq!(read("共3，100万元"), vec![(dec!(100), dec!(1), Unit::Amount)]);
        assert_eq!(read("1,2345万元"), vec![(dec!(2345), dec!(1), Unit::Amount)]);
    }

    #[test]
    fn years_counts_and_codes_are_not_read() {
        assert!(read("2024年12月31日，共411次，凭证jz-02-0001号，资产编号2015000001，58851条").is_empty());
        // A hyphen inside a code is no minus sign.
        assert_eq!(read("项目A-5万元")[0].0, dec!(5));
    }

    #[test]
    fn a_long_text_is_read_in_bounded_work() {
        let text = "1万元、".repeat(5_000);
        assert_eq!(numbers(&fold(&text)).len(), MAX_NUMBERS);
    }
}
