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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Inspect { path, json } => inspect(&path, json),
    }
}

/// Exit codes: 0 fine (notes only), 1 some table has errors, 2 a file could not be read.
fn exit_code(case: &Case) -> ExitCode {
    if case.has_unreadable() {
        ExitCode::from(2)
    } else if case.has_errors() {
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
        print!("{}", jixiao::report_inspect(&case));
    }
    for p in &case.problems {
        eprintln!("{p}");
    }
    exit_code(&case)
}
