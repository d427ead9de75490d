//! The 项目支出绩效自评结果汇总表 against the forms it summarises.

use rust_decimal::Decimal;

use crate::check::Ctx;
use crate::model::value::fmt_number;
use crate::model::{Grade, Severity};

/// The 项目支出绩效自评结果汇总表 against the forms: a 自评得分 or 自评等级
/// that differs from the form's own 总分/等级, a project listed without its
/// form — each a 提示 naming both places.
pub(super) fn summary_against_forms(ctx: &mut Ctx) {
    use crate::model::{project_key, CellValue, TableKind};
    let case = ctx.case;
    for t in case.tables_of(TableKind::SelfEvalSummary) {
        let b = t.main();
        let (Some(score_c), grade_c) = (b.column(&["得分"]), b.column(&["等级"])) else { continue };
        let file = t.location.first().map(|l| l.file.clone()).unwrap_or_default();
        for row in b.rows.iter().filter(|r| !r.label.trim().is_empty() && r.kind != crate::model::RowKind::Total) {
            let Some(score) = row.value(score_c) else { continue };
            let listed = match &score.value {
                CellValue::Number(d) => *d,
                _ => continue,
            };
            let key = project_key(&row.label);
            let Some(form) = case.project_self_evals.iter().find(|e| project_key(&e.project) == key) else {
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
            let stated = form.stated_total.as_ref().and_then(|v| v.value.number());
            if let Some(st) = stated.filter(|st| (*st - listed).abs() > Decimal::new(1, 2)) {
                let mut cells = vec![score.at.clone()];
                cells.extend(form.stated_total.as_ref().map(|v| v.at.clone()));
                ctx.report(
                    Severity::Note,
                    "recheck.summary_total",
                    &file,
                    format!(
                        "汇总表中“{}”自评 {} 分，其自评表总分为 {} 分。",
                        row.label,
                        fmt_number(listed),
                        fmt_number(st)
                    ),
                    cells,
                );
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
                        format!("汇总表中“{}”自评等级“{a}”，其自评表为“{b}”。", row.label),
                        vec![score.at.clone()],
                    );
                }
            }
        }
    }
}
