//! Integer-array ("fancy") indexing: numpy's `np.take`, `a[[0, 2, 1]]` along an axis
//! ([`select`](ArrayBase::select)) and `np.take_along_axis`. Results are new arrays in C
//! order, as numpy's advanced indexing always copies.
//!
//! Indices may be negative (counted from the end, as in Python); one outside
//! `-n..n` is [`LinalgError::IndexOutOfBounds`] naming the index, the axis and its length.

use super::shape::{broadcast_strides, c_strides, normalize_axis, walk};
use super::{Array, ArrayBase, Data};
use crate::{Element, LinalgError};

mod sealed {
    pub trait Sealed {}
    impl Sealed for i32 {}
    impl Sealed for i64 {}
    impl Sealed for usize {}
}

/// An element type that can index (numpy's integer dtypes): `i32`, `i64`, `usize`.
///
/// ```
/// use lapis::IndexElement;
/// assert_eq!(IndexElement::to_index(-1i64), -1isize);
/// ```
pub trait IndexElement: Element + sealed::Sealed {
    /// The value as a signed index.
    fn to_index(self) -> isize;
}
impl IndexElement for i32 {
    #[inline]
    fn to_index(self) -> isize {
        self as isize
    }
}
impl IndexElement for i64 {
    #[inline]
    fn to_index(self) -> isize {
        self as isize
    }
}
impl IndexElement for usize {
    #[inline]
    fn to_index(self) -> isize {
        // Lengths never exceed isize::MAX; a larger value is out of range whatever it wraps to.
        isize::try_from(self).unwrap_or(isize::MAX)
    }
}

/// `i` wrapped into `0..n` (Python's negative indices), or the error naming it.
#[inline]
pub(crate) fn wrap_index(i: isize, axis: usize, n: usize) -> Result<usize, LinalgError> {
    let j = if i < 0 { i + n as isize } else { i };
    if j < 0 || j >= n as isize {
        return Err(LinalgError::IndexOutOfBounds {
            index: i,
            axis,
            size: n,
        });
    }
    Ok(j as usize)
}

impl<T: Element, S: Data<Elem = T>> ArrayBase<S> {
    /// The elements at `indices` along `axis` (numpy's `np.take(a, indices, axis)`); with
    /// `axis = None` the array is read flattened in C order. The result's shape is
    /// `a.shape[:axis] + indices.shape + a.shape[axis+1:]`.
    ///
    /// ```
    /// use lapis::{array, Array};
    /// // numpy: a = np.arange(6.).reshape(2, 3); np.take(a, [2, -3], axis=1)
    /// let a = Array::arange(0., 6., 1.).into_shape(&[2, 3]).unwrap();
    /// assert_eq!(a.take(&array![2i64, -3], Some(1)).unwrap(), array![[2., 0.], [5., 3.]]);
    /// // numpy: np.take(a, [[0, 5]])  (flattened, indices of shape (1, 2))
    /// assert_eq!(a.take(&array![[0i64, 5]], None).unwrap(), array![[0., 5.]]);
    /// // numpy: np.take(a, [3], axis=1)  -> IndexError
    /// assert!(a.take(&array![3i64], Some(1)).is_err());
    /// ```
    pub fn take<I: IndexElement, S2: Data<Elem = I>>(
        &self,
        indices: &ArrayBase<S2>,
        axis: Option<isize>,
    ) -> Result<Array<T>, LinalgError> {
        let idx: Vec<isize> = indices.iter().map(|&i| i.to_index()).collect();
        match axis {
            None => {
                let flat = self.ravel();
                let out = flat.take_flat(&idx, 0)?;
                Array::from_shape_vec(indices.shape(), out)
            }
            Some(axis) => {
                let ax = normalize_axis(axis, self.ndim())?;
                let out = self.take_axis(&idx, ax)?;
                let mut shape = self.shape[..ax].to_vec();
                shape.extend_from_slice(indices.shape());
                shape.extend_from_slice(&self.shape[ax + 1..]);
                Array::from_shape_vec(&shape, out)
            }
        }
    }

    /// The sub-arrays at `indices` along `axis`, in that order, repeats allowed (numpy's
    /// `a[[0, 2, 1]]` for `axis = 0`, `a[:, [0, 2, 1]]` for `axis = 1`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a[[2, 0, 0]], a[:, [-1]]
    /// let a = array![[1., 2.], [3., 4.], [5., 6.]];
    /// assert_eq!(a.select(0, &[2, 0, 0]).unwrap(), array![[5., 6.], [1., 2.], [1., 2.]]);
    /// assert_eq!(a.select(1, &[-1]).unwrap(), array![[2.], [4.], [6.]]);
    /// assert!(a.select(0, &[3]).is_err());
    /// ```
    pub fn select(&self, axis: isize, indices: &[isize]) -> Result<Array<T>, LinalgError> {
        let ax = normalize_axis(axis, self.ndim())?;
        let out = self.take_axis(indices, ax)?;
        let mut shape = self.shape.clone();
        shape[ax] = indices.len();
        Array::from_shape_vec(&shape, out)
    }

    /// `indices` gathered along `axis` (numpy's `np.take_along_axis(a, indices, axis)`):
    /// `indices` has as many axes as `a`; along `axis` it says which element to take, and
    /// the other axes broadcast against `a`'s. The usual partner of `argmax_axis` and
    /// sorting indices.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a = np.array([[10., 30., 20.], [60., 40., 50.]])
    /// //        np.take_along_axis(a, np.array([[1], [0]]), axis=1)
    /// let a = array![[10., 30., 20.], [60., 40., 50.]];
    /// let m = a.take_along_axis(&array![[1i64], [0]], 1).unwrap();
    /// assert_eq!(m, array![[30.], [60.]]);
    /// // numpy: np.take_along_axis(a, np.array([[2, 0, 1]]), axis=1) (broadcast rows)
    /// let p = a.take_along_axis(&array![[2i64, 0, 1]], 1).unwrap();
    /// assert_eq!(p, array![[20., 10., 30.], [50., 60., 40.]]);
    /// ```
    pub fn take_along_axis<I: IndexElement, S2: Data<Elem = I>>(
        &self,
        indices: &ArrayBase<S2>,
        axis: isize,
    ) -> Result<Array<T>, LinalgError> {
        let nd = self.ndim();
        if indices.ndim() != nd {
            return Err(LinalgError::shape(
                "take_along_axis",
                &[&self.shape, indices.shape()],
                "`indices` and `arr` must have the same number of dimensions",
            ));
        }
        let ax = normalize_axis(axis, nd)?;
        // The result's shape: the indices' length along `axis`, the broadcast elsewhere.
        let mut a_other = self.shape.clone();
        a_other[ax] = 1;
        let mut i_other = indices.shape().to_vec();
        let along = i_other[ax];
        i_other[ax] = 1;
        let mut shape = super::shape::broadcast_shapes(&a_other, &i_other).map_err(|_| {
            LinalgError::Broadcast {
                shapes: vec![self.shape.clone(), indices.shape().to_vec()],
            }
        })?;
        shape[ax] = along;
        // `a` is walked with stride 0 along `axis` (the index supplies the position there).
        let mut a_strides = broadcast_strides(&a_other, &self.strides, &{
            let mut s = shape.clone();
            s[ax] = 1;
            s
        })
        .expect("broadcast shape");
        a_strides[ax] = 0;
        let i_strides =
            broadcast_strides(indices.shape(), indices.strides(), &shape).ok_or_else(|| {
                LinalgError::Broadcast {
                    shapes: vec![self.shape.clone(), indices.shape().to_vec()],
                }
            })?;
        let (n, sa) = (self.shape[ax], self.strides[ax]);
        let (data, idata) = (self.data.storage(), indices.data.storage());
        let mut out = Vec::with_capacity(super::shape::size(&shape));
        let mut err = None;
        walk(
            &shape,
            [&a_strides, &i_strides],
            [self.offset, indices.offset],
            |[o, i]| {
                if err.is_some() {
                    return;
                }
                match wrap_index(idata[i].to_index(), ax, n) {
                    Ok(k) => out.push(data[(o as isize + k as isize * sa) as usize]),
                    Err(e) => err = Some(e),
                }
            },
        );
        if let Some(e) = err {
            return Err(e);
        }
        let strides = c_strides(&shape);
        Ok(Array::from_parts(out, shape, strides, 0))
    }

    /// The elements of a 1-D array at `idx` (errors name `axis`).
    fn take_flat(&self, idx: &[isize], axis: usize) -> Result<Vec<T>, LinalgError> {
        let (n, s) = (self.shape[0], self.strides[0]);
        let data = self.data.storage();
        idx.iter()
            .map(|&i| {
                let k = wrap_index(i, axis, n)?;
                Ok(data[(self.offset as isize + k as isize * s) as usize])
            })
            .collect()
    }

    /// The elements, in C order of `shape[:ax] + (len(idx),) + shape[ax+1:]`, of the
    /// sub-arrays at `idx` along axis `ax`.
    fn take_axis(&self, idx: &[isize], ax: usize) -> Result<Vec<T>, LinalgError> {
        let (n, sa) = (self.shape[ax], self.strides[ax]);
        let pos: Vec<isize> = idx
            .iter()
            .map(|&i| wrap_index(i, ax, n).map(|k| k as isize * sa))
            .collect::<Result<_, _>>()?;
        let (outer, inner) = (&self.shape[..ax], &self.shape[ax + 1..]);
        let (so, si) = (&self.strides[..ax], &self.strides[ax + 1..]);
        let data = self.data.storage();
        let mut out = Vec::new();
        walk(outer, [so], [self.offset], |[o]| {
            for &p in &pos {
                walk(inner, [si], [(o as isize + p) as usize], |[e]| {
                    out.push(data[e])
                });
            }
        });
        Ok(out)
    }
}
