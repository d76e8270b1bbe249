//! `lapis::linalg`: numpy.linalg's and scipy.linalg's names, shapes and semantics on top of
//! the factorizations of [`lapis_factor`].
//!
//! | numpy / scipy | Lapis |
//! |---|---|
//! | `np.linalg.solve(a, b)` | [`solve`]`(&a, &b)` |
//! | `np.linalg.inv(a)` | [`inv`]`(&a)` |
//! | `np.linalg.det(a)` | [`det`]`(&a)` (0-d array for one matrix) |
//! | `np.linalg.slogdet(a)` | [`slogdet`]`(&a)` → [`SlogdetResult`] |
//! | `np.linalg.cholesky(a, upper=False)` | [`cholesky`]`(&a, false)` |
//! | `np.linalg.qr(a, mode='reduced')` | [`qr`]`(&a, QrMode::Reduced)` → [`QrResult`] |
//! | `np.linalg.lstsq(a, b, rcond=None)` | [`lstsq`]`(&a, &b, None)` → [`Lstsq`] |
//! | `w, v = np.linalg.eigh(a, UPLO='L')` | [`eigh`]`(&a, Uplo::Lower)` → [`EighResult`] |
//! | `np.linalg.eigvalsh(a)` | [`eigvalsh`]`(&a, Uplo::Lower)` |
//! | `w, v = np.linalg.eig(a)` | [`eig`]`(&a)` → [`EigResult`] (always complex) |
//! | `np.linalg.eigvals(a)` | [`eigvals`]`(&a)` |
//! | `u, s, vh = np.linalg.svd(a, full_matrices=True)` | [`svd`]`(&a, true, true)` → [`SvdResult`] |
//! | `np.linalg.svd(a, compute_uv=False)`, `np.linalg.svdvals(a)` | [`svd`]`(&a, true, false)`, [`svdvals`]`(&a)` |
//! | `np.linalg.norm(x, ord=None, axis=None, keepdims=False)` | [`norm`]`(&x, None, None, false)` (see [`Ord`](enum@Ord)) |
//! | `np.linalg.cond(x, p=None)` | [`cond`]`(&x, None)` |
//! | `np.linalg.pinv(a, rtol=None, hermitian=False)` | [`pinv`]`(&a, None, false)` |
//! | `np.linalg.matrix_rank(A, tol=None, hermitian=False)` | [`matrix_rank`]`(&a, None, false)` |
//! | `np.linalg.matrix_power(a, -2)` | [`matrix_power`]`(&a, -2)` |
//! | `np.linalg.matmul(x1, x2)` | [`matmul`]`(&x1, &x2)` (0-d operands are an error) |
//! | `np.linalg.multi_dot([a, b, c])` | [`multi_dot`]`(&[a.view(), b.view(), c.view()])` |
//! | `np.linalg.tensordot(x1, x2, axes=2)` | [`tensordot`]`(&x1, &x2, 2)` (see [`TensorAxes`]) |
//! | `np.linalg.trace(x, offset=0)` (last two axes) | [`trace`]`(&x, 0)` |
//! | `np.linalg.diagonal(x, offset=0)` (last two axes) | [`diagonal`]`(&x, 0)` (a view) |
//! | `np.linalg.matrix_transpose(x)`, `x.mT` | [`matrix_transpose`]`(&x)` (a view) |
//! | `np.linalg.outer(x1, x2)` (1-D only) | [`outer`]`(&x1, &x2)` |
//! | `np.linalg.cross(x1, x2, axis=-1)` (3-vectors only) | [`cross`]`(&x1, &x2, -1)` |
//! | `np.linalg.vecdot(x1, x2, axis=-1)` | [`vecdot`]`(&x1, &x2, -1)` |
//! | `np.linalg.vector_norm(x, axis=None, keepdims=False, ord=2)` | [`vector_norm`]`(&x, 2., None, false)` |
//! | `np.linalg.matrix_norm(x, keepdims=False, ord='fro')` | [`matrix_norm`]`(&x, Ord::Fro, false)` |
//! | `np.linalg.tensorsolve(a, b, axes=None)` | [`tensorsolve`]`(&a, &b, None)` |
//! | `np.linalg.tensorinv(a, ind=2)` | [`tensorinv`]`(&a, 2)` |
//! | `np.linalg.LinAlgError` | [`LinalgError`] |
//! | `scipy.linalg.lu(a)` | [`lu`]`(&a)` → [`Lu`] `{ p, l, u }` |
//! | `scipy.linalg.lu_factor(a)` | [`lu_factor`]`(&a)` → [`LuFactor`] |
//! | `scipy.linalg.lu_solve((lu, piv), b, trans=0)` | [`lu_solve`]`((&lu, &piv), &b, Trans::N)` |
//! | `scipy.linalg.cho_factor(a, lower=False)` | [`cho_factor`]`(&a, false)` → [`CholeskyFactor`] |
//! | `scipy.linalg.cho_solve((c, lower), b)` | [`cho_solve`]`((&c, lower), &b)` |
//! | `scipy.linalg.solve_triangular(a, b, lower=True)` | [`solve_triangular`]`(&a, &b, SolveTriangular { lower: true, ..Default::default() })` |
//! | `scipy.linalg.solve_banded((l, u), ab, b)` | [`solve_banded`]`((l, u), &ab, &b)` |
//! | sklearn's `randomized_svd(M, k, n_oversamples=10, n_iter=4, random_state=0)` | [`randomized_svd`]`(&m, k, 10, 4, 0)` |
//!
//! `trace`, `outer` and `cross` here are numpy.linalg's, not the top-level
//! [`crate::trace`], [`crate::outer`], [`crate::cross`] (numpy's `np.trace`, `np.outer`,
//! `np.cross`): the matrices are the last two axes, and the shapes accepted are stricter.
//!
//! **Scalars.** One matrix gives a 0-d array (`det`, `norm`, `trace`, …, which all take
//! stacks); [`into_scalar`](crate::ArrayBase::into_scalar) reads it with `?`
//! (`linalg::det(&a)?.into_scalar()?`), [`item`](crate::ArrayBase::item) as an `Option`.
//!
//! **Stacks.** Every function except [`lstsq`] (numpy's takes none), [`solve_banded`] and
//! [`randomized_svd`] (scipy's and sklearn's take none) accepts a stack of
//! matrices in the last two axes, `(…, m, n)`; the two-operand functions broadcast the
//! leading axes of both operands as numpy does, with numpy 2's rule for the right-hand
//! side: `b` is a vector only when it is exactly 1-D. Stacks run in parallel on the threads
//! [`config`](crate::config) grants; stacks of real matrices of order ≤ 4 (`inv`, `solve`, `det`,
//! `slogdet`) take an unrolled path with no per-matrix allocation.
//!
//! **Complex input** ([`c32`](crate::c32), [`c64`](crate::c64)) is accepted by `solve`,
//! `inv`, `det`, `slogdet` (complex `sign`, real `logabsdet`, as numpy), `cholesky`
//! (`A = L·Lᴴ`), `lu`, `lu_factor`/`lu_solve` (`Trans::C` is `Aᴴ`), `cho_factor`/`cho_solve`,
//! `solve_triangular`, `tensorsolve`/`tensorinv` and negative `matrix_power`.
//!
//! **Errors** are [`LinalgError`] values: `Shape` (with both shapes),
//! `NotSquare`, `Singular { index }` (numpy's "Singular matrix"), `NotPositiveDefinite
//! { minor }`, `NonFinite`, `SizeOverflow`.
//!
//! **Non-finite input** is reported as `NonFinite` by every function here that factors a
//! matrix (not by the entry-wise norms of [`norm`], [`vector_norm`], [`matrix_norm`], nor by
//! the products and views — [`matmul`], [`tensordot`], [`vecdot`], [`cross`], [`outer`],
//! [`trace`], [`diagonal`] —, where NaN propagates as in numpy), numpy's as well as
//! scipy's: scipy checks by default (`check_finite=True`), while numpy lets NaN run
//! through LAPACK and returns NaNs (or raises "Singular matrix" by luck); Lapis reports the
//! bad input rather than return an answer made of NaN. Functions that read only one triangle
//! (`cholesky`, `cho_solve`) check only that triangle.
//!
//! **Empty matrices** behave as numpy's: `inv` of `(0, 0)` is `(0, 0)`, `det` is `1`,
//! `solve` with 0 right-hand sides returns `(n, 0)`, empty stacks give empty results.
//!
//! ```
//! use lapis::{array, linalg};
//! // numpy: np.linalg.solve([[2., 1.], [1., 3.]], [5., 10.])
//! let x = linalg::solve(&array![[2., 1.], [1., 3.]], &array![5., 10.]).unwrap();
//! assert!(lapis::allclose(&x, &array![1., 3.]).unwrap());
//! ```

mod array_api;
mod banded;
mod cholesky;
mod convert;
mod det;
mod eig;
mod eigh;
mod inv;
mod lstsq;
mod lu;
mod norm;
mod pinv;
mod qr;
mod small;
mod solve;
mod split;
mod stack;
mod svd;
mod tensor;
mod triangular;

pub use array_api::{
    cross, diagonal, matrix_norm, matrix_transpose, outer, trace, vecdot, vector_norm,
};
pub use banded::solve_banded;
pub use cholesky::{CholeskyFactor, cho_factor, cho_solve, cholesky};
pub use det::{SlogdetResult, det, slogdet};
pub use eig::{EigResult, eig, eigvals};
pub use eigh::{EighResult, Uplo, eigh, eigvalsh};
pub use inv::inv;
pub use lstsq::{Lstsq, lstsq};
pub use lu::{Lu, LuFactor, lu, lu_factor, lu_solve};
pub use norm::{Ord, cond, norm};
pub use pinv::{matrix_rank, pinv};
pub use qr::{QrMode, QrResult, qr};
pub use solve::solve;
pub use svd::{SvdResult, Usv, randomized_svd, svd, svdvals};
pub use tensor::{tensorinv, tensorsolve};
pub use triangular::{SolveTriangular, solve_triangular};

// numpy.linalg's matmul, matrix_power, multi_dot and tensordot are the top-level functions
// (numpy.linalg's trace, outer and cross are not: see `array_api`), and its LinAlgError is
// the crate's error type.
pub use crate::LinalgError;
pub use crate::{TensorAxes, matmul, matrix_power, multi_dot, tensordot};

use lapis_kernels::{MatRef, Scalar};

/// Which system a factorization solves (scipy's `trans` argument: `0`/`'N'`, `1`/`'T'`,
/// `2`/`'C'`).
///
/// ```
/// use lapis::linalg::Trans;
/// // scipy: lu_solve(lu_and_piv, b) uses trans=0
/// assert_eq!(Trans::default(), Trans::N);
/// ```
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum Trans {
    /// `A·x = b` (scipy's `0` / `'N'`).
    #[default]
    N,
    /// `Aᵀ·x = b` (scipy's `1` / `'T'`).
    T,
    /// `Aᴴ·x = b` (scipy's `2` / `'C'`); the same as [`Trans::T`] for real matrices.
    C,
}

/// Whether every element of `a` is finite.
fn all_finite<T: Scalar>(a: MatRef<'_, T>) -> bool {
    (0..a.ncols()).all(|j| (0..a.nrows()).all(|i| a.get(i, j).is_finite()))
}
