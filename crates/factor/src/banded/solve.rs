//! `A·X = B` and `Aᵀ·X = B` from the banded factorization (LAPACK `gbtrs`).
//!
//! With `A = P₀·L₀ ⋯ P_{n−2}·L_{n−2}·U`: `X = U⁻¹·L_{n−2}⁻¹·P_{n−2} ⋯ L₀⁻¹·P₀·B` (swap, then
//! subtract the multiples of row `j` from the `kl` rows below it, for `j = 0, 1, …`; then
//! back substitution with the band `U`), and since `Aᵀ = Uᵀ·L_{n−2}ᵀ·P_{n−2} ⋯ L₀ᵀ·P₀`,
//! `X = P₀·L₀⁻ᵀ ⋯ P_{n−2}·L_{n−2}⁻ᵀ·U⁻ᵀ·B` (forward substitution with `Uᵀ`, then for
//! `j = n − 2, …, 0` subtract the dot products with the multipliers and swap back).

use lapis_kernels::{MatMut, MatRef, Par, Scalar, gemv, ger};

use super::factor_rows;
use crate::FactorError;
use crate::util::{all_finite, swap_rows};

/// Solves `A·X = B` in place in `b` (`n × nrhs`, any strides) from the factorization `ab`,
/// `ipiv` of the band matrix `A` computed by [`factor`](super::factor) with the same `kl`,
/// `ku`.
///
/// Errors, before anything is written: [`FactorError::Singular`] with the 0-based index of
/// the first zero on `U`'s diagonal; [`FactorError::Shape`] naming the shapes when `ab` does
/// not have `2·kl + ku + 1` rows or `ipiv` / `b` do not have `n` entries / rows;
/// [`FactorError::InvalidPivot`] when `ipiv[j]` is not a row in `j ..= min(j + kl, n − 1)`;
/// [`FactorError::NonFinite`] when `b` holds NaN or an infinity.
///
/// ```
/// use lapis_factor::banded;
/// use lapis_factor::kernels::{MatMut, MatRef};
/// // scipy: lu = lapack.dgbtrf(ab, 1, 0); lapack.dgbtrs(lu, 1, 0, b, ipiv)
/// // a = [[1, 0], [3, 2]]; factor layout 3 × 2, column-major
/// let mut ab = [0.0f64, 1.0, 3.0, 0.0, 2.0, 0.0];
/// let mut ipiv = [0; 2];
/// banded::factor(MatMut::from_col_major(&mut ab, 3, 2).unwrap(), 1, 0, &mut ipiv).unwrap();
/// let mut b = [1.0, 7.0]; // a @ [1, 2]
/// let lu = MatRef::from_col_major(&ab, 3, 2).unwrap();
/// banded::solve(lu, 1, 0, &ipiv, MatMut::from_col_major(&mut b, 2, 1).unwrap()).unwrap();
/// assert!((b[0] - 1.0).abs() < 1e-15 && (b[1] - 2.0).abs() < 1e-15);
/// ```
pub fn solve<T: Scalar>(
    ab: MatRef<'_, T>,
    kl: usize,
    ku: usize,
    ipiv: &[usize],
    b: MatMut<'_, T>,
) -> Result<(), FactorError> {
    check_solve("banded::solve", ab, kl, ku, ipiv, &b)?;
    solve_unchecked(ab, kl, ku, ipiv, b, false)
}

/// Solves `Aᵀ·X = B` in place in `b` from the banded factorization of `A` (LAPACK `gbtrs`
/// with `trans = 'T'`). Errors as [`solve`].
///
/// ```
/// use lapis_factor::banded;
/// use lapis_factor::kernels::{MatMut, MatRef};
/// // scipy: lapack.dgbtrs(lu, 1, 0, b, ipiv, trans=1)
/// // a = [[1, 0], [3, 2]], aᵀ = [[1, 3], [0, 2]]
/// let mut ab = [0.0f64, 1.0, 3.0, 0.0, 2.0, 0.0];
/// let mut ipiv = [0; 2];
/// banded::factor(MatMut::from_col_major(&mut ab, 3, 2).unwrap(), 1, 0, &mut ipiv).unwrap();
/// let mut b = [7.0, 4.0]; // aᵀ @ [1, 2]
/// let lu = MatRef::from_col_major(&ab, 3, 2).unwrap();
/// banded::solve_transpose(lu, 1, 0, &ipiv, MatMut::from_col_major(&mut b, 2, 1).unwrap())
///     .unwrap();
/// assert!((b[0] - 1.0).abs() < 1e-15 && (b[1] - 2.0).abs() < 1e-15);
/// ```
pub fn solve_transpose<T: Scalar>(
    ab: MatRef<'_, T>,
    kl: usize,
    ku: usize,
    ipiv: &[usize],
    b: MatMut<'_, T>,
) -> Result<(), FactorError> {
    check_solve("banded::solve_transpose", ab, kl, ku, ipiv, &b)?;
    solve_unchecked(ab, kl, ku, ipiv, b, true)
}

fn check_solve<T: Scalar>(
    op: &'static str,
    ab: MatRef<'_, T>,
    kl: usize,
    ku: usize,
    ipiv: &[usize],
    b: &MatMut<'_, T>,
) -> Result<(), FactorError> {
    let ldab = factor_rows(kl, ku)?;
    let n = ab.ncols();
    if ab.nrows() != ldab || ipiv.len() != n || b.nrows() != n {
        return Err(FactorError::Shape {
            op,
            shapes: vec![
                ("ab", ab.shape()),
                ("expected ab", (ldab, n)),
                ("ipiv", (ipiv.len(), 1)),
                ("b", b.shape()),
            ],
        });
    }
    for (j, &p) in ipiv.iter().enumerate() {
        if p < j || p - j > kl || p >= n {
            return Err(FactorError::InvalidPivot {
                index: j,
                pivot: p,
                nrows: n,
            });
        }
    }
    if let Some(index) = (0..n).find(|&j| ab.get(kl + ku, j) == T::zero()) {
        return Err(FactorError::Singular { index });
    }
    if !all_finite(b.as_ref()) {
        return Err(FactorError::NonFinite);
    }
    Ok(())
}

/// The solve once the operands are known to be consistent (a zero on `U`'s diagonal gives
/// infinities or NaN; the callers that need a guarantee check first).
pub(super) fn solve_unchecked<T: Scalar>(
    ab: MatRef<'_, T>,
    kl: usize,
    ku: usize,
    ipiv: &[usize],
    mut b: MatMut<'_, T>,
    transpose: bool,
) -> Result<(), FactorError> {
    let n = ab.ncols();
    let nrhs = b.ncols();
    if n == 0 || nrhs == 0 {
        return Ok(());
    }
    let kv = kl + ku;
    let one = T::one();
    if !transpose {
        // L: swap, then b[j+1 ..= j+lm, :] −= m_j · b[j, :].
        for j in 0..n - 1 {
            swap_rows(&mut b, j, ipiv[j]);
            let lm = kl.min(n - 1 - j);
            if lm > 0 {
                let m = ab.submatrix(kv + 1, j, lm, 1);
                let (top, bottom) = b.rb().split_at_row(j + 1);
                let row = top.into_ref().submatrix(j, 0, 1, nrhs);
                ger(-one, m, row, bottom.submatrix(0, 0, lm, nrhs))?;
            }
        }
        // U: b[j, :] /= u_jj, then b[j−len .. j, :] −= u[j−len .. j, j] · b[j, :].
        for j in (0..n).rev() {
            divide_row(&mut b, j, ab.get(kv, j));
            let len = kv.min(j);
            if len > 0 {
                let u = ab.submatrix(kv - len, j, len, 1);
                let (top, bottom) = b.rb().split_at_row(j);
                let row = bottom.into_ref().submatrix(0, 0, 1, nrhs);
                ger(-one, u, row, top.submatrix(j - len, 0, len, nrhs))?;
            }
        }
    } else {
        // Uᵀ: b[j, :] −= u[j−len .. j, j]ᵀ · b[j−len .. j, :], then b[j, :] /= u_jj.
        for j in 0..n {
            let len = kv.min(j);
            if len > 0 {
                let u = ab.submatrix(kv - len, j, len, 1);
                let (top, bottom) = b.rb().split_at_row(j);
                let above = top.into_ref().submatrix(j - len, 0, len, nrhs);
                let row = bottom.submatrix(0, 0, 1, nrhs);
                gemv(-one, above.transpose(), u, one, row, Par::Seq)?;
            }
            divide_row(&mut b, j, ab.get(kv, j));
        }
        // Lᵀ: b[j, :] −= m_jᵀ · b[j+1 ..= j+lm, :], then undo the swap of step j.
        for j in (0..n - 1).rev() {
            let lm = kl.min(n - 1 - j);
            if lm > 0 {
                let m = ab.submatrix(kv + 1, j, lm, 1);
                let (top, bottom) = b.rb().split_at_row(j + 1);
                let below = bottom.into_ref().submatrix(0, 0, lm, nrhs);
                let row = top.submatrix(j, 0, 1, nrhs);
                gemv(-one, below.transpose(), m, one, row, Par::Seq)?;
            }
            swap_rows(&mut b, j, ipiv[j]);
        }
    }
    Ok(())
}

/// `b[j, :] /= d` (a division, not a multiplication by `1/d`, which could overflow).
fn divide_row<T: Scalar>(b: &mut MatMut<'_, T>, j: usize, d: T) {
    for c in 0..b.ncols() {
        let x = b.get(j, c);
        b.write(j, c, x / d);
    }
}
