//! `warroom verify JOURNAL` (being built).
use std::path::Path;
pub fn run(_journal: &Path, _c: &super::Common) -> i32 {
    super::common::bad_input("verify: being built")
}
