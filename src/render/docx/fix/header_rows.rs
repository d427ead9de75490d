//! [`repeat_header_rows`](super::repeat_header_rows): `w:tblHeader` and `w:cantSplit` on table rows.

use super::schema::TR_PR;
use super::tree::{fragment, is_on, Elem, Node};

/// A body row estimated taller than this (twips: 4.2 cm, about ten lines of
/// a table) may break across pages — kept whole it would leave most of a
/// page blank; a shorter row never breaks.
pub const SPLITTABLE_ROW_HEIGHT: i64 = 2400;

/// A rough height of row `tr` in twips: for each cell, its characters at
/// the cell's font size (`w:sz` of its first run, else 12 pt; a CJK
/// character is as wide as the font is high) wrapped in the cell's width
/// (`w:tcW`, less 0.2 cm of margins), at 1.2 lines; the tallest cell.
fn row_height(tr: &Elem<'_>, w: &str) -> i64 {
    fn first_size(e: &Elem<'_>, w: &str) -> Option<i64> {
        if e.is(w, "sz") {
            return e.attr(&format!("{w}val")).and_then(|v| v.parse().ok());
        }
        e.elems().find_map(|c| first_size(c, w))
    }
    tr.elems()
        .filter(|c| c.is(w, "tc"))
        .map(|tc| {
            let size = first_size(tc, w).unwrap_or(24) * 10; // half-points → twips
            let width = tc
                .child(w, "tcPr")
                .and_then(|p| p.child(w, "tcW"))
                .and_then(|t| t.attr(&format!("{w}w")))
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or(2000);
            let per_line = ((width - 114).max(size) / size).max(1);
            let chars = tc.text_chars() as i64;
            let lines = ((chars + per_line - 1) / per_line).max(1);
            lines * size * 6 / 5
        })
        .max()
        .unwrap_or(0)
}

/// Is table `tbl` kept on one page: does every paragraph of every row but
/// the last keep with the next (`w:keepNext`)? Then no row of it splits,
/// however tall.
fn kept_on_one_page(tbl: &Elem<'_>, w: &str) -> bool {
    fn paragraphs_keep(e: &Elem<'_>, w: &str) -> bool {
        if e.is(w, "p") {
            return e.child(w, "pPr").and_then(|p| p.child(w, "keepNext")).is_some_and(|k| is_on(k, w));
        }
        e.elems().all(|c| paragraphs_keep(c, w))
    }
    let rows: Vec<&Elem<'_>> = tbl.elems().filter(|c| c.is(w, "tr")).collect();
    rows.len() >= 2 && rows[..rows.len() - 1].iter().all(|tr| paragraphs_keep(tr, w))
}

pub(super) fn header_rows(e: &mut Elem<'_>, w: &str) -> bool {
    let mut changed = false;
    for c in e.elems_mut() {
        changed |= header_rows(c, w);
    }
    if !e.is(w, "tbl") {
        return changed;
    }
    let on =
        |tr: &Elem<'_>, local: &str| tr.child(w, "trPr").and_then(|p| p.child(w, local)).is_some_and(|c| is_on(c, w));
    // The header: rows already marked as such, else the leading `cantSplit` run.
    let marked = e.elems().filter(|c| c.is(w, "tr")).any(|tr| on(tr, "tblHeader"));
    let kept = kept_on_one_page(e, w);
    let mut in_header = true;
    for row in e.elems_mut().filter(|c| c.is(w, "tr")) {
        in_header &= if marked { on(row, "tblHeader") } else { on(row, "cantSplit") };
        if !in_header && !kept && row_height(row, w) > SPLITTABLE_ROW_HEIGHT {
            // A long row may break: kept whole it would leave most of a page blank.
            continue;
        }
        if row.child(w, "trPr").is_none() {
            // CT_Row: tblPrEx?, trPr?, then the cells.
            let at = row.position(w, "tblPrEx").map_or(0, |i| i + 1);
            row.open();
            row.children.insert(at, Node::Elem(fragment(&format!("<{w}trPr></{w}trPr>"))));
        }
        let tr_pr = row.child_mut(w, "trPr").expect("inserted above");
        // Header rows repeat on every page; no row (header or body) splits across pages.
        let wanted: &[&str] = if in_header { &["cantSplit", "tblHeader"] } else { &["cantSplit"] };
        for local in wanted {
            let mark = fragment(&format!("<{w}{local}/>"));
            match tr_pr.position(w, local) {
                Some(i) => {
                    let Node::Elem(old) = &tr_pr.children[i] else { unreachable!() };
                    if !is_on(old, w) {
                        tr_pr.children[i] = Node::Elem(mark);
                        changed = true;
                    }
                }
                None => {
                    tr_pr.insert_ranked(w, mark, TR_PR);
                    changed = true;
                }
            }
        }
    }
    changed
}
