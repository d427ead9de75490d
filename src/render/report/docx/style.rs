//! The report's type: fonts and sizes (GB/T 9704), the paragraph styles
//! (headings with outline levels, 目录 levels), what docx-rs cannot say in
//! `styles.xml`, and the font table.

use docx_rs::*;

/// Font names (configurable: government machines have 仿宋_GB2312 etc.,
/// ordinary Windows 仿宋/黑体/楷体/宋体).
#[derive(Debug, Clone)]
pub struct Fonts {
    pub body: String,
    pub heading1: String,
    pub heading2: String,
    pub title: String,
    pub table: String,
    pub latin: String,
}

impl Default for Fonts {
    fn default() -> Fonts {
        Fonts {
            body: "仿宋_GB2312".into(),
            heading1: "黑体".into(),
            heading2: "楷体_GB2312".into(),
            title: "方正小标宋简体".into(),
            table: "宋体".into(),
            latin: "Times New Roman".into(),
        }
    }
}

/// 3号 = 16 pt = 32 half-points; 2号 = 44; 4号 = 28; 小四 = 24; 五号 = 21.
pub(super) const BODY: usize = 32;
pub(super) const TITLE: usize = 44;
/// 小二 (18 pt): titles of front pages (报告撰写说明, 目录), above the 三号 body.
pub(super) const PAGE_TITLE: usize = 36;
pub(super) const PAGE_NO: usize = 28;
pub(super) const TABLE: usize = 24;
pub(super) const TABLE_SMALL: usize = 21;
pub(super) const TABLE_TINY: usize = 15;
/// Fixed 28 pt lines, two 16 pt characters of first-line indent.
pub(super) const LINE: i32 = 560;
pub(super) const INDENT: i32 = 640;

pub(super) fn fonts(name: &str, latin: &str) -> RunFonts {
    RunFonts::new().east_asia(name).ascii(latin).hi_ansi(latin).cs(latin)
}

/// A run's font and size.
pub(super) fn styled<'a>(font: &'a str, f: &'a Fonts, size: usize) -> impl Fn(Run) -> Run + 'a {
    move |r: Run| r.fonts(fonts(font, &f.latin)).size(size)
}

pub(super) fn body_spacing() -> LineSpacing {
    LineSpacing::new().line(LINE).line_rule(LineSpacingType::Exact)
}

/// Styles: headings with outline levels (the 目录 finds them), 目录 levels.
pub(super) fn styles(docx: Docx, f: &Fonts) -> Docx {
    let heading = |id: &str, name: &str, level: usize, font: &str, bold: bool| {
        let mut s = Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .outline_lvl(level)
            .fonts(fonts(font, &f.latin))
            .size(BODY)
            .line_spacing(body_spacing())
            .indent(None, Some(SpecialIndentType::FirstLine(INDENT)), None, None);
        if bold {
            s = s.bold();
        }
        s
    };
    let toc = |id: &str, name: &str, left: i32| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            // docx-rs writes the 目录's entries without run properties: the style hints them East Asian.
            .fonts(fonts(&f.body, &f.latin).hint("eastAsia"))
            .size(BODY)
            .line_spacing(body_spacing())
            .indent(Some(left), None, None, None)
    };
    docx.add_style(heading("Heading1", "heading 1", 0, &f.heading1, false))
        .add_style(heading("Heading2", "heading 2", 1, &f.heading2, false))
        .add_style(heading("Heading3", "heading 3", 2, &f.body, true))
        .add_style(heading("Heading4", "heading 4", 3, &f.body, false))
        .add_style(toc("ToC1", "toc 1", 0))
        .add_style(toc("ToC2", "toc 2", 320))
        .add_style(toc("ToC3", "toc 3", 640))
}

/// What docx-rs cannot say in `styles.xml`: Normal is the default
/// paragraph style (`w:default="1"`), every paragraph has widow/orphan
/// control (Word's own default, which a document without it turns off), and
/// the text is Chinese (`w:lang` zh-CN for East Asian text: spelling,
/// line breaking and fonts in Word/WPS). `render::docx::fix` orders the elements.
pub(super) fn word_defaults(styles: &str) -> String {
    styles
        .replacen("<w:pPrDefault><w:pPr>", "<w:pPrDefault><w:pPr><w:widowControl />", 1)
        .replacen(
            "</w:rPr></w:rPrDefault>",
            "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\" /></w:rPr></w:rPrDefault>",
            1,
        )
        .replacen(
            "<w:style w:type=\"paragraph\" w:styleId=\"Normal\">",
            "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">",
            1,
        )
}

/// The font table: the Latin fonts docx-rs lists, and every CJK font the
/// report uses declared with its GB2312 charset, panose and the font a
/// stock Windows has (`w:altName`), so Word and WPS fall back to 仿宋,
/// 楷体, 黑体 or 宋体 — not to whatever they pick.
pub(super) fn font_table(f: &Fonts) -> String {
    // (name, altName, panose)
    const KNOWN: &[(&str, &str, &str)] = &[
        ("仿宋_GB2312", "仿宋", "02010609030101010101"),
        ("仿宋", "FangSong", "02010609060101010101"),
        ("楷体_GB2312", "楷体", "02010609030101010101"),
        ("楷体", "KaiTi", "02010609060101010101"),
        ("黑体", "SimHei", "02010609060101010101"),
        ("宋体", "SimSun", "02010600030101010101"),
        ("方正小标宋简体", "宋体", "02000000000000000000"),
    ];
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">",
    );
    out.push_str("<w:font w:name=\"Times New Roman\"><w:panose1 w:val=\"02020603050405020304\" /><w:charset w:val=\"00\" /><w:family w:val=\"roman\" /><w:pitch w:val=\"variable\" /></w:font>");
    out.push_str("<w:font w:name=\"Symbol\"><w:charset w:val=\"02\" /><w:family w:val=\"roman\" /><w:pitch w:val=\"variable\" /></w:font>");
    out.push_str("<w:font w:name=\"Arial\"><w:charset w:val=\"00\" /><w:family w:val=\"swiss\" /><w:pitch w:val=\"variable\" /></w:font>");
    let mut seen: Vec<&str> = Vec::new();
    for name in [&f.body, &f.heading1, &f.heading2, &f.title, &f.table] {
        if seen.contains(&name.as_str()) || name == &f.latin {
            continue;
        }
        seen.push(name);
        let (alt, panose) = KNOWN
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, a, p)| (*a, *p))
            .unwrap_or(("宋体", "02010600030101010101"));
        out.push_str(&format!(
            "<w:font w:name=\"{}\"><w:altName w:val=\"{}\" /><w:panose1 w:val=\"{panose}\" /><w:charset w:val=\"86\" /><w:family w:val=\"modern\" /><w:pitch w:val=\"fixed\" /></w:font>",
            xml_escape(name),
            xml_escape(alt)
        ));
    }
    out.push_str("</w:fonts>");
    out
}

pub(super) fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
