//! A survey tally in a workbook of its own (问卷统计表): a header row with
//! a question column (题目/问题/调查内容), an option column (选项) and a
//! count column (人数/票数/份数/数量/频数), in any of the layouts seen — the
//! question merged over its options, or written once on its first option's
//! row, or on a row of its own above its options. Counts may be text with
//! thousands separators; a 样本量 line printed once is not an option. As
//! published: the count column named on a second header row (`答案\n(人数)`),
//! section titles merged across the row (`一、基本问题`), 合计 rows.

use rust_decimal::Decimal;

use crate::model::value::{decimal_from_f64, normalize_label, parse_number_text, NumberText};
use crate::model::working_paper::SurveyAnswer;
use crate::model::Problem;

use super::grid::{Grid, Raw};

const QUESTION: &[&str] = &["题目", "问题", "调查内容", "题干", "调查问题"];
const OPTION: &[&str] = &["选项", "答案", "评价选项"];
const COUNT: &[&str] = &["人数", "票数", "份数", "数量", "频数", "计数", "选择人数"];
const WEIGHT: &[&str] = &["权重", "分值", "赋值"];
const SECTION: &[&str] = &["分组", "部分", "维度", "类别"];
const TOTAL: &[&str] = &["合计", "小计", "总计"];

/// What a header cell names: its words split at brackets and line breaks
/// (`答案\n(人数)` is 答案 and 人数); a count word wins over an option word.
fn role(text: &str) -> Option<usize> {
    let parts: Vec<String> =
        text.split(['(', ')', '（', '）', '\n', '/']).map(normalize_label).filter(|p| !p.is_empty()).collect();
    let has = |names: &[&str]| parts.iter().any(|p| names.contains(&p.as_str()));
    [COUNT, QUESTION, OPTION, WEIGHT, SECTION].iter().position(|names| has(names)).map(|i| [2, 0, 1, 3, 4][i])
}

/// The last header row and the columns of a tally, if `grid` holds one
/// (looked for in its first 10 rows). A header may take two rows: the
/// count column's name (`答案\n(人数)`) under a heading merged above it.
fn header(grid: &Grid) -> Option<(u32, [Option<u32>; 5])> {
    for r in grid.top..grid.bottom().min(grid.top + 10) {
        let mut cols: [Option<u32>; 5] = [None; 5];
        let mut last = r;
        for row in [r, r + 1] {
            for c in grid.left..grid.right() {
                let cell = grid.get(row, c);
                let Some(k) = role(&cell.text) else { continue };
                if cols[k].is_none() && !cols.contains(&Some(c)) {
                    cols[k] = Some(c);
                    last = row;
                }
            }
            if cols[..3].iter().all(Option::is_some) {
                return Some((last, cols));
            }
        }
    }
    None
}

/// A title merged across the whole row (`一、基本问题`): it names a section.
fn section_title(grid: &Grid, r: u32, cols: [u32; 3]) -> Option<String> {
    let text = grid.get(r, cols[0]).text.trim();
    let across = cols.iter().all(|&c| grid.get(r, c).text.trim() == text);
    (across && !text.is_empty() && cols.iter().any(|&c| grid.get(r, c).merged)).then(|| text.to_string())
}

/// A cell that should hold a count and holds text instead (the text).
struct NotANumber(String);

fn number(grid: &Grid, r: u32, c: u32) -> Result<Option<Decimal>, NotANumber> {
    let cell = grid.get(r, c);
    match &cell.raw {
        Raw::Number(f) => Ok(decimal_from_f64(*f)),
        Raw::Empty => Ok(None),
        _ => match parse_number_text(&cell.text) {
            NumberText::Number(d) => Ok(Some(d)),
            NumberText::Empty => Ok(None),
            _ => Err(NotANumber(cell.text.clone())),
        },
    }
}

/// The answers of the tally on `grid`, or None when it holds no tally.
pub fn read_tally(grid: &Grid) -> Option<(Vec<SurveyAnswer>, Vec<Problem>)> {
    let (head, [q, o, n, w, s]) = header(grid)?;
    let (q, o, n) = (q?, o?, n?);
    let mut answers = Vec::new();
    let mut problems = Vec::new();
    let (mut question, mut section) = (String::new(), String::new());
    for r in head + 1..grid.bottom() {
        if grid.row_is_empty(r) {
            continue;
        }
        let text = |c: u32| grid.get(r, c).text.trim().to_string();
        if let Some(title) = section_title(grid, r, [q, o, n]) {
            (section, question) = (title, String::new());
            continue;
        }
        if let Some(sc) = s {
            if !text(sc).is_empty() {
                section = text(sc);
            }
        }
        if !text(q).is_empty() {
            question = text(q);
        }
        let option = text(o);
        if option.is_empty() || question.is_empty() || TOTAL.contains(&normalize_label(&option).as_str()) {
            continue; // a question on its own row, a 样本量 line, a 合计 row
        }
        let count = match number(grid, r, n) {
            Ok(Some(d)) => d,
            Ok(None) => Decimal::ZERO,
            Err(NotANumber(t)) => {
                problems.push(Problem::at(
                    "ingest.survey",
                    &grid.at(r, n),
                    format!("问卷“{question}”选项“{option}”的人数“{t}”不是数字。请改为数字。"),
                ));
                continue;
            }
        };
        let weight = w.and_then(|wc| number(grid, r, wc).ok().flatten());
        answers.push(SurveyAnswer {
            question: question.clone(),
            section: section.clone(),
            option,
            weight,
            count,
            at: grid.at(r, n),
        });
    }
    (!answers.is_empty()).then_some((answers, problems))
}
