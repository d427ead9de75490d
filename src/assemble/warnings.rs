//! Warnings the assembled evaluation itself gives: annex cells too long
//! for Excel.

use super::{report_table, Evaluation};

/// A 提示 for each annex cell longer than an Excel cell holds: the XLSX
/// cuts it, the report and the JSON keep it whole. Names the working-paper
/// rows whose text it holds.
pub(super) fn too_long_for_excel(eval: &Evaluation, findings: &[crate::model::working_paper::Finding]) -> Vec<String> {
    let limit = report_table::EXCEL_CELL_CHARS;
    let mut out = Vec::new();
    for t in eval.tables.iter().filter(|t| !t.sheet.is_empty() && !t.missing) {
        for (i, row) in t.rows.iter().enumerate() {
            for cell in row.iter().filter(|c| c.text.chars().count() > limit) {
                let rows: Vec<String> = findings
                    .iter()
                    .filter(|f| f.text.chars().count() > limit / 2 && cell.text.contains(f.text.trim()))
                    .map(|f| format!("{} › {} › 第{}行", f.at.file, f.at.sheet, f.at.row + 1))
                    .collect();
                let from = if rows.is_empty() { String::new() } else { format!("（来自 {}）", rows.join("、")) };
                out.push(format!(
                    "{}第{}行有一段文字长 {} 字{from}，超过 Excel 单元格上限 {limit} 字：XLSX 中已截断，报告和评价结果.json 保留全文。",
                    t.sheet,
                    i + 1,
                    cell.text.chars().count()
                ));
            }
        }
    }
    out
}
