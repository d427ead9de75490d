//! Limits checked before a parser sees a file, so that no workbook can
//! make jixiao allocate or compute without bound: a zip part that inflates
//! past [`PART_LIMIT`] (a zip bomb) is refused, and so is a shared-string
//! table that declares more strings than its bytes could hold (calamine
//! reserves the declared count up front). Real bureau workbooks are a few
//! megabytes inflated; the limits are two orders of magnitude above them.
//!
//! ```
//! use jixiao::ingest::guard::declared_count_is_plausible;
//! assert!(declared_count_is_plausible(br#"<sst count="1176" uniqueCount="3">"#, 200));
//! assert!(!declared_count_is_plausible(br#"<sst count="4000000000" uniqueCount="4000000000">"#, 200));
//! ```

use std::io::{Cursor, Read};

/// The most one zip part (a sheet's XML, the shared strings) may inflate to.
pub const PART_LIMIT: u64 = 200 * 1024 * 1024;

/// The most all the workbooks of one case may inflate to together.
pub const CASE_LIMIT: u64 = 200 * 1024 * 1024;

/// Why a file was refused before parsing.
#[derive(Debug, thiserror::Error)]
pub enum GuardError {
    #[error("其中的“{part}”解压后超过 {} MB（可能是压缩炸弹或异常文件），为保护电脑已拒绝读取。", PART_LIMIT / 1024 / 1024)]
    PartTooLarge { part: String },
    #[error("本案例的工作簿解压后合计超过 {} MB，其余文件未读取。请只把本部门的报表放进案例文件夹。", CASE_LIMIT / 1024 / 1024)]
    CaseTooLarge,
    #[error("共享字符串表声明了 {declared} 个字符串，与其内容不符（文件已损坏或被篡改）。")]
    ImplausibleCount { declared: u64 },
    /// The zip container is broken (not a size refusal: the file is corrupt).
    #[error("zip 结构损坏（{0}）")]
    Zip(#[source] zip::result::ZipError),
}

/// The most deflate can inflate one byte to (1032:1, with a margin).
const DEFLATE_RATIO: u64 = 1100;

/// The sizes read so far for a case, to keep its total under [`CASE_LIMIT`].
#[derive(Debug, Default)]
pub struct Budget {
    pub inflated: u64,
}

/// Does the `uniqueCount` the start of `sst` XML declares fit in
/// `bytes` of XML? Each string takes at least `<si><t/></si>` (13 bytes).
pub fn declared_count_is_plausible(head: &[u8], bytes: u64) -> bool {
    let text = String::from_utf8_lossy(head);
    let declared = |attr: &str| -> Option<u64> {
        let at = text.find(&format!(" {attr}=\""))? + attr.len() + 3;
        let digits: String = text[at..].chars().take_while(|c| c.is_ascii_digit()).collect();
        digits.parse().ok().or(Some(u64::MAX))
    };
    let most = bytes / 13 + 16;
    // `count` is the number of uses (it may exceed the strings); calamine
    // reserves `uniqueCount`.
    declared("uniqueCount").is_none_or(|n| n <= most)
}

/// Read into `buf` until it is full or the stream ends (or fails).
fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> usize {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) | Err(_) => break,
            Ok(k) => n += k,
        }
    }
    n
}

/// The `uniqueCount` declared at the start of a shared-string table.
fn unique_count(head: &[u8]) -> u64 {
    let text = String::from_utf8_lossy(head);
    text.find("uniqueCount=\"")
        .map(|at| text[at + 13..].chars().take_while(|c| c.is_ascii_digit()).collect::<String>())
        .and_then(|d| d.parse().ok())
        .unwrap_or(u64::MAX)
}

/// Inflate every part of a zip-based workbook into a counting sink (no
/// memory kept), refusing one past [`PART_LIMIT`] or a case past
/// [`CASE_LIMIT`], and check the shared-string table's declared count.
pub fn check_zip(bytes: &[u8], budget: &mut Budget) -> Result<(), GuardError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(GuardError::Zip)?;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..archive.len() {
        let mut entry = match archive.by_index(i) {
            Ok(e) => e,
            // An entry the zip reader cannot open is left to the parser to report.
            Err(_) => continue,
        };
        let name = entry.name().to_string();
        let shared_strings = name.ends_with("sharedStrings.xml");
        // Deflate inflates at most ~1032:1: a part whose compressed size
        // bounds it under the limits needs no inflating here (every real
        // workbook); the others are measured.
        let bound = match entry.compression() {
            zip::CompressionMethod::Stored => Some(entry.compressed_size()),
            zip::CompressionMethod::Deflated => entry.compressed_size().checked_mul(DEFLATE_RATIO),
            _ => None,
        };
        if let Some(bound) = bound.filter(|b| *b <= PART_LIMIT) {
            let size = entry.size().max(entry.compressed_size()).min(bound);
            budget.inflated += size;
            if budget.inflated > CASE_LIMIT {
                return Err(GuardError::CaseTooLarge);
            }
            if shared_strings {
                // Only the declared count is needed: the first 4 KB.
                let mut head = vec![0u8; 4096];
                let n = read_up_to(&mut entry, &mut head);
                if !declared_count_is_plausible(&head[..n], size) {
                    return Err(GuardError::ImplausibleCount { declared: unique_count(&head[..n]) });
                }
            }
            continue;
        }
        let mut head: Vec<u8> = Vec::new();
        let mut size: u64 = 0;
        loop {
            let n = match entry.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                // A damaged stream: the parser reports it with its own words.
                Err(_) => break,
            };
            if shared_strings && head.len() < 4096 {
                head.extend_from_slice(&buf[..n.min(4096 - head.len())]);
            }
            size += n as u64;
            budget.inflated += n as u64;
            if size > PART_LIMIT {
                return Err(GuardError::PartTooLarge { part: name });
            }
            if budget.inflated > CASE_LIMIT {
                return Err(GuardError::CaseTooLarge);
            }
        }
        if shared_strings && !declared_count_is_plausible(&head, size) {
            return Err(GuardError::ImplausibleCount { declared: unique_count(&head) });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in parts {
            w.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn counts_and_limits() {
        let ok = zip_of(&[("xl/sharedStrings.xml", br#"<sst count="1" uniqueCount="1"><si><t>a</t></si></sst>"#)]);
        assert!(check_zip(&ok, &mut Budget::default()).is_ok());
        let lying = zip_of(&[("xl/sharedStrings.xml", br#"<sst count="4000000000" uniqueCount="4000000000"></sst>"#)]);
        assert!(matches!(
            check_zip(&lying, &mut Budget::default()),
            Err(GuardError::ImplausibleCount { declared: 4_000_000_000 })
        ));
        let mut spent = Budget { inflated: CASE_LIMIT - 10 };
        assert!(matches!(check_zip(&ok, &mut spent), Err(GuardError::CaseTooLarge)));
        // A broken zip keeps the zip reader's error as its source.
        let broken = check_zip(b"PK\x03\x04 not really a zip", &mut Budget::default()).unwrap_err();
        assert!(matches!(broken, GuardError::Zip(_)));
        assert!(std::error::Error::source(&broken).is_some());
    }
}
