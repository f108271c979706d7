//! `cargo xtask regenerate`, `check`, `diff` and `bench`: thin wrappers over the codegen library.

mod api_report;
mod bench;
mod cli;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Parser;

const DEFAULT_SPEC: &str = "spec/rev-users-scan.yaml";
const DEFAULT_OUT: &str = "generated";
/// The generation config of the default spec: its selection and its idempotent operations.
const DEFAULT_CONFIG: &str = "spec/select.yaml";

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: cli::Command) -> Result<ExitCode> {
    // The defaults live in the workspace; paths the user gives are taken from where they ran.
    let root = workspace()?;
    match command {
        cli::Command::Regenerate(args) => regenerate(root, args, false),
        cli::Command::Check(args) => regenerate(root, args, true),
        cli::Command::Diff(args) => diff(root, args),
        cli::Command::Bench(args) => bench::run(args),
    }
}

/// `regenerate`, or with `check` `check`: generates, then writes or compares.
fn regenerate(root: &Path, args: cli::Generate, check: bool) -> Result<ExitCode> {
    let started = Instant::now();
    let default_config = args.spec.is_none();
    let spec = resolve(root, args.spec, DEFAULT_SPEC)?;
    let out = resolve(root, args.out, DEFAULT_OUT)?;
    let strict = args.options.strict || check;
    let Some((generated, timings)) = generate(root, &spec, &args.options, default_config, strict)?
    else {
        eprintln!("nothing was written to {}", out.display());
        return Ok(ExitCode::FAILURE);
    };
    for warning in &generated.warnings {
        eprintln!("{warning}\n");
    }
    eprintln!("{}", generated.summary());
    if !generated.left_out.is_empty() {
        eprintln!("(`--strict` makes these errors)");
    }
    if check {
        return check_dir(root, &spec, &out, &generated);
    }
    let existed = out.exists();
    let report = generated
        .write(&out)
        .with_context(|| format!("cannot write {}", out.display()))?;
    for path in &report.written {
        println!("wrote {path}");
    }
    for path in &report.removed {
        println!("removed {path}");
    }
    println!(
        "{} files written, {} unchanged, {} removed in {} ms ({} formatted, {} from the \
         format cache)",
        report.written.len(),
        report.unchanged,
        report.removed.len(),
        started.elapsed().as_millis(),
        timings.formatted,
        timings.cached,
    );
    if existed {
        let before = codegen::output::texts(&report.previous);
        match codegen::api_diff::between(&before, &generated.files) {
            Ok(diff) => print!("{}", api_report::render(&diff)),
            Err(err) => eprintln!("cannot compare the public API with what was there: {err}"),
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `check`: whether `out` holds exactly what `generated` would write.
fn check_dir(
    root: &Path,
    spec: &Path,
    out: &Path,
    generated: &codegen::GeneratedCrate,
) -> Result<ExitCode> {
    let drift = generated
        .check(out)
        .with_context(|| format!("cannot read {}", out.display()))?;
    if drift.is_empty() {
        println!(
            "{} is up to date with {}",
            out.display(),
            spec_name(root, spec)
        );
        return Ok(ExitCode::SUCCESS);
    }
    for (label, paths) in [
        ("changed", &drift.changed),
        ("missing", &drift.missing),
        ("extra", &drift.extra),
    ] {
        for path in paths {
            eprintln!("{label}: {}/{path}", out.display());
        }
    }
    eprintln!(
        "{} is stale: run `cargo xtask regenerate` and commit the result",
        out.display()
    );
    Ok(ExitCode::FAILURE)
}

/// `diff`: the public API change from the crate of one spec to that of another, nothing written.
fn diff(root: &Path, args: cli::Diff) -> Result<ExitCode> {
    let default_config = args.to.is_none();
    let from = resolve(root, Some(args.from), DEFAULT_SPEC)?;
    let to = resolve(root, args.to, DEFAULT_SPEC)?;
    let strict = args.options.strict;
    let mut crates = Vec::new();
    for spec in [&from, &to] {
        match generate(root, spec, &args.options, default_config, strict)? {
            Some((generated, _)) => crates.push(generated.files),
            None => return Ok(ExitCode::FAILURE),
        }
    }
    let diff = codegen::api_diff::between(&crates[0], &crates[1])
        .context("cannot read the generated crate's public API")?;
    print!("{}", api_report::render(&diff));
    Ok(ExitCode::SUCCESS)
}

/// The crate generated from `spec` with `options`, or None when the spec or the config has
/// errors, which are printed. `default_config`: whether the spec is the default one, whose
/// config applies when neither `--select` nor `--config` is given.
fn generate(
    root: &Path,
    spec: &Path,
    options: &cli::Options,
    default_config: bool,
    strict: bool,
) -> Result<Option<(codegen::GeneratedCrate, codegen::Timings)>> {
    let name = spec_name(root, spec);
    let text = std::fs::read(spec).with_context(|| format!("cannot read the spec {name}"))?;
    let Ok(text) = String::from_utf8(text) else {
        bail!("the spec {name} is not UTF-8 text");
    };
    let input = codegen::Input {
        spec_path: &name,
        text: &text,
        package: &options.package,
    };
    let mut selection = codegen::Selection::all();
    for value in &options.select {
        selection.add(value);
    }
    let config = match &options.config {
        Some(config) => Some(absolute(config)?),
        None if default_config && options.select.is_empty() => Some(root.join(DEFAULT_CONFIG)),
        None => None,
    };
    if let Some(config) = &config {
        let config_name = spec_name(root, config);
        let text = std::fs::read_to_string(config)
            .with_context(|| format!("cannot read the selection file {config_name}"))?;
        if let Err(diagnostic) = selection.add_file(&config_name, &text) {
            eprintln!("{diagnostic}");
            return Ok(None);
        }
    }
    let cache = if options.no_cache {
        None
    } else {
        format_cache()
    };
    let generated = codegen::generate_selected(&input, &selection, cache.as_ref()).and_then(
        |(generated, timings)| {
            if strict {
                generated.strict().map(|generated| (generated, timings))
            } else {
                Ok((generated, timings))
            }
        },
    );
    match generated {
        Ok(generated) => {
            if let Some(cache) = &cache {
                cache.remove_other_builds();
            }
            Ok(Some(generated))
        }
        Err(err) => {
            eprintln!("{err}");
            Ok(None)
        }
    }
}

/// A path the user gave, from where they ran the command, or the default, in the workspace.
fn resolve(root: &Path, given: Option<PathBuf>, default: &str) -> Result<PathBuf> {
    match given {
        Some(path) => absolute(&path),
        None => Ok(root.join(default)),
    }
}

/// The format cache: beside this executable, in cargo's target directory (so `cargo clean`
/// clears it), stamped with the executable's path, size and modification time, and on Unix its
/// inode and change time (a rebuild writes a new file; a copy keeping the modification time
/// still gets a new inode), so a rebuilt generator never uses what another build formatted.
/// None when the executable cannot be found.
fn format_cache() -> Option<codegen::FormatCache> {
    let exe = std::env::current_exe().ok()?;
    // On Linux, the file this process runs, even if a build has since replaced `exe`: a stamp
    // taken from the new file would label this build's output as the next one's.
    let running = if cfg!(target_os = "linux") {
        std::fs::metadata("/proc/self/exe")
    } else {
        std::fs::metadata(&exe)
    };
    let metadata = running.ok()?;
    let modified = metadata
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    #[cfg(unix)]
    let file = {
        use std::os::unix::fs::MetadataExt;
        format!(
            "{}:{} {}.{}",
            metadata.dev(),
            metadata.ino(),
            metadata.ctime(),
            metadata.ctime_nsec()
        )
    };
    #[cfg(not(unix))]
    let file = String::new();
    let stamp = format!(
        "{} {} {} {file}",
        exe.display(),
        metadata.len(),
        modified.as_nanos()
    );
    let dir = exe.parent()?.join("xtask-format-cache");
    Some(codegen::FormatCache::new(dir, &stamp))
}

/// The workspace root, where the defaults live.
fn workspace() -> Result<&'static Path> {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .context("xtask has no parent")
}

/// How headers and diagnostics name a spec: relative to the workspace with `/`, so output does
/// not depend on the machine.
fn spec_name(root: &Path, spec: &Path) -> String {
    spec.strip_prefix(root)
        .unwrap_or(spec)
        .to_string_lossy()
        .replace('\\', "/")
}

/// `cargo`, the one running this xtask when there is one.
fn cargo() -> std::process::Command {
    std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Paths the user gives are relative to where they ran the command, not the workspace root.
fn absolute(path: &Path) -> Result<PathBuf> {
    if path.is_absolute() {
        return Ok(path.to_owned());
    }
    Ok(std::env::current_dir()
        .context("no current directory")?
        .join(path))
}
