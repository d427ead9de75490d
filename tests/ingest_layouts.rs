//! The same tables laid out the ways bureaus lay them out must give the same
//! model: renamed sheets, blank rows and columns before the table, numbers
//! stored as text, several tables on one sheet, a table continued on a second
//! sheet, codes whole or split, and a real .xls file.

mod support;

use jixiao::ingest::ingest_path;
use jixiao::model::{Case, TableKind};
use support::{d, digest, Variant};

const CASE: &str = "zaozhuang-shizhong-2024";

fn source(name: &str) -> String {
    support::sample_sources(CASE).into_iter().find(|(n, _)| n.starts_with(name)).unwrap().1
}

/// Write `src` as one workbook named `file` into a fresh folder and read it.
fn read(tag: &str, file: &str, src: &str, v: &Variant) -> Case {
    let dir = support::temp_dir(&format!("layouts-{tag}"));
    support::write(src, &dir.join(file), v);
    ingest_path(&dir)
}

fn assert_same(tag: &str, file: &str, src: &str, v: Variant) {
    let base = read(&format!("{tag}-base"), file, src, &Variant::default());
    let other = read(tag, file, src, &v);
    let errors: Vec<String> = other.problems.iter().map(|p| p.to_string()).collect();
    assert!(!other.has_errors(), "{tag}: {errors:#?}");
    let (a, b) = (digest(&base), digest(&other));
    assert!(a.len() > 20, "{tag}: too little read ({})", a.len());
    same_digest(tag, &a, &b);
}

/// Compare two digests, printing only the lines that differ.
fn same_digest(tag: &str, a: &[String], b: &[String]) {
    if a != b {
        let only_a: Vec<_> = a.iter().filter(|x| !b.contains(x)).take(5).collect();
        let only_b: Vec<_> = b.iter().filter(|x| !a.contains(x)).take(5).collect();
        panic!("{tag}: models differ\nbase only: {only_a:#?}\n{tag} only: {only_b:#?}");
    }
}

#[test]
fn blank_rows_and_columns_before_the_tables() {
    let v = Variant { row_offset: 3, col_offset: 2, ..Default::default() };
    assert_same("offset", "2024年部门预算公开表.xlsx", &source("2024年部门预算"), v.clone());
    assert_same("offset-final", "2024年度部门决算公开表.xlsx", &source("2024年度部门决算"), v);
}

#[test]
fn numbers_stored_as_text() {
    let v = Variant { numbers_as_text: true, ..Default::default() };
    assert_same("text", "2024年部门预算公开表.xlsx", &source("2024年部门预算"), v.clone());
    assert_same("text-final", "2024年度部门决算公开表.xlsx", &source("2024年度部门决算"), v.clone());
    assert_same("text-self", "2024年度项目支出绩效自评表.xlsx", &source("2024年度项目支出"), v);
}

#[test]
fn sheets_with_meaningless_names() {
    let v = Variant { plain_sheet_names: true, ..Default::default() };
    assert_same("names", "2024年部门预算公开表.xlsx", &source("2024年部门预算"), v.clone());
    assert_same("names-final", "2024年度部门决算公开表.xlsx", &source("2024年度部门决算"), v);
}

#[test]
fn all_tables_on_one_sheet() {
    let v = Variant { one_sheet: true, ..Default::default() };
    assert_same("one-sheet", "2024年部门预算公开表.xlsx", &source("2024年部门预算"), v.clone());
    assert_same("one-sheet-final", "2024年度部门决算公开表.xlsx", &source("2024年度部门决算"), v);
}

/// 表三 cut after its 12th data row; the rest on a new sheet that repeats
/// the header rows but has no title.
#[test]
fn a_table_continued_on_a_second_sheet() {
    let src = source("2024年部门预算");
    let mut out = Vec::new();
    let (mut in_t3, mut headers, mut rows) = (false, Vec::new(), 0);
    for line in src.lines() {
        if line.starts_with("@sheet") {
            in_t3 = line.contains("03支出总体");
        }
        if in_t3 && line.starts_with("@header") {
            headers.push(line.to_string());
        }
        if in_t3 && line.starts_with("@row") {
            rows += 1;
            if rows == 13 {
                out.push("@sheet 03支出总体（续）".to_string());
                out.extend(headers.iter().cloned());
            }
        }
        out.push(line.to_string());
    }
    let split = out.join("\n");
    let base = read("split-base", "2024年部门预算公开表.xlsx", &src, &Variant::default());
    let case = read("split", "2024年部门预算公开表.xlsx", &split, &Variant::default());
    assert!(!case.has_errors(), "{:#?}", case.problems);
    same_digest("split", &digest(&base), &digest(&case));
    let t3 = case.table(TableKind::Budget03, Some(2024)).unwrap();
    assert_eq!(t3.location.len(), 2, "{:?}", t3.location);
    assert_eq!(t3.main().rows.len(), 27);
    assert!(case.files[0].unrecognised_sheets.is_empty());
}

#[test]
fn codes_whole_or_split_give_the_same_rows() {
    let split = "@sheet 支出\n@title 支出决算表\n@meta 部门：某局\t\t\t\t\t金额单位：万元\n\
        @header 科目编码\t<\t<\t科目名称\t本年支出合计\t基本支出\t项目支出\n\
        @header 类\t款\t项\t^\t^\t^\t^\n\
        @row 合计\t<\t<\t<\t1,547.33\t414.54\t1,132.79\n\
        @row 210\t\t\t卫生健康支出\t1,547.33\t414.54\t1,132.79\n\
        @row \t15\t\t医疗保障管理事务\t1,547.33\t414.54\t1,132.79\n\
        @row \t\t01\t行政运行\t414.54\t414.54\t\n\
        @row \t\t99\t其他医疗保障管理事务支出\t1,132.79\t\t1,132.79\n";
    let whole = "@sheet 支出\n@title 支出决算表\n@meta 部门：某局\t\t\t\t金额单位：万元\n\
        @header 科目代码\t科目名称\t本年支出合计\t基本支出\t项目支出\n\
        @row 合计\t<\t1,547.33\t414.54\t1,132.79\n\
        @row 210\t卫生健康支出\t1,547.33\t414.54\t1,132.79\n\
        @row 21015\t医疗保障管理事务\t1,547.33\t414.54\t1,132.79\n\
        @row 2101501\t行政运行\t414.54\t414.54\t-\n\
        @row 2101599\t其他医疗保障管理事务支出\t1,132.79\t0.00\t1,132.79\n";
    let a = read("codes-split", "2024年决算.xlsx", split, &Variant::default());
    let b = read("codes-whole", "2024年决算.xlsx", whole, &Variant::default());
    assert!(!a.has_errors() && !b.has_errors(), "{:#?} {:#?}", a.problems, b.problems);
    assert_eq!(digest(&a), digest(&b));
    let t = a.table(TableKind::Final03, Some(2024)).unwrap();
    let codes: Vec<_> = t.main().rows.iter().filter_map(|r| r.code.clone()).collect();
    assert_eq!(codes, ["210", "21015", "2101501", "2101599"]);
    assert_eq!(t.main().row_by_code("2101599").unwrap().amount(0), d("1132.79"));
}

/// A real .xls (BIFF8) file, converted from the sample budget by LibreOffice
/// and committed: calamine's xls reader, merges included.
#[test]
fn a_real_xls_file() {
    let xls = support::root().join("tests/fixtures/2024年部门预算公开表.xls");
    let dir = support::temp_dir("xls");
    std::fs::copy(&xls, dir.join("2024年部门预算公开表.xls")).unwrap();
    let case = ingest_path(&dir);
    assert_eq!(case.files[0].format.as_deref(), Some("xls"));
    assert!(!case.has_errors(), "{:#?}", case.problems);
    let base = read("xls-base", "2024年部门预算公开表.xlsx", &source("2024年部门预算"), &Variant::default());
    assert_eq!(digest(&base), digest(&case));
}
