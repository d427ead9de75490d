//! The annexes as XLSX, laid out as formal annexes: title row, merged
//! 一级/二级 cells over their children, wrapped text, set widths and row
//! heights, frozen header repeated on print, landscape A4 fit to width,
//! borders; 得分 as numbers with a live `SUM` 合计 whose cached result is the
//! computed total. The same inputs give byte-identical files.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError,
};

use crate::check::CheckReport;
use crate::model::{Case, CellValue, TableKind};
use crate::score::Scored;

/// The files an annex run writes, in order.
pub const ANNEX_FILES: &[&str] = &[
    "附件1 绩效评价指标体系.xlsx",
    "附件2 绩效评价得分表.xlsx",
    "附件3 问题清单.xlsx",
    "附件4 整体战略目标及绩效目标.xlsx",
    "校验结果.xlsx",
];

struct Styles {
    title: Format,
    header: Format,
    text: Format,
    center: Format,
    number: Format,
    total_label: Format,
    total_number: Format,
}

fn styles() -> Styles {
    let cell = || {
        Format::new()
            .set_border(FormatBorder::Thin)
            .set_font_name("宋体")
            .set_font_size(10.5)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter)
    };
    Styles {
        title: Format::new()
            .set_bold()
            .set_font_name("黑体")
            .set_font_size(16)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
        header: cell().set_bold().set_font_name("黑体").set_background_color("#D9E1F2").set_align(FormatAlign::Center),
        text: cell(),
        center: cell().set_align(FormatAlign::Center),
        number: cell().set_align(FormatAlign::Right).set_num_format("0.00"),
        total_label: cell().set_bold().set_align(FormatAlign::Center),
        total_number: cell().set_bold().set_align(FormatAlign::Right).set_num_format("0.00"),
    }
}

fn new_workbook() -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new().set_author("jixiao").set_creation_datetime(&ExcelDateTime::from_ymd(2025, 1, 1)?),
    );
    Ok(wb)
}

/// Display width of text in Excel column units (CJK characters count two).
fn text_width(s: &str) -> f64 {
    s.chars().map(|c| if (c as u32) >= 0x2E80 { 2.0 } else { 1.0 }).sum()
}

/// Lines a text needs in a column of `width` units.
fn lines(s: &str, width: f64) -> f64 {
    s.split('\n').map(|part| (text_width(part) / (width - 1.0).max(1.0)).ceil().max(1.0)).sum()
}

/// Page set-up of a formal annex: landscape A4 fit to width, header rows
/// repeated on print, frozen below the header, page numbers in the footer.
fn page_setup(ws: &mut Worksheet, header_rows: u32) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    ws.set_repeat_rows(0, header_rows)?;
    ws.set_freeze_panes(header_rows + 1, 0)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// A title row merged across `cols` columns.
fn title(ws: &mut Worksheet, text: &str, cols: u16, st: &Styles) -> Result<(), XlsxError> {
    ws.merge_range(0, 0, 0, cols - 1, text, &st.title)?;
    ws.set_row_height(0, 30)?;
    Ok(())
}

/// Write `value` over rows `first..=last` of a column: merged when it spans
/// more than one row (rust_xlsxwriter rejects single-cell merges).
fn merged(ws: &mut Worksheet, first: u32, last: u32, col: u16, value: &str, f: &Format) -> Result<(), XlsxError> {
    if last > first {
        ws.merge_range(first, col, last, col, value, f)?;
    } else {
        ws.write_string_with_format(first, col, value, f)?;
    }
    Ok(())
}

/// Runs of equal keys: (first index, last index) for each run.
fn runs<T: PartialEq>(keys: &[T]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=keys.len() {
        if i == keys.len() || keys[i] != keys[start] {
            out.push((start, i - 1));
            start = i;
        }
    }
    out
}

fn weight_text(name: &str, w: Decimal) -> String {
    format!("{name}（{}分）", crate::model::value::fmt_number(w))
}

fn set_widths(ws: &mut Worksheet, widths: &[f64]) -> Result<(), XlsxError> {
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    Ok(())
}

/// Row heights from the longest wrapped cell of each row.
fn fit_rows(ws: &mut Worksheet, first: u32, rows: &[Vec<&str>], widths: &[f64]) -> Result<(), XlsxError> {
    for (i, cells) in rows.iter().enumerate() {
        let n = cells.iter().zip(widths).map(|(t, w)| lines(t, *w)).fold(1.0, f64::max);
        ws.set_row_height(first + i as u32, (n * 14.5 + 4.0).min(409.0))?;
    }
    Ok(())
}

/// The 一级 and 二级 cells (name and weight) merged down over their rows.
fn merge_levels(
    ws: &mut Worksheet,
    first: u32,
    levels: &[(&str, &str)],
    s: &Scored,
    st: &Styles,
) -> Result<(), XlsxError> {
    let k1: Vec<&str> = levels.iter().map(|l| l.0).collect();
    for (a, b) in runs(&k1) {
        let w = s.level1.iter().find(|l| l.name == k1[a]).map(|l| l.weight).unwrap_or_default();
        merged(ws, first + a as u32, first + b as u32, 0, &weight_text(k1[a], w), &st.center)?;
    }
    for (a, b) in runs(levels) {
        let (l1, l2) = levels[a];
        let w = s.level2.iter().find(|l| l.level1 == l1 && l.name == l2).map(|l| l.weight).unwrap_or_default();
        merged(ws, first + a as u32, first + b as u32, 1, &weight_text(l2, w), &st.center)?;
    }
    Ok(())
}

/// 附件1 绩效评价指标体系.
pub fn indicator_system(s: &Scored) -> Result<Vec<u8>, XlsxError> {
    let st = styles();
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet().set_name("附件1 绩效评价指标体系")?;
    let widths = [14.0, 16.0, 22.0, 40.0, 70.0, 24.0];
    set_widths(ws, &widths)?;
    title(ws, "附件1 绩效评价指标体系", 6, &st)?;
    for (c, h) in ["一级指标", "二级指标", "三级指标", "指标解释", "评分办法", "指标/数据来源"].iter().enumerate()
    {
        ws.write_string_with_format(1, c as u16, *h, &st.header)?;
    }
    let inds = &s.system.indicators;
    let first = 2u32;
    let mut texts: Vec<Vec<String>> = Vec::new();
    for (i, ind) in inds.iter().enumerate() {
        let r = first + i as u32;
        let name = format!("({}) {}（{}分）", ind.number, ind.name, crate::model::value::fmt_number(ind.weight));
        ws.write_string_with_format(r, 2, &name, &st.text)?;
        ws.write_string_with_format(r, 3, &ind.explanation, &st.text)?;
        ws.write_string_with_format(r, 4, &ind.method, &st.text)?;
        ws.write_string_with_format(r, 5, &ind.source, &st.text)?;
        texts.push(vec![
            String::new(),
            String::new(),
            name,
            ind.explanation.clone(),
            ind.method.clone(),
            ind.source.clone(),
        ]);
    }
    let levels: Vec<(&str, &str)> = inds.iter().map(|i| (i.level1.as_str(), i.level2.as_str())).collect();
    merge_levels(ws, first, &levels, s, &st)?;
    let rows: Vec<Vec<&str>> = texts.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
    fit_rows(ws, first, &rows, &widths)?;
    page_setup(ws, 1)?;
    wb.save_to_buffer()
}

/// 附件2 绩效评价得分表, with a live SUM 合计.
pub fn score_table(s: &Scored) -> Result<Vec<u8>, XlsxError> {
    let st = styles();
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet().set_name("附件2 绩效评价得分表")?;
    let widths = [14.0, 16.0, 24.0, 9.0, 90.0];
    set_widths(ws, &widths)?;
    title(ws, "附件2 绩效评价得分表", 5, &st)?;
    for (c, h) in ["一级指标", "二级指标", "三级指标", "得分", "得失分依据"].iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &st.header)?;
    }
    let first = 2u32;
    let mut texts: Vec<Vec<String>> = Vec::new();
    for (i, ind) in s.indicators.iter().enumerate() {
        let r = first + i as u32;
        let name = format!("({}) {}（{}分）", ind.number, ind.name, crate::model::value::fmt_number(ind.weight));
        ws.write_string_with_format(r, 2, &name, &st.text)?;
        ws.write_number_with_format(r, 3, ind.score.to_f64().unwrap_or_default(), &st.number)?;
        ws.write_string_with_format(r, 4, &ind.basis, &st.text)?;
        texts.push(vec![String::new(), String::new(), name, String::new(), ind.basis.clone()]);
    }
    let levels: Vec<(&str, &str)> = s.indicators.iter().map(|i| (i.level1.as_str(), i.level2.as_str())).collect();
    merge_levels(ws, first, &levels, s, &st)?;
    let last = first + s.indicators.len() as u32 - 1;
    let total_row = last + 1;
    ws.merge_range(total_row, 0, total_row, 2, "合计", &st.total_label)?;
    let formula = Formula::new(format!("=SUM(D{}:D{})", first + 1, last + 1))
        .set_result(crate::model::value::fmt_number(s.total));
    ws.write_formula_with_format(total_row, 3, formula, &st.total_number)?;
    ws.write_string_with_format(
        total_row,
        4,
        &format!("评价得分 {} 分，评价等级“{}”。", crate::model::value::fmt_number(s.total), s.grade),
        &st.text,
    )?;
    let rows: Vec<Vec<&str>> = texts.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
    fit_rows(ws, first, &rows, &widths)?;
    ws.set_row_height(total_row, 22)?;
    page_setup(ws, 1)?;
    wb.save_to_buffer()
}

/// 附件3 问题清单.
pub fn problem_list(s: &Scored) -> Result<Vec<u8>, XlsxError> {
    let st = styles();
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet().set_name("附件3 问题清单")?;
    let widths = [14.0, 7.0, 24.0, 90.0];
    set_widths(ws, &widths)?;
    title(ws, "附件3 问题清单", 4, &st)?;
    for (c, h) in ["问题分类", "序号", "项目责任单位", "问题描述"].iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &st.header)?;
    }
    let first = 2u32;
    for (i, p) in s.problems.iter().enumerate() {
        let r = first + i as u32;
        ws.write_number_with_format(r, 1, p.number as f64, &st.center)?;
        ws.write_string_with_format(r, 2, &p.unit, &st.center)?;
        ws.write_string_with_format(r, 3, &p.description, &st.text)?;
    }
    let cats: Vec<&str> = s.problems.iter().map(|p| p.category.as_str()).collect();
    for (a, b) in runs(&cats) {
        merged(ws, first + a as u32, first + b as u32, 0, cats[a], &st.center)?;
    }
    let rows: Vec<Vec<&str>> =
        s.problems.iter().map(|p| vec!["", "", p.unit.as_str(), p.description.as_str()]).collect();
    fit_rows(ws, first, &rows, &widths)?;
    page_setup(ws, 1)?;
    wb.save_to_buffer()
}

/// 附件4: the department's 整体战略目标表 and 整体绩效目标表, as supplied.
/// Returns false (and writes nothing) when the department supplied neither.
pub fn targets(case: &Case) -> Result<Option<Vec<u8>>, XlsxError> {
    let tables: Vec<_> = [TableKind::StrategicTargets, TableKind::OverallTargets]
        .iter()
        .filter_map(|k| case.tables_of(*k).next())
        .collect();
    if tables.is_empty() {
        return Ok(None);
    }
    let st = styles();
    let mut wb = new_workbook()?;
    for t in tables {
        let name = t.kind.name();
        let ws = wb.add_worksheet().set_name(name)?;
        let b = t.main();
        let cols = b.columns.len().max(1) as u16;
        title(ws, &t.title, cols, &st)?;
        let widths: Vec<f64> = b
            .columns
            .iter()
            .map(|c| {
                if c.label.contains("指标") || c.label.contains("职责") || c.label.contains("解释") {
                    28.0
                } else {
                    14.0
                }
            })
            .collect();
        set_widths(ws, &widths)?;
        for (c, col) in b.columns.iter().enumerate() {
            ws.write_string_with_format(1, c as u16, col.key.replace('/', " / "), &st.header)?;
        }
        ws.set_row_height(1, 45)?;
        let mut texts: Vec<Vec<String>> = Vec::new();
        for (i, row) in b.rows.iter().enumerate() {
            let r = 2 + i as u32;
            let mut line = Vec::new();
            for (c, v) in row.values.iter().enumerate() {
                let text = match &v.value {
                    CellValue::Text(t) => t.clone(),
                    CellValue::Number(d) => d.normalize().to_string(),
                    CellValue::Percent(d) => format!("{}%", (*d * Decimal::ONE_HUNDRED).normalize()),
                    _ => String::new(),
                };
                ws.write_string_with_format(r, c as u16, &text, &st.text)?;
                line.push(text);
            }
            texts.push(line);
        }
        let rows: Vec<Vec<&str>> = texts.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
        fit_rows(ws, 2, &rows, &widths)?;
        page_setup(ws, 1)?;
    }
    Ok(Some(wb.save_to_buffer()?))
}

/// 校验结果: the check findings and ingest problems, for the evaluator.
pub fn check_results(case: &Case, checks: &CheckReport) -> Result<Vec<u8>, XlsxError> {
    let st = styles();
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet().set_name("校验结果")?;
    let widths = [26.0, 8.0, 24.0, 90.0, 40.0];
    set_widths(ws, &widths)?;
    title(ws, "校验结果（勾稽核对与自评复核）", 5, &st)?;
    for (c, h) in ["工作簿", "类别", "规则", "说明", "单元格"].iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &st.header)?;
    }
    let mut rows: Vec<[String; 5]> = Vec::new();
    for p in &case.problems {
        rows.push([
            p.place.split(" › ").next().unwrap_or("").to_string(),
            p.severity.label().into(),
            p.rule.into(),
            p.message.clone(),
            p.place.clone(),
        ]);
    }
    for f in &checks.findings {
        let cells: Vec<String> = f.cells.iter().map(|c| format!("{} › {}", c.sheet, c.cell())).collect();
        rows.push([f.workbook.clone(), f.severity.label().into(), f.rule.into(), f.message.clone(), cells.join("、")]);
    }
    for (i, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let f = if c == 1 { &st.center } else { &st.text };
            ws.write_string_with_format(2 + i as u32, c as u16, v, f)?;
        }
    }
    let texts: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
    fit_rows(ws, 2, &texts, &widths)?;
    ws.autofilter(1, 0, 1 + rows.len().max(1) as u32, 4)?;
    page_setup(ws, 1)?;
    wb.save_to_buffer()
}

/// Every annex workbook: (file name, bytes), in order.
pub fn all(case: &Case, checks: &CheckReport, scored: &Scored) -> Result<Vec<(String, Vec<u8>)>, XlsxError> {
    let mut out = vec![
        (ANNEX_FILES[0].to_string(), indicator_system(scored)?),
        (ANNEX_FILES[1].to_string(), score_table(scored)?),
        (ANNEX_FILES[2].to_string(), problem_list(scored)?),
    ];
    if let Some(bytes) = targets(case)? {
        out.push((ANNEX_FILES[3].to_string(), bytes));
    }
    out.push((ANNEX_FILES[4].to_string(), check_results(case, checks)?));
    Ok(out)
}
