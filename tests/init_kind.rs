//! `jixiao init --kind`: the paper of a report kind — its 项目信息 rows,
//! the texts its templates print, its system's 事实, data tables and
//! 单位数据, and the 发现 dropdown with the indicators generated from the
//! project's targets. Read back with calamine (cells) and from the sheet
//! XML (data validations, which calamine does not read).

mod support;

use std::io::Read;
use std::path::Path;

use calamine::{open_workbook, Reader, Xlsx};
use support::{jixiao, text};

fn init(dir: &Path, args: &[&str]) {
    let mut all = vec!["init"];
    all.extend_from_slice(args);
    let run = jixiao(&all, &[dir]);
    assert!(run.status.success(), "{}", text(&run));
}

/// A sheet's rows as text.
fn rows(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap_or_else(|e| panic!("{sheet}: {e}"));
    range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

/// Column `col` of 下拉选项, below its header.
fn list(path: &Path, col: usize) -> Vec<String> {
    rows(path, "下拉选项").iter().skip(1).filter_map(|r| r.get(col).cloned()).filter(|v| !v.is_empty()).collect()
}

/// The `<dataValidation>` elements of the sheet named `sheet`.
fn validations(path: &Path, sheet: &str) -> Vec<String> {
    let names: Vec<String> = open_workbook::<Xlsx<_>, _>(path).unwrap().sheet_names();
    let n = names.iter().position(|s| s == sheet).unwrap() + 1;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name(&format!("xl/worksheets/sheet{n}.xml")).unwrap().read_to_string(&mut xml).unwrap();
    xml.split("<dataValidation ").skip(1).map(|v| v.split("</dataValidation>").next().unwrap().to_string()).collect()
}

fn first_column(path: &Path, sheet: &str) -> Vec<String> {
    rows(path, sheet).iter().skip(1).map(|r| r[0].clone()).filter(|v| !v.is_empty()).collect()
}

#[test]
fn init_kind_project_writes_the_project_paper() {
    let dir = support::temp_dir("init-kind-project");
    init(&dir, &["--kind", "项目支出绩效评价"]);
    let paper = dir.join("评价底稿.xlsx");
    let info = rows(&paper, "项目信息");
    let value = |k: &str| info.iter().find(|r| r[0] == k).map(|r| r.get(1).cloned().unwrap_or_default());
    assert_eq!(value("报告类型").as_deref(), Some("项目支出绩效评价"));
    assert_eq!(value("评价项目").as_deref(), Some(""), "a 评价项目 row: {info:?}");
    // The kind brings its system: the paper names none.
    assert_eq!(value("指标体系").as_deref(), Some(""));
    // 报告类型 has a dropdown of the kinds (a warning only: a folder may be typed).
    assert_eq!(list(&paper, 5), ["部门整体支出绩效评价", "部门整体支出绩效自评", "项目支出绩效评价"]);
    let kind_list = validations(&paper, "项目信息");
    assert!(
        kind_list.iter().any(|v| v.contains("下拉选项!$F$2:$F$4") && v.contains("errorStyle=\"warning\"")),
        "{kind_list:?}"
    );
    // The texts the project templates print, not the department's.
    let texts = first_column(&paper, "文字");
    for t in ["立项背景", "项目内容", "组织实施", "项目总体目标", "主要绩效", "主要成效及做法"]
    {
        assert!(texts.iter().any(|x| x == t), "{t} in {texts:?}");
    }
    assert!(!texts.iter().any(|x| x == "部门主要职责"), "{texts:?}");
    // Without the project's 自评表 the generated indicators cannot be
    // named: the listed ones are offered, and other names are a warning.
    let indicators = list(&paper, 0);
    assert!(!indicators.is_empty() && !indicators.iter().any(|i| i.contains("生成")), "{indicators:?}");
    let found = validations(&paper, "发现");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("errorStyle=\"warning\"") && found[0].contains("按评价项目的绩效目标生成"), "{found:?}");
    assert!(found[0].contains(&format!("下拉选项!$A$2:$A${}", indicators.len() + 1)), "{found:?}");
}

#[test]
fn init_kind_project_lists_the_generated_indicators() {
    let dir = support::temp_dir("init-kind-project-targets");
    for (name, src) in support::sample_sources("project-yiliaojiuzhu-2024") {
        if name != "评价底稿.xlsx" {
            support::write(&src, &dir.join(&name), &support::Variant::default());
        }
    }
    init(&dir, &["--kind", "项目支出绩效评价"]);
    let paper = dir.join("评价底稿.xlsx");
    let info = rows(&paper, "项目信息");
    let project = info.iter().find(|r| r[0] == "评价项目").map(|r| r[1].clone()).unwrap();
    assert!(project.contains("医疗救助"), "{project}");
    let indicators = list(&paper, 0);
    // The 13 listed by project-common, the two placeholders replaced by one
    // indicator per 产出/效益 target of the 自评表.
    assert!(indicators.len() > 13, "{indicators:?}");
    assert!(indicators.iter().any(|i| i == "资金到位率"), "{indicators:?}");
    let found = validations(&paper, "发现");
    assert!(!found[0].contains("errorStyle"), "a stop when every name is listed: {found:?}");
    assert!(found[0].contains(&format!("下拉选项!$A$2:$A${}", indicators.len() + 1)), "{found:?}");
    // `check` finds the kind and the project from the paper alone.
    let check = jixiao(&["check"], &[&dir]);
    assert!(!text(&check).contains("没有报告类型"), "{}", text(&check));
}

#[test]
fn init_kind_folder_writes_the_fund_paper() {
    let dir = support::temp_dir("init-kind-fund");
    let kind = support::root().join("templates/kinds/examples/基金评价");
    init(&dir, &["--kind", kind.to_str().unwrap()]);
    let paper = dir.join("评价底稿.xlsx");
    let info = rows(&paper, "项目信息");
    assert!(info.iter().any(|r| r[0] == "报告类型" && r[1] == "基金评价"), "{info:?}");
    assert!(!info.iter().any(|r| r[0] == "评价项目"), "{info:?}");
    assert_eq!(list(&paper, 5).last().map(String::as_str), Some("基金评价"));
    assert_eq!(first_column(&paper, "文字"), ["基金概况"]);
    assert_eq!(list(&paper, 0), ["基金管理规范性", "基金收支平衡", "参保率"]);
    // Data-table references are typed on their 表： sheets, not as 事实.
    let facts = first_column(&paper, "事实");
    assert!(!facts.iter().any(|f| f.contains('[')), "{facts:?}");
    assert_eq!(rows(&paper, "表：基金收支"), [vec!["项目", "本年支出", "本年收入"], vec!["合计", "", ""]]);
    assert_eq!(rows(&paper, "表：参保人数")[0], ["项目", "实际参保", "应参保"]);
    // No unit_share rule: no 单位数据 sheet, but the 说明 documents it.
    let names: Vec<String> = open_workbook::<Xlsx<_>, _>(&paper).unwrap().sheet_names();
    assert!(!names.iter().any(|n| n == "单位数据"), "{names:?}");
    assert!(first_column(&paper, "说明").iter().any(|s| s == "单位数据"));
}

#[test]
fn init_writes_the_units_sheet_a_system_reads() {
    let dir = support::temp_dir("init-units");
    let system = dir.join("units.toml");
    std::fs::write(
        &system,
        "name = \"按单位\"\n[[level1]]\nname = \"产出\"\nweight = 100\n[[indicator]]\nlevel1 = \"产出\"\nlevel2 = \"覆盖\"\nname = \"DRG覆盖率\"\nweight = 100\n[[indicator.rule]]\nfamily = \"unit_share\"\ncolumn = \"DRG付费率\"\nat_least = 90\n",
    )
    .unwrap();
    init(&dir, &["--system", system.to_str().unwrap()]);
    let paper = dir.join("评价底稿.xlsx");
    assert_eq!(rows(&paper, "单位数据"), [vec!["单位", "DRG付费率"]]);
}

#[test]
fn system_counts_generated_indicators_and_data_tables() {
    let run = jixiao(&["system", "project-common"], &[]);
    let out = text(&run);
    assert!(out.contains("三级指标 11 个，另按评价项目的绩效目标生成产出、效益的三级指标（每个目标一个）"), "{out}");
    assert!(out.contains("产出（40分）：按评价项目的绩效目标生成三级指标（每个目标一个）"), "{out}");
    assert!(!out.contains("1 个三级指标"), "{out}");
    let fund = support::root().join("templates/kinds/examples/基金评价/fund-system.toml");
    let out = text(&jixiao(&["system"], &[&fund]));
    assert!(out.contains("数据表（4 项）\n  基金收支.本年支出[合计]"), "{out}");
    assert!(!out.contains("事实（"), "{out}");
}

#[test]
fn check_asks_for_a_data_table_cell_on_its_sheet() {
    let dir = support::temp_dir("init-kind-fund-check");
    let kind = support::root().join("templates/kinds/examples/基金评价");
    init(&dir, &["--kind", kind.to_str().unwrap()]);
    let out = text(&jixiao(&["check", "--kind", kind.to_str().unwrap()], &[&dir]));
    assert!(out.contains("数据表“基金收支”的“本年支出”（合计行）"), "{out}");
    assert!(out.contains("› 表：基金收支 的“合计”行“本年支出”列填写数字"), "{out}");
    assert!(!out.contains("事实“基金收支"), "{out}");
}

#[test]
fn init_with_a_project_system_writes_the_project_paper() {
    let dir = support::temp_dir("init-project-system");
    init(&dir, &["--system", "project-common"]);
    let paper = dir.join("评价底稿.xlsx");
    let info = rows(&paper, "项目信息");
    assert!(info.iter().any(|r| r[0] == "报告类型" && r[1] == "项目支出绩效评价"), "{info:?}");
    assert!(info.iter().any(|r| r[0] == "指标体系" && r[1].contains("项目支出")), "{info:?}");
    assert!(info.iter().any(|r| r[0] == "评价项目"), "{info:?}");
    assert!(first_column(&paper, "文字").iter().any(|t| t == "立项背景"));
}
