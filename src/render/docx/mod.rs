//! The DOCX-only helpers of the report writer: the schema-order fix of the
//! parts docx-rs writes (`fix/`), the native Word chart (`chart.rs`) and
//! the package as Word expects it (`package.rs`).

pub mod chart;
pub mod fix;
pub mod package;
