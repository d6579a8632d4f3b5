//! `warroom note` (being built).
use std::path::Path;
pub fn run(_runbook: &Path, _text: &str, _c: &super::Common) -> i32 {
    super::common::bad_input("note: being built")
}
