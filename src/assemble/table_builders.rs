//! Every table of the report and the annexes, built once from the
//! evaluation's figures, the scores and the department's own target tables.

use rust_decimal::Decimal;

use super::report_table::{c, l, merge_down, r, Cell, ReportTable};
use super::{placeholder, Evaluation};
use crate::model::figures::Figure;
use crate::model::value::{fmt_amount, fmt_number, fmt_points, LINE_BREAK};
use crate::model::{Case, CellValue, TableKind};
use crate::score::Scored;

pub(super) fn amount(f: &Option<Figure>) -> Cell {
    match f {
        Some(f) => r(fmt_amount(f.value)).num(f.value),
        None => r("-"),
    }
}

pub(super) fn rate(d: Option<Decimal>) -> Cell {
    match d {
        Some(d) => r(format!("{:.2}%", d)).num(d),
        None => r("-"),
    }
}

/// A score, or the placeholder of one not yet known (an indicator lacks inputs).
pub(super) fn score_cell(d: Option<Decimal>) -> Cell {
    match d {
        Some(d) => r(fmt_points(d)).num(d),
        None => r(super::PENDING_CELL),
    }
}

/// A weight (分值) as a table shows it: two decimals.
pub(super) fn weight_cell(d: Decimal) -> Cell {
    r(fmt_points(d)).num(d)
}

/// A 得分率 as a table shows it (`90.00%`), or the placeholder of one not yet known.
pub(super) fn rate_cell(d: Option<Decimal>) -> Cell {
    match d {
        Some(d) => r(format!("{}%", fmt_points(d))).num(d),
        None => r(super::PENDING_CELL),
    }
}

/// A score as text for a sentence: the number, or its placeholder.
fn score_text(d: Option<Decimal>) -> String {
    d.map(fmt_number).unwrap_or_else(|| placeholder("得分"))
}

/// Every table, in the order the report places them.
pub fn all(eval: &Evaluation, case: &Case, scored: &Scored) -> Vec<ReportTable> {
    vec![
        overview(eval),
        income(eval),
        spending(eval),
        super::team_tables::team(eval),
        super::team_tables::signed(eval, case),
        schedule(eval),
        level1_scores(scored),
        transfers(eval),
        rechecks(eval),
        annex1(scored),
        annex2(scored),
        annex3(eval),
        department_table(case, TableKind::StrategicTargets, "annex4-strategic"),
        department_table(case, TableKind::OverallTargets, "annex4-overall"),
        survey(scored),
        super::project_tables::project_funds(eval),
        super::project_tables::project_targets(eval),
    ]
    .into_iter()
    .chain(paper_tables(case))
    .collect()
}

/// The working paper's data tables, as `paper:名称`: row labels left,
/// numbers right — counts (a table or column about 人数, 人次, 户数, 个数,
/// 数量) whole with thousands separators, amounts with two decimals —, a
/// 合计/总计 row bold.
fn paper_tables(case: &Case) -> Vec<ReportTable> {
    use crate::model::working_paper::PaperCell;
    let Some(paper) = case.working_paper.as_ref() else { return Vec::new() };
    paper
        .tables
        .iter()
        .map(|t| {
            let count_words = ["人数", "人次", "户数", "个数", "数量"];
            let whole: Vec<bool> = t
                .columns
                .iter()
                .skip(1)
                .enumerate()
                .map(|(i, h)| {
                    count_words.iter().any(|w| t.name.contains(w) || h.contains(w))
                        && t.rows.iter().all(|r| match r.values.get(i) {
                            Some(PaperCell::Number(d, _)) => d.normalize().scale() == 0,
                            _ => true,
                        })
                })
                .collect();
            let mut rows: Vec<Vec<Cell>> = t
                .rows
                .iter()
                .map(|pr| {
                    let total = pr.is_total();
                    let mut row = vec![if total { c(&pr.label).bold() } else { l(&pr.label) }];
                    for (i, v) in pr.values.iter().enumerate() {
                        let cell = match v {
                            PaperCell::Number(d, _) if whole[i] => {
                                r(fmt_amount(*d).trim_end_matches(".00").to_string()).num(*d)
                            }
                            PaperCell::Number(d, _) => r(fmt_amount(*d)).num(*d),
                            PaperCell::Text(s) => l(s),
                            PaperCell::Empty => c(""),
                        };
                        row.push(if total { cell.bold() } else { cell });
                    }
                    row
                })
                .collect();
            merge_paper_cells(&mut rows, &t.merges);
            let n = t.columns.len().max(1);
            let mut widths = vec![30];
            widths.extend(std::iter::repeat_n((70 / n.saturating_sub(1).max(1)) as u32, n.saturating_sub(1)));
            let header = vec![t.columns.iter().map(c).collect()];
            let mut out = ReportTable::new(&format!("paper:{}", t.name), widths, header, rows).small();
            out.title = t.name.clone();
            out
        })
        .collect()
}

/// Print a data table's merged cells merged: a region's first cell spans
/// its columns (the others dropped), and its rows continue it below.
fn merge_paper_cells(rows: &mut [Vec<Cell>], merges: &[(usize, usize, usize, usize)]) {
    // Right to left, so that dropping cells keeps the earlier columns' places.
    let mut merges = merges.to_vec();
    merges.sort_by_key(|m| std::cmp::Reverse(m.1));
    for &(r0, c0, r1, c1) in &merges {
        for (k, row) in rows.iter_mut().enumerate().take(r1 + 1).skip(r0) {
            if c1 >= row.len() {
                continue;
            }
            let mut first = row[c0].clone().span(c1 - c0 + 1);
            if r1 > r0 {
                first = if k == r0 { first.start() } else { first.cont() };
            }
            if k > r0 {
                first.text.clear();
            }
            row[c0] = first;
            row.drain(c0 + 1..=c1);
        }
    }
}

/// 附件5 问卷调查统计: each question with its options, 人数, 权重 and, for
/// the questions that count, the 单项满意度 (missing without a 问卷).
fn survey(scored: &Scored) -> ReportTable {
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut keys: Vec<usize> = Vec::new();
    for (k, q) in scored.survey.iter().enumerate() {
        for (option, count, weight) in &q.options {
            let rate = match (q.counted, q.rate) {
                (true, Some(rate)) => r(format!("{rate:.2}%")).num(rate),
                _ => c("不计入"),
            };
            rows.push(vec![
                l(&q.question),
                c(option),
                r(fmt_number(*count)).num(*count),
                weight.map(|w| r(fmt_number(w)).num(w)).unwrap_or_else(|| c("—")),
                rate,
            ]);
            keys.push(k);
        }
    }
    merge_down(&mut rows, 0, &keys);
    merge_down(&mut rows, 4, &keys);
    let mut t = ReportTable::new(
        "survey",
        vec![36, 20, 14, 12, 18],
        vec![vec![c("题目"), c("选项"), c("人数"), c("权重"), c("单项满意度")]],
        rows,
    )
    .small();
    t.title = "附件5 问卷调查统计".into();
    t.sheet = t.title.clone();
    t.sheet_widths = vec![40.0, 18.0, 12.0, 10.0, 14.0];
    t.group_columns = vec![0, 4];
    t.missing = scored.survey.is_empty();
    t
}

/// 表1-1 收入预决算: 预决算差异率 printed as its magnitude, as seed 000 does.
fn income(eval: &Evaluation) -> ReportTable {
    let b = &eval.budget;
    let magnitude = |f: &Option<Figure>| rate(f.as_ref().map(|f| f.value.abs()));
    let mut rows =
        vec![vec![c(""), c("合计"), amount(&b.initial), amount(&b.final_total), magnitude(&b.difference_rate)]];
    for (n, line) in ["一", "二", "三"].iter().zip(&b.income) {
        rows.push(vec![
            c(*n),
            l(&line.label),
            amount(&line.budget),
            amount(&line.final_amount),
            rate(line.difference_rate.map(|d| d.abs())),
        ]);
    }
    rows.push(vec![c("四"), l("其他收入"), r("-"), r("-"), r("-")]);
    ReportTable::new(
        "1-1",
        vec![8, 40, 18, 18, 16],
        vec![
            vec![c("序号").start(), c("项目").start(), c("收入（万元）").span(2), c("预决算差异率").start()],
            vec![c("").cont(), c("").cont(), c("预算数"), c("决算数"), c("").cont()],
        ],
        rows,
    )
}

/// 表2-2: a stage's name and its 完成时间 merged down over its rows (as the
/// seed prints them), the stage column wide enough for `前期准备阶段`. A
/// period `12月1日—12月5日` breaks after its dash, not inside a date.
fn schedule(eval: &Evaluation) -> ReportTable {
    let period = |t: &str| match t.split_once('—') {
        Some((from, to)) if !from.is_empty() && !to.is_empty() => format!("{from}—{LINE_BREAK}{to}"),
        _ => t.to_string(),
    };
    let mut rows: Vec<Vec<Cell>> =
        eval.case.schedule.iter().map(|s| vec![c(&s[0]), l(&s[1]), c(period(&s[2]))]).collect();
    let stages: Vec<String> = eval.case.schedule.iter().map(|s| s[0].clone()).collect();
    let stage_dates: Vec<(String, String)> = eval.case.schedule.iter().map(|s| (s[0].clone(), s[2].clone())).collect();
    merge_down(&mut rows, 0, &stages);
    merge_down(&mut rows, 2, &stage_dates);
    ReportTable::new("2-2", vec![22, 54, 24], vec![vec![c("阶段"), c("工作内容"), c("完成时间")]], rows)
}

fn level1_scores(scored: &Scored) -> ReportTable {
    let mut rows: Vec<Vec<Cell>> = scored
        .level1
        .iter()
        .map(|l1| vec![c(&l1.name), weight_cell(l1.weight), score_cell(l1.score), rate_cell(l1.rate)])
        .collect();
    rows.push(vec![
        c("合计").bold(),
        weight_cell(Decimal::ONE_HUNDRED).bold(),
        score_cell(scored.total).bold(),
        rate_cell(scored.total).bold(),
    ]);
    let mut t = ReportTable::new(
        "3-1",
        vec![40, 20, 20, 20],
        vec![vec![c("一级指标"), c("指标分值"), c("得分"), c("得分率")]],
        rows,
    );
    t.total = true;
    t
}

fn rechecks(eval: &Evaluation) -> ReportTable {
    ReportTable::new(
        "3-3",
        vec![7, 22, 11, 11, 49],
        vec![vec![c("序号"), c("项目名称"), c("自评结果"), c("复核结果"), c("原因")]],
        eval.rechecks
            .iter()
            .enumerate()
            .map(|(i, rc)| {
                vec![c((i + 1).to_string()), l(&rc.project), c(&rc.stated_grade), c(&rc.grade), l(&rc.reasons)]
            })
            .collect(),
    )
}

fn annex3(eval: &Evaluation) -> ReportTable {
    let mut rows: Vec<Vec<Cell>> = eval
        .score
        .problems
        .iter()
        .map(|p| {
            vec![
                c(&p.category),
                c(p.number.to_string()).num(Decimal::from(p.number as u64)),
                c(&p.unit),
                l(&p.description),
            ]
        })
        .collect();
    let keys: Vec<String> = rows.iter().map(|row| row[0].text.clone()).collect();
    merge_down(&mut rows, 0, &keys);
    let mut t = ReportTable::new(
        "annex3",
        vec![14, 7, 19, 60],
        vec![vec![c("问题分类"), c("序号"), c("项目责任单位"), c("问题描述")]],
        rows,
    )
    .small();
    t.title = "附件3 问题清单".into();
    t.sheet = t.title.clone();
    t.sheet_widths = vec![14.0, 7.0, 24.0, 90.0];
    t.group_columns = vec![0];
    t
}

/// The 总览表 as seed 000 lays it out: 一、部门预算安排及使用情况 (部门名称 and
/// 下属单位数量, the total, by source and by type), 二、部门整体绩效目标,
/// 三、主要成效及做法, 四、主要问题及有关建议 (each theme with its title), 五、评价得分和等级
/// (the 一级 table and the result).
fn overview(eval: &Evaluation) -> ReportTable {
    let mut rows = overview_budget(eval);
    rows.extend(overview_goal_and_results(eval));
    rows.extend(overview_problems(eval));
    rows.extend(overview_scores(eval));
    ReportTable::new("overview", vec![16, 20, 16, 16, 16, 16], vec![], rows).small()
}

/// A 总览表 section heading across the six columns.
fn overview_section(title: &str) -> Vec<Cell> {
    vec![l(title).bold().span(6)]
}

/// A 总览表 figures row: its label, 年初预算数, 全年预算数, 预算执行数, 预算执行率.
fn overview_figures(
    label: Cell,
    initial: &Option<Figure>,
    full: &Option<Figure>,
    spent: &Option<Figure>,
    rate: &Option<Figure>,
) -> Vec<Cell> {
    let pct = match rate {
        Some(f) => r(format!("{}%", fmt_points(f.value))).num(f.value),
        None => r("-"),
    };
    vec![label, amount(initial), amount(full), amount(spent), pct]
}

/// 一、部门预算安排及使用情况: 部门名称 and 下属单位数量, the total, then the
/// lines by source (财政资金, 其他资金) and by type (基本支出, 项目支出).
fn overview_budget(eval: &Evaluation) -> Vec<Vec<Cell>> {
    let b = &eval.budget;
    let units = eval
        .case
        .subordinate_units
        .map(|n| format!("{}个", fmt_number(n)))
        .unwrap_or_else(|| placeholder("事实“下属单位数量”"));
    let mut rows = vec![
        overview_section("一、部门预算安排及使用情况"),
        vec![l(format!("部门名称：{}", eval.case.object)).span(3), l(format!("部门下属单位数量：{units}")).span(3)],
        vec![
            c("项目").span(2).bold(),
            c("年初预算数").bold(),
            c("全年预算数").bold(),
            c("预算执行数").bold(),
            c("预算执行率").bold(),
        ],
    ];
    let mut total =
        overview_figures(c("部门预算安排").span(2), &b.initial, &b.full_year, &b.final_total, &b.execution_rate);
    total.iter_mut().skip(1).for_each(|cell| cell.bold = true);
    rows.push(total);
    rows.extend(overview_lines(eval, "按资金来源分类（万元）", ["财政资金", "其他资金"], true));
    rows.extend(overview_lines(eval, "按支出类型分类（万元）", ["基本支出", "项目支出"], false));
    rows
}

/// A heading of 部门预算执行情况 and its two budget lines (`（1）财政资金`, …).
fn overview_lines(eval: &Evaluation, heading: &str, labels: [&str; 2], first: bool) -> Vec<Vec<Cell>> {
    let lead = if first { c("部门预算执行情况").start() } else { c("").cont() };
    let mut rows = vec![vec![lead, l(heading).span(5)]];
    for (k, label) in labels.iter().enumerate() {
        let name = l(format!("（{}）{label}", k + 1));
        let row = match eval.budget.lines.iter().find(|x| x.label == *label) {
            Some(x) => overview_figures(name, &x.initial, &x.full_year, &x.spent, &x.execution_rate),
            None => overview_figures(name, &None, &None, &None, &None),
        };
        let mut cells = vec![c("").cont()];
        cells.extend(row);
        rows.push(cells);
    }
    rows
}

/// 二、部门整体绩效目标 (the fullest statement of the goals: the paper's own
/// 总览表 text, else 绩效目标情况, else 年度绩效目标) and 三、主要成效及做法.
fn overview_goal_and_results(eval: &Evaluation) -> Vec<Vec<Cell>> {
    let t = |k: &str| eval.text(k).cloned().unwrap_or_default();
    let goal = ["总览表绩效目标", "绩效目标情况", "年度绩效目标"]
        .into_iter()
        .find(|k| eval.text(k).is_some_and(|v| !v.trim().is_empty()))
        .map(t)
        .unwrap_or_default();
    vec![
        overview_section("二、部门整体绩效目标"),
        vec![l(goal).span(6)],
        overview_section("三、主要成效及做法"),
        vec![l(t("主要成效及做法")).span(6)],
    ]
}

/// 四、主要问题及有关建议: each theme's title with its summary (the paper's
/// `总览表主要问题<n>`, else its manifestations), then each suggestion's title
/// with its advice (`总览表建议<n>`, else the recommendation).
fn overview_problems(eval: &Evaluation) -> Vec<Vec<Cell>> {
    let titled = |n: usize, title: &str, text: String| {
        let text = if text.is_empty() { format!("{n}. {title}") } else { format!("{n}. {title}{LINE_BREAK}{text}") };
        vec![l(text).span(6)]
    };
    let mut rows = vec![overview_section("四、主要问题及有关建议"), vec![l("（一）主要问题").bold().span(6)]];
    for (i, theme) in eval.themes.iter().enumerate() {
        let n = i + 1;
        let summary =
            eval.text(&format!("总览表主要问题{n}")).cloned().unwrap_or_else(|| theme.manifestations.join(""));
        rows.push(titled(n, &theme.title, summary));
    }
    rows.push(vec![l("（二）相关建议").bold().span(6)]);
    for (i, theme) in eval.themes.iter().enumerate() {
        let n = i + 1;
        let title = if theme.recommendation_title.is_empty() { &theme.title } else { &theme.recommendation_title };
        let advice = eval.text(&format!("总览表建议{n}")).cloned().unwrap_or_else(|| theme.recommendation.clone());
        rows.push(titled(n, title, advice));
    }
    rows
}

/// 五、评价得分和等级: each 一级's 分值, 得分 and 得分率, then the result.
fn overview_scores(eval: &Evaluation) -> Vec<Vec<Cell>> {
    let mut rows = vec![
        overview_section("五、评价得分和等级"),
        vec![c("一级指标").span(2).bold(), c("分值").bold(), c("得分").bold(), c("得分率").span(2).bold()],
    ];
    for s in &eval.score.level1 {
        rows.push(vec![c(&s.name).span(2), weight_cell(s.weight), score_cell(s.score), rate_cell(s.rate).span(2)]);
    }
    rows.push(vec![l(format!("评价得分：{}　评价等级结果：{}", score_text(eval.score.total), eval.score.grade))
        .bold()
        .span(6)]);
    rows
}

fn spending(eval: &Evaluation) -> ReportTable {
    let b = &eval.budget;
    let mut rows = vec![
        vec![c("合计").span(2), amount(&b.initial), amount(&b.final_total)],
        vec![c("一"), l("基本支出"), amount(&b.initial_basic), amount(&b.final_basic)],
        vec![c("1"), l("人员支出"), amount(&b.initial_personnel), amount(&b.final_personnel)],
        vec![c("2"), l("日常公用支出"), amount(&b.initial_public), amount(&b.final_public)],
        vec![c("二"), l("项目支出"), amount(&b.initial_project), amount(&b.final_project)],
    ];
    for (i, p) in eval.projects.iter().enumerate() {
        rows.push(vec![
            c((i + 1).to_string()),
            l(&p.name),
            match &p.budget {
                Some(f) => amount(&Some(f.clone())),
                None => r("0.00").num(Decimal::ZERO),
            },
            amount(&p.spent),
        ]);
    }
    ReportTable::new(
        "1-2",
        vec![8, 56, 18, 18],
        vec![
            vec![c("序号").start(), c("项目").start(), c("支出（万元）").span(2)],
            vec![c("").cont(), c("").cont(), c("预算数"), c("决算数")],
        ],
        rows,
    )
}

fn transfers(eval: &Evaluation) -> ReportTable {
    let tr = &eval.transfers;
    // Money always with two decimals and thousands separators (333.00, 216.50).
    let dash = |d: Decimal| if d.is_zero() { r("——").num(d) } else { r(fmt_amount(d)).num(d) };
    let plain = |d: Decimal| r(fmt_amount(d)).num(d);
    let mut rows = Vec::new();
    for (i, t) in tr.lines.iter().enumerate() {
        let mut row = vec![c((i + 1).to_string()), l(&t.project)];
        row.extend(t.allocated.iter().map(|d| dash(*d)));
        row.push(plain(t.allocated_total));
        row.extend(t.spent.iter().map(|d| dash(*d)));
        row.push(plain(t.spent_total));
        rows.push(row);
    }
    let mut total = vec![c("合计").span(2).bold()];
    total.extend(tr.allocated.iter().map(|d| dash(*d).bold()));
    total.push(plain(tr.allocated_total).bold());
    total.extend(tr.spent.iter().map(|d| dash(*d).bold()));
    total.push(plain(tr.spent_total).bold());
    rows.push(total);
    let sub = ["中央资金", "省级资金", "市级资金", "小计"];
    let mut second = vec![c("").cont(), c("").cont()];
    second.extend(sub.iter().map(|s| c(*s)));
    second.extend(sub.iter().map(|s| c(*s)));
    let mut t = ReportTable::new(
        "3-2",
        // The money columns wide enough for `1,241.13` at 五号.
        vec![8, 24, 21, 21, 21, 21, 21, 21, 21, 21],
        vec![
            vec![
                c("序号").start(),
                c("项目名称").start(),
                c("预算到位资金（万元）").span(4),
                c("实际支出资金（万元）").span(4),
            ],
            second,
        ],
        rows,
    )
    .small();
    t.total = true;
    t
}

/// `名称（x分）`.
fn weighted(name: &str, w: Decimal) -> String {
    format!("{name}（{}分）", fmt_number(w))
}

/// The 一级 and 二级 cells of the indicator rows, merged down over their runs.
fn level_rows(scored: &Scored, levels: &[(&str, &str)], cells: impl Fn(usize) -> Vec<Cell>) -> Vec<Vec<Cell>> {
    let weight = |name: &str| scored.level1.iter().find(|l| l.name == name).map(|l| l.weight).unwrap_or_default();
    let weight2 = |l1: &str, l2: &str| {
        scored.level2.iter().find(|l| l.level1 == l1 && l.name == l2).map(|l| l.weight).unwrap_or_default()
    };
    let mut rows: Vec<Vec<Cell>> = levels
        .iter()
        .enumerate()
        .map(|(i, (l1, l2))| {
            let mut row = vec![c(weighted(l1, weight(l1))), c(weighted(l2, weight2(l1, l2)))];
            row.extend(cells(i));
            row
        })
        .collect();
    let keys1: Vec<&str> = levels.iter().map(|l| l.0).collect();
    merge_down(&mut rows, 0, &keys1);
    merge_down(&mut rows, 1, levels);
    rows
}

fn annex1(scored: &Scored) -> ReportTable {
    let inds = &scored.system.indicators;
    let levels: Vec<(&str, &str)> = inds.iter().map(|i| (i.level1.as_str(), i.level2.as_str())).collect();
    let rows = level_rows(scored, &levels, |i| {
        let ind = &inds[i];
        vec![
            l(format!("({}) {}", ind.number, weighted(&ind.name, ind.weight))),
            l(&ind.explanation),
            l(&ind.method),
            l(&ind.source),
        ]
    });
    let mut t = ReportTable::new(
        "annex1",
        vec![10, 11, 14, 20, 33, 12],
        vec![vec![c("一级指标"), c("二级指标"), c("三级指标"), c("指标解释"), c("评分办法"), c("指标/数据来源")]],
        rows,
    )
    .small();
    t.title = "附件1 绩效评价指标体系".into();
    t.sheet = t.title.clone();
    t.sheet_widths = vec![14.0, 16.0, 22.0, 40.0, 70.0, 24.0];
    t.group_columns = vec![0, 1];
    t
}

fn annex2(scored: &Scored) -> ReportTable {
    let levels: Vec<(&str, &str)> = scored.indicators.iter().map(|i| (i.level1.as_str(), i.level2.as_str())).collect();
    let mut rows = level_rows(scored, &levels, |i| {
        let ind = &scored.indicators[i];
        vec![
            l(format!("({}) {}", ind.number, weighted(&ind.name, ind.weight))),
            score_cell(ind.is_scored().then_some(ind.score)),
            l(super::shown_basis(ind)),
        ]
    });
    rows.push(vec![
        c("合计").span(3).bold(),
        match scored.total {
            Some(t) => r(fmt_points(t)).bold().num(t).sum(),
            None => r(super::PENDING_CELL).bold(),
        },
        l(match (scored.total, scored.grade) {
            (Some(t), Some(g)) => format!("评价得分{}分，评价等级“{g}”。", fmt_number(t)),
            _ => format!("尚有指标缺少评分所需的输入，{}。", placeholder("评价得分和等级")),
        }),
    ]);
    let mut t = ReportTable::new(
        "annex2",
        vec![11, 12, 17, 8, 52],
        vec![vec![c("一级指标"), c("二级指标"), c("三级指标"), c("得分"), c("得失分依据")]],
        rows,
    )
    .small();
    t.title = "附件2 绩效评价得分表".into();
    t.sheet = t.title.clone();
    t.sheet_widths = vec![14.0, 16.0, 24.0, 9.0, 90.0];
    t.group_columns = vec![0, 1];
    t.total = true;
    t
}

/// A table as its sheet lays it out: the lines above the header become the
/// preamble (`战略目标：…`), the header rows and the data rows keep their
/// merges (a span across, a vertical run down), the columns are as wide as
/// their texts (numbers and short labels narrow, long texts shared).
fn laid_out(name: &str, layout: &crate::model::Layout) -> ReportTable {
    let cells = |i: usize| -> Vec<Cell> {
        let mut out = Vec::new();
        let width = layout.rows[i].len();
        let mut j = 0;
        while j < width {
            let above = layout.merges.iter().find(|&&(r, c, h, _)| r < i && i < r + h && c == j);
            let (cell, span) = match (above, layout.merge_at(i, j)) {
                (Some(&(_, _, _, w)), _) => (c("").cont(), w),
                (None, Some((h, w))) => {
                    let cell = c(&layout.rows[i][j]);
                    (if h > 1 { cell.start() } else { cell }, w)
                }
                (None, None) if layout.covered(i, j) => {
                    j += 1;
                    continue;
                }
                (None, None) => (c(&layout.rows[i][j]), 1),
            };
            let span = span.min(width - j).max(1);
            out.push(cell.span(span));
            j += span;
        }
        out
    };
    let head = layout.preamble_rows;
    let body = head + layout.header_rows;
    let preamble = (0..head)
        .map(|i| {
            let parts: Vec<&str> = layout.rows[i].iter().map(|t| t.trim()).filter(|t| !t.is_empty()).collect();
            match parts.as_slice() {
                [label, rest @ ..] if !rest.is_empty() => format!("{label}：{}", rest.join(" ")),
                _ => parts.join(" "),
            }
        })
        .collect();
    let rows: Vec<Vec<Cell>> = (body..layout.rows.len())
        .map(|i| {
            cells(i)
                .into_iter()
                .map(|mut cell| {
                    // Long texts read left-aligned; numbers and short labels stay centred.
                    if cell.text.chars().count() > 12 {
                        cell.align = super::report_table::Align::Left;
                    }
                    cell
                })
                .collect()
        })
        .collect();
    let columns = layout.rows.first().map(|r| r.len()).unwrap_or(0);
    let needs: Vec<(usize, usize)> = (0..columns)
        .map(|j| {
            let texts = (body..layout.rows.len()).filter_map(|i| layout.rows[i].get(j));
            // Beyond 40 half-characters a text wraps anyway: longer ones ask no more room.
            let body_need = texts.clone().map(|t| display_width(t)).max().unwrap_or(0).min(40);
            // What must not wrap: the longest number or word (`100.00%`, `2024`).
            let unbroken = texts.map(|t| longest_word(t)).max().unwrap_or(0).min(12);
            (body_need, unbroken)
        })
        .collect();
    let widths = content_widths(&needs, LANDSCAPE_HALF_CHARS);
    let mut t = ReportTable::new(name, widths.clone(), (head..body).map(cells).collect(), rows).small();
    // An Excel width unit is about one half-character of the annex font.
    // (In half units: exact in binary, so the JSON reads back the same.)
    t.sheet_widths = widths.iter().map(|w| ((*w as f64 * 2.2).round() / 2.0).max(5.0)).collect();
    t.preamble = preamble;
    t.as_supplied = true;
    t
}

/// Half-characters (an ASCII character; a Chinese one is two) across a
/// landscape A4 text width at 六号, the size of a reprinted wide table.
const LANDSCAPE_HALF_CHARS: usize = 180;

/// Display width in half-characters: Chinese and full-width characters count two.
fn display_width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// The longest run of ASCII letters, digits and signs in `s` (a number
/// such as `100.00%` must not wrap), in half-characters.
fn longest_word(s: &str) -> usize {
    s.split(|c: char| !c.is_ascii() || c.is_ascii_whitespace()).map(str::len).max().unwrap_or(0)
}

/// Column widths from content, in half-characters summing to about
/// `available`: every column gets at least its longest number or word
/// (`100.00%` never wraps) and two characters; the room left is filled like
/// water — the columns with longer texts all rise to one level, as far as
/// their texts need.
pub fn content_widths(needs: &[(usize, usize)], available: usize) -> Vec<u32> {
    const PADDING: usize = 2;
    let floor: Vec<usize> = needs.iter().map(|&(_, unbroken)| unbroken.max(4) + PADDING).collect();
    let target: Vec<usize> = needs.iter().zip(&floor).map(|(&(body, _), &f)| (body + PADDING).max(f)).collect();
    let at = |level: usize| -> Vec<usize> { floor.iter().zip(&target).map(|(&f, &t)| t.min(level).max(f)).collect() };
    let top = target.iter().copied().max().unwrap_or(0);
    // The highest level that fits (every column's floor is kept whatever it costs).
    let level = (0..=top).rev().find(|&l| at(l).iter().sum::<usize>() <= available).unwrap_or(0);
    at(level).into_iter().map(|w| w as u32).collect()
}

/// A cell of the department's own tables, as text.
fn cell_text(v: &CellValue) -> String {
    match v {
        CellValue::Text(s) => s.clone(),
        CellValue::Number(d) => d.normalize().to_string(),
        CellValue::Percent(d) => format!("{}%", (*d * Decimal::ONE_HUNDRED).normalize()),
        _ => String::new(),
    }
}

/// 附件4: the department's 整体战略目标表 / 整体绩效目标表, as supplied.
fn department_table(case: &Case, kind: TableKind, name: &str) -> ReportTable {
    let Some(t) = case.tables_of(kind).next() else {
        let mut t = ReportTable::new(name, vec![100], vec![], vec![vec![l("部门未提供该表。")]]).small();
        t.missing = true;
        return t;
    };
    if let Some(layout) = &t.layout {
        let mut out = laid_out(name, layout);
        out.title = t.title.clone();
        out.sheet = t.kind.name().to_string();
        return out;
    }
    let b = t.main();
    // The report shows each column's last header label (its columns are
    // narrow); the annex sheet keeps the whole header path.
    let header = vec![b.columns.iter().map(|col| c(col.key.split('/').next_back().unwrap_or(&col.key))).collect()];
    let rows = b.rows.iter().map(|row| row.values.iter().map(|v| l(cell_text(&v.value))).collect()).collect();
    let wide = |s: &str, words: &[&str]| words.iter().any(|w| s.contains(w));
    let mut out = ReportTable::new(
        name,
        b.columns.iter().map(|col| if wide(&col.key, &["指标", "职责", "目标"]) { 16 } else { 8 }).collect(),
        header,
        rows,
    )
    .small();
    out.title = t.title.clone();
    out.sheet = t.kind.name().to_string();
    out.sheet_widths =
        b.columns.iter().map(|col| if wide(&col.label, &["指标", "职责", "解释"]) { 28.0 } else { 14.0 }).collect();
    out.header_height = Some(45.0);
    out.sheet_header = Some(b.columns.iter().map(|col| col.key.replace('/', " / ")).collect());
    out
}
