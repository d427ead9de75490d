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
/// Where `jixiao serve` writes the summary of its ROOT (never a case).
pub const SUMMARY_FOLDER: &str = "汇总";

/// Folder names never searched for cases: jixiao's own (outputs, templates,
/// the summary) and hidden ones.
pub fn skipped_folder_name(name: &str) -> bool {
    name.starts_with('.') || matches!(name, "output" | "templates" | "target" | "输出" | SUMMARY_FOLDER)
}

/// A folder holding workbooks that are not all jixiao's own outputs (a
/// summary folder holds only 汇总表 files its manifest or `汇总.json` names).
pub fn is_case_folder(dir: &Path) -> bool {
    let own = crate::output::outputs_in(dir);
    let summary = dir.join(crate::summary::SUMMARY_JSON).is_file();
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.filter_map(|e| e.ok()).any(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            e.path().is_file()
                && is_workbook_name(&name)
                && !own.contains(&name)
                && !(summary && name.starts_with("汇总表"))
        })
    })
}

fn skipped(dir: &Path, name: &str) -> bool {
    // A case someone named 汇总 is still a case; jixiao's summary folder is not.
    skipped_folder_name(name) && !(name == SUMMARY_FOLDER && is_case_folder(dir))
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
    find_cases_reporting(roots).0
}

/// As [`find_cases`], with the folders that could not be read and why
/// (`权限不足`…). A folder reached twice — through a symbolic link, or a
/// link loop — is one case (by its real path).
pub fn find_cases_reporting(roots: &[PathBuf]) -> (Vec<PathBuf>, Vec<String>) {
    struct Walk {
        out: Vec<PathBuf>,
        seen: std::collections::HashSet<PathBuf>,
        unreadable: Vec<String>,
    }
    fn walk(dir: &Path, depth: usize, w: &mut Walk) {
        let Ok(real) = dir.canonicalize() else { return };
        if !w.seen.insert(real) {
            return;
        }
        if has_workbooks(dir) {
            w.out.push(dir.to_path_buf());
            return;
        }
        if depth == 0 {
            return;
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                let why = if e.kind() == std::io::ErrorKind::PermissionDenied {
                    "权限不足，请检查文件夹权限".to_string()
                } else {
                    e.to_string()
                };
                w.unreadable.push(format!("无法读取文件夹“{}”（{why}）。", dir.display()));
                return;
            }
        };
        let mut subs: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir() && e.file_name().to_str().is_some_and(|n| !skipped(&e.path(), n)))
            .map(|e| e.path())
            .collect();
        subs.sort();
        for s in subs {
            walk(&s, depth - 1, w);
        }
    }
    let mut w = Walk { out: Vec::new(), seen: Default::default(), unreadable: Vec::new() };
    for r in roots {
        walk(r, 4, &mut w);
    }
    w.out.sort();
    w.out.dedup();
    (w.out, w.unreadable)
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
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CaseSummary {
    /// None for a draft whose indicators are not all scored.
    pub total: Option<rust_decimal::Decimal>,
    pub grade: Option<crate::model::Grade>,
    pub errors: usize,
    pub notes: usize,
    pub report: PathBuf,
    pub toc_pages: bool,
    /// Outputs not overwritten because a person edited them, and the like.
    pub messages: Vec<String>,
    /// Files that could not be read at all.
    pub unreadable: Vec<String>,
    /// The first few 错误 of 校验结果, for the summary.
    #[serde(default)]
    pub first_errors: Vec<String>,
    /// The report is a draft: what is still to fill in.
    #[serde(default)]
    pub pending: usize,
    /// Indicators a rule could not score (未评分): the build is not final.
    #[serde(default)]
    pub unscored: usize,
    /// Each pending item as its list (`缺事实`) and `what：where to fill it`.
    #[serde(default)]
    pub pending_items: Vec<(String, String)>,
    /// The 目录's headings, when the case wrote a document for the batch's layout pass.
    #[serde(default)]
    pub toc_headings: Vec<(u8, String)>,
    /// What moved since the previous build (the change report).
    #[serde(default)]
    pub changes: String,
}

impl CaseSummary {
    pub fn of(run: &BuildRun) -> CaseSummary {
        let a = &run.annex;
        let problems = |sev| a.case.problems.iter().filter(|p| p.severity == sev).count();
        CaseSummary {
            total: a.scored.total,
            grade: a.scored.grade,
            errors: a.checks.errors() + problems(crate::model::Severity::Error),
            notes: a.checks.notes() + problems(crate::model::Severity::Note),
            report: run.report.clone(),
            toc_pages: run.toc_pages,
            toc_headings: run.layout.as_ref().map(|l| l.headings.clone()).unwrap_or_default(),
            changes: crate::pipeline::changes_text(&a.changes),
            messages: (a.case.problems.iter())
                .filter(|p| p.rule == crate::ingest::UNRECOGNISED_WORKBOOK)
                .map(|p| p.to_string())
                .chain(a.notes.iter().chain(&a.evaluation.warnings).cloned())
                .collect(),
            unreadable: a.case.problems.iter().filter(|p| p.unreadable).map(|p| p.to_string()).collect(),
            pending: a.evaluation.pending.len(),
            unscored: a.scored.indicators.iter().filter(|i| i.failed.is_some()).count(),
            pending_items: a
                .evaluation
                .pending
                .iter()
                .map(|p| (p.group.clone(), format!("{}：{}", p.what, p.fill)))
                .collect(),
            first_errors: a
                .evaluation
                .checks
                .iter()
                .filter(|c| c.severity == crate::model::Severity::Error.label())
                .take(3)
                .map(|c| format!("{} {}（{}）", c.severity, c.message, c.cells))
                .collect(),
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

    /// The verdict in words, as `build` counts it: 失败 with why (a file
    /// that could not be read fails the case, as in the summary table), a
    /// draft with what it lacks, or the score and grade; then the notes and
    /// the change report.
    pub fn verdict(&self) -> String {
        use crate::model::value::fmt_score;
        let s = match &self.result {
            Err(e) => return format!("生成失败：{e}"),
            Ok(s) if !s.unreadable.is_empty() => {
                let mut t = format!("生成失败：{} 个文件无法读取（jixiao build 同样计为失败）。\n", s.unreadable.len());
                for u in &s.unreadable {
                    t.push_str(&format!("{u}\n"));
                }
                return t;
            }
            Ok(s) => s,
        };
        let mut t = match (s.total, s.grade) {
            (Some(total), Some(grade)) => format!("已重新生成：{} 分，{grade}。\n", fmt_score(Some(total))),
            _ => format!("已重新生成草稿：缺 {} 项，尚无总分（见“待填事项”）。\n", s.pending),
        };
        if s.unscored > 0 {
            t.push_str(&format!("有 {} 个指标未能评分（见三级指标的依据）。\n", s.unscored));
        }
        if s.errors > 0 {
            t.push_str(&format!("校验发现错误 {} 条（见“校验结果”）。\n", s.errors));
        }
        t.push_str(&s.changes);
        for m in &s.messages {
            t.push_str(&format!("提示：{m}\n"));
        }
        t
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
    /// Build each case in a process of its own, running this executable's
    /// hidden `__case` command: a case that aborts (an allocation a parser
    /// cannot survive, a crash) fails alone and the batch goes on.
    pub isolate: Option<PathBuf>,
    /// Failures carry their detail (`-v`), from the child processes too.
    pub verbose: bool,
}

/// The longest a case may take in its own process before it is stopped.
pub const CASE_TIMEOUT: Duration = Duration::from_secs(600);

/// What the hidden `__case` command prints: the summary, or the message.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub enum Isolated {
    Built(CaseSummary),
    Failed(String),
}

/// The `__case` command line of one case: the batch's options as flags.
fn case_command(exe: &Path, case: &Path, out: &Path, options: &BatchOptions, pass: &Pass) -> std::process::Command {
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("__case").arg(case).arg("--out").arg(out);
    match pass {
        Pass::One => {}
        Pass::EmitLayout(path) => {
            cmd.arg("--layout-doc").arg(path);
        }
        Pass::Numbers(n) => {
            cmd.arg("--toc-numbers").arg(n.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(","));
        }
    }
    for dir in &options.render.template_dirs {
        cmd.arg("--templates").arg(dir);
    }
    if options.render.layout_pass {
        cmd.arg("--toc-pages");
    }
    if options.force {
        cmd.arg("--force");
    }
    // The case's setup as the parent was given it: the child resolves it the same way.
    let setup = &options.render.setup;
    if let Some(f) = &setup.system_file {
        cmd.arg("--system").arg(f);
    }
    if let Some(d) = &setup.kind_dir {
        cmd.arg("--kind").arg(d);
    }
    if let Some(d) = &setup.systems_dir {
        cmd.arg("--systems-dir").arg(d);
    }
    if options.verbose {
        cmd.arg("-v");
    }
    cmd
}

/// Build one case in a child process (`exe __case …`) and read its result.
fn build_isolated(
    exe: &Path,
    case: &Path,
    out: &Path,
    options: &BatchOptions,
    pass: &Pass,
) -> Result<CaseSummary, BuildError> {
    use std::process::Stdio;
    let mut cmd = case_command(exe, case, out, options, pass);
    let crashed = |why: String| {
        BuildError::Isolated(format!(
            "处理该案例时程序异常终止（{why}），其他案例不受影响。请检查该案例的工作簿是否损坏，或把文件发给维护人员。"
        ))
    };
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| crashed(format!("无法启动子进程：{e}")))?;
    let reader = read_all(child.stdout.take(), usize::MAX);
    // What the child says on stderr (a panic's message), its last 16 KB.
    let errors = read_all(child.stderr.take(), 16 * 1024);
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > CASE_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(crashed(format!("超过 {} 分钟仍未完成，已停止", CASE_TIMEOUT.as_secs() / 60)));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(crashed(e.to_string())),
        }
    };
    let bytes = reader.join().unwrap_or_default();
    let said = String::from_utf8_lossy(&errors.join().unwrap_or_default()).into_owned();
    match serde_json::from_slice::<Isolated>(&bytes) {
        Ok(Isolated::Built(summary)) => Ok(summary),
        Ok(Isolated::Failed(message)) => Err(BuildError::Isolated(message)),
        Err(_) => Err(crashed(match (status.code(), panic_message(&said)) {
            (_, Some(panic)) => format!("程序内部错误：{panic}"),
            (Some(code), None) => format!("退出码 {code}"),
            (None, None) => describe_signal(&status),
        })),
    }
}

/// Read a child's pipe to its end on a thread of its own, keeping the last `keep` bytes.
fn read_all(pipe: Option<impl std::io::Read + Send + 'static>, keep: usize) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut kept: Vec<u8> = Vec::new();
        let Some(mut pipe) = pipe else { return kept };
        let mut buf = [0u8; 8192];
        while let Ok(n) = pipe.read(&mut buf) {
            if n == 0 {
                break;
            }
            kept.extend_from_slice(&buf[..n]);
            if kept.len() > keep {
                kept.drain(..kept.len() - keep);
            }
        }
        kept
    })
}

/// The message of a Rust panic in what a process printed on stderr
/// (`thread 'main' panicked at src/x.rs:1:2:` and the lines after it, up to the `note:`).
fn panic_message(stderr: &str) -> Option<String> {
    let start = stderr.find("panicked at ")?;
    let rest = &stderr[start + "panicked at ".len()..];
    let text: Vec<&str> =
        rest.lines().take_while(|l| !l.starts_with("note:")).map(str::trim).filter(|l| !l.is_empty()).collect();
    let text = text.join(" ");
    let text: String = text.chars().take(300).collect();
    (!text.is_empty()).then_some(text)
}

#[cfg(unix)]
fn describe_signal(status: &std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match status.signal() {
        Some(6) => "内存分配失败或内部错误，SIGABRT".into(),
        Some(9) => "被系统终止，可能是内存不足，SIGKILL".into(),
        Some(11) => "内存访问错误，SIGSEGV".into(),
        Some(n) => format!("信号 {n}"),
        None => "原因不明".into(),
    }
}

#[cfg(not(unix))]
fn describe_signal(status: &std::process::ExitStatus) -> String {
    format!("{status}")
}

/// What one build of a case does about the 目录's page numbers.
#[derive(Debug, Clone)]
enum Pass {
    /// As the options say.
    One,
    /// No layout; write the document for the batch's layout pass here.
    EmitLayout(PathBuf),
    /// The page numbers the batch's layout pass found.
    Numbers(Vec<u32>),
}

/// Build one case (in its own process when the options say so).
fn build_one(case: &Path, out: &Path, options: &BatchOptions, pass: &Pass) -> Result<CaseSummary, BuildError> {
    if let Some(exe) = &options.isolate {
        return build_isolated(exe, case, out, options, pass);
    }
    let mut render = options.render.clone();
    match pass {
        Pass::One => {}
        Pass::EmitLayout(_) => {
            render.layout_pass = false;
            render.emit_layout = true;
        }
        Pass::Numbers(n) => render.toc_numbers = Some(n.clone()),
    }
    let run = build_with(case, out, &render, options.force)?;
    if let (Pass::EmitLayout(path), Some(layout)) = (pass, &run.layout) {
        // Unwritable: this case goes without page numbers, as without LibreOffice.
        let _ = std::fs::write(path, &layout.bytes);
    }
    Ok(CaseSummary::of(&run))
}

/// Build every case; results in the order of `cases`. With a layout pass
/// and several cases: build them all, lay out their reports together (one
/// LibreOffice process per job, [`layout::toc_pages_many`]), then write
/// each report again with its page numbers.
///
/// [`layout::toc_pages_many`]: crate::render::report::layout::toc_pages_many
pub fn build_all(cases: &[PathBuf], outputs: &[PathBuf], options: &BatchOptions) -> Vec<CaseResult> {
    let pairs: Vec<(&PathBuf, &PathBuf)> = cases.iter().zip(outputs).collect();
    if !options.render.layout_pass || cases.len() < 2 {
        return run_all(&pairs, options, "", &|_| Pass::One);
    }
    let scratch = std::env::temp_dir().join(format!("jixiao-batch-{}-{}", std::process::id(), unique()));
    if std::fs::create_dir_all(&scratch).is_err() {
        return run_all(&pairs, options, "", &|_| Pass::One);
    }
    let doc = |i: usize| scratch.join(format!("{i:05}.docx"));
    let mut results = run_all(&pairs, options, "", &|i| Pass::EmitLayout(doc(i)));
    // The layout pass over every report that has a 目录 to number.
    let todo: Vec<usize> = (0..results.len())
        .filter(|&i| matches!(&results[i].result, Ok(s) if !s.toc_pages && !s.toc_headings.is_empty()))
        .collect();
    let bytes: Vec<Vec<u8>> = todo.iter().map(|&i| std::fs::read(doc(i)).unwrap_or_default()).collect();
    let headings: Vec<Vec<(u8, String)>> =
        todo.iter().map(|&i| results[i].result.as_ref().map(|s| s.toc_headings.clone()).unwrap_or_default()).collect();
    let docs: Vec<crate::render::report::layout::LayoutInput<'_>> =
        bytes.iter().zip(&headings).map(|(b, h)| (b.as_slice(), h.as_slice())).collect();
    let jobs = if options.jobs == 0 { rayon::current_num_threads() } else { options.jobs };
    let spinner = if options.progress {
        let spinner = indicatif::ProgressBar::new_spinner();
        spinner.set_message(format!("正在用 LibreOffice 排版 {} 份报告以填写目录页码…", docs.len()));
        spinner.enable_steady_tick(Duration::from_millis(200));
        spinner
    } else {
        indicatif::ProgressBar::hidden()
    };
    let laid_out = crate::render::report::layout::toc_pages_many(&docs, jobs);
    spinner.finish_and_clear();
    let _ = std::fs::remove_dir_all(&scratch);
    // Write each report again with its numbers.
    let mut numbers: Vec<Option<Vec<u32>>> = vec![None; results.len()];
    for (&i, pages) in todo.iter().zip(laid_out) {
        numbers[i] = pages;
    }
    let again: Vec<usize> = (0..results.len()).filter(|&i| numbers[i].is_some()).collect();
    let pairs_again: Vec<(&PathBuf, &PathBuf)> = again.iter().map(|&i| pairs[i]).collect();
    let second = run_all(&pairs_again, options, "写入目录页码", &|k| {
        Pass::Numbers(numbers[again[k]].clone().unwrap_or_default())
    });
    for (k, r) in second.into_iter().enumerate() {
        let first = &mut results[again[k]];
        first.elapsed += r.elapsed;
        if let (Ok(s), Ok(second)) = (&mut first.result, &r.result) {
            // The first build's summary (its change report) stays; the report now has its numbers.
            s.toc_pages = second.toc_pages;
        }
    }
    results
}

/// A number for this batch's scratch folder, unique in the process.
fn unique() -> usize {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Build the `pairs` (case, output), in parallel, with progress; `pass(i)`
/// says what build i does about page numbers.
fn run_all(
    pairs: &[(&PathBuf, &PathBuf)],
    options: &BatchOptions,
    what: &str,
    pass: &(dyn Fn(usize) -> Pass + Sync),
) -> Vec<CaseResult> {
    let bar = if options.progress && !pairs.is_empty() {
        let bar = indicatif::ProgressBar::new(pairs.len() as u64);
        let template = format!("{{bar:40}} {{pos}}/{{len}} 个案例{what} {{elapsed_precise}} 剩余 {{eta}} {{msg}}");
        if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let work = |(i, (case, out)): (usize, &(&PathBuf, &PathBuf))| {
        let started = Instant::now();
        let result = build_one(case, out, options, &pass(i));
        bar.inc(1);
        bar.set_message(case.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        CaseResult { case: (*case).clone(), output: (*out).clone(), result, elapsed: started.elapsed() }
    };
    let indexed: Vec<(usize, &(&PathBuf, &PathBuf))> = pairs.iter().enumerate().collect();
    let results = match rayon::ThreadPoolBuilder::new().num_threads(options.jobs).build() {
        Ok(pool) => pool.install(|| indexed.into_par_iter().map(work).collect()),
        Err(_) => indexed.into_iter().map(work).collect(),
    };
    bar.finish_and_clear();
    results
}

/// The summary table: case, score, grade, 错误/提示, output, time — then
/// each failure's message.
pub fn summary(results: &[CaseResult]) -> String {
    use crate::model::value::fmt_score;
    let mut out = String::from("案例\t得分\t等级\t错误\t提示\t输出\t用时\n");
    for r in results {
        let name = r.case.display();
        let ms = r.elapsed.as_millis();
        match &r.result {
            Ok(s) => out.push_str(&format!(
                "{name}\t{}\t{}\t{}\t{}\t{}\t{ms} ms\n",
                fmt_score(s.total),
                s.grade.map(|g| g.to_string()).unwrap_or_else(|| "草稿".into()),
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_is_named_by_its_message() {
        let said = "thread 'main' panicked at src/score/rules.rs:12:5:\nattempt to divide by zero\nnote: run with `RUST_BACKTRACE=1`\n";
        assert_eq!(super::panic_message(said).as_deref(), Some("src/score/rules.rs:12:5: attempt to divide by zero"));
        assert_eq!(super::panic_message("Error: nothing"), None);
    }
}
