//! Golden files: every output format of both sample cases, committed under
//! `tests/golden/<case>/` and compared part by part — the report's
//! `word/document.xml`, each annex workbook's sheet and shared-string XML,
//! and the JSON of the evaluation. XML is laid out one tag per line so a
//! change reads as a short diff. `JIXIAO_BLESS=1 cargo test --test golden`
//! rewrites them after a change made on purpose (say why in the commit).

mod support;

use std::io::Read;
use std::path::PathBuf;

use jixiao::render::report::Options;

const CASES: &[&str] = &["zaozhuang-shizhong-2024", "gaoyi-2021", "project-yiliaojiuzhu-2024"];

fn golden_dir(case: &str) -> PathBuf {
    support::root().join("tests/golden").join(case)
}

/// One tag per line: `><` never occurs inside escaped text.
fn pretty_xml(xml: &str) -> String {
    let mut out = xml.replace("><", ">\n<");
    out.push('\n');
    out
}

fn zip_part(bytes: &[u8], name: &str) -> Option<String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut s = String::new();
    archive.by_name(name).ok()?.read_to_string(&mut s).ok()?;
    Some(s)
}

fn zip_names(bytes: &[u8]) -> Vec<String> {
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut names: Vec<String> = archive.file_names().map(String::from).collect();
    names.sort();
    names
}

/// The first differing region of two texts, with a few lines of context.
fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (a_mid, b_mid) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut out = format!(
        "first difference at line {} ({} line(s) expected, {} actual in the differing region)\n",
        prefix + 1,
        a_mid.len(),
        b_mid.len()
    );
    for line in &a[prefix.saturating_sub(3)..prefix] {
        out.push_str(&format!("  {line}\n"));
    }
    for line in a_mid.iter().take(40) {
        out.push_str(&format!("- {line}\n"));
    }
    if a_mid.len() > 40 {
        out.push_str(&format!("- … {} more\n", a_mid.len() - 40));
    }
    for line in b_mid.iter().take(40) {
        out.push_str(&format!("+ {line}\n"));
    }
    if b_mid.len() > 40 {
        out.push_str(&format!("+ … {} more\n", b_mid.len() - 40));
    }
    for line in a.iter().skip(a.len() - suffix).take(3) {
        out.push_str(&format!("  {line}\n"));
    }
    out
}

/// The outputs of one sample case, as (golden file name, text).
fn outputs(case: &str) -> Vec<(String, String)> {
    let dir = support::root().join("sample-workbooks").join(case);
    let out = support::temp_dir(&format!("golden-{case}"));
    let run = jixiao::pipeline::build(&dir, &out, &Options::default()).expect("the sample builds");
    let mut parts = Vec::new();
    let docx = std::fs::read(&run.report).unwrap();
    parts.push(("report.document.xml".to_string(), pretty_xml(&zip_part(&docx, "word/document.xml").unwrap())));
    // The package around it: styles, relationships, content types, charts.
    for name in zip_names(&docx) {
        let keep = name == "word/styles.xml"
            || name == "word/_rels/document.xml.rels"
            || name == "[Content_Types].xml"
            || (name.starts_with("word/charts/") && name.ends_with(".xml"));
        if keep {
            let file = format!(
                "report.{}",
                name.trim_start_matches("word/").replace('/', ".").replace("[Content_Types]", "content-types")
            );
            parts.push((file, pretty_xml(&zip_part(&docx, &name).unwrap())));
        }
    }
    let mut entries: Vec<_> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries.iter().filter(|p| p.extension().is_some_and(|e| e == "xlsx")) {
        let bytes = std::fs::read(path).unwrap();
        let stem = path.file_stem().unwrap().to_string_lossy().split(' ').next().unwrap().to_string();
        for name in zip_names(&bytes) {
            let keep = (name.starts_with("xl/worksheets/sheet") && name.ends_with(".xml"))
                || name == "xl/sharedStrings.xml"
                || name == "xl/workbook.xml";
            if keep {
                let file = format!("{stem}.{}", name.trim_start_matches("xl/").replace('/', "."));
                parts.push((file, pretty_xml(&zip_part(&bytes, &name).unwrap())));
            }
        }
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join(jixiao::pipeline::JSON_FILE)).unwrap()).unwrap();
    parts.push(("evaluation.json".to_string(), serde_json::to_string_pretty(&golden_json(json)).unwrap() + "\n"));
    parts
}

/// The JSON is the whole evaluation (the raw model is `jixiao inspect --json`).
fn golden_json(json: serde_json::Value) -> serde_json::Value {
    json
}

fn check_case(case: &str) -> Vec<String> {
    let dir = golden_dir(case);
    let bless = std::env::var_os("JIXIAO_BLESS").is_some();
    let mut failures = Vec::new();
    let parts = outputs(case);
    if bless {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
    }
    for (name, text) in &parts {
        let path = dir.join(name);
        if bless {
            std::fs::write(&path, text).unwrap();
            continue;
        }
        match std::fs::read_to_string(&path) {
            Err(_) => failures.push(format!("{case}/{name}: no golden file (run with JIXIAO_BLESS=1)")),
            Ok(expected) if expected != *text => {
                failures.push(format!("{case}/{name} differs from its golden file:\n{}", diff(&expected, text)))
            }
            Ok(_) => {}
        }
    }
    if !bless {
        for entry in std::fs::read_dir(&dir).map(|d| d.flatten().collect::<Vec<_>>()).unwrap_or_default() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !parts.iter().any(|(n, _)| *n == name) {
                failures.push(format!("{case}/{name}: golden file no longer produced"));
            }
        }
    }
    failures
}

#[test]
fn outputs_match_the_golden_files() {
    let failures: Vec<String> = CASES.iter().flat_map(|c| check_case(c)).collect();
    assert!(
        failures.is_empty(),
        "{}\n\n(if the change is on purpose: JIXIAO_BLESS=1 cargo test --test golden, and say why in the commit)",
        failures.join("\n\n")
    );
}

#[test]
fn the_diff_names_the_first_difference() {
    let d = diff("a\nb\nc\nd\n", "a\nb\nX\nd\n");
    assert!(d.contains("first difference at line 3"), "{d}");
    assert!(d.contains("- c") && d.contains("+ X"), "{d}");
}
