//! Stage — `setup`: how a case is evaluated, resolved once per case from
//! explicit values (the command line's `--kind`, `--system`, or the page's
//! choices) and what its working paper names: the report kind (its outline,
//! templates and default system), the indicator system, the re-check policy
//! of its 自评表. Every later stage takes the [`Setup`] it is given and never
//! looks any of this up again; two cases in one process may have different
//! setups.
//!
//! ```no_run
//! use jixiao::setup::{Setup, SetupOptions};
//! let case = jixiao::ingest::ingest_path(std::path::Path::new("sample-workbooks/zaozhuang-shizhong-2024"));
//! let setup = Setup::resolve(&case, &SetupOptions::default()).expect("a known report kind");
//! let checks = jixiao::check::check_with(&case, &setup);
//! let scored = jixiao::score::score_with(&case, &checks, &setup).expect("a valid working paper");
//! assert_eq!(scored.total.unwrap().to_string(), "82.03");
//! ```

use std::path::PathBuf;

use crate::model::{Case, Place};
use crate::report_kind::{Kind, KindError};
use crate::system::{load, shipped_systems, Policy, ScoreError, ScoreErrorKind, System};

/// What the user chose, as values: nothing here is read from the environment.
#[derive(Debug, Clone, Default)]
pub struct SetupOptions {
    /// `--system FILE`: this system instead of the one the paper names.
    pub system_file: Option<PathBuf>,
    /// `--kind DIR`: this report kind instead of the paper's 报告类型.
    pub kind_dir: Option<PathBuf>,
    /// A further folder of system files, searched after the case's own.
    pub systems_dir: Option<PathBuf>,
}

/// How one case is evaluated.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The report kind: outline, templates, default system.
    pub report_kind: Kind,
    /// The indicator system, or why there is none (scoring then fails with
    /// these errors; checking and the list of what is missing go on).
    pub system: Result<System, Vec<ScoreError>>,
    /// How the 项目支出绩效自评表 are re-checked: the paper's 复核口径, else
    /// the system's `recheck`, else the form's printed rule.
    pub recheck_policy: Policy,
}

impl Setup {
    /// Resolve the case's setup; a report kind that cannot be used is an error.
    pub fn resolve(case: &Case, options: &SetupOptions) -> Result<Setup, KindError> {
        let report_kind = crate::report_kind::select(case, options.kind_dir.as_deref())?;
        Ok(Setup::with_kind(case, report_kind, options))
    }

    /// As [`Setup::resolve`], with the default report kind when the case's cannot be used.
    pub fn of(case: &Case) -> Setup {
        let options = SetupOptions::default();
        let kind = crate::report_kind::select(case, None).unwrap_or_else(|_| crate::report_kind::default_kind());
        Setup::with_kind(case, kind, &options)
    }

    fn with_kind(case: &Case, report_kind: Kind, options: &SetupOptions) -> Setup {
        let system = select_system(case, &report_kind, options);
        let recheck_policy = case
            .working_paper
            .as_ref()
            .and_then(|p| p.info("复核口径"))
            .and_then(Policy::parse)
            .or_else(|| system.as_ref().ok().and_then(|s| s.recheck))
            .unwrap_or_default();
        Setup { report_kind, system, recheck_policy }
    }
}

/// Which system the case uses: the shipped one the working paper names, or
/// the paper's own 指标体系 sheet.
fn select_system(case: &Case, kind: &Kind, options: &SetupOptions) -> Result<System, Vec<ScoreError>> {
    let project: Option<Vec<(String, String, String)>> = case
        .evaluated_project()
        .map(|e| e.indicators.iter().map(|i| (i.level1.clone(), i.level2.clone(), i.name.clone())).collect());
    select_unexpanded(case, kind, options).map(|s| s.expanded(project.as_deref()))
}

fn select_unexpanded(case: &Case, kind: &Kind, options: &SetupOptions) -> Result<System, Vec<ScoreError>> {
    // `--system FILE` overrides the paper.
    if let Some(file) = &options.system_file {
        return load::system_file(file);
    }
    let Some(paper) = &case.working_paper else {
        return Err(vec![ScoreError::new(Place::file("案例文件夹"), ScoreErrorKind::NoWorkingPaper)]);
    };
    let place = Place::file(&paper.file).sheet("项目信息");
    match paper.info("指标体系") {
        Some(name) => {
            if let Some(s) = load::shipped(name) {
                return Ok(s);
            }
            let folders = load::system_folders(case.folder.as_deref(), options.systems_dir.as_deref());
            if load::names_a_file(name) {
                return match load::find_system_file(name, &folders) {
                    Some(found) => load::found_system_file(found),
                    None => Err(vec![ScoreError::new(
                        &place,
                        ScoreErrorKind::SystemFileNotFound { name: name.to_string(), searched: folders },
                    )]),
                };
            }
            if !paper.system_rows.is_empty() {
                return System::from_rows(&paper.system_rows, name, &format!("{} › 指标体系", paper.file));
            }
            let shipped = shipped_systems().into_iter().map(|s| s.name).collect();
            let files = load::system_files_in(&folders);
            Err(vec![ScoreError::new(
                &place,
                ScoreErrorKind::SystemNotFound { name: name.to_string(), shipped, files },
            )])
        }
        None if !paper.system_rows.is_empty() => {
            System::from_rows(&paper.system_rows, "评价底稿指标体系", &format!("{} › 指标体系", paper.file))
        }
        None => match kind.system.clone() {
            // The report kind's own system.
            Some(name) => match load::shipped(&name) {
                Some(s) => Ok(s),
                None => {
                    let mut folders: Vec<std::path::PathBuf> = kind.folder.iter().cloned().collect();
                    folders.extend(load::system_folders(case.folder.as_deref(), options.systems_dir.as_deref()));
                    match load::find_system_file(&name, &folders) {
                        Some(found) => load::found_system_file(found),
                        None => Err(vec![ScoreError::new(
                            Place::file(&kind.origin),
                            ScoreErrorKind::KindSystemNotFound { kind: kind.name.clone(), name },
                        )]),
                    }
                }
            },
            None => Err(vec![ScoreError::new(&place, ScoreErrorKind::SystemNotNamed)]),
        },
    }
}
