//! What a case lacks of what it needs, all of it known before scoring: the
//! 项目信息 fields the report prints, the texts and 主题 the report
//! templates declare (`{#- 需要：文字“主要成效及做法”、主题 -#}`, see
//! [`TextNeed`]), and the inputs its indicator system reads
//! ([`system::needs`](crate::system::needs), gates decided by
//! [`crate::score::needs_of`]) — 事实, department tables (by year), 问卷,
//! sampled projects. `jixiao check` and `build` list every
//! missing item in one run, grouped, each with where to fill it; the draft
//! report shows each as a placeholder.

use crate::model::working_paper::WorkingPaper;
use crate::model::{Case, TableKind};
use crate::system::needs::{Need, Year};
use crate::system::ScoreError;

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

/// The 文字 of a project's 总体目标: not missing when the project's
/// 项目支出绩效自评表 states its 年初预期目标 (the template prints that).
pub const PROJECT_GOAL: &str = "项目总体目标";

/// One missing input and where to fill it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// `事实“6月底支出”`, `2023年 公开09表`, `项目信息“评价机构”`.
    pub what: String,
    /// Who needs it (`指标“预算执行进度”`, `封面和报告撰写说明`).
    pub used_by: String,
    /// Where to fill it.
    pub fill: String,
    /// The input it is (none for a text or a 项目信息 field).
    pub input: Option<Need>,
}

pub use crate::templates::{default_texts, TextNeed, THEMES, THEMES_ITEM};

/// Everything a case lacks, grouped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Missing {
    pub tables: Vec<Item>,
    pub facts: Vec<Item>,
    pub texts: Vec<Item>,
    pub info: Vec<Item>,
    pub other: Vec<Item>,
    /// Texts a template asks for that the paper holds under a near name
    /// (used, and told as a 提示): not missing.
    pub near: Vec<NearText>,
}

/// A 文字 a template asks for, typed under a near name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearText {
    /// The name the template asks for.
    pub asked: String,
    /// The name as typed on the paper.
    pub typed: String,
    /// The template part and line asking for it.
    pub part: String,
    /// The typed 文字's 内容 cell.
    pub at: Option<crate::model::Provenance>,
}

impl Missing {
    /// Does `error` (a scoring error) only repeat an item of this list: is
    /// it about an input ([`ScoreError::input`]) the list has?
    pub fn covers(&self, error: &ScoreError) -> bool {
        let Some(input) = error.input() else { return false };
        self.tables
            .iter()
            .chain(&self.facts)
            .chain(&self.other)
            .any(|i| i.input.as_ref().is_some_and(|n| n.same_input(input)))
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
        self.groups().iter().map(|(_, items)| items.len()).sum()
    }

    /// The groups, titled, in the order they are listed.
    pub fn groups(&self) -> [(&'static str, &Vec<Item>); 5] {
        [
            ("缺表", &self.tables),
            ("缺事实", &self.facts),
            ("缺文字", &self.texts),
            ("缺项目信息", &self.info),
            ("缺其他", &self.other),
        ]
    }

    /// The list for people: `缺表` / `缺事实` / `缺文字` / `缺项目信息` /
    /// `缺其他`, one line an item.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (title, items) in self.groups() {
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

/// What the case lacks for templates declaring `texts` and for the inputs
/// its indicator system reads (`in_effect`, gates decided: see
/// [`crate::score::missing`]); nothing when it has no working paper —
/// scoring says so itself.
pub fn missing_with(case: &Case, texts: &[TextNeed], in_effect: &[Need]) -> Missing {
    let mut m = Missing::default();
    let Some(paper) = case.working_paper.as_ref() else { return m };
    let at = |sheet: &str| format!("{} › {sheet}", paper.file);
    let mut seen = std::collections::HashSet::new();
    for need in texts.iter().filter(|n| n.info_field().is_none() && seen.insert(n.name.as_str())) {
        if need.name == THEMES {
            if paper.themes.is_empty() {
                m.texts.push(Item {
                    what: THEMES_ITEM.into(),
                    used_by: format!("模板 {}", need.part),
                    fill: format!("在 {} 每个问题主题填一行（标题、原因分析、具体表现、建议）", at("主题")),
                    input: None,
                });
            }
            continue;
        }
        let name = need.name.as_str();
        if let Some((typed, _, at)) = paper.near_text(name).filter(|(_, v, _)| !v.trim().is_empty()) {
            let at = at.cloned();
            m.near.push(NearText { asked: name.into(), typed: typed.into(), part: need.part.clone(), at });
            continue;
        }
        let key = crate::model::working_paper::near_name(name);
        let present = paper.texts.iter().any(|(k, v)| {
            let k = crate::model::working_paper::near_name(k);
            !v.trim().is_empty() && (k == key || k.starts_with(&format!("{key}(")))
        }) || (name == PROJECT_GOAL
            && case.evaluated_project().is_some_and(|e| e.stated_goal().is_some()));
        if !present {
            m.texts.push(Item {
                what: format!("文字“{name}”"),
                used_by: format!("模板 {}", need.part),
                fill: format!("在 {} 加一行：名称“{name}”、内容（较长可分段：{name}(1)、{name}(2)…）", at("文字")),
                input: None,
            });
        }
    }
    // 项目信息 the templates print (`{#- 需要：项目信息“评价机构” -#}`).
    let mut fields_seen = std::collections::HashSet::new();
    for need in texts {
        let Some(field) = need.info_field() else {
            continue;
        };
        if !fields_seen.insert(field) || paper.info(field).is_some() {
            continue;
        }
        let why = INFO_FIELDS.iter().find(|(f, _)| *f == field).map(|(_, w)| w.to_string());
        m.info.push(Item {
            what: format!("项目信息“{field}”"),
            used_by: why.unwrap_or_else(|| format!("模板 {}", need.part)),
            fill: format!("在 {} 的“{field}”一行填写", at("项目信息")),
            input: None,
        });
    }
    for need in in_effect {
        if let Some((group, item)) = lacking(case, need) {
            let list = match group {
                Group::Table => &mut m.tables,
                Group::Fact => &mut m.facts,
                Group::Other => &mut m.other,
            };
            if !list.iter().any(|i| i.what == item.what) {
                list.push(item);
            }
        }
    }
    m
}

/// Which list a missing input goes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Table,
    Fact,
    Other,
}

/// The input `need` names, if the case lacks it: the item to fill and its
/// list. Scoring asks this per indicator, so an indicator whose inputs are
/// missing is pending (a placeholder in the draft), never computed from a
/// stand-in.
pub fn lacking(case: &Case, need: &Need) -> Option<(Group, Item)> {
    let paper = case.working_paper.as_ref()?;
    let at = |sheet: &str| sheet_at(paper, sheet);
    let indicator = used_by;
    // A table metric given directly as a 事实 needs nothing else.
    if need.or_fact().is_some_and(|f| paper.fact(f).is_some_and(|f| f.number().is_some())) {
        return None;
    }
    let lacking = match need {
        Need::Fact { name, unit, indicator: ind, .. } => (paper.fact(name).is_none() && paper.cell(name).is_none())
            .then(|| {
                let unit = if unit.is_empty() { String::new() } else { format!("，单位 {unit}") };
                if let Some((table, column, row)) = crate::system::needs::table_cell(name) {
                    let item = Item {
                        what: format!("数据表“{table}”的“{column}”（{row}行）"),
                        used_by: indicator(ind),
                        fill: format!(
                            "在 {} 的“{row}”行“{column}”列填写数字（没有此表时新建工作表“表：{table}”，第一行为列名，第一列为行名）",
                            at(&format!("表：{table}"))
                        ),
                        input: None,
                    };
                    return (Group::Fact, item);
                }
                let item = Item {
                    what: format!("事实“{name}”"),
                    used_by: indicator(ind),
                    fill: format!("在 {} 加一行：名称“{name}”、数值{unit}", at("事实")),
                    input: None,
                };
                (Group::Fact, item)
            }),
        Need::FullYearBudget { indicator: ind, .. } => lacking_full_year_budget(case, paper, ind),
        Need::Table { kind, year: which, indicator: ind, .. } => lacking_table(case, *kind, *which, ind),
        Need::Units { column, indicator: ind } => (!paper.has_unit_column(column)).then(|| {
            let item = Item {
                what: format!("单位数据“{column}”"),
                used_by: indicator(ind),
                fill: format!("在 {} 加一列“{column}”，每个单位一行填写", at("单位数据")),
                input: None,
            };
            (Group::Other, item)
        }),
        Need::ProjectForm { indicator: ind } => lacking_project_form(case, paper, ind),
        Need::Survey { indicator: ind } => (paper.survey.is_empty() && case.survey.is_empty()).then(|| {
            let item = Item {
                what: "问卷数据".into(),
                used_by: indicator(ind),
                fill: format!("在 {} 每题每个选项填一行（题目、选项、权重、人数）", at("问卷")),
                input: None,
            };
            (Group::Other, item)
        }),
        Need::Sampled { purpose, indicator: ind } => {
            (!paper.sampled.iter().any(|s| &s.purpose == purpose)).then(|| {
                let item = Item {
                    what: format!("{purpose}抽查项目"),
                    used_by: indicator(ind),
                    fill: format!("在 {} 填写用途为“{purpose}”的项目", at("抽查项目")),
                    input: None,
                };
                (Group::Other, item)
            })
        }
    };
    // Say how to give the metric directly instead.
    lacking.map(|(group, mut item)| {
        item.input = Some(need.clone());
        if let Some(f) = need.or_fact() {
            item.fill = format!("{}；或在 {} 直接填写“{f}”", item.fill, at("事实"));
        }
        (group, item)
    })
}

/// Where in the paper: `file › sheet`.
fn sheet_at(paper: &WorkingPaper, sheet: &str) -> String {
    format!("{} › {sheet}", paper.file)
}

/// `指标“…”`: the indicator that needs the input.
fn used_by(n: &str) -> String {
    format!("指标“{n}”")
}

/// 全年预算数: a 事实, or a 部门整体支出绩效自评表 with its 预算数.
fn lacking_full_year_budget(case: &Case, paper: &WorkingPaper, ind: &str) -> Option<(Group, Item)> {
    let has = paper.fact("全年预算数").is_some_and(|f| f.number().is_some())
        || case.dept_self_evals.iter().any(|d| d.budget.as_ref().and_then(|v| v.value.number()).is_some());
    (!has).then(|| {
        let item = Item {
            what: "事实“全年预算数”".into(),
            used_by: used_by(ind),
            fill: format!(
                "在 {} 加一行：名称“全年预算数”（调整后预算）、数值，单位 万元；或放入部门整体支出绩效自评表",
                sheet_at(paper, "事实")
            ),
            input: None,
        };
        (Group::Fact, item)
    })
}

/// A 决算 or 预算 table of the evaluation year or the one before.
fn lacking_table(case: &Case, kind: TableKind, which: Year, ind: &str) -> Option<(Group, Item)> {
    let year = case.evaluation_year();
    let y = match which {
        Year::This => year,
        Year::Last => year.map(|y| y - 1),
    };
    let found = match (which, y) {
        (Year::Last, None) => false,
        _ => case.table(kind, y).is_some(),
    };
    (!found).then(|| {
        let what = match y {
            Some(y) => format!("{y}年 {}", kind.name()),
            None if which == Year::Last => format!("上年 {}", kind.name()),
            None => kind.name().to_string(),
        };
        let book = if kind.is_final() { "部门决算公开表" } else { "部门预算公开表" };
        let item = Item {
            what,
            used_by: used_by(ind),
            fill: format!("把含该表的{book}工作簿放入案例文件夹（文件名或标题写明年度）"),
            input: None,
        };
        (Group::Table, item)
    })
}

/// The evaluated project's 项目支出绩效自评表.
fn lacking_project_form(case: &Case, paper: &WorkingPaper, ind: &str) -> Option<(Group, Item)> {
    case.evaluated_project().is_none().then(|| {
        let name = paper.info("评价项目").or(paper.info("评价对象")).unwrap_or("（未填写）");
        let item = Item {
            what: format!("项目支出绩效自评表（评价项目“{name}”）"),
            used_by: used_by(ind),
            fill: format!(
                "把该项目的项目支出绩效自评表放入案例文件夹，并在 {} 的“评价项目”一行填写与自评表相同的项目名称",
                sheet_at(paper, "项目信息")
            ),
            input: None,
        };
        (Group::Table, item)
    })
}
