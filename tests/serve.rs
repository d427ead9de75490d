//! `jixiao serve`: the server on a free loopback port, driven over real
//! sockets (security: traversal, symbolic links out, tokens, limits, types,
//! Host) and by a real headless Chromium through chromedriver (WebDriver):
//! cases, a case, upload into a new case, 重新生成 with the page updating
//! itself, the DOCX download equal to what `build` writes.

mod support;

use support::web::*;

#[test]
fn every_route_refuses_what_it_must() {
    let root = root_with_samples("serve-security");
    // A case outside ROOT, reached by a symbolic link inside it.
    let outside = support::temp_dir("serve-outside");
    copy_sample("gaoyi-2021", &outside.join("secret"));
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.join("secret"), root.join("link-out")).unwrap();
    let s = start(&root);
    let p = s.port;
    let token = s.token.clone();
    assert_eq!(s.get("/").0, 200);
    // Traversal and absolute paths: never outside ROOT.
    for path in [
        "/case/..%2F..%2Fetc/files/passwd",
        "/case/../files/x",
        "/case/%2Fetc%2Fpasswd",
        "/case/gaoyi-2021/files/..%2F评价底稿.xlsx",
        "/case/gaoyi-2021/files/%2Fetc%2Fpasswd",
        "/case/link-out",
        "/case/link-out/files/评价结果.json",
        "/case/gaoyi-2021/inputs/..%2F..%2Fx.xlsx",
        "/case/gaoyi-2021/inputs/%2Fetc%2Fpasswd",
    ] {
        let (status, _) = s.get(path);
        assert!(status == 404 || status == 400, "{path}: {status}");
    }
    // POST/PUT without the token, or with a wrong one.
    assert_eq!(http(p, "POST", "/case/gaoyi-2021/rebuild", &[], b"").0, 403);
    assert_eq!(http(p, "POST", "/case/gaoyi-2021/rebuild", &[("X-Jixiao-Token", "0000")], b"").0, 403);
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    assert_eq!(http(p, "POST", "/new", &form, b"name=x&token=bad").0, 403);
    assert_eq!(http(p, "PUT", "/case/gaoyi-2021/upload?file=a.xlsx", &[], b"PK").0, 403);
    // Another Host (a page on the internet rebinding its name to 127.0.0.1).
    assert_eq!(http(p, "GET", "/", &[("Host", &format!("evil.example:{p}"))], b"").0, 403);
    // Uploads: not a workbook; over the limit.
    let t = [("X-Jixiao-Token", token.as_str())];
    assert_eq!(http(p, "PUT", "/case/gaoyi-2021/upload?file=run.exe", &t, b"MZ").0, 415);
    let big = vec![0u8; jixiao::serve::guard::UPLOAD_LIMIT + 1];
    assert_eq!(http(p, "PUT", "/case/gaoyi-2021/upload?file=big.xlsx", &t, &big).0, 413);
    assert!(!root.join("gaoyi-2021").join("big.xlsx").exists() && !root.join("gaoyi-2021").join("run.exe").exists());
    // A name with a path is saved under its last component, inside the case.
    let workbook = small_workbook("上传");
    assert_eq!(http(p, "PUT", "/case/gaoyi-2021/upload?file=..%2F..%2Fx.xlsx", &t, &workbook).0, 201);
    assert!(root.join("gaoyi-2021").join("x.xlsx").is_file() && !root.join("x.xlsx").exists());
    // The symbolic link's case is not listed either.
    assert!(!s.get("/").1.contains("link-out"));
}

#[test]
fn cases_rebuild_and_download_over_http() {
    let root = root_with_samples("serve-http");
    let s = start(&root);
    let p = s.port;
    let t = [("X-Jixiao-Token", s.token.as_str())];
    for case in [CASE, "gaoyi-2021"] {
        let (status, body) = http(p, "POST", &format!("/case/{case}/rebuild"), &t, b"");
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    }
    let (_, page) = s.get("/");
    assert!(page.contains(">82.03<") && page.contains(">97<"), "{page}");
    // The portfolio summary from the page: one group per kind and year, downloadable, never a case itself.
    let (status, text) = http(p, "POST", "/summary", &t, b"");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&text));
    assert!(String::from_utf8_lossy(&text).contains("汇总已生成：2 个案例"));
    let (_, page) = s.get("/");
    assert!(page.contains("/summary/files/"), "{page}");
    assert!(!page.contains("data-case=\"汇总\""), "the summary folder is not a case");
    let name = "汇总表（部门预算整体绩效评价 2024）.xlsx";
    let encoded: String = name.bytes().map(|b| format!("%{b:02X}")).collect();
    let (status, bytes) = http(p, "GET", &format!("/summary/files/{encoded}"), &t, b"");
    assert_eq!(status, 200);
    assert!(bytes.starts_with(b"PK"));
    assert_eq!(http(p, "POST", "/summary", &[], b"").0, 403, "the summary needs the token too");
    let (_, case) = s.get(&format!("/case/{CASE}"));
    assert!(case.contains("id=\"score\">82.03<"), "{case}");
    assert!(case.contains("问题清单（14 条）"), "{case}");
    // The DOCX as `build` writes it.
    let docx = "枣庄市市中区医疗保障局2024年度绩效评价报告.docx";
    let encoded: String = docx.bytes().map(|b| format!("%{b:02X}")).collect();
    let (status, bytes) = http(p, "GET", &format!("/case/{CASE}/files/{encoded}"), &t, b"");
    assert_eq!(status, 200);
    let out = support::temp_dir("serve-http-build");
    let built = support::jixiao(&["build", "--out"], &[&out, &root.join(CASE)]);
    assert!(built.status.success());
    assert!(bytes == std::fs::read(out.join(docx)).unwrap(), "the download is the bytes build writes");
}

#[test]
fn staff_use_it_in_a_real_browser() {
    let root = root_with_samples("serve-browser");
    let s = start(&root);
    let Some(b) = Browser::start() else { return };
    let base = format!("http://127.0.0.1:{}", s.port);
    let t = [("X-Jixiao-Token", s.token.as_str())];
    for case in [CASE, "gaoyi-2021"] {
        assert_eq!(http(s.port, "POST", &format!("/case/{case}/rebuild"), &t, b"").0, 200);
    }
    // The cases page: both samples with their scores.
    b.go(&format!("{base}/?t={}", s.token));
    let table = b.text("#cases");
    assert!(table.contains("82.03") && table.contains("97"), "{table}");
    let shots = support::root().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    b.screenshot(&shots.join("serve-cases.png"));
    // A case: 82.03 and the 14 problems.
    b.go(&format!("{base}/case/{CASE}"));
    assert_eq!(b.text("#score"), "82.03");
    assert_eq!(b.run("return document.querySelectorAll('#problems tbody tr').length"), serde_json::json!(14));
    b.screenshot(&shots.join("serve-case.png"));
    // 重新生成 after editing a working-paper copy: the score changes without a reload.
    b.run("window.__marker = 'same page';");
    let (_, paper) = support::sample_sources(CASE).into_iter().find(|(n, _)| n == "评价底稿.xlsx").unwrap();
    let line =
        paper.lines().find(|l| l.starts_with("@row 会计核算规范性\t②\t=0.5\t原始凭证不完整")).unwrap().to_string();
    support::write(
        &paper.replace(&format!("{line}\n"), ""),
        &root.join(CASE).join("评价底稿.xlsx"),
        &support::Variant::default(),
    );
    let button = b.find("#rebuild").unwrap();
    b.call("POST", &format!("/element/{button}/click"), serde_json::json!({}));
    let score = b.wait_text("#score", |t| t == "82.53", 90);
    assert_eq!(score, "82.53");
    assert_eq!(b.run("return window.__marker"), serde_json::json!("same page"), "no reload");
    // A file changed in the folder by someone else: the page follows (server-sent events), still no reload.
    std::fs::copy(root.join(CASE).join("整体绩效目标表.xlsx"), root.join(CASE).join("补充材料.xlsx")).unwrap();
    let inputs = b.wait_text("#inputs", |t| t.contains("补充材料.xlsx"), 30);
    assert!(inputs.contains("补充材料.xlsx"), "{inputs}");
    assert_eq!(b.run("return window.__marker"), serde_json::json!("same page"), "no reload");
    // Keyboard only: Tab reaches 重新生成 (after the home link and the crumbs), Enter presses it.
    b.go(&format!("{base}/case/gaoyi-2021"));
    let key = |k: &str| {
        b.call(
            "POST",
            "/actions",
            serde_json::json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
                {"type": "keyDown", "value": k}, {"type": "keyUp", "value": k}]}]}),
        );
    };
    let mut tabs = 0;
    while b.run("return document.activeElement && document.activeElement.id") != serde_json::json!("rebuild")
        && tabs < 10
    {
        key("\u{E004}");
        tabs += 1;
    }
    assert!(tabs < 10, "重新生成 is reachable by Tab");
    key("\u{E007}");
    let changes = b.wait_text("#changes", |t| t.contains("已重新生成"), 90);
    assert!(changes.contains("已重新生成：97 分"), "{changes}");
    // A new case from the page, a workbook uploaded into it, its 待填 list.
    b.go(&format!("{base}/"));
    let name = b.find("#new-name").unwrap();
    b.call("POST", &format!("/element/{name}/value"), serde_json::json!({"text": "新部门2024"}));
    b.run("document.querySelector('form.inline').submit()");
    let h1 = b.wait_text("h1", |t| t.contains("新部门2024"), 30);
    assert!(h1.contains("新部门2024"), "{h1}: {}", b.text("body"));
    assert!(root.join("新部门2024").join("评价底稿.xlsx").is_file());
    // Its blank working paper can be downloaded from the page.
    let href = b.run("return document.querySelector('#inputs a').getAttribute('href')");
    let (status, paper) = http(s.port, "GET", href.as_str().unwrap(), &t, b"");
    assert_eq!(status, 200);
    assert!(paper == std::fs::read(root.join("新部门2024").join("评价底稿.xlsx")).unwrap());
    let input = b.find("#file-input").unwrap();
    let workbook = support::root().join("sample-workbooks").join(CASE).join("2024年部门预算公开表.xlsx");
    b.call("POST", &format!("/element/{input}/value"), serde_json::json!({"text": workbook.display().to_string()}));
    let inputs = b.wait_text("#inputs", |t| t.contains("2024年部门预算公开表.xlsx"), 30);
    assert!(inputs.contains("2024年部门预算公开表.xlsx"), "{inputs}");
    let button = b.find("#rebuild").unwrap();
    b.call("POST", &format!("/element/{button}/click"), serde_json::json!({}));
    let pending = b.wait_text("#pending", |t| !t.is_empty(), 90);
    assert!(pending.contains("缺少") && pending.contains("在哪里填写"), "{pending}");
}
