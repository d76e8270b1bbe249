//! `lapis-factor`'s integration tests, one module per factorization, in one test binary.
//!
//! One binary, not one per file: each integration-test file is its own crate that compiled
//! the factorizations again for its element types, and under `cargo xtask cross` the binaries
//! ran one after another under qemu. `common` holds the shared oracles, matrices and
//! `for_each_isa`.

mod common;

mod banded;
mod cholesky;
mod complex_eig;
mod complex_eigh_qr;
mod complex_lu;
mod complex_svd;
mod dqds;
mod eig;
mod eigh;
mod lstsq;
mod lu;
mod mixed;
mod qr;
mod svd;
mod svd_dc;
