//! After docx-rs has built the parts: the core properties and the font
//! table written, the document's sections linked, every part put in schema
//! order (`render::docx::fix`), paragraph ids renumbered, the parts checked
//! for characters XML cannot hold, and the charts' drawings placed.

use docx_rs::XMLDocx;

use super::body::CHART_MARKER;
use super::page::{link_sections, TEXT_W};
use super::style::{font_table, word_defaults, xml_escape, Fonts};
use super::{first_invalid_xml_byte, DocxError, Meta};
use crate::render::docx::chart::{self, BarChart};
use crate::render::docx::{fix, package};

/// Each part is taken as text once (no copy) and given back once.
fn text(b: &mut Vec<u8>) -> String {
    package::text(std::mem::take(b))
}

/// Title and author in the core properties (docx-rs writes `unknown`), and
/// the font table.
pub(super) fn set_properties(xml: &mut XMLDocx, meta: &Meta, f: &Fonts) {
    let author = xml_escape(if meta.author.is_empty() { "jixiao" } else { &meta.author });
    let core = text(&mut xml.doc_props.core).replace(
        "<dc:creator>unknown</dc:creator><cp:lastModifiedBy>unknown</cp:lastModifiedBy>",
        &format!(
            "<dc:title>{}</dc:title><dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy>",
            xml_escape(&meta.title)
        ),
    );
    xml.doc_props.core = core.into_bytes();
    xml.font_table = font_table(f).into_bytes();
}

/// The document (taken out of `xml`, to be given back with its charts)
/// with the 目录's tab at the text width, its sections linked after the
/// `front_matter` sections and its hyphens inside codes unbreakable
/// ([`no_break_hyphens`]); it, the styles (with [`word_defaults`]), the
/// numbering, the settings, the footers and the headers in schema order.
/// `update_fields`: Word is to update the fields on opening (`w:updateFields`)
/// — only when the 目录's page numbers could not be filled; otherwise Word
/// would ask about it on every opening of a finished report.
pub(super) fn fix_parts(xml: &mut XMLDocx, front_matter: usize, update_fields: bool) -> String {
    // docx-rs sets the 目录's right tab at 80000 twips, past the page edge.
    let document = text(&mut xml.document).replace("w:pos=\"80000\"", &format!("w:pos=\"{TEXT_W}\""));
    let document = no_break_hyphens(&link_sections(&document, front_matter));
    let styles = word_defaults(&text(&mut xml.styles));
    let settings = text(&mut xml.settings);
    let settings = if update_fields { fix::update_fields_on_open(&settings) } else { settings };
    let document = fix::fix_document(&document);
    xml.styles = fix::normalize_part(&styles).into_bytes();
    xml.numberings = fix::normalize_part(&text(&mut xml.numberings)).into_bytes();
    xml.settings = fix::normalize_part(&settings).into_bytes();
    for part in xml.footers.iter_mut().chain(xml.headers.iter_mut()) {
        *part = fix::normalize_part(&text(part)).into_bytes();
    }
    document
}

/// docx-rs numbers paragraphs from a process-wide counter: renumber them
/// per document (`document`, then the footers and headers of `xml`) so
/// that the same inputs give the same bytes.
pub(super) fn renumber_paragraphs(xml: &mut XMLDocx, document: &str) -> String {
    let mut next = 1u32;
    let document = renumber_para_ids(document, &mut next);
    for part in xml.footers.iter_mut().chain(xml.headers.iter_mut()) {
        *part = renumber_para_ids(&text(part), &mut next).into_bytes();
    }
    document
}

/// An error if the document, the styles or a footer holds a byte XML does
/// not allow (the report is then not written).
pub(super) fn check_characters(xml: &XMLDocx, document: &str) -> Result<(), DocxError> {
    let parts = [("word/document.xml", document.as_bytes()), ("word/styles.xml", &xml.styles)];
    for (part, bytes) in parts.into_iter().chain(xml.footers.iter().map(|f| ("word/footer.xml", f.as_slice()))) {
        if let Some(offset) = first_invalid_xml_byte(bytes) {
            return Err(DocxError::Malformed { part, offset });
        }
    }
    Ok(())
}

/// Each `@chart` is a chart part of its own (Word edits them separately):
/// the `n`-th marker run of `document` becomes the inline drawing of chart `n`.
pub(super) fn place_charts(mut document: String, charts: &[BarChart]) -> String {
    for (i, c) in charts.iter().enumerate() {
        let height = chart_height(c.categories.len());
        let run = chart::inline_run(&package::chart_rel_id(i + 1), i as u32 + 1, TEXT_W, height, &c.description());
        document = place_chart(&document, &run);
    }
    document
}

/// Replace the run holding [`CHART_MARKER`] with `run` (the chart's inline drawing).
fn place_chart(document: &str, run: &str) -> String {
    let Some(at) = document.find(CHART_MARKER) else { return document.to_string() };
    let start = document[..at].rfind("<w:r>").or_else(|| document[..at].rfind("<w:r ")).unwrap_or(at);
    let end = document[at..].find("</w:r>").map_or(at + CHART_MARKER.len(), |e| at + e + "</w:r>".len());
    format!("{}{run}{}", &document[..start], &document[end..])
}

/// Height of the 一级 chart: a band per bar plus the axis labels.
fn chart_height(bars: usize) -> u32 {
    900 + 520 * bars.max(1) as u32
}

/// Replace every `w14:paraId="…"` with sequential ids from `next`.
fn renumber_para_ids(xml: &str, next: &mut u32) -> String {
    const KEY: &str = "w14:paraId=\"";
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(i) = rest.find(KEY) {
        out.push_str(&rest[..i + KEY.len()]);
        let after = &rest[i + KEY.len()..];
        let end = after.find('"').unwrap_or(0);
        out.push_str(&format!("{:08X}", *next));
        *next += 1;
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The text of every run (`w:t`) with each hyphen inside a code or a
/// reference — an ASCII letter or digit before it, a digit after it:
/// `表3-1`, `图3-1`, `jz-02-0001号`, `2024-12-31` — written as
/// `w:noBreakHyphen`: Word and LibreOffice break a line after a hyphen, and
/// `表3-` / `3` or `jz-` / `02-0001号` on two lines reads wrong. It prints as
/// a hyphen; the text is otherwise untouched.
pub(super) fn no_break_hyphens(document: &str) -> String {
    const OPEN: &str = "<w:t xml:space=\"preserve\">";
    const CLOSE: &str = "</w:t>";
    let mut out = String::with_capacity(document.len() + document.len() / 64);
    let mut rest = document;
    while let Some(i) = rest.find(OPEN) {
        let start = i + OPEN.len();
        let Some(len) = rest[start..].find(CLOSE) else { break };
        out.push_str(&rest[..start]);
        let text = &rest[start..start + len];
        let mut from = 0;
        for at in code_hyphens(text) {
            out.push_str(&text[from..at]);
            out.push_str(CLOSE);
            out.push_str("<w:noBreakHyphen/>");
            out.push_str(OPEN);
            from = at + 1;
        }
        out.push_str(&text[from..]);
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out
}

/// The byte offsets of the hyphens of `text` that [`no_break_hyphens`] keeps
/// unbroken. (ASCII bytes never occur inside a multi-byte character, and an
/// escaped `&amp;` / `&lt;` has `;` after it, never a digit.)
fn code_hyphens(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    (1..b.len().saturating_sub(1))
        .filter(|&i| b[i] == b'-' && b[i - 1].is_ascii_alphanumeric() && b[i + 1].is_ascii_digit())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> String {
        format!("<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r>")
    }

    #[test]
    fn hyphens_inside_codes_and_references_do_not_break() {
        let nb = "</w:t><w:noBreakHyphen/><w:t xml:space=\"preserve\">";
        assert_eq!(no_break_hyphens(&t("表3-1 收入")), t(&format!("表3{nb}1 收入")));
        assert_eq!(no_break_hyphens(&t("见图3-1。")), t(&format!("见图3{nb}1。")));
        assert_eq!(no_break_hyphens(&t("（枣财jz-02-0001号）")), t(&format!("（枣财jz{nb}02{nb}0001号）")));
        // A dash between words, a minus sign, a range of words, a lone dash: unchanged.
        for plain in ["-", "-5.00", "差额 -3", "A-B", "预算—决算", "a-", "-1"] {
            assert_eq!(no_break_hyphens(&t(plain)), t(plain), "{plain}");
        }
        // Field instructions and attributes are not run text.
        let field = "<w:instrText>PAGEREF _Toc-1 \\h</w:instrText><w:tab w:val=\"a-1\" />";
        assert_eq!(no_break_hyphens(field), field);
    }
}
