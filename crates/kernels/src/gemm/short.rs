//! Short, wide and deep products (`m` a few register blocks, `k` and `n` large), such as
//! `W = Vᵀ·C` of a block reflector: each element of B meets only `m` rows of A, so packing B
//! (a transposing copy of a matrix that is usually far larger than the caches) costs as much
//! as the multiply-adds. Here only A is copied, a depth block at a time into unit-stride
//! columns, and the no-packing kernel reads B where it lies, a few columns at a time so that
//! the row blocks after the first find them in L1/L2.

use super::driver::MIN_FLOPS_PER_TASK;
use super::kernel::{KernelTable, Small};
use super::small::run_kernel;
use crate::{MatMut, MatRef, Par, Scalar};

/// Columns of C per call of the kernel: `DEPTH × COLS` elements of B stay in L2 while the
/// row blocks of A pass over them. 16 to 128 measured within noise of each other.
const COLS: usize = 64;

/// Depth of each block of A copied (and of each pass over C). Measured on `W = Vᵀ·C` with
/// `V` 2000 × 64 and `C` 2000 × 1936 (f64, one thread): 49.5 GF/s at 96, 58.1 at 192 (the
/// no-packing kernel's own depth limit), 62.9 at 512, 61.3 at 1024; C is read and written
/// once per block, and its columns restart their streams.
const DEPTH: usize = 512;

/// `C ← α·A·B + β·C` on this path when the ISA has a no-packing kernel, C has unit-stride
/// columns, `m` is at most the kernel's `max_short_m`, `k` at least its `max_k` and `n` at
/// least two column blocks; returns `c` back otherwise. With threads, each task takes a
/// range of C's columns.
pub(crate) fn try_gemm_short<'c, T: Scalar>(
    table: &KernelTable<T>,
    alpha: T,
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    beta: T,
    c: MatMut<'c, T>,
    par: Par,
) -> Option<MatMut<'c, T>> {
    let (m, n, k) = (c.nrows(), c.ncols(), a.ncols());
    let Some(small) = &table.small else {
        return Some(c);
    };
    if m > small.max_short_m || m == 0 || n < 2 * COLS || k < small.max_k || c.row_stride() != 1 {
        return Some(c);
    }
    let work = m.saturating_mul(n).saturating_mul(k);
    let tasks = par
        .degree()
        .min(work / MIN_FLOPS_PER_TASK)
        .min(n / COLS)
        .max(1);
    if tasks == 1 {
        columns(small, alpha, a, b, beta, c);
        return None;
    }
    let mut parts = Vec::with_capacity(tasks);
    let mut rest = c;
    let mut lo = 0;
    for t in 0..tasks {
        let hi = n * (t + 1) / tasks;
        let (part, right) = rest.split_at_col(hi - lo);
        parts.push((lo, part));
        rest = right;
        lo = hi;
    }
    crate::par::fork_each(parts, |(lo, part)| {
        let b = b.submatrix(0, lo, k, part.ncols());
        columns(small, alpha, a, b, beta, part)
    });
    None
}

/// [`try_gemm_short`]'s product on one thread: depth blocks of A copied to unit-stride
/// columns, each swept across C by [`COLS`] columns at a time.
fn columns<T: Scalar>(
    small: &Small<T>,
    alpha: T,
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    beta: T,
    mut c: MatMut<'_, T>,
) {
    let (m, n, k) = (c.nrows(), c.ncols(), a.ncols());
    let mut abuf = vec![T::zero(); m * DEPTH.min(k)];
    let mut p0 = 0;
    while p0 < k {
        let kc = DEPTH.min(k - p0);
        let mut ablk = MatMut::from_col_major(&mut abuf[..m * kc], m, kc).expect("A block");
        ablk.copy_from(a.submatrix(0, p0, m, kc));
        let beta_p = if p0 == 0 { beta } else { T::one() };
        let mut j0 = 0;
        while j0 < n {
            let nc = COLS.min(n - j0);
            run_kernel(
                small,
                alpha,
                ablk.as_ref(),
                b.submatrix(p0, j0, kc, nc),
                beta_p,
                c.rb().submatrix(0, j0, m, nc),
            );
            j0 += nc;
        }
        p0 += kc;
    }
}
