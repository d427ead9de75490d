//! A prose check that reads the documents jixiao writes the way a senior
//! reviewer does (issue 26): the DOCX's paragraphs and table rows in order
//! (`word/document.xml`) and `word/settings.xml`, the 附件3 问题清单 XLSX, a
//! batch's 综合绩效评价报告.docx and 汇总表.xlsx, with the case's real figures
//! from 评价结果.json. Each [`Class`] is one kind of defect the reviewer
//! marked; [`check_report`], [`check_problem_list`] and [`check_summary`]
//! return every one found, with its place and text.
//!
//! The rules are in [`rules`], the arithmetic of class 2 in [`arith`].

pub mod arith;
pub mod figures;
pub mod rules;

use std::io::Read;
use std::path::Path;

use serde_json::Value;

/// The defect classes, numbered as in issue 26.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// 1. Full-marks wording beside a deduction, or the score said twice, in one indicator's statement.
    FullMarks,
    /// 2. Printed arithmetic whose sides disagree, or a division by zero printed as a result.
    FalseEquation,
    /// 3. Formula text or an engine-form threshold in the chapters.
    FormulaText,
    /// 4. A sentence repeated three or more times in the body.
    Repeated,
    /// 5. A 问题清单 entry that states compliance or a score, not a problem.
    NonProblem,
    /// 6. A third party's voice in a self-evaluation.
    ThirdPartyVoice,
    /// 7. 0.00 or `-` printed where the case has the figure.
    MissingFigure,
    /// 8. A placeholder name.
    Placeholder,
    /// 9. `w:updateFields` where nothing is left for Word to update.
    UpdateFields,
}

impl Class {
    pub const ALL: [Class; 9] = [
        Class::FullMarks,
        Class::FalseEquation,
        Class::FormulaText,
        Class::Repeated,
        Class::NonProblem,
        Class::ThirdPartyVoice,
        Class::MissingFigure,
        Class::Placeholder,
        Class::UpdateFields,
    ];

    pub fn number(self) -> usize {
        Class::ALL.iter().position(|c| *c == self).unwrap() + 1
    }

    pub fn title(self) -> &'static str {
        match self {
            Class::FullMarks => "满分措辞与扣分并存 / 得分说了两遍",
            Class::FalseEquation => "等式不成立 / 除数为零",
            Class::FormulaText => "正文中的公式或引擎式档位",
            Class::Repeated => "同一句话重复三次以上",
            Class::NonProblem => "问题清单中不是问题的描述",
            Class::ThirdPartyVoice => "自评报告中的第三方口吻",
            Class::MissingFigure => "有数却印成 0.00 或 -",
            Class::Placeholder => "占位名称",
            Class::UpdateFields => "不必要的 w:updateFields",
        }
    }
}

/// One defect: its class, where it is (paragraph index and heading, or
/// file › sheet › cell) and the text that has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Defect {
    pub class: Class,
    pub place: String,
    pub text: String,
}

impl std::fmt::Display for Defect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] {}：{}", self.class.number(), self.place, self.text)
    }
}

/// Who speaks in a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Voice {
    /// An evaluator's report (部门整体 third party, 项目支出, a user's kind).
    ThirdParty,
    /// The department's own 自评 report.
    SelfEval,
}

/// The voice of a case's report, from its 评价结果.json (`case.kind`).
pub fn voice(json: &Value) -> Voice {
    let kind = json["case"]["kind"].as_str().unwrap_or("");
    if kind.contains("自评") {
        Voice::SelfEval
    } else {
        Voice::ThirdParty
    }
}

/// Where a block stands in the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Region {
    /// Cover, 撰写说明, 总览表: before the first chapter heading.
    Front,
    /// An entry of the 目录.
    Toc,
    /// The chapters.
    Body,
    /// From the first heading that starts with 附 (附件, 附：, 附件：…).
    Annex,
}

/// A paragraph, or a table row (its cells' texts in `cells`, joined by
/// ` | ` in `text`).
#[derive(Clone, Debug)]
pub struct Block {
    pub index: usize,
    pub text: String,
    pub cells: Vec<String>,
    /// The paragraph style (`Heading1`, `ToC1`, …), empty for rows.
    pub style: String,
    /// A table's header row (`w:tblHeader`).
    pub header: bool,
    /// Which table a row is in (counted from 0).
    pub table: Option<usize>,
    pub region: Region,
    /// The latest heading above.
    pub heading: String,
}

impl Block {
    pub fn is_heading(&self) -> bool {
        self.style.starts_with("Heading")
    }

    pub fn is_row(&self) -> bool {
        self.table.is_some()
    }

    /// `第N段（heading）`, for a defect's place.
    pub fn place(&self) -> String {
        let kind = if self.is_row() { "表格行" } else { "段" };
        if self.heading.is_empty() {
            format!("第{}{kind}", self.index + 1)
        } else {
            format!("第{}{kind}（{}）", self.index + 1, self.heading)
        }
    }
}

/// A DOCX as the checks read it.
#[derive(Clone, Debug, Default)]
pub struct Docx {
    pub name: String,
    pub blocks: Vec<Block>,
    pub settings: String,
}

impl Docx {
    /// Read `word/document.xml` and `word/settings.xml` of the file at `path`.
    pub fn read(path: &Path) -> Docx {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let mut part = |name: &str| {
            let mut s = String::new();
            if let Ok(mut f) = zip.by_name(name) {
                f.read_to_string(&mut s).unwrap();
            }
            s
        };
        let document = part("word/document.xml");
        let settings = part("word/settings.xml");
        let mut doc = Docx::from_xml(&document, &settings);
        doc.name = path.file_name().unwrap().to_string_lossy().into_owned();
        doc
    }

    /// The blocks of a `document.xml`, with `settings.xml` kept as text.
    pub fn from_xml(document: &str, settings: &str) -> Docx {
        let mut blocks = read_blocks(document);
        assign_regions(&mut blocks);
        Docx { name: String::new(), blocks, settings: settings.to_string() }
    }

    /// Blocks outside the 目录 and the annexes, table header rows aside:
    /// what the reader reads as the report's prose.
    pub fn prose(&self) -> impl Iterator<Item = &Block> {
        self.blocks.iter().filter(|b| matches!(b.region, Region::Front | Region::Body) && !b.header)
    }
}

/// The XML entities docx-rs writes, decoded.
pub fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// One tag: its name (without `/`), whether it closes, its attributes' text.
struct Tag<'a> {
    name: &'a str,
    closing: bool,
    attrs: &'a str,
}

fn tag(raw: &str) -> Tag<'_> {
    let closing = raw.starts_with('/');
    let body = raw.trim_start_matches('/').trim_end_matches('/');
    let (name, attrs) = body.split_once([' ', '\t', '\n']).unwrap_or((body, ""));
    Tag { name, closing, attrs }
}

fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("{name}=\"");
    let start = attrs.find(&key)? + key.len();
    attrs[start..].split('"').next()
}

/// The state of the walk through `document.xml`.
#[derive(Default)]
struct Walk {
    blocks: Vec<Block>,
    para: Option<(String, String)>,
    in_ppr: bool,
    row: Option<(Vec<String>, bool)>,
    cell: Option<String>,
    tables: usize,
    depth: usize,
}

impl Walk {
    fn push(&mut self, text: String, cells: Vec<String>, style: String, header: bool, table: Option<usize>) {
        let index = self.blocks.len();
        let b = Block { index, text, cells, style, header, table, region: Region::Front, heading: String::new() };
        self.blocks.push(b);
    }

    fn end_paragraph(&mut self) {
        let Some((style, text)) = self.para.take() else { return };
        if let Some(cell) = self.cell.as_mut() {
            if !cell.is_empty() && !text.is_empty() {
                cell.push('\n');
            }
            cell.push_str(&text);
        } else if !text.trim().is_empty() {
            self.push(text, Vec::new(), style, false, None);
        }
    }

    fn end_row(&mut self) {
        let Some((cells, header)) = self.row.take() else { return };
        if cells.iter().any(|c| !c.trim().is_empty()) {
            let text = cells.join(" | ");
            let table = Some(self.tables.saturating_sub(1));
            self.push(text, cells, String::new(), header, table);
        }
    }

    fn open(&mut self, t: &Tag) {
        match t.name {
            "w:p" => self.para = Some((String::new(), String::new())),
            "w:pPr" => self.in_ppr = true,
            "w:pStyle" => {
                if let (Some(p), Some(v)) = (self.para.as_mut(), attr(t.attrs, "w:val")) {
                    p.0 = v.to_string();
                }
            }
            "w:tab" if !self.in_ppr => self.text("\t"),
            "w:br" => self.text("\n"),
            "w:tbl" => {
                self.depth += 1;
                if self.depth == 1 {
                    self.tables += 1;
                }
            }
            "w:tr" if self.depth == 1 => self.row = Some((Vec::new(), false)),
            "w:tblHeader" => {
                if let Some(r) = self.row.as_mut() {
                    r.1 = true;
                }
            }
            "w:tc" if self.depth == 1 => self.cell = Some(String::new()),
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        match name {
            "w:p" => self.end_paragraph(),
            "w:pPr" => self.in_ppr = false,
            "w:tc" if self.depth == 1 => {
                let cell = self.cell.take().unwrap_or_default();
                if let Some(r) = self.row.as_mut() {
                    r.0.push(cell);
                }
            }
            "w:tr" if self.depth == 1 => self.end_row(),
            "w:tbl" => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
    }

    fn text(&mut self, s: &str) {
        if let Some(p) = self.para.as_mut() {
            p.1.push_str(s);
        }
    }
}

/// The paragraphs and table rows of a `document.xml`, in order.
fn read_blocks(xml: &str) -> Vec<Block> {
    let mut walk = Walk::default();
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        let Some(gt) = rest[lt..].find('>') else { break };
        let raw = &rest[lt + 1..lt + gt];
        rest = &rest[lt + gt + 1..];
        if raw.starts_with('?') || raw.starts_with('!') {
            continue;
        }
        let t = tag(raw);
        if t.closing {
            walk.close(t.name);
            continue;
        }
        let empty = raw.ends_with('/');
        if t.name == "w:t" && !empty {
            let end = rest.find("</w:t>").unwrap_or(rest.len());
            walk.text(&unescape(&rest[..end]));
            rest = &rest[end..];
            continue;
        }
        walk.open(&t);
        if empty {
            walk.close(t.name);
        }
    }
    walk.blocks
}

/// Front until the first chapter heading; the 目录's entries; Annex from
/// the first level-1 heading that starts with 附.
fn assign_regions(blocks: &mut [Block]) {
    let mut region = Region::Front;
    let mut heading = String::new();
    for b in blocks.iter_mut() {
        if b.style == "Heading1" {
            region = if region == Region::Annex || b.text.starts_with('附') { Region::Annex } else { Region::Body };
        }
        if b.is_heading() {
            heading = b.text.trim().to_string();
        }
        b.heading = heading.clone();
        let toc = b.style.to_ascii_lowercase().starts_with("toc");
        b.region = if toc { Region::Toc } else { region };
    }
}

/// A workbook's sheets as rows of cell texts (numbers as jixiao's XLSX
/// writer stores them, `12847.65`).
pub fn read_xlsx(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    use calamine::{Data, Reader};
    let mut wb = calamine::open_workbook_auto(path).unwrap();
    let names = wb.sheet_names().to_vec();
    names
        .into_iter()
        .map(|name| {
            let range = wb.worksheet_range(&name).unwrap();
            let rows = range
                .rows()
                .map(|r| {
                    r.iter()
                        .map(|d| match d {
                            Data::Empty => String::new(),
                            Data::String(s) => s.clone(),
                            Data::Float(f) => format!("{f}"),
                            Data::Int(i) => i.to_string(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .collect();
            (name, rows)
        })
        .collect()
}

/// Every defect of a case's report: classes 1–4 and 6–9 over the DOCX,
/// class 5 over its 问题清单 section. `json` is the case's 评价结果.json.
pub fn check_report(docx: &Docx, json: &Value, voice: Voice) -> Vec<Defect> {
    let mut out = Vec::new();
    out.extend(rules::full_marks(docx, json));
    out.extend(rules::false_equations(docx));
    out.extend(rules::formula_text(docx));
    out.extend(rules::repeated(docx));
    out.extend(rules::docx_problem_list(docx));
    if voice == Voice::SelfEval {
        out.extend(rules::third_party_voice(docx));
    }
    out.extend(rules::missing_figures(docx, &rules::Figures::of(json)));
    out.extend(rules::placeholders(docx, &rules::unit_names(json)));
    out.extend(rules::update_fields(docx));
    out
}

/// Class 5 over a 问题清单 workbook (附件3, or a 汇总表's 问题清单 sheet):
/// every sheet whose header row has a 问题描述 column.
pub fn check_problem_list(path: &Path) -> Vec<Defect> {
    let file = path.file_name().unwrap().to_string_lossy().into_owned();
    let mut out = Vec::new();
    for (sheet, rows) in read_xlsx(path) {
        let Some((h, col)) =
            rows.iter().enumerate().find_map(|(i, r)| Some((i, r.iter().position(|c| c == "问题描述")?)))
        else {
            continue;
        };
        for (i, row) in rows.iter().enumerate().skip(h + 1) {
            let Some(text) = row.get(col).filter(|t| !t.trim().is_empty()) else { continue };
            let place = format!("{file} › {sheet} › {}{}", column_name(col), i + 1);
            out.extend(rules::non_problem(&place, text));
        }
    }
    out
}

/// `A`, `B`, … `AA` for a 0-based column.
pub fn column_name(mut col: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push((b'A' + (col % 26) as u8) as char);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.iter().rev().collect()
}

/// Every defect of a batch's summary: its 综合绩效评价报告 (classes 2–4 and
/// 7–9) and its 汇总表 (class 7 on the money cells, class 5 on the 问题清单
/// sheet). `cases` are the 评价结果.json of the group's cases by the
/// 汇总表's 案例文件夹.
pub fn check_summary(docx: &Docx, xlsx: &Path, cases: &[(String, Value)]) -> Vec<Defect> {
    let mut out = Vec::new();
    out.extend(rules::false_equations(docx));
    out.extend(rules::formula_text(docx));
    out.extend(rules::repeated(docx));
    let total = rules::Figures::sum(cases.iter().map(|(_, j)| rules::Figures::of(j)));
    out.extend(rules::missing_figures(docx, &total));
    out.extend(rules::summary_table_figures(docx, cases));
    let units: Vec<String> = cases.iter().flat_map(|(_, j)| rules::unit_names(j)).collect();
    out.extend(rules::placeholders(docx, &units));
    out.extend(rules::update_fields(docx));
    out.extend(rules::summary_xlsx_figures(xlsx, cases));
    out.extend(check_problem_list(xlsx));
    out
}

/// The folders a 汇总表 lists (its 案例汇总 sheet's 案例文件夹 column).
pub fn summary_folders(xlsx: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for (_, rows) in read_xlsx(xlsx) {
        let Some((h, col)) =
            rows.iter().enumerate().find_map(|(i, r)| Some((i, r.iter().position(|c| c == "案例文件夹")?)))
        else {
            continue;
        };
        for row in rows.iter().skip(h + 1) {
            if let Some(f) = row.get(col).filter(|f| !f.is_empty()) {
                if !out.contains(f) {
                    out.push(f.clone());
                }
            }
        }
    }
    out
}
