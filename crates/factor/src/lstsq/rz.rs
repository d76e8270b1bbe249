//! RZ factorization of an upper trapezoid (LAPACK `tzrzf`/`latrz`, unblocked):
//! `[R₁₁ R₁₂] = [T 0]·Z`, `R₁₁` and `T` upper triangular `r × r`, `Z` orthogonal `n × n`.
//!
//! Rows are processed from the last up: the reflector `H_i` acts on coordinate `i` and the
//! last `n − r` coordinates, and maps row `i` to `[…, t_ii, 0…0]`. Rows below `i` are already
//! zero in the trailing columns and zero in column `i`, so they do not change. With
//! `R·H_{r−1}⋯H₀ = [T 0]`, `Z = H₀·H₁⋯H_{r−1}` and `Zᵀ = H_{r−1}⋯H₀`.

use lapis_kernels::{MatMut, Par, Scalar, axpy, gemv, ger};

use crate::FactorError;
use crate::householder::{make_reflector, work_mat};

/// Overwrites the `r × n` trapezoid `a` (`r ≤ n`; only its upper triangle is read) with `T`
/// in its leading `r × r` upper triangle and the reflectors' vectors `z_i` in
/// `a[i, r..n]`; `tau.len() == r`.
pub(crate) fn rz_factor<T: Scalar>(
    mut a: MatMut<'_, T>,
    tau: &mut [T],
    work: &mut Vec<T>,
) -> Result<(), FactorError> {
    let (r, n) = a.shape();
    debug_assert!(r <= n && tau.len() == r);
    if r == n {
        tau.iter_mut().for_each(|t| *t = T::zero());
        return Ok(());
    }
    for i in (0..r).rev() {
        let (mut top, bottom) = a.rb().split_at_row(i);
        let row = bottom.submatrix(0, 0, 1, n);
        let (left, mut z) = row.split_at_col(r);
        let mut diag = left.submatrix(0, i, 1, 1);
        let h = make_reflector(diag.get(0, 0), z.rb());
        diag.write(0, 0, h.beta);
        tau[i] = h.tau;
        if i == 0 || h.tau == T::zero() {
            continue;
        }
        // Rows 0..i: w = a[:, i] + a[:, r..]·z; a[:, i] −= τ·w; a[:, r..] −= τ·w·zᵀ.
        let (head, mut tail) = top.rb().split_at_col(r);
        let mut coli = head.submatrix(0, i, i, 1);
        let mut w = work_mat(work, i, 1);
        w.copy_from(coli.as_ref());
        gemv(
            T::one(),
            tail.as_ref(),
            z.as_ref(),
            T::one(),
            w.rb(),
            Par::Seq,
        )?;
        axpy(-h.tau, w.as_ref(), coli.rb())?;
        ger(-h.tau, w.as_ref(), z.as_ref(), tail.rb())?;
    }
    Ok(())
}

/// `C ← Zᵀ·C = H_{r−1}⋯H₀·C` for `Z` from [`rz_factor`] on the `r × n` `a` (`c` is `n × nc`):
/// each `H_i` mixes row `i` of `C` with rows `r..n`.
pub(crate) fn rz_apply_zt<T: Scalar>(
    a: lapis_kernels::MatRef<'_, T>,
    tau: &[T],
    mut c: MatMut<'_, T>,
    work: &mut Vec<T>,
) -> Result<(), FactorError> {
    let (r, n) = a.shape();
    let nc = c.ncols();
    if r == n || nc == 0 {
        return Ok(());
    }
    for i in 0..r {
        if tau[i] == T::zero() {
            continue;
        }
        let z = a.submatrix(i, r, 1, n - r);
        let (top, mut tail) = c.rb().split_at_row(r);
        let mut ci = top.submatrix(i, 0, 1, nc);
        let mut w = work_mat(work, nc, 1);
        // wᵀ = C[i, :] + zᵀ·C[r.., :]
        w.copy_from(ci.as_ref().transpose());
        gemv(
            T::one(),
            tail.as_ref().transpose(),
            z,
            T::one(),
            w.rb(),
            Par::Seq,
        )?;
        axpy(-tau[i], w.as_ref(), ci.rb())?;
        ger(-tau[i], z, w.as_ref(), tail.rb())?;
    }
    Ok(())
}
