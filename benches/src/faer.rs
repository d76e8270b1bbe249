//! faer as a Rust peer.

use ::faer::linalg::matmul::matmul;
use ::faer::{Accum, MatMut, MatRef, Par};

use crate::BenchScalar;

/// faer's version, read from `Cargo.lock` at build time.
pub const VERSION: &str = env!("LAPIS_BENCH_FAER_VERSION");

/// faer's parallelism for `threads` threads (`Seq` for one).
pub fn par(threads: usize) -> Par {
    if threads <= 1 {
        Par::Seq
    } else {
        Par::rayon(threads)
    }
}

/// `C ← A·B` on column-major operands (`A` m×k, `B` k×n, `C` m×n).
pub fn gemm<T: BenchScalar>(m: usize, n: usize, k: usize, a: &[T], b: &[T], c: &mut [T], par: Par) {
    let a = MatRef::from_column_major_slice(&a[..m * k], m, k);
    let b = MatRef::from_column_major_slice(&b[..k * n], k, n);
    let c = MatMut::from_column_major_slice_mut(&mut c[..m * n], m, n);
    matmul(c, Accum::Replace, a, b, T::one(), par);
}
