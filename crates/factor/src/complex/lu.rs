//! Complex LU with partial pivoting, `P·A = L·U` (LAPACK `zgetrf`), and what it gives:
//! solves with `A`, `Aᵀ` or `Aᴴ` (`zgetrs`), the inverse, the determinant and `slogdet`.
//!
//! The conventions are the real [`crate::lu`]'s: `L` unit lower (not stored on the
//! diagonal), `U` upper, `ipiv[i]` the row exchanged with row `i` at step `i` (0-based), a
//! zero pivot reported in [`LuStatus`] without stopping. The pivot of a column is its entry
//! of largest `|re| + |im|` ([`abs1`], LAPACK's `cabs1`; the first one on ties). The
//! factorization is recursive (split the columns in halves, factor the left half, update
//! the right half by [`trsm`] and [`gemm`], recurse), so nearly all flops run in the real
//! GEMM kernels.

use lapis_kernels::{Diag, Par, Scalar, Side, Uplo, axpy};
use num_complex::Complex;

use super::{CMat, CMatMut, CMatRef, Conj, abs, abs1, div, gemm, trsm};
use crate::FactorError;
use crate::lu::{LuParams, LuStatus, check_pivot_values, frexp, ldexp, odd_permutation};
use crate::util::{all_finite, apply_row_swaps};

/// Which system [`solve`] solves (LAPACK's `trans`; scipy's `lu_solve(…, trans=0/1/2)`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Trans {
    /// `A·X = B`.
    #[default]
    No,
    /// `Aᵀ·X = B`.
    Transpose,
    /// `Aᴴ·X = B`.
    ConjTranspose,
}

/// Factors `a` (`m × n`, any strides) as `P·A = L·U` in place, with the default
/// [`LuParams`] of the part type `T`.
///
/// On return the strictly lower part of `a` holds `L`, the upper part `U`, and `ipiv`
/// (length `min(m, n)`) the interchanges. The first exactly zero pivot is reported in
/// [`LuStatus`] (LAPACK's `info > 0`); the factorization is complete either way.
///
/// Errors (leaving `a` untouched): [`FactorError::Shape`] when `ipiv` has the wrong length,
/// [`FactorError::NonFinite`] when a part of `a` is NaN or infinite.
///
/// ```
/// use lapis_factor::complex::{CMat, Complex, lu};
/// use lapis_factor::kernels::Par;
/// // scipy: lu, piv = lu_factor([[1, 2j], [1j, 1]])  -> piv [0, 1], lu [[1, 2j], [1j, 3]]
/// let mut a = CMat::from_interleaved(&[1.0, 0.0, 0.0, 1.0, 0.0, 2.0, 1.0, 0.0], 2, 2, 2, 4);
/// let mut ipiv = [0; 2];
/// let status = lu::factor(a.as_mut(), &mut ipiv, Par::Seq).unwrap();
/// assert!(!status.is_singular());
/// assert_eq!(ipiv, [0, 1]);
/// assert_eq!(a.as_ref().get(1, 0), Complex::new(0.0, 1.0)); // l10 = 1j / 1
/// assert_eq!(a.as_ref().get(1, 1), Complex::new(3.0, 0.0)); // u11 = 1 - 1j·2j
/// ```
pub fn factor<T: Scalar>(
    a: CMatMut<'_, T>,
    ipiv: &mut [usize],
    par: Par,
) -> Result<LuStatus, FactorError> {
    factor_with_params(a, ipiv, par, &LuParams::for_scalar::<T>())
}

/// [`factor`] with explicit tuning parameters (`block_size` is not used: the factorization
/// is recursive all the way down to `recursion_threshold` columns).
///
/// ```
/// use lapis_factor::complex::{CMat, lu};
/// use lapis_factor::kernels::Par;
/// use lapis_factor::lu::LuParams;
/// // scipy: lu_factor([[1j, 2j], [1, 2]], check_finite=False): singular, U[1, 1] == 0
/// let params = LuParams { check_finite: false, ..LuParams::for_scalar::<f64>() };
/// let mut a = CMat::from_interleaved(&[0.0, 1.0, 0.0, 2.0, 1.0, 0.0, 2.0, 0.0], 2, 2, 4, 2);
/// let mut ipiv = [0; 2];
/// let s = lu::factor_with_params(a.as_mut(), &mut ipiv, Par::Seq, &params).unwrap();
/// assert_eq!(s.first_zero_pivot, Some(1));
/// ```
pub fn factor_with_params<T: Scalar>(
    mut a: CMatMut<'_, T>,
    ipiv: &mut [usize],
    par: Par,
    params: &LuParams,
) -> Result<LuStatus, FactorError> {
    let (m, n) = a.shape();
    if ipiv.len() != m.min(n) {
        return Err(FactorError::Shape {
            op: "complex::lu::factor",
            shapes: vec![("a", (m, n)), ("ipiv", (ipiv.len(), 1))],
        });
    }
    if params.check_finite && !(all_finite(a.as_ref().re()) && all_finite(a.as_ref().im())) {
        return Err(FactorError::NonFinite);
    }
    let first_zero_pivot = recursive(a.rb(), ipiv, par, params.recursion_threshold.max(1))?;
    Ok(LuStatus { first_zero_pivot })
}

/// Applies the interchanges `ipiv` to the rows of both planes (see `apply_row_swaps`).
fn swap_rows<T: Scalar>(a: CMatMut<'_, T>, ipiv: &[usize], forward: bool) {
    let (re, im) = a.into_planes();
    apply_row_swaps(re, ipiv, forward);
    apply_row_swaps(im, ipiv, forward);
}

/// Recursive LU of the panel `a` (pivots local to it): factor the left `k/2` columns,
/// swap and update the right ones (`A12 ← L11⁻¹·A12`, `A22 ← A22 − A21·A12`), factor
/// `A22`, and carry its interchanges back into `A21`.
fn recursive<T: Scalar>(
    mut a: CMatMut<'_, T>,
    ipiv: &mut [usize],
    par: Par,
    threshold: usize,
) -> Result<Option<usize>, FactorError> {
    let (m, n) = a.shape();
    let k = m.min(n);
    if k == 0 {
        return Ok(None);
    }
    if n <= threshold || k == 1 {
        return unblocked(a, ipiv);
    }
    let n1 = k / 2;
    let (mut left, mut right) = a.rb().split_at_col(n1);
    let (piv1, piv2) = ipiv.split_at_mut(n1);
    let first = recursive(left.rb(), piv1, par, threshold)?;
    swap_rows(right.rb(), piv1, true);
    let (l11, mut a21) = left.split_at_row(n1);
    let (mut a12, mut a22) = right.split_at_row(n1);
    let one = T::one();
    trsm(
        Side::Left,
        Uplo::Lower,
        Diag::Unit,
        Conj::No,
        l11.into_ref(),
        a12.rb(),
        par,
    )?;
    gemm(
        -one,
        a21.as_ref(),
        Conj::No,
        a12.as_ref(),
        Conj::No,
        one,
        a22.rb(),
        par,
    )?;
    let second = recursive(a22, piv2, par, threshold)?;
    swap_rows(a21.rb(), piv2, true);
    piv2.iter_mut().for_each(|p| *p += n1);
    Ok(first.or(second.map(|i| i + n1)))
}

/// Right-looking LU of a narrow panel (LAPACK `zgetf2`): pivot on the largest `abs1` on or
/// below the diagonal, scale the column below by the pivot's reciprocal (or divide, when
/// the reciprocal would overflow), and subtract the rank-1 product from the columns to the
/// right, as four real `axpy`s per column. A zero pivot skips the division and is reported.
fn unblocked<T: Scalar>(
    mut a: CMatMut<'_, T>,
    ipiv: &mut [usize],
) -> Result<Option<usize>, FactorError> {
    let (m, n) = a.shape();
    let zero = Complex::new(T::zero(), T::zero());
    let mut first = None;
    for j in 0..m.min(n) {
        let mut p = j;
        let mut best = abs1(a.get(j, j));
        for i in j + 1..m {
            let v = abs1(a.get(i, j));
            if v > best {
                best = v;
                p = i;
            }
        }
        ipiv[j] = p;
        let pivot = a.get(p, j);
        if pivot != zero {
            if p != j {
                let (mut re, mut im) = a.planes();
                lapis_kernels::swap_rows(re.rb(), j, p);
                lapis_kernels::swap_rows(im.rb(), j, p);
            }
            let recip = (abs(pivot) >= T::MIN_POSITIVE)
                .then(|| div(Complex::new(T::one(), T::zero()), pivot));
            for i in j + 1..m {
                let x = a.get(i, j);
                a.write(i, j, recip.map_or_else(|| div(x, pivot), |r| x * r));
            }
        } else if first.is_none() {
            first = Some(j);
        }
        let (lcols, mut rcols) = a.rb().split_at_col(j + 1);
        let l = lcols.into_ref().submatrix(j + 1, j, m - j - 1, 1);
        for c in 0..n - j - 1 {
            let u = rcols.get(j, c);
            if u == zero {
                continue;
            }
            let y = rcols.rb().submatrix(j + 1, c, m - j - 1, 1);
            let (mut yr, mut yi) = y.into_planes();
            // y ← y − l·u: re −= lr·ur − li·ui, im −= lr·ui + li·ur.
            axpy(-u.re, l.re(), yr.rb())?;
            axpy(u.im, l.im(), yr)?;
            axpy(-u.im, l.re(), yi.rb())?;
            axpy(-u.re, l.im(), yi)?;
        }
    }
    Ok(first)
}

/// Square, pivots of the right length and inside the matrix. Returns `n`.
fn check_factorization<T: Scalar>(
    op: &'static str,
    lu: CMatRef<'_, T>,
    ipiv: &[usize],
) -> Result<usize, FactorError> {
    let (m, n) = lu.shape();
    if m != n {
        return Err(FactorError::NotSquare { nrows: m, ncols: n });
    }
    if ipiv.len() != n {
        return Err(FactorError::Shape {
            op,
            shapes: vec![("lu", (m, n)), ("ipiv", (ipiv.len(), 1))],
        });
    }
    check_pivot_values(ipiv, n)?;
    Ok(n)
}

/// 0-based index of the first exact zero on the diagonal.
fn first_zero_diagonal<T: Scalar>(a: CMatRef<'_, T>) -> Option<usize> {
    let zero = Complex::new(T::zero(), T::zero());
    (0..a.nrows().min(a.ncols())).find(|&i| a.get(i, i) == zero)
}

/// Solves `A·X = B`, `Aᵀ·X = B` or `Aᴴ·X = B` (`trans`) in place in `b` (`n × nrhs`, any
/// strides) from the factorization `lu`, `ipiv` of [`factor`] (LAPACK `zgetrs`).
///
/// `A = Pᵀ·L·U`, so `X = U⁻¹·L⁻¹·P·B`, `X = Pᵀ·L⁻ᵀ·U⁻ᵀ·B` or `X = Pᵀ·L⁻ᴴ·U⁻ᴴ·B`.
///
/// Errors: [`FactorError::Singular`] (first zero on `U`'s diagonal) before anything is
/// written; [`FactorError::NotSquare`], [`FactorError::Shape`], [`FactorError::InvalidPivot`]
/// for inconsistent operands; [`FactorError::NonFinite`] when `b` holds NaN or an infinity.
///
/// ```
/// use lapis_factor::complex::{CMat, Complex, lu};
/// use lapis_factor::kernels::Par;
/// // scipy: lu_solve(lu_factor([[1, 2j], [1j, 1]]), [1+2j, 1+1j], trans=2)  (Aᴴ·x = b)
/// let mut a = CMat::from_interleaved(&[1.0, 0.0, 0.0, 1.0, 0.0, 2.0, 1.0, 0.0], 2, 2, 2, 4);
/// let mut ipiv = [0; 2];
/// lu::factor(a.as_mut(), &mut ipiv, Par::Seq).unwrap();
/// let mut b = CMat::from_interleaved(&[1.0, 2.0, 1.0, 1.0], 2, 1, 2, 4);
/// lu::solve(a.as_ref(), &ipiv, b.as_mut(), lu::Trans::ConjTranspose, Par::Seq).unwrap();
/// // Aᴴ = [[1, -1j], [-2j, 1]]: the residual of Aᴴ·x = b is at rounding level
/// let x = (b.as_ref().get(0, 0), b.as_ref().get(1, 0));
/// let r0 = x.0 + Complex::new(0.0, -1.0) * x.1 - Complex::new(1.0, 2.0);
/// let r1 = Complex::new(0.0, -2.0) * x.0 + x.1 - Complex::new(1.0, 1.0);
/// assert!(r0.norm() < 1e-15 && r1.norm() < 1e-15);
/// ```
pub fn solve<T: Scalar>(
    lu: CMatRef<'_, T>,
    ipiv: &[usize],
    b: CMatMut<'_, T>,
    trans: Trans,
    par: Par,
) -> Result<(), FactorError> {
    let n = check_factorization("complex::lu::solve", lu, ipiv)?;
    if b.nrows() != n {
        return Err(FactorError::Shape {
            op: "complex::lu::solve",
            shapes: vec![("lu", lu.shape()), ("b", b.shape())],
        });
    }
    if let Some(index) = first_zero_diagonal(lu) {
        return Err(FactorError::Singular { index });
    }
    if !(all_finite(b.as_ref().re()) && all_finite(b.as_ref().im())) {
        return Err(FactorError::NonFinite);
    }
    solve_unchecked(lu, ipiv, b, trans, par)
}

/// The solve once the operands are known to be consistent.
fn solve_unchecked<T: Scalar>(
    lu: CMatRef<'_, T>,
    ipiv: &[usize],
    mut b: CMatMut<'_, T>,
    trans: Trans,
    par: Par,
) -> Result<(), FactorError> {
    let conj = match trans {
        Trans::No => {
            swap_rows(b.rb(), ipiv, true);
            let (l, u) = (Diag::Unit, Diag::NonUnit);
            trsm(Side::Left, Uplo::Lower, l, Conj::No, lu, b.rb(), par)?;
            return trsm(Side::Left, Uplo::Upper, u, Conj::No, lu, b, par);
        }
        Trans::Transpose => Conj::No,
        Trans::ConjTranspose => Conj::Yes,
    };
    // Uᵀ and Lᵀ are the lower and upper triangles of the transposed view.
    let lut = lu.transpose();
    trsm(
        Side::Left,
        Uplo::Lower,
        Diag::NonUnit,
        conj,
        lut,
        b.rb(),
        par,
    )?;
    trsm(Side::Left, Uplo::Upper, Diag::Unit, conj, lut, b.rb(), par)?;
    swap_rows(b, ipiv, false);
    Ok(())
}

/// Overwrites the factorization in `a` (from [`factor`], with its `ipiv`) with `A⁻¹`, by
/// solving `A·X = I` (about `8n³/3` complex flops, twice LAPACK's `zgetri`, all in GEMM).
///
/// Errors: [`FactorError::Singular`] (first zero on `U`'s diagonal) before anything is
/// written; [`FactorError::NotSquare`], [`FactorError::Shape`], [`FactorError::InvalidPivot`]
/// for inconsistent operands.
///
/// ```
/// use lapis_factor::complex::{CMat, Complex, lu};
/// use lapis_factor::kernels::Par;
/// // numpy: np.linalg.inv([[2j, 0], [0, 4]])  -> [[-0.5j, 0], [0, 0.25]]
/// let mut a = CMat::from_interleaved(&[0.0, 2.0, 0.0, 0.0, 0.0, 0.0, 4.0, 0.0], 2, 2, 4, 2);
/// let mut ipiv = [0; 2];
/// lu::factor(a.as_mut(), &mut ipiv, Par::Seq).unwrap();
/// lu::inverse(a.as_mut(), &ipiv, Par::Seq).unwrap();
/// assert_eq!(a.as_ref().get(0, 0), Complex::new(0.0, -0.5));
/// assert_eq!(a.as_ref().get(1, 1), Complex::new(0.25, 0.0));
/// ```
pub fn inverse<T: Scalar>(
    mut a: CMatMut<'_, T>,
    ipiv: &[usize],
    par: Par,
) -> Result<(), FactorError> {
    let n = check_factorization("complex::lu::inverse", a.as_ref(), ipiv)?;
    if let Some(index) = first_zero_diagonal(a.as_ref()) {
        return Err(FactorError::Singular { index });
    }
    let factors = CMat::from_view(a.as_ref());
    a.fill(Complex::new(T::zero(), T::zero()));
    for i in 0..n {
        a.write(i, i, Complex::new(T::one(), T::zero()));
    }
    solve_unchecked(factors.as_ref(), ipiv, a, Trans::No, par)
}

/// The parts of `z` as `f64`.
fn widen<T: Scalar>(z: Complex<T>) -> Complex<f64> {
    Complex::new(z.re.to_f64(), z.im.to_f64())
}

/// `z = w·2^e` with the larger part of `w` in `[1, 2)` (exact: powers of two); zero and
/// non-finite `z` come back as `(z, 0)`.
fn normalize(z: Complex<f64>) -> (Complex<f64>, i64) {
    let (_, e) = frexp(z.re.abs().max(z.im.abs()));
    (Complex::new(ldexp(z.re, -e), ldexp(z.im, -e)), e)
}

/// The determinant of `A` from its factorization `lu`, `ipiv` (numpy's `det` of a complex
/// matrix): `±∏ u_ii`, accumulated as a complex mantissa and a binary exponent, so it
/// overflows or underflows only when the determinant itself is out of range. A zero pivot
/// gives `0`; the 0 × 0 determinant is 1. Errors only for inconsistent operands.
///
/// ```
/// use lapis_factor::complex::{CMat, Complex, lu};
/// use lapis_factor::kernels::Par;
/// // numpy: np.linalg.det([[1, 2j], [1j, 1]])  -> (3+0j)
/// let mut a = CMat::from_interleaved(&[1.0, 0.0, 0.0, 1.0, 0.0, 2.0, 1.0, 0.0], 2, 2, 2, 4);
/// let mut ipiv = [0; 2];
/// lu::factor(a.as_mut(), &mut ipiv, Par::Seq).unwrap();
/// assert_eq!(lu::det(a.as_ref(), &ipiv).unwrap(), Complex::new(3.0, 0.0));
/// ```
pub fn det<T: Scalar>(lu: CMatRef<'_, T>, ipiv: &[usize]) -> Result<Complex<T>, FactorError> {
    let n = check_factorization("complex::lu::det", lu, ipiv)?;
    let s = if odd_permutation(ipiv) { -1.0 } else { 1.0 };
    let mut mant = Complex::new(s, 0.0);
    let mut exp: i64 = 0;
    for i in 0..n {
        let (d, e) = normalize(widen(lu.get(i, i)));
        // Both mantissas have parts below 2 in magnitude: the product cannot overflow.
        let (m, e2) = normalize(mant * d);
        mant = m;
        exp += e + e2;
    }
    Ok(Complex::new(
        T::from_f64(ldexp(mant.re, exp)),
        T::from_f64(ldexp(mant.im, exp)),
    ))
}

/// The sign (a complex number of modulus 1) and the natural logarithm of the modulus of
/// `det A`, from its factorization (numpy's `slogdet` of a complex matrix): `det A = sign ·
/// exp(logabsdet)`. `logabsdet = Σ ln|u_ii|` never overflows.
///
/// A zero pivot gives `(0, −∞)`, NaN in the factors `(NaN + NaN·i, NaN)`, the 0 × 0 matrix
/// `(1, 0)`. Errors only for inconsistent operands.
///
/// ```
/// use lapis_factor::complex::{CMat, Complex, lu};
/// use lapis_factor::kernels::Par;
/// // numpy: np.linalg.slogdet(1e200j * np.eye(2))  -> (-1+0j, 921.034...)
/// let mut a = CMat::from_interleaved(&[0.0, 1e200, 0.0, 0.0, 0.0, 0.0, 0.0, 1e200], 2, 2, 4, 2);
/// let mut ipiv = [0; 2];
/// lu::factor(a.as_mut(), &mut ipiv, Par::Seq).unwrap();
/// let (sign, logdet) = lu::slogdet(a.as_ref(), &ipiv).unwrap();
/// assert!((sign - Complex::new(-1.0, 0.0)).norm() < 1e-15);
/// assert!((logdet - 400.0 * 10f64.ln()).abs() < 1e-12);
/// ```
pub fn slogdet<T: Scalar>(
    lu: CMatRef<'_, T>,
    ipiv: &[usize],
) -> Result<(Complex<T>, T), FactorError> {
    let n = check_factorization("complex::lu::slogdet", lu, ipiv)?;
    let s = if odd_permutation(ipiv) { -1.0 } else { 1.0 };
    let mut sign = Complex::new(s, 0.0);
    let mut logdet = 0.0f64;
    let mut singular = false;
    for i in 0..n {
        let d = widen(lu.get(i, i));
        if d.re.is_nan() || d.im.is_nan() {
            return Ok((Complex::new(T::nan(), T::nan()), T::nan()));
        }
        let r = d.re.hypot(d.im);
        if r == 0.0 {
            // Keep scanning: a later NaN still wins, as in numpy.
            singular = true;
            continue;
        }
        if !singular {
            sign *= d / r;
            // Renormalize so that rounding does not drift the modulus away from 1.
            sign /= sign.re.hypot(sign.im);
            logdet += r.ln();
        }
    }
    if singular {
        return Ok((Complex::new(T::zero(), T::zero()), T::neg_infinity()));
    }
    Ok((
        Complex::new(T::from_f64(sign.re), T::from_f64(sign.im)),
        T::from_f64(logdet),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::complex::test_util::sample;

    /// `P·A − L·U` reconstructed with `gemm`, relative to `‖A‖·k·ε`, across the recursion
    /// threshold, tall and wide.
    #[test]
    fn reconstructs_p_a() {
        for (m, n) in [(1, 1), (7, 7), (40, 40), (53, 31), (31, 53)] {
            let a = sample(m, n, 3 + m as u64 * n as u64);
            let mut f = a.clone();
            let k = m.min(n);
            let mut ipiv = vec![0; k];
            let s = factor(f.as_mut(), &mut ipiv, Par::Seq).unwrap();
            assert!(!s.is_singular());
            let (mut l, mut u) = (CMat::zeros(m, k), CMat::zeros(k, n));
            for i in 0..m {
                for j in 0..n {
                    let z = f.as_ref().get(i, j);
                    if i > j && j < k {
                        l.as_mut().write(i, j, z);
                    } else if i <= j && i < k {
                        u.as_mut().write(i, j, z);
                    }
                }
                if i < k {
                    l.as_mut().write(i, i, Complex::new(1.0, 0.0));
                }
            }
            let mut pa = a.clone();
            swap_rows(pa.as_mut(), &ipiv, true);
            gemm(
                -1.0,
                l.as_ref(),
                Conj::No,
                u.as_ref(),
                Conj::No,
                1.0,
                pa.as_mut(),
                Par::Seq,
            )
            .unwrap();
            let worst = (0..m)
                .flat_map(|i| (0..n).map(move |j| (i, j)))
                .map(|(i, j)| pa.as_ref().get(i, j).norm())
                .fold(0.0, f64::max);
            assert!(
                worst <= 10.0 * k as f64 * f64::EPSILON,
                "{m}x{n}: {worst:e}"
            );
            // The pivot had the largest abs1 of its column, so |l_ij| ≤ abs1(x)/|p| ≤ √2.
            for j in 0..k {
                for i in j + 1..m {
                    assert!(l.as_ref().get(i, j).norm() <= 2f64.sqrt() * (1.0 + 1e-15));
                }
            }
        }
    }
}
