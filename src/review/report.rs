//! 复核意见.docx: the review worded from an editable template
//! (`templates/report/review.j2`, overridable like the reports' parts) by
//! the same DOCX writer; the slips as one table.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use super::{Review, SlipKind};
use crate::assemble::report_table::{c, l, ReportTable};
use crate::render::report::{docx, RenderError};

/// The review's template parts, in order.
pub const REVIEW_PARTS: &[&str] = &["review.j2"];

/// What the template sees.
#[derive(Serialize)]
struct Context<'a> {
    review: &'a Review,
    /// The case reviewed (its folder's name).
    case: &'a str,
    /// (差错类别, count) of the kinds found, in order.
    kinds: Vec<(&'static str, usize)>,
}

const KINDS: [SlipKind; 6] =
    [SlipKind::Score, SlipKind::Rate, SlipKind::Subtotal, SlipKind::Weight, SlipKind::Name, SlipKind::Absent];

/// The table the template places: `slips`.
pub fn table(review: &Review) -> ReportTable {
    let header = vec![vec![c("序号"), c("差错类别"), c("指标"), c("得分表所列"), c("复核结果"), c("规则与输入")]];
    let rows = review
        .slips
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let rule = if s.inputs.is_empty() { s.rule.clone() } else { format!("{}；{}", s.rule, s.inputs) };
            vec![c((k + 1).to_string()), l(s.kind.label()), l(&s.indicator), c(&s.published), c(&s.expected), l(rule)]
        })
        .collect();
    ReportTable::new("slips", vec![6, 14, 22, 10, 10, 38], header, rows).small()
}

/// The DOCX of `review`; `template_dirs` override `review.j2`.
pub fn render(review: &Review, case: &str, template_dirs: &[PathBuf]) -> Result<Vec<u8>, RenderError> {
    let kinds = KINDS
        .iter()
        .map(|k| (k.label(), review.slips.iter().filter(|s| s.kind == *k).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    let ctx = Context { review, case, kinds };
    let parts: Vec<String> = REVIEW_PARTS.iter().map(|s| s.to_string()).collect();
    let blocks = crate::render::report::blocks_of(&ctx, template_dirs, &parts)?;
    let table = table(review);
    let placed: BTreeMap<String, &ReportTable> = BTreeMap::from([(table.name.clone(), &table)]);
    let meta = docx::Meta { title: format!("{case}得分表复核意见"), author: String::new(), date: String::new() };
    Ok(docx::write(&docx::Inputs {
        blocks: &blocks,
        tables: &placed,
        charts: &BTreeMap::new(),
        fonts: &docx::Fonts::default(),
        toc_pages: None,
        page_markers: false,
        meta: &meta,
    })?)
}
