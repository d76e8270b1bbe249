//! Mixed precision solve (LAPACK `dsgesv`): factor an `f32` copy of `A`, refine the solution
//! in `f64`, fall back to an `f64` factorization when refinement cannot deliver.
//!
//! With `A ≈ L̂·Û` from the `f32` LU, each step computes the residual `r = b − A·x` in `f64`,
//! solves `L̂·Û·d = r` in `f32` and updates `x ← x + d`. The error contracts by a factor of
//! about `κ(A)·ε₃₂` per step (Higham, *Accuracy and Stability*, §12.1), so for
//! `κ(A) ≪ 1/ε₃₂ ≈ 8·10⁶` a few steps reach a backward-stable `f64` solution at the price of an
//! `f32` factorization (twice the GEMM speed, half the memory traffic). Iteration stops with
//! `dsgesv`'s rule `‖r‖∞ ≤ ‖x‖∞·‖A‖∞·ε·√n` (`ε = 2⁻⁵³`, LAPACK's `dlamch('E')`) for every
//! column, and gives up after [`MAX_ITERATIONS`] steps, or earlier when a correction fails to
//! halve the previous one (the contraction factor is then ≥ 1/2 and refinement stagnates).

use lapis_kernels::{MatMut, MatRef, Par, gemm};

use crate::util::{all_finite, check_square};
use crate::{FactorError, lu};

/// The most refinement steps [`solve`] takes before falling back (`dsgesv`'s `ITERMAX`).
pub const MAX_ITERATIONS: usize = 30;

/// Which path [`solve`] took, as `dsgesv`'s `iter` reports it.
///
/// ```
/// use lapis_factor::mixed::MixedPath;
/// let p = MixedPath::Refined { iterations: 2 };
/// assert!(p.is_refined());
/// assert_eq!(p.dsgesv_iter(), 2);
/// assert_eq!(MixedPath::NoConvergence { iterations: 30 }.dsgesv_iter(), -31);
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MixedPath {
    /// The `f32` factorization was refined to the stopping rule after `iterations`
    /// correction steps (0: the first `f32` solve was already accurate enough).
    Refined {
        /// Correction steps after the initial solve (`dsgesv`'s `iter ≥ 0`).
        iterations: usize,
    },
    /// An entry of `A` is outside the normal range of `f32` (larger than `f32::MAX`, or
    /// nonzero and smaller than `f32::MIN_POSITIVE`): solved in `f64` (`iter = −2`).
    OutOfRange,
    /// The `f32` copy of `A` is exactly singular (first zero pivot at `index`, 0-based):
    /// solved in `f64` (`iter = −3`).
    SingleSingular {
        /// The first zero pivot of the `f32` factorization.
        index: usize,
    },
    /// Refinement did not meet the stopping rule within `iterations` steps (at most
    /// [`MAX_ITERATIONS`]; fewer when the corrections stopped shrinking or became
    /// non-finite): solved in `f64` (`iter = −31`).
    NoConvergence {
        /// Correction steps taken before giving up.
        iterations: usize,
    },
}

impl MixedPath {
    /// Whether the answer came from the refined `f32` factorization.
    pub fn is_refined(&self) -> bool {
        matches!(self, MixedPath::Refined { .. })
    }

    /// `dsgesv`'s `iter`: the number of refinement steps when refinement succeeded, and
    /// `−2` (out of range), `−3` (`f32` singular) or `−31` (no convergence) after a fallback.
    pub fn dsgesv_iter(&self) -> isize {
        match *self {
            MixedPath::Refined { iterations } => iterations as isize,
            MixedPath::OutOfRange => -2,
            MixedPath::SingleSingular { .. } => -3,
            MixedPath::NoConvergence { .. } => -(MAX_ITERATIONS as isize) - 1,
        }
    }
}

/// Solves `A·X = B` in place in `b` (`n × nrhs`, any strides) for the square `f64` matrix
/// `a`, factoring `A` in `f32` and refining in `f64`, with an `f64` LU as the fallback.
///
/// The result has `f64` quality either way: when refinement succeeds each column meets
/// `‖b − A·x‖∞ ≤ ‖x‖∞·‖A‖∞·2⁻⁵³·√n`; otherwise `x` comes from [`lu::factor`] and
/// [`lu::solve`] in `f64`. The returned [`MixedPath`] says which (like `dsgesv`'s `iter`).
/// Each residual is scaled by a power of two before it is rounded to `f32`, so `b` and the
/// residuals never overflow or underflow there; only `A`'s range decides
/// [`MixedPath::OutOfRange`]. `par` is passed to the factorizations and residual GEMMs.
///
/// Errors (before `b` is written): [`FactorError::NotSquare`]; [`FactorError::Shape`] naming
/// both shapes when `b.nrows() != n`; [`FactorError::NonFinite`] when `a` or `b` holds NaN or
/// an infinity; [`FactorError::Singular`] when the `f64` fallback finds an exactly zero pivot.
///
/// ```
/// use lapis_factor::kernels::{MatMut, MatRef, Par};
/// use lapis_factor::mixed::{self, MixedPath};
/// // LAPACK: dsgesv(a, b)  /  numpy: np.linalg.solve(a, b)
/// let a = [4.0, 1.0, 0.0, 1.0, 4.0, 1.0, 0.0, 1.0, 4.0];
/// let mut b = [6.0, 12.0, 14.0]; // a @ [1, 2, 3]
/// let path = mixed::solve(
///     MatRef::from_row_major(&a, 3, 3).unwrap(),
///     MatMut::from_col_major(&mut b, 3, 1).unwrap(),
///     Par::Seq,
/// )
/// .unwrap();
/// assert!(path.is_refined());
/// assert!((b[0] - 1.0).abs() < 1e-15 && (b[1] - 2.0).abs() < 1e-15 && (b[2] - 3.0).abs() < 1e-15);
/// ```
pub fn solve(
    a: MatRef<'_, f64>,
    mut b: MatMut<'_, f64>,
    par: Par,
) -> Result<MixedPath, FactorError> {
    let n = check_square(a)?;
    if b.nrows() != n {
        return Err(FactorError::Shape {
            op: "mixed::solve",
            shapes: vec![("a", a.shape()), ("b", b.shape())],
        });
    }
    if !all_finite(a) || !all_finite(b.as_ref()) {
        return Err(FactorError::NonFinite);
    }
    let nrhs = b.ncols();
    if n == 0 || nrhs == 0 {
        return Ok(MixedPath::Refined { iterations: 0 });
    }
    let path = match refine(a, b.as_ref(), par)? {
        Outcome::Refined { x, iterations } => {
            let xv = MatRef::from_col_major(&x, n, nrhs).map_err(|_| shape_error(a, &b))?;
            b.copy_from(xv);
            return Ok(MixedPath::Refined { iterations });
        }
        Outcome::Fallback(path) => path,
    };
    // Fallback: LU in f64.
    let mut lu_buf = a.to_col_major_vec();
    let mut ipiv = vec![0; n];
    let mut lu_view = MatMut::from_col_major(&mut lu_buf, n, n).map_err(|_| shape_error(a, &b))?;
    lu::factor(lu_view.rb(), &mut ipiv, par)?.check()?;
    lu::solve(lu_view.into_ref(), &ipiv, b, par)?;
    Ok(path)
}

/// What the `f32` attempt produced: a refined solution (column-major `n × nrhs`) or the
/// reason to fall back.
enum Outcome {
    Refined { x: Vec<f64>, iterations: usize },
    Fallback(MixedPath),
}

/// The `f32` factorization and the refinement loop, for a square, finite, non-empty `a` and
/// finite `b` of matching rows.
fn refine(a: MatRef<'_, f64>, b: MatRef<'_, f64>, par: Par) -> Result<Outcome, FactorError> {
    let (n, nrhs) = (a.nrows(), b.ncols());
    let shape = || FactorError::Shape {
        op: "mixed::solve",
        shapes: vec![("a", a.shape()), ("b", b.shape())],
    };
    // A in f32, if every entry keeps its relative precision there.
    let (big, small) = (f64::from(f32::MAX), f64::from(f32::MIN_POSITIVE));
    let mut a32 = Vec::with_capacity(n * n);
    for j in 0..n {
        for i in 0..n {
            let v = a.get(i, j);
            if v.abs() > big || (v != 0.0 && v.abs() < small) {
                return Ok(Outcome::Fallback(MixedPath::OutOfRange));
            }
            a32.push(v as f32);
        }
    }
    let mut ipiv = vec![0; n];
    let mut lu32 = MatMut::from_col_major(&mut a32, n, n).map_err(|_| shape())?;
    if let Some(index) = lu::factor(lu32.rb(), &mut ipiv, par)?.first_zero_pivot {
        return Ok(Outcome::Fallback(MixedPath::SingleSingular { index }));
    }
    let lu32 = lu32.into_ref();

    // dsgesv's threshold: ‖A‖∞·ε·√n with ε = 2⁻⁵³ (the unit roundoff).
    let cte = norm_inf(a) * (f64::EPSILON / 2.0) * (n as f64).sqrt();
    let mut x = vec![0.0f64; n * nrhs];
    let mut r = b.to_col_major_vec(); // b − A·0
    let mut d = vec![0.0f32; n * nrhs];
    let mut scales = vec![0.0f64; nrhs];
    let mut prev_dnorm = f64::INFINITY;
    for iterations in 0..=MAX_ITERATIONS {
        // d = (L̂·Û)⁻¹·(r / s) in f32, each column scaled by a power of two s ≈ ‖r_j‖∞.
        for j in 0..nrhs {
            let col = &r[j * n..(j + 1) * n];
            let s = pow2_scale(col.iter().fold(0.0f64, |m, v| m.max(v.abs())));
            scales[j] = s;
            for (dv, rv) in d[j * n..(j + 1) * n].iter_mut().zip(col) {
                *dv = (rv / s) as f32;
            }
        }
        let dv = MatMut::from_col_major(&mut d, n, nrhs).map_err(|_| shape())?;
        lu::solve(lu32, &ipiv, dv, par)?;
        if d.iter().any(|v| !v.is_finite()) {
            return Ok(Outcome::Fallback(MixedPath::NoConvergence { iterations }));
        }
        let mut dnorm = 0.0f64;
        for j in 0..nrhs {
            let s = scales[j];
            for (xv, dv) in x[j * n..(j + 1) * n].iter_mut().zip(&d[j * n..(j + 1) * n]) {
                *xv += s * f64::from(*dv);
                dnorm = dnorm.max((s * f64::from(*dv)).abs());
            }
        }
        // The corrections shrink by about κ·ε₃₂ per step; when one fails to halve, that
        // factor is ≥ 1/2 and the stopping rule is out of reach: fall back now rather than
        // after MAX_ITERATIONS (Higham §12.1's stagnation test).
        if iterations >= 2 && dnorm > 0.5 * prev_dnorm {
            return Ok(Outcome::Fallback(MixedPath::NoConvergence { iterations }));
        }
        prev_dnorm = dnorm;
        // r = b − A·x in f64.
        let mut rv = MatMut::from_col_major(&mut r, n, nrhs).map_err(|_| shape())?;
        rv.copy_from(b);
        let xv = MatRef::from_col_major(&x, n, nrhs).map_err(|_| shape())?;
        gemm(-1.0, a, xv, 1.0, rv, par)?;
        if r.iter().any(|v| !v.is_finite()) {
            return Ok(Outcome::Fallback(MixedPath::NoConvergence { iterations }));
        }
        let converged = (0..nrhs).all(|j| {
            let rn = max_abs(&r[j * n..(j + 1) * n]);
            let xn = max_abs(&x[j * n..(j + 1) * n]);
            rn <= xn * cte
        });
        if converged {
            return Ok(Outcome::Refined { x, iterations });
        }
    }
    Ok(Outcome::Fallback(MixedPath::NoConvergence {
        iterations: MAX_ITERATIONS,
    }))
}

/// `max |v_i|` (0 for an empty slice).
fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

/// `‖A‖∞`, the largest absolute row sum.
fn norm_inf(a: MatRef<'_, f64>) -> f64 {
    let mut rows = vec![0.0f64; a.nrows()];
    for j in 0..a.ncols() {
        for (i, s) in rows.iter_mut().enumerate() {
            *s += a.get(i, j).abs();
        }
    }
    rows.into_iter().fold(0.0, f64::max)
}

/// A power of two `s` with `m / s < 2` (`s = 2^⌊log₂ m⌋`, at least `2⁻¹⁰²²`), so that a vector
/// with `max |v| = m` divided by `s` rounds to `f32` without overflow, and exactly back; `1`
/// for `m = 0`.
fn pow2_scale(m: f64) -> f64 {
    if m == 0.0 {
        return 1.0;
    }
    let biased = (m.to_bits() >> 52) & 0x7ff; // 0 for subnormal m: use 2⁻¹⁰²²
    f64::from_bits(biased.max(1) << 52)
}

fn shape_error(a: MatRef<'_, f64>, b: &MatMut<'_, f64>) -> FactorError {
    FactorError::Shape {
        op: "mixed::solve",
        shapes: vec![("a", a.shape()), ("b", b.shape())],
    }
}
