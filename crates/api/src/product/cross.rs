//! `cross`.

use crate::{Array, ArrayBase, Data, Inexact, LinalgError, Number, stack};

/// numpy's `np.cross(a, b)` over the last axis, broadcasting the other axes.
///
/// * 3-vectors × 3-vectors: the cross product, last axis of length 3;
/// * a 2-vector with a 3-vector: the 2-vector is taken with `z = 0`; the result has 3
///   components;
/// * 2-vectors × 2-vectors: the `z` component only (`a0·b1 − a1·b0`), with the last axis
///   removed. numpy 2.0 deprecates 2-vector inputs (a `DeprecationWarning`) but still
///   returns this; Lapis keeps numpy's result.
///
/// Any other length of the last axis is an error ("incompatible dimensions for cross
/// product (dimension must be 2 or 3)").
///
/// ```
/// use lapis::{array, cross};
/// // numpy: np.cross([1., 0., 0.], [0., 1., 0.])
/// assert_eq!(cross(&array![1., 0., 0.], &array![0., 1., 0.]).unwrap(), array![0., 0., 1.]);
/// // numpy: np.cross([1., 2.], [3., 4.])  -> array(-2.)
/// assert_eq!(cross(&array![1., 2.], &array![3., 4.]).unwrap().item(), Some(-2.0));
/// ```
pub fn cross<T, S1, S2>(a: &ArrayBase<S1>, b: &ArrayBase<S2>) -> Result<Array<T>, LinalgError>
where
    T: Inexact,
    S1: Data<Elem = T>,
    S2: Data<Elem = T>,
{
    let dim = |x: &[usize]| x.last().copied().unwrap_or(0);
    let (da, db) = (dim(a.shape()), dim(b.shape()));
    if a.ndim() == 0 || b.ndim() == 0 || !(2..=3).contains(&da) || !(2..=3).contains(&db) {
        return Err(LinalgError::shape(
            "cross",
            &[a.shape(), b.shape()],
            "incompatible dimensions for cross product (dimension must be 2 or 3)",
        ));
    }
    let comp = |x: &ArrayBase<S1>, i: usize| x.index_axis(x.ndim() - 1, i).to_owned();
    let compb = |x: &ArrayBase<S2>, i: usize| x.index_axis(x.ndim() - 1, i).to_owned();
    let (a0, a1) = (comp(a, 0), comp(a, 1));
    let (b0, b1) = (compb(b, 0), compb(b, 1));
    let bcast = |e: LinalgError| match e {
        LinalgError::Broadcast { .. } => LinalgError::shape(
            "cross",
            &[a.shape(), b.shape()],
            "the leading axes could not be broadcast together",
        ),
        e => e,
    };
    let z = a0.try_mul(&b1).map_err(bcast)? - &a1.try_mul(&b0).map_err(bcast)?;
    if da == 2 && db == 2 {
        return Ok(z);
    }
    let neg = |x: Array<T>| x.mapv(|v| <T as Number>::zero() - v);
    let (x, y) = match (da, db) {
        (3, 3) => {
            let (a2, b2) = (comp(a, 2), compb(b, 2));
            (&a1 * &b2 - &(&a2 * &b1), &a2 * &b0 - &(&a0 * &b2))
        }
        (2, 3) => {
            let b2 = compb(b, 2);
            (&a1 * &b2, neg(&a0 * &b2))
        }
        _ => {
            let a2 = comp(a, 2);
            (neg(&a2 * &b1), &a2 * &b0)
        }
    };
    stack(&[x.view(), y.view(), z.view()], -1)
}
