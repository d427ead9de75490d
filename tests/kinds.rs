//! Report kinds as data: the worked user-defined kind
//! (`templates/kinds/examples/基金评价`, files only — no Rust) builds a
//! report with its own title, chapters, data tables from the working paper
//! and a system whose formulas read those tables; an unknown kind, an
//! outline naming a missing template and a text in a number column are
//! each an error naming the file and place.

mod support;

use std::path::{Path, PathBuf};

use support::{jixiao, text, Variant};

fn example() -> PathBuf {
    support::root().join("templates/kinds/examples/基金评价")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

const PAPER: &str = "@sheet 项目信息\n@header 项目\t内容\n@row 评价对象\t某市城乡居民医保基金\n@row 评价年度\t2024\n\
@row 报告类型\t基金评价\n@row 评价机构\t某咨询公司\n@row 报告日期\t2025-08\n\
@sheet 文字\n@header 名称\t内容\n@row 基金概况\t某市城乡居民基本医疗保险基金由市医保局统筹管理。\n\
@sheet 表：基金收支\n@header 项目\t本年收入\t本年支出\t说明\n\
@row 保险费收入\t=30000\t\t个人缴费\n@row 财政补贴收入\t=65000.5\t\t\n@row 待遇支出\t\t=88000\t\n@row 合计\t=95000.5\t=88000\t\n\
@sheet 表：参保人数\n@header 区县\t应参保\t实际参保\n@row 甲区\t=200000\t195,000\n@row 乙县\t=150000\t147,000\n@row 合计\t=350000\t=342000\n\
@sheet 发现\n@header 三级指标\t子项\t扣分\t问题描述\t主题\n@row 基金管理规范性\t\t=2\t个别待遇支出审核资料不全\t\n";

fn fund_case(tag: &str, paper: &str) -> PathBuf {
    let dir = support::temp_dir(tag);
    support::write(paper, &dir.join("评价底稿.xlsx"), &Variant::default());
    copy_dir(&example(), &dir.join("基金评价"));
    dir
}

#[test]
fn a_kind_made_of_files_builds_its_own_report() {
    let dir = fund_case("kinds-fund", PAPER);
    let out = dir.join("out");
    let run = jixiao(&["build", "--no-toc-pages", "--out"], &[&out, &dir]);
    let t = text(&run);
    assert_eq!(run.status.code(), Some(0), "{t}");
    let docx = out.join("某市城乡居民医保基金2024年度基金绩效评价报告.docx");
    assert!(docx.is_file(), "its own title: {t}");
    if let Some((code, report)) = support::validate_docx(&docx) {
        assert_eq!(code, 0, "{report}");
    }
    let doc = support::docx_text(&docx);
    let headings: Vec<&str> =
        doc.lines().filter(|l| ["一、", "二、", "三、"].iter().any(|p| l.starts_with(p))).collect();
    assert_eq!(headings, ["一、基金概况", "二、基金收支情况", "三、评价结论"], "{doc}");
    assert!(!doc.contains("部门整体"), "no 部门整体 wording: {doc}");
    // The data tables as the report prints them: amounts with two decimals, counts whole.
    for cell in ["95,000.50", "88,000.00", "350,000", "342,000", "保险费收入", "个人缴费"] {
        assert!(doc.contains(cell), "{cell} in the document");
    }
    // Scored from the tables: 基金收支比 = 88000/95000.5 = 92.63 % (window 90–100: 30);
    // 参保率 = 342000/350000 = 97.71 % (≥97: 30); 基金管理规范性 40 − 2 = 38. Total 98.
    assert!(doc.contains("基金收支比=88000/95000.50×100%=92.63%"), "{doc}");
    assert!(doc.contains("得分98分，评价等级为“优”"), "{doc}");
}

#[test]
fn errors_name_the_file_and_place() {
    // An unknown kind.
    let dir = fund_case("kinds-unknown", &PAPER.replace("@row 报告类型\t基金评价", "@row 报告类型\t不存在的类型"));
    let t = text(&jixiao(&["build", "--no-toc-pages", "--out"], &[&dir.join("out"), &dir]));
    assert!(t.contains("报告类型出错：评价底稿.xlsx › 项目信息 › 报告类型：没有报告类型“不存在的类型”"), "{t}");
    // An outline naming a template the kind does not have.
    let dir = fund_case("kinds-missing-part", PAPER);
    let toml = dir.join("基金评价/kind.toml");
    let src = std::fs::read_to_string(&toml).unwrap().replace("\"scores.j2\"]", "\"scores.j2\", \"附录.j2\"]");
    std::fs::write(&toml, src).unwrap();
    let t = text(&jixiao(&["build", "--no-toc-pages", "--out"], &[&dir.join("out"), &dir]));
    assert!(t.contains("报告提纲列有模板“附录.j2”，但找不到它"), "{t}");
    // A text in a number column of a data table.
    let dir = fund_case("kinds-text-number", &PAPER.replace("@row 待遇支出\t\t=88000", "@row 待遇支出\t\t约八万八"));
    let t = text(&jixiao(&["check"], &[&dir]));
    assert!(
        t.contains("表“基金收支”的“本年支出”列应填数字，单元格却是“约八万八”")
            && t.contains("评价底稿.xlsx › 表：基金收支 › C4"),
        "{t}"
    );
}

/// Counts typed as text with thousands separators are numbers; the data
/// tables are read with their cells' places.
#[test]
fn data_tables_read_counts_and_places() {
    let dir = fund_case("kinds-read", PAPER);
    let case = jixiao::ingest::ingest_path(&dir);
    assert!(!case.has_errors(), "{:#?}", case.problems);
    let paper = case.working_paper.as_ref().unwrap();
    let (v, at) = paper.cell("参保人数.实际参保[甲区]").unwrap();
    assert_eq!((v, at.to_string()), (support::d("195000"), "评价底稿.xlsx › 表：参保人数 › C2".to_string()));
    assert_eq!(paper.cell("基金收支.本年收入[合计]").unwrap().0, support::d("95000.5"));
    assert!(paper.cell("基金收支.不存在[合计]").is_none());
}

/// `--kind DIR` chooses the kind when the paper names none.
#[test]
fn the_command_line_gives_the_kind() {
    let dir = fund_case("kinds-cli", &PAPER.replace("@row 报告类型\t基金评价\n", ""));
    let out = dir.join("out");
    let run = jixiao(&["build", "--no-toc-pages", "--kind"], &[&example(), Path::new("--out"), &out, &dir]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    assert!(out.join("某市城乡居民医保基金2024年度基金绩效评价报告.docx").is_file(), "{}", text(&run));
}

/// The shipped 部门整体支出绩效自评 kind (seed 004's outline): the gaoyi sample
/// names it; the department writes about itself — no 委托方, no 评价机构, no
/// draft for want of them — and its 自评表 is the annex.
#[test]
fn the_self_evaluation_kind() {
    let out = support::temp_dir("kinds-self");
    let case = support::root().join("sample-workbooks/gaoyi-2021");
    let run = jixiao(&["build", "--no-toc-pages", "--out"], &[&out, &case]);
    let t = text(&run);
    assert_eq!(run.status.code(), Some(0), "{t}");
    assert!(!t.contains("草稿"), "nothing it prints is missing: {t}");
    let docx = out.join("高邑县医疗保障局部门2021年度整体支出绩效自评报告.docx");
    let doc = support::docx_text(&docx);
    let headings: Vec<&str> = doc
        .lines()
        .filter(|l| ["一、", "二、", "三、", "四、", "五、", "六、"].iter().any(|p| l.starts_with(p)))
        .collect();
    assert_eq!(
        headings,
        [
            "一、部门基本情况",
            "二、自评工作开展情况",
            "三、部门整体支出绩效目标实现情况及指标分析",
            "四、评价结论和评价等级",
            "五、存在的问题及改进措施",
            "六、评价工作组人员名单及签字",
        ]
    );
    assert!(doc.contains("绩效评价得分 97 分") || doc.contains("绩效评价得分97分"), "the conclusion: {doc}");
    assert!(doc.contains("附：部门整体支出绩效自评表"));
    // The bureau's own voice: no reviewer, nothing said about “the self-evaluation report”.
    for absent in [
        "委托",
        "评价机构",
        "我公司",
        "征求意见稿",
        "评价组",
        "复核",
        "自评报告称",
        "自评报告未",
        "报告未列",
        "自评报告“",
    ] {
        assert!(!doc.contains(absent), "{absent} in a self-evaluation");
    }
    // The title: the unit, a line break, the 年度 and the kind (never broken inside 绩效).
    let mut xml = String::new();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).unwrap();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    let title = "高邑县医疗保障局</w:t><w:br w:type=\"textWrapping\" /><w:t xml:space=\"preserve\">2021年度部门整体支出绩效自评报告";
    assert!(xml.contains(title), "the title breaks after the unit");
    // 部门职能: one paragraph per typed item, full-width brackets as the sample types them.
    let lines: Vec<&str> = doc.lines().collect();
    for item in ["（一）贯彻落实省、市", "（二）拟订全县", "（五）贯彻落实全市药品", "（九）完成县委"]
    {
        assert!(lines.iter().any(|l| l.starts_with(item)), "{item} does not start a paragraph: {doc}");
    }
    // Straight quotes print as Chinese pairs (the 自评表's names are normalised with straight ones).
    assert!(doc.contains("“三公经费”控制率") && !doc.contains("&quot;"), "{doc}");
    // 评价工作组人员名单及签字: the seed's columns and an empty 签字 column.
    let runs: Vec<&str> = xml
        .split("<w:t")
        .filter(|p| p.starts_with('>') || p.starts_with(" xml:space"))
        .filter_map(|p| p.split_once('>').and_then(|(_, t)| t.split("</w:t>").next()))
        .collect();
    let header = ["序号", "姓名", "单位", "职务/职称", "任务职责", "签字"];
    let at = runs.windows(6).position(|w| w == header).unwrap_or_else(|| panic!("{runs:?}"));
    assert_eq!(runs[at + 6..at + 11], ["1", "何川", "高邑县医疗保障局", "局长", "组织领导自评工作，审定评价结论"]);
    assert_eq!(runs[at + 11..at + 13], ["", "2"], "签字 is empty");
    if let Some((code, report)) = support::validate_docx(&docx) {
        assert_eq!(code, 0, "{report}");
    }
}

/// The shipped 项目支出绩效评价 kind on the project sample: one project's
/// figures (its 自评表's budget, spending and rate — not the department's
/// totals), 产出/效益 indicators exactly the project's own targets, and the
/// score of the hand computation below.
#[test]
fn the_project_kind() {
    let case = support::root().join("sample-workbooks/project-yiliaojiuzhu-2024");
    let c = jixiao::ingest::ingest_path(&case);
    let s = jixiao::score::score(&c, &jixiao::check::check(&c)).unwrap();
    let generated: Vec<(&str, &str)> = s
        .indicators
        .iter()
        .filter(|i| i.level1 == "产出" || i.level1 == "效益")
        .map(|i| (i.level1.as_str(), i.name.as_str()))
        .collect();
    let form: Vec<&str> = c.evaluated_project().unwrap().indicators.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(generated.iter().map(|g| g.1).collect::<Vec<_>>(), form, "one 三级 per target of the form");
    // … which are the project's 项目绩效目标表 indicators (seed 003), the empty 二级 rows aside.
    let targets: Vec<&str> =
        c.evaluated_project_targets().unwrap().indicators.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(targets, form);
    // 决策 20 − 1 (绩效指标明确性) − 0.5 (预算编制科学性) = 18.5; 过程 资金到位率 1241.13/2389 = 51.95 % × 4 = 2.08, + 4 × 4 = 18.08;
    // 产出 4 × 10 = 40 (the cost target in 人次 keeps the form's 10/10); 效益 6.67 + 6.67 + 0 (满意度 未填写) = 13.34.
    assert_eq!(s.total, Some(support::d("89.92")));
    let out = support::temp_dir("kinds-project");
    let run = jixiao(&["build", "--no-toc-pages", "--out"], &[&out, &case]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    // 部门 + 年度 + 项目 + 绩效评价报告.
    let docx = out.join("枣庄市市中区医疗保障局2024年度医疗救助资金项目支出绩效评价报告.docx");
    let doc = support::docx_text(&docx);
    assert!(
        doc.contains("年初预算2,389.00 万元，全年预算1,241.13 万元，全年执行1,241.13 万元，预算执行率100.00%"),
        "{doc}"
    );
    for department_total in ["12,847.65", "8,848.19", "部门整体"] {
        assert!(!doc.contains(department_total), "{department_total} is the department's, not the project's");
    }
    let headings: Vec<&str> = doc
        .lines()
        .filter(|l| ["一、", "二、", "三、", "四、", "五、", "六、", "七、"].iter().any(|p| l.starts_with(p)))
        .collect();
    assert_eq!(
        headings,
        [
            "一、基本情况",
            "二、绩效评价工作开展情况",
            "三、综合评价情况及评价结论",
            "四、绩效评价指标分析",
            "五、主要经验及做法、存在的问题及原因分析",
            "六、有关建议",
            "七、其他需要说明的问题",
        ]
    );
    assert!(doc.contains("该项目2024年度绩效评价得分89.92分，评价等级为“良”"), "{doc}");
    // The department supplied the materials, not the fund.
    assert!(doc.contains("来自绩效评价期间枣庄市市中区医疗保障局提供的项目资料"), "{doc}");
    // The form's 年初预期目标 only repeats the name: the paper's 项目总体目标 is printed instead.
    assert!(!doc.contains("年度目标：医疗救助资金"), "{doc}");
    assert!(doc.contains("全面落实困难群众医疗保障政策"), "{doc}");
    assert!(doc.contains("（2）数量指标“救助人次”：年度指标值为≥18200人次；"), "{doc}");
    // The sources of the funds, the weights and the grade bands, all computed.
    assert!(doc.contains("上述资金全部为当年财政拨款，上年结转资金、其他资金均无安排"), "{doc}");
    assert!(doc.contains("产出、效益指标权重合计60%，符合"), "{doc}");
    assert!(
        doc.contains("综合得分90分（含）以上为“优”，80分（含）至90分为“良”，60分（含）至80分为“中”，60分以下为“差”。")
    );
    // Three problems with their causes, three suggestions each under its own title.
    for heading in [
        "1. 预算编制测算不够精准，年中调减幅度较大",
        "3. 满意度调查缺失，绩效自评不够严谨",
        "（一）科学测算资金需求，提高预算编制精准度",
        "（三）建立满意度调查机制，提高绩效自评质量",
    ] {
        assert!(doc.lines().any(|l| l == heading), "{heading}: {doc}");
    }
    assert_eq!(doc.matches("原因分析：").count(), 3, "{doc}");
    if let Some((code, report)) = support::validate_docx(&docx) {
        assert_eq!(code, 0, "{report}");
    }
}

/// The project's 总体目标: the form's 年初预期目标 when it states one, the
/// paper's 文字“项目总体目标” otherwise — and when neither says, `check`
/// lists the 文字 as missing (not the form's name-only goal printed as the goal).
#[test]
fn the_project_goal_comes_from_the_form_or_the_paper() {
    let goal_row = "@row 项目总体目标\t";
    let case_with = |tag: &str, edit: &dyn Fn(String) -> String| {
        let dir = support::temp_dir(tag);
        for (name, src) in support::sample_sources("project-yiliaojiuzhu-2024") {
            support::write(&edit(src), &dir.join(&name), &Variant::default());
        }
        dir
    };
    let without_text =
        |src: String| src.lines().filter(|l| !l.starts_with(goal_row)).collect::<Vec<_>>().join("\n") + "\n";
    let missing = case_with("kinds-project-goal-missing", &without_text);
    let t = text(&jixiao(&["check"], &[&missing]));
    assert!(t.contains("文字“项目总体目标”"), "{t}");
    // A form stating its goal needs no 文字: its 年初预期目标 is printed.
    let stated = case_with("kinds-project-goal-form", &|src| {
        without_text(src).replace("@row ^\t医疗救助资金\t<", "@row ^\t资助困难群众参保，落实医疗救助待遇。\t<")
    });
    let t = text(&jixiao(&["check"], &[&stated]));
    assert!(!t.contains("项目总体目标"), "{t}");
    let out = support::temp_dir("kinds-project-goal-out");
    let run = jixiao(&["build", "--no-toc-pages", "--out"], &[&out, &stated]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let doc = support::docx_text(&out.join("枣庄市市中区医疗保障局2024年度医疗救助资金项目支出绩效评价报告.docx"));
    assert!(doc.contains("1. 总体目标\n资助困难群众参保，落实医疗救助待遇。\n"), "{doc}");
}

/// A root holding cases of the three shipped kinds: each built with its own kind.
#[test]
fn a_root_mixing_kinds() {
    let out = support::temp_dir("kinds-mixed");
    let run = jixiao(&["build", "--out"], &[&out, &support::root().join("sample-workbooks")]);
    let t = text(&run);
    assert_eq!(run.status.code(), Some(0), "{t}");
    for (case, report) in [
        ("zaozhuang-shizhong-2024", "枣庄市市中区医疗保障局2024年度绩效评价报告.docx"),
        ("gaoyi-2021", "高邑县医疗保障局部门2021年度整体支出绩效自评报告.docx"),
        ("project-yiliaojiuzhu-2024", "枣庄市市中区医疗保障局2024年度医疗救助资金项目支出绩效评价报告.docx"),
    ] {
        assert!(out.join(case).join(report).is_file(), "{case}: {t}");
    }
    assert!(t.contains("共 3 个案例：成功 3 个，失败 0 个。"), "{t}");
}
