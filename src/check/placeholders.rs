//! `paper.placeholder` (提示): a name on the working paper that looks like
//! a placeholder — 示例, 某某, 某会计师事务所, XXX, 测试, 张三 — in a 项目信息
//! row that names a party or a person (委托方, 评价机构, 主评人, 负责人,
//! 成员, 审核 …) or in the 评价人员 sheet's 姓名 column. The report prints
//! these names on its cover and signature lines as typed.

use super::Ctx;
use crate::model::{Provenance, Severity};

/// 项目信息 rows holding names (by a word of their label).
const NAME_ROWS: &[&str] = &[
    "委托方",
    "评价机构",
    "机构",
    "主评",
    "负责人",
    "成员",
    "审核",
    "复核",
    "评价人员",
    "编制",
    "签字",
    "评价对象",
    "责任单位",
];

/// Words of a placeholder.
const WORDS: &[&str] = &["示例", "样例", "范例", "某某", "测试", "张三", "李四", "王五", "赵六", "请填写", "待填写"];
/// `某` before these is a placeholder (`某会计师事务所`, `某局`).
const SOME_WHAT: &[&str] = &["会计师事务所", "事务所", "咨询", "公司", "机构", "集团", "中心", "单位", "部门", "局"];

/// Why `value` looks like a placeholder: the word found (None: a real name).
pub(crate) fn placeholder(value: &str) -> Option<String> {
    let folded = crate::model::value::to_half_width(value);
    if let Some(w) = WORDS.iter().find(|w| folded.contains(*w)) {
        return Some(w.to_string());
    }
    if folded.to_lowercase().contains("xx") {
        return Some("XXX".into());
    }
    let chars: Vec<char> = folded.chars().collect();
    chars.iter().enumerate().filter(|(_, c)| **c == '某').find_map(|(i, _)| {
        let rest: String = chars[i + 1..].iter().collect();
        SOME_WHAT.iter().find(|w| rest.starts_with(*w)).map(|w| format!("某{w}"))
    })
}

pub(super) fn run(ctx: &mut Ctx) {
    let Some(paper) = ctx.case.working_paper.as_ref() else { return };
    let info: Vec<(String, String, Provenance)> = paper
        .info_cells()
        .filter(|(key, _, _)| NAME_ROWS.iter().any(|w| key.contains(w)))
        .filter_map(|(key, value, at)| Some((format!("{key}“{value}”"), placeholder(value)?, at?.clone())))
        .collect();
    let team: Vec<(String, String, Provenance)> = paper
        .team
        .iter()
        .filter_map(|m| Some((format!("“{}”", m.name), placeholder(&m.name)?, m.at.clone())))
        .collect();
    // One 提示 per sheet, naming every cell.
    for (sheet, found) in [("项目信息", info), ("评价人员", team)] {
        if found.is_empty() {
            continue;
        }
        let what: Vec<&str> = found.iter().map(|(w, _, _)| w.as_str()).collect();
        let mut words: Vec<String> = Vec::new();
        for (_, w, _) in &found {
            if !words.contains(w) {
                words.push(w.clone());
            }
        }
        let words: Vec<String> = words.iter().map(|w| format!("“{w}”")).collect();
        ctx.report(
            Severity::Note,
            "paper.placeholder",
            &paper.file,
            format!(
                "{sheet}中的名称像是占位名称（含{}）：{}。报告封面和署名处会原样印出，请改为真实名称。",
                words.join("、"),
                what.join("、")
            ),
            found.into_iter().map(|(_, _, at)| at).collect(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::placeholder;

    #[test]
    fn placeholders_and_real_names() {
        assert_eq!(placeholder("某会计师事务所（示例）").as_deref(), Some("示例"));
        assert_eq!(placeholder("张示例").as_deref(), Some("示例"));
        assert_eq!(placeholder("某某").as_deref(), Some("某某"));
        assert_eq!(placeholder("ＸＸＸ咨询有限公司").as_deref(), Some("XXX"));
        assert_eq!(placeholder("xx局").as_deref(), Some("XXX"));
        assert_eq!(placeholder("测试单位").as_deref(), Some("测试"));
        assert_eq!(placeholder("张三、李四").as_deref(), Some("张三"));
        assert_eq!(placeholder("某咨询公司").as_deref(), Some("某咨询"));
        for real in ["润政咨询（山东）有限公司", "徐淑敏", "枣庄市市中区财政局", "高邑县医疗保障局", "妫国璇", "某"]
        {
            assert_eq!(placeholder(real), None, "{real}");
        }
    }
}
