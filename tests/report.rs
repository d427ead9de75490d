//! The narrative report as DOCX: valid by construction (the OOXML schemas),
//! byte-identical for the same inputs, the wording from overridable
//! templates with strict names, and opened by LibreOffice with the key
//! figures in its text.

mod support;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use jixiao::render::report::{render, Options};

const CASE: &str = "zaozhuang-shizhong-2024";

fn sample() -> PathBuf {
    support::root().join("sample-workbooks").join(CASE)
}

fn scored() -> (jixiao::assemble::Evaluation, jixiao::score::Scored) {
    let case = jixiao::ingest::ingest_path(&sample());
    let checks = jixiao::check::check(&case);
    let scored = jixiao::score::score(&case, &checks).unwrap();
    (jixiao::assemble::assemble(&case, &checks, &scored), scored)
}

fn docx_of(eval: &jixiao::assemble::Evaluation, options: &Options) -> Vec<u8> {
    render(eval, options).unwrap().bytes
}

/// A part of the DOCX (zip) as text.
fn part(docx: &[u8], name: &str) -> String {
    // The zip's local headers: find the entry and inflate it with the crate docx-rs already uses.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut s = String::new();
    archive.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

fn has_tool(cmd: &str, arg: &str) -> bool {
    Command::new(cmd).arg(arg).output().is_ok()
}

#[test]
fn the_docx_is_valid_and_identical_run_to_run() {
    let (eval, _) = scored();
    let a = docx_of(&eval, &Options::default());
    let b = docx_of(&eval, &Options::default());
    assert!(a == b, "two renders of the same inputs differ");
    // Every part deflated: reports travel by e-mail (stored, it was 762 KB).
    assert!(a.len() <= 150 * 1024, "{} KB", a.len() / 1024);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&a)).unwrap();
    for i in 0..zip.len() {
        let part = zip.by_index(i).unwrap();
        assert_eq!(part.compression(), zip::CompressionMethod::Deflated, "{}", part.name());
    }
    // The font table declares the CJK fonts with a stock Windows fallback.
    let fonts = part(&a, "word/fontTable.xml");
    for (name, alt) in [
        ("仿宋_GB2312", "仿宋"),
        ("楷体_GB2312", "楷体"),
        ("黑体", "SimHei"),
        ("宋体", "SimSun"),
        ("方正小标宋简体", "宋体"),
    ] {
        assert!(
            fonts.contains(&format!("<w:font w:name=\"{name}\"><w:altName w:val=\"{alt}\" />")),
            "{name} → {alt}: {fonts}"
        );
    }
    assert_eq!(fonts.matches("<w:charset w:val=\"86\" />").count(), 5, "GB2312 charset");
    // Core properties from the case, not the time of writing.
    let core = part(&a, "docProps/core.xml");
    assert!(core.contains("<dc:title>枣庄市市中区医疗保障局2024年度绩效评价报告</dc:title>"), "{core}");
    assert!(core.contains("<dc:creator>润政咨询（山东）有限公司</dc:creator>"), "{core}");
    assert!(core.contains(">2025-12-01T00:00:00Z</dcterms:created>"), "{core}");
    let dir = support::temp_dir("report-valid");
    let path = dir.join("report.docx");
    std::fs::write(&path, &a).unwrap();
    let Some((status, text)) = support::validate_docx(&path) else { return };
    assert_eq!(status, 0, "validate-docx: {text}");
}

#[test]
fn the_chart_is_a_native_chart_with_the_exact_rates() {
    let (eval, _) = scored();
    let docx = docx_of(&eval, &Options::default());
    let chart = part(&docx, "word/charts/chart1.xml");
    // Cached values: exactly the 一级 得分率 of the evaluation, in order.
    let cached: Vec<String> = chart
        .split("<c:numCache>")
        .nth(1)
        .unwrap()
        .split("<c:v>")
        .skip(1)
        .map(|v| v.split("</c:v>").next().unwrap().to_string())
        .collect();
    let rates: Vec<String> = eval.score.level1.iter().map(|l| l.rate.unwrap().normalize().to_string()).collect();
    assert_eq!(cached, rates);
    assert_eq!(cached, ["91.67", "75.71", "83.33", "86.09", "72"]);
    assert!(chart.contains("<c:max val=\"100\"/><c:min val=\"0\"/>"), "axis 0–100 %");
    assert!(chart.contains("<c:showVal val=\"1\"/>"), "data labels");
    // Wired into the package: the document's drawing, its relationship, the content type, the data workbook.
    let document = part(&docx, "word/document.xml");
    assert!(document
        .contains("<c:chart xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" r:id=\"rIdChart1\"/>"));
    assert!(document.contains("descr=\"2024年度一级指标得分率：财政资源配置91.67%，"), "alternative text");
    assert!(part(&docx, "word/_rels/document.xml.rels").contains("Id=\"rIdChart1\""));
    assert!(part(&docx, "[Content_Types].xml").contains("PartName=\"/word/charts/chart1.xml\""));
    assert!(part(&docx, "word/charts/_rels/chart1.xml.rels").contains("../embeddings/Microsoft_Excel_Worksheet1.xlsx"));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&docx)).unwrap();
    assert!(zip.by_name("word/embeddings/Microsoft_Excel_Worksheet1.xlsx").is_ok());
    // No part nobody refers to (docx-rs writes comments, footnotes and numbering always).
    let names: Vec<String> = zip.file_names().map(String::from).collect();
    for unused in ["word/comments.xml", "word/commentsExtended.xml", "word/footnotes.xml", "word/numbering.xml"] {
        assert!(!names.iter().any(|n| n == unused), "{unused} in {names:?}");
    }
    // Word's defaults that docx-rs cannot write.
    let styles = part(&docx, "word/styles.xml");
    assert!(styles.contains("<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"));
    assert!(styles.contains("<w:pPrDefault><w:pPr><w:widowControl /></w:pPr>"));
    assert!(styles.contains("w:eastAsia=\"zh-CN\""));
    // The chart part validates against the DrawingML chart schema (vendored).
    if !has_tool("xmllint", "--version") {
        assert!(std::env::var_os("CI").is_none(), "CI must have xmllint");
        return;
    }
    let dir = support::temp_dir("report-chart");
    let path = dir.join("chart1.xml");
    std::fs::write(&path, &chart).unwrap();
    let xsd = support::root().join("tests/ooxml/schemas/ISO-IEC29500-4_2016/dml-chart.xsd");
    let out = Command::new("xmllint").arg("--noout").arg("--schema").arg(&xsd).arg(&path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// A caption's number as the document writes it: its hyphen a `w:noBreakHyphen`.
fn caption_number(number: &str) -> String {
    number.replace('-', "</w:t><w:noBreakHyphen/><w:t xml:space=\"preserve\">")
}

#[test]
fn short_table_rows_never_break_across_pages() {
    let (eval, _) = scored();
    let document = part(&docx_of(&eval, &Options::default()), "word/document.xml");
    for caption in ["表2-1 ", "表2-2 ", "表3-1 "] {
        let at = document.find(&caption_number(caption)).unwrap_or_else(|| panic!("{caption}"));
        let table = &document[at..];
        let table = &table[table.find("<w:tbl>").unwrap()..table.find("</w:tbl>").unwrap()];
        let rows = table.matches("<w:tr>").count() + table.matches("<w:tr ").count();
        assert!(rows >= 3, "{caption}: {rows} rows");
        assert_eq!(table.matches("<w:cantSplit").count(), rows, "{caption}: every row unsplittable");
        assert_eq!(table.matches("<w:tblHeader").count(), 1, "{caption}: one repeated header row");
    }
    // 表2-1 (a header and seven rows) stays on one page: every paragraph of
    // every row but the last keeps with the next, as its caption does.
    let at = document.find(&caption_number("表2-1 ")).unwrap();
    let caption = &document[document[..at].rfind("<w:p ").unwrap()..at];
    assert!(caption.contains("<w:keepNext />"), "{caption}");
    let table = &document[at..];
    let table = &table[table.find("<w:tbl>").unwrap()..table.find("</w:tbl>").unwrap()];
    let rows: Vec<&str> = table.split("</w:tr>").filter(|r| r.contains("<w:tc>")).collect();
    assert_eq!(rows.len(), 8);
    for row in &rows[..7] {
        assert_eq!(row.matches("<w:keepNext />").count(), row.matches("</w:p>").count(), "{row}");
    }
    assert!(!rows[7].contains("<w:keepNext"), "the last row keeps with nothing");
    // The longer 表2-2 (its long 工作内容) may break between rows.
    let at = document.find(&caption_number("表2-2 ")).unwrap();
    let table = &document[at..];
    let table = &table[table.find("<w:tbl>").unwrap()..table.find("</w:tbl>").unwrap()];
    assert!(!table.contains("<w:keepNext"), "表2-2 is kept whole?");
}

/// Hyphens inside references and codes never break (`表3-1`, `jz-02-0001号`);
/// Chinese runs are hinted East Asian, so Word draws “ ” in the Chinese font.
#[test]
fn codes_keep_their_hyphens_and_chinese_runs_their_font() {
    let (eval, _) = scored();
    let document = part(&docx_of(&eval, &Options::default()), "word/document.xml");
    assert!(document.contains(&caption_number("表3-1 ")), "表3-1 ");
    assert!(document.contains(&caption_number("jz-02-0001号")), "jz-02-0001号");
    assert!(!document.contains(">jz-") && !document.contains("表3-"), "a breakable hyphen left");
    let quoted = document.split("<w:r>").find(|r| r.contains("“三定”")).expect("a run with “三定”");
    assert!(quoted.contains("w:hint=\"eastAsia\""), "{quoted}");
    let number = document.split("<w:r>").find(|r| r.contains(">82.03<")).expect("a run of 82.03 alone");
    assert!(!number.contains("w:hint"), "{number}");
}

#[test]
fn the_overview_is_complete_as_in_seed_000() {
    let (eval, _) = scored();
    let t = eval.table("overview").unwrap();
    let rows: Vec<Vec<&str>> = t.rows.iter().map(|r| r.iter().map(|c| c.text.as_str()).collect()).collect();
    let row =
        |first: &str| rows.iter().find(|r| r.contains(&first)).unwrap_or_else(|| panic!("no row {first}: {rows:?}"));
    assert_eq!(row("部门名称：枣庄市市中区医疗保障局"), &["部门名称：枣庄市市中区医疗保障局", "部门下属单位数量：2个"]);
    assert_eq!(row("部门预算安排")[1..], ["12,847.65", "8,848.19", "8,848.19", "100.00%"]);
    assert_eq!(row("（1）财政资金")[2..], ["12,847.65", "8,848.19", "8,848.19", "100.00%"]);
    assert_eq!(row("（2）其他资金")[2..], ["0.00", "0.00", "0.00", "-"]);
    assert_eq!(row("（1）基本支出")[2..], ["477.75", "456.23", "456.23", "100.00%"]);
    assert_eq!(row("（2）项目支出")[2..], ["12,369.90", "8,391.96", "8,391.96", "100.00%"]);
    // The goals in full, the themes with their titles, the 一级 sub-table, the result.
    assert!(rows.iter().any(|r| r[0].starts_with("2024年，市中区医疗保障局绩效目标情况涉及")), "{rows:?}");
    assert!(rows.iter().any(|r| r[0].starts_with("1. 财务管理不规范，内控管理机制薄弱")));
    assert!(rows.iter().any(|r| r[0].starts_with("1. 规范财务管理，筑牢内控管理防线")));
    assert_eq!(row("财政资源配置"), &["财政资源配置", "12.00", "11.00", "91.67%"]);
    assert!(rows.iter().any(|r| r[0] == "评价得分：82.03　评价等级结果：良"));
}

#[test]
fn front_pages_titles_are_larger_than_the_body_and_reviews_align() {
    let (eval, _) = scored();
    let document = part(&docx_of(&eval, &Options::default()), "word/document.xml");
    let paragraph_of = |text: &str| {
        let at = document.find(&format!(">{text}</w:t>")).unwrap_or_else(|| panic!("{text}"));
        let start = document[..at].rfind("<w:p ").unwrap();
        &document[start..at]
    };
    for title in ["报告撰写说明", "目录"] {
        assert!(paragraph_of(title).contains("<w:sz w:val=\"36\" />"), "{title}: 小二, above the 16 pt body");
    }
    // 二级/三级审核 start under 一级审核: five characters in (质量控制：).
    for review in ["二级审核：殷允琴", "三级审核：徐淑敏"] {
        assert!(paragraph_of(review).contains("<w:ind w:left=\"1600\""), "{review}");
    }
    // The cover: space above the title and before the date.
    let cover = &document[..document.find("报告撰写说明").unwrap()];
    let before_title = &cover[..cover.find("2024年度枣庄市市中区医疗保障局").unwrap()];
    assert!(before_title.matches("<w:p ").count() >= 3, "space above the title");
    let before_date = &cover[cover.find("项目主评人").unwrap()..cover.find("2025年12月").unwrap()];
    assert!(before_date.matches("<w:p ").count() >= 3, "space before the date");
}

#[test]
fn the_docx_xml_has_every_indicator_row_and_heading() {
    let (eval, scored) = scored();
    let docx = docx_of(&eval, &Options::default());
    let doc = part(&docx, "word/document.xml");
    // 附件2 and 附件1: the 27 三级 rows, numbered.
    for ind in &scored.indicators {
        let label = format!("({}) {}（", ind.number, ind.name);
        assert!(doc.matches(&label).count() >= 2, "{label} in 附件1 and 附件2");
    }
    // Headings with outline levels, the six chapters in order.
    let chapters = [
        "一、部门概况",
        "二、评价组织实施",
        "三、评价结论及分析",
        "四、部门主要成效及做法",
        "五、发现的问题及原因分析",
        "六、相关建议",
    ];
    let mut at = 0;
    for c in chapters {
        let i =
            doc[at..].find(&format!("<w:t xml:space=\"preserve\">{c}</w:t>")).unwrap_or_else(|| panic!("heading {c}"));
        at += i;
    }
    assert!(doc.matches("w:val=\"Heading1\"").count() >= 6);
    assert!(doc.matches("w:val=\"Heading2\"").count() >= 10);
    let styles = part(&docx, "word/styles.xml");
    assert!(styles.contains("w:outlineLvl w:val=\"0\""), "heading 1 carries outline level 0");
    // The 目录 is a real TOC field, pre-filled with every heading of levels 1–2 (as seed 000).
    assert!(doc.contains("TOC \\o &quot;1-2&quot;") || doc.contains("TOC \\o \"1-2\""), "TOC field code");
    assert!(doc.contains("Table of Contents"), "docPartGallery marker");
    let levels_1_2 = doc.matches("w:val=\"Heading1\"").count() + doc.matches("w:val=\"Heading2\"").count();
    assert_eq!(doc.matches("PAGEREF _Toc").count(), levels_1_2, "one entry per heading of levels 1–2");
    // Repeated header rows, the body's page numbers restart at 1, East Asian fonts set.
    assert!(doc.matches("<w:tblHeader").count() >= 10);
    assert!(doc.contains("w:pgNumType w:start=\"1\""));
    assert!(doc.contains("w:eastAsia=\"仿宋_GB2312\""));
    assert!(part(&docx, "word/settings.xml").contains("w:updateFields"));
    assert!(part(&docx, "word/footer1.xml").contains("PAGE"));
}

#[test]
fn templates_can_be_overridden_and_typos_are_errors() {
    let (eval, _) = scored();
    let dir = support::temp_dir("report-templates");
    std::fs::write(
        dir.join("chapter4.j2"),
        "# 四、部门主要成效及做法\n本段由事务所模板改写：{{ case.short }}成效显著。\n",
    )
    .unwrap();
    let docx = docx_of(&eval, &Options { template_dirs: vec![dir.clone()], ..Default::default() });
    assert!(part(&docx, "word/document.xml").contains("本段由事务所模板改写：市中区医疗保障局成效显著。"));
    std::fs::write(dir.join("chapter4.j2"), "# 四、部门主要成效及做法\n\n{{ case.shrot }}\n").unwrap();
    let err = render(&eval, &Options { template_dirs: vec![dir], ..Default::default() }).unwrap_err().to_string();
    assert!(err.contains("chapter4.j2 第3行"), "names the template and line: {err}");
    assert!(err.contains("用到了不存在的名称（多半是拼写错误"), "in Chinese: {err}");
    assert!(!err.contains("undefined"), "the English detail only with -v: {err}");
}

fn pdf_text(docx: &Path) -> Option<(String, u32)> {
    let soffice = ["soffice", "libreoffice"].into_iter().find(|b| has_tool(b, "--version"))?;
    let dir = docx.parent().unwrap();
    let profile = support::temp_dir("report-pdf-profile");
    let out = Command::new(soffice)
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(docx)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let pdf = docx.with_extension("pdf");
    let text = Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext (poppler-utils)");
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let pages = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|p| p.trim().parse().unwrap()))
        .unwrap();
    Some((String::from_utf8_lossy(&text.stdout).into_owned(), pages))
}

/// `jixiao build` on the sample, LibreOffice → PDF → text.
#[test]
fn libreoffice_opens_the_report_with_its_figures() {
    if !["soffice", "libreoffice"].iter().any(|b| has_tool(b, "--version")) {
        assert!(std::env::var_os("CI").is_none(), "CI must have LibreOffice (.ci/run installs it)");
        eprintln!("skipped: soffice is not installed here");
        return;
    }
    let out = support::temp_dir("report-build");
    let run =
        Command::new(env!("CARGO_BIN_EXE_jixiao")).arg("build").arg(sample()).arg("--out").arg(&out).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.lines().any(|l| l.contains("82.03") && l.contains("良")), "{stdout}");
    let docx = out.join("枣庄市市中区医疗保障局2024年度绩效评价报告.docx");
    let (text, pages) = pdf_text(&docx).unwrap();
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for needle in [
        "82.03",
        "良",
        "12847.65",
        "8848.19",
        "31.13%",
        "13个二级指标",
        "27个三级指标",
        "绩效评价报告",
        "报告撰写说明",
        "目录",
    ] {
        assert!(flat.contains(needle), "PDF text lacks {needle}");
    }
    for (name, score) in [
        ("财政资源配置", "11"),
        ("预算管理", "21.2"),
        ("绩效管理", "12.5"),
        ("部门履职效能", "30.13"),
        ("社会效应", "7.2"),
    ] {
        assert!(flat.contains(name) && flat.contains(score), "{name} {score}");
    }
    // Numbers never wrap inside a cell, and money has two decimals (表3-2's 合计 row).
    for n in ["387.77", "255.50", "110.00", "753.27", "659.50", "216.50"] {
        assert!(text.lines().any(|l| l.contains(n)), "{n} on one line");
    }
    assert!(!text.lines().any(|l| l.trim() == "255.5" || l.trim() == "216.5"), "a number cut by a line break");
    // Short labels keep one line (表2-1); a period breaks after its dash (表2-2).
    assert!(text.lines().any(|l| l.contains("主评人及负责人")), "表2-1's 职务 cut by a line break");
    assert!(
        text.lines().any(|l| l.trim().ends_with("12 月 1 日—") || l.trim().ends_with("12月1日—")),
        "表2-2's period"
    );
    // Every number of every table the report prints is on one line (none cut by a wrap).
    let (eval, _) = scored();
    let placed = [
        "overview",
        "1-1",
        "1-2",
        "2-1",
        "3-1",
        "3-2",
        "3-3",
        "annex1",
        "annex2",
        "annex3",
        "annex4-strategic",
        "annex4-overall",
        "survey",
    ];
    let mut checked = 0;
    for name in placed {
        let table = eval.table(name).unwrap_or_else(|| panic!("table {name}"));
        for cell in table.rows.iter().flatten().filter(|c| c.span == 1) {
            let n = cell.text.trim();
            let numeric =
                n.chars().any(|c| c.is_ascii_digit()) && n.chars().all(|c| c.is_ascii_digit() || ".,%-".contains(c));
            if numeric && n.len() >= 3 {
                assert!(text.lines().any(|l| l.contains(n)), "table {name}: {n} is cut by a line break");
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "{checked} numbers checked");
    // Seed 000 is about 67 pages; 附件4's wide tables on landscape pages keep the report under 75.
    assert!((40..=75).contains(&pages), "{pages} pages");
    let pdf = docx.with_extension("pdf");
    let sizes = Command::new("pdfinfo").args(["-f", "1", "-l", &pages.to_string()]).arg(&pdf).output().unwrap();
    let landscape: Vec<u32> = String::from_utf8_lossy(&sizes.stdout)
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("Page")?.trim_start();
            let (n, size) = rest.split_once("size:")?;
            let mut wh = size.split_whitespace().filter_map(|x| x.parse::<f64>().ok());
            let (w, h) = (wh.next()?, wh.next()?);
            (w > h).then(|| n.trim().parse().ok()).flatten()
        })
        .collect();
    assert!(
        !landscape.is_empty() && landscape.iter().all(|&p| p > pages - 15),
        "附件4 on the last pages, landscape: {landscape:?}"
    );
    assert!(landscape.windows(2).all(|w| w[1] == w[0] + 1), "one landscape section: {landscape:?}");
    // 附件5 (the 问卷) follows on a portrait page, the numbering continuing.
    assert_eq!(*landscape.last().unwrap(), pages - 1, "the last page is 附件5, portrait: {landscape:?}");
    // The layout pass filled the 目录's page numbers: 一、部门概况 on body page 1.
    assert!(flat.contains("一、部门概况..") && !flat.contains("目录一、部门概况\n"), "TOC entries");
    let toc_line =
        text.lines().find(|l| l.starts_with("一、部门概况") && l.contains("..")).expect("a 目录 line for 一、部门概况");
    assert!(toc_line.trim_end().ends_with(" 1") || toc_line.trim_end().ends_with(".1"), "{toc_line}");
    assert_toc_is_the_printed_pages(&text, 29);
}

/// Every 目录 line's number is the page its heading is printed on: the page
/// whose footer reads — N —; `entries` lines checked.
fn assert_toc_is_the_printed_pages(text: &str, entries: usize) {
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let page_texts: Vec<String> = text.split('\u{c}').map(squash).collect();
    let mut checked = 0;
    for line in text.lines().filter(|l| l.contains("....")) {
        let heading = squash(line.split("..").next().unwrap());
        let number = line.trim_end().rsplit('.').next().unwrap().trim();
        assert!(number.parse::<u32>().is_ok(), "a 目录 line without its page: {line}");
        let footer = format!("—{number}—");
        // (pdftotext may place the footer before a table's last cells.)
        let pages: Vec<&String> = page_texts.iter().filter(|p| p.contains(&footer)).collect();
        assert!(!pages.is_empty(), "no page {footer}");
        assert!(
            pages.iter().any(|p| p.contains(&heading)),
            "目录 says {heading} is on page {number}, which does not print it"
        );
        checked += 1;
    }
    assert_eq!(checked, entries, "every 目录 line checked");
}

/// The 项目 report's 目录 (its field closed in its last line, so a page it
/// fills to the last line adds no empty paragraph): the body starts on the
/// next page, no blank page between; the layout pass filled the
/// numbers, so Word is not asked to update the fields on opening.
#[test]
fn a_full_toc_page_is_followed_by_the_body() {
    if !["soffice", "libreoffice"].iter().any(|b| has_tool(b, "--version")) {
        assert!(std::env::var_os("CI").is_none(), "CI must have LibreOffice (.ci/run installs it)");
        return;
    }
    let out = support::temp_dir("report-project-toc");
    let case = support::root().join("sample-workbooks/project-yiliaojiuzhu-2024");
    let run =
        Command::new(env!("CARGO_BIN_EXE_jixiao")).arg("build").arg(case).arg("--out").arg(&out).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let docx = out.join("枣庄市市中区医疗保障局2024年度医疗救助资金项目支出绩效评价报告.docx");
    let bytes = std::fs::read(&docx).unwrap();
    assert!(!part(&bytes, "word/settings.xml").contains("updateFields"), "the 目录's numbers are filled");
    let (text, pages) = pdf_text(&docx).unwrap();
    let page_texts: Vec<&str> = text.split('\u{c}').take(pages as usize).collect();
    let blank: Vec<usize> = (0..page_texts.len()).filter(|&i| page_texts[i].trim().is_empty()).map(|i| i + 1).collect();
    assert!(blank.is_empty(), "blank pages {blank:?} of {pages}");
    // The 目录 may run over two pages: the body starts on the page after its last line.
    let toc = page_texts.iter().rposition(|p| p.contains("附件：项目绩效评价评分表....")).unwrap();
    assert!(page_texts[toc + 1].trim_start().starts_with("一、基本情况"), "{}", page_texts[toc + 1]);
}

/// A template without `@frontmatter-end` numbers the report from its cover:
/// the layout pass's own marker page does not shift the 目录's numbers.
#[test]
fn toc_numbers_of_a_report_numbered_from_its_cover() {
    if !["soffice", "libreoffice"].iter().any(|b| has_tool(b, "--version")) {
        assert!(std::env::var_os("CI").is_none(), "CI must have LibreOffice (.ci/run installs it)");
        return;
    }
    let templates = support::temp_dir("report-no-front-matter");
    let overview = std::fs::read_to_string(support::root().join("templates/report/overview.j2")).unwrap();
    assert!(overview.contains("@frontmatter-end"));
    std::fs::write(templates.join("overview.j2"), overview.replace("@frontmatter-end", "")).unwrap();
    let out = support::temp_dir("report-no-front-matter-out");
    let run = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .arg("build")
        .arg(sample())
        .arg("--templates")
        .arg(&templates)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let (text, _) = pdf_text(&out.join("枣庄市市中区医疗保障局2024年度绩效评价报告.docx")).unwrap();
    // The cover is page 1 now, so 一、部门概况 is well past it.
    let first = text.lines().find(|l| l.starts_with("一、部门概况") && l.contains("..")).unwrap();
    assert!(first.trim_end().rsplit('.').next().unwrap().trim().parse::<u32>().unwrap() > 3, "{first}");
    assert_toc_is_the_printed_pages(&text, 29);
}

/// 六、相关建议 carries the suggestions' own titles (seed 000's), not 五's problems.
#[test]
fn suggestions_have_their_own_titles() {
    let (eval, _) = scored();
    let path = support::temp_dir("report-suggestion-titles").join("r.docx");
    std::fs::write(&path, docx_of(&eval, &Options::default())).unwrap();
    let doc = support::docx_text(&path);
    let after = |heading: &str, next: &str| -> Vec<String> {
        let start = doc.rfind(&format!("\n{heading}\n")).unwrap_or_else(|| panic!("{heading}"));
        let end = doc[start..].find(next).map(|e| start + e).unwrap_or(doc.len());
        doc[start..end].lines().filter(|l| l.starts_with('（')).map(String::from).collect()
    };
    let five = after("五、发现的问题及原因分析", "六、相关建议");
    let six = after("六、相关建议", "附件");
    assert_eq!(
        six,
        [
            "（一）规范财务管理，筑牢内控管理防线",
            "（二）细化项目管理，健全全流程监管体系",
            "（三）严谨绩效指标，牢固树立绩效理念",
            "（四）强化预算管理，严格落实项目库管理",
        ]
    );
    assert!(six.iter().all(|h| !five.contains(h)), "五: {five:?}");
}

/// The narrative chapters of a sample (the parts named `…chapter…` of its
/// report kind, with the tables they place), as text, and its evaluation.
fn narrative(case: &str) -> (String, jixiao::assemble::Evaluation) {
    use jixiao::render::report::blocks::Block;
    let dir = support::root().join("sample-workbooks").join(case);
    let out = support::temp_dir(&format!("report-narrative-{case}"));
    let run = jixiao::pipeline::build(&dir, &out, &Options::default()).expect("the sample builds");
    let eval = run.annex.evaluation;
    let (_, options) = jixiao::pipeline::case_setup(&run.annex.case, &dir, &Options::default()).unwrap();
    let mut kind = options.kind.clone().unwrap();
    kind.parts.retain(|p| p.contains("chapter"));
    assert!(kind.parts.len() >= 5, "{case}: {:?}", kind.parts);
    let blocks = jixiao::render::report::blocks(&eval, &Options { kind: Some(kind), ..options }).unwrap();
    let mut text = String::new();
    for b in blocks {
        match b {
            Block::Table(name) => {
                let t = eval.table(&name).unwrap();
                for row in t.header.iter().chain(&t.rows) {
                    text.extend(row.iter().map(|c| format!("{}\t", c.text)));
                    text.push('\n');
                }
            }
            Block::Heading(_, s)
            | Block::Paragraph(s)
            | Block::NoIndent(s)
            | Block::Center(s)
            | Block::Right(s)
            | Block::Caption(s)
            | Block::Note(s)
            | Block::Title(s)
            | Block::Subtitle(s) => {
                text.push_str(&s);
                text.push('\n');
            }
            _ => {}
        }
    }
    (text, eval)
}

/// The narrative states findings as an evaluator would; formulas stay in
/// 附件2's 得失分依据. 问题清单 items are findings, not calculations, and a
/// sentence recorded for several projects is said once; 表3-3 names each
/// defect with its values.
#[test]
fn the_narrative_states_findings_not_formulas() {
    for case in ["zaozhuang-shizhong-2024", "gaoyi-2021", "project-yiliaojiuzhu-2024"] {
        let (text, eval) = narrative(case);
        for formula in ["属于“", "得分="] {
            let line = text.lines().find(|l| l.contains(formula));
            assert!(line.is_none(), "{case}: the narrative has “{formula}”: {line:?}");
        }
        for p in &eval.score.problems {
            assert!(!p.description.contains('='), "{case}: 问题清单 {} is a calculation: {}", p.number, p.description);
        }
        // 附件2 keeps the formula: the 依据 is unchanged.
        assert!(
            eval.score.level1.iter().flat_map(|l| &l.indicators).any(|i| i.basis.contains("得分=")),
            "{case}: 附件2's 依据 lost its formulas"
        );
        if case == "zaozhuang-shizhong-2024" {
            // Chapter 三 of a third-party report analyses; it does not score.
            assert!(text.contains("预算执行率偏差为0%，不超过5%。"), "{text}");
            let chapter3 =
                &text[text.find("三、评价结论及分析").unwrap()..text.find("四、部门主要成效及做法").unwrap()];
            assert!(!chapter3.contains("得满分"), "{chapter3}");
            assert!(chapter3.contains("“预算执行进度”（2分，得0分）"), "{chapter3}");
            let item8 = eval.score.problems.iter().find(|p| p.indicator == "绩效主体责任落实").unwrap();
            assert_eq!(item8.description.matches("开展事前评价").count(), 1, "{}", item8.description);
            assert!(item8
                .description
                .starts_with("医疗救助资金、城乡居民区级配套资金、60岁以上城乡居民财政代缴等项目"));
            let satisfaction = eval.score.problems.iter().find(|p| p.indicator == "服务对象满意度").unwrap();
            assert_eq!(satisfaction.description, "问卷满意度为89.59%，低于95%。");
            // Only what lost points: the 控制率 within its limit is not a problem.
            let thrift = eval.score.problems.iter().find(|p| p.indicator == "落实过紧日子要求情况").unwrap();
            assert_eq!(thrift.description, "五项费用总变动率为17.11%，超过10%。");
            let t33: String = eval.table("3-3").unwrap().rows.iter().map(|r| r[4].text.clone() + "\n").collect();
            for value in ["“≥18200人次”不是金额", "“≥18200人”带比较符号", "“345153人”", "“333096人”", "“12月日前31”"]
            {
                assert!(t33.contains(value), "表3-3 lacks {value}: {t33}");
            }
            assert!(!t33.contains("成本指标目标值不是金额"), "{t33}");
        }
        if case == "gaoyi-2021" {
            // A value on the band's limit is not restated as the limit; percentage points are counted.
            assert!(text.contains("资助参保率差距为0个百分点，得满分。"), "{text}");
            assert!(text.contains("检查医疗医药机构数量为25家，得满分。"), "{text}");
            // Full marks are said once, and never beside a deduction.
            assert!(!text.contains("此项得"), "{text}");
            assert!(text.contains("项目按时完成率为100%，达到100%的目标。"), "{text}");
            assert!(!text.contains("不超过0") && !text.contains("不低于25家"), "{text}");
        }
    }
}
