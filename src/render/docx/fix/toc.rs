//! [`toc_sdt`](super::toc_sdt): the table of contents as a document part.

use std::borrow::Cow;

use super::schema::SDT_PR;
use super::tree::{at, at_mut, find_path, fragment, Elem, Node};
use super::xml::set_attr;

/// docx-rs's placeholder position of the TOC entries' page-number tab.
const DOCX_RS_TOC_TAB: &str = "80000";

#[derive(Clone, Copy, PartialEq)]
enum FieldEvent {
    Begin,
    End,
    TocInstr,
}

pub(super) fn mark_toc(body: &mut Elem<'_>, w: &str) -> bool {
    let Some(path) = find_path(&body.children, &|e| is_toc_instr(e, w)) else {
        return false;
    };
    let width = text_width_after(body, path[0], w);
    // The outermost w:sdt around the field, if any.
    let sdt_depth = (0..path.len()).find(|&d| at(&body.children, &path[..=d]).is(w, "sdt"));
    let sdt = match sdt_depth {
        Some(d) => at_mut(&mut body.children, &path[..=d]),
        None => {
            // Wrap the paragraphs from the field's begin to its end.
            let Some(p_depth) = (0..path.len()).find(|&d| at(&body.children, &path[..=d]).is(w, "p")) else {
                return false;
            };
            let container = if p_depth == 0 {
                &mut body.children
            } else {
                &mut at_mut(&mut body.children, &path[..p_depth]).children
            };
            let first = path[p_depth];
            let Some(last) = field_end(&container[first..], w).map(|n| first + n) else {
                return false;
            };
            let content: Vec<Node<'_>> = container.drain(first..=last).collect();
            let mut sdt = fragment(&format!("<{w}sdt><{w}sdtPr/><{w}sdtContent/></{w}sdt>"));
            if let Some(c) = sdt.child_mut(w, "sdtContent") {
                c.open();
                c.children = content;
            }
            container.insert(first, Node::Elem(sdt));
            let Node::Elem(sdt) = &mut container[first] else { unreachable!() };
            sdt
        }
    };
    let mut changed = false;
    if sdt.child(w, "sdtPr").is_none() {
        sdt.open();
        sdt.children.insert(0, Node::Elem(fragment(&format!("<{w}sdtPr/>"))));
    }
    if let Some(pr) = sdt.child_mut(w, "sdtPr") {
        if pr.child(w, "docPartObj").is_none() {
            let part = format!(
                r#"<{w}docPartObj><{w}docPartGallery {w}val="Table of Contents"/><{w}docPartUnique/></{w}docPartObj>"#
            );
            pr.insert_ranked(w, fragment(&part), SDT_PR);
            changed = true;
        }
    }
    if let Some(content) = sdt.child_mut(w, "sdtContent") {
        changed |= unwrap_bare_sdts(content, w);
        changed |= end_in_last_entry(content, w);
    }
    if let Some(width) = width {
        changed |= fix_toc_tabs(sdt, w, &width.to_string());
    }
    changed
}

/// Replaces each child `w:sdt` of `content` whose `w:sdtPr` is empty (a
/// plain rich-text control) by the content it wraps.
fn unwrap_bare_sdts(content: &mut Elem<'_>, w: &str) -> bool {
    let bare = |n: &Node<'_>| match n {
        Node::Elem(e) => {
            e.is(w, "sdt")
                && e.child(w, "sdtPr").is_none_or(|p| !p.has_elements())
                && e.child(w, "sdtEndPr").is_none()
                && e.child(w, "sdtContent").is_some()
        }
        Node::Other(_) => false,
    };
    if !content.children.iter().any(bare) {
        return false;
    }
    let mut out = Vec::with_capacity(content.children.len());
    for node in content.children.drain(..) {
        if bare(&node) {
            let Node::Elem(sdt) = node else { unreachable!() };
            for c in sdt.children {
                if let Node::Elem(inner) = c {
                    if inner.is(w, "sdtContent") {
                        out.extend(inner.children);
                    }
                }
            }
        } else {
            out.push(node);
        }
    }
    content.children = out;
    true
}

/// docx-rs ends the TOC field in a paragraph of its own after the last
/// entry: one more line of the 目录's style, which, when the entries fill
/// the page, is carried to a page of its own — a blank page before the body.
/// When the last paragraph of `content` holds nothing but the field's end,
/// its runs move to the end of the paragraph before it (the last entry, as
/// Word writes it) and it goes.
fn end_in_last_entry(content: &mut Elem<'_>, w: &str) -> bool {
    let paragraphs: Vec<usize> = (0..content.children.len())
        .filter(|&i| matches!(&content.children[i], Node::Elem(e) if e.is(w, "p")))
        .collect();
    let [.., entry, last] = paragraphs[..] else { return false };
    let Node::Elem(p) = &content.children[last] else { return false };
    let field_end = |c: &Elem<'_>| c.is(w, "fldChar") && c.attr(&format!("{w}fldCharType")) == Some("end");
    let only_the_end =
        p.elems().all(|c| c.is(w, "pPr") || (c.is(w, "r") && c.elems().all(|r| r.is(w, "rPr") || field_end(r))));
    let ends = p.elems().any(|c| c.is(w, "r") && c.elems().any(field_end));
    let after = content.children[last + 1..].iter().any(|n| matches!(n, Node::Elem(_)));
    if !only_the_end || !ends || after {
        return false;
    }
    let Node::Elem(p) = content.children.remove(last) else { return false };
    let runs = p.children.into_iter().filter(|n| matches!(n, Node::Elem(e) if e.is(w, "r")));
    let Node::Elem(entry) = &mut content.children[entry] else { return false };
    entry.open();
    entry.children.extend(runs);
    true
}

fn fix_toc_tabs(e: &mut Elem<'_>, w: &str, width: &str) -> bool {
    let mut changed = false;
    if e.is(w, "tab") && e.attr(&format!("{w}pos")) == Some(DOCX_RS_TOC_TAB) {
        if let Some(start) = set_attr(&e.start, &format!("{w}pos"), width) {
            e.start = Cow::Owned(start);
            changed = true;
        }
    }
    for c in e.elems_mut() {
        changed |= fix_toc_tabs(c, w, width);
    }
    changed
}

fn is_toc_instr(e: &Elem<'_>, w: &str) -> bool {
    if !e.is(w, "instrText") {
        return false;
    }
    let text = e.text();
    let text = text.trim_start();
    text.strip_prefix("TOC").is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))
}

/// Index (within `nodes`) of the node holding the end of the field whose
/// instruction is the first TOC instruction in `nodes`.
fn field_end(nodes: &[Node<'_>], w: &str) -> Option<usize> {
    let mut events = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        if let Node::Elem(e) = n {
            field_events(e, w, i, &mut events);
        }
    }
    let toc = events.iter().position(|&(_, ev)| ev == FieldEvent::TocInstr)?;
    let begin = events[..toc].iter().rposition(|&(_, ev)| ev == FieldEvent::Begin)?;
    let mut depth = 0usize;
    for &(i, ev) in &events[begin..] {
        match ev {
            FieldEvent::Begin => depth += 1,
            FieldEvent::End => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            FieldEvent::TocInstr => {}
        }
    }
    None
}

fn field_events(e: &Elem<'_>, w: &str, index: usize, out: &mut Vec<(usize, FieldEvent)>) {
    if e.is(w, "fldChar") {
        match e.attr(&format!("{w}fldCharType")) {
            Some("begin") => out.push((index, FieldEvent::Begin)),
            Some("end") => out.push((index, FieldEvent::End)),
            _ => {}
        }
    } else if is_toc_instr(e, w) {
        out.push((index, FieldEvent::TocInstr));
    }
    for c in e.elems() {
        field_events(c, w, index, out);
    }
}

/// Text width (twips) of the section holding body child `from`: page width
/// less left and right margins and gutter, from the first `w:sectPr` at or
/// after it.
fn text_width_after(body: &Elem<'_>, from: usize, w: &str) -> Option<i64> {
    let sect = body.children[from..].iter().find_map(|n| match n {
        Node::Elem(e) if e.is(w, "sectPr") => Some(e),
        Node::Elem(e) if e.is(w, "p") => e.child(w, "pPr").and_then(|p| p.child(w, "sectPr")),
        _ => None,
    })?;
    let num = |e: &Elem<'_>, a: &str| e.attr(&format!("{w}{a}")).and_then(|v| v.parse::<i64>().ok());
    let size = sect.child(w, "pgSz")?;
    let margin = sect.child(w, "pgMar")?;
    let width = num(size, "w")? - num(margin, "left")? - num(margin, "right")? - num(margin, "gutter").unwrap_or(0);
    (width > 0).then_some(width)
}
