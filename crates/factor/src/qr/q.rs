//! The first `p` columns of `Q = H₁⋯H_k` from the compact form (LAPACK `orgqr`), by blocked
//! backward accumulation onto `[I_p; 0]`.

use lapis_kernels::{MatMut, MatRef, Par, Scalar};

use super::{QrParams, block_starts, with_col_major};
use crate::FactorError;
use crate::householder::{Trans, apply_block_left, block_t, work_mat};

/// Writes the first `p = q.ncols()` columns of `Q` into `q` (`m × p`), with the default
/// [`QrParams`] for `T`.
///
/// `qr` (`m × n`) and `tau` are a factorization from [`factor`](super::factor) or
/// [`factor_pivoted`](super::factor_pivoted): the `k = tau.len()` reflectors are read from
/// the strictly lower part of the first `k` columns of `qr`. `p` must satisfy
/// `k ≤ p ≤ m`: `p = min(m, n)` is numpy's `mode="reduced"`, `p = m` is `mode="complete"`.
/// `q` may have any strides; its previous contents are ignored.
///
/// Errors with [`FactorError::Shape`] when `tau.len() > min(m, n)`, `q` does not have `m` rows,
/// or `p` is out of range.
///
/// ```
/// use lapis_factor::kernels::{MatMut, MatRef, Par};
/// use lapis_factor::qr;
/// // numpy: q, r = np.linalg.qr(a, mode="complete")
/// let mut a = [3.0f64, 4.0]; // 2 × 1
/// let mut tau = [0.0];
/// qr::factor(MatMut::from_col_major(&mut a, 2, 1).unwrap(), &mut tau, Par::Seq).unwrap();
/// let mut q = [0.0f64; 4];
/// qr::form_q(MatRef::from_col_major(&a, 2, 1).unwrap(), &tau, MatMut::from_col_major(&mut q, 2, 2).unwrap(), Par::Seq)
///     .unwrap();
/// let expect = [-0.6, -0.8, -0.8, 0.6]; // column-major
/// assert!(q.iter().zip(expect).all(|(x, y)| (x - y).abs() < 1e-15));
/// ```
pub fn form_q<T: Scalar>(
    qr: MatRef<'_, T>,
    tau: &[T],
    q: MatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    form_q_with_params(qr, tau, q, par, &QrParams::for_scalar::<T>())
}

/// [`form_q`] with explicit tuning parameters (`block_size` is used).
///
/// ```
/// use lapis_factor::kernels::{MatMut, MatRef, Par};
/// use lapis_factor::qr::{self, QrParams};
/// let params = QrParams { block_size: 1, ..QrParams::for_scalar::<f64>() };
/// let a = [0.0; 6]; // any 3 × 2 factorization with τ = 0 has Q = I
/// let mut q = [7.0; 6];
/// qr::form_q_with_params(
///     MatRef::from_col_major(&a, 3, 2).unwrap(),
///     &[0.0, 0.0],
///     MatMut::from_col_major(&mut q, 3, 2).unwrap(),
///     Par::Seq,
///     &params,
/// )
/// .unwrap();
/// assert_eq!(q, [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]);
/// ```
pub fn form_q_with_params<T: Scalar>(
    qr: MatRef<'_, T>,
    tau: &[T],
    q: MatMut<'_, T>,
    par: Par,
    params: &QrParams,
) -> Result<(), FactorError> {
    let (m, n) = qr.shape();
    let k = tau.len();
    let p = q.ncols();
    if k > m.min(n) || q.nrows() != m || p < k || p > m {
        return Err(FactorError::Shape {
            op: "qr::form_q",
            shapes: vec![("qr", (m, n)), ("tau", (k, 1)), ("q", q.shape())],
        });
    }
    with_col_major(q, |mut q| {
        for j in 0..p {
            for i in 0..m {
                q.write(i, j, if i == j { T::one() } else { T::zero() });
            }
        }
        if k == 0 {
            return Ok(());
        }
        let nb = params.block_size.max(1).min(k);
        let mut work = Vec::with_capacity(nb * p);
        let mut tbuf = vec![T::zero(); nb * nb];
        // Q = Hb₀·Hb₁⋯: apply the last block first. Block j touches rows j.. of Q, and the
        // columns before j are still those of the identity (zero in those rows).
        for (j, jb) in block_starts(k, nb).rev() {
            let v = qr.submatrix(j, j, m - j, jb);
            block_t(v, &tau[j..j + jb], work_mat(&mut tbuf, jb, jb), par)?;
            let t = work_mat(&mut tbuf, jb, jb);
            let target = q.rb().submatrix(j, j, m - j, p - j);
            apply_block_left(Trans::No, v, t.as_ref(), target, &mut work, par)?;
        }
        Ok(())
    })
}
