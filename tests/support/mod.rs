//! Test support: turn the line-based sheet sources (`tests/sample-source/README.md`)
//! into real workbooks with rust_xlsxwriter, with layout variations, and
//! compare the models jixiao reads from them.

#![allow(dead_code)]

pub mod equations;
pub mod prose;
pub mod web;

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

/// Layout variations applied while writing.
#[derive(Clone, Default)]
pub struct Variant {
    /// Blank rows above every sheet's content.
    pub row_offset: u32,
    /// Blank columns left of every sheet's content.
    pub col_offset: u32,
    /// Write amounts as text (`12,847.65`) instead of numbers.
    pub numbers_as_text: bool,
    /// Rename sheets (`Sheet1`, `Sheet2`, …).
    pub plain_sheet_names: bool,
    /// Put every table on one sheet, one below the other.
    pub one_sheet: bool,
}

#[derive(Debug, Clone)]
pub enum Line {
    Sheet(String),
    Title(String),
    Meta(Vec<String>),
    Header(Vec<String>),
    Row(Vec<String>),
    Note(String),
    Blank,
}

/// Parse a sheet source.
pub fn parse(src: &str) -> Vec<Line> {
    let mut out = Vec::new();
    for line in src.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (kw, rest) = match line.find([' ', '\t']) {
            Some(i) => (&line[..i], &line[i + 1..]),
            None => (line, ""),
        };
        let cells = || rest.split('\t').map(String::from).collect::<Vec<_>>();
        out.push(match kw {
            "@sheet" => Line::Sheet(rest.trim().to_string()),
            "@title" => Line::Title(rest.trim().to_string()),
            "@meta" => Line::Meta(cells()),
            "@header" => Line::Header(cells()),
            "@row" => Line::Row(cells()),
            "@note" => Line::Note(rest.trim().to_string()),
            "@blank" => Line::Blank,
            other => panic!("unknown sheet-source line {other:?}"),
        });
    }
    out
}

struct Formats {
    title: Format,
    meta: Format,
    header: Format,
    text: Format,
    amount: Format,
    general: Format,
    percent: Format,
    note: Format,
}

fn formats() -> Formats {
    let border = |f: Format| f.set_border(FormatBorder::Thin);
    Formats {
        title: Format::new().set_bold().set_font_size(16).set_align(FormatAlign::Center),
        meta: Format::new(),
        header: border(
            Format::new()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
        ),
        text: border(Format::new().set_text_wrap()),
        amount: border(Format::new().set_num_format("#,##0.00")),
        general: border(Format::new()),
        percent: border(Format::new().set_num_format("0.00%")),
        note: Format::new().set_text_wrap(),
    }
}

enum Cell {
    Empty,
    Left,
    Up,
    Text(String),
    Amount(f64, String),
    General(f64),
    Percent(f64),
}

fn cell_of(s: &str) -> Cell {
    if s.is_empty() {
        return Cell::Empty;
    }
    if s == "<" {
        return Cell::Left;
    }
    if s == "^" {
        return Cell::Up;
    }
    if let Some(t) = s.strip_prefix('\'') {
        return Cell::Text(t.to_string());
    }
    if let Some(n) = s.strip_prefix('=') {
        if let Ok(f) = n.parse() {
            return Cell::General(f);
        }
    }
    if let Some(n) = s.strip_prefix('%') {
        if let Ok(f) = n.parse() {
            return Cell::Percent(f);
        }
    }
    let plain: String = s.chars().filter(|c| *c != ',').collect();
    let numeric = s.contains('.')
        && plain.trim_start_matches('-').chars().all(|c| c.is_ascii_digit() || c == '.')
        && plain.chars().filter(|c| *c == '.').count() == 1;
    if numeric {
        if let Ok(f) = plain.parse() {
            return Cell::Amount(f, s.to_string());
        }
    }
    Cell::Text(s.to_string())
}

/// One table's rows, for width computations.
fn table_width(lines: &[Line], from: usize) -> u16 {
    let mut w = 1;
    for l in &lines[from + 1..] {
        match l {
            Line::Title(_) | Line::Sheet(_) => break,
            Line::Header(c) | Line::Row(c) => w = w.max(c.len() as u16),
            _ => {}
        }
    }
    w
}

/// Build a workbook from a sheet source.
pub fn build(src: &str, v: &Variant) -> Workbook {
    let lines = parse(src);
    let f = formats();
    let mut wb = Workbook::new();
    let props = DocProperties::new()
        .set_author("jixiao sample")
        .set_creation_datetime(&ExcelDateTime::from_ymd(2025, 1, 1).unwrap());
    wb.set_properties(&props);
    let mut sheets: Vec<(String, Vec<(usize, usize)>)> = Vec::new(); // name, line ranges
    for (i, l) in lines.iter().enumerate() {
        if let Line::Sheet(name) = l {
            sheets.push((name.clone(), vec![(i + 1, lines.len())]));
            if let Some(prev) = sheets.len().checked_sub(2) {
                sheets[prev].1[0].1 = i;
            }
        }
    }
    if v.one_sheet && !sheets.is_empty() {
        let ranges: Vec<(usize, usize)> = sheets.iter().map(|s| s.1[0]).collect();
        sheets = vec![("全部报表".to_string(), ranges)];
    }
    for (n, (name, ranges)) in sheets.iter().enumerate() {
        let ws = wb.add_worksheet();
        let name = if v.plain_sheet_names { format!("Sheet{}", n + 1) } else { name.clone() };
        ws.set_name(&name).unwrap();
        let mut row = v.row_offset;
        for &(a, b) in ranges {
            row = write_lines(ws, &lines, a, b, row, v, &f);
            row += 2;
        }
    }
    wb
}

fn write_lines(ws: &mut Worksheet, lines: &[Line], a: usize, b: usize, mut row: u32, v: &Variant, f: &Formats) -> u32 {
    let c0 = v.col_offset as u16;
    let mut width = 1u16;
    // Grid of the current table's bordered rows, for merges.
    let mut block: Vec<(u32, Vec<String>, bool)> = Vec::new();
    let flush = |ws: &mut Worksheet, block: &mut Vec<(u32, Vec<String>, bool)>| {
        write_block(ws, block, c0, v, f);
        block.clear();
    };
    for (i, l) in lines.iter().enumerate().take(b).skip(a) {
        match l {
            Line::Sheet(_) => {}
            Line::Title(t) => {
                flush(ws, &mut block);
                width = table_width(lines, i);
                if width > 1 {
                    ws.merge_range(row, c0, row, c0 + width - 1, t, &f.title).unwrap();
                } else {
                    ws.write_string_with_format(row, c0, t, &f.title).unwrap();
                }
                row += 1;
            }
            Line::Meta(cells) => {
                flush(ws, &mut block);
                for (j, c) in cells.iter().enumerate() {
                    if !c.is_empty() {
                        ws.write_string_with_format(row, c0 + j as u16, c, &f.meta).unwrap();
                    }
                }
                row += 1;
            }
            Line::Header(cells) => {
                block.push((row, cells.clone(), true));
                row += 1;
            }
            Line::Row(cells) => {
                block.push((row, cells.clone(), false));
                row += 1;
            }
            Line::Note(t) => {
                flush(ws, &mut block);
                if width > 1 {
                    ws.merge_range(row, c0, row, c0 + width - 1, t, &f.note).unwrap();
                } else {
                    ws.write_string_with_format(row, c0, t, &f.note).unwrap();
                }
                row += 1;
            }
            Line::Blank => {
                flush(ws, &mut block);
                row += 1;
            }
        }
    }
    flush(ws, &mut block);
    for c in 0..width.max(8) {
        ws.set_column_width(c0 + c, 16).unwrap();
    }
    row
}

fn write_block(ws: &mut Worksheet, block: &[(u32, Vec<String>, bool)], c0: u16, v: &Variant, f: &Formats) {
    let get = |r: usize, c: usize| block.get(r).and_then(|b| b.1.get(c)).map(String::as_str).unwrap_or("");
    for (ri, (row, cells, header)) in block.iter().enumerate() {
        for (ci, s) in cells.iter().enumerate() {
            let col = c0 + ci as u16;
            let cell = cell_of(s);
            if matches!(cell, Cell::Left | Cell::Up) {
                continue;
            }
            // Extent of a merge starting here.
            let mut right = ci;
            while get(ri, right + 1) == "<" {
                right += 1;
            }
            let mut down = ri;
            while (ci..=right).all(|c| get(down + 1, c) == "^") {
                down += 1;
            }
            let text_format = if *header { &f.header } else { &f.text };
            if right > ci || down > ri {
                let r2 = block[down].0;
                ws.merge_range(*row, col, r2, c0 + right as u16, "", text_format).unwrap();
            }
            match cell {
                Cell::Empty => {
                    if right == ci && down == ri {
                        ws.write_blank(*row, col, text_format).unwrap();
                    }
                }
                Cell::Text(t) => {
                    ws.write_string_with_format(*row, col, &t, text_format).unwrap();
                }
                Cell::Amount(x, s) => {
                    if v.numbers_as_text {
                        ws.write_string_with_format(*row, col, odd_number_text(&s, *row as usize + ci), &f.text)
                            .unwrap();
                    } else {
                        ws.write_number_with_format(*row, col, x, &f.amount).unwrap();
                    }
                }
                Cell::General(x) => {
                    ws.write_number_with_format(*row, col, x, &f.general).unwrap();
                }
                Cell::Percent(x) => {
                    if v.numbers_as_text {
                        ws.write_string_with_format(*row, col, format!("{:.2}%", x * 100.0), &f.text).unwrap();
                    } else {
                        ws.write_number_with_format(*row, col, x, &f.percent).unwrap();
                    }
                }
                Cell::Left | Cell::Up => {}
            }
        }
    }
}

/// Numbers as people type them into text cells: `12,847.65`, `1, 547. 33`
/// (stray spaces), `１２８４７．６５` (full-width), chosen by position.
fn odd_number_text(s: &str, salt: usize) -> String {
    match salt % 3 {
        0 => s.to_string(),
        1 => s.replace(',', ", ").replace('.', ". "),
        _ => s
            .chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap(),
                '.' => '．',
                ',' => '，',
                c => c,
            })
            .collect(),
    }
}

/// Write a workbook built from `src` to `path`.
pub fn write(src: &str, path: &Path, v: &Variant) {
    let mut wb = build(src, v);
    wb.save(path).unwrap();
}

/// The bytes of a workbook built from `src`.
pub fn bytes(src: &str, v: &Variant) -> Vec<u8> {
    build(src, v).save_to_buffer().unwrap()
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The sources of a sample case: (workbook name, source text).
pub fn sample_sources(case: &str) -> Vec<(String, String)> {
    let dir = root().join("tests/sample-source").join(case);
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_str().unwrap().to_string() + ".xlsx";
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

/// A fresh empty directory under the target dir.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = root().join("target/test-tmp").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A model reduced to what a layout must not change: per table kind and
/// year, the rows as (code, label, amounts).
pub fn digest(case: &jixiao::model::Case) -> Vec<String> {
    let mut out = Vec::new();
    for t in &case.tables {
        for b in &t.blocks {
            for r in &b.rows {
                let vals: Vec<String> = r
                    .values
                    .iter()
                    .map(|v| match &v.value {
                        jixiao::model::CellValue::Text(s) => s.clone(),
                        other => other.amount_or_zero().normalize().to_string(),
                    })
                    .collect();
                out.push(format!(
                    "{:?} {:?} {:?} {} {:?} {:?} {}",
                    t.kind,
                    t.year,
                    b.name,
                    r.code.as_deref().unwrap_or("-"),
                    r.code2,
                    r.label,
                    vals.join("|")
                ));
            }
        }
    }
    for p in &case.project_targets {
        for i in &p.indicators {
            out.push(format!("targets {} {} {} {}", p.project, i.level2, i.name, i.target.text));
        }
    }
    for p in &case.project_self_evals {
        for i in &p.indicators {
            out.push(format!(
                "self {} {} {} {} {:?} {:?}",
                p.project, i.name, i.target.text, i.actual.text, i.weight, i.score
            ));
        }
    }
    out.sort();
    out
}

/// The paragraphs of a DOCX, one per line (the runs of a paragraph joined,
/// a `w:noBreakHyphen` read as `-`).
#[allow(dead_code)]
pub fn docx_text(path: &Path) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    // A hyphen that must not break is an element of its own; it reads as a hyphen.
    let xml = xml.replace("<w:noBreakHyphen/>", "<w:t>-</w:t>");
    let mut out = String::new();
    for para in xml.split("</w:p>") {
        let mut line = String::new();
        for part in para.split("<w:t").skip(1) {
            let text = part.split_once('>').map(|(_, t)| t).unwrap_or("");
            line.push_str(text.split("</w:t>").next().unwrap_or(""));
        }
        if !line.is_empty() {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// Parse a decimal for assertions.
pub fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// The OOXML validator vendored under `tests/ooxml/` (schemas MIT, see its
/// LICENSE): `(exit status, report)` for a DOCX. `None` — the caller skips,
/// saying why — only off CI when xmllint or python3 is missing.
pub fn validate_docx(path: &Path) -> Option<(i32, String)> {
    use std::process::Command;
    let validator = root().join("tests/ooxml/validate-docx");
    let runs = |tool: &str| Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success());
    if !runs("xmllint") || !runs("python3") {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have xmllint (libxml2-utils) and python3: .ci/run installs them"
        );
        eprintln!("skipped schema validation: xmllint or python3 is not installed here");
        return None;
    }
    let out = Command::new("python3").arg(&validator).arg(path).output().expect("python3 runs validate-docx");
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    Some((out.status.code().expect("validate-docx exits"), report))
}

/// A small 支出决算表 (公开03表) source, consistent, for bad-input tests.
pub const SMALL: &str = "@sheet 支出\n@title 支出决算表\n@meta 部门：某局\t\t\t\t金额单位：万元\n\
    @header 科目代码\t科目名称\t本年支出合计\t基本支出\t项目支出\n\
    @row 合计\t<\t1,547.33\t414.54\t1,132.79\n\
    @row 210\t卫生健康支出\t1,547.33\t414.54\t1,132.79\n\
    @row 2101501\t行政运行\t414.54\t414.54\t\n\
    @row 2101599\t其他医疗保障管理事务支出\t1,132.79\t\t1,132.79\n";

/// Run the jixiao binary with `args` then `paths`.
pub fn jixiao(args: &[&str], paths: &[&Path]) -> std::process::Output {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"));
    c.args(args);
    for p in paths {
        c.arg(p);
    }
    c.output().unwrap()
}

/// stdout then stderr, as text.
pub fn text(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

/// Multiply every decimal amount (`12,847.65`, `0.27`) in a sheet source by `k`.
#[allow(dead_code)]
fn scale(src: &str, k: u32) -> String {
    let scale_cell = |cell: &str| -> String {
        let plain: String = cell.chars().filter(|c| *c != ',').collect();
        let numeric = cell.contains('.')
            && plain.chars().all(|c| c.is_ascii_digit() || c == '.')
            && plain.matches('.').count() == 1;
        match (numeric, plain.parse::<rust_decimal::Decimal>()) {
            (true, Ok(d)) => format!("{:.2}", d * rust_decimal::Decimal::from(k)),
            _ => cell.to_string(),
        }
    };
    src.lines()
        .map(|l| match l.strip_prefix("@row ") {
            Some(rest) => format!("@row {}", rest.split('\t').map(scale_cell).collect::<Vec<_>>().join("\t")),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Extra 项目绩效目标表 sheets: copies of the first project under new names.
#[allow(dead_code)]
fn more_projects(src: &str, n: usize) -> String {
    let start = src.find("@sheet 目标-").unwrap_or(src.len());
    let end = src[start + 1..].find("@sheet ").map(|i| start + 1 + i).unwrap_or(src.len());
    let first = &src[start..end];
    let mut out = src.to_string();
    for i in 0..n {
        out.push('\n');
        out.push_str(
            &first
                .replacen("@sheet 目标-", &format!("@sheet 目标{i}-"), 1)
                .replace("居民长护", &format!("新增项目{i}")),
        );
    }
    out
}

/// `n` cases for the batch benchmark and the summary test: variations of the
/// 枣庄 sample — other departments' names, 决算 amounts doubled (every
/// fourth), more projects (every other), and every third with a larger
/// 全年预算数 (so a lower 预算执行率 and score).
#[allow(dead_code)]
pub fn synthesise(root: &Path, n: usize) -> Vec<PathBuf> {
    let sources = sample_sources("zaozhuang-shizhong-2024");
    let depts = ["医疗保障局", "民政局", "卫生健康局", "人力资源和社会保障局", "财政局"];
    (0..n)
        .map(|i| {
            let dir = root.join(format!("case-{i:03}"));
            if dir.join("评价底稿.xlsx").is_file() {
                return dir;
            }
            std::fs::create_dir_all(&dir).unwrap();
            let name = format!("示例市第{}区{}", i + 1, depts[i % depts.len()]);
            for (file, src) in &sources {
                // Another department, still scored with the shipped system.
                let mut s = src
                    .replace("枣庄市市中区医疗保障局", &name)
                    .replace(&format!("指标体系（{name}2024）"), "指标体系（枣庄市市中区医疗保障局2024）");
                if i % 4 == 1 && file.contains("决算") {
                    s = scale(&s, 2);
                }
                if i % 2 == 0 && file.contains("预算") {
                    s = more_projects(&s, 1 + i % 5);
                }
                if i % 3 == 2 && file.contains("评价底稿") {
                    s = s.replace("@row 全年预算数\t=8848.19\t", "@row 全年预算数\t=10848.19\t");
                }
                write(&s, &dir.join(file), &Variant::default());
            }
            dir
        })
        .collect()
}

/// An xlsx whose first sheet's rows `rows` writes (streamed to disk, never
/// held in memory), the other parts those of a real small workbook.
pub fn write_sheet1(path: &Path, rows: impl FnOnce(&mut dyn std::io::Write)) {
    use std::io::{Read, Write};
    let mut wb = Workbook::new();
    wb.add_worksheet().write_string(0, 0, "科目名称").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut w = zip::ZipWriter::new(std::io::BufWriter::new(std::fs::File::create(path).unwrap()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut names = Vec::new();
    let mut rows = Some(rows);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().to_string();
        w.start_file(name.as_str(), options).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            w.write_all(br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#).unwrap();
            w.write_all(br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#)
                .unwrap();
            if let Some(rows) = rows.take() {
                rows(&mut w);
            }
            w.write_all(b"</sheetData></worksheet>").unwrap();
        } else {
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            w.write_all(&data).unwrap();
        }
        names.push(name);
    }
    for part in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"] {
        assert!(names.iter().any(|n| n == part), "{part} in {names:?}");
    }
    w.finish().unwrap().flush().unwrap();
}

/// An xlsx whose `xl/worksheets/sheet1.xml` inflates to about `inflated`
/// bytes (spaces): a zip bomb.
pub fn write_bomb(path: &Path, inflated: usize) {
    write_sheet1(path, |w| {
        let chunk = vec![b' '; 1024 * 1024];
        for _ in 0..inflated / chunk.len() {
            w.write_all(&chunk).unwrap();
        }
    });
}
