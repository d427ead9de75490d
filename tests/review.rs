//! `jixiao review`: a published 得分表 re-checked against the case's own
//! system and inputs. The fixture is the 枣庄 sample case copied to a temp
//! folder plus a 得分表 written here from its real scores, in the layout
//! reports print (header repeated at a page break, `续上页`, 一级 printed
//! once, a row without its 三级 name, 小计 per 一级, 合计).

mod support;

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use rust_xlsxwriter::Workbook;

/// A published row: 一级, 二级, 三级, 分值, 得分, 得分率 (text).
type Row = (String, String, String, Decimal, Decimal, String);

fn rate(score: Decimal, weight: Decimal) -> String {
    format!("{:.2}%", (score / weight * Decimal::ONE_HUNDRED).round_dp(2))
}

fn copy_case(name: &str) -> PathBuf {
    let dir = support::temp_dir(name);
    let from = support::root().join("sample-workbooks/zaozhuang-shizhong-2024");
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.path().is_file() {
            std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
        }
    }
    dir
}

/// The real scores as rows, with a score and a rate changed where asked.
fn real_rows(score_off: Option<usize>, rate_off: Option<usize>) -> Vec<Row> {
    let case = support::root().join("sample-workbooks/zaozhuang-shizhong-2024");
    let (_, _, scored, _) = jixiao::pipeline::score_path(&case, &Default::default());
    let scored = scored.expect("the sample scores");
    assert_eq!(scored.total.unwrap().to_string(), "82.03");
    let mut rows = Vec::new();
    for (k, i) in scored.indicators.iter().enumerate() {
        let score = if Some(k) == score_off { i.score - Decimal::ONE } else { i.score };
        let mut r = rate(score, i.weight);
        if Some(k) == rate_off {
            r = rate(score + Decimal::ONE, i.weight);
        }
        rows.push((i.level1.clone(), i.level2.clone(), i.name.clone(), i.weight, score, r));
    }
    rows
}

/// Write `rows` as a 得分表: 小计 after each 一级 (its score plus
/// `subtotal_off` on the last one), 合计 at the end.
fn write_scores(path: &Path, rows: &[Row], subtotal_off: Decimal) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("得分表").unwrap();
    let header = ["一级指标", "二级指标", "三级指标", "分值", "得分", "得分率", "扣分原因"];
    let mut r = 0u32;
    ws.write_string(r, 0, "附表1 绩效评价指标得分表").unwrap();
    r += 1;
    let write_header = |ws: &mut rust_xlsxwriter::Worksheet, r: u32| {
        for (c, h) in header.iter().enumerate() {
            ws.write_string(r, c as u16, *h).unwrap();
        }
    };
    write_header(ws, r);
    r += 1;
    let levels: Vec<String> = rows.iter().fold(Vec::new(), |mut v, x| {
        if !v.contains(&x.0) {
            v.push(x.0.clone());
        }
        v
    });
    let mut total = (Decimal::ZERO, Decimal::ZERO);
    for (n, l1) in levels.iter().enumerate() {
        let mut sub = (Decimal::ZERO, Decimal::ZERO);
        for (k, x) in rows.iter().filter(|x| &x.0 == l1).enumerate() {
            if n == 1 && k == 1 {
                // A page break: the header again, then `续上页`.
                write_header(ws, r);
                ws.write_string(r + 1, 0, "（续上页）").unwrap();
                r += 2;
            }
            let first = if k == 0 { l1.clone() } else { String::new() };
            // The second 一级's first indicator is printed without its 三级 name.
            let name = if n == 1 && k == 0 { String::new() } else { x.2.clone() };
            ws.write_string(r, 0, &first).unwrap();
            ws.write_string(r, 1, &x.1).unwrap();
            ws.write_string(r, 2, &name).unwrap();
            ws.write_number(r, 3, x.3.to_string().parse::<f64>().unwrap()).unwrap();
            ws.write_number(r, 4, x.4.to_string().parse::<f64>().unwrap()).unwrap();
            ws.write_string(r, 5, &x.5).unwrap();
            r += 1;
            sub = (sub.0 + x.3, sub.1 + x.4);
        }
        total = (total.0 + sub.0, total.1 + sub.1);
        let printed = if n + 1 == levels.len() { sub.1 + subtotal_off } else { sub.1 };
        ws.write_string(r, 1, "小计").unwrap();
        ws.write_number(r, 3, sub.0.to_string().parse::<f64>().unwrap()).unwrap();
        ws.write_number(r, 4, printed.to_string().parse::<f64>().unwrap()).unwrap();
        ws.write_string(r, 5, rate(printed, sub.0)).unwrap();
        r += 1;
    }
    ws.write_string(r, 0, "合计").unwrap();
    ws.write_number(r, 3, total.0.to_string().parse::<f64>().unwrap()).unwrap();
    ws.write_number(r, 4, total.1.to_string().parse::<f64>().unwrap()).unwrap();
    wb.save(path).unwrap();
}

fn review(case: &Path) -> (i32, String, PathBuf) {
    let out = case.join("out");
    let o = support::jixiao(&["review"], &[case, Path::new("--out"), &out]);
    (o.status.code().unwrap(), support::text(&o), out)
}

#[test]
fn three_planted_slips_are_named_and_nothing_else() {
    let rows = real_rows(None, None);
    // The score slip on an indicator with a point to lose, the rate slip on another.
    let score_at = rows.iter().position(|x| x.4 >= Decimal::ONE).unwrap();
    let rate_at = rows.iter().rposition(|x| x.4 >= Decimal::ONE).unwrap();
    assert_ne!(score_at, rate_at);
    let rows = real_rows(Some(score_at), Some(rate_at));
    let case = copy_case("review-slips");
    write_scores(&case.join("得分表.xlsx"), &rows, Decimal::ONE);
    let (code, text, out) = review(&case);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("共发现 3 处差错"), "{text}");
    assert!(
        text.contains(&format!(
            "得分与评分规则不符：{} › {} › {}",
            rows[score_at].0, rows[score_at].1, rows[score_at].2
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "得分率与得分÷分值不符：{} › {} › {}",
            rows[rate_at].0, rows[rate_at].1, rows[rate_at].2
        )),
        "{text}"
    );
    let last = &rows.last().unwrap().0;
    assert!(text.contains(&format!("小计与所列得分之和不符：{last} 小计（得分）")), "{text}");
    assert!(text.contains("未列三级指标名称，按位置对应"), "{text}");
    assert!(out.join("复核差异.xlsx").is_file());
    let docx = out.join("复核意见.docx");
    let words = support::docx_text(&docx);
    assert!(words.contains("得分表共有3处差错"), "{words}");
    if let Some((status, report)) = support::validate_docx(&docx) {
        assert_eq!(status, 0, "{report}");
    }
}

#[test]
fn a_clean_score_sheet_gives_no_slip() {
    let case = copy_case("review-clean");
    write_scores(&case.join("得分表.xlsx"), &real_rows(None, None), Decimal::ZERO);
    let (code, text, _) = review(&case);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("未发现差错"), "{text}");
}

#[test]
fn hostile_score_sheets_are_bounded_and_said_in_chinese() {
    let case = copy_case("review-hostile");
    let file = case.join("得分表.xlsx");
    std::fs::write(&file, b"PK\x03\x04 this is not a workbook at all \x00\xff").unwrap();
    let (code, text, _) = review(&case);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("无法读取得分表“得分表.xlsx”"), "{text}");

    // 100,000 rows under a 得分表 header.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["一级指标", "二级指标", "三级指标", "分值", "得分"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..100_000u32 {
        ws.write_string(r, 2, format!("指标{r}")).unwrap();
        ws.write_number(r, 3, 1.0).unwrap();
        ws.write_number(r, 4, 1.0).unwrap();
    }
    wb.save(&file).unwrap();
    let started = std::time::Instant::now();
    let (code, text, _) = review(&case);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("不像一份评价报告的得分表"), "{text}");
    assert!(started.elapsed().as_secs() < 60);

    // No header at all.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for r in 0..1000u32 {
        ws.write_string(r, 0, "乱码 ☃ garbage").unwrap();
    }
    wb.save(&file).unwrap();
    let (code, text, _) = review(&case);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("找不到得分表"), "{text}");
}
