//! Compile-time guarantees of the generated crate, checked with trybuild.
//!
//! `ui/pass` uses the crate as a user would (and runs it); `ui/fail` holds one case per promise
//! the types make, each with the compiler error it must produce. Refresh the `.stderr` files with
//! `TRYBUILD=overwrite cargo test -p tests --test ui` and read the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("ui/pass/*.rs");
    cases.compile_fail("ui/fail/*.rs");
}
