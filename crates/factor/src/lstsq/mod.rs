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
//! and `gelsd` do).
//!
//! [`lstsq_svd`] is the SVD path (`gelsd`'s answer): `x = V·Σ_r⁺·Uᵀ·b` with the rank decided on
//! the singular values themselves, exactly as numpy does; it also returns them. numpy's
//! `lstsq` is built on it; [`lstsq`] (COD) is the cheaper alternative when the rank rule of
//! the pivoted QR is acceptable.

mod rank;
mod rz;
mod solve;
mod svd;

pub use rank::numerical_rank;
pub use solve::lstsq;
pub use svd::lstsq_svd;

use crate::FactorError;
use lapis_kernels::Scalar;

/// numpy's `rcond` for an `m × n` problem: `None` → `max(m, n)·ε`, negative → `ε`, NaN
/// rejected.
pub(crate) fn resolve_rcond<T: Scalar>(
    rcond: Option<T>,
    m: usize,
    n: usize,
) -> Result<T, FactorError> {
    match rcond {
        None => Ok(T::from_f64(m.max(n) as f64) * T::EPS),
        Some(r) if r.is_nan() => Err(FactorError::InvalidArgument { name: "rcond" }),
        Some(r) if r < T::zero() => Ok(T::EPS),
        Some(r) => Ok(r),
    }
}

/// What [`lstsq`] found besides the solution.
#[derive(Clone, Debug, PartialEq)]
pub struct LstsqInfo<T> {
    /// The numerical rank of `A` (see [the module docs](self) for how it is decided).
    pub rank: usize,
    /// Sums of squared residuals `‖b_j − A·x_j‖₂²`, one per right-hand side, following numpy:
    /// empty unless `rank == n` and `m > n`.
    pub residuals: Vec<T>,
}
