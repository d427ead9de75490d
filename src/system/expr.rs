//! Metric expressions: a metric an indicator system defines over 事实 and
//! table metrics (`实际收入 / 预算收入 × 100`), in decimal arithmetic, shown
//! in the 依据 with the numbers put in (`1250.00/1200.00×100%`).
//!
//! Operators `+ - × * / ÷`, parentheses, numbers; any other run of
//! characters is a name (a 事实, a table metric or another defined metric).
//! Bounded: at most [`MAX_LEN`] characters and [`MAX_DEPTH`] levels of
//! nesting, so a hostile system file cannot make the parser run away.
//!
//! ```
//! use jixiao::system::expr::{Expr, ExprError};
//! use rust_decimal::Decimal;
//! let e = Expr::parse("实际收入 / 预算收入 × 100").unwrap();
//! assert_eq!(e.names(), ["实际收入", "预算收入"]);
//! let v = e
//!     .eval(&mut |name: &str| Ok::<_, ExprError>(Decimal::from(if name == "实际收入" { 1250 } else { 1200 })))
//!     .unwrap();
//! assert_eq!(v.shown, "1250/1200×100");
//! assert_eq!(v.value.round_dp(2).to_string(), "104.17");
//! ```

use rust_decimal::Decimal;

use crate::model::value::fmt_input;

/// The longest expression read.
pub const MAX_LEN: usize = 500;
/// The deepest nesting of parentheses and operators.
pub const MAX_DEPTH: usize = 32;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A number, with its text as written.
    Number(Decimal, String),
    Name(String),
    Neg(Box<Expr>),
    Paren(Box<Expr>),
    Binary(Op, Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

impl Op {
    fn sign(self) -> &'static str {
        match self {
            Op::Add => "+",
            Op::Sub => "-",
            Op::Mul => "×",
            Op::Div => "/",
        }
    }
}

/// Why an expression cannot be read or computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExprError {
    #[error("公式“{text}”过长（上限 {MAX_LEN} 个字符）。")]
    TooLong { text: String },
    #[error("公式“{text}”嵌套过深。")]
    TooDeep { text: String },
    #[error("公式“{text}”无法识别（{why}）。")]
    Syntax { text: String, why: String },
    #[error("公式“{text}”中“{divisor}”为 0，不能作除数。")]
    DivisionByZero { text: String, divisor: String },
    #[error("公式“{text}”的结果超出可计算的范围。")]
    Overflow { text: String },
}

/// A computed expression: its value and the formula with the numbers in.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub value: Decimal,
    pub shown: String,
}

/// Does `text` read as an expression rather than a plain name?
pub fn is_expression(text: &str) -> bool {
    text.contains(['×', '*', '/', '÷', '+', '(', '（']) || text.contains(" - ") || text.contains('−')
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Num(Decimal, String),
    Name(String),
    Op(Op),
    Open,
    Close,
}

fn tokens(text: &str) -> Result<Vec<Token>, ExprError> {
    let syntax = |why: String| ExprError::Syntax { text: text.to_string(), why };
    let mut out = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<Token>| {
        let w = word.trim().to_string();
        word.clear();
        if w.is_empty() {
            return Ok(());
        }
        if w.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
            let d: Decimal = w.replace(',', "").parse().map_err(|_| syntax(format!("“{w}”不是数字")))?;
            out.push(Token::Num(d, w));
        } else {
            out.push(Token::Name(w));
        }
        Ok(())
    };
    for c in text.chars() {
        let t = match c {
            '+' | '＋' => Some(Token::Op(Op::Add)),
            '-' | '−' | '－' => Some(Token::Op(Op::Sub)),
            '×' | '*' | '＊' => Some(Token::Op(Op::Mul)),
            '/' | '÷' | '／' => Some(Token::Op(Op::Div)),
            '(' | '（' => Some(Token::Open),
            ')' | '）' => Some(Token::Close),
            _ => None,
        };
        match t {
            // A `-` inside a name such as `2023-2024年` stays in the name.
            Some(Token::Op(Op::Sub)) if !word.trim().is_empty() && !word.ends_with(' ') => word.push(c),
            Some(t) => {
                flush(&mut word, &mut out)?;
                out.push(t);
            }
            None => word.push(c),
        }
    }
    flush(&mut word, &mut out)?;
    Ok(out)
}

struct Parser<'t> {
    tokens: &'t [Token],
    at: usize,
    text: &'t str,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn syntax(&self, why: &str) -> ExprError {
        ExprError::Syntax { text: self.text.to_string(), why: why.to_string() }
    }

    fn sum(&mut self, depth: usize) -> Result<Expr, ExprError> {
        if depth > MAX_DEPTH {
            return Err(ExprError::TooDeep { text: self.text.to_string() });
        }
        let mut left = self.product(depth + 1)?;
        while let Some(Token::Op(op @ (Op::Add | Op::Sub))) = self.peek().cloned() {
            self.at += 1;
            let right = self.product(depth + 1)?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn product(&mut self, depth: usize) -> Result<Expr, ExprError> {
        let mut left = self.unary(depth + 1)?;
        while let Some(Token::Op(op @ (Op::Mul | Op::Div))) = self.peek().cloned() {
            self.at += 1;
            let right = self.unary(depth + 1)?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self, depth: usize) -> Result<Expr, ExprError> {
        if depth > MAX_DEPTH {
            return Err(ExprError::TooDeep { text: self.text.to_string() });
        }
        match self.peek().cloned() {
            Some(Token::Op(Op::Sub)) => {
                self.at += 1;
                Ok(Expr::Neg(Box::new(self.unary(depth + 1)?)))
            }
            Some(Token::Num(d, t)) => {
                self.at += 1;
                Ok(Expr::Number(d, t))
            }
            Some(Token::Name(n)) => {
                self.at += 1;
                Ok(Expr::Name(n))
            }
            Some(Token::Open) => {
                self.at += 1;
                let inner = self.sum(depth + 1)?;
                if self.peek() != Some(&Token::Close) {
                    return Err(self.syntax("括号不成对"));
                }
                self.at += 1;
                Ok(Expr::Paren(Box::new(inner)))
            }
            Some(Token::Close) => Err(self.syntax("多了一个右括号")),
            Some(Token::Op(_)) => Err(self.syntax("运算符前缺少数或名称")),
            None => Err(self.syntax("末尾缺少数或名称")),
        }
    }
}

impl Expr {
    /// Parse an expression.
    pub fn parse(text: &str) -> Result<Expr, ExprError> {
        if text.chars().count() > MAX_LEN {
            return Err(ExprError::TooLong { text: text.chars().take(40).collect::<String>() + "…" });
        }
        let tokens = tokens(text)?;
        let mut p = Parser { tokens: &tokens, at: 0, text };
        let e = p.sum(0)?;
        if p.at < tokens.len() {
            return Err(p.syntax("两个数或名称之间缺少运算符"));
        }
        Ok(e)
    }

    /// The names it reads, in order, each once.
    pub fn names(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_names(&mut out);
        out
    }

    fn collect_names(&self, out: &mut Vec<String>) {
        match self {
            Expr::Name(n) if !out.contains(n) => out.push(n.clone()),
            Expr::Name(_) | Expr::Number(..) => {}
            Expr::Neg(e) | Expr::Paren(e) => e.collect_names(out),
            Expr::Binary(_, a, b) => {
                a.collect_names(out);
                b.collect_names(out);
            }
        }
    }

    /// Ends in `× 100` (a rate in %).
    pub fn is_percent(&self) -> bool {
        matches!(self, Expr::Binary(Op::Mul, _, b) if matches!(**b, Expr::Number(d, _) if d == Decimal::ONE_HUNDRED))
    }

    /// Compute it, each name's value from `value_of`; the shown formula has
    /// the names replaced by their values.
    pub fn eval<E: From<ExprError>>(&self, value_of: &mut dyn FnMut(&str) -> Result<Decimal, E>) -> Result<Value, E> {
        Ok(match self {
            Expr::Number(d, t) => Value { value: *d, shown: t.clone() },
            Expr::Name(n) => {
                let value = value_of(n)?;
                Value { value, shown: fmt_input(value) }
            }
            Expr::Neg(e) => {
                let v = e.eval(value_of)?;
                Value { value: -v.value, shown: format!("-{}", v.shown) }
            }
            Expr::Paren(e) => {
                let v = e.eval(value_of)?;
                Value { value: v.value, shown: format!("({})", v.shown) }
            }
            Expr::Binary(op, a, b) => {
                let (x, y) = (a.eval(value_of)?, b.eval(value_of)?);
                let value = match op {
                    Op::Add => x.value.checked_add(y.value),
                    Op::Sub => x.value.checked_sub(y.value),
                    Op::Mul => x.value.checked_mul(y.value),
                    Op::Div => {
                        if y.value.is_zero() {
                            return Err(ExprError::DivisionByZero { text: self.text(), divisor: b.text() }.into());
                        }
                        x.value.checked_div(y.value)
                    }
                };
                let value = value.ok_or_else(|| ExprError::Overflow { text: self.text() })?;
                Value { value, shown: format!("{}{}{}", x.shown, op.sign(), y.shown) }
            }
        })
    }

    /// The expression as text (names, not values).
    pub fn text(&self) -> String {
        match self {
            Expr::Number(_, t) => t.clone(),
            Expr::Name(n) => n.clone(),
            Expr::Neg(e) => format!("-{}", e.text()),
            Expr::Paren(e) => format!("({})", e.text()),
            Expr::Binary(op, a, b) => format!("{}{}{}", a.text(), op.sign(), b.text()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(text: &str, vars: &[(&str, i64)]) -> Result<Value, ExprError> {
        Expr::parse(text)?.eval(&mut |n: &str| {
            Ok::<_, ExprError>(vars.iter().find(|(k, _)| *k == n).map(|(_, v)| Decimal::from(*v)).unwrap_or_default())
        })
    }

    #[test]
    fn precedence_parentheses_and_shown_formula() {
        let v = eval("(本年 - 上年) / 上年 × 100", &[("本年", 89), ("上年", 76)]).unwrap();
        assert_eq!(v.shown, "(89-76)/76×100");
        assert_eq!(v.value.round_dp(2).to_string(), "17.11");
        let v = eval("结余 ÷ (支出 / 12)", &[("结余", 600), ("支出", 1200)]).unwrap();
        assert_eq!(v.value.to_string(), "6");
        assert_eq!(eval("-a + 2*3", &[("a", 1)]).unwrap().value, Decimal::from(5));
        assert!(Expr::parse("实际收入/预算收入×100").unwrap().is_percent());
        assert_eq!(Expr::parse("2023-2024年结余 + 1").unwrap().names(), ["2023-2024年结余"]);
    }

    #[test]
    fn errors_name_what_is_wrong() {
        assert_eq!(
            eval("a / (b - b)", &[("a", 1), ("b", 2)]).unwrap_err().to_string(),
            "公式“a/(b-b)”中“(b-b)”为 0，不能作除数。"
        );
        assert_eq!(Expr::parse("(a + b").unwrap_err().to_string(), "公式“(a + b”无法识别（括号不成对）。");
        assert_eq!(Expr::parse("a +").unwrap_err().to_string(), "公式“a +”无法识别（末尾缺少数或名称）。");
        assert!(matches!(Expr::parse(&"(".repeat(100)), Err(ExprError::TooDeep { .. })));
        assert!(matches!(Expr::parse(&"a+".repeat(300)), Err(ExprError::TooLong { .. })));
        assert!(!is_expression("60岁以上城乡居民参保率") && is_expression("a/b"));
    }
}
