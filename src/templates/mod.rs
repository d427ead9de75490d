//! The template environment: the report parts as minijinja templates
//! (defaults embedded, overridable from a folder at run time), strict about
//! undefined names, with the domain's filters.

use std::path::PathBuf;

use minijinja::value::{Value, ValueKind};
use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior};
use rust_decimal::Decimal;

use crate::model::prose::numbered_items;
use crate::model::value::{fmt_amount, fmt_number, round2, LINE_BREAK};
use crate::model::Grade;

/// The parts of the report, in order, with their embedded defaults.
pub const PARTS: &[(&str, &str)] = &[
    ("cover.j2", include_str!("../../templates/report/cover.j2")),
    ("notes.j2", include_str!("../../templates/report/notes.j2")),
    ("overview.j2", include_str!("../../templates/report/overview.j2")),
    ("chapter1.j2", include_str!("../../templates/report/chapter1.j2")),
    ("chapter2.j2", include_str!("../../templates/report/chapter2.j2")),
    ("chapter3.j2", include_str!("../../templates/report/chapter3.j2")),
    ("chapter4.j2", include_str!("../../templates/report/chapter4.j2")),
    ("chapter5.j2", include_str!("../../templates/report/chapter5.j2")),
    ("chapter6.j2", include_str!("../../templates/report/chapter6.j2")),
    ("annexes.j2", include_str!("../../templates/report/annexes.j2")),
    // The narrative's sentence of each rule family (assemble words the indicators' findings with it).
    ("findings.j2", include_str!("../../templates/report/findings.j2")),
    // 部门整体支出绩效自评 (templates/kinds/department-self.toml).
    ("self-cover.j2", include_str!("../../templates/report/self-cover.j2")),
    ("self-chapter1.j2", include_str!("../../templates/report/self-chapter1.j2")),
    ("self-chapter2.j2", include_str!("../../templates/report/self-chapter2.j2")),
    ("self-chapter3.j2", include_str!("../../templates/report/self-chapter3.j2")),
    ("self-chapter4.j2", include_str!("../../templates/report/self-chapter4.j2")),
    ("self-chapter5.j2", include_str!("../../templates/report/self-chapter5.j2")),
    ("self-chapter6.j2", include_str!("../../templates/report/self-chapter6.j2")),
    ("self-annexes.j2", include_str!("../../templates/report/self-annexes.j2")),
    // 目录 and the end of the front matter, for kinds without the 总览表.
    ("toc.j2", include_str!("../../templates/report/toc.j2")),
    // 项目支出绩效评价 (templates/kinds/project.toml).
    ("project-cover.j2", include_str!("../../templates/report/project-cover.j2")),
    ("project-notes.j2", include_str!("../../templates/report/project-notes.j2")),
    ("project-chapter1.j2", include_str!("../../templates/report/project-chapter1.j2")),
    ("project-chapter2.j2", include_str!("../../templates/report/project-chapter2.j2")),
    ("project-chapter3.j2", include_str!("../../templates/report/project-chapter3.j2")),
    ("project-chapter4.j2", include_str!("../../templates/report/project-chapter4.j2")),
    ("project-chapter5.j2", include_str!("../../templates/report/project-chapter5.j2")),
    ("project-annexes.j2", include_str!("../../templates/report/project-annexes.j2")),
    // 综合绩效评价报告 of a batch (crate::summary).
    ("summary.j2", include_str!("../../templates/report/summary.j2")),
    // 得分表复核意见 of `jixiao review` (crate::review).
    ("review.j2", include_str!("../../templates/report/review.j2")),
];

/// The default kind's outline (部门整体支出绩效评价), in order.
pub const DEFAULT_OUTLINE: &[&str] = &[
    "cover.j2",
    "notes.j2",
    "overview.j2",
    "chapter1.j2",
    "chapter2.j2",
    "chapter3.j2",
    "chapter4.j2",
    "chapter5.j2",
    "chapter6.j2",
    "annexes.j2",
];

/// The default kind's parts, in order.
pub fn default_parts() -> Vec<String> {
    DEFAULT_OUTLINE.iter().map(|n| n.to_string()).collect()
}

/// The source of part `name`: from the first of `dirs` that has the file,
/// else the embedded part of that name; else an error naming where it was
/// looked for.
fn part_source(dirs: &[PathBuf], name: &str) -> Result<String, Error> {
    if let Some(dir) = dirs.iter().find(|d| d.join(name).is_file()) {
        return read_template(dir, name);
    }
    match PARTS.iter().find(|(n, _)| *n == name) {
        Some((_, default)) => Ok(default.to_string()),
        None => Err(Error::new(
            ErrorKind::TemplateNotFound,
            format!(
                "报告提纲列有模板“{name}”，但找不到它（已在 {} 和内置模板中查找）。请把该文件放进报告类型文件夹，或从 parts 中删去。",
                dirs.iter().map(|d| format!("“{}”", d.display())).collect::<Vec<_>>().join("、")
            ),
        )),
    }
}

/// A template environment holding `parts`, each from the first of `dirs`
/// that has the file, else the embedded part of that name.
pub fn environment(dirs: &[PathBuf], parts: &[String]) -> Result<Environment<'static>, Error> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_debug(true);
    // Bounded work: a template looping without end runs out of fuel.
    env.set_fuel(Some(TEMPLATE_FUEL));
    for name in parts {
        let source = part_source(dirs, name)?;
        env.add_template_owned(name.clone(), source)?;
    }
    // `{{ placeholder("…") }}`: the mark of a missing value, as the evaluation writes it.
    env.add_function("placeholder", |what: String| placeholder(&what));
    env.add_filter("amount", |v: Value| -> Result<String, Error> {
        Ok(decimal(&v, "amount")?.map(fmt_amount).unwrap_or_else(|| "—".into()))
    });
    env.add_filter("wan", |v: Value| -> Result<String, Error> {
        Ok(decimal(&v, "wan")?.map(|d| format!("{} 万元", fmt_amount(d))).unwrap_or_else(|| "—".into()))
    });
    env.add_filter("pct", |v: Value| -> Result<String, Error> {
        Ok(decimal(&v, "pct")?.map(|d| format!("{:.2}%", round2(d))).unwrap_or_else(|| "—".into()))
    });
    env.add_filter("num", |v: Value| -> Result<String, Error> {
        Ok(decimal(&v, "num")?.map(fmt_number).unwrap_or_else(|| "—".into()))
    });
    // A score not known yet (a draft whose indicators lack inputs) prints as its placeholder.
    env.add_filter("score", |v: Value| -> Result<String, Error> {
        Ok(decimal(&v, "score")?.map(fmt_number).unwrap_or_else(|| placeholder("得分")))
    });
    env.add_filter("score_rate", |v: Value| -> Result<String, Error> {
        Ok(decimal(&v, "score_rate")?.map(|d| format!("{:.2}%", round2(d))).unwrap_or_else(|| placeholder("得分率")))
    });
    env.add_filter("cn", |v: Value| -> Result<String, Error> {
        let n = decimal(&v, "cn")?.and_then(|d| u32::try_from(d.trunc().mantissa()).ok()).unwrap_or_default();
        Ok(chinese_number(n))
    });
    env.add_filter("date", |v: Value| -> Result<String, Error> { Ok(date_text(&text(&v, "date")?)) });
    // `{% for p in texts["部门主要职责"] | items %}`: a list typed into one text, one paragraph per item.
    env.add_filter("items", |v: Value| -> Result<Vec<String>, Error> { Ok(numbered_items(&text(&v, "items")?)) });
    // `{{ br }}`: a line break inside a paragraph or a title.
    env.add_global("br", Value::from(LINE_BREAK.to_string()));
    env.add_filter("grade", |v: Value| -> Result<String, Error> {
        let t = text(&v, "grade")?;
        Ok(match Grade::parse(&t) {
            Some(g) => g.to_string(),
            None => t.parse::<Decimal>().map(|d| Grade::from_score(d).to_string()).unwrap_or(t),
        })
    });
    Ok(env)
}

/// The texts the parts declare (`{#- 需要：文字“…”、主题 -#}`), each part
/// read from the first of `dirs` that has it, else the embedded default —
/// the same sources [`environment`] renders. A part that cannot be read
/// counts with its default here; rendering reports the error.
pub fn declared_texts(dirs: &[PathBuf], parts: &[String]) -> Vec<TextNeed> {
    parts
        .iter()
        .flat_map(|name| {
            let source = part_source(dirs, name).unwrap_or_default();
            declared_in(name, &source)
        })
        .collect()
}

/// The placeholder printed for a missing value (`【待填：评价机构】`).
pub fn placeholder(what: &str) -> String {
    format!("【待填：{what}】")
}

/// A text the report's templates print, declared in a template part by a
/// comment `{#- 需要：文字“名称”、主题 -#}` (`主题` = the 主题 sheet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextNeed {
    /// The 文字 row's name, or [`THEMES`] for the 主题 sheet.
    pub name: String,
    /// The template part and line declaring it (`chapter4.j2 第1行`).
    pub part: String,
}

impl TextNeed {
    /// The 项目信息 field it names (`项目信息“评价机构”` → `评价机构`).
    pub fn info_field(&self) -> Option<&str> {
        self.name.strip_prefix("项目信息“").and_then(|f| f.strip_suffix('”'))
    }

    /// A 文字 row of the paper (not 项目信息, not the 主题 sheet).
    pub fn is_text(&self) -> bool {
        self.info_field().is_none() && self.name != THEMES
    }
}

/// The name of the 主题 sheet's need.
pub const THEMES: &str = "主题";

/// The missing 主题 sheet, as listed.
pub const THEMES_ITEM: &str = "问题主题及建议（评价底稿 › 主题）";

/// The needs declared in one template part's source.
pub fn declared_in(part: &str, source: &str) -> Vec<TextNeed> {
    let mut out = Vec::new();
    for (n, line) in source.lines().enumerate() {
        let Some((_, rest)) = line.split_once("需要：") else { continue };
        let rest = rest.split("#}").next().unwrap_or(rest).trim().trim_end_matches('-').trim();
        for item in rest.split('、').map(str::trim).filter(|i| !i.is_empty()) {
            let name = match item.strip_prefix("文字") {
                Some(quoted) => quoted.trim_matches(['“', '”', '"', ' ']).to_string(),
                None => item.to_string(),
            };
            out.push(TextNeed { name, part: format!("{part} 第{}行", n + 1) });
        }
    }
    out
}

/// The texts the default kind's templates declare.
pub fn default_texts() -> Vec<TextNeed> {
    declared_texts(&[], &default_parts())
}

/// The fuel one part's rendering may take. minijinja (feature `fuel`)
/// charges one fuel per instruction and one per 64 bytes of data produced
/// (`~`, `+`, `*`, filters' results, captured output such as macro bodies),
/// so this bounds both the work and the memory a template can make:
/// 2,000,000 fuel is at most 2,000,000 × 64 B = 128 MB of produced data.
/// Measured (test `shipped_templates_within_their_budgets`): the shipped
/// parts take at most 52,906 fuel (枣庄's chapter4.j2), 7,149 (高邑), 4,988
/// (the project) — a margin of about 38×.
pub const TEMPLATE_FUEL: u64 = 2_000_000;

/// The largest template file read.
const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;

/// A template override, read only from inside its folder: the file's real
/// path (symbolic links resolved) must lie in the folder's real path, so a
/// link to `/etc/passwd` or `/proc/self/environ` is refused, not printed.
fn read_template(dir: &std::path::Path, name: &str) -> Result<String, Error> {
    let refuse =
        |why: String| Error::new(ErrorKind::InvalidOperation, format!("模板 {name}（{}）：{why}", dir.display()));
    let real_dir = dir.canonicalize().map_err(|e| refuse(format!("无法读取模板文件夹（{e}）")))?;
    let real = dir.join(name).canonicalize().map_err(|e| refuse(format!("无法读取（{e}）")))?;
    if !real.starts_with(&real_dir) || !real.is_file() {
        return Err(refuse(
            "指向模板文件夹之外（符号链接或快捷方式），已拒绝读取。请把模板文件本身放进模板文件夹。".into(),
        ));
    }
    let size = std::fs::metadata(&real).map(|m| m.len()).unwrap_or(0);
    if size > MAX_TEMPLATE_BYTES {
        return Err(refuse(format!("文件过大（{} KB，上限 1024 KB），不像是报告模板。", size / 1024)));
    }
    std::fs::read_to_string(&real).map_err(|e| refuse(format!("无法读取（{e}），模板须为 UTF-8 文本。")))
}

fn undefined(filter: &str) -> Error {
    Error::new(ErrorKind::UndefinedError, format!("filter `{filter}` got an undefined value (a misspelt name?)"))
}

/// A number from a string or number value, or a figure (`{value, source}`);
/// none → None; undefined → error.
fn decimal(v: &Value, filter: &str) -> Result<Option<Decimal>, Error> {
    match v.kind() {
        ValueKind::Undefined => Err(undefined(filter)),
        ValueKind::None => Ok(None),
        ValueKind::Map => match v.get_attr("value") {
            Ok(inner) if !inner.is_undefined() => decimal(&inner, filter),
            _ => Err(Error::new(ErrorKind::InvalidOperation, format!("filter `{filter}`: not a number or a figure"))),
        },
        ValueKind::Number => Ok(v.to_string().parse().ok()),
        _ => {
            let s = v.to_string();
            if s.is_empty() {
                return Ok(None);
            }
            s.trim_end_matches('%').parse().map(Some).map_err(|_| {
                Error::new(ErrorKind::InvalidOperation, format!("filter `{filter}`: “{s}” is not a number"))
            })
        }
    }
}

fn text(v: &Value, filter: &str) -> Result<String, Error> {
    match v.kind() {
        ValueKind::Undefined => Err(undefined(filter)),
        ValueKind::None => Ok(String::new()),
        _ => Ok(v.to_string()),
    }
}

/// 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一.
pub fn chinese_number(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n as usize].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { D[(n - 10) as usize] }),
        20..=99 => {
            format!("{}十{}", D[(n / 10) as usize], if n.is_multiple_of(10) { "" } else { D[(n % 10) as usize] })
        }
        _ => n.to_string(),
    }
}

/// `2025-12-01`, `2025年12月` → `2025 年 12 月`.
pub fn date_text(s: &str) -> String {
    let digits: Vec<String> =
        s.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty()).map(String::from).collect();
    match digits.as_slice() {
        [y, m, ..] => format!("{y} 年 {} 月", m.trim_start_matches('0')),
        [y] => format!("{y} 年"),
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals_and_dates() {
        assert_eq!(chinese_number(1), "一");
        assert_eq!(chinese_number(10), "十");
        assert_eq!(chinese_number(12), "十二");
        assert_eq!(chinese_number(26), "二十六");
        assert_eq!(date_text("2025年12月"), "2025 年 12 月");
        assert_eq!(date_text("2025-08-26"), "2025 年 8 月");
    }
}
