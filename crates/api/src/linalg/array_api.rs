//! numpy 2's Array-API names in `numpy.linalg`: [`diagonal`], [`matrix_transpose`],
//! [`trace`], [`outer`], [`cross`], [`vecdot`], [`vector_norm`], [`matrix_norm`].
//!
//! They differ from the same-named top-level functions in which axes they read: the
//! matrices are the **last** two axes (`np.trace`/`np.diagonal` use the first two), vectors
//! lie along one `axis`, and the shape rules are stricter (`outer` takes 1-D only, `cross`
//! 3-vectors only). Each is a thin layer over the existing machinery: views of
//! [`ArrayBase`], the products of the crate root, and [`norm`].

use lapis_kernels::{MatRef, dot};

use super::norm::{Ord, norm};
use super::stack::out_shape;
use crate::array::shape::{broadcast_shapes, broadcast_strides, normalize_axis, walk};
use crate::{Array, ArrayBase, ArrayView, Data, Element, Inexact, LinalgError, Number};

/// Gives an error raised by a function this module delegates to the public name the user
/// called.
fn renamed(op: &'static str) -> impl Fn(LinalgError) -> LinalgError {
    move |e| match e {
        LinalgError::Shape { shapes, reason, .. } => LinalgError::Shape { op, shapes, reason },
        LinalgError::InvalidArgument { message, .. } => {
            LinalgError::InvalidArgument { op, message }
        }
        e => e,
    }
}

/// The view of `x` with axis `ax` moved to the end.
fn axis_last<T: Element, S: Data<Elem = T>>(
    x: &ArrayBase<S>,
    ax: usize,
) -> Result<ArrayView<'_, T>, LinalgError> {
    let mut perm: Vec<usize> = (0..x.ndim()).filter(|&d| d != ax).collect();
    perm.push(ax);
    x.permute_axes(&perm)
}

/// The shape the leading axes of two operands broadcast to (everything but their last
/// axis), or `op`'s shape error naming the operands' original shapes.
fn batch_shape(
    op: &'static str,
    v1: &[usize],
    v2: &[usize],
    shapes: [&[usize]; 2],
) -> Result<Vec<usize>, LinalgError> {
    broadcast_shapes(&v1[..v1.len() - 1], &v2[..v2.len() - 1]).map_err(|_| {
        LinalgError::shape(
            op,
            &shapes,
            "the axes other than the vector axis could not be broadcast together",
        )
    })
}

/// The diagonal `offset` of a matrix, or of every matrix of a stack in the last two axes
/// (numpy's `np.linalg.diagonal(x, offset=0)`), as a view: the shape is `x.shape[:-2]`
/// followed by the length of the diagonal (`0` when `offset` is outside the matrix).
///
/// Unlike [`ArrayBase::diagonal`] (numpy's `x.diagonal()`), the matrices are the **last**
/// two axes. Errors: [`LinalgError::Shape`] for fewer than 2 axes.
///
/// ```
/// use lapis::{array, linalg, Array};
/// // numpy: np.linalg.diagonal(np.arange(8.).reshape(2, 2, 2))  -> [[0., 3.], [4., 7.]]
/// let a = Array::arange(0., 8., 1.).into_shape(&[2, 2, 2]).unwrap();
/// assert_eq!(linalg::diagonal(&a, 0).unwrap(), array![[0., 3.], [4., 7.]]);
/// // numpy: np.linalg.diagonal([[0., 1., 2.], [3., 4., 5.]], offset=-1)  -> [3.]
/// let b = array![[0., 1., 2.], [3., 4., 5.]];
/// assert_eq!(linalg::diagonal(&b, -1).unwrap(), array![3.]);
/// // numpy: np.linalg.diagonal(np.ones(3))  -> ValueError
/// assert!(linalg::diagonal(&array![1., 2., 3.], 0).is_err());
/// ```
pub fn diagonal<T: Element, S: Data<Elem = T>>(
    x: &ArrayBase<S>,
    offset: isize,
) -> Result<ArrayView<'_, T>, LinalgError> {
    let nd = x.ndim();
    if nd < 2 {
        return Err(LinalgError::shape(
            "diagonal",
            &[x.shape()],
            "diag requires an array of at least two dimensions (..., M, N)",
        ));
    }
    Ok(x.diagonal_of(offset, nd - 2, nd - 1))
}

/// The sum along diagonal `offset` of a matrix, or of every matrix of a stack in the last
/// two axes (numpy's `np.linalg.trace(x, offset=0)`): the shape is `x.shape[:-2]`, a 0-d
/// array for one matrix ([`into_scalar`](ArrayBase::into_scalar) reads it).
///
/// Unlike [`crate::trace`] (numpy's `np.trace`, first two axes), the matrices are the
/// **last** two axes. An offset outside the matrix, or an empty matrix, sums to `0`.
/// Errors: [`LinalgError::Shape`] for fewer than 2 axes.
///
/// ```
/// use lapis::{array, linalg, Array};
/// # fn main() -> Result<(), lapis::LinalgError> {
/// // numpy: np.linalg.trace(np.arange(8.).reshape(2, 2, 2))  -> [3., 11.]
/// let a = Array::arange(0., 8., 1.).into_shape(&[2, 2, 2])?;
/// assert_eq!(linalg::trace(&a, 0)?, array![3., 11.]);
/// // numpy: np.trace(a)  sums over the first two axes instead -> [6., 8.]
/// assert_eq!(lapis::trace(&a, 0)?, array![6., 8.]);
/// // numpy: np.linalg.trace(np.arange(9.).reshape(3, 3), offset=-1)  -> 10.0
/// let b = Array::arange(0., 9., 1.).into_shape(&[3, 3])?;
/// assert_eq!(linalg::trace(&b, -1)?.into_scalar()?, 10.0);
/// # Ok(())
/// # }
/// ```
pub fn trace<T: Number, S: Data<Elem = T>>(
    x: &ArrayBase<S>,
    offset: isize,
) -> Result<Array<T>, LinalgError> {
    diagonal(x, offset)
        .map_err(renamed("trace"))?
        .sum_axis(-1, false)
}

/// The view of `x` with its last two axes exchanged: the transpose of a matrix, or of every
/// matrix of a stack (numpy's `np.linalg.matrix_transpose(x)`, `x.mT`).
///
/// Errors: [`LinalgError::Shape`] for fewer than 2 axes (numpy: "Input array must be at
/// least 2-dimensional").
///
/// ```
/// use lapis::{linalg, Array};
/// // numpy: np.linalg.matrix_transpose(np.zeros((2, 3, 4))).shape  -> (2, 4, 3)
/// let a = Array::<f64>::zeros(&[2, 3, 4]);
/// assert_eq!(linalg::matrix_transpose(&a).unwrap().shape(), &[2, 4, 3]);
/// assert!(linalg::matrix_transpose(&Array::<f64>::zeros(&[3])).is_err());
/// ```
pub fn matrix_transpose<T: Element, S: Data<Elem = T>>(
    x: &ArrayBase<S>,
) -> Result<ArrayView<'_, T>, LinalgError> {
    let nd = x.ndim();
    if nd < 2 {
        return Err(LinalgError::shape(
            "matrix_transpose",
            &[x.shape()],
            format!("Input array must be at least 2-dimensional, but it is {nd}"),
        ));
    }
    x.swap_axes(-2, -1)
}

/// The outer product of two vectors, `out[i, j] = x1[i]·x2[j]` (numpy's
/// `np.linalg.outer(x1, x2)`).
///
/// Unlike [`crate::outer`] (numpy's `np.outer`, which flattens), both inputs must be 1-D.
/// Errors: [`LinalgError::Shape`] naming both shapes otherwise.
///
/// ```
/// use lapis::{array, linalg, Array};
/// // numpy: np.linalg.outer([1., 2.], [1., 10., 100.])
/// let c = linalg::outer(&array![1., 2.], &array![1., 10., 100.]).unwrap();
/// assert_eq!(c, array![[1., 10., 100.], [2., 20., 200.]]);
/// // numpy: np.linalg.outer(np.ones((2, 2)), np.ones(3))  -> ValueError
/// assert!(linalg::outer(&Array::<f64>::ones(&[2, 2]), &Array::<f64>::ones(&[3])).is_err());
/// ```
pub fn outer<T, S1, S2>(x1: &ArrayBase<S1>, x2: &ArrayBase<S2>) -> Result<Array<T>, LinalgError>
where
    T: Inexact,
    S1: Data<Elem = T>,
    S2: Data<Elem = T>,
{
    if x1.ndim() != 1 || x2.ndim() != 1 {
        return Err(LinalgError::shape(
            "outer",
            &[x1.shape(), x2.shape()],
            format!(
                "Input arrays must be one-dimensional, but they are x1.ndim={} and x2.ndim={}",
                x1.ndim(),
                x2.ndim()
            ),
        ));
    }
    crate::outer(x1, x2)
}

/// The cross product of 3-vectors lying along `axis` of `x1` and `x2` (numpy's
/// `np.linalg.cross(x1, x2, axis=-1)`); the other axes broadcast, and the result has the
/// broadcast shape with the 3 components along `axis`.
///
/// `axis` is counted in each operand's own axes (negative from the end), as numpy does.
/// Unlike [`crate::cross`] (numpy's `np.cross`), 2-vectors are refused.
///
/// Errors: [`LinalgError::AxisOutOfBounds`]; [`LinalgError::Shape`] naming both shapes
/// when either vector axis is not of length 3 or the other axes do not broadcast.
///
/// ```
/// use lapis::{array, linalg};
/// // numpy: np.linalg.cross([1., 2., 3.], [4., 5., 6.])  -> [-3., 6., -3.]
/// let c = linalg::cross(&array![1., 2., 3.], &array![4., 5., 6.], -1).unwrap();
/// assert_eq!(c, array![-3., 6., -3.]);
/// // numpy: np.linalg.cross(x, y, axis=0) with the vectors in the columns
/// let x = array![[1., 2.], [3., 4.], [5., 6.]];
/// let y = array![[4., 5.], [6., 1.], [2., 3.]];
/// let c = linalg::cross(&x, &y, 0).unwrap();
/// assert_eq!(c, array![[-24., 6.], [18., 24.], [-6., -18.]]);
/// // numpy: np.linalg.cross([1., 2.], [3., 4.])  -> ValueError
/// assert!(linalg::cross(&array![1., 2.], &array![3., 4.], -1).is_err());
/// ```
pub fn cross<T, S1, S2>(
    x1: &ArrayBase<S1>,
    x2: &ArrayBase<S2>,
    axis: isize,
) -> Result<Array<T>, LinalgError>
where
    T: Inexact,
    S1: Data<Elem = T>,
    S2: Data<Elem = T>,
{
    const OP: &str = "cross";
    let shapes = [x1.shape(), x2.shape()];
    let (a1, a2) = (
        normalize_axis(axis, x1.ndim())?,
        normalize_axis(axis, x2.ndim())?,
    );
    let (d1, d2) = (x1.shape()[a1], x2.shape()[a2]);
    if d1 != 3 || d2 != 3 {
        return Err(LinalgError::shape(
            OP,
            &shapes,
            format!(
                "Both input arrays must be (arrays of) 3-dimensional vectors, but they are {d1} and {d2} dimensional instead"
            ),
        ));
    }
    let (v1, v2) = (axis_last(x1, a1)?, axis_last(x2, a2)?);
    batch_shape(OP, v1.shape(), v2.shape(), shapes)?;
    let c = crate::cross(&v1, &v2)?;
    let nd = c.ndim();
    // numpy places the components at `axis` of the result (its `axisc`).
    let ac = normalize_axis(axis, nd)?;
    if ac == nd - 1 {
        return Ok(c);
    }
    let mut perm: Vec<usize> = (0..nd - 1).collect();
    perm.insert(ac, nd - 1);
    Ok(c.permute_axes(&perm)?.to_owned())
}

/// The dot product of the vectors lying along `axis` of `x1` and `x2`, broadcasting the
/// other axes (numpy's `np.linalg.vecdot(x1, x2, axis=-1)`, `Σᵢ conj(x1ᵢ)·x2ᵢ`; the
/// conjugate is the identity for real elements).
///
/// `axis` is counted in each operand's own axes (negative from the end), as numpy does; the
/// result has the broadcast shape of the other axes. Each pair of vectors is read in place
/// (any strides, broadcast axes never copied) by the SIMD dot kernel of
/// [`lapis_kernels::dot`]. Empty vectors give `0`.
///
/// Errors: [`LinalgError::Shape`] naming both shapes for a 0-d operand, vector lengths that
/// differ, or other axes that do not broadcast; [`LinalgError::AxisOutOfBounds`].
///
/// ```
/// use lapis::{array, linalg};
/// // numpy: np.linalg.vecdot([[0., 5., 0.], [0., 0., 10.], [0., 6., 8.]], [0., 0.6, 0.8])
/// let v = array![[0., 5., 0.], [0., 0., 10.], [0., 6., 8.]];
/// let d = linalg::vecdot(&v, &array![0., 0.6, 0.8], -1).unwrap();
/// assert!(lapis::allclose(&d, &array![3., 8., 10.]).unwrap());
/// // numpy: np.linalg.vecdot(np.ones((2, 3)), np.ones(2))  -> ValueError (3 != 2)
/// assert!(linalg::vecdot(&lapis::Array::<f64>::ones(&[2, 3]), &array![1., 1.], -1).is_err());
/// ```
pub fn vecdot<T, S1, S2>(
    x1: &ArrayBase<S1>,
    x2: &ArrayBase<S2>,
    axis: isize,
) -> Result<Array<T>, LinalgError>
where
    T: Inexact,
    S1: Data<Elem = T>,
    S2: Data<Elem = T>,
{
    const OP: &str = "vecdot";
    // Below this length the kernel call costs more than the products.
    const SHORT: usize = 16;
    let shapes = [x1.shape(), x2.shape()];
    for (i, x) in shapes.iter().enumerate() {
        if x.is_empty() {
            return Err(LinalgError::shape(
                OP,
                &shapes,
                format!(
                    "Input operand {i} does not have enough dimensions (has 0, gufunc core with signature (n),(n)->() requires 1)"
                ),
            ));
        }
    }
    let (a1, a2) = (
        normalize_axis(axis, x1.ndim())?,
        normalize_axis(axis, x2.ndim())?,
    );
    let (n1, n2) = (x1.shape()[a1], x2.shape()[a2]);
    if n1 != n2 {
        return Err(LinalgError::shape(
            OP,
            &shapes,
            format!(
                "Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n),(n)->() (size {n2} is different from {n1})"
            ),
        ));
    }
    let (v1, v2) = (axis_last(x1, a1)?, axis_last(x2, a2)?);
    let batch = batch_shape(OP, v1.shape(), v2.shape(), shapes)?;
    let (_, size) = out_shape(&batch, &[])?;
    if n1 == 0 {
        return Ok(Array::zeros(&batch));
    }
    let mut out = Vec::with_capacity(size);
    let lanes = |v: &ArrayView<'_, T>| {
        let nd = v.ndim();
        let s = broadcast_strides(&v.shape()[..nd - 1], &v.strides()[..nd - 1], &batch)
            .expect("the batch shapes broadcast");
        (s, v.strides()[nd - 1])
    };
    let ((s1, step1), (s2, step2)) = (lanes(&v1), lanes(&v2));
    let (d1, d2) = (v1.data, v2.data);
    walk(&batch, [&s1, &s2], [v1.offset, v2.offset], |[o1, o2]| {
        if n1 <= SHORT || T::IS_COMPLEX {
            // numpy conjugates the first operand: Σ conj(x1ᵢ)·x2ᵢ.
            let (mut p1, mut p2, mut acc) = (o1 as isize, o2 as isize, <T as Number>::zero());
            for _ in 0..n1 {
                acc += Inexact::conj(d1[p1 as usize]) * d2[p2 as usize];
                p1 += step1;
                p2 += step2;
            }
            out.push(acc);
            return;
        }
        // Real: the kernel's dot (the parts are the values themselves). Every lane of an
        // array lies inside its storage (the array invariant).
        let (f1, f2): (&[T::Float], &[T::Float]) =
            (bytemuck::cast_slice(d1), bytemuck::cast_slice(d2));
        let row = MatRef::from_slice_with_offset(f1, o1, 1, n1, 0, step1).expect("a lane of x1");
        let col = MatRef::from_slice_with_offset(f2, o2, n1, 1, step2, 0).expect("a lane of x2");
        out.push(T::from_float(
            dot(row, col).expect("two vectors of length n"),
        ));
    });
    Array::from_shape_vec(&batch, out)
}

/// The vector norm of `x` taken over the given axes as one vector, for every position of
/// the other axes (numpy's `np.linalg.vector_norm(x, axis=None, keepdims=False, ord=2)`).
///
/// * `axis = None`: the norm of `x` flattened, whatever its dimensions (0-d included);
/// * `axis = Some(&[i])`: the norm of every vector along axis `i`;
/// * `axis = Some(&[i, j, …])`: the norm of every sub-array over those axes, taken as one
///   flat vector (never a matrix norm; `&[]` gives `|x|`).
///
/// `ord` is numpy's `{int, float, inf, -inf}`: `2.` (numpy's default) is the scaled 2-norm
/// (no overflow or underflow in the squares), `f64::INFINITY` the largest magnitude,
/// `f64::NEG_INFINITY` the smallest, `0.` the count of non-zeros, any other `p`
/// `sum(abs(x)**p)**(1/p)` — the vector column of [`Ord`](enum@Ord)'s table, computed by
/// [`norm`]. The result has `x`'s shape without the reduced axes, or with them as length
/// 1 when `keepdims`. NaN propagates.
///
/// Errors: [`LinalgError::AxisOutOfBounds`]; [`LinalgError::InvalidArgument`] for a
/// repeated axis and for `ord = -inf` over an empty vector (numpy: "zero-size array to
/// reduction operation minimum which has no identity").
///
/// ```
/// use lapis::{array, linalg, Array};
/// # fn main() -> Result<(), lapis::LinalgError> {
/// // numpy: b = np.arange(1., 10.).reshape(3, 3); np.linalg.vector_norm(b)  -> 16.88194…
/// let b = Array::<f64>::arange(1., 10., 1.).into_shape(&[3, 3])?;
/// let r = linalg::vector_norm(&b, 2., None, false)?.into_scalar()?;
/// assert!((r - 285f64.sqrt()).abs() < 1e-14);
/// // numpy: np.linalg.vector_norm(b, ord=np.inf), ord=0, ord=1
/// assert_eq!(linalg::vector_norm(&b, f64::INFINITY, None, false)?.into_scalar()?, 9.0);
/// assert_eq!(linalg::vector_norm(&b, 0., None, false)?.into_scalar()?, 9.0);
/// assert_eq!(linalg::vector_norm(&b, 1., None, false)?.into_scalar()?, 45.0);
/// // numpy: np.linalg.vector_norm(b, ord=1, axis=1, keepdims=True)  -> [[6.], [15.], [24.]]
/// let rows = linalg::vector_norm(&b, 1., Some(&[1]), true)?;
/// assert_eq!(rows, array![[6.], [15.], [24.]]);
/// # Ok(())
/// # }
/// ```
pub fn vector_norm<T, S>(
    x: &ArrayBase<S>,
    ord: f64,
    axis: Option<&[isize]>,
    keepdims: bool,
) -> Result<Array<T::Float>, LinalgError>
where
    T: Inexact,
    S: Data<Elem = T>,
{
    const OP: &str = "vector_norm";
    let nd = x.ndim();
    let axes: Vec<usize> = match axis {
        None => (0..nd).collect(),
        Some(ax) => {
            let axes: Vec<usize> = ax
                .iter()
                .map(|&a| normalize_axis(a, nd))
                .collect::<Result<_, _>>()?;
            if (1..axes.len()).any(|i| axes[..i].contains(&axes[i])) {
                return Err(LinalgError::invalid(OP, "repeated axis"));
            }
            axes
        }
    };
    // numpy's reduction to one axis: the kept axes in order, then the reduced ones
    // flattened into one vector, normed by `norm`'s single-axis branch.
    let kept: Vec<usize> = (0..nd).filter(|d| !axes.contains(d)).collect();
    let perm: Vec<usize> = kept.iter().chain(&axes).copied().collect();
    let len: usize = axes.iter().map(|&d| x.shape()[d]).product();
    let mut flat: Vec<isize> = kept.iter().map(|&d| x.shape()[d] as isize).collect();
    flat.push(len as isize);
    let v = x.permute_axes(&perm)?;
    let v = v.reshape(&flat)?;
    let r = norm(&v, Some(Ord::P(ord)), Some(&[-1]), false).map_err(renamed(OP))?;
    if !keepdims {
        return Ok(r);
    }
    let shape: Vec<isize> = (0..nd)
        .map(|d| {
            if axes.contains(&d) {
                1
            } else {
                x.shape()[d] as isize
            }
        })
        .collect();
    r.into_shape(&shape)
}

/// The matrix norm of a matrix, or of every matrix of a stack in the last two axes
/// (numpy's `np.linalg.matrix_norm(x, keepdims=False, ord='fro')`).
///
/// `ord` is one of numpy's matrix orders (the matrix column of [`Ord`](enum@Ord)'s table):
/// `Ord::Fro` (numpy's default), `Ord::Nuc`, `Ord::P(±1.)` (column sums), `Ord::Inf`,
/// `Ord::NegInf` (row sums), `Ord::P(±2.)` (extreme singular values), computed by
/// [`norm`] over the axes `(-2, -1)`. The result has shape `x.shape[:-2]` (a 0-d array for
/// one matrix), or `x.shape[:-2] + (1, 1)` when `keepdims`.
///
/// Errors: [`LinalgError::AxisOutOfBounds`] for fewer than 2 axes (as numpy);
/// [`LinalgError::InvalidArgument`] for another `ord` and for a minimum over an empty axis
/// (`P(-1.)`, `NegInf`, `P(-2.)`); [`LinalgError::NonFinite`] for NaN or infinities in the
/// singular-value norms.
///
/// ```
/// use lapis::{array, linalg::{self, Ord}, Array};
/// # fn main() -> Result<(), lapis::LinalgError> {
/// // numpy: b = (np.arange(9.) - 4).reshape(3, 3); np.linalg.matrix_norm(b)  -> sqrt(60)
/// let b = Array::<f64>::arange(-4., 5., 1.).into_shape(&[3, 3])?;
/// let f = linalg::matrix_norm(&b, Ord::Fro, false)?.into_scalar()?;
/// assert!((f - 60f64.sqrt()).abs() < 1e-14);
/// // numpy: np.linalg.matrix_norm(b, ord=np.inf)  -> 9.0, ord=-1  -> 6.0
/// assert_eq!(linalg::matrix_norm(&b, Ord::Inf, false)?.into_scalar()?, 9.0);
/// assert_eq!(linalg::matrix_norm(&b, Ord::P(-1.), false)?.into_scalar()?, 6.0);
/// // numpy: np.linalg.matrix_norm(np.ones((2, 3, 4)), keepdims=True).shape  -> (2, 1, 1)
/// let s = linalg::matrix_norm(&Array::<f64>::ones(&[2, 3, 4]), Ord::Fro, true)?;
/// assert_eq!(s.shape(), &[2, 1, 1]);
/// # Ok(())
/// # }
/// ```
pub fn matrix_norm<T, S>(
    x: &ArrayBase<S>,
    ord: Ord,
    keepdims: bool,
) -> Result<Array<T::Float>, LinalgError>
where
    T: Inexact,
    S: Data<Elem = T>,
{
    norm(x, Some(ord), Some(&[-2, -1]), keepdims).map_err(renamed("matrix_norm"))
}
