//! Page and column setup shared by every workbook monev writes (templates,
//! rekap, feedback): A4 landscape, one page wide, as the regulation's forms are
//! printed.

use rust_xlsxwriter::{Worksheet, XlsxError};

/// Excel's paper size code for A4.
const A4: u8 = 9;

/// A4 landscape, fit to one page wide, modest margins.
pub fn a4_landscape(ws: &mut Worksheet) {
    ws.set_landscape();
    ws.set_paper_size(A4);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.4, 0.4, 0.5, 0.5, 0.3, 0.3);
}

/// Sets the widths (in characters) of the first columns, left to right.
pub fn column_widths(ws: &mut Worksheet, widths: &[f64]) -> Result<(), XlsxError> {
    for (col, width) in widths.iter().enumerate() {
        ws.set_column_width(col as u16, *width)?;
    }
    Ok(())
}

/// How dates with time are shown to users: "28/08/2026 10:00 WIB".
pub const WIB_DATETIME: &str = "%d/%m/%Y %H:%M WIB";
