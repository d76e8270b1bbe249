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
    /// The defaults for element type `T`: 32-reflector blocks whose panels are factored
    /// unblocked (LAPACK's `dgeqrf` block size), measured best for both types.
    ///
    /// ```
    /// use lapis_factor::qr::QrParams;
    /// assert_eq!(QrParams::for_scalar::<f64>().block_size, 32);
    /// ```
    pub fn for_scalar<T: Scalar>() -> Self {
        // Measured (one thread, best of 30, f64 | f32): n = 100 square 102 | 95 µs with
        // (32, 32) against 149 | 138 µs with (64, 32); n = 200 367 | 293 against 647 | 450;
        // n = 500 3.39 | 2.12 ms against 4.32 | 2.47 ms; 400 × 100 191 against 242 µs and
        // 2000 × 100 737 against 833 µs (f64). Recursing inside a 64-column panel builds a
        // T factor per level and again for the whole panel; the deeper GEMM updates of
        // 64-wide blocks do not pay for that below n ≈ 1000.
        QrParams {
            block_size: 32,
            recursion_threshold: 32,
            check_finite: true,
        }
    }

    /// The defaults for applying (or forming from) `k` reflectors to a matrix with
    /// `columns` columns (rows for `Side::Right`): blocks of about a tenth of the narrower
    /// of the two, a multiple of 16 from 16 to 96.
    ///
    /// Wide blocks pay building the `T` factors (`m·k·block` flops in all) to make the
    /// `W = Vᵀ·C` and `C −= V·W` GEMMs deeper and `C` stream through memory fewer times.
    /// Measured on `Q·C` of order n (one thread, AVX-512 Xeon, f64 | f32): n = 100 and 200
    /// best with 16 (64 is 35–60% slower); n = 300 with 24–32; n = 500 with 48 (5.04 | 2.44
    /// ms against 5.63 | 2.49 with 32); n = 1000 with 64–96 (36.2 | 17.8 ms against 42.0 |
    /// 21.3 with 32); n = 2000 with 96 (261 | 127 ms against 327 | 164 with 32).
    ///
    /// ```
    /// use lapis_factor::qr::QrParams;
    /// assert_eq!(QrParams::for_apply::<f64>(100, 100).block_size, 16);
    /// assert_eq!(QrParams::for_apply::<f64>(500, 500).block_size, 48);
    /// assert_eq!(QrParams::for_apply::<f64>(2000, 2000).block_size, 96);
    /// assert_eq!(QrParams::for_apply::<f64>(2000, 1).block_size, 16);
    /// ```
    pub fn for_apply<T: Scalar>(k: usize, columns: usize) -> Self {
        let tenth = k.min(columns) / 10;
        QrParams {
            block_size: ((tenth + 8) / 16 * 16).clamp(16, 96),
            ..Self::for_scalar::<T>()
        }
    }

    /// The defaults for factoring an `m × n` matrix of `T`: those of [`for_scalar`] below
    /// 768 columns, 64-reflector blocks whose panels recurse down to 16 columns from there.
    ///
    /// Measured (one thread, best of 5+, after the block update became three GEMMs):
    /// f64 1000 × 1000 25.5–27.6 ms with (64, 16) against 29.3–30.2 ms with (32, 32); 2000 ×
    /// 2000 194 against 233 ms; 4000 × 1000 150 against 165 ms; f32 1000 × 1000 about 15%
    /// faster too. At n ≤ 500 (64, 16) is up to 30% slower (n = 200: 508 against 386 µs):
    /// the recursion builds a T factor per level and again for the whole panel.
    ///
    /// Matrices of at least 8 Mi elements take blocks of 96: their trailing updates stream
    /// a matrix far larger than the caches, and a deeper GEMM moves it less often
    /// (8000 × 2000 with 64 → 128: f64 1.21 → 1.10 s, f32 575 → 522 ms; 2000 × 2000 and
    /// 4000 × 1000 unchanged within 1–4%, 1000 × 1000 4–10% slower with 128). Since
    /// `W = Vᵀ·C` reads C unpacked for up to 96 rows (AVX-512), 96 beat 128 on 8000 × 2000:
    /// f64 1.07–1.10 against 1.08–1.13 s, f32 513 against 526 ms.
    ///
    /// f64 matrices with 400 to 767 columns (and rows) take blocks of 48 recursing to 16: 2000
    /// × 500 22.9–23.7 against 24.7–25.8 ms with (32, 32), 1600 × 400 12.4–12.7 against
    /// 13.2–13.3, 1200 × 600 16.5 against 17.8–18.6, 500 × 500 4.40–4.71 against 4.61–4.88,
    /// 400 × 400 even. f32 does not gain there (500 × 500 6% slower, 2000 × 500 even).
    ///
    /// [`for_scalar`]: QrParams::for_scalar
    ///
    /// ```
    /// use lapis_factor::qr::QrParams;
    /// assert_eq!(QrParams::for_shape::<f64>(100, 100), QrParams::for_scalar::<f64>());
    /// assert_eq!(QrParams::for_shape::<f64>(2000, 500).block_size, 48);
    /// assert_eq!(QrParams::for_shape::<f32>(2000, 500), QrParams::for_scalar::<f32>());
    /// assert_eq!(QrParams::for_shape::<f64>(4000, 1000).block_size, 64);
    /// assert_eq!(QrParams::for_shape::<f64>(8000, 2000).block_size, 96);
    /// ```
    pub fn for_shape<T: Scalar>(m: usize, n: usize) -> Self {
        let narrow = m.min(n);
        let block_size = if narrow >= 768 {
            let large = m.saturating_mul(n) >= 8 << 20;
            if large { 96 } else { 64 }
        } else if narrow >= 400 && core::mem::size_of::<T>() == 8 {
            48
        } else {
            return Self::for_scalar::<T>();
        };
        QrParams {
            block_size,
            recursion_threshold: 16,
            ..Self::for_scalar::<T>()
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
