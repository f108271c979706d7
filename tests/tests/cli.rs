//! `cargo xtask` as a user types it: help in every spelling, an unknown flag named with the
//! closest known one, and the report of `diff`.

use std::process::{Command, Output};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .current_dir(tests::workspace())
        .args(["run", "--quiet", "--package", "xtask", "--"])
        .args(args)
        .output()
        .expect("cargo runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_lists_the_commands_and_exits_0() {
    for args in [&["--help"][..], &["-h"], &["help"]] {
        let output = xtask(args);
        let stdout = text(&output.stdout);
        assert!(
            output.status.success(),
            "{args:?}: {}",
            text(&output.stderr)
        );
        for command in ["regenerate", "check", "diff", "bench"] {
            assert!(
                stdout.contains(&format!("\n  {command} ")),
                "{args:?}:\n{stdout}"
            );
        }
    }
}

#[test]
fn help_of_a_command_lists_its_flags() {
    for args in [&["help", "regenerate"][..], &["regenerate", "--help"]] {
        let output = xtask(args);
        let stdout = text(&output.stdout);
        assert!(
            output.status.success(),
            "{args:?}: {}",
            text(&output.stderr)
        );
        for flag in [
            "--spec",
            "--out",
            "--package",
            "--select",
            "--config",
            "--no-cache",
            "--strict",
        ] {
            assert!(stdout.contains(flag), "{args:?} lacks {flag}:\n{stdout}");
        }
    }
    let bench = text(&xtask(&["bench", "--help"]).stdout);
    for flag in ["--compile", "--only", "--runs", "--reference"] {
        assert!(bench.contains(flag), "bench lacks {flag}:\n{bench}");
    }
}

#[test]
fn an_unknown_flag_is_named_with_the_closest_one() {
    let output = xtask(&["regenerate", "--sepc", "x.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("'--sepc'"), "{stderr}");
    assert!(
        stderr.contains("a similar argument exists: '--spec'"),
        "{stderr}"
    );
    let output = xtask(&["bench", "--only", "decod"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("'decod'") && stderr.contains("'decode'"),
        "{stderr}"
    );
    let output = xtask(&["regenrate"]);
    assert!(text(&output.stderr).contains("a similar subcommand exists: 'regenerate'"));
}

#[test]
fn diff_reports_against_the_default_spec_and_writes_nothing() {
    let dir = tests::TempDir::new("xtask-diff");
    let fragment = std::fs::read_to_string(tests::workspace().join("spec/rev-users-scan.yaml"))
        .expect("the fragment");
    let old = fragment.replacen("        - locked\n", "", 1);
    assert_ne!(old, fragment);
    let old_path = dir.path().join("old.yaml");
    std::fs::write(&old_path, old).expect("written");
    let output = xtask(&["diff", "--from", old_path.to_str().expect("UTF-8")]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        stdout,
        "public API: 1 change, 1 breaking\n  variants: 1 added (1 breaking)\n    + \
         types::UserState::Locked  [breaking: breaks exhaustive matches]\n"
    );
    assert_eq!(std::fs::read_dir(dir.path()).expect("listed").count(), 1);
}
