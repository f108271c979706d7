//! `cargo xtask regenerate` as a user types it, cargo's start-up and up-to-date check included.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use super::{median, ms, not_available, row, Options, Row};

/// The `regenerate` target for the whole reference spec and DevRev's beta spec.
const REGENERATE_TARGET: Duration = Duration::from_millis(500);

/// The `regenerate` target for the largest spec of [`SPECS`].
const LARGEST_TARGET: Duration = Duration::from_secs(1);

/// Where the workspace finds the real specs beside the reference, and the one timed by name.
const SPECS: &str = "../shared/specs";
const BETA: &str = "devrev-beta.yaml";

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
        let timed = |run: usize| {
            std::fs::write(&spec, &original)?;
            if let Some(edited) = edit {
                run_regenerate(root, &spec, &scratch.join("warm"), &[])?;
                std::fs::write(&spec, edited)?;
            }
            run_regenerate(
                root,
                &spec,
                &scratch.join(format!("regenerate-{run}")),
                flags,
            )
        };
        rows.push(timed_row(
            options,
            what,
            "< 500 ms",
            REGENERATE_TARGET,
            timed,
        ));
    }
    rows.extend(other_specs(options, root, scratch));
    rows
}

/// `--no-cache` runs of DevRev's beta spec and of the largest spec beside it, if they are there.
fn other_specs(options: &Options, root: &Path, scratch: &Path) -> Vec<Row> {
    let dir = root.join(SPECS);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let sized: Vec<(u64, std::path::PathBuf)> = entries
        .flatten()
        .filter(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            name.ends_with(".yaml") || name.ends_with(".json")
        })
        .filter_map(|entry| Some((entry.metadata().ok()?.len(), entry.path())))
        .collect();
    let largest = sized.iter().max().map(|(_, path)| path.clone());
    let mut specs = vec![(dir.join(BETA), "< 500 ms", REGENERATE_TARGET)];
    specs.extend(largest.map(|path| (path, "< 1 s", LARGEST_TARGET)));
    specs
        .into_iter()
        .filter(|(path, ..)| path.exists())
        .map(|(path, target, limit)| {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let what =
                format!("{name}, `cargo xtask regenerate`: every file formatted (`--no-cache`)");
            let timed = |run: usize| {
                let out = scratch.join(format!("regenerate-other-{run}"));
                run_regenerate(root, &path, &out, &["--no-cache"])
            };
            timed_row(options, what, target, limit, timed)
        })
        .collect()
}

/// The median of `options.runs` runs of `timed` after one that warms the page cache and cargo's
/// fingerprints, as a row against `limit`.
fn timed_row(
    options: &Options,
    what: String,
    target: &str,
    limit: Duration,
    timed: impl Fn(usize) -> Result<Duration>,
) -> Row {
    let mut times = Vec::new();
    for run in 0..=options.runs {
        match timed(run) {
            Ok(elapsed) if run > 0 => times.push(elapsed),
            Ok(_) => {}
            Err(err) => return row("regenerate", what, not_available(&err)),
        }
    }
    let time = median(times);
    row(
        "regenerate",
        what,
        format!("{}, fresh output dir; median of {}", ms(time), options.runs),
    )
    .target(target, time < limit)
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
