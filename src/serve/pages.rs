//! The pages of `jixiao serve`, server-rendered from the embedded templates
//! `templates/web/*.html` (minijinja, HTML auto-escaped) with what each
//! case's `output/评价结果.json` says.

use std::path::Path;
use std::time::SystemTime;

use serde::Serialize;

use crate::assemble::Evaluation;
use crate::model::value::fmt_number;

pub const APP_JS: &str = include_str!("../../templates/web/app.js");
pub const APP_CSS: &str = include_str!("../../templates/web/app.css");
const LAYOUT: &str = include_str!("../../templates/web/layout.html");
const CASES: &str = include_str!("../../templates/web/cases.html");
const CASE: &str = include_str!("../../templates/web/case.html");
const BARE: &str = include_str!("../../templates/web/bare.html");

fn environment() -> minijinja::Environment<'static> {
    let mut env = minijinja::Environment::new();
    for (name, source) in [("layout.html", LAYOUT), ("bare.html", BARE), ("cases.html", CASES), ("case.html", CASE)] {
        // The embedded templates are ours: a failure here is a bug caught by the tests.
        let _ = env.add_template(name, source);
    }
    env.add_filter("urlencode_path", |s: String| super::guard::encode_segment(&s));
    env
}

fn render(name: &str, ctx: minijinja::Value) -> String {
    environment()
        .get_template(name)
        .and_then(|t| t.render(ctx))
        .unwrap_or_else(|e| format!("<!doctype html><meta charset=utf-8><p>页面模板出错：{e}</p>"))
}

/// A page that only says something (not found, refused).
pub fn message_page(title: &str, text: &str) -> String {
    render("layout.html", minijinja::context! { title => title, message => text })
}

fn seconds(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The case's output folder when it is safe to read (inside ROOT), else why not.
fn output_folder(root: &Path, case: &Path) -> Result<Option<std::path::PathBuf>, super::guard::FolderError> {
    super::guard::existing_folder_inside(root, &super::output_of(case))
}

fn read_eval(root: &Path, case: &Path) -> Option<(Evaluation, SystemTime)> {
    let json = output_folder(root, case).ok()??.join(crate::summary::CASE_JSON);
    let modified = std::fs::metadata(&json).and_then(|m| m.modified()).ok()?;
    let eval = serde_json::from_slice(&std::fs::read(&json).ok()?).ok()?;
    Some((eval, modified))
}

/// The newest change to a workbook of the case.
fn inputs_changed(case: &Path) -> Option<SystemTime> {
    std::fs::read_dir(case)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| {
            let n = e.file_name().to_string_lossy().to_lowercase();
            !n.starts_with("~$") && (n.ends_with(".xlsx") || n.ends_with(".xls") || n.ends_with(".ods"))
        })
        .filter_map(|e| e.metadata().and_then(|m| m.modified()).ok())
        .max()
}

#[derive(Serialize)]
struct CaseLine {
    name: String,
    kind: String,
    unit: String,
    year: String,
    score: String,
    grade: String,
    errors: usize,
    notes: usize,
    pending: usize,
    built: u64,
    status: &'static str,
    status_class: &'static str,
}

fn case_line(root: &Path, case: &Path, name: &str) -> CaseLine {
    let mut line = CaseLine {
        name: name.to_string(),
        kind: String::new(),
        unit: String::new(),
        year: String::new(),
        score: "—".into(),
        grade: String::new(),
        errors: 0,
        notes: 0,
        pending: 0,
        built: 0,
        status: "未生成",
        status_class: "none",
    };
    let Some((eval, built)) = read_eval(root, case) else { return line };
    line.kind = eval.case.kind.clone();
    line.unit = eval.case.object.clone();
    line.year = eval.case.year.clone();
    line.score = eval.score.total.map(fmt_number).unwrap_or_else(|| "待填".into());
    line.grade = if eval.score.total.is_some() { eval.score.grade.clone() } else { "草稿".into() };
    line.errors = eval.checks.iter().filter(|c| c.severity == "错误").count();
    line.notes = eval.checks.iter().filter(|c| c.severity == "提示").count();
    line.pending = eval.pending.len();
    line.built = seconds(built);
    let stale = inputs_changed(case).is_some_and(|t| t > built);
    (line.status, line.status_class) = if stale {
        ("需更新", "stale")
    } else if eval.draft {
        ("草稿", "draft")
    } else {
        ("已生成", "built")
    };
    line
}

/// The cases page: every case folder under `root`.
pub fn cases_page(root: &Path) -> String {
    let cases = crate::batch::find_cases(&[root.to_path_buf()]);
    let lines: Vec<CaseLine> = cases
        .iter()
        .filter_map(|c| {
            let rel = c.strip_prefix(root).ok()?;
            let name = rel.to_string_lossy();
            // Cases directly under ROOT (the page addresses them by one name), really inside it.
            (rel.components().count() == 1 && super::guard::inside(root, &name).is_some())
                .then(|| case_line(root, c, &name))
        })
        .collect();
    let scored: Vec<f64> = lines.iter().filter_map(|l| l.score.parse::<f64>().ok()).collect();
    let average = if scored.is_empty() {
        "—".to_string()
    } else {
        let sum: rust_decimal::Decimal =
            lines.iter().filter_map(|l| l.score.parse::<rust_decimal::Decimal>().ok()).sum();
        fmt_number((sum / rust_decimal::Decimal::from(scored.len() as u64)).round_dp(2))
    };
    let summary = serde_json::json!({
        "cases": lines.len(),
        "built": lines.iter().filter(|l| l.status != "未生成").count(),
        "drafts": lines.iter().filter(|l| l.status == "草稿").count(),
        "stale": lines.iter().filter(|l| l.status == "需更新").count(),
        "errors": lines.iter().map(|l| l.errors).sum::<usize>(),
        "average": average,
    });
    let summary_dir = super::guard::existing_folder_inside(root, &super::summary_dir(root)).ok().flatten();
    let mut summary_files: Vec<String> = summary_dir
        .and_then(|d| std::fs::read_dir(d).ok())
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('.') && (n.ends_with(".xlsx") || n.ends_with(".docx")))
                .collect()
        })
        .unwrap_or_default();
    summary_files.sort();
    render(
        "cases.html",
        minijinja::context! {
            summary_files => summary_files,
            title => "评价案例",
            root => root.display().to_string(),
            cases => minijinja::Value::from(minijinja::value::Serde(&lines)),
            summary => minijinja::Value::from(minijinja::value::Serde(&summary)),
        },
    )
}

#[derive(Serialize)]
struct Download {
    name: String,
}

/// The case page (or, `main_only`, its content for the live refresh).
pub fn case_page(root: &Path, case: &Path, name: &str, changes: &str, main_only: bool) -> String {
    let line = case_line(root, case, name);
    let eval = read_eval(root, case).map(|(e, _)| e);
    let (out, refused) = match output_folder(root, case) {
        Ok(out) => (out, None),
        Err(why) => (None, Some(why.to_string())),
    };
    let mut files: Vec<Download> = out
        .map(|out| {
            crate::output::outputs_in(&out)
                .into_iter()
                .filter(|f| out.join(f).is_file())
                .map(|name| Download { name })
                .collect()
        })
        .unwrap_or_default();
    files.sort_by(|a, b| (!a.name.ends_with(".docx")).cmp(&!b.name.ends_with(".docx")).then(a.name.cmp(&b.name)));
    let inputs: Vec<String> = std::fs::read_dir(case)
        .map(|d| {
            let mut v: Vec<String> = d
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| {
                    let l = n.to_lowercase();
                    !n.starts_with('.') && (l.ends_with(".xlsx") || l.ends_with(".xls") || l.ends_with(".ods"))
                })
                .collect();
            v.sort();
            v
        })
        .unwrap_or_default();
    let ctx = minijinja::context! {
        title => format!("{} · 评价案例", if line.unit.is_empty() { name } else { &line.unit }),
        name => name,
        line => minijinja::Value::from(minijinja::value::Serde(&line)),
        eval => eval.as_ref().map(|e| minijinja::Value::from(minijinja::value::Serde(e))),
        files => minijinja::Value::from(minijinja::value::Serde(&files)),
        inputs => inputs,
        kept => super::upload::kept_versions(root, case),
        history => super::upload::HISTORY,
        refused => refused,
        changes => changes,
        main_only => main_only,
    };
    render("case.html", ctx)
}
