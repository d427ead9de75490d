//! Arithmetic printed in a text (`a/b×100%=d%`, `(a/b)÷(c/d)×100%=e%`,
//! `a-b=c`, chains `x=…=…`), read and checked: every side that is pure
//! arithmetic must agree with the printed result to its printed precision,
//! and no side may divide by zero.

use rust_decimal::Decimal;

/// What a side of an equation comes to.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Number(Decimal),
    DivZero,
}

/// The equations of `text` that do not hold, each as `(equation, why)`.
pub fn false_equations(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for segment in segments(text) {
        if let Some(why) = check_chain(&segment) {
            out.push((segment.trim().to_string(), why));
        }
    }
    out
}

/// A char an arithmetic run may hold.
fn arithmetic(c: char) -> bool {
    c.is_ascii_digit() || ".,%×÷/*+-−()（）=＝| ".contains(c)
}

/// The maximal runs of arithmetic chars that hold an `=` and a digit.
fn segments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once('\n')) {
        if arithmetic(c) {
            run.push(c);
            continue;
        }
        if (run.contains('=') || run.contains('＝')) && run.chars().any(|c| c.is_ascii_digit()) {
            out.push(std::mem::take(&mut run));
        }
        run.clear();
    }
    out
}

/// Drop brackets a side opens or closes without its partner at its edges
/// (the run began inside “（” of the prose).
fn balance(side: &str) -> String {
    let mut s: Vec<char> = side
        .trim()
        .chars()
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '−' => '-',
            c => c,
        })
        .collect();
    loop {
        let open = s.iter().filter(|c| **c == '(').count();
        let close = s.iter().filter(|c| **c == ')').count();
        if open > close && s.first() == Some(&'(') {
            s.remove(0);
        } else if close > open && s.last() == Some(&')') {
            s.pop();
        } else {
            break;
        }
    }
    s.into_iter().collect::<String>().trim().to_string()
}

/// Why a chain `s0 = s1 = … = sn` is false, if it is.
fn check_chain(segment: &str) -> Option<String> {
    let sides: Vec<String> = segment.split(['=', '＝']).map(balance).collect();
    let evaluated: Vec<(String, Value)> = sides.iter().filter_map(|s| eval(s).map(|v| (s.clone(), v))).collect();
    if evaluated.len() < 2 {
        return None;
    }
    if let Some((side, _)) = evaluated.iter().find(|(_, v)| *v == Value::DivZero) {
        return Some(format!("“{side}”除数为零，却印出了结果"));
    }
    // The printed result: the last side that is a plain number.
    let (printed, result) = evaluated.iter().rev().find(|(s, _)| plain_number(s)).or(evaluated.last())?;
    let Value::Number(result) = result else { return None };
    let tolerance = tolerance(printed);
    for (side, value) in &evaluated {
        if side == printed {
            continue;
        }
        if let Value::Number(v) = value {
            if (*v - *result).abs() > tolerance {
                return Some(format!("“{side}”得 {}，不等于印出的“{printed}”", v.round_dp(4).normalize()));
            }
        }
    }
    None
}

/// A number alone (`12.5`, `98.72%`, `1,241.13`).
fn plain_number(s: &str) -> bool {
    let s = s.trim_end_matches('%');
    !s.is_empty() && s.trim_start_matches('-').chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',')
}

/// Half a unit of the printed number's last place (in its own scale: a
/// percent's unit is 1/100 of a point).
fn tolerance(printed: &str) -> Decimal {
    let digits = printed.trim_end_matches('%');
    let places = digits.split_once('.').map(|(_, f)| f.len() as u32).unwrap_or(0);
    let mut t = Decimal::new(5, places + 1);
    if printed.ends_with('%') {
        t /= Decimal::from(100);
    }
    // The printed result may itself be a rounding of the exact half.
    t + Decimal::new(1, 12)
}

/// A side's value, when it is arithmetic through and through.
fn eval(side: &str) -> Option<Value> {
    if !side.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let chars: Vec<char> = side.chars().filter(|c| *c != ' ').collect();
    let mut p = Parser { s: &chars, i: 0 };
    let v = p.expr()?;
    (p.i == chars.len()).then_some(v)
}

struct Parser<'a> {
    s: &'a [char],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }

    fn expr(&mut self) -> Option<Value> {
        let mut acc = self.term()?;
        while let Some(op @ ('+' | '-')) = self.peek() {
            self.i += 1;
            let rhs = self.term()?;
            acc = combine(acc, rhs, |a, b| Some(if op == '+' { a + b } else { a - b }));
        }
        Some(acc)
    }

    fn term(&mut self) -> Option<Value> {
        let mut acc = self.factor()?;
        while let Some(op @ ('×' | '*' | '÷' | '/')) = self.peek() {
            self.i += 1;
            let rhs = self.factor()?;
            acc = match (acc, rhs) {
                (Value::Number(a), Value::Number(b)) if op == '×' || op == '*' => {
                    a.checked_mul(b).map(Value::Number).unwrap_or(Value::DivZero)
                }
                (Value::Number(a), Value::Number(b)) => a.checked_div(b).map(Value::Number).unwrap_or(Value::DivZero),
                _ => Value::DivZero,
            };
        }
        Some(acc)
    }

    fn factor(&mut self) -> Option<Value> {
        match self.peek()? {
            '-' => {
                self.i += 1;
                Some(match self.factor()? {
                    Value::Number(n) => Value::Number(-n),
                    z => z,
                })
            }
            '(' => {
                self.i += 1;
                let v = self.expr()?;
                (self.peek() == Some(')')).then(|| self.i += 1)?;
                Some(v)
            }
            '|' => {
                self.i += 1;
                let v = self.expr()?;
                (self.peek() == Some('|')).then(|| self.i += 1)?;
                Some(match v {
                    Value::Number(n) => Value::Number(n.abs()),
                    z => z,
                })
            }
            _ => self.number(),
        }
    }

    /// Digits with thousands separators and a fraction, then an optional `%`.
    fn number(&mut self) -> Option<Value> {
        let mut text = String::new();
        while let Some(c) = self.peek() {
            let separator = c == ','
                && !text.is_empty()
                && (1..=3).all(|k| self.s.get(self.i + k).is_some_and(|d| d.is_ascii_digit()))
                && !self.s.get(self.i + 4).is_some_and(|d| d.is_ascii_digit());
            if c.is_ascii_digit() || c == '.' {
                text.push(c);
            } else if !separator {
                break;
            }
            self.i += 1;
        }
        let mut n: Decimal = text.parse().ok()?;
        if self.peek() == Some('%') {
            self.i += 1;
            n /= Decimal::from(100);
        }
        Some(Value::Number(n))
    }
}

fn combine(a: Value, b: Value, f: impl Fn(Decimal, Decimal) -> Option<Decimal>) -> Value {
    match (a, b) {
        (Value::Number(a), Value::Number(b)) => f(a, b).map(Value::Number).unwrap_or(Value::DivZero),
        _ => Value::DivZero,
    }
}
