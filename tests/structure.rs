//! The crate's shape, read from its own source: each stage imports only the
//! stages before it (the order is written once, in [`ORDER`]); no file is
//! over [`MAX_FILE_LINES`] lines and no function over [`MAX_FN_LINES`]; no
//! environment variable is read or set below the binary's edge
//! (`src/main.rs`). Test modules at the end of a file do not count.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The stages (top-level modules of `src/`), each allowed to import only
/// those before it. Base modules first (plain data, confined reading of
/// user files, atomic writes), then the pipeline in its order, then what
/// runs it.
const ORDER: &[&str] = &[
    "model",
    "confined",
    "output",
    "ingest",
    "system",
    "report_kind",
    "templates",
    "setup",
    "missing",
    "check",
    "score",
    "assemble",
    "render",
    "summary",
    "review",
    "pipeline",
    "batch",
    "watch",
    "serve",
    "cli",
];

const MAX_FILE_LINES: usize = 800;
const MAX_FN_LINES: usize = 80;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every source file of the library (not `main.rs`), with its stage.
fn sources() -> Vec<(String, PathBuf, String)> {
    let src = support::root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .filter(|p| {
            !(p.parent() == Some(src.as_path()) && p.file_name().is_some_and(|n| n == "main.rs" || n == "lib.rs"))
        })
        .map(|p| {
            let rel = p.strip_prefix(&src).unwrap();
            let first = rel.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
            let stage = first.trim_end_matches(".rs").to_string();
            let text = std::fs::read_to_string(&p).unwrap();
            (stage, p, text)
        })
        .collect()
}

/// The code of a file without its test module at the end and without comments.
fn code(text: &str) -> String {
    let body = match text.find("\n#[cfg(test)]\nmod ") {
        Some(i) => &text[..i],
        None => text,
    };
    body.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// The stages a file's code names: `crate::x`, and `use crate::{x, y::…}`.
fn named_stages(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            out.push(name);
        }
    }
    out
}

#[test]
fn stages_import_only_earlier_stages() {
    let rank = |s: &str| ORDER.iter().position(|o| *o == s);
    let mut wrong: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (stage, path, text) in sources() {
        let Some(mine) = rank(&stage) else {
            panic!("{} belongs to the stage “{stage}”, which ORDER does not list", path.display());
        };
        for other in named_stages(&code(&text)) {
            match rank(&other) {
                Some(r) if r > mine => wrong
                    .entry(format!("{stage} → {other}"))
                    .or_default()
                    .push(path.file_name().unwrap().to_string_lossy().into_owned()),
                _ => {}
            }
        }
    }
    assert!(wrong.is_empty(), "imports from a later stage into an earlier one: {wrong:#?}");
}

#[test]
fn the_checker_sees_a_backward_import() {
    let read = code("use crate::model::Case;\nuse crate::{render::x, score};\n// crate::cli in a comment\n");
    assert_eq!(named_stages(&read), vec!["model", "render", "score"]);
    let with_tests = code_of_test_module();
    assert!(!named_stages(&code(&with_tests)).contains(&"render".to_string()));
}

fn code_of_test_module() -> String {
    "fn f() {}\n#[cfg(test)]\nmod tests {\n    use crate::render;\n}\n".to_string()
}

/// The functions of a file's code longer than `max` lines: (line, name, length).
fn long_functions(code: &str, max: usize) -> Vec<(usize, String, usize)> {
    let lines: Vec<&str> = code.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i].trim_start();
        let l = ["pub(crate) ", "pub(super) ", "pub "].iter().fold(l, |l, p| l.strip_prefix(p).unwrap_or(l));
        let l = ["const ", "async ", "unsafe "].iter().fold(l, |l, p| l.strip_prefix(p).unwrap_or(l));
        let Some(sig) = l.strip_prefix("fn ") else {
            i += 1;
            continue;
        };
        let name: String = sig.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        let (mut depth, mut started, mut j) = (0i64, false, i);
        while j < lines.len() {
            let line = strip_literals(lines[j]);
            if !started && line.contains(';') && !line.contains('{') {
                break;
            }
            depth += line.matches('{').count() as i64 - line.matches('}').count() as i64;
            started |= line.contains('{');
            if started && depth <= 0 {
                break;
            }
            j += 1;
        }
        if started && j - i + 1 > max {
            out.push((i + 1, name, j - i + 1));
        }
        i = if started { j + 1 } else { i + 1 };
    }
    out
}

/// A line with its string and char literals emptied (their braces do not count).
fn strip_literals(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                while let Some(d) = chars.next() {
                    match d {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
                out.push_str("\"\"");
            }
            '\'' if matches!(chars.clone().nth(1), Some('\'')) => {
                chars.next();
                chars.next();
                out.push_str("''");
            }
            c => out.push(c),
        }
    }
    out
}

#[test]
fn no_long_files_or_functions() {
    let mut long = Vec::new();
    for (_, path, text) in sources() {
        let rel = path.strip_prefix(support::root()).unwrap().display().to_string();
        let n = text.lines().count();
        if n > MAX_FILE_LINES {
            long.push(format!("{rel}: {n} lines"));
        }
        for (line, name, len) in long_functions(&code(&text), MAX_FN_LINES) {
            long.push(format!("{rel}:{line} fn {name}: {len} lines"));
        }
    }
    assert!(long.is_empty(), "over {MAX_FILE_LINES} lines a file or {MAX_FN_LINES} a function: {long:#?}");
}

#[test]
fn the_size_checker_counts_a_long_function() {
    let body: String = (0..85).map(|i| format!("    let x{i} = \"{{\";\n")).collect();
    let code = format!("fn short() {{\n}}\n\npub fn long() {{\n{body}}}\n");
    assert_eq!(long_functions(&code, 80), vec![(4, "long".to_string(), 87)]);
}

#[test]
fn no_environment_below_the_binary() {
    let mut found = Vec::new();
    for (_, path, text) in sources() {
        for (n, line) in code(&text).lines().enumerate() {
            if line.contains("env::set_var") || line.contains("env::var(") || line.contains("env::var_os(") {
                found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "settings travel as values, not environment variables: {found:#?}");
}
