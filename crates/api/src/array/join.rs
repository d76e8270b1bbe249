//! Joining and splitting: `concatenate`, `stack`, `hstack`, `vstack`, `split`,
//! `split_indices`.

use super::shape::normalize_axis;
use super::slice::{SliceArg, SliceInfo};
use super::{Array, ArrayBase, ArrayView, Data};
use crate::{Element, LinalgError};

/// Joins arrays along an existing axis (numpy's `np.concatenate(arrays, axis)`); all
/// other axes must match.
///
/// ```
/// use lapis::{array, concatenate};
/// // numpy: np.concatenate([a, b], axis=0)
/// let a = array![[1., 2.], [3., 4.]];
/// let b = array![[5., 6.]];
/// let c = concatenate(&[a.view(), b.view()], 0).unwrap();
/// assert_eq!(c, array![[1., 2.], [3., 4.], [5., 6.]]);
/// assert!(concatenate(&[a.view(), b.view()], 1).is_err());
/// ```
pub fn concatenate<T: Element>(
    arrays: &[ArrayView<'_, T>],
    axis: isize,
) -> Result<Array<T>, LinalgError> {
    let first = arrays.first().ok_or_else(|| {
        LinalgError::invalid("concatenate", "need at least one array to concatenate")
    })?;
    if first.ndim() == 0 {
        return Err(LinalgError::invalid(
            "concatenate",
            "zero-dimensional arrays cannot be concatenated",
        ));
    }
    let ax = normalize_axis(axis, first.ndim())?;
    let mut shape = first.shape().to_vec();
    shape[ax] = 0;
    for (i, a) in arrays.iter().enumerate() {
        if a.ndim() != first.ndim() {
            return Err(LinalgError::Shape {
                op: "concatenate",
                shapes: arrays.iter().map(|a| a.shape().to_vec()).collect(),
                reason: format!(
                    "all the input arrays must have same number of dimensions, but the array at index 0 has {} dimension(s) and the array at index {i} has {} dimension(s)",
                    first.ndim(),
                    a.ndim()
                ),
            });
        }
        for d in 0..first.ndim() {
            if d != ax && a.shape()[d] != first.shape()[d] {
                return Err(LinalgError::Shape {
                    op: "concatenate",
                    shapes: arrays.iter().map(|a| a.shape().to_vec()).collect(),
                    reason: format!(
                        "all the input array dimensions except for the concatenation axis must match exactly, but along dimension {d}, the array at index 0 has size {} and the array at index {i} has size {}",
                        first.shape()[d],
                        a.shape()[d]
                    ),
                });
            }
        }
        shape[ax] += a.shape()[ax];
    }
    let mut out = Array::zeros(&shape);
    let mut start = 0usize;
    for a in arrays {
        let len = a.shape()[ax];
        let mut args = vec![SliceArg::from(..); ax];
        args.push(SliceArg::from(start..start + len));
        out.slice_mut(SliceInfo::new(args)).assign(a)?;
        start += len;
    }
    Ok(out)
}

/// Joins arrays of one shape along a new axis (numpy's `np.stack(arrays, axis)`).
///
/// ```
/// use lapis::{array, stack};
/// // numpy: np.stack([a, b], axis=1)
/// let (a, b) = (array![1., 2.], array![3., 4.]);
/// assert_eq!(stack(&[a.view(), b.view()], 1).unwrap(), array![[1., 3.], [2., 4.]]);
/// ```
pub fn stack<T: Element>(
    arrays: &[ArrayView<'_, T>],
    axis: isize,
) -> Result<Array<T>, LinalgError> {
    let first = arrays
        .first()
        .ok_or_else(|| LinalgError::invalid("stack", "need at least one array to stack"))?;
    if arrays.iter().any(|a| a.shape() != first.shape()) {
        return Err(LinalgError::Shape {
            op: "stack",
            shapes: arrays.iter().map(|a| a.shape().to_vec()).collect(),
            reason: "all input arrays must have the same shape".into(),
        });
    }
    let ax = normalize_axis(axis, first.ndim() + 1)? as isize;
    let expanded: Vec<ArrayView<'_, T>> = arrays
        .iter()
        .map(|a| a.expand_dims(ax))
        .collect::<Result<_, _>>()?;
    concatenate(&expanded, ax)
}

/// Stacks horizontally: along axis 1, or axis 0 for 1-D inputs (numpy's `np.hstack`).
///
/// ```
/// use lapis::{array, hstack};
/// // numpy: np.hstack([[1., 2.], [3.]])
/// assert_eq!(hstack(&[array![1., 2.].view(), array![3.].view()]).unwrap(), array![1., 2., 3.]);
/// ```
pub fn hstack<T: Element>(arrays: &[ArrayView<'_, T>]) -> Result<Array<T>, LinalgError> {
    let one_d = arrays.first().is_some_and(|a| a.ndim() == 1);
    let views: Vec<ArrayView<'_, T>> = arrays
        .iter()
        .map(|a| {
            if a.ndim() == 0 {
                a.expand_dims(0).expect("0-d")
            } else {
                a.view()
            }
        })
        .collect();
    concatenate(&views, if one_d { 0 } else { 1 })
}

/// Stacks vertically: 1-D inputs become rows (numpy's `np.vstack`).
///
/// ```
/// use lapis::{array, vstack};
/// // numpy: np.vstack([[1., 2.], [3., 4.]])
/// assert_eq!(vstack(&[array![1., 2.].view(), array![3., 4.].view()]).unwrap(), array![[1., 2.], [3., 4.]]);
/// ```
pub fn vstack<T: Element>(arrays: &[ArrayView<'_, T>]) -> Result<Array<T>, LinalgError> {
    let views: Vec<ArrayView<'_, T>> = arrays.iter().map(atleast_2d).collect();
    concatenate(&views, 0)
}

/// numpy's `np.atleast_2d` on a view: `()` → `(1, 1)`, `(n,)` → `(1, n)`.
fn atleast_2d<'a, T: Element>(a: &ArrayView<'a, T>) -> ArrayView<'a, T> {
    let (shape, strides) = match a.ndim() {
        0 => (vec![1, 1], vec![0, 0]),
        1 => (vec![1, a.shape[0]], vec![0, a.strides[0]]),
        _ => (a.shape.clone(), a.strides.clone()),
    };
    ArrayBase::from_parts(a.data, shape, strides, a.offset)
}

/// Splits into `sections` equal parts along `axis` (numpy's `np.split(a, sections, axis)`);
/// fails when the axis length is not divisible ("array split does not result in an equal
/// division"). The parts are views.
///
/// ```
/// use lapis::{array, split};
/// // numpy: np.split(np.arange(6.), 3)
/// let a = lapis::Array::arange(0., 6., 1.);
/// let parts = split(&a, 3, 0).unwrap();
/// assert_eq!(parts[1], array![2., 3.]);
/// assert!(split(&a, 4, 0).is_err());
/// ```
pub fn split<T: Element, S: Data<Elem = T>>(
    a: &ArrayBase<S>,
    sections: usize,
    axis: isize,
) -> Result<Vec<ArrayView<'_, T>>, LinalgError> {
    let ax = normalize_axis(axis, a.ndim())?;
    let n = a.shape()[ax];
    if sections == 0 || !n.is_multiple_of(sections) {
        return Err(LinalgError::invalid(
            "split",
            "array split does not result in an equal division",
        ));
    }
    let step = n / sections;
    let cuts: Vec<usize> = (1..sections).map(|i| i * step).collect();
    split_indices(a, &cuts, axis)
}

/// Splits before each index in `indices` along `axis` (numpy's `np.split(a, [i, j], axis)`);
/// indices past the end give empty parts, as in numpy.
///
/// ```
/// use lapis::{array, split_indices};
/// // numpy: np.split(np.arange(5.), [2, 3])
/// let a = lapis::Array::arange(0., 5., 1.);
/// let p = split_indices(&a, &[2, 3], 0).unwrap();
/// assert_eq!(p.len(), 3);
/// assert_eq!(p[2], array![3., 4.]);
/// ```
pub fn split_indices<'a, T: Element, S: Data<Elem = T>>(
    a: &'a ArrayBase<S>,
    indices: &[usize],
    axis: isize,
) -> Result<Vec<ArrayView<'a, T>>, LinalgError> {
    let ax = normalize_axis(axis, a.ndim())?;
    let n = a.shape()[ax];
    let mut bounds = vec![0usize];
    bounds.extend(indices.iter().map(|&i| i.min(n)));
    bounds.push(n);
    Ok(bounds
        .windows(2)
        .map(|w| {
            let mut args = vec![SliceArg::from(..); ax];
            args.push(SliceArg::from(w[0]..w[1].max(w[0])));
            a.slice(SliceInfo::new(args))
        })
        .collect())
}
