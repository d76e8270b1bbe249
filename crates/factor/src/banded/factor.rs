//! Banded `A = P₀·L₀ ⋯ P_{n−2}·L_{n−2}·U` in place in the factor layout (LAPACK `gbtrf`,
//! unblocked `gbtf2` form): one column at a time, the pivot searched, rows swapped and the
//! rank-1 update applied only inside the band.

use lapis_kernels::{MatMut, Scalar, axpy, iamax, scal};

use super::{band_finite, factor_rows};
use crate::FactorError;
use crate::lu::LuStatus;

/// Factors the `n × n` band matrix held in the factor layout `ab` (`(2·kl + ku + 1) × n`,
/// `ab[kl + ku + i − j, j] = a[i, j]`, any strides) with partial pivoting, in place.
///
/// The top `kl` rows are workspace for the fill-in and need not be set on entry (they are
/// zeroed). On return rows `0 ..= kl + ku` hold `U` and the rows below the multipliers of `L`
/// (see the [module docs](super) for the picture), and `ipiv[j]` (0-based, `j ≤ ipiv[j] ≤
/// min(j + kl, n − 1)`) is the row exchanged with row `j` at step `j`. As in LAPACK a zero
/// pivot does not stop the factorization; the first one is reported in [`LuStatus`]
/// (see [`LuStatus::check`]) and [`solve`](super::solve) refuses to divide by it.
///
/// Errors (leaving `ab` untouched): [`FactorError::Shape`] naming the shapes when `ab` does
/// not have `2·kl + ku + 1` rows or `ipiv.len() != n`; [`FactorError::NonFinite`] when an
/// entry of the band inside the matrix is NaN or infinite.
///
/// ```
/// use lapis_factor::banded;
/// use lapis_factor::kernels::MatMut;
/// // scipy: lapack.dgbtrf(ab, kl=1, ku=0) for a = [[1, 0], [3, 2]] (lower bidiagonal)
/// // factor layout, 3 × 2: fill row, diagonal, subdiagonal
/// let mut ab = [0.0f64, 1.0, 3.0, 0.0, 2.0, 0.0]; // column-major
/// let mut ipiv = [0; 2];
/// let s = banded::factor(MatMut::from_col_major(&mut ab, 3, 2).unwrap(), 1, 0, &mut ipiv).unwrap();
/// assert!(!s.is_singular());
/// assert_eq!(ipiv, [1, 1]); // |3| > |1|: rows 0 and 1 exchanged
/// // U = [[3, 2], [0, -2/3]] (u01 in row 0 of column 1), multiplier 1/3 below the pivot 3
/// assert_eq!(ab[..4], [0.0, 3.0, 1.0 / 3.0, 2.0]);
/// assert!((ab[4] + 2.0 / 3.0).abs() < 1e-15);
/// ```
pub fn factor<T: Scalar>(
    ab: MatMut<'_, T>,
    kl: usize,
    ku: usize,
    ipiv: &mut [usize],
) -> Result<LuStatus, FactorError> {
    let ldab = factor_rows(kl, ku)?;
    let n = ab.ncols();
    if ab.nrows() != ldab || ipiv.len() != n {
        return Err(FactorError::Shape {
            op: "banded::factor",
            shapes: vec![
                ("ab", ab.shape()),
                ("expected ab", (ldab, n)),
                ("ipiv", (ipiv.len(), 1)),
            ],
        });
    }
    if !band_finite(ab.as_ref(), kl, kl, ku) {
        return Err(FactorError::NonFinite);
    }
    factor_unchecked(ab, kl, ku, ipiv)
}

/// The factorization once the operands are known to be consistent and finite.
///
/// Step `j`: the pivot is the largest of `a[j ..= j + km, j]` (`km = min(kl, n − 1 − j)`, a
/// contiguous piece of storage column `j`); rows `j` and `j + jp` are exchanged in columns
/// `j ..= ju`, where `ju` is the last column any row of the active window can reach (a running
/// maximum of `pivot row + ku`, never beyond `j + kl + ku`); the multipliers are scaled by the
/// pivot; and each column `c` in `j + 1 ..= ju` gets `a[j+1 ..= j+km, c] −= a[j, c]·m`, again a
/// contiguous piece of storage column `c` (rows `kv + j + 1 − c ..`).
pub(super) fn factor_unchecked<T: Scalar>(
    mut ab: MatMut<'_, T>,
    kl: usize,
    ku: usize,
    ipiv: &mut [usize],
) -> Result<LuStatus, FactorError> {
    let n = ab.ncols();
    let kv = kl + ku;
    // The fill-in rows start as the structural zeros they are.
    ab.rb().submatrix(0, 0, kl, n).fill(T::zero());
    let mut ju = 0;
    let mut first = None;
    for j in 0..n {
        let km = kl.min(n - 1 - j);
        let jp = iamax(ab.as_ref().submatrix(kv, j, km + 1, 1)).unwrap_or(0);
        ipiv[j] = j + jp;
        let pivot = ab.get(kv + jp, j);
        if pivot == T::zero() {
            // The whole column below the diagonal is zero already: nothing to eliminate.
            first = first.or(Some(j));
            continue;
        }
        ju = ju.max((j + ku + jp).min(n - 1));
        if jp != 0 {
            for c in j..=ju {
                let r = kv + j - c;
                let (x, y) = (ab.get(r, c), ab.get(r + jp, c));
                ab.write(r, c, y);
                ab.write(r + jp, c, x);
            }
        }
        if km == 0 {
            continue;
        }
        let mut mult = ab.rb().submatrix(kv + 1, j, km, 1);
        if pivot.abs() >= T::MIN_POSITIVE {
            scal(T::one() / pivot, mult);
        } else {
            // 1/pivot would overflow: divide instead.
            for i in 0..km {
                let x = mult.get(i, 0);
                mult.write(i, 0, x / pivot);
            }
        }
        let (left, mut right) = ab.rb().split_at_col(j + 1);
        let m = left.into_ref().submatrix(kv + 1, j, km, 1);
        for c in j + 1..=ju {
            let u = right.get(kv + j - c, c - j - 1);
            if u != T::zero() {
                let y = right.rb().submatrix(kv + j + 1 - c, c - j - 1, km, 1);
                axpy(-u, m, y)?;
            }
        }
    }
    Ok(LuStatus {
        first_zero_pivot: first,
    })
}
