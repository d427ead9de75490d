//! Hostile input: workbooks, working papers, templates and output folders
//! built to hurt — path traversal through the 评价对象, a cell in XFD1048576,
//! a lying shared-string count, a zip bomb, templates that escape their
//! folder or never stop, control characters, a damaged manifest, a text
//! longer than an Excel cell, and jixiao's own outputs in the case folder.
//! Each is refused or handled with a clear message, within bounded time and
//! memory, and nothing is written outside the output folder.

mod support;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{jixiao, text, Variant, SMALL};

const CASE: &str = "zaozhuang-shizhong-2024";

/// The working paper's 评价对象 row, as in `tests/sample-source`.
const OBJECT_ROW: &str = "@row 评价对象\t枣庄市市中区医疗保障局\n";

/// The finding edited by the tests below (会计核算规范性 ②).
const FINDING_START: &str = "@row 会计核算规范性\t②\t=0.5\t原始凭证不完整，如，";

/// Write the sample's sources into `dir`, the working paper's edited by `edit`.
fn sample_into(dir: &Path, edit: impl Fn(String) -> String) {
    std::fs::create_dir_all(dir).unwrap();
    for (name, src) in support::sample_sources(CASE) {
        let src = if name == "评价底稿.xlsx" { edit(src) } else { src };
        support::write(&src, &dir.join(&name), &Variant::default());
    }
}

/// The working paper's source with the 会计核算规范性 ② finding's text
/// (`原始凭证不完整，如，…`) replaced by `f(old text)`.
fn edit_finding(src: String, f: impl Fn(&str) -> String) -> String {
    let line = src.lines().find(|l| l.starts_with(FINDING_START)).expect("the finding line").to_string();
    let cells: Vec<&str> = line.split('\t').collect();
    assert_eq!(cells.len(), 5, "{line}");
    let mut new: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
    new[3] = f(cells[3]);
    let edited = src.replacen(&line, &new.join("\t"), 1);
    assert_ne!(edited, src);
    edited
}

/// The 1-based Excel row of the edited finding on the 发现 sheet (the
/// header is row 1; comment lines take no row).
fn finding_row() -> u32 {
    let (_, paper) = support::sample_sources(CASE).into_iter().find(|(n, _)| n == "评价底稿.xlsx").unwrap();
    let sheet = paper.split("@sheet 发现\n").nth(1).unwrap();
    let rows: Vec<&str> =
        sheet.lines().take_while(|l| !l.starts_with("@sheet")).filter(|l| l.starts_with("@row ")).collect();
    rows.iter().position(|l| l.starts_with(FINDING_START)).unwrap() as u32 + 2
}

/// Copy the sample's workbooks into a fresh folder.
fn sample_copy(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for e in std::fs::read_dir(support::root().join("sample-workbooks").join(CASE)).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
}

/// One part of a zip file (DOCX, XLSX) as text.
fn zip_part(path: &Path, part: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    archive
        .by_name(part)
        .unwrap_or_else(|e| panic!("{part} in {}: {e}", path.display()))
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// A run of the binary, its peak memory watched.
struct Measured {
    status: std::process::ExitStatus,
    stdout: String,
    stderr: String,
    /// Highest VmHWM seen in `/proc/<pid>/status`, in kB.
    peak_kb: u64,
    elapsed: Duration,
}

fn vm_hwm_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Run `jixiao <args>`, polling its peak resident memory every 5 ms; killed
/// (and the test failed) past `limit`.
fn run_measured(args: &[&str], path: &Path, limit: Duration) -> Measured {
    assert!(Path::new("/proc/self/status").exists(), "peak memory is read from /proc (Linux)");
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .arg(path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out_thread = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out_pipe.read_to_end(&mut s);
        s
    });
    let err_thread = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err_pipe.read_to_end(&mut s);
        s
    });
    let mut peak_kb = 0;
    let status = loop {
        if let Some(kb) = vm_hwm_kb(pid) {
            peak_kb = peak_kb.max(kb);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("jixiao {args:?} {} still running after {limit:?} (peak {peak_kb} kB)", path.display());
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = started.elapsed();
    if peak_kb == 0 {
        // It finished before /proc could be read: the kernel's record of the
        // largest child waited for (this one or a bigger one) bounds it.
        peak_kb = children_max_rss_kb();
    }
    let stdout = String::from_utf8_lossy(&out_thread.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&err_thread.join().unwrap()).into_owned();
    Measured { status, stdout, stderr, peak_kb, elapsed }
}

/// `getrusage(RUSAGE_CHILDREN).ru_maxrss` in kB (Linux, 64-bit): the peak
/// resident size of the largest child process waited for so far.
fn children_max_rss_kb() -> u64 {
    #[repr(C)]
    struct RUsage {
        utime: [i64; 2],
        stime: [i64; 2],
        maxrss: i64,
        rest: [i64; 13],
    }
    extern "C" {
        fn getrusage(who: i32, usage: *mut RUsage) -> i32;
    }
    const RUSAGE_CHILDREN: i32 = -1;
    let mut u = RUsage { utime: [0; 2], stime: [0; 2], maxrss: 0, rest: [0; 13] };
    // SAFETY: getrusage fills the struct it is given; the layout is Linux's
    // `struct rusage` on 64-bit targets (two timevals, then 14 longs).
    let ok = unsafe { getrusage(RUSAGE_CHILDREN, &mut u) } == 0;
    if ok {
        u.maxrss.max(0) as u64
    } else {
        0
    }
}

const MB_300_KB: u64 = 300 * 1024;

/// Rewrite a zip (xlsx) file entry by entry, `edit` changing any part's bytes.
fn rewrite_zip(bytes: &[u8], edit: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        let data = edit(&name, data);
        w.start_file(name, options).unwrap();
        w.write_all(&data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

// ---------------------------------------------------------------------------
// 1. Path traversal through the 评价对象
// ---------------------------------------------------------------------------

/// Guards the report's file name, which comes from the working paper's
/// 评价对象: a value like `/../../../../tmp/x` must not write outside the
/// output folder (separators become full-width `／`), the manifest holds
/// only plain names, and a `/` inside a name (`市医保局/市医保中心`) gives
/// one file with `／`. Also `safe_file_name` on device names and long names.
#[test]
fn path_traversal_through_the_report_name() {
    let escape_prefix = "jixiao-escape-test";
    let strays = || -> Vec<String> {
        std::fs::read_dir("/tmp")
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(escape_prefix))
            .collect()
    };
    for name in strays() {
        let _ = std::fs::remove_file(Path::new("/tmp").join(&name));
        let _ = std::fs::remove_dir_all(Path::new("/tmp").join(&name));
    }
    let root = support::temp_dir("hostile-traversal");
    let case = root.join("case");
    sample_into(&case, |src| {
        assert!(src.contains(OBJECT_ROW));
        src.replacen(OBJECT_ROW, "@row 评价对象\t/../../../../tmp/jixiao-escape-test\n", 1)
    });
    let out = root.join("out");
    let run = jixiao::pipeline::build(&case, &out, &jixiao::render::report::Options::default())
        .unwrap_or_else(|e| panic!("build: {e}"));
    let name = run.report.file_name().unwrap().to_str().unwrap().to_string();
    assert_eq!(run.report.parent(), Some(out.as_path()), "{}", run.report.display());
    assert_eq!(name, "／..／..／..／..／tmp／jixiao-escape-test2024年度绩效评价报告.docx");
    assert!(out.join(&name).is_file(), "{name}");
    assert!(strays().is_empty(), "written outside the output folder: {:?}", strays());
    // Nothing but plain names in the output folder and in the manifest.
    for n in file_names(&out) {
        assert!(!n.contains('/'), "{n}");
    }
    let manifest: std::collections::BTreeMap<String, String> =
        serde_json::from_slice(&std::fs::read(out.join(jixiao::output::MANIFEST)).unwrap()).unwrap();
    assert!(manifest.contains_key(&name), "{manifest:?}");
    for key in manifest.keys() {
        let parts: Vec<_> = Path::new(key).components().collect();
        assert!(
            matches!(parts.as_slice(), [std::path::Component::Normal(_)]),
            "manifest key {key:?} is not one plain name"
        );
        assert!(!key.starts_with('/') && !key.contains('/') && !key.contains('\\'), "{key:?}");
    }

    // A slash inside a real name.
    let case2 = root.join("case2");
    sample_into(&case2, |src| src.replacen(OBJECT_ROW, "@row 评价对象\t市医保局/市医保中心\n", 1));
    let out2 = root.join("out2");
    let run = jixiao::pipeline::build(&case2, &out2, &jixiao::render::report::Options::default())
        .unwrap_or_else(|e| panic!("build: {e}"));
    assert_eq!(run.report, out2.join("市医保局／市医保中心2024年度绩效评价报告.docx"));
    assert!(run.report.is_file());
    assert!(!out2.join("市医保局").exists());

    // The name function itself.
    use jixiao::output::safe_file_name;
    assert_eq!(safe_file_name("CON.docx"), "_CON.docx");
    assert_eq!(safe_file_name("nul.docx"), "_nul.docx");
    let long = format!("{}.docx", "报".repeat(300));
    let short = safe_file_name(&long);
    assert!(short.len() <= 180, "{} bytes", short.len());
    assert!(short.ends_with(".docx"), "{short}");
    assert!(short.starts_with("报报报"), "{short}");
}

// ---------------------------------------------------------------------------
// 2. A cell in XFD1048576
// ---------------------------------------------------------------------------

/// A small table and one more cell at (row, col), as an xlsx file.
fn table_with_far_cell(path: &Path, far: &str) {
    let mut wb = support::build(SMALL, &Variant::default());
    wb.worksheet_from_index(0).unwrap().write_string(1_048_575, 16_383, far).unwrap();
    wb.save(path).unwrap();
}

/// Guards against a sheet whose used range is the whole grid (a stray
/// space in XFD1048576, as real exports have): `inspect` finishes within
/// 20 s and 300 MB, still finding the table; with real text there, the
/// sheet is read in part and a 提示 says so.
#[test]
fn a_cell_in_the_last_row_and_column() {
    let dir = support::temp_dir("hostile-far-cell");
    let space = dir.join("远处空格.xlsx");
    table_with_far_cell(&space, " ");
    assert!(zip_part(&space, "xl/worksheets/sheet1.xml").contains("<dimension ref=\"A1:XFD1048576\"/>"));
    let m = run_measured(&["inspect"], &space, Duration::from_secs(20));
    eprintln!("space: {:?}, peak {} kB, {:?}", m.status, m.peak_kb, m.elapsed);
    assert!(m.status.code().is_some(), "killed by a signal: {:?}\n{}", m.status, m.stderr);
    assert!(matches!(m.status.code(), Some(0..=2)), "{:?}\n{}", m.status, m.stderr);
    assert!(m.peak_kb > 0, "memory was measured");
    assert!(m.peak_kb <= MB_300_KB, "peak memory {} MB", m.peak_kb / 1024);
    assert!(!m.stderr.contains("panicked"), "{}", m.stderr);
    assert!(m.stdout.contains("支出决算表（公开03表）「支出决算表」  支出 › A1:E7  4 行"), "{}", m.stdout);
    assert!(!m.stderr.contains("只读取了"), "a blank cell does not make the sheet large: {}", m.stderr);

    let x = dir.join("远处文字.xlsx");
    table_with_far_cell(&x, "x");
    let m = run_measured(&["inspect"], &x, Duration::from_secs(20));
    eprintln!("x: {:?}, peak {} kB, {:?}", m.status, m.peak_kb, m.elapsed);
    assert!(m.status.code().is_some(), "killed by a signal: {:?}\n{}", m.status, m.stderr);
    assert!(matches!(m.status.code(), Some(0..=2)), "{:?}\n{}", m.status, m.stderr);
    assert!(!m.stderr.contains("panicked"), "{}", m.stderr);
    assert!(m.peak_kb <= MB_300_KB, "peak memory {} MB", m.peak_kb / 1024);
    assert!(
        m.stderr.contains(
            "提示 远处文字.xlsx › 支出：工作表的已用区域过大（超过 200 万个单元格或 1024 列），只读取了 A1:AMJ1953。"
        ),
        "{}",
        m.stderr
    );
}

// ---------------------------------------------------------------------------
// 3. A shared-string table that lies about its size
// ---------------------------------------------------------------------------

/// Guards against `uniqueCount="4000000000"` in `xl/sharedStrings.xml`
/// (calamine reserves the declared count up front): the file is refused
/// with a message naming it, exit 2, no abort.
#[test]
fn shared_strings_declaring_four_billion() {
    let dir = support::temp_dir("hostile-sst");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (i, s) in ["科目名称", "卫生健康支出", "行政运行", "合计"].iter().enumerate() {
        ws.write_string(i as u32, 0, *s).unwrap();
    }
    let bytes = wb.save_to_buffer().unwrap();
    let lying = rewrite_zip(&bytes, |name, data| {
        if name != "xl/sharedStrings.xml" {
            return data;
        }
        let xml = String::from_utf8(data).unwrap();
        let at = xml.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
        let end = at + xml[at..].find('"').unwrap();
        assert_eq!(&xml[at..end], "4");
        format!("{}4000000000{}", &xml[..at], &xml[end..]).into_bytes()
    });
    let path = dir.join("谎报.xlsx");
    std::fs::write(&path, &lying).unwrap();
    assert!(zip_part(&path, "xl/sharedStrings.xml").contains("uniqueCount=\"4000000000\""));
    let m = run_measured(&["inspect"], &path, Duration::from_secs(20));
    assert!(m.status.code().is_some(), "killed by a signal: {:?}\n{}", m.status, m.stderr);
    assert_eq!(m.status.code(), Some(2), "{}{}", m.stdout, m.stderr);
    let t = format!("{}{}", m.stdout, m.stderr);
    assert!(
        t.contains("错误 谎报.xlsx：共享字符串表声明了 4000000000 个字符串，与其内容不符（文件已损坏或被篡改）。"),
        "{t}"
    );
    assert!(m.peak_kb <= MB_300_KB, "peak memory {} MB", m.peak_kb / 1024);
}

// ---------------------------------------------------------------------------
// 4. A zip bomb
// ---------------------------------------------------------------------------

/// Inflated size of the bomb's sheet (past the 200 MB part limit).
const BOMB_BYTES: usize = 300 * 1024 * 1024;

/// An xlsx whose `xl/worksheets/sheet1.xml` inflates to [`BOMB_BYTES`].
fn write_bomb(path: &Path) {
    support::write_bomb(path, BOMB_BYTES);
}

/// Guards against a zip bomb: a sheet part that inflates to 300 MB is
/// refused before any parser sees it — exit 2, the part and the 200 MB
/// limit named — quickly and without the memory it would take.
#[test]
fn zip_bomb() {
    let dir = support::temp_dir("hostile-bomb");
    let path = dir.join("炸弹.xlsx");
    let started = Instant::now();
    write_bomb(&path);
    let size = std::fs::metadata(&path).unwrap().len();
    eprintln!("bomb: {size} bytes on disk, written in {:?}", started.elapsed());
    assert!(size < 2 * 1024 * 1024, "the bomb is small on disk: {size}");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let inflated = archive.by_name("xl/worksheets/sheet1.xml").unwrap().size();
    assert!(inflated > BOMB_BYTES as u64, "{inflated}");
    let m = run_measured(&["inspect"], &path, Duration::from_secs(60));
    eprintln!("bomb inspect: {:?}, peak {} kB, {:?}", m.status, m.peak_kb, m.elapsed);
    assert!(m.status.code().is_some(), "killed by a signal: {:?}\n{}", m.status, m.stderr);
    assert_eq!(m.status.code(), Some(2), "{}{}", m.stdout, m.stderr);
    assert!(
        m.stderr.contains(
            "错误 炸弹.xlsx：其中的“xl/worksheets/sheet1.xml”解压后超过 200 MB（可能是压缩炸弹或异常文件），为保护电脑已拒绝读取。"
        ),
        "{}",
        m.stderr
    );
    assert!(m.peak_kb <= MB_300_KB, "peak memory {} MB", m.peak_kb / 1024);
    assert!(m.elapsed < Duration::from_secs(30), "{:?}", m.elapsed);
}

// ---------------------------------------------------------------------------
// 5. Hostile report templates
// ---------------------------------------------------------------------------

/// A copy of the sample with `templates/chapter4.j2` made by `make`; the
/// build's error message (it must fail) and the output folder.
fn build_with_template(name: &str, make: impl Fn(&Path)) -> (String, PathBuf, Duration) {
    let root = support::temp_dir(name);
    let case = root.join("case");
    sample_copy(&case);
    std::fs::create_dir_all(case.join("templates")).unwrap();
    make(&case.join("templates").join("chapter4.j2"));
    let out = root.join("out");
    let started = Instant::now();
    let result = jixiao::pipeline::build(&case, &out, &jixiao::render::report::Options::default());
    let elapsed = started.elapsed();
    match result {
        Ok(run) => panic!("the build should fail, wrote {}", run.report.display()),
        Err(e) => (e.to_string(), out, elapsed),
    }
}

fn no_docx(out: &Path) {
    let docx: Vec<String> = file_names(out).into_iter().filter(|n| n.ends_with(".docx")).collect();
    assert!(docx.is_empty(), "{docx:?}");
}

/// Guards template overrides read from the case folder: a `chapter4.j2`
/// that is a symbolic link to `/etc/passwd` is refused, and nothing of the
/// file reaches a report or the message.
#[cfg(unix)]
#[test]
fn template_symlink_out_of_its_folder() {
    let (msg, out, _) = build_with_template("hostile-template-link", |p| {
        std::os::unix::fs::symlink("/etc/passwd", p).unwrap();
    });
    assert!(msg.contains("chapter4.j2") && msg.contains("指向模板文件夹之外"), "{msg}");
    assert!(!msg.contains("root:"), "{msg}");
    no_docx(&out);
    for n in file_names(&out) {
        let bytes = std::fs::read(out.join(&n)).unwrap();
        assert!(!bytes.windows(7).any(|w| w == b"root:x:"), "{n}");
    }
}

/// Guards against a template that loops (nearly) forever: minijinja's fuel
/// stops it within a minute, with a message saying so.
#[test]
fn template_runaway_loop() {
    let (msg, out, elapsed) = build_with_template("hostile-template-loop", |p| {
        std::fs::write(p, "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}").unwrap();
    });
    assert!(elapsed < Duration::from_secs(60), "{elapsed:?}");
    assert!(msg.contains("out of fuel") || msg.contains("失控的循环"), "{msg}");
    assert!(msg.contains("chapter4.j2"), "{msg}");
    no_docx(&out);
}

/// Guards against a template printing without bound: past 16 MB a part
/// stops with a message.
#[test]
fn template_printing_too_much() {
    let (msg, out, elapsed) = build_with_template("hostile-template-big", |p| {
        std::fs::write(p, r#"{{ "x" * 20000000 }}"#).unwrap();
    });
    assert!(elapsed < Duration::from_secs(60), "{elapsed:?}");
    assert!(msg.contains("chapter4.j2：输出超过 16 MB，已停止（模板中可能有失控的循环）。"), "{msg}");
    no_docx(&out);
}

// ---------------------------------------------------------------------------
// 6. Control characters in a finding
// ---------------------------------------------------------------------------

/// Guards the model boundary against control characters pasted into a
/// cell: a vertical tab (stored by Excel as `_x000B_`, a line break pasted
/// from Word) and U+0001 in a finding. The build succeeds, the line break
/// becomes a `w:br` in the report, no other control character reaches
/// `document.xml`, the DOCX is valid, and a 提示 names the cell.
#[test]
fn control_characters_in_a_finding() {
    let root = support::temp_dir("hostile-controls");
    let case = root.join("case");
    sample_into(&case, |src| {
        edit_finding(src, |t| t.replacen("原始凭证不完整，如，", "原始凭证不完整\u{B}如，\u{1}", 1))
    });
    // The fixture holds the escapes as Excel writes them.
    let strings = zip_part(&case.join("评价底稿.xlsx"), "xl/sharedStrings.xml");
    assert!(strings.contains("原始凭证不完整_x000B_如，_x0001_医疗救助项目"), "fixture");
    let out = root.join("out");
    let run = jixiao::pipeline::build(&case, &out, &jixiao::render::report::Options::default())
        .unwrap_or_else(|e| panic!("build: {e}"));
    let doc = zip_part(&run.report, "word/document.xml");
    let bad: Vec<u8> = doc.bytes().filter(|b| *b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')).collect();
    assert!(bad.is_empty(), "control bytes in document.xml: {bad:?}");
    assert!(!doc.contains("_x000B_") && !doc.contains("_x0001_"), "escapes left as text");
    // The finding breaks its line where the vertical tab was (U+0001 dropped),
    // and is nowhere printed run together.
    let broken =
        "原始凭证不完整</w:t><w:br w:type=\"textWrapping\" /><w:t xml:space=\"preserve\">如，医疗救助项目记账凭证";
    assert!(doc.contains(broken), "no w:br in the finding");
    assert!(!doc.contains("原始凭证不完整如，"), "the line break was dropped somewhere");
    // In 附件3 the line break is a newline.
    {
        use calamine::{open_workbook, Data, Reader, Xlsx};
        let mut wb: Xlsx<_> = open_workbook(out.join("附件3 问题清单.xlsx")).unwrap();
        let range = wb.worksheet_range_at(0).expect("a sheet").unwrap();
        let found = range
            .used_cells()
            .any(|(_, _, d)| matches!(d, Data::String(s) if s.contains("原始凭证不完整\n如，医疗救助项目")));
        assert!(found, "附件3 keeps the line break");
    }
    let problems: Vec<_> = run.annex.case.problems.iter().filter(|p| p.rule == "ingest.control_characters").collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    let p = problems[0];
    assert_eq!(p.severity.label(), "提示");
    assert_eq!(p.place.to_string(), format!("评价底稿.xlsx › 发现 › D{}", finding_row()));
    assert!(p.message.contains("1 个单元格含不可见的控制字符") && p.message.contains("已删除"), "{}", p.message);
    assert!(!p.unreadable);
    if let Some((status, report)) = support::validate_docx(&run.report) {
        assert_eq!(status, 0, "{report}");
    }
}

// ---------------------------------------------------------------------------
// 7. The manifest of the output folder
// ---------------------------------------------------------------------------

fn sample_case() -> PathBuf {
    support::root().join("sample-workbooks").join(CASE)
}

fn build_into(case: &Path, out: &Path) -> jixiao::pipeline::BuildRun {
    jixiao::pipeline::build(case, out, &jixiao::render::report::Options::default())
        .unwrap_or_else(|e| panic!("build: {e}"))
}

fn new_versions(out: &Path) -> Vec<String> {
    file_names(out).into_iter().filter(|n| n.contains("（新版）")).collect()
}

/// Guards the manifest when it is deleted: outputs already there are taken
/// as jixiao's (never as edited), so no `（新版）` copies appear. With
/// identical outputs nothing is overwritten and the manifest is simply
/// written again; when the new outputs differ, the user is told that the
/// manifest was missing.
#[test]
fn manifest_deleted() {
    let root = support::temp_dir("hostile-manifest-deleted");
    let out = root.join("out");
    let manifest = out.join(jixiao::output::MANIFEST);
    build_into(&sample_case(), &out);
    build_into(&sample_case(), &out);
    let written = std::fs::read(&manifest).unwrap();
    std::fs::remove_file(&manifest).unwrap();
    build_into(&sample_case(), &out);
    assert!(new_versions(&out).is_empty(), "{:?}", new_versions(&out));
    assert_eq!(std::fs::read(&manifest).unwrap(), written, "the same manifest is written again");
    // Missing again, and a changed working paper: the outputs there differ from the new ones.
    std::fs::remove_file(&manifest).unwrap();
    let case = root.join("case");
    sample_into(&case, |src| edit_finding(src, |t| t.replacen("原始凭证不完整", "原始凭证不齐全", 1)));
    let run = build_into(&case, &out);
    assert!(new_versions(&out).is_empty(), "{:?}", new_versions(&out));
    assert!(
        run.annex.notes.iter().any(|n| n.contains("输出文件夹中没有清单 .jixiao-manifest.json")),
        "{:?}",
        run.annex.notes
    );
    assert!(!run.annex.notes.iter().any(|n| n.contains("被修改过")), "{:?}", run.annex.notes);
    assert!(manifest.is_file(), "the manifest is written again");
    let json = std::fs::read_to_string(out.join(jixiao::pipeline::JSON_FILE)).unwrap();
    assert!(json.contains("原始凭证不齐全"), "the new outputs replaced the old ones");
}

/// Guards the manifest when it is damaged: no `（新版）` copies, and the
/// note says it was damaged.
#[test]
fn manifest_damaged() {
    let root = support::temp_dir("hostile-manifest-damaged");
    let out = root.join("out");
    build_into(&sample_case(), &out);
    std::fs::write(out.join(jixiao::output::MANIFEST), "{not json").unwrap();
    let run = build_into(&sample_case(), &out);
    assert!(new_versions(&out).is_empty(), "{:?}", new_versions(&out));
    assert!(run.annex.notes.iter().any(|n| n.contains(".jixiao-manifest.json 已损坏")), "{:?}", run.annex.notes);
    let manifest: std::collections::BTreeMap<String, String> =
        serde_json::from_slice(&std::fs::read(out.join(jixiao::output::MANIFEST)).unwrap())
            .expect("the manifest is valid JSON again");
    assert!(manifest.contains_key("附件3 问题清单.xlsx"), "{manifest:?}");
}

/// Guards the protection of edited outputs (with a manifest): an edited
/// 附件3 is kept, the new version written beside it.
#[test]
fn manifest_still_protects_an_edited_output() {
    let root = support::temp_dir("hostile-manifest-edited");
    let out = root.join("out");
    build_into(&sample_case(), &out);
    let edited = out.join("附件3 问题清单.xlsx");
    let mut bytes = std::fs::read(&edited).unwrap();
    bytes.extend_from_slice(b"edited");
    std::fs::write(&edited, &bytes).unwrap();
    let run = build_into(&sample_case(), &out);
    assert_eq!(new_versions(&out), vec!["附件3 问题清单（新版）.xlsx".to_string()]);
    assert_eq!(std::fs::read(&edited).unwrap(), bytes, "the edited file is untouched");
    assert!(
        run.annex.notes.iter().any(|n| n.contains("“附件3 问题清单.xlsx”在上次生成后被修改过，未覆盖")),
        "{:?}",
        run.annex.notes
    );
}

/// Guards against temporary files a killed run left behind: a
/// `.<name>.tmp-<pid>` of a process that is gone is removed by the next build.
#[test]
fn stale_temp_file_removed() {
    let root = support::temp_dir("hostile-stale-temp");
    let out = root.join("out");
    build_into(&sample_case(), &out);
    let pid = (999_999u32..).find(|p| !Path::new(&format!("/proc/{p}")).exists()).unwrap();
    let stale = out.join(format!(".附件1 绩效评价指标体系.xlsx.tmp-{pid}"));
    std::fs::write(&stale, b"half a file").unwrap();
    // A temp file of a live process (another run writing) is left alone.
    let mut other = Command::new("sleep").arg("60").spawn().unwrap();
    let live = out.join(format!(".附件1 绩效评价指标体系.xlsx.tmp-{}", other.id()));
    std::fs::write(&live, b"being written").unwrap();
    build_into(&sample_case(), &out);
    let _ = other.kill();
    let _ = other.wait();
    assert!(!stale.exists(), "{} left", stale.display());
    assert!(live.exists(), "a live process's temp file is not removed");
    std::fs::remove_file(&live).unwrap();
    let temps: Vec<String> = file_names(&out).into_iter().filter(|n| n.contains(".tmp-")).collect();
    assert!(temps.is_empty(), "{temps:?}");
}

// ---------------------------------------------------------------------------
// 8. A text longer than an Excel cell
// ---------------------------------------------------------------------------

/// Guards annex cells against texts past Excel's 32,767 characters: a
/// 40,000-character finding is cut in 附件3 with a mark pointing to the
/// full text, kept whole in 评价结果.json, and a warning names the
/// working-paper row.
#[test]
fn a_finding_longer_than_an_excel_cell() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let root = support::temp_dir("hostile-long-text");
    let case = root.join("case");
    let long = "原始凭证不完整，".repeat(5000);
    assert_eq!(long.chars().count(), 40_000);
    // Excel (and rust_xlsxwriter) stop at 32,767 characters; other programs
    // write more: a placeholder is replaced in the shared strings.
    const PLACEHOLDER: &str = "LONG-FINDING-PLACEHOLDER";
    sample_into(&case, |src| edit_finding(src, |_| PLACEHOLDER.to_string()));
    let paper = case.join("评价底稿.xlsx");
    let bytes = rewrite_zip(&std::fs::read(&paper).unwrap(), |name, data| {
        if name != "xl/sharedStrings.xml" {
            return data;
        }
        let xml = String::from_utf8(data).unwrap();
        assert_eq!(xml.matches(PLACEHOLDER).count(), 1);
        xml.replace(PLACEHOLDER, &long).into_bytes()
    });
    std::fs::write(&paper, bytes).unwrap();
    let out = root.join("out");
    let run = build_into(&case, &out);
    // 附件3: the description cut to what a cell holds, marked.
    let mut wb: Xlsx<_> = open_workbook(out.join("附件3 问题清单.xlsx")).unwrap();
    let range = wb.worksheet_range_at(0).expect("a sheet").unwrap();
    let cells: Vec<String> = range
        .used_cells()
        .filter_map(|(_, _, d)| match d {
            Data::String(s) if s.contains("原始凭证不完整，原始凭证不完整，") => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(cells.len(), 1, "one cell holds the long finding");
    let cell = &cells[0];
    let n = cell.chars().count();
    assert!(n <= 32_767, "{n} characters in the cell");
    assert!(n > 30_000, "cut, not dropped: {n}");
    assert!(cell.ends_with("全文见报告和评价结果.json）"), "{}", &cell[cell.len() - 200..]);
    // The JSON keeps the whole text.
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join(jixiao::pipeline::JSON_FILE)).unwrap()).unwrap();
    let problem = json["score"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["indicator"] == "会计核算规范性")
        .expect("the problem of 会计核算规范性");
    let description = problem["description"].as_str().unwrap();
    assert!(description.chars().count() >= 40_000, "{}", description.chars().count());
    // (its closing comma made a full stop: the clause ends the sentence)
    assert!(description.contains(long.trim_end_matches('，')), "the whole finding is in the JSON");
    // A warning names the working-paper row.
    let warnings = &run.annex.evaluation.warnings;
    let w = warnings.iter().find(|w| w.contains("超过 Excel 单元格上限")).unwrap_or_else(|| panic!("{warnings:?}"));
    assert!(w.contains(&format!("评价底稿.xlsx › 发现 › 第{}行", finding_row())), "{w}");
}

// ---------------------------------------------------------------------------
// 9. jixiao's own outputs in the case folder
// ---------------------------------------------------------------------------

/// Guards against reading jixiao's own outputs as input: with `--out` the
/// case folder itself, a second build gives the same score, and `inspect`
/// does not read the annexes (附件4 would otherwise be taken for a
/// 整体绩效目标表).
#[test]
fn own_outputs_in_the_case_folder_are_not_read() {
    let root = support::temp_dir("hostile-own-outputs");
    let case = root.join("case");
    sample_copy(&case);
    let inputs = file_names(&case);
    for round in 1..=2 {
        let o = jixiao(&["build", "--no-toc-pages", "--out"], &[&case, &case]);
        let t = text(&o);
        assert!(o.status.success(), "round {round}: {t}");
        let row = t.lines().find(|l| l.contains("82.03")).unwrap_or_else(|| panic!("round {round}: {t}"));
        assert!(row.contains("良"), "{row}");
        assert!(new_versions(&case).is_empty(), "round {round}: {:?}", new_versions(&case));
    }
    assert!(case.join("附件4 整体战略目标及绩效目标.xlsx").is_file());
    let o = jixiao(&["inspect"], &[&case]);
    let t = text(&o);
    for name in file_names(&case).iter().filter(|n| n.ends_with(".xlsx")) {
        let read = t.lines().any(|l| l.starts_with(&format!("{name}（")));
        assert_eq!(read, inputs.contains(name), "{name} read: {read}\n{t}");
    }
    assert!(!t.contains("附件4 整体战略目标及绩效目标.xlsx"), "{t}");
    let workbooks = inputs.iter().filter(|n| n.ends_with(".xlsx")).count();
    assert!(t.contains(&format!("共 {workbooks} 个文件")), "{t}");
}

// ---------------------------------------------------------------------------
// 10. A system file that divides by zero, or holds NaN (issue 24, item 9)
// ---------------------------------------------------------------------------

/// A copy of a sample's sources into `dir`, the working paper edited by `edit`.
fn sources_into(case: &str, dir: &Path, edit: impl Fn(String) -> String) {
    std::fs::create_dir_all(dir).unwrap();
    for (name, src) in support::sample_sources(case) {
        let src = if name == "评价底稿.xlsx" { edit(src) } else { src };
        support::write(&src, &dir.join(&name), &Variant::default());
    }
}

/// The shipped Hebei system (高邑's) with `edit` applied, written to `path`.
fn hebei_system(path: &Path, edit: impl Fn(String) -> String) {
    let text =
        std::fs::read_to_string(support::root().join("templates/indicator-systems/hebei-dept-self-eval.toml")).unwrap();
    let edited = edit(text.clone());
    assert_ne!(edited, text, "the edit changed the system");
    std::fs::write(path, edited).unwrap();
}

/// Guards the rules against a system file's numbers: a `step` rule with
/// `per = 0` (a division by zero) is refused by `jixiao system` and by
/// `build` with the rule's name, exit 1 or 2, never a panic (rc 101); a NaN
/// rule weight and an inf parameter are refused by name, not taken for
/// "missing input" or silently ignored.
#[test]
fn system_rule_dividing_by_zero() {
    let root = support::temp_dir("hostile-system-zero");
    let case = root.join("case");
    sources_into("gaoyi-2021", &case, |s| s);
    let zero = root.join("per-zero.toml");
    hebei_system(&zero, |t| t.replace("per = 5\n", "per = 0\n").replace("per = 0.1\n", "per = 0\n"));
    let o = jixiao(&["system"], &[&zero]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("规则“step”的参数“per”为 0，应大于 0"), "{t}");
    assert!(t.contains("结转结余率") || t.contains("第"), "{t}");
    let out = root.join("out");
    let (zero_s, case_s, out_s) = (zero.to_str().unwrap(), case.to_str().unwrap(), out.to_str().unwrap());
    let runs: [&[&str]; 3] = [
        &["build", "--no-toc-pages", "--system", zero_s, "--out", out_s, case_s],
        &["score", "--system", zero_s, case_s],
        &["annex", "--system", zero_s, "--out", out_s, case_s],
    ];
    for args in runs {
        let o = jixiao(args, &[]);
        let t = text(&o);
        assert_ne!(o.status.code(), Some(101), "{args:?} panicked: {t}");
        assert!(!t.contains("panicked"), "{args:?}: {t}");
        assert!(t.contains("规则“step”的参数“per”为 0"), "{args:?}: {t}");
    }

    let nan = root.join("nan.toml");
    hebei_system(&nan, |t| {
        t.replacen("deduct = 0.2\n", "deduct = 0.2\nweight = nan\n", 1).replacen(
            "threshold = 100\n",
            "threshold = inf\n",
            1,
        )
    });
    let o = jixiao(&["system"], &[&nan]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("规则“step”的分值 weight “NaN”不是数字"), "{t}");
    assert!(t.contains("参数“threshold”应为数字，却是“inf”"), "{t}");
    assert!(!t.contains("缺少"), "a NaN is not a missing input: {t}");
}

// ---------------------------------------------------------------------------
// 11. Kind and system files linked out of their folder (issue 24, item 10)
// ---------------------------------------------------------------------------

/// Guards the files a case folder names (a report kind's `kind.toml`, a
/// system file, its `指标体系/` folder) and those given with `--kind` /
/// `--system`: a symbolic link to `/etc/passwd` is refused with a message
/// naming the file, and no line of it is printed.
#[cfg(unix)]
#[test]
fn kind_and_system_files_linked_out_of_their_folder() {
    use std::os::unix::fs::symlink;
    let root = support::temp_dir("hostile-kind-link");
    let leaked = |t: &str| t.contains("root:") || t.contains("/bin/");
    // A kind folder in the case folder whose kind.toml is a link.
    let case = root.join("case");
    sources_into(CASE, &case, |src| src.replacen(OBJECT_ROW, &format!("{OBJECT_ROW}@row 报告类型\t我的报告\n"), 1));
    std::fs::create_dir_all(case.join("我的报告")).unwrap();
    symlink("/etc/passwd", case.join("我的报告").join("kind.toml")).unwrap();
    let o = jixiao(&["build", "--no-toc-pages", "--out"], &[&root.join("out1"), &case]);
    let t = text(&o);
    assert!(!o.status.success(), "{t}");
    assert!(t.contains("kind.toml") && t.contains("之外"), "{t}");
    assert!(!leaked(&t), "{t}");
    // `--kind DIR` whose kind.toml is a link.
    let out3 = root.join("out3");
    let o = jixiao(
        &["build", "--no-toc-pages", "--out"],
        &[&out3, Path::new("--kind"), &case.join("我的报告"), &sample_case()],
    );
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(t.contains("kind.toml") && t.contains("之外"), "{t}");
    assert!(!leaked(&t), "{t}");
    // A kind folder that is itself a link out of the case folder.
    let case2 = root.join("case2");
    sources_into(CASE, &case2, |src| src.replacen(OBJECT_ROW, &format!("{OBJECT_ROW}@row 报告类型\t外面\n"), 1));
    let outside = root.join("outside-kind");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("kind.toml"), "name = \"外面\"\nparts = [\"cover.j2\"]\n").unwrap();
    symlink(&outside, case2.join("外面")).unwrap();
    let o = jixiao(&["build", "--no-toc-pages", "--out"], &[&root.join("out2"), &case2]);
    let t = text(&o);
    assert!(!o.status.success(), "{t}");
    assert!(t.contains("报告类型") && t.contains("之外"), "{t}");

    // A system file the paper names, a link to /etc/passwd.
    let case3 = root.join("case3");
    sources_into(CASE, &case3, |src| {
        let row = src.lines().find(|l| l.starts_with("@row 指标体系\t")).unwrap().to_string();
        src.replacen(&row, "@row 指标体系\tevil.toml", 1)
    });
    symlink("/etc/passwd", case3.join("evil.toml")).unwrap();
    let o = jixiao(&["score"], &[&case3]);
    let t = text(&o);
    assert!(!o.status.success(), "{t}");
    assert!(t.contains("evil.toml") && t.contains("之外"), "{t}");
    assert!(!leaked(&t), "{t}");
    // … in a 指标体系 folder that is a link out of the case folder.
    std::fs::remove_file(case3.join("evil.toml")).unwrap();
    let systems = root.join("outside-systems");
    std::fs::create_dir_all(&systems).unwrap();
    symlink("/etc/passwd", systems.join("evil.toml")).unwrap();
    symlink(&systems, case3.join("指标体系")).unwrap();
    let o = jixiao(&["score"], &[&case3]);
    let t = text(&o);
    assert!(!o.status.success(), "{t}");
    assert!(t.contains("之外"), "{t}");
    assert!(!leaked(&t), "{t}");
    // `--system FILE`, a link out of its folder.
    let link = root.join("system-link.toml");
    symlink("/etc/passwd", &link).unwrap();
    let o = jixiao(&["score", "--system"], &[&link, &sample_case()]);
    let t = text(&o);
    assert!(!o.status.success(), "{t}");
    assert!(t.contains("system-link.toml") && t.contains("之外"), "{t}");
    assert!(!leaked(&t), "{t}");
    let o = jixiao(&["system"], &[&link]);
    let t = text(&o);
    assert!(!o.status.success() && t.contains("之外") && !leaked(&t), "{t}");
    // A TOML error in a file of one's own names the line, without quoting it.
    let broken = root.join("broken.toml");
    std::fs::write(&broken, "name = \"x\"\nsecret-line-of-text\n").unwrap();
    let o = jixiao(&["system"], &[&broken]);
    let t = text(&o);
    assert!(t.contains("指标体系文件格式错误：第2行"), "{t}");
    assert!(!t.contains("secret-line-of-text"), "{t}");
}

// ---------------------------------------------------------------------------
// 12. Templates that take all memory (issue 24, item 11)
// ---------------------------------------------------------------------------

/// A copy of the sample whose `templates/chapter4.j2` is `source`, built by
/// the binary with its peak memory measured.
fn build_measured_with_template(name: &str, source: &str) -> Measured {
    let root = support::temp_dir(name);
    let case = root.join("case");
    sample_copy(&case);
    std::fs::create_dir_all(case.join("templates")).unwrap();
    std::fs::write(case.join("templates").join("chapter4.j2"), source).unwrap();
    let out = root.join("out");
    let m = run_measured(&["build", "--no-toc-pages", "--out", out.to_str().unwrap()], &case, Duration::from_secs(120));
    eprintln!("{name}: {:?}, peak {} kB, {:?}", m.status, m.peak_kb, m.elapsed);
    no_docx(&out);
    m
}

/// Guards against a template printing a million short paragraphs (2 MB of
/// output, under the 16 MB cap): the part stops at 10,000 blocks with a
/// message naming it, within 300 MB.
#[test]
fn template_printing_a_million_paragraphs() {
    let m = build_measured_with_template("hostile-template-paragraphs", r#"{{ "段\n" * 1000000 }}"#);
    assert!(m.status.code().is_some(), "killed by a signal: {:?}\n{}", m.status, m.stderr);
    assert!(!m.status.success(), "{}", m.stdout);
    assert!(!m.stderr.contains("panicked"), "{}", m.stderr);
    let t = format!("{}{}", m.stdout, m.stderr);
    assert!(t.contains("chapter4.j2：段落、标题和表格超过 10000 个，已停止"), "{t}");
    assert!(m.peak_kb <= MB_300_KB, "peak memory {} MB", m.peak_kb / 1024);
}

/// Guards against a template doubling a string until memory runs out: the
/// fuel (which minijinja charges per byte produced) stops it within 300 MB.
#[test]
fn template_doubling_a_string() {
    let m = build_measured_with_template(
        "hostile-template-doubling",
        "{% macro twice(s) %}{{ s ~ s }}{% endmacro %}{% set ns = namespace(s='xxxxxxxx') %}\
         {% for i in range(40) %}{% set ns.s = twice(ns.s) %}{% endfor %}{{ ns.s | length }}",
    );
    assert!(m.status.code().is_some(), "killed by a signal: {:?}\n{}", m.status, m.stderr);
    assert!(!m.status.success(), "{}", m.stdout);
    assert!(!m.stderr.contains("panicked"), "{}", m.stderr);
    let t = format!("{}{}", m.stdout, m.stderr);
    assert!(t.contains("chapter4.j2") && t.contains("上限"), "{t}");
    assert!(m.peak_kb <= MB_300_KB, "peak memory {} MB", m.peak_kb / 1024);
}

/// The budgets measured: each sample's parts take far less fuel and give
/// far fewer blocks than the limits allow (a tenth at most), so the limits
/// never stop a real report.
#[test]
fn shipped_templates_within_their_budgets() {
    use jixiao::render::report::{part_costs, text::TEMPLATE_FUEL, PART_BLOCK_LIMIT};
    for case in ["zaozhuang-shizhong-2024", "gaoyi-2021", "project-yiliaojiuzhu-2024"] {
        let out = support::temp_dir(&format!("hostile-budgets-{case}"));
        let run = build_into(&support::root().join("sample-workbooks").join(case), &out);
        let costs = part_costs(&run.annex.evaluation, &run.options).unwrap();
        let fuel = costs.iter().map(|c| c.fuel).max().unwrap();
        let blocks = costs.iter().map(|c| c.blocks).max().unwrap();
        let bytes = costs.iter().map(|c| c.bytes).max().unwrap();
        eprintln!("{case}: most fuel {fuel}, blocks {blocks}, bytes {bytes} in one part; {costs:?}");
        assert!(fuel * 10 <= TEMPLATE_FUEL, "{case}: {fuel} fuel");
        assert!(blocks * 10 <= PART_BLOCK_LIMIT, "{case}: {blocks} blocks");
    }
}

// ---------------------------------------------------------------------------
// 13. A sheet of a million rows (issue 24, item 12)
// ---------------------------------------------------------------------------

/// An xlsx whose first sheet has 1,048,576 rows of three cells (a number,
/// a fraction, a distinct text): 3.1 million cells, read in part.
fn write_million_rows(path: &Path) {
    support::write_sheet1(path, |w| {
        let mut chunk = String::new();
        for r in 1..=1_048_576u32 {
            use std::fmt::Write as _;
            let _ = write!(
                chunk,
                r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><v>{r}.25</v></c><c r="C{r}" t="inlineStr"><is><t>科目{r}</t></is></c></row>"#
            );
            if chunk.len() > 1 << 20 {
                w.write_all(chunk.as_bytes()).unwrap();
                chunk.clear();
            }
        }
        w.write_all(chunk.as_bytes()).unwrap();
    });
}

/// Guards the sheet-size promise on memory: a sheet of 1,048,576 rows is
/// read in part (2,000,000 cells) within 300 MB, and a 提示 says so.
#[test]
fn a_sheet_of_a_million_rows() {
    let dir = support::temp_dir("hostile-million-rows");
    let path = dir.join("百万行.xlsx");
    write_million_rows(&path);
    let m = run_measured(&["inspect"], &path, Duration::from_secs(120));
    eprintln!("million rows: {:?}, peak {} kB, {:?}", m.status, m.peak_kb, m.elapsed);
    assert!(m.status.code().is_some(), "killed by a signal: {:?}\n{}", m.status, m.stderr);
    assert!(matches!(m.status.code(), Some(0..=2)), "{:?}\n{}", m.status, m.stderr);
    assert!(!m.stderr.contains("panicked"), "{}", m.stderr);
    assert!(m.stderr.contains("只读取了"), "{}", m.stderr);
    assert!(m.peak_kb <= MB_300_KB, "peak memory {} MB", m.peak_kb / 1024);
}

// ---------------------------------------------------------------------------
// 14. Invisible characters and unknown placeholders in names (issue 24, item 13)
// ---------------------------------------------------------------------------

/// Guards file names against bidirectional and zero-width characters typed
/// in a 评价对象 (U+202E makes `报告\u{202E}xcod.exe` look like an .exe
/// name reversed), and a kind's title against placeholders it cannot fill:
/// `{项目责任单位}` is refused when the kind is loaded, the known ones
/// listed; messages end in one 。.
#[cfg(unix)]
#[test]
fn invisible_characters_and_unknown_placeholders() {
    use jixiao::output::safe_file_name;
    for c in [
        '\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}',
        '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', '\u{FEFF}',
    ] {
        assert_eq!(safe_file_name(&format!("某局{c}报告.docx")), "某局报告.docx", "U+{:04X}", c as u32);
    }
    let root = support::temp_dir("hostile-names");
    let case = root.join("case");
    sample_into(&case, |src| src.replacen(OBJECT_ROW, "@row 评价对象\t枣庄市\u{202E}市中区医疗保障局\n", 1));
    let run = build_into(&case, &root.join("out"));
    let name = run.report.file_name().unwrap().to_str().unwrap().to_string();
    assert_eq!(name, "枣庄市市中区医疗保障局2024年度绩效评价报告.docx");

    let kind = root.join("kind");
    std::fs::create_dir_all(&kind).unwrap();
    std::fs::write(
        kind.join("kind.toml"),
        "name = \"自定义\"\ntitle = \"{项目责任单位}{年度}年度绩效评价报告\"\nparts = [\"cover.j2\"]\n",
    )
    .unwrap();
    let out = root.join("out-kind");
    let o = jixiao(&["build", "--no-toc-pages", "--out"], &[&out, Path::new("--kind"), &kind, &sample_case()]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(
        t.contains(
            "占位符“{项目责任单位}”无法识别：可用的占位符有 “{评价对象}”、“{年度}”、“{评价项目}”、“{主管部门}”。"
        ),
        "{t}"
    );
    assert!(!out.exists() || file_names(&out).iter().all(|n| !n.ends_with(".docx")), "{t}");

    // A refused template: one 。 at the end.
    let (msg, _, _) = build_with_template("hostile-template-link-stop", |p| {
        std::os::unix::fs::symlink("/etc/passwd", p).unwrap();
    });
    assert!(!msg.contains("。。"), "{msg}");
}
