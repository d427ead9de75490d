//! Stage 4 — `render`: what jixiao writes. So far the blank working paper
//! of `jixiao init`; the DOCX report and the XLSX annexes follow.

pub mod paper;
