//! The tokenizer.

use std::borrow::Cow;

use super::tree::{Elem, Node};

/// Parses well-formed XML into nodes; `None` if tags do not nest or a
/// construct is unterminated.
pub(super) fn parse(xml: &str) -> Option<Vec<Node<'_>>> {
    enum Kind {
        Other,
        Start,
        End,
    }
    let mut root: Vec<Node<'_>> = Vec::new();
    let mut stack: Vec<Elem<'_>> = Vec::new();
    fn push<'a>(stack: &mut [Elem<'a>], root: &mut Vec<Node<'a>>, node: Node<'a>) {
        match stack.last_mut() {
            Some(parent) => parent.children.push(node),
            None => root.push(node),
        }
    }
    let mut i = 0;
    while i < xml.len() {
        let rest = &xml[i..];
        if !rest.starts_with('<') {
            let len = rest.find('<').unwrap_or(rest.len());
            push(&mut stack, &mut root, Node::Other(Cow::Borrowed(&rest[..len])));
            i += len;
            continue;
        }
        let (len, kind) = if rest.starts_with("<?") {
            (rest.find("?>")? + 2, Kind::Other)
        } else if rest.starts_with("<!--") {
            (rest.find("-->")? + 3, Kind::Other)
        } else if rest.starts_with("<![CDATA[") {
            (rest.find("]]>")? + 3, Kind::Other)
        } else if rest.starts_with("<!") {
            (rest.find('>')? + 1, Kind::Other)
        } else if rest.starts_with("</") {
            (rest.find('>')? + 1, Kind::End)
        } else {
            (tag_len(rest)?, Kind::Start)
        };
        let tok = &rest[..len];
        match kind {
            Kind::Other => push(&mut stack, &mut root, Node::Other(Cow::Borrowed(tok))),
            Kind::End => {
                let mut e = stack.pop()?;
                if tok[2..len - 1].trim() != e.name {
                    return None;
                }
                e.end = Some(Cow::Borrowed(tok));
                push(&mut stack, &mut root, Node::Elem(e));
            }
            Kind::Start => {
                let name = tag_name(tok);
                if name.is_empty() {
                    return None;
                }
                let e = Elem { name: Cow::Borrowed(name), start: Cow::Borrowed(tok), children: Vec::new(), end: None };
                if tok[..len - 1].ends_with('/') {
                    push(&mut stack, &mut root, Node::Elem(e));
                } else {
                    stack.push(e);
                }
            }
        }
        i += len;
    }
    stack.is_empty().then_some(root)
}

/// Length of the start tag at the beginning of `s`, quotes respected.
fn tag_len(s: &str) -> Option<usize> {
    // Bytes, not chars: quotes and `>` are ASCII, which no byte of a
    // multi-byte UTF-8 character equals.
    let mut quote = None;
    for (i, &c) in s.as_bytes().iter().enumerate().skip(1) {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, b'>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

fn tag_name(tag: &str) -> &str {
    let s = &tag[1..];
    let end = s.find(|c: char| c.is_whitespace() || c == '/' || c == '>').unwrap_or(s.len());
    &s[..end]
}

/// The attributes of a start tag: `(name, raw value, byte range of the
/// whole attribute with the whitespace before it)`.
pub(super) fn attrs(tag: &str) -> Vec<(&str, &str, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let b = tag.as_bytes();
    let mut i = 1 + tag_name(tag).len();
    loop {
        let from = i;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() || b[i] == b'/' || b[i] == b'>' {
            break;
        }
        let name_start = i;
        while i < b.len() && b[i] != b'=' && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let name = &tag[name_start..i];
        while i < b.len() && (b[i] == b'=' || b[i].is_ascii_whitespace()) {
            i += 1;
        }
        let Some(&q) = b.get(i).filter(|&&q| q == b'"' || q == b'\'') else { break };
        let value_start = i + 1;
        let Some(len) = tag[value_start..].find(q as char) else { break };
        i = value_start + len + 1;
        out.push((name, &tag[value_start..value_start + len], from..i));
    }
    out
}

/// `tag` without attribute `qname`; `None` if it has none.
pub(super) fn remove_attr(tag: &str, qname: &str) -> Option<String> {
    let (_, _, range) = attrs(tag).into_iter().find(|(n, _, _)| *n == qname)?;
    Some(format!("{}{}", &tag[..range.start], &tag[range.end..]))
}

/// `tag` with the value of attribute `qname` replaced; `None` if it has none.
pub(super) fn set_attr(tag: &str, qname: &str, value: &str) -> Option<String> {
    let (_, old, range) = attrs(tag).into_iter().find(|(n, _, _)| *n == qname)?;
    // The range ends with the closing quote.
    let value_start = range.end - 1 - old.len();
    Some(format!("{}{}{}", &tag[..value_start], value, &tag[range.end - 1..]))
}
