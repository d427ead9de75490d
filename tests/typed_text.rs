//! The working paper's typed text against the case (issue 26 items 5, 8, 9,
//! 11): figures typed in 文字 / 发现 against the tables, placeholder names,
//! a third party's voice in a 自评, and a 目标表 column set apart from its
//! values. Every fixture is a real workbook written with rust_xlsxwriter:
//! the sample's tables with a working paper (or 目标表) of the test's own.

mod support;

use jixiao::check::{check, Finding};
use jixiao::ingest::ingest_path;
use support::Variant;

/// A case folder: the sample's workbooks, with `own` (name, source)
/// replacing or adding workbooks.
fn case_with(tag: &str, sample: &str, own: &[(&str, &str)]) -> Vec<Finding> {
    let dir = support::temp_dir(&format!("typed-{tag}"));
    for (name, src) in support::sample_sources(sample) {
        if !own.iter().any(|(n, _)| *n == name) {
            support::write(&src, &dir.join(&name), &Variant::default());
        }
    }
    for (name, src) in own {
        support::write(src, &dir.join(name), &Variant::default());
    }
    let case = ingest_path(&dir);
    check(&case).findings
}

fn of_rule(findings: &[Finding], rule: &str) -> Vec<String> {
    findings.iter().filter(|f| f.rule == rule).map(|f| f.to_string()).collect()
}

const PAPER: &str = "评价底稿.xlsx";

const INFO: &str = "@sheet 项目信息
@header 项目\t内容
@row 评价对象\t枣庄市市中区医疗保障局
@row 评价年度\t2024
@row 评价机构\t润政咨询（山东）有限公司
@row 主评人\t徐淑敏
";

fn paper(texts: &[(&str, &str)], findings: &[(&str, &str)]) -> String {
    let mut s = INFO.to_string();
    s.push_str("@sheet 文字\n@header 名称\t内容\n");
    for (name, text) in texts {
        s.push_str(&format!("@row {name}\t{text}\n"));
    }
    s.push_str("@sheet 发现\n@header 三级指标\t子项\t扣分\t问题描述\t主题\n");
    for (indicator, text) in findings {
        s.push_str(&format!("@row {indicator}\t\t=0\t{text}\t\n"));
    }
    s
}

const ADJUSTED: &str = "年初预算安排资金12,847.65万元，调减预算1268.369万元，调整比例未超过年初预算总额10%。";

#[test]
fn a_typed_figure_that_disagrees_with_the_tables_is_a_note_naming_cell_figure_and_both_values() {
    let src = paper(
        &[
            ("预算调整", ADJUSTED),
            // Full-width digits, rounding to the text's precision, 亿元: all agree.
            ("执行情况", "全年预算数８８４８．１９万元，决算支出8848万元，预算执行率100%，年初预算约1.28亿元。"),
            ("偏差", "年初预算1.5亿元；2024年公务接待费决算支出3000元。"),
        ],
        &[("预算安排与部门职能匹配度", ADJUSTED)],
    );
    let findings = case_with("figure", "zaozhuang-shizhong-2024", &[(PAPER, &src)]);
    assert_eq!(
        of_rule(&findings, "paper.typed_figure"),
        vec![
            "提示 文字“预算调整”写“调减预算1268.369万元”，而本案的预算调整额为 3,999.46 万元（年初预算数 12,847.65 万元 − 全年预算数 8,848.19 万元，调减）。发现“预算安排与部门职能匹配度”（发现 › D2）也这样写。（文字 › B2）",
            "提示 文字“预算调整”写“调整比例未超过年初预算总额10%”，而本案的预算调整率为 -31.13%（(全年预算数 8,848.19 万元 − 年初预算数 12,847.65 万元) ÷ 年初预算数），幅度超过 10%。发现“预算安排与部门职能匹配度”（发现 › D2）也这样写。（文字 › B2）",
            "提示 文字“偏差”写“年初预算1.5亿元”，而本案的年初预算数为 12,847.65 万元（2024年部门预算公开表.xlsx › 03支出总体 › E5）。（文字 › B4）",
            "提示 文字“偏差”写“公务接待费决算支出3000元”，而本案的公务接待费决算数为 0.27 万元（2024年度部门决算公开表.xlsx › 公开09表 › L8）。（文字 › B4）",
        ]
    );
    let f = findings.iter().find(|f| f.rule == "paper.typed_figure").unwrap();
    assert_eq!(f.workbook, PAPER);
    assert_eq!(f.cells[0].to_string(), "评价底稿.xlsx › 文字 › B2");
    assert!(of_rule(&findings, "paper.typed_unverified").is_empty(), "{findings:#?}");
}

#[test]
fn amounts_no_figure_names_are_listed_once_per_text_unless_the_case_holds_them() {
    let src = paper(
        &[(
            "五项经费",
            // 3456.78 and 4321.09 are nowhere; 0.62 / 0.27 are 06 / 09 figures, 0.89 their sum;
            // zeros and a limit (单价100万元以上) are left out; 98元 is no 万元 amount.
            "另有专项资金3456.78万元、0万元，单价100万元以上设备，培训费0.62万元，公务接待费0.27万元，合计0.89万元，办公经费98元，结余4321.09万元。",
        )],
        &[],
    );
    let findings = case_with("unverified", "zaozhuang-shizhong-2024", &[(PAPER, &src)]);
    assert_eq!(
        of_rule(&findings, "paper.typed_unverified"),
        vec!["提示 文字“五项经费”中的金额 3456.78万元、4321.09万元 在本案的报表、自评表和评价底稿中都找不到，无法核对：请核对出处（或在评价底稿“事实”中登记）。（文字 › B2）"]
    );
    assert!(of_rule(&findings, "paper.typed_figure").is_empty());
}

#[test]
fn a_text_of_hundreds_of_numbers_is_read_in_bounded_work_and_listed_briefly() {
    let mut long: String = (0..200).map(|i| format!("资金{}.01万元、", 90_000 + i)).collect();
    long.push_str("年初预算12,000万元。");
    let src = paper(&[("长文", &long)], &[]);
    let started = std::time::Instant::now();
    let findings = case_with("long", "zaozhuang-shizhong-2024", &[(PAPER, &src)]);
    assert!(started.elapsed().as_secs() < 60);
    let listed = of_rule(&findings, "paper.typed_unverified");
    assert_eq!(listed.len(), 1, "{listed:#?}");
    assert!(listed[0].starts_with("提示 文字“长文”中的金额 90000.01万元、90001.01万元、"), "{}", listed[0]);
    assert!(listed[0].contains("90007.01万元等 200 处 在本案"), "{}", listed[0]);
    assert_eq!(
        of_rule(&findings, "paper.typed_figure"),
        vec!["提示 文字“长文”写“年初预算12,000万元”，而本案的年初预算数为 12,847.65 万元（2024年部门预算公开表.xlsx › 03支出总体 › E5）。（文字 › B2）"]
    );
}

#[test]
fn placeholder_names_are_a_note_per_sheet_naming_every_cell() {
    let src = "@sheet 项目信息
@header 项目\t内容
@row 评价对象\t枣庄市市中区医疗保障局
@row 评价年度\t2024
@row 委托方\t枣庄市市中区财政局
@row 评价机构\t某会计师事务所
@row 主评人\t张三
@row 评估组成员\tXXX、李明
@row 一级审核\t王海燕
@sheet 评价人员
@header 姓名\t职务\t工作内容
@row 测试人员\t项目经理\t现场核查
@row 李明\t项目助理\t资料收集
";
    let findings = case_with("placeholder", "zaozhuang-shizhong-2024", &[(PAPER, src)]);
    assert_eq!(
        of_rule(&findings, "paper.placeholder"),
        vec![
            "提示 项目信息中的名称像是占位名称（含“某会计师事务所”、“张三”、“XXX”）：评价机构“某会计师事务所”、主评人“张三”、评估组成员“XXX、李明”。报告封面和署名处会原样印出，请改为真实名称。（项目信息 › B5、B6、B7）",
            "提示 评价人员中的名称像是占位名称（含“测试”）：“测试人员”。报告封面和署名处会原样印出，请改为真实名称。（评价人员 › A2）",
        ]
    );
}

/// A 整体绩效目标表 laid out as the department printed it: 来源 cut from its
/// 历史值 group to the last column (empty), its values under 备注.
fn targets(moved_back: bool) -> String {
    let (remark, source) = if moved_back { ("", "内部统计") } else { ("内部统计", "") };
    format!(
        "@sheet 整体绩效目标表
@title 2024年度枣庄市市中区医保局整体绩效目标表
@header 职责序号\t部门职责\t绩效指标\t年度指标值\t指标参考值\t<\t<\t<\t备注\t对应处室\t
@header ^\t^\t^\t^\t标准值\t<\t历史值\t<\t^\t^\t
@header ^\t^\t^\t^\t规划值\t当年标准值\t前三年均值\t上年值\t^\t^\t来源
@row =1\t负责医疗救助工作\t医疗救助对象参保率\t100%\t100%\t100%\t100%\t100%\t{remark}\t参保登记科\t{source}
@row =2\t负责重残对象参保工作\t重残对象参保率\t100%\t100%\t100%\t100%\t100%\t{remark}\t参保登记科\t{source}
@row =3\t业务经费\t业务经费\t100%\t100%\t100%\t100%\t100%\t\t办公室\t
"
    )
}

#[test]
fn a_target_table_column_set_apart_from_its_values_is_a_note_naming_both_headers() {
    let findings = case_with("annex4", "zaozhuang-shizhong-2024", &[("整体绩效目标表.xlsx", &targets(false))]);
    assert_eq!(
        of_rule(&findings, "disclosure.targets_column"),
        vec!["提示 整体绩效目标表的“来源”列（K4）各行都是空的，而“备注”列（I2）填有内容（如“内部统计”）：“来源”像是错填到了“备注”列，附件4 原样转印此表，请核对后修改部门的表。（整体绩效目标表 › K4、I2）"]
    );
    let f = findings.iter().find(|f| f.rule == "disclosure.targets_column").unwrap();
    assert_eq!(f.workbook, "整体绩效目标表.xlsx");
    // With the sources under their own header, nothing to say; nor of an
    // empty 备注 (a column under a top header, or an empty neighbour).
    let findings = case_with("annex4-fixed", "zaozhuang-shizhong-2024", &[("整体绩效目标表.xlsx", &targets(true))]);
    assert!(of_rule(&findings, "disclosure.targets_column").is_empty(), "{findings:#?}");
}

const THIRD_PARTY_TEXT: &str =
    "本次绩效评价由县财政局委托我公司实施，评价组认为部门预算编制规范；经复核，自评报告称满意度较高。";

fn self_paper(kind: &str) -> String {
    format!(
        "@sheet 项目信息
@header 项目\t内容
@row 评价对象\t高邑县医疗保障局
@row 评价年度\t2021
@row 报告类型\t{kind}
@sheet 文字
@header 名称\t内容
@row 评价结论\t{THIRD_PARTY_TEXT}
@row 自评组织工作\t我局组织成立了绩效评价工作小组，经自评，部门整体支出绩效良好。
@sheet 发现
@header 三级指标\t子项\t扣分\t问题描述\t主题
@row 社会公众满意度\t\t=1\t复核发现满意度调查样本偏少。\t
"
    )
}

#[test]
fn a_third_party_voice_in_a_self_evaluation_is_a_note_naming_cell_and_phrases() {
    let findings = case_with("voice", "gaoyi-2021", &[(PAPER, &self_paper("部门整体支出绩效自评"))]);
    assert_eq!(
        of_rule(&findings, "paper.voice"),
        vec![
            "提示 文字“评价结论”用了第三方评价的口吻（“我公司”、“评价组认为”、“经复核”、“自评报告称”）：本报告是部门自评，由部门自己撰写，请改用部门自己的口吻（如“我局”“经自评”）。（文字 › B2）",
            "提示 发现“社会公众满意度”用了第三方评价的口吻（“复核发现”）：本报告是部门自评，由部门自己撰写，请改用部门自己的口吻（如“我局”“经自评”）。（发现 › D2）",
        ]
    );
    // A third party's report may speak so.
    let findings = case_with("voice-third", "gaoyi-2021", &[(PAPER, &self_paper("部门整体支出绩效评价"))]);
    assert!(of_rule(&findings, "paper.voice").is_empty());
}
