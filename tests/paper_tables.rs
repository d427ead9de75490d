//! Data tables of the working paper (`表：名称`): a text column is read as
//! text (no 错误 per cell), merged cells print merged, a 合计 row prints
//! bold and a 合计 that is not the sum of its rows is a 提示 naming the
//! cell, the printed and the computed value.

mod support;

use std::io::Read;
use std::path::{Path, PathBuf};

use support::{jixiao, text, Variant};

const PAPER: &str = "@sheet 项目信息\n@header 项目\t内容\n@row 评价对象\t某市城乡居民医保基金\n@row 评价年度\t2024\n\
@row 报告类型\t基金评价\n@row 评价机构\t某咨询公司\n@row 报告日期\t2025-08\n\
@sheet 文字\n@header 名称\t内容\n@row 基金概况\t某市城乡居民基本医疗保险基金由市医保局统筹管理。\n\
@sheet 表：基金收支\n@header 项目\t本年收入\t本年支出\t经办机构\t说明\n\
@row 保险费收入\t=30000\t\t市医保中心\t个人缴费\n@row 财政补贴收入\t=65000.5\t\t\t\n\
@row 待遇支出\t\t=88000\t各区县经办机构\t\n@row 合 计\t=95000.51\t=88000\t\t\n\
@sheet 表：参保人数\n@header 区县\t应参保\t实际参保\n@row 甲区\t=200000\t195,000\n@row 乙县\t=150000\t147,000\n@row 合计\t=350000\t=342000\n\
@sheet 发现\n@header 三级指标\t子项\t扣分\t问题描述\t主题\n@row 基金管理规范性\t\t=2\t个别待遇支出审核资料不全\t\n";

fn case(tag: &str) -> PathBuf {
    let dir = support::temp_dir(tag);
    let mut wb = support::build(PAPER, &Variant::default());
    // 经办机构 of the two income rows: one cell merged over D2:D3.
    let sheet = wb.worksheet_from_name("表：基金收支").unwrap();
    sheet.merge_range(1, 3, 2, 3, "市医保中心", &rust_xlsxwriter::Format::new()).unwrap();
    wb.save(dir.join("评价底稿.xlsx")).unwrap();
    let kind = support::root().join("templates/kinds/examples/基金评价");
    std::fs::create_dir_all(dir.join("基金评价")).unwrap();
    for e in std::fs::read_dir(&kind).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.join("基金评价").join(e.file_name())).unwrap();
    }
    dir
}

fn document_xml(docx: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    xml
}

#[test]
fn text_columns_merged_cells_and_totals() {
    let dir = case("paper-tables");
    // The text column is read without an 错误; the merged cell is one value.
    let case = jixiao::ingest::ingest_path(&dir);
    assert!(!case.has_errors(), "{:#?}", case.problems);
    let paper = case.working_paper.as_ref().unwrap();
    let t = paper.table("基金收支").unwrap();
    assert_eq!(t.merges, vec![(0, 3, 1, 3)], "D2:D3 is body rows 0–1 of column 3");
    // The 合计 off by 0.01 is a 提示 naming the cell, the printed and the computed value.
    let out = text(&jixiao(&["check"], &[&dir]));
    let line = out.lines().find(|l| l.contains("各行之和")).unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.contains("提示")
            && line.contains("评价底稿.xlsx › 表：基金收支 › B5")
            && line.contains("95000.51")
            && line.contains("各行之和为 95000.5（")
            && line.contains("相差 0.01"),
        "{line}"
    );
    assert_eq!(out.matches("各行之和").count(), 1, "the other totals add up: {out}");
    assert!(!out.contains("应填数字"), "{out}");
    // The report prints the merged cell merged and the 合计 row bold.
    let dest = dir.join("out");
    let run = jixiao(&["build", "--no-toc-pages", "--out"], &[&dest, &dir]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let xml = document_xml(&dest.join("某市城乡居民医保基金2024年度基金绩效评价报告.docx"));
    assert_eq!(xml.matches("市医保中心").count(), 1, "printed once, merged");
    assert!(xml.contains("w:vMerge"), "a vertical merge");
    let total = xml.find("95,000.51").expect("the 合计 printed");
    let run_start = xml[..total].rfind("<w:r>").or_else(|| xml[..total].rfind("<w:r ")).unwrap();
    assert!(xml[run_start..total].contains("<w:b"), "the 合计 row bold: {}", &xml[run_start..total]);
    for cell in ["各区县经办机构", "个人缴费"] {
        assert!(xml.contains(cell), "{cell}");
    }
}
