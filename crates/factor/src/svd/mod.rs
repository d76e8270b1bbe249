//! Singular value decomposition: `A = U·Σ·Vᵀ` with `Σ = diag(s)`, `s` non-negative and
//! descending, `U` and `V` orthonormal (numpy's `svd` / `svdvals`, LAPACK `gesvd`).
//!
//! For `m ≥ n` (a wide `A` is handled as `Aᵀ = V·Σ·Uᵀ`): when `m ≥ 1.6·n` a QR factorization
//! `A = Q·R` comes first and the `n × n` `R` is reduced instead; Householder bidiagonalization
//! `A = Q_B·B·P_Bᵀ` (blocked `gebrd`/`labrd`); the SVD of the bidiagonal `B = Q_s·Σ·P_sᵀ`; then
//! `U = Q·Q_B·Q_s` and `V = P_B·P_s` by the blocked (compact WY, GEMM) [`qr::apply_q`]. The
//! bidiagonal SVD is dqds ([`bidiagonal_svdvals`], `lasq1`, Fernando–Parlett) for values only;
//! with vectors, implicit zero-shift/shifted QR ([`bidiagonal_svd`], `bdsqr`, Demmel–Kahan) for
//! small orders (rotations accumulated into `n × n` identities) and divide and conquer
//! ([`bidiagonal_svd_dc`], `bdsdc`, most flops in GEMM) above
//! [`SvdParams::divide_conquer_threshold`]; should dqds or divide and conquer ever fail, QR
//! redoes the bidiagonal from the saved `(d, e)`, so the user never sees `lasq`'s or `gesdd`'s
//! failures. Inputs near overflow or underflow are scaled by a power of two first.
//!
//! [`randomized_svd`] computes only the top `k` triplets of a large matrix by random sampling
//! of its range (Halko, Martinsson & Tropp), with power iterations for slowly decaying spectra.

mod bidiag;
mod bidiag_svd;
mod dc;
mod dqds;
mod randomized;
mod solve;

pub use bidiag_svd::bidiagonal_svd;
#[doc(hidden)]
pub use dc::bidiagonal_svd_dc_unguarded;
pub use dc::{bidiagonal_svd_dc, bidiagonal_svd_dc_with_params};
pub use dqds::bidiagonal_svdvals;
#[doc(hidden)]
pub use dqds::bidiagonal_svdvals_unguarded;
pub use randomized::{RandomizedSvdParams, randomized_svd};
pub(crate) use solve::least_squares;

use lapis_kernels::{MatMut, MatRef, Par, Scalar, Side};

use crate::FactorError;
use crate::householder::Trans;
use crate::plane::{safe_range_exponent, scale_pow2};
use crate::qr;
use crate::util::upper_triangle;

/// Tall inputs with `m ≥ QR_FIRST_RATIO·n` are QR-factored before bidiagonalization (LAPACK's
/// `mnthr ≈ 1.6·n`).
const QR_FIRST_RATIO: f64 = 1.6;

/// Tuning of [`svd_with_params`] and [`bidiagonal_svd_dc_with_params`]; changing it never
/// changes what is computed beyond rounding.
///
/// ```
/// use lapis_factor::svd::SvdParams;
/// assert!(SvdParams::default().divide_conquer_threshold >= 25);
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct SvdParams {
    /// With vectors, bidiagonals of order above this are solved by divide and conquer
    /// ([`bidiagonal_svd_dc`]); at or below it by implicit QR ([`bidiagonal_svd`]).
    /// `usize::MAX` forces QR everywhere.
    pub divide_conquer_threshold: usize,
    /// Iterations allowed per root of a secular equation before divide and conquer gives up
    /// and implicit QR recomputes the bidiagonal SVD (a root takes 2–5; `0` forces the
    /// fallback, for tests).
    pub secular_iteration_limit: usize,
}

impl Default for SvdParams {
    fn default() -> Self {
        SvdParams {
            divide_conquer_threshold: 25,
            secular_iteration_limit: 80,
        }
    }
}

/// Singular values of `a` (`m × n`, any strides) into `s` (length `k = min(m, n)`, descending,
/// non-negative) and, when requested, the singular vectors: `u` is `m × m` (numpy's
/// `full_matrices=True`) or `m × k` (`False`); `vt` is `n × n` or `k × n`; each any strides,
/// previous contents ignored. Then `A = U[:, :k]·diag(s)·Vᵀ[:k, :]`, and the extra columns of a
/// full `U` (rows of a full `Vᵀ`) complete an orthonormal basis.
///
/// Errors: [`FactorError::Shape`] (`s`, `u`, `vt`), [`FactorError::NonFinite`],
/// [`FactorError::NoConvergence`].
///
/// ```
/// use lapis_factor::kernels::{MatMut, MatRef, Par};
/// use lapis_factor::svd::svd;
/// // numpy: u, s, vt = np.linalg.svd(a, full_matrices=False)
/// let a = [3.0, 0.0, 4.0, 5.0]; // [[3, 0], [4, 5]]: σ = 3√5, √5
/// let (mut s, mut u, mut vt) = ([0.0; 2], [0.0; 4], [0.0; 4]);
/// svd(
///     MatRef::from_row_major(&a, 2, 2).unwrap(),
///     &mut s,
///     Some(MatMut::from_row_major(&mut u, 2, 2).unwrap()),
///     Some(MatMut::from_row_major(&mut vt, 2, 2).unwrap()),
///     Par::Seq,
/// )
/// .unwrap();
/// assert!((s[0] - 3.0 * 5f64.sqrt()).abs() < 1e-14 && (s[1] - 5f64.sqrt()).abs() < 1e-14);
/// // u @ diag(s) @ vt == a
/// for i in 0..2 {
///     for j in 0..2 {
///         let x: f64 = (0..2).map(|p| u[2 * i + p] * s[p] * vt[2 * p + j]).sum();
///         assert!((x - a[2 * i + j]).abs() < 1e-14);
///     }
/// }
/// ```
pub fn svd<T: Scalar>(
    a: MatRef<'_, T>,
    s: &mut [T],
    u: Option<MatMut<'_, T>>,
    vt: Option<MatMut<'_, T>>,
    par: Par,
) -> Result<(), FactorError> {
    svd_with_params(a, s, u, vt, par, &SvdParams::default())
}

/// [`svd`] with explicit tuning parameters.
///
/// ```
/// use lapis_factor::kernels::{MatMut, MatRef, Par};
/// use lapis_factor::svd::{SvdParams, svd_with_params};
/// let params = SvdParams { divide_conquer_threshold: usize::MAX, ..SvdParams::default() }; // QR only
/// let a = [0.0, 2.0, 1.0, 0.0]; // [[0, 2], [1, 0]]
/// let (mut s, mut u, mut vt) = ([0.0; 2], [0.0; 4], [0.0; 4]);
/// svd_with_params(
///     MatRef::from_row_major(&a, 2, 2).unwrap(),
///     &mut s,
///     Some(MatMut::from_row_major(&mut u, 2, 2).unwrap()),
///     Some(MatMut::from_row_major(&mut vt, 2, 2).unwrap()),
///     Par::Seq,
///     &params,
/// )
/// .unwrap();
/// assert_eq!(s, [2.0, 1.0]);
/// ```
pub fn svd_with_params<T: Scalar>(
    a: MatRef<'_, T>,
    s: &mut [T],
    u: Option<MatMut<'_, T>>,
    vt: Option<MatMut<'_, T>>,
    par: Par,
    params: &SvdParams,
) -> Result<(), FactorError> {
    let (m, n) = a.shape();
    let k = m.min(n);
    let u_ok = u
        .as_ref()
        .is_none_or(|u| u.nrows() == m && (u.ncols() == m || u.ncols() == k));
    let vt_ok = vt
        .as_ref()
        .is_none_or(|v| v.ncols() == n && (v.nrows() == n || v.nrows() == k));
    if s.len() != k || !u_ok || !vt_ok {
        let mut shapes = vec![("a", (m, n)), ("s", (s.len(), 1))];
        if let Some(u) = &u {
            shapes.push(("u", u.shape()));
        }
        if let Some(vt) = &vt {
            shapes.push(("vt", vt.shape()));
        }
        return Err(FactorError::Shape {
            op: "svd::svd",
            shapes,
        });
    }
    if m >= n {
        svd_tall(a, s, u, vt, par, params)
    } else {
        svd_tall(
            a.transpose(),
            s,
            vt.map(MatMut::transpose),
            u.map(MatMut::transpose),
            par,
            params,
        )
    }
}

/// Singular values only (numpy's `svdvals` / `svd(compute_uv=False)`): [`svd`] without `u`,
/// `vt`.
///
/// ```
/// use lapis_factor::kernels::{MatRef, Par};
/// use lapis_factor::svd::svdvals;
/// // numpy: np.linalg.svd([[0, 2, 0], [1, 0, 0]], compute_uv=False)
/// let a = [0.0, 2.0, 0.0, 1.0, 0.0, 0.0];
/// let mut s = [0.0; 2];
/// svdvals(MatRef::from_row_major(&a, 2, 3).unwrap(), &mut s, Par::Seq).unwrap();
/// assert_eq!(s, [2.0, 1.0]);
/// ```
pub fn svdvals<T: Scalar>(a: MatRef<'_, T>, s: &mut [T], par: Par) -> Result<(), FactorError> {
    svd(a, s, None, None, par)
}

/// The SVD `B = U_b·Σ·V_bᵀ` of the upper bidiagonal `(d, e)` (`d` becomes `Σ`, descending),
/// with the `n × n` factors written where asked (`v` receives `V_b` itself, not its
/// transpose): dqds ([`bidiagonal_svdvals`]) when no factor is wanted; divide and conquer
/// above [`SvdParams::divide_conquer_threshold`] when one is (it computes both, so a scratch
/// takes the unwanted one); implicit QR from the identity otherwise. The one place the real,
/// complex and least-squares SVDs choose their bidiagonal solver.
pub(crate) fn bidiagonal_vectors<T: Scalar>(
    d: &mut [T],
    e: &mut [T],
    u: Option<MatMut<'_, T>>,
    v: Option<MatMut<'_, T>>,
    par: Par,
    params: &SvdParams,
) -> Result<(), FactorError> {
    let n = d.len();
    if u.is_none() && v.is_none() {
        return bidiagonal_svdvals(d, e);
    }
    if n > params.divide_conquer_threshold {
        let (mut uscratch, mut vscratch) = (Vec::new(), Vec::new());
        fn scratch<T: Scalar>(buf: &mut Vec<T>, n: usize) -> MatMut<'_, T> {
            buf.resize(n * n, T::zero());
            MatMut::from_col_major(buf, n, n).expect("workspace")
        }
        let u = u.unwrap_or_else(|| scratch(&mut uscratch, n));
        let v = v.unwrap_or_else(|| scratch(&mut vscratch, n));
        return dc::bidiagonal_svd_dc_with_params(d, e, u, v.transpose(), par, params);
    }
    let (mut u, mut v) = (u, v);
    for f in u.iter_mut().chain(v.iter_mut()) {
        f.fill(T::zero());
        for i in 0..n {
            f.write(i, i, T::one());
        }
    }
    bidiagonal_svd(d, e, u, v.map(MatMut::transpose))
}

/// A column-major `n × n` identity.
fn identity<T: Scalar>(n: usize) -> Vec<T> {
    let mut v = vec![T::zero(); n * n];
    for i in 0..n {
        v[i + i * n] = T::one();
    }
    v
}

fn col_major<T>(buf: &mut [T], m: usize, n: usize) -> MatMut<'_, T> {
    MatMut::from_col_major(buf, m, n).expect("workspace")
}

/// [`svd`] for `m ≥ n`, shapes already checked.
fn svd_tall<T: Scalar>(
    a: MatRef<'_, T>,
    s: &mut [T],
    u: Option<MatMut<'_, T>>,
    vt: Option<MatMut<'_, T>>,
    par: Par,
    params: &SvdParams,
) -> Result<(), FactorError> {
    let (m, n) = a.shape();
    let mut buf = a.to_col_major_vec();
    let mut anorm = T::zero();
    for x in &buf {
        if !x.is_finite() {
            return Err(FactorError::NonFinite);
        }
        anorm = anorm.max(x.abs());
    }
    if n == 0 {
        if let Some(mut u) = u {
            let p = u.ncols();
            u.copy_from(
                MatRef::from_col_major(&identity(m), m, m)
                    .expect("identity")
                    .submatrix(0, 0, m, p),
            );
        }
        return Ok(());
    }
    let exponent = safe_range_exponent(anorm);
    scale_pow2(&mut buf, exponent);

    // QR first for tall matrices: B is reduced from R (n × n) instead of A.
    let qr_first = m as f64 >= QR_FIRST_RATIO * n as f64 && m > n;
    let mut tau_qr = Vec::new();
    let (mut bbuf, mb) = if qr_first {
        tau_qr = vec![T::zero(); n];
        qr::factor(col_major(&mut buf, m, n), &mut tau_qr, par)?;
        let f = MatRef::from_col_major(&buf, m, n).expect("workspace");
        (upper_triangle(f.submatrix(0, 0, n, n)), n)
    } else {
        (std::mem::take(&mut buf), m)
    };
    let mut e = vec![T::zero(); n - 1];
    let mut tauq = vec![T::zero(); n];
    let mut taup = vec![T::zero(); n - 1];
    bidiag::bidiagonalize(
        col_major(&mut bbuf, mb, n),
        s,
        &mut e,
        &mut tauq,
        &mut taup,
        par,
    )?;

    // Q_s goes straight into the top n × n block of the m × p buffer that becomes U; V_s into
    // an n × n buffer.
    let p = u.as_ref().map_or(0, |u| u.ncols());
    let mut uw = u.as_ref().map(|_| vec![T::zero(); m * p]);
    let mut vs = vt.as_ref().map(|_| vec![T::zero(); n * n]);
    let uview = uw
        .as_mut()
        .map(|b| col_major(b, m, p).submatrix(0, 0, n, n));
    let vview = vs.as_mut().map(|b| col_major(b, n, n));
    bidiagonal_vectors(s, &mut e, uview, vview, par, params)?;
    scale_pow2(s, -exponent);

    let bmat = MatRef::from_col_major(&bbuf, mb, n).expect("workspace");
    if let (Some(mut u), Some(mut uw)) = (u, uw) {
        if qr_first {
            // Q_B·Q_s (n × n), then Q·[Q_B·Q_s, 0; 0, I].
            let us = col_major(&mut uw, m, p).submatrix(0, 0, n, n);
            qr::apply_q(Side::Left, Trans::No, bmat, &tauq, us, par)?;
        }
        for j in n..p {
            uw[j + j * m] = T::one();
        }
        let (refl, tau) = if qr_first {
            (
                MatRef::from_col_major(&buf, m, n).expect("workspace"),
                &tau_qr[..],
            )
        } else {
            (bmat, &tauq[..])
        };
        qr::apply_q(
            Side::Left,
            Trans::No,
            refl,
            tau,
            col_major(&mut uw, m, p),
            par,
        )?;
        u.copy_from(MatRef::from_col_major(&uw, m, p).expect("workspace"));
    }
    if let (Some(mut vt), Some(mut vs)) = (vt, vs) {
        // V = P_B·P_s with P_B = diag(1, P'), P' from the reflectors in the rows of B's storage.
        if n > 1 {
            let refl = bmat.transpose().submatrix(1, 0, n - 1, n - 1);
            let vrows = col_major(&mut vs, n, n).submatrix(1, 0, n - 1, n);
            qr::apply_q(Side::Left, Trans::No, refl, &taup, vrows, par)?;
        }
        // vt may be n × n or k × n with k = n here: the same.
        vt.copy_from(
            MatRef::from_col_major(&vs, n, n)
                .expect("workspace")
                .transpose(),
        );
    }
    Ok(())
}
