//! `warroom probe RUNBOOK [--json]` (being built).
use std::path::Path;
pub fn run(_runbook: &Path, _json: bool, _c: &super::Common) -> i32 {
    super::common::bad_input("probe: being built")
}
