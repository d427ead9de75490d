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
