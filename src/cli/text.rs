//! The text the commands print: listings and findings for people.

use std::fmt::Write;

use crate::check::CheckReport;
use crate::model::value::{fmt_number, fmt_rate};
use crate::model::{Case, Severity};

/// The human-readable listing printed by `jixiao inspect`.
pub fn inspect_text(case: &Case) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for f in &case.files {
        let _ = writeln!(out, "{}（{}）", f.name, f.format.as_deref().unwrap_or("无法读取"));
        for t in &f.found {
            let year = t.year.map(|y| format!("{y}年 ")).unwrap_or_default();
            let places: Vec<String> = t.location.iter().map(|l| format!("{} › {}", l.sheet, l.range)).collect();
            let title = if t.title == t.name { String::new() } else { format!("「{}」", t.title) };
            // The working paper is a set of sheets, not a table with rows.
            let rows = if t.rows == 0 { String::new() } else { format!("  {} 行", t.rows) };
            let _ = writeln!(out, "  {year}{}{title}  {}{rows}", t.name, places.join(" + "));
        }
        for s in &f.unrecognised_sheets {
            let _ = writeln!(out, "  未识别的工作表：{s}");
        }
    }
    let errors = case.problems.iter().filter(|p| p.severity == Severity::Error).count();
    let notes = case.problems.len() - errors;
    let _ = writeln!(
        out,
        "共 {} 个文件，{} 张表；错误 {errors} 条，提示 {notes} 条。",
        case.files.len(),
        case.files.iter().map(|f| f.found.len()).sum::<usize>()
    );
    out
}

/// The findings of `jixiao check`, grouped by workbook, with the ingest
/// problems first and the 自评复核 summary last.
pub fn check_text(case: &Case, report: &CheckReport) -> String {
    let mut out = String::new();
    let problems: Vec<_> = case.problems.iter().collect();
    if !problems.is_empty() {
        let _ = writeln!(out, "读取问题");
        for p in problems {
            let _ = writeln!(out, "  {p}");
        }
    }
    for (workbook, findings) in report.by_workbook() {
        let _ = writeln!(out, "{}", if workbook.is_empty() { "（全案）" } else { workbook });
        for f in findings {
            let _ = writeln!(out, "  {f}");
        }
    }
    if !report.rechecks.is_empty() {
        let _ = writeln!(out, "项目支出绩效自评复核");
        for r in &report.rechecks {
            let stated = match (r.stated_total, r.stated_grade) {
                (Some(t), Some(g)) => format!("{}（{g}）", fmt_number(t)),
                (Some(t), None) => fmt_number(t),
                (None, Some(g)) => g.to_string(),
                (None, None) => "—".into(),
            };
            let reasons = r.reasons();
            let why = if reasons.is_empty() { String::new() } else { format!("：{}", reasons.join("；")) };
            let _ = writeln!(out, "  {}  自评 {stated} → 复核 {}（{}）{why}", r.project, fmt_number(r.total), r.grade);
        }
    }
    let errors = report.errors() + case.problems.iter().filter(|p| p.severity == Severity::Error).count();
    let notes = report.notes() + case.problems.iter().filter(|p| p.severity == Severity::Note).count();
    let _ = writeln!(out, "共 错误 {errors} 条，提示 {notes} 条。");
    out
}

/// The score table of `jixiao score`: 一级 rows with 得分率, total, grade.
pub fn score_text(s: &crate::score::Scored) -> String {
    use crate::model::value::fmt_amount;
    let mut out = String::new();
    let _ = writeln!(out, "指标体系：{}（{}）", s.system.name, s.system.origin);
    let _ = writeln!(out, "{}{}{}{}", pad("一级指标", 16), lpad("分值", 8), lpad("得分", 10), lpad("得分率", 10));
    for l in &s.level1 {
        let rate = l.rate.map(|r| format!("{}%", fmt_rate(r))).unwrap_or_else(|| "待填".into());
        let _ = writeln!(
            out,
            "{}{}{}{}",
            pad(&l.name, 16),
            lpad(&fmt_number(l.weight), 8),
            lpad(&crate::model::value::fmt_score(l.score), 10),
            lpad(&rate, 10)
        );
    }
    let _ = writeln!(
        out,
        "{}{}{}{}",
        pad("合计", 16),
        lpad("100", 8),
        lpad(&crate::model::value::fmt_score(s.total), 10),
        lpad(s.grade.map(|g| g.label()).unwrap_or("待填"), 10)
    );
    let lost = s.indicators.iter().filter(|i| i.is_scored() && i.score < i.weight).count();
    let _ = writeln!(out, "三级指标 {} 个，失分 {lost} 个（问题清单 {} 条）。", s.indicators.len(), s.problems.len());
    for c in &s.coverage {
        let _ = writeln!(
            out,
            "{}抽查：{} / {} 个项目（{}%），资金 {} / {} 万元（{}%）{}",
            c.purpose,
            c.sampled,
            c.projects,
            fmt_rate(c.project_rate),
            fmt_amount(c.sampled_money),
            fmt_amount(c.total_money),
            fmt_rate(c.money_rate),
            if c.sufficient { "" } else { "，未达到项目数不低于30%、资金量不低于60%的要求" }
        );
    }
    for w in &s.warnings {
        let _ = writeln!(out, "提示：{w}");
    }
    out
}

/// Display width: CJK characters take two columns.
fn width(s: &str) -> usize {
    s.chars().map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 }).sum()
}

/// Left-aligned in `w` columns.
fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

/// Right-aligned in `w` columns.
fn lpad(s: &str, w: usize) -> String {
    format!("{}{s}", " ".repeat(w.saturating_sub(width(s))))
}

/// Tab-separated lines laid out as aligned columns (CJK counted double).
pub fn table(text: &str) -> String {
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    let cols = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| rows.iter().filter(|r| r.len() > 1).filter_map(|r| r.get(c)).map(|s| width(s)).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in rows {
        if r.len() <= 1 {
            out.push_str(r.first().copied().unwrap_or(""));
        } else {
            let cells: Vec<String> = r.iter().enumerate().map(|(c, s)| pad(s, widths[c] + 2)).collect();
            out.push_str(cells.join("").trim_end());
        }
        out.push('\n');
    }
    out
}

/// `jixiao system`: the system's levels and weights, its formulas, and
/// everything it reads from a case — 事实 (with the indicators using them),
/// tables (which year), 单位数据 columns, 问卷, sampled projects.
pub fn system_text(s: &crate::score::System) -> String {
    use crate::system::needs::{needs, Need, Year};
    let mut out = String::new();
    let _ = writeln!(out, "指标体系：{}（{}）", s.name, s.origin);
    // Indicators generated from the project's targets: one per target, so
    // counted per 一级 as such, not as the one placeholder standing for them.
    let generated = |i: &crate::score::Indicator| crate::render::paper::awaits_targets(i);
    let listed = s.indicators.iter().filter(|i| !generated(i)).count();
    let waiting: Vec<&crate::score::Indicator> = s.indicators.iter().filter(|i| generated(i)).collect();
    let more = if waiting.is_empty() {
        String::new()
    } else {
        let l1: Vec<&str> = waiting.iter().map(|i| i.level1.as_str()).collect();
        format!("，另按评价项目的绩效目标生成{}的三级指标（每个目标一个）", l1.join("、"))
    };
    let _ = writeln!(
        out,
        "一级指标 {} 个，二级指标 {} 个，三级指标 {listed} 个{more}，分值合计 {}。",
        s.level1_names().len(),
        s.level2.len(),
        fmt_number(s.indicators.iter().map(|i| i.weight).sum())
    );
    for l1 in s.level1_names() {
        let of: Vec<&crate::score::Indicator> = s.indicators.iter().filter(|i| i.level1 == l1).collect();
        let w: rust_decimal::Decimal = of.iter().map(|i| i.weight).sum();
        let fixed = of.iter().filter(|i| !generated(i)).count();
        let count = match (fixed, of.iter().any(|i| generated(i))) {
            (n, false) => format!("{n} 个三级指标"),
            (0, true) => "按评价项目的绩效目标生成三级指标（每个目标一个）".to_string(),
            (n, true) => format!("{n} 个三级指标，另按评价项目的绩效目标生成（每个目标一个）"),
        };
        let _ = writeln!(out, "  {l1}（{}分）：{count}", fmt_number(w));
    }
    if !s.metrics.is_empty() {
        let _ = writeln!(out, "公式（{} 个）", s.metrics.len());
        for m in &s.metrics {
            let _ = writeln!(
                out,
                "  {}={}{}",
                m.name,
                m.formula,
                if m.unit.is_empty() { String::new() } else { format!("（{}）", m.unit) }
            );
        }
    }
    let mut groups: Vec<(&str, Vec<String>)> = vec![
        ("事实", Vec::new()),
        ("报表", Vec::new()),
        ("数据表", Vec::new()),
        ("单位数据", Vec::new()),
        ("其他", Vec::new()),
    ];
    for n in needs(s) {
        let by = format!("（指标“{}”用）", n.indicator());
        let (g, line) = match &n {
            Need::Fact { name, .. } if crate::system::needs::table_cell(name).is_some() => (2, format!("{name}{by}")),
            Need::Fact { name, unit, .. } => {
                (0, format!("{name}{}{by}", if unit.is_empty() { String::new() } else { format!("，{unit}") }))
            }
            Need::FullYearBudget { .. } => (0, format!("全年预算数，万元{by}")),
            Need::Table { kind, year, .. } => {
                (1, format!("{}{}{by}", if *year == Year::Last { "上年 " } else { "" }, kind.name()))
            }
            Need::Units { column, .. } => (3, format!("{column}{by}")),
            Need::Survey { .. } => (4, format!("问卷{by}")),
            Need::Sampled { purpose, .. } => (4, format!("{purpose}抽查项目{by}")),
            Need::ProjectForm { .. } => (1, format!("评价项目的项目支出绩效自评表{by}")),
        };
        groups[g].1.push(line);
    }
    let _ = writeln!(out, "评分需要：");
    for (title, lines) in groups.iter().filter(|(_, l)| !l.is_empty()) {
        let _ = writeln!(out, "{title}（{} 项）", lines.len());
        for l in lines {
            let _ = writeln!(out, "  {l}");
        }
    }
    out
}
