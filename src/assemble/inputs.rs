//! The files read and the tables found in them ([`InputFile`]).

use serde::{Deserialize, Serialize};

use crate::model::Case;

/// A file read, and the tables found in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputFile {
    pub name: String,
    /// `xlsx`, `xls`, `ods`; None when it could not be read.
    pub format: Option<String>,
    /// `2024年 公开03表 支出决算表 › 支出 › A1:H30`.
    pub tables: Vec<String>,
}

/// Each file read, with its tables (`2024年 公开03表 … › 支出 › A1:H30`).
pub(super) fn inputs(case: &Case) -> Vec<InputFile> {
    case.files
        .iter()
        .map(|f| InputFile {
            name: f.name.clone(),
            format: f.format.clone(),
            tables: f
                .found
                .iter()
                .map(|t| {
                    let year = t.year.map(|y| format!("{y}年 ")).unwrap_or_default();
                    let places: Vec<String> = t.location.iter().map(|l| format!("{} › {}", l.sheet, l.range)).collect();
                    format!("{year}{} › {}", t.name, places.join(" + "))
                })
                .collect(),
        })
        .collect()
}
