//! Real Schur form of an upper Hessenberg matrix, `H = Z·T·Zᵀ`: the driver sends windows of at
//! least [`MULTISHIFT_MIN`] rows to the [multishift QR](super::multishift) and smaller ones to
//! the Francis implicit double-shift QR algorithm here (LAPACK `lahqr`), which also computes the
//! Schur forms of the deflation windows inside the multishift code.
//!
//! Each sweep chases a 3 × 3 bulge, started from the two eigenvalues of the trailing 2 × 2 block
//! (the real one closer to the corner, twice, when both are real), down the active window with
//! 3-element reflectors. A subdiagonal entry is set to zero when it is negligible by the
//! Ahues–Tisseur test (small against its neighbours, not only against the diagonal — this keeps
//! the small eigenvalues of graded matrices accurate), and a sweep may start in the middle of the
//! window where two consecutive subdiagonal entries are small. Exceptional shifts every ten
//! iterations without deflation break the rare cycles; after `30·max(10, n)` of them the
//! iteration gives up with [`FactorError::NoConvergence`]. Converged 2 × 2 blocks are put in
//! standard form ([`standardize`], LAPACK `lanv2`): real eigenvalues split into a triangle,
//! complex pairs with equal diagonal and off-diagonals of opposite sign.

use lapis_kernels::{MatMut, Par, Scalar};

use crate::FactorError;
use crate::householder::make_reflector;

/// Iterations without deflation between exceptional shifts.
const EXCEPTIONAL_EVERY: usize = 10;

/// Active windows at least this large are reduced by [`multishift`](super::multishift) (LAPACK's
/// `nmin`); smaller ones, and the deflation windows inside it, by the double-shift code here.
pub(crate) const MULTISHIFT_MIN: usize = 75;

/// Schur form of the column-major `n × n` Hessenberg `h` (zero below the subdiagonal) whose
/// window `lo..hi` is unreduced territory (outside it, `h` is already triangular). Eigenvalues go
/// to `wr`, `wi` (pairs consecutive, positive imaginary part first).
///
/// With `want_t`, the whole of `h` becomes `T` and the transformations are accumulated into the
/// rows `lo..hi` of `z` (if given; `n × n` column-major). Without, only the active window is
/// updated and `h` is left in an unspecified state.
#[allow(clippy::too_many_arguments)]
pub(crate) fn schur<T: Scalar>(
    h: &mut [T],
    n: usize,
    lo: usize,
    hi: usize,
    wr: &mut [T],
    wi: &mut [T],
    z: Option<&mut [T]>,
    want_t: bool,
    par: Par,
) -> Result<(), FactorError> {
    for i in (0..lo).chain(hi..n) {
        wr[i] = h[i + i * n];
        wi[i] = T::zero();
    }
    let z = z.map(|z| (z, lo, hi));
    if hi >= lo + MULTISHIFT_MIN {
        super::multishift::multishift(h, n, lo, hi, wr, wi, z, want_t, par)
    } else {
        double_shift(h, n, lo, hi, wr, wi, z, want_t)
    }
}

/// The double-shift QR iteration on the unreduced block `lo..hi` of `h` (see [`schur`]); the
/// transformations go to the rows `zlo..zhi` of `z`, given as `(z, zlo, zhi)`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn double_shift<T: Scalar>(
    h: &mut [T],
    n: usize,
    lo: usize,
    hi: usize,
    wr: &mut [T],
    wi: &mut [T],
    mut z: Option<(&mut [T], usize, usize)>,
    want_t: bool,
) -> Result<(), FactorError> {
    if hi <= lo {
        return Ok(());
    }
    if hi - lo == 1 {
        wr[lo] = h[lo + lo * n];
        wi[lo] = T::zero();
        return Ok(());
    }
    let zero = T::zero();
    let at = |i: usize, j: usize| i + j * n;
    let ulp = T::EPS;
    let nh = hi - lo;
    let smlnum = T::MIN_POSITIVE * (T::from_f64(nh as f64) / ulp);
    let itmax = 30 * nh.max(10);
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
                let sub = h[at(k, k - 1)].abs();
                if sub <= smlnum {
                    break;
                }
                let mut tst = h[at(k - 1, k - 1)].abs() + h[at(k, k)].abs();
                if tst == zero {
                    if k >= lo + 2 {
                        tst += h[at(k - 1, k - 2)].abs();
                    }
                    if k + 1 < hi {
                        tst += h[at(k + 1, k)].abs();
                    }
                }
                if sub <= ulp * tst {
                    let sup = h[at(k - 1, k)].abs();
                    let (ab, ba) = (sub.max(sup), sub.min(sup));
                    let dif = (h[at(k - 1, k - 1)] - h[at(k, k)]).abs();
                    let hkk = h[at(k, k)].abs();
                    let (aa, bb) = (hkk.max(dif), hkk.min(dif));
                    let s = aa + ab;
                    if ba * (ab / s) <= smlnum.max(ulp * (bb * (aa / s))) {
                        break;
                    }
                }
                k -= 1;
            }
            l = k;
            if l > lo {
                h[at(l, l - 1)] = zero;
            }
            if l + 1 >= i {
                converged = true;
                break;
            }
            total += 1;
            since_deflation += 1;
            if !want_t {
                i1 = l;
                i2 = i + 1;
            }

            let (s1, s2) = shifts(h, n, l, i, since_deflation);
            let m = sweep_start(h, n, l, i, s1, s2);
            let v = first_column(h, n, m, s1, s2);
            sweep(
                h,
                n,
                l,
                m,
                i,
                i1,
                i2,
                v,
                z.as_mut().map(|(z, zlo, zhi)| (&mut **z, *zlo, *zhi)),
            );
        }
        if !converged {
            return Err(FactorError::NoConvergence { iterations: total });
        }
        since_deflation = 0;
        if l == i {
            wr[i] = h[at(i, i)];
            wi[i] = zero;
        } else {
            // A 2 × 2 block at rows l = i − 1, i.
            let p = i - 1;
            let std = standardize(h[at(p, p)], h[at(p, i)], h[at(i, p)], h[at(i, i)]);
            h[at(p, p)] = std.a;
            h[at(p, i)] = std.b;
            h[at(i, p)] = std.c;
            h[at(i, i)] = std.d;
            wr[p] = std.rt1r;
            wi[p] = std.rt1i;
            wr[i] = std.rt2r;
            wi[i] = std.rt2i;
            if want_t {
                // The rotation reaches the rest of rows p, i and columns p, i of T.
                let mut hm = MatMut::from_col_major(&mut *h, n, n).expect("n × n");
                if i2 > i + 1 {
                    let (rp, ri) = two_rows(hm.rb(), p, i, i + 1, i2);
                    lapis_kernels::rot(rp, ri, std.cs, std.sn).expect("two rows");
                }
                if p > i1 {
                    crate::plane::rot_cols(
                        &mut hm.rb().submatrix(i1, 0, p - i1, n),
                        p,
                        i,
                        std.cs,
                        std.sn,
                    );
                }
            }
            if let Some((z, zlo, zhi)) = z.as_mut() {
                let mut zm = MatMut::from_col_major(z, n, n).expect("n × n");
                crate::plane::rot_cols(
                    &mut zm.rb().submatrix(*zlo, 0, *zhi - *zlo, n),
                    p,
                    i,
                    std.cs,
                    std.sn,
                );
            }
        }
        end = l;
    }
    Ok(())
}

/// Rows `a` and `b` (`a < b`) of `m`, columns `c0..c1`, as two mutable row views.
fn two_rows<T: Scalar>(
    m: MatMut<'_, T>,
    a: usize,
    b: usize,
    c0: usize,
    c1: usize,
) -> (MatMut<'_, T>, MatMut<'_, T>) {
    let (top, bottom) = m.split_at_row(b);
    (
        top.submatrix(a, c0, 1, c1 - c0),
        bottom.submatrix(0, c0, 1, c1 - c0),
    )
}

/// A shift pair: `(re₁, im₁)`, `(re₂, im₂)`.
pub(crate) type Shift<T> = (T, T);

/// The two shifts for the window `l..=i`: the eigenvalues of its trailing 2 × 2 block, or an
/// exceptional pair every [`EXCEPTIONAL_EVERY`] iterations without deflation (alternating
/// between the bottom and the top of the window).
fn shifts<T: Scalar>(
    h: &[T],
    n: usize,
    l: usize,
    i: usize,
    since_deflation: usize,
) -> (Shift<T>, Shift<T>) {
    let at = |r: usize, c: usize| r + c * n;
    let zero = T::zero();
    let (h11, h12, h21, h22);
    let (dat1, dat2) = (T::from_f64(0.75), T::from_f64(-0.4375));
    if since_deflation.is_multiple_of(2 * EXCEPTIONAL_EVERY) {
        let s = h[at(i, i - 1)].abs() + h[at(i - 1, i - 2)].abs();
        h11 = dat1 * s + h[at(i, i)];
        h12 = dat2 * s;
        h21 = s;
        h22 = h11;
    } else if since_deflation.is_multiple_of(EXCEPTIONAL_EVERY) {
        let s = h[at(l + 1, l)].abs() + h[at(l + 2, l + 1)].abs();
        h11 = dat1 * s + h[at(l, l)];
        h12 = dat2 * s;
        h21 = s;
        h22 = h11;
    } else {
        h11 = h[at(i - 1, i - 1)];
        h21 = h[at(i, i - 1)];
        h12 = h[at(i - 1, i)];
        h22 = h[at(i, i)];
    }
    let s = h11.abs() + h12.abs() + h21.abs() + h22.abs();
    if s == zero {
        return ((zero, zero), (zero, zero));
    }
    let (h11, h12, h21, h22) = (h11 / s, h12 / s, h21 / s, h22 / s);
    let half = T::from_f64(0.5);
    let tr = (h11 + h22) * half;
    let det = (h11 - tr) * (h22 - tr) - h12 * h21;
    let rtdisc = det.abs().sqrt();
    if det >= zero {
        // A complex conjugate pair.
        let re = tr * s;
        let im = rtdisc * s;
        ((re, im), (re, -im))
    } else {
        // Two real eigenvalues: use the one closer to h22 twice.
        let r1 = tr + rtdisc;
        let r2 = tr - rtdisc;
        let r = if (r1 - h22).abs() <= (r2 - h22).abs() {
            r1
        } else {
            r2
        };
        ((r * s, zero), (r * s, zero))
    }
}

/// The first column of `(H − s₁)(H − s₂)` at rows `m..m+3`, scaled to avoid overflow (only its
/// direction matters).
pub(crate) fn first_column<T: Scalar>(
    h: &[T],
    n: usize,
    m: usize,
    s1: Shift<T>,
    s2: Shift<T>,
) -> [T; 3] {
    let at = |r: usize, c: usize| r + c * n;
    let h21s = h[at(m + 1, m)];
    let s = (h[at(m, m)] - s2.0).abs() + s2.1.abs() + h21s.abs();
    if s == T::zero() {
        return [T::zero(); 3];
    }
    let h21s = h21s / s;
    let v0 = h21s * h[at(m, m + 1)] + (h[at(m, m)] - s1.0) * ((h[at(m, m)] - s2.0) / s)
        - s1.1 * (s2.1 / s);
    let v1 = h21s * (h[at(m, m)] + h[at(m + 1, m + 1)] - s1.0 - s2.0);
    let v2 = h21s * h[at(m + 2, m + 1)];
    let t = v0.abs() + v1.abs() + v2.abs();
    [v0 / t, v1 / t, v2 / t]
}

/// Where the sweep may start: the largest `m` in `l..=i−2` at which two consecutive subdiagonal
/// entries are small enough that starting the bulge there perturbs `H` by at most `ulp·‖H‖`
/// locally (or `l`).
fn sweep_start<T: Scalar>(
    h: &[T],
    n: usize,
    l: usize,
    i: usize,
    s1: Shift<T>,
    s2: Shift<T>,
) -> usize {
    let at = |r: usize, c: usize| r + c * n;
    let mut m = i - 2;
    while m > l {
        let v = first_column(h, n, m, s1, s2);
        let h00 = h[at(m, m - 1)].abs() * (v[1].abs() + v[2].abs());
        let h01 = v[0].abs()
            * (h[at(m - 1, m - 1)].abs() + h[at(m, m)].abs() + h[at(m + 1, m + 1)].abs());
        if h00 <= T::EPS * h01 {
            break;
        }
        m -= 1;
    }
    m
}

/// One double-shift sweep over rows `m..=i` of the window `l..=i`, starting from the bulge
/// direction `v`: applies the reflectors to rows/columns inside `i1..i2` of `h` and to the
/// rows `zlo..zhi` of `z` (given as `(z, zlo, zhi)`).
#[allow(clippy::too_many_arguments)]
fn sweep<T: Scalar>(
    h: &mut [T],
    n: usize,
    l: usize,
    m: usize,
    i: usize,
    i1: usize,
    i2: usize,
    v0: [T; 3],
    mut z: Option<(&mut [T], usize, usize)>,
) {
    let at = |r: usize, c: usize| r + c * n;
    let zero = T::zero();
    let one = T::one();
    for k in m..i {
        let nr = 3.min(i - k + 1);
        let mut v = [zero; 3];
        if k > m {
            for (p, vp) in v.iter_mut().enumerate().take(nr) {
                *vp = h[at(k + p, k - 1)];
            }
        } else {
            v = v0;
        }
        let refl = make_reflector(
            v[0],
            MatMut::from_col_major(&mut v[1..nr], nr - 1, 1).expect("vector"),
        );
        let t1 = refl.tau;
        if k > m {
            h[at(k, k - 1)] = refl.beta;
            h[at(k + 1, k - 1)] = zero;
            if k + 2 <= i {
                h[at(k + 2, k - 1)] = zero;
            }
        } else if m > l {
            // The reflector meets only h[m, m−1] of column m−1 (the rest is negligible by the
            // choice of m): scaling it by 1 − τ is exact where negating it would not be when
            // v[1], v[2] underflow.
            h[at(k, k - 1)] *= one - t1;
        }
        if t1 == zero {
            continue;
        }
        let v2 = v[1];
        let t2 = t1 * v2;
        if nr == 3 {
            let v3 = v[2];
            let t3 = t1 * v3;
            for j in k..i2 {
                let s = h[at(k, j)] + v2 * h[at(k + 1, j)] + v3 * h[at(k + 2, j)];
                h[at(k, j)] -= s * t1;
                h[at(k + 1, j)] -= s * t2;
                h[at(k + 2, j)] -= s * t3;
            }
            let last = (k + 3).min(i);
            for r in i1..=last {
                let s = h[at(r, k)] + v2 * h[at(r, k + 1)] + v3 * h[at(r, k + 2)];
                h[at(r, k)] -= s * t1;
                h[at(r, k + 1)] -= s * t2;
                h[at(r, k + 2)] -= s * t3;
            }
            if let Some((z, zlo, zhi)) = z.as_mut() {
                for r in *zlo..*zhi {
                    let s = z[at(r, k)] + v2 * z[at(r, k + 1)] + v3 * z[at(r, k + 2)];
                    z[at(r, k)] -= s * t1;
                    z[at(r, k + 1)] -= s * t2;
                    z[at(r, k + 2)] -= s * t3;
                }
            }
        } else {
            for j in k..i2 {
                let s = h[at(k, j)] + v2 * h[at(k + 1, j)];
                h[at(k, j)] -= s * t1;
                h[at(k + 1, j)] -= s * t2;
            }
            for r in i1..=i {
                let s = h[at(r, k)] + v2 * h[at(r, k + 1)];
                h[at(r, k)] -= s * t1;
                h[at(r, k + 1)] -= s * t2;
            }
            if let Some((z, zlo, zhi)) = z.as_mut() {
                for r in *zlo..*zhi {
                    let s = z[at(r, k)] + v2 * z[at(r, k + 1)];
                    z[at(r, k)] -= s * t1;
                    z[at(r, k + 1)] -= s * t2;
                }
            }
        }
    }
}

/// The standardized Schur form of a real 2 × 2 block: `[[a, b], [c, d]] = R·[[a', b'], [c', d']]·Rᵀ`
/// with `R = [[cs, −sn], [sn, cs]]`.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Standard<T> {
    pub a: T,
    pub b: T,
    pub c: T,
    pub d: T,
    pub rt1r: T,
    pub rt1i: T,
    pub rt2r: T,
    pub rt2i: T,
    pub cs: T,
    pub sn: T,
}

/// Schur factorization of a real 2 × 2 matrix in standard form (LAPACK `lanv2`): either `c' = 0`
/// (real eigenvalues `a'`, `d'`), or `a' = d'` and `b'·c' < 0` (eigenvalues `a' ± i·√(|b'|·|c'|)`,
/// the `+` first).
pub(crate) fn standardize<T: Scalar>(a: T, b: T, c: T, d: T) -> Standard<T> {
    let (zero, one) = (T::zero(), T::one());
    let half = T::from_f64(0.5);
    let four = T::from_f64(4.0);
    let eps = T::EPS;
    let (mut a, mut b, mut c, mut d) = (a, b, c, d);
    let (mut cs, mut sn) = (one, zero);
    let sign = |x: T, y: T| x.abs().copysign(y);
    if c == zero {
        // Already upper triangular.
    } else if b == zero {
        // Lower triangular: swap rows and columns.
        cs = zero;
        sn = one;
        std::mem::swap(&mut a, &mut d);
        b = -c;
        c = zero;
    } else if a - d == zero && sign(one, b) != sign(one, c) {
        // Already standard complex.
    } else {
        let temp = a - d;
        let mut p = half * temp;
        let bcmax = b.abs().max(c.abs());
        let bcmis = b.abs().min(c.abs()) * sign(one, b) * sign(one, c);
        let scale = p.abs().max(bcmax);
        let mut z = p / scale * p + bcmax / scale * bcmis;
        if z >= four * eps {
            // Real eigenvalues: compute a and d accurately, then the rotation.
            z = p + sign(scale.sqrt() * z.sqrt(), p);
            a = d + z;
            d -= bcmax / z * bcmis;
            let tau = c.hypot(z);
            cs = z / tau;
            sn = c / tau;
            b -= c;
            c = zero;
        } else {
            // Complex or nearly equal real eigenvalues: make the diagonal entries equal.
            let mut sigma = b + c;
            let mut temp = temp;
            let safmin = T::MIN_POSITIVE;
            let safmn2 = T::from_f64(2f64.powi(((safmin / eps).to_f64().log2() / 2.0) as i32));
            let safmx2 = one / safmn2;
            for _ in 0..=20 {
                let sc = temp.abs().max(sigma.abs());
                if sc >= safmx2 {
                    sigma *= safmn2;
                    temp *= safmn2;
                } else if sc <= safmn2 {
                    if sc == zero {
                        break;
                    }
                    sigma *= safmx2;
                    temp *= safmx2;
                } else {
                    break;
                }
            }
            p = half * temp;
            let mut tau = sigma.hypot(temp);
            cs = (half * (one + sigma.abs() / tau)).sqrt();
            sn = -(p / (tau * cs)) * sign(one, sigma);
            // [aa bb; cc dd] = [a b; c d]·[cs −sn; sn cs]
            let aa = a * cs + b * sn;
            let bb = -a * sn + b * cs;
            let cc = c * cs + d * sn;
            let dd = -c * sn + d * cs;
            // [a b; c d] = [cs sn; −sn cs]·[aa bb; cc dd]
            a = aa * cs + cc * sn;
            b = bb * cs + dd * sn;
            c = -aa * sn + cc * cs;
            d = -bb * sn + dd * cs;
            let mid = half * (a + d);
            a = mid;
            d = mid;
            if c != zero {
                if b != zero {
                    if sign(one, b) == sign(one, c) {
                        // Real eigenvalues after all: reduce to upper triangular.
                        let sab = b.abs().sqrt();
                        let sac = c.abs().sqrt();
                        p = sign(sab * sac, c);
                        tau = one / (b + c).abs().sqrt();
                        a = mid + p;
                        d = mid - p;
                        b -= c;
                        c = zero;
                        let cs1 = sab * tau;
                        let sn1 = sac * tau;
                        let t = cs * cs1 - sn * sn1;
                        sn = cs * sn1 + sn * cs1;
                        cs = t;
                    }
                } else {
                    b = -c;
                    c = zero;
                    let t = cs;
                    cs = -sn;
                    sn = t;
                }
            }
        }
    }
    let (rt1i, rt2i) = if c == zero {
        (zero, zero)
    } else {
        let im = b.abs().sqrt() * c.abs().sqrt();
        (im, -im)
    };
    Standard {
        a,
        b,
        c,
        d,
        rt1r: a,
        rt1i,
        rt2r: d,
        rt2i,
        cs,
        sn,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `R·S·Rᵀ` against the input, and the standard form's shape.
    fn check(a: f64, b: f64, c: f64, d: f64) {
        let s = standardize(a, b, c, d);
        let (cs, sn) = (s.cs, s.sn);
        // R = [[cs, −sn], [sn, cs]]; R·S
        let rs = [
            [cs * s.a - sn * s.c, cs * s.b - sn * s.d],
            [sn * s.a + cs * s.c, sn * s.b + cs * s.d],
        ];
        // (R·S)·Rᵀ, Rᵀ = [[cs, sn], [−sn, cs]]
        let back = [
            [rs[0][0] * cs - rs[0][1] * sn, rs[0][0] * sn + rs[0][1] * cs],
            [rs[1][0] * cs - rs[1][1] * sn, rs[1][0] * sn + rs[1][1] * cs],
        ];
        let norm = a.abs().max(b.abs()).max(c.abs()).max(d.abs());
        let err = (back[0][0] - a).abs()
            + (back[0][1] - b).abs()
            + (back[1][0] - c).abs()
            + (back[1][1] - d).abs();
        assert!(err <= 8.0 * f64::EPSILON * norm, "{a} {b} {c} {d}: {err}");
        assert!((cs * cs + sn * sn - 1.0).abs() < 4.0 * f64::EPSILON);
        if s.c != 0.0 {
            assert_eq!(s.a, s.d);
            assert!(
                s.b.signum() != s.c.signum(),
                "{a} {b} {c} {d}: b·c must be negative"
            );
            assert!(s.rt1i > 0.0 && s.rt2i == -s.rt1i);
        } else {
            assert_eq!((s.rt1i, s.rt2i), (0.0, 0.0));
        }
    }

    #[test]
    fn standardize_two_by_two() {
        for &(a, b, c, d) in &[
            (1.0, 2.0, 3.0, 4.0),
            (0.0, 1.0, -1.0, 0.0),
            (1.0, 0.0, 5.0, 2.0),
            (3.0, -2.0, 1.0, 1.0),
            (1.0, 1e-300, -1e-300, 1.0),
            (2.0, 1.0, 1e-17, 2.0),
            (1.0, 4.0, 0.0, 3.0),
            (1e300, -1e300, 1e300, 1e300),
            (5.0, 2.0, -3.0, 7.0),
        ] {
            check(a, b, c, d);
        }
        // [[0, 1], [−1, 0]] = rotation by −90°: eigenvalues ±i, already standard.
        let s = standardize(0.0f64, 1.0, -1.0, 0.0);
        assert_eq!((s.rt1r, s.rt1i, s.rt2i), (0.0, 1.0, -1.0));
    }
}
