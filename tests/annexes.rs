//! The XLSX annexes read back with calamine, byte-identical regeneration,
//! the change report after a correction, and LibreOffice opening them.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{open_workbook, Data, DataType, Dimensions, Reader, Xlsx};
use jixiao::pipeline::{annex, changes_text};
use support::{d, Variant};

const CASE: &str = "zaozhuang-shizhong-2024";

fn sample() -> PathBuf {
    support::root().join("sample-workbooks").join(CASE)
}

fn open(dir: &Path, file: &str) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn first_sheet(wb: &mut Xlsx<std::io::BufReader<std::fs::File>>) -> (String, calamine::Range<Data>) {
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name).unwrap();
    (name, range)
}

fn text(r: &calamine::Range<Data>, row: u32, col: u32) -> String {
    r.get_value((row, col)).map(|d| d.to_string()).unwrap_or_default()
}

#[test]
fn score_table_has_27_rows_and_a_live_total() {
    let out = support::temp_dir("annex-score");
    annex(&sample(), &out).unwrap();
    let mut wb = open(&out, "附件2 绩效评价得分表.xlsx");
    let (name, r) = first_sheet(&mut wb);
    assert_eq!(text(&r, 0, 0), "附件2 绩效评价得分表");
    let header: Vec<String> = (0..5).map(|c| text(&r, 1, c)).collect();
    assert_eq!(header, ["一级指标", "二级指标", "三级指标", "得分", "得失分依据"]);
    let scores: Vec<f64> = (2..29).map(|row| r.get_value((row, 3)).and_then(|v| v.as_f64()).unwrap()).collect();
    assert_eq!(scores.len(), 27);
    assert_eq!(scores[8], 0.5);
    assert_eq!(scores[24], 8.33);
    assert_eq!(text(&r, 2, 2), "(1) 预算安排与部门职能匹配度（10分）");
    assert_eq!(text(&r, 29, 0), "合计");
    // The 合计 is a formula whose cached result is the computed total.
    assert_eq!(r.get_value((29, 3)).and_then(|v| v.as_f64()), Some(82.03));
    let formulas = wb.worksheet_formula(&name).unwrap();
    assert_eq!(formulas.get_value((29, 3)).map(String::as_str), Some("SUM(D3:D29)"));
    let sum: f64 = scores.iter().sum();
    assert!((sum - 82.03).abs() < 1e-9, "{sum}");
}

#[test]
fn problem_list_has_14_rows_in_seed_categories() {
    let out = support::temp_dir("annex-problems");
    annex(&sample(), &out).unwrap();
    let mut wb = open(&out, "附件3 问题清单.xlsx");
    let (name, r) = first_sheet(&mut wb);
    let merges = wb.merge_cells_by_sheet_name(&name).unwrap();
    // Fill merged 问题分类 cells as a reader sees them.
    let category = |row: u32| -> String {
        let m = merges.iter().find(|m: &&Dimensions| m.contains(row, 0));
        text(&r, m.map(|m| m.start.0).unwrap_or(row), 0)
    };
    let rows: Vec<(String, String)> = (2..16).map(|row| (category(row), text(&r, row, 1))).collect();
    assert_eq!(rows.len(), 14);
    let cats: Vec<&str> = rows.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        cats,
        [
            "财政资源配置",
            "预算管理",
            "预算管理",
            "预算管理",
            "预算管理",
            "预算管理",
            "绩效管理",
            "绩效管理",
            "履职效能",
            "履职效能",
            "履职效能",
            "履职效能",
            "满意度",
            "满意度"
        ]
    );
    assert_eq!(rows[13].1, "14");
    assert_eq!(text(&r, 16, 0), "", "nothing after the 14 rows");
    assert_eq!(text(&r, 2, 2), "枣庄市市中区医疗保障局");
}

#[test]
fn indicator_system_merges_levels_over_their_children() {
    let out = support::temp_dir("annex-system");
    annex(&sample(), &out).unwrap();
    let mut wb = open(&out, "附件1 绩效评价指标体系.xlsx");
    let (name, r) = first_sheet(&mut wb);
    let merges = wb.merge_cells_by_sheet_name(&name).unwrap();
    let col_a: Vec<(u32, u32, String)> = merges
        .iter()
        .filter(|m| m.start.1 == 0 && m.end.1 == 0)
        .map(|m| (m.start.0, m.end.0, text(&r, m.start.0, 0)))
        .collect();
    assert_eq!(
        col_a,
        [
            (2, 3, "财政资源配置（12分）".to_string()),
            (4, 16, "预算管理（28分）".to_string()),
            (17, 19, "绩效管理（15分）".to_string()),
            (20, 26, "部门履职效能（35分）".to_string()),
            (27, 28, "社会效应（10分）".to_string())
        ]
    );
    // 二级 merged where they have several children; 13 二级 in all.
    let col_b: Vec<String> =
        merges.iter().filter(|m| m.start.1 == 1 && m.end.1 == 1).map(|m| text(&r, m.start.0, 1)).collect();
    assert!(col_b.contains(&"预算执行进度（4分）".to_string()), "{col_b:?}");
    let distinct: std::collections::BTreeSet<String> =
        (2..29).map(|row| text(&r, row, 1)).filter(|t| !t.is_empty()).collect();
    assert_eq!(distinct.len(), 13);
    assert!(text(&r, 2, 4).starts_with("①预算安排和部门“三定”方案"), "评分办法 of (1): {}", text(&r, 2, 4));
    assert_eq!(merges.iter().filter(|m| m.start.0 == 0).count(), 1, "the title row");
}

#[test]
fn the_same_inputs_give_byte_identical_files() {
    let (a, b) = (support::temp_dir("annex-bytes-a"), support::temp_dir("annex-bytes-b"));
    annex(&sample(), &a).unwrap();
    annex(&sample(), &b).unwrap();
    for f in jixiao::render::annex::ANNEX_FILES.iter().chain([&jixiao::pipeline::JSON_FILE]) {
        assert_eq!(std::fs::read(a.join(f)).unwrap(), std::fs::read(b.join(f)).unwrap(), "{f}");
    }
}

/// An auditor's correction: one of the three 会计核算规范性 findings removed.
#[test]
fn regenerating_after_a_correction_reports_what_changed() {
    let case = support::temp_dir("annex-correction-case");
    let out = support::temp_dir("annex-correction-out");
    for (name, src) in support::sample_sources(CASE) {
        support::write(&src, &case.join(&name), &Variant::default());
    }
    let first = annex(&case, &out).unwrap();
    assert!(first.changes.first_run);
    let before = std::fs::read(out.join("附件2 绩效评价得分表.xlsx")).unwrap();
    let (_, paper) = support::sample_sources(CASE).into_iter().find(|(n, _)| n == "评价底稿.xlsx").unwrap();
    let line = paper.lines().find(|l| l.starts_with("@row 会计核算规范性\t②\t=0.5\t原始凭证不完整")).unwrap();
    let corrected = paper.replace(&format!("{line}\n"), "");
    support::write(&corrected, &case.join("评价底稿.xlsx"), &Variant::default());
    // Through the binary, as staff run it.
    let run =
        Command::new(env!("CARGO_BIN_EXE_jixiao")).arg("annex").arg(&case).arg("--out").arg(&out).output().unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(stdout.contains("(9) 会计核算规范性 0.5 → 1（删去“原始凭证不完整，"), "{stdout}");
    assert!(stdout.contains("总分 82.03 → 82.53，等级 良 → 良"), "{stdout}");
    assert!(stdout.contains("问题清单：无增删；内容变化 1 条（会计核算规范性）"), "{stdout}");
    // The new files carry the new numbers.
    let mut wb = open(&out, "附件2 绩效评价得分表.xlsx");
    let (_, r) = first_sheet(&mut wb);
    assert_eq!(r.get_value((10, 3)).and_then(|v| v.as_f64()), Some(1.0));
    assert_eq!(r.get_value((29, 3)).and_then(|v| v.as_f64()), Some(82.53));
    assert_ne!(before, std::fs::read(out.join("附件2 绩效评价得分表.xlsx")).unwrap());
    // A third run with nothing changed says so.
    let again = annex(&case, &out).unwrap();
    assert!(again.changes.scores.is_empty());
    assert!(changes_text(&again.changes).contains("得分：无变化"));
    assert_eq!(again.scored.total, Some(d("82.53")));
}

/// The change report reads the previous JSON back into the evaluation; an
/// older or foreign JSON (or a damaged one) is said to be incomparable,
/// never a crash.
#[test]
fn a_previous_json_of_another_format_is_not_compared() {
    let out = support::temp_dir("annex-foreign-json");
    let json = out.join(jixiao::pipeline::JSON_FILE);
    let first = annex(&sample(), &out).unwrap();
    assert!(first.changes.first_run);
    let cases: [(&str, &[u8]); 4] = [
        (
            "the JSON of an earlier jixiao",
            br#"{"case": {}, "checks": {}, "scored": {"total": "82.03", "indicators": []}}"#,
        ),
        ("another schema version", br#"{"schema_version": 999, "score": {"total": "1"}}"#),
        ("a damaged file", br#"{"schema_version": 1, "score": {"tot"#),
        ("not JSON", b"\xff\xfe garbage"),
    ];
    for (what, bytes) in cases {
        std::fs::write(&json, bytes).unwrap();
        let run = jixiao::pipeline::annex_with(&sample(), &out, true).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(run.changes.foreign, "{what}");
        let text = changes_text(&run.changes);
        assert!(text.contains("上次结果格式不同，无法比较"), "{what}: {text}");
        assert!(text.contains("总分 82.03，等级 良"), "{what}: {text}");
    }
    // The JSON written now is read back into the same type, and compares.
    let again = annex(&sample(), &out).unwrap();
    assert!(!again.changes.foreign && !again.changes.first_run);
    assert!(changes_text(&again.changes).contains("得分：无变化"));
    let back = match jixiao::pipeline::previous_run(&std::fs::read(&json).unwrap()) {
        jixiao::pipeline::Previous::Evaluation(e) => e,
        jixiao::pipeline::Previous::Foreign => panic!("the JSON just written is not read back"),
    };
    assert_eq!(*back, again.evaluation, "serde round trip of the evaluation");
}

/// LibreOffice opens the annexes (headless → PDF → text).
#[test]
fn libreoffice_renders_the_annexes() {
    let Some(soffice) =
        ["soffice", "libreoffice"].into_iter().find(|b| Command::new(b).arg("--version").output().is_ok())
    else {
        assert!(std::env::var_os("CI").is_none(), "CI must have LibreOffice (.ci/run installs it)");
        eprintln!("skipped: soffice is not installed here");
        return;
    };
    let out = support::temp_dir("annex-pdf");
    annex(&sample(), &out).unwrap();
    let profile = support::temp_dir("annex-pdf-profile");
    let status = Command::new(soffice)
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&out)
        .arg(out.join("附件2 绩效评价得分表.xlsx"))
        .arg(out.join("附件3 问题清单.xlsx"))
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let text = |f: &str| {
        let o = Command::new("pdftotext").arg(out.join(f)).arg("-").output().expect("pdftotext (poppler-utils)");
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let a2 = text("附件2 绩效评价得分表.pdf");
    assert!(a2.contains("附件2 绩效评价得分表") && a2.contains("82.03") && a2.contains("会计核算规范性"), "{a2}");
    let a3 = text("附件3 问题清单.pdf");
    assert!(a3.contains("附件3 问题清单") && a3.contains("履职效能") && a3.contains("满意度"), "{a3}");
}

/// 附件4 reprints the department's 目标表 as laid out: the 战略目标 line
/// above the header, 序号 and 职责序号 with their values, the header's three
/// levels with their merges (`指标参考值` across six columns, `序号` down
/// four rows), not one flattened row.
#[test]
fn annex4_keeps_the_departments_layout() {
    let out = support::temp_dir("annex-targets");
    annex(&sample(), &out).unwrap();
    let mut wb = open(&out, "附件4 整体战略目标及绩效目标.xlsx");
    let strategic = wb.worksheet_range("整体战略目标表").unwrap();
    assert_eq!(text(&strategic, 0, 0), "2024年度枣庄市市中区医保局整体战略目标表");
    assert!(
        text(&strategic, 1, 0).starts_with("战略目标：加强医保基金监管，保障医保基金平稳运行"),
        "{}",
        text(&strategic, 1, 0)
    );
    let header: Vec<String> = (0..6).map(|c| text(&strategic, 2, c)).collect();
    assert_eq!(header, ["指标", "序号", "指标", "指标解释", "年度指标值", "指标参考值"]);
    assert_eq!(text(&strategic, 4, 5), "规划值");
    assert_eq!(text(&strategic, 5, 6), "标准值");
    let numbers: Vec<String> = (6..10).map(|r| text(&strategic, r, 1)).collect();
    assert_eq!(numbers, ["1", "2", "3", "4"]);
    assert_eq!(text(&strategic, 6, 2), "全区医疗保障稽核检查工作覆盖率");
    let merges = wb.merge_cells_by_sheet_name("整体战略目标表").unwrap();
    let has = |r0: u32, c0: u32, r1: u32, c1: u32| merges.iter().any(|m| m.start == (r0, c0) && m.end == (r1, c1));
    assert!(has(2, 1, 5, 1), "序号 down the four header rows: {merges:?}");
    assert!(has(2, 5, 2, 10), "指标参考值 across its six columns: {merges:?}");
    let overall = wb.worksheet_range("整体绩效目标表").unwrap();
    assert_eq!(text(&overall, 1, 0), "职责序号");
    assert_eq!(text(&overall, 5, 0), "1");
    assert_eq!(text(&overall, 5, 2), "稽核检查");
}
