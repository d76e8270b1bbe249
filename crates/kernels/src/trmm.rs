//! Triangular matrix multiply: `B ← α·op(T)·B` or `B ← α·B·op(T)`, in place.
//!
//! The same recursion as [`trsm`](crate::trsm()): halve the triangle, multiply the diagonal
//! halves recursively and add the off-diagonal contribution with one GEMM, ordered so that
//! every block of `B` is read before it is overwritten. Blocks of at most `NB` rows are
//! multiplied on a row-major copy with the ISA-dispatched `axpy`.

use crate::blas1::kern;
use crate::gemm::gemm_unchecked_shapes;
use crate::trsm::{Diag, NB, Side, Uplo, check_tri_shapes, gather, scatter, split_point, to_left};
use crate::{KernelError, MatMut, MatRef, Par, Scalar};

/// Columns of `B` per sweep of the small-block multiply.
const CHUNK: usize = 256;

/// `B ← α·T·B` (`Side::Left`) or `B ← α·B·T` (`Side::Right`), `T` triangular.
///
/// Conventions as [`trsm`](crate::trsm()): `t` square, only triangle `uplo` read, with
/// `Diag::Unit` the diagonal is taken as ones and not read; multiply by `Tᵀ` by passing
/// `t.transpose()` and the opposite `uplo`. `α = 0` writes zeros without reading `B`.
///
/// Errors with [`KernelError::Shape`] when `t` is not square or does not match `b`.
///
/// ```
/// use lapis_kernels::{trmm, Diag, MatMut, MatRef, Par, Side, Uplo};
/// // numpy: b = np.triu(u) @ b
/// let u = [1.0, 2.0, 99.0, 3.0]; // [[1, 2], [99, 3]] row-major; 99 is ignored
/// let mut b = [1.0, 1.0]; // 2 × 1
/// trmm(
///     Side::Left,
///     Uplo::Upper,
///     Diag::NonUnit,
///     1.0,
///     MatRef::from_row_major(&u, 2, 2).unwrap(),
///     MatMut::from_col_major(&mut b, 2, 1).unwrap(),
///     Par::Seq,
/// )
/// .unwrap();
/// assert_eq!(b, [3.0, 3.0]);
/// ```
pub fn trmm<T: Scalar>(
    side: Side,
    uplo: Uplo,
    diag: Diag,
    alpha: T,
    t: MatRef<'_, T>,
    b: MatMut<'_, T>,
    par: Par,
) -> Result<(), KernelError> {
    check_tri_shapes("trmm", side, t, &b)?;
    let (t, uplo, mut b) = to_left(side, uplo, t, b);
    if b.is_empty() {
        return Ok(());
    }
    crate::gemm::scale(alpha, b.rb());
    if alpha == T::zero() {
        return Ok(());
    }
    let mut work = Vec::new();
    mul_left(uplo, diag, t, b, par, &mut work);
    Ok(())
}

/// `B ← T·B`, `T` triangular `n × n`, `B` `n × m`.
fn mul_left<T: Scalar>(
    uplo: Uplo,
    diag: Diag,
    t: MatRef<'_, T>,
    b: MatMut<'_, T>,
    par: Par,
    work: &mut Vec<T>,
) {
    let n = t.nrows();
    if n <= NB {
        small_mul(uplo, diag, t, b, work);
        return;
    }
    let n1 = split_point(n);
    let t11 = t.submatrix(0, 0, n1, n1);
    let t22 = t.submatrix(n1, n1, n - n1, n - n1);
    let (mut b1, mut b2) = b.split_at_row(n1);
    match uplo {
        Uplo::Lower => {
            // [B1; B2] ← [T11·B1; T21·B1 + T22·B2]: B2 first, while B1 is still the input.
            mul_left(uplo, diag, t22, b2.rb(), par, work);
            let t21 = t.submatrix(n1, 0, n - n1, n1);
            gemm_unchecked_shapes(T::one(), t21, b1.as_ref(), T::one(), b2, par);
            mul_left(uplo, diag, t11, b1, par, work);
        }
        Uplo::Upper => {
            // [B1; B2] ← [T11·B1 + T12·B2; T22·B2]: B1 first, while B2 is still the input.
            mul_left(uplo, diag, t11, b1.rb(), par, work);
            let t12 = t.submatrix(0, n1, n1, n - n1);
            gemm_unchecked_shapes(T::one(), t12, b2.as_ref(), T::one(), b1, par);
            mul_left(uplo, diag, t22, b2, par, work);
        }
    }
}

/// `B ← T·B` for `n ≤ NB` on row-major chunks of `B`: row `i` of the result is
/// `t_ii·b_i + Σ_k t_ik·b_k` over the triangle, computed in the order that keeps every
/// needed input row intact.
fn small_mul<T: Scalar>(
    uplo: Uplo,
    diag: Diag,
    t: MatRef<'_, T>,
    mut b: MatMut<'_, T>,
    work: &mut Vec<T>,
) {
    let (n, m) = (b.nrows(), b.ncols());
    let w_max = m.min(CHUNK);
    if work.len() < n * w_max {
        work.resize(n * w_max, T::zero());
    }
    for c0 in (0..m).step_by(CHUNK) {
        let w = CHUNK.min(m - c0);
        let buf = &mut work[..n * w];
        gather(&b, c0, w, buf);
        let scale_diag = |i: usize, row: &mut [T]| {
            if diag == Diag::NonUnit {
                // SAFETY: i < n.
                let d = unsafe { t.get_unchecked(i, i) };
                row.iter_mut().for_each(|x| *x *= d);
            }
        };
        match uplo {
            Uplo::Lower => {
                // Rows below i are already final; rows above i are still inputs.
                for i in (0..n).rev() {
                    let (inputs, rest) = buf.split_at_mut(i * w);
                    let row = &mut rest[..w];
                    scale_diag(i, row);
                    for k in 0..i {
                        // SAFETY: i, k < n.
                        let tik = unsafe { t.get_unchecked(i, k) };
                        kern::axpy(tik, &inputs[k * w..(k + 1) * w], row);
                    }
                }
            }
            Uplo::Upper => {
                for i in 0..n {
                    let (head, inputs) = buf.split_at_mut((i + 1) * w);
                    let row = &mut head[i * w..];
                    scale_diag(i, row);
                    for k in i + 1..n {
                        // SAFETY: i, k < n.
                        let tik = unsafe { t.get_unchecked(i, k) };
                        let off = (k - i - 1) * w;
                        kern::axpy(tik, &inputs[off..off + w], row);
                    }
                }
            }
        }
        scatter(&mut b, c0, w, buf);
    }
}
