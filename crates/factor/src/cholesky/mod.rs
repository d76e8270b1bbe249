//! Cholesky factorization of a symmetric positive definite matrix: `A = L·Lᵀ` (or `A = Uᵀ·U`).
//!
//! `l_jj = sqrt(a_jj − Σ_{k<j} l_jk²)` exists (the square root of a positive number) for every
//! `j` exactly when every leading principal minor of `A` is positive, i.e. when `A` is positive
//! definite; the first `j` where it fails names the leading minor of order `j + 1` that is not.
//!
//! [`factor`] (LAPACK `potrf`) is recursive: factor `A11`, then `L21 = A21·L11⁻ᵀ` by TRSM,
//! `A22 ← A22 − L21·L21ᵀ` by SYRK, and recurse on `A22`, down to
//! [`CholeskyParams::recursion_threshold`] columns; [`solve`] (LAPACK `potrs`) is two TRSMs.
//! Only the triangle named by [`Uplo`] is read or written.

mod factor;
mod solve;

pub use factor::{factor, factor_with_params};
pub use lapis_kernels::Uplo;
pub use solve::solve;

use lapis_kernels::Scalar;

/// Tuning of the Cholesky factorization; [`CholeskyParams::for_scalar`] gives the defaults.
///
/// ```
/// use lapis_factor::cholesky::CholeskyParams;
/// let p = CholeskyParams::for_scalar::<f64>();
/// assert!(p.recursion_threshold >= 1 && p.check_finite);
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct CholeskyParams {
    /// Diagonal blocks of at most this order are factored by the unblocked algorithm.
    pub recursion_threshold: usize,
    /// Check the referenced triangle for NaN and infinities first (scipy's
    /// `check_finite=True`) and return [`FactorError::NonFinite`](crate::FactorError::NonFinite)
    /// without touching it.
    pub check_finite: bool,
}

impl CholeskyParams {
    /// The defaults for element type `T` (untuned starting points: an unblocked base case of
    /// order 16 for `f64` and 32 for `f32`).
    ///
    /// ```
    /// use lapis_factor::cholesky::CholeskyParams;
    /// assert_eq!(CholeskyParams::for_scalar::<f32>().recursion_threshold, 32);
    /// ```
    pub fn for_scalar<T: Scalar>() -> Self {
        let wide = core::mem::size_of::<T>() <= 4;
        CholeskyParams {
            recursion_threshold: if wide { 32 } else { 16 },
            check_finite: true,
        }
    }
}
