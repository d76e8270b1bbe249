//! Numerical rank of a pivoted `R` by incremental condition estimation (Bischof 1990; LAPACK
//! `laic1` as used by `gelsy`).
//!
//! With `L = R₁₁ᵀ` (`j × j`, lower triangular), a unit vector `x` and `s = ‖L·x‖₂`, appending
//! the row `[wᵀ γ]` (`w = R[0..j, j]`, `γ = r_jj`) gives `L̂ = [L 0; wᵀ γ]` and, for
//! `x̂ = [σ·x; c]` with `σ² + c² = 1`, `‖L̂·x̂‖² = [σ c]·M·[σ c]ᵀ` where
//! `M = [[s² + α², α·γ], [α·γ, γ²]]` and `α = wᵀ·x`. The largest (smallest) eigenvalue of `M`
//! and its eigenvector give the new estimate of `σ_max` (`σ_min`) and the new `x̂`.

use lapis_kernels::{MatRef, Scalar};

/// One ICE step: `(estimate, σ, c)` for `M` above, the largest eigenvalue when `largest`.
/// Computed in `f64` on data scaled by `max(s, |α|, |γ|)`, so nothing overflows.
fn ice_step(largest: bool, s: f64, alpha: f64, gamma: f64) -> (f64, f64, f64) {
    let scale = s.max(alpha.abs()).max(gamma.abs());
    if scale == 0.0 {
        return (0.0, 1.0, 0.0);
    }
    let (s, al, ga) = (s / scale, alpha / scale, gamma / scale);
    let a = s * s + al * al;
    let b = al * ga;
    let c = ga * ga;
    let half = 0.5 * (a + c);
    let d = (0.5 * (a - c)).hypot(b);
    let lmax = half + d;
    // det M = s²·γ²; λ_min = det/λ_max avoids the cancellation in half − d.
    let lmin = if lmax > 0.0 {
        (s * ga) * (s * ga) / lmax
    } else {
        0.0
    };
    let lambda = if largest { lmax } else { lmin };
    // Eigenvector: orthogonal to a row of M − λI; take the better-conditioned of the two.
    let (v1, v2) = ((b, lambda - a), (lambda - c, b));
    let n1 = v1.0.hypot(v1.1);
    let n2 = v2.0.hypot(v2.1);
    let (sg, cs) = if n1 == 0.0 && n2 == 0.0 {
        // M = λ·I: any vector; keep the old direction for the largest, the new one otherwise.
        if largest { (1.0, 0.0) } else { (0.0, 1.0) }
    } else if n1 >= n2 {
        (v1.0 / n1, v1.1 / n1)
    } else {
        (v2.0 / n2, v2.1 / n2)
    };
    (scale * lambda.max(0.0).sqrt(), sg, cs)
}

/// The numerical rank of `A` from the `R` of a column-pivoted QR of it (`A·P = Q·R`, from
/// [`factor_pivoted`](crate::qr::factor_pivoted)): the largest `r` such that the incremental
/// condition estimates of the leading `r × r` triangle `R₁₁` satisfy
/// `σ_min(R₁₁) > rcond·σ_max(R₁₁)` (checked for `r = 1, 2, …` and stopping at the first
/// failure, as LAPACK `gelsy`).
///
/// Only the upper triangle of the leading `min(m, n)` square of `r` is read (the reflectors
/// below the diagonal are ignored). `rcond` is numpy's cut-off ratio
/// (`max(m, n)·ε` is numpy's default); a zero `r₀₀` gives rank 0. See the
/// [module docs](super) for how this relates to numpy's SVD-based rank.
///
/// ```
/// use lapis_factor::kernels::{MatMut, MatRef, Par};
/// use lapis_factor::{lstsq, qr};
/// // numpy: np.linalg.matrix_rank([[1, 2], [2, 4]]) == 1
/// let mut a = [1.0, 2.0, 2.0, 4.0];
/// let (mut tau, mut perm) = ([0.0; 2], [0; 2]);
/// qr::factor_pivoted(MatMut::from_row_major(&mut a, 2, 2).unwrap(), &mut tau, &mut perm, Par::Seq)
///     .unwrap();
/// let r = MatRef::from_row_major(&a, 2, 2).unwrap();
/// assert_eq!(lstsq::numerical_rank(r, 2.0 * f64::EPSILON), 1);
/// ```
pub fn numerical_rank<T: Scalar>(r: MatRef<'_, T>, rcond: T) -> usize {
    let k = r.nrows().min(r.ncols());
    if k == 0 {
        return 0;
    }
    let rcond = rcond.to_f64();
    let r00 = r.get(0, 0).to_f64().abs();
    if r00 == 0.0 || r00.is_nan() {
        return 0;
    }
    let (mut smax, mut smin) = (r00, r00);
    let mut xmax = vec![0.0f64; k];
    let mut xmin = vec![0.0f64; k];
    xmax[0] = 1.0;
    xmin[0] = 1.0;
    let mut rank = 1;
    while rank < k {
        let j = rank;
        let gamma = r.get(j, j).to_f64();
        let (mut amax, mut amin) = (0.0, 0.0);
        for p in 0..j {
            let w = r.get(p, j).to_f64();
            amax += xmax[p] * w;
            amin += xmin[p] * w;
        }
        let (sminpr, s1, c1) = ice_step(false, smin, amin, gamma);
        let (smaxpr, s2, c2) = ice_step(true, smax, amax, gamma);
        // Strict, as numpy's `s > rcond·s_max`: an exact zero is never kept, even at rcond 0.
        if sminpr.is_nan() || sminpr <= smaxpr * rcond {
            break;
        }
        for p in 0..j {
            xmin[p] *= s1;
            xmax[p] *= s2;
        }
        xmin[j] = c1;
        xmax[j] = c2;
        smin = sminpr;
        smax = smaxpr;
        rank += 1;
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ice_step_is_the_2x2_eigenproblem() {
        // s = 3, α = 4, γ = 0: M = [[25, 0], [0, 0]] -> λ = 25, 0.
        let (e, s, c) = ice_step(true, 3.0, 4.0, 0.0);
        assert!((e - 5.0).abs() < 1e-15 && (s.abs() - 1.0).abs() < 1e-15 && c.abs() < 1e-15);
        let (e, s, c) = ice_step(false, 3.0, 4.0, 0.0);
        assert!(e == 0.0 && s.abs() < 1e-15 && (c.abs() - 1.0).abs() < 1e-15);
        // Diagonal: [[1, 0], [0, 4]] (s = 1, α = 0, γ = 2).
        assert!((ice_step(true, 1.0, 0.0, 2.0).0 - 2.0).abs() < 1e-15);
        assert!((ice_step(false, 1.0, 0.0, 2.0).0 - 1.0).abs() < 1e-15);
        // Huge and tiny data do not overflow.
        let (e, _, _) = ice_step(true, 1e300, 1e300, 1e300);
        assert!(e.is_finite() && e > 1e300);
        let (e, _, _) = ice_step(false, 1e-300, 0.0, 1e-300);
        assert!(e > 0.0);
    }
}
