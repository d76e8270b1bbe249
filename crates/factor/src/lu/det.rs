//! `det A = (−1)^s · ∏ u_ii` from `P·A = L·U`, where `s` counts the actual row exchanges.

use lapis_kernels::{MatRef, Scalar};

use super::check_factorization;
use crate::FactorError;

/// The determinant of `A` from its LU factorization `lu`, `ipiv` (see
/// [`factor`](super::factor)).
///
/// The product of the pivots is accumulated as a mantissa and a separate binary exponent, so
/// no intermediate product overflows or underflows: the result is `±∞` or `0` only when the
/// determinant itself is out of range for `T` (numpy's `det` overflows as well; use
/// [`slogdet`] then). An exactly singular `A` (a zero pivot) gives `0`, as numpy does.
///
/// Errors only for inconsistent operands ([`FactorError::NotSquare`], [`FactorError::Shape`],
/// [`FactorError::InvalidPivot`]). The 0 × 0 determinant is 1.
///
/// ```
/// use lapis_factor::kernels::{MatMut, MatRef, Par};
/// use lapis_factor::lu;
/// // numpy: np.linalg.det(a)
/// let mut a = [1.0f64, 2.0, 3.0, 4.0]; // [[1, 2], [3, 4]]
/// let mut ipiv = [0; 2];
/// lu::factor(MatMut::from_row_major(&mut a, 2, 2).unwrap(), &mut ipiv, Par::Seq).unwrap();
/// let d = lu::det(MatRef::from_row_major(&a, 2, 2).unwrap(), &ipiv).unwrap();
/// assert!((d - -2.0).abs() < 1e-15);
/// ```
pub fn det<T: Scalar>(lu: MatRef<'_, T>, ipiv: &[usize]) -> Result<T, FactorError> {
    let n = check_factorization("lu::det", lu, ipiv)?;
    let mut mant = if odd_permutation(ipiv) { -1.0 } else { 1.0 };
    let mut exp: i64 = 0;
    for i in 0..n {
        let (m, e) = frexp(lu.get(i, i).to_f64());
        // |mant| and |m| lie in [1, 2): the product cannot overflow; renormalize at once.
        let (m2, e2) = frexp(mant * m);
        mant = m2;
        exp += e + e2;
    }
    Ok(T::from_f64(ldexp(mant, exp)))
}

/// The sign and the natural logarithm of the absolute value of `det A`, from the LU
/// factorization `lu`, `ipiv` (numpy's `slogdet`).
///
/// `logabsdet = Σ ln|u_ii|` never overflows. A singular `A` gives `(0, −∞)`; NaN in the
/// factors gives `(NaN, NaN)`. The 0 × 0 matrix gives `(1, 0)`. Errors only for inconsistent
/// operands, as [`det`].
///
/// ```
/// use lapis_factor::kernels::{MatMut, MatRef, Par};
/// use lapis_factor::lu;
/// // numpy: sign, logabsdet = np.linalg.slogdet(a)
/// let mut a = [1e200, 0.0, 0.0, -1e200]; // det = -1e400 overflows f64
/// let mut ipiv = [0; 2];
/// lu::factor(MatMut::from_row_major(&mut a, 2, 2).unwrap(), &mut ipiv, Par::Seq).unwrap();
/// let (sign, logdet) = lu::slogdet(MatRef::from_row_major(&a, 2, 2).unwrap(), &ipiv).unwrap();
/// assert_eq!(sign, -1.0);
/// assert!((logdet - 400.0 * 10f64.ln()).abs() < 1e-12);
/// ```
pub fn slogdet<T: Scalar>(lu: MatRef<'_, T>, ipiv: &[usize]) -> Result<(T, T), FactorError> {
    let n = check_factorization("lu::slogdet", lu, ipiv)?;
    let mut sign = if odd_permutation(ipiv) { -1.0 } else { 1.0 };
    let mut logdet = 0.0f64;
    for i in 0..n {
        let d = lu.get(i, i).to_f64();
        if d.is_nan() {
            return Ok((T::nan(), T::nan()));
        }
        if d == 0.0 {
            sign = 0.0;
            logdet = f64::NEG_INFINITY;
            // Keep scanning: a later NaN still wins, as in numpy.
            continue;
        }
        if sign != 0.0 {
            if d < 0.0 {
                sign = -sign;
            }
            logdet += d.abs().ln();
        }
    }
    Ok((T::from_f64(sign), T::from_f64(logdet)))
}

/// Whether the interchanges in `ipiv` compose to an odd permutation (one transposition per
/// `ipiv[i] != i`).
pub(crate) fn odd_permutation(ipiv: &[usize]) -> bool {
    ipiv.iter().enumerate().filter(|&(i, &p)| i != p).count() % 2 == 1
}

/// `x = m · 2^e` with `1 ≤ |m| < 2` for finite non-zero `x`; zero, infinities and NaN come
/// back as `(x, 0)`.
pub(crate) fn frexp(x: f64) -> (f64, i64) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    if biased == 0 {
        // Subnormal: scale into the normal range first (exact).
        let (m, e) = frexp(x * 2f64.powi(64));
        return (m, e - 64);
    }
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1023 << 52));
    (m, biased - 1023)
}

/// `m · 2^e`, overflowing to `±∞` or underflowing to `±0` only at the end.
pub(crate) fn ldexp(mut m: f64, mut e: i64) -> f64 {
    while e > 1000 && m.is_finite() {
        m *= 2f64.powi(1000);
        e -= 1000;
    }
    while e < -1000 && m != 0.0 {
        m *= 2f64.powi(-1000);
        e += 1000;
    }
    if !m.is_finite() || m == 0.0 {
        return m;
    }
    m * 2f64.powi(e as i32)
}
