//! The structure templates produce — one block per line (see
//! `templates/report/README.md`) — read into [`Block`]s that the DOCX writer
//! styles. Templates never write XML.

/// One block of the report.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Title(String),
    Subtitle(String),
    /// Heading level 1–4 (`#` … `####`).
    Heading(u8, String),
    Paragraph(String),
    NoIndent(String),
    Center(String),
    Right(String),
    Caption(String),
    /// The title of a front page (`报告撰写说明`, `目录`): larger than the body.
    PageTitle(String),
    /// A paragraph whose lines all start this many characters in (`@indent 5 二级审核：…`
    /// under `质量控制：一级审核：…`).
    Indent(u8, String),
    /// Vertical space of this many body lines (to lay out a cover).
    Space(u8),
    Note(String),
    Table(String),
    Chart(String),
    PageBreak,
    /// The 目录, listing headings down to this level (`@toc 2`, the default; `@toc 3`).
    Toc(u8),
    FrontMatterEnd,
    /// What follows is on landscape pages (wide tables), until `Portrait`.
    Landscape,
    /// Back to portrait pages.
    Portrait,
}

impl Block {
    /// The block with `f` applied to the text it prints (not to the name of
    /// a table or a chart it places).
    pub fn map_text(self, f: impl Fn(&str) -> String) -> Block {
        use Block::*;
        match self {
            Title(t) => Title(f(&t)),
            Subtitle(t) => Subtitle(f(&t)),
            Heading(level, t) => Heading(level, f(&t)),
            Paragraph(t) => Paragraph(f(&t)),
            NoIndent(t) => NoIndent(f(&t)),
            Center(t) => Center(f(&t)),
            Right(t) => Right(f(&t)),
            Caption(t) => Caption(f(&t)),
            PageTitle(t) => PageTitle(f(&t)),
            Indent(n, t) => Indent(n, f(&t)),
            Note(t) => Note(f(&t)),
            other => other,
        }
    }
}

/// A line of a rendered template that is not a block: `part` is the
/// template's name, `line` counts from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BlockError {
    #[error("{part} 第{line}行：标题最多四级（####）。")]
    HeadingTooDeep { part: String, line: usize },
    #[error("{part} 第{line}行：@indent / @space 后应写 0–20 / 0–30 的整数（如“@space 3”）。")]
    BadCount { part: String, line: usize },
    #[error("{part}：段落、标题和表格超过 {limit} 个，已停止（模板中可能有失控的循环）。")]
    TooMany { part: String, limit: usize },
    #[error("{part} 第{line}行：未知的指令“{directive}”。")]
    UnknownDirective { part: String, line: usize, directive: String },
}

/// Parse a rendered template. Unknown `@directives` are errors naming the line.
pub fn parse(text: &str, part: &str) -> Result<Vec<Block>, BlockError> {
    parse_bounded(text, part, usize::MAX)
}

/// As [`parse`], refusing more than `limit` blocks.
pub fn parse_bounded(text: &str, part: &str, limit: usize) -> Result<Vec<Block>, BlockError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if out.len() >= limit {
            return Err(BlockError::TooMany { part: part.to_string(), limit });
        }
        let rest = |p: &str| line[p.len()..].trim().to_string();
        let block = if let Some(h) = line.strip_prefix('#') {
            let level = 1 + h.chars().take_while(|c| *c == '#').count();
            if level > 4 {
                return Err(BlockError::HeadingTooDeep { part: part.to_string(), line: i + 1 });
            }
            Block::Heading(level as u8, line.trim_start_matches('#').trim().to_string())
        } else if line.starts_with('@') {
            let word = line.split_whitespace().next().unwrap_or("");
            match word {
                "@title" => Block::Title(rest("@title")),
                "@subtitle" => Block::Subtitle(rest("@subtitle")),
                "@center" => Block::Center(rest("@center")),
                "@right" => Block::Right(rest("@right")),
                "@noindent" => Block::NoIndent(rest("@noindent")),
                "@caption" => Block::Caption(rest("@caption")),
                "@pagetitle" => Block::PageTitle(rest("@pagetitle")),
                "@indent" => {
                    let r = rest("@indent");
                    let (n, text) = r.split_once(char::is_whitespace).unwrap_or((r.as_str(), ""));
                    match n.parse::<u8>() {
                        Ok(n) if n <= 20 => Block::Indent(n, text.trim().to_string()),
                        _ => return Err(BlockError::BadCount { part: part.to_string(), line: i + 1 }),
                    }
                }
                "@space" => match rest("@space").parse::<u8>() {
                    Ok(n) if n <= 30 => Block::Space(n),
                    _ => return Err(BlockError::BadCount { part: part.to_string(), line: i + 1 }),
                },
                "@note" => Block::Note(rest("@note")),
                "@table" => Block::Table(rest("@table")),
                "@chart" => Block::Chart(rest("@chart")),
                "@pagebreak" => Block::PageBreak,
                "@toc" => Block::Toc(rest("@toc").parse().ok().filter(|d| (1..=4).contains(d)).unwrap_or(2)),
                "@frontmatter-end" => Block::FrontMatterEnd,
                "@landscape" => Block::Landscape,
                "@portrait" => Block::Portrait,
                other => {
                    return Err(BlockError::UnknownDirective {
                        part: part.to_string(),
                        line: i + 1,
                        directive: other.to_string(),
                    })
                }
            }
        } else {
            Block::Paragraph(line.to_string())
        };
        out.push(block);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_to_blocks() {
        let b =
            parse("@title 报告\n\n# 一、部门概况\n## （一）基本情况\n正文。\n@table 1-1\n@pagebreak\n", "t").unwrap();
        assert_eq!(
            b,
            [
                Block::Title("报告".into()),
                Block::Heading(1, "一、部门概况".into()),
                Block::Heading(2, "（一）基本情况".into()),
                Block::Paragraph("正文。".into()),
                Block::Table("1-1".into()),
                Block::PageBreak
            ]
        );
        assert_eq!(parse("@oops x", "t.j2").unwrap_err().to_string(), "t.j2 第1行：未知的指令“@oops”。");
        assert_eq!(
            parse("@space 3\n@indent 5 二级审核：甲\n@pagetitle 目录", "t").unwrap(),
            [Block::Space(3), Block::Indent(5, "二级审核：甲".into()), Block::PageTitle("目录".into())]
        );
        assert_eq!(parse("@space x", "t.j2").unwrap_err(), BlockError::BadCount { part: "t.j2".into(), line: 1 });
        assert_eq!(parse("@indent 99 x", "t.j2").unwrap_err(), BlockError::BadCount { part: "t.j2".into(), line: 1 });
        assert_eq!(
            parse("正文\n##### 五级", "t.j2").unwrap_err(),
            BlockError::HeadingTooDeep { part: "t.j2".into(), line: 2 }
        );
    }
}
