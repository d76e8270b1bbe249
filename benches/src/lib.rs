//! Benchmark support for Lapis: peers (OpenBLAS through its C ABI, faer), timing, the op
//! table and the peak-FMA microbenchmark.
//!
//! The `lapis-bench` binary (driven by `cargo xtask bench`) runs every op of
//! [`ops::registry`] on identical inputs for lapis, OpenBLAS and faer with the same thread
//! count, verifies the peers' answers, times them alternately and writes one JSON file
//! (schema: [`record`], documented in `docs/performance.md`).

pub mod driver;
pub mod faer;
pub mod lapack;
pub mod openblas;
pub mod ops;
pub mod peak;
pub mod record;
pub mod rng;
pub mod scalar;
pub mod sysinfo;
pub mod timing;

pub use ops::{BenchOp, Case, Ctx, Dtype, Impl, Prepared, Verdict};
pub use scalar::BenchScalar;
