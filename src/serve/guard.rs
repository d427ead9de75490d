//! What keeps the local server local: the per-run token, the Host check
//! (a page on the internet cannot reach 127.0.0.1 under another name), and
//! every path resolved inside ROOT (no `..`, no absolute path, no symbolic
//! link leading out).

use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};

/// The largest workbook a page may upload (as the hardening issue's limit on inputs).
pub const UPLOAD_LIMIT: usize = 50 * 1024 * 1024;
/// The file types a page may upload.
pub const UPLOAD_TYPES: &[&str] = &["xlsx", "xls", "ods"];

/// A token of 128 random bits for this run: std's hasher keys are drawn
/// from the operating system's random source.
pub fn new_token() -> String {
    let word = || {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
        h.write_u32(std::process::id());
        h.finish()
    };
    format!("{:016x}{:016x}", word(), word())
}

/// A path segment percent-encoded (UTF-8 bytes; unreserved characters kept).
pub fn encode_segment(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Compare without an early exit (the token is a secret).
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Is `host` (the request's Host header) this server, by a loopback name?
pub fn local_host(host: &str, port: u16) -> bool {
    ["127.0.0.1", "localhost", "[::1]"].iter().any(|h| host == format!("{h}:{port}"))
}

/// A single plain name (a case folder, an output file): not empty, no
/// separator, not `.`/`..`, no control characters.
pub fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', ':'])
        && !name.chars().any(char::is_control)
        && !name.starts_with('.')
}

/// Names a case may not take: the folders jixiao itself writes under ROOT
/// or inside a case (the summary, outputs, templates), which are never
/// searched for cases.
pub fn reserved_case_name(name: &str) -> bool {
    crate::batch::skipped_folder_name(name)
}

/// `base/name` when it exists and its real path lies inside `base`'s (a
/// symbolic link pointing out is refused).
pub fn inside(base: &Path, name: &str) -> Option<PathBuf> {
    if !plain_name(name) {
        return None;
    }
    let real_base = base.canonicalize().ok()?;
    let real = base.join(name).canonicalize().ok()?;
    real.starts_with(&real_base).then_some(real)
}

/// Why a folder serve would write into or read from is refused.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    #[error("“{shown}”是指向根文件夹以外的链接（指向“{target}”），jixiao 不会通过它写入或读取。请删除这个链接，或把它换成普通文件夹。")]
    LinkOut { shown: String, target: String },
    #[error("无法创建文件夹“{shown}”（{source}）。请检查根文件夹的权限。")]
    Create { shown: String, source: std::io::Error },
}

/// The folder `dir` (inside `root`, which is a real path): created when it
/// does not exist, and its real path checked to lie inside `root`. A folder
/// that is a symbolic link leading out of ROOT (or inside which such a link
/// stands) is refused, never followed.
pub fn folder_inside(root: &Path, dir: &Path) -> Result<PathBuf, FolderError> {
    let shown = dir.strip_prefix(root).unwrap_or(dir).display().to_string();
    if std::fs::symlink_metadata(dir).is_err() {
        std::fs::create_dir_all(dir).map_err(|source| FolderError::Create { shown: shown.clone(), source })?;
    }
    let real = dir.canonicalize().map_err(|source| FolderError::Create { shown: shown.clone(), source })?;
    if real.starts_with(root) && real.is_dir() {
        Ok(real)
    } else {
        Err(FolderError::LinkOut { shown, target: real.display().to_string() })
    }
}

/// As [`folder_inside`] for a folder that is only read: `None` when it
/// does not exist (nothing is created).
pub fn existing_folder_inside(root: &Path, dir: &Path) -> Result<Option<PathBuf>, FolderError> {
    if std::fs::symlink_metadata(dir).is_err() {
        return Ok(None);
    }
    folder_inside(root, dir).map(Some)
}

/// An upload's file name made safe: its last component, sanitised, with
/// an allowed extension — else why not.
pub fn upload_name(raw: &str) -> Result<String, &'static str> {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let name = crate::output::safe_file_name(last);
    let ext = Path::new(&name).extension().and_then(|e| e.to_str()).map(str::to_lowercase);
    match ext {
        Some(e) if UPLOAD_TYPES.contains(&e.as_str()) && plain_name(&name) => Ok(name),
        _ => Err("只接受 Excel 工作簿（.xlsx、.xls）或 .ods 文件。"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_hosts() {
        assert!(plain_name("市中区医保局"));
        for bad in ["", ".", "..", "../x", "a/b", "C:x", "a\\b", ".hidden", "a\u{0}b"] {
            assert!(!plain_name(bad), "{bad:?}");
        }
        assert!(local_host("127.0.0.1:8080", 8080) && local_host("localhost:8080", 8080));
        assert!(!local_host("evil.example:8080", 8080) && !local_host("127.0.0.1:9", 8080));
        assert_eq!(upload_name("C:\\Users\\x\\2024年预算.XLSX").unwrap(), "2024年预算.XLSX");
        assert!(upload_name("run.exe").is_err());
        assert!(upload_name("../../评价底稿.xlsx").is_ok_and(|n| n == "评价底稿.xlsx"));
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
        assert_ne!(new_token(), new_token());
        assert_eq!(new_token().len(), 32);
    }

    #[test]
    fn folders_resolve_inside_root() {
        let base = std::env::temp_dir().join(format!("jixiao-guard-{}", std::process::id()));
        let root = base.join("root");
        std::fs::create_dir_all(root.join("case")).unwrap();
        std::fs::create_dir_all(base.join("outside")).unwrap();
        let root = root.canonicalize().unwrap();
        let made = folder_inside(&root, &root.join("case").join("output")).unwrap();
        assert!(made.is_dir() && made.starts_with(&root));
        assert_eq!(existing_folder_inside(&root, &root.join("nothing")).unwrap(), None);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(base.join("outside"), root.join("case").join("link")).unwrap();
            let refused = folder_inside(&root, &root.join("case").join("link")).unwrap_err();
            assert!(refused.to_string().contains("根文件夹以外的链接"), "{refused}");
            assert!(existing_folder_inside(&root, &root.join("case").join("link")).is_err());
        }
        let _ = std::fs::remove_dir_all(&base);
    }
}
