//! [`normalize_part`](super::normalize_part): property containers in schema order.

use std::borrow::Cow;

use super::schema::{order_of, rank, DOC_DEFAULTS, RPR, STYLE};
use super::tree::{fragment, local_name, Elem, Node};
use super::xml::remove_attr;

pub(super) fn normalize(e: &mut Elem<'_>, w: &str) {
    for c in e.elems_mut() {
        normalize(c, w);
    }
    let Some(local) = local_name(&e.name, w) else {
        return;
    };
    let order = order_of(local);
    match local {
        // CT_TblGridCol has w:w only.
        "gridCol" => {
            if let Some(start) = remove_attr(&e.start, &format!("{w}type")) {
                e.start = Cow::Owned(start);
            }
        }
        // CT_PPrGeneral: no w:rPr in the w:pPr of a style, a level, a table style part.
        "style" | "lvl" | "tblStylePr" => {
            if let Some(rpr) = e.child_mut(w, "pPr").and_then(|p| p.take(w, "rPr")) {
                merge_rpr(e, rpr, order.unwrap_or(STYLE), w);
            }
        }
        "docDefaults" => {
            if let Some(rpr) =
                e.child_mut(w, "pPrDefault").and_then(|d| d.child_mut(w, "pPr")).and_then(|p| p.take(w, "rPr"))
            {
                if rpr.has_elements() {
                    if e.child(w, "rPrDefault").is_none() {
                        e.insert_ranked(w, fragment(&format!("<{w}rPrDefault/>")), DOC_DEFAULTS);
                    }
                    if let Some(d) = e.child_mut(w, "rPrDefault") {
                        merge_rpr(d, rpr, &["rPr"], w);
                    }
                }
            }
        }
        _ => {}
    }
    if let Some(order) = order {
        sort_children(&mut e.children, order, w);
    }
}

/// Moves the children of `rpr` that `owner`'s own `w:rPr` lacks into it
/// (creating it at its place in `order`); an empty `rpr` just goes.
fn merge_rpr<'a>(owner: &mut Elem<'a>, rpr: Elem<'a>, order: &[&str], w: &str) {
    if !rpr.has_elements() {
        return;
    }
    if owner.child(w, "rPr").is_none() {
        owner.insert_ranked(w, fragment(&format!("<{w}rPr/>")), order);
    }
    let Some(target) = owner.child_mut(w, "rPr") else { return };
    target.open();
    for node in rpr.children {
        if let Node::Elem(c) = node {
            let present = target.elems().any(|t| t.name == c.name);
            if !present {
                target.children.push(Node::Elem(c));
            }
        }
    }
    sort_children(&mut target.children, RPR, w);
}

/// Stable sort of `children` by schema rank. Text, whitespace and comments
/// travel with the element after them; an element not in `order` keeps the
/// rank of the one before it. Of a non-repeatable child that occurs more
/// than once, the last non-empty occurrence stays.
fn sort_children(children: &mut Vec<Node<'_>>, order: &[&str], w: &str) {
    struct Item<'a> {
        key: usize,
        unique: Option<usize>,
        empty: bool,
        nodes: Vec<Node<'a>>,
    }
    let known = |n: &Node<'_>| match n {
        Node::Elem(e) => local_name(&e.name, w).and_then(|l| rank(order, l)).is_some(),
        Node::Other(_) => false,
    };
    // Nothing to do for containers without known children (the common case
    // of an empty w:rPr).
    if !children.iter().any(known) {
        return;
    }
    let mut items: Vec<Item<'_>> = Vec::new();
    let mut pending: Vec<Node<'_>> = Vec::new();
    let mut key = 0;
    for node in children.drain(..) {
        match node {
            Node::Other(_) => pending.push(node),
            Node::Elem(e) => {
                let mut unique = None;
                if let Some((r, repeatable)) = local_name(&e.name, w).and_then(|l| rank(order, l)) {
                    key = r;
                    if !repeatable {
                        unique = Some(r);
                    }
                }
                let empty = !e.has_elements() && !e.start.contains('=');
                pending.push(Node::Elem(e));
                items.push(Item { key, unique, empty, nodes: std::mem::take(&mut pending) });
            }
        }
    }
    items.sort_by_key(|it| it.key);
    // Which occurrence of each non-repeatable child stays.
    // (rank, index) pairs: a handful per element, a list beats a map.
    let mut keep: Vec<(usize, usize)> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        if let Some(r) = it.unique {
            match keep.iter_mut().find(|(k, _)| *k == r) {
                Some((_, j)) if !it.empty || items[*j].empty => *j = i,
                Some(_) => {}
                None => keep.push((r, i)),
            }
        }
    }
    let kept = |r: usize| keep.iter().find(|(k, _)| *k == r).map(|(_, j)| *j);
    for (i, it) in items.into_iter().enumerate() {
        if it.unique.is_none_or(|r| kept(r) == Some(i)) {
            children.extend(it.nodes);
        }
    }
    children.extend(pending);
}
