//! End-to-end speed over 200 synthesised cases (variations of the sample:
//! other departments' names, scaled amounts, more projects): release time
//! per case single-threaded, throughput with both cores, peak memory.
//! `cargo bench --bench batch`. Not a test: it measures.

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::time::Instant;

use jixiao::batch::{build_all, output_folders, BatchOptions};

const CASES: usize = 200;

/// Multiply every decimal amount (`12,847.65`, `0.27`) in a sheet source by `k`.
fn scale(src: &str, k: u32) -> String {
    let scale_cell = |cell: &str| -> String {
        let plain: String = cell.chars().filter(|c| *c != ',').collect();
        let numeric = cell.contains('.')
            && plain.chars().all(|c| c.is_ascii_digit() || c == '.')
            && plain.matches('.').count() == 1;
        match (numeric, plain.parse::<rust_decimal::Decimal>()) {
            (true, Ok(d)) => format!("{:.2}", d * rust_decimal::Decimal::from(k)),
            _ => cell.to_string(),
        }
    };
    src.lines()
        .map(|l| match l.strip_prefix("@row ") {
            Some(rest) => format!("@row {}", rest.split('\t').map(scale_cell).collect::<Vec<_>>().join("\t")),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Extra 项目绩效目标表 sheets: copies of the first project under new names.
fn more_projects(src: &str, n: usize) -> String {
    let start = src.find("@sheet 目标-").unwrap_or(src.len());
    let end = src[start + 1..].find("@sheet ").map(|i| start + 1 + i).unwrap_or(src.len());
    let first = &src[start..end];
    let mut out = src.to_string();
    for i in 0..n {
        out.push('\n');
        out.push_str(
            &first
                .replacen("@sheet 目标-", &format!("@sheet 目标{i}-"), 1)
                .replace("居民长护", &format!("新增项目{i}")),
        );
    }
    out
}

fn synthesise(root: &Path) -> Vec<PathBuf> {
    let sources = support::sample_sources("zaozhuang-shizhong-2024");
    let depts = ["医疗保障局", "民政局", "卫生健康局", "人力资源和社会保障局", "财政局"];
    (0..CASES)
        .map(|i| {
            let dir = root.join(format!("case-{i:03}"));
            if dir.join("评价底稿.xlsx").is_file() {
                return dir;
            }
            std::fs::create_dir_all(&dir).unwrap();
            let name = format!("示例市第{}区{}", i + 1, depts[i % depts.len()]);
            for (file, src) in &sources {
                // Another department, still scored with the shipped system.
                let mut s = src
                    .replace("枣庄市市中区医疗保障局", &name)
                    .replace(&format!("指标体系（{name}2024）"), "指标体系（枣庄市市中区医疗保障局2024）");
                if i % 4 == 1 && file.contains("决算") {
                    s = scale(&s, 2);
                }
                if i % 2 == 0 && file.contains("预算") {
                    s = more_projects(&s, 1 + i % 5);
                }
                support::write(&s, &dir.join(file), &support::Variant::default());
            }
            dir
        })
        .collect()
}

fn peak_memory_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-cases");
    let t = Instant::now();
    let cases = synthesise(&root);
    println!("synthesised {} cases in {:.1} s", cases.len(), t.elapsed().as_secs_f64());
    let run = |jobs: usize, tag: &str| {
        // First builds: nothing from an earlier run to compare or keep.
        let out = root.join(format!("out-{tag}"));
        let _ = std::fs::remove_dir_all(&out);
        let outputs = output_folders(&cases, &out);
        let options = BatchOptions { jobs, force: true, ..Default::default() };
        let t = Instant::now();
        let results = build_all(&cases, &outputs, &options);
        let secs = t.elapsed().as_secs_f64();
        let failed = results.iter().filter(|r| r.failed()).count();
        assert_eq!(failed, 0, "every synthesised case builds");
        secs
    };
    // Warm the file cache once.
    let _ = run(2, "warm");
    // Three rounds each, the median: one round is at the mercy of the
    // page cache's writeback of the previous one.
    let median = |jobs: usize, tag: &str| {
        let mut t: Vec<f64> = (0..3).map(|i| run(jobs, &format!("{tag}-{i}"))).collect();
        t.sort_by(f64::total_cmp);
        t[1]
    };
    let one = median(1, "1");
    let two = median(2, "2");
    println!("end to end per case, 1 thread:   {:.1} ms", one * 1000.0 / CASES as f64);
    println!(
        "end to end per case, 2 threads:  {:.1} ms (throughput {:.1} cases/s, {:.2}× the single thread)",
        two * 1000.0 / CASES as f64,
        CASES as f64 / two,
        one / two
    );
    println!("peak memory (VmHWM) for the whole run: {:.0} MB", peak_memory_mb());
    // With the 目录's page numbers: every report laid out by LibreOffice (one process per job).
    let soffice =
        ["soffice", "libreoffice"].iter().any(|b| std::process::Command::new(b).arg("--version").output().is_ok());
    if soffice && std::env::var_os("JIXIAO_BENCH_NO_LAYOUT").is_none() {
        let out = root.join("out-layout");
        let _ = std::fs::remove_dir_all(&out);
        let outputs = output_folders(&cases, &out);
        let mut options = BatchOptions { jobs: 2, force: true, ..Default::default() };
        options.render.layout_pass = true;
        let t = Instant::now();
        let results = build_all(&cases, &outputs, &options);
        let secs = t.elapsed().as_secs_f64();
        let numbered = results.iter().filter(|r| matches!(&r.result, Ok(s) if s.toc_pages)).count();
        println!(
            "{CASES} cases with 目录 page numbers (LibreOffice layout pass), 2 jobs: {secs:.0} s ({:.2} s per case), {numbered} numbered",
            secs / CASES as f64
        );
    } else {
        println!("(no LibreOffice here: the layout pass is not measured)");
    }
}
