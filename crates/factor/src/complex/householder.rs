//! Complex elementary reflectors `H = I − τ·v·vᴴ` with `v[0] = 1` (LAPACK `zlarfg`,
//! `zlarf`), on split storage.
//!
//! Unlike the real case, `H` is not Hermitian when `τ` is not real: `Hᴴ = I − τ̄·v·vᴴ`, so
//! applying `Hᴴ` means passing `τ.conj()`. [`make_reflector`] makes `β` **real**, which is
//! what lets a complex Hermitian matrix reduce to a real tridiagonal one and a complex
//! matrix to a real bidiagonal one (so the real tridiagonal and bidiagonal solvers finish
//! the job). As in [`crate::householder`], the vector is passed without its leading 1.

use lapis_kernels::{Par, Scalar, nrm2, scal};
use num_complex::Complex;

use super::{CMat, CMatMut, CMatRef, Conj, div, gemm};
use crate::FactorError;

/// The result of [`make_reflector`]: `Hᴴ·[α; x] = [β; 0]`, `β` real.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct CReflector<T> {
    /// The new leading entry, real: `β = −sign(Re α)·‖[α; x]‖₂` (`β = Re α` when `τ = 0`).
    pub beta: T,
    /// The scale `τ`, with `1 ≤ Re τ ≤ 2` and `|τ − 1| ≤ 1`, or `0` when `H = I`.
    pub tau: Complex<T>,
}

/// ‖x‖₂ of a complex vector (any view shape), overflow-safe.
pub fn norm2<T: Scalar>(x: CMatRef<'_, T>) -> T {
    nrm2(x.re()).hypot(nrm2(x.im()))
}

/// Generates `H = I − τ·[1; v]·[1; v]ᴴ` with `Hᴴ·[α; x] = [β; 0]` and `β` real (LAPACK
/// `zlarfg`); overwrites `x` with `v` and returns `β` and `τ`.
///
/// `τ = 0` (`H = I`) when `x = 0` and `α` is real. Otherwise `β = −sign(Re α)·‖[α; x]‖`,
/// `τ = (β − α)/β` and `v = x/(α − β)`, with the data scaled up first when `|β|` is below
/// `MIN_POSITIVE/ε` so that tiny (even subnormal) input keeps its accuracy. NaN or infinity
/// in the input gives NaN in the output; nothing panics.
///
/// ```
/// use lapis_factor::complex::{CMat, Complex, householder::make_reflector};
/// // Hᴴ·[3i, 4]ᵀ = [β, 0]ᵀ with |β| = 5
/// let mut x = CMat::from_interleaved(&[4.0f64, 0.0], 1, 1, 2, 2);
/// let r = make_reflector(Complex::new(0.0, 3.0), x.as_mut());
/// assert!((r.beta.abs() - 5.0).abs() < 1e-15);
/// ```
pub fn make_reflector<T: Scalar>(alpha: Complex<T>, mut x: CMatMut<'_, T>) -> CReflector<T> {
    let zero = T::zero();
    let mut xnorm = norm2(x.as_ref());
    if xnorm == zero && alpha.im == zero {
        return CReflector {
            beta: alpha.re,
            tau: Complex::new(zero, zero),
        };
    }
    let mut alpha = alpha;
    let norm3 = |a: Complex<T>, xn: T| a.re.hypot(a.im).hypot(xn);
    let mut beta = -norm3(alpha, xnorm).copysign(alpha.re);
    let safmin = T::MIN_POSITIVE / T::EPS;
    let rsafmin = T::one() / safmin;
    let mut knt = 0;
    if beta.abs() < safmin {
        while beta.abs() < safmin && knt < 20 {
            let (xr, xi) = x.planes();
            scal(rsafmin, xr);
            scal(rsafmin, xi);
            beta *= rsafmin;
            alpha *= rsafmin;
            knt += 1;
        }
        xnorm = norm2(x.as_ref());
        beta = -norm3(alpha, xnorm).copysign(alpha.re);
    }
    let tau = Complex::new((beta - alpha.re) / beta, -alpha.im / beta);
    let s = div(Complex::new(T::one(), zero), alpha - beta);
    scale(s, x.rb());
    for _ in 0..knt {
        beta *= safmin;
    }
    CReflector { beta, tau }
}

/// `x ← s·x` for a complex scalar `s`.
pub fn scale<T: Scalar>(s: Complex<T>, mut x: CMatMut<'_, T>) {
    let (m, n) = x.shape();
    for j in 0..n {
        for i in 0..m {
            let z = x.get(i, j);
            x.write(i, j, s * z);
        }
    }
}

fn vec_len<T: Scalar>(v: &CMatRef<'_, T>) -> Option<usize> {
    let (r, c) = v.shape();
    (r == 1 || c == 1 || r * c == 0).then_some(r * c)
}

/// `v_tail` as an `len × 1` column view (a row view is transposed).
fn as_col<T: Scalar>(v: CMatRef<'_, T>) -> CMatRef<'_, T> {
    if v.ncols() == 1 { v } else { v.transpose() }
}

/// `C ← H·C` with `H = I − τ·[1; v]·[1; v]ᴴ` (LAPACK `zlarf`, side left):
/// `wᴴ = C[0, :] + v_tailᴴ·C[1.., :]`, then `C[0, :] −= τ·w`, `C[1.., :] −= τ·v_tail·w`.
/// Pass `τ.conj()` to apply `Hᴴ`. `v_tail` is a vector of length `m − 1`.
pub fn apply_left<T: Scalar>(
    v_tail: CMatRef<'_, T>,
    tau: Complex<T>,
    c: CMatMut<'_, T>,
) -> Result<(), FactorError> {
    let (m, n) = c.shape();
    if vec_len(&v_tail) != Some(m.saturating_sub(1)) {
        return Err(FactorError::Shape {
            op: "complex::householder::apply_left",
            shapes: vec![("v_tail", v_tail.shape()), ("c", (m, n))],
        });
    }
    if m == 0 || n == 0 || tau == Complex::new(T::zero(), T::zero()) {
        return Ok(());
    }
    let v = as_col(v_tail);
    let (mut c0, mut c1) = c.split_at_row(1);
    // w (1 × n) = C[0, :] + vᴴ·C[1.., :]
    let mut w = CMat::from_view(c0.as_ref());
    if m > 1 {
        gemm(
            T::one(),
            v.transpose(),
            Conj::Yes,
            c1.as_ref(),
            Conj::No,
            T::one(),
            w.as_mut(),
            Par::Seq,
        )?;
    }
    scale(tau, w.as_mut());
    for j in 0..n {
        let z = c0.get(0, j) - w.as_ref().get(0, j);
        c0.write(0, j, z);
    }
    if m > 1 {
        gemm(
            -T::one(),
            v,
            Conj::No,
            w.as_ref(),
            Conj::No,
            T::one(),
            c1.rb(),
            Par::Seq,
        )?;
    }
    Ok(())
}

/// `C ← C·H` with `H = I − τ·[1; v]·[1; v]ᴴ` (LAPACK `zlarf`, side right):
/// `w = C[:, 0] + C[:, 1..]·v_tail`, then `C[:, 0] −= τ·w`, `C[:, 1..] −= τ·w·v_tailᴴ`.
/// Pass `τ.conj()` to apply `Hᴴ`. `v_tail` is a vector of length `n − 1`.
pub fn apply_right<T: Scalar>(
    v_tail: CMatRef<'_, T>,
    tau: Complex<T>,
    c: CMatMut<'_, T>,
) -> Result<(), FactorError> {
    let (m, n) = c.shape();
    if vec_len(&v_tail) != Some(n.saturating_sub(1)) {
        return Err(FactorError::Shape {
            op: "complex::householder::apply_right",
            shapes: vec![("v_tail", v_tail.shape()), ("c", (m, n))],
        });
    }
    if m == 0 || n == 0 || tau == Complex::new(T::zero(), T::zero()) {
        return Ok(());
    }
    let v = as_col(v_tail);
    let (mut c0, mut c1) = c.split_at_col(1);
    let mut w = CMat::from_view(c0.as_ref());
    if n > 1 {
        gemm(
            T::one(),
            c1.as_ref(),
            Conj::No,
            v,
            Conj::No,
            T::one(),
            w.as_mut(),
            Par::Seq,
        )?;
    }
    scale(tau, w.as_mut());
    for i in 0..m {
        let z = c0.get(i, 0) - w.as_ref().get(i, 0);
        c0.write(i, 0, z);
    }
    if n > 1 {
        gemm(
            -T::one(),
            w.as_ref(),
            Conj::No,
            v.transpose(),
            Conj::Yes,
            T::one(),
            c1.rb(),
            Par::Seq,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(m: usize, n: usize, seed: u64, scale: f64) -> CMat<f64> {
        let mut s = seed;
        let mut next = || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (((s >> 11) as f64 / (1u64 << 53) as f64) - 0.5) * scale
        };
        let parts: Vec<f64> = (0..2 * m * n).map(|_| next()).collect();
        CMat::from_interleaved(&parts, m, n, 2, 2 * m)
    }

    /// `Hᴴ·[α; x] = [β; 0]`, `H` unitary, at ordinary, tiny and huge scales.
    #[test]
    fn reflector_annihilates_and_is_unitary() {
        for (seed, scale) in [(1, 1.0), (2, 1e-310), (3, 1e300), (4, 1e-160)] {
            let m = 6;
            let col = sample(m, 1, seed, scale);
            let alpha = col.as_ref().get(0, 0);
            let mut x = CMat::from_view(col.as_ref().submatrix(1, 0, m - 1, 1));
            let r = make_reflector(alpha, x.as_mut());
            let norm = norm2(col.as_ref());
            assert!(
                (r.beta.abs() / norm - 1.0).abs() < 8.0 * f64::EPSILON,
                "{seed}"
            );
            // Hᴴ·col: apply with conj(τ)
            let mut c = col.clone();
            apply_left(x.as_ref(), r.tau.conj(), c.as_mut()).unwrap();
            let c0 = c.as_ref().get(0, 0);
            // Relative to the norm, plus gradual underflow's absolute error (half the
            // smallest subnormal per operation) when the data are subnormal.
            let tol = 8.0 * f64::EPSILON * norm + 8.0 * m as f64 * f64::from_bits(1);
            assert!((c0.re - r.beta).abs() <= tol, "{seed}: {c0}");
            assert!(c0.im.abs() <= tol);
            for i in 1..m {
                assert!(c.as_ref().get(i, 0).norm() <= tol);
            }
            // H·Hᴴ = I on the identity, through both sides.
            let mut q = CMat::identity(m);
            apply_left(x.as_ref(), r.tau, q.as_mut()).unwrap();
            apply_right(x.as_ref(), r.tau.conj(), q.as_mut()).unwrap();
            let qa = q.as_ref();
            for i in 0..m {
                for j in 0..m {
                    let want = if i == j { 1.0 } else { 0.0 };
                    assert!(
                        (qa.get(i, j) - want).norm() < 8.0 * f64::EPSILON,
                        "{seed} {i} {j}"
                    );
                }
            }
        }
    }

    #[test]
    fn zero_tail_with_real_alpha_is_identity() {
        let mut x = CMat::<f64>::zeros(3, 1);
        let r = make_reflector(Complex::new(-2.0, 0.0), x.as_mut());
        assert_eq!(r.tau, Complex::new(0.0, 0.0));
        assert_eq!(r.beta, -2.0);
        // A complex α with x = 0 still needs a reflector to make β real.
        let r = make_reflector(Complex::new(0.0, 2.0), x.as_mut());
        assert_eq!(r.beta.abs(), 2.0);
        assert!(r.tau != Complex::new(0.0, 0.0));
    }
}
