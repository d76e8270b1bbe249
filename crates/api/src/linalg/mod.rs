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
//! | `u, s, vh = np.linalg.svd(a, full_matrices=True)` | [`svd`]`(&a, true, true)` → [`SvdResult`] |
//! | `np.linalg.svd(a, compute_uv=False)`, `np.linalg.svdvals(a)` | [`svd`]`(&a, true, false)`, [`svdvals`]`(&a)` |
//! | `np.linalg.norm(x, ord=None, axis=None, keepdims=False)` | [`norm`]`(&x, None, None, false)` (see [`Ord`](enum@Ord)) |
//! | `np.linalg.cond(x, p=None)` | [`cond`]`(&x, None)` |
//! | `np.linalg.pinv(a, rtol=None, hermitian=False)` | [`pinv`]`(&a, None, false)` |
//! | `np.linalg.matrix_rank(A, tol=None, hermitian=False)` | [`matrix_rank`]`(&a, None, false)` |
//! | `np.linalg.matrix_power(a, -2)` | [`matrix_power`](crate::matrix_power)`(&a, -2)` |
//! | `scipy.linalg.lu(a)` | [`lu`]`(&a)` → [`Lu`] `{ p, l, u }` |
//! | `scipy.linalg.lu_factor(a)` | [`lu_factor`]`(&a)` → [`LuFactor`] |
//! | `scipy.linalg.lu_solve((lu, piv), b, trans=0)` | [`lu_solve`]`((&lu, &piv), &b, Trans::N)` |
//! | `scipy.linalg.cho_factor(a, lower=False)` | [`cho_factor`]`(&a, false)` → [`CholeskyFactor`] |
//! | `scipy.linalg.cho_solve((c, lower), b)` | [`cho_solve`]`((&c, lower), &b)` |
//! | `scipy.linalg.solve_triangular(a, b, lower=True)` | [`solve_triangular`]`(&a, &b, SolveTriangular { lower: true, ..Default::default() })` |
//! | `scipy.linalg.solve_banded((l, u), ab, b)` | [`solve_banded`]`((l, u), &ab, &b)` |
//! | sklearn's `randomized_svd(M, k, n_oversamples=10, n_iter=4, random_state=0)` | [`randomized_svd`]`(&m, k, 10, 4, 0)` |
//!
//! **Stacks.** Every function except [`lstsq`] (numpy's takes none), [`solve_banded`] and
//! [`randomized_svd`] (scipy's and sklearn's take none) accepts a stack of
//! matrices in the last two axes, `(…, m, n)`; the two-operand functions broadcast the
//! leading axes of both operands as numpy does, with numpy 2's rule for the right-hand
//! side: `b` is a vector only when it is exactly 1-D. Stacks run in parallel on the threads
//! [`config`](crate::config) grants; stacks of matrices of order ≤ 4 (`inv`, `solve`, `det`,
//! `slogdet`) take an unrolled path with no per-matrix allocation.
//!
//! **Errors** are [`LinalgError`](crate::LinalgError) values: `Shape` (with both shapes),
//! `NotSquare`, `Singular { index }` (numpy's "Singular matrix"), `NotPositiveDefinite
//! { minor }`, `NonFinite`, `SizeOverflow`.
//!
//! **Non-finite input** is reported as `NonFinite` by every function here (except [`norm`]'s
//! entry-wise norms, where NaN propagates as in numpy), numpy's as well as scipy's: scipy checks by default (`check_finite=True`), while numpy lets NaN run
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

mod banded;
mod cholesky;
mod convert;
mod det;
mod eigh;
mod inv;
mod lstsq;
mod lu;
mod norm;
mod pinv;
mod qr;
mod small;
mod solve;
mod stack;
mod svd;
mod triangular;

pub use banded::solve_banded;
pub use cholesky::{CholeskyFactor, cho_factor, cho_solve, cholesky};
pub use det::{SlogdetResult, det, slogdet};
pub use eigh::{EighResult, Uplo, eigh, eigvalsh};
pub use inv::inv;
pub use lstsq::{Lstsq, lstsq};
pub use lu::{Lu, LuFactor, lu, lu_factor, lu_solve};
pub use norm::{Ord, cond, norm};
pub use pinv::{matrix_rank, pinv};
pub use qr::{QrMode, QrResult, qr};
pub use solve::solve;
pub use svd::{SvdResult, Usv, randomized_svd, svd, svdvals};
pub use triangular::{SolveTriangular, solve_triangular};

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
