//! Metrics the rules score: computed from the department's tables where they
//! hold the figures, from the working paper's 事实 otherwise. Each metric
//! carries its formula with the numbers put in, for the 得失分依据.

use rust_decimal::Decimal;

use crate::check::CheckReport;
use crate::model::figures;
use crate::model::value::{fmt_input, fmt_rate, round2};
use crate::model::working_paper::FactValue;
use crate::model::{Case, Table, TableKind, WorkingPaper};

/// A computed value, with how it was computed.
#[derive(Debug, Clone)]
pub struct Metric {
    pub value: Decimal,
    /// `(0.89-0.76)/0.76×100%`; empty for a plain fact.
    pub formula: String,
    /// `%` for rates, else the unit.
    pub unit: String,
    /// Why there is no equation, said with the figures (a divisor of 0:
    /// `上年与本年均无闲置资产`); the 依据 says this and the value taken instead
    /// of `formula=value`.
    pub instead: Option<String>,
}

/// Why a metric cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetricError {
    #[error("缺少事实“{name}”：请在评价底稿的“事实”表中填写。")]
    MissingFact { name: String },
    #[error("事实“{name}”应为数字，却是“{text}”。")]
    FactNotANumber { name: String, text: String },
    /// A table the metric is computed from: `缺少{year}年的{table}，{purpose}。`
    #[error(
        "缺少{}{table}{}。",
        .year.map(|y| format!("{y}年的")).unwrap_or_default(),
        .purpose.map(|p| format!("，{p}")).unwrap_or_default()
    )]
    MissingTable { year: Option<i32>, table: &'static str, purpose: Option<&'static str> },
    /// No 评价年度 and no dated final accounts: no table can be chosen by year.
    #[error("无法确定评价年度，不能选用{table}：请在评价底稿“项目信息”中填写“评价年度”（部门报表的标题或文件名也未标明年度）。")]
    YearUnknown { table: &'static str },
    #[error("缺少全年预算数：请在评价底稿“事实”表中填写“全年预算数”（调整后预算）。")]
    MissingFullYearBudget,
    #[error("缺少问卷数据：请在评价底稿的“问卷”表中填写各题各选项的人数和权重，或把问卷统计表放入案例文件夹。")]
    MissingSurvey,
    #[error("问卷题目“{question}”的选项“{option}”没有权重：请在指标体系的 [survey] weights 中给出，或在问卷表填写权重；不计入满意度的题目请用 [survey] select 排除。")]
    SurveyNoWeight { question: String, option: String },
    #[error("问卷中没有题目或分组含“{select}”的题目（[survey] select）：请检查问卷或指标体系。")]
    SurveyNothingSelected { select: String },
    /// A divisor that is 0: `{what}为 0，无法计算{then}。`
    #[error("{what}为 0{}。", .then.map(|t| format!("，无法计算{t}")).unwrap_or_default())]
    Zero { what: String, then: Option<&'static str> },
    #[error("闲置资产变化率的分母为 0：请检查上年闲置资产和资产总额。")]
    IdleAssetsZero,
    #[error(transparent)]
    Expr(#[from] crate::system::expr::ExprError),
    #[error("指标“{name}”的公式引用了它自己（直接或间接）。")]
    Cycle { name: String },
    #[error("找不到评价项目的项目支出绩效自评表（或其中没有年度资金总额）：请在评价底稿“项目信息”中填写“评价项目”，并放入该项目的自评表。")]
    NoProject,
    #[error("评价底稿“单位数据”表中没有“{column}”列（或该列没有数据）：请每个单位一行填写。")]
    NoUnits { column: String },
    #[error("评价底稿“单位数据”表中“{unit}”的“{column}”为空：请填写，或删去这一行。")]
    UnitValueMissing { unit: String, column: String },
}

impl MetricError {
    fn zero(what: impl Into<String>, then: Option<&'static str>) -> MetricError {
        MetricError::Zero { what: what.into(), then }
    }
}

/// An option's label without its letter: `A.满意`, `A、满意`, `(A)满意` and
/// `满意` are one option, so weights match however the tally letters them.
///
/// ```
/// use jixiao::score::metrics::option_label;
/// assert_eq!(option_label("A.满意"), "满意");
/// assert_eq!(option_label("（B）一般"), "一般");
/// assert_eq!(option_label(" 满意 "), "满意");
/// assert_eq!(option_label("A"), "A");
/// ```
pub fn option_label(option: &str) -> &str {
    let s = option.trim();
    let bracketed = ['(', '（'].iter().find_map(|b| s.strip_prefix(*b)).and_then(|rest| {
        let mut cs = rest.chars();
        cs.next().filter(char::is_ascii_alphabetic)?;
        let after = cs.as_str();
        [')', '）'].iter().find_map(|b| after.strip_prefix(*b))
    });
    let lettered = || {
        let mut cs = s.chars();
        cs.next().filter(char::is_ascii_alphabetic)?;
        let after = cs.as_str();
        ['.', '．', '、', ':', '：', ')', '）', ' '].iter().find_map(|p| after.strip_prefix(*p))
    };
    match bracketed.or_else(lettered).map(str::trim) {
        Some(label) if !label.is_empty() => label,
        _ => s,
    }
}

/// A question of the 问卷 with its options (option, 人数, 权重).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SurveyQuestion {
    pub question: String,
    /// Counts towards the 满意度 (`[survey] select`).
    pub counted: bool,
    pub options: Vec<(String, Decimal, Option<Decimal>)>,
    /// 单项满意度 %, for a counted question.
    pub rate: Option<Decimal>,
}

impl SurveyQuestion {
    /// The answers it had.
    pub fn answered(&self) -> Decimal {
        self.options.iter().map(|o| o.1).sum()
    }
}

/// Everything the rules read.
pub struct Inputs<'a> {
    pub case: &'a Case,
    pub check: &'a CheckReport,
    pub paper: Option<&'a WorkingPaper>,
    /// The evaluation year.
    pub year: Option<i32>,
    /// Notes for the scorer (a 事实 disagreeing with the tables), said once each.
    pub notes: std::cell::RefCell<Vec<String>>,
    /// Metrics the system defines as formulas.
    pub formulas: &'a [crate::system::NamedMetric],
    /// The formulas being computed (a formula reading itself is an error).
    pub computing: std::cell::RefCell<Vec<String>>,
    /// How the system scores the 问卷.
    pub survey: Option<&'a crate::system::SurveySpec>,
}

pub use crate::system::needs::TABLE_METRICS;

/// A share in % (`model::figures::share_rate`, the one computation of rates).
fn pct(num: Decimal, den: Decimal) -> Option<Decimal> {
    figures::share_rate(num, den)
}

fn n(d: Decimal) -> String {
    fmt_input(d)
}

impl<'a> Inputs<'a> {
    fn table(&self, kind: TableKind, year: Option<i32>) -> Option<&Table> {
        self.case.table(kind, year)
    }

    /// A fact of the working paper.
    pub fn fact(&self, name: &str) -> Result<&FactValue, MetricError> {
        self.paper
            .and_then(|p| p.fact(name))
            .map(|f| &f.value)
            .ok_or_else(|| MetricError::MissingFact { name: name.to_string() })
    }

    pub fn fact_number(&self, name: &str) -> Result<Decimal, MetricError> {
        match self.fact(name)? {
            FactValue::Number(d) => Ok(*d),
            FactValue::Text(t) => Err(MetricError::FactNotANumber { name: name.to_string(), text: t.clone() }),
        }
    }

    /// The inputs of a case: its working paper, its evaluation year, the
    /// system's formulas.
    pub fn new(case: &'a Case, check: &'a CheckReport, formulas: &'a [crate::system::NamedMetric]) -> Inputs<'a> {
        Inputs {
            case,
            check,
            paper: case.working_paper.as_ref(),
            year: case.evaluation_year(),
            notes: Default::default(),
            formulas,
            computing: Default::default(),
            survey: None,
        }
    }

    /// With the system's 问卷 settings.
    pub fn with_survey(mut self, survey: Option<&'a crate::system::SurveySpec>) -> Inputs<'a> {
        self.survey = survey;
        self
    }

    /// (unit, value, formula with the numbers in) of every row of the
    /// 单位数据 sheet for `column` — a column, or a formula over columns
    /// (`甲数 / 乙数 × 100`, rounded to 2 decimals); a row with a column
    /// empty is an error naming the unit and the column.
    pub fn units(&self, column: &str) -> Result<Vec<(String, Decimal, Option<String>)>, MetricError> {
        let rows = self.paper.map(|p| p.units.as_slice()).unwrap_or_default();
        let formula = if crate::system::expr::is_expression(column) {
            Some(crate::system::expr::Expr::parse(column)?)
        } else {
            None
        };
        let columns = formula.as_ref().map_or_else(|| vec![column.to_string()], |e| e.names());
        if let Some(c) = columns.iter().find(|c| !self.paper.is_some_and(|p| p.has_unit_column(c))) {
            return Err(MetricError::NoUnits { column: c.clone() });
        }
        rows.iter()
            .map(|u| {
                let mut value_of = |c: &str| {
                    u.value(c)
                        .ok_or_else(|| MetricError::UnitValueMissing { unit: u.name.clone(), column: c.to_string() })
                };
                match &formula {
                    None => value_of(column).map(|v| (u.name.clone(), v, None)),
                    Some(e) => {
                        let v = e.eval(&mut value_of)?;
                        let shown = if e.is_percent() { format!("{}%", v.shown) } else { v.shown };
                        Ok((u.name.clone(), round2(v.value), Some(shown)))
                    }
                }
            })
            .collect()
    }

    pub fn fact_text(&self, name: &str) -> Result<String, MetricError> {
        Ok(match self.fact(name)? {
            FactValue::Number(d) => d.normalize().to_string(),
            FactValue::Text(t) => t.clone(),
        })
    }

    fn plain(&self, name: &str) -> Result<Metric, MetricError> {
        // A cell of a data table of the paper: `基金收支.本年收入[合计]`.
        if let Some((value, _)) = self.paper.and_then(|p| p.cell(name)) {
            return Ok(Metric { value, formula: String::new(), unit: String::new(), instead: None });
        }
        let value = self.fact_number(name)?;
        let unit = self.paper.and_then(|p| p.fact(name)).map(|f| f.unit.clone()).unwrap_or_default();
        Ok(Metric { value, formula: String::new(), unit, instead: None })
    }

    /// The 决算 公开03表 total spending of the evaluation year.
    pub fn final_spending(&self) -> Result<Decimal, MetricError> {
        figures::final_spending(self.case, self.year).map(|f| f.value).ok_or(MetricError::MissingTable {
            year: self.year,
            table: "支出决算表（公开03表）",
            purpose: Some("无法计算决算支出"),
        })
    }

    /// 年初预算数: 预算 表三 合计.
    pub fn initial_budget(&self) -> Result<Decimal, MetricError> {
        figures::initial_budget(self.case, self.year).map(|f| f.value).ok_or(MetricError::MissingTable {
            year: None,
            table: "部门预算支出总体情况表（预算表三）",
            purpose: Some("无法取得年初预算数"),
        })
    }

    /// 全年预算数: the fact, or the 部门整体支出绩效自评表's 调整后预算数.
    pub fn full_year_budget(&self) -> Result<Decimal, MetricError> {
        figures::full_year_budget(self.case).map(|f| f.value).ok_or(MetricError::MissingFullYearBudget)
    }

    /// The year before the evaluation year; unknown when that is unknown
    /// (never "the table there is").
    fn last_year(&self) -> Result<i32, MetricError> {
        self.year
            .map(|y| y - 1)
            .ok_or(MetricError::YearUnknown { table: "上年的“三公”经费支出决算表（公开09表）" })
    }

    /// 五项费用 = 三公 + 会议费 + 培训费 (决算 of a year).
    fn five_final(&self, year: Option<i32>) -> Result<(Decimal, String), MetricError> {
        let missing = |table| match year {
            Some(_) => MetricError::MissingTable { year, table, purpose: None },
            None => MetricError::YearUnknown { table },
        };
        self.table(TableKind::Final09, year).ok_or_else(|| missing("“三公”经费支出决算表（公开09表）"))?;
        self.table(TableKind::Final06, year).ok_or_else(|| missing("基本支出决算明细表（公开06表）"))?;
        let value = |f: Option<figures::Figure>| f.map(|f| f.value).unwrap_or_default();
        let three = value(figures::three_public(self.case, TableKind::Final09, year, "决算", "合计"));
        let meeting = value(figures::code_line(self.case, TableKind::Final06, year, "30215"));
        let training = value(figures::code_line(self.case, TableKind::Final06, year, "30216"));
        Ok((three + meeting + training, format!("三公{}+会议费{}+培训费{}", n(three), n(meeting), n(training))))
    }

    fn five_budget(&self) -> Result<Decimal, MetricError> {
        let missing = |table| MetricError::MissingTable { year: None, table, purpose: None };
        let t7 = self
            .table(TableKind::Budget07, self.year)
            .ok_or_else(|| missing("一般公共预算“三公”经费支出情况表（预算表七）"))?;
        let t6 = self
            .table(TableKind::Budget06, self.year)
            .ok_or_else(|| missing("一般公共预算基本支出情况表（预算表六）"))?;
        let b7 = t7.main();
        let this = self.year.map(|y| y.to_string()).unwrap_or_else(|| "本年".into());
        let three = b7
            .column(&[&this, "合计"])
            .or_else(|| b7.columns.iter().rposition(|c| c.key.ends_with("合计")))
            .and_then(|c| b7.rows.first().map(|r| r.amount(c)))
            .unwrap_or_default();
        Ok(three + t6.code_amount("30215") + t6.code_amount("30216"))
    }

    /// A metric defined by a formula, or written as one in a rule.
    fn formula(&self, name: &str, formula: &str, unit: &str) -> Result<Metric, MetricError> {
        if self.computing.borrow().iter().any(|n| n == name) || self.computing.borrow().len() > 16 {
            return Err(MetricError::Cycle { name: name.to_string() });
        }
        let e = crate::system::expr::Expr::parse(formula)?;
        self.computing.borrow_mut().push(name.to_string());
        let v = e.eval(&mut |operand: &str| self.metric(operand).map(|m| m.value));
        self.computing.borrow_mut().pop();
        let v = v?;
        let percent = unit == "%" || (unit.is_empty() && e.is_percent());
        let shown = if percent && e.is_percent() { format!("{}%", v.shown) } else { v.shown };
        Ok(Metric {
            value: round2(v.value),
            formula: shown,
            unit: if percent { "%".into() } else { unit.to_string() },
            instead: None,
        })
    }

    /// A metric by name: a formula the system defines, a formula written in
    /// the rule, a table metric, or a 事实.
    pub fn metric(&self, name: &str) -> Result<Metric, MetricError> {
        if let Some(m) = self.formulas.iter().find(|m| m.name == name) {
            return self.formula(&m.name, &m.formula, &m.unit);
        }
        if crate::system::expr::is_expression(name) {
            return self.formula(name, name, "");
        }
        if !TABLE_METRICS.contains(&name) {
            return self.computed(name);
        }
        // A table metric: from the tables, else from a 事实 of the same name
        // (the 依据 says 据事实); both there and different → a note.
        let fact = self.paper.and_then(|p| p.fact(name)).and_then(|f| f.number().map(|d| (d, f)));
        match (self.computed(name), fact) {
            (Ok(m), Some((d, f))) => {
                if (m.value - d).abs() > Decimal::new(1, 2) {
                    let note = format!(
                        "“{name}”：按部门报表计算为 {}，评价底稿事实（{}）为 {}，评分采用报表数。",
                        n(m.value),
                        f.at,
                        n(d)
                    );
                    let mut notes = self.notes.borrow_mut();
                    if !notes.contains(&note) {
                        notes.push(note);
                    }
                }
                Ok(m)
            }
            (Err(_), Some((d, f))) => {
                let unit = if f.unit.is_empty() && name.ends_with('率') { "%".to_string() } else { f.unit.clone() };
                Ok(Metric { value: d, formula: format!("据事实“{name}”"), unit, instead: None })
            }
            (r, None) => r,
        }
    }

    fn computed(&self, name: &str) -> Result<Metric, MetricError> {
        match name {
            "年初预算数" => {
                Ok(Metric {
                    value: self.initial_budget()?, formula: String::new(), unit: "万元".into(), instead: None
                })
            }
            "决算支出" => {
                Ok(Metric {
                    value: self.final_spending()?, formula: String::new(), unit: "万元".into(), instead: None
                })
            }
            "全年预算数" => Ok(Metric {
                value: self.full_year_budget()?,
                formula: String::new(),
                unit: "万元".into(),
                instead: None,
            }),
            "预算执行率" | "预算执行率偏差" | "预决算差异率" | "年中调剂率" => {
                self.budget_rate(name)
            }
            "五项费用预算数" | "五项费用决算数" | "上年五项费用决算数" | "五项费用控制率" | "五项费用变动率" => {
                self.five_expenses(name)
            }
            "闲置资产变化率" | "固定资产利用率" => self.asset_rate(name),
            "问卷满意度" => self.survey(),
            "项目年初预算数" | "项目全年预算数" | "项目执行数" => self.project_fund(name),
            other => self.plain(other),
        }
    }

    /// 预算执行率 (and its 偏差), 预决算差异率, 年中调剂率.
    fn budget_rate(&self, name: &str) -> Result<Metric, MetricError> {
        let rate = |value: Decimal, formula: String| Metric { value, formula, unit: "%".into(), instead: None };
        match name {
            "预算执行率" | "预算执行率偏差" => {
                let (spent, budget) = (self.final_spending()?, self.full_year_budget()?);
                let r = pct(spent, budget).ok_or_else(|| MetricError::zero("全年预算数", Some("预算执行率")))?;
                let formula = format!("{}/{}×100%", n(spent), n(budget));
                Ok(if name == "预算执行率" {
                    rate(r, formula)
                } else {
                    rate((r - Decimal::ONE_HUNDRED).abs(), format!("|{formula}-100%|"))
                })
            }
            "预决算差异率" => {
                let (spent, init) = (self.final_spending()?, self.initial_budget()?);
                let r = figures::difference_rate(spent, init)
                    .ok_or_else(|| MetricError::zero("年初预算数", Some("预决算差异率")))?;
                Ok(rate(r, format!("({}-{})/{}×100%", n(spent), n(init), n(init))))
            }
            "年中调剂率" => {
                let (adj, init) = (self.fact_number("年中调剂金额")?, self.initial_budget()?);
                Ok(rate(
                    pct(adj, init).ok_or_else(|| MetricError::zero("年初预算数", None))?,
                    format!("{}/{}×100%", n(adj), n(init)),
                ))
            }
            other => self.plain(other),
        }
    }

    /// The 五项费用 figures and their 控制率, 变动率.
    fn five_expenses(&self, name: &str) -> Result<Metric, MetricError> {
        let rate = |value: Decimal, formula: String| Metric { value, formula, unit: "%".into(), instead: None };
        match name {
            "五项费用预算数" => {
                Ok(Metric { value: self.five_budget()?, formula: String::new(), unit: "万元".into(), instead: None })
            }
            "五项费用决算数" => Ok(Metric {
                value: self.five_final(self.year)?.0,
                formula: String::new(),
                unit: "万元".into(),
                instead: None,
            }),
            "上年五项费用决算数" => Ok(Metric {
                value: self.five_final(Some(self.last_year()?))?.0,
                formula: String::new(),
                unit: "万元".into(),
                instead: None,
            }),
            "五项费用控制率" => {
                let (actual, budget) = (self.five_final(self.year)?.0, self.five_budget()?);
                Ok(rate(
                    pct(actual, budget).ok_or_else(|| MetricError::zero("五项费用预算数", Some("控制率")))?,
                    format!("{}/{}×100%", n(actual), n(budget)),
                ))
            }
            "五项费用变动率" => {
                let this = self.five_final(self.year)?.0;
                let last = self.five_final(Some(self.last_year()?))?.0;
                Ok(rate(
                    figures::difference_rate(this, last)
                        .ok_or_else(|| MetricError::zero("上年五项费用决算数", Some("变动率")))?,
                    format!("({}-{})/{}×100%", n(this), n(last), n(last)),
                ))
            }
            other => self.plain(other),
        }
    }

    /// 闲置资产变化率, 固定资产利用率.
    fn asset_rate(&self, name: &str) -> Result<Metric, MetricError> {
        let rate = |value: Decimal, formula: String| Metric { value, formula, unit: "%".into(), instead: None };
        match name {
            "闲置资产变化率" => {
                let (ia, ta) = (self.fact_number("本年闲置资产")?, self.fact_number("本年资产总额")?);
                let (ib, tb) = (self.fact_number("上年闲置资产")?, self.fact_number("上年资产总额")?);
                let formula = format!("({}/{})÷({}/{})×100%", n(ia), n(ta), n(ib), n(tb));
                if ia.is_zero() && !(ta.is_zero() || ib.is_zero() || tb.is_zero()) {
                    return Ok(rate(Decimal::ZERO, formula));
                }
                if ia.is_zero() {
                    // No idle assets this year: nothing to reduce; the ratio
                    // divides by 0, so it is said in words and taken as 0 %.
                    let figures = format!(
                        "本年闲置资产{}万元、资产总额{}万元，上年闲置资产{}万元、资产总额{}万元",
                        n(ia),
                        n(ta),
                        n(ib),
                        n(tb)
                    );
                    let why = if ib.is_zero() { "上年与本年均无闲置资产" } else { "本年无闲置资产" };
                    let instead = format!("{figures}，{why}，闲置资产变化率不适用，按0%计");
                    return Ok(Metric { instead: Some(instead), ..rate(Decimal::ZERO, String::new()) });
                }
                if ta.is_zero() || ib.is_zero() || tb.is_zero() {
                    return Err(MetricError::IdleAssetsZero);
                }
                Ok(rate(pct(ia / ta, ib / tb).unwrap_or_default(), formula))
            }
            "固定资产利用率" => {
                let (used, all) = (self.fact_number("在用固定资产")?, self.fact_number("固定资产总额")?);
                Ok(rate(
                    pct(used, all).ok_or_else(|| MetricError::zero("固定资产总额", None))?,
                    format!("{}/{}×100%", n(used), n(all)),
                ))
            }
            other => self.plain(other),
        }
    }

    /// 项目年初预算数, 项目全年预算数, 项目执行数 of the evaluated project's
    /// 资金总额 line (else its first fund line).
    fn project_fund(&self, name: &str) -> Result<Metric, MetricError> {
        let e = self.case.evaluated_project().ok_or(MetricError::NoProject)?;
        let line = e.funds.iter().find(|f| f.label.contains("资金总额")).or(e.funds.first());
        let value = line.and_then(|f| match name {
            "项目年初预算数" => f.initial_budget.as_ref(),
            "项目全年预算数" => f.budget.as_ref(),
            _ => f.spent.as_ref(),
        });
        let v = value.and_then(|v| v.value.number()).ok_or(MetricError::NoProject)?;
        Ok(Metric { value: v, formula: String::new(), unit: "万元".into(), instead: None })
    }

    /// Every question of the tally (a 问卷统计表 workbook, else the paper's
    /// 问卷 sheet), each with its options, whether it counts (`[survey]
    /// select`) and, if it does, its 单项满意度 Σ(人数×权重)/Σ人数 × 100.
    pub fn survey_questions(&self) -> Result<Vec<SurveyQuestion>, MetricError> {
        let answers: &[crate::model::working_paper::SurveyAnswer] = if self.case.survey.is_empty() {
            self.paper.map(|p| p.survey.as_slice()).unwrap_or_default()
        } else {
            &self.case.survey
        };
        if answers.is_empty() {
            return Err(MetricError::MissingSurvey);
        }
        let spec = self.survey;
        let select = spec.and_then(|s| s.select.as_deref());
        let mut out: Vec<SurveyQuestion> = Vec::new();
        for a in answers {
            let weight = spec
                .and_then(|s| {
                    s.weights.iter().find(|(o, _)| option_label(o) == option_label(&a.option)).map(|(_, w)| *w)
                })
                .or(a.weight);
            match out.iter_mut().find(|q| q.question == a.question) {
                Some(q) => q.options.push((a.option.clone(), a.count, weight)),
                None => out.push(SurveyQuestion {
                    question: a.question.clone(),
                    counted: select.is_none_or(|w| a.question.contains(w) || a.section.contains(w)),
                    options: vec![(a.option.clone(), a.count, weight)],
                    rate: None,
                }),
            }
        }
        if !out.iter().any(|q| q.counted) {
            return Err(MetricError::SurveyNothingSelected { select: select.unwrap_or_default().to_string() });
        }
        for q in out.iter_mut().filter(|q| q.counted) {
            let (mut sum, mut count) = (Decimal::ZERO, Decimal::ZERO);
            for (option, n, w) in &q.options {
                let w = w.ok_or_else(|| MetricError::SurveyNoWeight {
                    question: q.question.clone(),
                    option: option.clone(),
                })?;
                sum += *n * w;
                count += *n;
            }
            q.rate = Some(
                pct(sum, count)
                    .ok_or_else(|| MetricError::zero(format!("问卷题目“{}”的人数合计", q.question), None))?,
            );
        }
        Ok(out)
    }

    /// Per question Σ(人数×权重)/Σ人数 × 100, rounded; then the mean of the
    /// questions (or weighted by their answers). The tally comes from a
    /// 问卷统计表 workbook, else the paper's 问卷 sheet; the weights from the
    /// system's `[survey]`, else those written beside the options; only the
    /// questions `select` names count. An option without a weight is an
    /// error, never a 0 that lowers the score.
    fn survey(&self) -> Result<Metric, MetricError> {
        let questions = self.survey_questions()?;
        let counted: Vec<&SurveyQuestion> = questions.iter().filter(|q| q.counted).collect();
        let rates: Vec<Decimal> = counted.iter().filter_map(|q| q.rate).collect();
        let answered: Vec<Decimal> = counted.iter().map(|q| q.answered()).collect();
        let spec = self.survey;
        let parts: Vec<String> = rates.iter().map(|r| format!("{}%", fmt_rate(*r))).collect();
        let (value, formula) = if spec.is_some_and(|s| s.weighted) {
            let total: Decimal = answered.iter().copied().sum();
            let weighted: Decimal = rates.iter().zip(&answered).map(|(r, c)| *r * *c).sum();
            let terms: Vec<String> = parts.iter().zip(&answered).map(|(p, c)| format!("{p}×{}", n(*c))).collect();
            let v = if total.is_zero() { Decimal::ZERO } else { round2(weighted / total) };
            (v, format!("({})/{}", terms.join("+"), n(total)))
        } else {
            let v = round2(rates.iter().copied().sum::<Decimal>() / Decimal::from(rates.len() as u64));
            let f = if rates.len() == 1 { parts[0].clone() } else { format!("({})/{}", parts.join("+"), rates.len()) };
            (v, f)
        };
        Ok(Metric { value, formula, unit: "%".into(), instead: None })
    }
}
