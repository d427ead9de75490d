//! One test per check rule: a doctored copy of a sample table (written with
//! rust_xlsxwriter from the sample's sources) that the rule must catch; the
//! untouched sample must pass every rule.

mod support;

use jixiao::check::{check, CheckReport, DefectKind};
use jixiao::ingest::ingest_path;
use jixiao::model::{Case, Severity};
use support::{d, Variant};

const CASE: &str = "zaozhuang-shizhong-2024";

/// The sample with one workbook's source edited by `edits` (old → new, each
/// of which must occur exactly once); `None` for `new` drops the sheet.
fn doctored(tag: &str, file: &str, edits: &[(&str, &str)]) -> (Case, CheckReport) {
    let dir = support::temp_dir(&format!("check-{tag}"));
    let mut touched = false;
    for (name, mut src) in support::sample_sources(CASE) {
        if name.starts_with(file) {
            for (old, new) in edits {
                assert_eq!(src.matches(old).count(), 1, "{tag}: {old:?} must occur once in {name}");
                src = src.replacen(old, new, 1);
            }
            touched = true;
        }
        support::write(&src, &dir.join(&name), &Variant::default());
    }
    assert!(touched, "{tag}: no workbook starts with {file}");
    let case = ingest_path(&dir);
    let report = check(&case);
    (case, report)
}

/// The sample with the 2024 决算 workbook's whole source passed through `edit`.
fn final_edited(tag: &str, edit: impl Fn(&str) -> String) -> Case {
    let dir = support::temp_dir(tag);
    for (name, src) in support::sample_sources(CASE) {
        let src = if name.starts_with(FINAL) { edit(&src) } else { src };
        support::write(&src, &dir.join(&name), &Variant::default());
    }
    ingest_path(&dir)
}

fn errors_of<'a>(report: &'a CheckReport, rule: &str) -> Vec<&'a jixiao::check::Finding> {
    report.findings.iter().filter(|f| f.rule == rule && f.severity == Severity::Error).collect()
}

/// The doctored copy trips `rule` with an 错误 whose message contains `text`.
fn caught(tag: &str, file: &str, edits: &[(&str, &str)], rule: &str, text: &str) {
    let (case, report) = doctored(tag, file, edits);
    assert!(!case.has_errors(), "{tag}: ingest {:#?}", case.problems);
    let hits = errors_of(&report, rule);
    assert!(
        hits.iter().any(|f| f.message.contains(text)),
        "{tag}: no 错误 [{rule}] containing {text:?}; got:\n{}",
        report.findings.iter().map(|f| f.to_string()).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn the_untouched_sample_passes_every_rule() {
    let case = ingest_path(&support::root().join("sample-workbooks").join(CASE));
    let report = check(&case);
    let errors: Vec<String> =
        report.findings.iter().filter(|f| f.severity == Severity::Error).map(|f| f.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // No rule was skipped for a missing table: everything is there.
    assert!(!report.findings.iter().any(|f| f.message.starts_with("未找到")), "{:#?}", report.findings);
}

const FINAL: &str = "2024年度部门决算";
const BUDGET: &str = "2024年部门预算";

#[test]
fn hierarchy_item_does_not_add_up_to_its_section() {
    caught(
        "hierarchy",
        FINAL,
        &[("@row 2101501\t行政运行\t327.26\t327.26\t\t\t\t\n", "@row 2101501\t行政运行\t337.26\t337.26\t\t\t\t\n")],
        "sum.hierarchy",
        "支出决算表 21015医疗保障管理事务 “本年支出合计”",
    );
}

#[test]
fn column_identity_with_the_exact_message() {
    caught(
        "columns",
        FINAL,
        &[("@row 合计\t<\t8,848.19\t456.23\t8,391.96\t", "@row 合计\t<\t8,848.19\t456.23\t8,391.86\t")],
        "sum.columns",
        "支出决算表 合计 本年支出合计 8,848.19 ≠ 基本支出 456.23 + 项目支出 8,391.86 = 8,848.09（差 0.10）",
    );
}

#[test]
fn a_rounding_difference_is_only_a_note() {
    let (_, report) = doctored(
        "rounding",
        FINAL,
        &[("@row 合计\t<\t8,848.19\t456.23\t8,391.96\t", "@row 合计\t<\t8,848.19\t456.23\t8,391.95\t")],
    );
    let f = report.findings.iter().find(|f| f.rule == "sum.columns").expect("a sum.columns finding");
    assert_eq!(f.severity, Severity::Note);
    assert_eq!(
        f.message,
        "支出决算表 合计 本年支出合计 8,848.19 ≠ 基本支出 456.23 + 项目支出 8,391.95 = 8,848.18（差 0.01，尾数误差）"
    );
    assert_eq!(f.difference, Some(d("0.01")));
    let cells: Vec<String> = f.cells.iter().map(|c| c.cell()).collect();
    assert_eq!(cells, ["C7", "D7", "E7"]); // row 6 is the 栏次 row
    assert!(report.errors() == 0 || errors_of(&report, "sum.columns").is_empty());
}

#[test]
fn balance_of_the_summary_table() {
    caught(
        "balance",
        FINAL,
        &[("@row 总计\t31\t8,848.19\t总计\t62\t8,848.19", "@row 总计\t31\t8,858.19\t总计\t62\t8,848.19")],
        "sum.balance",
        "收入支出决算总表（收入） 总计 8,858.19 ≠ 本年收入合计 8,848.19",
    );
}

#[test]
fn three_public_expenses_components() {
    let src = support::sample_sources(CASE).into_iter().find(|(n, _)| n.starts_with(FINAL)).unwrap().1;
    let line = src
        .lines()
        .skip_while(|l| !l.starts_with("@sheet 公开09表"))
        .find(|l| l.starts_with("@row "))
        .unwrap()
        .to_string();
    let cells: Vec<&str> = line.trim_start_matches("@row ").split('\t').collect();
    let mut changed: Vec<String> = cells.iter().map(|s| s.to_string()).collect();
    changed[6] = "0.37".into(); // 决算数 合计
    let new = format!("@row {}", changed.join("\t"));
    caught(
        "three-public",
        FINAL,
        &[(&line, &new)],
        "sum.three_public",
        "财政拨款“三公”经费支出决算表 决算数 合计 0.37",
    );
}

#[test]
fn basic_detail_totals() {
    caught(
        "basic-detail",
        FINAL,
        &[("人员经费合计\t<\t437.67", "人员经费合计\t<\t447.67")],
        "sum.basic_detail",
        "人员经费合计 447.67",
    );
}

#[test]
fn summary_against_income_and_expenditure_tables() {
    caught(
        "final-01-02",
        FINAL,
        &[("@row 合计\t<\t8,848.19\t8,848.19\t", "@row 合计\t<\t8,858.19\t8,858.19\t")],
        "cross.final_01_02_03",
        "收入支出决算总表 本年收入合计",
    );
}

#[test]
fn income_table_against_fiscal_appropriation_table() {
    caught(
        "final-02-04",
        FINAL,
        &[("@row 合计\t<\t8,848.19\t8,848.19\t", "@row 合计\t<\t8,858.19\t8,858.19\t")],
        "cross.final_02_04",
        "收入决算表 合计“财政拨款收入”",
    );
}

#[test]
fn fiscal_appropriation_against_general_budget_table() {
    caught(
        "final-04-05",
        FINAL,
        &[("@row 合计\t<\t8,848.19\t456.23\t8,391.96\n", "@row 合计\t<\t8,858.19\t466.23\t8,391.96\n")],
        "cross.final_04_05",
        "一般公共预算财政拨款支出决算表 合计“小计” 8,858.19",
    );
}

#[test]
fn general_budget_basic_spending_against_the_detail_table() {
    caught(
        "final-05-06",
        FINAL,
        &[("@row 合计\t<\t8,848.19\t456.23\t8,391.96\n", "@row 合计\t<\t8,858.19\t466.23\t8,391.96\n")],
        "cross.final_05_06",
        "人员经费合计 437.67 + 一般公共预算财政拨款基本支出决算明细表 公用经费合计 18.56",
    );
}

#[test]
fn general_budget_rows_exceeding_all_spending() {
    caught(
        "final-05-03",
        FINAL,
        &[("@row 2101501\t行政运行\t327.26\t327.26\t\n", "@row 2101501\t行政运行\t427.26\t427.26\t\n")],
        "cross.final_05_03",
        "2101501行政运行 427.26 大于支出决算表 2101501 的 327.26",
    );
}

#[test]
fn class_lines_against_class_rows() {
    caught(
        "class-lines",
        FINAL,
        &[("九、卫生健康支出\t40\t8,748.08", "九、卫生健康支出\t40\t8,758.08")],
        "cross.final_class_lines",
        "收入支出决算总表 九、卫生健康支出 8,758.08 ≠ 支出决算表 210卫生健康支出 8,748.08",
    );
}

#[test]
fn three_public_against_the_detail_table() {
    caught("final-09-06", FINAL, &[("30217\t公务接待费\t0.27", "30217\t公务接待费\t0.37")], "cross.final_09_06", "财政拨款“三公”经费支出决算表 决算数“公务接待费” 0.27 ≠ 一般公共预算财政拨款基本支出决算明细表 30217公务接待费 0.37");
}

#[test]
fn empty_fund_tables_against_the_fiscal_appropriation_columns() {
    caught(
        "final-07-04",
        FINAL,
        &[("本年支出合计\t59\t8,848.19\t8,848.19\t\t", "本年支出合计\t59\t8,848.19\t8,848.19\t1.00\t")],
        "cross.final_07_08_04",
        "财政拨款收入支出决算总表 本年支出合计“政府性基金预算财政拨款” 1.00",
    );
}

#[test]
fn codes_out_of_hierarchy() {
    caught(
        "code-structure",
        FINAL,
        &[("@row 2101501\t行政运行\t327.26\t327.26\t\t\t\t\n", "@row 2109901\t行政运行\t327.26\t327.26\t\t\t\t\n")],
        "code.structure",
        "2109901行政运行：项级科目缺少所属的款级科目 21099",
    );
}

#[test]
fn budget_tables_against_each_other() {
    caught(
        "budget-10-06",
        BUDGET,
        &[("@row 合计\t<\t<\t<\t<\t<\t477.75\t477.75\t477.75", "@row 合计\t<\t<\t<\t<\t<\t487.75\t487.75\t487.75")],
        "cross.budget",
        "基本支出预算情况表 合计“一般公共预算” 487.75 ≠ 一般公共预算基本支出情况表 合计“小计” 477.75",
    );
}

/// Every finding, one per line, for assertion messages.
fn listing(report: &CheckReport) -> String {
    report.findings.iter().map(|f| f.to_string()).collect::<Vec<_>>().join("\n")
}

/// Findings of `rule` with `severity` whose message contains `text`.
fn count(report: &CheckReport, rule: &str, severity: Severity, text: &str) -> usize {
    report.findings.iter().filter(|f| f.rule == rule && f.severity == severity && f.message.contains(text)).count()
}

/// 表十 spans every source: 10 万元 of 单位资金 is no 错误 against 表六
/// (一般公共预算 only); 表十's 合计 is compared with 表三's 基本支出 instead.
#[test]
fn budget_ten_against_the_right_tables() {
    let (_, report) = doctored(
        "budget-10-unit-funds",
        BUDGET,
        &[(
            "@row 合计\t<\t<\t<\t<\t<\t477.75\t477.75\t477.75",
            "@row 合计\t<\t<\t<\t<\t<\t487.75\t477.75\t477.75\t\t\t\t10.00",
        )],
    );
    let all = listing(&report);
    assert_eq!(count(&report, "cross.budget", Severity::Error, "一般公共预算基本支出情况表"), 0, "{all}");
    assert_eq!(
        count(
            &report,
            "cross.budget",
            Severity::Error,
            "基本支出预算情况表 合计“合计” 487.75 ≠ 支出总体情况表 合计“基本支出” 477.75"
        ),
        1,
        "{all}"
    );
}

/// 09 holds every 财政拨款 三公 (project money too), 06 only 一般公共预算
/// 基本支出: 09 above 06 is a 提示 saying why, never an 错误.
#[test]
fn three_public_above_the_basic_detail_is_a_note() {
    let (_, report) = doctored("final-09-06-project", FINAL, &[("30217\t公务接待费\t0.27", "30217\t公务接待费\t0.17")]);
    let all = listing(&report);
    assert_eq!(count(&report, "cross.final_09_06", Severity::Error, ""), 0, "{all}");
    assert_eq!(
        count(
            &report,
            "cross.final_09_06",
            Severity::Note,
            "0.27 大于 一般公共预算财政拨款基本支出决算明细表 30217公务接待费 0.17（差 0.10）：“三公”经费表含项目支出"
        ),
        1,
        "{all}"
    );
}

/// 05 above 03 by 0.01 is a 尾数 提示, as every other sum rule.
#[test]
fn five_above_three_by_a_cent_is_rounding() {
    let (_, report) = doctored(
        "final-05-03-cent",
        FINAL,
        &[("@row 2080501\t行政单位离退休\t3.09\t3.09\t\n", "@row 2080501\t行政单位离退休\t3.10\t3.10\t\n")],
    );
    let all = listing(&report);
    assert_eq!(count(&report, "cross.final_05_03", Severity::Error, ""), 0, "{all}");
    assert_eq!(
        count(&report, "cross.final_05_03", Severity::Note, "3.10 大于支出决算表 2080501 的 3.09（差 0.01，尾数误差）"),
        1,
        "{all}"
    );
}

#[test]
fn budget_class_lines() {
    caught(
        "budget-class",
        BUDGET,
        &[("其他收入\t\t八、卫生健康支出\t12,746.17", "其他收入\t\t八、卫生健康支出\t12,756.17")],
        "cross.budget_class_lines",
        "收支总体情况表 八、卫生健康支出 12,756.17 ≠ 支出总体情况表 210卫生健康支出 12,746.17",
    );
}

#[test]
fn a_missing_table_skips_its_rules_with_a_note() {
    let (_, report) = doctored(
        "missing-06",
        FINAL,
        &[
            ("@sheet 公开06表", "@sheet 草稿"),
            ("@title 一般公共预算财政拨款基本支出决算明细表", "@title 草稿"),
            ("\t公开06表\n", "\t草稿\n"),
        ],
    );
    let notes: Vec<&str> =
        report.findings.iter().filter(|f| f.message.starts_with("未找到")).map(|f| f.message.as_str()).collect();
    assert!(
        notes.contains(&"未找到2024年一般公共预算财政拨款基本支出决算明细表（公开06表），已跳过“05表与06表”的核对。"),
        "{notes:#?}"
    );
    assert!(report
        .findings
        .iter()
        .all(|f| f.message.starts_with("未找到") == (f.severity == Severity::Note) || f.severity == Severity::Note));
}

#[test]
fn project_lists_across_documents() {
    let (_, report) = doctored(
        "projects",
        "2024年度项目支出",
        &[("@row 项目名称\t医疗救助资金\t", "@row 项目名称\t医疗救助专项资金\t")],
    );
    let notes: Vec<&str> =
        report.findings.iter().filter(|f| f.rule == "cross.projects").map(|f| f.message.as_str()).collect();
    assert!(notes.contains(&"项目“医疗救助专项资金”有支出绩效自评表，但没有项目绩效目标表。"), "{notes:#?}");
    assert!(notes.contains(&"项目“医疗救助专项资金”有支出绩效自评表，但不在预算表十一的项目清单中。"), "{notes:#?}");
}

#[test]
fn target_money_above_the_project_budget() {
    let case = ingest_path(&support::root().join("sample-workbooks").join(CASE));
    let report = check(&case);
    let notes: Vec<&str> =
        report.findings.iter().filter(|f| f.rule == "cross.target_money").map(|f| f.message.as_str()).collect();
    assert_eq!(notes, ["项目“城乡居民区级配套资金”的成本指标“财政补助资金”目标值 5550.06万元 高于预算表十一的项目支出 5,518.66 万元。"]);
}

/// Seed 000 表3-3: each sampled project self-evaluated 优 and re-checked 良,
/// with exactly these defects.
#[test]
fn self_evaluations_recheck_to_seed_000s_table_3_3() {
    let case = ingest_path(&support::root().join("sample-workbooks").join(CASE));
    let report = check(&case);
    use DefectKind::*;
    let expect = [
        ("医疗救助资金", "80", vec![CostTargetNotMoney, ActualWithSign, ActualEmpty, Grade]),
        ("城乡居民区级配套资金", "87", vec![ActualMissingUnit, UnmetFullMarks, Formula, Grade]),
        (
            "重残、孤儿财政代缴",
            "80",
            vec![ActualMissingUnit, ActualMissingUnit, UnmetFullMarks, Formula, MalformedTarget, Grade],
        ),
    ];
    assert_eq!(report.rechecks.len(), 3);
    for (r, (name, total, kinds)) in report.rechecks.iter().zip(expect) {
        assert_eq!(r.project, name);
        assert_eq!(r.stated_total, Some(d("100")));
        assert_eq!(r.stated_grade, Some(jixiao::model::Grade::Excellent));
        assert_eq!(r.total, d(total), "{name}: {:#?}", r.indicators);
        assert_eq!(r.grade, jixiao::model::Grade::Good);
        let got: Vec<DefectKind> = r.defects.iter().map(|d| d.kind).collect();
        assert_eq!(got, kinds, "{name}");
        assert_eq!(r.execution.as_ref().unwrap().points, d("10"));
    }
    // The specific wording of the figures seed 000 quotes.
    let text: Vec<&str> = report.rechecks.iter().flat_map(|r| r.defects.iter().map(|d| d.text.as_str())).collect();
    assert!(text.contains(&"“救助人次”实际完成值“≥18200人”带比较符号，应填写具体数值（如“18200人”）。"));
    assert!(text.contains(&"“财政补助资金”实际完成值“5301.42”缺少单位（年度指标值为“5550.06万元”）。"));
    assert!(text.contains(&"“全区参保人数”年度指标值“345153人”，实际完成“333096人”，未完成年度指标却得满分 13。"));
    assert!(text.contains(&"“参保人数”年度指标值“>2960人”，实际完成“2910”，未完成年度指标却得满分 20。"));
    assert!(text.iter().any(|t| t.contains("“12月日前31”")));
    let pop = &report.rechecks[1].indicators.iter().find(|i| i.name == "全区参保人数").unwrap();
    assert_eq!((pop.formula, pop.score), (Some(d("12.55")), d("0")));
}

#[test]
fn self_evaluation_arithmetic_defects() {
    // Weights not adding to 90, a total that is not the sum.
    let (_, report) = doctored(
        "self-eval",
        "2024年度项目支出",
        &[("资金拨付准确率\t100%\t100%\t=15\t=15\t\n@row ^\t^\t时效指标\t完成时间\t12月31日前\t12月31日前\t=15\t=15\t\n@row ^\t效益指标\t社会效益指标\t医保政策宣传覆盖率", "资金拨付准确率\t100%\t100%\t=14\t=15\t\n@row ^\t^\t时效指标\t完成时间\t12月31日前\t12月31日前\t=15\t=15\t\n@row ^\t效益指标\t社会效益指标\t医保政策宣传覆盖率")],
    );
    let r = &report.rechecks[0];
    let kinds: Vec<DefectKind> = r.defects.iter().map(|d| d.kind).collect();
    assert!(kinds.contains(&DefectKind::Weights), "{kinds:?}");
    assert!(kinds.contains(&DefectKind::Formula), "{kinds:?}");
}

#[test]
fn department_self_evaluation_arithmetic() {
    let case = ingest_path(&support::root().join("sample-workbooks").join(CASE));
    let report = check(&case);
    let dept = &report.dept_rechecks[0];
    assert_eq!(dept.total_weight, d("100"));
    assert_eq!(dept.execution_rate, Some(d("1")));
    // The independent 高邑 workbook: 97 of 100, 99.99 %.
    let gaoyi = support::root().join("../shared/workbooks/gaoyi-2021");
    if gaoyi.is_dir() {
        let report = check(&ingest_path(&gaoyi));
        assert_eq!(report.errors(), 0, "{:#?}", report.findings);
        assert_eq!(report.dept_rechecks[0].total_score, d("97"));
        assert_eq!(report.dept_rechecks[0].execution_rate, Some(d("0.9999")));
    } else {
        assert!(std::env::var_os("CI").is_none(), "{} is missing on CI", gaoyi.display());
        eprintln!("skipped the 高邑 part: {} is not there", gaoyi.display());
    }
}

/// A table in 元 is compared in 万元: the 09表 given in 元 (2,700.00 for
/// 0.27 万元) gives no 错误, and a 提示 says it was converted.
#[test]
fn a_table_in_yuan_is_compared_in_wan() {
    let case = final_edited("check-unit-yuan", |src| {
        let at = src.find("@sheet 公开09表").unwrap();
        let end = at + src[at..].find("@note").unwrap();
        let part = src[at..end].replace("金额单位：万元", "金额单位：元").replace("0.27", "2700").replace("0.00", "0");
        format!("{}{}{}", &src[..at], part, &src[end..])
    });
    assert!(
        case.problems
            .iter()
            .any(|p| p.rule == "ingest.unit" && p.message.contains("（公开09表）的金额单位为元，已换算为万元")),
        "{:#?}",
        case.problems
    );
    let report = check(&case);
    let errors: Vec<String> =
        report.findings.iter().filter(|f| f.severity == Severity::Error).map(|f| f.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let t09 = case.table(jixiao::model::TableKind::Final09, Some(2024)).unwrap();
    assert_eq!(t09.main().rows[0].amount(6), d("0.27"));
}

/// A self-evaluation whose 全年预算数 is 0 (年初无预算): never a denominator —
/// no 分值计算错误, no 0 points; a 提示 says why.
#[test]
fn a_zero_budget_is_never_a_denominator() {
    let (_, report) = doctored(
        "recheck-zero-budget",
        "2024年度项目支出绩效自评表",
        &[(
            "@row ^\t年度资金总额\t<\t2,389.00\t1,241.13\t1,241.13\t=10\t%1\t=10",
            "@row ^\t年度资金总额\t<\t\t0\t1,241.13\t=10\t%1\t=10",
        )],
    );
    let all = listing(&report);
    assert_eq!(count(&report, "recheck.formula", Severity::Note, "预算执行率"), 0, "{all}");
    assert_eq!(count(&report, "recheck.no_budget", Severity::Note, "全年预算数为 0（年初无预算）"), 1, "{all}");
    let first = &report.rechecks[0];
    assert_eq!(first.execution.as_ref().unwrap().points, d("10"), "the stated 10 points stand");
}

/// A year's 决算 without its 公开07表 and 公开08表 (empty tables are often
/// left out): an 错误 of disclosure naming both, though no sum needs them.
#[test]
fn every_disclosure_table_is_there() {
    let report = check(&final_edited("check-disclosure", |src| {
        let (a, b) = (src.find("@sheet 公开07表").unwrap(), src.find("@sheet 公开09表").unwrap());
        format!("{}{}", &src[..a], &src[b..])
    }));
    let hits = errors_of(&report, "disclosure.complete");
    assert_eq!(hits.len(), 1, "{:#?}", report.findings);
    assert!(
        hits[0].message.starts_with("2024年部门决算公开表缺少 政府性基金预算财政拨款收入支出决算表（公开07表）、国有资本经营预算财政拨款支出决算表（公开08表）：应公开公开01–09表"),
        "{}",
        hits[0].message
    );
}

/// The 2024 决算 workbook's source with `edit` applied to its 公开07表 sheet only.
fn with_table07(tag: &str, edit: impl Fn(&str) -> String) -> CheckReport {
    check(&final_edited(tag, |src| {
        let (a, b) = (src.find("@sheet 公开07表").unwrap(), src.find("@sheet 公开08表").unwrap());
        format!("{}{}{}", &src[..a], edit(&src[a..b]), &src[b..])
    }))
}

/// An empty table must say why; a table of another unit or year is named.
#[test]
fn empty_tables_units_and_years() {
    let r = with_table07("check-empty-note", |s| {
        s.lines().filter(|l| !l.starts_with("@note")).collect::<Vec<_>>().join("\n") + "\n"
    });
    let hits = errors_of(&r, "disclosure.empty_note");
    assert_eq!(hits.len(), 1, "{:#?}", r.findings);
    assert!(hits[0].message.starts_with("政府性基金预算财政拨款收入支出决算表（公开07表）没有数据，却没有说明原因"));
    let r =
        with_table07("check-other-unit", |s| s.replace("部门：枣庄市市中区医疗保障局", "部门：枣庄市市中区卫生健康局"));
    let hits = errors_of(&r, "disclosure.department");
    assert_eq!(hits.len(), 1, "{:#?}", r.findings);
    assert!(hits[0].message.contains("的部门为“枣庄市市中区卫生健康局”，与其他报表的“枣庄市市中区医疗保障局”不同"));
    let r = with_table07("check-other-year", |s| s.replace("公开07表\n", "公开07表\n@meta 2021年度\n"));
    let years: Vec<String> = errors_of(&r, "disclosure.year").iter().map(|f| f.message.clone()).collect();
    assert!(years.iter().any(|m| m.contains("是2021年的，评价年度为2024年")), "{:#?}", r.findings);
}

/// 预算 and 决算 of the same year: the 三公 budget in the 09表 differs
/// from 预算 表七 → a 提示 with both (an adjusted budget), never an 错误.
#[test]
fn the_three_public_budget_against_the_final_accounts() {
    let (_, report) = doctored(
        "budget-final-07-09",
        BUDGET,
        &[(
            "@row 0.24\t0.00\t0.00\t0.00\t0.00\t0.24\t0.27\t0.00\t0.00\t0.00\t0.00\t0.27",
            "@row 0.24\t0.00\t0.00\t0.00\t0.00\t0.24\t0.37\t0.00\t0.00\t0.00\t0.00\t0.37",
        )],
    );
    let all = listing(&report);
    assert_eq!(count(&report, "cross.budget_final", Severity::Error, ""), 0, "{all}");
    assert_eq!(
        count(
            &report,
            "cross.budget_final",
            Severity::Note,
            "预算数“合计” 0.27 ≠ 一般公共预算“三公”经费支出情况表 2024年预算数“合计” 0.37（差 0.10）"
        ),
        1,
        "{all}"
    );
}

/// 04表 per fund: 8.00 of the spending moved from the 一般公共预算 column to
/// 政府性基金 leaves the 合计 closing, but neither fund balances.
#[test]
fn the_fiscal_table_balances_per_fund() {
    let (_, report) = doctored(
        "final-04-funds",
        FINAL,
        &[("本年支出合计\t59\t8,848.19\t8,848.19\t\t", "本年支出合计\t59\t8,848.19\t8,840.19\t8.00\t")],
    );
    let all = listing(&report);
    let hits = errors_of(&report, "sum.fund_balance");
    assert_eq!(hits.len(), 2, "{all}");
    assert!(hits[0].message.contains("财政拨款收入支出决算总表 一般公共预算 一、一般公共预算财政拨款 + 年初结转 一般公共预算财政拨款 8,848.19 ≠ 本年支出合计“一般公共预算财政拨款” 8,840.19"), "{}", hits[0].message);
    assert!(hits[1].message.contains("政府性基金"), "{}", hits[1].message);
}

/// The re-check policy: by default the form's printed rule (an unmet 数量指标
/// pro rata), so a form scored that way re-checks to its stated total;
/// the 枣庄 system's strict conventions (seed 000) still give 80/87/80, and
/// where the two differ the message shows both.
#[test]
fn the_recheck_policy_is_the_forms_rule_unless_chosen() {
    let form_scored = |policy: Option<&str>, tag: &str| {
        let dir = support::temp_dir(tag);
        for (name, src) in support::sample_sources("zaozhuang-shizhong-2024") {
            let src = match name.as_str() {
                "2024年度项目支出绩效自评表.xlsx" => {
                    let (head, rest) = src.split_once("@sheet 城乡居民区级配套资金").unwrap();
                    let (sheet, tail) = rest.split_once("@sheet 重残").unwrap();
                    // The unit scored by the printed rule: 全区参保人数 pro rata 333096/345153 × 13 =
                    // 12.55, 财政补助资金 (a bare target, 正向) 5301.42/5550.06 × 20 = 19.1; total 98.65.
                    let sheet = sheet
                        .replace("333096人\t=13\t=13", "333096人\t=13\t=12.55")
                        .replace("'5301.42\t=20\t=20", "'5301.42\t=20\t=19.1")
                        .replace("@row 总分\t<\t<\t<\t<\t<\t=100\t=100", "@row 总分\t<\t<\t<\t<\t<\t=100\t=98.65");
                    format!("{head}@sheet 城乡居民区级配套资金{sheet}@sheet 重残{tail}")
                }
                "评价底稿.xlsx" => match policy {
                    Some(p) => src.replacen("@row 评价年度\t", &format!("@row 复核口径\t{p}\n@row 评价年度\t"), 1),
                    None => src,
                },
                _ => src,
            };
            support::write(&src, &dir.join(&name), &support::Variant::default());
        }
        let case = jixiao::ingest::ingest_path(&dir);
        jixiao::check::check(&case)
    };
    let form = form_scored(Some("表注"), "recheck-policy-form");
    let r = form.rechecks.iter().find(|r| r.project == "城乡居民区级配套资金").unwrap();
    assert_eq!((r.total, r.grade, r.form_total), (d("98.65"), jixiao::model::Grade::Excellent, None));
    assert!(
        r.defects
            .iter()
            .all(|d| !matches!(d.kind, DefectKind::Grade | DefectKind::UnmetFullMarks | DefectKind::Formula)),
        "{:#?}",
        r.defects
    );
    // The 枣庄 system chooses the strict conventions: 87, and both numbers said.
    let strict = form_scored(None, "recheck-policy-strict");
    let totals: Vec<rust_decimal::Decimal> = strict.rechecks.iter().map(|r| r.total).collect();
    assert_eq!(totals, [d("80"), d("87"), d("80")]);
    let r = strict.rechecks.iter().find(|r| r.project == "城乡居民区级配套资金").unwrap();
    assert_eq!(r.form_total, Some(d("98.65")));
    let grade = r.defects.iter().find(|d| d.kind == DefectKind::Grade).unwrap();
    assert_eq!(
        grade.text,
        "自评 98.65 分、等级“优”，复核（严格口径）87 分、等级“良”；按表注规则为 98.65 分、等级“优”。"
    );
}

/// 自评表 layouts of other departments: the 总分 in the last column after a
/// label merged across, or as text under 得分 with the grade on the same
/// row; the 汇总表 read and cross-checked against each form.
#[test]
fn other_self_evaluation_layouts_and_the_summary_sheet() {
    let dir = support::temp_dir("recheck-layouts");
    for (name, src) in support::sample_sources("zaozhuang-shizhong-2024") {
        let src = if name == "2024年度项目支出绩效自评表.xlsx" {
            let total = "@row 总分\t<\t<\t<\t<\t<\t=100\t=100\t\n@row 自评等级\t<\t<\t<\t<\t<\t优\t<\t<";
            let mut parts: Vec<String> = src.split(total).map(String::from).collect();
            assert_eq!(parts.len(), 4, "three forms");
            let variants = [
                // Label merged over every column but the last, the total there.
                "@row 总分\t<\t<\t<\t<\t<\t<\t<\t=100",
                // The 分值 total and the 得分 total as text, the grade on the same row.
                "@row 总分\t<\t<\t<\t<\t<\t=100\t'100\t优",
                total,
            ];
            let mut out = parts.remove(0);
            for (v, rest) in variants.iter().zip(parts) {
                out.push_str(v);
                out.push_str(&rest);
            }
            out.replacen("@row =1\t医疗救助资金\t枣庄市市中区医疗保障局\t=100\t优", "@row =1\t医疗救助资金\t枣庄市市中区医疗保障局\t=95\t优", 1)
                .replacen("@row =3\t重残、孤儿财政代缴\t枣庄市市中区医疗保障局\t=100\t优", "@row =3\t重残、孤儿财政代缴\t枣庄市市中区医疗保障局\t=100\t优\n@row =4\t老年人居家护理补贴\t枣庄市市中区医疗保障局\t=90\t优", 1)
        } else {
            src
        };
        support::write(&src, &dir.join(&name), &support::Variant::default());
    }
    let case = jixiao::ingest::ingest_path(&dir);
    let totals: Vec<Option<rust_decimal::Decimal>> =
        case.project_self_evals.iter().map(|e| e.stated_total.as_ref().and_then(|v| v.value.number())).collect();
    assert_eq!(totals, [Some(d("100")), Some(d("100")), Some(d("100"))], "the total read in each layout");
    assert_eq!(case.project_self_evals[1].stated_grade.as_deref(), Some("优"), "the grade on the 总分 row");
    let report = jixiao::check::check(&case);
    let summary: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("recheck.summary"))
        .map(|f| format!("{} {}", f.rule, f.message))
        .collect();
    assert_eq!(
        summary,
        [
            "recheck.summary_total 汇总表中“医疗救助资金”自评 95 分，其自评表总分为 100 分。",
            "recheck.summary_missing 汇总表列有项目“老年人居家护理补贴”（自评 90 分），但案例中没有它的项目支出绩效自评表。",
        ]
    );
    // The re-check still gives 80/87/80.
    let r: Vec<rust_decimal::Decimal> = report.rechecks.iter().map(|r| r.total).collect();
    assert_eq!(r, [d("80"), d("87"), d("80")]);
}

/// The budget block as other departments fill it: 执行率 as text
/// (`100.00%`), `-` in the rows that are not scored, the row labels in a
/// column of their own: the execution points are re-computed all the same.
#[test]
fn budget_blocks_of_other_layouts() {
    let dir = support::temp_dir("recheck-budget-block");
    for (name, src) in support::sample_sources("zaozhuang-shizhong-2024") {
        let src = if name == "2024年度项目支出绩效自评表.xlsx" {
            src.replace("\t=10\t%1\t=10", "\t=10\t'100.00%\t=10")
                .replace("\t——\t%1\t——", "\t-\t'100.00%\t-")
                .replace("@row ^\t年度资金总额\t<\t", "@row ^\t\t年度资金总额\t")
        } else {
            src
        };
        support::write(&src, &dir.join(&name), &support::Variant::default());
    }
    let case = jixiao::ingest::ingest_path(&dir);
    assert!(!case.has_errors(), "{:#?}", case.problems);
    let report = jixiao::check::check(&case);
    for r in &report.rechecks {
        let x = r.execution.as_ref().unwrap_or_else(|| panic!("{}: execution read", r.project));
        assert_eq!((x.weight, x.stated), (d("10"), Some(d("10"))), "{}", r.project);
    }
    let totals: Vec<rust_decimal::Decimal> = report.rechecks.iter().map(|r| r.total).collect();
    assert_eq!(totals, [d("80"), d("87"), d("80")]);
}

/// 预算 表四 (财政拨款) against 表二's 财政拨款 and 表八/九; 表五 within 表三
/// code by code; 机关运行经费 against the 06表's 公用经费合计.
#[test]
fn budget_four_five_and_running_costs() {
    caught(
        "check-budget-04",
        BUDGET,
        &[("@row 本 年 收 入 合 计\t12,847.65", "@row 本 年 收 入 合 计\t12,840.65")],
        "cross.budget_04",
        "财政拨款收支总体情况表 本年收入合计 12,840.65 ≠ 收入总体情况表 合计“小计” 12,847.65",
    );
    // 表四 says 政府性基金 spending that no 表八 shows.
    caught(
        "check-budget-04-fund",
        BUDGET,
        &[("本 年 支 出 合 计\t12,847.65\t12,847.65\t\t", "本 年 支 出 合 计\t12,847.65\t12,847.65\t5.00\t")],
        "cross.budget_04",
        "政府性基金预算",
    );
    caught(
        "check-budget-05-03",
        BUDGET,
        &[("@row \t\t02\t一般行政管理事务\t18.06\t\t18.06\t\n", "@row \t\t02\t一般行政管理事务\t16.06\t\t16.06\t\n")],
        "cross.budget_05_03",
        "一般公共预算支出情况表 2101502一般行政管理事务 18.06 大于支出总体情况表 2101502 的 16.06",
    );
    let (_, report) = doctored(
        "check-running-costs",
        "评价底稿",
        &[(
            "@sheet 事实\n@header 名称\t数值\t单位\t说明\n",
            "@sheet 事实\n@header 名称\t数值\t单位\t说明\n@row 机关运行经费\t=19\t万元\t\n",
        )],
    );
    let notes: Vec<&str> =
        report.findings.iter().filter(|f| f.rule == "cross.running_costs").map(|f| f.message.as_str()).collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].starts_with("评价底稿事实“机关运行经费” 19.00（评价底稿.xlsx › 事实 › B"), "{}", notes[0]);
    assert!(
        notes[0].contains("≠ 一般公共预算财政拨款基本支出决算明细表 公用经费合计 18.56（差 0.44）"),
        "{}",
        notes[0]
    );
}

/// 04表's 年初财政拨款结转和结余 is the sum of its fund lines.
#[test]
fn opening_balance_is_the_sum_of_its_fund_lines() {
    caught(
        "check-04-opening",
        FINAL,
        &[("年初财政拨款结转和结余\t28\t\t", "年初财政拨款结转和结余\t28\t5.00\t")],
        "sum.fund_balance",
        "年初财政拨款结转和结余 5.00 ≠ 一般公共预算财政拨款",
    );
}

/// With nothing carried over, 02 and 03 agree code by code: a 收入 booked
/// under another 项 is a 提示 naming both.
#[test]
fn income_and_spending_per_code() {
    let case = final_edited("check-02-03-code", |src| {
        // 2 万元 of 行政运行's income booked under 一般行政管理事务 in 02 (totals unchanged).
        let (a, b) = (src.find("@sheet 公开02表").unwrap(), src.find("@sheet 公开03表").unwrap());
        let t02 = src[a..b]
            .replacen("@row 2101501\t行政运行\t327.26\t327.26", "@row 2101501\t行政运行\t325.26\t325.26", 1)
            .replacen(
                "@row 2101502\t一般行政管理事务\t16.06\t16.06",
                "@row 2101502\t一般行政管理事务\t18.06\t18.06",
                1,
            );
        format!("{}{t02}{}", &src[..a], &src[b..])
    });
    let report = check(&case);
    let notes: Vec<&str> =
        report.findings.iter().filter(|f| f.rule == "cross.final_02_03").map(|f| f.message.as_str()).collect();
    assert_eq!(notes.len(), 2, "{notes:#?}");
    assert!(
        notes[0].starts_with("2101501行政运行：收入决算表 本年收入 325.26 ≠ 支出决算表 本年支出 327.26（差 2.00）"),
        "{}",
        notes[0]
    );
    assert!(report.findings.iter().filter(|f| f.rule == "cross.final_02_03").all(|f| f.severity == Severity::Note));
}

/// 表三 with the 款 row 其他卫生健康支出 printed with its `99` in the 项
/// column (the shared workbook's misprint, made here from the sample): one
/// 错误, the duplicated code, whose message names the four sums it breaks
/// (类 210 and 款 21016, in 合计 and 项目支出) instead of four more 错误.
const MISPRINT: (&str, &str) =
    ("@row \t99\t\t其他卫生健康支出\t345.15\t\t345.15\t\n", "@row \t\t99\t其他卫生健康支出\t345.15\t\t345.15\t\n");

const MISPRINT_MESSAGE: &str = "支出总体情况表 科目编码 2101699 出现了两次（“其他卫生健康支出”与“其他卫生健康支出”）：多为编码级次写错——把 D27“其他卫生健康支出”读作款级科目 21099（“99”应在款栏），其下的项随之归入该款。照字面读，其上级有 4 处层级合计不符，按此更正即相符，不另报：210卫生健康支出 “合计” 12,746.17（差 345.15）；21016老龄卫生健康事务 “合计” 3,569.03（差 690.30）；210卫生健康支出 “项目支出” 12,369.90（差 345.15）；21016老龄卫生健康事务 “项目支出” 3,569.03（差 690.30）。";

#[test]
fn a_misprinted_code_is_one_error() {
    let (case, report) = doctored("check-misprint", BUDGET, &[MISPRINT]);
    assert!(!case.has_errors(), "{:#?}", case.problems);
    let all = listing(&report);
    let errors: Vec<&jixiao::check::Finding> =
        report.findings.iter().filter(|f| f.severity == Severity::Error).collect();
    assert_eq!(errors.len(), 1, "{all}");
    assert_eq!(errors[0].rule, "code.duplicate");
    assert_eq!(errors[0].message, MISPRINT_MESSAGE);
    let cells: Vec<String> = errors[0].cells.iter().map(|c| c.cell()).collect();
    assert_eq!(cells, ["D27", "D28", "E12", "E25", "G12", "G25"]);
    assert_eq!(report.findings.iter().filter(|f| f.rule == "sum.hierarchy").count(), 0, "{all}");
}

/// The misprint folds only the sums it explains: a true error in the same
/// 类 (款 21011 written 31.03 for 30.03) is still reported — as printed for
/// 21011 ≠ its 项, and under the corrected codes for 类 210 (short 1.00).
#[test]
fn a_misprint_does_not_hide_a_true_error() {
    let (_, report) = doctored(
        "check-misprint-and-error",
        BUDGET,
        &[
            MISPRINT,
            ("@row \t11\t\t行政事业单位医疗\t30.03\t30.03\t\t\n", "@row \t11\t\t行政事业单位医疗\t31.03\t30.03\t\t\n"),
        ],
    );
    let all = listing(&report);
    assert_eq!(count(&report, "code.duplicate", Severity::Error, "照字面读，其上级有 3 处层级合计不符，按此更正即相符，不另报：21016老龄卫生健康事务 “合计” 3,569.03（差 690.30）；210卫生健康支出 “项目支出”"), 1, "{all}");
    assert_eq!(
        count(
            &report,
            "sum.hierarchy",
            Severity::Error,
            "支出总体情况表 21011行政事业单位医疗 “合计” 31.03 ≠ 2101101 10.63 + 2101102 19.40 = 30.03（差 1.00）"
        ),
        1,
        "{all}"
    );
    assert_eq!(
        count(
            &report,
            "sum.hierarchy",
            Severity::Error,
            "（按更正后的编码）支出总体情况表 210卫生健康支出 “合计” 12,746.17 ≠ 21011 31.03 + 21012 5,718.66 + 21013 2,689.00 + 21015 394.30 + 21016 3,569.03 + 21099 345.15 = 12,747.17（差 1.00）"
        ),
        1,
        "{all}"
    );
    assert_eq!(count(&report, "sum.columns", Severity::Error, "21011行政事业单位医疗"), 1, "{all}");
    assert_eq!(report.errors(), 4, "{all}");
}

/// The shared bureau workbook, as printed: the same misprint is one 错误.
#[test]
fn the_shared_budget_misprint_is_one_error() {
    let dir = support::root().join("../shared/workbooks/zaozhuang-shizhong-2024");
    if !dir.is_dir() {
        assert!(std::env::var_os("CI").is_none(), "{} is missing on CI", dir.display());
        eprintln!("skipped: {} is not there", dir.display());
        return;
    }
    let report = check(&ingest_path(&dir));
    let errors: Vec<&jixiao::check::Finding> =
        report.findings.iter().filter(|f| f.severity == Severity::Error).collect();
    assert_eq!(errors.len(), 1, "{}", listing(&report));
    assert_eq!(errors[0].rule, "code.duplicate");
    assert_eq!(errors[0].message, MISPRINT_MESSAGE);
    assert_eq!(errors[0].workbook, "预算公开表.xlsx");
}

/// 预决算差异率 per class, 2024 决算 03 against 预算 表三 (05 ↔ 表五 gives the
/// same figures and is not repeated): beyond ±20 % a 提示, never an 错误 —
/// 各类合计 -31.13 % and 210 卫生健康支出 -31.37 % in 合计, both -32.16 % in
/// 项目支出; 208 (+0.80 %), 221 (-5.21 %) and every 基本支出 (at most -5.36 %)
/// stay inside.
#[test]
fn budget_against_final_difference_rate_per_class() {
    let case = ingest_path(&support::root().join("sample-workbooks").join(CASE));
    let report = check(&case);
    let found: Vec<&jixiao::check::Finding> =
        report.findings.iter().filter(|f| f.rule == "cross.budget_final_rate").collect();
    let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
    let tail = "：请在决算说明中说明差异原因（年中追加或调减预算、项目未执行完等）。";
    assert_eq!(
        messages,
        [
            format!("2024年 各类合计 “合计”：支出决算表 决算数 8,848.19，支出总体情况表 年初预算数 12,847.65，预决算差异率 -31.13%（超过 ±20%）{tail}"),
            format!("2024年 各类合计 “项目支出”：支出决算表 决算数 8,391.96，支出总体情况表 年初预算数 12,369.90，预决算差异率 -32.16%（超过 ±20%）{tail}"),
            format!("2024年 210卫生健康支出 “合计”：支出决算表 决算数 8,748.08，支出总体情况表 年初预算数 12,746.17，预决算差异率 -31.37%（超过 ±20%）{tail}"),
            format!("2024年 210卫生健康支出 “项目支出”：支出决算表 决算数 8,391.96，支出总体情况表 年初预算数 12,369.90，预决算差异率 -32.16%（超过 ±20%）{tail}"),
        ],
        "{}",
        listing(&report)
    );
    assert!(found.iter().all(|f| f.severity == Severity::Note));
    assert_eq!(found[2].difference, Some(d("-3998.09")));
    let cells: Vec<String> = found[2].cells.iter().map(|c| format!("{}!{}", c.sheet, c.cell())).collect();
    assert_eq!(cells, ["公开03表!C15", "03支出总体!E12"]);
}

/// A class with no 年初预算 (表三's 221 rows emptied): never a denominator —
/// 年初无预算, a 提示 without a rate.
#[test]
fn a_class_without_initial_budget_has_no_rate() {
    let (_, report) = doctored(
        "check-rate-no-budget",
        BUDGET,
        &[
            ("@row 221\t\t\t住房保障支出\t36.31\t36.31\t\t\n", "@row 221\t\t\t住房保障支出\t\t\t\t\n"),
            ("@row \t02\t\t住房改革支出\t36.31\t36.31\t\t\n", "@row \t02\t\t住房改革支出\t\t\t\t\n"),
            ("@row \t\t01\t住房公积金\t36.31\t36.31\t\t\n", "@row \t\t01\t住房公积金\t\t\t\t\n"),
        ],
    );
    let all = listing(&report);
    let tail =
        "支出决算表 决算数 34.42，支出总体情况表 年初无预算，不计算预决算差异率：请在决算说明中说明年中追加的预算。";
    for col in ["合计", "基本支出"] {
        assert_eq!(
            count(
                &report,
                "cross.budget_final_rate",
                Severity::Note,
                &format!("2024年 221住房保障支出 “{col}”：{tail}")
            ),
            1,
            "{all}"
        );
    }
    assert!(
        !report.findings.iter().any(|f| f.rule == "cross.budget_final_rate" && f.severity == Severity::Error),
        "{all}"
    );
}

/// The 2024 公开05表 with 全年预算数 columns (小计, 基本支出, 项目支出) before
/// its 本年支出 ones — no sample layout has them; this one is written with
/// rust_xlsxwriter from the sample's source. 全年预算数 = 本年支出 except
/// 2101501 行政运行 (346.24, its 年初预算; 21015, 210 and 合计 follow).
fn final05_with_adjusted_budget(src: &str) -> String {
    let (a, b) = (src.find("@sheet 公开05表").unwrap(), src.find("@sheet 公开06表").unwrap());
    let adjusted = |code: &str| match code {
        "合计" => Some(["8,867.17", "475.21", "8,391.96"]),
        "210" => Some(["8,767.06", "375.10", "8,391.96"]),
        "21015" => Some(["367.07", "346.24", "20.83"]),
        "2101501" => Some(["346.24", "346.24", ""]),
        _ => None,
    };
    let sheet: Vec<String> = src[a..b]
        .lines()
        .map(|l| {
            let cells: Vec<&str> = l.split('\t').collect();
            if l.starts_with("@header 项目") {
                "@header 项目\t<\t全年预算数\t<\t<\t本年支出\t<\t<".to_string()
            } else if l.starts_with("@header 科目代码") {
                "@header 科目代码\t科目名称\t小计\t基本支出\t项目支出\t小计\t基本支出\t项目支出".to_string()
            } else if l.starts_with("@header 栏次") {
                "@header 栏次\t<\t1\t2\t3\t4\t5\t6".to_string()
            } else if l.starts_with("@row ") && cells.len() == 5 {
                let code = cells[0].trim_start_matches("@row ");
                let budget: Vec<String> = match adjusted(code) {
                    Some(v) => v.iter().map(|s| s.to_string()).collect(),
                    None => cells[2..].iter().map(|s| s.to_string()).collect(),
                };
                format!("{}\t{}\t{}\t{}", cells[0], cells[1], budget.join("\t"), cells[2..].join("\t"))
            } else {
                l.to_string()
            }
        })
        .collect();
    format!("{}{}\n{}", &src[..a], sheet.join("\n"), &src[b..])
}

/// 全年预算数 columns of a 决算 table against the 预算 of the same year, code
/// by code: each difference is a 提示 stating the 调整, never an 错误; the
/// other rules keep reading the 本年支出 columns (no 错误 anywhere).
#[test]
fn adjusted_budget_columns_against_the_budget_tables() {
    let case = final_edited("check-adjusted-budget", final05_with_adjusted_budget);
    assert!(!case.has_errors(), "{:#?}", case.problems);
    let t05 = case.table(jixiao::model::TableKind::Final05, Some(2024)).unwrap();
    let keys: Vec<&str> = t05.main().columns.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "全年预算数/小计",
            "全年预算数/基本支出",
            "全年预算数/项目支出",
            "本年支出/小计",
            "本年支出/基本支出",
            "本年支出/项目支出"
        ]
    );
    assert_eq!(t05.total_in(&["小计"]), Some(d("8848.19")), "lookups prefer the money spent");
    let report = check(&case);
    let all = listing(&report);
    assert_eq!(report.errors(), 0, "{all}");
    let found: Vec<&jixiao::check::Finding> =
        report.findings.iter().filter(|f| f.rule == "cross.adjusted_budget").collect();
    assert_eq!(found.len(), 14, "{all}"); // 合计 and 13 of the 14 项 (not 行政运行)
    assert!(found.iter().all(|f| f.severity == Severity::Note));
    let message = |start: &str| found.iter().find(|f| f.message.starts_with(start)).map(|f| f.message.as_str());
    assert_eq!(
        message("2024年 一般公共预算财政拨款支出决算表 合计"),
        Some("2024年 一般公共预算财政拨款支出决算表 合计 “全年预算数/小计” 8,867.17 ≠ 一般公共预算支出情况表 年初预算数 12,847.65：年中预算调整 -3,980.48，其中基本支出 -2.54、项目支出 -3,977.94。调整后预算与年初预算不同不是错误，请在决算说明中说明调整原因。")
    );
    assert_eq!(
        message("2024年 一般公共预算财政拨款支出决算表 2080501"),
        Some("2024年 一般公共预算财政拨款支出决算表 2080501行政单位离退休 “全年预算数/小计” 3.09：一般公共预算支出情况表 中年初无预算，全年预算为年中追加 +3.09，其中基本支出 +3.09。请在决算说明中说明追加原因。")
    );
    assert_eq!(
        message("2024年 一般公共预算财政拨款支出决算表 2101601"),
        Some("2024年 一般公共预算财政拨款支出决算表 2101601老龄卫生健康事务 “全年预算数/小计” 1,617.05 ≠ 一般公共预算支出情况表 年初预算数 3,569.03：年中预算调整 -1,951.98，其中项目支出 -1,951.98。调整后预算与年初预算不同不是错误，请在决算说明中说明调整原因。")
    );
    // 行政运行's 全年预算数 is its 年初预算: nothing to say.
    assert_eq!(message("2024年 一般公共预算财政拨款支出决算表 2101501"), None, "{all}");
    let total = found.iter().find(|f| f.message.contains(" 合计 ")).unwrap();
    assert_eq!(total.difference, Some(d("-3980.48")));
}
