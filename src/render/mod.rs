//! Stage 5 — `render`: the writers. Each takes the
//! [`Evaluation`](crate::assemble::Evaluation) and formats it — the DOCX
//! report (`report/`), the XLSX annexes (`annex.rs`) — plus the blank
//! working paper of `jixiao init` (`paper.rs`) and the DOCX-only helpers
//! (`docx/`: the schema-order fix of the parts docx-rs writes, the chart,
//! the package). No writer reads the model's tables or computes a figure.

pub mod annex;
pub mod docx;
pub mod paper;
pub mod report;
