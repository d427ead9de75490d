//! The command line's words: every command and flag, in Chinese. Flags
//! several commands share are one struct each ([`SetupArgs`]).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::setup::SetupOptions;

/// `--system FILE` and `--kind DIR`: the case's setup instead of what its paper names.
#[derive(Args, Debug, Clone, Default)]
pub struct SetupArgs {
    /// 指标体系文件（.toml），代替评价底稿“项目信息”中指定的指标体系
    #[arg(long, value_name = "文件")]
    pub system: Option<PathBuf>,
    /// 报告类型文件夹（含 kind.toml），代替评价底稿“项目信息”中的报告类型
    #[arg(long, value_name = "文件夹")]
    pub kind: Option<PathBuf>,
}

/// One case folder written into its output folder (`annex`, `watch`).
#[derive(Args, Debug, Clone)]
pub struct OneCaseArgs {
    /// 案例文件夹
    pub path: PathBuf,
    /// 输出文件夹（默认 output/<案例文件夹名>）
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// 覆盖被人工修改过的输出文件
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub setup: SetupArgs,
}

/// Why the flags cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SetupArgsError {
    #[error("{0}")]
    Kind(#[from] crate::report_kind::KindError),
    #[error("找不到指标体系文件“{0}”。请检查路径。")]
    NoSystemFile(String),
}

impl SetupArgs {
    /// The setup options they say, checked now (a kind folder that does not
    /// load, a system file that is not there), paths made absolute so the
    /// processes of a batch read the same files. `systems_dir` is the further
    /// folder of system files the binary was given.
    pub fn options(&self, systems_dir: Option<PathBuf>) -> Result<SetupOptions, SetupArgsError> {
        let kind_dir = match &self.kind {
            Some(dir) => {
                crate::report_kind::load_dir(dir)?;
                Some(dir.canonicalize().unwrap_or_else(|_| dir.clone()))
            }
            None => None,
        };
        let system_file = match &self.system {
            Some(file) if !file.is_file() => return Err(SetupArgsError::NoSystemFile(file.display().to_string())),
            // The folder made absolute, the file's own name kept: a symbolic
            // link out of its folder is still seen (and refused) when read.
            Some(file) => Some(match file.file_name() {
                Some(name) => crate::confined::parent_of(file)
                    .canonicalize()
                    .map(|d| d.join(name))
                    .unwrap_or_else(|_| file.clone()),
                None => file.clone(),
            }),
            None => None,
        };
        Ok(SetupOptions { system_file, kind_dir, systems_dir })
    }
}

#[derive(Parser)]
#[command(name = "jixiao", version, about = "预算绩效评价报告流水线：部门报表 → 勾稽校验 → 指标评分 → 报告与附件")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
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
        #[command(flatten)]
        setup: SetupArgs,
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
        #[command(flatten)]
        setup: SetupArgs,
    },
    /// 重新生成附件（XLSX）和评价结果 JSON（不生成报告），并列出与上次相比的变化
    Annex {
        #[command(flatten)]
        case: OneCaseArgs,
    },
    /// 监视案例文件夹：工作簿或模板一有改动就重新生成报告和附件（Ctrl+C 退出）
    Watch {
        #[command(flatten)]
        case: OneCaseArgs,
    },
    /// 在文件夹中生成空白评价底稿（带下拉列表和填写说明）
    Init {
        /// 案例文件夹
        folder: PathBuf,
        /// 预置的指标体系：内置名称，或指标体系文件（.toml）（写入“项目信息”，并预列它需要的事实）
        #[arg(long)]
        system: Option<String>,
        /// 报告类型：内置名称（如“项目支出绩效评价”），或报告类型文件夹（含 kind.toml）：写入它的项目信息行、模板需要的文字和它的指标体系
        #[arg(long)]
        kind: Option<String>,
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
        #[command(flatten)]
        setup: SetupArgs,
        /// The batch's further folder of system files.
        #[arg(long)]
        systems_dir: Option<PathBuf>,
    },
    /// 检查一个指标体系（内置名称或 .toml 文件）：分值、规则、参数，并列出它需要的事实、报表、单位数据和问卷
    System {
        /// 内置指标体系的名称，或指标体系文件（.toml）
        system: String,
    },
    /// 复核已发布的评价报告：按指标体系的规则重算得分表中的每个指标，列出得分、得分率、小计和指标名称的差错（写出复核意见和差异表）
    Review {
        /// 案例文件夹（部门报表 + 评价底稿 + 得分表）
        path: PathBuf,
        /// 得分表工作簿（默认：案例文件夹中文件名含“得分”的工作簿）
        #[arg(long, value_name = "文件")]
        scores: Option<PathBuf>,
        /// 输出文件夹（默认 output/<案例文件夹名>）
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        setup: SetupArgs,
    },
    /// 勾稽核对与自评复核：列出数字对不上的地方和自评打分的问题
    Check {
        /// 案例文件夹（或一个工作簿）
        path: PathBuf,
        /// 以 JSON 输出全部核对结果
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        setup: SetupArgs,
    },
}
