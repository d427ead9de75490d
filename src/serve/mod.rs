//! `jixiao serve`: the pipeline behind a page in the browser, on
//! 127.0.0.1 only, for staff who never open a terminal.
//!
//! * `GET /` — every case folder under ROOT with its kind, unit, year,
//!   score, grade, 错误/提示, 待填, last build and status; a new-case form.
//! * `GET /case/NAME` — the case: 一级 and 三级 with their 依据, 问题清单,
//!   校验结果 (file › sheet › cell), 待填 with where to fill each item,
//!   downloads, a 重新生成 button, the last change report; a drop zone for
//!   workbooks.
//! * `POST /case/NAME/rebuild` — builds the case in a process of its own
//!   (as a batch does), and answers with the verdict `jixiao build` gives.
//! * `PUT /case/NAME/upload?file=F`, `POST /case/NAME/restore?file=KEPT` —
//!   a workbook streamed in, checked, the one it replaces kept ([`upload`]).
//! * `POST /new`, `POST /summary` — a new case; the summary into `ROOT/汇总`.
//! * `GET /case/NAME/files/F`, `…/inputs/F`, `…/history/F` — an output file,
//!   a workbook of the case, a replaced version.
//! * `GET /events` — server-sent events: the name of each case whose files
//!   changed; the page refreshes its content without reloading.
//!
//! Pages are server-rendered from `templates/web/` (embedded), with a little
//! JS and CSS also embedded: no build step, no CDN. Outputs go to each
//! case's `output/` folder. Who may do what: [`auth`]; paths, names and
//! folders: [`guard`]. Connections: headers must arrive within
//! [`HEADER_TIMEOUT`], at most [`MAX_CONNECTIONS`] at once.

pub mod auth;
pub mod guard;
pub mod pages;
pub mod upload;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Path as UrlPath, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post, put};
use axum::{Form, Router};
use tokio::sync::{broadcast, Semaphore};

/// A connection must send its request's headers within this time.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(30);
/// Connections served at once (an open page holds one for its live updates).
pub const MAX_CONNECTIONS: usize = 256;
/// The largest form body read into memory (the new-case form is a few bytes).
pub const FORM_LIMIT: usize = 64 * 1024;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    /// ROOT, as its real path.
    pub root: PathBuf,
    /// What authorises a change ([`auth`]).
    pub token: String,
    /// The session cookie's value: reading only.
    pub session: String,
    pub port: u16,
    /// Case folder names whose files changed.
    pub events: broadcast::Sender<String>,
    /// The change report of each case's last rebuild from the page.
    pub changes: Arc<Mutex<HashMap<String, String>>>,
    /// Uploads streaming at once.
    pub uploads: Arc<Semaphore>,
    /// One upload checked at a time.
    pub checking: Arc<tokio::sync::Mutex<()>>,
    /// Replacing a case's workbook (upload, restore), one at a time.
    pub replacing: Arc<tokio::sync::Mutex<()>>,
}

impl AppState {
    /// The state of a server on `port` serving `root` (a real path), with fresh secrets.
    pub fn new(root: PathBuf, port: u16, events: broadcast::Sender<String>) -> AppState {
        AppState {
            root,
            token: guard::new_token(),
            session: guard::new_token(),
            port,
            events,
            changes: Arc::new(Mutex::new(HashMap::new())),
            uploads: Arc::new(Semaphore::new(upload::CONCURRENT_UPLOADS)),
            checking: Arc::new(tokio::sync::Mutex::new(())),
            replacing: Arc::new(tokio::sync::Mutex::new(())),
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("找不到或无法创建案例根文件夹“{0}”。")]
    Root(PathBuf),
    #[error(
        "无法在 127.0.0.1:{port} 上启动（{source}）。端口可能被占用：换一个 --port，或不写它（自动选择空闲端口）。"
    )]
    Bind { port: u16, source: std::io::Error },
    #[error("服务运行出错：{0}")]
    Io(#[from] std::io::Error),
}

/// The output folder of a case served from the page.
pub fn output_of(case: &Path) -> PathBuf {
    case.join("output")
}

/// The router for `state` (tests drive it through a real socket).
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(cases_page))
        .route("/case/{name}", get(case_page))
        .route("/case/{name}/main", get(case_main))
        .route("/case/{name}/files/{file}", get(download))
        .route("/case/{name}/inputs/{file}", get(download_input))
        .route("/case/{name}/history/{file}", get(upload::download_kept))
        .route("/case/{name}/rebuild", post(rebuild))
        .route("/case/{name}/upload", put(upload::upload))
        .route("/case/{name}/restore", post(upload::restore))
        .route("/new", post(new_case))
        .route("/summary", post(build_summary))
        .route("/summary/files/{file}", get(summary_file))
        .route("/events", get(events))
        .route("/static/app.js", get(|| async { asset("text/javascript; charset=utf-8", pages::APP_JS) }))
        .route("/static/app.css", get(|| async { asset("text/css; charset=utf-8", pages::APP_CSS) }))
        // Forms are small; uploads stream their body past this limit (see [`upload`]).
        .layer(DefaultBodyLimit::max(FORM_LIMIT))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::check_request))
        .with_state(state)
}

fn asset(kind: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "no-cache")], body).into_response()
}

pub(crate) fn not_found(what: &str) -> Response {
    (StatusCode::NOT_FOUND, Html(pages::message_page("找不到", what))).into_response()
}

pub(crate) fn case_dir(s: &AppState, name: &str) -> Option<PathBuf> {
    guard::inside(&s.root, name).filter(|p| p.is_dir())
}

async fn cases_page(State(s): State<AppState>) -> Response {
    let root = s.root.clone();
    match tokio::task::spawn_blocking(move || pages::cases_page(&root)).await {
        Ok(html) => Html(html).into_response(),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "页面生成失败").into_response(),
    }
}

async fn case_page(State(s): State<AppState>, UrlPath(name): UrlPath<String>) -> Response {
    case_html(s, name, false).await
}

/// The case page's content only (what the page swaps in when files change).
async fn case_main(State(s): State<AppState>, UrlPath(name): UrlPath<String>) -> Response {
    case_html(s, name, true).await
}

async fn case_html(s: AppState, name: String, main_only: bool) -> Response {
    let Some(dir) = case_dir(&s, &name) else {
        return not_found(&format!("案例“{name}”不在根文件夹中。"));
    };
    let changes = s.changes.lock().ok().and_then(|c| c.get(&name).cloned()).unwrap_or_default();
    let root = s.root.clone();
    match tokio::task::spawn_blocking(move || pages::case_page(&root, &dir, &name, &changes, main_only)).await {
        Ok(html) => Html(html).into_response(),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "页面生成失败").into_response(),
    }
}

/// The case's output folder, inside ROOT (a link out of it is refused).
fn case_output(s: &AppState, dir: &Path) -> Result<PathBuf, guard::FolderError> {
    guard::folder_inside(&s.root, &output_of(dir))
}

fn conflict(e: impl std::fmt::Display) -> Response {
    (StatusCode::CONFLICT, Html(pages::message_page("无法访问", &e.to_string()))).into_response()
}

async fn download(State(s): State<AppState>, UrlPath((name, file)): UrlPath<(String, String)>) -> Response {
    let Some(dir) = case_dir(&s, &name) else { return not_found("没有这个案例。") };
    // Only what jixiao wrote into the case's output folder.
    let out = match guard::existing_folder_inside(&s.root, &output_of(&dir)) {
        Ok(Some(out)) => out,
        Ok(None) => return not_found("没有这个输出文件。"),
        Err(e) => return conflict(e),
    };
    if !crate::output::outputs_in(&out).contains(&file) {
        return not_found("没有这个输出文件。");
    }
    let Some(path) = guard::inside(&out, &file) else { return not_found("没有这个输出文件。") };
    let Ok(bytes) = tokio::fs::read(&path).await else { return not_found("文件无法读取。") };
    attachment(bytes, content_type(&path), &file)
}

/// The type of a file jixiao wrote, by its extension.
fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

use guard::encode_segment as percent_encode;

/// A workbook of the case folder itself (the blank working paper after 新建案例).
async fn download_input(State(s): State<AppState>, UrlPath((name, file)): UrlPath<(String, String)>) -> Response {
    let Some(dir) = case_dir(&s, &name) else { return not_found("没有这个案例。") };
    if guard::upload_name(&file).as_deref() != Ok(file.as_str()) {
        return not_found("只能下载案例文件夹中的工作簿。");
    }
    let Some(path) = guard::inside(&dir, &file) else { return not_found("没有这个工作簿。") };
    let Ok(bytes) = tokio::fs::read(&path).await else { return not_found("文件无法读取。") };
    attachment(bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &file)
}

pub(crate) fn attachment(bytes: Vec<u8>, kind: &'static str, file: &str) -> Response {
    let disposition = format!("attachment; filename*=UTF-8''{}", percent_encode(file));
    let mut resp = (StatusCode::OK, bytes).into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}

/// The summary of every case under ROOT from their JSON (as `jixiao summary`), into `ROOT/汇总`.
async fn build_summary(State(s): State<AppState>) -> Response {
    let root = s.root.clone();
    let target = summary_dir(&root);
    if crate::batch::is_case_folder(&target) {
        return conflict(format!(
            "根文件夹中的“{}”文件夹里有案例的工作簿，不是汇总文件夹：请把这个案例改名后再生成汇总。",
            crate::batch::SUMMARY_FOLDER
        ));
    }
    let dir = match guard::folder_inside(&root, &target) {
        Ok(d) => d,
        Err(e) => return conflict(e),
    };
    let done = tokio::task::spawn_blocking(move || {
        let cases: Vec<PathBuf> = crate::batch::find_cases(std::slice::from_ref(&root))
            .into_iter()
            .filter(|c| c.parent() == Some(root.as_path()))
            .collect();
        let outputs: Vec<PathBuf> = cases.iter().map(|c| output_of(c)).collect();
        // A case whose output folder leads out of ROOT is not read: it is listed with the reason.
        let refused: Vec<(PathBuf, String)> = cases
            .iter()
            .filter_map(|c| {
                guard::existing_folder_inside(&root, &output_of(c)).err().map(|e| (c.clone(), e.to_string()))
            })
            .collect();
        let portfolio = crate::summary::collect(&cases, &outputs, &refused, &dir);
        crate::summary::write(&portfolio, &dir, &[]).map(|w| (portfolio, w))
    })
    .await;
    match done {
        Ok(Ok((p, w))) => {
            let built: usize = p.groups.iter().map(|g| g.cases.len()).sum();
            let _ = s.events.send(String::new());
            let text = format!(
                "汇总已生成：{} 个案例（已生成 {built} 个，无结果 {} 个）。\n{}",
                p.cases,
                p.failed.len(),
                w.changes
            );
            (StatusCode::OK, text).into_response()
        }
        Ok(Err(e)) => (StatusCode::INTERNAL_SERVER_ERROR, format!("汇总生成失败：{e}")).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("汇总生成失败：{}", panic_text(e))).into_response(),
    }
}

/// What a panicked task said.
fn panic_text(e: tokio::task::JoinError) -> String {
    match e.try_into_panic() {
        Ok(p) => {
            let what = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "原因不明".into());
            format!("程序内部错误（{what}），请把该案例的文件发给维护人员")
        }
        Err(_) => "任务被取消".into(),
    }
}

/// `ROOT/汇总`.
pub fn summary_dir(root: &Path) -> PathBuf {
    root.join(crate::batch::SUMMARY_FOLDER)
}

/// A file of the summary (汇总表, 综合绩效评价报告, 汇总.json).
async fn summary_file(State(s): State<AppState>, UrlPath(file): UrlPath<String>) -> Response {
    if !matches!(Path::new(&file).extension().and_then(|e| e.to_str()), Some("docx" | "xlsx" | "json")) {
        return not_found("没有这个汇总文件。");
    }
    let dir = match guard::existing_folder_inside(&s.root, &summary_dir(&s.root)) {
        Ok(Some(d)) => d,
        Ok(None) => return not_found("还没有汇总。"),
        Err(e) => return conflict(e),
    };
    let Some(path) = guard::inside(&dir, &file) else {
        return not_found("没有这个汇总文件。");
    };
    let Ok(bytes) = tokio::fs::read(&path).await else { return not_found("文件无法读取。") };
    attachment(bytes, content_type(&path), &file)
}

/// Build the case as `jixiao build` does, in a process of its own (a case
/// that crashes takes only that process down), into its `output/`;
/// remember the verdict and the change report, tell the pages.
async fn rebuild(State(s): State<AppState>, UrlPath(name): UrlPath<String>) -> Response {
    let Some(dir) = case_dir(&s, &name) else { return not_found("没有这个案例。") };
    let out = match case_output(&s, &dir) {
        Ok(out) => out,
        Err(e) => return (StatusCode::CONFLICT, format!("生成失败：{e}")).into_response(),
    };
    let result = tokio::task::spawn_blocking(move || {
        let options = crate::batch::BatchOptions {
            render: crate::render::report::Options { layout_pass: true, ..Default::default() },
            isolate: std::env::current_exe().ok(),
            jobs: 1,
            ..Default::default()
        };
        crate::batch::build_all(&[dir], &[out], &options).pop()
    })
    .await;
    let (status, text) = match result {
        Ok(Some(r)) => (if r.failed() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK }, r.verdict()),
        Ok(None) => (StatusCode::INTERNAL_SERVER_ERROR, "生成失败：没有结果。".to_string()),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("生成失败：{}。", panic_text(e))),
    };
    if let Ok(mut c) = s.changes.lock() {
        c.insert(name.clone(), text.clone());
    }
    let _ = s.events.send(name);
    (status, text).into_response()
}

#[derive(serde::Deserialize)]
struct NewCase {
    name: String,
    #[serde(default)]
    token: String,
}

/// Why a new case could not be made.
#[derive(Debug, thiserror::Error)]
enum NewCaseError {
    #[error("文件夹无法创建：{0}")]
    Folder(#[from] std::io::Error),
    #[error("评价底稿无法写入：{0}")]
    Paper(#[from] rust_xlsxwriter::XlsxError),
}

/// Create a case folder under ROOT with a blank working paper, then open it.
async fn new_case(State(s): State<AppState>, Form(f): Form<NewCase>) -> Response {
    // The middleware let a form through on its cookie; the field must match too.
    if !guard::same(&f.token, &s.token) {
        return (StatusCode::FORBIDDEN, "令牌不符。").into_response();
    }
    let name = crate::output::safe_file_name(f.name.trim());
    if !guard::plain_name(&name) {
        return (StatusCode::BAD_REQUEST, "案例名称不能为空，也不能含 / \\ : 等字符。").into_response();
    }
    if guard::reserved_case_name(&name) {
        return (StatusCode::BAD_REQUEST, format!("“{name}”是 jixiao 自己使用的文件夹名称，请换一个案例名称。"))
            .into_response();
    }
    let dir = s.root.join(&name);
    if dir.exists() {
        return Redirect::to(&format!("/case/{}", percent_encode(&name))).into_response();
    }
    let made = tokio::task::spawn_blocking(move || -> Result<(), NewCaseError> {
        std::fs::create_dir_all(&dir)?;
        let systems = crate::system::shipped_systems();
        crate::render::paper::write_blank(&dir.join("评价底稿.xlsx"), &systems, systems.first())?;
        Ok(())
    })
    .await;
    match made {
        Ok(Ok(())) => Redirect::to(&format!("/case/{}", percent_encode(&name))).into_response(),
        Ok(Err(e)) => (StatusCode::INTERNAL_SERVER_ERROR, format!("无法创建案例（{e}）。")).into_response(),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "无法创建案例。").into_response(),
    }
}

/// Server-sent events: `data: <case name>` for each case whose files changed.
async fn events(State(s): State<AppState>) -> impl IntoResponse {
    let rx = s.events.subscribe();
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(name) => return Some((Ok::<Event, std::convert::Infallible>(Event::default().data(name)), rx)),
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Watch ROOT: a change to a case's files (its workbooks, its outputs) is
/// an event naming the case.
fn watch_root(root: PathBuf, events: broadcast::Sender<String>) -> Option<notify::RecommendedWatcher> {
    use notify::Watcher;
    let base = root.clone();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(event) = res else { return };
        if matches!(event.kind, notify::EventKind::Access(_)) {
            return;
        }
        for p in event.paths {
            let case = p
                .strip_prefix(&base)
                .ok()
                .and_then(|r| r.components().next())
                .map(|c| c.as_os_str().to_string_lossy().into_owned());
            let temp =
                p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.') || n.starts_with("~$"));
            if let Some(case) = case.filter(|_| !temp) {
                let _ = events.send(case);
            }
        }
    })
    .ok()?;
    watcher.watch(&root, notify::RecursiveMode::Recursive).ok()?;
    Some(watcher)
}

/// Open `url` in the default browser (best effort).
fn open_browser(url: &str) {
    #[cfg(windows)]
    let r = std::process::Command::new("cmd").args(["/C", "start", "", url]).spawn();
    #[cfg(target_os = "macos")]
    let r = std::process::Command::new("open").arg(url).spawn();
    #[cfg(all(unix, not(target_os = "macos")))]
    let r = std::process::Command::new("xdg-open")
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    let _ = r;
}

/// Serve ROOT on 127.0.0.1:`port` (0: a free port) until stopped; prints the
/// address (with the token) first.
pub fn serve(root: &Path, port: u16, browser: bool) -> Result<(), ServeError> {
    std::fs::create_dir_all(root).map_err(|_| ServeError::Root(root.to_path_buf()))?;
    let root = root.canonicalize().map_err(|_| ServeError::Root(root.to_path_buf()))?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)))
            .await
            .map_err(|source| ServeError::Bind { port, source })?;
        let port = listener.local_addr()?.port();
        let (events, _) = broadcast::channel(256);
        let _watcher = watch_root(root.clone(), events.clone());
        let state = AppState::new(root.clone(), port, events);
        let url = format!("http://127.0.0.1:{port}/?t={}", state.token);
        // Never a panic on a closed stdout (a launcher that read the address and went away).
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "jixiao 已启动：{url}");
        let _ = writeln!(out, "案例根文件夹：{}（关闭此窗口或按 Ctrl+C 退出）", root.display());
        let _ = out.flush();
        drop(out);
        if browser {
            open_browser(&url);
        }
        accept(listener, router(state)).await
    })
}

/// Serve connections: each on its own task, its request headers within
/// [`HEADER_TIMEOUT`] (a client that dribbles them is cut off), at most
/// [`MAX_CONNECTIONS`] at once (the next waits to be accepted).
async fn accept(listener: tokio::net::TcpListener, app: Router) -> Result<(), ServeError> {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else { return Ok(()) };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors and the like: wait a little, go on.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let io = hyper_util::rt::TokioIo::new(stream);
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .max_buf_size(64 * 1024)
                .serve_connection(io, service)
                .await;
            drop(slot);
        });
    }
}
