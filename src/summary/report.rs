//! 综合绩效评价报告.docx of a group: a report kind of its own, written from
//! editable templates (`templates/summary/summary.j2`, overridable like the
//! single reports' parts) by the same DOCX writer — GB/T 9704 form, native
//! charts (score histogram, 一级 average 得分率), tables built here once.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rust_decimal::Decimal;
use serde::Serialize;

use super::{CaseRow, Group, Portfolio};
use crate::assemble::report_table::{c, l, r, Cell, ReportTable};
use crate::model::value::{fmt_amount, fmt_number};
use crate::render::docx::chart::{BarChart, Scale};
use crate::render::report::{docx, RenderError};

/// The summary's template parts, in order.
pub const SUMMARY_PARTS: &[&str] = &["summary.j2"];

/// What the templates see.
#[derive(Serialize)]
struct Context<'a> {
    group: &'a Group,
    /// Cases in the whole batch (all groups, failed included).
    batch_cases: usize,
    /// Groups in the batch: the report says when others are summarised apart.
    groups: usize,
    /// (grade, count, share) with the share as text.
    grades: Vec<GradeLine>,
    /// The weakest cases, in full.
    weakest: Vec<&'a CaseRow>,
    /// The group's one case, when it has one: wording for one case, no comparison.
    one: Option<&'a CaseRow>,
    /// Every case evaluates a project: each named by its project, its unit beside it.
    projects: bool,
    /// `决算支出`, or `全年执行数` for projects.
    spending: &'static str,
    /// What the cases are counted as: `单位`, or `项目`.
    subject: &'static str,
    /// Cases lacking 年初预算数 or the spending: not in the sums.
    unfigured: usize,
}

#[derive(Serialize)]
struct GradeLine {
    grade: String,
    count: usize,
    share: String,
}

fn cell_amount(d: Option<Decimal>) -> Cell {
    match d {
        Some(d) => r(fmt_amount(d)).num(d),
        None => r("-"),
    }
}

fn cell_score(d: Option<Decimal>) -> Cell {
    match d {
        Some(d) => r(fmt_number(d)).num(d),
        None => r("待填"),
    }
}

fn cell_rate(d: Option<Decimal>) -> Cell {
    match d {
        Some(d) => r(format!("{d:.2}%")).num(d),
        None => r("-"),
    }
}

/// What the cases are counted as in the tables and the text.
fn subject(g: &Group) -> &'static str {
    if g.projects() {
        "项目"
    } else {
        "单位"
    }
}

/// `平均得分率` over several cases, `得分率` of a group's one case.
fn rate_label(g: &Group) -> &'static str {
    if g.cases.len() == 1 {
        "得分率"
    } else {
        "平均得分率"
    }
}

/// The tables the template places: `grades`, `level1`, `categories`,
/// `indicators`, `cases`, `failed`.
pub fn tables(g: &Group) -> Vec<ReportTable> {
    let bands = ["≥90分", "80（含）–90分", "60（含）–80分", "<60分"];
    let grades = ReportTable::new(
        "grades",
        vec![20, 30, 25, 25],
        vec![vec![c("评价等级"), c("分数区间"), c("案例数"), c("占比")]],
        g.grades
            .iter()
            .zip(bands)
            .map(|((grade, n, share), band)| {
                vec![c(grade), c(band), r(n.to_string()).num(Decimal::from(*n as u64)), cell_rate(*share)]
            })
            .collect(),
    );
    let level1 = ReportTable::new(
        "level1",
        vec![60, 40],
        vec![vec![c("一级指标"), c(rate_label(g))]],
        g.level1_average.iter().map(|(n, a)| vec![l(n), cell_rate(*a)]).collect(),
    );
    let frequency_rows = |list: &[super::Frequency], top: usize| -> Vec<Vec<Cell>> {
        list.iter()
            .take(top)
            .enumerate()
            .map(|(i, f)| {
                vec![
                    c((i + 1).to_string()),
                    l(&f.name),
                    r(f.count.to_string()).num(Decimal::from(f.count as u64)),
                    r(f.units.len().to_string()).num(Decimal::from(f.units.len() as u64)),
                    l(f.units.join("、")),
                ]
            })
            .collect()
    };
    let who = subject(g);
    let header =
        |what: &str| vec![vec![c("序号"), c(what), c("问题数"), c(format!("涉及{who}数")), c(format!("涉及{who}"))]];
    let categories =
        ReportTable::new("categories", vec![8, 24, 11, 13, 44], header("问题分类"), frequency_rows(&g.by_category, 20))
            .small();
    let indicators =
        ReportTable::new("indicators", vec![8, 24, 11, 13, 44], header("指标"), frequency_rows(&g.by_indicator, 10))
            .small();
    let cases = cases_table(g);
    let failed = ReportTable::new(
        "failed",
        vec![8, 27, 65],
        vec![vec![c("序号"), c("案例文件夹"), c("未能生成的原因")]],
        g.failed.iter().enumerate().map(|(i, f)| vec![c((i + 1).to_string()), l(&f.folder), l(&f.message)]).collect(),
    )
    .small();
    vec![grades, level1, categories, indicators, cases, failed]
}

/// 附表1: each case's figures, score, grade and problems; a project beside its unit.
fn cases_table(g: &Group) -> ReportTable {
    let projects = g.projects();
    let mut header = vec![c("序号"), c("单位")];
    let mut widths = vec![7, 35, 15, 15, 10, 9, 9];
    if projects {
        header.push(c("项目"));
        widths = vec![6, 22, 16, 16, 16, 9, 7, 8];
    }
    header.extend([
        c("年初预算数（万元）"),
        c(format!("{}（万元）", g.spending_label())),
        c("总分"),
        c("等级"),
        c("问题数"),
    ]);
    let rows = g
        .cases
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let mut row = vec![c((i + 1).to_string()), l(&k.unit)];
            if projects {
                row.push(l(k.project.as_deref().unwrap_or_default()));
            }
            row.extend([
                cell_amount(k.initial),
                cell_amount(k.final_total),
                cell_score(k.total),
                c(if k.total.is_some() { k.grade.as_str() } else { "草稿" }),
                r(k.problems.len().to_string()).num(Decimal::from(k.problems.len() as u64)),
            ]);
            row
        })
        .collect();
    ReportTable::new("cases", widths, vec![header], rows).small()
}

/// The charts the template places: `bands` (how many cases in each score
/// band) and `level1` (each 一级's average 得分率).
pub fn charts(g: &Group) -> BTreeMap<String, BarChart> {
    let bands = BarChart {
        title: format!("{}得分分布（案例数）", g.label()),
        series: "案例数".into(),
        categories: g.bands.iter().map(|(b, _)| b.clone()).collect(),
        values: g.bands.iter().map(|(_, n)| Some(Decimal::from(*n as u64))).collect(),
        scale: Scale::Count,
    };
    let level1 = BarChart {
        title: format!("{}一级指标{}", g.label(), rate_label(g)),
        series: rate_label(g).into(),
        categories: g.level1_average.iter().map(|(n, _)| n.clone()).collect(),
        values: g.level1_average.iter().map(|(_, a)| *a).collect(),
        scale: Scale::Percent,
    };
    BTreeMap::from([("bands".to_string(), bands), ("level1".to_string(), level1)])
}

/// The DOCX of `group`; `template_dirs` override `summary.j2`.
pub fn render(portfolio: &Portfolio, g: &Group, template_dirs: &[PathBuf]) -> Result<Vec<u8>, RenderError> {
    let grades = g
        .grades
        .iter()
        .map(|(grade, count, share)| GradeLine {
            grade: grade.clone(),
            count: *count,
            share: share.map(|s| format!("{s:.2}%")).unwrap_or_else(|| "-".into()),
        })
        .collect();
    let weakest = g.weakest.iter().filter_map(|f| g.case(f)).collect();
    let ctx = Context {
        group: g,
        batch_cases: portfolio.cases,
        groups: portfolio.groups.len(),
        grades,
        weakest,
        one: (g.cases.len() == 1).then(|| &g.cases[0]),
        projects: g.projects(),
        spending: g.spending_label(),
        subject: subject(g),
        unfigured: g.cases.iter().filter(|c| c.initial.is_none() || c.final_total.is_none()).count(),
    };
    let parts: Vec<String> = SUMMARY_PARTS.iter().map(|s| s.to_string()).collect();
    let blocks = crate::render::report::blocks_of(&ctx, template_dirs, &parts)?;
    let tables = tables(g);
    let placed: BTreeMap<String, &ReportTable> = tables.iter().map(|t| (t.name.clone(), t)).collect();
    let charts = charts(g);
    let meta =
        docx::Meta {
            title: format!("{}综合绩效评价报告", g.label()), author: String::new(), date: String::new()
        };
    Ok(docx::write(&docx::Inputs {
        blocks: &blocks,
        tables: &placed,
        charts: &charts,
        fonts: &docx::Fonts::default(),
        toc_pages: None,
        page_markers: false,
        meta: &meta,
    })?)
}
