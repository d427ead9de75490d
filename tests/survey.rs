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
