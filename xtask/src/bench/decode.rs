//! Decoding a page of users with the generated types, against `serde_json::Value` and plain
//! serde types on the same bytes: the figures of `tests/benches/decode`.

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
    vec![
        row(
            "decode",
            format!("generated types, {page}"),
            format!("{:.0} MB/s", get("decode.typed_mb_s")),
        ),
        row(
            "decode",
            "`serde_json::Value`, same bytes",
            format!("{:.0} MB/s", get("decode.value_mb_s")),
        ),
        row(
            "decode",
            "plain serde types, same bytes",
            format!("{:.0} MB/s", get("decode.plain_mb_s")),
        ),
        row(
            "decode",
            "generated / `Value`",
            format!("{vs_value:.2}x (median of {} rounds)", get("decode.rounds")),
        )
        .target(">= 1.5x", vs_value >= 1.5),
        row("decode", "generated / plain", format!("{vs_plain:.2}x"))
            .target(">= 0.9x", vs_plain >= 0.9),
    ]
}
