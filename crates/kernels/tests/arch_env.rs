//! `LAPIS_ARCH` is read once per process, so each case runs this test binary again as a
//! child with the variable set and reads back what the child selected.

use std::process::Command;

use lapis_kernels::{Isa, arch, detected};

const CHILD: &str = "LAPIS_ARCH_ENV_CHILD";

/// In the child: print the selected ISA. In a normal run: does nothing.
#[test]
fn child_reports_arch() {
    if std::env::var_os(CHILD).is_some() {
        println!("SELECTED={}", arch().name());
    }
}

/// Runs the child with `LAPIS_ARCH=value`; returns (selected ISA name, stderr).
fn run_child(value: &str) -> (String, String) {
    // Under an emulator (`cargo xtask cross`), the child needs the same runner as this
    // process: LAPIS_TEST_RUNNER holds it, e.g. "qemu-aarch64 -L /usr/aarch64-linux-gnu".
    let exe = std::env::current_exe().unwrap();
    let runner = std::env::var("LAPIS_TEST_RUNNER").unwrap_or_default();
    let mut words = runner.split_whitespace();
    let mut cmd = match words.next() {
        Some(program) => {
            let mut c = Command::new(program);
            c.args(words).arg(&exe);
            c
        }
        None => Command::new(&exe),
    };
    let out = cmd
        .args([
            "--exact",
            "child_reports_arch",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .env("LAPIS_ARCH", value)
        .output()
        .expect("the test binary can run itself");
    assert!(out.status.success(), "child failed: {out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let selected = stdout
        .lines()
        // The harness may print the test name on the same line first.
        .find_map(|l| l.split_once("SELECTED=").map(|(_, isa)| isa.trim()))
        .unwrap_or_else(|| panic!("child printed no selection: {stdout}"))
        .to_string();
    // The emulator's own diagnostics ("qemu-x86_64: warning: TCG doesn't support requested
    // feature …" for an emulated Haswell) are not the child's.
    let emulator = runner
        .split_whitespace()
        .next()
        .map(|p| format!("{}:", p.rsplit('/').next().unwrap_or(p)));
    let stderr = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| emulator.as_ref().is_none_or(|e| !l.starts_with(e.as_str())))
        .map(|l| format!("{l}\n"))
        .collect();
    (selected, stderr)
}

#[test]
fn lapis_arch_lowers_but_never_raises() {
    let best = detected();
    for isa in Isa::ALL {
        let (selected, stderr) = run_child(isa.name());
        if isa.is_supported() {
            assert_eq!(selected, isa.name(), "LAPIS_ARCH={isa} must select it");
            assert!(stderr.is_empty(), "no warning expected for {isa}: {stderr}");
        } else {
            assert_eq!(
                selected,
                best.name(),
                "unsupported LAPIS_ARCH={isa} keeps {best}"
            );
            assert!(
                stderr.contains("not supported by this CPU"),
                "unsupported LAPIS_ARCH={isa} must warn: {stderr:?}"
            );
        }
    }
    let (selected, stderr) = run_child("sse9");
    assert_eq!(selected, best.name());
    assert!(stderr.contains("unknown ISA"), "{stderr:?}");
    let (selected, _) = run_child("");
    assert_eq!(selected, best.name());
}
