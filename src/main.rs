//! The `jixiao` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use jixiao::ingest;
use jixiao::model::Case;

#[derive(Parser)]
#[command(
    name = "jixiao",
    version,
    about = "预算绩效评价报告流水线：部门报表 → 勾稽校验 → 指标评分 → 报告与附件"
)]
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
    /// 勾稽核对与自评复核：列出数字对不上的地方和自评打分的问题
    Check {
        /// 案例文件夹（或一个工作簿）
        path: PathBuf,
        /// 以 JSON 输出全部核对结果
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Inspect { path, json } => inspect(&path, json),
        Command::Check { path, json } => check(&path, json),
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
    let case = ingest::ingest_path(path);
    if json {
        match serde_json::to_string_pretty(&case) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("错误：无法输出 JSON（{e}）");
                return ExitCode::from(2);
            }
        }
    } else {
        print!("{}", jixiao::cli::inspect_text(&case));
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
    let case = ingest::ingest_path(path);
    let report = jixiao::check::check(&case);
    if json {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            problems: &'a [jixiao::model::Problem],
            #[serde(flatten)]
            report: &'a jixiao::check::CheckReport,
        }
        match serde_json::to_string_pretty(&Out {
            problems: &case.problems,
            report: &report,
        }) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("错误：无法输出 JSON（{e}）");
                return ExitCode::from(2);
            }
        }
    } else {
        print!("{}", jixiao::cli::check_text(&case, &report));
    }
    exit_code_with(&case, report.errors())
}
