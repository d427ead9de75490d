//! Post-processing of the WordprocessingML parts docx-rs 0.4.22 writes:
//! `Docx::build()` gives the parts of an [`XMLDocx`] as byte buffers; patch
//! them here, then `pack()`.
//!
//! * [`normalize_part`] — docx-rs writes property elements out of schema
//!   order (`w:rPr` first in every `w:pPr`, `w:footerReference` after
//!   `w:pgMar`, `w:shd` after `w:vAlign`, …), an empty `w:rPr` in the
//!   `w:pPr` of styles and numbering levels (which may not have one) and a
//!   `w:type` attribute on `w:gridCol`. Word may answer that with its repair
//!   prompt; `../shared/ooxml/validate-docx` lists every such error. This
//!   re-orders the children of every property container by the sequence of
//!   its schema type (tables below), drops duplicates the schema forbids,
//!   and fixes the rest.
//! * [`repeat_header_rows`] — `w:tblHeader` (repeat as header row on every
//!   page), which docx-rs cannot write. **Convention:** the renderer marks a
//!   table's header rows with docx-rs's `TableRow::cant_split()`; the
//!   leading run of rows whose `w:trPr` holds `w:cantSplit` gets
//!   `<w:tblHeader/>` as well (a header row should not split anyway); every
//!   other row up to [`SPLITTABLE_ROW_HEIGHT`] (estimated) gets
//!   `w:cantSplit` (a short row never breaks across a page; a long one may,
//!   or it would leave most of a page blank), every row of a table kept on
//!   one page (every paragraph of its rows but the last `w:keepNext`) gets it
//!   whatever its height. Only leading rows: Word repeats nothing else — but do not mark
//!   the first row of a table that has no header.
//! * [`toc_sdt`] — marks the TOC as a "Table of Contents" document part
//!   (`w:docPartObj`), which Word and LibreOffice look for, and ends its
//!   field in its last entry (not in a paragraph of its own, a line that can
//!   make a page of its own).
//! * [`update_fields_on_open`] — `w:updateFields`, so Word offers to update
//!   the TOC's page numbers on opening.
//! * [`fix_parts`] applies them all to the four parts that need them,
//!   [`fix_xml_docx`] to every WordprocessingML part of an [`XMLDocx`].
//!
//! The parts are machine-written, well-formed XML without DTDs, so a small
//! tokenizer suffices; every element, attribute, text and whitespace that is
//! not moved or patched keeps its bytes. Input that does not parse is
//! returned unchanged. Element names are matched by local name under the
//! prefix the root element binds to the WordprocessingML namespace (`w:`
//! from docx-rs).
//!
//! The modules: `schema` (the child orders), `normalize` (the
//! re-ordering), `header_rows`, `toc`, `tree` (the parsed part and its
//! edits) and `xml` (the tokenizer).

use docx_rs::XMLDocx;

mod header_rows;
mod normalize;
mod schema;
mod toc;
mod tree;
mod xml;

#[cfg(test)]
mod tests;

use header_rows::header_rows;
pub use header_rows::SPLITTABLE_ROW_HEIGHT;
use normalize::normalize;
use schema::SETTINGS;
use toc::mark_toc;
use tree::{fragment, is_on, Node, Part};

/// Re-orders the children of every property container of a
/// WordprocessingML part (`document.xml`, `styles.xml`, `numbering.xml`,
/// `settings.xml`, headers, footers, footnotes, comments) into schema
/// order, stable among equals; an element the tables do not know stays
/// behind the element it followed. Also: drops a second child where the
/// schema allows one (keeping the last non-empty one), moves the `w:rPr`
/// docx-rs writes into the `w:pPr` of styles, numbering levels and the
/// paragraph defaults (`CT_PPrGeneral` has none) into their own `w:rPr`
/// (or drops it when empty, as it always is from docx-rs), and removes the
/// `w:type` attribute docx-rs writes on `w:gridCol`.
pub fn normalize_part(xml: &str) -> String {
    let Some(mut part) = Part::parse(xml) else {
        return xml.to_string();
    };
    let w = part.w.clone();
    for node in &mut part.nodes {
        if let Node::Elem(e) = node {
            normalize(e, &w);
        }
    }
    part.to_xml()
}

/// Adds `<w:tblHeader/>` to the `w:trPr` of the header rows of every table
/// (nested ones too): the leading rows whose `w:trPr` holds a `w:cantSplit`
/// that is on — rows the renderer built with docx-rs's
/// `TableRow::cant_split()`. The first row without it ends the header.
/// Every other row then gets `w:cantSplit`: a report's row never breaks
/// across a page. A table that already has `w:tblHeader` rows keeps them
/// as its header (so the pass is idempotent).
pub fn repeat_header_rows(document_xml: &str) -> String {
    transform(document_xml, |part, w| {
        let mut changed = false;
        for node in &mut part.nodes {
            if let Node::Elem(e) = node {
                changed |= header_rows(e, w);
            }
        }
        changed
    })
}

/// Parse a part, apply `f` (which says whether it changed anything) and
/// serialise — or give the text back untouched when it does not parse or
/// nothing changed.
fn transform(xml: &str, f: impl FnOnce(&mut Part<'_>, &str) -> bool) -> String {
    let Some(mut part) = Part::parse(xml) else {
        return xml.to_string();
    };
    let w = part.w.clone();
    if f(&mut part, &w) {
        part.to_xml()
    } else {
        xml.to_string()
    }
}

/// Marks the document's table of contents — the first field whose
/// instruction is `TOC …` — as Word does: a block-level `w:sdt` whose
/// `w:sdtPr` holds `<w:docPartObj><w:docPartGallery w:val="Table of
/// Contents"/><w:docPartUnique/></w:docPartObj>`.
///
/// docx-rs's `TableOfContents` writes the field inside an `w:sdt` with only
/// `w:rPr`/`w:alias` in its `w:sdtPr` — and, with pre-filled items, a
/// second `w:sdt` with an empty `w:sdtPr` inside it. The outer one gets the
/// `w:docPartObj`, the inner one is unwrapped (its paragraphs stay). With
/// `without_sdt()` the paragraphs from the field's begin to its end are
/// wrapped in a new `w:sdt`. Also moves the right-aligned dot-leader tab
/// docx-rs puts at 80000 twips (far past the page edge) in the entries to
/// the right margin of the TOC's section. Without a TOC field, or when it
/// is already marked, the text comes back unchanged.
pub fn toc_sdt(document_xml: &str) -> String {
    transform(document_xml, |part, w| {
        part.root_mut().and_then(|d| d.child_mut(w, "body")).is_some_and(|body| mark_toc(body, w))
    })
}

/// Sets `<w:updateFields w:val="true"/>` in `settings.xml`, at its schema
/// position: Word then offers to update the fields (the TOC's page
/// numbers) when the document is opened.
pub fn update_fields_on_open(settings_xml: &str) -> String {
    let Some(mut part) = Part::parse(settings_xml) else {
        return settings_xml.to_string();
    };
    let w = part.w.clone();
    let Some(settings) = part.root_mut().filter(|e| e.is(&w, "settings")) else {
        return settings_xml.to_string();
    };
    let new = fragment(&format!(r#"<{w}updateFields {w}val="true"/>"#));
    match settings.position(&w, "updateFields") {
        Some(i) => {
            let Node::Elem(old) = &settings.children[i] else { unreachable!() };
            if is_on(old, &w) {
                return settings_xml.to_string();
            }
            settings.children[i] = Node::Elem(new);
        }
        None => settings.insert_ranked(&w, new, SETTINGS),
    }
    part.to_xml()
}

/// [`repeat_header_rows`], [`toc_sdt`] and [`normalize_part`] on
/// `document.xml` in one parse and one serialisation (the same result as
/// applying them in turn, a third of the work).
pub fn fix_document(document_xml: &str) -> String {
    let Some(mut part) = Part::parse(document_xml) else {
        return document_xml.to_string();
    };
    let w = part.w.clone();
    for node in &mut part.nodes {
        if let Node::Elem(e) = node {
            header_rows(e, &w);
        }
    }
    if let Some(body) = part.root_mut().and_then(|d| d.child_mut(&w, "body")) {
        mark_toc(body, &w);
    }
    for node in &mut part.nodes {
        if let Node::Elem(e) = node {
            normalize(e, &w);
        }
    }
    part.to_xml()
}

/// Everything above on the four parts docx-rs writes with errors or gaps:
/// `(document, styles, numbering, settings)` in, the same out.
pub fn fix_parts(document: &str, styles: &str, numbering: &str, settings: &str) -> (String, String, String, String) {
    (
        fix_document(document),
        normalize_part(styles),
        normalize_part(numbering),
        normalize_part(&update_fields_on_open(settings)),
    )
}

/// Why [`fix_xml_docx`] could not patch a document.
#[derive(Debug, thiserror::Error)]
pub enum DocxFixError {
    /// A part (`document.xml`, `header1.xml`, …) that is not UTF-8.
    #[error("{part} is not UTF-8: {source}")]
    NotUtf8 {
        part: String,
        #[source]
        source: std::string::FromUtf8Error,
    },
}

/// [`fix_parts`] on an [`XMLDocx`] from `Docx::build()`, and
/// [`normalize_part`] on its headers, footers, footnotes and comments
/// (which carry the same property elements). Errs only on a part that is
/// not UTF-8.
pub fn fix_xml_docx(x: &mut XMLDocx) -> Result<(), DocxFixError> {
    fn text(name: &str, bytes: &[u8]) -> Result<String, DocxFixError> {
        String::from_utf8(bytes.to_vec()).map_err(|source| DocxFixError::NotUtf8 { part: name.to_string(), source })
    }
    let (document, styles, numbering, settings) = fix_parts(
        &text("document.xml", &x.document)?,
        &text("styles.xml", &x.styles)?,
        &text("numbering.xml", &x.numberings)?,
        &text("settings.xml", &x.settings)?,
    );
    x.document = document.into_bytes();
    x.styles = styles.into_bytes();
    x.numberings = numbering.into_bytes();
    x.settings = settings.into_bytes();
    for (i, part) in x.headers.iter_mut().enumerate() {
        *part = normalize_part(&text(&format!("header{}.xml", i + 1), part)?).into_bytes();
    }
    for (i, part) in x.footers.iter_mut().enumerate() {
        *part = normalize_part(&text(&format!("footer{}.xml", i + 1), part)?).into_bytes();
    }
    x.footnotes = normalize_part(&text("footnotes.xml", &x.footnotes)?).into_bytes();
    x.comments = normalize_part(&text("comments.xml", &x.comments)?).into_bytes();
    Ok(())
}
