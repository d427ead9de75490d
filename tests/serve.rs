//! `jixiao serve`: the server on a free loopback port, driven over real
//! sockets (security: traversal, symbolic links out, tokens, limits, types,
//! Host) and by a real headless Chromium through chromedriver (WebDriver):
//! cases, a case, upload into a new case, 重新生成 with the page updating
//! itself, the DOCX download equal to what `build` writes.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CASE: &str = "zaozhuang-shizhong-2024";

/// A running `jixiao serve`, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
    token: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["serve", "--no-browser"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    reader.read_line(&mut line).unwrap();
    // Keep reading what it prints: the pipe stays open.
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
    // `jixiao 已启动：http://127.0.0.1:PORT/?t=TOKEN`
    let url = line.trim().rsplit('：').next().unwrap().to_string();
    let port = url.split(':').nth(2).unwrap().split('/').next().unwrap().parse().unwrap();
    let token = url.split("?t=").nth(1).unwrap().to_string();
    Server { child, port, token }
}

/// One HTTP/1.1 request; (status, body).
fn http(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        req.push_str(&format!("Host: 127.0.0.1:{port}\r\n"));
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    // Over the limit the server may answer and close before reading everything.
    let _ = s.write_all(body);
    // Read the head, then the body by its length (chromedriver keeps connections open).
    let mut raw = Vec::new();
    let mut buf = [0u8; 65536];
    let head_end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break raw.len(),
            Ok(n) => raw.extend_from_slice(&buf[..n]),
        }
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).into_owned();
    let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let lower = head.to_ascii_lowercase();
    let length =
        lower.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse::<usize>().ok());
    let chunked = lower.contains("transfer-encoding: chunked");
    loop {
        let have = raw.len() - head_end;
        let done = match length {
            Some(n) => have >= n,
            None if chunked => raw[head_end..].windows(5).any(|w| w == b"0\r\n\r\n"),
            None => false,
        };
        if done {
            break;
        }
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
        }
    }
    let mut body = raw[head_end..].to_vec();
    if let Some(n) = length {
        body.truncate(n);
    }
    if chunked {
        body = dechunk(&body);
    }
    (status, body)
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(i) = b.windows(2).position(|w| w == b"\r\n") {
        let n = usize::from_str_radix(String::from_utf8_lossy(&b[..i]).trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.extend_from_slice(&b[i + 2..(i + 2 + n).min(b.len())]);
        b = &b[(i + 4 + n).min(b.len())..];
    }
    out
}

fn get(port: u16, path: &str) -> (u16, String) {
    let (status, body) = http(port, "GET", path, &[], b"");
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn copy_sample(name: &str, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(support::root().join("sample-workbooks").join(name)).unwrap() {
        let e = e.unwrap();
        if e.path().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

fn root_with_samples(name: &str) -> PathBuf {
    let root = support::temp_dir(name);
    copy_sample(CASE, &root.join(CASE));
    copy_sample("gaoyi-2021", &root.join("gaoyi-2021"));
    root
}

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
    assert_eq!(get(p, "/").0, 200);
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
        let (status, _) = get(p, path);
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
    assert_eq!(http(p, "PUT", "/case/gaoyi-2021/upload?file=..%2F..%2Fx.xlsx", &t, b"PK").0, 201);
    assert!(root.join("gaoyi-2021").join("x.xlsx").is_file() && !root.join("x.xlsx").exists());
    // The symbolic link's case is not listed either.
    assert!(!get(p, "/").1.contains("link-out"));
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
    let (_, page) = get(p, "/");
    assert!(page.contains(">82.03<") && page.contains(">97<"), "{page}");
    // The portfolio summary from the page: one group per kind and year, downloadable, never a case itself.
    let (status, text) = http(p, "POST", "/summary", &t, b"");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&text));
    assert!(String::from_utf8_lossy(&text).contains("汇总已生成：2 个案例"));
    let (_, page) = get(p, "/");
    assert!(page.contains("/summary/files/"), "{page}");
    assert!(!page.contains("data-case=\"汇总\""), "the summary folder is not a case");
    let name = "汇总表（部门预算整体绩效评价 2024）.xlsx";
    let encoded: String = name.bytes().map(|b| format!("%{b:02X}")).collect();
    let (status, bytes) = http(p, "GET", &format!("/summary/files/{encoded}"), &[], b"");
    assert_eq!(status, 200);
    assert!(bytes.starts_with(b"PK"));
    assert_eq!(http(p, "POST", "/summary", &[], b"").0, 403, "the summary needs the token too");
    let (_, case) = get(p, &format!("/case/{CASE}"));
    assert!(case.contains("id=\"score\">82.03<"), "{case}");
    assert!(case.contains("问题清单（14 条）"), "{case}");
    // The DOCX as `build` writes it.
    let docx = "枣庄市市中区医疗保障局2024年度绩效评价报告.docx";
    let encoded: String = docx.bytes().map(|b| format!("%{b:02X}")).collect();
    let (status, bytes) = http(p, "GET", &format!("/case/{CASE}/files/{encoded}"), &[], b"");
    assert_eq!(status, 200);
    let out = support::temp_dir("serve-http-build");
    let built = support::jixiao(&["build", "--out"], &[&out, &root.join(CASE)]);
    assert!(built.status.success());
    assert!(bytes == std::fs::read(out.join(docx)).unwrap(), "the download is the bytes build writes");
}

/// A WebDriver session on chromedriver (deleted when dropped).
struct Browser {
    driver: Child,
    port: u16,
    session: String,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = http(self.port, "DELETE", &format!("/session/{}", self.session), &[], b"");
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Browser {
    fn start() -> Option<Browser> {
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].into_iter().find(|p| Path::new(p).exists());
        let driver = ["/usr/bin/chromedriver"].into_iter().find(|p| Path::new(p).exists());
        let (Some(chromium), Some(driver)) = (chromium, driver) else {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must have chromium and chromium-driver (.ci/run installs them)"
            );
            eprintln!("skipped: chromium or chromedriver is not installed here");
            return None;
        };
        let port = free_port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = support::temp_dir("serve-chromium-profile");
        let caps = serde_json::json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1366,768", format!("--user-data-dir={}", profile.display())]
        }}}});
        let (status, body) =
            http(port, "POST", "/session", &[("Content-Type", "application/json")], caps.to_string().as_bytes());
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        assert_eq!(status, 200, "{v}");
        let session = v["value"]["sessionId"].as_str().unwrap().to_string();
        Some(Browser { driver: child, port, session })
    }

    fn call(&self, method: &str, path: &str, body: serde_json::Value) -> serde_json::Value {
        let (_, b) = http(
            self.port,
            method,
            &format!("/session/{}{path}", self.session),
            &[("Content-Type", "application/json")],
            body.to_string().as_bytes(),
        );
        serde_json::from_slice::<serde_json::Value>(&b).unwrap_or_default()["value"].clone()
    }

    fn go(&self, url: &str) {
        self.call("POST", "/url", serde_json::json!({ "url": url }));
    }

    fn find(&self, css: &str) -> Option<String> {
        let v = self.call("POST", "/element", serde_json::json!({"using": "css selector", "value": css}));
        v["element-6066-11e4-a52e-4f735466cecf"].as_str().map(String::from)
    }

    fn text(&self, css: &str) -> String {
        self.find(css)
            .map(|e| self.call("GET", &format!("/element/{e}/text"), serde_json::json!({})))
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    }

    fn run(&self, script: &str) -> serde_json::Value {
        self.call("POST", "/execute/sync", serde_json::json!({"script": script, "args": []}))
    }

    /// Wait until `css`'s text satisfies `ok`.
    fn wait_text(&self, css: &str, ok: impl Fn(&str) -> bool, secs: u64) -> String {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let t = self.text(css);
            if ok(&t) || Instant::now() > deadline {
                return t;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn screenshot(&self, path: &Path) {
        use base64_decode as decode;
        let v = self.call("GET", "/screenshot", serde_json::json!({}));
        if let Some(b64) = v.as_str() {
            std::fs::write(path, decode(b64)).unwrap();
        }
    }
}

/// Standard base64 (the WebDriver screenshot), without a crate for it.
fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes().filter_map(val) {
        acc = (acc << 6) | u32::from(c);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
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
    assert!(h1.contains("新部门2024"), "{h1}");
    assert!(root.join("新部门2024").join("评价底稿.xlsx").is_file());
    // Its blank working paper can be downloaded from the page.
    let href = b.run("return document.querySelector('#inputs a').getAttribute('href')");
    let (status, paper) = http(s.port, "GET", href.as_str().unwrap(), &[], b"");
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
