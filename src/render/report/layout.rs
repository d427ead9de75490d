//! The 目录's page numbers from a LibreOffice layout pass: the DOCX is
//! converted to PDF in a temporary folder of its own, each heading is found
//! on its page after the 目录, and numbered from the body's first page.
//!
//! A batch lays out all its reports with one LibreOffice process per core
//! ([`toc_pages_many`]), each converting many files in one call: starting
//! LibreOffice costs about as much as laying out a report.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The longest one report may take to lay out (a process is stopped after
/// this times its number of reports, plus its start).
const PER_DOCUMENT: Duration = Duration::from_secs(30);
const START: Duration = Duration::from_secs(60);

/// Page numbers of the 目录's headings from a LibreOffice layout pass. None
/// when soffice or pdftotext is missing or the headings cannot all be found.
pub fn toc_pages(docx: &[u8], headings: &[(u8, String)]) -> Option<Vec<u32>> {
    toc_pages_many(&[(docx, headings)], 1).pop().flatten()
}

/// A document to lay out and the 目录 headings to find in it.
pub type LayoutInput<'a> = (&'a [u8], &'a [(u8, String)]);

/// [`toc_pages`] for many documents: `jobs` LibreOffice processes (at least
/// one), each converting its share of the documents in one call.
pub fn toc_pages_many(docs: &[LayoutInput<'_>], jobs: usize) -> Vec<Option<Vec<u32>>> {
    let none = || vec![None; docs.len()];
    if docs.is_empty() {
        return Vec::new();
    }
    let Some(soffice) = soffice() else { return none() };
    // One folder per pass: cases built in parallel each get their own.
    static PASS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = PASS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    if n == 0 {
        clean_stale_passes();
    }
    let dir = std::env::temp_dir().join(format!("jixiao-toc-{}-{n}", std::process::id()));
    let jobs = jobs.clamp(1, docs.len());
    let group_dir = |g: usize| dir.join(format!("g{g}"));
    let input = |i: usize| group_dir(i % jobs).join(format!("{i:05}.docx"));
    for g in 0..jobs {
        if std::fs::create_dir_all(group_dir(g)).is_err() {
            return none();
        }
    }
    for (i, (bytes, _)) in docs.iter().enumerate() {
        if std::fs::write(input(i), bytes).is_err() {
            let _ = std::fs::remove_dir_all(&dir);
            return none();
        }
    }
    let mut running: Vec<(Child, Instant, Duration)> = Vec::new();
    for g in 0..jobs {
        let files: Vec<PathBuf> = (g..docs.len()).step_by(jobs).map(input).collect();
        let profile = format!("-env:UserInstallation=file://{}", dir.join(format!("profile{g}")).display());
        let child = Command::new(soffice)
            .arg(&profile)
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(group_dir(g))
            .args(&files)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        if let Ok(child) = child {
            running.push((child, Instant::now(), START + PER_DOCUMENT * files.len() as u32));
        }
    }
    for (mut child, started, limit) in running {
        loop {
            match child.try_wait() {
                Ok(Some(_)) => break,
                Ok(None) if started.elapsed() > limit => {
                    // What it converted stays usable; the rest has no PDF.
                    let _ = child.kill();
                    let _ = child.wait();
                    break;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(50)),
                Err(_) => break,
            }
        }
    }
    let out = docs
        .iter()
        .enumerate()
        .map(|(i, (_, headings))| pdf_text(&input(i).with_extension("pdf")).and_then(|t| pages_of(&t, headings)))
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    out
}

fn soffice() -> Option<&'static str> {
    ["soffice", "libreoffice"].into_iter().find(|b| Command::new(b).arg("--version").output().is_ok())
}

fn pdf_text(pdf: &Path) -> Option<String> {
    if !pdf.is_file() {
        return None;
    }
    let text = Command::new("pdftotext").arg(pdf).arg("-").output().ok()?;
    text.status.success().then(|| String::from_utf8_lossy(&text.stdout).into_owned())
}

/// The page of each heading in `text` (pdftotext's, pages separated by form
/// feeds), counted from the body's first page: the page after the 目录 that
/// holds the first heading's text.
pub fn pages_of(text: &str, headings: &[(u8, String)]) -> Option<Vec<u32>> {
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let pages: Vec<String> = text.split('\u{c}').map(squash).collect();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_counted_from_the_body() {
        let h = |t: &str| (1u8, t.to_string());
        let headings = [h("一、部门概况"), h("二、评价组织实施"), h("三、评价结论")];
        // Cover, 目录 (listing them), body pages 1–3.
        let text = "封面\u{c}目录\n一、部门概况……1\n二、评价组织实施……2\n三、评价结论……3\u{c}一、部门 概况\n正文\u{c}正文\n二、评价组织实施\u{c}三、评价结论\n";
        assert_eq!(pages_of(text, &headings), Some(vec![1, 2, 3]));
        // A heading missing from the body: no numbers rather than wrong ones.
        assert_eq!(pages_of("目录 一、部门概况\u{c}一、部门概况", &headings), None);
    }
}
