//! `jixiao serve` tried as an attacker on the same machine would: another
//! local process without the token, a page on another loopback port, a
//! shared case folder someone else writes into, hostile uploads and slow
//! clients. Each test is one item of the serve-hardening issue, over real
//! sockets (the cross-site one in headless Chromium).

mod support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use support::web::*;

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// One request; the response's head (status line and headers) and body, read to the end.
fn raw(port: u16, request: &str) -> (String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (head.to_string(), body.to_string())
}

/// Item 1: Every route, GET included, needs the token: the cookie set from `?t=`
/// on the first visit (then redirected away), or the header; without it 403
/// and a page saying what to open. No page carries the token.
#[test]
fn every_route_needs_the_token() {
    let root = root_with_samples("attack-token");
    let s = start(&root);
    let p = s.port;
    assert_eq!(http(p, "POST", &format!("/case/{CASE}/rebuild"), &[("X-Jixiao-Token", &s.token)], b"").0, 200);
    let docx = "枣庄市市中区医疗保障局2024年度绩效评价报告.docx";
    let encoded: String = docx.bytes().map(|b| format!("%{b:02X}")).collect();
    let routes = [
        "/".to_string(),
        format!("/case/{CASE}"),
        format!("/case/{CASE}/main"),
        format!("/case/{CASE}/files/{encoded}"),
        format!("/case/{CASE}/inputs/%E8%AF%84%E4%BB%B7%E5%BA%95%E7%A8%BF.xlsx"),
        "/events".to_string(),
        "/static/app.js".to_string(),
        "/summary/files/x.xlsx".to_string(),
    ];
    for route in &routes {
        let (status, body) = http(p, "GET", route, &[], b"");
        let body = String::from_utf8_lossy(&body);
        assert_eq!(status, 403, "{route} without a token");
        assert!(body.contains("启动时打印的地址"), "{route}: {body}");
        assert!(!body.contains(&s.token));
        // A wrong cookie or header is no better.
        let cookie = format!("jixiao_{p}=0123456789abcdef0123456789abcdef");
        assert_eq!(http(p, "GET", route, &[("Cookie", &cookie)], b"").0, 403, "{route} with a guessed cookie");
        assert_eq!(http(p, "GET", route, &[("X-Jixiao-Token", "0000")], b"").0, 403, "{route}");
    }
    // The token cookie of the old design is not accepted either.
    let old = format!("jixiao_token={}", s.token);
    assert_eq!(http(p, "GET", "/", &[("Cookie", &old)], b"").0, 403);
    // The printed address: a session cookie (not the token), the token moved out of the address.
    let (head, _) =
        raw(p, &format!("GET /?t={} HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nConnection: close\r\n\r\n", s.token));
    assert!(head.starts_with("HTTP/1.1 303"), "{head}");
    assert_eq!(header(&head, "location"), Some(format!("/#t={}", s.token).as_str()));
    assert_eq!(header(&head, "referrer-policy"), Some("no-referrer"));
    let set = header(&head, "set-cookie").unwrap();
    assert!(set.starts_with(&format!("jixiao_{p}=")) && set.contains("HttpOnly") && set.contains("SameSite=Strict"));
    let session = set.split(';').next().unwrap().to_string();
    assert!(!session.contains(&s.token), "the cookie is not the token: {session}");
    let (head, _) = raw(p, &format!("GET /?t=bad HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nConnection: close\r\n\r\n"));
    assert!(head.starts_with("HTTP/1.1 403"), "{head}");
    // With the session every page and download opens, and none carries the token.
    for route in &routes[..5] {
        let (status, body) = http(p, "GET", route, &[("Cookie", &session)], b"");
        assert_eq!(status, 200, "{route} with the session");
        assert!(!String::from_utf8_lossy(&body).contains(&s.token), "{route} shows the token");
    }
    let (head, _) =
        raw(p, &format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nCookie: {session}\r\nConnection: close\r\n\r\n"));
    assert_eq!(header(&head, "referrer-policy"), Some("no-referrer"));
}

/// Item 2: CSRF: the cookie alone never changes anything, a form content type
/// included, and a foreign `Origin` or `Sec-Fetch-Site: cross-site` is
/// refused even with the token; a page on another 127.0.0.1 port in
/// headless Chromium cannot rebuild a case.
#[test]
fn a_cookie_alone_changes_nothing() {
    let root = root_with_samples("attack-csrf");
    let s = start(&root);
    let p = s.port;
    let (head, _) =
        raw(p, &format!("GET /?t={} HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nConnection: close\r\n\r\n", s.token));
    let session = header(&head, "set-cookie").unwrap().split(';').next().unwrap().to_string();
    let form = [("Cookie", session.as_str()), ("Content-Type", "application/x-www-form-urlencoded")];
    for route in [format!("/case/{CASE}/rebuild"), "/summary".to_string(), format!("/case/{CASE}/restore?file=x")] {
        assert_eq!(http(p, "POST", &route, &form, b"a=b").0, 403, "{route} with the cookie and a form");
        let evil = [("Cookie", session.as_str()), ("Origin", "http://evil.example")];
        assert_eq!(http(p, "POST", &route, &evil, b"").0, 403, "{route} from another origin");
    }
    // /new's form needs its field too: the cookie and a form without it are refused.
    assert_eq!(http(p, "POST", "/new", &form, b"name=evil").0, 403);
    assert!(!root.join("evil").exists());
    // Even the token is refused from another site.
    let t = s.token.as_str();
    for (k, v) in [
        ("Origin", format!("http://127.0.0.1:{}", p + 1)),
        ("Origin", "http://evil.example".to_string()),
        ("Sec-Fetch-Site", "cross-site".to_string()),
        ("Sec-Fetch-Site", "same-site".to_string()),
    ] {
        let h = [("X-Jixiao-Token", t), (k, v.as_str())];
        assert_eq!(http(p, "POST", "/case/gaoyi-2021/rebuild", &h, b"").0, 403, "{k}: {v}");
    }
    assert!(!root.join("gaoyi-2021").join("output").exists(), "nothing was rebuilt");
    // The same in a real browser: a page on another loopback port posts a form and a no-cors fetch.
    let Some(b) = Browser::start() else { return };
    b.go(&format!("http://127.0.0.1:{p}/?t={}", s.token));
    assert!(b.wait_text("h1", |t| t.contains("评价案例"), 20).contains("评价案例"));
    let evil = TcpListener::bind("127.0.0.1:0").unwrap();
    let evil_port = evil.local_addr().unwrap().port();
    let target = format!("http://127.0.0.1:{p}/case/gaoyi-2021/rebuild");
    let page = format!(
        "<!doctype html><meta charset=utf-8><title>evil</title><form method=post action=\"{target}\">\
         <input name=token value=guess></form><script>\
         fetch('{target}', {{method: 'POST', mode: 'no-cors', credentials: 'include', body: new URLSearchParams('a=b')}});\
         fetch('http://127.0.0.1:{p}/summary', {{method: 'POST', mode: 'no-cors', credentials: 'include'}});\
         setTimeout(function () {{ document.forms[0].submit(); }}, 300);</script>"
    );
    std::thread::spawn(move || {
        for stream in evil.incoming().take(4).flatten() {
            let mut stream = stream;
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let reply = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                page.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    b.go(&format!("http://127.0.0.1:{evil_port}/"));
    std::thread::sleep(Duration::from_secs(4));
    let landed = b.run("return document.body ? document.body.innerText : ''");
    assert!(!root.join("gaoyi-2021").join("output").exists(), "a page on another port rebuilt a case: {landed}");
    assert!(!root.join("汇总").exists(), "a page on another port built the summary");
}

/// Item 3: A case's `output/` or `ROOT/汇总` that is a symbolic link out of ROOT
/// is never written into or read through.
#[cfg(unix)]
#[test]
fn links_out_of_root_are_refused() {
    let root = root_with_samples("attack-links");
    let outside = support::temp_dir("attack-links-outside");
    std::os::unix::fs::symlink(&outside, root.join(CASE).join("output")).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("汇总")).unwrap();
    // A JSON planted outside, as if it were the case's results.
    std::fs::write(outside.join("评价结果.json"), b"{}").unwrap();
    let s = start(&root);
    let t = [("X-Jixiao-Token", s.token.as_str())];
    let (status, body) = http(s.port, "POST", &format!("/case/{CASE}/rebuild"), &t, b"");
    let text = String::from_utf8_lossy(&body);
    assert_eq!(status, 409, "{text}");
    assert!(text.contains("根文件夹以外的链接") && text.contains("output"), "{text}");
    let (status, body) = http(s.port, "POST", "/summary", &t, b"");
    assert_eq!(status, 409, "{}", String::from_utf8_lossy(&body));
    let written: Vec<_> = std::fs::read_dir(&outside).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(written, vec![std::ffi::OsString::from("评价结果.json")], "nothing written outside ROOT");
    // Downloads and the page do not read through it.
    assert_eq!(s.get(&format!("/case/{CASE}/files/%E8%AF%84%E4%BB%B7%E7%BB%93%E6%9E%9C.json")).0, 409);
    let (status, page) = s.get(&format!("/case/{CASE}"));
    assert_eq!(status, 200);
    assert!(page.contains("根文件夹以外的链接"), "the page says why");
    assert_eq!(s.get("/summary/files/%E6%B1%87%E6%80%BB.json").0, 409);
    // The other case still builds.
    assert_eq!(http(s.port, "POST", "/case/gaoyi-2021/rebuild", &t, b"").0, 200);
}

/// Item 4: An upload that is not a workbook replaces nothing (a 2-byte
/// `评价底稿.xlsx.` included); one that is keeps the file it replaces in
/// `.jixiao-history`, the page offers it, and it can be restored.
#[test]
fn an_upload_never_destroys_the_paper() {
    let root = root_with_samples("attack-upload");
    let s = start(&root);
    let t = [("X-Jixiao-Token", s.token.as_str())];
    let paper = root.join(CASE).join("评价底稿.xlsx");
    let original = std::fs::read(&paper).unwrap();
    for (name, body) in [
        ("%E8%AF%84%E4%BB%B7%E5%BA%95%E7%A8%BF.xlsx.", b"PK".to_vec()),
        ("%E8%AF%84%E4%BB%B7%E5%BA%95%E7%A8%BF.xlsx", Vec::new()),
        ("%E8%AF%84%E4%BB%B7%E5%BA%95%E7%A8%BF.xlsx", original[..original.len() / 2].to_vec()),
        ("%E8%AF%84%E4%BB%B7%E5%BA%95%E7%A8%BF.xls", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 not really".to_vec()),
    ] {
        let (status, reply) = http(s.port, "PUT", &format!("/case/{CASE}/upload?file={name}"), &t, &body);
        let reply = String::from_utf8_lossy(&reply);
        assert_eq!(status, 415, "{name} ({} bytes): {reply}", body.len());
        assert!(reply.contains("没有保存") && reply.contains("原有文件未改动"), "{reply}");
        assert_eq!(std::fs::read(&paper).unwrap(), original, "the paper is untouched");
    }
    assert!(!root.join(CASE).join("评价底稿.xls").exists());
    // A real workbook replaces the paper; the old one is kept and offered back.
    let new = small_workbook("新底稿");
    let (status, reply) =
        http(s.port, "PUT", &format!("/case/{CASE}/upload?file=%E8%AF%84%E4%BB%B7%E5%BA%95%E7%A8%BF.xlsx"), &t, &new);
    let reply = String::from_utf8_lossy(&reply).into_owned();
    assert_eq!(status, 201, "{reply}");
    assert!(reply.contains(".jixiao-history/评价底稿（"), "{reply}");
    assert_eq!(std::fs::read(&paper).unwrap(), new);
    let history = root.join(CASE).join(".jixiao-history");
    let kept: Vec<_> = std::fs::read_dir(&history).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(std::fs::read(&kept[0]).unwrap(), original, "the replaced paper is kept whole");
    let kept_name = kept[0].file_name().unwrap().to_string_lossy().into_owned();
    let (_, page) = s.get(&format!("/case/{CASE}"));
    assert!(page.contains("已替换的旧版本") && page.contains(&kept_name), "the page offers it");
    // The history is not read as input.
    let check = support::jixiao(&["inspect"], &[&root.join(CASE)]);
    assert!(!support::text(&check).contains(&kept_name));
    // Restore: the paper is back, the version it replaced is kept in turn.
    let encoded: String = kept_name.bytes().map(|b| format!("%{b:02X}")).collect();
    let (status, reply) = http(s.port, "POST", &format!("/case/{CASE}/restore?file={encoded}"), &t, b"");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&reply));
    assert_eq!(std::fs::read(&paper).unwrap(), original);
    assert_eq!(std::fs::read_dir(&history).unwrap().count(), 2);
    // A kept version can be downloaded; nothing outside the history can.
    assert_eq!(s.get(&format!("/case/{CASE}/history/{encoded}")).0, 200);
    assert_eq!(s.get(&format!("/case/{CASE}/history/..%2F%E8%AF%84%E4%BB%B7%E5%BA%95%E7%A8%BF.xlsx")).0, 404);
    // Bounded: twelve more replacements keep ten versions.
    for i in 0..12 {
        let body = small_workbook(&format!("第{i}版"));
        assert_eq!(
            http(
                s.port,
                "PUT",
                &format!("/case/{CASE}/upload?file=%E8%AF%84%E4%BB%B7%E5%BA%95%E7%A8%BF.xlsx"),
                &t,
                &body
            )
            .0,
            201
        );
    }
    assert_eq!(std::fs::read_dir(&history).unwrap().count(), 10);
}

/// Send `body` as an upload of `file` in `pieces`, pausing between them; the reply.
fn slow_upload(port: u16, token: &str, path: &str, body: &[u8], pieces: usize, pause: Duration) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let head = format!(
        "PUT {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Jixiao-Token: {token}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    for chunk in body.chunks(body.len().div_ceil(pieces)) {
        s.write_all(chunk).unwrap();
        std::thread::sleep(pause);
    }
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default())
}

/// Item 5: Two uploads of one name at once: each its own temporary file, both
/// saved, the last complete one in place, the first kept in the history,
/// and each reply true.
#[test]
fn two_uploads_of_one_name() {
    let root = root_with_samples("attack-race");
    let s = start(&root);
    let (port, token) = (s.port, s.token.clone());
    let path = "/case/gaoyi-2021/upload?file=%E8%A1%A5%E5%85%85.xlsx";
    let slow = small_workbook("慢的");
    let fast = small_workbook("快的");
    let (slow_body, token2) = (slow.clone(), token.clone());
    let first = std::thread::spawn(move || slow_upload(port, &token2, path, &slow_body, 4, Duration::from_millis(700)));
    std::thread::sleep(Duration::from_millis(300));
    let second = slow_upload(port, &token, path, &fast, 1, Duration::ZERO);
    let first = first.join().unwrap();
    assert_eq!(second.0, 201, "{}", second.1);
    assert_eq!(first.0, 201, "{}", first.1);
    let target = root.join("gaoyi-2021").join("补充.xlsx");
    assert_eq!(std::fs::read(&target).unwrap(), slow, "the last complete upload is in place");
    assert!(second.1.starts_with("已保存“补充.xlsx”。") && !second.1.contains("保留为"), "{}", second.1);
    assert!(first.1.contains("原来的“补充.xlsx”已保留为 .jixiao-history/补充（"), "{}", first.1);
    let history = root.join("gaoyi-2021").join(".jixiao-history");
    let kept: Vec<Vec<u8>> =
        std::fs::read_dir(history).unwrap().flatten().map(|e| std::fs::read(e.path()).unwrap()).collect();
    assert_eq!(kept, vec![fast], "the first upload's bytes are kept, not lost");
    let leftovers: Vec<_> = std::fs::read_dir(root.join("gaoyi-2021"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".upload-"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left");
}

/// Item 6: Uploads stream to disk: sixteen 45 MB uploads at once keep the
/// server under 300 MB (it was 1.18 GB holding them in memory).
#[cfg(target_os = "linux")]
#[test]
fn uploads_are_streamed_not_held() {
    let root = root_with_samples("attack-memory");
    let s = start(&root);
    let (port, token) = (s.port, s.token.clone());
    let before = s.peak_mb();
    let body = std::sync::Arc::new({
        let mut b = b"PK\x03\x04".to_vec();
        b.resize(45 * 1024 * 1024, 0);
        b
    });
    let uploads: Vec<_> = (0..16)
        .map(|i| {
            let (body, token) = (body.clone(), token.clone());
            std::thread::spawn(move || {
                let path = format!("/case/gaoyi-2021/upload?file=big{i}.xlsx");
                slow_upload(port, &token, &path, &body, 45, Duration::from_millis(20))
            })
        })
        .collect();
    let replies: Vec<(u16, String)> = uploads.into_iter().map(|u| u.join().unwrap()).collect();
    let peak = s.peak_mb();
    eprintln!("server peak: {before} MB before, {peak} MB after 16 × 45 MB uploads");
    assert!(peak <= 300, "server peak {peak} MB");
    for (status, reply) in replies {
        assert_eq!(status, 415, "{reply}");
    }
    let saved: Vec<_> = std::fs::read_dir(root.join("gaoyi-2021"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("big"))
        .collect();
    assert!(saved.is_empty(), "nothing saved, no temporary file left");
}

/// Item 7: A client sending its headers one byte a second is cut off (30 s for headers).
#[test]
fn a_slow_client_is_cut_off() {
    let root = root_with_samples("attack-slow");
    let s = start(&root);
    // A connection that never sends a byte is closed too.
    let mut idle = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    idle.set_read_timeout(Some(Duration::from_secs(45))).unwrap();
    let idle_started = Instant::now();
    let idle_closed = std::thread::spawn(move || {
        let mut buf = [0u8; 64];
        let _ = idle.read(&mut buf);
        idle_started.elapsed()
    });
    let mut c = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    c.set_read_timeout(Some(Duration::from_millis(500))).unwrap();
    let started = Instant::now();
    let request = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let mut closed = None;
    for byte in request.iter().cycle() {
        if started.elapsed() > Duration::from_secs(60) {
            break;
        }
        let mut buf = [0u8; 512];
        match c.read(&mut buf) {
            Ok(0) => {
                closed = Some(started.elapsed());
                break;
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => {
                closed = Some(started.elapsed());
                break;
            }
        }
        if c.write_all(&[*byte]).is_err() {
            closed = Some(started.elapsed());
            break;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    let closed = closed.expect("the slow connection was still open after 60 s");
    assert!(closed < Duration::from_secs(40) && closed >= Duration::from_secs(25), "closed after {closed:?}");
    let idle = idle_closed.join().unwrap();
    assert!(idle < Duration::from_secs(40), "an idle connection was still open after {idle:?}");
    // The server still answers others.
    assert_eq!(s.get("/").0, 200);
}

/// Item 8: A rebuild from the page gives the CLI's verdict: a case with a zip bomb
/// dropped into its folder fails as `jixiao build` says, and a case whose
/// build panics is named with what failed — and the server lives on.
#[test]
fn a_failed_case_is_reported_failed() {
    let root = root_with_samples("attack-verdict");
    support::write_bomb(&root.join(CASE).join("附件炸弹.xlsx"), 210 * 1024 * 1024);
    let cli = support::jixiao(
        &["build", "--no-toc-pages", "--out"],
        &[&support::temp_dir("attack-verdict-cli"), &root.join(CASE)],
    );
    assert_eq!(cli.status.code(), Some(1), "{}", support::text(&cli));
    assert!(support::text(&cli).contains("失败 1 个"), "{}", support::text(&cli));
    let s = start_with(&root, &[("JIXIAO_TEST_PANIC_CASE", "gaoyi-2021")]);
    let t = [("X-Jixiao-Token", s.token.as_str())];
    let (status, body) = http(s.port, "POST", &format!("/case/{CASE}/rebuild"), &t, b"");
    let text = String::from_utf8_lossy(&body);
    assert_eq!(status, 422, "{text}");
    assert!(text.starts_with("生成失败") && text.contains("附件炸弹.xlsx") && text.contains("200 MB"), "{text}");
    assert!(!text.contains("已重新生成"), "{text}");
    let (_, page) = s.get(&format!("/case/{CASE}"));
    assert!(page.contains("生成失败"), "the page keeps the verdict");
    let (status, body) = http(s.port, "POST", "/case/gaoyi-2021/rebuild", &t, b"");
    let text = String::from_utf8_lossy(&body);
    assert_ne!(status, 200, "{text}");
    assert!(text.contains("程序内部错误") && text.contains("测试注入的内部错误"), "{text}");
    assert!(!text.contains("内部错误。"), "{text}");
    assert_eq!(s.get("/").0, 200, "the server lives on");
}

/// Item 13: A case may not be called like jixiao's own folders; a folder named
/// 汇总 that holds a department's workbooks is a case, and the summary is
/// not written into it.
#[test]
fn a_case_named_like_the_summary_folder() {
    let root = root_with_samples("attack-names");
    let s = start(&root);
    let (head, _) = raw(
        s.port,
        &format!("GET /?t={} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n", s.token, s.port),
    );
    let session = header(&head, "set-cookie").unwrap().split(';').next().unwrap().to_string();
    for name in ["%E6%B1%87%E6%80%BB", "output", "templates"] {
        let body = format!("name={name}&token={}", s.token);
        let form = [("Cookie", session.as_str()), ("Content-Type", "application/x-www-form-urlencoded")];
        let (status, reply) = http(s.port, "POST", "/new", &form, body.as_bytes());
        assert_eq!(status, 400, "{name}: {}", String::from_utf8_lossy(&reply));
    }
    assert!(!root.join("汇总").exists());
    // A form is small: a 1 MB one is not read into memory.
    let form = [("Cookie", session.as_str()), ("Content-Type", "application/x-www-form-urlencoded")];
    let big = format!("token={}&name={}", s.token, "甲".repeat(400_000));
    assert_eq!(http(s.port, "POST", "/new", &form, big.as_bytes()).0, 413);
    copy_sample("gaoyi-2021", &root.join("汇总"));
    let (_, page) = s.get("/");
    assert!(
        page.contains("data-case=\"汇总\"") || page.contains("/case/%E6%B1%87%E6%80%BB"),
        "a case named 汇总 is listed"
    );
    let t = [("X-Jixiao-Token", s.token.as_str())];
    let (status, reply) = http(s.port, "POST", "/summary", &t, b"");
    assert_eq!(status, 409, "{}", String::from_utf8_lossy(&reply));
    assert!(!std::fs::read_dir(root.join("汇总")).unwrap().flatten().any(|e| e.file_name() == "汇总.json"));
}
