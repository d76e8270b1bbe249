//! Householder reflectors `H = I − τ·v·vᵀ` with `v[0] = 1`: generation, application, and the
//! compact-WY form `H₁·H₂⋯H_k = I − V·T·Vᵀ` of a block of them (Schreiber & Van Loan, 1989).
//!
//! `H` is symmetric and, for `τ ∈ {0} ∪ [1, 2]`, orthogonal; [`make_reflector`] chooses `τ` and
//! `v` so that `H·[α; x] = [β; 0]` (LAPACK `larfg`). A block of `k` reflectors is stored as the
//! columns of a unit lower trapezoidal `V` (`m × k`, `m ≥ k`; its diagonal and upper triangle
//! are **never read**, so the `R` factor of a QR can live there), and `T` is `k × k` upper
//! triangular ([`block_t`], LAPACK `larft`, forward columnwise). [`apply_block_left`] /
//! [`apply_block_right`] multiply by `I − V·T·Vᵀ` or its transpose with three GEMMs (LAPACK
//! `larfb`); [`apply_left`] / [`apply_right`] apply one reflector with GEMV + GER (`larf`).
//!
//! In every function the reflector vector is passed **without** its leading 1: `v_tail` has
//! length `m − 1` for a reflector of order `m`, as stored below the diagonal by a QR.
//!
//! Workspace is a `&mut Vec<T>` that is grown when shorter than needed (and never shrunk):
//! pass the same vector to every call of a loop and it is allocated at most once.
//!
//! ```
//! use lapis_factor::householder::{apply_left, make_reflector};
//! use lapis_factor::kernels::{MatMut, MatRef};
//! // H·[3, 4]ᵀ = [−5, 0]ᵀ
//! let (alpha, mut x) = (3.0f64, [4.0f64]);
//! let r = make_reflector(alpha, MatMut::from_col_major(&mut x, 1, 1).unwrap());
//! assert!((r.beta + 5.0).abs() < 1e-15);
//! let mut c = [3.0f64, 4.0]; // the original column, as a 2 × 1 matrix
//! let mut work = Vec::new();
//! apply_left(
//!     MatRef::from_col_major(&x, 1, 1).unwrap(),
//!     r.tau,
//!     MatMut::from_col_major(&mut c, 2, 1).unwrap(),
//!     &mut work,
//! )
//! .unwrap();
//! assert!((c[0] + 5.0).abs() < 1e-15 && c[1].abs() < 1e-15);
//! ```

use lapis_kernels::{MatMut, MatRef, Par, Scalar, Uplo, axpy, gemm, gemv, ger, nrm2, scal, syrk};

use crate::FactorError;

/// Whether a product uses `H` or `Hᵀ` (for `Q`: `Q` or `Qᵀ`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Trans {
    /// Multiply by the matrix itself.
    No,
    /// Multiply by its transpose.
    Yes,
}

impl Trans {
    /// The other one.
    ///
    /// ```
    /// use lapis_factor::householder::Trans;
    /// assert_eq!(Trans::No.flip(), Trans::Yes);
    /// ```
    pub fn flip(self) -> Self {
        match self {
            Trans::No => Trans::Yes,
            Trans::Yes => Trans::No,
        }
    }
}

/// The result of [`make_reflector`]: `H·[α; x] = [β; 0]` with `H = I − τ·v·vᵀ`.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Reflector<T> {
    /// The new leading entry `β = −sign(α)·‖[α; x]‖₂` (`β = α` when `τ = 0`).
    pub beta: T,
    /// The scale `τ`: `0` when `x = 0` (then `H = I`), otherwise `1 ≤ τ ≤ 2`.
    pub tau: T,
}

/// Generates the elementary reflector `H = I − τ·[1; v]·[1; v]ᵀ` with `H·[α; x] = [β; 0]`
/// (LAPACK `larfg`); overwrites `x` with `v` and returns `β` and `τ`.
///
/// `x` is any view, read as a vector of its elements (normally a column or a row). When
/// `x = 0`, `τ = 0` and `H = I` (even for negative `α`, as in LAPACK). Otherwise
/// `β = −sign(α)·‖[α; x]‖₂` (so `α − β` never cancels), `τ = (β − α)/β` and
/// `v = x/(α − β)`. The norm is the kernels' overflow-safe [`nrm2`]; when `|β|` is below
/// `safmin = MIN_POSITIVE/ε` the vector is rescaled by `1/safmin` (up to 20 times) before `τ`
/// and `v` are formed, so that `v` and `τ` are accurate for tiny (even subnormal) data.
/// A NaN or infinity in the input gives NaN in the output; nothing panics.
///
/// ```
/// use lapis_factor::householder::make_reflector;
/// use lapis_factor::kernels::MatMut;
/// let mut x = [0.0, 0.0];
/// let r = make_reflector(-2.0, MatMut::from_col_major(&mut x, 2, 1).unwrap());
/// assert_eq!((r.beta, r.tau), (-2.0, 0.0)); // nothing to annihilate: H = I
///
/// let mut x = [1e-300, 1e-300];
/// let r = make_reflector(1e-300, MatMut::from_col_major(&mut x, 2, 1).unwrap());
/// assert!((r.beta / (-3f64.sqrt() * 1e-300) - 1.0).abs() < 1e-15);
/// ```
pub fn make_reflector<T: Scalar>(alpha: T, mut x: MatMut<'_, T>) -> Reflector<T> {
    let zero = T::zero();
    let one = T::one();
    let mut xnorm = nrm2(x.as_ref());
    if xnorm == zero {
        return Reflector {
            beta: alpha,
            tau: zero,
        };
    }
    let mut alpha = alpha;
    let mut beta = -alpha.hypot(xnorm).copysign(alpha);
    let safmin = T::MIN_POSITIVE / T::EPS;
    let rsafmin = one / safmin;
    let mut knt = 0;
    if beta.abs() < safmin {
        // ‖[α; x]‖ is so small that 1/(α − β) could overflow or lose accuracy: scale up.
        while beta.abs() < safmin && knt < 20 {
            scal(rsafmin, x.rb());
            beta *= rsafmin;
            alpha *= rsafmin;
            knt += 1;
        }
        xnorm = nrm2(x.as_ref());
        beta = -alpha.hypot(xnorm).copysign(alpha);
    }
    let tau = (beta - alpha) / beta;
    scal(one / (alpha - beta), x.rb());
    for _ in 0..knt {
        beta *= safmin;
    }
    Reflector { beta, tau }
}

/// Number of elements of a vector view (`k × 1`, `1 × k` or empty); `None` for a matrix.
fn vec_len<T>(v: &MatRef<'_, T>) -> Option<usize> {
    let (r, c) = v.shape();
    if r == 1 || c == 1 || r * c == 0 {
        Some(r * c)
    } else {
        None
    }
}

/// A column-major `m × n` view of the first `m·n` elements of `work`, grown when needed.
pub(crate) fn work_mat<T: Scalar>(work: &mut Vec<T>, m: usize, n: usize) -> MatMut<'_, T> {
    let len = m * n;
    if work.len() < len {
        work.resize(len, T::zero());
    }
    MatMut::from_col_major(&mut work[..len], m, n).expect("column-major workspace")
}

/// `C ← H·C` with `H = I − τ·[1; v]·[1; v]ᵀ` (LAPACK `larf`, side left), by GEMV and GER:
/// `wᵀ = C[0, :] + v_tailᵀ·C[1.., :]`, `C[0, :] −= τ·wᵀ`, `C[1.., :] −= τ·v_tail·wᵀ`.
///
/// `c` is `m × n` with any strides, `v_tail` a vector of length `m − 1` (the reflector without
/// its leading 1). `τ = 0` (or an empty `c`) leaves `c` unchanged. Since `H = Hᵀ`, this also
/// applies `Hᵀ`. `work` is grown to at least `n` elements.
///
/// Errors with [`FactorError::Shape`] when `v_tail` is not a vector of length `m − 1`.
///
/// ```
/// use lapis_factor::householder::apply_left;
/// use lapis_factor::kernels::{MatMut, MatRef};
/// // H = I − 1·[1; 1][1; 1]ᵀ = [[0, −1], [−1, 0]]
/// let v = [1.0];
/// let mut c = [1.0, 2.0, 3.0, 4.0]; // [[1, 2], [3, 4]] row-major
/// apply_left(
///     MatRef::from_col_major(&v, 1, 1).unwrap(),
///     1.0,
///     MatMut::from_row_major(&mut c, 2, 2).unwrap(),
///     &mut Vec::new(),
/// )
/// .unwrap();
/// assert_eq!(c, [-3.0, -4.0, -1.0, -2.0]);
/// ```
pub fn apply_left<T: Scalar>(
    v_tail: MatRef<'_, T>,
    tau: T,
    c: MatMut<'_, T>,
    work: &mut Vec<T>,
) -> Result<(), FactorError> {
    let (m, n) = c.shape();
    if m == 0 || vec_len(&v_tail) != Some(m - 1) {
        if m == 0 && vec_len(&v_tail) == Some(0) {
            return Ok(());
        }
        return Err(FactorError::Shape {
            op: "householder::apply_left",
            shapes: vec![("v_tail", v_tail.shape()), ("c", (m, n))],
        });
    }
    if tau == T::zero() || n == 0 {
        return Ok(());
    }
    let mut w = work_mat(work, n, 1);
    let (mut c0, mut c1) = c.split_at_row(1);
    w.copy_from(c0.as_ref().transpose());
    if m > 1 {
        gemv(
            T::one(),
            c1.as_ref().transpose(),
            v_tail,
            T::one(),
            w.rb(),
            Par::Seq,
        )?;
    }
    axpy(-tau, w.as_ref(), c0.rb())?;
    if m > 1 {
        ger(-tau, v_tail, w.as_ref(), c1.rb())?;
    }
    Ok(())
}

/// `C ← C·H` with `H = I − τ·[1; v]·[1; v]ᵀ` (LAPACK `larf`, side right): `c` is `m × n` and
/// `v_tail` has length `n − 1`. Same conventions as [`apply_left`] (`work`: `m` elements).
///
/// ```
/// use lapis_factor::householder::apply_right;
/// use lapis_factor::kernels::{MatMut, MatRef};
/// let v = [1.0];
/// let mut c = [1.0, 2.0, 3.0, 4.0]; // [[1, 2], [3, 4]] row-major
/// apply_right(
///     MatRef::from_col_major(&v, 1, 1).unwrap(),
///     1.0,
///     MatMut::from_row_major(&mut c, 2, 2).unwrap(),
///     &mut Vec::new(),
/// )
/// .unwrap();
/// assert_eq!(c, [-2.0, -1.0, -4.0, -3.0]); // columns swapped and negated
/// ```
pub fn apply_right<T: Scalar>(
    v_tail: MatRef<'_, T>,
    tau: T,
    c: MatMut<'_, T>,
    work: &mut Vec<T>,
) -> Result<(), FactorError> {
    apply_left(v_tail, tau, c.transpose(), work).map_err(|e| rename(e, "householder::apply_right"))
}

fn rename(e: FactorError, op: &'static str) -> FactorError {
    match e {
        FactorError::Shape { shapes, .. } => FactorError::Shape { op, shapes },
        e => e,
    }
}

/// The upper triangular `T` (`k × k`) with `H₁·H₂⋯H_k = I − V·T·Vᵀ` (LAPACK `larft`, forward,
/// columnwise), where `H_i = I − τ_i·v_i·v_iᵀ` and `v_i` is column `i` of the unit lower
/// trapezoidal `v` (`m × k`, `m ≥ k`; only its strictly lower part is read).
///
/// `T[i, i] = τ_i` and `T[0..i, i] = −τ_i·T[0..i, 0..i]·(V[:, 0..i]ᵀ·v_i)`: the Gram products
/// `Vᵀ·V` come from a SYRK (the rows below the triangle) and a GEMM (the triangle with its
/// unit diagonal made explicit), then each column is one in-place triangular product. The
/// strictly lower part of `t` is set to zero. `k = tau.len()`.
///
/// Errors with [`FactorError::Shape`] when `v` is not `m × k` with `m ≥ k` or `t` not `k × k`.
///
/// ```
/// use lapis_factor::householder::block_t;
/// use lapis_factor::kernels::{MatMut, MatRef, Par};
/// // v₁ = [1, 1], v₂ = [0, 1] (column-major, the diagonal entries are not read)
/// let v = [9.0, 1.0, 9.0, 9.0];
/// let tau = [1.0, 2.0];
/// let mut t = [0.0; 4];
/// block_t(
///     MatRef::from_col_major(&v, 2, 2).unwrap(),
///     &tau,
///     MatMut::from_col_major(&mut t, 2, 2).unwrap(),
///     Par::Seq,
/// )
/// .unwrap();
/// // T[0, 1] = −τ₂·τ₁·(v₁ᵀv₂) = −2
/// assert_eq!(t, [1.0, 0.0, -2.0, 2.0]);
/// ```
pub fn block_t<T: Scalar>(
    v: MatRef<'_, T>,
    tau: &[T],
    mut t: MatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    let k = tau.len();
    let m = v.nrows();
    if v.ncols() != k || m < k || t.shape() != (k, k) {
        return Err(FactorError::Shape {
            op: "householder::block_t",
            shapes: vec![("v", v.shape()), ("tau", (k, 1)), ("t", t.shape())],
        });
    }
    if k == 0 {
        return Ok(());
    }
    // S = VᵀV in a local column-major buffer (only its strict upper part is used): V₂ᵀ·V₂ by
    // SYRK (its upper triangle: half the flops of a GEMM; 8000 × 96 f64, one thread: 2.24 →
    // 1.61 ms) plus V₁ᵀ·V₁ with the unit lower triangle V₁ made explicit, by GEMM.
    let (v1, v2) = v.split_at_row(k);
    let mut buf = vec![T::zero(); 2 * k * k];
    let (s, v1_full) = buf.split_at_mut(k * k);
    for i in 0..k {
        v1_full[i + i * k] = T::one();
        for p in i + 1..k {
            v1_full[p + i * k] = v1.get(p, i);
        }
    }
    let v1_full = MatRef::from_col_major(v1_full, k, k).expect("k × k workspace");
    let mut s_mat = MatMut::from_col_major(s, k, k).expect("k × k workspace");
    syrk(
        Uplo::Upper,
        T::one(),
        v2.transpose(),
        T::zero(),
        s_mat.rb(),
        par,
    )?;
    gemm(T::one(), v1_full.transpose(), v1_full, T::one(), s_mat, par)?;
    // Column i of T: T[..i, i] = −τ_i·T[..i, ..i]·S[..i, i], then T[i, i] = τ_i. The
    // triangular product runs in place column by column: step c reads S[c, i] before it is
    // first written and adds T[..c, c]·S[c, i] to the rows above, whose products are
    // complete up to column c − 1 (independent multiply-adds that vectorize, where row-wise
    // dot products would be a chain of dependent ones; a trmm call per column cost more).
    for i in 0..k {
        let (done, rest) = s.split_at_mut(i * k);
        let col = &mut rest[..i];
        for c in 0..i {
            let x = -tau[i] * col[c];
            let t_col = &done[c * k..c * k + c + 1];
            for (y, &t_rc) in col[..c].iter_mut().zip(&t_col[..c]) {
                *y += t_rc * x;
            }
            col[c] = t_col[c] * x;
        }
        rest[i] = tau[i];
        rest[i + 1..k].fill(T::zero());
    }
    t.copy_from(MatRef::from_col_major(s, k, k).expect("k × k workspace"));
    Ok(())
}

/// `C ← (I − V·T·Vᵀ)·C` (`Trans::No`) or `C ← (I − V·T·Vᵀ)ᵀ·C` (`Trans::Yes`) (LAPACK
/// `larfb`, side left, forward, columnwise).
///
/// `v` is the unit lower trapezoidal `m × k` block (strictly lower part read), `t` its `k × k`
/// upper triangular factor from [`block_t`] (upper triangle read), `c` is `m × n`, all with
/// any strides. With the top `k × k` block of `V` copied to a workspace with its unit diagonal
/// and zero upper triangle explicit: `W = Vᵀ·C`, `W ← T·W` or `Tᵀ·W`, `C −= V·W`, as GEMMs on
/// the top block and the rows below it. `work` grows to `2·k² + 2·k·n`.
///
/// Errors with [`FactorError::Shape`] when the shapes do not fit.
///
/// ```
/// use lapis_factor::householder::{apply_block_left, block_t, Trans};
/// use lapis_factor::kernels::{MatMut, MatRef, Par};
/// // one reflector H = I − 1·[1; 1][1; 1]ᵀ as a block of width 1
/// let v = [0.0, 1.0];
/// let mut t = [0.0];
/// block_t(MatRef::from_col_major(&v, 2, 1).unwrap(), &[1.0], MatMut::from_col_major(&mut t, 1, 1).unwrap(), Par::Seq)
///     .unwrap();
/// let mut c = [1.0, 2.0];
/// apply_block_left(
///     Trans::No,
///     MatRef::from_col_major(&v, 2, 1).unwrap(),
///     MatRef::from_col_major(&t, 1, 1).unwrap(),
///     MatMut::from_col_major(&mut c, 2, 1).unwrap(),
///     &mut Vec::new(),
///     Par::Seq,
/// )
/// .unwrap();
/// assert_eq!(c, [-2.0, -1.0]);
/// ```
pub fn apply_block_left<T: Scalar>(
    trans: Trans,
    v: MatRef<'_, T>,
    t: MatRef<'_, T>,
    c: MatMut<'_, T>,
    work: &mut Vec<T>,
    par: Par,
) -> Result<(), FactorError> {
    let (m, k) = v.shape();
    let n = c.ncols();
    if m < k || t.shape() != (k, k) || c.nrows() != m {
        return Err(FactorError::Shape {
            op: "householder::apply_block_left",
            shapes: vec![("v", v.shape()), ("t", t.shape()), ("c", c.shape())],
        });
    }
    if k == 0 || n == 0 {
        return Ok(());
    }
    // V's top k × k block with its unit diagonal and zero upper triangle made explicit, and T
    // with its lower triangle zeroed, so that every product is a GEMM: the triangular
    // products of the textbook form (k × k TRMMs on k × n blocks) run far below GEMM speed
    // at the block widths used. The rows of V below it are read where they lie: the GEMMs
    // copy or pack them anyway, and a full explicit copy of V streamed m·k elements through
    // memory once more per block (2% of a QR of 8000 × 2000).
    let need = 2 * k * k + 2 * k * n;
    if work.len() < need {
        work.resize(need, T::zero());
    }
    let (v_buf, rest) = work.split_at_mut(k * k);
    let (w_buf, rest) = rest.split_at_mut(k * n);
    let (tw_buf, rest) = rest.split_at_mut(k * n);
    let t_buf = &mut rest[..k * k];
    let (v1, v2) = v.split_at_row(k);
    let mut v1_full = MatMut::from_col_major(v_buf, k, k).expect("k × k workspace");
    v1_full.copy_from(v1);
    let mut t_full = MatMut::from_col_major(t_buf, k, k).expect("k × k workspace");
    t_full.copy_from(t);
    for j in 0..k {
        for i in 0..j {
            v1_full.write(i, j, T::zero());
            t_full.write(j, i, T::zero());
        }
        v1_full.write(j, j, T::one());
    }
    let (v1_full, t_full) = (v1_full.into_ref(), t_full.into_ref());
    let t_op = match trans {
        Trans::No => t_full,
        Trans::Yes => t_full.transpose(),
    };
    let mut w = MatMut::from_col_major(w_buf, k, n).expect("k × n workspace");
    let mut tw = MatMut::from_col_major(tw_buf, k, n).expect("k × n workspace");
    let (mut c1, mut c2) = c.split_at_row(k);
    // W = V₁ᵀ·C₁ + V₂ᵀ·C₂, TW = op(T)·W, C₁ −= V₁·TW, C₂ −= V₂·TW.
    gemm(
        T::one(),
        v2.transpose(),
        c2.as_ref(),
        T::zero(),
        w.rb(),
        par,
    )?;
    gemm(
        T::one(),
        v1_full.transpose(),
        c1.as_ref(),
        T::one(),
        w.rb(),
        par,
    )?;
    gemm(T::one(), t_op, w.as_ref(), T::zero(), tw.rb(), par)?;
    gemm(-T::one(), v1_full, tw.as_ref(), T::one(), c1.rb(), par)?;
    gemm(-T::one(), v2, tw.as_ref(), T::one(), c2.rb(), par)?;
    Ok(())
}

/// `C ← C·(I − V·T·Vᵀ)` (`Trans::No`) or `C ← C·(I − V·T·Vᵀ)ᵀ` (`Trans::Yes`) (LAPACK `larfb`,
/// side right): `c` is `n × m` for the `m × k` block `v`. Computed as the transpose of
/// [`apply_block_left`] on `Cᵀ` with the opposite `trans`; `work` grows as there.
///
/// ```
/// use lapis_factor::householder::{apply_block_right, Trans};
/// use lapis_factor::kernels::{MatMut, MatRef, Par};
/// let (v, t) = ([0.0, 1.0], [1.0]);
/// let mut c = [1.0, 2.0]; // 1 × 2
/// apply_block_right(
///     Trans::Yes,
///     MatRef::from_col_major(&v, 2, 1).unwrap(),
///     MatRef::from_col_major(&t, 1, 1).unwrap(),
///     MatMut::from_row_major(&mut c, 1, 2).unwrap(),
///     &mut Vec::new(),
///     Par::Seq,
/// )
/// .unwrap();
/// assert_eq!(c, [-2.0, -1.0]);
/// ```
pub fn apply_block_right<T: Scalar>(
    trans: Trans,
    v: MatRef<'_, T>,
    t: MatRef<'_, T>,
    c: MatMut<'_, T>,
    work: &mut Vec<T>,
    par: Par,
) -> Result<(), FactorError> {
    apply_block_left(trans.flip(), v, t, c.transpose(), work, par)
        .map_err(|e| rename(e, "householder::apply_block_right"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(m: usize, n: usize, seed: u64) -> Vec<f64> {
        let mut s = seed;
        (0..m * n)
            .map(|_| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((s >> 11) as f64 / (1u64 << 53) as f64) - 0.5
            })
            .collect()
    }

    /// The largest magnitude, NaN if any entry is NaN (`f64::max` would drop it).
    fn max_abs(x: &[f64]) -> f64 {
        x.iter().fold(0.0, |m, v| {
            if v.abs() > m || v.is_nan() {
                v.abs()
            } else {
                m
            }
        })
    }

    /// A block of `k` reflectors of order `m` (tails below the diagonal of a column-major
    /// `m × k` array whose diagonal and upper triangle hold NaN, which must never be read)
    /// and their scales.
    fn reflector_block(m: usize, k: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
        let mut v = sample(m, k, seed);
        let mut tau = vec![0.0; k];
        for j in 0..k {
            let col = &mut v[j * m..(j + 1) * m];
            let alpha = col[j];
            let tail = MatMut::from_col_major(&mut col[j + 1..], m - j - 1, 1).unwrap();
            tau[j] = make_reflector(alpha, tail).tau;
            col[..=j].fill(f64::NAN);
        }
        (v, tau)
    }

    /// The block products against the reflectors applied one at a time, for both
    /// transpositions and both sides, with NaN in every entry the contract says is not read
    /// (V's diagonal and upper triangle, T's strictly lower triangle).
    #[test]
    fn block_products_match_one_reflector_at_a_time() {
        for (m, k, n) in [
            (1, 1, 3),
            (5, 1, 4),
            (7, 3, 1),
            (40, 32, 17),
            (100, 64, 30),
            (64, 64, 5),
        ] {
            let (v, tau) = reflector_block(m, k, (m * 31 + k) as u64);
            let v = MatRef::from_col_major(&v, m, k).unwrap();
            let mut t = vec![f64::NAN; k * k];
            block_t(
                v,
                &tau,
                MatMut::from_col_major(&mut t, k, k).unwrap(),
                Par::Seq,
            )
            .unwrap();
            for j in 0..k {
                for i in j + 1..k {
                    assert_eq!(t[i + j * k], 0.0, "block_t zeroes the lower triangle");
                    t[i + j * k] = f64::NAN;
                }
            }
            let t = MatRef::from_col_major(&t, k, k).unwrap();
            let c0 = sample(m, n, 7 + m as u64);
            let mut work = Vec::new();
            for trans in [Trans::No, Trans::Yes] {
                // Q = H₁⋯H_k: Q·C applies H_k first; Qᵀ·C applies H₁ first.
                let mut want = c0.clone();
                let order: Vec<usize> = match trans {
                    Trans::No => (0..k).rev().collect(),
                    Trans::Yes => (0..k).collect(),
                };
                for &j in &order {
                    let c = MatMut::from_col_major(&mut want, m, n).unwrap();
                    let (_, rows) = c.split_at_row(j);
                    let tail = v.submatrix(j + 1, j, m - j - 1, 1);
                    apply_left(tail, tau[j], rows, &mut work).unwrap();
                }
                let mut got = c0.clone();
                let c = MatMut::from_col_major(&mut got, m, n).unwrap();
                apply_block_left(trans, v, t, c, &mut work, Par::Seq).unwrap();
                let mut right = c0.clone();
                let ct = MatMut::from_row_major(&mut right, n, m).unwrap();
                apply_block_right(trans.flip(), v, t, ct, &mut work, Par::Seq).unwrap();
                let diff: Vec<f64> = got.iter().zip(&want).map(|(a, b)| a - b).collect();
                let diff_r: Vec<f64> = right.iter().zip(&want).map(|(a, b)| a - b).collect();
                let bound = 4.0 * (m * k) as f64 * f64::EPSILON * max_abs(&c0);
                assert!(
                    max_abs(&diff) <= bound,
                    "{m}×{k}·{n} {trans:?}: {}",
                    max_abs(&diff)
                );
                assert!(max_abs(&diff_r) <= bound, "right {m}×{k}·{n} {trans:?}");
            }
        }
    }
}
