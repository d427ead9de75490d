//! The 项目支出绩效自评结果汇总表 against the forms it summarises.

use rust_decimal::Decimal;

use crate::check::Ctx;
use crate::model::value::fmt_number;
use crate::model::{project_key, CellValue, Grade, ProjectSelfEval, Row, RowKind, Severity, TableKind};

/// The 项目支出绩效自评结果汇总表 against the forms: a 自评得分 or 自评等级
/// that differs from the form's own 总分/等级, a project listed without its
/// form, a project matched under a slightly different name — each a 提示
/// naming both places.
pub(super) fn summary_against_forms(ctx: &mut Ctx) {
    let case = ctx.case;
    for t in case.tables_of(TableKind::SelfEvalSummary) {
        let b = t.main();
        let (Some(score_c), grade_c) = (b.column(&["得分"]), b.column(&["等级"])) else { continue };
        let file = t.location.first().map(|l| l.file.clone()).unwrap_or_default();
        for row in b.rows.iter().filter(|r| !r.label.trim().is_empty() && r.kind != RowKind::Total) {
            let Some(score) = row.value(score_c) else { continue };
            let listed = match &score.value {
                CellValue::Number(d) => *d,
                _ => continue,
            };
            let Some((form, exact)) = matching_form(&case.project_self_evals, &row.label) else {
                ctx.report(
                    Severity::Note,
                    "recheck.summary_missing",
                    &file,
                    format!(
                        "汇总表列有项目“{}”（自评 {} 分），但案例中没有它的项目支出绩效自评表。",
                        row.label,
                        fmt_number(listed)
                    ),
                    vec![score.at.clone()],
                );
                continue;
            };
            if !exact {
                near_name(ctx, &file, row, form);
            }
            let named = if exact { String::new() } else { format!("（“{}”）", form.project) };
            let stated = form.stated_total.as_ref().and_then(|v| v.value.number());
            if let Some(st) = stated.filter(|st| (*st - listed).abs() > Decimal::new(1, 2)) {
                let mut cells = vec![score.at.clone()];
                cells.extend(form.stated_total.as_ref().map(|v| v.at.clone()));
                let message = format!(
                    "汇总表中“{}”自评 {} 分，其自评表{named}总分为 {} 分。",
                    row.label,
                    fmt_number(listed),
                    fmt_number(st),
                );
                ctx.report(Severity::Note, "recheck.summary_total", &file, message, cells);
            }
            let listed_grade = grade_c.and_then(|c| row.value(c)).and_then(|v| match &v.value {
                CellValue::Text(t) => Grade::parse(t),
                _ => None,
            });
            let form_grade = form.stated_grade.as_deref().and_then(Grade::parse).or(stated.map(Grade::from_score));
            if let (Some(a), Some(b)) = (listed_grade, form_grade) {
                if a != b {
                    ctx.report(
                        Severity::Note,
                        "recheck.summary_grade",
                        &file,
                        format!("汇总表中“{}”自评等级“{a}”，其自评表{named}为“{b}”。", row.label),
                        vec![score.at.clone()],
                    );
                }
            }
        }
    }
}

/// The 提示 for a project listed under a name that differs from its form's.
fn near_name(ctx: &mut Ctx, file: &str, row: &Row, form: &ProjectSelfEval) {
    let mut cells = vec![row.at.clone()];
    cells.extend(form.project_at.clone());
    let message = format!(
        "汇总表的项目“{}”与自评表（{} › {}）的项目名称“{}”不完全一致，已按同一项目对照；请统一名称。",
        row.label, form.location.file, form.location.sheet, form.project
    );
    ctx.report(Severity::Note, "recheck.summary_name", file, message, cells);
}

/// The form a 汇总表 row lists: by its name exactly (punctuation aside), else
/// the one form whose name is near (one contains the other, or they differ
/// only by a suffix such as 项目/资金, or share most of their characters).
/// `true` when the names agree.
fn matching_form<'a>(forms: &'a [ProjectSelfEval], label: &str) -> Option<(&'a ProjectSelfEval, bool)> {
    let key = project_key(label);
    if let Some(f) = forms.iter().find(|e| project_key(&e.project) == key) {
        return Some((f, true));
    }
    let near: Vec<&ProjectSelfEval> = forms.iter().filter(|e| near(&key, &project_key(&e.project))).collect();
    match near.as_slice() {
        [one] => Some((one, false)),
        _ => None,
    }
}

/// Two project keys naming the same project.
fn near(a: &str, b: &str) -> bool {
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la.min(lb) < 4 {
        return false;
    }
    if a.contains(b) || b.contains(a) {
        return true;
    }
    let common = common_subsequence(a, b);
    common * 5 >= la.max(lb) * 4
}

/// The length of the longest common subsequence of two short names.
fn common_subsequence(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut prev = vec![0usize; b.len() + 1];
    for x in &a {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y { prev[j] + 1 } else { prev[j + 1].max(cur[j]) };
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_names() {
        assert!(near("高标准农田建设", "高标准农田建设项目"));
        assert!(near("农村人居环境整治资金", "农村人居环境整治专项资金"));
        assert!(!near("医疗救助资金", "城乡居民区级配套资金"));
        assert!(!near("培训", "培训项目"), "too short to tell");
    }
}
