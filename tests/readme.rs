//! The README stays in step with the code: its table of finding codes is the
//! one made from the codes' records, and every status and setting it names
//! exists.

use std::path::Path;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

#[test]
fn the_readme_lists_every_finding_code_from_its_record() {
    let table = monev::finding::codes_table();
    assert!(
        readme().contains(&table),
        "README.md's table of codes is out of date; replace it with:\n{table}"
    );
}

#[test]
fn the_readme_names_every_unit_status() {
    let text = readme();
    for status in monev::model::UnitStatus::ALL {
        assert!(text.contains(status.label()), "{}", status.label());
    }
}
