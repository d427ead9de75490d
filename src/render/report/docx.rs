//! Blocks → DOCX, styled to the official-document conventions (GB/T 9704):
//! A4, 公文 margins, 仿宋 3号 body with fixed 28 pt lines and a two-character
//! first-line indent, 黑体/楷体 headings with outline levels, 小标宋 title,
//! `— N —` page numbers from the body on, a pre-filled 目录, tables with
//! repeated header rows. The parts docx-rs writes are then put in schema
//! order (`render::docx::fix`) so Word opens them without repair.

use std::collections::BTreeMap;

use docx_rs::*;

use super::blocks::Block;
use crate::assemble::table::{Align, Cell, ReportTable as TableSpec, VMerge};
use crate::model::value::{is_xml_char, LINE_BREAK};
use crate::render::docx::chart::{self, BarChart};
use crate::render::docx::package;

/// Font names (configurable: government machines have 仿宋_GB2312 etc.,
/// ordinary Windows 仿宋/黑体/楷体/宋体).
#[derive(Debug, Clone)]
pub struct Fonts {
    pub body: String,
    pub heading1: String,
    pub heading2: String,
    pub title: String,
    pub table: String,
    pub latin: String,
}

impl Default for Fonts {
    fn default() -> Fonts {
        Fonts {
            body: "仿宋_GB2312".into(),
            heading1: "黑体".into(),
            heading2: "楷体_GB2312".into(),
            title: "方正小标宋简体".into(),
            table: "宋体".into(),
            latin: "Times New Roman".into(),
        }
    }
}

/// A4 in twips, and the 公文 margins (37/35/28/26 mm).
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
const MARGIN_TOP: i32 = 2098;
const MARGIN_BOTTOM: i32 = 1984;
const MARGIN_LEFT: i32 = 1588;
const MARGIN_RIGHT: i32 = 1474;
/// The text width.
pub const TEXT_W: u32 = PAGE_W - MARGIN_LEFT as u32 - MARGIN_RIGHT as u32;
/// Landscape pages (wide tables): A4 turned, narrower margins.
const LANDSCAPE_MARGIN: i32 = 1440;
const LANDSCAPE_TEXT_W: u32 = PAGE_H - 2 * LANDSCAPE_MARGIN as u32;

/// 3号 = 16 pt = 32 half-points; 2号 = 44; 4号 = 28; 小四 = 24; 五号 = 21.
const BODY: usize = 32;
const TITLE: usize = 44;
/// 小二 (18 pt): titles of front pages (报告撰写说明, 目录), above the 三号 body.
const PAGE_TITLE: usize = 36;
const PAGE_NO: usize = 28;
const TABLE: usize = 24;
const TABLE_SMALL: usize = 21;
const TABLE_TINY: usize = 15;
/// Fixed 28 pt lines, two 16 pt characters of first-line indent.
const LINE: i32 = 560;
const INDENT: i32 = 640;

fn fonts(name: &str, latin: &str) -> RunFonts {
    RunFonts::new().east_asia(name).ascii(latin).hi_ansi(latin).cs(latin)
}

/// A run's font and size.
fn styled<'a>(font: &'a str, f: &'a Fonts, size: usize) -> impl Fn(Run) -> Run + 'a {
    move |r: Run| r.fonts(fonts(font, &f.latin)).size(size)
}

/// `text` added to `p` as runs of one style, each missing value
/// (`【待填：…】`, `【待填】`) a run of its own, highlighted, so the draft's
/// holes are seen and nothing else is marked.
fn add_text(mut p: Paragraph, text: &str, style: impl Fn(Run) -> Run) -> Paragraph {
    for (part, missing) in placeholder_parts(text) {
        let r = style(text_run(Run::new(), part));
        p = p.add_run(if missing { r.highlight("yellow") } else { r });
    }
    p
}

/// `text` cut into its plain parts and its placeholders (`true`).
fn placeholder_parts(text: &str) -> Vec<(&str, bool)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("【待填") {
        let Some(len) = rest[start..].find('】').map(|e| e + '】'.len_utf8()) else { break };
        if start > 0 {
            out.push((&rest[..start], false));
        }
        out.push((&rest[start..start + len], true));
        rest = &rest[start + len..];
    }
    if !rest.is_empty() || out.is_empty() {
        out.push((rest, false));
    }
    out
}

/// The text of a run: a [`LINE_BREAK`] becomes a line break (`w:br`), and
/// characters XML cannot hold are dropped (a template may print anything).
fn text_run(mut run: Run, text: &str) -> Run {
    for (i, line) in text.split(LINE_BREAK).enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        if line.chars().all(is_xml_char) {
            run = run.add_text(line);
        } else {
            run = run.add_text(line.chars().filter(|c| is_xml_char(*c)).collect::<String>());
        }
    }
    run
}

fn body_spacing() -> LineSpacing {
    LineSpacing::new().line(LINE).line_rule(LineSpacingType::Exact)
}

fn page_margin() -> PageMargin {
    PageMargin::new()
        .top(MARGIN_TOP)
        .bottom(MARGIN_BOTTOM)
        .left(MARGIN_LEFT)
        .right(MARGIN_RIGHT)
        .header(851)
        .footer(992)
        .gutter(0)
}

fn landscape_margin() -> PageMargin {
    PageMargin::new()
        .top(LANDSCAPE_MARGIN)
        .bottom(LANDSCAPE_MARGIN)
        .left(LANDSCAPE_MARGIN)
        .right(LANDSCAPE_MARGIN)
        .header(720)
        .footer(720)
        .gutter(0)
}

/// The section that ends here: portrait or landscape A4.
fn section(landscape: bool) -> SectionProperty {
    if landscape {
        SectionProperty::new()
            .page_size(PageSize::new().size(PAGE_H, PAGE_W).orient(PageOrientationType::Landscape))
            .page_margin(landscape_margin())
    } else {
        SectionProperty::new().page_size(PageSize::new().size(PAGE_W, PAGE_H)).page_margin(page_margin())
    }
}

/// Every body section gets the body's footers (docx-rs writes them on the
/// last section only), and page numbers start at 1 on the first body
/// section, not on the last: the sections after the front matter (`skip`
/// of them before) are read from `document`'s `w:sectPr`s.
fn link_sections(document: &str, skip: usize) -> String {
    let starts: Vec<usize> = document.match_indices("<w:sectPr>").map(|(i, _)| i).collect();
    let Some(&last) = starts.last() else { return document.to_string() };
    if starts.len() <= skip + 1 {
        return document.to_string();
    }
    let final_end = document[last..].find("</w:sectPr>").map(|e| last + e).unwrap_or(document.len());
    let final_sect = &document[last..final_end];
    let refs: String = final_sect
        .split('<')
        .filter(|p| p.starts_with("w:footerReference") || p.starts_with("w:headerReference"))
        .map(|p| format!("<{}", p.trim_end()))
        .collect();
    let start_no = "<w:pgNumType w:start=\"1\" />";
    let mut out = String::with_capacity(document.len() + refs.len() * starts.len());
    let mut at = 0;
    for (k, &s) in starts.iter().enumerate() {
        let open = s + "<w:sectPr>".len();
        out.push_str(&document[at..open]);
        if k >= skip && s != last {
            out.push_str(&refs);
            if k == skip {
                out.push_str(start_no);
            }
        }
        at = open;
    }
    out.push_str(&document[at..]);
    // The last section continues the numbering.
    if let Some(i) = out.rfind(start_no) {
        if out[..i].contains(start_no) {
            out.replace_range(i..i + start_no.len(), "");
        }
    }
    out
}

/// Styles: headings with outline levels (the 目录 finds them), 目录 levels.
fn styles(docx: Docx, f: &Fonts) -> Docx {
    let heading = |id: &str, name: &str, level: usize, font: &str, bold: bool| {
        let mut s = Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .outline_lvl(level)
            .fonts(fonts(font, &f.latin))
            .size(BODY)
            .line_spacing(body_spacing())
            .indent(None, Some(SpecialIndentType::FirstLine(INDENT)), None, None);
        if bold {
            s = s.bold();
        }
        s
    };
    let toc = |id: &str, name: &str, left: i32| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .fonts(fonts(&f.body, &f.latin))
            .size(BODY)
            .line_spacing(body_spacing())
            .indent(Some(left), None, None, None)
    };
    docx.add_style(heading("Heading1", "heading 1", 0, &f.heading1, false))
        .add_style(heading("Heading2", "heading 2", 1, &f.heading2, false))
        .add_style(heading("Heading3", "heading 3", 2, &f.body, true))
        .add_style(heading("Heading4", "heading 4", 3, &f.body, false))
        .add_style(toc("ToC1", "toc 1", 0))
        .add_style(toc("ToC2", "toc 2", 320))
        .add_style(toc("ToC3", "toc 3", 640))
}

/// The `— N —` page number of the body: on odd pages at the right, on even
/// pages at the left, one character in from the edge (GB/T 9704).
fn footer(f: &Fonts, odd: bool) -> Footer {
    let dash = |t: &str| Run::new().add_text(t).fonts(fonts(&f.table, &f.latin)).size(PAGE_NO);
    let page = Run::new()
        .fonts(fonts(&f.table, &f.latin))
        .size(PAGE_NO)
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("1")
        .add_field_char(FieldCharType::End, false);
    // One 4号 character: 14 pt = 280 twips.
    let p = if odd {
        Paragraph::new().align(AlignmentType::Right).indent(None, None, Some(280), None)
    } else {
        Paragraph::new().align(AlignmentType::Left).indent(Some(280), None, None, None)
    };
    Footer::new().add_paragraph(p.add_run(dash("— ")).add_run(page).add_run(dash(" —")))
}

fn cell_paragraph(c: &Cell, f: &Fonts, size: usize, header: bool) -> Paragraph {
    let align = match c.align {
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
    };
    let bold = c.bold || header;
    let style = styled(&f.table, f, size);
    add_text(
        Paragraph::new().align(align).line_spacing(LineSpacing::new().line(300).line_rule(LineSpacingType::Auto)),
        &c.text,
        |r| if bold { style(r).bold() } else { style(r) },
    )
}

/// A table: fixed layout at the text width, header rows shaded, repeated on
/// every page (marked with `cant_split`, which docx_fix turns into
/// `w:tblHeader`), merged cells, numbers right-aligned.
fn table(spec: &TableSpec, f: &Fonts, text_w: u32) -> Table {
    let total: u32 = spec.widths.iter().sum::<u32>().max(1);
    let grid: Vec<usize> = spec.widths.iter().map(|w| (*w as u64 * text_w as u64 / total as u64) as usize).collect();
    // A department's wide table reprinted as supplied: 六号, as such wide annexes are printed.
    let size = if spec.as_supplied {
        TABLE_TINY
    } else if spec.small {
        TABLE_SMALL
    } else {
        TABLE
    };
    let margin = if spec.as_supplied {
        45
    } else if spec.small {
        57
    } else {
        WORD_CELL_MARGIN
    };
    let grid = fit_numbers(grid, spec, size, margin);
    let make_row = |cells: &[Cell], header: bool| {
        let mut col = 0;
        let mut out = Vec::new();
        for c in cells {
            let width: usize = grid[col..(col + c.span).min(grid.len())].iter().sum();
            let mut cell = TableCell::new()
                .add_paragraph(cell_paragraph(c, f, size, header))
                .width(width, WidthType::Dxa)
                .vertical_align(VAlignType::Center);
            if c.span > 1 {
                cell = cell.grid_span(c.span);
            }
            match c.vmerge {
                VMerge::Start => cell = cell.vertical_merge(VMergeType::Restart),
                VMerge::Continue => cell = cell.vertical_merge(VMergeType::Continue),
                VMerge::No => {}
            }
            if header {
                cell = cell.shading(Shading::new().fill("D9E1F2"));
            }
            out.push(cell);
            col += c.span;
        }
        let row = TableRow::new(out);
        if header {
            row.cant_split()
        } else {
            row
        }
    };
    let mut rows: Vec<TableRow> = spec.header.iter().map(|r| make_row(r, true)).collect();
    rows.extend(spec.rows.iter().map(|r| make_row(r, false)));
    let t = Table::new(rows)
        .set_grid(grid)
        .layout(TableLayoutType::Fixed)
        .width(text_w as usize, WidthType::Dxa)
        .align(TableAlignmentType::Center);
    if spec.as_supplied || spec.small {
        // Many narrow columns: a half-character of padding each side (the widths count one);
        // 五号 tables of many numeric columns: 1 mm each side, so `1,241.13` fits on one line.
        t.margins(TableCellMargins::new().margin(0, margin, 0, margin))
    } else {
        t
    }
}

/// Word's default left/right cell margin (0.19 cm).
const WORD_CELL_MARGIN: usize = 108;

/// Is this cell text a number as printed (`82.03`, `1,241.13`, `100%`, `≥90%`)?
fn is_numeric(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit()) && text.chars().all(|c| c.is_ascii_digit() || ".,%-+≥≤<>=".contains(c))
}

/// Width in twips of `text` at `size` half-points, generous enough for
/// Times New Roman (Word) and for the serif LibreOffice falls back to
/// without it (DejaVu Serif: digits 0.64 em, `%` 0.95 em): digits 0.65 em,
/// `.` and `,` a third, the rest a full em.
fn numeric_width(text: &str, size: usize) -> usize {
    let em = size * 10;
    let per_mille: usize = text
        .chars()
        .map(|c| match c {
            '0'..='9' => 650,
            '.' | ',' => 330,
            '-' | '+' => 840,
            _ => 1000,
        })
        .sum();
    per_mille * em / 1000
}

/// The cells of `rows` that span one column, with their column (below `columns`).
fn single_cells(rows: &[Vec<Cell>], columns: usize) -> impl Iterator<Item = (usize, &Cell)> {
    rows.iter()
        .flat_map(|row| {
            row.iter().scan(0usize, |col, c| {
                let at = *col;
                *col += c.span;
                Some((at, c))
            })
        })
        .filter(move |(col, c)| c.span == 1 && *col < columns)
}

/// The longest short label kept on one line (in thousandths of an em):
/// `主评人及负责人` (7 em), `前期准备阶段`, `现场评价阶段（含访谈）`; wider
/// ones would take more than the long texts can give (附件1's 三级指标).
const LABEL_MAX: usize = 9000;

/// The width of a short label at `size` (half-points), in twips, if it is
/// one: one line, at most [`LABEL_MAX`]. CJK and other wide characters a
/// full em, digits 0.65, other ASCII 0.6, `.`/`,`/space a third, and a
/// quarter em where Latin letters or digits meet CJK (the space Word and
/// LibreOffice put between them: `12 月 1 日`).
fn label_width(text: &str, size: usize) -> Option<usize> {
    if text.contains('\n') || text.contains(LINE_BREAK) {
        return None;
    }
    let mut per_mille = 0;
    let mut before: Option<char> = None;
    for c in text.chars() {
        per_mille += match c {
            '0'..='9' => 650,
            '.' | ',' | ' ' => 330,
            c if c.is_ascii() => 600,
            _ => 1000,
        };
        if before.is_some_and(|b| {
            b.is_ascii_alphanumeric() != c.is_ascii_alphanumeric()
                && !b.is_ascii_punctuation()
                && !c.is_ascii_punctuation()
                && b != ' '
                && c != ' '
                && b != '—'
                && c != '—'
        }) {
            per_mille += 250;
        }
        before = Some(c);
        if per_mille > LABEL_MAX {
            return None;
        }
    }
    Some(per_mille * size * 10 / 1000)
}

/// A number or a short label never wraps inside its cell: every column
/// holding one (a one-column body cell whose text [`is_numeric`], or is a
/// short label, [`label_width`]) is widened to its widest plus the cell
/// margins, the width taken from the columns that hold neither (the long
/// texts), in proportion to what they have above two characters. Where
/// they cannot give enough, the numbers and labels get what there is.
fn fit_numbers(mut grid: Vec<usize>, spec: &TableSpec, size: usize, margin: usize) -> Vec<usize> {
    let mut need = vec![0usize; grid.len()];
    let mut label = vec![0usize; grid.len()];
    let mut long = vec![false; grid.len()];
    for (col, c) in single_cells(&spec.rows, grid.len()) {
        let text = c.text.trim();
        if is_numeric(text) {
            need[col] = need[col].max(numeric_width(text, size) + 2 * margin + 40);
        } else if let Some(w) = label_width(text, size) {
            label[col] = label[col].max(w + 2 * margin + 40);
        } else {
            long[col] = true;
        }
    }
    // A header of two characters (序号, 得分, 分值) is not broken either;
    // longer headers may wrap, their columns sized by the body.
    for (col, c) in single_cells(&spec.header, grid.len()) {
        if let Some(w) = label_width(c.text.trim(), size).filter(|&w| w <= 2 * size * 10) {
            label[col] = label[col].max(w + 2 * margin + 40);
        }
    }
    // A column with a long text anywhere is a donor, not a label column.
    for ((n, l), long) in need.iter_mut().zip(&label).zip(&long) {
        if !long {
            *n = (*n).max(*l);
        }
    }
    let deficit: usize = grid.iter().zip(&need).map(|(g, n)| n.saturating_sub(*g)).sum();
    if deficit == 0 {
        return grid;
    }
    let floor = 2 * size * 10 + 2 * margin;
    let spare: Vec<usize> =
        grid.iter().zip(&need).map(|(g, n)| if *n == 0 { g.saturating_sub(floor) } else { 0 }).collect();
    let available: usize = spare.iter().sum();
    if available == 0 {
        return grid;
    }
    let given = deficit.min(available);
    let mut taken = 0;
    for (g, s) in grid.iter_mut().zip(&spare) {
        let cut = s * given / available;
        *g -= cut;
        taken += cut;
    }
    // Hand the width over, widest need first; rounding leftovers stay with the last donor.
    let mut left = taken;
    for (g, n) in grid.iter_mut().zip(&need) {
        let add = n.saturating_sub(*g).min(left);
        *g += add;
        left -= add;
    }
    if left > 0 {
        if let Some((g, _)) = grid.iter_mut().zip(&spare).rev().find(|(_, s)| **s > 0) {
            *g += left;
        }
    }
    grid
}

/// What docx-rs cannot say in `styles.xml`: Normal is the default
/// paragraph style (`w:default="1"`), every paragraph has widow/orphan
/// control (Word's own default, which a document without it turns off), and
/// the text is Chinese (`w:lang` zh-CN for East Asian text: spelling,
/// line breaking and fonts in Word/WPS). `docx_fix` orders the elements.
fn word_defaults(styles: &str) -> String {
    styles
        .replacen("<w:pPrDefault><w:pPr>", "<w:pPrDefault><w:pPr><w:widowControl />", 1)
        .replacen(
            "</w:rPr></w:rPrDefault>",
            "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\" /></w:rPr></w:rPrDefault>",
            1,
        )
        .replacen(
            "<w:style w:type=\"paragraph\" w:styleId=\"Normal\">",
            "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">",
            1,
        )
}

/// Text of the placeholder run the chart's drawing replaces after
/// docx-rs has written the document (it cannot write a `w:drawing` of a chart).
const CHART_MARKER: &str = "\u{E000}jixiao-chart\u{E000}";

/// Replace the run holding [`CHART_MARKER`] with `run` (the chart's inline drawing).
fn place_chart(document: &str, run: &str) -> String {
    let Some(at) = document.find(CHART_MARKER) else { return document.to_string() };
    let start = document[..at].rfind("<w:r>").or_else(|| document[..at].rfind("<w:r ")).unwrap_or(at);
    let end = document[at..].find("</w:r>").map_or(at + CHART_MARKER.len(), |e| at + e + "</w:r>".len());
    format!("{}{run}{}", &document[..start], &document[end..])
}

/// Height of the 一级 chart: a band per bar plus the axis labels.
fn chart_height(bars: usize) -> u32 {
    900 + 520 * bars.max(1) as u32
}

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

/// The font table: the Latin fonts docx-rs lists, and every CJK font the
/// report uses declared with its GB2312 charset, panose and the font a
/// stock Windows has (`w:altName`), so Word and WPS fall back to 仿宋,
/// 楷体, 黑体 or 宋体 — not to whatever they pick.
fn font_table(f: &Fonts) -> String {
    // (name, altName, panose)
    const KNOWN: &[(&str, &str, &str)] = &[
        ("仿宋_GB2312", "仿宋", "02010609030101010101"),
        ("仿宋", "FangSong", "02010609060101010101"),
        ("楷体_GB2312", "楷体", "02010609030101010101"),
        ("楷体", "KaiTi", "02010609060101010101"),
        ("黑体", "SimHei", "02010609060101010101"),
        ("宋体", "SimSun", "02010600030101010101"),
        ("方正小标宋简体", "宋体", "02000000000000000000"),
    ];
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">",
    );
    out.push_str("<w:font w:name=\"Times New Roman\"><w:panose1 w:val=\"02020603050405020304\" /><w:charset w:val=\"00\" /><w:family w:val=\"roman\" /><w:pitch w:val=\"variable\" /></w:font>");
    out.push_str("<w:font w:name=\"Symbol\"><w:charset w:val=\"02\" /><w:family w:val=\"roman\" /><w:pitch w:val=\"variable\" /></w:font>");
    out.push_str("<w:font w:name=\"Arial\"><w:charset w:val=\"00\" /><w:family w:val=\"swiss\" /><w:pitch w:val=\"variable\" /></w:font>");
    let mut seen: Vec<&str> = Vec::new();
    for name in [&f.body, &f.heading1, &f.heading2, &f.title, &f.table] {
        if seen.contains(&name.as_str()) || name == &f.latin {
            continue;
        }
        seen.push(name);
        let (alt, panose) = KNOWN
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, a, p)| (*a, *p))
            .unwrap_or(("宋体", "02010600030101010101"));
        out.push_str(&format!(
            "<w:font w:name=\"{}\"><w:altName w:val=\"{}\" /><w:panose1 w:val=\"{panose}\" /><w:charset w:val=\"86\" /><w:family w:val=\"modern\" /><w:pitch w:val=\"fixed\" /></w:font>",
            xml_escape(name),
            xml_escape(alt)
        ));
    }
    out.push_str("</w:fonts>");
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
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

/// Write the DOCX.
pub fn write(input: &Inputs) -> Result<Vec<u8>, DocxError> {
    let f = input.fonts;
    let mut docx = Docx::new()
        .page_size(PAGE_W, PAGE_H)
        .page_margin(page_margin())
        .default_fonts(fonts(&f.body, &f.latin))
        .default_size(BODY)
        .created_at(if input.meta.date.is_empty() { "2025-01-01T00:00:00Z" } else { &input.meta.date })
        .updated_at(if input.meta.date.is_empty() { "2025-01-01T00:00:00Z" } else { &input.meta.date });
    docx = styles(docx, f);
    let headings = toc_headings(input.blocks);
    let mut landscape = false;
    let mut front_matter = 0usize;
    let mut heading_no = 0usize;
    let mut placed: Vec<BarChart> = Vec::new();
    let mut after_chart = false;
    if input.page_markers {
        docx = docx.add_paragraph(page_markers(headings.len()));
    }
    let body_para = |text: &str, indent: bool| {
        let mut p = add_text(
            Paragraph::new().line_spacing(body_spacing()).align(AlignmentType::Both),
            text,
            styled(&f.body, f, BODY),
        );
        if indent {
            p = p.indent(None, Some(SpecialIndentType::FirstLine(INDENT)), None, None);
        }
        p
    };
    for block in input.blocks {
        if !matches!(block, Block::Chart(_) | Block::Caption(_)) {
            after_chart = false;
        }
        docx = match block {
            Block::Title(t) => docx.add_paragraph(add_text(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .line_spacing(LineSpacing::new().line(800).line_rule(LineSpacingType::Exact)),
                t,
                styled(&f.title, f, TITLE),
            )),
            Block::Subtitle(t) => docx.add_paragraph(add_text(
                Paragraph::new().align(AlignmentType::Center).line_spacing(body_spacing()),
                t,
                styled(&f.heading2, f, BODY),
            )),
            Block::Heading(level, t) => {
                let style = format!("Heading{level}");
                let mut p = add_text(Paragraph::new().style(&style).keep_next(true), t, |r| r);
                if headings.get(heading_no).is_some_and(|(l, h)| l == level && h == t) {
                    let id = heading_no + 1;
                    p = p.add_bookmark_start(id, format!("_Toc{id:08}")).add_bookmark_end(id);
                    heading_no += 1;
                }
                docx.add_paragraph(p)
            }
            Block::Paragraph(t) => docx.add_paragraph(body_para(t, true)),
            Block::NoIndent(t) => docx.add_paragraph(body_para(t, false)),
            Block::Center(t) => docx.add_paragraph(body_para(t, false).align(AlignmentType::Center)),
            Block::Right(t) => docx.add_paragraph(body_para(t, false).align(AlignmentType::Right)),
            Block::Caption(t) => {
                // A table's caption is above it (keeps with it); a figure's below.
                let figure = std::mem::take(&mut after_chart);
                docx.add_paragraph(add_text(
                    Paragraph::new().align(AlignmentType::Center).keep_next(!figure).line_spacing(body_spacing()),
                    t,
                    styled(&f.heading1, f, TABLE + 4),
                ))
            }
            Block::PageTitle(t) => docx.add_paragraph(add_text(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .line_spacing(LineSpacing::new().line(LINE).line_rule(LineSpacingType::Exact).after(LINE as u32)),
                t,
                styled(&f.heading1, f, PAGE_TITLE),
            )),
            Block::Indent(n, t) => docx.add_paragraph(
                body_para(t, false).indent(Some(*n as i32 * INDENT / 2), None, None, None).align(AlignmentType::Left),
            ),
            Block::Space(n) => {
                let mut d = docx;
                for _ in 0..*n {
                    d = d.add_paragraph(Paragraph::new().line_spacing(body_spacing()));
                }
                d
            }
            Block::Note(t) => docx.add_paragraph(add_text(
                Paragraph::new().line_spacing(LineSpacing::new().line(400).line_rule(LineSpacingType::Exact)),
                t,
                styled(&f.body, f, TABLE),
            )),
            Block::Table(name) => {
                let spec = input.tables.get(name).ok_or_else(|| DocxError::MissingTable { name: name.clone() })?;
                // Lines the department wrote above its table (`战略目标：…`), once, before it.
                for line in &spec.preamble {
                    docx = docx.add_paragraph(add_text(
                        Paragraph::new().keep_next(true).line_spacing(body_spacing()),
                        line,
                        styled(&f.body, f, TABLE),
                    ));
                }
                let width = if landscape { LANDSCAPE_TEXT_W } else { TEXT_W };
                docx.add_table(table(spec, f, width)).add_paragraph(
                    Paragraph::new().line_spacing(LineSpacing::new().line(200).line_rule(LineSpacingType::Exact)),
                )
            }
            Block::Chart(name) => {
                let Some(c) = input.charts.get(name) else {
                    let known = input.charts.keys().cloned().collect::<Vec<_>>().join("、");
                    return Err(DocxError::UnknownChart { name: name.clone(), known });
                };
                placed.push(c.clone());
                // The chart keeps with the next paragraph: its caption (图题在下),
                // which itself keeps with nothing.
                after_chart = true;
                docx.add_paragraph(
                    Paragraph::new()
                        .align(AlignmentType::Center)
                        .keep_next(true)
                        .add_run(Run::new().add_text(CHART_MARKER)),
                )
            }
            Block::PageBreak => docx.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page))),
            Block::Toc(depth) => {
                let mut toc = TableOfContents::new().heading_styles_range(1, *depth as usize).alias("目录");
                for (i, (level, text)) in headings.iter().enumerate() {
                    let page = input.toc_pages.and_then(|p| p.get(i)).map(|n| n.to_string()).unwrap_or_default();
                    toc = toc.add_item(
                        TableOfContentsItem::new()
                            .text(text)
                            .toc_key(format!("_Toc{:08}", i + 1))
                            .level(*level as usize)
                            .page_ref(page),
                    );
                }
                docx.add_table_of_contents(toc)
            }
            Block::FrontMatterEnd => {
                front_matter = 1;
                docx.add_paragraph(Paragraph::new().section_property(section(false)))
            }
            // A change of orientation ends the section before it.
            Block::Landscape if !landscape => {
                landscape = true;
                docx.add_paragraph(Paragraph::new().section_property(section(false)))
            }
            Block::Portrait if landscape => {
                landscape = false;
                docx.add_paragraph(Paragraph::new().section_property(section(true)))
            }
            Block::Landscape | Block::Portrait => docx,
        };
    }
    if landscape {
        // The document ends on landscape pages: its last section is landscape.
        docx =
            docx.page_size(PAGE_H, PAGE_W).page_orient(PageOrientationType::Landscape).page_margin(landscape_margin());
    }
    docx = docx.footer(footer(f, true)).even_footer(footer(f, false)).page_num_type(PageNumType::new().start(1));
    let mut xml = docx.build();
    // Each part is taken as text once (no copy) and given back once.
    let text = |b: &mut Vec<u8>| package::text(std::mem::take(b));
    // Title and author in the core properties (docx-rs writes `unknown`).
    let author = xml_escape(if input.meta.author.is_empty() { "jixiao" } else { &input.meta.author });
    let core = text(&mut xml.doc_props.core).replace(
        "<dc:creator>unknown</dc:creator><cp:lastModifiedBy>unknown</cp:lastModifiedBy>",
        &format!(
            "<dc:title>{}</dc:title><dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy>",
            xml_escape(&input.meta.title)
        ),
    );
    xml.doc_props.core = core.into_bytes();
    xml.font_table = font_table(f).into_bytes();
    // docx-rs sets the 目录's right tab at 80000 twips, past the page edge.
    let document = text(&mut xml.document).replace("w:pos=\"80000\"", &format!("w:pos=\"{TEXT_W}\""));
    let document = link_sections(&document, front_matter + usize::from(input.page_markers));
    let styles = word_defaults(&text(&mut xml.styles));
    let (document, styles, numberings, settings) =
        crate::render::docx::fix::fix_parts(&document, &styles, &text(&mut xml.numberings), &text(&mut xml.settings));
    xml.styles = styles.into_bytes();
    xml.numberings = numberings.into_bytes();
    xml.settings = settings.into_bytes();
    for part in xml.footers.iter_mut().chain(xml.headers.iter_mut()) {
        *part = crate::render::docx::fix::normalize_part(&text(part)).into_bytes();
    }
    // docx-rs numbers paragraphs from a process-wide counter: renumber them
    // per document so that the same inputs give the same bytes.
    let mut next = 1u32;
    let mut document = renumber_para_ids(&document, &mut next);
    for part in xml.footers.iter_mut().chain(xml.headers.iter_mut()) {
        *part = renumber_para_ids(&text(part), &mut next).into_bytes();
    }
    let parts = [("word/document.xml", document.as_bytes()), ("word/styles.xml", &xml.styles)];
    for (part, bytes) in parts.into_iter().chain(xml.footers.iter().map(|f| ("word/footer.xml", f.as_slice()))) {
        if let Some(offset) = first_invalid_xml_byte(bytes) {
            return Err(DocxError::Malformed { part, offset });
        }
    }
    // Each `@chart` is a chart part of its own (Word edits them separately).
    let charts = placed;
    for (i, c) in charts.iter().enumerate() {
        let height = chart_height(c.categories.len());
        let run = chart::inline_run(&package::chart_rel_id(i + 1), i as u32 + 1, TEXT_W, height, &c.description());
        document = place_chart(&document, &run);
    }
    xml.document = document.into_bytes();
    Ok(package::finish(package::parts(xml), &charts)?)
}

/// Replace every `w14:paraId="…"` with sequential ids from `next`.
fn renumber_para_ids(xml: &str, next: &mut u32) -> String {
    const KEY: &str = "w14:paraId=\"";
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(i) = rest.find(KEY) {
        out.push_str(&rest[..i + KEY.len()]);
        let after = &rest[i + KEY.len()..];
        let end = after.find('"').unwrap_or(0);
        out.push_str(&format!("{:08X}", *next));
        *next += 1;
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_the_width_they_need_from_text_columns() {
        use crate::assemble::table::{l, r};
        let text = "一段需要换行的说明文字，比一个标签长";
        let spec = TableSpec::new("t", vec![80, 10, 10], vec![], vec![vec![l(text), r("1,241,000.13"), r("9")]]);
        let grid = fit_numbers(vec![8000, 1000, 1000], &spec, TABLE, WORD_CELL_MARGIN);
        // 1,241,000.13: 9 digits × 0.65 em + 3 × 0.33 em = 6.84 em of 240 twips, + margins.
        let need = (9 * 650 + 3 * 330) * 240 / 1000 + 2 * WORD_CELL_MARGIN + 40;
        assert_eq!(grid[1], need);
        assert_eq!(grid[2], 1000, "a short number keeps its column");
        assert_eq!(grid.iter().sum::<usize>(), 10000, "the table keeps its width");
        assert!(is_numeric("100.00%") && is_numeric("≥90%") && !is_numeric("12月") && !is_numeric("-"));
    }

    #[test]
    fn short_labels_stay_on_one_line_long_texts_give_the_width() {
        use crate::assemble::table::{c, l};
        // 表2-1: 职务/职称 `主评人及负责人` (7 em) in a column of 20 %.
        let rows = vec![
            vec![c("1"), c("徐淑敏"), c("主评人及负责人"), l("进度及质量把控，方案及报告审核")],
            vec![c("2"), c("殷允琴"), c("项目经理"), l("现场指标的评价、信息收集与整理，及其他很长的说明")],
        ];
        let spec = TableSpec::new("2-1", vec![8, 14, 20, 58], vec![], rows);
        let grid = fit_numbers(vec![707, 1238, 1769, 5130], &spec, TABLE, WORD_CELL_MARGIN);
        let need = 7 * 240 + 2 * WORD_CELL_MARGIN + 40;
        assert_eq!(grid[2], need, "the label column fits 主评人及负责人");
        assert_eq!(grid[1], 1238, "a column wide enough keeps its width");
        assert_eq!(grid.iter().sum::<usize>(), 8844, "the table keeps its width");
        assert!(grid[3] < 5130, "the long text gave the width");
        // A label column with a long text anywhere is a donor; no label past 9 em.
        // 4 digits, 1 CJK and their meeting; a date range is past a label (10.4 em).
        assert_eq!(label_width("2024年", 20), Some((4 * 650 + 1000 + 250) * 200 / 1000));
        assert_eq!(label_width("12月1日—12月5日", 20), None);
        assert_eq!(label_width("一二三四五六七八九十", 20), None);
        assert_eq!(label_width("两行\n文字", 20), None);
    }

    #[test]
    fn dates_of_the_core_properties() {
        assert_eq!(Meta::date_of("2025年12月"), "2025-12-01T00:00:00Z");
        assert_eq!(Meta::date_of("2025-08-26"), "2025-08-26T00:00:00Z");
        assert_eq!(Meta::date_of("2022年5月19日"), "2022-05-19T00:00:00Z");
        assert_eq!(Meta::date_of("【待填：项目信息“报告日期”】"), "");
    }

    #[test]
    fn only_the_placeholders_are_marked() {
        assert_eq!(
            placeholder_parts("受【待填：项目信息“委托方”】委托，【待填】。"),
            [("受", false), ("【待填：项目信息“委托方”】", true), ("委托，", false), ("【待填】", true), ("。", false)]
        );
        assert_eq!(placeholder_parts("全文"), [("全文", false)]);
        assert_eq!(placeholder_parts("未闭合【待填："), [("未闭合【待填：", false)]);
        assert_eq!(placeholder_parts(""), [("", false)]);
    }
}
