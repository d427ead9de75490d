//! The blank, documented working paper (评价底稿.xlsx) of `jixiao init`:
//! one sheet per kind of content, a header row of plain Chinese column
//! names, dropdowns for rule names, indicators, purposes and grades, and a
//! 说明 sheet explaining every column.

use std::path::Path;

use rust_xlsxwriter::{
    DataValidation, DocProperties, Format, FormatAlign, FormatBorder, Formula, Worksheet, XlsxError,
};

use rust_xlsxwriter::DataValidationErrorStyle;

use crate::report_kind::Kind;
use crate::score::{Family, System};
use crate::system::needs::Need;
use crate::templates::TextNeed;

/// What a blank paper is written for: the report kind, the indicator
/// system (expanded with the evaluated project's targets when they are
/// known), and the texts the kind's templates print.
pub struct Blank<'a> {
    pub systems: &'a [System],
    pub system: Option<&'a System>,
    /// Write the system's name in 项目信息 › 指标体系 (not when the kind brings it).
    pub name_system: bool,
    pub kind: Kind,
    pub texts: Vec<TextNeed>,
    /// 项目信息 › 评价项目, when the folder holds one project's 自评表.
    pub project: Option<String>,
}

/// A sheet of the working paper: its name, what it holds, and its columns
/// with their explanation.
pub type SheetLayout = (&'static str, &'static str, &'static [(&'static str, &'static str)]);

/// Sheet → columns with their explanation. The same names `ingest` reads.
pub const LAYOUT: &[SheetLayout] = &[
    ("项目信息", "案例的基本信息，每行一项。", &[("项目", "信息名称（已列出，勿改）"), ("内容", "填写内容；“指标体系”一行从下拉列表选择内置指标体系，或留空并填写“指标体系”表")]),
    ("评价人员", "表2-1 评价人员名单及任务职责。", &[("姓名", "评价组成员姓名"), ("职务", "职务或职称"), ("工作内容", "在本次评价中承担的工作")]),
    ("时间安排", "表2-2 评价时间及进度安排。", &[("阶段", "如：前期准备、现场评价、报告撰写"), ("内容", "该阶段的工作内容"), ("完成时间", "如：2025年10月")]),
    (
        "指标体系",
        "仅当不使用内置指标体系时填写：每行一条规则，一级/二级指标在首行写明分值，如“财政资源配置（12）”；三级指标留空的行是上一指标的另一条规则。",
        &[
            ("一级指标", "一级指标名称（分值）"),
            ("二级指标", "二级指标名称（分值）"),
            ("三级指标", "三级指标名称"),
            ("分值", "三级指标分值，全部合计 100"),
            ("指标解释", "附件1 指标解释"),
            ("评分办法", "附件1 评分办法（印在报告中）"),
            ("数据来源", "附件1 数据来源"),
            ("规则", "机器评分规则，从下拉列表选择（见 templates/indicator-systems/README.md）"),
            ("参数", "规则参数，“名称=值”用分号隔开，如 metric=预算执行率偏差; bands=≤5:1, ≤10:0.75, else:0"),
        ],
    ),
    (
        "事实",
        "部门报表中没有、评分需要的数据：6/9/11月底支出、全年预算数、年中调剂金额、资产、参保人数、考核等级、公开日期等。",
        &[("名称", "事实名称（评分规则按名称引用，须一字不差）"), ("数值", "数字或文字（如“良好”）"), ("单位", "如 万元、人、%"), ("说明", "来源或口径")],
    ),
    ("问卷", "满意度问卷：每题每个选项一行。", &[("题目", "问卷题目"), ("选项", "如 满意、较满意、一般、不满意"), ("权重", "该选项计入满意度的权重，如 1、0.75、0.5、0"), ("人数", "选择该选项的人数")]),
    (
        "发现",
        "评价发现：每条一行，扣分从所属三级指标中扣除；扣分为 0 的行是满分说明，会写入得失分依据。",
        &[("三级指标", "从下拉列表选择"), ("子项", "指标有子项时填写，如 ①"), ("扣分", "本条扣分，不得超过指标分值"), ("问题描述", "问题事实与依据（写入得分表和问题清单）"), ("主题", "所属问题主题的序号（见“主题”表）")],
    ),
    ("主题", "报告第五、六章的问题主题。", &[("序号", "1、2、3…"), ("标题", "问题标题"), ("原因分析", "原因分析"), ("具体表现", "具体表现"), ("建议", "对应的建议（第六章）"), ("建议标题", "第六章该条建议的标题，如“规范财务管理，筑牢内控管理防线”；不填则用问题标题")]),
    (
        "抽查项目",
        "抽查复评（项目支出绩效复评）和实际绩效评价的项目。",
        &[
            ("项目名称", "与预算表十一中的项目名称一致"),
            ("用途", "复评 或 实际绩效"),
            ("预算金额", "万元"),
            ("自评等级", "部门自评等级（有项目支出绩效自评表时以复核结果为准）"),
            ("复评等级", "评价组复评等级"),
            ("评价等级", "实际绩效评价等级"),
            ("原因", "等级差异或评价结论的原因"),
        ],
    ),
    (
        "转移支付",
        "表3-2 转移支付资金执行情况（万元）。",
        &[("项目", "项目名称"), ("文号", "资金下达文号"), ("中央下达", ""), ("省级下达", ""), ("市级下达", ""), ("中央支出", ""), ("省级支出", ""), ("市级支出", "")],
    ),
    (
        "单位数据",
        "按单位的数据（仅当指标体系有 unit_share 规则时生成）：每个区县、定点机构或下属单位一行，第一列为单位名称，其余各列为规则读取的数据，列名与规则的 column 一致。",
        &[("单位", "单位名称，每个单位一行"), ("（数据列）", "指标体系读取的各列，如“实行DRG付费机构数”，填数字")],
    ),
    ("文字", "报告中的文字段落：部门主要职责、机构设置、人员情况、中长期目标、年度重点工作、绩效目标情况、主要成效及做法、评价结论等。", &[("名称", "段落名称"), ("内容", "段落全文"), ("用途", "报告模板中印出该段的位置（生成时已列出必填的段落）")]),
];

/// The rows pre-filled in 项目信息.
pub const INFO_ROWS: &[&str] = &[
    "评价对象",
    "评价年度",
    "委托方",
    "评价机构",
    "主评人",
    "项目负责人",
    "机构负责人",
    "一级审核",
    "二级审核",
    "三级审核",
    "评估组成员",
    "报告日期",
    "指标体系",
    "项目责任单位",
    "上年决算文件",
    "报告类型",
];

/// Write a blank working paper of the default kind. `system` fills the
/// indicator dropdown of 发现.
pub fn write_blank(path: &Path, systems: &[System], system: Option<&System>) -> Result<(), XlsxError> {
    let kind = crate::report_kind::default_kind();
    let texts = crate::templates::default_texts();
    write_paper(path, &Blank { systems, system, name_system: true, kind, texts, project: None })
}

/// Write a blank working paper for `blank`'s kind and system.
pub fn write_paper(path: &Path, blank: &Blank) -> Result<(), XlsxError> {
    let system = blank.system;
    let mut wb = crate::render::annex::workbook(DocProperties::new().set_title("评价底稿"))?;
    let header = Format::new()
        .set_bold()
        .set_background_color("#DDEBF7")
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let bold = Format::new().set_bold();

    // 说明 first.
    write_guide(wb.add_worksheet().set_name("说明")?, &header, &wrap, &bold)?;

    // The lists behind the dropdowns, on a hidden sheet.
    let lists = dropdown_lists(blank);
    let range = |i: usize, len: usize| {
        Formula::new(format!("=下拉选项!${col}$2:${col}${}", len.max(1) + 1, col = crate::model::column_name(i as u32)))
    };
    let validations: Vec<Formula> = lists.iter().enumerate().map(|(i, (_, v))| range(i, v.len())).collect();

    let units = unit_columns(system);
    for (sheet, _, cols) in LAYOUT {
        if *sheet == "单位数据" {
            if !units.is_empty() {
                write_units(wb.add_worksheet().set_name(*sheet)?, &units, &header)?;
            }
            continue;
        }
        let ws = wb.add_worksheet().set_name(*sheet)?;
        write_column_headers(ws, cols, &header)?;
        let col_of = |name: &str| cols.iter().position(|(n, _)| *n == name).map(|c| c as u16);
        let list = |ws: &mut Worksheet, col: Option<u16>, which: usize, rows: (u32, u32)| {
            add_list(ws, col, &validations[which], rows)
        };
        match *sheet {
            "项目信息" => write_info(ws, blank, &validations)?,
            "事实" => prefill_facts(ws, system, &wrap)?,
            "文字" => prefill_texts(ws, &blank.texts, &wrap)?,
            "发现" => findings_list(ws, col_of("三级指标"), &validations[0], system)?,
            "指标体系" => list(ws, col_of("规则"), 2, (1, 1000))?,
            "抽查项目" => {
                list(ws, col_of("用途"), 3, (1, 200))?;
                for g in ["自评等级", "复评等级", "评价等级"] {
                    list(ws, col_of(g), 4, (1, 200))?;
                }
            }
            _ => {}
        }
    }
    let ws = wb.add_worksheet().set_name("下拉选项")?;
    for (i, (name, values)) in lists.iter().enumerate() {
        ws.write_string(0, i as u16, *name)?;
        for (j, v) in values.iter().enumerate() {
            ws.write_string(j as u32 + 1, i as u16, v)?;
        }
    }
    ws.set_hidden(true);
    for (table, columns, rows) in data_tables(system) {
        let ws = wb.add_worksheet().set_name(format!("表：{table}"))?;
        write_data_table(ws, &columns, &rows, &header)?;
    }
    wb.save(path)
}

/// The 说明 sheet: what each sheet and column holds.
fn write_guide(ws: &mut Worksheet, header: &Format, wrap: &Format, bold: &Format) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, "评价底稿填写说明", &Format::new().set_bold().set_font_size(14))?;
    ws.write_string_with_format(1, 0, "本工作簿是评价人员唯一需要填写的文件。jixiao 读取部门报表和本底稿，计算得分并生成报告与附件。各表第一行为列名，请勿修改列名；行的顺序不限，空行会被忽略。", wrap)?;
    ws.merge_range(1, 0, 1, 2, "", wrap)?;
    ws.set_row_height(1, 45)?;
    let mut r = 3;
    for (s, c) in [("工作表", 0), ("列", 1), ("说明", 2)] {
        ws.write_string_with_format(r, c, s, header)?;
    }
    for (sheet, about, cols) in LAYOUT {
        r += 1;
        ws.write_string_with_format(r, 0, *sheet, bold)?;
        ws.write_string_with_format(r, 2, *about, wrap)?;
        for (col, doc) in cols.iter() {
            r += 1;
            ws.write_string(r, 1, *col)?;
            ws.write_string_with_format(r, 2, *doc, wrap)?;
        }
    }
    ws.set_column_width(0, 12)?.set_column_width(1, 14)?.set_column_width(2, 90)?;
    Ok(())
}

/// The dropdown lists, in the columns of 下拉选项: 指标, 指标体系, 规则,
/// 用途, 等级, 报告类型. 指标 holds the generated indicators too (not the
/// placeholders of those still waiting for the project's targets).
fn dropdown_lists(blank: &Blank) -> [(&'static str, Vec<String>); 6] {
    let indicator_names: Vec<String> = blank
        .system
        .map(|s| s.indicators.iter().filter(|i| !awaits_targets(i)).map(|i| i.name.clone()).collect())
        .unwrap_or_default();
    let system_names: Vec<String> = blank.systems.iter().map(|s| s.name.clone()).collect();
    let mut kinds: Vec<String> = crate::report_kind::shipped().into_iter().map(|k| k.name).collect();
    if !kinds.contains(&blank.kind.name) {
        kinds.push(blank.kind.name.clone());
    }
    [
        ("指标", indicator_names),
        ("指标体系", system_names),
        ("规则", Family::ALL.iter().map(|f| f.name().to_string()).collect()),
        ("用途", vec!["复评".into(), "实际绩效".into()]),
        ("等级", vec!["优".into(), "良".into(), "中".into(), "差".into()]),
        ("报告类型", kinds),
    ]
}

/// A sheet's header row, wide columns for long texts, frozen.
fn write_column_headers(ws: &mut Worksheet, cols: &[(&str, &str)], header: &Format) -> Result<(), XlsxError> {
    for (c, (name, _)) in cols.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *name, header)?;
        let width =
            if ["内容", "问题描述", "原因分析", "具体表现", "建议", "评分办法", "指标解释", "参数", "说明", "原因"]
                .contains(name)
            {
                50
            } else {
                14
            };
        ws.set_column_width(c as u16, width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// A dropdown from `formula` on column `col`, rows `rows.0..=rows.1`.
fn add_list(ws: &mut Worksheet, col: Option<u16>, formula: &Formula, rows: (u32, u32)) -> Result<(), XlsxError> {
    if let Some(c) = col {
        let dv = DataValidation::new().allow_list_formula(formula.clone()).ignore_blank(true);
        ws.add_data_validation(rows.0, c, rows.1, c, &dv)?;
    }
    Ok(())
}

/// The 事实 the chosen system reads, pre-listed with their indicator and unit.
fn prefill_facts(ws: &mut Worksheet, system: Option<&System>, wrap: &Format) -> Result<(), XlsxError> {
    let facts = system.map(crate::system::needs::needs).unwrap_or_default();
    let mut row = 1u32;
    for need in facts {
        let (name, unit, indicator) = match need {
            // A cell of a data table is typed on its 表： sheet, not as a 事实.
            Need::Fact { name, .. } if crate::system::needs::table_cell(&name).is_some() => continue,
            crate::system::needs::Need::Fact { name, unit, indicator, .. } => (name, unit, indicator),
            crate::system::needs::Need::FullYearBudget { indicator, .. } => {
                ("全年预算数".to_string(), "万元".to_string(), indicator)
            }
            _ => continue,
        };
        ws.write_string(row, 0, &name)?;
        ws.write_string(row, 2, &unit)?;
        ws.write_string_with_format(row, 3, format!("用于指标“{indicator}”"), wrap)?;
        row += 1;
    }
    Ok(())
}

/// The texts the report templates declare, pre-listed with where they are printed.
fn prefill_texts(ws: &mut Worksheet, texts: &[TextNeed], wrap: &Format) -> Result<(), XlsxError> {
    for (row, need) in (1u32..).zip(texts.iter().filter(|n| n.is_text())) {
        ws.write_string(row, 0, &need.name)?;
        ws.write_string_with_format(row, 2, format!("模板 {}", need.part), wrap)?;
    }
    Ok(())
}

/// 项目信息: the rows (评价项目 too when the kind or the system reads one
/// project), the system and the kind named, dropdowns on both.
fn write_info(ws: &mut Worksheet, blank: &Blank, validations: &[Formula]) -> Result<(), XlsxError> {
    let reads_project = blank.kind.title.contains("{评价项目}")
        || blank
            .system
            .is_some_and(|s| crate::system::needs::needs(s).iter().any(|n| matches!(n, Need::ProjectForm { .. })));
    let mut rows: Vec<&str> = INFO_ROWS.to_vec();
    if reads_project {
        let at = rows.iter().position(|k| *k == "评价对象").map_or(0, |i| i + 1);
        rows.insert(at, "评价项目");
    }
    for (r, k) in (1u32..).zip(rows.iter()) {
        ws.write_string(r, 0, *k)?;
        let value = match *k {
            "指标体系" if blank.name_system => blank.system.map(|s| s.name.clone()),
            "报告类型" => Some(blank.kind.name.clone()),
            "评价项目" => blank.project.clone(),
            _ => None,
        };
        if let Some(v) = value {
            ws.write_string(r, 1, &v)?;
        }
    }
    let row_of = |name: &str| rows.iter().position(|k| *k == name).unwrap_or(0) as u32 + 1;
    add_list(ws, Some(1), &validations[1], (row_of("指标体系"), row_of("指标体系")))?;
    // A kind of one's own is a folder name: typed, so a warning only.
    let kind_row = row_of("报告类型");
    let dv = DataValidation::new()
        .allow_list_formula(validations[5].clone())
        .ignore_blank(true)
        .set_error_style(DataValidationErrorStyle::Warning)
        .set_error_message(
            "不是内置的报告类型：自定义的报告类型是案例文件夹中（或其“报告类型”文件夹中）同名、含 kind.toml 的文件夹。",
        )?;
    ws.add_data_validation(kind_row, 1, kind_row, 1, &dv)?;
    Ok(())
}

/// The 发现 › 三级指标 dropdown. While generated indicators still wait for
/// the project's targets, other names may be typed (a warning, not a stop).
fn findings_list(
    ws: &mut Worksheet,
    col: Option<u16>,
    formula: &Formula,
    system: Option<&System>,
) -> Result<(), XlsxError> {
    let Some(c) = col else { return Ok(()) };
    let waiting: Vec<&str> = system
        .map(|s| s.indicators.iter().filter(|i| awaits_targets(i)).map(|i| i.level1.as_str()).collect())
        .unwrap_or_default();
    let mut dv = DataValidation::new().allow_list_formula(formula.clone()).ignore_blank(true);
    if !waiting.is_empty() {
        dv = dv.set_error_style(DataValidationErrorStyle::Warning).set_error_message(format!(
            "{}的三级指标按评价项目的绩效目标生成，名称即目标名称：把项目支出绩效自评表放入案例文件夹后运行 jixiao init --force 可列入下拉列表。",
            waiting.join("、")
        ))?;
    }
    ws.add_data_validation(1, c, 1000, c, &dv)?;
    Ok(())
}

/// A generated indicator still waiting for the project's targets (the
/// placeholder `System::expanded(None)` leaves).
pub fn awaits_targets(ind: &crate::score::Indicator) -> bool {
    ind.rules.iter().any(|r| r.family == Family::Target && r.params.get("indicator").unwrap_or_default().is_empty())
}

/// The 单位数据 columns the system reads (a formula's operands, each).
fn unit_columns(system: Option<&System>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for need in system.map(crate::system::needs::needs).unwrap_or_default() {
        let Need::Units { column, .. } = need else { continue };
        let names = match crate::system::expr::Expr::parse(&column) {
            Ok(e) if crate::system::expr::is_expression(&column) => e.names(),
            _ => vec![column],
        };
        for n in names.into_iter().filter(|n| !n.trim().is_empty()) {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out
}

/// The 单位数据 sheet: 单位 and the columns the system reads.
fn write_units(ws: &mut Worksheet, columns: &[String], header: &Format) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, "单位", header)?;
    ws.set_column_width(0, 24)?;
    for (c, name) in (1u16..).zip(columns) {
        ws.write_string_with_format(0, c, name, header)?;
        ws.set_column_width(c, 16)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The data tables the system's formulas read: (表名, columns, row labels).
fn data_tables(system: Option<&System>) -> Vec<(String, Vec<String>, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>, Vec<String>)> = Vec::new();
    for need in system.map(crate::system::needs::needs).unwrap_or_default() {
        let Need::Fact { name, .. } = need else { continue };
        let Some((table, column, row)) = crate::system::needs::table_cell(&name) else { continue };
        let at = match out.iter().position(|(t, _, _)| t == table) {
            Some(i) => i,
            None => {
                out.push((table.to_string(), Vec::new(), Vec::new()));
                out.len() - 1
            }
        };
        let (_, columns, rows) = &mut out[at];
        if !columns.iter().any(|c| c == column) {
            columns.push(column.to_string());
        }
        if !rows.iter().any(|r| r == row) {
            rows.push(row.to_string());
        }
    }
    out
}

/// A `表：` sheet: 项目 and the columns, the rows the formulas read listed.
fn write_data_table(ws: &mut Worksheet, columns: &[String], rows: &[String], header: &Format) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, "项目", header)?;
    ws.set_column_width(0, 20)?;
    for (c, name) in (1u16..).zip(columns) {
        ws.write_string_with_format(0, c, name, header)?;
        ws.set_column_width(c, 14)?;
    }
    for (r, label) in (1u32..).zip(rows) {
        ws.write_string(r, 0, label)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}
