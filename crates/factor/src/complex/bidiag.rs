//! Reduction of a complex `m × n` matrix (`m ≥ n`) to a **real** upper bidiagonal `B`,
//! `A = Q·B·Pᴴ` with `Q`, `P` unitary (LAPACK `zgebd2`), and the QR step that tall inputs
//! take first (`zgeqr2`).
//!
//! Step `k` makes a left reflector `H_k` from column `k` (`H_kᴴ` zeroes `A[k+1.., k]` and
//! leaves a real `β`), applies `H_kᴴ` to the trailing columns, then makes a right reflector
//! `G_k` from the conjugate of row `k` (so `A[k, k+1..]·G_k = [β, 0, …]`, `β` real) and applies
//! it to the trailing rows. [`make_reflector`]'s real `β` is what makes `B` real, so the real
//! bidiagonal solvers finish the job. `Q = H₀⋯H_{n−1}` and `P = G₀⋯G_{n−2}`; the vectors of
//! `H_k` are stored below the diagonal (column `k`), those of `G_k` right of the
//! superdiagonal (row `k`, as a row, not conjugated).

use num_complex::Complex;

use super::block::{apply_block_left, block_t};
use super::householder::{apply_left, apply_right, make_reflector};
use super::{CMat, CMatMut, CMatRef};
use crate::FactorError;
use lapis_kernels::{Par, Scalar, scal};

/// Conjugates a complex view in place (LAPACK `zlacgv`).
pub(crate) fn conjugate<T: Scalar>(mut x: CMatMut<'_, T>) {
    let (_, im) = x.planes();
    scal(-T::one(), im);
}

/// Bidiagonalizes `a` (`m × n`, `m ≥ n`) in place: the real diagonal into `d` (`n`), the real
/// superdiagonal into `e` (`n − 1`), the scales of `H_k` into `tauq` (`n`) and of `G_k` into
/// `taup` (`n − 1`).
pub(crate) fn bidiagonalize<T: Scalar>(
    mut a: CMatMut<'_, T>,
    d: &mut [T],
    e: &mut [T],
    tauq: &mut [Complex<T>],
    taup: &mut [Complex<T>],
) -> Result<(), FactorError> {
    let (m, n) = a.shape();
    debug_assert!(m >= n && d.len() == n && tauq.len() == n);
    for k in 0..n {
        let alpha = a.get(k, k);
        let refl = make_reflector(alpha, a.rb().submatrix(k + 1, k, m - k - 1, 1));
        d[k] = refl.beta;
        tauq[k] = refl.tau;
        if k + 1 < n {
            let (left, right) = a.rb().split_at_col(k + 1);
            apply_left(
                left.into_ref().submatrix(k + 1, k, m - k - 1, 1),
                refl.tau.conj(),
                right.submatrix(k, 0, m - k, n - k - 1),
            )?;
        }
        a.write(k, k, Complex::new(refl.beta, T::zero()));
        if k + 1 >= n {
            break;
        }
        // The row is reduced through its conjugate: G_kᴴ·rowᴴ = [β; 0].
        conjugate(a.rb().submatrix(k, k + 1, 1, n - k - 1));
        let alpha = a.get(k, k + 1);
        let refl = make_reflector(alpha, a.rb().submatrix(k, k + 2, 1, n - k - 2));
        e[k] = refl.beta;
        taup[k] = refl.tau;
        let (top, bottom) = a.rb().split_at_row(k + 1);
        apply_right(
            top.into_ref().submatrix(k, k + 2, 1, n - k - 2),
            refl.tau,
            bottom.submatrix(0, k + 1, m - k - 1, n - k - 1),
        )?;
        a.write(k, k + 1, Complex::new(refl.beta, T::zero()));
    }
    Ok(())
}

/// Reflectors applied together as one compact WY block by the back-transformations: wide
/// enough that the three GEMMs of [`apply_block_left`] run near GEMM speed, narrow enough
/// that forming `T` (quadratic in the width) stays cheap.
const BLOCK: usize = 32;

/// `C ← Q·C` with `Q = H₀⋯H_{r−1}` from the reflectors stored below the diagonal of the first
/// `r = tau.len()` columns of `refl` (`m × ≥r`) and `C` with `m` rows (LAPACK `zunmqr`,
/// no transpose), by blocks of [`BLOCK`] reflectors, the last block first.
pub(crate) fn apply_q<T: Scalar>(
    refl: CMatRef<'_, T>,
    tau: &[Complex<T>],
    mut c: CMatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    let m = refl.nrows();
    let (r, nc) = (tau.len(), c.ncols());
    let mut end = r;
    while end > 0 {
        let start = end.saturating_sub(BLOCK);
        let kb = end - start;
        let v = refl.submatrix(start, start, m - start, kb);
        let mut t = CMat::zeros(kb, kb);
        block_t(v, &tau[start..end], t.as_mut(), par)?;
        apply_block_left(
            false,
            v,
            t.as_ref(),
            c.rb().submatrix(start, 0, m - start, nc),
            par,
        )?;
        end = start;
    }
    Ok(())
}

/// `C ← P·C` with `P = G₀⋯G_{n−2}` from the row reflectors of a bidiagonalized `n`-column
/// `refl` and `C` with `n` rows.
///
/// Transposed, the row vectors are columns: `G_k`'s vector sits in column `k` of
/// `reflᵀ[1.., ..]`, unit at its row `k`, tail below, which is [`apply_q`]'s layout acting
/// on `C[1.., :]`.
pub(crate) fn apply_p<T: Scalar>(
    refl: CMatRef<'_, T>,
    taup: &[Complex<T>],
    mut c: CMatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    let n = refl.ncols();
    if n < 2 {
        return Ok(());
    }
    let nc = c.ncols();
    apply_q(
        refl.transpose().submatrix(1, 0, n - 1, n - 1),
        &taup[..n - 1],
        c.rb().submatrix(1, 0, n - 1, nc),
        par,
    )
}

/// Householder QR of `a` (`m × n`, `m ≥ n`) in place (LAPACK `zgeqr2`): `R` on and above the
/// diagonal (real diagonal), the reflectors of `Q = H₀⋯H_{n−1}` below it, scales in `tau`.
pub(crate) fn triangularize<T: Scalar>(
    mut a: CMatMut<'_, T>,
    tau: &mut [Complex<T>],
) -> Result<(), FactorError> {
    let (m, n) = a.shape();
    for k in 0..n {
        let alpha = a.get(k, k);
        let refl = make_reflector(alpha, a.rb().submatrix(k + 1, k, m - k - 1, 1));
        tau[k] = refl.tau;
        if k + 1 < n {
            let (left, right) = a.rb().split_at_col(k + 1);
            apply_left(
                left.into_ref().submatrix(k + 1, k, m - k - 1, 1),
                refl.tau.conj(),
                right.submatrix(k, 0, m - k, n - k - 1),
            )?;
        }
        a.write(k, k, Complex::new(refl.beta, T::zero()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::complex::test_util::sample;
    use crate::complex::{Conj, gemm};

    /// `Q·B·Pᴴ = A` with the stored reflectors, `B` real.
    #[test]
    fn reconstructs() {
        // 70 columns: several blocks of back-transformation, the last one partial.
        for (m, n) in [(1, 1), (5, 5), (9, 4), (6, 1), (7, 2), (70, 70), (83, 70), (40, 33)] {
            let a0 = sample(m, n, (m * 31 + n) as u64);
            let mut a = a0.clone();
            let (mut d, mut e) = (vec![0.0; n], vec![0.0; n.saturating_sub(1)]);
            let zero = Complex::new(0.0, 0.0);
            let (mut tq, mut tp) = (vec![zero; n], vec![zero; n - 1]);
            bidiagonalize(a.as_mut(), &mut d, &mut e, &mut tq, &mut tp).unwrap();
            // B·Pᴴ: (P·Bᵀ)ᴴ, then Q·(B·Pᴴ).
            let mut bt = CMat::zeros(n, n);
            for i in 0..n {
                bt.as_mut().write(i, i, Complex::new(d[i], 0.0));
                if i + 1 < n {
                    bt.as_mut().write(i + 1, i, Complex::new(e[i], 0.0));
                }
            }
            apply_p(a.as_ref(), &tp, bt.as_mut(), Par::Seq).unwrap();
            let mut full = CMat::zeros(m, n);
            let id = CMat::identity(n);
            gemm(
                1.0,
                bt.as_ref().transpose(),
                Conj::Yes,
                id.as_ref(),
                Conj::No,
                0.0,
                full.as_mut().submatrix(0, 0, n, n),
                Par::Seq,
            )
            .unwrap();
            apply_q(a.as_ref(), &tq, full.as_mut(), Par::Seq).unwrap();
            for i in 0..m {
                for j in 0..n {
                    let diff = full.as_ref().get(i, j) - a0.as_ref().get(i, j);
                    assert!(diff.norm() < 1e-14 * (m * n) as f64, "{m}x{n} ({i},{j})");
                }
            }
        }
    }
}
