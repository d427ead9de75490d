//! A data table of the working paper (`表：名称`): its header, at most
//! 10 000 rows, text columns, merged cells, and a 提示 for each 合计/总计
//! that is not the sum of its rows.

use rust_decimal::Decimal;

use crate::model::value::{decimal_from_f64, parse_number_text, NumberText};
use crate::model::working_paper::{PaperCell, PaperRow, PaperTable};
use crate::model::Problem;

use super::grid::{Grid, Raw};
use super::working_paper::records;

/// A data table: a column holding more text than numbers (or whose header
/// has 说明, 备注 or 名称) is a text column; text in a number column is an
/// 错误 naming the cell.
pub(super) fn data_table(g: &Grid, name: String, problems: &mut Vec<Problem>) -> PaperTable {
    let mut cols = Vec::new();
    let data_rows: Vec<u32> = records(g, &mut cols).iter().map(|r| r.row).take(10_000).collect();
    let columns: Vec<String> = cols.iter().map(|(h, _)| h.clone()).collect();
    let Some(&(_, label_col)) = cols.first() else {
        return PaperTable { name, columns, rows: Vec::new(), merges: Vec::new() };
    };
    let text_cols: Vec<bool> = cols[1..].iter().map(|(h, c)| is_text_column(g, &data_rows, *c, h)).collect();
    let mut rows = Vec::new();
    for &row in &data_rows {
        let label = g.get(row, label_col).text.trim().to_string();
        let values = cols[1..]
            .iter()
            .zip(&text_cols)
            .map(|((h, c), text)| paper_cell(g, row, *c, (h, *text), &name, problems))
            .collect();
        rows.push(PaperRow { label, values, at: g.at(row, label_col) });
    }
    let merges = body_merges(g, &data_rows, &cols);
    let table = PaperTable { name, columns, rows, merges };
    check_totals(g, &table, &data_rows, &cols, &text_cols, problems);
    table
}

/// Does the column hold text (a 说明/备注/名称 header, or more text cells than numbers)?
fn is_text_column(g: &Grid, rows: &[u32], c: u32, header: &str) -> bool {
    if ["说明", "备注", "名称"].iter().any(|w| header.contains(w)) {
        return true;
    }
    let (mut numbers, mut texts) = (0usize, 0usize);
    for &r in rows {
        let cell = g.get(r, c);
        match &cell.raw {
            Raw::Empty => {}
            _ if cell.merged => {}
            Raw::Number(_) => numbers += 1,
            _ => match parse_number_text(&cell.text) {
                NumberText::Number(_) => numbers += 1,
                NumberText::Empty | NumberText::NotApplicable => {}
                _ => texts += 1,
            },
        }
    }
    texts > numbers
}

/// One cell of a data table: a number, or text in a text column (text in
/// a number column is kept and reported).
fn paper_cell(
    g: &Grid,
    row: u32,
    c: u32,
    (h, text_col): (&str, bool),
    name: &str,
    problems: &mut Vec<Problem>,
) -> PaperCell {
    let cell = g.get(row, c);
    match &cell.raw {
        Raw::Empty => PaperCell::Empty,
        _ if text_col => PaperCell::Text(cell.text.clone()),
        Raw::Number(f) => decimal_from_f64(*f).map(|d| PaperCell::Number(d, g.at(row, c))).unwrap_or(PaperCell::Empty),
        _ => match parse_number_text(&cell.text) {
            NumberText::Number(d) => PaperCell::Number(d, g.at(row, c)),
            NumberText::Empty => PaperCell::Empty,
            _ if cell.merged => PaperCell::Text(cell.text.clone()),
            _ => {
                problems.push(Problem::at(
                    "paper.table_number",
                    &g.at(row, c),
                    format!(
                        "表“{name}”的“{h}”列应填数字，单元格却是“{}”。请改为数字（说明文字请放在“说明”列）。",
                        cell.text
                    ),
                ));
                PaperCell::Text(cell.text.clone())
            }
        },
    }
}

/// The sheet's merged regions inside the table's body, in body rows and
/// table columns.
fn body_merges(g: &Grid, rows: &[u32], cols: &[(String, u32)]) -> Vec<(usize, usize, usize, usize)> {
    let row_of = |r: u32| rows.iter().position(|&x| x == r);
    let col_of = |c: u32| cols.iter().position(|(_, x)| *x == c);
    g.merges
        .iter()
        .filter_map(|&(r0, c0, r1, c1)| {
            let m = (row_of(r0)?, col_of(c0)?, row_of(r1)?, col_of(c1)?);
            // Every row and column of the region is in the table, none skipped.
            (m.2 - m.0 == (r1 - r0) as usize && m.3 - m.1 == (c1 - c0) as usize && (m.0, m.1) != (m.2, m.3))
                .then_some(m)
        })
        .collect()
}

/// A column of shares or averages, whose 合计 is not a sum.
fn not_summed(header: &str) -> bool {
    ["率", "比", "%", "％", "占", "平均", "均", "单价", "标准"].iter().any(|w| header.contains(w))
}

/// Each 合计/总计 row against the sum of the detail rows (not 小计, not
/// `其中` rows): a difference of more than half a cent is a 提示 naming the
/// cell, the printed and the computed value.
fn check_totals(
    g: &Grid,
    t: &PaperTable,
    rows: &[u32],
    cols: &[(String, u32)],
    text_cols: &[bool],
    problems: &mut Vec<Problem>,
) {
    let detail: Vec<usize> = (0..t.rows.len()).filter(|&i| !t.rows[i].is_total() && !t.rows[i].is_part()).collect();
    for total in t.rows.iter().filter(|r| r.is_total()) {
        for (k, (h, c)) in cols.iter().enumerate().skip(1) {
            if text_cols[k - 1] || not_summed(h) {
                continue;
            }
            let Some(PaperCell::Number(printed, at)) = total.values.get(k - 1) else { continue };
            let parts: Vec<Decimal> = detail
                .iter()
                .filter(|&&j| !g.get(rows[j], *c).merged)
                .filter_map(|&j| match t.rows[j].values.get(k - 1) {
                    Some(PaperCell::Number(d, _)) => Some(*d),
                    _ => None,
                })
                .collect();
            if parts.len() < 2 {
                continue;
            }
            let sum: Decimal = parts.iter().sum();
            if (sum - printed).abs() > Decimal::new(5, 3) {
                problems.push(
                    Problem::at(
                        "paper.table_total",
                        at,
                        format!(
                            "表“{}”“{}”行的“{h}”为 {}，各行之和为 {}（相差 {}）。请核对合计或各行数字。",
                            t.name,
                            total.label,
                            printed.normalize(),
                            sum.normalize(),
                            (printed - sum).normalize()
                        ),
                    )
                    .note(),
                );
            }
        }
    }
}
