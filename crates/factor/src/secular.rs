//! The merge step shared by the two divide-and-conquer solvers (symmetric tridiagonal
//! eigenvectors, `eigh::divide_conquer`; bidiagonal singular vectors, `svd::dc`): roots of the
//! secular equation of a diagonal-plus-rank-one matrix, the column supports both use to skip
//! the blocks of the old vectors known to be zero, and (for the eigensolver) the product of the
//! old vectors with the new ones over those blocks.
//!
//! Both problems reduce to `1/ρ + Σ_j z_j²/(p_j − λ) = 0` with ascending distinct poles `p_j`:
//! the eigenvalues `λ` of `diag(d) + ρ·z·zᵀ` (poles `d_j`), or the squared singular values
//! `σ²` of an arrow matrix (poles `d_j²`, `ρ = 1`). Each root is computed relative to its
//! nearer pole, `λ = p_o + μ`, and every `p_j − λ` as `(p_j − p_o) − μ`, where the caller
//! supplies `p_j − p_o` in whatever accurate form its poles allow; so the differences that the
//! eigen/singular vectors are built from are accurate even for roots next to a pole.

use lapis_kernels::{MatMut, MatRef, Par, Scalar, gemm};

/// Why a divide-and-conquer fast path gave up; the callers then fall back to their QR/QL
/// iteration.
#[derive(Debug)]
pub(crate) struct Failed;

/// Root `i` (0-based, ascending) of `1/ρ + Σ_j z_j²/(p_j − λ) = 0` for ascending distinct
/// poles `p`, nonzero `z` and `ρ > 0`, with the poles given through `gap(j, o) = p_j − p_o`.
/// Returned as `(o, μ)` with `λ = p_o + μ`, `p_o` the pole nearer to the root. Root `i < K − 1`
/// lies in `(p_i, p_{i+1})`, the last one in `(p_{K−1}, p_{K−1} + ρ‖z‖²)`.
///
/// A safeguarded two-pole rational iteration (the model matches the part of the sum from the
/// poles left of the root and the part from those right of it, each with its derivative, as in
/// LAPACK's `laed4`/`lasd4`), bisecting when a step would leave the bracket; at most `maxit`
/// steps.
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
    let inv_rho = one / rho;
    if kk == 1 {
        return Ok((0, rho * z[0] * z[0]));
    }
    // w(μ) relative to the origin whose pole differences `p_j − p_o` are in `delta`, split into
    // the part for poles ≤ `pl` (ψ) and above (φ).
    let eval = |delta: &[T], tau: T, pl: usize| {
        let (psi, dpsi, e1) = partial_sums(&z[..=pl], &delta[..=pl], tau);
        let (phi, dphi, e2) = partial_sums(&z[pl + 1..], &delta[pl + 1..], tau);
        (inv_rho + psi + phi, psi, dpsi, phi, dphi, inv_rho + e1 + e2)
    };
    let differences = |delta: &mut Vec<T>, o: usize| {
        delta.clear();
        delta.extend((0..kk).map(|j| gap(j, o)));
    };
    let last = i + 1 == kk;
    // The two poles of the rational model, and the bracket in μ relative to the origin.
    let (pl, pr) = if last { (kk - 2, kk - 1) } else { (i, i + 1) };
    // The evaluation at the midpoint (which picks the origin) is also the first iterate.
    let (o, mut lo, mut hi, mut pending) = if last {
        let zz: T = z.iter().map(|x| *x * *x).sum();
        let o = kk - 1;
        differences(delta, o);
        (o, zero, rho * zz * (one + T::EPS * two), None)
    } else {
        differences(delta, i);
        let mid = delta[i + 1] / two;
        let ev = eval(delta, mid, i);
        if ev.0 >= zero {
            (i, zero, mid, Some((mid, ev)))
        } else {
            differences(delta, i + 1);
            (i + 1, -mid, zero, Some((-mid, ev)))
        }
    };
    let delta: &[T] = delta;
    let mut tau = pending.map_or((lo + hi) / two, |p| p.0);
    let eps = T::EPS;
    for _ in 0..maxit {
        let (w, psi, dpsi, phi, dphi, err) = match pending.take() {
            Some((_, ev)) => ev,
            None => eval(delta, tau, pl),
        };
        if !w.is_finite() {
            return Err(Failed);
        }
        if w == zero || w.abs() <= T::from_f64(4.0) * eps * err {
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
        // Two-pole rational model matching ψ, ψ' at pole pl and φ, φ' at pole pr.
        let dl = delta[pl] - tau;
        let dr = delta[pr] - tau;
        let b1 = dpsi * dl * dl;
        let b2 = dphi * dr * dr;
        let c = inv_rho + (psi - b1 / dl) + (phi - b2 / dr);
        let bq = c * (dl + dr) + b1 + b2;
        let cq = dl * dr * w;
        let inside = |eta: T| {
            let t = tau + eta;
            t > lo && t < hi
        };
        let step = if c == zero {
            Some(cq / bq).filter(|&eta| eta.is_finite() && inside(eta))
        } else {
            let disc = bq * bq - two * two * c * cq;
            if disc >= zero {
                let qq = (bq + disc.sqrt().copysign(bq)) / two;
                let (r1, r2) = (qq / c, cq / qq);
                [r1, r2]
                    .into_iter()
                    .find(|&eta| eta.is_finite() && inside(eta))
            } else {
                None
            }
        };
        let new_tau = match step {
            Some(eta) => tau + eta,
            None => (lo + hi) / two,
        };
        if new_tau == tau {
            return Ok((o, tau));
        }
        tau = new_tau;
    }
    Err(Failed)
}

/// `(Σ t_j, Σ t_j²/z_j², Σ |t_j|)` for `t_j = z_j²/(delta_j − μ)`: the inner loop of the
/// secular iteration, in independent lanes so that the divisions overlap.
#[inline]
fn partial_sums<T: Scalar>(z: &[T], delta: &[T], tau: T) -> (T, T, T) {
    const L: usize = 4;
    let zero = T::zero();
    let (mut s, mut ds, mut e) = ([zero; L], [zero; L], [zero; L]);
    let mut zc = z.chunks_exact(L);
    let mut dc = delta.chunks_exact(L);
    for (zl, dl) in (&mut zc).zip(&mut dc) {
        for l in 0..L {
            let t = zl[l] / (dl[l] - tau);
            let term = zl[l] * t;
            s[l] += term;
            ds[l] += t * t;
            e[l] += term.abs();
        }
    }
    for (&zj, &dj) in zc.remainder().iter().zip(dc.remainder()) {
        let t = zj / (dj - tau);
        let term = zj * t;
        s[0] += term;
        ds[0] += t * t;
        e[0] += term.abs();
    }
    let sum = |x: [T; L]| (x[0] + x[1]) + (x[2] + x[3]);
    (sum(s), sum(ds), sum(e))
}

/// Where a column of a block-diagonal-by-rows matrix can be nonzero: bit [`TOP`] for the rows
/// above the split, bit [`BOTTOM`] for those below. A rotation of two columns ORs their masks.
pub(crate) type Support = u8;
/// The column may be nonzero above the split row.
pub(crate) const TOP: Support = 1;
/// The column may be nonzero at or below the split row.
pub(crate) const BOTTOM: Support = 2;

/// `out ← src[:, cols]·coef` (`out` is `nrows × coef.ncols()`, `coef` is `cols.len() × ·`),
/// where column `c` of `src` is zero outside the rows `support[c]` names (rows `0..split` for
/// [`TOP`], `split..` for [`BOTTOM`]): two GEMMs, each over only the columns that reach its
/// rows. This is the vector update of a divide-and-conquer merge, where the old vectors are
/// block diagonal except for the few columns a deflating rotation mixed. `work` is scratch for
/// the packed GEMM operands, grown as needed and kept by the caller across merges.
pub(crate) fn merge_columns<T: Scalar>(
    src: MatRef<'_, T>,
    support: &[Support],
    cols: &[usize],
    coef: MatRef<'_, T>,
    split: usize,
    mut out: MatMut<'_, T>,
    work: &mut Vec<T>,
    par: Par,
) -> Result<(), Failed> {
    let nrows = src.nrows();
    let kk = coef.ncols();
    let zero = T::zero();
    for (lo, rows, bit) in [(0, split, TOP), (split, nrows - split, BOTTOM)] {
        if rows == 0 {
            continue;
        }
        let picked: Vec<usize> = (0..cols.len())
            .filter(|&t| support[cols[t]] & bit != 0)
            .collect();
        let nc = picked.len();
        let mut dst = out.rb().submatrix(lo, 0, rows, kk);
        if nc == 0 {
            dst.fill(zero);
            continue;
        }
        let need = rows * nc + nc * kk;
        if work.len() < need {
            work.resize(need, zero);
        }
        let (a, b) = work[..need].split_at_mut(rows * nc);
        for (t, &p) in picked.iter().enumerate() {
            MatMut::from_col_major(&mut a[t * rows..(t + 1) * rows], rows, 1)
                .expect("workspace")
                .copy_from(src.submatrix(lo, cols[p], rows, 1));
            for col in 0..kk {
                b[t + col * nc] = coef.get(p, col);
            }
        }
        gemm(
            T::one(),
            MatRef::from_col_major(a, rows, nc).expect("workspace"),
            MatRef::from_col_major(b, nc, kk).expect("workspace"),
            zero,
            dst,
            par,
        )
        .map_err(|_| Failed)?;
    }
    Ok(())
}
