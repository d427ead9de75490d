//! clap in Chinese: headings, help and version flags, and the command-line
//! mistakes said in Chinese (clap's English detail only with `-v`).

/// clap's words in Chinese: headings, the help and version flags, on every command.
pub fn localise(cmd: clap::Command) -> clap::Command {
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
pub fn usage_error(e: &clap::Error) -> String {
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
