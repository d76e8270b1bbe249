//! Householder QR: `A = Q·R` with `Q = H₁·H₂⋯H_k` orthogonal (`k = min(m, n)`, each
//! `H_i = I − τ_i·v_i·v_iᵀ` a [reflector](crate::householder)) and `R` upper trapezoidal;
//! with column pivoting, `A·P = Q·R` with `|r₁₁| ≥ |r₂₂| ≥ … ≥ |r_kk|`.
//!
//! Storage is LAPACK's compact form: after [`factor`] (`geqrf`), `R` is on and above the
//! diagonal of `a` and `v_i` below it (its leading 1 implicit), with the scales in `tau`
//! (`tau.len() == min(m, n)`). [`form_q`] (`orgqr`) builds the first `p` columns of `Q`
//! (`k ≤ p ≤ m`: numpy's `reduced` with `p = k`, `complete` with `p = m`); [`apply_q`]
//! (`ormqr`) multiplies by `Q` or `Qᵀ` from either side without forming it;
//! [`factor_pivoted`] (`geqp3`) adds column pivoting on the largest remaining column norm.
//!
//! [`factor`] is blocked: panels of [`QrParams::block_size`] columns are factored recursively
//! (halves, down to [`QrParams::recursion_threshold`] columns, then the unblocked GEMV + GER
//! loop), and each panel's reflectors update the trailing columns as one compact-WY block
//! `I − V·T·Vᵀ` (GEMM + TRMM). [`form_q`] and [`apply_q`] use the same blocks.

mod apply;
mod factor;
mod pivoted;
mod q;

pub use apply::{apply_q, apply_q_with_params};
pub use factor::{factor, factor_with_params};
pub use pivoted::factor_pivoted;
pub use q::{form_q, form_q_with_params};

pub use crate::householder::Trans;
pub use lapis_kernels::Side;

use lapis_kernels::{MatMut, MatRef, Scalar};

use crate::FactorError;

/// Tuning of the blocked QR algorithms; [`QrParams::for_scalar`] gives the defaults per type.
///
/// Changing these never changes what is computed beyond rounding, only how fast.
///
/// ```
/// use lapis_factor::qr::QrParams;
/// let p = QrParams::for_scalar::<f64>();
/// assert!(p.block_size >= p.recursion_threshold && p.recursion_threshold >= 1);
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct QrParams {
    /// Reflectors per compact-WY block (panel width of [`factor`], block width of
    /// [`form_q`] and [`apply_q`]).
    pub block_size: usize,
    /// Panels of at most this many columns are factored unblocked (GEMV + GER).
    pub recursion_threshold: usize,
    /// Check the input for NaN and infinities first and return
    /// [`FactorError::NonFinite`] without touching it (scipy's `check_finite=True`; numpy
    /// does not check and propagates NaN, which is what `false` does).
    pub check_finite: bool,
}

impl QrParams {
    /// The defaults for element type `T` (untuned starting points: 64-reflector blocks and a
    /// 16-column unblocked base case for `f64`, 96 and 24 for `f32`).
    ///
    /// ```
    /// use lapis_factor::qr::QrParams;
    /// assert_eq!(QrParams::for_scalar::<f64>().block_size, 64);
    /// ```
    pub fn for_scalar<T: Scalar>() -> Self {
        // Measured (f32, one thread): n = 100 took 1.1 ms with (96, 24) and 0.19 ms with
        // (64, 32); n = 500 2.8 ms against 3.4 ms. A small recursion threshold rebuilds the
        // T factor at every level, and a panel nearly as wide as the matrix builds a full T
        // for a trailing update of a few columns.
        QrParams {
            block_size: 64,
            recursion_threshold: 32,
            check_finite: true,
        }
    }
}

/// Runs `f` on a view of `a` whose columns are contiguous (`row_stride == 1`): `a` itself
/// when it already is, otherwise a column-major copy that is written back afterwards. Every
/// kernel call in the QR algorithms is fastest on such a view.
pub(crate) fn with_col_major<T: Scalar, R>(
    mut a: MatMut<'_, T>,
    f: impl FnOnce(MatMut<'_, T>) -> R,
) -> R {
    let (m, n) = a.shape();
    if a.row_stride() == 1 || m <= 1 || n == 0 {
        return f(a);
    }
    let mut buf = a.as_ref().to_col_major_vec();
    let r = f(MatMut::from_col_major(&mut buf, m, n).expect("column-major copy"));
    a.copy_from(MatRef::from_col_major(&buf, m, n).expect("column-major copy"));
    r
}

/// `Err(Shape)` unless `tau.len() == k`, naming `a` and `tau`.
fn check_tau(op: &'static str, a: (usize, usize), tau: usize, k: usize) -> Result<(), FactorError> {
    if tau == k {
        Ok(())
    } else {
        Err(FactorError::Shape {
            op,
            shapes: vec![("a", a), ("tau", (tau, 1))],
        })
    }
}

/// The start of each block of `block` reflectors among `k`: `0, nb, 2·nb, …`.
fn block_starts(k: usize, nb: usize) -> impl DoubleEndedIterator<Item = (usize, usize)> {
    let nb = nb.max(1);
    let count = k.div_ceil(nb);
    (0..count).map(move |b| {
        let j = b * nb;
        (j, nb.min(k - j))
    })
}
