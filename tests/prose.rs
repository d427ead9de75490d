//! The prose check of issue 26 (`support::prose`): (a) each defect class the
//! senior reviewer marked is found in a small crafted document that has it,
//! and a document without it passes; (b) every document jixiao writes — the
//! three samples (the three shipped kinds), the example kind 基金评价, three
//! synthesised batch cases and the batch's summaries — reads clean.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use support::prose::{self, arith, rules, Class, Defect, Docx, Voice};

// ---------------------------------------------------------------- crafting

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn run(text: &str) -> String {
    let parts: Vec<String> =
        text.split('\t').map(|t| format!(r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#, escape(t))).collect();
    parts.join("<w:r><w:tab/></w:r>")
}

fn paragraph(style: &str, text: &str) -> String {
    let ppr = if style.is_empty() {
        String::new()
    } else {
        format!(r#"<w:pPr><w:pStyle w:val="{style}"/><w:tabs><w:tab w:val="right" w:pos="8844"/></w:tabs></w:pPr>"#)
    };
    format!("<w:p>{ppr}{}</w:p>", run(text))
}

/// A `document.xml` from lines: `# ` `## ` `### ` headings, `toc: ` a 目录
/// entry, `|h ` a table header row and `| ` a table row (cells split at
/// ` | `; consecutive rows one table), else a paragraph.
fn document(src: &str) -> String {
    let mut body = String::new();
    let mut in_table = false;
    for line in src.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let row = line.strip_prefix("|h ").map(|r| (r, true)).or(line.strip_prefix("| ").map(|r| (r, false)));
        if row.is_some() != in_table {
            body.push_str(if in_table { "</w:tbl>" } else { "<w:tbl>" });
            in_table = row.is_some();
        }
        if let Some((cells, header)) = row {
            let trpr = if header { "<w:trPr><w:tblHeader/></w:trPr>" } else { "" };
            let tcs: String = cells.split(" | ").map(|c| format!("<w:tc>{}</w:tc>", paragraph("", c))).collect();
            body.push_str(&format!("<w:tr>{trpr}{tcs}</w:tr>"));
            continue;
        }
        let (style, text) = if let Some(t) = line.strip_prefix("### ") {
            ("Heading3", t)
        } else if let Some(t) = line.strip_prefix("## ") {
            ("Heading2", t)
        } else if let Some(t) = line.strip_prefix("# ") {
            ("Heading1", t)
        } else if let Some(t) = line.strip_prefix("toc: ") {
            ("ToC1", t)
        } else {
            ("", line)
        };
        body.push_str(&paragraph(style, text));
    }
    if in_table {
        body.push_str("</w:tbl>");
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    )
}

fn doc(src: &str) -> Docx {
    Docx::from_xml(&document(src), "")
}

const UPDATE: &str = r#"<w:settings xmlns:w="w"><w:zoom w:percent="100"/><w:updateFields w:val="true"/></w:settings>"#;
const NO_UPDATE: &str = r#"<w:settings xmlns:w="w"><w:zoom w:percent="100"/></w:settings>"#;

/// A case's JSON with these indicators (name, weight) and budget figures.
fn case(indicators: &[(&str, &str)], budget: Value) -> Value {
    let list: Vec<Value> = indicators.iter().map(|(n, w)| json!({"name": n, "weight": w, "score": w})).collect();
    json!({"case": {"object": "枣庄市市中区医疗保障局", "short": "市中区医疗保障局", "kind": "部门预算整体绩效评价"},
           "score": {"indicators": list}, "budget": budget, "project": null})
}

fn classes(defects: &[Defect]) -> Vec<Class> {
    defects.iter().map(|d| d.class).collect()
}

fn only(class: Class, defects: Vec<Defect>) -> Vec<Defect> {
    defects.into_iter().filter(|d| d.class == class).collect()
}

// ------------------------------------------------------------ (a) classes

#[test]
fn class1_full_marks_beside_a_deduction_or_said_twice() {
    let names = [("收入预算完成率", "2"), ("完成时间", "5"), ("预算执行率", "2"), ("立项依据充分性", "3")];
    let json = case(&[&names[..], &[("参保率", "30"), ("固定资产利用", "2")]].concat(), json!({}));
    let bad = doc("# 三、指标分析\n\
        （1）收入预算完成率（2分）：收入预算完成率为99.99%，符合满分标准，得满分。此项得2分。\n\
        （7）完成时间（5分）：达到100%的目标，得满分。项目完成时限与预期有差距，扣0.5分。此项得4.5分。\n\
        ### （2）预算执行率\n预算执行率为92%，达到满分标准，得1分。\n\
        参保率（30分）：得30分。参保率=342000/350000×100%=97.71%，得分=30×100%=30分。\n\
        # 附件2：绩效评价得分表\n|h 三级指标 | 得分 | 得失分依据\n| (7) 完成时间（5分） | 4.5 | 得满分。扣0.5分。");
    let found = rules::full_marks(&bad, &json);
    assert_eq!(found.len(), 5, "{found:#?}");
    assert!(found[3].text.starts_with("得分说了两遍（参保率"), "得30分 and 得分=…=30分: {}", found[3]);
    assert!(found[0].text.starts_with("得分说了两遍（收入预算完成率"), "{}", found[0]);
    assert!(found[1].text.starts_with("满分措辞与扣分并存（完成时间"), "{}", found[1]);
    assert!(
        found[2].text.contains("预算执行率") && found[2].text.contains("得1分"),
        "a heading's paragraphs: {}",
        found[2]
    );
    assert!(found[4].place.contains("表格行"), "{}", found[4]);
    let good = doc(
        "# 三、指标分析\n\
        （7）完成时间（5分）：项目完成时限与预期有差距，扣0.5分，得4.5分。\n\
        1. 立项依据充分性（3分）：未发现问题，得满分3分。\n\
        ### （2）预算执行率\n预算执行率偏差为0%，不超过5%，得满分。\n\
        # 附件1：绩效评价指标体系\n|h 三级指标 | 评分办法\n| (7) 完成时间（5分） | 按期完成得满分；每延期一个月扣0.5分",
    );
    assert_eq!(rules::full_marks(&good, &json), vec![]);
}

#[test]
fn class2_arithmetic_that_does_not_hold() {
    for wrong in [
        "正向指标 B/A 96/95×6.67 = 6.67，封顶6.67分",
        "闲置资产变化率=(0/58.77)÷(0/81.40)×100%=0%",
        "差额=5442.70-5000=400.00万元",
        "资金到位率=1241.13/2389×100%=52.95%",
        "x=2×3=6=7",
    ] {
        assert_eq!(arith::false_equations(wrong).len(), 1, "{wrong}");
    }
    assert!(arith::false_equations("(0/58.77)÷(0/81.40)×100%=0%")[0].1.contains("除数为零"));
    for right in [
        "年中预算调剂率=1268.369/12847.65×100%=9.87%",
        "五项费用总变动率=(0.89-0.76)/0.76×100%=17.11%",
        "问卷满意度=(89.17%+90.00%)/2=89.59%",
        "预算执行率偏差=|8848.19/8848.19×100%-100%|=0%",
        "得分=10/3×(0.75+0.75+1)=8.33分",
        "得分=51.95%×4=2.08分",
        "资金到位率=1,241.13/2,389.00×100%=51.95%",
        "（覆盖率=部门实际评价项目资金规模/应评价项目资金规模*100%）",
        "2024-12-31前完成，满足“=0”，得2分",
        "得分=96.72%×3=2.9分",
    ] {
        assert_eq!(arith::false_equations(right), vec![], "{right}");
    }
    let bad =
        doc("# 附件2：绩效评价得分表\n| (16) 医保政策宣传覆盖率（6.67分） | 6.67 | 正向指标 B/A 96/95×6.67 = 6.67");
    assert_eq!(classes(&rules::false_equations(&bad)), [Class::FalseEquation]);
    let good = doc("# 附件2：绩效评价得分表\n| (7) 资金到位率（4分） | 2.08 | 资金到位率=1241.13/2389×100%=51.95%");
    assert_eq!(rules::false_equations(&good), vec![]);
}

#[test]
fn class3_formulas_and_engine_thresholds_in_the_chapters() {
    let bad = doc("# 三、评价结论及分析\n\
        预算执行率偏差为0%，属于“≤5”档，得分=2×100%=2分。\n\
        年度指标值“≥95%”，实际完成“96%”：正向指标 B/A 96/95×6.67 = 6.67，封顶6.67分。\n\
        闲置资产变化率为0%，属于“<70”档。\n政府采购预算金额为0万元，满足“=0”，得2分。");
    let found = rules::formula_text(&bad);
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(found[0].text.starts_with("得分=、“≤5”档"), "{}", found[0]);
    assert!(found[1].text.contains("正向指标") && found[1].text.contains("封顶") && found[1].text.contains("B/A"));
    // The same in 附件2's 计算过程 is where a formula belongs.
    let good = doc("# 三、评价结论及分析\n预算执行率偏差为0%，不超过5%，得满分。\n\
        # 附件2：绩效评价得分表\n| (4) 预算执行率（2分） | 2 | 预算执行率偏差=0%，属于“≤5”档，得分=2×100%=2分。");
    assert_eq!(rules::formula_text(&good), vec![]);
}

#[test]
fn class4_a_sentence_said_three_times() {
    let bad = doc("# 四、绩效评价指标分析\n1. 立项依据充分性（3分）：未发现问题，得满分3分。\n\
        2. 立项程序规范性（3分）：未发现问题，得满分3分。\n5. 预算编制科学性（3分）：未发现问题，得满分3分。");
    let found = rules::repeated(&bad);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].text.contains("“未发现问题，得满分3分”出现3次"), "{}", found[0]);
    // Twice is not three times; a name in a table's cells is not a
    // sentence; the annexes and header rows are not the body.
    let good = doc("# 四、绩效评价指标分析\n1. 立项依据充分性（3分）：未发现问题，得满分3分。\n\
        2. 立项程序规范性（3分）：未发现问题，得满分3分。\n\
        |h 序号 | 涉及单位 \n| 1 | 枣庄市市中区医疗保障局\n| 2 | 枣庄市市中区医疗保障局\n| 3 | 枣庄市市中区医疗保障局\n\
        # 附件2：绩效评价得分表\n| 1 | 未发现问题，得满分3分。\n| 2 | 未发现问题，得满分3分。\n| 3 | 未发现问题，得满分3分。");
    assert_eq!(rules::repeated(&good), vec![]);
}

#[test]
fn class5_a_problem_list_entry_that_is_no_problem() {
    for not_a_problem in [
        "五项费用总控制率为100%，未超过100%。五项费用总变动率为17.11%，超过10%。",
        "高质量发展等级为“良好”。",
        "问卷满意度为89.59%，低于95%的满分标准。",
        "政府采购执行率为100%，达到100%的目标。",
        "以全年预算数8848.19万元计，6月底支出5442.70万元，执行进度61.51%，达到50%；9月底执行进度61.57%，低于75%。",
        "个别凭证缺少签字，扣0.5分。",
    ] {
        assert_eq!(rules::non_problem("附件3", not_a_problem).len(), 1, "{not_a_problem}");
    }
    for problem in [
        "资金到位率为51.95%，未达到100%的目标。",
        "五项费用总变动率为17.11%，超过10%。",
        "抽取3个项目，评价等级分别为“良”、“良”、“优”，医疗救助资金预算编制不科学。",
        "个别项目存在审批手续不完善问题，如医疗救助项目清单审批意见缺少签字。",
        "年度指标值“≥95%”，实际完成值未填写。",
    ] {
        assert_eq!(rules::non_problem("附件3", problem), vec![], "{problem}");
    }
    let bad = doc("# 附件3：问题清单\n|h 问题分类 | 序号 | 项目责任单位 | 问题描述\n\
        | 满意度 | 13 | 某局 | 高质量发展等级为“良好”。\n| 过程 | 3 | 某局 | 资金到位率为51.95%，未达到100%的目标。");
    assert_eq!(classes(&rules::docx_problem_list(&bad)), [Class::NonProblem]);
    // The XLSX: its 问题描述 column, named by file › sheet › cell.
    let dir = support::temp_dir("prose-class5");
    let path = dir.join("附件3 问题清单.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("问题清单").unwrap();
    for (r, row) in [
        ["问题分类", "序号", "问题描述"],
        ["满意度", "1", "问卷满意度为89.59%，低于95%的满分标准。"],
        ["过程", "2", "资金到位率为51.95%，未达到100%的目标。"],
    ]
    .iter()
    .enumerate()
    {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save(&path).unwrap();
    let found = prose::check_problem_list(&path);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].place, "附件3 问题清单.xlsx › 问题清单 › C2");
}

#[test]
fn class6_a_third_party_voice_in_a_self_evaluation() {
    let json = json!({"case": {"kind": "部门整体支出绩效自评"}});
    assert_eq!(prose::voice(&json), Voice::SelfEval);
    let bad = doc(
        "# 三、指标分析\n（2）社会公众满意度（6分）：自评报告称社会公众满意度较低（自评报告“存在的主要问题”第2条）。\n\
        经复核，部门资金使用合规。\n本次评价由我公司组织实施，评价组查阅了资料。",
    );
    let found = rules::third_party_voice(&bad);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found[0].text.starts_with("自评报告称、自评报告“"), "{}", found[0]);
    let good = doc(
        "# 二、自评工作开展情况\n我局组织成立了绩效评价工作小组，对各预算项目单独进行打分自评。\n\
        # 六、评价工作组人员名单及签字\n|h 序号 | 姓名 | 任务职责\n| 1 | 秦倩茹 | 填报自评表，撰写自评报告，财务复核人",
    );
    assert_eq!(rules::third_party_voice(&good), vec![]);
    // A third party's report may speak of its 复核.
    let third = doc("# 三、指标分析\n本次抽取3个项目进行复核，复核等级为“良”。");
    let json = case(&[], json!({}));
    assert_eq!(only(Class::ThirdPartyVoice, prose::check_report(&third, &json, Voice::ThirdParty)), vec![]);
}

#[test]
fn class7_a_zero_printed_where_the_case_has_the_figure() {
    let budget = json!({"initial": {"value": "2389"}, "final_total": {"value": "1241.13"},
        "meeting_budget": {"value": "0"}, "meeting_final": {"value": "0"}, "lines": []});
    let fig = rules::Figures::of(&case(&[], budget));
    let bad = doc("# 一、总体情况\n涉及年初预算0.00万元、决算支出0.00万元。\n\
        |h 项目 | 年初预算数 | 全年预算数 | 预算执行数\n| 部门预算安排 | - | 1,241.13 | 1,241.13");
    let found = rules::missing_figures(&bad, &fig);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found[0].text.starts_with("“涉及年初预算0.00万元”，而案例的年初预算为2389万元"), "{}", found[0]);
    let good = doc("# 一、部门概况\n2024年度会议费预算0.00万元，决算支出0.00万元。\n\
        2024年度配置固定资产0.00万元，处置资产0.00万元。\n年初预算2,389.00万元，决算支出1,241.13万元。");
    assert_eq!(rules::missing_figures(&good, &fig), vec![]);
    // A summary's 附表1: the case's row, by its unit.
    let project = json!({"case": {"object": "医疗救助资金"}, "project": {"name": "医疗救助资金",
        "initial_budget": {"value": "2389"}, "spent": {"value": "1241.13"}}, "budget": {}});
    let cases = vec![("project-yiliaojiuzhu-2024".to_string(), project)];
    let table = doc("附表1 各案例得分情况\n|h 序号 | 单位 | 年初预算数（万元） | 决算支出（万元） | 总分\n\
        | 1 | 医疗救助资金 | - | 1,241.13 | 89.92");
    assert_eq!(classes(&rules::summary_table_figures(&table, &cases)), [Class::MissingFigure]);
    let filled = doc("附表1 各案例得分情况\n|h 序号 | 单位 | 年初预算数（万元） | 决算支出（万元） | 总分\n\
        | 1 | 医疗救助资金 | 2,389.00 | 1,241.13 | 89.92");
    assert_eq!(rules::summary_table_figures(&filled, &cases), vec![]);
}

#[test]
fn class8_a_placeholder_name() {
    let bad = doc("2024年度医疗救助资金\n评价机构：某会计师事务所（示例）\n项目主评人：张三\n报告撰写说明\n\
        受委托，某咨询公司对项目进行评价。\n|h 序号 | 姓名 | 职务/职称\n| 1 | 王示例 | 项目负责人\n| 2 | XXX | 评价人员");
    let found = rules::placeholders(&bad, &[]);
    assert_eq!(found.len(), 5, "{found:#?}");
    assert!(found[0].text.starts_with("示例、某会计师事务所"), "{}", found[0]);
    assert!(found[2].text.starts_with("某咨询公司"), "{}", found[2]);
    let good = doc("2024年度枣庄市市中区医疗保障局\n评价机构：润政咨询（山东）有限公司\n项目主评人：徐淑敏\n\
        |h 序号 | 姓名 | 职务/职称\n| 1 | 徐淑敏 | 主评人及负责人\n医保经办业务标准化示范窗口业务经费");
    assert_eq!(rules::placeholders(&good, &[]), vec![]);
    // The unit's own name, as its workbooks give it, is not jixiao's placeholder.
    let unit = doc("2024年度示例市第1区医疗保障局\n部门预算整体绩效评价报告");
    assert_eq!(rules::placeholders(&unit, &["示例市第1区医疗保障局".to_string()]), vec![]);
}

#[test]
fn class9_update_fields_with_nothing_to_update() {
    let numbered = "目录\ntoc: 一、部门概况\t3\ntoc: 二、评价组织实施\t7\n# 一、部门概况\n正文。";
    let blank = "目录\ntoc: 一、部门概况\t\ntoc: 二、评价组织实施\t\n# 一、部门概况\n正文。";
    let untitled = "# 一、部门基本情况\n正文。";
    let check = |src: &str, settings: &str| rules::update_fields(&Docx::from_xml(&document(src), settings));
    assert!(check(numbered, UPDATE)[0].text.contains("目录页码已填"));
    assert!(check(untitled, UPDATE)[0].text.contains("没有目录"));
    // Numbers left for Word to fill: updateFields is what fills them.
    assert_eq!(check(blank, UPDATE), vec![]);
    assert_eq!(check(numbered, NO_UPDATE), vec![]);
    assert_eq!(check(untitled, r#"<w:settings><w:updateFields w:val="false"/></w:settings>"#), vec![]);
}

#[test]
fn the_reader_keeps_paragraphs_rows_and_regions_in_order() {
    let d = doc("封面\n目录\ntoc: 一、概况\t1\n# 一、概况\n正文<1>。\n|h 甲 | 乙\n| 1 | 2\n# 附件1：指标体系\n| 3 | 4");
    let got: Vec<(String, prose::Region, bool)> =
        d.blocks.iter().map(|b| (b.text.clone(), b.region, b.header)).collect();
    use prose::Region::*;
    let want = [
        ("封面", Front, false),
        ("目录", Front, false),
        ("一、概况\t1", Toc, false),
        ("一、概况", Body, false),
        ("正文<1>。", Body, false),
        ("甲 | 乙", Body, true),
        ("1 | 2", Body, false),
        ("附件1：指标体系", Annex, false),
        ("3 | 4", Annex, false),
    ];
    let want: Vec<(String, prose::Region, bool)> = want.iter().map(|(t, r, h)| (t.to_string(), *r, *h)).collect();
    assert_eq!(got, want);
    assert_eq!(d.blocks[6].table, Some(0));
    assert_eq!(d.blocks[8].table, Some(1));
}

// ------------------------------------------------------- (b) every output

const SAMPLES: [&str; 3] = ["zaozhuang-shizhong-2024", "gaoyi-2021", "project-yiliaojiuzhu-2024"];

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        if e.path().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// The example kind 基金评价 with a working paper naming it (as in
/// tests/kinds.rs, with the names a real engagement has).
fn fund_case(dir: &Path) {
    const PAPER: &str = "@sheet 项目信息\n@header 项目\t内容\n@row 评价对象\t枣庄市城乡居民医保基金\n@row 评价年度\t2024\n\
@row 报告类型\t基金评价\n@row 评价机构\t润政咨询（山东）有限公司\n@row 报告日期\t2025-08\n\
@sheet 文字\n@header 名称\t内容\n@row 基金概况\t枣庄市城乡居民基本医疗保险基金由市医保局统筹管理。\n\
@sheet 表：基金收支\n@header 项目\t本年收入\t本年支出\t说明\n\
@row 保险费收入\t=30000\t\t个人缴费\n@row 财政补贴收入\t=65000.5\t\t\n@row 待遇支出\t\t=88000\t\n@row 合计\t=95000.5\t=88000\t\n\
@sheet 表：参保人数\n@header 区县\t应参保\t实际参保\n@row 甲区\t=200000\t195,000\n@row 乙县\t=150000\t147,000\n@row 合计\t=350000\t=342000\n\
@sheet 发现\n@header 三级指标\t子项\t扣分\t问题描述\t主题\n@row 基金管理规范性\t\t=2\t个别待遇支出审核资料不全\t\n";
    std::fs::create_dir_all(dir).unwrap();
    support::write(PAPER, &dir.join("评价底稿.xlsx"), &support::Variant::default());
    copy_dir(&support::root().join("templates/kinds/examples/基金评价"), &dir.join("基金评价"));
}

fn files(dir: &Path, pred: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.file_name().and_then(|n| n.to_str()).is_some_and(&pred))
        .collect();
    out.sort();
    out
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Every case report of a build: (case folder, defects), with the count of
/// documents read.
fn case_defects(out: &Path) -> (Vec<(String, Vec<Defect>)>, usize) {
    let mut found = Vec::new();
    let mut read = 0;
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(out).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    for dir in dirs {
        let folder = dir.file_name().unwrap().to_string_lossy().into_owned();
        let json = read_json(&dir.join("评价结果.json"));
        let report = dir.join(json["report_file"].as_str().unwrap());
        let mut defects = prose::check_report(&Docx::read(&report), &json, prose::voice(&json));
        read += 1;
        for list in files(&dir, |n| n.contains("问题清单") && n.ends_with(".xlsx")) {
            defects.extend(prose::check_problem_list(&list));
            read += 1;
        }
        found.push((folder, defects));
    }
    (found, read)
}

/// Every summary of a build: each 综合绩效评价报告（G）.docx with its
/// 汇总表（G）.xlsx and the JSON of the cases it lists.
fn summary_defects(out: &Path) -> Vec<(String, Vec<Defect>)> {
    let mut found = Vec::new();
    for docx in files(out, |n| n.starts_with("综合绩效评价报告") && n.ends_with(".docx")) {
        let name = docx.file_name().unwrap().to_string_lossy().into_owned();
        let group = name.trim_start_matches("综合绩效评价报告").trim_end_matches(".docx");
        let xlsx = out.join(format!("汇总表{group}.xlsx"));
        assert!(xlsx.is_file(), "{} beside {name}", xlsx.display());
        let cases: Vec<(String, Value)> = prose::summary_folders(&xlsx)
            .into_iter()
            .filter_map(|f| {
                let json = out.join(&f).join("评价结果.json");
                json.is_file().then(|| (f, read_json(&json)))
            })
            .collect();
        assert!(!cases.is_empty(), "{name} lists its cases");
        found.push((name, prose::check_summary(&Docx::read(&docx), &xlsx, &cases)));
    }
    found
}

/// Every defect, grouped by class, then by document.
fn report(all: &[(String, Vec<Defect>)]) -> String {
    let mut by_class: BTreeMap<Class, BTreeMap<&str, Vec<&Defect>>> = BTreeMap::new();
    for (doc, defects) in all {
        for d in defects {
            by_class.entry(d.class).or_default().entry(doc).or_default().push(d);
        }
    }
    let mut s = String::new();
    for (class, docs) in by_class {
        let n: usize = docs.values().map(Vec::len).sum();
        s.push_str(&format!("\n== 类别{} {}：{n} 处\n", class.number(), class.title()));
        for (doc, defects) in docs {
            s.push_str(&format!("  -- {doc}（{} 处）\n", defects.len()));
            for d in defects {
                s.push_str(&format!("     {} — {}\n", d.place, d.text));
            }
        }
    }
    s
}

/// The three samples (one per shipped kind), the example kind, three
/// synthesised cases and the batch's summaries, built once with `jixiao
/// build` (目录 pages laid out when LibreOffice is here), read clean.
#[test]
fn every_document_jixiao_writes_reads_clean() {
    let root = support::temp_dir("prose-all");
    let cases = root.join("cases");
    for s in SAMPLES {
        copy_dir(&support::root().join("sample-workbooks").join(s), &cases.join(s));
    }
    support::synthesise(&cases, 3);
    fund_case(&cases.join("fund-example"));
    let out = root.join("out");
    let run = support::jixiao(&["build", "--out"], &[&out, &cases]);
    let t = support::text(&run);
    assert!(run.status.success(), "{t}");
    let (mut all, read) = case_defects(&out);
    assert_eq!(all.len(), 7, "3 samples, the example kind, 3 synthesised cases: {t}");
    let summaries = summary_defects(&out);
    assert!(summaries.len() >= 4, "a summary per kind and year: {t}");
    let read = read + 2 * summaries.len();
    all.extend(summaries);
    let count: usize = all.iter().map(|(_, d)| d.len()).sum();
    let listing = report(&all);
    println!("{read} documents read, {count} defects{listing}");
    assert_eq!(count, 0, "the documents jixiao writes have defects a reviewer marks:{listing}");
}
