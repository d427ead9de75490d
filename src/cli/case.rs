//! The commands on one case: inspect, check, score, annex, init, and the
//! check of an indicator system.

use std::path::{Path, PathBuf};

use super::exit::Outcome;
use crate::setup::SetupOptions;

pub fn inspect(path: &Path, json: bool) -> Outcome {
    if !path.exists() {
        eprintln!("错误：找不到“{}”。请检查路径是否正确。", path.display());
        return Outcome::Unreadable;
    }
    let case = crate::pipeline::inspect(path);
    if json {
        match serde_json::to_string_pretty(&case) {
            Ok(s) => outln!("{s}"),
            Err(e) => {
                eprintln!("错误：无法输出 JSON（{e}）");
                return Outcome::Unreadable;
            }
        }
    } else {
        outp!("{}", crate::cli::inspect_text(&case));
    }
    for p in &case.problems {
        eprintln!("{p}");
    }
    Outcome::of_case(&case, 0)
}

pub fn check(path: &Path, json: bool, setup: &SetupOptions) -> Outcome {
    if !path.exists() {
        eprintln!("错误：找不到“{}”。请检查路径是否正确。", path.display());
        return Outcome::Unreadable;
    }
    let (case, report, missing) = crate::pipeline::check_path(path, setup);
    if json {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            problems: &'a [crate::model::Problem],
            #[serde(flatten)]
            report: &'a crate::check::CheckReport,
        }
        match serde_json::to_string_pretty(&Out { problems: &case.problems, report: &report }) {
            Ok(s) => outln!("{s}"),
            Err(e) => {
                eprintln!("错误：无法输出 JSON（{e}）");
                return Outcome::Unreadable;
            }
        }
    } else {
        outp!("{}", crate::cli::check_text(&case, &report));
        if !missing.is_empty() {
            outp!("评分和报告尚缺 {} 项输入（一次列全）：\n{}", missing.len(), missing.text());
        }
    }
    if case.files.iter().all(|f| f.found.is_empty()) && !case.has_unreadable() {
        eprintln!("没有识别出任何部门报表，未做任何核对。请用 jixiao inspect 查看各工作表为何未被识别。");
        return Outcome::Attention;
    }
    Outcome::of_case(&case, report.errors() + missing.blocking())
}

pub fn score(path: &Path, json: bool, setup: &SetupOptions) -> Outcome {
    if !path.exists() {
        eprintln!("错误：找不到“{}”。请检查路径是否正确。", path.display());
        return Outcome::Unreadable;
    }
    let (case, _checks, scored, missing) = crate::pipeline::score_path(path, setup);
    for p in case.problems.iter().filter(|p| p.severity == crate::model::Severity::Error) {
        eprintln!("{p}");
    }
    match scored {
        Ok(scored) => {
            if json {
                match serde_json::to_string_pretty(&scored) {
                    Ok(s) => outln!("{s}"),
                    Err(e) => {
                        eprintln!("错误：无法输出 JSON（{e}）");
                        return Outcome::Unreadable;
                    }
                }
            } else {
                outp!("{}", crate::cli::score_text(&scored));
            }
            let waiting = scored.indicators.iter().filter(|i| !i.pending.is_empty()).count();
            let failed: Vec<&crate::score::ScoredIndicator> =
                scored.indicators.iter().filter(|i| i.failed.is_some()).collect();
            if waiting > 0 {
                eprint!("尚缺 {} 项输入（一次列全）：\n{}", missing.len(), missing.text());
            }
            for i in &failed {
                let place = scored.system.indicator(&i.name).map(|d| d.place.to_string()).unwrap_or_default();
                eprintln!("未评分 {place}：“{}”{}", i.name, i.failed.as_deref().unwrap_or_default());
            }
            if waiting + failed.len() > 0 {
                let mut why = Vec::new();
                if waiting > 0 {
                    why.push(format!("{waiting} 个三级指标缺少评分所需的输入"));
                }
                if !failed.is_empty() {
                    why.push(format!("{} 个三级指标未评分", failed.len()));
                }
                eprintln!("评分未完成：{}，总分待定。请按上面每条所说的位置补齐或改正后重试。", why.join("，"));
                return Outcome::Attention;
            }
            if case.has_unreadable() {
                Outcome::Unreadable
            } else {
                Outcome::Fine
            }
        }
        Err(errors) => {
            // Everything missing at once, then what else stopped scoring.
            if !missing.is_empty() {
                eprint!("尚缺 {} 项输入（一次列全）：\n{}", missing.len(), missing.text());
            }
            let rest: Vec<String> = errors.iter().filter(|e| !missing.covers(e)).map(|e| e.to_string()).collect();
            if !rest.is_empty() && !missing.is_empty() {
                eprintln!("其他问题：");
            }
            for e in &rest {
                eprintln!("{e}");
            }
            eprintln!(
                "评分未完成：{}。请按上面每条所说的位置补齐或修改后重试。",
                match (missing.blocking(), rest.len()) {
                    (0, n) => format!("共 {n} 处问题"),
                    (m, 0) => format!("尚缺 {m} 项评分所需的输入"),
                    (m, n) => format!("尚缺 {m} 项评分所需的输入，另有 {n} 处问题"),
                }
            );
            Outcome::Attention
        }
    }
}

pub fn annex(path: &Path, out: Option<PathBuf>, force: bool, setup: &SetupOptions) -> Outcome {
    if path.is_file() {
        eprintln!(
            "错误：“{}”是一个文件。请给出案例文件夹（放部门报表和评价底稿的文件夹），例如 jixiao annex “{}”。",
            path.display(),
            path.parent().map(|p| p.display().to_string()).unwrap_or_default()
        );
        return Outcome::Unreadable;
    }
    if !path.is_dir() {
        eprintln!("错误：找不到案例文件夹“{}”。请检查路径是否正确。", path.display());
        return Outcome::Unreadable;
    }
    let out = out.unwrap_or_else(|| crate::pipeline::default_output(path));
    let started = std::time::Instant::now();
    let options = crate::render::report::Options { setup: setup.clone(), ..Default::default() };
    match crate::pipeline::annex_in(path, &out, force, &options) {
        Ok(run) => {
            for note in &run.notes {
                eprintln!("提示：{note}");
            }
            for p in run.case.problems.iter().filter(|p| p.severity == crate::model::Severity::Error) {
                eprintln!("{p}");
            }
            outln!("已写入 {}（{} ms）：", out.display(), started.elapsed().as_millis());
            for f in &run.files {
                outln!("  {}", f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
            }
            outp!("{}", crate::pipeline::changes_text(&run.changes));
            if run.case.has_unreadable() {
                Outcome::Unreadable
            } else {
                Outcome::Fine
            }
        }
        Err(e) => {
            eprintln!("{e}");
            Outcome::Attention
        }
    }
}

/// `jixiao system`: a system (shipped name or file) validated, and what it needs.
pub fn system_check(name: &str) -> Outcome {
    let loaded = match crate::system::load::shipped(name) {
        Some(s) => Ok(s),
        None => crate::system::load::system_file(Path::new(name)),
    };
    let system = match loaded {
        // Indicators generated from a project's targets stand as placeholders here.
        Ok(s) => s.expanded(None),
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            eprintln!("指标体系有 {} 处问题，请修改后重试。", errors.len());
            return Outcome::Attention;
        }
    };
    let errors = system.validate();
    outp!("{}", crate::cli::system_text(&system));
    for e in &errors {
        eprintln!("{e}");
    }
    if errors.is_empty() {
        outln!("检查通过：分值、规则和参数无误。");
        Outcome::Fine
    } else {
        eprintln!("指标体系有 {} 处问题，请修改后重试。", errors.len());
        Outcome::Attention
    }
}
