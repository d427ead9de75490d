//! 校验结果 ([`CheckRow`]): the pending items, the ingest problems and the
//! check findings, one row each.

use serde::{Deserialize, Serialize};

use super::Pending;
use crate::check::CheckReport;
use crate::model::Case;

/// A row of 校验结果: an ingest problem or a check finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckRow {
    pub workbook: String,
    /// 错误 / 提示.
    pub severity: String,
    pub rule: String,
    pub message: String,
    /// `sheet › cell` of each cell involved, or the problem's place.
    pub cells: String,
}

pub(super) fn check_rows(case: &Case, checks: &CheckReport, pending: &[Pending]) -> Vec<CheckRow> {
    let mut rows: Vec<CheckRow> = pending
        .iter()
        .map(|p| CheckRow {
            workbook: p.fill.split(" › ").next().unwrap_or_default().trim_start_matches("在 ").to_string(),
            severity: crate::model::Severity::Note.label().into(),
            rule: "draft.pending".into(),
            message: format!("报告待填：{}。{}", p.what, p.fill),
            cells: String::new(),
        })
        .collect();
    for p in &case.problems {
        rows.push(CheckRow {
            workbook: p.place.file_name().to_string(),
            severity: p.severity.label().into(),
            rule: p.rule.into(),
            message: p.message.clone(),
            cells: p.place.to_string(),
        });
    }
    for f in &checks.findings {
        let cells: Vec<String> = f.cells.iter().map(|c| format!("{} › {}", c.sheet, c.cell())).collect();
        rows.push(CheckRow {
            workbook: f.workbook.clone(),
            severity: f.severity.label().into(),
            rule: f.rule.into(),
            message: f.message.clone(),
            cells: cells.join("、"),
        });
    }
    rows
}
