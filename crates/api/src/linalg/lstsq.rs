//! `lstsq`: numpy's `np.linalg.lstsq(a, b, rcond=None)`.

use lapis_factor::complex::{CMat, CMatRef, Conj, gemm as cgemm, svd as csvd};
use lapis_factor::{FactorError, lstsq as flstsq};
use lapis_kernels::{MatMut, MatRef, Par, Scalar};

use super::convert::conv;
use crate::{Array, ArrayBase, Data, Inexact, LinalgError, Number};

/// What [`lstsq`] returns (numpy's `(x, residuals, rank, s)`).
#[derive(Clone, Debug, PartialEq)]
pub struct Lstsq<T: Inexact> {
    /// The minimum-norm least-squares solution: `(n,)` for a 1-D `b`, `(n, k)` otherwise.
    pub x: Array<T>,
    /// The squared 2-norms of the residuals `b − a·x`, one per column of `b`: shape `(k,)`,
    /// or `(1,)` for a 1-D `b` — but empty, `(0,)`, unless `rank == n` and `m > n`
    /// (numpy's rule).
    pub residuals: Array<T::Float>,
    /// The numerical rank of `a`.
    pub rank: usize,
    /// The singular values of `a`, descending, `(min(m, n),)`.
    pub singular_values: Array<T::Float>,
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
    rcond: Option<T::Float>,
) -> Result<Lstsq<T>, LinalgError>
where
    T: Inexact,
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
    let b2;
    let bv = if vector {
        b2 = column(b.view());
        b2.view()
    } else {
        b.view()
    };
    let am = planes_of(a)?;
    let bm = planes_of(&bv)?;
    let finite = |p: (MatRef<'_, T::Float>, Option<MatRef<'_, T::Float>>)| {
        super::all_finite(p.0) && p.1.is_none_or(super::all_finite)
    };
    if !finite(am) || !finite(bm) {
        return Err(LinalgError::NonFinite);
    }
    let kmin = m.min(n);
    let mut x = vec![T::default(); n * k];
    let mut s = vec![T::Float::default(); kmin];
    let (rank, residuals) = crate::config::install(|par| -> Result<_, LinalgError> {
        if m == 0 || n == 0 {
            // Nothing to fit: x = 0. With n = 0 every b is a residual (rank 0 == n < m).
            let res = if n == 0 && m > 0 {
                (0..k)
                    .map(|j| {
                        (0..m)
                            .map(|i| {
                                let z = Number::abs(bv_at(&bv, vector, i, j));
                                z * z
                            })
                            .fold(T::Float::default(), |acc, v| acc + v)
                    })
                    .collect()
            } else {
                Vec::new()
            };
            return Ok((0, res));
        }
        let xs: &mut [T::Float] = bytemuck::cast_slice_mut(&mut x[..]);
        let info = match (am, bm) {
            ((ar, Some(ai)), (br, Some(bi))) => {
                lstsq_complex((ar, ai), (br, bi), xs, &mut s, rcond, par)
            }
            ((ar, _), (br, _)) => flstsq::lstsq_svd(
                ar,
                br,
                MatMut::from_row_major(xs, n, k).expect("n × k solution"),
                &mut s,
                rcond,
                par,
            ),
        }
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

/// Element `(i, j)` of the right-hand side (`j = 0` for a vector).
fn bv_at<T: Inexact>(b: &crate::ArrayView<'_, T>, _vector: bool, i: usize, j: usize) -> T {
    b[[i, j]]
}

/// A 2-D array as real planes (values, or real and imaginary parts), no copy.
#[allow(clippy::type_complexity)]
fn planes_of<T: Inexact, S: Data<Elem = T>>(
    a: &ArrayBase<S>,
) -> Result<(MatRef<'_, T::Float>, Option<MatRef<'_, T::Float>>), LinalgError> {
    let (m, n) = (a.shape()[0], a.shape()[1]);
    if m == 0 || n == 0 {
        let empty = MatRef::from_slice_with_offset(&[], 0, m, n, 1, 1)
            .map_err(|e| LinalgError::invalid("lstsq", e.to_string()))?;
        return Ok((empty, T::IS_COMPLEX.then_some(empty)));
    }
    let st = super::stack::Stack::new(a, &[]);
    Ok(super::svd::planes(&st, 0))
}

/// The minimum-norm solution of a complex problem (`gelsd`'s answer, as the real
/// [`flstsq::lstsq_svd`]): `x = V·Σ_r⁺·Uᴴ·b` written into `x` (C order, interleaved).
fn lstsq_complex<F: Scalar>(
    a: (MatRef<'_, F>, MatRef<'_, F>),
    b: (MatRef<'_, F>, MatRef<'_, F>),
    x: &mut [F],
    s: &mut [F],
    rcond: Option<F>,
    par: Par,
) -> Result<flstsq::LstsqInfo<F>, FactorError> {
    let a = CMatRef::new(a.0, a.1)?;
    let b = CMatRef::new(b.0, b.1)?;
    let ((m, n), nrhs) = (a.shape(), b.ncols());
    let k = m.min(n);
    let rcond = match rcond {
        None => F::from_f64(m.max(n) as f64) * F::EPS,
        Some(r) if r < F::zero() => F::EPS,
        Some(r) => r,
    };
    let (mut u, mut vh) = (CMat::zeros(m, k), CMat::zeros(k, n));
    csvd::svd(a, s, Some(u.as_mut()), Some(vh.as_mut()), par)?;
    let cutoff = rcond * s[0];
    let rank = s.iter().take_while(|&&si| si > cutoff).count();
    // c = Σ_r⁺·Uᴴ·b, then x = Vᴴᴴ·c.
    let mut c = CMat::zeros(k, nrhs);
    cgemm(
        F::one(),
        u.as_ref().transpose(),
        Conj::Yes,
        b,
        Conj::No,
        F::zero(),
        c.as_mut(),
        par,
    )?;
    for (i, &si) in s.iter().enumerate() {
        let f = if i < rank { F::one() / si } else { F::zero() };
        let (cr, ci) = c.as_mut().row_mut(i).into_planes();
        lapis_kernels::scal(f, cr);
        lapis_kernels::scal(f, ci);
    }
    let mut xc = CMat::zeros(n, nrhs);
    cgemm(
        F::one(),
        vh.as_ref().transpose(),
        Conj::Yes,
        c.as_ref(),
        Conj::No,
        F::zero(),
        xc.as_mut(),
        par,
    )?;
    xc.write_interleaved(x, 2 * nrhs, 2);
    let residuals = if rank == n && m > n {
        // r = b − A·x, computed directly (‖b‖² − ‖Uᴴb‖² would cancel).
        let mut r = CMat::from_view(b);
        cgemm(
            -F::one(),
            a,
            Conj::No,
            xc.as_ref(),
            Conj::No,
            F::one(),
            r.as_mut(),
            par,
        )?;
        (0..nrhs)
            .map(|j| {
                (0..m)
                    .map(|i| r.as_ref().get(i, j).norm_sqr())
                    .fold(F::zero(), |acc, v| acc + v)
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(flstsq::LstsqInfo { rank, residuals })
}

/// A 1-D view `(m,)` as an `(m, 1)` column view, no copy.
fn column<T: crate::Element>(v: crate::ArrayView<'_, T>) -> crate::ArrayView<'_, T> {
    let (len, st) = (v.shape[0], v.strides[0]);
    ArrayBase::from_parts(v.data, vec![len, 1], vec![st, 0], v.offset)
}
