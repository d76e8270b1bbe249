//! Tridiagonal `A·X = B` by Gaussian elimination with partial pivoting, factor and solve in
//! one sweep (LAPACK `gtsv`), on the three diagonals directly.
//!
//! At step `i` only rows `i` and `i + 1` are candidates for the pivot. Without an interchange
//! row `i + 1` loses `m = dl_i / d_i` times row `i`; with one (when `|dl_i| > |d_i|`) the rows
//! trade places first, and the new row `i` reaches two columns to the right (`du2_i`, the
//! second superdiagonal of `U`).

use lapis_kernels::{MatMut, Scalar};

use crate::FactorError;
use crate::util::all_finite;

/// Solves the tridiagonal system `A·X = B` in place in `b` (`n × nrhs`, any strides), where
/// `dl` (length `n − 1`) is the subdiagonal `a[i + 1, i]`, `d` (length `n`) the diagonal and
/// `du` (length `n − 1`) the superdiagonal `a[i, i + 1]` (for `n = 0` all three are empty).
///
/// Partial pivoting as in LAPACK `gtsv`: on return `d` holds the diagonal of `U`, `du` its
/// first superdiagonal and `dl[..n − 2]` its second (the fill-in of the interchanges); `b`
/// holds `X`. `Aᵀ·X = B` is the same call with `dl` and `du` exchanged. This is the fast path
/// [`solve_banded`](super::solve_banded) takes for `(l, u) = (1, 1)`; pivots, and hence the
/// index of the first zero pivot, are those of the general banded
/// [`factor`](super::factor).
///
/// Errors: [`FactorError::Shape`] naming the shapes when the lengths do not fit `d` and
/// `b.nrows()`; [`FactorError::NonFinite`] when an input holds NaN or an infinity (before
/// anything is written); [`FactorError::Singular`] with the 0-based index of the first zero
/// pivot, found during the sweep (the contents of `dl`, `d`, `du` and `b` are then
/// unspecified).
///
/// ```
/// use lapis_factor::banded;
/// use lapis_factor::kernels::MatMut;
/// // scipy: lapack.dgtsv(dl, d, du, b)  /  solve_banded((1, 1), ab, b)
/// // a = [[1, 2, 0], [4, 5, 6], [0, 7, 8]], b = a @ [1, 1, 1]
/// let (mut dl, mut d, mut du) = ([4.0f64, 7.0], [1.0, 5.0, 8.0], [2.0, 6.0]);
/// let mut b = [3.0, 15.0, 15.0];
/// banded::solve_tridiagonal(&mut dl, &mut d, &mut du, MatMut::from_col_major(&mut b, 3, 1).unwrap())
///     .unwrap();
/// assert!(b.iter().all(|x| (x - 1.0).abs() < 1e-14));
/// ```
pub fn solve_tridiagonal<T: Scalar>(
    dl: &mut [T],
    d: &mut [T],
    du: &mut [T],
    mut b: MatMut<'_, T>,
) -> Result<(), FactorError> {
    let n = d.len();
    let off = n.saturating_sub(1);
    if dl.len() != off || du.len() != off || b.nrows() != n {
        return Err(FactorError::Shape {
            op: "banded::solve_tridiagonal",
            shapes: vec![
                ("dl", (dl.len(), 1)),
                ("d", (n, 1)),
                ("du", (du.len(), 1)),
                ("b", b.shape()),
            ],
        });
    }
    let finite = |v: &[T]| v.iter().all(|x| x.is_finite());
    if !finite(dl) || !finite(d) || !finite(du) || !all_finite(b.as_ref()) {
        return Err(FactorError::NonFinite);
    }
    if n == 0 {
        return Ok(());
    }
    let nrhs = b.ncols();
    for i in 0..n - 1 {
        if d[i].abs() >= dl[i].abs() {
            // No interchange (ties keep the diagonal, as the general path's iamax does).
            if d[i] == T::zero() {
                // Both candidates are zero.
                return Err(FactorError::Singular { index: i });
            }
            let m = dl[i] / d[i];
            d[i + 1] -= m * du[i];
            for c in 0..nrhs {
                let x = b.get(i + 1, c) - m * b.get(i, c);
                b.write(i + 1, c, x);
            }
            if i + 2 < n {
                dl[i] = T::zero();
            }
        } else {
            // Rows i and i + 1 trade places: the new row i is [dl_i, d_{i+1}, du_{i+1}].
            let m = d[i] / dl[i];
            d[i] = dl[i];
            let t = d[i + 1];
            d[i + 1] = du[i] - m * t;
            if i + 2 < n {
                dl[i] = du[i + 1];
                du[i + 1] = -m * dl[i];
            }
            du[i] = t;
            for c in 0..nrhs {
                let (x, y) = (b.get(i, c), b.get(i + 1, c));
                b.write(i, c, y);
                b.write(i + 1, c, x - m * y);
            }
        }
    }
    if d[n - 1] == T::zero() {
        return Err(FactorError::Singular { index: n - 1 });
    }
    // Back substitution with U = diag(d) + superdiagonals du, dl (the fill-in).
    for c in 0..nrhs {
        let mut x1 = b.get(n - 1, c) / d[n - 1];
        b.write(n - 1, c, x1);
        if n > 1 {
            let mut x0 = (b.get(n - 2, c) - du[n - 2] * x1) / d[n - 2];
            b.write(n - 2, c, x0);
            for i in (0..n.saturating_sub(2)).rev() {
                let x = (b.get(i, c) - du[i] * x0 - dl[i] * x1) / d[i];
                b.write(i, c, x);
                x1 = x0;
                x0 = x;
            }
        }
    }
    Ok(())
}
