//! Test binaries under an emulator, in parallel lanes.
//!
//! `cargo test` runs a package's test binaries one after another, and under qemu that left a
//! core idle most of the time: `isa_paths` runs one trial at a time (the ISA is process-wide),
//! and the factorization suite holds one lock around its loops over ISAs. Here each test
//! binary is cut into jobs, one per top-level name (an ISA of `isa_paths`, a module of a
//! suite), each job a process of its own with its own lock, and the jobs run on as many
//! lanes as the machine has cores. A job's output is printed whole when it ends.

use std::collections::{BTreeMap, VecDeque};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::Instant;

/// A test binary cargo built: its target's name, its path, and its package's folder (the
/// working directory `cargo test` gives it).
#[derive(Debug)]
pub struct TestBinary {
    pub name: String,
    pub exe: PathBuf,
    pub dir: PathBuf,
}

/// One process: a test binary with the arguments that select its share of the tests.
#[derive(Debug)]
pub struct Job<'a> {
    pub label: String,
    pub binary: &'a TestBinary,
    pub args: Vec<String>,
}

/// Builds the test binaries of a `cargo test …` command (`--no-run` is added).
pub fn build_test_binaries(cmd: &mut Command) -> Result<Vec<TestBinary>, String> {
    cmd.args(["--no-run", "--message-format=json-render-diagnostics"])
        .stdout(Stdio::piped());
    eprintln!("+ {cmd:?}");
    let mut child = cmd.spawn().map_err(|e| format!("{cmd:?}: {e}"))?;
    let stdout = child.stdout.take().expect("piped stdout");
    let mut found = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| e.to_string())?;
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        if msg["reason"] != "compiler-artifact" || msg["profile"]["test"] != true {
            continue;
        }
        let name = msg["target"]["name"].as_str();
        let exe = msg["executable"].as_str();
        let manifest = msg["manifest_path"].as_str().map(PathBuf::from);
        if let (Some(name), Some(exe), Some(dir)) = (
            name,
            exe,
            manifest.and_then(|m| m.parent().map(PathBuf::from)),
        ) {
            found.push(TestBinary {
                name: name.to_string(),
                exe: PathBuf::from(exe),
                dir,
            });
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("{cmd:?} failed with {status}"));
    }
    Ok(found)
}

/// A command that runs `exe` through `runner` ("qemu-aarch64 -L …"; empty: directly).
fn command(runner: &str, exe: &Path) -> Command {
    let mut words = runner.split_whitespace();
    match words.next() {
        Some(program) => {
            let mut c = Command::new(program);
            c.args(words).arg(exe);
            c
        }
        None => Command::new(exe),
    }
}

/// Cuts the test binary `exe` into jobs, one per first path segment of its test names.
/// A group is selected by the filter `segment::` when no other test name contains that
/// string, else by its names with `--exact` (libtest filters match substrings: `lu::` would
/// also select `complex_lu::…`).
pub fn jobs_of<'a>(runner: &str, binary: &'a TestBinary) -> Result<Vec<Job<'a>>, String> {
    let exe = &binary.exe;
    let out = command(runner, exe)
        .current_dir(&binary.dir)
        .args(["--list", "--format=terse"])
        .output()
        .map_err(|e| format!("{exe:?} --list: {e}"))?;
    if !out.status.success() {
        return Err(format!("{exe:?} --list failed with {}", out.status));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let names: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .collect();
    let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for n in &names {
        let segment = n.split_once("::").map_or(*n, |(first, _)| first);
        groups.entry(segment).or_default().push(n);
    }
    Ok(groups
        .into_iter()
        .map(|(segment, members)| {
            let prefix = format!("{segment}::");
            let clean = names
                .iter()
                .all(|n| members.contains(n) || !n.contains(&prefix));
            let args = if clean && members.iter().all(|n| n.starts_with(&prefix)) {
                vec![prefix]
            } else {
                std::iter::once("--exact".to_string())
                    .chain(members.iter().map(|n| n.to_string()))
                    .collect()
            };
            Job {
                label: format!("{} {segment}", binary.name),
                binary,
                args,
            }
        })
        .collect())
}

/// Runs `jobs` through `runner`, in the order given, on as many lanes as there are cores;
/// `env` is set for every job. Fails if any job fails, naming them all.
pub fn run_jobs(runner: &str, jobs: Vec<Job<'_>>, env: &[(&str, &str)]) -> Result<(), String> {
    let lanes = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len().max(1));
    eprintln!("lanes: {} jobs on {lanes} lanes", jobs.len());
    let queue = Mutex::new(jobs.into_iter().collect::<VecDeque<_>>());
    let failed = Mutex::new(Vec::new());
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..lanes {
            s.spawn(|| {
                loop {
                    let Some(job) = queue.lock().unwrap().pop_front() else {
                        break;
                    };
                    let t = Instant::now();
                    let mut cmd = command(runner, &job.binary.exe);
                    // The ISA must be the one detected, not lowered from outside.
                    cmd.current_dir(&job.binary.dir)
                        .args(&job.args)
                        .env_remove("LAPIS_ARCH");
                    for (k, v) in env {
                        cmd.env(k, v);
                    }
                    let result = cmd.output();
                    // One lock for the report, so that two jobs' outputs never interleave.
                    let mut failed = failed.lock().unwrap();
                    eprintln!(
                        "── {} ({:.0} s, {:.0} s into the run)",
                        job.label,
                        t.elapsed().as_secs_f64(),
                        start.elapsed().as_secs_f64()
                    );
                    match result {
                        Ok(out) => {
                            eprint!("{}", String::from_utf8_lossy(&out.stdout));
                            eprint!("{}", String::from_utf8_lossy(&out.stderr));
                            if !out.status.success() {
                                failed.push(format!("{} ({})", job.label, out.status));
                            }
                        }
                        Err(e) => failed.push(format!("{}: {e}", job.label)),
                    }
                }
            });
        }
    });
    let failed = failed.into_inner().unwrap();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("failed under the emulator: {}", failed.join(", ")))
    }
}
