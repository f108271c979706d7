//! `cargo xtask regenerate` and `cargo xtask check`: thin wrappers over the codegen library.

mod bench;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};

const DEFAULT_SPEC: &str = "spec/rev-users-scan.yaml";
const DEFAULT_OUT: &str = "generated";
const DEFAULT_PACKAGE: &str = "devrev-client";
/// The generation config of the default spec: its selection and its idempotent operations.
const DEFAULT_CONFIG: &str = "spec/select.yaml";

const USAGE: &str = "usage: cargo xtask <regenerate|check> [--spec PATH] [--out DIR] \
     [--package NAME] [--select ID|tag:NAME[,...]]... [--config SELECT.yaml] [--no-cache] \
     [--strict]\n       \
     cargo xtask bench [--compile] [--only AREAS] [--runs N] [--reference PATH]";

struct Args {
    command: String,
    spec: PathBuf,
    out: PathBuf,
    package: String,
    /// `--select` values: operationIds, and tags as `tag:NAME`.
    select: Vec<String>,
    /// `--config`: a selection file with `operations:`, `tags:` and `idempotent:` lists;
    /// [`DEFAULT_CONFIG`] when neither `--spec`, `--select` nor `--config` is given.
    config: Option<PathBuf>,
    /// `--no-cache`: format every file, ignoring and not filling the format cache.
    no_cache: bool,
    /// `--strict` (always for `check`): anything the crate would leave out or type loosely is
    /// an error.
    strict: bool,
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode> {
    if std::env::args().nth(1).as_deref() == Some("bench") {
        return bench::run(std::env::args().skip(2));
    }
    let args = parse_args(std::env::args().skip(1))?;
    // The defaults live in the workspace; paths the user gives are taken from where they ran.
    let root = workspace()?;
    let args = Args {
        spec: root.join(&args.spec),
        out: root.join(&args.out),
        config: args.config.map(|config| root.join(config)),
        ..args
    };
    let started = Instant::now();
    let spec_name = spec_name(root, &args.spec);
    let text =
        std::fs::read(&args.spec).with_context(|| format!("cannot read the spec {spec_name}"))?;
    let Ok(text) = String::from_utf8(text) else {
        bail!("the spec {spec_name} is not UTF-8 text");
    };
    let input = codegen::Input {
        spec_path: &spec_name,
        text: &text,
        package: &args.package,
    };
    let mut selection = codegen::Selection::all();
    for value in &args.select {
        value.split(',').for_each(|v| selection.add(v));
    }
    if let Some(config) = &args.config {
        let config_name = config
            .strip_prefix(root)
            .unwrap_or(config)
            .to_string_lossy();
        let text = std::fs::read_to_string(config)
            .with_context(|| format!("cannot read the selection file {config_name}"))?;
        if let Err(diagnostic) = selection.add_file(&config_name, &text) {
            eprintln!("{diagnostic}");
            eprintln!("nothing was written to {}", args.out.display());
            return Ok(ExitCode::FAILURE);
        }
    }
    let cache = if args.no_cache { None } else { format_cache() };
    let strict = args.strict || args.command == "check";
    let generated = codegen::generate_selected(&input, &selection, cache.as_ref()).and_then(
        |(generated, timings)| {
            if strict {
                generated.strict().map(|generated| (generated, timings))
            } else {
                Ok((generated, timings))
            }
        },
    );
    let (generated, timings) = match generated {
        Ok(generated) => generated,
        Err(err) => {
            eprintln!("{err}");
            eprintln!("nothing was written to {}", args.out.display());
            return Ok(ExitCode::FAILURE);
        }
    };
    if let Some(cache) = &cache {
        cache.remove_other_builds();
    }
    for warning in &generated.warnings {
        eprintln!("{warning}\n");
    }
    eprintln!("{}", generated.summary());
    if !generated.left_out.is_empty() {
        eprintln!("(`--strict` makes these errors)");
    }
    match args.command.as_str() {
        "regenerate" => {
            let report = generated
                .write(&args.out)
                .with_context(|| format!("cannot write {}", args.out.display()))?;
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
            Ok(ExitCode::SUCCESS)
        }
        "check" => {
            let drift = generated
                .check(&args.out)
                .with_context(|| format!("cannot read {}", args.out.display()))?;
            if drift.is_empty() {
                println!("{} is up to date with {spec_name}", args.out.display());
                return Ok(ExitCode::SUCCESS);
            }
            for (label, paths) in [
                ("changed", &drift.changed),
                ("missing", &drift.missing),
                ("extra", &drift.extra),
            ] {
                for path in paths {
                    eprintln!("{label}: {}/{path}", args.out.display());
                }
            }
            eprintln!(
                "{} is stale: run `cargo xtask regenerate` and commit the result",
                args.out.display()
            );
            Ok(ExitCode::FAILURE)
        }
        _ => unreachable!("parse_args accepts only known commands"),
    }
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args> {
    let command = args.next().context(USAGE)?;
    if command != "regenerate" && command != "check" {
        bail!("unknown command `{command}`\n{USAGE}");
    }
    let mut parsed = Args {
        command,
        spec: PathBuf::from(DEFAULT_SPEC),
        out: PathBuf::from(DEFAULT_OUT),
        package: DEFAULT_PACKAGE.to_owned(),
        select: Vec::new(),
        config: None,
        no_cache: false,
        strict: false,
    };
    let mut spec_given = false;
    while let Some(flag) = args.next() {
        let switch = match flag.as_str() {
            "--no-cache" => &mut parsed.no_cache,
            "--strict" => &mut parsed.strict,
            _ => {
                let value = args
                    .next()
                    .with_context(|| format!("`{flag}` needs a value\n{USAGE}"))?;
                match flag.as_str() {
                    "--spec" => {
                        parsed.spec = absolute(value)?;
                        spec_given = true;
                    }
                    "--out" => parsed.out = absolute(value)?,
                    "--package" => parsed.package = value,
                    "--select" => parsed.select.push(value),
                    "--config" => parsed.config = Some(absolute(value)?),
                    _ => bail!("unknown option `{flag}`\n{USAGE}"),
                }
                continue;
            }
        };
        *switch = true;
    }
    if !spec_given && parsed.select.is_empty() && parsed.config.is_none() {
        parsed.config = Some(PathBuf::from(DEFAULT_CONFIG));
    }
    Ok(parsed)
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
fn absolute(path: String) -> Result<PathBuf> {
    let path = PathBuf::from(path);
    if path.is_absolute() {
        return Ok(path);
    }
    Ok(std::env::current_dir()
        .context("no current directory")?
        .join(path))
}
