//! The last step of the DOCX writer: the package as Word expects it.
//!
//! docx-rs 0.4.22 packs every part *stored* (a 70-page report is 800 KB
//! instead of 90 KB), always writes `comments.xml`, `commentsExtended.xml`
//! (with a truncated namespace list), `footnotes.xml` and `numbering.xml`
//! even when nothing refers to them, and cannot write charts. So its parts
//! are taken as they are built ([`parts`], in the order its packer writes
//! them) and [`finish`] packs them:
//!
//! * parts nobody uses are dropped, with their relationship and content
//!   type ([`UNUSED_PARTS`]; `numbering.xml` only when the document numbers
//!   nothing);
//! * the charts ([`crate::render::docx::chart`]) are added: `word/charts/chartN.xml`,
//!   its relationships and embedded workbook, a relationship from the
//!   document (`rIdChartN`) and the content types;
//! * every part is deflated at a fast level, in the original order, with a
//!   fixed timestamp, so the same inputs give the same bytes.

use std::io::{Cursor, Write};

use crate::render::docx::chart::{self, BarChart};

/// Parts docx-rs always writes; dropped when the document does not use them.
pub const UNUSED_PARTS: &[&str] =
    &["word/comments.xml", "word/commentsExtended.xml", "word/footnotes.xml", "word/_rels/footnotes.xml.rels"];

/// A problem repacking the parts (never expected: the input is our own zip).
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error("报告文件压缩失败（{0}）。")]
    Zip(#[from] zip::result::ZipError),
    #[error("图表数据表生成失败（{0}）。")]
    Workbook(#[from] rust_xlsxwriter::XlsxError),
}

/// The relationship id of chart `n` (1-based) in `word/_rels/document.xml.rels`.
pub fn chart_rel_id(n: usize) -> String {
    format!("rIdChart{n}")
}

/// Remove every `<tag …/>` (or `<tag …>…</tag>`) element of `xml` whose
/// start tag contains `needle`.
fn drop_elements(xml: &str, tag: &str, needle: &str) -> String {
    let open = format!("<{tag} ");
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(i) = rest.find(&open) {
        let Some(end) = rest[i..].find('>').map(|e| i + e + 1) else { break };
        let start_tag = &rest[i..end];
        let element_end = if start_tag.ends_with("/>") {
            end
        } else {
            let close = format!("</{tag}>");
            rest[end..].find(&close).map_or(end, |c| end + c + close.len())
        };
        out.push_str(&rest[..i]);
        if !start_tag.contains(needle) {
            out.push_str(&rest[i..element_end]);
        }
        rest = &rest[element_end..];
    }
    out.push_str(rest);
    out
}

/// Insert `extra` before the closing `</root>` of `xml`.
fn append(xml: &str, root: &str, extra: &str) -> String {
    let close = format!("</{root}>");
    match xml.rfind(&close) {
        Some(i) => format!("{}{extra}{}", &xml[..i], &xml[i..]),
        None => xml.to_string(),
    }
}

/// A part's bytes as text, without a copy when they are UTF-8 (ours always are).
pub fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// docx-rs's parts by name, in the order its packer writes them.
pub fn parts(xml: docx_rs::XMLDocx) -> Vec<(String, Vec<u8>)> {
    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), xml.content_type),
        ("_rels/.rels".into(), xml.rels),
        ("docProps/app.xml".into(), xml.doc_props.app),
        ("docProps/core.xml".into(), xml.doc_props.core),
        ("docProps/custom.xml".into(), xml.doc_props.custom),
        ("word/_rels/document.xml.rels".into(), xml.document_rels),
        ("word/document.xml".into(), xml.document),
        ("word/styles.xml".into(), xml.styles),
        ("word/settings.xml".into(), xml.settings),
        ("word/fontTable.xml".into(), xml.font_table),
        ("word/comments.xml".into(), xml.comments),
        ("word/numbering.xml".into(), xml.numberings),
        ("word/commentsExtended.xml".into(), xml.comments_extended),
        ("word/footnotes.xml".into(), xml.footnotes),
    ];
    for (kind, items, mut rels) in [("header", xml.headers, xml.header_rels), ("footer", xml.footers, xml.footer_rels)]
    {
        for (i, part) in items.into_iter().enumerate() {
            parts.push((format!("word/{kind}{}.xml", i + 1), part));
            if i < rels.len() {
                parts.push((format!("word/_rels/{kind}{}.xml.rels", i + 1), std::mem::take(&mut rels[i])));
            }
        }
    }
    for (name, png) in xml.media {
        parts.push((format!("word/media/{name}.png"), png));
    }
    if let Some(taskpanes) = xml.taskpanes {
        parts.push(("word/webextensions/taskpanes.xml".into(), taskpanes));
        parts.push(("word/webextensions/_rels/taskpanes.xml.rels".into(), xml.taskpanes_rels));
        for (i, ext) in xml.web_extensions.into_iter().enumerate() {
            parts.push((format!("word/webextensions/webextension{}.xml", i + 1), ext));
        }
    }
    let (mut item_rels, mut item_props) = (xml.custom_item_rels, xml.custom_item_props);
    for (i, item) in xml.custom_items.into_iter().enumerate() {
        let n = i + 1;
        let take = |v: &mut Vec<Vec<u8>>| v.get_mut(i).map(std::mem::take).unwrap_or_default();
        parts.push((format!("customXml/_rels/item{n}.xml.rels"), take(&mut item_rels)));
        parts.push((format!("customXml/item{n}.xml"), item));
        parts.push((format!("customXml/itemProps{n}.xml"), take(&mut item_props)));
    }
    parts
}

/// Pack docx-rs's `parts` ([`parts`], the document already referring to
/// `rIdChart1…` for `charts`) as described in the module docs.
pub fn finish(mut parts: Vec<(String, Vec<u8>)>, charts: &[BarChart]) -> Result<Vec<u8>, PackageError> {
    let dropped_names = drop_unused(&mut parts);
    for (name, bytes) in parts.iter_mut() {
        let text = || String::from_utf8_lossy(bytes).into_owned();
        match name.as_str() {
            "[Content_Types].xml" => *bytes = content_types(text(), &dropped_names, charts.len()).into_bytes(),
            "word/_rels/document.xml.rels" => *bytes = document_rels(text(), &dropped_names, charts.len()).into_bytes(),
            _ => {}
        }
    }
    add_charts(&mut parts, charts)?;
    deflate(&parts)
}

/// Removes the parts nobody uses ([`UNUSED_PARTS`]; `numbering.xml` when
/// the document numbers nothing) from `parts`, and names them.
fn drop_unused(parts: &mut Vec<(String, Vec<u8>)>) -> Vec<String> {
    let numbered = parts.iter().any(|(name, bytes)| {
        name == "word/document.xml" && std::str::from_utf8(bytes).is_ok_and(|t| t.contains("<w:numPr"))
    });
    let dropped = |name: &str| UNUSED_PARTS.contains(&name) || (name == "word/numbering.xml" && !numbered);
    let dropped_names: Vec<String> = parts.iter().map(|(n, _)| n.clone()).filter(|n| dropped(n)).collect();
    parts.retain(|(name, _)| !dropped(name));
    dropped_names
}

/// `[Content_Types].xml` without the overrides of the `dropped` parts,
/// with the xlsx default and an override for each of the `charts` charts.
fn content_types(mut xml: String, dropped: &[String], charts: usize) -> String {
    for d in dropped {
        xml = drop_elements(&xml, "Override", &format!("PartName=\"/{d}\""));
    }
    let mut extra = String::new();
    if charts > 0 && !xml.contains("Extension=\"xlsx\"") {
        extra.push_str(&format!("<Default Extension=\"xlsx\" ContentType=\"{}\"/>", chart::XLSX_CONTENT_TYPE));
    }
    // Defaults before Overrides: insert the xlsx default first.
    if let Some(i) = xml.find("<Override ") {
        xml.insert_str(i, &extra);
    } else {
        xml = append(&xml, "Types", &extra);
    }
    let overrides: String = (1..=charts)
        .map(|n| {
            format!("<Override PartName=\"/word/charts/chart{n}.xml\" ContentType=\"{}\"/>", chart::CHART_CONTENT_TYPE)
        })
        .collect();
    append(&xml, "Types", &overrides)
}

/// `word/_rels/document.xml.rels` without the relationships to the
/// `dropped` parts, with one to each of the `charts` charts.
fn document_rels(mut xml: String, dropped: &[String], charts: usize) -> String {
    for d in dropped {
        if let Some(target) = d.strip_prefix("word/") {
            xml = drop_elements(&xml, "Relationship", &format!("Target=\"{target}\""));
        }
    }
    let rels: String = (1..=charts)
        .map(|n| {
            format!(
                "<Relationship Id=\"{}\" Type=\"{}\" Target=\"charts/chart{n}.xml\"/>",
                chart_rel_id(n),
                chart::CHART_REL
            )
        })
        .collect();
    append(&xml, "Relationships", &rels)
}

/// Each chart's part, its relationships and its embedded workbook, at the end of `parts`.
fn add_charts(parts: &mut Vec<(String, Vec<u8>)>, charts: &[BarChart]) -> Result<(), PackageError> {
    for (i, c) in charts.iter().enumerate() {
        let n = i + 1;
        let workbook = format!("Microsoft_Excel_Worksheet{n}.xlsx");
        parts.push((format!("word/charts/chart{n}.xml"), c.part_xml().into_bytes()));
        parts.push((format!("word/charts/_rels/chart{n}.xml.rels"), chart::part_rels(&workbook).into_bytes()));
        parts.push((format!("word/embeddings/{workbook}"), c.workbook()?));
    }
    Ok(())
}

/// The zip of `parts`, in their order, deflated at a fast level with a
/// fixed timestamp.
fn deflate(parts: &[(String, Vec<u8>)]) -> Result<Vec<u8>, PackageError> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .last_modified_time(zip::DateTime::default());
    for (name, bytes) in parts {
        // Directory entries (`word/`) carry nothing.
        if name.ends_with('/') {
            continue;
        }
        writer.start_file(name.as_str(), options)?;
        writer.write_all(bytes).map_err(|e| PackageError::Zip(e.into()))?;
    }
    Ok(writer.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_elements_by_attribute() {
        let xml = r#"<T><O PartName="/a" /><O PartName="/b"></O><O PartName="/c"/></T>"#;
        assert_eq!(drop_elements(xml, "O", "PartName=\"/b\""), r#"<T><O PartName="/a" /><O PartName="/c"/></T>"#);
        assert_eq!(drop_elements(xml, "O", "PartName=\"/a\""), r#"<T><O PartName="/b"></O><O PartName="/c"/></T>"#);
        assert_eq!(drop_elements(xml, "X", "a"), xml);
    }
}
