//! Matrix–vector product `y ← α·A·x + β·y`.
//!
//! Two inner forms, chosen by A's layout so that A is always read along unit stride:
//! column-major A (unit row stride) takes the `axpy` form `y += (α·x_j)·A[:, j]` over row
//! blocks that keep `y` in L1; row-major A (unit column stride) takes the `dot` form
//! `y_i += α·A[i, :]·x`. Both run on the ISA-dispatched slice kernels. Vectors of other
//! strides are copied to contiguous scratch first; A of other layouts takes a portable loop.

use crate::blas1::{contiguous, kern, strided_dot, vec_mut, vec_ref};
use crate::{KernelError, MatMut, MatRef, Par, Scalar};

/// Rows per block of the `axpy` form (a block of `y` stays in L1 across all columns).
const ROW_BLOCK: usize = 1024;
/// Below this many multiply-adds, a parallel split costs more than it saves.
const PAR_MIN_WORK: usize = 1 << 18;

/// `y ← α·A·x + β·y`.
///
/// `a` is `m × n`; `x` is a vector of length `n` and `y` a vector of length `m`, where a vector
/// is an `n × 1` view or a `1 × n` view (e.g. `row.transpose()` or just a row), with any
/// stride. For `α·Aᵀ·x`, pass `a.transpose()`. When `β = 0`, `y` is overwritten without being
/// read. With `Par::Rayon`, large products are split by rows of `A`.
///
/// Errors with [`KernelError::Shape`] naming all three shapes when `x` or `y` is not a vector
/// or the lengths do not match `a`.
///
/// ```
/// use lapis_kernels::{gemv, MatMut, MatRef, Par};
/// // numpy: y = a @ x
/// let a = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]; // [[1, 2, 3], [4, 5, 6]] row-major
/// let x = [1.0, 0.0, -1.0];
/// let mut y = [0.0; 2];
/// gemv(
///     1.0,
///     MatRef::from_row_major(&a, 2, 3).unwrap(),
///     MatRef::from_col_major(&x, 3, 1).unwrap(),
///     0.0,
///     MatMut::from_col_major(&mut y, 2, 1).unwrap(),
///     Par::Seq,
/// )
/// .unwrap();
/// assert_eq!(y, [-2.0, -2.0]);
/// ```
pub fn gemv<T: Scalar>(
    alpha: T,
    a: MatRef<'_, T>,
    x: MatRef<'_, T>,
    beta: T,
    mut y: MatMut<'_, T>,
    par: Par,
) -> Result<(), KernelError> {
    let (m, n) = a.shape();
    let ys = y.shape();
    let (Some((px, nx, sx)), Some((py, ny, sy))) = (vec_ref(&x), vec_mut(&mut y)) else {
        return Err(shape_error(a, x, ys));
    };
    if nx != n || ny != m {
        return Err(shape_error(a, x, ys));
    }
    if m == 0 {
        return Ok(());
    }
    // y ← β·y (β = 0 writes zeros, β = 1 leaves y alone).
    crate::gemm::scale(beta, y.rb());
    if n == 0 || alpha == T::zero() {
        return Ok(());
    }
    // Contiguous x: borrowed when unit-stride (forwards), copied otherwise.
    let xbuf: Vec<T>;
    // SAFETY: (px, n, sx) describes the view x.
    let xs: &[T] = match unsafe { contiguous(px, n, sx) } {
        Some((s, false)) => s,
        _ => {
            // SAFETY: i < n, inside the vector x.
            xbuf = (0..n as isize)
                .map(|i| unsafe { *px.offset(i * sx) })
                .collect();
            &xbuf
        }
    };
    if sy == 1 || m == 1 {
        // SAFETY: y is a unit-stride vector of m unique elements, borrowed from `y`.
        let ys = unsafe { core::slice::from_raw_parts_mut(py, m) };
        gemv_contig(alpha, a, xs, ys, par);
    } else {
        let mut tmp = vec![T::zero(); m];
        gemv_contig(T::one(), a, xs, &mut tmp, par);
        for (i, &v) in tmp.iter().enumerate() {
            // SAFETY: i < m, inside the vector y.
            unsafe { *py.offset(i as isize * sy) += alpha * v };
        }
    }
    Ok(())
}

fn shape_error<T>(a: MatRef<'_, T>, x: MatRef<'_, T>, y: (usize, usize)) -> KernelError {
    KernelError::Shape {
        op: "gemv",
        shapes: vec![("a", a.shape()), ("x", x.shape()), ("y", y)],
    }
}

/// `y += α·A·x` with contiguous `x` (length n) and `y` (length m); splits rows across rayon
/// tasks when allowed and worth it.
fn gemv_contig<T: Scalar>(alpha: T, a: MatRef<'_, T>, x: &[T], y: &mut [T], par: Par) {
    let (m, n) = a.shape();
    let tasks = par
        .degree()
        .min(m.saturating_mul(n) / PAR_MIN_WORK)
        .min(m / 64)
        .max(1);
    if tasks <= 1 {
        gemv_seq(alpha, a, x, y);
        return;
    }
    let rows = m.div_ceil(tasks).next_multiple_of(16);
    rayon::scope(|s| {
        for (t, yc) in y.chunks_mut(rows).enumerate() {
            let a_rows = a.submatrix(t * rows, 0, yc.len(), n);
            s.spawn(move |_| gemv_seq(alpha, a_rows, x, yc));
        }
    });
}

/// Sequential `y += α·A·x`, contiguous `x` and `y`.
fn gemv_seq<T: Scalar>(alpha: T, a: MatRef<'_, T>, x: &[T], y: &mut [T]) {
    let (m, n) = a.shape();
    let (rs, cs) = (a.row_stride(), a.col_stride());
    if m == 0 || n == 0 {
        return;
    }
    if rs == 1 || m == 1 {
        // axpy form down unit-stride columns, in row blocks.
        for i0 in (0..m).step_by(ROW_BLOCK) {
            let mb = ROW_BLOCK.min(m - i0);
            let yb = &mut y[i0..i0 + mb];
            for (j, &xj) in x.iter().enumerate() {
                // SAFETY: column j, rows i0..i0+mb of A are mb consecutive elements.
                let col = unsafe { core::slice::from_raw_parts(a.ptr_at(i0, j), mb) };
                kern::axpy(alpha * xj, col, yb);
            }
        }
    } else if cs == 1 || n == 1 {
        // dot form along unit-stride rows.
        for (i, yi) in y.iter_mut().enumerate() {
            // SAFETY: row i of A is n consecutive elements.
            let row = unsafe { core::slice::from_raw_parts(a.ptr_at(i, 0), n) };
            *yi += alpha * kern::dot(row, x);
        }
    } else {
        // Any other layout: strided dot products.
        for (i, yi) in y.iter_mut().enumerate() {
            // SAFETY: row i of A has n elements at stride cs; x has n elements.
            *yi += alpha * unsafe { strided_dot(a.ptr_at(i, 0), cs, x.as_ptr(), 1, n) };
        }
    }
}
