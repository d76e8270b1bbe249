//! `svd` / `svdvals` / `randomized_svd`: numpy's `np.linalg.svd(a, full_matrices,
//! compute_uv)`, `np.linalg.svdvals(a)` and scikit-learn's `randomized_svd`.

use lapis_factor::complex::{CMat, CMatRef, svd as csvd};
use lapis_factor::{FactorError, svd as fsvd};
use lapis_kernels::{MatMut, MatRef, Par};

use super::convert::conv;
use super::stack::{Stack, for_each, out_shape, stacked_2d};
use crate::{Array, ArrayBase, Data, Inexact, LinalgError, Number, Scalar};

/// Parts per element: 1 for a real type, 2 (re, im) for a complex one.
pub(crate) fn parts<T: Inexact>() -> usize {
    if T::IS_COMPLEX { 2 } else { 1 }
}

/// Matrix `i` of a stack read in place as real planes: its values for a real `T`, its real
/// and imaginary parts for a complex one (interleaved storage, strides doubled). Only for
/// non-empty matrices.
pub(crate) fn planes<'a, T: Inexact>(
    st: &Stack<'a, T>,
    i: usize,
) -> (MatRef<'a, T::Float>, Option<MatRef<'a, T::Float>>) {
    let (data, offsets, rs, cs) = st.layout();
    let w = parts::<T>();
    let flat: &'a [T::Float] = bytemuck::cast_slice(data);
    let at = |o: usize| {
        MatRef::from_slice_with_offset(flat, o, st.rows, st.cols, rs * w as isize, cs * w as isize)
            .expect("in bounds by the array's invariant")
    };
    let o = offsets[i] * w;
    (at(o), T::IS_COMPLEX.then(|| at(o + 1)))
}

/// An output chunk of `rows × cols` elements in C order, seen as parts.
pub(crate) struct OutMat<'a, F> {
    pub(crate) buf: &'a mut [F],
    pub(crate) rows: usize,
    pub(crate) cols: usize,
}

impl<F: Scalar> OutMat<'_, F> {
    /// The chunk as a real row-major matrix (real element types).
    fn real(&mut self) -> MatMut<'_, F> {
        MatMut::from_row_major(self.buf, self.rows, self.cols).expect("output chunk")
    }
}

/// The SVD of one matrix given as planes (see [`planes`]): `s`, and `u`, `vh` written in C
/// order (interleaved parts for a complex matrix).
pub(crate) fn svd_planes<F: Scalar>(
    (re, im): (MatRef<'_, F>, Option<MatRef<'_, F>>),
    s: &mut [F],
    mut u: Option<OutMat<'_, F>>,
    mut vh: Option<OutMat<'_, F>>,
    par: Par,
) -> Result<(), FactorError> {
    let Some(im) = im else {
        return fsvd::svd(
            re,
            s,
            u.as_mut().map(OutMat::real),
            vh.as_mut().map(OutMat::real),
            par,
        );
    };
    let a = CMatRef::new(re, im)?;
    let mut uc = u.as_ref().map(|o| CMat::zeros(o.rows, o.cols));
    let mut vc = vh.as_ref().map(|o| CMat::zeros(o.rows, o.cols));
    csvd::svd(
        a,
        s,
        uc.as_mut().map(CMat::as_mut),
        vc.as_mut().map(CMat::as_mut),
        par,
    )?;
    for (o, c) in [(u, uc), (vh, vc)] {
        if let (Some(o), Some(c)) = (o, c) {
            c.write_interleaved(o.buf, 2 * o.cols, 2);
        }
    }
    Ok(())
}

/// `(U, S, Vh)`: the three arrays of a singular value decomposition, in numpy's order (what
/// [`SvdResult::into_usv`] and [`randomized_svd`] return).
///
/// ```
/// use lapis::{array, linalg::{self, Usv}};
/// // numpy: u, s, vh = np.linalg.svd(a)
/// let (u, s, vh): Usv<f64> = linalg::svd(&array![[2.]], true, true).unwrap().into_usv().unwrap();
/// assert_eq!((u[[0, 0]] * s[[0]] * vh[[0, 0]]), 2.0);
/// ```
pub type Usv<T> = (Array<T>, Array<<T as Inexact>::Float>, Array<T>);

/// What [`svd`] returns: numpy's `SVDResult(U, S, Vh)` with `compute_uv=True`, the array `S`
/// alone with `compute_uv=False`. The singular values are real for complex input too
/// (`T::Float`, numpy's float64 `S` of a complex128 array).
#[derive(Clone, Debug, PartialEq)]
pub enum SvdResult<T: Inexact> {
    /// `A = U·diag(S)·Vh` (for the thin shapes; the full `U`, `Vh` extend them to square
    /// orthogonal matrices).
    Usv {
        /// Left singular vectors: `(…, m, m)` (full) or `(…, m, k)` (thin).
        u: Array<T>,
        /// Singular values, descending, non-negative: `(…, k)`.
        s: Array<T::Float>,
        /// Right singular vectors, as rows: `(…, n, n)` (full) or `(…, k, n)` (thin).
        vh: Array<T>,
    },
    /// `compute_uv=False`: the singular values only, `(…, k)`.
    S(Array<T::Float>),
}

impl<T: Inexact> SvdResult<T> {
    /// The singular values, whatever was computed.
    ///
    /// ```
    /// use lapis::{array, linalg};
    /// // numpy: np.linalg.svd([[3., 0.], [0., 4.]]).S  -> [4., 3.]
    /// let r = linalg::svd(&array![[3., 0.], [0., 4.]], true, true).unwrap();
    /// assert_eq!(r.s(), &array![4., 3.]);
    /// ```
    pub fn s(&self) -> &Array<T::Float> {
        match self {
            SvdResult::Usv { s, .. } | SvdResult::S(s) => s,
        }
    }

    /// `(U, S, Vh)` when the vectors were computed (numpy's `u, s, vh = svd(a)`).
    ///
    /// ```
    /// use lapis::{array, linalg};
    /// // numpy: u, s, vh = np.linalg.svd(np.ones((3, 2)), full_matrices=False)
    /// let (u, s, vh) = linalg::svd(&lapis::Array::<f64>::ones(&[3, 2]), false, true)
    ///     .unwrap()
    ///     .into_usv()
    ///     .unwrap();
    /// assert_eq!((u.shape(), s.shape(), vh.shape()), (&[3, 2][..], &[2][..], &[2, 2][..]));
    /// ```
    pub fn into_usv(self) -> Option<Usv<T>> {
        match self {
            SvdResult::Usv { u, s, vh } => Some((u, s, vh)),
            SvdResult::S(_) => None,
        }
    }

    /// The singular values, by value.
    ///
    /// ```
    /// use lapis::{array, linalg};
    /// // numpy: s = np.linalg.svd([[0., 2.], [1., 0.]], compute_uv=False)
    /// let s = linalg::svd(&array![[0., 2.], [1., 0.]], true, false).unwrap().into_s();
    /// assert_eq!(s, array![2., 1.]);
    /// ```
    pub fn into_s(self) -> Array<T::Float> {
        match self {
            SvdResult::Usv { s, .. } | SvdResult::S(s) => s,
        }
    }
}

/// The singular value decomposition `A = U·diag(s)·Vh` of a matrix or of every matrix of a
/// stack (numpy's `np.linalg.svd(a, full_matrices=True, compute_uv=True)`).
///
/// For `a` of shape `(…, m, n)` and `k = min(m, n)`: `s` is `(…, k)`, descending and
/// non-negative; with `full_matrices`, `u` is `(…, m, m)` and `vh` `(…, n, n)`, otherwise
/// `(…, m, k)` and `(…, k, n)`; with `compute_uv = false` only `s` is computed
/// ([`SvdResult::S`]). Signs of singular vectors are unspecified, as numpy's. Empty matrices
/// give numpy's shapes (full `u`/`vh` of an empty matrix are identities).
///
/// Method: Householder bidiagonalization (QR first for tall inputs), then the bidiagonal SVD by
/// divide and conquer when vectors are wanted at order above 25 (LAPACK `gesdd`, numpy's
/// driver) and by implicit QR otherwise (`gesvd`); should divide and conquer ever fail, implicit
/// QR redoes the bidiagonal, so the failures `gesdd` occasionally reports do not reach the
/// caller. Complex input (`c32`, `c64`) is reduced by complex Householder reflectors to a
/// *real* bidiagonal, which the same real solvers finish (`zgesdd`); `s` is then real
/// (`T::Float`) and `vh` is `Vᴴ`, numpy's.
///
/// Errors: [`LinalgError::Shape`] for fewer than 2 axes; [`LinalgError::NonFinite`];
/// [`LinalgError::NoConvergence`].
///
/// ```
/// use lapis::{array, c64, linalg, matmul, Array};
/// // numpy: u, s, vh = np.linalg.svd([[3., 0.], [4., 5.]])  -> s = [3√5, √5]
/// let a = array![[3., 0.], [4., 5.]];
/// let (u, s, vh) = linalg::svd(&a, true, true).unwrap().into_usv().unwrap();
/// assert!(lapis::allclose(&s, &array![3. * 5f64.sqrt(), 5f64.sqrt()]).unwrap());
/// let us = &u * &s; // u @ diag(s): scale the columns
/// assert!(lapis::allclose(&matmul(&us, &vh).unwrap(), &a).unwrap());
/// // numpy: np.linalg.svd(np.ones((4, 2)), full_matrices=True)[0].shape == (4, 4)
/// let r = linalg::svd(&Array::<f64>::ones(&[4, 2]), true, true).unwrap();
/// assert_eq!(r.into_usv().unwrap().0.shape(), &[4, 4]);
/// // numpy: np.linalg.svd([[1j, 0], [0, 2]]).S  -> [2., 1.]
/// let z = Array::from_shape_vec(&[2, 2], vec![c64::new(0., 1.), c64::new(0., 0.),
///                                              c64::new(0., 0.), c64::new(2., 0.)]).unwrap();
/// let (u, s, vh) = linalg::svd(&z, false, true).unwrap().into_usv().unwrap();
/// assert!(lapis::allclose(&s, &array![2., 1.]).unwrap());
/// let us = &u * &s.map(|&x| c64::new(x, 0.));
/// assert!(lapis::allclose(&matmul(&us, &vh).unwrap(), &z).unwrap());
/// ```
pub fn svd<T, S>(
    a: &ArrayBase<S>,
    full_matrices: bool,
    compute_uv: bool,
) -> Result<SvdResult<T>, LinalgError>
where
    T: Inexact,
    S: Data<Elem = T>,
{
    const OP: &str = "svd";
    if !compute_uv {
        return svd_values(OP, a).map(SvdResult::S);
    }
    let (batch, m, n) = stacked_2d(OP, a)?;
    let k = m.min(n);
    let (uc, vr) = if full_matrices { (m, n) } else { (k, k) };
    let (u_shape, u_size) = out_shape(&batch, &[m, uc])?;
    let (s_shape, s_size) = out_shape(&batch, &[k])?;
    let (v_shape, v_size) = out_shape(&batch, &[vr, n])?;
    let mut u = vec![T::default(); u_size];
    let mut s = vec![T::Float::default(); s_size];
    let mut vh = vec![T::default(); v_size];
    let st = Stack::new(a, &batch);
    let shapes: [&[usize]; 1] = [a.shape()];
    let err = conv(OP, &shapes);
    let w = parts::<T>();
    let work = w * w * (4 * m * n * k + 2 * (m * uc + vr * n) * k) + 1;
    let one = <T::Float as Number>::one();
    for_each(
        st.count(),
        vec![
            (bytemuck::cast_slice_mut(&mut u[..]), w * m * uc),
            (&mut s[..], k),
            (bytemuck::cast_slice_mut(&mut vh[..]), w * vr * n),
        ],
        work,
        || (),
        |i, o, _, par| {
            let [uo, so, vo] = o else {
                unreachable!("three outputs")
            };
            if k == 0 {
                // numpy: the full factors of an empty matrix are identities.
                for d in 0..uc.min(m) {
                    uo[w * (d * uc + d)] = one;
                }
                for d in 0..vr.min(n) {
                    vo[w * (d * n + d)] = one;
                }
                return Ok(());
            }
            let um = OutMat {
                buf: uo,
                rows: m,
                cols: uc,
            };
            let vm = OutMat {
                buf: vo,
                rows: vr,
                cols: n,
            };
            svd_planes(planes(&st, i), so, Some(um), Some(vm), par).map_err(&err)
        },
    )?;
    Ok(SvdResult::Usv {
        u: Array::from_shape_vec(&u_shape, u)?,
        s: Array::from_shape_vec(&s_shape, s)?,
        vh: Array::from_shape_vec(&v_shape, vh)?,
    })
}

/// The singular values of a matrix or of every matrix of a stack, descending (numpy 2's
/// `np.linalg.svdvals(a)`, the same as `svd(a, compute_uv=False)`); real for complex input.
///
/// Errors as [`svd`].
///
/// ```
/// use lapis::{array, c64, linalg, Array};
/// // numpy: np.linalg.svdvals([[0., 2., 0.], [1., 0., 0.]])  -> [2., 1.]
/// let s = linalg::svdvals(&array![[0., 2., 0.], [1., 0., 0.]]).unwrap();
/// assert_eq!(s, array![2., 1.]);
/// // numpy: np.linalg.svdvals([[3j, 4]])  -> [5.]  (float64)
/// let z = Array::from_shape_vec(&[1, 2], vec![c64::new(0., 3.), c64::new(4., 0.)]).unwrap();
/// let s: Array<f64> = linalg::svdvals(&z).unwrap();
/// assert!((s[[0]] - 5.).abs() < 1e-15);
/// ```
pub fn svdvals<T, S>(a: &ArrayBase<S>) -> Result<Array<T::Float>, LinalgError>
where
    T: Inexact,
    S: Data<Elem = T>,
{
    svd_values("svdvals", a)
}

/// The singular values of a stack, `(…, k)`, for the function `op`.
pub(crate) fn svd_values<T, S>(
    op: &'static str,
    a: &ArrayBase<S>,
) -> Result<Array<T::Float>, LinalgError>
where
    T: Inexact,
    S: Data<Elem = T>,
{
    let (batch, m, n) = stacked_2d(op, a)?;
    let k = m.min(n);
    let (s_shape, s_size) = out_shape(&batch, &[k])?;
    let mut s = vec![T::Float::default(); s_size];
    if k > 0 {
        let st = Stack::new(a, &batch);
        let shapes: [&[usize]; 1] = [a.shape()];
        let err = conv(op, &shapes);
        let w = parts::<T>();
        for_each(
            st.count(),
            vec![(&mut s[..], k)],
            w * w * 4 * m * n * k,
            || (),
            |i, o, _, par| svd_planes(planes(&st, i), o[0], None, None, par).map_err(&err),
        )?;
    }
    Array::from_shape_vec(&s_shape, s)
}

/// The top `n_components` singular triplets of a large matrix by random sampling of its range
/// (scikit-learn's `u, s, vt = randomized_svd(M, n_components, n_oversamples=10, n_iter=4,
/// random_state=seed)`; Halko, Martinsson & Tropp).
///
/// `a` is `(m, n)`; returns `u` `(m, k)`, `s` `(k,)` descending and `vt` `(k, n)` for
/// `k = n_components ≤ min(m, n)`, with `A ≈ U·diag(s)·Vt`. Exact when `rank(A) ≤ k +
/// n_oversamples`; otherwise close to the best rank-`k` approximation, the closer the more
/// power iterations `n_iter`. Equal seeds give equal results (the generator is Lapis's own,
/// so the numbers differ from scikit-learn's for the same seed).
///
/// Errors: [`LinalgError::Shape`] when `a` is not 2-D or `n_components > min(m, n)`;
/// [`LinalgError::NonFinite`]; [`LinalgError::NoConvergence`].
///
/// ```
/// use lapis::{array, linalg, matmul, Array};
/// // sklearn: u, s, vt = randomized_svd(a, 1, random_state=0) on a rank-1 matrix
/// let x = array![[1.], [2.], [3.]];
/// let a = matmul(&x, &array![[1., -1., 2., 0.5]]).unwrap(); // 3 × 4, rank 1
/// let (u, s, vt) = linalg::randomized_svd(&a, 1, 10, 4, 0).unwrap();
/// assert_eq!((u.shape(), s.shape(), vt.shape()), (&[3, 1][..], &[1][..], &[1, 4][..]));
/// let exact: Array<f64> = linalg::svdvals(&a).unwrap();
/// assert!((s[[0]] - exact[[0]]).abs() < 1e-12 * exact[[0]]);
/// let us = &u * &s;
/// assert!(lapis::allclose(&matmul(&us, &vt).unwrap(), &a).unwrap());
/// ```
#[allow(clippy::type_complexity)] // `Usv<T>` for real `T`, without the `Inexact` bound
pub fn randomized_svd<T, S>(
    a: &ArrayBase<S>,
    n_components: usize,
    n_oversamples: usize,
    n_iter: usize,
    seed: u64,
) -> Result<(Array<T>, Array<T>, Array<T>), LinalgError>
where
    T: Scalar + Number,
    S: Data<Elem = T>,
{
    const OP: &str = "randomized_svd";
    let shapes: [&[usize]; 1] = [a.shape()];
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
    let (m, n) = (a.shape()[0], a.shape()[1]);
    let k = n_components;
    if k > m.min(n) {
        return Err(LinalgError::shape(
            OP,
            &shapes,
            format!("n_components = {k} is larger than min(m, n) = {}", m.min(n)),
        ));
    }
    let mut u = vec![T::default(); m * k];
    let mut s = vec![T::default(); k];
    let mut vt = vec![T::default(); k * n];
    let params = fsvd::RandomizedSvdParams {
        oversampling: n_oversamples,
        power_iterations: n_iter,
        seed,
    };
    let am = a.as_mat()?;
    crate::config::install(|par| {
        fsvd::randomized_svd(
            am,
            &mut s,
            Some(MatMut::from_row_major(&mut u, m, k).expect("m × k")),
            Some(MatMut::from_row_major(&mut vt, k, n).expect("k × n")),
            &params,
            par,
        )
    })
    .map_err(conv(OP, &shapes))?;
    Ok((
        Array::from_shape_vec(&[m, k], u)?,
        Array::from_vec(s),
        Array::from_shape_vec(&[k, n], vt)?,
    ))
}
