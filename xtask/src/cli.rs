//! The xtask's commands and flags as types: clap parses them, writes `--help` from these doc
//! comments, and names an unknown flag with the closest known one.

use std::num::NonZeroUsize;
use std::path::PathBuf;

use clap::builder::PossibleValuesParser;
use clap::{Args, Parser, Subcommand};

/// Generates, checks and measures the typed client crate of an OpenAPI spec.
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Writes the crate generated from a spec into a directory, only the files that changed,
    /// and reports what changed in its public API
    Regenerate(Generate),
    /// Fails, listing changed, missing and extra files, when a directory is not what
    /// `regenerate` would write (always `--strict`)
    Check(Generate),
    /// Prints what generating from NEW_SPEC instead of OLD_SPEC changes in the crate's public
    /// API, writing nothing
    Diff(Diff),
    /// Measures the generator and the generated client and prints one table
    Bench(Bench),
}

/// The flags of `regenerate` and `check`.
#[derive(Args)]
pub struct Generate {
    /// The OpenAPI 3.0 or 3.1 spec [default: spec/rev-users-scan.yaml]
    #[arg(long, value_name = "PATH")]
    pub spec: Option<PathBuf>,
    /// The directory of the generated crate [default: generated]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub options: Options,
}

/// The flags of `diff`.
#[derive(Args)]
pub struct Diff {
    /// The spec the crate was generated from before
    #[arg(long, value_name = "OLD_SPEC")]
    pub from: PathBuf,
    /// The spec it is generated from now [default: spec/rev-users-scan.yaml]
    #[arg(long, value_name = "NEW_SPEC")]
    pub to: Option<PathBuf>,
    #[command(flatten)]
    pub options: Options,
}

/// How a spec becomes a crate, for every command that generates one.
#[derive(Args)]
pub struct Options {
    /// The package name of the generated crate
    #[arg(long, value_name = "NAME", default_value = "devrev-client")]
    pub package: String,
    /// Generate only these operations (by operationId) and the operations of these tags, with
    /// the schemas they reach; repeatable
    #[arg(long, value_name = "ID|tag:NAME[,...]", value_delimiter = ',')]
    pub select: Vec<String>,
    /// A generation config with `operations:`, `tags:` and `idempotent:` lists [default:
    /// spec/select.yaml when neither the spec, `--select` nor `--config` is given]
    #[arg(long, value_name = "SELECT.yaml")]
    pub config: Option<PathBuf>,
    /// Format every file, ignoring and not filling the format cache
    #[arg(long)]
    pub no_cache: bool,
    /// Make an error of anything the crate would leave out or type loosely
    #[arg(long)]
    pub strict: bool,
}

/// The flags of `bench`.
#[derive(Args)]
pub struct Bench {
    /// Also time clean `cargo build` and `cargo check` of the generated crates (slow)
    #[arg(long)]
    pub compile: bool,
    /// Run only these areas [default: all but compile]
    #[arg(long, value_name = "AREAS", value_delimiter = ',',
          value_parser = PossibleValuesParser::new(crate::bench::AREAS))]
    pub only: Vec<String>,
    /// How many times each timing runs; the median is reported
    #[arg(long, value_name = "N", default_value = "5")]
    pub runs: NonZeroUsize,
    /// DevRev's whole public description [default:
    /// ../shared/reference/devrev-openapi-public.yaml]
    #[arg(long, value_name = "PATH")]
    pub reference: Option<PathBuf>,
}
