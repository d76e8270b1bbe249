//! # lapis-factor
//!
//! Layer 2 of Lapis: LAPACK-level factorizations (LU, Cholesky, QR, eigen, SVD) on
//! [`lapis_kernels::MatMut`] views, in place, with errors as values. Factorizations land
//! here one by one; each is built so that most of its flops run in the layer-1 kernels.

pub use lapis_kernels as kernels;
