//! Eigenvectors of a symmetric tridiagonal matrix by divide and conquer (Cuppen 1981; Gu &
//! Eisenstat 1995; LAPACK `stedc`).
//!
//! Tearing `T` at `k` with `β = e[k−1]` gives `T = diag(T₁, T₂) + β·u·uᵀ`, `u = e_{k−1} + e_k`
//! (with `β` subtracted from `d[k−1]` and `d[k]`). With `T_i = Q_i·D_i·Q_iᵀ` solved recursively,
//! `T = Q·(D + ρ·z·zᵀ)·Qᵀ`, `Q = diag(Q₁, Q₂)`, `z = Qᵀu/√2`, `ρ = 2β`. The eigenvalues of the
//! rank-one update are the roots of the secular equation `1/ρ + Σ z_j²/(d_j − λ) = 0`, one in
//! each gap `(d_j, d_{j+1})` and one in `(d_K, d_K + ρ‖z‖²)`; each root is found relative to its
//! nearer pole (`λ = d_o + τ`) by a safeguarded two-pole rational iteration, so every difference
//! `d_j − λ` is accurate. Components with `ρ|z_j|` tiny, or pairs `d_i ≈ d_j` that a rotation
//! separates, are deflated first. Orthogonal eigenvectors then come from Gu and Eisenstat's
//! `ẑ`, recomputed from the computed roots (`ẑ_i² = ∏_j (λ_j − d_i) / (ρ·∏_{j≠i} (d_j − d_i))`),
//! as `v_j = (ẑ_i/(d_i − λ_j))_i / ‖·‖`, and `Q·V` is one GEMM.
//!
//! Any failure (a root that does not converge, a non-finite value) makes
//! [`tridiagonal_eigh_dc`] fall back to the implicit QL of [`tridiagonal_eigh`], so the caller
//! always gets the robust result.

use lapis_kernels::{MatMut, MatRef, Par, Scalar, gemm};
use rayon::prelude::*;

use super::tridiag_eig::tridiagonal_eigh;
use crate::FactorError;
use crate::plane::{pow2_exponent, rot_cols, scale_pow2};
use crate::secular::{BOTTOM, Failed, Support, TOP, secular_root};

/// Subproblems of at most this order are solved by implicit QL.
const LEAF: usize = 24;
/// Iterations allowed per secular root before giving up (and falling back).
const SECULAR_MAXIT: usize = 80;
/// Smallest secular equation whose roots and vectors are split across threads (each root
/// costs ~4·kk divisions, so 128 of them are tens of microseconds of work).
const PARALLEL_MIN: usize = 128;

/// Scratch of the merges, sized once for the top level and reused by every merge below it
/// (a parent merges only after both children are done): fresh `n²` buffers per merge cost
/// page faults and zeroing at every level.
struct Work<T> {
    /// The old eigenvectors of the non-deflated columns, grouped by the blocks they reach
    /// (the A operands of the merge GEMMs); the top level reuses it to sort the vectors.
    grouped: Vec<T>,
    /// `kk × kk`: the differences `λ_j − d_i`, then the eigenvectors of the rank-one update
    /// with their rows in the order of `grouped`.
    secular: Vec<T>,
}

impl<T: Scalar> Work<T> {
    fn new(n: usize) -> Self {
        Self {
            grouped: vec![T::zero(); n * n],
            secular: vec![T::zero(); n * n],
        }
    }
}

/// Eigenvalues (ascending, into `d`) and eigenvectors (into `z`, `n × n`, any strides; its
/// contents on entry are ignored) of the symmetric tridiagonal `T` with diagonal `d` and
/// off-diagonal `e` (`e.len() ≥ n − 1`; destroyed), by divide and conquer with an automatic
/// fallback to implicit QL ([`tridiagonal_eigh`]) if the fast path fails.
///
/// Errors as [`tridiagonal_eigh`].
///
/// ```
/// use lapis_factor::eigh::tridiagonal_eigh_dc;
/// use lapis_factor::kernels::{MatMut, Par};
/// // numpy: w, v = np.linalg.eigh(np.diag([2.0] * 60) - np.diag([1.0] * 59, 1) - np.diag([1.0] * 59, -1))
/// let n = 60;
/// let (mut d, mut e) = (vec![2.0; n], vec![-1.0; n - 1]);
/// let mut z = vec![0.0; n * n];
/// tridiagonal_eigh_dc(&mut d, &mut e, MatMut::from_col_major(&mut z, n, n).unwrap(), Par::Seq).unwrap();
/// let pi = std::f64::consts::PI;
/// for (j, w) in d.iter().enumerate() {
///     let exact = 2.0 - 2.0 * ((j + 1) as f64 * pi / (n + 1) as f64).cos();
///     assert!((w - exact).abs() < 1e-13);
/// }
/// ```
pub fn tridiagonal_eigh_dc<T: Scalar>(
    d: &mut [T],
    e: &mut [T],
    mut z: MatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    let n = d.len();
    if e.len() < n.saturating_sub(1) || z.shape() != (n, n) {
        return Err(FactorError::Shape {
            op: "eigh::tridiagonal_eigh_dc",
            shapes: vec![("d", (n, 1)), ("e", (e.len(), 1)), ("z", z.shape())],
        });
    }
    let m = n.saturating_sub(1);
    if d.iter().chain(&e[..m]).any(|x| !x.is_finite()) {
        return Err(FactorError::NonFinite);
    }
    let set_identity = |z: &mut MatMut<'_, T>| {
        for j in 0..n {
            for i in 0..n {
                z.write(i, j, if i == j { T::one() } else { T::zero() });
            }
        }
    };
    if n <= LEAF {
        set_identity(&mut z);
        return tridiagonal_eigh(d, e, Some(z));
    }
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
    // The fast path writes straight into `z`: the fallback starts from the identity anyway.
    let ok = solve(&mut dd, &mut ee, z.rb(), par).is_ok();
    #[cfg(test)]
    let ok = ok && !tests::FORCE_FALLBACK.with(|f| f.get());
    if ok {
        scale_pow2(&mut dd, -exponent);
        d.copy_from_slice(&dd);
        Ok(())
    } else {
        set_identity(&mut z);
        tridiagonal_eigh(d, e, Some(z))
    }
}

/// The fast path of [`tridiagonal_eigh_dc`] on scaled `(d, e)`: [`divide`], then the values
/// sorted ascending with their vectors (the merges leave both in working order).
fn solve<T: Scalar>(
    d: &mut [T],
    e: &mut [T],
    mut q: MatMut<'_, T>,
    par: Par,
) -> Result<(), Failed> {
    let n = d.len();
    let mut work = Work::new(n);
    divide(d, e, q.rb(), &mut work, par)?;
    if d.iter().any(|x| !x.is_finite()) {
        return Err(Failed);
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| d[a].partial_cmp(&d[b]).expect("finite values"));
    let mut copy = MatMut::from_col_major(&mut work.grouped[..n * n], n, n).expect("workspace");
    copy.copy_from(q.as_ref());
    let sorted: Vec<T> = order.iter().map(|&j| d[j]).collect();
    d.copy_from_slice(&sorted);
    for (dst, &j) in order.iter().enumerate() {
        q.rb().col_mut(dst).copy_from(copy.as_ref().col(j));
    }
    Ok(())
}

/// Recursive divide and conquer on `(d, e)` (scaled), eigenvectors into the `n × n` `q`,
/// column `j` for the value `d[j]`, in no particular order.
fn divide<T: Scalar>(
    d: &mut [T],
    e: &mut [T],
    mut q: MatMut<'_, T>,
    work: &mut Work<T>,
    par: Par,
) -> Result<(), Failed> {
    let n = d.len();
    if n <= LEAF {
        q.fill(T::zero());
        for i in 0..n {
            q.write(i, i, T::one());
        }
        return tridiagonal_eigh(d, e, Some(q)).map_err(|_| Failed);
    }
    let k = n / 2;
    let beta = e[k - 1];
    d[k - 1] -= beta;
    d[k] -= beta;
    {
        let (d1, d2) = d.split_at_mut(k);
        let (e1, rest) = e.split_at_mut(k - 1);
        let e2 = &mut rest[1..];
        let (top, bottom) = q.rb().split_at_row(k);
        let (q11, q12) = top.split_at_col(k);
        let (q21, q22) = bottom.split_at_col(k);
        let (mut q12, mut q21) = (q12, q21);
        q12.fill(T::zero());
        q21.fill(T::zero());
        divide(d1, e1, q11, work, par)?;
        divide(d2, e2, q22, work, par)?;
    }
    merge(d, q, k, beta, work, par)
}

/// The eigendecomposition of `Q·(D + ρ·z·zᵀ)·Qᵀ` for `Q = q` block diagonal (blocks `k`,
/// `n − k`), `D = diag(d)`, `z = (last row of Q₁, first row of Q₂)/√2`, `ρ = 2β`: the new
/// eigenvalues into `d` and their vectors into the same columns of `q`, the non-deflated ones
/// first (ascending), then the deflated ones.
///
/// Like LAPACK's `laed2`/`laed3`, the old vectors of the non-deflated columns are copied once,
/// grouped as those reaching only the top rows, both, and only the bottom rows, so each half
/// of `Q·V` is one GEMM on contiguous operands that skips the zero blocks; the products land
/// directly in `q`.
fn merge<T: Scalar>(
    d: &mut [T],
    mut q: MatMut<'_, T>,
    k: usize,
    beta: T,
    work: &mut Work<T>,
    par: Par,
) -> Result<(), Failed> {
    let n = d.len();
    let (zero, one) = (T::zero(), T::one());
    let two = one + one;
    let inv_sqrt2 = one / two.sqrt();
    let mut rho = two * beta;
    let negate = rho < zero;
    if negate {
        rho = -rho;
    }
    let signed = |x: T| if negate { -x } else { x };
    // Poles ascending: position `s` holds column `perm[s]` of q.
    let mut perm: Vec<usize> = (0..n).collect();
    perm.sort_by(|&a, &b| {
        signed(d[a])
            .partial_cmp(&signed(d[b]))
            .unwrap_or(core::cmp::Ordering::Equal)
    });
    let mut ds: Vec<T> = perm.iter().map(|&p| signed(d[p])).collect();
    let mut z: Vec<T> = perm
        .iter()
        .map(|&p| if p < k { q.get(k - 1, p) } else { q.get(k, p) } * inv_sqrt2)
        .collect();
    // Which block of Q each column lives in (both after a deflating rotation).
    let mut side: Vec<Support> = perm
        .iter()
        .map(|&p| if p < k { TOP } else { BOTTOM })
        .collect();

    // Deflation.
    let dmax = ds.iter().fold(zero, |a, x| a.max(x.abs()));
    let zmax = z.iter().fold(zero, |a, x| a.max(x.abs()));
    let tol = T::from_f64(8.0) * T::EPS * dmax.max(rho * zmax);
    let mut deflated: Vec<bool> = z.iter().map(|zj| rho * zj.abs() <= tol).collect();
    let mut prev: Option<usize> = None;
    for j in 0..n {
        if deflated[j] {
            continue;
        }
        if let Some(p) = prev {
            let r = z[p].hypot(z[j]);
            let (c, s) = (z[j] / r, z[p] / r);
            if ((ds[j] - ds[p]) * c * s).abs() <= tol {
                // Rotate z_p into z_j; d_p becomes an eigenvalue.
                z[j] = r;
                z[p] = zero;
                let (dp, dj) = (ds[p], ds[j]);
                ds[p] = c * c * dp + s * s * dj;
                ds[j] = s * s * dp + c * c * dj;
                rot_cols(&mut q, perm[p], perm[j], c, -s);
                deflated[p] = true;
                side[p] |= side[j];
                side[j] = side[p];
            }
        }
        prev = Some(j);
    }
    let nd: Vec<usize> = (0..n).filter(|&j| !deflated[j]).collect();
    let kk = nd.len();
    if kk == 0 {
        for (s, &p) in perm.iter().enumerate() {
            d[p] = signed(ds[s]);
        }
        return Ok(());
    }

    let dk: Vec<T> = nd.iter().map(|&j| ds[j]).collect();
    let zk: Vec<T> = nd.iter().map(|&j| z[j]).collect();
    let gap = |j: usize, o: usize| dk[j] - dk[o];
    let root = |i: usize, delta: &mut Vec<T>| secular_root(gap, &zk, rho, i, SECULAR_MAXIT, delta);
    // The roots are independent, and with the vectors below they are the part of a merge
    // that is not a GEMM (O(kk²) divisions): split across the allowed threads.
    let threads = par.is_parallel() && kk >= PARALLEL_MIN;
    let roots: Vec<(usize, T)> = if threads {
        (0..kk)
            .into_par_iter()
            .map_init(Vec::new, |delta, i| root(i, delta))
            .collect::<Result<_, _>>()?
    } else {
        let mut delta = Vec::with_capacity(kk);
        (0..kk)
            .map(|i| root(i, &mut delta))
            .collect::<Result<_, _>>()?
    };
    // v[i + j·kk] = λ_j − d_i, accurately: (d_o − d_i) + τ with d_o root j's origin pole.
    // Stored once, it serves both ẑ and V, and every loop below runs down a column.
    let v = &mut work.secular[..kk * kk];
    for (col, &(o, tau)) in v.chunks_exact_mut(kk).zip(&roots) {
        let dorig = dk[o];
        for (x, &di) in col.iter_mut().zip(&dk) {
            *x = (dorig - di) + tau;
        }
    }
    // Gu–Eisenstat: ẑ from the computed roots, the products accumulated column by column
    // (in the same order of j for each i as a row-wise loop would).
    let mut zhat: Vec<T> = (0..kk).map(|i| v[i + i * kk] / rho).collect();
    for (j, col) in v.chunks_exact(kk).enumerate() {
        let dj = dk[j];
        let (before, after) = zhat.split_at_mut(j);
        for ((p, &l), &di) in before.iter_mut().zip(&col[..j]).zip(&dk[..j]) {
            *p *= l / (dj - di);
        }
        for ((p, &l), &di) in after[1..].iter_mut().zip(&col[j + 1..]).zip(&dk[j + 1..]) {
            *p *= l / (dj - di);
        }
    }
    for (p, &zi) in zhat.iter_mut().zip(&zk) {
        *p = p.abs().sqrt().copysign(zi);
    }

    // Group order: columns reaching only the top rows, then both, then only the bottom.
    let class = |t: usize| match side[nd[t]] {
        TOP => 0,
        BOTTOM => 2,
        _ => 1,
    };
    let mut count = [0usize; 3];
    for t in 0..kk {
        count[class(t)] += 1;
    }
    let mut next = [0, count[0], count[0] + count[1]];
    let slot: Vec<usize> = (0..kk)
        .map(|t| {
            let c = class(t);
            next[c] += 1;
            next[c] - 1
        })
        .collect();
    let top_cols = count[0] + count[1];
    let (bottom_from, bottom_cols) = (count[0], count[1] + count[2]);
    // V[:, j] = (ẑ_i/(d_i − λ_j))_i, normalized, row i at its group slot (in place, through
    // one column of scratch).
    let vector = |gcol: &mut Vec<T>, col: &mut [T]| {
        for ((&x, &zh), &r) in col.iter().zip(&zhat).zip(&slot) {
            gcol[r] = zh / -x;
        }
        // One division per column, not per entry: the rounding of the reciprocal changes
        // only the column's length, by an ulp.
        let inv = one / lapis_kernels::nrm2(MatRef::from_col_major(gcol, kk, 1).expect("vector"));
        for (x, &g) in col.iter_mut().zip(gcol.iter()) {
            *x = g * inv;
        }
    };
    if threads {
        v.par_chunks_exact_mut(kk)
            .for_each_init(|| vec![zero; kk], |gcol, col| vector(gcol, col));
    } else {
        let mut gcol = vec![zero; kk];
        v.chunks_exact_mut(kk)
            .for_each(|col| vector(&mut gcol, col));
    }
    let vg = v;
    // The old vectors, grouped; only the rows a column reaches are copied (and read).
    let mut grouped =
        MatMut::from_col_major(&mut work.grouped[..n * kk], n, kk).expect("workspace");
    for (t, &r) in slot.iter().enumerate() {
        let src = q.as_ref().col(perm[nd[t]]);
        let (lo, rows) = match class(t) {
            0 => (0, k),
            2 => (k, n - k),
            _ => (0, n),
        };
        grouped
            .rb()
            .submatrix(lo, r, rows, 1)
            .copy_from(src.submatrix(lo, 0, rows, 1));
    }
    // Deflated vectors go to columns kk.. of q; the non-deflated columns are free now.
    let mut free = nd.iter().map(|&t| perm[t]).filter(|&c| c >= kk);
    let mut vals = vec![zero; n];
    for (s, &p) in perm.iter().enumerate() {
        if !deflated[s] {
            continue;
        }
        let dst = if p >= kk {
            p
        } else {
            let dst = free.next().expect("as many free columns as misplaced ones");
            // p < kk ≤ dst: the two columns lie on either side of a split at kk.
            let (left, mut right) = q.rb().split_at_col(kk);
            right.rb().col_mut(dst - kk).copy_from(left.as_ref().col(p));
            dst
        };
        vals[dst] = ds[s];
    }
    for (c, &(o, tau)) in roots.iter().enumerate() {
        vals[c] = dk[o] + tau;
    }
    // Non-finite values make the caller fall back anyway.
    if vals.iter().any(|x| !x.is_finite()) {
        return Err(Failed);
    }
    // Q[:, nd]·V into columns 0..kk, each half skipping the zero block of Q.
    let grouped = grouped.into_ref();
    let vg = MatRef::from_col_major(vg, kk, kk).expect("workspace");
    let (top, bottom) = q.rb().submatrix(0, 0, n, kk).split_at_row(k);
    for (mut out, lo, rows, from, cols) in [
        (top, 0, k, 0, top_cols),
        (bottom, k, n - k, bottom_from, bottom_cols),
    ] {
        if cols == 0 {
            out.fill(zero);
            continue;
        }
        gemm(
            one,
            grouped.submatrix(lo, from, rows, cols),
            vg.submatrix(from, 0, cols, kk),
            zero,
            out,
            par,
        )
        .map_err(|_| Failed)?;
    }
    for (x, &v) in d.iter_mut().zip(&vals) {
        *x = signed(v);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        /// Makes [`tridiagonal_eigh_dc`] discard its fast result (to test the fallback).
        pub(super) static FORCE_FALLBACK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    #[test]
    fn fallback_gives_the_ql_result() {
        let n = 60;
        let d0: Vec<f64> = (0..n).map(|i| (i as f64 * 0.7).sin()).collect();
        let e0: Vec<f64> = (0..n - 1).map(|i| (i as f64 * 1.3).cos()).collect();
        let run = |force: bool| {
            FORCE_FALLBACK.with(|f| f.set(force));
            let (mut d, mut e) = (d0.clone(), e0.clone());
            let mut z = vec![f64::NAN; n * n];
            tridiagonal_eigh_dc(
                &mut d,
                &mut e,
                MatMut::from_col_major(&mut z, n, n).unwrap(),
                Par::Seq,
            )
            .unwrap();
            FORCE_FALLBACK.with(|f| f.set(false));
            (d, z)
        };
        let (d_fast, _) = run(false);
        let (d_fb, z_fb) = run(true);
        let (mut d_ql, mut e_ql) = (d0.clone(), e0.clone());
        let mut z_ql = vec![0.0; n * n];
        for i in 0..n {
            z_ql[i + i * n] = 1.0;
        }
        tridiagonal_eigh(
            &mut d_ql,
            &mut e_ql,
            Some(MatMut::from_col_major(&mut z_ql, n, n).unwrap()),
        )
        .unwrap();
        assert_eq!(
            (d_fb, z_fb),
            (d_ql.clone(), z_ql),
            "the fallback is exactly QL"
        );
        let dev = d_fast
            .iter()
            .zip(&d_ql)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(dev < 1e-13, "{dev}");
    }

    /// Runs the fast path alone (no fallback) and returns `(‖TZ − ZΛ‖₁/(‖T‖₁·n·ε),
    /// ‖ZᵀZ − I‖₁/(n·ε))`.
    fn check<T: Scalar>(d0: &[f64], e0: &[f64]) -> (f64, f64) {
        let n = d0.len();
        let mut d: Vec<T> = d0.iter().map(|&x| T::from_f64(x)).collect();
        let mut e: Vec<T> = e0.iter().map(|&x| T::from_f64(x)).collect();
        let (dt, et): (Vec<f64>, Vec<f64>) = (
            d.iter().map(|&x| Scalar::to_f64(x)).collect(),
            e.iter().map(|&x| Scalar::to_f64(x)).collect(),
        );
        let mut q = vec![T::zero(); n * n];
        let ok = solve(
            &mut d,
            &mut e,
            MatMut::from_col_major(&mut q, n, n).unwrap(),
            Par::Seq,
        );
        assert!(ok.is_ok(), "divide and conquer failed");
        assert!(d.windows(2).all(|p| p[0] <= p[1]));
        let z = |i: usize, j: usize| Scalar::to_f64(q[i + j * n]);
        let (mut res, mut orth, mut tn) = (0.0f64, 0.0f64, 0.0f64);
        for j in 0..n {
            let mut cres = 0.0;
            let mut corth = 0.0;
            for i in 0..n {
                let mut t = dt[i] * z(i, j) - Scalar::to_f64(d[j]) * z(i, j);
                if i > 0 {
                    t += et[i - 1] * z(i - 1, j);
                }
                if i + 1 < n {
                    t += et[i] * z(i + 1, j);
                }
                cres += t.abs();
                let g: f64 = (0..n).map(|p| z(p, i) * z(p, j)).sum();
                corth += (g - if i == j { 1.0 } else { 0.0 }).abs();
            }
            res = res.max(cres);
            orth = orth.max(corth);
            let col = dt[j].abs()
                + if j > 0 { et[j - 1].abs() } else { 0.0 }
                + if j + 1 < n { et[j].abs() } else { 0.0 };
            tn = tn.max(col);
        }
        let eps = Scalar::to_f64(T::EPS) * n as f64;
        (res / (tn * eps), orth / eps)
    }

    fn cases() -> Vec<(&'static str, Vec<f64>, Vec<f64>)> {
        let mut v = Vec::new();
        v.push(("toeplitz100", vec![2.0; 100], vec![-1.0; 99]));
        let w: Vec<f64> = (0..101).map(|i| (i as f64 - 50.0).abs()).collect();
        v.push(("wilkinson101", w, vec![1.0; 100]));
        // Glued Wilkinson W21+ (six copies, glue 1e-9): heavy deflation and clusters.
        let w21: Vec<f64> = (0..21).map(|i| (i as f64 - 10.0).abs()).collect();
        let d: Vec<f64> = (0..6).flat_map(|_| w21.clone()).collect();
        let e: Vec<f64> = (0..125)
            .map(|i| if i % 21 == 20 { 1e-9 } else { 1.0 })
            .collect();
        v.push(("glued_wilkinson126", d, e));
        let mut x = 12345u64;
        let mut rnd = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
        };
        let d: Vec<f64> = (0..150).map(|_| rnd()).collect();
        let e: Vec<f64> = (0..149).map(|_| rnd()).collect();
        v.push(("random150", d, e));
        v.push(("constant_diag80", vec![3.0; 80], vec![0.0; 79]));
        let d: Vec<f64> = (0..90).map(|i| [1.0, 2.0, 1.0][i % 3]).collect();
        let e: Vec<f64> = (0..89)
            .map(|i| if i % 10 == 0 { 1e-3 } else { 0.0 })
            .collect();
        v.push(("repeated90", d, e));
        let d: Vec<f64> = (0..70i32).map(|i| 10f64.powi(-i / 5)).collect();
        let e: Vec<f64> = (0..69i32).map(|i| 10f64.powi(-i / 5) * 0.3).collect();
        v.push(("graded70", d, e));
        v
    }

    #[test]
    fn fast_path_accuracy() {
        for (name, d, e) in cases() {
            let (r, o) = check::<f64>(&d, &e);
            eprintln!("dc {name} f64: residual {r:.3e}, orthogonality {o:.3e}");
            assert!(r < 10.0 && o < 10.0, "{name} f64: {r} {o}");
            let (r, o) = check::<f32>(&d, &e);
            eprintln!("dc {name} f32: residual {r:.3e}, orthogonality {o:.3e}");
            assert!(r < 10.0 && o < 10.0, "{name} f32: {r} {o}");
        }
    }
}
