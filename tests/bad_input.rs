//! Bad input never panics, never stops the other files, and gets a clear
//! Chinese message naming file › sheet › cell, with an exit code that says
//! something failed (1: a table has errors, 2: a file could not be read).

mod support;

use std::path::Path;
use std::process::Command;

use support::{Variant, SMALL};

fn inspect(dir: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao")).arg("inspect").arg(dir).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn good_budget(dir: &Path) {
    std::fs::copy(
        support::root().join("sample-workbooks/zaozhuang-shizhong-2024/2024年部门预算公开表.xlsx"),
        dir.join("2024年部门预算公开表.xlsx"),
    )
    .unwrap();
}

/// The good workbook beside the bad one is still read in full.
fn good_one_still_read(stdout: &str) {
    assert!(stdout.contains("项目支出预算情况表（预算表十一）"), "{stdout}");
    assert!(stdout.contains("2024年 项目绩效目标表「医疗救助资金」"), "{stdout}");
}

#[test]
fn truncated_workbook() {
    let dir = support::temp_dir("bad-truncated");
    good_budget(&dir);
    let bytes = support::bytes(SMALL, &Variant::default());
    std::fs::write(dir.join("2024年决算.xlsx"), &bytes[..bytes.len() / 2]).unwrap();
    let (code, stdout, stderr) = inspect(&dir);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("错误 2024年决算.xlsx：文件已损坏或不完整"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    good_one_still_read(&stdout);
}

#[test]
fn garbage_with_a_zip_header() {
    let dir = support::temp_dir("bad-garbage");
    good_budget(&dir);
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.extend((0..5000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8));
    std::fs::write(dir.join("损坏.xlsx"), bytes).unwrap();
    let (code, stdout, stderr) = inspect(&dir);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("损坏.xlsx") && stderr.contains("文件已损坏或不完整"), "{stderr}");
    good_one_still_read(&stdout);
}

#[test]
fn empty_workbook_and_empty_file() {
    let dir = support::temp_dir("bad-empty");
    good_budget(&dir);
    support::write("@sheet Sheet1\n", &dir.join("空白.xlsx"), &Variant::default());
    std::fs::write(dir.join("零字节.xls"), b"").unwrap();
    let (code, stdout, stderr) = inspect(&dir);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("空白.xlsx：工作簿中没有任何内容"), "{stderr}");
    assert!(stderr.contains("零字节.xls：文件是空的（0 字节）"), "{stderr}");
    good_one_still_read(&stdout);
}

#[test]
fn text_file_with_an_excel_name() {
    let dir = support::temp_dir("bad-text");
    good_budget(&dir);
    std::fs::write(dir.join("决算.xlsx"), "科目代码,科目名称,金额\n210,卫生健康支出,1547.33\n").unwrap();
    let (code, stdout, stderr) = inspect(&dir);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("决算.xlsx：不是 Excel 工作簿，内容像是纯文本"), "{stderr}");
    good_one_still_read(&stdout);
}

#[test]
fn a_number_cell_holding_a_letter() {
    let dir = support::temp_dir("bad-number");
    good_budget(&dir);
    let src = SMALL.replace("2101501\t行政运行\t414.54", "2101501\t行政运行\t'12O.5");
    support::write(&src, &dir.join("2024年决算.xlsx"), &Variant::default());
    let (code, stdout, stderr) = inspect(&dir);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("错误 2024年决算.xlsx › 支出 › C6：“本年支出合计”列的单元格内容“12O.5”不是有效数字（支出决算表（公开03表））。请改为数字，例如 120.5。"),
        "{stderr}"
    );
    good_one_still_read(&stdout);
}

#[test]
fn header_shifted_away_from_its_data() {
    let dir = support::temp_dir("bad-shifted");
    good_budget(&dir);
    // The data rows start one column to the right of their header.
    let src: String = SMALL
        .lines()
        .map(|l| match l.strip_prefix("@row ") {
            Some(rest) => format!("@row \t{rest}\n"),
            None => format!("{l}\n"),
        })
        .collect();
    support::write(&src, &dir.join("2024年决算.xlsx"), &Variant::default());
    let (code, stdout, stderr) = inspect(&dir);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("错误 2024年决算.xlsx › 支出 › F5：单元格内容“1132.79”所在的列没有表头：表头与数据错位了。"),
        "{stderr}"
    );
    good_one_still_read(&stdout);
}

#[test]
fn the_same_table_twice_with_different_numbers() {
    let dir = support::temp_dir("bad-duplicate");
    support::write(SMALL, &dir.join("2024年决算-财务科.xlsx"), &Variant::default());
    support::write(
        &SMALL.replace("2101599\t其他医疗保障管理事务支出\t1,132.79", "2101599\t其他医疗保障管理事务支出\t1,123.79"),
        &dir.join("2024年决算-办公室.xlsx"),
        &Variant::default(),
    );
    let (code, _stdout, stderr) = inspect(&dir);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("错误 2024年决算-财务科.xlsx › 支出 › A1:E7：同一张支出决算表（公开03表）出现了两次且数字不同（另一份在 2024年决算-办公室.xlsx › 支出 › A1:E7）：“其他医疗保障管理事务支出”行“本年支出合计”列 C7 为 1123.79，2024年决算-财务科.xlsx › 支出 › C7 为 1132.79。"),
        "{stderr}"
    );
}

#[test]
fn the_same_table_twice_identical_is_only_a_note() {
    let dir = support::temp_dir("bad-duplicate-same");
    support::write(SMALL, &dir.join("2024年决算-1.xlsx"), &Variant::default());
    support::write(SMALL, &dir.join("2024年决算-2.xlsx"), &Variant::default());
    let (code, _stdout, stderr) = inspect(&dir);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "提示 2024年决算-2.xlsx › 支出 › A1:E7：支出决算表（公开03表）在 2024年决算-1.xlsx › 支出 › A1:E7 已经读过"
        ),
        "{stderr}"
    );
}

#[test]
fn unknown_sheets_are_listed_not_fatal() {
    let dir = support::temp_dir("bad-unknown-sheet");
    let src = format!("{SMALL}@sheet 草稿\n@row 随便写的\t一些字\n");
    support::write(&src, &dir.join("2024年决算.xlsx"), &Variant::default());
    let (code, stdout, stderr) = inspect(&dir);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("未识别的工作表：草稿"), "{stdout}");
}

#[test]
fn missing_path_and_folder_without_workbooks() {
    let (code, _, stderr) = inspect(Path::new("/nonexistent/路径"));
    assert_eq!(code, 2);
    assert!(stderr.contains("找不到“/nonexistent/路径”"), "{stderr}");
    let dir = support::temp_dir("bad-no-workbooks");
    std::fs::write(dir.join("说明.txt"), "x").unwrap();
    let (code, _, stderr) = inspect(&dir);
    assert_eq!(code, 2);
    assert!(stderr.contains("文件夹中没有 Excel 工作簿"), "{stderr}");
}

#[test]
fn inputs_are_not_modified() {
    let dir = support::temp_dir("bad-untouched");
    good_budget(&dir);
    let path = dir.join("2024年部门预算公开表.xlsx");
    let before = (std::fs::read(&path).unwrap(), std::fs::metadata(&path).unwrap().modified().unwrap());
    let _ = inspect(&dir);
    let after = (std::fs::read(&path).unwrap(), std::fs::metadata(&path).unwrap().modified().unwrap());
    assert!(before == after);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "inspect wrote nothing into the case folder");
}

fn run(cmd: &str, dir: &Path, json: bool) -> (i32, String, String) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jixiao"));
    c.arg(cmd).arg(dir);
    if json {
        c.arg("--json");
    }
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `check` reports the same bad input with the same messages and exit codes.
#[test]
fn bad_input_through_check() {
    let dir = support::temp_dir("bad-check-unreadable");
    good_budget(&dir);
    std::fs::write(dir.join("决算.xlsx"), "not a workbook").unwrap();
    let (code, stdout, _) = run("check", &dir, false);
    assert_eq!(code, 2);
    assert!(stdout.contains("错误 决算.xlsx：不是 Excel 工作簿"), "{stdout}");
    assert!(stdout.contains("预算公开表.xlsx"), "the good workbook is still checked: {stdout}");

    let dir = support::temp_dir("bad-check-number");
    let src = SMALL.replace("2101501\t行政运行\t414.54", "2101501\t行政运行\t'12O.5");
    support::write(&src, &dir.join("2024年决算.xlsx"), &Variant::default());
    let (code, stdout, _) = run("check", &dir, false);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("错误 2024年决算.xlsx › 支出 › C6：“本年支出合计”列的单元格内容“12O.5”不是有效数字"),
        "{stdout}"
    );
}

/// [`SMALL`] with its 款 row, so that the hierarchy is complete.
fn clean() -> String {
    SMALL.replace("@row 2101501", "@row 21015\t医疗保障管理事务\t1,547.33\t414.54\t1,132.79\n@row 2101501")
}

#[test]
fn check_exit_codes_and_json() {
    // A clean table: exit 0.
    let dir = support::temp_dir("check-clean");
    support::write(&clean(), &dir.join("2024年决算.xlsx"), &Variant::default());
    let (code, stdout, _) = run("check", &dir, false);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("共 错误 0 条"), "{stdout}");
    // A rounding difference only: still exit 0, one 提示.
    let dir = support::temp_dir("check-rounding");
    support::write(
        &clean().replace("合计\t<\t1,547.33\t414.54\t1,132.79", "合计\t<\t1,547.33\t414.54\t1,132.78"),
        &dir.join("2024年决算.xlsx"),
        &Variant::default(),
    );
    let (code, stdout, _) = run("check", &dir, false);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("提示 支出决算表 合计 本年支出合计 1,547.33 ≠ 基本支出 414.54 + 项目支出 1,132.78 = 1,547.32（差 0.01，尾数误差）（支出 › C4、D4、E4）"),
        "{stdout}"
    );
    // An error: exit 1, and the JSON carries rule, cells and numbers.
    let dir = support::temp_dir("check-error");
    support::write(
        &clean().replace("合计\t<\t1,547.33\t414.54\t1,132.79", "合计\t<\t1,647.33\t414.54\t1,132.79"),
        &dir.join("2024年决算.xlsx"),
        &Variant::default(),
    );
    let (code, stdout, _) = run("check", &dir, true);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let f = v["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "sum.columns").unwrap();
    assert_eq!(f["severity"], "错误");
    assert_eq!(f["actual"], "1647.33");
    assert_eq!(f["expected"], "1547.33");
    assert_eq!(f["difference"], "100.00");
    assert_eq!(f["cells"][0], "2024年决算.xlsx › 支出 › C4");
}
