//! `dot`, `inner`, `vdot` and `tensordot`: numpy's contractions.

use super::gemm_new;
use crate::array::shape::normalize_axis;
use crate::error::fmt_shape;
use crate::{Array, ArrayBase, Data, Inexact, LinalgError};

/// Which axes [`tensordot`] sums over (numpy's `axes=` argument).
///
/// ```
/// use lapis::TensorAxes;
/// // numpy: axes=2, axes=([1, 0], [0, 1])
/// assert_eq!(TensorAxes::from(2), TensorAxes::Last(2));
/// let t = TensorAxes::from(([1, 0], [0, 1]));
/// assert_eq!(t, TensorAxes::Pairs(vec![1, 0], vec![0, 1]));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TensorAxes {
    /// The last `n` axes of `a` with the first `n` axes of `b`, in order.
    Last(usize),
    /// `a`'s axes `.0[i]` with `b`'s axes `.1[i]` (negative counts from the end).
    Pairs(Vec<isize>, Vec<isize>),
}

impl From<usize> for TensorAxes {
    fn from(n: usize) -> Self {
        TensorAxes::Last(n)
    }
}

impl From<(isize, isize)> for TensorAxes {
    fn from((a, b): (isize, isize)) -> Self {
        TensorAxes::Pairs(vec![a], vec![b])
    }
}

impl<const N: usize> From<([isize; N], [isize; N])> for TensorAxes {
    fn from((a, b): ([isize; N], [isize; N])) -> Self {
        TensorAxes::Pairs(a.to_vec(), b.to_vec())
    }
}

impl From<(Vec<isize>, Vec<isize>)> for TensorAxes {
    fn from((a, b): (Vec<isize>, Vec<isize>)) -> Self {
        TensorAxes::Pairs(a, b)
    }
}

/// Sum of products over `a`'s axes `axes.0` and `b`'s axes `axes.1` (numpy's
/// `np.tensordot(a, b, axes)`): the result's axes are `a`'s remaining axes, then `b`'s.
///
/// Runs as one GEMM: the operands are presented as matrices (a view when the layout
/// allows, a copy otherwise).
///
/// ```
/// use lapis::{tensordot, Array};
/// // numpy: np.tensordot(np.ones((3, 4, 5)), np.ones((4, 3, 2)), axes=([1, 0], [0, 1])).shape
/// let a = Array::<f64>::ones(&[3, 4, 5]);
/// let b = Array::<f64>::ones(&[4, 3, 2]);
/// let c = tensordot(&a, &b, ([1, 0], [0, 1])).unwrap();
/// assert_eq!(c.shape(), &[5, 2]);
/// assert_eq!(c[[0, 0]], 12.0);
/// // numpy: np.tensordot(a, a, axes=0).shape  (outer product)
/// assert_eq!(tensordot(&a, &a, 0).unwrap().shape(), &[3, 4, 5, 3, 4, 5]);
/// ```
pub fn tensordot<T, S1, S2>(
    a: &ArrayBase<S1>,
    b: &ArrayBase<S2>,
    axes: impl Into<TensorAxes>,
) -> Result<Array<T>, LinalgError>
where
    T: Inexact,
    S1: Data<Elem = T>,
    S2: Data<Elem = T>,
{
    let (sa, sb) = (a.shape(), b.shape());
    let (ax_a, ax_b): (Vec<usize>, Vec<usize>) = match axes.into() {
        TensorAxes::Last(n) => {
            if n > a.ndim() || n > b.ndim() {
                return Err(LinalgError::shape(
                    "tensordot",
                    &[sa, sb],
                    format!("cannot sum over the last {n} axes of a and the first {n} axes of b"),
                ));
            }
            ((a.ndim() - n..a.ndim()).collect(), (0..n).collect())
        }
        TensorAxes::Pairs(x, y) => {
            if x.len() != y.len() {
                return Err(LinalgError::shape(
                    "tensordot",
                    &[sa, sb],
                    "shape-mismatch for sum",
                ));
            }
            let x = x
                .iter()
                .map(|&i| normalize_axis(i, a.ndim()))
                .collect::<Result<_, _>>()?;
            let y = y
                .iter()
                .map(|&i| normalize_axis(i, b.ndim()))
                .collect::<Result<_, _>>()?;
            (x, y)
        }
    };
    for (&i, &j) in ax_a.iter().zip(&ax_b) {
        if sa[i] != sb[j] {
            return Err(LinalgError::shape(
                "tensordot",
                &[sa, sb],
                format!(
                    "shape-mismatch for sum: axis {i} of a has size {} and axis {j} of b has size {}",
                    sa[i], sb[j]
                ),
            ));
        }
    }
    contract(a, b, &ax_a, &ax_b)
}

/// The contraction once the axes are known to match.
fn contract<T, S1, S2>(
    a: &ArrayBase<S1>,
    b: &ArrayBase<S2>,
    ax_a: &[usize],
    ax_b: &[usize],
) -> Result<Array<T>, LinalgError>
where
    T: Inexact,
    S1: Data<Elem = T>,
    S2: Data<Elem = T>,
{
    let free_a: Vec<usize> = (0..a.ndim()).filter(|i| !ax_a.contains(i)).collect();
    let free_b: Vec<usize> = (0..b.ndim()).filter(|i| !ax_b.contains(i)).collect();
    let m: usize = free_a.iter().map(|&i| a.shape()[i]).product();
    let n: usize = free_b.iter().map(|&i| b.shape()[i]).product();
    let k: usize = ax_a.iter().map(|&i| a.shape()[i]).product();
    let perm_a: Vec<usize> = free_a.iter().chain(ax_a).copied().collect();
    let perm_b: Vec<usize> = ax_b.iter().chain(&free_b).copied().collect();
    let pa = a.permute_axes(&perm_a)?;
    let pb = b.permute_axes(&perm_b)?;
    let ma = pa.reshape(&[m as isize, k as isize])?;
    let mb = pb.reshape(&[k as isize, n as isize])?;
    let c = gemm_new(ma.mat_slice()?, mb.mat_slice()?);
    let shape: Vec<isize> = free_a
        .iter()
        .map(|&i| a.shape()[i])
        .chain(free_b.iter().map(|&i| b.shape()[i]))
        .map(|d| d as isize)
        .collect();
    c.into_shape(&shape)
}

/// numpy's `np.dot(a, b)`:
///
/// * 0-d operand: elementwise multiplication;
/// * 1-D · 1-D: the inner product, as a 0-d array (`.item()` gives the number);
/// * 2-D · 2-D: the matrix product;
/// * N-D · 1-D: sum over the last axis of `a` and `b`;
/// * N-D · M-D (M ≥ 2): sum over the last axis of `a` and the second-to-last of `b`, so
///   the result has shape `a.shape[:-1] + b.shape[:-2] + b.shape[-1:]` — for 3-D inputs
///   `(N, M, K) · (N, K, P) → (N, M, N, P)`, unlike [`matmul`](crate::matmul)'s `(N, M, P)`.
///
/// ```
/// use lapis::{array, dot, matmul, Array};
/// // numpy: np.dot([1., 2., 3.], [4., 5., 6.])
/// assert_eq!(dot(&array![1., 2., 3.], &array![4., 5., 6.]).unwrap().item(), Some(32.0));
/// // numpy: np.dot(np.ones((2, 3, 4)), np.ones((2, 4, 5))).shape  -> (2, 3, 2, 5)
/// let a = Array::<f64>::ones(&[2, 3, 4]);
/// let b = Array::<f64>::ones(&[2, 4, 5]);
/// assert_eq!(dot(&a, &b).unwrap().shape(), &[2, 3, 2, 5]);
/// assert_eq!(matmul(&a, &b).unwrap().shape(), &[2, 3, 5]);
/// // numpy: np.dot(np.ones((2, 3)), np.ones((4, 5)))  -> ValueError: shapes (2,3) and (4,5) not aligned
/// let err = dot(&Array::<f64>::ones(&[2, 3]), &Array::<f64>::ones(&[4, 5])).unwrap_err();
/// assert!(err.to_string().contains("not aligned"));
/// ```
pub fn dot<T, S1, S2>(a: &ArrayBase<S1>, b: &ArrayBase<S2>) -> Result<Array<T>, LinalgError>
where
    T: Inexact,
    S1: Data<Elem = T>,
    S2: Data<Elem = T>,
{
    if a.ndim() == 0 || b.ndim() == 0 {
        return a.try_mul(b);
    }
    let ia = a.ndim() - 1;
    let ib = if b.ndim() >= 2 { b.ndim() - 2 } else { 0 };
    if a.shape()[ia] != b.shape()[ib] {
        return Err(LinalgError::shape(
            "dot",
            &[a.shape(), b.shape()],
            format!(
                "shapes {} and {} not aligned: {} (dim {ia}) != {} (dim {ib})",
                fmt_shape(a.shape()),
                fmt_shape(b.shape()),
                a.shape()[ia],
                b.shape()[ib]
            ),
        ));
    }
    if a.ndim() == 2 && b.ndim() == 2 {
        return Ok(gemm_new(a.mat_slice()?, b.mat_slice()?));
    }
    contract(a, b, &[ia], &[ib])
}

/// numpy's `np.inner(a, b)`: sum over the **last** axes of both (for 2-D, `a · bᵀ`); a 0-d
/// operand multiplies elementwise. The result's shape is `a.shape[:-1] + b.shape[:-1]`.
///
/// ```
/// use lapis::{array, inner};
/// // numpy: np.inner([[1., 2.], [3., 4.]], [[1., 0.], [0., 1.], [1., 1.]])
/// let c = inner(&array![[1., 2.], [3., 4.]], &array![[1., 0.], [0., 1.], [1., 1.]]).unwrap();
/// assert_eq!(c, array![[1., 2., 3.], [3., 4., 7.]]);
/// ```
pub fn inner<T, S1, S2>(a: &ArrayBase<S1>, b: &ArrayBase<S2>) -> Result<Array<T>, LinalgError>
where
    T: Inexact,
    S1: Data<Elem = T>,
    S2: Data<Elem = T>,
{
    if a.ndim() == 0 || b.ndim() == 0 {
        return a.try_mul(b);
    }
    let (ia, ib) = (a.ndim() - 1, b.ndim() - 1);
    if a.shape()[ia] != b.shape()[ib] {
        return Err(LinalgError::shape(
            "inner",
            &[a.shape(), b.shape()],
            format!(
                "shapes {} and {} not aligned: {} (dim {ia}) != {} (dim {ib})",
                fmt_shape(a.shape()),
                fmt_shape(b.shape()),
                a.shape()[ia],
                b.shape()[ib]
            ),
        ));
    }
    contract(a, b, &[ia], &[ib])
}

/// numpy's `np.vdot(a, b)`: both are flattened (C order) and `Σ conj(aᵢ)·bᵢ` returned —
/// the first argument is **conjugated** (for real arrays, the plain inner product); the
/// sizes must agree (the shapes need not).
///
/// ```
/// use lapis::{array, c64, vdot, Array};
/// // numpy: np.vdot([[1., 2.], [3., 4.]], [1., 1., 1., 1.])
/// assert_eq!(vdot(&array![[1., 2.], [3., 4.]], &array![1., 1., 1., 1.]).unwrap(), 10.0);
/// assert!(vdot(&array![1., 2.], &array![1., 2., 3.]).is_err());
/// // numpy: np.vdot([1+2j, 3-1j], [1+2j, 3-1j])  -> (15+0j), the squared norm
/// let z = Array::from_vec(vec![c64::new(1., 2.), c64::new(3., -1.)]);
/// assert_eq!(vdot(&z, &z).unwrap(), c64::new(15., 0.));
/// ```
pub fn vdot<T, S1, S2>(a: &ArrayBase<S1>, b: &ArrayBase<S2>) -> Result<T, LinalgError>
where
    T: Inexact,
    S1: Data<Elem = T>,
    S2: Data<Elem = T>,
{
    if a.len() != b.len() {
        return Err(LinalgError::shape(
            "vdot",
            &[a.shape(), b.shape()],
            format!(
                "vectors have different lengths ({} and {})",
                a.len(),
                b.len()
            ),
        ));
    }
    // O(n) copy of the conjugate; real operands are read in place.
    let conj = T::IS_COMPLEX.then(|| a.conj());
    let ra = match &conj {
        Some(c) => c.ravel(),
        None => a.ravel(),
    };
    let rb = b.ravel();
    let n = ra.len() as isize;
    let (ma, mb) = (ra.reshape(&[1, n])?, rb.reshape(&[n, 1])?);
    Ok(gemm_new(ma.mat_slice()?, mb.mat_slice()?).data[0])
}
