//! Singular values and vectors of a real upper bidiagonal matrix by divide and conquer (Jessup
//! & Sorensen 1994; Gu & Eisenstat 1995; LAPACK `bdsdc`).
//!
//! Row `k` of the `n × (n + sqre)` upper bidiagonal `B` splits it as
//! `B = [B₁ 0; α·e_kᵀ β·e_{k+1}ᵀ; 0 B₂]`: `B₁` (rows `0..k`) is `k × (k + 1)`, `B₂` the
//! rest. With `B_i = U_i·[Σ_i 0]·V_iᵀ` solved recursively, `B = U·M·Vᵀ` where `U`, `V` are block
//! diagonal and `M` is an *arrow* matrix: its row `k` is `z = (α·(last row of V₁),
//! β·(first row of V₂))`, the rest is `diag(Σ₁, Σ₂)`. A rotation folds the two null vectors of
//! `V₁` and `V₂` into one column, whose pole is `0`. The singular values of `M` are the roots
//! of `1 + Σ_j z_j²/(d_j² − σ²) = 0` ([`crate::secular`], in `σ²` relative to the nearer
//! `d_o²` with every `d_j² − σ²` formed as `(d_j − σ)(d_j + σ)`); after deflating tiny `z_j` and
//! near-equal `d_j`, and recomputing `ẑ` from the computed roots so that the vectors are
//! orthogonal to working precision, `M`'s vectors are `v = (ẑ_j/(d_j² − σ²))_j` and
//! `u = (−1, d_j·ẑ_j/(d_j² − σ²))`, normalized; `U·Ũ` and `V·Ṽ` are GEMMs. Leaves of at most
//! [`LEAF`] rows are solved by implicit QR ([`bidiagonal_svd`]).
//!
//! If the fast path gives up (a secular root without convergence, a non-finite value), the
//! public entry points fall back to [`bidiagonal_svd`] on the original `(d, e)`.

mod merge;

use lapis_kernels::{MatMut, MatRef, Par, Scalar, rotg};

use super::SvdParams;
use super::bidiag_svd::bidiagonal_svd;
use crate::FactorError;
use crate::plane::{pow2_exponent, rot_cols, scale_pow2};
use crate::secular::Failed;

/// Subproblems of at most this many rows are solved by implicit QR.
const LEAF: usize = 25;

/// All singular values and both sets of singular vectors of the upper bidiagonal `B` (diagonal
/// `d`, length `n`; superdiagonal `e`, length `≥ n − 1`, destroyed) by divide and conquer
/// (LAPACK `bdsdc`), with an automatic fallback to implicit QR ([`bidiagonal_svd`]) should the
/// fast path fail.
///
/// On return `d` holds the singular values, non-negative and descending, and with
/// `B = Q·Σ·Pᵀ`, `u` (`n × n`) holds `Q` and `vt` (`n × n`) holds `Pᵀ` — what
/// [`bidiagonal_svd`] gives when `u`, `vt` start as identities; here their contents on entry
/// are ignored. Singular values are accurate to `O(n·ε·‖B‖)` (absolutely, as every orthogonal
/// method's; [`bidiagonal_svd`] alone is relatively accurate for tiny ones).
///
/// Errors: [`FactorError::Shape`], [`FactorError::NonFinite`], and
/// [`FactorError::NoConvergence`] only if the fallback itself does not converge.
///
/// ```
/// use lapis_factor::kernels::{MatMut, Par};
/// use lapis_factor::svd::bidiagonal_svd_dc;
/// // numpy: np.linalg.svd(np.diag([2.0] * 80) + np.diag([1.0] * 79, 1))
/// let n = 80;
/// let (mut d, mut e) = (vec![2.0; n], vec![1.0; n - 1]);
/// let (mut u, mut vt) = (vec![0.0; n * n], vec![0.0; n * n]);
/// bidiagonal_svd_dc(
///     &mut d,
///     &mut e,
///     MatMut::from_col_major(&mut u, n, n).unwrap(),
///     MatMut::from_col_major(&mut vt, n, n).unwrap(),
///     Par::Seq,
/// )
/// .unwrap();
/// assert!(d.windows(2).all(|w| w[0] >= w[1]) && d[0] < 3.0 && d[n - 1] > 1.0);
/// // u @ diag(d) @ vt reproduces B: its (0, 1) entry is 1.
/// let b01: f64 = (0..n).map(|p| u[p * n] * d[p] * vt[p + n]).sum();
/// assert!((b01 - 1.0).abs() < 1e-13);
/// ```
pub fn bidiagonal_svd_dc<T: Scalar>(
    d: &mut [T],
    e: &mut [T],
    u: MatMut<'_, T>,
    vt: MatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    bidiagonal_svd_dc_with_params(d, e, u, vt, par, &SvdParams::default())
}

/// [`bidiagonal_svd_dc`] with explicit tuning ([`SvdParams::secular_iteration_limit`]; the
/// threshold is [`svd`](super::svd)'s and not read here).
///
/// ```
/// use lapis_factor::kernels::{MatMut, Par};
/// use lapis_factor::svd::{SvdParams, bidiagonal_svd_dc_with_params};
/// // A limit of 0 makes every secular solve give up: the QR fallback answers.
/// let params = SvdParams { secular_iteration_limit: 0, ..SvdParams::default() };
/// let n = 40;
/// let (mut d, mut e) = (vec![1.0; n], vec![0.5; n - 1]);
/// let (mut u, mut vt) = (vec![0.0; n * n], vec![0.0; n * n]);
/// bidiagonal_svd_dc_with_params(
///     &mut d,
///     &mut e,
///     MatMut::from_col_major(&mut u, n, n).unwrap(),
///     MatMut::from_col_major(&mut vt, n, n).unwrap(),
///     Par::Seq,
///     &params,
/// )
/// .unwrap();
/// assert!(d[0] < 1.5 && d[n - 1] > 0.5);
/// ```
pub fn bidiagonal_svd_dc_with_params<T: Scalar>(
    d: &mut [T],
    e: &mut [T],
    mut u: MatMut<'_, T>,
    mut vt: MatMut<'_, T>,
    par: Par,
    params: &SvdParams,
) -> Result<(), FactorError> {
    check(d, e, &u, &vt)?;
    let n = d.len();
    if n > LEAF
        && let Ok(vals) = fast_path(
            d,
            e,
            u.rb(),
            vt.rb().transpose(),
            par,
            params.secular_iteration_limit,
        )
    {
        d.copy_from_slice(&vals);
        return Ok(());
    }
    set_identity(&mut u);
    set_identity(&mut vt);
    bidiagonal_svd(d, e, Some(u), Some(vt))
}

/// The divide-and-conquer path alone, without the fallback: [`bidiagonal_svd_dc`] except that
/// a failure of the fast path is reported as [`FactorError::NoConvergence`] (with the secular
/// iteration limit as the count). For tests that must see the fast path's own answer.
#[doc(hidden)]
pub fn bidiagonal_svd_dc_unguarded<T: Scalar>(
    d: &mut [T],
    e: &mut [T],
    u: MatMut<'_, T>,
    vt: MatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    check(d, e, &u, &vt)?;
    let limit = SvdParams::default().secular_iteration_limit;
    let vals = fast_path(d, e, u, vt.transpose(), par, limit)
        .map_err(|Failed| FactorError::NoConvergence { iterations: limit })?;
    d.copy_from_slice(&vals);
    Ok(())
}

/// Shapes and finiteness of the arguments.
fn check<T: Scalar>(
    d: &[T],
    e: &[T],
    u: &MatMut<'_, T>,
    vt: &MatMut<'_, T>,
) -> Result<(), FactorError> {
    let n = d.len();
    if e.len() < n.saturating_sub(1) || u.shape() != (n, n) || vt.shape() != (n, n) {
        return Err(FactorError::Shape {
            op: "svd::bidiagonal_svd_dc",
            shapes: vec![
                ("d", (n, 1)),
                ("e", (e.len(), 1)),
                ("u", u.shape()),
                ("vt", vt.shape()),
            ],
        });
    }
    if d.iter()
        .chain(&e[..n.saturating_sub(1)])
        .any(|x| !x.is_finite())
    {
        return Err(FactorError::NonFinite);
    }
    Ok(())
}

fn set_identity<T: Scalar>(a: &mut MatMut<'_, T>) {
    a.fill(T::zero());
    for i in 0..a.nrows().min(a.ncols()) {
        a.write(i, i, T::one());
    }
}

/// The fast path on copies of `(d, e)`: returns the values, descending, and writes `U` into
/// `u` and `V` into `v` (both `n × n`; written even when it fails).
fn fast_path<T: Scalar>(
    d: &[T],
    e: &[T],
    mut u: MatMut<'_, T>,
    mut v: MatMut<'_, T>,
    par: Par,
    maxit: usize,
) -> Result<Vec<T>, Failed> {
    let n = d.len();
    let m = n.saturating_sub(1);
    // Scale to a largest entry of about 1 (exact), so the secular arithmetic is safe.
    let anorm = d
        .iter()
        .chain(&e[..m])
        .fold(T::zero(), |a, x| a.max(x.abs()));
    let exponent = if anorm > T::zero() {
        pow2_exponent(anorm, T::one())
    } else {
        0
    };
    let mut dd = d.to_vec();
    let mut ee = e[..m].to_vec();
    scale_pow2(&mut dd, exponent);
    scale_pow2(&mut ee, exponent);
    // One workspace for every merge (they run one after another): a gathered copy of U or V
    // and the arrow matrix's vectors.
    let mut work = vec![T::zero(); n * (n + 1) + n * n];
    divide(
        &mut dd,
        &mut ee,
        false,
        u.rb(),
        v.rb(),
        &Ctx { par, maxit },
        &mut work,
    )?;
    if !dd.iter().all(|x| x.is_finite()) {
        return Err(Failed);
    }
    scale_pow2(&mut dd, -exponent);
    // The merges leave the values unordered: sort descending, moving the vectors along.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        dd[b]
            .partial_cmp(&dd[a])
            .unwrap_or(core::cmp::Ordering::Equal)
    });
    for mat in [u.rb(), v.rb()] {
        let mut mat = mat;
        let g = &mut work[..n * n];
        for (t, &j) in order.iter().enumerate() {
            MatMut::from_col_major(&mut g[t * n..(t + 1) * n], n, 1)
                .expect("column")
                .copy_from(mat.as_ref().col(j));
        }
        if !g.iter().all(|x| x.is_finite()) {
            return Err(Failed);
        }
        mat.copy_from(MatRef::from_col_major(g, n, n).expect("workspace"));
    }
    Ok(order.iter().map(|&j| dd[j]).collect())
}

/// What every level of the recursion needs.
struct Ctx {
    par: Par,
    /// Iterations allowed per secular root.
    maxit: usize,
}

/// The SVD of the `n × (n + sqre)` upper bidiagonal with diagonal `d` and superdiagonal `e`
/// (length `n − 1 + sqre`): values into `d` (in no particular order), `U` into `u` (`n × n`),
/// `V` into `v` (`(n + sqre)²`; with `sqre`, its last column spans the null space). `work`
/// holds at least `n·(2n + 1)` elements.
fn divide<T: Scalar>(
    d: &mut [T],
    e: &mut [T],
    sqre: bool,
    mut u: MatMut<'_, T>,
    mut v: MatMut<'_, T>,
    ctx: &Ctx,
    work: &mut [T],
) -> Result<(), Failed> {
    let n = d.len();
    if n <= LEAF {
        return leaf(d, e, sqre, u, v);
    }
    let k = n / 2;
    let (alpha, beta) = (d[k], e[k]);
    u.fill(T::zero());
    v.fill(T::zero());
    {
        let (d1, rest) = d.split_at_mut(k);
        let d2 = &mut rest[1..];
        let (e1, rest) = e.split_at_mut(k);
        let e2 = &mut rest[1..];
        let (utop, ubot) = u.rb().split_at_row(k);
        let u1 = utop.split_at_col(k).0;
        let u2 = ubot.split_at_row(1).1.split_at_col(k + 1).1;
        let (vtop, vbot) = v.rb().split_at_row(k + 1);
        let v1 = vtop.split_at_col(k + 1).0;
        let v2 = vbot.split_at_col(k + 1).1;
        divide(d1, e1, true, u1, v1, ctx, work)?;
        divide(d2, e2, sqre, u2, v2, ctx, work)?;
    }
    merge::merge(d, alpha, beta, k, sqre, u, v, ctx, work)
}

/// A leaf: with `sqre`, right rotations chase the extra column's entry up and out (into `V`'s
/// last column), leaving a square bidiagonal; then implicit QR.
fn leaf<T: Scalar>(
    d: &mut [T],
    e: &mut [T],
    sqre: bool,
    mut u: MatMut<'_, T>,
    mut v: MatMut<'_, T>,
) -> Result<(), Failed> {
    let n = d.len();
    set_identity(&mut u);
    set_identity(&mut v);
    if n == 0 {
        return Ok(());
    }
    if sqre {
        let mut f = e[n - 1];
        e[n - 1] = T::zero();
        for j in (0..n).rev() {
            if f == T::zero() {
                break;
            }
            let (c, s, r) = rotg(d[j], f);
            d[j] = r;
            rot_cols(&mut v, j, n, c, s);
            f = if j > 0 {
                let x = e[j - 1];
                e[j - 1] = c * x;
                -s * x
            } else {
                T::zero()
            };
        }
    }
    let mcols = v.nrows();
    let vt = v.submatrix(0, 0, mcols, n).transpose();
    bidiagonal_svd(d, &mut e[..n - 1], Some(u), Some(vt)).map_err(|_| Failed)
}
