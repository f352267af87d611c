//! monev patch `unpack-budget`: a per-thread budget of unpacked bytes for
//! zipped workbooks (.xlsx, .xlsm, .ods), counting every part each time it is
//! opened, so a workbook that makes its reader open one large part over and
//! over (many sheets pointing at the same part) is stopped, not only one
//! whose parts are large. Each part is charged its declared uncompressed
//! size when it is opened; the `zip` crate refuses to inflate a part beyond
//! that size, so the charge bounds what is really unpacked.
//!
//! No budget is set by default (nothing is refused). A caller sets one with
//! [`set`] before reading a workbook on this thread and checks [`exceeded`]
//! when reading fails.

use std::cell::Cell;

thread_local! {
    /// Bytes left, or None for no budget; and whether a charge was refused.
    static LEFT: Cell<(Option<u64>, bool)> = const { Cell::new((None, false)) };
}

/// Sets this thread's budget (None: unlimited) and clears [`exceeded`].
pub fn set(bytes: Option<u64>) {
    LEFT.with(|l| l.set((bytes, false)));
}

/// Charges `bytes` to this thread's budget. False (and [`exceeded`] from now
/// on) when they do not fit.
pub fn charge(bytes: u64) -> bool {
    LEFT.with(|l| match l.get() {
        (None, refused) => {
            l.set((None, refused));
            true
        }
        (Some(left), _) if bytes <= left => {
            l.set((Some(left - bytes), false));
            true
        }
        (Some(left), _) => {
            l.set((Some(left), true));
            false
        }
    })
}

/// True when a charge was refused since the last [`set`].
pub fn exceeded() -> bool {
    LEFT.with(|l| l.get().1)
}

/// The error a reader returns for a refused charge.
pub(crate) fn refused() -> std::io::Error {
    std::io::Error::other("unpacked size budget exceeded")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charges_until_the_budget_is_spent_and_remembers_the_refusal() {
        set(Some(10));
        assert!(charge(6));
        assert!(!exceeded());
        assert!(!charge(5));
        assert!(exceeded());
        assert!(charge(4));
        assert!(exceeded());
        set(None);
        assert!(charge(u64::MAX));
        assert!(!exceeded());
    }
}
