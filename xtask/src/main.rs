//! `cargo xtask <command>`: the project's automation.
//!
//! * `cargo xtask bench [--quick] [--ops …] [--sizes …] [--threads …] [--json PATH]` —
//!   lapis against OpenBLAS and faer; see `docs/performance.md`.
//! * `cargo xtask report [results.json]` — rebuild `report.md` and the plots from a
//!   results file.
//! * `cargo xtask cross [--aarch64-only] [--no-haswell] [-- test args]` — aarch64 tests
//!   under qemu (NEON path), on a host with AVX-512 the x86_64 kernel tests under
//!   `qemu-x86_64 -cpu Haswell` (AVX2 detected without AVX-512), build checks for armv7 and
//!   wasm32.
//! * `cargo xtask fuzz [--seconds N] [TARGET…]` — each cargo-fuzz target for N seconds.
//! * `cargo xtask miri` — the kernels' unit tests under Miri.

mod bench;
mod cross;
mod fuzz;
mod lanes;
mod model;
mod report;
mod svg;

#[cfg(test)]
mod tests;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("bench") => bench::run(&args[1..]),
        Some("report") => bench::report_only(&args[1..]),
        Some("cross") => cross::CrossOptions::parse(&args[1..])
            .and_then(|o| cross::cross(&bench::workspace_root(), &o)),
        Some("fuzz") => fuzz::FuzzOptions::parse(&args[1..])
            .and_then(|o| fuzz::fuzz(&bench::workspace_root(), &o)),
        Some("miri") => fuzz::miri(&bench::workspace_root()),
        _ => Err(
            "usage: cargo xtask <bench|report|cross|fuzz|miri> [options]  (cargo xtask bench --help)"
                .into(),
        ),
    };
    if let Err(e) = result {
        eprintln!("{e}");
        std::process::exit(2);
    }
}
