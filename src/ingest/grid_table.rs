//! Read a located region as a [`Table`]: meta lines, a multi-row merged
//! header turned into column paths, side-by-side blocks, classification codes
//! whole or split into 类/款/项, and values read as people write them.

use rust_decimal::Decimal;

use crate::model::value::{decimal_from_f64, parse_number_text, NumberText};
use crate::model::{
    range_name, Block, CellValue, Column, Layout, Location, Problem, Row, RowKind, Table, TableKind, Value,
};

use super::grid::{Grid, Raw};
use super::locate::{year_in, Region};
use super::meta::{is_meta_row, read_meta, Meta};

/// A table read from a region, with what went wrong.
pub struct Parsed {
    pub table: Table,
    pub problems: Vec<Problem>,
    /// Normalised texts of the header rows, to recognise a continuation sheet.
    pub header: Vec<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    CodeWhole,
    Lei,
    Kuan,
    Xiang,
    Label,
    RowNo,
    Value,
}

#[derive(Debug, Clone, Default)]
enum CodeCols {
    #[default]
    None,
    Whole(u32),
    Split {
        lei: Option<u32>,
        kuan: Option<u32>,
        xiang: Option<u32>,
    },
}

/// One group of columns: codes, label, values. Side-by-side groups with the
/// same columns (06表) become segments of one block.
#[derive(Debug, Clone, Default)]
struct Segment {
    root: Option<String>,
    code: CodeCols,
    code2: CodeCols,
    label: Option<u32>,
    values: Vec<(u32, Column)>,
}

/// Words in a header that mark a column holding text, not amounts.
const TEXT_COLUMNS: &[&str] = &[
    "类型", "备注", "说明", "名称", "性质", "单位", "目标", "情况", "来源", "依据", "内容", "标准", "等级", "指标",
    "职责", "活动", "处室", "项目",
];

pub fn parse_grid_table(grid: &Grid, region: &Region) -> Parsed {
    parse_grid_table_from(grid, region, None)
}

/// As [`parse_grid_table`], for the rest of a table on another sheet: the
/// split 类/款 codes carry on from `previous` (the last full code read).
pub fn parse_grid_table_from(grid: &Grid, region: &Region, previous: Option<&str>) -> Parsed {
    let mut problems = Vec::new();
    let numeric = region.kind.info().numeric;
    let first = if region.title.is_empty() { region.top } else { region.top + 1 };

    // Meta lines under the title (and the title row itself).
    let (meta, body_top) = meta_lines(grid, region, first);

    // Header: the rows above the first data row.
    let data_start = (body_top..region.bottom).find(|&r| is_data_start(grid, r, numeric));
    let Some(data_start) = data_start else {
        problems.push(no_data(grid, region, body_top));
        return Parsed { table: empty_table(grid, region, meta), problems, header: Vec::new() };
    };
    let header_top = header_top(grid, body_top, data_start);
    let preamble = preamble(grid, body_top, header_top);
    let header_rows: Vec<u32> = (header_top..data_start).filter(|&r| !is_lanci_row(grid, r)).collect();
    if header_rows.is_empty() {
        problems.push(Problem::at(
            "ingest.no_header",
            &grid.at(data_start, grid.left),
            format!("{}缺少表头（数据行上方没有列标题），无法判断各列含义。请补上表头行。", region.kind.name()),
        ));
    }

    // Column paths and roles.
    let paths = column_paths(grid, &header_rows);
    let segments = build_segments(grid, &paths);
    let blocks_of = group_segments(&segments);

    // Rows.
    let mut blocks = empty_blocks(&blocks_of, &segments);
    let header_texts: Vec<Vec<String>> =
        header_rows.iter().map(|&r| grid.row_texts(r).into_iter().map(String::from).collect()).collect();
    let mut notes = preamble;
    let carried = previous.map(|code| (code.get(..3).map(String::from), code.get(..5).map(String::from)));
    let mut code_state: Vec<(Option<String>, Option<String>)> = vec![carried.unwrap_or_default(); segments.len()];
    let mut code2_state: Vec<(Option<String>, Option<String>)> = vec![(None, None); segments.len()];
    let mut in_notes = false;
    let mut last_row = data_start;
    let covered: Vec<bool> = (grid.left..grid.right()).map(|c| !paths[(c - grid.left) as usize].is_empty()).collect();
    for r in data_start..region.bottom {
        if grid.row_is_empty(r) {
            continue;
        }
        let texts = grid.row_texts(r);
        if in_notes || is_note_start(texts[0]) {
            in_notes = true;
            notes.push(original_texts(grid, r).join(" "));
            continue;
        }
        if is_lanci_row(grid, r) || header_texts.iter().any(|h| h.iter().map(String::as_str).eq(texts.iter().copied()))
        {
            continue;
        }
        last_row = r;
        report_shifted(grid, r, &covered, !header_rows.is_empty(), &mut problems);
        for (b, (_, segs)) in blocks_of.iter().enumerate() {
            let mut found: Vec<Row> = Vec::new();
            for &s in segs {
                let seg = &segments[s];
                let (state, state2) = (&mut code_state[s], &mut code2_state[s]);
                if let Some(row) = read_row(grid, r, seg, state, state2, region.kind, numeric, &mut problems) {
                    found.push(row);
                }
            }
            blocks[b].rows.extend(merge_side_by_side(found));
        }
    }

    let rows = [body_top, header_top, data_start, last_row];
    let table = assemble_table(grid, region, meta, blocks, notes, rows);
    Parsed { table, problems, header: header_texts }
}

/// The meta lines under the title (and the title row itself): the meta
/// read, and the first row after them.
fn meta_lines(grid: &Grid, region: &Region, first: u32) -> (Meta, u32) {
    let mut meta = Meta::default();
    read_meta(grid, region.top, &mut meta);
    let mut r = first;
    while r < region.bottom && (grid.row_is_empty(r) || is_meta_row(grid, r)) {
        read_meta(grid, r, &mut meta);
        r += 1;
    }
    (meta, r)
}

/// A title with no header and data rows under it.
fn no_data(grid: &Grid, region: &Region, body_top: u32) -> Problem {
    Problem::at(
        "ingest.no_data",
        &grid.at(body_top.min(grid.bottom().saturating_sub(1)), grid.left),
        format!(
            "找到了{}的标题，但下面没有可识别的表头和数据行（应有“合计”行或科目编码行）。请检查表格是否完整。",
            region.kind.name()
        ),
    )
    .note()
}

/// The first header row: the non-empty, non-meta rows of short texts
/// directly above the first data row.
fn header_top(grid: &Grid, body_top: u32, data_start: u32) -> u32 {
    let mut header_top = data_start;
    while header_top > body_top
        && !grid.row_is_empty(header_top - 1)
        && !is_meta_row(grid, header_top - 1)
        && (grid.left..grid.right()).all(|c| grid.get(header_top - 1, c).text.chars().count() <= 40)
    {
        header_top -= 1;
    }
    header_top
}

/// The lines between the meta lines and the header, as written.
fn preamble(grid: &Grid, body_top: u32, header_top: u32) -> Vec<String> {
    let mut preamble = Vec::new();
    for r in body_top..header_top {
        if !grid.row_is_empty(r) {
            preamble.push(original_texts(grid, r).join(" "));
        }
    }
    preamble
}

/// Each column's path: the distinct header texts above it, top down.
fn column_paths(grid: &Grid, header_rows: &[u32]) -> Vec<Vec<String>> {
    (grid.left..grid.right())
        .map(|c| {
            let mut p: Vec<String> = Vec::new();
            for &r in header_rows {
                let n = grid.get(r, c).norm();
                if !n.is_empty() && p.last().map(String::as_str) != Some(n) {
                    p.push(n.to_string());
                }
            }
            p
        })
        .collect()
}

/// The blocks, named and with their columns, before any row is read.
fn empty_blocks(blocks_of: &[(Option<String>, Vec<usize>)], segments: &[Segment]) -> Vec<Block> {
    blocks_of
        .iter()
        .map(|(name, segs)| Block {
            name: name.clone(),
            columns: segs
                .first()
                .map(|&s| segments[s].values.iter().map(|(_, col)| col.clone()).collect())
                .unwrap_or_default(),
            rows: Vec::new(),
        })
        .collect()
}

/// Data under no header: the header row and the data are shifted.
fn report_shifted(grid: &Grid, r: u32, covered: &[bool], has_header: bool, problems: &mut Vec<Problem>) {
    for c in grid.left..grid.right() {
        let cell = grid.get(r, c);
        if !covered[(c - grid.left) as usize] && cell.is_origin() && has_header {
            problems.push(Problem::at(
                "ingest.shifted",
                &grid.at(r, c),
                format!("单元格内容“{}”所在的列没有表头：表头与数据错位了。请把表头和数据对齐后再试。", cell.text),
            ));
        }
    }
}

/// A label merged across side-by-side groups (`公用经费合计` over 06表's
/// groups 2 and 3) is one row: keep the part with values.
fn merge_side_by_side(found: Vec<Row>) -> Vec<Row> {
    let has_values = |row: &Row| row.values.iter().any(|v| !v.value.is_empty());
    let mut kept: Vec<Row> = Vec::new();
    for row in found {
        let same = kept
            .iter_mut()
            .find(|k| k.code.is_none() && row.code.is_none() && !k.label.is_empty() && k.label == row.label);
        match same {
            Some(k) if !has_values(k) => *k = row,
            Some(_) => {}
            None => kept.push(row),
        }
    }
    kept
}

/// The table read: its title, year, meta, location and the layout of a
/// reprinted table. `rows`: body top, header top, data start, last row.
fn assemble_table(
    grid: &Grid,
    region: &Region,
    meta: Meta,
    blocks: Vec<Block>,
    notes: Vec<String>,
    rows: [u32; 4],
) -> Table {
    let [body_top, header_top, data_start, last_row] = rows;
    let year = year_in(&region.title).or(meta.year).or_else(|| year_in(&grid.sheet)).or_else(|| year_in(&grid.file));
    Table {
        kind: region.kind,
        title: if region.title.is_empty() { region.kind.name().to_string() } else { region.title.clone() },
        year,
        department: meta.department,
        unit: meta.unit,
        location: vec![Location {
            file: grid.file.to_string(),
            sheet: grid.sheet.to_string(),
            range: range_name(region.top, grid.left, last_row.max(region.top), grid.right().saturating_sub(1)),
        }],
        blocks,
        notes,
        layout: reprinted(region.kind).then(|| layout(grid, body_top, header_top, data_start, last_row)).flatten(),
    }
}

fn empty_table(grid: &Grid, region: &Region, meta: Meta) -> Table {
    Table {
        kind: region.kind,
        title: region.title.clone(),
        year: year_in(&region.title).or(meta.year).or_else(|| year_in(&grid.file)),
        department: meta.department,
        unit: meta.unit,
        location: vec![Location {
            file: grid.file.to_string(),
            sheet: grid.sheet.to_string(),
            range: range_name(region.top, grid.left, region.bottom.saturating_sub(1), grid.right().saturating_sub(1)),
        }],
        blocks: vec![Block { name: None, columns: Vec::new(), rows: Vec::new() }],
        notes: Vec::new(),
        layout: None,
    }
}

/// Tables the report reprints as the department supplied them.
fn reprinted(kind: TableKind) -> bool {
    matches!(kind, TableKind::StrategicTargets | TableKind::OverallTargets)
}

/// The most rows and columns a reprinted layout keeps (a 目标表 has tens).
const LAYOUT_MAX_ROWS: u32 = 2_000;
const LAYOUT_MAX_COLS: u32 = 64;

/// Rows `top..=last` as laid out, with the merges inside them; None past
/// the bounds (the parsed columns are reprinted instead).
fn layout(grid: &Grid, top: u32, header_top: u32, data_start: u32, last: u32) -> Option<Layout> {
    let (left, right) = (grid.left, grid.right());
    if last < top || last - top >= LAYOUT_MAX_ROWS || right - left > LAYOUT_MAX_COLS {
        return None;
    }
    // Columns that hold anything (a sheet's empty margin columns are dropped).
    let used: Vec<u32> = (left..right).filter(|&c| (top..=last).any(|r| !grid.get(r, c).is_empty())).collect();
    let kept_rows: Vec<u32> = (top..=last).filter(|&r| !grid.row_is_empty(r) && !is_lanci_row(grid, r)).collect();
    let rows: Vec<Vec<String>> = kept_rows
        .iter()
        .map(|&r| {
            used.iter()
                .map(|&c| {
                    let cell = grid.get(r, c);
                    if cell.merged {
                        String::new()
                    } else {
                        cell.text.clone()
                    }
                })
                .collect()
        })
        .collect();
    let index = |v: &[u32], x: u32| v.iter().position(|&y| y == x);
    let merges = grid
        .merges
        .iter()
        .filter_map(|&(r0, c0, r1, c1)| {
            let (r, c) = (index(&kept_rows, r0)?, index(&used, c0)?);
            let h = kept_rows.iter().filter(|&&x| x >= r0 && x <= r1).count();
            let w = used.iter().filter(|&&x| x >= c0 && x <= c1).count();
            (h > 1 || w > 1).then_some((r, c, h, w))
        })
        .collect();
    let count = |from: u32, to: u32| kept_rows.iter().filter(|&&r| r >= from && r < to).count();
    Some(Layout { rows, merges, preamble_rows: count(top, header_top), header_rows: count(header_top, data_start) })
}

fn role(path: &[String]) -> Role {
    let Some(leaf) = path.last() else {
        return Role::Value;
    };
    match leaf.as_str() {
        "类" => return Role::Lei,
        "款" => return Role::Kuan,
        "项" => return Role::Xiang,
        "行次" | "序号" | "栏次" | "职责序号" => return Role::RowNo,
        _ => {}
    }
    if leaf.contains("代码") || (leaf.contains("编码") && !leaf.contains("项目")) {
        Role::CodeWhole
    } else if leaf == "项目"
        || leaf == "科目"
        || leaf == "项目名称"
        || leaf.ends_with("科目名称")
        || leaf == "科目名称"
        || (leaf.contains("经济分类科目") && !leaf.contains("编码"))
    {
        Role::Label
    } else {
        Role::Value
    }
}

fn build_segments(grid: &Grid, paths: &[Vec<String>]) -> Vec<Segment> {
    let mut segments: Vec<Segment> = Vec::new();
    let mut cur = Segment::default();
    let mut cur_cols: Vec<u32> = Vec::new();
    let mut label_seen = false;
    for c in grid.left..grid.right() {
        let path = &paths[(c - grid.left) as usize];
        if path.is_empty() {
            continue;
        }
        let role = role(path);
        let is_key = matches!(role, Role::CodeWhole | Role::Lei | Role::Kuan | Role::Xiang | Role::Label);
        if is_key && !cur.values.is_empty() {
            finish_segment(&mut cur, &cur_cols, paths, grid.left);
            segments.push(std::mem::take(&mut cur));
            cur_cols.clear();
            label_seen = false;
        }
        cur_cols.push(c);
        match role {
            Role::CodeWhole | Role::Lei | Role::Kuan | Role::Xiang => {
                let target = if label_seen { &mut cur.code2 } else { &mut cur.code };
                set_code(target, role, c);
            }
            Role::Label => {
                if cur.label.is_none() {
                    cur.label = Some(c);
                }
                label_seen = true;
            }
            Role::RowNo => {}
            Role::Value => {
                let leaf = path.last().cloned().unwrap_or_default();
                cur.values.push((c, Column { key: path.join("/"), label: leaf }));
            }
        }
    }
    if !cur_cols.is_empty() {
        finish_segment(&mut cur, &cur_cols, paths, grid.left);
        segments.push(cur);
    }
    segments
}

fn set_code(target: &mut CodeCols, role: Role, c: u32) {
    if role == Role::CodeWhole {
        *target = CodeCols::Whole(c);
        return;
    }
    if !matches!(target, CodeCols::Split { .. }) {
        *target = CodeCols::Split { lei: None, kuan: None, xiang: None };
    }
    if let CodeCols::Split { lei, kuan, xiang } = target {
        match role {
            Role::Lei => *lei = Some(c),
            Role::Kuan => *kuan = Some(c),
            _ => *xiang = Some(c),
        }
    }
}

/// Set the segment's root (the label common to all its columns, `收入`) and
/// strip it from the value keys.
fn finish_segment(seg: &mut Segment, cols: &[u32], paths: &[Vec<String>], left: u32) {
    let first = paths[(cols[0] - left) as usize].first().cloned();
    let common = cols.len() > 1
        && cols.iter().all(|&c| {
            let p = &paths[(c - left) as usize];
            p.len() >= 2 && p.first() == first.as_ref()
        });
    if common {
        seg.root = first.clone();
        let root = first.unwrap_or_default();
        for (_, col) in &mut seg.values {
            if let Some(rest) = col.key.strip_prefix(&format!("{root}/")) {
                col.key = rest.to_string();
            }
        }
    }
}

/// Blocks: segments grouped by root and identical value columns.
fn group_segments(segments: &[Segment]) -> Vec<(Option<String>, Vec<usize>)> {
    let mut out: Vec<(Option<String>, Vec<usize>)> = Vec::new();
    for (i, s) in segments.iter().enumerate() {
        let keys: Vec<&str> = s.values.iter().map(|(_, c)| c.key.as_str()).collect();
        let same = out.iter_mut().find(|(root, idx)| {
            let other = &segments[idx[0]];
            *root == s.root && other.values.iter().map(|(_, c)| c.key.as_str()).eq(keys.iter().copied())
        });
        match same {
            Some((_, idx)) => idx.push(i),
            None => out.push((s.root.clone(), vec![i])),
        }
    }
    if out.is_empty() {
        out.push((None, Vec::new()));
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn read_row(
    grid: &Grid,
    r: u32,
    seg: &Segment,
    state: &mut (Option<String>, Option<String>),
    state2: &mut (Option<String>, Option<String>),
    kind: TableKind,
    numeric: bool,
    problems: &mut Vec<Problem>,
) -> Option<Row> {
    let label_cell = seg.label.map(|c| grid.get(r, c));
    let mut label = label_cell.map(|c| c.norm().to_string()).unwrap_or_default();
    let code_text = code_cells_text(grid, r, &seg.code);
    let is_total = ["合计", "总计"].contains(&label.as_str()) || ["合计", "总计"].contains(&code_text.as_str());
    if is_total && label.is_empty() {
        label = code_text.clone();
    }
    let code = if is_total { None } else { read_code(grid, r, &seg.code, state, problems) };
    let code2 = if is_total { None } else { read_code(grid, r, &seg.code2, state2, problems) };
    if let (Some(cell), Some(c)) = (label_cell, seg.label) {
        if matches!(cell.raw, Raw::Number(_)) && !cell.merged && numeric {
            problems.push(Problem::at(
                "ingest.shifted",
                &grid.at(r, c),
                format!("名称列出现了数字“{}”：表头与数据错位了。请把表头和数据对齐后再试。", cell.text),
            ));
        }
    }
    let mut values = Vec::with_capacity(seg.values.len());
    let mut any = false;
    for (c, col) in &seg.values {
        let cell = grid.get(r, *c);
        let at = grid.at(r, *c);
        let value = if cell.merged {
            CellValue::Empty
        } else {
            match &cell.raw {
                Raw::Empty => CellValue::Empty,
                Raw::Number(f) => decimal_from_f64(*f).map(CellValue::Number).unwrap_or(CellValue::Empty),
                Raw::Bool(_) | Raw::Error => CellValue::Text(cell.text.clone()),
                Raw::Text => text_value(&cell.text, col, kind, numeric, &at, problems),
            }
        };
        any |= !value.is_empty();
        values.push(Value { value, at });
    }
    if code.is_none() && label.is_empty() && !any {
        return None;
    }
    let first_col = seg.label.or(seg.values.first().map(|(c, _)| *c)).unwrap_or(grid.left);
    Some(Row {
        kind: if is_total {
            RowKind::Total
        } else if code.is_some() {
            RowKind::Coded
        } else {
            RowKind::Line
        },
        code,
        code2,
        label,
        values,
        at: grid.at(r, first_col),
    })
}

fn text_value(
    text: &str,
    col: &Column,
    kind: TableKind,
    numeric: bool,
    at: &crate::model::Provenance,
    problems: &mut Vec<Problem>,
) -> CellValue {
    let text_col = TEXT_COLUMNS.iter().any(|w| col.key.contains(w)) && !col.key.contains("金额");
    match parse_number_text(text) {
        NumberText::Empty => CellValue::Empty,
        NumberText::NotApplicable => CellValue::NotApplicable,
        NumberText::Number(d) => CellValue::Number(d),
        NumberText::Percent(d) => CellValue::Percent(d),
        NumberText::Invalid if numeric && !text_col => {
            problems.push(Problem::at(
                "ingest.number",
                at,
                format!(
                    "“{}”列的单元格内容“{}”不是有效数字（{}）。请改为数字，例如 {}。",
                    col.label,
                    text,
                    kind.name(),
                    suggest_number(text)
                ),
            ));
            CellValue::Text(text.to_string())
        }
        NumberText::Text if numeric && !text_col => {
            problems.push(Problem::at(
                "ingest.number",
                at,
                format!("“{}”列应填金额，单元格却是文字“{}”（{}）。请改为数字或留空。", col.label, text, kind.name()),
            ));
            CellValue::Text(text.to_string())
        }
        _ => CellValue::Text(text.to_string()),
    }
}

/// `12O.5` → `120.5`: letters that look like digits replaced.
fn suggest_number(text: &str) -> String {
    let s: String = text
        .chars()
        .map(|c| match c {
            'O' | 'o' | 'Ｏ' | 'ｏ' => '0',
            'l' | 'I' | '|' => '1',
            'S' => '5',
            c => c,
        })
        .filter(|c| c.is_ascii_digit() || *c == '.' || *c == ',' || *c == '-')
        .collect();
    if s.is_empty() || Decimal::from_str_exact(&s.replace(',', "")).is_err() {
        "12.50".into()
    } else {
        s
    }
}

fn code_cells_text(grid: &Grid, r: u32, cols: &CodeCols) -> String {
    match cols {
        CodeCols::None => String::new(),
        CodeCols::Whole(c) => grid.get(r, *c).norm().to_string(),
        CodeCols::Split { lei, kuan, xiang } => [lei, kuan, xiang]
            .iter()
            .filter_map(|c| c.map(|c| grid.get(r, c).norm().to_string()))
            .find(|t| !t.is_empty())
            .unwrap_or_default(),
    }
}

fn digits_of(grid: &Grid, r: u32, c: Option<u32>) -> Option<String> {
    let cell = grid.get(r, c?);
    if cell.merged || cell.is_empty() {
        return None;
    }
    let t = cell.norm();
    let end = t.find(|ch: char| !ch.is_ascii_digit()).unwrap_or(t.len());
    (end > 0).then(|| t[..end].to_string())
}

fn read_code(
    grid: &Grid,
    r: u32,
    cols: &CodeCols,
    state: &mut (Option<String>, Option<String>),
    problems: &mut Vec<Problem>,
) -> Option<String> {
    match cols {
        CodeCols::None => None,
        CodeCols::Whole(c) => {
            let code = digits_of(grid, r, Some(*c))?;
            match code.len() {
                3 => *state = (Some(code.clone()), None),
                5 => state.1 = Some(code.clone()),
                _ => {}
            }
            Some(code)
        }
        CodeCols::Split { lei, kuan, xiang } => {
            let (l, k, x) = (digits_of(grid, r, *lei), digits_of(grid, r, *kuan), digits_of(grid, r, *xiang));
            let at = grid.at(r, kuan.or(*xiang).or(*lei).unwrap_or(grid.left));
            match (l, k, x) {
                (Some(l), Some(k), Some(x)) => {
                    let kc = format!("{l}{k}");
                    *state = (Some(l), Some(kc.clone()));
                    Some(format!("{kc}{x}"))
                }
                (Some(l), Some(k), None) => {
                    let kc = format!("{l}{k}");
                    *state = (Some(l), Some(kc.clone()));
                    Some(kc)
                }
                (Some(l), None, _) => {
                    *state = (Some(l.clone()), None);
                    Some(l)
                }
                (None, Some(k), _) => match &state.0 {
                    Some(l) => {
                        let kc = format!("{l}{k}");
                        state.1 = Some(kc.clone());
                        Some(kc)
                    }
                    None => {
                        problems.push(Problem::at(
                            "ingest.code",
                            &at,
                            format!("款级科目“{k}”上方没有所属的类级科目，无法拼出完整编码。请补上类级科目行。"),
                        ));
                        Some(k)
                    }
                },
                (None, None, Some(x)) => match &state.1 {
                    Some(kc) => Some(format!("{kc}{x}")),
                    None => {
                        problems.push(Problem::at(
                            "ingest.code",
                            &at,
                            format!("项级科目“{x}”上方没有所属的款级科目，无法拼出完整编码。请补上款级科目行。"),
                        ));
                        Some(x)
                    }
                },
                (None, None, None) => None,
            }
        }
    }
}

/// The first row of data: a 合计 row, a code, `一、…`, or a number.
fn is_data_start(grid: &Grid, r: u32, numeric: bool) -> bool {
    if is_lanci_row(grid, r) || grid.row_is_empty(r) {
        return false;
    }
    if !numeric {
        // List-like tables: the first row numbered 1 (序号).
        return (grid.left..grid.right()).any(|c| {
            let cell = grid.get(r, c);
            cell.is_origin() && matches!(cell.norm(), "1" | "1.0" | "一")
        });
    }
    // A header row holds only labels; a data row holds a number, a code,
    // an `一、…` line, or is a 合计 line alone (an empty table).
    let mut labels_only_total = true;
    for c in grid.left..grid.right() {
        let cell = grid.get(r, c);
        let t = cell.norm();
        if t.is_empty() {
            continue;
        }
        if t.starts_with("一、") || (is_code(t) && !cell.merged) {
            return true;
        }
        let numeric_text = matches!(parse_number_text(&cell.text), NumberText::Number(_) | NumberText::Percent(_));
        if !cell.merged && (matches!(cell.raw, Raw::Number(_)) || numeric_text) {
            return true;
        }
        if t != "合计" && t != "总计" {
            labels_only_total = false;
        }
    }
    labels_only_total
}

fn is_code(t: &str) -> bool {
    matches!(t.len(), 3 | 5 | 7) && t.chars().all(|c| c.is_ascii_digit())
}

/// A 栏次 row: `栏次` or the column numbers 1 2 3 … alone.
pub fn is_lanci_row(grid: &Grid, r: u32) -> bool {
    let texts = grid.row_texts(r);
    if texts.contains(&"栏次") {
        return true;
    }
    let nums: Vec<u32> = texts.iter().filter_map(|t| t.parse::<u32>().ok()).collect();
    nums.len() >= 3 && nums.len() == texts.len() && nums.windows(2).all(|w| w[1] == w[0] + 1) && nums[0] <= 1
}

fn is_note_start(norm: &str) -> bool {
    ["注:", "注1", "注：", "说明:", "备注:", "填报人", "单位负责人", "财务负责人", "制表人", "审核人", "联系电话"]
        .iter()
        .any(|p| norm.starts_with(p))
        || norm == "注"
}

/// The distinct printed texts of a row.
pub fn original_texts(grid: &Grid, r: u32) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in grid.left..grid.right() {
        let t = &grid.get(r, c).text;
        if !t.is_empty() && out.last() != Some(t) {
            out.push(t.clone());
        }
    }
    out
}
