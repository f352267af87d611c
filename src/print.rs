//! Print setup shared by every workbook monev writes (templates, rekap,
//! feedback): A4 landscape, one page wide, as the regulation's forms are printed.

use rust_xlsxwriter::Worksheet;

/// Excel's paper size code for A4.
const A4: u8 = 9;

/// A4 landscape, fit to one page wide, modest margins.
pub fn a4_landscape(ws: &mut Worksheet) {
    ws.set_landscape();
    ws.set_paper_size(A4);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.4, 0.4, 0.5, 0.5, 0.3, 0.3);
}

/// How dates with time are shown to users: "28/08/2026 10:00 WIB".
pub const WIB_DATETIME: &str = "%d/%m/%Y %H:%M WIB";
