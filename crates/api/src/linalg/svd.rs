//! `svd` / `svdvals` / `randomized_svd`: numpy's `np.linalg.svd(a, full_matrices,
//! compute_uv)`, `np.linalg.svdvals(a)` and scikit-learn's `randomized_svd`.

use lapis_factor::svd as fsvd;
use lapis_kernels::MatMut;

use super::convert::conv;
use super::stack::{Stack, for_each, out_shape, stacked_2d};
use crate::{Array, ArrayBase, Data, LinalgError, Number, Scalar};

/// `(U, S, Vh)`: the three arrays of a singular value decomposition, in numpy's order (what
/// [`SvdResult::into_usv`] and [`randomized_svd`] return).
///
/// ```
/// use lapis::{array, linalg::{self, Usv}};
/// // numpy: u, s, vh = np.linalg.svd(a)
/// let (u, s, vh): Usv<f64> = linalg::svd(&array![[2.]], true, true).unwrap().into_usv().unwrap();
/// assert_eq!((u[[0, 0]] * s[[0]] * vh[[0, 0]]), 2.0);
/// ```
pub type Usv<T> = (Array<T>, Array<T>, Array<T>);

/// What [`svd`] returns: numpy's `SVDResult(U, S, Vh)` with `compute_uv=True`, the array `S`
/// alone with `compute_uv=False`.
#[derive(Clone, Debug, PartialEq)]
pub enum SvdResult<T: Number> {
    /// `A = U·diag(S)·Vh` (for the thin shapes; the full `U`, `Vh` extend them to square
    /// orthogonal matrices).
    Usv {
        /// Left singular vectors: `(…, m, m)` (full) or `(…, m, k)` (thin).
        u: Array<T>,
        /// Singular values, descending, non-negative: `(…, k)`.
        s: Array<T>,
        /// Right singular vectors, as rows: `(…, n, n)` (full) or `(…, k, n)` (thin).
        vh: Array<T>,
    },
    /// `compute_uv=False`: the singular values only, `(…, k)`.
    S(Array<T>),
}

impl<T: Number> SvdResult<T> {
    /// The singular values, whatever was computed.
    ///
    /// ```
    /// use lapis::{array, linalg};
    /// // numpy: np.linalg.svd([[3., 0.], [0., 4.]]).S  -> [4., 3.]
    /// let r = linalg::svd(&array![[3., 0.], [0., 4.]], true, true).unwrap();
    /// assert_eq!(r.s(), &array![4., 3.]);
    /// ```
    pub fn s(&self) -> &Array<T> {
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
    pub fn into_s(self) -> Array<T> {
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
/// caller.
///
/// Errors: [`LinalgError::Shape`] for fewer than 2 axes; [`LinalgError::NonFinite`];
/// [`LinalgError::NoConvergence`].
///
/// ```
/// use lapis::{array, linalg, matmul, Array};
/// // numpy: u, s, vh = np.linalg.svd([[3., 0.], [4., 5.]])  -> s = [3√5, √5]
/// let a = array![[3., 0.], [4., 5.]];
/// let (u, s, vh) = linalg::svd(&a, true, true).unwrap().into_usv().unwrap();
/// assert!(lapis::allclose(&s, &array![3. * 5f64.sqrt(), 5f64.sqrt()]).unwrap());
/// let us = &u * &s; // u @ diag(s): scale the columns
/// assert!(lapis::allclose(&matmul(&us, &vh).unwrap(), &a).unwrap());
/// // numpy: np.linalg.svd(np.ones((4, 2)), full_matrices=True)[0].shape == (4, 4)
/// let r = linalg::svd(&Array::<f64>::ones(&[4, 2]), true, true).unwrap();
/// assert_eq!(r.into_usv().unwrap().0.shape(), &[4, 4]);
/// ```
pub fn svd<T, S>(
    a: &ArrayBase<S>,
    full_matrices: bool,
    compute_uv: bool,
) -> Result<SvdResult<T>, LinalgError>
where
    T: Scalar + Number,
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
    let mut s = vec![T::default(); s_size];
    let mut vh = vec![T::default(); v_size];
    let st = Stack::new(a, &batch);
    let shapes: [&[usize]; 1] = [a.shape()];
    let err = conv(OP, &shapes);
    let work = 4 * m * n * k + 2 * (m * uc + vr * n) * k + 1;
    for_each(
        st.count(),
        vec![(&mut u[..], m * uc), (&mut s[..], k), (&mut vh[..], vr * n)],
        work,
        || (),
        |i, o, _, par| {
            let [uo, so, vo] = o else {
                unreachable!("three outputs")
            };
            if k == 0 {
                // numpy: the full factors of an empty matrix are identities.
                for d in 0..uc.min(m) {
                    uo[d * uc + d] = <T as Number>::one();
                }
                for d in 0..vr.min(n) {
                    vo[d * n + d] = <T as Number>::one();
                }
                return Ok(());
            }
            let um = MatMut::from_row_major(uo, m, uc).expect("u chunk");
            let vm = MatMut::from_row_major(vo, vr, n).expect("vh chunk");
            fsvd::svd(st.mat(i), so, Some(um), Some(vm), par).map_err(&err)
        },
    )?;
    Ok(SvdResult::Usv {
        u: Array::from_shape_vec(&u_shape, u)?,
        s: Array::from_shape_vec(&s_shape, s)?,
        vh: Array::from_shape_vec(&v_shape, vh)?,
    })
}

/// The singular values of a matrix or of every matrix of a stack, descending (numpy 2's
/// `np.linalg.svdvals(a)`, the same as `svd(a, compute_uv=False)`).
///
/// Errors as [`svd`].
///
/// ```
/// use lapis::{array, linalg};
/// // numpy: np.linalg.svdvals([[0., 2., 0.], [1., 0., 0.]])  -> [2., 1.]
/// let s = linalg::svdvals(&array![[0., 2., 0.], [1., 0., 0.]]).unwrap();
/// assert_eq!(s, array![2., 1.]);
/// ```
pub fn svdvals<T, S>(a: &ArrayBase<S>) -> Result<Array<T>, LinalgError>
where
    T: Scalar + Number,
    S: Data<Elem = T>,
{
    svd_values("svdvals", a)
}

/// The singular values of a stack, `(…, k)`, for the function `op`.
pub(crate) fn svd_values<T, S>(op: &'static str, a: &ArrayBase<S>) -> Result<Array<T>, LinalgError>
where
    T: Scalar + Number,
    S: Data<Elem = T>,
{
    let (batch, m, n) = stacked_2d(op, a)?;
    let k = m.min(n);
    let (s_shape, s_size) = out_shape(&batch, &[k])?;
    let mut s = vec![T::default(); s_size];
    if k > 0 {
        let st = Stack::new(a, &batch);
        let shapes: [&[usize]; 1] = [a.shape()];
        let err = conv(op, &shapes);
        for_each(
            st.count(),
            vec![(&mut s[..], k)],
            4 * m * n * k,
            || (),
            |i, o, _, par| fsvd::svdvals(st.mat(i), o[0], par).map_err(&err),
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
pub fn randomized_svd<T, S>(
    a: &ArrayBase<S>,
    n_components: usize,
    n_oversamples: usize,
    n_iter: usize,
    seed: u64,
) -> Result<Usv<T>, LinalgError>
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
