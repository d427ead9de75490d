//! Open a workbook by its content, not its name, and turn each sheet into a
//! [`Grid`]. calamine can panic on some broken files: that is caught here and
//! reported like any other unreadable file.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use calamine::{Data, DataRef, Dimensions, Ods, Range, Reader, Xls, Xlsx};

use super::grid::Grid;
use super::guard::{self, Budget};
use super::{Corruption, IngestError};

/// The file formats jixiao reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Xls,
    Ods,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
        }
    }
}

/// A sheet that could not be read while the rest of the workbook could.
#[derive(Debug)]
pub struct SheetError {
    pub sheet: String,
    pub reason: SheetReadError,
}

/// calamine's error for a sheet, shown as calamine words it (without the
/// `Xlsx error: ` prefix `calamine::Error` would add).
#[derive(Debug, thiserror::Error)]
pub enum SheetReadError {
    #[error(transparent)]
    Xlsx(#[from] calamine::XlsxError),
    #[error(transparent)]
    Xls(#[from] calamine::XlsError),
    #[error(transparent)]
    Ods(#[from] calamine::OdsError),
}

/// A workbook read into grids.
pub struct Workbook {
    pub format: Format,
    pub sheets: Vec<Grid>,
    pub sheet_errors: Vec<SheetError>,
    /// Sheets read only in part (too large): (sheet, the range kept).
    pub truncated: Vec<(String, String)>,
}

/// Recognise the format from the first bytes.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some(Format::Xls)
    } else if bytes.starts_with(b"PK\x03\x04") {
        let head = &bytes[..bytes.len().min(200)];
        if head.windows(11).any(|w| w == b"opendocumen") {
            Some(Format::Ods)
        } else {
            Some(Format::Xlsx)
        }
    } else {
        None
    }
}

/// Read a workbook file. `display` is the name used in messages.
pub fn read_workbook(path: &Path, display: &str) -> Result<Workbook, IngestError> {
    read_workbook_with(path, display, &mut Budget::default())
}

/// As [`read_workbook`], counting what it inflates against a case's budget.
pub fn read_workbook_with(path: &Path, display: &str, budget: &mut Budget) -> Result<Workbook, IngestError> {
    let bytes = std::fs::read(path).map_err(|source| IngestError::Io { file: display.to_string(), source })?;
    read_workbook_bytes_with(bytes, display, budget)
}

/// Read a workbook from memory.
pub fn read_workbook_bytes(bytes: Vec<u8>, display: &str) -> Result<Workbook, IngestError> {
    read_workbook_bytes_with(bytes, display, &mut Budget::default())
}

/// Read a workbook from memory, within a case's budget: zip-based files are
/// checked by [`guard::check_zip`] before any parser sees them.
pub fn read_workbook_bytes_with(bytes: Vec<u8>, display: &str, budget: &mut Budget) -> Result<Workbook, IngestError> {
    if bytes.is_empty() {
        return Err(IngestError::EmptyFile { file: display.to_string() });
    }
    let format = sniff(&bytes)
        .ok_or_else(|| IngestError::NotExcel { file: display.to_string(), looks_like: describe_content(&bytes) })?;
    if matches!(format, Format::Xlsx | Format::Ods) {
        guard::check_zip(&bytes, budget).map_err(|reason| match reason {
            guard::GuardError::Zip(e) => IngestError::Corrupt { file: display.to_string(), reason: Corruption::Zip(e) },
            reason => IngestError::Refused { file: display.to_string(), reason },
        })?;
    }
    let file = display.to_string();
    let result = catch_unwind(AssertUnwindSafe(|| read_format(format, bytes, &file)));
    match result {
        Ok(r) => r,
        Err(_) => Err(IngestError::Corrupt { file: display.to_string(), reason: Corruption::Panicked }),
    }
}

fn read_format(format: Format, bytes: Vec<u8>, file: &str) -> Result<Workbook, IngestError> {
    let corrupt = |e: Box<dyn std::error::Error + Send + Sync>| IngestError::Corrupt {
        file: file.to_string(),
        reason: Corruption::Reader(e),
    };
    let mut sheets = Vec::new();
    let mut sheet_errors = Vec::new();
    let mut truncated = Vec::new();
    let cursor = Cursor::new(bytes);
    let mut out = |name: &str, range: Result<Range<Data>, SheetReadError>, merges: Vec<Dimensions>| match range {
        Ok(range) => {
            let grid = Grid::from_range(file, name, &range, &merges);
            if let Some(kept) = grid.truncated.clone() {
                truncated.push((name.to_string(), kept));
            }
            sheets.push(grid)
        }
        Err(reason) => sheet_errors.push(SheetError { sheet: name.to_string(), reason }),
    };
    match format {
        Format::Xlsx => {
            let mut wb: Xlsx<_> = Xlsx::new(cursor).map_err(|e| corrupt(e.into()))?;
            for name in wb.sheet_names() {
                let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
                match Grid::streamed(file, &name, &merges, |sink| xlsx_cells(&mut wb, &name, sink)) {
                    Ok(grid) => {
                        if let Some(kept) = grid.truncated.clone() {
                            truncated.push((name.to_string(), kept));
                        }
                        sheets.push(grid);
                    }
                    Err(reason) => sheet_errors.push(SheetError { sheet: name.to_string(), reason }),
                }
            }
        }
        Format::Xls => {
            let mut wb: Xls<_> = Xls::new(cursor).map_err(|e| corrupt(e.into()))?;
            for name in wb.sheet_names() {
                let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
                out(&name, wb.worksheet_range(&name).map_err(SheetReadError::from), merges);
            }
        }
        Format::Ods => {
            // calamine reports no merged regions for .ods.
            let mut wb: Ods<_> = Ods::new(cursor).map_err(|e| corrupt(e.into()))?;
            for name in wb.sheet_names() {
                out(&name, wb.worksheet_range(&name).map_err(SheetReadError::from), Vec::new());
            }
        }
    }
    Ok(Workbook { format, sheets, sheet_errors, truncated })
}

/// The non-blank cells of an xlsx sheet, streamed to `sink` (row, column,
/// value) until it answers `false`: the sheet is never materialised as
/// calamine's dense range, so a stray space in XFD1048576 costs nothing,
/// and no list of its cells is built.
fn xlsx_cells<RS: std::io::Read + std::io::Seek>(
    wb: &mut Xlsx<RS>,
    name: &str,
    sink: &mut dyn FnMut(u32, u32, &Data) -> bool,
) -> Result<(), SheetReadError> {
    let mut reader = match wb.worksheet_cells_reader(name) {
        Ok(r) => r,
        // Chart sheets and the like: nothing to read.
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    while let Some(cell) = reader.next_cell()? {
        let (row, col) = cell.get_position();
        let blank = match cell.get_value() {
            DataRef::Empty => true,
            DataRef::String(s) => s.trim().is_empty(),
            DataRef::SharedString(s) => s.trim().is_empty(),
            _ => false,
        };
        if blank {
            continue;
        }
        let data: Data = cell.get_value().clone().into();
        if !sink(row, col, &data) {
            break;
        }
    }
    Ok(())
}

/// A short guess at what a non-Excel file is, for the message.
pub(crate) fn describe_content(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(512)];
    if head.starts_with(b"%PDF") {
        "PDF 文件".into()
    } else if head.starts_with(b"<") || head.windows(5).any(|w| w.eq_ignore_ascii_case(b"<html")) {
        "网页或 XML 文本".into()
    } else if std::str::from_utf8(head).is_ok() || head.iter().all(|b| *b >= 0x09) {
        "纯文本（可能是另存为 CSV 或改了扩展名）".into()
    } else {
        "未知格式".into()
    }
}
