//! The "Conditions" part of docs/runbook-format.md says what warroom does:
//! its examples load, each placeholder's and function's example parses, and
//! each error in its table is the one `check` gives.

use std::path::Path;

use warroom::domain::condition;
use warroom::domain::loader::load_bytes;

fn section() -> String {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/runbook-format.md")).unwrap();
    let after = doc.split("### Conditions").nth(1).expect("a Conditions section").to_string();
    after.split("## `[[log]]`").next().unwrap().to_string()
}

/// The rows of the table under `heading`, as cells.
fn table(text: &str, heading: &str) -> Vec<Vec<String>> {
    let after = text.split(heading).nth(1).unwrap_or_else(|| panic!("{heading} present"));
    after
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| l.trim_matches('|').split(" | ").map(|c| c.trim().to_string()).collect())
        .collect()
}

/// Every `code` in a cell.
fn codes(cell: &str) -> Vec<String> {
    cell.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

#[test]
fn the_example_block_loads_without_warnings() {
    let s = section();
    let block = s.split("```toml\n").nth(1).unwrap().split("```").next().unwrap();
    let text = format!("[runbook]\nid = \"doc\"\n\n[[probe]]\nid = \"p\"\nurl = \"http://127.0.0.1/\"\n{block}");
    let loaded = load_bytes(Path::new("doc.toml"), text.as_bytes()).unwrap_or_else(|d| panic!("{d:#?}"));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.runbook.probes[0].conditions.len(), 7);
}

#[test]
fn every_placeholder_and_function_example_parses() {
    let s = section();
    let mut n = 0;
    for heading in ["#### Placeholders", "#### Functions"] {
        for row in table(&s, heading) {
            for example in codes(row.last().unwrap()) {
                condition::parse(&example).unwrap_or_else(|e| panic!("{example}: {e}"));
                n += 1;
            }
        }
    }
    assert!(n >= 11, "{n} examples");
}

#[test]
fn the_error_table_shows_what_check_says() {
    let s = section();
    let rows = table(&s, "#### Errors that `check` reports");
    assert!(rows.len() >= 8);
    for row in rows {
        let written = &codes(&row[0])[0];
        if row[0].contains("tcp") {
            continue; // about the probe kind: covered by check_readme.rs
        }
        let e = condition::parse(written).expect_err(written);
        assert!(e.message.contains(&row[1]), "{written}: doc says {:?}, check says {:?}", row[1], e.message);
    }
}
