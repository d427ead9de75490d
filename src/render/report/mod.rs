//! The narrative report as DOCX, from the [`Evaluation`]: the wording from
//! minijinja templates (`templates/report/`, overridable at run time), the
//! tables as the evaluation holds them, the form from `docx.rs`. The 目录's
//! page numbers converge here too: with a layout pass (LibreOffice), the
//! report is laid out once (LibreOffice fills a page of PAGEREF markers,
//! one per 目录 heading) and rendered again with the numbers filled in
//! (`layout.rs`).

pub mod blocks;
pub mod docx;
pub mod layout;
/// The template environment, parts and filters ([`crate::templates`]).
pub use crate::templates as text;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::assemble::{Evaluation, ReportTable};
use crate::model::prose::chinese_quotes;

use blocks::Block;

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

/// The most blocks (paragraphs, headings, tables …) one template part may
/// give: the shipped parts give at most a few hundred (see the test
/// `shipped_templates_within_their_budgets`); each block costs a few KB once
/// the DOCX is built, so a part printing a million short lines would take
/// gigabytes.
pub const PART_BLOCK_LIMIT: usize = 10_000;

/// The most blocks the whole report may hold (a kind may list a part many
/// times).
pub const REPORT_BLOCK_LIMIT: usize = 20_000;

/// The most the parts of one report may print together.
pub const REPORT_OUTPUT_LIMIT: usize = 32 * 1024 * 1024;

/// A minijinja error; the message has the template's name and line and the
/// causes' messages (minijinja's own are kept as the source).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct TemplateError {
    pub message: String,
    source: std::sync::Arc<minijinja::Error>,
}

/// The most one template part may print (the shipped ones print well
/// under 1 MB).
pub const PART_OUTPUT_LIMIT: usize = 16 * 1024 * 1024;

/// A writer that refuses past [`PART_OUTPUT_LIMIT`].
#[derive(Default)]
struct Bounded {
    bytes: Vec<u8>,
    over: bool,
}

impl std::io::Write for Bounded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > PART_OUTPUT_LIMIT {
            self.over = true;
            return Err(std::io::Error::other("template output too long"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl TemplateError {
    fn too_long(name: &str) -> TemplateError {
        TemplateError::stopped(
            name,
            format!("输出超过 {} MB，已停止（模板中可能有失控的循环）。", PART_OUTPUT_LIMIT / 1024 / 1024),
        )
    }

    fn stopped(name: &str, why: String) -> TemplateError {
        let message = format!("{name}：{why}");
        TemplateError {
            source: std::sync::Arc::new(minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, message.clone())),
            message,
        }
    }
}

/// A table name the evaluation does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("没有名为“{name}”的表格。可用：{known}。")]
pub struct UnknownTable {
    pub name: String,
    /// The names it does hold, `、`-separated.
    pub known: String,
}

/// How to render.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Folders searched for template overrides, first wins.
    pub template_dirs: Vec<PathBuf>,
    pub fonts: docx::Fonts,
    /// Fill the 目录's page numbers by a layout pass when LibreOffice is there.
    pub layout_pass: bool,
    /// The 目录's page numbers, already known (a batch lays out all its
    /// reports in one LibreOffice run, then renders each with its numbers).
    pub toc_numbers: Option<Vec<u32>>,
    /// Also give the document of the layout pass ([`Rendered::layout`]),
    /// without running it: the batch lays out many at once.
    pub emit_layout: bool,
    /// The report kind: its outline (parts in order) and its own templates
    /// (none: the shipped parts). The pipeline fills it from the case's setup.
    pub kind: Option<crate::report_kind::Kind>,
    /// What the user chose for the case's setup (`--system`, `--kind`): the
    /// pipeline resolves the setup from it once; the writer does not read it.
    pub setup: crate::setup::SetupOptions,
}

impl Options {
    /// The folders parts are looked for in: the overrides, then the kind's own folder.
    pub fn part_dirs(&self) -> Vec<PathBuf> {
        let mut dirs = self.template_dirs.clone();
        dirs.extend(self.kind.as_ref().and_then(|k| k.folder.clone()));
        dirs
    }

    /// The parts, in order.
    pub fn parts(&self) -> Vec<String> {
        self.kind.as_ref().map(|k| k.parts.clone()).unwrap_or_else(text::default_parts)
    }
}

/// The report's bytes, and whether the 目录 carries real page numbers.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    /// The 目录's page numbers are filled (or the report has no 目录).
    pub toc_pages: bool,
    /// With [`Options::emit_layout`]: the document to lay out and the 目录's
    /// headings to find in it (none when the report has no 目录).
    pub layout: Option<LayoutDoc>,
}

/// What a layout pass needs: the report up to its last 目录 heading (what
/// follows cannot move a heading) and the headings, in order.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LayoutDoc {
    #[serde(skip)]
    pub bytes: Vec<u8>,
    pub headings: Vec<(u8, String)>,
}

fn template_error(e: minijinja::Error) -> TemplateError {
    use minijinja::ErrorKind as K;
    let what = match e.kind() {
        K::UndefinedError => {
            "用到了不存在的名称（多半是拼写错误；可用的名称见 templates/report/README.md）".to_string()
        }
        K::SyntaxError => "语法错误（检查 {{ }}、{% %} 是否成对，if/for 是否有 endif/endfor）".to_string(),
        K::UnknownFilter => "用到了不存在的过滤器（可用：amount、wan、pct、num、cn、date、grade 等）".to_string(),
        K::UnknownFunction => "用到了不存在的函数".to_string(),
        K::UnknownMethod => "用到了不存在的方法".to_string(),
        K::TemplateNotFound => {
            e.detail().filter(|d| !d.is_ascii()).map(String::from).unwrap_or_else(|| "引用的模板不存在".to_string())
        }
        K::OutOfFuel => format!("模板运算超过 {} 步的上限，已停止：模板中可能有失控的循环", text::TEMPLATE_FUEL),
        K::InvalidOperation | K::BadSerialization | K::CannotDeserialize => {
            // Our own filters and guards write Chinese already.
            let own = e.detail().filter(|d| !d.is_ascii()).map(String::from);
            own.unwrap_or_else(|| "模板中的运算无法完成（类型不符或数值无效）".to_string())
        }
        _ => "模板无法渲染".to_string(),
    };
    let place = match (e.name(), e.line()) {
        (Some(name), Some(line)) => format!("{name} 第{line}行："),
        (Some(name), None) => format!("{name}："),
        _ => String::new(),
    };
    // minijinja's English detail stays the error's source (its causes
    // chained): the command line shows it with `-v`; the place is enough to fix it.
    // Our own messages end in 。 already: one 。, never 。。.
    let what = what.trim_end_matches('。');
    TemplateError { message: format!("{place}{what}。"), source: std::sync::Arc::new(e) }
}

/// The environment of the embedded templates, compiled once per process.
fn default_environment() -> Result<&'static minijinja::Environment<'static>, RenderError> {
    static ENV: std::sync::OnceLock<Result<minijinja::Environment<'static>, TemplateError>> =
        std::sync::OnceLock::new();
    ENV.get_or_init(|| text::environment(&[], &text::default_parts()).map_err(template_error))
        .as_ref()
        .map_err(|e| e.clone().into())
}

/// Render every part's template into blocks.
pub fn blocks(eval: &Evaluation, options: &Options) -> Result<Vec<Block>, RenderError> {
    let (dirs, parts) = (options.part_dirs(), options.parts());
    let overridden =
        parts != text::default_parts() || dirs.iter().any(|d| parts.iter().any(|name| d.join(name).is_file()));
    let owned;
    let env = if overridden {
        owned = text::environment(&dirs, &parts).map_err(template_error)?;
        &owned
    } else {
        default_environment()?
    };
    render_parts(env, &minijinja::Value::from(minijinja::value::Serde(eval)), &parts)
}

/// Render `parts` (each from the first of `dirs` that has it, else the
/// embedded one) with `ctx` into blocks: for documents other than a case's
/// report (the batch's 综合绩效评价报告).
pub fn blocks_of(ctx: &impl serde::Serialize, dirs: &[PathBuf], parts: &[String]) -> Result<Vec<Block>, RenderError> {
    let env = text::environment(dirs, parts).map_err(template_error)?;
    render_parts(&env, &minijinja::Value::from(minijinja::value::Serde(ctx)), parts)
}

fn render_parts(
    env: &minijinja::Environment<'_>,
    ctx: &minijinja::Value,
    parts: &[String],
) -> Result<Vec<Block>, RenderError> {
    Ok(render_measured(env, ctx, parts)?.0)
}

/// What one part's rendering took: fuel (minijinja's units of work, see
/// [`text::TEMPLATE_FUEL`]), bytes printed and blocks given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartCost {
    pub part: String,
    pub fuel: u64,
    pub bytes: usize,
    pub blocks: usize,
}

/// The blocks of `parts`, each part's cost measured and bounded: past
/// [`PART_OUTPUT_LIMIT`], [`PART_BLOCK_LIMIT`], [`REPORT_BLOCK_LIMIT`] or
/// [`REPORT_OUTPUT_LIMIT`] rendering stops with an error naming the part.
fn render_measured(
    env: &minijinja::Environment<'_>,
    ctx: &minijinja::Value,
    parts: &[String],
) -> Result<(Vec<Block>, Vec<PartCost>), RenderError> {
    let mut out = Vec::new();
    let mut costs = Vec::new();
    let mut printed = 0usize;
    for name in parts {
        let mut buf = Bounded::default();
        let result = env.get_template(name).and_then(|t| t.render_captured_to(ctx, &mut buf));
        if buf.over {
            return Err(TemplateError::too_long(name).into());
        }
        let fuel = result.map_err(template_error)?.state().fuel_levels().map(|(used, _)| used).unwrap_or(0);
        printed += buf.bytes.len();
        if printed > REPORT_OUTPUT_LIMIT {
            return Err(TemplateError::stopped(
                name,
                format!("报告各部分的输出合计超过 {} MB，已停止。", REPORT_OUTPUT_LIMIT / 1024 / 1024),
            )
            .into());
        }
        let rendered = String::from_utf8_lossy(&buf.bytes);
        let blocks = blocks::parse_bounded(&rendered, name, PART_BLOCK_LIMIT)?;
        if out.len() + blocks.len() > REPORT_BLOCK_LIMIT {
            return Err(TemplateError::stopped(
                name,
                format!("报告的段落、标题和表格合计超过 {REPORT_BLOCK_LIMIT} 个，已停止（模板中可能有失控的循环）。"),
            )
            .into());
        }
        costs.push(PartCost { part: name.clone(), fuel, bytes: buf.bytes.len(), blocks: blocks.len() });
        // Typed text's straight quotes print as Chinese pairs (`"三公"经费` → `“三公”经费`).
        out.extend(blocks.into_iter().map(|b| b.map_text(|t| chinese_quotes(t).into_owned())));
    }
    Ok((out, costs))
}

/// What rendering each part of the case's report takes (for the budgets'
/// test): the same parts and templates as [`render`].
pub fn part_costs(eval: &Evaluation, options: &Options) -> Result<Vec<PartCost>, RenderError> {
    let (dirs, parts) = (options.part_dirs(), options.parts());
    let env = text::environment(&dirs, &parts).map_err(template_error)?;
    Ok(render_measured(&env, &minijinja::Value::from(minijinja::value::Serde(eval)), &parts)?.1)
}

/// The tables the blocks place, by name; an unknown name is an error listing the known ones.
fn placed_tables<'a>(eval: &'a Evaluation, blocks: &[Block]) -> Result<BTreeMap<String, &'a ReportTable>, RenderError> {
    let mut tables = BTreeMap::new();
    for b in blocks {
        if let Block::Table(name) = b {
            let table = eval
                .table(name)
                .ok_or_else(|| UnknownTable { name: name.clone(), known: eval.table_names().join("、") })?;
            tables.insert(name.clone(), table);
        }
    }
    Ok(tables)
}

/// `table` with its cells' and preamble's straight quotes as Chinese pairs.
fn quoted_table(table: &ReportTable) -> ReportTable {
    let mut t = table.clone();
    for cell in t.header.iter_mut().chain(t.rows.iter_mut()).flatten() {
        if let std::borrow::Cow::Owned(q) = chinese_quotes(&cell.text) {
            cell.text = q;
        }
    }
    for line in &mut t.preamble {
        *line = chinese_quotes(line).into_owned();
    }
    t
}

fn write(
    eval: &Evaluation,
    blocks: &[Block],
    options: &Options,
    toc_pages: Option<&[u32]>,
    page_markers: bool,
) -> Result<Vec<u8>, RenderError> {
    // The cells' straight quotes as Chinese pairs, as the blocks' (`render_measured`).
    let quoted: BTreeMap<String, ReportTable> =
        placed_tables(eval, blocks)?.into_iter().map(|(name, t)| (name, quoted_table(t))).collect();
    let tables: BTreeMap<String, &ReportTable> = quoted.iter().map(|(name, t)| (name.clone(), t)).collect();
    let chart = crate::render::docx::chart::BarChart {
        title: format!("{}年度一级指标得分率", eval.case.year),
        series: "得分率".into(),
        categories: eval.score.level1.iter().map(|l| l.name.clone()).collect(),
        values: eval.score.level1.iter().map(|l| l.rate).collect(),
        scale: crate::render::docx::chart::Scale::Percent,
    };
    let charts = BTreeMap::from([("level1".to_string(), chart)]);
    // The author is the 评价机构 (a placeholder is no name).
    let author = if eval.case.agency.contains("【待填") { String::new() } else { eval.case.agency.clone() };
    let meta = docx::Meta {
        title: eval.report_file.trim_end_matches(".docx").to_string(),
        author,
        date: docx::Meta::date_of(&eval.case.date),
    };
    Ok(docx::write(&docx::Inputs {
        blocks,
        tables: &tables,
        charts: &charts,
        fonts: &options.fonts,
        toc_pages,
        page_markers,
        meta: &meta,
    })?)
}

/// The blocks of the layout pass: up to the last 目录 heading and the few
/// blocks that keep with it (its first paragraph or table); the annexes
/// after it cannot move a heading, and laying them out is most of the time.
pub fn layout_blocks(blocks: &[Block], headings: &[(u8, String)]) -> Vec<Block> {
    let Some((level, text)) = headings.last() else { return blocks.to_vec() };
    let last = blocks.iter().rposition(|b| matches!(b, Block::Heading(l, t) if l == level && t == text));
    let Some(last) = last else { return blocks.to_vec() };
    let mut end = last + 1;
    while end < blocks.len() && end <= last + 4 {
        if matches!(blocks[end], Block::Heading(..) | Block::PageBreak | Block::Landscape | Block::Portrait) {
            break;
        }
        end += 1;
    }
    blocks[..end].to_vec()
}

/// The DOCX report. The 目录's page numbers: `options.toc_numbers` when
/// given; else, with `options.layout_pass`, from a LibreOffice layout of the
/// report's first part; else left for Word to fill on opening.
pub fn render(eval: &Evaluation, options: &Options) -> Result<Rendered, RenderError> {
    let blocks = blocks(eval, options)?;
    let headings = docx::toc_headings(&blocks);
    let has_toc = blocks.iter().any(|b| matches!(b, Block::Toc(_))) && !headings.is_empty();
    if !has_toc {
        // No 目录: nothing to number.
        let bytes = write(eval, &blocks, options, None, false)?;
        return Ok(Rendered { bytes, toc_pages: true, layout: None });
    }
    if let Some(numbers) = options.toc_numbers.as_deref().filter(|n| n.len() == headings.len()) {
        let bytes = write(eval, &blocks, options, Some(numbers), false)?;
        return Ok(Rendered { bytes, toc_pages: true, layout: None });
    }
    let layout_doc = || -> Result<LayoutDoc, RenderError> {
        let bytes = write(eval, &layout_blocks(&blocks, &headings), options, None, true)?;
        Ok(LayoutDoc { bytes, headings: headings.clone() })
    };
    if options.layout_pass {
        let doc = layout_doc()?;
        if let Some(pages) = layout::toc_pages(&doc.bytes, &doc.headings) {
            let bytes = write(eval, &blocks, options, Some(&pages), false)?;
            return Ok(Rendered { bytes, toc_pages: true, layout: None });
        }
    }
    let layout = if options.emit_layout { Some(layout_doc()?) } else { None };
    let bytes = write(eval, &blocks, options, None, false)?;
    Ok(Rendered { bytes, toc_pages: false, layout })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Our own messages (a refused template, a missing part) end in 。; the
    /// wrapper adds none more.
    #[test]
    fn template_messages_end_in_one_full_stop() {
        let own = minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            "模板 chapter4.j2（templates）：指向模板文件夹之外（符号链接或快捷方式），已拒绝读取。请把模板文件本身放进模板文件夹。",
        );
        let m = template_error(own).message;
        assert!(m.ends_with("放进模板文件夹。") && !m.ends_with("。。"), "{m}");
        let missing = text::environment(&[], &["nowhere.j2".to_string()]).map(|_| ()).unwrap_err();
        let m = template_error(missing).message;
        assert!(m.contains("nowhere.j2") && m.ends_with('。') && !m.ends_with("。。"), "{m}");
    }
}
