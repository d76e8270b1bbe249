//! `cargo xtask bench`: build the runner, make sure a peer OpenBLAS exists, run the runner
//! with OpenBLAS's override variables removed (and its spin timeout bounded, see
//! [`THREAD_TIMEOUT`]), write the report and plots.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::model::Results;
use crate::report;

/// OpenBLAS's spin timeout (`2^value` cycles) set for the runner; see where it is set.
pub(crate) const THREAD_TIMEOUT: (&str, &str) = ("OPENBLAS_THREAD_TIMEOUT", "24");

const USAGE: &str = "usage: cargo xtask bench [--quick] [--ops gemm,…] [--sizes 256,512,…] \
[--threads 1,2] [--dtypes f32,f64] [--json PATH] [--budget SECONDS] [--no-openblas] \
[--no-faer] [--no-install]

  --quick        small sizes and short budgets (< 3 min on 2 cores)
  --ops          ops to run (default: all wired ones: gemm, solve, cholesky, inv, det, qr,
                 lstsq, eigh, eigvalsh, eig, svd, svdvals, batched_inv, batched_matmul)
  --sizes        sizes n (gemm: n×n×n; qr: n×n and 4n×n; batched: the matrix order);
                 without it the fixed extra shapes (gemm panels, lstsq 2000×200) are added
  --threads      thread counts, the same for every implementation (default 1,2)
  --json PATH    where results go (default <target>/bench/results.json)
  --no-install   do not download the scipy-openblas32 wheel into <target>/peers/
Outputs: <target>/bench/results.json, report.md, <op>.svg (target = $CARGO_TARGET_DIR or target/)";

/// Parsed options; values are passed through to the runner.
#[derive(Debug, Default)]
struct Opts {
    runner_args: Vec<String>,
    json: Option<PathBuf>,
    no_openblas: bool,
    no_install: bool,
}

fn parse(args: &[String]) -> Result<Opts, String> {
    let mut o = Opts::default();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--quick" | "--no-faer" => o.runner_args.push(flag.clone()),
            "--no-openblas" => {
                o.no_openblas = true;
                o.runner_args.push(flag.clone());
            }
            "--no-install" => o.no_install = true,
            "--ops" | "--sizes" | "--threads" | "--dtypes" | "--budget" => {
                let v = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
                o.runner_args.push(flag.clone());
                o.runner_args.push(v.clone());
            }
            "--json" => {
                let v = it.next().ok_or("--json needs a value")?;
                o.json = Some(PathBuf::from(v));
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown option {other:?}\n{USAGE}")),
        }
    }
    Ok(o)
}

/// The workspace root (the xtask crate's parent).
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// `$CARGO_TARGET_DIR` (relative to the workspace root when relative) or `target/`.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR").filter(|v| !v.is_empty()) {
        Some(d) => {
            let d = PathBuf::from(d);
            if d.is_absolute() { d } else { root.join(d) }
        }
        None => root.join("target"),
    }
}

fn has_openblas_file(dir: &Path, depth: usize) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|e| {
        let p = e.path();
        let name = e.file_name().to_string_lossy().to_lowercase();
        if p.is_dir() {
            depth < 6 && name != "wheels" && has_openblas_file(&p, depth + 1)
        } else {
            name.contains("openblas") && (name.ends_with(".so") || name.contains(".so."))
        }
    })
}

/// Makes sure `peers` holds an OpenBLAS: downloads the `scipy-openblas32` wheel with pip
/// and unpacks it (a wheel is a zip) unless one is already there.
fn ensure_peer(peers: &Path) -> Result<(), String> {
    if has_openblas_file(peers, 0) {
        eprintln!("xtask: peer OpenBLAS present under {}", peers.display());
        return Ok(());
    }
    let wheels = peers.join("wheels");
    std::fs::create_dir_all(&wheels).map_err(|e| format!("{}: {e}", wheels.display()))?;
    eprintln!(
        "xtask: downloading the scipy-openblas32 wheel (OpenBLAS) into {}",
        wheels.display()
    );
    let out = Command::new("python3")
        .args([
            "-m",
            "pip",
            "download",
            "scipy-openblas32",
            "--no-deps",
            "--only-binary=:all:",
            "-d",
        ])
        .arg(&wheels)
        .output()
        .map_err(|e| format!("cannot run python3 -m pip: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "pip download scipy-openblas32 failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let mut whls: Vec<PathBuf> = std::fs::read_dir(&wheels)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let n = p
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            n.starts_with("scipy_openblas32") && n.ends_with(".whl")
        })
        .collect();
    whls.sort();
    let whl = whls
        .pop()
        .ok_or("pip reported success but no scipy_openblas32 wheel is there")?;
    let out = Command::new("python3")
        .args(["-m", "zipfile", "-e"])
        .arg(&whl)
        .arg(peers)
        .output()
        .map_err(|e| format!("cannot run python3 -m zipfile: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "unpacking {} failed:\n{}",
            whl.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    if has_openblas_file(peers, 0) {
        eprintln!("xtask: unpacked {}", whl.display());
        Ok(())
    } else {
        Err(format!("{} holds no OpenBLAS library", whl.display()))
    }
}

/// Writes `report.md` and one SVG per op into `dir`; returns the files written.
pub fn write_report(results: &Results, dir: &Path) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut written = Vec::new();
    for op in report::ops(results) {
        if let Some(svg) = report::plot(results, &op) {
            let p = dir.join(format!("{op}.svg"));
            std::fs::write(&p, svg).map_err(|e| format!("{}: {e}", p.display()))?;
            written.push(p);
        }
    }
    let md = report::markdown(results, |op| format!("{op}.svg"));
    let p = dir.join("report.md");
    std::fs::write(&p, md).map_err(|e| format!("{}: {e}", p.display()))?;
    written.push(p);
    Ok(written)
}

/// Loads a results file.
pub fn load(path: &Path) -> Result<Results, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Entry point of `cargo xtask bench …`.
pub fn run(args: &[String]) -> Result<(), String> {
    let opts = parse(args)?;
    let root = workspace_root();
    let target = target_dir(&root);
    let bench_dir = target.join("bench");
    // Absolute, since the runner works from the workspace root.
    let json = match opts.json.clone() {
        Some(p) if p.is_relative() => std::env::current_dir().map_err(|e| e.to_string())?.join(p),
        Some(p) => p,
        None => bench_dir.join("results.json"),
    };

    // 1. Build the runner in release.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    eprintln!("xtask: building lapis-bench (release)");
    let status = Command::new(&cargo)
        .current_dir(&root)
        .args([
            "build",
            "--release",
            "-p",
            "lapis-benches",
            "--bin",
            "lapis-bench",
        ])
        .status()
        .map_err(|e| format!("cannot run {cargo}: {e}"))?;
    if !status.success() {
        return Err("building lapis-bench failed".to_string());
    }
    let exe = target
        .join("release")
        .join(format!("lapis-bench{}", std::env::consts::EXE_SUFFIX));

    // 2. A peer OpenBLAS.
    let peers = target.join("peers");
    let explicit = std::env::var_os("LAPIS_OPENBLAS").is_some_and(|v| !v.is_empty());
    if !opts.no_openblas && !explicit && !opts.no_install {
        ensure_peer(&peers).unwrap_or_else(|e| {
            eprintln!("xtask: WARNING: could not install a peer OpenBLAS: {e}");
            eprintln!("xtask: continuing; the runner will look for a system OpenBLAS and");
            eprintln!("xtask: otherwise benchmark lapis against faer only");
        });
    }

    // 3. Run it without OpenBLAS's override variables.
    let mut cmd = Command::new(&exe);
    cmd.current_dir(&root)
        .args(&opts.runner_args)
        .arg("--json")
        .arg(&json)
        .arg("--peers-dir")
        .arg(&peers);
    let mut removed = Vec::new();
    for (k, v) in std::env::vars_os() {
        let k = k.to_string_lossy().into_owned();
        if k.starts_with("OPENBLAS_") || k.starts_with("GOTO_") {
            cmd.env_remove(&k);
            removed.push(format!("{k}={}", v.to_string_lossy()));
        }
    }
    removed.sort();
    // OpenBLAS's idle workers busy-wait after each call (2²⁸ cycles by default, ~0.1 s). With
    // the implementations taking turns on a machine with no more cores than threads, a
    // spinning worker holds the core the next implementation's second thread needs (lapis
    // and faer then ran no faster at two threads than at one). Putting the workers to sleep
    // at once (2⁴ cycles) cost OpenBLAS's LAPACK routines their speed, since they wake the
    // pool for every BLAS call: two-thread dpotrf of order 1000 6.3 → 10.4 ms, dsyevd 89 →
    // 118 ms, dgeqrf 27 → 37 ms on a 2-core Xeon. 2²⁴ cycles (~6.5 ms at 2.6 GHz) keeps the
    // workers spinning across one routine's BLAS calls (6.5 / 86 / 26 ms, its default speed
    // within noise), and the runner waits 25 ms, untimed, after each OpenBLAS sample at
    // more than one thread so the workers sleep before the next implementation runs.
    cmd.env(THREAD_TIMEOUT.0, THREAD_TIMEOUT.1);
    for r in &removed {
        cmd.arg("--env-removed").arg(r);
    }
    let typed = std::iter::once("cargo xtask bench".to_string())
        .chain(args.iter().cloned())
        .collect::<Vec<_>>()
        .join(" ");
    cmd.arg("--launched-by").arg(&typed);
    if !removed.is_empty() {
        eprintln!(
            "xtask: starting the runner without {} so OpenBLAS picks its own kernel",
            removed.join(" ")
        );
    }
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    if !status.success() {
        return Err(format!("lapis-bench failed ({status})"));
    }

    // 4. Report.
    let results = load(&json)?;
    let written = write_report(&results, &bench_dir)?;
    eprintln!("xtask: wrote {}", json.display());
    for p in written {
        eprintln!("xtask: wrote {}", p.display());
    }
    Ok(())
}

/// Entry point of `cargo xtask report [results.json]`: regenerates report and plots.
pub fn report_only(args: &[String]) -> Result<(), String> {
    let root = workspace_root();
    let bench_dir = target_dir(&root).join("bench");
    let json = args
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(|| bench_dir.join("results.json"));
    let results = load(&json)?;
    for p in write_report(&results, &bench_dir)? {
        eprintln!("xtask: wrote {}", p.display());
    }
    Ok(())
}
