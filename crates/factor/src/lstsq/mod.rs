//! Least squares by a complete orthogonal decomposition (LAPACK `gelsy`): `A·P = Q·R` with
//! column pivoting, `R₂₂` dropped at the numerical rank `r`, then `[R₁₁ R₁₂] = [T 0]·Z` (an
//! RZ factorization, `tzrzf`), so that the minimum-norm minimizer of `‖A·x − b‖₂` is
//! `x = P·Zᵀ·[T⁻¹·(Qᵀb)[..r]; 0]`.
//!
//! **Rank.** numpy defines the rank as `#{σ_i > rcond·σ_max}` (default
//! `rcond = max(m, n)·ε`). Singular values are not available here; [`numerical_rank`] instead
//! runs LAPACK's incremental condition estimation (Bischof's ICE, as `laic1` inside `gelsy`)
//! along the diagonal of the pivoted `R`: it keeps estimates `s_max ≈ σ_max(R₁₁)` and
//! `s_min ≈ σ_min(R₁₁)` of the leading `r × r` triangle and accepts column `r` while
//! `s_min > rcond·s_max`. The estimates satisfy `s_min ≤ |r_rr|` and `s_max ≥ |r₀₀|`, and
//! `σ_min(R₁₁) ≤ σ_r(A)`; on matrices with a clear gap in their spectrum (exactly
//! rank-deficient data, products `X·Y` of thin factors) the rank and the minimum-norm answer
//! agree with numpy's SVD-based ones. On matrices whose singular values decay smoothly
//! through the threshold, the two may differ by one or two in the rank (as LAPACK's `gelsy`
//! and `gelsd` do). The SVD path (`gelsd`, which also returns the singular values) belongs to
//! the SVD module and the API layer.

mod rank;
mod rz;
mod solve;

pub use rank::numerical_rank;
pub use solve::lstsq;

/// What [`lstsq`] found besides the solution.
#[derive(Clone, Debug, PartialEq)]
pub struct LstsqInfo<T> {
    /// The numerical rank of `A` (see [the module docs](self) for how it is decided).
    pub rank: usize,
    /// Sums of squared residuals `‖b_j − A·x_j‖₂²`, one per right-hand side, following numpy:
    /// empty unless `rank == n` and `m > n`.
    pub residuals: Vec<T>,
}
