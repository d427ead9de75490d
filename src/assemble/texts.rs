//! The 文字 of the working paper by name, a placeholder for each one the
//! templates in use need and the paper lacks.

use std::collections::BTreeMap;

use super::placeholder;

/// The working paper's 文字, and a placeholder under the name of each
/// 文字 the templates need and the case lacks.
pub(super) fn texts(
    paper: Option<&crate::model::WorkingPaper>,
    missing: &crate::missing::Missing,
) -> BTreeMap<String, String> {
    let mut texts: BTreeMap<String, String> = paper.map(|p| p.texts.iter().cloned().collect()).unwrap_or_default();
    // A text asked for under a near name is printed under the name asked.
    if let Some(p) = paper {
        for near in &missing.near {
            if let Some(v) = p.text(&near.typed) {
                texts.entry(near.asked.clone()).or_insert_with(|| v.to_string());
            }
        }
    }
    for item in &missing.texts {
        if let Some(name) = item.what.strip_prefix("文字“").and_then(|n| n.strip_suffix('”')) {
            texts.insert(name.to_string(), placeholder(&item.what));
        }
    }
    texts
}
