//! The 二级 subtotal tables (表7–表10 of a report): `level2` — every 二级
//! under its 一级 — and `level2-<一级名>` — one 一级's 二级 with its
//! subtotal as 合计. Scores, 分值 and 得分率 with two decimals.

use rust_decimal::Decimal;

use super::report_table::{c, merge_down, Cell, ReportTable};
use super::table_builders::{rate_cell, score_cell, weight_cell};
use super::{Level1Score, ScoreInfo};

fn header(first: &[&str]) -> Vec<Vec<Cell>> {
    let mut row: Vec<Cell> = first.iter().map(|h| c(*h)).collect();
    row.extend([c("分值"), c("得分"), c("得分率")]);
    vec![row]
}

fn figures(weight: Decimal, score: Option<Decimal>, rate: Option<Decimal>) -> [Cell; 3] {
    [weight_cell(weight), score_cell(score), rate_cell(rate)]
}

/// `level2`: 一级 (merged down), 二级, 分值, 得分, 得分率, then the 合计.
fn all(score: &ScoreInfo) -> ReportTable {
    let mut rows: Vec<Vec<Cell>> = score
        .level2
        .iter()
        .map(|l| {
            let mut row = vec![c(&l.level1), c(&l.name)];
            row.extend(figures(l.weight, l.score, l.rate));
            row
        })
        .collect();
    let keys: Vec<&str> = score.level2.iter().map(|l| l.level1.as_str()).collect();
    merge_down(&mut rows, 0, &keys);
    let weight: Decimal = score.level1.iter().map(|l| l.weight).sum();
    let mut total = vec![c("合计").span(2).bold()];
    total.extend(
        figures(weight, score.total, score.total.and_then(|t| super::scores::rate_of(t, weight))).map(Cell::bold),
    );
    rows.push(total);
    let mut t = ReportTable::new("level2", vec![24, 34, 14, 14, 14], header(&["一级指标", "二级指标"]), rows);
    t.group_columns = vec![0];
    t.total = true;
    t
}

/// `level2-<一级名>`: that 一级's 二级, then its subtotal as 合计.
fn of_level1(score: &ScoreInfo, l1: &Level1Score) -> ReportTable {
    let mut rows: Vec<Vec<Cell>> = score
        .level2
        .iter()
        .filter(|l| l.level1 == l1.name)
        .map(|l| {
            let mut row = vec![c(&l.name)];
            row.extend(figures(l.weight, l.score, l.rate));
            row
        })
        .collect();
    let mut total = vec![c("合计").bold()];
    total.extend(figures(l1.weight, l1.score, l1.rate).map(Cell::bold));
    rows.push(total);
    let mut t = ReportTable::new(&format!("level2-{}", l1.name), vec![40, 20, 20, 20], header(&["二级指标"]), rows);
    t.total = true;
    t
}

/// `level2` and one `level2-<一级名>` per 一级.
pub fn tables(score: &ScoreInfo) -> Vec<ReportTable> {
    let mut tables = vec![all(score)];
    tables.extend(score.level1.iter().map(|l1| of_level1(score, l1)));
    tables
}
