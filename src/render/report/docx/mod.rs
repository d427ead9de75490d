//! Blocks → DOCX, styled to the official-document conventions (GB/T 9704):
//! A4, 公文 margins, 仿宋 3号 body with fixed 28 pt lines and a two-character
//! first-line indent, 黑体/楷体 headings with outline levels, 小标宋 title,
//! `— N —` page numbers from the body on, a pre-filled 目录, tables with
//! repeated header rows. The parts docx-rs writes are then put in schema
//! order (`render::docx::fix`) so Word opens them without repair.
//!
//! The modules: `style` (fonts, sizes, paragraph styles, the font table),
//! `page` (A4, sections, page-number footers), `runs` (text as runs),
//! `table` (report tables and their column widths), `body` (the blocks,
//! one by one) and `parts` (the parts docx-rs builds, patched and packed).

use std::collections::BTreeMap;

use super::blocks::Block;
use crate::assemble::report_table::ReportTable as TableSpec;
use crate::render::docx::chart::BarChart;
use crate::render::docx::package;

mod body;
mod page;
mod parts;
mod runs;
mod style;
mod table;

/// The layout pass's marker page (its tests build a document of their own with it).
#[cfg(test)]
pub(crate) use body::page_markers;
pub use page::TEXT_W;
pub use style::Fonts;

use body::{new_document, Body};

/// What the writer needs besides the blocks.
pub struct Inputs<'a> {
    pub blocks: &'a [Block],
    pub tables: &'a BTreeMap<String, &'a TableSpec>,
    /// The charts `@chart NAME` places, by name (`level1`: the 一级 得分率).
    pub charts: &'a BTreeMap<String, BarChart>,
    pub fonts: &'a Fonts,
    /// Page numbers of the headings (by order), when a layout pass found them.
    pub toc_pages: Option<&'a [u32]>,
    /// The document of a layout pass: a first page of markers, `[i:N]` with
    /// N a PAGEREF field to the i-th 目录 heading, which LibreOffice fills
    /// as it lays the document out (see `layout.rs`).
    pub page_markers: bool,
    /// The document's properties (title, author, date).
    pub meta: &'a Meta,
}

/// The core properties of the package, from the evaluation (never the
/// time of writing: the same inputs give the same bytes).
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub title: String,
    /// The 评价机构 (or the department writing about itself).
    pub author: String,
    /// `2025-07-01T00:00:00Z`, from the report's date; empty: a fixed default.
    pub date: String,
}

impl Meta {
    /// `2025年7月`, `2025-08-26` → `2025-07-01T00:00:00Z` / `2025-08-26T00:00:00Z`.
    pub fn date_of(text: &str) -> String {
        let parts: Vec<u32> = text
            .split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty())
            .filter_map(|p| p.parse().ok())
            .collect();
        match parts.as_slice() {
            [y, m, d, ..] if (1900..3000).contains(y) && (1..=12).contains(m) && (1..=31).contains(d) => {
                format!("{y:04}-{m:02}-{d:02}T00:00:00Z")
            }
            [y, m, ..] if (1900..3000).contains(y) && (1..=12).contains(m) => format!("{y:04}-{m:02}-01T00:00:00Z"),
            [y, ..] if (1900..3000).contains(y) => format!("{y:04}-01-01T00:00:00Z"),
            _ => String::new(),
        }
    }
}

/// The text of the headings the 目录 lists (levels 1–3), in order.
pub fn toc_headings(blocks: &[Block]) -> Vec<(u8, String)> {
    let depth = blocks.iter().find_map(|b| if let Block::Toc(d) = b { Some(*d) } else { None }).unwrap_or(2);
    blocks
        .iter()
        .filter_map(|b| if let Block::Heading(l, t) = b { (*l <= depth).then(|| (*l, t.clone())) } else { None })
        .collect()
}

/// Why the DOCX could not be written. (Not `docx_rs::DocxError`, which this
/// one shadows here: docx-rs's `pack` gives a bare zip error.)
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("模板引用了表格“{name}”，但没有生成它。")]
    MissingTable { name: String },
    #[error("没有名为“{name}”的图表（可用：{known}）。")]
    UnknownChart { name: String, known: String },
    #[error("无法打包 DOCX：{0}")]
    Pack(#[from] zip::result::ZipError),
    /// A part would not be well-formed XML (never written, never reported as success).
    #[error("生成的 {part} 含 XML 不允许的字符（第 {offset} 字节），报告未写出。请把含特殊字符的文字发给维护人员。")]
    Malformed { part: &'static str, offset: usize },
    #[error(transparent)]
    Package(#[from] crate::render::docx::package::PackageError),
}

/// The first byte of a UTF-8 XML part that XML 1.0 does not allow: C0
/// controls other than tab/newline/return, and U+FFFE/U+FFFF.
pub fn first_invalid_xml_byte(bytes: &[u8]) -> Option<usize> {
    bytes.iter().enumerate().find_map(|(i, &b)| {
        let control = b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r');
        let nonchar = b == 0xEF && bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF));
        (control || nonchar).then_some(i)
    })
}

/// Write the DOCX: the blocks into a document docx-rs builds, its parts
/// patched (`parts`), then packed with the charts.
pub fn write(input: &Inputs) -> Result<Vec<u8>, DocxError> {
    let headings = toc_headings(input.blocks);
    let mut docx = new_document(input, headings.len());
    let mut body = Body::new(input, &headings);
    for block in input.blocks {
        docx = body.add(docx, block)?;
    }
    let mut xml = body.finish(docx).build();
    parts::set_properties(&mut xml, input.meta, input.fonts);
    // Word updates the fields on opening only where the 目录 is left without its page numbers.
    let has_toc = input.blocks.iter().any(|b| matches!(b, Block::Toc(_)));
    let update_fields = has_toc && input.toc_pages.is_none() && !input.page_markers;
    let document = parts::fix_parts(&mut xml, body.front_matter + usize::from(input.page_markers), update_fields);
    let document = parts::renumber_paragraphs(&mut xml, &document);
    parts::check_characters(&xml, &document)?;
    let charts = body.placed;
    xml.document = parts::place_charts(document, &charts).into_bytes();
    Ok(package::finish(package::parts(xml), &charts)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_of_the_core_properties() {
        assert_eq!(Meta::date_of("2025年12月"), "2025-12-01T00:00:00Z");
        assert_eq!(Meta::date_of("2025-08-26"), "2025-08-26T00:00:00Z");
        assert_eq!(Meta::date_of("2022年5月19日"), "2022-05-19T00:00:00Z");
        assert_eq!(Meta::date_of("【待填：项目信息“报告日期”】"), "");
    }

    /// `word/settings.xml` and `word/document.xml` of the document of `blocks`.
    fn written(blocks: &[Block], toc_pages: Option<&[u32]>) -> (String, String) {
        use std::io::Read;
        let (tables, charts, fonts, meta) = (BTreeMap::new(), BTreeMap::new(), Fonts::default(), Meta::default());
        let input = Inputs {
            blocks,
            tables: &tables,
            charts: &charts,
            fonts: &fonts,
            toc_pages,
            page_markers: false,
            meta: &meta,
        };
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(write(&input).unwrap())).unwrap();
        let mut part = |name: &str| {
            let mut s = String::new();
            zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
            s
        };
        (part("word/settings.xml"), part("word/document.xml"))
    }

    /// Word asks to update the fields on opening only when the 目录's page
    /// numbers could not be filled: not when they are, not without a 目录.
    #[test]
    fn word_updates_fields_only_for_a_toc_without_its_numbers() {
        let heading = || Block::Heading(1, "一、部门概况".into());
        let toc = [Block::PageTitle("目录".into()), Block::Toc(2), Block::FrontMatterEnd, heading()];
        assert!(written(&toc, None).0.contains("<w:updateFields w:val=\"true\"/>"));
        assert!(!written(&toc, Some(&[1])).0.contains("updateFields"));
        assert!(!written(&[Block::Paragraph("正文".into()), heading()], None).0.contains("updateFields"));
    }

    /// A 目录 that fills its page leaves no blank page: the field ends in the
    /// last entry (no line of its own after it) and the paragraph ending the
    /// front matter is a line of 1 pt.
    #[test]
    fn nothing_after_the_toc_can_make_a_page_of_its_own() {
        let toc = [Block::Toc(2), Block::FrontMatterEnd, Block::Heading(1, "一、部门概况".into())];
        let (_, document) = written(&toc, Some(&[1]));
        let sdt = &document[document.find("<w:sdtContent>").unwrap()..document.find("</w:sdtContent>").unwrap()];
        assert_eq!(sdt.matches("<w:p ").count() + sdt.matches("<w:p>").count(), 1, "one entry, one paragraph: {sdt}");
        assert!(sdt.contains("一、部门概况") && sdt.contains("w:fldCharType=\"end\""), "{sdt}");
        let after = &document[document.find("</w:sdt>").unwrap()..];
        let section_end = &after[..after.find("<w:sectPr>").unwrap()];
        assert!(section_end.contains("<w:spacing w:line=\"20\" w:lineRule=\"exact\" />"), "{section_end}");
        assert!(section_end.contains("<w:sz w:val=\"2\" />"), "{section_end}");
    }
}
