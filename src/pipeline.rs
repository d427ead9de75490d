//! The stages run together for one case: ingest → check → score → write.
//! `annex` writes the XLSX annexes and the JSON of everything, and says
//! what changed since the previous run in the same output folder (its JSON
//! is the reference).

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde::Serialize;

use crate::check::{check, CheckReport};
use crate::ingest::ingest_path;
use crate::model::value::fmt_number;
use crate::model::Case;
use crate::output::OutputDir;
use crate::render::annex;
use crate::score::{score, ScoreError, Scored};

/// The JSON of everything, written beside the annexes.
pub const JSON_FILE: &str = "评价结果.json";

/// Why a case could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Scoring failed; the second field is the first input error, if any.
    #[error("{}评分未完成：\n{}", .1.as_ref().map(|e| format!("{e}\n")).unwrap_or_default(), .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
    Score(Vec<ScoreError>, Option<String>),
    #[error("{0}")]
    Output(#[from] crate::output::OutputError),
    #[error("无法写入“{path}”（{reason}）。请检查输出文件夹是否可写、磁盘是否已满，或文件是否正被 Excel 打开。")]
    Write { path: String, reason: String },
    #[error("{0}")]
    Render(#[from] crate::render::report::RenderError),
}

/// Everything one run computed.
#[derive(Serialize)]
pub struct Everything<'a> {
    pub case: &'a Case,
    pub checks: &'a CheckReport,
    pub scored: &'a Scored,
}

/// A 三级 score that moved.
#[derive(Debug, Clone, Serialize)]
pub struct ScoreChange {
    pub number: u64,
    pub name: String,
    pub old: String,
    pub new: String,
    /// The sentences of the 依据 removed and added.
    pub why: String,
}

/// What changed since the previous run.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Changes {
    /// No previous run in this output folder.
    pub first_run: bool,
    pub scores: Vec<ScoreChange>,
    pub problems_added: Vec<String>,
    pub problems_removed: Vec<String>,
    /// Indicators whose 问题描述 changed.
    pub problems_changed: Vec<String>,
    pub total: (String, String),
    pub grade: (String, String),
}

/// The result of `annex`.
pub struct AnnexRun {
    pub case: Case,
    pub checks: CheckReport,
    pub scored: Scored,
    /// The files written (filled when the run is finished).
    pub files: Vec<PathBuf>,
    pub changes: Changes,
    /// Outputs not overwritten because a person edited them, and the like.
    pub notes: Vec<String>,
    output: Option<OutputDir>,
}

impl AnnexRun {
    /// Write the manifest and collect the files written and the notes.
    fn finish(&mut self) -> Result<(), BuildError> {
        if let Some(dir) = self.output.take() {
            let finished = dir.finish()?;
            self.notes = finished.notes;
            self.files = finished.files;
        }
        Ok(())
    }
}

/// The default output folder of a case: `output/<case folder name>`.
pub fn default_output(case_dir: &Path) -> PathBuf {
    let name =
        case_dir.canonicalize().ok().and_then(|p| p.file_name().map(|n| n.to_owned())).unwrap_or_else(|| "case".into());
    PathBuf::from("output").join(name)
}

fn write_err(path: &Path, e: impl std::fmt::Display) -> BuildError {
    BuildError::Write { path: path.display().to_string(), reason: e.to_string() }
}

/// Read, check, score and write the annexes and the JSON into `out`.
pub fn annex(case_dir: &Path, out: &Path) -> Result<AnnexRun, BuildError> {
    annex_with(case_dir, out, false)
}

/// As [`annex`]; `force` overwrites outputs a person edited.
pub fn annex_with(case_dir: &Path, out: &Path, force: bool) -> Result<AnnexRun, BuildError> {
    let mut run = annex_open(case_dir, out, force)?;
    run.finish()?;
    Ok(run)
}

/// The annex run with its output folder still open (the report may follow).
fn annex_open(case_dir: &Path, out: &Path, force: bool) -> Result<AnnexRun, BuildError> {
    let case = ingest_path(case_dir);
    let checks = check(&case);
    let scored = score(&case, &checks).map_err(|e| BuildError::Score(e, first_input_error(&case)))?;
    let mut dir = OutputDir::open(out, force)?;
    let json_path = out.join(JSON_FILE);
    let previous = std::fs::read(&json_path).ok().and_then(|b| previous_scores(&b));
    let files = annex::all(&case, &checks, &scored).map_err(|e| write_err(out, e))?;
    for (name, bytes) in &files {
        dir.write(name, bytes)?;
    }
    let json = serde_json::to_vec(&Everything { case: &case, checks: &checks, scored: &scored })
        .map_err(|e| write_err(&json_path, e))?;
    dir.write(JSON_FILE, &json)?;
    let changes = compare(previous.as_ref(), &scored);
    Ok(AnnexRun { case, checks, scored, files: Vec::new(), changes, notes: Vec::new(), output: Some(dir) })
}

/// The first 错误 met while reading a case, for failure messages.
fn first_input_error(case: &Case) -> Option<String> {
    case.problems.iter().find(|p| p.severity == crate::model::Severity::Error).map(|p| p.to_string())
}

fn sentences(text: &str) -> Vec<String> {
    text.split_inclusive('。').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

/// The `scored` part of a previous run's JSON, skipping the rest unparsed
/// (the model with its provenance is most of the file).
fn previous_scores(json: &[u8]) -> Option<serde_json::Value> {
    #[derive(serde::Deserialize)]
    struct Previous {
        scored: serde_json::Value,
    }
    let p: Previous = serde_json::from_slice(json).ok()?;
    Some(serde_json::json!({ "scored": p.scored }))
}

/// Compare this run with the previous run's JSON.
pub fn compare(previous: Option<&serde_json::Value>, now: &Scored) -> Changes {
    let total = fmt_number(now.total);
    let Some(prev) = previous.map(|p| &p["scored"]) else {
        return Changes {
            first_run: true,
            total: (String::new(), total),
            grade: (String::new(), now.grade.to_string()),
            ..Default::default()
        };
    };
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let num = |v: &serde_json::Value| text(v).parse::<Decimal>().map(fmt_number).unwrap_or_else(|_| text(v));
    let mut changes = Changes {
        total: (num(&prev["total"]), total),
        grade: (text(&prev["grade"]), now.grade.to_string()),
        ..Default::default()
    };
    let old_inds = prev["indicators"].as_array().cloned().unwrap_or_default();
    for ind in &now.indicators {
        let old = old_inds.iter().find(|o| o["name"] == ind.name.as_str());
        let (old_score, old_basis) = match old {
            Some(o) => (num(&o["score"]), text(&o["basis"])),
            None => ("—".to_string(), String::new()),
        };
        let new_score = fmt_number(ind.score);
        if old_score != new_score {
            let (a, b) = (sentences(&old_basis), sentences(&ind.basis));
            let removed: Vec<String> =
                a.iter().filter(|s| !b.contains(s)).map(|s| format!("“{}”", shorten(s, 60))).collect();
            let added: Vec<String> =
                b.iter().filter(|s| !a.contains(s)).map(|s| format!("“{}”", shorten(s, 60))).collect();
            let mut why = Vec::new();
            if !removed.is_empty() {
                why.push(format!("删去{}", removed.join("、")));
            }
            if !added.is_empty() {
                why.push(format!("新增{}", added.join("、")));
            }
            changes.scores.push(ScoreChange {
                number: ind.number as u64,
                name: ind.name.clone(),
                old: old_score,
                new: new_score,
                why: why.join("；"),
            });
        }
    }
    let old_problems = prev["problems"].as_array().cloned().unwrap_or_default();
    for p in &now.problems {
        match old_problems.iter().find(|o| o["indicator"] == p.indicator.as_str()) {
            None => changes.problems_added.push(p.indicator.clone()),
            Some(o) if o["description"] != p.description.as_str() => changes.problems_changed.push(p.indicator.clone()),
            _ => {}
        }
    }
    for o in &old_problems {
        if !now.problems.iter().any(|p| o["indicator"] == p.indicator.as_str()) {
            changes.problems_removed.push(text(&o["indicator"]));
        }
    }
    changes
}

/// The change report printed by `jixiao annex`.
pub fn changes_text(c: &Changes) -> String {
    if c.first_run {
        return format!("首次生成（输出文件夹中没有上次的 {JSON_FILE}）。总分 {}，等级 {}。\n", c.total.1, c.grade.1);
    }
    let mut out = String::from("与上次相比：\n");
    if c.scores.is_empty() {
        out.push_str("  得分：无变化\n");
    }
    for s in &c.scores {
        let why = if s.why.is_empty() { String::new() } else { format!("（{}）", s.why) };
        out.push_str(&format!("  ({}) {} {} → {}{why}\n", s.number, s.name, s.old, s.new));
    }
    let list = |v: &[String]| v.join("、");
    match (c.problems_added.is_empty(), c.problems_removed.is_empty()) {
        (true, true) => out.push_str("  问题清单：无增删"),
        _ => {
            out.push_str("  问题清单：");
            if !c.problems_added.is_empty() {
                out.push_str(&format!("新增 {} 条（{}）", c.problems_added.len(), list(&c.problems_added)));
            }
            if !c.problems_removed.is_empty() {
                out.push_str(&format!(
                    "{}删除 {} 条（{}）",
                    if c.problems_added.is_empty() { "" } else { "，" },
                    c.problems_removed.len(),
                    list(&c.problems_removed)
                ));
            }
        }
    }
    if !c.problems_changed.is_empty() {
        out.push_str(&format!("；内容变化 {} 条（{}）", c.problems_changed.len(), list(&c.problems_changed)));
    }
    out.push('\n');
    out.push_str(&format!("  总分 {} → {}，等级 {} → {}\n", c.total.0, c.total.1, c.grade.0, c.grade.1));
    out
}

/// The report's file name: `<评价对象><年度>年度绩效评价报告.docx`.
pub fn report_file_name(scored: &Scored, case: &Case) -> String {
    let object = case.working_paper.as_ref().and_then(|p| p.info("评价对象")).unwrap_or("部门");
    format!("{}{}年度绩效评价报告.docx", object, scored.year.map(|y| y.to_string()).unwrap_or_default())
}

/// Page numbers of the 目录's headings from a LibreOffice layout pass: the
/// DOCX is converted to PDF, each heading is found on its page after the
/// 目录, and numbered from the body's first page. None when soffice or
/// pdftotext is missing or the headings cannot all be found.
pub fn toc_pages_by_layout(docx: &[u8], headings: &[(u8, String)]) -> Option<Vec<u32>> {
    use std::process::Command;
    // One folder per pass: cases built in parallel each get their own.
    static PASS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = PASS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("jixiao-toc-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let input = dir.join("report.docx");
    std::fs::write(&input, docx).ok()?;
    let profile = format!("-env:UserInstallation=file://{}", dir.join("profile").display());
    let soffice = ["soffice", "libreoffice"].into_iter().find(|b| Command::new(b).arg("--version").output().is_ok())?;
    let ok = Command::new(soffice)
        .arg(&profile)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&input)
        .output()
        .ok()?;
    if !ok.status.success() {
        let _ = std::fs::remove_dir_all(&dir);
        return None;
    }
    let text = Command::new("pdftotext").arg(dir.join("report.pdf")).arg("-").output().ok()?;
    let _ = std::fs::remove_dir_all(&dir);
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let pages: Vec<String> = String::from_utf8_lossy(&text.stdout).split('\u{c}').map(squash).collect();
    // The 目录 lists every heading: the body starts after the last page holding the first heading's text among the 目录's.
    let first = squash(&headings.first()?.1);
    let toc_page = pages.iter().position(|p| p.contains(&first))?;
    let body_start = (toc_page + 1..pages.len()).find(|&i| pages[i].contains(&first))?;
    let mut out = Vec::new();
    let mut at = body_start;
    for (_, h) in headings {
        let key = squash(h);
        let found = (at..pages.len()).find(|&i| pages[i].contains(&key))?;
        out.push((found - body_start + 1) as u32);
        at = found;
    }
    Some(out)
}

/// Everything `build` writes.
pub struct BuildRun {
    pub annex: AnnexRun,
    pub report: PathBuf,
    /// The 目录's page numbers were filled by a layout pass.
    pub toc_pages: bool,
}

/// Annexes, JSON and the DOCX report of one case.
pub fn build(
    case_dir: &Path,
    out: &Path,
    options: &crate::render::report::Options,
    layout_pass: bool,
) -> Result<BuildRun, BuildError> {
    build_with(case_dir, out, options, layout_pass, false)
}

/// As [`build`]; `force` overwrites outputs a person edited.
pub fn build_with(
    case_dir: &Path,
    out: &Path,
    options: &crate::render::report::Options,
    layout_pass: bool,
    force: bool,
) -> Result<BuildRun, BuildError> {
    let mut annex = annex_open(case_dir, out, force)?;
    let mut options = options.clone();
    let case_templates = case_dir.join("templates");
    if case_templates.is_dir() {
        options.template_dirs.insert(0, case_templates);
    }
    let render = |o: &crate::render::report::Options| {
        crate::render::report::render(&annex.case, &annex.checks, &annex.scored, o).map_err(BuildError::Render)
    };
    let mut bytes = render(&options)?;
    let mut toc_pages = false;
    if layout_pass {
        let data = crate::render::report::data::ReportData::build(&annex.case, &annex.checks, &annex.scored);
        let blocks = crate::render::report::blocks(&data, &options)?;
        let headings = crate::render::report::docx::toc_headings(&blocks);
        if let Some(pages) = toc_pages_by_layout(&bytes, &headings) {
            options.toc_pages = Some(pages);
            bytes = render(&options)?;
            toc_pages = true;
        }
    }
    let name = report_file_name(&annex.scored, &annex.case);
    let report = match annex.output.as_mut() {
        Some(dir) => dir.write(&name, &bytes)?,
        None => out.join(name),
    };
    annex.finish()?;
    Ok(BuildRun { annex, report, toc_pages })
}
