//! 指标值: the target and actual values of performance indicators, parsed
//! into comparison + number + unit, deadline, duration or qualitative text,
//! with the original text kept.
//!
//! ```
//! use jixiao::model::target::{Target, TargetKind, Comparison};
//! use rust_decimal_macros::dec;
//! let t = Target::parse("≥18200人次");
//! assert_eq!(t.kind, TargetKind::Quantity { op: Comparison::Ge, value: dec!(18200), unit: "人次".into() });
//! assert!(matches!(Target::parse("2024年12月底前").kind, TargetKind::Deadline { month: 12, .. }));
//! assert!(matches!(Target::parse("12月日前31").kind, TargetKind::Malformed { .. }));
//! ```

use rust_decimal::prelude::*;
use serde::Serialize;

use super::value::to_half_width;

/// The comparison in front of a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// `≥`, 不低于, 不少于 — a 正向 (higher is better) indicator.
    Ge,
    /// `>`, 大于, 超过.
    Gt,
    /// `≤`, 不高于, 不超过 — a 反向 (lower is better) indicator.
    Le,
    /// `<`, 小于, 低于.
    Lt,
    /// No sign or `=`: the value itself.
    Eq,
}

impl Comparison {
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::Ge => "≥",
            Comparison::Gt => ">",
            Comparison::Le => "≤",
            Comparison::Lt => "<",
            Comparison::Eq => "=",
        }
    }
}

/// What a 指标值 says.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TargetKind {
    /// Nothing written.
    Empty,
    /// A number with an optional comparison and unit: `≥95%`, `>2960人`,
    /// `345.153万元`, `5301.42` (unit empty).
    Quantity {
        op: Comparison,
        #[serde(with = "rust_decimal::serde::str")]
        value: Decimal,
        unit: String,
    },
    /// A date to meet: `12月31日前`, `2024年12月底前`, `12月31日`.
    Deadline {
        year: Option<i32>,
        month: u32,
        /// `None` for 月底 / 月末.
        day: Option<u32>,
    },
    /// A span of time: `1年`, `6个月`.
    Duration {
        #[serde(with = "rust_decimal::serde::str")]
        value: Decimal,
        unit: String,
    },
    /// Words: `明显提高`, `健全`, `是`, `长期`.
    Qualitative,
    /// Digits and date words in an order that means nothing (`12月日前31`).
    Malformed { reason: String },
}

/// A parsed 指标值 with its original text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    pub text: String,
    #[serde(flatten)]
    pub kind: TargetKind,
    /// The text carried an explicit comparison sign or word.
    pub has_sign: bool,
}

const SIGNS: &[(&str, Comparison)] = &[
    ("大于等于", Comparison::Ge),
    ("大于或等于", Comparison::Ge),
    ("小于等于", Comparison::Le),
    ("小于或等于", Comparison::Le),
    ("不低于", Comparison::Ge),
    ("不少于", Comparison::Ge),
    ("不小于", Comparison::Ge),
    ("不高于", Comparison::Le),
    ("不超过", Comparison::Le),
    ("不多于", Comparison::Le),
    ("不大于", Comparison::Le),
    (">=", Comparison::Ge),
    ("<=", Comparison::Le),
    ("≥", Comparison::Ge),
    ("≧", Comparison::Ge),
    ("≤", Comparison::Le),
    ("≦", Comparison::Le),
    ("大于", Comparison::Gt),
    ("高于", Comparison::Gt),
    ("超过", Comparison::Gt),
    ("小于", Comparison::Lt),
    ("低于", Comparison::Lt),
    (">", Comparison::Gt),
    ("<", Comparison::Lt),
    ("=", Comparison::Eq),
];

const DURATION_UNITS: &[&str] = &["年", "个月", "月", "天", "周", "日", "个工作日", "工作日"];

impl Target {
    /// Parse a 指标值 as written in a target or self-evaluation table.
    pub fn parse(text: &str) -> Target {
        let original = text.trim().to_string();
        let s: String = to_half_width(&original).chars().filter(|c| !c.is_whitespace() && *c != '\u{00A0}').collect();
        let mut has_sign = false;
        let kind = if s.is_empty() {
            TargetKind::Empty
        } else if let Some(k) = parse_deadline(&s) {
            k
        } else {
            let (op, rest) = match SIGNS.iter().find(|(p, _)| s.starts_with(p)) {
                Some((p, op)) => {
                    has_sign = true;
                    (*op, &s[p.len()..])
                }
                None => (Comparison::Eq, s.as_str()),
            };
            match split_number(rest) {
                Some((value, unit)) if !unit.chars().any(|c| c.is_ascii_digit()) => {
                    let unit = unit.trim_start_matches(['(', ')']).to_string();
                    if !has_sign && DURATION_UNITS.contains(&unit.as_str()) {
                        TargetKind::Duration { value, unit }
                    } else {
                        TargetKind::Quantity { op, value, unit }
                    }
                }
                _ => {
                    if s.chars().any(|c| c.is_ascii_digit()) {
                        TargetKind::Malformed { reason: malformed_reason(&s) }
                    } else {
                        TargetKind::Qualitative
                    }
                }
            }
        };
        Target { text: original, kind, has_sign }
    }

    /// The number, for quantities.
    pub fn value(&self) -> Option<Decimal> {
        match &self.kind {
            TargetKind::Quantity { value, .. } | TargetKind::Duration { value, .. } => Some(*value),
            _ => None,
        }
    }

    /// The unit, for quantities (`万元`, `%`, `人`, or empty).
    pub fn unit(&self) -> Option<&str> {
        match &self.kind {
            TargetKind::Quantity { unit, .. } | TargetKind::Duration { unit, .. } => Some(unit),
            _ => None,
        }
    }

    /// A money amount (`万元`, `元`, `万`).
    pub fn is_money(&self) -> bool {
        matches!(self.unit(), Some(u) if u.contains('元') || u == "万" || u == "亿")
    }
}

/// `12.5万元` → (12.5, "万元"). Commas allowed inside the number.
fn split_number(s: &str) -> Option<(Decimal, &str)> {
    let end = s
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    if end == 0 {
        return None;
    }
    let num: String = s[..end].chars().filter(|c| *c != ',').collect();
    if num.chars().filter(|c| *c == '.').count() > 1 || num.starts_with('.') || num.ends_with('.') {
        return None;
    }
    let value = Decimal::from_str(&num).ok()?;
    Some((value, &s[end..]))
}

/// `YYYY年`? `M月` (`D日` | `底` | `末`)? (`前` | `之前` | `以前` | `内`)?
fn parse_deadline(s: &str) -> Option<TargetKind> {
    let s = s.strip_prefix("截至").or_else(|| s.strip_prefix("于")).unwrap_or(s);
    let (year, rest) = match s.find('年') {
        Some(i) if i == 4 && s[..4].chars().all(|c| c.is_ascii_digit()) => {
            (s[..4].parse().ok(), &s[i + '年'.len_utf8()..])
        }
        _ => (None, s),
    };
    let m = rest.find('月')?;
    let month: u32 = rest[..m].parse().ok()?;
    if !(1..=12).contains(&month) {
        return None;
    }
    let mut tail = &rest[m + '月'.len_utf8()..];
    let mut day = None;
    if let Some(t) = tail.strip_prefix('底').or_else(|| tail.strip_prefix('末')) {
        tail = t;
    } else if let Some(d) = tail.find('日').or_else(|| tail.find('号')) {
        let n: u32 = tail[..d].parse().ok()?;
        if !(1..=31).contains(&n) {
            return None;
        }
        day = Some(n);
        tail = &tail[d + '日'.len_utf8()..];
    }
    let tail = tail.trim_end_matches(['.', '。']);
    if ["", "前", "之前", "以前", "内", "完成", "前完成"].contains(&tail) {
        Some(TargetKind::Deadline { year, month, day })
    } else {
        None
    }
}

fn malformed_reason(s: &str) -> String {
    if s.contains('月') || s.contains('日') {
        format!("时限表述不规范（“{s}”不是有效日期）")
    } else {
        format!("指标值“{s}”无法解读为数值、时限或定性表述")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn q(s: &str) -> (Comparison, Decimal, String) {
        match Target::parse(s).kind {
            TargetKind::Quantity { op, value, unit } => (op, value, unit),
            other => panic!("{s}: {other:?}"),
        }
    }

    #[test]
    fn every_target_of_seed_003_parses() {
        // The 指标值 column of the nine 项目绩效目标表 of seed 003.
        for s in [
            "345.153万元",
            "10元",
            "100%",
            "12月31日前",
            "≥95%",
            "≥18200人次",
            "1770.82万元",
            "58634人",
            "5550.06万元",
            "345153人",
            "600元",
            "1人",
            "12月31日",
            "118.4万元",
            ">2960人",
            ">200万",
            "35人",
            "≥30万元",
            "≥40万",
            "明显提高",
            "有效促进",
            "≥18万",
            "5次",
            "1年",
            "长期",
        ] {
            let t = Target::parse(s);
            assert!(!matches!(t.kind, TargetKind::Malformed { .. } | TargetKind::Empty), "{s}: {:?}", t.kind);
            assert_eq!(t.text, s);
        }
    }

    #[test]
    fn quantities() {
        assert_eq!(q("≥95%"), (Comparison::Ge, dec!(95), "%".into()));
        assert_eq!(q(">2960人"), (Comparison::Gt, dec!(2960), "人".into()));
        assert_eq!(q("≤106.72万元"), (Comparison::Le, dec!(106.72), "万元".into()));
        assert_eq!(q("345.153万元"), (Comparison::Eq, dec!(345.153), "万元".into()));
        assert_eq!(q("5301.42"), (Comparison::Eq, dec!(5301.42), "".into()));
        assert_eq!(q("≥ 18,200 人"), (Comparison::Ge, dec!(18200), "人".into()));
        assert_eq!(q("＞２９６０人"), (Comparison::Gt, dec!(2960), "人".into()));
        assert_eq!(q("不低于90%"), (Comparison::Ge, dec!(90), "%".into()));
        // A target typed as `=2人` is text (a sign of equality), not a formula.
        assert_eq!(q("=2人"), (Comparison::Eq, dec!(2), "人".into()));
        assert_eq!(q("＝100%"), (Comparison::Eq, dec!(100), "%".into()));
        assert!(Target::parse("≥18200人").has_sign);
        assert!(!Target::parse("18200人").has_sign);
        assert!(Target::parse("≤106.72万元").is_money());
        assert!(!Target::parse("≥18200人次").is_money());
    }

    #[test]
    fn deadlines_durations_words() {
        assert_eq!(Target::parse("12月31日前").kind, TargetKind::Deadline { year: None, month: 12, day: Some(31) });
        assert_eq!(
            Target::parse("2024年12月底前").kind,
            TargetKind::Deadline { year: Some(2024), month: 12, day: None }
        );
        assert_eq!(Target::parse("1年").kind, TargetKind::Duration { value: dec!(1), unit: "年".into() });
        assert_eq!(Target::parse("健全").kind, TargetKind::Qualitative);
        assert_eq!(Target::parse("").kind, TargetKind::Empty);
        assert!(matches!(Target::parse("12月日前31").kind, TargetKind::Malformed { .. }));
        assert!(matches!(Target::parse("13月1日前").kind, TargetKind::Malformed { .. }));
    }
}
