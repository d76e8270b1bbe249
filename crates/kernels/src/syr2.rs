//! Symmetric rank-2 update of one triangle: `A ← A + α·(x·yᵀ + y·xᵀ)`.
//!
//! The update is symmetric, so one triangle holds all of it. Along `A`'s unit stride each line
//! of the triangle (a column from the diagonal down for column-major `Lower`) takes two
//! ISA-dispatched `axpy`s on contiguous slices; the vectors are copied to contiguous scratch
//! once when strided. The unblocked tridiagonal reduction of `eigh` calls this once per column
//! where it used to make two view-level `axpy` calls per column of the trailing matrix.

use crate::blas1::{forwards, kern, vec_ref};
use crate::{KernelError, MatMut, MatRef, Scalar, Uplo};

/// `A ← A + α·(x·yᵀ + y·xᵀ)` on the triangle `uplo` of the `n × n` matrix `a` (BLAS `syr2`);
/// the other triangle is neither read nor written.
///
/// `x` and `y` are vectors of length `n` (`n × 1` or `1 × n` views, any stride); `a` may have
/// any strides. `α = 0` leaves `A` unchanged.
///
/// Errors with [`KernelError::Shape`] naming all three shapes when `a` is not square or a
/// vector's length is not `n`.
///
/// ```
/// use lapis_kernels::{syr2, MatMut, MatRef, Uplo};
/// // numpy: a += np.tril(np.outer(x, y) + np.outer(y, x))
/// let (x, y) = ([1.0, 2.0], [3.0, 4.0]);
/// let mut a = [0.0, 0.0, -1.0, 0.0]; // column-major; the -1 above the diagonal is kept
/// syr2(
///     Uplo::Lower,
///     1.0,
///     MatRef::from_col_major(&x, 2, 1).unwrap(),
///     MatRef::from_col_major(&y, 2, 1).unwrap(),
///     MatMut::from_col_major(&mut a, 2, 2).unwrap(),
/// )
/// .unwrap();
/// assert_eq!(a, [6.0, 10.0, -1.0, 16.0]);
/// ```
pub fn syr2<T: Scalar>(
    uplo: Uplo,
    alpha: T,
    x: MatRef<'_, T>,
    y: MatRef<'_, T>,
    a: MatMut<'_, T>,
) -> Result<(), KernelError> {
    let n = a.nrows();
    let err = || KernelError::Shape {
        op: "syr2",
        shapes: vec![("x", x.shape()), ("y", y.shape()), ("a", a.shape())],
    };
    let (Some((px, nx, sx)), Some((py, ny, sy))) = (vec_ref(&x), vec_ref(&y)) else {
        return Err(err());
    };
    if a.ncols() != n || nx != n || ny != n {
        return Err(err());
    }
    if n == 0 || alpha == T::zero() {
        return Ok(());
    }
    let (mut xbuf, mut ybuf) = (Vec::new(), Vec::new());
    // SAFETY: (px, n, sx) and (py, n, sy) describe the vectors x and y.
    let (xs, ys) = unsafe {
        (
            forwards(px, n, sx, &mut xbuf),
            forwards(py, n, sy, &mut ybuf),
        )
    };
    // The lower triangle of A is the upper triangle of Aᵀ and the update is the same for Aᵀ,
    // so a row-major A is updated as its column-major transpose with the other triangle.
    let lower = matches!(uplo, Uplo::Lower);
    let (mut a, lower) = if a.row_stride() != 1 && a.col_stride() == 1 {
        (a.transpose(), !lower)
    } else {
        (a, lower)
    };
    if a.row_stride() != 1 {
        for j in 0..n {
            let (cx, cy) = (alpha * ys[j], alpha * xs[j]);
            let rows = if lower { j..n } else { 0..j + 1 };
            for i in rows {
                // SAFETY: i, j < n: inside A.
                unsafe { *a.get_unchecked_mut(i, j) += cx * xs[i] + cy * ys[i] };
            }
        }
        return Ok(());
    }
    for j in 0..n {
        let (lo, hi) = if lower { (j, n) } else { (0, j + 1) };
        // SAFETY: A has unit row stride, so rows lo..hi of column j are hi − lo consecutive,
        // unique elements of the view.
        let col = unsafe { core::slice::from_raw_parts_mut(a.ptr_at_mut(lo, j), hi - lo) };
        kern::axpy(alpha * ys[j], &xs[lo..hi], col);
        kern::axpy(alpha * xs[j], &ys[lo..hi], col);
    }
    Ok(())
}
