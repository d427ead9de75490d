//! Text as runs: placeholders highlighted, line breaks, characters XML
//! cannot hold dropped, Chinese text hinted as East Asian.

use docx_rs::*;

use crate::model::value::{is_xml_char, LINE_BREAK};

/// `text` added to `p` as runs of one style, each missing value
/// (`【待填：…】`, `【待填】`) a run of its own, highlighted, so the draft's
/// holes are seen and nothing else is marked. A run of Chinese text
/// ([`is_chinese`]) gets [`east_asian_hint`].
pub(super) fn add_text(mut p: Paragraph, text: &str, style: impl Fn(Run) -> Run) -> Paragraph {
    for (part, missing) in placeholder_parts(text) {
        let mut r = style(text_run(Run::new(), part));
        if is_chinese(part) {
            r = east_asian_hint(r);
        }
        p = p.add_run(if missing { r.highlight("yellow") } else { r });
    }
    p
}

/// `w:hint="eastAsia"` on the run's fonts: the characters Word may draw in
/// either font (“ ” ‘ ’ — … · and the like) are drawn in the East Asian one,
/// as Chinese punctuation, not in the Latin font (ASCII letters and digits
/// keep the Latin font whatever the hint).
pub(super) fn east_asian_hint(mut r: Run) -> Run {
    let fonts = r.run_property.fonts.take().unwrap_or_default().hint("eastAsia");
    r.fonts(fonts)
}

/// Is `text` Chinese: does it hold a CJK character (ideographs, CJK
/// punctuation, full-width forms), or the punctuation Chinese text shares
/// with Latin (“ ” ‘ ’ — … ·) and no ASCII letter?
pub(super) fn is_chinese(text: &str) -> bool {
    let cjk = |c: char| {
        matches!(c as u32,
            0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F | 0x3190..=0x31FF
            | 0x3200..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
    };
    let shared = |c: char| matches!(c, '“' | '”' | '‘' | '’' | '—' | '―' | '…' | '·' | '※' | '℃' | '№');
    text.chars().any(cjk) || (text.chars().any(shared) && !text.chars().any(|c| c.is_ascii_alphabetic()))
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

    #[test]
    fn chinese_runs_are_hinted_east_asian() {
        assert!(is_chinese("2024年度") && is_chinese("（万元）") && is_chinese("“优”") && is_chinese("——"));
        assert!(!is_chinese("1,241.13") && !is_chinese("100.00%") && !is_chinese("Times “New”") && !is_chinese(""));
        let p = add_text(Paragraph::new(), "得分“82.03”", |r| r.fonts(RunFonts::new().east_asia("仿宋")));
        let xml = String::from_utf8(p.build()).unwrap();
        assert!(xml.contains(r#"<w:rFonts w:eastAsia="仿宋" w:hint="eastAsia" />"#), "{xml}");
        let p = add_text(Paragraph::new(), "82.03", |r| r);
        assert!(!String::from_utf8(p.build()).unwrap().contains("w:hint"));
    }
}
