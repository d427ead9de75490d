//! `jixiao init`: the blank working paper of a case, for the report kind
//! (`--kind`: a shipped name or a kind folder) and the indicator system
//! (`--system`, else the kind's own) — the kind's 项目信息 rows, the texts
//! its templates print, the system's 事实, data tables and 单位数据, and
//! the 发现 dropdown with the indicators generated from the project's
//! targets when the folder holds its 自评表.

use std::path::{Path, PathBuf};

use super::exit::Outcome;
use crate::report_kind::Kind;
use crate::score::System;

pub fn init(folder: &Path, system: Option<&str>, kind: Option<&str>, force: bool) -> Outcome {
    if let Err(e) = std::fs::create_dir_all(folder) {
        eprintln!("错误：无法创建文件夹“{}”（{e}）。", folder.display());
        return Outcome::Unreadable;
    }
    let path = folder.join("评价底稿.xlsx");
    if path.exists() && !force {
        eprintln!("错误：“{}”已存在，未覆盖。确需重新生成请加 --force。", path.display());
        return Outcome::Attention;
    }
    let kind = match kind.map(find_kind).transpose() {
        Ok(k) => k,
        Err(message) => {
            eprintln!("{message}");
            return Outcome::Attention;
        }
    };
    let systems = crate::system::shipped_systems();
    // The kind's own system when none is given (the paper then names none).
    let kind_system = kind.as_ref().and_then(|k| k.system.clone()).filter(|_| system.is_none());
    let chosen = match (system, &kind_system, &kind) {
        (Some(name), _, _) => given_system(name, folder, &systems),
        (None, Some(name), Some(k)) => kind_system_of(k, name),
        _ => Ok(systems.first().cloned()),
    };
    let chosen = match chosen {
        Ok(s) => s,
        Err(outcome) => return outcome,
    };
    // The project's targets, when its 自评表 is in the folder already.
    let case = crate::pipeline::inspect(folder);
    let project = case.evaluated_project().or(match case.project_self_evals.as_slice() {
        [one] => Some(one),
        _ => None,
    });
    let targets: Option<Vec<(String, String, String)>> =
        project.map(|e| e.indicators.iter().map(|i| (i.level1.clone(), i.level2.clone(), i.name.clone())).collect());
    let chosen = chosen.map(|s| s.expanded(targets.as_deref()));
    // No --kind: the kind the system says it is for, when shipped.
    let kind = kind
        .or_else(|| {
            let named = chosen.as_ref().map(|s| s.kind.as_str())?;
            crate::report_kind::shipped().into_iter().find(|k| k.name == named)
        })
        .unwrap_or_else(crate::report_kind::default_kind);
    let dirs: Vec<PathBuf> = kind.folder.iter().cloned().collect();
    let texts = crate::templates::declared_texts(&dirs, &kind.parts);
    let blank = crate::render::paper::Blank {
        systems: &systems,
        system: chosen.as_ref(),
        name_system: kind_system.is_none(),
        texts,
        project: project.map(|p| p.project.clone()),
        kind,
    };
    match crate::render::paper::write_paper(&path, &blank) {
        Ok(()) => {
            outln!("已生成 {}（报告类型：{}）", path.display(), blank.kind.name);
            if let Some(dir) = &blank.kind.folder {
                let inside = [folder.to_path_buf(), folder.join("报告类型")]
                    .iter()
                    .any(|d| d.join(&blank.kind.name).canonicalize().ok() == dir.canonicalize().ok());
                if !inside {
                    outln!(
                        "提示：报告类型文件夹“{}”不在案例文件夹中：请把它复制为案例文件夹（或其“报告类型”文件夹）中名为“{}”的文件夹，或在 check/build 时加 --kind {}。",
                        dir.display(),
                        blank.kind.name,
                        dir.display()
                    );
                }
            }
            Outcome::Fine
        }
        Err(e) => {
            eprintln!("错误：无法写入“{}”（{e}）。请检查文件夹是否可写。", path.display());
            Outcome::Unreadable
        }
    }
}

/// Why `--kind` names no kind.
#[derive(Debug, thiserror::Error)]
enum KindNotFound {
    /// A folder with a `kind.toml` that does not load.
    #[error("{0}")]
    Load(#[from] crate::report_kind::KindError),
    #[error("错误：没有报告类型“{name}”：内置的有 {shipped}；或给出含 kind.toml 的报告类型文件夹。")]
    Unknown { name: String, shipped: String },
}

/// `--kind`: a shipped kind's name, or a folder holding a `kind.toml`.
fn find_kind(name: &str) -> Result<Kind, KindNotFound> {
    if let Some(k) = crate::report_kind::shipped().into_iter().find(|k| k.name == name) {
        return Ok(k);
    }
    let dir = Path::new(name);
    if dir.join("kind.toml").is_file() {
        return Ok(crate::report_kind::load_dir(dir)?);
    }
    let names: Vec<String> = crate::report_kind::shipped().iter().map(|k| format!("“{}”", k.name)).collect();
    Err(KindNotFound::Unknown { name: name.to_string(), shipped: names.join("、") })
}

/// The kind's own system: shipped, or a file of its folder.
fn kind_system_of(kind: &Kind, name: &str) -> Result<Option<System>, Outcome> {
    if let Some(s) = crate::system::load::shipped(name) {
        return Ok(Some(s));
    }
    let folders: Vec<PathBuf> = kind.folder.iter().cloned().collect();
    match crate::system::load::find_system_file(name, &folders) {
        Some(found) => crate::system::load::found_system_file(found).map(Some).map_err(print_errors),
        None => {
            eprintln!("错误：报告类型“{}”（{}）的指标体系“{name}”找不到。", kind.name, kind.origin);
            Err(Outcome::Attention)
        }
    }
}

fn print_errors(errors: Vec<crate::score::ScoreError>) -> Outcome {
    for e in &errors {
        eprintln!("{e}");
    }
    Outcome::Attention
}

/// `--system`: a shipped system's name, or a system file (named in the
/// paper as the case will find it: its name when it lies in the case
/// folder, else its full path).
fn given_system(name: &str, folder: &Path, systems: &[System]) -> Result<Option<System>, Outcome> {
    if crate::system::load::names_a_file(name) {
        let file = Path::new(name);
        let mut s = crate::system::load::system_file(file).map_err(print_errors)?;
        let inside = file
            .canonicalize()
            .ok()
            .zip(folder.canonicalize().ok())
            .and_then(|(f, d)| f.strip_prefix(&d).ok().map(|rel| rel.to_string_lossy().into_owned()));
        let full = file.canonicalize().map(|f| f.display().to_string()).unwrap_or(name.to_string());
        s.name = inside.unwrap_or(full);
        return Ok(Some(s));
    }
    match systems.iter().find(|s| s.name == name || s.origin.trim_end_matches(".toml") == name) {
        Some(s) => Ok(Some(s.clone())),
        None => {
            let names: Vec<&str> = systems.iter().map(|s| s.name.as_str()).collect();
            eprintln!(
                "错误：没有名为“{name}”的内置指标体系。可选：{}；或给出指标体系文件（.toml）。",
                names.join("、")
            );
            Err(Outcome::Attention)
        }
    }
}
