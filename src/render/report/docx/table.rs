//! Report tables: fixed layout at the text width, shaded header rows,
//! merged cells, and columns widened so numbers and short labels never wrap.

use docx_rs::*;

use super::runs::add_text;
use super::style::{styled, Fonts, TABLE, TABLE_SMALL, TABLE_TINY};
use crate::assemble::report_table::{Align, Cell, ReportTable as TableSpec, VMerge};
use crate::model::value::LINE_BREAK;

/// A table of at most this many body rows, no higher than half a page
/// (estimated, [`estimated_height`]), is kept on one page: every paragraph of
/// every row but the last keeps with the next (the caption above already
/// does), and no row splits (`render::docx::fix` gives every row of a table
/// so kept `w:cantSplit`). A higher one may break: moved whole, it would
/// leave most of a page blank.
pub(super) const KEPT_ROWS: usize = 10;

fn cell_paragraph(c: &Cell, text: &str, f: &Fonts, size: usize, header: bool, keep_next: bool) -> Paragraph {
    let align = match c.align {
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
    };
    let bold = c.bold || header;
    let style = styled(&f.table, f, size);
    let p = Paragraph::new().align(align).line_spacing(LineSpacing::new().line(300).line_rule(LineSpacingType::Auto));
    add_text(p.keep_next(keep_next), text, |r| if bold { style(r).bold() } else { style(r) })
}

/// A table: fixed layout at the width of the page's text (`page`: its width
/// and height), header rows shaded, repeated on every page (marked with
/// `cant_split`, which `render::docx::fix` turns into `w:tblHeader`), merged
/// cells, numbers right-aligned; a short one kept on one page ([`KEPT_ROWS`]).
pub(super) fn table(spec: &TableSpec, f: &Fonts, page: (u32, u32)) -> Table {
    let (text_w, text_h) = page;
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
    let look = Look { grid: &grid, f, size, margin };
    let kept = spec.rows.len() <= KEPT_ROWS && estimated_height(spec, &grid, size, margin) <= text_h as usize / 2;
    let count = spec.header.len() + spec.rows.len();
    let rows: Vec<TableRow> = spec
        .header
        .iter()
        .map(|r| (r, true))
        .chain(spec.rows.iter().map(|r| (r, false)))
        .enumerate()
        .map(|(i, (cells, header))| look.row(cells, header, kept && i + 1 < count))
        .collect();
    let t = Table::new(rows)
        .set_grid(grid.clone())
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

/// How a table's cells are set: its column widths, fonts, size and cell margin.
struct Look<'a> {
    grid: &'a [usize],
    f: &'a Fonts,
    size: usize,
    margin: usize,
}

impl Look<'_> {
    /// A row of `cells`; a header row shaded and marked `cant_split`, its
    /// short labels on two even lines where the column is narrower than one
    /// ([`header_text`]); `keep_next`: its paragraphs keep with the next row.
    fn row(&self, cells: &[Cell], header: bool, keep_next: bool) -> TableRow {
        let mut col = 0;
        let mut out = Vec::new();
        for c in cells {
            let width: usize = self.grid[col.min(self.grid.len())..(col + c.span).min(self.grid.len())].iter().sum();
            let text = if header { header_text(&c.text, width, self.size, self.margin) } else { c.text.clone() };
            let mut cell = TableCell::new()
                .add_paragraph(cell_paragraph(c, &text, self.f, self.size, header, keep_next))
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
    }
}

/// A rough height of the table in twips: each row as high as its tallest
/// cell, a cell's text wrapped in its width (CJK a full em, ASCII 0.6) on
/// lines of 1.5 em.
fn estimated_height(spec: &TableSpec, grid: &[usize], size: usize, margin: usize) -> usize {
    let em = size * 10;
    let row_height = |cells: &[Cell]| {
        let mut col = 0;
        let mut tallest = 1;
        for c in cells {
            let width: usize = grid[col.min(grid.len())..(col + c.span).min(grid.len())].iter().sum();
            let inside = width.saturating_sub(2 * margin).max(em);
            let lines: usize = c
                .text
                .split(['\n', LINE_BREAK])
                .map(|line| {
                    let w: usize =
                        line.chars().map(|ch| if ch.is_ascii() { 600 } else { 1000 }).sum::<usize>() * em / 1000;
                    w.div_ceil(inside).max(1)
                })
                .sum();
            tallest = tallest.max(lines);
            col += c.span;
        }
        tallest * em * 3 / 2
    };
    spec.header.iter().chain(&spec.rows).map(|r| row_height(r)).sum()
}

/// The longest header kept on one line where the columns allow (in
/// thousandths of an em): six characters, `预决算差异率`.
const HEADER_MAX: usize = 6000;

/// A short header label (four to six characters, [`HEADER_MAX`]) cut in two
/// even lines (`中央` / `资金`, `预决算` / `差异率`; before a bracket:
/// `收入` / `（万元）`); None for any other text.
fn header_halves(text: &str) -> Option<(&str, &str)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    if chars.len() < 4 || label_ems(text).is_none_or(|w| w > HEADER_MAX) {
        return None;
    }
    let bracket = chars.iter().position(|(_, c)| matches!(c, '（' | '('));
    let at = bracket.filter(|&i| i >= 2 && i + 2 <= chars.len()).unwrap_or(chars.len().div_ceil(2));
    let cut = chars[at].0;
    Some((&text[..cut], &text[cut..]))
}

/// A header cell's text in a column `width` twips wide: a short label
/// ([`header_halves`]) that does not fit on one line on two even lines, not
/// broken wherever the width runs out (`中央资` / `金`); else as it is.
fn header_text(text: &str, width: usize, size: usize, margin: usize) -> String {
    let inside = width.saturating_sub(2 * margin);
    match header_halves(text.trim()) {
        Some((a, b)) if label_width(text.trim(), size).is_some_and(|w| w > inside) => format!("{a}{LINE_BREAK}{b}"),
        _ => text.to_string(),
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
    label_ems(text).map(|per_mille| per_mille * size * 10 / 1000)
}

/// [`label_width`] in thousandths of an em.
fn label_ems(text: &str) -> Option<usize> {
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
    Some(per_mille)
}

/// A number or a short label never wraps inside its cell: every column
/// holding one (a one-column body cell whose text [`is_numeric`], or is a
/// short label, [`label_width`]) is widened to its widest plus the cell
/// margins, the width taken from the columns that hold neither (the long
/// texts), in proportion to what they have above two characters. Where
/// they cannot give enough, the numbers and labels get what there is. A
/// short header ([`header_widths`]) is kept on one line where the long texts
/// can give that, else on two even lines.
fn fit_numbers(grid: Vec<usize>, spec: &TableSpec, size: usize, margin: usize) -> Vec<usize> {
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
    // A column with a long text anywhere is a donor, not a label column.
    let with_header = |header: Vec<usize>| -> Vec<usize> {
        (0..grid.len()).map(|i| if long[i] { need[i] } else { need[i].max(label[i]).max(header[i]) }).collect()
    };
    let floor = 2 * size * 10 + 2 * margin;
    let one_line = with_header(header_widths(spec, grid.len(), size, margin, false));
    let need = if shortfall(&grid, &one_line, floor) == 0 {
        one_line
    } else {
        with_header(header_widths(spec, grid.len(), size, margin, true))
    };
    give_width(grid, &need, floor)
}

/// The width each column wants for its short header (up to [`HEADER_MAX`]:
/// 序号, 自评结果, 预决算差异率) on one line, or with `halves` on two even
/// lines ([`header_halves`]); 0 where the header is longer or spans columns.
fn header_widths(spec: &TableSpec, columns: usize, size: usize, margin: usize, halves: bool) -> Vec<usize> {
    let mut want = vec![0usize; columns];
    for (col, c) in single_cells(&spec.header, columns) {
        let text = c.text.trim();
        let Some(w) = label_ems(text).filter(|&w| w <= HEADER_MAX).map(|w| w * size / 100) else { continue };
        let w = match header_halves(text) {
            Some((a, b)) if halves => label_width(a, size).max(label_width(b, size)).unwrap_or(w),
            _ => w,
        };
        want[col] = want[col].max(w + 2 * margin + 40);
    }
    want
}

/// What `need` asks of `grid` beyond what the donors (the columns that
/// need nothing) can give above `floor`.
fn shortfall(grid: &[usize], need: &[usize], floor: usize) -> usize {
    let deficit: usize = grid.iter().zip(need).map(|(g, n)| n.saturating_sub(*g)).sum();
    let available: usize = grid.iter().zip(need).map(|(g, n)| if *n == 0 { g.saturating_sub(floor) } else { 0 }).sum();
    deficit.saturating_sub(available)
}

/// Each column widened to its `need`, the width taken from the columns that
/// need nothing (above `floor`), in proportion to what they have; where they
/// cannot give enough, the columns get what there is.
fn give_width(mut grid: Vec<usize>, need: &[usize], floor: usize) -> Vec<usize> {
    let deficit: usize = grid.iter().zip(need).map(|(g, n)| n.saturating_sub(*g)).sum();
    if deficit == 0 {
        return grid;
    }
    let spare: Vec<usize> =
        grid.iter().zip(need).map(|(g, n)| if *n == 0 { g.saturating_sub(floor) } else { 0 }).collect();
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
    // Hand the width over, column by column; rounding leftovers stay with the last donor.
    let mut left = taken;
    for (g, n) in grid.iter_mut().zip(need) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_the_width_they_need_from_text_columns() {
        use crate::assemble::report_table::{l, r};
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
        use crate::assemble::report_table::{c, l};
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

    /// The cell paragraphs of `spec` laid out on a portrait page that keep with the next.
    fn kept_paragraphs(spec: &TableSpec) -> usize {
        let xml = String::from_utf8(table(spec, &Fonts::default(), (8844, 12756)).build()).unwrap();
        xml.matches("<w:keepNext />").count()
    }

    #[test]
    fn a_short_table_keeps_on_one_page_a_long_or_high_one_may_break() {
        use crate::assemble::report_table::{c, l};
        let header = vec![vec![c("序号"), c("姓名"), c("任务职责")]];
        let rows = |n: usize, text: &str| (1..=n).map(|i| vec![c(i.to_string()), c("徐淑敏"), l(text)]).collect();
        // 表2-1: a header and seven rows; every paragraph but the last row's keeps with the next.
        let seven = TableSpec::new("2-1", vec![10, 20, 70], header.clone(), rows(7, "进度及质量把控"));
        assert_eq!(kept_paragraphs(&seven), 3 * 7);
        let eleven = TableSpec::new("t", vec![10, 20, 70], header.clone(), rows(KEPT_ROWS + 1, "进度及质量把控"));
        assert_eq!(kept_paragraphs(&eleven), 0, "more than ten rows may break");
        let high = TableSpec::new("t", vec![10, 20, 70], header, rows(4, &"很长的说明文字".repeat(60)));
        assert_eq!(kept_paragraphs(&high), 0, "higher than half a page may break");
    }

    #[test]
    fn short_headers_on_one_line_or_two_even_ones() {
        assert_eq!(header_halves("中央资金"), Some(("中央", "资金")));
        assert_eq!(header_halves("预决算差异率"), Some(("预决算", "差异率")));
        assert_eq!(header_halves("收入（万元）"), Some(("收入", "（万元）")));
        assert_eq!(header_halves("序号"), None);
        assert_eq!(header_halves("得分率"), None);
        assert_eq!(header_halves("一二三四五六七"), None, "past six characters a header wraps as it will");
        // 4 characters of 240 twips and the margins: one line from 960 + 216 twips on.
        assert_eq!(header_text("自评结果", 1176, TABLE, WORD_CELL_MARGIN), "自评结果");
        assert_eq!(header_text("中央资金", 1100, TABLE, WORD_CELL_MARGIN), format!("中央{LINE_BREAK}资金"));
        assert_eq!(header_text("序号", 300, TABLE, WORD_CELL_MARGIN), "序号");
    }

    #[test]
    fn a_short_header_gets_its_line_from_the_long_texts() {
        use crate::assemble::report_table::{c, l, r};
        // 表1-1: 预决算差异率 (6 em) over a column of rates, the long 项目 the donor.
        let header = vec![vec![c("序号"), c("项目"), c("预算数"), c("决算数"), c("预决算差异率")]];
        let rows =
            vec![vec![c("一"), l("国有资本经营预算收入及其他很长的说明"), r("12,847.65"), r("8,848.19"), r("31.13%")]];
        let spec = TableSpec::new("1-1", vec![8, 44, 16, 16, 16], header, rows);
        let grid = fit_numbers(vec![707, 3891, 1415, 1415, 1415], &spec, TABLE, WORD_CELL_MARGIN);
        assert_eq!(grid[4], 6 * 240 + 2 * WORD_CELL_MARGIN + 40, "预决算差异率 on one line");
        assert_eq!(grid.iter().sum::<usize>(), 8843);
        // 表3-2: eight columns of 中央资金, 省级资金 …: no room for one line each, two even ones.
        let header = vec![std::iter::once(c("序号")).chain((0..8).map(|_| c("中央资金"))).collect::<Vec<_>>()];
        let rows = vec![std::iter::once(c("1")).chain((0..8).map(|_| r("33.00"))).collect::<Vec<_>>()];
        let spec = TableSpec::new("3-2", vec![1; 9], header, rows);
        let grid = fit_numbers(vec![982; 9], &spec, TABLE, WORD_CELL_MARGIN);
        assert!(grid[1..].iter().all(|&g| g >= 2 * 240 + 2 * WORD_CELL_MARGIN + 40), "{grid:?}");
        assert_eq!(header_text("中央资金", grid[1], TABLE, WORD_CELL_MARGIN), format!("中央{LINE_BREAK}资金"));
    }
}
