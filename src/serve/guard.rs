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
}
