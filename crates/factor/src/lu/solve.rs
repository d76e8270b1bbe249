//! `A·X = B` and `Aᵀ·X = B` from `P·A = L·U` (LAPACK `getrs`): row swaps and two TRSMs.

use lapis_kernels::{Diag, MatMut, MatRef, Par, Scalar, Side, Uplo, trsm};

use super::check_factorization;
use crate::FactorError;
use crate::util::{all_finite, apply_row_swaps, first_zero_diagonal};

/// Solves `A·X = B` in place in `b` (`n × nrhs`, any strides) from the LU factorization
/// `lu`, `ipiv` of `A` computed by [`factor`](super::factor).
///
/// `X = U⁻¹·L⁻¹·P·B`: the rows of `B` are swapped as `ipiv` says, then two triangular solves.
///
/// Errors: [`FactorError::Singular`] (with the 0-based index of the first zero on `U`'s
/// diagonal) before anything is written; [`FactorError::NotSquare`], [`FactorError::Shape`]
/// or [`FactorError::InvalidPivot`] for inconsistent operands; [`FactorError::NonFinite`] when
/// `b` holds NaN or an infinity.
///
/// ```
/// use lapis_factor::kernels::{MatMut, MatRef, Par};
/// use lapis_factor::lu;
/// // scipy: lu_solve(lu_factor(a), b)  /  numpy: np.linalg.solve(a, b)
/// let mut a = [2.0, 1.0, 1.0, 3.0]; // [[2, 1], [1, 3]]
/// let mut ipiv = [0; 2];
/// lu::factor(MatMut::from_row_major(&mut a, 2, 2).unwrap(), &mut ipiv, Par::Seq).unwrap();
/// let mut b = [5.0, 10.0];
/// let lu_view = MatRef::from_row_major(&a, 2, 2).unwrap();
/// lu::solve(lu_view, &ipiv, MatMut::from_col_major(&mut b, 2, 1).unwrap(), Par::Seq).unwrap();
/// assert_eq!(b, [1.0, 3.0]);
/// ```
pub fn solve<T: Scalar>(
    lu: MatRef<'_, T>,
    ipiv: &[usize],
    b: MatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    check_solve("lu::solve", lu, ipiv, &b)?;
    solve_unchecked(lu, ipiv, b, false, par)
}

/// Solves `Aᵀ·X = B` in place in `b` from the LU factorization of `A` (LAPACK `getrs` with
/// `trans = 'T'`).
///
/// `Aᵀ = Uᵀ·Lᵀ·P`, so `X = Pᵀ·L⁻ᵀ·U⁻ᵀ·B`: two triangular solves with the transposed factors,
/// then the row swaps undone in reverse order. Errors as [`solve`].
///
/// ```
/// use lapis_factor::kernels::{MatMut, MatRef, Par};
/// use lapis_factor::lu;
/// // scipy: lu_solve((lu, piv), b, trans=1)
/// let mut a = [1.0f64, 2.0, 3.0, 4.0]; // [[1, 2], [3, 4]]; aᵀ = [[1, 3], [2, 4]]
/// let mut ipiv = [0; 2];
/// lu::factor(MatMut::from_row_major(&mut a, 2, 2).unwrap(), &mut ipiv, Par::Seq).unwrap();
/// let mut b = [4.0, 6.0]; // aᵀ·[1, 1]
/// let lu_view = MatRef::from_row_major(&a, 2, 2).unwrap();
/// lu::solve_transpose(lu_view, &ipiv, MatMut::from_col_major(&mut b, 2, 1).unwrap(), Par::Seq)
///     .unwrap();
/// assert!((b[0] - 1.0).abs() < 1e-15 && (b[1] - 1.0).abs() < 1e-15);
/// ```
pub fn solve_transpose<T: Scalar>(
    lu: MatRef<'_, T>,
    ipiv: &[usize],
    b: MatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    check_solve("lu::solve_transpose", lu, ipiv, &b)?;
    solve_unchecked(lu, ipiv, b, true, par)
}

fn check_solve<T: Scalar>(
    op: &'static str,
    lu: MatRef<'_, T>,
    ipiv: &[usize],
    b: &MatMut<'_, T>,
) -> Result<(), FactorError> {
    let n = check_factorization(op, lu, ipiv)?;
    if b.nrows() != n {
        return Err(FactorError::Shape {
            op,
            shapes: vec![("lu", lu.shape()), ("b", b.shape())],
        });
    }
    if let Some(index) = first_zero_diagonal(lu) {
        return Err(FactorError::Singular { index });
    }
    if !all_finite(b.as_ref()) {
        return Err(FactorError::NonFinite);
    }
    Ok(())
}

/// The solve itself, once the operands are known to be consistent. With a zero on `U`'s
/// diagonal the result holds infinities or NaN (the callers that need a guarantee check first).
pub(super) fn solve_unchecked<T: Scalar>(
    lu: MatRef<'_, T>,
    ipiv: &[usize],
    mut b: MatMut<'_, T>,
    transpose: bool,
    par: Par,
) -> Result<(), FactorError> {
    let one = T::one();
    if !transpose {
        apply_row_swaps(b.rb(), ipiv, true);
        trsm(Side::Left, Uplo::Lower, Diag::Unit, one, lu, b.rb(), par)?;
        trsm(Side::Left, Uplo::Upper, Diag::NonUnit, one, lu, b.rb(), par)?;
    } else {
        let lut = lu.transpose();
        trsm(
            Side::Left,
            Uplo::Lower,
            Diag::NonUnit,
            one,
            lut,
            b.rb(),
            par,
        )?;
        trsm(Side::Left, Uplo::Upper, Diag::Unit, one, lut, b.rb(), par)?;
        apply_row_swaps(b.rb(), ipiv, false);
    }
    Ok(())
}
