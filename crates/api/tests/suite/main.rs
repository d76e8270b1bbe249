//! The `lapis` crate's integration tests, one module per area, in one test binary.
//!
//! One binary, not one per file: each integration-test file is its own crate, and every one
//! of them compiled Lapis's generic linear algebra again for the element types it used (the
//! crate's 23 test binaries took 344 CPU-seconds of a clean build; see `docs/reliability.md`).
//! `config.rs` (process-wide thread settings, read by child processes of itself) and
//! `interop.rs` (built only with the interop features) stay binaries of their own.

mod array_core;
mod complex;
mod einsum;
mod indexing;
mod inference;
mod linalg_complex_eig;
mod linalg_complex_eigh_qr;
mod linalg_complex_solve;
mod linalg_complex_svd;
mod linalg_eig;
mod linalg_eig_svd;
mod linalg_factor;
mod linalg_names;
mod linalg_norm;
mod linalg_qr;
mod linalg_solve;
mod npy;
mod numpy_reductions;
mod numpy_sort;
mod products;
mod random;
