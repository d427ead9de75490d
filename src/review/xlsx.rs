//! 复核差异.xlsx: one row per slip, with both values, the rule and the inputs.

use rust_xlsxwriter::{DocProperties, Format, FormatBorder, XlsxError};

use super::Review;

const HEADERS: [&str; 8] =
    ["序号", "差错类别", "指标", "位置（文件 › 工作表 › 行）", "得分表所列", "复核结果", "规则", "输入"];
const WIDTHS: [f64; 8] = [6.0, 22.0, 40.0, 36.0, 14.0, 14.0, 40.0, 60.0];

/// The workbook of `review`.
pub fn write(review: &Review) -> Result<Vec<u8>, XlsxError> {
    let mut wb = crate::render::annex::workbook(DocProperties::new().set_title("复核差异").set_author("jixiao"))?;
    let header = Format::new().set_bold().set_border(FormatBorder::Thin).set_text_wrap();
    let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let ws = wb.add_worksheet();
    ws.set_name("复核差异")?;
    ws.set_landscape();
    ws.set_repeat_rows(0, 0)?;
    ws.set_freeze_panes(1, 0)?;
    for (c, (h, w)) in HEADERS.iter().zip(WIDTHS).enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &header)?;
        ws.set_column_width(c as u16, w)?;
    }
    for (k, s) in review.slips.iter().enumerate() {
        let row = k as u32 + 1;
        ws.write_number_with_format(row, 0, (k + 1) as f64, &cell)?;
        let texts = [s.kind.label(), &s.indicator, &s.at, &s.published, &s.expected, &s.rule, &s.inputs];
        for (c, t) in texts.iter().enumerate() {
            ws.write_string_with_format(row, c as u16 + 1, *t, &cell)?;
        }
    }
    if review.slips.is_empty() {
        ws.write_string_with_format(1, 1, "未发现差错", &cell)?;
    }
    wb.save_to_buffer()
}
