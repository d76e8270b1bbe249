//! One merge of the bidiagonal divide and conquer: the arrow matrix `M` (row `k` is `z`, the
//! rest diagonal) from the two halves' SVDs, its deflation, its SVD from the secular equation,
//! and the update of the vectors (LAPACK's `lasd1`, `lasd2`, `lasd3`).

use lapis_kernels::{MatMut, MatRef, Scalar, gemm, rotg};

use super::Ctx;
use crate::plane::{pow2_exponent, rot_cols, scale_pow2};
use crate::secular::{BOTTOM, Failed, Support, TOP, secular_root};

/// Merges the SVDs of the two halves below and above row `k` (in the diagonal blocks of `u`,
/// `n × n`, and `v`, `(n + sqre)²`, zero elsewhere; their values in `d[..k]` and `d[k + 1..]`,
/// any order) with row `k` = `(α at column k, β at column k + 1)` into the SVD of the whole:
/// values into `d` (in no particular order), vectors into the matching columns of `u` and `v`
/// (`v`'s last column, with `sqre`, spans the null space). `work` holds at least
/// `n·(2n + 1)` elements.
#[allow(clippy::too_many_arguments)]
pub(super) fn merge<T: Scalar>(
    d: &mut [T],
    alpha: T,
    beta: T,
    k: usize,
    sqre: bool,
    mut u: MatMut<'_, T>,
    mut v: MatMut<'_, T>,
    ctx: &Ctx,
    work: &mut [T],
) -> Result<(), Failed> {
    let n = d.len();
    let mcols = v.ncols();
    let zero = T::zero();
    // Row k of B times diag(V₁, V₂).
    let mut z: Vec<T> = (0..mcols)
        .map(|i| {
            if i <= k {
                alpha * v.get(k, i)
            } else {
                beta * v.get(k + 1, i)
            }
        })
        .collect();
    // Fold the two null vectors (columns k and n) into column k; column n then is the null
    // vector of the whole.
    let mut null_mixed = false;
    if sqre {
        let (c, s, r) = rotg(z[k], z[n]);
        rot_cols(&mut v, k, n, c, s);
        z[k] = r;
        null_mixed = s != zero;
    }
    u.write(k, k, T::one());

    // Scale to a largest entry of about 1 (exact).
    let orgnrm = (0..n)
        .filter(|&i| i != k)
        .fold(alpha.abs().max(beta.abs()), |a, i| a.max(d[i].abs()));
    if orgnrm == zero {
        // M = 0: any orthonormal U, V will do.
        d.fill(zero);
        return Ok(());
    }
    let exponent = pow2_exponent(orgnrm, T::one());
    d[k] = zero;
    scale_pow2(d, exponent);
    z.truncate(n);
    scale_pow2(&mut z, exponent);
    let mut ab = [alpha.abs().max(beta.abs())];
    scale_pow2(&mut ab, exponent);

    // Poles ascending, the zero pole (column k) first; `perm` maps positions to columns.
    let mut perm: Vec<usize> = (0..n).filter(|&i| i != k).collect();
    perm.sort_by(|&a, &b| {
        d[a].partial_cmp(&d[b])
            .unwrap_or(core::cmp::Ordering::Equal)
    });
    perm.insert(0, k);
    let mut ds: Vec<T> = perm.iter().map(|&p| d[p]).collect();
    let mut zs: Vec<T> = perm.iter().map(|&p| z[p]).collect();
    // Rows 0..=k of U and V are the top block (U's column k is e_k), rows k + 1.. the bottom.
    let side = |p: usize| if p <= k { TOP } else { BOTTOM };
    let mut u_support: Vec<Support> = perm.iter().map(|&p| side(p)).collect();
    let mut v_support = u_support.clone();
    if null_mixed {
        v_support[0] |= BOTTOM;
    }
    let defl = deflate(
        &mut ds,
        &mut zs,
        ab[0],
        &perm,
        Columns {
            u: u.rb(),
            v: v.rb(),
            u_support: &mut u_support,
            v_support: &mut v_support,
        },
    );
    let nd: Vec<usize> = (0..n).filter(|&j| !defl[j]).collect();
    let dl: Vec<usize> = (0..n).filter(|&j| defl[j]).collect();
    let kk = nd.len();
    let dk: Vec<T> = nd.iter().map(|&j| ds[j]).collect();
    let zk: Vec<T> = nd.iter().map(|&j| zs[j]).collect();

    // The roots, then U·Ũ and V·Ṽ one after the other through the same workspace.
    let arrow = Arrow::solve(&dk, &zk, ctx.maxit)?;
    let (gbuf, cbuf) = work.split_at_mut(n * (n + 1));
    let cbuf = &mut cbuf[..kk * kk];
    let uorder = group(&nd, &u_support);
    arrow.vectors(true, &uorder.rank, cbuf);
    update(u.rb(), &perm, &uorder, &dl, cbuf, k, gbuf, ctx)?;
    let vorder = group(&nd, &v_support);
    arrow.vectors(false, &vorder.rank, cbuf);
    update(
        v.submatrix(0, 0, mcols, n),
        &perm,
        &vorder,
        &dl,
        cbuf,
        k,
        gbuf,
        ctx,
    )?;

    for (c, x) in d[..kk].iter_mut().enumerate() {
        *x = arrow.sigma(c);
    }
    for (t, &j) in dl.iter().enumerate() {
        d[kk + t] = ds[j];
    }
    if d.iter().any(|x| !x.is_finite()) {
        return Err(Failed);
    }
    scale_pow2(d, -exponent);
    Ok(())
}

/// `mat ← [mat[:, nondeflated]·coef, mat[:, deflated]]` (`mat` is `U` or the first `n` columns
/// of `V`; the columns are named by position, `perm[j]` being the column of position `j`).
/// Grouping the old columns as [top rows only, both, bottom rows only] makes the products of
/// the two row blocks plain GEMMs on contiguous column ranges (`coef`'s rows were permuted to
/// match); the gathered copy in `gbuf` frees `mat` to receive them.
#[allow(clippy::too_many_arguments)]
fn update<T: Scalar>(
    mut mat: MatMut<'_, T>,
    perm: &[usize],
    order: &Grouped,
    deflated: &[usize],
    coef: &[T],
    k: usize,
    gbuf: &mut [T],
    ctx: &Ctx,
) -> Result<(), Failed> {
    let (nrows, n) = mat.shape();
    let kk = order.cols.len();
    let g = &mut gbuf[..nrows * n];
    for (t, &j) in order.cols.iter().chain(deflated).enumerate() {
        MatMut::from_col_major(&mut g[t * nrows..(t + 1) * nrows], nrows, 1)
            .expect("column")
            .copy_from(mat.as_ref().col(perm[j]));
    }
    let gm = MatRef::from_col_major(g, nrows, n).expect("workspace");
    let cm = MatRef::from_col_major(coef, kk, kk).expect("workspace");
    let (n1, n2) = (order.top_only, order.top_only + order.both);
    for (lo, rows, c0, c1) in [(0, k + 1, 0, n2), (k + 1, nrows - k - 1, n1, kk)] {
        let mut dst = mat.rb().submatrix(lo, 0, rows, kk);
        if c1 == c0 {
            dst.fill(T::zero());
            continue;
        }
        gemm(
            T::one(),
            gm.submatrix(lo, c0, rows, c1 - c0),
            cm.submatrix(c0, 0, c1 - c0, kk),
            T::zero(),
            dst,
            ctx.par,
        )
        .map_err(|_| Failed)?;
    }
    mat.submatrix(0, kk, nrows, n - kk)
        .copy_from(gm.submatrix(0, kk, nrows, n - kk));
    Ok(())
}

/// The nondeflated positions ordered by support: those in the top rows only, in both, in the
/// bottom rows only.
struct Grouped {
    /// Positions (into the sorted poles) in group order.
    cols: Vec<usize>,
    /// `rank[t]`: where the `t`-th nondeflated position lands in `cols`.
    rank: Vec<usize>,
    top_only: usize,
    both: usize,
}

fn group(nd: &[usize], support: &[Support]) -> Grouped {
    let key = |s: Support| match s {
        TOP => 0,
        BOTTOM => 2,
        _ => 1,
    };
    let mut idx: Vec<usize> = (0..nd.len()).collect();
    idx.sort_by_key(|&t| key(support[nd[t]]));
    let mut rank = vec![0; nd.len()];
    for (r, &t) in idx.iter().enumerate() {
        rank[t] = r;
    }
    let count = |g| nd.iter().filter(|&&j| key(support[j]) == g).count();
    Grouped {
        cols: idx.iter().map(|&t| nd[t]).collect(),
        rank,
        top_only: count(0),
        both: count(1),
    }
}

/// The columns of `U` and `V` that deflation rotates, and their supports (by position).
struct Columns<'a, 'b, T> {
    u: MatMut<'a, T>,
    v: MatMut<'a, T>,
    u_support: &'b mut [Support],
    v_support: &'b mut [Support],
}

/// Deflation of the arrow matrix with poles `ds` (ascending, `ds[0] = 0`) and row `zs`; the
/// columns of `U`, `V` follow. Returns which columns are deflated: their `ds` is a singular
/// value and their columns of `U`, `V` (column `perm[j]` for position `j`) its vectors. The rest have distinct poles and nonzero
/// `zs`. Every perturbation is at most `tol = 8·ε·max(|α|, |β|, max ds)`, so the merge stays
/// backward stable.
///
/// * `|z_j| ≤ tol`: set to zero; `d_j` is a singular value (type 1).
/// * A pole `d_j` close to the zero pole: the right rotation of columns `0, j` that moves `z_j`
///   into `z_0` leaves `d_j·s` (dropped when `≤ tol`) at `(j, 0)`, and `d_j·c` is a singular
///   value.
/// * Close poles `d_p < d_j`: the rotation `G` of `(z_p, z_j)` onto `(0, r)`, applied on both
///   sides, leaves `(d_j − d_p)·c·s` (dropped when `≤ tol`) off the diagonal;
///   `c²d_p + s²d_j` is a singular value and `d_j` moves to `s²d_p + c²d_j`.
/// * Finally `|z_0| < tol` is raised to `tol`, keeping the smallest root away from 0.
fn deflate<T: Scalar>(
    ds: &mut [T],
    zs: &mut [T],
    ab: T,
    perm: &[usize],
    cols: Columns<'_, '_, T>,
) -> Vec<bool> {
    let Columns {
        mut u,
        mut v,
        u_support,
        v_support,
    } = cols;
    let n = ds.len();
    let zero = T::zero();
    let dmax = ds.iter().fold(ab, |a, x| a.max(x.abs()));
    let tol = T::from_f64(8.0) * T::EPS * dmax;
    let mut defl: Vec<bool> = (0..n).map(|j| j > 0 && zs[j].abs() <= tol).collect();
    let mut prev = 0usize;
    for j in 1..n {
        if defl[j] {
            continue;
        }
        if prev == 0 {
            let (c, s, r) = rotg(zs[0], zs[j]);
            if (ds[j] * s).abs() <= tol {
                rot_cols(&mut v, perm[0], perm[j], c, s);
                zs[0] = r;
                zs[j] = zero;
                ds[j] *= c;
                defl[j] = true;
                v_support[0] |= v_support[j];
                v_support[j] = v_support[0];
                continue;
            }
        } else {
            let p = prev;
            let r = zs[p].hypot(zs[j]);
            let (c, s) = (zs[j] / r, zs[p] / r);
            if ((ds[j] - ds[p]) * c * s).abs() <= tol {
                let (dp, dj) = (ds[p], ds[j]);
                ds[p] = c * c * dp + s * s * dj;
                ds[j] = s * s * dp + c * c * dj;
                zs[j] = r;
                zs[p] = zero;
                rot_cols(&mut u, perm[p], perm[j], c, -s);
                rot_cols(&mut v, perm[p], perm[j], c, -s);
                defl[p] = true;
                u_support[p] |= u_support[j];
                u_support[j] = u_support[p];
                v_support[p] |= v_support[j];
                v_support[j] = v_support[p];
            }
        }
        prev = j;
    }
    if zs[0].abs() <= tol {
        zs[0] = tol.copysign(zs[0]);
    }
    defl
}

/// The SVD of the `K × K` arrow matrix with row 0 = `z` and diagonal `(0, d_1, …)` (ascending
/// distinct poles `d`, `d_0 = 0`, nonzero `z`): its singular values `σ_c = base_c + τ_c`
/// (ascending; `base_c` the pole nearer to `σ_c`) and the recomputed `ẑ`.
struct Arrow<'a, T> {
    d: &'a [T],
    base: Vec<T>,
    tau: Vec<T>,
    zhat: Vec<T>,
}

impl<'a, T: Scalar> Arrow<'a, T> {
    fn solve(d: &'a [T], z: &[T], maxit: usize) -> Result<Self, Failed> {
        let kk = d.len();
        let zero = T::zero();
        // d_j² − d_o², accurately.
        let gap = |j: usize, o: usize| (d[j] - d[o]) * (d[j] + d[o]);
        // Each root as σ = d_o + τ, from σ² = d_o² + μ.
        let mut base = vec![zero; kk];
        let mut tau = vec![zero; kk];
        let mut delta = Vec::with_capacity(kk);
        for c in 0..kk {
            let (o, mu) = secular_root(gap, z, T::one(), c, maxit, &mut delta)?;
            base[c] = d[o];
            tau[c] = mu / (d[o] + (d[o] * d[o] + mu).sqrt());
        }
        let mut arrow = Arrow {
            d,
            base,
            tau,
            zhat: Vec::new(),
        };
        // Gu–Eisenstat: ẑ_i² = ∏_j (σ_j² − d_i²) / ∏_{j≠i} (d_j² − d_i²), with σ_j paired with
        // the pole on its far side from d_i so that every factor is at most about 1.
        let last = kk - 1;
        arrow.zhat = (0..kk)
            .map(|i| {
                let mut p = arrow.sq(last, i);
                for j in 0..i {
                    p *= arrow.sq(j, i) / gap(j, i);
                }
                for j in i..last {
                    p *= arrow.sq(j, i) / gap(j + 1, i);
                }
                p.abs().sqrt().copysign(z[i])
            })
            .collect();
        Ok(arrow)
    }

    /// `σ_c`.
    fn sigma(&self, c: usize) -> T {
        self.base[c] + self.tau[c]
    }

    /// `σ_c² − d_j² = ((d_o − d_j) + τ)·((d_o + d_j) + τ)`, accurate even next to a pole.
    #[inline]
    fn sq(&self, c: usize, j: usize) -> T {
        let (b, t, dj) = (self.base[c], self.tau[c], self.d[j]);
        ((b - dj) + t) * ((b + dj) + t)
    }

    /// The left (`u_c = (−1, d_j·ẑ_j/(d_j² − σ_c²))_j`) or right (`v_c = (ẑ_j/(d_j² − σ_c²))_j`)
    /// singular vectors, normalized, into the column-major `K × K` `out`, row `j` stored at row
    /// `rank[j]`.
    fn vectors(&self, left: bool, rank: &[usize], out: &mut [T]) {
        let kk = self.d.len();
        let mut x = vec![T::zero(); kk];
        for c in 0..kk {
            for j in 0..kk {
                let v = self.zhat[j] / -self.sq(c, j);
                x[j] = if left { self.d[j] * v } else { v };
            }
            if left {
                x[0] = -T::one();
            }
            let s =
                T::one() / lapis_kernels::nrm2(MatRef::from_col_major(&x, kk, 1).expect("vector"));
            let col = &mut out[c * kk..(c + 1) * kk];
            for j in 0..kk {
                col[rank[j]] = x[j] * s;
            }
        }
    }
}
