//! Across tables of one year (决算 01 ↔ 02/03, 04 ↔ 05, 05 ↔ 06, 09 ↔ 06, …;
//! 预算 一 ↔ 二/三, 五 ↔ 三, 六 ↔ 五, 十 ↔ 六, 十一 ↔ 三, 七 ↔ 六) and across
//! documents (预算 十一 ↔ 项目绩效目标表 ↔ 项目支出绩效自评表).

use rust_decimal::Decimal;

use crate::model::{Block, Provenance, Row, RowKind, Severity, Table, TableKind};

use super::sums::{is_ordinal, line_amount, strip_ordinal};
use super::{short_name, workbook_of, Ctx, Finding, Term};
use crate::model::project_key;

use TableKind::*;

pub(super) fn run(ctx: &mut Ctx) {
    for y in ctx.years(true) {
        final_accounts(ctx, y);
    }
    for y in ctx.years(false) {
        budget(ctx, y);
    }
    for y in ctx.years(true).into_iter().filter(|y| *y != 0) {
        budget_against_final(ctx, y);
        budget_final_rates(ctx, y);
        adjusted_budget(ctx, y);
    }
    running_costs(ctx);
    projects(ctx);
}

/// 预算 and 决算 of the same year, when both are in the folder: the 三公
/// budget the 09表 states (预算数) is the 预算 表七's. They may differ when
/// the budget was adjusted: a 提示 with both, never an 错误.
fn budget_against_final(ctx: &mut Ctx, y: i32) {
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
type ColumnPairs = &'static [(&'static [&'static str], &'static [&'static str], &'static str)];

/// The 决算 tables set against the 预算 table of the same money: 03 (every
/// source) ↔ 表三, 05 (一般公共预算财政拨款) ↔ 表五, 07 ↔ 表八, 08 ↔ 表九.
const FINAL_BUDGET_PAIRS: &[(TableKind, TableKind, ColumnPairs)] = &[
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
fn spent_column(b: &Block, parts: &[&str]) -> Option<usize> {
    b.column(parts).filter(|&c| !b.columns[c].is_budget_figure())
}

/// `+12.34%` / `-32.16%`.
fn signed_percent(d: Decimal) -> String {
    let r = crate::model::value::round2(d);
    format!("{}{:.2}%", if r.is_sign_negative() && !r.is_zero() { "-" } else { "+" }, r.abs())
}

/// `+13.76` / `-18.98`.
fn signed_amount(d: Decimal) -> String {
    let s = crate::model::value::fmt_amount(d);
    if d.is_sign_negative() || d.is_zero() {
        s
    } else {
        format!("+{s}")
    }
}

/// 预决算差异率 per 支出功能分类 class: (决算数 − 年初预算数) / 年初预算数 for
/// the 合计 and each 类 row, in the 合计, 基本支出 and 项目支出 columns,
/// 03 ↔ 表三 and 05 ↔ 表五 (07 ↔ 八, 08 ↔ 九 when they hold numbers). Beyond
/// ±[`RATE_THRESHOLD_PERCENT`] a 提示 asking for the reason; never an 错误
/// (budgets are adjusted during the year). A class without 年初预算 is never
/// a denominator: 年初无预算. A pair whose figures 03 ↔ 表三 already gave
/// (a department with only 一般公共预算 money) is not repeated for 05 ↔ 表五.
fn budget_final_rates(ctx: &mut Ctx, y: i32) {
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
                let message = if budget.is_zero() {
                    format!(
                        "{y}年 {name} “{label}”：{} 决算数 {}，{} 年初无预算，不计算预决算差异率：请在决算说明中说明年中追加的预算。",
                        short_name(tf),
                        fmt(spent),
                        short_name(tb)
                    )
                } else {
                    let rate = (spent - budget) / budget * Decimal::ONE_HUNDRED;
                    if crate::model::value::round2(rate).abs() <= threshold {
                        continue;
                    }
                    format!(
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

/// A 决算 table's 全年预算数 (调整后预算) columns against the 预算 table of the
/// same year, code by code (the 合计 and every code without sub-codes): a
/// difference is the year's 预算调整, a 提示 stating it — an adjusted
/// budget is not an 错误. A code the 预算 table lacks had 年初无预算.
fn adjusted_budget(ctx: &mut Ctx, y: i32) {
    let case = ctx.case;
    for &(fk, bk, columns) in FINAL_BUDGET_PAIRS {
        let (Some(tf), Some(tb)) = (case.table(fk, Some(y)), case.table(bk, Some(y))) else { continue };
        let (bf, bb) = (tf.main(), tb.main());
        if bf.budget_columns().next().is_none() {
            continue;
        }
        // (全年预算数 column, 预算 column, label): the total first.
        let pairs: Vec<(usize, usize, &str)> = columns
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
            .collect();
        let Some(&(total_f, total_b, _)) = pairs.first() else { continue };
        let fmt = crate::model::value::fmt_amount;
        let leaves = bf.rows.iter().filter(|r| match r.code.as_deref() {
            None => r.kind == RowKind::Total,
            Some(code) => !bf
                .rows
                .iter()
                .any(|k| k.code.as_deref().is_some_and(|c| c.len() == code.len() + 2 && c.starts_with(code))),
        });
        for rf in leaves {
            let (rb, name) = match rf.code.as_deref() {
                None => (bb.total(), "合计".to_string()),
                Some(code) => (bb.row_by_code(code), format!("{code}{}", rf.label)),
            };
            let adjusted = rf.amount(total_f);
            let initial = rb.map(|r| r.amount(total_b)).unwrap_or_default();
            let change = adjusted - initial;
            if change.abs() <= Decimal::new(1, 2) {
                continue;
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
            let cells: Vec<Provenance> = [rf.value(total_f), rb.and_then(|r| r.value(total_b))]
                .into_iter()
                .flatten()
                .map(|v| v.at.clone())
                .collect();
            ctx.findings.push(Finding {
                severity: Severity::Note,
                rule: "cross.adjusted_budget",
                workbook: workbook_of(tf),
                message,
                cells,
                expected: Some(initial),
                actual: Some(adjusted),
                difference: Some(change),
            });
        }
    }
}

/// 机关运行经费 as the evaluator recorded it (事实 of the paper) against the
/// 06表's 公用经费合计 of the evaluation year: equal for an administrative
/// unit; a 提示 with both when not (a 事业单位 has none to state).
fn running_costs(ctx: &mut Ctx) {
    let case = ctx.case;
    let Some(paper) = case.working_paper.as_ref() else { return };
    let Some(fact) = paper.fact("机关运行经费") else { return };
    let Some(stated) = fact.number() else { return };
    let Some(t06) = case.table(Final06, case.evaluation_year()) else { return };
    let found = t06.blocks.iter().flat_map(|b| b.rows.iter()).find_map(|r| {
        (r.label.contains("公用经费合计")).then(|| {
            r.values.iter().rev().find(|v| v.value.number().is_some()).map(|v| (v.value.amount_or_zero(), v.at.clone()))
        })?
    });
    let Some((public, at)) = found else { return };
    if (public - stated).abs() <= Decimal::new(1, 2) {
        return;
    }
    let fmt = crate::model::value::fmt_amount;
    ctx.report(
        Severity::Note,
        "cross.running_costs",
        &workbook_of(t06),
        format!(
            "评价底稿事实“机关运行经费” {}（{}）≠ {} 公用经费合计 {}（差 {}）：行政单位的机关运行经费应等于一般公共预算财政拨款基本支出中的公用经费；事业单位可不填。",
            fmt(stated),
            fact.at,
            short_name(t06),
            fmt(public),
            fmt((public - stated).abs())
        ),
        vec![at, fact.at.clone()],
    );
}

fn term(label: impl Into<String>, row: &Row, c: usize) -> Term {
    Term::new(label, row.amount(c), row.value(c).map(|v| v.at.clone()))
}

/// The 合计 row's value in the first column matching `col`.
fn total_of(t: &Table, col: &[&str]) -> Option<(Term, usize)> {
    let b = t.main();
    let c = b.column(col)?;
    let r = b.total()?;
    Some((term(format!("{} 合计“{}”", short_name(t), b.columns[c].label), r, c), c))
}

/// A line of one side of a side-by-side table.
fn line_of(t: &Table, side: &str, label_pred: impl Fn(&str) -> bool, col: &[&str]) -> Option<Term> {
    let b = t.block(side)?;
    let c = if col.is_empty() { 0 } else { b.column(col)? };
    let r = b.rows.iter().find(|r| label_pred(&r.label))?;
    let colname = if b.columns.len() > 1 { format!("“{}”", b.columns[c].label) } else { String::new() };
    Some(term(format!("{} {}{colname}", short_name(t), r.label), r, c))
}

/// 02 and 03 code by code: with nothing carried over (01's 年初结转 and
/// 年末结转 empty), what each 功能分类 code received is what it spent. A
/// difference is a 提示 (收入 may be booked under another code), naming both.
fn income_against_spending(ctx: &mut Ctx, t01: &Table, t02: &Table, t03: &Table) {
    let carried = |side: &str, word: &str| {
        t01.block(side).is_some_and(|b| {
            b.rows
                .iter()
                .filter(|r| r.label.contains(word))
                .any(|r| r.values.iter().any(|v| !v.value.amount_or_zero().is_zero()))
        })
    };
    if carried("收入", "年初") || carried("支出", "年末") {
        return;
    }
    let (b2, b3) = (t02.main(), t03.main());
    let (Some(c2), Some(c3)) = (b2.column(&["本年收入合计"]), b3.column(&["本年支出合计"])) else { return };
    let fmt = crate::model::value::fmt_amount;
    for r3 in b3.rows.iter().filter(|r| r.kind == RowKind::Coded && r.code.as_deref().is_some_and(|c| c.len() == 7)) {
        let code = r3.code.as_deref().unwrap_or("");
        let Some(r2) = b2.row_by_code(code) else { continue };
        let (income, spent) = (r2.amount(c2), r3.amount(c3));
        if (income - spent).abs() <= Decimal::new(1, 2) {
            continue;
        }
        let cells = [r2.value(c2), r3.value(c3)].into_iter().flatten().map(|v| v.at.clone()).collect();
        ctx.report(
            Severity::Note,
            "cross.final_02_03",
            &workbook_of(t02),
            format!(
                "{code}{}：{} 本年收入 {} ≠ {} 本年支出 {}（差 {}）。本年无结转结余时同一科目的收支应相等，请核实是否列错了科目。",
                r3.label,
                short_name(t02),
                fmt(income),
                short_name(t03),
                fmt(spent),
                fmt((income - spent).abs())
            ),
            cells,
        );
    }
}

fn year_label(y: i32) -> String {
    if y == 0 {
        String::new()
    } else {
        format!("{y}年")
    }
}

fn final_accounts(ctx: &mut Ctx, y: i32) {
    let yl = year_label(y);
    let t01 = ctx.need("cross.final_01_02_03", "01表与02/03表", Final01, y);
    let t02 = ctx.need("cross.final_01_02_03", "01表与02表", Final02, y);
    let t03 = ctx.need("cross.final_01_02_03", "01表与03表", Final03, y);
    if let (Some(t01), Some(t02)) = (t01, t02) {
        if let (Some(a), Some((b, _))) =
            (line_of(t01, "收入", |l| l == "本年收入合计", &["金额"]), total_of(t02, &["本年收入合计"]))
        {
            ctx.sum("cross.final_01_02_03", &workbook_of(t01), &yl, a, vec![b]);
        }
    }
    if let (Some(t01), Some(t02), Some(t03)) = (t01, t02, t03) {
        income_against_spending(ctx, t01, t02, t03);
    }
    if let (Some(t01), Some(t03)) = (t01, t03) {
        if let (Some(a), Some((b, _))) =
            (line_of(t01, "支出", |l| l == "本年支出合计", &["金额"]), total_of(t03, &["本年支出合计"]))
        {
            ctx.sum("cross.final_01_02_03", &workbook_of(t01), &yl, a, vec![b]);
        }
        class_lines(ctx, t01, "支出", &["金额"], t03, &["本年支出合计"], "cross.final_class_lines");
    }
    let t04 = ctx.need("cross.final_04_05", "04表与05表", Final04, y);
    let t05 = ctx.need("cross.final_04_05", "04表与05表", Final05, y);
    if let (Some(t04), Some(t05)) = (t04, t05) {
        if let (Some(a), Some((b, _))) =
            (line_of(t04, "支出", |l| l == "本年支出合计", &["一般公共预算"]), total_of(t05, &["小计"]))
        {
            ctx.sum("cross.final_04_05", &workbook_of(t04), &yl, a, vec![b]);
        }
        class_lines(ctx, t04, "支出", &["一般公共预算"], t05, &["小计"], "cross.final_class_lines");
    }
    if let (Some(t02), Some(t04)) = (t02, t04) {
        if let (Some(a), Some((b, _))) =
            (line_of(t04, "收入", |l| l == "本年收入合计", &[]), total_of(t02, &["财政拨款收入"]))
        {
            ctx.sum("cross.final_02_04", &workbook_of(t04), &yl, a, vec![b]);
        }
    }
    let t06 = ctx.need("cross.final_05_06", "05表与06表", Final06, y);
    if let (Some(t05), Some(t06)) = (t05, t06) {
        let rows: Vec<&Row> = t06.blocks.iter().flat_map(|b| b.rows.iter()).collect();
        let personnel = rows.iter().find(|r| r.label.contains("人员经费合计"));
        let public_use = rows.iter().find(|r| r.label.contains("公用经费合计"));
        if let (Some((a, _)), Some(p), Some(u)) = (total_of(t05, &["基本支出"]), personnel, public_use) {
            let name = short_name(t06);
            ctx.sum(
                "cross.final_05_06",
                &workbook_of(t05),
                &yl,
                a,
                vec![term(format!("{name} 人员经费合计"), p, 0), term(format!("{name} 公用经费合计"), u, 0)],
            );
        }
    }
    if let (Some(t05), Some(t03)) = (t05, t03) {
        subset(ctx, "cross.final_05_03", t05, &["小计"], t03, &["本年支出合计"]);
    }
    let t09 = ctx.need("cross.final_09_06", "09表与06表", Final09, y);
    if let (Some(t09), Some(t06)) = (t09, t06) {
        let b9 = t09.main();
        let rows: Vec<&Row> = t06.blocks.iter().flat_map(|b| b.rows.iter()).collect();
        if let Some(r9) = b9.rows.first() {
            for (col, code, what) in [
                (&["决算", "公务接待"][..], "30217", "公务接待费"),
                (&["决算", "出国"][..], "30212", "因公出国（境）费用"),
                (&["决算", "运行维护"][..], "30231", "公务用车运行维护费"),
                (&["决算", "购置"][..], "31013", "公务用车购置"),
            ] {
                let Some(c) = b9.column(col) else { continue };
                let line = rows.iter().find(|r| r.code.as_deref() == Some(code));
                let v9 = r9.amount(c);
                if line.is_none() && v9.is_zero() {
                    continue;
                }
                let rhs = match line {
                    Some(r) => term(format!("{} {code}{}", short_name(t06), r.label), r, 0),
                    None => Term::new(format!("{} {code}{what}（无此行）", short_name(t06)), Decimal::ZERO, None),
                };
                let lhs = term(format!("{} 决算数“{}”", short_name(t09), b9.columns[c].label), r9, c);
                // 09 is every 财政拨款 三公 (项目支出 and 政府性基金 too), 06 the
                // 一般公共预算 基本支出 only.
                at_most(ctx, "cross.final_09_06", &workbook_of(t09), &yl, lhs, rhs, THREE_PUBLIC_WIDER);
            }
        }
    }
    // Empty 07/08 ⇒ the matching 04 columns are zero.
    if let Some(t04) = t04 {
        for (kind, col04, col) in
            [(Final07, "政府性基金", &["本年支出", "小计"][..]), (Final08, "国有资本经营", &["合计"][..])]
        {
            let Some(t) = ctx.case.table(kind, (y != 0).then_some(y)) else {
                continue;
            };
            let Some(a) = line_of(t04, "支出", |l| l == "本年支出合计", &[col04]) else {
                continue;
            };
            let b = match total_of(t, col) {
                Some((b, _)) => b,
                None => Term::new(format!("{} 合计", short_name(t)), Decimal::ZERO, None),
            };
            ctx.sum("cross.final_07_08_04", &workbook_of(t04), &yl, a, vec![b]);
        }
    }
}

/// The numbered class lines of a side-by-side table against the 3-digit rows
/// of a coded table, matched by name.
fn class_lines(
    ctx: &mut Ctx,
    lines: &Table,
    side: &str,
    line_col: &[&str],
    coded: &Table,
    coded_col: &[&str],
    rule: &'static str,
) {
    let Some(b) = lines.block(side) else { return };
    let Some(lc) = b.column(line_col).or(if b.columns.len() == 1 { Some(0) } else { None }) else {
        return;
    };
    let cb = coded.main();
    let Some(cc) = cb.column(coded_col) else {
        return;
    };
    let wb = workbook_of(lines);
    let classes: Vec<&Row> = cb.rows.iter().filter(|r| r.code.as_deref().is_some_and(|c| c.len() == 3)).collect();
    for r in classes {
        let name = r.label.as_str();
        let line = line_amount(b, name, lc).map(|(row, _)| row);
        let lhs = match line {
            Some(l) => term(format!("{} {}", short_name(lines), l.label), l, lc),
            None => Term::new(format!("{} “{}”行（未找到）", short_name(lines), name), Decimal::ZERO, None),
        };
        ctx.sum(
            rule,
            &wb,
            "",
            lhs,
            vec![term(format!("{} {}{}", short_name(coded), r.code.as_deref().unwrap_or(""), name), r, cc)],
        );
    }
    // A class line with an amount but no rows in the coded table.
    for l in b.rows.iter().filter(|l| is_ordinal(&l.label) && !l.amount(lc).is_zero()) {
        let name = strip_ordinal(&l.label);
        if name.contains("收入")
            || cb.rows.iter().any(|r| r.code.as_deref().is_some_and(|c| c.len() == 3) && r.label == name)
        {
            continue;
        }
        let lhs = term(format!("{} {}", short_name(lines), l.label), l, lc);
        ctx.sum(
            rule,
            &wb,
            "",
            lhs,
            vec![Term::new(format!("{} 中的同名类级科目（未找到）", short_name(coded)), Decimal::ZERO, None)],
        );
    }
}

/// Every coded row of `small` exists in `big` with `small ≤ big`.
fn subset(ctx: &mut Ctx, rule: &'static str, small: &Table, small_col: &[&str], big: &Table, big_col: &[&str]) {
    let (sb, bb) = (small.main(), big.main());
    let (Some(sc), Some(bc)) = (sb.column(small_col), bb.column(big_col)) else {
        return;
    };
    let wb = workbook_of(small);
    // A code printed twice in `big` (a 款 misprinted as a 项) already has its
    // 错误 (code.duplicate): the codes it hides are a 提示 pointing there.
    let mut codes: Vec<&str> = bb.rows.iter().filter_map(|r| r.code.as_deref()).collect();
    codes.sort();
    let misprinted = codes.windows(2).any(|w| w[0] == w[1]);
    for r in sb.rows.iter().filter(|r| r.kind == RowKind::Coded) {
        let code = r.code.as_deref().unwrap_or("");
        match bb.row_by_code(code) {
            None if !r.amount(sc).is_zero() => ctx.report(
                if misprinted { Severity::Note } else { Severity::Error },
                rule,
                &wb,
                format!(
                    "{} {code}{} 在{}中没有对应的科目行{}。",
                    short_name(small),
                    r.label,
                    short_name(big),
                    if misprinted {
                        "（该表有重复的科目编码，多为编码级次写错，见 code.duplicate）"
                    } else {
                        ""
                    }
                ),
                vec![r.at.clone()],
            ),
            Some(b) if r.amount(sc) > b.amount(bc) => {
                // Within 0.01 it is a 尾数 提示, as every other sum rule.
                let over = r.amount(sc) - b.amount(bc);
                let (severity, why) = if over <= Decimal::new(1, 2) {
                    (Severity::Note, "（差 0.01，尾数误差）")
                } else {
                    (Severity::Error, "：一般公共预算财政拨款支出不应超过全部支出")
                };
                ctx.report(
                    severity,
                    rule,
                    &wb,
                    format!(
                        "{} {code}{} {} 大于{} {} 的 {}{why}。",
                        short_name(small),
                        r.label,
                        crate::model::value::fmt_amount(r.amount(sc)),
                        short_name(big),
                        code,
                        crate::model::value::fmt_amount(b.amount(bc))
                    ),
                    vec![r.at.clone(), b.at.clone()],
                )
            }
            _ => {}
        }
    }
}

fn budget(ctx: &mut Ctx, y: i32) {
    let yl = year_label(y);
    let t1 = ctx.need("cross.budget", "表一与表二/表三", Budget01, y);
    let t2 = ctx.need("cross.budget", "表一与表二", Budget02, y);
    let t3 = ctx.need("cross.budget", "表一与表三", Budget03, y);
    if let (Some(t1), Some(t2)) = (t1, t2) {
        if let (Some(a), Some((b, _))) = (line_of(t1, "收入", |l| l == "本年收入合计", &[]), total_of(t2, &["合计"]))
        {
            ctx.sum("cross.budget", &workbook_of(t1), &yl, a, vec![b]);
        }
    }
    if let (Some(t1), Some(t3)) = (t1, t3) {
        if let (Some(a), Some((b, _))) = (line_of(t1, "支出", |l| l == "本年支出合计", &[]), total_of(t3, &["合计"]))
        {
            ctx.sum("cross.budget", &workbook_of(t1), &yl, a, vec![b]);
        }
        class_lines(ctx, t1, "支出", &[], t3, &["合计"], "cross.budget_class_lines");
    }
    let t4 = ctx.need("cross.budget", "表四与表五", Budget04, y);
    let t5 = ctx.need("cross.budget", "表五与表三/表六", Budget05, y);
    if let (Some(t4), Some(t5)) = (t4, t5) {
        class_lines(ctx, t4, "支出", &["一般公共预算"], t5, &["合计"], "cross.budget_class_lines");
    }
    if let (Some(t2), Some(t5)) = (t2, t5) {
        if let (Some((a, _)), Some((b, _))) = (total_of(t5, &["合计"]), total_of(t2, &["一般公共预算"])) {
            ctx.sum("cross.budget", &workbook_of(t5), &yl, a, vec![b]);
        }
    }
    // 表五 (一般公共预算) within 表三 (every source), code by code.
    if let (Some(t5), Some(t3)) = (t5, t3) {
        subset(ctx, "cross.budget_05_03", t5, &["合计"], t3, &["合计"]);
    }
    // 表四 (财政拨款) against 表二's 财政拨款 and 表八/九's totals.
    if let (Some(t2), Some(t4)) = (t2, t4) {
        let income = line_of(t4, "收入", |l| l.replace(' ', "") == "本年收入合计", &[]);
        if let (Some(a), Some((b, _))) = (income, total_of(t2, &["财政拨款", "小计"])) {
            ctx.sum("cross.budget_04", &workbook_of(t4), &yl, a, vec![b]);
        }
    }
    if let Some(t4) = t4 {
        for (kind, column) in [(Budget08, "政府性基金"), (Budget09, "国有资本")] {
            let spent = line_of(t4, "支出", |l| l.replace(' ', "") == "本年支出合计", &[column]);
            let Some(a) = spent else { continue };
            match ctx.case.table(kind, if y == 0 { None } else { Some(y) }).and_then(|t| total_of(t, &["合计"])) {
                Some((b, _)) => ctx.sum("cross.budget_04", &workbook_of(t4), &yl, a, vec![b]),
                None if !a.value.is_zero() => ctx.sum(
                    "cross.budget_04",
                    &workbook_of(t4),
                    &yl,
                    a,
                    vec![Term::new(format!("{}合计（无此表或无合计行）", kind.name()), Decimal::ZERO, None)],
                ),
                None => {}
            }
        }
    }
    let t6 = ctx.need("cross.budget", "表六与表五/表十", Budget06, y);
    if let (Some(t5), Some(t6)) = (t5, t6) {
        if let (Some((a, _)), Some((b, _))) = (total_of(t6, &["小计"]), total_of(t5, &["基本支出"])) {
            ctx.sum("cross.budget", &workbook_of(t6), &yl, a, vec![b]);
        }
    }
    // 表十 (基本支出预算) spans every source: its 一般公共预算 column is 表六,
    // its 合计 is 表三's 基本支出 (comparing 十 合计 with 六 小计 called
    // every department with 单位资金 wrong).
    let t10 = ctx.need("cross.budget", "表十与表六", Budget10, y);
    if let (Some(t10), Some(t6)) = (t10, t6) {
        if let (Some((a, _)), Some((b, _))) = (total_of(t10, &["一般公共预算"]), total_of(t6, &["小计"])) {
            ctx.sum("cross.budget", &workbook_of(t10), &yl, a, vec![b]);
        }
    }
    if let (Some(t10), Some(t3)) = (t10, t3) {
        if let (Some((a, _)), Some((b, _))) = (total_of(t10, &["合计"]), total_of(t3, &["基本支出"])) {
            ctx.sum("cross.budget", &workbook_of(t10), &yl, a, vec![b]);
        }
    }
    let t11 = ctx.need("cross.budget", "表十一与表三", Budget11, y);
    if let (Some(t11), Some(t3)) = (t11, t3) {
        if let (Some((a, _)), Some((b, _))) = (total_of(t11, &["合计"]), total_of(t3, &["项目支出"])) {
            ctx.sum("cross.budget", &workbook_of(t11), &yl, a, vec![b]);
        }
    }
    let t7 = ctx.need("cross.budget", "表七与表六", Budget07, y);
    if let (Some(t7), Some(t6)) = (t7, t6) {
        let b7 = t7.main();
        let this_year = if y != 0 { format!("{y}") } else { "本年".to_string() };
        if let (Some(r7), Some(c)) = (b7.rows.first(), b7.column(&[&this_year, "公务接待"])) {
            let line = t6.main().row_by_code("30217");
            if line.is_some() || !r7.amount(c).is_zero() {
                let rhs = match line {
                    Some(r) => term(format!("{} 30217{}", short_name(t6), r.label), r, 0),
                    None => Term::new(format!("{} 30217公务接待费（无此行）", short_name(t6)), Decimal::ZERO, None),
                };
                let lhs = term(format!("{} {}", short_name(t7), b7.columns[c].key), r7, c);
                at_most(ctx, "cross.budget", &workbook_of(t7), &yl, lhs, rhs, THREE_PUBLIC_WIDER);
            }
        }
    }
}

/// Why a "三公" table may exceed the 基本支出 detail: it counts every
/// 财政拨款 source, the detail only 一般公共预算 基本支出.
const THREE_PUBLIC_WIDER: &str =
    "“三公”经费表含项目支出和政府性基金负担的部分，基本支出表只含一般公共预算基本支出，差额多为项目经费列支，请核实";

/// `part ≤ whole`: `part` above `whole` is an 错误 (or a 尾数 提示), `whole`
/// above `part` a 提示 saying why that is usual.
fn at_most(ctx: &mut Ctx, rule: &'static str, workbook: &str, context: &str, whole: Term, part: Term, why: &str) {
    let over = whole.value - part.value;
    if over <= Decimal::new(1, 2) {
        ctx.sum(rule, workbook, context, whole, vec![part]);
        return;
    }
    let mut cells: Vec<Provenance> = whole.at.iter().cloned().collect();
    cells.extend(part.at.iter().cloned());
    let fmt = crate::model::value::fmt_amount;
    ctx.report(
        Severity::Note,
        rule,
        workbook,
        format!(
            "{context} {} {} 大于 {} {}（差 {}）：{why}。",
            whole.label,
            fmt(whole.value),
            part.label,
            fmt(part.value),
            fmt(over)
        ),
        cells,
    );
}

/// 预算 十一 ↔ 项目绩效目标表 ↔ 项目支出绩效自评表, and target money ≤ 项目支出.
fn projects(ctx: &mut Ctx) {
    let case = ctx.case;
    // The latest budget year's 表十一 (the one reading of it: `figures::budget_projects`).
    let year = ctx.years(false).last().copied().filter(|y| *y != 0);
    let (budget11, listed): (Option<&crate::model::Table>, Vec<(&Row, Decimal)>) =
        match crate::model::figures::budget_projects(case, year) {
            Some((t, rows)) => (Some(t), rows.into_iter().map(|p| (p.row, p.amount)).collect()),
            None => (None, Vec::new()),
        };
    let targets = &case.project_targets;
    let evals = &case.project_self_evals;
    if let Some(t11) = budget11 {
        let wb = workbook_of(t11);
        if !targets.is_empty() {
            for (r, _) in &listed {
                if !targets.iter().any(|p| project_key(&p.project) == project_key(&r.label)) {
                    ctx.report(
                        Severity::Note,
                        "cross.projects",
                        &wb,
                        format!("预算表十一中的项目“{}”没有对应的项目绩效目标表。", r.label),
                        vec![r.at.clone()],
                    );
                }
            }
        }
        for p in targets {
            if !listed.iter().any(|(r, _)| project_key(&r.label) == project_key(&p.project)) {
                ctx.report(
                    Severity::Note,
                    "cross.projects",
                    &p.location.file,
                    format!("项目绩效目标表“{}”不在预算表十一的项目清单中。", p.project),
                    Vec::new(),
                );
            }
        }
    }
    for e in evals {
        if !targets.is_empty() && !targets.iter().any(|p| project_key(&p.project) == project_key(&e.project)) {
            ctx.report(
                Severity::Note,
                "cross.projects",
                &e.location.file,
                format!("项目“{}”有支出绩效自评表，但没有项目绩效目标表。", e.project),
                Vec::new(),
            );
        }
        if budget11.is_some() && !listed.iter().any(|(r, _)| project_key(&r.label) == project_key(&e.project)) {
            ctx.report(
                Severity::Note,
                "cross.projects",
                &e.location.file,
                format!("项目“{}”有支出绩效自评表，但不在预算表十一的项目清单中。", e.project),
                Vec::new(),
            );
        }
    }
    // A 成本指标 money target above the project's budget line.
    for p in targets {
        let Some((row, budget)) = listed.iter().find(|(r, _)| project_key(&r.label) == project_key(&p.project)) else {
            continue;
        };
        for i in p.indicators.iter().filter(|i| i.level1.contains("成本") && i.target.is_money()) {
            let Some(v) = i.target.value() else { continue };
            let wan = if i.target.unit().is_some_and(|u| u == "元") { v / Decimal::from(10_000) } else { v };
            if crate::model::value::round2(wan) > *budget {
                ctx.report(
                    Severity::Note,
                    "cross.target_money",
                    &p.location.file,
                    format!(
                        "项目“{}”的成本指标“{}”目标值 {} 高于预算表十一的项目支出 {} 万元。",
                        p.project,
                        i.name,
                        i.target.text,
                        crate::model::value::fmt_amount(*budget)
                    ),
                    vec![i.at.clone(), row.at.clone()],
                );
            }
        }
    }
}
