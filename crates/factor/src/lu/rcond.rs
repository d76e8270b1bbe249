//! `rcond = 1 / (‖A‖₁·‖A⁻¹‖₁)` estimated from `P·A = L·U` (LAPACK `gecon`), with `‖A⁻¹‖₁`
//! from Hager's method as refined by Higham (LAPACK `lacn2`): a few solves with `A` and `Aᵀ`.

use lapis_kernels::{MatMut, MatRef, Par, Scalar, iamax};

use super::check_factorization;
use super::solve::solve_unchecked;
use crate::FactorError;
use crate::util::first_zero_diagonal;

/// Most solve pairs of the estimator's main loop (Higham's `itmax`).
const MAX_ITER: usize = 5;

/// `‖A‖₁`, the largest column sum of absolute values (numpy: `np.linalg.norm(a, 1)`), the
/// `anorm` that [`rcond`] wants; compute it before [`factor`](super::factor) overwrites `a`.
/// NaN anywhere gives NaN; the empty matrix gives 0.
///
/// ```
/// use lapis_factor::kernels::MatRef;
/// use lapis_factor::lu::norm1;
/// // numpy: np.linalg.norm(a, 1)
/// let a = [1.0, -2.0, 3.0, 4.0]; // [[1, -2], [3, 4]]
/// assert_eq!(norm1(MatRef::from_row_major(&a, 2, 2).unwrap()), 6.0);
/// ```
pub fn norm1<T: Scalar>(a: MatRef<'_, T>) -> T {
    let mut best = T::zero();
    for j in 0..a.ncols() {
        let s: T = (0..a.nrows()).map(|i| a.get(i, j).abs()).sum();
        if s.is_nan() {
            return s;
        }
        if s > best {
            best = s;
        }
    }
    best
}

/// Estimates the reciprocal condition number `1 / (‖A‖₁·‖A⁻¹‖₁)` from the LU factorization
/// `lu`, `ipiv` of `A` and `anorm = ‖A‖₁` (see [`norm1`]). numpy: `1 / np.linalg.cond(a, 1)`.
///
/// `‖A⁻¹‖₁` is estimated by Hager's method with Higham's refinements (LAPACK `lacn2`): a
/// lower bound found by at most about ten solves with `A` and `Aᵀ`, in practice almost always
/// within a factor 3 of the truth, so the result is an upper bound on the true `rcond` up to
/// rounding. The solves run on `A / anorm` (their right-hand sides are scaled by `anorm`), so
/// badly scaled matrices do not overflow. Returns 1 for the 0 × 0 matrix and 0 when
/// `anorm` is 0 or `+∞`, when `U` has a zero pivot, or when `‖(A/anorm)⁻¹‖₁` overflows.
///
/// Errors: [`FactorError::NonFinite`] for a NaN `anorm`, [`FactorError::InvalidArgument`]
/// for a negative one, and the operand checks of [`solve`](super::solve).
///
/// ```
/// use lapis_factor::kernels::{MatMut, MatRef, Par};
/// use lapis_factor::lu;
/// // numpy: 1 / np.linalg.cond(a, 1)
/// let mut a = [4.0f64, 0.0, 0.0, 0.5]; // diag(4, 0.5): cond₁ = 8
/// let anorm = lu::norm1(MatRef::from_row_major(&a, 2, 2).unwrap());
/// let mut ipiv = [0; 2];
/// lu::factor(MatMut::from_row_major(&mut a, 2, 2).unwrap(), &mut ipiv, Par::Seq).unwrap();
/// let r = lu::rcond(MatRef::from_row_major(&a, 2, 2).unwrap(), &ipiv, anorm, Par::Seq).unwrap();
/// assert!((r - 0.125).abs() < 1e-15);
/// ```
pub fn rcond<T: Scalar>(
    lu: MatRef<'_, T>,
    ipiv: &[usize],
    anorm: T,
    par: Par,
) -> Result<T, FactorError> {
    let n = check_factorization("lu::rcond", lu, ipiv)?;
    if anorm.is_nan() {
        return Err(FactorError::NonFinite);
    }
    if anorm < T::zero() {
        return Err(FactorError::InvalidArgument { name: "anorm" });
    }
    if n == 0 {
        return Ok(T::one());
    }
    if anorm == T::zero() || anorm.is_infinite() || first_zero_diagonal(lu).is_some() {
        return Ok(T::zero());
    }
    let mut apply = |x: &mut [T], transpose: bool| -> Result<(), FactorError> {
        x.iter_mut().for_each(|v| *v *= anorm);
        let b = MatMut::from_col_major(x, n, 1).map_err(|_| FactorError::Shape {
            op: "lu::rcond",
            shapes: vec![("lu", (n, n)), ("x", (n, 1))],
        })?;
        solve_unchecked(lu, ipiv, b, transpose, par)
    };
    let est = estimate_inverse_norm1(n, &mut apply)?;
    if est.is_nan() {
        return Ok(est);
    }
    if est.is_infinite() || est == T::zero() {
        // ‖(A/anorm)⁻¹‖ overflowed (numerically singular) or the estimate is degenerate.
        return Ok(T::zero());
    }
    Ok((T::one() / est).min(T::one()))
}

/// Lower bound for `‖B‖₁` (in practice nearly always within a factor 3), where
/// `apply(x, false)` overwrites `x` with `B·x` and `apply(x, true)` with `Bᵀ·x`.
///
/// Hager's method: `‖B‖₁ = max over ‖x‖₁ ≤ 1 of ‖B·x‖₁` is convex in `x`; from `x = e/n`,
/// step to the vertex `e_j` that the subgradient `Bᵀ·sign(B·x)` points to until the bound
/// stops growing, the sign vector repeats, or the subgradient picks the same vertex. Higham's
/// safeguard then compares with `B·x` for `x_i = ±(1 + i/(n−1))`, which catches the matrices
/// that fool the main loop.
fn estimate_inverse_norm1<T: Scalar>(
    n: usize,
    apply: &mut impl FnMut(&mut [T], bool) -> Result<(), FactorError>,
) -> Result<T, FactorError> {
    let nt = T::from_f64(n as f64);
    let mut x = vec![T::one() / nt; n];
    apply(&mut x, false)?;
    if n == 1 {
        return Ok(x[0].abs());
    }
    let mut est = sum_abs(&x);
    let mut xi: Vec<T> = x.iter().map(|&v| sign(v)).collect();
    x.copy_from_slice(&xi);
    apply(&mut x, true)?;
    let mut j = argmax_abs(&x);
    let mut iter = 2;
    loop {
        x.fill(T::zero());
        x[j] = T::one();
        apply(&mut x, false)?;
        let est_old = est;
        est = sum_abs(&x);
        let repeated = x.iter().zip(&xi).all(|(&v, &s)| sign(v) == s);
        if repeated || est <= est_old {
            // Converged (or NaN): the bound cannot grow along this path.
            est = est.max(est_old);
            break;
        }
        xi.iter_mut().zip(&x).for_each(|(s, &v)| *s = sign(v));
        x.copy_from_slice(&xi);
        apply(&mut x, true)?;
        let jlast = j;
        j = argmax_abs(&x);
        if x[jlast] >= x[j].abs() || iter >= MAX_ITER {
            break;
        }
        iter += 1;
    }
    // Higham's alternating vector.
    let denom = T::from_f64((n - 1) as f64);
    for (i, v) in x.iter_mut().enumerate() {
        let mag = T::one() + T::from_f64(i as f64) / denom;
        *v = if i % 2 == 0 { mag } else { -mag };
    }
    apply(&mut x, false)?;
    let alt = T::from_f64(2.0) * sum_abs(&x) / (T::from_f64(3.0) * nt);
    Ok(if alt > est { alt } else { est })
}

fn sum_abs<T: Scalar>(x: &[T]) -> T {
    x.iter().map(|v| v.abs()).sum()
}

/// `sign(v)` with `sign(0) = +1` (LAPACK's convention here).
fn sign<T: Scalar>(v: T) -> T {
    if v < T::zero() { -T::one() } else { T::one() }
}

fn argmax_abs<T: Scalar>(x: &[T]) -> usize {
    MatRef::from_col_major(x, x.len(), 1)
        .ok()
        .and_then(iamax)
        .unwrap_or(0)
}
