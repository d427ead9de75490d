//! The bundled sample case: its workbooks are generated from
//! `tests/sample-source/` and read back with their real figures.
//! `JIXIAO_WRITE_SAMPLE=1 cargo test --test sample_case` rewrites them.

mod support;

use jixiao::ingest::ingest_path;
use jixiao::model::{Case, TableKind};
use support::{d, Variant};

const CASE: &str = "zaozhuang-shizhong-2024";

fn sample_dir() -> std::path::PathBuf {
    support::root().join("sample-workbooks").join(CASE)
}

#[test]
fn committed_samples_match_their_sources() {
    let write = std::env::var_os("JIXIAO_WRITE_SAMPLE").is_some();
    let mut cases: Vec<String> = std::fs::read_dir(support::root().join("tests/sample-source"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert_eq!(cases, ["gaoyi-2021", "project-yiliaojiuzhu-2024", CASE]);
    for case in cases {
        let dir = support::root().join("sample-workbooks").join(&case);
        if write {
            std::fs::create_dir_all(&dir).unwrap();
        }
        for (name, src) in support::sample_sources(&case) {
            let bytes = support::bytes(&src, &Variant::default());
            let path = dir.join(&name);
            if write {
                std::fs::write(&path, &bytes).unwrap();
            } else {
                let committed = std::fs::read(&path).unwrap_or_else(|_| {
                    panic!("{case}/{name} missing: run JIXIAO_WRITE_SAMPLE=1 cargo test --test sample_case")
                });
                assert!(
                    committed == bytes,
                    "{case}/{name} differs from tests/sample-source: regenerate with JIXIAO_WRITE_SAMPLE=1"
                );
            }
        }
    }
}

fn sample() -> Case {
    ingest_path(&sample_dir())
}

fn total(case: &Case, kind: TableKind, year: i32, col: &[&str]) -> rust_decimal::Decimal {
    let t = case.table(kind, Some(year)).unwrap_or_else(|| panic!("{kind:?} {year} not found"));
    let c = t.column(col).unwrap_or_else(|| panic!("{kind:?} column {col:?}"));
    t.main().total().expect("合计 row").amount(c)
}

#[test]
fn every_table_of_the_sample_is_found_without_errors() {
    let case = sample();
    let errors: Vec<String> = case.problems.iter().map(|p| p.to_string()).collect();
    assert!(!case.has_errors(), "{errors:#?}");
    for kind in jixiao::model::CATALOGUE.iter().map(|i| i.kind) {
        use TableKind::*;
        match kind {
            ProjectTargets => assert_eq!(case.project_targets.len(), 9),
            ProjectSelfEval => assert_eq!(case.project_self_evals.len(), 3),
            DeptSelfEval => assert_eq!(case.dept_self_evals.len(), 1),
            WorkingPaper => assert!(case.working_paper.is_some(), "评价底稿"),
            SurveyTally => assert!(case.survey.is_empty(), "the sample keeps its 问卷 in the paper"),
            k if k.is_final() => {
                assert!(case.table(k, Some(2024)).is_some(), "{k:?} 2024");
                assert!(case.table(k, Some(2023)).is_some(), "{k:?} 2023");
            }
            k => assert!(case.tables_of(k).next().is_some(), "{k:?}"),
        }
    }
    for f in &case.files {
        assert!(f.unrecognised_sheets.is_empty(), "{}: {:?}", f.name, f.unrecognised_sheets);
    }
}

#[test]
fn budget_totals_equal_seed_003() {
    let case = sample();
    use TableKind::*;
    assert_eq!(total(&case, Budget03, 2024, &["合计"]), d("12847.65"));
    assert_eq!(total(&case, Budget03, 2024, &["基本支出"]), d("477.75"));
    assert_eq!(total(&case, Budget03, 2024, &["项目支出"]), d("12369.90"));
    assert_eq!(total(&case, Budget02, 2024, &["合计"]), d("12847.65"));
    assert_eq!(total(&case, Budget05, 2024, &["基本支出", "人员支出"]), d("459.42"));
    assert_eq!(total(&case, Budget05, 2024, &["基本支出", "日常公用支出"]), d("18.33"));
    assert_eq!(total(&case, Budget06, 2024, &["小计"]), d("477.75"));
    assert_eq!(total(&case, Budget10, 2024, &["合计"]), d("477.75"));
    assert_eq!(total(&case, Budget11, 2024, &["合计"]), d("12369.90"));
    let projects = case.table(Budget11, Some(2024)).unwrap();
    let c = projects.column(&["合计"]).unwrap();
    let expected = [
        ("业务经费", "18.00"),
        ("医保智能监管及医保经办业务标准化示范窗口业务经费", "30.00"),
        ("医疗救助资金", "2389.00"),
        ("城乡居民区级配套资金", "5518.66"),
        ("60岁以上城乡居民财政代缴", "3569.03"),
        ("重残、孤儿财政代缴", "300.00"),
        ("离休伤残医疗补助", "200.00"),
        ("居民长护", "345.15"),
        ("劳模津贴补助", "0.06"),
    ];
    let rows: Vec<_> = projects.main().rows.iter().filter(|r| r.kind != jixiao::model::RowKind::Total).collect();
    assert_eq!(rows.len(), expected.len());
    for (name, amount) in expected {
        let row = projects.main().rows.iter().find(|r| r.label == name).unwrap_or_else(|| panic!("project {name}"));
        assert_eq!(row.amount(c), d(amount), "{name}");
    }
    // 表一: both sides total 12,847.65.
    let t1 = case.table(Budget01, Some(2024)).unwrap();
    assert_eq!(t1.blocks.len(), 2);
    let income = t1.block("收入").unwrap();
    assert_eq!(income.row_by_label("收入总计").unwrap().amount(0), d("12847.65"));
    let spending = t1.block("支出").unwrap();
    assert_eq!(spending.row_by_label("支出总计").unwrap().amount(0), d("12847.65"));
    // 三公: 2023 0.24, 2024 0.27.
    let t7 = case.table(Budget07, Some(2024)).unwrap();
    let row = &t7.main().rows[0];
    assert_eq!(row.amount(t7.column(&["2023", "合计"]).unwrap()), d("0.24"));
    assert_eq!(row.amount(t7.column(&["2024", "公务接待费"]).unwrap()), d("0.27"));
    // Split codes rebuilt: 2101501 行政运行 346.24 in 表五.
    let t5 = case.table(Budget05, Some(2024)).unwrap();
    assert_eq!(t5.main().row_by_code("2101501").unwrap().amount(0), d("346.24"));
    assert_eq!(t5.main().row_by_code("21015").unwrap().amount(0), d("394.30"));
    // 表六: economic codes 30216 培训费 0.62 with the 政府预算 code beside it.
    let t6 = case.table(Budget06, Some(2024)).unwrap();
    let train = t6.main().row_by_code("30216").unwrap();
    assert_eq!(train.code2.as_deref(), Some("50203"));
    assert_eq!(train.amount(0), d("0.62"));
}

#[test]
fn final_accounts_carry_seed_000s_figures() {
    let case = sample();
    use TableKind::*;
    assert_eq!(total(&case, Final03, 2024, &["本年支出合计"]), d("8848.19"));
    assert_eq!(total(&case, Final03, 2024, &["基本支出"]), d("456.23"));
    assert_eq!(total(&case, Final03, 2024, &["项目支出"]), d("8391.96"));
    assert_eq!(total(&case, Final02, 2024, &["本年收入合计"]), d("8848.19"));
    let t6 = case.table(Final06, Some(2024)).unwrap();
    let personnel = t6.blocks.iter().flat_map(|b| &b.rows).find(|r| r.label == "人员经费合计").unwrap();
    assert_eq!(personnel.amount(0), d("437.67"));
    let public_use = t6.blocks.iter().flat_map(|b| &b.rows).find(|r| r.label == "公用经费合计").unwrap();
    assert_eq!(public_use.amount(0), d("18.56"));
    let line = |year, code: &str| {
        let t = case.table(Final06, Some(year)).unwrap();
        t.blocks
            .iter()
            .flat_map(|b| &b.rows)
            .find(|r| r.code.as_deref() == Some(code))
            .map(|r| r.amount(0))
            .unwrap_or_default()
    };
    assert_eq!(line(2024, "30216"), d("0.62"));
    assert_eq!(line(2024, "30217"), d("0.27"));
    assert_eq!(line(2024, "30215"), d("0"));
    assert_eq!(line(2023, "30216"), d("0.52"));
    assert_eq!(line(2023, "30217"), d("0.24"));
    let t9 = case.table(Final09, Some(2024)).unwrap();
    let row = &t9.main().rows[0];
    assert_eq!(row.amount(t9.column(&["决算数", "合计"]).unwrap()), d("0.27"));
    assert_eq!(row.amount(t9.column(&["决算数", "公务接待费"]).unwrap()), d("0.27"));
    // 01表: the two blocks, 总计 on both sides.
    let t1 = case.table(Final01, Some(2024)).unwrap();
    let (income, spending) = (t1.block("收入").unwrap(), t1.block("支出").unwrap());
    let (ci, cs) = (income.column(&["金额"]).unwrap(), spending.column(&["金额"]).unwrap());
    assert_eq!(income.row_by_label("本年收入合计").unwrap().amount(ci), d("8848.19"));
    assert_eq!(spending.row_by_label("本年支出合计").unwrap().amount(cs), d("8848.19"));
    assert_eq!(spending.row_by_label("卫生健康支出").unwrap().amount(cs), d("8748.08"));
    // 2023 uses split codes, 2024 whole codes: both give full 7-digit codes.
    for year in [2023, 2024] {
        let t3 = case.table(Final03, Some(year)).unwrap();
        assert!(t3.main().row_by_code("2101501").is_some(), "{year}");
    }
}

#[test]
fn targets_and_self_evaluations_are_read() {
    let case = sample();
    for p in &case.project_targets {
        assert!(p.indicators.len() >= 5, "{}: {}", p.project, p.indicators.len());
        for i in &p.indicators {
            assert!(
                !matches!(
                    i.target.kind,
                    jixiao::model::TargetKind::Malformed { .. } | jixiao::model::TargetKind::Empty
                ),
                "{} {} {:?}",
                p.project,
                i.name,
                i.target
            );
        }
    }
    let rescue = case.project_targets.iter().find(|p| p.project == "医疗救助资金").unwrap();
    assert_eq!(rescue.code.as_deref(), Some("370402241809040600014"));
    let names: Vec<&str> = case.project_self_evals.iter().map(|e| e.project.as_str()).collect();
    assert_eq!(names, ["医疗救助资金", "城乡居民区级配套资金", "重残、孤儿财政代缴"]);
    for e in &case.project_self_evals {
        let weights: rust_decimal::Decimal = e.indicators.iter().filter_map(|i| i.weight).sum();
        assert_eq!(weights, d("90"), "{}", e.project);
        assert_eq!(e.stated_total.as_ref().and_then(|v| v.value.number()), Some(d("100")), "{}", e.project);
        assert_eq!(e.stated_grade.as_deref(), Some("优"));
        let funds = &e.funds[0];
        assert!(funds.label.contains("年度资金总额"));
        assert!(funds.budget.is_some() && funds.spent.is_some());
    }
    let d0 = &case.dept_self_evals[0];
    assert_eq!(d0.total_weight.as_ref().and_then(|v| v.value.number()), Some(d("100")));
    assert_eq!(d0.spent.as_ref().and_then(|v| v.value.number()), Some(d("8848.19")));
}
