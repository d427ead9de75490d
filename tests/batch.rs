//! `jixiao build` over folders of cases: parallel runs, failures reported
//! clearly without stopping the others, outputs written atomically and never
//! over a file a person edited, awkward paths and big workbooks.

mod support;

use std::path::Path;
use std::process::Command;

use support::{jixiao, text, Variant};

const CASE: &str = "zaozhuang-shizhong-2024";

/// Write the sample's sources into `dir`, each edited by `edit`.
fn sample_into(dir: &Path, edit: impl Fn(&str, String) -> String) {
    std::fs::create_dir_all(dir).unwrap();
    for (name, src) in support::sample_sources(CASE) {
        support::write(&edit(&name, src), &dir.join(&name), &Variant::default());
    }
}

/// The page numbers the 目录's lines show (each `PAGEREF` field's result).
fn toc_numbers(docx: &Path) -> Vec<String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    xml.split("PAGEREF _Toc")
        .skip(1)
        .map(|field| {
            let result = field.split("w:fldCharType=\"end\"").next().unwrap_or("");
            result
                .split("<w:t")
                .skip(1)
                .filter_map(|t| t.split_once('>'))
                .map(|(_, t)| t.split("</w:t>").next().unwrap_or(""))
                .collect()
        })
        .collect()
}

#[test]
fn a_folder_of_good_and_broken_cases() {
    let root = support::temp_dir("batch-root");
    let out = support::temp_dir("batch-out");
    // Two good cases.
    for case in ["gaoyi-2021", CASE] {
        let dir = root.join(case);
        std::fs::create_dir_all(&dir).unwrap();
        for e in std::fs::read_dir(support::root().join("sample-workbooks").join(case)).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
        }
    }
    // Broken 1: only a truncated workbook, no working paper.
    let b1 = root.join("坏案例1-损坏文件");
    std::fs::create_dir_all(&b1).unwrap();
    let bytes = std::fs::read(root.join(CASE).join("2024年部门预算公开表.xlsx")).unwrap();
    std::fs::write(b1.join("2024年部门预算公开表.xlsx"), &bytes[..bytes.len() / 3]).unwrap();
    // Broken 2: a finding pointing to no indicator.
    sample_into(&root.join("坏案例2-底稿指标名错"), |name, src| {
        if name == "评价底稿.xlsx" {
            src.replacen("@row 会计核算规范性\t", "@row 会计核算规范\t", 1)
        } else {
            src
        }
    });
    // Broken 3: a number typo in the budget and a fact missing from the paper.
    sample_into(&root.join("坏案例3-数字错误"), |name, src| match name {
        "2024年部门预算公开表.xlsx" => src.replacen("\t7.71\t", "\t'7.7l\t", 1),
        "评价底稿.xlsx" => src.lines().filter(|l| !l.starts_with("@row 6月底支出")).collect::<Vec<_>>().join("\n"),
        _ => src,
    });
    let o = jixiao(&["build", "--out"], &[&out, &root]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    // The two reports are written.
    assert!(out.join(CASE).join("枣庄市市中区医疗保障局2024年度绩效评价报告.docx").is_file(), "{t}");
    assert!(out.join("gaoyi-2021").join("高邑县医疗保障局部门2021年度整体支出绩效自评报告.docx").is_file(), "{t}");
    // The summary has every case; the three failures say why, naming file › sheet › cell.
    assert!(t.contains("共 5 个案例：成功 3 个，失败 2 个。"), "{t}");
    assert!(t.contains("2 个案例失败"), "{t}");
    assert!(t.contains("2024年部门预算公开表.xlsx：文件已损坏或不完整"), "{t}");
    assert!(t.contains("评价底稿.xlsx › 发现 › 第") && t.contains("“会计核算规范”不在指标体系"), "{t}");
    assert!(t.contains("2024年部门预算公开表.xlsx › 06基本支出 ›") && t.contains("“7.7l”不是有效数字"), "{t}");
    // A missing 事实 does not fail the case: its report is a draft that says what is missing.
    assert!(t.contains("坏案例3-数字错误：报告为草稿：缺 1 项"), "{t}");
    assert!(t.contains("缺事实（1 项）") && t.contains("事实“6月底支出”：在 评价底稿.xlsx › 事实"), "{t}");
    assert!(t.contains("（指标“预算执行进度”用）"), "{t}");
    let table_line = t.lines().find(|l| l.contains(CASE) && l.contains("82.03")).expect("a summary row");
    assert!(table_line.contains("良"), "{table_line}");
    // The batch's one layout pass numbered every 目录 line of both reports that have a 目录.
    if ["soffice", "libreoffice"].iter().any(|b| std::process::Command::new(b).arg("--version").output().is_ok()) {
        for (case, file) in [
            (CASE, "枣庄市市中区医疗保障局2024年度绩效评价报告.docx"),
            ("坏案例3-数字错误", "枣庄市市中区医疗保障局2024年度绩效评价报告.docx"),
        ] {
            let numbers = toc_numbers(&out.join(case).join(file));
            assert!(numbers.len() >= 20, "{case}: {numbers:?}");
            assert!(numbers.iter().all(|n| n.parse::<u32>().is_ok()), "{case}: {numbers:?}");
            assert_eq!(numbers[0], "1", "{case}: 一、部门概况 on the body's first page");
            assert!(numbers.windows(2).all(|w| w[0].parse::<u32>().unwrap() <= w[1].parse::<u32>().unwrap()));
        }
        assert!(!t.contains("目录页码未排版"), "{t}");
        // The batch's numbers are the ones a build of the case alone finds
        // (tests/report.rs checks those against the printed pages).
        let alone = support::temp_dir("batch-alone");
        let o = jixiao(&["build", "--out"], &[&alone, &root.join(CASE)]);
        assert!(o.status.success(), "{}", text(&o));
        let file = "枣庄市市中区医疗保障局2024年度绩效评价报告.docx";
        assert_eq!(toc_numbers(&out.join(CASE).join(file)), toc_numbers(&alone.join(file)));
    } else {
        assert!(std::env::var_os("CI").is_none(), "CI must have LibreOffice");
        assert!(t.contains("份报告的目录页码未排版（未找到 LibreOffice 或排版失败）"), "{t}");
    }
    // Nothing written into the input folders: the same files as the sample's.
    let names = |dir: &std::path::Path| {
        let mut v: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    };
    assert_eq!(names(&root.join(CASE)), names(&support::root().join("sample-workbooks").join(CASE)));
}

#[test]
fn an_edited_output_is_not_overwritten() {
    let case = support::root().join("sample-workbooks").join(CASE);
    let out = support::temp_dir("batch-protect");
    assert!(jixiao(&["build", "--no-toc-pages", "--out"], &[&out, &case]).status.success());
    assert!(out.join(".jixiao-manifest.json").is_file());
    // A person edits 附件3 (here: appends bytes, as a re-save would change them).
    let edited = out.join("附件3 问题清单.xlsx");
    let mut bytes = std::fs::read(&edited).unwrap();
    bytes.extend_from_slice(b"edited");
    std::fs::write(&edited, &bytes).unwrap();
    let o = jixiao(&["build", "--no-toc-pages", "--out"], &[&out, &case]);
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(
        t.contains("“附件3 问题清单.xlsx”在上次生成后被修改过，未覆盖；新版本写为“附件3 问题清单（新版）.xlsx”"),
        "{t}"
    );
    assert_eq!(std::fs::read(&edited).unwrap(), bytes, "the edited file is untouched");
    assert!(out.join("附件3 问题清单（新版）.xlsx").is_file());
    // Unedited outputs are simply replaced; no temporary files remain.
    let leftovers: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // --force overwrites.
    let o = jixiao(&["build", "--no-toc-pages", "--force", "--out"], &[&out, &case]);
    assert!(o.status.success());
    assert_ne!(std::fs::read(&edited).unwrap(), bytes);
}

#[test]
fn chinese_paths_with_spaces_and_an_unwritable_output() {
    let root = support::temp_dir("batch-paths");
    let case = root.join("案例 一").join("市中区 医保局 2024");
    sample_into(&case, |_, s| s);
    let out = root.join("输出 文件夹");
    let o = jixiao(&["build", "--no-toc-pages", "--out"], &[&out, &case]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(out.join("枣庄市市中区医疗保障局2024年度绩效评价报告.docx").is_file());
    // An output folder that cannot be created: a clear message, exit 1.
    let file = root.join("一个文件");
    std::fs::write(&file, "x").unwrap();
    let o = jixiao(&["build", "--no-toc-pages", "--out"], &[&file.join("子目录"), &case]);
    assert_eq!(o.status.code(), Some(1));
    let t = text(&o);
    assert!(t.contains("一个文件/子目录") && (t.contains("无法写入") || t.contains("不可写")), "{t}");
}

/// A 10,000-row table and a 200-sheet workbook go through `build` with
/// clear results.
#[test]
fn big_workbooks() {
    let root = support::temp_dir("batch-big");
    let case = root.join("big");
    sample_into(&case, |_, s| s);
    // 10,000 rows: an extra sheet of 项目 in a 项目支出预算情况表-like list.
    let mut rows = String::from("@sheet 大表\n@title 分项绩效项目清单\n@header 序号\t项目名称\t预算数\t执行数\n");
    for i in 1..=10_000 {
        rows.push_str(&format!("@row {i}\t项目{i}\t{i}.00\t{i}.00\n"));
    }
    support::write(&rows, &case.join("大表.xlsx"), &Variant::default());
    // 200 sheets of unrelated text.
    let mut sheets = String::new();
    for i in 1..=200 {
        sheets.push_str(&format!("@sheet 草稿{i}\n@row 说明\t第{i}页\n"));
    }
    support::write(&sheets, &case.join("两百页.xlsx"), &Variant::default());
    let started = std::time::Instant::now();
    let o = jixiao(&["build", "--no-toc-pages", "--out"], &[&root.join("out"), &case]);
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
    let inspect = jixiao(&["inspect"], &[&case]);
    let it = text(&inspect);
    assert!(it.contains("分项绩效项目清单  大表 › A1:D10002  10000 行"), "{it}");
    assert!(it.contains("未识别的工作表：草稿200"), "{it}");
}

/// `jixiao watch` rebuilds after a workbook changes (and only then).
#[test]
fn watch_rebuilds_after_a_change() {
    let root = support::temp_dir("batch-watch");
    let case = root.join("case");
    sample_into(&case, |_, s| s);
    let out = case.join("output");
    let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .arg("watch")
        .arg(&case)
        .arg("--out")
        .arg(&out)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let json = out.join("评价结果.json");
    let total = || -> Option<String> {
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).ok()?).ok()?;
        v["score"]["total"].as_str().map(String::from)
    };
    let wait_for = |want: &str| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while std::time::Instant::now() < deadline {
            if total().as_deref() == Some(want) {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        false
    };
    let first = wait_for("82.03");
    // Excel's lock file appears (ignored), then the working paper changes.
    std::fs::write(case.join("~$评价底稿.xlsx"), b"lock").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let (_, paper) = support::sample_sources(CASE).into_iter().find(|(n, _)| n == "评价底稿.xlsx").unwrap();
    let line =
        paper.lines().find(|l| l.starts_with("@row 会计核算规范性\t②\t=0.5\t原始凭证不完整")).unwrap().to_string();
    support::write(&paper.replace(&format!("{line}\n"), ""), &case.join("评价底稿.xlsx"), &Variant::default());
    let second = wait_for("82.53");
    // The JSON is written before the change report is printed.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    // Then the 目录's page numbers are filled (LibreOffice), without reading the inputs again.
    let soffice = ["soffice", "libreoffice"].iter().any(|b| Command::new(b).arg("--version").output().is_ok());
    let report = out.join("枣庄市市中区医疗保障局2024年度绩效评价报告.docx");
    let numbered = || {
        let n = toc_numbers(&report);
        !n.is_empty() && n.iter().all(|n| n.parse::<u32>().is_ok())
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while soffice && !numbered() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    let t = text(&output);
    assert!(first, "initial build: {t}");
    assert!(second, "rebuild after the change: {t}");
    assert!(t.contains("评价底稿.xlsx 有改动：已重新生成"), "{t}");
    assert!(t.contains("(9) 会计核算规范性 0.5 → 1"), "{t}");
    assert!(!t.contains("~$评价底稿.xlsx 有改动"), "the lock file is ignored: {t}");
    if soffice {
        assert!(numbered(), "the rebuilt report's 目录 is numbered: {t}");
        assert!(t.contains("目录页码已填写"), "{t}");
    }
}

/// The bad inputs of the ingest issue, each dropped into a copy of the
/// sample, through `build`: unreadable files fail the case with the file's
/// message; table errors are counted in the summary; the rest still builds.
#[test]
fn earlier_bad_inputs_through_build() {
    let root = support::temp_dir("batch-bad-inputs");
    let small = "@sheet 支出\n@title 支出决算表\n@meta 部门：某局\t\t\t\t金额单位：万元\n\
        @header 科目代码\t科目名称\t本年支出合计\t基本支出\t项目支出\n\
        @row 合计\t<\t1,547.33\t414.54\t1,132.79\n@row 210\t卫生健康支出\t1,547.33\t414.54\t1,132.79\n";
    type Damage = Box<dyn Fn(&Path)>;
    let cases: [(&str, Damage); 4] = [
        ("text-as-xlsx", Box::new(|d: &Path| std::fs::write(d.join("附表.xlsx"), "科目,金额\n210,1547.33\n").unwrap())),
        (
            "empty-workbook",
            Box::new(|d: &Path| support::write("@sheet Sheet1\n", &d.join("空白.xlsx"), &Variant::default())),
        ),
        (
            "shifted-header",
            Box::new(move |d: &Path| {
                let src: String = small
                    .lines()
                    .map(|l| l.strip_prefix("@row ").map(|r| format!("@row \t{r}\n")).unwrap_or(format!("{l}\n")))
                    .collect();
                support::write(&src, &d.join("2022年决算.xlsx"), &Variant::default())
            }),
        ),
        ("zero-bytes", Box::new(|d: &Path| std::fs::write(d.join("零字节.xls"), b"").unwrap())),
    ];
    for (name, add) in &cases {
        let dir = root.join(name);
        sample_into(&dir, |_, s| s);
        add(&dir);
    }
    let o = jixiao(&["build", "--no-toc-pages", "--out"], &[&root.join("out"), &root]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("附表.xlsx：不是 Excel 工作簿"), "{t}");
    assert!(t.contains("空白.xlsx：工作簿中没有任何内容"), "{t}");
    assert!(t.contains("零字节.xls：文件是空的"), "{t}");
    assert!(t.contains("共 4 个案例：成功 1 个，失败 3 个。"), "{t}");
    // The shifted header is an 错误 of that case, which still builds.
    let row = t.lines().find(|l| l.contains("shifted-header")).unwrap();
    let fields: Vec<&str> = row.split_whitespace().collect();
    assert_eq!((fields[1], fields[2]), ("82.03", "良"), "{row}");
    assert!(fields[3].parse::<usize>().unwrap() >= 1, "错误 counted: {row}");
    for (name, _) in &cases {
        assert!(root.join("out").join(name).join("评价结果.json").is_file(), "{name} still got its outputs");
    }
}

/// A batch of three cases whose middle one dies (an injected abort, as an
/// allocation failure inside a parser would) or is hostile (a workbook
/// declaring four billion strings): each case runs in a process of its
/// own, so the batch goes on — exit 1, the summary printed, the two good
/// reports written.
#[test]
fn a_dying_or_hostile_case_never_stops_the_batch() {
    for (what, abort) in [("aborts", true), ("hostile", false)] {
        let root = support::temp_dir(&format!("batch-isolation-{what}"));
        let out = root.join("输出");
        for case in ["a-case", "b-case", "c-case"] {
            let dir = root.join("cases").join(case);
            std::fs::create_dir_all(&dir).unwrap();
            for e in std::fs::read_dir(support::root().join("sample-workbooks").join(CASE)).unwrap() {
                let e = e.unwrap();
                std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
            }
        }
        if !abort {
            // uniqueCount="4000000000" in the middle case's budget workbook.
            let path = root.join("cases/b-case/2024年部门预算公开表.xlsx");
            let bytes = std::fs::read(&path).unwrap();
            let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
            for i in 0..zin.len() {
                let mut f = zin.by_index(i).unwrap();
                let mut data = Vec::new();
                std::io::Read::read_to_end(&mut f, &mut data).unwrap();
                if f.name() == "xl/sharedStrings.xml" {
                    let text = String::from_utf8(data).unwrap();
                    let at = text.find("uniqueCount=\"").unwrap() + 13;
                    let end = at + text[at..].find('"').unwrap();
                    data = format!("{}4000000000{}", &text[..at], &text[end..]).into_bytes();
                }
                w.start_file(f.name(), zip::write::SimpleFileOptions::default()).unwrap();
                std::io::Write::write_all(&mut w, &data).unwrap();
            }
            std::fs::write(&path, w.finish().unwrap().into_inner()).unwrap();
        }
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_jixiao"));
        cmd.arg("build").arg(root.join("cases")).arg("--out").arg(&out).arg("--no-toc-pages");
        if abort {
            cmd.env("JIXIAO_TEST_ABORT_CASE", "b-case");
        }
        let run = cmd.output().unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
        assert_eq!(run.status.code(), Some(1), "{what}: {text}");
        assert!(text.contains("共 3 个案例：成功 2 个，失败 1 个。"), "{what}: {text}");
        if abort {
            assert!(text.contains("处理该案例时程序异常终止（内存分配失败或内部错误，SIGABRT）"), "{text}");
        } else {
            assert!(text.contains("共享字符串表声明了 4000000000 个字符串"), "{text}");
        }
        for good in ["a-case", "c-case"] {
            let report = out.join(good).join("枣庄市市中区医疗保障局2024年度绩效评价报告.docx");
            assert!(report.is_file(), "{what}: {} missing\n{text}", report.display());
        }
    }
}

/// A symbolic-link loop under a batch root finds each case once (by its
/// real path), not once per path that reaches it.
#[cfg(unix)]
#[test]
fn a_link_loop_finds_each_case_once() {
    let root = support::temp_dir("batch-link-loop");
    let case = root.join("案例").join(CASE);
    sample_into(&case, |_, s| s);
    std::os::unix::fs::symlink(&root, root.join("案例").join("回到上级")).unwrap();
    std::os::unix::fs::symlink(&case, root.join("捷径")).unwrap();
    let found = jixiao::batch::find_cases(std::slice::from_ref(&root));
    assert_eq!(found.len(), 1, "{found:#?}");
}

/// `jixiao inspect --json | head -1`: the closed pipe ends the program
/// quietly (exit 0), never a panic.
#[test]
fn a_closed_pipe_is_not_a_panic() {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .arg("inspect")
        .arg("--json")
        .arg(support::root().join("sample-workbooks").join(CASE))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

/// `jixiao watch` on a folder that is then renamed says so and stops.
#[test]
fn watch_stops_when_its_folder_is_renamed() {
    let root = support::temp_dir("batch-watch-rename");
    let case = root.join("case");
    sample_into(&case, |_, s| s);
    let child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .arg("watch")
        .arg(&case)
        .arg("--out")
        .arg(root.join("out"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !root.join("out").join("评价结果.json").is_file() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    std::thread::sleep(std::time::Duration::from_millis(700));
    std::fs::rename(&case, root.join("case-renamed")).unwrap();
    let pid = child.id();
    let waiter = std::thread::spawn(move || child.wait_with_output().unwrap());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !waiter.is_finished() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    if !waiter.is_finished() {
        let _ = Command::new("kill").arg(pid.to_string()).status();
        panic!("watch did not stop after its folder was renamed");
    }
    let out = waiter.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("案例文件夹已被移动、改名或删除，已停止监视"), "{stderr}");
    assert_eq!(out.status.code(), Some(2));
}
