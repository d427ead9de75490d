//! Workbooks uploaded from the page, and the versions they replaced.
//!
//! An upload is streamed to a temporary file of its own (a unique name per
//! request, created exclusively), never held whole in memory; at most
//! [`CONCURRENT_UPLOADS`] stream at once and one is checked at a time. It
//! replaces nothing until it opens as a workbook ([`probe_workbook`]: xlsx,
//! xls or ods, within the size and zip limits). A file it replaces is kept
//! in the case's `.jixiao-history/` as `名称（2026-12-07 15-30-05）.xlsx`
//! (the newest [`HISTORY_KEEP`] of each name) and can be restored from the
//! page. Replacing is serialised, so of two uploads of one name the last
//! complete one wins, and each reply says what happened to the file.
//!
//! [`probe_workbook`]: crate::ingest::probe::probe_workbook

use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

use super::{case_dir, guard, not_found, AppState};

/// The folder of replaced workbooks inside a case folder.
pub const HISTORY: &str = ".jixiao-history";
/// How many replaced versions of one workbook are kept.
pub const HISTORY_KEEP: usize = 10;
/// Uploads streaming at once (the others wait their turn).
pub const CONCURRENT_UPLOADS: usize = 4;
/// The longest an upload may go without sending a byte.
pub const IDLE_LIMIT: Duration = Duration::from_secs(30);

#[derive(serde::Deserialize)]
pub struct UploadQuery {
    file: String,
}

/// A temporary name unique to this request.
fn temp_name(file: &str) -> String {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!(".{file}.upload-{}-{n}", std::process::id())
}

/// Why an upload was not saved.
#[derive(Debug, thiserror::Error)]
enum UploadError {
    #[error("文件太大（上限 {} MB），没有保存。", guard::UPLOAD_LIMIT / 1024 / 1024)]
    TooLarge,
    #[error("上传中断或超过 {} 秒没有收到数据，没有保存。", IDLE_LIMIT.as_secs())]
    Stalled,
    #[error("“{file}”不能作为工作簿打开，没有保存，原有文件未改动：{why}")]
    NotWorkbook { file: String, why: String },
    #[error("无法保存“{file}”（{source}）。")]
    Io { file: String, source: std::io::Error },
    #[error("{0}")]
    Folder(#[from] guard::FolderError),
}

impl UploadError {
    fn status(&self) -> StatusCode {
        match self {
            UploadError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            UploadError::Stalled => StatusCode::REQUEST_TIMEOUT,
            UploadError::NotWorkbook { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            UploadError::Io { .. } => StatusCode::INTERNAL_SERVER_ERROR,
            UploadError::Folder(_) => StatusCode::CONFLICT,
        }
    }
}

/// `PUT /case/NAME/upload?file=F`: save a workbook into the case folder.
pub async fn upload(
    State(s): State<AppState>,
    UrlPath(name): UrlPath<String>,
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Some(dir) = case_dir(&s, &name) else { return not_found("没有这个案例。") };
    let file = match guard::upload_name(&q.file) {
        Ok(f) => f,
        Err(why) => return (StatusCode::UNSUPPORTED_MEDIA_TYPE, why).into_response(),
    };
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    if declared.is_some_and(|n: usize| n > guard::UPLOAD_LIMIT) {
        return (StatusCode::PAYLOAD_TOO_LARGE, UploadError::TooLarge.to_string()).into_response();
    }
    let Ok(_permit) = s.uploads.acquire().await else {
        return (StatusCode::SERVICE_UNAVAILABLE, "服务正在关闭。").into_response();
    };
    let tmp = dir.join(temp_name(&file));
    let result = save(&s, &dir, &file, &tmp, body).await;
    let _ = tokio::fs::remove_file(&tmp).await;
    match result {
        Ok(kept) => {
            let _ = s.events.send(name);
            let text = match kept {
                Some(old) => {
                    format!("已保存“{file}”。原来的“{file}”已保留为 {HISTORY}/{old}，可在下方“已替换的旧版本”中恢复。")
                }
                None => format!("已保存“{file}”。"),
            };
            (StatusCode::CREATED, text).into_response()
        }
        Err(e) => (e.status(), e.to_string()).into_response(),
    }
}

/// Stream `body` into `tmp`, check it, and put it in place of `dir/file`;
/// the name the replaced file was kept under, if there was one.
async fn save(s: &AppState, dir: &Path, file: &str, tmp: &Path, body: Body) -> Result<Option<String>, UploadError> {
    let io = |source| UploadError::Io { file: file.to_string(), source };
    let mut out = tokio::fs::OpenOptions::new().write(true).create_new(true).open(tmp).await.map_err(io)?;
    let mut stream = body.into_data_stream();
    let mut size = 0usize;
    loop {
        let chunk = match tokio::time::timeout(IDLE_LIMIT, stream.next()).await {
            Err(_) => return Err(UploadError::Stalled),
            Ok(None) => break,
            Ok(Some(Err(_))) => return Err(UploadError::Stalled),
            Ok(Some(Ok(c))) => c,
        };
        size += chunk.len();
        if size > guard::UPLOAD_LIMIT {
            return Err(UploadError::TooLarge);
        }
        out.write_all(&chunk).await.map_err(io)?;
    }
    out.flush().await.map_err(io)?;
    drop(out);
    // One check at a time: opening a workbook takes memory.
    let checked = {
        let _one = s.checking.lock().await;
        let (path, shown) = (tmp.to_path_buf(), file.to_string());
        tokio::task::spawn_blocking(move || -> Result<(), crate::ingest::IngestError> {
            let bytes = std::fs::read(&path)
                .map_err(|source| crate::ingest::IngestError::Io { file: shown.clone(), source })?;
            crate::ingest::probe::probe_workbook(&bytes, &shown).map(|_| ())
        })
        .await
    };
    match checked {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(UploadError::NotWorkbook { file: file.to_string(), why: e.to_string() }),
        Err(_) => {
            return Err(UploadError::NotWorkbook { file: file.to_string(), why: "检查时出现内部错误".into() })
        }
    }
    let _replacing = s.replacing.lock().await;
    let kept = keep_old(&s.root, dir, file)?;
    tokio::fs::rename(tmp, dir.join(file)).await.map_err(io)?;
    Ok(kept)
}

/// The history folder of a case, inside ROOT.
fn history_dir(root: &Path, dir: &Path) -> Result<PathBuf, guard::FolderError> {
    guard::folder_inside(root, &dir.join(HISTORY))
}

/// Move `dir/file`, if it exists, into the history as `stem（stamp）.ext`, keeping the newest [`HISTORY_KEEP`].
fn keep_old(root: &Path, dir: &Path, file: &str) -> Result<Option<String>, UploadError> {
    let current = dir.join(file);
    let Ok(meta) = std::fs::symlink_metadata(&current) else { return Ok(None) };
    if !meta.is_file() {
        return Ok(None);
    }
    let history = history_dir(root, dir)?;
    let (stem, ext) = split_ext(file);
    let stamp = chrono::Local::now().format("%Y-%m-%d %H-%M-%S").to_string();
    let mut kept = format!("{stem}（{stamp}）{ext}");
    let mut n = 2;
    while history.join(&kept).exists() {
        kept = format!("{stem}（{stamp}-{n}）{ext}");
        n += 1;
    }
    std::fs::rename(&current, history.join(&kept))
        .map_err(|source| UploadError::Io { file: file.to_string(), source })?;
    let mut versions = versions_of(&history, file);
    while versions.len() > HISTORY_KEEP {
        let oldest = versions.remove(0);
        let _ = std::fs::remove_file(history.join(oldest));
    }
    Ok(Some(kept))
}

/// `("评价底稿", ".xlsx")`.
fn split_ext(file: &str) -> (&str, &str) {
    match file.rfind('.') {
        Some(i) if i > 0 => (&file[..i], &file[i..]),
        _ => (file, ""),
    }
}

/// The workbook a kept version was: `评价底稿（2026-12-07 15-30-05）.xlsx` → `评价底稿.xlsx`.
pub fn original_of(kept: &str) -> Option<String> {
    let (stem, ext) = split_ext(kept);
    let stem = stem.strip_suffix('）')?;
    let open = stem.rfind('（')?;
    let stamp = &stem[open + '（'.len_utf8()..];
    let plausible = stamp.len() >= 19 && stamp.bytes().all(|b| b.is_ascii_digit() || b == b'-' || b == b' ');
    plausible.then(|| format!("{}{ext}", &stem[..open]))
}

/// The kept versions of `file`, oldest first.
fn versions_of(history: &Path, file: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(history)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| original_of(n).as_deref() == Some(file))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Every kept version in a case's history, newest first (for the page); nothing when the folder is not safe to read.
pub fn kept_versions(root: &Path, dir: &Path) -> Vec<String> {
    let Ok(Some(history)) = guard::existing_folder_inside(root, &dir.join(HISTORY)) else { return Vec::new() };
    let mut v: Vec<String> = std::fs::read_dir(&history)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| original_of(n).is_some())
                .collect()
        })
        .unwrap_or_default();
    // Newest first: the stamp sorts by time within a name.
    v.sort_by(|a, b| b.rsplit('（').next().cmp(&a.rsplit('（').next()).then(a.cmp(b)));
    v
}

#[derive(serde::Deserialize)]
pub struct RestoreQuery {
    file: String,
}

/// `POST /case/NAME/restore?file=KEPT`: put a kept version back (the file it replaces is kept in turn).
pub async fn restore(
    State(s): State<AppState>,
    UrlPath(name): UrlPath<String>,
    Query(q): Query<RestoreQuery>,
) -> Response {
    let Some(dir) = case_dir(&s, &name) else { return not_found("没有这个案例。") };
    let Some(original) = original_of(&q.file).filter(|o| guard::upload_name(o).as_deref() == Ok(o.as_str())) else {
        return not_found("没有这个旧版本。");
    };
    let history = match history_dir(&s.root, &dir) {
        Ok(h) => h,
        Err(e) => return (StatusCode::CONFLICT, e.to_string()).into_response(),
    };
    let Some(kept) = guard::inside(&history, &q.file).filter(|p| p.is_file()) else {
        return not_found("没有这个旧版本。");
    };
    let _replacing = s.replacing.lock().await;
    let tmp = dir.join(temp_name(&original));
    let copied = tokio::fs::copy(&kept, &tmp).await;
    let result = match copied {
        Err(e) => Err(UploadError::Io { file: original.clone(), source: e }),
        Ok(_) => keep_old(&s.root, &dir, &original).and_then(|before| {
            std::fs::rename(&tmp, dir.join(&original))
                .map(|_| before)
                .map_err(|source| UploadError::Io { file: original.clone(), source })
        }),
    };
    let _ = tokio::fs::remove_file(&tmp).await;
    match result {
        Ok(before) => {
            let _ = s.events.send(name);
            let mut text = format!("已恢复“{original}”（{} 的版本）。", q.file);
            if let Some(b) = before {
                text.push_str(&format!("恢复前的文件已保留为 {HISTORY}/{b}。"));
            }
            (StatusCode::OK, text).into_response()
        }
        Err(e) => (e.status(), e.to_string()).into_response(),
    }
}

/// `GET /case/NAME/history/KEPT`: a kept version.
pub async fn download_kept(State(s): State<AppState>, UrlPath((name, file)): UrlPath<(String, String)>) -> Response {
    let Some(dir) = case_dir(&s, &name) else { return not_found("没有这个案例。") };
    let Ok(Some(history)) = guard::existing_folder_inside(&s.root, &dir.join(HISTORY)) else {
        return not_found("没有旧版本。");
    };
    let Some(path) = guard::inside(&history, &file).filter(|_| original_of(&file).is_some()) else {
        return not_found("没有这个旧版本。");
    };
    let Ok(bytes) = tokio::fs::read(&path).await else { return not_found("文件无法读取。") };
    super::attachment(bytes, "application/octet-stream", &file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_names_lead_back_to_their_workbook() {
        assert_eq!(original_of("评价底稿（2026-12-07 15-30-05）.xlsx").as_deref(), Some("评价底稿.xlsx"));
        assert_eq!(original_of("评价底稿（2026-12-07 15-30-05-2）.xlsx").as_deref(), Some("评价底稿.xlsx"));
        assert_eq!(original_of("a（b）（2026-12-07 15-30-05）.xls").as_deref(), Some("a（b）.xls"));
        assert_eq!(original_of("评价底稿.xlsx"), None);
        assert_eq!(original_of("评价底稿（副本）.xlsx"), None);
        assert_eq!(split_ext(".xlsx"), (".xlsx", ""));
    }
}
