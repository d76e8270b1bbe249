//! Reduction of an `m × n` matrix (`m ≥ n`) to upper bidiagonal form, `A = Q·B·Pᵀ` (LAPACK
//! `gebrd`).
//!
//! Step `k` applies a left reflector `H_k` that annihilates `A[k+1.., k]` (its vector stored
//! there, as in a QR) and, for `k < n − 1`, a right reflector `G_k` that annihilates
//! `A[k, k+2..]` (its vector stored in that row). So `Q = H₀⋯H_{n−1}` is in the compact form of
//! a QR of `A`, and `P = G₀⋯G_{n−2} = diag(1, P')` with `P'` in the compact form of a QR of
//! `Aᵀ[1.., 0..n−1]`: both are applied or formed by the blocked [`qr`](crate::qr) routines.
//!
//! Blocked (LAPACK `labrd`): a panel of `nb` reflector pairs is generated against the matrix as
//! it would be after the panel's earlier reflectors, `A₀ − V·Yᵀ − X·Uᵀ` (`V`, `U` the left and
//! right reflector vectors, `y = τ_q·(A_curᵀ·v)`, `x = τ_p·(A_cur·u)`), with GEMVs only; after the
//! panel the trailing matrix takes the rank-`2·nb` update `A ← A − V·Yᵀ − X·Uᵀ` in two GEMMs.

use std::sync::Mutex;

use lapis_kernels::{MatMut, MatRef, Par, Scalar, Team, gemm, gemv, with_team};

use crate::FactorError;
use crate::householder::{apply_left, apply_right, make_reflector};
use crate::util::{run_shares, split_cols, split_ranges};

/// Panel width of the blocked reduction.
const PANEL: usize = 32;
/// Trailing matrices with at most this many columns are reduced unblocked (LAPACK's crossover;
/// `svdvals`, f64, one thread: n = 100 in 0.55 ms against 0.58 ms with 96, no change above).
const UNBLOCKED_BELOW: usize = 128;
/// Fewest trailing columns split across a team's threads (as the tridiagonal reduction's
/// products, `lapis_kernels::symv_column_ranges`).
const TEAM_MIN_COLS: usize = 256;

/// `0..cols` cut into equal consecutive ranges, one per thread of `team` from
/// [`TEAM_MIN_COLS`] columns, else one.
fn team_ranges(cols: usize, team: &Team) -> Vec<core::ops::Range<usize>> {
    let parts = if cols >= TEAM_MIN_COLS {
        team.size()
    } else {
        1
    };
    (0..parts)
        .map(|k| cols * k / parts..cols * (k + 1) / parts)
        .collect()
}

/// Bidiagonalizes `a` (`m × n`, `m ≥ n`, column-major) in place: diagonal into `d` (`n`),
/// superdiagonal into `e` (`n − 1`), reflector scales into `tauq` (`n`) and `taup` (`n − 1`).
pub(crate) fn bidiagonalize<T: Scalar>(
    mut a: MatMut<'_, T>,
    d: &mut [T],
    e: &mut [T],
    tauq: &mut [T],
    taup: &mut [T],
    par: Par,
) -> Result<(), FactorError> {
    let (m, n) = a.shape();
    let mut j0 = 0;
    // With threads, a spinning team splits the panel's two products with the trailing matrix
    // and its update by the same columns: the products are too short to wake sleeping
    // threads for, and each thread keeps its columns in its core's cache.
    let team_par = if n >= TEAM_MIN_COLS { par } else { Par::Seq };
    with_team(team_par, |team| {
        while n - j0 > UNBLOCKED_BELOW {
            panel(
                a.rb().submatrix(j0, j0, m - j0, n - j0),
                &mut d[j0..],
                &mut e[j0..],
                &mut tauq[j0..],
                &mut taup[j0..],
                PANEL,
                team,
            )?;
            j0 += PANEL;
        }
        Ok::<(), FactorError>(())
    })?;
    unblocked(
        a.submatrix(j0, j0, m - j0, n - j0),
        &mut d[j0..],
        &mut e[j0..],
        &mut tauq[j0..],
        &mut taup[j0..],
    )
}

/// A column-major `r × c` view of `buf`.
fn view<T>(buf: &[T], r: usize, c: usize) -> MatRef<'_, T> {
    MatRef::from_col_major(buf, r, c).expect("workspace")
}

/// `buf` as a column vector.
fn vecm<T>(buf: &mut [T]) -> MatMut<'_, T> {
    let len = buf.len();
    MatMut::from_col_major(buf, len, 1).expect("vector")
}

/// One panel of `nb` reflector pairs (`nb + 1 < nr`) of the trailing `mr × nr` matrix `a`,
/// then the rank-`2·nb` update of `a[nb.., nb..]`.
fn panel<T: Scalar>(
    mut a: MatMut<'_, T>,
    d: &mut [T],
    e: &mut [T],
    tauq: &mut [T],
    taup: &mut [T],
    nb: usize,
    team: &Team,
) -> Result<(), FactorError> {
    let (mr, nr) = a.shape();
    let (zero, one) = (T::zero(), T::one());
    let mut vb = vec![zero; mr * nb];
    let mut xb = vec![zero; mr * nb];
    let mut yb = vec![zero; nr * nb];
    let mut ub = vec![zero; nr * nb];
    let mut t = vec![zero; nb];
    let mut t2 = vec![zero; nb];
    // The partial `A·u` products of the team's other threads (each overwritten per column).
    let mut partial = vec![zero; mr * (team.size() - 1)];
    for i in 0..nb {
        // (a) Column i, rows i..: A −= V·Yᵀ + X·Uᵀ.
        if i > 0 {
            let col = a.rb().submatrix(i, i, mr - i, 1);
            let (v, x) = (view(&vb, mr, nb), view(&xb, mr, nb));
            let (y, u) = (view(&yb, nr, nb), view(&ub, nr, nb));
            let mut col = col;
            gemv(
                -one,
                v.submatrix(i, 0, mr - i, i),
                y.submatrix(i, 0, 1, i),
                one,
                col.rb(),
                Par::Seq,
            )?;
            gemv(
                -one,
                x.submatrix(i, 0, mr - i, i),
                u.submatrix(i, 0, 1, i),
                one,
                col.rb(),
                Par::Seq,
            )?;
        }
        // (b) Left reflector.
        let alpha = a.get(i, i);
        let refl = make_reflector(alpha, a.rb().submatrix(i + 1, i, mr - i - 1, 1));
        d[i] = refl.beta;
        tauq[i] = refl.tau;
        vb[i * mr + i] = one;
        for p in i + 1..mr {
            vb[i * mr + p] = a.get(p, i);
        }
        let ncols = nr - i - 1;
        // (c) y = τq·(A₀[i.., i+1..]ᵀ·v − Y·(Vᵀv) − U·(Xᵀv)), rows i+1.. of Y.
        {
            let (vdone, vcur) = vb.split_at(i * mr);
            let v = view(&vcur[i..mr], mr - i, 1);
            let (ydone, ycur) = yb.split_at_mut(i * nr);
            let y = &mut ycur[i + 1..nr];
            // Share k: the entries of y of its columns.
            let asub = a.as_ref().submatrix(i, i + 1, mr - i, ncols);
            let ranges = team_ranges(ncols, team);
            let ys = split_ranges(&mut *y, &ranges);
            run_shares(team, ranges.len(), |k| {
                let r = ranges[k].clone();
                let mut yk = ys[k].lock().expect("share of y");
                let at = asub.submatrix(0, r.start, mr - i, r.len()).transpose();
                Ok(gemv(refl.tau, at, v, zero, vecm(&mut yk), Par::Seq)?)
            })?;
            if i > 0 {
                let vprev = view(vdone, mr, i).submatrix(i, 0, mr - i, i);
                let xprev = view(&xb, mr, nb).submatrix(i, 0, mr - i, i);
                let yprev = view(ydone, nr, i).submatrix(i + 1, 0, ncols, i);
                let uprev = view(&ub, nr, nb).submatrix(i + 1, 0, ncols, i);
                gemv(one, vprev.transpose(), v, zero, vecm(&mut t[..i]), Par::Seq)?;
                gemv(
                    -refl.tau,
                    yprev,
                    view(&t[..i], i, 1),
                    one,
                    vecm(y),
                    Par::Seq,
                )?;
                gemv(one, xprev.transpose(), v, zero, vecm(&mut t[..i]), Par::Seq)?;
                gemv(
                    -refl.tau,
                    uprev,
                    view(&t[..i], i, 1),
                    one,
                    vecm(y),
                    Par::Seq,
                )?;
            }
        }
        // (d) Row i, columns i+1..: A −= V·Yᵀ (with v_i, y_i) + X·Uᵀ.
        {
            let mut row = a.rb().submatrix(i, i + 1, 1, ncols);
            let (v, x) = (view(&vb, mr, nb), view(&xb, mr, nb));
            let (y, u) = (view(&yb, nr, nb), view(&ub, nr, nb));
            gemv(
                -one,
                y.submatrix(i + 1, 0, ncols, i + 1),
                v.submatrix(i, 0, 1, i + 1),
                one,
                row.rb().transpose(),
                Par::Seq,
            )?;
            if i > 0 {
                gemv(
                    -one,
                    u.submatrix(i + 1, 0, ncols, i),
                    x.submatrix(i, 0, 1, i),
                    one,
                    row.rb().transpose(),
                    Par::Seq,
                )?;
            }
        }
        // (e) Right reflector.
        let alpha = a.get(i, i + 1);
        let refl = make_reflector(alpha, a.rb().submatrix(i, i + 2, 1, nr - i - 2));
        e[i] = refl.beta;
        taup[i] = refl.tau;
        ub[i * nr + i + 1] = one;
        for p in i + 2..nr {
            ub[i * nr + p] = a.get(i, p);
        }
        // (f) x = τp·(A₀[i+1.., i+1..]·u − V·(Yᵀu) − X·(Uᵀu)), rows i+1.. of X.
        {
            let (udone, ucur) = ub.split_at(i * nr);
            let u = view(&ucur[i + 1..nr], ncols, 1);
            let (xdone, xcur) = xb.split_at_mut(i * mr);
            let x = &mut xcur[i + 1..mr];
            let nrows = mr - i - 1;
            // Columns last to first: the `Aᵀ·v` pass before this one ended on the last
            // columns, which are still in cache, and the next one starts on the first.
            // Share k: its columns' part of the product, into x for the first share and
            // into a buffer of its own for the others, summed after.
            let asub = a.as_ref().submatrix(i + 1, i + 1, nrows, ncols);
            let ranges = team_ranges(ncols, team);
            let others = nrows * (ranges.len() - 1);
            let outs: Vec<Mutex<&mut [T]>> = core::iter::once(Mutex::new(&mut *x))
                .chain(partial[..others].chunks_mut(nrows.max(1)).map(Mutex::new))
                .collect();
            run_shares(team, ranges.len(), |k| {
                let r = ranges[k].clone();
                let mut out = outs[k].lock().expect("share of x");
                let ak = asub.submatrix(0, r.start, nrows, r.len()).reverse_cols();
                let uk = u.submatrix(r.start, 0, r.len(), 1).reverse_rows();
                Ok(gemv(refl.tau, ak, uk, zero, vecm(&mut out), Par::Seq)?)
            })?;
            drop(outs);
            for part in partial[..others].chunks(nrows.max(1)) {
                for (xi, &p) in x.iter_mut().zip(part) {
                    *xi += p;
                }
            }
            let vprev = view(&vb, mr, nb).submatrix(i + 1, 0, nrows, i + 1);
            let yprev = view(&yb, nr, nb).submatrix(i + 1, 0, ncols, i + 1);
            gemv(
                one,
                yprev.transpose(),
                u,
                zero,
                vecm(&mut t2[..i + 1]),
                Par::Seq,
            )?;
            gemv(
                -refl.tau,
                vprev,
                view(&t2[..i + 1], i + 1, 1),
                one,
                vecm(x),
                Par::Seq,
            )?;
            if i > 0 {
                let xprev = view(xdone, mr, i).submatrix(i + 1, 0, nrows, i);
                let uprev = view(udone, nr, i).submatrix(i + 1, 0, ncols, i);
                gemv(one, uprev.transpose(), u, zero, vecm(&mut t[..i]), Par::Seq)?;
                gemv(
                    -refl.tau,
                    xprev,
                    view(&t[..i], i, 1),
                    one,
                    vecm(x),
                    Par::Seq,
                )?;
            }
        }
    }
    // Trailing update A[nb.., nb..] −= V·Yᵀ + X·Uᵀ.
    let (rm, rn) = (mr - nb, nr - nb);
    let v = view(&vb, mr, nb).submatrix(nb, 0, rm, nb);
    let x = view(&xb, mr, nb).submatrix(nb, 0, rm, nb);
    let y = view(&yb, nr, nb).submatrix(nb, 0, rn, nb);
    let u = view(&ub, nr, nb).submatrix(nb, 0, rn, nb);
    let ranges = team_ranges(rn, team);
    let parts = split_cols(a.submatrix(nb, nb, rm, rn), &ranges);
    run_shares(team, ranges.len(), |k| {
        let r = ranges[k].clone();
        let mut part = parts[k].lock().expect("share of the update");
        let (yk, uk) = (
            y.submatrix(r.start, 0, r.len(), nb),
            u.submatrix(r.start, 0, r.len(), nb),
        );
        gemm(-one, v, yk.transpose(), one, part.rb(), Par::Seq)?;
        Ok(gemm(-one, x, uk.transpose(), one, part.rb(), Par::Seq)?)
    })
}

/// The unblocked reduction (GEMV + GER per reflector).
fn unblocked<T: Scalar>(
    mut a: MatMut<'_, T>,
    d: &mut [T],
    e: &mut [T],
    tauq: &mut [T],
    taup: &mut [T],
) -> Result<(), FactorError> {
    let (m, n) = a.shape();
    debug_assert!(m >= n);
    let mut work = Vec::new();
    for k in 0..n {
        // Left reflector on column k.
        let alpha = a.get(k, k);
        let refl = make_reflector(alpha, a.rb().submatrix(k + 1, k, m - k - 1, 1));
        d[k] = refl.beta;
        tauq[k] = refl.tau;
        if k + 1 < n {
            let (left, right) = a.rb().split_at_col(k + 1);
            apply_left(
                left.as_ref().submatrix(k + 1, k, m - k - 1, 1),
                refl.tau,
                right.submatrix(k, 0, m - k, n - k - 1),
                &mut work,
            )?;
        }
        a.write(k, k, refl.beta);
        if k + 1 >= n {
            break;
        }
        // Right reflector on row k.
        let alpha = a.get(k, k + 1);
        let refl = make_reflector(alpha, a.rb().submatrix(k, k + 2, 1, n - k - 2));
        e[k] = refl.beta;
        taup[k] = refl.tau;
        let (top, bottom) = a.rb().split_at_row(k + 1);
        apply_right(
            top.as_ref().submatrix(k, k + 2, 1, n - k - 2),
            refl.tau,
            bottom.submatrix(0, k + 1, m - k - 1, n - k - 1),
            &mut work,
        )?;
        a.write(k, k + 1, refl.beta);
    }
    Ok(())
}
