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
/// with the 目录's tab at the text width and its sections linked after the
/// `front_matter` sections; it, the styles (with [`word_defaults`]), the
/// numbering, the settings, the footers and the headers in schema order.
pub(super) fn fix_parts(xml: &mut XMLDocx, front_matter: usize) -> String {
    // docx-rs sets the 目录's right tab at 80000 twips, past the page edge.
    let document = text(&mut xml.document).replace("w:pos=\"80000\"", &format!("w:pos=\"{TEXT_W}\""));
    let document = link_sections(&document, front_matter);
    let styles = word_defaults(&text(&mut xml.styles));
    let (document, styles, numberings, settings) =
        fix::fix_parts(&document, &styles, &text(&mut xml.numberings), &text(&mut xml.settings));
    xml.styles = styles.into_bytes();
    xml.numberings = numberings.into_bytes();
    xml.settings = settings.into_bytes();
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
