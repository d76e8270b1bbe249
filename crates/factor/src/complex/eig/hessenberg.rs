//! Unitary reduction to upper Hessenberg form, `A = Q·H·Qᴴ` (LAPACK `zgehd2`), and forming `Q`
//! (`zunghr`).
//!
//! Only the window `lo..hi` left by balancing is reduced: reflector `H_c` (for column `c` in
//! `lo..hi − 1`) maps `A[c+1..hi, c]` to `[β; 0]` with `β` real and acts on rows and columns
//! `c+1..hi`, from the right on rows `0..hi` and from the left (as `H_cᴴ`) on columns `c+1..n`.
//! The last reflector has an empty tail but still turns a complex subdiagonal entry real, as
//! in LAPACK, so the whole subdiagonal of `H` is real. The reflector tails stay below the
//! subdiagonal, so the window's `Q'` is the compact QR form of `A[lo+1..hi, lo..hi−1]` and
//! [`qr::form_q`](crate::complex::qr::form_q) builds it.

use lapis_kernels::{Par, Scalar};
use num_complex::Complex;

use super::Planes;
use crate::FactorError;
use crate::complex::householder::{apply_left, apply_right, make_reflector};
use crate::complex::qr;

/// Reduces the window `lo..hi` of `h` to Hessenberg form; the scale of the reflector of column
/// `c` goes to `tau[c − lo]` (`tau.len() = hi − lo − 1`).
pub(super) fn reduce<T: Scalar>(
    h: &mut Planes<'_, T>,
    lo: usize,
    hi: usize,
    tau: &mut [Complex<T>],
) -> Result<(), FactorError> {
    let n = h.n;
    for c in lo..hi.saturating_sub(1) {
        let mut hm = h.view();
        let alpha = hm.get(c + 1, c);
        let refl = make_reflector(alpha, hm.rb().submatrix(c + 2, c, hi - c - 2, 1));
        hm.write(c + 1, c, Complex::new(refl.beta, T::zero()));
        tau[c - lo] = refl.tau;
        let (left, mut right) = hm.split_at_col(c + 1);
        let v = left.into_ref().submatrix(c + 2, c, hi - c - 2, 1);
        apply_right(v, refl.tau, right.rb().submatrix(0, 0, hi, hi - c - 1))?;
        apply_left(
            v,
            refl.tau.conj(),
            right.submatrix(c + 1, 0, hi - c - 1, n - c - 1),
        )?;
    }
    Ok(())
}

/// `z ← Q` (`n × n`): the identity outside the window, `Q'` from the reflectors left in `h` by
/// [`reduce`] on rows and columns `lo+1..hi`.
pub(super) fn form_q<T: Scalar>(
    h: &mut Planes<'_, T>,
    lo: usize,
    hi: usize,
    tau: &[Complex<T>],
    z: &mut Planes<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    let n = z.n;
    let mut zm = z.view();
    zm.fill(Complex::new(T::zero(), T::zero()));
    for i in 0..n {
        zm.write(i, i, Complex::new(T::one(), T::zero()));
    }
    let nq = hi.saturating_sub(lo + 1);
    if nq > 0 {
        let refl = h.view().into_ref().submatrix(lo + 1, lo, nq, nq);
        qr::form_q(refl, tau, zm.submatrix(lo + 1, lo + 1, nq, nq), par)?;
    }
    Ok(())
}
