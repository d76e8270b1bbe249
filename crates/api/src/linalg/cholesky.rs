//! Cholesky: numpy's `np.linalg.cholesky(a, upper=False)` and scipy's `cho_factor` /
//! `cho_solve`.

use lapis_factor::cholesky::{self, Uplo};
use lapis_factor::complex::{self, CMat};
use lapis_kernels::{MatMut, MatRef, Scalar};

use super::convert::conv;
use super::split;
use super::stack::{RhsPlan, Stack, for_each, out_shape, stacked_square};
use crate::{Array, ArrayBase, Data, Inexact, LinalgError};

/// The Cholesky factor of a symmetric (Hermitian) positive definite matrix or of every
/// matrix of a stack (numpy 2's `np.linalg.cholesky(a, upper=upper)`, LAPACK `potrf` /
/// `zpotrf`).
///
/// `upper = false` (numpy's default) returns the lower-triangular `L` with `A = L·Lᴴ`,
/// reading only the lower triangle of `a`; `upper = true` returns `U = Lᴴ` with `A = Uᴴ·U`,
/// reading only the upper triangle. The other triangle of the result is zero. For a complex
/// `a` the imaginary parts of the diagonal are ignored (a Hermitian matrix has a real
/// diagonal, as LAPACK assumes), and the factor's diagonal is real and positive; for a real
/// `a`, `ᴴ` is `ᵀ`.
///
/// Errors: [`LinalgError::NotPositiveDefinite`] `{ minor }` (numpy's `LinAlgError: Matrix is
/// not positive definite`) with the order of the first leading minor that is not positive;
/// [`LinalgError::NotSquare`]; [`LinalgError::Shape`] for fewer than 2 axes;
/// [`LinalgError::NonFinite`] when the triangle read holds NaN or an infinity (the other
/// triangle is never read, as in numpy).
///
/// ```
/// use lapis::{array, linalg, matmul, LinalgError};
/// // numpy: np.linalg.cholesky([[4., 2.], [2., 5.]])  -> [[2., 0.], [1., 2.]]
/// let a = array![[4., 2.], [2., 5.]];
/// let l = linalg::cholesky(&a, false).unwrap();
/// assert_eq!(l, array![[2., 0.], [1., 2.]]);
/// assert_eq!(matmul(&l, &l.t()).unwrap(), a);
/// // numpy: np.linalg.cholesky(a, upper=True)  -> [[2., 1.], [0., 2.]]
/// assert_eq!(linalg::cholesky(&a, true).unwrap(), array![[2., 1.], [0., 2.]]);
/// // numpy: np.linalg.cholesky([[1., 2.], [2., 1.]])  -> LinAlgError
/// let e = linalg::cholesky(&array![[1., 2.], [2., 1.]], false);
/// assert_eq!(e, Err(LinalgError::NotPositiveDefinite { minor: 2 }));
/// // numpy: np.linalg.cholesky([[4, 2j], [-2j, 5]])  -> [[2, 0], [-1j, 2]]
/// use lapis::c64;
/// let z = |re, im| c64::new(re, im);
/// let h = array![[z(4., 0.), z(0., 2.)], [z(0., -2.), z(5., 0.)]];
/// let l = linalg::cholesky(&h, false).unwrap();
/// assert_eq!(l, array![[z(2., 0.), z(0., 0.)], [z(0., -1.), z(2., 0.)]]);
/// ```
pub fn cholesky<T, S>(a: &ArrayBase<S>, upper: bool) -> Result<Array<T>, LinalgError>
where
    T: Inexact,
    S: Data<Elem = T>,
{
    factor_stack("cholesky", a, !upper, true)
}

/// Factors every matrix of `a`; `lower` picks the triangle; `clean` zeroes the other
/// triangle of the result (numpy) instead of keeping `a`'s entries there (scipy's
/// `cho_factor`).
fn factor_stack<T, S>(
    op: &'static str,
    a: &ArrayBase<S>,
    lower: bool,
    clean: bool,
) -> Result<Array<T>, LinalgError>
where
    T: Inexact,
    S: Data<Elem = T>,
{
    let (batch, n) = stacked_square(op, a)?;
    let (shape, size) = out_shape(&batch, &[n, n])?;
    let mut out = vec![T::default(); size];
    let st = Stack::new(a, &batch);
    if st.count() == 0 || n == 0 {
        return Array::from_shape_vec(&shape, out);
    }
    let shapes: [&[usize]; 1] = [a.shape()];
    let err = conv(op, &shapes);
    let uplo = if lower { Uplo::Lower } else { Uplo::Upper };
    let keep = |r: usize, c: usize| !clean || if lower { c <= r } else { c >= r };
    let work = n * n * n / 3 + 1;
    if T::IS_COMPLEX {
        for_each(
            st.count(),
            vec![(&mut out[..], n * n)],
            4 * work,
            || CMat::zeros(n, n),
            |i, o, m, par| {
                split::load(&st, i, m);
                complex::cholesky::factor(m.as_mut(), uplo, par).map_err(&err)?;
                split::store_where(m.as_ref(), o[0], keep);
                Ok(())
            },
        )?;
        return Array::from_shape_vec(&shape, out);
    }
    let st = st.real();
    for_each(
        st.count(),
        vec![(bytemuck::cast_slice_mut::<T, T::Float>(&mut out), n * n)],
        work,
        || vec![T::Float::default(); n * n],
        |i, o, buf, par| {
            st.copy_col_major(i, buf);
            let m = MatMut::from_col_major(buf, n, n).expect("n × n workspace");
            cholesky::factor(m, uplo, par).map_err(&err)?;
            let dst = &mut *o[0];
            for r in 0..n {
                for c in 0..n {
                    dst[r * n + c] = if keep(r, c) {
                        buf[r + c * n]
                    } else {
                        T::Float::default()
                    };
                }
            }
            Ok(())
        },
    )?;
    Array::from_shape_vec(&shape, out)
}

/// A Cholesky factorization kept for solving many right-hand sides (scipy's `(c, lower)`
/// pair from `cho_factor`).
///
/// ```
/// use lapis::{array, linalg};
/// // scipy: c_and_lower = cho_factor(a); x = cho_solve(c_and_lower, b)
/// let f = linalg::cho_factor(&array![[4., 2.], [2., 5.]], true).unwrap();
/// let x = f.solve(&array![8., 9.]).unwrap();
/// assert!(lapis::allclose(&x, &array![1.375, 1.25]).unwrap());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CholeskyFactor<T: Inexact> {
    /// The factor in the triangle named by `lower` (`(…, n, n)`); the other triangle holds
    /// the input's entries, which are never read (scipy: "arbitrary data").
    pub c: Array<T>,
    /// Whether `c` holds the lower factor `L` (`A = L·Lᴴ`) or the upper `U` (`A = Uᴴ·U`).
    pub lower: bool,
}

impl<T: Inexact> CholeskyFactor<T> {
    /// Solves `A·X = B` with this factorization (scipy's `cho_solve((c, lower), b)`); `b`
    /// follows the rules of [`solve`](super::solve).
    ///
    /// ```
    /// use lapis::{array, linalg};
    /// let f = linalg::cho_factor(&array![[2., 1.], [1., 3.]], false).unwrap();
    /// let x = f.solve(&array![5., 10.]).unwrap();
    /// assert!(lapis::allclose(&x, &array![1., 3.]).unwrap());
    /// ```
    pub fn solve<S: Data<Elem = T>>(&self, b: &ArrayBase<S>) -> Result<Array<T>, LinalgError> {
        cho_solve((&self.c, self.lower), b)
    }
}

/// The Cholesky factorization of a symmetric (Hermitian) positive definite matrix (or a
/// stack), real or complex, to be reused by [`cho_solve`] (scipy's
/// `scipy.linalg.cho_factor(a, lower=False)`).
///
/// `lower` picks the triangle that is read and factored (scipy's default is `False`: the
/// upper one). Unlike [`cholesky()`], the other triangle of [`CholeskyFactor::c`] is not
/// cleared. Errors as [`cholesky()`].
///
/// ```
/// use lapis::{array, linalg};
/// // scipy: c, low = cho_factor([[4., 2.], [2., 5.]])  (lower=False)
/// let f = linalg::cho_factor(&array![[4., 2.], [2., 5.]], false).unwrap();
/// assert!(!f.lower);
/// assert_eq!(f.c, array![[2., 1.], [2., 2.]]); // U above the diagonal, a's entry below
/// ```
pub fn cho_factor<T, S>(a: &ArrayBase<S>, lower: bool) -> Result<CholeskyFactor<T>, LinalgError>
where
    T: Inexact,
    S: Data<Elem = T>,
{
    Ok(CholeskyFactor {
        c: factor_stack("cho_factor", a, lower, false)?,
        lower,
    })
}

/// Solves `A·X = B` from a Cholesky factorization of `A` (scipy's
/// `scipy.linalg.cho_solve((c, lower), b)`; LAPACK `potrs`).
///
/// `c` is `(…, n, n)` with the factor in the triangle `lower` names (from [`cho_factor`], or
/// from [`cholesky()`] with `lower = !upper`); only that triangle is read. `b` follows the
/// rules of [`solve`](super::solve): one vector when exactly 1-D, else a stack `(…, n, k)`
/// broadcast against `c`'s stack.
///
/// Errors: [`LinalgError::Shape`] / [`LinalgError::NotSquare`] for inconsistent shapes;
/// [`LinalgError::Singular`] if the factor has a zero on its diagonal;
/// [`LinalgError::NonFinite`] when the triangle read or `b` holds NaN or an infinity
/// (scipy's `check_finite=True`).
///
/// ```
/// use lapis::{array, linalg};
/// // scipy: cho_solve((L, True), b) with L = np.linalg.cholesky(a)
/// let a = array![[2., 1.], [1., 3.]];
/// let l = linalg::cholesky(&a, false).unwrap();
/// let x = linalg::cho_solve((&l, true), &array![[5.], [10.]]).unwrap();
/// assert!(lapis::allclose(&x, &array![[1.], [3.]]).unwrap());
/// ```
pub fn cho_solve<T, S1, S2>(
    (c, lower): (&ArrayBase<S1>, bool),
    b: &ArrayBase<S2>,
) -> Result<Array<T>, LinalgError>
where
    T: Inexact,
    S1: Data<Elem = T>,
    S2: Data<Elem = T>,
{
    const OP: &str = "cho_solve";
    let plan = RhsPlan::new(OP, c, b)?;
    let sc = Stack::new(c, &plan.batch);
    let (n, k) = (plan.n, plan.k);
    let shapes: [&[usize]; 2] = [c.shape(), b.shape()];
    let err = conv(OP, &shapes);
    let uplo = if lower { Uplo::Lower } else { Uplo::Upper };
    let flops = 2 * n * n * k + 1;
    if T::IS_COMPLEX {
        return plan.run_chunks(
            4 * flops,
            || (CMat::zeros(n, n), CMat::zeros(n, k)),
            |i, x, (f, xb), par| {
                split::load(&sc, i, f);
                if !complex_triangle_finite(&sc, i, lower) {
                    return Err(LinalgError::NonFinite);
                }
                split::load_row_major(x, xb);
                complex::cholesky::solve(f.as_ref(), uplo, xb.as_mut(), par).map_err(&err)?;
                split::store(xb.as_ref(), x);
                Ok(())
            },
        );
    }
    let sc = sc.real();
    plan.run_chunks(
        flops,
        || (),
        |i, x, _, par| {
            let f = sc.mat(i);
            if !triangle_finite(f, lower) {
                return Err(LinalgError::NonFinite);
            }
            let x = MatMut::from_row_major(bytemuck::cast_slice_mut(x), n, k).expect("n × k");
            cholesky::solve(f, uplo, x, par).map_err(&err)
        },
    )
}

/// Whether the triangle (with the diagonal) of matrix `i` of the complex stack `st` is
/// finite.
fn complex_triangle_finite<T: Inexact>(st: &Stack<'_, T>, i: usize, lower: bool) -> bool {
    let n = st.rows;
    (0..n).all(|j| {
        let rows = if lower { j..n } else { 0..j + 1 };
        rows.into_iter().all(|r| st.at(i, r, j).isfinite())
    })
}

/// Whether the triangle (with the diagonal) of the square `a` is finite.
pub(crate) fn triangle_finite<T: Scalar>(a: MatRef<'_, T>, lower: bool) -> bool {
    let n = a.nrows();
    (0..n).all(|j| {
        let rows = if lower { j..n } else { 0..j + 1 };
        rows.into_iter().all(|i| a.get(i, j).is_finite())
    })
}
