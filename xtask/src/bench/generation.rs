//! Generation inside this process, through `codegen::generate_selected`, stage by stage.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use super::{lines, median, ms};

/// Medians over the timed runs of one spec.
pub(super) struct Generation {
    runs: usize,
    total: Duration,
    load: Duration,
    lower: Duration,
    emit: Duration,
    format: Duration,
    render: Duration,
    threads: usize,
    write: Duration,
    pub(super) lines: usize,
}

impl Generation {
    pub(super) fn summary(&self) -> String {
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
pub(super) fn generation(
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
