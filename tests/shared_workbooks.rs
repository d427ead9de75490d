//! The bureau-style workbooks in `../shared/workbooks/`, made independently
//! of this code, read as they are. Figures from that folder's README.

mod support;

use jixiao::ingest::ingest_path;
use jixiao::model::{Case, RowKind, TableKind};
use support::d;

fn shared(case: &str) -> Option<Case> {
    let dir = support::root().join("../shared/workbooks").join(case);
    if !dir.is_dir() {
        // CI always has shared/ beside the clone; only a bare checkout may lack it.
        assert!(std::env::var_os("CI").is_none(), "{} is missing on CI", dir.display());
        eprintln!("skipped: {} is not there", dir.display());
        return None;
    }
    Some(ingest_path(&dir))
}

fn no_errors(case: &Case) {
    let errors: Vec<String> =
        case.problems.iter().filter(|p| p.severity == jixiao::model::Severity::Error).map(|p| p.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn zaozhuang_budget_tables() {
    let Some(case) = shared("zaozhuang-shizhong-2024") else {
        return;
    };
    no_errors(&case);
    use TableKind::*;
    for k in [
        Budget01, Budget02, Budget03, Budget04, Budget05, Budget06, Budget07, Budget08, Budget09, Budget10, Budget11,
        Budget12,
    ] {
        assert_eq!(case.tables_of(k).count(), 1, "{k:?}");
    }
    let total = |k: TableKind, col: &[&str]| {
        let t = case.tables_of(k).next().unwrap();
        t.main().total().unwrap().amount(t.column(col).unwrap())
    };
    assert_eq!(total(Budget02, &["合计"]), d("12847.65"));
    assert_eq!(total(Budget02, &["一般公共预算"]), d("12847.65"));
    assert_eq!(total(Budget03, &["合计"]), d("12847.65"));
    assert_eq!(total(Budget03, &["基本支出"]), d("477.75"));
    assert_eq!(total(Budget03, &["项目支出"]), d("12369.90"));
    assert_eq!(total(Budget05, &["合计"]), d("12847.65"));
    assert_eq!(total(Budget05, &["人员支出"]), d("459.42"));
    assert_eq!(total(Budget05, &["日常公用支出"]), d("18.33"));
    assert_eq!(total(Budget06, &["小计"]), d("477.75"));
    assert_eq!(total(Budget10, &["合计"]), d("477.75"));
    assert_eq!(total(Budget11, &["合计"]), d("12369.90"));
    // by 类
    let t5 = case.tables_of(Budget05).next().unwrap();
    for (code, amount) in [("208", "65.17"), ("210", "12746.17"), ("221", "36.31")] {
        assert_eq!(t5.main().row_by_code(code).unwrap().amount(0), d(amount), "{code}");
    }
    // 表三's printed quirk: 款 99 written in the 项 column, read literally.
    let t3 = case.tables_of(Budget03).next().unwrap();
    assert_eq!(t3.main().rows.iter().filter(|r| r.code.as_deref() == Some("2101699")).count(), 2);
    // 三公 2023 / 2024.
    let t7 = case.tables_of(Budget07).next().unwrap();
    let row = &t7.main().rows[0];
    assert_eq!(row.amount(t7.column(&["2023", "合计"]).unwrap()), d("0.24"));
    assert_eq!(row.amount(t7.column(&["2024", "合计"]).unwrap()), d("0.27"));
    // 表一's two sides.
    let t1 = case.tables_of(Budget01).next().unwrap();
    assert_eq!(t1.block("收入").unwrap().row_by_label("收入总计").unwrap().amount(0), d("12847.65"));
    assert_eq!(t1.block("支出").unwrap().row_by_label("支出总计").unwrap().amount(0), d("12847.65"));
    // The year comes from the tables themselves (三公 columns say 2024年预算数).
    assert_eq!(t5.year, Some(2024));
    // Empty tables: 合计 only, with their 注.
    for k in [Budget08, Budget09, Budget12] {
        let t = case.tables_of(k).next().unwrap();
        assert!(t.main().rows.iter().all(|r| r.kind == RowKind::Total), "{k:?}");
        assert!(t.notes.iter().any(|n| n.starts_with("注")), "{k:?} note");
    }
    // 表十一 projects.
    let t11 = case.tables_of(Budget11).next().unwrap();
    let c = t11.column(&["合计"]).unwrap();
    for (name, amount) in [
        ("业务经费", "18.00"),
        ("医疗救助资金", "2389.00"),
        ("城乡居民区级配套资金", "5518.66"),
        ("居民长护", "345.15"),
        ("劳模津贴补助", "0.06"),
    ] {
        assert_eq!(t11.main().row_by_label(name).unwrap().amount(c), d(amount), "{name}");
    }
    let t = t11.main().row_by_label("业务经费").unwrap();
    assert_eq!(t.text(t11.column(&["项目类型"]).unwrap()), Some("其他运转类"));
}

#[test]
fn zaozhuang_targets() {
    let Some(case) = shared("zaozhuang-shizhong-2024") else {
        return;
    };
    assert_eq!(case.project_targets.len(), 9);
    let names: Vec<&str> = case.project_targets.iter().map(|p| p.project.as_str()).collect();
    assert_eq!(names[0], "居民长护");
    assert!(names.contains(&"医保智能监管及医保经办业务标准化示范窗口业务经费"));
    assert!(names.contains(&"业务经费"));
    for p in &case.project_targets {
        assert!(!p.indicators.is_empty(), "{}", p.project);
        for i in &p.indicators {
            assert!(
                !matches!(
                    i.target.kind,
                    jixiao::model::TargetKind::Malformed { .. } | jixiao::model::TargetKind::Empty
                ),
                "{} {}: {:?}",
                p.project,
                i.name,
                i.target
            );
        }
    }
    let rescue = case.project_targets.iter().find(|p| p.project == "医疗救助资金").unwrap();
    assert_eq!(rescue.code.as_deref(), Some("370402241809040600014"));
    let cost = &rescue.indicators[0];
    assert_eq!(
        (cost.level1.as_str(), cost.level2.as_str(), cost.target.text.as_str()),
        ("成本指标", "经济成本指标", "≥18200人次")
    );
    assert!(!cost.target.is_money());
    let strategic = case.tables_of(TableKind::StrategicTargets).next().unwrap();
    assert_eq!(strategic.main().rows.len(), 13);
    let overall = case.tables_of(TableKind::OverallTargets).next().unwrap();
    assert_eq!(overall.main().rows.len(), 13);
}

#[test]
fn gaoyi_department_self_evaluation() {
    let Some(case) = shared("gaoyi-2021") else {
        return;
    };
    no_errors(&case);
    let e = &case.dept_self_evals[0];
    assert_eq!(e.department.as_deref(), Some("高邑县医疗保障局"));
    assert_eq!(e.budget.as_ref().unwrap().value.number(), Some(d("3686.55")));
    assert_eq!(e.spent.as_ref().unwrap().value.number(), Some(d("3686.23")));
    assert_eq!(e.budget_fiscal.as_ref().unwrap().value.number(), Some(d("3686.55")));
    assert_eq!(e.spent_fiscal.as_ref().unwrap().value.number(), Some(d("3686.23")));
    assert_eq!(e.execution_rate.as_ref().unwrap().value.number(), Some(d("0.9999")));
    assert_eq!(e.indicators.len(), 29);
    let by_level1 = |name: &str| -> (rust_decimal::Decimal, rust_decimal::Decimal) {
        e.indicators.iter().filter(|i| i.level1.starts_with(name)).fold((d("0"), d("0")), |(w, s), i| {
            (
                w + i.weight.as_ref().unwrap().value.amount_or_zero(),
                s + i.score.as_ref().unwrap().value.amount_or_zero(),
            )
        })
    };
    assert_eq!(by_level1("投入"), (d("20"), d("20")));
    assert_eq!(by_level1("过程"), (d("40"), d("40")));
    assert_eq!(by_level1("产出"), (d("25"), d("24.5")));
    assert_eq!(by_level1("效果"), (d("15"), d("12.5")));
    assert_eq!(e.indicators[0].level1_weight, Some(d("20")));
    assert_eq!(e.indicators[0].level2, "绩效目标指标管理");
    assert_eq!(e.indicators[0].level2_weight, Some(d("10")));
    assert_eq!(e.total_weight.as_ref().unwrap().value.number(), Some(d("100")));
    assert_eq!(e.total_score.as_ref().unwrap().value.number(), Some(d("97")));
    assert!(e.deviation.is_some());
    let list = case.tables_of(TableKind::DeptSelfEvalProjects).next().unwrap();
    assert_eq!(list.main().rows.len(), 19);
    let (cb, cs) = (list.column(&["预算数"]).unwrap(), list.column(&["执行数"]).unwrap());
    let sum = |c| list.main().rows.iter().map(|r| r.amount(c)).sum::<rust_decimal::Decimal>();
    assert_eq!(sum(cb), d("3528.45"));
    assert_eq!(sum(cs), d("3528.45"));
}
