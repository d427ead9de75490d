//! `jixiao build` of one case or many, `jixiao summary`, and the hidden
//! `__case` command that builds one case of a batch in its own process.

use std::path::{Path, PathBuf};

use super::exit::Outcome;
use super::Edge;
use crate::batch::CaseResult;
use crate::setup::SetupOptions;

/// What `build` was asked.
pub struct BuildArgs {
    pub paths: Vec<PathBuf>,
    pub out: Option<PathBuf>,
    pub templates: Option<PathBuf>,
    /// `--no-toc-pages`.
    pub no_toc_pages: bool,
    pub force: bool,
    pub jobs: usize,
    pub setup: SetupOptions,
}

pub fn build(a: &BuildArgs, edge: &Edge) -> Outcome {
    for p in &a.paths {
        if !p.exists() {
            eprintln!("错误：找不到“{}”。请检查路径是否正确。", p.display());
            return Outcome::Unreadable;
        }
    }
    let (cases, unreadable) = crate::batch::find_cases_reporting(&a.paths);
    for u in &unreadable {
        eprintln!("提示：{u}");
    }
    if cases.is_empty() && !unreadable.is_empty() {
        eprintln!("错误：没有找到可读取的案例文件夹。");
        return Outcome::Unreadable;
    }
    if cases.is_empty() {
        return no_cases(&a.paths);
    }
    let single = cases.len() == 1;
    let outputs = match (&a.out, single) {
        (Some(o), true) => vec![o.clone()],
        (None, true) => vec![crate::pipeline::default_output(&cases[0])],
        (Some(o), false) => crate::batch::output_folders(&cases, o),
        (None, false) => crate::batch::output_folders(&cases, Path::new("output")),
    };
    let templates: Vec<PathBuf> = a.templates.iter().cloned().collect();
    let options = crate::batch::BatchOptions {
        render: crate::render::report::Options {
            template_dirs: templates.clone(),
            layout_pass: !a.no_toc_pages,
            setup: a.setup.clone(),
            ..Default::default()
        },
        // Several cases: each in a process of its own, so one that dies does not take the batch down.
        isolate: if single { None } else { std::env::current_exe().ok() },
        force: a.force,
        jobs: a.jobs,
        progress: !single,
        verbose: edge.verbose,
    };
    let started = std::time::Instant::now();
    let results = crate::batch::build_all(&cases, &outputs, &options);
    print_results(&results, single, a.no_toc_pages, edge.verbose);
    print_pending_and_errors(&results, single);
    if !single {
        // The 财政局's view across the batch: 汇总表, 综合绩效评价报告, 汇总.json.
        let root = a.out.clone().unwrap_or_else(|| PathBuf::from("output"));
        let failures: Vec<(PathBuf, String)> = results
            .iter()
            .filter_map(|r| match &r.result {
                Err(e) => Some((r.case.clone(), e.to_string())),
                Ok(s) if !s.unreadable.is_empty() => Some((r.case.clone(), s.unreadable.join("；"))),
                Ok(_) => None,
            })
            .collect();
        let t = std::time::Instant::now();
        let portfolio = crate::summary::collect(&cases, &outputs, &failures, &root);
        if !write_summary(&portfolio, &root, &templates, t) {
            outln!("总用时 {} ms", started.elapsed().as_millis());
            return Outcome::Attention;
        }
    }
    outln!("总用时 {} ms", started.elapsed().as_millis());
    // A draft waiting for inputs is a normal step; an indicator a rule could not score is not.
    let unscored = results.iter().any(|r| r.result.as_ref().is_ok_and(|s| s.unscored > 0));
    if results.iter().any(|r| r.failed()) || unscored {
        Outcome::Attention
    } else {
        Outcome::Fine
    }
}

/// Each case's notes (its report, for one case), the summary table, and
/// with `-v` the detail behind each failure.
fn print_results(results: &[CaseResult], single: bool, no_toc_pages: bool, verbose: bool) {
    for r in results {
        if let Ok(run) = &r.result {
            for note in &run.messages {
                eprintln!("提示 {}：{note}", r.case.display());
            }
            if single {
                outln!("报告 {}", run.report.display());
                if !run.toc_pages {
                    outln!("（目录页码未排版：未找到 LibreOffice 或已用 --no-toc-pages；Word 打开时会更新目录）");
                }
            }
        }
    }
    outp!("{}", crate::cli::table(&crate::batch::summary(results)));
    if verbose {
        for r in results {
            if let Err(e) = &r.result {
                if let Some(detail) = super::detail(e) {
                    outln!("（详细信息）{}：{detail}", r.case.display());
                }
            }
        }
    }
    let unnumbered = results.iter().filter(|r| matches!(&r.result, Ok(s) if !s.toc_pages)).count();
    if !single && unnumbered > 0 && !no_toc_pages {
        outln!("{unnumbered} 份报告的目录页码未排版（未找到 LibreOffice 或排版失败）；Word 打开时会更新目录。");
    }
}

/// What each draft still lacks, and each case's first errors.
fn print_pending_and_errors(results: &[CaseResult], single: bool) {
    for r in results {
        if let Ok(s) = &r.result {
            if s.pending > 0 {
                outln!(
                    "{}：报告为草稿：缺 {} 项（见报告首页“待填事项”和 {}）。",
                    r.case.display(),
                    s.pending,
                    r.output.join("校验结果.xlsx").display()
                );
                // One case: the whole list; a batch: the first few of each case.
                let shown = if single { usize::MAX } else { 5 };
                let mut group = "";
                for (g, p) in s.pending_items.iter().take(shown) {
                    if g != group {
                        group = g;
                        outln!("{g}（{} 项）", s.pending_items.iter().filter(|(x, _)| x == g).count());
                    }
                    outln!("  {p}");
                }
                if s.pending_items.len() > shown {
                    outln!("  ……");
                }
            }
            if s.errors > 0 {
                outln!(
                    "{}：错误 {} 条，明细见 {}（或运行 jixiao check “{}”）。",
                    r.case.display(),
                    s.errors,
                    r.output.join("校验结果.xlsx").display(),
                    r.case.display()
                );
                for e in &s.first_errors {
                    outln!("  {e}");
                }
                if s.errors > s.first_errors.len() {
                    outln!("  ……");
                }
            }
        }
    }
}

/// Write the batch's summary and say what was written and what moved; false when it could not be written.
fn write_summary(
    portfolio: &crate::summary::Portfolio,
    root: &Path,
    templates: &[PathBuf],
    started: std::time::Instant,
) -> bool {
    match crate::summary::write(portfolio, root, templates) {
        Ok(w) => {
            let built: usize = portfolio.groups.iter().map(|g| g.cases.len()).sum();
            outln!(
                "汇总：{} 个案例（已生成 {built} 个，失败 {} 个），{} 组（按报告类型和年度），{} ms",
                portfolio.cases,
                portfolio.failed.len(),
                portfolio.groups.len(),
                started.elapsed().as_millis()
            );
            for f in &w.files {
                outln!("  {}", f.display());
            }
            outp!("{}", w.changes);
            true
        }
        Err(e) => {
            eprintln!("错误：{e}");
            false
        }
    }
}

/// No case folder under `paths`: say where was looked (exit 2).
fn no_cases(paths: &[PathBuf]) -> Outcome {
    eprintln!(
        "错误：在 {} 下没有找到案例文件夹（含 Excel 工作簿的文件夹）。",
        paths.iter().map(|p| format!("“{}”", p.display())).collect::<Vec<_>>().join("、")
    );
    Outcome::Unreadable
}

pub fn summary(paths: &[PathBuf], out: Option<PathBuf>, templates: Option<PathBuf>) -> Outcome {
    let cases = crate::batch::find_cases(paths);
    if cases.is_empty() {
        return no_cases(paths);
    }
    let root = out.unwrap_or_else(|| PathBuf::from("output"));
    let outputs = crate::batch::output_folders(&cases, &root);
    let t = std::time::Instant::now();
    let portfolio = crate::summary::collect(&cases, &outputs, &[], &root);
    for f in &portfolio.failed {
        eprintln!("提示：{}：{}", f.folder, f.message);
    }
    let templates: Vec<PathBuf> = templates.into_iter().collect();
    if write_summary(&portfolio, &root, &templates, t) {
        Outcome::Fine
    } else {
        Outcome::Attention
    }
}

/// What the hidden `__case` command was asked.
pub struct CaseArgs {
    pub path: PathBuf,
    pub out: PathBuf,
    pub templates: Vec<PathBuf>,
    pub toc_pages: bool,
    pub force: bool,
    pub layout_doc: Option<PathBuf>,
    pub toc_numbers: Option<Vec<u32>>,
    pub setup: SetupOptions,
}

/// One case of a batch, in its own process: the result as JSON on stdout.
pub fn isolated_case(a: CaseArgs, edge: &Edge) -> Outcome {
    let name = a.path.file_name();
    // Fault injection for the batch's isolation tests: this case dies as an abort would, or panics as a bug would.
    if edge.test_abort_case.is_some() && name == edge.test_abort_case.as_deref() {
        std::process::abort();
    }
    if edge.test_panic_case.is_some() && name == edge.test_panic_case.as_deref() {
        panic!("测试注入的内部错误（JIXIAO_TEST_PANIC_CASE）");
    }
    let options = crate::render::report::Options {
        template_dirs: a.templates,
        layout_pass: a.toc_pages && a.layout_doc.is_none(),
        emit_layout: a.layout_doc.is_some(),
        toc_numbers: a.toc_numbers,
        setup: a.setup,
        ..Default::default()
    };
    let result = match crate::pipeline::build_with(&a.path, &a.out, &options, a.force) {
        Ok(run) => {
            if let (Some(path), Some(layout)) = (&a.layout_doc, &run.layout) {
                // Unwritable: this case goes without page numbers, as without LibreOffice.
                let _ = std::fs::write(path, &layout.bytes);
            }
            crate::batch::Isolated::Built(crate::batch::CaseSummary::of(&run))
        }
        Err(e) => {
            let detail = super::detail(&e).filter(|_| edge.verbose);
            crate::batch::Isolated::Failed(match detail {
                Some(d) => format!("{e}\n（详细信息）{d}"),
                None => e.to_string(),
            })
        }
    };
    match serde_json::to_string(&result) {
        Ok(s) => {
            outln!("{s}");
            Outcome::Fine
        }
        Err(_) => Outcome::Internal,
    }
}
