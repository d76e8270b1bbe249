//! Boolean-mask indexing: numpy's `a[mask]` ([`masked`](ArrayBase::masked)), masked
//! assignment `a[mask] = v` ([`fill_masked`](ArrayBase::fill_masked),
//! [`assign_masked`](ArrayBase::assign_masked)), `np.putmask`, `np.compress`,
//! `np.where(cond, x, y)` ([`where_`]), `np.nonzero` and `np.argwhere`.
//!
//! A mask indexes the leading axes of an array and must match their lengths exactly, as in
//! numpy (masks do not broadcast); the selected elements come out in C order.

use super::shape::{broadcast_shapes, broadcast_strides, c_strides, walk};
use super::{Array, ArrayBase, Data, DataMut};
use crate::{Element, LinalgError};

/// Checks that `mask` fits the leading axes of `shape` (numpy's boolean index rule).
fn check_mask(op: &'static str, shape: &[usize], mask: &[usize]) -> Result<(), LinalgError> {
    if mask.len() > shape.len() {
        return Err(LinalgError::shape(
            op,
            &[shape, mask],
            format!(
                "too many indices for array: array is {}-dimensional, but {} were indexed",
                shape.len(),
                mask.len()
            ),
        ));
    }
    if let Some(ax) = (0..mask.len()).find(|&k| mask[k] != shape[k]) {
        return Err(LinalgError::shape(
            op,
            &[shape, mask],
            format!(
                "boolean index did not match indexed array along axis {ax}; size of axis is {} \
                 but size of corresponding boolean axis is {}",
                shape[ax], mask[ax]
            ),
        ));
    }
    Ok(())
}

impl<T: Element, S: Data<Elem = T>> ArrayBase<S> {
    /// The sub-arrays where `mask` is true (numpy's `a[mask]`): `mask` covers the leading
    /// `mask.ndim()` axes exactly, and the result has shape
    /// `(count,) + a.shape[mask.ndim:]`, in C order. A full-shape mask gives a 1-D array.
    ///
    /// ```
    /// use lapis::array;
    /// let a = array![[1., -2.], [-3., 4.]];
    /// // numpy: a[a > 0]
    /// assert_eq!(a.masked(&a.gt(0.)).unwrap(), array![1., 4.]);
    /// // numpy: a[[False, True]]  (rows)
    /// assert_eq!(a.masked(&array![false, true]).unwrap(), array![[-3., 4.]]);
    /// // numpy: a[[True, False, True]]  -> IndexError
    /// assert!(a.masked(&array![true, false, true]).is_err());
    /// ```
    pub fn masked<S2: Data<Elem = bool>>(
        &self,
        mask: &ArrayBase<S2>,
    ) -> Result<Array<T>, LinalgError> {
        check_mask("masked", &self.shape, mask.shape())?;
        let k = mask.ndim();
        let (inner, si) = (&self.shape[k..], &self.strides[k..]);
        let mdata = mask.data.storage();
        let data = self.data.storage();
        let mut out = Vec::new();
        let mut count = 0usize;
        walk(
            mask.shape(),
            [mask.strides(), &self.strides[..k]],
            [mask.offset, self.offset],
            |[m, o]| {
                if mdata[m] {
                    count += 1;
                    walk(inner, [si], [o], |[e]| out.push(data[e]));
                }
            },
        );
        let mut shape = vec![count];
        shape.extend_from_slice(inner);
        let strides = c_strides(&shape);
        Ok(Array::from_parts(out, shape, strides, 0))
    }

    /// The sub-arrays along `axis` where `condition` is true (numpy's
    /// `np.compress(condition, a, axis)`; `axis = None` reads `a` flattened). As in numpy,
    /// `condition` may be shorter than the axis (the rest counts as false); a true entry
    /// past the end is an index error.
    ///
    /// ```
    /// use lapis::array;
    /// let a = array![[1., 2.], [3., 4.], [5., 6.]];
    /// // numpy: np.compress([False, True], a, axis=0)
    /// assert_eq!(a.compress(&[false, true], Some(0)).unwrap(), array![[3., 4.]]);
    /// // numpy: np.compress([False, True], a, axis=1)
    /// assert_eq!(a.compress(&[false, true], Some(1)).unwrap(), array![[2.], [4.], [6.]]);
    /// // numpy: np.compress([False, True, True], a)
    /// assert_eq!(a.compress(&[false, true, true], None).unwrap(), array![2., 3.]);
    /// ```
    pub fn compress(
        &self,
        condition: &[bool],
        axis: Option<isize>,
    ) -> Result<Array<T>, LinalgError> {
        let idx: Vec<i64> = (0..condition.len())
            .filter(|&i| condition[i])
            .map(|i| i as i64)
            .collect();
        self.take(&Array::from_vec(idx), axis)
    }

    /// The indices of the non-zero (for `bool`, true) elements, one index array per axis
    /// (numpy's `np.nonzero(a)`), in C order. Fails for a 0-d array, as numpy 2 does.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.nonzero([[3, 0], [0, 4]])
    /// let nz = array![[3i64, 0], [0, 4]].nonzero().unwrap();
    /// assert_eq!(nz, vec![array![0usize, 1], array![0usize, 1]]);
    /// ```
    pub fn nonzero(&self) -> Result<Vec<Array<usize>>, LinalgError> {
        if self.ndim() == 0 {
            return Err(LinalgError::invalid(
                "nonzero",
                "Calling nonzero on 0d arrays is not allowed. Use np.atleast_1d(scalar).nonzero() instead.",
            ));
        }
        let w = self.argwhere();
        let nd = self.ndim();
        Ok((0..nd)
            .map(|d| Array::from_vec(w.data.iter().skip(d).step_by(nd).copied().collect()))
            .collect())
    }

    /// The indices of the non-zero (for `bool`, true) elements as rows of an `(N, ndim)`
    /// array (numpy's `np.argwhere(a)`), in C order.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.argwhere(np.array([[1., 0.], [0., 2.]]) > 0.5)
    /// let a = array![[1., 0.], [0., 2.]];
    /// assert_eq!(a.gt(0.5).argwhere(), array![[0usize, 0], [1, 1]]);
    /// ```
    pub fn argwhere(&self) -> Array<usize> {
        let nd = self.ndim();
        let zero = T::default();
        let mut out = Vec::new();
        let mut index = vec![0usize; nd];
        let mut rows = 0usize;
        for &x in self.iter() {
            if x != zero {
                out.extend_from_slice(&index);
                rows += 1;
            }
            // Advance the C-order counter.
            for d in (0..nd).rev() {
                index[d] += 1;
                if index[d] < self.shape[d] {
                    break;
                }
                index[d] = 0;
            }
        }
        Array::from_parts(out, vec![rows, nd], c_strides(&[rows, nd]), 0)
    }
}

impl<T: Element, S: DataMut<Elem = T>> ArrayBase<S> {
    /// Sets the elements (or sub-arrays) where `mask` is true to `value`, in place (numpy's
    /// `a[mask] = value`); `mask` covers the leading axes as in [`masked`](ArrayBase::masked).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a[np.isnan(a)] = 0.
    /// let mut a = array![1., f64::NAN, 3.];
    /// let nan = a.isnan();
    /// a.fill_masked(&nan, 0.0).unwrap();
    /// assert_eq!(a, array![1., 0., 3.]);
    /// ```
    pub fn fill_masked<S2: Data<Elem = bool>>(
        &mut self,
        mask: &ArrayBase<S2>,
        value: T,
    ) -> Result<(), LinalgError> {
        self.assign_masked(mask, &Array::from_elem_0d(value))
    }

    /// Writes `values` into the sub-arrays where `mask` is true, in place (numpy's
    /// `a[mask] = values`): `values` broadcasts to `(count,) + a.shape[mask.ndim:]`, the
    /// shape [`masked`](ArrayBase::masked) would return.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a[[True, False, True]] = [[7., 8.], [9., 10.]]
    /// let mut a = array![[1., 2.], [3., 4.], [5., 6.]];
    /// a.assign_masked(&array![true, false, true], &array![[7., 8.], [9., 10.]]).unwrap();
    /// assert_eq!(a, array![[7., 8.], [3., 4.], [9., 10.]]);
    /// // numpy: a[a > 8] = [0., 1.]  -> ValueError (3 elements selected)
    /// let big = a.gt(3.);
    /// assert!(a.assign_masked(&big, &array![0., 1.]).is_err());
    /// ```
    pub fn assign_masked<S2: Data<Elem = bool>, S3: Data<Elem = T>>(
        &mut self,
        mask: &ArrayBase<S2>,
        values: &ArrayBase<S3>,
    ) -> Result<(), LinalgError> {
        check_mask("assign_masked", &self.shape, mask.shape())?;
        let k = mask.ndim();
        let count = mask.iter().filter(|&&m| m).count();
        let mut target = vec![count];
        target.extend_from_slice(&self.shape[k..]);
        let vs = broadcast_strides(values.shape(), values.strides(), &target).ok_or_else(|| {
            LinalgError::Broadcast {
                shapes: vec![values.shape().to_vec(), target.clone()],
            }
        })?;
        let (inner, si) = (self.shape[k..].to_vec(), self.strides[k..].to_vec());
        let (vdata, vinner, vrow) = (values.data.storage(), &vs[1..], vs[0]);
        let mdata = mask.data.storage();
        let (mshape, mstrides, moff) =
            (mask.shape().to_vec(), mask.strides().to_vec(), mask.offset);
        let outer_strides = self.strides[..k].to_vec();
        let offset = self.offset;
        let data = self.data.storage_mut();
        let mut row = values.offset as isize;
        walk(
            &mshape,
            [&mstrides, &outer_strides],
            [moff, offset],
            |[m, o]| {
                if mdata[m] {
                    walk(&inner, [&si, vinner], [o, row as usize], |[e, v]| {
                        data[e] = vdata[v]
                    });
                    row += vrow;
                }
            },
        );
        Ok(())
    }

    /// numpy's `np.putmask(a, mask, values)`: where `mask` (same shape as `a`) is true,
    /// sets `a.flat[i] = values[i % len(values)]` — the position in `a`, not the count of
    /// true entries, picks the value, which repeats. Empty `values` change nothing.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a = np.arange(5.); np.putmask(a, a > 1, [10., 20.])
    /// let mut a = array![0., 1., 2., 3., 4.];
    /// let m = a.gt(1.);
    /// a.putmask(&m, &[10., 20.]).unwrap();
    /// assert_eq!(a, array![0., 1., 10., 20., 10.]);
    /// ```
    pub fn putmask<S2: Data<Elem = bool>>(
        &mut self,
        mask: &ArrayBase<S2>,
        values: &[T],
    ) -> Result<(), LinalgError> {
        if mask.shape() != self.shape.as_slice() {
            return Err(LinalgError::shape(
                "putmask",
                &[&self.shape, mask.shape()],
                "mask and data must be the same size",
            ));
        }
        if values.is_empty() {
            return Ok(());
        }
        let mdata = mask.data.storage();
        let (shape, strides, offset) = (self.shape.clone(), self.strides.clone(), self.offset);
        let data = self.data.storage_mut();
        let mut i = 0usize;
        walk(
            &shape,
            [&strides, mask.strides()],
            [offset, mask.offset],
            |[o, m]| {
                if mdata[m] {
                    data[o] = values[i % values.len()];
                }
                i += 1;
            },
        );
        Ok(())
    }
}

/// `x` where `cond` is true and `y` elsewhere, all three broadcast together (numpy's
/// `np.where(cond, x, y)`; use [`Array::from_elem_0d`] for a scalar). The one-argument
/// `np.where(cond)` is [`nonzero`](ArrayBase::nonzero).
///
/// ```
/// use lapis::{array, Array};
/// // numpy: a = np.array([[1., -2.], [-3., 4.]]); np.where(a > 0, a, 0.)
/// let a = array![[1., -2.], [-3., 4.]];
/// let r = lapis::where_(&a.gt(0.), &a, &Array::from_elem_0d(0.)).unwrap();
/// assert_eq!(r, array![[1., 0.], [0., 4.]]);
/// // numpy: np.where([True, False], [[1.], [2.]], [5., 6.])  (shapes broadcast to (2, 2))
/// let r = lapis::where_(&array![true, false], &array![[1.], [2.]], &array![5., 6.]).unwrap();
/// assert_eq!(r, array![[1., 6.], [2., 6.]]);
/// ```
pub fn where_<T, S1, S2, S3>(
    cond: &ArrayBase<S1>,
    x: &ArrayBase<S2>,
    y: &ArrayBase<S3>,
) -> Result<Array<T>, LinalgError>
where
    T: Element,
    S1: Data<Elem = bool>,
    S2: Data<Elem = T>,
    S3: Data<Elem = T>,
{
    let err = || LinalgError::Broadcast {
        shapes: vec![
            cond.shape().to_vec(),
            x.shape().to_vec(),
            y.shape().to_vec(),
        ],
    };
    let shape = broadcast_shapes(cond.shape(), x.shape())
        .and_then(|s| broadcast_shapes(&s, y.shape()))
        .map_err(|_| err())?;
    let sc = broadcast_strides(cond.shape(), cond.strides(), &shape).ok_or_else(err)?;
    let sx = broadcast_strides(x.shape(), x.strides(), &shape).ok_or_else(err)?;
    let sy = broadcast_strides(y.shape(), y.strides(), &shape).ok_or_else(err)?;
    let (dc, dx, dy) = (cond.data.storage(), x.data.storage(), y.data.storage());
    let mut out = Vec::with_capacity(super::shape::size(&shape));
    walk(
        &shape,
        [&sc, &sx, &sy],
        [cond.offset, x.offset, y.offset],
        |[c, i, j]| out.push(if dc[c] { dx[i] } else { dy[j] }),
    );
    let strides = c_strides(&shape);
    Ok(Array::from_parts(out, shape, strides, 0))
}
