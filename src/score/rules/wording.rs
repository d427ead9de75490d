//! How a 得失分依据 says a condition: in the words a reviewer writes
//! (`不超过5%`, `低于70%`), with the metric's unit, never the system's
//! notation (`“≤5”档`, `满足“=0”`).

use rust_decimal::Decimal;

use crate::score::fact::Cond;

/// The unit written after a number: `百分点` → `个百分点`.
pub fn unit_after(unit: &str) -> &str {
    if unit == "百分点" {
        "个百分点"
    } else {
        unit
    }
}

/// `≥95` with `%` → `不低于95%`; `else` → empty.
pub fn cond_words(cond: &str, unit: &str) -> String {
    let c = Cond::parse(cond);
    let word = match c.op {
        "≥" => "不低于",
        ">" => "高于",
        "≤" => "不超过",
        "<" => "低于",
        "=" => "为",
        _ => return String::new(),
    };
    format!("{word}{}{}", c.number, unit_after(unit))
}

/// The condition not held: `≥95` → `低于95%`; `else` → empty.
pub fn not_cond_words(cond: &str, unit: &str) -> String {
    let c = Cond::parse(cond);
    let word = match c.op {
        "≥" => "低于",
        ">" => "不超过",
        "≤" => "超过",
        "<" => "不低于",
        "=" => "不为",
        _ => return String::new(),
    };
    format!("{word}{}{}", c.number, unit_after(unit))
}

/// A condition on `value`, held or not, in words (`不低于95%`, `低于95%`);
/// empty where the figure already says it (`为0万元` and `=0`, `为95%` and
/// `≥95`).
pub fn condition_words(cond: &str, value: Decimal, held: bool, unit: &str) -> String {
    let c = Cond::parse(cond);
    let at_bound = c.number.parse::<Decimal>().is_ok_and(|b| b == value);
    let said = match (held, c.op) {
        (_, "=") => false,
        (true, "≥" | "≤") | (false, "<" | ">") => !at_bound,
        _ => true,
    };
    match (said, held) {
        (false, _) => String::new(),
        (true, true) => cond_words(cond, unit),
        (true, false) => not_cond_words(cond, unit),
    }
}

/// A lower bound (`≥`, `>`) or an upper one (`≤`, `<`); None for `=` and `else`.
fn lower_bound(cond: &str) -> Option<bool> {
    match Cond::parse(cond).op {
        "≥" | ">" => Some(true),
        "≤" | "<" => Some(false),
        _ => None,
    }
}

/// The band `index` of `bands` (the first whose condition holds) in words:
/// its condition, and the earlier band's not held where that is its other
/// bound (`超过5%且不超过10%`); `else`: the last band's not held
/// (`不低于100%`). A `value` at the band's own bound does not repeat it
/// (`为25家`, not `为25家，不低于25家`). Empty when there is nothing to say.
pub fn band_words(bands: &[(String, Decimal)], index: usize, value: Decimal, unit: &str) -> String {
    let Some((cond, _)) = bands.get(index) else { return String::new() };
    let before = index.checked_sub(1).and_then(|i| bands.get(i)).map(|b| b.0.as_str());
    let c = Cond::parse(cond);
    let at_bound = matches!(c.op, "≥" | "≤" | "=") && c.number.parse::<Decimal>().is_ok_and(|b| b == value);
    if c.op == "else" || at_bound {
        return before.map(|b| not_cond_words(b, unit)).unwrap_or_default();
    }
    let this = cond_words(cond, unit);
    match (before, lower_bound(cond)) {
        (Some(b), Some(lower)) if lower_bound(b) == Some(lower) => {
            let other = not_cond_words(b, unit);
            // The lower bound first: 不低于80%且低于90%, 超过5%且不超过10%.
            if lower {
                format!("{this}且{other}")
            } else {
                format!("{other}且{this}")
            }
        }
        _ => this,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bands(text: &str) -> Vec<(String, Decimal)> {
        text.split(", ")
            .map(|b| {
                let (c, f) = b.split_once(':').unwrap();
                (c.to_string(), f.parse().unwrap())
            })
            .collect()
    }

    #[test]
    fn conditions_are_said_with_their_unit() {
        assert_eq!(cond_words("≤5", "%"), "不超过5%");
        assert_eq!(cond_words("<70", "%"), "低于70%");
        assert_eq!(cond_words(">=25", "家"), "不低于25家");
        assert_eq!(cond_words("≤0", "百分点"), "不超过0个百分点");
        assert_eq!(cond_words("=0", "万元"), "为0万元");
        assert_eq!(not_cond_words("≥95", "%"), "低于95%");
        assert_eq!(not_cond_words("=0", "万元"), "不为0万元");
        assert_eq!(cond_words("else", "%"), "");
        let v = |s: &str| s.parse::<Decimal>().unwrap();
        // A gate: not repeated where the figure says it.
        assert_eq!(condition_words("=0", v("0"), true, "万元"), "");
        assert_eq!(condition_words("=0", v("12"), false, "万元"), "");
        assert_eq!(condition_words("≥95", v("96"), true, "%"), "不低于95%");
        assert_eq!(condition_words("≥95", v("95"), true, "%"), "");
        assert_eq!(condition_words("≥95", v("90"), false, "%"), "低于95%");
        assert_eq!(condition_words("<70", v("70"), false, "%"), "");
    }

    #[test]
    fn a_band_is_said_between_its_bounds() {
        let v = |s: &str| s.parse::<Decimal>().unwrap();
        let deviation = bands("≤5:1, ≤10:0.75, ≤15:0.5, else:0");
        assert_eq!(band_words(&deviation, 0, v("0.5"), "%"), "不超过5%");
        assert_eq!(band_words(&deviation, 1, v("7"), "%"), "超过5%且不超过10%");
        assert_eq!(band_words(&deviation, 3, v("20"), "%"), "超过15%");
        let idle = bands("<70:1, <80:0.75, <90:0.5, <100:0.25, else:0");
        assert_eq!(band_words(&idle, 0, v("0"), "%"), "低于70%");
        assert_eq!(band_words(&idle, 2, v("85"), "%"), "不低于80%且低于90%");
        assert_eq!(band_words(&idle, 4, v("120"), "%"), "不低于100%");
        let survey = bands("≥95:1, ≥90:0.8, ≥80:0.6, ≥60:0.4, else:0");
        assert_eq!(band_words(&survey, 2, v("89.59"), "%"), "不低于80%且低于90%");
        let mixed = bands("≤0:1, <1.5:0.4, else:0");
        assert_eq!(band_words(&mixed, 1, v("1"), "百分点"), "超过0个百分点且低于1.5个百分点");
        assert_eq!(band_words(&bands("else:1"), 0, v("1"), "%"), "");
        // At the band's own bound the figure says it: nothing, or the band above not reached.
        assert_eq!(band_words(&mixed, 0, v("0"), "百分点"), "");
        assert_eq!(band_words(&survey, 2, v("80"), "%"), "低于90%");
    }
}
