//! Reduction of a complex `m × n` matrix (`m ≥ n`) to a **real** upper bidiagonal `B`,
//! `A = Q·B·Pᴴ` with `Q`, `P` unitary (LAPACK `zgebrd`), and the back-transformations by
//! `Q` and `P`.
//!
//! Step `k` makes a left reflector `H_k` from column `k` (`H_kᴴ` zeroes `A[k+1.., k]` and
//! leaves a real `β`), applies `H_kᴴ` to the trailing columns, then makes a right reflector
//! `G_k` from the conjugate of row `k` (so `A[k, k+1..]·G_k = [β, 0, …]`, `β` real) and applies
//! it to the trailing rows. [`make_reflector`]'s real `β` is what makes `B` real, so the real
//! bidiagonal solvers finish the job. `Q = H₀⋯H_{n−1}` and `P = G₀⋯G_{n−2}`; the vectors of
//! `H_k` are stored below the diagonal (column `k`), those of `G_k` right of the
//! superdiagonal (row `k`, as a row, not conjugated).

use num_complex::Complex;

use super::block::{apply_block_left, block_t};
use super::householder::{apply_left, apply_right, make_reflector, scale};
use super::{CMat, CMatMut, CMatRef, Conj, gemm};
use crate::FactorError;
use lapis_kernels::{Par, Scalar, scal};

/// Conjugates a complex view in place (LAPACK `zlacgv`).
pub(crate) fn conjugate<T: Scalar>(mut x: CMatMut<'_, T>) {
    let (_, im) = x.planes();
    scal(-T::one(), im);
}

/// Bidiagonalizes `a` (`m × n`, `m ≥ n`) in place: the real diagonal into `d` (`n`), the real
/// superdiagonal into `e` (`n − 1`), the scales of `H_k` into `tauq` (`n`) and of `G_k` into
/// `taup` (`n − 1`). Panels of [`PANEL`] columns (LAPACK `zgebrd`) while more than
/// [`BLOCKED_ABOVE`] columns remain, then one reflector at a time.
pub(crate) fn bidiagonalize<T: Scalar>(
    mut a: CMatMut<'_, T>,
    d: &mut [T],
    e: &mut [T],
    tauq: &mut [Complex<T>],
    taup: &mut [Complex<T>],
    par: Par,
) -> Result<(), FactorError> {
    let (m, n) = a.shape();
    let mut j0 = 0;
    while n - j0 > BLOCKED_ABOVE {
        panel(
            a.rb().submatrix(j0, j0, m - j0, n - j0),
            &mut d[j0..],
            &mut e[j0..],
            &mut tauq[j0..],
            &mut taup[j0..],
            PANEL,
            par,
        )?;
        j0 += PANEL;
    }
    unblocked(
        a.submatrix(j0, j0, m - j0, n - j0),
        &mut d[j0..],
        &mut e[j0..],
        &mut tauq[j0..],
        &mut taup[j0..],
    )
}

/// Reflector pairs per panel of the blocked reduction.
const PANEL: usize = 16;
/// Trailing matrices with at most this many columns are reduced one reflector at a time.
const BLOCKED_ABOVE: usize = 64;

/// One panel of `nb < c` steps on the trailing `r × c` matrix `a` (`r ≥ c`; LAPACK `zlabrd`),
/// then the trailing update.
///
/// Applying `H_kᴴ` is `A −= u·yᴴ` with `y = τ·Aᴴu`, and applying `G_k` is `A −= x·vᴴ` with
/// `x = τ·A·v`, so after the panel's earlier steps the matrix is `A − U·Yᴴ − X·Vᴴ` (`U`, `X`
/// with `r` rows, `Y`, `V` with `c`, one column per step) while only the panel's own column
/// and row are written; the products with the current matrix are taken through that sum,
/// and the trailing block takes `−U·Yᴴ − X·Vᴴ` as two GEMMs at the end.
fn panel<T: Scalar>(
    mut a: CMatMut<'_, T>,
    d: &mut [T],
    e: &mut [T],
    tauq: &mut [Complex<T>],
    taup: &mut [Complex<T>],
    nb: usize,
    par: Par,
) -> Result<(), FactorError> {
    let (r, c) = a.shape();
    debug_assert!(r >= c && c > nb);
    let (zero, one) = (T::zero(), T::one());
    let unit = Complex::new(one, zero);
    let (mut ub, mut yb) = (CMat::zeros(r, nb), CMat::zeros(c, nb));
    let (mut xb, mut vb) = (CMat::zeros(r, nb), CMat::zeros(c, nb));
    let mut tmp = CMat::zeros(nb, 1);
    for i in 0..nb {
        // Column i of the current matrix (rows i..).
        if i > 0 {
            let mut col = a.rb().submatrix(i, i, r - i, 1);
            for (p, q) in [(&ub, &yb), (&xb, &vb)] {
                gemm(
                    -one,
                    p.as_ref().submatrix(i, 0, r - i, i),
                    Conj::No,
                    q.as_ref().submatrix(i, 0, 1, i).transpose(),
                    Conj::Yes,
                    one,
                    col.rb(),
                    par,
                )?;
            }
        }
        let alpha = a.get(i, i);
        let refl = make_reflector(alpha, a.rb().submatrix(i + 1, i, r - i - 1, 1));
        d[i] = refl.beta;
        tauq[i] = refl.tau;
        a.write(i, i, Complex::new(refl.beta, zero));
        {
            let mut um = ub.as_mut();
            um.write(i, i, unit);
            for p in i + 1..r {
                um.write(p, i, a.get(p, i));
            }
        }

        // y = τ·(A − U·Yᴴ − X·Vᴴ)ᴴ·u on columns i+1..
        {
            let u = ub.as_ref().submatrix(i, i, r - i, 1);
            let (ydone, yrest) = yb.as_mut().split_at_col(i);
            let ydone = ydone.into_ref();
            let mut y = yrest.submatrix(i + 1, 0, c - i - 1, 1);
            gemm(
                one,
                a.as_ref().submatrix(i, i + 1, r - i, c - i - 1).transpose(),
                Conj::Yes,
                u,
                Conj::No,
                zero,
                y.rb(),
                par,
            )?;
            if i > 0 {
                let mut t = tmp.as_mut().submatrix(0, 0, i, 1);
                for (p, q) in [(ub.as_ref(), ydone), (xb.as_ref(), vb.as_ref())] {
                    // t = P[i.., :i]ᴴ·u, y −= Q[i+1.., :i]·t
                    gemm(
                        one,
                        p.submatrix(i, 0, r - i, i).transpose(),
                        Conj::Yes,
                        u,
                        Conj::No,
                        zero,
                        t.rb(),
                        par,
                    )?;
                    gemm(
                        -one,
                        q.submatrix(i + 1, 0, c - i - 1, i),
                        Conj::No,
                        t.as_ref(),
                        Conj::No,
                        one,
                        y.rb(),
                        par,
                    )?;
                }
            }
            scale(refl.tau, y);
        }

        // Row i of the current matrix (columns i+1..), after H_i.
        {
            let mut row = a.rb().submatrix(i, i + 1, 1, c - i - 1);
            gemm(
                -one,
                ub.as_ref().submatrix(i, 0, 1, i + 1),
                Conj::No,
                yb.as_ref()
                    .submatrix(i + 1, 0, c - i - 1, i + 1)
                    .transpose(),
                Conj::Yes,
                one,
                row.rb(),
                par,
            )?;
            if i > 0 {
                gemm(
                    -one,
                    xb.as_ref().submatrix(i, 0, 1, i),
                    Conj::No,
                    vb.as_ref().submatrix(i + 1, 0, c - i - 1, i).transpose(),
                    Conj::Yes,
                    one,
                    row.rb(),
                    par,
                )?;
            }
            conjugate(row);
        }
        let alpha = a.get(i, i + 1);
        let refl = make_reflector(alpha, a.rb().submatrix(i, i + 2, 1, c - i - 2));
        e[i] = refl.beta;
        taup[i] = refl.tau;
        a.write(i, i + 1, Complex::new(refl.beta, zero));
        {
            let mut vm = vb.as_mut();
            vm.write(i + 1, i, unit);
            for p in i + 2..c {
                vm.write(p, i, a.get(i, p));
            }
        }

        // x = τ·(A − U·Yᴴ − X·Vᴴ)·v on rows i+1.., U and Y now including step i.
        {
            let v = vb.as_ref().submatrix(i + 1, i, c - i - 1, 1);
            let (xdone, xrest) = xb.as_mut().split_at_col(i);
            let xdone = xdone.into_ref();
            let mut x = xrest.submatrix(i + 1, 0, r - i - 1, 1);
            gemm(
                one,
                a.as_ref().submatrix(i + 1, i + 1, r - i - 1, c - i - 1),
                Conj::No,
                v,
                Conj::No,
                zero,
                x.rb(),
                par,
            )?;
            for (q, p, w) in [(yb.as_ref(), ub.as_ref(), i + 1), (vb.as_ref(), xdone, i)] {
                if w == 0 {
                    continue;
                }
                // t = Q[i+1.., :w]ᴴ·v, x −= P[i+1.., :w]·t
                let mut t = tmp.as_mut().submatrix(0, 0, w, 1);
                gemm(
                    one,
                    q.submatrix(i + 1, 0, c - i - 1, w).transpose(),
                    Conj::Yes,
                    v,
                    Conj::No,
                    zero,
                    t.rb(),
                    par,
                )?;
                gemm(
                    -one,
                    p.submatrix(i + 1, 0, r - i - 1, w),
                    Conj::No,
                    t.as_ref(),
                    Conj::No,
                    one,
                    x.rb(),
                    par,
                )?;
            }
            scale(refl.tau, x);
        }
    }
    // The trailing block: A −= U·Yᴴ + X·Vᴴ.
    let mut a22 = a.submatrix(nb, nb, r - nb, c - nb);
    for (p, q) in [(&ub, &yb), (&xb, &vb)] {
        gemm(
            -one,
            p.as_ref().submatrix(nb, 0, r - nb, nb),
            Conj::No,
            q.as_ref().submatrix(nb, 0, c - nb, nb).transpose(),
            Conj::Yes,
            one,
            a22.rb(),
            par,
        )?;
    }
    Ok(())
}

/// [`bidiagonalize`] one reflector at a time (LAPACK `zgebd2`).
fn unblocked<T: Scalar>(
    mut a: CMatMut<'_, T>,
    d: &mut [T],
    e: &mut [T],
    tauq: &mut [Complex<T>],
    taup: &mut [Complex<T>],
) -> Result<(), FactorError> {
    let (m, n) = a.shape();
    debug_assert!(m >= n && d.len() == n && tauq.len() == n);
    for k in 0..n {
        let alpha = a.get(k, k);
        let refl = make_reflector(alpha, a.rb().submatrix(k + 1, k, m - k - 1, 1));
        d[k] = refl.beta;
        tauq[k] = refl.tau;
        if k + 1 < n {
            let (left, right) = a.rb().split_at_col(k + 1);
            apply_left(
                left.into_ref().submatrix(k + 1, k, m - k - 1, 1),
                refl.tau.conj(),
                right.submatrix(k, 0, m - k, n - k - 1),
            )?;
        }
        a.write(k, k, Complex::new(refl.beta, T::zero()));
        if k + 1 >= n {
            break;
        }
        // The row is reduced through its conjugate: G_kᴴ·rowᴴ = [β; 0].
        conjugate(a.rb().submatrix(k, k + 1, 1, n - k - 1));
        let alpha = a.get(k, k + 1);
        let refl = make_reflector(alpha, a.rb().submatrix(k, k + 2, 1, n - k - 2));
        e[k] = refl.beta;
        taup[k] = refl.tau;
        let (top, bottom) = a.rb().split_at_row(k + 1);
        apply_right(
            top.into_ref().submatrix(k, k + 2, 1, n - k - 2),
            refl.tau,
            bottom.submatrix(0, k + 1, m - k - 1, n - k - 1),
        )?;
        a.write(k, k + 1, Complex::new(refl.beta, T::zero()));
    }
    Ok(())
}

/// Reflectors applied together as one compact WY block by the back-transformations: wide
/// enough that the three GEMMs of [`apply_block_left`] run near GEMM speed, narrow enough
/// that forming `T` (quadratic in the width) stays cheap.
const BLOCK: usize = 32;

/// `C ← Q·C` with `Q = H₀⋯H_{r−1}` from the reflectors stored below the diagonal of the first
/// `r = tau.len()` columns of `refl` (`m × ≥r`) and `C` with `m` rows (LAPACK `zunmqr`,
/// no transpose), by blocks of [`BLOCK`] reflectors, the last block first.
pub(crate) fn apply_q<T: Scalar>(
    refl: CMatRef<'_, T>,
    tau: &[Complex<T>],
    mut c: CMatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    let m = refl.nrows();
    let (r, nc) = (tau.len(), c.ncols());
    let mut end = r;
    while end > 0 {
        let start = end.saturating_sub(BLOCK);
        let kb = end - start;
        let v = refl.submatrix(start, start, m - start, kb);
        let mut t = CMat::zeros(kb, kb);
        block_t(v, &tau[start..end], t.as_mut(), par)?;
        apply_block_left(
            false,
            v,
            t.as_ref(),
            c.rb().submatrix(start, 0, m - start, nc),
            par,
        )?;
        end = start;
    }
    Ok(())
}

/// `C ← P·C` with `P = G₀⋯G_{n−2}` from the row reflectors of a bidiagonalized `n`-column
/// `refl` and `C` with `n` rows.
///
/// Transposed, the row vectors are columns: `G_k`'s vector sits in column `k` of
/// `reflᵀ[1.., ..]`, unit at its row `k`, tail below, which is [`apply_q`]'s layout acting
/// on `C[1.., :]`.
pub(crate) fn apply_p<T: Scalar>(
    refl: CMatRef<'_, T>,
    taup: &[Complex<T>],
    mut c: CMatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    let n = refl.ncols();
    if n < 2 {
        return Ok(());
    }
    let nc = c.ncols();
    apply_q(
        refl.transpose().submatrix(1, 0, n - 1, n - 1),
        &taup[..n - 1],
        c.rb().submatrix(1, 0, n - 1, nc),
        par,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::complex::test_util::sample;

    /// `max |Q·B·Pᴴ − A|` with the stored reflectors of `a0`'s reduction, `B` real.
    fn reconstruction_error(a0: &CMat<f64>) -> f64 {
        let (m, n) = a0.as_ref().shape();
        let mut a = a0.clone();
        let (mut d, mut e) = (vec![0.0; n], vec![0.0; n.saturating_sub(1)]);
        let zero = Complex::new(0.0, 0.0);
        let (mut tq, mut tp) = (vec![zero; n], vec![zero; n - 1]);
        bidiagonalize(a.as_mut(), &mut d, &mut e, &mut tq, &mut tp, Par::Seq).unwrap();
        // B·Pᴴ: (P·Bᵀ)ᴴ, then Q·(B·Pᴴ).
        let mut bt = CMat::zeros(n, n);
        for i in 0..n {
            bt.as_mut().write(i, i, Complex::new(d[i], 0.0));
            if i + 1 < n {
                bt.as_mut().write(i + 1, i, Complex::new(e[i], 0.0));
            }
        }
        apply_p(a.as_ref(), &tp, bt.as_mut(), Par::Seq).unwrap();
        let mut full = CMat::zeros(m, n);
        let id = CMat::identity(n);
        gemm(
            1.0,
            bt.as_ref().transpose(),
            Conj::Yes,
            id.as_ref(),
            Conj::No,
            0.0,
            full.as_mut().submatrix(0, 0, n, n),
            Par::Seq,
        )
        .unwrap();
        apply_q(a.as_ref(), &tq, full.as_mut(), Par::Seq).unwrap();
        let mut worst = 0.0f64;
        for i in 0..m {
            for j in 0..n {
                let diff = full.as_ref().get(i, j) - a0.as_ref().get(i, j);
                worst = worst.max(diff.norm());
            }
        }
        worst
    }

    /// The Frobenius norm of `a`.
    fn frobenius(a: &CMat<f64>) -> f64 {
        let sq: f64 = a.re_slice().iter().chain(a.im_slice()).map(|x| x * x).sum();
        sq.sqrt()
    }

    /// `Q·B·Pᴴ = A` on random inputs.
    #[test]
    fn reconstructs() {
        // 70 columns and more: several blocks of back-transformation, the last one partial;
        // over 64 columns, blocked panels ahead of the unblocked tail.
        for (m, n) in [
            (1, 1),
            (5, 5),
            (9, 4),
            (6, 1),
            (7, 2),
            (70, 70),
            (83, 70),
            (40, 33),
            (130, 100),
            (97, 97),
        ] {
            let a0 = sample(m, n, (m * 31 + n) as u64);
            let err = reconstruction_error(&a0);
            assert!(err < 1e-14 * (m * n) as f64, "{m}x{n}: {err}");
        }
    }

    /// The blocked panels on hard inputs: zero, rank one (zero reflectors after the first
    /// step), graded columns over 60 orders of magnitude, and tiny and huge scales;
    /// backward error within `m·n·ε·‖A‖_F`.
    #[test]
    fn blocked_hard_inputs() {
        let (m, n) = (110, 100);
        let base = sample(m, n, 7);
        let mut cases = vec![("zero", CMat::zeros(m, n))];
        let (x, y) = (sample(m, 1, 8), sample(n, 1, 9));
        let mut rank1 = CMat::zeros(m, n);
        let mut graded = base.clone();
        for j in 0..n {
            let g = 10f64.powf(-0.6 * j as f64);
            for i in 0..m {
                rank1
                    .as_mut()
                    .write(i, j, x.as_ref().get(i, 0) * y.as_ref().get(j, 0).conj());
                graded.as_mut().write(i, j, base.as_ref().get(i, j) * g);
            }
        }
        cases.push(("rank one", rank1));
        cases.push(("graded", graded));
        for scale in [1e-150, 1e150] {
            let mut s = base.clone();
            for j in 0..n {
                for i in 0..m {
                    s.as_mut().write(i, j, base.as_ref().get(i, j) * scale);
                }
            }
            cases.push(("scaled", s));
        }
        for (name, a0) in cases {
            let err = reconstruction_error(&a0);
            let tol = (m * n) as f64 * f64::EPSILON * frobenius(&a0);
            assert!(err <= tol, "{name}: {err} > {tol}");
        }
    }
}
