//! The stages run together for one case: ingest → check → score → write.
//! `annex` writes the XLSX annexes and the JSON of everything, and says
//! what changed since the previous run in the same output folder (its JSON
//! is the reference).

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::assemble::{Evaluation, SCHEMA_VERSION};
use crate::check::{check_with, CheckReport};
use crate::ingest::ingest_path;
use crate::model::value::fmt_score;
use crate::model::Case;
use crate::output::OutputDir;
use crate::render::annex;
use crate::render::report::Options;
use crate::score::{score_with, ScoreError, Scored};
use crate::setup::Setup;

/// The JSON of everything, written beside the annexes.
pub const JSON_FILE: &str = "评价结果.json";

/// Why a case could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Scoring failed: the first input error, if any, everything the case
    /// lacks (all of it, grouped), and the other scoring errors.
    #[error("{}", score_failure(.0, .1.as_deref(), .2))]
    Score(Vec<ScoreError>, Option<String>, Box<crate::missing::Missing>),
    #[error("{0}")]
    Output(#[from] crate::output::OutputError),
    /// The report kind cannot be used.
    #[error("报告类型出错：{0}")]
    Kind(#[from] crate::report_kind::KindError),
    #[error("无法写入“{path}”（{reason}）。请检查输出文件夹是否可写、磁盘是否已满，或文件是否正被 Excel 打开。")]
    Write { path: String, reason: String },
    #[error("{0}")]
    Render(#[from] crate::render::report::RenderError),
    /// The case was built in a process of its own (a batch), which failed
    /// with this message or died.
    #[error("{0}")]
    Isolated(String),
}

fn score_failure(errors: &[ScoreError], first_input: Option<&str>, missing: &crate::missing::Missing) -> String {
    let mut out = String::new();
    if let Some(e) = first_input {
        out.push_str(e);
        out.push('\n');
    }
    out.push_str("评分未完成：\n");
    if !missing.is_empty() {
        out.push_str(&format!("尚缺 {} 项输入（一次列全）：\n{}", missing.len(), missing.text()));
    }
    let rest: Vec<String> =
        errors.iter().filter(|e| missing.is_empty() || !missing.covers(e)).map(|e| e.to_string()).collect();
    if !rest.is_empty() {
        if !missing.is_empty() {
            out.push_str("其他问题：\n");
        }
        out.push_str(&rest.join("\n"));
    }
    out.trim_end().to_string()
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
    /// The previous JSON is of another format (version) and was not compared.
    pub foreign: bool,
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
    /// What the outputs say.
    pub evaluation: Evaluation,
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

/// The file in an output folder naming the case folder it was built from.
pub const SOURCE_FILE: &str = ".jixiao-source";

/// The default output folder of a case: `output/<case folder name>`, or,
/// when that folder already holds another case's outputs (two cases both
/// named `2024` under different parents), `output/<name>-<8 hex digits of
/// the case's real path>` — unique and the same on every run.
pub fn default_output(case_dir: &Path) -> PathBuf {
    let real = case_dir.canonicalize().unwrap_or_else(|_| case_dir.to_path_buf());
    let name = real.file_name().map(|n| n.to_owned()).unwrap_or_else(|| "case".into());
    let plain = PathBuf::from("output").join(&name);
    let built_from = std::fs::read_to_string(plain.join(SOURCE_FILE)).ok();
    match built_from {
        Some(source) if source.trim() != real.to_string_lossy() => {
            let hash = crate::output::fingerprint(real.to_string_lossy().as_bytes());
            PathBuf::from("output").join(format!("{}-{}", name.to_string_lossy(), &hash[..8]))
        }
        _ => plain,
    }
}

fn write_err(path: &Path, e: impl std::fmt::Display) -> BuildError {
    BuildError::Write { path: path.display().to_string(), reason: e.to_string() }
}

/// Read, check, score and write the annexes and the JSON into `out`.
pub fn annex(case_dir: &Path, out: &Path) -> Result<AnnexRun, BuildError> {
    annex_with(case_dir, out, false)
}

/// As [`annex()`]; `force` overwrites outputs a person edited.
pub fn annex_with(case_dir: &Path, out: &Path, force: bool) -> Result<AnnexRun, BuildError> {
    annex_in(case_dir, out, force, &Options::default())
}

/// As [`annex_with`], the case set up as `options.setup` says.
pub fn annex_in(case_dir: &Path, out: &Path, force: bool, options: &Options) -> Result<AnnexRun, BuildError> {
    let (mut run, _) = annex_open(case_dir, out, force, options)?;
    run.finish()?;
    Ok(run)
}

/// The case's setup, resolved once from `given.setup` and its paper, and the
/// options its report renders with: its report kind (given, else the one
/// its setup resolved) and its template folders (the case folder's
/// `templates/` first).
pub fn case_setup(case: &Case, case_dir: &Path, given: &Options) -> Result<(Setup, Options), BuildError> {
    let setup = Setup::resolve(case, &given.setup)?;
    let mut options = given.clone();
    options.template_dirs = template_dirs(case_dir, &given.template_dirs);
    if options.kind.is_none() {
        options.kind = Some(setup.report_kind.clone());
    }
    Ok((setup, options))
}

/// The annex run with its output folder still open (the report may follow),
/// and the options its report renders with.
fn annex_open(case_dir: &Path, out: &Path, force: bool, given: &Options) -> Result<(AnnexRun, Options), BuildError> {
    let case = ingest_path(case_dir);
    let (setup, options) = case_setup(&case, case_dir, given)?;
    let mut checks = check_with(&case, &setup);
    let texts = crate::templates::declared_texts(&options.part_dirs(), &options.parts());
    let missing = crate::score::missing(&case, &setup, &texts);
    checks.findings.extend(crate::check::near_texts(&case, &missing));
    let scored = score_with(&case, &checks, &setup)
        .map_err(|e| BuildError::Score(e, first_input_error(&case), Box::new(missing.clone())))?;
    let kind = options.kind.clone().unwrap_or_else(|| setup.report_kind.clone());
    let evaluation = crate::assemble::assemble_in(&case, &checks, &scored, &missing, &kind, &options.part_dirs());
    let mut dir = OutputDir::open(out, force)?;
    // Which case this folder holds (the default output name keeps two cases apart by it).
    let real = case_dir.canonicalize().unwrap_or_else(|_| case_dir.to_path_buf());
    let _ = std::fs::write(out.join(SOURCE_FILE), real.to_string_lossy().as_bytes());
    let json_path = out.join(JSON_FILE);
    let previous = std::fs::read(&json_path).ok().map(|b| previous_run(&b));
    let files = annex::all(&evaluation).map_err(|e| write_err(out, e))?;
    for (name, bytes) in &files {
        dir.write(name, bytes)?;
    }
    let json = serde_json::to_vec(&evaluation).map_err(|e| write_err(&json_path, e))?;
    dir.write(JSON_FILE, &json)?;
    let changes = compare(previous.as_ref(), &evaluation);
    let run =
        AnnexRun { case, checks, scored, evaluation, files: Vec::new(), changes, notes: Vec::new(), output: Some(dir) };
    Ok((run, options))
}

/// The first 错误 met while reading a case, for failure messages.
fn first_input_error(case: &Case) -> Option<String> {
    case.problems.iter().find(|p| p.severity == crate::model::Severity::Error).map(|p| p.to_string())
}

fn sentences(text: &str) -> Vec<String> {
    text.split_inclusive('。').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

/// `s` cut to about `n` characters around where it first differs from
/// `other` (from the start when that is early enough).
fn shorten_around(s: &str, other: Option<&str>, n: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    let same = other.map(|o| chars.iter().zip(o.chars()).take_while(|(a, b)| **a == *b).count()).unwrap_or(0);
    if chars.len() <= n || same + 10 < n {
        return shorten(s, n);
    }
    let start = same.saturating_sub(10);
    let end = (start + n).min(chars.len());
    let tail = if end < chars.len() { "…" } else { "" };
    format!("…{}{tail}", chars[start..end].iter().collect::<String>())
}

fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

/// A previous run's JSON: the evaluation, or why it cannot be compared.
pub enum Previous {
    Evaluation(Box<Evaluation>),
    /// Another schema version, another program's JSON, or a damaged file.
    Foreign,
}

/// Read a previous run's JSON back into an [`Evaluation`].
pub fn previous_run(json: &[u8]) -> Previous {
    #[derive(serde::Deserialize)]
    struct Version {
        schema_version: Option<u32>,
    }
    match serde_json::from_slice::<Version>(json) {
        Ok(Version { schema_version: Some(SCHEMA_VERSION) }) => match serde_json::from_slice::<Evaluation>(json) {
            Ok(e) => Previous::Evaluation(Box::new(e)),
            Err(_) => Previous::Foreign,
        },
        _ => Previous::Foreign,
    }
}

/// Compare this run with the previous run's evaluation.
pub fn compare(previous: Option<&Previous>, now: &Evaluation) -> Changes {
    let total = fmt_score(now.score.total);
    let prev = match previous {
        None => {
            return Changes {
                first_run: true,
                total: (String::new(), total),
                grade: (String::new(), now.score.grade.clone()),
                ..Default::default()
            }
        }
        Some(Previous::Foreign) => {
            return Changes {
                foreign: true,
                total: (String::new(), total),
                grade: (String::new(), now.score.grade.clone()),
                ..Default::default()
            }
        }
        Some(Previous::Evaluation(p)) => &p.score,
    };
    let mut changes = Changes {
        total: (fmt_score(prev.total), total),
        grade: (prev.grade.clone(), now.score.grade.clone()),
        ..Default::default()
    };
    for ind in &now.score.indicators {
        let old = prev.indicators.iter().find(|o| o.name == ind.name);
        let (old_score, old_basis) = match old {
            Some(o) => (fmt_score(o.score), o.basis.as_str()),
            None => ("—".to_string(), ""),
        };
        let new_score = fmt_score(ind.score);
        if old_score != new_score {
            let (a, b) = (sentences(old_basis), sentences(&ind.basis));
            let gone: Vec<&String> = a.iter().filter(|s| !b.contains(s)).collect();
            let new: Vec<&String> = b.iter().filter(|s| !a.contains(s)).collect();
            // Shown around where a sentence differs from its counterpart, so
            // two long sentences never look alike once cut.
            let removed: Vec<String> = gone
                .iter()
                .enumerate()
                .map(|(i, s)| format!("“{}”", shorten_around(s, new.get(i).map(|x| x.as_str()), 60)))
                .collect();
            let added: Vec<String> = new
                .iter()
                .enumerate()
                .map(|(i, s)| format!("“{}”", shorten_around(s, gone.get(i).map(|x| x.as_str()), 60)))
                .collect();
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
    for p in &now.score.problems {
        match prev.problems.iter().find(|o| o.indicator == p.indicator) {
            None => changes.problems_added.push(p.indicator.clone()),
            Some(o) if o.description != p.description => changes.problems_changed.push(p.indicator.clone()),
            _ => {}
        }
    }
    for o in &prev.problems {
        if !now.score.problems.iter().any(|p| o.indicator == p.indicator) {
            changes.problems_removed.push(o.indicator.clone());
        }
    }
    changes
}

/// The change report printed by `jixiao annex`.
pub fn changes_text(c: &Changes) -> String {
    if c.first_run {
        return format!("首次生成（输出文件夹中没有上次的 {JSON_FILE}）。总分 {}，等级 {}。\n", c.total.1, c.grade.1);
    }
    if c.foreign {
        return format!(
            "上次结果格式不同，无法比较（输出文件夹中的 {JSON_FILE} 由其他版本生成或已损坏）。总分 {}，等级 {}。\n",
            c.total.1, c.grade.1
        );
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

/// Everything `build` writes.
pub struct BuildRun {
    pub annex: AnnexRun,
    pub report: PathBuf,
    /// The 目录's page numbers were filled by a layout pass (or the report has no 目录).
    pub toc_pages: bool,
    /// With `Options::emit_layout`: the document for a layout pass.
    pub layout: Option<crate::render::report::LayoutDoc>,
    /// The render options in effect (the case's kind and templates).
    pub options: Options,
}

/// Annexes, JSON and the DOCX report of one case.
pub fn build(case_dir: &Path, out: &Path, options: &Options) -> Result<BuildRun, BuildError> {
    build_with(case_dir, out, options, false)
}

/// As [`build`]; `force` overwrites outputs a person edited. Templates in
/// the case folder's `templates/` override the defaults.
pub fn build_with(case_dir: &Path, out: &Path, options: &Options, force: bool) -> Result<BuildRun, BuildError> {
    let (mut annex, options) = annex_open(case_dir, out, force, options)?;
    let rendered = crate::render::report::render(&annex.evaluation, &options)?;
    let name = annex.evaluation.report_file.clone();
    let report = match annex.output.as_mut() {
        Some(dir) => dir.write(&name, &rendered.bytes)?,
        None => out.join(name),
    };
    annex.finish()?;
    Ok(BuildRun { annex, report, toc_pages: rendered.toc_pages, layout: rendered.layout, options })
}

/// Write the report of `run` again, its 目录 numbered with `pages` (from a
/// layout pass of `run.layout`): the same evaluation — the inputs are not
/// read again — into the same output folder.
pub fn number_report(run: &BuildRun, out: &Path, pages: Vec<u32>, force: bool) -> Result<PathBuf, BuildError> {
    let options = Options { toc_numbers: Some(pages), emit_layout: false, layout_pass: false, ..run.options.clone() };
    let rendered = crate::render::report::render(&run.annex.evaluation, &options)?;
    let mut dir = OutputDir::open(out, force)?;
    let path = dir.write(&run.annex.evaluation.report_file, &rendered.bytes)?;
    dir.finish()?;
    Ok(path)
}

/// The template folders in effect: the case folder's `templates/` first,
/// then `given`.
fn template_dirs(case_dir: &Path, given: &[PathBuf]) -> Vec<PathBuf> {
    let case_templates = case_dir.join("templates");
    case_templates.is_dir().then_some(case_templates).into_iter().chain(given.iter().cloned()).collect()
}

/// `jixiao inspect`: the model of a file or folder.
pub fn inspect(path: &Path) -> Case {
    ingest_path(path)
}

/// `jixiao check`: the model, its checks, and what it lacks for scoring
/// and the report.
pub fn check_path(path: &Path, given: &crate::setup::SetupOptions) -> (Case, CheckReport, crate::missing::Missing) {
    let (case, _, checks, missing) = check_case(path, given);
    (case, checks, missing)
}

/// The case at `path` read, set up (once), checked, and what it lacks.
fn check_case(path: &Path, given: &crate::setup::SetupOptions) -> (Case, Setup, CheckReport, crate::missing::Missing) {
    let case = ingest_path(path);
    let options = Options { setup: given.clone(), ..Default::default() };
    let (setup, options) = match case_setup(&case, path, &options) {
        Ok(s) => s,
        // A kind that cannot be used: the default kind (`build` says why).
        Err(_) => (Setup::of(&case), options),
    };
    let mut checks = check_with(&case, &setup);
    let texts = crate::templates::declared_texts(&options.part_dirs(), &options.parts());
    let missing = crate::score::missing(&case, &setup, &texts);
    checks.findings.extend(crate::check::near_texts(&case, &missing));
    (case, setup, checks, missing)
}

/// `jixiao score`: the model, its checks, its scores (or why it cannot be
/// scored) and what it lacks.
pub fn score_path(
    path: &Path,
    given: &crate::setup::SetupOptions,
) -> (Case, CheckReport, Result<Scored, Vec<ScoreError>>, crate::missing::Missing) {
    let (case, setup, checks, missing) = check_case(path, given);
    let scored = score_with(&case, &checks, &setup);
    (case, checks, scored, missing)
}

#[cfg(test)]
mod tests {
    use super::shorten_around;

    #[test]
    fn long_sentences_are_cut_where_they_differ() {
        let head = "原始凭证不完整，如，医疗救助项目记账凭证2024年2月7日jz-02-0001号，原始凭证中缺少补助对象审批确认名单和医疗费用明细";
        let (a, b) = (format!("{head}，扣0.5分。"), format!("{head}，扣1分。"));
        let (x, y) = (shorten_around(&a, Some(&b), 60), shorten_around(&b, Some(&a), 60));
        assert_ne!(x, y);
        assert!(x.contains("扣0.5分") && y.contains("扣1分"), "{x} / {y}");
        assert_eq!(shorten_around("短句。", Some("短句！"), 60), "短句。");
    }
}
