//! What a case needs, all of it known before scoring: the 项目信息 fields
//! the report prints, and everything the chosen indicator system reads
//! ([`score::needs`](crate::score::needs)) — 事实, department tables (by
//! year), 问卷, sampled projects. `jixiao check` and a failed `build` list
//! every missing item in one run, grouped, each with where to fill it.

use crate::model::Case;
use crate::score::needs::{needs, Need, Year};

/// 项目信息 fields the report prints, with what each is for.
pub const INFO_FIELDS: &[(&str, &str)] = &[
    ("评价对象", "封面、正文和报告文件名"),
    ("评价年度", "封面、正文，以及选用哪一年的报表"),
    ("委托方", "封面和报告撰写说明"),
    ("评价机构", "封面和报告撰写说明"),
    ("主评人", "报告撰写说明"),
    ("项目负责人", "报告撰写说明"),
    ("机构负责人", "报告撰写说明"),
    ("评估组成员", "报告撰写说明"),
    ("一级审核", "报告撰写说明的质量控制"),
    ("二级审核", "报告撰写说明的质量控制"),
    ("三级审核", "报告撰写说明的质量控制"),
    ("报告日期", "封面"),
];

/// One missing input and where to fill it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// `事实“6月底支出”`, `2023年 公开09表`, `项目信息“评价机构”`.
    pub what: String,
    /// Who needs it (`指标“预算执行进度”`, `封面和报告撰写说明`).
    pub used_by: String,
    /// Where to fill it.
    pub fill: String,
}

/// Everything a case lacks, grouped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Missing {
    pub tables: Vec<Item>,
    pub facts: Vec<Item>,
    pub info: Vec<Item>,
    pub other: Vec<Item>,
}

impl Missing {
    /// Does `message` (a scoring error) only repeat an item of this list?
    pub fn covers(&self, message: &str) -> bool {
        self.tables.iter().chain(&self.facts).chain(&self.other).any(|i| {
            let key = i.what.split_once('“').map(|(_, k)| k.trim_end_matches('”')).unwrap_or(&i.what);
            let key = key.rsplit(' ').next().unwrap_or(key);
            message.contains(key)
        })
    }

    /// Items without which the case cannot be scored (tables, 事实, 问卷,
    /// sampled projects); 项目信息 only leaves the report incomplete.
    pub fn blocking(&self) -> usize {
        self.tables.len() + self.facts.len() + self.other.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn len(&self) -> usize {
        self.tables.len() + self.facts.len() + self.info.len() + self.other.len()
    }

    /// The list for people: `缺表` / `缺事实` / `缺项目信息` / `缺其他`, one line an item.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (title, items) in
            [("缺表", &self.tables), ("缺事实", &self.facts), ("缺项目信息", &self.info), ("缺其他", &self.other)]
        {
            if items.is_empty() {
                continue;
            }
            out.push_str(&format!("{title}（{} 项）\n", items.len()));
            for i in items.iter() {
                out.push_str(&format!("  {}：{}用；{}\n", i.what, i.used_by, i.fill));
            }
        }
        out
    }
}

/// What the case lacks for its working paper's indicator system (nothing
/// when it has no working paper or no system: scoring says so itself).
pub fn missing(case: &Case) -> Missing {
    let mut m = Missing::default();
    let Some(paper) = case.working_paper.as_ref() else { return m };
    let at = |sheet: &str| format!("{} › {sheet}", paper.file);
    for (field, why) in INFO_FIELDS {
        if paper.info(field).is_none() {
            m.info.push(Item {
                what: format!("项目信息“{field}”"),
                used_by: why.to_string(),
                fill: format!("在 {} 的“{field}”一行填写", at("项目信息")),
            });
        }
    }
    let Ok(system) = crate::score::select_system(case) else { return m };
    let year = case.evaluation_year();
    let indicator = |n: &str| format!("指标“{n}”");
    for need in needs(&system) {
        match need {
            Need::Fact { name, unit, indicator: ind } => {
                if paper.fact(&name).is_none() {
                    let unit = if unit.is_empty() { String::new() } else { format!("，单位 {unit}") };
                    m.facts.push(Item {
                        what: format!("事实“{name}”"),
                        used_by: indicator(&ind),
                        fill: format!("在 {} 加一行：名称“{name}”、数值{unit}", at("事实")),
                    });
                }
            }
            Need::FullYearBudget { indicator: ind } => {
                let has = paper.fact("全年预算数").is_some_and(|f| f.number().is_some())
                    || case.dept_self_evals.iter().any(|d| d.budget.as_ref().and_then(|v| v.value.number()).is_some());
                if !has {
                    m.facts.push(Item {
                        what: "事实“全年预算数”".into(),
                        used_by: indicator(&ind),
                        fill: format!(
                            "在 {} 加一行：名称“全年预算数”（调整后预算）、数值，单位 万元；或放入部门整体支出绩效自评表",
                            at("事实")
                        ),
                    });
                }
            }
            Need::Table { kind, year: which, indicator: ind } => {
                let y = match which {
                    Year::This => year,
                    Year::Last => year.map(|y| y - 1),
                };
                let label = match y {
                    Some(y) => format!("{y}年 {}", kind.name()),
                    None if which == Year::Last => format!("上年 {}", kind.name()),
                    None => kind.name().to_string(),
                };
                let found = match (which, y) {
                    (Year::Last, None) => false,
                    _ => case.table(kind, y).is_some(),
                };
                if !found && !m.tables.iter().any(|i| i.what == label) {
                    m.tables.push(Item {
                        what: label,
                        used_by: indicator(&ind),
                        fill: format!(
                            "把含该表的{}工作簿放入案例文件夹（文件名或标题写明年度）",
                            if kind.is_final() { "部门决算公开表" } else { "部门预算公开表" }
                        ),
                    });
                }
            }
            Need::Survey { indicator: ind } => {
                if paper.survey.is_empty() {
                    m.other.push(Item {
                        what: "问卷数据".into(),
                        used_by: indicator(&ind),
                        fill: format!("在 {} 每题每个选项填一行（题目、选项、权重、人数）", at("问卷")),
                    });
                }
            }
            Need::Sampled { purpose, indicator: ind } => {
                if !paper.sampled.iter().any(|s| s.purpose == purpose) {
                    m.other.push(Item {
                        what: format!("{purpose}抽查项目"),
                        used_by: indicator(&ind),
                        fill: format!("在 {} 填写用途为“{purpose}”的项目", at("抽查项目")),
                    });
                }
            }
        }
    }
    m
}
