//! Small tools shared by the symmetric eigensolver and the SVD: plane rotations of columns,
//! the symmetric 2 × 2 eigenproblem, exact power-of-two scaling, and sorting with vectors.

use lapis_kernels::{MatMut, Scalar, rot};

/// Columns `a ≠ b` of `z` as `(col_a, col_b) ← (c·col_a + s·col_b, c·col_b − s·col_a)`,
/// i.e. `Z ← Z·G` with `G = [[c, −s], [s, c]]` on the pair `(a, b)`.
pub(crate) fn rot_cols<T: Scalar>(z: &mut MatMut<'_, T>, a: usize, b: usize, c: T, s: T) {
    if a < b {
        let (left, right) = z.rb().split_at_col(b);
        rot(left.col_mut(a), right.col_mut(0), c, s).expect("two columns of one matrix");
    } else {
        let (left, right) = z.rb().split_at_col(a);
        rot(right.col_mut(0), left.col_mut(b), c, s).expect("two columns of one matrix");
    }
}

/// Exchanges columns `a` and `b` of `z`.
pub(crate) fn swap_cols<T: Scalar>(z: &mut MatMut<'_, T>, a: usize, b: usize) {
    if a == b {
        return;
    }
    for i in 0..z.nrows() {
        let (x, y) = (z.get(i, a), z.get(i, b));
        z.write(i, a, y);
        z.write(i, b, x);
    }
}

/// The symmetric 2 × 2 eigenproblem `[[p, q], [q, r]]` by one Jacobi rotation (Golub & Van
/// Loan, *Matrix Computations*, §8.5.2): returns `(λ₁, λ₂, c, s)` with
/// `Jᵀ·[[p, q], [q, r]]·J = diag(λ₁, λ₂)`, `J = [[c, s], [−s, c]]`, `|θ| ≤ π/4`.
/// The eigenvector of `λ₁` is `(c, −s)`, that of `λ₂` is `(s, c)`. No squares are formed, so
/// any finite input gives finite output.
pub(crate) fn sym2x2<T: Scalar>(p: T, q: T, r: T) -> (T, T, T, T) {
    let (zero, one) = (T::zero(), T::one());
    if q == zero {
        return (p, r, one, zero);
    }
    let two = one + one;
    // τ = (r − p)/(2q), formed without overflow for |r − p| up to 2·max.
    let tau = (r / two - p / two) / q;
    let t = if tau >= zero {
        one / (tau + one.hypot(tau))
    } else {
        -one / (-tau + one.hypot(tau))
    };
    let c = one / one.hypot(t);
    let s = t * c;
    (p - t * q, r + t * q, c, s)
}

/// Singular values `(σ_min, σ_max)` of the upper triangular `[[f, g], [0, h]]`, to high
/// relative accuracy: `σ_max ± σ_min = √((|f| ± |h|)² + g²)` and `σ_min·σ_max = |f·h|`,
/// evaluated on operands scaled by their maximum.
pub(crate) fn sv2x2<T: Scalar>(f: T, g: T, h: T) -> (T, T) {
    let (fa, ga, ha) = (f.abs(), g.abs(), h.abs());
    let (hmin, hmax) = if fa < ha { (fa, ha) } else { (ha, fa) };
    let big = hmax.max(ga);
    if big == T::zero() {
        return (T::zero(), T::zero());
    }
    let (x, y, z) = (hmax / big, ga / big, hmin / big);
    let sum = (x + z).hypot(y) + (x - z).hypot(y);
    let smax = sum / (T::one() + T::one()) * big;
    let smin = if hmin == T::zero() {
        T::zero()
    } else {
        hmin * (hmax / smax)
    };
    (smin, smax)
}

/// Multiplies every element of `x` by `2^k` (in steps that stay representable), which is
/// exact unless a result underflows.
pub(crate) fn scale_pow2<T: Scalar>(x: &mut [T], k: i32) {
    let mut k = k;
    while k != 0 {
        let step = k.clamp(-100, 100);
        let f = T::from_f64(2f64.powi(step));
        for v in x.iter_mut() {
            *v *= f;
        }
        k -= step;
    }
}

/// The exponent `k` such that `anorm·2^k` lies near `target` (within a factor of 2, below).
pub(crate) fn pow2_exponent<T: Scalar>(anorm: T, target: T) -> i32 {
    (target.to_f64().log2() - anorm.to_f64().log2()).floor() as i32
}

/// The power of two that brings a matrix of max-abs entry `anorm` into
/// `[√safmin/ε, ε/√safmin]` (LAPACK's `smlnum`, `bignum` in `gesvd`/`geev`) when it lies
/// outside, where the algorithms' intermediate quantities can neither overflow nor lose
/// precision to underflow; `0` inside the range (and for a zero matrix).
pub(crate) fn safe_range_exponent<T: Scalar>(anorm: T) -> i32 {
    let smlnum = T::MIN_POSITIVE.sqrt() / T::EPS;
    let bignum = T::one() / smlnum;
    if anorm > T::zero() && anorm < smlnum {
        pow2_exponent(anorm, smlnum)
    } else if anorm > bignum {
        pow2_exponent(anorm, bignum)
    } else {
        0
    }
}

/// The power of two that brings a symmetric (Hermitian) matrix of max-abs entry `anorm` into
/// `[√(safmin/ε), √(ε/safmin)]` (LAPACK `syev`'s `rmin`, `rmax`) when it lies outside, so that
/// the reduction's squares neither overflow nor underflow; `0` inside (and for zero).
pub(crate) fn sym_range_exponent<T: Scalar>(anorm: T) -> i32 {
    let smlnum = T::MIN_POSITIVE / T::EPS;
    let (rmin, rmax) = (smlnum.sqrt(), (T::one() / smlnum).sqrt());
    if anorm > T::zero() && anorm < rmin {
        pow2_exponent(anorm, rmin)
    } else if anorm > rmax {
        pow2_exponent(anorm, rmax)
    } else {
        0
    }
}

/// Sorts `d` ascending (or descending) by selection, swapping the columns of `z` along.
pub(crate) fn sort_with_cols<T: Scalar>(
    d: &mut [T],
    mut z: Option<&mut MatMut<'_, T>>,
    descending: bool,
) {
    let n = d.len();
    for i in 0..n {
        let mut k = i;
        for j in i + 1..n {
            let better = if descending { d[j] > d[k] } else { d[j] < d[k] };
            if better {
                k = j;
            }
        }
        if k != i {
            d.swap(i, k);
            if let Some(z) = z.as_deref_mut() {
                swap_cols(z, i, k);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sym2x2_diagonalizes() {
        for &(p, q, r) in &[
            (1.0f64, 2.0, 3.0),
            (3.0, 1e-20, 3.0),
            (0.0, 1.0, 0.0),
            (-5.0, 3.0, 7.0),
        ] {
            let (l1, l2, c, s) = sym2x2(p, q, r);
            // Check A·(c, −s) = λ₁·(c, −s) and A·(s, c) = λ₂·(s, c).
            let r1 = (p * c - q * s - l1 * c).abs() + (q * c - r * s + l1 * s).abs();
            let r2 = (p * s + q * c - l2 * s).abs() + (q * s + r * c - l2 * c).abs();
            assert!(
                r1 < 1e-14 * 8.0 && r2 < 1e-14 * 8.0,
                "{p} {q} {r}: {r1} {r2}"
            );
        }
    }

    #[test]
    fn sv2x2_values() {
        let (smin, smax) = sv2x2(3.0f64, 4.0, 0.0);
        assert_eq!(smin, 0.0);
        assert!((smax - 5.0f64).abs() < 1e-15);
        // [[1, 1], [0, 1]]: σ = (√5 ± 1)/2
        let (smin, smax) = sv2x2(1.0, 1.0, 1.0);
        assert!((smax - (5f64.sqrt() + 1.0) / 2.0).abs() < 1e-15);
        assert!((smin - (5f64.sqrt() - 1.0) / 2.0).abs() < 1e-15);
        // Relative accuracy of a tiny value: [[1e-200, 1], [0, 1e-200]] has σ_min ≈ 1e-400·…
        let (smin, _) = sv2x2(1e-150f64, 1.0, 1e-150);
        assert!((smin / 1e-300 - 1.0).abs() < 1e-14);
    }

    #[test]
    fn pow2_scaling_is_exact() {
        let mut x = [2e-40f32, 1e-40];
        let k = pow2_exponent(2e-40f32, 1.0);
        scale_pow2(&mut x, k);
        assert!(x[0] > 0.5 && x[0] <= 1.0);
        scale_pow2(&mut x, -k);
        assert_eq!(x, [2e-40, 1e-40]);
    }
}
