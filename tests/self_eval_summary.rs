//! Another bureau's 自评表: the 总分 in a cell merged across the value
//! columns (`C30:I30`-like), and the summary sheet it publishes beside the
//! forms (序号 / 项目名称 / 资金使用单位 / 自评得分 / 自评等级) read and
//! cross-checked with each form's 总分 — names matched even when they differ
//! slightly, and said so.

mod support;

use std::path::Path;

use jixiao::ingest::ingest_path;
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use support::d;

/// One 项目支出绩效自评表 on its own sheet: a 预算执行 block, three
/// indicators, and the 总分 merged over C..I (`C11:I11`), as a number or as text.
fn form(ws: &mut Worksheet, project: &str, scores: [f64; 3], total: Total) {
    let f = Format::new();
    ws.merge_range(0, 0, 0, 8, "项目支出绩效自评表", &f).unwrap();
    ws.merge_range(1, 0, 1, 8, "（2024年度）", &f).unwrap();
    ws.write_string(2, 0, "项目名称").unwrap();
    ws.merge_range(2, 1, 2, 8, project, &f).unwrap();
    ws.write_string(3, 0, "主管部门").unwrap();
    ws.merge_range(3, 1, 3, 4, "某县农业农村局", &f).unwrap();
    ws.write_string(3, 5, "实施单位").unwrap();
    ws.merge_range(3, 6, 3, 8, "某县农业农村局", &f).unwrap();
    ws.write_string(4, 0, "项目预算执行情况（10分）").unwrap();
    let funds = ["年初预算数", "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"];
    for (c, h) in funds.iter().enumerate() {
        ws.write_string(4, 3 + c as u16, *h).unwrap();
    }
    ws.merge_range(5, 1, 5, 2, "年度资金总额", &f).unwrap();
    for (c, v) in [(3, 120.0), (4, 100.0), (5, 100.0), (6, 10.0), (8, 10.0)] {
        ws.write_number(5, c, v).unwrap();
    }
    ws.write_string(5, 7, "100.00%").unwrap();
    let header = [
        "年度绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值(A)",
        "实际完成指标值(B)",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(6, c as u16, *h).unwrap();
    }
    let rows = [
        ("产出指标", "数量指标", "培训人数", "≥100人", "120人", 40.0),
        ("效益指标", "社会效益指标", "技术普及率", "≥90%", total.rate, 30.0),
        ("满意度指标", "服务对象满意度指标", "农户满意度", "≥90%", "95%", 20.0),
    ];
    for (i, (l1, l2, name, a, b, w)) in rows.iter().enumerate() {
        let r = 7 + i as u32;
        for (c, t) in [(1, l1), (2, l2), (3, name), (4, a), (5, b)] {
            ws.write_string(r, c, *t).unwrap();
        }
        ws.write_number(r, 6, *w).unwrap();
        ws.write_number(r, 7, scores[i]).unwrap();
    }
    ws.merge_range(10, 0, 10, 1, "总分", &f).unwrap();
    ws.merge_range(10, 2, 10, 8, "", &f).unwrap();
    match total.printed {
        Ok(n) => ws.write_number(10, 2, n).unwrap(),
        Err(t) => ws.write_string(10, 2, t).unwrap(),
    };
    ws.merge_range(11, 0, 11, 1, "自评等级", &f).unwrap();
    ws.merge_range(11, 2, 11, 8, "优", &f).unwrap();
}

/// A form's 技术普及率 actual and its printed 总分 (a number, or text).
struct Total {
    rate: &'static str,
    printed: Result<f64, &'static str>,
}

/// The summary sheet as published beside the forms: no known title, its
/// header 序号 / 项目名称 / 资金使用单位 / 自评得分 / 自评等级.
fn summary(ws: &mut Worksheet) {
    let f = Format::new();
    ws.merge_range(0, 0, 0, 4, "2024年度项目支出绩效自评得分情况", &f).unwrap();
    for (c, h) in ["序号", "项目名称", "资金使用单位", "自评得分", "自评等级"].iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    let rows = [
        (1.0, "农业技术推广培训项目", "某县农业农村局", 100.0, "优"),
        (2.0, "高标准农田建设", "某县农业农村局", 96.0, "优"),
    ];
    for (i, (n, name, unit, score, grade)) in rows.iter().enumerate() {
        let r = 2 + i as u32;
        ws.write_number(r, 0, *n).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        ws.write_string(r, 2, *unit).unwrap();
        ws.write_number(r, 3, *score).unwrap();
        ws.write_string(r, 4, *grade).unwrap();
    }
}

fn workbook(path: &Path) {
    let mut wb = Workbook::new();
    summary(wb.add_worksheet().set_name("汇总").unwrap());
    let full = Total { rate: "92%", printed: Ok(100.0) };
    form(wb.add_worksheet().set_name("培训").unwrap(), "农业技术推广培训", [40.0, 30.0, 20.0], full);
    // 85.5/90 × 30 = 28.5: the form scored by its printed rule, 总分 98.5 as text.
    let short = Total { rate: "85.5%", printed: Err("98.5分") };
    form(wb.add_worksheet().set_name("农田").unwrap(), "高标准农田建设项目", [40.0, 28.5, 20.0], short);
    wb.save(path).unwrap();
}

#[test]
fn a_merged_total_is_read_and_the_summary_sheet_cross_checked() {
    let dir = support::temp_dir("self-eval-summary");
    workbook(&dir.join("2024年度项目支出绩效自评表.xlsx"));
    let case = ingest_path(&dir);
    assert!(case.problems.is_empty(), "{:#?}", case.problems);
    let totals: Vec<(String, Option<rust_decimal::Decimal>, Option<String>)> = case
        .project_self_evals
        .iter()
        .map(|e| {
            let v = e.stated_total.as_ref();
            (e.project.clone(), v.and_then(|v| v.value.number()), v.map(|v| v.at.to_string()))
        })
        .collect();
    let at = |sheet: &str| Some(format!("2024年度项目支出绩效自评表.xlsx › {sheet} › C11"));
    assert_eq!(
        totals,
        [
            ("农业技术推广培训".to_string(), Some(d("100")), at("培训")),
            ("高标准农田建设项目".to_string(), Some(d("98.5")), at("农田")),
        ],
        "the 总分 merged over C11:I11 read from its first cell"
    );
    assert_eq!(case.tables_of(jixiao::model::TableKind::SelfEvalSummary).count(), 1, "the summary sheet recognised");
    let report = jixiao::check::check(&case);
    let rechecked: Vec<_> = report.rechecks.iter().map(|r| (r.stated_total, r.total)).collect();
    assert_eq!(rechecked, [(Some(d("100")), d("100")), (Some(d("98.5")), d("98.5"))]);
    let summary: Vec<(String, Vec<String>)> = report
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("recheck.summary"))
        .map(|f| {
            assert_eq!(f.severity, jixiao::model::Severity::Note, "{}", f.message);
            (format!("{} {}", f.rule, f.message), f.cells.iter().map(|c| format!("{} {}", c.sheet, c.cell())).collect())
        })
        .collect();
    let s = |t: &str, cells: &[&str]| (t.to_string(), cells.iter().map(|c| c.to_string()).collect::<Vec<_>>());
    assert_eq!(
        summary,
        [
            s(
                "recheck.summary_name 汇总表的项目“农业技术推广培训项目”与自评表（2024年度项目支出绩效自评表.xlsx › 培训）的项目名称“农业技术推广培训”不完全一致，已按同一项目对照；请统一名称。",
                &["汇总 B3", "培训 B3"],
            ),
            s(
                "recheck.summary_name 汇总表的项目“高标准农田建设”与自评表（2024年度项目支出绩效自评表.xlsx › 农田）的项目名称“高标准农田建设项目”不完全一致，已按同一项目对照；请统一名称。",
                &["汇总 B4", "农田 B3"],
            ),
            s(
                "recheck.summary_total 汇总表中“高标准农田建设”自评 96 分，其自评表（“高标准农田建设项目”）总分为 98.5 分。",
                &["汇总 D4", "农田 C11"],
            ),
        ]
    );
}
