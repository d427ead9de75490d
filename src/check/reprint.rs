//! `disclosure.targets_column` (提示): the department's 整体战略目标表 /
//! 整体绩效目标表 are reprinted as supplied (附件4). A column whose header
//! stands alone on a lower header row (no group above it, as `来源` under
//! 历史值 should be) and is empty in every row, while the column just after
//! the header group it was cut from holds values (`备注` holding 内部统计,
//! 文号 …), is a header set apart from its values: the reprint would show
//! an empty 来源 column and the sources under 备注.

use super::Ctx;
use crate::model::{Block, Layout, Provenance, Severity, Table, TableKind};

pub(super) fn run(ctx: &mut Ctx, annex4: bool) {
    let case = ctx.case;
    for t in case.tables.iter().filter(|t| matches!(t.kind, TableKind::StrategicTargets | TableKind::OverallTargets)) {
        let (Some(layout), Some(b)) = (&t.layout, t.blocks.first()) else { continue };
        if b.rows.len() < 2 {
            continue;
        }
        for c in 0..b.columns.len() {
            if let Some((empty, full, example)) = set_apart(t, layout, b, c) {
                let (name, held) = (&b.columns[c].label, &b.columns[full.1].label);
                let printed = if annex4 { "附件4 原样转印此表" } else { "此表按原样使用" };
                ctx.report(
                    Severity::Note,
                    "disclosure.targets_column",
                    &super::workbook_of(t),
                    format!(
                        "{}的“{name}”列（{}）各行都是空的，而“{held}”列（{}）填有内容（如“{example}”）：“{name}”像是错填到了“{held}”列，{printed}，请核对后修改部门的表。",
                        t.kind.name(),
                        empty.cell(),
                        full.0.cell()
                    ),
                    vec![empty, full.0],
                );
            }
        }
    }
}

fn column_empty(b: &Block, c: usize) -> bool {
    b.rows.iter().all(|r| {
        r.values.get(c).is_none_or(|v| v.value.text().is_none_or(|s| s.trim().is_empty()) && v.value.number().is_none())
    })
}

/// Column `c` set apart from its values: (its header cell, (the header cell
/// of the column holding them, its index), a value of that column).
fn set_apart(t: &Table, layout: &Layout, b: &Block, c: usize) -> Option<(Provenance, (Provenance, usize), String)> {
    let col = &b.columns[c];
    if col.key.contains('/') || !column_empty(b, c) {
        return None;
    }
    let (header, level) = header_cell(t, layout, b, c)?;
    if level == 0 {
        return None;
    }
    let last_grouped = (0..c).rev().find(|&k| b.columns[k].key.contains('/'))?;
    let n = last_grouped + 1;
    if n == c || column_empty(b, n) {
        return None;
    }
    let example = b.rows.iter().find_map(|r| {
        let v = r.values.get(n)?;
        v.value
            .text()
            .map(str::to_string)
            .filter(|s| !s.trim().is_empty())
            .or_else(|| v.value.number().map(|d| d.normalize().to_string()))
    })?;
    let example: String = example.chars().take(20).collect();
    Some((header, (header_cell(t, layout, b, n)?.0, n), example))
}

/// The header cell of column `c` and its header row (0 = the top one):
/// the layout's header rows, read at the column's sheet position.
fn header_cell(t: &Table, layout: &Layout, b: &Block, c: usize) -> Option<(Provenance, usize)> {
    let first = b.rows.first()?.values.get(c)?.at.clone();
    let left = first_column(&t.location.first()?.range)?;
    let j = (first.col as usize).checked_sub(left)?;
    let data_top = (first.row as usize).checked_sub(layout.header_rows)?;
    (0..layout.header_rows).rev().find_map(|h| {
        let text = layout.rows.get(layout.preamble_rows + h)?.get(j)?;
        let label = crate::model::value::normalize_label(text);
        (!label.is_empty() && label == b.columns[c].label)
            .then(|| (Provenance { row: (data_top + h) as u32, ..first.clone() }, h))
    })
}

/// The zero-based column of a range's first cell (`A1:Q19` → 0).
fn first_column(range: &str) -> Option<usize> {
    let letters: Vec<u8> = range.bytes().take_while(u8::is_ascii_uppercase).collect();
    if letters.is_empty() {
        return None;
    }
    Some(letters.iter().fold(0usize, |n, l| n * 26 + (l - b'A' + 1) as usize) - 1)
}
