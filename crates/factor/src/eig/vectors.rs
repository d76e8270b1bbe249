//! Right eigenvectors of a real Schur form `T`, back-transformed by `Z` (LAPACK `trevc3`, side
//! `'R'`, `howmny = 'B'`).
//!
//! For the eigenvalue `λ` at `T[k, k]` (or the pair of the 2 × 2 block ending at row `k`), the
//! vector is `x = [x₁; x₂; 0]` with `x₂` the eigenvector of the diagonal block and `x₁` the
//! solution of the upper quasi-triangular `(T₁₁ − λ)·x₁ = −T₁₂·x₂`, by back substitution one
//! diagonal block at a time (1 × 1 or 2 × 2, in complex arithmetic for a complex `λ`). A
//! diagonal block within `smin = max(ulp·|λ|, smlnum)` of singular (a repeated or defective
//! eigenvalue) is perturbed to `smin`, and every step scales the whole vector down when the
//! next update could overflow, as LAPACK does, so the result is finite for every finite `T`.
//! Each vector is normalized to max-norm 1 and `V = Z·X` formed by GEMM, a block of columns at a
//! time against only the rows of `X` that can be nonzero.

use lapis_kernels::{MatMut, MatRef, Par, Scalar, gemm};

use crate::FactorError;

/// Columns of `X` multiplied by `Z` at once.
const BACK_BLOCK: usize = 64;

/// A complex number for the small solves.
#[derive(Copy, Clone, Debug, PartialEq)]
struct C<T> {
    re: T,
    im: T,
}

impl<T: Scalar> C<T> {
    fn new(re: T, im: T) -> Self {
        C { re, im }
    }
    /// `|re| + |im|`, the norm LAPACK's small solvers measure with.
    fn abs1(self) -> T {
        self.re.abs() + self.im.abs()
    }
    fn scale(self, s: T) -> Self {
        C::new(self.re * s, self.im * s)
    }
    fn sub(self, o: Self) -> Self {
        C::new(self.re - o.re, self.im - o.im)
    }
    fn mul(self, o: Self) -> Self {
        C::new(
            self.re * o.re - self.im * o.im,
            self.re * o.im + self.im * o.re,
        )
    }
    /// `self / o` by Smith's algorithm (no squares of the operands are formed).
    fn div(self, o: Self) -> Self {
        if o.im == T::zero() {
            return C::new(self.re / o.re, self.im / o.re);
        }
        if o.re.abs() >= o.im.abs() {
            let r = o.im / o.re;
            let d = o.re + o.im * r;
            C::new((self.re + self.im * r) / d, (self.im - self.re * r) / d)
        } else {
            let r = o.re / o.im;
            let d = o.im + o.re * r;
            C::new((self.re * r + self.im) / d, (self.im * r - self.re) / d)
        }
    }
}

/// The limits of the overflow protection.
struct Limits<T> {
    smin: T,
    bignum: T,
}

/// `(x, scale, ‖x‖)` with `(t − λ)·x = scale·b` for a 1 × 1 block `t`; `scale ≤ 1` keeps `x`
/// representable, and `|t − λ|` is raised to `smin` when below it.
fn solve1<T: Scalar>(t: T, lambda: C<T>, b: C<T>, lim: &Limits<T>) -> (C<T>, T, T) {
    let mut c = C::new(t - lambda.re, -lambda.im);
    if c.abs1() < lim.smin {
        c = C::new(lim.smin, T::zero());
    }
    let cnorm = c.abs1();
    let bnorm = b.abs1();
    let one = T::one();
    let mut scale = one;
    if cnorm < one && bnorm > one && bnorm > lim.bignum * cnorm {
        scale = one / bnorm;
    }
    let x = b.scale(scale).div(c);
    (x, scale, x.abs1())
}

/// `(x, scale, ‖x‖∞)` with `(B − λ)·x = scale·b` for a 2 × 2 block `B = [[t00, t01], [t10,
/// t11]]`, by Gaussian elimination with complete pivoting; a pivot below `smin` is raised to it.
fn solve2<T: Scalar>(
    t: [[T; 2]; 2],
    lambda: C<T>,
    b: [C<T>; 2],
    lim: &Limits<T>,
) -> ([C<T>; 2], T, T) {
    let one = T::one();
    let zero = T::zero();
    let mut m = [[C::new(zero, zero); 2]; 2];
    for (r, row) in m.iter_mut().enumerate() {
        for (c, e) in row.iter_mut().enumerate() {
            *e = C::new(t[r][c], zero);
        }
        row[r] = row[r].sub(lambda);
    }
    // Complete pivoting: the largest entry goes to (0, 0).
    let (mut pr, mut pc, mut cmax) = (0, 0, zero);
    for (r, row) in m.iter().enumerate() {
        for (c, e) in row.iter().enumerate() {
            if e.abs1() > cmax {
                (pr, pc, cmax) = (r, c, e.abs1());
            }
        }
    }
    if cmax < lim.smin {
        // The whole block is negligible: solve with smin·I.
        let bnorm = b[0].abs1().max(b[1].abs1());
        let mut scale = one;
        if lim.smin < one && bnorm > one && bnorm > lim.bignum * lim.smin {
            scale = one / bnorm;
        }
        let s = scale / lim.smin;
        let x = [b[0].scale(s), b[1].scale(s)];
        return (x, scale, x[0].abs1().max(x[1].abs1()));
    }
    let (qr, qc) = (1 - pr, 1 - pc);
    let u11 = m[pr][pc];
    let u12 = m[pr][qc];
    let l21 = m[qr][pc].div(u11);
    let mut u22 = m[qr][qc].sub(l21.mul(u12));
    if u22.abs1() < lim.smin {
        u22 = C::new(lim.smin, zero);
    }
    let b1 = b[pr];
    let b2 = b[qr].sub(l21.mul(b1));
    // x₂ = b₂/u₂₂ and x₁ ≈ b₁/u₁₁ must not overflow.
    let u22n = u22.abs1();
    let bbnd = (b1.abs1() * (u22n / u11.abs1())).max(b2.abs1());
    let mut scale = one;
    if bbnd > one && u22n < one && bbnd >= lim.bignum * u22n {
        scale = one / bbnd;
    }
    let x2 = b2.scale(scale).div(u22);
    let x1 = b1.scale(scale).sub(u12.mul(x2)).div(u11);
    let mut x = [C::new(zero, zero); 2];
    x[pc] = x1;
    x[qc] = x2;
    let mut xnorm = x[0].abs1().max(x[1].abs1());
    // ‖B‖·‖x‖ must not overflow either (it feeds the next update).
    if xnorm > one && cmax > one && xnorm > lim.bignum / cmax {
        let f = cmax / lim.bignum;
        x = [x[0].scale(f), x[1].scale(f)];
        xnorm *= f;
        scale *= f;
    }
    (x, scale, xnorm)
}

/// The right eigenvectors of the column-major `n × n` quasi-triangular `t` (standardized 2 × 2
/// blocks), times `z`, into the column-major `n × n` `v`: LAPACK's packed real form (a pair's
/// real part in its first column, imaginary part in its second), each column (pair) scaled to
/// max-norm 1 before the product with `z`.
pub(crate) fn right_eigenvectors<T: Scalar>(
    t: &[T],
    n: usize,
    z: &[T],
    v: &mut [T],
    par: Par,
) -> Result<(), FactorError> {
    let mut x = vec![T::zero(); n * n];
    triangular_vectors(t, n, &mut x);
    // V = Z·X: the columns j0..j1 of X are zero below row j1 (j1 + 1 for a pair split by the
    // block edge).
    let zm = MatRef::from_col_major(z, n, n).expect("n × n");
    let xm = MatRef::from_col_major(&x, n, n).expect("n × n");
    let mut vm = MatMut::from_col_major(v, n, n).expect("n × n");
    let mut j0 = 0;
    while j0 < n {
        let j1 = (j0 + BACK_BLOCK).min(n);
        let rows = (j1 + 1).min(n);
        gemm(
            T::one(),
            zm.submatrix(0, 0, n, rows),
            xm.submatrix(0, j0, rows, j1 - j0),
            T::zero(),
            vm.rb().submatrix(0, j0, n, j1 - j0),
            par,
        )?;
        j0 = j1;
    }
    Ok(())
}

/// The eigenvectors of `t` itself into the zeroed column-major `n × n` `x`.
fn triangular_vectors<T: Scalar>(t: &[T], n: usize, x: &mut [T]) {
    let (zero, one) = (T::zero(), T::one());
    let at = |i: usize, j: usize| i + j * n;
    let ulp = T::EPS;
    let smlnum = T::MIN_POSITIVE * (T::from_f64(n as f64) / ulp);
    let bignum = (one - ulp) / smlnum;
    // 1-norms of the strictly upper part of each column: how much an entry of x can grow an
    // update.
    let cnorm: Vec<T> = (0..n)
        .map(|j| (0..j).map(|i| t[at(i, j)].abs()).sum())
        .collect();
    let mut re = vec![zero; n];
    let mut im = vec![zero; n];

    let mut end = n;
    while end > 0 {
        let ki = end - 1;
        let pair = ki > 0 && t[at(ki, ki - 1)] != zero;
        re.fill(zero);
        im.fill(zero);
        let (first, lambda) = if !pair {
            let wr = t[at(ki, ki)];
            re[ki] = one;
            for k in 0..ki {
                re[k] = -t[at(k, ki)];
            }
            (ki, C::new(wr, zero))
        } else {
            let k0 = ki - 1;
            let wr = t[at(ki, ki)];
            let (b, c) = (t[at(k0, ki)], t[at(ki, k0)]);
            let wi = b.abs().sqrt() * c.abs().sqrt();
            // The eigenvector of [[wr, b], [c, wr]] for wr + i·wi, formed from the larger of b, c.
            if b.abs() >= c.abs() {
                re[k0] = one;
                im[ki] = wi / b;
            } else {
                re[k0] = -wi / c;
                im[ki] = one;
            }
            for k in 0..k0 {
                re[k] = -re[k0] * t[at(k, k0)];
                im[k] = -im[ki] * t[at(k, ki)];
            }
            (k0, C::new(wr, wi))
        };
        let lim = Limits {
            smin: (ulp * lambda.abs1()).max(smlnum),
            bignum,
        };
        back_substitute(t, n, first, ki, lambda, &cnorm, &lim, &mut re, &mut im);

        // Max-norm 1, then into X.
        let emax = (0..=ki).fold(zero, |m, r| m.max(re[r].abs() + im[r].abs()));
        let s = if emax > zero { one / emax } else { one };
        if pair {
            for r in 0..=ki {
                x[at(r, ki - 1)] = re[r] * s;
                x[at(r, ki)] = im[r] * s;
            }
            end -= 2;
        } else {
            for r in 0..=ki {
                x[at(r, ki)] = re[r] * s;
            }
            end -= 1;
        }
    }
}

/// Solves `(T[..first, ..first] − λ)·x = rhs` in place in `(re, im)` (rows `0..first`), upwards
/// one diagonal block at a time, scaling all of rows `0..=last` whenever a step would overflow.
#[allow(clippy::too_many_arguments)]
fn back_substitute<T: Scalar>(
    t: &[T],
    n: usize,
    first: usize,
    last: usize,
    lambda: C<T>,
    cnorm: &[T],
    lim: &Limits<T>,
    re: &mut [T],
    im: &mut [T],
) {
    let one = T::one();
    let at = |i: usize, j: usize| i + j * n;
    let rescale = |re: &mut [T], im: &mut [T], s: T| {
        for v in re[..=last].iter_mut().chain(im[..=last].iter_mut()) {
            *v *= s;
        }
    };
    let mut j = first;
    while j > 0 {
        let j1 = j - 1;
        if j1 > 0 && t[at(j1, j1 - 1)] != T::zero() {
            // A 2 × 2 block at rows j0 = j1 − 1, j1.
            let j0 = j1 - 1;
            let blk = [
                [t[at(j0, j0)], t[at(j0, j1)]],
                [t[at(j1, j0)], t[at(j1, j1)]],
            ];
            let rhs = [C::new(re[j0], im[j0]), C::new(re[j1], im[j1])];
            let (mut sol, mut scale, xnorm) = solve2(blk, lambda, rhs, lim);
            let grow = cnorm[j0].max(cnorm[j1]);
            if xnorm > one && grow > lim.bignum / xnorm {
                let f = one / xnorm;
                sol = [sol[0].scale(f), sol[1].scale(f)];
                scale *= f;
            }
            if scale != one {
                rescale(re, im, scale);
            }
            (re[j0], im[j0], re[j1], im[j1]) = (sol[0].re, sol[0].im, sol[1].re, sol[1].im);
            update(t, n, j0, j0, sol[0], re, im);
            update(t, n, j0, j1, sol[1], re, im);
            j = j0;
        } else {
            let (mut sol, mut scale, xnorm) =
                solve1(t[at(j1, j1)], lambda, C::new(re[j1], im[j1]), lim);
            if xnorm > one && cnorm[j1] > lim.bignum / xnorm {
                let f = one / xnorm;
                sol = sol.scale(f);
                scale *= f;
            }
            if scale != one {
                rescale(re, im, scale);
            }
            (re[j1], im[j1]) = (sol.re, sol.im);
            update(t, n, j1, j1, sol, re, im);
            j = j1;
        }
    }
}

/// `x[..rows] −= s·T[..rows, col]` for the real and imaginary parts.
fn update<T: Scalar>(
    t: &[T],
    n: usize,
    rows: usize,
    col: usize,
    s: C<T>,
    re: &mut [T],
    im: &mut [T],
) {
    let tc = &t[col * n..col * n + rows];
    if s.re != T::zero() {
        for (r, &tv) in re[..rows].iter_mut().zip(tc) {
            *r -= s.re * tv;
        }
    }
    if s.im != T::zero() {
        for (r, &tv) in im[..rows].iter_mut().zip(tc) {
            *r -= s.im * tv;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_solves() {
        let lim = Limits {
            smin: 1e-300,
            bignum: 1e290,
        };
        // (3 − (1 + 2i))·x = 4 + 2i → x = (4 + 2i)/(2 − 2i) = 0.5 + 1.5i
        let (x, s, _) = solve1(3.0f64, C::new(1.0, 2.0), C::new(4.0, 2.0), &lim);
        assert_eq!(s, 1.0);
        assert!((x.re - 0.5).abs() < 1e-15 && (x.im - 1.5).abs() < 1e-15);
        // [[1, 2], [3, 4]] − 0 against b = (5, 6): x = (−4, 4.5)
        let (x, s, _) = solve2(
            [[1.0f64, 2.0], [3.0, 4.0]],
            C::new(0.0, 0.0),
            [C::new(5.0, 0.0), C::new(6.0, 0.0)],
            &lim,
        );
        assert_eq!(s, 1.0);
        assert!((x[0].re + 4.0).abs() < 1e-14 && (x[1].re - 4.5).abs() < 1e-14);
        // A complex shift: check (B − λ)x = b by substitution.
        let bm = [[2.0f64, -1.0], [0.5, 3.0]];
        let lam = C::new(0.3, 1.1);
        let rhs = [C::new(1.0, -2.0), C::new(0.5, 0.25)];
        let (x, s, _) = solve2(bm, lam, rhs, &lim);
        for r in 0..2 {
            let mut acc = C::new(0.0, 0.0);
            for c in 0..2 {
                let e = if r == c {
                    C::new(bm[r][c], 0.0).sub(lam)
                } else {
                    C::new(bm[r][c], 0.0)
                };
                let p = e.mul(x[c]);
                acc = C::new(acc.re + p.re, acc.im + p.im);
            }
            assert!(acc.sub(rhs[r].scale(s)).abs1() < 1e-14);
        }
        // A singular block is perturbed, not divided by zero.
        let (x, _, _) = solve1(1.0f64, C::new(1.0, 0.0), C::new(1.0, 0.0), &lim);
        assert!(x.re.is_finite() && x.re > 0.0);
    }
}
