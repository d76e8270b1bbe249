//! # lapis
//!
//! numpy.linalg and the everyday part of scipy.linalg in pure Rust. The n-d array surface
//! and the `linalg` front door are built here on the kernels of [`lapis_kernels`] and the
//! factorizations of [`lapis_factor`].

pub use lapis_kernels as kernels;
