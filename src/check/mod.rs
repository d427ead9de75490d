//! Stage 2 — `check`: where the department's numbers do not add up (勾稽)
//! and where its self-evaluation scored itself wrongly (自评复核).
//!
//! [`check`] is a pure function of the [`Case`]. Every [`Finding`] names the
//! cells involved, both numbers and the difference, in plain Chinese.
//! Tolerance: the tables are rounded to 0.01 万元, so a difference of at most
//! 0.01 × (cells summed) is a 提示 (尾数误差); anything larger is an 错误. A
//! rule whose tables are missing is skipped with a 提示 naming the table.
//!
//! ```no_run
//! let case = jixiao::ingest::ingest_path(std::path::Path::new("sample-workbooks/zaozhuang-shizhong-2024"));
//! let report = jixiao::check::check(&case);
//! for f in &report.findings {
//!     println!("{f}");
//! }
//! ```
//!
//! ## Rules
//!
//! 54 rule ids. Severity: 错误 unless noted; every sum within 0.01 × (cells
//! summed) is a 尾数 提示; a rule whose tables are missing is skipped once
//! with a 提示. Source: `shared/domain/validation.md` (勾稽 and 自评复核),
//! the 决算 公开01–09表 and 预算 表一–十二 layouts; the ±20 % of
//! `cross.budget_final_rate` is this tool's choice, not a published rule
//! (see [`RATE_THRESHOLD_PERCENT`]).
//!
//! | id | what | tables |
//! |---|---|---|
//! | `disclosure.complete` | every table of a year's set is published | 决算 01–09, 预算 一–十二 |
//! | `disclosure.empty_note` | an empty table says why (注：…) | 07, 08, 09, 预算 七, 八, 九, 十二 |
//! | `disclosure.department` | one department on every table | 预算, 决算 |
//! | `disclosure.year` | no table of a year other than the evaluation year and the one before | 预算, 决算 |
//! | `sum.hierarchy` | 合计 = Σ 类, 类 = Σ 款, 款 = Σ 项 | any coded table |
//! | `sum.columns` | column identities (本年支出合计 = 基本 + 项目 …) | 01–06, 预算 一–六 |
//! | `sum.balance` | balancing totals (收入总计 = 支出总计, 年初结转 + 收入 = 支出 + 年末结转) | 01, 04, 预算 一, 四 |
//! | `sum.fund_balance` | 04 per fund: 本年收入 + 年初结转 = 本年支出 + 年末结转; 年初结转和结余 = Σ its fund lines | 04 |
//! | `sum.three_public` | 合计 = 出国 + 公务用车 + 接待; 公务用车 = 购置 + 运维 | 09, 预算 七 |
//! | `sum.basic_detail` | 人员经费合计 = Σ 301, 303; 公用经费合计 = Σ 302, 307, 310, 312, 399 | 06 |
//! | `code.structure` | a 项 without its 款, a 款 without its 类, prefixes that disagree | coded tables |
//! | `code.duplicate` | the same code twice; when re-reading it (a 款 printed in the 项 column, or a repeated row) closes the `sum.hierarchy` failures above it, they are folded into this one 错误 and named in its message | coded tables |
//! | `cross.final_01_02_03` | 01 收入/支出 = 02 / 03 | 01, 02, 03 |
//! | `cross.final_02_03` (提示) | with nothing carried over (01 年初/年末 empty), 02 本年收入 = 03 本年支出 per 项 code | 01, 02, 03 |
//! | `cross.final_02_04` | 02 财政拨款收入 = 04 本年收入 | 02, 04 |
//! | `cross.final_04_05` | 04 一般公共预算 = 05 | 04, 05 |
//! | `cross.final_05_03` | 05 ⊆ 03 per code, 05 ≤ 03 | 05, 03 |
//! | `cross.final_05_06` | 05 基本支出 = 06 人员 + 公用 | 05, 06 |
//! | `cross.final_07_08_04` | 07 / 08 = 04's fund columns | 04, 07, 08 |
//! | `cross.final_09_06` | 06 lines ≤ 09 (09 above 06: 提示) | 09, 06 |
//! | `cross.final_class_lines` | 类 lines agree across tables | 01–05 |
//! | `cross.budget` | 一 ↔ 二/三, 五 ↔ 三/六, 十 一般公共预算 ↔ 六, 十 合计 ↔ 三 基本支出, 十一 ↔ 三 项目支出, 七 接待 ≥ 六 30217 | 预算 一–十一 |
//! | `cross.budget_class_lines` | 类 lines agree across budget tables | 预算 一, 三, 四, 五 |
//! | `cross.budget_04` | 四 本年收入合计 = 二 财政拨款 小计; 四's 政府性基金 / 国有资本经营 支出 = 八 / 九 合计 | 预算 二, 四, 八, 九 |
//! | `cross.budget_05_03` | 五 ⊆ 三 per code, 五 ≤ 三 (提示 when 三 repeats a code: a misprint already reported) | 预算 三, 五 |
//! | `cross.running_costs` (提示) | 事实 机关运行经费 = 06 公用经费合计 (an administrative unit) | 06, 评价底稿 |
//! | `cross.budget_final` (提示) | the year's 三公 预算数 in 09 = 预算 七 (an adjusted budget may differ) | 09, 预算 七 |
//! | `cross.budget_final_rate` (提示) | 预决算差异率 (决算数 − 年初预算数) / 年初预算数 per 类 and 合计, in 合计 / 基本支出 / 项目支出, beyond ±20 %; no 年初预算: 年初无预算, no rate; 05 ↔ 五 only where it differs from 03 ↔ 三 | 03 ↔ 预算 三, 05 ↔ 五, 07 ↔ 八, 08 ↔ 九 |
//! | `cross.adjusted_budget` (提示) | a 决算 table's 全年预算数 columns = the 预算 of the same year per code (合计 and leaf codes): a difference states the 预算调整 (or 年中追加 without 年初预算) | 03, 05, 07, 08 with 全年预算数 ↔ 预算 三, 五, 八, 九 |
//! | `cross.projects` (提示) | 表十一 ↔ 项目绩效目标表 ↔ 项目支出绩效自评表 | 十一, 目标表, 自评表 |
//! | `cross.target_money` (提示) | a 成本指标 target above the project's budget | 目标表, 十一 |
//! | `recheck.*` (提示) | 自评复核 of each 项目支出绩效自评表 under the system's policy (form's rule / strict): formula, unmet_full_marks, actual_sign, actual_unit, actual_empty, cost_target, target_text, weights, total, grade, no_budget | 项目自评表 |
//! | `recheck.summary_*` (提示) | the 自评结果汇总表 against each form: total, grade, missing (a project without its form) | 汇总表, 项目自评表 |
//! | `recheck.dept_*` | 部门整体支出绩效自评表: weights, total, score, rate | 部门自评表 |
//! | `disclosure.targets_column` (提示) | a 目标表 column whose header stands apart from its group, empty in every row, while the column after that group holds values (来源 vs 备注): 附件4 reprints it as supplied | 整体战略目标表, 整体绩效目标表 |
//! | `paper.placeholder` (提示) | a name on 项目信息 (委托方, 评价机构, 主评人, 负责人, 成员, 审核 …) or 评价人员 that looks like a placeholder (示例, 某某, 某会计师事务所, XXX, 测试, 张三) | 评价底稿 |
//! | `paper.typed_figure` (提示) | an amount or rate in a 文字 / 发现 text, named by the figure right before it (年初预算, 全年预算数, 决算支出, 调减预算, 预算执行率, 预决算差异率, 调整比例, 三公 items, 培训费, 会议费, 基本 / 项目支出, a project), that agrees with no value of the case beyond the text's rounding | 评价底稿, the tables, 自评表 |
//! | `paper.typed_unverified` (提示) | per text, the amounts named by no figure that no table, form or paper sheet holds (zeros, limits and sums of the amounts before them left out) | 评价底稿 |
//! | `paper.near_text` (提示) | a 文字 a template asks for, typed under a near name (full- or half-width punctuation, spaces, a missing colon): printed, and both names told | 评价底稿, the templates |
//! | `paper.voice` (提示) | a kind with `voice = "self"`: a text in a third party's voice (我公司, 评价组认为, 自评报告称, 经复核, 复核发现, 委托方 …) | 评价底稿 |

mod completeness;
mod cross;
mod placeholders;
pub mod recheck;
mod reprint;
mod sums;
mod typed;

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::value::fmt_amount;
use crate::model::{Case, Place, Provenance, Severity, Table, TableKind};

pub use cross::RATE_THRESHOLD_PERCENT;
pub use recheck::{Defect, DefectKind, DeptRecheck, ExecutionRecheck, IndicatorRecheck, ProjectRecheck};

/// One thing that does not hold.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// Stable rule id (`sum.columns`, `cross.final_05_06`, `recheck.formula`, …).
    pub rule: &'static str,
    /// The workbook the finding is grouped under.
    pub workbook: String,
    /// Plain Chinese, with both numbers and the difference.
    pub message: String,
    /// The cells involved.
    pub cells: Vec<Provenance>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub expected: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub actual: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub difference: Option<Decimal>,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.severity.label(), self.message)?;
        if let Some(place) = self.place() {
            write!(f, "（{}）", place.within())?;
        }
        Ok(())
    }
}

impl Finding {
    /// The cells involved, on the file and sheet of the first (`None` when it names none).
    pub fn place(&self) -> Option<Place> {
        Place::cells(&self.cells)
    }
}

/// Everything the check stage found, handed on to scoring and rendering.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckReport {
    pub findings: Vec<Finding>,
    /// The re-check of every 项目支出绩效自评表 (表3-3 uses it).
    pub rechecks: Vec<ProjectRecheck>,
    /// The re-check of the 部门整体支出绩效自评表.
    pub dept_rechecks: Vec<DeptRecheck>,
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|f| f.severity == Severity::Error).count()
    }

    pub fn notes(&self) -> usize {
        self.findings.len() - self.errors()
    }

    /// Findings grouped by workbook, in the order the workbooks were read.
    pub fn by_workbook(&self) -> Vec<(&str, Vec<&Finding>)> {
        let mut out: Vec<(&str, Vec<&Finding>)> = Vec::new();
        for f in &self.findings {
            match out.iter_mut().find(|(w, _)| *w == f.workbook) {
                Some((_, v)) => v.push(f),
                None => out.push((&f.workbook, vec![f])),
            }
        }
        out
    }
}

/// `paper.near_text`: each 文字 a template asks for that the paper holds
/// under a near name ([`crate::missing::Missing::near`]), both names told.
pub fn near_texts(case: &Case, missing: &crate::missing::Missing) -> Vec<Finding> {
    let Some(paper) = case.working_paper.as_ref() else { return Vec::new() };
    missing
        .near
        .iter()
        .map(|n| Finding {
            severity: Severity::Note,
            rule: "paper.near_text",
            workbook: paper.file.clone(),
            message: format!(
                "模板 {} 要的文字“{}”，{} › 文字 里写作“{}”：已按它印出。如不是同一段，请补上“{}”；是同一段，可把名称改为“{}”。",
                n.part, n.asked, paper.file, n.typed, n.asked, n.asked
            ),
            cells: n.at.iter().cloned().collect(),
            expected: None,
            actual: None,
            difference: None,
        })
        .collect()
}

/// Run every rule on the case, its setup resolved with the default options
/// (a convenience for one-off use; the pipeline resolves the setup once and
/// calls [`check_with`]).
pub fn check(case: &Case) -> CheckReport {
    check_with(case, &crate::setup::Setup::of(case))
}

/// Run every rule on the case, as its `setup` says (the re-check policy of its 自评表).
pub fn check_with(case: &Case, setup: &crate::setup::Setup) -> CheckReport {
    let mut ctx = Ctx::new(case, setup.recheck_policy);
    completeness::run(&mut ctx);
    completeness::same_unit_and_year(&mut ctx);
    completeness::empty_tables_say_why(&mut ctx);
    sums::run(&mut ctx);
    cross::run(&mut ctx);
    let (rechecks, dept_rechecks) = recheck::run(&mut ctx);
    let kind = &setup.report_kind;
    reprint::run(&mut ctx, kind.annexes.iter().any(|a| a == "附件4"));
    placeholders::run(&mut ctx);
    typed::run(&mut ctx, kind.voice);
    // Files in reading order, then rule order within a file.
    let order: Vec<&str> = case.files.iter().map(|f| f.name.as_str()).collect();
    let mut findings = ctx.findings;
    findings.sort_by_key(|f| order.iter().position(|n| *n == f.workbook).unwrap_or(usize::MAX));
    CheckReport { findings, rechecks, dept_rechecks }
}

/// A number in a comparison: its label, value and cell.
#[derive(Debug, Clone)]
pub(crate) struct Term {
    pub label: String,
    pub value: Decimal,
    pub at: Option<Provenance>,
}

impl Term {
    pub fn new(label: impl Into<String>, value: Decimal, at: Option<Provenance>) -> Term {
        Term { label: label.into(), value, at }
    }
}

/// The parts a sum's finding prints: empty cells neither print nor count
/// towards the rounding tolerance (the first stands for them all when
/// every one is empty).
pub(crate) fn shown_parts(parts: &[Term]) -> Vec<Term> {
    let written: Vec<&Term> = parts.iter().filter(|p| !p.value.is_zero()).collect();
    if written.is_empty() {
        parts.iter().take(1).cloned().collect()
    } else {
        written.into_iter().cloned().collect()
    }
}

/// Rule context: the case, how its 自评表 are re-checked, the findings so far, the skips already noted.
pub(crate) struct Ctx<'a> {
    pub case: &'a Case,
    pub policy: crate::system::Policy,
    pub findings: Vec<Finding>,
    skipped: BTreeSet<(&'static str, String)>,
}

impl<'a> Ctx<'a> {
    fn new(case: &'a Case, policy: crate::system::Policy) -> Ctx<'a> {
        Ctx { case, policy, findings: Vec::new(), skipped: BTreeSet::new() }
    }

    /// The years any 决算 (`final_`) or 预算 table reports on.
    pub fn years(&self, final_accounts: bool) -> Vec<i32> {
        let mut ys: Vec<i32> = self
            .case
            .tables
            .iter()
            .filter(|t| if final_accounts { t.kind.is_final() } else { t.kind.is_budget() })
            .filter_map(|t| t.year)
            .collect();
        ys.sort();
        ys.dedup();
        if ys.is_empty()
            && self
                .case
                .tables
                .iter()
                .any(|t| t.year.is_none() && (if final_accounts { t.kind.is_final() } else { t.kind.is_budget() }))
        {
            ys.push(0);
        }
        ys
    }

    /// The table of a kind for a year (0 = unknown year), noting a skip when
    /// the rule needs it and it is missing — but only when the family of
    /// tables is there at all (no 决算 workbook, no notes about 决算 rules).
    pub fn need(&mut self, rule: &'static str, what: &str, kind: TableKind, year: i32) -> Option<&'a Table> {
        let t = self.case.table(kind, (year != 0).then_some(year));
        if t.is_none() {
            let key = format!("{}{}", if year != 0 { format!("{year}年") } else { String::new() }, kind.name());
            if self.skipped.insert((rule, key.clone())) {
                let workbook = self
                    .case
                    .tables
                    .iter()
                    .find(|t| t.kind.is_final() == kind.is_final() && (year == 0 || t.year == Some(year)))
                    .and_then(|t| t.location.first())
                    .map(|l| l.file.clone())
                    .unwrap_or_default();
                self.findings.push(Finding {
                    severity: Severity::Note,
                    rule,
                    workbook,
                    message: format!("未找到{key}，已跳过“{what}”的核对。"),
                    cells: Vec::new(),
                    expected: None,
                    actual: None,
                    difference: None,
                });
            }
        }
        t
    }

    /// `lhs` = Σ `parts`. Within 0.01 × parts a 提示, beyond it an 错误.
    /// `context` starts the message (`支出决算表 合计`).
    pub fn sum(&mut self, rule: &'static str, workbook: &str, context: &str, lhs: Term, parts: Vec<Term>) {
        let total: Decimal = parts.iter().map(|p| p.value).sum();
        let diff = lhs.value - total;
        if diff.is_zero() {
            return;
        }
        let parts = shown_parts(&parts);
        let tolerance = Decimal::new(1, 2) * Decimal::from(parts.len().max(1) as u64);
        let severity = if diff.abs() <= tolerance { Severity::Note } else { Severity::Error };
        let rhs = if parts.len() == 1 {
            format!("{} {}", parts[0].label, fmt_amount(parts[0].value))
        } else {
            let each: Vec<String> = parts.iter().map(|p| format!("{} {}", p.label, fmt_amount(p.value))).collect();
            format!("{} = {}", each.join(" + "), fmt_amount(total))
        };
        let why = if severity == Severity::Note { "，尾数误差" } else { "" };
        let message =
            format!("{context} {} {} ≠ {rhs}（差 {}{why}）", lhs.label, fmt_amount(lhs.value), fmt_amount(diff.abs()));
        let mut cells: Vec<Provenance> = lhs.at.iter().cloned().collect();
        cells.extend(parts.iter().filter_map(|p| p.at.clone()));
        self.findings.push(Finding {
            severity,
            rule,
            workbook: workbook.to_string(),
            message: message.split_whitespace().collect::<Vec<_>>().join(" "),
            cells,
            expected: Some(total),
            actual: Some(lhs.value),
            difference: Some(diff),
        });
    }

    /// A finding without a sum.
    pub fn report(
        &mut self,
        severity: Severity,
        rule: &'static str,
        workbook: &str,
        message: String,
        cells: Vec<Provenance>,
    ) {
        self.findings.push(Finding {
            severity,
            rule,
            workbook: workbook.to_string(),
            message,
            cells,
            expected: None,
            actual: None,
            difference: None,
        });
    }
}

/// The workbook a table was read from.
pub(crate) fn workbook_of(t: &Table) -> String {
    t.location.first().map(|l| l.file.clone()).unwrap_or_default()
}

/// Short table name for messages: the title without the 公开NN表 suffix.
pub(crate) fn short_name(t: &Table) -> String {
    let n = t.kind.name();
    n.split('（').next().unwrap_or(n).to_string()
}
