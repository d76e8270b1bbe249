//! Naive reference kernels: the oracle every optimised kernel is tested against.
//!
//! Plain loops, no blocking, accumulation in `f64` whatever the element type, so that
//! comparisons against them measure the optimised kernel's error, not the reference's.

mod gemm;

pub use gemm::{gemm, gemm_error_scale};

mod blas;
pub use blas::*;
