//! `C ← op(Q)·C` or `C ← C·op(Q)` without forming `Q` (LAPACK `ormqr`), one compact-WY block of
//! reflectors at a time.

use lapis_kernels::{MatMut, MatRef, Par, Scalar, Side};

use super::{QrParams, Trans, block_starts};
use crate::FactorError;
use crate::householder::{apply_block_left, apply_block_right, block_t, work_mat};
use crate::util::{split_cols, take_in_turn};

/// Fewest columns of `C` (rows, from the right) per thread when they are split across
/// threads.
const SPLIT_MIN_COLUMNS: usize = 64;

/// `C ← Q·C`, `Qᵀ·C` (`Side::Left`) or `C·Q`, `C·Qᵀ` (`Side::Right`), with `Q` (`m × m`) given by
/// a factorization in compact form, with the blocks of [`QrParams::for_apply`].
///
/// `qr` (`m × n`) and `tau` (`k = tau.len() ≤ min(m, n)` reflectors) come from
/// [`factor`](super::factor) or [`factor_pivoted`](super::factor_pivoted). `c` is `m × nc` for
/// `Side::Left` and `nc × m` for `Side::Right`, any strides. With `Trans::Yes` and
/// `Side::Left` this is the `Qᵀ·b` step of a least-squares solve.
///
/// Errors with [`FactorError::Shape`] when the shapes do not fit.
///
/// ```
/// use lapis_factor::kernels::{MatMut, MatRef, Par};
/// use lapis_factor::qr::{self, Side, Trans};
/// let mut a = [3.0f64, 4.0]; // 2 × 1
/// let mut tau = [0.0];
/// qr::factor(MatMut::from_col_major(&mut a, 2, 1).unwrap(), &mut tau, Par::Seq).unwrap();
/// // numpy: q.T @ [3, 4] == [r11, 0]
/// let mut b = [3.0f64, 4.0];
/// qr::apply_q(
///     Side::Left,
///     Trans::Yes,
///     MatRef::from_col_major(&a, 2, 1).unwrap(),
///     &tau,
///     MatMut::from_col_major(&mut b, 2, 1).unwrap(),
///     Par::Seq,
/// )
/// .unwrap();
/// assert!((b[0] + 5.0).abs() < 1e-15 && b[1].abs() < 1e-15);
/// ```
pub fn apply_q<T: Scalar>(
    side: Side,
    trans: Trans,
    qr: MatRef<'_, T>,
    tau: &[T],
    c: MatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    let columns = match side {
        Side::Left => c.ncols(),
        Side::Right => c.nrows(),
    };
    let params = QrParams::for_apply::<T>(tau.len(), columns);
    apply_q_with_params(side, trans, qr, tau, c, par, &params)
}

/// [`apply_q`] with explicit tuning parameters (`block_size` is used).
///
/// ```
/// use lapis_factor::kernels::{MatMut, MatRef, Par};
/// use lapis_factor::qr::{self, QrParams, Side, Trans};
/// let params = QrParams { block_size: 1, ..QrParams::for_scalar::<f64>() };
/// let mut a = [3.0f64, 4.0];
/// let mut tau = [0.0];
/// qr::factor(MatMut::from_col_major(&mut a, 2, 1).unwrap(), &mut tau, Par::Seq).unwrap();
/// let mut c = [1.0f64, 0.0]; // 1 × 2 row: e₁ᵀ·Q is the first row of Q
/// qr::apply_q_with_params(
///     Side::Right,
///     Trans::No,
///     MatRef::from_col_major(&a, 2, 1).unwrap(),
///     &tau,
///     MatMut::from_row_major(&mut c, 1, 2).unwrap(),
///     Par::Seq,
///     &params,
/// )
/// .unwrap();
/// assert!((c[0] + 0.6).abs() < 1e-15 && (c[1] + 0.8).abs() < 1e-15);
/// ```
pub fn apply_q_with_params<T: Scalar>(
    side: Side,
    trans: Trans,
    qr: MatRef<'_, T>,
    tau: &[T],
    mut c: MatMut<'_, T>,
    par: Par,
    params: &QrParams,
) -> Result<(), FactorError> {
    let (m, n) = qr.shape();
    let k = tau.len();
    let c_m = match side {
        Side::Left => c.nrows(),
        Side::Right => c.ncols(),
    };
    if k > m.min(n) || c_m != m {
        return Err(FactorError::Shape {
            op: "qr::apply_q",
            shapes: vec![("qr", (m, n)), ("tau", (k, 1)), ("c", c.shape())],
        });
    }
    if k == 0 || c.is_empty() {
        return Ok(());
    }
    // With threads, the columns of C (its rows, from the right) are independent: each thread
    // applies Q to a slice of its own, one fork-join for the whole product instead of two
    // for every GEMM of every block (each costing a wake-up of a sleeping thread).
    let columns = match side {
        Side::Left => c.ncols(),
        Side::Right => c.nrows(),
    };
    let parts = par.degree().min(columns / SPLIT_MIN_COLUMNS);
    if parts > 1 {
        let ranges: Vec<_> = (0..parts)
            .map(|p| columns * p / parts..columns * (p + 1) / parts)
            .collect();
        let slices = match side {
            Side::Left => split_cols(c, &ranges),
            Side::Right => split_cols(c.transpose(), &ranges),
        };
        let apply = |p: usize| {
            let mut slice = slices[p].lock().expect("slice of C");
            let target = match side {
                Side::Left => slice.rb(),
                Side::Right => slice.rb().transpose(),
            };
            apply_q_with_params(side, trans, qr, tau, target, Par::Seq, params)
        };
        return take_in_turn(par, parts, apply, || Ok(()));
    }
    let nb = params.block_size.max(1).min(k);
    let mut work = Vec::with_capacity(nb * c.nrows().max(c.ncols()));
    let mut tbuf = vec![T::zero(); nb * nb];
    // Q = Hb₀·Hb₁⋯ : Q·C and C·Qᵀ apply the last block first, Qᵀ·C and C·Q the first.
    let backward = matches!(
        (side, trans),
        (Side::Left, Trans::No) | (Side::Right, Trans::Yes)
    );
    let mut step = |j: usize, jb: usize| -> Result<(), FactorError> {
        let v = qr.submatrix(j, j, m - j, jb);
        block_t(v, &tau[j..j + jb], work_mat(&mut tbuf, jb, jb), par)?;
        let t = work_mat(&mut tbuf, jb, jb);
        match side {
            Side::Left => {
                let nc = c.ncols();
                let target = c.rb().submatrix(j, 0, m - j, nc);
                apply_block_left(trans, v, t.as_ref(), target, &mut work, par)
            }
            Side::Right => {
                let nr = c.nrows();
                let target = c.rb().submatrix(0, j, nr, m - j);
                apply_block_right(trans, v, t.as_ref(), target, &mut work, par)
            }
        }
    };
    if backward {
        for (j, jb) in block_starts(k, nb).rev() {
            step(j, jb)?;
        }
    } else {
        for (j, jb) in block_starts(k, nb) {
            step(j, jb)?;
        }
    }
    Ok(())
}
