//! A 决算 table's 全年预算数 against the 预算 of the same year: the year's
//! 预算调整, code by code.

use rust_decimal::Decimal;

use crate::check::{short_name, workbook_of, Ctx, Finding};
use crate::model::{Block, Provenance, Row, RowKind, Severity, Table};

use super::budget_final::{ColumnPairs, FINAL_BUDGET_PAIRS};

/// `+13.76` / `-18.98`.
fn signed_amount(d: Decimal) -> String {
    let s = crate::model::value::fmt_amount(d);
    if d.is_sign_negative() || d.is_zero() {
        s
    } else {
        format!("+{s}")
    }
}

/// A 决算 table's 全年预算数 (调整后预算) columns against the 预算 table of the
/// same year, code by code (the 合计 and every code without sub-codes): a
/// difference is the year's 预算调整, a 提示 stating it — an adjusted
/// budget is not an 错误. A code the 预算 table lacks had 年初无预算.
pub(super) fn adjusted_budget(ctx: &mut Ctx, y: i32) {
    let case = ctx.case;
    for &(fk, bk, columns) in FINAL_BUDGET_PAIRS {
        let (Some(tf), Some(tb)) = (case.table(fk, Some(y)), case.table(bk, Some(y))) else { continue };
        let (bf, bb) = (tf.main(), tb.main());
        if bf.budget_columns().next().is_none() {
            continue;
        }
        let pairs = budget_column_pairs(bf, bb, columns);
        if pairs.is_empty() {
            continue;
        }
        for rf in leaf_rows(bf) {
            if let Some(finding) = adjustment(y, tf, tb, rf, &pairs) {
                ctx.findings.push(finding);
            }
        }
    }
}

/// (全年预算数 column, 预算 column, label): the total first.
fn budget_column_pairs(bf: &Block, bb: &Block, columns: ColumnPairs) -> Vec<(usize, usize, &'static str)> {
    columns
        .iter()
        .filter_map(|&(fcol, bcol, label)| {
            let last = fcol.last().copied().unwrap_or("");
            let fc = bf
                .budget_columns()
                .find(|(_, c)| c.key.ends_with(last))
                .or_else(|| (label == "合计").then(|| bf.budget_columns().next()).flatten())
                .map(|(i, _)| i)?;
            Some((fc, bb.column(bcol)?, label))
        })
        .collect()
}

/// The 合计 and every code without sub-codes.
fn leaf_rows(bf: &Block) -> impl Iterator<Item = &Row> {
    bf.rows.iter().filter(|r| match r.code.as_deref() {
        None => r.kind == RowKind::Total,
        Some(code) => {
            !bf.rows.iter().any(|k| k.code.as_deref().is_some_and(|c| c.len() == code.len() + 2 && c.starts_with(code)))
        }
    })
}

/// One row's 全年预算数 against its 年初预算: the 提示 stating the
/// adjustment, when there is one.
fn adjustment(y: i32, tf: &Table, tb: &Table, rf: &Row, pairs: &[(usize, usize, &str)]) -> Option<Finding> {
    let (bf, bb) = (tf.main(), tb.main());
    let &(total_f, total_b, _) = pairs.first()?;
    let fmt = crate::model::value::fmt_amount;
    let (rb, name) = match rf.code.as_deref() {
        None => (bb.total(), "合计".to_string()),
        Some(code) => (bb.row_by_code(code), format!("{code}{}", rf.label)),
    };
    let adjusted = rf.amount(total_f);
    let initial = rb.map(|r| r.amount(total_b)).unwrap_or_default();
    let change = adjusted - initial;
    if change.abs() <= Decimal::new(1, 2) {
        return None;
    }
    let parts: Vec<String> = pairs[1..]
        .iter()
        .filter_map(|&(fc, bc, label)| {
            let d = rf.amount(fc) - rb.map(|r| r.amount(bc)).unwrap_or_default();
            (!d.is_zero()).then(|| format!("{label} {}", signed_amount(d)))
        })
        .collect();
    let split = if parts.is_empty() { String::new() } else { format!("，其中{}", parts.join("、")) };
    let fcol = &bf.columns[total_f].key;
    let message = match rb {
        Some(_) if !initial.is_zero() => format!(
            "{y}年 {} {name} “{fcol}” {} ≠ {} 年初预算数 {}：年中预算调整 {}{split}。调整后预算与年初预算不同不是错误，请在决算说明中说明调整原因。",
            short_name(tf),
            fmt(adjusted),
            short_name(tb),
            fmt(initial),
            signed_amount(change)
        ),
        _ => format!(
            "{y}年 {} {name} “{fcol}” {}：{} 中年初无预算，全年预算为年中追加 {}{split}。请在决算说明中说明追加原因。",
            short_name(tf),
            fmt(adjusted),
            short_name(tb),
            signed_amount(change)
        ),
    };
    let cells: Vec<Provenance> =
        [rf.value(total_f), rb.and_then(|r| r.value(total_b))].into_iter().flatten().map(|v| v.at.clone()).collect();
    Some(Finding {
        severity: Severity::Note,
        rule: "cross.adjusted_budget",
        workbook: workbook_of(tf),
        message,
        cells,
        expected: Some(initial),
        actual: Some(adjusted),
        difference: Some(change),
    })
}
