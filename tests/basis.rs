//! The 得失分依据 a reviewer reads in 附件2: every equation it prints is
//! true (each side computed equals the result within the rounding shown),
//! no divisor of 0 is printed as a result, conditions are said in words with
//! their unit (`不超过5%`, not `属于“≤5”档` or `满足“=0”`), and a target
//! is scored as `实际完成值…/年度指标值…×分值`, never in the engine's B/A.

mod support;

use jixiao::check::{check, CheckReport};
use jixiao::ingest::ingest_path;
use jixiao::score::{score, Scored};
use support::equations::{equations, false_equations};

const SAMPLES: [&str; 3] = ["zaozhuang-shizhong-2024", "gaoyi-2021", "project-yiliaojiuzhu-2024"];

fn scored(case: &str) -> (Scored, CheckReport) {
    let c = ingest_path(&support::root().join("sample-workbooks").join(case));
    let checks = check(&c);
    (score(&c, &checks).unwrap_or_else(|e| panic!("{case}: {e:#?}")), checks)
}

/// Every 依据 of a case: the indicators', and the re-checked targets' of
/// its 项目支出绩效自评表 (校验结果, and the `target` rules that quote them).
fn bases(s: &Scored, checks: &CheckReport) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> =
        s.indicators.iter().map(|i| (format!("({}) {}", i.number, i.name), i.basis.clone())).collect();
    for r in &checks.rechecks {
        out.extend(r.indicators.iter().map(|i| (format!("{} › {}", r.project, i.name), i.basis.clone())));
    }
    out
}

fn basis(s: &Scored, number: usize) -> &str {
    &s.indicators.iter().find(|i| i.number == number).unwrap().basis
}

#[test]
fn every_equation_printed_is_true() {
    for case in SAMPLES {
        let (s, checks) = scored(case);
        let mut found = 0;
        for (what, text) in bases(&s, &checks) {
            found += equations(&text).len();
            let wrong = false_equations(&text);
            assert!(wrong.is_empty(), "{case} {what}: {wrong:#?}\n{text}");
        }
        assert!(found >= 5, "{case}: only {found} equations found — is the reader reading?");
    }
    // The independent bureau workbooks, where they are beside the clone: their re-checks.
    for case in ["zaozhuang-shizhong-2024", "gaoyi-2021"] {
        let dir = support::root().join("../shared/workbooks").join(case);
        if !dir.is_dir() {
            assert!(std::env::var_os("CI").is_none(), "{} is missing on CI", dir.display());
            continue;
        }
        let checks = check(&ingest_path(&dir));
        for r in &checks.rechecks {
            for i in &r.indicators {
                let wrong = false_equations(&i.basis);
                assert!(wrong.is_empty(), "{case} {} › {}: {wrong:#?}", r.project, i.name);
            }
        }
    }
}

/// No 依据 speaks the engine's notation.
#[test]
fn no_basis_speaks_the_engines_words() {
    let engine =
        ["属于“", "满足“", "不满足“", "”档", "B/A", "A/B", "正向指标", "反向指标", "封顶", "不在以上各档", "÷(0/"];
    for case in SAMPLES {
        let (s, checks) = scored(case);
        for (what, text) in bases(&s, &checks) {
            for word in engine {
                assert!(!text.contains(word), "{case} {what} says “{word}”: {text}");
            }
        }
    }
}

#[test]
fn zaozhuang_says_its_bands_gates_and_idle_assets_as_a_reviewer_does() {
    let (s, _) = scored("zaozhuang-shizhong-2024");
    assert_eq!(basis(&s, 4), "预算执行率偏差=|8848.19/8848.19×100%-100%|=0%，不超过5%，得分=2分×100%=2分。");
    // 0 idle assets in both years: no 0/0, the figures said and how it was scored.
    assert!(
        basis(&s, 14).starts_with(
            "本年闲置资产0万元、资产总额58.77万元，上年闲置资产0万元、资产总额81.40万元，\
上年与本年均无闲置资产，闲置资产变化率不适用，按0%计，低于70%，得分=1分×100%=1分。"
        ),
        "{}",
        basis(&s, 14)
    );
    assert!(
        basis(&s, 14).ends_with("固定资产利用率=164.08/164.08×100%=100%，得分=1分×100%=1分。"),
        "{}",
        basis(&s, 14)
    );
    assert!(basis(&s, 27).contains("=89.59%，不低于80%且低于90%，得分=4分×60%=2.4分。"), "{}", basis(&s, 27));
    // The gate: the figure says the condition, stated once with the reason.
    for (number, points) in [(10, "2"), (11, "1"), (12, "1")] {
        assert!(
            basis(&s, number).starts_with(&format!(
                "本年度未发生政府采购，该项不适用：政府采购预算金额为0万元，得{points}分。市中区医疗保障局2024年无政府采购计划"
            )),
            "({number}) {}",
            basis(&s, number)
        );
    }
    // Units beside the figures of a 计算过程.
    assert_eq!(basis(&s, 21), "60岁以上城乡居民参保率=56710/58634×100%=96.72%，得分=96.72%×3分=2.9分。");
    assert!(basis(&s, 25).contains("得分=10分/3×(0.75+0.75+1)=8.33分。"), "{}", basis(&s, 25));
    assert_eq!(basis(&s, 26), "高质量发展等级为“良好”，得分=6分×80%=4.8分。");
}

/// (17) as seed 000's 附件2: what was done, then one 扣1.5分 for the three
/// projects — not one sentence three times.
#[test]
fn zaozhuang_17_says_its_finding_once_with_what_was_done() {
    let (s, _) = scored("zaozhuang-shizhong-2024");
    let b = basis(&s, 17);
    assert_eq!(b.matches("开展事前评价").count(), 1, "{b}");
    assert_eq!(b.matches('扣').count(), 1, "{b}");
    assert!(b.starts_with("部门绩效运行监控、绩效自评实现全覆盖，做到了应评尽评，绩效资料报送及时"), "{b}");
    assert!(
        b.ends_with("医疗救助资金、城乡居民区级配套资金、60岁以上城乡居民财政代缴等项目未按照《枣庄市社会福利和社会救助资金管理暂行办法》规定开展事前评价，扣1.5分。"),
        "{b}"
    );
    assert_eq!(s.indicators.iter().find(|i| i.number == 17).unwrap().score, support::d("3.5"));
}

#[test]
fn a_target_is_scored_in_a_reviewers_words() {
    let (s, checks) = scored("project-yiliaojiuzhu-2024");
    assert_eq!(
        basis(&s, 13),
        "年度指标值“≥18200人次”，实际完成“≥18200人”：实际完成值18200人次/年度指标值18200人次×10分=10分。"
    );
    // Above the 分值: the equation stays true and the cap is said.
    assert_eq!(
        basis(&s, 16),
        "年度指标值“≥95%”，实际完成“96%”：实际完成值96%/年度指标值95%×6.67分=6.74分，超过分值按分值计，得6.67分。"
    );
    assert_eq!(basis(&s, 7), "资金到位率=1241.13/2389×100%=51.95%，得分=51.95%×4分=2.08分。");
    assert!(checks.rechecks.iter().all(|r| r.indicators.iter().all(|i| !i.basis.contains("B/A"))));
    // 枣庄's re-check of an unmet 数量指标: the formula, then why it scores 0.
    let (_, checks) = scored("zaozhuang-shizhong-2024");
    let all: Vec<&str> = checks.rechecks.iter().flat_map(|r| &r.indicators).map(|i| i.basis.as_str()).collect();
    assert!(
        all.contains(&"实际完成值2910人/年度指标值2960人×20分=19.66分，但数量指标未完成年度指标值，不得分"),
        "{all:#?}"
    );
}
#[test]
fn the_reader_of_equations_reads_true_and_false_ones() {
    assert!(false_equations("得分=96.72%×3分=2.9分。").is_empty());
    assert!(false_equations("预算执行率偏差=|8848.19/8848.19×100%-100%|=0%，不超过5%。").is_empty());
    assert!(false_equations("问卷满意度=(89.17%+90.00%)/2=89.59%。").is_empty());
    assert!(false_equations("60岁以上城乡居民参保率=56710/58634×100%=96.72%").is_empty());
    assert!(false_equations("得分=10分/3×(0.75+0.75+1)=8.33分").is_empty());
    assert!(false_equations("成本节约率=(200-206)/200×100%=-3%").is_empty());
    // The old target formula: 96/95×6.67 is 6.74, not 6.67.
    assert_eq!(false_equations("正向指标 B/A 96/95×6.67 = 6.67，封顶6.67分").len(), 1);
    // A division by 0 printed as a result.
    assert_eq!(false_equations("闲置资产变化率=(0/58.77)÷(0/81.40)×100%=0%").len(), 1);
    assert_eq!(equations("资金到位率=1241.13/2389×100%=51.95%，得分=51.95%×4分=2.08分。").len(), 2);
}
