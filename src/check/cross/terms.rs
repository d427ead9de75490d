//! The terms of a comparison, read from a table: a 合计, a line of one side,
//! the year that starts a message.

use crate::check::{short_name, Term};
use crate::model::{Row, Table};

pub(super) fn term(label: impl Into<String>, row: &Row, c: usize) -> Term {
    Term::new(label, row.amount(c), row.value(c).map(|v| v.at.clone()))
}

/// The 合计 row's value in the first column matching `col`.
pub(super) fn total_of(t: &Table, col: &[&str]) -> Option<(Term, usize)> {
    let b = t.main();
    let c = b.column(col)?;
    let r = b.total()?;
    Some((term(format!("{} 合计“{}”", short_name(t), b.columns[c].label), r, c), c))
}

/// A line of one side of a side-by-side table.
pub(super) fn line_of(t: &Table, side: &str, label_pred: impl Fn(&str) -> bool, col: &[&str]) -> Option<Term> {
    let b = t.block(side)?;
    let c = if col.is_empty() { 0 } else { b.column(col)? };
    let r = b.rows.iter().find(|r| label_pred(&r.label))?;
    let colname = if b.columns.len() > 1 { format!("“{}”", b.columns[c].label) } else { String::new() };
    Some(term(format!("{} {}{colname}", short_name(t), r.label), r, c))
}

pub(super) fn year_label(y: i32) -> String {
    if y == 0 {
        String::new()
    } else {
        format!("{y}年")
    }
}
