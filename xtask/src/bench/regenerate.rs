//! `cargo xtask regenerate` as a user types it, cargo's start-up and up-to-date check included.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use super::{median, ms, not_available, row, Options, Row};

/// The `regenerate` target for the whole reference spec.
const REGENERATE_TARGET: Duration = Duration::from_millis(500);

/// `cargo xtask regenerate` of the full reference spec, as a user runs it (cargo's up-to-date
/// check of the xtask build included), into a fresh output directory: with every file
/// formatted, with the format cache warm from a run on the same spec, and after one schema's
/// description was edited since the run that warmed it.
pub(super) fn regenerate(options: &Options, root: &Path, scratch: &Path) -> Vec<Row> {
    let original = match std::fs::read_to_string(&options.reference) {
        Ok(text) => text,
        Err(err) => {
            return vec![row(
                "regenerate",
                "full reference",
                not_available(&err.into()),
            )]
        }
    };
    let edited = edit_one_description(&original);
    // The spec is copied so that it can be edited. The cache knows it by its path, so the path
    // is the same from one bench to the next, beside this executable, not in `scratch`.
    let spec = match std::env::current_exe() {
        Ok(exe) => exe.with_file_name("xtask-bench-reference.yaml"),
        Err(err) => {
            return vec![row(
                "regenerate",
                "full reference",
                not_available(&err.into()),
            )]
        }
    };
    let mut rows = Vec::new();
    let mut scenarios: Vec<(&str, &[&str], Option<&str>)> = vec![
        ("every file formatted (`--no-cache`)", &["--no-cache"], None),
        (
            "spec unchanged since the last run (format cache warm)",
            &[],
            None,
        ),
    ];
    let edited_what = "one schema description edited since the last run";
    match &edited {
        Some(edited) => scenarios.push((edited_what, &[], Some(edited))),
        None => {
            let err = anyhow::anyhow!("the spec has no one-line schema description to edit");
            let what = format!("full reference, `cargo xtask regenerate`: {edited_what}");
            rows.push(row("regenerate", what, not_available(&err)));
        }
    }
    for (what, flags, edit) in scenarios {
        let what = format!("full reference, `cargo xtask regenerate`: {what}");
        let mut times = Vec::new();
        let mut failure = None;
        // The first run warms the page cache and cargo's fingerprints.
        for run in 0..=options.runs {
            let timed = || {
                std::fs::write(&spec, &original)?;
                if let Some(edited) = edit {
                    run_regenerate(root, &spec, &scratch.join("warm"), &[])?;
                    std::fs::write(&spec, edited)?;
                }
                let out = scratch.join(format!("regenerate-{run}"));
                run_regenerate(root, &spec, &out, flags)
            };
            match timed() {
                Ok(elapsed) if run > 0 => times.push(elapsed),
                Ok(_) => {}
                Err(err) => {
                    failure = Some(err);
                    break;
                }
            }
        }
        rows.push(match failure {
            Some(err) => row("regenerate", what, not_available(&err)),
            None => {
                let time = median(times);
                row(
                    "regenerate",
                    what,
                    format!("{}, fresh output dir; median of {}", ms(time), options.runs),
                )
                .target("< 500 ms", time < REGENERATE_TARGET)
            }
        });
    }
    rows
}

/// Runs `cargo xtask regenerate` of `spec` into `out` (removed after, untimed), with `flags`,
/// and returns how long the command took.
fn run_regenerate(root: &Path, spec: &Path, out: &Path, flags: &[&str]) -> Result<Duration> {
    let started = Instant::now();
    let output = crate::cargo()
        .current_dir(root)
        .args(["xtask", "regenerate", "--package", "devrev-full"])
        .arg("--spec")
        .arg(spec)
        .arg("--out")
        .arg(out)
        .args(flags)
        .stdout(Stdio::null())
        .output();
    let elapsed = started.elapsed();
    let _ = std::fs::remove_dir_all(out);
    let output = output.context("cannot run cargo xtask regenerate")?;
    if !output.status.success() {
        bail!("{}", String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(elapsed)
}

/// The spec with one property's one-line description under `components/schemas` (the middle
/// one) changed, as a user's small edit would be; None if it has none.
fn edit_one_description(spec: &str) -> Option<String> {
    let lines: Vec<&str> = spec.lines().collect();
    let start = 1 + lines
        .iter()
        .position(|line| line.trim_end() == "  schemas:")?;
    // The block ends at the next key indented as `schemas:` or less.
    let end = (start..lines.len())
        .find(|&i| {
            let line = lines[i];
            let content = line.trim_start();
            !content.is_empty() && !content.starts_with('#') && line.len() - content.len() <= 2
        })
        .unwrap_or(lines.len());
    let plain: Vec<usize> = (start..end)
        .filter(|&i| {
            lines[i]
                .trim_start()
                .strip_prefix("description: ")
                .is_some_and(|value| {
                    !value.starts_with(['|', '>', '"', '\'']) && !value.contains(" #")
                })
        })
        .collect();
    let chosen = *plain.get(plain.len() / 2)?;
    let mut edited = String::with_capacity(spec.len() + 16);
    for (i, line) in lines.iter().enumerate() {
        edited.push_str(line);
        if i == chosen {
            edited.push_str(" Edited.");
        }
        edited.push('\n');
    }
    Some(edited)
}

#[cfg(test)]
mod tests {
    use super::edit_one_description;

    #[test]
    fn the_edit_is_a_plain_schema_description() {
        let spec = "paths:\n  /a:\n    description: not a schema\ncomponents:\n  schemas:\n    \
                    a:\n      description: |\n        block\n    b:\n      description: The b. # c\n    \
                    c:\n      description: The c.\n  responses:\n    r:\n      description: no\n";
        let edited = edit_one_description(spec).expect("one description fits");
        assert_eq!(edited, spec.replace("The c.", "The c. Edited."));
        assert_eq!(edit_one_description("components:\n  schemas: {}\n"), None);
    }
}
