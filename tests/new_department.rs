//! A new department, first try: a folder holding only its budget workbook
//! and the blank working paper `jixiao init` writes. The first `check`
//! lists everything the evaluation still needs — tables by year, every 事实
//! with its indicator, 项目信息, 问卷 and sampled projects — at once, and
//! `init --system` names the system and pre-lists its 事实.

mod support;

use std::path::PathBuf;

use calamine::{open_workbook, Reader, Xlsx};
use support::{jixiao, text};

/// The independent bureau workbook when it is beside the clone, else the
/// sample's budget workbook (the same tables).
fn budget_workbook() -> PathBuf {
    let shared = support::root().join("../shared/workbooks/zaozhuang-shizhong-2024/预算公开表.xlsx");
    if shared.is_file() {
        shared
    } else {
        eprintln!("../shared/workbooks is not there: using the sample's budget workbook");
        support::root().join("sample-workbooks/zaozhuang-shizhong-2024/2024年部门预算公开表.xlsx")
    }
}

fn new_case(name: &str, args: &[&str]) -> PathBuf {
    let dir = support::temp_dir(name);
    std::fs::copy(budget_workbook(), dir.join("预算公开表.xlsx")).unwrap();
    let mut init = vec!["init"];
    init.extend_from_slice(args);
    let run = jixiao(&init, &[&dir]);
    assert!(run.status.success(), "{}", text(&run));
    dir
}

/// The sample case with only the working-paper source lines `keep` keeps.
fn sample_with_paper_lines(tag: &str, mut keep: impl FnMut(&str) -> bool) -> PathBuf {
    let dir = support::temp_dir(tag);
    for (name, src) in support::sample_sources("zaozhuang-shizhong-2024") {
        let src = if name == "评价底稿.xlsx" {
            src.lines().filter(|l| keep(l)).collect::<Vec<_>>().join("\n") + "\n"
        } else {
            src
        };
        support::write(&src, &dir.join(&name), &support::Variant::default());
    }
    dir
}

fn listed(out: &str, group: &str) -> Vec<String> {
    let mut lines = out.lines().skip_while(|l| !l.starts_with(group)).skip(1);
    let mut items = Vec::new();
    for l in lines.by_ref() {
        match l.strip_prefix("  ") {
            Some(item) => items.push(item.split('：').next().unwrap().to_string()),
            None => break,
        }
    }
    items
}

#[test]
fn the_first_check_lists_everything_missing_at_once() {
    let dir = new_case("new-department-first-check", &[]);
    let run = jixiao(&["check"], &[&dir]);
    let out = text(&run);
    assert_eq!(run.status.code(), Some(1), "missing inputs block scoring: {out}");
    assert!(out.contains("评分和报告尚缺 42 项输入（一次列全）"), "{out}");
    assert_eq!(
        listed(&out, "缺表"),
        [
            "财政拨款“三公”经费支出决算表（公开09表）",
            "一般公共预算财政拨款基本支出决算明细表（公开06表）",
            "上年 财政拨款“三公”经费支出决算表（公开09表）",
            "上年 一般公共预算财政拨款基本支出决算明细表（公开06表）",
            "支出决算表（公开03表）",
        ]
    );
    let facts: Vec<String> = listed(&out, "缺事实").iter().map(|f| f.trim_start_matches("事实").to_string()).collect();
    assert_eq!(
        facts,
        [
            "“年中调剂金额”",
            "“全年预算数”",
            "“6月底支出”",
            "“9月底支出”",
            "“11月底支出”",
            "“政府采购预算金额”",
            "“政府采购合同金额”",
            "“本年闲置资产”",
            "“本年资产总额”",
            "“上年闲置资产”",
            "“上年资产总额”",
            "“在用固定资产”",
            "“固定资产总额”",
            "“60岁以上城乡居民实际参保人数”",
            "“60岁以上城乡居民应参保人数”",
            "“城乡居民实际参保人数”",
            "“城乡居民应参保人数”",
            "“离休伤残医疗补助实际人数”",
            "“离休伤残医疗补助计划人数”",
            "“高质量发展等级”",
        ]
    );
    assert_eq!(listed(&out, "缺文字"), ["文字“主要成效及做法”", "问题主题及建议（评价底稿 › 主题）"]);
    assert!(out.contains("文字“主要成效及做法”：模板 chapter4.j2 第1行用"), "the template that prints it: {out}");
    assert_eq!(listed(&out, "缺项目信息").len(), 12, "{out}");
    assert_eq!(listed(&out, "缺其他"), ["复评抽查项目", "实际绩效抽查项目", "问卷数据"]);
    // Each item says who needs it and where to fill it.
    assert!(out.contains(
        "事实“6月底支出”：指标“预算执行进度”用；在 评价底稿.xlsx › 事实 加一行：名称“6月底支出”、数值，单位 万元"
    ));
    // A build writes the draft and says the same list, grouped, not one rule at a time.
    let build = jixiao(&["build", "--no-toc-pages", "--out"], &[&dir.join("out"), &dir]);
    let b = text(&build);
    assert_eq!(build.status.code(), Some(0), "a draft is written: {b}");
    assert!(b.contains("报告为草稿：缺 42 项"), "{b}");
    for group in ["缺表（5 项）", "缺事实（20 项）", "缺文字（2 项）", "缺项目信息（12 项）", "缺其他（3 项）"]
    {
        assert!(b.contains(group), "{group}: {b}");
    }
    assert_eq!(b.matches("缺少事实“6月底支出”").count(), 0, "not repeated as a scoring error: {b}");
}

/// Filling the 事实 the paper pre-lists shortens the list to what is left.
#[test]
fn filled_facts_leave_the_list() {
    // The sample case without its 6/9/11月底支出.
    let dir = sample_with_paper_lines("new-department-partly-filled", |l| {
        !(l.starts_with("@row 6月底") || l.starts_with("@row 9月底") || l.starts_with("@row 11月底"))
    });
    let out = text(&jixiao(&["check"], &[&dir]));
    assert_eq!(listed(&out, "缺事实"), ["事实“6月底支出”", "事实“9月底支出”", "事实“11月底支出”"], "{out}");
    assert!(listed(&out, "缺表").is_empty() && listed(&out, "缺项目信息").is_empty(), "{out}");
}

#[test]
fn init_with_a_system_names_it_and_prelists_its_facts() {
    let dir = new_case("new-department-init-system", &["--system", "hebei-dept-self-eval"]);
    let mut wb: Xlsx<_> = open_workbook(dir.join("评价底稿.xlsx")).unwrap();
    let info = wb.worksheet_range("项目信息").unwrap();
    let row = (0..info.height() as u32)
        .find(|r| info.get_value((*r, 0)).map(|v| v.to_string()) == Some("指标体系".into()))
        .unwrap();
    assert_eq!(info.get_value((row, 1)).unwrap().to_string(), "部门整体支出绩效自评指标体系（河北省）");
    let facts = wb.worksheet_range("事实").unwrap();
    let names: Vec<String> = (1..facts.height() as u32).map(|r| facts.get_value((r, 0)).unwrap().to_string()).collect();
    for metric in ["收入预算完成率", "预算调整率", "结转结余率", "政府采购执行率", "参保计划完成率"]
    {
        assert!(names.iter().any(|n| n == metric), "{metric} pre-listed: {names:?}");
    }
    let note = facts.get_value((1, 3)).unwrap().to_string();
    assert!(note.starts_with("用于指标“"), "{note}");
    // The texts the report templates print, pre-listed with where: the
    // system is a 自评 one, so the paper is of the 自评 kind.
    let info_value = |k: &str| {
        (0..info.height() as u32)
            .find(|r| info.get_value((*r, 0)).map(|v| v.to_string()) == Some(k.into()))
            .and_then(|r| info.get_value((r, 1)).map(|v| v.to_string()))
    };
    assert_eq!(info_value("报告类型").as_deref(), Some("部门整体支出绩效自评"));
    let texts = wb.worksheet_range("文字").unwrap();
    assert_eq!(texts.get_value((0, 2)).unwrap().to_string(), "用途");
    assert_eq!(texts.get_value((1, 0)).unwrap().to_string(), "部门主要职责");
    assert_eq!(texts.get_value((1, 2)).unwrap().to_string(), "模板 self-chapter1.j2 第3行");
    // Pre-listed but blank rows are not facts (or texts) yet: check still asks for them.
    let out = text(&jixiao(&["check"], &[&dir]));
    assert!(out.contains("事实“收入预算完成率”"), "{out}");
    assert!(out.contains("文字“部门主要职责”：模板 self-chapter1.j2 第3行用"), "{out}");
}

/// What a newcomer types wrong, answered in Chinese; clap's English only
/// with `-v`.
#[test]
fn the_command_line_speaks_chinese() {
    let run = jixiao(&["biuld", "x"], &[]);
    let t = text(&run);
    assert_eq!(run.status.code(), Some(2));
    assert!(t.contains("错误：没有“biuld”这个命令（是不是“build”？）"), "{t}");
    assert!(!t.contains("error:") && !t.contains("Usage"), "{t}");
    let verbose = text(&jixiao(&["-v", "biuld", "x"], &[]));
    assert!(verbose.contains("unrecognized subcommand"), "English detail with -v: {verbose}");
    let help = text(&jixiao(&["build", "--help"], &[]));
    assert!(help.contains("用法：jixiao build [选项] <文件夹>...") && help.contains("显示帮助"), "{help}");
    assert!(!help.contains("Print help") && !help.contains("Options:") && !help.contains("[default: 0]"), "{help}");
    let t = text(&jixiao(&["build", "--hepl"], &[]));
    assert!(t.contains("不认识的选项“--hepl”（是不是“--help”？）"), "{t}");
}

/// A template typo through `build`: Chinese, naming template and line; the
/// English detail with `-v`.
#[test]
fn template_errors_are_chinese_with_the_detail_behind_v() {
    let dir = support::temp_dir("new-department-template-typo");
    for e in std::fs::read_dir(support::root().join("sample-workbooks/zaozhuang-shizhong-2024")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(dir.join("templates/cover.j2"), "@title {{ case.leader }}\n").unwrap();
    let out = dir.join("out");
    let t = text(&jixiao(&["build", "--no-toc-pages", "--out"], &[&out, &dir]));
    assert!(t.contains("cover.j2 第1行：用到了不存在的名称（多半是拼写错误"), "{t}");
    assert!(!t.contains("undefined"), "{t}");
    let t = text(&jixiao(&["-v", "build", "--no-toc-pages", "--out"], &[&out, &dir]));
    assert!(t.contains("undefined"), "{t}");
}

/// The smaller first-session frictions.
#[test]
fn newcomer_frictions() {
    // check on a folder where nothing is recognised: says so, exit 1.
    let dir = support::temp_dir("new-department-nothing");
    support::write("@sheet 随便\n@row 甲\t乙\n", &dir.join("杂项.xlsx"), &support::Variant::default());
    let run = jixiao(&["check"], &[&dir]);
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run).contains("没有识别出任何部门报表，未做任何核对"), "{}", text(&run));
    // annex on a workbook instead of its folder.
    let file = support::root().join("sample-workbooks/zaozhuang-shizhong-2024/评价底稿.xlsx");
    let t = text(&jixiao(&["annex"], &[&file]));
    assert!(t.contains("是一个文件。请给出案例文件夹"), "{t}");
    // inspect does not count rows of the working paper.
    let t = text(&jixiao(&["inspect"], &[&support::root().join("sample-workbooks/zaozhuang-shizhong-2024")]));
    assert!(!t.contains(" 0 行"), "{t}");
    // score with missing inputs lists them all and does not blame only the paper.
    let dir = new_case("new-department-score", &[]);
    let t = text(&jixiao(&["score"], &[&dir]));
    assert!(t.contains("尚缺 42 项输入（一次列全）"), "{t}");
    assert!(t.contains("评分未完成：15 个三级指标缺少评分所需的输入，总分待定"), "{t}");
    assert!(t.contains("合计                 100      待填      待填"), "no partial total: {t}");
    assert!(!t.contains("请修改评价底稿后重试"), "{t}");
    // A blank 评价年度 is said to be blank, never 缺少0年的….
    assert!(!t.contains("缺少0年"), "{t}");
    // build points to where the 错误 are listed.
    let dir = support::temp_dir("new-department-build-errors");
    for (name, src) in support::sample_sources("zaozhuang-shizhong-2024") {
        // 03's 合计 no longer equals 基本 + 项目: a 勾稽 错误.
        let src = if name.starts_with("2024年度部门决算") {
            src.replacen("@row 合计\t<\t8,848.19", "@row 合计\t<\t8,849.19", 1)
        } else {
            src
        };
        support::write(&src, &dir.join(&name), &support::Variant::default());
    }
    let out = dir.join("out");
    let t = text(&jixiao(&["build", "--no-toc-pages", "--out"], &[&out, &dir]));
    assert!(t.contains("错误 3 条，明细见") && t.contains("校验结果.xlsx（或运行 jixiao check"), "{t}");
    assert!(t.contains("  错误 ") && t.contains("8,849.19"), "the first errors are printed: {t}");
}

/// No holes: a case whose 项目信息, chapter texts and 主题 are partly
/// missing still gets its report, as a draft — every missing value a
/// placeholder listed on the 待填事项 page and in 校验结果, the cover marked
/// 征求意见稿, the build saying so; filled in, the same case gives the final
/// report with no placeholder and no mark.
#[test]
fn an_incomplete_case_gives_a_draft_without_holes() {
    let drop = ["@row 委托方", "@row 评价机构", "@row 主要成效及做法"];
    let mut in_themes = false;
    let dir = sample_with_paper_lines("new-department-draft", |l| {
        if l.starts_with("@sheet") {
            in_themes = l.trim() == "@sheet 主题";
        }
        !(drop.iter().any(|d| l.starts_with(d)) || (in_themes && l.starts_with("@row")))
    });
    let out = dir.join("out");
    let run = jixiao(&["build", "--no-toc-pages", "--out"], &[&out, &dir]);
    let t = text(&run);
    assert_eq!(run.status.code(), Some(0), "a draft is still built: {t}");
    assert!(t.contains("报告为草稿：缺 4 项"), "{t}");
    let doc = document_text(&out.join("枣庄市市中区医疗保障局2024年度绩效评价报告.docx"));
    assert!(doc.contains("（征求意见稿）") && doc.contains("待填事项"), "{doc}");
    for p in [
        "【待填：项目信息“委托方”】",
        "【待填：项目信息“评价机构”】",
        "【待填：文字“主要成效及做法”】",
        "【待填：问题主题及建议（评价底稿 › 主题）】",
    ] {
        assert!(doc.contains(p), "{p} in the draft");
    }
    assert_no_empty_slots(&doc);
    assert!(std::fs::read_to_string(out.join("评价结果.json")).unwrap().contains("\"draft\":true"));
    // 校验结果 lists them too.
    let mut wb: Xlsx<_> = open_workbook(out.join("校验结果.xlsx")).unwrap();
    let sheet = wb.worksheet_range("校验结果").unwrap();
    let pending = sheet.rows().filter(|r| r.get(2).map(|c| c.to_string()) == Some("draft.pending".into())).count();
    assert_eq!(pending, 4);
    // The complete sample: final, nothing pending.
    let out = support::temp_dir("new-department-final");
    let run = jixiao(
        &["build", "--no-toc-pages", "--out"],
        &[&out, &support::root().join("sample-workbooks/zaozhuang-shizhong-2024")],
    );
    assert!(!text(&run).contains("草稿"), "{}", text(&run));
    let doc = document_text(&out.join("枣庄市市中区医疗保障局2024年度绩效评价报告.docx"));
    assert!(!doc.contains("【待填") && !doc.contains("征求意见稿") && !doc.contains("待填事项"));
    assert_no_empty_slots(&doc);
}

/// The paragraphs of a DOCX, one per line.
fn document_text(path: &std::path::Path) -> String {
    support::docx_text(path)
}

/// Template slots rendered empty: a label with nothing after it, a
/// sentence with its subject missing.
fn assert_no_empty_slots(doc: &str) {
    for line in doc.lines() {
        for label in ["评价机构：", "项目主评人：", "机构负责人：", "项目负责人：", "评估组成员：", "级审核："]
        {
            assert!(!line.trim_end().ends_with(label), "empty slot: {line}");
        }
        for hole in ["受委托", "，（以下简称", "向报送", "未经书面"] {
            assert!(!line.contains(hole), "empty slot “{hole}”: {line}");
        }
    }
}

/// Two cases both named `2024` under different parents never share the
/// default output folder; each keeps its own on the next run.
#[test]
fn two_cases_with_the_same_folder_name_keep_apart() {
    let root = support::temp_dir("new-department-same-name");
    for dept in ["甲局", "乙局"] {
        let dir = root.join(dept).join("2024");
        std::fs::create_dir_all(&dir).unwrap();
        for e in std::fs::read_dir(support::root().join("sample-workbooks/zaozhuang-shizhong-2024")).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
        }
    }
    let build = |dept: &str| {
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .args(["build", "--no-toc-pages"])
            .arg(root.join(dept).join("2024"))
            .current_dir(&root)
            .output()
            .unwrap();
        assert!(run.status.success(), "{}", text(&run));
        text(&run)
    };
    let (a, b) = (build("甲局"), build("乙局"));
    let folder = |t: &str| t.lines().find(|l| l.starts_with("报告 ")).unwrap().to_string();
    assert_ne!(folder(&a), folder(&b), "{a}\n{b}");
    assert!(folder(&a).contains("output/2024/"), "the first keeps the plain name: {a}");
    assert_eq!(folder(&build("乙局")), folder(&b), "stable on the next run");
    assert_eq!(folder(&build("甲局")), folder(&a));
    let outputs: Vec<_> = std::fs::read_dir(root.join("output")).unwrap().collect();
    assert_eq!(outputs.len(), 2);
}

/// The whole path: the budget workbook alone plus `init` builds a
/// draft in which every missing value is a placeholder listed on the 待填事项
/// page, each pending indicator says what it lacks and no score is made up;
/// half filled (this year's 决算 and the paper without its 项目信息), a
/// shorter draft; everything filled, the final report.
#[test]
fn from_the_budget_workbook_alone_to_the_final_report() {
    let dir = new_case("new-department-path", &[]);
    let report = |out: &std::path::Path| {
        let run = jixiao(&["build", "--no-toc-pages", "--out"], &[out, &dir]);
        assert_eq!(run.status.code(), Some(0), "{}", text(&run));
        let docx = std::fs::read_dir(out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "docx"))
            .expect("a report");
        (text(&run), document_text(&docx))
    };
    // 1. Nothing filled: 42 items, each a placeholder in the draft and a line of its 待填事项 page.
    let (out, doc) = report(&dir.join("out1"));
    assert!(out.contains("报告为草稿：缺 42 项"), "{out}");
    assert!(doc.contains("本稿尚缺以下 42 项内容"), "{doc}");
    for what in [
        "事实“6月底支出”",
        "上年 财政拨款“三公”经费支出决算表（公开09表）",
        "文字“主要成效及做法”",
        "项目信息“评价机构”",
        "问卷数据",
    ] {
        assert!(doc.contains(&format!("【待填：{what}】")), "{what} as a placeholder: {doc}");
    }
    // No score is printed for what cannot be scored: the total, its grade and the pending indicators wait.
    assert!(doc.contains("得分【待填：得分】分，评价结果为“【待填：评价等级（15 个指标缺输入）】”"), "{doc}");
    assert!(
        doc.contains("缺少评分所需的输入，暂不评分：【待填：事实“全年预算数”】、【待填：事实“6月底支出”】"),
        "{doc}"
    );
    assert_no_empty_slots(&doc);
    // 2. Half filled: this year's 决算 and the sample paper without its 项目信息 rows.
    let sample = support::sample_sources("zaozhuang-shizhong-2024");
    for (name, src) in &sample {
        let src = match name.as_str() {
            "2024年度部门决算公开表.xlsx" => src.clone(),
            "评价底稿.xlsx" => src
                .lines()
                .filter(|l| !["@row 委托方", "@row 评价机构", "@row 主评人"].iter().any(|p| l.starts_with(p)))
                .collect::<Vec<_>>()
                .join("\n"),
            _ => continue,
        };
        support::write(&src, &dir.join(name), &support::Variant::default());
    }
    let (out, doc) = report(&dir.join("out2"));
    assert!(out.contains("报告为草稿：缺 5 项"), "{out}");
    for what in [
        "项目信息“委托方”",
        "项目信息“评价机构”",
        "项目信息“主评人”",
        "2023年 财政拨款“三公”经费支出决算表（公开09表）",
        "2023年 一般公共预算财政拨款基本支出决算明细表（公开06表）",
    ] {
        assert!(doc.contains(&format!("【待填：{what}】")), "{what}: {doc}");
    }
    assert!(doc.contains("（征求意见稿）"));
    assert_no_empty_slots(&doc);
    // 3. Everything: last year's 决算 and the whole paper — the final report, 82.03.
    for (name, src) in &sample {
        if matches!(name.as_str(), "2023年度部门决算公开表.xlsx" | "评价底稿.xlsx") {
            support::write(src, &dir.join(name), &support::Variant::default());
        }
    }
    let (out, doc) = report(&dir.join("out3"));
    assert!(!out.contains("草稿"), "{out}");
    assert!(!doc.contains("【待填") && !doc.contains("征求意见稿") && !doc.contains("待填事项"), "{doc}");
    assert!(doc.contains("得分82.03分，评价结果为“良”"), "{doc}");
    assert_no_empty_slots(&doc);
}
