//! Find tables in a sheet by meaning: a title row naming a known table, a
//! `公开NN表` number, or a sheet name that is a table's title. Several tables
//! may share a sheet; each region runs from its title to the next one.

use crate::model::value::normalize_label;
use crate::model::TableKind;

use super::grid::Grid;

/// Where one table sits in a sheet.
#[derive(Debug, Clone)]
pub struct Region {
    pub kind: TableKind,
    /// The title as printed (empty when recognised by number or sheet name).
    pub title: String,
    /// First row (the title row, or the first row of the sheet).
    pub top: u32,
    /// One past the last row.
    pub bottom: u32,
}

/// All tables found in a sheet, top to bottom.
pub fn find_regions(grid: &Grid) -> Vec<Region> {
    let mut found: Vec<(u32, TableKind, String)> = Vec::new();
    for r in grid.top..grid.bottom() {
        let texts = grid.row_texts(r);
        if texts.is_empty() || texts.len() > 4 {
            continue;
        }
        let by_title = texts.iter().find_map(|t| TableKind::from_title(t).map(|k| (k, title_text(grid, r, t))));
        let by_number = texts.iter().find_map(|t| TableKind::from_number(t));
        let hit = match (by_title, by_number) {
            (Some((k, title)), _) => Some((k, title)),
            (None, Some(k)) => {
                // A number line just under a title already found belongs to it.
                let near = found.last().is_some_and(|(row, _, _)| r - row <= 3);
                (!near).then(|| (k, String::new()))
            }
            _ => None,
        };
        if let Some((kind, title)) = hit {
            found.push((r, kind, title));
        }
    }
    if found.is_empty() {
        if let Some(kind) = TableKind::from_title(&normalize_label(&grid.sheet)) {
            if !grid.is_blank() {
                found.push((grid.top, kind, String::new()));
            }
        }
    }
    if found.is_empty() && summary_header(grid).is_some() {
        found.push((grid.top, TableKind::SelfEvalSummary, String::new()));
    }
    let mut regions = Vec::new();
    for (i, (top, kind, title)) in found.iter().enumerate() {
        let bottom = found.get(i + 1).map(|n| n.0).unwrap_or(grid.bottom());
        regions.push(Region { kind: *kind, title: title.clone(), top: *top, bottom });
    }
    regions
}

/// The header row of a 自评结果汇总表 published without a known title: a
/// row among the first few naming both 项目名称 and 自评得分 (序号 / 项目名称
/// / 资金使用单位 / 自评得分 / 自评等级).
fn summary_header(grid: &Grid) -> Option<u32> {
    (grid.top..grid.bottom().min(grid.top + 6)).find(|&r| {
        let texts = grid.row_texts(r);
        texts.contains(&"项目名称") && texts.iter().any(|t| t.contains("自评得分"))
    })
}

/// The printed title text for a matched normalised text.
fn title_text(grid: &Grid, row: u32, norm: &str) -> String {
    (grid.left..grid.right())
        .map(|c| grid.get(row, c))
        .find(|c| c.norm() == norm)
        .map(|c| c.text.clone())
        .unwrap_or_else(|| norm.to_string())
}

/// The first year (`2024年`) in a text.
pub fn year_in(text: &str) -> Option<i32> {
    let chars: Vec<char> = text.chars().collect();
    for i in 0..chars.len().saturating_sub(4) {
        let digits: String = chars[i..i + 4].iter().collect();
        let before_ok = i == 0 || !chars[i - 1].is_ascii_digit();
        if before_ok && chars[i + 4] == '年' && digits.chars().all(|c| c.is_ascii_digit()) {
            if let Ok(y) = digits.parse::<i32>() {
                if (1990..=2100).contains(&y) {
                    return Some(y);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years() {
        assert_eq!(year_in("2024年度部门决算公开表.xlsx"), Some(2024));
        assert_eq!(year_in("（2023年度）"), Some(2023));
        assert_eq!(year_in("12024年"), None);
        assert_eq!(year_in("收入决算表"), None);
    }
}
