//! Folders of cases: find every case folder under the roots, build them in
//! parallel with a progress bar, and summarise. One bad case never stops the
//! others.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::ingest::is_workbook_name;
use crate::pipeline::{build_with, BuildError, BuildRun};
use crate::render::report::Options;

/// Folders never searched for cases.
fn skipped(name: &str) -> bool {
    name.starts_with('.') || matches!(name, "output" | "templates" | "target" | "输出")
}

fn has_workbooks(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .any(|e| e.path().is_file() && e.file_name().to_str().is_some_and(is_workbook_name))
        })
        .unwrap_or(false)
}

/// Every case folder (a folder holding workbooks) at or under the roots,
/// sorted, without duplicates. Searches up to four levels deep.
pub fn find_cases(roots: &[PathBuf]) -> Vec<PathBuf> {
    fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
        if has_workbooks(dir) {
            out.push(dir.to_path_buf());
            return;
        }
        if depth == 0 {
            return;
        }
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        let mut subs: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir() && e.file_name().to_str().is_some_and(|n| !skipped(n)))
            .map(|e| e.path())
            .collect();
        subs.sort();
        for s in subs {
            walk(&s, depth - 1, out);
        }
    }
    let mut out = Vec::new();
    for r in roots {
        walk(r, 4, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

/// The output folder of each case under `root`: its folder name, made
/// unique with a number when two cases share a name.
pub fn output_folders(cases: &[PathBuf], root: &Path) -> Vec<PathBuf> {
    let mut used: Vec<String> = Vec::new();
    cases
        .iter()
        .map(|c| {
            let base = c
                .canonicalize()
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| "case".into());
            let mut name = base.clone();
            let mut n = 2;
            while used.contains(&name) {
                name = format!("{base}-{n}");
                n += 1;
            }
            used.push(name.clone());
            root.join(name)
        })
        .collect()
}

/// What is kept of a built case (the model itself is dropped at once, so a
/// batch of hundreds of cases needs the memory of a few).
pub struct CaseSummary {
    pub total: rust_decimal::Decimal,
    pub grade: crate::model::Grade,
    pub errors: usize,
    pub notes: usize,
    pub report: PathBuf,
    pub toc_pages: bool,
    /// Outputs not overwritten because a person edited them, and the like.
    pub messages: Vec<String>,
    /// Files that could not be read at all.
    pub unreadable: Vec<String>,
}

impl CaseSummary {
    fn of(run: &BuildRun) -> CaseSummary {
        let a = &run.annex;
        let problems = |sev| a.case.problems.iter().filter(|p| p.severity == sev).count();
        CaseSummary {
            total: a.scored.total,
            grade: a.scored.grade,
            errors: a.checks.errors() + problems(crate::model::Severity::Error),
            notes: a.checks.notes() + problems(crate::model::Severity::Note),
            report: run.report.clone(),
            toc_pages: run.toc_pages,
            messages: a.notes.iter().chain(&a.evaluation.warnings).cloned().collect(),
            unreadable: a.case.problems.iter().filter(|p| p.unreadable).map(|p| p.to_string()).collect(),
        }
    }
}

/// One case's result.
pub struct CaseResult {
    pub case: PathBuf,
    pub output: PathBuf,
    pub result: Result<CaseSummary, BuildError>,
    pub elapsed: Duration,
}

impl CaseResult {
    /// The case could not be built, or one of its files could not be read.
    pub fn failed(&self) -> bool {
        match &self.result {
            Ok(s) => !s.unreadable.is_empty(),
            Err(_) => true,
        }
    }
}

/// How to build.
#[derive(Clone, Default)]
pub struct BatchOptions {
    pub render: Options,
    pub force: bool,
    /// Worker threads (0 = one per core).
    pub jobs: usize,
    pub progress: bool,
}

/// Build every case; results in the order of `cases`.
pub fn build_all(cases: &[PathBuf], outputs: &[PathBuf], options: &BatchOptions) -> Vec<CaseResult> {
    let bar = if options.progress {
        let bar = indicatif::ProgressBar::new(cases.len() as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} 个案例 {elapsed_precise} 剩余 {eta} {msg}")
        {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let work = |(case, out): (&PathBuf, &PathBuf)| {
        let started = Instant::now();
        let result = build_with(case, out, &options.render, options.force).map(|run| CaseSummary::of(&run));
        bar.inc(1);
        bar.set_message(case.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        CaseResult { case: case.clone(), output: out.clone(), result, elapsed: started.elapsed() }
    };
    let pairs: Vec<(&PathBuf, &PathBuf)> = cases.iter().zip(outputs).collect();
    let results = match rayon::ThreadPoolBuilder::new().num_threads(options.jobs).build() {
        Ok(pool) => pool.install(|| pairs.into_par_iter().map(work).collect()),
        Err(_) => pairs.into_iter().map(work).collect(),
    };
    bar.finish_and_clear();
    results
}

/// The summary table: case, score, grade, 错误/提示, output, time — then
/// each failure's message.
pub fn summary(results: &[CaseResult]) -> String {
    use crate::model::value::fmt_number;
    let mut out = String::from("案例\t得分\t等级\t错误\t提示\t输出\t用时\n");
    for r in results {
        let name = r.case.display();
        let ms = r.elapsed.as_millis();
        match &r.result {
            Ok(s) => out.push_str(&format!(
                "{name}\t{}\t{}\t{}\t{}\t{}\t{ms} ms\n",
                fmt_number(s.total),
                s.grade,
                s.errors,
                s.notes,
                r.output.display()
            )),
            Err(_) => out.push_str(&format!("{name}\t—\t失败\t—\t—\t—\t{ms} ms\n")),
        }
    }
    let failed: Vec<&CaseResult> = results.iter().filter(|r| r.failed()).collect();
    if !failed.is_empty() {
        out.push_str(&format!("\n{} 个案例失败：\n", failed.len()));
        for r in failed {
            out.push_str(&format!("【{}】\n", r.case.display()));
            match &r.result {
                Err(e) => out.push_str(&format!("{e}\n")),
                Ok(s) => {
                    for p in &s.unreadable {
                        out.push_str(&format!("{p}\n"));
                    }
                }
            }
        }
    }
    let ok = results.iter().filter(|r| !r.failed()).count();
    out.push_str(&format!("\n共 {} 个案例：成功 {ok} 个，失败 {} 个。\n", results.len(), results.len() - ok));
    out
}
