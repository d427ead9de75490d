//! A department table read by meaning: its kind, where it sits, its column
//! labels and its rows with codes, labels and values.
//!
//! Every standard table (决算 公开01–09表, 预算 表一–表十二, and the list-like
//! tables around the self-evaluations) is held in this one shape; the typed
//! accessors ([`Table::column`], [`Block::row_by_code`], …) give later stages
//! the figures they need without knowing where the cells were.

use rust_decimal::Decimal;
use serde::Serialize;

use super::{CellValue, Provenance, TableKind, Value};

/// A table found in a workbook.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub kind: TableKind,
    /// The title as printed.
    pub title: String,
    /// The year the table reports on, from its title, sheet or file name.
    pub year: Option<i32>,
    /// `部门：…` / `单位：…` / `填报单位：…`.
    pub department: Option<String>,
    /// `金额单位：万元` → `万元`.
    pub unit: Option<String>,
    /// Where the table sits (one entry per sheet it spans).
    pub location: Vec<Location>,
    /// Side-by-side parts: 01表 收入 | 支出, 06表's groups are one block.
    pub blocks: Vec<Block>,
    /// `注：…` lines and other text below the table.
    pub notes: Vec<String>,
    /// The table as the sheet lays it out, for tables the report reprints
    /// as supplied (the department's 目标表 of 附件4).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layout: Option<Layout>,
}

/// A table as its sheet lays it out: the rows under the title (the text
/// lines above the header, the header rows, the data rows) with every
/// merged region, so a reprint keeps its 序号, its header levels and its
/// lines such as `战略目标：…`.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Layout {
    /// Cell texts; a cell covered by a merge (not its first) is empty.
    pub rows: Vec<Vec<String>>,
    /// Merged regions: (first row, first column, rows, columns), relative to `rows`.
    pub merges: Vec<(usize, usize, usize, usize)>,
    /// Rows of text above the header (`战略目标 | …`).
    pub preamble_rows: usize,
    /// Header rows after them.
    pub header_rows: usize,
}

impl Layout {
    /// The merge whose first cell is (row, col), as (rows, columns).
    pub fn merge_at(&self, row: usize, col: usize) -> Option<(usize, usize)> {
        self.merges.iter().find(|m| m.0 == row && m.1 == col).map(|m| (m.2, m.3))
    }

    /// Covered by a merge starting elsewhere.
    pub fn covered(&self, row: usize, col: usize) -> bool {
        self.merges
            .iter()
            .any(|&(r, c, h, w)| (r..r + h).contains(&row) && (c..c + w).contains(&col) && (row, col) != (r, c))
    }
}

/// A cell range in a sheet.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub sheet: String,
    /// `A1:H30`.
    pub range: String,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} › {} › {}", self.file, self.sheet, self.range)
    }
}

/// One side of a table: its columns and rows.
#[derive(Debug, Clone, Serialize)]
pub struct Block {
    /// `收入` / `支出` for side-by-side blocks, `None` otherwise.
    pub name: Option<String>,
    /// The value columns, left to right.
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

/// A value column: its header path, normalised (`基本支出/小计`).
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    /// Header labels top to bottom, normalised, joined with `/`.
    pub key: String,
    /// The bottom label as printed.
    pub label: String,
}

impl Column {
    /// A budget figure: its top header says 预算数 (全年预算数, 年初预算数,
    /// 调整预算数, 2024年预算数, 09表's 预算数).
    pub fn is_budget_figure(&self) -> bool {
        self.key.split('/').next().is_some_and(|head| head.contains("预算数"))
    }
}

/// A row of a table.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The classification code rebuilt to its full form (`2101501`, `30101`).
    pub code: Option<String>,
    /// A second code where the table carries two (政府预算经济分类 in 表六/表十).
    pub code2: Option<String>,
    /// The row label (科目名称, 项目, 项目名称).
    pub label: String,
    pub kind: RowKind,
    /// One value per column of the block.
    pub values: Vec<Value>,
    pub at: Provenance,
}

/// What kind of row it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// 合计 / 总计 rows.
    Total,
    /// A row with a classification code.
    Coded,
    /// A labelled line without code (01表's 一、一般公共预算财政拨款收入).
    Line,
}

impl Table {
    /// The first block (most tables have only one).
    pub fn main(&self) -> &Block {
        &self.blocks[0]
    }

    /// The block whose name contains `name` (`收入`, `支出`).
    pub fn block(&self, name: &str) -> Option<&Block> {
        self.blocks.iter().find(|b| b.name.as_deref().is_some_and(|n| n.contains(name)))
    }

    /// Where the table starts, for messages.
    pub fn first_location(&self) -> String {
        self.first_place().to_string()
    }

    /// Where the table starts, as a [`super::Place`].
    pub fn first_place(&self) -> super::Place {
        self.location.first().map(super::Place::from).unwrap_or_default()
    }

    /// Index of the first column (of the main block) whose key contains
    /// every one of `parts`.
    pub fn column(&self, parts: &[&str]) -> Option<usize> {
        self.main().column(parts)
    }

    /// The 合计 row and the first column (of the main block) matching `parts`.
    pub fn total_cell(&self, parts: &[&str]) -> Option<(&Row, usize)> {
        let c = self.column(parts)?;
        Some((self.main().total()?, c))
    }

    /// The 合计 row's amount in the first column matching `parts`.
    pub fn total_in(&self, parts: &[&str]) -> Option<Decimal> {
        self.total_cell(parts).map(|(r, c)| r.amount(c))
    }

    /// The row with this code, in any block (06表's side-by-side groups).
    pub fn code_row(&self, code: &str) -> Option<&Row> {
        self.blocks.iter().flat_map(|b| b.rows.iter()).find(|r| r.code.as_deref() == Some(code))
    }

    /// The first-column amount of the row with this code, in any block,
    /// zero when there is no such row.
    pub fn code_amount(&self, code: &str) -> Decimal {
        self.code_row(code).map(|r| r.amount(0)).unwrap_or_default()
    }
}

impl Block {
    /// Index of the first column whose key contains every one of `parts`.
    /// A column of spent or received money is preferred to a budget figure
    /// of the same name (a 决算 table with 全年预算数 columns before its
    /// 本年支出 ones answers `["小计"]` with 本年支出/小计); a budget figure
    /// answers when nothing else does (09表's 预算数, the 预算 tables).
    pub fn column(&self, parts: &[&str]) -> Option<usize> {
        let hit = |c: &Column| parts.iter().all(|p| c.key.contains(p));
        self.columns.iter().position(|c| hit(c) && !c.is_budget_figure()).or_else(|| self.columns.iter().position(hit))
    }

    /// The columns that are budget figures (全年预算数, 年初预算数, …), with
    /// their index.
    pub fn budget_columns(&self) -> impl Iterator<Item = (usize, &Column)> {
        self.columns.iter().enumerate().filter(|(_, c)| c.is_budget_figure())
    }

    /// The 合计 row.
    pub fn total(&self) -> Option<&Row> {
        self.rows.iter().find(|r| r.kind == RowKind::Total)
    }

    /// The row with this full code.
    pub fn row_by_code(&self, code: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.code.as_deref() == Some(code))
    }

    /// The first row whose normalised label contains `label`.
    pub fn row_by_label(&self, label: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.label.contains(label))
    }

    /// A value of a row, zero when empty.
    pub fn amount(&self, row: &Row, column: usize) -> Decimal {
        row.values.get(column).map(|v| v.value.amount_or_zero()).unwrap_or_default()
    }
}

impl Row {
    pub fn value(&self, column: usize) -> Option<&Value> {
        self.values.get(column)
    }

    pub fn amount(&self, column: usize) -> Decimal {
        self.values.get(column).map(|v| v.value.amount_or_zero()).unwrap_or_default()
    }

    pub fn text(&self, column: usize) -> Option<&str> {
        match self.values.get(column).map(|v| &v.value) {
            Some(CellValue::Text(t)) => Some(t),
            _ => None,
        }
    }
}
