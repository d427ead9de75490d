//! The conditions a system writes (`≥95`, `<70`, `else`; `between = "a, b"`):
//! parsed when a system is loaded (so a bad one is refused with its rule's
//! name) and evaluated when a case is scored.

use rust_decimal::Decimal;

/// Why a condition cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConditionError {
    #[error("条件“{cond}”应以 ≥ > ≤ < 开头，或写 else。")]
    BadCondition { cond: String },
    #[error("条件“{cond}”中的“{number}”不是数字。")]
    ConditionNotANumber { cond: String, number: String },
}

/// `≥95`, `<70`, `else` against a value.
pub fn condition_holds(cond: &str, value: Decimal) -> Result<bool, ConditionError> {
    let c = crate::model::value::to_half_width(cond).replace(' ', "");
    if c == "else" || c == "其他" || c == "否则" {
        return Ok(true);
    }
    let (op, num) = ["≥", ">=", "≤", "<=", ">", "<", "="]
        .iter()
        .find_map(|op| c.strip_prefix(op).map(|rest| (*op, rest)))
        .ok_or_else(|| ConditionError::BadCondition { cond: cond.to_string() })?;
    let x: Decimal = num
        .trim_end_matches('%')
        .parse()
        .map_err(|_| ConditionError::ConditionNotANumber { cond: cond.to_string(), number: num.to_string() })?;
    Ok(match op {
        "≥" | ">=" => value >= x,
        "≤" | "<=" => value <= x,
        ">" => value > x,
        "<" => value < x,
        _ => value == x,
    })
}

/// `between = "a, b"`: the two bounds.
pub fn between(range: &str) -> Result<(Decimal, Decimal), ConditionError> {
    let parts: Vec<&str> = range.split([',', '，', '~', '～']).map(str::trim).collect();
    let num = |s: &str| {
        s.trim_end_matches('%')
            .parse::<Decimal>()
            .map_err(|_| ConditionError::ConditionNotANumber { cond: range.to_string(), number: s.to_string() })
    };
    match parts.as_slice() {
        [a, b] => Ok((num(a)?, num(b)?)),
        _ => Err(ConditionError::BadCondition { cond: range.to_string() }),
    }
}
