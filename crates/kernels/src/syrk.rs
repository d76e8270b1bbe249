//! Symmetric rank-k update of one triangle: `C ← α·A·Aᵀ + β·C`.
//!
//! Recursive on the triangle: with `C = [C11 C12; C21 C22]` and `A = [A1; A2]`, the
//! off-diagonal block (`C21 ← α·A2·A1ᵀ + β·C21` for `Lower`) is one GEMM, and the two
//! diagonal blocks recurse. Diagonal blocks of at most [`NB`] rows are formed in full by GEMM
//! into a small buffer and only their triangle is merged into `C`, so every flop runs in the
//! packed GEMM (the waste, the other half of the small blocks, is `O(NB/n)` of the work).

use crate::gemm::gemm_unchecked_shapes;
use crate::trsm::{Uplo, split_point};
use crate::{KernelError, MatMut, MatRef, Par, Scalar};

/// Largest diagonal block formed whole in a buffer rather than split further.
const NB: usize = 32;

/// `C ← α·A·Aᵀ + β·C` on the triangle `uplo` of `C` only.
///
/// `a` is `n × k`, `c` is `n × n`. Elements of `C` outside triangle `uplo` are neither read nor
/// written. When `β = 0`, the triangle is overwritten without being read (NaN in `C` does not
/// propagate). For `C ← α·Aᵀ·A + β·C`, pass `a.transpose()`. `par` is passed to GEMM.
///
/// Errors with [`KernelError::Shape`] when `c` is not square or does not match `a`.
///
/// ```
/// use lapis_kernels::{syrk, MatMut, MatRef, Par, Uplo};
/// // numpy: c = np.tril(a @ a.T)
/// let a = [1.0, 2.0, 3.0, 4.0]; // [[1, 2], [3, 4]] row-major
/// let mut c = [-1.0; 4];
/// syrk(
///     Uplo::Lower,
///     1.0,
///     MatRef::from_row_major(&a, 2, 2).unwrap(),
///     0.0,
///     MatMut::from_row_major(&mut c, 2, 2).unwrap(),
///     Par::Seq,
/// )
/// .unwrap();
/// assert_eq!(c, [5.0, -1.0, 11.0, 25.0]); // the upper triangle is untouched
/// ```
pub fn syrk<T: Scalar>(
    uplo: Uplo,
    alpha: T,
    a: MatRef<'_, T>,
    beta: T,
    c: MatMut<'_, T>,
    par: Par,
) -> Result<(), KernelError> {
    if c.nrows() != c.ncols() || a.nrows() != c.nrows() {
        return Err(KernelError::Shape {
            op: "syrk",
            shapes: vec![("a", a.shape()), ("c", c.shape())],
        });
    }
    let mut work = Vec::new();
    syrk_rec(uplo, alpha, a, beta, c, par, &mut work);
    Ok(())
}

fn syrk_rec<T: Scalar>(
    uplo: Uplo,
    alpha: T,
    a: MatRef<'_, T>,
    beta: T,
    mut c: MatMut<'_, T>,
    par: Par,
    work: &mut Vec<T>,
) {
    let n = c.nrows();
    if n == 0 {
        return;
    }
    if n <= NB {
        diagonal_block(uplo, alpha, a, beta, c, par, work);
        return;
    }
    let n1 = split_point(n);
    let (a1, a2) = a.split_at_row(n1);
    let (top, bottom) = c.rb().split_at_row(n1);
    let (c11, c12) = top.split_at_col(n1);
    let (c21, c22) = bottom.split_at_col(n1);
    syrk_rec(uplo, alpha, a1, beta, c11, par, work);
    match uplo {
        Uplo::Lower => gemm_unchecked_shapes(alpha, a2, a1.transpose(), beta, c21, par),
        Uplo::Upper => gemm_unchecked_shapes(alpha, a1, a2.transpose(), beta, c12, par),
    }
    syrk_rec(uplo, alpha, a2, beta, c22, par, work);
}

/// A diagonal block of order `n ≤ NB`: the full `α·A·Aᵀ` by GEMM into `work`, then the
/// triangle merged into `C` with `β`.
fn diagonal_block<T: Scalar>(
    uplo: Uplo,
    alpha: T,
    a: MatRef<'_, T>,
    beta: T,
    mut c: MatMut<'_, T>,
    par: Par,
    work: &mut Vec<T>,
) {
    let n = c.nrows();
    if work.len() < n * n {
        work.resize(n * n, T::zero());
    }
    let buf = &mut work[..n * n];
    let full = a.ncols() > 0 && alpha != T::zero();
    if full {
        // `buf` holds exactly n·n elements, so the column-major view always fits.
        if let Ok(w) = MatMut::from_col_major(&mut *buf, n, n) {
            gemm_unchecked_shapes(alpha, a, a.transpose(), T::zero(), w, par);
        }
    }
    for j in 0..n {
        let (lo, hi) = match uplo {
            Uplo::Lower => (j, n),
            Uplo::Upper => (0, j + 1),
        };
        for i in lo..hi {
            let prod = if full { buf[i + j * n] } else { T::zero() };
            // SAFETY: i, j < n, the order of C.
            let cij = unsafe { c.get_unchecked_mut(i, j) };
            *cij = if beta == T::zero() {
                prod
            } else {
                prod + beta * *cij
            };
        }
    }
}
