//! `A = Q·R` in place (LAPACK `geqrf`): blocked over panels, each panel factored recursively,
//! the trailing columns updated by the panel's compact-WY block.

use lapis_kernels::{MatMut, Par, Scalar};

use super::{QrParams, block_starts, check_tau, with_col_major};
use crate::FactorError;
use crate::householder::{Trans, apply_block_left, apply_left, block_t, make_reflector, work_mat};
use crate::util::all_finite;

/// Factors `a` (`m × n`, any shape and strides) as `A = Q·R` in place, with the default
/// [`QrParams`] for its shape ([`QrParams::for_shape`]).
///
/// On return `R` (`min(m, n) × n`, upper trapezoidal) is on and above the diagonal of `a`,
/// and the reflector `v_i` (without its leading 1) is below the diagonal in column `i`, with
/// its scale in `tau[i]`; `tau.len()` must be `min(m, n)`. This is LAPACK's compact form
/// (numpy's `mode="raw"` gives the same data transposed). Views that are not column-major are
/// factored in a column-major copy.
///
/// Errors (leaving `a` untouched): [`FactorError::Shape`] when `tau` has the wrong length,
/// [`FactorError::NonFinite`] when `a` holds NaN or an infinity.
///
/// ```
/// use lapis_factor::kernels::{MatMut, Par};
/// use lapis_factor::qr;
/// // numpy: r = np.linalg.qr(a, mode="r")
/// let mut a = [3.0f64, 1.0, 4.0, 2.0]; // [[3, 1], [4, 2]] row-major
/// let mut tau = [0.0; 2];
/// qr::factor(MatMut::from_row_major(&mut a, 2, 2).unwrap(), &mut tau, Par::Seq).unwrap();
/// // R = [[−5, −2.2], [0, 0.4]] (LAPACK's signs: r₁₁ = −sign(a₁₁)·‖a₁‖)
/// assert!((a[0] + 5.0).abs() < 1e-14 && (a[1] + 2.2).abs() < 1e-14 && (a[3] - 0.4).abs() < 1e-14);
/// ```
pub fn factor<T: Scalar>(a: MatMut<'_, T>, tau: &mut [T], par: Par) -> Result<(), FactorError> {
    let (m, n) = a.shape();
    factor_with_params(a, tau, par, &QrParams::for_shape::<T>(m, n))
}

/// [`factor`] with explicit tuning parameters.
///
/// ```
/// use lapis_factor::kernels::{MatMut, Par};
/// use lapis_factor::qr::{self, QrParams};
/// let params = QrParams { block_size: 1, recursion_threshold: 1, check_finite: false };
/// let mut a = [0.0f64, 2.0, 0.0, 0.0]; // [[0, 2], [0, 0]]: nothing to annihilate, τ = 0
/// let mut tau = [9.0; 2];
/// qr::factor_with_params(MatMut::from_row_major(&mut a, 2, 2).unwrap(), &mut tau, Par::Seq, &params)
///     .unwrap();
/// assert_eq!(tau, [0.0, 0.0]);
/// assert_eq!(a, [0.0, 2.0, 0.0, 0.0]); // already upper triangular: R = A
/// ```
pub fn factor_with_params<T: Scalar>(
    a: MatMut<'_, T>,
    tau: &mut [T],
    par: Par,
    params: &QrParams,
) -> Result<(), FactorError> {
    let (m, n) = a.shape();
    let k = m.min(n);
    check_tau("qr::factor", (m, n), tau.len(), k)?;
    if params.check_finite && !all_finite(a.as_ref()) {
        return Err(FactorError::NonFinite);
    }
    if k == 0 {
        return Ok(());
    }
    let threshold = params.recursion_threshold.max(1);
    let nb = params.block_size.max(threshold).min(k);
    with_col_major(a, |mut a| {
        let mut work = Vec::with_capacity(nb * n.max(m));
        let mut tbuf = vec![T::zero(); nb * nb];
        for (j, jb) in block_starts(k, nb) {
            let rows = a.rb().submatrix(j, j, m - j, n - j);
            let (mut panel, trailing) = rows.split_at_col(jb);
            panel_recursive(
                panel.rb(),
                &mut tau[j..j + jb],
                &mut work,
                &mut tbuf,
                par,
                threshold,
            )?;
            if trailing.ncols() > 0 {
                let t = work_mat(&mut tbuf, jb, jb);
                let tau_b = &tau[j..j + jb];
                block_t(panel.as_ref(), tau_b, t, par)?;
                let t = work_mat(&mut tbuf, jb, jb);
                apply_block_left(
                    Trans::Yes,
                    panel.as_ref(),
                    t.as_ref(),
                    trailing,
                    &mut work,
                    par,
                )?;
            }
        }
        Ok(())
    })
}

/// QR of a panel with at least as many rows as columns: split the columns in halves, factor
/// the left half, apply its block transposed to the right half, factor the right half below
/// the left half's rows. Panels of at most `threshold` columns go to [`unblocked`].
pub(crate) fn panel_recursive<T: Scalar>(
    mut a: MatMut<'_, T>,
    tau: &mut [T],
    work: &mut Vec<T>,
    tbuf: &mut Vec<T>,
    par: Par,
    threshold: usize,
) -> Result<(), FactorError> {
    let n = a.ncols();
    if n <= threshold || n < 2 {
        return unblocked(a, tau, work);
    }
    let n1 = n / 2;
    let (mut left, mut right) = a.rb().split_at_col(n1);
    let (tau1, tau2) = tau.split_at_mut(n1);
    panel_recursive(left.rb(), tau1, work, tbuf, par, threshold)?;
    block_t(left.as_ref(), tau1, work_mat(tbuf, n1, n1), par)?;
    let t = work_mat(tbuf, n1, n1);
    apply_block_left(Trans::Yes, left.as_ref(), t.as_ref(), right.rb(), work, par)?;
    let (_, lower) = right.split_at_row(n1);
    panel_recursive(lower, tau2, work, tbuf, par, threshold)
}

/// Unblocked QR (LAPACK `geqr2`): for each column, a reflector annihilating it below the
/// diagonal, applied at once to the columns to its right (GEMV + GER).
pub(crate) fn unblocked<T: Scalar>(
    mut a: MatMut<'_, T>,
    tau: &mut [T],
    work: &mut Vec<T>,
) -> Result<(), FactorError> {
    let (m, n) = a.shape();
    for i in 0..m.min(n) {
        tau[i] = reflect_column(a.rb(), i, work)?;
    }
    Ok(())
}

/// Step `i` of an unblocked QR of `a`: the reflector that annihilates column `i` below the
/// diagonal (`β` written on the diagonal, `v` below it), applied at once to the columns to
/// its right; returns its `τ`.
pub(crate) fn reflect_column<T: Scalar>(
    mut a: MatMut<'_, T>,
    i: usize,
    work: &mut Vec<T>,
) -> Result<T, FactorError> {
    let (m, n) = a.shape();
    let sub = a.rb().submatrix(i, i, m - i, n - i);
    let (col, rest) = sub.split_at_col(1);
    let (mut diag, mut x) = col.split_at_row(1);
    let r = make_reflector(diag.get(0, 0), x.rb());
    diag.write(0, 0, r.beta);
    apply_left(x.as_ref(), r.tau, rest, work)?;
    Ok(r.tau)
}
