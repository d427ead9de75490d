//! Stage after the batch — `summary`: the 财政局's view across every case
//! of a batch. From each case's `评价结果.json` (the [`Evaluation`] its build
//! wrote) it gathers one [`CaseRow`] per case, groups the cases by report
//! kind and year (never one average over different kinds or years), and
//! computes once what the outputs show: grade distribution, averages, the
//! 共性问题 ranking, the weakest cases. Writers: [`xlsx`] (汇总表.xlsx) and
//! [`report`] (综合绩效评价报告.docx from editable templates); `汇总.json`
//! keeps the figures for the next run's change report.
//!
//! ```no_run
//! use std::path::Path;
//! let cases = jixiao::batch::find_cases(&[Path::new("评价案例").to_path_buf()]);
//! let outputs = jixiao::batch::output_folders(&cases, Path::new("output"));
//! let portfolio = jixiao::summary::collect(&cases, &outputs, &[], Path::new("output"));
//! let written = jixiao::summary::write(&portfolio, Path::new("output"), &[]).unwrap();
//! println!("{}", written.changes);
//! ```

pub mod report;
pub mod xlsx;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::assemble::Evaluation;

/// The JSON each case's build writes.
pub const CASE_JSON: &str = "评价结果.json";
/// The summary's own JSON in the output root (for the next change report).
pub const SUMMARY_JSON: &str = "汇总.json";
/// Grades in the order the summary lists them.
pub const GRADES: [&str; 4] = ["优", "良", "中", "差"];

/// One 问题清单 row of a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProblemRow {
    pub category: String,
    pub indicator: String,
    pub description: String,
}

/// One 三级 indicator's result in a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorRate {
    pub level1: String,
    pub name: String,
    pub weight: Decimal,
    pub score: Option<Decimal>,
    /// 得分率 %, 2 decimals; none while pending or for a zero weight.
    pub rate: Option<Decimal>,
}

/// One built case, as the summary shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseRow {
    /// The case folder's name (unique in the batch).
    pub folder: String,
    /// 单位: the department evaluated, or the department whose project it is.
    pub unit: String,
    /// The project a 项目支出 evaluation is about; none for a department's.
    #[serde(default)]
    pub project: Option<String>,
    pub kind: String,
    pub year: String,
    /// 年初预算数 and 决算支出 (万元) — a project's 年初预算数 and 全年执行数
    /// ([`headline`]).
    pub initial: Option<Decimal>,
    pub final_total: Option<Decimal>,
    pub total: Option<Decimal>,
    /// 优/良/中/差, or the draft's placeholder.
    pub grade: String,
    pub draft: bool,
    /// (一级, 得分率 %).
    pub level1: Vec<(String, Option<Decimal>)>,
    pub errors: usize,
    pub notes: usize,
    pub problems: Vec<ProblemRow>,
    pub indicators: Vec<IndicatorRate>,
    /// The report, relative to the output root (`case/报告.docx`).
    pub report: String,
}

/// A case that could not be built, with why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FailedCase {
    pub folder: String,
    pub message: String,
}

/// How often a problem category or indicator occurs, and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Frequency {
    pub name: String,
    /// Problems counted (a case may have several).
    pub count: usize,
    /// The units concerned (the projects, in a group of 项目 cases), in
    /// case order, each once ([`CaseRow::subject`]).
    pub units: Vec<String>,
}

/// The cases of one report kind and year, and what is computed over them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub kind: String,
    pub year: String,
    pub cases: Vec<CaseRow>,
    /// Cases of the batch that failed (kind and year unknown): listed in every group.
    pub failed: Vec<FailedCase>,
    /// Cases scored (a total known).
    pub scored: usize,
    pub average: Option<Decimal>,
    pub highest: Option<Decimal>,
    pub lowest: Option<Decimal>,
    /// (grade, count, share % of the scored cases), 优 → 差.
    pub grades: Vec<(String, usize, Option<Decimal>)>,
    /// Σ 年初预算数 and Σ 决算支出 over the cases that have them.
    pub initial_sum: Decimal,
    pub final_sum: Decimal,
    /// (一级, average 得分率 %) in the order of the first case's system.
    pub level1_average: Vec<(String, Option<Decimal>)>,
    /// Score histogram: (band, count): <60, 60–70, 70–80, 80–90, ≥90.
    pub bands: Vec<(String, usize)>,
    /// Problems by category and by indicator, the most frequent first.
    pub by_category: Vec<Frequency>,
    pub by_indicator: Vec<Frequency>,
    /// The lowest-scoring cases (at most three, below the group's average).
    pub weakest: Vec<String>,
    pub problem_count: usize,
}

/// Every group of a batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Portfolio {
    pub groups: Vec<Group>,
    /// Cases in the batch (built or failed).
    pub cases: usize,
    pub failed: Vec<FailedCase>,
}

fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// `part / whole × 100`, 2 decimals; none for a zero whole
/// ([`crate::model::figures::share_rate`]).
fn percent(part: Decimal, whole: Decimal) -> Option<Decimal> {
    crate::model::figures::share_rate(part, whole)
}

fn average(values: impl Iterator<Item = Decimal>) -> Option<Decimal> {
    let v: Vec<Decimal> = values.collect();
    (!v.is_empty()).then(|| round2(v.iter().sum::<Decimal>() / Decimal::from(v.len() as u64)))
}

/// The amount a sentence states after one of `labels`, in 万元
/// (`预算支出2958.92万元` → 2958.92): the first label followed by a number
/// and `万元` (an optional `为`/`：` between).
fn stated_amount(text: &str, labels: &[&str]) -> Option<Decimal> {
    labels.iter().find_map(|label| {
        text.match_indices(label).find_map(|(at, _)| {
            let rest = text[at + label.len()..].trim_start_matches(['为', '：', ':', ' ']);
            let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',')).unwrap_or(rest.len());
            let (number, unit) = rest.split_at(end);
            if !unit.starts_with("万元") {
                return None;
            }
            match crate::model::value::parse_number_text(number) {
                crate::model::value::NumberText::Number(d) => Some(d),
                _ => None,
            }
        })
    })
}

/// 预算执行数 of the 总览表's 财政资金 and 其他资金 lines (by source, so the
/// whole; 其他 none counts 0), when 财政资金's is known: a
/// 部门整体支出绩效自评表's 执行数.
fn spent_by_source(eval: &Evaluation) -> Option<Decimal> {
    let line = |label: &str| {
        eval.budget.lines.iter().find(|l| l.label == label).and_then(|l| l.spent.as_ref()).map(|f| f.value)
    };
    line("财政资金").map(|fiscal| fiscal + line("其他资金").unwrap_or_default())
}

/// The case's 年初预算数 and 决算支出 (万元) from what its kind has: a
/// project's own 年初预算数 and 全年执行数 (its 项目支出绩效自评表); a
/// department's 预算 表三 合计 and 公开03表 本年支出合计, else (a
/// self-evaluation without the 预决算公开表) the amounts its 文字
/// `部门预算收支情况` / `部门决算收支情况` state, else its 自评表's 执行数.
pub fn headline(eval: &Evaluation) -> (Option<Decimal>, Option<Decimal>) {
    if let Some(p) = &eval.project {
        return (p.initial_budget.as_ref().map(|f| f.value), p.spent.as_ref().map(|f| f.value));
    }
    let text = |name: &str, labels: &[&str]| eval.text(name).and_then(|t| stated_amount(t, labels));
    let initial = eval
        .budget
        .initial
        .as_ref()
        .map(|f| f.value)
        .or_else(|| text("部门预算收支情况", &["年初预算数", "年初预算", "预算支出"]));
    let final_total = eval
        .budget
        .final_total
        .as_ref()
        .map(|f| f.value)
        .or_else(|| text("部门决算收支情况", &["决算支出", "本年支出合计", "本年支出"]))
        .or_else(|| spent_by_source(eval));
    (initial, final_total)
}

/// A case's row from its evaluation; `report` relative to the output root.
pub fn case_row(folder: &str, eval: &Evaluation, report: String) -> CaseRow {
    let count = |sev: &str| eval.checks.iter().filter(|c| c.severity == sev).count();
    let (initial, final_total) = headline(eval);
    let department = eval.project.as_ref().map(|p| p.department.trim()).filter(|d| !d.is_empty());
    CaseRow {
        folder: folder.to_string(),
        unit: department.unwrap_or(&eval.case.object).to_string(),
        project: eval.project.as_ref().map(|p| p.name.clone()),
        kind: eval.case.kind.clone(),
        year: eval.case.year.clone(),
        initial,
        final_total,
        total: eval.score.total,
        grade: eval.score.grade.clone(),
        draft: eval.draft,
        level1: eval.score.level1.iter().map(|l| (l.name.clone(), l.rate)).collect(),
        errors: count("错误"),
        notes: count("提示"),
        problems: eval
            .score
            .problems
            .iter()
            .map(|p| ProblemRow {
                category: p.category.clone(),
                indicator: p.indicator.clone(),
                description: p.description.clone(),
            })
            .collect(),
        indicators: eval
            .score
            .indicators
            .iter()
            .map(|i| IndicatorRate {
                level1: i.level1.clone(),
                name: i.name.clone(),
                weight: i.weight,
                score: i.score,
                rate: i.score.and_then(|s| percent(s, i.weight)),
            })
            .collect(),
        report,
    }
}

/// Each case's name in the summary: its folder's name (whatever its output
/// folder is called — `serve` writes each case's into `<case>/output`),
/// made unique with a number when two cases share a name (as the batch
/// names their output folders).
pub fn case_names(cases: &[PathBuf]) -> Vec<String> {
    let mut used: Vec<String> = Vec::new();
    cases
        .iter()
        .map(|c| {
            let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
            let base =
                c.canonicalize().ok().and_then(|p| name(&p)).or_else(|| name(c)).unwrap_or_else(|| "case".into());
            let mut unique = base.clone();
            let mut n = 2;
            while used.contains(&unique) {
                unique = format!("{base}-{n}");
                n += 1;
            }
            used.push(unique.clone());
            unique
        })
        .collect()
}

/// Read each case's `评价结果.json` from its output folder. A case without
/// one, or with one that does not parse, is failed — with the message
/// `failures` gives for it (the batch's own), else why it has none.
pub fn collect(cases: &[PathBuf], outputs: &[PathBuf], failures: &[(PathBuf, String)], root: &Path) -> Portfolio {
    use rayon::prelude::*;
    let names = case_names(cases);
    // Each case's JSON read and reduced in parallel (hundreds of files of a few hundred KB).
    let read: Vec<Result<CaseRow, FailedCase>> = cases
        .par_iter()
        .zip(outputs.par_iter())
        .zip(names.into_par_iter())
        .map(|((case, out), folder)| {
            if let Some((_, message)) = failures.iter().find(|(c, _)| c == case) {
                return Err(FailedCase { folder, message: message.clone() });
            }
            let json = out.join(CASE_JSON);
            let eval = std::fs::read(&json)
                .map_err(|_| format!("没有评价结果（{} 不存在：该案例尚未生成或生成失败）", json.display()))
                .and_then(|b| {
                    serde_json::from_slice::<Evaluation>(&b)
                        .map_err(|e| format!("评价结果无法读取（{}：{e}）；请重新运行 build", json.display()))
                });
            match eval {
                Ok(eval) => {
                    let report = out.join(&eval.report_file);
                    let relative = report.strip_prefix(root).unwrap_or(&report).to_string_lossy().replace('\\', "/");
                    Ok(case_row(&folder, &eval, relative))
                }
                Err(message) => Err(FailedCase { folder, message }),
            }
        })
        .collect();
    let mut rows = Vec::new();
    let mut failed = Vec::new();
    for r in read {
        match r {
            Ok(row) => rows.push(row),
            Err(f) => failed.push(f),
        }
    }
    portfolio(rows, failed)
}

/// Group the rows by kind and year (in the order they first occur) and compute each group.
pub fn portfolio(rows: Vec<CaseRow>, failed: Vec<FailedCase>) -> Portfolio {
    let cases = rows.len() + failed.len();
    let mut keys: Vec<(String, String)> = Vec::new();
    let mut by_key: BTreeMap<(String, String), Vec<CaseRow>> = BTreeMap::new();
    for row in rows {
        let key = (row.kind.clone(), row.year.clone());
        if !keys.contains(&key) {
            keys.push(key.clone());
        }
        by_key.entry(key).or_default().push(row);
    }
    let mut groups: Vec<Group> = keys
        .into_iter()
        .map(|k| group(k.0.clone(), k.1.clone(), by_key.remove(&k).unwrap_or_default(), &failed))
        .collect();
    if groups.is_empty() && !failed.is_empty() {
        groups.push(group("（类型未知）".into(), String::new(), Vec::new(), &failed));
    }
    Portfolio { groups, cases, failed }
}

/// Problems counted by `key`, the most frequent first (then by name).
fn frequencies(cases: &[CaseRow], key: impl Fn(&ProblemRow) -> &str) -> Vec<Frequency> {
    let mut out: Vec<Frequency> = Vec::new();
    for c in cases {
        for p in &c.problems {
            let name = key(p).trim();
            if name.is_empty() {
                continue;
            }
            let i = match out.iter().position(|f| f.name == name) {
                Some(i) => i,
                None => {
                    out.push(Frequency { name: name.to_string(), count: 0, units: Vec::new() });
                    out.len() - 1
                }
            };
            out[i].count += 1;
            if !out[i].units.iter().any(|u| u == c.subject()) {
                out[i].units.push(c.subject().to_string());
            }
        }
    }
    out.sort_by(|a, b| b.count.cmp(&a.count).then(b.units.len().cmp(&a.units.len())).then(a.name.cmp(&b.name)));
    out
}

fn group(kind: String, year: String, cases: Vec<CaseRow>, failed: &[FailedCase]) -> Group {
    let totals: Vec<Decimal> = cases.iter().filter_map(|c| c.total).collect();
    let scored = totals.len();
    let grades = GRADES
        .iter()
        .map(|g| {
            let n = cases.iter().filter(|c| c.total.is_some() && c.grade == *g).count();
            (g.to_string(), n, percent(Decimal::from(n as u64), Decimal::from(scored as u64)))
        })
        .collect();
    let mut level1_average = Vec::new();
    if let Some(first) = cases.first() {
        for (name, _) in &first.level1 {
            let rates = cases.iter().filter_map(|c| c.level1.iter().find(|(n, _)| n == name).and_then(|(_, r)| *r));
            level1_average.push((name.clone(), average(rates)));
        }
    }
    let band = |t: Decimal| match t {
        t if t < Decimal::from(60) => 0,
        t if t < Decimal::from(70) => 1,
        t if t < Decimal::from(80) => 2,
        t if t < Decimal::from(90) => 3,
        _ => 4,
    };
    let bands = ["60分以下", "60–70分", "70–80分", "80–90分", "90分及以上"]
        .iter()
        .enumerate()
        .map(|(i, name)| (name.to_string(), totals.iter().filter(|t| band(**t) == i).count()))
        .collect();
    let average_total = average(totals.iter().copied());
    let mut ranked: Vec<&CaseRow> = cases.iter().filter(|c| c.total.is_some()).collect();
    ranked.sort_by(|a, b| a.total.cmp(&b.total).then(a.folder.cmp(&b.folder)));
    let weakest = ranked
        .iter()
        .filter(|c| scored > 1 && average_total.is_some_and(|a| c.total.is_some_and(|t| t < a)))
        .take(3)
        .map(|c| c.folder.clone())
        .collect();
    Group {
        kind,
        year,
        scored,
        average: average_total,
        highest: totals.iter().max().copied(),
        lowest: totals.iter().min().copied(),
        grades,
        initial_sum: cases.iter().filter_map(|c| c.initial).sum(),
        final_sum: cases.iter().filter_map(|c| c.final_total).sum(),
        level1_average,
        bands,
        by_category: frequencies(&cases, |p| &p.category),
        by_indicator: frequencies(&cases, |p| &p.indicator),
        weakest,
        problem_count: cases.iter().map(|c| c.problems.len()).sum(),
        failed: failed.to_vec(),
        cases,
    }
}

impl CaseRow {
    /// What the case evaluates: its project, else its unit.
    pub fn subject(&self) -> &str {
        self.project.as_deref().unwrap_or(&self.unit)
    }
}

impl Group {
    /// Every case evaluates a project (a 项目支出 group): the tables show
    /// the project beside its unit, and its 全年执行数 as the spending.
    pub fn projects(&self) -> bool {
        !self.cases.is_empty() && self.cases.iter().all(|c| c.project.is_some())
    }

    /// What the spending column is called: `决算支出`, or `全年执行数` for projects.
    pub fn spending_label(&self) -> &'static str {
        if self.projects() {
            "全年执行数"
        } else {
            "决算支出"
        }
    }

    /// `部门整体支出绩效评价 2024`: the group's name in file names and headings.
    pub fn label(&self) -> String {
        if self.year.is_empty() {
            self.kind.clone()
        } else {
            format!("{} {}", self.kind, self.year)
        }
    }

    pub fn case(&self, folder: &str) -> Option<&CaseRow> {
        self.cases.iter().find(|c| c.folder == folder)
    }
}

/// The files of a group: plain names when the batch has one group, else
/// each with its kind and year (`汇总表（项目支出绩效评价 2024）.xlsx`).
pub fn file_names(portfolio: &Portfolio, group: &Group) -> (String, String) {
    if portfolio.groups.len() <= 1 {
        ("汇总表.xlsx".into(), "综合绩效评价报告.docx".into())
    } else {
        let tag = crate::output::safe_file_name(&group.label());
        (format!("汇总表（{tag}）.xlsx"), format!("综合绩效评价报告（{tag}）.docx"))
    }
}

/// What moved since the previous summary: cases added, dropped, failed,
/// and each case whose total or grade changed.
pub fn changes(before: &Portfolio, after: &Portfolio) -> String {
    let rows = |p: &Portfolio| -> BTreeMap<String, (Option<Decimal>, String)> {
        p.groups.iter().flat_map(|g| g.cases.iter()).map(|c| (c.folder.clone(), (c.total, c.grade.clone()))).collect()
    };
    let (old, new) = (rows(before), rows(after));
    let score = |t: &Option<Decimal>| t.map(crate::model::value::fmt_number).unwrap_or_else(|| "—".into());
    let mut out = String::new();
    for (folder, (total, grade)) in &new {
        match old.get(folder) {
            None => out.push_str(&format!("  新增 {folder}：{} 分，{grade}\n", score(total))),
            Some((t0, g0)) if t0 != total || g0 != grade => {
                out.push_str(&format!("  {folder}：总分 {} → {}，等级 {g0} → {grade}\n", score(t0), score(total)))
            }
            Some(_) => {}
        }
    }
    for folder in old.keys().filter(|f| !new.contains_key(*f)) {
        let why = after.failed.iter().find(|f| &f.folder == folder).map(|_| "本次生成失败").unwrap_or("不在本次汇总中");
        out.push_str(&format!("  {folder}：{why}\n"));
    }
    let averages =
        |p: &Portfolio| -> Vec<(String, Option<Decimal>)> { p.groups.iter().map(|g| (g.label(), g.average)).collect() };
    for (label, avg) in averages(after) {
        let was = averages(before).into_iter().find(|(l, _)| *l == label).and_then(|(_, a)| a);
        if was != avg {
            out.push_str(&format!("  {label} 平均分 {} → {}\n", score(&was), score(&avg)));
        }
    }
    if out.is_empty() {
        "汇总与上次相同。\n".into()
    } else {
        format!("与上次汇总相比：\n{out}")
    }
}

/// What [`write()`] wrote.
#[derive(Debug, Clone)]
pub struct Written {
    pub files: Vec<PathBuf>,
    /// The change report against the previous `汇总.json` (empty the first time).
    pub changes: String,
}

/// Why the summary could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SummaryError {
    #[error("无法写入汇总文件 {path}（{source}）。请检查输出文件夹是否可写、文件是否在 Excel/Word 中打开。")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("汇总表生成失败：{0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("综合绩效评价报告生成失败：{0}")]
    Report(#[from] crate::render::report::RenderError),
}

/// Write every group's 汇总表 and 综合绩效评价报告 and `汇总.json` into
/// `root`; `template_dirs` override the summary's templates.
pub fn write(portfolio: &Portfolio, root: &Path, template_dirs: &[PathBuf]) -> Result<Written, SummaryError> {
    let save = |path: PathBuf, bytes: &[u8]| -> Result<PathBuf, SummaryError> {
        std::fs::create_dir_all(root).map_err(|source| SummaryError::Write { path: root.to_path_buf(), source })?;
        std::fs::write(&path, bytes).map_err(|source| SummaryError::Write { path: path.clone(), source })?;
        Ok(path)
    };
    let previous: Option<Portfolio> =
        std::fs::read(root.join(SUMMARY_JSON)).ok().and_then(|b| serde_json::from_slice(&b).ok());
    let mut files = Vec::new();
    for g in &portfolio.groups {
        let (xlsx_name, docx_name) = file_names(portfolio, g);
        files.push(save(root.join(xlsx_name), &xlsx::write(portfolio, g)?)?);
        files.push(save(root.join(docx_name), &report::render(portfolio, g, template_dirs)?)?);
    }
    let json = serde_json::to_vec_pretty(portfolio).unwrap_or_default();
    files.push(save(root.join(SUMMARY_JSON), &json)?);
    let changes = previous.map(|p| changes(&p, portfolio)).unwrap_or_default();
    Ok(Written { files, changes })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn row(folder: &str, total: Decimal, grade: &str, problems: &[(&str, &str)]) -> CaseRow {
        CaseRow {
            folder: folder.into(),
            unit: format!("{folder}局"),
            project: None,
            kind: "部门整体支出绩效评价".into(),
            year: "2024".into(),
            initial: Some(dec!(100)),
            final_total: Some(dec!(90.5)),
            total: Some(total),
            grade: grade.into(),
            draft: false,
            level1: vec![("决策".into(), Some(total))],
            errors: 0,
            notes: 1,
            problems: problems
                .iter()
                .map(|(c, i)| ProblemRow { category: c.to_string(), indicator: i.to_string(), description: "x".into() })
                .collect(),
            indicators: vec![],
            report: format!("{folder}/报告.docx"),
        }
    }

    #[test]
    fn grades_averages_and_the_common_problems() {
        let p = portfolio(
            vec![
                row("甲", dec!(92), "优", &[("预算管理", "预算执行率")]),
                row("乙", dec!(85.5), "良", &[("预算管理", "预算执行率"), ("财务管理", "资产管理")]),
                row("丙", dec!(71), "中", &[("预算管理", "预算编制")]),
            ],
            vec![FailedCase { folder: "丁".into(), message: "坏".into() }],
        );
        assert_eq!(p.cases, 4);
        let g = &p.groups[0];
        assert_eq!(g.average, Some(dec!(82.83)));
        assert_eq!((g.highest, g.lowest), (Some(dec!(92)), Some(dec!(71))));
        assert_eq!(g.grades[0], ("优".to_string(), 1, Some(dec!(33.33))));
        assert_eq!(g.grades[3], ("差".to_string(), 0, Some(dec!(0))));
        assert_eq!(g.initial_sum, dec!(300));
        assert_eq!(g.final_sum, dec!(271.5));
        assert_eq!(g.by_category[0].name, "预算管理");
        assert_eq!(g.by_category[0].count, 3);
        assert_eq!(g.by_category[0].units, ["甲局", "乙局", "丙局"]);
        assert_eq!(g.by_indicator[0].name, "预算执行率");
        assert_eq!(g.weakest, ["丙"]);
        assert_eq!(g.bands[2], ("70–80分".to_string(), 1));
        assert_eq!(g.failed[0].folder, "丁");
    }

    #[test]
    fn an_amount_is_read_after_its_label_with_its_unit() {
        let text = "本单位2021年度预算收入2958.92万元，预算支出2,958.92万元，其中基本支出183.97万元。";
        assert_eq!(stated_amount(text, &["年初预算", "预算支出"]), Some(dec!(2958.92)));
        assert_eq!(stated_amount("年初预算数为1,200.5万元", &["年初预算数"]), Some(dec!(1200.5)));
        // A number without 万元 (元, %, a count) is not an amount in 万元.
        assert_eq!(stated_amount("预算支出29589200元", &["预算支出"]), None);
        assert_eq!(stated_amount("本年支出增长5%", &["本年支出"]), None);
    }

    #[test]
    fn kinds_and_years_are_never_mixed() {
        let mut other = row("戊", dec!(60), "中", &[]);
        other.year = "2023".into();
        let p = portfolio(vec![row("甲", dec!(92), "优", &[]), other], vec![]);
        assert_eq!(p.groups.len(), 2);
        assert_eq!(p.groups[1].label(), "部门整体支出绩效评价 2023");
        assert_eq!(file_names(&p, &p.groups[1]).0, "汇总表（部门整体支出绩效评价 2023）.xlsx");
    }

    #[test]
    fn the_change_report_names_what_moved() {
        let a = portfolio(vec![row("甲", dec!(92), "优", &[]), row("乙", dec!(85), "良", &[])], vec![]);
        let b = portfolio(
            vec![row("甲", dec!(88), "良", &[])],
            vec![FailedCase { folder: "乙".into(), message: "坏".into() }],
        );
        let c = changes(&a, &b);
        assert!(c.contains("甲：总分 92 → 88，等级 优 → 良"), "{c}");
        assert!(c.contains("乙：本次生成失败"), "{c}");
        assert!(c.contains("平均分 88.5 → 88"), "{c}");
        assert_eq!(changes(&a, &a), "汇总与上次相同。\n");
    }
}
