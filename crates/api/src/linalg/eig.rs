//! `eig` / `eigvals`: numpy's `np.linalg.eig(a)` and `np.linalg.eigvals(a)` for real
//! (non-symmetric) matrices.

use lapis_factor::eig as feig;
use lapis_kernels::MatMut;

use super::convert::conv;
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

/// Eigenvalues and right eigenvectors of a real square matrix, or of every matrix of a
/// stack (numpy's `np.linalg.eig(a)`; LAPACK `geev`): balancing, Householder reduction to
/// Hessenberg form, the Francis double-shift QR algorithm to real Schur form, and
/// eigenvectors by back substitution.
///
/// Errors: [`LinalgError::NotSquare`]; [`LinalgError::Shape`] for fewer than 2 axes;
/// [`LinalgError::NonFinite`] for NaN or infinite input (numpy: "Array must not contain
/// infs or NaNs"); [`LinalgError::NoConvergence`] if the QR iteration fails (numpy's
/// "Eigenvalues did not converge"). A `(…, 0, 0)` input gives empty results.
///
/// ```
/// use lapis::{array, linalg, Complex};
/// // numpy: w, v = np.linalg.eig([[0., -1.], [1., 0.]])   # a rotation: w = [1j, -1j]
/// let a = array![[0., -1.], [1., 0.]];
/// let r = linalg::eig(&a).unwrap();
/// let w = r.eigenvalues.to_vec();
/// assert!((w[0] - Complex::new(0.0, 1.0)).norm() < 1e-15);
/// assert!((w[1] - Complex::new(0.0, -1.0)).norm() < 1e-15);
/// // a @ v[:, 0] == w[0] * v[:, 0]
/// let v = &r.eigenvectors;
/// for row in 0..2 {
///     let av: Complex<f64> = (0..2).map(|k| a[[row, k]] * v[[k, 0]]).sum();
///     assert!((av - w[0] * v[[row, 0]]).norm() < 1e-15);
/// }
/// ```
pub fn eig<T, S>(a: &ArrayBase<S>) -> Result<EigResult<T>, LinalgError>
where
    T: Scalar + Number,
    Complex<T>: Inexact<Float = T>,
    S: Data<Elem = T>,
{
    const OP: &str = "eig";
    let (batch, n) = stacked_square(OP, a)?;
    let (w_shape, w_size) = out_shape(&batch, &[n])?;
    let (v_shape, v_size) = out_shape(&batch, &[n, n])?;
    let zero = Complex::new(<T as Number>::zero(), <T as Number>::zero());
    let mut w = vec![zero; w_size];
    let mut v = vec![zero; v_size];
    let st = Stack::new(a, &batch);
    if n > 0 && st.count() > 0 {
        let shapes: [&[usize]; 1] = [a.shape()];
        let err = conv(OP, &shapes);
        for_each(
            st.count(),
            vec![(&mut w[..], n), (&mut v[..], n * n)],
            10 * n * n * n,
            || {
                (
                    vec![<T as Number>::zero(); n],
                    vec![<T as Number>::zero(); n],
                    vec![<T as Number>::zero(); n * n],
                )
            },
            |i, o, (wr, wi, vr), par| {
                let m = MatMut::from_col_major(vr, n, n).expect("n × n workspace");
                feig::eig(st.mat(i), wr, wi, Some(m), par).map_err(&err)?;
                let (ws, vs) = o.split_at_mut(1);
                unpack(wr, wi, Some(vr), ws[0], Some(&mut *vs[0]));
                Ok(())
            },
        )?;
    }
    Ok(EigResult {
        eigenvalues: Array::from_shape_vec(&w_shape, w)?,
        eigenvectors: Array::from_shape_vec(&v_shape, v)?,
    })
}

/// The eigenvalues of a real square matrix, or of every matrix of a stack (numpy's
/// `np.linalg.eigvals(a)`): [`eig`] without the eigenvectors, which saves most of the work
/// (the Schur vectors are never accumulated).
///
/// ```
/// use lapis::{array, linalg, Complex};
/// // numpy: np.linalg.eigvals([[2., 1.], [0., 3.]])  -> array([2., 3.])
/// let w = linalg::eigvals(&array![[2., 1.], [0., 3.]]).unwrap();
/// assert_eq!(w.to_vec(), vec![Complex::new(2.0, 0.0), Complex::new(3.0, 0.0)]);
/// ```
pub fn eigvals<T, S>(a: &ArrayBase<S>) -> Result<Array<Complex<T>>, LinalgError>
where
    T: Scalar + Number,
    Complex<T>: Inexact<Float = T>,
    S: Data<Elem = T>,
{
    const OP: &str = "eigvals";
    let (batch, n) = stacked_square(OP, a)?;
    let (w_shape, w_size) = out_shape(&batch, &[n])?;
    let mut w = vec![Complex::new(<T as Number>::zero(), <T as Number>::zero()); w_size];
    let st = Stack::new(a, &batch);
    if n > 0 && st.count() > 0 {
        let shapes: [&[usize]; 1] = [a.shape()];
        let err = conv(OP, &shapes);
        for_each(
            st.count(),
            vec![(&mut w[..], n)],
            4 * n * n * n,
            || {
                (
                    vec![<T as Number>::zero(); n],
                    vec![<T as Number>::zero(); n],
                )
            },
            |i, o, (wr, wi), par| {
                feig::eigvals(st.mat(i), wr, wi, par).map_err(&err)?;
                unpack(wr, wi, None, o[0], None);
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
