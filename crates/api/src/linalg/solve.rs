//! `solve`: numpy's `np.linalg.solve(a, b)`.

use lapis_factor::complex::{self, CMat};
use lapis_factor::lu;
use lapis_kernels::MatMut;

use super::convert::conv;
use super::stack::{Stack, for_each, out_shape, rhs_batch, stacked_square};
use super::{small, split};
use crate::{Array, ArrayBase, Data, Inexact, LinalgError, Scalar};

/// The solution of `A·X = B` for square `A` (numpy's `np.linalg.solve(a, b)`), by LU with
/// partial pivoting (LAPACK `gesv`).
///
/// Shapes follow **numpy 2**:
///
/// * `a` is `(…, n, n)`, a square matrix or a stack of them (last two axes);
/// * `b` is **one vector only when it is exactly 1-D** (`(n,)`): it is then solved against
///   every matrix of `a`, and `x` has shape `(…, n)`;
/// * otherwise `b` is `(…, n, k)`, a stack of `n × k` right-hand sides whose leading axes
///   broadcast against `a`'s (so a stack of vectors must be written `(…, n, 1)`, numpy's
///   `b[..., None]`), and `x` has the broadcast shape `(…, n, k)`.
///
/// `a` and `b` are real (`f32`, `f64`) or complex ([`c32`](crate::c32),
/// [`c64`](crate::c64)); complex matrices are factored by the complex LU (LAPACK `zgesv`).
/// Stacks run in parallel (see [`config`](crate::config)); stacks of real matrices of order
/// `n ≤ 4` take an unrolled path with no per-matrix allocation.
///
/// Errors: [`LinalgError::NotSquare`]; [`LinalgError::Shape`] (naming both shapes) when
/// `a` has fewer than 2 axes, `b`'s rows do not match `n`, or the stacks do not broadcast;
/// [`LinalgError::Singular`] (numpy's `LinAlgError: Singular matrix`) when a pivot is
/// exactly zero; [`LinalgError::NonFinite`] when `a` or `b` holds NaN or an infinity
/// (numpy would return NaNs there; Lapis reports the bad input instead of an answer made of
/// NaN). `k = 0` columns and 0 × 0 matrices give empty results, as numpy.
///
/// ```
/// use lapis::{array, linalg, LinalgError};
/// // numpy: np.linalg.solve([[2., 1.], [1., 3.]], [5., 10.])  -> array([1., 3.])
/// let a = array![[2., 1.], [1., 3.]];
/// let x = linalg::solve(&a, &array![5., 10.]).unwrap();
/// assert!(lapis::allclose(&x, &array![1., 3.]).unwrap());
/// // numpy: np.linalg.solve([[1., 2.], [2., 4.]], [1., 2.])  -> LinAlgError: Singular matrix
/// let s = array![[1., 2.], [2., 4.]];
/// assert_eq!(linalg::solve(&s, &array![1., 2.]), Err(LinalgError::Singular { index: 1 }));
/// // numpy 2: a (2, 3, 3) with b (3,) -> x (2, 3); with b (2, 3) -> error (b is (n, k) = (2, 3))
/// let stack = lapis::Array::<f64>::eye(3).broadcast_to(&[2, 3, 3]).unwrap().to_owned();
/// assert_eq!(linalg::solve(&stack, &array![1., 2., 3.]).unwrap().shape(), &[2, 3]);
/// assert!(linalg::solve(&stack, &lapis::Array::<f64>::ones(&[2, 3])).is_err());
/// // numpy: np.linalg.solve([[1j, 0], [0, 2]], [1, 1j])  -> array([-1j, 0.5j])
/// use lapis::c64;
/// let z = |re, im| c64::new(re, im);
/// let x = linalg::solve(&array![[z(0., 1.), z(0., 0.)], [z(0., 0.), z(2., 0.)]], &array![z(1., 0.), z(0., 1.)])
///     .unwrap();
/// assert!(lapis::allclose(&x, &array![z(0., -1.), z(0., 0.5)]).unwrap());
/// ```
pub fn solve<T, S1, S2>(a: &ArrayBase<S1>, b: &ArrayBase<S2>) -> Result<Array<T>, LinalgError>
where
    T: Inexact,
    S1: Data<Elem = T>,
    S2: Data<Elem = T>,
{
    let (a_batch, n) = stacked_square(OP, a)?;
    let (batch, k, vector) = rhs_batch(OP, a, &a_batch, n, b)?;
    let tail: &[usize] = if vector { &[n] } else { &[n, k] };
    let (shape, size) = out_shape(&batch, tail)?;
    let mut out = vec![T::default(); size];
    let sa = Stack::new(a, &batch);
    if sa.count() == 0 || n == 0 {
        return Array::from_shape_vec(&shape, out);
    }
    let sb = if vector {
        Stack::column(b, &batch)
    } else {
        Stack::new(b, &batch)
    };
    let shapes: [&[usize]; 2] = [a.shape(), b.shape()];
    if T::IS_COMPLEX {
        solve_complex(&sa, &sb, &mut out, &shapes)?;
    } else {
        solve_real(
            sa.real(),
            sb.real(),
            bytemuck::cast_slice_mut(&mut out),
            &shapes,
        )?;
    }
    Array::from_shape_vec(&shape, out)
}

const OP: &str = "solve";

/// The real path: the tiny unrolled solves for `n ≤ 4`, LU + two TRSMs otherwise.
fn solve_real<T: Scalar + crate::Element>(
    sa: Stack<'_, T>,
    sb: Stack<'_, T>,
    out: &mut [T],
    shapes: &[&[usize]],
) -> Result<(), LinalgError> {
    let (n, k) = (sa.rows, sb.cols);
    if n <= small::MAX_N && k > 0 {
        return small::solve(&sa, &sb, out);
    }
    let err = conv(OP, shapes);
    let work = n * n * (n / 3 + 2 * k + 1);
    for_each(
        sa.count(),
        vec![(out, n * k)],
        work,
        || (vec![T::default(); n * n], vec![0usize; n]),
        |i, o, (buf, ipiv), par| {
            sa.copy_col_major(i, buf);
            let mut m = MatMut::from_col_major(buf, n, n).expect("n × n workspace");
            let status = lu::factor(m.rb(), ipiv, par).map_err(&err)?;
            if let Some(index) = status.first_zero_pivot {
                return Err(LinalgError::Singular { index });
            }
            let x = &mut *o[0];
            sb.copy_row_major(i, x);
            let xm = MatMut::from_row_major(x, n, k).expect("n × k chunk");
            lu::solve(m.as_ref(), ipiv, xm, par).map_err(&err)
        },
    )?;
    Ok(())
}

/// The complex path: each matrix into split planes, complex LU, complex solve.
fn solve_complex<T: Inexact>(
    sa: &Stack<'_, T>,
    sb: &Stack<'_, T>,
    out: &mut [T],
    shapes: &[&[usize]],
) -> Result<(), LinalgError> {
    let (n, k) = (sa.rows, sb.cols);
    let err = conv(OP, shapes);
    // A complex multiply–add is four real ones.
    let work = 4 * n * n * (n / 3 + 2 * k + 1);
    for_each(
        sa.count(),
        vec![(out, n * k)],
        work,
        || (CMat::zeros(n, n), CMat::zeros(n, k), vec![0usize; n]),
        |i, o, (m, x, ipiv), par| {
            split::load(sa, i, m);
            let status = complex::lu::factor(m.as_mut(), ipiv, par).map_err(&err)?;
            if let Some(index) = status.first_zero_pivot {
                return Err(LinalgError::Singular { index });
            }
            split::load(sb, i, x);
            let trans = complex::lu::Trans::No;
            complex::lu::solve(m.as_ref(), ipiv, x.as_mut(), trans, par).map_err(&err)?;
            split::store(x.as_ref(), o[0]);
            Ok(())
        },
    )?;
    Ok(())
}
