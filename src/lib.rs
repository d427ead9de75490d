//! # jixiao — 预算绩效评价报告流水线
//!
//! Consultancy staff drop a department's standard Excel workbooks and the
//! evaluator's working paper into a folder; jixiao reads them by meaning,
//! checks that the numbers agree, scores the department against an
//! indicator system, and writes the report, the annexes and a JSON of
//! everything. The pipeline runs one way, one stage per module:
//!
//! ```text
//! workbooks ──ingest──▶ model::Case ──setup──▶ Setup ──check──▶ CheckReport ──score──▶ Scored ──assemble──▶ Evaluation ──render──▶ DOCX · XLSX · JSON
//! ```
//!
//! Data flows one way; each stage imports only the ones before it, in this
//! order (`tests/structure.rs` holds the order once and fails on any import
//! from a later stage into an earlier one):
//!
//! * [`model`] — plain data shared by every stage, and [`model::figures`],
//!   the one reading of the budget figures and rates; [`confined`] — reading
//!   a file the user named without leaving its folder; [`output`] — atomic
//!   writes and the manifest that protects edited outputs.
//! * [`ingest`] — the only code that knows about cells: finds every table by
//!   its title, number or header labels and returns a typed [`model::Case`]
//!   in which every value keeps its file › sheet › cell.
//! * [`system`] — indicator systems as data: loaded (shipped, file, the
//!   paper's sheet), validated, their rule families, parameters, formulas,
//!   conditions, re-check policy, and what their rules read ([`system::needs`]).
//! * [`report_kind`] — the kinds of report (outline of template parts, file
//!   name, default system), shipped or a folder of one's own.
//! * [`templates`] — the template environment (parts, filters, placeholders,
//!   the texts the parts declare), shared by assemble's sentences and render.
//! * [`setup`] — how a case is evaluated, resolved once from explicit
//!   options and its paper: report kind, indicator system, re-check policy.
//!   Every later stage takes the [`setup::Setup`] it is given.
//! * [`missing`] — what a case lacks for scoring and the report, all at once
//!   (of the inputs its system needs, [`system::needs`], and its templates declare).
//! * [`check`] — 勾稽 consistency within and across tables and documents, and
//!   the re-check of the department's self-evaluations (自评复核).
//! * [`score`] — the case against its indicator system: every 三级 score
//!   with its 得失分依据, gates deciding what is needed.
//! * [`assemble`] — one typed [`assemble::Evaluation`]: every figure (with its
//!   source), table row and sentence the outputs show, computed once.
//! * [`render`] — the writers, which only format the evaluation: the DOCX
//!   report (blocks, the writer, the 目录 layout pass), the XLSX annexes, the
//!   blank working paper of `jixiao init`, and the DOCX-only helpers
//!   (`render::docx`: the schema-order fix of DOCX parts, the chart, the
//!   package). The JSON is the evaluation itself (`serde`).
//! * [`summary`] — the 财政局's view across cases; [`review`] — a published
//!   evaluation re-checked, its printed rules against its printed figures
//!   (`jixiao review`: the 得分表 beside the case as scored).
//! * [`pipeline`] — the stages run together for one case, the change report
//!   against the previous run's JSON; [`batch`] — folders of cases in
//!   parallel, each in a process of its own; [`watch`] — rebuild on change;
//!   [`serve`] — the local page for staff.
//! * [`cli`] — the command line: flags, one exit-code policy, the text the
//!   commands print. `src/main.rs` only reads what the process knows (its
//!   arguments, a few environment variables) and hands it over as values.
//!
//! Errors are typed per stage (`thiserror`): [`ingest`]'s problems are
//! data in the model, [`system::ScoreError`], [`report_kind::KindError`], [`render::report::RenderError`],
//! [`output::OutputError`], [`pipeline::BuildError`] chaining them.
//!
//! ## Glossary (术语表)
//!
//! | 中文 | identifier | meaning |
//! |---|---|---|
//! | 预算 / 决算 | `budget` / `final_accounts`, [`model::TableKind::Budget01`]…, [`model::TableKind::Final01`]… | budget / final accounts |
//! | 公开01表 … 公开09表 | `TableKind::Final01` … `Final09` | the nine published final-account tables |
//! | 预算表一 … 表十二 | `TableKind::Budget01` … `Budget12` | the twelve published budget tables |
//! | 年初预算数 / 全年预算数 / 执行数 | `initial_budget` / `budget` / `spent` | budget at the start of the year / after adjustments / spent |
//! | 基本支出 / 项目支出 | `basic` / `project` | running / project spending |
//! | 人员经费 / 公用经费 | `personnel` / `public_use` | personnel / office costs |
//! | 功能分类科目 (类/款/项) | `code` (3/5/7 digits), `CodeCols::Split { lei, kuan, xiang }` | functional classification |
//! | 经济分类科目 | `code`, `code2` (政府预算经济分类) | economic classification |
//! | 合计 / 总计 | [`model::RowKind::Total`] | total rows |
//! | 栏次 / 行次 | `lanci` / `RowNo` | column / row numbering |
//! | "三公"经费 | `Final09`, `Budget07` | the three public expenses |
//! | 项目绩效目标表 | [`model::ProjectTargets`] | a project's performance targets |
//! | 指标值 | [`model::Target`] | a target or actual value (`≥95%`, `12月31日前`) |
//! | 一级/二级/三级指标 | `level1` / `level2` / `name` | indicator levels |
//! | 分值 / 得分 | `weight` / `score` | weight / score |
//! | 部门整体支出绩效自评表 | [`model::DeptSelfEval`] | department self-evaluation |
//! | 项目支出绩效自评表 | [`model::ProjectSelfEval`] | project self-evaluation |
//! | 分项绩效项目清单 | `TableKind::DeptSelfEvalProjects` | project list of the department self-evaluation |
//! | 整体绩效目标表 / 整体战略目标表 | `TableKind::OverallTargets` / `StrategicTargets` | department-wide targets |
//! | 来源 (文件 › 工作表 › 单元格) | [`model::Provenance`] | where a value came from |
//! | 错误 / 提示 | [`model::Severity::Error`] / [`model::Severity::Note`] | error / note |
//! | 勾稽关系 | [`check`] | arithmetic relations between tables |
//! | 评价结果 | [`assemble::Evaluation`] | everything the outputs say |
//! | 预决算差异率 / 预算执行率 | [`model::figures::difference_rate`] / [`model::figures::share_rate`] | rates between budget and final accounts |
//! | 附件 (指标体系, 得分表, 问题清单) | `annex1`–`annex4` in [`assemble::ReportTable`] | the annex tables |
//! | 万元 | amounts in [`rust_decimal::Decimal`] | 10,000 yuan |
//! | 指标体系 | [`system::System`] | the indicator system a case is scored against |
//! | 报告类型 | [`report_kind::Kind`] | the kind of report (部门整体评价, 自评, 项目支出评价 …) |
//! | 表的类别 (公开01表 …) | [`model::TableKind`] (`model::table_kind`) | the kind of a published table |
//! | 复核口径 (表注规则 / 严格口径) | [`system::Policy`] | how a 项目支出绩效自评表 is re-checked |
//! | 评价设置 | [`setup::Setup`] | a case's report kind, system and re-check policy, resolved once |
//! | 缺项 (待填) | [`missing::Missing`] | what a case lacks, shown as `【待填：…】` |

pub mod assemble;
pub mod batch;
pub mod check;
pub mod cli;
pub mod confined;
pub mod ingest;
pub mod missing;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod report_kind;
pub mod review;
pub mod score;
pub mod serve;
pub mod setup;
pub mod summary;
pub mod system;
pub mod templates;
pub mod watch;
