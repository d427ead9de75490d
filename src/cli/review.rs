//! `jixiao review`: the published 得分表 beside the case as scored; the
//! slips printed and written (复核差异.xlsx). Exit 1 with a slip, 0 with
//! none, 2 when a file cannot be read.

use std::path::{Path, PathBuf};

use super::exit::Outcome;
use crate::setup::SetupOptions;

/// Why no 得分表 could be chosen.
#[derive(Debug, thiserror::Error)]
enum NoScores {
    #[error("找不到得分表“{}”。请检查路径。", .0.display())]
    Missing(PathBuf),
    #[error("无法打开文件夹“{}”（{source}）。", folder.display())]
    Folder { folder: PathBuf, source: std::io::Error },
    #[error("“{}”中没有文件名含“得分”的工作簿。请把评价报告所附的得分表放进案例文件夹，或用 --scores 指定。", .0.display())]
    None(PathBuf),
    #[error("“{}”中有 {count} 个文件名含“得分”的工作簿，请用 --scores 指定要复核的一个。", folder.display())]
    Several { folder: PathBuf, count: usize },
}

/// The 得分表 of the folder: `given`, or the one workbook named `…得分…`.
fn scores_file(folder: &Path, given: Option<&Path>) -> Result<PathBuf, NoScores> {
    if let Some(g) = given {
        return if g.is_file() { Ok(g.to_path_buf()) } else { Err(NoScores::Missing(g.to_path_buf())) };
    }
    let files = crate::ingest::workbook_files(folder)
        .map_err(|source| NoScores::Folder { folder: folder.to_path_buf(), source })?;
    let named: Vec<PathBuf> = files
        .into_iter()
        .filter(|f| f.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.contains("得分")))
        .collect();
    match named.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(NoScores::None(folder.to_path_buf())),
        _ => Err(NoScores::Several { folder: folder.to_path_buf(), count: named.len() }),
    }
}

pub fn review(path: &Path, scores: Option<&Path>, out: Option<PathBuf>, setup: &SetupOptions) -> Outcome {
    if !path.is_dir() {
        eprintln!("错误：找不到案例文件夹“{}”。请检查路径是否正确。", path.display());
        return Outcome::Unreadable;
    }
    let file = match scores_file(path, scores) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("错误：{e}");
            return Outcome::Unreadable;
        }
    };
    let display = file.file_name().and_then(|n| n.to_str()).unwrap_or("得分表").to_string();
    let published = match crate::review::read::read(&file, &display) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("错误：{e}");
            return Outcome::Unreadable;
        }
    };
    let (case, _checks, scored, _missing) = crate::pipeline::score_path(path, setup);
    if case.has_unreadable() {
        for p in case.problems.iter().filter(|p| p.unreadable) {
            eprintln!("{p}");
        }
        return Outcome::Unreadable;
    }
    let scored = match scored {
        Ok(s) => s,
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            eprintln!("错误：本案例无法按指标体系评分，无法复核得分表。请先用 jixiao score 查看原因。");
            return Outcome::Unreadable;
        }
    };
    let review = crate::review::review(&published, &scored);
    outp!("{}", crate::review::text(&review));
    let out = out.unwrap_or_else(|| crate::pipeline::default_output(path));
    let case = path.canonicalize().ok().and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
    if let Err(e) = write(&review, case.as_deref().unwrap_or("案例"), &out) {
        eprintln!("错误：无法写出复核结果（{e}）");
        return Outcome::Unreadable;
    }
    if review.slips.is_empty() {
        Outcome::Fine
    } else {
        Outcome::Attention
    }
}

/// Why the review's outputs could not be written (each cause kept as it is).
#[derive(Debug, thiserror::Error)]
enum WriteError {
    #[error("{0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("{0}")]
    Docx(#[from] crate::render::report::RenderError),
    #[error("{0}")]
    Output(#[from] crate::output::OutputError),
}

fn write(review: &crate::review::Review, case: &str, out: &Path) -> Result<(), WriteError> {
    let xlsx = crate::review::xlsx::write(review)?;
    let docx = crate::review::report::render(review, case, &[])?;
    let mut dir = crate::output::OutputDir::open(out, true)?;
    for (name, bytes) in [("复核意见.docx", &docx), ("复核差异.xlsx", &xlsx)] {
        let written = dir.write(name, bytes)?;
        outln!("已写出：{}", written.display());
    }
    dir.finish()?;
    Ok(())
}
