//! The evaluator's working paper (评价底稿): case facts, team, timetable,
//! the facts rules need that no department table holds, findings, themes,
//! sampled projects, transfer payments and the report's free texts. Layout:
//! `templates/working-paper.md`.

use rust_decimal::Decimal;
use serde::Serialize;

use super::Provenance;

/// Everything the evaluator typed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct WorkingPaper {
    pub file: String,
    /// 项目信息: (项目, 内容) in order.
    pub info: Vec<(String, String)>,
    /// The 内容 cell of each 项目信息 row, in the order of `info`.
    pub info_at: Vec<Provenance>,
    pub team: Vec<TeamMember>,
    pub schedule: Vec<Stage>,
    /// 指标体系 sheet rows (when the paper carries its own system).
    pub system_rows: Vec<SystemRow>,
    pub facts: Vec<Fact>,
    pub survey: Vec<SurveyAnswer>,
    pub findings: Vec<Finding>,
    pub themes: Vec<Theme>,
    pub sampled: Vec<SampledProject>,
    pub transfers: Vec<Transfer>,
    /// 文字: (名称 as typed, 内容).
    pub texts: Vec<(String, String)>,
    /// The 内容 cell of each 文字 row, in the order of `texts`.
    pub texts_at: Vec<Provenance>,
    /// 单位数据: one row per 区县 / 定点机构 / 下属单位.
    pub units: Vec<UnitRow>,
    /// Data tables a report kind prints (sheets named `表：名称`).
    pub tables: Vec<PaperTable>,
}

/// A typed name as matched: full-width folded to half-width, spaces and
/// colons dropped (`指标分析： 决策` and `指标分析决策` match).
pub fn near_name(name: &str) -> String {
    super::value::normalize_label(name).chars().filter(|c| *c != ':').collect()
}

/// A data table of the working paper: a sheet named `表：名称`, its first
/// row the headers, the first column the row labels, numbers as decimals.
#[derive(Debug, Clone, Serialize)]
pub struct PaperTable {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: Vec<PaperRow>,
    /// Merged cells of the body, printed merged: (first row, first column,
    /// last row, last column), rows counted in `rows`, columns in `columns`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merges: Vec<(usize, usize, usize, usize)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PaperRow {
    pub label: String,
    /// The cells after the label: a number, or text (None: empty).
    pub values: Vec<PaperCell>,
    pub at: Provenance,
}

#[derive(Debug, Clone, Serialize)]
pub enum PaperCell {
    Empty,
    Number(#[serde(with = "rust_decimal::serde::str")] Decimal, Provenance),
    Text(String),
}

impl PaperRow {
    /// A 合计/总计 row (`合 计`, `总计：` too).
    pub fn is_total(&self) -> bool {
        let l = super::value::normalize_label(&self.label);
        matches!(l.trim_end_matches(':'), "合计" | "总计")
    }

    /// A 小计 or `其中` row, part of a detail row or a subtotal of them.
    pub fn is_part(&self) -> bool {
        let l = super::value::normalize_label(&self.label);
        l.starts_with("其中") || l.starts_with("小计") || l.ends_with("小计")
    }
}

impl PaperTable {
    /// The number in `column` of the row labelled `row`.
    pub fn number(&self, column: &str, row: &str) -> Option<(Decimal, &Provenance)> {
        let c = self.columns.iter().skip(1).position(|h| h == column)?;
        let r = self.rows.iter().find(|r| r.label == row)?;
        match r.values.get(c)? {
            PaperCell::Number(d, at) => Some((*d, at)),
            _ => None,
        }
    }
}

/// A row of the 单位数据 sheet: the unit and its figures by column name.
#[derive(Debug, Clone, Serialize)]
pub struct UnitRow {
    pub name: String,
    /// (column, value); an empty cell is None.
    pub values: Vec<(String, Option<Decimal>)>,
    pub at: Provenance,
}

impl UnitRow {
    /// The value in `column`: None when the column is absent or the cell empty.
    pub fn value(&self, column: &str) -> Option<Decimal> {
        self.values.iter().find(|(c, _)| c == column).and_then(|(_, v)| *v)
    }
}

impl WorkingPaper {
    /// A 项目信息 value by its label.
    pub fn info(&self, key: &str) -> Option<&str> {
        self.info.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
    }

    /// The 事实 `name` (compared as read: `全年预算数（基本支出）` finds `全年预算数(基本支出)`).
    pub fn fact(&self, name: &str) -> Option<&Fact> {
        let key = super::value::normalize_label(name);
        self.facts.iter().find(|f| f.name == key)
    }

    /// Does the 单位数据 sheet have this column?
    pub fn has_unit_column(&self, column: &str) -> bool {
        self.units.iter().any(|u| u.values.iter().any(|(c, _)| c == column))
    }

    /// A data table by name.
    pub fn table(&self, name: &str) -> Option<&PaperTable> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// A number of a data table by reference, `表名.列名[行名]`: None when
    /// the reference is not of that form or the cell holds no number.
    pub fn cell(&self, reference: &str) -> Option<(Decimal, &Provenance)> {
        let (table, rest) = reference.split_once('.')?;
        let (column, row) = rest.strip_suffix(']')?.split_once('[')?;
        self.table(table.trim())?.number(column.trim(), row.trim())
    }

    /// A 文字 by name: as typed, else under a near name ([`near_name`]).
    pub fn text(&self, name: &str) -> Option<&str> {
        let exact = self.texts.iter().find(|(k, _)| k == name);
        exact.or_else(|| self.texts.iter().find(|(k, _)| near_name(k) == near_name(name))).map(|(_, v)| v.as_str())
    }

    /// The 文字 typed under a name near `name` but not `name` itself
    /// (full- or half-width punctuation, spaces, a missing colon): its
    /// name as typed, its content and its cell. None when `name` is typed
    /// as asked.
    pub fn near_text(&self, name: &str) -> Option<(&str, &str, Option<&Provenance>)> {
        if self.texts.iter().any(|(k, _)| k == name) {
            return None;
        }
        let key = near_name(name);
        self.text_cells().find(|(k, _, _)| near_name(k) == key)
    }

    /// The 项目信息 rows with their 内容 cell: (项目, 内容, cell).
    pub fn info_cells(&self) -> impl Iterator<Item = (&str, &str, Option<&Provenance>)> {
        self.info.iter().enumerate().map(|(i, (k, v))| (k.as_str(), v.as_str(), self.info_at.get(i)))
    }

    /// The 文字 rows with their 内容 cell: (名称, 内容, cell).
    pub fn text_cells(&self) -> impl Iterator<Item = (&str, &str, Option<&Provenance>)> {
        self.texts.iter().enumerate().map(|(i, (k, v))| (k.as_str(), v.as_str(), self.texts_at.get(i)))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamMember {
    pub name: String,
    /// 单位 (工作单位), empty when the sheet has no such column.
    pub unit: String,
    pub title: String,
    pub work: String,
    /// The 姓名 cell.
    pub at: Provenance,
}

#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    pub stage: String,
    pub content: String,
    pub done: String,
}

/// A row of the 指标体系 sheet.
#[derive(Debug, Clone, Serialize)]
pub struct SystemRow {
    pub level1: String,
    pub level2: String,
    pub name: String,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub weight: Option<Decimal>,
    pub explanation: String,
    pub method: String,
    pub source: String,
    pub rule: String,
    pub params: String,
    pub at: Provenance,
}

/// A fact's value: a number or a word (`良好`, a date).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum FactValue {
    Number(#[serde(with = "rust_decimal::serde::str")] Decimal),
    Text(String),
}

#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    pub name: String,
    pub value: FactValue,
    pub unit: String,
    pub note: String,
    pub at: Provenance,
}

impl Fact {
    pub fn number(&self) -> Option<Decimal> {
        match self.value {
            FactValue::Number(d) => Some(d),
            FactValue::Text(_) => None,
        }
    }

    pub fn text(&self) -> String {
        match &self.value {
            FactValue::Number(d) => d.normalize().to_string(),
            FactValue::Text(t) => t.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SurveyAnswer {
    pub question: String,
    /// The part of the questionnaire it belongs to (`满意度评价`), when given.
    pub section: String,
    pub option: String,
    /// The option's weight as written beside it (the system's weights take precedence).
    #[serde(with = "rust_decimal::serde::str_option")]
    pub weight: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str")]
    pub count: Decimal,
    pub at: Provenance,
}

/// A finding recorded against an indicator.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The 三级指标's name.
    pub indicator: String,
    /// 子项 (for indicators with sub-items).
    pub item: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub deduction: Decimal,
    /// 问题描述: the evidence text.
    pub text: String,
    /// The 问题描述 cell.
    pub text_at: Provenance,
    /// The 序号 of its theme.
    pub theme: String,
    pub at: Provenance,
}

#[derive(Debug, Clone, Serialize)]
pub struct Theme {
    pub number: String,
    pub title: String,
    pub cause: String,
    pub manifestations: String,
    pub recommendation: String,
    /// The suggestion's own title (六、相关建议), when the evaluator gave one.
    pub recommendation_title: String,
}

/// A project sampled for 复评 or 实际绩效.
#[derive(Debug, Clone, Serialize)]
pub struct SampledProject {
    pub name: String,
    /// `复评` or `实际绩效`.
    pub purpose: String,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub budget: Option<Decimal>,
    pub self_grade: String,
    pub recheck_grade: String,
    pub grade: String,
    pub reason: String,
    pub at: Provenance,
}

/// A row of 表3-2 转移支付资金执行情况表.
#[derive(Debug, Clone, Serialize)]
pub struct Transfer {
    pub project: String,
    pub document: String,
    /// 中央, 省级, 市级 下达.
    pub allocated: [Decimal; 3],
    /// 中央, 省级, 市级 支出.
    pub spent: [Decimal; 3],
}
