//! Text as runs: placeholders highlighted, line breaks, characters XML cannot hold dropped.

use docx_rs::*;

use crate::model::value::{is_xml_char, LINE_BREAK};

/// `text` added to `p` as runs of one style, each missing value
/// (`【待填：…】`, `【待填】`) a run of its own, highlighted, so the draft's
/// holes are seen and nothing else is marked.
pub(super) fn add_text(mut p: Paragraph, text: &str, style: impl Fn(Run) -> Run) -> Paragraph {
    for (part, missing) in placeholder_parts(text) {
        let r = style(text_run(Run::new(), part));
        p = p.add_run(if missing { r.highlight("yellow") } else { r });
    }
    p
}

/// `text` cut into its plain parts and its placeholders (`true`).
fn placeholder_parts(text: &str) -> Vec<(&str, bool)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("【待填") {
        let Some(len) = rest[start..].find('】').map(|e| e + '】'.len_utf8()) else { break };
        if start > 0 {
            out.push((&rest[..start], false));
        }
        out.push((&rest[start..start + len], true));
        rest = &rest[start + len..];
    }
    if !rest.is_empty() || out.is_empty() {
        out.push((rest, false));
    }
    out
}

/// The text of a run: a [`LINE_BREAK`] becomes a line break (`w:br`), and
/// characters XML cannot hold are dropped (a template may print anything).
fn text_run(mut run: Run, text: &str) -> Run {
    for (i, line) in text.split(LINE_BREAK).enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        if line.chars().all(is_xml_char) {
            run = run.add_text(line);
        } else {
            run = run.add_text(line.chars().filter(|c| is_xml_char(*c)).collect::<String>());
        }
    }
    run
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_placeholders_are_marked() {
        assert_eq!(
            placeholder_parts("受【待填：项目信息“委托方”】委托，【待填】。"),
            [("受", false), ("【待填：项目信息“委托方”】", true), ("委托，", false), ("【待填】", true), ("。", false)]
        );
        assert_eq!(placeholder_parts("全文"), [("全文", false)]);
        assert_eq!(placeholder_parts("未闭合【待填："), [("未闭合【待填：", false)]);
        assert_eq!(placeholder_parts(""), [("", false)]);
    }
}
