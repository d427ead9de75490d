//! Across the 预算 tables of one year: 一 ↔ 二/三, 四 ↔ 五, 五 ↔ 二/三/六,
//! 四 ↔ 二/八/九, 十 ↔ 六/三, 十一 ↔ 三, 七 ↔ 六.

use rust_decimal::Decimal;

use crate::check::{short_name, workbook_of, Ctx, Term};
use crate::model::{Table, TableKind};

use super::compare::{at_most, class_lines, subset, THREE_PUBLIC_WIDER};
use super::terms::{line_of, term, total_of, year_label};

use TableKind::*;

/// The 预算 tables of one year (0: a year not stated) against each other.
pub(super) fn budget(ctx: &mut Ctx, y: i32) {
    let yl = year_label(y);
    let t1 = ctx.need("cross.budget", "表一与表二/表三", Budget01, y);
    let t2 = ctx.need("cross.budget", "表一与表二", Budget02, y);
    let t3 = ctx.need("cross.budget", "表一与表三", Budget03, y);
    statement_against_02_03(ctx, &yl, t1, t2, t3);
    let t4 = ctx.need("cross.budget", "表四与表五", Budget04, y);
    let t5 = ctx.need("cross.budget", "表五与表三/表六", Budget05, y);
    general_budget_against_02_03(ctx, &yl, t2, t3, t4, t5);
    fund_statement_against_02_08_09(ctx, y, &yl, t2, t4);
    let t6 = ctx.need("cross.budget", "表六与表五/表十", Budget06, y);
    if let (Some(t5), Some(t6)) = (t5, t6) {
        if let (Some((a, _)), Some((b, _))) = (total_of(t6, &["小计"]), total_of(t5, &["基本支出"])) {
            ctx.sum("cross.budget", &workbook_of(t6), &yl, a, vec![b]);
        }
    }
    let t10 = ctx.need("cross.budget", "表十与表六", Budget10, y);
    basic_budget_against_03_06(ctx, &yl, t3, t6, t10);
    let t11 = ctx.need("cross.budget", "表十一与表三", Budget11, y);
    if let (Some(t11), Some(t3)) = (t11, t3) {
        if let (Some((a, _)), Some((b, _))) = (total_of(t11, &["合计"]), total_of(t3, &["项目支出"])) {
            ctx.sum("cross.budget", &workbook_of(t11), &yl, a, vec![b]);
        }
    }
    let t7 = ctx.need("cross.budget", "表七与表六", Budget07, y);
    if let (Some(t7), Some(t6)) = (t7, t6) {
        reception_against_06(ctx, y, &yl, t7, t6);
    }
}

/// 表一 本年收入合计 ↔ 表二, 本年支出合计 ↔ 表三 and its class lines.
fn statement_against_02_03(ctx: &mut Ctx, yl: &str, t1: Option<&Table>, t2: Option<&Table>, t3: Option<&Table>) {
    if let (Some(t1), Some(t2)) = (t1, t2) {
        if let (Some(a), Some((b, _))) = (line_of(t1, "收入", |l| l == "本年收入合计", &[]), total_of(t2, &["合计"]))
        {
            ctx.sum("cross.budget", &workbook_of(t1), yl, a, vec![b]);
        }
    }
    if let (Some(t1), Some(t3)) = (t1, t3) {
        if let (Some(a), Some((b, _))) = (line_of(t1, "支出", |l| l == "本年支出合计", &[]), total_of(t3, &["合计"]))
        {
            ctx.sum("cross.budget", &workbook_of(t1), yl, a, vec![b]);
        }
        class_lines(ctx, t1, "支出", &[], t3, &["合计"], "cross.budget_class_lines");
    }
}

/// 表四's class lines ↔ 表五; 表五 合计 ↔ 表二 一般公共预算; 表五 ⊆ 表三.
fn general_budget_against_02_03(
    ctx: &mut Ctx,
    yl: &str,
    t2: Option<&Table>,
    t3: Option<&Table>,
    t4: Option<&Table>,
    t5: Option<&Table>,
) {
    if let (Some(t4), Some(t5)) = (t4, t5) {
        class_lines(ctx, t4, "支出", &["一般公共预算"], t5, &["合计"], "cross.budget_class_lines");
    }
    if let (Some(t2), Some(t5)) = (t2, t5) {
        if let (Some((a, _)), Some((b, _))) = (total_of(t5, &["合计"]), total_of(t2, &["一般公共预算"])) {
            ctx.sum("cross.budget", &workbook_of(t5), yl, a, vec![b]);
        }
    }
    // 表五 (一般公共预算) within 表三 (every source), code by code.
    if let (Some(t5), Some(t3)) = (t5, t3) {
        subset(ctx, "cross.budget_05_03", t5, &["合计"], t3, &["合计"]);
    }
}

/// 表四 (财政拨款) against 表二's 财政拨款 and 表八/九's totals.
fn fund_statement_against_02_08_09(ctx: &mut Ctx, y: i32, yl: &str, t2: Option<&Table>, t4: Option<&Table>) {
    if let (Some(t2), Some(t4)) = (t2, t4) {
        let income = line_of(t4, "收入", |l| l.replace(' ', "") == "本年收入合计", &[]);
        if let (Some(a), Some((b, _))) = (income, total_of(t2, &["财政拨款", "小计"])) {
            ctx.sum("cross.budget_04", &workbook_of(t4), yl, a, vec![b]);
        }
    }
    if let Some(t4) = t4 {
        for (kind, column) in [(Budget08, "政府性基金"), (Budget09, "国有资本")] {
            let spent = line_of(t4, "支出", |l| l.replace(' ', "") == "本年支出合计", &[column]);
            let Some(a) = spent else { continue };
            match ctx.case.table(kind, if y == 0 { None } else { Some(y) }).and_then(|t| total_of(t, &["合计"])) {
                Some((b, _)) => ctx.sum("cross.budget_04", &workbook_of(t4), yl, a, vec![b]),
                None if !a.value.is_zero() => ctx.sum(
                    "cross.budget_04",
                    &workbook_of(t4),
                    yl,
                    a,
                    vec![Term::new(format!("{}合计（无此表或无合计行）", kind.name()), Decimal::ZERO, None)],
                ),
                None => {}
            }
        }
    }
}

/// 表十 (基本支出预算) spans every source: its 一般公共预算 column is 表六,
/// its 合计 is 表三's 基本支出 (comparing 十 合计 with 六 小计 called
/// every department with 单位资金 wrong).
fn basic_budget_against_03_06(ctx: &mut Ctx, yl: &str, t3: Option<&Table>, t6: Option<&Table>, t10: Option<&Table>) {
    if let (Some(t10), Some(t6)) = (t10, t6) {
        if let (Some((a, _)), Some((b, _))) = (total_of(t10, &["一般公共预算"]), total_of(t6, &["小计"])) {
            ctx.sum("cross.budget", &workbook_of(t10), yl, a, vec![b]);
        }
    }
    if let (Some(t10), Some(t3)) = (t10, t3) {
        if let (Some((a, _)), Some((b, _))) = (total_of(t10, &["合计"]), total_of(t3, &["基本支出"])) {
            ctx.sum("cross.budget", &workbook_of(t10), yl, a, vec![b]);
        }
    }
}

/// 表七's 公务接待 of the year against 表六's 30217: 表六 at most 表七.
fn reception_against_06(ctx: &mut Ctx, y: i32, yl: &str, t7: &Table, t6: &Table) {
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
            at_most(ctx, "cross.budget", &workbook_of(t7), yl, lhs, rhs, THREE_PUBLIC_WIDER);
        }
    }
}
