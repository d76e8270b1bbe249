//! Eigenvalues and eigenvectors of a real symmetric tridiagonal matrix `T` (diagonal `d`,
//! off-diagonal `e`).
//!
//! * [`tridiagonal_eigh`] (LAPACK `steqr`): implicit QL/QR with Wilkinson shifts, the plane
//!   rotations accumulated into a caller's matrix `Z ← Z·Q`.
//! * [`tridiagonal_eigvals`] (LAPACK `sterf`): the root-free QL/QR of Pal, Walker and Kahan,
//!   which works on the squares `e_i²` and needs no square root per rotation.
//!
//! Both split `T` wherever `|e_i| ≤ (ε/2)·√|d_i|·√|d_{i+1}|` (such an `e_i` changes every
//! eigenvalue by a small relative amount of the neighbours, so it is set to zero), scale each
//! unreduced block by a power of two into a range where squares neither overflow nor
//! underflow, and choose QL (deflating at the top) or QR (at the bottom) per block so that a
//! graded block is chased from its small end. At most `30·n` sweeps are allowed in all.

use lapis_kernels::{MatMut, Scalar, rotg};

use crate::FactorError;
use crate::plane::{pow2_exponent, rot_cols, scale_pow2, sort_with_cols, sym2x2};

/// QR sweeps allowed per eigenvalue (LAPACK's `maxit`).
const SWEEPS_PER_VALUE: usize = 30;

/// `|e| ≤ (ε/2)·√|a|·√|b|` or `|e|` below the underflow threshold.
#[inline]
fn negligible<T: Scalar>(e: T, a: T, b: T) -> bool {
    let half_eps = T::EPS / (T::one() + T::one());
    let e = e.abs();
    e <= half_eps * a.abs().sqrt() * b.abs().sqrt() || e <= T::MIN_POSITIVE
}

/// The range `[lo, hi]` that a block's largest entry is scaled into: squares of entries of that
/// size neither overflow nor underflow (LAPACK's `ssfmin`, `ssfmax`).
fn safe_range<T: Scalar>() -> (T, T) {
    let safmin = T::MIN_POSITIVE;
    let three = T::from_f64(3.0);
    let lo = safmin.sqrt() / (T::EPS * T::EPS);
    let hi = (T::one() / safmin).sqrt() / three;
    (lo, hi)
}

/// Validates `(d, e)` (and `z`): lengths, finiteness.
fn check<T: Scalar>(
    op: &'static str,
    d: &[T],
    e: &[T],
    z: Option<&MatMut<'_, T>>,
) -> Result<(), FactorError> {
    let n = d.len();
    let z_ok = z.is_none_or(|z| z.ncols() == n);
    if e.len() < n.saturating_sub(1) || !z_ok {
        let mut shapes = vec![("d", (n, 1)), ("e", (e.len(), 1))];
        if let Some(z) = z {
            shapes.push(("z", z.shape()));
        }
        return Err(FactorError::Shape { op, shapes });
    }
    let m = n.saturating_sub(1);
    if d.iter().chain(&e[..m]).any(|x| !x.is_finite()) {
        return Err(FactorError::NonFinite);
    }
    Ok(())
}

/// One unreduced block `[lo, hi]` of `(d, e)`, copied out (reversed when it is to be chased
/// by QR, so that the iteration below is always QL), scaled into the safe range.
struct Block<T> {
    lo: usize,
    hi: usize,
    reversed: bool,
    exponent: i32,
    d: Vec<T>,
    e: Vec<T>,
}

impl<T: Scalar> Block<T> {
    /// `None` when the block is zero (nothing to do).
    fn take(d: &[T], e: &[T], lo: usize, hi: usize, squares: bool) -> Option<Self> {
        let anorm = d[lo..=hi]
            .iter()
            .chain(&e[lo..hi])
            .fold(T::zero(), |m, x| m.max(x.abs()));
        if anorm == T::zero() {
            return None;
        }
        let (slo, shi) = safe_range::<T>();
        let exponent = if anorm > shi {
            pow2_exponent(anorm, shi)
        } else if anorm < slo {
            pow2_exponent(anorm, slo)
        } else {
            0
        };
        // QL deflates at the top: use it when the top is the small end.
        let reversed = d[hi].abs() < d[lo].abs();
        let mut bd: Vec<T> = d[lo..=hi].to_vec();
        let mut be: Vec<T> = e[lo..hi].to_vec();
        if reversed {
            bd.reverse();
            be.reverse();
        }
        scale_pow2(&mut bd, exponent);
        scale_pow2(&mut be, exponent);
        if squares {
            for x in be.iter_mut() {
                *x = *x * *x;
            }
        }
        Some(Block {
            lo,
            hi,
            reversed,
            exponent,
            d: bd,
            e: be,
        })
    }

    /// The column of `Z` that local index `k` refers to.
    #[inline]
    fn col(&self, k: usize) -> usize {
        if self.reversed {
            self.hi - k
        } else {
            self.lo + k
        }
    }

    /// Writes the (converged) diagonal back, undoing scaling and reversal; `e` is zero there.
    fn put(mut self, d: &mut [T], e: &mut [T]) {
        scale_pow2(&mut self.d, -self.exponent);
        if self.reversed {
            self.d.reverse();
        }
        d[self.lo..=self.hi].copy_from_slice(&self.d);
        e[self.lo..self.hi].fill(T::zero());
    }
}

/// Splits `(d, e)` into unreduced blocks and runs `solve` on each; `e` entries found
/// negligible are set to zero.
fn for_each_block<T: Scalar>(
    d: &mut [T],
    e: &mut [T],
    squares: bool,
    mut solve: impl FnMut(&mut Block<T>) -> Result<(), FactorError>,
) -> Result<(), FactorError> {
    let n = d.len();
    let mut start = 0;
    while start < n {
        let mut end = start;
        while end + 1 < n {
            if negligible(e[end], d[end], d[end + 1]) {
                e[end] = T::zero();
                break;
            }
            end += 1;
        }
        let (lo, hi) = (start, end);
        start = end + 1;
        if lo == hi {
            continue;
        }
        if let Some(mut block) = Block::take(d, e, lo, hi, squares) {
            solve(&mut block)?;
            block.put(d, e);
        }
    }
    Ok(())
}

/// All eigenvalues, and optionally eigenvectors, of the symmetric tridiagonal `T` with
/// diagonal `d` (length `n`) and off-diagonal `e` (length `≥ n − 1`; only `n − 1` read)
/// (LAPACK `steqr`).
///
/// On return `d` holds the eigenvalues in ascending order and `e` is destroyed. With
/// `z = Some(Z)` (`k × n`, any strides), `Z` is overwritten by `Z·Q`, where `Tᵀ = Q·Λ·Qᵀ`:
/// pass the identity to get the eigenvectors of `T` (column `j` belongs to `d[j]`), or the
/// orthogonal matrix of a tridiagonal reduction `A = U·T·Uᵀ` to get those of `A`.
///
/// Errors: [`FactorError::Shape`] when `e` is too short or `z` does not have `n` columns,
/// [`FactorError::NonFinite`] for NaN or infinite input, [`FactorError::NoConvergence`] after
/// `30·n` sweeps without convergence (never observed; `d`, `e` and `z` then hold a partial
/// result).
///
/// ```
/// use lapis_factor::eigh::tridiagonal_eigh;
/// use lapis_factor::kernels::MatMut;
/// // numpy: w, v = np.linalg.eigh([[2, -1, 0], [-1, 2, -1], [0, -1, 2]])
/// let (mut d, mut e) = ([2.0, 2.0, 2.0], [-1.0, -1.0]);
/// let mut z = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0];
/// tridiagonal_eigh(&mut d, &mut e, Some(MatMut::from_col_major(&mut z, 3, 3).unwrap())).unwrap();
/// let exact = [2.0 - 2f64.sqrt(), 2.0, 2.0 + 2f64.sqrt()];
/// assert!(d.iter().zip(&exact).all(|(x, y)| (x - y).abs() < 1e-15));
/// // The middle eigenvector is ±(1, 0, −1)/√2.
/// assert!((z[3].abs() - 0.5f64.sqrt()).abs() < 1e-15 && z[4].abs() < 1e-15);
/// ```
pub fn tridiagonal_eigh<T: Scalar>(
    d: &mut [T],
    e: &mut [T],
    mut z: Option<MatMut<'_, T>>,
) -> Result<(), FactorError> {
    check("eigh::tridiagonal_eigh", d, e, z.as_ref())?;
    let n = d.len();
    let maxit = SWEEPS_PER_VALUE * n;
    let mut iters = 0;
    for_each_block(d, e, false, |block| {
        implicit_ql(block, z.as_mut(), &mut iters, maxit)
    })?;
    sort_with_cols(d, z.as_mut(), false);
    Ok(())
}

/// Implicit QL with Wilkinson shifts on one scaled block, deflating at the top; every rotation
/// is applied to the block's columns of `z` at once.
fn implicit_ql<T: Scalar>(
    block: &mut Block<T>,
    mut z: Option<&mut MatMut<'_, T>>,
    iters: &mut usize,
    maxit: usize,
) -> Result<(), FactorError> {
    let (zero, one) = (T::zero(), T::one());
    let two = one + one;
    let n = block.d.len();
    let last = n - 1;
    let mut l = 0;
    while l < n {
        // The first negligible e[m] at or below l ends the active block l..=m.
        let mut m = l;
        while m < last {
            if negligible(block.e[m], block.d[m], block.d[m + 1]) {
                block.e[m] = zero;
                break;
            }
            m += 1;
        }
        if m == l {
            l += 1;
            continue;
        }
        if m == l + 1 {
            let (d, e) = (&mut block.d, &mut block.e);
            let (l1, l2, c, s) = sym2x2(d[l], e[l], d[l + 1]);
            d[l] = l1;
            d[l + 1] = l2;
            e[l] = zero;
            if let Some(z) = z.as_deref_mut() {
                rot_cols(z, block.col(l), block.col(l + 1), c, -s);
            }
            l += 2;
            continue;
        }
        if *iters >= maxit {
            return Err(FactorError::NoConvergence { iterations: *iters });
        }
        *iters += 1;
        // Wilkinson shift: the eigenvalue of the top 2 × 2 closer to d[l].
        let (d, e) = (&mut block.d, &mut block.e);
        let p = d[l];
        let g0 = (d[l + 1] - p) / (two * e[l]);
        let r = g0.hypot(one);
        let mut g = d[m] - p + e[l] / (g0 + r.copysign(g0));
        let (mut s, mut c, mut p) = (one, one, zero);
        // Chase the bulge from the bottom of the active block to its top.
        for i in (l..m).rev() {
            let f = s * e[i];
            let b = c * e[i];
            let (cc, ss, r) = rotg(g, f);
            c = cc;
            s = ss;
            if i + 1 != m {
                e[i + 1] = r;
            }
            let g1 = d[i + 1] - p;
            let r = (d[i] - g1) * s + two * c * b;
            p = s * r;
            d[i + 1] = g1 + p;
            g = c * r - b;
            if let Some(z) = z.as_deref_mut() {
                let (a, bcol) = (
                    if block.reversed {
                        block.hi - i
                    } else {
                        block.lo + i
                    },
                    if block.reversed {
                        block.hi - i - 1
                    } else {
                        block.lo + i + 1
                    },
                );
                rot_cols(z, a, bcol, c, -s);
            }
        }
        d[l] -= p;
        e[l] = g;
    }
    Ok(())
}

/// All eigenvalues of the symmetric tridiagonal `T` (diagonal `d`, off-diagonal `e`), in
/// ascending order in `d` (LAPACK `sterf`); `e` is destroyed.
///
/// Root-free QL/QR (Pal, Walker & Kahan; Parlett, *The Symmetric Eigenvalue Problem*, §8.15):
/// the sweep is written in terms of `e_i²`, `c²` and `s²`, so it needs no square roots.
/// Errors as [`tridiagonal_eigh`].
///
/// ```
/// use lapis_factor::eigh::tridiagonal_eigvals;
/// // numpy: np.linalg.eigvalsh([[2, -1, 0], [-1, 2, -1], [0, -1, 2]])
/// let (mut d, mut e) = ([2.0, 2.0, 2.0], [-1.0, -1.0]);
/// tridiagonal_eigvals(&mut d, &mut e).unwrap();
/// let exact = [2.0 - 2f64.sqrt(), 2.0, 2.0 + 2f64.sqrt()];
/// assert!(d.iter().zip(&exact).all(|(x, y)| (x - y).abs() < 1e-15));
/// ```
pub fn tridiagonal_eigvals<T: Scalar>(d: &mut [T], e: &mut [T]) -> Result<(), FactorError> {
    check("eigh::tridiagonal_eigvals", d, e, None)?;
    let n = d.len();
    let maxit = SWEEPS_PER_VALUE * n;
    let mut iters = 0;
    for_each_block(d, e, true, |block| root_free_ql(block, &mut iters, maxit))?;
    d.sort_by(|a, b| a.partial_cmp(b).expect("finite eigenvalues"));
    Ok(())
}

/// `e² ≤ (ε/2)²·|a·b|` or `e²` below the underflow threshold (the test of [`negligible`] on
/// squares; entries are in the safe range, so `|a·b|` does not overflow).
#[inline]
fn negligible_sq<T: Scalar>(e2: T, a: T, b: T) -> bool {
    let half_eps = T::EPS / (T::one() + T::one());
    e2 <= half_eps * half_eps * (a * b).abs() || e2 <= T::MIN_POSITIVE
}

/// Root-free QL on one scaled block whose `e` holds squares.
fn root_free_ql<T: Scalar>(
    block: &mut Block<T>,
    iters: &mut usize,
    maxit: usize,
) -> Result<(), FactorError> {
    let (zero, one) = (T::zero(), T::one());
    let two = one + one;
    let (d, e2) = (&mut block.d, &mut block.e);
    let n = d.len();
    let last = n - 1;
    let mut l = 0;
    while l < n {
        let mut m = l;
        while m < last {
            if negligible_sq(e2[m], d[m], d[m + 1]) {
                e2[m] = zero;
                break;
            }
            m += 1;
        }
        if m == l {
            l += 1;
            continue;
        }
        if m == l + 1 {
            let (l1, l2, _, _) = sym2x2(d[l], e2[l].sqrt(), d[l + 1]);
            d[l] = l1;
            d[l + 1] = l2;
            e2[l] = zero;
            l += 2;
            continue;
        }
        if *iters >= maxit {
            return Err(FactorError::NoConvergence { iterations: *iters });
        }
        *iters += 1;
        // Wilkinson shift σ from the top 2 × 2.
        let rte = e2[l].sqrt();
        let g0 = (d[l + 1] - d[l]) / (two * rte);
        let r = g0.hypot(one);
        let sigma = d[l] - rte / (g0 + r.copysign(g0));
        // The sweep on T − σI in the variables c = cos², s = sin², γ, p = γ²/c.
        // The step is latency-bound: `p = γ²/c` is computed as `γ²·(r/p_old)` (the same
        // quantity, as `c = p_old/r`), so its division runs beside those of `c` and `s`
        // instead of after `γ` (one division latency less per step).
        let (mut c, mut s) = (one, zero);
        let mut gamma = d[m] - sigma;
        let mut p = gamma * gamma;
        for i in (l..m).rev() {
            let bb = e2[i];
            let r = p + bb;
            if i + 1 != m {
                e2[i + 1] = s * r;
            }
            let oldc = c;
            let q = r / p;
            c = p / r;
            s = bb / r;
            let oldgam = gamma;
            let alpha = d[i];
            gamma = c * (alpha - sigma) - s * oldgam;
            d[i + 1] = oldgam + (alpha - gamma);
            p = if c == zero {
                oldc * bb
            } else if q.is_finite() {
                gamma * gamma * q
            } else {
                // `p_old` (hence `c`) subnormal: `r/p_old` overflowed where `γ²/c` may not.
                gamma * gamma / c
            };
        }
        e2[l] = s * p;
        d[l] = sigma + gamma;
    }
    Ok(())
}
