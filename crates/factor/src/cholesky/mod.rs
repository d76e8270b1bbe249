//! Cholesky factorization of a symmetric positive definite matrix: `A = L·Lᵀ` (or `A = Uᵀ·U`).
//!
//! `l_jj = sqrt(a_jj − Σ_{k<j} l_jk²)` exists (the square root of a positive number) for every
//! `j` exactly when every leading principal minor of `A` is positive, i.e. when `A` is positive
//! definite; the first `j` where it fails names the leading minor of order `j + 1` that is not.
//!
//! [`factor`] (LAPACK `potrf`) is right-looking by panels of [`CholeskyParams::block_size`]
//! columns: factor the diagonal block `A11`, then `L21 = A21·L11⁻ᵀ` by TRSM and
//! `A22 ← A22 − L21·L21ᵀ` by SYRK. The diagonal blocks are factored by the same three steps
//! recursively (halves), down to [`CholeskyParams::recursion_threshold`] columns. With
//! threads, the update runs by blocks of columns that the other threads take while the caller
//! factors the next panel (one panel of lookahead). [`solve`] (LAPACK `potrs`) is two TRSMs.
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
/// assert!(p.block_size >= p.recursion_threshold && p.recursion_threshold >= 1 && p.check_finite);
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct CholeskyParams {
    /// Columns per panel of the outer right-looking loop (`usize::MAX`: one panel, i.e. a
    /// purely recursive factorization).
    pub block_size: usize,
    /// Diagonal blocks of at most this order are factored by the unblocked algorithm.
    pub recursion_threshold: usize,
    /// Check the referenced triangle for NaN and infinities first (scipy's
    /// `check_finite=True`) and return [`FactorError::NonFinite`](crate::FactorError::NonFinite)
    /// without touching it.
    pub check_finite: bool,
}

impl CholeskyParams {
    /// The defaults for element type `T`: panels of 128 columns (measured against 96–256 and
    /// pure recursion, see the `blocked` loop of `factor.rs`), an unblocked base case of order
    /// 16 for `f64` and 32 for `f32` (untuned).
    ///
    /// ```
    /// use lapis_factor::cholesky::CholeskyParams;
    /// assert_eq!(CholeskyParams::for_scalar::<f32>().recursion_threshold, 32);
    /// ```
    pub fn for_scalar<T: Scalar>() -> Self {
        let wide = core::mem::size_of::<T>() <= 4;
        CholeskyParams {
            block_size: 128,
            recursion_threshold: if wide { 32 } else { 16 },
            check_finite: true,
        }
    }
}
