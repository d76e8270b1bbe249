//! Complex Cholesky of a Hermitian positive definite matrix, `A = L·Lᴴ` or `A = Uᴴ·U`
//! (LAPACK `zpotrf`), and its solve (`zpotrs`).
//!
//! `l_jj = √(a_jj − Σ_{k<j} |l_jk|²)` is real; it exists for every `j` exactly when every
//! leading principal minor is positive. As in LAPACK, only the named triangle is read and
//! written, and the imaginary parts of the diagonal are ignored (a Hermitian matrix has a
//! real diagonal). The factorization is recursive: `L11 = chol(A11)`, `L21 = A21·L11⁻ᴴ`
//! ([`trsm`]), `A22 ← A22 − L21·L21ᴴ` on its lower triangle (a `herk` made of [`gemm`]
//! blocks), recurse on `A22`.

use lapis_kernels::{Diag, Par, Scalar, Side, Uplo};
use num_complex::Complex;

use super::{CMat, CMatMut, CMatRef, Conj, gemm, trsm};
use crate::FactorError;
use crate::cholesky::CholeskyParams;
use crate::util::all_finite;

/// Factors the Hermitian positive definite `a` (any strides) in place, with the default
/// [`CholeskyParams`] of the part type: `Uplo::Lower` gives `A = L·Lᴴ` with `L` in the lower
/// triangle, `Uplo::Upper` gives `A = Uᴴ·U` with `U` in the upper triangle. The factor's
/// diagonal is real and positive (its imaginary parts are written as zeros); the other
/// triangle is neither read nor written.
///
/// Errors: [`FactorError::NotPositiveDefinite`] `{ minor }` (1-based, LAPACK's `info`);
/// [`FactorError::NotSquare`]; [`FactorError::NonFinite`] (leaving `a` untouched) when the
/// triangle holds NaN or an infinity (the diagonal's imaginary parts are not looked at).
///
/// ```
/// use lapis_factor::complex::{CMat, Complex, cholesky};
/// use lapis_factor::kernels::{Par, Uplo};
/// // numpy: np.linalg.cholesky([[4, 2j], [-2j, 5]])  -> [[2, 0], [-1j, 2]]
/// let mut a = CMat::from_interleaved(&[4.0, 0.0, 0.0, 2.0, 0.0, -2.0, 5.0, 0.0], 2, 2, 4, 2);
/// cholesky::factor(a.as_mut(), Uplo::Lower, Par::Seq).unwrap();
/// assert_eq!(a.as_ref().get(0, 0), Complex::new(2.0, 0.0));
/// assert_eq!(a.as_ref().get(1, 0), Complex::new(0.0, -1.0));
/// assert_eq!(a.as_ref().get(1, 1), Complex::new(2.0, 0.0));
/// ```
pub fn factor<T: Scalar>(a: CMatMut<'_, T>, uplo: Uplo, par: Par) -> Result<(), FactorError> {
    factor_with_params(a, uplo, par, &CholeskyParams::for_scalar::<T>())
}

/// [`factor`] with explicit tuning parameters.
///
/// ```
/// use lapis_factor::complex::{CMat, cholesky};
/// use lapis_factor::cholesky::CholeskyParams;
/// use lapis_factor::kernels::{Par, Uplo};
/// use lapis_factor::FactorError;
/// // numpy: np.linalg.cholesky([[1, 2j], [-2j, 1]])  -> LinAlgError (not positive definite)
/// let params = CholeskyParams { check_finite: false, ..CholeskyParams::for_scalar::<f64>() };
/// let mut a = CMat::from_interleaved(&[1.0, 0.0, 0.0, 2.0, 0.0, -2.0, 1.0, 0.0], 2, 2, 4, 2);
/// let e = cholesky::factor_with_params(a.as_mut(), Uplo::Upper, Par::Seq, &params);
/// assert_eq!(e, Err(FactorError::NotPositiveDefinite { minor: 2 }));
/// ```
pub fn factor_with_params<T: Scalar>(
    a: CMatMut<'_, T>,
    uplo: Uplo,
    par: Par,
    params: &CholeskyParams,
) -> Result<(), FactorError> {
    let (m, n) = a.shape();
    if m != n {
        return Err(FactorError::NotSquare { nrows: m, ncols: n });
    }
    // The transposed view's lower triangle holds the upper triangle of A, i.e. conj(A)'s
    // lower one; conj(A) = L'·L'ᴴ gives A = Uᴴ·U with U = L'ᵀ, which the view stores
    // exactly where U belongs. conj(A) has the same leading minors.
    let a = match uplo {
        Uplo::Lower => a,
        Uplo::Upper => a.transpose(),
    };
    if params.check_finite && !lower_finite(a.as_ref()) {
        return Err(FactorError::NonFinite);
    }
    lower(a, par, params.recursion_threshold.max(1))
}

/// Whether the strictly lower parts and the real diagonal of `a` are finite.
fn lower_finite<T: Scalar>(a: CMatRef<'_, T>) -> bool {
    let n = a.nrows();
    (0..n).all(|j| {
        a.re().get(j, j).is_finite()
            && (j + 1..n).all(|i| a.re().get(i, j).is_finite() && a.im().get(i, j).is_finite())
    })
}

/// `[A11 ·; A21 A22]`: `L11 = chol(A11)`, `L21 = A21·L11⁻ᴴ`, `L22 = chol(A22 − L21·L21ᴴ)`.
fn lower<T: Scalar>(a: CMatMut<'_, T>, par: Par, threshold: usize) -> Result<(), FactorError> {
    let n = a.nrows();
    if n <= threshold {
        return unblocked(a);
    }
    let n1 = n / 2;
    let (top, bottom) = a.split_at_row(n1);
    let (mut a11, _) = top.split_at_col(n1);
    let (mut a21, mut a22) = bottom.split_at_col(n1);
    lower(a11.rb(), par, threshold)?;
    // X·L11ᴴ = A21, L11ᴴ = conj(L11ᵀ) the upper triangle of the conjugated transposed view.
    trsm(
        Side::Right,
        Uplo::Upper,
        Diag::NonUnit,
        Conj::Yes,
        a11.as_ref().transpose(),
        a21.rb(),
        par,
    )?;
    herk_lower(a22.rb(), a21.as_ref(), par, threshold)?;
    lower(a22, par, threshold).map_err(|e| match e {
        FactorError::NotPositiveDefinite { minor } => {
            FactorError::NotPositiveDefinite { minor: minor + n1 }
        }
        other => other,
    })
}

/// `C ← C − A·Aᴴ` on the lower triangle of the square `c` only (BLAS `zherk`): the
/// off-diagonal block by one [`gemm`], the diagonal blocks recursively, and at the leaves
/// the full product into a scratch block of which the lower triangle is subtracted.
fn herk_lower<T: Scalar>(
    mut c: CMatMut<'_, T>,
    a: CMatRef<'_, T>,
    par: Par,
    threshold: usize,
) -> Result<(), FactorError> {
    let n = c.nrows();
    let one = T::one();
    if n <= 2 * threshold {
        let mut t = CMat::zeros(n, n);
        gemm(
            one,
            a,
            Conj::No,
            a.transpose(),
            Conj::Yes,
            T::zero(),
            t.as_mut(),
            par,
        )?;
        for j in 0..n {
            for i in j..n {
                let z = c.get(i, j) - t.as_ref().get(i, j);
                c.write(i, j, z);
            }
        }
        return Ok(());
    }
    let n1 = n / 2;
    let (a1, a2) = a.split_at_row(n1);
    let (top, bottom) = c.split_at_row(n1);
    let (c11, _) = top.split_at_col(n1);
    let (c21, c22) = bottom.split_at_col(n1);
    gemm(-one, a2, Conj::No, a1.transpose(), Conj::Yes, one, c21, par)?;
    herk_lower(c11, a1, par, threshold)?;
    herk_lower(c22, a2, par, threshold)
}

/// Left-looking column by column (LAPACK `zpotf2`): `d = re(a_jj) − Σ_{k<j} |l_jk|²` must be
/// positive (a NaN `d` fails too), `l_jj = √d`, `l_ij = (a_ij − Σ_{k<j} l_ik·conj(l_jk)) / l_jj`.
fn unblocked<T: Scalar>(mut a: CMatMut<'_, T>) -> Result<(), FactorError> {
    let n = a.nrows();
    let zero = T::zero();
    for j in 0..n {
        let mut d = a.get(j, j).re;
        for k in 0..j {
            d -= a.get(j, k).norm_sqr();
        }
        // `d > 0` is false for NaN as well: a NaN pivot fails here instead of propagating.
        let positive = d > zero;
        if !positive {
            a.write(j, j, Complex::new(d, zero));
            return Err(FactorError::NotPositiveDefinite { minor: j + 1 });
        }
        let d = d.sqrt();
        a.write(j, j, Complex::new(d, zero));
        for i in j + 1..n {
            let mut s = a.get(i, j);
            for k in 0..j {
                s -= a.get(i, k) * a.get(j, k).conj();
            }
            a.write(i, j, s / d);
        }
    }
    Ok(())
}

/// Solves `A·X = B` in place in `b` (`n × nrhs`, any strides) from the Cholesky factor of
/// `A` computed by [`factor`] with the same `uplo` (LAPACK `zpotrs`): `Lower`:
/// `X = L⁻ᴴ·L⁻¹·B`; `Upper`: `X = U⁻¹·U⁻ᴴ·B`. Only the triangle `uplo` is read.
///
/// Errors: [`FactorError::NotSquare`] / [`FactorError::Shape`] for inconsistent operands,
/// [`FactorError::Singular`] for a zero on the factor's diagonal (never the case for one
/// that [`factor`] produced), [`FactorError::NonFinite`] when `b` holds NaN or an infinity.
///
/// ```
/// use lapis_factor::complex::{CMat, Complex, cholesky};
/// use lapis_factor::kernels::{Par, Uplo};
/// // scipy: cho_solve(cho_factor([[4, 2j], [-2j, 5]], lower=True), [4+2j, -2j+5])  -> [1, 1]
/// let mut a = CMat::from_interleaved(&[4.0, 0.0, 0.0, 2.0, 0.0, -2.0, 5.0, 0.0], 2, 2, 4, 2);
/// cholesky::factor(a.as_mut(), Uplo::Lower, Par::Seq).unwrap();
/// let mut b = CMat::from_interleaved(&[4.0, 2.0, 5.0, -2.0], 2, 1, 2, 4);
/// cholesky::solve(a.as_ref(), Uplo::Lower, b.as_mut(), Par::Seq).unwrap();
/// assert!((b.as_ref().get(0, 0) - Complex::new(1.0, 0.0)).norm() < 1e-15);
/// assert!((b.as_ref().get(1, 0) - Complex::new(1.0, 0.0)).norm() < 1e-15);
/// ```
pub fn solve<T: Scalar>(
    factor: CMatRef<'_, T>,
    uplo: Uplo,
    mut b: CMatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    let (m, n) = factor.shape();
    if m != n {
        return Err(FactorError::NotSquare { nrows: m, ncols: n });
    }
    if b.nrows() != n {
        return Err(FactorError::Shape {
            op: "complex::cholesky::solve",
            shapes: vec![("factor", factor.shape()), ("b", b.shape())],
        });
    }
    let zero = Complex::new(T::zero(), T::zero());
    if let Some(index) = (0..n).find(|&i| factor.get(i, i) == zero) {
        return Err(FactorError::Singular { index });
    }
    if !(all_finite(b.as_ref().re()) && all_finite(b.as_ref().im())) {
        return Err(FactorError::NonFinite);
    }
    let (first, second) = match uplo {
        // L·Lᴴ: L, then Lᴴ = conj(Lᵀ), the upper triangle of the transposed view.
        Uplo::Lower => (
            (Uplo::Lower, Conj::No, factor),
            (Uplo::Upper, Conj::Yes, factor.transpose()),
        ),
        // Uᴴ·U: Uᴴ = conj(Uᵀ), the lower triangle of the transposed view, then U.
        Uplo::Upper => (
            (Uplo::Lower, Conj::Yes, factor.transpose()),
            (Uplo::Upper, Conj::No, factor),
        ),
    };
    for (tri, conj, t) in [first, second] {
        trsm(Side::Left, tri, Diag::NonUnit, conj, t, b.rb(), par)?;
    }
    Ok(())
}
