//! Stage 4 — `render`: what jixiao writes. So far the blank working paper
//! of `jixiao init` and the XLSX annexes; the DOCX report follows.

pub mod annex;
pub mod docx_fix;
pub mod paper;
pub mod report;
