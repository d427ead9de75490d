//! Stage 4 — `assemble`: one typed [`Evaluation`] holding every figure,
//! table row and sentence any output shows, computed once from the model,
//! the checks and the scores. The writers (`render`: DOCX, XLSX, JSON) take
//! `&Evaluation` only and format it; the JSON *is* the evaluation
//! (`serde`), with a [`SCHEMA_VERSION`], and the change report reads the
//! previous run's JSON back into the same type.
//!
//! ```no_run
//! use std::path::Path;
//! let case = jixiao::ingest::ingest_path(Path::new("sample-workbooks/zaozhuang-shizhong-2024"));
//! let checks = jixiao::check::check(&case);
//! let scored = jixiao::score::score(&case, &checks).expect("a valid working paper");
//! let eval = jixiao::assemble::assemble(&case, &checks, &scored);
//! assert_eq!(eval.score.total.unwrap().to_string(), "82.03");
//! assert_eq!(eval.budget.difference_rate.as_ref().unwrap().value.to_string(), "-31.13");
//! assert!(eval.table("annex2").is_some());
//! ```

mod budget;
mod case_info;
mod checks;
pub mod findings;
mod inputs;
mod level2_tables;
mod pending;
mod problems;
mod project_tables;
mod projects;
pub mod report_table;
mod samples;
mod scores;
mod system_info;
mod table_builders;
mod team_tables;
mod texts;
mod themes;
mod warnings;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::check::CheckReport;
use crate::model::{Case, Severity};
use crate::score::{Coverage, Scored};

pub use budget::{Budget, BudgetLine, IncomeLine};
pub use case_info::CaseInfo;
pub use checks::CheckRow;
pub use inputs::InputFile;
pub use pending::{Pending, PENDING_CELL};
pub use problems::{FindingInfo, ProblemInfo};
pub use projects::{ProjectFund, ProjectInfo, ProjectLine, TransferLine, Transfers};
pub use report_table::ReportTable;
pub use samples::{RecheckInfo, SampledInfo};
pub use scores::{shown_basis, IndicatorInfo, Level1Score, Level2Result, ScoreInfo};
pub use system_info::{GradeBand, Level1Info, Level2Info, SystemInfo};
pub use themes::ThemeInfo;

pub use crate::templates::placeholder;

/// The version of the JSON's shape; a previous run's JSON of another
/// version is not compared. 2: scores may be none (a draft whose
/// indicators lack inputs), pending items carry their list.
pub const SCHEMA_VERSION: u32 = 2;

/// Everything the outputs say about one case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub schema_version: u32,
    /// Some input is missing: the report is a draft (征求意见稿) whose
    /// missing values are placeholders (`【待填：…】`) listed in `pending`.
    pub draft: bool,
    /// What is still to fill in, and where (the 待填事项 page, 校验结果).
    pub pending: Vec<Pending>,
    pub case: CaseInfo,
    /// 文字 of the working paper by name (`部门主要职责`, `指标分析：预算执行率`, …).
    pub texts: BTreeMap<String, String>,
    pub budget: Budget,
    pub system: SystemInfo,
    pub score: ScoreInfo,
    pub themes: Vec<ThemeInfo>,
    /// 表3-3 rows: the re-check of each 项目支出绩效自评表.
    pub rechecks: Vec<RecheckInfo>,
    /// Sampled projects (抽查项目).
    pub sampled: Vec<SampledInfo>,
    /// Projects: 预算 表十一 joined with the 分项绩效项目清单 (table 1-2).
    pub projects: Vec<ProjectLine>,
    /// The XLSX annexes the report kind writes (`附件1` …; 校验结果 always).
    #[serde(default)]
    pub annexes: Vec<String>,
    /// The project a 项目支出 evaluation is about (项目信息 › 评价项目), from
    /// its 项目支出绩效自评表: its own figures, never the department's.
    #[serde(default)]
    pub project: Option<ProjectInfo>,
    /// Transfer payments (表3-2), with their totals.
    pub transfers: Transfers,
    /// Sampling coverage of the projects re-evaluated.
    pub coverage: Vec<Coverage>,
    /// Things to look at that did not stop scoring.
    pub warnings: Vec<String>,
    /// The ingest problems and the check findings (校验结果).
    pub checks: Vec<CheckRow>,
    /// The files read and the tables found in them.
    pub inputs: Vec<InputFile>,
    /// Every table the report and the annexes show, by name.
    pub tables: Vec<ReportTable>,
    /// The report's file name.
    pub report_file: String,
}

impl Evaluation {
    /// A 文字 by name: as typed, else under a near name
    /// ([`crate::model::working_paper::near_name`]).
    pub fn text(&self, name: &str) -> Option<&String> {
        use crate::model::working_paper::near_name;
        self.texts.get(name).or_else(|| {
            let key = near_name(name);
            self.texts.iter().find(|(k, _)| near_name(k) == key).map(|(_, v)| v)
        })
    }

    /// A table by its name (`1-1`, `annex2`).
    pub fn table(&self, name: &str) -> Option<&ReportTable> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// The names of every table, for messages.
    pub fn table_names(&self) -> Vec<&str> {
        self.tables.iter().map(|t| t.name.as_str()).collect()
    }

    /// 错误 among the checks.
    pub fn check_errors(&self) -> usize {
        self.checks.iter().filter(|c| c.severity == Severity::Error.label()).count()
    }

    /// 提示 among the checks.
    pub fn check_notes(&self) -> usize {
        self.checks.len() - self.check_errors()
    }
}

/// Build the evaluation of a scored case, its setup resolved with the
/// default options (a convenience; the pipeline calls [`assemble_in`] with
/// the case's setup).
pub fn assemble(case: &Case, checks: &CheckReport, scored: &Scored) -> Evaluation {
    let setup = crate::setup::Setup::of(case);
    let missing = crate::score::missing(case, &setup, &crate::templates::default_texts());
    assemble_with(case, checks, scored, &missing, &setup.report_kind)
}

/// As [`assemble`], with what the case lacks for the templates in use
/// ([`crate::missing::missing_with`]): each item is pending, and shown as a
/// placeholder wherever the report prints it.
pub fn assemble_with(
    case: &Case,
    checks: &CheckReport,
    scored: &Scored,
    missing: &crate::missing::Missing,
    kind: &crate::report_kind::Kind,
) -> Evaluation {
    let dirs: Vec<std::path::PathBuf> = kind.folder.iter().cloned().collect();
    assemble_in(case, checks, scored, missing, kind, &dirs)
}

/// As [`assemble_with`], the findings template (`findings.j2`) looked for
/// in `template_dirs` first (the case's and the run's template folders).
pub fn assemble_in(
    case: &Case,
    checks: &CheckReport,
    scored: &Scored,
    missing: &crate::missing::Missing,
    kind: &crate::report_kind::Kind,
    template_dirs: &[std::path::PathBuf],
) -> Evaluation {
    let paper = case.working_paper.as_ref();
    let pending = pending::pending(missing, scored);
    let mut words = findings::Words::new(template_dirs);
    let worded: Vec<findings::Worded> = scored.indicators.iter().map(|i| findings::word(i, &mut words)).collect();
    let mut eval = Evaluation {
        schema_version: SCHEMA_VERSION,
        draft: !pending.is_empty(),
        checks: checks::check_rows(case, checks, &pending),
        pending,
        case: case_info::case_info(case, scored),
        texts: texts::texts(paper, missing),
        budget: budget::budget(case, scored),
        system: system_info::system_info(scored),
        score: scores::score_info(scored, &worded, paper),
        themes: themes::themes(paper),
        rechecks: samples::rechecks(checks),
        sampled: samples::sampled(paper),
        projects: projects::projects(case, scored.year),
        project: projects::project_info(case),
        annexes: kind.annexes.clone(),
        transfers: projects::transfers(case),
        coverage: scored.coverage.clone(),
        warnings: scored.warnings.clone(),
        inputs: inputs::inputs(case),
        tables: Vec::new(),
        report_file: case_info::report_file_name(case, scored, kind),
    };
    eval.warnings.extend(words.error);
    eval.tables = table_builders::all(&eval, case, scored);
    eval.tables.extend(level2_tables::tables(&eval.score));
    let findings = paper.map(|p| p.findings.as_slice()).unwrap_or_default();
    eval.warnings.extend(warnings::too_long_for_excel(&eval, findings));
    eval
}
