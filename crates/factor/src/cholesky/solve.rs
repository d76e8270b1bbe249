//! `A·X = B` from `A = L·Lᵀ` or `A = Uᵀ·U` (LAPACK `potrs`): two TRSMs.

use lapis_kernels::{Diag, MatMut, MatRef, Par, Scalar, Side, Uplo, trsm};

use crate::FactorError;
use crate::util::{all_finite, check_square, first_zero_diagonal};

/// Solves `A·X = B` in place in `b` (`n × nrhs`, any strides) from the Cholesky factor of `A`
/// computed by [`factor`](super::factor) with the same `uplo`.
///
/// `Lower`: `X = L⁻ᵀ·L⁻¹·B`; `Upper`: `X = U⁻¹·U⁻ᵀ·B`. Only the triangle `uplo` of
/// `factor` is read.
///
/// Errors: [`FactorError::NotSquare`] / [`FactorError::Shape`] for inconsistent operands,
/// [`FactorError::Singular`] when the factor has a zero on its diagonal (never the case for
/// one that [`factor`](super::factor) produced), [`FactorError::NonFinite`] when `b` holds
/// NaN or an infinity.
///
/// ```
/// use lapis_factor::kernels::{MatMut, MatRef, Par};
/// use lapis_factor::cholesky::{self, Uplo};
/// // scipy: cho_solve(cho_factor(a), b)
/// let mut a = [2.0f64, 1.0, 1.0, 3.0]; // [[2, 1], [1, 3]]
/// cholesky::factor(MatMut::from_row_major(&mut a, 2, 2).unwrap(), Uplo::Lower, Par::Seq).unwrap();
/// let mut b = [5.0, 10.0];
/// let l = MatRef::from_row_major(&a, 2, 2).unwrap();
/// cholesky::solve(l, Uplo::Lower, MatMut::from_col_major(&mut b, 2, 1).unwrap(), Par::Seq).unwrap();
/// assert!((b[0] - 1.0).abs() < 1e-14 && (b[1] - 3.0).abs() < 1e-14);
/// ```
pub fn solve<T: Scalar>(
    factor: MatRef<'_, T>,
    uplo: Uplo,
    b: MatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    let n = check_square(factor)?;
    if b.nrows() != n {
        return Err(FactorError::Shape {
            op: "cholesky::solve",
            shapes: vec![("factor", factor.shape()), ("b", b.shape())],
        });
    }
    if let Some(index) = first_zero_diagonal(factor) {
        return Err(FactorError::Singular { index });
    }
    if !all_finite(b.as_ref()) {
        return Err(FactorError::NonFinite);
    }
    // Read an upper factor U as the lower factor L = Uᵀ of the transposed view.
    let l = match uplo {
        Uplo::Lower => factor,
        Uplo::Upper => factor.transpose(),
    };
    let mut b = b;
    trsm(
        Side::Left,
        Uplo::Lower,
        Diag::NonUnit,
        T::one(),
        l,
        b.rb(),
        par,
    )?;
    trsm(
        Side::Left,
        Uplo::Upper,
        Diag::NonUnit,
        T::one(),
        l.transpose(),
        b,
        par,
    )?;
    Ok(())
}
