//! Disclosure completeness: a year's 部门决算 must publish 公开01–09表, its
//! 部门预算 表一–表十二 — an empty table too, with its note saying why. A
//! missing one is an 错误 of disclosure, listed even when no other rule
//! needs it. (A folder holding one or two tables, checked on their own, is
//! not a disclosure set: the rule applies from three tables of the set on.)

use crate::model::{Severity, TableKind, CATALOGUE};

use super::Ctx;

/// Every year that has any 决算 (or 预算) table must have all of them.
pub fn run(ctx: &mut Ctx) {
    for final_accounts in [true, false] {
        let kinds: Vec<TableKind> = CATALOGUE
            .iter()
            .map(|k| k.kind)
            .filter(|k| if final_accounts { k.is_final() } else { k.is_budget() })
            .collect();
        for y in ctx.years(final_accounts) {
            let year = (y != 0).then_some(y);
            let missing: Vec<&str> =
                kinds.iter().filter(|k| ctx.case.table(**k, year).is_none()).map(|k| k.name()).collect();
            // A lone table checked on its own is not a disclosure set: the
            // rule applies once three or more of the set are there.
            if missing.is_empty() || kinds.len() - missing.len() < 3 {
                continue;
            }
            let present = ctx
                .case
                .tables
                .iter()
                .find(|t| {
                    t.kind.is_final() == final_accounts
                        && t.kind.is_budget() != final_accounts
                        && (y == 0 || t.year == Some(y))
                })
                .and_then(|t| t.location.first())
                .map(|l| l.file.clone())
                .unwrap_or_default();
            let (what, set) = if final_accounts {
                ("部门决算公开表", "公开01–09表")
            } else {
                ("部门预算公开表", "表一至表十二")
            };
            let year_text = year.map(|y| format!("{y}年")).unwrap_or_default();
            ctx.report(
                Severity::Error,
                "disclosure.complete",
                &present,
                format!(
                    "{year_text}{what}缺少 {}：应公开{set}（没有数据的表也应公开，并注明原因）。如果这些表在另一个文件里，请一并放入案例文件夹。",
                    missing.join("、")
                ),
                Vec::new(),
            );
        }
    }
}

/// One department and the right years on every 预算/决算 table of a case: a
/// table of another unit, or of a year that is neither the evaluation year
/// nor the one before, is an 错误 naming it (a workbook of another
/// department dropped into the folder).
pub fn same_unit_and_year(ctx: &mut Ctx) {
    use crate::model::value::normalize_label;
    let case = ctx.case;
    let tables: Vec<&crate::model::Table> =
        case.tables.iter().filter(|t| t.kind.is_final() || t.kind.is_budget()).collect();
    // The department most tables name.
    let mut names: Vec<(String, usize)> = Vec::new();
    for t in &tables {
        if let Some(d) = t.department.as_deref().map(normalize_label).filter(|d| !d.is_empty()) {
            match names.iter_mut().find(|(n, _)| *n == d) {
                Some(e) => e.1 += 1,
                None => names.push((d, 1)),
            }
        }
    }
    names.sort_by_key(|n| std::cmp::Reverse(n.1));
    if let Some((main, _)) = names.first().cloned() {
        for t in &tables {
            let Some(d) = t.department.as_deref() else { continue };
            let n = normalize_label(d);
            // 简称 and 全称 agree (`市中区医疗保障局` within `枣庄市市中区医疗保障局`).
            if n.is_empty() || n == main || main.contains(&n) || n.contains(&main) {
                continue;
            }
            ctx.report(
                Severity::Error,
                "disclosure.department",
                &crate::check::workbook_of(t),
                format!(
                    "{}的部门为“{d}”，与其他报表的“{main}”不同：案例文件夹中是否混入了其他单位的报表？",
                    t.kind.name()
                ),
                Vec::new(),
            );
        }
    }
    if let Some(y) = case.evaluation_year() {
        for t in &tables {
            if let Some(ty) = t.year.filter(|ty| *ty != y && *ty != y - 1) {
                ctx.report(
                    Severity::Error,
                    "disclosure.year",
                    &crate::check::workbook_of(t),
                    format!(
                        "{}是{ty}年的，评价年度为{y}年（只用{y}年及{}年的报表）：请确认放入的是本次评价年度的文件。",
                        t.kind.name(),
                        y - 1
                    ),
                    Vec::new(),
                );
            }
        }
    }
}

/// Tables published empty must say why (`注：本单位没有…`): 公开07/08表,
/// 预算 表八/九/十二, and a 三公 table of zeros.
pub fn empty_tables_say_why(ctx: &mut Ctx) {
    use TableKind::*;
    let case = ctx.case;
    for t in case
        .tables
        .iter()
        .filter(|t| matches!(t.kind, Final07 | Final08 | Final09 | Budget07 | Budget08 | Budget09 | Budget12))
    {
        let all_zero = t
            .blocks
            .iter()
            .flat_map(|b| b.rows.iter())
            .all(|r| r.values.iter().all(|v| v.value.amount_or_zero().is_zero()));
        if all_zero && t.notes.iter().all(|n| n.trim().is_empty()) {
            ctx.report(
                Severity::Error,
                "disclosure.empty_note",
                &crate::check::workbook_of(t),
                format!("{}没有数据，却没有说明原因：空表应在表下注明（如“注：本单位本年度没有使用政府性基金预算财政拨款安排的支出，故本表无数据。”）。", t.kind.name()),
                t.location.first().map(|l| vec![crate::model::Provenance::new(l.file.as_str(), l.sheet.as_str(), 0, 0)]).unwrap_or_default(),
            );
        }
    }
}
