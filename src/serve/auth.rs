//! Who may use the page: every request, GET included, proves it comes from
//! the browser that opened the address `jixiao serve` printed.
//!
//! * **The token** (128 random bits, printed once in the address as
//!   `?t=TOKEN`) is the only thing that authorises a change. A mutating
//!   request (POST, PUT, anything but GET/HEAD) carries it itself: the
//!   header `X-Jixiao-Token`, or for the one HTML form (新建案例) its field
//!   `token`, checked by the handler. A cookie alone never authorises a
//!   change (cookies do not separate the ports of 127.0.0.1, so a page on
//!   another local port would send it too).
//! * **The session cookie** `jixiao_PORT` (a second random value, not the
//!   token) lets the browser read pages and downloads. It is set by the first
//!   visit to `/?t=TOKEN`, which is redirected at once to `/#t=TOKEN`: the
//!   token leaves the address (and never travels in a `Referer`), the page's
//!   script keeps it in this origin's `localStorage` and sends it as the
//!   header. Pages never carry the token, so a leaked cookie reads at most.
//! * **Cross-site requests are refused** whatever they carry: an `Origin`
//!   other than this server's, or `Sec-Fetch-Site` other than `same-origin`
//!   / `none`.
//! * Without what a route needs: 403 and a short page saying to open the
//!   address `jixiao serve` printed.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{guard, AppState};

/// The routes whose POST is an HTML form (its handler checks the `token` field).
pub const FORM_ROUTES: &[&str] = &["/new"];

/// The session cookie's name: one per port, so two servers do not overwrite each other's.
pub fn cookie_name(port: u16) -> String {
    format!("jixiao_{port}")
}

/// Every request: addressed to this server by a loopback name (no DNS
/// rebinding), from this server's own pages, with what its method needs.
pub async fn check_request(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    if !guard::local_host(host, s.port) {
        return refuse(StatusCode::FORBIDDEN, "只接受发给本机地址（127.0.0.1）的请求。", s.port);
    }
    if cross_site(req.headers(), s.port) {
        return refuse(StatusCode::FORBIDDEN, "拒绝来自其他网页的请求。", s.port);
    }
    let header_ok =
        req.headers().get("x-jixiao-token").and_then(|h| h.to_str().ok()).is_some_and(|t| guard::same(t, &s.token));
    let cookie_ok = cookie(req.headers(), &cookie_name(s.port)).is_some_and(|c| guard::same(&c, &s.session));
    let method = req.method().clone();
    let reading = method == Method::GET || method == Method::HEAD;
    if reading {
        // The first visit: the printed address. Set the session, take the token out of the address.
        if let Some(t) = query_token(req.uri().query()) {
            if !guard::same(&t, &s.token) {
                return refuse(StatusCode::FORBIDDEN, "地址中的令牌不是本次运行的。", s.port);
            }
            return first_visit(&s, req.uri());
        }
        if !(header_ok || cookie_ok) {
            return refuse(StatusCode::FORBIDDEN, "缺少本次运行的令牌。", s.port);
        }
    } else {
        let form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|h| h.to_str().ok())
            .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
        // A form's token is in its body: its handler checks it; the session must be there too.
        let form_route = form && cookie_ok && FORM_ROUTES.contains(&req.uri().path());
        if !(header_ok || form_route) {
            return refuse(StatusCode::FORBIDDEN, "缺少本次运行的令牌，无法修改。", s.port);
        }
    }
    let mut resp = next.run(req).await;
    secure_headers(resp.headers_mut());
    resp
}

/// `Origin` naming another site, or the browser saying the request is
/// cross-site. Under `Referrer-Policy: no-referrer` a browser sends
/// `Origin: null` with its own forms: that passes only when `Sec-Fetch-Site`
/// says `same-origin`.
fn cross_site(headers: &HeaderMap, port: u16) -> bool {
    let site = headers.get("sec-fetch-site").and_then(|h| h.to_str().ok());
    let same_origin = site == Some("same-origin");
    let origin = headers.get(header::ORIGIN).and_then(|h| h.to_str().ok());
    let foreign_origin = origin.is_some_and(|o| {
        let ours = o.strip_prefix("http://").is_some_and(|host| guard::local_host(host, port));
        !(ours || (o == "null" && same_origin))
    });
    let foreign_site = site.is_some_and(|v| v != "same-origin" && v != "none");
    foreign_origin || foreign_site
}

fn query_token(query: Option<&str>) -> Option<String> {
    query?.split('&').find_map(|kv| kv.strip_prefix("t=")).map(str::to_string)
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    let prefix = format!("{name}=");
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| kv.trim().strip_prefix(prefix.as_str()).map(str::to_string))
}

/// 303 to the same path (other query parameters kept), the token moved to
/// the fragment for the page's script, the session cookie set.
fn first_visit(s: &AppState, uri: &axum::http::Uri) -> Response {
    let rest: Vec<&str> =
        uri.query().unwrap_or("").split('&').filter(|kv| !kv.starts_with("t=") && !kv.is_empty()).collect();
    let mut location = uri.path().to_string();
    if !rest.is_empty() {
        location.push('?');
        location.push_str(&rest.join("&"));
    }
    location.push_str("#t=");
    location.push_str(&s.token);
    let mut resp = StatusCode::SEE_OTHER.into_response();
    let cookie = format!("{}={}; Path=/; HttpOnly; SameSite=Strict", cookie_name(s.port), s.session);
    if let (Ok(l), Ok(c)) = (HeaderValue::from_str(&location), HeaderValue::from_str(&cookie)) {
        resp.headers_mut().insert(header::LOCATION, l);
        resp.headers_mut().insert(header::SET_COOKIE, c);
    }
    secure_headers(resp.headers_mut());
    resp
}

/// What every answer carries: no sniffing, no framing, no referrer, no caching of pages.
fn secure_headers(h: &mut HeaderMap) {
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ),
    );
    h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
}

/// A refusal: a short page (no token in it) saying what to do.
fn refuse(status: StatusCode, why: &str, port: u16) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>无法访问 · jixiao</title>\
         <body style=\"font-family:sans-serif;max-width:40em;margin:3em auto\"><h1>无法访问</h1><p>{why}</p>\
         <p>请打开 <code>jixiao serve</code> 启动时打印的地址（<code>http://127.0.0.1:{port}/?t=…</code>，在启动它的窗口里）。\
         重新打开浏览器时，也请使用这个地址。</p></body></html>"
    );
    let mut resp = (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    secure_headers(resp.headers_mut());
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_and_fetch_sites() {
        let with = |pairs: &[(&'static str, &'static str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(*k, HeaderValue::from_static(v));
            }
            h
        };
        assert!(!cross_site(&with(&[]), 8080));
        assert!(!cross_site(&with(&[("origin", "http://127.0.0.1:8080"), ("sec-fetch-site", "same-origin")]), 8080));
        assert!(cross_site(&with(&[("origin", "http://127.0.0.1:9090")]), 8080), "another port is another origin");
        assert!(cross_site(&with(&[("origin", "http://evil.example")]), 8080));
        assert!(cross_site(&with(&[("origin", "null")]), 8080));
        assert!(!cross_site(&with(&[("origin", "null"), ("sec-fetch-site", "same-origin")]), 8080), "our own form");
        assert!(cross_site(&with(&[("origin", "null"), ("sec-fetch-site", "cross-site")]), 8080));
        assert!(cross_site(&with(&[("sec-fetch-site", "same-site")]), 8080));
        assert!(cross_site(&with(&[("sec-fetch-site", "cross-site")]), 8080));
        assert_eq!(query_token(Some("a=1&t=abc")), Some("abc".into()));
        assert_eq!(query_token(Some("a=1")), None);
    }
}
