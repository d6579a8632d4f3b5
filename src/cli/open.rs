//! `warroom open RUNBOOK` (being built).
use std::path::Path;
pub fn run(_runbook: &Path, _c: &super::Common) -> i32 {
    super::common::bad_input("open: being built")
}
