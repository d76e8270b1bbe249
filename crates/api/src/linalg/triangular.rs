//! scipy's `solve_triangular`.

use lapis_kernels::{Diag, Side, Uplo, trsm};

use super::Trans;
use super::convert::conv;
use super::stack::{RhsPlan, Stack};
use crate::{Array, ArrayBase, Data, LinalgError, Number, Scalar};

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
    /// Solve with `a` (`N`), `aᵀ` (`T`) or `aᴴ` (`C`, the same as `T` for real input).
    pub trans: Trans,
    /// Take the diagonal of `a` to be all ones, without reading it (scipy's
    /// `unit_diagonal`).
    pub unit_diagonal: bool,
}

/// Solves `op(A)·X = B` for triangular `A` (scipy's
/// `scipy.linalg.solve_triangular(a, b, trans=0, lower=False, unit_diagonal=False)`,
/// LAPACK `trtrs`) by a blocked triangular solve (TRSM) that reads `a` in place.
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
/// ```
pub fn solve_triangular<T, S1, S2>(
    a: &ArrayBase<S1>,
    b: &ArrayBase<S2>,
    opts: SolveTriangular,
) -> Result<Array<T>, LinalgError>
where
    T: Scalar + Number,
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
    let one = <T as Number>::one();
    plan.run(
        n * n * k + 1,
        || (),
        |i, x, _, par| {
            let t = sa.mat(i);
            if !super::all_finite(t) || !super::all_finite(x.as_ref()) {
                return Err(LinalgError::NonFinite);
            }
            if !opts.unit_diagonal
                && let Some(index) = (0..n).find(|&j| t.get(j, j) == T::default())
            {
                return Err(LinalgError::Singular { index });
            }
            let t = if transposed { t.transpose() } else { t };
            trsm(Side::Left, uplo, diag, one, t, x, par).map_err(|e| (err)(e.into()))
        },
    )
}
