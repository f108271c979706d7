//! The generator's promises, one module each: `freshness` (the committed `generated/` is
//! current, and the same spec gives the same bytes, cache or not), `bad_specs` (diagnostics that
//! name the place, never a panic, a failed regenerate writes nothing), `fixtures` (each
//! one-feature spec's snapshot, and its crate compiles and behaves), `wire` (the bytes generated
//! code puts on the wire), `features` (cargo features by tag compile what they promise and no
//! more), `spec_agrees` (the fragment is a faithful copy of DevRev's reference),
//! `spec_reach` (the whole reference and a selection of it generate and pass clippy and
//! rustdoc) and `vendoring` (the committed crate depends on no proc macro and nothing of the
//! workspace).
//!
//! The real specs of `../shared/specs/` are `tests/corpus.rs`, Prism is `tests/prism.rs`.

mod bad_specs;
mod features;
mod fixtures;
mod freshness;
mod spec_agrees;
mod spec_reach;
mod vendoring;
mod wire;
