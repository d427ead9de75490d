//! Indicator systems as run-time files: the shipped project-expenditure
//! example (not compiled in) named by the working paper or given with
//! `--system`, its formulas shown with the numbers in the 依据, its gate,
//! `jixiao system` checking a file, `init --system FILE`.

mod support;

use std::path::{Path, PathBuf};

use jixiao::check::check;
use jixiao::ingest::ingest_path;
use jixiao::score::score;
use support::{d, jixiao, text, Variant};

fn example() -> PathBuf {
    support::root().join("templates/indicator-systems/examples/project-expenditure.toml")
}

const FACTS: &str = "@sheet 事实\n@header 名称\t数值\t单位\t说明\n\
@row 实际到位资金\t=300\t万元\t\n@row 计划投入资金\t=320\t万元\t\n@row 实际支出资金\t=291\t万元\t\n\
@row 实际产出数\t=95\t个\t\n@row 计划产出数\t=100\t个\t\n@row 质量达标产出数\t=90\t个\t\n\
@row 延期月数\t=1\t月\t\n@row 计划成本\t=200\t万元\t\n@row 实际成本\t=206\t万元\t\n\
@row 社会效益达成程度\t基本完成\t\t\n@row 服务对象满意度\t=92.5\t%\t\n";

/// A project case whose paper names `system` in 项目信息.
fn project_case(tag: &str, system: &str) -> PathBuf {
    let dir = support::temp_dir(tag);
    let paper = format!(
        "@sheet 项目信息\n@header 项目\t内容\n@row 评价对象\t某项目\n@row 评价年度\t2024\n@row 指标体系\t{system}\n{FACTS}"
    );
    support::write(&paper, &dir.join("评价底稿.xlsx"), &Variant::default());
    dir
}

fn copy_example(into: &Path) {
    std::fs::create_dir_all(into).unwrap();
    std::fs::copy(example(), into.join("project-expenditure.toml")).unwrap();
}

#[test]
fn a_system_file_in_the_case_folder_is_used_with_its_formulas() {
    let dir = project_case("systems-in-folder", "project-expenditure.toml");
    copy_example(&dir.join("指标体系"));
    let case = ingest_path(&dir);
    let s = score(&case, &check(&case)).unwrap();
    assert_eq!(s.system.name, "项目支出绩效评价指标体系（共性框架示例）");
    for i in &s.indicators {
        let wrong = support::equations::false_equations(&i.basis);
        assert!(wrong.is_empty(), "{}: {wrong:#?}", i.name);
    }
    let by = |name: &str| s.indicators.iter().find(|i| i.name == name).unwrap();
    // 资金到位率 = 300/320 = 93.75 % of 4 = 3.75.
    assert_eq!(by("资金到位率").score, d("3.75"));
    assert_eq!(by("资金到位率").basis, "资金到位率=300/320×100%=93.75%，得分=93.75%×4分=3.75分。");
    // 预算执行率 (the system's own formula, not the department metric) = 291/300 = 97 % → full.
    assert!(
        by("预算执行率").basis.starts_with("预算执行率=291/300×100%=97%，不低于95%，得分="),
        "{}",
        by("预算执行率").basis
    );
    // An inline formula with a label: 质量达标率 = 90/95 = 94.74 % → ≥85 band, 8.
    assert_eq!(by("质量达标率").score, d("8"));
    assert!(by("质量达标率").basis.starts_with("质量达标率=90/95×100%=94.74%"), "{}", by("质量达标率").basis);
    // The gate fails (成本节约率 −3 %): the sub-item scores the overrun, 3 points off.
    assert_eq!(by("成本控制").score, d("4"));
    assert!(
        by("成本控制")
            .basis
            .starts_with("成本节约率=(200-206)/200×100%=-3%，低于0%，按以下各项评分：成本超支率=(206-200)/200×100%=3%"),
        "{}",
        by("成本控制").basis
    );
    assert_eq!(by("社会效益").score, d("9.6"));
    // 20 (决策, no findings) + 3.75 + 4 + 4 + 4 + 4 + 14.25 + 8 + 6 + 4 + 9.6 + 8 = 89.6
    assert_eq!(s.total, Some(d("89.6")));
}

#[test]
fn the_gate_holds_when_the_cost_is_within_the_plan() {
    let dir = project_case("systems-gate", "project-expenditure.toml");
    copy_example(&dir);
    let paper = format!(
        "@sheet 项目信息\n@header 项目\t内容\n@row 评价对象\t某项目\n@row 评价年度\t2024\n@row 指标体系\tproject-expenditure.toml\n{}",
        FACTS.replace("@row 实际成本\t=206", "@row 实际成本\t=190")
    );
    support::write(&paper, &dir.join("评价底稿.xlsx"), &Variant::default());
    let case = ingest_path(&dir);
    let s = score(&case, &check(&case)).unwrap();
    let ind = s.indicators.iter().find(|i| i.name == "成本控制").unwrap();
    assert_eq!(ind.score, d("7"));
    assert_eq!(ind.basis, "实际成本未超过计划成本：成本节约率=(200-190)/200×100%=5%，不低于0%，得7分。");
}

#[test]
fn a_missing_file_is_named_with_where_it_was_looked_for() {
    let dir = project_case("systems-missing", "没有这个体系.toml");
    let case = ingest_path(&dir);
    let e = score(&case, &check(&case)).unwrap_err();
    let msg = e[0].to_string();
    assert!(msg.contains("找不到指标体系文件“没有这个体系.toml”：已在") && msg.contains("指标体系"), "{msg}");
}

#[test]
fn the_command_line_gives_a_system_file_and_checks_one() {
    // --system overrides what the paper names.
    let dir = project_case("systems-cli", "部门预算整体绩效评价指标体系（枣庄市市中区医疗保障局2024）");
    let run = jixiao(&["score", "--system"], &[&example(), &dir]);
    let t = text(&run);
    assert_eq!(run.status.code(), Some(0), "{t}");
    assert!(t.contains("项目支出绩效评价指标体系（共性框架示例）") && t.contains("89.6"), "{t}");
    // jixiao system: the outline, the formulas, what it needs; a broken file says what is wrong.
    let t = text(&jixiao(&["system"], &[&example()]));
    assert!(t.contains("三级指标 17 个") && t.contains("资金到位率=实际到位资金 / 计划投入资金 × 100（%）"), "{t}");
    assert!(t.contains("实际到位资金（指标“资金到位率”用）") && t.contains("检查通过"), "{t}");
    let broken = support::temp_dir("systems-broken").join("坏.toml");
    let src = std::fs::read_to_string(example())
        .unwrap()
        .replace(
            "weight = 15\nexplanation = \"项目实施的实际产出数",
            "weight = 14\nexplanation = \"项目实施的实际产出数",
        )
        .replace("formula = \"实际到位资金 / 计划投入资金 × 100\"", "formula = \"实际到位资金 / (计划投入资金\"");
    std::fs::write(&broken, src).unwrap();
    let run = jixiao(&["system"], &[&broken]);
    let t = text(&run);
    assert_eq!(run.status.code(), Some(1), "{t}");
    assert!(t.contains("公式“实际到位资金 / (计划投入资金”无法识别（括号不成对）"), "{t}");
    // init --system FILE names the file in 项目信息 and pre-lists its 事实.
    let case = support::temp_dir("systems-init");
    copy_example(&case);
    let run = jixiao(&["init", "--system"], &[&case.join("project-expenditure.toml"), &case]);
    assert!(run.status.success(), "{}", text(&run));
    use calamine::{open_workbook, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(case.join("评价底稿.xlsx")).unwrap();
    let info = wb.worksheet_range("项目信息").unwrap();
    let row = info.rows().find(|r| r[0] == "指标体系").unwrap();
    assert_eq!(row[1].to_string(), "project-expenditure.toml");
    let facts = wb.worksheet_range("事实").unwrap();
    assert!(facts.rows().any(|r| r[0] == "计划成本"));
}
