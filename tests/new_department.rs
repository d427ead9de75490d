//! A new department, first try: a folder holding only its budget workbook
//! and the blank working paper `jixiao init` writes. The first `check`
//! lists everything the evaluation still needs — tables by year, every 事实
//! with its indicator, 项目信息, 问卷 and sampled projects — at once, and
//! `init --system` names the system and pre-lists its 事实.

mod support;

use std::path::PathBuf;

use calamine::{open_workbook, Reader, Xlsx};
use support::{jixiao, text};

/// The independent bureau workbook when it is beside the clone, else the
/// sample's budget workbook (the same tables).
fn budget_workbook() -> PathBuf {
    let shared = support::root().join("../shared/workbooks/zaozhuang-shizhong-2024/预算公开表.xlsx");
    if shared.is_file() {
        shared
    } else {
        eprintln!("../shared/workbooks is not there: using the sample's budget workbook");
        support::root().join("sample-workbooks/zaozhuang-shizhong-2024/2024年部门预算公开表.xlsx")
    }
}

fn new_case(name: &str, args: &[&str]) -> PathBuf {
    let dir = support::temp_dir(name);
    std::fs::copy(budget_workbook(), dir.join("预算公开表.xlsx")).unwrap();
    let mut init = vec!["init"];
    init.extend_from_slice(args);
    let run = jixiao(&init, &[&dir]);
    assert!(run.status.success(), "{}", text(&run));
    dir
}

fn listed(out: &str, group: &str) -> Vec<String> {
    let mut lines = out.lines().skip_while(|l| !l.starts_with(group)).skip(1);
    let mut items = Vec::new();
    for l in lines.by_ref() {
        match l.strip_prefix("  ") {
            Some(item) => items.push(item.split('：').next().unwrap().to_string()),
            None => break,
        }
    }
    items
}

#[test]
fn the_first_check_lists_everything_missing_at_once() {
    let dir = new_case("new-department-first-check", &[]);
    let run = jixiao(&["check"], &[&dir]);
    let out = text(&run);
    assert_eq!(run.status.code(), Some(1), "missing inputs block scoring: {out}");
    assert!(out.contains("评分和报告尚缺 33 项输入（一次列全）"), "{out}");
    assert_eq!(
        listed(&out, "缺表"),
        [
            "财政拨款“三公”经费支出决算表（公开09表）",
            "一般公共预算财政拨款基本支出决算明细表（公开06表）",
            "上年 财政拨款“三公”经费支出决算表（公开09表）",
            "上年 一般公共预算财政拨款基本支出决算明细表（公开06表）",
            "支出决算表（公开03表）",
        ]
    );
    let facts: Vec<String> = listed(&out, "缺事实").iter().map(|f| f.trim_start_matches("事实").to_string()).collect();
    assert_eq!(
        facts,
        [
            "“年中调剂金额”",
            "“全年预算数”",
            "“6月底支出”",
            "“9月底支出”",
            "“11月底支出”",
            "“本年闲置资产”",
            "“本年资产总额”",
            "“上年闲置资产”",
            "“上年资产总额”",
            "“在用固定资产”",
            "“固定资产总额”",
            "“60岁以上城乡居民实际参保人数”",
            "“60岁以上城乡居民应参保人数”",
            "“城乡居民实际参保人数”",
            "“城乡居民应参保人数”",
            "“离休伤残医疗补助实际人数”",
            "“离休伤残医疗补助计划人数”",
            "“高质量发展等级”",
        ]
    );
    assert_eq!(listed(&out, "缺项目信息").len(), 7, "{out}");
    assert_eq!(listed(&out, "缺其他"), ["复评抽查项目", "实际绩效抽查项目", "问卷数据"]);
    // Each item says who needs it and where to fill it.
    assert!(out.contains(
        "事实“6月底支出”：指标“预算执行进度”用；在 评价底稿.xlsx › 事实 加一行：名称“6月底支出”、数值，单位 万元"
    ));
    // A build says the same list, not one rule at a time.
    let build = jixiao(&["build", "--no-toc-pages", "--out"], &[&dir.join("out"), &dir]);
    let b = text(&build);
    assert_eq!(build.status.code(), Some(1));
    assert!(b.contains("尚缺 33 项输入（一次列全）"), "{b}");
    assert_eq!(b.matches("缺少事实“6月底支出”").count(), 0, "not repeated as a scoring error: {b}");
}

/// Filling the 事实 the paper pre-lists shortens the list to what is left.
#[test]
fn filled_facts_leave_the_list() {
    let dir = support::temp_dir("new-department-partly-filled");
    for (name, src) in support::sample_sources("zaozhuang-shizhong-2024") {
        // The sample case without its 6/9/11月底支出.
        let src = if name == "评价底稿.xlsx" {
            src.lines()
                .filter(|l| {
                    !(l.starts_with("@row 6月底") || l.starts_with("@row 9月底") || l.starts_with("@row 11月底"))
                })
                .collect::<Vec<_>>()
                .join("\n")
                + "\n"
        } else {
            src
        };
        support::write(&src, &dir.join(&name), &support::Variant::default());
    }
    let out = text(&jixiao(&["check"], &[&dir]));
    assert_eq!(listed(&out, "缺事实"), ["事实“6月底支出”", "事实“9月底支出”", "事实“11月底支出”"], "{out}");
    assert!(listed(&out, "缺表").is_empty() && listed(&out, "缺项目信息").is_empty(), "{out}");
}

#[test]
fn init_with_a_system_names_it_and_prelists_its_facts() {
    let dir = new_case("new-department-init-system", &["--system", "hebei-dept-self-eval"]);
    let mut wb: Xlsx<_> = open_workbook(dir.join("评价底稿.xlsx")).unwrap();
    let info = wb.worksheet_range("项目信息").unwrap();
    let row = (0..info.height() as u32)
        .find(|r| info.get_value((*r, 0)).map(|v| v.to_string()) == Some("指标体系".into()))
        .unwrap();
    assert_eq!(info.get_value((row, 1)).unwrap().to_string(), "部门整体支出绩效自评指标体系（河北省）");
    let facts = wb.worksheet_range("事实").unwrap();
    let names: Vec<String> = (1..facts.height() as u32).map(|r| facts.get_value((r, 0)).unwrap().to_string()).collect();
    for metric in ["收入预算完成率", "预算调整率", "结转结余率", "政府采购执行率", "参保计划完成率"]
    {
        assert!(names.iter().any(|n| n == metric), "{metric} pre-listed: {names:?}");
    }
    let note = facts.get_value((1, 3)).unwrap().to_string();
    assert!(note.starts_with("用于指标“"), "{note}");
    // Pre-listed but blank rows are not facts yet: check still asks for them.
    let out = text(&jixiao(&["check"], &[&dir]));
    assert!(out.contains("事实“收入预算完成率”"), "{out}");
}
