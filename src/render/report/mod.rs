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
    Template(#[from] TemplateError),
    /// A line of a rendered template that is not a block.
    #[error("报告模板出错：{0}")]
    Block(#[from] blocks::BlockError),
    /// `@table` with a name no table has.
    #[error("报告模板出错：{0}")]
    Table(#[from] UnknownTable),
    #[error("报告生成失败：{0}")]
    Build(#[from] docx::DocxError),
}

/// A minijinja error; the message has the template's name and line and the
/// causes' messages (minijinja's own are kept as the source).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct TemplateError {
    pub message: String,
    source: std::sync::Arc<minijinja::Error>,
}

/// A table name [`tables::build`] does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("没有名为“{name}”的表格。可用：overview、1-1、1-2、2-1、2-2、3-1、3-2、3-3、annex1–annex3、annex4-strategic、annex4-overall。")]
pub struct UnknownTable {
    pub name: String,
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

fn template_error(e: minijinja::Error) -> TemplateError {
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
    TemplateError { message: msg, source: std::sync::Arc::new(e) }
}

/// The environment of the embedded templates, compiled once per process.
fn default_environment() -> Result<&'static minijinja::Environment<'static>, RenderError> {
    static ENV: std::sync::OnceLock<Result<minijinja::Environment<'static>, TemplateError>> =
        std::sync::OnceLock::new();
    ENV.get_or_init(|| text::environment(&[]).map_err(template_error)).as_ref().map_err(|e| e.clone().into())
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
        out.extend(blocks::parse(&rendered, name)?);
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
                let spec = tables::build(name, &data, case, scored)?;
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
    .map_err(RenderError::from)
}
