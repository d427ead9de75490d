//! Property tests of the ingest (and the stages after it) over arbitrary
//! bytes and arbitrary cell grids: no panic, no hang, every failure a typed
//! error. Bounded so CI stays fast.

use jixiao::ingest::{ingest_workbook, open::read_workbook_bytes};
use jixiao::model::Case;
use proptest::prelude::*;
use rust_xlsxwriter::Workbook;

/// Cells people (and broken exports) put in tables.
const WORDS: &[&str] = &[
    "收入决算表",
    "支出决算表",
    "公开03表",
    "收支总体情况表",
    "项目支出预算情况表",
    "项目绩效目标表",
    "项目支出绩效自评表",
    "部门整体支出绩效自评表",
    "合计",
    "合 计",
    "总计",
    "科目代码",
    "科目编码",
    "科目名称",
    "类",
    "款",
    "项",
    "基本支出",
    "项目支出",
    "本年支出合计",
    "栏次",
    "一级指标",
    "三级指标",
    "指标值",
    "项目名称",
    "全年预算数",
    "执行数",
    "分值",
    "得分",
    "总分",
    "208",
    "05",
    "2101501",
    "12,847.65",
    "1, 547. 33",
    "12O.5",
    "——",
    "-",
    "≥95%",
    "12月日前31",
    "注：本表无数据",
    "部门：某局",
    "金额单位：万元",
    "一、一般公共预算",
    "投入 (20)",
    "(",
    "%",
    "",
];

#[derive(Debug, Clone)]
enum Cell {
    Empty,
    Word(usize),
    Number(f64),
}

fn cell() -> impl Strategy<Value = Cell> {
    prop_oneof![
        3 => Just(Cell::Empty),
        4 => (0..WORDS.len()).prop_map(Cell::Word),
        2 => (-1.0e7f64..1.0e7).prop_map(Cell::Number),
    ]
}

/// A merged range: first row, first column, last row, last column.
type Merge = (u32, u16, u32, u16);
/// A sheet: its cells and its merged ranges.
type Sheet = (Vec<Vec<Cell>>, Vec<Merge>);

fn grid() -> impl Strategy<Value = Sheet> {
    let rows = prop::collection::vec(prop::collection::vec(cell(), 0..12), 0..30);
    let merges = prop::collection::vec((0u32..30, 0u16..12, 0u32..3, 0u16..3), 0..6);
    (rows, merges)
        .prop_map(|(rows, merges)| (rows, merges.into_iter().map(|(r, c, h, w)| (r, c, r + h, c + w)).collect()))
}

fn workbook_bytes(sheets: &[Sheet]) -> Vec<u8> {
    let mut wb = Workbook::new();
    for (i, (rows, merges)) in sheets.iter().enumerate() {
        let ws = wb.add_worksheet();
        ws.set_name(format!("表{i}")).unwrap();
        let mut taken: Vec<Merge> = Vec::new();
        for m in merges {
            let overlaps = taken.iter().any(|t| !(m.2 < t.0 || m.0 > t.2 || m.3 < t.1 || m.1 > t.3));
            if (m.0, m.1) != (m.2, m.3)
                && !overlaps
                && ws.merge_range(m.0, m.1, m.2, m.3, "", &Default::default()).is_ok()
            {
                taken.push(*m);
            }
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                let inside = taken.iter().any(|t| r >= t.0 && r <= t.2 && c >= t.1 && c <= t.3 && (r, c) != (t.0, t.1));
                if inside {
                    continue;
                }
                let _ = match cell {
                    Cell::Empty => Ok(&mut *ws),
                    Cell::Word(w) => ws.write_string(r, c, WORDS[*w]),
                    Cell::Number(n) => ws.write_number(r, c, *n),
                };
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

/// Everything after reading must take whatever ingest produced.
fn downstream(case: &Case) {
    let checks = jixiao::check::check(case);
    let _ = jixiao::score::score(case, &checks);
    let _ = jixiao::cli::check_text(case, &checks);
    let _ = serde_json::to_string(case).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, max_shrink_iters: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_are_a_typed_error_or_a_workbook(bytes in prop::collection::vec(any::<u8>(), 0..2048), zip_header in any::<bool>(), ole_header in any::<bool>()) {
        let mut data = bytes;
        if zip_header {
            data.splice(0..0, *b"PK\x03\x04");
        } else if ole_header {
            data.splice(0..0, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        }
        match read_workbook_bytes(data, "随机.xlsx") {
            Ok(wb) => {
                let mut case = Case::default();
                ingest_workbook(wb, "随机.xlsx", &mut case);
                downstream(&case);
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn arbitrary_grids_never_panic(sheets in prop::collection::vec(grid(), 1..4)) {
        let bytes = workbook_bytes(&sheets);
        let wb = read_workbook_bytes(bytes, "网格.xlsx").expect("rust_xlsxwriter output opens");
        let mut case = Case::default();
        ingest_workbook(wb, "网格.xlsx", &mut case);
        downstream(&case);
        for p in &case.problems {
            prop_assert!(p.place.to_string().starts_with("网格.xlsx"), "{}", p);
            prop_assert!(!p.message.is_empty());
        }
    }

    /// The sample's budget with random cells overwritten.
    #[test]
    fn the_sample_with_random_damage(edits in prop::collection::vec((0usize..400, 0usize..WORDS.len()), 1..12)) {
        let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sample-source/zaozhuang-shizhong-2024/2024年部门预算公开表.tsv")).unwrap();
        let mut lines: Vec<String> = src.lines().map(String::from).collect();
        for (at, w) in edits {
            let i = at % lines.len();
            if let Some(rest) = lines[i].strip_prefix("@row ") {
                let mut cells: Vec<String> = rest.split('\t').map(String::from).collect();
                let c = at % cells.len().max(1);
                cells[c] = WORDS[w].to_string();
                lines[i] = format!("@row {}", cells.join("\t"));
            }
        }
        // Write through the test support's sheet source (its own module).
        let bytes = support::bytes(&lines.join("\n"), &support::Variant::default());
        let wb = read_workbook_bytes(bytes, "预算.xlsx").unwrap();
        let mut case = Case::default();
        ingest_workbook(wb, "预算.xlsx", &mut case);
        downstream(&case);
    }
}

mod support;

/// Mutations of the real sample workbooks, each read by `jixiao inspect` in
/// a process of its own so that an abort (an allocation a parser cannot
/// survive) or a hang is caught as a failure, not a dead test run: bytes
/// flipped, the file truncated inside a zip entry, declared sizes in the
/// zip headers inflated, the .xls fixture's bytes flipped. Deterministic
/// (a fixed seed), about a hundred files.
#[test]
fn mutated_sample_workbooks_never_abort_or_hang() {
    let dir = std::env::temp_dir().join(format!("jixiao-mutations-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let originals: Vec<(String, Vec<u8>)> = [
        "sample-workbooks/zaozhuang-shizhong-2024/2024年部门预算公开表.xlsx",
        "sample-workbooks/zaozhuang-shizhong-2024/评价底稿.xlsx",
        "sample-workbooks/gaoyi-2021/2021年度部门整体支出绩效自评表.xlsx",
        "tests/fixtures/2024年部门预算公开表.xls",
    ]
    .iter()
    .map(|p| (p.rsplit('/').next().unwrap().to_string(), std::fs::read(root.join(p)).unwrap()))
    .collect();
    // xorshift: the same mutations on every run.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut files = Vec::new();
    for round in 0..24 {
        for (name, bytes) in &originals {
            let mut b = bytes.clone();
            let kind = round % 4;
            match kind {
                // A few bytes flipped anywhere.
                0 => {
                    for _ in 0..1 + next() % 8 {
                        let i = (next() as usize) % b.len();
                        b[i] ^= 1 << (next() % 8);
                    }
                }
                // Cut inside the file (a zip entry or an OLE stream truncated).
                1 => {
                    let keep = (b.len() / 4) + (next() as usize) % (b.len() * 3 / 4);
                    b.truncate(keep);
                }
                // Declared sizes inflated: every local header's and central
                // directory entry's uncompressed size set huge.
                2 => {
                    let huge = (0x4000_0000u32 + (next() as u32 % 0x3FFF_FFFF)).to_le_bytes();
                    let mut i = 0;
                    while i + 30 < b.len() {
                        if b[i..i + 4] == [0x50, 0x4B, 0x03, 0x04] {
                            b[i + 22..i + 26].copy_from_slice(&huge);
                        } else if i + 46 < b.len() && b[i..i + 4] == [0x50, 0x4B, 0x01, 0x02] {
                            b[i + 24..i + 28].copy_from_slice(&huge);
                        }
                        i += 1;
                    }
                    if !name.ends_with(".xlsx") {
                        let i = (next() as usize) % b.len();
                        b[i] = 0xFF;
                    }
                }
                // A run of bytes overwritten with 0xFF (lengths and counts go large).
                _ => {
                    let at = (next() as usize) % b.len();
                    for x in b.iter_mut().skip(at).take(1 + (next() as usize) % 16) {
                        *x = 0xFF;
                    }
                }
            }
            let path = dir.join(format!("{round:02}-{kind}-{name}"));
            std::fs::write(&path, &b).unwrap();
            files.push(path);
        }
    }
    let mut failures = Vec::new();
    for path in &files {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .arg("inspect")
            .arg(path)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break Some(s);
            }
            if started.elapsed() > std::time::Duration::from_secs(30) {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        };
        match status {
            None => failures.push(format!("{}: still running after 30 s", path.display())),
            Some(s) if s.code().is_none() => failures.push(format!("{}: killed ({s})", path.display())),
            Some(s) if !matches!(s.code(), Some(0..=2)) => failures.push(format!("{}: exit {s}", path.display())),
            Some(_) => {}
        }
    }
    assert!(failures.is_empty(), "{} of {} mutated files:\n{}", failures.len(), files.len(), failures.join("\n"));
    let _ = std::fs::remove_dir_all(&dir);
}
