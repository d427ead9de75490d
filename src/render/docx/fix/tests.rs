//! Unit tests of the passes and of the tokenizer.

use super::tree::W_NS;
use super::xml::{remove_attr, set_attr};
use super::*;

const DECL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

fn doc(body: &str) -> String {
    format!(r#"{DECL}<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>"#)
}

fn settings(inner: &str) -> String {
    format!(r#"{DECL}<w:settings xmlns:w="{W_NS}">{inner}</w:settings>"#)
}

/// The part between `<w:body>` and `</w:body>`.
fn body(xml: &str) -> &str {
    let start = xml.find("<w:body>").unwrap() + "<w:body>".len();
    &xml[start..xml.rfind("</w:body>").unwrap()]
}

#[test]
fn one_pass_equals_three() {
    let xml = concat!(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
        r#"<w:tbl><w:tr><w:trPr><w:cantSplit /></w:trPr><w:tc><w:p><w:pPr><w:rPr /><w:jc w:val="center" /><w:spacing w:line="300" /></w:pPr></w:p></w:tc></w:tr>"#,
        r#"<w:tr><w:tc><w:p /></w:tc></w:tr></w:tbl>"#,
        r#"<w:sectPr><w:pgMar w:top="1" w:right="1" w:bottom="1" w:left="1" w:header="1" w:footer="1" w:gutter="0" /><w:pgSz w:w="11906" w:h="16838" /></w:sectPr></w:body></w:document>"#
    );
    assert_eq!(fix_document(xml), normalize_part(&toc_sdt(&repeat_header_rows(xml))));
}

#[test]
fn parse_and_write_keep_every_byte() {
    let xml = concat!(
        "<?xml version=\"1.0\"?>\n<!-- a comment with <tags> -->\n",
        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\n",
        "  <w:body a='x > y' b=\"'\"><w:p><w:r><w:t xml:space=\"preserve\"> a &amp; b </w:t></w:r></w:p>",
        "<![CDATA[ <not a tag> ]]><w:p/><w:p  /></w:body>\r\n</w:document>\n"
    );
    let part = Part::parse(xml).unwrap();
    assert_eq!(part.w, "w:");
    assert_eq!(part.to_xml(), xml);
    assert_eq!(normalize_part(xml), xml);
}

#[test]
fn malformed_input_comes_back_unchanged() {
    for bad in ["<w:a><w:b></w:a></w:b>", "<w:a>", "<w:a", "<w:a b=\"1></w:a>", "</w:a>"] {
        assert_eq!(normalize_part(bad), bad);
        assert_eq!(repeat_header_rows(bad), bad);
        assert_eq!(toc_sdt(bad), bad);
        assert_eq!(update_fields_on_open(bad), bad);
    }
}

#[test]
fn ppr_children_in_schema_order() {
    let xml = doc(concat!(
        r#"<w:p><w:pPr><w:rPr /><w:jc w:val="both" /><w:ind w:left="0" w:right="0" w:firstLine="640" />"#,
        r#"<w:spacing w:line="560" w:lineRule="exact" /><w:pStyle w:val="Body" /></w:pPr><w:r><w:t>x</w:t></w:r></w:p>"#
    ));
    assert_eq!(
        body(&normalize_part(&xml)),
        concat!(
            r#"<w:p><w:pPr><w:pStyle w:val="Body" /><w:spacing w:line="560" w:lineRule="exact" />"#,
            r#"<w:ind w:left="0" w:right="0" w:firstLine="640" /><w:jc w:val="both" /><w:rPr /></w:pPr>"#,
            r#"<w:r><w:t>x</w:t></w:r></w:p>"#
        )
    );
}

#[test]
fn rpr_children_in_schema_order_inside_runs_and_paragraph_marks() {
    let xml = doc(concat!(
        r#"<w:p><w:pPr><w:rPr><w:sz w:val="32" /><w:b /><w:ins w:id="1" w:author="a" /></w:rPr>"#,
        r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838" /></w:sectPr></w:pPr>"#,
        r#"<w:r><w:rPr><w:sz w:val="32" /><w:szCs w:val="32" /><w:b /><w:bCs /><w:rFonts w:eastAsia="仿宋_GB2312" />"#,
        r#"<w:rStyle w:val="Strong" /></w:rPr><w:t>x</w:t></w:r></w:p>"#
    ));
    assert_eq!(
        body(&normalize_part(&xml)),
        concat!(
            r#"<w:p><w:pPr><w:rPr><w:ins w:id="1" w:author="a" /><w:b /><w:sz w:val="32" /></w:rPr>"#,
            r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838" /></w:sectPr></w:pPr>"#,
            r#"<w:r><w:rPr><w:rStyle w:val="Strong" /><w:rFonts w:eastAsia="仿宋_GB2312" /><w:b /><w:bCs />"#,
            r#"<w:sz w:val="32" /><w:szCs w:val="32" /></w:rPr><w:t>x</w:t></w:r></w:p>"#
        )
    );
}

#[test]
fn sect_pr_references_first() {
    let xml = doc(concat!(
        r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838" /><w:pgMar w:top="2098" /><w:cols w:space="425" />"#,
        r#"<w:footerReference w:type="default" r:id="rIdFooter1" /><w:pgNumType w:start="1" />"#,
        r#"<w:headerReference w:type="default" r:id="rIdHeader1" /><w:titlePg /></w:sectPr>"#
    ));
    assert_eq!(
        body(&normalize_part(&xml)),
        concat!(
            r#"<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader1" />"#,
            r#"<w:footerReference w:type="default" r:id="rIdFooter1" /><w:pgSz w:w="11906" w:h="16838" />"#,
            r#"<w:pgMar w:top="2098" /><w:pgNumType w:start="1" /><w:cols w:space="425" /><w:titlePg /></w:sectPr>"#
        )
    );
}

#[test]
fn table_properties_in_schema_order_and_grid_col_without_type() {
    let xml = doc(concat!(
        r#"<w:tbl><w:tblPr><w:tblLayout w:type="fixed" /><w:tblBorders><w:insideV w:val="single" />"#,
        r#"<w:top w:val="single" /></w:tblBorders><w:jc w:val="center" /><w:tblW w:w="6000" w:type="dxa" /></w:tblPr>"#,
        r#"<w:tblGrid><w:gridCol w:w="1800" w:type="dxa" /></w:tblGrid>"#,
        r#"<w:tr><w:trPr><w:del w:id="1" /><w:trHeight w:val="454" w:hRule="atLeast" /><w:cantSplit /></w:trPr>"#,
        r#"<w:tc><w:tcPr><w:tcW w:w="1800" w:type="dxa" /><w:tcBorders><w:bottom w:val="single" />"#,
        r#"<w:top w:val="single" /></w:tcBorders><w:gridSpan w:val="2" /><w:vAlign w:val="center" />"#,
        r#"<w:shd w:val="clear" w:fill="D9D9D9" /><w:vMerge w:val="restart" /></w:tcPr><w:p /></w:tc></w:tr></w:tbl>"#
    ));
    assert_eq!(
        body(&normalize_part(&xml)),
        concat!(
            r#"<w:tbl><w:tblPr><w:tblW w:w="6000" w:type="dxa" /><w:jc w:val="center" /><w:tblBorders>"#,
            r#"<w:top w:val="single" /><w:insideV w:val="single" /></w:tblBorders><w:tblLayout w:type="fixed" />"#,
            r#"</w:tblPr><w:tblGrid><w:gridCol w:w="1800" /></w:tblGrid>"#,
            r#"<w:tr><w:trPr><w:cantSplit /><w:trHeight w:val="454" w:hRule="atLeast" /><w:del w:id="1" /></w:trPr>"#,
            r#"<w:tc><w:tcPr><w:tcW w:w="1800" w:type="dxa" /><w:gridSpan w:val="2" /><w:vMerge w:val="restart" />"#,
            r#"<w:tcBorders><w:top w:val="single" /><w:bottom w:val="single" /></w:tcBorders>"#,
            r#"<w:shd w:val="clear" w:fill="D9D9D9" /><w:vAlign w:val="center" /></w:tcPr><w:p /></w:tc></w:tr></w:tbl>"#
        )
    );
}

#[test]
fn styles_in_schema_order_without_rpr_in_ppr() {
    let xml = format!(
        concat!(
            r#"<w:styles xmlns:w="{}"><w:docDefaults><w:pPrDefault><w:pPr><w:rPr /></w:pPr></w:pPrDefault>"#,
            r#"<w:rPrDefault><w:rPr><w:sz w:val="32" /><w:rFonts w:eastAsia="仿宋_GB2312" /></w:rPr></w:rPrDefault>"#,
            r#"</w:docDefaults><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1" />"#,
            r#"<w:rPr><w:sz w:val="32" /><w:b /></w:rPr><w:pPr><w:rPr /><w:outlineLvl w:val="0" />"#,
            r#"<w:spacing w:line="560" /></w:pPr><w:next w:val="Normal" /><w:qFormat /><w:basedOn w:val="Normal" />"#,
            r#"</w:style><w:style w:type="paragraph" w:styleId="X"><w:name w:val="x" />"#,
            r#"<w:pPr><w:rPr><w:i /><w:b /></w:rPr></w:pPr><w:rPr><w:b w:val="0" /></w:rPr></w:style></w:styles>"#
        ),
        W_NS
    );
    let out = normalize_part(&xml);
    let expected = format!(
        concat!(
            r#"<w:styles xmlns:w="{}"><w:docDefaults>"#,
            r#"<w:rPrDefault><w:rPr><w:rFonts w:eastAsia="仿宋_GB2312" /><w:sz w:val="32" /></w:rPr></w:rPrDefault>"#,
            r#"<w:pPrDefault><w:pPr></w:pPr></w:pPrDefault></w:docDefaults>"#,
            r#"<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1" />"#,
            r#"<w:basedOn w:val="Normal" /><w:next w:val="Normal" /><w:qFormat /><w:pPr><w:spacing w:line="560" />"#,
            r#"<w:outlineLvl w:val="0" /></w:pPr><w:rPr><w:b /><w:sz w:val="32" /></w:rPr></w:style>"#,
            // A non-empty paragraph-mark rPr joins the style's own (which wins where both set a property).
            r#"<w:style w:type="paragraph" w:styleId="X"><w:name w:val="x" /><w:pPr></w:pPr>"#,
            r#"<w:rPr><w:b w:val="0" /><w:i /></w:rPr></w:style></w:styles>"#
        ),
        W_NS
    );
    assert_eq!(out, expected);
}

#[test]
fn numbering_levels_in_schema_order() {
    let xml = format!(
        concat!(
            r#"<w:numbering xmlns:w="{}"><w:num w:numId="1"><w:abstractNumId w:val="1" /></w:num>"#,
            r#"<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1" /><w:numFmt w:val="decimal" />"#,
            r#"<w:lvlText w:val="%1." /><w:lvlJc w:val="left" /><w:pPr><w:rPr /><w:ind w:left="420" /></w:pPr>"#,
            r#"<w:rPr /><w:pStyle w:val="List" /><w:suff w:val="space" /></w:lvl></w:abstractNum></w:numbering>"#
        ),
        W_NS
    );
    let expected = format!(
        concat!(
            r#"<w:numbering xmlns:w="{}"><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1" />"#,
            r#"<w:numFmt w:val="decimal" /><w:pStyle w:val="List" /><w:suff w:val="space" /><w:lvlText w:val="%1." />"#,
            r#"<w:lvlJc w:val="left" /><w:pPr><w:ind w:left="420" /></w:pPr><w:rPr /></w:lvl></w:abstractNum>"#,
            r#"<w:num w:numId="1"><w:abstractNumId w:val="1" /></w:num></w:numbering>"#
        ),
        W_NS
    );
    assert_eq!(normalize_part(&xml), expected);
}

#[test]
fn settings_in_schema_order() {
    let xml =
        settings(r#"<w:defaultTabStop w:val="840" /><w:zoom w:percent="100" /><w:compat /><w:evenAndOddHeaders />"#);
    assert_eq!(
        normalize_part(&xml),
        settings(r#"<w:zoom w:percent="100" /><w:defaultTabStop w:val="840" /><w:evenAndOddHeaders /><w:compat />"#)
    );
}

#[test]
fn duplicates_dropped_keeping_the_last_non_empty() {
    let xml = doc(concat!(
        r#"<w:p><w:pPr><w:jc w:val="left" /><w:rPr><w:b /></w:rPr><w:jc w:val="center" /><w:rPr /></w:pPr>"#,
        r#"<w:r><w:rPr><w:sz w:val="24" /><w:sz w:val="28" /></w:rPr></w:r></w:p>"#
    ));
    assert_eq!(
        body(&normalize_part(&xml)),
        r#"<w:p><w:pPr><w:jc w:val="center" /><w:rPr><w:b /></w:rPr></w:pPr><w:r><w:rPr><w:sz w:val="28" /></w:rPr></w:r></w:p>"#
    );
    // Repeatable children all stay.
    let refs = doc(
        r#"<w:sectPr><w:pgSz /><w:headerReference w:type="default" /><w:headerReference w:type="first" /></w:sectPr>"#,
    );
    assert_eq!(
        body(&normalize_part(&refs)),
        r#"<w:sectPr><w:headerReference w:type="default" /><w:headerReference w:type="first" /><w:pgSz /></w:sectPr>"#
    );
}

#[test]
fn unknown_children_and_whitespace_travel_with_their_neighbours() {
    let xml = doc("<w:p><w:pPr>\n  <w:jc w:val=\"center\" /><w14:x />\n  <w:pStyle w:val=\"A\" />\n</w:pPr></w:p>");
    assert_eq!(
        body(&normalize_part(&xml)),
        "<w:p><w:pPr>\n  <w:pStyle w:val=\"A\" />\n  <w:jc w:val=\"center\" /><w14:x />\n</w:pPr></w:p>"
    );
}

#[test]
fn normalizing_is_idempotent_and_content_order_is_kept() {
    let xml = doc(concat!(
        r#"<w:p><w:pPr><w:rPr /><w:jc w:val="center" /></w:pPr><w:r><w:t>b</w:t></w:r><w:r><w:t>a</w:t></w:r></w:p>"#,
        r#"<w:tbl><w:tblPr /><w:tblGrid /><w:tr><w:tc><w:p /></w:tc></w:tr><w:tr /></w:tbl><w:p />"#
    ));
    let once = normalize_part(&xml);
    assert!(body(&once).ends_with(concat!(
        r#"<w:r><w:t>b</w:t></w:r><w:r><w:t>a</w:t></w:r></w:p>"#,
        r#"<w:tbl><w:tblPr /><w:tblGrid /><w:tr><w:tc><w:p /></w:tc></w:tr><w:tr /></w:tbl><w:p />"#
    )));
    assert_eq!(normalize_part(&once), once);
}

#[test]
fn another_prefix_for_the_wordprocessingml_namespace() {
    let xml = format!(
        r#"<x:document xmlns:x="{W_NS}"><x:body><x:p><x:pPr><x:rPr /><x:jc /></x:pPr></x:p></x:body></x:document>"#
    );
    assert_eq!(
        normalize_part(&xml),
        format!(
            r#"<x:document xmlns:x="{W_NS}"><x:body><x:p><x:pPr><x:jc /><x:rPr /></x:pPr></x:p></x:body></x:document>"#
        )
    );
}

fn row(tr_pr: &str) -> String {
    format!("<w:tr>{tr_pr}<w:tc><w:p /></w:tc></w:tr>")
}

#[test]
fn header_rows_are_the_leading_cant_split_rows() {
    let xml = doc(&format!(
        "<w:tbl><w:tblPr /><w:tblGrid />{}{}{}{}</w:tbl>",
        row("<w:trPr><w:cantSplit /></w:trPr>"),
        row(r#"<w:trPr><w:cantSplit /><w:trHeight w:val="400" /><w:ins w:id="1" /></w:trPr>"#),
        row("<w:trPr />"),
        row("<w:trPr><w:cantSplit /></w:trPr>"),
    ));
    let expected = doc(&format!(
        "<w:tbl><w:tblPr /><w:tblGrid />{}{}{}{}</w:tbl>",
        row("<w:trPr><w:cantSplit /><w:tblHeader/></w:trPr>"),
        row(r#"<w:trPr><w:cantSplit /><w:trHeight w:val="400" /><w:tblHeader/><w:ins w:id="1" /></w:trPr>"#),
        // Body rows: unsplittable, not repeated.
        row("<w:trPr><w:cantSplit/></w:trPr>"),
        row("<w:trPr><w:cantSplit /></w:trPr>"),
    ));
    let out = repeat_header_rows(&xml);
    assert_eq!(out, expected);
    assert_eq!(repeat_header_rows(&out), out);
}

#[test]
fn header_rows_in_nested_tables_and_unmarked_tables() {
    let inner = format!("<w:tbl><w:tblPr /><w:tblGrid />{}</w:tbl>", row("<w:trPr><w:cantSplit /></w:trPr>"));
    let outer = |inner: &str| {
        doc(&format!(
            "<w:tbl><w:tblPr /><w:tblGrid /><w:tr><w:trPr /><w:tc>{inner}<w:p /></w:tc></w:tr>{}</w:tbl>",
            row(r#"<w:trPr><w:cantSplit w:val="false" /></w:trPr>"#)
        ))
    };
    let expected_inner = inner.replace("<w:cantSplit />", "<w:cantSplit /><w:tblHeader/>");
    // The outer table has no header; its rows are made unsplittable.
    let expected = outer(&expected_inner)
        .replace("<w:trPr /><w:tc>", "<w:trPr><w:cantSplit/></w:trPr><w:tc>")
        .replace(r#"<w:cantSplit w:val="false" />"#, "<w:cantSplit/>");
    assert_eq!(repeat_header_rows(&outer(&inner)), expected);
    // A switched-off w:tblHeader is switched on.
    let off = doc(&format!("<w:tbl>{}</w:tbl>", row(r#"<w:trPr><w:cantSplit /><w:tblHeader w:val="0" /></w:trPr>"#)));
    assert_eq!(
        repeat_header_rows(&off),
        doc(&format!("<w:tbl>{}</w:tbl>", row("<w:trPr><w:cantSplit /><w:tblHeader/></w:trPr>")))
    );
    let plain = doc(&format!("<w:tbl>{}{}</w:tbl>", row("<w:trPr />"), "<w:tr><w:tc><w:p /></w:tc></w:tr>"));
    assert_eq!(
        repeat_header_rows(&plain),
        doc(&format!(
            "<w:tbl>{}{}</w:tbl>",
            row("<w:trPr><w:cantSplit/></w:trPr>"),
            "<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:p /></w:tc></w:tr>"
        ))
    );
}

/// What docx-rs 0.4.22 writes for a `TableOfContents` with items
/// (entries shortened), then the section the TOC is in.
fn docx_rs_toc() -> String {
    doc(concat!(
        r#"<w:p><w:r><w:t>目录</w:t></w:r></w:p>"#,
        r#"<w:sdt><w:sdtPr><w:rPr /><w:alias w:val="目录" /></w:sdtPr><w:sdtContent><w:sdt><w:sdtPr /><w:sdtContent>"#,
        r#"<w:p><w:pPr><w:rPr /><w:pStyle w:val="ToC1" /><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="80000" />"#,
        r#"</w:tabs></w:pPr><w:r><w:rPr /><w:fldChar w:fldCharType="begin" w:dirty="true" />"#,
        r#"<w:instrText>TOC \o &quot;1-3&quot; \h</w:instrText><w:fldChar w:fldCharType="separate" /></w:r>"#,
        r#"<w:r><w:t>一、基本情况</w:t></w:r></w:p>"#,
        r#"<w:p><w:pPr><w:rPr /><w:pStyle w:val="ToC1" /></w:pPr><w:r><w:rPr /><w:fldChar w:fldCharType="end" /></w:r></w:p>"#,
        r#"</w:sdtContent></w:sdt></w:sdtContent></w:sdt>"#,
        r#"<w:p><w:pPr><w:sectPr><w:pgSz w:w="11906" w:h="16838" />"#,
        r#"<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:gutter="0" /></w:sectPr></w:pPr></w:p>"#,
        r#"<w:sectPr><w:pgSz w:w="16838" w:h="11906" /><w:pgMar w:right="1000" w:left="1000" /></w:sectPr>"#
    ))
}

#[test]
fn toc_sdt_marks_docx_rs_toc_and_unwraps_the_inner_sdt() {
    let out = toc_sdt(&docx_rs_toc());
    let expected = docx_rs_toc()
        .replace(
            r#"<w:alias w:val="目录" /></w:sdtPr>"#,
            concat!(
                r#"<w:alias w:val="目录" /><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>"#,
                r#"<w:docPartUnique/></w:docPartObj></w:sdtPr>"#
            ),
        )
        .replace(r#"<w:sdtContent><w:sdt><w:sdtPr /><w:sdtContent>"#, "<w:sdtContent>")
        .replace(r#"</w:sdtContent></w:sdt></w:sdtContent></w:sdt>"#, "</w:sdtContent></w:sdt>")
        // 11906 − 1588 − 1474: the text width of the TOC's own section.
        .replace(r#"w:pos="80000""#, r#"w:pos="8844""#)
        // The field ends in the last entry, not in a line of its own.
        .replace(
            r#"</w:r></w:p><w:p><w:pPr><w:rPr /><w:pStyle w:val="ToC1" /></w:pPr><w:r><w:rPr /><w:fldChar w:fldCharType="end" /></w:r></w:p>"#,
            r#"</w:r><w:r><w:rPr /><w:fldChar w:fldCharType="end" /></w:r></w:p>"#,
        );
    assert_eq!(out, expected);
    assert_eq!(toc_sdt(&out), out, "a marked TOC stays as it is");
}

#[test]
fn toc_sdt_wraps_a_toc_written_without_sdt() {
    let field = concat!(
        r#"<w:p><w:r><w:fldChar w:fldCharType="begin" /><w:instrText>TOC \o "1-3"</w:instrText>"#,
        r#"<w:fldChar w:fldCharType="separate" /></w:r><w:r><w:t>一、</w:t></w:r><w:r><w:fldChar w:fldCharType="begin" />"#,
        r#"<w:instrText>PAGEREF _Toc1 \h</w:instrText><w:fldChar w:fldCharType="end" /></w:r></w:p>"#,
        r#"<w:p><w:r><w:t>二、</w:t></w:r></w:p>"#,
        r#"<w:p><w:r><w:fldChar w:fldCharType="end" /></w:r></w:p>"#,
    );
    let before = r#"<w:p><w:r><w:t>目录</w:t></w:r></w:p>"#;
    let after = r#"<w:p><w:r><w:t>正文</w:t></w:r></w:p>"#;
    let out = toc_sdt(&doc(&format!("{before}{field}{after}")));
    let sdt = concat!(
        r#"<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/>"#,
        r#"</w:docPartObj></w:sdtPr><w:sdtContent>"#
    );
    let ended = field.replace(
        r#"<w:r><w:t>二、</w:t></w:r></w:p><w:p><w:r><w:fldChar w:fldCharType="end" /></w:r></w:p>"#,
        r#"<w:r><w:t>二、</w:t></w:r><w:r><w:fldChar w:fldCharType="end" /></w:r></w:p>"#,
    );
    assert_eq!(out, doc(&format!("{before}{sdt}{ended}</w:sdtContent></w:sdt>{after}")));
    assert_eq!(toc_sdt(&out), out);
}

/// The field's end stays in its own paragraph when that paragraph holds
/// anything else, or when it is the TOC's only paragraph.
#[test]
fn toc_field_end_moves_only_out_of_a_paragraph_of_its_own() {
    let toc = |paragraphs: &str| {
        doc(&format!(
            r#"<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>{paragraphs}</w:sdtContent></w:sdt>"#
        ))
    };
    let begin = r#"<w:p><w:r><w:fldChar w:fldCharType="begin" /><w:instrText>TOC \o</w:instrText><w:fldChar w:fldCharType="separate" /></w:r><w:r><w:t>一、</w:t></w:r></w:p>"#;
    let with_text =
        format!(r#"{begin}<w:p><w:r><w:t>注</w:t></w:r><w:r><w:fldChar w:fldCharType="end" /></w:r></w:p>"#);
    assert_eq!(toc_sdt(&toc(&with_text)), toc(&with_text));
    let alone = r#"<w:p><w:r><w:fldChar w:fldCharType="begin" /><w:instrText>TOC</w:instrText><w:fldChar w:fldCharType="separate" /><w:fldChar w:fldCharType="end" /></w:r></w:p>"#;
    assert_eq!(toc_sdt(&toc(alone)), toc(alone));
}

#[test]
fn toc_sdt_leaves_documents_without_a_toc_alone() {
    let xml = doc(concat!(
        r#"<w:p><w:r><w:fldChar w:fldCharType="begin" /><w:instrText> PAGE </w:instrText>"#,
        r#"<w:fldChar w:fldCharType="end" /></w:r></w:p><w:p><w:r><w:instrText>TOCX</w:instrText></w:r></w:p>"#
    ));
    assert_eq!(toc_sdt(&xml), xml);
    // An unterminated TOC field is not wrapped.
    let open = doc(r#"<w:p><w:r><w:fldChar w:fldCharType="begin" /><w:instrText>TOC</w:instrText></w:r></w:p>"#);
    assert_eq!(toc_sdt(&open), open);
}

#[test]
fn update_fields_at_its_schema_place() {
    let xml =
        settings(r#"<w:zoom w:percent="100" /><w:defaultTabStop w:val="840" /><w:compat><w:useFELayout /></w:compat>"#);
    let out = update_fields_on_open(&xml);
    assert_eq!(
        out,
        settings(concat!(
            r#"<w:zoom w:percent="100" /><w:defaultTabStop w:val="840" /><w:updateFields w:val="true"/>"#,
            r#"<w:compat><w:useFELayout /></w:compat>"#
        ))
    );
    assert_eq!(update_fields_on_open(&out), out);
    let off = settings(r#"<w:updateFields w:val="false" /><w:compat />"#);
    assert_eq!(update_fields_on_open(&off), settings(r#"<w:updateFields w:val="true"/><w:compat />"#));
    assert_eq!(update_fields_on_open(&settings("")), settings(r#"<w:updateFields w:val="true"/>"#));
    // Not a settings part: unchanged.
    assert_eq!(update_fields_on_open(&doc("")), doc(""));
}

#[test]
fn fix_parts_applies_everything_and_is_idempotent() {
    let document = doc(&format!(
        "{}<w:tbl><w:tblPr /><w:tblGrid />{}</w:tbl>",
        body(&docx_rs_toc()),
        row("<w:trPr><w:trHeight w:val=\"400\" /><w:cantSplit /></w:trPr>")
    ));
    let styles = format!(r#"<w:styles xmlns:w="{W_NS}"><w:style><w:rPr /><w:name w:val="a" /></w:style></w:styles>"#);
    let numbering = format!(r#"<w:numbering xmlns:w="{W_NS}" />"#);
    let settings = settings(r#"<w:defaultTabStop w:val="840" /><w:zoom w:percent="100" />"#);
    let fixed = fix_parts(&document, &styles, &numbering, &settings);
    assert!(fixed.0.contains("<w:trPr><w:cantSplit /><w:trHeight w:val=\"400\" /><w:tblHeader/></w:trPr>"));
    assert!(fixed.0.contains(r#"<w:docPartGallery w:val="Table of Contents"/>"#));
    assert!(fixed.0.contains(r#"<w:pPr><w:pStyle w:val="ToC1" /><w:tabs>"#));
    assert!(fixed.1.contains(r#"<w:style><w:name w:val="a" /><w:rPr /></w:style>"#));
    assert_eq!(fixed.2, numbering);
    assert!(fixed
        .3
        .contains(r#"<w:zoom w:percent="100" /><w:defaultTabStop w:val="840" /><w:updateFields w:val="true"/>"#));
    assert_eq!(fix_parts(&fixed.0, &fixed.1, &fixed.2, &fixed.3), fixed);
}

#[test]
fn attribute_edits() {
    let tag = r#"<w:gridCol w:w="1800"  w:type='dxa' />"#;
    assert_eq!(remove_attr(tag, "w:type").unwrap(), r#"<w:gridCol w:w="1800" />"#);
    assert_eq!(remove_attr(tag, "w:x"), None);
    assert_eq!(set_attr(tag, "w:w", "9000").unwrap(), r#"<w:gridCol w:w="9000"  w:type='dxa' />"#);
    assert_eq!(set_attr(r#"<w:a w:v="" />"#, "w:v", "1").unwrap(), r#"<w:a w:v="1" />"#);
}
