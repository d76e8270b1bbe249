//! `eigh` / `eigvalsh`: numpy's `np.linalg.eigh(a, UPLO)` and `np.linalg.eigvalsh(a, UPLO)`.

use lapis_factor::eigh as feigh;
use lapis_kernels::MatMut;

use super::convert::conv;
use super::stack::{Stack, for_each, out_shape, stacked_square};
use crate::{Array, ArrayBase, Data, LinalgError, Number, Scalar};

/// Which triangle of a symmetric matrix is read (numpy's `UPLO` argument: `'L'`, the
/// default, or `'U'`).
///
/// ```
/// use lapis::linalg::Uplo;
/// // numpy: np.linalg.eigh(a) reads UPLO='L'
/// assert_eq!(Uplo::default(), Uplo::Lower);
/// ```
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum Uplo {
    /// The lower triangle, diagonal included (numpy's `'L'`).
    #[default]
    Lower,
    /// The upper triangle, diagonal included (numpy's `'U'`).
    Upper,
}

impl From<Uplo> for lapis_kernels::Uplo {
    fn from(u: Uplo) -> Self {
        match u {
            Uplo::Lower => lapis_kernels::Uplo::Lower,
            Uplo::Upper => lapis_kernels::Uplo::Upper,
        }
    }
}

/// What [`eigh`] returns (numpy's `EighResult(eigenvalues, eigenvectors)`).
#[derive(Clone, Debug, PartialEq)]
pub struct EighResult<T: Number> {
    /// The eigenvalues, ascending: `(…, n)`.
    pub eigenvalues: Array<T>,
    /// The orthonormal eigenvectors, column `j` for `eigenvalues[j]`: `(…, n, n)`.
    pub eigenvectors: Array<T>,
}

/// Eigenvalues and eigenvectors of a real symmetric matrix, or of every matrix of a stack
/// (numpy's `w, v = np.linalg.eigh(a, UPLO='L')`; LAPACK `syevd`).
///
/// Only the triangle `uplo` is read; the other one is ignored, as numpy does. The eigenvalues
/// are ascending, the eigenvectors orthonormal (`A·V = V·diag(w)`, `Vᵀ·V = I`); their signs
/// are unspecified, as numpy's.
///
/// Errors: [`LinalgError::NotSquare`]; [`LinalgError::Shape`] for fewer than 2 axes;
/// [`LinalgError::NonFinite`] for NaN or infinity in the triangle read;
/// [`LinalgError::NoConvergence`]. A `(0, 0)` matrix gives empty results.
///
/// ```
/// use lapis::{array, linalg::{self, Uplo}};
/// // numpy: w, v = np.linalg.eigh([[2., 1.], [1., 2.]])  -> w = [1., 3.]
/// let r = linalg::eigh(&array![[2., 1.], [1., 2.]], Uplo::Lower).unwrap();
/// assert!(lapis::allclose(&r.eigenvalues, &array![1., 3.]).unwrap());
/// let v: &lapis::Array<f64> = &r.eigenvectors;
/// assert!((v[[0, 1]].abs() - 0.5f64.sqrt()).abs() < 1e-15);
/// assert!((v[[0, 1]] - v[[1, 1]]).abs() < 1e-15);
/// ```
pub fn eigh<T, S>(a: &ArrayBase<S>, uplo: Uplo) -> Result<EighResult<T>, LinalgError>
where
    T: Scalar + Number,
    S: Data<Elem = T>,
{
    const OP: &str = "eigh";
    let (batch, n) = stacked_square(OP, a)?;
    let (w_shape, w_size) = out_shape(&batch, &[n])?;
    let (v_shape, v_size) = out_shape(&batch, &[n, n])?;
    let mut w = vec![T::default(); w_size];
    let mut v = vec![T::default(); v_size];
    let st = Stack::new(a, &batch);
    if n > 0 && st.count() > 0 {
        let shapes: [&[usize]; 1] = [a.shape()];
        let err = conv(OP, &shapes);
        for_each(
            st.count(),
            vec![(&mut w[..], n), (&mut v[..], n * n)],
            4 * n * n * n,
            || (),
            |i, o, _, par| {
                let (ws, vs) = o.split_at_mut(1);
                st.copy_row_major(i, vs[0]);
                let m = MatMut::from_row_major(vs[0], n, n).expect("n × n chunk");
                feigh::eigh(m, uplo.into(), ws[0], true, par).map_err(&err)
            },
        )?;
    }
    Ok(EighResult {
        eigenvalues: Array::from_shape_vec(&w_shape, w)?,
        eigenvectors: Array::from_shape_vec(&v_shape, v)?,
    })
}

/// Eigenvalues of a real symmetric matrix, or of every matrix of a stack, ascending (numpy's
/// `np.linalg.eigvalsh(a, UPLO='L')`; LAPACK `syevd` without vectors).
///
/// Only the triangle `uplo` is read. Errors as [`eigh`].
///
/// ```
/// use lapis::{array, linalg::{self, Uplo}};
/// // numpy: np.linalg.eigvalsh([[1., 2.], [2., 1.]], UPLO='U')  -> [-1., 3.]
/// let w = linalg::eigvalsh(&array![[1., 2.], [2., 1.]], Uplo::Upper).unwrap();
/// assert!(lapis::allclose(&w, &array![-1., 3.]).unwrap());
/// ```
pub fn eigvalsh<T, S>(a: &ArrayBase<S>, uplo: Uplo) -> Result<Array<T>, LinalgError>
where
    T: Scalar + Number,
    S: Data<Elem = T>,
{
    const OP: &str = "eigvalsh";
    let (batch, n) = stacked_square(OP, a)?;
    let (w_shape, w_size) = out_shape(&batch, &[n])?;
    let mut w = vec![T::default(); w_size];
    let st = Stack::new(a, &batch);
    if n > 0 && st.count() > 0 {
        let shapes: [&[usize]; 1] = [a.shape()];
        let err = conv(OP, &shapes);
        for_each(
            st.count(),
            vec![(&mut w[..], n)],
            n * n * n,
            || (),
            |i, o, _, par| feigh::eigvalsh(st.mat(i), uplo.into(), o[0], par).map_err(&err),
        )?;
    }
    Array::from_shape_vec(&w_shape, w)
}
