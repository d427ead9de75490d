//! What a rule found, typed by its family: the fields the findings template
//! (`templates/report/findings.j2`, one macro per family) words.
//!
//! Serialised (for the template) with `family` as the tag, every field of the
//! family present — an optional one as none — so the template's strict
//! environment never meets a missing name. Numbers are kept as [`Decimal`]s
//! and written as the 依据 prints them (`96.72`, `0.1`: [`fmt_number`]; input
//! amounts `5442.70`: [`fmt_input`]), so the template's fields are the same
//! text as the 依据's. [`record`] is the `score --json` form: the same, minus
//! the optional fields only recorded when they are there.

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::metrics::Metric;
use crate::check::recheck::TargetOutcome;
use crate::model::value::{fmt_input, fmt_number};

/// A number as the 依据 prints it.
fn num<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&fmt_number(*d))
}

fn num_opt<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => num(d, s),
        None => s.serialize_none(),
    }
}

/// An input figure as a formula shows it.
fn input<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&fmt_input(*d))
}

fn input_opt<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => input(d, s),
        None => s.serialize_none(),
    }
}

/// The fields every family has.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Common {
    /// The indicator's or the metric's name.
    pub label: String,
    /// The rule's share of the indicator's weight.
    #[serde(serialize_with = "num")]
    pub weight: Decimal,
    #[serde(serialize_with = "num")]
    pub score: Decimal,
    #[serde(serialize_with = "num")]
    pub lost: Decimal,
    /// Full marks.
    pub full: bool,
    /// The system's `finding = "…"` worded (family `manual`: the
    /// evaluator's words): said instead of the family's macro.
    pub text: Option<String>,
}

impl Common {
    /// `score` of `weight`, labelled.
    pub fn new(label: String, weight: Decimal, score: Decimal) -> Common {
        Common { label, weight, score, lost: weight - score, full: score >= weight, text: None }
    }
}

/// A metric's own fields: its value and unit, and the 事实 it was read from
/// (`据…`) when it is one (else empty).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricFact {
    #[serde(serialize_with = "num")]
    pub value: Decimal,
    pub unit: String,
    pub source: String,
}

impl MetricFact {
    pub fn of(m: &Metric) -> MetricFact {
        MetricFact {
            value: m.value,
            unit: m.unit.clone(),
            source: m.formula.strip_prefix("据").unwrap_or_default().to_string(),
        }
    }
}

/// A condition: `≥95` as `{op: "≥", number: "95"}` (`>=` read as `≥`);
/// `else` and the like as `{op: "else", number: ""}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cond {
    pub op: &'static str,
    pub number: String,
}

impl Cond {
    pub fn parse(cond: &str) -> Cond {
        let c = crate::model::value::to_half_width(cond).replace(' ', "");
        for (op, shown) in [("≥", "≥"), (">=", "≥"), ("≤", "≤"), ("<=", "≤"), (">", ">"), ("<", "<"), ("=", "=")]
        {
            if let Some(rest) = c.strip_prefix(op) {
                return Cond { op: shown, number: rest.trim_end_matches('%').to_string() };
            }
        }
        Cond { op: "else", number: String::new() }
    }
}

/// One time point of `checkpoints`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Checkpoint {
    pub name: String,
    #[serde(serialize_with = "input")]
    pub amount: Decimal,
    #[serde(serialize_with = "num")]
    pub rate: Decimal,
    #[serde(serialize_with = "num")]
    pub threshold: Decimal,
    pub met: bool,
    #[serde(serialize_with = "num")]
    pub short: Decimal,
    #[serde(serialize_with = "num")]
    pub lost: Decimal,
}

/// A sampled project of `project_grades`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradedProject {
    pub name: String,
    pub grade: String,
    pub reason: String,
    #[serde(serialize_with = "num")]
    pub points: Decimal,
}

/// A re-checked project of `grade_gap`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapProject {
    pub name: String,
    #[serde(rename = "self")]
    pub self_grade: String,
    pub recheck: String,
    pub gap: u8,
    pub reason: String,
    #[serde(serialize_with = "num")]
    pub lost: Decimal,
}

/// A unit of `unit_share` that falls short.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FailingUnit {
    pub name: String,
    #[serde(serialize_with = "num")]
    pub value: Decimal,
    /// A per-unit formula with the unit's numbers in (`3/5×100%`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
}

/// A rule's fact, by family (the tag is the family's name, the macro's).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "family", rename_all = "snake_case")]
pub enum Fact {
    Ratio {
        #[serde(flatten)]
        common: Common,
        #[serde(flatten)]
        metric: MetricFact,
        #[serde(serialize_with = "num")]
        target: Decimal,
        met: bool,
        /// The numerator's and denominator's names, values and units, when
        /// the rate is computed from them (all none otherwise).
        numerator: Option<String>,
        #[serde(serialize_with = "input_opt")]
        numerator_value: Option<Decimal>,
        numerator_unit: Option<String>,
        denominator: Option<String>,
        #[serde(serialize_with = "input_opt")]
        denominator_value: Option<Decimal>,
        denominator_unit: Option<String>,
    },
    Bands {
        #[serde(flatten)]
        common: Common,
        #[serde(flatten)]
        metric: MetricFact,
        band: Cond,
        /// The band's share of the weight, in %.
        #[serde(serialize_with = "num")]
        share: Decimal,
        /// The band of full marks.
        top: Option<Cond>,
    },
    Window {
        #[serde(flatten)]
        common: Common,
        #[serde(flatten)]
        metric: MetricFact,
        #[serde(serialize_with = "num")]
        full_from: Decimal,
        #[serde(serialize_with = "num")]
        full_to: Decimal,
        below: bool,
        above: bool,
        zeroed: bool,
    },
    Step {
        #[serde(flatten)]
        common: Common,
        #[serde(flatten)]
        metric: MetricFact,
        #[serde(serialize_with = "num")]
        threshold: Decimal,
        within: bool,
        zeroed: bool,
        #[serde(serialize_with = "num_opt")]
        zero_above: Option<Decimal>,
        #[serde(serialize_with = "num")]
        excess: Decimal,
        #[serde(serialize_with = "num")]
        per: Decimal,
        #[serde(serialize_with = "num")]
        deduct: Decimal,
    },
    Checkpoints {
        #[serde(flatten)]
        common: Common,
        denominator: String,
        #[serde(serialize_with = "input")]
        denominator_value: Decimal,
        points: Vec<Checkpoint>,
    },
    NotApplicable {
        #[serde(flatten)]
        common: Common,
        reason: String,
    },
    /// The evaluator's words are `common.text`.
    Manual {
        #[serde(flatten)]
        common: Common,
    },
    GradeMap {
        #[serde(flatten)]
        common: Common,
        fact: String,
        word: String,
        #[serde(serialize_with = "num")]
        share: Decimal,
    },
    ProjectGrades {
        #[serde(flatten)]
        common: Common,
        projects: Vec<GradedProject>,
        count: usize,
    },
    GradeGap {
        #[serde(flatten)]
        common: Common,
        projects: Vec<GapProject>,
        count: usize,
    },
    Share {
        #[serde(flatten)]
        common: Common,
        compliant: String,
        #[serde(serialize_with = "num")]
        compliant_value: Decimal,
        total: String,
        #[serde(serialize_with = "num")]
        total_value: Decimal,
        #[serde(serialize_with = "num")]
        rate: Decimal,
    },
    Gate {
        #[serde(flatten)]
        common: Common,
        #[serde(flatten)]
        metric: MetricFact,
        when: Cond,
        reason: String,
        held: bool,
        /// What the later rules do (not held; none when held).
        otherwise: Option<String>,
    },
    UnitShare {
        #[serde(flatten)]
        common: Common,
        units: usize,
        meeting: usize,
        failing: Vec<FailingUnit>,
        unit: String,
        #[serde(serialize_with = "num_opt")]
        at_least: Option<Decimal>,
        #[serde(serialize_with = "num_opt")]
        at_most: Option<Decimal>,
    },
    Target {
        #[serde(flatten)]
        common: Common,
        indicator: String,
        target: String,
        actual: String,
        outcome: TargetOutcome,
    },
}

impl Fact {
    /// The family's name: the macro that words it.
    pub fn family(&self) -> &'static str {
        match self {
            Fact::Ratio { .. } => "ratio",
            Fact::Bands { .. } => "bands",
            Fact::Window { .. } => "window",
            Fact::Step { .. } => "step",
            Fact::Checkpoints { .. } => "checkpoints",
            Fact::NotApplicable { .. } => "not_applicable",
            Fact::Manual { .. } => "manual",
            Fact::GradeMap { .. } => "grade_map",
            Fact::ProjectGrades { .. } => "project_grades",
            Fact::GradeGap { .. } => "grade_gap",
            Fact::Share { .. } => "share",
            Fact::Gate { .. } => "gate",
            Fact::UnitShare { .. } => "unit_share",
            Fact::Target { .. } => "target",
        }
    }

    pub fn common(&self) -> &Common {
        match self {
            Fact::Ratio { common, .. }
            | Fact::Bands { common, .. }
            | Fact::Window { common, .. }
            | Fact::Step { common, .. }
            | Fact::Checkpoints { common, .. }
            | Fact::NotApplicable { common, .. }
            | Fact::Manual { common }
            | Fact::GradeMap { common, .. }
            | Fact::ProjectGrades { common, .. }
            | Fact::GradeGap { common, .. }
            | Fact::Share { common, .. }
            | Fact::Gate { common, .. }
            | Fact::UnitShare { common, .. }
            | Fact::Target { common, .. } => common,
        }
    }

    pub fn common_mut(&mut self) -> &mut Common {
        match self {
            Fact::Ratio { common, .. }
            | Fact::Bands { common, .. }
            | Fact::Window { common, .. }
            | Fact::Step { common, .. }
            | Fact::Checkpoints { common, .. }
            | Fact::NotApplicable { common, .. }
            | Fact::Manual { common }
            | Fact::GradeMap { common, .. }
            | Fact::ProjectGrades { common, .. }
            | Fact::GradeGap { common, .. }
            | Fact::Share { common, .. }
            | Fact::Gate { common, .. }
            | Fact::UnitShare { common, .. }
            | Fact::Target { common, .. } => common,
        }
    }

    /// The rule's own sentence (`finding = "…"`, a manual score's words), if any.
    pub fn text(&self) -> Option<&str> {
        self.common().text.as_deref().filter(|t| !t.trim().is_empty())
    }
}

/// The optional fields `score --json` records only when they are there
/// (the template sees them as none).
const RECORDED_WHEN_THERE: [&str; 8] = [
    "text",
    "numerator",
    "numerator_value",
    "numerator_unit",
    "denominator",
    "denominator_value",
    "denominator_unit",
    "otherwise",
];

/// The `score --json` form of a sentence's fact: its fields in name order,
/// null for none, without the optional ones that are not there.
pub fn record<S: Serializer>(fact: &Option<Fact>, s: S) -> Result<S::Ok, S::Error> {
    let mut value = serde_json::to_value(fact).map_err(serde::ser::Error::custom)?;
    if let Some(map) = value.as_object_mut() {
        for key in RECORDED_WHEN_THERE {
            if map.get(key).is_some_and(serde_json::Value::is_null) {
                map.remove(key);
            }
        }
    }
    value.serialize(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_sees_every_field_and_the_record_the_ones_there() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let fact = Fact::Gate {
            common: Common::new("政府采购预算金额".into(), d("2"), d("2")),
            metric: MetricFact { value: d("0.000"), unit: "万元".into(), source: String::new() },
            when: Cond::parse("=0"),
            reason: String::new(),
            held: true,
            otherwise: None,
        };
        let full = serde_json::to_value(&fact).unwrap();
        assert_eq!(full["family"], "gate");
        assert_eq!(full["value"], "0");
        assert_eq!(full["lost"], "0");
        assert!(full["otherwise"].is_null() && full["text"].is_null());
        let mut out = Vec::new();
        record(&Some(fact), &mut serde_json::Serializer::new(&mut out)).unwrap();
        let recorded: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert!(recorded.get("otherwise").is_none() && recorded.get("text").is_none());
        assert_eq!(recorded["when"], serde_json::json!({"op": "=", "number": "0"}));
    }
}
