//! Post-processing of the WordprocessingML parts docx-rs 0.4.22 writes:
//! `Docx::build()` gives the parts of an [`XMLDocx`] as byte buffers; patch
//! them here, then `pack()`.
//!
//! * [`normalize_part`] — docx-rs writes property elements out of schema
//!   order (`w:rPr` first in every `w:pPr`, `w:footerReference` after
//!   `w:pgMar`, `w:shd` after `w:vAlign`, …), an empty `w:rPr` in the
//!   `w:pPr` of styles and numbering levels (which may not have one) and a
//!   `w:type` attribute on `w:gridCol`. Word may answer that with its repair
//!   prompt; `../shared/ooxml/validate-docx` lists every such error. This
//!   re-orders the children of every property container by the sequence of
//!   its schema type (tables below), drops duplicates the schema forbids,
//!   and fixes the rest.
//! * [`repeat_header_rows`] — `w:tblHeader` (repeat as header row on every
//!   page), which docx-rs cannot write. **Convention:** the renderer marks a
//!   table's header rows with docx-rs's `TableRow::cant_split()`; the
//!   leading run of rows whose `w:trPr` holds `w:cantSplit` gets
//!   `<w:tblHeader/>` as well (a header row should not split anyway); every
//!   other row up to [`SPLITTABLE_ROW_HEIGHT`] (estimated) gets
//!   `w:cantSplit` (a short row never breaks across a page; a long one may,
//!   or it would leave most of a page blank). Only leading rows: Word repeats nothing else — but do not mark
//!   the first row of a table that has no header.
//! * [`toc_sdt`] — marks the TOC as a "Table of Contents" document part
//!   (`w:docPartObj`), which Word and LibreOffice look for.
//! * [`update_fields_on_open`] — `w:updateFields`, so Word offers to update
//!   the TOC's page numbers on opening.
//! * [`fix_parts`] applies them all to the four parts that need them,
//!   [`fix_xml_docx`] to every WordprocessingML part of an [`XMLDocx`].
//!
//! The parts are machine-written, well-formed XML without DTDs, so a small
//! tokenizer suffices; every element, attribute, text and whitespace that is
//! not moved or patched keeps its bytes. Input that does not parse is
//! returned unchanged. Element names are matched by local name under the
//! prefix the root element binds to the WordprocessingML namespace (`w:`
//! from docx-rs).

use std::borrow::Cow;

use docx_rs::XMLDocx;

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

// ---------------------------------------------------------------------------
// Schema orders.
//
// Child element sequences of the complex types in
// `../shared/ooxml/schemas/ISO-IEC29500-4_2016/wml.xsd` (the transitional
// WordprocessingML schema validate-docx checks against), groups and
// extension bases expanded, in schema order. A trailing `*` marks a child
// that may occur more than once; every other child may occur once only.
// Where the transitional schema has an unbounded choice (EG_RPrBase in
// CT_RPr, CT_TrPrBase) any order validates; these lists give the order in
// which the choice lists them, which is the order Word writes and the strict
// schema requires, and duplicates are dropped.
// ---------------------------------------------------------------------------

/// wml.xsd `CT_PPr` = `CT_PPrBase` + rPr, sectPr, pPrChange (`CT_PPrGeneral` is the same without rPr/sectPr).
const PPR: &[&str] = &[
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
];
/// wml.xsd `CT_ParaRPr` = `EG_ParaRPrTrackChanges` + `EG_RPrBase` + rPrChange; `CT_RPr` is the same without the leading ins/del/moveFrom/moveTo.
const RPR: &[&str] = &[
    "ins",
    "del",
    "moveFrom",
    "moveTo",
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
    "rPrChange",
];
/// wml.xsd `CT_SectPr` = `EG_HdrFtrReferences` + `EG_SectPrContents` + sectPrChange.
const SECT_PR: &[&str] = &[
    "headerReference*",
    "footerReference*",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
    "sectPrChange",
];
/// wml.xsd `CT_TblPr` = `CT_TblPrBase` + tblPrChange.
const TBL_PR: &[&str] = &[
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
    "tblPrChange",
];
/// wml.xsd `CT_TblPrEx`.
const TBL_PR_EX: &[&str] = &[
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblPrExChange",
];
/// wml.xsd `CT_TrPr` = `CT_TrPrBase` + ins, del, trPrChange.
const TR_PR: &[&str] = &[
    "cnfStyle",
    "divId",
    "gridBefore",
    "gridAfter",
    "wBefore",
    "wAfter",
    "cantSplit",
    "trHeight",
    "tblHeader",
    "tblCellSpacing",
    "jc",
    "hidden",
    "ins",
    "del",
    "trPrChange",
];
/// wml.xsd `CT_TcPr`.
const TC_PR: &[&str] = &[
    "cnfStyle",
    "tcW",
    "gridSpan",
    "hMerge",
    "vMerge",
    "tcBorders",
    "shd",
    "noWrap",
    "tcMar",
    "textDirection",
    "tcFitText",
    "vAlign",
    "hideMark",
    "headers",
    "cellIns",
    "cellDel",
    "cellMerge",
    "tcPrChange",
];
/// wml.xsd `CT_TcBorders` (`CT_TblBorders` is its prefix).
const TC_BORDERS: &[&str] = &["top", "start", "left", "bottom", "end", "right", "insideH", "insideV", "tl2br", "tr2bl"];
/// wml.xsd `CT_PBdr`.
const P_BDR: &[&str] = &["top", "left", "bottom", "right", "between", "bar"];
/// wml.xsd `CT_PageBorders`.
const PG_BORDERS: &[&str] = &["top", "left", "bottom", "right"];
/// wml.xsd `CT_TcMar` = `CT_TblCellMar`.
const CELL_MAR: &[&str] = &["top", "start", "left", "bottom", "end", "right"];
/// wml.xsd `CT_NumPr`.
const NUM_PR: &[&str] = &["ilvl", "numId", "numberingChange", "ins"];
/// wml.xsd `CT_Lvl`.
const LVL: &[&str] = &[
    "start",
    "numFmt",
    "lvlRestart",
    "pStyle",
    "isLgl",
    "suff",
    "lvlText",
    "lvlPicBulletId",
    "legacy",
    "lvlJc",
    "pPr",
    "rPr",
];
/// wml.xsd `CT_NumLvl`.
const LVL_OVERRIDE: &[&str] = &["startOverride", "lvl"];
/// wml.xsd `CT_AbstractNum`.
const ABSTRACT_NUM: &[&str] = &["nsid", "multiLevelType", "tmpl", "name", "styleLink", "numStyleLink", "lvl*"];
/// wml.xsd `CT_Num`.
const NUM: &[&str] = &["abstractNumId", "lvlOverride*"];
/// wml.xsd `CT_Numbering`.
const NUMBERING: &[&str] = &["numPicBullet*", "abstractNum*", "num*", "numIdMacAtCleanup"];
/// wml.xsd `CT_Style`.
const STYLE: &[&str] = &[
    "name",
    "aliases",
    "basedOn",
    "next",
    "link",
    "autoRedefine",
    "hidden",
    "uiPriority",
    "semiHidden",
    "unhideWhenUsed",
    "qFormat",
    "locked",
    "personal",
    "personalCompose",
    "personalReply",
    "rsid",
    "pPr",
    "rPr",
    "tblPr",
    "trPr",
    "tcPr",
    "tblStylePr*",
];
/// wml.xsd `CT_Styles`.
const STYLES: &[&str] = &["docDefaults", "latentStyles", "style*"];
/// wml.xsd `CT_DocDefaults`.
const DOC_DEFAULTS: &[&str] = &["rPrDefault", "pPrDefault"];
/// wml.xsd `CT_TblStylePr`.
const TBL_STYLE_PR: &[&str] = &["pPr", "rPr", "tblPr", "trPr", "tcPr"];
/// wml.xsd `CT_Settings` (elements of other namespaces — m:mathPr, sl:schemaLibrary — left out).
const SETTINGS: &[&str] = &[
    "writeProtection",
    "view",
    "zoom",
    "removePersonalInformation",
    "removeDateAndTime",
    "doNotDisplayPageBoundaries",
    "displayBackgroundShape",
    "printPostScriptOverText",
    "printFractionalCharacterWidth",
    "printFormsData",
    "embedTrueTypeFonts",
    "embedSystemFonts",
    "saveSubsetFonts",
    "saveFormsData",
    "mirrorMargins",
    "alignBordersAndEdges",
    "bordersDoNotSurroundHeader",
    "bordersDoNotSurroundFooter",
    "gutterAtTop",
    "hideSpellingErrors",
    "hideGrammaticalErrors",
    "activeWritingStyle*",
    "proofState",
    "formsDesign",
    "attachedTemplate",
    "linkStyles",
    "stylePaneFormatFilter",
    "stylePaneSortMethod",
    "documentType",
    "mailMerge",
    "revisionView",
    "trackRevisions",
    "doNotTrackMoves",
    "doNotTrackFormatting",
    "documentProtection",
    "autoFormatOverride",
    "styleLockTheme",
    "styleLockQFSet",
    "defaultTabStop",
    "autoHyphenation",
    "consecutiveHyphenLimit",
    "hyphenationZone",
    "doNotHyphenateCaps",
    "showEnvelope",
    "summaryLength",
    "clickAndTypeStyle",
    "defaultTableStyle",
    "evenAndOddHeaders",
    "bookFoldRevPrinting",
    "bookFoldPrinting",
    "bookFoldPrintingSheets",
    "drawingGridHorizontalSpacing",
    "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery",
    "displayVerticalDrawingGridEvery",
    "doNotUseMarginsForDrawingGridOrigin",
    "drawingGridHorizontalOrigin",
    "drawingGridVerticalOrigin",
    "doNotShadeFormData",
    "noPunctuationKerning",
    "characterSpacingControl",
    "printTwoOnOne",
    "strictFirstAndLastChars",
    "noLineBreaksAfter",
    "noLineBreaksBefore",
    "savePreviewPicture",
    "doNotValidateAgainstSchema",
    "saveInvalidXml",
    "ignoreMixedContent",
    "alwaysShowPlaceholderText",
    "doNotDemarcateInvalidXml",
    "saveXmlDataOnly",
    "useXSLTWhenSaving",
    "saveThroughXslt",
    "showXMLTags",
    "alwaysMergeEmptyNamespace",
    "updateFields",
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "attachedSchema*",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType*",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
];
/// wml.xsd `CT_Compat`.
const COMPAT: &[&str] = &[
    "useSingleBorderforContiguousCells",
    "wpJustification",
    "noTabHangInd",
    "noLeading",
    "spaceForUL",
    "noColumnBalance",
    "balanceSingleByteDoubleByteWidth",
    "noExtraLineSpacing",
    "doNotLeaveBackslashAlone",
    "ulTrailSpace",
    "doNotExpandShiftReturn",
    "spacingInWholePoints",
    "lineWrapLikeWord6",
    "printBodyTextBeforeHeader",
    "printColBlack",
    "wpSpaceWidth",
    "showBreaksInFrames",
    "subFontBySize",
    "suppressBottomSpacing",
    "suppressTopSpacing",
    "suppressSpacingAtTopOfPage",
    "suppressTopSpacingWP",
    "suppressSpBfAfterPgBrk",
    "swapBordersFacingPages",
    "convMailMergeEsc",
    "truncateFontHeightsLikeWP6",
    "mwSmallCaps",
    "usePrinterMetrics",
    "doNotSuppressParagraphBorders",
    "wrapTrailSpaces",
    "footnoteLayoutLikeWW8",
    "shapeLayoutLikeWW8",
    "alignTablesRowByRow",
    "forgetLastTabAlignment",
    "adjustLineHeightInTable",
    "autoSpaceLikeWord95",
    "noSpaceRaiseLower",
    "doNotUseHTMLParagraphAutoSpacing",
    "layoutRawTableWidth",
    "layoutTableRowsApart",
    "useWord97LineBreakRules",
    "doNotBreakWrappedTables",
    "doNotSnapToGridInCell",
    "selectFldWithFirstOrLastChar",
    "applyBreakingRules",
    "doNotWrapTextWithPunct",
    "doNotUseEastAsianBreakRules",
    "useWord2002TableStyleRules",
    "growAutofit",
    "useFELayout",
    "useNormalStyleForList",
    "doNotUseIndentAsNumberingTabStop",
    "useAltKinsokuLineBreakRules",
    "allowSpaceOfSameStyleInTable",
    "doNotSuppressIndentation",
    "doNotAutofitConstrainedTables",
    "autofitToFirstFixedWidthCell",
    "underlineTabInNumList",
    "displayHangulFixedWidth",
    "splitPgBreakAndParaMark",
    "doNotVertAlignCellWithSp",
    "doNotBreakConstrainedForcedTable",
    "doNotVertAlignInTxbx",
    "useAnsiKerningPairs",
    "cachedColBalance",
    "compatSetting*",
];
/// wml.xsd `CT_FtnDocProps` / `CT_EdnDocProps` (`CT_FtnProps` / `CT_EdnProps` are their prefix).
const NOTE_PR: &[&str] = &["pos", "numFmt", "numStart", "numRestart", "footnote*", "endnote*"];
/// wml.xsd `CT_SdtPr` (the trailing choice: one of equation … bibliography).
const SDT_PR: &[&str] = &[
    "rPr",
    "alias",
    "tag",
    "id",
    "lock",
    "placeholder",
    "temporary",
    "showingPlcHdr",
    "dataBinding",
    "label",
    "tabIndex",
    "equation",
    "comboBox",
    "date",
    "docPartObj",
    "docPartList",
    "dropDownList",
    "picture",
    "richText",
    "text",
    "citation",
    "group",
    "bibliography",
];
/// wml.xsd `CT_SdtDocPart`.
const DOC_PART: &[&str] = &["docPartGallery", "docPartCategory", "docPartUnique"];
/// wml.xsd `CT_Font`.
const FONT: &[&str] = &[
    "altName",
    "panose1",
    "charset",
    "family",
    "notTrueType",
    "pitch",
    "sig",
    "embedRegular",
    "embedBold",
    "embedItalic",
    "embedBoldItalic",
];
/// wml.xsd `CT_SdtBlock` (`CT_SdtRun`, `CT_SdtCell`, `CT_SdtRow` alike).
const SDT: &[&str] = &["sdtPr", "sdtEndPr", "sdtContent"];

/// The schema order of the children of the element with this local name,
/// for every property container docx-rs writes. Names used by several
/// types map to the list that contains the others (`w:pPr` of a style is
/// `CT_PPrGeneral`, a prefix of `CT_PPr`).
fn order_of(local: &str) -> Option<&'static [&'static str]> {
    Some(match local {
        "pPr" => PPR,
        "rPr" => RPR,
        "sectPr" => SECT_PR,
        "tblPr" => TBL_PR,
        "tblPrEx" => TBL_PR_EX,
        "trPr" => TR_PR,
        "tcPr" => TC_PR,
        "tblBorders" | "tcBorders" => TC_BORDERS,
        "pBdr" => P_BDR,
        "pgBorders" => PG_BORDERS,
        "tblCellMar" | "tcMar" => CELL_MAR,
        "numPr" => NUM_PR,
        "lvl" => LVL,
        "lvlOverride" => LVL_OVERRIDE,
        "abstractNum" => ABSTRACT_NUM,
        "num" => NUM,
        "numbering" => NUMBERING,
        "style" => STYLE,
        "styles" => STYLES,
        "docDefaults" => DOC_DEFAULTS,
        "tblStylePr" => TBL_STYLE_PR,
        "settings" => SETTINGS,
        "compat" => COMPAT,
        "footnotePr" | "endnotePr" => NOTE_PR,
        "sdtPr" => SDT_PR,
        "docPartObj" | "docPartList" => DOC_PART,
        "font" => FONT,
        "sdt" => SDT,
        _ => return None,
    })
}

/// Position of `local` in `order` and whether it may repeat.
fn rank(order: &[&str], local: &str) -> Option<(usize, bool)> {
    order.iter().position(|n| n.strip_suffix('*').unwrap_or(n) == local).map(|i| (i, order[i].ends_with('*')))
}

// ---------------------------------------------------------------------------
// Public API.
// ---------------------------------------------------------------------------

/// Re-orders the children of every property container of a
/// WordprocessingML part (`document.xml`, `styles.xml`, `numbering.xml`,
/// `settings.xml`, headers, footers, footnotes, comments) into schema
/// order, stable among equals; an element the tables do not know stays
/// behind the element it followed. Also: drops a second child where the
/// schema allows one (keeping the last non-empty one), moves the `w:rPr`
/// docx-rs writes into the `w:pPr` of styles, numbering levels and the
/// paragraph defaults (`CT_PPrGeneral` has none) into their own `w:rPr`
/// (or drops it when empty, as it always is from docx-rs), and removes the
/// `w:type` attribute docx-rs writes on `w:gridCol`.
pub fn normalize_part(xml: &str) -> String {
    let Some(mut part) = Part::parse(xml) else {
        return xml.to_string();
    };
    let w = part.w.clone();
    for node in &mut part.nodes {
        if let Node::Elem(e) = node {
            normalize(e, &w);
        }
    }
    part.to_xml()
}

/// Adds `<w:tblHeader/>` to the `w:trPr` of the header rows of every table
/// (nested ones too): the leading rows whose `w:trPr` holds a `w:cantSplit`
/// that is on — rows the renderer built with docx-rs's
/// `TableRow::cant_split()`. The first row without it ends the header.
/// Every other row then gets `w:cantSplit`: a report's row never breaks
/// across a page. A table that already has `w:tblHeader` rows keeps them
/// as its header (so the pass is idempotent).
pub fn repeat_header_rows(document_xml: &str) -> String {
    transform(document_xml, |part, w| {
        let mut changed = false;
        for node in &mut part.nodes {
            if let Node::Elem(e) = node {
                changed |= header_rows(e, w);
            }
        }
        changed
    })
}

/// Parse a part, apply `f` (which says whether it changed anything) and
/// serialise — or give the text back untouched when it does not parse or
/// nothing changed.
fn transform(xml: &str, f: impl FnOnce(&mut Part<'_>, &str) -> bool) -> String {
    let Some(mut part) = Part::parse(xml) else {
        return xml.to_string();
    };
    let w = part.w.clone();
    if f(&mut part, &w) {
        part.to_xml()
    } else {
        xml.to_string()
    }
}

/// Marks the document's table of contents — the first field whose
/// instruction is `TOC …` — as Word does: a block-level `w:sdt` whose
/// `w:sdtPr` holds `<w:docPartObj><w:docPartGallery w:val="Table of
/// Contents"/><w:docPartUnique/></w:docPartObj>`.
///
/// docx-rs's `TableOfContents` writes the field inside an `w:sdt` with only
/// `w:rPr`/`w:alias` in its `w:sdtPr` — and, with pre-filled items, a
/// second `w:sdt` with an empty `w:sdtPr` inside it. The outer one gets the
/// `w:docPartObj`, the inner one is unwrapped (its paragraphs stay). With
/// `without_sdt()` the paragraphs from the field's begin to its end are
/// wrapped in a new `w:sdt`. Also moves the right-aligned dot-leader tab
/// docx-rs puts at 80000 twips (far past the page edge) in the entries to
/// the right margin of the TOC's section. Without a TOC field, or when it
/// is already marked, the text comes back unchanged.
pub fn toc_sdt(document_xml: &str) -> String {
    transform(document_xml, |part, w| {
        part.root_mut().and_then(|d| d.child_mut(w, "body")).is_some_and(|body| mark_toc(body, w))
    })
}

/// Sets `<w:updateFields w:val="true"/>` in `settings.xml`, at its schema
/// position: Word then offers to update the fields (the TOC's page
/// numbers) when the document is opened.
pub fn update_fields_on_open(settings_xml: &str) -> String {
    let Some(mut part) = Part::parse(settings_xml) else {
        return settings_xml.to_string();
    };
    let w = part.w.clone();
    let Some(settings) = part.root_mut().filter(|e| e.is(&w, "settings")) else {
        return settings_xml.to_string();
    };
    let new = fragment(&format!(r#"<{w}updateFields {w}val="true"/>"#));
    match settings.position(&w, "updateFields") {
        Some(i) => {
            let Node::Elem(old) = &settings.children[i] else { unreachable!() };
            if is_on(old, &w) {
                return settings_xml.to_string();
            }
            settings.children[i] = Node::Elem(new);
        }
        None => settings.insert_ranked(&w, new, SETTINGS),
    }
    part.to_xml()
}

/// [`repeat_header_rows`], [`toc_sdt`] and [`normalize_part`] on
/// `document.xml` in one parse and one serialisation (the same result as
/// applying them in turn, a third of the work).
pub fn fix_document(document_xml: &str) -> String {
    let Some(mut part) = Part::parse(document_xml) else {
        return document_xml.to_string();
    };
    let w = part.w.clone();
    for node in &mut part.nodes {
        if let Node::Elem(e) = node {
            header_rows(e, &w);
        }
    }
    if let Some(body) = part.root_mut().and_then(|d| d.child_mut(&w, "body")) {
        mark_toc(body, &w);
    }
    for node in &mut part.nodes {
        if let Node::Elem(e) = node {
            normalize(e, &w);
        }
    }
    part.to_xml()
}

/// Everything above on the four parts docx-rs writes with errors or gaps:
/// `(document, styles, numbering, settings)` in, the same out.
pub fn fix_parts(document: &str, styles: &str, numbering: &str, settings: &str) -> (String, String, String, String) {
    (
        fix_document(document),
        normalize_part(styles),
        normalize_part(numbering),
        normalize_part(&update_fields_on_open(settings)),
    )
}

/// Why [`fix_xml_docx`] could not patch a document.
#[derive(Debug, thiserror::Error)]
pub enum DocxFixError {
    /// A part (`document.xml`, `header1.xml`, …) that is not UTF-8.
    #[error("{part} is not UTF-8: {source}")]
    NotUtf8 {
        part: String,
        #[source]
        source: std::string::FromUtf8Error,
    },
}

/// [`fix_parts`] on an [`XMLDocx`] from `Docx::build()`, and
/// [`normalize_part`] on its headers, footers, footnotes and comments
/// (which carry the same property elements). Errs only on a part that is
/// not UTF-8.
pub fn fix_xml_docx(x: &mut XMLDocx) -> Result<(), DocxFixError> {
    fn text(name: &str, bytes: &[u8]) -> Result<String, DocxFixError> {
        String::from_utf8(bytes.to_vec()).map_err(|source| DocxFixError::NotUtf8 { part: name.to_string(), source })
    }
    let (document, styles, numbering, settings) = fix_parts(
        &text("document.xml", &x.document)?,
        &text("styles.xml", &x.styles)?,
        &text("numbering.xml", &x.numberings)?,
        &text("settings.xml", &x.settings)?,
    );
    x.document = document.into_bytes();
    x.styles = styles.into_bytes();
    x.numberings = numbering.into_bytes();
    x.settings = settings.into_bytes();
    for (i, part) in x.headers.iter_mut().enumerate() {
        *part = normalize_part(&text(&format!("header{}.xml", i + 1), part)?).into_bytes();
    }
    for (i, part) in x.footers.iter_mut().enumerate() {
        *part = normalize_part(&text(&format!("footer{}.xml", i + 1), part)?).into_bytes();
    }
    x.footnotes = normalize_part(&text("footnotes.xml", &x.footnotes)?).into_bytes();
    x.comments = normalize_part(&text("comments.xml", &x.comments)?).into_bytes();
    Ok(())
}

// ---------------------------------------------------------------------------
// normalize_part
// ---------------------------------------------------------------------------

fn normalize(e: &mut Elem<'_>, w: &str) {
    for c in e.elems_mut() {
        normalize(c, w);
    }
    let Some(local) = local_name(&e.name, w) else {
        return;
    };
    let order = order_of(local);
    match local {
        // CT_TblGridCol has w:w only.
        "gridCol" => {
            if let Some(start) = remove_attr(&e.start, &format!("{w}type")) {
                e.start = Cow::Owned(start);
            }
        }
        // CT_PPrGeneral: no w:rPr in the w:pPr of a style, a level, a table style part.
        "style" | "lvl" | "tblStylePr" => {
            if let Some(rpr) = e.child_mut(w, "pPr").and_then(|p| p.take(w, "rPr")) {
                merge_rpr(e, rpr, order.unwrap_or(STYLE), w);
            }
        }
        "docDefaults" => {
            if let Some(rpr) =
                e.child_mut(w, "pPrDefault").and_then(|d| d.child_mut(w, "pPr")).and_then(|p| p.take(w, "rPr"))
            {
                if rpr.has_elements() {
                    if e.child(w, "rPrDefault").is_none() {
                        e.insert_ranked(w, fragment(&format!("<{w}rPrDefault/>")), DOC_DEFAULTS);
                    }
                    if let Some(d) = e.child_mut(w, "rPrDefault") {
                        merge_rpr(d, rpr, &["rPr"], w);
                    }
                }
            }
        }
        _ => {}
    }
    if let Some(order) = order {
        sort_children(&mut e.children, order, w);
    }
}

/// Moves the children of `rpr` that `owner`'s own `w:rPr` lacks into it
/// (creating it at its place in `order`); an empty `rpr` just goes.
fn merge_rpr<'a>(owner: &mut Elem<'a>, rpr: Elem<'a>, order: &[&str], w: &str) {
    if !rpr.has_elements() {
        return;
    }
    if owner.child(w, "rPr").is_none() {
        owner.insert_ranked(w, fragment(&format!("<{w}rPr/>")), order);
    }
    let Some(target) = owner.child_mut(w, "rPr") else { return };
    target.open();
    for node in rpr.children {
        if let Node::Elem(c) = node {
            let present = target.elems().any(|t| t.name == c.name);
            if !present {
                target.children.push(Node::Elem(c));
            }
        }
    }
    sort_children(&mut target.children, RPR, w);
}

/// Stable sort of `children` by schema rank. Text, whitespace and comments
/// travel with the element after them; an element not in `order` keeps the
/// rank of the one before it. Of a non-repeatable child that occurs more
/// than once, the last non-empty occurrence stays.
fn sort_children(children: &mut Vec<Node<'_>>, order: &[&str], w: &str) {
    struct Item<'a> {
        key: usize,
        unique: Option<usize>,
        empty: bool,
        nodes: Vec<Node<'a>>,
    }
    let known = |n: &Node<'_>| match n {
        Node::Elem(e) => local_name(&e.name, w).and_then(|l| rank(order, l)).is_some(),
        Node::Other(_) => false,
    };
    // Nothing to do for containers without known children (the common case
    // of an empty w:rPr).
    if !children.iter().any(known) {
        return;
    }
    let mut items: Vec<Item<'_>> = Vec::new();
    let mut pending: Vec<Node<'_>> = Vec::new();
    let mut key = 0;
    for node in children.drain(..) {
        match node {
            Node::Other(_) => pending.push(node),
            Node::Elem(e) => {
                let mut unique = None;
                if let Some((r, repeatable)) = local_name(&e.name, w).and_then(|l| rank(order, l)) {
                    key = r;
                    if !repeatable {
                        unique = Some(r);
                    }
                }
                let empty = !e.has_elements() && !e.start.contains('=');
                pending.push(Node::Elem(e));
                items.push(Item { key, unique, empty, nodes: std::mem::take(&mut pending) });
            }
        }
    }
    items.sort_by_key(|it| it.key);
    // Which occurrence of each non-repeatable child stays.
    // (rank, index) pairs: a handful per element, a list beats a map.
    let mut keep: Vec<(usize, usize)> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        if let Some(r) = it.unique {
            match keep.iter_mut().find(|(k, _)| *k == r) {
                Some((_, j)) if !it.empty || items[*j].empty => *j = i,
                Some(_) => {}
                None => keep.push((r, i)),
            }
        }
    }
    let kept = |r: usize| keep.iter().find(|(k, _)| *k == r).map(|(_, j)| *j);
    for (i, it) in items.into_iter().enumerate() {
        if it.unique.is_none_or(|r| kept(r) == Some(i)) {
            children.extend(it.nodes);
        }
    }
    children.extend(pending);
}

// ---------------------------------------------------------------------------
// repeat_header_rows
// ---------------------------------------------------------------------------

/// A body row estimated taller than this (twips: 4.2 cm, about ten lines of
/// a table) may break across pages — kept whole it would leave most of a
/// page blank; a shorter row never breaks.
pub const SPLITTABLE_ROW_HEIGHT: i64 = 2400;

/// A rough height of row `tr` in twips: for each cell, its characters at
/// the cell's font size (`w:sz` of its first run, else 12 pt; a CJK
/// character is as wide as the font is high) wrapped in the cell's width
/// (`w:tcW`, less 0.2 cm of margins), at 1.2 lines; the tallest cell.
fn row_height(tr: &Elem<'_>, w: &str) -> i64 {
    fn first_size(e: &Elem<'_>, w: &str) -> Option<i64> {
        if e.is(w, "sz") {
            return e.attr(&format!("{w}val")).and_then(|v| v.parse().ok());
        }
        e.elems().find_map(|c| first_size(c, w))
    }
    tr.elems()
        .filter(|c| c.is(w, "tc"))
        .map(|tc| {
            let size = first_size(tc, w).unwrap_or(24) * 10; // half-points → twips
            let width = tc
                .child(w, "tcPr")
                .and_then(|p| p.child(w, "tcW"))
                .and_then(|t| t.attr(&format!("{w}w")))
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or(2000);
            let per_line = ((width - 114).max(size) / size).max(1);
            let chars = tc.text_chars() as i64;
            let lines = ((chars + per_line - 1) / per_line).max(1);
            lines * size * 6 / 5
        })
        .max()
        .unwrap_or(0)
}

fn header_rows(e: &mut Elem<'_>, w: &str) -> bool {
    let mut changed = false;
    for c in e.elems_mut() {
        changed |= header_rows(c, w);
    }
    if !e.is(w, "tbl") {
        return changed;
    }
    let on =
        |tr: &Elem<'_>, local: &str| tr.child(w, "trPr").and_then(|p| p.child(w, local)).is_some_and(|c| is_on(c, w));
    // The header: rows already marked as such, else the leading `cantSplit` run.
    let marked = e.elems().filter(|c| c.is(w, "tr")).any(|tr| on(tr, "tblHeader"));
    let mut in_header = true;
    for row in e.elems_mut().filter(|c| c.is(w, "tr")) {
        in_header &= if marked { on(row, "tblHeader") } else { on(row, "cantSplit") };
        if !in_header && row_height(row, w) > SPLITTABLE_ROW_HEIGHT {
            // A long row may break: kept whole it would leave most of a page blank.
            continue;
        }
        if row.child(w, "trPr").is_none() {
            // CT_Row: tblPrEx?, trPr?, then the cells.
            let at = row.position(w, "tblPrEx").map_or(0, |i| i + 1);
            row.open();
            row.children.insert(at, Node::Elem(fragment(&format!("<{w}trPr></{w}trPr>"))));
        }
        let tr_pr = row.child_mut(w, "trPr").expect("inserted above");
        // Header rows repeat on every page; no row (header or body) splits across pages.
        let wanted: &[&str] = if in_header { &["cantSplit", "tblHeader"] } else { &["cantSplit"] };
        for local in wanted {
            let mark = fragment(&format!("<{w}{local}/>"));
            match tr_pr.position(w, local) {
                Some(i) => {
                    let Node::Elem(old) = &tr_pr.children[i] else { unreachable!() };
                    if !is_on(old, w) {
                        tr_pr.children[i] = Node::Elem(mark);
                        changed = true;
                    }
                }
                None => {
                    tr_pr.insert_ranked(w, mark, TR_PR);
                    changed = true;
                }
            }
        }
    }
    changed
}

// ---------------------------------------------------------------------------
// toc_sdt
// ---------------------------------------------------------------------------

/// docx-rs's placeholder position of the TOC entries' page-number tab.
const DOCX_RS_TOC_TAB: &str = "80000";

#[derive(Clone, Copy, PartialEq)]
enum FieldEvent {
    Begin,
    End,
    TocInstr,
}

fn mark_toc(body: &mut Elem<'_>, w: &str) -> bool {
    let Some(path) = find_path(&body.children, &|e| is_toc_instr(e, w)) else {
        return false;
    };
    let width = text_width_after(body, path[0], w);
    // The outermost w:sdt around the field, if any.
    let sdt_depth = (0..path.len()).find(|&d| at(&body.children, &path[..=d]).is(w, "sdt"));
    let sdt = match sdt_depth {
        Some(d) => at_mut(&mut body.children, &path[..=d]),
        None => {
            // Wrap the paragraphs from the field's begin to its end.
            let Some(p_depth) = (0..path.len()).find(|&d| at(&body.children, &path[..=d]).is(w, "p")) else {
                return false;
            };
            let container = if p_depth == 0 {
                &mut body.children
            } else {
                &mut at_mut(&mut body.children, &path[..p_depth]).children
            };
            let first = path[p_depth];
            let Some(last) = field_end(&container[first..], w).map(|n| first + n) else {
                return false;
            };
            let content: Vec<Node<'_>> = container.drain(first..=last).collect();
            let mut sdt = fragment(&format!("<{w}sdt><{w}sdtPr/><{w}sdtContent/></{w}sdt>"));
            if let Some(c) = sdt.child_mut(w, "sdtContent") {
                c.open();
                c.children = content;
            }
            container.insert(first, Node::Elem(sdt));
            let Node::Elem(sdt) = &mut container[first] else { unreachable!() };
            sdt
        }
    };
    let mut changed = false;
    if sdt.child(w, "sdtPr").is_none() {
        sdt.open();
        sdt.children.insert(0, Node::Elem(fragment(&format!("<{w}sdtPr/>"))));
    }
    if let Some(pr) = sdt.child_mut(w, "sdtPr") {
        if pr.child(w, "docPartObj").is_none() {
            let part = format!(
                r#"<{w}docPartObj><{w}docPartGallery {w}val="Table of Contents"/><{w}docPartUnique/></{w}docPartObj>"#
            );
            pr.insert_ranked(w, fragment(&part), SDT_PR);
            changed = true;
        }
    }
    if let Some(content) = sdt.child_mut(w, "sdtContent") {
        changed |= unwrap_bare_sdts(content, w);
    }
    if let Some(width) = width {
        changed |= fix_toc_tabs(sdt, w, &width.to_string());
    }
    changed
}

/// Replaces each child `w:sdt` of `content` whose `w:sdtPr` is empty (a
/// plain rich-text control) by the content it wraps.
fn unwrap_bare_sdts(content: &mut Elem<'_>, w: &str) -> bool {
    let bare = |n: &Node<'_>| match n {
        Node::Elem(e) => {
            e.is(w, "sdt")
                && e.child(w, "sdtPr").is_none_or(|p| !p.has_elements())
                && e.child(w, "sdtEndPr").is_none()
                && e.child(w, "sdtContent").is_some()
        }
        Node::Other(_) => false,
    };
    if !content.children.iter().any(bare) {
        return false;
    }
    let mut out = Vec::with_capacity(content.children.len());
    for node in content.children.drain(..) {
        if bare(&node) {
            let Node::Elem(sdt) = node else { unreachable!() };
            for c in sdt.children {
                if let Node::Elem(inner) = c {
                    if inner.is(w, "sdtContent") {
                        out.extend(inner.children);
                    }
                }
            }
        } else {
            out.push(node);
        }
    }
    content.children = out;
    true
}

fn fix_toc_tabs(e: &mut Elem<'_>, w: &str, width: &str) -> bool {
    let mut changed = false;
    if e.is(w, "tab") && e.attr(&format!("{w}pos")) == Some(DOCX_RS_TOC_TAB) {
        if let Some(start) = set_attr(&e.start, &format!("{w}pos"), width) {
            e.start = Cow::Owned(start);
            changed = true;
        }
    }
    for c in e.elems_mut() {
        changed |= fix_toc_tabs(c, w, width);
    }
    changed
}

fn is_toc_instr(e: &Elem<'_>, w: &str) -> bool {
    if !e.is(w, "instrText") {
        return false;
    }
    let text = e.text();
    let text = text.trim_start();
    text.strip_prefix("TOC").is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))
}

/// Index (within `nodes`) of the node holding the end of the field whose
/// instruction is the first TOC instruction in `nodes`.
fn field_end(nodes: &[Node<'_>], w: &str) -> Option<usize> {
    let mut events = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        if let Node::Elem(e) = n {
            field_events(e, w, i, &mut events);
        }
    }
    let toc = events.iter().position(|&(_, ev)| ev == FieldEvent::TocInstr)?;
    let begin = events[..toc].iter().rposition(|&(_, ev)| ev == FieldEvent::Begin)?;
    let mut depth = 0usize;
    for &(i, ev) in &events[begin..] {
        match ev {
            FieldEvent::Begin => depth += 1,
            FieldEvent::End => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            FieldEvent::TocInstr => {}
        }
    }
    None
}

fn field_events(e: &Elem<'_>, w: &str, index: usize, out: &mut Vec<(usize, FieldEvent)>) {
    if e.is(w, "fldChar") {
        match e.attr(&format!("{w}fldCharType")) {
            Some("begin") => out.push((index, FieldEvent::Begin)),
            Some("end") => out.push((index, FieldEvent::End)),
            _ => {}
        }
    } else if is_toc_instr(e, w) {
        out.push((index, FieldEvent::TocInstr));
    }
    for c in e.elems() {
        field_events(c, w, index, out);
    }
}

/// Text width (twips) of the section holding body child `from`: page width
/// less left and right margins and gutter, from the first `w:sectPr` at or
/// after it.
fn text_width_after(body: &Elem<'_>, from: usize, w: &str) -> Option<i64> {
    let sect = body.children[from..].iter().find_map(|n| match n {
        Node::Elem(e) if e.is(w, "sectPr") => Some(e),
        Node::Elem(e) if e.is(w, "p") => e.child(w, "pPr").and_then(|p| p.child(w, "sectPr")),
        _ => None,
    })?;
    let num = |e: &Elem<'_>, a: &str| e.attr(&format!("{w}{a}")).and_then(|v| v.parse::<i64>().ok());
    let size = sect.child(w, "pgSz")?;
    let margin = sect.child(w, "pgMar")?;
    let width = num(size, "w")? - num(margin, "left")? - num(margin, "right")? - num(margin, "gutter").unwrap_or(0);
    (width > 0).then_some(width)
}

// ---------------------------------------------------------------------------
// The tree.
// ---------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Node<'a> {
    Elem(Elem<'a>),
    /// Text, whitespace, comments, processing instructions, CDATA — verbatim.
    Other(Cow<'a, str>),
}

#[derive(Debug, Clone)]
struct Elem<'a> {
    /// Qualified name, `w:pPr`.
    name: Cow<'a, str>,
    /// The start tag as written: `<w:pPr>`, or `<w:pPr />` when `end` is `None`.
    start: Cow<'a, str>,
    children: Vec<Node<'a>>,
    end: Option<Cow<'a, str>>,
}

/// A parsed part: its top-level nodes and the prefix, colon included, bound
/// to the WordprocessingML namespace.
struct Part<'a> {
    nodes: Vec<Node<'a>>,
    w: String,
    /// The length of the text parsed: the written part is about as long.
    len: usize,
}

impl<'a> Part<'a> {
    fn parse(xml: &'a str) -> Option<Self> {
        let nodes = parse(xml)?;
        let w = nodes
            .iter()
            .find_map(|n| match n {
                Node::Elem(e) => Some(w_prefix(&e.start)),
                Node::Other(_) => None,
            })
            .unwrap_or_else(|| "w:".to_string());
        Some(Part { nodes, w, len: xml.len() })
    }

    fn root_mut(&mut self) -> Option<&mut Elem<'a>> {
        self.nodes.iter_mut().find_map(|n| match n {
            Node::Elem(e) => Some(e),
            Node::Other(_) => None,
        })
    }

    fn to_xml(&self) -> String {
        let mut out = String::with_capacity(self.len + self.len / 16);
        write(&self.nodes, &mut out);
        out
    }
}

/// The prefix (`w:`; empty for a default namespace) a root start tag binds
/// to the WordprocessingML namespace; `w:` when it binds none.
fn w_prefix(start: &str) -> String {
    for (name, value, _) in attrs(start) {
        if value == W_NS {
            if name == "xmlns" {
                return String::new();
            }
            if let Some(p) = name.strip_prefix("xmlns:") {
                return format!("{p}:");
            }
        }
    }
    "w:".to_string()
}

/// The local name of `qname` if it is in the namespace of prefix `w`.
fn local_name<'n>(qname: &'n str, w: &str) -> Option<&'n str> {
    qname.strip_prefix(w).filter(|l| !l.contains(':'))
}

impl<'a> Elem<'a> {
    fn is(&self, w: &str, local: &str) -> bool {
        local_name(&self.name, w) == Some(local)
    }

    fn attr(&self, qname: &str) -> Option<&str> {
        attrs(&self.start).into_iter().find(|(n, _, _)| *n == qname).map(|(_, v, _)| v)
    }

    fn elems(&self) -> impl Iterator<Item = &Elem<'a>> {
        self.children.iter().filter_map(|n| match n {
            Node::Elem(e) => Some(e),
            Node::Other(_) => None,
        })
    }

    fn elems_mut(&mut self) -> impl Iterator<Item = &mut Elem<'a>> {
        self.children.iter_mut().filter_map(|n| match n {
            Node::Elem(e) => Some(e),
            Node::Other(_) => None,
        })
    }

    fn child(&self, w: &str, local: &str) -> Option<&Elem<'a>> {
        self.elems().find(|e| e.is(w, local))
    }

    fn child_mut(&mut self, w: &str, local: &str) -> Option<&mut Elem<'a>> {
        self.elems_mut().find(|e| e.is(w, local))
    }

    /// Index in `children` of the first child element `local`.
    fn position(&self, w: &str, local: &str) -> Option<usize> {
        self.children.iter().position(|n| matches!(n, Node::Elem(e) if e.is(w, local)))
    }

    /// Removes and returns the first child element `local`.
    fn take(&mut self, w: &str, local: &str) -> Option<Elem<'a>> {
        let i = self.position(w, local)?;
        match self.children.remove(i) {
            Node::Elem(e) => Some(e),
            Node::Other(_) => unreachable!(),
        }
    }

    fn has_elements(&self) -> bool {
        self.elems().next().is_some()
    }

    /// How many characters of text are inside (as [`Elem::text`] counts them), without building it.
    fn text_chars(&self) -> usize {
        self.children
            .iter()
            .map(|n| match n {
                Node::Other(t) if !t.starts_with('<') => t.chars().count(),
                Node::Other(_) => 0,
                Node::Elem(e) => e.text_chars(),
            })
            .sum()
    }

    /// All text inside, markup left out (entities stay escaped).
    fn text(&self) -> String {
        let mut out = String::new();
        for n in &self.children {
            match n {
                Node::Other(t) if !t.starts_with('<') => out.push_str(t),
                Node::Other(_) => {}
                Node::Elem(e) => out.push_str(&e.text()),
            }
        }
        out
    }

    /// Turns `<x/>` into `<x></x>` so that it can take children.
    fn open(&mut self) {
        if self.end.is_none() {
            let start = self.start.trim_end_matches('>').trim_end_matches('/').trim_end();
            self.start = Cow::Owned(format!("{start}>"));
            self.end = Some(Cow::Owned(format!("</{}>", self.name)));
        }
    }

    /// Inserts `child` before the first child element ranked after it in
    /// `order` (at the end when there is none).
    fn insert_ranked(&mut self, w: &str, child: Elem<'a>, order: &[&str]) {
        self.open();
        let r = local_name(&child.name, w).and_then(|l| rank(order, l)).map_or(usize::MAX, |(r, _)| r);
        let at = self
            .children
            .iter()
            .position(|n| match n {
                Node::Elem(e) => local_name(&e.name, w).and_then(|l| rank(order, l)).is_some_and(|(o, _)| o > r),
                Node::Other(_) => false,
            })
            .unwrap_or(self.children.len());
        self.children.insert(at, Node::Elem(child));
    }

    fn into_owned(self) -> Elem<'static> {
        Elem {
            name: Cow::Owned(self.name.into_owned()),
            start: Cow::Owned(self.start.into_owned()),
            children: self.children.into_iter().map(Node::into_owned).collect(),
            end: self.end.map(|e| Cow::Owned(e.into_owned())),
        }
    }
}

impl Node<'_> {
    fn into_owned(self) -> Node<'static> {
        match self {
            Node::Elem(e) => Node::Elem(e.into_owned()),
            Node::Other(t) => Node::Other(Cow::Owned(t.into_owned())),
        }
    }
}

/// The element at `path` (indices into successive `children`).
fn at<'b, 'a>(nodes: &'b [Node<'a>], path: &[usize]) -> &'b Elem<'a> {
    let mut nodes = nodes;
    let mut found = None;
    for &i in path {
        let Node::Elem(e) = &nodes[i] else { panic!("path through a non-element") };
        found = Some(e);
        nodes = &e.children;
    }
    found.expect("non-empty path")
}

fn at_mut<'b, 'a>(nodes: &'b mut [Node<'a>], path: &[usize]) -> &'b mut Elem<'a> {
    let (first, rest) = path.split_first().expect("non-empty path");
    let Node::Elem(e) = &mut nodes[*first] else { panic!("path through a non-element") };
    let mut e = e;
    for &i in rest {
        let Node::Elem(next) = &mut e.children[i] else { panic!("path through a non-element") };
        e = next;
    }
    e
}

/// Path (indices) to the first element, in document order, that `hit` accepts.
fn find_path(nodes: &[Node<'_>], hit: &dyn Fn(&Elem<'_>) -> bool) -> Option<Vec<usize>> {
    for (i, n) in nodes.iter().enumerate() {
        if let Node::Elem(e) = n {
            if hit(e) {
                return Some(vec![i]);
            }
            if let Some(mut rest) = find_path(&e.children, hit) {
                rest.insert(0, i);
                return Some(rest);
            }
        }
    }
    None
}

/// An element from a literal of ours, owning its text.
fn fragment(xml: &str) -> Elem<'static> {
    match parse(xml).and_then(|nodes| nodes.into_iter().next()) {
        Some(Node::Elem(e)) => e.into_owned(),
        _ => panic!("bad fragment {xml}"),
    }
}

fn write(nodes: &[Node<'_>], out: &mut String) {
    for n in nodes {
        match n {
            Node::Other(t) => out.push_str(t),
            Node::Elem(e) => {
                out.push_str(&e.start);
                write(&e.children, out);
                if let Some(end) = &e.end {
                    out.push_str(end);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The tokenizer.
// ---------------------------------------------------------------------------

/// Parses well-formed XML into nodes; `None` if tags do not nest or a
/// construct is unterminated.
fn parse(xml: &str) -> Option<Vec<Node<'_>>> {
    enum Kind {
        Other,
        Start,
        End,
    }
    let mut root: Vec<Node<'_>> = Vec::new();
    let mut stack: Vec<Elem<'_>> = Vec::new();
    fn push<'a>(stack: &mut [Elem<'a>], root: &mut Vec<Node<'a>>, node: Node<'a>) {
        match stack.last_mut() {
            Some(parent) => parent.children.push(node),
            None => root.push(node),
        }
    }
    let mut i = 0;
    while i < xml.len() {
        let rest = &xml[i..];
        if !rest.starts_with('<') {
            let len = rest.find('<').unwrap_or(rest.len());
            push(&mut stack, &mut root, Node::Other(Cow::Borrowed(&rest[..len])));
            i += len;
            continue;
        }
        let (len, kind) = if rest.starts_with("<?") {
            (rest.find("?>")? + 2, Kind::Other)
        } else if rest.starts_with("<!--") {
            (rest.find("-->")? + 3, Kind::Other)
        } else if rest.starts_with("<![CDATA[") {
            (rest.find("]]>")? + 3, Kind::Other)
        } else if rest.starts_with("<!") {
            (rest.find('>')? + 1, Kind::Other)
        } else if rest.starts_with("</") {
            (rest.find('>')? + 1, Kind::End)
        } else {
            (tag_len(rest)?, Kind::Start)
        };
        let tok = &rest[..len];
        match kind {
            Kind::Other => push(&mut stack, &mut root, Node::Other(Cow::Borrowed(tok))),
            Kind::End => {
                let mut e = stack.pop()?;
                if tok[2..len - 1].trim() != e.name {
                    return None;
                }
                e.end = Some(Cow::Borrowed(tok));
                push(&mut stack, &mut root, Node::Elem(e));
            }
            Kind::Start => {
                let name = tag_name(tok);
                if name.is_empty() {
                    return None;
                }
                let e = Elem { name: Cow::Borrowed(name), start: Cow::Borrowed(tok), children: Vec::new(), end: None };
                if tok[..len - 1].ends_with('/') {
                    push(&mut stack, &mut root, Node::Elem(e));
                } else {
                    stack.push(e);
                }
            }
        }
        i += len;
    }
    stack.is_empty().then_some(root)
}

/// Length of the start tag at the beginning of `s`, quotes respected.
fn tag_len(s: &str) -> Option<usize> {
    // Bytes, not chars: quotes and `>` are ASCII, which no byte of a
    // multi-byte UTF-8 character equals.
    let mut quote = None;
    for (i, &c) in s.as_bytes().iter().enumerate().skip(1) {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, b'>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

fn tag_name(tag: &str) -> &str {
    let s = &tag[1..];
    let end = s.find(|c: char| c.is_whitespace() || c == '/' || c == '>').unwrap_or(s.len());
    &s[..end]
}

/// The attributes of a start tag: `(name, raw value, byte range of the
/// whole attribute with the whitespace before it)`.
fn attrs(tag: &str) -> Vec<(&str, &str, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let b = tag.as_bytes();
    let mut i = 1 + tag_name(tag).len();
    loop {
        let from = i;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() || b[i] == b'/' || b[i] == b'>' {
            break;
        }
        let name_start = i;
        while i < b.len() && b[i] != b'=' && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let name = &tag[name_start..i];
        while i < b.len() && (b[i] == b'=' || b[i].is_ascii_whitespace()) {
            i += 1;
        }
        let Some(&q) = b.get(i).filter(|&&q| q == b'"' || q == b'\'') else { break };
        let value_start = i + 1;
        let Some(len) = tag[value_start..].find(q as char) else { break };
        i = value_start + len + 1;
        out.push((name, &tag[value_start..value_start + len], from..i));
    }
    out
}

/// `tag` without attribute `qname`; `None` if it has none.
fn remove_attr(tag: &str, qname: &str) -> Option<String> {
    let (_, _, range) = attrs(tag).into_iter().find(|(n, _, _)| *n == qname)?;
    Some(format!("{}{}", &tag[..range.start], &tag[range.end..]))
}

/// `tag` with the value of attribute `qname` replaced; `None` if it has none.
fn set_attr(tag: &str, qname: &str, value: &str) -> Option<String> {
    let (_, old, range) = attrs(tag).into_iter().find(|(n, _, _)| *n == qname)?;
    // The range ends with the closing quote.
    let value_start = range.end - 1 - old.len();
    Some(format!("{}{}{}", &tag[..value_start], value, &tag[range.end - 1..]))
}

fn is_on(e: &Elem<'_>, w: &str) -> bool {
    e.attr(&format!("{w}val")).is_none_or(|v| matches!(v, "true" | "1" | "on"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DECL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

    fn doc(body: &str) -> String {
        format!(r#"{DECL}<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>"#)
    }

    fn settings(inner: &str) -> String {
        format!(r#"{DECL}<w:settings xmlns:w="{W_NS}">{inner}</w:settings>"#)
    }

    /// The part between `<w:body>` and `</w:body>`.
    fn body(xml: &str) -> &str {
        let start = xml.find("<w:body>").unwrap() + "<w:body>".len();
        &xml[start..xml.rfind("</w:body>").unwrap()]
    }

    #[test]
    fn one_pass_equals_three() {
        let xml = concat!(
            r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
            r#"<w:tbl><w:tr><w:trPr><w:cantSplit /></w:trPr><w:tc><w:p><w:pPr><w:rPr /><w:jc w:val="center" /><w:spacing w:line="300" /></w:pPr></w:p></w:tc></w:tr>"#,
            r#"<w:tr><w:tc><w:p /></w:tc></w:tr></w:tbl>"#,
            r#"<w:sectPr><w:pgMar w:top="1" w:right="1" w:bottom="1" w:left="1" w:header="1" w:footer="1" w:gutter="0" /><w:pgSz w:w="11906" w:h="16838" /></w:sectPr></w:body></w:document>"#
        );
        assert_eq!(fix_document(xml), normalize_part(&toc_sdt(&repeat_header_rows(xml))));
    }

    #[test]
    fn parse_and_write_keep_every_byte() {
        let xml = concat!(
            "<?xml version=\"1.0\"?>\n<!-- a comment with <tags> -->\n",
            "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\n",
            "  <w:body a='x > y' b=\"'\"><w:p><w:r><w:t xml:space=\"preserve\"> a &amp; b </w:t></w:r></w:p>",
            "<![CDATA[ <not a tag> ]]><w:p/><w:p  /></w:body>\r\n</w:document>\n"
        );
        let part = Part::parse(xml).unwrap();
        assert_eq!(part.w, "w:");
        assert_eq!(part.to_xml(), xml);
        assert_eq!(normalize_part(xml), xml);
    }

    #[test]
    fn malformed_input_comes_back_unchanged() {
        for bad in ["<w:a><w:b></w:a></w:b>", "<w:a>", "<w:a", "<w:a b=\"1></w:a>", "</w:a>"] {
            assert_eq!(normalize_part(bad), bad);
            assert_eq!(repeat_header_rows(bad), bad);
            assert_eq!(toc_sdt(bad), bad);
            assert_eq!(update_fields_on_open(bad), bad);
        }
    }

    #[test]
    fn ppr_children_in_schema_order() {
        let xml = doc(concat!(
            r#"<w:p><w:pPr><w:rPr /><w:jc w:val="both" /><w:ind w:left="0" w:right="0" w:firstLine="640" />"#,
            r#"<w:spacing w:line="560" w:lineRule="exact" /><w:pStyle w:val="Body" /></w:pPr><w:r><w:t>x</w:t></w:r></w:p>"#
        ));
        assert_eq!(
            body(&normalize_part(&xml)),
            concat!(
                r#"<w:p><w:pPr><w:pStyle w:val="Body" /><w:spacing w:line="560" w:lineRule="exact" />"#,
                r#"<w:ind w:left="0" w:right="0" w:firstLine="640" /><w:jc w:val="both" /><w:rPr /></w:pPr>"#,
                r#"<w:r><w:t>x</w:t></w:r></w:p>"#
            )
        );
    }

    #[test]
    fn rpr_children_in_schema_order_inside_runs_and_paragraph_marks() {
        let xml = doc(concat!(
            r#"<w:p><w:pPr><w:rPr><w:sz w:val="32" /><w:b /><w:ins w:id="1" w:author="a" /></w:rPr>"#,
            r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838" /></w:sectPr></w:pPr>"#,
            r#"<w:r><w:rPr><w:sz w:val="32" /><w:szCs w:val="32" /><w:b /><w:bCs /><w:rFonts w:eastAsia="仿宋_GB2312" />"#,
            r#"<w:rStyle w:val="Strong" /></w:rPr><w:t>x</w:t></w:r></w:p>"#
        ));
        assert_eq!(
            body(&normalize_part(&xml)),
            concat!(
                r#"<w:p><w:pPr><w:rPr><w:ins w:id="1" w:author="a" /><w:b /><w:sz w:val="32" /></w:rPr>"#,
                r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838" /></w:sectPr></w:pPr>"#,
                r#"<w:r><w:rPr><w:rStyle w:val="Strong" /><w:rFonts w:eastAsia="仿宋_GB2312" /><w:b /><w:bCs />"#,
                r#"<w:sz w:val="32" /><w:szCs w:val="32" /></w:rPr><w:t>x</w:t></w:r></w:p>"#
            )
        );
    }

    #[test]
    fn sect_pr_references_first() {
        let xml = doc(concat!(
            r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838" /><w:pgMar w:top="2098" /><w:cols w:space="425" />"#,
            r#"<w:footerReference w:type="default" r:id="rIdFooter1" /><w:pgNumType w:start="1" />"#,
            r#"<w:headerReference w:type="default" r:id="rIdHeader1" /><w:titlePg /></w:sectPr>"#
        ));
        assert_eq!(
            body(&normalize_part(&xml)),
            concat!(
                r#"<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader1" />"#,
                r#"<w:footerReference w:type="default" r:id="rIdFooter1" /><w:pgSz w:w="11906" w:h="16838" />"#,
                r#"<w:pgMar w:top="2098" /><w:pgNumType w:start="1" /><w:cols w:space="425" /><w:titlePg /></w:sectPr>"#
            )
        );
    }

    #[test]
    fn table_properties_in_schema_order_and_grid_col_without_type() {
        let xml = doc(concat!(
            r#"<w:tbl><w:tblPr><w:tblLayout w:type="fixed" /><w:tblBorders><w:insideV w:val="single" />"#,
            r#"<w:top w:val="single" /></w:tblBorders><w:jc w:val="center" /><w:tblW w:w="6000" w:type="dxa" /></w:tblPr>"#,
            r#"<w:tblGrid><w:gridCol w:w="1800" w:type="dxa" /></w:tblGrid>"#,
            r#"<w:tr><w:trPr><w:del w:id="1" /><w:trHeight w:val="454" w:hRule="atLeast" /><w:cantSplit /></w:trPr>"#,
            r#"<w:tc><w:tcPr><w:tcW w:w="1800" w:type="dxa" /><w:tcBorders><w:bottom w:val="single" />"#,
            r#"<w:top w:val="single" /></w:tcBorders><w:gridSpan w:val="2" /><w:vAlign w:val="center" />"#,
            r#"<w:shd w:val="clear" w:fill="D9D9D9" /><w:vMerge w:val="restart" /></w:tcPr><w:p /></w:tc></w:tr></w:tbl>"#
        ));
        assert_eq!(
            body(&normalize_part(&xml)),
            concat!(
                r#"<w:tbl><w:tblPr><w:tblW w:w="6000" w:type="dxa" /><w:jc w:val="center" /><w:tblBorders>"#,
                r#"<w:top w:val="single" /><w:insideV w:val="single" /></w:tblBorders><w:tblLayout w:type="fixed" />"#,
                r#"</w:tblPr><w:tblGrid><w:gridCol w:w="1800" /></w:tblGrid>"#,
                r#"<w:tr><w:trPr><w:cantSplit /><w:trHeight w:val="454" w:hRule="atLeast" /><w:del w:id="1" /></w:trPr>"#,
                r#"<w:tc><w:tcPr><w:tcW w:w="1800" w:type="dxa" /><w:gridSpan w:val="2" /><w:vMerge w:val="restart" />"#,
                r#"<w:tcBorders><w:top w:val="single" /><w:bottom w:val="single" /></w:tcBorders>"#,
                r#"<w:shd w:val="clear" w:fill="D9D9D9" /><w:vAlign w:val="center" /></w:tcPr><w:p /></w:tc></w:tr></w:tbl>"#
            )
        );
    }

    #[test]
    fn styles_in_schema_order_without_rpr_in_ppr() {
        let xml = format!(
            concat!(
                r#"<w:styles xmlns:w="{}"><w:docDefaults><w:pPrDefault><w:pPr><w:rPr /></w:pPr></w:pPrDefault>"#,
                r#"<w:rPrDefault><w:rPr><w:sz w:val="32" /><w:rFonts w:eastAsia="仿宋_GB2312" /></w:rPr></w:rPrDefault>"#,
                r#"</w:docDefaults><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1" />"#,
                r#"<w:rPr><w:sz w:val="32" /><w:b /></w:rPr><w:pPr><w:rPr /><w:outlineLvl w:val="0" />"#,
                r#"<w:spacing w:line="560" /></w:pPr><w:next w:val="Normal" /><w:qFormat /><w:basedOn w:val="Normal" />"#,
                r#"</w:style><w:style w:type="paragraph" w:styleId="X"><w:name w:val="x" />"#,
                r#"<w:pPr><w:rPr><w:i /><w:b /></w:rPr></w:pPr><w:rPr><w:b w:val="0" /></w:rPr></w:style></w:styles>"#
            ),
            W_NS
        );
        let out = normalize_part(&xml);
        let expected = format!(
            concat!(
                r#"<w:styles xmlns:w="{}"><w:docDefaults>"#,
                r#"<w:rPrDefault><w:rPr><w:rFonts w:eastAsia="仿宋_GB2312" /><w:sz w:val="32" /></w:rPr></w:rPrDefault>"#,
                r#"<w:pPrDefault><w:pPr></w:pPr></w:pPrDefault></w:docDefaults>"#,
                r#"<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1" />"#,
                r#"<w:basedOn w:val="Normal" /><w:next w:val="Normal" /><w:qFormat /><w:pPr><w:spacing w:line="560" />"#,
                r#"<w:outlineLvl w:val="0" /></w:pPr><w:rPr><w:b /><w:sz w:val="32" /></w:rPr></w:style>"#,
                // A non-empty paragraph-mark rPr joins the style's own (which wins where both set a property).
                r#"<w:style w:type="paragraph" w:styleId="X"><w:name w:val="x" /><w:pPr></w:pPr>"#,
                r#"<w:rPr><w:b w:val="0" /><w:i /></w:rPr></w:style></w:styles>"#
            ),
            W_NS
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn numbering_levels_in_schema_order() {
        let xml = format!(
            concat!(
                r#"<w:numbering xmlns:w="{}"><w:num w:numId="1"><w:abstractNumId w:val="1" /></w:num>"#,
                r#"<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1" /><w:numFmt w:val="decimal" />"#,
                r#"<w:lvlText w:val="%1." /><w:lvlJc w:val="left" /><w:pPr><w:rPr /><w:ind w:left="420" /></w:pPr>"#,
                r#"<w:rPr /><w:pStyle w:val="List" /><w:suff w:val="space" /></w:lvl></w:abstractNum></w:numbering>"#
            ),
            W_NS
        );
        let expected = format!(
            concat!(
                r#"<w:numbering xmlns:w="{}"><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1" />"#,
                r#"<w:numFmt w:val="decimal" /><w:pStyle w:val="List" /><w:suff w:val="space" /><w:lvlText w:val="%1." />"#,
                r#"<w:lvlJc w:val="left" /><w:pPr><w:ind w:left="420" /></w:pPr><w:rPr /></w:lvl></w:abstractNum>"#,
                r#"<w:num w:numId="1"><w:abstractNumId w:val="1" /></w:num></w:numbering>"#
            ),
            W_NS
        );
        assert_eq!(normalize_part(&xml), expected);
    }

    #[test]
    fn settings_in_schema_order() {
        let xml = settings(
            r#"<w:defaultTabStop w:val="840" /><w:zoom w:percent="100" /><w:compat /><w:evenAndOddHeaders />"#,
        );
        assert_eq!(
            normalize_part(&xml),
            settings(
                r#"<w:zoom w:percent="100" /><w:defaultTabStop w:val="840" /><w:evenAndOddHeaders /><w:compat />"#
            )
        );
    }

    #[test]
    fn duplicates_dropped_keeping_the_last_non_empty() {
        let xml = doc(concat!(
            r#"<w:p><w:pPr><w:jc w:val="left" /><w:rPr><w:b /></w:rPr><w:jc w:val="center" /><w:rPr /></w:pPr>"#,
            r#"<w:r><w:rPr><w:sz w:val="24" /><w:sz w:val="28" /></w:rPr></w:r></w:p>"#
        ));
        assert_eq!(
            body(&normalize_part(&xml)),
            r#"<w:p><w:pPr><w:jc w:val="center" /><w:rPr><w:b /></w:rPr></w:pPr><w:r><w:rPr><w:sz w:val="28" /></w:rPr></w:r></w:p>"#
        );
        // Repeatable children all stay.
        let refs = doc(
            r#"<w:sectPr><w:pgSz /><w:headerReference w:type="default" /><w:headerReference w:type="first" /></w:sectPr>"#,
        );
        assert_eq!(
            body(&normalize_part(&refs)),
            r#"<w:sectPr><w:headerReference w:type="default" /><w:headerReference w:type="first" /><w:pgSz /></w:sectPr>"#
        );
    }

    #[test]
    fn unknown_children_and_whitespace_travel_with_their_neighbours() {
        let xml = doc("<w:p><w:pPr>\n  <w:jc w:val=\"center\" /><w14:x />\n  <w:pStyle w:val=\"A\" />\n</w:pPr></w:p>");
        assert_eq!(
            body(&normalize_part(&xml)),
            "<w:p><w:pPr>\n  <w:pStyle w:val=\"A\" />\n  <w:jc w:val=\"center\" /><w14:x />\n</w:pPr></w:p>"
        );
    }

    #[test]
    fn normalizing_is_idempotent_and_content_order_is_kept() {
        let xml = doc(concat!(
            r#"<w:p><w:pPr><w:rPr /><w:jc w:val="center" /></w:pPr><w:r><w:t>b</w:t></w:r><w:r><w:t>a</w:t></w:r></w:p>"#,
            r#"<w:tbl><w:tblPr /><w:tblGrid /><w:tr><w:tc><w:p /></w:tc></w:tr><w:tr /></w:tbl><w:p />"#
        ));
        let once = normalize_part(&xml);
        assert!(body(&once).ends_with(concat!(
            r#"<w:r><w:t>b</w:t></w:r><w:r><w:t>a</w:t></w:r></w:p>"#,
            r#"<w:tbl><w:tblPr /><w:tblGrid /><w:tr><w:tc><w:p /></w:tc></w:tr><w:tr /></w:tbl><w:p />"#
        )));
        assert_eq!(normalize_part(&once), once);
    }

    #[test]
    fn another_prefix_for_the_wordprocessingml_namespace() {
        let xml = format!(
            r#"<x:document xmlns:x="{W_NS}"><x:body><x:p><x:pPr><x:rPr /><x:jc /></x:pPr></x:p></x:body></x:document>"#
        );
        assert_eq!(
            normalize_part(&xml),
            format!(
                r#"<x:document xmlns:x="{W_NS}"><x:body><x:p><x:pPr><x:jc /><x:rPr /></x:pPr></x:p></x:body></x:document>"#
            )
        );
    }

    fn row(tr_pr: &str) -> String {
        format!("<w:tr>{tr_pr}<w:tc><w:p /></w:tc></w:tr>")
    }

    #[test]
    fn header_rows_are_the_leading_cant_split_rows() {
        let xml = doc(&format!(
            "<w:tbl><w:tblPr /><w:tblGrid />{}{}{}{}</w:tbl>",
            row("<w:trPr><w:cantSplit /></w:trPr>"),
            row(r#"<w:trPr><w:cantSplit /><w:trHeight w:val="400" /><w:ins w:id="1" /></w:trPr>"#),
            row("<w:trPr />"),
            row("<w:trPr><w:cantSplit /></w:trPr>"),
        ));
        let expected = doc(&format!(
            "<w:tbl><w:tblPr /><w:tblGrid />{}{}{}{}</w:tbl>",
            row("<w:trPr><w:cantSplit /><w:tblHeader/></w:trPr>"),
            row(r#"<w:trPr><w:cantSplit /><w:trHeight w:val="400" /><w:tblHeader/><w:ins w:id="1" /></w:trPr>"#),
            // Body rows: unsplittable, not repeated.
            row("<w:trPr><w:cantSplit/></w:trPr>"),
            row("<w:trPr><w:cantSplit /></w:trPr>"),
        ));
        let out = repeat_header_rows(&xml);
        assert_eq!(out, expected);
        assert_eq!(repeat_header_rows(&out), out);
    }

    #[test]
    fn header_rows_in_nested_tables_and_unmarked_tables() {
        let inner = format!("<w:tbl><w:tblPr /><w:tblGrid />{}</w:tbl>", row("<w:trPr><w:cantSplit /></w:trPr>"));
        let outer = |inner: &str| {
            doc(&format!(
                "<w:tbl><w:tblPr /><w:tblGrid /><w:tr><w:trPr /><w:tc>{inner}<w:p /></w:tc></w:tr>{}</w:tbl>",
                row(r#"<w:trPr><w:cantSplit w:val="false" /></w:trPr>"#)
            ))
        };
        let expected_inner = inner.replace("<w:cantSplit />", "<w:cantSplit /><w:tblHeader/>");
        // The outer table has no header; its rows are made unsplittable.
        let expected = outer(&expected_inner)
            .replace("<w:trPr /><w:tc>", "<w:trPr><w:cantSplit/></w:trPr><w:tc>")
            .replace(r#"<w:cantSplit w:val="false" />"#, "<w:cantSplit/>");
        assert_eq!(repeat_header_rows(&outer(&inner)), expected);
        // A switched-off w:tblHeader is switched on.
        let off =
            doc(&format!("<w:tbl>{}</w:tbl>", row(r#"<w:trPr><w:cantSplit /><w:tblHeader w:val="0" /></w:trPr>"#)));
        assert_eq!(
            repeat_header_rows(&off),
            doc(&format!("<w:tbl>{}</w:tbl>", row("<w:trPr><w:cantSplit /><w:tblHeader/></w:trPr>")))
        );
        let plain = doc(&format!("<w:tbl>{}{}</w:tbl>", row("<w:trPr />"), "<w:tr><w:tc><w:p /></w:tc></w:tr>"));
        assert_eq!(
            repeat_header_rows(&plain),
            doc(&format!(
                "<w:tbl>{}{}</w:tbl>",
                row("<w:trPr><w:cantSplit/></w:trPr>"),
                "<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:p /></w:tc></w:tr>"
            ))
        );
    }

    /// What docx-rs 0.4.22 writes for a `TableOfContents` with items
    /// (entries shortened), then the section the TOC is in.
    fn docx_rs_toc() -> String {
        doc(concat!(
            r#"<w:p><w:r><w:t>目录</w:t></w:r></w:p>"#,
            r#"<w:sdt><w:sdtPr><w:rPr /><w:alias w:val="目录" /></w:sdtPr><w:sdtContent><w:sdt><w:sdtPr /><w:sdtContent>"#,
            r#"<w:p><w:pPr><w:rPr /><w:pStyle w:val="ToC1" /><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="80000" />"#,
            r#"</w:tabs></w:pPr><w:r><w:rPr /><w:fldChar w:fldCharType="begin" w:dirty="true" />"#,
            r#"<w:instrText>TOC \o &quot;1-3&quot; \h</w:instrText><w:fldChar w:fldCharType="separate" /></w:r>"#,
            r#"<w:r><w:t>一、基本情况</w:t></w:r></w:p>"#,
            r#"<w:p><w:pPr><w:rPr /><w:pStyle w:val="ToC1" /></w:pPr><w:r><w:rPr /><w:fldChar w:fldCharType="end" /></w:r></w:p>"#,
            r#"</w:sdtContent></w:sdt></w:sdtContent></w:sdt>"#,
            r#"<w:p><w:pPr><w:sectPr><w:pgSz w:w="11906" w:h="16838" />"#,
            r#"<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:gutter="0" /></w:sectPr></w:pPr></w:p>"#,
            r#"<w:sectPr><w:pgSz w:w="16838" w:h="11906" /><w:pgMar w:right="1000" w:left="1000" /></w:sectPr>"#
        ))
    }

    #[test]
    fn toc_sdt_marks_docx_rs_toc_and_unwraps_the_inner_sdt() {
        let out = toc_sdt(&docx_rs_toc());
        let expected = docx_rs_toc()
            .replace(
                r#"<w:alias w:val="目录" /></w:sdtPr>"#,
                concat!(
                    r#"<w:alias w:val="目录" /><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>"#,
                    r#"<w:docPartUnique/></w:docPartObj></w:sdtPr>"#
                ),
            )
            .replace(r#"<w:sdtContent><w:sdt><w:sdtPr /><w:sdtContent>"#, "<w:sdtContent>")
            .replace(r#"</w:sdtContent></w:sdt></w:sdtContent></w:sdt>"#, "</w:sdtContent></w:sdt>")
            // 11906 − 1588 − 1474: the text width of the TOC's own section.
            .replace(r#"w:pos="80000""#, r#"w:pos="8844""#);
        assert_eq!(out, expected);
        assert_eq!(toc_sdt(&out), out, "a marked TOC stays as it is");
    }

    #[test]
    fn toc_sdt_wraps_a_toc_written_without_sdt() {
        let field = concat!(
            r#"<w:p><w:r><w:fldChar w:fldCharType="begin" /><w:instrText>TOC \o "1-3"</w:instrText>"#,
            r#"<w:fldChar w:fldCharType="separate" /></w:r><w:r><w:t>一、</w:t></w:r><w:r><w:fldChar w:fldCharType="begin" />"#,
            r#"<w:instrText>PAGEREF _Toc1 \h</w:instrText><w:fldChar w:fldCharType="end" /></w:r></w:p>"#,
            r#"<w:p><w:r><w:t>二、</w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:fldChar w:fldCharType="end" /></w:r></w:p>"#,
        );
        let before = r#"<w:p><w:r><w:t>目录</w:t></w:r></w:p>"#;
        let after = r#"<w:p><w:r><w:t>正文</w:t></w:r></w:p>"#;
        let out = toc_sdt(&doc(&format!("{before}{field}{after}")));
        let sdt = concat!(
            r#"<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/>"#,
            r#"</w:docPartObj></w:sdtPr><w:sdtContent>"#
        );
        assert_eq!(out, doc(&format!("{before}{sdt}{field}</w:sdtContent></w:sdt>{after}")));
        assert_eq!(toc_sdt(&out), out);
    }

    #[test]
    fn toc_sdt_leaves_documents_without_a_toc_alone() {
        let xml = doc(concat!(
            r#"<w:p><w:r><w:fldChar w:fldCharType="begin" /><w:instrText> PAGE </w:instrText>"#,
            r#"<w:fldChar w:fldCharType="end" /></w:r></w:p><w:p><w:r><w:instrText>TOCX</w:instrText></w:r></w:p>"#
        ));
        assert_eq!(toc_sdt(&xml), xml);
        // An unterminated TOC field is not wrapped.
        let open = doc(r#"<w:p><w:r><w:fldChar w:fldCharType="begin" /><w:instrText>TOC</w:instrText></w:r></w:p>"#);
        assert_eq!(toc_sdt(&open), open);
    }

    #[test]
    fn update_fields_at_its_schema_place() {
        let xml = settings(
            r#"<w:zoom w:percent="100" /><w:defaultTabStop w:val="840" /><w:compat><w:useFELayout /></w:compat>"#,
        );
        let out = update_fields_on_open(&xml);
        assert_eq!(
            out,
            settings(concat!(
                r#"<w:zoom w:percent="100" /><w:defaultTabStop w:val="840" /><w:updateFields w:val="true"/>"#,
                r#"<w:compat><w:useFELayout /></w:compat>"#
            ))
        );
        assert_eq!(update_fields_on_open(&out), out);
        let off = settings(r#"<w:updateFields w:val="false" /><w:compat />"#);
        assert_eq!(update_fields_on_open(&off), settings(r#"<w:updateFields w:val="true"/><w:compat />"#));
        assert_eq!(update_fields_on_open(&settings("")), settings(r#"<w:updateFields w:val="true"/>"#));
        // Not a settings part: unchanged.
        assert_eq!(update_fields_on_open(&doc("")), doc(""));
    }

    #[test]
    fn fix_parts_applies_everything_and_is_idempotent() {
        let document = doc(&format!(
            "{}<w:tbl><w:tblPr /><w:tblGrid />{}</w:tbl>",
            body(&docx_rs_toc()),
            row("<w:trPr><w:trHeight w:val=\"400\" /><w:cantSplit /></w:trPr>")
        ));
        let styles =
            format!(r#"<w:styles xmlns:w="{W_NS}"><w:style><w:rPr /><w:name w:val="a" /></w:style></w:styles>"#);
        let numbering = format!(r#"<w:numbering xmlns:w="{W_NS}" />"#);
        let settings = settings(r#"<w:defaultTabStop w:val="840" /><w:zoom w:percent="100" />"#);
        let fixed = fix_parts(&document, &styles, &numbering, &settings);
        assert!(fixed.0.contains("<w:trPr><w:cantSplit /><w:trHeight w:val=\"400\" /><w:tblHeader/></w:trPr>"));
        assert!(fixed.0.contains(r#"<w:docPartGallery w:val="Table of Contents"/>"#));
        assert!(fixed.0.contains(r#"<w:pPr><w:pStyle w:val="ToC1" /><w:tabs>"#));
        assert!(fixed.1.contains(r#"<w:style><w:name w:val="a" /><w:rPr /></w:style>"#));
        assert_eq!(fixed.2, numbering);
        assert!(fixed
            .3
            .contains(r#"<w:zoom w:percent="100" /><w:defaultTabStop w:val="840" /><w:updateFields w:val="true"/>"#));
        assert_eq!(fix_parts(&fixed.0, &fixed.1, &fixed.2, &fixed.3), fixed);
    }

    #[test]
    fn attribute_edits() {
        let tag = r#"<w:gridCol w:w="1800"  w:type='dxa' />"#;
        assert_eq!(remove_attr(tag, "w:type").unwrap(), r#"<w:gridCol w:w="1800" />"#);
        assert_eq!(remove_attr(tag, "w:x"), None);
        assert_eq!(set_attr(tag, "w:w", "9000").unwrap(), r#"<w:gridCol w:w="9000"  w:type='dxa' />"#);
        assert_eq!(set_attr(r#"<w:a w:v="" />"#, "w:v", "1").unwrap(), r#"<w:a w:v="1" />"#);
    }
}
