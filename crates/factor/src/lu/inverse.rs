//! `A⁻¹` in place from `P·A = L·U` (LAPACK `getri`): invert `U`, solve `X·L = U⁻¹` for
//! `X = A⁻¹·Pᵀ` by blocks of columns from the right, then swap the columns back.

use lapis_kernels::{Diag, MatMut, Par, Scalar, Side, Uplo, gemm, trmm, trsm};

use super::{LuParams, check_factorization};
use crate::FactorError;
use crate::util::{apply_row_swaps, first_zero_diagonal, workspace};

/// Diagonal blocks of `U` of at most this order are inverted column by column. Measured at
/// n = 100 and 500 (f32 and f64): 4 to 16 are alike; 32 (f32's LU base) is 10% slower at
/// n = 100, its column-by-column multiplies running on short vectors.
const UPPER_INVERSE_BASE: usize = 8;

/// Overwrites the LU factorization in `a` (from [`factor`](super::factor), with its `ipiv`)
/// with `A⁻¹`.
///
/// `A⁻¹ = U⁻¹·L⁻¹·P`: `U` is inverted in place (recursively, through TRSM), then `X·L = U⁻¹`
/// is solved for `X` over blocks of columns from the right (GEMM + TRSM, with a workspace of
/// `n × min(n, block_size)` allocated once), and finally the columns of `X` are swapped as
/// `ipiv` says, last swap first. About `4n³/3` flops.
///
/// Errors: [`FactorError::Singular`] (0-based index of the first zero on `U`'s diagonal)
/// before anything is written; [`FactorError::NotSquare`], [`FactorError::Shape`] or
/// [`FactorError::InvalidPivot`] for inconsistent operands.
///
/// ```
/// use lapis_factor::kernels::{MatMut, Par};
/// use lapis_factor::lu;
/// // numpy: np.linalg.inv(a)
/// let mut a = [2.0f64, 1.0, 1.0, 3.0]; // [[2, 1], [1, 3]]
/// let mut ipiv = [0; 2];
/// lu::factor(MatMut::from_row_major(&mut a, 2, 2).unwrap(), &mut ipiv, Par::Seq).unwrap();
/// lu::inverse(MatMut::from_row_major(&mut a, 2, 2).unwrap(), &ipiv, Par::Seq).unwrap();
/// let expect = [0.6, -0.2, -0.2, 0.4];
/// assert!(a.iter().zip(expect).all(|(x, y)| (x - y).abs() < 1e-15));
///
/// // [[1, 2], [2, 4]] is singular: U[1, 1] == 0
/// let mut s = [1.0, 2.0, 2.0, 4.0];
/// lu::factor(MatMut::from_row_major(&mut s, 2, 2).unwrap(), &mut ipiv, Par::Seq).unwrap();
/// let e = lu::inverse(MatMut::from_row_major(&mut s, 2, 2).unwrap(), &ipiv, Par::Seq);
/// assert_eq!(e, Err(lapis_factor::FactorError::Singular { index: 1 }));
/// ```
pub fn inverse<T: Scalar>(
    mut a: MatMut<'_, T>,
    ipiv: &[usize],
    par: Par,
) -> Result<(), FactorError> {
    let n = check_factorization("lu::inverse", a.as_ref(), ipiv)?;
    if let Some(index) = first_zero_diagonal(a.as_ref()) {
        return Err(FactorError::Singular { index });
    }
    if n == 0 {
        return Ok(());
    }
    let params = LuParams::for_scalar::<T>();
    invert_upper(a.rb(), par, UPPER_INVERSE_BASE)?;

    let nb = params.block_size.clamp(1, n);
    let mut work = vec![T::zero(); n * nb];
    for j in (0..n).step_by(nb).rev() {
        let jb = nb.min(n - j);
        let mut w = workspace(&mut work, n - j, jb)?;
        // Move L's block column (strictly below the diagonal) into W, leaving U⁻¹'s zeros:
        // a whole-block copy, then each column's two triangles cleared, all along the unit
        // stride (an element-wise move with a branch per element was 15% of `inverse` at
        // n = 100).
        w.copy_from(a.as_ref().submatrix(j, j, n - j, jb));
        for c in 0..jb {
            w.rb().submatrix(0, c, c + 1, 1).fill(T::zero());
            a.rb()
                .submatrix(j + c + 1, j + c, n - j - c - 1, 1)
                .fill(T::zero());
        }
        let (left, right) = a.rb().split_at_col(j + jb);
        let mut xj = left.submatrix(0, j, n, jb);
        let (l_jj, l_below) = w.into_ref().split_at_row(jb);
        // X_j ← (U⁻¹_j − X_right·L_below)·L_jj⁻¹
        gemm(-T::one(), right.into_ref(), l_below, T::one(), xj.rb(), par)?;
        trsm(
            Side::Right,
            Uplo::Lower,
            Diag::Unit,
            T::one(),
            l_jj,
            xj,
            par,
        )?;
    }
    // A⁻¹ = X·P: column swaps, last first.
    apply_row_swaps(a.transpose(), ipiv, false);
    Ok(())
}

/// Inverts the upper triangle (with its diagonal) of the square `u` in place; the strictly
/// lower part is neither read nor written. With `U = [U11 U12; 0 U22]`,
/// `U⁻¹ = [U11⁻¹  −U11⁻¹·U12·U22⁻¹; 0  U22⁻¹]`: the off-diagonal block by two TRSMs with the
/// original diagonal blocks, then both diagonal blocks recursively.
fn invert_upper<T: Scalar>(
    u: MatMut<'_, T>,
    par: Par,
    threshold: usize,
) -> Result<(), FactorError> {
    let n = u.nrows();
    if n <= threshold {
        return invert_upper_unblocked(u);
    }
    let n1 = n / 2;
    let (top, bottom) = u.split_at_row(n1);
    let (u11, mut u12) = top.split_at_col(n1);
    let (_, u22) = bottom.split_at_col(n1);
    trsm(
        Side::Left,
        Uplo::Upper,
        Diag::NonUnit,
        -T::one(),
        u11.as_ref(),
        u12.rb(),
        par,
    )?;
    trsm(
        Side::Right,
        Uplo::Upper,
        Diag::NonUnit,
        T::one(),
        u22.as_ref(),
        u12,
        par,
    )?;
    invert_upper(u11, par, threshold)?;
    invert_upper(u22, par, threshold)
}

/// Column by column (LAPACK `trti2`): `u_jj ← 1/u_jj`, and column `j` above the diagonal
/// becomes `−u_jj⁻¹ · U⁻¹[0..j, 0..j] · U[0..j, j]`, the leading block being inverted already:
/// one triangular multiply in place per column.
fn invert_upper_unblocked<T: Scalar>(mut u: MatMut<'_, T>) -> Result<(), FactorError> {
    for j in 0..u.nrows() {
        let d = T::one() / u.get(j, j);
        let (left, right) = u.rb().split_at_col(j);
        let inverted = left.into_ref().submatrix(0, 0, j, j);
        let col = right.submatrix(0, 0, j, 1);
        trmm(
            Side::Left,
            Uplo::Upper,
            Diag::NonUnit,
            -d,
            inverted,
            col,
            Par::Seq,
        )?;
        u.write(j, j, d);
    }
    Ok(())
}
