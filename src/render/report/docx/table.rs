//! Report tables: fixed layout at the text width, shaded header rows,
//! merged cells, and columns widened so numbers and short labels never wrap.

use docx_rs::*;

use super::runs::add_text;
use super::style::{styled, Fonts, TABLE, TABLE_SMALL, TABLE_TINY};
use crate::assemble::report_table::{Align, Cell, ReportTable as TableSpec, VMerge};
use crate::model::value::LINE_BREAK;

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
/// every page (marked with `cant_split`, which `render::docx::fix` turns into
/// `w:tblHeader`), merged cells, numbers right-aligned.
pub(super) fn table(spec: &TableSpec, f: &Fonts, text_w: u32) -> Table {
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
}
