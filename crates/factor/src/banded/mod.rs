//! Banded LU with partial pivoting (LAPACK `gbtrf`/`gbtrs`, scipy's `solve_banded`), and a
//! tridiagonal fast path (`gtsv`).
//!
//! A square `n × n` matrix `A` with `kl` subdiagonals and `ku` superdiagonals
//! (`a[i, j] = 0` unless `j − ku ≤ i ≤ j + kl`) is factored as
//! `A = P₀·L₀·P₁·L₁ ⋯ P_{n−2}·L_{n−2}·U`: at step `j` rows `j` and `ipiv[j]` (`j ≤ ipiv[j] ≤
//! j + kl`) are exchanged and `L_j` (unit lower, multipliers `|m| ≤ 1` in rows
//! `j + 1 ..= j + kl` of column `j`) eliminates below the pivot. The interchanges let a row
//! reach `kl` columns further right than it started, so `U` is upper banded with
//! `kl + ku` superdiagonals. Work and storage are `O(n·kl·(kl + ku))` and `O(n·(2·kl + ku))`.
//!
//! # Storage
//!
//! scipy's `ab` (the input of [`solve_banded`] and [`copy_from_scipy`]) has `kl + ku + 1`
//! rows: `ab[ku + i − j, j] = a[i, j]`, one diagonal per row, each column of `A` in its
//! column. The *factor layout* (the input of [`factor`], LAPACK's `AB` with
//! `LDAB = 2·kl + ku + 1`) is the same with `kl` extra rows on top for the fill-in:
//! `ab[kl + ku + i − j, j] = a[i, j]`. For `n = 6`, `kl = 2`, `ku = 1`
//! (`·`: never read, `+`: fill-in, zeroed by [`factor`]):
//!
//! ```text
//!   scipy ab (4 × 6)                      factor layout (6 × 6)
//!                                         row 0   ·   ·   ·   +   +   +   ← U super 3
//!                                         row 1   ·   ·   +   +   +   +   ← U super 2
//!   row 0   ·  a01 a12 a23 a34 a45        row 2   ·  a01 a12 a23 a34 a45  ← super 1
//!   row 1  a00 a11 a22 a33 a44 a55        row 3  a00 a11 a22 a33 a44 a55  ← diagonal
//!   row 2  a10 a21 a32 a43 a54  ·         row 4  a10 a21 a32 a43 a54  ·   ← sub 1
//!   row 3  a20 a31 a42 a53  ·   ·         row 5  a20 a31 a42 a53  ·   ·   ← sub 2
//! ```
//!
//! After [`factor`], rows `0 ..= kl + ku` hold `U` (`u[i, j]` at `[kl + ku + i − j, j]`, its
//! diagonal in row `kl + ku`) and rows `kl + ku + 1 ..` hold the multipliers of `L_j` in
//! column `j` (`m` for row `j + r` at `[kl + ku + r, j]`). Entries marked `·` (outside the
//! matrix) are never read and never written by the factorization.
//!
//! [`solve_banded`] takes scipy's layout directly: for `kl = ku = 1` it runs the tridiagonal
//! elimination ([`solve_tridiagonal`], no band copy), otherwise it copies `ab` into the factor
//! layout ([`copy_from_scipy`]), factors and solves ([`solve`]).

mod factor;
mod solve;
mod tridiagonal;

pub use factor::factor;
pub use solve::{solve, solve_transpose};
pub use tridiagonal::solve_tridiagonal;

use lapis_kernels::{MatMut, MatRef, Scalar};

use crate::FactorError;

/// Rows of the factor layout for `kl` subdiagonals and `ku` superdiagonals: `2·kl + ku + 1`
/// (LAPACK's minimal `LDAB` for `gbtrf`).
///
/// Errors with [`FactorError::InvalidArgument`] when the count overflows `usize`.
///
/// ```
/// use lapis_factor::banded;
/// assert_eq!(banded::factor_rows(2, 1).unwrap(), 6);
/// assert_eq!(banded::factor_rows(0, 0).unwrap(), 1);
/// ```
pub fn factor_rows(kl: usize, ku: usize) -> Result<usize, FactorError> {
    kl.checked_mul(2)
        .and_then(|x| x.checked_add(ku))
        .and_then(|x| x.checked_add(1))
        .ok_or(FactorError::InvalidArgument { name: "(kl, ku)" })
}

/// Rows of scipy's band layout: `kl + ku + 1`.
fn scipy_rows(kl: usize, ku: usize) -> Result<usize, FactorError> {
    kl.checked_add(ku)
        .and_then(|x| x.checked_add(1))
        .ok_or(FactorError::InvalidArgument { name: "(kl, ku)" })
}

/// Copies scipy's band storage `ab` (`(kl + ku + 1) × n`, `ab[ku + i − j, j] = a[i, j]`) into
/// the factor layout `out` (`(2·kl + ku + 1) × n`, `out[kl + ku + i − j, j] = a[i, j]`).
///
/// The `kl` fill-in rows on top and the positions outside the matrix (the corners scipy
/// ignores) are set to zero, so `out` is fully defined. Errors with [`FactorError::Shape`]
/// naming both shapes when `ab` or `out` has the wrong number of rows or they differ in
/// columns.
///
/// ```
/// use lapis_factor::banded;
/// use lapis_factor::kernels::{MatMut, MatRef};
/// // scipy: ab for a = [[4, 1, 0], [2, 5, 1], [0, 2, 6]], (l, u) = (1, 1)
/// let ab = [0.0, 1.0, 1.0, 4.0, 5.0, 6.0, 2.0, 2.0, 0.0]; // 3 × 3, row-major
/// let mut out = [9.0; 4 * 3];
/// banded::copy_from_scipy(
///     1,
///     1,
///     MatRef::from_row_major(&ab, 3, 3).unwrap(),
///     MatMut::from_row_major(&mut out, 4, 3).unwrap(),
/// )
/// .unwrap();
/// assert_eq!(out, [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 4.0, 5.0, 6.0, 2.0, 2.0, 0.0]);
/// ```
pub fn copy_from_scipy<T: Scalar>(
    kl: usize,
    ku: usize,
    ab: MatRef<'_, T>,
    mut out: MatMut<'_, T>,
) -> Result<(), FactorError> {
    let rows = scipy_rows(kl, ku)?;
    let ldab = factor_rows(kl, ku)?;
    let n = ab.ncols();
    if ab.nrows() != rows || out.shape() != (ldab, n) {
        return Err(FactorError::Shape {
            op: "banded::copy_from_scipy",
            shapes: vec![("ab", ab.shape()), ("out", out.shape())],
        });
    }
    for j in 0..n {
        for r in 0..ldab {
            // Row r of the factor layout is row r − kl of scipy's; a[i, j] with
            // i = r + j − kl − ku must lie inside the matrix.
            let inside = r >= kl && r + j >= kl + ku && r + j - kl - ku < n;
            let v = if inside { ab.get(r - kl, j) } else { T::zero() };
            out.write(r, j, v);
        }
    }
    Ok(())
}

/// Solves `A·X = B` in place in `b` (`n × nrhs`, any strides) for the band matrix `A` given
/// in scipy's layout `ab` (`(kl + ku + 1) × n`, `ab[ku + i − j, j] = a[i, j]`; entries
/// outside the matrix are ignored).
///
/// `kl = ku = 1` takes the tridiagonal fast path ([`solve_tridiagonal`] on copies of the
/// three diagonals); every other band is copied into the factor layout, factored with
/// partial pivoting ([`factor`]) and solved ([`solve`]). `ab` is never modified.
///
/// Errors: [`FactorError::Shape`] naming both shapes when `ab` does not have `kl + ku + 1`
/// rows or `b` does not have `n` rows; [`FactorError::NonFinite`] when an entry of the band
/// (inside the matrix) or of `b` is NaN or infinite (checked before anything is written);
/// [`FactorError::Singular`] with the 0-based index of the first zero pivot (on this error
/// the contents of `b` are unspecified).
///
/// ```
/// use lapis_factor::banded;
/// use lapis_factor::kernels::{MatMut, MatRef};
/// // scipy: solve_banded((1, 1), ab, b)
/// // a = [[4, 1, 0], [2, 5, 1], [0, 2, 6]], b = a @ [1, 2, 3]
/// let ab = [0.0f64, 1.0, 1.0, 4.0, 5.0, 6.0, 2.0, 2.0, 0.0];
/// let mut b = [6.0, 15.0, 22.0];
/// banded::solve_banded(
///     1,
///     1,
///     MatRef::from_row_major(&ab, 3, 3).unwrap(),
///     MatMut::from_col_major(&mut b, 3, 1).unwrap(),
/// )
/// .unwrap();
/// assert!((b[0] - 1.0).abs() < 1e-14 && (b[1] - 2.0).abs() < 1e-14 && (b[2] - 3.0).abs() < 1e-14);
/// ```
pub fn solve_banded<T: Scalar>(
    kl: usize,
    ku: usize,
    ab: MatRef<'_, T>,
    b: MatMut<'_, T>,
) -> Result<(), FactorError> {
    let rows = scipy_rows(kl, ku)?;
    let n = ab.ncols();
    if ab.nrows() != rows || b.nrows() != n {
        return Err(FactorError::Shape {
            op: "banded::solve_banded",
            shapes: vec![("ab", ab.shape()), ("b", b.shape())],
        });
    }
    if !band_finite(ab, 0, kl, ku) || !crate::util::all_finite(b.as_ref()) {
        return Err(FactorError::NonFinite);
    }
    if kl == 1 && ku == 1 {
        let mut du: Vec<T> = (1..n).map(|j| ab.get(0, j)).collect();
        let mut d: Vec<T> = (0..n).map(|j| ab.get(1, j)).collect();
        let mut dl: Vec<T> = (0..n.saturating_sub(1)).map(|j| ab.get(2, j)).collect();
        return solve_tridiagonal(&mut dl, &mut d, &mut du, b);
    }
    let ldab = factor_rows(kl, ku)?;
    let mut buf = vec![T::zero(); ldab * n];
    let mut lu = MatMut::from_col_major(&mut buf, ldab, n).map_err(|_| FactorError::Shape {
        op: "banded::solve_banded",
        shapes: vec![("ab", ab.shape()), ("factor layout", (ldab, n))],
    })?;
    copy_from_scipy(kl, ku, ab, lu.rb())?;
    let mut ipiv = vec![0; n];
    factor::factor_unchecked(lu.rb(), kl, ku, &mut ipiv)?.check()?;
    solve::solve_unchecked(lu.into_ref(), kl, ku, &ipiv, b, false)
}

/// Whether every entry of the band inside the matrix is finite, for a layout with the
/// diagonal in row `top + ku` (`top = 0`: scipy's layout; `top = kl`: the factor layout).
fn band_finite<T: Scalar>(ab: MatRef<'_, T>, top: usize, kl: usize, ku: usize) -> bool {
    let n = ab.ncols();
    (0..n).all(|j| {
        let i0 = j.saturating_sub(ku);
        let i1 = j.saturating_add(kl).min(n - 1);
        (i0..=i1).all(|i| ab.get(top + ku + i - j, j).is_finite())
    })
}
