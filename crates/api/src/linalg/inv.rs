//! `inv`: numpy's `np.linalg.inv(a)`.

use lapis_factor::complex::{self, CMat};
use lapis_factor::lu;
use lapis_kernels::MatMut;

use super::convert::conv;
use super::stack::{Stack, for_each, out_shape, stacked_square};
use super::{small, split};
use crate::{Array, ArrayBase, Data, Element, Inexact, LinalgError, Scalar};

/// The inverse of a square matrix, or of every matrix of a stack (last two axes) (numpy's
/// `np.linalg.inv(a)`), by LU with partial pivoting (LAPACK `getrf` + `getri`).
///
/// The result has `a`'s shape, in C order; `a` is real or complex (the complex LU, LAPACK
/// `zgetrf`, then `A·X = I`). Stacks run in parallel; stacks of real matrices of order `n ≤ 8` (numpy's favourite: 100 000 4 × 4 transforms) are inverted several at a
/// time, one matrix per SIMD lane, with no per-matrix allocation. Prefer [`solve`](super::solve) to `inv(a) @ b`.
///
/// Errors: [`LinalgError::NotSquare`]; [`LinalgError::Shape`] for fewer than 2 axes;
/// [`LinalgError::Singular`] (numpy's `LinAlgError: Singular matrix`) when a pivot is
/// exactly zero; [`LinalgError::NonFinite`] for NaN or infinite input (numpy returns NaNs).
/// `inv` of a `(0, 0)` matrix is `(0, 0)`.
///
/// ```
/// use lapis::{array, linalg, matmul, Array, LinalgError};
/// // numpy: np.linalg.inv([[2., 1.], [1., 3.]])  -> [[0.6, -0.2], [-0.2, 0.4]]
/// let a = array![[2., 1.], [1., 3.]];
/// let ai = linalg::inv(&a).unwrap();
/// assert!(lapis::allclose(&ai, &array![[0.6, -0.2], [-0.2, 0.4]]).unwrap());
/// assert!(lapis::allclose(&matmul(&a, &ai).unwrap(), &Array::eye(2)).unwrap());
/// // numpy: np.linalg.inv([[1., 2.], [2., 4.]])  -> LinAlgError: Singular matrix
/// assert_eq!(linalg::inv(&array![[1., 2.], [2., 4.]]), Err(LinalgError::Singular { index: 1 }));
/// // numpy: np.linalg.inv([[1j, 1], [0, 2]])  -> [[-1j, 0.5j], [0, 0.5]]
/// use lapis::c64;
/// let z = |re, im| c64::new(re, im);
/// let w = linalg::inv(&array![[z(0., 1.), z(1., 0.)], [z(0., 0.), z(2., 0.)]]).unwrap();
/// let want = array![[z(0., -1.), z(0., 0.5)], [z(0., 0.), z(0.5, 0.)]];
/// assert!(lapis::allclose(&w, &want).unwrap());
/// ```
pub fn inv<T, S>(a: &ArrayBase<S>) -> Result<Array<T>, LinalgError>
where
    T: Inexact,
    S: Data<Elem = T>,
{
    let (batch, n) = stacked_square(OP, a)?;
    let (shape, size) = out_shape(&batch, &[n, n])?;
    let mut out = vec![T::default(); size];
    let st = Stack::new(a, &batch);
    if st.count() == 0 || n == 0 {
        return Array::from_shape_vec(&shape, out);
    }
    let shapes: [&[usize]; 1] = [a.shape()];
    if T::IS_COMPLEX {
        inv_complex(&st, &mut out, &shapes)?;
    } else {
        inv_real(st.real(), bytemuck::cast_slice_mut(&mut out), &shapes)?;
    }
    Array::from_shape_vec(&shape, out)
}

const OP: &str = "inv";

/// The real path: the batched tiny kernel for `n ≤ 8`, LU + `getri` otherwise.
fn inv_real<T: Scalar + Element>(
    st: Stack<'_, T>,
    out: &mut [T],
    shapes: &[&[usize]],
) -> Result<(), LinalgError> {
    let n = st.rows;
    if n <= lapis_kernels::tiny::TINY_MAX_N {
        return small::inv(&st, out);
    }
    let err = conv(OP, shapes);
    for_each(
        st.count(),
        vec![(out, n * n)],
        n * n * n,
        || (vec![T::default(); n * n], vec![0usize; n]),
        |i, o, (buf, ipiv), par| {
            st.copy_col_major(i, buf);
            let mut m = MatMut::from_col_major(buf, n, n).expect("n × n workspace");
            let status = lu::factor(m.rb(), ipiv, par).map_err(&err)?;
            if let Some(index) = status.first_zero_pivot {
                return Err(LinalgError::Singular { index });
            }
            lu::inverse(m.rb(), ipiv, par).map_err(&err)?;
            let dst = &mut *o[0];
            for r in 0..n {
                for c in 0..n {
                    dst[r * n + c] = buf[r + c * n];
                }
            }
            Ok(())
        },
    )?;
    Ok(())
}

/// The complex path: complex LU, then the inverse from it.
fn inv_complex<T: Inexact>(
    st: &Stack<'_, T>,
    out: &mut [T],
    shapes: &[&[usize]],
) -> Result<(), LinalgError> {
    let n = st.rows;
    let err = conv(OP, shapes);
    for_each(
        st.count(),
        vec![(out, n * n)],
        4 * n * n * n,
        || (CMat::zeros(n, n), vec![0usize; n]),
        |i, o, (m, ipiv), par| {
            split::load(st, i, m);
            let status = complex::lu::factor(m.as_mut(), ipiv, par).map_err(&err)?;
            if let Some(index) = status.first_zero_pivot {
                return Err(LinalgError::Singular { index });
            }
            complex::lu::inverse(m.as_mut(), ipiv, par).map_err(&err)?;
            split::store(m.as_ref(), o[0]);
            Ok(())
        },
    )?;
    Ok(())
}
