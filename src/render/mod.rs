//! Stage 5 — `render`: the writers. Each takes the
//! [`Evaluation`](crate::assemble::Evaluation) and formats it — the DOCX
//! report (`report/`), the XLSX annexes (`annex.rs`) — plus the blank
//! working paper of `jixiao init` (`paper.rs`) and the schema-order fix of
//! the parts docx-rs writes (`docx_fix.rs`). No writer reads the model's
//! tables or computes a figure.

pub mod annex;
pub mod chart;
pub mod docx_fix;
pub mod package;
pub mod paper;
pub mod report;
