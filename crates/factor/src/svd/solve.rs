//! Least squares through the SVD without forming `U` or `V` (LAPACK `gelsd`'s economy).
//!
//! With `A = Q·B·Pᵀ` (bidiagonalization) and `B = U_s·Σ·V_sᵀ` (the bidiagonal SVD), the
//! minimum-norm solution `x = V·Σ_r⁺·Uᵀ·b` is `P·V_s·Σ_r⁺·U_sᵀ·(Qᵀ·b)`: the reflectors of
//! `Q` and `P` meet only the right-hand sides, and `U_s`, `V_s` only in two
//! `n × n × nrhs` products. Forming `U = Q·U_s` and `V = P·V_s` as [`svd`](super::svd) does
//! costs `4n³` more flops, twice the bidiagonalization's `8n³/3` for a square matrix.

use lapis_kernels::{MatMut, MatRef, Par, Scalar, Side, gemm};

use super::{SvdParams, bidiag, bidiagonal_vectors, col_major};
use crate::FactorError;
use crate::householder::Trans;
use crate::plane::{safe_range_exponent, scale_pow2};
use crate::qr;

/// Minimum-norm least squares for a finite `a` (`m × n`, `m ≥ n ≥ 1`): the singular values
/// go to `s` (descending), the solution to `x` (`n × nrhs`); returns the rank, the number of
/// `σ_i > rcond·σ₁`.
pub(crate) fn least_squares<T: Scalar>(
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    mut x: MatMut<'_, T>,
    s: &mut [T],
    rcond: T,
    par: Par,
) -> Result<usize, FactorError> {
    let (m, n) = a.shape();
    let nrhs = b.ncols();
    debug_assert!(m >= n && n >= 1 && s.len() == n && x.shape() == (n, nrhs));
    let mut buf = a.to_col_major_vec();
    let anorm = buf.iter().fold(T::zero(), |acc, v| acc.max(v.abs()));
    // Q, P and the singular vectors do not change under a power-of-two scaling of A.
    let exponent = safe_range_exponent(anorm);
    scale_pow2(&mut buf, exponent);
    let mut e = vec![T::zero(); n - 1];
    let mut tauq = vec![T::zero(); n];
    let mut taup = vec![T::zero(); n - 1];
    bidiag::bidiagonalize(
        col_major(&mut buf, m, n),
        s,
        &mut e,
        &mut tauq,
        &mut taup,
        par,
    )?;
    let bmat = MatRef::from_col_major(&buf, m, n).expect("workspace");

    let mut c = b.to_col_major_vec();
    qr::apply_q(
        Side::Left,
        Trans::Yes,
        bmat,
        &tauq,
        col_major(&mut c, m, nrhs),
        par,
    )?;

    let (mut us, mut vs) = (vec![T::zero(); n * n], vec![T::zero(); n * n]);
    let (u, v) = (col_major(&mut us, n, n), col_major(&mut vs, n, n));
    bidiagonal_vectors(s, &mut e, Some(u), Some(v), par, &SvdParams::default())?;
    scale_pow2(s, -exponent);
    let cutoff = rcond * s[0];
    let rank = s.iter().take_while(|&&si| si > cutoff).count();

    // w = Σ_r⁺·U_sᵀ·c[..n]
    let mut w = vec![T::zero(); n * nrhs];
    let c_top = MatRef::from_col_major(&c, m, nrhs)
        .expect("workspace")
        .submatrix(0, 0, n, nrhs);
    let u_s = MatRef::from_col_major(&us, n, n).expect("workspace");
    gemm(
        T::one(),
        u_s.transpose(),
        c_top,
        T::zero(),
        col_major(&mut w, n, nrhs),
        par,
    )?;
    for j in 0..nrhs {
        for i in 0..n {
            let inv = if i < rank { T::one() / s[i] } else { T::zero() };
            w[i + j * n] *= inv;
        }
    }
    // y = V_s·w, then x = P·y with P = diag(1, P') (P' from the rows of B's storage).
    let mut y = vec![T::zero(); n * nrhs];
    let v_s = MatRef::from_col_major(&vs, n, n).expect("workspace");
    let w = MatRef::from_col_major(&w, n, nrhs).expect("workspace");
    gemm(T::one(), v_s, w, T::zero(), col_major(&mut y, n, nrhs), par)?;
    if n > 1 {
        let refl = bmat.transpose().submatrix(1, 0, n - 1, n - 1);
        let rows = col_major(&mut y, n, nrhs).submatrix(1, 0, n - 1, nrhs);
        qr::apply_q(Side::Left, Trans::No, refl, &taup, rows, par)?;
    }
    x.copy_from(MatRef::from_col_major(&y, n, nrhs).expect("workspace"));
    Ok(rank)
}
