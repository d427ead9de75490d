//! The equations a 得失分依据 prints (`得分=96.72%×3分=2.9分`,
//! `实际完成值96%/年度指标值95%×6.67分=6.74分`), read back and computed: each
//! side must equal the last within the rounding it shows.

use rust_decimal::Decimal;

/// An equation found in a text: its sides, as printed (words and units
/// dropped), and what each computes to.
#[derive(Debug)]
pub struct Equation {
    pub text: String,
    pub sides: Vec<String>,
}

/// The clauses of `text` holding `=`, split into their sides. A first side
/// with no operator is a name (`得分`, `60岁以上城乡居民参保率`), not a value.
pub fn equations(text: &str) -> Vec<Equation> {
    let mut out = Vec::new();
    for clause in text.split(['，', '；', '。', '：', '（', '）', '\n']) {
        if !clause.contains('=') {
            continue;
        }
        let mut sides: Vec<String> = clause.split('=').map(math_only).collect();
        if sides.first().is_some_and(|s| !s.chars().any(|c| "+-×÷/*|".contains(c))) {
            sides.remove(0);
        }
        if sides.len() >= 2 {
            out.push(Equation { text: clause.to_string(), sides });
        }
    }
    out
}

fn math_only(side: &str) -> String {
    side.chars().filter(|c| "0123456789.%+-×÷/*()|".contains(*c)).collect()
}

/// The equations of `text` that are false, each with why.
pub fn false_equations(text: &str) -> Vec<String> {
    let mut wrong = Vec::new();
    for e in equations(text) {
        let last = e.sides.last().unwrap();
        let Some(result) = eval(last) else {
            wrong.push(format!("“{}”: cannot read “{last}”", e.text));
            continue;
        };
        let tolerance = tolerance(last);
        for side in &e.sides[..e.sides.len() - 1] {
            match eval(side) {
                Some(v) if (v - result).abs() <= tolerance => {}
                Some(v) => wrong.push(format!("“{}”: {side} is {v}, not {result}", e.text)),
                None => wrong.push(format!("“{}”: “{side}” cannot be computed (a divisor of 0?)", e.text)),
            }
        }
    }
    wrong
}

/// Half a unit of the last digit shown, at 2 decimals at least (a score
/// `2.9` is 2.90 with its 0 dropped), in the side's scale (a `%` is 1/100),
/// and a little over for the rounding of the figures put in.
fn tolerance(side: &str) -> Decimal {
    let decimals = side.split('.').nth(1).map(|d| d.chars().take_while(char::is_ascii_digit).count()).unwrap_or(0);
    let scale = if side.ends_with('%') { Decimal::new(1, 2) } else { Decimal::ONE };
    Decimal::new(6, decimals.max(2) as u32 + 1) * scale
}

/// `a+b-c×d/e`, `(…)`, `|…|`, `-x`, `x%` (x/100).
pub fn eval(side: &str) -> Option<Decimal> {
    let chars: Vec<char> = side.chars().collect();
    let mut p = Parser { chars: &chars, at: 0 };
    let v = p.expr()?;
    (p.at == chars.len()).then_some(v)
}

struct Parser<'a> {
    chars: &'a [char],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn expr(&mut self) -> Option<Decimal> {
        let mut v = self.term()?;
        while let Some(op @ ('+' | '-')) = self.peek() {
            self.at += 1;
            let r = self.term()?;
            v = if op == '+' { v + r } else { v - r };
        }
        Some(v)
    }

    fn term(&mut self) -> Option<Decimal> {
        let mut v = self.factor()?;
        while let Some(op @ ('×' | '*' | '/' | '÷')) = self.peek() {
            self.at += 1;
            let r = self.factor()?;
            v = if matches!(op, '×' | '*') { v * r } else { v.checked_div(r)? };
        }
        Some(v)
    }

    fn factor(&mut self) -> Option<Decimal> {
        match self.peek()? {
            '-' => {
                self.at += 1;
                Some(-self.factor()?)
            }
            open @ ('(' | '|') => {
                self.at += 1;
                let v = self.expr()?;
                let close = if open == '(' { ')' } else { '|' };
                (self.peek()? == close).then_some(())?;
                self.at += 1;
                Some(if open == '|' { v.abs() } else { v })
            }
            _ => {
                let start = self.at;
                while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '.') {
                    self.at += 1;
                }
                let v: Decimal = self.chars[start..self.at].iter().collect::<String>().parse().ok()?;
                if self.peek() == Some('%') {
                    self.at += 1;
                    return Some(v / Decimal::ONE_HUNDRED);
                }
                Some(v)
            }
        }
    }
}
