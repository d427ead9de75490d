//! Reading a file of the user's folders (a system file, a report kind's
//! `kind.toml`) by the rule template overrides follow: the file's real path
//! (symbolic links resolved) must lie inside the real path of the folder
//! that names it, so a link to `/etc/passwd` is refused, never read; the
//! size is bounded; and a TOML error names the line and column without
//! quoting the file.

use std::path::{Path, PathBuf};

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("无法读取（{0}）")]
    Io(#[source] std::io::Error),
    #[error("指向“{}”之外（符号链接或快捷方式），已拒绝读取。请把文件本身放进该文件夹", .folder.display())]
    Outside { folder: PathBuf },
    #[error("不是文件")]
    NotAFile,
    #[error("文件过大（{} KB，上限 {} KB）", .size / 1024, .limit / 1024)]
    TooLarge { size: u64, limit: u64 },
    #[error("无法读取（{0}），须为 UTF-8 文本")]
    NotText(#[source] std::string::FromUtf8Error),
}

/// Is `path`'s real location inside `folder`'s real location?
pub fn resolves_inside(folder: &Path, path: &Path) -> Result<PathBuf, ReadError> {
    let real_dir = folder.canonicalize().map_err(ReadError::Io)?;
    let real = path.canonicalize().map_err(ReadError::Io)?;
    if !real.starts_with(&real_dir) {
        return Err(ReadError::Outside { folder: folder.to_path_buf() });
    }
    Ok(real)
}

/// The text of `path`, which must resolve inside `folder`, be a file and
/// hold at most `limit` bytes of UTF-8.
pub fn read_inside(folder: &Path, path: &Path, limit: u64) -> Result<String, ReadError> {
    let real = resolves_inside(folder, path)?;
    let meta = std::fs::metadata(&real).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge { size: meta.len(), limit });
    }
    // Read no more than the limit, whatever the file grows to meanwhile.
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(&real).and_then(|f| f.take(limit + 1).read_to_end(&mut bytes)).map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { size: bytes.len() as u64, limit });
    }
    String::from_utf8(bytes).map_err(ReadError::NotText)
}

/// The folder a file named on its own is confined to: its parent (the
/// current folder for a bare name).
pub fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A TOML error as `第N行第M列：message`, never quoting the file's lines.
pub fn toml_error(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim().trim_end_matches('.');
    match e.span() {
        Some(span) => {
            let before = text.get(..span.start).unwrap_or(text);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
            format!("第{line}行第{column}列：{message}")
        }
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_errors_name_the_place_not_the_text() {
        let text = "name = \"x\"\nroot:x:0:0:root:/root:/bin/bash\n";
        let e = toml::from_str::<toml::Table>(text).unwrap_err();
        let shown = toml_error(text, &e);
        assert!(shown.starts_with("第2行第"), "{shown}");
        assert!(!shown.contains("root:x"), "{shown}");
    }
}
