//! Reduction of a Hermitian matrix to **real** symmetric tridiagonal form, `A = Q·T·Qᴴ`
//! (LAPACK `zhetrd`, lower, blocked as `zlatrd`).
//!
//! Step `i` makes the reflector `H_i` with `H_iᴴ·A[i+1.., i] = [β; 0]`, `β` real (zlarfg),
//! and applies it from both sides to the trailing block: with `p = τ·A₂₂·v` and
//! `w = p − (τ/2)·(pᴴv)·v`, `H_iᴴ·A₂₂·H_i = A₂₂ − v·wᴴ − w·vᴴ`. The real `β` is what makes
//! the off-diagonal of `T` real, and `T`'s diagonal is real because `A`'s is.
//!
//! Blocked: a panel of `nb` reflectors is generated against the trailing matrix as it would be
//! after the panel's earlier reflectors, `A₂₂ − V·Wᴴ − W·Vᴴ`, without updating it; the column
//! about to be reduced and each `A₂₂·v` are corrected with `V`, `W`, and after the panel the
//! trailing matrix takes the whole rank-`2·nb` update, on its lower triangle by column blocks
//! (the flops of a one-triangle `her2k`), mirrored into the upper triangle afterwards so
//! that `A₂₂·v` stays a plain complex GEMV on the real kernels.

use lapis_kernels::{Par, Scalar};
use num_complex::Complex;

use super::householder::{make_reflector, scale};
use super::{CMat, CMatMut, Conj, gemm};
use crate::FactorError;

/// Reflectors per panel.
const PANEL: usize = 32;
/// Columns per block of the trailing update's lower triangle.
const HER2K_BLOCK: usize = 64;

/// Reduces the Hermitian `a` (`n × n`, both triangles valid and exactly conjugate, real
/// diagonal) to tridiagonal `T` (diagonal `d`, length `n`; real off-diagonal `e`, length
/// `n − 1`), with the reflector tails left below the subdiagonal of `a` and their scales in
/// `tau` (length `n − 1`), so that `Q = diag(1, Q')` with `Q'` the compact QR form of
/// `a[1.., ..n−1]`.
pub(crate) fn tridiagonalize<T: Scalar>(
    mut a: CMatMut<'_, T>,
    d: &mut [T],
    e: &mut [T],
    tau: &mut [Complex<T>],
    par: Par,
) -> Result<(), FactorError> {
    let n = a.nrows();
    if n == 0 {
        return Ok(());
    }
    let mut j0 = 0;
    while n - j0 > 1 {
        let r = n - j0;
        let nb = PANEL.min(r - 1);
        panel(
            a.rb().submatrix(j0, j0, r, r),
            &mut d[j0..],
            &mut e[j0..],
            &mut tau[j0..],
            nb,
            par,
        )?;
        j0 += nb;
    }
    d[n - 1] = a.get(n - 1, n - 1).re;
    Ok(())
}

/// One panel of `nb ≤ r − 1` columns of the trailing `r × r` matrix `a`: reflectors, `d`, `e`,
/// `tau` of those columns, then the rank-`2·nb` update of `a[nb.., nb..]`.
fn panel<T: Scalar>(
    mut a: CMatMut<'_, T>,
    d: &mut [T],
    e: &mut [T],
    tau: &mut [Complex<T>],
    nb: usize,
    par: Par,
) -> Result<(), FactorError> {
    let r = a.nrows();
    let (zero, one) = (T::zero(), T::one());
    let half = one / (one + one);
    let czero = Complex::new(zero, zero);
    let mut vbuf = CMat::zeros(r, nb);
    let mut wbuf = CMat::zeros(r, nb);
    let mut tmp = CMat::zeros(nb, 1);
    for i in 0..nb {
        let len = r - i - 1;
        if i > 0 {
            // a[i.., i] −= V[i.., ..i]·W[i, ..i]ᴴ + W[i.., ..i]·V[i, ..i]ᴴ
            let (vp, wp) = (vbuf.as_ref(), wbuf.as_ref());
            let col = a.rb().submatrix(i, i, r - i, 1);
            let mut col = col;
            gemm(
                -one,
                vp.submatrix(i, 0, r - i, i),
                Conj::No,
                wp.submatrix(i, 0, 1, i).transpose(),
                Conj::Yes,
                one,
                col.rb(),
                par,
            )?;
            gemm(
                -one,
                wp.submatrix(i, 0, r - i, i),
                Conj::No,
                vp.submatrix(i, 0, 1, i).transpose(),
                Conj::Yes,
                one,
                col.rb(),
                par,
            )?;
        }
        d[i] = a.get(i, i).re;
        let alpha = a.get(i + 1, i);
        let refl = make_reflector(alpha, a.rb().submatrix(i + 2, i, len - 1, 1));
        e[i] = refl.beta;
        tau[i] = refl.tau;
        // V[i+1.., i] = [1; v_tail]
        {
            let mut vm = vbuf.as_mut();
            vm.write(i + 1, i, Complex::new(one, zero));
            for p in 1..len {
                vm.write(i + 1 + p, i, a.get(i + 1 + p, i));
            }
        }
        if refl.tau == czero {
            continue;
        }
        // w = τ·(A₂₂ − V·Wᴴ − W·Vᴴ)·v on rows i+1.., then w −= (τ/2)·(wᴴv)·v.
        let (vdone, vrest) = vbuf.as_mut().split_at_col(i);
        let v = vrest.into_ref().submatrix(i + 1, 0, len, 1);
        let vdone = vdone.into_ref().submatrix(i + 1, 0, len, i);
        let (wdone, wrest) = wbuf.as_mut().split_at_col(i);
        let mut w = wrest.submatrix(i + 1, 0, len, 1);
        let wdone = wdone.into_ref().submatrix(i + 1, 0, len, i);
        // A₂₂ is exactly Hermitian (mirrored after each update), so A₂₂·v = conj(A₂₂ᵀ)·v,
        // which the real kernels take as dot products down contiguous columns.
        gemm(
            one,
            a.as_ref().submatrix(i + 1, i + 1, len, len).transpose(),
            Conj::Yes,
            v,
            Conj::No,
            zero,
            w.rb(),
            par,
        )?;
        if i > 0 {
            let mut t = tmp.as_mut().submatrix(0, 0, i, 1);
            for (x, y) in [(wdone, vdone), (vdone, wdone)] {
                // t = xᴴ·v, w −= y·t
                gemm(
                    one,
                    x.transpose(),
                    Conj::Yes,
                    v,
                    Conj::No,
                    zero,
                    t.rb(),
                    par,
                )?;
                gemm(-one, y, Conj::No, t.as_ref(), Conj::No, one, w.rb(), par)?;
            }
        }
        scale(refl.tau, w.rb());
        let mut wv = czero;
        for p in 0..len {
            wv += w.get(p, 0).conj() * v.get(p, 0);
        }
        let c = -(refl.tau * wv) * half;
        for p in 0..len {
            let z = w.get(p, 0) + c * v.get(p, 0);
            w.write(p, 0, z);
        }
    }
    // a[nb.., nb..] −= V·Wᴴ + W·Vᴴ on the lower triangle only, by column blocks (a `her2k`
    // from GEMMs: each block's square diagonal part is the only upper work), then the
    // strictly upper triangle is rewritten as the conjugate of the lower, which keeps the
    // next panel's `A₂₂·v` one plain GEMV and the matrix exactly Hermitian, and the diagonal
    // is made exactly real (the two products' rounding leaves an imaginary part of order ε).
    let rest = r - nb;
    let vp = vbuf.as_ref().submatrix(nb, 0, rest, nb);
    let wp = wbuf.as_ref().submatrix(nb, 0, rest, nb);
    let mut a22 = a.submatrix(nb, nb, rest, rest);
    let mut j = 0;
    while j < rest {
        let c = HER2K_BLOCK.min(rest - j);
        let mut blk = a22.rb().submatrix(j, j, rest - j, c);
        let (vrows, wrows) = (
            vp.submatrix(j, 0, rest - j, nb),
            wp.submatrix(j, 0, rest - j, nb),
        );
        let (vcols, wcols) = (vp.submatrix(j, 0, c, nb), wp.submatrix(j, 0, c, nb));
        gemm(
            -one,
            vrows,
            Conj::No,
            wcols.transpose(),
            Conj::Yes,
            one,
            blk.rb(),
            par,
        )?;
        gemm(
            -one,
            wrows,
            Conj::No,
            vcols.transpose(),
            Conj::Yes,
            one,
            blk.rb(),
            par,
        )?;
        j += c;
    }
    for q in 0..rest {
        let z = a22.get(q, q);
        a22.write(q, q, Complex::new(z.re, zero));
        for p in q + 1..rest {
            let z = a22.get(p, q);
            a22.write(q, p, z.conj());
        }
    }
    Ok(())
}
