//! What an indicator system needs from a case, known before scoring: the
//! 事实 each rule reads (by name, with the indicator and unit), the
//! department tables its computed metrics read (which year), the 问卷 and
//! the sampled projects — so that everything missing is said in one run.
//!
//! ```
//! let system = jixiao::system::shipped_systems().into_iter().next().unwrap();
//! let needs = jixiao::system::needs::needs(&system);
//! assert!(needs.iter().any(|n| matches!(n, jixiao::system::needs::Need::Fact { name, .. } if name == "6月底支出")));
//! ```

use crate::model::TableKind;

use super::NamedMetric;
use super::{Indicator, System};

/// Metrics computed from the department's tables: each may also be given
/// as a 事实 of the same name (a department whose 公开表 is not at hand).
pub const TABLE_METRICS: &[&str] = &[
    "年初预算数",
    "决算支出",
    "预算执行率",
    "预算执行率偏差",
    "预决算差异率",
    "年中调剂率",
    "五项费用预算数",
    "五项费用决算数",
    "上年五项费用决算数",
    "五项费用控制率",
    "五项费用变动率",
];

/// Which year a table is needed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Year {
    /// The evaluation year.
    This,
    /// The year before.
    Last,
}

/// One input the system needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    /// A 事实 of the working paper (sheet 事实). `or_fact`: a 事实 that
    /// gives the metric needing it directly (then this one is not needed).
    Fact { name: String, unit: String, indicator: String, or_fact: Option<String> },
    /// A department table; `or_fact` as for `Fact` (a table metric given
    /// as a 事实 when the tables are not at hand).
    Table { kind: TableKind, year: Year, indicator: String, or_fact: Option<String> },
    /// 全年预算数: the 事实, or the 部门整体支出绩效自评表's 调整后预算数.
    FullYearBudget { indicator: String, or_fact: Option<String> },
    /// The 问卷 sheet.
    Survey { indicator: String },
    /// Projects on the 抽查项目 sheet for a purpose (复评, 实际绩效).
    Sampled { purpose: String, indicator: String },
    /// A column of the 单位数据 sheet (per-unit figures).
    Units { column: String, indicator: String },
    /// The evaluated project's 项目支出绩效自评表 (its targets and actuals).
    ProjectForm { indicator: String },
}

impl Need {
    /// The indicator that needs it.
    pub fn indicator(&self) -> &str {
        match self {
            Need::Fact { indicator, .. }
            | Need::Table { indicator, .. }
            | Need::FullYearBudget { indicator, .. }
            | Need::Survey { indicator }
            | Need::Sampled { indicator, .. }
            | Need::Units { indicator, .. }
            | Need::ProjectForm { indicator } => indicator,
        }
    }

    /// The 事实 that, given, makes this need moot.
    pub fn or_fact(&self) -> Option<&str> {
        match self {
            Need::Fact { or_fact, .. } | Need::Table { or_fact, .. } | Need::FullYearBudget { or_fact, .. } => {
                or_fact.as_deref()
            }
            _ => None,
        }
    }

    fn given_as(mut self, metric: &str) -> Need {
        if let Need::Fact { or_fact, .. } | Need::Table { or_fact, .. } | Need::FullYearBudget { or_fact, .. } =
            &mut self
        {
            *or_fact = Some(metric.to_string());
        }
        self
    }
}

/// A data-table reference `表名.列名[行名]` (a cell of the paper's
/// `表：表名` sheet), split into (表名, 列名, 行名).
pub fn table_cell(name: &str) -> Option<(&str, &str, &str)> {
    let (table, rest) = name.split_once('.')?;
    let (column, row) = rest.strip_suffix(']')?.split_once('[')?;
    Some((table.trim(), column.trim(), row.trim())).filter(|(t, c, r)| !t.is_empty() && !c.is_empty() && !r.is_empty())
}

fn fact(name: &str, unit: &str, indicator: &str) -> Need {
    Need::Fact { name: name.into(), unit: unit.into(), indicator: indicator.into(), or_fact: None }
}

fn table(kind: TableKind, year: Year, indicator: &str) -> Need {
    Need::Table { kind, year, indicator: indicator.into(), or_fact: None }
}

fn full_year_budget(indicator: &str) -> Need {
    Need::FullYearBudget { indicator: indicator.into(), or_fact: None }
}

/// What a metric reads: a metric computed from the tables
/// ([`TABLE_METRICS`](TABLE_METRICS)) may instead be given
/// as a 事实 of its name.
fn metric_needs(metric: &str, indicator: &str) -> Vec<Need> {
    let needs = reads(metric, indicator);
    if TABLE_METRICS.contains(&metric) {
        needs.into_iter().map(|n| n.given_as(metric)).collect()
    } else {
        needs
    }
}

/// What a metric (`metrics::Inputs::metric`) reads from the case.
fn reads(metric: &str, indicator: &str) -> Vec<Need> {
    use TableKind::*;
    let spending = || table(Final03, Year::This, indicator);
    let initial = || table(Budget03, Year::This, indicator);
    let five = |year| vec![table(Final09, year, indicator), table(Final06, year, indicator)];
    let five_budget = || vec![table(Budget07, Year::This, indicator), table(Budget06, Year::This, indicator)];
    match metric {
        "年初预算数" => vec![initial()],
        "决算支出" => vec![spending()],
        "全年预算数" => vec![full_year_budget(indicator)],
        "预算执行率" | "预算执行率偏差" => {
            vec![spending(), full_year_budget(indicator)]
        }
        "预决算差异率" => vec![spending(), initial()],
        "年中调剂率" => vec![fact("年中调剂金额", "万元", indicator), initial()],
        "五项费用预算数" => five_budget(),
        "五项费用决算数" => five(Year::This),
        "上年五项费用决算数" => five(Year::Last),
        "五项费用控制率" => [five(Year::This), five_budget()].concat(),
        "五项费用变动率" => [five(Year::This), five(Year::Last)].concat(),
        "闲置资产变化率" => ["本年闲置资产", "本年资产总额", "上年闲置资产", "上年资产总额"]
            .iter()
            .map(|n| fact(n, "万元", indicator))
            .collect(),
        "固定资产利用率" => {
            ["在用固定资产", "固定资产总额"].iter().map(|n| fact(n, "万元", indicator)).collect()
        }
        "问卷满意度" => vec![Need::Survey { indicator: indicator.into() }],
        "项目年初预算数" | "项目全年预算数" | "项目执行数" => {
            vec![Need::ProjectForm { indicator: indicator.into() }]
        }
        "" => Vec::new(),
        other => vec![fact(other, "", indicator)],
    }
}

/// What one rule reads.
pub fn rule_needs(rule: &super::RuleSpec, name: &str, formulas: &[NamedMetric]) -> Vec<Need> {
    use super::Family as F;
    let p = &rule.params;
    let metric_needs = |metric: &str, indicator: &str| formula_needs(metric, indicator, formulas, 0);
    match rule.family {
        F::Ratio => match p.get("numerator") {
            Some(num) => [metric_needs(num, name), metric_needs(p.get("denominator").unwrap_or(""), name)].concat(),
            None => metric_needs(p.get("metric").unwrap_or(""), name),
        },
        F::Bands | F::Window | F::Step | F::Gate => metric_needs(p.get("metric").unwrap_or(""), name),
        F::Checkpoints => {
            let mut v = metric_needs(p.get("denominator").unwrap_or(""), name);
            for (f, _) in p.pairs("points").unwrap_or_default() {
                v.push(fact(&f, "万元", name));
            }
            v
        }
        F::GradeMap => p.get("fact").map(|f| vec![fact(f, "", name)]).unwrap_or_default(),
        F::Share => ["compliant", "total"].iter().filter_map(|k| p.get(k)).map(|f| fact(f, "个", name)).collect(),
        F::ProjectGrades | F::GradeGap => vec![Need::Sampled {
            purpose: p.get("purpose").unwrap_or("复评").to_string(),
            indicator: name.to_string(),
        }],
        F::UnitShare => unit_columns(p.get("column").unwrap_or_default())
            .into_iter()
            .map(|column| Need::Units { column, indicator: name.to_string() })
            .collect(),
        F::Target => vec![Need::ProjectForm { indicator: name.to_string() }],
        F::Findings | F::NotApplicable | F::Manual => Vec::new(),
    }
}

/// The 单位数据 columns a `unit_share` column reads: itself, or the columns
/// of a per-unit formula (`实行DRG付费机构数 / 定点医疗机构数 × 100`).
pub fn unit_columns(column: &str) -> Vec<String> {
    match super::expr::Expr::parse(column) {
        Ok(e) if super::expr::is_expression(column) => e.names(),
        _ => vec![column.to_string()],
    }
}

/// What one indicator's rules read, without repeats (all of them: what a
/// case needs in effect, gates decided, is [`crate::score::needs_in_effect`]).
pub fn needs_of(ind: &Indicator, formulas: &[NamedMetric]) -> Vec<Need> {
    let mut out: Vec<Need> = Vec::new();
    for rule in &ind.rules {
        push_new(&mut out, rule_needs(rule, &ind.name, formulas));
    }
    out
}

/// What a metric reads, through the formulas that define it (a formula's
/// operands, each in turn), bounded in depth.
fn formula_needs(metric: &str, indicator: &str, formulas: &[NamedMetric], depth: usize) -> Vec<Need> {
    let formula = formulas.iter().find(|m| m.name == metric).map(|m| m.formula.as_str());
    let text = match formula {
        Some(f) => f,
        None if super::expr::is_expression(metric) => metric,
        None => return metric_needs(metric, indicator),
    };
    if depth > 16 {
        return Vec::new();
    }
    let Ok(e) = super::expr::Expr::parse(text) else { return Vec::new() };
    let mut out = Vec::new();
    for name in e.names() {
        push_new(&mut out, formula_needs(&name, indicator, formulas, depth + 1));
    }
    out
}

/// Everything the system's rules read, in indicator order, without repeats
/// (each need names the first indicator that reads it).
pub fn needs(system: &System) -> Vec<Need> {
    let mut out: Vec<Need> = Vec::new();
    for ind in &system.indicators {
        push_new(&mut out, needs_of(ind, &system.metrics));
    }
    out
}

fn push_new(out: &mut Vec<Need>, add: Vec<Need>) {
    for n in add {
        if !out.iter().any(|o| o.same_input(&n)) {
            out.push(n);
        }
    }
}

impl Need {
    /// The same input, whoever needs it.
    pub fn same_input(&self, other: &Need) -> bool {
        match (self, other) {
            (Need::Fact { name: a, .. }, Need::Fact { name: b, .. }) => a == b,
            (Need::Table { kind: a, year: ya, .. }, Need::Table { kind: b, year: yb, .. }) => a == b && ya == yb,
            (Need::FullYearBudget { .. }, Need::FullYearBudget { .. }) | (Need::Survey { .. }, Need::Survey { .. }) => {
                true
            }
            (Need::Sampled { purpose: a, .. }, Need::Sampled { purpose: b, .. }) => a == b,
            (Need::Units { column: a, .. }, Need::Units { column: b, .. }) => a == b,
            (Need::ProjectForm { .. }, Need::ProjectForm { .. }) => true,
            _ => false,
        }
    }
}
