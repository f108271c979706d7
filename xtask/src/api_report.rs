//! The public API change report of `regenerate` and `diff`: counted by kind of item, the
//! breaking changes first, a few lines per kind.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use codegen::api_diff::{ApiDiff, Change, How, What};

/// The most changes listed for one kind of item; the rest are counted.
const LINES_PER_KIND: usize = 8;
/// Shapes longer than this are left out of a line, which names the item and the reason.
const SHAPE_WIDTH: usize = 60;

/// `public API: 5 changes, 2 breaking`, then per kind of item its counts and its first changes.
pub fn render(diff: &ApiDiff) -> String {
    if diff.changes.is_empty() {
        return "public API: unchanged\n".to_owned();
    }
    let n = diff.changes.len();
    let mut text = format!(
        "public API: {n} change{}, {} breaking\n",
        if n == 1 { "" } else { "s" },
        diff.breaking()
    );
    let mut kinds: BTreeMap<What, Vec<&Change>> = BTreeMap::new();
    for change in &diff.changes {
        kinds.entry(change.what).or_default().push(change);
    }
    for (what, mut changes) in kinds {
        let count = |how: How| changes.iter().filter(|c| c.how == how).count();
        let counts: Vec<String> = [
            (How::Added, "added"),
            (How::Removed, "removed"),
            (How::Changed, "changed"),
        ]
        .into_iter()
        .filter(|(how, _)| count(*how) > 0)
        .map(|(how, label)| format!("{} {label}", count(how)))
        .collect();
        let breaking = changes.iter().filter(|c| c.breaking.is_some()).count();
        let _ = write!(text, "  {}: {}", what.plural(), counts.join(", "));
        if breaking > 0 {
            let _ = write!(text, " ({breaking} breaking)");
        }
        text.push('\n');
        changes.sort_by_key(|c| c.breaking.is_none());
        for change in changes.iter().take(LINES_PER_KIND) {
            let _ = writeln!(text, "    {}", line(change));
        }
        if changes.len() > LINES_PER_KIND {
            let _ = writeln!(text, "    ... and {} more", changes.len() - LINES_PER_KIND);
        }
    }
    text
}

/// `~ types::RevUser.email: Option<String> -> String  [breaking: became required]`.
fn line(change: &Change) -> String {
    let short = |shape: &Option<String>| {
        shape
            .as_deref()
            .filter(|s| !s.is_empty() && s.len() <= SHAPE_WIDTH && !s.starts_with("fn "))
            .map(str::to_owned)
    };
    let (sign, shape) = match change.how {
        How::Added => ("+", short(&change.after)),
        How::Removed => ("-", short(&change.before)),
        How::Changed => (
            "~",
            short(&change.before)
                .zip(short(&change.after))
                .map(|(before, after)| format!("{before} -> {after}")),
        ),
    };
    let mut line = format!("{sign} {}", change.path);
    if let Some(shape) = shape {
        let _ = write!(line, ": {shape}");
    }
    if let Some(reason) = change.breaking {
        let _ = write!(line, "  [breaking: {reason}]");
    }
    line
}
