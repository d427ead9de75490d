//! 汇总表.xlsx of a group: 案例汇总 (one row per case, failed cases with
//! their message, 合计/平均 as live formulas with cached values, a link to
//! each report), 问题清单 (every problem across the cases, with an
//! autofilter) and 三级指标得分率 (indicators × cases, the weakest shaded).
//! The same portfolio gives the same bytes.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    ConditionalFormat3ColorScale, DocProperties, Format, FormatAlign, Formula, Url, Worksheet, XlsxError,
};

use super::{CaseRow, FailedCase, Group, Portfolio};
use crate::model::value::fmt_number;
use crate::render::annex::fit_cell;

struct Styles {
    title: Format,
    header: Format,
    text: Format,
    center: Format,
    money: Format,
    score: Format,
    rate: Format,
    count: Format,
    total_label: Format,
    total_money: Format,
    total_score: Format,
    total_rate: Format,
    total_count: Format,
    link: Format,
    failed: Format,
}

fn styles() -> Styles {
    let cell = crate::render::annex::cell_format;
    let number = |f: &str| cell().set_align(FormatAlign::Right).set_num_format(f);
    Styles {
        title: crate::render::annex::title_format(),
        header: cell().set_bold().set_font_name("黑体").set_background_color("#D9E1F2").set_align(FormatAlign::Center),
        text: cell(),
        center: cell().set_align(FormatAlign::Center),
        money: number("#,##0.00"),
        score: number("0.00"),
        rate: number("0.00\"%\""),
        count: number("0"),
        total_label: cell().set_bold().set_align(FormatAlign::Center),
        total_money: number("#,##0.00").set_bold(),
        total_score: number("0.00").set_bold(),
        total_rate: number("0.00\"%\"").set_bold(),
        total_count: number("0").set_bold(),
        link: cell().set_font_color("#0563C1").set_underline(rust_xlsxwriter::FormatUnderline::Single),
        failed: cell().set_font_color("#C00000"),
    }
}

fn f64_of(d: Decimal) -> f64 {
    d.to_f64().unwrap_or_default()
}

/// Excel's column letters of a 0-based column.
fn column(c: u16) -> String {
    crate::model::column_name(u32::from(c))
}

fn page_setup(ws: &mut Worksheet, header_row: u32) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, header_row)?;
    ws.set_freeze_panes(header_row + 1, 0)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// The workbook of `group`.
pub fn write(portfolio: &Portfolio, group: &Group) -> Result<Vec<u8>, XlsxError> {
    let st = styles();
    let mut wb = crate::render::annex::workbook(
        DocProperties::new().set_title(format!("{} 汇总表", group.label())).set_author("jixiao"),
    )?;
    cases_sheet(wb.add_worksheet(), portfolio, group, &st)?;
    problems_sheet(wb.add_worksheet(), group, &st)?;
    indicators_sheet(wb.add_worksheet(), group, &st)?;
    wb.save_to_buffer()
}

/// Where each column of 案例汇总 is: the case, a 项目 column after 单位 in a
/// group of projects, the figures, one 得分率 per 一级指标, the counts.
struct Columns {
    project: Option<u16>,
    folder: u16,
    initial: u16,
    spent: u16,
    total: u16,
    grade: u16,
    /// The first 一级指标's 得分率.
    level1: u16,
    /// 错误; then 提示, 问题数, 报告, 说明.
    errors: u16,
}

impl Columns {
    fn of(g: &Group) -> Columns {
        let p = u16::from(g.projects());
        let level1 = 9 + p;
        Columns {
            project: g.projects().then_some(2),
            folder: 2 + p,
            initial: 5 + p,
            spent: 6 + p,
            total: 7 + p,
            grade: 8 + p,
            level1,
            errors: level1 + g.level1_average.len() as u16,
        }
    }

    fn notes(&self) -> u16 {
        self.errors + 1
    }

    fn problems(&self) -> u16 {
        self.errors + 2
    }

    fn report(&self) -> u16 {
        self.errors + 3
    }

    fn remark(&self) -> u16 {
        self.errors + 4
    }
}

fn cases_sheet(ws: &mut Worksheet, portfolio: &Portfolio, g: &Group, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name("案例汇总")?;
    let level1: Vec<String> = g.level1_average.iter().map(|(n, _)| n.clone()).collect();
    let cols = Columns::of(g);
    write_cases_header(ws, g, st, &case_headers(g, &level1))?;
    let mut row = 2u32;
    for (i, c) in g.cases.iter().enumerate() {
        write_case_row(ws, row, i, c, &level1, &cols, st)?;
        row += 1;
    }
    for (i, f) in g.failed.iter().enumerate() {
        write_failed_row(ws, row, g.cases.len() + i + 1, f, &cols, st)?;
        row += 1;
    }
    write_totals(ws, portfolio, g, &cols, st, row)?;
    page_setup(ws, 1)?;
    Ok(())
}

/// The columns of 案例汇总 ([`Columns`]): a project's 全年执行数 is its spending.
fn case_headers(g: &Group, level1: &[String]) -> Vec<String> {
    let mut headers: Vec<String> = vec!["序号".into(), "单位".into()];
    if g.projects() {
        headers.push("项目".into());
    }
    headers.extend([
        "案例文件夹".to_string(),
        "评价类型".into(),
        "年度".into(),
        "年初预算数（万元）".into(),
        format!("{}（万元）", g.spending_label()),
        "总分".into(),
        "等级".into(),
    ]);
    headers.extend(level1.iter().map(|n| format!("{n}得分率")));
    headers.extend(["错误", "提示", "问题数", "报告", "说明"].iter().map(|s| s.to_string()));
    headers
}

/// The title row, the header row and the column widths.
fn write_cases_header(ws: &mut Worksheet, g: &Group, st: &Styles, headers: &[String]) -> Result<(), XlsxError> {
    let cols = headers.len() as u16;
    let title = format!("{}年度{}汇总表（共 {} 个案例）", g.year, g.kind, g.cases.len() + g.failed.len());
    ws.merge_range(0, 0, 0, cols - 1, &title, &st.title)?;
    ws.set_row_height(0, 30)?;
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, h, &st.header)?;
        let width = match h.as_str() {
            "序号" => 6.0,
            "单位" | "项目" => 30.0,
            "案例文件夹" => 18.0,
            "评价类型" => 22.0,
            "年度" => 7.0,
            "报告" => 12.0,
            "说明" => 40.0,
            _ if h.ends_with("（万元）") => 16.0,
            _ => 11.0,
        };
        ws.set_column_width(c as u16, width)?;
    }
    Ok(())
}

/// One built case: its figures, 一级 rates, counts, report link and draft note.
fn write_case_row(
    ws: &mut Worksheet,
    row: u32,
    i: usize,
    c: &CaseRow,
    level1: &[String],
    cols: &Columns,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.write_number_with_format(row, 0, (i + 1) as f64, &st.center)?;
    ws.write_string_with_format(row, 1, &c.unit, &st.text)?;
    if let Some(col) = cols.project {
        ws.write_string_with_format(row, col, c.project.as_deref().unwrap_or_default(), &st.text)?;
    }
    ws.write_string_with_format(row, cols.folder, &c.folder, &st.text)?;
    ws.write_string_with_format(row, cols.folder + 1, &c.kind, &st.text)?;
    ws.write_string_with_format(row, cols.folder + 2, &c.year, &st.center)?;
    for (col, v) in [(cols.initial, c.initial), (cols.spent, c.final_total)] {
        match v {
            Some(v) => ws.write_number_with_format(row, col, f64_of(v), &st.money)?,
            None => ws.write_string_with_format(row, col, "-", &st.center)?,
        };
    }
    match c.total {
        Some(t) => ws.write_number_with_format(row, cols.total, f64_of(t), &st.score)?,
        None => ws.write_string_with_format(row, cols.total, "待填", &st.center)?,
    };
    ws.write_string_with_format(row, cols.grade, if c.total.is_some() { &c.grade } else { "草稿" }, &st.center)?;
    for (k, name) in level1.iter().enumerate() {
        let col = cols.level1 + k as u16;
        match c.level1.iter().find(|(n, _)| n == name).and_then(|(_, r)| *r) {
            Some(r) => ws.write_number_with_format(row, col, f64_of(r), &st.rate)?,
            None => ws.write_string_with_format(row, col, "-", &st.center)?,
        };
    }
    ws.write_number_with_format(row, cols.errors, c.errors as f64, &st.count)?;
    ws.write_number_with_format(row, cols.notes(), c.notes as f64, &st.count)?;
    ws.write_number_with_format(row, cols.problems(), c.problems.len() as f64, &st.count)?;
    let url = Url::new(format!("file:///{}", c.report)).set_text("打开报告");
    ws.write_url_with_format(row, cols.report(), url, &st.link)?;
    ws.write_string_with_format(row, cols.remark(), if c.draft { "草稿：尚有待填内容" } else { "" }, &st.text)?;
    Ok(())
}

/// One failed case: its folder and message; `n` is its 序号.
fn write_failed_row(
    ws: &mut Worksheet,
    row: u32,
    n: usize,
    f: &FailedCase,
    cols: &Columns,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.write_number_with_format(row, 0, n as f64, &st.center)?;
    for col in (1..cols.remark()).filter(|c| *c != cols.folder && *c != cols.grade) {
        ws.write_string_with_format(row, col, "", &st.text)?;
    }
    ws.write_string_with_format(row, cols.folder, &f.folder, &st.failed)?;
    ws.write_string_with_format(row, cols.grade, "失败", &st.failed)?;
    ws.write_string_with_format(row, cols.remark(), fit_cell(&f.message).as_ref(), &st.failed)?;
    Ok(())
}

/// 合计 and 平均 over the built cases (from `row`): live formulas, cached values as computed.
fn write_totals(
    ws: &mut Worksheet,
    portfolio: &Portfolio,
    g: &Group,
    cols: &Columns,
    st: &Styles,
    row: u32,
) -> Result<(), XlsxError> {
    let first = 2u32;
    let last = first + g.cases.len() as u32; // one past the last case row (1-based end = last)
    if g.cases.is_empty() {
        return Ok(());
    }
    let range = |col: u16| format!("{c}{}:{c}{}", first + 1, last, c = column(col));
    let sum_row = row;
    let avg_row = row + 1;
    ws.write_string_with_format(sum_row, 0, "合计", &st.total_label)?;
    ws.write_string_with_format(avg_row, 0, "平均", &st.total_label)?;
    for col in 1..=cols.remark() {
        ws.write_string_with_format(sum_row, col, "", &st.text)?;
        ws.write_string_with_format(avg_row, col, "", &st.text)?;
    }
    let sum = |col: u16, value: Decimal, f: &Format, ws: &mut Worksheet| {
        let formula = Formula::new(format!("=SUM({})", range(col))).set_result(fmt_number(value));
        ws.write_formula_with_format(sum_row, col, formula, f).map(|_| ())
    };
    let avg = |col: u16, value: Option<Decimal>, f: &Format, ws: &mut Worksheet| match value {
        Some(v) => {
            let formula = Formula::new(format!("=ROUND(AVERAGE({}),2)", range(col))).set_result(fmt_number(v));
            ws.write_formula_with_format(avg_row, col, formula, f).map(|_| ())
        }
        None => Ok(()),
    };
    sum(cols.initial, g.initial_sum, &st.total_money, ws)?;
    sum(cols.spent, g.final_sum, &st.total_money, ws)?;
    avg(cols.total, g.average, &st.total_score, ws)?;
    for (k, (_, a)) in g.level1_average.iter().enumerate() {
        avg(cols.level1 + k as u16, *a, &st.total_rate, ws)?;
    }
    let errors: usize = g.cases.iter().map(|c| c.errors).sum();
    let notes: usize = g.cases.iter().map(|c| c.notes).sum();
    sum(cols.errors, Decimal::from(errors as u64), &st.total_count, ws)?;
    sum(cols.notes(), Decimal::from(notes as u64), &st.total_count, ws)?;
    sum(cols.problems(), Decimal::from(g.problem_count as u64), &st.total_count, ws)?;
    let built = format!("已生成 {} 个，失败 {} 个（本批共 {} 个案例）", g.cases.len(), g.failed.len(), portfolio.cases);
    ws.write_string_with_format(sum_row, cols.remark(), built, &st.text)?;
    Ok(())
}

fn problems_sheet(ws: &mut Worksheet, g: &Group, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name("问题清单")?;
    // A group of projects: the project in its own column after its unit.
    let mut headers = vec![("序号", 6.0), ("单位", 28.0)];
    if g.projects() {
        headers.push(("项目", 24.0));
    }
    headers.extend([("案例文件夹", 18.0), ("问题分类", 16.0), ("指标", 22.0), ("问题描述", 80.0)]);
    let last = headers.len() as u16 - 1;
    ws.merge_range(0, 0, 0, last, &format!("{}问题清单（共 {} 条）", g.label(), g.problem_count), &st.title)?;
    ws.set_row_height(0, 30)?;
    for (c, (h, w)) in headers.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &st.header)?;
        ws.set_column_width(c as u16, *w)?;
    }
    let mut row = 2u32;
    for c in &g.cases {
        for p in &c.problems {
            let mut cells: Vec<&str> = vec![&c.unit];
            if g.projects() {
                cells.push(c.project.as_deref().unwrap_or_default());
            }
            cells.extend([c.folder.as_str(), &p.category, &p.indicator]);
            ws.write_number_with_format(row, 0, (row - 1) as f64, &st.center)?;
            for (k, text) in cells.iter().enumerate() {
                ws.write_string_with_format(row, 1 + k as u16, *text, &st.text)?;
            }
            ws.write_string_with_format(row, last, fit_cell(&p.description).as_ref(), &st.text)?;
            row += 1;
        }
    }
    ws.autofilter(1, 0, row.saturating_sub(1).max(1), last)?;
    page_setup(ws, 1)?;
    Ok(())
}

fn indicators_sheet(ws: &mut Worksheet, g: &Group, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name("三级指标得分率")?;
    // The indicators in the order they first occur; one column per case, then the average.
    let mut names: Vec<(String, String)> = Vec::new();
    for c in &g.cases {
        for i in &c.indicators {
            let key = (i.level1.clone(), i.name.clone());
            if !names.contains(&key) {
                names.push(key);
            }
        }
    }
    let cols = 3 + g.cases.len() as u16;
    ws.merge_range(0, 0, 0, cols.max(3) - 1, &format!("{}三级指标得分率（%）", g.label()), &st.title)?;
    ws.set_row_height(0, 30)?;
    ws.write_string_with_format(1, 0, "一级指标", &st.header)?;
    ws.write_string_with_format(1, 1, "三级指标", &st.header)?;
    for (k, c) in g.cases.iter().enumerate() {
        ws.write_string_with_format(1, 2 + k as u16, c.subject(), &st.header)?;
        ws.set_column_width(2 + k as u16, 12)?;
    }
    ws.write_string_with_format(1, cols - 1, "平均", &st.header)?;
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, 30)?;
    ws.set_column_width(cols - 1, 10)?;
    for (r, (level1, name)) in names.iter().enumerate() {
        let row = 2 + r as u32;
        ws.write_string_with_format(row, 0, level1, &st.text)?;
        ws.write_string_with_format(row, 1, name, &st.text)?;
        let mut rates = Vec::new();
        for (k, c) in g.cases.iter().enumerate() {
            let rate = c.indicators.iter().find(|i| &i.level1 == level1 && &i.name == name).and_then(|i| i.rate);
            match rate {
                Some(v) => {
                    ws.write_number_with_format(row, 2 + k as u16, f64_of(v), &st.rate)?;
                    rates.push(v);
                }
                None => {
                    ws.write_string_with_format(row, 2 + k as u16, "-", &st.center)?;
                }
            }
        }
        if !rates.is_empty() && !g.cases.is_empty() {
            let avg = rates.iter().sum::<Decimal>() / Decimal::from(rates.len() as u64);
            let range = format!("{}{}:{}{}", column(2), row + 1, column(cols - 2), row + 1);
            ws.write_formula_with_format(
                row,
                cols - 1,
                Formula::new(format!("=ROUND(AVERAGE({range}),2)")).set_result(fmt_number(super::round2(avg))),
                &st.total_rate,
            )?;
        }
    }
    if !names.is_empty() && !g.cases.is_empty() {
        // The weakest in red, the strongest in green: read across a row for the department that lags.
        let scale = ConditionalFormat3ColorScale::new()
            .set_minimum_color("#F8696B")
            .set_midpoint_color("#FFEB84")
            .set_maximum_color("#63BE7B");
        ws.add_conditional_format(2, 2, 1 + names.len() as u32, cols - 2, &scale)?;
    }
    page_setup(ws, 1)?;
    Ok(())
}
