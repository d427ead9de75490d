//! `jixiao watch`: rebuild a case when its workbooks or templates change —
//! debounced, ignoring the outputs it writes and Excel's lock files.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::ingest::is_workbook_name;

/// How long the folder must stay quiet before a rebuild.
pub const QUIET: Duration = Duration::from_millis(500);

/// A change to this path should trigger a rebuild: a workbook of the case
/// (not Excel's `~$` lock file, not a temporary file), or a report template
/// — never anything inside the output folder.
pub fn should_rebuild(path: &Path, case: &Path, output: &Path) -> bool {
    let abs = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let (path_abs, out_abs) =
        (abs(path.parent().unwrap_or(path)).join(path.file_name().unwrap_or_default()), abs(output));
    if path_abs.starts_with(&out_abs) {
        return false;
    }
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return false };
    if is_workbook_name(name) {
        return true;
    }
    let in_templates = path
        .parent()
        .is_some_and(|p| p.file_name().is_some_and(|n| n == "templates") && abs(p.parent().unwrap_or(p)) == abs(case));
    in_templates && name.ends_with(".j2")
}

/// Watch `case` and call `rebuild` after each quiet change; runs until the
/// channel closes, or stops with an error when the folder itself is moved
/// or deleted. `rebuild` gets the paths that changed — first, once the
/// folder is watched, an empty list: the initial build (a change made while
/// it runs is not missed).
pub fn watch(case: &Path, output: &Path, mut rebuild: impl FnMut(&[PathBuf])) -> notify::Result<()> {
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        // Only changes: reading the workbooks (our own rebuild) raises access events.
        if let Ok(event) = res {
            use notify::event::{EventKind, ModifyKind};
            let change = matches!(event.kind, EventKind::Create(_) | EventKind::Remove(_))
                || matches!(event.kind, EventKind::Modify(k) if !matches!(k, ModifyKind::Metadata(_)));
            if change {
                let _ = tx.send(event.paths);
            }
        }
    })?;
    let gone =
        || notify::Error::generic("案例文件夹已被移动、改名或删除，已停止监视。请对新的位置重新运行 jixiao watch");
    if let Err(e) = watcher.watch(case, RecursiveMode::Recursive) {
        return Err(if case.is_dir() { e } else { gone() });
    }
    rebuild(&[]);
    let mut pending: Vec<PathBuf> = Vec::new();
    let mut last = Instant::now();
    loop {
        match rx.recv_timeout(QUIET) {
            Ok(paths) => {
                let relevant: Vec<PathBuf> = paths.into_iter().filter(|p| should_rebuild(p, case, output)).collect();
                if !relevant.is_empty() {
                    pending.extend(relevant);
                    last = Instant::now();
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                // A folder renamed, moved or deleted is not followed: say so and stop.
                if !case.is_dir() {
                    return Err(gone());
                }
                if !pending.is_empty() && last.elapsed() >= QUIET {
                    pending.sort();
                    pending.dedup();
                    rebuild(&pending);
                    pending.clear();
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_triggers_a_rebuild() {
        let case = Path::new("/tmp/案例");
        let out = Path::new("/tmp/案例/output");
        assert!(should_rebuild(Path::new("/tmp/案例/评价底稿.xlsx"), case, out));
        assert!(should_rebuild(Path::new("/tmp/案例/2024年预算.xls"), case, out));
        assert!(!should_rebuild(Path::new("/tmp/案例/~$评价底稿.xlsx"), case, out), "Excel's lock file");
        assert!(!should_rebuild(Path::new("/tmp/案例/output/附件2 绩效评价得分表.xlsx"), case, out), "our own output");
        assert!(!should_rebuild(Path::new("/tmp/案例/说明.txt"), case, out));
        assert!(should_rebuild(Path::new("/tmp/案例/templates/chapter4.j2"), case, out));
        assert!(!should_rebuild(Path::new("/tmp/案例/.~lock.评价底稿.xlsx#"), case, out));
    }
}
