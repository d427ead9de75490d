//! The typed model every stage works on: plain data, serialisable to JSON,
//! no calamine types. Only `ingest` builds it from cells.

mod case;
pub mod figures;
mod forms;
mod grade;
mod place;
pub mod prose;
mod provenance;
mod source_table;
mod table_kind;
pub mod target;
pub mod value;
pub mod working_paper;

pub use case::{Case, Found, Problem, Severity, SourceFile};
pub use forms::{
    DeptSelfEval, DeptSelfEvalIndicator, FundLine, ProjectSelfEval, ProjectTargets, SelfEvalIndicator, TargetIndicator,
};
pub use grade::{Grade, GRADE_BANDS};
pub use place::{Place, Spot, Within};
pub use provenance::{cell_name, column_name, range_name, Provenance};
pub use source_table::{Block, Column, Layout, Location, Row, RowKind, Table};
pub use table_kind::{KindInfo, TableKind, CATALOGUE};
pub use target::{Comparison, Target, TargetKind};
pub use value::{CellValue, Value};
pub use working_paper::WorkingPaper;

/// A project name for matching across documents: punctuation and spaces
/// dropped (`重残、孤儿财政代缴` = `重残孤儿财政代缴`).
pub fn project_key(name: &str) -> String {
    name.chars().filter(|c| !c.is_ascii_punctuation() && !"、，。（）()“”《》—- ".contains(*c)).collect()
}
