//! The merge step shared by the two divide-and-conquer solvers (symmetric tridiagonal
//! eigenvectors, `eigh::divide_conquer`; bidiagonal singular vectors, `svd::dc`): roots of the
//! secular equation of a diagonal-plus-rank-one matrix, and the column supports both use to
//! skip the blocks of the old vectors known to be zero.
//!
//! Both problems reduce to `1/ρ + Σ_j z_j²/(p_j − λ) = 0` with ascending distinct poles `p_j`:
//! the eigenvalues `λ` of `diag(d) + ρ·z·zᵀ` (poles `d_j`), or the squared singular values
//! `σ²` of an arrow matrix (poles `d_j²`, `ρ = 1`). Each root is computed relative to its
//! nearer pole, `λ = p_o + μ`, and every `p_j − λ` as `(p_j − p_o) − μ`, where the caller
//! supplies `p_j − p_o` in whatever accurate form its poles allow; so the differences that the
//! eigen/singular vectors are built from are accurate even for roots next to a pole.

use lapis_kernels::Scalar;

/// Why a divide-and-conquer fast path gave up; the callers then fall back to their QR/QL
/// iteration.
#[derive(Debug)]
pub(crate) struct Failed;

/// Root `i` (0-based, ascending) of `1/ρ + Σ_j z_j²/(p_j − λ) = 0` for ascending distinct
/// poles `p`, nonzero `z` and `ρ > 0`, with the poles given through `gap(j, o) = p_j − p_o`.
/// Returned as `(o, μ)` with `λ = p_o + μ`, `p_o` the pole nearer to the root. Root `i < K − 1`
/// lies in `(p_i, p_{i+1})`, the last one in `(p_{K−1}, p_{K−1} + ρ‖z‖²)`.
///
/// One evaluation at the middle of the bracket picks the origin and halves the bracket. Each
/// step then solves a model through the last evaluation: the terms of the four poles nearest
/// the root (the two bracketing ones and their outer neighbours) exact, the rest of the sums
/// left and right of the root folded into the outer two poles' weights so that the model's
/// derivative matches too, and a constant for the value. Its root comes from a cheap inner
/// iteration on the model alone; the remainder it approximates has no pole within two gaps of
/// the root, so each evaluation about squares the error with a small constant, while the
/// two-pole models of LAPACK's `laed4` (Li's "middle way" and "fixed weight") leave the
/// neighbouring poles in the approximated part. When a step does not reduce `|w|` tenfold the
/// next one uses the fixed-weight model (the origin pole's term exact, R.-C. Li, *Solving
/// secular equations stably and efficiently*, 1993), and back. Convergence is LAPACK's test:
/// `|w|` within its rounding error plus what rounding `μ` itself moves it by. A step that
/// would leave the bracket bisects instead; at most `maxit` evaluations.
///
/// `delta` is scratch for the pole differences, kept by the caller across roots.
pub(crate) fn secular_root<T: Scalar>(
    gap: impl Fn(usize, usize) -> T,
    z: &[T],
    rho: T,
    i: usize,
    maxit: usize,
    delta: &mut Vec<T>,
) -> Result<(usize, T), Failed> {
    let kk = z.len();
    let (zero, one) = (T::zero(), T::one());
    let two = one + one;
    let eps = T::EPS;
    let inv_rho = one / rho;
    if kk == 1 {
        return Ok((0, rho * z[0] * z[0]));
    }
    let differences = |delta: &mut Vec<T>, o: usize| {
        delta.clear();
        delta.extend((0..kk).map(|j| gap(j, o)));
    };
    let last = i + 1 == kk;
    // The two poles of the rational models: the sum splits into ψ (poles ≤ `pl`, every term
    // negative inside the bracket) and φ (the rest, single-signed too), so that |ψ| + |φ| is
    // the sum of the magnitudes of the terms.
    let (pl, pr) = if last { (kk - 2, kk - 1) } else { (i, i + 1) };
    let eval = |delta: &[T], tau: T| {
        let (psi, dpsi) = partial_sums(&z[..=pl], &delta[..=pl], tau);
        let (phi, dphi) = partial_sums(&z[pl + 1..], &delta[pl + 1..], tau);
        (inv_rho + psi + phi, psi, dpsi, phi, dphi)
    };
    // The probe `tau` that splits the bracket, evaluated, and the origin it picks.
    let (o, mut lo, mut hi, mut tau, probe) = if last {
        let zz: T = z.iter().map(|x| *x * *x).sum();
        differences(delta, kk - 1);
        let top = rho * zz * (one + T::EPS * two);
        let mid = top / two;
        (kk - 1, zero, top, mid, eval(delta, mid))
    } else {
        differences(delta, i);
        let mid = delta[i + 1] / two;
        let ev = eval(delta, mid);
        if ev.0 >= zero {
            (i, zero, mid, mid, ev)
        } else {
            // The root is nearer p_{i+1}; the probe, mid above p_i, is mid below p_{i+1}
            // (halving is exact and `gap` antisymmetric).
            differences(delta, i + 1);
            (i + 1, -mid, zero, -mid, ev)
        }
    };
    let delta: &[T] = delta;
    let (zl2, zr2) = (z[pl] * z[pl], z[pr] * z[pr]);
    // The window of poles the main model keeps exactly: the two bracketing ones and their
    // outer neighbours.
    let (wl, wr) = (pl.saturating_sub(1), (pr + 1).min(kk - 1));
    let mut pending = Some(probe);
    let mut window = true;
    let mut prev_w = zero;
    for _ in 0..maxit {
        let (w, psi, dpsi, phi, dphi) = pending.take().unwrap_or_else(|| eval(delta, tau));
        if !w.is_finite() {
            return Err(Failed);
        }
        let dw = dpsi + dphi;
        // The rounding error of w (terms, partial sums, 1/ρ) plus what the rounding of τ
        // itself moves w by: no iterate can do better.
        let err = T::from_f64(8.0) * (phi.abs() + psi.abs())
            + two * inv_rho
            + T::from_f64(3.0) * tau.abs() * dw;
        if w.abs() <= eps * err {
            return Ok((o, tau));
        }
        if w < zero {
            lo = tau;
        } else {
            hi = tau;
        }
        if hi - lo <= two * eps * lo.abs().max(hi.abs()) {
            return Ok((o, tau));
        }
        // Slow progress: swap models (as Li switches between the middle way and fixed
        // weight).
        if prev_w != zero && w * prev_w > zero && w.abs() > prev_w.abs() / T::from_f64(10.0) {
            window = !window;
        }
        prev_w = w;
        let dl = delta[pl] - tau;
        let dr = delta[pr] - tau;
        let step = if window {
            // Poles wl..=wr exact; the rest of ψ (poles left of the window) and of φ folded
            // into the outer window poles' weights so that the model's derivative matches.
            let n = wr - wl + 1;
            let (mut pole, mut weight) = ([zero; 4], [zero; 4]);
            let (mut el, mut er) = (zero, zero);
            for (t, j) in (wl..=wr).enumerate() {
                let dj = delta[j] - tau;
                let wj = z[j] * z[j];
                let d2 = wj / (dj * dj);
                if j <= pl {
                    el += d2;
                } else {
                    er += d2;
                }
                pole[t] = delta[j];
                weight[t] = wj;
            }
            if wl < pl {
                let d0 = delta[wl] - tau;
                weight[0] += (dpsi - el).max(zero) * d0 * d0;
            }
            if wr > pr {
                let d1 = delta[wr] - tau;
                weight[n - 1] += (dphi - er).max(zero) * d1 * d1;
            }
            let c = w - (0..n).map(|t| weight[t] / (pole[t] - tau)).sum::<T>();
            solve_window(c, &pole[..n], &weight[..n], pl - wl, tau, w, lo, hi)
        } else {
            // Fixed weight: the origin pole's term exact, the other pole's weight from the
            // rest of the derivative.
            let (b1, b2) = if o == pl {
                (zl2, (dw - zl2 / (dl * dl)) * dr * dr)
            } else {
                ((dw - zr2 / (dr * dr)) * dl * dl, zr2)
            };
            rational_step(w, dl, dr, b1, b2, lo - tau, hi - tau).map(|eta| tau + eta)
        };
        let new_tau = match step {
            Some(t) => t,
            None => (lo + hi) / two,
        };
        if new_tau == tau {
            return Ok((o, tau));
        }
        tau = new_tau;
    }
    Err(Failed)
}

/// The step `η ∈ (lo, hi)` (open) to the root of the model `c + b1/(dl − η) + b2/(dr − η)`
/// with `c` fixed by its value `w` at `η = 0`; `None` when that root is not in the bracket.
#[inline]
fn rational_step<T: Scalar>(w: T, dl: T, dr: T, b1: T, b2: T, lo: T, hi: T) -> Option<T> {
    let zero = T::zero();
    let two = T::one() + T::one();
    let c = w - b1 / dl - b2 / dr;
    let bq = c * (dl + dr) + b1 + b2;
    let cq = dl * dr * w;
    let inside = |eta: T| eta.is_finite() && eta > lo && eta < hi;
    if c == zero {
        return Some(cq / bq).filter(|&eta| inside(eta));
    }
    let disc = (bq * bq - two * two * c * cq).max(zero);
    let qq = (bq + disc.sqrt().copysign(bq)) / two;
    [qq / c, cq / qq].into_iter().find(|&eta| inside(eta))
}

/// The root in `(lo, hi)` of the window model `c + Σ_t weight_t/(pole_t − x)` (ascending
/// poles, positive weights, the bracket between poles `il` and `il + 1`), from `x = tau` where
/// the model is `w`: the middle-way iteration on the model, which costs a few operations per
/// step against the full sum's `K` divisions. `None` if it leaves the bracket.
#[inline]
fn solve_window<T: Scalar>(
    c: T,
    pole: &[T],
    weight: &[T],
    il: usize,
    tau: T,
    w: T,
    mut lo: T,
    mut hi: T,
) -> Option<T> {
    let zero = T::zero();
    let two = T::one() + T::one();
    let eps = T::EPS;
    let mut x = tau;
    let mut mw = w;
    for _ in 0..16 {
        let (mut ps, mut dps, mut ph, mut dph) = (zero, zero, zero, zero);
        for t in 0..pole.len() {
            let r = T::one() / (pole[t] - x);
            let term = weight[t] * r;
            if t <= il {
                ps += term;
                dps += term * r;
            } else {
                ph += term;
                dph += term * r;
            }
        }
        if x != tau {
            mw = c + ps + ph;
            if mw.abs() <= eps * (c.abs() + ph - ps) {
                return Some(x);
            }
            if mw < zero {
                lo = x;
            } else {
                hi = x;
            }
        }
        let (dl, dr) = (pole[il] - x, pole[il + 1] - x);
        let eta = rational_step(mw, dl, dr, dps * dl * dl, dph * dr * dr, lo - x, hi - x)
            .unwrap_or((lo + hi) / two - x);
        let nx = x + eta;
        if nx == x || eta.abs() <= eps * x.abs() {
            return Some(nx);
        }
        x = nx;
    }
    Some(x)
}

/// `(Σ t_j, Σ t_j²/z_j²)` for `t_j = z_j²/(delta_j − μ)`: the inner loop of the secular
/// iteration, in independent lanes so that the divisions overlap.
#[inline]
fn partial_sums<T: Scalar>(z: &[T], delta: &[T], tau: T) -> (T, T) {
    const L: usize = 4;
    let zero = T::zero();
    let (mut s, mut ds) = ([zero; L], [zero; L]);
    let mut zc = z.chunks_exact(L);
    let mut dc = delta.chunks_exact(L);
    for (zl, dl) in (&mut zc).zip(&mut dc) {
        for l in 0..L {
            let t = zl[l] / (dl[l] - tau);
            s[l] += zl[l] * t;
            ds[l] += t * t;
        }
    }
    for (&zj, &dj) in zc.remainder().iter().zip(dc.remainder()) {
        let t = zj / (dj - tau);
        s[0] += zj * t;
        ds[0] += t * t;
    }
    let sum = |x: [T; L]| (x[0] + x[1]) + (x[2] + x[3]);
    (sum(s), sum(ds))
}

/// Where a column of a block-diagonal-by-rows matrix can be nonzero: bit [`TOP`] for the rows
/// above the split, bit [`BOTTOM`] for those below. A rotation of two columns ORs their masks.
pub(crate) type Support = u8;
/// The column may be nonzero above the split row.
pub(crate) const TOP: Support = 1;
/// The column may be nonzero at or below the split row.
pub(crate) const BOTTOM: Support = 2;

#[cfg(test)]
mod tests {
    use super::*;

    /// Solves every root of `1/ρ + Σ z_j²/(p_j − λ)` in `T` and checks, in f64 from the exact
    /// values of the `T` data, that each lies strictly inside its bracket and that the secular
    /// function there is within `16·ε·(1/ρ + Σ|t_j| + |μ|·w')` of zero: the rounding error of
    /// one evaluation plus what rounding `μ` moves it by, the most any root in `T` can achieve.
    /// Returns the largest ratio `|w|/bound`.
    fn check<T: Scalar>(name: &str, p: &[f64], z: &[f64], rho: f64) -> f64 {
        let p: Vec<T> = p.iter().map(|&x| T::from_f64(x)).collect();
        let z: Vec<T> = z.iter().map(|&x| T::from_f64(x)).collect();
        let rho_t = T::from_f64(rho);
        let (pf, zf, rhof): (Vec<f64>, Vec<f64>, f64) = (
            p.iter().map(|&x| Scalar::to_f64(x)).collect(),
            z.iter().map(|&x| Scalar::to_f64(x)).collect(),
            Scalar::to_f64(rho_t),
        );
        let kk = p.len();
        let gap = |j: usize, o: usize| p[j] - p[o];
        let mut delta = Vec::new();
        let mut worst = 0.0f64;
        for i in 0..kk {
            let (o, mu) = secular_root(gap, &z, rho_t, i, 80, &mut delta)
                .unwrap_or_else(|_| panic!("{name}: root {i} failed"));
            let mu = Scalar::to_f64(mu);
            let lam_lo = if i == o { mu > 0.0 } else { pf[i] - pf[o] < mu };
            let top = if i + 1 == kk {
                rhof * zf.iter().map(|x| x * x).sum::<f64>() * (1.0 + 1e-6)
            } else {
                pf[i + 1] - pf[o]
            };
            assert!(
                lam_lo && mu < top,
                "{name}: root {i} ({o}, {mu:e}) off its bracket"
            );
            let (mut w, mut mag, mut dw) = (1.0 / rhof, 1.0 / rhof, 0.0);
            for j in 0..kk {
                let t = zf[j] / ((pf[j] - pf[o]) - mu);
                w += zf[j] * t;
                mag += (zf[j] * t).abs();
                dw += t * t;
            }
            let bound = 16.0 * Scalar::to_f64(T::EPS) * (mag + mu.abs() * dw);
            worst = worst.max(w.abs() / bound);
        }
        assert!(worst <= 1.0, "{name}: residual {worst} × the bound");
        worst
    }

    fn both(name: &str, p: &[f64], z: &[f64], rho: f64) {
        let r64 = check::<f64>(name, p, z, rho);
        let r32 = check::<f32>(name, p, z, rho);
        eprintln!("{name}: residual / bound f64 {r64:.2e}, f32 {r32:.2e}");
    }

    #[test]
    fn roots_of_hard_secular_equations() {
        let n = 40;
        let spread: Vec<f64> = (0..n).map(|j| j as f64 / n as f64).collect();
        let ones = vec![(1.0 / n as f64).sqrt(); n];
        both("uniform", &spread, &ones, 1.0);
        // Roots next to a pole: tiny weights (above any deflation threshold) pin their roots
        // within about z_j² of p_j, where the window model must not step onto the pole.
        let mut z = ones.clone();
        for j in [0, 7, 20, 39] {
            z[j] = 3e-4;
        }
        both("tiny_weights", &spread, &z, 1.0);
        // A cluster of poles 1e-5 apart amid spread ones, and a root between each pair.
        let mut p = spread.clone();
        for (t, j) in (10..20).enumerate() {
            p[j] = 0.3 + t as f64 * 1e-5;
        }
        p.sort_by(f64::total_cmp);
        both("cluster", &p, &ones, 1.0);
        // Graded poles over twelve decades (the f32 problem keeps four).
        let g: Vec<f64> = (0..n)
            .map(|j| 10f64.powf((j as f64 - 39.0) * 0.3))
            .collect();
        both("graded", &g, &ones, 1.0);
        // A large ρ sends the last root far above the last pole; a small one keeps every
        // root near its left pole.
        both("big_rho", &spread, &ones, 1e4);
        both("small_rho", &spread, &ones, 1e-4);
        both("two_poles", &[-1.0, 1.0], &[0.6, 0.8], 0.5);
        both("three_poles", &[0.0, 1e-3, 1.0], &[0.5, 0.5, 0.7], 2.0);
    }
}
