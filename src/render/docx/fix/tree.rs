//! The tree a part is parsed into, and its edits.

use std::borrow::Cow;

use super::schema::rank;
use super::xml::{attrs, parse};

pub(super) const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

#[derive(Debug, Clone)]
pub(super) enum Node<'a> {
    Elem(Elem<'a>),
    /// Text, whitespace, comments, processing instructions, CDATA — verbatim.
    Other(Cow<'a, str>),
}

#[derive(Debug, Clone)]
pub(super) struct Elem<'a> {
    /// Qualified name, `w:pPr`.
    pub(super) name: Cow<'a, str>,
    /// The start tag as written: `<w:pPr>`, or `<w:pPr />` when `end` is `None`.
    pub(super) start: Cow<'a, str>,
    pub(super) children: Vec<Node<'a>>,
    pub(super) end: Option<Cow<'a, str>>,
}

/// A parsed part: its top-level nodes and the prefix, colon included, bound
/// to the WordprocessingML namespace.
pub(super) struct Part<'a> {
    pub(super) nodes: Vec<Node<'a>>,
    pub(super) w: String,
    /// The length of the text parsed: the written part is about as long.
    pub(super) len: usize,
}

impl<'a> Part<'a> {
    pub(super) fn parse(xml: &'a str) -> Option<Self> {
        let nodes = parse(xml)?;
        let w = nodes
            .iter()
            .find_map(|n| match n {
                Node::Elem(e) => Some(w_prefix(&e.start)),
                Node::Other(_) => None,
            })
            .unwrap_or_else(|| "w:".to_string());
        Some(Part { nodes, w, len: xml.len() })
    }

    pub(super) fn root_mut(&mut self) -> Option<&mut Elem<'a>> {
        self.nodes.iter_mut().find_map(|n| match n {
            Node::Elem(e) => Some(e),
            Node::Other(_) => None,
        })
    }

    pub(super) fn to_xml(&self) -> String {
        let mut out = String::with_capacity(self.len + self.len / 16);
        write(&self.nodes, &mut out);
        out
    }
}

/// The prefix (`w:`; empty for a default namespace) a root start tag binds
/// to the WordprocessingML namespace; `w:` when it binds none.
fn w_prefix(start: &str) -> String {
    for (name, value, _) in attrs(start) {
        if value == W_NS {
            if name == "xmlns" {
                return String::new();
            }
            if let Some(p) = name.strip_prefix("xmlns:") {
                return format!("{p}:");
            }
        }
    }
    "w:".to_string()
}

/// The local name of `qname` if it is in the namespace of prefix `w`.
pub(super) fn local_name<'n>(qname: &'n str, w: &str) -> Option<&'n str> {
    qname.strip_prefix(w).filter(|l| !l.contains(':'))
}

impl<'a> Elem<'a> {
    pub(super) fn is(&self, w: &str, local: &str) -> bool {
        local_name(&self.name, w) == Some(local)
    }

    pub(super) fn attr(&self, qname: &str) -> Option<&str> {
        attrs(&self.start).into_iter().find(|(n, _, _)| *n == qname).map(|(_, v, _)| v)
    }

    pub(super) fn elems(&self) -> impl Iterator<Item = &Elem<'a>> {
        self.children.iter().filter_map(|n| match n {
            Node::Elem(e) => Some(e),
            Node::Other(_) => None,
        })
    }

    pub(super) fn elems_mut(&mut self) -> impl Iterator<Item = &mut Elem<'a>> {
        self.children.iter_mut().filter_map(|n| match n {
            Node::Elem(e) => Some(e),
            Node::Other(_) => None,
        })
    }

    pub(super) fn child(&self, w: &str, local: &str) -> Option<&Elem<'a>> {
        self.elems().find(|e| e.is(w, local))
    }

    pub(super) fn child_mut(&mut self, w: &str, local: &str) -> Option<&mut Elem<'a>> {
        self.elems_mut().find(|e| e.is(w, local))
    }

    /// Index in `children` of the first child element `local`.
    pub(super) fn position(&self, w: &str, local: &str) -> Option<usize> {
        self.children.iter().position(|n| matches!(n, Node::Elem(e) if e.is(w, local)))
    }

    /// Removes and returns the first child element `local`.
    pub(super) fn take(&mut self, w: &str, local: &str) -> Option<Elem<'a>> {
        let i = self.position(w, local)?;
        match self.children.remove(i) {
            Node::Elem(e) => Some(e),
            Node::Other(_) => unreachable!(),
        }
    }

    pub(super) fn has_elements(&self) -> bool {
        self.elems().next().is_some()
    }

    /// How many characters of text are inside (as [`Elem::text`] counts them), without building it.
    pub(super) fn text_chars(&self) -> usize {
        self.children
            .iter()
            .map(|n| match n {
                Node::Other(t) if !t.starts_with('<') => t.chars().count(),
                Node::Other(_) => 0,
                Node::Elem(e) => e.text_chars(),
            })
            .sum()
    }

    /// All text inside, markup left out (entities stay escaped).
    pub(super) fn text(&self) -> String {
        let mut out = String::new();
        for n in &self.children {
            match n {
                Node::Other(t) if !t.starts_with('<') => out.push_str(t),
                Node::Other(_) => {}
                Node::Elem(e) => out.push_str(&e.text()),
            }
        }
        out
    }

    /// Turns `<x/>` into `<x></x>` so that it can take children.
    pub(super) fn open(&mut self) {
        if self.end.is_none() {
            let start = self.start.trim_end_matches('>').trim_end_matches('/').trim_end();
            self.start = Cow::Owned(format!("{start}>"));
            self.end = Some(Cow::Owned(format!("</{}>", self.name)));
        }
    }

    /// Inserts `child` before the first child element ranked after it in
    /// `order` (at the end when there is none).
    pub(super) fn insert_ranked(&mut self, w: &str, child: Elem<'a>, order: &[&str]) {
        self.open();
        let r = local_name(&child.name, w).and_then(|l| rank(order, l)).map_or(usize::MAX, |(r, _)| r);
        let at = self
            .children
            .iter()
            .position(|n| match n {
                Node::Elem(e) => local_name(&e.name, w).and_then(|l| rank(order, l)).is_some_and(|(o, _)| o > r),
                Node::Other(_) => false,
            })
            .unwrap_or(self.children.len());
        self.children.insert(at, Node::Elem(child));
    }

    fn into_owned(self) -> Elem<'static> {
        Elem {
            name: Cow::Owned(self.name.into_owned()),
            start: Cow::Owned(self.start.into_owned()),
            children: self.children.into_iter().map(Node::into_owned).collect(),
            end: self.end.map(|e| Cow::Owned(e.into_owned())),
        }
    }
}

impl Node<'_> {
    fn into_owned(self) -> Node<'static> {
        match self {
            Node::Elem(e) => Node::Elem(e.into_owned()),
            Node::Other(t) => Node::Other(Cow::Owned(t.into_owned())),
        }
    }
}

/// The element at `path` (indices into successive `children`).
pub(super) fn at<'b, 'a>(nodes: &'b [Node<'a>], path: &[usize]) -> &'b Elem<'a> {
    let mut nodes = nodes;
    let mut found = None;
    for &i in path {
        let Node::Elem(e) = &nodes[i] else { panic!("path through a non-element") };
        found = Some(e);
        nodes = &e.children;
    }
    found.expect("non-empty path")
}

pub(super) fn at_mut<'b, 'a>(nodes: &'b mut [Node<'a>], path: &[usize]) -> &'b mut Elem<'a> {
    let (first, rest) = path.split_first().expect("non-empty path");
    let Node::Elem(e) = &mut nodes[*first] else { panic!("path through a non-element") };
    let mut e = e;
    for &i in rest {
        let Node::Elem(next) = &mut e.children[i] else { panic!("path through a non-element") };
        e = next;
    }
    e
}

/// Path (indices) to the first element, in document order, that `hit` accepts.
pub(super) fn find_path(nodes: &[Node<'_>], hit: &dyn Fn(&Elem<'_>) -> bool) -> Option<Vec<usize>> {
    for (i, n) in nodes.iter().enumerate() {
        if let Node::Elem(e) = n {
            if hit(e) {
                return Some(vec![i]);
            }
            if let Some(mut rest) = find_path(&e.children, hit) {
                rest.insert(0, i);
                return Some(rest);
            }
        }
    }
    None
}

/// An element from a literal of ours, owning its text.
pub(super) fn fragment(xml: &str) -> Elem<'static> {
    match parse(xml).and_then(|nodes| nodes.into_iter().next()) {
        Some(Node::Elem(e)) => e.into_owned(),
        _ => panic!("bad fragment {xml}"),
    }
}

fn write(nodes: &[Node<'_>], out: &mut String) {
    for n in nodes {
        match n {
            Node::Other(t) => out.push_str(t),
            Node::Elem(e) => {
                out.push_str(&e.start);
                write(&e.children, out);
                if let Some(end) = &e.end {
                    out.push_str(end);
                }
            }
        }
    }
}

pub(super) fn is_on(e: &Elem<'_>, w: &str) -> bool {
    e.attr(&format!("{w}val")).is_none_or(|v| matches!(v, "true" | "1" | "on"))
}
