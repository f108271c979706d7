//! Decoding a page of users with the generated types (through the crate's `from_str`, as every
//! response is, and through serde's own entry point), against `serde_json::Value`, plain serde
//! types and `IgnoredAny` (the parse floor) on the same bytes: the figures of
//! `tests/benches/decode`.

use std::collections::BTreeMap;

use super::{figure, row, thousands, Row};

pub(super) fn rows(figures: &BTreeMap<String, f64>) -> Vec<Row> {
    let get = |key| figure(figures, key);
    let page = format!(
        "{} users, {:.2} MB page",
        thousands(get("decode.users") as usize),
        get("decode.page_bytes") / 1e6
    );
    let (vs_value, vs_plain) = (get("decode.typed_vs_value"), get("decode.typed_vs_plain"));
    let tag_first_vs_value = get("decode.typed_tag_first_vs_value");
    let speed = |key| format!("{:.0} MB/s", get(key));
    vec![
        row(
            "decode",
            format!("generated types, {page}, each union's tag last"),
            speed("decode.typed_mb_s"),
        ),
        row(
            "decode",
            "generated types, same page with each tag first",
            speed("decode.typed_tag_first_mb_s"),
        ),
        row(
            "decode",
            "generated types, tags first, through `serde_json::from_slice` (each union captured)",
            speed("decode.typed_serde_mb_s"),
        ),
        row(
            "decode",
            "`serde_json::Value`, same bytes",
            speed("decode.value_mb_s"),
        ),
        row(
            "decode",
            "plain serde types, same bytes",
            speed("decode.plain_mb_s"),
        ),
        row(
            "decode",
            "`IgnoredAny` (parse floor), same bytes",
            speed("decode.ignored_mb_s"),
        ),
        row(
            "decode",
            "generated / `Value`, tags last",
            format!("{vs_value:.2}x (median of {} rounds)", get("decode.rounds")),
        )
        .target(">= 2x", vs_value >= 2.0),
        row(
            "decode",
            "generated / `Value`, tags first",
            format!("{tag_first_vs_value:.2}x"),
        )
        .target(">= 2x", tag_first_vs_value >= 2.0),
        row(
            "decode",
            "tags first: the crate's `from_str` / `serde_json::from_slice`",
            format!("{:.2}x", get("decode.one_pass_vs_captured")),
        ),
        row("decode", "generated / plain", format!("{vs_plain:.2}x"))
            .target(">= 0.9x", vs_plain >= 0.9),
        row(
            "decode",
            "generated / `IgnoredAny`",
            format!("{:.2}x", get("decode.typed_vs_ignored")),
        ),
    ]
}
