//! Reduction to upper Hessenberg form, `A = Q·H·Qᵀ` (LAPACK `gehrd`), and forming `Q` (`orghr`).
//!
//! Only the window `lo..hi` left by balancing is reduced: reflector `H_c` (for `c` in
//! `lo..hi − 1`) annihilates `A[c+2..hi, c]` and acts on rows and columns `c+1..hi`, so rows
//! `0..hi` are touched from the right and columns `c..n` from the left; the rest is already zero.
//! The reflectors are stored below the subdiagonal, so the window's `Q'` has the compact form of
//! a QR of `A[lo+1..hi, lo..hi−1]` and [`qr::form_q`](crate::qr::form_q) builds it.
//!
//! Blocked (LAPACK `lahr2`): a panel of `nb` reflectors is generated with the trailing matrix
//! left untouched, keeping `Y = A·V·T` so that `A·(I − V·T·Vᵀ) = A − Y·Vᵀ`; each panel column is
//! brought up to date by a GEMV with `Y` and the block reflector from the left, and each new
//! reflector costs one GEMV with the trailing matrix (the memory-bound half of the flops, as in
//! LAPACK). After the panel, `A ← (I − V·Tᵀ·Vᵀ)·(A − Y·Vᵀ)` is applied by GEMM (the other half).

use lapis_kernels::{Diag, MatMut, MatRef, Par, Scalar, Side, Uplo, gemm, gemv, trmm};

use crate::FactorError;
use crate::householder::{Trans, apply_block_left, apply_left, apply_right, make_reflector};

/// Reduces the window `lo..hi` of the column-major `n × n` `a` to Hessenberg form; reflector
/// `c` (for column `lo + c`) has its scale in `tau[c]` (`tau.len() = hi − lo − 1`). Panels of
/// `block` columns are used while more than `crossover` columns remain.
pub(crate) fn reduce<T: Scalar>(
    a: &mut [T],
    n: usize,
    lo: usize,
    hi: usize,
    tau: &mut [T],
    block: usize,
    crossover: usize,
    par: Par,
) -> Result<(), FactorError> {
    let mut c0 = lo;
    let block = block.max(1);
    // A panel of nb columns needs nb < hi − c0 − 1 (its last reflector must have a tail).
    while block > 1 && hi - c0 > crossover.max(block + 2) {
        panel(a, n, c0, hi, block, &mut tau[c0 - lo..], par)?;
        c0 += block;
    }
    let mut work = Vec::new();
    let mut am = MatMut::from_col_major(a, n, n).expect("n × n");
    for c in c0..hi.saturating_sub(1) {
        let refl = make_reflector(
            am.as_ref().get(c + 1, c),
            am.rb().submatrix(c + 2, c, hi - c - 2, 1),
        );
        am.write(c + 1, c, refl.beta);
        tau[c - lo] = refl.tau;
        let (left, mut right) = am.rb().split_at_col(c + 1);
        let v = left.into_ref().submatrix(c + 2, c, hi - c - 2, 1);
        apply_right(
            v,
            refl.tau,
            right.rb().submatrix(0, 0, hi, hi - c - 1),
            &mut work,
        )?;
        apply_left(
            v,
            refl.tau,
            right.submatrix(c + 1, 0, hi - c - 1, n - c - 1),
            &mut work,
        )?;
    }
    Ok(())
}

/// One panel: reflectors for columns `c0..c0+nb`, then the update of everything right of it.
fn panel<T: Scalar>(
    a: &mut [T],
    n: usize,
    c0: usize,
    hi: usize,
    nb: usize,
    tau: &mut [T],
    par: Par,
) -> Result<(), FactorError> {
    let (zero, one) = (T::zero(), T::one());
    // V, Y and T are dense column-major: V is m × nb over rows c0+1..hi (unit lower trapezoidal,
    // zeros above the ones), Y is hi × nb over rows 0..hi.
    let m = hi - c0 - 1;
    let mut vbuf = vec![zero; m * nb];
    let mut ybuf = vec![zero; hi * nb];
    let mut tbuf = vec![zero; nb * nb];
    let mut w = vec![zero; nb];
    for j in 0..nb {
        let c = c0 + j;
        let mut am = MatMut::from_col_major(&mut *a, n, n).expect("n × n");
        let vm = MatRef::from_col_major(&vbuf, m, nb).expect("workspace");
        let tm = MatRef::from_col_major(&tbuf, nb, nb).expect("workspace");
        if j > 0 {
            // Column c, rows c0+1..hi: the right update −Y·Vᵀ of the earlier reflectors, then
            // their block reflector from the left.
            let ym = MatRef::from_col_major(&ybuf, hi, nb).expect("workspace");
            let mut col = am.rb().submatrix(c0 + 1, c, m, 1);
            gemv(
                -one,
                ym.submatrix(c0 + 1, 0, m, j),
                vm.submatrix(j - 1, 0, 1, j).transpose(),
                one,
                col.rb(),
                par,
            )?;
            let mut wv = MatMut::from_col_major(&mut w[..j], j, 1).expect("vector");
            gemv(
                one,
                vm.submatrix(0, 0, m, j).transpose(),
                col.as_ref(),
                zero,
                wv.rb(),
                par,
            )?;
            trmm(
                Side::Left,
                Uplo::Lower,
                Diag::NonUnit,
                one,
                tm.submatrix(0, 0, j, j).transpose(),
                wv.rb(),
                par,
            )?;
            gemv(-one, vm.submatrix(0, 0, m, j), wv.as_ref(), one, col, par)?;
        }
        let refl = make_reflector(
            am.as_ref().get(c + 1, c),
            am.rb().submatrix(c + 2, c, hi - c - 2, 1),
        );
        am.write(c + 1, c, refl.beta);
        tau[j] = refl.tau;
        vbuf[j + j * m] = one;
        for r in c + 2..hi {
            vbuf[(r - c0 - 1) + j * m] = am.as_ref().get(r, c);
        }
        let vm = MatRef::from_col_major(&vbuf, m, nb).expect("workspace");
        let vj = vm.submatrix(j, j, m - j, 1);
        // Y[c0+1.., j] = τ·(A[c0+1..hi, c+1..hi]·v − Y_j·(V_jᵀ·v)); T[..j, j] = −τ·T_j·(V_jᵀ·v).
        let (ydone, yrest) = ybuf.split_at_mut(j * hi);
        let mut y = MatMut::from_col_major(&mut yrest[..hi], hi, 1)
            .expect("vector")
            .submatrix(c0 + 1, 0, m, 1);
        gemv(
            one,
            am.as_ref().submatrix(c0 + 1, c + 1, m, m - j),
            vj,
            zero,
            y.rb(),
            par,
        )?;
        if j > 0 {
            let mut wv = MatMut::from_col_major(&mut w[..j], j, 1).expect("vector");
            gemv(
                one,
                vm.submatrix(j, 0, m - j, j).transpose(),
                vj,
                zero,
                wv.rb(),
                par,
            )?;
            let yd = MatRef::from_col_major(ydone, hi, j).expect("workspace");
            gemv(
                -one,
                yd.submatrix(c0 + 1, 0, m, j),
                wv.as_ref(),
                one,
                y.rb(),
                par,
            )?;
            let (tdone, trest) = tbuf.split_at_mut(j * nb);
            let td = MatRef::from_col_major(tdone, nb, j).expect("workspace");
            let tcol = MatMut::from_col_major(&mut trest[..j], j, 1).expect("vector");
            let mut tcol = tcol;
            tcol.copy_from(wv.as_ref());
            trmm(
                Side::Left,
                Uplo::Upper,
                Diag::NonUnit,
                -refl.tau,
                td.submatrix(0, 0, j, j),
                tcol,
                par,
            )?;
        }
        lapis_kernels::scal(refl.tau, y);
        tbuf[j + j * nb] = refl.tau;
    }

    let mut am = MatMut::from_col_major(&mut *a, n, n).expect("n × n");
    let vm = MatRef::from_col_major(&vbuf, m, nb).expect("workspace");
    let tm = MatRef::from_col_major(&tbuf, nb, nb).expect("workspace");
    // The rows above the panel were not needed inside it: Y[0..c0+1] = A[0..c0+1, c0+1..hi]·V·T.
    let top = c0 + 1;
    {
        let mut yt = MatMut::from_col_major(&mut ybuf, hi, nb)
            .expect("workspace")
            .submatrix(0, 0, top, nb);
        gemm(
            one,
            am.as_ref().submatrix(0, c0 + 1, top, m),
            vm,
            zero,
            yt.rb(),
            par,
        )?;
        trmm(Side::Right, Uplo::Upper, Diag::NonUnit, one, tm, yt, par)?;
    }
    let ym = MatRef::from_col_major(&ybuf, hi, nb).expect("workspace");
    // Right update A ← A − Y·Vᵀ: every column c0+1..hi of the rows above the panel, and the
    // trailing columns c0+nb..hi of the rows below (the panel's own columns are done).
    gemm(
        -one,
        ym.submatrix(0, 0, top, nb),
        vm.transpose(),
        one,
        am.rb().submatrix(0, c0 + 1, top, m),
        par,
    )?;
    let rest = hi - c0 - nb;
    gemm(
        -one,
        ym.submatrix(top, 0, m, nb),
        vm.submatrix(nb - 1, 0, rest, nb).transpose(),
        one,
        am.rb().submatrix(top, c0 + nb, m, rest),
        par,
    )?;
    // Left update of the trailing columns (all of them, up to n) by (I − V·T·Vᵀ)ᵀ.
    let mut work = Vec::new();
    apply_block_left(
        Trans::Yes,
        vm,
        tm,
        am.submatrix(top, c0 + nb, m, n - c0 - nb),
        &mut work,
        par,
    )
}

/// `Q` of the reduction (`orghr`) into the column-major `n × n` `q`: the identity outside the
/// window, and the product of the reflectors stored in `a` inside it.
pub(crate) fn form_q<T: Scalar>(
    a: &[T],
    n: usize,
    lo: usize,
    hi: usize,
    tau: &[T],
    q: &mut [T],
    par: Par,
) -> Result<(), FactorError> {
    q.fill(T::zero());
    for i in 0..n {
        q[i + i * n] = T::one();
    }
    if hi > lo + 1 {
        let k = hi - lo - 1;
        let refl = MatRef::from_col_major(a, n, n)
            .expect("n × n")
            .submatrix(lo + 1, lo, k, k);
        let qm = MatMut::from_col_major(q, n, n).expect("n × n");
        crate::qr::form_q(refl, tau, qm.submatrix(lo + 1, lo + 1, k, k), par)?;
    }
    Ok(())
}
