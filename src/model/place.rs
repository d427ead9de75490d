//! Where a problem, a finding or a score error is: file › sheet › cell (or
//! › 第N行, or a named part of a file), printed one way everywhere.
//!
//! ```
//! use jixiao::model::{Place, Provenance};
//! let at = Provenance::new("预算.xlsx", "表三", 6, 3);
//! assert_eq!(Place::from(&at).to_string(), "预算.xlsx › 表三 › D7");
//! assert_eq!(Place::row_of(&at).to_string(), "预算.xlsx › 表三 › 第7行");
//! assert_eq!(Place::file("体系.toml").named("[survey]").to_string(), "体系.toml › [survey]");
//! assert_eq!(Place::file("决算.xlsx").sheet("01").cell("C4").cell("D4").within().to_string(), "01 › C4、D4");
//! ```

use std::fmt;

use serde::{Serialize, Serializer};

use super::{Location, Provenance};

/// A place: a file, optionally a sheet in it, optionally a spot on that
/// sheet (or in the file). Serialised as its display string.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Place {
    file: String,
    sheet: Option<String>,
    spot: Option<Spot>,
}

/// The spot a place points at, within its sheet (or file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spot {
    /// Cells or ranges by their Excel names (`C4`, `A1:H30`), joined by `、`.
    Cells(Vec<String>),
    /// A row, 1-based (`第7行`).
    Row(u32),
    /// A named part: a field (`评价项目`), a table of a system file
    /// (`[survey]`), an indicator (`指标“X”`).
    Named(String),
}

impl Place {
    /// The whole file (or folder, or system origin).
    pub fn file(file: impl Into<String>) -> Place {
        Place { file: file.into(), sheet: None, spot: None }
    }

    /// This place's file, on `sheet`.
    pub fn sheet(mut self, sheet: impl Into<String>) -> Place {
        self.sheet = Some(sheet.into());
        self
    }

    /// Add the cell (or range) `name`: a place of several cells lists them all.
    pub fn cell(mut self, name: impl Into<String>) -> Place {
        match &mut self.spot {
            Some(Spot::Cells(cells)) => cells.push(name.into()),
            spot => *spot = Some(Spot::Cells(vec![name.into()])),
        }
        self
    }

    /// The row `row` (1-based).
    pub fn row(mut self, row: u32) -> Place {
        self.spot = Some(Spot::Row(row));
        self
    }

    /// A named part (a field, a table of a system file, an indicator).
    pub fn named(mut self, what: impl Into<String>) -> Place {
        self.spot = Some(Spot::Named(what.into()));
        self
    }

    /// The row of the cell `at` (`file › sheet › 第N行`).
    pub fn row_of(at: &Provenance) -> Place {
        Place::file(&*at.file).sheet(&*at.sheet).row(at.row + 1)
    }

    /// The cells `cells`, on the file and sheet of the first; `None` when there are none.
    pub fn cells(cells: &[Provenance]) -> Option<Place> {
        let first = cells.first()?;
        Some(cells.iter().fold(Place::file(&*first.file).sheet(&*first.sheet), |p, c| p.cell(c.cell())))
    }

    /// The file (or folder, or system origin) named first.
    pub fn file_name(&self) -> &str {
        &self.file
    }

    /// The place without its file (`sheet › C4、D4`), for a line already
    /// grouped under its file.
    pub fn within(&self) -> Within<'_> {
        Within(self)
    }
}

/// A [`Place`] shown without its file ([`Place::within`]).
pub struct Within<'a>(&'a Place);

impl fmt::Display for Spot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Spot::Cells(cells) => write!(f, "{}", cells.join("、")),
            Spot::Row(row) => write!(f, "第{row}行"),
            Spot::Named(what) => write!(f, "{what}"),
        }
    }
}

impl fmt::Display for Within<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts = [self.0.sheet.as_ref().map(|s| s.to_string()), self.0.spot.as_ref().map(Spot::to_string)];
        write!(f, "{}", parts.into_iter().flatten().collect::<Vec<_>>().join(" › "))
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.sheet.is_some() || self.spot.is_some() {
            write!(f, " › {}", self.within())?;
        }
        Ok(())
    }
}

impl Serialize for Place {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl From<&Provenance> for Place {
    fn from(at: &Provenance) -> Place {
        Place::file(&*at.file).sheet(&*at.sheet).cell(at.cell())
    }
}

impl From<Provenance> for Place {
    fn from(at: Provenance) -> Place {
        Place::from(&at)
    }
}

impl From<&Location> for Place {
    fn from(at: &Location) -> Place {
        Place::file(&at.file).sheet(&at.sheet).cell(&at.range)
    }
}

impl From<&Place> for Place {
    fn from(p: &Place) -> Place {
        p.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays() {
        assert_eq!(Place::file("案例文件夹").to_string(), "案例文件夹");
        assert_eq!(Place::file("a.xlsx").sheet("表").to_string(), "a.xlsx › 表");
        assert_eq!(Place::file("a.xlsx").sheet("表").row(3).to_string(), "a.xlsx › 表 › 第3行");
        assert_eq!(Place::default().to_string(), "");
        assert_eq!(Place::cells(&[]), None);
        let cells = [Provenance::new("a.xlsx", "01", 3, 2), Provenance::new("a.xlsx", "01", 3, 3)];
        assert_eq!(Place::cells(&cells).unwrap().to_string(), "a.xlsx › 01 › C4、D4");
        assert_eq!(serde_json::to_string(&Place::file("a").named("b")).unwrap(), "\"a › b\"");
    }
}
