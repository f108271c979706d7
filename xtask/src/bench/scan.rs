//! Memory of a long scan against a short one, and the client's time against a hand-written loop
//! of raw requests: the figures of `tests/benches/scan`.

use std::collections::BTreeMap;

use super::{figure, row, thousands, Row};

pub(super) fn rows(figures: &BTreeMap<String, f64>) -> Vec<Row> {
    let get = |key| figure(figures, key);
    let ratio = get("scan.peak_ratio");
    let overhead = get("scan.overhead");
    vec![
        row(
            "scan memory",
            format!(
                "peak RSS, {} users in pages of {}",
                thousands(get("scan.users") as usize),
                get("scan.page")
            ),
            format!(
                "{:.1} MiB ({} users/s over 127.0.0.1)",
                get("scan.peak_kib") / 1024.0,
                thousands(get("scan.users_per_s") as usize)
            ),
        ),
        row(
            "scan memory",
            format!(
                "peak RSS, {} users (baseline)",
                thousands(get("scan.baseline_users") as usize)
            ),
            format!("{:.1} MiB", get("scan.baseline_peak_kib") / 1024.0),
        ),
        row("scan memory", "peak RSS ratio", format!("{ratio:.2}x"))
            .target("<= 1.2x", ratio <= 1.2),
        row(
            "scan time",
            format!(
                "paginator / hand-written loop of raw requests, {} users, same transport",
                thousands(get("scan.users") as usize)
            ),
            format!("{overhead:.3}x wall time"),
        )
        .target("<= 1.10x", overhead <= 1.10),
        row(
            "scan memory",
            "peak live heap, big scan / baseline",
            format!(
                "{:.0} KiB / {:.0} KiB = {:.2}x",
                get("scan.peak_heap_kib"),
                get("scan.baseline_peak_heap_kib"),
                get("scan.peak_heap_ratio")
            ),
        ),
    ]
}
