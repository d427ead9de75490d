//! End-to-end speed over 200 synthesised cases (variations of the sample:
//! other departments' names, scaled amounts, more projects): release time
//! per case single-threaded, throughput with both cores, peak memory.
//! `cargo bench --bench batch`. Not a test: it measures.

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::Path;
use std::time::Instant;

use jixiao::batch::{build_all, output_folders, BatchOptions};

const CASES: usize = 200;

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
    let cases = support::synthesise(&root, CASES);
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
    // The batch's summary (汇总表, 综合绩效评价报告, 汇总.json) from the 200 cases' JSON, beyond the cases themselves.
    let out = root.join("out-2-1");
    let outputs = output_folders(&cases, &out);
    let t = Instant::now();
    let portfolio = jixiao::summary::collect(&cases, &outputs, &[], &out);
    let written = jixiao::summary::write(&portfolio, &out, &[]).expect("the summary is written");
    println!(
        "summary of {} cases ({} files): {:.0} ms",
        portfolio.cases,
        written.files.len(),
        t.elapsed().as_secs_f64() * 1000.0
    );
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
