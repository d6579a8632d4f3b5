//! `warroom mark` (being built).
use std::path::Path;
pub fn run(_runbook: &Path, _criterion: &str, _v: super::VerdictArg, _note: Option<&str>, _c: &super::Common) -> i32 {
    super::common::bad_input("mark: being built")
}
