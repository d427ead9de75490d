//! 文字 names are kept as typed (`指标分析：` stays with its full-width
//! colon, and a template asking for it prints it); a template asking for a
//! text the paper holds under a near name (half-width punctuation, spaces,
//! a missing colon) prints it and gets a 提示 naming both names.

mod support;

use std::path::PathBuf;

use support::{jixiao, text, Variant};

fn paper(texts: &str) -> String {
    format!(
        "@sheet 项目信息\n@header 项目\t内容\n@row 评价对象\t某市城乡居民医保基金\n@row 评价年度\t2024\n\
@row 报告类型\t基金评价\n@row 评价机构\t某咨询公司\n@row 报告日期\t2025-08\n\
@sheet 文字\n@header 名称\t内容\n{texts}\
@sheet 表：基金收支\n@header 项目\t本年收入\t本年支出\n@row 保险费收入\t=95000.5\t\n@row 待遇支出\t\t=88000\n@row 合计\t=95000.5\t=88000\n\
@sheet 表：参保人数\n@header 区县\t应参保\t实际参保\n@row 甲区\t=350000\t342,000\n@row 合计\t=350000\t=342000\n\
@sheet 发现\n@header 三级指标\t子项\t扣分\t问题描述\t主题\n@row 基金管理规范性\t\t=2\t个别待遇支出审核资料不全\t\n"
    )
}

/// The 基金评价 example kind, its 基金概况 part also printing `指标分析：`.
fn case(tag: &str, texts: &str) -> PathBuf {
    let dir = support::temp_dir(tag);
    support::write(&paper(texts), &dir.join("评价底稿.xlsx"), &Variant::default());
    let kind = support::root().join("templates/kinds/examples/基金评价");
    let to = dir.join("基金评价");
    std::fs::create_dir_all(&to).unwrap();
    for e in std::fs::read_dir(&kind).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
    let fund = to.join("fund.j2");
    let src = std::fs::read_to_string(&fund).unwrap().replacen(
        "{{ texts[\"基金概况\"] }}\n",
        "{{ texts[\"基金概况\"] }}\n{#- 需要：文字“指标分析：” -#}\n{{ texts[\"指标分析：\"] }}\n",
        1,
    );
    std::fs::write(&fund, src).unwrap();
    dir
}

fn report(dir: &std::path::Path) -> (String, String) {
    let out = dir.join("out");
    let run = jixiao(&["build", "--no-toc-pages", "--out"], &[&out, dir]);
    let t = text(&run);
    assert_eq!(run.status.code(), Some(0), "{t}");
    (support::docx_text(&out.join("某市城乡居民医保基金2024年度基金绩效评价报告.docx")), t)
}

#[test]
fn names_are_kept_as_typed() {
    let dir = case("names-typed", "@row 基金概况\t基金由市医保局统筹管理。\n@row 指标分析：\t基金运行总体平稳。\n");
    let case = jixiao::ingest::ingest_path(&dir);
    let paper = case.working_paper.as_ref().unwrap();
    assert!(paper.texts.iter().any(|(k, _)| k == "指标分析："), "{:?}", paper.texts);
    let (doc, _) = report(&dir);
    assert!(doc.contains("基金运行总体平稳。"), "{doc}");
    let t = text(&jixiao(&["check"], &[&dir]));
    assert!(!t.contains("写作“"), "no 提示 when typed as asked: {t}");
}

#[test]
fn a_near_name_is_printed_and_told() {
    // Half-width colon and a space; a missing colon.
    let dir = case("names-near", "@row 基金概况：\t基金由市医保局统筹管理。\n@row 指标分析 :\t基金运行总体平稳。\n");
    let (doc, _) = report(&dir);
    assert!(doc.contains("基金由市医保局统筹管理。") && doc.contains("基金运行总体平稳。"), "{doc}");
    assert!(!doc.contains("待填：文字"), "{doc}");
    let t = text(&jixiao(&["check"], &[&dir]));
    for (asked, typed, cell) in [("基金概况", "基金概况：", "B2"), ("指标分析：", "指标分析 :", "B3")]
    {
        let line = t.lines().find(|l| l.contains(&format!("要的文字“{asked}”"))).unwrap_or_else(|| panic!("{t}"));
        assert!(
            line.trim_start().starts_with("提示") && line.contains(&format!("写作“{typed}”")) && line.contains(cell),
            "{line}"
        );
    }
    assert!(!t.contains("缺文字"), "not missing: {t}");
}
