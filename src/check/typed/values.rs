//! The case's values for a named figure ([`candidates`], read through
//! `model::figures` and the 自评表) and every amount the case holds
//! anywhere ([`Pool`]), for the amounts a text states without a name.

use rust_decimal::Decimal;

use super::names::{Key, Stage, Subject};
use crate::model::figures::{self, code_line, difference_rate, share_rate, three_public, total_of, Figure};
use crate::model::target::TargetKind;
use crate::model::working_paper::PaperCell;
use crate::model::{Case, CellValue, TableKind, Value};

/// A value of the case a typed number is compared with.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    /// The figure, as a message names it (`年初预算数`, `医疗救助资金 全年预算数`).
    pub what: String,
    pub value: Decimal,
    /// Where it is (`file › sheet › cell`) or how it is computed.
    pub source: String,
    /// A project's value, not the department's.
    pub project: bool,
}

fn candidate(what: impl Into<String>, f: Figure) -> Candidate {
    Candidate { what: what.into(), value: f.value, source: f.source, project: false }
}

/// A 自评表 project's 年初预算数, 全年预算数 and 执行数 (its 年度资金总额 line).
struct ProgramFunds {
    name: String,
    initial: Option<Figure>,
    full_year: Option<Figure>,
    spent: Option<Figure>,
}

fn figure(v: &Option<Value>) -> Option<Figure> {
    v.as_ref().and_then(|v| v.value.number().map(|n| Figure::new(n, v.at.to_string())))
}

/// The case's figures for one year.
pub(crate) struct CaseValues<'a> {
    case: &'a Case,
    year: Option<i32>,
    /// The project names, as [`crate::model::project_key`] gives them (the matcher's `Program` indices).
    pub programs: Vec<String>,
    funds: Vec<ProgramFunds>,
}

impl<'a> CaseValues<'a> {
    pub fn new(case: &'a Case, year: Option<i32>) -> CaseValues<'a> {
        let funds: Vec<ProgramFunds> = case
            .project_self_evals
            .iter()
            .filter(|e| e.year.is_none() || e.year == year)
            .filter_map(|e| {
                let line = e.funds.first()?;
                Some(ProgramFunds {
                    name: e.project.clone(),
                    initial: figure(&line.initial_budget),
                    full_year: figure(&line.budget),
                    spent: figure(&line.spent),
                })
            })
            .collect();
        let programs = funds.iter().map(|f| crate::model::project_key(&f.name)).collect();
        CaseValues { case, year, programs, funds }
    }

    /// The values `key` may have in `year` (the evaluation year when None):
    /// the department's first, then each project's (a text may speak of
    /// either); a `Program` key gives its project's only.
    pub fn candidates(&self, key: Key, year: Option<i32>) -> Vec<Candidate> {
        let y = year.or(self.year);
        let this_year = y == self.year;
        let subject = match key {
            Key::Amount(s, _)
            | Key::Adjustment(s)
            | Key::Execution(s)
            | Key::Difference(s)
            | Key::AdjustmentRate(s) => s,
        };
        let mut out: Vec<Candidate> = match subject {
            Subject::Department => self.department(key, y, this_year),
            Subject::Program(_) => Vec::new(),
            s => self.part(s, key, y, this_year).into_iter().collect(),
        };
        if matches!(subject, Subject::Department | Subject::Program(_)) && this_year {
            for (i, p) in self.funds.iter().enumerate() {
                if subject == Subject::Department || subject == Subject::Program(i) {
                    out.extend(
                        derived(key, &p.name, p.initial.clone(), p.full_year.clone(), p.spent.clone())
                            .map(|c| Candidate { project: true, ..c }),
                    );
                }
            }
            if let (Key::Amount(_, Stage::Initial), Some((_, rows))) = (key, figures::budget_projects(self.case, y)) {
                for r in rows {
                    let wanted = match subject {
                        Subject::Program(i) => crate::model::project_key(&r.row.label) == self.programs[i],
                        _ => true,
                    };
                    if wanted {
                        out.push(Candidate {
                            what: format!("{} 年初预算数", r.row.label),
                            value: r.amount,
                            source: r.row.at.to_string(),
                            project: true,
                        });
                    }
                }
            }
        }
        out
    }

    /// Does the case hold any 预算 or 决算 table?
    pub fn has_tables(&self) -> bool {
        self.case.tables.iter().any(|t| t.kind.is_final() || t.kind.is_budget())
    }

    fn department(&self, key: Key, y: Option<i32>, this_year: bool) -> Vec<Candidate> {
        let case = self.case;
        let initial = figures::initial_budget(case, y);
        let full_year = if this_year { figures::full_year_budget(case) } else { None };
        let dept_eval = || case.dept_self_evals.iter().find(|d| d.year.is_none() || d.year == y);
        let spent = figures::final_spending(case, y).or_else(|| dept_eval().and_then(|d| figure(&d.spent)));
        derived(key, "", initial, full_year, spent).into_iter().collect()
    }

    /// A part of the department's spending: 基本支出, 项目支出, 三公 and its items, 培训费, 会议费.
    fn part(&self, subject: Subject, key: Key, y: Option<i32>, this_year: bool) -> Option<Candidate> {
        let Key::Amount(_, stage) = key else { return None };
        let case = self.case;
        let budget = stage != Stage::Final;
        let paper = |name: &str| {
            let f = case.working_paper.as_ref()?.fact(name)?;
            Some(Figure::new(f.number()?, f.at.to_string()))
        };
        let (what, f) = match (subject, stage) {
            (Subject::Basic | Subject::Projects, _) => {
                let column = if subject == Subject::Basic { "基本支出" } else { "项目支出" };
                let f = match stage {
                    Stage::Initial => total_of(case, TableKind::Budget03, y, &[column]),
                    Stage::FullYear => this_year.then(|| paper(&format!("全年预算数（{column}）"))).flatten(),
                    Stage::Final => total_of(case, TableKind::Final03, y, &[column]),
                };
                (format!("{column}{}", stage_name(stage)), f)
            }
            (Subject::Training | Subject::Meeting, _) => {
                let (name, code) =
                    if subject == Subject::Training { ("培训费", "30216") } else { ("会议费", "30215") };
                let kind = if budget { TableKind::Budget06 } else { TableKind::Final06 };
                (format!("{name}{}", if budget { "预算数" } else { "决算数" }), code_line(case, kind, y, code))
            }
            _ => {
                let (name, column) = match subject {
                    Subject::Abroad => ("因公出国（境）费", "出国"),
                    Subject::Vehicle => ("公务用车购置及运行维护费", "小计"),
                    Subject::Reception => ("公务接待费", "公务接待"),
                    _ => ("“三公”经费", "合计"),
                };
                let f = three_public(case, TableKind::Final09, y, if budget { "预算" } else { "决算" }, column)
                    .or_else(|| {
                        let group = y.map(|y| y.to_string()).unwrap_or_default();
                        budget.then(|| three_public(case, TableKind::Budget07, y, &group, column)).flatten()
                    });
                (format!("{name}{}", if budget { "预算数" } else { "决算数" }), f)
            }
        };
        Some(candidate(what, f?))
    }
}

fn stage_name(stage: Stage) -> &'static str {
    match stage {
        Stage::Initial => "年初预算数",
        Stage::FullYear => "全年预算数",
        Stage::Final => "决算数",
    }
}

/// `key` from a budget's three figures (`owner` names a project; empty: the department).
fn derived(
    key: Key,
    owner: &str,
    initial: Option<Figure>,
    full: Option<Figure>,
    spent: Option<Figure>,
) -> Option<Candidate> {
    let of = |what: &str| if owner.is_empty() { what.to_string() } else { format!("{owner} {what}") };
    let pair = |a: &Option<Figure>, b: &Option<Figure>| Some((a.clone()?, b.clone()?));
    let spent_name = if owner.is_empty() { "决算支出" } else { "全年执行数" };
    match key {
        Key::Amount(_, Stage::Initial) => Some(candidate(of("年初预算数"), initial?)),
        Key::Amount(_, Stage::FullYear) => Some(candidate(of("全年预算数"), full?)),
        Key::Amount(_, Stage::Final) => Some(candidate(of(spent_name), spent?)),
        Key::Adjustment(_) => {
            let (i, f) = pair(&initial, &full)?;
            let source = if f.value < i.value {
                format!("年初预算数 {} − 全年预算数 {}，调减", amount(i.value), amount(f.value))
            } else {
                format!("全年预算数 {} − 年初预算数 {}，调增", amount(f.value), amount(i.value))
            };
            Some(Candidate { what: of("预算调整额"), value: (f.value - i.value).abs(), source, project: false })
        }
        Key::Execution(_) => {
            let (f, s) = pair(&full, &spent)?;
            let source = format!("{spent_name} {} ÷ 全年预算数 {}", amount(s.value), amount(f.value));
            Some(Candidate {
                what: of("预算执行率"), value: share_rate(s.value, f.value)?, source, project: false
            })
        }
        Key::Difference(_) => {
            let (i, s) = pair(&initial, &spent)?;
            let source = format!("({spent_name} {} − 年初预算数 {}) ÷ 年初预算数", amount(s.value), amount(i.value));
            Some(Candidate {
                what: of("预决算差异率"),
                value: difference_rate(s.value, i.value)?,
                source,
                project: false,
            })
        }
        Key::AdjustmentRate(_) => {
            let (i, f) = pair(&initial, &full)?;
            let source = format!("(全年预算数 {} − 年初预算数 {}) ÷ 年初预算数", amount(f.value), amount(i.value));
            Some(Candidate {
                what: of("预算调整率"),
                value: difference_rate(f.value, i.value)?,
                source,
                project: false,
            })
        }
    }
}

/// `12,847.65 万元`.
pub(crate) fn amount(d: Decimal) -> String {
    format!("{} 万元", crate::model::value::fmt_amount(d))
}

/// Every amount the case holds, in 万元, sorted: the tables' numbers, the
/// 自评表 and 目标表 amounts, the paper's 事实, data tables, 单位数据,
/// 转移支付 and 抽查项目 (and the sum of each purpose's budgets).
pub(crate) struct Pool(Vec<Decimal>);

impl Pool {
    pub fn of(case: &Case) -> Pool {
        let mut v: Vec<Decimal> = Vec::new();
        for t in &case.tables {
            let factor = unit_factor(t.unit.as_deref().unwrap_or("万元")).unwrap_or(Decimal::ONE);
            for r in t.blocks.iter().flat_map(|b| b.rows.iter()) {
                v.extend(r.values.iter().filter_map(|x| match x.value {
                    CellValue::Number(d) => Some(d * factor),
                    _ => None,
                }));
            }
        }
        let number = |x: &Option<Value>| x.as_ref().and_then(|x| x.value.number());
        for e in &case.project_self_evals {
            v.extend(e.funds.iter().flat_map(|f| [&f.initial_budget, &f.budget, &f.spent]).filter_map(number));
            v.extend(e.indicators.iter().flat_map(|i| [&i.target.kind, &i.actual.kind]).filter_map(money));
        }
        for d in &case.dept_self_evals {
            v.extend(
                [&d.budget, &d.budget_fiscal, &d.budget_other, &d.spent, &d.spent_fiscal, &d.spent_other]
                    .into_iter()
                    .filter_map(number),
            );
        }
        for t in &case.project_targets {
            v.extend(t.indicators.iter().filter_map(|i| money(&i.target.kind)));
        }
        if let Some(p) = &case.working_paper {
            v.extend(p.facts.iter().filter_map(|f| Some(f.number()? * unit_factor(&f.unit)?)));
            for row in p.tables.iter().flat_map(|t| t.rows.iter()) {
                v.extend(row.values.iter().filter_map(|c| match c {
                    PaperCell::Number(d, _) => Some(*d),
                    _ => None,
                }));
            }
            v.extend(p.units.iter().flat_map(|u| u.values.iter().filter_map(|(_, x)| *x)));
            for t in &p.transfers {
                v.extend(t.allocated.iter().chain(t.spent.iter()).copied());
                v.extend([t.allocated.iter().sum::<Decimal>(), t.spent.iter().sum()]);
            }
            v.extend(p.sampled.iter().filter_map(|s| s.budget));
            let mut purposes: Vec<&str> = p.sampled.iter().map(|s| s.purpose.as_str()).collect();
            purposes.dedup();
            for purpose in purposes {
                v.push(p.sampled.iter().filter(|s| s.purpose == purpose).filter_map(|s| s.budget).sum());
            }
        }
        let mut v: Vec<Decimal> = v.into_iter().map(|d| d.abs()).collect();
        v.sort();
        v.dedup();
        Pool(v)
    }

    /// Does the case hold `value` (万元) within `tolerance`?
    pub fn holds(&self, value: Decimal, tolerance: Decimal) -> bool {
        let low = value.abs() - tolerance;
        let i = self.0.partition_point(|d| *d < low);
        self.0.get(i).is_some_and(|d| *d <= value.abs() + tolerance)
    }
}

/// An amount of a 指标值 (`5550.06万元`), in 万元.
fn money(t: &TargetKind) -> Option<Decimal> {
    match t {
        TargetKind::Quantity { value, unit, .. } => Some(*value * unit_factor(unit).filter(|_| unit.contains('元'))?),
        _ => None,
    }
}

/// A unit's factor to 万元 (none for a unit that is no money; an empty unit is taken as 万元).
fn unit_factor(unit: &str) -> Option<Decimal> {
    match unit.trim() {
        "" | "万元" => Some(Decimal::ONE),
        "元" => Some(Decimal::new(1, 4)),
        "千元" => Some(Decimal::new(1, 1)),
        "亿元" => Some(Decimal::from(10_000)),
        _ => None,
    }
}
