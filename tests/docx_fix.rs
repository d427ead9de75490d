//! `render::docx::fix` on a representative docx-rs document: the parts
//! docx-rs writes fail the ECMA-376 schemas (`tests/ooxml/validate-docx`);
//! the patched parts pass, with repeated header rows and the TOC marked as a
//! "Table of Contents" document part.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use docx_rs::*;
use jixiao::render::docx::fix::{fix_parts, fix_xml_docx, normalize_part};

const FANGSONG: &str = "仿宋_GB2312";
const HEITI: &str = "黑体";

fn body_fonts() -> RunFonts {
    RunFonts::new().east_asia(FANGSONG).ascii("Times New Roman").hi_ansi("Times New Roman")
}

fn heading_style(id: &str, name: &str, level: usize) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .based_on("Normal")
        .next("Normal")
        .q_format(true)
        .fonts(RunFonts::new().east_asia(HEITI).ascii("Times New Roman"))
        .size(32)
        .bold()
        .outline_lvl(level - 1)
        .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Exact).line(560))
}

fn body(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(Run::new().add_text(text).fonts(body_fonts()).size(32))
        .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Exact).line(560))
        .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
        .align(AlignmentType::Both)
}

/// A heading with the bookmark its TOC entry's PAGEREF points at.
fn heading(style: &str, text: &str, bookmark: usize) -> Paragraph {
    Paragraph::new()
        .style(style)
        .add_bookmark_start(bookmark, format!("_Toc{bookmark:06}"))
        .add_run(Run::new().add_text(text))
        .add_bookmark_end(bookmark)
}

fn page_footer() -> Footer {
    let run = || Run::new().fonts(RunFonts::new().east_asia("宋体").ascii("Times New Roman")).size(28);
    Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(run().add_text("— "))
            .add_run(run().add_field_char(FieldCharType::Begin, false))
            .add_run(run().add_instr_text(InstrText::PAGE(InstrPAGE::new())))
            .add_run(run().add_field_char(FieldCharType::Separate, false))
            .add_run(run().add_text("1"))
            .add_run(run().add_field_char(FieldCharType::End, false))
            .add_run(run().add_text(" —")),
    )
}

fn cell(text: &str, width: usize) -> TableCell {
    TableCell::new()
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(Run::new().add_text(text).fonts(body_fonts()).size(24)),
        )
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Center)
}

fn table() -> Table {
    let border = |p| TableCellBorder::new(p).border_type(BorderType::Single).size(4).color("000000");
    let header = |text: &str, width: usize| {
        cell(text, width).shading(Shading::new().shd_type(ShdType::Clear).color("auto").fill("D9D9D9")).set_borders(
            TableCellBorders::new()
                .set(border(TableCellBorderPosition::Top))
                .set(border(TableCellBorderPosition::Bottom)),
        )
    };
    Table::new(vec![
        // The header row: marked with cant_split(), the `render::docx::fix` convention.
        TableRow::new(vec![header("一级指标", 1800), header("二级指标", 1800), header("分值", 2400).grid_span(2)])
            .cant_split(),
        TableRow::new(vec![
            cell("决策", 1800).vertical_merge(VMergeType::Restart),
            cell("项目立项", 1800),
            cell("10", 1200),
            cell("9.5", 1200),
        ])
        .row_height(454.0)
        .height_rule(HeightRule::AtLeast),
        TableRow::new(vec![
            cell("", 1800).vertical_merge(VMergeType::Continue),
            cell("绩效目标", 1800),
            cell("10", 1200),
            cell("8", 1200),
        ]),
    ])
    .set_grid(vec![1800, 1800, 1200, 1200])
    .width(6000, WidthType::Dxa)
    .layout(TableLayoutType::Fixed)
    .align(TableAlignmentType::Center)
    .set_borders(TableBorders::new())
}

/// The TOC as the renderer writes it: entries pre-filled, page numbers
/// to be updated by Word on opening.
fn prefilled_toc() -> TableOfContents {
    TableOfContents::new()
        .heading_styles_range(1, 3)
        .alias("目录")
        .add_item(TableOfContentsItem::new().text("一、基本情况").toc_key("_Toc000001").level(1).page_ref("1"))
        .add_item(TableOfContentsItem::new().text("（一）项目概况").toc_key("_Toc000002").level(2).page_ref("1"))
        .add_item(TableOfContentsItem::new().text("二、评价结论").toc_key("_Toc000003").level(1).page_ref("2"))
}

/// A report-shaped document: cover + 目录 as a front-matter section, then the
/// body with page numbers restarting at 1.
fn sample_docx(toc: TableOfContents) -> Docx {
    let margin = PageMargin::new().top(2098).bottom(1984).left(1588).right(1474).header(851).footer(992);
    let front_matter = SectionProperty::new().page_size(PageSize::new().size(11906, 16838)).page_margin(margin.clone());
    Docx::new()
        .page_size(11906, 16838)
        .page_margin(margin)
        .default_fonts(body_fonts())
        .default_size(32)
        .add_style(heading_style("Heading1", "heading 1", 1))
        .add_style(heading_style("Heading2", "heading 2", 2))
        .footer(page_footer())
        .page_num_type(PageNumType::new().start(1))
        .add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(
            Run::new().add_text("绩效评价报告").fonts(RunFonts::new().east_asia("方正小标宋简体")).size(44).bold(),
        ))
        .add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)))
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(Run::new().add_text("目  录").fonts(body_fonts()).bold()),
        )
        .add_table_of_contents(toc)
        .add_paragraph(Paragraph::new().section_property(front_matter))
        .add_paragraph(heading("Heading1", "一、基本情况", 1))
        .add_paragraph(heading("Heading2", "（一）项目概况", 2))
        .add_paragraph(body("本次评价对象为某部门2024年度部门整体支出。"))
        .add_table(table())
        .add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)))
        .add_paragraph(heading("Heading1", "二、评价结论", 3))
        .add_paragraph(body("综合评价得分为82.53分，等级为“良”。"))
}

fn target_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("docx_fix");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn write(x: XMLDocx, name: &str) -> PathBuf {
    let path = target_dir().join(name);
    x.pack(std::fs::File::create(&path).unwrap()).unwrap();
    path
}

/// The caller's patch: `fix_parts` on the four parts, `normalize_part` on
/// the rest.
fn patched(toc: TableOfContents) -> XMLDocx {
    let mut x = sample_docx(toc).build();
    let (document, styles, numbering, settings) =
        fix_parts(&text(&x.document), &text(&x.styles), &text(&x.numberings), &text(&x.settings));
    x.document = document.into_bytes();
    x.styles = styles.into_bytes();
    x.numberings = numbering.into_bytes();
    x.settings = settings.into_bytes();
    // Headers, footers and the other WordprocessingML parts carry the same
    // property elements.
    for part in x.headers.iter_mut().chain(x.footers.iter_mut()) {
        *part = normalize_part(&text(part)).into_bytes();
    }
    x.footnotes = normalize_part(&text(&x.footnotes)).into_bytes();
    x.comments = normalize_part(&text(&x.comments)).into_bytes();
    x
}

fn validate(path: &Path) -> Option<(i32, String)> {
    support::validate_docx(path)
}

#[test]
fn unpatched_docx_rs_output_fails_the_schema() {
    let path = write(sample_docx(prefilled_toc()).build(), "unpatched.docx");
    let Some((status, report)) = validate(&path) else {
        return;
    };
    eprintln!("{report}");
    assert_ne!(status, 0, "docx-rs output validated without the fix — is the test still proving anything?\n{report}");
    for part in ["word/document.xml", "word/styles.xml", "word/numbering.xml", "word/footer1.xml"] {
        assert!(report.contains(part), "{part} is valid straight from docx-rs?\n{report}");
    }
}

#[test]
fn patched_docx_validates() {
    let x = patched(prefilled_toc());
    let document = text(&x.document);
    let settings = text(&x.settings);
    let path = write(x, "patched.docx");
    // The header row only — the rows below are not marked.
    assert_eq!(document.matches("<w:tblHeader/>").count(), 1, "one repeated header row");
    assert!(document.contains("<w:trPr><w:cantSplit /><w:tblHeader/></w:trPr>"));
    assert_eq!(document.matches(r#"<w:docPartGallery w:val="Table of Contents"/>"#).count(), 1, "TOC not marked");
    assert_eq!(document.matches("<w:sdt>").count(), 1, "docx-rs's inner w:sdt is unwrapped");
    // The leader tab at the right margin: 11906 − 1588 − 1474.
    assert!(!document.contains(r#"w:pos="80000""#) && document.contains(r#"w:pos="8844""#));
    assert!(settings.contains(r#"<w:updateFields w:val="true"/>"#));
    let Some((status, report)) = validate(&path) else {
        return;
    };
    eprintln!("{report}");
    assert_eq!(status, 0, "{report}");
}

/// A TOC written without docx-rs's `w:sdt` and without entries is wrapped.
#[test]
fn patched_docx_with_a_bare_toc_field_validates() {
    let x = patched(TableOfContents::new().heading_styles_range(1, 3).without_sdt());
    let document = text(&x.document);
    let path = write(x, "patched-bare-toc.docx");
    assert_eq!(document.matches(r#"<w:docPartGallery w:val="Table of Contents"/>"#).count(), 1, "TOC not marked");
    let Some((status, report)) = validate(&path) else {
        return;
    };
    eprintln!("{report}");
    assert_eq!(status, 0, "{report}");
}

/// `fix_xml_docx` is the same patch in one call.
#[test]
fn fix_xml_docx_is_the_same_patch() {
    // docx-rs numbers paragraphs (w14:paraId) process-wide: leave the ids out.
    fn same(a: &[u8], b: &[u8]) -> bool {
        let strip = |x: &[u8]| {
            let t = text(x);
            let mut out = String::new();
            let mut rest = t.as_str();
            while let Some(i) = rest.find(" w14:paraId=\"") {
                out.push_str(&rest[..i]);
                rest = &rest[i + " w14:paraId=\"".len()..];
                rest = &rest[rest.find('"').unwrap() + 1..];
            }
            out + rest
        };
        strip(a) == strip(b)
    }
    let mut x = sample_docx(prefilled_toc()).build();
    fix_xml_docx(&mut x).unwrap();
    let y = patched(prefilled_toc());
    assert!(same(&x.document, &y.document));
    assert!(same(&x.styles, &y.styles));
    assert!(same(&x.numberings, &y.numberings));
    assert!(same(&x.settings, &y.settings));
    assert_eq!(x.footers.len(), y.footers.len());
    assert!(x.footers.iter().zip(&y.footers).all(|(a, b)| same(a, b)));
    assert!(same(&x.footnotes, &y.footnotes));
    assert!(same(&x.comments, &y.comments));
}

/// A part that is not UTF-8 is an error naming it, with the UTF-8 error as its source.
#[test]
fn fix_xml_docx_names_a_part_that_is_not_utf8() {
    let mut x = sample_docx(prefilled_toc()).build();
    x.comments = vec![b'<', 0xFF];
    let e = fix_xml_docx(&mut x).unwrap_err();
    assert_eq!(e.to_string(), "comments.xml is not UTF-8: invalid utf-8 sequence of 1 bytes from index 1");
    assert!(std::error::Error::source(&e).is_some());
}

/// LibreOffice takes the marked TOC for an index and shows its entries; the
/// unmarked one docx-rs writes comes out with the field code as text.
#[test]
fn libreoffice_shows_the_marked_toc() {
    let Some(soffice) =
        ["soffice", "libreoffice"].into_iter().find(|b| Command::new(b).arg("--version").output().is_ok())
    else {
        assert!(std::env::var_os("CI").is_none(), "CI must have LibreOffice (.ci/run installs it)");
        eprintln!("skipped: soffice is not installed here");
        return;
    };
    let dir = target_dir().join("pdf");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let patched = write(patched(prefilled_toc()), "lo-patched.docx");
    let unpatched = write(sample_docx(prefilled_toc()).build(), "lo-unpatched.docx");
    let out = Command::new(soffice)
        .arg(format!("-env:UserInstallation=file://{}", dir.join("profile").display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&patched)
        .arg(&unpatched)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = |f: &str| {
        let o = Command::new("pdftotext").arg(dir.join(f)).arg("-").output().expect("pdftotext (poppler-utils)");
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let fixed = text("lo-patched.pdf");
    assert!(fixed.contains("一、基本情况....") && !fixed.contains("TOC \\o"), "{fixed}");
    let raw = text("lo-unpatched.pdf");
    assert!(raw.contains("TOC \\o"), "LibreOffice now reads docx-rs's TOC as it is?\n{raw}");
}
