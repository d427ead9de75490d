//! Stage 4 — `assemble`: one typed [`Evaluation`] holding every figure,
//! table row and sentence any output shows, computed once from the model,
//! the checks and the scores. The writers (`render`: DOCX, XLSX, JSON) take
//! `&Evaluation` only and format it; the JSON *is* the evaluation
//! (`serde`), with a [`SCHEMA_VERSION`], and the change report reads the
//! previous run's JSON back into the same type.
//!
//! ```no_run
//! use std::path::Path;
//! let case = jixiao::ingest::ingest_path(Path::new("sample-workbooks/zaozhuang-shizhong-2024"));
//! let checks = jixiao::check::check(&case);
//! let scored = jixiao::score::score(&case, &checks).expect("a valid working paper");
//! let eval = jixiao::assemble::assemble(&case, &checks, &scored);
//! assert_eq!(eval.score.total.unwrap().to_string(), "82.03");
//! assert_eq!(eval.budget.difference_rate.as_ref().unwrap().value.to_string(), "-31.13");
//! assert!(eval.table("annex2").is_some());
//! ```

pub mod findings;
pub mod table;
mod tables;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::check::CheckReport;
use crate::model::figures::{self, Figure};
use crate::model::value::normalize_label;
use crate::model::{project_key, Case, Severity, TableKind};
use crate::score::{Coverage, Scored};

pub use table::ReportTable;

/// The version of the JSON's shape; a previous run's JSON of another
/// version is not compared. 2: scores may be none (a draft whose
/// indicators lack inputs), pending items carry their list.
pub const SCHEMA_VERSION: u32 = 2;

/// Everything the outputs say about one case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub schema_version: u32,
    /// Some input is missing: the report is a draft (征求意见稿) whose
    /// missing values are placeholders (`【待填：…】`) listed in `pending`.
    pub draft: bool,
    /// What is still to fill in, and where (the 待填事项 page, 校验结果).
    pub pending: Vec<Pending>,
    pub case: CaseInfo,
    /// 文字 of the working paper by name (`部门主要职责`, `指标分析：预算执行率`, …).
    pub texts: BTreeMap<String, String>,
    pub budget: Budget,
    pub system: SystemInfo,
    pub score: ScoreInfo,
    pub themes: Vec<ThemeInfo>,
    /// 表3-3 rows: the re-check of each 项目支出绩效自评表.
    pub rechecks: Vec<RecheckInfo>,
    /// Sampled projects (抽查项目).
    pub sampled: Vec<SampledInfo>,
    /// Projects: 预算 表十一 joined with the 分项绩效项目清单 (table 1-2).
    pub projects: Vec<ProjectLine>,
    /// The XLSX annexes the report kind writes (`附件1` …; 校验结果 always).
    #[serde(default)]
    pub annexes: Vec<String>,
    /// The project a 项目支出 evaluation is about (项目信息 › 评价项目), from
    /// its 项目支出绩效自评表: its own figures, never the department's.
    #[serde(default)]
    pub project: Option<ProjectInfo>,
    /// Transfer payments (表3-2), with their totals.
    pub transfers: Transfers,
    /// Sampling coverage of the projects re-evaluated.
    pub coverage: Vec<Coverage>,
    /// Things to look at that did not stop scoring.
    pub warnings: Vec<String>,
    /// The ingest problems and the check findings (校验结果).
    pub checks: Vec<CheckRow>,
    /// The files read and the tables found in them.
    pub inputs: Vec<InputFile>,
    /// Every table the report and the annexes show, by name.
    pub tables: Vec<ReportTable>,
    /// The report's file name.
    pub report_file: String,
}

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

/// Budget and final-account figures, 万元, each with its source (None where
/// the tables lack them). Rates in %.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Budget {
    /// 年初预算数 (预算 表三 合计).
    pub initial: Option<Figure>,
    pub initial_basic: Option<Figure>,
    pub initial_personnel: Option<Figure>,
    pub initial_public: Option<Figure>,
    pub initial_project: Option<Figure>,
    /// 全年预算数.
    pub full_year: Option<Figure>,
    /// 决算支出 (公开03表 合计).
    pub final_total: Option<Figure>,
    pub final_basic: Option<Figure>,
    pub final_personnel: Option<Figure>,
    pub final_public: Option<Figure>,
    pub final_project: Option<Figure>,
    /// 预算执行率 % (决算 / 全年预算).
    pub execution_rate: Option<Figure>,
    /// 预决算差异率 % ((决算 − 年初) / 年初), signed.
    pub difference_rate: Option<Figure>,
    /// "三公"经费, 培训费, 会议费: budget and final of the year, final of last year.
    pub three_public_budget: Option<Figure>,
    pub three_public_final: Option<Figure>,
    pub reception_budget: Option<Figure>,
    pub reception_final: Option<Figure>,
    pub training_budget: Option<Figure>,
    pub training_final: Option<Figure>,
    pub meeting_budget: Option<Figure>,
    pub meeting_final: Option<Figure>,
    pub last_training_final: Option<Figure>,
    pub last_reception_final: Option<Figure>,
    /// 决算 本年收入合计 (公开02表 合计).
    pub final_income: Option<Figure>,
    pub abroad_budget: Option<Figure>,
    pub abroad_final: Option<Figure>,
    pub vehicle_budget: Option<Figure>,
    pub vehicle_final: Option<Figure>,
    /// 收入 by source: 预算 表一 and 决算 公开01表 (一般公共预算, 政府性基金, 国有资本经营).
    pub income: Vec<IncomeLine>,
    /// The 总览表's lines: 财政资金, 其他资金 (by source), 基本支出, 项目支出 (by type).
    #[serde(default)]
    pub lines: Vec<BudgetLine>,
}

/// One line of the 总览表's 部门预算执行情况: 年初预算数, 全年预算数, 预算执行数, 预算执行率.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetLine {
    /// `财政资金`, `其他资金`, `基本支出`, `项目支出`.
    pub label: String,
    pub initial: Option<Figure>,
    pub full_year: Option<Figure>,
    pub spent: Option<Figure>,
    /// 预算执行率 % (预算执行数 / 全年预算数); none for a zero 全年预算数.
    pub execution_rate: Option<Figure>,
}

/// A 收入 line of the budget and of the final accounts, with its 差异率.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncomeLine {
    pub label: String,
    pub budget: Option<Figure>,
    pub final_amount: Option<Figure>,
    pub difference_rate: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemInfo {
    pub name: String,
    pub level1_count: usize,
    pub level2_count: usize,
    pub level3_count: usize,
    pub level1: Vec<Level1Info>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Level1Info {
    pub name: String,
    pub weight: Decimal,
    pub level2: Vec<Level2Info>,
    pub indicator_count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Level2Info {
    pub name: String,
    pub weight: Decimal,
    pub indicators: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreInfo {
    /// 总分; none in a draft whose indicators are not all scored.
    pub total: Option<Decimal>,
    /// 评价等级, or its placeholder in such a draft.
    pub grade: String,
    /// The indicators not scored for want of inputs.
    pub pending: Vec<String>,
    pub level1: Vec<Level1Score>,
    pub indicators: Vec<IndicatorInfo>,
    /// 附件3 问题清单.
    pub problems: Vec<ProblemInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Level1Score {
    pub name: String,
    pub weight: Decimal,
    /// None while one of its indicators is pending.
    pub score: Option<Decimal>,
    /// 得分率 % (2 decimals).
    pub rate: Option<Decimal>,
    /// The indicators of this 一级, in order.
    pub indicators: Vec<IndicatorInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorInfo {
    pub number: usize,
    pub level1: String,
    pub level2: String,
    pub name: String,
    pub weight: Decimal,
    /// None while the indicator waits for inputs (`pending`).
    pub score: Option<Decimal>,
    /// 得失分依据 (for a pending indicator, the placeholder of what it lacks).
    pub basis: String,
    /// The evaluator's sentence for the narrative: the 依据 without its
    /// formulas (`预算执行率偏差为0%，不超过5%，得满分。`), worded by
    /// `templates/report/findings.j2`; alike findings said once.
    #[serde(default)]
    pub finding: String,
    /// The inputs it lacks.
    pub pending: Vec<String>,
    /// The evaluator's analysis texts (文字 rows named `指标分析：<name>…`), in order.
    pub analysis: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProblemInfo {
    pub category: String,
    pub number: usize,
    pub unit: String,
    /// The 三级 indicator it comes from.
    pub indicator: String,
    pub description: String,
    /// Points lost on the indicator.
    pub lost: Decimal,
    /// The working paper's findings behind it (empty for a computed indicator).
    pub findings: Vec<FindingInfo>,
}

/// A finding of the working paper, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingInfo {
    pub text: String,
    pub deduction: Decimal,
    /// The 问题主题 it is filed under.
    pub theme: String,
    /// `评价底稿.xlsx › 发现 › A5`.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeInfo {
    pub number: String,
    pub title: String,
    pub cause: String,
    /// The manifestations split into their parts (`一是…`, `二是…`).
    pub manifestations: Vec<String>,
    pub recommendation: String,
    /// The suggestion's own title (chapter 六); empty: the problem's title is used.
    #[serde(default)]
    pub recommendation_title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecheckInfo {
    pub project: String,
    pub stated_grade: String,
    pub grade: String,
    pub stated_total: Option<Decimal>,
    pub total: Decimal,
    pub reasons: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampledInfo {
    pub name: String,
    pub purpose: String,
    pub budget: Option<Decimal>,
    pub grade: String,
    pub reason: String,
}

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
    pub department: String,
    pub implementer: String,
    /// 年度资金总额: 年初预算数, 全年预算数, 全年执行数 (万元).
    pub initial_budget: Option<Figure>,
    pub budget: Option<Figure>,
    pub spent: Option<Figure>,
    /// 执行数 / 全年预算数 × 100, 2 decimals.
    pub execution_rate: Option<Decimal>,
    /// 年初预期目标 and 目标实际完成情况.
    pub goal: String,
    pub achieved: String,
    /// Its targets: (一级, 二级, 三级, 年度指标值, 实际完成值).
    pub targets: Vec<[String; 5]>,
}

fn project_info(case: &Case) -> Option<ProjectInfo> {
    let e = case.evaluated_project()?;
    let line = e.funds.iter().find(|f| f.label.contains("资金总额")).or(e.funds.first());
    let figure =
        |v: Option<&crate::model::Value>| v.and_then(|v| v.value.number().map(|d| Figure::new(d, v.at.to_string())));
    let (initial_budget, budget, spent) = match line {
        Some(f) => (figure(f.initial_budget.as_ref()), figure(f.budget.as_ref()), figure(f.spent.as_ref())),
        None => (None, None, None),
    };
    let execution_rate = match (&spent, &budget) {
        (Some(s), Some(b)) => figures::share_rate(s.value, b.value),
        _ => None,
    };
    Some(ProjectInfo {
        name: e.project.clone(),
        department: e.department.clone().unwrap_or_default(),
        implementer: e.implementer.clone().unwrap_or_default(),
        initial_budget,
        budget,
        spent,
        execution_rate,
        goal: e.planned_goal.clone().unwrap_or_default(),
        achieved: e.achieved_goal.clone().unwrap_or_default(),
        targets: e
            .indicators
            .iter()
            .map(|i| [i.level1.clone(), i.level2.clone(), i.name.clone(), i.target.text.clone(), i.actual.text.clone()])
            .collect(),
    })
}

/// Something the report still needs, shown as a placeholder until filled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    /// Its list: `缺表`, `缺事实`, `缺文字`, `缺项目信息`, `缺其他`.
    pub group: String,
    /// `项目信息“评价机构”`, `文字“主要成效及做法”`.
    pub what: String,
    /// Where to fill it.
    pub fill: String,
}

/// A table cell whose value waits for an input (the sentence or row beside
/// it names what is missing).
pub const PENDING_CELL: &str = "【待填】";

pub use crate::templates::placeholder;

/// The 依据 of an indicator not scored: what it lacks, as placeholders, or
/// why its rule failed; else its 依据.
pub fn shown_basis(i: &crate::score::ScoredIndicator) -> String {
    if !i.pending.is_empty() {
        let lacking: Vec<String> = i.pending.iter().map(|w| placeholder(w)).collect();
        format!("缺少评分所需的输入，暂不评分：{}。", lacking.join("、"))
    } else if let Some(why) = &i.failed {
        format!("未评分：{}{}", why.trim_end_matches('。'), placeholder(&format!("指标“{}”的得分", i.name)))
    } else {
        i.basis.clone()
    }
}

/// A row of 校验结果: an ingest problem or a check finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckRow {
    pub workbook: String,
    /// 错误 / 提示.
    pub severity: String,
    pub rule: String,
    pub message: String,
    /// `sheet › cell` of each cell involved, or the problem's place.
    pub cells: String,
}

/// A file read, and the tables found in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputFile {
    pub name: String,
    /// `xlsx`, `xls`, `ods`; None when it could not be read.
    pub format: Option<String>,
    /// `2024年 公开03表 支出决算表 › 支出 › A1:H30`.
    pub tables: Vec<String>,
}

impl Evaluation {
    /// A table by its name (`1-1`, `annex2`).
    pub fn table(&self, name: &str) -> Option<&ReportTable> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// The names of every table, for messages.
    pub fn table_names(&self) -> Vec<&str> {
        self.tables.iter().map(|t| t.name.as_str()).collect()
    }

    /// 错误 among the checks.
    pub fn check_errors(&self) -> usize {
        self.checks.iter().filter(|c| c.severity == Severity::Error.label()).count()
    }

    /// 提示 among the checks.
    pub fn check_notes(&self) -> usize {
        self.checks.len() - self.check_errors()
    }
}

/// The evaluator's analysis paragraphs of an indicator: the 文字 rows named
/// `指标分析：<name>`, `指标分析：<name>（1）`, `指标分析：<name>：<part>`, in the
/// order typed (names compared normalised, so full- and half-width agree).
fn analysis_of(paper: Option<&crate::model::WorkingPaper>, name: &str) -> Vec<String> {
    let name = normalize_label(name);
    let Some(paper) = paper else { return Vec::new() };
    paper
        .texts
        .iter()
        .filter(|(k, _)| {
            let k = normalize_label(k);
            k.strip_prefix("指标分析:").is_some_and(|rest| {
                rest == name || rest.starts_with(&format!("{name}(")) || rest.starts_with(&format!("{name}:"))
            })
        })
        .map(|(_, v)| v.clone())
        .collect()
}

/// Split `一是…；二是…。` into its parts (or keep one part).
fn split_parts(text: &str) -> Vec<String> {
    let marks = ["一是", "二是", "三是", "四是", "五是", "六是"];
    let mut cuts: Vec<usize> = marks.iter().filter_map(|m| text.find(m)).collect();
    cuts.sort();
    if cuts.len() < 2 {
        return vec![text.trim().to_string()].into_iter().filter(|t| !t.is_empty()).collect();
    }
    let mut out = Vec::new();
    if cuts[0] > 0 {
        let head = text[..cuts[0]].trim();
        if !head.is_empty() {
            out.push(head.to_string());
        }
    }
    for (i, &c) in cuts.iter().enumerate() {
        let end = cuts.get(i + 1).copied().unwrap_or(text.len());
        out.push(text[c..end].trim().to_string());
    }
    out
}

/// The report's file name: `<评价对象><年度>年度绩效评价报告.docx`, made safe
/// ([`crate::output::safe_file_name`]): a 评价对象 is typed by people.
fn report_file_name(case: &Case, scored: &Scored, kind: &crate::report_kind::Kind) -> String {
    let object = case.working_paper.as_ref().and_then(|p| p.info("评价对象")).unwrap_or("部门");
    kind.file_name(object, &scored.year.map(|y| y.to_string()).unwrap_or_default())
}

/// Build the evaluation of a scored case, its setup resolved with the
/// default options (a convenience; the pipeline calls [`assemble_in`] with
/// the case's setup).
pub fn assemble(case: &Case, checks: &CheckReport, scored: &Scored) -> Evaluation {
    let setup = crate::setup::Setup::of(case);
    let missing = crate::score::missing(case, &setup, &crate::templates::default_texts());
    assemble_with(case, checks, scored, &missing, &setup.report_kind)
}

/// As [`assemble`], with what the case lacks for the templates in use
/// ([`crate::needs::missing_with`]): each item is pending, and shown as a
/// placeholder wherever the report prints it.
pub fn assemble_with(
    case: &Case,
    checks: &CheckReport,
    scored: &Scored,
    missing: &crate::needs::Missing,
    kind: &crate::report_kind::Kind,
) -> Evaluation {
    let dirs: Vec<std::path::PathBuf> = kind.folder.iter().cloned().collect();
    assemble_in(case, checks, scored, missing, kind, &dirs)
}

/// As [`assemble_with`], the findings template (`findings.j2`) looked for
/// in `template_dirs` first (the case's and the run's template folders).
pub fn assemble_in(
    case: &Case,
    checks: &CheckReport,
    scored: &Scored,
    missing: &crate::needs::Missing,
    kind: &crate::report_kind::Kind,
    template_dirs: &[std::path::PathBuf],
) -> Evaluation {
    let paper = case.working_paper.as_ref();
    // Every 项目信息 field the report prints is filled, or a visible
    // placeholder listed among the pending items: never an empty slot.
    let mut pending: Vec<Pending> = missing
        .groups()
        .iter()
        .flat_map(|(group, items)| {
            items.iter().map(move |i| Pending {
                group: group.to_string(),
                what: i.what.clone(),
                fill: format!("{}（{}用）", i.fill, i.used_by),
            })
        })
        .collect();
    // An indicator whose rule failed is 未评分 until its input is corrected.
    let system = &scored.system;
    for i in scored.indicators.iter().filter(|i| i.failed.is_some()) {
        let place = system.indicator(&i.name).map(|d| d.place.clone()).unwrap_or_default();
        pending.push(Pending {
            group: "未评分".into(),
            what: format!("指标“{}”的得分", i.name),
            fill: format!("{}（指标定义：{place}）；改正后重新生成", i.failed.as_deref().unwrap_or_default()),
        });
    }
    let info = |k: &str| match paper.and_then(|p| p.info(k)) {
        Some(v) => v.to_string(),
        None => placeholder(&format!("项目信息“{k}”")),
    };
    let object = info("评价对象");
    let short = paper.and_then(|p| p.info("评价对象简称")).map(String::from).unwrap_or_else(|| object.clone());
    let case_info = CaseInfo {
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
    };
    let mut texts: BTreeMap<String, String> = paper.map(|p| p.texts.iter().cloned().collect()).unwrap_or_default();
    for item in &missing.texts {
        if let Some(name) = item.what.strip_prefix("文字“").and_then(|n| n.strip_suffix('”')) {
            texts.insert(name.to_string(), placeholder(&item.what));
        }
    }
    let system = &scored.system;
    let level1: Vec<Level1Info> = system
        .level1_names()
        .iter()
        .map(|l1| {
            let inds: Vec<_> = system.indicators.iter().filter(|i| &i.level1 == l1).collect();
            let mut level2: Vec<Level2Info> = Vec::new();
            for i in &inds {
                match level2.iter_mut().find(|l| l.name == i.level2) {
                    Some(l) => l.indicators.push(i.name.clone()),
                    None => level2.push(Level2Info {
                        name: i.level2.clone(),
                        weight: Decimal::ZERO,
                        indicators: vec![i.name.clone()],
                    }),
                }
            }
            for l in &mut level2 {
                l.weight = inds.iter().filter(|i| i.level2 == l.name).map(|i| i.weight).sum::<Decimal>().normalize();
            }
            let weight: Decimal = inds.iter().map(|i| i.weight).sum();
            Level1Info { name: l1.clone(), weight: weight.normalize(), indicator_count: inds.len(), level2 }
        })
        .collect();
    let system_info = SystemInfo {
        name: system.name.clone(),
        level1_count: level1.len(),
        level2_count: level1.iter().map(|l| l.level2.len()).sum(),
        level3_count: system.indicators.len(),
        level1,
    };
    let mut words = findings::Words::new(template_dirs);
    let worded: Vec<String> = scored.indicators.iter().map(|i| findings::finding(i, &mut words)).collect();
    let indicators: Vec<IndicatorInfo> = scored
        .indicators
        .iter()
        .zip(&worded)
        .map(|(i, finding)| IndicatorInfo {
            number: i.number,
            level1: i.level1.clone(),
            level2: i.level2.clone(),
            name: i.name.clone(),
            weight: i.weight.normalize(),
            score: i.is_scored().then(|| i.score.normalize()),
            basis: shown_basis(i),
            finding: finding.clone(),
            pending: i.pending.clone(),
            analysis: analysis_of(paper, &i.name),
        })
        .collect();
    let findings = paper.map(|p| p.findings.as_slice()).unwrap_or_default();
    let unscored: Vec<String> = scored.indicators.iter().filter(|i| !i.is_scored()).map(|i| i.name.clone()).collect();
    let score = ScoreInfo {
        total: scored.total.map(|t| t.normalize()),
        grade: match scored.grade {
            Some(g) => g.to_string(),
            None => placeholder(&format!("评价等级（{} 个指标缺输入）", unscored.len())),
        },
        pending: unscored,
        level1: scored
            .level1
            .iter()
            .map(|l| Level1Score {
                name: l.name.clone(),
                weight: l.weight.normalize(),
                score: l.score.map(|s| s.normalize()),
                rate: l.rate,
                indicators: indicators.iter().filter(|i| i.level1 == l.name).cloned().collect(),
            })
            .collect(),
        problems: scored
            .problems
            .iter()
            .map(|p| ProblemInfo {
                category: p.category.clone(),
                number: p.number,
                unit: p.unit.clone(),
                indicator: p.indicator.clone(),
                description: scored
                    .indicators
                    .iter()
                    .zip(&worded)
                    .find(|(i, _)| i.name == p.indicator)
                    .map(|(i, f)| findings::problem_description(i, f))
                    .unwrap_or_else(|| p.description.clone()),
                lost: scored
                    .indicators
                    .iter()
                    .find(|i| i.name == p.indicator)
                    .map(|i| (i.weight - i.score).normalize())
                    .unwrap_or_default(),
                findings: findings
                    .iter()
                    .filter(|f| f.indicator == p.indicator && !f.deduction.is_zero())
                    .map(|f| FindingInfo {
                        text: f.text.clone(),
                        deduction: f.deduction,
                        theme: f.theme.clone(),
                        source: f.at.to_string(),
                    })
                    .collect(),
            })
            .collect(),
        indicators,
    };
    let themes: Vec<ThemeInfo> = paper
        .map(|p| {
            p.themes
                .iter()
                .map(|t| ThemeInfo {
                    number: t.number.clone(),
                    title: t.title.clone(),
                    cause: t.cause.clone(),
                    manifestations: split_parts(&t.manifestations),
                    recommendation: t.recommendation.clone(),
                    recommendation_title: t.recommendation_title.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let pending_rows = pending.clone();
    let mut eval = Evaluation {
        schema_version: SCHEMA_VERSION,
        draft: !pending.is_empty(),
        pending,
        case: case_info,
        budget: budget(case, scored),
        system: system_info,
        score,
        themes,
        rechecks: checks
            .rechecks
            .iter()
            .map(|r| RecheckInfo {
                project: r.project.clone(),
                stated_grade: r.stated_grade.map(|g| g.to_string()).unwrap_or_default(),
                grade: r.grade.to_string(),
                stated_total: r.stated_total.map(|d| d.normalize()),
                total: r.total.normalize(),
                reasons: r.reason_details().join("；"),
            })
            .collect(),
        sampled: paper
            .map(|p| {
                p.sampled
                    .iter()
                    .map(|x| SampledInfo {
                        name: x.name.clone(),
                        purpose: x.purpose.clone(),
                        budget: x.budget.map(|d| d.normalize()),
                        grade: x.grade.clone(),
                        reason: x.reason.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        projects: projects(case, scored.year),
        project: project_info(case),
        annexes: kind.annexes.clone(),
        transfers: transfers(case),
        coverage: scored.coverage.clone(),
        warnings: scored.warnings.clone(),
        checks: check_rows(case, checks, &pending_rows),
        inputs: case
            .files
            .iter()
            .map(|f| InputFile {
                name: f.name.clone(),
                format: f.format.clone(),
                tables: f
                    .found
                    .iter()
                    .map(|t| {
                        let year = t.year.map(|y| format!("{y}年 ")).unwrap_or_default();
                        let places: Vec<String> =
                            t.location.iter().map(|l| format!("{} › {}", l.sheet, l.range)).collect();
                        format!("{year}{} › {}", t.name, places.join(" + "))
                    })
                    .collect(),
            })
            .collect(),
        tables: Vec::new(),
        report_file: report_file_name(case, scored, kind),
        texts,
    };
    eval.warnings.extend(words.error);
    eval.tables = tables::all(&eval, case, scored);
    eval.warnings.extend(too_long_for_excel(&eval, findings));
    eval
}

/// A 提示 for each annex cell longer than an Excel cell holds: the XLSX
/// cuts it, the report and the JSON keep it whole. Names the working-paper
/// rows whose text it holds.
fn too_long_for_excel(eval: &Evaluation, findings: &[crate::model::working_paper::Finding]) -> Vec<String> {
    let limit = table::EXCEL_CELL_CHARS;
    let mut out = Vec::new();
    for t in eval.tables.iter().filter(|t| !t.sheet.is_empty() && !t.missing) {
        for (i, row) in t.rows.iter().enumerate() {
            for cell in row.iter().filter(|c| c.text.chars().count() > limit) {
                let rows: Vec<String> = findings
                    .iter()
                    .filter(|f| f.text.chars().count() > limit / 2 && cell.text.contains(f.text.trim()))
                    .map(|f| format!("{} › {} › 第{}行", f.at.file, f.at.sheet, f.at.row + 1))
                    .collect();
                let from = if rows.is_empty() { String::new() } else { format!("（来自 {}）", rows.join("、")) };
                out.push(format!(
                    "{}第{}行有一段文字长 {} 字{from}，超过 Excel 单元格上限 {limit} 字：XLSX 中已截断，报告和评价结果.json 保留全文。",
                    t.sheet,
                    i + 1,
                    cell.text.chars().count()
                ));
            }
        }
    }
    out
}

/// A number the working paper states as a 事实 (`全年预算数（基本支出）`).
fn paper_figure(case: &Case, name: &str) -> Option<Figure> {
    let f = case.working_paper.as_ref()?.fact(name)?;
    f.number().map(|d| Figure::new(d, f.at.to_string()))
}

/// `a − b`, computed, when both are known.
fn minus(a: &Option<Figure>, b: &Option<Figure>, what: &str) -> Option<Figure> {
    match (a, b) {
        (Some(a), Some(b)) => Some(Figure::computed(a.value - b.value, format!("{what}：{} − {}", a.value, b.value))),
        _ => None,
    }
}

/// The 总览表's lines by source and by type. Sources, each the first known:
/// * 财政资金 — 年初: 预算 表一 财政拨款 income lines (一般公共预算 + 政府性基金 +
///   国有资本经营); 全年 and 执行: the 事实 `全年预算数（财政资金）` /
///   `预算执行数（财政资金）`, else the 部门整体支出绩效自评表's 其中：财政资金.
/// * 其他资金 — the 事实 / the 自评表's 其他, else the total less 财政资金.
/// * 基本支出, 项目支出 — 年初: 预算 表三; 全年: the 事实
///   `全年预算数（基本支出）` / `全年预算数（项目支出）` (no table gives the
///   adjusted budget by type); 执行: 决算 公开03表.
fn budget_lines(
    case: &Case,
    y: Option<i32>,
    initial: &Option<Figure>,
    full_year: &Option<Figure>,
    final_total: &Option<Figure>,
    income: &[IncomeLine],
) -> Vec<BudgetLine> {
    use figures::total_of;
    use TableKind::*;
    let form = case.dept_self_evals.iter().find(|d| d.year.is_none() || d.year == y);
    let form_figure = |v: Option<&crate::model::value::Value>| {
        v.and_then(|v| v.value.number().map(|n| Figure::new(n, v.at.to_string())))
    };
    let budgeted: Vec<&Figure> = income.iter().filter_map(|l| l.budget.as_ref()).collect();
    let initial_fiscal = (!budgeted.is_empty()).then(|| {
        let sum: Decimal = budgeted.iter().map(|f| f.value).sum();
        Figure::computed(sum, "预算 表一 财政拨款收入（一般公共预算、政府性基金、国有资本经营）之和")
    });
    let full_fiscal = paper_figure(case, "全年预算数（财政资金）")
        .or_else(|| form_figure(form.and_then(|f| f.budget_fiscal.as_ref())));
    let spent_fiscal = paper_figure(case, "预算执行数（财政资金）")
        .or_else(|| form_figure(form.and_then(|f| f.spent_fiscal.as_ref())));
    let full_other = paper_figure(case, "全年预算数（其他资金）")
        .or_else(|| form_figure(form.and_then(|f| f.budget_other.as_ref())))
        .or_else(|| minus(full_year, &full_fiscal, "全年预算数 − 财政资金"));
    let spent_other = paper_figure(case, "预算执行数（其他资金）")
        .or_else(|| form_figure(form.and_then(|f| f.spent_other.as_ref())))
        .or_else(|| minus(final_total, &spent_fiscal, "决算支出 − 财政资金"));
    let line = |label: &str, initial: Option<Figure>, full_year: Option<Figure>, spent: Option<Figure>| {
        let execution_rate = match (&spent, &full_year) {
            (Some(s), Some(b)) => figures::share_rate(s.value, b.value)
                .map(|r| Figure::computed(r, format!("预算执行数 {} / 全年预算数 {} × 100%", s.value, b.value))),
            _ => None,
        };
        BudgetLine { label: label.into(), initial, full_year, spent, execution_rate }
    };
    vec![
        line("财政资金", initial_fiscal.clone(), full_fiscal, spent_fiscal),
        line("其他资金", minus(initial, &initial_fiscal, "年初预算数 − 财政资金"), full_other, spent_other),
        line(
            "基本支出",
            total_of(case, Budget03, y, &["基本支出"]),
            paper_figure(case, "全年预算数（基本支出）"),
            total_of(case, Final03, y, &["基本支出"]),
        ),
        line(
            "项目支出",
            total_of(case, Budget03, y, &["项目支出"]),
            paper_figure(case, "全年预算数（项目支出）"),
            total_of(case, Final03, y, &["项目支出"]),
        ),
    ]
}

fn budget(case: &Case, scored: &Scored) -> Budget {
    use figures::{code_line, income_line, labelled_line, three_public, total_of};
    use TableKind::*;
    let y = scored.year;
    let last = y.map(|y| y - 1);
    let this = y.map(|y| y.to_string()).unwrap_or_default();
    let initial = figures::initial_budget(case, y);
    let final_total = figures::final_spending(case, y);
    let full_year = figures::full_year_budget(case);
    let execution_rate = match (&final_total, &full_year) {
        (Some(f), Some(b)) => figures::share_rate(f.value, b.value)
            .map(|r| Figure::computed(r, format!("决算支出 {} / 全年预算数 {} × 100%", f.value, b.value))),
        _ => None,
    };
    let difference_rate = match (&final_total, &initial) {
        (Some(f), Some(i)) => figures::difference_rate(f.value, i.value).map(|r| {
            Figure::computed(r, format!("(决算支出 {} − 年初预算数 {}) / 年初预算数 × 100%", f.value, i.value))
        }),
        _ => None,
    };
    let income: Vec<IncomeLine> = [
        ("一般公共预算收入", "一般公共预算"),
        ("政府性基金预算收入", "政府性基金"),
        ("国有资本经营预算收入", "国有资本经营"),
    ]
    .into_iter()
    .map(|(label, key)| {
        let budget = income_line(case, Budget01, y, key).filter(|f| !f.value.is_zero());
        let final_amount = income_line(case, Final01, y, key).filter(|f| !f.value.is_zero());
        let difference_rate = match (&budget, &final_amount) {
            (Some(b), Some(f)) => figures::difference_rate(f.value, b.value),
            _ => None,
        };
        IncomeLine { label: label.into(), budget, final_amount, difference_rate }
    })
    .collect();
    let lines = budget_lines(case, y, &initial, &full_year, &final_total, &income);
    Budget {
        initial,
        initial_basic: total_of(case, Budget03, y, &["基本支出"]),
        initial_personnel: total_of(case, Budget05, y, &["人员支出"]),
        initial_public: total_of(case, Budget05, y, &["日常公用支出"]),
        initial_project: total_of(case, Budget03, y, &["项目支出"]),
        full_year,
        final_total,
        final_basic: total_of(case, Final03, y, &["基本支出"]),
        final_personnel: labelled_line(case, Final06, y, "人员经费合计"),
        final_public: labelled_line(case, Final06, y, "公用经费合计"),
        final_project: total_of(case, Final03, y, &["项目支出"]),
        execution_rate,
        difference_rate,
        three_public_budget: three_public(case, Budget07, y, &this, "合计"),
        three_public_final: three_public(case, Final09, y, "决算", "合计"),
        reception_budget: three_public(case, Budget07, y, &this, "公务接待"),
        reception_final: three_public(case, Final09, y, "决算", "公务接待"),
        training_budget: code_line(case, Budget06, y, "30216"),
        training_final: code_line(case, Final06, y, "30216"),
        meeting_budget: code_line(case, Budget06, y, "30215"),
        meeting_final: code_line(case, Final06, y, "30215"),
        last_training_final: code_line(case, Final06, last, "30216"),
        last_reception_final: three_public(case, Final09, last, "决算", "公务接待"),
        final_income: total_of(case, Final02, y, &["本年收入合计"]),
        abroad_budget: three_public(case, Budget07, y, &this, "出国"),
        abroad_final: three_public(case, Final09, y, "决算", "出国"),
        vehicle_budget: three_public(case, Budget07, y, &this, "小计"),
        vehicle_final: three_public(case, Final09, y, "决算", "小计"),
        income,
        lines,
    }
}

/// 预算 表十一's projects joined with the 分项绩效项目清单's spending.
fn projects(case: &Case, year: Option<i32>) -> Vec<ProjectLine> {
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

fn transfers(case: &Case) -> Transfers {
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

fn check_rows(case: &Case, checks: &CheckReport, pending: &[Pending]) -> Vec<CheckRow> {
    let mut rows: Vec<CheckRow> = pending
        .iter()
        .map(|p| CheckRow {
            workbook: p.fill.split(" › ").next().unwrap_or_default().trim_start_matches("在 ").to_string(),
            severity: crate::model::Severity::Note.label().into(),
            rule: "draft.pending".into(),
            message: format!("报告待填：{}。{}", p.what, p.fill),
            cells: String::new(),
        })
        .collect();
    for p in &case.problems {
        rows.push(CheckRow {
            workbook: p.place.split(" › ").next().unwrap_or("").to_string(),
            severity: p.severity.label().into(),
            rule: p.rule.into(),
            message: p.message.clone(),
            cells: p.place.clone(),
        });
    }
    for f in &checks.findings {
        let cells: Vec<String> = f.cells.iter().map(|c| format!("{} › {}", c.sheet, c.cell())).collect();
        rows.push(CheckRow {
            workbook: f.workbook.clone(),
            severity: f.severity.label().into(),
            rule: f.rule.into(),
            message: f.message.clone(),
            cells: cells.join("、"),
        });
    }
    rows
}
