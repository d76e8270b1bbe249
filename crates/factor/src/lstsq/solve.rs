//! The least-squares driver: pivoted QR, rank, `Qᵀ·b`, RZ, triangular solve, `Zᵀ`, `P`.

use lapis_kernels::{Diag, MatMut, MatRef, Par, Scalar, Side, Uplo, nrm2, trsm};

use super::rz::{rz_apply_zt, rz_factor};
use super::{LstsqInfo, numerical_rank};
use crate::FactorError;
use crate::householder::Trans;
use crate::qr::{apply_q, factor_pivoted};
use crate::util::all_finite;

/// Minimum-norm least-squares solution of `A·X ≈ B` for any shape and rank, by a complete
/// orthogonal decomposition (LAPACK `gelsy`); see [the module docs](super) for the method and
/// how the rank is decided.
///
/// `a` is `m × n` and is **overwritten** (with the pivoted QR and RZ factors); `b` is
/// `m × nrhs` (read only); the solution is written to `x` (`n × nrhs`). `rcond` is numpy's
/// cut-off ratio: `None` gives numpy's default `max(m, n)·ε`, a negative value means `ε`
/// (as LAPACK). Returns the rank and numpy's residuals: `‖b_j − A·x_j‖₂²` per column when
/// `rank == n` and `m > n`, empty otherwise. Singular values are not computed on this path.
///
/// Errors (before anything is written): [`FactorError::Shape`] when `b` does not have `m`
/// rows or `x` is not `n × nrhs`; [`FactorError::NonFinite`] when `a` or `b` holds NaN or an
/// infinity; [`FactorError::InvalidArgument`] for a NaN `rcond`.
///
/// ```
/// use lapis_factor::kernels::{MatMut, MatRef, Par};
/// use lapis_factor::lstsq;
/// // numpy: x, res, rank, s = np.linalg.lstsq([[1, 2], [2, 4]], [3, 6])
/// let mut a = [1.0f64, 2.0, 2.0, 4.0];
/// let b = [3.0, 6.0];
/// let mut x = [0.0f64; 2];
/// let info = lstsq::lstsq(
///     MatMut::from_row_major(&mut a, 2, 2).unwrap(),
///     MatRef::from_col_major(&b, 2, 1).unwrap(),
///     MatMut::from_col_major(&mut x, 2, 1).unwrap(),
///     None,
///     Par::Seq,
/// )
/// .unwrap();
/// assert_eq!(info.rank, 1);
/// assert!(info.residuals.is_empty());
/// assert!((x[0] - 0.6).abs() < 1e-15 && (x[1] - 1.2).abs() < 1e-15);
/// ```
pub fn lstsq<T: Scalar>(
    mut a: MatMut<'_, T>,
    b: MatRef<'_, T>,
    mut x: MatMut<'_, T>,
    rcond: Option<T>,
    par: Par,
) -> Result<LstsqInfo<T>, FactorError> {
    let (m, n) = a.shape();
    let nrhs = b.ncols();
    if b.nrows() != m || x.shape() != (n, nrhs) {
        return Err(FactorError::Shape {
            op: "lstsq",
            shapes: vec![("a", (m, n)), ("b", b.shape()), ("x", x.shape())],
        });
    }
    let rcond = super::resolve_rcond(rcond, m, n)?;
    if !all_finite(a.as_ref()) || !all_finite(b) {
        return Err(FactorError::NonFinite);
    }
    let k = m.min(n);
    let ldc = m.max(n);
    // C = [B; 0] (max(m, n) × nrhs, column-major): Qᵀ·B in its first m rows, then X.
    let mut cbuf = vec![T::zero(); ldc * nrhs];
    let mut c = MatMut::from_col_major(&mut cbuf, ldc, nrhs).expect("column-major workspace");
    c.rb().submatrix(0, 0, m, nrhs).copy_from(b);
    let mut tau = vec![T::zero(); k];
    let mut perm = vec![0usize; n];
    factor_pivoted(a.rb(), &mut tau, &mut perm, par)?;
    let rank = numerical_rank(a.as_ref(), rcond);
    apply_q(
        Side::Left,
        Trans::Yes,
        a.as_ref(),
        &tau,
        c.rb().submatrix(0, 0, m, nrhs),
        par,
    )?;
    let residuals = if rank == n && m > n {
        (0..nrhs)
            .map(|j| {
                let r = nrm2(c.as_ref().submatrix(n, j, m - n, 1));
                r * r
            })
            .collect()
    } else {
        Vec::new()
    };
    // Rows rank.. of Qᵀ·B belong to the dropped R₂₂ (or the residual): the solution's
    // trailing coordinates are zero.
    c.rb().submatrix(rank, 0, ldc - rank, nrhs).fill(T::zero());
    if rank > 0 {
        let mut work = Vec::new();
        let mut tau_z = vec![T::zero(); rank];
        let mut trap = a.rb().submatrix(0, 0, rank, n);
        rz_factor(trap.rb(), &mut tau_z, &mut work)?;
        let t11 = trap.as_ref().submatrix(0, 0, rank, rank);
        trsm(
            Side::Left,
            Uplo::Upper,
            Diag::NonUnit,
            T::one(),
            t11,
            c.rb().submatrix(0, 0, rank, nrhs),
            par,
        )?;
        rz_apply_zt(
            trap.as_ref(),
            &tau_z,
            c.rb().submatrix(0, 0, n, nrhs),
            &mut work,
        )?;
    }
    // X = P·C[..n]: row j of C is coordinate perm[j] of x.
    for (j, &pj) in perm.iter().enumerate() {
        for col in 0..nrhs {
            x.write(pj, col, c.get(j, col));
        }
    }
    Ok(LstsqInfo { rank, residuals })
}
