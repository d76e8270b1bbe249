//! Complex triangular solves (BLAS `ztrsm`): recursive halving, so that all but the small
//! diagonal blocks' flops run in the complex [`gemm`](super::gemm).

use lapis_kernels::{Diag, Par, Scalar, Side, Uplo};

use super::{CMatMut, CMatRef, Complex, Conj, div, gemm};
use crate::FactorError;

/// Diagonal blocks of at most this order are solved by substitution loops.
const LEAF: usize = 16;

/// Solves `opc(A)·X = B` (`Side::Left`) or `X·opc(A) = B` (`Side::Right`) in place in `b`,
/// for the triangular `a` (the triangle `uplo`, its diagonal taken as ones with
/// `Diag::Unit`), `opc` the optional conjugation. Combine with [`CMatRef::transpose`] for
/// LAPACK's `'T'` and `'C'`: `Aᴴ·X = B` is `trsm(Left, flipped uplo, diag, Conj::Yes,
/// a.transpose(), b)`.
///
/// Only the triangle `uplo` of `a` is read. A zero on the diagonal gives infinities or NaN
/// (the callers check first, as BLAS leaves it to them).
///
/// Errors: [`FactorError::NotSquare`] for a rectangular `a`, [`FactorError::Shape`] when `b`
/// does not fit.
///
/// ```
/// use lapis_factor::complex::{CMat, Complex, Conj, trsm};
/// use lapis_factor::kernels::{Diag, Par, Side, Uplo};
/// // scipy: solve_triangular([[2j, 0], [1, 1]], [2j, 3], lower=True)  -> [1, 2]
/// let a = CMat::from_interleaved(&[0.0, 2.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0], 2, 2, 2, 4);
/// let mut b = CMat::from_interleaved(&[0.0, 2.0, 3.0, 0.0], 2, 1, 2, 4);
/// trsm(Side::Left, Uplo::Lower, Diag::NonUnit, Conj::No, a.as_ref(), b.as_mut(), Par::Seq)
///     .unwrap();
/// assert_eq!(b.as_ref().get(0, 0), Complex::new(1.0, 0.0));
/// assert_eq!(b.as_ref().get(1, 0), Complex::new(2.0, 0.0));
/// ```
pub fn trsm<T: Scalar>(
    side: Side,
    uplo: Uplo,
    diag: Diag,
    conj: Conj,
    a: CMatRef<'_, T>,
    b: CMatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    let n = a.nrows();
    if a.ncols() != n {
        return Err(FactorError::NotSquare {
            nrows: n,
            ncols: a.ncols(),
        });
    }
    let fits = match side {
        Side::Left => b.nrows() == n,
        Side::Right => b.ncols() == n,
    };
    if !fits {
        return Err(FactorError::Shape {
            op: "complex::trsm",
            shapes: vec![("a", a.shape()), ("b", b.shape())],
        });
    }
    match side {
        Side::Left => left(uplo, diag, conj, a, b, par),
        // X·M = B is Mᵀ·Xᵀ = Bᵀ, and Aᵀ holds the other triangle.
        Side::Right => {
            let flipped = match uplo {
                Uplo::Lower => Uplo::Upper,
                Uplo::Upper => Uplo::Lower,
            };
            left(flipped, diag, conj, a.transpose(), b.transpose(), par)
        }
    }
}

/// `opc(A)·X = B`: with `A = [A11 0; A21 A22]` (lower), `X1 = A11⁻¹·B1`,
/// `B2 ← B2 − A21·X1`, `X2 = A22⁻¹·B2`; the upper case runs bottom-up.
fn left<T: Scalar>(
    uplo: Uplo,
    diag: Diag,
    conj: Conj,
    a: CMatRef<'_, T>,
    mut b: CMatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    let n = a.nrows();
    if n == 0 || b.ncols() == 0 {
        return Ok(());
    }
    if n <= LEAF {
        substitute(uplo, diag, conj, a, b);
        return Ok(());
    }
    let n1 = n / 2;
    let (b1, b2) = b.rb().split_at_row(n1);
    let a11 = a.submatrix(0, 0, n1, n1);
    let a22 = a.submatrix(n1, n1, n - n1, n - n1);
    let one = T::one();
    match uplo {
        Uplo::Lower => {
            let a21 = a.submatrix(n1, 0, n - n1, n1);
            let (mut b1, mut b2) = (b1, b2);
            left(uplo, diag, conj, a11, b1.rb(), par)?;
            gemm(-one, a21, conj, b1.as_ref(), Conj::No, one, b2.rb(), par)?;
            left(uplo, diag, conj, a22, b2, par)
        }
        Uplo::Upper => {
            let a12 = a.submatrix(0, n1, n1, n - n1);
            let (mut b1, mut b2) = (b1, b2);
            left(uplo, diag, conj, a22, b2.rb(), par)?;
            gemm(-one, a12, conj, b2.as_ref(), Conj::No, one, b1.rb(), par)?;
            left(uplo, diag, conj, a11, b1, par)
        }
    }
}

/// Forward (lower) or backward (upper) substitution, one column of `b` at a time.
fn substitute<T: Scalar>(
    uplo: Uplo,
    diag: Diag,
    conj: Conj,
    a: CMatRef<'_, T>,
    mut b: CMatMut<'_, T>,
) {
    let n = a.nrows();
    let at = |i: usize, k: usize| {
        let z = a.get(i, k);
        if conj == Conj::Yes { z.conj() } else { z }
    };
    let zero = Complex::new(T::zero(), T::zero());
    let rows: Vec<usize> = match uplo {
        Uplo::Lower => (0..n).collect(),
        Uplo::Upper => (0..n).rev().collect(),
    };
    for j in 0..b.ncols() {
        for &i in &rows {
            let mut s = b.get(i, j);
            let solved = match uplo {
                Uplo::Lower => 0..i,
                Uplo::Upper => i + 1..n,
            };
            for k in solved {
                let x = b.get(k, j);
                if x != zero {
                    s -= at(i, k) * x;
                }
            }
            if diag == Diag::NonUnit {
                s = div(s, at(i, i));
            }
            b.write(i, j, s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::complex::CMat;
    use crate::complex::test_util::sample;

    /// `opc(A)` as a dense matrix with only the `uplo` triangle (unit diagonal if asked).
    fn dense_op(a: &CMat<f64>, uplo: Uplo, diag: Diag, conj: Conj) -> CMat<f64> {
        let n = a.nrows();
        let mut t = CMat::zeros(n, n);
        for j in 0..n {
            for i in 0..n {
                let inside = match uplo {
                    Uplo::Lower => i >= j,
                    Uplo::Upper => i <= j,
                };
                let mut z = if i == j && diag == Diag::Unit {
                    Complex::new(1.0, 0.0)
                } else if inside {
                    a.as_ref().get(i, j)
                } else {
                    Complex::new(0.0, 0.0)
                };
                if conj == Conj::Yes {
                    z = z.conj();
                }
                t.as_mut().write(i, j, z);
            }
        }
        t
    }

    /// Every side, triangle, diagonal and conjugation, across the leaf size: the residual of
    /// the solve, recomputed by `gemm`, is at rounding level (the diagonal is made dominant
    /// so the triangles are well conditioned).
    #[test]
    fn residuals_every_variant() {
        for n in [1, 5, LEAF, LEAF + 1, 45] {
            // Off-diagonal entries of size 1/n: the triangles are well conditioned and
            // `X` stays of order 1, so an absolute residual bound is a relative one.
            let mut a = sample(n, n, 7 + n as u64);
            for j in 0..n {
                for i in 0..n {
                    let z = a.as_ref().get(i, j) / n as f64;
                    a.as_mut().write(i, j, z);
                }
                a.as_mut()
                    .write(j, j, Complex::new(3.0, -2.0 + j as f64 * 0.1));
            }
            for side in [Side::Left, Side::Right] {
                for uplo in [Uplo::Lower, Uplo::Upper] {
                    for diag in [Diag::NonUnit, Diag::Unit] {
                        for conj in [Conj::No, Conj::Yes] {
                            let (m, k) = match side {
                                Side::Left => (n, 3),
                                Side::Right => (4, n),
                            };
                            let b0 = sample(m, k, 99);
                            let mut x = b0.clone();
                            trsm(side, uplo, diag, conj, a.as_ref(), x.as_mut(), Par::Seq).unwrap();
                            let t = dense_op(&a, uplo, diag, Conj::No);
                            let mut r = b0.clone();
                            match side {
                                Side::Left => gemm(
                                    -1.0,
                                    t.as_ref(),
                                    conj,
                                    x.as_ref(),
                                    Conj::No,
                                    1.0,
                                    r.as_mut(),
                                    Par::Seq,
                                ),
                                Side::Right => gemm(
                                    -1.0,
                                    x.as_ref(),
                                    Conj::No,
                                    t.as_ref(),
                                    conj,
                                    1.0,
                                    r.as_mut(),
                                    Par::Seq,
                                ),
                            }
                            .unwrap();
                            let worst = (0..m)
                                .flat_map(|i| (0..k).map(move |j| (i, j)))
                                .map(|(i, j)| r.as_ref().get(i, j).norm())
                                .fold(0.0, f64::max);
                            assert!(
                                worst <= 50.0 * n as f64 * f64::EPSILON,
                                "{side:?} {uplo:?} {diag:?} {conj:?} n={n}: {worst:e}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn shape_errors() {
        let a = CMat::<f64>::zeros(3, 2);
        let mut b = CMat::zeros(3, 1);
        let e = trsm(
            Side::Left,
            Uplo::Lower,
            Diag::Unit,
            Conj::No,
            a.as_ref(),
            b.as_mut(),
            Par::Seq,
        );
        assert_eq!(e, Err(FactorError::NotSquare { nrows: 3, ncols: 2 }));
        let a = CMat::<f64>::zeros(3, 3);
        let mut b = CMat::zeros(2, 3);
        let e = trsm(
            Side::Left,
            Uplo::Lower,
            Diag::Unit,
            Conj::No,
            a.as_ref(),
            b.as_mut(),
            Par::Seq,
        );
        assert!(matches!(e, Err(FactorError::Shape { .. })));
    }
}
