//! 机关运行经费 as the working paper records it against the 06表.

use rust_decimal::Decimal;

use crate::check::{short_name, workbook_of, Ctx};
use crate::model::{Severity, TableKind};

/// 机关运行经费 as the evaluator recorded it (事实 of the paper) against the
/// 06表's 公用经费合计 of the evaluation year: equal for an administrative
/// unit; a 提示 with both when not (a 事业单位 has none to state).
pub(super) fn running_costs(ctx: &mut Ctx) {
    let case = ctx.case;
    let Some(paper) = case.working_paper.as_ref() else { return };
    let Some(fact) = paper.fact("机关运行经费") else { return };
    let Some(stated) = fact.number() else { return };
    let Some(t06) = case.table(TableKind::Final06, case.evaluation_year()) else { return };
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
