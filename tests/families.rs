//! The rule families an evaluator writes as data, on a working paper made
//! in the test (inline 指标体系, 事实, 单位数据): `gate`, `unit_share`,
//! `share` and `ratio` against a target, each with the 依据 it writes.

mod support;

use jixiao::check::check;
use jixiao::ingest::ingest_path;
use jixiao::score::{score, Scored};
use support::{d, Variant};

const HEAD: &str = "@sheet 项目信息\n@header 项目\t内容\n@row 评价对象\t某基金\n@row 评价年度\t2024\n\
@sheet 指标体系\n@header 一级指标\t二级指标\t三级指标\t分值\t指标解释\t评分办法\t数据来源\t规则\t参数\n";

fn scored(tag: &str, system: &str, rest: &str) -> Scored {
    let dir = support::temp_dir(&format!("families-{tag}"));
    support::write(&format!("{HEAD}{system}{rest}"), &dir.join("评价底稿.xlsx"), &Variant::default());
    let case = ingest_path(&dir);
    assert!(!case.has_errors(), "{tag}: {:#?}", case.problems);
    let s = score(&case, &check(&case)).unwrap_or_else(|e| panic!("{tag}: {e:#?}"));
    // Every equation a 依据 prints is true (tests/basis.rs).
    for i in &s.indicators {
        let wrong = support::equations::false_equations(&i.basis);
        assert!(wrong.is_empty(), "{tag} {}: {wrong:#?}", i.name);
    }
    s
}

/// The 问题清单's 问题描述 of a case scored by [`scored`] (worded in the Evaluation).
fn problems_of(tag: &str, s: &Scored) -> Vec<String> {
    let case = ingest_path(&support::root().join("target/test-tmp").join(format!("families-{tag}")));
    let e = jixiao::assemble::assemble(&case, &check(&case), s);
    e.score.problems.into_iter().map(|p| p.description).collect()
}

/// "If the 市级 requirement is met, full marks; otherwise score the 区县 sub-items."
const GATED: &str = "@row 管理（60）\t制度（60）\t制度健全性\t=60\t\t\t\tfindings\t\n\
@row 效果（40）\t达标（40）\t市级达标\t=40\t\t\t\tgate\tmetric=市级达标率; when=≥95; reason=市级考核达标\n\
@row \t\t\t\t\t\t\tratio\tweight=20; numerator=达标区县数; denominator=区县总数\n\
@row \t\t\t\t\t\t\tbands\tweight=20; metric=区县平均达标率; bands=≥90:1, ≥80:0.5, else:0\n";

#[test]
fn a_gate_that_holds_gives_its_score_and_skips_the_sub_items() {
    let facts = "@sheet 事实\n@header 名称\t数值\t单位\t说明\n@row 市级达标率\t=96\t%\t\n";
    let s = scored("gate-held", GATED, facts);
    let ind = &s.indicators[1];
    assert_eq!(ind.score, d("40"));
    assert_eq!(ind.basis, "市级考核达标：市级达标率为96%，不低于95%，得40分。");
    // The sub-items' facts are not needed once the gate holds.
    assert!(ind.pending.is_empty() && s.total == Some(d("100")), "{:?}", ind.pending);
}

#[test]
fn a_gate_that_fails_falls_through_to_the_sub_items() {
    let facts = "@sheet 事实\n@header 名称\t数值\t单位\t说明\n@row 市级达标率\t=90\t%\t\n\
@row 达标区县数\t=6\t个\t\n@row 区县总数\t=8\t个\t\n@row 区县平均达标率\t=85\t%\t\n";
    let s = scored("gate-failed", GATED, facts);
    let ind = &s.indicators[1];
    // 6/8 = 75 % of 20 = 15; 85 → the ≥80 band: 10.
    assert_eq!(ind.score, d("25"));
    assert!(
        ind.basis
            .starts_with("市级达标率为90%，低于95%，按以下各项评分：达标区县数=6/8×100%=75%，得分=75%×20分=15分。"),
        "{}",
        ind.basis
    );
    // Without the sub-items' facts the indicator waits for them, named.
    let s = scored(
        "gate-failed-missing",
        GATED,
        "@sheet 事实\n@header 名称\t数值\t单位\t说明\n@row 市级达标率\t=90\t%\t\n",
    );
    assert_eq!(s.indicators[1].pending, ["事实“达标区县数”", "事实“区县总数”", "事实“区县平均达标率”"]);
    assert_eq!(s.total, None);
}

/// "The share of the 区县 meeting a threshold", the failing ones named in
/// the 依据 and the 问题清单.
#[test]
fn unit_share_names_the_units_that_fall_short() {
    let system = "@row 管理（60）\t制度（60）\t制度健全性\t=60\t\t\t\tfindings\t\n\
@row 效果（40）\t参保（40）\t区县参保率达标\t=40\t\t\t\tunit_share\tcolumn=参保率; at_least=95; unit=%\n";
    let units = "@sheet 单位数据\n@header 区县\t参保率\t人数\n@row 甲区\t=96.5\t=1000\n@row 乙县\t=93\t2,000\n\
@row 丙县\t=95\t=800\n@row 丁县\t=88.2\t=500\n";
    let s = scored("unit-share", system, units);
    let ind = &s.indicators[1];
    assert_eq!(ind.score, d("20"));
    assert_eq!(ind.basis, "4个单位中2个参保率不低于95%，未达到的有：乙县（93%）、丁县（88.2%）；得分=40分×2/4=20分。");
    let problems = problems_of("unit-share", &s);
    assert!(problems.iter().any(|p| p.contains("乙县（93%）、丁县（88.2%）")), "{problems:#?}");
    // between, and a unit whose value is blank is an error naming it (the indicator 未评分).
    let system = system.replace("at_least=95", "between=90, 97");
    let s = scored("unit-share-between", &system, &units.replace("=88.2", ""));
    assert_eq!(
        s.indicators[1].failed.as_deref(),
        Some("规则 unit_share：评价底稿“单位数据”表中“丁县”的“参保率”为空：请填写，或删去这一行。")
    );
    let s = scored("unit-share-between-ok", &system, units);
    assert_eq!(s.indicators[1].score, d("30"), "{}", s.indicators[1].basis);
    assert!(s.indicators[1].basis.contains("在90%至97%之间，未达到的有：丁县（88.2%）"), "{}", s.indicators[1].basis);
}

#[test]
fn share_and_ratio_say_what_they_counted() {
    let system = "@row 管理（60）\t制度（60）\t制度执行\t=60\t\t\t\tshare\tcompliant=合规单位数; total=单位总数\n\
@row 效果（40）\t产出（40）\t完成率\t=40\t\t\t\tratio\tnumerator=完成数; denominator=计划数; target=90\n";
    let facts = "@sheet 事实\n@header 名称\t数值\t单位\t说明\n@row 合规单位数\t=5\t个\t\n@row 单位总数\t=6\t个\t\n\
@row 完成数\t=80\t个\t\n@row 计划数\t=100\t个\t\n";
    let s = scored("share-ratio", system, facts);
    assert_eq!(s.indicators[0].basis, "合规单位数5个，单位总数6个，占比83.33%，得分=5/6×60分=50分。");
    assert_eq!(s.indicators[1].score, d("35.56"));
    assert_eq!(s.indicators[1].basis, "完成数=80/100×100%=80%，未达到目标值90%，得分=80%/90%×40分=35.56分。");
    let s = scored("ratio-met", system, &facts.replace("=80\t个", "=92\t个"));
    assert_eq!(s.indicators[1].basis, "完成数=92/100×100%=92%，达到目标值90%，得满分40分。");
}

/// A per-unit column written as a formula over two columns of 单位数据
/// (issue 27 item 3): computed per unit, the 依据 names both columns and
/// shows each failing unit's numbers; a missing column is asked for by name.
#[test]
fn unit_share_takes_a_formula_over_columns() {
    let system = "@row 管理（60）\t制度（60）\t制度健全性\t=60\t\t\t\tfindings\t\n\
@row 效果（40）\t改革（40）\tDRG付费覆盖\t=40\t\t\t\tunit_share\tcolumn=实行DRG付费机构数 / 定点医疗机构数 × 100; at_least=90; unit=%\n";
    let units = "@sheet 单位数据\n@header 区县\t实行DRG付费机构数\t定点医疗机构数\n@row 甲区\t=20\t=20\n\
@row 乙县\t=3\t=5\n@row 丙县\t=19\t=20\n@row 丁县\t=2\t=3\n";
    let s = scored("unit-share-formula", system, units);
    let ind = &s.indicators[1];
    assert_eq!(ind.score, d("20"));
    assert_eq!(
        ind.basis,
        "按单位数据“实行DRG付费机构数/定点医疗机构数×100%”计算，4个单位中2个不低于90%，\
未达到的有：乙县（3/5×100%=60%）、丁县（2/3×100%=66.67%）；得分=40分×2/4=20分。"
    );
    // With a label, the label and the formula.
    let labelled = system.replace("unit_share\tcolumn=", "unit_share\tlabel=DRG付费覆盖率; column=");
    let s = scored("unit-share-formula-label", &labelled, units);
    assert!(
        s.indicators[1]
            .basis
            .starts_with("4个单位中2个DRG付费覆盖率（实行DRG付费机构数/定点医疗机构数×100%）不低于90%"),
        "{}",
        s.indicators[1].basis
    );
    // A column of the formula missing: the indicator waits for that column, by its name.
    let s = scored("unit-share-formula-missing", system, &units.replace("定点医疗机构数", "机构总数"));
    assert_eq!(s.indicators[1].pending, ["单位数据“定点医疗机构数”"]);
    // A unit dividing by 0 is an error, not a score.
    let s = scored("unit-share-formula-zero", system, &units.replace("=3\t=5", "=0\t=0"));
    assert!(s.indicators[1].failed.as_deref().is_some_and(|f| f.contains("为 0")), "{:?}", s.indicators[1].failed);
}

/// `window` edges, stated once (issue 27 item 4): full marks inclusive,
/// zero strict — 100 % in a 95–100 window whose `zero_above` is 100 gets
/// full marks, just past it 0, and a value on `zero_below` is scored by
/// the distance (not zeroed).
#[test]
fn window_edges_are_inclusive_for_full_marks_and_strict_for_zero() {
    let system = "@row 管理（60）\t制度（60）\t制度健全性\t=60\t\t\t\tfindings\t\n\
@row 效果（40）\t执行（40）\t执行率\t=40\t\t\t\twindow\tmetric=执行率; full_from=95; full_to=100; per_point=2; zero_below=85; zero_above=100\n";
    let facts = |v: &str| format!("@sheet 事实\n@header 名称\t数值\t单位\t说明\n@row 执行率\t={v}\t%\t\n");
    let score_at = |tag: &str, v: &str| scored(tag, system, &facts(v)).indicators[1].clone();
    for (tag, v, want) in [
        ("window-top", "100", "40"),
        ("window-bottom", "95", "40"),
        ("window-past-top", "100.5", "0"),
        ("window-below", "90", "30"),
        ("window-on-zero-below", "85", "20"),
        ("window-past-zero-below", "84.9", "0"),
    ] {
        let ind = score_at(tag, v);
        assert_eq!(ind.score, d(want), "{tag}: {}", ind.basis);
    }
    let ind = score_at("window-top-basis", "100");
    assert!(!ind.basis.contains("扣") && ind.basis.contains("100%"), "{}", ind.basis);
}
