//! The last step of the DOCX writer: the package as Word expects it.
//!
//! docx-rs 0.4.22 packs every part *stored* (a 70-page report is 800 KB
//! instead of 90 KB), always writes `comments.xml`, `commentsExtended.xml`
//! (with a truncated namespace list), `footnotes.xml` and `numbering.xml`
//! even when nothing refers to them, and cannot write charts. [`finish`]
//! re-writes the package:
//!
//! * parts nobody uses are dropped, with their relationship and content
//!   type ([`UNUSED_PARTS`]; `numbering.xml` only when the document numbers
//!   nothing);
//! * the charts ([`crate::render::chart`]) are added: `word/charts/chartN.xml`,
//!   its relationships and embedded workbook, a relationship from the
//!   document (`rIdChartN`) and the content types;
//! * every part is deflated at a fast level, in the original order, with a
//!   fixed timestamp, so the same inputs give the same bytes.

use std::io::{Cursor, Read, Write};

use crate::render::chart::{self, BarChart};

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

/// Re-write the stored package `stored` (docx-rs's output, with the document
/// already referring to `rIdChart1…` for `charts`) as described in the
/// module docs.
pub fn finish(stored: &[u8], charts: &[BarChart]) -> Result<Vec<u8>, PackageError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(stored))?;
    let mut parts: Vec<(String, Vec<u8>)> = Vec::with_capacity(archive.len() + 3 * charts.len());
    for i in 0..archive.len() {
        let mut part = archive.by_index(i)?;
        let mut buf = Vec::with_capacity(part.size() as usize);
        part.read_to_end(&mut buf).map_err(|e| PackageError::Zip(e.into()))?;
        parts.push((part.name().to_string(), buf));
    }
    let numbered = parts
        .iter()
        .any(|(name, bytes)| name == "word/document.xml" && String::from_utf8_lossy(bytes).contains("<w:numPr"));
    let dropped = |name: &str| UNUSED_PARTS.contains(&name) || (name == "word/numbering.xml" && !numbered);
    let dropped_names: Vec<String> = parts.iter().map(|(n, _)| n.clone()).filter(|n| dropped(n)).collect();
    parts.retain(|(name, _)| !dropped(name));

    for (name, bytes) in parts.iter_mut() {
        let text = || String::from_utf8_lossy(bytes).into_owned();
        match name.as_str() {
            "[Content_Types].xml" => {
                let mut xml = text();
                for d in &dropped_names {
                    xml = drop_elements(&xml, "Override", &format!("PartName=\"/{d}\""));
                }
                let mut extra = String::new();
                if !charts.is_empty() && !xml.contains("Extension=\"xlsx\"") {
                    extra.push_str(&format!(
                        "<Default Extension=\"xlsx\" ContentType=\"{}\"/>",
                        chart::XLSX_CONTENT_TYPE
                    ));
                }
                // Defaults before Overrides: insert the xlsx default first.
                if let Some(i) = xml.find("<Override ") {
                    xml.insert_str(i, &extra);
                } else {
                    xml = append(&xml, "Types", &extra);
                }
                let overrides: String = (1..=charts.len())
                    .map(|n| {
                        format!(
                            "<Override PartName=\"/word/charts/chart{n}.xml\" ContentType=\"{}\"/>",
                            chart::CHART_CONTENT_TYPE
                        )
                    })
                    .collect();
                *bytes = append(&xml, "Types", &overrides).into_bytes();
            }
            "word/_rels/document.xml.rels" => {
                let mut xml = text();
                for d in &dropped_names {
                    if let Some(target) = d.strip_prefix("word/") {
                        xml = drop_elements(&xml, "Relationship", &format!("Target=\"{target}\""));
                    }
                }
                let rels: String = (1..=charts.len())
                    .map(|n| {
                        format!(
                            "<Relationship Id=\"{}\" Type=\"{}\" Target=\"charts/chart{n}.xml\"/>",
                            chart_rel_id(n),
                            chart::CHART_REL
                        )
                    })
                    .collect();
                *bytes = append(&xml, "Relationships", &rels).into_bytes();
            }
            _ => {}
        }
    }
    for (i, c) in charts.iter().enumerate() {
        let n = i + 1;
        let workbook = format!("Microsoft_Excel_Worksheet{n}.xlsx");
        parts.push((format!("word/charts/chart{n}.xml"), c.part_xml().into_bytes()));
        parts.push((format!("word/charts/_rels/chart{n}.xml.rels"), chart::part_rels(&workbook).into_bytes()));
        parts.push((format!("word/embeddings/{workbook}"), c.workbook()?));
    }

    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .last_modified_time(zip::DateTime::default());
    for (name, bytes) in &parts {
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
