//! What the grade rules read about the projects the evaluator sampled, and
//! how a target of the evaluated project is re-checked.

use crate::model::Grade;

use super::RuleError;

/// A project sampled by the evaluator (sheet 抽查项目).
pub struct Sampled {
    pub name: String,
    pub purpose: String,
    pub self_grade: String,
    pub recheck_grade: String,
    pub grade: String,
    pub reason: String,
}

/// A project's self-evaluation as re-checked by the check stage.
pub struct Rechecked {
    pub key: String,
    pub stated: Option<Grade>,
    pub grade: Grade,
    /// The defects, in 表3-3 wording.
    pub reasons: String,
}

/// What the grade rules read about sampled projects.
pub struct RuleContext {
    pub sampled: Vec<Sampled>,
    pub rechecked: Vec<Rechecked>,
    /// How a target of the evaluated project is re-checked (the case's setup).
    pub policy: crate::system::Policy,
}

pub use crate::model::project_key;

impl RuleContext {
    /// (name, 评价等级, 原因) of the projects sampled for `purpose`.
    pub(super) fn sampled(&self, purpose: &str) -> Vec<(String, String, String)> {
        self.sampled
            .iter()
            .filter(|s| s.purpose == purpose)
            .map(|s| (s.name.clone(), s.grade.clone(), s.reason.clone()))
            .collect()
    }

    /// (name, 自评, 复评, 原因) of the projects sampled for `purpose`: from the
    /// re-check of their 自评表 where there is one, else from the paper.
    pub(super) fn grade_pairs(&self, purpose: &str) -> Result<Vec<(String, Grade, Grade, String)>, RuleError> {
        let mut out = Vec::new();
        for s in self.sampled.iter().filter(|s| s.purpose == purpose) {
            let key = project_key(&s.name);
            if let Some(r) = self.rechecked.iter().find(|r| r.key == key) {
                if let Some(stated) = r.stated {
                    let reason = if s.reason.is_empty() { r.reasons.clone() } else { s.reason.clone() };
                    out.push((s.name.clone(), stated, r.grade, reason));
                    continue;
                }
            }
            let sg = Grade::parse(&s.self_grade).ok_or_else(|| RuleError::MissingSelfGrade { name: s.name.clone() })?;
            let rg = Grade::parse(&s.recheck_grade)
                .ok_or_else(|| RuleError::MissingRecheckGrade { name: s.name.clone() })?;
            out.push((s.name.clone(), sg, rg, s.reason.clone()));
        }
        Ok(out)
    }
}
