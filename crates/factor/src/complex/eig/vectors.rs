//! Right eigenvectors of a complex upper triangular `T`, back-transformed by `Z` (LAPACK
//! `ztrevc3`, side `'R'`, `howmny = 'B'`).
//!
//! For the eigenvalue `λ = T[k, k]` the vector is `x = [x₁; 1; 0]` with `x₁` the solution of
//! the upper triangular `(T₁₁ − λI)·x₁ = −T[..k, k]`, by back substitution. A diagonal
//! difference `T[j, j] − λ` within `smin = max(ulp·|λ|, smlnum)` of zero (a repeated or
//! defective eigenvalue) is raised to `smin`, as LAPACK does, and every step scales the whole
//! vector down when the next division or update could overflow, so the result is finite for
//! every finite `T`. Each vector is scaled to max-norm 1 (in `|re| + |im|`) and `V = Z·X` is
//! formed by complex GEMM, a block of columns at a time against only the rows of the
//! triangular `X` that can be nonzero.

use lapis_kernels::{Par, Scalar};
use num_complex::Complex;

use super::Planes;
use crate::FactorError;
use crate::complex::{CMatRef, Conj, abs1, div, gemm};

/// Columns of `X` multiplied by `Z` at once.
const BACK_BLOCK: usize = 64;

/// `v ← Z·X` with `X` the eigenvectors of the upper triangular `t` (each of max-norm 1).
pub(super) fn right_eigenvectors<T: Scalar>(
    t: &Planes<'_, T>,
    z: &mut Planes<'_, T>,
    v: &mut Planes<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    let n = t.n;
    let (mut xre, mut xim) = (vec![T::zero(); n * n], vec![T::zero(); n * n]);
    let mut x = Planes {
        re: &mut xre,
        im: &mut xim,
        n,
    };
    triangular_vectors(t, &mut x);
    let xm = x.view().into_ref();
    let zm: CMatRef<'_, T> = z.view().into_ref();
    let mut vm = v.view();
    let mut j0 = 0;
    while j0 < n {
        let j1 = (j0 + BACK_BLOCK).min(n);
        gemm(
            T::one(),
            zm.submatrix(0, 0, n, j1),
            Conj::No,
            xm.submatrix(0, j0, j1, j1 - j0),
            Conj::No,
            T::zero(),
            vm.rb().submatrix(0, j0, n, j1 - j0),
            par,
        )?;
        j0 = j1;
    }
    Ok(())
}

/// The eigenvectors of `t` itself into the zeroed `x` (column `k` for `t[k, k]`, zero below
/// row `k`).
fn triangular_vectors<T: Scalar>(t: &Planes<'_, T>, x: &mut Planes<'_, T>) {
    let n = t.n;
    let (zero, one) = (T::zero(), T::one());
    let czero = Complex::new(zero, zero);
    let ulp = T::EPS;
    let smlnum = T::MIN_POSITIVE * (T::from_f64(n as f64) / ulp);
    let bignum = (one - ulp) / smlnum;
    // |re| + |im| norms of the strictly upper part of each column: how much an entry of x
    // can grow the right-hand side in one update.
    let cnorm: Vec<T> = (0..n)
        .map(|j| (0..j).map(|i| abs1(t.get(i, j))).sum())
        .collect();
    let mut work = vec![czero; n];
    for k in (0..n).rev() {
        let lambda = t.get(k, k);
        let smin = (ulp * abs1(lambda)).max(smlnum);
        work[k] = Complex::new(one, zero);
        for (i, wi) in work.iter_mut().enumerate().take(k) {
            *wi = -t.get(i, k);
        }
        // Rows `0..=k` of `work` share one scale: a rescale multiplies all of them.
        let rescale = |work: &mut [Complex<T>], s: T| {
            for wi in &mut work[..=k] {
                *wi *= s;
            }
        };
        for j in (0..k).rev() {
            let mut d = t.get(j, j) - lambda;
            if abs1(d) < smin {
                d = Complex::new(smin, zero);
            }
            let (dn, bn) = (abs1(d), abs1(work[j]));
            // x_j = b_j/d must stay below bignum …
            if dn < one && bn > one && bn > bignum * dn {
                rescale(&mut work, one / bn);
            }
            let mut xj = div(work[j], d);
            // … and so must the update of the rows above by x_j·T[..j, j].
            let xn = abs1(xj);
            if xn > one && cnorm[j] > bignum / xn {
                let s = one / xn;
                rescale(&mut work, s);
                xj *= s;
            }
            work[j] = xj;
            if xj != czero {
                for (i, wi) in work.iter_mut().enumerate().take(j) {
                    *wi -= xj * t.get(i, j);
                }
            }
        }
        let emax = work[..=k].iter().fold(zero, |m, z| m.max(abs1(*z)));
        let s = if emax > zero { one / emax } else { one };
        for (i, wi) in work.iter().enumerate().take(k + 1) {
            x.set(i, k, *wi * s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(T − λ_k)·x_k = 0` for a triangular `T` with a repeated diagonal entry and a tiny
    /// diagonal difference, and each vector of max-norm 1.
    #[test]
    fn triangular_eigenvectors() {
        let n = 5;
        let mut re = vec![0.0f64; n * n];
        let mut im = vec![0.0f64; n * n];
        let diag = [
            Complex::new(1.0, 1.0),
            Complex::new(2.0, 0.0),
            Complex::new(1.0, 1.0),
            Complex::new(1.0 + 1e-17, 1.0),
            Complex::new(-3.0, 0.5),
        ];
        for j in 0..n {
            for i in 0..j {
                re[i + j * n] = 0.3 * (i as f64 + 1.0) - 0.1 * j as f64;
                im[i + j * n] = 0.2 * (j as f64) - 0.25;
            }
            re[j + j * n] = diag[j].re;
            im[j + j * n] = diag[j].im;
        }
        let t = Planes {
            re: &mut re,
            im: &mut im,
            n,
        };
        let (mut xr, mut xi) = (vec![0.0; n * n], vec![0.0; n * n]);
        let mut x = Planes {
            re: &mut xr,
            im: &mut xi,
            n,
        };
        triangular_vectors(&t, &mut x);
        for k in 0..n {
            let emax = (0..n).fold(0.0f64, |m, i| m.max(abs1(x.get(i, k))));
            assert!((emax - 1.0).abs() < 1e-15, "{k}");
            let tnorm = 10.0;
            for i in 0..n {
                let mut r = -diag[k] * x.get(i, k);
                for j in 0..n {
                    r += t.get(i, j) * x.get(j, k);
                }
                // The perturbation of a diagonal difference to smin ≈ ulp·|λ| is the
                // residual LAPACK accepts: of order ulp·‖T‖.
                assert!(r.norm() < 8.0 * f64::EPSILON * tnorm, "{k} {i}: {r}");
            }
        }
    }
}
