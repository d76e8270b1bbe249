//! `A = L·Lᵀ` in place (LAPACK `potrf`): blocked right-looking over panels factored
//! recursively, with TRSM and SYRK doing the updates, one panel of lookahead with threads.

use lapis_kernels::{Diag, MatMut, MatRef, Par, Scalar, Side, Uplo, gemm, potf2, syrk, trsm};

use super::CholeskyParams;
use crate::FactorError;
use crate::util::{check_square, chunks_of, lower_finite, split_cols, take_in_turn};

/// Factors the symmetric positive definite `a` (any strides) in place, with the default
/// [`CholeskyParams`] for `T`: `Uplo::Lower` gives `A = L·Lᵀ` with `L` in the lower triangle,
/// `Uplo::Upper` gives `A = Uᵀ·U` with `U` in the upper triangle.
///
/// Only the named triangle (with the diagonal) is read and written; the other is left as it
/// was (numpy's `cholesky` returns the lower factor and zeros above it; clear them yourself).
///
/// Errors: [`FactorError::NotPositiveDefinite`] `{ minor }` when the leading principal
/// submatrix of order `minor` (1-based, LAPACK's `info`) is not positive definite — `a`
/// then holds the factorization of the first `minor − 1` columns and partial updates after
/// them; [`FactorError::NotSquare`]; [`FactorError::NonFinite`] (leaving `a` untouched)
/// when the triangle holds NaN or an infinity.
///
/// ```
/// use lapis_factor::kernels::{MatMut, Par};
/// use lapis_factor::cholesky::{self, Uplo};
/// use lapis_factor::FactorError;
/// // numpy: np.linalg.cholesky(a)
/// let mut a = [4.0, 2.0, 2.0, 5.0]; // [[4, 2], [2, 5]]
/// cholesky::factor(MatMut::from_row_major(&mut a, 2, 2).unwrap(), Uplo::Lower, Par::Seq).unwrap();
/// assert_eq!(a, [2.0, 2.0, 1.0, 2.0]); // L = [[2, 0], [1, 2]]; the upper entry is untouched
///
/// // numpy: LinAlgError("Matrix is not positive definite")
/// let mut b = [1.0, 2.0, 2.0, 1.0];
/// let e = cholesky::factor(MatMut::from_row_major(&mut b, 2, 2).unwrap(), Uplo::Lower, Par::Seq);
/// assert_eq!(e, Err(FactorError::NotPositiveDefinite { minor: 2 }));
/// ```
pub fn factor<T: Scalar>(a: MatMut<'_, T>, uplo: Uplo, par: Par) -> Result<(), FactorError> {
    factor_with_params(a, uplo, par, &CholeskyParams::for_scalar::<T>())
}

/// [`factor`] with explicit tuning parameters.
///
/// ```
/// use lapis_factor::kernels::{MatMut, Par};
/// use lapis_factor::cholesky::{self, CholeskyParams, Uplo};
/// // scipy: cholesky(a, lower=False, check_finite=False)
/// let params = CholeskyParams { check_finite: false, ..CholeskyParams::for_scalar::<f64>() };
/// let mut a = [4.0, 2.0, 2.0, 5.0];
/// cholesky::factor_with_params(MatMut::from_row_major(&mut a, 2, 2).unwrap(), Uplo::Upper, Par::Seq, &params)
///     .unwrap();
/// assert_eq!(a, [2.0, 1.0, 2.0, 2.0]); // U = [[2, 1], [0, 2]]
/// ```
pub fn factor_with_params<T: Scalar>(
    a: MatMut<'_, T>,
    uplo: Uplo,
    par: Par,
    params: &CholeskyParams,
) -> Result<(), FactorError> {
    check_square(a.as_ref())?;
    // The upper triangle of A is the lower triangle of the (free) transposed view, and
    // A = Uᵀ·U with U = Lᵀ is the same factorization read the other way.
    let a = match uplo {
        Uplo::Lower => a,
        Uplo::Upper => a.transpose(),
    };
    if params.check_finite && !lower_finite(a.as_ref()) {
        return Err(FactorError::NonFinite);
    }
    blocked(
        a,
        par,
        params.block_size.max(1),
        params.recursion_threshold.max(1),
    )
}

/// The right-looking outer loop: per panel of `nb` columns, `L11 = chol(A11)` (recursive),
/// `L21 = A21·L11⁻ᵀ` and one SYRK `A22 ← A22 − L21·L21ᵀ` of depth `nb` on the whole trailing
/// matrix; with threads, [`lookahead`].
///
/// The recursion alone splits in halves all the way, which puts half of the flops in TRSM,
/// whose own recursion ends in shallow GEMMs and substitution leaves (~50 GF/s against ~75
/// for GEMM and ~73 for a depth-128 SYRK, f64 on one AVX-512 Xeon core); with panels of 128
/// the TRSM share is `≈ 1.5·nb/n` (a fifth at n = 1000) and the rest is that SYRK.
/// Measured against the recursion alone (same process, interleaved, best of ≥ 12, f64/f32,
/// µs): n = 500: 1024/546 → 1004/527; n = 1000: 6787/3541 → 6403/3266; n = 2000:
/// 46356/23328 → 45286/22314. Panels of 96 and 160 were within noise of 128; 192 and 256
/// slower in f64.
fn blocked<T: Scalar>(
    mut a: MatMut<'_, T>,
    par: Par,
    nb: usize,
    threshold: usize,
) -> Result<(), FactorError> {
    if par.is_parallel() {
        return lookahead(a, par, nb, threshold);
    }
    let n = a.nrows();
    for j in (0..n).step_by(nb) {
        let jb = nb.min(n - j);
        let (top, bottom) = a.rb().submatrix(j, j, n - j, n - j).split_at_row(jb);
        let (mut a11, _) = top.split_at_col(jb);
        let (mut a21, mut a22) = bottom.split_at_col(jb);
        lower(a11.rb(), par, threshold).map_err(|e| shift_minor(e, j))?;
        update_below(a11.as_ref(), a21.rb(), a22.rb(), par)?;
    }
    Ok(())
}

/// [`blocked`] with threads: `A22 ← A22 − L21·L21ᵀ` by blocks of [`AHEAD_BLOCK`] columns (a
/// SYRK on the block's diagonal, a GEMM below it), one panel ahead: the caller updates the
/// next panel's columns and factors that panel while the other threads of `par` update the
/// other blocks, which the caller then joins. Factoring a panel is narrow, sequential work;
/// run between whole updates it left the other threads idle.
///
/// Measured against [`blocked`]'s loop (bench runner, interleaved, two threads, f64): n =
/// 1000 5.36–5.45 → 4.56–4.68 ms, 2000 30.2–30.8 → 27.8–29.1 ms; f32 2000 16.6 → 13.8–14.4
/// ms. On one thread the blocks cost 4–7% against the one SYRK (f64 2000: 43.8 against
/// 45.7–46.9 ms), so the sequential loop keeps it.
fn lookahead<T: Scalar>(
    mut a: MatMut<'_, T>,
    par: Par,
    nb: usize,
    threshold: usize,
) -> Result<(), FactorError> {
    let n = a.nrows();
    if n == 0 {
        return Ok(());
    }
    let jb0 = nb.min(n);
    factor_panel(a.rb().submatrix(0, 0, n, jb0), par, threshold)?;
    let mut j = 0;
    while j + nb.min(n - j) < n {
        let jb = nb.min(n - j);
        let rest = n - j - jb;
        let next = nb.min(rest);
        let (l21, a22) = a
            .rb()
            .submatrix(j + jb, j, rest, jb + rest)
            .split_at_col(jb);
        let l21 = l21.into_ref();
        let (mut ahead, others) = a22.split_at_col(next);
        let ranges = chunks_of(others.ncols(), AHEAD_BLOCK);
        let blocks = split_cols(others, &ranges);
        let update_block = |b: usize| {
            let mut block = blocks[b].lock().expect("block of the update");
            update_columns(l21, next + ranges[b].start, block.rb())
        };
        take_in_turn(par, ranges.len(), update_block, || {
            update_columns(l21, 0, ahead.rb())?;
            let panel = ahead.rb().submatrix(0, 0, rest, next);
            factor_panel(panel, Par::Seq, threshold).map_err(|e| shift_minor(e, j + jb))
        })?;
        j += jb;
    }
    Ok(())
}

/// Columns per block of the trailing update, which the threads take in turn while the caller
/// factors the next panel.
const AHEAD_BLOCK: usize = 256;

/// The panel `[A11; A21]` (`rows × jb`, `rows ≥ jb`): `L11 = chol(A11)`, `L21 = A21·L11⁻ᵀ`.
fn factor_panel<T: Scalar>(
    panel: MatMut<'_, T>,
    par: Par,
    threshold: usize,
) -> Result<(), FactorError> {
    let jb = panel.ncols();
    let (mut a11, mut a21) = panel.split_at_row(jb);
    lower(a11.rb(), par, threshold)?;
    solve_below(a11.as_ref(), a21.rb(), par)
}

/// `A22[c0.., c0..c0 + w] −= L21[c0.., :]·L21[c0..c0 + w, :]ᵀ` on and below the diagonal of
/// A22, for the `w` columns `block` of A22 starting at column `c0` (their full height,
/// `l21.nrows()` rows).
fn update_columns<T: Scalar>(
    l21: MatRef<'_, T>,
    c0: usize,
    block: MatMut<'_, T>,
) -> Result<(), FactorError> {
    let (rows, w) = block.shape();
    let (_, below) = block.split_at_row(c0);
    let (diag, under) = below.split_at_row(w);
    let top = l21.submatrix(c0, 0, w, l21.ncols());
    syrk(Uplo::Lower, -T::one(), top, T::one(), diag, Par::Seq)?;
    let low = l21.submatrix(c0 + w, 0, rows - c0 - w, l21.ncols());
    gemm(-T::one(), low, top.transpose(), T::one(), under, Par::Seq)?;
    Ok(())
}

/// Given `L11` in `a11`: `L21 = A21·L11⁻ᵀ` (TRSM) and `A22 ← A22 − L21·L21ᵀ` on the lower
/// triangle (SYRK).
fn update_below<T: Scalar>(
    a11: MatRef<'_, T>,
    mut a21: MatMut<'_, T>,
    a22: MatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    solve_below(a11, a21.rb(), par)?;
    syrk(Uplo::Lower, -T::one(), a21.as_ref(), T::one(), a22, par)?;
    Ok(())
}

/// `L21 = A21·L11⁻ᵀ` in place, `L11` in the lower triangle of `a11`.
fn solve_below<T: Scalar>(
    a11: MatRef<'_, T>,
    a21: MatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    // X·L11ᵀ = A21; L11ᵀ is the upper triangle of the transposed view.
    trsm(
        Side::Right,
        Uplo::Upper,
        Diag::NonUnit,
        T::one(),
        a11.transpose(),
        a21,
        par,
    )?;
    Ok(())
}

/// A failing minor of a trailing block, numbered in the whole matrix.
fn shift_minor(e: FactorError, offset: usize) -> FactorError {
    match e {
        FactorError::NotPositiveDefinite { minor } => FactorError::NotPositiveDefinite {
            minor: minor + offset,
        },
        other => other,
    }
}

/// `[A11 ·; A21 A22]`: `L11 = chol(A11)`, `L21 = A21·L11⁻ᵀ`, `L22 = chol(A22 − L21·L21ᵀ)`.
fn lower<T: Scalar>(a: MatMut<'_, T>, par: Par, threshold: usize) -> Result<(), FactorError> {
    let n = a.nrows();
    if n <= threshold {
        return unblocked(a);
    }
    // Half, rounded down to a multiple of 8 (as TRSM and SYRK split their triangles) so that
    // the blocks fill whole vectors: n = 100, one thread, AVX-512, f64/f32: 18.1/12.6 →
    // 17.5/12.0 µs; n = 500: 854/440 → 843/437 µs.
    let n1 = if n / 2 >= 16 { n / 2 / 8 * 8 } else { n / 2 };
    let (top, bottom) = a.split_at_row(n1);
    let (mut a11, _) = top.split_at_col(n1);
    let (a21, mut a22) = bottom.split_at_col(n1);
    lower(a11.rb(), par, threshold)?;
    update_below(a11.as_ref(), a21, a22.rb(), par)?;
    lower(a22, par, threshold).map_err(|e| shift_minor(e, n1))
}

/// The leaf: the kernel's unblocked factorization (LAPACK `potf2`), whose `info` is the
/// order of the failing leading minor.
fn unblocked<T: Scalar>(a: MatMut<'_, T>) -> Result<(), FactorError> {
    match potf2(a)? {
        0 => Ok(()),
        minor => Err(FactorError::NotPositiveDefinite { minor }),
    }
}
