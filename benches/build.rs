//! Records the faer version from the workspace's `Cargo.lock`, so the bench runner can
//! report which faer it was built against (cargo exposes no dependency versions).

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let lock = manifest.join("..").join("Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock.display());
    let text = std::fs::read_to_string(&lock).unwrap_or_default();
    let version = faer_version(&text).unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=LAPIS_BENCH_FAER_VERSION={version}");
}

/// The `version` line that follows `name = "faer"` in a Cargo.lock.
fn faer_version(lock: &str) -> Option<String> {
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"faer\"" {
            let next = lines.next()?.trim();
            let v = next.strip_prefix("version = \"")?.strip_suffix('"')?;
            return Some(v.to_string());
        }
    }
    None
}
