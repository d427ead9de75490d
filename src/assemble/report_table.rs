//! One table model for every writer: the DOCX report places it with its
//! relative widths, the XLSX annexes write its cells (numbers as numbers, a
//! 合计 as a live `SUM`), the JSON carries it as it is. Cells hold the text
//! they show, computed once, and the typed number behind it.
//!
//! ```
//! use jixiao::assemble::report_table::{c, l, merge_down, r, VMerge};
//! use rust_decimal_macros::dec;
//! let mut rows = vec![
//!     vec![c("预算管理"), r("2").num(dec!(2))],
//!     vec![c("预算管理"), r("1.5").num(dec!(1.5))],
//!     vec![c("绩效管理"), l("—")],
//! ];
//! merge_down(&mut rows, 0, &["预算管理", "预算管理", "绩效管理"]);
//! assert_eq!(rows[0][0].vmerge, VMerge::Start);
//! assert_eq!(rows[1][0].vmerge, VMerge::Continue);
//! assert_eq!(rows[1][0].text, "");
//! assert_eq!(rows[2][0].vmerge, VMerge::No);
//! ```

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The most characters an Excel cell holds (annex sheets cut longer texts).
pub const EXCEL_CELL_CHARS: usize = 32_767;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    Left,
    Center,
    Right,
}

/// Vertical merging: the first cell of a run starts it, the others continue it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VMerge {
    No,
    Start,
    Continue,
}

/// A table cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// What the cell shows.
    pub text: String,
    /// The number behind the text, for spreadsheets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<Decimal>,
    /// The cell is the sum of the column's body rows (a live `SUM` in XLSX).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sum: bool,
    /// Columns spanned.
    pub span: usize,
    pub vmerge: VMerge,
    pub align: Align,
    pub bold: bool,
}

fn cell(text: impl Into<String>, align: Align) -> Cell {
    Cell { text: text.into(), number: None, sum: false, span: 1, vmerge: VMerge::No, align, bold: false }
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

    /// The number the text shows.
    pub fn num(mut self, d: Decimal) -> Cell {
        self.number = Some(d);
        self
    }

    /// The column's total.
    pub fn sum(mut self) -> Cell {
        self.sum = true;
        self
    }
}

/// A table of the report and the annexes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportTable {
    /// The name templates place it by (`@table 1-1`).
    pub name: String,
    /// The title of its annex sheet.
    pub title: String,
    /// The annex sheet's name.
    pub sheet: String,
    /// Relative column widths in the report.
    pub widths: Vec<u32>,
    /// Column widths in the annex workbook (Excel units).
    pub sheet_widths: Vec<f64>,
    /// Columns whose equal neighbours are merged down (一级, 二级, 问题分类).
    pub group_columns: Vec<usize>,
    /// Header rows, repeated on every page.
    pub header: Vec<Vec<Cell>>,
    /// The header row's height in the annex sheet, when set.
    pub header_height: Option<f64>,
    /// The annex sheet's header labels when they differ from the report's
    /// (the full header path where the report, with narrow columns, shows
    /// the last label).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet_header: Option<Vec<String>>,
    pub rows: Vec<Vec<Cell>>,
    /// The last row is a 合计.
    pub total: bool,
    /// 五号 instead of 小四 in the report.
    pub small: bool,
    /// The department did not supply the table (the report says so; no annex sheet).
    pub missing: bool,
    /// Lines printed above the table, not repeated (`战略目标：…`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preamble: Vec<String>,
    /// Reprinted as supplied: the annex sheet writes every header row and
    /// every merge (spans and vertical runs) as they are.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub as_supplied: bool,
}

impl ReportTable {
    /// A table with its columns, header and rows; no annex sheet of its own.
    pub fn new(name: &str, widths: Vec<u32>, header: Vec<Vec<Cell>>, rows: Vec<Vec<Cell>>) -> ReportTable {
        ReportTable {
            name: name.into(),
            title: String::new(),
            sheet: String::new(),
            widths,
            sheet_widths: Vec::new(),
            group_columns: Vec::new(),
            header,
            header_height: None,
            sheet_header: None,
            rows,
            total: false,
            small: false,
            missing: false,
            preamble: Vec::new(),
            as_supplied: false,
        }
    }

    pub fn small(mut self) -> ReportTable {
        self.small = true;
        self
    }
}

/// Merge runs of equal keys down column `col` (`keys[i]` for row `i`): the
/// first cell of a run starts it, the others continue it (their text cleared).
pub fn merge_down<K: PartialEq>(rows: &mut [Vec<Cell>], col: usize, keys: &[K]) {
    let mut i = 0;
    while i < rows.len() {
        let mut j = i + 1;
        while j < rows.len() && keys.get(j) == keys.get(i) {
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
