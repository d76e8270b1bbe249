//! General matrix multiply: `C ← α·A·B + β·C` on strided views, dispatched per ISA.
//!
//! `op(A)` is a view: pass `a.transpose()` for `Aᵀ`. The call is routed by shape: empty and
//! `k = 0` products only scale C; `m = 1` or `n = 1` go to GEMV; small and medium products
//! take the unpacked or stack-packed small paths; everything
//! else runs the blocked, packed loop nest (threaded when `Par` allows and the work pays).

pub mod kernel;
pub mod pack;
pub mod params;

pub(crate) mod driver;
mod short;
mod small;

use crate::{KernelError, MatMut, MatRef, Par, Scalar, arch};

/// `C ← α·A·B + β·C`.
///
/// `a` is `m × k`, `b` is `k × n`, `c` is `m × n`, each with any strides. When `β = 0`, C is
/// overwritten without being read (NaN or Inf in C does not propagate), as in BLAS.
///
/// ```
/// use lapis_kernels::{gemm, MatMut, MatRef, Par};
/// // numpy: c = a @ b
/// let a = [1.0, 2.0, 3.0, 4.0]; // [[1, 2], [3, 4]] row-major
/// let b = [5.0, 6.0, 7.0, 8.0];
/// let mut c = [0.0; 4];
/// gemm(
///     1.0,
///     MatRef::from_row_major(&a, 2, 2).unwrap(),
///     MatRef::from_row_major(&b, 2, 2).unwrap(),
///     0.0,
///     MatMut::from_row_major(&mut c, 2, 2).unwrap(),
///     Par::Seq,
/// )
/// .unwrap();
/// assert_eq!(c, [19.0, 22.0, 43.0, 50.0]);
/// ```
pub fn gemm<T: Scalar>(
    alpha: T,
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    beta: T,
    c: MatMut<'_, T>,
    par: Par,
) -> Result<(), KernelError> {
    if a.ncols() != b.nrows() || a.nrows() != c.nrows() || b.ncols() != c.ncols() {
        return Err(KernelError::Shape {
            op: "gemm",
            shapes: vec![("a", a.shape()), ("b", b.shape()), ("c", c.shape())],
        });
    }
    gemm_unchecked_shapes(alpha, a, b, beta, c, par);
    Ok(())
}

/// `C ← β·C`, with `β = 0` writing zeros (not `0·C`, which would keep NaN).
pub(crate) fn scale<T: Scalar>(beta: T, mut c: MatMut<'_, T>) {
    if beta == T::one() {
        return;
    }
    for j in 0..c.ncols() {
        for i in 0..c.nrows() {
            // SAFETY: i < nrows, j < ncols.
            let x = unsafe { c.get_unchecked_mut(i, j) };
            *x = if beta == T::zero() {
                T::zero()
            } else {
                beta * *x
            };
        }
    }
}

/// [`gemm`] once the shapes are known to agree.
pub(crate) fn gemm_unchecked_shapes<T: Scalar>(
    alpha: T,
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    beta: T,
    c: MatMut<'_, T>,
    par: Par,
) {
    let (m, n, k) = (c.nrows(), c.ncols(), a.ncols());
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 || alpha == T::zero() {
        scale(beta, c);
        return;
    }
    // The microkernels store fastest down unit-stride columns of C: when C is row-major,
    // compute Cᵀ = Bᵀ·Aᵀ instead. Two inlined copies of the rest, not a recursive call (which
    // cost a stack of 4 × 4 row-major products a fifth of their time) nor one copy on
    // selected views (which cost a 4 × 4 column-major product 5 of its 17 ns).
    if c.col_stride().unsigned_abs() == 1 && c.row_stride().unsigned_abs() != 1 {
        gemm_nonempty(
            alpha,
            b.transpose(),
            a.transpose(),
            beta,
            c.transpose(),
            par,
        );
    } else {
        gemm_nonempty(alpha, a, b, beta, c, par);
    }
}

/// [`gemm_unchecked_shapes`] for `m, n, k ≥ 1` and `α ≠ 0`.
#[inline(always)]
fn gemm_nonempty<T: Scalar>(
    alpha: T,
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    beta: T,
    c: MatMut<'_, T>,
    par: Par,
) {
    let (m, n, k) = (c.nrows(), c.ncols(), a.ncols());
    // Matrix–vector products stream A once; packing would only add traffic.
    if n == 1 {
        crate::gemv::gemv(alpha, a, b, beta, c, par).expect("gemv shapes follow from gemm's");
        return;
    }
    if m == 1 {
        crate::gemv::gemv(
            alpha,
            b.transpose(),
            a.transpose(),
            beta,
            c.transpose(),
            par,
        )
        .expect("gemv shapes follow from gemm's");
        return;
    }
    let table = T::gemm_table(arch());
    let Some(c) = small::try_gemm_unpacked(table, alpha, a, b, beta, c) else {
        return;
    };
    let Some(c) = short::try_gemm_short(table, alpha, a, b, beta, c, par) else {
        return;
    };
    if m <= small::SMALL && n <= small::SMALL && k <= small::SMALL {
        small::gemm_small(table, alpha, a, b, beta, c);
    } else {
        driver::gemm_blocked(table, alpha, a, b, beta, c, par);
    }
}

#[cfg(test)]
mod tests {
    use super::kernel::scalar;
    use super::*;
    use crate::reference;

    /// A `rows × cols` view with strides `(rs, cs)` inside a buffer of sentinels, so that a
    /// write outside the view is seen.
    fn embedded(rows: usize, cols: usize, rs: isize, cs: isize) -> (Vec<f64>, usize) {
        let span = (rows as isize - 1).max(0) * rs.abs() + (cols as isize - 1).max(0) * cs.abs();
        let off = 3
            + if rs < 0 { (rows as isize - 1) * -rs } else { 0 }
            + if cs < 0 { (cols as isize - 1) * -cs } else { 0 };
        let data = (0..span as usize + 7)
            .map(|i| (i % 7) as f64 - 3.0)
            .collect();
        (data, off as usize)
    }

    /// Small enough for Miri (`cargo +nightly miri test -p lapis-kernels --lib`): the scalar
    /// kernel through the packed small path and the blocked driver, on strided and reversed
    /// views, checked against the reference, with the memory around C left untouched.
    #[test]
    fn scalar_paths_stay_inside_their_views() {
        for (m, n, k, rs_c, cs_c) in [(5, 3, 4, 1, 9), (7, 6, 3, -8, 1), (37, 9, 40, 2, 80)] {
            let (a, oa) = embedded(m, k, -1, m as isize + 2);
            let (b, ob) = embedded(k, n, n as isize, 1);
            let (c, oc) = embedded(m, n, rs_c, cs_c);
            let av = MatRef::from_slice_with_offset(&a, oa, m, k, -1, m as isize + 2).unwrap();
            let bv = MatRef::from_slice_with_offset(&b, ob, k, n, n as isize, 1).unwrap();
            let mut got = c.clone();
            let mut want = c.clone();
            let gv = MatMut::from_slice_with_offset(&mut got, oc, m, n, rs_c, cs_c).unwrap();
            if m <= small::SMALL && n <= small::SMALL && k <= small::SMALL {
                small::gemm_small(&scalar::F64, 0.5, av, bv, 2.0, gv);
            } else {
                driver::gemm_blocked(&scalar::F64, 0.5, av, bv, 2.0, gv, Par::Seq);
            }
            let wv = MatMut::from_slice_with_offset(&mut want, oc, m, n, rs_c, cs_c).unwrap();
            reference::gemm(0.5, av, bv, 2.0, wv);
            // Small integers times 0.5 and 2: every product and sum is exact in f64.
            assert_eq!(got, want, "m={m} n={n} k={k} C strides ({rs_c}, {cs_c})");
        }
    }
}
