//! The kinds of table jixiao knows, with the titles and numbers that
//! identify them in a bureau's export.

use serde::Serialize;

/// A kind of department table. Final-account tables keep their national
/// numbers (公开01表 → [`TableKind::Final01`]), budget tables theirs
/// (表一 → [`TableKind::Budget01`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum TableKind {
    /// 公开01表 收入支出决算总表
    Final01,
    /// 公开02表 收入决算表
    Final02,
    /// 公开03表 支出决算表
    Final03,
    /// 公开04表 财政拨款收入支出决算总表
    Final04,
    /// 公开05表 一般公共预算财政拨款支出决算表
    Final05,
    /// 公开06表 一般公共预算财政拨款基本支出决算明细表
    Final06,
    /// 公开07表 政府性基金预算财政拨款收入支出决算表
    Final07,
    /// 公开08表 国有资本经营预算财政拨款支出决算表
    Final08,
    /// 公开09表 财政拨款"三公"经费支出决算表
    Final09,
    /// 预算表一 收支总体情况表
    Budget01,
    /// 预算表二 收入总体情况表
    Budget02,
    /// 预算表三 支出总体情况表
    Budget03,
    /// 预算表四 财政拨款收支总体情况表
    Budget04,
    /// 预算表五 一般公共预算支出情况表
    Budget05,
    /// 预算表六 一般公共预算基本支出情况表
    Budget06,
    /// 预算表七 一般公共预算"三公"经费支出情况表
    Budget07,
    /// 预算表八 政府性基金预算支出情况表
    Budget08,
    /// 预算表九 国有资本经营预算支出情况表
    Budget09,
    /// 预算表十 基本支出预算情况表
    Budget10,
    /// 预算表十一 项目支出预算情况表
    Budget11,
    /// 预算表十二 政府采购预算表
    Budget12,
    /// 项目绩效目标表 (one per project)
    ProjectTargets,
    /// 部门整体绩效目标表
    OverallTargets,
    /// 部门整体战略目标表
    StrategicTargets,
    /// 部门整体支出绩效自评表
    DeptSelfEval,
    /// 分项绩效项目清单 (accompanies the 部门整体支出绩效自评表)
    DeptSelfEvalProjects,
    /// 项目支出绩效自评表 (one per project)
    ProjectSelfEval,
    /// 项目支出绩效自评结果汇总表
    SelfEvalSummary,
    /// 评价底稿: the evaluator's working paper (recognised by its sheets).
    WorkingPaper,
    /// 问卷统计: a survey tally (questions, options, counts), recognised by its header.
    SurveyTally,
}

/// How a kind is recognised and what it holds.
pub struct KindInfo {
    pub kind: TableKind,
    /// Chinese name used in messages.
    pub name: &'static str,
    /// Normalised titles (no spaces, half-width, straight quotes).
    pub titles: &'static [&'static str],
    /// `公开01表` for final-account tables.
    pub number: Option<&'static str>,
    /// Value columns hold amounts (a text in them is an error).
    pub numeric: bool,
}

use TableKind::*;

/// Every kind, with its titles. Longer titles win over the shorter ones they
/// contain (`财政拨款收入支出决算总表` over `收入支出决算总表`).
pub const CATALOGUE: &[KindInfo] = &[
    KindInfo {
        kind: Final01,
        name: "收入支出决算总表（公开01表）",
        titles: &["收入支出决算总表"],
        number: Some("公开01表"),
        numeric: true,
    },
    KindInfo {
        kind: Final02,
        name: "收入决算表（公开02表）",
        titles: &["收入决算表"],
        number: Some("公开02表"),
        numeric: true,
    },
    KindInfo {
        kind: Final03,
        name: "支出决算表（公开03表）",
        titles: &["支出决算表"],
        number: Some("公开03表"),
        numeric: true,
    },
    KindInfo {
        kind: Final04,
        name: "财政拨款收入支出决算总表（公开04表）",
        titles: &["财政拨款收入支出决算总表"],
        number: Some("公开04表"),
        numeric: true,
    },
    KindInfo {
        kind: Final05,
        name: "一般公共预算财政拨款支出决算表（公开05表）",
        titles: &["一般公共预算财政拨款支出决算表"],
        number: Some("公开05表"),
        numeric: true,
    },
    KindInfo {
        kind: Final06,
        name: "一般公共预算财政拨款基本支出决算明细表（公开06表）",
        titles: &["一般公共预算财政拨款基本支出决算明细表", "一般公共预算财政拨款基本支出决算表"],
        number: Some("公开06表"),
        numeric: true,
    },
    KindInfo {
        kind: Final07,
        name: "政府性基金预算财政拨款收入支出决算表（公开07表）",
        titles: &["政府性基金预算财政拨款收入支出决算表"],
        number: Some("公开07表"),
        numeric: true,
    },
    KindInfo {
        kind: Final08,
        name: "国有资本经营预算财政拨款支出决算表（公开08表）",
        titles: &["国有资本经营预算财政拨款支出决算表", "国有资本经营预算财政拨款收入支出决算表"],
        number: Some("公开08表"),
        numeric: true,
    },
    KindInfo {
        kind: Final09,
        name: "财政拨款“三公”经费支出决算表（公开09表）",
        titles: &["财政拨款\"三公\"经费支出决算表", "\"三公\"经费支出决算表", "三公经费支出决算表"],
        number: Some("公开09表"),
        numeric: true,
    },
    KindInfo {
        kind: Budget01,
        name: "收支总体情况表（预算表一）",
        titles: &["收支总体情况表", "部门收支总体情况表", "收支总表"],
        number: None,
        numeric: true,
    },
    KindInfo {
        kind: Budget02,
        name: "收入总体情况表（预算表二）",
        titles: &["收入总体情况表", "部门收入总体情况表"],
        number: None,
        numeric: true,
    },
    KindInfo {
        kind: Budget03,
        name: "支出总体情况表（预算表三）",
        titles: &["支出总体情况表", "部门支出总体情况表"],
        number: None,
        numeric: true,
    },
    KindInfo {
        kind: Budget04,
        name: "财政拨款收支总体情况表（预算表四）",
        titles: &["财政拨款收支总体情况表", "财政拨款收支总表"],
        number: None,
        numeric: true,
    },
    KindInfo {
        kind: Budget05,
        name: "一般公共预算支出情况表（预算表五）",
        titles: &["一般公共预算支出情况表", "一般公共预算支出表"],
        number: None,
        numeric: true,
    },
    KindInfo {
        kind: Budget06,
        name: "一般公共预算基本支出情况表（预算表六）",
        titles: &["一般公共预算基本支出情况表", "一般公共预算基本支出表"],
        number: None,
        numeric: true,
    },
    KindInfo {
        kind: Budget07,
        name: "一般公共预算“三公”经费支出情况表（预算表七）",
        titles: &["一般公共预算\"三公\"经费支出情况表", "\"三公\"经费支出情况表", "一般公共预算\"三公\"经费支出表"],
        number: None,
        numeric: true,
    },
    KindInfo {
        kind: Budget08,
        name: "政府性基金预算支出情况表（预算表八）",
        titles: &["政府性基金预算支出情况表", "政府性基金预算支出表"],
        number: None,
        numeric: true,
    },
    KindInfo {
        kind: Budget09,
        name: "国有资本经营预算支出情况表（预算表九）",
        titles: &["国有资本经营预算支出情况表", "国有资本经营预算支出表"],
        number: None,
        numeric: true,
    },
    KindInfo {
        kind: Budget10,
        name: "基本支出预算情况表（预算表十）",
        titles: &["基本支出预算情况表", "部门基本支出预算表"],
        number: None,
        numeric: true,
    },
    KindInfo {
        kind: Budget11,
        name: "项目支出预算情况表（预算表十一）",
        titles: &["项目支出预算情况表", "部门项目支出预算表", "项目支出预算表"],
        number: None,
        numeric: true,
    },
    KindInfo {
        kind: Budget12,
        name: "政府采购预算表（预算表十二）",
        titles: &["政府采购预算表", "政府采购预算情况表", "政府采购预算明细表"],
        number: None,
        numeric: true,
    },
    KindInfo {
        kind: ProjectTargets,
        name: "项目绩效目标表",
        titles: &["项目绩效目标表", "项目支出绩效目标表", "项目绩效目标申报表"],
        number: None,
        numeric: false,
    },
    KindInfo {
        kind: OverallTargets,
        name: "整体绩效目标表",
        titles: &["整体绩效目标表", "部门整体绩效目标表", "部门整体支出绩效目标表"],
        number: None,
        numeric: false,
    },
    KindInfo {
        kind: StrategicTargets,
        name: "整体战略目标表",
        titles: &["整体战略目标表", "部门整体战略目标表"],
        number: None,
        numeric: false,
    },
    KindInfo {
        kind: DeptSelfEval,
        name: "部门整体支出绩效自评表",
        titles: &["部门整体支出绩效自评表", "部门整体绩效自评表"],
        number: None,
        numeric: false,
    },
    KindInfo {
        kind: DeptSelfEvalProjects,
        name: "分项绩效项目清单",
        titles: &["分项绩效项目清单"],
        number: None,
        numeric: false,
    },
    KindInfo {
        kind: ProjectSelfEval,
        name: "项目支出绩效自评表",
        titles: &["项目支出绩效自评表", "预算项目支出绩效自评表"],
        number: None,
        numeric: false,
    },
    KindInfo {
        kind: SelfEvalSummary,
        name: "项目支出绩效自评结果汇总表",
        titles: &["绩效自评结果汇总表", "自评结果汇总表", "自评汇总表", "绩效自评汇总表"],
        number: None,
        numeric: false,
    },
    KindInfo { kind: WorkingPaper, name: "评价底稿", titles: &[], number: None, numeric: false },
    KindInfo { kind: SurveyTally, name: "问卷统计表", titles: &[], number: None, numeric: false },
];

impl TableKind {
    pub fn info(self) -> &'static KindInfo {
        CATALOGUE.iter().find(|i| i.kind == self).expect("every kind is catalogued")
    }

    /// The Chinese name used in messages.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// A final-account (决算) table.
    pub fn is_final(self) -> bool {
        (self as u8) <= (Final09 as u8)
    }

    /// A budget (预算) table.
    pub fn is_budget(self) -> bool {
        (Budget01 as u8..=Budget12 as u8).contains(&(self as u8))
    }

    /// Tables read into the generic [`super::Table`] shape.
    pub fn is_grid(self) -> bool {
        !matches!(self, ProjectTargets | ProjectSelfEval | DeptSelfEval | WorkingPaper | SurveyTally)
    }

    /// Recognise a title (normalised with [`super::value::normalize_label`]).
    /// The longest matching catalogue title wins.
    pub fn from_title(norm: &str) -> Option<TableKind> {
        if norm.starts_with('注') || norm.starts_with("说明") || norm.chars().count() > 60 {
            return None;
        }
        let mut best: Option<(usize, TableKind)> = None;
        for info in CATALOGUE {
            for t in info.titles {
                if norm.contains(t) {
                    // A title cell says little more than the title itself.
                    let extra = norm.chars().count() - t.chars().count();
                    if extra > 30 {
                        continue;
                    }
                    if best.is_none_or(|(len, _)| t.len() > len) {
                        best = Some((t.len(), info.kind));
                    }
                }
            }
        }
        best.map(|(_, k)| k)
    }

    /// Recognise a `公开NN表` number anywhere in a normalised cell.
    pub fn from_number(norm: &str) -> Option<TableKind> {
        CATALOGUE.iter().find(|i| i.number.is_some_and(|n| norm.contains(n))).map(|i| i.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        assert_eq!(TableKind::from_title("收入支出决算总表"), Some(Final01));
        assert_eq!(TableKind::from_title("财政拨款收入支出决算总表"), Some(Final04));
        assert_eq!(TableKind::from_title("2024年度一般公共预算财政拨款支出决算表"), Some(Final05));
        assert_eq!(TableKind::from_title("政府性基金预算财政拨款收入支出决算表"), Some(Final07));
        assert_eq!(TableKind::from_title("财政拨款收支总体情况表"), Some(Budget04));
        assert_eq!(TableKind::from_title("收支总体情况表"), Some(Budget01));
        assert_eq!(TableKind::from_title("一般公共预算\"三公\"经费支出情况表"), Some(Budget07));
        assert_eq!(TableKind::from_title("部门预算项目绩效目标表"), Some(ProjectTargets));
        assert_eq!(TableKind::from_title("部门整体支出绩效自评表"), Some(DeptSelfEval));
        assert_eq!(TableKind::from_title("注：本表反映收入支出决算总表"), None);
        assert_eq!(TableKind::from_number("公开09表"), Some(Final09));
        assert!(Final09.is_final() && !Budget01.is_final() && Budget12.is_budget());
    }
}
