//! The team's tables: 表2-1 评价人员名单及任务职责 (a third party's team), and
//! the 评价工作组人员名单及签字 a self-evaluation closes with (seed 004: its
//! members sign it by hand).

use super::report_table::{c, l, ReportTable};
use super::Evaluation;
use crate::model::Case;

/// 表2-1: 序号、姓名、职务/职称、任务职责.
pub(super) fn team(eval: &Evaluation) -> ReportTable {
    ReportTable::new(
        "2-1",
        vec![8, 14, 20, 58],
        vec![vec![c("序号"), c("姓名"), c("职务/职称"), c("任务职责")]],
        eval.case
            .team
            .iter()
            .enumerate()
            .map(|(i, t)| vec![c((i + 1).to_string()), c(&t[0]), c(&t[1]), l(&t[2])])
            .collect(),
    )
}

/// `team-sign`: 序号、姓名、单位、职务/职称、任务职责 and an empty 签字 for the
/// pen. A member's 单位 is the 评价人员 sheet's 单位 column, else the
/// 评价机构 (the team's own unit: in a self-evaluation the department),
/// else — no 评价机构 typed — the 评价对象.
pub(super) fn signed(eval: &Evaluation, case: &Case) -> ReportTable {
    let members = case.working_paper.as_ref().map(|p| p.team.as_slice()).unwrap_or_default();
    let agency = &eval.case.agency;
    let default_unit = if agency.is_empty() || agency.contains("【待填") { &eval.case.object } else { agency };
    ReportTable::new(
        "team-sign",
        vec![6, 11, 22, 14, 33, 14],
        vec![vec![c("序号"), c("姓名"), c("单位"), c("职务/职称"), c("任务职责"), c("签字")]],
        members
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let unit = if m.unit.is_empty() { default_unit } else { &m.unit };
                vec![c((i + 1).to_string()), c(&m.name), c(unit), c(&m.title), l(&m.work), c("")]
            })
            .collect(),
    )
    // 五号: five short columns and the 任务职责 on one A4 line.
    .small()
}
