//! Does a file open as a workbook? The check an upload passes before it
//! may replace anything: its format recognised by content, the zip limits
//! of [`super::guard`] met, and calamine able to open it and list at least
//! one sheet — without reading the sheets' cells.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{Ods, Reader, Xls, Xlsx};

use super::guard::{self, Budget};
use super::open::{sniff, Format};
use super::Corruption;
use super::IngestError;

/// Open `bytes` as a workbook far enough to know it is one: its format and its sheet names.
pub fn probe_workbook(bytes: &[u8], display: &str) -> Result<(Format, Vec<String>), IngestError> {
    let file = || display.to_string();
    if bytes.is_empty() {
        return Err(IngestError::EmptyFile { file: file() });
    }
    let Some(format) = sniff(bytes) else {
        return Err(IngestError::NotExcel { file: file(), looks_like: super::open::describe_content(bytes) });
    };
    if matches!(format, Format::Xlsx | Format::Ods) {
        guard::check_zip(bytes, &mut Budget::default()).map_err(|reason| match reason {
            guard::GuardError::Zip(e) => IngestError::Corrupt { file: file(), reason: Corruption::Zip(e) },
            reason => IngestError::Refused { file: file(), reason },
        })?;
    }
    let corrupt = |reason: Corruption| IngestError::Corrupt { file: file(), reason };
    let opened = catch_unwind(AssertUnwindSafe(|| {
        let cursor = Cursor::new(bytes);
        match format {
            Format::Xlsx => Xlsx::new(cursor)
                .map(|w| w.sheet_names())
                .map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>),
            Format::Xls => Xls::new(cursor)
                .map(|w| w.sheet_names())
                .map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>),
            Format::Ods => Ods::new(cursor)
                .map(|w| w.sheet_names())
                .map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>),
        }
    }));
    match opened {
        Ok(Ok(sheets)) if !sheets.is_empty() => Ok((format, sheets)),
        Ok(Ok(_)) => Err(corrupt(Corruption::NoSheets)),
        Ok(Err(e)) => Err(corrupt(Corruption::Reader(e))),
        Err(_) => Err(corrupt(Corruption::Panicked)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workbook_opens_and_anything_else_is_said_what_it_is() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.add_worksheet().set_name("收入").unwrap().write_string(0, 0, "科目").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let (format, sheets) = probe_workbook(&bytes, "a.xlsx").unwrap();
        assert_eq!((format, sheets), (Format::Xlsx, vec!["收入".to_string()]));
        assert!(matches!(probe_workbook(b"", "a.xlsx"), Err(IngestError::EmptyFile { .. })));
        assert!(matches!(probe_workbook(b"PK", "a.xlsx"), Err(IngestError::NotExcel { .. })));
        let cut = &bytes[..bytes.len() / 2];
        assert!(matches!(probe_workbook(cut, "a.xlsx"), Err(IngestError::Corrupt { .. })), "a truncated zip");
        let mut junk = b"PK\x03\x04".to_vec();
        junk.extend(std::iter::repeat_n(0u8, 4096));
        assert!(probe_workbook(&junk, "a.xlsx").is_err());
    }
}
