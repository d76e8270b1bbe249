//! Singular values and vectors of a real upper bidiagonal matrix by implicit QR (LAPACK
//! `bdsqr`), after Demmel & Kahan, "Accurate singular values of bidiagonal matrices" (1990).
//!
//! Each sweep chases a bulge through the active block `ll..=m` with right rotations (columns,
//! accumulated into `V`) and left rotations (rows, into `U`). The shift is the smaller singular
//! value of the trailing 2 × 2 — or zero when that could not change the smallest singular
//! value's relative accuracy, in which case the *zero-shift* sweep is used, which computes
//! even tiny singular values to high relative accuracy. The sweep direction follows the
//! grading of the block (top to bottom when the large end is on top). Off-diagonals are set
//! to zero by the paper's criteria: `|e_i| ≤ tol·μ_i`, with `μ` the recurrence that estimates
//! the smallest singular value of the leading (or trailing) part, and `|e_i| ≤ thresh`.

use lapis_kernels::{MatMut, Scalar, rotg};

use crate::FactorError;
use crate::plane::{rot_cols, sv2x2, swap_cols, sym2x2};

/// Sweeps allowed, as a multiple of `n²` (LAPACK's `maxitr`).
const MAXITR: usize = 6;

/// All singular values, and optionally the singular vectors, of the upper bidiagonal `B`
/// with diagonal `d` (length `n`) and superdiagonal `e` (length `≥ n − 1`; `n − 1` read)
/// (LAPACK `bdsqr`).
///
/// On return `d` holds the singular values, non-negative and in descending order, and `e` is
/// destroyed. With `B = Q·Σ·Pᵀ`: `u` (`r × n`, any strides) is overwritten by `U·Q` and `vt`
/// (`n × c`, any strides) by `Pᵀ·Vᵀ`. Pass identities to get the vectors of `B`, or the
/// orthogonal factors of a bidiagonal reduction `A = U·B·Vᵀ` to get those of `A`.
///
/// Errors: [`FactorError::Shape`] when `e`, `u` or `vt` do not fit `n`,
/// [`FactorError::NonFinite`] for NaN or infinite input, [`FactorError::NoConvergence`] after
/// `6·n²` inner steps without convergence (never observed; the output is then partial).
///
/// ```
/// use lapis_factor::kernels::MatMut;
/// use lapis_factor::svd::bidiagonal_svd;
/// // numpy: np.linalg.svd([[1, 1], [0, 1]])  ->  σ = (√5 ± 1)/2
/// let (mut d, mut e) = ([1.0, 1.0], [1.0]);
/// let mut u = [1.0, 0.0, 0.0, 1.0];
/// let mut vt = [1.0, 0.0, 0.0, 1.0];
/// bidiagonal_svd(
///     &mut d,
///     &mut e,
///     Some(MatMut::from_col_major(&mut u, 2, 2).unwrap()),
///     Some(MatMut::from_col_major(&mut vt, 2, 2).unwrap()),
/// )
/// .unwrap();
/// let phi = (5f64.sqrt() + 1.0) / 2.0;
/// assert!((d[0] - phi).abs() < 1e-15 && (d[1] - 1.0 / phi).abs() < 1e-15);
/// ```
pub fn bidiagonal_svd<T: Scalar>(
    d: &mut [T],
    e: &mut [T],
    u: Option<MatMut<'_, T>>,
    vt: Option<MatMut<'_, T>>,
) -> Result<(), FactorError> {
    let n = d.len();
    let u_ok = u.as_ref().is_none_or(|u| u.ncols() == n);
    let vt_ok = vt.as_ref().is_none_or(|v| v.nrows() == n);
    if e.len() < n.saturating_sub(1) || !u_ok || !vt_ok {
        let mut shapes = vec![("d", (n, 1)), ("e", (e.len(), 1))];
        if let Some(u) = &u {
            shapes.push(("u", u.shape()));
        }
        if let Some(vt) = &vt {
            shapes.push(("vt", vt.shape()));
        }
        return Err(FactorError::Shape {
            op: "svd::bidiagonal_svd",
            shapes,
        });
    }
    let m1 = n.saturating_sub(1);
    if d.iter().chain(&e[..m1]).any(|x| !x.is_finite()) {
        return Err(FactorError::NonFinite);
    }
    let mut u = u;
    // V's columns are Vᵀ's rows.
    let mut v = vt.map(|vt| vt.transpose());
    if n > 1 {
        qr_iteration(d, &mut e[..m1], u.as_mut(), v.as_mut())?;
    }
    for (i, di) in d.iter_mut().enumerate() {
        if *di < T::zero() {
            *di = -*di;
            if let Some(v) = v.as_mut() {
                for r in 0..v.nrows() {
                    let x = v.get(r, i);
                    v.write(r, i, -x);
                }
            }
        }
    }
    // Sort descending (selection: at most n − 1 exchanges), moving U's and V's columns along.
    for i in 0..n {
        let k = (i..n).fold(i, |k, j| if d[j] > d[k] { j } else { k });
        if k != i {
            d.swap(i, k);
            if let Some(u) = u.as_mut() {
                swap_cols(u, i, k);
            }
            if let Some(v) = v.as_mut() {
                swap_cols(v, i, k);
            }
        }
    }
    Ok(())
}

/// Which way the active block is chased.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Dir {
    /// Top to bottom (the large end is on top); deflation at the bottom.
    Down,
    /// Bottom to top; deflation at the top.
    Up,
}

/// The iteration proper on `n ≥ 2` with `e.len() == n − 1`; on return `e = 0` and `d` holds
/// signed singular values.
fn qr_iteration<T: Scalar>(
    d: &mut [T],
    e: &mut [T],
    mut u: Option<&mut MatMut<'_, T>>,
    mut v: Option<&mut MatMut<'_, T>>,
) -> Result<(), FactorError> {
    let (zero, one) = (T::zero(), T::one());
    let n = d.len();
    let nt = T::from_f64(n as f64);
    let eps = T::EPS / (one + one);
    let unfl = T::MIN_POSITIVE;
    // Relative accuracy tolerance: tolmul·ε with tolmul = max(10, min(100, ε^(−1/8))).
    let tolmul = T::from_f64(10.0).max(T::from_f64(100.0).min(eps.powf(T::from_f64(-0.125))));
    let tol = tolmul * eps;
    // A lower bound-like estimate of σ_min (Demmel–Kahan's recurrence), for the absolute
    // threshold below which off-diagonals are zeroed.
    let mut sminoa = d[0].abs();
    if sminoa != zero {
        let mut mu = sminoa;
        for i in 1..n {
            mu = d[i].abs() * (mu / (mu + e[i - 1].abs()));
            sminoa = sminoa.min(mu);
            if sminoa == zero {
                break;
            }
        }
    }
    sminoa /= nt.sqrt();
    let maxit = MAXITR * n * n;
    let thresh = (tol * sminoa).max(T::from_f64(maxit as f64) * unfl);

    let mut iter = 0usize;
    let mut dir = Dir::Down;
    // The last block worked on (to notice when a new one starts).
    let (mut oldll, mut oldm): (Option<usize>, Option<usize>) = (None, None);
    let mut m = n - 1;
    'outer: while m > 0 {
        if iter >= maxit {
            return Err(FactorError::NoConvergence { iterations: iter });
        }
        // Find the active block ll..=m: the nearest negligible e above m ends it.
        let mut smax = d[m].abs();
        let mut split = None;
        for ll in (0..m).rev() {
            let (abss, abse) = (d[ll].abs(), e[ll].abs());
            if abse <= thresh {
                e[ll] = zero;
                split = Some(ll);
                break;
            }
            smax = smax.max(abss).max(abse);
        }
        let ll = match split {
            Some(s) if s + 1 == m => {
                // d[m] is a singular value.
                m -= 1;
                continue;
            }
            Some(s) => s + 1,
            None => 0,
        };
        if ll + 1 == m {
            two_by_two(d, e, ll, u.as_deref_mut(), v.as_deref_mut());
            if m < 2 {
                break;
            }
            m -= 2;
            continue;
        }
        // A new block: chase from its large end.
        let new_block = match (oldll, oldm) {
            (Some(ol), Some(om)) => ll > om || m < ol,
            _ => true,
        };
        if new_block {
            dir = if d[ll].abs() >= d[m].abs() {
                Dir::Down
            } else {
                Dir::Up
            };
        }
        // Convergence tests (relative): the end value first, then the μ recurrence.
        let sminl;
        match dir {
            Dir::Down => {
                if e[m - 1].abs() <= tol * d[m].abs() {
                    e[m - 1] = zero;
                    continue;
                }
                let mut mu = d[ll].abs();
                let mut smin = mu;
                for i in ll..m {
                    if e[i].abs() <= tol * mu {
                        e[i] = zero;
                        continue 'outer;
                    }
                    mu = d[i + 1].abs() * (mu / (mu + e[i].abs()));
                    smin = smin.min(mu);
                }
                sminl = smin;
            }
            Dir::Up => {
                if e[ll].abs() <= tol * d[ll].abs() {
                    e[ll] = zero;
                    continue;
                }
                let mut mu = d[m].abs();
                let mut smin = mu;
                for i in (ll..m).rev() {
                    if e[i].abs() <= tol * mu {
                        e[i] = zero;
                        continue 'outer;
                    }
                    mu = d[i].abs() * (mu / (mu + e[i].abs()));
                    smin = smin.min(mu);
                }
                sminl = smin;
            }
        }
        oldll = Some(ll);
        oldm = Some(m);
        // Shift: zero when it cannot matter for the relative accuracy of σ_min.
        let mut shift = zero;
        if nt * tol * (sminl / smax) > eps.max(T::from_f64(0.01) * tol) {
            let (sll, s) = match dir {
                Dir::Down => (d[ll].abs(), sv2x2(d[m - 1], e[m - 1], d[m]).0),
                Dir::Up => (d[m].abs(), sv2x2(d[ll], e[ll], d[ll + 1]).0),
            };
            shift = s;
            if sll > zero && (shift / sll) * (shift / sll) < eps {
                shift = zero;
            }
        }
        iter += m - ll;
        match (dir, shift == zero) {
            (Dir::Down, true) => {
                let (mut cs, mut oldcs, mut oldsn) = (one, one, zero);
                for i in ll..m {
                    let (c, s, r) = rotg(d[i] * cs, e[i]);
                    cs = c;
                    if i > ll {
                        e[i - 1] = oldsn * r;
                    }
                    let (oc, os, di) = rotg(oldcs * r, d[i + 1] * s);
                    oldcs = oc;
                    oldsn = os;
                    d[i] = di;
                    if let Some(v) = v.as_deref_mut() {
                        rot_cols(v, i, i + 1, c, s);
                    }
                    if let Some(u) = u.as_deref_mut() {
                        rot_cols(u, i, i + 1, oc, os);
                    }
                }
                let h = d[m] * cs;
                d[m] = h * oldcs;
                e[m - 1] = h * oldsn;
                if e[m - 1].abs() <= thresh {
                    e[m - 1] = zero;
                }
            }
            (Dir::Up, true) => {
                let (mut cs, mut oldcs, mut oldsn) = (one, one, zero);
                for i in (ll + 1..=m).rev() {
                    let (c, s, r) = rotg(d[i] * cs, e[i - 1]);
                    cs = c;
                    if i < m {
                        e[i] = oldsn * r;
                    }
                    let (oc, os, di) = rotg(oldcs * r, d[i - 1] * s);
                    oldcs = oc;
                    oldsn = os;
                    d[i] = di;
                    if let Some(u) = u.as_deref_mut() {
                        rot_cols(u, i, i - 1, c, s);
                    }
                    if let Some(v) = v.as_deref_mut() {
                        rot_cols(v, i, i - 1, oc, os);
                    }
                }
                let h = d[ll] * cs;
                d[ll] = h * oldcs;
                e[ll] = h * oldsn;
                if e[ll].abs() <= thresh {
                    e[ll] = zero;
                }
            }
            (Dir::Down, false) => {
                let mut f = (d[ll].abs() - shift) * (one.copysign(d[ll]) + shift / d[ll]);
                let mut g = e[ll];
                for i in ll..m {
                    let (cr, sr, r) = rotg(f, g);
                    if i > ll {
                        e[i - 1] = r;
                    }
                    f = cr * d[i] + sr * e[i];
                    e[i] = cr * e[i] - sr * d[i];
                    g = sr * d[i + 1];
                    d[i + 1] = cr * d[i + 1];
                    let (cl, sl, r) = rotg(f, g);
                    d[i] = r;
                    f = cl * e[i] + sl * d[i + 1];
                    d[i + 1] = cl * d[i + 1] - sl * e[i];
                    if i + 1 < m {
                        g = sl * e[i + 1];
                        e[i + 1] = cl * e[i + 1];
                    }
                    if let Some(v) = v.as_deref_mut() {
                        rot_cols(v, i, i + 1, cr, sr);
                    }
                    if let Some(u) = u.as_deref_mut() {
                        rot_cols(u, i, i + 1, cl, sl);
                    }
                }
                e[m - 1] = f;
                if e[m - 1].abs() <= thresh {
                    e[m - 1] = zero;
                }
            }
            (Dir::Up, false) => {
                let mut f = (d[m].abs() - shift) * (one.copysign(d[m]) + shift / d[m]);
                let mut g = e[m - 1];
                for i in (ll + 1..=m).rev() {
                    let (cr, sr, r) = rotg(f, g);
                    if i < m {
                        e[i] = r;
                    }
                    f = cr * d[i] + sr * e[i - 1];
                    e[i - 1] = cr * e[i - 1] - sr * d[i];
                    g = sr * d[i - 1];
                    d[i - 1] = cr * d[i - 1];
                    let (cl, sl, r) = rotg(f, g);
                    d[i] = r;
                    f = cl * e[i - 1] + sl * d[i - 1];
                    d[i - 1] = cl * d[i - 1] - sl * e[i - 1];
                    if i > ll + 1 {
                        g = sl * e[i - 2];
                        e[i - 2] = cl * e[i - 2];
                    }
                    if let Some(u) = u.as_deref_mut() {
                        rot_cols(u, i, i - 1, cr, sr);
                    }
                    if let Some(v) = v.as_deref_mut() {
                        rot_cols(v, i, i - 1, cl, sl);
                    }
                }
                e[ll] = f;
                if e[ll].abs() <= thresh {
                    e[ll] = zero;
                }
            }
        }
    }
    Ok(())
}

/// The 2 × 2 block `[[d[k], e[k]], [0, d[k+1]]]` diagonalized in place: a rotation `R₁` from
/// the left makes it symmetric, a Jacobi rotation `J` diagonalizes that, so
/// `B = (R₁ᵀ·J)·Λ·Jᵀ`; the magnitudes are then replaced by [`sv2x2`]'s, which are accurate
/// to a few ulps relative even for a tiny `σ_min`.
fn two_by_two<T: Scalar>(
    d: &mut [T],
    e: &mut [T],
    k: usize,
    u: Option<&mut MatMut<'_, T>>,
    v: Option<&mut MatMut<'_, T>>,
) {
    let (f, g, h) = (d[k], e[k], d[k + 1]);
    let (c1, s1, _) = rotg(f + h, g);
    let (p, q, r) = (c1 * f, s1 * f, s1 * g + c1 * h);
    let (l1, l2, cj, sj) = sym2x2(p, q, r);
    let (smin, smax) = sv2x2(f, g, h);
    let (a1, a2) = if l1.abs() >= l2.abs() {
        (smax, smin)
    } else {
        (smin, smax)
    };
    d[k] = a1.copysign(l1);
    d[k + 1] = a2.copysign(l2);
    e[k] = T::zero();
    if let Some(u) = u {
        rot_cols(u, k, k + 1, c1, -s1);
        rot_cols(u, k, k + 1, cj, -sj);
    }
    if let Some(v) = v {
        rot_cols(v, k, k + 1, cj, -sj);
    }
}
