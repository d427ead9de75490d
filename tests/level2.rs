//! `score.level2` — each 二级's weight, score (the sum of its indicators),
//! 得分率 and indicators — and its tables (`@table level2`, `@table
//! level2-<一级名>`), checked on the 枣庄 sample against figures computed
//! by hand from its 得分表; scores and rates print with two decimals.

mod support;

use jixiao::assemble::Evaluation;
use jixiao::render::report::blocks::Block;
use jixiao::render::report::{blocks, render, Options};
use rust_decimal::Decimal;
use support::d;

fn zaozhuang() -> Evaluation {
    let case = jixiao::ingest::ingest_path(&support::root().join("sample-workbooks/zaozhuang-shizhong-2024"));
    let checks = jixiao::check::check(&case);
    let scored = jixiao::score::score(&case, &checks).expect("a valid working paper");
    jixiao::assemble::assemble(&case, &checks, &scored)
}

fn texts(row: &[jixiao::assemble::report_table::Cell]) -> Vec<&str> {
    row.iter().map(|c| c.text.as_str()).collect()
}

#[test]
fn level2_subtotals_of_zaozhuang() {
    let eval = zaozhuang();
    let l2 = &eval.score.level2;
    assert_eq!(l2.len(), 13, "2 + 7 + 1 + 2 + 1 二级 as seed 000 lists them");
    let total: Decimal = l2.iter().map(|l| l.score.unwrap()).sum();
    assert_eq!(total, d("82.03"));
    assert_eq!(eval.score.total.unwrap().to_string(), "82.03");
    let find = |name: &str| l2.iter().find(|l| l.name == name).unwrap();
    // 财会管理: 3 indicators, 8 points, 2 lost.
    let fin = find("财会管理");
    assert_eq!((fin.level1.as_str(), fin.indicators.len()), ("预算管理", 3));
    assert_eq!(
        (fin.weight.to_string(), fin.score.unwrap().to_string(), fin.rate.unwrap().to_string()),
        ("8.00".into(), "6.00".into(), "75.00".into())
    );
    let asset = find("资产管理");
    assert_eq!((asset.score.unwrap().to_string(), asset.rate.unwrap().to_string()), ("4.20".into(), "84.00".into()));
    let policy = find("政策和项目绩效情况");
    assert_eq!((policy.weight, policy.score.unwrap()), (d("20"), d("15.33")));
    assert_eq!(find("绩效管理").rate.unwrap().to_string(), "83.33");
    // Each 一级's 二级 add up to its subtotal.
    for l1 in &eval.score.level1 {
        let sum: Decimal = l2.iter().filter(|l| l.level1 == l1.name).map(|l| l.score.unwrap()).sum();
        assert_eq!(sum, l1.score.unwrap(), "{}", l1.name);
        let weight: Decimal = l2.iter().filter(|l| l.level1 == l1.name).map(|l| l.weight).sum();
        assert_eq!(weight, l1.weight, "{}", l1.name);
    }
    // The JSON carries scores with two decimals.
    let json = serde_json::to_value(&eval).unwrap();
    assert_eq!(json["score"]["total"], "82.03");
    let first = &json["score"]["level2"][1];
    assert_eq!(
        (first["name"].as_str(), first["weight"].as_str(), first["score"].as_str()),
        (Some("运行成本"), Some("2.00"), Some("1.00"))
    );
}

#[test]
fn level2_tables_print_two_decimals() {
    let eval = zaozhuang();
    let t = eval.table("level2-预算管理").expect("a table per 一级");
    assert_eq!(texts(&t.header[0]), ["二级指标", "分值", "得分", "得分率"]);
    assert_eq!(texts(&t.rows[3]), ["财会管理", "8.00", "6.00", "75.00%"]);
    assert_eq!(texts(t.rows.last().unwrap()), ["合计", "28.00", "21.20", "75.71%"]);
    let all = eval.table("level2").expect("one table of every 二级");
    assert_eq!(all.rows.len(), 14);
    assert_eq!(texts(&all.rows[0]), ["财政资源配置", "预算安排与部门职能匹配度", "10.00", "10.00", "100.00%"]);
    assert_eq!(texts(all.rows.last().unwrap()), ["合计", "100.00", "82.03", "82.03%"]);
    // The other score tables print the same way.
    let t31 = eval.table("3-1").unwrap();
    assert_eq!(texts(t31.rows.last().unwrap()), ["合计", "100.00", "82.03", "82.03%"]);
    let a2 = eval.table("annex2").unwrap();
    let (total, body) = a2.rows.split_last().unwrap();
    assert!(body.iter().all(|r| r[3].text.split_once('.').is_some_and(|(_, f)| f.len() == 2)), "{:?}", body[0]);
    assert_eq!(total[1].text, "82.03");
}

#[test]
fn a_template_places_level2_tables() {
    let eval = zaozhuang();
    let dir = support::temp_dir("level2-templates");
    std::fs::write(
        dir.join("chapter3.j2"),
        "# 三、评价结论\n{% for l1 in score.level1 %}\n@caption 表{{ loop.index + 6 }} {{ l1.name }}指标得分情况\n@table level2-{{ l1.name }}\n{% endfor %}\n@table level2\n",
    )
    .unwrap();
    let options = Options { template_dirs: vec![dir], ..Options::default() };
    let placed: Vec<String> = blocks(&eval, &options)
        .unwrap()
        .into_iter()
        .filter_map(|b| match b {
            Block::Table(name) if name.starts_with("level2") => Some(name),
            _ => None,
        })
        .collect();
    assert_eq!(placed.len(), 6);
    assert!(placed.contains(&"level2-部门履职效能".to_string()));
    let docx = render(&eval, &options).unwrap();
    let path = support::temp_dir("level2-docx").join("report.docx");
    std::fs::write(&path, docx.bytes).unwrap();
    let text = support::docx_text(&path);
    assert!(text.contains("表8 预算管理指标得分情况"), "{text}");
    assert!(text.contains("75.71%"));
    assert!(text.contains("15.33"));
}
