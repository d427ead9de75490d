//! Report kinds as data (报告类型): a kind names its outline — the template
//! parts in order —, the report's file name pattern and the indicator system
//! used when the working paper names none. Shipped kinds are embedded
//! (`templates/kinds/*.toml`); a kind of the staff's own is a folder with a
//! `kind.toml` and its parts, named by the paper's 项目信息 › 报告类型 (a
//! folder in the case folder or its `报告类型/` folder) or given with
//! `--kind DIR`. A new kind needs no Rust.
//!
//! ```
//! let k = jixiao::kind::shipped().into_iter().next().unwrap();
//! assert_eq!(k.name, "部门整体支出绩效评价");
//! assert_eq!(k.parts.first().map(String::as_str), Some("cover.j2"));
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::model::Case;

/// The shipped kinds, embedded.
pub const SHIPPED: &[(&str, &str)] = &[
    ("department-third-party.toml", include_str!("../templates/kinds/department-third-party.toml")),
    ("department-self.toml", include_str!("../templates/kinds/department-self.toml")),
    ("project.toml", include_str!("../templates/kinds/project.toml")),
];

/// The kind used when the paper names none.
pub const DEFAULT: &str = "部门整体支出绩效评价";

/// Every XLSX annex, by its number.
pub const ALL_ANNEXES: &[&str] = &["附件1", "附件2", "附件3", "附件4", "附件5"];

/// The largest `kind.toml` read.
const MAX_KIND_BYTES: u64 = 64 * 1024;

/// A report kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Kind {
    pub name: String,
    /// The report's file name without `.docx`: `{评价对象}{年度}年度绩效评价报告`.
    pub title: String,
    /// The indicator system when the paper names none.
    pub system: Option<String>,
    /// The template parts, in order.
    pub parts: Vec<String>,
    /// The XLSX annexes written (`附件1` … `附件5`; 校验结果 always).
    pub annexes: Vec<String>,
    /// Where its own parts are (none for a shipped kind).
    pub folder: Option<PathBuf>,
    /// Where it was defined, for messages.
    pub origin: String,
}

#[derive(Deserialize)]
struct File {
    name: String,
    #[serde(default)]
    title: String,
    system: Option<String>,
    parts: Vec<String>,
    annexes: Option<Vec<String>>,
}

/// Why a kind cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{place}：{message}")]
pub struct KindError {
    pub place: String,
    pub message: String,
}

fn error(place: &str, message: impl Into<String>) -> KindError {
    KindError { place: place.to_string(), message: message.into() }
}

fn parse(text: &str, origin: &str, folder: Option<PathBuf>) -> Result<Kind, KindError> {
    let f: File = toml::from_str(text).map_err(|e| error(origin, format!("报告类型文件格式错误：{e}")))?;
    if f.parts.is_empty() {
        return Err(error(origin, "parts 为空：请按顺序列出报告的模板文件（如 cover.j2、chapter1.j2）。"));
    }
    for p in &f.parts {
        let plain = Path::new(p).file_name().is_some_and(|n| n == p.as_str());
        if !plain || !p.ends_with(".j2") {
            return Err(error(
                origin,
                format!("parts 中的“{p}”应为报告类型文件夹中的模板文件名（以 .j2 结尾，不含路径）。"),
            ));
        }
    }
    Ok(Kind {
        name: f.name.trim().to_string(),
        title: if f.title.trim().is_empty() {
            "{评价对象}{年度}年度绩效评价报告".into()
        } else {
            f.title
        },
        system: f.system.filter(|s| !s.trim().is_empty()),
        parts: f.parts,
        annexes: f.annexes.unwrap_or_else(|| ALL_ANNEXES.iter().map(|a| a.to_string()).collect()),
        folder,
        origin: origin.to_string(),
    })
}

/// The kind used when the paper names none (部门整体支出绩效评价).
pub fn default_kind() -> Kind {
    shipped().into_iter().find(|k| k.name == DEFAULT).expect("the default kind is shipped and parses")
}

/// Every shipped kind.
pub fn shipped() -> Vec<Kind> {
    SHIPPED.iter().filter_map(|(file, text)| parse(text, file, None).ok()).collect()
}

/// A kind of one's own: the `kind.toml` in `dir`.
pub fn load_dir(dir: &Path) -> Result<Kind, KindError> {
    let file = dir.join("kind.toml");
    let place = file.display().to_string();
    let meta = std::fs::metadata(&file)
        .map_err(|e| error(&place, format!("无法读取（{e}）：报告类型文件夹中应有 kind.toml。")))?;
    if meta.len() > MAX_KIND_BYTES {
        return Err(error(&place, "文件过大，不像是报告类型文件。"));
    }
    let text =
        std::fs::read_to_string(&file).map_err(|e| error(&place, format!("无法读取（{e}），须为 UTF-8 文本。")))?;
    parse(&text, &place, Some(dir.to_path_buf()))
}

/// The case's kind: `--kind DIR` (`given`), else the paper's 报告类型 — a
/// shipped kind's name, or a folder (in the case folder or its `报告类型/`
/// folder) holding a `kind.toml` —, else the default.
pub fn select(case: &Case, given: Option<&Path>) -> Result<Kind, KindError> {
    if let Some(dir) = given {
        return load_dir(dir);
    }
    // `--kind DIR` on the command line.
    if let Some(dir) = std::env::var_os("JIXIAO_KIND_DIR") {
        return load_dir(Path::new(&dir));
    }
    let named =
        case.working_paper.as_ref().and_then(|p| p.info("报告类型").map(|v| (p.file.clone(), v.trim().to_string())));
    let Some((paper, name)) = named else {
        return Ok(default_kind());
    };
    if let Some(k) = shipped().into_iter().find(|k| k.name == name) {
        return Ok(k);
    }
    let folders: Vec<PathBuf> =
        case.folder.iter().flat_map(|d| [d.join(&name), d.join("报告类型").join(&name)]).collect();
    if let Some(dir) = folders.iter().find(|d| d.join("kind.toml").is_file()) {
        return load_dir(dir);
    }
    let names: Vec<String> = shipped().iter().map(|k| format!("“{}”", k.name)).collect();
    Err(error(
        &format!("{paper} › 项目信息 › 报告类型"),
        format!(
            "没有报告类型“{name}”：内置的有 {}；自定义的报告类型是案例文件夹中（或其“报告类型”文件夹中）名为“{name}”、含 kind.toml 的文件夹。",
            names.join("、")
        ),
    ))
}

impl Kind {
    /// The report's file name (`.docx` added), its placeholders filled and made safe.
    pub fn file_name(&self, object: &str, year: &str) -> String {
        let title = self.title.replace("{评价对象}", object).replace("{年度}", year);
        crate::output::safe_file_name(&format!("{title}.docx"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_kind_parses_and_its_parts_are_shipped() {
        assert_eq!(shipped().len(), SHIPPED.len(), "a shipped kind.toml does not parse");
        for k in shipped() {
            for p in &k.parts {
                assert!(
                    crate::render::report::text::PARTS.iter().any(|(name, _)| name == p),
                    "{}: part {p} is not shipped",
                    k.name
                );
            }
        }
        assert_eq!(default_kind().name, DEFAULT);
        let file = default_kind().file_name("某局", "2024");
        assert_eq!(file, "某局2024年度绩效评价报告.docx");
    }
}
