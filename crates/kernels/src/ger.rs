//! Rank-one update `A ← A + α·x·yᵀ`.
//!
//! Column-major `A` is updated column by column (`A[:, j] += (α·y_j)·x`), row-major `A` row by
//! row (`A[i, :] += (α·x_i)·y`), each an ISA-dispatched `axpy` on unit-stride data; the vector
//! read along the unit stride is copied to contiguous scratch when it is strided.

use crate::blas1::{forwards, kern, vec_ref};
use crate::{KernelError, MatMut, MatRef, Scalar};

/// `A ← A + α·x·yᵀ`.
///
/// `a` is `m × n`, `x` a vector of length `m`, `y` a vector of length `n` (vectors are `k × 1`
/// or `1 × k` views, any stride). `α = 0` leaves `A` unchanged.
///
/// Errors with [`KernelError::Shape`] naming all three shapes when `x` or `y` is not a vector
/// or the lengths do not match `a`.
///
/// ```
/// use lapis_kernels::{ger, MatMut, MatRef};
/// // numpy: a += np.outer(x, y)
/// let x = [1.0, 2.0];
/// let y = [3.0, 4.0];
/// let mut a = [0.0; 4];
/// ger(
///     1.0,
///     MatRef::from_col_major(&x, 2, 1).unwrap(),
///     MatRef::from_col_major(&y, 2, 1).unwrap(),
///     MatMut::from_row_major(&mut a, 2, 2).unwrap(),
/// )
/// .unwrap();
/// assert_eq!(a, [3.0, 4.0, 6.0, 8.0]);
/// ```
pub fn ger<T: Scalar>(
    alpha: T,
    x: MatRef<'_, T>,
    y: MatRef<'_, T>,
    mut a: MatMut<'_, T>,
) -> Result<(), KernelError> {
    let (m, n) = a.shape();
    let err = || KernelError::Shape {
        op: "ger",
        shapes: vec![("x", x.shape()), ("y", y.shape()), ("a", (m, n))],
    };
    let (Some((px, nx, sx)), Some((py, ny, sy))) = (vec_ref(&x), vec_ref(&y)) else {
        return Err(err());
    };
    if nx != m || ny != n {
        return Err(err());
    }
    if m == 0 || n == 0 || alpha == T::zero() {
        return Ok(());
    }
    let (rs, cs) = (a.row_stride(), a.col_stride());
    if rs == 1 || cs == 1 {
        // The vector along A's unit stride, contiguous and forwards.
        let col_major = rs == 1;
        let (pv, len, sv) = if col_major { (px, m, sx) } else { (py, n, sy) };
        let mut buf = Vec::new();
        // SAFETY: (pv, len, sv) describes the vector x or y.
        let v = unsafe { forwards(pv, len, sv, &mut buf) };
        let (lines, po, so) = if col_major { (n, py, sy) } else { (m, px, sx) };
        for l in 0..lines {
            // SAFETY: l < lines, inside the other vector; the line (column j or row i of A)
            // is `len` consecutive, unique elements of A.
            unsafe {
                let coef = alpha * *po.offset(l as isize * so);
                let p = if col_major {
                    a.ptr_at_mut(0, l)
                } else {
                    a.ptr_at_mut(l, 0)
                };
                kern::axpy(coef, v, core::slice::from_raw_parts_mut(p, len));
            }
        }
        return Ok(());
    }
    for j in 0..n {
        // SAFETY: j < n, inside y.
        let yj = alpha * unsafe { *py.offset(j as isize * sy) };
        for i in 0..m {
            // SAFETY: i < m, j < n: inside x and A.
            unsafe { *a.get_unchecked_mut(i, j) += yj * *px.offset(i as isize * sx) };
        }
    }
    Ok(())
}
