//! Randomized truncated SVD (Halko, Martinsson & Tropp, "Finding structure with randomness",
//! SIAM Review 2011, Algorithms 4.4 and 5.1).
//!
//! A Gaussian test matrix `Ω` (`n × l`, `l = k + oversampling`) samples the range of `A`:
//! `Y = A·Ω`; `q` power iterations `Y ← A·(Aᵀ·Y)` (re-orthonormalized by QR after every
//! product, so the small singular directions are not lost to rounding) sharpen it when the
//! spectrum decays slowly. With `Q` an orthonormal basis of `Y`, the small `B = Qᵀ·A` (`l × n`)
//! has an exact SVD `B = Ũ·Σ·Vᵀ`, and `A ≈ (Q·Ũ)·Σ·Vᵀ`, truncated to the top `k`. All products
//! are GEMMs; the cost is `O(m·n·l·(2q + 2))`.

use lapis_kernels::{MatMut, MatRef, Par, Scalar, gemm};

use crate::FactorError;
use crate::qr;

/// Parameters of [`randomized_svd`].
///
/// ```
/// use lapis_factor::svd::RandomizedSvdParams;
/// let p = RandomizedSvdParams::default();
/// assert_eq!((p.oversampling, p.power_iterations), (10, 4));
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct RandomizedSvdParams {
    /// Extra samples beyond `k` (`p` in the paper; 5–10 is usual).
    pub oversampling: usize,
    /// Power iterations `q` (each costs two passes over `A`).
    pub power_iterations: usize,
    /// Seed of the test matrix: equal seeds give equal results.
    pub seed: u64,
}

impl Default for RandomizedSvdParams {
    fn default() -> Self {
        RandomizedSvdParams {
            oversampling: 10,
            power_iterations: 4,
            seed: 0x5EED_1A91_5C0F_FEE5,
        }
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): a small, fast, well-mixed 64-bit generator.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in (0, 1].
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) + 1) as f64 / (1u64 << 53) as f64
    }
    /// Two independent standard normals (Box–Muller).
    fn normal_pair(&mut self) -> (f64, f64) {
        let (u1, u2) = (self.uniform(), self.uniform());
        let r = (-2.0 * u1.ln()).sqrt();
        let t = 2.0 * std::f64::consts::PI * u2;
        (r * t.cos(), r * t.sin())
    }
}

/// A column-major `r × c` view of the start of `buf`.
fn col<T>(buf: &mut [T], r: usize, c: usize) -> MatMut<'_, T> {
    MatMut::from_col_major(&mut buf[..r * c], r, c).expect("workspace")
}

/// Replaces the `rows × cols` column-major `y` (`rows ≥ cols`) by an orthonormal basis of its
/// range (thin `Q` of a Householder QR).
fn orthonormalize<T: Scalar>(
    y: &mut [T],
    rows: usize,
    cols: usize,
    par: Par,
) -> Result<(), FactorError> {
    let mut tau = vec![T::zero(); cols];
    let params = qr::QrParams {
        check_finite: false,
        ..qr::QrParams::for_scalar::<T>()
    };
    qr::factor_with_params(
        MatMut::from_col_major(y, rows, cols).expect("workspace"),
        &mut tau,
        par,
        &params,
    )?;
    let mut q = vec![T::zero(); rows * cols];
    qr::form_q(
        MatRef::from_col_major(y, rows, cols).expect("workspace"),
        &tau,
        MatMut::from_col_major(&mut q, rows, cols).expect("workspace"),
        par,
    )?;
    y.copy_from_slice(&q);
    Ok(())
}

/// The top `k = s.len()` singular values (descending) of `a` (`m × n`, any strides) and,
/// when requested, their vectors: `u` is `m × k`, `vt` is `k × n` (any strides), so that
/// `A ≈ U·diag(s)·Vᵀ` (scikit-learn's `randomized_svd`). `k ≤ min(m, n)`.
///
/// The result is exact when `rank(A) ≤ k + oversampling`; otherwise the error
/// `‖A − U·Σ·Vᵀ‖₂` is close to the optimal `σ_{k+1}` with high probability, the closer the
/// more power iterations (Halko et al., Cor. 10.10). Deterministic for a given seed.
///
/// Errors: [`FactorError::Shape`], [`FactorError::NonFinite`], and those of [`svd`](super::svd).
///
/// ```
/// use lapis_factor::kernels::{MatMut, MatRef, Par};
/// use lapis_factor::svd::{randomized_svd, RandomizedSvdParams};
/// // A rank-2 60 × 40 matrix: the top two singular values are recovered exactly.
/// let (m, n) = (60, 40);
/// let a: Vec<f64> = (0..m * n)
///     .map(|p| {
///         let (i, j) = ((p % m) as f64, (p / m) as f64);
///         3.0 * (i / 10.0).sin() * (j / 7.0).cos() + 0.5 * (i / 5.0).cos() * (j / 3.0).sin()
///     })
///     .collect();
/// let mut s = [0.0; 2];
/// randomized_svd(MatRef::from_col_major(&a, m, n).unwrap(), &mut s, None, None, &RandomizedSvdParams::default(), Par::Seq)
///     .unwrap();
/// let mut exact = [0.0; 40];
/// lapis_factor::svd::svdvals(MatRef::from_col_major(&a, m, n).unwrap(), &mut exact, Par::Seq).unwrap();
/// assert!((s[0] - exact[0]).abs() < 1e-12 * exact[0] && (s[1] - exact[1]).abs() < 1e-12 * exact[0]);
/// ```
pub fn randomized_svd<T: Scalar>(
    a: MatRef<'_, T>,
    s: &mut [T],
    u: Option<MatMut<'_, T>>,
    vt: Option<MatMut<'_, T>>,
    params: &RandomizedSvdParams,
    par: Par,
) -> Result<(), FactorError> {
    let (m, n) = a.shape();
    let k = s.len();
    let u_ok = u.as_ref().is_none_or(|u| u.shape() == (m, k));
    let vt_ok = vt.as_ref().is_none_or(|v| v.shape() == (k, n));
    if k > m.min(n) || !u_ok || !vt_ok {
        let mut shapes = vec![("a", (m, n)), ("s", (k, 1))];
        if let Some(u) = &u {
            shapes.push(("u", u.shape()));
        }
        if let Some(vt) = &vt {
            shapes.push(("vt", vt.shape()));
        }
        return Err(FactorError::Shape {
            op: "svd::randomized_svd",
            shapes,
        });
    }
    if !crate::util::all_finite(a) {
        return Err(FactorError::NonFinite);
    }
    if k == 0 {
        return Ok(());
    }
    let l = (k + params.oversampling).min(m.min(n));
    let (zero, one) = (T::zero(), T::one());
    // Ω: n × l standard normal.
    let mut rng = SplitMix64(params.seed);
    let mut omega = vec![zero; n * l];
    for pair in omega.chunks_mut(2) {
        let (g1, g2) = rng.normal_pair();
        pair[0] = T::from_f64(g1);
        if pair.len() > 1 {
            pair[1] = T::from_f64(g2);
        }
    }
    // Y = A·Ω, orthonormalized.
    let mut y = vec![zero; m * l];
    gemm(
        one,
        a,
        MatRef::from_col_major(&omega, n, l).expect("workspace"),
        zero,
        col(&mut y, m, l),
        par,
    )?;
    orthonormalize(&mut y, m, l, par)?;
    // Power iterations: Z = orth(Aᵀ·Q), Q = orth(A·Z).
    let mut zbuf = omega;
    for _ in 0..params.power_iterations {
        gemm(
            one,
            a.transpose(),
            MatRef::from_col_major(&y, m, l).expect("workspace"),
            zero,
            col(&mut zbuf, n, l),
            par,
        )?;
        orthonormalize(&mut zbuf, n, l, par)?;
        gemm(
            one,
            a,
            MatRef::from_col_major(&zbuf, n, l).expect("workspace"),
            zero,
            col(&mut y, m, l),
            par,
        )?;
        orthonormalize(&mut y, m, l, par)?;
    }
    // B = Qᵀ·A (l × n) and its exact thin SVD.
    let mut b = vec![zero; l * n];
    gemm(
        one,
        MatRef::from_col_major(&y, m, l)
            .expect("workspace")
            .transpose(),
        a,
        zero,
        col(&mut b, l, n),
        par,
    )?;
    let mut sb = vec![zero; l];
    let want_u = u.is_some();
    let mut ub = vec![zero; if want_u { l * l } else { 0 }];
    let mut vtb = vec![zero; if vt.is_some() { l * n } else { 0 }];
    super::svd(
        MatRef::from_col_major(&b, l, n).expect("workspace"),
        &mut sb,
        want_u.then(|| MatMut::from_col_major(&mut ub, l, l).expect("workspace")),
        vt.as_ref()
            .map(|_| MatMut::from_col_major(&mut vtb, l, n).expect("workspace")),
        par,
    )?;
    s.copy_from_slice(&sb[..k]);
    if let Some(u) = u {
        // U = Q·Ũ[:, :k]
        gemm(
            one,
            MatRef::from_col_major(&y, m, l).expect("workspace"),
            MatRef::from_col_major(&ub, l, l)
                .expect("workspace")
                .submatrix(0, 0, l, k),
            zero,
            u,
            par,
        )?;
    }
    if let Some(mut vt) = vt {
        vt.copy_from(
            MatRef::from_col_major(&vtb, l, n)
                .expect("workspace")
                .submatrix(0, 0, k, n),
        );
    }
    Ok(())
}
