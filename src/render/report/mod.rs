//! The narrative report as DOCX, from the scored model: the wording from
//! minijinja templates (`templates/report/`, overridable at run time), the
//! tables from the model, the form from `docx.rs`.

pub mod blocks;
pub mod data;
pub mod docx;
pub mod tables;
pub mod text;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::check::CheckReport;
use crate::model::Case;
use crate::score::Scored;

use blocks::Block;
use data::ReportData;

/// Why the report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template error, with the template's name and line.
    #[error("报告模板出错：{0}")]
    Template(String),
    #[error("报告生成失败：{0}")]
    Build(String),
}

/// How to render.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Folders searched for template overrides, first wins.
    pub template_dirs: Vec<PathBuf>,
    pub fonts: docx::Fonts,
    /// Page numbers of the 目录's headings, from a layout pass.
    pub toc_pages: Option<Vec<u32>>,
}

fn template_error(e: minijinja::Error) -> RenderError {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        msg.push_str(&format!("：{s}"));
        source = s.source();
    }
    if let Some(name) = e.name() {
        if !msg.contains(name) {
            msg = format!("{name} 第{}行：{msg}", e.line().unwrap_or_default());
        }
    }
    RenderError::Template(msg)
}

/// The environment of the embedded templates, compiled once per process.
fn default_environment() -> Result<&'static minijinja::Environment<'static>, RenderError> {
    static ENV: std::sync::OnceLock<Result<minijinja::Environment<'static>, String>> = std::sync::OnceLock::new();
    ENV.get_or_init(|| text::environment(&[]).map_err(|e| template_error(e).to_string()))
        .as_ref()
        .map_err(|e| RenderError::Template(e.clone()))
}

/// Render every part's template into blocks.
pub fn blocks(data: &ReportData, options: &Options) -> Result<Vec<Block>, RenderError> {
    let overridden = options.template_dirs.iter().any(|d| text::PARTS.iter().any(|(name, _)| d.join(name).is_file()));
    let owned;
    let env = if overridden {
        owned = text::environment(&options.template_dirs).map_err(template_error)?;
        &owned
    } else {
        default_environment()?
    };
    let ctx = minijinja::Value::from(minijinja::value::Serde(data));
    let mut out = Vec::new();
    for (name, _) in text::PARTS {
        let rendered = env.get_template(name).and_then(|t| t.render(&ctx)).map_err(template_error)?;
        out.extend(blocks::parse(&rendered, name).map_err(RenderError::Template)?);
    }
    Ok(out)
}

/// The DOCX bytes of the report.
pub fn render(case: &Case, checks: &CheckReport, scored: &Scored, options: &Options) -> Result<Vec<u8>, RenderError> {
    let data = ReportData::build(case, checks, scored);
    let blocks = blocks(&data, options)?;
    let mut tables = BTreeMap::new();
    for b in &blocks {
        if let Block::Table(name) = b {
            if !tables.contains_key(name) {
                let spec = tables::build(name, &data, case, scored).map_err(RenderError::Template)?;
                tables.insert(name.clone(), spec);
            }
        }
    }
    let chart: Vec<(String, String)> =
        data.score.level1.iter().map(|l| (l.name.clone(), format!("{}%", l.rate))).collect();
    docx::write(&docx::Inputs {
        blocks: &blocks,
        tables: &tables,
        chart: &chart,
        fonts: &options.fonts,
        toc_pages: options.toc_pages.as_deref(),
    })
    .map_err(RenderError::Build)
}
