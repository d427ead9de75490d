//! What the report templates see: every figure computed before rendering
//! (as decimal strings — templates only format them, with the filters of
//! `filters.rs`), the working paper's texts, and the names of the tables the
//! templates place with `@table`.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::check::CheckReport;
use crate::model::value::{normalize_label, round2};
use crate::model::{Case, TableKind};
use crate::score::Scored;

/// Everything a template can use. Numbers are strings of decimals (`"12847.65"`):
/// format them with `| amount`, `| pct`, `| num`.
#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    pub case: CaseInfo,
    /// 文字 of the working paper by name (`部门主要职责`, `指标分析：预算执行率`, …).
    pub texts: BTreeMap<String, String>,
    pub budget: Budget,
    pub system: SystemInfo,
    pub score: ScoreInfo,
    pub themes: Vec<ThemeInfo>,
    /// 表3-3 rows.
    pub rechecks: Vec<RecheckInfo>,
    /// Sampled projects (抽查项目).
    pub sampled: Vec<SampledInfo>,
}

#[derive(Debug, Clone, Serialize, Default)]
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
}

/// Budget and final-account figures, 万元 (None where the tables lack them).
#[derive(Debug, Clone, Serialize, Default)]
pub struct Budget {
    /// 年初预算数 (预算 表三 合计).
    pub initial: Option<String>,
    pub initial_basic: Option<String>,
    pub initial_personnel: Option<String>,
    pub initial_public: Option<String>,
    pub initial_project: Option<String>,
    /// 全年预算数.
    pub full_year: Option<String>,
    /// 决算支出 (公开03表 合计).
    pub final_total: Option<String>,
    pub final_basic: Option<String>,
    pub final_personnel: Option<String>,
    pub final_public: Option<String>,
    pub final_project: Option<String>,
    /// 预算执行率 % (决算 / 全年预算).
    pub execution_rate: Option<String>,
    /// 预决算差异率 % ((决算 − 年初) / 年初).
    pub difference_rate: Option<String>,
    /// "三公"经费, 培训费, 会议费: budget and final of the year, final of last year.
    pub three_public_budget: Option<String>,
    pub three_public_final: Option<String>,
    pub reception_budget: Option<String>,
    pub reception_final: Option<String>,
    pub training_budget: Option<String>,
    pub training_final: Option<String>,
    pub meeting_budget: Option<String>,
    pub meeting_final: Option<String>,
    pub last_training_final: Option<String>,
    pub last_reception_final: Option<String>,
    /// 决算 本年收入合计 (公开02表 合计).
    pub final_income: Option<String>,
    pub abroad_budget: Option<String>,
    pub abroad_final: Option<String>,
    pub vehicle_budget: Option<String>,
    pub vehicle_final: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SystemInfo {
    pub name: String,
    pub level1_count: usize,
    pub level2_count: usize,
    pub level3_count: usize,
    pub level1: Vec<Level1Info>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Level1Info {
    pub name: String,
    pub weight: String,
    pub level2: Vec<Level2Info>,
    pub indicator_count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Level2Info {
    pub name: String,
    pub weight: String,
    pub indicators: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScoreInfo {
    pub total: String,
    pub grade: String,
    pub level1: Vec<Level1Score>,
    pub indicators: Vec<IndicatorInfo>,
    pub problems: Vec<ProblemInfo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Level1Score {
    pub name: String,
    pub weight: String,
    pub score: String,
    /// 得分率 % (2 decimals).
    pub rate: String,
    /// The indicators of this 一级, in order.
    pub indicators: Vec<IndicatorInfo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorInfo {
    pub number: usize,
    pub level1: String,
    pub level2: String,
    pub name: String,
    pub weight: String,
    pub score: String,
    /// 得失分依据.
    pub basis: String,
    /// The evaluator's analysis texts (文字 rows named `指标分析：<name>…`), in order.
    pub analysis: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProblemInfo {
    pub category: String,
    pub number: usize,
    pub unit: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThemeInfo {
    pub number: String,
    pub title: String,
    pub cause: String,
    /// The manifestations split into their parts (`一是…`, `二是…`).
    pub manifestations: Vec<String>,
    pub recommendation: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecheckInfo {
    pub project: String,
    pub stated_grade: String,
    pub grade: String,
    pub stated_total: String,
    pub total: String,
    pub reasons: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SampledInfo {
    pub name: String,
    pub purpose: String,
    pub budget: Option<String>,
    pub grade: String,
    pub reason: String,
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

fn s(d: Decimal) -> String {
    d.normalize().to_string()
}

fn text(d: Option<Decimal>) -> Option<String> {
    d.map(s)
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

impl ReportData {
    /// Gather the figures and texts of a scored case.
    pub fn build(case: &Case, checks: &CheckReport, scored: &Scored) -> ReportData {
        let paper = case.working_paper.as_ref();
        let info = |k: &str| paper.and_then(|p| p.info(k)).unwrap_or_default().to_string();
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
            object,
        };
        let texts: BTreeMap<String, String> = paper.map(|p| p.texts.iter().cloned().collect()).unwrap_or_default();
        let budget = budget(case, scored);
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
                            weight: String::new(),
                            indicators: vec![i.name.clone()],
                        }),
                    }
                }
                for l in &mut level2 {
                    let w: Decimal = inds.iter().filter(|i| i.level2 == l.name).map(|i| i.weight).sum();
                    l.weight = s(w);
                }
                let weight: Decimal = inds.iter().map(|i| i.weight).sum();
                Level1Info { name: l1.clone(), weight: s(weight), indicator_count: inds.len(), level2 }
            })
            .collect();
        let system_info = SystemInfo {
            name: system.name.clone(),
            level1_count: level1.len(),
            level2_count: level1.iter().map(|l| l.level2.len()).sum(),
            level3_count: system.indicators.len(),
            level1,
        };
        let indicators: Vec<IndicatorInfo> = scored
            .indicators
            .iter()
            .map(|i| IndicatorInfo {
                number: i.number,
                level1: i.level1.clone(),
                level2: i.level2.clone(),
                name: i.name.clone(),
                weight: s(i.weight),
                score: s(i.score),
                basis: i.basis.clone(),
                analysis: analysis_of(paper, &i.name),
            })
            .collect();
        let score = ScoreInfo {
            total: s(scored.total),
            grade: scored.grade.to_string(),
            level1: scored
                .level1
                .iter()
                .map(|l| Level1Score {
                    name: l.name.clone(),
                    weight: s(l.weight),
                    score: s(l.score),
                    rate: format!("{:.2}", l.rate),
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
                    description: p.description.clone(),
                })
                .collect(),
            indicators,
        };
        ReportData {
            case: case_info,
            budget,
            system: system_info,
            score,
            themes: paper
                .map(|p| {
                    p.themes
                        .iter()
                        .map(|t| ThemeInfo {
                            number: t.number.clone(),
                            title: t.title.clone(),
                            cause: t.cause.clone(),
                            manifestations: split_parts(&t.manifestations),
                            recommendation: t.recommendation.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            rechecks: checks
                .rechecks
                .iter()
                .map(|r| RecheckInfo {
                    project: r.project.clone(),
                    stated_grade: r.stated_grade.map(|g| g.to_string()).unwrap_or_default(),
                    grade: r.grade.to_string(),
                    stated_total: r.stated_total.map(s).unwrap_or_default(),
                    total: s(r.total),
                    reasons: r.reasons().join("；"),
                })
                .collect(),
            sampled: paper
                .map(|p| {
                    p.sampled
                        .iter()
                        .map(|x| SampledInfo {
                            name: x.name.clone(),
                            purpose: x.purpose.clone(),
                            budget: x.budget.map(s),
                            grade: x.grade.clone(),
                            reason: x.reason.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            texts,
        }
    }
}

fn total_of(case: &Case, kind: TableKind, year: Option<i32>, col: &[&str]) -> Option<Decimal> {
    case.table(kind, year)?.total_in(col)
}

fn line(case: &Case, kind: TableKind, year: Option<i32>, code: &str) -> Option<Decimal> {
    Some(case.table(kind, year)?.code_amount(code))
}

fn labelled(case: &Case, kind: TableKind, year: Option<i32>, label: &str) -> Option<Decimal> {
    let t = case.table(kind, year)?;
    t.blocks.iter().flat_map(|b| b.rows.iter()).find(|r| r.label.contains(label)).map(|r| r.amount(0))
}

fn three_public(case: &Case, kind: TableKind, year: Option<i32>, group: &str, what: &str) -> Option<Decimal> {
    let t = case.table(kind, year)?;
    let b = t.main();
    let c = b.column(&[group, what])?;
    Some(b.rows.first()?.amount(c))
}

fn budget(case: &Case, scored: &Scored) -> Budget {
    use TableKind::*;
    let y = scored.year;
    let last = y.map(|y| y - 1);
    let this = y.map(|y| y.to_string()).unwrap_or_default();
    let full_year = case
        .working_paper
        .as_ref()
        .and_then(|p| p.fact("全年预算数"))
        .and_then(|f| f.number())
        .or_else(|| case.dept_self_evals.iter().find_map(|d| d.budget.as_ref().and_then(|v| v.value.number())));
    let initial = total_of(case, Budget03, y, &["合计"]);
    let final_total = total_of(case, Final03, y, &["本年支出合计"]);
    let pct = |a: Option<Decimal>, b: Option<Decimal>| match (a, b) {
        (Some(a), Some(b)) if !b.is_zero() => Some(round2(a / b * Decimal::ONE_HUNDRED)),
        _ => None,
    };
    Budget {
        initial: text(initial),
        initial_basic: text(total_of(case, Budget03, y, &["基本支出"])),
        initial_personnel: text(total_of(case, Budget05, y, &["人员支出"])),
        initial_public: text(total_of(case, Budget05, y, &["日常公用支出"])),
        initial_project: text(total_of(case, Budget03, y, &["项目支出"])),
        full_year: text(full_year),
        final_total: text(final_total),
        final_basic: text(total_of(case, Final03, y, &["基本支出"])),
        final_personnel: text(labelled(case, Final06, y, "人员经费合计")),
        final_public: text(labelled(case, Final06, y, "公用经费合计")),
        final_project: text(total_of(case, Final03, y, &["项目支出"])),
        execution_rate: text(pct(final_total, full_year)),
        difference_rate: text(pct(final_total.zip(initial).map(|(f, i)| f - i), initial)),
        three_public_budget: text(three_public(case, Budget07, y, &this, "合计")),
        three_public_final: text(three_public(case, Final09, y, "决算", "合计")),
        reception_budget: text(three_public(case, Budget07, y, &this, "公务接待")),
        reception_final: text(three_public(case, Final09, y, "决算", "公务接待")),
        training_budget: text(line(case, Budget06, y, "30216")),
        training_final: text(line(case, Final06, y, "30216")),
        meeting_budget: text(line(case, Budget06, y, "30215")),
        meeting_final: text(line(case, Final06, y, "30215")),
        last_training_final: text(line(case, Final06, last, "30216")),
        last_reception_final: text(three_public(case, Final09, last, "决算", "公务接待")),
        final_income: text(total_of(case, Final02, y, &["本年收入合计"])),
        abroad_budget: text(three_public(case, Budget07, y, &this, "出国")),
        abroad_final: text(three_public(case, Final09, y, "决算", "出国")),
        vehicle_budget: text(three_public(case, Budget07, y, &this, "小计")),
        vehicle_final: text(three_public(case, Final09, y, "决算", "小计")),
    }
}
