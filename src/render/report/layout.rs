//! The 目录's page numbers from a LibreOffice layout pass.
//!
//! The document laid out (the report up to its last 目录 heading) begins
//! with a page of markers, `[i:N]`, N a PAGEREF field to the i-th heading's
//! bookmark (`docx::page_markers`). LibreOffice fills the fields as it lays
//! the whole document out, so exporting only that first page to PDF gives
//! every heading's page, counted as the body numbers its pages (restarting
//! at 1 after the 目录, continuing through landscape sections) — without
//! writing the other 70 pages, which was half the time.
//!
//! A batch lays out all its reports with one LibreOffice process per job
//! ([`toc_pages_many`]), each converting a chunk of files per call and
//! started again for the next chunk (a long-running LibreOffice slows down
//! document by document).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The longest one report may take to lay out (a process is stopped after
/// this times its number of reports, plus its start).
const PER_DOCUMENT: Duration = Duration::from_secs(30);
const START: Duration = Duration::from_secs(60);
/// Documents per LibreOffice call: starting one costs about two documents,
/// and one converting many grows slower with each.
const CHUNK: usize = 16;
/// Only the first page (the markers) is written.
const FIRST_PAGE_PDF: &str = r#"pdf:writer_pdf_Export:{"PageRange":{"type":"string","value":"1"}}"#;

/// Page numbers of the 目录's headings from a LibreOffice layout pass. None
/// when soffice or pdftotext is missing or a heading's page was not found.
pub fn toc_pages(docx: &[u8], headings: &[(u8, String)]) -> Option<Vec<u32>> {
    toc_pages_many(&[(docx, headings)], 1).pop().flatten()
}

/// A document to lay out and the 目录 headings it marks.
pub type LayoutInput<'a> = (&'a [u8], &'a [(u8, String)]);

/// [`toc_pages`] for many documents: `jobs` LibreOffice processes at a time
/// (at least one), each converting a chunk of the documents in one call.
pub fn toc_pages_many(docs: &[LayoutInput<'_>], jobs: usize) -> Vec<Option<Vec<u32>>> {
    let none = || vec![None; docs.len()];
    if docs.is_empty() {
        return Vec::new();
    }
    let Some(soffice) = soffice() else { return none() };
    // One folder per pass: cases built in parallel each get their own.
    static PASS: AtomicUsize = AtomicUsize::new(0);
    let n = PASS.fetch_add(1, Ordering::Relaxed);
    if n == 0 {
        clean_stale_passes();
    }
    let dir = std::env::temp_dir().join(format!("jixiao-toc-{}-{n}", std::process::id()));
    let chunks: Vec<std::ops::Range<usize>> =
        (0..docs.len()).step_by(CHUNK).map(|start| start..(start + CHUNK).min(docs.len())).collect();
    let chunk_dir = |c: usize| dir.join(format!("c{c}"));
    let input = |c: usize, i: usize| chunk_dir(c).join(format!("{i:05}.docx"));
    for (c, chunk) in chunks.iter().enumerate() {
        let written = std::fs::create_dir_all(chunk_dir(c)).is_ok()
            && chunk.clone().all(|i| std::fs::write(input(c, i), docs[i].0).is_ok());
        if !written {
            let _ = std::fs::remove_dir_all(&dir);
            return none();
        }
    }
    // Each job takes the next chunk until none is left, in a profile of its own.
    let next = AtomicUsize::new(0);
    let jobs = jobs.clamp(1, chunks.len());
    std::thread::scope(|s| {
        for job in 0..jobs {
            let (next, chunks, dir) = (&next, &chunks, &dir);
            s.spawn(move || {
                let profile = format!("-env:UserInstallation=file://{}", dir.join(format!("profile{job}")).display());
                loop {
                    let c = next.fetch_add(1, Ordering::Relaxed);
                    let Some(chunk) = chunks.get(c) else { break };
                    let files: Vec<PathBuf> = chunk.clone().map(|i| input(c, i)).collect();
                    let child = Command::new(soffice)
                        .arg(&profile)
                        .args(["--headless", "--convert-to", FIRST_PAGE_PDF, "--outdir"])
                        .arg(chunk_dir(c))
                        .args(&files)
                        .stdin(Stdio::null())
                        .stdout(Stdio::null())
                        .stderr(Stdio::null())
                        .spawn();
                    if let Ok(child) = child {
                        wait_at_most(child, START + PER_DOCUMENT * files.len() as u32);
                    }
                }
            });
        }
    });
    let out = chunks
        .iter()
        .enumerate()
        .flat_map(|(c, chunk)| chunk.clone().map(move |i| (c, i)))
        .map(|(c, i)| pdf_text(&input(c, i).with_extension("pdf")).and_then(|t| marked_pages(&t, docs[i].1.len())))
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    out
}

/// Wait for `child`, stopping it after `limit`: what it converted stays
/// usable, the rest has no PDF.
fn wait_at_most(mut child: Child, limit: Duration) {
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) | Err(_) => return,
            Ok(None) if started.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

fn soffice() -> Option<&'static str> {
    ["soffice", "libreoffice"].into_iter().find(|b| Command::new(b).arg("--version").output().is_ok())
}

/// The text of the PDF's first page (the markers), in the order it was
/// drawn: by position, pdftotext would move the fields' numbers apart.
fn pdf_text(pdf: &Path) -> Option<String> {
    if !pdf.is_file() {
        return None;
    }
    let text = Command::new("pdftotext").args(["-raw", "-f", "1", "-l", "1"]).arg(pdf).arg("-").output().ok()?;
    text.status.success().then(|| String::from_utf8_lossy(&text.stdout).into_owned())
}

/// The pages of headings 1..=`count` from the markers' text (`[1:1] [2:1]
/// [3:5] …`, wrapped anywhere): every heading's marker holding a page of at
/// least 1, in order of the document; else None, never a guess.
pub fn marked_pages(text: &str, count: usize) -> Option<Vec<u32>> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut pages = vec![None; count];
    for marker in text.split('[').skip(1) {
        let (body, _) = marker.split_once(']')?;
        let (i, page) = body.split_once(':')?;
        let (i, page) = (i.parse::<usize>().ok()?, page.parse::<u32>().ok()?);
        if (1..=count).contains(&i) && page >= 1 {
            pages[i - 1] = Some(page);
        }
    }
    let pages: Vec<u32> = pages.into_iter().collect::<Option<_>>()?;
    pages.windows(2).all(|w| w[0] <= w[1]).then_some(pages)
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
    fn pages_read_off_the_markers() {
        // As pdftotext gives them: wrapped anywhere, even inside a marker.
        let text = "[1:1] [2:1] [3:5] [4:\n12] [5:68]\n\u{c}";
        assert_eq!(marked_pages(text, 5), Some(vec![1, 1, 5, 12, 68]));
        // A field LibreOffice left uncomputed, a missing marker, a page 0 or
        // numbers out of order: no numbers rather than wrong ones.
        assert_eq!(marked_pages("[1:1] [2:] [3:5]", 3), None);
        assert_eq!(marked_pages("[1:1] [3:5]", 3), None);
        assert_eq!(marked_pages("[1:0] [2:1]", 2), None);
        assert_eq!(marked_pages("[1:4] [2:3]", 2), None);
    }

    /// A tiny document: the marker page, `before` pages, then the heading.
    fn tiny(before: usize) -> Vec<u8> {
        use docx_rs::{BreakType, Docx, Paragraph, Run};
        let mut d = Docx::new().add_paragraph(crate::render::report::docx::page_markers(1));
        for _ in 0..before {
            d = d.add_paragraph(Paragraph::new().add_run(Run::new().add_text("正文").add_break(BreakType::Page)));
        }
        let heading = Paragraph::new()
            .add_bookmark_start(1, "_Toc00000001")
            .add_run(Run::new().add_text("一、标题"))
            .add_bookmark_end(1);
        let mut out = std::io::Cursor::new(Vec::new());
        d.add_paragraph(heading).build().pack(&mut out).unwrap();
        out.into_inner()
    }

    /// More documents than one LibreOffice call takes, on two jobs: each
    /// gets its own pages back, in order.
    #[test]
    fn many_documents_across_chunks() {
        if soffice().is_none() {
            assert!(std::env::var_os("CI").is_none(), "CI must have LibreOffice (.ci/run installs it)");
            return;
        }
        let docs: Vec<Vec<u8>> = (0..CHUNK + 3).map(|i| tiny(i % 4)).collect();
        let headings = vec![(1u8, "一、标题".to_string())];
        let inputs: Vec<LayoutInput<'_>> = docs.iter().map(|d| (d.as_slice(), headings.as_slice())).collect();
        let pages = toc_pages_many(&inputs, 2);
        // The marker page is page 1: the heading is on page `before + 2`.
        let want: Vec<Option<Vec<u32>>> = (0..CHUNK + 3).map(|i| Some(vec![(i % 4) as u32 + 2])).collect();
        assert_eq!(pages, want);
    }
}
