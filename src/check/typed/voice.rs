//! A self-evaluation is the department's own report: its texts say 我局,
//! 经自评. Words only a third party writes — its firm, its team's findings,
//! the department's report quoted as someone else's, a 委托方 — are listed.

use super::Typed;

/// Phrases of a third party's voice.
pub(crate) const THIRD_PARTY: &[&str] = &[
    "我公司",
    "本公司",
    "我所",
    "我们公司",
    "评价机构认为",
    "评价组认为",
    "评价组发现",
    "评估组认为",
    "评价工作组认为",
    "第三方机构",
    "委托方",
    "受托方",
    "被评价单位",
    "被评价部门",
    "自评报告称",
    "自评报告显示",
    "自评报告未",
    "据自评报告",
    "自评报告“",
    "经复核",
    "复核发现",
    "复核认为",
];

/// The phrase list of a text in a third party's voice, as the 提示 says it
/// (None when the text speaks as the department).
pub(super) fn third_party(t: &Typed) -> Option<String> {
    let mut found: Vec<(usize, &str)> = THIRD_PARTY.iter().filter_map(|p| t.text.find(p).map(|i| (i, *p))).collect();
    if found.is_empty() {
        return None;
    }
    found.sort();
    // `自评报告“…”`: the department's report quoted as a source.
    let phrases: Vec<String> =
        found.iter().map(|(_, p)| if p.ends_with('“') { "引用“自评报告”".into() } else { format!("“{p}”") }).collect();
    Some(format!(
        "用了第三方评价的口吻（{}）：本报告是部门自评，由部门自己撰写，请改用部门自己的口吻（如“我局”“经自评”）。",
        phrases.join("、")
    ))
}
