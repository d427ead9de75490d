//! The report's tables, built from the model by name (`@table 1-1`). Every
//! figure was computed before; here it is only placed and formatted.

use rust_decimal::Decimal;

use crate::model::value::{fmt_amount, fmt_number, round2};
use crate::model::{project_key, Case, CellValue, RowKind, TableKind};
use crate::score::Scored;

use super::data::ReportData;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Align {
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum VMerge {
    No,
    Start,
    Continue,
}

/// A table cell.
#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    pub span: usize,
    pub vmerge: VMerge,
    pub align: Align,
    pub bold: bool,
}

fn cell(text: impl Into<String>, align: Align) -> Cell {
    Cell { text: text.into(), span: 1, vmerge: VMerge::No, align, bold: false }
}

/// Left-aligned text.
pub fn l(text: impl Into<String>) -> Cell {
    cell(text, Align::Left)
}

/// Centred text.
pub fn c(text: impl Into<String>) -> Cell {
    cell(text, Align::Center)
}

/// Right-aligned (numbers).
pub fn r(text: impl Into<String>) -> Cell {
    cell(text, Align::Right)
}

impl Cell {
    pub fn span(mut self, n: usize) -> Cell {
        self.span = n;
        self
    }

    pub fn start(mut self) -> Cell {
        self.vmerge = VMerge::Start;
        self
    }

    pub fn cont(mut self) -> Cell {
        self.vmerge = VMerge::Continue;
        self
    }

    pub fn bold(mut self) -> Cell {
        self.bold = true;
        self
    }
}

/// A table: relative column widths, header rows (repeated on every page),
/// body rows.
#[derive(Debug, Clone)]
pub struct TableSpec {
    pub widths: Vec<u32>,
    pub header: Vec<Vec<Cell>>,
    pub rows: Vec<Vec<Cell>>,
    /// 五号 instead of 小四.
    pub small: bool,
}

fn amount(d: Option<Decimal>) -> String {
    d.map(fmt_amount).unwrap_or_else(|| "-".into())
}

fn opt(s: &Option<String>) -> Option<Decimal> {
    s.as_deref().and_then(|s| s.parse().ok())
}

fn rate(budget: Option<Decimal>, actual: Option<Decimal>) -> String {
    match (budget, actual) {
        (Some(b), Some(a)) if !b.is_zero() => format!("{:.2}%", round2(((a - b) / b * Decimal::ONE_HUNDRED).abs())),
        _ => "-".into(),
    }
}

/// Cells in a run of equal values merged down (first cell Start, others Continue).
fn merge_runs(rows: &mut [Vec<Cell>], col: usize) {
    let mut i = 0;
    while i < rows.len() {
        let mut j = i + 1;
        while j < rows.len() && rows[j][col].text == rows[i][col].text {
            j += 1;
        }
        if j - i > 1 {
            rows[i][col].vmerge = VMerge::Start;
            for row in rows.iter_mut().take(j).skip(i + 1) {
                row[col].vmerge = VMerge::Continue;
                row[col].text.clear();
            }
        }
        i = j;
    }
}

/// Build a table by its name.
#[rustfmt::skip] // laid out as before; rustfmt used to give up on it (an over-long line)
pub fn build(name: &str, data: &ReportData, case: &Case, scored: &Scored) -> Result<TableSpec, super::UnknownTable> {
    let y = scored.year;
    Ok(match name {
        "overview" => overview(data),
        "1-1" => {
            let b = &data.budget;
            let income = |kind: TableKind, label: &str| -> Option<Decimal> {
                let t = case.table(kind, y)?;
                let blk = t.block("收入")?;
                let col = blk.column(&["金额"]).or(blk.column(&["预算数"])).unwrap_or(0);
                blk.rows.iter().find(|r| r.label.contains(label)).map(|r| r.amount(col))
            };
            let lines = [("一", "一般公共预算收入", "一般公共预算"), ("二", "政府性基金预算收入", "政府性基金"), ("三", "国有资本经营预算收入", "国有资本经营")];
            let mut rows = vec![vec![c(""), c("合计"), r(amount(opt(&b.initial))), r(amount(opt(&b.final_total))), r(rate(opt(&b.initial), opt(&b.final_total)))]];
            for (n, label, key) in lines {
                let (bu, fi) = (income(TableKind::Budget01, key).filter(|d| !d.is_zero()), income(TableKind::Final01, key).filter(|d| !d.is_zero()));
                rows.push(vec![c(n), l(label), r(amount(bu)), r(amount(fi)), r(rate(bu, fi))]);
            }
            rows.push(vec![c("四"), l("其他收入"), r("-"), r("-"), r("-")]);
            TableSpec {
                widths: vec![8, 40, 18, 18, 16],
                header: vec![
                    vec![c("序号").start(), c("项目").start(), c("收入（万元）").span(2), c("预决算差异率").start()],
                    vec![c("").cont(), c("").cont(), c("预算数"), c("决算数"), c("").cont()],
                ],
                rows,
                small: false,
            }
        }
        "1-2" => spending(data, case, y),
        "2-1" => TableSpec {
            widths: vec![8, 14, 20, 58],
            header: vec![vec![c("序号"), c("姓名"), c("职务/职称"), c("任务职责")]],
            rows: data.case.team.iter().enumerate().map(|(i, t)| vec![c((i + 1).to_string()), c(&t[0]), c(&t[1]), l(&t[2])]).collect(),
            small: false,
        },
        "2-2" => {
            let mut rows: Vec<Vec<Cell>> = data.case.schedule.iter().map(|s| vec![c(&s[0]), l(&s[1]), c(&s[2])]).collect();
            merge_runs(&mut rows, 0);
            TableSpec { widths: vec![18, 62, 20], header: vec![vec![c("阶段"), c("工作内容"), c("完成时间")]], rows, small: false }
        }
        "3-1" => {
            let mut rows: Vec<Vec<Cell>> = scored
                .level1
                .iter()
                .map(|l1| vec![c(&l1.name), r(fmt_number(l1.weight)), r(fmt_number(l1.score)), r(format!("{:.2}%", l1.rate))])
                .collect();
            rows.push(vec![c("合计").bold(), r("100").bold(), r(fmt_number(scored.total)).bold(), r(format!("{:.2}%", scored.total)).bold()]);
            TableSpec { widths: vec![40, 20, 20, 20], header: vec![vec![c("一级指标"), c("指标分值"), c("得分"), c("得分率")]], rows, small: false }
        }
        "3-2" => transfers(case),
        "3-3" => TableSpec {
            widths: vec![7, 22, 11, 11, 49],
            header: vec![vec![c("序号"), c("项目名称"), c("自评结果"), c("复核结果"), c("原因")]],
            rows: data
                .rechecks
                .iter()
                .enumerate()
                .map(|(i, rc)| vec![c((i + 1).to_string()), l(&rc.project), c(&rc.stated_grade), c(&rc.grade), l(&rc.reasons)])
                .collect(),
            small: false,
        },
        "annex1" => annex1(scored),
        "annex2" => annex2(scored),
        "annex3" => {
            let mut rows: Vec<Vec<Cell>> = scored.problems.iter().map(|p| vec![c(&p.category), c(p.number.to_string()), c(&p.unit), l(&p.description)]).collect();
            merge_runs(&mut rows, 0);
            TableSpec { widths: vec![14, 7, 19, 60], header: vec![vec![c("问题分类"), c("序号"), c("项目责任单位"), c("问题描述")]], rows, small: true }
        }
        "annex4-strategic" => department_table(case, TableKind::StrategicTargets),
        "annex4-overall" => department_table(case, TableKind::OverallTargets),
        other => return Err(super::UnknownTable { name: other.to_string() }),
    })
}

fn overview(data: &ReportData) -> TableSpec {
    let b = &data.budget;
    let t = |k: &str| data.texts.get(k).cloned().unwrap_or_default();
    let mut rows = vec![
        vec![
            c("部门预算安排及使用情况").bold().start(),
            c("项目"),
            c("年初预算数（万元）"),
            c("全年预算数（万元）"),
            c("预算执行数（万元）"),
            c("预算执行率"),
        ],
        vec![
            c("").cont(),
            l("年度资金总额"),
            r(amount(opt(&b.initial))),
            r(amount(opt(&b.full_year))),
            r(amount(opt(&b.final_total))),
            r(b.execution_rate.as_deref().map(|x| format!("{x}%")).unwrap_or("-".into())),
        ],
        vec![
            c("").cont(),
            l("其中：基本支出"),
            r(amount(opt(&b.initial_basic))),
            r("-"),
            r(amount(opt(&b.final_basic))),
            r("-"),
        ],
        vec![
            c("").cont(),
            l("项目支出"),
            r(amount(opt(&b.initial_project))),
            r("-"),
            r(amount(opt(&b.final_project))),
            r("-"),
        ],
    ];
    let goal =
        if data.texts.contains_key("年度绩效目标") { t("年度绩效目标") } else { t("绩效目标情况") };
    rows.push(vec![c("部门整体绩效目标").bold(), l(goal).span(5)]);
    rows.push(vec![c("主要成效及做法").bold(), l(t("主要成效及做法")).span(5)]);
    for (i, theme) in data.themes.iter().enumerate() {
        let n = i + 1;
        let problem = data.texts.get(&format!("总览表主要问题{n}")).cloned().unwrap_or_else(|| theme.title.clone());
        let advice = data.texts.get(&format!("总览表建议{n}")).cloned().unwrap_or_else(|| theme.recommendation.clone());
        let label = if i == 0 { c("主要问题及有关建议").bold().start() } else { c("").cont() };
        rows.push(vec![label, l(format!("问题{n}：{problem}")).span(2), l(format!("建议{n}：{advice}")).span(3)]);
    }
    let scores: Vec<String> =
        data.score.level1.iter().map(|s| format!("{}（{}分）：{}分", s.name, s.weight, s.score)).collect();
    rows.push(vec![
        c("评价得分和等级").bold(),
        l(format!("{}。评价得分：{}，评价等级结果：{}", scores.join("；"), data.score.total, data.score.grade)).span(5),
    ]);
    TableSpec { widths: vec![16, 20, 16, 16, 16, 16], header: vec![], rows, small: true }
}

fn spending(data: &ReportData, case: &Case, y: Option<i32>) -> TableSpec {
    let b = &data.budget;
    let mut rows = vec![
        vec![c("合计").span(2), r(amount(opt(&b.initial))), r(amount(opt(&b.final_total)))],
        vec![c("一"), l("基本支出"), r(amount(opt(&b.initial_basic))), r(amount(opt(&b.final_basic)))],
        vec![c("1"), l("人员支出"), r(amount(opt(&b.initial_personnel))), r(amount(opt(&b.final_personnel)))],
        vec![c("2"), l("日常公用支出"), r(amount(opt(&b.initial_public))), r(amount(opt(&b.final_public)))],
        vec![c("二"), l("项目支出"), r(amount(opt(&b.initial_project))), r(amount(opt(&b.final_project)))],
    ];
    // Projects: budget from 预算 表十一, spending from the 分项绩效项目清单.
    let mut projects: Vec<(String, Option<Decimal>, Option<Decimal>)> = Vec::new();
    if let Some(t) = case.table(TableKind::Budget11, y) {
        let col = t.column(&["合计"]).unwrap_or(0);
        for row in t.main().rows.iter().filter(|r| r.kind != RowKind::Total && !r.label.is_empty()) {
            projects.push((row.label.clone(), Some(row.amount(col)), None));
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
            let spent = spent_col.and_then(|c| row.value(c)).map(|v| v.value.amount_or_zero());
            match projects.iter_mut().find(|p| project_key(&p.0) == project_key(&name)) {
                Some(p) => p.2 = spent,
                None => projects.push((name, None, spent)),
            }
        }
    }
    for (i, (name, budget, spent)) in projects.iter().enumerate() {
        rows.push(vec![
            c((i + 1).to_string()),
            l(name),
            r(budget.map(fmt_amount).unwrap_or_else(|| "0.00".into())),
            r(spent.map(fmt_amount).unwrap_or_else(|| "-".into())),
        ]);
    }
    TableSpec {
        widths: vec![8, 56, 18, 18],
        header: vec![
            vec![c("序号").start(), c("项目").start(), c("支出（万元）").span(2)],
            vec![c("").cont(), c("").cont(), c("预算数"), c("决算数")],
        ],
        rows,
        small: false,
    }
}

fn transfers(case: &Case) -> TableSpec {
    let list = case.working_paper.as_ref().map(|p| p.transfers.clone()).unwrap_or_default();
    let dash = |d: Decimal| if d.is_zero() { "——".to_string() } else { fmt_number(d) };
    let mut rows = Vec::new();
    let (mut ta, mut ts) = ([Decimal::ZERO; 3], [Decimal::ZERO; 3]);
    for (i, t) in list.iter().enumerate() {
        let (sa, ss): (Decimal, Decimal) = (t.allocated.iter().sum(), t.spent.iter().sum());
        let mut row = vec![c((i + 1).to_string()), l(&t.project)];
        row.extend(t.allocated.iter().map(|d| r(dash(*d))));
        row.push(r(fmt_number(sa)));
        row.extend(t.spent.iter().map(|d| r(dash(*d))));
        row.push(r(fmt_number(ss)));
        rows.push(row);
        for k in 0..3 {
            ta[k] += t.allocated[k];
            ts[k] += t.spent[k];
        }
    }
    let mut total = vec![c("合计").span(2).bold()];
    total.extend(ta.iter().map(|d| r(dash(*d)).bold()));
    total.push(r(fmt_number(ta.iter().sum())).bold());
    total.extend(ts.iter().map(|d| r(dash(*d)).bold()));
    total.push(r(fmt_number(ts.iter().sum())).bold());
    rows.push(total);
    let sub = ["中央资金", "省级资金", "市级资金", "小计"];
    let mut second = vec![c("").cont(), c("").cont()];
    second.extend(sub.iter().map(|s| c(*s)));
    second.extend(sub.iter().map(|s| c(*s)));
    TableSpec {
        widths: vec![6, 22, 9, 9, 9, 9, 9, 9, 9, 9],
        header: vec![
            vec![
                c("序号").start(),
                c("项目名称").start(),
                c("预算到位资金（万元）").span(4),
                c("实际支出资金（万元）").span(4),
            ],
            second,
        ],
        rows,
        small: true,
    }
}

fn level_rows(scored: &Scored, cells: impl Fn(usize) -> Vec<Cell>) -> Vec<Vec<Cell>> {
    let weight =
        |name: &str| scored.level1.iter().find(|l| l.name == name).map(|l| fmt_number(l.weight)).unwrap_or_default();
    let weight2 = |l1: &str, l2: &str| {
        scored.level2.iter().find(|l| l.level1 == l1 && l.name == l2).map(|l| fmt_number(l.weight)).unwrap_or_default()
    };
    let mut rows: Vec<Vec<Cell>> = scored
        .indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| {
            let mut row = vec![
                c(format!("{}（{}分）", ind.level1, weight(&ind.level1))),
                c(format!("{}（{}分）", ind.level2, weight2(&ind.level1, &ind.level2))),
            ];
            row.extend(cells(i));
            row
        })
        .collect();
    merge_runs(&mut rows, 0);
    // 二级 merge only within the same 一级: their texts include the 一级 weight run already.
    merge_runs(&mut rows, 1);
    rows
}

fn annex1(scored: &Scored) -> TableSpec {
    let inds = &scored.system.indicators;
    let rows = level_rows(scored, |i| {
        let ind = &inds[i];
        vec![
            l(format!("({}) {}（{}分）", ind.number, ind.name, fmt_number(ind.weight))),
            l(&ind.explanation),
            l(&ind.method),
            l(&ind.source),
        ]
    });
    TableSpec {
        widths: vec![10, 11, 14, 20, 33, 12],
        header: vec![vec![
            c("一级指标"),
            c("二级指标"),
            c("三级指标"),
            c("指标解释"),
            c("评分办法"),
            c("指标/数据来源"),
        ]],
        rows,
        small: true,
    }
}

fn annex2(scored: &Scored) -> TableSpec {
    let mut rows = level_rows(scored, |i| {
        let ind = &scored.indicators[i];
        vec![
            l(format!("({}) {}（{}分）", ind.number, ind.name, fmt_number(ind.weight))),
            r(fmt_number(ind.score)),
            l(&ind.basis),
        ]
    });
    rows.push(vec![
        c("合计").span(3).bold(),
        r(fmt_number(scored.total)).bold(),
        l(format!("评价得分{}分，评价等级“{}”。", fmt_number(scored.total), scored.grade)),
    ]);
    TableSpec {
        widths: vec![11, 12, 17, 8, 52],
        header: vec![vec![c("一级指标"), c("二级指标"), c("三级指标"), c("得分"), c("得失分依据")]],
        rows,
        small: true,
    }
}

fn department_table(case: &Case, kind: TableKind) -> TableSpec {
    let Some(t) = case.tables_of(kind).next() else {
        return TableSpec {
            widths: vec![100], header: vec![], rows: vec![vec![l("部门未提供该表。")]], small: true
        };
    };
    let b = t.main();
    let header = vec![b.columns.iter().map(|col| c(col.key.split('/').next_back().unwrap_or(&col.key))).collect()];
    let rows = b
        .rows
        .iter()
        .map(|row| {
            row.values
                .iter()
                .map(|v| {
                    l(match &v.value {
                        CellValue::Text(s) => s.clone(),
                        CellValue::Number(d) => d.normalize().to_string(),
                        CellValue::Percent(d) => format!("{}%", (*d * Decimal::ONE_HUNDRED).normalize()),
                        _ => String::new(),
                    })
                })
                .collect()
        })
        .collect();
    TableSpec {
        widths: b
            .columns
            .iter()
            .map(|col| {
                if col.key.contains("指标") || col.key.contains("职责") || col.key.contains("目标") {
                    16
                } else {
                    8
                }
            })
            .collect(),
        header,
        rows,
        small: true,
    }
}
