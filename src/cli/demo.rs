//! `warroom demo` (being built).
pub fn run(_c: &super::Common) -> i32 {
    super::common::bad_input("demo: being built")
}
