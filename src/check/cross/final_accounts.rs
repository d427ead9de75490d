//! Across the 决算 tables of one year: 01 ↔ 02/03, 04 ↔ 05, 02 ↔ 04,
//! 05 ↔ 06, 05 ⊆ 03, 09 ↔ 06, 07/08 ↔ 04.

use rust_decimal::Decimal;

use crate::check::{short_name, workbook_of, Ctx, Term};
use crate::model::{Row, RowKind, Severity, Table, TableKind};

use super::compare::{at_most, class_lines, subset, THREE_PUBLIC_WIDER};
use super::terms::{line_of, term, total_of, year_label};

use TableKind::*;

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

/// The 决算 tables of one year (0: a year not stated) against each other.
pub(super) fn final_accounts(ctx: &mut Ctx, y: i32) {
    let yl = year_label(y);
    let t01 = ctx.need("cross.final_01_02_03", "01表与02/03表", Final01, y);
    let t02 = ctx.need("cross.final_01_02_03", "01表与02表", Final02, y);
    let t03 = ctx.need("cross.final_01_02_03", "01表与03表", Final03, y);
    statement_against_02_03(ctx, &yl, t01, t02, t03);
    let t04 = ctx.need("cross.final_04_05", "04表与05表", Final04, y);
    let t05 = ctx.need("cross.final_04_05", "04表与05表", Final05, y);
    fund_statement_against_02_05(ctx, &yl, t02, t04, t05);
    let t06 = ctx.need("cross.final_05_06", "05表与06表", Final06, y);
    basic_spending_against_03_06(ctx, &yl, t03, t05, t06);
    let t09 = ctx.need("cross.final_09_06", "09表与06表", Final09, y);
    if let (Some(t09), Some(t06)) = (t09, t06) {
        three_public_against_06(ctx, &yl, t09, t06);
    }
    // Empty 07/08 ⇒ the matching 04 columns are zero.
    if let Some(t04) = t04 {
        empty_07_08_against_04(ctx, y, &yl, t04);
    }
}

/// 01 ↔ 02 本年收入合计, 01 ↔ 03 本年支出合计 and its class lines, and 02 ↔ 03
/// code by code.
fn statement_against_02_03(ctx: &mut Ctx, yl: &str, t01: Option<&Table>, t02: Option<&Table>, t03: Option<&Table>) {
    if let (Some(t01), Some(t02)) = (t01, t02) {
        if let (Some(a), Some((b, _))) =
            (line_of(t01, "收入", |l| l == "本年收入合计", &["金额"]), total_of(t02, &["本年收入合计"]))
        {
            ctx.sum("cross.final_01_02_03", &workbook_of(t01), yl, a, vec![b]);
        }
    }
    if let (Some(t01), Some(t02), Some(t03)) = (t01, t02, t03) {
        income_against_spending(ctx, t01, t02, t03);
    }
    if let (Some(t01), Some(t03)) = (t01, t03) {
        if let (Some(a), Some((b, _))) =
            (line_of(t01, "支出", |l| l == "本年支出合计", &["金额"]), total_of(t03, &["本年支出合计"]))
        {
            ctx.sum("cross.final_01_02_03", &workbook_of(t01), yl, a, vec![b]);
        }
        class_lines(ctx, t01, "支出", &["金额"], t03, &["本年支出合计"], "cross.final_class_lines");
    }
}

/// 04 一般公共预算 ↔ 05 and its class lines; 04 本年收入合计 ↔ 02 财政拨款收入.
fn fund_statement_against_02_05(
    ctx: &mut Ctx,
    yl: &str,
    t02: Option<&Table>,
    t04: Option<&Table>,
    t05: Option<&Table>,
) {
    if let (Some(t04), Some(t05)) = (t04, t05) {
        if let (Some(a), Some((b, _))) =
            (line_of(t04, "支出", |l| l == "本年支出合计", &["一般公共预算"]), total_of(t05, &["小计"]))
        {
            ctx.sum("cross.final_04_05", &workbook_of(t04), yl, a, vec![b]);
        }
        class_lines(ctx, t04, "支出", &["一般公共预算"], t05, &["小计"], "cross.final_class_lines");
    }
    if let (Some(t02), Some(t04)) = (t02, t04) {
        if let (Some(a), Some((b, _))) =
            (line_of(t04, "收入", |l| l == "本年收入合计", &[]), total_of(t02, &["财政拨款收入"]))
        {
            ctx.sum("cross.final_02_04", &workbook_of(t04), yl, a, vec![b]);
        }
    }
}

/// 05 基本支出 = 06 人员 + 公用; 05 ⊆ 03 code by code.
fn basic_spending_against_03_06(
    ctx: &mut Ctx,
    yl: &str,
    t03: Option<&Table>,
    t05: Option<&Table>,
    t06: Option<&Table>,
) {
    if let (Some(t05), Some(t06)) = (t05, t06) {
        let rows: Vec<&Row> = t06.blocks.iter().flat_map(|b| b.rows.iter()).collect();
        let personnel = rows.iter().find(|r| r.label.contains("人员经费合计"));
        let public_use = rows.iter().find(|r| r.label.contains("公用经费合计"));
        if let (Some((a, _)), Some(p), Some(u)) = (total_of(t05, &["基本支出"]), personnel, public_use) {
            let name = short_name(t06);
            ctx.sum(
                "cross.final_05_06",
                &workbook_of(t05),
                yl,
                a,
                vec![term(format!("{name} 人员经费合计"), p, 0), term(format!("{name} 公用经费合计"), u, 0)],
            );
        }
    }
    if let (Some(t05), Some(t03)) = (t05, t03) {
        subset(ctx, "cross.final_05_03", t05, &["小计"], t03, &["本年支出合计"]);
    }
}

/// 09's 三公 决算数 against the 06 lines: 06 at most 09.
fn three_public_against_06(ctx: &mut Ctx, yl: &str, t09: &Table, t06: &Table) {
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
            at_most(ctx, "cross.final_09_06", &workbook_of(t09), yl, lhs, rhs, THREE_PUBLIC_WIDER);
        }
    }
}

/// Empty 07/08 ⇒ the matching 04 columns are zero.
fn empty_07_08_against_04(ctx: &mut Ctx, y: i32, yl: &str, t04: &Table) {
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
        ctx.sum("cross.final_07_08_04", &workbook_of(t04), yl, a, vec![b]);
    }
}
