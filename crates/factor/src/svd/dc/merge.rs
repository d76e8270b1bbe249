//! One merge of the bidiagonal divide and conquer: the arrow matrix `M` (row `k` is `z`, the
//! rest diagonal) from the two halves' SVDs, its deflation, its SVD from the secular equation,
//! and the update of the vectors (LAPACK's `lasd1`, `lasd2`, `lasd3`).

use lapis_kernels::{MatMut, MatRef, Scalar, rotg};

use super::Ctx;
use crate::plane::{pow2_exponent, rot_cols, scale_pow2};
use crate::secular::{BOTTOM, Failed, Support, TOP, merge_columns, secular_root};

/// Merges the SVDs of the two halves below and above row `k` (in the diagonal blocks of `u`,
/// `n × n`, and `v`, `(n + sqre)²`, zero elsewhere; their values in `d[..k]` and `d[k + 1..]`)
/// with row `k` = `(α at column k, β at column k + 1)` into the SVD of the whole: values
/// descending into `d`, vectors into `u` and `v`.
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

    // Poles ascending, the zero pole (column k) first; columns of U and V permuted along.
    let mut perm: Vec<usize> = (0..n).filter(|&i| i != k).collect();
    perm.sort_by(|&a, &b| {
        d[a].partial_cmp(&d[b])
            .unwrap_or(core::cmp::Ordering::Equal)
    });
    perm.insert(0, k);
    let mut ds: Vec<T> = perm.iter().map(|&p| d[p]).collect();
    let mut zs: Vec<T> = perm.iter().map(|&p| z[p]).collect();
    let mut up = gather_cols(u.as_ref(), &perm);
    let mut vp = gather_cols(v.as_ref().submatrix(0, 0, mcols, n), &perm);
    // Rows 0..=k of U and V are the top block (U's column k is e_k), rows k + 1.. the bottom.
    let side = |p: usize| if p <= k { TOP } else { BOTTOM };
    let mut u_support: Vec<Support> = perm.iter().map(|&p| side(p)).collect();
    let mut v_support = u_support.clone();
    if null_mixed {
        v_support[0] |= BOTTOM;
    }

    let mut ab = [alpha.abs().max(beta.abs())];
    scale_pow2(&mut ab, exponent);
    let defl = deflate(
        &mut ds,
        &mut zs,
        ab[0],
        MatMut::from_col_major(&mut up, n, n).expect("workspace"),
        MatMut::from_col_major(&mut vp, mcols, n).expect("workspace"),
        &mut u_support,
        &mut v_support,
    );
    let nd: Vec<usize> = (0..n).filter(|&j| !defl[j]).collect();
    let kk = nd.len();
    let dk: Vec<T> = nd.iter().map(|&j| ds[j]).collect();
    let zk: Vec<T> = nd.iter().map(|&j| zs[j]).collect();
    let (sigma, ucoef, vcoef) = solve_arrow(&dk, &zk, ctx.maxit)?;

    let mut unew = vec![zero; n * kk];
    let mut vnew = vec![zero; mcols * kk];
    merge_columns(
        MatRef::from_col_major(&up, n, n).expect("workspace"),
        &u_support,
        &nd,
        MatRef::from_col_major(&ucoef, kk, kk).expect("workspace"),
        k + 1,
        MatMut::from_col_major(&mut unew, n, kk).expect("workspace"),
        ctx.par,
    )?;
    merge_columns(
        MatRef::from_col_major(&vp, mcols, n).expect("workspace"),
        &v_support,
        &nd,
        MatRef::from_col_major(&vcoef, kk, kk).expect("workspace"),
        k + 1,
        MatMut::from_col_major(&mut vnew, mcols, kk).expect("workspace"),
        ctx.par,
    )?;

    // Every column with its value: deflated ones from (up, vp), the others from the products.
    // Sorted descending and written back.
    let mut out: Vec<(T, bool, usize)> = (0..n)
        .filter(|&j| defl[j])
        .map(|j| (ds[j], true, j))
        .chain(sigma.iter().enumerate().map(|(c, &s)| (s, false, c)))
        .collect();
    if out.iter().any(|x| !x.0.is_finite()) {
        return Err(Failed);
    }
    out.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(core::cmp::Ordering::Equal));
    for (pos, &(val, deflated, src)) in out.iter().enumerate() {
        d[pos] = val;
        let (ucol, vcol) = if deflated {
            (
                &up[src * n..(src + 1) * n],
                &vp[src * mcols..(src + 1) * mcols],
            )
        } else {
            (
                &unew[src * n..(src + 1) * n],
                &vnew[src * mcols..(src + 1) * mcols],
            )
        };
        u.rb()
            .col_mut(pos)
            .copy_from(MatRef::from_col_major(ucol, n, 1).expect("column"));
        v.rb()
            .col_mut(pos)
            .copy_from(MatRef::from_col_major(vcol, mcols, 1).expect("column"));
    }
    scale_pow2(d, -exponent);
    Ok(())
}

/// The columns `cols` of `a`, as a column-major buffer.
fn gather_cols<T: Scalar>(a: MatRef<'_, T>, cols: &[usize]) -> Vec<T> {
    let m = a.nrows();
    let mut out = vec![T::zero(); m * cols.len()];
    for (t, &c) in cols.iter().enumerate() {
        let dst = &mut out[t * m..(t + 1) * m];
        for (i, x) in dst.iter_mut().enumerate() {
            *x = a.get(i, c);
        }
    }
    out
}

/// Deflation of the arrow matrix with poles `ds` (ascending, `ds[0] = 0`) and row `zs`; the
/// columns of `up`, `vp` follow. Returns which columns are deflated: their `ds` is a singular
/// value and their `up`, `vp` columns its vectors. The rest have distinct poles and nonzero
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
    mut up: MatMut<'_, T>,
    mut vp: MatMut<'_, T>,
    u_support: &mut [Support],
    v_support: &mut [Support],
) -> Vec<bool> {
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
                rot_cols(&mut vp, 0, j, c, s);
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
                rot_cols(&mut up, p, j, c, -s);
                rot_cols(&mut vp, p, j, c, -s);
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
/// distinct poles `d`, `d_0 = 0`, nonzero `z`): `(σ ascending, Ũ, Ṽ)` with `Ũ`, `Ṽ` column-major
/// `K × K`.
#[allow(clippy::type_complexity)]
fn solve_arrow<T: Scalar>(
    d: &[T],
    z: &[T],
    maxit: usize,
) -> Result<(Vec<T>, Vec<T>, Vec<T>), Failed> {
    let kk = d.len();
    let zero = T::zero();
    // d_j² − d_o², accurately.
    let gap = |j: usize, o: usize| (d[j] - d[o]) * (d[j] + d[o]);
    // Each root as σ = d_o + τ, from σ² = d_o² + μ.
    let roots: Vec<(usize, T)> = (0..kk)
        .map(|i| {
            let (o, mu) = secular_root(gap, z, T::one(), i, maxit)?;
            Ok((o, mu / (d[o] + (d[o] * d[o] + mu).sqrt())))
        })
        .collect::<Result<_, Failed>>()?;
    // σ_c − d_j and σ_c + d_j.
    let minus = |c: usize, j: usize| (d[roots[c].0] - d[j]) + roots[c].1;
    let plus = |c: usize, j: usize| (d[roots[c].0] + d[j]) + roots[c].1;
    // Gu–Eisenstat: ẑ_i² = ∏_j (σ_j² − d_i²) / ∏_{j≠i} (d_j² − d_i²), with σ_j paired with the
    // pole on its far side from d_i so that every factor is at most about 1.
    let mut zhat = vec![zero; kk];
    for i in 0..kk {
        let last = kk - 1;
        let mut p = minus(last, i) * plus(last, i);
        for j in 0..i {
            p *= (minus(j, i) / (d[j] - d[i])) * (plus(j, i) / (d[j] + d[i]));
        }
        for j in i..last {
            p *= (minus(j, i) / (d[j + 1] - d[i])) * (plus(j, i) / (d[j + 1] + d[i]));
        }
        zhat[i] = p.abs().sqrt().copysign(z[i]);
    }
    let mut ucoef = vec![zero; kk * kk];
    let mut vcoef = vec![zero; kk * kk];
    for c in 0..kk {
        let vcol = &mut vcoef[c * kk..(c + 1) * kk];
        let ucol = &mut ucoef[c * kk..(c + 1) * kk];
        for j in 0..kk {
            // ẑ_j/(d_j² − σ_c²)
            vcol[j] = zhat[j] / (-minus(c, j) * plus(c, j));
            ucol[j] = d[j] * vcol[j];
        }
        ucol[0] = -T::one();
        for col in [vcol, ucol] {
            let nrm = lapis_kernels::nrm2(MatRef::from_col_major(col, kk, 1).expect("vector"));
            for x in col.iter_mut() {
                *x /= nrm;
            }
        }
    }
    let sigma = (0..kk).map(|c| d[roots[c].0] + roots[c].1).collect();
    Ok((sigma, ucoef, vcoef))
}
