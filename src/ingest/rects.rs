//! Point look-ups over many cell rectangles (merged areas, hyperlink ranges)
//! without scanning every rectangle for every cell read.
//!
//! A sheet may carry tens of thousands of merged areas or hyperlink ranges
//! (hostile or just odd files), and monev reads each table cell through them.
//! A linear scan per cell made reading cost rows × rectangles (fz-09: 60,000
//! rows and 60,000 merges took 27 s). Here each *column* that is asked about
//! gets, on first use, the rectangles crossing it sorted by first row (one pass
//! over all rectangles per distinct column; monev asks about a handful of table
//! columns), and each look-up is then a binary search.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Rectangles over 0-based (row, column) cells, each with a payload.
pub struct RectIndex<T> {
    /// (first row, first col, last row, last col, payload), normalised.
    rects: Vec<(u32, u32, u32, u32, T)>,
    /// Per column asked about: the rectangles crossing it, by first row.
    by_col: Mutex<HashMap<u32, Arc<Column>>>,
}

/// The rectangles crossing one column, sorted by first row.
struct Column {
    /// (first row, last row, index into `rects`).
    spans: Vec<(u32, u32, usize)>,
    /// For each position, the greatest last row among `spans[..=i]`.
    max_end: Vec<u32>,
}

/// Overlapping rectangles (which Excel never writes) are followed back at most
/// this many steps per look-up, so hostile overlaps cannot make it linear.
const MAX_STEPS_BACK: usize = 64;

impl<T> Default for RectIndex<T> {
    fn default() -> Self {
        RectIndex {
            rects: Vec::new(),
            by_col: Mutex::new(HashMap::new()),
        }
    }
}

impl<T: Clone> Clone for RectIndex<T> {
    fn clone(&self) -> Self {
        RectIndex {
            rects: self.rects.clone(),
            by_col: Mutex::new(HashMap::new()),
        }
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for RectIndex<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RectIndex")
            .field("rects", &self.rects.len())
            .finish()
    }
}

impl<T> RectIndex<T> {
    /// Adds the rectangle between two corners (any order), inclusive.
    pub fn push(&mut self, a: (u32, u32), b: (u32, u32), payload: T) {
        self.rects.push((
            a.0.min(b.0),
            a.1.min(b.1),
            a.0.max(b.0),
            a.1.max(b.1),
            payload,
        ));
        if let Ok(mut cache) = self.by_col.lock() {
            cache.clear();
        }
    }

    /// A rectangle holding (row, col): its first (row, col) and payload.
    /// Of overlapping rectangles, the one starting lowest down is found.
    pub fn find(&self, row: u32, col: u32) -> Option<((u32, u32), &T)> {
        if self.rects.is_empty() {
            return None;
        }
        let column = self.column(col);
        let k = column.spans.partition_point(|s| s.0 <= row);
        for i in (0..k).rev().take(MAX_STEPS_BACK) {
            if column.max_end[i] < row {
                break;
            }
            let (_, end, idx) = column.spans[i];
            if end >= row {
                let r = &self.rects[idx];
                return Some(((r.0, r.1), &r.4));
            }
        }
        None
    }

    fn column(&self, col: u32) -> Arc<Column> {
        let build = || {
            let mut spans: Vec<(u32, u32, usize)> = self
                .rects
                .iter()
                .enumerate()
                .filter(|(_, r)| r.1 <= col && col <= r.3)
                .map(|(i, r)| (r.0, r.2, i))
                .collect();
            spans.sort_unstable();
            let mut max_end = Vec::with_capacity(spans.len());
            let mut m = 0;
            for s in &spans {
                m = m.max(s.1);
                max_end.push(m);
            }
            Arc::new(Column { spans, max_end })
        };
        match self.by_col.lock() {
            Ok(mut cache) => cache.entry(col).or_insert_with(build).clone(),
            Err(_) => build(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_rectangle_holding_a_cell() {
        let mut idx = RectIndex::default();
        idx.push((2, 1), (4, 2), "a");
        idx.push((9, 3), (5, 3), "b");
        assert_eq!(idx.find(3, 2), Some(((2, 1), &"a")));
        assert_eq!(idx.find(7, 3), Some(((5, 3), &"b")));
        assert_eq!(idx.find(1, 1), None);
        assert_eq!(idx.find(5, 2), None);
        assert_eq!(idx.find(4, 0), None);
    }

    #[test]
    fn a_tall_rectangle_under_many_small_ones_is_found() {
        let mut idx = RectIndex::default();
        idx.push((0, 0), (1_000_000, 0), 0usize);
        for i in 1..10_000u32 {
            idx.push((2 * i, 1), (2 * i + 1, 1), i as usize);
        }
        assert_eq!(idx.find(999_999, 0).map(|f| *f.1), Some(0));
        assert_eq!(idx.find(5001, 1).map(|f| *f.1), Some(2500));
    }
}
