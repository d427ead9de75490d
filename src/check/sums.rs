//! Inside one table: 合计 = Σ 类, 类 = Σ 款, 款 = Σ 项; column identities;
//! balancing totals of the side-by-side tables; "三公" components; 06表's
//! 人员经费合计 / 公用经费合计; codes that break the hierarchy.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::model::{Block, Row, RowKind, Severity, Table, TableKind};

use super::{short_name, workbook_of, Ctx, Finding, Term};

use TableKind::*;

pub(super) fn run(ctx: &mut Ctx) {
    let case = ctx.case;
    for t in &case.tables {
        if !t.kind.info().numeric {
            continue;
        }
        for b in &t.blocks {
            let folded = hierarchy_with_misprints(ctx, t, b);
            structure(ctx, t, b, &folded);
        }
        identities(ctx, t);
        if matches!(t.kind, Final01 | Final04 | Budget01 | Budget04) {
            for b in &t.blocks {
                balance_block(ctx, t, b);
            }
            balance_sides(ctx, t);
        }
        if t.kind == Final04 {
            fund_balance(ctx, t);
        }
        if matches!(t.kind, Final09 | Budget07) {
            three_public(ctx, t);
        }
        if t.kind == Final06 {
            basic_detail(ctx, t);
        }
    }
}

fn code_level(code: &str) -> usize {
    code.len()
}

/// One reading of a block's codes: (code, row) in row order. The literal
/// reading takes every row's code as printed; a corrected one re-reads a
/// misprinted code.
type Reading<'b> = Vec<(String, &'b Row)>;

/// The children of a code: the next level down (3 → 5 → 7).
fn children<'r, 'b>(reading: &'r [(String, &'b Row)], code: &str) -> Vec<&'r (String, &'b Row)> {
    reading.iter().filter(|(c, _)| c.len() == code.len() + 2 && c.starts_with(code)).collect()
}

fn col_label(b: &Block, c: usize) -> &str {
    b.columns.get(c).map(|c| c.label.as_str()).unwrap_or("")
}

fn amount_term(label: &str, row: &Row, c: usize) -> Term {
    Term::new(label, row.amount(c), row.value(c).map(|v| v.at.clone()))
}

/// Which hierarchy sum a finding is about: the code summed and the
/// column, with the total as stated.
#[derive(Debug, Clone, PartialEq)]
struct SumKey {
    /// The code summed (none: the block's 合计).
    code: Option<String>,
    /// As the finding names it: `合计`, `210卫生健康支出`.
    what: String,
    /// The column's label.
    column: String,
    /// The total as stated.
    stated: Decimal,
}

/// A hierarchy sum that does not hold: its finding, which sum it is and the
/// parts the finding prints (label and value).
#[derive(Debug, Clone)]
struct Failed {
    key: SumKey,
    parts: Vec<(String, Decimal)>,
    finding: Finding,
}

impl Failed {
    /// The same sum with the same numbers: the same finding.
    fn same(&self, other: &Failed) -> bool {
        self.key == other.key && self.parts == other.parts
    }
}

/// `lhs` = Σ `parts` as [`Ctx::sum`], the finding (if any) returned with
/// its key instead of kept.
fn hierarchy_sum(ctx: &mut Ctx, wb: &str, name: &str, key: SumKey, lhs: Term, parts: Vec<Term>) -> Option<Failed> {
    let start = ctx.findings.len();
    let shown: Vec<(String, Decimal)> = super::shown_parts(&parts).into_iter().map(|p| (p.label, p.value)).collect();
    ctx.sum("sum.hierarchy", wb, &format!("{name} {} “{}”", key.what, key.column), lhs, parts);
    let finding = ctx.findings.split_off(start).pop()?;
    Some(Failed { key, parts: shown, finding })
}

/// 合计 = Σ 类 rows; each code = Σ its children (when it has any), in one
/// reading of the codes: the sums that fail.
fn hierarchy(ctx: &mut Ctx, t: &Table, b: &Block, reading: &[(String, &Row)]) -> Vec<Failed> {
    let name = short_name(t);
    let wb = workbook_of(t);
    let mut out = Vec::new();
    let top: Vec<&(String, &Row)> = reading.iter().filter(|(c, _)| c.len() == 3).collect();
    for c in 0..b.columns.len() {
        let column = col_label(b, c).to_string();
        if let Some(total) = b.total() {
            if !top.is_empty() {
                let parts = top.iter().map(|(code, r)| amount_term(&format!("{code}{}", r.label), r, c)).collect();
                let stated = amount_term("", total, c);
                let key = SumKey { code: None, what: "合计".into(), column: column.clone(), stated: stated.value };
                out.extend(hierarchy_sum(ctx, &wb, &name, key, stated, parts));
            }
        }
        for (code, r) in reading {
            let kids = children(reading, code);
            if kids.is_empty() {
                continue;
            }
            let parts = kids.iter().map(|(k, row)| amount_term(k, row, c)).collect();
            let stated = amount_term("", r, c);
            let what = format!("{code}{}", r.label);
            let key = SumKey { code: Some(code.clone()), what, column: column.clone(), stated: stated.value };
            out.extend(hierarchy_sum(ctx, &wb, &name, key, stated, parts));
        }
    }
    out
}

/// A code printed twice, the re-reading that explains it, and the sums it
/// broke.
#[derive(Debug, Default)]
struct Misprint {
    /// How the codes read once corrected (`把 D27“其他卫生健康支出”读作款级科目 21099…`).
    reading: String,
    /// The literal reading's hierarchy findings that the correction closes:
    /// folded into the one `code.duplicate` 错误 instead of reported apart.
    folded: Vec<Failed>,
}

/// The hierarchy sums of a block, a printed misprint counted once.
///
/// A code printed twice (a 款 whose digits stand in the 项 column, read as a
/// second 项 of the 款 above: the shared 表三's `99`) makes the sums above
/// it fail too — 款 and 类, in each column. When a re-reading of the
/// duplicated code (one occurrence read as the 款 its digits name, with the
/// 项 rows under it; or one occurrence dropped as a repeated row) gives fewer
/// 错误, the sums it closes are folded into the `code.duplicate` 错误
/// (returned by code) and not reported apart. Sums that still fail under the
/// corrected reading are reported as usual (true errors elsewhere), and so
/// are failures that only the corrected reading shows (marked
/// `（按更正后的编码）`).
fn hierarchy_with_misprints(ctx: &mut Ctx, t: &Table, b: &Block) -> HashMap<String, Misprint> {
    let literal: Reading = b.rows.iter().filter_map(|r| r.code.clone().map(|c| (c, r))).collect();
    let mut dups: Vec<String> = Vec::new();
    for (i, (c, _)) in literal.iter().enumerate() {
        if literal[..i].iter().any(|(p, _)| p == c) && !dups.contains(c) {
            dups.push(c.clone());
        }
    }
    let run = |ctx: &mut Ctx, reading: &[(String, &Row)]| hierarchy(ctx, t, b, reading);
    let errors = |fs: &[Failed]| fs.iter().filter(|f| f.finding.severity == Severity::Error).count();
    let as_printed = run(ctx, &literal);
    if dups.is_empty() || errors(&as_printed) == 0 {
        ctx.findings.extend(as_printed.into_iter().map(|f| f.finding));
        return HashMap::new();
    }
    // Per duplicated code, in turn, the re-reading with the fewest 错误.
    let mut best = literal.clone();
    let mut best_findings = as_printed.clone();
    let mut fixes: Vec<(String, String)> = Vec::new();
    for d in &dups {
        let mut chosen: Option<(String, Reading, Vec<Failed>)> = None;
        for (why, reading) in rereadings(&best, d) {
            let found = run(ctx, &reading);
            let to_beat = chosen.as_ref().map(|c| errors(&c.2)).unwrap_or(errors(&best_findings));
            if errors(&found) < to_beat {
                chosen = Some((why, reading, found));
            }
        }
        if let Some((why, reading, found)) = chosen {
            best = reading;
            best_findings = found;
            fixes.push((d.clone(), why));
        }
    }
    if fixes.is_empty() {
        ctx.findings.extend(as_printed.into_iter().map(|f| f.finding));
        return HashMap::new();
    }
    fold(ctx, as_printed, &best_findings, &fixes)
}

/// The literal reading's failing sums against the corrected reading's:
/// those failing in both alike are reported, those the correction closes
/// are folded (returned by the duplicated code that explains them), those
/// only the correction shows are reported marked `（按更正后的编码）`.
fn fold(
    ctx: &mut Ctx,
    as_printed: Vec<Failed>,
    corrected: &[Failed],
    fixes: &[(String, String)],
) -> HashMap<String, Misprint> {
    // A sum failing in both readings with other numbers is not closed by
    // the correction (its corrected finding is reported below), so it is
    // not folded either.
    let (kept, folded): (Vec<Failed>, Vec<Failed>) =
        as_printed.iter().cloned().partition(|f| corrected.iter().any(|c| c.same(f)));
    let folded: Vec<Failed> = folded.into_iter().filter(|f| !corrected.iter().any(|c| c.key == f.key)).collect();
    ctx.findings.extend(kept.into_iter().map(|f| f.finding));
    for c in corrected.iter().filter(|c| !as_printed.iter().any(|f| f.same(c))) {
        let mut f = c.finding.clone();
        f.message = format!("（按更正后的编码）{}", f.message);
        ctx.findings.push(f);
    }
    // A folded sum goes with the duplicated code it is an ancestor of (the
    // first one when none matches).
    let mut out: HashMap<String, Misprint> =
        fixes.iter().map(|(code, why)| (code.clone(), Misprint { reading: why.clone(), folded: Vec::new() })).collect();
    for f in folded {
        let under = |code: &String| {
            [3, 5].iter().any(|&n| n < code.len() && f.key.code.as_ref().is_some_and(|c| c.starts_with(&code[..n])))
        };
        let owner = fixes.iter().find(|(code, _)| under(code)).or(fixes.first()).map(|(c, _)| c.clone());
        if let Some(m) = owner.and_then(|o| out.get_mut(&o)) {
            m.folded.push(f);
        }
    }
    out
}

/// Candidate re-readings of a duplicated code `dup`, each with what it
/// assumes, in Chinese.
fn rereadings<'b>(reading: &[(String, &'b Row)], dup: &str) -> Vec<(String, Reading<'b>)> {
    let mut out = Vec::new();
    let at: Vec<usize> = reading.iter().enumerate().filter(|(_, (c, _))| c == dup).map(|(i, _)| i).collect();
    // A 款 printed in the 项 column: its two digits are the 款's, and the 项
    // rows read under it (same 款 as printed, right below) belong to it.
    if dup.len() == 7 {
        let kuan = format!("{}{}", &dup[..3], &dup[5..]);
        for &k in &at {
            let mut r: Reading = reading.to_vec();
            r[k].0 = kuan.clone();
            for j in k + 1..r.len() {
                if r[j].0.len() != 7 || !r[j].0.starts_with(&dup[..5]) {
                    break;
                }
                r[j].0 = format!("{kuan}{}", &reading[j].0[5..]);
            }
            let row = reading[k].1;
            out.push((
                format!(
                    "把 {}“{}”读作款级科目 {kuan}（“{}”应在款栏），其下的项随之归入该款",
                    row.at.cell(),
                    row.label,
                    &dup[5..]
                ),
                r,
            ));
        }
    }
    // The same row printed twice.
    for &k in &at {
        let mut r: Reading = reading.to_vec();
        let (_, row) = r.remove(k);
        out.push((format!("把 {}“{}”视为重复的行、不计入合计", row.at.cell(), row.label), r));
    }
    out
}

/// The same code twice, a 项 without its 款, a 款 without its 类. A
/// duplicated code whose misprint explains failing sums above it says so,
/// with those sums (`misprints`, from [`hierarchy_with_misprints`]).
fn structure(ctx: &mut Ctx, t: &Table, b: &Block, misprints: &HashMap<String, Misprint>) {
    let name = short_name(t);
    let wb = workbook_of(t);
    let mut seen: HashMap<&str, &Row> = HashMap::new();
    for r in &b.rows {
        let Some(code) = r.code.as_deref() else {
            continue;
        };
        if let Some(first) = seen.get(code) {
            let mut cells = vec![first.at.clone(), r.at.clone()];
            let consequence = match misprints.get(code) {
                Some(m) => {
                    cells.extend(m.folded.iter().filter_map(|f| f.finding.cells.first().cloned()));
                    let sums: Vec<String> = m.folded.iter().map(folded_sum).collect();
                    let also = if sums.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "照字面读，其上级有 {} 处层级合计不符，按此更正即相符，不另报：{}。",
                            sums.len(),
                            sums.join("；")
                        )
                    };
                    format!("多为编码级次写错——{}。{also}", m.reading)
                }
                None => "请检查编码是否写错了级次。".to_string(),
            };
            ctx.report(
                Severity::Error,
                "code.duplicate",
                &wb,
                format!("{name} 科目编码 {code} 出现了两次（“{}”与“{}”）：{consequence}", first.label, r.label),
                cells,
            );
        } else {
            seen.insert(code, r);
        }
        let level = code_level(code);
        if level > 3 && !matches!(level, 5 | 7) {
            ctx.report(
                Severity::Error,
                "code.structure",
                &wb,
                format!("{name} 科目编码 {code}（{}）位数不对：应为 3、5 或 7 位。", r.label),
                vec![r.at.clone()],
            );
            continue;
        }
        if level > 3 {
            let parent = &code[..level - 2];
            if !b.rows.iter().any(|p| p.code.as_deref() == Some(parent)) {
                let what = if level == 7 {
                    "项级科目缺少所属的款级科目"
                } else {
                    "款级科目缺少所属的类级科目"
                };
                ctx.report(
                    Severity::Error,
                    "code.structure",
                    &wb,
                    format!("{name} {code}{}：{what} {parent}。", r.label),
                    vec![r.at.clone()],
                );
            }
        }
    }
}

/// A folded hierarchy finding in short: `210卫生健康支出 “合计” 12,746.17（差 345.15）`
/// (the table is not named: the duplicate's message names it already).
fn folded_sum(f: &Failed) -> String {
    let k = &f.key;
    let head = format!("{} “{}” {}", k.what, k.column, crate::model::value::fmt_amount(k.stated));
    let head = head.split_whitespace().collect::<Vec<_>>().join(" ");
    match f.finding.difference {
        Some(d) => format!("{head}（差 {}）", crate::model::value::fmt_amount(d.abs())),
        None => head,
    }
}

/// Column identities, as data: (kind, block, total column, part columns).
struct Identity {
    kind: TableKind,
    block: Option<&'static str>,
    total: &'static [&'static str],
    parts: &'static [&'static [&'static str]],
}

/// 合计 by source of funds (预算 表十, 表十一, 表十二).
const FUND_SOURCES: &[&[&str]] =
    &[&["财政拨款", "小计"], &["财政专户管理资金"], &["单位资金"], &["使用非财政拨款结余"], &["上年结转"]];

/// 财政拨款 by fund.
const FISCAL_FUNDS: &[&[&str]] = &[&["一般公共预算"], &["政府性基金"], &["国有资本经营"]];

const IDENTITIES: &[Identity] = &[
    Identity {
        kind: Final02,
        block: None,
        total: &["本年收入合计"],
        parts: &[
            &["财政拨款收入"],
            &["上级补助收入"],
            &["事业收入"],
            &["经营收入"],
            &["附属单位上缴收入"],
            &["其他收入"],
        ],
    },
    Identity {
        kind: Final03,
        block: None,
        total: &["本年支出合计"],
        parts: &[&["基本支出"], &["项目支出"], &["上缴上级支出"], &["经营支出"], &["对附属单位补助支出"]],
    },
    Identity { kind: Final05, block: None, total: &["小计"], parts: &[&["基本支出"], &["项目支出"]] },
    Identity {
        kind: Final07,
        block: None,
        total: &["本年支出", "小计"],
        parts: &[&["本年支出", "基本支出"], &["本年支出", "项目支出"]],
    },
    Identity { kind: Final08, block: None, total: &["合计"], parts: &[&["基本支出"], &["项目支出"]] },
    Identity { kind: Final04, block: Some("支出"), total: &["合计"], parts: FISCAL_FUNDS },
    Identity {
        kind: Budget02,
        block: None,
        total: &["合计"],
        parts: &[
            &["财政拨款收入", "小计"],
            &["财政专户管理资金"],
            &["事业收入"],
            &["事业单位经营收入"],
            &["其他收入"],
            &["上级补助收入"],
            &["附属单位上缴收入"],
            &["使用非财政拨款结余"],
            &["上年结转"],
        ],
    },
    Identity { kind: Budget02, block: None, total: &["财政拨款收入", "小计"], parts: FISCAL_FUNDS },
    Identity {
        kind: Budget03, block: None, total: &["合计"], parts: &[&["基本支出"], &["项目支出"], &["结转下年"]]
    },
    Identity { kind: Budget04, block: Some("支出"), total: &["总计"], parts: FISCAL_FUNDS },
    Identity {
        kind: Budget05, block: None, total: &["合计"], parts: &[&["基本支出", "小计"], &["项目支出"]]
    },
    Identity {
        kind: Budget05, block: None, total: &["基本支出", "小计"], parts: &[&["人员支出"], &["日常公用支出"]]
    },
    Identity { kind: Budget06, block: None, total: &["小计"], parts: &[&["人员支出"], &["日常公用支出"]] },
    Identity {
        kind: Budget08, block: None, total: &["合计"], parts: &[&["基本支出", "小计"], &["项目支出"]]
    },
    Identity {
        kind: Budget08, block: None, total: &["基本支出", "小计"], parts: &[&["人员支出"], &["日常公用支出"]]
    },
    Identity {
        kind: Budget09, block: None, total: &["合计"], parts: &[&["基本支出", "小计"], &["项目支出"]]
    },
    Identity { kind: Budget10, block: None, total: &["合计"], parts: FUND_SOURCES },
    Identity { kind: Budget10, block: None, total: &["财政拨款", "小计"], parts: FISCAL_FUNDS },
    Identity { kind: Budget11, block: None, total: &["合计"], parts: FUND_SOURCES },
    Identity { kind: Budget11, block: None, total: &["财政拨款", "小计"], parts: FISCAL_FUNDS },
    Identity { kind: Budget12, block: None, total: &["合计"], parts: FUND_SOURCES },
];

fn identities(ctx: &mut Ctx, t: &Table) {
    let name = short_name(t);
    let wb = workbook_of(t);
    for id in IDENTITIES.iter().filter(|i| i.kind == t.kind) {
        let Some(b) = (match id.block {
            Some(n) => t.block(n),
            None => Some(t.main()),
        }) else {
            continue;
        };
        let Some(tc) = b.column(id.total) else {
            continue;
        };
        let parts: Vec<usize> = id.parts.iter().filter_map(|p| b.column(p)).filter(|&c| c != tc).collect();
        if parts.is_empty() {
            continue;
        }
        for r in &b.rows {
            let row_name = if r.kind == RowKind::Total {
                "合计".to_string()
            } else {
                format!("{}{}", r.code.as_deref().unwrap_or(""), r.label)
            };
            let terms = parts.iter().map(|&c| amount_term(col_label(b, c), r, c)).collect();
            ctx.sum("sum.columns", &wb, &format!("{name} {row_name}"), amount_term(col_label(b, tc), r, tc), terms);
        }
    }
}

/// `一、…` `十二、…`: a numbered line.
pub(super) fn is_ordinal(label: &str) -> bool {
    match label.find('、') {
        Some(i) => i > 0 && label[..i].chars().all(|c| "一二三四五六七八九十".contains(c)),
        None => false,
    }
}

/// The line label without its `一、` number.
pub(super) fn strip_ordinal(label: &str) -> &str {
    if is_ordinal(label) {
        &label[label.find('、').map(|i| i + '、'.len_utf8()).unwrap_or(0)..]
    } else {
        label
    }
}

fn is_year_total(label: &str) -> bool {
    label.starts_with("本年") && label.ends_with("合计")
}

fn is_grand_total(label: &str) -> bool {
    label.ends_with("总计")
}

/// Lines between 本年合计 and 总计 that add to the total (carry-overs,
/// transfers), not their 其中 breakdowns.
fn adds_to_grand_total(label: &str) -> bool {
    !label.starts_with("其中")
        && ["结转", "结余", "上级补助", "附属单位", "补助支出", "上缴上级"].iter().any(|w| label.contains(w))
}

/// In one side of 01/04/一/四: 本年合计 = Σ numbered lines; a numbered line
/// = Σ its un-numbered sub-lines; 总计 = 本年合计 + carry-overs.
fn balance_block(ctx: &mut Ctx, t: &Table, b: &Block) {
    let name = short_name(t);
    let wb = workbook_of(t);
    let side = b.name.clone().unwrap_or_default();
    let Some(yi) = b.rows.iter().position(|r| is_year_total(&r.label)) else {
        return;
    };
    let gi = b.rows.iter().position(|r| is_grand_total(&r.label));
    for c in 0..b.columns.len() {
        let col = if b.columns.len() > 1 { format!("“{}”", col_label(b, c)) } else { String::new() };
        let year_total = &b.rows[yi];
        let numbered: Vec<&Row> = b.rows[..yi].iter().filter(|r| is_ordinal(&r.label)).collect();
        if !numbered.is_empty() {
            let parts = numbered.iter().map(|r| amount_term(&r.label, r, c)).collect();
            ctx.sum(
                "sum.balance",
                &wb,
                &format!("{name}（{side}）{col}"),
                amount_term(&year_total.label, year_total, c),
                parts,
            );
        }
        // Sub-lines of a numbered line.
        for (i, r) in b.rows[..yi].iter().enumerate() {
            if !is_ordinal(&r.label) {
                continue;
            }
            let subs: Vec<&Row> =
                b.rows[i + 1..yi].iter().take_while(|s| !is_ordinal(&s.label) && !s.label.is_empty()).collect();
            if subs.is_empty() || subs.iter().all(|s| s.amount(c).is_zero()) && r.amount(c).is_zero() {
                continue;
            }
            let parts = subs.iter().map(|s| amount_term(&s.label, s, c)).collect();
            ctx.sum("sum.balance", &wb, &format!("{name}（{side}）{col}"), amount_term(&r.label, r, c), parts);
        }
        if let Some(gi) = gi.filter(|&g| g > yi) {
            let mut parts = vec![amount_term(&year_total.label, year_total, c)];
            parts.extend(
                b.rows[yi + 1..gi]
                    .iter()
                    .filter(|r| adds_to_grand_total(&r.label))
                    .map(|r| amount_term(&r.label, r, c)),
            );
            let g = &b.rows[gi];
            ctx.sum("sum.balance", &wb, &format!("{name}（{side}）{col}"), amount_term(&g.label, g, c), parts);
        }
    }
}

/// 04表, per fund (一般公共预算, 政府性基金, 国有资本经营): 本年收入 + 年初结转
/// = 本年支出 + 年末结转 — the 合计 can close while two funds do not.
fn fund_balance(ctx: &mut Ctx, t: &Table) {
    let (Some(inc), Some(exp)) = (t.block("收入"), t.block("支出")) else { return };
    let name = short_name(t);
    let wb = workbook_of(t);
    let ic = inc.column(&["金额"]).unwrap_or(0);
    let opening = inc.rows.iter().position(|r| r.label.contains("年初"));
    let spent_row = exp.rows.iter().find(|r| r.label.contains("本年支出合计"));
    let closing_row = exp.rows.iter().find(|r| r.label.contains("年末"));
    for fund in ["一般公共预算", "政府性基金", "国有资本经营"] {
        let Some(income) = inc.rows.iter().find(|r| is_ordinal(&r.label) && r.label.contains(fund)) else { continue };
        let Some(fc) = exp.column(&[fund]) else { continue };
        let Some(spent) = spent_row else { continue };
        let mut lhs_parts = vec![amount_term(&income.label, income, ic)];
        if let Some(o) = opening {
            if let Some(sub) = inc.rows[o + 1..].iter().take(3).find(|r| r.label.contains(fund)) {
                lhs_parts.push(amount_term(&format!("年初结转 {}", sub.label), sub, ic));
            }
        }
        let mut rhs = vec![amount_term(&format!("本年支出合计“{}”", col_label(exp, fc)), spent, fc)];
        if let Some(c) = closing_row {
            rhs.push(amount_term(&format!("年末结转“{}”", col_label(exp, fc)), c, fc));
        }
        // Σ left = Σ right, as left − right parts: put the left side as the
        // compared total and the right side as its parts.
        let left: Decimal = lhs_parts.iter().map(|p| p.value).sum();
        let label = lhs_parts.iter().map(|p| p.label.clone()).collect::<Vec<_>>().join(" + ");
        let at = lhs_parts.first().and_then(|p| p.at.clone());
        ctx.sum("sum.fund_balance", &wb, &format!("{name} {fund}"), Term::new(label, left, at), rhs);
    }
    // 年初结转和结余 = Σ its fund sub-lines (the three rows under it).
    if let Some(o) = opening {
        let head = &inc.rows[o];
        let subs: Vec<Term> = inc.rows[o + 1..]
            .iter()
            .take(3)
            .filter(|r| {
                !is_ordinal(&r.label)
                    && ["一般公共预算", "政府性基金", "国有资本经营"].iter().any(|f| r.label.contains(f))
            })
            .map(|r| amount_term(&r.label, r, ic))
            .collect();
        if !subs.is_empty() {
            ctx.sum("sum.fund_balance", &wb, &name, amount_term(&head.label, head, ic), subs);
        }
    }
}

/// 收入总计 = 支出总计.
fn balance_sides(ctx: &mut Ctx, t: &Table) {
    let (Some(inc), Some(exp)) = (t.block("收入"), t.block("支出")) else {
        return;
    };
    let (Some(gi), Some(ge)) =
        (inc.rows.iter().find(|r| is_grand_total(&r.label)), exp.rows.iter().find(|r| is_grand_total(&r.label)))
    else {
        return;
    };
    let name = short_name(t);
    let label = |b: &Block, r: &Row| {
        if r.label == "总计" {
            format!("{}总计", b.name.as_deref().unwrap_or(""))
        } else {
            r.label.clone()
        }
    };
    ctx.sum(
        "sum.balance",
        &workbook_of(t),
        &name,
        amount_term(&label(inc, gi), gi, 0),
        vec![amount_term(&label(exp, ge), ge, 0)],
    );
}

/// 合计 = 因公出国（境） + 公务用车购置及运行维护 + 公务接待; 公务用车 小计 =
/// 购置 + 运行维护 — for each group (预算数 / 决算数, 上年 / 本年).
fn three_public(ctx: &mut Ctx, t: &Table) {
    let name = short_name(t);
    let wb = workbook_of(t);
    let b = t.main();
    let groups: Vec<String> = {
        let mut g: Vec<String> = b
            .columns
            .iter()
            .filter(|c| c.key.contains('/'))
            .map(|c| c.key.split('/').next().unwrap_or("").to_string())
            .collect();
        g.dedup();
        if g.is_empty() {
            g.push(String::new());
        }
        g
    };
    for g in groups {
        let col = |parts: &[&str]| {
            let mut p: Vec<&str> = vec![g.as_str()];
            p.extend_from_slice(parts);
            b.column(&p)
        };
        let total = col(&["合计"]);
        let abroad = col(&["出国"]);
        let car = col(&["公务用车", "小计"]);
        let buy = col(&["公务用车", "购置"]).filter(|c| Some(*c) != car);
        let run = col(&["运行维护"]).filter(|c| Some(*c) != car);
        let host = col(&["公务接待"]);
        for r in &b.rows {
            if let (Some(t0), Some(a), Some(cs), Some(h)) = (total, abroad, car, host) {
                let parts = vec![
                    amount_term(col_label(b, a), r, a),
                    amount_term("公务用车购置及运行维护费", r, cs),
                    amount_term(col_label(b, h), r, h),
                ];
                ctx.sum("sum.three_public", &wb, &format!("{name} {g}"), amount_term("合计", r, t0), parts);
            }
            if let (Some(cs), Some(bu), Some(ru)) = (car, buy, run) {
                let parts = vec![amount_term(col_label(b, bu), r, bu), amount_term(col_label(b, ru), r, ru)];
                ctx.sum(
                    "sum.three_public",
                    &wb,
                    &format!("{name} {g}"),
                    amount_term("公务用车购置及运行维护费小计", r, cs),
                    parts,
                );
            }
        }
    }
}

/// 人员经费 in the 06表 (基本支出决算明细表): 301 工资福利支出, 303 对个人和家庭的补助.
/// Source: the 部门决算 公开06表 口径 (`shared/domain/validation.md`, 06表).
pub const PERSONNEL_CLASSES: &[&str] = &["301", "303"];

/// 公用经费 in the 06表: 302 商品和服务支出, 307 债务利息及费用支出, 310 资本性支出,
/// 312 对企业补助, 399 其他支出. Source: as [`PERSONNEL_CLASSES`]. (309 基本建设支出
/// and 313 对社会保障基金补助 are not 基本支出 公用经费.)
pub const PUBLIC_USE_CLASSES: &[&str] = &["302", "307", "310", "312", "399"];

/// 06表: 人员经费合计 = Σ [`PERSONNEL_CLASSES`]; 公用经费合计 = Σ [`PUBLIC_USE_CLASSES`].
fn basic_detail(ctx: &mut Ctx, t: &Table) {
    let name = short_name(t);
    let wb = workbook_of(t);
    let rows: Vec<&Row> = t.blocks.iter().flat_map(|b| b.rows.iter()).collect();
    for (total, classes) in [("人员经费合计", PERSONNEL_CLASSES), ("公用经费合计", PUBLIC_USE_CLASSES)] {
        let Some(tr) = rows.iter().find(|r| r.label.contains(total)) else {
            continue;
        };
        let parts: Vec<Term> = rows
            .iter()
            .filter(|r| r.code.as_deref().is_some_and(|c| classes.contains(&c)))
            .map(|r| amount_term(&format!("{}{}", r.code.as_deref().unwrap_or(""), r.label), r, 0))
            .collect();
        if !parts.is_empty() {
            ctx.sum("sum.basic_detail", &wb, &name, amount_term(total, tr, 0), parts);
        }
    }
}

/// The amount of a line of a side-by-side table, by its label without number.
pub(super) fn line_amount<'b>(b: &'b Block, name: &str, col: usize) -> Option<(&'b Row, Decimal)> {
    b.rows.iter().find(|r| strip_ordinal(&r.label) == name).map(|r| (r, r.amount(col)))
}
