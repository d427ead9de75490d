//! Where a case's indicator system comes from: a shipped system by name
//! (embedded), a system file (`.toml`) the working paper names — looked up
//! in the case folder, its `指标体系/` folder and a further folder the
//! binary names (`JIXIAO_SYSTEMS`) — or given with `--system FILE`, or the
//! paper's own 指标体系 sheet; which one a case uses is resolved once, by
//! [`crate::setup`]. Staff keep
//! their systems as files; no rebuild is needed to use one.

use std::path::{Path, PathBuf};

use super::{shipped_systems, ScoreError, ScoreErrorKind, System};
use crate::model::Place;

/// The largest system file read (the shipped ones are about 30 KB).
pub const MAX_SYSTEM_BYTES: u64 = 1024 * 1024;

/// Read and parse a system file named on its own (`--system FILE`): read
/// as [`system_file_in`] its own folder.
pub fn system_file(path: &Path) -> Result<System, Vec<ScoreError>> {
    system_file_in(&crate::confined::parent_of(path), path)
}

/// Read and parse the system file `path` found in `folder`: its real path
/// (symbolic links resolved) must lie inside the folder's, as for template
/// overrides, so a link to a host file is refused, never read or quoted.
pub fn system_file_in(folder: &Path, path: &Path) -> Result<System, Vec<ScoreError>> {
    use crate::confined::{read_inside, ReadError};
    let place = path.display().to_string();
    let text = read_inside(folder, path, MAX_SYSTEM_BYTES).map_err(|e| {
        let kind = match e {
            ReadError::Io(e) => ScoreErrorKind::SystemFileUnreadable { reason: e.to_string() },
            ReadError::NotAFile => ScoreErrorKind::SystemFileNotAFile,
            ReadError::TooLarge { size, .. } => ScoreErrorKind::SystemFileTooLarge { size },
            e => ScoreErrorKind::SystemFileRefused { reason: e.to_string() },
        };
        vec![ScoreError::new(Place::file(&place), kind)]
    })?;
    let origin = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or(place.clone());
    System::from_toml(&text, &origin)
}

/// The folders a working paper's system file is looked for in.
pub fn system_folders(case_folder: Option<&Path>, extra: Option<&Path>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(dir) = case_folder {
        out.push(dir.to_path_buf());
        out.push(dir.join("指标体系"));
    }
    out.extend(extra.map(Path::to_path_buf));
    out
}

/// Does the paper's 指标体系 value name a file rather than a shipped system?
pub fn names_a_file(value: &str) -> bool {
    let v = value.trim().to_lowercase();
    v.ends_with(".toml") || v.contains('/') || v.contains('\\')
}

/// The system file `name` in the first of `folders` holding it, with the
/// folder it is confined to (an absolute path: its own folder).
pub fn find_system_file(name: &str, folders: &[PathBuf]) -> Option<(PathBuf, PathBuf)> {
    let given = Path::new(name.trim());
    if given.is_absolute() {
        return given.is_file().then(|| (crate::confined::parent_of(given), given.to_path_buf()));
    }
    folders.iter().map(|d| (confinement(d, folders), d.join(given))).find(|(_, p)| p.is_file())
}

/// The folder a system file found in `dir` must resolve inside: the case
/// folder for its `指标体系/` folder (so that a `指标体系` linked elsewhere
/// is refused too), else `dir` itself.
fn confinement(dir: &Path, folders: &[PathBuf]) -> PathBuf {
    match dir.parent() {
        Some(parent) if dir.file_name().is_some_and(|n| n == "指标体系") && folders.iter().any(|f| f == parent) => {
            parent.to_path_buf()
        }
        _ => dir.to_path_buf(),
    }
}

/// Read the system file `name` found in `folders` (see [`find_system_file`]).
pub fn found_system_file((folder, path): (PathBuf, PathBuf)) -> Result<System, Vec<ScoreError>> {
    system_file_in(&folder, &path)
}

/// The `.toml` files of the system folders, for messages.
pub fn system_files_in(folders: &[PathBuf]) -> Vec<String> {
    let mut out = Vec::new();
    for dir in folders {
        let Ok(entries) = std::fs::read_dir(dir) else { continue };
        for e in entries.flatten().take(200) {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.to_lowercase().ends_with(".toml") && !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out.sort();
    out
}

/// A shipped system by its name or file stem.
pub fn shipped(name: &str) -> Option<System> {
    shipped_systems().into_iter().find(|s| s.name == name || s.origin.trim_end_matches(".toml") == name)
}
