//! `pinv` and `matrix_rank`: numpy's `np.linalg.pinv(a, rtol, hermitian)` and
//! `np.linalg.matrix_rank(A, tol, hermitian)`.

use lapis_factor::complex::{CMat, CMatRef, Conj, eigh as ceigh, gemm as cgemm};
use lapis_factor::{FactorError, eigh as feigh, svd as fsvd};
use lapis_kernels::{MatMut, MatRef, Par, Uplo, gemm};

use super::convert::factor_error;
use super::stack::{Stack, for_each, out_shape, stacked_2d, stacked_square};
use super::svd::{OutMat, parts, planes, svd_planes};
use crate::{Array, ArrayBase, Data, Inexact, LinalgError, Number, Scalar};

/// `|x|` (one name for the two `abs` of `Scalar + Number`).
fn abs<T: Scalar>(x: T) -> T {
    if x < T::zero() { -x } else { x }
}

/// numpy 2's default relative tolerance `max(m, n)·ε`.
fn default_rtol<T: Scalar>(m: usize, n: usize) -> T {
    <T as Scalar>::from_f64(m.max(n) as f64) * T::EPS
}

/// The matrices of `a` checked for `pinv`/`matrix_rank`: batch, `m`, `n` (square when
/// `hermitian`).
fn plan<S: Data>(
    op: &'static str,
    a: &ArrayBase<S>,
    hermitian: bool,
) -> Result<(Vec<usize>, usize, usize), LinalgError> {
    if hermitian {
        let (batch, n) = stacked_square(op, a)?;
        Ok((batch, n, n))
    } else {
        stacked_2d(op, a)
    }
}

/// The Moore–Penrose pseudo-inverse of a matrix, or of every matrix of a stack (numpy's
/// `np.linalg.pinv(a, rtol=None, hermitian=False)`), from its SVD: singular values at or
/// below `rtol·σ_max` are treated as zero.
///
/// `a` is `(…, m, n)`; the result is `(…, n, m)`. `rtol = None` is numpy 2's `rtol=None`,
/// `max(m, n)·ε`; **numpy's bare `pinv(a)` still uses `rcond=1e-15`**: pass
/// `Some(1e-15)` for the same cut-off (numpy's `rcond=r` and `rtol=r` are both
/// `Some(r)`). With `hermitian`, `a` must be square and symmetric (only its lower
/// triangle is read) and the SVD comes from [`eigh`](super::eigh), as numpy. Complex input
/// (`c32`, `c64`, `rtol` real) uses the complex SVD, or with `hermitian` the complex
/// Hermitian eigensolver (lower triangle read, diagonal imaginary parts ignored, as
/// numpy's `eigh`).
///
/// Errors: [`LinalgError::Shape`] for fewer than 2 axes; [`LinalgError::NotSquare`] with
/// `hermitian`; [`LinalgError::InvalidArgument`] for a NaN `rtol`;
/// [`LinalgError::NonFinite`]; [`LinalgError::NoConvergence`]. Empty matrices give empty
/// results.
///
/// ```
/// use lapis::{array, linalg, matmul};
/// // numpy: np.linalg.pinv([[1., 2.], [2., 4.]])  -> [[0.04, 0.08], [0.08, 0.16]]
/// let a = array![[1., 2.], [2., 4.]];
/// let p = linalg::pinv(&a, None, false).unwrap();
/// assert!(lapis::allclose(&p, &array![[0.04, 0.08], [0.08, 0.16]]).unwrap());
/// // the minimum-norm solution of a·x = [3, 6], as lstsq: [0.6, 1.2]
/// let x = matmul(&p, &array![3., 6.]).unwrap();
/// assert!(lapis::allclose(&x, &array![0.6, 1.2]).unwrap());
/// // the same through the symmetric path
/// let ph = linalg::pinv(&a, None, true).unwrap();
/// assert!(lapis::allclose(&ph, &p).unwrap());
/// ```
pub fn pinv<T, S>(
    a: &ArrayBase<S>,
    rtol: Option<T::Float>,
    hermitian: bool,
) -> Result<Array<T>, LinalgError>
where
    T: Inexact,
    S: Data<Elem = T>,
{
    const OP: &str = "pinv";
    let (batch, m, n) = plan(OP, a, hermitian)?;
    if let Some(r) = rtol
        && Number::is_nan(r)
    {
        return Err(LinalgError::invalid(OP, "rtol must not be NaN"));
    }
    let rtol = rtol.unwrap_or_else(|| default_rtol(m, n));
    let (shape, size) = out_shape(&batch, &[n, m])?;
    let mut out = vec![T::default(); size];
    let k = m.min(n);
    let w = parts::<T>();
    if k > 0 {
        let st = Stack::new(a, &batch);
        let shapes: [&[usize]; 1] = [a.shape()];
        let err = |e| factor_error(OP, &shapes, e);
        let zero = T::Float::default();
        for_each(
            st.count(),
            vec![(bytemuck::cast_slice_mut(&mut out[..]), w * n * m)],
            w * w * 6 * m * n * k,
            || (vec![zero; w * m * k], vec![zero; k], vec![zero; w * k * n]),
            |i, o, (u, s, vt), par| {
                let (re, im) = planes(&st, i);
                if let (Some(im), true) = (im, hermitian) {
                    pinv_complex_hermitian(re, im, rtol, s, o[0], par).map_err(err)
                } else if im.is_some() {
                    pinv_complex((re, im), rtol, u, s, vt, o[0], par).map_err(err)
                } else if hermitian {
                    let dst = MatMut::from_row_major(o[0], n, m).expect("n × m chunk");
                    pinv_hermitian(re, rtol, u, s, vt, dst, par).map_err(err)
                } else {
                    let dst = MatMut::from_row_major(o[0], n, m).expect("n × m chunk");
                    pinv_general(re, rtol, u, s, vt, dst, par).map_err(err)
                }
            },
        )?;
    }
    Array::from_shape_vec(&shape, out)
}

/// `dst = Vᴴᴴ·diag(1/s)·Uᴴ` for a complex matrix (planes), written as interleaved parts in
/// C order; `u` (`m × k`) and `vh` (`k × n`) are C-order interleaved workspaces.
pub(crate) fn pinv_complex<F: Scalar>(
    a: (MatRef<'_, F>, Option<MatRef<'_, F>>),
    rtol: F,
    u: &mut [F],
    s: &mut [F],
    vh: &mut [F],
    dst: &mut [F],
    par: Par,
) -> Result<(), FactorError> {
    let (m, n) = a.0.shape();
    let k = m.min(n);
    svd_planes(
        a,
        s,
        Some(OutMat {
            buf: u,
            rows: m,
            cols: k,
        }),
        Some(OutMat {
            buf: vh,
            rows: k,
            cols: n,
        }),
        par,
    )?;
    let cutoff = rtol * s[0];
    let uc = CMat::from_interleaved(u, m, k, 2 * k, 2);
    let mut vc = CMat::from_interleaved(vh, k, n, 2 * n, 2);
    for (j, &sj) in s.iter().enumerate() {
        let f = if sj > cutoff {
            F::one() / sj
        } else {
            F::zero()
        };
        let (vr, vi) = vc.as_mut().row_mut(j).into_planes();
        lapis_kernels::scal(f, vr);
        lapis_kernels::scal(f, vi);
    }
    let mut out = CMat::zeros(n, m);
    cgemm(
        F::one(),
        vc.as_ref().transpose(),
        Conj::Yes,
        uc.as_ref().transpose(),
        Conj::Yes,
        F::zero(),
        out.as_mut(),
        par,
    )?;
    out.write_interleaved(dst, 2 * m, 2);
    Ok(())
}

/// `dst = V·diag(1/w)·Vᴴ` over the eigenvalues with `|w| > rtol·max|w|`, for a complex
/// Hermitian matrix given as planes (lower triangle read), written as interleaved parts in
/// C order.
fn pinv_complex_hermitian<F: Scalar>(
    re: MatRef<'_, F>,
    im: MatRef<'_, F>,
    rtol: F,
    w: &mut [F],
    dst: &mut [F],
    par: Par,
) -> Result<(), FactorError> {
    let n = re.nrows();
    let mut v = CMat::from_view(CMatRef::new(re, im)?);
    ceigh::eigh(v.as_mut(), Uplo::Lower, w, true, par)?;
    let wmax = w.iter().fold(F::zero(), |m, &x| m.max(abs(x)));
    let cutoff = rtol * wmax;
    let mut vs = v.clone();
    for (j, &wj) in w.iter().enumerate() {
        let f = if abs(wj) > cutoff {
            F::one() / wj
        } else {
            F::zero()
        };
        let (vr, vi) = vs.as_mut().col_mut(j).into_planes();
        lapis_kernels::scal(f, vr);
        lapis_kernels::scal(f, vi);
    }
    let mut out = CMat::zeros(n, n);
    let (vs, v) = (vs.as_ref(), v.as_ref().transpose());
    cgemm(
        F::one(),
        vs,
        Conj::No,
        v,
        Conj::Yes,
        F::zero(),
        out.as_mut(),
        par,
    )?;
    out.write_interleaved(dst, 2 * n, 2);
    Ok(())
}

/// `dst = Vᵀᵀ·diag(1/s)·Uᵀ` over the kept singular values; `u` is `m × k`, `vt` `k × n`
/// (column-major workspaces).
fn pinv_general<T: Scalar>(
    a: MatRef<'_, T>,
    rtol: T,
    u: &mut [T],
    s: &mut [T],
    vt: &mut [T],
    dst: MatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    let (m, n) = a.shape();
    let k = m.min(n);
    fsvd::svd(
        a,
        s,
        Some(MatMut::from_col_major(u, m, k).expect("m × k")),
        Some(MatMut::from_col_major(vt, k, n).expect("k × n")),
        par,
    )?;
    let cutoff = rtol * s[0];
    for (j, &sj) in s.iter().enumerate() {
        let f = if sj > cutoff {
            T::one() / sj
        } else {
            T::zero()
        };
        for c in 0..n {
            vt[j + c * k] *= f;
        }
    }
    let vtm = MatRef::from_col_major(vt, k, n).expect("k × n");
    let um = MatRef::from_col_major(u, m, k).expect("m × k");
    Ok(gemm(
        T::one(),
        vtm.transpose(),
        um.transpose(),
        T::zero(),
        dst,
        par,
    )?)
}

/// `dst = V·diag(1/w)·Vᵀ` over the eigenvalues with `|w| > rtol·max|w|` (numpy's
/// `hermitian=True`); `v` (`n × n`) and `vs` are column-major workspaces.
fn pinv_hermitian<T: Scalar>(
    a: MatRef<'_, T>,
    rtol: T,
    v: &mut [T],
    w: &mut [T],
    vs: &mut [T],
    dst: MatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    let n = a.nrows();
    let mut vm = MatMut::from_col_major(v, n, n).expect("n × n");
    vm.copy_from(a);
    feigh::eigh(vm.rb(), Uplo::Lower, w, true, par)?;
    let wmax = w.iter().fold(T::zero(), |m, &x| m.max(abs(x)));
    let cutoff = rtol * wmax;
    for (j, &wj) in w.iter().enumerate() {
        let f = if abs(wj) > cutoff {
            T::one() / wj
        } else {
            T::zero()
        };
        for r in 0..n {
            vs[r + j * n] = v[r + j * n] * f;
        }
    }
    let vsm = MatRef::from_col_major(vs, n, n).expect("n × n");
    let vm = MatRef::from_col_major(v, n, n).expect("n × n");
    Ok(gemm(T::one(), vsm, vm.transpose(), T::zero(), dst, par)?)
}

/// The rank of a matrix, or of every matrix of a stack, as numpy counts it (numpy's
/// `np.linalg.matrix_rank(A, tol=None, hermitian=False)`): the number of singular values
/// above `tol`, by default `σ_max·max(m, n)·ε`.
///
/// `A` of fewer than 2 axes has rank 1 unless all its entries are zero, as numpy. With
/// `hermitian`, the singular values are the magnitudes of the eigenvalues (square, symmetric
/// `A`, lower triangle read). The result is a 0-d array for one matrix, `(…)` for a stack.
///
/// Errors: [`LinalgError::NotSquare`] with `hermitian`; [`LinalgError::NonFinite`];
/// [`LinalgError::InvalidArgument`] for a NaN `tol`.
///
/// ```
/// use lapis::{array, linalg};
/// // numpy: np.linalg.matrix_rank([[1., 2.], [2., 4.]])  -> 1
/// let r = linalg::matrix_rank(&array![[1., 2.], [2., 4.]], None, false).unwrap();
/// assert_eq!(r.item().unwrap(), 1);
/// // numpy: np.linalg.matrix_rank(np.eye(4))  -> 4;  matrix_rank(np.zeros(3))  -> 0
/// assert_eq!(linalg::matrix_rank(&lapis::Array::<f64>::eye(4), None, true).unwrap().item().unwrap(), 4);
/// assert_eq!(linalg::matrix_rank(&lapis::Array::<f64>::zeros(&[3]), None, false).unwrap().item().unwrap(), 0);
/// ```
pub fn matrix_rank<T, S>(
    a: &ArrayBase<S>,
    tol: Option<T::Float>,
    hermitian: bool,
) -> Result<Array<usize>, LinalgError>
where
    T: Inexact,
    S: Data<Elem = T>,
{
    const OP: &str = "matrix_rank";
    if let Some(t) = tol
        && Number::is_nan(t)
    {
        return Err(LinalgError::invalid(OP, "tol must not be NaN"));
    }
    if a.ndim() < 2 {
        let nonzero = a.iter().any(|&x| x != T::default());
        return Array::from_shape_vec(&[], vec![usize::from(nonzero)]);
    }
    let (batch, m, n) = plan(OP, a, hermitian)?;
    let (shape, size) = out_shape(&batch, &[])?;
    let mut out = vec![0usize; size];
    let k = m.min(n);
    if k > 0 {
        let st = Stack::new(a, &batch);
        let shapes: [&[usize]; 1] = [a.shape()];
        let err = |e| factor_error(OP, &shapes, e);
        let rtol = default_rtol::<T::Float>(m, n);
        let w = parts::<T>();
        for_each(
            st.count(),
            vec![(&mut out[..], 1)],
            w * w * 4 * m * n * k,
            || vec![T::Float::default(); k],
            |i, o, s, par| {
                let (re, im) = planes(&st, i);
                match (hermitian, im) {
                    (true, None) => feigh::eigvalsh(re, Uplo::Lower, s, par).map_err(err)?,
                    (true, Some(im)) => {
                        let a = CMatRef::new(re, im).map_err(err)?;
                        ceigh::eigvalsh(a, Uplo::Lower, s, par).map_err(err)?;
                    }
                    (false, _) => svd_planes((re, im), s, None, None, par).map_err(err)?,
                }
                if hermitian {
                    // The singular values of a Hermitian matrix are its |eigenvalues|.
                    for x in s.iter_mut() {
                        *x = abs(*x);
                    }
                }
                let smax = s
                    .iter()
                    .fold(T::Float::default(), |m, &x| if x > m { x } else { m });
                let cut = tol.unwrap_or(smax * rtol);
                o[0][0] = s.iter().filter(|&&x| x > cut).count();
                Ok(())
            },
        )?;
    }
    Array::from_shape_vec(&shape, out)
}
