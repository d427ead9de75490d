//! Where a value came from: file › sheet › cell.
//!
//! Every number the pipeline reads keeps its [`Provenance`] so that a check
//! finding or a report sentence can cite the exact cell.
//!
//! ```
//! use jixiao::model::Provenance;
//! let at = Provenance::new("预算.xlsx", "表三", 6, 3);
//! assert_eq!(at.cell(), "D7");
//! assert_eq!(at.to_string(), "预算.xlsx › 表三 › D7");
//! ```

use serde::{Serialize, Serializer};
use std::fmt;
use std::sync::Arc;

/// A cell in a workbook. `row` and `col` are zero-based, as calamine counts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Provenance {
    pub file: Arc<str>,
    pub sheet: Arc<str>,
    pub row: u32,
    pub col: u32,
}

impl Provenance {
    pub fn new(file: impl Into<Arc<str>>, sheet: impl Into<Arc<str>>, row: u32, col: u32) -> Self {
        Provenance { file: file.into(), sheet: sheet.into(), row, col }
    }

    /// The Excel name of the cell (`D7`).
    pub fn cell(&self) -> String {
        cell_name(self.row, self.col)
    }
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} › {} › {}", self.file, self.sheet, self.cell())
    }
}

impl Serialize for Provenance {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Excel column letters for a zero-based column (`0` → `A`, `27` → `AB`).
pub fn column_name(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Excel name of a zero-based (row, col): `(0, 0)` → `A1`.
pub fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", column_name(col), row + 1)
}

/// Excel name of a range: `A1:D30`.
pub fn range_name(top: u32, left: u32, bottom: u32, right: u32) -> String {
    format!("{}:{}", cell_name(top, left), cell_name(bottom, right))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27), "AB");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
        assert_eq!(cell_name(6, 3), "D7");
        assert_eq!(range_name(0, 0, 29, 3), "A1:D30");
    }
}
