//! The lines around a table's header: department, unit, table number, year.

use super::grid::Grid;
use super::locate::year_in;
use crate::model::TableKind;

/// What the meta lines say.
#[derive(Debug, Default, Clone)]
pub struct Meta {
    pub department: Option<String>,
    pub unit: Option<String>,
    pub year: Option<i32>,
}

const DEPT_PREFIXES: &[&str] =
    &["部门(单位):", "填报单位:", "编制单位:", "预算单位:", "单位名称:", "部门名称:", "部门:", "单位:"];

/// A cell that is a meta line (department, unit, number, year), normalised.
pub fn is_meta_cell(norm: &str) -> bool {
    TableKind::from_number(norm).is_some()
        || DEPT_PREFIXES.iter().any(|p| norm.starts_with(p))
        || norm.contains("单位:万元")
        || norm.contains("单位:元")
        || is_year_only(norm)
}

fn is_year_only(norm: &str) -> bool {
    let t = norm.trim_matches(|c| c == '(' || c == ')');
    let t = t.strip_suffix("年度").or_else(|| t.strip_suffix('年')).unwrap_or("");
    t.len() == 4 && t.chars().all(|c| c.is_ascii_digit())
}

/// Every non-empty cell of the row is a meta cell.
pub fn is_meta_row(grid: &Grid, r: u32) -> bool {
    let texts = grid.row_texts(r);
    !texts.is_empty() && texts.iter().all(|t| is_meta_cell(t))
}

/// Collect department, unit and year from a row.
pub fn read_meta(grid: &Grid, r: u32, meta: &mut Meta) {
    for t in grid.row_texts(r) {
        if meta.year.is_none() && (is_year_only(t) || TableKind::from_number(t).is_some() || t.contains(':')) {
            meta.year = year_in(t);
        }
        if let Some(i) = t.find("单位:") {
            let unit = &t[i + "单位:".len()..];
            if unit.starts_with("万元")
                || unit.starts_with('元')
                || unit.starts_with("千元")
                || unit.starts_with("亿元")
            {
                let end = unit.find(|c: char| !"万千亿元".contains(c)).unwrap_or(unit.len());
                meta.unit = Some(unit[..end].to_string());
                if i > 0 && !t[..i].ends_with("金额") {
                    // "部门：…单位：万元" in one cell
                    read_department(&t[..i], meta);
                }
                continue;
            }
        }
        read_department(t, meta);
    }
}

fn read_department(t: &str, meta: &mut Meta) {
    if meta.department.is_some() {
        return;
    }
    for p in DEPT_PREFIXES {
        if let Some(rest) = t.strip_prefix(p) {
            let rest = rest.trim_end_matches("金额");
            if !rest.is_empty() {
                meta.department = Some(rest.to_string());
            }
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_cells() {
        assert!(is_meta_cell("部门(单位):枣庄市市中区医疗保障局"));
        assert!(is_meta_cell("金额单位:万元"));
        assert!(is_meta_cell("公开01表"));
        assert!(is_meta_cell("(2024年度)"));
        assert!(!is_meta_cell("合计"));
        assert!(!is_meta_cell("项目"));
    }
}
