//! A sheet as a grid of cells with merged regions filled in and every cell's
//! address kept. Only the top-left cell of a merge holds a value in the file;
//! here every cell of the merge shows it, marked as a copy.

use std::sync::Arc;

use calamine::{Data, Dimensions, Range};

use crate::model::value::{clean_text, normalize_label};
use crate::model::Provenance;

/// What a cell held in the file.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    Empty,
    Number(f64),
    Text,
    Bool(bool),
    Error,
}

/// One cell.
#[derive(Debug, Clone)]
pub struct GCell {
    pub raw: Raw,
    /// The text as shown (numbers formatted plainly), trimmed.
    pub text: String,
    /// [`normalize_label`] of the text when it differs from the text (most
    /// cells — numbers, plain labels — need no second string: see [`GCell::norm`]).
    norm: Option<Box<str>>,
    /// A copy of a merged region's top-left cell.
    pub merged: bool,
    /// Characters XML cannot hold were dropped from the text.
    pub controls: bool,
}

static EMPTY: GCell = GCell { raw: Raw::Empty, text: String::new(), norm: None, merged: false, controls: false };

impl GCell {
    /// [`normalize_label`] of the text.
    pub fn norm(&self) -> &str {
        self.norm.as_deref().unwrap_or(&self.text)
    }

    pub fn is_empty(&self) -> bool {
        self.norm().is_empty()
    }

    /// Holds its own value (not a merge copy) and is not empty.
    pub fn is_origin(&self) -> bool {
        !self.merged && !self.is_empty()
    }
}

/// A worksheet, addressed with absolute zero-based (row, col).
#[derive(Debug, Clone)]
pub struct Grid {
    pub file: Arc<str>,
    pub sheet: Arc<str>,
    pub top: u32,
    pub left: u32,
    pub height: u32,
    pub width: u32,
    cells: Vec<GCell>,
    /// Set when the sheet was too large and only this range was read.
    pub truncated: Option<String>,
    /// The merged regions filled (first row, first column, last row, last
    /// column; absolute, clipped to the grid).
    pub merges: Vec<(u32, u32, u32, u32)>,
}

impl Grid {
    /// Cells whose text held characters XML cannot hold (dropped on reading).
    pub fn cells_with_controls(&self) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for r in 0..self.height {
            for c in 0..self.width {
                if self.cells[(r * self.width + c) as usize].controls {
                    out.push((self.top + r, self.left + c));
                }
            }
        }
        out
    }
}

/// Largest sheet area filled in (cells); beyond it, a sheet is read
/// partially (about 150 MB of grid at most).
pub const MAX_CELLS: u64 = 2_000_000;

/// A sheet of at most this many non-blank cells is read once, its cells
/// kept meanwhile (a few MB); a larger one is read twice (its range, then
/// its cells) so that its cells are never held twice.
pub const READ_ONCE_CELLS: usize = 100_000;

/// The widest sheet read in full; a wider used range keeps its first columns.
const MAX_WIDTH: u32 = 1024;

impl Grid {
    /// Build from a calamine range and the sheet's merged regions.
    pub fn from_range(file: &str, sheet: &str, range: &Range<Data>, merges: &[Dimensions]) -> Grid {
        let (top, left) = range.start().unwrap_or((0, 0));
        let (h, w) = range.get_size();
        let (mut height, width) = (h as u32, w as u32);
        if (height as u64) * (width as u64) > MAX_CELLS {
            height = (MAX_CELLS / width.max(1) as u64) as u32;
        }
        let mut cells = Vec::with_capacity((height * width) as usize);
        for (i, row) in range.rows().enumerate() {
            if i as u32 >= height {
                break;
            }
            for d in row {
                cells.push(cell_of(d));
            }
        }
        cells.resize((height * width) as usize, EMPTY.clone());
        let truncated = ((height as usize) < h)
            .then(|| crate::model::range_name(top, left, top + height.max(1) - 1, left + width.max(1) - 1));
        Grid::with_merges(file, sheet, (top, left, height, width), cells, truncated, merges)
    }

    /// A grid of `cells` at (top, left, height, width), its merges filled.
    fn with_merges(
        file: &str,
        sheet: &str,
        (top, left, height, width): (u32, u32, u32, u32),
        cells: Vec<GCell>,
        truncated: Option<String>,
        merges: &[Dimensions],
    ) -> Grid {
        let mut grid = Grid {
            file: file.into(),
            sheet: sheet.into(),
            top,
            left,
            height,
            width,
            cells,
            truncated,
            merges: Vec::new(),
        };
        grid.fill_merges(merges);
        grid
    }

    /// The window kept of a sheet whose first non-blank cells (at most
    /// [`MAX_CELLS`], in file order) span `bounds` = (top, left, bottom,
    /// right), bounded by [`MAX_CELLS`] and `MAX_WIDTH` (1,024 columns) whatever the positions: (top, left,
    /// height, width) and the range kept when it is not all.
    pub fn window(bounds: Option<(u32, u32, u32, u32)>) -> ((u32, u32, u32, u32), Option<String>) {
        let Some((top, left, bottom, right)) = bounds else { return ((0, 0, 0, 0), None) };
        let (full_height, full_width) = (bottom - top + 1, right - left + 1);
        let width = full_width.min(MAX_WIDTH);
        let height = full_height.min((MAX_CELLS / width.max(1) as u64) as u32);
        let truncated = (height < full_height || width < full_width)
            .then(|| crate::model::range_name(top, left, top + height.max(1) - 1, left + width.max(1) - 1));
        ((top, left, height, width), truncated)
    }

    /// Build from cells streamed by `cells` (called with a sink; it feeds
    /// each non-blank cell's row, column and value and stops when the sink
    /// says so). A sheet of up to [`READ_ONCE_CELLS`] cells is read once; a
    /// larger one twice — once for the window, once to fill it — so that no
    /// list of its cells is held beside the grid.
    pub fn streamed<E>(
        file: &str,
        sheet: &str,
        merges: &[Dimensions],
        mut cells: impl FnMut(&mut dyn FnMut(u32, u32, &Data) -> bool) -> Result<(), E>,
    ) -> Result<Grid, E> {
        let mut bounds: Option<(u32, u32, u32, u32)> = None;
        let mut count = 0u64;
        // A sheet of ordinary size is read once, its cells kept; a larger one
        // is read a second time instead of holding its cells twice.
        let mut kept: Option<Vec<(u32, u32, Data)>> = Some(Vec::new());
        cells(&mut |r, c, d| {
            if count >= MAX_CELLS {
                return false;
            }
            count += 1;
            bounds = Some(match bounds {
                None => (r, c, r, c),
                Some((t, l, b, rt)) => (t.min(r), l.min(c), b.max(r), rt.max(c)),
            });
            match kept.as_mut() {
                Some(k) if k.len() < READ_ONCE_CELLS => k.push((r, c, d.clone())),
                Some(_) => kept = None,
                None => {}
            }
            true
        })?;
        let ((top, left, height, width), truncated) = Grid::window(bounds);
        let mut grid_cells = vec![EMPTY.clone(); (height as usize) * (width as usize)];
        let mut place = |r: u32, c: u32, d: &Data| {
            if let (Some(dr), Some(dc)) = (r.checked_sub(top), c.checked_sub(left)) {
                if dr < height && dc < width {
                    grid_cells[(dr * width + dc) as usize] = cell_of(d);
                }
            }
        };
        match kept {
            Some(k) => k.iter().for_each(|(r, c, d)| place(*r, *c, d)),
            None => {
                let mut seen = 0u64;
                cells(&mut |r, c, d| {
                    if seen >= count {
                        return false;
                    }
                    seen += 1;
                    place(r, c, d);
                    true
                })?;
            }
        }
        Ok(Grid::with_merges(file, sheet, (top, left, height, width), grid_cells, truncated, merges))
    }

    fn index(&self, row: u32, col: u32) -> Option<usize> {
        if row < self.top || col < self.left {
            return None;
        }
        let (r, c) = (row - self.top, col - self.left);
        (r < self.height && c < self.width).then(|| (r * self.width + c) as usize)
    }

    /// Fill every merge, the work bounded: overlapping giant merges in a
    /// hostile file stop being filled once the cells touched pass a few
    /// times the grid's size.
    fn fill_merges(&mut self, merges: &[Dimensions]) {
        let mut budget = 4 * MAX_CELLS;
        for m in merges {
            let rows = (m.end.0.min(self.bottom()) as u64).saturating_sub(m.start.0 as u64) + 1;
            let cols = (m.end.1.min(self.right()) as u64).saturating_sub(m.start.1 as u64) + 1;
            let area = rows * cols;
            if area > budget {
                break;
            }
            budget -= area;
            self.fill_merge(m);
        }
    }

    fn fill_merge(&mut self, m: &Dimensions) {
        let Some(src) = self.index(m.start.0, m.start.1) else {
            return;
        };
        let origin = self.cells[src].clone();
        if origin.is_empty() {
            return;
        }
        let bottom = m.end.0.min(self.bottom().saturating_sub(1));
        let right = m.end.1.min(self.right().saturating_sub(1));
        if bottom > m.start.0 || right > m.start.1 {
            self.merges.push((m.start.0, m.start.1, bottom, right));
        }
        for r in m.start.0..=bottom {
            for c in m.start.1..=right {
                if (r, c) == m.start {
                    continue;
                }
                if let Some(i) = self.index(r, c) {
                    if self.cells[i].is_empty() {
                        self.cells[i] = GCell { merged: true, controls: false, ..origin.clone() };
                    }
                }
            }
        }
    }

    /// One past the last row.
    pub fn bottom(&self) -> u32 {
        self.top + self.height
    }

    /// One past the last column.
    pub fn right(&self) -> u32 {
        self.left + self.width
    }

    pub fn get(&self, row: u32, col: u32) -> &GCell {
        self.index(row, col).map(|i| &self.cells[i]).unwrap_or(&EMPTY)
    }

    /// Where a cell is, for messages.
    pub fn at(&self, row: u32, col: u32) -> Provenance {
        Provenance { file: self.file.clone(), sheet: self.sheet.clone(), row, col }
    }

    pub fn row_is_empty(&self, row: u32) -> bool {
        (self.left..self.right()).all(|c| self.get(row, c).is_empty())
    }

    /// The distinct non-empty normalised texts of a row, left to right.
    pub fn row_texts(&self, row: u32) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for c in self.left..self.right() {
            let n = self.get(row, c).norm();
            if !n.is_empty() && out.last() != Some(&n) {
                out.push(n);
            }
        }
        out
    }

    /// The first column at or right of `col` in `row` whose cell is non-empty
    /// and differs from `skip` (a label and its merge copies).
    pub fn next_value(&self, row: u32, col: u32, skip: &str) -> Option<u32> {
        (col..self.right()).find(|&c| {
            let cell = self.get(row, c);
            !cell.is_empty() && cell.norm() != skip
        })
    }

    /// Is the sheet entirely empty?
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.is_empty())
    }
}

fn cell_of(d: &Data) -> GCell {
    let mut controls = false;
    let (raw, text) = match d {
        Data::Empty => (Raw::Empty, String::new()),
        Data::Float(f) => (Raw::Number(*f), format_number(*f)),
        Data::Int(i) => (Raw::Number(*i as f64), i.to_string()),
        Data::String(s) => {
            let (text, dropped) = clean_text(s.trim());
            controls = dropped > 0;
            (Raw::Text, text.trim().to_string())
        }
        Data::Bool(b) => (Raw::Bool(*b), if *b { "是" } else { "否" }.to_string()),
        Data::Error(_) => (Raw::Error, d.to_string()),
        other => (Raw::Text, other.to_string()),
    };
    let norm = normalize_label(&text);
    let norm = (norm != text).then(|| norm.into_boxed_str());
    GCell { raw, text, norm, merged: false, controls }
}

fn format_number(f: f64) -> String {
    match crate::model::value::decimal_from_f64(f) {
        Some(d) => d.to_string(),
        None => f.to_string(),
    }
}
