//! Read the evaluator's working paper (评价底稿) — recognised by its sheet
//! names — into [`WorkingPaper`]. Layout: `templates/working-paper.md`.

use rust_decimal::Decimal;

use crate::model::value::{decimal_from_f64, normalize_label, parse_number_text, NumberText};
use crate::model::working_paper::*;
use crate::model::{Problem, Provenance};

use super::grid::{Grid, Raw};

/// The sheets of a working paper.
pub const SHEETS: &[&str] = &[
    "说明",
    "项目信息",
    "评价人员",
    "时间安排",
    "指标体系",
    "事实",
    "问卷",
    "发现",
    "主题",
    "抽查项目",
    "转移支付",
    "文字",
    "单位数据",
];

/// A workbook is a working paper when it has a 项目信息 or 发现 sheet, or
/// two of its sheets carry working-paper names.
pub fn is_working_paper(sheets: &[Grid]) -> bool {
    let names: Vec<String> = sheets.iter().map(|g| normalize_label(&g.sheet)).collect();
    names.iter().any(|n| n == "项目信息" || n == "发现")
        || names.iter().filter(|n| SHEETS.contains(&n.as_str())).count() >= 2
}

/// One data row of a sheet, with its cells by header name.
pub(super) struct Record<'g> {
    pub(super) grid: &'g Grid,
    pub(super) row: u32,
    cols: &'g [(String, u32)],
}

impl Record<'_> {
    fn col(&self, names: &[&str]) -> Option<u32> {
        self.cols.iter().find(|(h, _)| names.iter().any(|n| h == n)).map(|(_, c)| *c)
    }

    fn text(&self, names: &[&str]) -> String {
        self.col(names).map(|c| self.grid.get(self.row, c).text.clone()).unwrap_or_default()
    }

    fn at(&self, names: &[&str]) -> Provenance {
        self.grid.at(self.row, self.col(names).unwrap_or(self.grid.left))
    }

    /// A number cell; empty → None; text that is not a number → a problem.
    fn number(&self, names: &[&str], problems: &mut Vec<Problem>) -> Option<Decimal> {
        let c = self.col(names)?;
        let cell = self.grid.get(self.row, c);
        match &cell.raw {
            Raw::Number(f) => decimal_from_f64(*f),
            Raw::Empty => None,
            _ => match parse_number_text(&cell.text) {
                NumberText::Number(d) => Some(d),
                NumberText::Percent(d) => Some(d * Decimal::ONE_HUNDRED),
                NumberText::Empty | NumberText::NotApplicable => None,
                _ => {
                    problems.push(Problem::at(
                        "paper.number",
                        &self.grid.at(self.row, c),
                        format!("“{}”列应填数字，单元格却是“{}”。请改为数字。", names[0], cell.text),
                    ));
                    None
                }
            },
        }
    }
}

/// The header (first non-empty row) and the data rows of a sheet.
pub(super) fn records<'g>(grid: &'g Grid, cols: &'g mut Vec<(String, u32)>) -> Vec<Record<'g>> {
    let Some(header) = (grid.top..grid.bottom()).find(|&r| !grid.row_is_empty(r)) else {
        return Vec::new();
    };
    for c in grid.left..grid.right() {
        let n = grid.get(header, c).norm().to_string();
        if !n.is_empty() && !cols.iter().any(|(h, _)| *h == n) {
            cols.push((n, c));
        }
    }
    let cols: &'g [(String, u32)] = cols;
    (header + 1..grid.bottom()).filter(|&r| !grid.row_is_empty(r)).map(|row| Record { grid, row, cols }).collect()
}

fn sheet<'g>(sheets: &'g [Grid], name: &str) -> Option<&'g Grid> {
    sheets.iter().find(|g| normalize_label(&g.sheet) == name)
}

/// Read the working paper's sheets.
pub fn parse(sheets: &[Grid], file: &str) -> (WorkingPaper, Vec<Problem>) {
    let mut p = WorkingPaper { file: file.to_string(), ..Default::default() };
    let mut problems = Vec::new();
    let mut with = |name: &str, f: &mut dyn FnMut(&Record, &mut Vec<Problem>)| {
        if let Some(g) = sheet(sheets, name) {
            let mut cols = Vec::new();
            for r in records(g, &mut cols) {
                f(&r, &mut problems);
            }
        }
    };
    with("项目信息", &mut |r, _| {
        let key = normalize_label(&r.text(&["项目", "名称"]));
        if !key.is_empty() {
            p.info.push((key, r.text(&["内容", "值"])));
            p.info_at.push(r.at(&["内容", "值"]));
        }
    });
    with("评价人员", &mut |r, _| p.team.push(team_member(r)));
    with("时间安排", &mut |r, _| p.schedule.push(stage(r)));
    with("指标体系", &mut |r, probs| p.system_rows.push(system_row(r, probs)));
    with("事实", &mut |r, probs| p.facts.extend(fact(r, probs)));
    with("问卷", &mut |r, probs| p.survey.push(survey_answer(r, probs)));
    with("发现", &mut |r, probs| p.findings.push(finding(r, probs)));
    with("主题", &mut |r, _| p.themes.push(theme(r)));
    with("抽查项目", &mut |r, probs| p.sampled.push(sampled_project(r, probs)));
    with("转移支付", &mut |r, probs| p.transfers.push(transfer(r, probs)));
    with("单位数据", &mut |r, probs| p.units.extend(unit_row(r, probs)));
    with("文字", &mut |r, _| {
        // The name as typed (matching normalises; the name shown and stored stays).
        let key = r.text(&["名称"]).trim().to_string();
        if !key.is_empty() {
            p.texts.push((key, r.text(&["内容"])));
            p.texts_at.push(r.at(&["内容"]));
        }
    });
    // Data tables: sheets named `表：名称`.
    for g in sheets {
        let sheet_name = normalize_label(&g.sheet);
        let Some(name) = ["表：", "表:", "数据表："].iter().find_map(|p| sheet_name.strip_prefix(p)) else {
            continue;
        };
        p.tables.push(super::paper_table::data_table(g, name.trim().to_string(), &mut problems));
    }
    (p, problems)
}

/// A row of 评价人员.
fn team_member(r: &Record) -> TeamMember {
    TeamMember {
        name: r.text(&["姓名"]),
        unit: r.text(&["单位", "工作单位"]),
        title: r.text(&["职务", "职称"]),
        work: r.text(&["工作内容", "任务职责", "分工"]),
        at: r.at(&["姓名"]),
    }
}

/// A row of 时间安排.
fn stage(r: &Record) -> Stage {
    Stage {
        stage: r.text(&["阶段"]), content: r.text(&["内容", "工作内容"]), done: r.text(&["完成时间", "时间"])
    }
}

/// A row of 指标体系.
fn system_row(r: &Record, probs: &mut Vec<Problem>) -> SystemRow {
    SystemRow {
        level1: r.text(&["一级指标"]),
        level2: r.text(&["二级指标"]),
        name: r.text(&["三级指标"]),
        weight: r.number(&["分值", "权重"], probs),
        explanation: r.text(&["指标解释"]),
        method: r.text(&["评分办法", "评分标准"]),
        source: r.text(&["数据来源", "指标来源"]),
        rule: r.text(&["规则"]),
        params: r.text(&["参数"]),
        at: r.at(&["三级指标"]),
    }
}

/// A row of 事实: none when it has no name or was listed but not filled in.
fn fact(r: &Record, probs: &mut Vec<Problem>) -> Option<Fact> {
    let name = r.text(&["名称"]);
    if name.is_empty() {
        return None;
    }
    let cell_col = r.col(&["数值", "值"]);
    let value = match cell_col.map(|c| r.grid.get(r.row, c)) {
        Some(cell) if matches!(cell.raw, Raw::Number(_)) => {
            FactValue::Number(r.number(&["数值", "值"], probs).unwrap_or_default())
        }
        Some(cell) => match parse_number_text(&cell.text) {
            NumberText::Number(d) => FactValue::Number(d),
            NumberText::Percent(d) => FactValue::Number(d * Decimal::ONE_HUNDRED),
            _ => FactValue::Text(cell.text.clone()),
        },
        None => FactValue::Text(String::new()),
    };
    // A row listed (by `jixiao init`) but not filled in is not a fact yet.
    if value == FactValue::Text(String::new()) {
        return None;
    }
    Some(Fact {
        name: normalize_label(&name),
        value,
        unit: r.text(&["单位"]),
        note: r.text(&["说明", "来源"]),
        at: r.at(&["数值", "值"]),
    })
}

/// A row of 问卷.
fn survey_answer(r: &Record, probs: &mut Vec<Problem>) -> SurveyAnswer {
    SurveyAnswer {
        question: r.text(&["题目", "问题"]),
        section: r.text(&["分组", "部分", "类别"]),
        option: r.text(&["选项"]),
        weight: r.number(&["权重"], probs),
        count: r.number(&["人数", "份数"], probs).unwrap_or_default(),
        at: r.at(&["人数", "份数"]),
    }
}

/// A row of 发现.
fn finding(r: &Record, probs: &mut Vec<Problem>) -> Finding {
    Finding {
        indicator: normalize_label(&r.text(&["三级指标", "指标"])),
        item: r.text(&["子项"]),
        deduction: r.number(&["扣分"], probs).unwrap_or_default(),
        text: r.text(&["问题描述", "描述"]),
        text_at: r.at(&["问题描述", "描述"]),
        theme: r.text(&["主题"]),
        at: r.at(&["三级指标", "指标"]),
    }
}

/// A row of 主题.
fn theme(r: &Record) -> Theme {
    Theme {
        number: r.text(&["序号"]),
        title: r.text(&["标题"]),
        cause: r.text(&["原因分析"]),
        manifestations: r.text(&["具体表现"]),
        recommendation: r.text(&["建议"]),
        recommendation_title: r.text(&["建议标题"]),
    }
}

/// A row of 抽查项目.
fn sampled_project(r: &Record, probs: &mut Vec<Problem>) -> SampledProject {
    SampledProject {
        name: r.text(&["项目名称"]),
        purpose: r.text(&["用途"]),
        budget: r.number(&["预算金额"], probs),
        self_grade: r.text(&["自评等级"]),
        recheck_grade: r.text(&["复评等级"]),
        grade: r.text(&["评价等级"]),
        reason: r.text(&["原因"]),
        at: r.at(&["项目名称"]),
    }
}

/// A row of 转移支付.
fn transfer(r: &Record, probs: &mut Vec<Problem>) -> Transfer {
    let mut n = |k: &str| r.number(&[k], probs).unwrap_or_default();
    Transfer {
        project: r.text(&["项目"]),
        document: r.text(&["文号"]),
        allocated: [n("中央下达"), n("省级下达"), n("市级下达")],
        spent: [n("中央支出"), n("省级支出"), n("市级支出")],
    }
}

/// A row of 单位数据: none without a name.
fn unit_row(r: &Record, probs: &mut Vec<Problem>) -> Option<UnitRow> {
    let (first, _) = r.cols.first()?;
    let name = r.text(&[first.as_str()]);
    if name.trim().is_empty() {
        return None;
    }
    let values = r.cols[1..].iter().map(|(h, _)| (h.clone(), r.number(&[h.as_str()], probs))).collect();
    Some(UnitRow { name: name.trim().to_string(), values, at: r.at(&[first.as_str()]) })
}
