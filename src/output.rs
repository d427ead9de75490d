//! A case's output folder, written safely: every file atomically (a
//! temporary file renamed into place, so a reader never sees half a file;
//! no fsync — a crash may lose the newest version, never corrupt one), a manifest of what jixiao wrote, and
//! no overwriting of a file a person edited since — the new version goes
//! beside it, and the user is told (`force` overwrites).
//!
//! ```no_run
//! let mut out = jixiao::output::OutputDir::open(std::path::Path::new("output/case"), false).unwrap();
//! out.write("附件2 绩效评价得分表.xlsx", b"...").unwrap();
//! let finished = out.finish().unwrap();
//! for note in finished.notes {
//!     println!("{note}");
//! }
//! ```

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The manifest's file name inside the output folder.
pub const MANIFEST: &str = ".jixiao-manifest.json";

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("输出文件夹“{0}”不可写（{1}）。请用 --out 换一个输出文件夹，或检查文件夹权限。")]
    NotWritable(String, String),
    #[error("磁盘空间不足，无法写入“{0}”。请清理磁盘或用 --out 换一个输出位置。")]
    Full(String),
    #[error("无法写入“{0}”（{1}）。如果文件正被 Excel 或 Word 打开，请先关闭。")]
    Write(String, String),
    /// A name that is not one plain file name (a bug if it ever shows: names are made safe first).
    #[error("拒绝写入“{0}”：输出文件名必须是输出文件夹内的单个文件名。")]
    UnsafeName(String),
}

/// FNV-1a, 64 bits: stable across platforms and Rust versions.
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016x}")
}

/// The longest file name written, in bytes (file systems allow 255; the
/// rest is room for `（新版）` and temporary-file affixes).
const MAX_NAME_BYTES: usize = 180;

/// Bidirectional controls (U+200E/F, U+202A–202E, U+2066–2069), zero-width
/// characters (U+200B–200D) and the byte-order mark (U+FEFF): invisible in a
/// file name, and able to make `报告exe.docx` look like `报告xcod.exe`.
fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// A file name made safe from any text (a 评价对象 typed in a working
/// paper): path separators and the characters Windows forbids become their
/// full-width forms (`/` → `／`), control, bidirectional and zero-width
/// characters are dropped, leading
/// dots and trailing dots and spaces are trimmed, Windows device names
/// (`CON`, `NUL`, `COM1` …) get a leading `_`, and the name is shortened to
/// fit, keeping its extension. The result is one plain path component.
///
/// ```
/// use jixiao::output::safe_file_name;
/// assert_eq!(safe_file_name("/../../tmp/x.docx"), "／..／..／tmp／x.docx");
/// assert_eq!(safe_file_name("市医保局/市医保中心2024年度绩效评价报告.docx"), "市医保局／市医保中心2024年度绩效评价报告.docx");
/// assert_eq!(safe_file_name("CON.docx"), "_CON.docx");
/// assert_eq!(safe_file_name("..报告. .docx "), "报告. .docx");
/// assert_eq!(safe_file_name("a\u{0}\u{7}b\nc.docx"), "abc.docx");
/// assert_eq!(safe_file_name("报告\u{202E}xcod.exe"), "报告xcod.exe");
/// ```
pub fn safe_file_name(name: &str) -> String {
    let mapped: String = name
        .chars()
        .filter(|c| !c.is_control() && !is_invisible_format(*c))
        .map(|c| match c {
            '/' => '／',
            '\\' => '＼',
            ':' => '：',
            '*' => '＊',
            '?' => '？',
            '"' => '＂',
            '<' => '＜',
            '>' => '＞',
            '|' => '｜',
            other => other,
        })
        .collect();
    let mut out = mapped.trim_start_matches(['.', ' ']).trim_end_matches(['.', ' ']).to_string();
    if out.is_empty() {
        out = "未命名".into();
    }
    let stem = out.split('.').next().unwrap_or_default().trim_end().to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (stem.len() == 4
            && (stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.as_bytes()[3].is_ascii_digit());
    if reserved {
        out.insert(0, '_');
    }
    if out.len() > MAX_NAME_BYTES {
        let ext = Path::new(&out).extension().and_then(|e| e.to_str()).map(|e| format!(".{e}")).unwrap_or_default();
        let ext = if ext.len() > 16 { String::new() } else { ext };
        let mut stem: String = out[..out.len() - ext.len()].to_string();
        while stem.len() + ext.len() > MAX_NAME_BYTES {
            stem.pop();
        }
        out = format!("{}{ext}", stem.trim_end_matches(['.', ' ']));
    }
    out
}

/// One plain path component: no separator, no `.`/`..`, not absolute.
fn is_plain_name(name: &str) -> bool {
    let mut parts = Path::new(name).components();
    matches!((parts.next(), parts.next()), (Some(std::path::Component::Normal(_)), None)) && !name.contains(['/', '\\'])
}

/// An output folder being written.
pub struct OutputDir {
    dir: PathBuf,
    /// File name → fingerprint of what jixiao last wrote.
    manifest: BTreeMap<String, String>,
    /// The manifest was there but could not be read, or was missing while
    /// outputs were: it is rebuilt from the current files.
    rebuilt: bool,
    told_rebuilt: bool,
    force: bool,
    notes: Vec<String>,
    written: Vec<PathBuf>,
}

fn classify(path: &Path, e: std::io::Error) -> OutputError {
    let shown = path.display().to_string();
    // ENOSPC / EDQUOT
    if matches!(e.raw_os_error(), Some(28) | Some(122)) {
        return OutputError::Full(shown);
    }
    match e.kind() {
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            OutputError::NotWritable(shown, e.to_string())
        }
        _ => OutputError::Write(shown, e.to_string()),
    }
}

/// The process that left a temporary file `….tmp-<pid>` is gone (on
/// systems without `/proc`, the file is over ten minutes old).
fn stale_temp(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let Some(pid) = name.rsplit_once(".tmp-").and_then(|(_, p)| p.parse::<u32>().ok()) else {
        return false;
    };
    left_by_gone_process(path, pid)
}

/// Was `path` left by process `pid`, now gone? (Without `/proc`: is it
/// over ten minutes old?)
pub fn left_by_gone_process(path: &Path, pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    if Path::new("/proc/self").exists() {
        return !Path::new(&format!("/proc/{pid}")).exists();
    }
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age.as_secs() > 600)
}

/// Remove the temporary files a killed run left in `dir` (`.<name>.tmp-<pid>`
/// of a process that is gone). Returns how many were removed.
pub fn clean_stale_temps(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.')) && stale_temp(p))
        .filter(|p| if p.is_dir() { std::fs::remove_dir_all(p).is_ok() } else { std::fs::remove_file(p).is_ok() })
        .count()
}

impl OutputDir {
    /// Create the folder if needed, check it can be written, read the
    /// manifest, and remove what a killed run left behind.
    pub fn open(dir: &Path, force: bool) -> Result<OutputDir, OutputError> {
        std::fs::create_dir_all(dir).map_err(|e| classify(dir, e))?;
        let probe = dir.join(format!(".jixiao-probe.tmp-{}", std::process::id()));
        std::fs::write(&probe, b"").map_err(|e| classify(dir, e))?;
        let _ = std::fs::remove_file(&probe);
        clean_stale_temps(dir);
        let mut notes = Vec::new();
        let (manifest, rebuilt, told_rebuilt) = match std::fs::read(dir.join(MANIFEST)) {
            Ok(bytes) => match serde_json::from_slice::<BTreeMap<String, String>>(&bytes) {
                Ok(m) => (m, false, false),
                Err(_) => {
                    notes.push(format!(
                        "输出文件夹中的清单 {MANIFEST} 已损坏，已按现有文件重建：现有输出视为 jixiao 生成，由新版本覆盖。"
                    ));
                    (BTreeMap::new(), true, true)
                }
            },
            Err(_) => (BTreeMap::new(), true, false),
        };
        Ok(OutputDir { dir: dir.to_path_buf(), manifest, rebuilt, told_rebuilt, force, notes, written: Vec::new() })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Write `bytes` as `name`. A file already holding exactly these bytes
    /// is left as it is. If `name` exists and differs from what jixiao last
    /// wrote (a person edited it), the new version is written as
    /// `<stem>（新版）.<ext>` instead, unless `force`. The manifest is
    /// updated as each file is written (a journal), so an interrupted run
    /// never leaves outputs it would later mistake for edited ones.
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<PathBuf, OutputError> {
        if !is_plain_name(name) {
            return Err(OutputError::UnsafeName(name.to_string()));
        }
        let mut target = self.dir.join(name);
        let mut name = name.to_string();
        if let Ok(current) = std::fs::read(&target) {
            if current == bytes {
                self.record(&name, bytes)?;
                self.written.push(target.clone());
                return Ok(target);
            }
            let edited = match self.manifest.get(&name) {
                Some(recorded) => *recorded != fingerprint(&current),
                // No manifest to go by: the file is taken as jixiao's (rebuilt), never accused.
                None => !self.rebuilt,
            };
            if self.rebuilt && !self.manifest.contains_key(&name) && !self.told_rebuilt {
                self.told_rebuilt = true;
                self.notes.push(format!(
                    "输出文件夹中没有清单 {MANIFEST}（被删除或来自旧版本），已按现有文件重建：现有输出视为 jixiao 生成，由新版本覆盖。"
                ));
            }
            if edited && !self.force {
                let p = Path::new(&name);
                let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or(&name).to_string();
                let ext = p.extension().and_then(|s| s.to_str()).map(|e| format!(".{e}")).unwrap_or_default();
                let alt = format!("{stem}（新版）{ext}");
                self.notes.push(format!("“{name}”在上次生成后被修改过，未覆盖；新版本写为“{alt}”。确认不需要修改后的版本时，加 --force 直接覆盖。"));
                name = alt;
                target = self.dir.join(&name);
            }
        }
        let tmp = self.dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let result = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(bytes)?;
            std::fs::rename(&tmp, &target)
        })();
        if let Err(e) = result {
            let _ = std::fs::remove_file(&tmp);
            return Err(classify(&target, e));
        }
        self.record(&name, bytes)?;
        self.written.push(target.clone());
        Ok(target)
    }

    /// Record a written file in the manifest, on disk at once (atomically).
    fn record(&mut self, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let print = fingerprint(bytes);
        if self.manifest.get(name) == Some(&print) {
            return Ok(());
        }
        self.manifest.insert(name.to_string(), print);
        self.save()
    }

    fn save(&self) -> Result<(), OutputError> {
        let json = serde_json::to_vec_pretty(&self.manifest).unwrap_or_default();
        let path = self.dir.join(MANIFEST);
        let tmp = self.dir.join(format!(".jixiao-manifest.tmp-{}", std::process::id()));
        std::fs::write(&tmp, json).and_then(|_| std::fs::rename(&tmp, &path)).map_err(|e| classify(&path, e))
    }

    /// Is `name` a file jixiao wrote into this folder (by the manifest)?
    pub fn is_output(&self, name: &str) -> bool {
        self.manifest.contains_key(name)
    }

    /// Finish: returns the notes for the user and the files written (the
    /// manifest is already on disk).
    pub fn finish(self) -> Result<Finished, OutputError> {
        self.save()?;
        Ok(Finished { notes: self.notes, files: self.written })
    }
}

/// The files jixiao wrote into `dir`, by its manifest (empty when none).
pub fn outputs_in(dir: &Path) -> Vec<String> {
    std::fs::read(dir.join(MANIFEST))
        .ok()
        .and_then(|b| serde_json::from_slice::<BTreeMap<String, String>>(&b).ok())
        .map(|m| m.into_keys().collect())
        .unwrap_or_default()
}

/// What [`OutputDir::finish`] reports.
#[derive(Debug, Clone, Default)]
pub struct Finished {
    /// Outputs not overwritten because a person edited them, and the like.
    pub notes: Vec<String>,
    /// The files written, in order.
    pub files: Vec<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable() {
        assert_eq!(fingerprint(b""), "cbf29ce484222325");
        assert_eq!(fingerprint("绩效".as_bytes()), fingerprint("绩效".as_bytes()));
        assert_ne!(fingerprint(b"a"), fingerprint(b"b"));
    }
}
