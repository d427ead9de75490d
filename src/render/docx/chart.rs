//! A native Word chart (DrawingML `c:chartSpace`), written by hand: docx-rs
//! 0.4.22 has no charts.
//!
//! A chart in a DOCX is three things:
//!
//! * the part `word/charts/chartN.xml` — the chart with **cached values**
//!   (`c:numCache`, `c:strCache`), so Word, WPS and LibreOffice draw it
//!   without recalculating anything;
//! * its data as an embedded workbook `word/embeddings/…N.xlsx` (related from
//!   the chart by `c:externalData`), so that "编辑数据" in Word/WPS opens the
//!   same figures;
//! * an inline drawing in `document.xml` (`w:drawing/wp:inline/a:graphic`)
//!   pointing at the chart part by relationship id.
//!
//! [`BarChart::part_xml`] gives the first, [`BarChart::workbook`] the second,
//! [`inline_run`] the third; [`crate::render::docx::package`] puts them into the
//! package with their relationships and content types.
//!
//! ```
//! use jixiao::render::docx::chart::{BarChart, Scale};
//! use rust_decimal_macros::dec;
//!
//! let chart = BarChart {
//!     title: "一级指标得分率".into(),
//!     series: "得分率".into(),
//!     categories: vec!["决策".into(), "过程".into()],
//!     values: vec![Some(dec!(91.67)), Some(dec!(83.33))],
//!     scale: Scale::Percent,
//! };
//! let xml = chart.part_xml();
//! assert!(xml.contains("<c:v>91.67</c:v>"));
//! assert!(xml.contains("<c:max val=\"100\"/>"));
//! ```

use rust_decimal::Decimal;
use rust_xlsxwriter::{DocProperties, XlsxError};

/// Content type of a chart part.
pub const CHART_CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml";
/// Relationship type from a document to its chart.
pub const CHART_REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart";
/// Relationship type from a chart to its embedded workbook.
pub const PACKAGE_REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package";
/// Content type of an embedded workbook.
pub const XLSX_CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// What the values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Percentages: axis 0–100 %, labels `91.67%`.
    Percent,
    /// Counts: axis from 0, whole numbers (a histogram).
    Count,
}

/// A clustered horizontal bar chart, one series: the 一级 得分率 figure of
/// chapter 三 (percentages), or a histogram (counts).
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// Shown as the alternative text (the caption is a paragraph below).
    pub title: String,
    /// The series name (the column header in the embedded workbook).
    pub series: String,
    /// One bar per category, top to bottom in this order.
    pub categories: Vec<String>,
    /// Percentages (`91.67` for 91.67 %) or counts; `None` (not yet scored) draws no bar.
    pub values: Vec<Option<Decimal>>,
    pub scale: Scale,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

impl BarChart {
    /// The alternative text: the title and every figure, for readers that
    /// cannot see the bars.
    pub fn description(&self) -> String {
        let figures: Vec<String> = self
            .categories
            .iter()
            .zip(&self.values)
            .map(|(c, v)| match v {
                Some(v) if self.scale == Scale::Count => format!("{c}{}", v.normalize()),
                Some(v) => format!("{c}{}%", v.round_dp(2)),
                None => format!("{c}待填"),
            })
            .collect();
        format!("{}：{}", self.title, figures.join("，"))
    }

    /// The cell range of the categories or values in the embedded sheet.
    fn range(&self, column: char) -> String {
        format!("Sheet1!${column}$2:${column}${}", self.categories.len() + 1)
    }

    /// `word/charts/chartN.xml`: the chart with its cached values.
    pub fn part_xml(&self) -> String {
        let n = self.categories.len();
        let mut cats = String::new();
        let mut vals = String::new();
        for (i, (c, v)) in self.categories.iter().zip(&self.values).enumerate() {
            cats.push_str(&format!("<c:pt idx=\"{i}\"><c:v>{}</c:v></c:pt>", escape(c)));
            if let Some(v) = v {
                vals.push_str(&format!("<c:pt idx=\"{i}\"><c:v>{}</c:v></c:pt>", v.round_dp(2).normalize()));
            }
        }
        let font = |size: u32, bold: bool| {
            format!(
                "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"{size}\" b=\"{}\"><a:solidFill><a:srgbClr val=\"000000\"/></a:solidFill><a:latin typeface=\"Times New Roman\"/><a:ea typeface=\"仿宋_GB2312\"/></a:defRPr></a:pPr><a:endParaRPr lang=\"zh-CN\"/></a:p></c:txPr>",
                u8::from(bold)
            )
        };
        let line = |color: &str| {
            format!("<c:spPr><a:ln w=\"6350\"><a:solidFill><a:srgbClr val=\"{color}\"/></a:solidFill></a:ln></c:spPr>")
        };
        let (label_format, axis_format, cache_format, max) = match self.scale {
            Scale::Percent => ("0.00&quot;%&quot;", "0&quot;%&quot;", "0.00", r#"<c:max val="100"/>"#),
            Scale::Count => ("0", "0", "0", ""),
        };
        format!(
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                r#"<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
                r#"<c:date1904 val="0"/><c:lang val="zh-CN"/><c:roundedCorners val="0"/>"#,
                r#"<c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:layout/>"#,
                r#"<c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/><c:varyColors val="0"/>"#,
                r#"<c:ser><c:idx val="0"/><c:order val="0"/>"#,
                r#"<c:tx><c:strRef><c:f>Sheet1!$B$1</c:f><c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>{series}</c:v></c:pt></c:strCache></c:strRef></c:tx>"#,
                r#"<c:spPr><a:solidFill><a:srgbClr val="4472C4"/></a:solidFill></c:spPr>"#,
                r#"<c:invertIfNegative val="0"/>"#,
                r#"<c:dLbls><c:numFmt formatCode="{label_format}" sourceLinked="0"/><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>{label_font}<c:dLblPos val="outEnd"/><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>"#,
                r#"<c:cat><c:strRef><c:f>{cat_range}</c:f><c:strCache><c:ptCount val="{n}"/>{cats}</c:strCache></c:strRef></c:cat>"#,
                r#"<c:val><c:numRef><c:f>{val_range}</c:f><c:numCache><c:formatCode>{cache_format}</c:formatCode><c:ptCount val="{n}"/>{vals}</c:numCache></c:numRef></c:val>"#,
                r#"</c:ser><c:gapWidth val="60"/><c:axId val="500000001"/><c:axId val="500000002"/></c:barChart>"#,
                // Categories top to bottom in reading order: a bar chart draws
                // its first category at the bottom unless the axis is reversed.
                r#"<c:catAx><c:axId val="500000001"/><c:scaling><c:orientation val="maxMin"/></c:scaling><c:delete val="0"/><c:axPos val="l"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>{axis_line}{cat_font}<c:crossAx val="500000002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>"#,
                r#"<c:valAx><c:axId val="500000002"/><c:scaling><c:orientation val="minMax"/>{max}<c:min val="0"/></c:scaling><c:delete val="0"/><c:axPos val="t"/><c:majorGridlines>{grid_line}</c:majorGridlines><c:numFmt formatCode="{axis_format}" sourceLinked="0"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>{axis_line}{val_font}<c:crossAx val="500000001"/><c:crosses val="max"/><c:crossBetween val="between"/>{major}</c:valAx>"#,
                r#"<c:spPr><a:noFill/></c:spPr></c:plotArea><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>"#,
                r#"<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>{space_font}"#,
                r#"<c:externalData r:id="rId1"><c:autoUpdate val="0"/></c:externalData>"#,
                r#"</c:chartSpace>"#
            ),
            series = escape(&self.series),
            label_font = font(1050, false),
            cat_range = self.range('A'),
            val_range = self.range('B'),
            n = n,
            cats = cats,
            vals = vals,
            axis_line = line("BFBFBF"),
            grid_line = line("D9D9D9"),
            cat_font = font(1050, false),
            val_font = font(900, false),
            space_font = font(1050, false),
            label_format = label_format,
            axis_format = axis_format,
            cache_format = cache_format,
            max = max,
            major = if self.scale == Scale::Percent { r#"<c:majorUnit val="20"/>"# } else { "" },
        )
    }

    /// The chart's data as a workbook (Sheet1: categories in A, values in
    /// B), embedded so that Word's and WPS's "编辑数据" opens them. Fixed
    /// properties: the same chart gives the same bytes.
    pub fn workbook(&self) -> Result<Vec<u8>, XlsxError> {
        let mut book = crate::render::annex::workbook(DocProperties::new().set_author("jixiao"))?;
        let sheet = book.add_worksheet();
        sheet.set_name("Sheet1")?;
        sheet.write_string(0, 0, "")?;
        sheet.write_string(0, 1, &self.series)?;
        sheet.set_column_width(0, 16)?;
        for (i, (c, v)) in self.categories.iter().zip(&self.values).enumerate() {
            let row = i as u32 + 1;
            sheet.write_string(row, 0, c)?;
            if let Some(v) = v {
                // Two decimals of a percentage are exact in an f64 for display.
                let shown: f64 = v.round_dp(2).to_string().parse().unwrap_or_default();
                sheet.write_number(row, 1, shown)?;
            }
        }
        book.save_to_buffer()
    }
}

/// `word/charts/_rels/chartN.xml.rels`: the chart's embedded workbook.
pub fn part_rels(workbook_name: &str) -> String {
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
            r#"<Relationship Id="rId1" Type="{}" Target="../embeddings/{}"/></Relationships>"#
        ),
        PACKAGE_REL, workbook_name
    )
}

/// EMU per twip (1 inch = 914400 EMU = 1440 twips).
pub const EMU_PER_TWIP: u64 = 635;

/// The run that places chart `r_id` inline, `width`×`height` twips, with
/// drawing id `id` (unique in the document) and alternative text `descr`.
pub fn inline_run(r_id: &str, id: u32, width: u32, height: u32, descr: &str) -> String {
    format!(
        concat!(
            r#"<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">"#,
            r#"<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>"#,
            r#"<wp:docPr id="{id}" name="图表 {id}" descr="{descr}"/><wp:cNvGraphicFramePr/>"#,
            r#"<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">"#,
            r#"<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">"#,
            r#"<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="{r_id}"/>"#,
            r#"</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#
        ),
        cx = u64::from(width) * EMU_PER_TWIP,
        cy = u64::from(height) * EMU_PER_TWIP,
        id = id,
        descr = escape(descr),
        r_id = r_id,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn sample() -> BarChart {
        BarChart {
            title: "图3-1 一级指标得分率".into(),
            series: "得分率".into(),
            categories: vec!["决策".into(), "过程".into(), "产出".into(), "效益".into()],
            values: vec![Some(dec!(83.33)), Some(dec!(86.09)), Some(dec!(91.67)), None],
            scale: Scale::Percent,
        }
    }

    #[test]
    fn cached_values_are_the_exact_rates() {
        let xml = sample().part_xml();
        for v in ["<c:v>83.33</c:v>", "<c:v>86.09</c:v>", "<c:v>91.67</c:v>"] {
            assert!(xml.contains(v), "{v}");
        }
        // The unscored category has a label and no value.
        assert!(xml.contains("<c:pt idx=\"3\"><c:v>效益</c:v></c:pt>"));
        assert!(!xml.contains("<c:pt idx=\"3\"><c:v>0"));
        assert!(xml.contains("<c:f>Sheet1!$B$2:$B$5</c:f>"));
    }

    #[test]
    fn alternative_text_lists_every_figure() {
        assert_eq!(sample().description(), "图3-1 一级指标得分率：决策83.33%，过程86.09%，产出91.67%，效益待填");
    }

    #[test]
    fn inline_run_sizes_in_emu() {
        let run = inline_run("rIdChart1", 1, 8844, 3600, "a<b");
        assert!(run.contains("cx=\"5615940\" cy=\"2286000\""), "{run}");
        assert!(run.contains("descr=\"a&lt;b\""));
    }

    #[test]
    fn the_embedded_workbook_is_the_same_bytes_each_time() {
        let a = sample().workbook().unwrap();
        assert_eq!(a, sample().workbook().unwrap());
        assert!(a.starts_with(b"PK"));
    }
}
