//! The `jixiao` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use jixiao::model::Case;

/// Print to stdout; a closed pipe (`jixiao … --json | head`) ends the
/// program quietly instead of panicking.
fn out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(text.as_bytes()).and_then(|_| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
}

macro_rules! outln {
    () => { out("\n") };
    ($($t:tt)*) => { out(&format!("{}\n", format_args!($($t)*))) };
}

macro_rules! outp {
    ($($t:tt)*) => { out(&format!($($t)*)) };
}

#[derive(Parser)]
#[command(name = "jixiao", version, about = "预算绩效评价报告流水线：部门报表 → 勾稽校验 → 指标评分 → 报告与附件")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 列出在工作簿中找到的表（文件 › 工作表 › 区域）和无法识别的工作表
    Inspect {
        /// 一个工作簿，或一个案例文件夹
        path: PathBuf,
        /// 输出整个规范化模型（JSON）
        #[arg(long)]
        json: bool,
    },
    /// 按指标体系评分：打印一级指标得分、总分和等级
    Score {
        /// 案例文件夹（部门报表 + 评价底稿）
        path: PathBuf,
        /// 以 JSON 输出完整评分结果（每个三级指标的得分与得失分依据、问题清单）
        #[arg(long)]
        json: bool,
        /// 指标体系文件（.toml），代替评价底稿“项目信息”中指定的指标体系
        #[arg(long, value_name = "文件")]
        system: Option<PathBuf>,
        /// 报告类型文件夹（含 kind.toml），代替评价底稿“项目信息”中的报告类型
        #[arg(long, value_name = "文件夹")]
        kind: Option<PathBuf>,
    },
    /// 生成评价报告（DOCX）、附件（XLSX）和评价结果 JSON；可一次处理多个案例文件夹
    Build {
        /// 案例文件夹，或包含多个案例文件夹的目录（可写多个）
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// 输出位置：一个案例时是它的输出文件夹，多个案例时是各案例输出文件夹的上级（默认 output/）
        #[arg(long)]
        out: Option<PathBuf>,
        /// 报告模板文件夹（覆盖内置模板中的同名文件）
        #[arg(long)]
        templates: Option<PathBuf>,
        /// 用 LibreOffice 排版填写目录页码（默认开启；多个案例一起排版，每份报告约 1 秒）
        #[arg(long, conflicts_with = "no_toc_pages")]
        toc_pages: bool,
        /// 不填写目录页码（目录页码由 Word 打开时更新）
        #[arg(long)]
        no_toc_pages: bool,
        /// 覆盖被人工修改过的输出文件（默认会另存为“（新版）”）
        #[arg(long)]
        force: bool,
        /// 并行的案例数（默认：每个 CPU 核心一个）
        #[arg(long, short = 'j')]
        jobs: Option<usize>,
        /// 指标体系文件（.toml），代替评价底稿“项目信息”中指定的指标体系
        #[arg(long, value_name = "文件")]
        system: Option<PathBuf>,
        /// 报告类型文件夹（含 kind.toml），代替评价底稿“项目信息”中的报告类型
        #[arg(long, value_name = "文件夹")]
        kind: Option<PathBuf>,
    },
    /// 重新生成附件（XLSX）和评价结果 JSON（不生成报告），并列出与上次相比的变化
    Annex {
        /// 案例文件夹
        path: PathBuf,
        /// 输出文件夹（默认 output/<案例文件夹名>）
        #[arg(long)]
        out: Option<PathBuf>,
        /// 覆盖被人工修改过的输出文件
        #[arg(long)]
        force: bool,
        /// 指标体系文件（.toml），代替评价底稿“项目信息”中指定的指标体系
        #[arg(long, value_name = "文件")]
        system: Option<PathBuf>,
        /// 报告类型文件夹（含 kind.toml），代替评价底稿“项目信息”中的报告类型
        #[arg(long, value_name = "文件夹")]
        kind: Option<PathBuf>,
    },
    /// 监视案例文件夹：工作簿或模板一有改动就重新生成报告和附件（Ctrl+C 退出）
    Watch {
        /// 案例文件夹
        path: PathBuf,
        /// 输出文件夹（默认 output/<案例文件夹名>）
        #[arg(long)]
        out: Option<PathBuf>,
        /// 覆盖被人工修改过的输出文件
        #[arg(long)]
        force: bool,
        /// 指标体系文件（.toml），代替评价底稿“项目信息”中指定的指标体系
        #[arg(long, value_name = "文件")]
        system: Option<PathBuf>,
        /// 报告类型文件夹（含 kind.toml），代替评价底稿“项目信息”中的报告类型
        #[arg(long, value_name = "文件夹")]
        kind: Option<PathBuf>,
    },
    /// 在文件夹中生成空白评价底稿（带下拉列表和填写说明）
    Init {
        /// 案例文件夹
        folder: PathBuf,
        /// 预置的指标体系：内置名称，或指标体系文件（.toml）（写入“项目信息”，并预列它需要的事实）
        #[arg(long)]
        system: Option<String>,
        /// 覆盖已有的评价底稿
        #[arg(long)]
        force: bool,
    },
    /// 只重新生成批量汇总（汇总表、综合绩效评价报告）：读取各案例输出文件夹中的评价结果.json，并列出与上次汇总相比的变化
    Summary {
        /// 包含多个案例文件夹的目录（与 build 时相同）
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// 输出位置：各案例输出文件夹的上级（与 build 时相同，默认 output/）
        #[arg(long)]
        out: Option<PathBuf>,
        /// 汇总报告模板文件夹（覆盖内置的 summary.j2）
        #[arg(long)]
        templates: Option<PathBuf>,
    },
    /// 在浏览器中使用：启动本机网页（只在 127.0.0.1 上），列出根文件夹中的案例，可上传工作簿、重新生成、下载报告
    Serve {
        /// 案例根文件夹（默认：当前文件夹下的“评价案例”）
        root: Option<PathBuf>,
        /// 端口（默认自动选择空闲端口）
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// 不自动打开浏览器
        #[arg(long)]
        no_browser: bool,
    },
    /// （内部）在独立进程中生成一个案例，供批量生成使用
    #[command(name = "__case", hide = true)]
    Case {
        path: PathBuf,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        templates: Vec<PathBuf>,
        #[arg(long)]
        toc_pages: bool,
        #[arg(long)]
        force: bool,
        /// Write the document for the batch's layout pass here (no layout in this process).
        #[arg(long)]
        layout_doc: Option<PathBuf>,
        /// The 目录's page numbers from the batch's layout pass (`1,1,4,…`).
        #[arg(long, value_delimiter = ',')]
        toc_numbers: Option<Vec<u32>>,
    },
    /// 检查一个指标体系（内置名称或 .toml 文件）：分值、规则、参数，并列出它需要的事实、报表、单位数据和问卷
    System {
        /// 内置指标体系的名称，或指标体系文件（.toml）
        system: String,
    },
    /// 勾稽核对与自评复核：列出数字对不上的地方和自评打分的问题
    Check {
        /// 案例文件夹（或一个工作簿）
        path: PathBuf,
        /// 以 JSON 输出全部核对结果
        #[arg(long)]
        json: bool,
        /// 指标体系文件（.toml），代替评价底稿“项目信息”中指定的指标体系
        #[arg(long, value_name = "文件")]
        system: Option<PathBuf>,
        /// 报告类型文件夹（含 kind.toml），代替评价底稿“项目信息”中的报告类型
        #[arg(long, value_name = "文件夹")]
        kind: Option<PathBuf>,
    },
}

/// clap's words in Chinese: headings, the help and version flags, on every command.
fn localise(cmd: clap::Command) -> clap::Command {
    use clap::{Arg, ArgAction};
    let is_root = cmd.get_name() == "jixiao";
    let mut cmd = cmd
        .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .next_help_heading("选项")
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .arg(Arg::new("help").short('h').long("help").action(ArgAction::Help).help("显示帮助"))
        .mut_args(|a| {
            let heading = if a.is_positional() { "参数" } else { "选项" };
            let value = match a.get_id().as_str() {
                "path" | "paths" | "folder" | "out" | "templates" => Some("文件夹"),
                "system" => Some("指标体系"),
                "jobs" => Some("数量"),
                _ => None,
            };
            match value {
                Some(v) => a.help_heading(heading).value_name(v),
                None => a.help_heading(heading),
            }
        });
    let usage = cmd.clone().render_usage().to_string().replace("Usage: ", "").replace("[OPTIONS]", "[选项]");
    let usage = if is_root { usage } else { format!("jixiao {usage}") };
    cmd = cmd.override_usage(usage);
    if is_root {
        cmd = cmd
            .disable_version_flag(true)
            .arg(Arg::new("version").short('V').long("version").action(ArgAction::Version).help("显示版本"));
    }
    cmd.mut_subcommands(localise)
}

/// A command-line mistake in Chinese; clap's English detail only with `-v`.
fn usage_error(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ErrorKind};
    let ctx = |k: ContextKind| e.get(k).map(|v| v.to_string()).unwrap_or_default();
    let suggestion = |k: ContextKind| match e.get(k) {
        Some(v) => format!("（是不是“{v}”？）"),
        None => String::new(),
    };
    let message = match e.kind() {
        ErrorKind::InvalidSubcommand => format!(
            "没有“{}”这个命令{}。可用：build、check、score、annex、inspect、init、watch。",
            ctx(ContextKind::InvalidSubcommand),
            suggestion(ContextKind::SuggestedSubcommand)
        ),
        ErrorKind::UnknownArgument => {
            format!("不认识的选项“{}”{}。", ctx(ContextKind::InvalidArg), suggestion(ContextKind::SuggestedArg))
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数 {}。", ctx(ContextKind::InvalidArg)),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "请给出一个命令，例如 jixiao build <案例文件夹>。".to_string()
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("选项 {} 的值“{}”无效。", ctx(ContextKind::InvalidArg), ctx(ContextKind::InvalidValue))
        }
        ErrorKind::ArgumentConflict => {
            format!("选项 {} 与 {} 不能同时使用。", ctx(ContextKind::InvalidArg), ctx(ContextKind::PriorArg))
        }
        _ => "命令行有误。".to_string(),
    };
    format!("错误：{message}用 jixiao --help 查看用法。")
}

fn main() -> ExitCode {
    let cmd = localise(Cli::command());
    let verbose = std::env::args().any(|a| a == "-v" || a == "--verbose");
    if verbose {
        // The library's messages add their English detail (template errors).
        std::env::set_var("JIXIAO_VERBOSE", "1");
    }
    // Double-clicked (no arguments at all): the page for staff, on the default folder.
    if std::env::args_os().len() == 1 {
        return serve(None, 0, false);
    }
    let args = std::env::args_os().filter(|a| a != "-v" && a != "--verbose");
    let cli = match cmd.try_get_matches_from(args).and_then(|m| Cli::from_arg_matches(&m)) {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if e.kind() == ErrorKind::DisplayVersion {
                outln!("jixiao {}", env!("CARGO_PKG_VERSION"));
                return ExitCode::SUCCESS;
            }
            if e.kind() == ErrorKind::DisplayHelp {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            eprintln!("{}", usage_error(&e));
            if verbose {
                eprintln!("\n（详细信息）\n{}", e.render());
            }
            return ExitCode::from(2);
        }
    };
    // `--system FILE` and `--kind DIR` of the commands that take them.
    let (system, kind) = match &cli.command {
        Command::Check { system, kind, .. }
        | Command::Score { system, kind, .. }
        | Command::Annex { system, kind, .. }
        | Command::Watch { system, kind, .. }
        | Command::Build { system, kind, .. } => (system.clone(), kind.clone()),
        _ => (None, None),
    };
    if let Some(dir) = kind {
        // Read by the library's kind selection, and inherited by the processes of a batch.
        if let Err(e) = jixiao::kind::load_dir(&dir) {
            eprintln!("错误：{e}");
            return ExitCode::from(2);
        }
        std::env::set_var("JIXIAO_KIND_DIR", dir.canonicalize().unwrap_or(dir));
    }
    if let Some(file) = system {
        // Read by the library's system selection, and inherited by the processes of a batch.
        if !file.is_file() {
            eprintln!("错误：找不到指标体系文件“{}”。请检查路径。", file.display());
            return ExitCode::from(2);
        }
        // The folder made absolute, the file's own name kept: a symbolic
        // link out of its folder is still seen (and refused) when read.
        let absolute = match file.file_name() {
            Some(name) => jixiao::confined::parent_of(&file).canonicalize().map(|d| d.join(name)).unwrap_or(file),
            None => file,
        };
        std::env::set_var("JIXIAO_SYSTEM_FILE", absolute);
    }
    match cli.command {
        Command::Inspect { path, json } => inspect(&path, json),
        Command::Check { path, json, .. } => check(&path, json),
        Command::Score { path, json, .. } => score(&path, json),
        Command::Annex { path, out, force, .. } => annex(&path, out, force),
        Command::Watch { path, out, force, .. } => watch(&path, out, force),
        Command::Build { paths, out, templates, toc_pages, no_toc_pages, force, jobs, .. } => {
            build(&paths, out, templates, (toc_pages, no_toc_pages), force, jobs.unwrap_or(0))
        }
        Command::System { system } => system_check(&system),
        Command::Summary { paths, out, templates } => summary(&paths, out, templates),
        Command::Serve { root, port, no_browser } => serve(root, port, no_browser),
        Command::Init { folder, system, force } => init(&folder, system.as_deref(), force),
        Command::Case { path, out, templates, toc_pages, force, layout_doc, toc_numbers } => {
            isolated_case(&path, &out, templates, toc_pages, force, layout_doc, toc_numbers)
        }
    }
}

/// `jixiao system`: a system (shipped name or file) validated, and what it needs.
fn system_check(name: &str) -> ExitCode {
    let loaded = match jixiao::system::load::shipped(name) {
        Some(s) => Ok(s),
        None => jixiao::system::load::system_file(std::path::Path::new(name)),
    };
    let system = match loaded {
        // Indicators generated from a project's targets stand as placeholders here.
        Ok(s) => s.expanded(None),
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            eprintln!("指标体系有 {} 处问题，请修改后重试。", errors.len());
            return ExitCode::from(1);
        }
    };
    let errors = system.validate();
    outp!("{}", jixiao::cli::system_text(&system));
    for e in &errors {
        eprintln!("{e}");
    }
    if errors.is_empty() {
        outln!("检查通过：分值、规则和参数无误。");
        ExitCode::SUCCESS
    } else {
        eprintln!("指标体系有 {} 处问题，请修改后重试。", errors.len());
        ExitCode::from(1)
    }
}

/// One case of a batch, in its own process: the result as JSON on stdout.
fn isolated_case(
    path: &std::path::Path,
    out: &std::path::Path,
    templates: Vec<PathBuf>,
    toc: bool,
    force: bool,
    layout_doc: Option<PathBuf>,
    toc_numbers: Option<Vec<u32>>,
) -> ExitCode {
    // Fault injection for the batch's isolation test: this case dies as an abort would.
    if let Some(name) = std::env::var_os("JIXIAO_TEST_ABORT_CASE") {
        if path.file_name() == Some(name.as_os_str()) {
            std::process::abort();
        }
    }
    // And this case panics, as a bug in a rule would.
    if let Some(name) = std::env::var_os("JIXIAO_TEST_PANIC_CASE") {
        if path.file_name() == Some(name.as_os_str()) {
            panic!("测试注入的内部错误（JIXIAO_TEST_PANIC_CASE）");
        }
    }
    let options = jixiao::render::report::Options {
        template_dirs: templates,
        layout_pass: toc && layout_doc.is_none(),
        emit_layout: layout_doc.is_some(),
        toc_numbers,
        ..Default::default()
    };
    let result = match jixiao::pipeline::build_with(path, out, &options, force) {
        Ok(run) => {
            if let (Some(path), Some(layout)) = (&layout_doc, &run.layout) {
                // Unwritable: this case goes without page numbers, as without LibreOffice.
                let _ = std::fs::write(path, &layout.bytes);
            }
            jixiao::batch::Isolated::Built(jixiao::batch::CaseSummary::of(&run))
        }
        Err(e) => jixiao::batch::Isolated::Failed(e.to_string()),
    };
    match serde_json::to_string(&result) {
        Ok(s) => {
            outln!("{s}");
            ExitCode::SUCCESS
        }
        Err(_) => ExitCode::from(3),
    }
}

/// Exit codes: 0 fine (notes only), 1 some table has errors, 2 a file could not be read.
fn exit_code(case: &Case) -> ExitCode {
    exit_code_with(case, 0)
}

fn exit_code_with(case: &Case, check_errors: usize) -> ExitCode {
    if case.has_unreadable() {
        ExitCode::from(2)
    } else if case.has_errors() || check_errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn inspect(path: &std::path::Path, json: bool) -> ExitCode {
    if !path.exists() {
        eprintln!("错误：找不到“{}”。请检查路径是否正确。", path.display());
        return ExitCode::from(2);
    }
    let case = jixiao::pipeline::inspect(path);
    if json {
        match serde_json::to_string_pretty(&case) {
            Ok(s) => outln!("{s}"),
            Err(e) => {
                eprintln!("错误：无法输出 JSON（{e}）");
                return ExitCode::from(2);
            }
        }
    } else {
        outp!("{}", jixiao::cli::inspect_text(&case));
    }
    for p in &case.problems {
        eprintln!("{p}");
    }
    exit_code(&case)
}

fn check(path: &std::path::Path, json: bool) -> ExitCode {
    if !path.exists() {
        eprintln!("错误：找不到“{}”。请检查路径是否正确。", path.display());
        return ExitCode::from(2);
    }
    let (case, report, missing) = jixiao::pipeline::check_path(path);
    if json {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            problems: &'a [jixiao::model::Problem],
            #[serde(flatten)]
            report: &'a jixiao::check::CheckReport,
        }
        match serde_json::to_string_pretty(&Out { problems: &case.problems, report: &report }) {
            Ok(s) => outln!("{s}"),
            Err(e) => {
                eprintln!("错误：无法输出 JSON（{e}）");
                return ExitCode::from(2);
            }
        }
    } else {
        outp!("{}", jixiao::cli::check_text(&case, &report));
        if !missing.is_empty() {
            outp!("评分和报告尚缺 {} 项输入（一次列全）：\n{}", missing.len(), missing.text());
        }
    }
    if case.files.iter().all(|f| f.found.is_empty()) && !case.has_unreadable() {
        eprintln!("没有识别出任何部门报表，未做任何核对。请用 jixiao inspect 查看各工作表为何未被识别。");
        return ExitCode::from(1);
    }
    exit_code_with(&case, report.errors() + missing.blocking())
}

fn score(path: &std::path::Path, json: bool) -> ExitCode {
    if !path.exists() {
        eprintln!("错误：找不到“{}”。请检查路径是否正确。", path.display());
        return ExitCode::from(2);
    }
    let (case, _checks, scored) = jixiao::pipeline::score_path(path);
    for p in case.problems.iter().filter(|p| p.severity == jixiao::model::Severity::Error) {
        eprintln!("{p}");
    }
    match scored {
        Ok(scored) => {
            if json {
                match serde_json::to_string_pretty(&scored) {
                    Ok(s) => outln!("{s}"),
                    Err(e) => {
                        eprintln!("错误：无法输出 JSON（{e}）");
                        return ExitCode::from(2);
                    }
                }
            } else {
                outp!("{}", jixiao::cli::score_text(&scored));
            }
            let waiting = scored.indicators.iter().filter(|i| !i.pending.is_empty()).count();
            let failed: Vec<&jixiao::score::ScoredIndicator> =
                scored.indicators.iter().filter(|i| i.failed.is_some()).collect();
            if waiting > 0 {
                let missing = jixiao::needs::missing(&case);
                eprint!("尚缺 {} 项输入（一次列全）：\n{}", missing.len(), missing.text());
            }
            for i in &failed {
                let place = scored.system.indicator(&i.name).map(|d| d.place.as_str()).unwrap_or_default();
                eprintln!("未评分 {place}：“{}”{}", i.name, i.failed.as_deref().unwrap_or_default());
            }
            if waiting + failed.len() > 0 {
                let mut why = Vec::new();
                if waiting > 0 {
                    why.push(format!("{waiting} 个三级指标缺少评分所需的输入"));
                }
                if !failed.is_empty() {
                    why.push(format!("{} 个三级指标未评分", failed.len()));
                }
                eprintln!("评分未完成：{}，总分待定。请按上面每条所说的位置补齐或改正后重试。", why.join("，"));
                return ExitCode::from(1);
            }
            if case.has_unreadable() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(errors) => {
            // Everything missing at once, then what else stopped scoring.
            let missing = jixiao::needs::missing(&case);
            if !missing.is_empty() {
                eprint!("尚缺 {} 项输入（一次列全）：\n{}", missing.len(), missing.text());
            }
            let rest: Vec<String> = errors.iter().map(|e| e.to_string()).filter(|e| !missing.covers(e)).collect();
            if !rest.is_empty() && !missing.is_empty() {
                eprintln!("其他问题：");
            }
            for e in &rest {
                eprintln!("{e}");
            }
            eprintln!(
                "评分未完成：{}。请按上面每条所说的位置补齐或修改后重试。",
                match (missing.blocking(), rest.len()) {
                    (0, n) => format!("共 {n} 处问题"),
                    (m, 0) => format!("尚缺 {m} 项评分所需的输入"),
                    (m, n) => format!("尚缺 {m} 项评分所需的输入，另有 {n} 处问题"),
                }
            );
            ExitCode::from(1)
        }
    }
}

fn init(folder: &std::path::Path, system: Option<&str>, force: bool) -> ExitCode {
    if let Err(e) = std::fs::create_dir_all(folder) {
        eprintln!("错误：无法创建文件夹“{}”（{e}）。", folder.display());
        return ExitCode::from(2);
    }
    let path = folder.join("评价底稿.xlsx");
    if path.exists() && !force {
        eprintln!("错误：“{}”已存在，未覆盖。确需重新生成请加 --force。", path.display());
        return ExitCode::from(1);
    }
    let systems = jixiao::system::shipped_systems();
    let from_file;
    let chosen = match system {
        Some(name) if jixiao::system::load::names_a_file(name) => {
            // A system file: the paper names it as the case will find it
            // (its name when it lies in the case folder, else its full path).
            let file = std::path::Path::new(name);
            match jixiao::system::load::system_file(file) {
                Ok(mut s) => {
                    let inside = file
                        .canonicalize()
                        .ok()
                        .zip(folder.canonicalize().ok())
                        .and_then(|(f, d)| f.strip_prefix(&d).ok().map(|rel| rel.to_string_lossy().into_owned()));
                    let full = file.canonicalize().map(|f| f.display().to_string()).unwrap_or(name.to_string());
                    s.name = inside.unwrap_or(full);
                    from_file = s;
                    Some(&from_file)
                }
                Err(errors) => {
                    for e in &errors {
                        eprintln!("{e}");
                    }
                    return ExitCode::from(1);
                }
            }
        }
        Some(name) => match systems.iter().find(|s| s.name == name || s.origin.trim_end_matches(".toml") == name) {
            Some(s) => Some(s),
            None => {
                let names: Vec<&str> = systems.iter().map(|s| s.name.as_str()).collect();
                eprintln!(
                    "错误：没有名为“{name}”的内置指标体系。可选：{}；或给出指标体系文件（.toml）。",
                    names.join("、")
                );
                return ExitCode::from(1);
            }
        },
        None => systems.first(),
    };
    match jixiao::render::paper::write_blank(&path, &systems, chosen) {
        Ok(()) => {
            outln!("已生成 {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("错误：无法写入“{}”（{e}）。请检查文件夹是否可写。", path.display());
            ExitCode::from(2)
        }
    }
}

fn annex(path: &std::path::Path, out: Option<PathBuf>, force: bool) -> ExitCode {
    if path.is_file() {
        eprintln!(
            "错误：“{}”是一个文件。请给出案例文件夹（放部门报表和评价底稿的文件夹），例如 jixiao annex “{}”。",
            path.display(),
            path.parent().map(|p| p.display().to_string()).unwrap_or_default()
        );
        return ExitCode::from(2);
    }
    if !path.is_dir() {
        eprintln!("错误：找不到案例文件夹“{}”。请检查路径是否正确。", path.display());
        return ExitCode::from(2);
    }
    let out = out.unwrap_or_else(|| jixiao::pipeline::default_output(path));
    let started = std::time::Instant::now();
    match jixiao::pipeline::annex_with(path, &out, force) {
        Ok(run) => {
            for note in &run.notes {
                eprintln!("提示：{note}");
            }
            for p in run.case.problems.iter().filter(|p| p.severity == jixiao::model::Severity::Error) {
                eprintln!("{p}");
            }
            outln!("已写入 {}（{} ms）：", out.display(), started.elapsed().as_millis());
            for f in &run.files {
                outln!("  {}", f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
            }
            outp!("{}", jixiao::pipeline::changes_text(&run.changes));
            if run.case.has_unreadable() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}

fn build(
    paths: &[PathBuf],
    out: Option<PathBuf>,
    templates: Option<PathBuf>,
    toc: (bool, bool),
    force: bool,
    jobs: usize,
) -> ExitCode {
    for p in paths {
        if !p.exists() {
            eprintln!("错误：找不到“{}”。请检查路径是否正确。", p.display());
            return ExitCode::from(2);
        }
    }
    let (cases, unreadable) = jixiao::batch::find_cases_reporting(paths);
    for u in &unreadable {
        eprintln!("提示：{u}");
    }
    if cases.is_empty() && !unreadable.is_empty() {
        eprintln!("错误：没有找到可读取的案例文件夹。");
        return ExitCode::from(2);
    }
    if cases.is_empty() {
        return no_cases(paths);
    }
    let single = cases.len() == 1;
    let outputs = match (&out, single) {
        (Some(o), true) => vec![o.clone()],
        (None, true) => vec![jixiao::pipeline::default_output(&cases[0])],
        (Some(o), false) => jixiao::batch::output_folders(&cases, o),
        (None, false) => jixiao::batch::output_folders(&cases, std::path::Path::new("output")),
    };
    let templates_dirs: Vec<PathBuf> = templates.into_iter().collect();
    let options = jixiao::batch::BatchOptions {
        render: jixiao::render::report::Options {
            template_dirs: templates_dirs.clone(),
            layout_pass: !toc.1,
            ..Default::default()
        },
        // Several cases: each in a process of its own, so one that dies does not take the batch down.
        isolate: if single { None } else { std::env::current_exe().ok() },
        force,
        jobs,
        progress: !single,
    };
    let started = std::time::Instant::now();
    let results = jixiao::batch::build_all(&cases, &outputs, &options);
    for r in &results {
        if let Ok(run) = &r.result {
            for note in &run.messages {
                eprintln!("提示 {}：{note}", r.case.display());
            }
            if single {
                outln!("报告 {}", run.report.display());
                if !run.toc_pages {
                    outln!("（目录页码未排版：未找到 LibreOffice 或已用 --no-toc-pages；Word 打开时会更新目录）");
                }
            }
        }
    }
    outp!("{}", jixiao::cli::table(&jixiao::batch::summary(&results)));
    let unnumbered = results.iter().filter(|r| matches!(&r.result, Ok(s) if !s.toc_pages)).count();
    if !single && unnumbered > 0 && !toc.1 {
        outln!("{unnumbered} 份报告的目录页码未排版（未找到 LibreOffice 或排版失败）；Word 打开时会更新目录。");
    }
    for r in &results {
        if let Ok(s) = &r.result {
            if s.pending > 0 {
                outln!(
                    "{}：报告为草稿：缺 {} 项（见报告首页“待填事项”和 {}）。",
                    r.case.display(),
                    s.pending,
                    r.output.join("校验结果.xlsx").display()
                );
                // One case: the whole list; a batch: the first few of each case.
                let shown = if single { usize::MAX } else { 5 };
                let mut group = "";
                for (g, p) in s.pending_items.iter().take(shown) {
                    if g != group {
                        group = g;
                        outln!("{g}（{} 项）", s.pending_items.iter().filter(|(x, _)| x == g).count());
                    }
                    outln!("  {p}");
                }
                if s.pending_items.len() > shown {
                    outln!("  ……");
                }
            }
            if s.errors > 0 {
                outln!(
                    "{}：错误 {} 条，明细见 {}（或运行 jixiao check “{}”）。",
                    r.case.display(),
                    s.errors,
                    r.output.join("校验结果.xlsx").display(),
                    r.case.display()
                );
                for e in &s.first_errors {
                    outln!("  {e}");
                }
                if s.errors > s.first_errors.len() {
                    outln!("  ……");
                }
            }
        }
    }
    if !single {
        // The 财政局's view across the batch: 汇总表, 综合绩效评价报告, 汇总.json.
        let root = out.clone().unwrap_or_else(|| PathBuf::from("output"));
        let failures: Vec<(PathBuf, String)> = results
            .iter()
            .filter_map(|r| match &r.result {
                Err(e) => Some((r.case.clone(), e.to_string())),
                Ok(s) if !s.unreadable.is_empty() => Some((r.case.clone(), s.unreadable.join("；"))),
                Ok(_) => None,
            })
            .collect();
        let t = std::time::Instant::now();
        let portfolio = jixiao::summary::collect(&cases, &outputs, &failures, &root);
        if !write_summary(&portfolio, &root, templates_dirs.as_slice(), t) {
            outln!("总用时 {} ms", started.elapsed().as_millis());
            return ExitCode::from(1);
        }
    }
    outln!("总用时 {} ms", started.elapsed().as_millis());
    // A draft waiting for inputs is a normal step; an indicator a rule could not score is not.
    let unscored = results.iter().any(|r| r.result.as_ref().is_ok_and(|s| s.unscored > 0));
    if results.iter().any(|r| r.failed()) || unscored {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The default folder of `serve` (double-clicking the program): `评价案例` in the current folder.
const DEFAULT_ROOT: &str = "评价案例";

fn serve(root: Option<PathBuf>, port: u16, no_browser: bool) -> ExitCode {
    let root = root.unwrap_or_else(|| PathBuf::from(DEFAULT_ROOT));
    match jixiao::serve::serve(&root, port, !no_browser) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::from(2)
        }
    }
}

/// Write the batch's summary and say what was written and what moved; false when it could not be written.
fn write_summary(
    portfolio: &jixiao::summary::Portfolio,
    root: &std::path::Path,
    templates: &[PathBuf],
    started: std::time::Instant,
) -> bool {
    match jixiao::summary::write(portfolio, root, templates) {
        Ok(w) => {
            let built: usize = portfolio.groups.iter().map(|g| g.cases.len()).sum();
            outln!(
                "汇总：{} 个案例（已生成 {built} 个，失败 {} 个），{} 组（按报告类型和年度），{} ms",
                portfolio.cases,
                portfolio.failed.len(),
                portfolio.groups.len(),
                started.elapsed().as_millis()
            );
            for f in &w.files {
                outln!("  {}", f.display());
            }
            outp!("{}", w.changes);
            true
        }
        Err(e) => {
            eprintln!("错误：{e}");
            false
        }
    }
}

/// `jixiao summary`: the batch's summary again from the cases' JSON (after a correction and `annex`/`build` of one case).
/// No case folder under `paths`: say where was looked (exit 2).
fn no_cases(paths: &[PathBuf]) -> ExitCode {
    eprintln!(
        "错误：在 {} 下没有找到案例文件夹（含 Excel 工作簿的文件夹）。",
        paths.iter().map(|p| format!("“{}”", p.display())).collect::<Vec<_>>().join("、")
    );
    ExitCode::from(2)
}

fn summary(paths: &[PathBuf], out: Option<PathBuf>, templates: Option<PathBuf>) -> ExitCode {
    let cases = jixiao::batch::find_cases(paths);
    if cases.is_empty() {
        return no_cases(paths);
    }
    let root = out.unwrap_or_else(|| PathBuf::from("output"));
    let outputs = jixiao::batch::output_folders(&cases, &root);
    let t = std::time::Instant::now();
    let portfolio = jixiao::summary::collect(&cases, &outputs, &[], &root);
    for f in &portfolio.failed {
        eprintln!("提示：{}：{}", f.folder, f.message);
    }
    let templates: Vec<PathBuf> = templates.into_iter().collect();
    if write_summary(&portfolio, &root, &templates, t) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn watch(path: &std::path::Path, out: Option<PathBuf>, force: bool) -> ExitCode {
    if !path.is_dir() {
        eprintln!("错误：找不到案例文件夹“{}”。", path.display());
        return ExitCode::from(2);
    }
    let out = out.unwrap_or_else(|| jixiao::pipeline::default_output(path));
    // Everything at once (the report without 目录 page numbers), then the
    // numbers: LibreOffice lays out the report (a few seconds) and the report
    // is written again with them.
    let options = jixiao::render::report::Options { emit_layout: true, ..Default::default() };
    let run = |why: &str| {
        let started = std::time::Instant::now();
        match jixiao::pipeline::build_with(path, &out, &options, force) {
            Ok(r) => {
                outln!(
                    "{why}：已重新生成 {}（{} 分，{}，{} ms）",
                    out.display(),
                    jixiao::model::value::fmt_score(r.annex.scored.total),
                    r.annex.evaluation.score.grade,
                    started.elapsed().as_millis()
                );
                outp!("{}", jixiao::pipeline::changes_text(&r.annex.changes));
                for n in &r.annex.notes {
                    outln!("提示：{n}");
                }
                let Some(layout) = &r.layout else { return };
                let started = std::time::Instant::now();
                match jixiao::render::report::layout::toc_pages(&layout.bytes, &layout.headings) {
                    Some(pages) => match jixiao::pipeline::number_report(&r, &out, pages, force) {
                        Ok(_) => outln!("目录页码已填写（{} ms）", started.elapsed().as_millis()),
                        Err(e) => eprintln!("{why}：填写目录页码失败\n{e}"),
                    },
                    None => outln!("（目录页码未排版：未找到 LibreOffice；Word 打开时会更新目录）"),
                }
            }
            Err(e) => eprintln!("{why}：生成失败\n{e}"),
        }
    };
    let result = jixiao::watch::watch(path, &out, |changed| {
        if changed.is_empty() {
            run("开始监视");
            outln!("正在监视“{}”，修改工作簿或模板后会自动重新生成。按 Ctrl+C 退出。", path.display());
            return;
        }
        let names: Vec<String> =
            changed.iter().filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned())).collect();
        run(&format!("{} 有改动", names.join("、")));
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：无法监视“{}”（{e}）。", path.display());
            ExitCode::from(2)
        }
    }
}
