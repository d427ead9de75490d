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
