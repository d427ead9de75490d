//! Report kinds as data (报告类型): a kind names its outline — the template
//! parts in order —, the report's file name pattern and the indicator system
//! used when the working paper names none. Shipped kinds are embedded
//! (`templates/kinds/*.toml`); a kind of the staff's own is a folder with a
//! `kind.toml` and its parts, named by the paper's 项目信息 › 报告类型 (a
//! folder in the case folder or its `报告类型/` folder) or given with
//! `--kind DIR`. A new kind needs no Rust.
//!
//! ```
//! let k = jixiao::report_kind::shipped().into_iter().next().unwrap();
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
    /// Who writes the report (`voice = "self"` for a 自评: the department
    /// itself, so its texts never speak as a 评价机构).
    pub voice: Voice,
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
    voice: Option<String>,
}

/// Who writes a kind's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Voice {
    /// A 评价机构 commissioned by a 委托方 (the default).
    #[default]
    ThirdParty,
    /// The department evaluating itself (部门整体支出绩效自评).
    SelfEvaluation,
}

impl Voice {
    fn parse(text: Option<&str>) -> Option<Voice> {
        match text.map(str::trim) {
            None | Some("third-party") | Some("第三方") => Some(Voice::ThirdParty),
            Some("self") | Some("自评") => Some(Voice::SelfEvaluation),
            Some(_) => None,
        }
    }
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

/// The placeholders a kind's `title` may hold: the paper's 评价对象 and
/// 年度; for a project, the 评价项目 (项目信息 › 评价项目, else 评价对象) and
/// its 主管部门 (the project's 项目支出绩效自评表, else 项目信息 ›
/// 项目责任单位; empty when neither says).
pub const TITLE_PLACEHOLDERS: &[&str] = &["评价对象", "年度", "评价项目", "主管部门"];

/// The `{…}` placeholders of a title pattern, in order.
fn placeholders(title: &str) -> impl Iterator<Item = &str> {
    title.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
}

fn parse(text: &str, origin: &str, folder: Option<PathBuf>) -> Result<Kind, KindError> {
    let f: File = toml::from_str(text)
        .map_err(|e| error(origin, format!("报告类型文件格式错误：{}。", crate::confined::toml_error(text, &e))))?;
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
    let title =
        if f.title.trim().is_empty() { "{评价对象}{年度}年度绩效评价报告".to_string() } else { f.title };
    if let Some(unknown) = placeholders(&title).find(|p| !TITLE_PLACEHOLDERS.contains(p)) {
        return Err(error(
            origin,
            format!(
                "title 中的占位符“{{{unknown}}}”无法识别：可用的占位符有 {}。",
                TITLE_PLACEHOLDERS.iter().map(|p| format!("“{{{p}}}”")).collect::<Vec<_>>().join("、")
            ),
        ));
    }
    let Some(voice) = Voice::parse(f.voice.as_deref()) else {
        return Err(error(
            origin,
            format!(
                "voice = \"{}\" 无法识别：应为 \"self\"（部门自评）或 \"third-party\"（第三方评价，默认）。",
                f.voice.unwrap_or_default()
            ),
        ));
    };
    Ok(Kind {
        name: f.name.trim().to_string(),
        title,
        system: f.system.filter(|s| !s.trim().is_empty()),
        parts: f.parts,
        annexes: f.annexes.unwrap_or_else(|| ALL_ANNEXES.iter().map(|a| a.to_string()).collect()),
        voice,
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
    static PARSED: std::sync::OnceLock<Vec<Kind>> = std::sync::OnceLock::new();
    PARSED.get_or_init(|| SHIPPED.iter().filter_map(|(file, text)| parse(text, file, None).ok()).collect()).clone()
}

/// A kind of one's own: the `kind.toml` in `dir`, which must resolve inside
/// `dir` (a symbolic link out of it is refused, as for templates).
pub fn load_dir(dir: &Path) -> Result<Kind, KindError> {
    use crate::confined::{read_inside, ReadError};
    let file = dir.join("kind.toml");
    let place = file.display().to_string();
    let text = read_inside(dir, &file, MAX_KIND_BYTES).map_err(|e| {
        error(
            &place,
            match e {
                ReadError::Io(e) => format!("无法读取（{e}）：报告类型文件夹中应有 kind.toml。"),
                ReadError::TooLarge { .. } => "文件过大，不像是报告类型文件。".into(),
                e => format!("{e}。"),
            },
        )
    })?;
    parse(&text, &place, Some(dir.to_path_buf()))
}

/// The case's kind: `--kind DIR` (`given`), else the paper's 报告类型 — a
/// shipped kind's name, or a folder (in the case folder or its `报告类型/`
/// folder) holding a `kind.toml` —, else the default.
pub fn select(case: &Case, given: Option<&Path>) -> Result<Kind, KindError> {
    if let Some(dir) = given {
        return load_dir(dir);
    }
    let named =
        case.working_paper.as_ref().and_then(|p| p.info("报告类型").map(|v| (p.file.clone(), v.trim().to_string())));
    let Some((paper, name)) = named else {
        return Ok(default_kind());
    };
    if let Some(k) = shipped().into_iter().find(|k| k.name == name) {
        return Ok(k);
    }
    let folders: Vec<(PathBuf, PathBuf)> = case
        .folder
        .iter()
        .flat_map(|d| [(d.clone(), d.join(&name)), (d.clone(), d.join("报告类型").join(&name))])
        .collect();
    if let Some((case_folder, dir)) = folders.iter().find(|(_, d)| d.join("kind.toml").is_file()) {
        // The kind folder a paper names lies in the case folder, links resolved.
        if let Err(e) = crate::confined::resolves_inside(case_folder, dir) {
            return Err(error(&format!("{paper} › 项目信息 › 报告类型"), format!("报告类型文件夹“{name}”{e}。")));
        }
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
        self.file_name_with(&|p| match p {
            "年度" => year.to_string(),
            _ => object.to_string(),
        })
    }

    /// As [`Kind::file_name`], each placeholder of [`TITLE_PLACEHOLDERS`]
    /// replaced by `value(name)`.
    pub fn file_name_with(&self, value: &dyn Fn(&str) -> String) -> String {
        // One pass, so that a 评价对象 holding `{年度}` is kept as typed.
        let mut title = String::new();
        let mut rest = self.title.as_str();
        while let Some(open) = rest.find('{') {
            title.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.split_once('}') {
                Some((name, tail)) if TITLE_PLACEHOLDERS.contains(&name) => {
                    title.push_str(&value(name));
                    rest = tail;
                }
                _ => {
                    title.push('{');
                    rest = after;
                }
            }
        }
        title.push_str(rest);
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
                    crate::templates::PARTS.iter().any(|(name, _)| name == p),
                    "{}: part {p} is not shipped",
                    k.name
                );
            }
        }
        assert_eq!(default_kind().name, DEFAULT);
        let file = default_kind().file_name("某局", "2024");
        assert_eq!(file, "某局2024年度绩效评价报告.docx");
        assert_eq!(default_kind().file_name("某{年度}局", "2024"), "某{年度}局2024年度绩效评价报告.docx");
    }

    /// A placeholder other than {评价对象} and {年度} would stay in the file name as typed.
    #[test]
    fn unknown_title_placeholder_is_an_error() {
        let text = "name = \"自定义\"\ntitle = \"{项目责任单位}{年度}年度报告\"\nparts = [\"cover.j2\"]\n";
        let e = parse(text, "kind.toml", None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "kind.toml：title 中的占位符“{项目责任单位}”无法识别：可用的占位符有 “{评价对象}”、“{年度}”、“{评价项目}”、“{主管部门}”。"
        );
        let ok = parse(&text.replace("{项目责任单位}", "{评价对象}"), "kind.toml", None).unwrap();
        assert_eq!(ok.file_name("某局", "2024"), "某局2024年度报告.docx");
    }

    /// The voice is data: the shipped 自评 kind says `voice = "self"`, the others default to a third party.
    #[test]
    fn a_kind_says_who_writes_it() {
        let voice = |name: &str| shipped().into_iter().find(|k| k.name == name).map(|k| k.voice);
        assert_eq!(voice("部门整体支出绩效自评"), Some(Voice::SelfEvaluation));
        assert_eq!(voice("部门整体支出绩效评价"), Some(Voice::ThirdParty));
        assert_eq!(voice("项目支出绩效评价"), Some(Voice::ThirdParty));
        let text = "name = \"自定义\"\nvoice = \"我们\"\nparts = [\"cover.j2\"]\n";
        assert_eq!(
            parse(text, "kind.toml", None).unwrap_err().to_string(),
            "kind.toml：voice = \"我们\" 无法识别：应为 \"self\"（部门自评）或 \"third-party\"（第三方评价，默认）。"
        );
    }
}
