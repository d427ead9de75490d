//! The defects a re-check finds in a 自评表, named as 表3-3 names them.

use serde::Serialize;

use crate::model::Provenance;

/// The kinds of self-evaluation defect seed 000 describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DefectKind {
    /// 分值计算错误: the stated score does not follow the formula.
    Formula,
    /// 未完成年度目标但未按规定扣分.
    UnmetFullMarks,
    /// 实际完成值带比较符号.
    ActualWithSign,
    /// 实际完成值缺少单位.
    ActualMissingUnit,
    /// 实际完成值未填写.
    ActualEmpty,
    /// 成本指标的目标值不是金额.
    CostTargetNotMoney,
    /// 指标值表述不规范.
    MalformedTarget,
    /// 分值合计不为 100.
    Weights,
    /// 总分不等于各项得分之和.
    Total,
    /// 自评等级与复核等级不符.
    Grade,
    /// 全年预算数为 0: the execution rate has no denominator.
    NoBudget,
}

impl DefectKind {
    pub fn rule(self) -> &'static str {
        match self {
            DefectKind::Formula => "recheck.formula",
            DefectKind::UnmetFullMarks => "recheck.unmet_full_marks",
            DefectKind::ActualWithSign => "recheck.actual_sign",
            DefectKind::ActualMissingUnit => "recheck.actual_unit",
            DefectKind::ActualEmpty => "recheck.actual_empty",
            DefectKind::CostTargetNotMoney => "recheck.cost_target",
            DefectKind::MalformedTarget => "recheck.target_text",
            DefectKind::Weights => "recheck.weights",
            DefectKind::Total => "recheck.total",
            DefectKind::Grade => "recheck.grade",
            DefectKind::NoBudget => "recheck.no_budget",
        }
    }

    /// The 表3-3 wording of the defect kind.
    pub fn label(self) -> &'static str {
        match self {
            DefectKind::Formula => "分值计算错误",
            DefectKind::UnmetFullMarks => "未完成年度指标但未按规定扣分",
            DefectKind::ActualWithSign => "实际完成值填写不规范（带比较符号）",
            DefectKind::ActualMissingUnit => "实际完成值缺少单位",
            DefectKind::ActualEmpty => "实际完成值未填写",
            DefectKind::CostTargetNotMoney => "指标设置不合理（成本指标目标值不是金额）",
            DefectKind::MalformedTarget => "指标值设置不够清晰明确",
            DefectKind::Weights => "分值合计不为100",
            DefectKind::Total => "总分不等于各项得分之和",
            DefectKind::Grade => "自评等级与复核等级不符",
            DefectKind::NoBudget => "年初无预算，预算执行率无法计算",
        }
    }
}

/// One defect of a self-evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct Defect {
    pub kind: DefectKind,
    /// The 三级指标 concerned, if any.
    pub indicator: Option<String>,
    /// Plain Chinese, with the values.
    pub text: String,
    /// The 表3-3 phrase: the defect named with its values
    /// (`成本指标“医疗救助资金”年度指标值“≥18200人次”不是金额，设置不合理`).
    pub detail: String,
    pub at: Option<Provenance>,
}
