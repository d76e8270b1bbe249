//! Reduction of a symmetric matrix to tridiagonal form, `A = Q·T·Qᵀ` (LAPACK `sytrd`, lower).
//!
//! Step `k` builds the reflector `H_k` that annihilates `A[k+2.., k]` and applies it from both
//! sides to the trailing block `A₂₂ = A[k+1.., k+1..]`: with `p = τ·A₂₂·v` and
//! `w = p − (τ/2)·(pᵀv)·v`, `H·A₂₂·H = A₂₂ − v·wᵀ − w·vᵀ` (a SYMV and a rank-2 update). Only
//! the lower triangle of the column-major work matrix is read or kept up to date; the fused
//! SYMV kernel reads each element of that triangle once for both halves of the product, so
//! the memory-bound half of the reduction streams half the matrix a full-storage GEMV would.
//! `Q = H₀·H₁⋯H_{n−2}`; the reflectors are stored LAPACK-style below the subdiagonal, so
//! `Q = diag(1, Q')` with `Q'` in the compact form of a QR of `A[1.., 0..n−1]`, and the
//! blocked [`qr::form_q`](crate::qr::form_q) builds it.
//!
//! Blocked (LAPACK `latrd`): a panel of `nb` reflectors is generated against the trailing matrix
//! *as it would be* after the panel's earlier reflectors, without updating it — the panel keeps
//! `V` and `W` with `A₂₂ − V·Wᵀ − W·Vᵀ` the updated matrix, and the column about to be reduced and
//! each `p = τ·A₂₂·v` are corrected by GEMVs with `V`, `W`. After the panel the trailing matrix
//! is updated at once by the rank-`2·nb` `A₂₂ ← A₂₂ − V·Wᵀ − W·Vᵀ` (one GEMM of depth `2·nb`
//! per column block, `V` and `W` interleaved), so half the flops run in GEMM; the other half
//! are the `A₂₂·v` products, as in LAPACK.

use lapis_kernels::{
    MatMut, MatRef, Par, Scalar, Sweep, Team, Uplo, gemm, gemv, symv_column_ranges, symv_sweep,
    symv_sweep_team, syr2, with_team,
};

use crate::FactorError;
use crate::householder::make_reflector;
use crate::util::{run_shares, split_cols};

/// Panel width of the blocked reduction. 16 rather than LAPACK's 32: the panel's GEMV
/// corrections grow with its width while the trailing GEMM (depth `2·nb`) is already efficient
/// at 32 (eigvalsh 7% less CPU time at n = 100–200, no change at 500–1000; the isolated
/// reduction 3–5% slower with 32 at n = 500–2000, f64 and f32). 8, throughout or only on
/// trailing matrices of order ≤ 1024, measured no better than 16 at n = 100–1000 and 2–7%
/// slower at 2000.
const PANEL: usize = 16;
/// Column block of the lower-triangle rank-`2·nb` update.
const SYR2K_BLOCK: usize = 64;
/// Trailing matrices of at most this order are reduced unblocked.
const UNBLOCKED_BELOW: usize = 48;

/// Reduces the symmetric `a` (`n × n`, column-major; only the lower triangle is read, and the
/// upper one must be finite: the trailing GEMMs add into it, their diagonal blocks whole) to tridiagonal
/// `T` (diagonal `d`, length `n`; off-diagonal `e`, length `n − 1`), with the reflectors
/// left below the subdiagonal of `a` and their scales in `tau` (length `n − 1`).
pub(crate) fn tridiagonalize<T: Scalar>(
    mut a: MatMut<'_, T>,
    d: &mut [T],
    e: &mut [T],
    tau: &mut [T],
    par: Par,
) -> Result<(), FactorError> {
    let n = a.nrows();
    let mut j0 = 0;
    // Each pass over the trailing matrix (a SYMV, the panel's update) walks it in the order
    // opposite to the previous one, starting on the columns that one left in cache.
    let mut sweep = Sweep::Forward;
    // With threads, a spinning team splits each product and each panel update by the same
    // columns (`symv_column_ranges`): the steps are too short to wake sleeping threads for.
    let team_par = if symv_column_ranges(n, par.degree()).len() > 1 {
        par
    } else {
        Par::Seq
    };
    with_team(team_par, |team| {
        while n - j0 > UNBLOCKED_BELOW {
            panel(
                a.rb().submatrix(j0, j0, n - j0, n - j0),
                &mut d[j0..],
                &mut e[j0..],
                &mut tau[j0..],
                PANEL,
                &mut sweep,
                team,
            )?;
            j0 += PANEL;
        }
        Ok::<(), FactorError>(())
    })?;
    unblocked(
        a.submatrix(j0, j0, n - j0, n - j0),
        &mut d[j0..],
        &mut e[j0..],
        &mut tau[j0..],
    )
}

/// One panel of `nb < r − 1` columns of the trailing `r × r` matrix `a` (lower triangle):
/// reflectors, `d`, `e`, `tau` of those columns, then the rank-`2·nb` update of
/// `a[nb.., nb..]`.
///
/// The panel's `v_j` and `w_j` are kept interleaved as the columns of one `r × 2·nb` matrix
/// `X = [v₀ w₀ v₁ w₁ …]`: then `V·Wᵀ + W·Vᵀ = X·Yᵀ` with `Y = [w₀ v₀ w₁ v₁ …]` (the pairs
/// swapped), so each correction by the earlier reflectors is one GEMV on `X` (and one on `Xᵀ`)
/// twice as wide instead of two (four) of width `i`, and the trailing update is one GEMM of
/// depth `2·nb`.
fn panel<T: Scalar>(
    mut a: MatMut<'_, T>,
    d: &mut [T],
    e: &mut [T],
    tau: &mut [T],
    nb: usize,
    sweep: &mut Sweep,
    team: &Team,
) -> Result<(), FactorError> {
    let r = a.nrows();
    let (zero, one) = (T::zero(), T::one());
    let half = one / (one + one);
    let mut xbuf = vec![zero; r * 2 * nb];
    // Coefficients of a GEMV on X: a row of Y, or Xᵀ·v with its pairs swapped.
    let mut coef = vec![zero; 2 * nb];
    let mut t = vec![zero; 2 * nb];
    for i in 0..nb {
        let k = 2 * i;
        // Column i, rows i..: apply the panel's earlier reflectors, −X[i.., ..k]·Y[i, ..k]ᵀ.
        if i > 0 {
            for j in 0..i {
                coef[2 * j] = xbuf[(2 * j + 1) * r + i];
                coef[2 * j + 1] = xbuf[2 * j * r + i];
            }
            let xp = MatRef::from_col_major(&xbuf, r, 2 * nb).expect("workspace");
            let col = a.rb().submatrix(i, i, r - i, 1);
            gemv(
                -one,
                xp.submatrix(i, 0, r - i, k),
                MatRef::from_col_major(&coef[..k], k, 1).expect("vector"),
                one,
                col,
                Par::Seq,
            )?;
        }
        d[i] = a.get(i, i);
        let alpha = a.get(i + 1, i);
        let refl = make_reflector(alpha, a.rb().submatrix(i + 2, i, r - i - 2, 1));
        e[i] = refl.beta;
        tau[i] = refl.tau;
        // v_i = X[i+1.., k] = [1; v_tail]
        let len = r - i - 1;
        xbuf[k * r + i + 1] = one;
        for p in 1..len {
            xbuf[k * r + i + 1 + p] = a.get(i + 1 + p, i);
        }
        if refl.tau == zero {
            continue;
        }
        // w = τ·(A₂₂ − X·Yᵀ)·v over rows/cols i+1.., then w −= (τ/2)(wᵀv)·v.
        let (done, rest) = xbuf.split_at_mut(k * r);
        let (vcol, wcol) = rest.split_at_mut(r);
        let v = &vcol[i + 1..r];
        let w = &mut wcol[i + 1..r];
        let xv = MatRef::from_col_major(v, len, 1).expect("vector");
        let wv = MatMut::from_col_major(&mut *w, len, 1).expect("vector");
        let ai = a.as_ref().submatrix(i + 1, i + 1, len, len);
        symv_sweep_team(Uplo::Lower, refl.tau, ai, xv, T::zero(), wv, *sweep, team)?;
        *sweep = sweep.reversed();
        if i > 0 {
            let xp = MatRef::from_col_major(done, r, k)
                .expect("workspace")
                .submatrix(i + 1, 0, len, k);
            let vv = MatRef::from_col_major(v, len, 1).expect("vector");
            gemv(
                one,
                xp.transpose(),
                vv,
                zero,
                MatMut::from_col_major(&mut t[..k], k, 1).expect("vector"),
                Par::Seq,
            )?;
            for j in 0..i {
                coef[2 * j] = t[2 * j + 1];
                coef[2 * j + 1] = t[2 * j];
            }
            gemv(
                -refl.tau,
                xp,
                MatRef::from_col_major(&coef[..k], k, 1).expect("vector"),
                one,
                MatMut::from_col_major(w, len, 1).expect("vector"),
                Par::Seq,
            )?;
        }
        let wv: T = w.iter().zip(v).map(|(x, y)| *x * *y).sum();
        let alpha = -half * refl.tau * wv;
        for (wi, vi) in w.iter_mut().zip(v) {
            *wi += alpha * *vi;
        }
    }
    // Trailing update A[nb.., nb..] −= X·Yᵀ on the lower triangle (SYR2K by blocks of
    // columns: one GEMM of depth 2·nb per block on the rows from its diagonal down).
    let rest = r - nb;
    let mut ybuf = vec![zero; rest * 2 * nb];
    for j in 0..nb {
        let (v, w) = (2 * j * r + nb, (2 * j + 1) * r + nb);
        ybuf[2 * j * rest..(2 * j + 1) * rest].copy_from_slice(&xbuf[w..w + rest]);
        ybuf[(2 * j + 1) * rest..(2 * j + 2) * rest].copy_from_slice(&xbuf[v..v + rest]);
    }
    let xp = MatRef::from_col_major(&xbuf, r, 2 * nb)
        .expect("workspace")
        .submatrix(nb, 0, rest, 2 * nb);
    let yp = MatRef::from_col_major(&ybuf, rest, 2 * nb).expect("workspace");
    // Each thread of the team updates the columns it reads in the panel's products (see
    // `symv_column_ranges`), so they stay in its core's cache.
    let ranges = symv_column_ranges(rest, team.size());
    let parts = split_cols(a.submatrix(nb, nb, rest, rest), &ranges);
    let sw = *sweep;
    run_shares(team, ranges.len(), |k| {
        let mut part = parts[k].lock().expect("share of the update");
        syr2k_columns(part.rb(), ranges[k].clone(), xp, yp, sw)
    })?;
    *sweep = sweep.reversed();
    Ok(())
}

/// `A −= X·Yᵀ` on the lower triangle of the columns `cols` of the trailing matrix, which `a`
/// holds (all its rows, columns `cols` only), by blocks of [`SYR2K_BLOCK`] columns in the
/// order `sweep`: one GEMM of depth `2·nb` per block on the rows from its diagonal down.
fn syr2k_columns<T: Scalar>(
    mut a: MatMut<'_, T>,
    cols: core::ops::Range<usize>,
    xp: MatRef<'_, T>,
    yp: MatRef<'_, T>,
    sweep: Sweep,
) -> Result<(), FactorError> {
    let (rest, depth) = (xp.nrows(), xp.ncols());
    let nblk = cols.len().div_ceil(SYR2K_BLOCK);
    for b in 0..nblk {
        let b = match sweep {
            Sweep::Forward => b,
            Sweep::Backward => nblk - 1 - b,
        };
        let j = cols.start + b * SYR2K_BLOCK;
        let c = SYR2K_BLOCK.min(cols.end - j);
        gemm(
            -T::one(),
            xp.submatrix(j, 0, rest - j, depth),
            yp.submatrix(j, 0, c, depth).transpose(),
            T::one(),
            a.rb().submatrix(j, j - cols.start, rest - j, c),
            Par::Seq,
        )?;
    }
    Ok(())
}

/// The unblocked reduction (a SYMV and a lower rank-2 update per column).
fn unblocked<T: Scalar>(
    mut a: MatMut<'_, T>,
    d: &mut [T],
    e: &mut [T],
    tau: &mut [T],
) -> Result<(), FactorError> {
    let n = a.nrows();
    if n == 0 {
        return Ok(());
    }
    let (zero, one) = (T::zero(), T::one());
    let half = one / (one + one);
    let mut v = vec![zero; n];
    let mut w = vec![zero; n];
    for k in 0..n - 1 {
        let r = n - k - 1;
        d[k] = a.get(k, k);
        let alpha = a.get(k + 1, k);
        let refl = {
            let x = a.rb().submatrix(k + 2, k, r - 1, 1);
            make_reflector(alpha, x)
        };
        e[k] = refl.beta;
        tau[k] = refl.tau;
        if refl.tau == zero {
            continue;
        }
        // v = [1; x]
        v[0] = one;
        for i in 1..r {
            v[i] = a.get(k + 1 + i, k);
        }
        let vv = MatRef::from_col_major(&v[..r], r, 1).expect("vector");
        let mut a22 = a.rb().submatrix(k + 1, k + 1, r, r);
        // p = τ·A₂₂·v
        symv_lower(
            refl.tau,
            a22.as_ref(),
            &v[..r],
            &mut w[..r],
            Sweep::Forward,
            Par::Seq,
        )?;
        // w = p − (τ/2)(pᵀv)·v
        let pv: T = w[..r].iter().zip(&v[..r]).map(|(x, y)| *x * *y).sum();
        let alpha = -half * refl.tau * pv;
        for i in 0..r {
            w[i] += alpha * v[i];
        }
        // A₂₂ −= v·wᵀ + w·vᵀ on the lower triangle.
        let wv = MatRef::from_col_major(&w[..r], r, 1).expect("vector");
        syr2(Uplo::Lower, -one, vv, wv, a22.rb())?;
    }
    d[n - 1] = a.get(n - 1, n - 1);
    Ok(())
}

/// `y ← α·A·x` for the symmetric `A` of which only the lower triangle is read: the kernels'
/// fused [`symv_sweep`], one pass over the triangle for both halves of the product, in the
/// order `sweep`.
fn symv_lower<T: Scalar>(
    alpha: T,
    a: MatRef<'_, T>,
    x: &[T],
    y: &mut [T],
    sweep: Sweep,
    par: Par,
) -> Result<(), FactorError> {
    let n = a.nrows();
    let xv = MatRef::from_col_major(x, n, 1).expect("vector");
    let yv = MatMut::from_col_major(y, n, 1).expect("vector");
    Ok(symv_sweep(
        Uplo::Lower,
        alpha,
        a,
        xv,
        T::zero(),
        yv,
        sweep,
        par,
    )?)
}
