//! Who and what the report is about ([`CaseInfo`]): the 项目信息 of the
//! working paper (a placeholder where one is missing), its team and
//! schedule, and the report's file name.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::budget::paper_figure;
use super::placeholder;
use crate::model::Case;
use crate::score::Scored;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CaseInfo {
    /// 评价对象 (`枣庄市市中区医疗保障局`).
    pub object: String,
    /// 评价对象简称 (`市中区医疗保障局`), default the full name.
    pub short: String,
    /// 评价年度.
    pub year: String,
    pub client: String,
    pub agency: String,
    pub lead: String,
    pub project_lead: String,
    pub agency_head: String,
    pub members: String,
    /// 一级, 二级, 三级 审核.
    pub reviews: Vec<String>,
    /// 报告日期 (`2025年12月`).
    pub date: String,
    /// 报告类型 from the indicator system (`部门预算整体绩效评价`).
    pub kind: String,
    pub team: Vec<[String; 3]>,
    pub schedule: Vec<[String; 3]>,
    /// 部门下属单位数量 (the 事实 `下属单位数量`).
    #[serde(default)]
    pub subordinate_units: Option<Decimal>,
}

/// The report's file name: the kind's pattern (`{评价对象}{年度}年度绩效评价报告`,
/// the project kind's `{主管部门}{年度}年度{评价项目}项目支出绩效评价报告`)
/// filled and made safe ([`crate::output::safe_file_name`]): a 评价对象 is
/// typed by people.
pub(super) fn report_file_name(case: &Case, scored: &Scored, kind: &crate::report_kind::Kind) -> String {
    let paper = case.working_paper.as_ref();
    let object = paper.and_then(|p| p.info("评价对象")).unwrap_or("部门");
    let year = scored.year.map(|y| y.to_string()).unwrap_or_default();
    let project = paper.and_then(|p| p.info("评价项目")).unwrap_or(object);
    let department = case
        .evaluated_project()
        .and_then(|e| e.department.as_deref())
        .or_else(|| paper.and_then(|p| p.info("项目责任单位")))
        .unwrap_or_default();
    kind.file_name_with(&|p| match p {
        "年度" => year.clone(),
        "评价项目" => project.to_string(),
        "主管部门" => department.to_string(),
        _ => object.to_string(),
    })
}

/// The case as the working paper's 项目信息 states it: a placeholder for
/// each field it lacks; the year scored, else its 评价年度; the 报告类型
/// of the indicator system.
pub(super) fn case_info(case: &Case, scored: &Scored) -> CaseInfo {
    let paper = case.working_paper.as_ref();
    let info = |k: &str| match paper.and_then(|p| p.info(k)) {
        Some(v) => v.to_string(),
        None => placeholder(&format!("项目信息“{k}”")),
    };
    let object = info("评价对象");
    let short = paper.and_then(|p| p.info("评价对象简称")).map(String::from).unwrap_or_else(|| object.clone());
    CaseInfo {
        short,
        year: scored.year.map(|y| y.to_string()).unwrap_or_else(|| info("评价年度")),
        client: info("委托方"),
        agency: info("评价机构"),
        lead: info("主评人"),
        project_lead: info("项目负责人"),
        agency_head: info("机构负责人"),
        members: info("评估组成员"),
        reviews: vec![info("一级审核"), info("二级审核"), info("三级审核")],
        date: info("报告日期"),
        kind: if scored.system.kind.is_empty() {
            "部门整体支出绩效评价".into()
        } else {
            scored.system.kind.clone()
        },
        team: paper
            .map(|p| p.team.iter().map(|t| [t.name.clone(), t.title.clone(), t.work.clone()]).collect())
            .unwrap_or_default(),
        schedule: paper
            .map(|p| p.schedule.iter().map(|t| [t.stage.clone(), t.content.clone(), t.done.clone()]).collect())
            .unwrap_or_default(),
        subordinate_units: paper_figure(case, "下属单位数量").map(|f| f.value),
        object,
    }
}
