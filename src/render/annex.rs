//! The annexes as XLSX, laid out as formal annexes: title row, merged
//! 一级/二级 cells over their children, wrapped text, set widths and row
//! heights, frozen header repeated on print, landscape A4 fit to width,
//! borders; 得分 as numbers with a live `SUM` 合计 whose cached result is the
//! computed total. The same inputs give byte-identical files.

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError,
};

use crate::assemble::report_table::{Align, Cell, VMerge};
use crate::assemble::{Evaluation, ReportTable};
use crate::model::value::fmt_number;

/// The most characters an Excel cell holds.
pub const CELL_LIMIT: usize = crate::assemble::report_table::EXCEL_CELL_CHARS;

/// A text cut to what an Excel cell holds, marked as cut (the report and
/// the JSON keep the whole text; `assemble` warns about it).
pub fn fit_cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains(crate::model::value::LINE_BREAK) {
        let text = text.replace(crate::model::value::LINE_BREAK, "\n");
        return std::borrow::Cow::Owned(fit_cell(&text).into_owned());
    }
    if text.len() <= CELL_LIMIT || text.chars().count() <= CELL_LIMIT {
        return std::borrow::Cow::Borrowed(text);
    }
    const MARK: &str = "……（超过 Excel 单元格上限，全文见报告和评价结果.json）";
    let keep = CELL_LIMIT - MARK.chars().count();
    std::borrow::Cow::Owned(text.chars().take(keep).collect::<String>() + MARK)
}

/// The files an annex run writes, in order.
pub const ANNEX_FILES: &[&str] = &[
    "附件1 绩效评价指标体系.xlsx",
    "附件2 绩效评价得分表.xlsx",
    "附件3 问题清单.xlsx",
    "附件4 整体战略目标及绩效目标.xlsx",
    "附件5 问卷调查统计.xlsx",
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

/// A bordered, wrapped 宋体 10.5 cell, centred vertically: the base of every annex format.
pub fn cell_format() -> Format {
    Format::new()
        .set_border(FormatBorder::Thin)
        .set_font_name("宋体")
        .set_font_size(10.5)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
}

/// The title row's format: 黑体 16, centred.
pub fn title_format() -> Format {
    Format::new()
        .set_bold()
        .set_font_name("黑体")
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
}

fn styles() -> Styles {
    let cell = cell_format;
    Styles {
        title: title_format(),
        header: cell().set_bold().set_font_name("黑体").set_background_color("#D9E1F2").set_align(FormatAlign::Center),
        text: cell(),
        center: cell().set_align(FormatAlign::Center),
        number: cell().set_align(FormatAlign::Right).set_num_format("0.00"),
        total_label: cell().set_bold().set_align(FormatAlign::Center),
        total_number: cell().set_bold().set_align(FormatAlign::Right).set_num_format("0.00"),
    }
}

fn new_workbook() -> Result<Workbook, XlsxError> {
    workbook(DocProperties::new().set_author("jixiao"))
}

/// Every workbook jixiao writes: `properties` dated 2025-01-01 (never the
/// time of writing: the same inputs give the same bytes), deflated at the
/// fastest level (rust_xlsxwriter's default 6 is about three times slower
/// for files a few percent smaller, and a build writes six workbooks).
pub fn workbook(properties: DocProperties) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(&properties.set_creation_datetime(&ExcelDateTime::from_ymd(2025, 1, 1)?));
    wb.set_zip_compression_level(1);
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
    ws.merge_range(0, 0, 0, cols - 1, &fit_cell(text), &st.title)?;
    ws.set_row_height(0, 30)?;
    Ok(())
}

/// Write `value` over rows `first..=last` of a column: merged when it spans
/// more than one row (rust_xlsxwriter rejects single-cell merges).
fn merged(ws: &mut Worksheet, first: u32, last: u32, col: u16, value: &str, f: &Format) -> Result<(), XlsxError> {
    if last > first {
        ws.merge_range(first, col, last, col, &fit_cell(value), f)?;
    } else {
        ws.write_string_with_format(first, col, fit_cell(value), f)?;
    }
    Ok(())
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

/// The format of a body cell: numbers right with two decimals, centred or
/// left text, bold 合计 labels and totals.
fn format_of<'a>(cell: &Cell, st: &'a Styles) -> &'a Format {
    match (cell.align, cell.bold, cell.number.is_some()) {
        (Align::Right, true, true) => &st.total_number,
        (Align::Right, _, true) => &st.number,
        (Align::Center, true, _) => &st.total_label,
        (Align::Center, _, _) => &st.center,
        _ => &st.text,
    }
}

/// One table of the evaluation as a formal annex sheet: title row, header,
/// body (numbers as numbers, 合计 as a live `SUM` with the computed total as
/// its cached result), grouping columns merged down over their runs, row
/// heights from the wrapped texts.
fn table_sheet(wb: &mut Workbook, t: &ReportTable, st: &Styles) -> Result<(), XlsxError> {
    if t.as_supplied {
        return supplied_sheet(wb, t, st);
    }
    let ws = wb.add_worksheet().set_name(&t.sheet)?;
    let cols = t.sheet_widths.len().max(1) as u16;
    set_widths(ws, &t.sheet_widths)?;
    title(ws, &t.title, cols, st)?;
    let labels: Vec<&str> = match &t.sheet_header {
        Some(h) => h.iter().map(String::as_str).collect(),
        None => t.header.first().into_iter().flatten().map(|h| h.text.as_str()).collect(),
    };
    for (c, h) in labels.into_iter().enumerate() {
        ws.write_string_with_format(1, c as u16, fit_cell(h), &st.header)?;
    }
    if let Some(h) = t.header_height {
        ws.set_row_height(1, h)?;
    }
    let first = 2u32;
    let body = if t.total { &t.rows[..t.rows.len().saturating_sub(1)] } else { &t.rows[..] };
    let grouped = |c: usize| t.group_columns.contains(&c);
    // Plain cells first, then the grouping columns' runs, then the 合计 row.
    for (i, row) in body.iter().enumerate() {
        for (c, cell) in row.iter().enumerate().filter(|(c, _)| !grouped(*c)) {
            let (r, c, f) = (first + i as u32, c as u16, format_of(cell, st));
            match cell.number {
                Some(d) => ws.write_number_with_format(r, c, d.to_f64().unwrap_or_default(), f)?,
                None => ws.write_string_with_format(r, c, fit_cell(&cell.text), f)?,
            };
        }
    }
    for &c in &t.group_columns {
        let mut i = 0;
        while i < body.len() {
            let mut j = i;
            while j + 1 < body.len() && body[j + 1][c].vmerge == VMerge::Continue {
                j += 1;
            }
            merged(ws, first + i as u32, first + j as u32, c as u16, &body[i][c].text, &st.center)?;
            i = j + 1;
        }
    }
    let texts: Vec<Vec<&str>> = body
        .iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(c, cell)| if grouped(c) || cell.number.is_some() { "" } else { cell.text.as_str() })
                .collect()
        })
        .collect();
    fit_rows(ws, first, &texts, &t.sheet_widths)?;
    if let (true, Some(row)) = (t.total, t.rows.last()) {
        let r = first + body.len() as u32;
        let mut c = 0u16;
        for cell in row {
            let f = format_of(cell, st);
            if cell.span > 1 {
                ws.merge_range(r, c, r, c + cell.span as u16 - 1, &fit_cell(&cell.text), f)?;
            } else if let (true, Some(d)) = (cell.sum, cell.number) {
                let col = rust_xlsxwriter::utility::column_number_to_name(c);
                let formula = Formula::new(format!("=SUM({col}{}:{col}{})", first + 1, r)).set_result(fmt_number(d));
                ws.write_formula_with_format(r, c, formula, f)?;
            } else {
                ws.write_string_with_format(r, c, fit_cell(&cell.text), f)?;
            }
            c += cell.span as u16;
        }
        ws.set_row_height(r, 22)?;
    }
    page_setup(ws, 1)?;
    Ok(())
}

/// A table reprinted as the department laid it out: title, the preamble
/// lines merged across, every header row, the data rows, and each merge
/// (a cell's span across, a vertical run down) as a merged range.
fn supplied_sheet(wb: &mut Workbook, t: &ReportTable, st: &Styles) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name(&t.sheet)?;
    let cols = t.sheet_widths.len().max(1) as u16;
    set_widths(ws, &t.sheet_widths)?;
    title(ws, &t.title, cols, st)?;
    let mut r = 1u32;
    for line in &t.preamble {
        ws.merge_range(r, 0, r, cols - 1, &fit_cell(line), &st.text)?;
        ws.set_row_height(r, 36)?;
        r += 1;
    }
    let first = r;
    let all: Vec<(&Vec<Cell>, bool)> =
        t.header.iter().map(|row| (row, true)).chain(t.rows.iter().map(|row| (row, false))).collect();
    // Each cell's column, and where a vertical run that starts there ends.
    let placed = place_cells(&all);
    for (i, ((_, header), cells)) in all.iter().zip(&placed).enumerate() {
        let row = first + i as u32;
        let f = |cell: &Cell| if *header { &st.header } else { format_of(cell, st) };
        for &(c, cell) in cells {
            if cell.vmerge == VMerge::Continue {
                continue;
            }
            let mut last = row;
            if cell.vmerge == VMerge::Start {
                for (k, below) in placed.iter().enumerate().skip(i + 1) {
                    match below.iter().find(|(bc, _)| *bc == c) {
                        Some((_, b)) if b.vmerge == VMerge::Continue => last = first + k as u32,
                        _ => break,
                    }
                }
            }
            let right = c + cell.span.max(1) as u16 - 1;
            if last > row || right > c {
                ws.merge_range(row, c, last, right, &fit_cell(&cell.text), f(cell))?;
            } else {
                ws.write_string_with_format(row, c, fit_cell(&cell.text), f(cell))?;
            }
        }
    }
    let header_rows = t.header.len() as u32;
    header_heights(ws, &placed[..t.header.len()], first, &t.sheet_widths)?;
    // Row heights from each column's text (a cell spanning columns counts in its first).
    let texts: Vec<Vec<&str>> = placed[t.header.len()..]
        .iter()
        .map(|cells| {
            let mut row = vec![""; cols as usize];
            for &(c, cell) in cells {
                if let Some(slot) = row.get_mut(c as usize) {
                    *slot = cell.text.as_str();
                }
            }
            row
        })
        .collect();
    fit_rows(ws, first + header_rows, &texts, &t.sheet_widths)?;
    page_setup(ws, first + header_rows - 1)?;
    Ok(())
}

/// Each cell of each row with the column it starts in (spans counted).
fn place_cells<'t>(all: &[(&'t Vec<Cell>, bool)]) -> Vec<Vec<(u16, &'t Cell)>> {
    all.iter()
        .map(|(row, _)| {
            let mut c = 0u16;
            row.iter()
                .map(|cell| {
                    let at = c;
                    c += cell.span.max(1) as u16;
                    (at, cell)
                })
                .collect()
        })
        .collect()
}

/// Header rows as high as their texts over the columns each cell spans
/// (a vertical run's text counts in its last row).
fn header_heights(
    ws: &mut Worksheet,
    header: &[Vec<(u16, &Cell)>],
    first: u32,
    widths: &[f64],
) -> Result<(), XlsxError> {
    for (i, cells) in header.iter().enumerate() {
        let n = cells
            .iter()
            .filter(|(_, cell)| cell.vmerge == VMerge::No)
            .map(|&(c, cell)| {
                let w: f64 = widths.iter().skip(c as usize).take(cell.span.max(1)).sum();
                lines(&cell.text, w)
            })
            .fold(1.0, f64::max);
        ws.set_row_height(first + i as u32, (n * 14.5 + 4.0).min(409.0))?;
    }
    Ok(())
}

/// An annex workbook of the evaluation's tables (one sheet each, the
/// missing ones left out); None when every table is missing.
pub fn tables_workbook(eval: &Evaluation, names: &[&str]) -> Result<Option<Vec<u8>>, XlsxError> {
    let tables: Vec<&ReportTable> = names.iter().filter_map(|n| eval.table(n)).filter(|t| !t.missing).collect();
    if tables.is_empty() {
        return Ok(None);
    }
    let st = styles();
    let mut wb = new_workbook()?;
    for t in tables {
        table_sheet(&mut wb, t, &st)?;
    }
    Ok(Some(wb.save_to_buffer()?))
}

/// 校验结果: the check findings and ingest problems, for the evaluator.
pub fn check_results(eval: &Evaluation) -> Result<Vec<u8>, XlsxError> {
    let st = styles();
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet().set_name("校验结果")?;
    let widths = [26.0, 8.0, 24.0, 90.0, 40.0];
    set_widths(ws, &widths)?;
    title(ws, "校验结果（勾稽核对与自评复核）", 5, &st)?;
    for (c, h) in ["工作簿", "类别", "规则", "说明", "单元格"].iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &st.header)?;
    }
    let rows: Vec<[&str; 5]> = eval
        .checks
        .iter()
        .map(|r| [r.workbook.as_str(), r.severity.as_str(), r.rule.as_str(), r.message.as_str(), r.cells.as_str()])
        .collect();
    for (i, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let f = if c == 1 { &st.center } else { &st.text };
            ws.write_string_with_format(2 + i as u32, c as u16, fit_cell(v), f)?;
        }
    }
    let texts: Vec<Vec<&str>> = rows.iter().map(|r| r.to_vec()).collect();
    fit_rows(ws, 2, &texts, &widths)?;
    ws.autofilter(1, 0, 1 + rows.len().max(1) as u32, 4)?;
    page_setup(ws, 1)?;
    wb.save_to_buffer()
}

/// Every annex workbook: (file name, bytes), in order.
pub fn all(eval: &Evaluation) -> Result<Vec<(String, Vec<u8>)>, XlsxError> {
    let mut out = Vec::new();
    let sets: [&[&str]; 5] =
        [&["annex1"], &["annex2"], &["annex3"], &["annex4-strategic", "annex4-overall"], &["survey"]];
    for (file, names) in ANNEX_FILES.iter().zip(sets) {
        // Only the annexes the report kind lists (every one when it lists none).
        let listed = eval.annexes.is_empty() || eval.annexes.iter().any(|a| file.starts_with(&format!("{a} ")));
        if !listed {
            continue;
        }
        if let Some(bytes) = tables_workbook(eval, names)? {
            out.push((file.to_string(), bytes));
        }
    }
    out.push((ANNEX_FILES[5].to_string(), check_results(eval)?));
    Ok(out)
}
