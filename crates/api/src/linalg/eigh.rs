//! `eigh` / `eigvalsh`: numpy's `np.linalg.eigh(a, UPLO)` and `np.linalg.eigvalsh(a, UPLO)`,
//! for real symmetric and complex Hermitian matrices.

use lapis_factor::complex as fcomplex;
use lapis_factor::eigh as feigh;
use lapis_kernels::{MatMut, MatRef};

use super::convert::conv;
use super::split;
use super::stack::{Stack, for_each, out_shape, stacked_square};
use crate::{Array, ArrayBase, Data, Inexact, LinalgError};

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

/// What [`eigh`] returns (numpy's `EighResult(eigenvalues, eigenvectors)`): the eigenvalues
/// are real (`T::Float`) also for a complex `T`, as numpy's.
#[derive(Clone, Debug, PartialEq)]
pub struct EighResult<T: Inexact> {
    /// The eigenvalues, ascending: `(…, n)`, real.
    pub eigenvalues: Array<T::Float>,
    /// The orthonormal (unitary) eigenvectors, column `j` for `eigenvalues[j]`: `(…, n, n)`.
    pub eigenvectors: Array<T>,
}

/// Parts per element: 2 for complex `T` (interleaved real and imaginary parts), 1 for real.
fn parts<T: Inexact>() -> usize {
    if T::IS_COMPLEX { 2 } else { 1 }
}

/// Eigenvalues and eigenvectors of a real symmetric or complex Hermitian matrix, or of every
/// matrix of a stack (numpy's `w, v = np.linalg.eigh(a, UPLO='L')`; LAPACK `syevd`/`heevd`).
///
/// Only the triangle `uplo` is read; the other one is ignored, as numpy does, and so are the
/// imaginary parts of a complex diagonal. The eigenvalues are real and ascending, the
/// eigenvectors orthonormal (`A·V = V·diag(w)`, `Vᴴ·V = I`); their signs (phases, for
/// complex) are unspecified, as numpy's. Accepts `f32`, `f64`, `c32`, `c64`.
///
/// Errors: [`LinalgError::NotSquare`]; [`LinalgError::Shape`] for fewer than 2 axes;
/// [`LinalgError::NonFinite`] for NaN or infinity in the triangle read;
/// [`LinalgError::NoConvergence`]. A `(0, 0)` matrix gives empty results.
///
/// ```
/// use lapis::{array, c64, linalg::{self, Uplo}, Array};
/// // numpy: w, v = np.linalg.eigh([[2., 1.], [1., 2.]])  -> w = [1., 3.]
/// let r = linalg::eigh(&array![[2., 1.], [1., 2.]], Uplo::Lower).unwrap();
/// assert!(lapis::allclose(&r.eigenvalues, &array![1., 3.]).unwrap());
/// let v: &lapis::Array<f64> = &r.eigenvectors;
/// assert!((v[[0, 1]].abs() - 0.5f64.sqrt()).abs() < 1e-15);
/// assert!((v[[0, 1]] - v[[1, 1]]).abs() < 1e-15);
/// // numpy: np.linalg.eigh([[2, -1j], [1j, 2]])  -> w = [1., 3.] (float64)
/// let a = Array::from_shape_vec(
///     &[2, 2],
///     vec![c64::new(2., 0.), c64::new(0., -1.), c64::new(0., 1.), c64::new(2., 0.)],
/// )
/// .unwrap();
/// let r = linalg::eigh(&a, Uplo::Lower).unwrap();
/// let w: &Array<f64> = &r.eigenvalues;
/// assert!(lapis::allclose(w, &array![1., 3.]).unwrap());
/// ```
pub fn eigh<T, S>(a: &ArrayBase<S>, uplo: Uplo) -> Result<EighResult<T>, LinalgError>
where
    T: Inexact,
    S: Data<Elem = T>,
{
    const OP: &str = "eigh";
    let (batch, n) = stacked_square(OP, a)?;
    let (w_shape, w_size) = out_shape(&batch, &[n])?;
    let (v_shape, v_size) = out_shape(&batch, &[n, n])?;
    let mut w = vec![T::Float::default(); w_size];
    let mut v = vec![T::default(); v_size];
    let st = Stack::new(a, &batch);
    let p = parts::<T>();
    if n > 0 && st.count() > 0 {
        let shapes: [&[usize]; 1] = [a.shape()];
        let err = conv(OP, &shapes);
        let vf: &mut [T::Float] = bytemuck::cast_slice_mut(&mut v[..]);
        for_each(
            st.count(),
            vec![(&mut w[..], n), (vf, p * n * n)],
            4 * p * p * n * n * n,
            || (),
            |i, o, _: &mut (), par| {
                let (ws, vs) = o.split_at_mut(1);
                if T::IS_COMPLEX {
                    let mut c = split::copy(&st, i);
                    fcomplex::eigh::eigh(c.as_mut(), uplo.into(), ws[0], true, par)
                        .map_err(&err)?;
                    // The output chunk is C order: element (r, c) at parts 2·(r·n + c).
                    c.write_interleaved(vs[0], 2 * n, 2);
                    Ok(())
                } else {
                    st.copy_row_major(i, bytemuck::cast_slice_mut::<T::Float, T>(vs[0]));
                    let m = MatMut::from_row_major(vs[0], n, n).expect("n × n chunk");
                    feigh::eigh(m, uplo.into(), ws[0], true, par).map_err(&err)
                }
            },
        )?;
    }
    Ok(EighResult {
        eigenvalues: Array::from_shape_vec(&w_shape, w)?,
        eigenvectors: Array::from_shape_vec(&v_shape, v)?,
    })
}

/// Eigenvalues of a real symmetric or complex Hermitian matrix, or of every matrix of a
/// stack, ascending and real (numpy's `np.linalg.eigvalsh(a, UPLO='L')`; LAPACK `syevd` /
/// `heevd` without vectors).
///
/// Only the triangle `uplo` is read. Errors as [`eigh`].
///
/// ```
/// use lapis::{array, c64, linalg::{self, Uplo}, Array};
/// // numpy: np.linalg.eigvalsh([[1., 2.], [2., 1.]], UPLO='U')  -> [-1., 3.]
/// let w = linalg::eigvalsh(&array![[1., 2.], [2., 1.]], Uplo::Upper).unwrap();
/// assert!(lapis::allclose(&w, &array![-1., 3.]).unwrap());
/// // numpy: np.linalg.eigvalsh([[1, 2j], [-2j, 1]], UPLO='U')  -> [-1., 3.] (float64)
/// let a = Array::from_shape_vec(
///     &[2, 2],
///     vec![c64::new(1., 0.), c64::new(0., 2.), c64::new(0., -2.), c64::new(1., 0.)],
/// )
/// .unwrap();
/// let w: Array<f64> = linalg::eigvalsh(&a, Uplo::Upper).unwrap();
/// assert!(lapis::allclose(&w, &array![-1., 3.]).unwrap());
/// ```
pub fn eigvalsh<T, S>(a: &ArrayBase<S>, uplo: Uplo) -> Result<Array<T::Float>, LinalgError>
where
    T: Inexact,
    S: Data<Elem = T>,
{
    const OP: &str = "eigvalsh";
    let (batch, n) = stacked_square(OP, a)?;
    let (w_shape, w_size) = out_shape(&batch, &[n])?;
    let mut w = vec![T::Float::default(); w_size];
    let st = Stack::new(a, &batch);
    let p = parts::<T>();
    if n > 0 && st.count() > 0 {
        let shapes: [&[usize]; 1] = [a.shape()];
        let err = conv(OP, &shapes);
        for_each(
            st.count(),
            vec![(&mut w[..], n)],
            p * p * n * n * n,
            Vec::new,
            |i, o, work: &mut Vec<T>, par| {
                if T::IS_COMPLEX {
                    let c = split::copy(&st, i);
                    fcomplex::eigh::eigvalsh(c.as_ref(), uplo.into(), o[0], par).map_err(&err)
                } else {
                    work.resize(n * n, T::default());
                    st.copy_col_major(i, work);
                    let parts: &[T::Float] = bytemuck::cast_slice(&work[..]);
                    let m = MatRef::from_col_major(parts, n, n).expect("n × n copy");
                    feigh::eigvalsh(m, uplo.into(), o[0], par).map_err(&err)
                }
            },
        )?;
    }
    Array::from_shape_vec(&w_shape, w)
}
