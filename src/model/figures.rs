//! The department's headline figures and the rates between them, each read
//! or computed in exactly one place: the scoring metrics, the check stage
//! and the assembled evaluation all ask here.
//!
//! | figure | source |
//! |---|---|
//! | 年初预算数 | 预算 表三 合计 |
//! | 全年预算数 | 评价底稿 › 事实 “全年预算数”, else the 部门整体支出绩效自评表's 调整后预算数 |
//! | 决算支出 | 决算 公开03表 本年支出合计 |
//! | 预算执行率 | 决算支出 / 全年预算数 × 100 % ([`share_rate`]) |
//! | 预决算差异率 | (决算 − 年初预算) / 年初预算 × 100 %, signed ([`difference_rate`]) |
//! | 预算 表十一 projects | [`budget_projects`] |
//!
//! ```
//! use rust_decimal_macros::dec;
//! use jixiao::model::figures::{difference_rate, share_rate};
//! assert_eq!(difference_rate(dec!(8848.19), dec!(12847.65)), Some(dec!(-31.13)));
//! assert_eq!(share_rate(dec!(8848.19), dec!(8848.19)), Some(dec!(100.00)));
//! assert_eq!(share_rate(dec!(1), dec!(0)), None);
//! ```

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::value::round2;
use super::{Case, Row, RowKind, Table, TableKind};

/// A figure with where it came from: `file › sheet › cell`, a working-paper
/// row, or `计算：…` for a computed one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
    pub source: String,
}

impl Figure {
    pub fn new(value: Decimal, source: impl Into<String>) -> Figure {
        Figure { value: value.normalize(), source: source.into() }
    }

    /// A figure computed from others.
    pub fn computed(value: Decimal, formula: impl AsRef<str>) -> Figure {
        Figure::new(value, format!("计算：{}", formula.as_ref()))
    }
}

/// `part / whole × 100`, 2 decimals; None for a zero whole (never a 0 % rate).
pub fn share_rate(part: Decimal, whole: Decimal) -> Option<Decimal> {
    (!whole.is_zero()).then(|| round2(part / whole * Decimal::ONE_HUNDRED))
}

/// `part / whole` as a fraction, 4 decimals: [`share_rate`] / 100, so a
/// fraction and the % shown from it never disagree (the same half-up
/// rounding); None for a zero whole.
pub fn share_fraction(part: Decimal, whole: Decimal) -> Option<Decimal> {
    share_rate(part, whole).map(|r| r / Decimal::ONE_HUNDRED)
}

/// `(actual − base) / base × 100`, signed, 2 decimals; None for a zero base.
/// 预决算差异率 and every 预算 ↔ 决算 line rate.
pub fn difference_rate(actual: Decimal, base: Decimal) -> Option<Decimal> {
    share_rate(actual - base, base)
}

fn cell_figure(row: &Row, col: usize) -> Figure {
    let source = row.values.get(col).map(|v| v.at.to_string()).unwrap_or_else(|| row.at.to_string());
    Figure::new(row.amount(col), source)
}

/// The 合计 row's amount in the first column whose key holds every part.
pub fn total_of(case: &Case, kind: TableKind, year: Option<i32>, col: &[&str]) -> Option<Figure> {
    let (row, c) = case.table(kind, year)?.total_cell(col)?;
    Some(cell_figure(row, c))
}

/// The first-column amount of the row with this code, in any block (zero,
/// citing the table, when the table has no such line).
pub fn code_line(case: &Case, kind: TableKind, year: Option<i32>, code: &str) -> Option<Figure> {
    let t = case.table(kind, year)?;
    Some(match t.code_row(code) {
        Some(row) => cell_figure(row, 0),
        None => Figure::new(Decimal::ZERO, format!("{}（无 {code} 行）", t.first_location())),
    })
}

/// The first-column amount of the first row whose label contains `label`.
pub fn labelled_line(case: &Case, kind: TableKind, year: Option<i32>, label: &str) -> Option<Figure> {
    let t = case.table(kind, year)?;
    let row = t.blocks.iter().flat_map(|b| b.rows.iter()).find(|r| r.label.contains(label))?;
    Some(cell_figure(row, 0))
}

/// A "三公" table's first row, in the column under `group` holding `what`.
pub fn three_public(case: &Case, kind: TableKind, year: Option<i32>, group: &str, what: &str) -> Option<Figure> {
    let t = case.table(kind, year)?;
    let b = t.main();
    let c = b.column(&[group, what])?;
    Some(cell_figure(b.rows.first()?, c))
}

/// A line of a side block (`收入`) by label, in its 金额/预算数 column.
pub fn income_line(case: &Case, kind: TableKind, year: Option<i32>, label: &str) -> Option<Figure> {
    let t = case.table(kind, year)?;
    let blk = t.block("收入")?;
    let col = blk.column(&["金额"]).or(blk.column(&["预算数"])).unwrap_or(0);
    let row = blk.rows.iter().find(|r| r.label.contains(label))?;
    Some(cell_figure(row, col))
}

/// 年初预算数: 预算 表三 合计.
pub fn initial_budget(case: &Case, year: Option<i32>) -> Option<Figure> {
    total_of(case, TableKind::Budget03, year, &["合计"])
}

/// 决算支出: 公开03表 本年支出合计.
pub fn final_spending(case: &Case, year: Option<i32>) -> Option<Figure> {
    total_of(case, TableKind::Final03, year, &["本年支出合计"])
}

/// 全年预算数 (调整后预算): the working paper's fact, else the 部门整体支出绩效自评表's.
pub fn full_year_budget(case: &Case) -> Option<Figure> {
    if let Some(f) = case.working_paper.as_ref().and_then(|p| p.fact("全年预算数")) {
        if let Some(d) = f.number() {
            return Some(Figure::new(d, f.at.to_string()));
        }
    }
    case.dept_self_evals
        .iter()
        .find_map(|d| d.budget.as_ref().and_then(|v| v.value.number().map(|n| Figure::new(n, v.at.to_string()))))
}

/// One project line of 预算 表十一 (项目支出表).
#[derive(Debug, Clone)]
pub struct BudgetProject<'a> {
    pub row: &'a Row,
    /// 合计 column.
    pub amount: Decimal,
}

/// The projects of 预算 表十一 for the year (the year's table, else one
/// without a year): every labelled line but the 合计. The one reading of
/// 表十一 for the checks, the sampling coverage and table 1-2.
pub fn budget_projects(case: &Case, year: Option<i32>) -> Option<(&Table, Vec<BudgetProject<'_>>)> {
    let t = case.table(TableKind::Budget11, year)?;
    let c = t.column(&["合计"]).unwrap_or(0);
    let rows = t
        .main()
        .rows
        .iter()
        .filter(|r| r.kind != RowKind::Total && !r.label.is_empty())
        .map(|row| BudgetProject { row, amount: row.amount(c) })
        .collect();
    Some((t, rows))
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn a_share_is_rounded_half_up_to_two_decimals() {
        assert_eq!(share_rate(dec!(1), dec!(3)), Some(dec!(33.33)));
        assert_eq!(share_rate(dec!(2), dec!(3)), Some(dec!(66.67)));
        // An exact midpoint goes up (never to the even neighbour).
        assert_eq!(share_rate(dec!(12.345), dec!(100)), Some(dec!(12.35)));
        assert_eq!(share_rate(dec!(12.325), dec!(100)), Some(dec!(12.33)));
        assert_eq!(share_rate(dec!(1), dec!(0)), None);
    }

    #[test]
    fn a_difference_rate_is_signed() {
        assert_eq!(difference_rate(dec!(8848.19), dec!(12847.65)), Some(dec!(-31.13)));
        assert_eq!(difference_rate(dec!(110), dec!(100)), Some(dec!(10.00)));
        assert_eq!(difference_rate(dec!(5), dec!(0)), None);
    }

    #[test]
    fn a_fraction_is_the_rate_over_a_hundred() {
        assert_eq!(share_fraction(dec!(0.12345), dec!(1)), Some(dec!(0.1235)));
        assert_eq!(share_fraction(dec!(1), dec!(3)), Some(dec!(0.3333)));
        assert_eq!(share_fraction(dec!(2), dec!(3)), Some(dec!(0.6667)));
        assert_eq!(share_fraction(dec!(1), dec!(0)), None);
    }
}
