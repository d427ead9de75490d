//! The budget and final-account figures ([`Budget`]): the headline
//! figures and their rates, the 收入 lines and the 总览表's lines, each
//! read or computed through [`crate::model::figures`].

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::model::figures::{self, Figure};
use crate::model::{Case, TableKind};
use crate::score::Scored;

/// Budget and final-account figures, 万元, each with its source (None where
/// the tables lack them). Rates in %.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Budget {
    /// 年初预算数 (预算 表三 合计).
    pub initial: Option<Figure>,
    pub initial_basic: Option<Figure>,
    pub initial_personnel: Option<Figure>,
    pub initial_public: Option<Figure>,
    pub initial_project: Option<Figure>,
    /// 全年预算数.
    pub full_year: Option<Figure>,
    /// 决算支出 (公开03表 合计).
    pub final_total: Option<Figure>,
    pub final_basic: Option<Figure>,
    pub final_personnel: Option<Figure>,
    pub final_public: Option<Figure>,
    pub final_project: Option<Figure>,
    /// 预算执行率 % (决算 / 全年预算).
    pub execution_rate: Option<Figure>,
    /// 预决算差异率 % ((决算 − 年初) / 年初), signed.
    pub difference_rate: Option<Figure>,
    /// "三公"经费, 培训费, 会议费: budget and final of the year, final of last year.
    pub three_public_budget: Option<Figure>,
    pub three_public_final: Option<Figure>,
    pub reception_budget: Option<Figure>,
    pub reception_final: Option<Figure>,
    pub training_budget: Option<Figure>,
    pub training_final: Option<Figure>,
    pub meeting_budget: Option<Figure>,
    pub meeting_final: Option<Figure>,
    pub last_training_final: Option<Figure>,
    pub last_reception_final: Option<Figure>,
    /// 决算 本年收入合计 (公开02表 合计).
    pub final_income: Option<Figure>,
    pub abroad_budget: Option<Figure>,
    pub abroad_final: Option<Figure>,
    pub vehicle_budget: Option<Figure>,
    pub vehicle_final: Option<Figure>,
    /// 收入 by source: 预算 表一 and 决算 公开01表 (一般公共预算, 政府性基金, 国有资本经营).
    pub income: Vec<IncomeLine>,
    /// The 总览表's lines: 财政资金, 其他资金 (by source), 基本支出, 项目支出 (by type).
    #[serde(default)]
    pub lines: Vec<BudgetLine>,
}

/// One line of the 总览表's 部门预算执行情况: 年初预算数, 全年预算数, 预算执行数, 预算执行率.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetLine {
    /// `财政资金`, `其他资金`, `基本支出`, `项目支出`.
    pub label: String,
    pub initial: Option<Figure>,
    pub full_year: Option<Figure>,
    pub spent: Option<Figure>,
    /// 预算执行率 % (预算执行数 / 全年预算数); none for a zero 全年预算数.
    pub execution_rate: Option<Figure>,
}

/// A 收入 line of the budget and of the final accounts, with its 差异率.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncomeLine {
    pub label: String,
    pub budget: Option<Figure>,
    pub final_amount: Option<Figure>,
    pub difference_rate: Option<Decimal>,
}

/// A number the working paper states as a 事实 (`全年预算数（基本支出）`).
pub(super) fn paper_figure(case: &Case, name: &str) -> Option<Figure> {
    let f = case.working_paper.as_ref()?.fact(name)?;
    f.number().map(|d| Figure::new(d, f.at.to_string()))
}

/// `a − b`, computed, when both are known.
fn minus(a: &Option<Figure>, b: &Option<Figure>, what: &str) -> Option<Figure> {
    match (a, b) {
        (Some(a), Some(b)) => Some(Figure::computed(a.value - b.value, format!("{what}：{} − {}", a.value, b.value))),
        _ => None,
    }
}

/// The 总览表's lines by source and by type. Sources, each the first known:
/// * 财政资金 — 年初: 预算 表一 财政拨款 income lines (一般公共预算 + 政府性基金 +
///   国有资本经营); 全年 and 执行: the 事实 `全年预算数（财政资金）` /
///   `预算执行数（财政资金）`, else the 部门整体支出绩效自评表's 其中：财政资金.
/// * 其他资金 — the 事实 / the 自评表's 其他, else the total less 财政资金.
/// * 基本支出, 项目支出 — 年初: 预算 表三; 全年: the 事实
///   `全年预算数（基本支出）` / `全年预算数（项目支出）` (no table gives the
///   adjusted budget by type); 执行: 决算 公开03表.
fn budget_lines(
    case: &Case,
    y: Option<i32>,
    initial: &Option<Figure>,
    full_year: &Option<Figure>,
    final_total: &Option<Figure>,
    income: &[IncomeLine],
) -> Vec<BudgetLine> {
    use figures::total_of;
    use TableKind::*;
    let form = case.dept_self_evals.iter().find(|d| d.year.is_none() || d.year == y);
    let form_figure = |v: Option<&crate::model::value::Value>| {
        v.and_then(|v| v.value.number().map(|n| Figure::new(n, v.at.to_string())))
    };
    let budgeted: Vec<&Figure> = income.iter().filter_map(|l| l.budget.as_ref()).collect();
    let initial_fiscal = (!budgeted.is_empty()).then(|| {
        let sum: Decimal = budgeted.iter().map(|f| f.value).sum();
        Figure::computed(sum, "预算 表一 财政拨款收入（一般公共预算、政府性基金、国有资本经营）之和")
    });
    let full_fiscal = paper_figure(case, "全年预算数（财政资金）")
        .or_else(|| form_figure(form.and_then(|f| f.budget_fiscal.as_ref())));
    let spent_fiscal = paper_figure(case, "预算执行数（财政资金）")
        .or_else(|| form_figure(form.and_then(|f| f.spent_fiscal.as_ref())));
    let full_other = paper_figure(case, "全年预算数（其他资金）")
        .or_else(|| form_figure(form.and_then(|f| f.budget_other.as_ref())))
        .or_else(|| minus(full_year, &full_fiscal, "全年预算数 − 财政资金"));
    let spent_other = paper_figure(case, "预算执行数（其他资金）")
        .or_else(|| form_figure(form.and_then(|f| f.spent_other.as_ref())))
        .or_else(|| minus(final_total, &spent_fiscal, "决算支出 − 财政资金"));
    let line = |label: &str, initial: Option<Figure>, full_year: Option<Figure>, spent: Option<Figure>| {
        let execution_rate = match (&spent, &full_year) {
            (Some(s), Some(b)) => figures::share_rate(s.value, b.value)
                .map(|r| Figure::computed(r, format!("预算执行数 {} / 全年预算数 {} × 100%", s.value, b.value))),
            _ => None,
        };
        BudgetLine { label: label.into(), initial, full_year, spent, execution_rate }
    };
    vec![
        line("财政资金", initial_fiscal.clone(), full_fiscal, spent_fiscal),
        line("其他资金", minus(initial, &initial_fiscal, "年初预算数 − 财政资金"), full_other, spent_other),
        line(
            "基本支出",
            total_of(case, Budget03, y, &["基本支出"]),
            paper_figure(case, "全年预算数（基本支出）"),
            total_of(case, Final03, y, &["基本支出"]),
        ),
        line(
            "项目支出",
            total_of(case, Budget03, y, &["项目支出"]),
            paper_figure(case, "全年预算数（项目支出）"),
            total_of(case, Final03, y, &["项目支出"]),
        ),
    ]
}

pub(super) fn budget(case: &Case, scored: &Scored) -> Budget {
    use figures::{code_line, income_line, labelled_line, three_public, total_of};
    use TableKind::*;
    let y = scored.year;
    let last = y.map(|y| y - 1);
    let this = y.map(|y| y.to_string()).unwrap_or_default();
    let initial = figures::initial_budget(case, y);
    let final_total = figures::final_spending(case, y);
    let full_year = figures::full_year_budget(case);
    let execution_rate = match (&final_total, &full_year) {
        (Some(f), Some(b)) => figures::share_rate(f.value, b.value)
            .map(|r| Figure::computed(r, format!("决算支出 {} / 全年预算数 {} × 100%", f.value, b.value))),
        _ => None,
    };
    let difference_rate = match (&final_total, &initial) {
        (Some(f), Some(i)) => figures::difference_rate(f.value, i.value).map(|r| {
            Figure::computed(r, format!("(决算支出 {} − 年初预算数 {}) / 年初预算数 × 100%", f.value, i.value))
        }),
        _ => None,
    };
    let income: Vec<IncomeLine> = [
        ("一般公共预算收入", "一般公共预算"),
        ("政府性基金预算收入", "政府性基金"),
        ("国有资本经营预算收入", "国有资本经营"),
    ]
    .into_iter()
    .map(|(label, key)| {
        let budget = income_line(case, Budget01, y, key).filter(|f| !f.value.is_zero());
        let final_amount = income_line(case, Final01, y, key).filter(|f| !f.value.is_zero());
        let difference_rate = match (&budget, &final_amount) {
            (Some(b), Some(f)) => figures::difference_rate(f.value, b.value),
            _ => None,
        };
        IncomeLine { label: label.into(), budget, final_amount, difference_rate }
    })
    .collect();
    let lines = budget_lines(case, y, &initial, &full_year, &final_total, &income);
    Budget {
        initial,
        initial_basic: total_of(case, Budget03, y, &["基本支出"]),
        initial_personnel: total_of(case, Budget05, y, &["人员支出"]),
        initial_public: total_of(case, Budget05, y, &["日常公用支出"]),
        initial_project: total_of(case, Budget03, y, &["项目支出"]),
        full_year,
        final_total,
        final_basic: total_of(case, Final03, y, &["基本支出"]),
        final_personnel: labelled_line(case, Final06, y, "人员经费合计"),
        final_public: labelled_line(case, Final06, y, "公用经费合计"),
        final_project: total_of(case, Final03, y, &["项目支出"]),
        execution_rate,
        difference_rate,
        three_public_budget: three_public(case, Budget07, y, &this, "合计"),
        three_public_final: three_public(case, Final09, y, "决算", "合计"),
        reception_budget: three_public(case, Budget07, y, &this, "公务接待"),
        reception_final: three_public(case, Final09, y, "决算", "公务接待"),
        training_budget: code_line(case, Budget06, y, "30216"),
        training_final: code_line(case, Final06, y, "30216"),
        meeting_budget: code_line(case, Budget06, y, "30215"),
        meeting_final: code_line(case, Final06, y, "30215"),
        last_training_final: code_line(case, Final06, last, "30216"),
        last_reception_final: three_public(case, Final09, last, "决算", "公务接待"),
        final_income: total_of(case, Final02, y, &["本年收入合计"]),
        abroad_budget: three_public(case, Budget07, y, &this, "出国"),
        abroad_final: three_public(case, Final09, y, "决算", "出国"),
        vehicle_budget: three_public(case, Budget07, y, &this, "小计"),
        vehicle_final: three_public(case, Final09, y, "决算", "小计"),
        income,
        lines,
    }
}
