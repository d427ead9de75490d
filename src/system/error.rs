//! [`ScoreError`]: what stops loading a system or scoring a case — its
//! place, what went wrong ([`ScoreErrorKind`]) and the input it is about.

use std::path::PathBuf;

use rust_decimal::Decimal;
use serde::Serialize;

use super::condition::ConditionError;
use super::expr::ExprError;
use super::needs;
use super::{Family, ParamError};
use crate::model::value::fmt_number;
use crate::model::Place;

/// A problem that stops loading a system or scoring a case, with its place
/// (`file › sheet › 第N行`). Printed `错误 {place}：{message}`, the message
/// being its [`kind`](ScoreError::kind)'s text.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("错误 {place}：{kind}")]
pub struct ScoreError {
    place: Place,
    /// Boxed: errors are rare, and a `Result` carrying one stays small.
    kind: Box<ScoreErrorKind>,
    /// The input it is about, when it is about one: an error that only
    /// repeats a missing input is listed with the inputs
    /// ([`crate::missing::Missing::covers`]), not apart.
    input: Option<Box<needs::Need>>,
}

impl ScoreError {
    pub fn new(place: impl Into<Place>, kind: ScoreErrorKind) -> ScoreError {
        ScoreError { place: place.into(), kind: Box::new(kind), input: None }
    }

    /// An error about the input `need`.
    pub fn about(need: needs::Need, place: impl Into<Place>, kind: ScoreErrorKind) -> ScoreError {
        ScoreError { input: Some(Box::new(need)), ..ScoreError::new(place, kind) }
    }

    /// Where it is: `file › sheet › 第N行`, a system file's named part ….
    pub fn place(&self) -> &Place {
        &self.place
    }

    /// What went wrong.
    pub fn kind(&self) -> &ScoreErrorKind {
        &self.kind
    }

    /// The input it is about, if any.
    pub fn input(&self) -> Option<&needs::Need> {
        self.input.as_deref()
    }

    /// The message after the place (the kind's text).
    pub fn message(&self) -> String {
        self.kind.to_string()
    }
}

/// Serialised as before: `{"place": "…", "message": "…"}`.
impl Serialize for ScoreError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("ScoreError", 2)?;
        s.serialize_field("place", &self.place)?;
        s.serialize_field("message", &self.message())?;
        s.end()
    }
}

/// A number as the messages print it.
fn n(d: &Decimal) -> String {
    fmt_number(*d)
}

/// Names joined with `、`, each in quotes.
fn quoted(names: &[String]) -> String {
    names.iter().map(|s| format!("“{s}”")).collect::<Vec<_>>().join("、")
}

fn folder_list(folders: &[PathBuf]) -> String {
    folders.iter().map(|f| format!("“{}”", f.display())).collect::<Vec<_>>().join("、")
}

/// The system files of the case, for [`ScoreErrorKind::SystemNotFound`].
fn case_files(files: &[String]) -> String {
    if files.is_empty() {
        String::new()
    } else {
        format!("案例中的指标体系文件有：{}；", files.join("、"))
    }
}

/// 一 or 二, of a 一级/二级指标.
fn tier(level: &u8) -> &'static str {
    if *level == 1 {
        "一"
    } else {
        "二"
    }
}

/// What stops loading a system or scoring a case. Its `Display` is the
/// message printed after the place.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScoreErrorKind {
    // Choosing the system.
    #[error("没有评价底稿：请用 `jixiao init <文件夹>` 生成评价底稿并填写后再评分。")]
    NoWorkingPaper,
    #[error("没有指定指标体系：请在“指标体系”一行填写内置指标体系的名称，或填写“指标体系”表。")]
    SystemNotNamed,
    /// The paper names a system file that none of `searched` holds.
    #[error(
        "找不到指标体系文件“{name}”：已在 {} 中查找。请把文件放进案例文件夹（或其中的“指标体系”文件夹），或用 --system 给出路径。",
        folder_list(.searched)
    )]
    SystemFileNotFound { name: String, searched: Vec<PathBuf> },
    /// The paper names a system that is neither shipped nor a file, and
    /// gives no 指标体系 sheet.
    #[error(
        "找不到指标体系“{name}”。内置的指标体系有：{}；{}或填写指标体系文件名（.toml），或在“指标体系”表中自行填写。",
        quoted(.shipped),
        case_files(.files)
    )]
    SystemNotFound { name: String, shipped: Vec<String>, files: Vec<String> },
    #[error("报告类型“{kind}”指定的指标体系“{name}”找不到（内置名称，或报告类型文件夹中的 .toml 文件）。")]
    KindSystemNotFound { kind: String, name: String },

    // Reading a system file.
    #[error("无法读取指标体系文件（{reason}）。请检查路径。")]
    SystemFileUnreadable { reason: String },
    #[error("不是文件：请给出指标体系文件（.toml）的路径。")]
    SystemFileNotAFile,
    #[error("文件过大（{} KB，上限 1024 KB），不像是指标体系文件。", .size / 1024)]
    SystemFileTooLarge { size: u64 },
    /// Refused otherwise (a link outside its folder, not UTF-8): `reason`
    /// is [`crate::confined::ReadError`]'s text.
    #[error("指标体系文件{reason}。")]
    SystemFileRefused { reason: String },
    /// Not TOML, or not a system's: `detail` says where and why.
    #[error("指标体系文件格式错误：{detail}。")]
    SystemFileFormat { detail: String },

    // A system's parts.
    #[error("{error}")]
    InvalidFormula {
        metric: String,
        #[source]
        error: ExprError,
    },
    /// A row's parameters, or `[survey] weights`, cannot be read.
    #[error("{0}")]
    InvalidParams(#[source] ParamError),
    #[error("average 应为 mean（各题平均）或 weighted（按答题人数加权），却是“{written}”。")]
    InvalidAverage { written: String },
    #[error("recheck 应为 form（表注规则）或 strict（严格口径），却是“{written}”。")]
    InvalidRecheck { written: String },
    /// `what` (分值, 规则“…”的分值 weight …) outside 0–100.
    #[error("{what}为 {}，应在 0 到 100 之间。", n(.value))]
    WeightOutOfRange { what: String, value: Decimal },
    #[error("{what}“{written}”不是数字。")]
    WeightNotANumber { what: String, written: String },
    #[error("未知的评分规则“{name}”。可用的规则：{}。", Family::names())]
    UnknownRule { name: String },
    #[error("这一行有规则但没有三级指标，也没有上一行的指标可以归属。")]
    RuleWithoutIndicator,
    #[error("三级指标“{indicator}”没有填写分值。")]
    NoWeight { indicator: String },
    #[error("三级指标分值合计为 {}，应为 100。", n(.total))]
    WeightTotal { total: Decimal },
    /// A 一级 (`level` 1) or 二级 (2) 指标's stated weight is not the sum of its 三级指标'.
    #[error("{}级指标“{name}”标注分值 {}，其下三级指标分值之和为 {}。", tier(.level), n(.stated), n(.sum))]
    LevelSubtotal { level: u8, name: String, stated: Decimal, sum: Decimal },
    #[error("没有评分规则：请在“规则”列选择一种规则（如 findings、ratio、bands）。")]
    NoRule,
    #[error("规则“{family}”：{error}")]
    RuleParam {
        family: Family,
        #[source]
        error: ParamError,
    },
    #[error("规则“{family}”的参数“{key}”为 {}，数值过大。", n(.value))]
    ParamTooLarge { family: Family, key: String, value: Decimal },
    #[error("规则“{family}”的参数“{key}”为 {}，应大于 0（它是除数或步长）。", n(.value))]
    ParamNotPositive { family: Family, key: String, value: Decimal },
    #[error("规则“{family}”的参数“{key}”：{error}")]
    InvalidCondition {
        family: Family,
        key: String,
        #[source]
        error: ConditionError,
    },
    /// None of `keys` (alternatives) is given.
    #[error("规则“{family}”缺少参数“{}”。", .keys.join("”或“"))]
    MissingParam { family: Family, keys: Vec<String> },
    #[error("各规则分值之和 {} 超过指标分值 {}。", n(.shares), n(.weight))]
    SharesOverWeight { shares: Decimal, weight: Decimal },

    // The working paper's findings.
    #[error("发现所指的三级指标“{indicator}”不在指标体系“{system}”中。请从下拉列表中选择指标名称。")]
    UnknownIndicator { indicator: String, system: String },
    #[error("扣分 {} 超过指标“{indicator}”的分值 {}。", n(.deduction), n(.weight))]
    DeductionOverWeight { deduction: Decimal, indicator: String, weight: Decimal },
    #[error("扣分不能为负数。")]
    NegativeDeduction { deduction: Decimal },
    /// A findings rule's `items` cannot be read.
    #[error("“{indicator}”（规则 findings）：{error}")]
    InvalidItems {
        indicator: String,
        #[source]
        error: ParamError,
    },
    /// A finding's 子项 is none of its indicator's `items`.
    #[error("子项“{item}”不是指标“{indicator}”的子项（{}）。", .items.join("、"))]
    UnknownItem { item: String, indicator: String, items: Vec<String> },
}

#[cfg(test)]
mod tests {
    use super::ScoreErrorKind as K;
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// Each kind prints the text the sites used to format themselves.
    #[test]
    fn kinds_print_the_old_messages() {
        let bands = Family::parse("bands").unwrap();
        let cases: Vec<(K, String)> = vec![
            (
                K::SystemFileNotFound { name: "a.toml".into(), searched: vec!["x".into(), "x/指标体系".into()] },
                "找不到指标体系文件“a.toml”：已在 “x”、“x/指标体系” 中查找。请把文件放进案例文件夹（或其中的“指标体系”文件夹），或用 --system 给出路径。".into(),
            ),
            (
                K::SystemNotFound { name: "甲".into(), shipped: vec!["乙".into(), "丙".into()], files: vec![] },
                "找不到指标体系“甲”。内置的指标体系有：“乙”、“丙”；或填写指标体系文件名（.toml），或在“指标体系”表中自行填写。".into(),
            ),
            (
                K::SystemNotFound { name: "甲".into(), shipped: vec!["乙".into()], files: vec!["a.toml".into(), "b.toml".into()] },
                "找不到指标体系“甲”。内置的指标体系有：“乙”；案例中的指标体系文件有：a.toml、b.toml；或填写指标体系文件名（.toml），或在“指标体系”表中自行填写。".into(),
            ),
            (K::SystemFileTooLarge { size: 2048 * 1024 }, "文件过大（2048 KB，上限 1024 KB），不像是指标体系文件。".into()),
            (K::WeightOutOfRange { what: "分值".into(), value: d("120.50") }, "分值为 120.5，应在 0 到 100 之间。".into()),
            (K::WeightNotANumber { what: "weight ".into(), written: "x".into() }, "weight “x”不是数字。".into()),
            (K::UnknownRule { name: "foo".into() }, format!("未知的评分规则“foo”。可用的规则：{}。", Family::names())),
            (K::WeightTotal { total: d("99") }, "三级指标分值合计为 99，应为 100。".into()),
            (
                K::LevelSubtotal { level: 1, name: "决策".into(), stated: d("20"), sum: d("18") },
                "一级指标“决策”标注分值 20，其下三级指标分值之和为 18。".into(),
            ),
            (
                K::LevelSubtotal { level: 2, name: "投入".into(), stated: d("5"), sum: d("6") },
                "二级指标“投入”标注分值 5，其下三级指标分值之和为 6。".into(),
            ),
            (
                K::ParamNotPositive { family: bands, key: "step".into(), value: d("0") },
                "规则“bands”的参数“step”为 0，应大于 0（它是除数或步长）。".into(),
            ),
            (
                K::MissingParam { family: bands, keys: vec!["metric".into(), "numerator".into()] },
                "规则“bands”缺少参数“metric”或“numerator”。".into(),
            ),
            (K::SharesOverWeight { shares: d("6"), weight: d("5") }, "各规则分值之和 6 超过指标分值 5。".into()),
            (
                K::DeductionOverWeight { deduction: d("3"), indicator: "预算执行率".into(), weight: d("2") },
                "扣分 3 超过指标“预算执行率”的分值 2。".into(),
            ),
            (
                K::UnknownItem { item: "③".into(), indicator: "甲".into(), items: vec!["①".into(), "②".into()] },
                "子项“③”不是指标“甲”的子项（①、②）。".into(),
            ),
        ];
        for (kind, text) in cases {
            assert_eq!(kind.to_string(), text);
        }
        let e = ScoreError::new(Place::file("案例文件夹"), K::NoWorkingPaper);
        assert_eq!(e.to_string(), format!("错误 案例文件夹：{}", e.message()));
        assert!(matches!(e.kind(), K::NoWorkingPaper) && e.input().is_none());
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"place": "案例文件夹", "message": e.message()})
        );
    }
}
