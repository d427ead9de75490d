//! The form-like tables: 项目绩效目标表, 项目支出绩效自评表 and
//! 部门整体支出绩效自评表. They mix label rows, blocks and indicator lists, so
//! each has its own typed shape.

use rust_decimal::Decimal;
use serde::Serialize;

use super::{Location, Provenance, Target, Value};

/// 项目绩效目标表: one project's performance targets (seed 003).
#[derive(Debug, Clone, Serialize)]
pub struct ProjectTargets {
    pub location: Location,
    pub year: Option<i32>,
    /// 项目编码 / 项目编号.
    pub code: Option<String>,
    pub project: String,
    /// 主管部门.
    pub department: Option<String>,
    /// 绩效目标 (free text).
    pub goal: Option<String>,
    pub indicators: Vec<TargetIndicator>,
}

/// One row of a 项目绩效目标表.
#[derive(Debug, Clone, Serialize)]
pub struct TargetIndicator {
    /// 一级指标 (成本指标, 产出指标, 效益指标, 满意度指标).
    pub level1: String,
    /// 二级指标 (数量指标, 经济成本指标, …).
    pub level2: String,
    /// 三级指标.
    pub name: String,
    /// 指标内容.
    pub content: Option<String>,
    /// 评(扣)分标准.
    pub criterion: Option<String>,
    /// 指标值.
    pub target: Target,
    pub kpi_base_code: Option<String>,
    pub kpi_type: Option<String>,
    /// 评扣分标准 (the machine column).
    pub scoring_rule: Option<String>,
    pub at: Provenance,
}

/// 项目支出绩效自评表: a department's self-evaluation of one project.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectSelfEval {
    pub location: Location,
    pub year: Option<i32>,
    pub project: String,
    /// The cell the project's name is read from (the 汇总表 cross-check names it).
    #[serde(skip)]
    pub project_at: Option<Provenance>,
    /// 主管部门.
    pub department: Option<String>,
    /// 实施单位.
    pub implementer: Option<String>,
    /// 项目预算执行情况: 年度资金总额, 当年财政拨款, 上年结转资金, 其他资金.
    pub funds: Vec<FundLine>,
    /// 年初预期目标.
    pub planned_goal: Option<String>,
    /// 目标实际完成情况.
    pub achieved_goal: Option<String>,
    pub indicators: Vec<SelfEvalIndicator>,
    /// 总分 as written.
    pub stated_total: Option<Value>,
    /// 自评等级 as written.
    pub stated_grade: Option<String>,
}

impl ProjectSelfEval {
    /// Its 年初预期目标 when it states a goal: none when empty or when it
    /// only repeats the project's name (seed 000's form writes
    /// “医疗救助资金” there).
    pub fn stated_goal(&self) -> Option<&str> {
        let goal = self.planned_goal.as_deref()?.trim();
        (!goal.is_empty() && super::project_key(goal) != super::project_key(&self.project)).then_some(goal)
    }
}

/// A line of the 项目预算执行情况 block.
#[derive(Debug, Clone, Serialize)]
pub struct FundLine {
    /// 年度资金总额, 当年财政拨款, 上年结转资金, 其他资金.
    pub label: String,
    /// 年初预算数.
    pub initial_budget: Option<Value>,
    /// 全年预算数 (A).
    pub budget: Option<Value>,
    /// 全年执行数 (B).
    pub spent: Option<Value>,
    /// 分值.
    pub weight: Option<Value>,
    /// 执行率 (B/A) as written.
    pub rate: Option<Value>,
    /// 得分 as written.
    pub score: Option<Value>,
    pub at: Provenance,
}

/// One indicator row of a 项目支出绩效自评表.
#[derive(Debug, Clone, Serialize)]
pub struct SelfEvalIndicator {
    pub level1: String,
    pub level2: String,
    pub name: String,
    /// 年度指标值 (A).
    pub target: Target,
    /// 实际完成指标值 (B).
    pub actual: Target,
    /// 分值.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub weight: Option<Decimal>,
    /// 得分 as written.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub score: Option<Decimal>,
    /// 偏差原因分析及改进措施.
    pub remark: Option<String>,
    pub at: Provenance,
    /// The 得分 cell.
    pub score_at: Provenance,
}

/// 部门整体支出绩效自评表 (seed 004).
#[derive(Debug, Clone, Serialize)]
pub struct DeptSelfEval {
    pub location: Location,
    pub year: Option<i32>,
    /// 填报单位.
    pub department: Option<String>,
    /// 预算数 (调整后).
    pub budget: Option<Value>,
    pub budget_fiscal: Option<Value>,
    pub budget_other: Option<Value>,
    /// 执行数.
    pub spent: Option<Value>,
    pub spent_fiscal: Option<Value>,
    pub spent_other: Option<Value>,
    /// 预算执行率 as written (fraction).
    pub execution_rate: Option<Value>,
    pub indicators: Vec<DeptSelfEvalIndicator>,
    /// 合计 分值 and 自评得分 as written.
    pub total_weight: Option<Value>,
    pub total_score: Option<Value>,
    /// 三、绩效目标执行出现的偏差和采取的措施.
    pub deviation: Option<String>,
    /// 填报人, 联系电话 and other lines below.
    pub footer: Vec<String>,
}

/// One 三级 row of the 部门整体支出绩效自评表, with its parents' stated weights.
#[derive(Debug, Clone, Serialize)]
pub struct DeptSelfEvalIndicator {
    /// 一级 name without the bracketed weight (`投入`).
    pub level1: String,
    /// The bracketed weight of the 一级 (`投入 (20)` → 20).
    #[serde(with = "rust_decimal::serde::str_option")]
    pub level1_weight: Option<Decimal>,
    pub level2: String,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub level2_weight: Option<Decimal>,
    pub name: String,
    /// 指标内容.
    pub content: Option<String>,
    /// 评价标准.
    pub criterion: Option<String>,
    pub weight: Option<Value>,
    pub score: Option<Value>,
    pub at: Provenance,
}
