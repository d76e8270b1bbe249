//! Complex Householder QR, `A = Q·R` with `Q = H₁⋯H_k` unitary (`k = min(m, n)`) and `R`
//! upper trapezoidal with a **real** diagonal (LAPACK `zgeqrf`, `zungqr`, `zunmqr`).
//!
//! Storage is LAPACK's compact form, as in the real [`crate::qr`]: after [`factor`], `R` is
//! on and above the diagonal and the reflector tails `v_i` below it, the scales in `tau`.
//! `R = H_kᴴ⋯H₁ᴴ·A`, so each step applies `Hᴴ` (the scale `τ̄`). Panels of
//! [`BLOCK`] columns are factored one reflector at a time and the trailing columns are updated
//! by the panel's compact-WY block ([`super::block`]), three complex GEMMs.

use lapis_kernels::{Par, Scalar};
use num_complex::Complex;

use super::block::{apply_block_left, block_t};
use super::householder::{apply_left, make_reflector};
use super::{CMat, CMatMut, CMatRef};
use crate::FactorError;

/// Reflectors per compact-WY block.
pub const BLOCK: usize = 32;

fn check_tau(op: &'static str, a: (usize, usize), tau: usize, k: usize) -> Result<(), FactorError> {
    if tau == k {
        Ok(())
    } else {
        Err(FactorError::Shape {
            op,
            shapes: vec![("a", a), ("tau", (tau, 1))],
        })
    }
}

fn all_finite<T: Scalar>(a: CMatRef<'_, T>) -> bool {
    crate::util::all_finite(a.re()) && crate::util::all_finite(a.im())
}

/// Factors `a` (`m × n`) as `A = Q·R` in place (LAPACK `zgeqrf`).
///
/// On return `R` (`min(m, n) × n`, upper trapezoidal, real diagonal `−sign(Re α)·‖·‖` as
/// zlarfg makes it) is on and above the diagonal of `a`, and the reflector `v_i` (without its
/// leading 1) below the diagonal of column `i`, its scale in `tau[i]`
/// (`H_i = I − τ_i·v_i·v_iᴴ`); `tau.len()` must be `min(m, n)`.
///
/// Errors (leaving `a` untouched): [`FactorError::Shape`] for a wrong `tau` length,
/// [`FactorError::NonFinite`] for NaN or an infinity in `a`.
///
/// ```
/// use lapis_factor::complex::{CMat, Complex, qr};
/// use lapis_factor::kernels::Par;
/// // numpy: r = np.linalg.qr(np.array([[3j], [4]]), mode='r')  -> [[-5]] up to a phase
/// let mut a = CMat::from_interleaved(&[0.0f64, 3.0, 4.0, 0.0], 2, 1, 2, 4);
/// let mut tau = [Complex::new(0.0, 0.0)];
/// qr::factor(a.as_mut(), &mut tau, Par::Seq).unwrap();
/// let r = a.as_ref().get(0, 0);
/// assert!((r.re.abs() - 5.0).abs() < 1e-15 && r.im == 0.0);
/// ```
pub fn factor<T: Scalar>(
    mut a: CMatMut<'_, T>,
    tau: &mut [Complex<T>],
    par: Par,
) -> Result<(), FactorError> {
    let (m, n) = a.shape();
    let k = m.min(n);
    check_tau("complex::qr::factor", (m, n), tau.len(), k)?;
    if !all_finite(a.as_ref()) {
        return Err(FactorError::NonFinite);
    }
    let mut j = 0;
    while j < k {
        let jb = BLOCK.min(k - j);
        let rows = a.rb().submatrix(j, j, m - j, n - j);
        let (mut panel, trailing) = rows.split_at_col(jb);
        unblocked(panel.rb(), &mut tau[j..j + jb])?;
        if trailing.ncols() > 0 {
            let mut t = CMat::zeros(jb, jb);
            block_t(panel.as_ref(), &tau[j..j + jb], t.as_mut(), par)?;
            apply_block_left(true, panel.as_ref(), t.as_ref(), trailing, par)?;
        }
        j += jb;
    }
    Ok(())
}

/// Unblocked QR of a panel (LAPACK `zgeqr2`): per column, a reflector with a real `β`,
/// `Hᴴ` applied to the columns to its right.
fn unblocked<T: Scalar>(mut a: CMatMut<'_, T>, tau: &mut [Complex<T>]) -> Result<(), FactorError> {
    let (m, n) = a.shape();
    for i in 0..m.min(n) {
        let sub = a.rb().submatrix(i, i, m - i, n - i);
        let (col, rest) = sub.split_at_col(1);
        let (mut diag, mut x) = col.split_at_row(1);
        let r = make_reflector(diag.get(0, 0), x.rb());
        diag.write(0, 0, Complex::new(r.beta, T::zero()));
        tau[i] = r.tau;
        apply_left(x.as_ref(), r.tau.conj(), rest)?;
    }
    Ok(())
}

fn identity_into<T: Scalar>(mut q: CMatMut<'_, T>) {
    let (m, p) = q.shape();
    q.fill(Complex::new(T::zero(), T::zero()));
    for i in 0..m.min(p) {
        q.write(i, i, Complex::new(T::one(), T::zero()));
    }
}

/// Writes the first `p = q.ncols()` columns of `Q = H₁⋯H_k` into `q` (`m × p`, `k ≤ p ≤ m`;
/// LAPACK `zungqr`): `p = min(m, n)` is numpy's `mode="reduced"`, `p = m` `"complete"`.
/// `qr` (`m × n`) and `tau` (`k` scales) come from [`factor`].
///
/// ```
/// use lapis_factor::complex::{CMat, Complex, qr};
/// use lapis_factor::kernels::Par;
/// let a0 = CMat::from_interleaved(&[0.0, 3.0, 4.0, 0.0], 2, 1, 2, 4); // [[3i], [4]]
/// let mut a = a0.clone();
/// let mut tau = [Complex::new(0.0, 0.0)];
/// qr::factor(a.as_mut(), &mut tau, Par::Seq).unwrap();
/// let mut q = CMat::zeros(2, 1);
/// qr::form_q(a.as_ref(), &tau, q.as_mut(), Par::Seq).unwrap();
/// // A = Q·R: q[:, 0]·r₀₀ is the column itself
/// let r = a.as_ref().get(0, 0);
/// assert!((q.as_ref().get(0, 0) * r - Complex::new(0.0, 3.0)).norm() < 1e-14);
/// assert!((q.as_ref().get(1, 0) * r - Complex::new(4.0, 0.0)).norm() < 1e-14);
/// ```
pub fn form_q<T: Scalar>(
    qr: CMatRef<'_, T>,
    tau: &[Complex<T>],
    mut q: CMatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    let (m, n) = qr.shape();
    let k = tau.len();
    let p = q.ncols();
    if k > m.min(n) || q.nrows() != m || p < k || p > m {
        return Err(FactorError::Shape {
            op: "complex::qr::form_q",
            shapes: vec![("qr", (m, n)), ("tau", (k, 1)), ("q", q.shape())],
        });
    }
    identity_into(q.rb());
    // Q = Hb₀·Hb₁⋯: the last block first; block j touches rows and columns j.. only, the
    // columns before j being those of the identity there.
    let starts: Vec<usize> = (0..k).step_by(BLOCK).collect();
    for &j in starts.iter().rev() {
        let jb = BLOCK.min(k - j);
        let v = qr.submatrix(j, j, m - j, jb);
        let mut t = CMat::zeros(jb, jb);
        block_t(v, &tau[j..j + jb], t.as_mut(), par)?;
        let target = q.rb().submatrix(j, j, m - j, p - j);
        apply_block_left(false, v, t.as_ref(), target, par)?;
    }
    Ok(())
}

/// `C ← Q·C` (`conj_trans = false`) or `C ← Qᴴ·C` (`conj_trans = true`) without forming `Q`
/// (LAPACK `zunmqr`, side left): `qr` (`m × n`) and `tau` from [`factor`], `c` is `m × nc`.
/// `Qᴴ·b` is the first step of a least-squares solve.
///
/// ```
/// use lapis_factor::complex::{CMat, Complex, qr};
/// use lapis_factor::kernels::Par;
/// let a0 = CMat::from_interleaved(&[0.0, 3.0, 4.0, 0.0], 2, 1, 2, 4);
/// let mut a = a0.clone();
/// let mut tau = [Complex::new(0.0, 0.0)];
/// qr::factor(a.as_mut(), &mut tau, Par::Seq).unwrap();
/// // Qᴴ·A = R: [r₀₀, 0]
/// let mut c = a0.clone();
/// qr::apply_q(true, a.as_ref(), &tau, c.as_mut(), Par::Seq).unwrap();
/// assert!((c.as_ref().get(0, 0) - a.as_ref().get(0, 0)).norm() < 1e-14);
/// assert!(c.as_ref().get(1, 0).norm() < 1e-14);
/// ```
pub fn apply_q<T: Scalar>(
    conj_trans: bool,
    qr: CMatRef<'_, T>,
    tau: &[Complex<T>],
    mut c: CMatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    let (m, n) = qr.shape();
    let k = tau.len();
    if k > m.min(n) || c.nrows() != m {
        return Err(FactorError::Shape {
            op: "complex::qr::apply_q",
            shapes: vec![("qr", (m, n)), ("tau", (k, 1)), ("c", c.shape())],
        });
    }
    let nc = c.ncols();
    let starts: Vec<usize> = (0..k).step_by(BLOCK).collect();
    // Q·C applies the last block first, Qᴴ·C the first block first.
    let mut step = |j: usize| -> Result<(), FactorError> {
        let jb = BLOCK.min(k - j);
        let v = qr.submatrix(j, j, m - j, jb);
        let mut t = CMat::zeros(jb, jb);
        block_t(v, &tau[j..j + jb], t.as_mut(), par)?;
        let target = c.rb().submatrix(j, 0, m - j, nc);
        apply_block_left(conj_trans, v, t.as_ref(), target, par)
    };
    if conj_trans {
        starts.iter().try_for_each(|&j| step(j))
    } else {
        starts.iter().rev().try_for_each(|&j| step(j))
    }
}
