//! `P·A = L·U` in place (LAPACK `getrf`): blocked right-looking over panels, each panel
//! factored recursively, the base case by rank-1 updates.

use lapis_kernels::{Diag, MatMut, MatRef, Par, Scalar, Side, Uplo, gemm, ger, iamax, scal, trsm};

use super::{LuParams, LuStatus};
use crate::FactorError;
use crate::util::{all_finite, apply_row_swaps, chunks_of, split_cols, swap_rows, take_in_turn};

/// Columns per block of the trailing update (row swaps, TRSM, GEMM while the block is in
/// cache), which the threads take in turn while the caller factors the next panel.
const AHEAD_BLOCK: usize = 256;

/// Factors `a` (`m × n`, any strides) as `P·A = L·U` in place, with the default
/// [`LuParams`] for its shape and `par` ([`LuParams::for_problem`]).
///
/// On return the strictly lower part of `a` holds `L` (its unit diagonal is not stored), the
/// upper part holds `U`, and `ipiv[i]` (0-based) is the row that was exchanged with row `i`
/// at step `i`; `ipiv.len()` must be `min(m, n)`. A zero pivot does not stop the
/// factorization: the result is still a valid `P·A = L·U`, and the first zero pivot is
/// returned in [`LuStatus`] (LAPACK's `info > 0`); see [`LuStatus::check`].
///
/// Errors (leaving `a` untouched): [`FactorError::Shape`] when `ipiv` has the wrong length,
/// [`FactorError::NonFinite`] when `a` holds NaN or an infinity.
///
/// ```
/// use lapis_factor::kernels::{MatMut, Par};
/// use lapis_factor::lu;
/// // scipy: lu, piv = lu_factor(a)
/// let mut a = [2.0, 1.0, 1.0, 3.0]; // [[2, 1], [1, 3]] row-major
/// let mut ipiv = [0; 2];
/// let status = lu::factor(MatMut::from_row_major(&mut a, 2, 2).unwrap(), &mut ipiv, Par::Seq).unwrap();
/// assert!(!status.is_singular());
/// assert_eq!(ipiv, [0, 1]);
/// assert_eq!(a, [2.0, 1.0, 0.5, 2.5]); // L = [[1, 0], [0.5, 1]], U = [[2, 1], [0, 2.5]]
/// ```
pub fn factor<T: Scalar>(
    a: MatMut<'_, T>,
    ipiv: &mut [usize],
    par: Par,
) -> Result<LuStatus, FactorError> {
    let (m, n) = a.shape();
    factor_with_params(a, ipiv, par, &LuParams::for_problem::<T>(m, n, par))
}

/// [`factor`] with explicit tuning parameters.
///
/// ```
/// use lapis_factor::kernels::{MatMut, Par};
/// use lapis_factor::lu::{self, LuParams};
/// // scipy: lu_factor(a, check_finite=False)
/// let params = LuParams { check_finite: false, ..LuParams::for_scalar::<f64>() };
/// let mut a = [1.0, 2.0, 2.0, 4.0]; // [[1, 2], [2, 4]]: singular
/// let mut ipiv = [0; 2];
/// let s = lu::factor_with_params(MatMut::from_row_major(&mut a, 2, 2).unwrap(), &mut ipiv, Par::Seq, &params)
///     .unwrap();
/// assert_eq!(s.first_zero_pivot, Some(1));
/// ```
pub fn factor_with_params<T: Scalar>(
    mut a: MatMut<'_, T>,
    ipiv: &mut [usize],
    par: Par,
    params: &LuParams,
) -> Result<LuStatus, FactorError> {
    let (m, n) = a.shape();
    let k = m.min(n);
    if ipiv.len() != k {
        return Err(FactorError::Shape {
            op: "lu::factor",
            shapes: vec![("a", (m, n)), ("ipiv", (ipiv.len(), 1))],
        });
    }
    if params.check_finite && !all_finite(a.as_ref()) {
        return Err(FactorError::NonFinite);
    }
    let threshold = params.recursion_threshold.max(1);
    let nb = params.block_size.max(threshold);
    let first_zero_pivot = if nb >= k {
        recursive(a.rb(), ipiv, par, threshold)?
    } else {
        blocked(a.rb(), ipiv, par, nb, threshold)?
    };
    Ok(LuStatus { first_zero_pivot })
}

/// Right-looking loop over panels of `nb` columns: factor the panel (recursively), then, by
/// blocks of columns to its right, swap their rows, `A12 ← L11⁻¹·A12` and
/// `A22 ← A22 − L21·A12` while the block is in cache; the row swaps of the columns to the
/// left wait for the end, one pass per panel with every later interchange.
///
/// The update looks one panel ahead: the caller updates the next panel's columns and factors
/// that panel while the other threads of `par` update the other blocks, which the caller then
/// joins. The panel's factorization is narrow and mostly memory-bound; run between whole
/// updates it left the other threads idle, and sweeping the swaps across the whole width for
/// every panel cost a tenth of the time at n = 2000 on two threads.
fn blocked<T: Scalar>(
    mut a: MatMut<'_, T>,
    ipiv: &mut [usize],
    par: Par,
    nb: usize,
    threshold: usize,
) -> Result<Option<usize>, FactorError> {
    let (m, n) = a.shape();
    let k = m.min(n);
    let jb0 = nb.min(k);
    let mut first = recursive(
        a.rb().submatrix(0, 0, m, jb0),
        &mut ipiv[..jb0],
        par,
        threshold,
    )?;
    let mut j = 0;
    while j < k {
        let jb = nb.min(k - j);
        let next = nb.min(k - j - jb);
        let rest = a.rb().submatrix(j, j, m - j, n - j);
        let (panel, right) = rest.split_at_col(jb);
        let (piv, later) = ipiv[j..].split_at_mut(jb);
        let info = update_ahead(
            panel.into_ref(),
            right,
            piv,
            &mut later[..next],
            par,
            threshold,
        )?;
        first = first.or(info.map(|i| i + j + jb));
        piv.iter_mut().for_each(|p| *p += j);
        j += jb;
    }
    swap_left(a, ipiv, nb, par)?;
    Ok(first)
}

/// The columns `right` (rows `j..` of the matrix) right of a factored panel (`L11` on top of
/// `L21`, pivots `piv` local to these rows): the next `next_piv.len()` columns first, on the
/// caller, which then factors them as the next panel (its pivots to `next_piv`, its zero-pivot
/// report returned, local to it), while the other threads of `par` take the remaining blocks
/// of [`AHEAD_BLOCK`] columns in turn; the caller takes blocks too once its panel is done.
fn update_ahead<T: Scalar>(
    panel: MatRef<'_, T>,
    right: MatMut<'_, T>,
    piv: &[usize],
    next_piv: &mut [usize],
    par: Par,
    threshold: usize,
) -> Result<Option<usize>, FactorError> {
    let jb = piv.len();
    let (l11, l21) = panel.split_at_row(jb);
    let update = |mut c: MatMut<'_, T>| -> Result<(), FactorError> {
        apply_row_swaps(c.rb(), piv, true);
        let (mut c1, c2) = c.split_at_row(jb);
        trsm(
            Side::Left,
            Uplo::Lower,
            Diag::Unit,
            T::one(),
            l11,
            c1.rb(),
            Par::Seq,
        )?;
        gemm(-T::one(), l21, c1.into_ref(), T::one(), c2, Par::Seq)?;
        Ok(())
    };
    let (mut ahead, others) = right.split_at_col(next_piv.len());
    let ranges = chunks_of(others.ncols(), AHEAD_BLOCK);
    let blocks = split_cols(others, &ranges);
    let update_block = |b: usize| update(blocks[b].lock().expect("block of the update").rb());
    take_in_turn(par, ranges.len(), update_block, || {
        if next_piv.is_empty() {
            return Ok(None);
        }
        update(ahead.rb())?;
        let (rows, cols) = (ahead.nrows() - jb, ahead.ncols());
        recursive(
            ahead.rb().submatrix(jb, 0, rows, cols),
            next_piv,
            Par::Seq,
            threshold,
        )
    })
}

/// The row interchanges of every panel after the one holding each column, on the columns of
/// the `k = ipiv.len()` factored panels of `nb` (global 0-based `ipiv`), one pass per panel,
/// the panels split across the threads of `par`.
fn swap_left<T: Scalar>(
    a: MatMut<'_, T>,
    ipiv: &[usize],
    nb: usize,
    par: Par,
) -> Result<(), FactorError> {
    let (m, k) = (a.nrows(), ipiv.len());
    let ranges = chunks_of(k, nb);
    let panels = split_cols(a.submatrix(0, 0, m, k), &ranges);
    let swap = |p: usize| {
        let after = ranges[p].end;
        if after < k {
            let local: Vec<usize> = ipiv[after..].iter().map(|&r| r - after).collect();
            let mut cols = panels[p].lock().expect("panel columns");
            let rows = cols.nrows() - after;
            apply_row_swaps(
                cols.rb().submatrix(after, 0, rows, ranges[p].len()),
                &local,
                true,
            );
        }
        Ok(())
    };
    take_in_turn(par, ranges.len(), swap, || Ok(()))
}

/// Recursive LU of the `m × n` panel `a` (pivots local to the panel): split the columns at
/// `n1 = min(m, n) / 2`, factor `[A11; A21]`, swap the rows of `[A12; A22]`, solve
/// `A12 ← L11⁻¹·A12`, update `A22 ← A22 − A21·A12`, factor `A22`, and carry its row swaps back
/// into `A21`.
fn recursive<T: Scalar>(
    mut a: MatMut<'_, T>,
    ipiv: &mut [usize],
    par: Par,
    threshold: usize,
) -> Result<Option<usize>, FactorError> {
    let (m, n) = a.shape();
    let k = m.min(n);
    if k == 0 {
        return Ok(None);
    }
    if n <= threshold || k == 1 {
        return unblocked(a, ipiv);
    }
    let n1 = k / 2;
    let (mut left, mut right) = a.rb().split_at_col(n1);
    let (piv1, piv2) = ipiv.split_at_mut(n1);
    let first = recursive(left.rb(), piv1, par, threshold)?;
    apply_row_swaps(right.rb(), piv1, true);
    let (l11, mut a21) = left.split_at_row(n1);
    let (mut a12, mut a22) = right.split_at_row(n1);
    trsm(
        Side::Left,
        Uplo::Lower,
        Diag::Unit,
        T::one(),
        l11.into_ref(),
        a12.rb(),
        par,
    )?;
    gemm(
        -T::one(),
        a21.as_ref(),
        a12.as_ref(),
        T::one(),
        a22.rb(),
        par,
    )?;
    let second = recursive(a22, piv2, par, threshold)?;
    apply_row_swaps(a21.rb(), piv2, true);
    piv2.iter_mut().for_each(|p| *p += n1);
    Ok(first.or(second.map(|i| i + n1)))
}

/// Unblocked right-looking LU of a narrow panel (LAPACK `getf2`): for each column, pick the
/// entry of largest magnitude on or below the diagonal, swap it up, divide the column below
/// by it and subtract the rank-1 product from the columns to its right. A zero pivot skips
/// the division (the column below it is zero already) and is reported.
fn unblocked<T: Scalar>(
    mut a: MatMut<'_, T>,
    ipiv: &mut [usize],
) -> Result<Option<usize>, FactorError> {
    let (m, n) = a.shape();
    let mut first = None;
    for j in 0..m.min(n) {
        let below = a.as_ref().submatrix(j, j, m - j, 1);
        let p = j + iamax(below).unwrap_or(0);
        ipiv[j] = p;
        let pivot = a.get(p, j);
        if pivot != T::zero() {
            swap_rows(&mut a, j, p);
            let col = a.rb().submatrix(j + 1, j, m - j - 1, 1);
            if pivot.abs() >= T::MIN_POSITIVE {
                scal(T::one() / pivot, col);
            } else {
                // 1/pivot would overflow: divide instead.
                let mut col = col;
                for i in 0..m - j - 1 {
                    let x = col.get(i, 0);
                    col.write(i, 0, x / pivot);
                }
            }
        } else if first.is_none() {
            first = Some(j);
        }
        // A[j+1.., j+1..] -= A[j+1.., j] · A[j, j+1..]: one rank-1 update (|l| ≤ 1 by the
        // pivoting, so skipping zero entries of the row, as LAPACK's dger does, would change
        // nothing for finite input).
        let (lcols, rcols) = a.rb().split_at_col(j + 1);
        let l = lcols.into_ref().submatrix(j + 1, j, m - j - 1, 1);
        let (u, a22) = rcols.split_at_row(j + 1);
        let u = u.into_ref().submatrix(j, 0, 1, n - j - 1);
        ger(-T::one(), l, u, a22)?;
    }
    Ok(first)
}
