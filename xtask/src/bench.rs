//! `cargo xtask bench`: one Markdown table of the generator's and the generated crate's figures.
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

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

pub const AREAS: [&str; 5] = ["generation", "regenerate", "decode", "scan", "compile"];

/// Where the workspace finds DevRev's whole public description.
const REFERENCE: &str = "../shared/reference/devrev-openapi-public.yaml";
const FRAGMENT: &str = "spec/rev-users-scan.yaml";

/// The `regenerate` target for the whole reference spec.
const REGENERATE_TARGET: Duration = Duration::from_millis(500);

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
        match generation(root, spec, package, runs, scratch) {
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
        rows.extend(regenerate(options, root, scratch));
    }

    if options.wants("decode") {
        eprintln!("bench: cargo bench -p tests --bench decode (optimised build)");
        match cargo_bench(root, "decode") {
            Ok(figures) => rows.extend(decode_rows(&figures)),
            Err(err) => rows.push(row("decode", "1,000-user page", not_available(&err))),
        }
    }

    if options.wants("scan") {
        eprintln!("bench: cargo bench -p tests --bench scan (optimised build)");
        match cargo_bench(root, "scan") {
            Ok(figures) => rows.extend(scan_rows(&figures)),
            Err(err) => rows.push(row("scan memory", "full pagination", not_available(&err))),
        }
    }

    if options.wants("compile") {
        for (label, package, krate) in &generated {
            eprintln!("bench: compiling the {label} crate from clean (slow)");
            let dir = scratch.join(format!("compile-{}", label.replace(' ', "-")));
            match compile(root, krate, package, &dir) {
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

/// Medians over the timed runs of one spec.
struct Generation {
    runs: usize,
    total: Duration,
    load: Duration,
    lower: Duration,
    emit: Duration,
    format: Duration,
    render: Duration,
    threads: usize,
    write: Duration,
    lines: usize,
}

impl Generation {
    fn summary(&self) -> String {
        format!(
            "{} (load {}, lower {}, emit {} + format {} on {} threads in {}, write {}); \
             median of {}",
            ms(self.total),
            ms(self.load),
            ms(self.lower),
            ms(self.emit),
            ms(self.format),
            self.threads,
            ms(self.render),
            ms(self.write),
            self.runs
        )
    }
}

/// Runs the pipeline `runs` times after one warm-up run, writing each result to a fresh
/// directory. Returns the medians and the generated crate.
fn generation(
    root: &Path,
    spec: &Path,
    package: &str,
    runs: usize,
    scratch: &Path,
) -> Result<(Generation, codegen::GeneratedCrate)> {
    let text =
        std::fs::read_to_string(spec).with_context(|| format!("cannot read {}", spec.display()))?;
    let spec_path = crate::spec_name(root, spec);
    let input = codegen::Input {
        spec_path: &spec_path,
        text: &text,
        package,
    };
    let mut stages: [Vec<Duration>; 7] = Default::default();
    let mut last = None;
    let mut threads = 1;
    for run in 0..=runs {
        let (krate, timings) = codegen::generate_selected(&input, &codegen::Selection::all(), None)
            .map_err(|err| {
                let message = err.to_string();
                let count = message.lines().filter(|l| l.starts_with("error")).count();
                anyhow::anyhow!(
                    "{} ({count} diagnostics)",
                    message.lines().next().unwrap_or("generation failed")
                )
            })?;
        let out = scratch.join(format!("generate-{package}-{run}"));
        let started = Instant::now();
        krate.write(&out)?;
        let write = started.elapsed();
        std::fs::remove_dir_all(&out)?;
        if run > 0 {
            let figures = [
                timings.total() + write,
                timings.load,
                timings.lower,
                timings.emit,
                timings.format,
                timings.render,
                write,
            ];
            threads = timings.threads;
            for (all, one) in stages.iter_mut().zip(figures) {
                all.push(one);
            }
        }
        last = Some(krate);
    }
    let krate = last.expect("at least one run");
    let lines = lines(&krate);
    let [total, load, lower, emit, format, render, write] = stages.map(median);
    Ok((
        Generation {
            runs,
            total,
            load,
            lower,
            emit,
            format,
            render,
            threads,
            write,
            lines,
        },
        krate,
    ))
}

/// `cargo xtask regenerate` of the full reference spec, as a user runs it (cargo's up-to-date
/// check of the xtask build included), into a fresh output directory: with every file
/// formatted, with the format cache warm from a run on the same spec, and after one schema's
/// description was edited since the run that warmed it.
fn regenerate(options: &Options, root: &Path, scratch: &Path) -> Vec<Row> {
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

fn decode_rows(figures: &BTreeMap<String, f64>) -> Vec<Row> {
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

fn scan_rows(figures: &BTreeMap<String, f64>) -> Vec<Row> {
    let get = |key| figure(figures, key);
    let ratio = get("scan.peak_ratio");
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

struct Compile {
    build: Duration,
    build_crate: Duration,
    check: Duration,
    check_crate: Duration,
}

impl Compile {
    fn rows(&self, label: &str, lines: usize) -> Vec<Row> {
        let label = format!("{label} ({} lines)", thousands(lines));
        vec![
            row(
                "compile",
                format!("{label}: clean `cargo build` (with deps / crate only)"),
                format!("{} / {}", secs(self.build), secs(self.build_crate)),
            ),
            row(
                "compile",
                format!("{label}: clean `cargo check` (with deps / crate only)"),
                format!("{} / {}", secs(self.check), secs(self.check_crate)),
            ),
        ]
    }
}

/// Builds and checks a copy of `krate` from clean, each with its own target directory and the
/// workspace's lock file, offline; then again after `cargo clean -p` of the crate alone, which
/// keeps the dependencies and so times the generated code itself.
fn compile(
    root: &Path,
    krate: &codegen::GeneratedCrate,
    package: &str,
    dir: &Path,
) -> Result<Compile> {
    let crate_dir = dir.join("crate");
    krate.write(&crate_dir)?;
    // An empty workspace table keeps cargo from looking for a workspace above the copy.
    let manifest = crate_dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)?;
    std::fs::write(&manifest, format!("{text}\n[workspace]\n"))?;
    std::fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock"))?;
    let time = |args: &[&str], target: &str| -> Result<Duration> {
        let started = Instant::now();
        let output = crate::cargo()
            .current_dir(&crate_dir)
            .args(args)
            .args(["--offline", "--quiet"])
            .env("CARGO_TARGET_DIR", dir.join(target))
            .output()?;
        if !output.status.success() {
            bail!(
                "cargo {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(started.elapsed())
    };
    let mut figures = [Duration::ZERO; 4];
    for (i, (command, target)) in [("build", "target-build"), ("check", "target-check")]
        .into_iter()
        .enumerate()
    {
        figures[2 * i] = time(&[command], target)?;
        time(&["clean", "-p", package], target)?;
        figures[2 * i + 1] = time(&[command], target)?;
    }
    let [build, build_crate, check, check_crate] = figures;
    Ok(Compile {
        build,
        build_crate,
        check,
        check_crate,
    })
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
