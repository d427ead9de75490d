//! The 财政局's view across a batch: `build <root>` writes 汇总表.xlsx and
//! 综合绩效评价报告.docx per report kind and year, from the cases' JSON;
//! `summary <root>` rebuilds them after a correction and says what moved.

mod support;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader};
use jixiao::assemble::Evaluation;
use rust_decimal::Decimal;
use support::{jixiao, text};

/// 20 synthesised 部门整体 cases, the two other samples and one broken case.
fn root() -> PathBuf {
    let root = support::temp_dir("summary-root");
    let cases = root.join("cases");
    support::synthesise(&cases, 20);
    for sample in ["gaoyi-2021", "project-yiliaojiuzhu-2024"] {
        let dir = cases.join(sample);
        std::fs::create_dir_all(&dir).unwrap();
        for e in std::fs::read_dir(support::root().join("sample-workbooks").join(sample)).unwrap() {
            let e = e.unwrap();
            if e.path().is_file() {
                std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
            }
        }
    }
    let broken = cases.join("坏案例");
    std::fs::create_dir_all(&broken).unwrap();
    let bytes = std::fs::read(cases.join("case-000").join("评价底稿.xlsx")).unwrap();
    std::fs::write(broken.join("评价底稿.xlsx"), &bytes[..bytes.len() / 3]).unwrap();
    root
}

fn evaluation(dir: &Path) -> Evaluation {
    serde_json::from_slice(&std::fs::read(dir.join("评价结果.json")).unwrap()).unwrap()
}

fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut wb = calamine::open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

fn s(d: &Data) -> String {
    match d {
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn dec(d: &Data) -> Decimal {
    match d {
        Data::Float(f) => Decimal::try_from(*f).unwrap().round_dp(2),
        other => panic!("not a number: {other:?}"),
    }
}

fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

#[test]
fn the_summary_of_a_batch_equals_its_cases() {
    let root = root();
    let out = root.join("out");
    let _ = std::fs::remove_dir_all(&out);
    let o = jixiao(&["build", "--no-toc-pages", "--out"], &[&out, &root.join("cases")]);
    let t = text(&o);
    assert!(t.contains("汇总：23 个案例（已生成 22 个，失败 1 个），3 组（按报告类型和年度）"), "{t}");

    // One group per kind and year: never one average over different kinds.
    let dept = out.join("汇总表（部门预算整体绩效评价 2024）.xlsx");
    assert!(dept.is_file(), "{t}");
    assert!(out.join("汇总表（部门整体支出绩效自评 2021）.xlsx").is_file());
    assert!(out.join("汇总表（项目支出绩效评价 2024）.xlsx").is_file());
    let report = out.join("综合绩效评价报告（部门预算整体绩效评价 2024）.docx");
    assert!(report.is_file());

    // 案例汇总: each row equals that case's JSON.
    let rows = sheet(&dept, "案例汇总");
    let header: Vec<String> = rows[1].iter().map(s).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name}: {header:?}"));
    let mut totals = Vec::new();
    let mut grades: BTreeMap<String, usize> = BTreeMap::new();
    let mut categories: BTreeMap<String, usize> = BTreeMap::new();
    let mut seen = 0;
    for row in rows.iter().skip(2) {
        let folder = s(&row[col("案例文件夹")]);
        if !folder.starts_with("case-") {
            continue;
        }
        seen += 1;
        let eval = evaluation(&out.join(&folder));
        assert_eq!(s(&row[col("单位")]), eval.case.object, "{folder}");
        let total = eval.score.total.unwrap();
        assert_eq!(dec(&row[col("总分")]), total, "{folder}");
        assert_eq!(s(&row[col("等级")]), eval.score.grade, "{folder}");
        assert_eq!(dec(&row[col("年初预算数（万元）")]), eval.budget.initial.as_ref().unwrap().value, "{folder}");
        assert_eq!(dec(&row[col("决算支出（万元）")]), eval.budget.final_total.as_ref().unwrap().value, "{folder}");
        for l in &eval.score.level1 {
            assert_eq!(dec(&row[col(&format!("{}得分率", l.name))]), l.rate.unwrap(), "{folder} {}", l.name);
        }
        assert_eq!(s(&row[col("问题数")]), eval.score.problems.len().to_string(), "{folder}");
        let errors = eval.checks.iter().filter(|c| c.severity == "错误").count();
        assert_eq!(s(&row[col("错误")]), errors.to_string(), "{folder}");
        totals.push(total);
        *grades.entry(eval.score.grade.clone()).or_default() += 1;
        for p in &eval.score.problems {
            *categories.entry(p.category.clone()).or_default() += 1;
        }
    }
    assert_eq!(seen, 20);
    // The failed case is listed, with its message.
    let failed = rows.iter().find(|r| s(&r[col("案例文件夹")]) == "坏案例").expect("the failed case has a row");
    assert_eq!(s(&failed[col("等级")]), "失败");
    assert!(s(&failed[col("说明")]).contains("评价底稿.xlsx"), "{failed:?}");
    // 平均: the average of the 20 totals (cached value of a live formula).
    let average = round2(totals.iter().sum::<Decimal>() / Decimal::from(totals.len() as u64));
    let avg_row = rows.iter().find(|r| s(&r[0]) == "平均").expect("平均 row");
    assert_eq!(dec(&avg_row[col("总分")]), average);
    let distinct: std::collections::BTreeSet<Decimal> = totals.iter().copied().collect();
    assert!(distinct.len() >= 2, "the synthesised cases differ in score: {distinct:?}");

    // The other kinds, as built: their own figures, the project's unit and the project apart.
    let gaoyi = std::fs::read(out.join("汇总表（部门整体支出绩效自评 2021）.xlsx")).unwrap();
    let rows_gaoyi = cases_sheet(&gaoyi);
    let case = &rows_gaoyi[2];
    assert_eq!(s(&case[column_of(&rows_gaoyi, "案例文件夹")]), "gaoyi-2021");
    assert_eq!(dec(&case[column_of(&rows_gaoyi, "年初预算数（万元）")]), support::d("2958.92"));
    assert_eq!(dec(&case[column_of(&rows_gaoyi, "决算支出（万元）")]), support::d("3686.23"));
    let project = std::fs::read(out.join("汇总表（项目支出绩效评价 2024）.xlsx")).unwrap();
    let rows_project = cases_sheet(&project);
    let case = &rows_project[2];
    assert_eq!(s(&case[column_of(&rows_project, "单位")]), "枣庄市市中区医疗保障局");
    assert_eq!(s(&case[column_of(&rows_project, "项目")]), "医疗救助资金");
    assert_eq!(dec(&case[column_of(&rows_project, "年初预算数（万元）")]), support::d("2389"));
    assert_eq!(dec(&case[column_of(&rows_project, "全年执行数（万元）")]), support::d("1241.13"));
    let dept_text = support::docx_text(&report);
    assert_eq!(dept_text.matches("建议财政部门组织专项督导").count(), 1, "{dept_text}");
    assert!(dept_text.contains("等得分低于平均分的单位，建议开展重点跟踪评价"), "{dept_text}");

    // 汇总.json: the grade counts and the 共性问题 ranking, as the cases' JSON say.
    let portfolio: jixiao::summary::Portfolio =
        serde_json::from_slice(&std::fs::read(out.join("汇总.json")).unwrap()).unwrap();
    assert_eq!(portfolio.cases, 23);
    let g = portfolio.groups.iter().find(|g| g.kind == "部门预算整体绩效评价").unwrap();
    assert_eq!(g.cases.len(), 20);
    assert_eq!(g.average, Some(average));
    for (grade, n, _) in &g.grades {
        assert_eq!(*n, grades.get(grade).copied().unwrap_or(0), "{grade}");
    }
    let mut ranked: Vec<(String, usize)> = categories.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let got: Vec<(String, usize)> = g.by_category.iter().map(|f| (f.name.clone(), f.count)).collect();
    assert_eq!(got, ranked);
    assert_eq!(g.by_category[0].name, "预算管理", "the sample's most frequent category");
    assert_eq!(g.by_category[0].units.len(), 20, "every synthesised department");

    // The report: valid, a native chart per figure, the key figures in its text.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&report).unwrap()).unwrap();
    let mut chart = String::new();
    zip.by_name("word/charts/chart1.xml").unwrap().read_to_string(&mut chart).unwrap();
    assert!(zip.by_name("word/charts/chart2.xml").is_ok());
    let histogram_total: u32 = chart
        .split("<c:numCache>")
        .nth(1)
        .unwrap()
        .split("<c:v>")
        .skip(1)
        .map(|v| v.split("</c:v>").next().unwrap().parse::<u32>().unwrap())
        .sum();
    assert_eq!(histogram_total, 20, "the histogram counts every scored case");
    if let Some((status, text)) = support::validate_docx(&report) {
        assert_eq!(status, 0, "{text}");
    }
    let soffice =
        ["soffice", "libreoffice"].iter().any(|b| std::process::Command::new(b).arg("--version").output().is_ok());
    if !soffice {
        assert!(std::env::var_os("CI").is_none(), "CI must have LibreOffice");
        return;
    }
    let pdf_dir = support::temp_dir("summary-pdf");
    let profile = support::temp_dir("summary-pdf-profile");
    let conv = std::process::Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&pdf_dir)
        .arg(&report)
        .output()
        .unwrap();
    assert!(conv.status.success());
    let pdf = pdf_dir.join(report.with_extension("pdf").file_name().unwrap());
    let pdf_text = std::process::Command::new("pdftotext").arg(&pdf).arg("-").output().unwrap();
    let flat: String = String::from_utf8_lossy(&pdf_text.stdout).chars().filter(|c| !c.is_whitespace()).collect();
    let avg_text = jixiao::model::value::fmt_number(average);
    for needle in
        ["综合绩效评价报告", "一、总体情况", "二、得分分布", "三、共性问题", "预算管理", "附表1各案例得分情况"]
    {
        assert!(flat.contains(needle), "PDF lacks {needle}");
    }
    assert!(flat.contains(&format!("平均得分{avg_text}分")), "PDF lacks the average {avg_text}");
    assert!(flat.contains("未能生成1个"), "the failed case is counted");
}

#[test]
fn summary_after_a_correction_says_what_moved() {
    let root = support::temp_dir("summary-again");
    let cases = root.join("cases");
    let out = root.join("out");
    let _ = std::fs::remove_dir_all(&out);
    support::synthesise(&cases, 3);
    assert!(jixiao(&["build", "--no-toc-pages", "--out"], &[&out, &cases]).status.success());
    // Nothing changed: the summary says so.
    let t = text(&jixiao(&["summary", "--out"], &[&out, &cases]));
    assert!(t.contains("汇总与上次相同。"), "{t}");
    // A correction in one case, rebuilt alone (as after `annex`), then the summary.
    let paper = cases.join("case-000").join("评价底稿.xlsx");
    let src = support::sample_sources("zaozhuang-shizhong-2024")
        .into_iter()
        .find(|(f, _)| f == "评价底稿.xlsx")
        .unwrap()
        .1
        .replace("枣庄市市中区医疗保障局", "示例市第1区医疗保障局")
        .replace("指标体系（示例市第1区医疗保障局2024）", "指标体系（枣庄市市中区医疗保障局2024）")
        .replace("@row 全年预算数\t=8848.19\t", "@row 全年预算数\t=12848.19\t");
    support::write(&src, &paper, &support::Variant::default());
    let before = evaluation(&out.join("case-000")).score.total.unwrap();
    assert!(jixiao(&["annex", "--out"], &[&out.join("case-000"), &cases.join("case-000")]).status.success());
    let after = evaluation(&out.join("case-000")).score.total.unwrap();
    assert_ne!(before, after);
    let t = text(&jixiao(&["summary", "--out"], &[&out, &cases]));
    let show = jixiao::model::value::fmt_number;
    assert!(t.contains(&format!("case-000：总分 {} → {}", show(before), show(after))), "{t}");
    assert!(t.contains("平均分"), "{t}");
    assert!(!t.contains("case-001："), "an unchanged case is not listed: {t}");
}

/// A sample's evaluation as its build writes it (the golden JSON, kept equal to the build by tests/golden.rs).
fn sample_evaluation(case: &str) -> Evaluation {
    let path = support::root().join("tests/golden").join(case).join("evaluation.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The text of a DOCX given as bytes, one paragraph a line (table cells too).
fn docx_bytes_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    let mut out = String::new();
    for para in xml.split("</w:p>") {
        // `<w:t>` or `<w:t xml:space=…>`, never `<w:tc>`, `<w:tbl>`, …
        let runs = para.split("<w:t").skip(1).filter(|p| p.starts_with('>') || p.starts_with(' '));
        let line: String = runs
            .map(|p| p.split_once('>').map(|(_, t)| t).unwrap_or("").split("</w:t>").next().unwrap_or(""))
            .collect();
        if !line.is_empty() {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// The 案例汇总 sheet of an 汇总表 given as bytes.
fn cases_sheet(bytes: &[u8]) -> Vec<Vec<Data>> {
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = wb.worksheet_range("案例汇总").unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

fn column_of(rows: &[Vec<Data>], name: &str) -> usize {
    rows[1].iter().position(|h| s(h) == name).unwrap_or_else(|| panic!("{name}: {:?}", rows[1]))
}

/// One case in a group of its own: its 汇总表 row, its SUM's cached value and the report's sentence.
fn one_case_summary(case: &str) -> (jixiao::summary::CaseRow, Vec<Vec<Data>>, String) {
    let row = jixiao::summary::case_row(case, &sample_evaluation(case), format!("{case}/报告.docx"));
    let p = jixiao::summary::portfolio(vec![row.clone()], vec![]);
    let xlsx = jixiao::summary::xlsx::write(&p, &p.groups[0]).unwrap();
    let docx = jixiao::summary::report::render(&p, &p.groups[0], &[]).unwrap();
    (row, cases_sheet(&xlsx), docx_bytes_text(&docx))
}

#[test]
fn each_kind_has_its_budget_and_spending_in_the_summary() {
    let d = support::d;
    // 部门整体 (third party): 预算 表三 合计 and 公开03表 本年支出合计.
    let (row, rows, text) = one_case_summary("zaozhuang-shizhong-2024");
    assert_eq!((row.initial, row.final_total), (Some(d("12847.65")), Some(d("8848.19"))));
    assert!(text.contains("涉及年初预算12,847.65万元、决算支出8,848.19万元。"), "{text}");
    // 自评 (no 预决算公开表): the amounts its 部门预算收支情况 / 部门决算收支情况 state, its 自评表's 执行数.
    let (row, rows_gaoyi, text) = one_case_summary("gaoyi-2021");
    assert_eq!((row.initial, row.final_total), (Some(d("2958.92")), Some(d("3686.23"))));
    assert_eq!(row.unit, "高邑县医疗保障局");
    assert!(text.contains("涉及年初预算2,958.92万元、决算支出3,686.23万元。"), "{text}");
    let total = rows_gaoyi.iter().find(|r| s(&r[0]) == "合计").expect("合计 row");
    assert_eq!(dec(&total[column_of(&rows_gaoyi, "年初预算数（万元）")]), d("2958.92"), "the SUM's cached value");
    assert_eq!(dec(&total[column_of(&rows_gaoyi, "决算支出（万元）")]), d("3686.23"));
    // 项目: the project's own 年初预算数 and 全年执行数; 单位 is the department, the project in its own column.
    let (row, rows_project, text) = one_case_summary("project-yiliaojiuzhu-2024");
    assert_eq!((row.initial, row.final_total), (Some(d("2389")), Some(d("1241.13"))));
    assert_eq!(row.unit, "枣庄市市中区医疗保障局");
    assert_eq!(row.project.as_deref(), Some("医疗救助资金"));
    assert!(text.contains("涉及项目年初预算2,389.00万元、全年执行数1,241.13万元。"), "{text}");
    let case = &rows_project[2];
    assert_eq!(s(&case[column_of(&rows_project, "单位")]), "枣庄市市中区医疗保障局");
    assert_eq!(s(&case[column_of(&rows_project, "项目")]), "医疗救助资金");
    assert_eq!(dec(&case[column_of(&rows_project, "年初预算数（万元）")]), d("2389"));
    assert_eq!(dec(&case[column_of(&rows_project, "全年执行数（万元）")]), d("1241.13"));
    let total = rows_project.iter().find(|r| s(&r[0]) == "合计").expect("合计 row");
    assert_eq!(dec(&total[column_of(&rows_project, "全年执行数（万元）")]), d("1241.13"));
    // A department's 汇总表 has no 项目 column.
    assert!(!rows[1].iter().any(|h| s(h) == "项目"), "{:?}", rows[1]);
}

#[test]
fn a_group_of_one_case_is_worded_for_one_case() {
    for case in ["zaozhuang-shizhong-2024", "gaoyi-2021", "project-yiliaojiuzhu-2024"] {
        let (row, _, text) = one_case_summary(case);
        // No comparison, and no suggestion aimed at "lower-scoring units" of a group of one.
        for wrong in ["得分接近", "无明显落后", "得分较低", "平均得分", "最高", "个性问题"] {
            assert!(!text.contains(wrong), "{case}: {wrong}\n{text}");
        }
        assert!(
            text.contains(&format!(
                "得分{}分，评价等级为“{}”",
                jixiao::model::value::fmt_number(row.total.unwrap()),
                row.grade
            )),
            "{text}"
        );
        // Each suggestion once.
        let mut seen = std::collections::BTreeSet::new();
        for line in text.lines().filter(|l| l.contains("建议")) {
            assert!(seen.insert(line), "{case}: repeated: {line}");
        }
        assert_eq!(text.matches("对照问题清单逐项整改").count(), 2, "{case}: the heading and its one sentence\n{text}");
    }
}

#[test]
fn comparisons_never_contradict_the_suggestions() {
    let eval = sample_evaluation("zaozhuang-shizhong-2024");
    let row = |folder: &str, total: &str| {
        let mut r = jixiao::summary::case_row(folder, &eval, format!("{folder}/报告.docx"));
        r.unit = format!("{folder}局");
        r.total = Some(support::d(total));
        r.grade = jixiao::model::Grade::from_score(support::d(total)).to_string();
        r
    };
    // Equal scores: nobody is below the average, and no suggestion says otherwise.
    let p = jixiao::summary::portfolio(vec![row("甲", "82.03"), row("乙", "82.03")], vec![]);
    let text = docx_bytes_text(&jixiao::summary::report::render(&p, &p.groups[0], &[]).unwrap());
    assert!(text.contains("本组已评分的2个案例得分相同（均为82.03分），没有得分低于平均分的单位。"), "{text}");
    assert!(!text.contains("得分较低"), "{text}");
    // Different scores: the weakest is named in 四 and its suggestion in 五.
    let p = jixiao::summary::portfolio(vec![row("甲", "92"), row("乙", "70"), row("丙", "85")], vec![]);
    let text = docx_bytes_text(&jixiao::summary::report::render(&p, &p.groups[0], &[]).unwrap());
    assert!(text.contains("（一）乙局（70分，中）"), "{text}");
    assert!(text.contains("对乙局等得分低于平均分的单位，建议开展重点跟踪评价"), "{text}");
    assert!(!text.contains("得分接近"), "{text}");
    // The common problems: one suggestion naming the categories, not one copy per category.
    assert_eq!(text.matches("建议财政部门组织专项督导").count(), 1, "{text}");
    assert!(text.contains("本组问题集中在“预算管理”（涉及3个单位）、"), "{text}");
}

#[test]
fn a_case_is_named_by_its_folder_whatever_its_output_folder() {
    // `serve` writes each case's outputs into `<case>/output`: the summary names the case folder.
    let root = support::temp_dir("summary-serve-names");
    let _ = std::fs::remove_dir_all(&root);
    let json = support::root().join("tests/golden/gaoyi-2021/evaluation.json");
    let cases: Vec<PathBuf> = ["高邑县医保局", "另一案例"].iter().map(|n| root.join(n)).collect();
    let outputs: Vec<PathBuf> = cases.iter().map(|c| c.join("output")).collect();
    for out in &outputs {
        std::fs::create_dir_all(out).unwrap();
        std::fs::copy(&json, out.join("评价结果.json")).unwrap();
    }
    let p = jixiao::summary::collect(&cases, &outputs, &[], &root);
    let folders: Vec<&str> = p.groups[0].cases.iter().map(|c| c.folder.as_str()).collect();
    assert_eq!(folders, ["高邑县医保局", "另一案例"]);
    // Two cases of the same name (in different parents) stay apart, as the batch's output folders.
    let twins = [root.join("a").join("同名"), root.join("b").join("同名")];
    assert_eq!(jixiao::summary::case_names(&twins), ["同名", "同名-2"]);
}
