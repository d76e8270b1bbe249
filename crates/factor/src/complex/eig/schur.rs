//! Complex Schur form of an upper Hessenberg matrix, `H = Z·T·Zᴴ` with `T` upper triangular,
//! by the single-shift implicit QR algorithm (LAPACK `zlahqr`).
//!
//! Each sweep starts from the first column of `H − σI` and chases the one-entry bulge down the
//! active window with 2-element reflectors. The shift `σ` is Wilkinson's, the eigenvalue of the
//! trailing 2 × 2 block closer to its last diagonal entry; every ten iterations without a
//! deflation an exceptional shift (alternately from the bottom and the top of the window)
//! breaks the rare cycles. A subdiagonal entry is set to zero when it is negligible by the
//! Ahues–Tisseur test (small against its neighbours, not only against the diagonal, which keeps
//! the small eigenvalues of graded matrices accurate), and a sweep starts in the middle of the
//! window where two consecutive subdiagonal entries are small enough. After `30·max(10, n)`
//! iterations on one eigenvalue the iteration gives up with [`FactorError::NoConvergence`].
//!
//! Unlike `zlahqr`, the subdiagonal is not kept real by extra diagonal scalings: the
//! reflectors are general complex ones and every test measures with `|re| + |im|`.

use lapis_kernels::{MatMut, Scalar};
use num_complex::Complex;

use super::Planes;
use crate::FactorError;
use crate::complex::householder::make_reflector;
use crate::complex::{abs1, div};

/// Iterations without deflation between exceptional shifts.
const EXCEPTIONAL_EVERY: usize = 10;

/// Schur form of the Hessenberg `h` (zero below the subdiagonal), of which only the window
/// `lo..hi` is unreduced (outside it `h` is already triangular). The eigenvalues go to `w`
/// in the order of `T`'s diagonal.
///
/// With `want_t`, the whole of `h` becomes `T` and the transformations are accumulated into
/// the rows `lo..hi` of `z` (if given). Without, only the active window is updated and `h` is
/// left in an unspecified state.
pub(super) fn schur<T: Scalar>(
    h: &mut Planes<'_, T>,
    lo: usize,
    hi: usize,
    w: &mut [Complex<T>],
    mut z: Option<&mut Planes<'_, T>>,
    want_t: bool,
) -> Result<(), FactorError> {
    let n = h.n;
    for i in (0..lo).chain(hi..n) {
        w[i] = h.get(i, i);
    }
    if hi <= lo {
        return Ok(());
    }
    let zero = Complex::new(T::zero(), T::zero());
    let ulp = T::EPS;
    let nh = hi - lo;
    let smlnum = T::MIN_POSITIVE * (T::from_f64(nh as f64) / ulp);
    let itmax = 30 * nh.max(10);
    // Columns i1..i2 of h take the transformations (all of them when T is wanted).
    let (mut i1, mut i2) = (0, n);
    let mut total = 0usize;
    let mut since_deflation = 0usize;

    // Rows `end..hi` have converged; the active window ends at row `i = end − 1`.
    let mut end = hi;
    while end > lo {
        let i = end - 1;
        let mut l = lo;
        let mut converged = false;
        for _ in 0..=itmax {
            // A negligible subdiagonal entry splits the window at the lowest such place.
            let mut k = i;
            while k > l {
                if negligible(h, k, lo, hi, ulp, smlnum) {
                    break;
                }
                k -= 1;
            }
            l = k;
            if l > lo {
                h.set(l, l - 1, zero);
            }
            if l >= i {
                converged = true;
                break;
            }
            total += 1;
            since_deflation += 1;
            if !want_t {
                i1 = l;
                i2 = i + 1;
            }
            let sigma = shift(h, l, i, since_deflation);
            let (m, v) = sweep_start(h, l, i, sigma, ulp);
            sweep(h, l, m, i, i1, i2, v, z.as_deref_mut(), lo, hi);
        }
        if !converged {
            return Err(FactorError::NoConvergence { iterations: total });
        }
        since_deflation = 0;
        w[i] = h.get(i, i);
        end = i;
    }
    Ok(())
}

/// Whether `h[k, k−1]` may be set to zero: below `smlnum`, or small against the diagonal next
/// to it and, by the Ahues–Tisseur test, against the products that bound the eigenvalue
/// perturbation it causes.
fn negligible<T: Scalar>(
    h: &Planes<'_, T>,
    k: usize,
    lo: usize,
    hi: usize,
    ulp: T,
    smlnum: T,
) -> bool {
    let sub = abs1(h.get(k, k - 1));
    if sub <= smlnum {
        return true;
    }
    let mut tst = abs1(h.get(k - 1, k - 1)) + abs1(h.get(k, k));
    if tst == T::zero() {
        if k >= lo + 2 {
            tst += abs1(h.get(k - 1, k - 2));
        }
        if k + 1 < hi {
            tst += abs1(h.get(k + 1, k));
        }
    }
    if sub > ulp * tst {
        return false;
    }
    let sup = abs1(h.get(k - 1, k));
    let (ab, ba) = (sub.max(sup), sub.min(sup));
    let hkk = abs1(h.get(k, k));
    let dif = abs1(h.get(k - 1, k - 1) - h.get(k, k));
    let (aa, bb) = (hkk.max(dif), hkk.min(dif));
    let s = aa + ab;
    ba * (ab / s) <= smlnum.max(ulp * (bb * (aa / s)))
}

/// The shift for the window `l..=i`: Wilkinson's, or an exceptional one every
/// [`EXCEPTIONAL_EVERY`] iterations without deflation (from the bottom of the window at even
/// multiples, from the top at odd ones).
fn shift<T: Scalar>(h: &Planes<'_, T>, l: usize, i: usize, since_deflation: usize) -> Complex<T> {
    let three_quarters = T::from_f64(0.75);
    if since_deflation.is_multiple_of(2 * EXCEPTIONAL_EVERY) {
        let s = three_quarters * abs1(h.get(i, i - 1));
        return h.get(i, i) + s;
    }
    if since_deflation.is_multiple_of(EXCEPTIONAL_EVERY) {
        let s = three_quarters * abs1(h.get(l + 1, l));
        return h.get(l, l) + s;
    }
    // The eigenvalues of [[a, b], [c, d]] are d + x ± y with x = (a − d)/2, y² = x² + b·c;
    // the one closer to d is d + x − y = d − u²/(x + y) with u² = b·c and y's sign taken
    // so that x + y does not cancel. The square roots are taken separately so that b·c
    // cannot overflow, and the operands scaled by s for y.
    let d = h.get(i, i);
    let u = h.get(i - 1, i).sqrt() * h.get(i, i - 1).sqrt();
    let mut s = abs1(u);
    if s == T::zero() {
        return d;
    }
    let half = T::from_f64(0.5);
    let x = (h.get(i - 1, i - 1) - d) * half;
    let sx = abs1(x);
    s = s.max(sx);
    let (xs, us) = (x / s, u / s);
    let mut y = (xs * xs + us * us).sqrt() * s;
    if sx > T::zero() {
        let xd = x / sx;
        if xd.re * y.re + xd.im * y.im < T::zero() {
            y = -y;
        }
    }
    d - u * div(u, x + y)
}

/// Where the sweep starts: the largest `m` in `l..i` at which starting the bulge leaves a fill
/// `h[m+1, m−1]` negligible against `ulp·‖H‖` locally (two consecutive small subdiagonal
/// entries), or `l`; and the bulge direction there, the first column of `H − σI` at rows
/// `m, m+1`, scaled.
fn sweep_start<T: Scalar>(
    h: &Planes<'_, T>,
    l: usize,
    i: usize,
    sigma: Complex<T>,
    ulp: T,
) -> (usize, [Complex<T>; 2]) {
    let mut m = i - 1;
    loop {
        let h11 = h.get(m, m);
        let h22 = h.get(m + 1, m + 1);
        let mut h11s = h11 - sigma;
        let mut h21 = h.get(m + 1, m);
        let s = abs1(h11s) + abs1(h21);
        if s > T::zero() {
            h11s /= s;
            h21 /= s;
        }
        if m == l {
            return (m, [h11s, h21]);
        }
        let h10 = abs1(h.get(m, m - 1));
        if h10 * abs1(h21) <= ulp * (abs1(h11s) * (abs1(h11) + abs1(h22))) {
            return (m, [h11s, h21]);
        }
        m -= 1;
    }
}

/// One single-shift sweep over rows `m..=i` of the window `l..=i`, from the bulge direction
/// `v`: the reflectors `H_k = I − τ·[1; v₂]·[1; v₂]ᴴ` act as `H_kᴴ·H·H_k` on the columns
/// `i1..i2` (from the left) and rows `i1..` (from the right) of `h`, and as `Z·H_k` on the rows
/// `zlo..zhi` of `z`.
#[allow(clippy::too_many_arguments)]
fn sweep<T: Scalar>(
    h: &mut Planes<'_, T>,
    l: usize,
    m: usize,
    i: usize,
    i1: usize,
    i2: usize,
    v: [Complex<T>; 2],
    mut z: Option<&mut Planes<'_, T>>,
    zlo: usize,
    zhi: usize,
) {
    let zero = Complex::new(T::zero(), T::zero());
    let one = Complex::new(T::one(), T::zero());
    for k in m..i {
        let (alpha, x) = if k > m {
            (h.get(k, k - 1), h.get(k + 1, k - 1))
        } else {
            (v[0], v[1])
        };
        let (mut xr, mut xi) = ([x.re], [x.im]);
        let refl = {
            let tail = crate::complex::CMatMut::new(
                MatMut::from_col_major(&mut xr, 1, 1).expect("1 × 1"),
                MatMut::from_col_major(&mut xi, 1, 1).expect("1 × 1"),
            )
            .expect("one shape");
            make_reflector(alpha, tail)
        };
        let tau = refl.tau;
        let v2 = Complex::new(xr[0], xi[0]);
        if k > m {
            h.set(k, k - 1, Complex::new(refl.beta, T::zero()));
            h.set(k + 1, k - 1, zero);
        } else if m > l {
            // Hᴴ meets only h[m, m−1] of column m − 1 (the fill below it is negligible by the
            // choice of m): it becomes (1 − τ̄)·h[m, m−1].
            let z0 = h.get(m, m - 1) * (one - tau.conj());
            h.set(m, m - 1, z0);
        }
        if tau == zero {
            continue;
        }
        let (tc, v2c) = (tau.conj(), v2.conj());
        for j in k..i2 {
            let s = tc * (h.get(k, j) + v2c * h.get(k + 1, j));
            h.set(k, j, h.get(k, j) - s);
            h.set(k + 1, j, h.get(k + 1, j) - s * v2);
        }
        for r in i1..=(k + 2).min(i) {
            let s = tau * (h.get(r, k) + h.get(r, k + 1) * v2);
            h.set(r, k, h.get(r, k) - s);
            h.set(r, k + 1, h.get(r, k + 1) - s * v2c);
        }
        if let Some(z) = z.as_deref_mut() {
            for r in zlo..zhi {
                let s = tau * (z.get(r, k) + z.get(r, k + 1) * v2);
                z.set(r, k, z.get(r, k) - s);
                z.set(r, k + 1, z.get(r, k + 1) - s * v2c);
            }
        }
    }
}
