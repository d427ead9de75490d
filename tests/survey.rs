//! Surveys: a 问卷统计表 of its own (the question merged over its options,
//! counts as text with thousands separators, a 样本量 line, a question that
//! is not about satisfaction), scored with the option weights and the
//! question selection of the system's `[survey]`.

mod support;

use std::path::{Path, PathBuf};

use jixiao::check::check;
use jixiao::ingest::ingest_path;
use jixiao::score::score;
use rust_xlsxwriter::{Format, Workbook};
use support::{d, Variant};

const SYSTEM: &str = r#"
name = "问卷测试体系"
[survey]
weights = "很满意:1, 满意:0.8, 一般:0.6, 不满意:0"
select = "满意"
[[level1]]
name = "管理"
weight = 60
[[level1]]
name = "满意度"
weight = 40
[[indicator]]
level1 = "管理"
level2 = "制度"
name = "制度健全性"
weight = 60
[[indicator.rule]]
family = "findings"
[[indicator]]
level1 = "满意度"
level2 = "满意度"
name = "服务对象满意度"
weight = 40
[[indicator.rule]]
family = "bands"
metric = "问卷满意度"
bands = "≥90:1, ≥80:0.8, ≥70:0.6, else:0"
"#;

/// The tally: two satisfaction questions, one about age (no weights), a 样本量 line.
fn tally(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("问卷统计").unwrap();
    let merged = Format::new();
    ws.write_string(0, 0, "某项目服务对象满意度调查统计").unwrap();
    for (c, h) in ["题目", "选项", "人数", "占比"].iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    let mut r = 2u32;
    let questions: [(&str, &[(&str, &str)]); 3] = [
        ("1.您对医保经办服务的满意程度", &[("很满意", "1,200"), ("满意", "600"), ("一般", "150"), ("不满意", "50")]),
        ("2.您的年龄", &[("30岁以下", "500"), ("30-60岁", "1,000"), ("60岁以上", "500")]),
        ("3.您对报销时效的满意程度", &[("很满意", "1,000"), ("满意", "800"), ("一般", "100"), ("不满意", "100")]),
    ];
    for (q, options) in questions {
        ws.merge_range(r, 0, r + options.len() as u32 - 1, 0, q, &merged).unwrap();
        for (i, (o, n)) in options.iter().enumerate() {
            ws.write_string(r + i as u32, 1, *o).unwrap();
            ws.write_string(r + i as u32, 2, *n).unwrap();
        }
        r += options.len() as u32;
    }
    ws.write_string(r, 0, "样本量：2,000份").unwrap();
    wb.save(path).unwrap();
}

fn case(tag: &str, system: &str) -> PathBuf {
    let dir = support::temp_dir(tag);
    std::fs::write(dir.join("体系.toml"), system).unwrap();
    support::write(
        "@sheet 项目信息\n@header 项目\t内容\n@row 评价对象\t某项目\n@row 评价年度\t2024\n@row 指标体系\t体系.toml\n",
        &dir.join("评价底稿.xlsx"),
        &Variant::default(),
    );
    tally(&dir.join("满意度问卷统计.xlsx"));
    dir
}

#[test]
fn a_tally_workbook_is_scored_with_the_systems_weights_and_selection() {
    let dir = case("survey-tally", SYSTEM);
    let c = ingest_path(&dir);
    assert_eq!(c.survey.len(), 11, "eleven options read, the 样本量 line is not one");
    assert_eq!(c.survey[1].count, d("600"));
    assert_eq!(c.survey[1].question, "1.您对医保经办服务的满意程度", "the merged question on each option");
    let s = score(&c, &check(&c)).unwrap();
    // Q1: (1200 + 480 + 90 + 0) / 2000 = 88.5 %; Q3: (1000 + 640 + 60 + 0) / 2000 = 85 %; mean 86.75 %.
    let ind = &s.indicators[1];
    assert_eq!(ind.basis, "问卷满意度=(88.50%+85.00%)/2=86.75%，不低于80%且低于90%，得分=40分×80%=32分。");
    assert_eq!(s.total, Some(d("92")));
}

#[test]
fn weighted_average_and_a_question_without_weights() {
    // Weighted by answers: both questions have 2,000 answers, so the same 86.75 %.
    let s = {
        let dir =
            case("survey-weighted", &SYSTEM.replace("select = \"满意\"", "select = \"满意\"\naverage = \"weighted\""));
        let c = ingest_path(&dir);
        score(&c, &check(&c)).unwrap()
    };
    assert!(
        s.indicators[1].basis.starts_with("问卷满意度=(88.50%×2000+85.00%×2000)/4000=86.75%"),
        "{}",
        s.indicators[1].basis
    );
    // Without the selection the age question has no weights: an error naming it, never a 0 that lowers the score.
    let dir = case("survey-unselected", &SYSTEM.replace("select = \"满意\"\n", ""));
    let c = ingest_path(&dir);
    let s = score(&c, &check(&c)).unwrap();
    assert_eq!(
        s.indicators[1].failed.as_deref(),
        Some("规则 bands：问卷题目“2.您的年龄”的选项“30岁以下”没有权重：请在指标体系的 [survey] weights 中给出，或在问卷表填写权重；不计入满意度的题目请用 [survey] select 排除。")
    );
    assert_eq!(s.total, None);
}

/// A tally as bureaus publish it: a title, a two-row header whose count
/// column is named on the second row (`答案\n(人数)` under 调查结果), section
/// titles merged across the row, options lettered (`A.很满意`), counts and
/// percentages partly text with thousands separators, a 合计 row.
fn published_tally(path: &Path) {
    /// A question and its options (option, 人数, 占比).
    type Question<'a> = (&'a str, &'a [(&'a str, &'a str, &'a str)]);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("问卷统计").unwrap();
    let f = Format::new();
    ws.merge_range(0, 0, 0, 4, "某项目服务对象满意度调查问卷统计表", &f).unwrap();
    ws.merge_range(1, 0, 2, 0, "序号", &f).unwrap();
    ws.merge_range(1, 1, 2, 1, "调查内容", &f).unwrap();
    ws.merge_range(1, 2, 2, 2, "选项", &f).unwrap();
    ws.merge_range(1, 3, 1, 4, "调查结果", &f).unwrap();
    ws.write_string(2, 3, "答案\n(人数)").unwrap();
    ws.write_string(2, 4, "占比").unwrap();
    let mut r = 3u32;
    let sections: [(&str, &[Question]); 2] = [
        ("一、基本问题", &[("1.您的身份", &[("A.患者", "1,234", "61.7%"), ("B.家属", "766", "38.3%")])]),
        (
            "二、满意度评价",
            &[
                (
                    "2.您对医保经办服务的满意程度",
                    &[
                        ("A.很满意", "1,200", "60%"),
                        ("B.满意", "600", "30%"),
                        ("C.一般", "150", "7.5%"),
                        ("D.不满意", "50", "2.5%"),
                    ],
                ),
                (
                    "3.您对报销时效的满意程度",
                    &[
                        ("A.很满意", "1,000", "50%"),
                        ("B.满意", "800", "40%"),
                        ("C.一般", "100", "5%"),
                        ("D.不满意", "100", "5%"),
                    ],
                ),
            ],
        ),
    ];
    let mut k = 0;
    for (title, questions) in sections {
        ws.merge_range(r, 0, r, 4, title, &f).unwrap();
        r += 1;
        for (q, options) in questions {
            k += 1;
            let last = r + options.len() as u32; // the 合计 row
            ws.merge_range(r, 0, last, 0, &k.to_string(), &f).unwrap();
            ws.merge_range(r, 1, last, 1, q, &f).unwrap();
            for (i, (o, n, p)) in options.iter().enumerate() {
                let row = r + i as u32;
                ws.write_string(row, 2, *o).unwrap();
                match n.parse::<f64>() {
                    Ok(x) => ws.write_number(row, 3, x).unwrap(),
                    Err(_) => ws.write_string(row, 3, *n).unwrap(),
                };
                ws.write_string(row, 4, *p).unwrap();
            }
            ws.write_string(last, 2, "合计").unwrap();
            ws.write_string(last, 3, "2,000").unwrap();
            ws.write_string(last, 4, "100%").unwrap();
            r = last + 1;
        }
    }
    wb.save(path).unwrap();
}

fn published_case(tag: &str) -> PathBuf {
    let dir = case(tag, SYSTEM);
    std::fs::remove_file(dir.join("满意度问卷统计.xlsx")).unwrap();
    published_tally(&dir.join("问卷统计表.xlsx"));
    dir
}

#[test]
fn a_published_tally_with_a_two_row_header_sections_and_lettered_options() {
    let dir = published_case("survey-published");
    let c = ingest_path(&dir);
    let errors: Vec<String> =
        c.problems.iter().filter(|p| p.severity == jixiao::model::Severity::Error).map(|p| p.to_string()).collect();
    assert!(errors.is_empty(), "section titles and 合计 rows are not counts: {errors:?}");
    assert_eq!(c.survey.len(), 10, "two + four + four options; no section title, no 合计 row");
    let first = &c.survey[0];
    assert_eq!((first.question.as_str(), first.option.as_str()), ("1.您的身份", "A.患者"));
    assert_eq!((first.count, first.section.as_str()), (d("1234"), "一、基本问题"));
    assert_eq!(c.survey[1].count, d("766"));
    assert_eq!(c.survey[3].count, d("600"));
    assert_eq!(c.survey[9].section, "二、满意度评价");
    // `很满意` weighs `A.很满意`: Q2 88.5 %, Q3 85 %, mean 86.75 % (Q1 is not selected).
    let s = score(&c, &check(&c)).unwrap();
    assert_eq!(s.indicators[1].basis, "问卷满意度=(88.50%+85.00%)/2=86.75%，不低于80%且低于90%，得分=40分×80%=32分。");
    assert_eq!(s.total, Some(d("92")));
}

#[test]
fn a_workbook_that_yields_no_table_is_named_by_check_and_build() {
    let dir = published_case("survey-unrecognised");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("走访记录").unwrap();
    ws.write_string(0, 0, "走访时间").unwrap();
    ws.write_string(0, 1, "走访对象").unwrap();
    ws.write_string(1, 0, "2024年3月").unwrap();
    ws.write_string(1, 1, "某乡镇").unwrap();
    wb.save(dir.join("走访记录.xlsx")).unwrap();
    let said = "走访记录.xlsx：未从此工作簿识别出任何表，未使用（工作表：走访记录）。已查找：";
    let c = ingest_path(&dir);
    let notes: Vec<String> = c.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(notes.iter().filter(|p| p.contains("未从此工作簿")).count(), 1, "only the unread workbook: {notes:?}");
    let exe = env!("CARGO_BIN_EXE_jixiao");
    let check = std::process::Command::new(exe).arg("check").arg(&dir).output().unwrap();
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(text.contains(said) && text.contains("问卷统计表（表头有题目或问题、选项、人数三列）"), "{text}");
    let out = dir.join("输出");
    let build = std::process::Command::new(exe)
        .arg("build")
        .arg(&dir)
        .arg("--out")
        .arg(&out)
        .arg("--no-toc-pages")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&build.stderr);
    assert!(text.contains(said), "{text}");
}
