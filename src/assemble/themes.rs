//! The problem themes ([`ThemeInfo`]) of the working paper: chapters 五
//! and 六, their manifestations split into parts.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeInfo {
    pub number: String,
    pub title: String,
    pub cause: String,
    /// The manifestations split into their parts (`一是…`, `二是…`).
    pub manifestations: Vec<String>,
    pub recommendation: String,
    /// The suggestion's own title (chapter 六); empty: the problem's title is used.
    #[serde(default)]
    pub recommendation_title: String,
}

/// Split `一是…；二是…。` into its parts (or keep one part).
fn split_parts(text: &str) -> Vec<String> {
    let marks = ["一是", "二是", "三是", "四是", "五是", "六是"];
    let mut cuts: Vec<usize> = marks.iter().filter_map(|m| text.find(m)).collect();
    cuts.sort();
    if cuts.len() < 2 {
        return vec![text.trim().to_string()].into_iter().filter(|t| !t.is_empty()).collect();
    }
    let mut out = Vec::new();
    if cuts[0] > 0 {
        let head = text[..cuts[0]].trim();
        if !head.is_empty() {
            out.push(head.to_string());
        }
    }
    for (i, &c) in cuts.iter().enumerate() {
        let end = cuts.get(i + 1).copied().unwrap_or(text.len());
        out.push(text[c..end].trim().to_string());
    }
    out
}

/// The working paper's problem themes, in order.
pub(super) fn themes(paper: Option<&crate::model::WorkingPaper>) -> Vec<ThemeInfo> {
    paper
        .map(|p| {
            p.themes
                .iter()
                .map(|t| ThemeInfo {
                    number: t.number.clone(),
                    title: t.title.clone(),
                    cause: t.cause.clone(),
                    manifestations: split_parts(&t.manifestations),
                    recommendation: t.recommendation.clone(),
                    recommendation_title: t.recommendation_title.clone(),
                })
                .collect()
        })
        .unwrap_or_default()
}
