//! `eig` / `eigvals`: numpy's `np.linalg.eig(a)` and `np.linalg.eigvals(a)` for real and
//! complex (non-Hermitian) matrices.

use lapis_factor::complex::{self as fcomplex, CMat};
use lapis_factor::eig as feig;
use lapis_kernels::{MatMut, MatRef};

use super::convert::conv;
use super::split;
use super::stack::{Stack, for_each, out_shape, stacked_square};
use crate::{Array, ArrayBase, Complex, Data, Inexact, LinalgError, Number, Scalar};

/// The result of [`eig`]: `a @ eigenvectors[..., :, i] == eigenvalues[..., i] *
/// eigenvectors[..., :, i]` for every `i`.
///
/// Both are complex, whatever the spectrum (numpy returns real arrays when every
/// eigenvalue happens to be real; in Rust the type cannot depend on the data — use
/// [`Array::real_if_close`](crate::Array) or `.re()` when a real result is known).
#[derive(Clone, Debug, PartialEq)]
pub struct EigResult<T: Scalar + Number>
where
    Complex<T>: Inexact<Float = T>,
{
    /// `(…, n)`: the eigenvalues of each matrix, in the order LAPACK's `geev` gives them
    /// (not sorted); a complex conjugate pair is adjacent, positive imaginary part first.
    pub eigenvalues: Array<Complex<T>>,
    /// `(…, n, n)`: column `i` is the right eigenvector of `eigenvalues[..., i]`, of unit
    /// Euclidean norm with its largest component real (as `geev`); the vectors of a
    /// conjugate pair are conjugates.
    pub eigenvectors: Array<Complex<T>>,
}

/// Eigenvalues and right eigenvectors of a real or complex square matrix, or of every matrix
/// of a stack (numpy's `np.linalg.eig(a)`; LAPACK `geev` / `zgeev`): balancing, Householder
/// reduction to Hessenberg form, the QR algorithm to Schur form (Francis double-shift to the
/// real Schur form for real input, single-shift to the complex Schur form for complex input),
/// and eigenvectors by back substitution. Accepts `f32`, `f64`, `c32`, `c64`; the result is
/// complex in every case (`EigResult<f64>` for `f64` and `c64` input).
///
/// For complex input the eigenvalues come in the order of the Schur form's diagonal (as
/// `zgeev`; no conjugate pairing), each eigenvector of unit norm with its largest component
/// real.
///
/// Errors: [`LinalgError::NotSquare`]; [`LinalgError::Shape`] for fewer than 2 axes;
/// [`LinalgError::NonFinite`] for NaN or infinite input (numpy: "Array must not contain
/// infs or NaNs"); [`LinalgError::NoConvergence`] if the QR iteration fails (numpy's
/// "Eigenvalues did not converge"). A `(…, 0, 0)` input gives empty results.
///
/// ```
/// use lapis::{array, c64, linalg, Array, Complex};
/// // numpy: w, v = np.linalg.eig([[0., -1.], [1., 0.]])   # a rotation: w = [1j, -1j]
/// let a = array![[0., -1.], [1., 0.]];
/// // (`EigResult<f64>` is named because scalars are taken out of it below: `eig` is generic
/// // over real and complex input, so untyped literals alone do not fix the part type.)
/// let r: linalg::EigResult<f64> = linalg::eig(&a).unwrap();
/// let w = r.eigenvalues.to_vec();
/// assert!((w[0] - Complex::new(0.0, 1.0)).norm() < 1e-15);
/// assert!((w[1] - Complex::new(0.0, -1.0)).norm() < 1e-15);
/// // a @ v[:, 0] == w[0] * v[:, 0]
/// let v = &r.eigenvectors;
/// for row in 0..2 {
///     let av: Complex<f64> = (0..2).map(|k| a[[row, k]] * v[[k, 0]]).sum();
///     assert!((av - w[0] * v[[row, 0]]).norm() < 1e-15);
/// }
/// // numpy: np.linalg.eig([[1j, 1], [0, 2]])  -> w = [1j, 2]
/// let z = Array::from_shape_vec(
///     &[2, 2],
///     vec![c64::new(0., 1.), c64::new(1., 0.), c64::new(0., 0.), c64::new(2., 0.)],
/// )
/// .unwrap();
/// let r = linalg::eig(&z).unwrap();
/// assert_eq!(r.eigenvalues.to_vec(), vec![c64::new(0., 1.), c64::new(2., 0.)]);
/// // v[:, 1] = [2+1j, 5] / √30: unit norm, largest component real
/// let s = 30f64.sqrt();
/// assert!((r.eigenvectors[[0, 1]] - c64::new(2. / s, 1. / s)).norm() < 1e-15);
/// assert!((r.eigenvectors[[1, 1]] - c64::new(5. / s, 0.)).norm() < 1e-15);
/// ```
pub fn eig<T, S>(a: &ArrayBase<S>) -> Result<EigResult<T::Float>, LinalgError>
where
    T: Inexact,
    Complex<T::Float>: Inexact<Float = T::Float>,
    S: Data<Elem = T>,
{
    const OP: &str = "eig";
    let (batch, n) = stacked_square(OP, a)?;
    let (w_shape, w_size) = out_shape(&batch, &[n])?;
    let (v_shape, v_size) = out_shape(&batch, &[n, n])?;
    let zero = Complex::new(<T::Float as Number>::zero(), <T::Float as Number>::zero());
    let mut w = vec![zero; w_size];
    let mut v = vec![zero; v_size];
    let st = Stack::new(a, &batch);
    if n > 0 && st.count() > 0 {
        let shapes: [&[usize]; 1] = [a.shape()];
        let err = conv(OP, &shapes);
        let p = if T::IS_COMPLEX { 2 } else { 1 };
        for_each(
            st.count(),
            vec![(&mut w[..], n), (&mut v[..], n * n)],
            10 * p * p * n * n * n,
            || Workspace::<T>::new(n, true),
            |i, o, work, par| {
                let (ws, vs) = o.split_at_mut(1);
                if T::IS_COMPLEX {
                    let c = split::copy(&st, i);
                    let mut vc = CMat::zeros(n, n);
                    fcomplex::eig::eig(c.as_ref(), ws[0], Some(vc.as_mut()), par).map_err(&err)?;
                    // The output chunk is C order: element (r, c) at parts 2·(r·n + c).
                    let parts: &mut [T::Float] = bytemuck::cast_slice_mut(&mut *vs[0]);
                    vc.write_interleaved(parts, 2 * n, 2);
                } else {
                    let m = real_copy(&mut work.copy, &st, i);
                    let (wr, wi, vr) = (&mut work.wr, &mut work.wi, &mut work.vr);
                    let vm = MatMut::from_col_major(vr, n, n).expect("n × n workspace");
                    feig::eig(m, wr, wi, Some(vm), par).map_err(&err)?;
                    unpack(wr, wi, Some(vr), ws[0], Some(&mut *vs[0]));
                }
                Ok(())
            },
        )?;
    }
    Ok(EigResult {
        eigenvalues: Array::from_shape_vec(&w_shape, w)?,
        eigenvectors: Array::from_shape_vec(&v_shape, v)?,
    })
}

/// Per-thread workspace of [`eig`] and [`eigvals`]: the copy of the input and, for real
/// input, LAPACK's real outputs before they are unpacked to complex.
struct Workspace<T: Inexact> {
    copy: Vec<T>,
    wr: Vec<T::Float>,
    wi: Vec<T::Float>,
    vr: Vec<T::Float>,
}

impl<T: Inexact> Workspace<T> {
    fn new(n: usize, vectors: bool) -> Self {
        let real = if T::IS_COMPLEX { 0 } else { n };
        let vr = if vectors { real * n } else { 0 };
        Workspace {
            copy: Vec::new(),
            wr: vec![T::Float::default(); real],
            wi: vec![T::Float::default(); real],
            vr: vec![T::Float::default(); vr],
        }
    }
}

/// Matrix `i` of a real stack, copied column-major into `copy` and viewed as `T::Float` (the
/// same type for a real `T`).
fn real_copy<'s, T: Inexact>(
    copy: &'s mut Vec<T>,
    st: &Stack<'_, T>,
    i: usize,
) -> MatRef<'s, T::Float> {
    let n = st.rows;
    copy.resize(n * n, T::default());
    st.copy_col_major(i, copy);
    MatRef::from_col_major(bytemuck::cast_slice(&copy[..]), n, n).expect("n × n copy")
}

/// The eigenvalues of a real or complex square matrix, or of every matrix of a stack
/// (numpy's `np.linalg.eigvals(a)`): [`eig`] without the eigenvectors, which saves most of
/// the work (the Schur vectors are never accumulated). Accepts `f32`, `f64`, `c32`, `c64`.
///
/// ```
/// use lapis::{array, c64, linalg, Array, Complex};
/// // numpy: np.linalg.eigvals([[2., 1.], [0., 3.]])  -> array([2., 3.])
/// let w = linalg::eigvals(&array![[2., 1.], [0., 3.]]).unwrap();
/// assert_eq!(w.to_vec(), vec![Complex::new(2.0, 0.0), Complex::new(3.0, 0.0)]);
/// // numpy: np.linalg.eigvals([[2j, 1], [0, 3]])  -> array([0.+2.j, 3.+0.j])
/// let z = Array::from_shape_vec(
///     &[2, 2],
///     vec![c64::new(0., 2.), c64::new(1., 0.), c64::new(0., 0.), c64::new(3., 0.)],
/// )
/// .unwrap();
/// let w = linalg::eigvals(&z).unwrap();
/// assert_eq!(w.to_vec(), vec![c64::new(0., 2.), c64::new(3., 0.)]);
/// ```
pub fn eigvals<T, S>(a: &ArrayBase<S>) -> Result<Array<Complex<T::Float>>, LinalgError>
where
    T: Inexact,
    Complex<T::Float>: Inexact<Float = T::Float>,
    S: Data<Elem = T>,
{
    const OP: &str = "eigvals";
    let (batch, n) = stacked_square(OP, a)?;
    let (w_shape, w_size) = out_shape(&batch, &[n])?;
    let zero = Complex::new(<T::Float as Number>::zero(), <T::Float as Number>::zero());
    let mut w = vec![zero; w_size];
    let st = Stack::new(a, &batch);
    if n > 0 && st.count() > 0 {
        let shapes: [&[usize]; 1] = [a.shape()];
        let err = conv(OP, &shapes);
        let p = if T::IS_COMPLEX { 2 } else { 1 };
        for_each(
            st.count(),
            vec![(&mut w[..], n)],
            4 * p * p * n * n * n,
            || Workspace::<T>::new(n, false),
            |i, o, work, par| {
                if T::IS_COMPLEX {
                    let c = split::copy(&st, i);
                    fcomplex::eig::eigvals(c.as_ref(), o[0], par).map_err(&err)?;
                } else {
                    let m = real_copy(&mut work.copy, &st, i);
                    feig::eigvals(m, &mut work.wr, &mut work.wi, par).map_err(&err)?;
                    unpack(&work.wr, &work.wi, None, o[0], None);
                }
                Ok(())
            },
        )?;
    }
    Array::from_shape_vec(&w_shape, w)
}

/// LAPACK's real packing to complex: eigenvalues `wr + i·wi`; for a pair at `j, j + 1`
/// (`wi[j] > 0`), columns `j` and `j + 1` of the column-major `vr` are the real and
/// imaginary parts of the first vector, the second being its conjugate. `v` is row-major.
fn unpack<T: Scalar + Number>(
    wr: &[T],
    wi: &[T],
    vr: Option<&[T]>,
    w: &mut [Complex<T>],
    v: Option<&mut [Complex<T>]>,
) {
    let n = wr.len();
    for (k, x) in w.iter_mut().enumerate() {
        *x = Complex::new(wr[k], wi[k]);
    }
    let (Some(vr), Some(v)) = (vr, v) else {
        return;
    };
    let mut j = 0;
    while j < n {
        if wi[j] != <T as Number>::zero() && j + 1 < n {
            for r in 0..n {
                let (re, im) = (vr[r + j * n], vr[r + (j + 1) * n]);
                v[r * n + j] = Complex::new(re, im);
                v[r * n + j + 1] = Complex::new(re, -im);
            }
            j += 2;
        } else {
            for r in 0..n {
                v[r * n + j] = Complex::new(vr[r + j * n], <T as Number>::zero());
            }
            j += 1;
        }
    }
}
