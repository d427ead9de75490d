//! The page: A4 and the 公文 margins, portrait and landscape sections,
//! the `— N —` page-number footers and the body's sections linked to them.

use docx_rs::*;

use super::style::{fonts, Fonts, PAGE_NO};

/// A4 in twips, and the 公文 margins (37/35/28/26 mm).
pub(super) const PAGE_W: u32 = 11906;
pub(super) const PAGE_H: u32 = 16838;
const MARGIN_TOP: i32 = 2098;
const MARGIN_BOTTOM: i32 = 1984;
const MARGIN_LEFT: i32 = 1588;
const MARGIN_RIGHT: i32 = 1474;
/// The text width.
pub const TEXT_W: u32 = PAGE_W - MARGIN_LEFT as u32 - MARGIN_RIGHT as u32;
/// The text height.
pub(super) const TEXT_H: u32 = PAGE_H - MARGIN_TOP as u32 - MARGIN_BOTTOM as u32;
/// Landscape pages (wide tables): A4 turned, narrower margins.
const LANDSCAPE_MARGIN: i32 = 1440;
pub(super) const LANDSCAPE_TEXT_W: u32 = PAGE_H - 2 * LANDSCAPE_MARGIN as u32;
pub(super) const LANDSCAPE_TEXT_H: u32 = PAGE_W - 2 * LANDSCAPE_MARGIN as u32;

pub(super) fn page_margin() -> PageMargin {
    PageMargin::new()
        .top(MARGIN_TOP)
        .bottom(MARGIN_BOTTOM)
        .left(MARGIN_LEFT)
        .right(MARGIN_RIGHT)
        .header(851)
        .footer(992)
        .gutter(0)
}

pub(super) fn landscape_margin() -> PageMargin {
    PageMargin::new()
        .top(LANDSCAPE_MARGIN)
        .bottom(LANDSCAPE_MARGIN)
        .left(LANDSCAPE_MARGIN)
        .right(LANDSCAPE_MARGIN)
        .header(720)
        .footer(720)
        .gutter(0)
}

/// The section that ends here: portrait or landscape A4.
pub(super) fn section(landscape: bool) -> SectionProperty {
    if landscape {
        SectionProperty::new()
            .page_size(PageSize::new().size(PAGE_H, PAGE_W).orient(PageOrientationType::Landscape))
            .page_margin(landscape_margin())
    } else {
        SectionProperty::new().page_size(PageSize::new().size(PAGE_W, PAGE_H)).page_margin(page_margin())
    }
}

/// Every body section gets the body's footers (docx-rs writes them on the
/// last section only), and page numbers start at 1 on the first body
/// section, not on the last: the sections after the front matter (`skip`
/// of them before) are read from `document`'s `w:sectPr`s.
pub(super) fn link_sections(document: &str, skip: usize) -> String {
    let starts: Vec<usize> = document.match_indices("<w:sectPr>").map(|(i, _)| i).collect();
    let Some(&last) = starts.last() else { return document.to_string() };
    if starts.len() <= skip + 1 {
        return document.to_string();
    }
    let final_end = document[last..].find("</w:sectPr>").map(|e| last + e).unwrap_or(document.len());
    let final_sect = &document[last..final_end];
    let refs: String = final_sect
        .split('<')
        .filter(|p| p.starts_with("w:footerReference") || p.starts_with("w:headerReference"))
        .map(|p| format!("<{}", p.trim_end()))
        .collect();
    let start_no = "<w:pgNumType w:start=\"1\" />";
    let mut out = String::with_capacity(document.len() + refs.len() * starts.len());
    let mut at = 0;
    for (k, &s) in starts.iter().enumerate() {
        let open = s + "<w:sectPr>".len();
        out.push_str(&document[at..open]);
        if k >= skip && s != last {
            out.push_str(&refs);
            if k == skip {
                out.push_str(start_no);
            }
        }
        at = open;
    }
    out.push_str(&document[at..]);
    // The last section continues the numbering.
    if let Some(i) = out.rfind(start_no) {
        if out[..i].contains(start_no) {
            out.replace_range(i..i + start_no.len(), "");
        }
    }
    out
}

/// The `— N —` page number of the body: on odd pages at the right, on even
/// pages at the left, one character in from the edge (GB/T 9704).
pub(super) fn footer(f: &Fonts, odd: bool) -> Footer {
    // The 一字线 is the East Asian font's (宋体), as the number's dashes are in 公文.
    let dash = |t: &str| Run::new().add_text(t).fonts(fonts(&f.table, &f.latin).hint("eastAsia")).size(PAGE_NO);
    let page = Run::new()
        .fonts(fonts(&f.table, &f.latin))
        .size(PAGE_NO)
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("1")
        .add_field_char(FieldCharType::End, false);
    // One 4号 character: 14 pt = 280 twips.
    let p = if odd {
        Paragraph::new().align(AlignmentType::Right).indent(None, None, Some(280), None)
    } else {
        Paragraph::new().align(AlignmentType::Left).indent(Some(280), None, None, None)
    };
    Footer::new().add_paragraph(p.add_run(dash("— ")).add_run(page).add_run(dash(" —")))
}
