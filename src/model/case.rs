//! Everything read from one case folder.

use serde::Serialize;

use super::{
    DeptSelfEval, Location, Place, ProjectSelfEval, ProjectTargets, Provenance, Table, TableKind, WorkingPaper,
};

/// The normalised model of a case: every table found, where, and what went wrong.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Case {
    /// The files looked at, in name order.
    pub files: Vec<SourceFile>,
    /// Standard tables (决算, 预算, target and list tables).
    pub tables: Vec<Table>,
    pub project_targets: Vec<ProjectTargets>,
    pub project_self_evals: Vec<ProjectSelfEval>,
    pub dept_self_evals: Vec<DeptSelfEval>,
    /// The evaluator's working paper, when the folder has one.
    pub working_paper: Option<WorkingPaper>,
    /// Problems met while reading, in file order.
    pub problems: Vec<Problem>,
    /// A survey tally read from a workbook of its own (问卷统计表).
    pub survey: Vec<crate::model::working_paper::SurveyAnswer>,
    /// The case folder read (none for a single workbook).
    pub folder: Option<std::path::PathBuf>,
}

/// A file of the case and what was found in it.
#[derive(Debug, Clone, Serialize)]
pub struct SourceFile {
    pub name: String,
    /// `xlsx`, `xls`, `ods`, or `None` when it could not be opened.
    pub format: Option<String>,
    pub found: Vec<Found>,
    /// Sheets holding no recognised table.
    pub unrecognised_sheets: Vec<String>,
}

/// A table found in a file.
#[derive(Debug, Clone, Serialize)]
pub struct Found {
    pub kind: TableKind,
    pub name: String,
    pub title: String,
    pub year: Option<i32>,
    pub location: Vec<Location>,
    pub rows: usize,
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Severity {
    /// 提示: worth knowing, nothing wrong with the result.
    #[serde(rename = "提示")]
    Note,
    /// 错误: part of the input could not be used as it stands.
    #[serde(rename = "错误")]
    Error,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Note => "提示",
            Severity::Error => "错误",
        }
    }
}

/// A problem met while reading a case, with the place it concerns.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub severity: Severity,
    /// Stable id (`ingest.unreadable`, `ingest.number`, …).
    pub rule: &'static str,
    /// `file › sheet › cell` (or just the file).
    pub place: Place,
    /// Plain Chinese, saying what to do.
    pub message: String,
    /// The whole file could not be read.
    pub unreadable: bool,
}

impl Problem {
    pub fn at(rule: &'static str, at: &Provenance, message: impl Into<String>) -> Problem {
        Problem { severity: Severity::Error, rule, place: at.into(), message: message.into(), unreadable: false }
    }

    pub fn note(mut self) -> Problem {
        self.severity = Severity::Note;
        self
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}：{}", self.severity.label(), self.place, self.message)
    }
}

impl Case {
    /// The project a 项目支出 evaluation is about: the 项目支出绩效自评表 whose
    /// project is the paper's 评价项目 (else its 评价对象).
    pub fn evaluated_project(&self) -> Option<&crate::model::ProjectSelfEval> {
        let paper = self.working_paper.as_ref()?;
        let name = paper.info("评价项目").or(paper.info("评价对象"))?;
        let key = crate::model::project_key(name);
        self.project_self_evals.iter().find(|e| crate::model::project_key(&e.project) == key)
    }

    /// The 项目绩效目标表 of that project, when the budget workbook is there.
    pub fn evaluated_project_targets(&self) -> Option<&crate::model::ProjectTargets> {
        let key = crate::model::project_key(&self.evaluated_project()?.project);
        self.project_targets.iter().find(|t| crate::model::project_key(&t.project) == key)
    }

    /// The tables of one kind (several years possible).
    pub fn tables_of(&self, kind: TableKind) -> impl Iterator<Item = &Table> {
        self.tables.iter().filter(move |t| t.kind == kind)
    }

    /// The table of a kind for a year. A table whose year could not be
    /// determined stands in only for the evaluation year — never for
    /// another (last year's 五项费用 must not silently be this year's).
    /// Without a year, the first of the kind.
    pub fn table(&self, kind: TableKind, year: Option<i32>) -> Option<&Table> {
        let mut of_kind = self.tables_of(kind);
        match year {
            Some(y) => self
                .tables_of(kind)
                .find(|t| t.year == Some(y))
                .or_else(|| (self.evaluation_year() == Some(y)).then(|| of_kind.find(|t| t.year.is_none())).flatten()),
            None => of_kind.next(),
        }
    }

    /// The evaluation year: the working paper's 评价年度, else the latest
    /// year of the final accounts; None when neither says.
    pub fn evaluation_year(&self) -> Option<i32> {
        self.working_paper
            .as_ref()
            .and_then(|p| p.info("评价年度"))
            .and_then(|y| y.trim_end_matches(['年', '度']).trim().parse().ok())
            .or_else(|| self.tables.iter().filter(|t| t.kind.is_final()).filter_map(|t| t.year).max())
    }

    /// Any problem of severity 错误.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }

    /// Some file could not be read at all.
    pub fn has_unreadable(&self) -> bool {
        self.problems.iter().any(|p| p.unreadable)
    }
}
