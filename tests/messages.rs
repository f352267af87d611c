//! Snapshots of what people read: every finding message of the sample reports
//! (`samples/masuk/`, which between them produce most codes), with its code,
//! severity and place, and the terminal summary. A change to a message shows
//! up as a snapshot diff to review (`cargo insta review`), never silently.

mod common;

use std::path::Path;

#[test]
fn finding_messages_of_the_samples() {
    let masuk = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/masuk");
    let r = common::run_rekap(&[masuk], None);
    let mut lines = Vec::new();
    for f in r.files.iter().flat_map(|f| &f.findings) {
        // The late sample's saved time and the superseded sample's name are
        // stable; nothing here depends on the clock.
        lines.push(format!(
            "{} | {} | {} | {}",
            f.code,
            f.severity.label(),
            if f.location.sheet_cell().is_empty() {
                f.location.file.clone()
            } else {
                format!("{} {}", f.location.file, f.location.sheet_cell())
            },
            f.message
        ));
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn advice_for_each_status() {
    let masuk = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/masuk");
    let r = common::run_rekap(&[masuk], None);
    let form = common::form();
    let mut lines = Vec::new();
    for code in ["dinkes", "dishub", "setda"] {
        let u = r.units.iter().find(|u| u.code == code).unwrap();
        lines.push(format!(
            "{code} ({}): {}",
            u.status.label(),
            monev::report::advice_for_opd(u, &form)
        ));
    }
    insta::assert_snapshot!(lines.join("\n"));
}
