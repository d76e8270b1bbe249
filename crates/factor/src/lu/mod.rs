//! LU factorization with partial pivoting: `P·A = L·U`.
//!
//! `L` is unit lower triangular with `|l_ij| ≤ 1` (each column's pivot is its largest entry in
//! magnitude), `U` upper triangular, and `P` a product of row interchanges recorded LAPACK-style
//! in `ipiv` (step `i` swapped rows `i` and `ipiv[i]`). Then `A·x = b` is `L·U·x = P·b`,
//! `det A = ±∏ u_ii`, and `A⁻¹ = U⁻¹·L⁻¹·P`.
//!
//! The factorization ([`factor`], LAPACK `getrf`) is blocked right-looking over panels of
//! [`LuParams::block_size`] columns, each panel factored recursively (split the columns in
//! halves, factor the left half, TRSM + GEMM the right half, recurse) down to
//! [`LuParams::recursion_threshold`] columns, so nearly all flops run in GEMM; on one thread,
//! large matrices are factored by the recursion alone ([`LuParams::for_problem`]). As in
//! LAPACK an exactly zero pivot does not stop it: the first one is reported in [`LuStatus`],
//! and the layers that would divide by it ([`solve`], [`inverse`]) return
//! [`FactorError::Singular`].

mod det;
mod factor;
mod inverse;
mod rcond;
mod solve;

pub use det::{det, slogdet};
// The complex LU (`crate::complex::lu`) shares the scaled pivot product and the parity.
pub(crate) use det::{frexp, ldexp, odd_permutation};
pub use factor::{factor, factor_with_params};
pub use inverse::inverse;
pub use rcond::{norm1, rcond};
pub use solve::{solve, solve_transpose};

use lapis_kernels::{Par, Scalar};

use crate::FactorError;

/// Tuning of the LU factorization; [`LuParams::for_scalar`] gives the defaults per type,
/// [`LuParams::for_problem`] those [`factor`] uses.
///
/// Changing these never changes what is computed beyond rounding, only how fast.
///
/// ```
/// use lapis_factor::lu::LuParams;
/// let p = LuParams::for_scalar::<f64>();
/// assert!(p.recursion_threshold >= 1 && p.block_size >= p.recursion_threshold);
/// assert!(p.check_finite);
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct LuParams {
    /// Width of the panels of the outer right-looking loop (`usize::MAX`: one panel, i.e. a
    /// purely recursive factorization). [`inverse`] uses the default's value as its block
    /// width.
    pub block_size: usize,
    /// Panels of at most this many columns are factored by the unblocked algorithm.
    pub recursion_threshold: usize,
    /// Check the input for NaN and infinities first (scipy's `check_finite=True`) and return
    /// [`FactorError::NonFinite`] without touching it.
    pub check_finite: bool,
}

impl LuParams {
    /// The defaults for element type `T` (untuned starting points: 128-column panels, an
    /// unblocked base case of 16 columns for `f64` and 32 for `f32`).
    ///
    /// ```
    /// use lapis_factor::lu::LuParams;
    /// assert_eq!(LuParams::for_scalar::<f32>().recursion_threshold, 32);
    /// ```
    pub fn for_scalar<T: Scalar>() -> Self {
        let wide = core::mem::size_of::<T>() <= 4;
        LuParams {
            block_size: 128,
            recursion_threshold: if wide { 32 } else { 16 },
            check_finite: true,
        }
    }

    /// The defaults [`factor`] uses for an `m × n` matrix of `T` on `par`: those of
    /// [`for_scalar`], except that on one thread a matrix with `min(m, n) ≥ 1000` is
    /// factored by the recursion alone, down to 16 columns.
    ///
    /// The blocked loop is for threads: its lookahead lets them update while the caller
    /// factors the next panel (when it came, `solve` f64 2000 on two threads went from 78.8
    /// to 60.8 ms). On one thread the recursion's larger GEMMs win once the matrix is large
    /// (best of 5, µs, blocked → recursive): f64 1000 13323 → 12934, 2000 96546–97768 →
    /// 93075–94833, 3000 328638 → 302985; f32 (threshold 32 → 16) 1000 7599–7764 →
    /// 7227–7361, 2000 52282 → 47414. Below 1000 the two were within noise (f64 500, 600,
    /// 800; f32 500).
    ///
    /// [`for_scalar`]: LuParams::for_scalar
    ///
    /// ```
    /// use lapis_factor::kernels::Par;
    /// use lapis_factor::lu::LuParams;
    /// assert_eq!(LuParams::for_problem::<f64>(500, 500, Par::Seq), LuParams::for_scalar::<f64>());
    /// assert_eq!(LuParams::for_problem::<f32>(2000, 2000, Par::Seq).block_size, usize::MAX);
    /// assert_eq!(LuParams::for_problem::<f64>(2000, 2000, Par::Rayon(2)).block_size, 128);
    /// ```
    pub fn for_problem<T: Scalar>(m: usize, n: usize, par: Par) -> Self {
        let defaults = Self::for_scalar::<T>();
        if par.is_parallel() || m.min(n) < 1000 {
            return defaults;
        }
        LuParams {
            block_size: usize::MAX,
            recursion_threshold: 16,
            ..defaults
        }
    }
}

/// What [`factor`] found: LAPACK's `info`, as an `Option`.
///
/// ```
/// use lapis_factor::lu::LuStatus;
/// use lapis_factor::FactorError;
/// let s = LuStatus { first_zero_pivot: Some(1) };
/// assert!(s.is_singular());
/// assert_eq!(s.check(), Err(FactorError::Singular { index: 1 }));
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub struct LuStatus {
    /// 0-based index `i` of the first exactly zero pivot `U[i, i]` (LAPACK's `info - 1`);
    /// `None` when `U` has no zero on its diagonal. The factorization is complete either way.
    pub first_zero_pivot: Option<usize>,
}

impl LuStatus {
    /// Whether `U` has an exactly zero diagonal entry (so `A` is singular).
    pub fn is_singular(&self) -> bool {
        self.first_zero_pivot.is_some()
    }

    /// `Err(Singular { index })` for a zero pivot, `Ok(())` otherwise.
    pub fn check(&self) -> Result<(), FactorError> {
        match self.first_zero_pivot {
            Some(index) => Err(FactorError::Singular { index }),
            None => Ok(()),
        }
    }
}

/// The row permutation of an LU factorization as a vector: `perm[i]` is the row of `A` that
/// ends up as row `i` of `P·A`, i.e. `A[perm, :] = L·U`.
///
/// `ipiv` is the pivot vector of a factorization with `nrows` rows (LAPACK order, 0-based,
/// as scipy's `lu_factor` returns it); `perm` is what scipy's docs call `piv_py`.
///
/// ```
/// use lapis_factor::lu::permutation;
/// // scipy: lu, piv = lu_factor(a); piv == [2, 2, 3, 3]  ->  a[[2, 0, 3, 1]] == L @ U
/// assert_eq!(permutation(&[2, 2, 3, 3], 4).unwrap(), vec![2, 0, 3, 1]);
/// ```
pub fn permutation(ipiv: &[usize], nrows: usize) -> Result<Vec<usize>, FactorError> {
    if ipiv.len() > nrows {
        return Err(FactorError::Shape {
            op: "lu::permutation",
            shapes: vec![("ipiv", (ipiv.len(), 1)), ("a", (nrows, nrows))],
        });
    }
    check_pivot_values(ipiv, nrows)?;
    let mut perm: Vec<usize> = (0..nrows).collect();
    for (i, &p) in ipiv.iter().enumerate() {
        perm.swap(i, p);
    }
    Ok(perm)
}

/// Every `ipiv[i] < nrows`.
pub(crate) fn check_pivot_values(ipiv: &[usize], nrows: usize) -> Result<(), FactorError> {
    match ipiv.iter().position(|&p| p >= nrows) {
        Some(index) => Err(FactorError::InvalidPivot {
            index,
            pivot: ipiv[index],
            nrows,
        }),
        None => Ok(()),
    }
}

/// The checks shared by every consumer of a square factorization `lu` (`n × n`) and its
/// pivots: square, `ipiv.len() == n`, every pivot a row. Returns `n`.
fn check_factorization<T>(
    op: &'static str,
    lu: lapis_kernels::MatRef<'_, T>,
    ipiv: &[usize],
) -> Result<usize, FactorError> {
    let n = crate::util::check_square(lu)?;
    if ipiv.len() != n {
        return Err(FactorError::Shape {
            op,
            shapes: vec![("lu", lu.shape()), ("ipiv", (ipiv.len(), 1))],
        });
    }
    check_pivot_values(ipiv, n)?;
    Ok(n)
}
