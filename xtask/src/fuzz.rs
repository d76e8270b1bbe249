//! `cargo xtask fuzz [--seconds N | --runs N --seed S] [TARGET…]`: runs each cargo-fuzz
//! target for N seconds, or for a fixed, reproducible number of inputs.
//!
//! Installs `cargo-fuzz` from crates.io when missing; the targets build on the nightly
//! toolchain (libFuzzer needs `-Zsanitizer`). A crash fails the command and leaves the input
//! under `fuzz/artifacts/`.

use std::path::Path;
use std::process::Command;

/// Options of `cargo xtask fuzz`.
#[derive(Debug)]
pub struct FuzzOptions {
    /// Seconds per target.
    pub seconds: u64,
    /// Fixed number of runs and libFuzzer seed instead of a time budget: a reproducible run
    /// (what CI uses, so that a landing never depends on a lucky draw).
    pub runs_and_seed: Option<(u64, u64)>,
    /// Targets to run (empty: all of `fuzz/fuzz_targets/`).
    pub targets: Vec<String>,
}

impl FuzzOptions {
    /// Parses `[--seconds N] [TARGET…]`.
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut opts = FuzzOptions {
            seconds: 30,
            runs_and_seed: None,
            targets: Vec::new(),
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--seconds" => {
                    let v = it.next().ok_or("fuzz: --seconds needs a value")?;
                    opts.seconds = v
                        .parse()
                        .map_err(|_| format!("fuzz: bad --seconds {v:?}"))?;
                }
                "--runs" => {
                    let v = it.next().ok_or("fuzz: --runs needs a value")?;
                    let runs = v.parse().map_err(|_| format!("fuzz: bad --runs {v:?}"))?;
                    let seed = opts.runs_and_seed.map_or(1, |(_, s)| s);
                    opts.runs_and_seed = Some((runs, seed));
                }
                "--seed" => {
                    let v = it.next().ok_or("fuzz: --seed needs a value")?;
                    let seed = v.parse().map_err(|_| format!("fuzz: bad --seed {v:?}"))?;
                    let runs = opts.runs_and_seed.map_or(50_000, |(r, _)| r);
                    opts.runs_and_seed = Some((runs, seed));
                }
                s if s.starts_with("--") => return Err(format!("fuzz: unknown option {s:?}")),
                s => opts.targets.push(s.to_string()),
            }
        }
        Ok(opts)
    }
}

/// Names of the fuzz targets (the files of `fuzz/fuzz_targets/`).
pub fn targets(root: &Path) -> Result<Vec<String>, String> {
    let dir = root.join("fuzz").join("fuzz_targets");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".rs").map(str::to_string)
        })
        .collect();
    names.sort();
    Ok(names)
}

fn status_ok(cmd: &mut Command) -> Result<(), String> {
    eprintln!("+ {cmd:?}");
    let st = cmd.status().map_err(|e| format!("{cmd:?}: {e}"))?;
    if st.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed with {st}"))
    }
}

/// Runs the fuzz targets from the workspace root `root`.
pub fn fuzz(root: &Path, opts: &FuzzOptions) -> Result<(), String> {
    let have_fuzz = Command::new("cargo")
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_fuzz {
        status_ok(Command::new("cargo").args(["install", "cargo-fuzz", "--locked"]))?;
    }
    let all = targets(root)?;
    let chosen = if opts.targets.is_empty() {
        all
    } else {
        for t in &opts.targets {
            if !all.contains(t) {
                return Err(format!("fuzz: no target {t:?} (have {all:?})"));
            }
        }
        opts.targets.clone()
    };
    for target in &chosen {
        status_ok(
            Command::new("cargo")
                .current_dir(root.join("fuzz"))
                .args(["+nightly", "fuzz", "run", target, "--"])
                .args(match opts.runs_and_seed {
                    Some((runs, seed)) => vec![format!("-runs={runs}"), format!("-seed={seed}")],
                    None => vec![format!("-max_total_time={}", opts.seconds)],
                })
                // RUSTUP_TOOLCHAIN from `cargo xtask` (stable) would override `+nightly`.
                .env_remove("RUSTUP_TOOLCHAIN"),
        )?;
    }
    match opts.runs_and_seed {
        Some((runs, seed)) => eprintln!(
            "fuzz: {} target(s) ran {runs} inputs each (seed {seed}) without a finding",
            chosen.len()
        ),
        None => eprintln!(
            "fuzz: {} target(s) ran {} s each without a finding",
            chosen.len(),
            opts.seconds
        ),
    }
    Ok(())
}

/// `cargo xtask miri`: the kernels' unit tests (views, packing, the loop nest on the scalar
/// kernel) under Miri, which checks every pointer access for undefined behaviour.
pub fn miri(root: &Path) -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["+nightly", "component", "list", "--installed"])
        .env_remove("RUSTUP_TOOLCHAIN")
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.starts_with("miri"))
        })
        .unwrap_or(false);
    if !installed {
        status_ok(
            Command::new("rustup")
                .args(["+nightly", "component", "add", "miri", "rust-src"])
                .env_remove("RUSTUP_TOOLCHAIN"),
        )?;
    }
    status_ok(
        Command::new("cargo")
            .current_dir(root)
            .args(["+nightly", "miri", "test", "-p", "lapis-kernels", "--lib"])
            .env_remove("RUSTUP_TOOLCHAIN")
            // The cache-size probe reads sysfs.
            .env("MIRIFLAGS", "-Zmiri-disable-isolation")
            .env("CARGO_TARGET_DIR", root.join("target").join("miri")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_options() {
        let o = FuzzOptions::parse(&["--seconds".into(), "5".into(), "gemm".into()]).unwrap();
        assert_eq!(o.seconds, 5);
        assert_eq!(o.targets, ["gemm"]);
        assert!(FuzzOptions::parse(&["--seconds".into()]).is_err());
        assert!(FuzzOptions::parse(&["--nope".into()]).is_err());
        let o = FuzzOptions::parse(&["--runs".into(), "10".into(), "--seed".into(), "7".into()])
            .unwrap();
        assert_eq!(o.runs_and_seed, Some((10, 7)));
    }
}
