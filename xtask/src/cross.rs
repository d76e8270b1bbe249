//! `cargo xtask cross`: build for other targets and run the ARM test suites under qemu.
//!
//! aarch64 is the target that must work: the rustup target, Debian's cross linker and
//! qemu-user are installed if missing (idempotently), the workspace is built for
//! `aarch64-unknown-linux-gnu`, and the kernel and factorization tests run under
//! `qemu-aarch64`, where the NEON path must be the one detected. armv7 and wasm32 are
//! build-only checks of the scalar fallback; a target that cannot be had is reported, not
//! hidden. On an x86_64 host with AVX-512 the kernel suites also run under
//! `qemu-x86_64 -cpu Haswell`, a CPU with AVX2 and FMA but no AVX-512: detection must pick
//! AVX2 there. A host that is itself such a CPU has already checked that natively.

use std::path::Path;
use std::process::Command;

use crate::lanes;

const AARCH64: &str = "aarch64-unknown-linux-gnu";
const BUILD_ONLY: [&str; 2] = ["armv7-unknown-linux-gnueabihf", "wasm32-unknown-unknown"];

/// Options of `cargo xtask cross`.
#[derive(Debug, Default)]
pub struct CrossOptions {
    /// Skip the build-only targets (armv7, wasm32).
    pub aarch64_only: bool,
    /// Skip the x86_64 run under an emulated Haswell.
    pub no_haswell: bool,
    /// Extra arguments passed to the test binaries (e.g. a filter).
    pub test_args: Vec<String>,
}

impl CrossOptions {
    /// Parses `[--aarch64-only] [--no-haswell] [-- test args…]`.
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut opts = CrossOptions::default();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--aarch64-only" => opts.aarch64_only = true,
                "--no-haswell" => opts.no_haswell = true,
                "--" => opts.test_args.extend(it.by_ref().cloned()),
                other => return Err(format!("cross: unknown option {other:?}")),
            }
        }
        Ok(opts)
    }
}

fn run(cmd: &mut Command) -> Result<(), String> {
    eprintln!("+ {cmd:?}");
    let status = cmd.status().map_err(|e| format!("{cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed with {status}"))
    }
}

fn succeeds(cmd: &mut Command) -> bool {
    cmd.output().map(|o| o.status.success()).unwrap_or(false)
}

fn rustup_target_installed(target: &str) -> bool {
    Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == target)
        })
        .unwrap_or(false)
}

/// Makes sure `target`'s standard library is installed; false if it cannot be had.
fn ensure_rust_target(target: &str) -> bool {
    rustup_target_installed(target)
        || succeeds(Command::new("rustup").args(["target", "add", target]))
}

/// Installs Debian packages when `probe` is not on the PATH.
fn ensure_apt(probe: &str, packages: &[&str]) -> Result<(), String> {
    if succeeds(Command::new("sh").args(["-c", &format!("command -v {probe}")])) {
        return Ok(());
    }
    let sudo = if is_root() { vec![] } else { vec!["sudo"] };
    let apt = |args: &[&str]| {
        let mut all: Vec<&str> = sudo.clone();
        all.push("apt-get");
        all.extend_from_slice(args);
        let mut c = Command::new(all[0]);
        c.args(&all[1..]).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    run(&mut apt(&["update", "-qq"]))?;
    let mut install = vec!["install", "-y", "-qq"];
    install.extend_from_slice(packages);
    run(&mut apt(&install))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Runs the cross checks from the workspace root `root`.
pub fn cross(root: &Path, opts: &CrossOptions) -> Result<(), String> {
    if !ensure_rust_target(AARCH64) {
        return Err(format!(
            "cross: the rustup target {AARCH64} cannot be installed"
        ));
    }
    ensure_apt(
        "aarch64-linux-gnu-gcc",
        &["gcc-aarch64-linux-gnu", "libc6-dev-arm64-cross"],
    )?;
    ensure_apt("qemu-aarch64", &["qemu-user"])?;

    let runner = "qemu-aarch64 -L /usr/aarch64-linux-gnu";
    let mut build = Command::new(env!("CARGO"));
    build
        .current_dir(root)
        .args([
            "test",
            "--target",
            AARCH64,
            "-p",
            "lapis-kernels",
            "-p",
            "lapis-factor",
            "--tests",
        ])
        .env(
            "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER",
            "aarch64-linux-gnu-gcc",
        );
    let binaries = lanes::build_test_binaries(&mut build)?;
    let mut jobs = Vec::new();
    for binary in &binaries {
        if opts.test_args.is_empty() {
            jobs.extend(lanes::jobs_of(runner, binary)?);
        } else {
            jobs.push(lanes::Job {
                label: binary.name.clone(),
                binary,
                args: opts.test_args.clone(),
            });
        }
    }
    // The longest jobs first, so that the lanes end together.
    jobs.sort_by_key(|j| {
        LONG_JOBS
            .iter()
            .position(|long| j.label == *long)
            .unwrap_or(LONG_JOBS.len())
    });
    lanes::run_jobs(
        runner,
        jobs,
        &[
            // Tests that start child processes of themselves need the emulator too.
            ("LAPIS_TEST_RUNNER", runner),
        ],
    )?;
    run(Command::new(env!("CARGO"))
        .current_dir(root)
        .args([
            "run",
            "--target",
            AARCH64,
            "-p",
            "lapis-kernels",
            "--example",
            "gemm_demo",
        ])
        .env(
            "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER",
            "aarch64-linux-gnu-gcc",
        )
        .env("CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER", runner)
        .env("LAPIS_DEMO_ASSERT_ISA", "neon")
        // Only the ISA assertion matters here; see `haswell` for the cost of larger sizes.
        .env("LAPIS_DEMO_MAX_N", "16"))?;

    if cfg!(target_arch = "x86_64") && !opts.no_haswell {
        if host_is_avx2_without_avx512() {
            // The emulated CPU would add nothing: the native suites (`cargo test`) already
            // ran on a CPU with AVX2 and no AVX-512, where detection picked AVX2 and the
            // AVX-512 trials showed as ignored.
            eprintln!(
                "cross: this CPU has AVX2 and no AVX-512, so the native test run already \
                 checked what `qemu-x86_64 -cpu Haswell` would; skipping the emulated Haswell"
            );
        } else {
            haswell(root, opts)?;
        }
    }

    let mut unavailable = Vec::new();
    if !opts.aarch64_only {
        for target in BUILD_ONLY {
            if !ensure_rust_target(target) {
                unavailable.push(target);
                continue;
            }
            // Warnings fail the check: code that is dead or unused on a target shows here.
            run(Command::new(env!("CARGO"))
                .current_dir(root)
                .env("RUSTFLAGS", "-D warnings")
                .args([
                    "check",
                    "--target",
                    target,
                    "-p",
                    "lapis-kernels",
                    "-p",
                    "lapis-factor",
                    "-p",
                    "lapis",
                ]))?;
        }
    }
    eprintln!("cross: aarch64 tests passed under qemu (NEON path)");
    if !unavailable.is_empty() {
        eprintln!(
            "cross: could not install the rustup targets {unavailable:?}; their build checks did not run"
        );
    }
    Ok(())
}

/// The jobs of the aarch64 run that take longest under qemu, longest first (seconds on two
/// lanes of a 2-core Zen 3 host, 2026-12-07): the NEON trials of `isa_paths` 89, the general
/// eigenproblem's suite 76, the divide-and-conquer SVD 74, SYRK's reference grid 57, Cholesky
/// 42, LU 36, the banded solvers 22; the other 50-odd jobs took 100 together. Only the
/// order depends on this list.
const LONG_JOBS: [&str; 7] = [
    "isa_paths neon",
    "suite eig",
    "suite svd_dc",
    "blas syrk_matches_reference",
    "suite cholesky",
    "suite lu",
    "suite banded",
];

/// True on an x86_64 host with AVX2 and FMA but no AVX-512F: the CPU `haswell` emulates.
fn host_is_avx2_without_avx512() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2")
            && std::arch::is_x86_feature_detected!("fma")
            && !std::arch::is_x86_feature_detected!("avx512f")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// The kernel suites run under the emulated Haswell, each with the tests it skips.
/// * `arch_env`: detection and `LAPIS_ARCH` on a CPU without AVX-512 (AVX2 selected, an
///   AVX-512 request refused with a warning), its child processes emulated too.
/// * `blas`: the kernels beside GEMM on the emulated CPU, its caches and its detection. The
///   SYRK cases past every cache block and the TRSM proptest took 13 minutes of emulation
///   (debug build); both run natively under every ISA the host has.
///
/// `isa_paths` no longer runs here: its AVX2 trials run natively on every x86 host (as the
/// detected ISA on an AVX2 CPU, lowered to on an AVX-512 one), and under emulation they took
/// 111 s without checking detection beyond what `arch_env` and the demo check.
const HASWELL_SUITES: [(&str, &[&str]); 2] = [
    ("arch_env", &[]),
    ("blas", &["syrk_matches_reference", "prop_trsm"]),
];

/// The kernel suites and the GEMM demo under `qemu-x86_64 -cpu Haswell` (AVX2 + FMA, no
/// AVX-512): the AVX2 path must be the one detected. The demo stops at n = 16: it times
/// 3 × 10 000 products per size, minutes of emulation from n = 32 on, and only its ISA
/// assertion matters here.
fn haswell(root: &Path, opts: &CrossOptions) -> Result<(), String> {
    ensure_apt("qemu-x86_64", &["qemu-user"])?;
    let runner = "qemu-x86_64 -cpu Haswell";
    for (suite, skip) in HASWELL_SUITES {
        let mut test = Command::new(env!("CARGO"));
        test.current_dir(root)
            .args(["test", "-p", "lapis-kernels", "--test", suite, "--"])
            .args(skip.iter().flat_map(|s| ["--skip", s]))
            .args(&opts.test_args)
            .env("CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUNNER", runner)
            // Tests that start child processes of themselves need the emulator too.
            .env("LAPIS_TEST_RUNNER", runner)
            .env_remove("LAPIS_ARCH");
        run(&mut test)?;
    }
    run(Command::new(env!("CARGO"))
        .current_dir(root)
        .args(["run", "-p", "lapis-kernels", "--example", "gemm_demo"])
        .env("CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUNNER", runner)
        .env_remove("LAPIS_ARCH")
        .env("LAPIS_DEMO_ASSERT_ISA", "avx2")
        .env("LAPIS_DEMO_MAX_N", "16"))?;
    eprintln!("cross: x86_64 kernel tests passed under qemu -cpu Haswell (AVX2 detected)");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_options() {
        let o =
            CrossOptions::parse(&["--aarch64-only".into(), "--".into(), "gemm".into()]).unwrap();
        assert!(o.aarch64_only && !o.no_haswell);
        assert_eq!(o.test_args, ["gemm"]);
        assert!(
            CrossOptions::parse(&["--no-haswell".into()])
                .unwrap()
                .no_haswell
        );
        assert!(CrossOptions::parse(&["--bogus".into()]).is_err());
    }
}
