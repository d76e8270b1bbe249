//! scipy's `solve_triangular`.

use lapis_factor::complex::{self, CMat, Conj};
use lapis_kernels::{Diag, MatMut, Side, Uplo, trsm};

use super::convert::conv;
use super::stack::{RhsPlan, Stack};
use super::{Trans, split};
use crate::{Array, ArrayBase, Data, Inexact, LinalgError, Number};

/// The options of [`solve_triangular`], with scipy's defaults (`lower=False, trans=0,
/// unit_diagonal=False`).
///
/// ```
/// use lapis::linalg::{SolveTriangular, Trans};
/// // scipy: solve_triangular(a, b, lower=True, trans='T')
/// let opts = SolveTriangular { lower: true, trans: Trans::T, ..Default::default() };
/// assert!(!opts.unit_diagonal);
/// ```
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct SolveTriangular {
    /// Use the lower triangle of `a` (scipy's `lower`; default: the upper one).
    pub lower: bool,
    /// Solve with `a` (`N`), `aᵀ` (`T`) or `aᴴ` (`C`, the conjugate transpose; the same as
    /// `T` for real input).
    pub trans: Trans,
    /// Take the diagonal of `a` to be all ones, without reading it (scipy's
    /// `unit_diagonal`).
    pub unit_diagonal: bool,
}

/// Solves `op(A)·X = B` for triangular `A` (scipy's
/// `scipy.linalg.solve_triangular(a, b, trans=0, lower=False, unit_diagonal=False)`,
/// LAPACK `trtrs`) by a blocked triangular solve (TRSM) that reads a real `a` in place; a
/// complex `a` is copied into split planes and solved by the complex TRSM (`ztrtrs`).
///
/// Only the triangle named by `opts.lower` is read (and not the diagonal with
/// `unit_diagonal`). `a` is `(…, n, n)`; `b` follows the rules of [`solve`](super::solve):
/// one vector when exactly 1-D, else a stack `(…, n, k)` broadcast against `a`'s.
///
/// Errors: [`LinalgError::Singular`] `{ index }` when diagonal entry `index` is exactly zero
/// (scipy's `LinAlgError: singular matrix: resolution failed at diagonal index`);
/// [`LinalgError::NonFinite`] when `a` or `b` holds NaN or an infinity (scipy's
/// `check_finite=True`, which checks all of `a`); shape errors as [`solve`](super::solve).
///
/// ```
/// use lapis::{array, linalg};
/// use lapis::linalg::SolveTriangular;
/// // scipy: solve_triangular([[3, 0, 0, 0], [2, 1, 0, 0], [1, 0, 1, 0], [1, 1, 1, 1]], [4, 2, 4, 2], lower=True)
/// let a = array![[3., 0., 0., 0.], [2., 1., 0., 0.], [1., 0., 1., 0.], [1., 1., 1., 1.]];
/// let opts = SolveTriangular { lower: true, ..Default::default() };
/// let x = linalg::solve_triangular(&a, &array![4., 2., 4., 2.], opts).unwrap();
/// assert!(lapis::allclose(&x, &array![4. / 3., -2. / 3., 8. / 3., -4. / 3.]).unwrap());
/// // scipy: solve_triangular([[1j, 1], [0, 2]], [1j, 2j], trans='C')  -> [1, -0.5+1j]
/// use lapis::{c64, linalg::Trans};
/// let z = |re, im| c64::new(re, im);
/// let u = array![[z(0., 1.), z(1., 0.)], [z(0., 0.), z(2., 0.)]];
/// let opts = SolveTriangular { trans: Trans::C, ..Default::default() };
/// let x = linalg::solve_triangular(&u, &array![z(0., 1.), z(0., 2.)], opts).unwrap();
/// assert!(lapis::allclose(&x, &array![z(-1., 0.), z(0.5, 1.)]).unwrap());
/// ```
pub fn solve_triangular<T, S1, S2>(
    a: &ArrayBase<S1>,
    b: &ArrayBase<S2>,
    opts: SolveTriangular,
) -> Result<Array<T>, LinalgError>
where
    T: Inexact,
    S1: Data<Elem = T>,
    S2: Data<Elem = T>,
{
    const OP: &str = "solve_triangular";
    let plan = RhsPlan::new(OP, a, b)?;
    let sa = Stack::new(a, &plan.batch);
    let (n, k) = (plan.n, plan.k);
    let shapes: [&[usize]; 2] = [a.shape(), b.shape()];
    let err = conv(OP, &shapes);
    let (uplo, transposed) = match (opts.lower, opts.trans) {
        (true, Trans::N) => (Uplo::Lower, false),
        (false, Trans::N) => (Uplo::Upper, false),
        (true, _) => (Uplo::Upper, true),
        (false, _) => (Uplo::Lower, true),
    };
    let diag = if opts.unit_diagonal {
        Diag::Unit
    } else {
        Diag::NonUnit
    };
    let flops = n * n * k + 1;
    if T::IS_COMPLEX {
        let conj = if opts.trans == Trans::C {
            Conj::Yes
        } else {
            Conj::No
        };
        return plan.run_chunks(
            4 * flops,
            || (CMat::zeros(n, n), CMat::zeros(n, k)),
            |i, x, (t, xb), par| {
                let finite = (0..n).all(|c| (0..n).all(|r| sa.at(i, r, c).isfinite()));
                if !finite || !x.iter().all(|z| z.isfinite()) {
                    return Err(LinalgError::NonFinite);
                }
                if !opts.unit_diagonal
                    && let Some(index) = (0..n).find(|&j| sa.at(i, j, j) == T::default())
                {
                    return Err(LinalgError::Singular { index });
                }
                split::load(&sa, i, t);
                split::load_row_major(x, xb);
                let t = if transposed {
                    t.as_ref().transpose()
                } else {
                    t.as_ref()
                };
                complex::trsm(Side::Left, uplo, diag, conj, t, xb.as_mut(), par).map_err(&err)?;
                split::store(xb.as_ref(), x);
                Ok(())
            },
        );
    }
    let sa = sa.real();
    let one = <T::Float as Number>::one();
    plan.run_chunks(
        flops,
        || (),
        |i, x, _, par| {
            let t = sa.mat(i);
            let x = MatMut::from_row_major(bytemuck::cast_slice_mut(x), n, k).expect("n × k");
            if !super::all_finite(t) || !super::all_finite(x.as_ref()) {
                return Err(LinalgError::NonFinite);
            }
            if !opts.unit_diagonal
                && let Some(index) = (0..n).find(|&j| t.get(j, j) == T::Float::default())
            {
                return Err(LinalgError::Singular { index });
            }
            let t = if transposed { t.transpose() } else { t };
            trsm(Side::Left, uplo, diag, one, t, x, par).map_err(|e| (err)(e.into()))
        },
    )
}
