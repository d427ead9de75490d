//! The 目录's page numbers from a LibreOffice layout pass: the DOCX is
//! converted to PDF in a temporary folder of its own, each heading is found
//! on its page after the 目录, and numbered from the body's first page.

/// Page numbers of the 目录's headings from a LibreOffice layout pass: the
/// DOCX is converted to PDF, each heading is found on its page after the
/// 目录, and numbered from the body's first page. None when soffice or
/// pdftotext is missing or the headings cannot all be found.
pub fn toc_pages(docx: &[u8], headings: &[(u8, String)]) -> Option<Vec<u32>> {
    use std::process::Command;
    // One folder per pass: cases built in parallel each get their own.
    static PASS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = PASS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    if n == 0 {
        clean_stale_passes();
    }
    let dir = std::env::temp_dir().join(format!("jixiao-toc-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let input = dir.join("report.docx");
    std::fs::write(&input, docx).ok()?;
    let profile = format!("-env:UserInstallation=file://{}", dir.join("profile").display());
    let soffice = ["soffice", "libreoffice"].into_iter().find(|b| Command::new(b).arg("--version").output().is_ok())?;
    let ok = Command::new(soffice)
        .arg(&profile)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&input)
        .output()
        .ok()?;
    if !ok.status.success() {
        let _ = std::fs::remove_dir_all(&dir);
        return None;
    }
    let text = Command::new("pdftotext").arg(dir.join("report.pdf")).arg("-").output().ok()?;
    let _ = std::fs::remove_dir_all(&dir);
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let pages: Vec<String> = String::from_utf8_lossy(&text.stdout).split('\u{c}').map(squash).collect();
    // The 目录 lists every heading: the body starts after the last page holding the first heading's text among the 目录's.
    let first = squash(&headings.first()?.1);
    let toc_page = pages.iter().position(|p| p.contains(&first))?;
    let body_start = (toc_page + 1..pages.len()).find(|&i| pages[i].contains(&first))?;
    let mut out = Vec::new();
    let mut at = body_start;
    for (_, h) in headings {
        let key = squash(h);
        let found = (at..pages.len()).find(|&i| pages[i].contains(&key))?;
        out.push((found - body_start + 1) as u32);
        at = found;
    }
    Some(out)
}

/// Remove the layout folders (`jixiao-toc-<pid>-<n>` in the system's
/// temporary folder) that a killed run left behind.
fn clean_stale_passes() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let pid = name.strip_prefix("jixiao-toc-").and_then(|r| r.split('-').next()).and_then(|p| p.parse().ok());
        if let Some(pid) = pid {
            if crate::output::left_by_gone_process(&e.path(), pid) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}
