//! 预算 against 决算 of the same year: the 三公 budget 09 states, and the
//! 预决算差异率 per class.

use rust_decimal::Decimal;

use crate::check::{short_name, workbook_of, Ctx, Finding};
use crate::model::{Block, Provenance, Severity, TableKind};

use TableKind::*;

/// 预算 and 决算 of the same year, when both are in the folder: the 三公
/// budget the 09表 states (预算数) is the 预算 表七's. They may differ when
/// the budget was adjusted: a 提示 with both, never an 错误.
pub(super) fn budget_against_final(ctx: &mut Ctx, y: i32) {
    let (Some(t09), Some(t7)) = (ctx.case.table(Final09, Some(y)), ctx.case.table(Budget07, Some(y))) else {
        return;
    };
    let (b9, b7) = (t09.main(), t7.main());
    let year = y.to_string();
    let (Some(c9), Some(c7)) = (b9.column(&["预算", "合计"]), b7.column(&[&year, "合计"])) else { return };
    let (Some(r9), Some(r7)) = (b9.rows.first(), b7.rows.first()) else { return };
    let (v9, v7) = (r9.amount(c9), r7.amount(c7));
    if (v9 - v7).abs() <= Decimal::new(1, 2) {
        return;
    }
    let fmt = crate::model::value::fmt_amount;
    let cells = [r9.value(c9), r7.value(c7)].into_iter().flatten().map(|v| v.at.clone()).collect();
    ctx.report(
        Severity::Note,
        "cross.budget_final",
        &workbook_of(t09),
        format!(
            "{y}年 {} 预算数“合计” {} ≠ {} {y}年预算数“合计” {}（差 {}）：决算所列“三公”经费预算数应为年初预算数；如年中调整过预算，请在说明中写明。",
            short_name(t09),
            fmt(v9),
            short_name(t7),
            fmt(v7),
            fmt((v9 - v7).abs())
        ),
        cells,
    );
}

/// 预决算差异率 beyond which a class is noted, in percent: ±20 %. Not a
/// national rule — no 审核公式 of the 决算 software sets one; it is the
/// margin commonly used in 预决算公开 reviews and 部门整体支出 evaluations
/// for a difference the 决算说明 must explain. Change it here.
pub const RATE_THRESHOLD_PERCENT: i64 = 20;

/// 决算 against 预算 of the same year, column by column: (决算 column,
/// 预算 column, label).
pub(super) type ColumnPairs = &'static [(&'static [&'static str], &'static [&'static str], &'static str)];

/// The 决算 tables set against the 预算 table of the same money: 03 (every
/// source) ↔ 表三, 05 (一般公共预算财政拨款) ↔ 表五, 07 ↔ 表八, 08 ↔ 表九.
pub(super) const FINAL_BUDGET_PAIRS: &[(TableKind, TableKind, ColumnPairs)] = &[
    (
        Final03,
        Budget03,
        &[
            (&["本年支出合计"], &["合计"], "合计"),
            (&["基本支出"], &["基本支出"], "基本支出"),
            (&["项目支出"], &["项目支出"], "项目支出"),
        ],
    ),
    (
        Final05,
        Budget05,
        &[
            (&["小计"], &["合计"], "合计"),
            (&["基本支出"], &["基本支出"], "基本支出"),
            (&["项目支出"], &["项目支出"], "项目支出"),
        ],
    ),
    (
        Final07,
        Budget08,
        &[
            (&["本年支出", "小计"], &["合计"], "合计"),
            (&["本年支出", "基本支出"], &["基本支出"], "基本支出"),
            (&["本年支出", "项目支出"], &["项目支出"], "项目支出"),
        ],
    ),
    (
        Final08,
        Budget09,
        &[
            (&["合计"], &["合计"], "合计"),
            (&["基本支出"], &["基本支出"], "基本支出"),
            (&["项目支出"], &["项目支出"], "项目支出"),
        ],
    ),
];

/// A 决算 column that is money spent (not a 全年预算数 beside it).
pub(super) fn spent_column(b: &Block, parts: &[&str]) -> Option<usize> {
    b.column(parts).filter(|&c| !b.columns[c].is_budget_figure())
}

/// `+12.34%` / `-32.16%`.
fn signed_percent(d: Decimal) -> String {
    let r = crate::model::value::round2(d);
    format!("{}{:.2}%", if r.is_sign_negative() && !r.is_zero() { "-" } else { "+" }, r.abs())
}

/// 预决算差异率 per 支出功能分类 class: (决算数 − 年初预算数) / 年初预算数 for
/// the 合计 and each 类 row, in the 合计, 基本支出 and 项目支出 columns,
/// 03 ↔ 表三 and 05 ↔ 表五 (07 ↔ 八, 08 ↔ 九 when they hold numbers). Beyond
/// ±[`RATE_THRESHOLD_PERCENT`] a 提示 asking for the reason; never an 错误
/// (budgets are adjusted during the year). A class without 年初预算 is never
/// a denominator: 年初无预算. A pair whose figures 03 ↔ 表三 already gave
/// (a department with only 一般公共预算 money) is not repeated for 05 ↔ 表五.
pub(super) fn budget_final_rates(ctx: &mut Ctx, y: i32) {
    let case = ctx.case;
    let threshold = Decimal::from(RATE_THRESHOLD_PERCENT);
    let mut seen: Vec<(String, &str, Decimal, Decimal)> = Vec::new();
    for &(fk, bk, columns) in FINAL_BUDGET_PAIRS {
        let (Some(tf), Some(tb)) = (case.table(fk, Some(y)), case.table(bk, Some(y))) else { continue };
        let (bf, bb) = (tf.main(), tb.main());
        let classes = |b: &'_ Block| -> Vec<String> {
            b.rows.iter().filter_map(|r| r.code.clone()).filter(|c| c.len() == 3).collect()
        };
        let mut keys: Vec<Option<String>> = vec![None];
        for c in classes(bf).into_iter().chain(classes(bb)) {
            if !keys.contains(&Some(c.clone())) {
                keys.push(Some(c));
            }
        }
        for key in keys {
            let (rf, rb) = match &key {
                None => (bf.total(), bb.total()),
                Some(code) => (bf.row_by_code(code), bb.row_by_code(code)),
            };
            let Some(named) = rf.or(rb) else { continue };
            let name = match &key {
                None => "各类合计".to_string(),
                Some(code) => format!("{code}{}", named.label),
            };
            for &(fcol, bcol, label) in columns {
                let (Some(cf), Some(cb)) = (spent_column(bf, fcol), bb.column(bcol)) else { continue };
                let spent = rf.map(|r| r.amount(cf)).unwrap_or_default();
                let budget = rb.map(|r| r.amount(cb)).unwrap_or_default();
                if spent.is_zero() && budget.is_zero() {
                    continue;
                }
                let id = (name.clone(), label, spent, budget);
                if seen.contains(&id) {
                    continue;
                }
                seen.push(id);
                let fmt = crate::model::value::fmt_amount;
                let cells: Vec<Provenance> = [rf.and_then(|r| r.value(cf)), rb.and_then(|r| r.value(cb))]
                    .into_iter()
                    .flatten()
                    .map(|v| v.at.clone())
                    .collect();
                let message = match crate::model::figures::difference_rate(spent, budget) {
                    None => format!(
                        "{y}年 {name} “{label}”：{} 决算数 {}，{} 年初无预算，不计算预决算差异率：请在决算说明中说明年中追加的预算。",
                        short_name(tf),
                        fmt(spent),
                        short_name(tb)
                    ),
                    Some(rate) if rate.abs() <= threshold => continue,
                    Some(rate) => format!(
                        "{y}年 {name} “{label}”：{} 决算数 {}，{} 年初预算数 {}，预决算差异率 {}（超过 ±{RATE_THRESHOLD_PERCENT}%）：请在决算说明中说明差异原因（年中追加或调减预算、项目未执行完等）。",
                        short_name(tf),
                        fmt(spent),
                        short_name(tb),
                        fmt(budget),
                        signed_percent(rate)
                    )
                };
                ctx.findings.push(Finding {
                    severity: Severity::Note,
                    rule: "cross.budget_final_rate",
                    workbook: workbook_of(tf),
                    message,
                    cells,
                    expected: Some(budget),
                    actual: Some(spent),
                    difference: Some(spent - budget),
                });
            }
        }
    }
}
