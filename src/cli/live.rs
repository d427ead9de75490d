//! The commands that keep running: `serve` (the page for staff) and `watch`.

use std::path::{Path, PathBuf};

use super::exit::Outcome;
use crate::setup::SetupOptions;

/// The default folder of `serve` (double-clicking the program): `评价案例` in the current folder.
pub const DEFAULT_ROOT: &str = "评价案例";

pub fn serve(root: Option<PathBuf>, port: u16, no_browser: bool) -> Outcome {
    let root = root.unwrap_or_else(|| PathBuf::from(DEFAULT_ROOT));
    match crate::serve::serve(&root, port, !no_browser) {
        Ok(()) => Outcome::Fine,
        Err(e) => {
            eprintln!("错误：{e}");
            Outcome::Unreadable
        }
    }
}

pub fn watch(path: &Path, out: Option<PathBuf>, force: bool, setup: &SetupOptions) -> Outcome {
    if !path.is_dir() {
        eprintln!("错误：找不到案例文件夹“{}”。", path.display());
        return Outcome::Unreadable;
    }
    let out = out.unwrap_or_else(|| crate::pipeline::default_output(path));
    // Everything at once (the report without 目录 page numbers), then the
    // numbers: LibreOffice lays out the report (a few seconds) and the report
    // is written again with them.
    let options = crate::render::report::Options { emit_layout: true, setup: setup.clone(), ..Default::default() };
    let run = |why: &str| {
        let started = std::time::Instant::now();
        match crate::pipeline::build_with(path, &out, &options, force) {
            Ok(r) => {
                outln!(
                    "{why}：已重新生成 {}（{} 分，{}，{} ms）",
                    out.display(),
                    crate::model::value::fmt_score(r.annex.scored.total),
                    r.annex.evaluation.score.grade,
                    started.elapsed().as_millis()
                );
                outp!("{}", crate::pipeline::changes_text(&r.annex.changes));
                for n in &r.annex.notes {
                    outln!("提示：{n}");
                }
                let Some(layout) = &r.layout else { return };
                let started = std::time::Instant::now();
                match crate::render::report::layout::toc_pages(&layout.bytes, &layout.headings) {
                    Some(pages) => match crate::pipeline::number_report(&r, &out, pages, force) {
                        Ok(_) => outln!("目录页码已填写（{} ms）", started.elapsed().as_millis()),
                        Err(e) => eprintln!("{why}：填写目录页码失败\n{e}"),
                    },
                    None => outln!("（目录页码未排版：未找到 LibreOffice；Word 打开时会更新目录）"),
                }
            }
            Err(e) => eprintln!("{why}：生成失败\n{e}"),
        }
    };
    let result = crate::watch::watch(path, &out, |changed| {
        if changed.is_empty() {
            run("开始监视");
            outln!("正在监视“{}”，修改工作簿或模板后会自动重新生成。按 Ctrl+C 退出。", path.display());
            return;
        }
        let names: Vec<String> =
            changed.iter().filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned())).collect();
        run(&format!("{} 有改动", names.join("、")));
    });
    match result {
        Ok(()) => Outcome::Fine,
        Err(e) => {
            eprintln!("错误：无法监视“{}”（{e}）。", path.display());
            Outcome::Unreadable
        }
    }
}
