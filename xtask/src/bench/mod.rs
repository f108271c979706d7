//! `cargo xtask bench`: one Markdown table of the generator's and the generated crate's figures,
//! one module per measurement: [`generation`] (the pipeline in this process, stage by stage),
//! [`regenerate`] (`cargo xtask regenerate` as a user runs it), [`decode`] and [`scan`] (benches
//! of the generated crate in `tests/benches/`), and [`compile`] (clean builds of generated crates).
//!
//! Generation is timed here, through `codegen::generate_selected`, so the stage split comes from the
//! real pipeline; `regenerate` runs this very binary as a user would. Decoding and scan memory
//! are `harness = false` benches in `tests/benches/`, run with `cargo bench` (optimised, as a
//! user's release build) and read back from their `BENCH <key> <value>` lines, so their code and
//! dependencies stay out of the xtask. `--compile` adds clean `cargo build`/`cargo check` times of
//! the generated crates, each copied to a temporary directory with its own target directory.
//!
//! Nothing here passes or fails on a figure: timings on a shared machine are noisy, so targets
//! are stated against ratios measured in one process where possible, and only reported.

mod compile;
mod decode;
mod generation;
mod regenerate;
mod scan;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};
use std::time::Duration;

use anyhow::{bail, Context, Result};

pub const AREAS: [&str; 5] = ["generation", "regenerate", "decode", "scan", "compile"];

/// Where the workspace finds DevRev's whole public description.
const REFERENCE: &str = "../shared/reference/devrev-openapi-public.yaml";
const FRAGMENT: &str = "spec/rev-users-scan.yaml";

struct Options {
    runs: usize,
    reference: PathBuf,
    /// The areas to run; compile only when asked for, being slow.
    areas: Vec<&'static str>,
}

impl Options {
    fn wants(&self, area: &str) -> bool {
        self.areas.contains(&area)
    }
}

/// One row of the table.
struct Row {
    area: &'static str,
    what: String,
    result: String,
    target: String,
}

fn row(area: &'static str, what: impl Into<String>, result: impl Into<String>) -> Row {
    Row {
        area,
        what: what.into(),
        result: result.into(),
        target: String::new(),
    }
}

impl Row {
    fn target(mut self, target: &str, met: bool) -> Self {
        self.target = format!("{target} ({})", if met { "met" } else { "missed" });
        self
    }
}

/// Runs every benchmark and prints the table.
pub fn run(args: crate::cli::Bench) -> Result<ExitCode> {
    let root = crate::workspace()?;
    let options = Options::new(args, root)?;
    let scratch = std::env::temp_dir().join(format!("xtask-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).context("cannot make a scratch directory")?;
    let result = bench(&options, root, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    let rows = result?;
    print!("{}", table(&rows));
    Ok(ExitCode::SUCCESS)
}

impl Options {
    fn new(args: crate::cli::Bench, root: &Path) -> Result<Self> {
        let mut areas: Vec<&'static str> = if args.only.is_empty() {
            AREAS[..4].to_vec()
        } else {
            AREAS
                .into_iter()
                .filter(|a| args.only.iter().any(|o| o == a))
                .collect()
        };
        if args.compile && !areas.contains(&"compile") {
            areas.push("compile");
        }
        let reference = match args.reference {
            Some(path) => std::env::current_dir()?.join(path),
            None => root.join(REFERENCE),
        };
        Ok(Self {
            runs: args.runs.get(),
            reference,
            areas,
        })
    }
}

fn bench(options: &Options, root: &Path, scratch: &Path) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    let specs = [
        ("fragment", root.join(FRAGMENT), "devrev-client"),
        ("full reference", options.reference.clone(), "devrev-full"),
    ];
    let mut generated = Vec::new();
    let timing = options.wants("generation");
    for (label, spec, package) in &specs {
        if !timing && !options.wants("compile") {
            break;
        }
        eprintln!("bench: generating from the {label} spec");
        let runs = if timing { options.runs } else { 1 };
        match generation::generation(root, spec, package, runs, scratch) {
            Ok((figures, krate)) if timing => {
                rows.push(row(
                    "generation",
                    format!(
                        "{label} ({} lines out), {}",
                        thousands(figures.lines),
                        profile()
                    ),
                    figures.summary(),
                ));
                generated.push((*label, *package, krate));
            }
            Ok((_, krate)) => generated.push((*label, *package, krate)),
            Err(err) => rows.push(row("generation", *label, not_available(&err))),
        }
    }

    if options.wants("regenerate") {
        eprintln!("bench: timing `xtask regenerate` on the full reference spec");
        rows.extend(regenerate::regenerate(options, root, scratch));
    }

    if options.wants("decode") {
        eprintln!("bench: cargo bench -p tests --bench decode (optimised build)");
        match cargo_bench(root, "decode") {
            Ok(figures) => rows.extend(decode::rows(&figures)),
            Err(err) => rows.push(row("decode", "1,000-user page", not_available(&err))),
        }
    }

    if options.wants("scan") {
        eprintln!("bench: cargo bench -p tests --bench scan (optimised build)");
        match cargo_bench(root, "scan") {
            Ok(figures) => rows.extend(scan::rows(&figures)),
            Err(err) => rows.push(row("scan memory", "full pagination", not_available(&err))),
        }
    }

    if options.wants("compile") {
        for (label, package, krate) in &generated {
            eprintln!("bench: compiling the {label} crate from clean (slow)");
            let dir = scratch.join(format!("compile-{}", label.replace(' ', "-")));
            match compile::compile(root, krate, package, &dir) {
                Ok(figures) => rows.extend(figures.rows(label, lines(krate))),
                Err(err) => rows.push(row("compile", *label, not_available(&err))),
            }
        }
    } else if options.areas == AREAS[..4] {
        rows.push(row(
            "compile",
            "clean build and check",
            "not run: pass `--compile` (minutes)",
        ));
    }
    Ok(rows)
}

/// The profile this binary, and so the codegen library in it, was built with.
fn profile() -> &'static str {
    if cfg!(debug_assertions) {
        "dev profile"
    } else {
        "release profile"
    }
}

fn not_available(err: &anyhow::Error) -> String {
    let message = format!("{err:#}");
    let first = message.lines().next().unwrap_or_default();
    format!("n/a (error: {})", first.replace('|', "\\|"))
}

/// Runs `cargo bench -p tests --bench NAME` and collects its `BENCH <key> <value>` lines.
fn cargo_bench(root: &Path, name: &str) -> Result<BTreeMap<String, f64>> {
    let output = crate::cargo()
        .current_dir(root)
        .args(["bench", "--quiet", "-p", "tests", "--bench", name])
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("cannot run cargo bench --bench {name}"))?;
    if !output.status.success() {
        bail!("cargo bench --bench {name} failed ({})", output.status);
    }
    let figures: BTreeMap<String, f64> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let mut parts = line.strip_prefix("BENCH ")?.split_whitespace();
            Some((parts.next()?.to_owned(), parts.next()?.parse().ok()?))
        })
        .collect();
    if figures.is_empty() {
        bail!("cargo bench --bench {name} reported nothing");
    }
    Ok(figures)
}

fn figure(figures: &BTreeMap<String, f64>, key: &str) -> f64 {
    figures.get(key).copied().unwrap_or(f64::NAN)
}

/// Lines in all the generated files, the manifest included.
fn lines(krate: &codegen::GeneratedCrate) -> usize {
    krate.files.values().map(|text| text.lines().count()).sum()
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn ms(duration: Duration) -> String {
    if duration >= Duration::from_secs(1) {
        secs(duration)
    } else {
        format!("{:.1} ms", duration.as_secs_f64() * 1e3)
    }
}

fn secs(duration: Duration) -> String {
    format!("{:.2} s", duration.as_secs_f64())
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut groups = Vec::new();
    let mut end = digits.len();
    while end > 3 {
        groups.push(&digits[end - 3..end]);
        end -= 3;
    }
    groups.push(&digits[..end]);
    groups.reverse();
    groups.join(",")
}

/// The rows as a Markdown table, columns padded so it also reads well in a terminal.
fn table(rows: &[Row]) -> String {
    let header = ["area", "measurement", "result", "target"];
    let cells: Vec<[&str; 4]> = rows
        .iter()
        .map(|r| [r.area, &r.what, &r.result, &r.target])
        .collect();
    let mut widths = header.map(str::len);
    for cells in &cells {
        for (width, cell) in widths.iter_mut().zip(cells) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: [&str; 4]| {
        out.push('|');
        for (cell, width) in cells.iter().zip(widths) {
            let _ = write!(out, " {cell:<width$} |");
        }
        out.push('\n');
    };
    line(header);
    let dashes = widths.map(|w| "-".repeat(w));
    line([&dashes[0], &dashes[1], &dashes[2], &dashes[3]]);
    for cells in cells {
        line(cells);
    }
    out
}
