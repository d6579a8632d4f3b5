//! `warroom report JOURNAL` (being built).
use std::path::Path;
pub fn run(_journal: &Path, _f: super::ReportFormat, _rb: Option<&Path>, _c: &super::Common) -> i32 {
    super::common::bad_input("report: being built")
}
