//! The body: each [`Block`] as paragraphs, a table, a chart's placeholder
//! or the 目录, in the report's styles; sections end where the front
//! matter ends and where the orientation changes.

use docx_rs::*;

use super::page::{
    footer, landscape_margin, page_margin, section, LANDSCAPE_TEXT_H, LANDSCAPE_TEXT_W, PAGE_H, PAGE_W, TEXT_H, TEXT_W,
};
use super::runs::add_text;
use super::style::{body_spacing, fonts, styled, styles, Fonts, BODY, INDENT, LINE, PAGE_TITLE, TABLE, TITLE};
use super::table::table;
use super::{DocxError, Inputs};
use crate::render::docx::chart::BarChart;
use crate::render::report::blocks::Block;

/// Text of the placeholder run the chart's drawing replaces after
/// docx-rs has written the document (it cannot write a `w:drawing` of a chart).
pub(super) const CHART_MARKER: &str = "\u{E000}jixiao-chart\u{E000}";

/// The document docx-rs builds: A4, the 公文 margins, the body font, the
/// properties' dates and the styles — and, for a layout pass, the marker
/// page first.
pub(super) fn new_document(input: &Inputs, headings: usize) -> Docx {
    let f = input.fonts;
    let mut docx = Docx::new()
        .page_size(PAGE_W, PAGE_H)
        .page_margin(page_margin())
        .default_fonts(fonts(&f.body, &f.latin))
        .default_size(BODY)
        .created_at(if input.meta.date.is_empty() { "2025-01-01T00:00:00Z" } else { &input.meta.date })
        .updated_at(if input.meta.date.is_empty() { "2025-01-01T00:00:00Z" } else { &input.meta.date });
    docx = styles(docx, f);
    if input.page_markers {
        docx = docx.add_paragraph(page_markers(headings));
    }
    docx
}

/// The body being written block by block: what a block needs to know of
/// the blocks before it.
pub(super) struct Body<'a> {
    input: &'a Inputs<'a>,
    /// The 目录's headings ([`super::toc_headings`]).
    headings: &'a [(u8, String)],
    /// On landscape pages (since a `Landscape` block).
    landscape: bool,
    /// Sections of front matter before the body: 1 once `FrontMatterEnd` is written.
    pub(super) front_matter: usize,
    /// How many of `headings` have been written (and bookmarked).
    heading_no: usize,
    /// The charts placed, in order.
    pub(super) placed: Vec<BarChart>,
    /// The blocks since the last chart are its caption: a caption there is the figure's.
    after_chart: bool,
}

impl<'a> Body<'a> {
    pub(super) fn new(input: &'a Inputs<'a>, headings: &'a [(u8, String)]) -> Self {
        Body {
            input,
            headings,
            landscape: false,
            front_matter: 0,
            heading_no: 0,
            placed: Vec::new(),
            after_chart: false,
        }
    }

    /// `block` added to `docx`.
    pub(super) fn add(&mut self, docx: Docx, block: &Block) -> Result<Docx, DocxError> {
        let f = self.input.fonts;
        if !matches!(block, Block::Chart(_) | Block::Caption(_)) {
            self.after_chart = false;
        }
        Ok(match block {
            Block::Title(t) => docx.add_paragraph(title(f, t)),
            Block::Subtitle(t) => docx.add_paragraph(subtitle(f, t)),
            Block::Heading(level, t) => docx.add_paragraph(self.heading(*level, t)),
            Block::Paragraph(t) => docx.add_paragraph(body_para(f, t, true)),
            Block::NoIndent(t) => docx.add_paragraph(body_para(f, t, false)),
            Block::Center(t) => docx.add_paragraph(body_para(f, t, false).align(AlignmentType::Center)),
            Block::Right(t) => docx.add_paragraph(body_para(f, t, false).align(AlignmentType::Right)),
            Block::Caption(t) => {
                // A table's caption is above it (keeps with it); a figure's below.
                let figure = std::mem::take(&mut self.after_chart);
                docx.add_paragraph(caption(f, t, figure))
            }
            Block::PageTitle(t) => docx.add_paragraph(page_title(f, t)),
            Block::Indent(n, t) => docx.add_paragraph(
                body_para(f, t, false)
                    .indent(Some(*n as i32 * INDENT / 2), None, None, None)
                    .align(AlignmentType::Left),
            ),
            Block::Space(n) => {
                let mut d = docx;
                for _ in 0..*n {
                    d = d.add_paragraph(Paragraph::new().line_spacing(body_spacing()));
                }
                d
            }
            Block::Note(t) => docx.add_paragraph(note(f, t)),
            Block::Table(name) => self.table(docx, name)?,
            Block::Chart(name) => docx.add_paragraph(self.chart(name)?),
            Block::PageBreak => docx.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page))),
            Block::Toc(depth) => docx.add_table_of_contents(self.toc(*depth)),
            Block::FrontMatterEnd => {
                self.front_matter = 1;
                docx.add_paragraph(section_end(section(false)))
            }
            // A change of orientation ends the section before it.
            Block::Landscape if !self.landscape => {
                self.landscape = true;
                docx.add_paragraph(section_end(section(false)))
            }
            Block::Portrait if self.landscape => {
                self.landscape = false;
                docx.add_paragraph(section_end(section(true)))
            }
            Block::Landscape | Block::Portrait => docx,
        })
    }

    /// After the last block: the last section (landscape if the document
    /// ends on landscape pages) and the body's page-number footers.
    pub(super) fn finish(&self, mut docx: Docx) -> Docx {
        let f = self.input.fonts;
        if self.landscape {
            // The document ends on landscape pages: its last section is landscape.
            docx = docx
                .page_size(PAGE_H, PAGE_W)
                .page_orient(PageOrientationType::Landscape)
                .page_margin(landscape_margin());
        }
        docx.footer(footer(f, true)).even_footer(footer(f, false)).page_num_type(PageNumType::new().start(1))
    }

    /// A heading in its style, bookmarked (`_Toc00000001`, …) when it is the
    /// next of the 目录's headings.
    fn heading(&mut self, level: u8, t: &str) -> Paragraph {
        let style = format!("Heading{level}");
        let mut p = add_text(Paragraph::new().style(&style).keep_next(true), t, |r| r);
        if self.headings.get(self.heading_no).is_some_and(|(l, h)| *l == level && h == t) {
            let id = self.heading_no + 1;
            p = p.add_bookmark_start(id, format!("_Toc{id:08}")).add_bookmark_end(id);
            self.heading_no += 1;
        }
        p
    }

    /// Table `name`, after the lines its department wrote above it, at the
    /// width of the page it is on, with a small space after it.
    fn table(&self, mut docx: Docx, name: &String) -> Result<Docx, DocxError> {
        let f = self.input.fonts;
        let spec = self.input.tables.get(name).ok_or_else(|| DocxError::MissingTable { name: name.clone() })?;
        // Lines the department wrote above its table (`战略目标：…`), once, before it.
        for line in &spec.preamble {
            docx = docx.add_paragraph(add_text(
                Paragraph::new().keep_next(true).line_spacing(body_spacing()),
                line,
                styled(&f.body, f, TABLE),
            ));
        }
        let page = if self.landscape { (LANDSCAPE_TEXT_W, LANDSCAPE_TEXT_H) } else { (TEXT_W, TEXT_H) };
        Ok(docx.add_table(table(spec, f, page)).add_paragraph(
            Paragraph::new().line_spacing(LineSpacing::new().line(200).line_rule(LineSpacingType::Exact)),
        ))
    }

    /// The paragraph chart `name` will be drawn in: for now a run of
    /// [`CHART_MARKER`] (the chart is placed after docx-rs has written the document).
    fn chart(&mut self, name: &String) -> Result<Paragraph, DocxError> {
        let Some(c) = self.input.charts.get(name) else {
            let known = self.input.charts.keys().cloned().collect::<Vec<_>>().join("、");
            return Err(DocxError::UnknownChart { name: name.clone(), known });
        };
        self.placed.push(c.clone());
        // The chart keeps with the next paragraph: its caption (图题在下),
        // which itself keeps with nothing.
        self.after_chart = true;
        Ok(Paragraph::new().align(AlignmentType::Center).keep_next(true).add_run(Run::new().add_text(CHART_MARKER)))
    }

    /// The 目录 down to level `depth`, pre-filled with the headings (and
    /// their pages, when a layout pass found them).
    fn toc(&self, depth: u8) -> TableOfContents {
        let mut toc = TableOfContents::new().heading_styles_range(1, depth as usize).alias("目录");
        for (i, (level, text)) in self.headings.iter().enumerate() {
            let page = self.input.toc_pages.and_then(|p| p.get(i)).map(|n| n.to_string()).unwrap_or_default();
            toc = toc.add_item(
                TableOfContentsItem::new()
                    .text(text)
                    .toc_key(format!("_Toc{:08}", i + 1))
                    .level(*level as usize)
                    .page_ref(page),
            );
        }
        toc
    }
}

/// The empty paragraph that ends a section: a line of 1 pt, so that a
/// section whose page is full (a 目录 of a whole page, a table to the foot of
/// the page) does not carry it to a blank page of its own.
fn section_end(s: SectionProperty) -> Paragraph {
    Paragraph::new()
        .line_spacing(LineSpacing::new().line(20).line_rule(LineSpacingType::Exact))
        .size(2)
        .section_property(s)
}

/// A body paragraph: justified, fixed lines, first line indented unless `indent` is false.
fn body_para(f: &Fonts, text: &str, indent: bool) -> Paragraph {
    let mut p = add_text(
        Paragraph::new().line_spacing(body_spacing()).align(AlignmentType::Both),
        text,
        styled(&f.body, f, BODY),
    );
    if indent {
        p = p.indent(None, Some(SpecialIndentType::FirstLine(INDENT)), None, None);
    }
    p
}

/// The report's title: centred, 小标宋 2号 on 40 pt lines.
fn title(f: &Fonts, t: &str) -> Paragraph {
    add_text(
        Paragraph::new()
            .align(AlignmentType::Center)
            .line_spacing(LineSpacing::new().line(800).line_rule(LineSpacingType::Exact)),
        t,
        styled(&f.title, f, TITLE),
    )
}

/// A subtitle: centred, in the 二级 heading's font.
fn subtitle(f: &Fonts, t: &str) -> Paragraph {
    add_text(
        Paragraph::new().align(AlignmentType::Center).line_spacing(body_spacing()),
        t,
        styled(&f.heading2, f, BODY),
    )
}

/// A table's or a figure's caption, centred; a table's (above it, `figure`
/// false) keeps with the table.
fn caption(f: &Fonts, t: &str, figure: bool) -> Paragraph {
    add_text(
        Paragraph::new().align(AlignmentType::Center).keep_next(!figure).line_spacing(body_spacing()),
        t,
        styled(&f.heading1, f, TABLE + 4),
    )
}

/// The title of a front page (报告撰写说明, 目录), a line of space after it.
fn page_title(f: &Fonts, t: &str) -> Paragraph {
    add_text(
        Paragraph::new()
            .align(AlignmentType::Center)
            .line_spacing(LineSpacing::new().line(LINE).line_rule(LineSpacingType::Exact).after(LINE as u32)),
        t,
        styled(&f.heading1, f, PAGE_TITLE),
    )
}

/// A note: 小四 on 20 pt lines.
fn note(f: &Fonts, t: &str) -> Paragraph {
    add_text(
        Paragraph::new().line_spacing(LineSpacing::new().line(400).line_rule(LineSpacingType::Exact)),
        t,
        styled(&f.body, f, TABLE),
    )
}

/// The marker page of a layout pass: `[1:N] [2:N] …`, N the page of the
/// i-th 目录 heading as a PAGEREF field (left empty: a field LibreOffice did
/// not compute reads as a missing number, never as a wrong one), small
/// enough for a hundred headings to fit on the page. It is a section of its
/// own, counted as front matter: the report after it is numbered as it
/// would be without it (page 1 where the report has its page 1).
pub(crate) fn page_markers(headings: usize) -> Paragraph {
    const SIZE: usize = 12; // 6 pt
    let mut p = Paragraph::new();
    for i in 1..=headings {
        let field = InstrText::PAGEREF(InstrPAGEREF::new(format!("_Toc{i:08}")));
        p = p
            .add_run(Run::new().size(SIZE).add_text(format!("[{i}:")))
            .add_run(
                Run::new()
                    .size(SIZE)
                    .add_field_char(FieldCharType::Begin, false)
                    .add_instr_text(field)
                    .add_field_char(FieldCharType::Separate, false)
                    .add_field_char(FieldCharType::End, false),
            )
            .add_run(Run::new().size(SIZE).add_text("] "));
    }
    p.section_property(section(false))
}
