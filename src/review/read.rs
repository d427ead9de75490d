//! Reading a published 得分表 as such reports print it: 一级 / 二级 / 三级,
//! 分值, 得分, 得分率, 扣分原因; the header repeated at page breaks, `续上页`
//! marks, 一级/二级 merged down (or left blank below their first row), a
//! 小计 row per 一级 and a 合计 / 总分 row.

use std::path::Path;

use rust_decimal::Decimal;

use crate::ingest::grid::Grid;
use crate::model::value::{parse_number_text, NumberText};

/// The most rows of published scores read: a 得分表 has tens of rows; a
/// sheet past this is not one (and is not read on).
pub const MAX_ROWS: usize = 2_000;

/// Where a published figure is: file › sheet › cell.
pub type At = String;

/// One printed row of the 得分表.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedRow {
    pub level1: String,
    pub level2: String,
    /// The 三级 name; empty when the row printed none.
    pub name: String,
    pub weight: Option<Decimal>,
    pub score: Option<Decimal>,
    /// 得分率 in %, as printed (a fraction `0.9` read as 90).
    pub rate: Option<Decimal>,
    /// Decimals the 得分率 was printed with (for comparing at its precision).
    pub rate_decimals: u32,
    pub reason: String,
    /// file › sheet › row of the row.
    pub at: At,
    pub kind: RowKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Indicator,
    /// The 小计 of a 一级.
    Subtotal,
    /// 合计 / 总分.
    Total,
}

/// The published scores.
#[derive(Debug, Clone, Default)]
pub struct Published {
    pub file: String,
    pub sheet: String,
    pub rows: Vec<PublishedRow>,
}

/// Why the published scores could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("无法读取得分表“{file}”：{reason}")]
    Unreadable { file: String, reason: String },
    #[error("在“{file}”中找不到得分表：没有一张工作表的表头同时有“三级指标”“分值”“得分”三列。请确认这是评价报告所附的得分表。")]
    NoHeader { file: String },
    #[error("得分表“{file} › {sheet}”超过 {MAX_ROWS} 行，不像一份评价报告的得分表，已停止读取。请只保留得分表本身。")]
    TooLong { file: String, sheet: String },
    #[error("得分表“{file} › {sheet}”中没有一行三级指标的得分。")]
    Empty { file: String, sheet: String },
}

/// The columns of the header.
#[derive(Debug, Clone, Copy)]
struct Columns {
    level1: Option<u32>,
    level2: Option<u32>,
    name: u32,
    weight: u32,
    score: u32,
    rate: Option<u32>,
    reason: Option<u32>,
}

fn strip_continued(s: &str) -> String {
    let mut t = s.to_string();
    for mark in ["（续上页）", "(续上页)", "（续）", "续上页", "续表"] {
        t = t.replace(mark, "");
    }
    t.trim().to_string()
}

fn header_of(grid: &Grid, row: u32) -> Option<Columns> {
    let mut found: [Option<u32>; 7] = [None; 7];
    for c in grid.left..grid.right() {
        let t = strip_continued(grid.get(row, c).norm());
        let slot = match t.as_str() {
            s if s.starts_with("一级") => 0,
            s if s.starts_with("二级") => 1,
            s if s.starts_with("三级") => 2,
            "分值" | "权重" | "标准分值" | "指标分值" => 3,
            "得分" | "评价得分" | "实际得分" => 4,
            s if s.starts_with("得分率") => 5,
            s if s.contains("扣分") || s.contains("得分依据") || s.contains("失分") => 6,
            _ => continue,
        };
        if found[slot].is_none() {
            found[slot] = Some(c);
        }
    }
    Some(Columns {
        level1: found[0],
        level2: found[1],
        name: found[2]?,
        weight: found[3]?,
        score: found[4]?,
        rate: found[5],
        reason: found[6],
    })
}

/// A number as printed: (value, is a percent, decimals shown).
fn number(grid: &Grid, row: u32, col: Option<u32>) -> Option<(Decimal, bool, u32)> {
    let cell = grid.get(row, col?);
    // Decimals as printed (`85.00%` has two), whatever the parse keeps.
    let shown = cell.text.split_once('.').map_or(0, |(_, f)| f.chars().take_while(char::is_ascii_digit).count() as u32);
    match parse_number_text(&cell.text) {
        NumberText::Number(d) => Some((d, false, shown.max(d.scale()))),
        NumberText::Percent(d) => Some((d, true, shown + 2)),
        _ => None,
    }
}

fn text(grid: &Grid, row: u32, col: Option<u32>) -> String {
    col.map(|c| strip_continued(&grid.get(row, c).text)).unwrap_or_default()
}

fn is_total(s: &str) -> bool {
    ["合计", "总计", "总分", "总得分"].iter().any(|w| s.replace(' ', "") == *w || s.starts_with(w))
}

/// The published scores of the workbook at `path` (named `display` in messages).
pub fn read(path: &Path, display: &str) -> Result<Published, ReadError> {
    let wb = crate::ingest::open::read_workbook(path, display)
        .map_err(|e| ReadError::Unreadable { file: display.to_string(), reason: e.to_string() })?;
    for grid in &wb.sheets {
        if let Some(p) = read_grid(grid, display)? {
            return Ok(p);
        }
    }
    Err(ReadError::NoHeader { file: display.to_string() })
}

/// The 得分表 of one sheet, when it has one.
pub fn read_grid(grid: &Grid, display: &str) -> Result<Option<Published>, ReadError> {
    let scan_end = grid.bottom().min(grid.top + 50);
    let Some((head, cols)) = (grid.top..scan_end).find_map(|r| header_of(grid, r).map(|c| (r, c))) else {
        return Ok(None);
    };
    let sheet = grid.sheet.to_string();
    let mut out = Published { file: display.to_string(), sheet: sheet.clone(), rows: Vec::new() };
    let (mut level1, mut level2) = (String::new(), String::new());
    for row in head + 1..grid.bottom() {
        if out.rows.len() >= MAX_ROWS || (row - head) as usize > MAX_ROWS * 2 {
            return Err(ReadError::TooLong { file: display.to_string(), sheet });
        }
        if grid.row_is_empty(row) || header_of(grid, row).is_some() {
            continue; // the header again at a page break
        }
        let (l1, l2, name) =
            (text(grid, row, cols.level1), text(grid, row, cols.level2), text(grid, row, Some(cols.name)));
        let weight = number(grid, row, Some(cols.weight)).map(|n| n.0);
        let score = number(grid, row, Some(cols.score)).map(|n| n.0);
        let rate_printed = number(grid, row, cols.rate);
        if weight.is_none() && score.is_none() {
            continue; // a title, a `续上页` line, a note
        }
        let labels = format!("{l1}{l2}{name}");
        let kind = if is_total(&l1) || (l2.is_empty() && is_total(&name)) || is_total(&labels) {
            RowKind::Total
        } else if labels.contains("小计") {
            RowKind::Subtotal
        } else {
            RowKind::Indicator
        };
        if !l1.is_empty() && !l1.contains("小计") && kind != RowKind::Total {
            if l1 != level1 {
                level2.clear();
            }
            level1 = l1;
        }
        if !l2.is_empty() && !l2.contains("小计") && kind == RowKind::Indicator {
            level2 = l2;
        }
        let (rate, rate_decimals) = match rate_printed {
            // `parse_number_text` reads `90.00%` as 0.9000.
            Some((d, true, s)) => (Some(d * Decimal::ONE_HUNDRED), s.saturating_sub(2)),
            Some((d, false, s)) if d <= Decimal::ONE && weight.is_some_and(|w| w > Decimal::ONE) => {
                (Some(d * Decimal::ONE_HUNDRED), s.saturating_sub(2))
            }
            Some((d, false, s)) => (Some(d), s),
            None => (None, 0),
        };
        out.rows.push(PublishedRow {
            level1: level1.clone(),
            level2: level2.clone(),
            name: if kind == RowKind::Indicator { name } else { String::new() },
            weight,
            score,
            rate,
            rate_decimals,
            reason: text(grid, row, cols.reason),
            at: format!("{display} › {sheet} › 第{}行", row + 1),
            kind,
        });
    }
    if !out.rows.iter().any(|r| r.kind == RowKind::Indicator) {
        return Err(ReadError::Empty { file: display.to_string(), sheet: out.sheet });
    }
    Ok(Some(out))
}
