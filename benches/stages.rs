//! Release timings of the pipeline's stages on the bundled sample case.
//! `cargo bench --bench stages` prints the median and best of repeated runs
//! (ms per case). Not a test: it asserts nothing, it measures.

use std::path::Path;
use std::time::{Duration, Instant};

fn measure<T>(name: &str, runs: usize, mut f: impl FnMut() -> T) {
    // Warm the file cache and the allocator first.
    for _ in 0..3 {
        std::hint::black_box(f());
    }
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("{name:<40} median {:>8.2} ms   best {:>8.2} ms   ({runs} runs)", ms(times[runs / 2]), ms(times[0]));
}

fn main() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-workbooks/zaozhuang-shizhong-2024");
    let case = jixiao::ingest::ingest_path(&sample);
    assert!(!case.has_errors(), "the sample must read cleanly");
    println!("sample: {} files, {} tables", case.files.len(), case.files.iter().map(|f| f.found.len()).sum::<usize>());
    measure("ingest (sample folder, 7 workbooks)", 50, || jixiao::ingest::ingest_path(&sample));
    let options = jixiao::setup::SetupOptions::default();
    measure("setup (kind, system, re-check policy)", 200, || jixiao::setup::Setup::resolve(&case, &options));
    let setup = jixiao::setup::Setup::resolve(&case, &options).expect("a known kind");
    measure("check (勾稽 + 自评复核)", 200, || jixiao::check::check_with(&case, &setup));
    let checks = jixiao::check::check_with(&case, &setup);
    measure("score (27 indicators, seed 000 system)", 200, || {
        jixiao::score::score_with(&case, &checks, &setup).expect("scores")
    });
    let scored = jixiao::score::score_with(&case, &checks, &setup).expect("scores");
    let out = std::env::temp_dir().join("jixiao-bench-annex");
    std::fs::create_dir_all(&out).unwrap();
    measure("assemble the evaluation", 200, || jixiao::assemble::assemble(&case, &checks, &scored));
    let eval = jixiao::assemble::assemble(&case, &checks, &scored);
    measure("write annexes (5 XLSX)", 50, || jixiao::render::annex::all(&eval).expect("written"));
    let options = jixiao::render::report::Options::default();
    measure("render the DOCX report", 60, || jixiao::render::report::render(&eval, &options).expect("rendered"));
    // Its parts: the template blocks, the chart's data workbook, the schema pass over document.xml.
    measure("  of which: templates → blocks", 50, || {
        jixiao::render::report::blocks(&eval, &options).expect("blocks")
    });
    let chart = jixiao::render::docx::chart::BarChart {
        title: "一级指标得分率".into(),
        series: "得分率".into(),
        categories: eval.score.level1.iter().map(|l| l.name.clone()).collect(),
        values: eval.score.level1.iter().map(|l| l.rate).collect(),
        scale: jixiao::render::docx::chart::Scale::Percent,
    };
    measure("  of which: chart data workbook", 50, || chart.workbook().expect("workbook"));
    let docx = jixiao::render::report::render(&eval, &options).expect("rendered").bytes;
    let document = {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&docx)).unwrap();
        let mut s = String::new();
        zip.by_name("word/document.xml").unwrap().read_to_string(&mut s).unwrap();
        s
    };
    measure("  of which: docx_fix of document.xml", 20, || jixiao::render::docx::fix::fix_document(&document));
    let json = serde_json::to_vec(&eval).expect("serialised");
    measure("write the JSON (serde of the evaluation)", 50, || serde_json::to_vec(&eval).expect("serialised"));
    measure("read the previous JSON back (change report)", 50, || jixiao::pipeline::previous_run(&json));
    let sample_out = out.join("annex-run");
    measure("annex command end to end (ingest..JSON)", 20, || {
        jixiao::pipeline::annex(&sample, &sample_out).expect("annex")
    });
}
