//! Blocks of complex reflectors in compact WY form, `H₁·H₂⋯H_k = I − V·T·Vᴴ` (LAPACK
//! `zlarft`, `zlarfb`, forward and columnwise), so that applying `k` reflectors at once is a
//! few [`gemm`] calls on the real kernels.
//!
//! `V` (`m × k`, `m ≥ k`) is unit lower trapezoidal: the reflectors' tails are its strictly
//! lower part, as QR and the Hermitian reduction leave them, and the diagonal and upper part
//! are not read. The products below copy `V` once into a dense `m × k` matrix with the
//! implied ones and zeros written in, so each product with `V` is one complex GEMM, and
//! multiply by the small triangle `T` as a dense `k × k` matrix (zeros below): `k ≤ m` keeps
//! the triangle's wasted half under `k/m` of the work.

use lapis_kernels::{Par, Scalar};
use num_complex::Complex;

use super::{CMat, CMatMut, CMatRef, Conj, gemm};
use crate::FactorError;

/// `V` with its implied unit diagonal and zero upper part written in.
fn dense_v<T: Scalar>(v: CMatRef<'_, T>) -> CMat<T> {
    let (m, k) = v.shape();
    let mut d = CMat::from_view(v);
    let mut dm = d.as_mut();
    for j in 0..k.min(m) {
        for i in 0..j {
            dm.write(i, j, Complex::new(T::zero(), T::zero()));
        }
        dm.write(j, j, Complex::new(T::one(), T::zero()));
    }
    d
}

fn shape_error(op: &'static str, shapes: Vec<(&'static str, (usize, usize))>) -> FactorError {
    FactorError::Shape { op, shapes }
}

/// The upper triangular `T` (`k × k`) with `H₁⋯H_k = I − V·T·Vᴴ`, where
/// `H_i = I − τ_i·v_i·v_iᴴ` and `v_i` is column `i` of the unit lower trapezoidal `v`
/// (`m × k`, `m ≥ k`, strictly lower part read; LAPACK `zlarft`). The strictly lower part of
/// `t` is set to zero.
///
/// Column by column, `T[i, i] = τ_i` and `T[..i, i] = −τ_i·T[..i, ..i]·(V[:, ..i]ᴴ·v_i)`; the
/// Gram products `Vᴴ·V` come from one GEMM.
///
/// ```
/// use lapis_factor::complex::{CMat, Complex, block::block_t};
/// use lapis_factor::kernels::Par;
/// // v₁ = [1, i], v₂ = [0, 1]: T[0, 1] = −τ₂·τ₁·(v₁ᴴ·v₂) = −τ₂·τ₁·(−i)
/// let v = CMat::from_interleaved(&[9.0, 9.0, 0.0, 1.0, 9.0, 9.0, 9.0, 9.0], 2, 2, 2, 4);
/// let tau = [Complex::new(1.0, 0.0), Complex::new(2.0, 0.0)];
/// let mut t = CMat::zeros(2, 2);
/// block_t(v.as_ref(), &tau, t.as_mut(), Par::Seq).unwrap();
/// assert_eq!(t.as_ref().get(0, 1), Complex::new(0.0, 2.0));
/// ```
pub fn block_t<T: Scalar>(
    v: CMatRef<'_, T>,
    tau: &[Complex<T>],
    mut t: CMatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    let k = tau.len();
    let m = v.nrows();
    if v.ncols() != k || m < k || t.shape() != (k, k) {
        return Err(shape_error(
            "complex::block::block_t",
            vec![("v", v.shape()), ("tau", (k, 1)), ("t", t.shape())],
        ));
    }
    if k == 0 {
        return Ok(());
    }
    let vd = dense_v(v);
    // G = Vᴴ·V: G[p, i] = v_pᴴ·v_i.
    let mut g = CMat::zeros(k, k);
    gemm(
        T::one(),
        vd.as_ref().transpose(),
        Conj::Yes,
        vd.as_ref(),
        Conj::No,
        T::zero(),
        g.as_mut(),
        par,
    )?;
    let zero = Complex::new(T::zero(), T::zero());
    let g = g.as_ref();
    for i in 0..k {
        // T[..i, i] = −τ_i·T[..i, ..i]·G[..i, i], T[..i, ..i] upper triangular and final.
        for p in 0..i {
            let mut acc = zero;
            for q in p..i {
                acc += t.get(p, q) * g.get(q, i);
            }
            t.write(p, i, -tau[i] * acc);
        }
        t.write(i, i, tau[i]);
        for p in i + 1..k {
            t.write(p, i, zero);
        }
    }
    Ok(())
}

/// `C ← (I − V·T·Vᴴ)·C` (`conj_trans = false`) or `C ← (I − V·T·Vᴴ)ᴴ·C =
/// (I − V·Tᴴ·Vᴴ)·C` (`conj_trans = true`) (LAPACK `zlarfb`, side left, forward,
/// columnwise): `W = Vᴴ·C`, `W ← op(T)·W`, `C −= V·W`, three complex GEMMs.
///
/// `v` is the unit lower trapezoidal `m × k` block (strictly lower part read), `t` its
/// `k × k` factor from [`block_t`] (upper triangular, zeros below), `c` is `m × n`.
///
/// ```
/// use lapis_factor::complex::{CMat, Complex, block::{apply_block_left, block_t}};
/// use lapis_factor::kernels::Par;
/// // one reflector H = I − 1·[1; 1]·[1; 1]ᴴ, which swaps and negates
/// let v = CMat::from_interleaved(&[0.0, 0.0, 1.0, 0.0], 2, 1, 2, 4);
/// let mut t = CMat::zeros(1, 1);
/// block_t(v.as_ref(), &[Complex::new(1.0, 0.0)], t.as_mut(), Par::Seq).unwrap();
/// let mut c = CMat::from_interleaved(&[1.0, 1.0, 2.0, 0.0], 2, 1, 2, 4);
/// apply_block_left(false, v.as_ref(), t.as_ref(), c.as_mut(), Par::Seq).unwrap();
/// assert_eq!(c.as_ref().get(0, 0), Complex::new(-2.0, 0.0));
/// assert_eq!(c.as_ref().get(1, 0), Complex::new(-1.0, -1.0));
/// ```
pub fn apply_block_left<T: Scalar>(
    conj_trans: bool,
    v: CMatRef<'_, T>,
    t: CMatRef<'_, T>,
    mut c: CMatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    let (m, k) = v.shape();
    let n = c.ncols();
    if m < k || t.shape() != (k, k) || c.nrows() != m {
        return Err(shape_error(
            "complex::block::apply_block_left",
            vec![("v", v.shape()), ("t", t.shape()), ("c", c.shape())],
        ));
    }
    if k == 0 || n == 0 {
        return Ok(());
    }
    let vd = dense_v(v);
    let mut w = CMat::zeros(k, n);
    gemm(
        T::one(),
        vd.as_ref().transpose(),
        Conj::Yes,
        c.as_ref(),
        Conj::No,
        T::zero(),
        w.as_mut(),
        par,
    )?;
    let mut tw = CMat::zeros(k, n);
    let (tt, tc) = if conj_trans {
        (t.transpose(), Conj::Yes)
    } else {
        (t, Conj::No)
    };
    gemm(
        T::one(),
        tt,
        tc,
        w.as_ref(),
        Conj::No,
        T::zero(),
        tw.as_mut(),
        par,
    )?;
    gemm(
        -T::one(),
        vd.as_ref(),
        Conj::No,
        tw.as_ref(),
        Conj::No,
        T::one(),
        c.rb(),
        par,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::complex::householder::{apply_left, make_reflector};
    use crate::complex::test_util::sample;

    /// The block applies the same transformation as its reflectors one by one, both
    /// `H₁⋯H_k` and its conjugate transpose `H_kᴴ⋯H₁ᴴ`.
    #[test]
    fn block_matches_reflectors_one_by_one() {
        let (m, k, n) = (9, 4, 5);
        let mut v = sample(m, k, 1);
        let mut tau = Vec::new();
        for j in 0..k {
            let alpha = v.as_ref().get(j, j);
            let x = v.as_mut().submatrix(j + 1, j, m - j - 1, 1);
            tau.push(make_reflector(alpha, x).tau);
        }
        let mut t = CMat::zeros(k, k);
        block_t(v.as_ref(), &tau, t.as_mut(), Par::Seq).unwrap();
        for conj_trans in [false, true] {
            let c0 = sample(m, n, 2);
            let mut by_block = c0.clone();
            apply_block_left(
                conj_trans,
                v.as_ref(),
                t.as_ref(),
                by_block.as_mut(),
                Par::Seq,
            )
            .unwrap();
            let mut by_one = c0.clone();
            let order: Vec<usize> = if conj_trans {
                (0..k).collect()
            } else {
                (0..k).rev().collect()
            };
            for j in order {
                let tj = if conj_trans { tau[j].conj() } else { tau[j] };
                let vt = v.as_ref().submatrix(j + 1, j, m - j - 1, 1);
                apply_left(vt, tj, by_one.as_mut().submatrix(j, 0, m - j, n)).unwrap();
            }
            for i in 0..m {
                for j in 0..n {
                    let d = by_block.as_ref().get(i, j) - by_one.as_ref().get(i, j);
                    assert!(d.norm() < 1e-14, "{conj_trans} {i} {j}");
                }
            }
        }
    }
}
