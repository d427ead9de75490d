//! The rule families, one enum: its name (as written in a system file or
//! the 指标体系 sheet's 规则 column), the parameters it needs, and its
//! function in [`rules`](crate::score::rules).
//!
//! ```
//! use jixiao::score::Family;
//! assert_eq!(Family::parse("bands"), Some(Family::Bands));
//! assert_eq!(Family::Bands.name(), "bands");
//! assert!(Family::parse("magic").is_none());
//! ```

use serde::{Serialize, Serializer};

/// A rule family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    Ratio,
    Bands,
    Window,
    Step,
    Checkpoints,
    Findings,
    GradeMap,
    ProjectGrades,
    GradeGap,
    Share,
    NotApplicable,
    Manual,
    Gate,
    UnitShare,
    Target,
}

impl Family {
    /// Every family, in the order the dropdown and the messages list them.
    pub const ALL: &'static [Family] = &[
        Family::Ratio,
        Family::Bands,
        Family::Window,
        Family::Step,
        Family::Checkpoints,
        Family::Findings,
        Family::GradeMap,
        Family::ProjectGrades,
        Family::GradeGap,
        Family::Share,
        Family::NotApplicable,
        Family::Manual,
        Family::Gate,
        Family::UnitShare,
        Family::Target,
    ];

    /// The name written in systems.
    pub fn name(self) -> &'static str {
        match self {
            Family::Ratio => "ratio",
            Family::Bands => "bands",
            Family::Window => "window",
            Family::Step => "step",
            Family::Checkpoints => "checkpoints",
            Family::Findings => "findings",
            Family::GradeMap => "grade_map",
            Family::ProjectGrades => "project_grades",
            Family::GradeGap => "grade_gap",
            Family::Share => "share",
            Family::NotApplicable => "not_applicable",
            Family::Manual => "manual",
            Family::Gate => "gate",
            Family::UnitShare => "unit_share",
            Family::Target => "target",
        }
    }

    pub fn parse(name: &str) -> Option<Family> {
        Family::ALL.iter().copied().find(|f| f.name() == name.trim())
    }

    /// Every name, `、`-joined, for messages.
    pub fn names() -> String {
        Family::ALL.iter().map(|f| f.name()).collect::<Vec<_>>().join("、")
    }

    /// The parameters it needs: each inner list is "one of these".
    pub fn required_params(self) -> &'static [&'static [&'static str]] {
        match self {
            Family::Ratio => &[&["metric", "numerator"]],
            Family::Bands => &[&["metric"], &["bands"]],
            Family::Window => &[&["metric"], &["full_from"], &["full_to"], &["per_point"]],
            Family::Step => &[&["metric"], &["threshold"], &["deduct"]],
            Family::Checkpoints => &[&["points"], &["denominator"]],
            Family::Findings | Family::NotApplicable | Family::GradeGap => &[],
            Family::GradeMap => &[&["fact"], &["map"]],
            Family::ProjectGrades => &[&["purpose"]],
            Family::Share => &[&["compliant"], &["total"]],
            Family::Manual => &[&["score"]],
            Family::Gate => &[&["metric"], &["when"]],
            Family::UnitShare => &[&["column"], &["at_least", "at_most", "between"]],
            Family::Target => &[&["indicator"]],
        }
    }
}

impl Family {
    /// The parameters read as numbers (each checked when the system is loaded).
    pub fn number_params(self) -> &'static [&'static str] {
        match self {
            Family::Ratio => &["target"],
            Family::Window => &["full_from", "full_to", "per_point", "zero_below", "zero_above"],
            Family::Step => &["threshold", "per", "deduct", "cap", "zero_above"],
            Family::Checkpoints => &["per", "deduct"],
            Family::GradeGap => &["per_step"],
            Family::Manual => &["score"],
            Family::Gate => &["score"],
            Family::UnitShare => &["at_least", "at_most"],
            _ => &[],
        }
    }

    /// The number parameters that divide (or step), so must be above 0.
    pub fn positive_params(self) -> &'static [&'static str] {
        match self {
            Family::Ratio => &["target"],
            Family::Step | Family::Checkpoints => &["per"],
            _ => &[],
        }
    }

    /// The parameters holding `条件:分数` lists.
    pub fn pair_params(self) -> &'static [&'static str] {
        match self {
            Family::Bands => &["bands"],
            Family::Checkpoints => &["points"],
            Family::GradeMap | Family::ProjectGrades => &["map"],
            Family::Findings => &["items"],
            _ => &[],
        }
    }

    /// The parameters holding conditions (`≥95`, `else`).
    pub fn condition_params(self) -> &'static [&'static str] {
        match self {
            Family::Gate => &["when"],
            _ => &[],
        }
    }
}

impl std::fmt::Display for Family {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Family {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}
