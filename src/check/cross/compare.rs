//! Comparisons several rules share: class lines against coded rows, a
//! table within another code by code, a part at most its whole.

use rust_decimal::Decimal;

use crate::check::sums::{is_ordinal, line_amount, strip_ordinal};
use crate::check::{short_name, workbook_of, Ctx, Term};
use crate::model::{Provenance, Row, RowKind, Severity, Table};

use super::terms::term;

/// The numbered class lines of a side-by-side table against the 3-digit rows
/// of a coded table, matched by name.
pub(super) fn class_lines(
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
pub(super) fn subset(
    ctx: &mut Ctx,
    rule: &'static str,
    small: &Table,
    small_col: &[&str],
    big: &Table,
    big_col: &[&str],
) {
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

/// Why a "三公" table may exceed the 基本支出 detail: it counts every
/// 财政拨款 source, the detail only 一般公共预算 基本支出.
pub(super) const THREE_PUBLIC_WIDER: &str =
    "“三公”经费表含项目支出和政府性基金负担的部分，基本支出表只含一般公共预算基本支出，差额多为项目经费列支，请核实";

/// `part ≤ whole`: `part` above `whole` is an 错误 (or a 尾数 提示), `whole`
/// above `part` a 提示 saying why that is usual.
pub(super) fn at_most(
    ctx: &mut Ctx,
    rule: &'static str,
    workbook: &str,
    context: &str,
    whole: Term,
    part: Term,
    why: &str,
) {
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
