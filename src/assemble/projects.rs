//! Projects: the department's (预算 表十一 joined with the 分项绩效项目清单,
//! [`ProjectLine`]), its transfer payments ([`Transfers`], 表3-2) and the
//! project a 项目支出 evaluation is about ([`ProjectInfo`]).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::model::figures::{self, Figure};
use crate::model::{project_key, Case, TableKind};

/// A project: its budget (预算 表十一 合计) and its spending (分项绩效项目清单 执行数).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectLine {
    pub name: String,
    pub budget: Option<Figure>,
    pub spent: Option<Figure>,
}

/// 转移支付 (表3-2): per project 中央/省级/市级 allocated and spent, and the totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Transfers {
    pub lines: Vec<TransferLine>,
    pub allocated: [Decimal; 3],
    pub spent: [Decimal; 3],
    pub allocated_total: Decimal,
    pub spent_total: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransferLine {
    pub project: String,
    pub allocated: [Decimal; 3],
    pub spent: [Decimal; 3],
    pub allocated_total: Decimal,
    pub spent_total: Decimal,
}

/// The evaluated project, from its 项目支出绩效自评表.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectInfo {
    pub name: String,
    /// 主管部门 (the form's, else 项目信息 › 项目责任单位): the department
    /// whose project it is, which supplied the materials.
    pub department: String,
    pub implementer: String,
    /// 年度资金总额: 年初预算数, 全年预算数, 全年执行数 (万元).
    pub initial_budget: Option<Figure>,
    pub budget: Option<Figure>,
    pub spent: Option<Figure>,
    /// 执行数 / 全年预算数 × 100, 2 decimals.
    pub execution_rate: Option<Decimal>,
    /// Every line of the form's 项目预算执行情况: 年度资金总额 and its
    /// sources (当年财政拨款, 上年结转资金, 其他资金), as the form has them.
    #[serde(default)]
    pub funds: Vec<ProjectFund>,
    /// 年初预期目标 when it states a goal (not when it only repeats the
    /// project's name: [`crate::model::ProjectSelfEval::stated_goal`]).
    pub goal: String,
    /// 目标实际完成情况.
    pub achieved: String,
    /// Its targets: (一级, 二级, 三级, 年度指标值, 实际完成值).
    pub targets: Vec<[String; 5]>,
}

/// A line of the project's 项目预算执行情况 (万元); an empty cell is none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectFund {
    /// As the form labels it, without `其中：` (`当年财政拨款`).
    pub label: String,
    /// 年度资金总额 (the other lines are its sources).
    pub total: bool,
    pub initial_budget: Option<Figure>,
    pub budget: Option<Figure>,
    pub spent: Option<Figure>,
    /// 执行数 / 全年预算数 × 100, 2 decimals.
    pub execution_rate: Option<Decimal>,
}

fn fund(f: &crate::model::FundLine) -> ProjectFund {
    let figure =
        |v: Option<&crate::model::Value>| v.and_then(|v| v.value.number().map(|d| Figure::new(d, v.at.to_string())));
    let (initial_budget, budget, spent) =
        (figure(f.initial_budget.as_ref()), figure(f.budget.as_ref()), figure(f.spent.as_ref()));
    let execution_rate = match (&spent, &budget) {
        (Some(s), Some(b)) => figures::share_rate(s.value, b.value),
        _ => None,
    };
    let label = f.label.trim();
    ProjectFund {
        label: label.trim_start_matches("其中").trim_start_matches(['：', ':']).trim().to_string(),
        total: label.contains("资金总额"),
        initial_budget,
        budget,
        spent,
        execution_rate,
    }
}

pub(super) fn project_info(case: &Case) -> Option<ProjectInfo> {
    let e = case.evaluated_project()?;
    let funds: Vec<ProjectFund> = e.funds.iter().map(fund).collect();
    let total = funds.iter().find(|f| f.total).or(funds.first()).cloned();
    let paper_department = case.working_paper.as_ref().and_then(|p| p.info("项目责任单位"));
    Some(ProjectInfo {
        name: e.project.clone(),
        department: e.department.as_deref().or(paper_department).unwrap_or_default().to_string(),
        implementer: e.implementer.clone().unwrap_or_default(),
        initial_budget: total.as_ref().and_then(|f| f.initial_budget.clone()),
        budget: total.as_ref().and_then(|f| f.budget.clone()),
        spent: total.as_ref().and_then(|f| f.spent.clone()),
        execution_rate: total.as_ref().and_then(|f| f.execution_rate),
        funds,
        goal: e.stated_goal().unwrap_or_default().to_string(),
        achieved: e.achieved_goal.clone().unwrap_or_default(),
        targets: e
            .indicators
            .iter()
            .map(|i| [i.level1.clone(), i.level2.clone(), i.name.clone(), i.target.text.clone(), i.actual.text.clone()])
            .collect(),
    })
}

/// 预算 表十一's projects joined with the 分项绩效项目清单's spending.
pub(super) fn projects(case: &Case, year: Option<i32>) -> Vec<ProjectLine> {
    let mut out: Vec<ProjectLine> = Vec::new();
    if let Some((t, rows)) = figures::budget_projects(case, year) {
        let col = t.column(&["合计"]).unwrap_or(0);
        for p in rows {
            let source = p.row.values.get(col).map(|v| v.at.to_string()).unwrap_or_else(|| p.row.at.to_string());
            out.push(ProjectLine {
                name: p.row.label.clone(),
                budget: Some(Figure::new(p.amount, source)),
                spent: None,
            });
        }
    }
    if let Some(t) = case.tables_of(TableKind::DeptSelfEvalProjects).next() {
        let b = t.main();
        let (name_col, spent_col) = (b.column(&["项目名称"]), b.column(&["执行数"]));
        for row in &b.rows {
            let name = match name_col.and_then(|c| row.text(c)) {
                Some(n) => n.to_string(),
                None if !row.label.is_empty() => row.label.clone(),
                None => continue,
            };
            let spent =
                spent_col.and_then(|c| row.value(c)).map(|v| Figure::new(v.value.amount_or_zero(), v.at.to_string()));
            match out.iter_mut().find(|p| project_key(&p.name) == project_key(&name)) {
                Some(p) => p.spent = spent,
                None => out.push(ProjectLine { name, budget: None, spent }),
            }
        }
    }
    out
}

pub(super) fn transfers(case: &Case) -> Transfers {
    let list = case.working_paper.as_ref().map(|p| p.transfers.as_slice()).unwrap_or_default();
    let mut out = Transfers::default();
    for t in list {
        let line = TransferLine {
            project: t.project.clone(),
            allocated: t.allocated,
            spent: t.spent,
            allocated_total: t.allocated.iter().sum(),
            spent_total: t.spent.iter().sum(),
        };
        for k in 0..3 {
            out.allocated[k] += t.allocated[k];
            out.spent[k] += t.spent[k];
        }
        out.lines.push(line);
    }
    out.allocated_total = out.allocated.iter().sum();
    out.spent_total = out.spent.iter().sum();
    out
}
