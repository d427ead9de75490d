//! Indicator systems as data (指标体系): loaded from a shipped TOML file
//! (`templates/indicator-systems/*.toml`), a system file or the working
//! paper's 指标体系 sheet, and validated before anything is scored. This
//! stage knows what a system says — its indicators, rule families and
//! parameters ([`family`], [`params`]), formulas ([`expr`]), conditions
//! ([`condition`]), the re-check policy it asks for ([`policy`]) and what its
//! rules read from a case ([`needs`]) — not how a case scores against it
//! (that is [`crate::score`]).

pub mod condition;
mod error;
pub mod expr;
pub mod family;
pub mod load;
pub mod needs;
pub mod params;
pub mod policy;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::ingest::forms::split_weight;
use crate::model::value::{decimal_from_f64, normalize_label};
use crate::model::working_paper::SystemRow;
use crate::model::Place;

pub use error::{ScoreError, ScoreErrorKind};
pub use family::Family;
pub use params::{ParamError, Params};
pub use policy::Policy;

/// The indicator systems shipped in `templates/indicator-systems/`, embedded.
pub const SHIPPED: &[(&str, &str)] = &[
    ("zaozhuang-2024-dept.toml", include_str!("../../templates/indicator-systems/zaozhuang-2024-dept.toml")),
    ("hebei-dept-self-eval.toml", include_str!("../../templates/indicator-systems/hebei-dept-self-eval.toml")),
    ("project-common.toml", include_str!("../../templates/indicator-systems/project-common.toml")),
];

/// Every shipped system, parsed (once per process).
pub fn shipped_systems() -> Vec<System> {
    static PARSED: std::sync::OnceLock<Vec<System>> = std::sync::OnceLock::new();
    PARSED
        .get_or_init(|| SHIPPED.iter().filter_map(|(file, text)| System::from_toml(text, file).ok()).collect())
        .clone()
}

/// An indicator system (指标体系).
#[derive(Debug, Clone, Serialize)]
pub struct System {
    pub name: String,
    pub kind: String,
    /// Where it came from (a file name or `评价底稿 › 指标体系`).
    pub origin: String,
    pub level1: Vec<Level1>,
    pub level2: Vec<Level2>,
    pub indicators: Vec<Indicator>,
    /// Metrics the system defines as formulas over 事实 and table metrics.
    pub metrics: Vec<NamedMetric>,
    /// How the 问卷 is scored (`[survey]`): the option weights, which
    /// questions count, how they are averaged.
    pub survey: Option<SurveySpec>,
    /// How 项目支出绩效自评表 are re-checked (`recheck = "strict"` / `"form"`).
    pub recheck: Option<Policy>,
    /// Indicators made from the evaluated project's own targets (`[[generate]]`).
    pub generate: Vec<Generate>,
}

/// `[[generate]]`: one 三级 indicator per target of the evaluated project
/// whose 一级 is in `from`, under `level1`, sharing `weight`, each scored
/// target against actual (family `target`).
#[derive(Debug, Clone, Serialize)]
pub struct Generate {
    pub level1: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub weight: Decimal,
    /// The 自评表's 一级 names (`产出指标`, `成本指标`).
    pub from: Vec<String>,
}

/// `[survey]` of a system file.
#[derive(Debug, Clone, Serialize)]
pub struct SurveySpec {
    /// Option → weight (`很满意:1, 满意:0.8, 一般:0.6, 不满意:0`).
    pub weights: Vec<(String, Decimal)>,
    /// Only questions whose 题目 or 分组 contains this count (`满意`).
    pub select: Option<String>,
    /// Weighted by each question's answers instead of the plain mean.
    pub weighted: bool,
}

/// A metric defined by a formula (`[[metric]]` in a system file):
/// `收入完成率 = 实际收入 / 预算收入 × 100`, unit `%`.
#[derive(Debug, Clone, Serialize)]
pub struct NamedMetric {
    pub name: String,
    pub formula: String,
    pub unit: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Level1 {
    pub name: String,
    /// The stated weight, checked against its indicators.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub weight: Option<Decimal>,
    /// The 问题清单 category label.
    pub short: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Level2 {
    pub level1: String,
    pub name: String,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub weight: Option<Decimal>,
}

/// A 三级指标 with its 附件1 text and its machine rules.
#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    /// 1-based, in system order: `(1)`, `(2)`, …
    pub number: usize,
    pub level1: String,
    pub level2: String,
    pub name: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub weight: Decimal,
    /// 指标解释.
    pub explanation: String,
    /// 评分办法.
    pub method: String,
    /// 数据来源.
    pub source: String,
    pub rules: Vec<RuleSpec>,
    /// Where it was defined (for messages).
    pub place: Place,
}

/// One machine rule of an indicator.
#[derive(Debug, Clone, Serialize)]
pub struct RuleSpec {
    pub family: Family,
    /// The share of the indicator's weight (default: all of it).
    #[serde(with = "rust_decimal::serde::str_option")]
    pub weight: Option<Decimal>,
    pub label: Option<String>,
    pub params: Params,
}

#[derive(Deserialize)]
struct FileSystem {
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    level1: Vec<FileLevel1>,
    #[serde(default)]
    level2: Vec<FileLevel2>,
    #[serde(default)]
    indicator: Vec<FileIndicator>,
    #[serde(default)]
    metric: Vec<FileMetric>,
    survey: Option<FileSurvey>,
    recheck: Option<String>,
    #[serde(default)]
    generate: Vec<FileGenerate>,
}

#[derive(Deserialize)]
struct FileGenerate {
    level1: String,
    weight: toml::Value,
    from: String,
}

#[derive(Deserialize)]
struct FileSurvey {
    #[serde(default)]
    weights: String,
    select: Option<String>,
    #[serde(default)]
    average: String,
}

#[derive(Deserialize)]
struct FileMetric {
    name: String,
    formula: String,
    #[serde(default)]
    unit: String,
}

#[derive(Deserialize)]
struct FileLevel1 {
    name: String,
    weight: Option<toml::Value>,
    #[serde(default)]
    short: String,
}

#[derive(Deserialize)]
struct FileLevel2 {
    level1: String,
    name: String,
    weight: Option<toml::Value>,
}

#[derive(Deserialize)]
struct FileIndicator {
    level1: String,
    level2: String,
    name: String,
    weight: toml::Value,
    #[serde(default)]
    explanation: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    rule: Vec<toml::Table>,
}

fn toml_decimal(v: &toml::Value) -> Option<Decimal> {
    match v {
        toml::Value::Integer(i) => Some(Decimal::from(*i)),
        toml::Value::Float(f) => decimal_from_f64(*f),
        toml::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn toml_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        // NaN and inf stay as written, for the check of the parameter to name them.
        toml::Value::Float(f) => decimal_from_f64(*f).map(|d| d.to_string()).unwrap_or_else(|| f.to_string()),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        _ => String::new(),
    }
}

/// The system, or its errors together with what validation finds in the
/// rest of it (an indicator already in error is not reported again), so
/// that one run lists every problem.
fn with_the_rest(system: System, mut errors: Vec<ScoreError>) -> Result<System, Vec<ScoreError>> {
    if errors.is_empty() {
        return Ok(system);
    }
    let places: Vec<Place> = errors.iter().map(|e| e.place().clone()).collect();
    errors.extend(system.validate().into_iter().filter(|e| !places.contains(e.place())));
    Err(errors)
}

fn unknown_family(place: &Place, name: &str) -> ScoreError {
    ScoreError::new(place, ScoreErrorKind::UnknownRule { name: name.to_string() })
}

/// The largest weight (分值) an indicator, a level or a rule may have.
const MAX_WEIGHT: Decimal = Decimal::ONE_HUNDRED;

/// The largest magnitude of a number parameter (far above any rate or
/// amount in 万元; keeps the rules' arithmetic from overflowing).
const MAX_PARAM: Decimal = Decimal::from_parts(0xD4A5_1000, 0xE8, 0, false, 0); // 1e12

/// A weight read from the system: a number from 0 to 100, else an error
/// naming `what` (and `None`).
fn checked_weight(place: &Place, what: &str, written: &str, value: Option<Decimal>) -> Result<Decimal, ScoreError> {
    match value {
        Some(w) if w >= Decimal::ZERO && w <= MAX_WEIGHT => Ok(w),
        Some(value) => Err(ScoreError::new(place, ScoreErrorKind::WeightOutOfRange { what: what.into(), value })),
        None => {
            Err(ScoreError::new(place, ScoreErrorKind::WeightNotANumber { what: what.into(), written: written.into() }))
        }
    }
}

/// A rule's `weight = …`: absent, or a weight from 0 to 100.
fn rule_weight(place: &Place, family: Family, written: Option<String>) -> Result<Option<Decimal>, ScoreError> {
    let Some(w) = written else { return Ok(None) };
    let value = crate::model::value::to_half_width(&w).trim().parse().ok();
    checked_weight(place, &format!("规则“{family}”的分值 weight "), &w, value).map(Some)
}

/// The numbers of a rule's parameters: each readable, finite and not
/// absurdly large; the ones that divide above 0; its lists and conditions
/// readable — so that no system reaches a division by zero or an overflow.
fn check_params(rule: &RuleSpec) -> Vec<ScoreErrorKind> {
    use ScoreErrorKind::{InvalidCondition, ParamNotPositive, ParamTooLarge, RuleParam};
    let mut out = Vec::new();
    let family = rule.family;
    let p = &rule.params;
    let too_large = |key: &str, value: Decimal| ParamTooLarge { family, key: key.into(), value };
    let bad_condition = |key: &str, error| InvalidCondition { family, key: key.into(), error };
    for key in family.number_params() {
        match p.number(key) {
            Err(error) => out.push(RuleParam { family, error }),
            Ok(Some(d)) if d.abs() > MAX_PARAM => out.push(too_large(key, d)),
            Ok(Some(value)) if value <= Decimal::ZERO && family.positive_params().contains(key) => {
                out.push(ParamNotPositive { family, key: key.to_string(), value })
            }
            Ok(_) => {}
        }
    }
    for key in family.pair_params() {
        if !p.has(key) {
            continue;
        }
        match p.pairs(key) {
            Err(error) => out.push(RuleParam { family, error }),
            Ok(pairs) => {
                for (cond, v) in pairs {
                    if v.abs() > MAX_PARAM {
                        out.push(too_large(key, v));
                    } else if family == Family::Bands {
                        if let Err(e) = condition::condition_holds(&cond, Decimal::ZERO) {
                            out.push(bad_condition(key, e));
                        }
                    }
                }
            }
        }
    }
    for key in family.condition_params() {
        if let Some(cond) = p.get(key) {
            if let Err(e) = condition::condition_holds(cond, Decimal::ZERO) {
                out.push(bad_condition(key, e));
            }
        }
    }
    if family == Family::UnitShare {
        if let Some(range) = p.get("between") {
            if let Err(e) = condition::between(range) {
                out.push(bad_condition("between", e));
            }
        }
        // A per-unit formula over other columns (`甲数 / 乙数 × 100`).
        if let Some(column) = p.get("column").filter(|c| expr::is_expression(c)) {
            if let Err(error) = expr::Expr::parse(column) {
                out.push(ScoreErrorKind::InvalidFormula { metric: column.to_string(), error });
            }
        }
    }
    out
}

/// The 三级指标 of a system file, each with its rules.
fn toml_indicators(file_indicators: &[FileIndicator], origin: &str, errors: &mut Vec<ScoreError>) -> Vec<Indicator> {
    let mut indicators = Vec::new();
    for (i, ind) in file_indicators.iter().enumerate() {
        let place = Place::file(origin).named(format!("第{}个三级指标“{}”", i + 1, ind.name));
        let weight =
            checked_weight(&place, "分值", &toml_text(&ind.weight), toml_decimal(&ind.weight)).unwrap_or_else(|e| {
                errors.push(e);
                Decimal::ZERO
            });
        let rules = toml_rules(&place, &ind.rule, errors);
        indicators.push(Indicator {
            number: i + 1,
            level1: ind.level1.clone(),
            level2: ind.level2.clone(),
            name: normalize_label(&ind.name),
            weight,
            explanation: ind.explanation.trim().to_string(),
            method: ind.method.trim().to_string(),
            source: ind.source.trim().to_string(),
            rules,
            place,
        });
    }
    indicators
}

/// An indicator's `[[indicator.rule]]` tables: a known family, its weight and label, the rest its parameters.
fn toml_rules(place: &Place, tables: &[toml::Table], errors: &mut Vec<ScoreError>) -> Vec<RuleSpec> {
    let mut rules = Vec::new();
    for t in tables {
        let mut params = BTreeMap::new();
        for (k, v) in t {
            params.insert(k.clone(), toml_text(v));
        }
        let name = params.remove("family").unwrap_or_default();
        let Some(family) = Family::parse(&name) else {
            errors.push(unknown_family(place, &name));
            continue;
        };
        let rule_weight = rule_weight(place, family, params.remove("weight")).unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        let label = params.remove("label");
        rules.push(RuleSpec { family, weight: rule_weight, label, params: Params::new(params) });
    }
    rules
}

/// The `[survey]` table: its weights, selection and kind of average.
fn toml_survey(s: &FileSurvey, origin: &str, errors: &mut Vec<ScoreError>) -> SurveySpec {
    let weights = if s.weights.trim().is_empty() {
        Vec::new()
    } else {
        Params::new(BTreeMap::from([("weights".to_string(), s.weights.clone())])).pairs("weights").unwrap_or_else(|e| {
            errors.push(ScoreError::new(Place::file(origin).named("[survey]"), ScoreErrorKind::InvalidParams(e)));
            Vec::new()
        })
    };
    if !matches!(s.average.as_str(), "" | "mean" | "weighted") {
        let written = s.average.clone();
        errors.push(ScoreError::new(Place::file(origin).named("[survey]"), ScoreErrorKind::InvalidAverage { written }));
    }
    SurveySpec { weights, select: s.select.clone().filter(|x| !x.trim().is_empty()), weighted: s.average == "weighted" }
}

/// `recheck = "form" | "strict"`.
fn toml_recheck(r: &str, origin: &str, errors: &mut Vec<ScoreError>) -> Option<Policy> {
    let p = Policy::parse(r);
    if p.is_none() {
        errors.push(ScoreError::new(Place::file(origin), ScoreErrorKind::InvalidRecheck { written: r.to_string() }));
    }
    p
}

/// The `[[generate]]` tables: a 一级指标 whose weight is shared over the named ones.
fn toml_generate(file_generate: &[FileGenerate], origin: &str, errors: &mut Vec<ScoreError>) -> Vec<Generate> {
    let mut generate = Vec::new();
    for g in file_generate {
        let place = Place::file(origin).named(format!("[[generate]] {}", g.level1));
        match checked_weight(&place, "weight ", &toml_text(&g.weight), toml_decimal(&g.weight)) {
            Ok(weight) => generate.push(Generate {
                level1: g.level1.clone(),
                weight,
                from: g.from.split(['、', ',', '，']).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
            }),
            Err(e) => errors.push(e),
        }
    }
    generate
}

/// The `[[level1]]` and `[[level2]]` tables, with their weights where stated.
fn toml_levels(
    file_level1: &[FileLevel1],
    file_level2: &[FileLevel2],
    origin: &str,
    errors: &mut Vec<ScoreError>,
) -> (Vec<Level1>, Vec<Level2>) {
    let mut level_weight = |kind: &str, name: &str, w: &Option<toml::Value>| -> Option<Decimal> {
        let w = w.as_ref()?;
        let place = Place::file(origin).named(format!("{kind}“{name}”"));
        checked_weight(&place, "分值", &toml_text(w), toml_decimal(w)).map_err(|e| errors.push(e)).ok()
    };
    let level1: Vec<Level1> = file_level1
        .iter()
        .map(|l| Level1 {
            name: l.name.clone(),
            weight: level_weight("一级指标", &l.name, &l.weight),
            short: if l.short.is_empty() { l.name.clone() } else { l.short.clone() },
        })
        .collect();
    let level2: Vec<Level2> = file_level2
        .iter()
        .map(|l| Level2 {
            level1: l.level1.clone(),
            name: l.name.clone(),
            weight: level_weight("二级指标", &l.name, &l.weight),
        })
        .collect();
    (level1, level2)
}

/// The 一级 and 二级 indicators of a 指标体系 sheet so far, and the ones
/// carried down to the rows that leave them empty.
#[derive(Default)]
struct RowLevels {
    level1: Vec<Level1>,
    level2: Vec<Level2>,
    l1: String,
    l2: String,
}

impl RowLevels {
    /// A row's 一级/二级, each with its weight in brackets, when written.
    fn read(&mut self, row: &SystemRow, place: &Place, errors: &mut Vec<ScoreError>) {
        if !row.level1.trim().is_empty() {
            let (n, w) = split_weight(&row.level1);
            let w =
                w.and_then(|w| checked_weight(place, "一级指标的分值", "", Some(w)).map_err(|e| errors.push(e)).ok());
            if !self.level1.iter().any(|l| l.name == n) {
                self.level1.push(Level1 { name: n.clone(), weight: w, short: n.clone() });
            }
            self.l1 = n;
        }
        if !row.level2.trim().is_empty() {
            let (n, w) = split_weight(&row.level2);
            let w =
                w.and_then(|w| checked_weight(place, "二级指标的分值", "", Some(w)).map_err(|e| errors.push(e)).ok());
            if !self.level2.iter().any(|l| l.level1 == self.l1 && l.name == n) {
                self.level2.push(Level2 { level1: self.l1.clone(), name: n.clone(), weight: w });
            }
            self.l2 = n;
        }
    }
}

/// A row's rule: a known family with its parameters, its weight and label taken out.
fn row_rule(row: &SystemRow, place: &Place, errors: &mut Vec<ScoreError>) -> Option<RuleSpec> {
    let params = match Params::parse(&row.params) {
        Ok(p) => p,
        Err(e) => {
            errors.push(ScoreError::new(place, ScoreErrorKind::InvalidParams(e)));
            Params::default()
        }
    };
    let mut params_map = params;
    let written_weight = params_map.take("weight");
    let label = params_map.take("label");
    match (row.rule.trim(), Family::parse(&row.rule)) {
        ("", _) => None,
        (_, Some(family)) => {
            let weight = rule_weight(place, family, written_weight).unwrap_or_else(|e| {
                errors.push(e);
                None
            });
            Some(RuleSpec { family, weight, label, params: params_map })
        }
        (name, None) => {
            errors.push(unknown_family(place, name));
            None
        }
    }
}

impl System {
    /// Parse a shipped system file.
    pub fn from_toml(text: &str, origin: &str) -> Result<System, Vec<ScoreError>> {
        let file: FileSystem = toml::from_str(text).map_err(|e| {
            let detail = crate::confined::toml_error(text, &e);
            vec![ScoreError::new(Place::file(origin), ScoreErrorKind::SystemFileFormat { detail })]
        })?;
        let mut errors = Vec::new();
        let indicators = toml_indicators(&file.indicator, origin, &mut errors);
        for m in &file.metric {
            if let Err(error) = expr::Expr::parse(&m.formula) {
                let place = Place::file(origin).named(format!("指标“{}”", m.name));
                errors.push(ScoreError::new(place, ScoreErrorKind::InvalidFormula { metric: m.name.clone(), error }));
            }
        }
        let survey = file.survey.as_ref().map(|s| toml_survey(s, origin, &mut errors));
        let recheck = file.recheck.as_deref().and_then(|r| toml_recheck(r, origin, &mut errors));
        let generate = toml_generate(&file.generate, origin, &mut errors);
        let (level1, level2) = toml_levels(&file.level1, &file.level2, origin, &mut errors);
        let system = System {
            generate,
            recheck,
            survey,
            metrics: file
                .metric
                .iter()
                .map(|m| NamedMetric {
                    name: m.name.trim().to_string(),
                    formula: m.formula.clone(),
                    unit: m.unit.clone(),
                })
                .collect(),
            name: file.name,
            kind: file.kind,
            origin: origin.to_string(),
            level1,
            level2,
            indicators,
        };
        with_the_rest(system, errors)
    }

    /// Build a system from the working paper's 指标体系 sheet: one row per
    /// rule; an empty 三级指标 adds a rule to the indicator above; 一级/二级
    /// carry their weight in brackets and are carried down when empty.
    pub fn from_rows(rows: &[SystemRow], name: &str, origin: &str) -> Result<System, Vec<ScoreError>> {
        let mut errors = Vec::new();
        let mut levels = RowLevels::default();
        let mut indicators: Vec<Indicator> = Vec::new();
        for row in rows {
            let place = Place::row_of(&row.at);
            levels.read(row, &place, &mut errors);
            let rule = row_rule(row, &place, &mut errors);
            if row.name.trim().is_empty() {
                match (indicators.last_mut(), rule) {
                    (Some(ind), Some(rule)) => ind.rules.push(rule),
                    (None, Some(_)) => errors.push(ScoreError::new(&place, ScoreErrorKind::RuleWithoutIndicator)),
                    _ => {}
                }
                continue;
            }
            let Some(weight) = row.weight else {
                errors.push(ScoreError::new(&place, ScoreErrorKind::NoWeight { indicator: row.name.clone() }));
                continue;
            };
            let weight = checked_weight(&place, &format!("三级指标“{}”的分值", row.name), "", Some(weight))
                .unwrap_or_else(|e| {
                    errors.push(e);
                    Decimal::ZERO
                });
            indicators.push(Indicator {
                number: indicators.len() + 1,
                level1: levels.l1.clone(),
                level2: levels.l2.clone(),
                name: normalize_label(&row.name),
                weight,
                explanation: row.explanation.clone(),
                method: row.method.clone(),
                source: row.source.clone(),
                rules: rule.into_iter().collect(),
                place,
            });
        }
        let system = System {
            name: name.to_string(),
            kind: String::new(),
            origin: origin.to_string(),
            level1: levels.level1,
            level2: levels.level2,
            indicators,
            metrics: Vec::new(),
            survey: None,
            recheck: None,
            generate: Vec::new(),
        };
        with_the_rest(system, errors)
    }

    /// Weights add to 100 and to the stated subtotals; every rule is of a
    /// known family with its parameters; rule shares fit the weight.
    pub fn validate(&self) -> Vec<ScoreError> {
        let mut errors = Vec::new();
        let total: Decimal = self.indicators.iter().map(|i| i.weight).sum();
        if total != Decimal::ONE_HUNDRED {
            errors.push(ScoreError::new(Place::file(&self.origin), ScoreErrorKind::WeightTotal { total }));
        }
        for l in &self.level1 {
            let sum: Decimal = self.indicators.iter().filter(|i| i.level1 == l.name).map(|i| i.weight).sum();
            if let Some(w) = l.weight {
                if w != sum {
                    let kind = ScoreErrorKind::LevelSubtotal { level: 1, name: l.name.clone(), stated: w, sum };
                    errors.push(ScoreError::new(Place::file(&self.origin), kind));
                }
            }
        }
        for l in &self.level2 {
            let sum: Decimal =
                self.indicators.iter().filter(|i| i.level1 == l.level1 && i.level2 == l.name).map(|i| i.weight).sum();
            if let Some(w) = l.weight {
                if w != sum {
                    let kind = ScoreErrorKind::LevelSubtotal { level: 2, name: l.name.clone(), stated: w, sum };
                    errors.push(ScoreError::new(Place::file(&self.origin), kind));
                }
            }
        }
        for ind in &self.indicators {
            if ind.rules.is_empty() {
                errors.push(ScoreError::new(&ind.place, ScoreErrorKind::NoRule));
            }
            let mut shares = Decimal::ZERO;
            // A gate's share is an alternative to the sub-items after it, not added to them.
            for r in &ind.rules {
                if r.family != Family::Gate {
                    shares += r.weight.unwrap_or(ind.weight);
                }
                for kind in check_params(r) {
                    errors.push(ScoreError::new(&ind.place, kind));
                }
                for group in r.family.required_params() {
                    if !group.iter().any(|k| r.params.has(k)) {
                        let keys = group.iter().map(|k| k.to_string()).collect();
                        errors
                            .push(ScoreError::new(&ind.place, ScoreErrorKind::MissingParam { family: r.family, keys }));
                    }
                }
            }
            if shares > ind.weight {
                let kind = ScoreErrorKind::SharesOverWeight { shares, weight: ind.weight };
                errors.push(ScoreError::new(&ind.place, kind));
            }
        }
        errors
    }

    /// The level-1 entries, in order, adding any the indicators name but the
    /// system does not list.
    pub fn level1_names(&self) -> Vec<String> {
        let mut out: Vec<String> = self.level1.iter().map(|l| l.name.clone()).collect();
        for i in &self.indicators {
            if !out.contains(&i.level1) {
                out.push(i.level1.clone());
            }
        }
        out
    }

    /// The system with its `[[generate]]` indicators made from the evaluated
    /// project's targets (`project`: its 自评表 indicators as (一级, 二级, 名称));
    /// without a project, one placeholder per spec that waits for it.
    pub fn expanded(mut self, project: Option<&[(String, String, String)]>) -> System {
        if self.generate.is_empty() {
            return self;
        }
        for g in self.generate.clone() {
            let of: Vec<&(String, String, String)> =
                project.unwrap_or_default().iter().filter(|(l1, _, _)| g.from.iter().any(|f| f == l1)).collect();
            let rule = |name: &str| RuleSpec {
                family: Family::Target,
                weight: None,
                label: None,
                params: Params::new(BTreeMap::from([("indicator".to_string(), name.to_string())])),
            };
            if of.is_empty() {
                let name = format!("{}（按项目的{}生成）", g.level1, g.from.join("、"));
                self.indicators.push(Indicator {
                    number: 0,
                    level1: g.level1.clone(),
                    level2: g.level1.clone(),
                    name: name.clone(),
                    weight: g.weight,
                    explanation: String::new(),
                    method: String::new(),
                    source: "项目支出绩效自评表".into(),
                    rules: vec![rule("")],
                    place: Place::file(&self.origin).named(format!("[[generate]] {}", g.level1)),
                });
                continue;
            }
            // The weight shared, 2 decimals, the remainder on the last.
            let n = Decimal::from(of.len() as u64);
            let each = (g.weight / n).round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
            for (i, (l1, l2, name)) in of.iter().enumerate() {
                let weight = if i + 1 == of.len() { g.weight - each * (n - Decimal::ONE) } else { each };
                self.indicators.push(Indicator {
                    number: 0,
                    level1: g.level1.clone(),
                    level2: l2.clone(),
                    name: normalize_label(name),
                    weight,
                    explanation: format!("项目绩效目标表的{l1}“{name}”。"),
                    method: "正向指标（≥或未标符号）得分=实际值/年度指标值×分值，反向指标（≤）得分=年度指标值/实际值×分值，最高不超过分值；定性指标达成得满分；实际值未填写不得分。".into(),
                    source: "项目绩效目标表、项目支出绩效自评表".into(),
                    rules: vec![rule(name)],
                    place: Place::file(&self.origin).named(format!("[[generate]] {}", g.level1)),
                });
            }
        }
        // In the order of the 一级 the system lists, numbered again.
        let order = self.level1_names();
        self.indicators.sort_by_key(|i| order.iter().position(|l| *l == i.level1).unwrap_or(usize::MAX));
        for (i, ind) in self.indicators.iter_mut().enumerate() {
            ind.number = i + 1;
        }
        self.generate.clear();
        self
    }

    /// A metric the system defines.
    pub fn metric(&self, name: &str) -> Option<&NamedMetric> {
        self.metrics.iter().find(|m| m.name == name)
    }

    pub fn indicator(&self, name: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.name == name)
    }
}
