//! `lstsq`: numpy's `np.linalg.lstsq(a, b, rcond=None)`.

use lapis_factor::lstsq as flstsq;
use lapis_kernels::MatMut;

use super::convert::conv;
use crate::{Array, ArrayBase, Data, LinalgError, Number, Scalar};

/// What [`lstsq`] returns (numpy's `(x, residuals, rank, s)`).
#[derive(Clone, Debug, PartialEq)]
pub struct Lstsq<T: Number> {
    /// The minimum-norm least-squares solution: `(n,)` for a 1-D `b`, `(n, k)` otherwise.
    pub x: Array<T>,
    /// The squared 2-norms of the residuals `b − a·x`, one per column of `b`: shape `(k,)`,
    /// or `(1,)` for a 1-D `b` — but empty, `(0,)`, unless `rank == n` and `m > n`
    /// (numpy's rule).
    pub residuals: Array<T>,
    /// The numerical rank of `a`.
    pub rank: usize,
    /// The singular values of `a`, descending, `(min(m, n),)`.
    pub singular_values: Array<T>,
}

/// The least-squares solution of `a·x ≈ b` of minimum norm (numpy's
/// `np.linalg.lstsq(a, b, rcond=None)`), for any shape and rank of `a`.
///
/// `a` is `(m, n)`; `b` is `(m,)` or `(m, k)` (numpy's `lstsq` takes no stacks). `rcond`
/// is numpy's cut-off: singular values below `rcond·σ_max` count as zero; `None` is numpy
/// 2's default `max(m, n)·ε`, a negative value means `ε`.
///
/// **Method.** numpy's (LAPACK `gelsd`'s answer): the thin SVD `a = U·Σ·Vᵀ`, the rank is
/// `#{σ_i > rcond·σ_max}` and `x = V·Σ_r⁺·Uᵀ·b`, so `x`, `rank` and `singular_values` come
/// from the same decomposition and agree with numpy's on every input, rank-deficient or
/// not. ([`lapis_factor::lstsq::lstsq`] is the cheaper column-pivoted-QR path, `gelsy`.)
///
/// Errors: [`LinalgError::Shape`] (naming both shapes) when `a` is not 2-D, `b` is not 1-D
/// or 2-D, or their rows differ; [`LinalgError::NonFinite`] for NaN or infinite input;
/// [`LinalgError::InvalidArgument`] for a NaN `rcond`;
/// [`LinalgError::NoConvergence`] if the SVD fails to converge.
///
/// ```
/// use lapis::{array, linalg};
/// // numpy: x, res, rank, s = np.linalg.lstsq([[1., 2.], [2., 4.]], [3., 6.])
/// let r = linalg::lstsq(&array![[1., 2.], [2., 4.]], &array![3., 6.], None).unwrap();
/// assert!(lapis::allclose(&r.x, &array![0.6, 1.2]).unwrap());
/// assert_eq!(r.rank, 1);
/// assert_eq!(r.residuals.shape(), &[0]);
/// assert!(lapis::allclose(&r.singular_values, &array![5., 0.]).unwrap());
/// // numpy: fit a line y = c0 + c1·t through (0, 1), (1, 3), (2, 5.5)
/// let a = array![[1., 0.], [1., 1.], [1., 2.]];
/// let fit = linalg::lstsq(&a, &array![1., 3., 5.5], None).unwrap();
/// assert!(lapis::allclose(&fit.x, &array![0.91666666666666667, 2.25]).unwrap());
/// assert_eq!(fit.residuals.shape(), &[1]);
/// ```
pub fn lstsq<T, S1, S2>(
    a: &ArrayBase<S1>,
    b: &ArrayBase<S2>,
    rcond: Option<T>,
) -> Result<Lstsq<T>, LinalgError>
where
    T: Scalar + Number,
    S1: Data<Elem = T>,
    S2: Data<Elem = T>,
{
    const OP: &str = "lstsq";
    let shapes: [&[usize]; 2] = [a.shape(), b.shape()];
    let err = conv(OP, &shapes);
    if a.ndim() != 2 {
        return Err(LinalgError::shape(
            OP,
            &shapes,
            format!(
                "{}-dimensional array given. Array must be two-dimensional",
                a.ndim()
            ),
        ));
    }
    if b.ndim() == 0 || b.ndim() > 2 {
        return Err(LinalgError::shape(
            OP,
            &shapes,
            format!(
                "{}-dimensional array given. Array must be one- or two-dimensional",
                b.ndim()
            ),
        ));
    }
    let (m, n) = (a.shape()[0], a.shape()[1]);
    let vector = b.ndim() == 1;
    let k = if vector { 1 } else { b.shape()[1] };
    if b.shape()[0] != m {
        return Err(LinalgError::shape(OP, &shapes, "Incompatible dimensions"));
    }
    if let Some(r) = rcond
        && Number::is_nan(r)
    {
        return Err(LinalgError::invalid(OP, "rcond must not be NaN"));
    }
    let am = a.as_mat()?;
    let b2;
    let bm = if vector {
        b2 = column(b.view());
        b2.as_mat()?
    } else {
        b.as_mat()?
    };
    if !super::all_finite(am) || !super::all_finite(bm) {
        return Err(LinalgError::NonFinite);
    }
    let kmin = m.min(n);
    let mut x = vec![T::default(); n * k];
    let mut s = vec![T::default(); kmin];
    let (rank, residuals) = crate::config::install(|par| -> Result<_, LinalgError> {
        if m == 0 || n == 0 {
            // Nothing to fit: x = 0. With n = 0 every b is a residual (rank 0 == n < m).
            let res = if n == 0 && m > 0 {
                (0..k)
                    .map(|j| {
                        (0..m)
                            .map(|i| bm.get(i, j) * bm.get(i, j))
                            .fold(T::default(), |acc, v| acc + v)
                    })
                    .collect()
            } else {
                Vec::new()
            };
            return Ok((0, res));
        }
        let info = flstsq::lstsq_svd(
            am,
            bm,
            MatMut::from_row_major(&mut x, n, k).expect("n × k solution"),
            &mut s,
            rcond,
            par,
        )
        .map_err(&err)?;
        Ok((info.rank, info.residuals))
    })?;
    let x = if vector {
        Array::from_vec(x)
    } else {
        Array::from_shape_vec(&[n, k], x)?
    };
    // numpy: residuals only when rank == n and m > n; (1,) for a 1-D b.
    let residuals = if rank == n && m > n {
        Array::from_vec(residuals)
    } else {
        Array::from_vec(Vec::new())
    };
    Ok(Lstsq {
        x,
        residuals,
        rank,
        singular_values: Array::from_vec(s),
    })
}

/// A 1-D view `(m,)` as an `(m, 1)` column view, no copy.
fn column<T: crate::Element>(v: crate::ArrayView<'_, T>) -> crate::ArrayView<'_, T> {
    let (len, st) = (v.shape[0], v.strides[0]);
    ArrayBase::from_parts(v.data, vec![len, 1], vec![st, 0], v.offset)
}
