//! `warroom approve` (being built).
use std::path::Path;
pub fn run(_runbook: &Path, _rollback: &str, _c: &super::Common) -> i32 {
    super::common::bad_input("approve: being built")
}
