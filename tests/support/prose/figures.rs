//! Class 7: 0.00 or `-` printed where the case has the figure — in money
//! sentences (`年初预算0.00万元`, `决算支出0.00万元`), in the 总览表's and
//! 资金投入表's rows, and in a summary's 附表1 and 汇总表 money cells.

use std::path::Path;

use rust_decimal::Decimal;
use serde_json::Value;

use super::rules::{sentences, strip_enumerator, unit_names};
use super::{read_xlsx, Block, Class, Defect, Docx, Region};

/// A case's money figures (万元) as its 评价结果.json holds them: the
/// department's `budget`, else the evaluated project's, else the 自评表's
/// lines.
#[derive(Clone, Debug, Default)]
pub struct Figures {
    pub initial: Option<Decimal>,
    pub full_year: Option<Decimal>,
    pub spent: Option<Decimal>,
    pub income: Option<Decimal>,
    /// Small items by subject: (subject word, budget, final).
    pub items: Vec<(&'static str, Option<Decimal>, Option<Decimal>)>,
    /// The 总览表's lines: (label, initial, full year, spent).
    pub lines: Vec<(String, [Option<Decimal>; 3])>,
}

/// A JSON figure: `{"value": "12.5", …}`, `"12.5"` or null.
fn value(v: &Value) -> Option<Decimal> {
    let v = if v.is_object() { &v["value"] } else { v };
    v.as_str()?.parse().ok()
}

fn first(vs: &[&Value]) -> Option<Decimal> {
    vs.iter().find_map(|v| value(v))
}

/// The subjects of small items, longest first, with their budget and final fields.
const ITEMS: [(&str, &str, &str); 7] = [
    ("公务接待费", "reception_budget", "reception_final"),
    ("公务用车", "vehicle_budget", "vehicle_final"),
    ("因公出国", "abroad_budget", "abroad_final"),
    ("培训费", "training_budget", "training_final"),
    ("会议费", "meeting_budget", "meeting_final"),
    ("基本支出", "initial_basic", "final_basic"),
    ("项目支出", "initial_project", "final_project"),
];

/// Words of a sentence about some other money (assets, 三公 totals): its
/// zeros are not the case's totals.
const OTHER_SUBJECTS: [&str; 8] = ["三公", "资产", "配置", "处置", "出租", "投资", "收益", "采购"];

impl Figures {
    pub fn of(json: &Value) -> Figures {
        let b = &json["budget"];
        let p = &json["project"];
        let line = |label: &str, field: &str| -> Option<Decimal> {
            b["lines"].as_array()?.iter().find(|l| l["label"] == label).and_then(|l| value(&l[field]))
        };
        let lines = b["lines"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|l| {
                let label = l["label"].as_str()?.to_string();
                Some((label, [value(&l["initial"]), value(&l["full_year"]), value(&l["spent"])]))
            })
            .collect();
        Figures {
            initial: first(&[&b["initial"], &p["initial_budget"]]).or_else(|| line("财政资金", "initial")),
            full_year: first(&[&b["full_year"], &p["budget"]]).or_else(|| line("财政资金", "full_year")),
            spent: first(&[&b["final_total"], &p["spent"]]).or_else(|| line("财政资金", "spent")),
            income: value(&b["final_income"]),
            items: ITEMS.iter().map(|(s, bud, fin)| (*s, value(&b[*bud]), value(&b[*fin]))).collect(),
            lines,
        }
    }

    /// The group's figures: the sums of its cases' totals.
    pub fn sum(all: impl Iterator<Item = Figures>) -> Figures {
        let add = |a: Option<Decimal>, b: Option<Decimal>| match (a, b) {
            (Some(a), Some(b)) => Some(a + b),
            (a, b) => a.or(b),
        };
        all.fold(Figures::default(), |acc, f| Figures {
            initial: add(acc.initial, f.initial),
            full_year: add(acc.full_year, f.full_year),
            spent: add(acc.spent, f.spent),
            income: add(acc.income, f.income),
            items: Vec::new(),
            lines: Vec::new(),
        })
    }

    /// The figure a money phrase names: its fragment (the words right
    /// before the amount) and the sentence up to it.
    fn named(&self, fragment: &str, sentence: &str) -> Option<(String, Decimal)> {
        let is_final = ["决算", "执行", "实际支出"].iter().any(|w| fragment.contains(w));
        for (subject, budget, fin) in &self.items {
            let local = fragment.contains(subject);
            let small = !subject.ends_with("支出") && sentence.contains(subject);
            if local || small {
                let fig = if is_final { *fin } else { *budget };
                return fig.map(|f| (format!("{subject}{}", if is_final { "决算" } else { "预算" }), f));
            }
        }
        if OTHER_SUBJECTS.iter().any(|w| sentence.contains(w)) {
            return None;
        }
        let totals = [
            ("年初预算", self.initial),
            ("全年预算", self.full_year),
            ("决算收入", self.income),
            ("收入决算", self.income),
            ("决算支出", self.spent),
            ("支出决算", self.spent),
            ("全年执行", self.spent),
            ("预算执行数", self.spent),
            ("实际支出", self.spent),
        ];
        totals.iter().find(|(w, _)| fragment.contains(w)).and_then(|(w, f)| f.map(|f| (w.to_string(), f)))
    }
}

/// A printed amount that says nothing: `0`, `0.00`, `-`, `—`, `——`.
pub fn is_blank_amount(s: &str) -> bool {
    let s = s.trim();
    matches!(s, "-" | "—" | "——" | "－")
        || (!s.is_empty() && s.chars().all(|c| c == '0' || c == '.') && s.starts_with('0'))
}

/// The zero amounts before `万元` in a sentence: (fragment before, amount).
fn zero_amounts(sentence: &str) -> Vec<(String, String, usize)> {
    let mut out = Vec::new();
    for (i, _) in sentence.match_indices("万元") {
        let before = sentence[..i].trim_end();
        let amount: String = {
            let rev: String =
                before.chars().rev().take_while(|c| c.is_ascii_digit() || ".,-—－".contains(*c)).collect();
            rev.chars().rev().collect()
        };
        if amount.is_empty() || !is_blank_amount(&amount) {
            continue;
        }
        let head = &before[..before.len() - amount.len()];
        let start = head
            .rfind(['，', '、', '：', '（', '）', ',', '；'])
            .map(|j| j + head[j..].chars().next().unwrap().len_utf8());
        let fragment = head[start.unwrap_or(0)..].to_string();
        out.push((fragment, amount, head.len()));
    }
    out
}

fn place(docx: &Docx, b: &Block) -> String {
    if docx.name.is_empty() {
        b.place()
    } else {
        format!("{} {}", docx.name, b.place())
    }
}

/// Class 7 in a DOCX's prose and 总览表/资金表 rows.
pub fn missing_figures(docx: &Docx, fig: &Figures) -> Vec<Defect> {
    let mut out = Vec::new();
    for b in docx.prose() {
        for (s, _) in sentences(&b.text) {
            for (fragment, amount, at) in zero_amounts(&s) {
                let Some((what, figure)) = fig.named(&fragment, &s[..at]) else { continue };
                if !figure.is_zero() {
                    let text = format!("“{fragment}{amount}万元”，而案例的{what}为{figure}万元：{s}");
                    out.push(Defect { class: Class::MissingFigure, place: place(docx, b), text });
                }
            }
        }
    }
    out.extend(table_rows(docx, fig));
    out
}

/// The money columns of a header row, in order, as the figures they hold
/// (0 年初, 1 全年, 2 执行).
fn money_columns(cells: &[String]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, c) in cells.iter().enumerate() {
        let which = if c.contains("年初预算") {
            Some(0)
        } else if c.contains("全年预算") {
            Some(1)
        } else if c.contains("执行数") || c.contains("决算支出") {
            Some(2)
        } else {
            None
        };
        out.extend(which.map(|w| (i, w)));
    }
    out
}

/// The 总览表 and 资金投入表 rows: a line's cells after its label, in the
/// order of the money columns above.
fn table_rows(docx: &Docx, fig: &Figures) -> Vec<Defect> {
    let mut out = Vec::new();
    let mut header: Option<(Option<usize>, Vec<usize>)> = None;
    let totals = [fig.initial, fig.full_year, fig.spent];
    let rows = docx.blocks.iter().filter(|b| b.is_row() && matches!(b.region, Region::Front | Region::Body));
    for b in rows {
        let cols = money_columns(&b.cells);
        if cols.len() >= 2 {
            header = Some((b.table, cols.iter().map(|c| c.1).collect()));
            continue;
        }
        let Some((_, order)) = header.as_ref().filter(|h| h.0 == b.table) else { continue };
        let Some(k) = b.cells.iter().position(|c| !c.trim().is_empty()) else { continue };
        let label = strip_enumerator(&b.cells[k]).trim();
        let figures = if ["部门预算安排", "年度资金总额", "合计"].contains(&label) {
            totals
        } else if let Some((_, f)) = fig.lines.iter().find(|(l, _)| l == label) {
            *f
        } else {
            continue;
        };
        for (n, which) in order.iter().enumerate() {
            let Some(cell) = b.cells.get(k + 1 + n) else { continue };
            if let Some(f) = figures[*which].filter(|f| !f.is_zero() && is_blank_amount(cell)) {
                let text = format!("“{label}”一行印“{cell}”，而案例的数为{f}万元：{}", b.text);
                out.push(Defect { class: Class::MissingFigure, place: place(docx, b), text });
            }
        }
    }
    out
}

/// The case a summary row names, by its unit.
fn case_of<'a>(unit: &str, cases: &'a [(String, Value)]) -> Option<&'a Value> {
    cases.iter().map(|(_, j)| j).find(|j| unit_names(j).iter().any(|u| u == unit.trim()))
}

/// Class 7 in a summary DOCX's 附表1: a case's 年初预算数 / 决算支出 printed
/// `-` or 0 while its JSON has the figure.
pub fn summary_table_figures(docx: &Docx, cases: &[(String, Value)]) -> Vec<Defect> {
    let mut out = Vec::new();
    let mut columns: Option<(usize, usize, usize, usize)> = None;
    for b in docx.blocks.iter().filter(|b| b.is_row()) {
        let find = |w: &str| b.cells.iter().position(|c| c.contains(w));
        if let (Some(u), Some(i), Some(s)) = (find("单位"), find("年初预算"), find("决算支出")) {
            columns = Some((b.table.unwrap(), u, i, s));
            continue;
        }
        let Some((_, u, i, s)) = columns.filter(|c| Some(c.0) == b.table) else { continue };
        let Some(json) = b.cells.get(u).and_then(|unit| case_of(unit, cases)) else { continue };
        let f = Figures::of(json);
        for (col, figure, what) in [(i, f.initial, "年初预算数"), (s, f.spent, "决算支出")] {
            let Some(cell) = b.cells.get(col) else { continue };
            if let Some(figure) = figure.filter(|x| !x.is_zero() && is_blank_amount(cell)) {
                let text = format!("{what}印“{cell}”，而案例的数为{figure}万元：{}", b.text);
                out.push(Defect { class: Class::MissingFigure, place: place(docx, b), text });
            }
        }
    }
    out
}

/// Class 7 in a 汇总表: each case row's (by 案例文件夹) and the 合计 row's
/// 年初预算数 / 决算支出 cells.
pub fn summary_xlsx_figures(xlsx: &Path, cases: &[(String, Value)]) -> Vec<Defect> {
    let file = xlsx.file_name().unwrap().to_string_lossy().into_owned();
    let total = Figures::sum(cases.iter().map(|(_, j)| Figures::of(j)));
    let mut out = Vec::new();
    for (sheet, rows) in read_xlsx(xlsx) {
        let Some((h, header)) = rows.iter().enumerate().find(|(_, r)| r.iter().any(|c| c == "案例文件夹")) else {
            continue;
        };
        let col = |w: &str| header.iter().position(|c| c.contains(w));
        let (Some(folder), Some(initial), Some(spent)) = (col("案例文件夹"), col("年初预算"), col("决算支出"))
        else {
            continue;
        };
        for (r, row) in rows.iter().enumerate().skip(h + 1) {
            let figures = if row.first().is_some_and(|c| c == "合计") {
                total.clone()
            } else {
                let Some((_, json)) = cases.iter().find(|(f, _)| Some(f) == row.get(folder)) else { continue };
                Figures::of(json)
            };
            for (c, figure, what) in [(initial, figures.initial, "年初预算数"), (spent, figures.spent, "决算支出")]
            {
                let cell = row.get(c).map(String::as_str).unwrap_or("");
                if let Some(figure) = figure.filter(|x| !x.is_zero() && is_blank_amount(cell)) {
                    let place = format!("{file} › {sheet} › {}{}", super::column_name(c), r + 1);
                    let unit = row.get(1).filter(|u| !u.is_empty()).map(String::as_str).unwrap_or("合计");
                    let text = format!("{unit} {what}印“{cell}”，而案例的数为{figure}万元");
                    out.push(Defect { class: Class::MissingFigure, place, text });
                }
            }
        }
    }
    out
}
