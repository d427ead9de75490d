//! The tables of the project a 项目支出 evaluation is about: its funds
//! (表1-1, every line of the form's 项目预算执行情况) and its targets with
//! their actuals (表1-2).

use super::report_table::{c, l, merge_down, Cell, ReportTable};
use super::Evaluation;

use super::table_builders::{amount, rate};

/// 项目资金投入和使用情况: 年度资金总额 and each of its sources (当年财政拨款,
/// 上年结转资金, 其他资金) — 年初预算, 全年预算, 全年执行, 执行率; the first
/// source after “其中：”, the others aligned under it; a source the form
/// leaves empty shows “-”.
pub(super) fn project_funds(eval: &Evaluation) -> ReportTable {
    let p = eval.project.as_ref();
    let rows = p
        .map(|p| {
            let first_source = p.funds.iter().position(|f| !f.total);
            p.funds
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let label = match f.total {
                        true => c(&f.label).bold(),
                        false if Some(i) == first_source => l(format!("其中：{}", f.label)),
                        false => l(format!("　　　{}", f.label)),
                    };
                    vec![label, amount(&f.initial_budget), amount(&f.budget), amount(&f.spent), rate(f.execution_rate)]
                })
                .collect()
        })
        .unwrap_or_default();
    let mut t = ReportTable::new(
        "project-funds",
        vec![28, 18, 18, 18, 18],
        vec![vec![
            c("资金来源"),
            c("年初预算数（万元）"),
            c("全年预算数（万元）"),
            c("全年执行数（万元）"),
            c("执行率"),
        ]],
        rows,
    );
    t.missing = p.is_none();
    t
}

/// 项目绩效目标及完成情况: each target of the project with its actual.
pub(super) fn project_targets(eval: &Evaluation) -> ReportTable {
    let targets = eval.project.as_ref().map(|p| p.targets.clone()).unwrap_or_default();
    let mut rows: Vec<Vec<Cell>> =
        targets.iter().map(|t| vec![c(&t[0]), c(&t[1]), l(&t[2]), c(&t[3]), c(&t[4])]).collect();
    let keys: Vec<String> = targets.iter().map(|t| t[0].clone()).collect();
    merge_down(&mut rows, 0, &keys);
    let mut t = ReportTable::new(
        "project-targets",
        vec![14, 18, 32, 18, 18],
        vec![vec![c("一级指标"), c("二级指标"), c("三级指标"), c("年度指标值"), c("实际完成值")]],
        rows,
    )
    .small();
    t.missing = eval.project.is_none();
    t
}
