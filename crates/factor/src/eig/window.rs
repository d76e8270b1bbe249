//! Applying a small orthogonal factor `U` (of a window `w..w+k` of the Hessenberg matrix) to the
//! parts of `H` and `Z` outside the window, by GEMM: `H[rows, w..w+k] ← H[rows, w..w+k]·U`,
//! `H[w..w+k, cols] ← Uᵀ·H[w..w+k, cols]`, and `Z[rows, w..w+k] ← Z[rows, w..w+k]·U`.
//!
//! Callers make one call per region that depends on the mode (the active block, then what lies
//! outside it when the whole Schur form is wanted), so that the products touching the active
//! block have the same shapes, hence the same rounding, with and without `T`.

use std::ops::Range;

use lapis_kernels::{MatMut, MatRef, Par, Scalar, gemm};

use crate::FactorError;

/// `X[rows, w..w+k] ← X[rows, w..w+k]·U` for the column-major `x` with leading dimension `ld`
/// and the column-major `k × k` `u`.
pub(crate) fn times_u<T: Scalar>(
    x: &mut [T],
    ld: usize,
    rows: Range<usize>,
    w: usize,
    u: &[T],
    k: usize,
    par: Par,
) -> Result<(), FactorError> {
    let m = rows.len();
    if m == 0 || k == 0 {
        return Ok(());
    }
    let ncols = x.len() / ld;
    let xm = MatMut::from_col_major(x, ld, ncols).expect("column-major matrix");
    let mut tmp = vec![T::zero(); m * k];
    let mut tm = MatMut::from_col_major(&mut tmp, m, k).expect("workspace");
    gemm(
        T::one(),
        xm.as_ref().submatrix(rows.start, w, m, k),
        MatRef::from_col_major(u, k, k).expect("k × k"),
        T::zero(),
        tm.rb(),
        par,
    )?;
    xm.submatrix(rows.start, w, m, k).copy_from(tm.as_ref());
    Ok(())
}

/// `X[w..w+k, cols] ← Uᵀ·X[w..w+k, cols]` for the column-major `x` with leading dimension `ld`
/// and the column-major `k × k` `u`.
pub(crate) fn ut_times<T: Scalar>(
    x: &mut [T],
    ld: usize,
    w: usize,
    cols: Range<usize>,
    u: &[T],
    k: usize,
    par: Par,
) -> Result<(), FactorError> {
    let c = cols.len();
    if c == 0 || k == 0 {
        return Ok(());
    }
    let ncols = x.len() / ld;
    let xm = MatMut::from_col_major(x, ld, ncols).expect("column-major matrix");
    let mut tmp = vec![T::zero(); k * c];
    let mut tm = MatMut::from_col_major(&mut tmp, k, c).expect("workspace");
    gemm(
        T::one(),
        MatRef::from_col_major(u, k, k).expect("k × k").transpose(),
        xm.as_ref().submatrix(w, cols.start, k, c),
        T::zero(),
        tm.rb(),
        par,
    )?;
    xm.submatrix(w, cols.start, k, c).copy_from(tm.as_ref());
    Ok(())
}
