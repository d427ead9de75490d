//! Stage 1 — `ingest`: the department's workbooks → the typed [`Case`].
//!
//! This is the only code that knows about cells. Tables are recognised by
//! meaning (title, 公开NN表 number, header labels), wherever they sit; every
//! value keeps its [`Provenance`](crate::model::Provenance). A file that
//! cannot be read becomes a [`Problem`] and the other files are still read.
//!
//! ```no_run
//! let case = jixiao::ingest::ingest_path(std::path::Path::new("sample-workbooks/zaozhuang-shizhong-2024"));
//! for p in &case.problems {
//!     eprintln!("{p}");
//! }
//! ```

pub mod forms;
pub mod grid;
mod grid_table;
pub mod guard;
pub mod locate;
mod meta;
pub mod open;
mod paper_table;
pub mod probe;
pub mod survey;
pub mod working_paper;

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use crate::model::{Case, Found, Place, Problem, Severity, SourceFile, Table, TableKind};

use grid::Grid;
use locate::{find_regions, Region};

/// Why a whole file could not be read. The message leaves the file name out:
/// it is shown as the place (`file：message`); `file` keeps it for callers.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("无法读取文件（{source}）。请确认文件存在且未被其他程序锁定。")]
    Io { file: String, source: std::io::Error },
    #[error("文件是空的（0 字节）。请重新导出该工作簿。")]
    EmptyFile { file: String },
    #[error("不是 Excel 工作簿，内容像是{looks_like}。请用 Excel 或 WPS 打开后另存为 .xlsx。")]
    NotExcel { file: String, looks_like: String },
    #[error("文件已损坏或不完整，无法打开（{reason}）。请重新导出或从原始邮件附件重新保存。")]
    Corrupt {
        file: String,
        #[source]
        reason: Corruption,
    },
    /// Refused before parsing: past a size limit, or declaring absurd sizes.
    #[error("{reason}")]
    Refused { file: String, reason: guard::GuardError },
}

/// Why a workbook is corrupt: the reader's own error kept as the source.
#[derive(Debug, thiserror::Error)]
pub enum Corruption {
    /// The zip container (xlsx, ods) is broken.
    #[error("zip 结构损坏（{0}）")]
    Zip(#[source] zip::result::ZipError),
    /// calamine could not open the workbook (its xlsx, xls or ods error).
    #[error("{0}")]
    Reader(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("工作簿中没有工作表")]
    NoSheets,
    /// The reader panicked (caught): a broken structure or an Excel 95 file.
    #[error("读取时解析器异常中止（文件结构损坏，或为 Excel 95 等过旧格式）")]
    Panicked,
}

/// File extensions read as workbooks.
pub const WORKBOOK_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods", "et"];

/// Is this a workbook file jixiao should read (and not Excel's lock file)?
pub fn is_workbook_name(name: &str) -> bool {
    if name.starts_with("~$") || name.starts_with('.') {
        return false;
    }
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| WORKBOOK_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// The workbook files of a case folder (or the file itself), sorted by
/// name, without the files jixiao itself wrote there.
pub fn workbook_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    // jixiao's own outputs (an output folder inside the case folder, or the
    // case folder itself) are never read as input: the manifest names them.
    let own = crate::output::outputs_in(path);
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| is_workbook_name(n) && !own.iter().any(|o| o == n))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Read a case folder (or one workbook) into the model. Never fails: what
/// cannot be read is in [`Case::problems`].
pub fn ingest_path(path: &Path) -> Case {
    let mut case = Case { folder: path.is_dir().then(|| path.to_path_buf()), ..Default::default() };
    let files = match workbook_files(path) {
        Ok(f) => f,
        Err(e) => {
            case.problems.push(unreadable(&path.display().to_string(), format!("无法打开文件夹（{e}）。请检查路径。")));
            return case;
        }
    };
    if files.is_empty() {
        case.problems.push(Problem {
            severity: Severity::Error,
            rule: "ingest.no_files",
            place: Place::file(path.display().to_string()),
            message: "文件夹中没有 Excel 工作簿（.xlsx/.xls）。请把部门报表放进该文件夹。".into(),
            unreadable: true,
        });
    }
    let mut budget = guard::Budget::default();
    for file in files {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_string();
        ingest_file_with(&file, &name, &mut case, &mut budget);
    }
    bind_named_years(&mut case);
    resolve_duplicates(&mut case);
    case
}

/// 项目信息 rows naming a workbook by its role bind its tables to a year,
/// whatever their titles say: `上年决算文件` (the year before the 评价年度),
/// `本年决算文件` / `本年预算文件` (the 评价年度). A title stating another
/// year is a 提示; a named file not in the folder too.
fn bind_named_years(case: &mut Case) {
    let Some(paper) = case.working_paper.as_ref() else { return };
    let Some(year) = case.evaluation_year() else { return };
    let paper_file = paper.file.clone();
    let named: Vec<(String, i32, &str)> = [("上年决算文件", year - 1), ("本年决算文件", year), ("本年预算文件", year)]
        .into_iter()
        .filter_map(|(field, y)| paper.info(field).map(|f| (f.trim().to_string(), y, field)))
        .collect();
    for (file, y, field) in named {
        let stem = |n: &str| n.rsplit_once('.').map(|(s, _)| s.to_string()).unwrap_or_else(|| n.to_string());
        let matches = |n: &str| n == file || stem(n) == stem(&file);
        let Some(name) = case.files.iter().map(|f| f.name.clone()).find(|n| matches(n)) else {
            case.problems.push(Problem {
                severity: Severity::Note,
                rule: "ingest.named_file",
                place: Place::file(&paper_file).sheet("项目信息").named(field),
                message: format!("评价底稿指明的“{file}”不在案例文件夹中：请检查文件名（含扩展名）。"),
                unreadable: false,
            });
            continue;
        };
        let mut stated: Vec<i32> = Vec::new();
        for t in case.tables.iter_mut().filter(|t| t.location.first().is_some_and(|l| l.file == name)) {
            if let Some(s) = t.year.filter(|s| *s != y) {
                stated.push(s);
            }
            t.year = Some(y);
        }
        if let Some(source) = case.files.iter_mut().find(|f| f.name == name) {
            for f in source.found.iter_mut() {
                f.year = Some(y);
            }
        }
        case.problems.retain(|p| !(p.rule == "ingest.no_year" && p.place == Place::file(&name)));
        stated.sort();
        stated.dedup();
        if !stated.is_empty() {
            let years: Vec<String> = stated.iter().map(|s| format!("{s}年")).collect();
            case.problems.push(Problem {
                severity: Severity::Note,
                rule: "ingest.named_file",
                place: Place::file(&name),
                message: format!(
                    "评价底稿“{field}”指明此工作簿为 {y} 年，但其表题写的是 {}：已按 {y} 年使用。如不对，请改评价底稿。",
                    years.join("、")
                ),
                unreadable: false,
            });
        }
    }
}

fn unreadable(place: &str, message: String) -> Problem {
    Problem {
        severity: Severity::Error,
        rule: "ingest.unreadable",
        place: Place::file(place),
        message,
        unreadable: true,
    }
}

/// Read one workbook into `case`.
pub fn ingest_file(path: &Path, name: &str, case: &mut Case) {
    ingest_file_with(path, name, case, &mut guard::Budget::default())
}

/// As [`ingest_file`], within the case's budget of inflated bytes.
pub fn ingest_file_with(path: &Path, name: &str, case: &mut Case, budget: &mut guard::Budget) {
    match open::read_workbook_with(path, name, budget) {
        Ok(wb) => {
            // The readers above never panic on bad cells; this is the last guard
            // so that one odd workbook never takes the rest of the folder down.
            let before = (case.tables.len(), case.files.len());
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ingest_workbook(wb, name, case)));
            if result.is_err() {
                case.tables.truncate(before.0);
                case.files.truncate(before.1);
                case.problems
                    .push(unreadable(name, "读取表格内容时发生内部错误，该文件已跳过。请把文件发给维护人员。".into()));
            }
        }
        Err(e) => {
            case.problems.push(unreadable(name, e.to_string()));
            case.files.push(SourceFile {
                name: name.to_string(),
                format: None,
                found: Vec::new(),
                unrecognised_sheets: Vec::new(),
            });
        }
    }
}

/// Read the sheets of an opened workbook into `case`.
pub fn ingest_workbook(wb: open::Workbook, name: &str, case: &mut Case) {
    let mut source = SourceFile {
        name: name.to_string(),
        format: Some(wb.format.name().to_string()),
        found: Vec::new(),
        unrecognised_sheets: Vec::new(),
    };
    report_controls(&wb, case);
    report_unread(&wb, name, case);
    if working_paper::is_working_paper(&wb.sheets) {
        read_working_paper(&wb, name, case, &mut source);
        case.files.push(source);
        return;
    }
    // The last grid table read, for a continuation on the next sheet.
    let mut last: Option<(usize, Vec<Vec<String>>)> = None;
    for grid in &wb.sheets {
        if grid.is_blank() {
            continue;
        }
        if let Some((answers, problems)) = survey::read_tally(grid) {
            source.found.push(survey_tally_found(grid, name, answers.len()));
            case.survey.extend(answers);
            case.problems.extend(problems);
            continue;
        }
        let regions = find_regions(grid);
        if regions.is_empty() {
            if let Some((idx, header)) = &last {
                if let Some(rows) = continuation(grid, case, *idx, header) {
                    if let Some(f) = source.found.iter_mut().rev().find(|f| f.kind == case.tables[*idx].kind) {
                        f.rows += rows;
                        f.location = case.tables[*idx].location.clone();
                    }
                    continue;
                }
            }
            source.unrecognised_sheets.push(grid.sheet.to_string());
            continue;
        }
        for region in &regions {
            read_region(grid, region, case, &mut source, &mut last);
        }
    }
    infer_years(case, name, &mut source);
    to_wan(case, name);
    report_unrecognised(&wb, &source, case);
    case.files.push(source);
}

/// What a workbook is looked at for, named when it yields nothing.
const LOOKED_FOR: &str = "预决算公开表（表题或“公开NN表”编号）、绩效目标表、项目支出或部门整体绩效自评表、自评结果汇总表、问卷统计表（表头有题目或问题、选项、人数三列）、评价底稿";

/// A workbook with content of which no table was read: named, with what was
/// looked for, so that `check` and `build` never pass over it in silence.
fn report_unrecognised(wb: &open::Workbook, source: &SourceFile, case: &mut Case) {
    if !source.found.is_empty() || wb.sheets.iter().all(Grid::is_blank) {
        return;
    }
    let sheets: Vec<&str> = wb.sheets.iter().filter(|g| !g.is_blank()).map(|g| &*g.sheet).collect();
    case.problems.push(Problem {
        severity: Severity::Note,
        rule: UNRECOGNISED_WORKBOOK,
        place: Place::file(&source.name),
        message: format!(
            "未从此工作簿识别出任何表，未使用（工作表：{}）。已查找：{LOOKED_FOR}。如需使用，请按上述表题或表头整理；jixiao inspect 列出每张工作表。",
            sheets.join("、")
        ),
        unreadable: false,
    });
}

/// The rule of the 提示 for a workbook that yielded no table.
pub const UNRECOGNISED_WORKBOOK: &str = "ingest.unrecognised_workbook";

/// Cells whose invisible control characters were removed, one 提示.
fn report_controls(wb: &open::Workbook, case: &mut Case) {
    for grid in &wb.sheets {
        let cells = grid.cells_with_controls();
        if let Some(&(r, c)) = cells.first() {
            let names: Vec<String> = cells.iter().take(5).map(|&(r, c)| crate::model::cell_name(r, c)).collect();
            case.problems.push(Problem {
                severity: Severity::Note,
                rule: "ingest.control_characters",
                place: grid.at(r, c).into(),
                message: format!(
                    "{} 个单元格含不可见的控制字符（多为从 Word 或网页粘贴带入），已删除；换行保留为换行。涉及 {}{}。",
                    cells.len(),
                    names.join("、"),
                    if cells.len() > 5 { " 等" } else { "" }
                ),
                unreadable: false,
            });
        }
    }
}

/// Sheets cut to size or not read, and a workbook with nothing in it.
fn report_unread(wb: &open::Workbook, name: &str, case: &mut Case) {
    for (sheet, kept) in &wb.truncated {
        case.problems.push(Problem {
            severity: Severity::Note,
            rule: "ingest.sheet_too_large",
            place: Place::file(name).sheet(sheet),
            message: format!(
                "工作表的已用区域过大（超过 {} 万个单元格或 1024 列），只读取了 {kept}。如有内容在此范围之外，请删除多余的行列后重试。",
                grid::MAX_CELLS / 10_000
            ),
            unreadable: false,
        });
    }
    for e in &wb.sheet_errors {
        case.problems.push(Problem {
            severity: Severity::Error,
            rule: "ingest.sheet",
            place: Place::file(name).sheet(&e.sheet),
            message: format!("工作表无法读取（{}），已跳过。", e.reason),
            unreadable: false,
        });
    }
    if wb.sheets.iter().all(Grid::is_blank) {
        case.problems.push(Problem {
            severity: Severity::Error,
            rule: "ingest.empty_workbook",
            place: Place::file(name),
            message: "工作簿中没有任何内容（所有工作表都是空的）。请确认导出的是正确的文件。".into(),
            unreadable: true,
        });
    }
}

/// The working paper of the case (the first one, when there are two).
fn read_working_paper(wb: &open::Workbook, name: &str, case: &mut Case, source: &mut SourceFile) {
    let (paper, problems) = working_paper::parse(&wb.sheets, name);
    case.problems.extend(problems);
    if let Some(first) = &case.working_paper {
        case.problems.push(Problem {
            severity: Severity::Error,
            rule: "ingest.duplicate",
            place: Place::file(name),
            message: format!("案例文件夹中有两份评价底稿（另一份是 {}），已采用第一份。请只保留一份。", first.file),
            unreadable: false,
        });
    } else {
        case.working_paper = Some(paper);
    }
    source.found.push(Found {
        kind: TableKind::WorkingPaper,
        name: TableKind::WorkingPaper.name().to_string(),
        title: "评价底稿".into(),
        year: None,
        location: Vec::new(),
        rows: 0,
    });
}

/// What the file list says of a 问卷统计 sheet.
fn survey_tally_found(grid: &Grid, name: &str, rows: usize) -> Found {
    Found {
        kind: TableKind::SurveyTally,
        name: TableKind::SurveyTally.name().to_string(),
        title: grid.sheet.to_string(),
        year: None,
        location: vec![crate::model::Location {
            file: name.to_string(),
            sheet: grid.sheet.to_string(),
            range: crate::model::range_name(
                grid.top,
                grid.left,
                grid.bottom().saturating_sub(1),
                grid.right().saturating_sub(1),
            ),
        }],
        rows,
    }
}

/// Amounts in one unit: a table in 元 (千元, 亿元) is converted to 万元 — the
/// unit of the report and of every comparison — with a 提示 naming it, so
/// that a 09表 in 元 is never an 错误 of 2,700.00 ≠ 0.27.
fn to_wan(case: &mut Case, file: &str) {
    for t in case.tables.iter_mut().filter(|t| t.location.first().is_some_and(|l| l.file == file)) {
        let factor = match t.unit.as_deref() {
            Some("元") => Decimal::new(1, 4),
            Some("千元") => Decimal::new(1, 1),
            Some("亿元") => Decimal::from(10_000),
            _ => continue,
        };
        let unit = t.unit.clone().unwrap_or_default();
        for b in &mut t.blocks {
            for r in &mut b.rows {
                for v in &mut r.values {
                    if let crate::model::CellValue::Number(d) = &mut v.value {
                        *d *= factor;
                    }
                }
            }
        }
        t.unit = Some("万元".into());
        case.problems.push(Problem {
            severity: Severity::Note,
            rule: "ingest.unit",
            place: t.first_place(),
            message: format!("{}的金额单位为{unit}，已换算为万元（报告和核对都以万元计）。", t.kind.name()),
            unreadable: false,
        });
    }
}

/// Tables whose title, sheet and file name carry no year take the year the
/// workbook's other tables state, or else the latest year in a header
/// (`2024年预算数` in the budget's 三公 table): a workbook reports on one year.
fn infer_years(case: &mut Case, file: &str, source: &mut SourceFile) {
    let in_file = |loc: &[crate::model::Location]| loc.first().is_some_and(|l| l.file == file);
    let stated = case.tables.iter().filter(|t| in_file(&t.location)).find_map(|t| t.year);
    let from_headers = || {
        case.tables
            .iter()
            .filter(|t| in_file(&t.location))
            .flat_map(|t| t.blocks.iter().flat_map(|b| b.columns.iter()))
            .filter_map(|c| locate::year_in(&c.key))
            .max()
    };
    let Some(year) = stated.or_else(from_headers) else {
        let yearless = case.tables.iter().any(|t| in_file(&t.location) && (t.kind.is_budget() || t.kind.is_final()));
        if yearless {
            case.problems.push(Problem {
                severity: Severity::Note,
                rule: "ingest.no_year",
                place: Place::file(file),
                message: "未能确定本工作簿各表的年度（标题、工作表名、文件名和表头中都没有年份）：这些表只作评价年度的数据使用，需要上年数据的指标不会使用它们。请在文件名中写明年度，如“2024年度部门决算公开表.xlsx”。".into(),
                unreadable: false,
            });
        }
        return;
    };
    for t in case.tables.iter_mut().filter(|t| t.year.is_none()) {
        if t.location.first().is_some_and(|l| l.file == file) {
            t.year = Some(year);
        }
    }
    for t in case.project_targets.iter_mut().filter(|t| t.year.is_none() && t.location.file == file) {
        t.year = Some(year);
    }
    for t in case.project_self_evals.iter_mut().filter(|t| t.year.is_none() && t.location.file == file) {
        t.year = Some(year);
    }
    for t in case.dept_self_evals.iter_mut().filter(|t| t.year.is_none() && t.location.file == file) {
        t.year = Some(year);
    }
    for f in source.found.iter_mut().filter(|f| f.year.is_none()) {
        f.year = Some(year);
    }
}

fn read_region(
    grid: &Grid,
    region: &Region,
    case: &mut Case,
    source: &mut SourceFile,
    last: &mut Option<(usize, Vec<Vec<String>>)>,
) {
    let found = |title: &str, year, location: Vec<_>, rows| Found {
        kind: region.kind,
        name: region.kind.name().to_string(),
        title: title.to_string(),
        year,
        location,
        rows,
    };
    match region.kind {
        TableKind::ProjectTargets => {
            let (t, problems) = forms::parse_project_targets(grid, region);
            source.found.push(found(&t.project, t.year, vec![t.location.clone()], t.indicators.len()));
            case.problems.extend(problems);
            case.project_targets.push(t);
            *last = None;
        }
        TableKind::ProjectSelfEval => {
            let (t, problems) = forms::parse_project_self_eval(grid, region);
            source.found.push(found(&t.project, t.year, vec![t.location.clone()], t.indicators.len()));
            case.problems.extend(problems);
            case.project_self_evals.push(t);
            *last = None;
        }
        TableKind::DeptSelfEval => {
            let (t, problems) = forms::parse_dept_self_eval(grid, region);
            source.found.push(found(region.kind.name(), t.year, vec![t.location.clone()], t.indicators.len()));
            case.problems.extend(problems);
            case.dept_self_evals.push(t);
            *last = None;
        }
        _ => {
            let parsed = grid_table::parse_grid_table(grid, region);
            let rows = parsed.table.blocks.iter().map(|b| b.rows.len()).sum();
            source.found.push(found(&parsed.table.title, parsed.table.year, parsed.table.location.clone(), rows));
            case.problems.extend(parsed.problems);
            case.tables.push(parsed.table);
            *last = Some((case.tables.len() - 1, parsed.header));
        }
    }
}

/// A sheet without a title whose first rows repeat the previous table's
/// header: the rest of that table. Returns the number of rows added.
fn continuation(grid: &Grid, case: &mut Case, idx: usize, header: &[Vec<String>]) -> Option<usize> {
    if header.is_empty() {
        return None;
    }
    let first = (grid.top..grid.bottom()).find(|&r| !grid.row_is_empty(r))?;
    let rows: Vec<u32> = (first..grid.bottom()).filter(|&r| !grid.row_is_empty(r)).take(header.len()).collect();
    let matches = rows.len() == header.len()
        && rows.iter().zip(header).all(|(&r, h)| grid.row_texts(r).iter().copied().eq(h.iter().map(String::as_str)));
    if !matches {
        return None;
    }
    let kind = case.tables[idx].kind;
    let region = Region { kind, title: String::new(), top: first, bottom: grid.bottom() };
    let previous = case.tables[idx].main().rows.iter().rev().find_map(|r| r.code.clone());
    let parsed = grid_table::parse_grid_table_from(grid, &region, previous.as_deref());
    case.problems.extend(parsed.problems);
    let table = &mut case.tables[idx];
    let mut added = 0;
    for (b, block) in parsed.table.blocks.into_iter().enumerate() {
        if let Some(target) = table.blocks.get_mut(b) {
            added += block.rows.len();
            target.rows.extend(block.rows);
        }
    }
    table.location.extend(parsed.table.location);
    table.notes.extend(parsed.table.notes);
    Some(added)
}

/// The same table twice: identical copies are dropped with a 提示, copies
/// with different numbers are an 错误 naming both places.
fn resolve_duplicates(case: &mut Case) {
    let mut keep: Vec<Table> = Vec::new();
    for t in std::mem::take(&mut case.tables) {
        match keep.iter().find(|k| k.kind == t.kind && k.year == t.year) {
            None => keep.push(t),
            Some(first) => {
                let (severity, message) = match first_difference(first, &t) {
                    None => (
                        Severity::Note,
                        format!("{}在 {} 已经读过，这里是相同的一份，已忽略。", t.kind.name(), first.first_location()),
                    ),
                    Some(diff) => (
                        Severity::Error,
                        format!(
                            "同一张{}出现了两次且数字不同（另一份在 {}）：{}。已采用第一份，请删除错误的一份。",
                            t.kind.name(),
                            first.first_location(),
                            diff
                        ),
                    ),
                };
                case.problems.push(Problem {
                    severity,
                    rule: "ingest.duplicate",
                    place: t.first_place(),
                    message,
                    unreadable: false,
                });
            }
        }
    }
    case.tables = keep;
}

fn first_difference(a: &Table, b: &Table) -> Option<String> {
    for (ba, bb) in a.blocks.iter().zip(&b.blocks) {
        for (ra, rb) in ba.rows.iter().zip(&bb.rows) {
            for (i, (va, vb)) in ra.values.iter().zip(&rb.values).enumerate() {
                if va.value.amount_or_zero() != vb.value.amount_or_zero() {
                    let col = ba.columns.get(i).map(|c| c.label.as_str()).unwrap_or("");
                    return Some(format!(
                        "“{}”行“{}”列 {} 为 {}，{} 为 {}",
                        ra.label,
                        col,
                        va.at.cell(),
                        va.value.amount_or_zero(),
                        vb.at,
                        vb.value.amount_or_zero()
                    ));
                }
            }
        }
        if ba.rows.len() != bb.rows.len() {
            return Some(format!("行数不同（{} 行 / {} 行）", ba.rows.len(), bb.rows.len()));
        }
    }
    None
}
