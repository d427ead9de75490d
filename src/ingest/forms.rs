//! The form-like tables, read by their labels: 项目绩效目标表,
//! 项目支出绩效自评表 and 部门整体支出绩效自评表.

use rust_decimal::Decimal;

use crate::model::value::{decimal_from_f64, parse_number_text, NumberText};
use crate::model::{
    range_name, CellValue, DeptSelfEval, DeptSelfEvalIndicator, FundLine, Location, Problem, ProjectSelfEval,
    ProjectTargets, SelfEvalIndicator, Target, TargetIndicator, Value,
};

use super::grid::{Grid, Raw};
use super::locate::{year_in, Region};
use super::meta::{read_meta, Meta};

fn location(grid: &Grid, region: &Region) -> Location {
    Location {
        file: grid.file.to_string(),
        sheet: grid.sheet.to_string(),
        range: range_name(region.top, grid.left, region.bottom.saturating_sub(1), grid.right().saturating_sub(1)),
    }
}

fn year(grid: &Grid, region: &Region, meta: &Meta) -> Option<i32> {
    year_in(&region.title).or(meta.year).or_else(|| year_in(&grid.sheet)).or_else(|| year_in(&grid.file))
}

/// The first cell (row, col) in the region whose normalised text satisfies `pred`.
fn find_cell(grid: &Grid, region: &Region, from: u32, pred: impl Fn(&str) -> bool) -> Option<(u32, u32)> {
    (from..region.bottom).find_map(|r| {
        (grid.left..grid.right())
            .find(|&c| {
                let cell = grid.get(r, c);
                !cell.merged && !cell.is_empty() && pred(cell.norm())
            })
            .map(|c| (r, c))
    })
}

/// The text right of a label in the same row (`项目名称 | 医疗救助资金`).
fn value_right_of(grid: &Grid, r: u32, c: u32, labels: &[&str]) -> Option<String> {
    let label = grid.get(r, c).norm().to_string();
    let v = grid.next_value(r, c + 1, &label)?;
    let cell = grid.get(r, v);
    (!labels.contains(&cell.norm())).then(|| cell.text.clone())
}

/// The cell of the value right of the first label in `names` above row `before`.
fn labelled_at(grid: &Grid, region: &Region, before: u32, names: &[&str]) -> Option<crate::model::Provenance> {
    let (r, c) = find_cell(grid, region, region.top, |n| names.contains(&n)).filter(|&(r, _)| r < before)?;
    let label = grid.get(r, c).norm().to_string();
    grid.next_value(r, c + 1, &label).map(|v| grid.at(r, v))
}

/// A labelled value anywhere above row `before`.
fn labelled(grid: &Grid, region: &Region, before: u32, names: &[&str], all_labels: &[&str]) -> Option<String> {
    let (r, c) = find_cell(grid, region, region.top, |n| names.contains(&n))?;
    (r < before).then(|| value_right_of(grid, r, c, all_labels)).flatten()
}

/// Column index in a header row for the first label satisfying `pred`.
fn col_where(grid: &Grid, r: u32, pred: impl Fn(&str) -> bool) -> Option<u32> {
    (grid.left..grid.right()).find(|&c| {
        let n = grid.get(r, c).norm();
        !n.is_empty() && pred(n)
    })
}

fn text_at(grid: &Grid, r: u32, c: Option<u32>) -> Option<String> {
    let cell = grid.get(r, c?);
    (!cell.is_empty()).then(|| cell.text.clone())
}

/// A number cell (amount, weight, score) as a [`Value`].
fn value_at(grid: &Grid, r: u32, c: Option<u32>, what: &str, problems: &mut Vec<Problem>) -> Option<Value> {
    let c = c?;
    let cell = grid.get(r, c);
    if cell.merged || cell.is_empty() {
        return None;
    }
    let at = grid.at(r, c);
    let value = match &cell.raw {
        Raw::Number(f) => CellValue::Number(decimal_from_f64(*f)?),
        _ => match parse_number_text(&cell.text) {
            NumberText::Number(d) => CellValue::Number(d),
            NumberText::Percent(d) => CellValue::Percent(d),
            NumberText::Empty => return None,
            NumberText::NotApplicable => CellValue::NotApplicable,
            NumberText::Invalid => {
                problems.push(Problem::at(
                    "ingest.number",
                    &at,
                    format!("{what}“{}”不是有效数字。请改为数字。", cell.text),
                ));
                CellValue::Text(cell.text.clone())
            }
            NumberText::Text => CellValue::Text(cell.text.clone()),
        },
    };
    Some(Value { value, at })
}

fn number_at(grid: &Grid, r: u32, c: Option<u32>, what: &str, problems: &mut Vec<Problem>) -> Option<Decimal> {
    value_at(grid, r, c, what, problems).and_then(|v| v.value.number())
}

/// A 指标值 cell: text kept as written; a numeric cell written plainly.
fn target_at(grid: &Grid, r: u32, c: Option<u32>) -> Target {
    match c {
        Some(c) if !grid.get(r, c).merged => Target::parse(&grid.get(r, c).text),
        _ => Target::parse(""),
    }
}

/// Carry a merged-down 一级/二级 label: the cell's text or the last one seen.
fn carry(grid: &Grid, r: u32, c: Option<u32>, last: &mut String) -> String {
    if let Some(t) = text_at(grid, r, c) {
        *last = t;
    }
    last.clone()
}

const TARGET_LABELS: &[&str] = &[
    "项目编码",
    "项目编号",
    "项目代码",
    "项目名称",
    "主管部门",
    "实施单位",
    "绩效目标",
    "年度绩效目标",
    "总体目标",
    "项目金额",
    "资金总额",
];

/// 项目绩效目标表.
pub fn parse_project_targets(grid: &Grid, region: &Region) -> (ProjectTargets, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut meta = Meta::default();
    read_meta(grid, region.top + 1, &mut meta);
    let header = find_cell(grid, region, region.top, |n| n == "一级指标").map(|(r, _)| r);
    let before = header.unwrap_or(region.bottom);
    let project = labelled(grid, region, before, &["项目名称"], TARGET_LABELS);
    let mut indicators = Vec::new();
    if let Some(h) = header {
        let col = |names: &[&str]| col_where(grid, h, |n| names.contains(&n));
        let (c1, c2, c3) = (col(&["一级指标"]), col(&["二级指标"]), col(&["三级指标"]));
        let content = col(&["指标内容"]);
        let criterion = col(&["评(扣)分标准", "评分标准"]);
        let value = col(&["指标值", "年度指标值", "目标值"]);
        let kpi_code = col_where(grid, h, |n| n.eq_ignore_ascii_case("kpibasecode"));
        let kpi_type = col_where(grid, h, |n| n.eq_ignore_ascii_case("kpitype"));
        let rule = col(&["评扣分标准"]);
        if c3.is_none() || value.is_none() {
            problems.push(Problem::at(
                "ingest.columns",
                &grid.at(h, grid.left),
                "项目绩效目标表的表头缺少“三级指标”或“指标值”列，无法读取指标。请使用标准表头。",
            ));
        }
        let (mut l1, mut l2) = (String::new(), String::new());
        for r in h + 1..region.bottom {
            if grid.row_is_empty(r) {
                continue;
            }
            let level1 = carry(grid, r, c1, &mut l1);
            let level2 = carry(grid, r, c2, &mut l2);
            let Some(name) = text_at(grid, r, c3).filter(|t| !grid.get(r, c3.unwrap_or(0)).merged || !t.is_empty())
            else {
                continue; // placeholder row: no 三级指标
            };
            if grid.get(r, c3.unwrap_or(0)).merged {
                continue;
            }
            indicators.push(TargetIndicator {
                level1,
                level2,
                name,
                content: text_at(grid, r, content),
                criterion: text_at(grid, r, criterion),
                target: target_at(grid, r, value),
                kpi_base_code: text_at(grid, r, kpi_code),
                kpi_type: text_at(grid, r, kpi_type),
                scoring_rule: text_at(grid, r, rule),
                at: grid.at(r, c3.unwrap_or(grid.left)),
            });
        }
    } else {
        problems.push(Problem::at(
            "ingest.columns",
            &grid.at(region.top, grid.left),
            "项目绩效目标表中找不到“一级指标”表头行，无法读取指标。",
        ));
    }
    let project = project.unwrap_or_else(|| {
        problems.push(
            Problem::at(
                "ingest.project",
                &grid.at(region.top, grid.left),
                "项目绩效目标表缺少“项目名称”，已用工作表名代替。请补上项目名称。",
            )
            .note(),
        );
        grid.sheet.to_string()
    });
    let targets = ProjectTargets {
        location: location(grid, region),
        year: year(grid, region, &meta),
        code: labelled(grid, region, before, &["项目编码", "项目编号", "项目代码"], TARGET_LABELS),
        project,
        department: labelled(grid, region, before, &["主管部门"], TARGET_LABELS),
        goal: labelled(grid, region, before, &["绩效目标", "年度绩效目标", "总体目标"], TARGET_LABELS),
        indicators,
    };
    (targets, problems)
}

const SELF_EVAL_LABELS: &[&str] = &["项目名称", "主管部门", "实施单位", "项目负责人", "联系电话"];

/// 项目支出绩效自评表.
pub fn parse_project_self_eval(grid: &Grid, region: &Region) -> (ProjectSelfEval, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut meta = Meta::default();
    for r in region.top..(region.top + 3).min(region.bottom) {
        read_meta(grid, r, &mut meta);
    }
    let funds_header =
        find_cell(grid, region, region.top, |n| n.contains("全年预算数") || n.contains("年初预算数")).map(|(r, _)| r);
    let ind_header = find_cell(grid, region, region.top, |n| n == "一级指标").map(|(r, _)| r);
    let first_block = funds_header.or(ind_header).unwrap_or(region.bottom);
    let project = labelled(grid, region, first_block, &["项目名称"], SELF_EVAL_LABELS);

    // 项目预算执行情况.
    let funds = match funds_header {
        Some(h) => self_eval_funds(grid, h, ind_header.unwrap_or(region.bottom), &mut problems),
        None => {
            problems.push(Problem::at(
                "ingest.columns",
                &grid.at(region.top, grid.left),
                "项目支出绩效自评表中找不到“全年预算数/全年执行数”表头，预算执行情况未读取。",
            ));
            Vec::new()
        }
    };

    // 年度总体目标.
    let (planned_goal, achieved_goal) = self_eval_goals(grid, region);

    // 年度绩效指标.
    let (indicators, stated_total, stated_grade) = match ind_header {
        Some(h) => self_eval_indicators(grid, region, h, &mut problems),
        None => {
            problems.push(Problem::at(
                "ingest.columns",
                &grid.at(region.top, grid.left),
                "项目支出绩效自评表中找不到“一级指标”表头行，绩效指标未读取。",
            ));
            (Vec::new(), None, None)
        }
    };
    let project = project.unwrap_or_else(|| {
        problems.push(
            Problem::at(
                "ingest.project",
                &grid.at(region.top, grid.left),
                "项目支出绩效自评表缺少“项目名称”，已用工作表名代替。",
            )
            .note(),
        );
        grid.sheet.to_string()
    });
    let eval = ProjectSelfEval {
        location: location(grid, region),
        year: year(grid, region, &meta),
        project,
        project_at: labelled_at(grid, region, first_block, &["项目名称"]),
        department: labelled(grid, region, first_block, &["主管部门"], SELF_EVAL_LABELS),
        implementer: labelled(grid, region, first_block, &["实施单位"], SELF_EVAL_LABELS),
        funds,
        planned_goal,
        achieved_goal,
        indicators,
        stated_total,
        stated_grade,
    };
    (eval, problems)
}

/// The 项目预算执行情况 lines under the header row `h`, up to `end`.
fn self_eval_funds(grid: &Grid, h: u32, end: u32, problems: &mut Vec<Problem>) -> Vec<FundLine> {
    let mut funds = Vec::new();
    let col = |pred: &dyn Fn(&str) -> bool| col_where(grid, h, pred);
    let initial = col(&|n| n.contains("年初预算数"));
    let budget = col(&|n| n.contains("全年预算数"));
    let spent = col(&|n| n.contains("执行数"));
    let weight = col(&|n| n == "分值");
    let rate = col(&|n| n.contains("执行率"));
    let score = col(&|n| n == "得分");
    let first_value = [initial, budget, spent].into_iter().flatten().min().unwrap_or(grid.left);
    for r in h + 1..end {
        let label = (grid.left..first_value)
            .rev()
            .map(|c| grid.get(r, c))
            .find(|c| !c.is_empty())
            .map(|c| c.norm().to_string())
            .unwrap_or_default();
        let is_fund = ["年度资金总额", "资金总额", "当年财政拨款", "财政拨款", "上年结转", "其他资金", "其他"]
            .iter()
            .any(|w| label.contains(w));
        if !is_fund {
            if funds.is_empty() {
                continue;
            }
            break;
        }
        funds.push(FundLine {
            label: label.trim_start_matches("其中:").to_string(),
            initial_budget: value_at(grid, r, initial, "年初预算数", problems),
            budget: value_at(grid, r, budget, "全年预算数", problems),
            spent: value_at(grid, r, spent, "全年执行数", problems),
            weight: value_at(grid, r, weight, "分值", problems),
            rate: value_at(grid, r, rate, "执行率", problems),
            score: value_at(grid, r, score, "得分", problems),
            at: grid.at(r, first_value),
        });
    }
    funds
}

/// The 年度总体目标: (预期目标, 实际完成情况), the latter only when it differs.
fn self_eval_goals(grid: &Grid, region: &Region) -> (Option<String>, Option<String>) {
    let (mut planned_goal, mut achieved_goal) = (None, None);
    if let Some((r, _)) = find_cell(grid, region, region.top, |n| n.contains("预期目标")) {
        let pc = col_where(grid, r, |n| n.contains("预期目标"));
        let ac = col_where(grid, r, |n| n.contains("实际完成情况") || n.contains("实际完成"));
        if let Some(next) = (r + 1..region.bottom).find(|&x| !grid.row_is_empty(x)) {
            planned_goal = text_at(grid, next, pc);
            achieved_goal = text_at(grid, next, ac).filter(|t| Some(t) != planned_goal.as_ref());
        }
    }
    (planned_goal, achieved_goal)
}

/// The 年度绩效指标 under the header row `h`: (indicators, the stated 总分, the stated 等级).
fn self_eval_indicators(
    grid: &Grid,
    region: &Region,
    h: u32,
    problems: &mut Vec<Problem>,
) -> (Vec<SelfEvalIndicator>, Option<Value>, Option<String>) {
    let mut indicators = Vec::new();
    let (mut stated_total, mut stated_grade) = (None, None);
    let col = |pred: &dyn Fn(&str) -> bool| col_where(grid, h, pred);
    let (c1, c2, c3) = (col(&|n| n == "一级指标"), col(&|n| n == "二级指标"), col(&|n| n == "三级指标"));
    let target_c = col(&|n| n.contains("指标值") && !n.contains("实际"));
    let actual_c = col(&|n| n.contains("实际完成"));
    let weight_c = col(&|n| n == "分值");
    let score_c = col(&|n| n == "得分" || n == "自评得分");
    let remark_c = col(&|n| n.contains("偏差") || n.contains("原因"));
    let (mut l1, mut l2) = (String::new(), String::new());
    for r in h + 1..region.bottom {
        let texts = grid.row_texts(r);
        if texts.is_empty() {
            continue;
        }
        if texts.iter().any(|t| t.starts_with("总分") || *t == "合计") {
            let (total, grade) = stated_total_row(grid, r, score_c, problems);
            stated_total = total;
            if grade.is_some() {
                stated_grade = grade;
            }
            continue;
        }
        if let Some(c) = (grid.left..grid.right()).find(|&c| grid.get(r, c).norm().contains("等级")) {
            stated_grade = value_right_of(grid, r, c, &[]);
            continue;
        }
        if texts[0].starts_with('注') || texts[0].starts_with("说明") || texts[0].starts_with("填报") {
            break;
        }
        let level1 = carry(grid, r, c1, &mut l1);
        let level2 = carry(grid, r, c2, &mut l2);
        let Some(name) = text_at(grid, r, c3) else {
            continue;
        };
        if c3.is_some_and(|c| grid.get(r, c).merged) {
            continue;
        }
        indicators.push(SelfEvalIndicator {
            level1,
            level2,
            name,
            target: target_at(grid, r, target_c),
            actual: target_at(grid, r, actual_c),
            weight: number_at(grid, r, weight_c, "分值", problems),
            score: number_at(grid, r, score_c, "得分", problems),
            remark: text_at(grid, r, remark_c),
            at: grid.at(r, c3.unwrap_or(grid.left)),
            score_at: grid.at(r, score_c.unwrap_or(grid.left)),
        });
    }
    (indicators, stated_total, stated_grade)
}

/// The 总分 row: the total under 得分, else the last number of the row, and
/// a grade printed on the same row.
fn stated_total_row(
    grid: &Grid,
    r: u32,
    score_c: Option<u32>,
    problems: &mut Vec<Problem>,
) -> (Option<Value>, Option<String>) {
    // The total under 得分, else the last number of the row (after a label
    // merged over several columns, or in the last column; a 分值 total
    // printed before it is passed over). Numbers may be text.
    // A total merged across the value columns (`C30:I30`) sits in the
    // merge's first cell; `98分` is read as 98.
    let points = |c: u32| {
        let cell = grid.get(r, c);
        let text = cell.text.trim().trim_end_matches('分');
        match (&cell.raw, parse_number_text(text)) {
            _ if !cell.is_origin() => None,
            (Raw::Number(f), _) => decimal_from_f64(*f),
            (_, NumberText::Number(d)) => Some(d),
            _ => None,
        }
    };
    let total_col = score_c
        .filter(|&c| points(c).is_some())
        .or_else(|| (grid.left..grid.right()).rev().find(|&c| points(c).is_some()));
    let stated_total = total_col.and_then(|c| match grid.get(r, c).raw {
        Raw::Number(_) => value_at(grid, r, Some(c), "总分", problems),
        _ => points(c).map(|d| Value { value: CellValue::Number(d), at: grid.at(r, c) }),
    });
    // A grade printed on the same row (`总分 | 92 | 优`).
    let stated_grade = (grid.left..grid.right())
        .map(|c| grid.get(r, c))
        .filter(|c| c.is_origin())
        .find(|c| crate::model::Grade::parse(&c.text).is_some())
        .map(|g| g.text.clone());
    (stated_total, stated_grade)
}

/// `投入 (20)` → (`投入`, 20); `履职效益 (15分)` → (`履职效益`, 15).
pub fn split_weight(text: &str) -> (String, Option<Decimal>) {
    let norm = crate::model::value::normalize_label(text);
    if let Some(open) = norm.rfind('(') {
        let inner = norm[open + 1..].trim_end_matches(')').trim_end_matches('分');
        if let NumberText::Number(d) = parse_number_text(inner) {
            let name = norm[..open].to_string();
            // `过程(执行)(40)`: keep the inner bracket of the name.
            return (name, Some(d));
        }
    }
    (norm, None)
}

/// 部门整体支出绩效自评表 (seed 004's layout).
pub fn parse_dept_self_eval(grid: &Grid, region: &Region) -> (DeptSelfEval, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut meta = Meta::default();
    for r in region.top..(region.top + 3).min(region.bottom) {
        read_meta(grid, r, &mut meta);
    }
    let header = find_cell(grid, region, region.top, |n| n == "一级指标").map(|(r, _)| r);
    let stop = header.unwrap_or(region.bottom);
    let labels = budget_labels(grid, region, stop);
    let value_after = |pred: &dyn Fn(&str) -> bool, nth: usize, problems: &mut Vec<Problem>| -> Option<Value> {
        let (_, r, c) = labels.iter().filter(|(n, _, _)| pred(n)).nth(nth)?;
        let v = grid.next_value(*r, c + 1, "")?;
        value_at(grid, *r, Some(v), "金额", problems)
    };
    let budget = value_after(&|n| n.starts_with("预算数"), 0, &mut problems);
    let spent = value_after(&|n| n.starts_with("执行数"), 0, &mut problems);
    let budget_fiscal = value_after(&|n| n.contains("财政资金"), 0, &mut problems);
    let spent_fiscal = value_after(&|n| n.contains("财政资金"), 1, &mut problems);
    let budget_other = value_after(&|n| n == "其他", 0, &mut problems);
    let spent_other = value_after(&|n| n == "其他", 1, &mut problems);
    let execution_rate = labels
        .iter()
        .find(|(n, _, _)| n.contains("执行率"))
        .and_then(|(_, r, c)| (r + 1..stop).find_map(|x| value_at(grid, x, Some(*c), "预算执行率", &mut problems)));
    let read = match header {
        Some(h) => dept_indicators(grid, region, h, &mut problems),
        None => {
            problems.push(Problem::at(
                "ingest.columns",
                &grid.at(region.top, grid.left),
                "部门整体支出绩效自评表中找不到“一级指标”表头行，指标未读取。",
            ));
            DeptIndicators::default()
        }
    };
    let eval = DeptSelfEval {
        location: location(grid, region),
        year: year(grid, region, &meta),
        department: meta.department.clone(),
        budget,
        budget_fiscal,
        budget_other,
        spent,
        spent_fiscal,
        spent_other,
        execution_rate,
        indicators: read.indicators,
        total_weight: read.total_weight,
        total_score: read.total_score,
        deviation: read.deviation,
        footer: read.footer,
    };
    (eval, problems)
}

/// Label cells in the 预算执行情况 block (above `stop`), in reading order.
fn budget_labels(grid: &Grid, region: &Region, stop: u32) -> Vec<(String, u32, u32)> {
    let mut labels: Vec<(String, u32, u32)> = Vec::new();
    for r in region.top..stop {
        for c in grid.left..grid.right() {
            let cell = grid.get(r, c);
            if cell.is_origin() && matches!(cell.raw, Raw::Text) {
                labels.push((cell.norm().to_string(), r, c));
            }
        }
    }
    labels
}

/// The indicator block of a 部门整体支出绩效自评表, and what follows its 合计 row.
#[derive(Default)]
struct DeptIndicators {
    indicators: Vec<DeptSelfEvalIndicator>,
    total_weight: Option<Value>,
    total_score: Option<Value>,
    deviation: Option<String>,
    footer: Vec<String>,
}

/// The indicators under the header row `h`, the 合计 row, and the 偏差 and
/// footer lines after it.
fn dept_indicators(grid: &Grid, region: &Region, h: u32, problems: &mut Vec<Problem>) -> DeptIndicators {
    let mut indicators = Vec::new();
    let (mut total_weight, mut total_score, mut deviation) = (None, None, None);
    let mut footer = Vec::new();
    let col = |pred: &dyn Fn(&str) -> bool| col_where(grid, h, pred);
    let (c1, c2, c3) = (col(&|n| n == "一级指标"), col(&|n| n == "二级指标"), col(&|n| n == "三级指标"));
    let content_c = col(&|n| n.contains("指标内容"));
    let criterion_c = col(&|n| n.contains("评价标准") || n.contains("评分标准"));
    let weight_c = col(&|n| n == "分值");
    let score_c = col(&|n| n.contains("得分"));
    let (mut l1, mut l2) = (String::new(), String::new());
    let mut after_total = false;
    for r in h + 1..region.bottom {
        let texts = grid.row_texts(r);
        if texts.is_empty() {
            continue;
        }
        if after_total {
            if texts.iter().any(|t| t.contains("偏差")) {
                let label = texts.iter().find(|t| t.contains("偏差")).map(|s| s.to_string()).unwrap_or_default();
                deviation = (grid.left..grid.right())
                    .map(|c| grid.get(r, c))
                    .find(|c| !c.is_empty() && c.norm() != label)
                    .map(|c| c.text.clone());
            } else {
                footer.push(super::grid_table::original_texts(grid, r).join(" "));
            }
            continue;
        }
        if c1.is_some_and(|c| grid.get(r, c).norm() == "合计") || texts.contains(&"合计") {
            total_weight = value_at(grid, r, weight_c, "分值合计", problems);
            total_score = value_at(grid, r, score_c, "自评得分合计", problems);
            after_total = true;
            continue;
        }
        let level1 = carry(grid, r, c1, &mut l1);
        let level2 = carry(grid, r, c2, &mut l2);
        let Some(name) = text_at(grid, r, c3) else {
            continue;
        };
        let (level1, level1_weight) = split_weight(&level1);
        let (level2, level2_weight) = split_weight(&level2);
        indicators.push(DeptSelfEvalIndicator {
            level1,
            level1_weight,
            level2,
            level2_weight,
            name,
            content: text_at(grid, r, content_c),
            criterion: text_at(grid, r, criterion_c),
            weight: value_at(grid, r, weight_c, "分值", problems),
            score: value_at(grid, r, score_c, "自评得分", problems),
            at: grid.at(r, c3.unwrap_or(grid.left)),
        });
    }
    DeptIndicators { indicators, total_weight, total_score, deviation, footer }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn weights_in_brackets() {
        assert_eq!(split_weight("投入 (20)"), ("投入".into(), Some(dec!(20))));
        assert_eq!(split_weight("过程（执行）（40）"), ("过程(执行)".into(), Some(dec!(40))));
        assert_eq!(split_weight("履职效益 (15分)"), ("履职效益".into(), Some(dec!(15))));
        assert_eq!(split_weight("产出"), ("产出".into(), None));
    }
}
