//! Views with a new shape or axis order: `reshape`, `into_shape`, `t`, `permute_axes`,
//! `swap_axes`, `squeeze`, `expand_dims`, `ravel`, `flatten`, `diagonal`.
//!
//! `reshape` follows numpy: the result is a view whenever the requested C-order shape can
//! be expressed with strides over the same elements (always for C-contiguous inputs,
//! sometimes for strided ones), and a copy otherwise. [`CowArray::is_view`](super::ArrayBase::is_view)
//! tells which happened.

use super::shape::{c_strides, is_c_contiguous, normalize_axis, size};
use super::{Array, ArrayBase, ArrayView, CowArray, CowRepr, Data};
use crate::{Element, LinalgError};

/// Resolves a requested shape with at most one `-1` against `size` elements.
pub(crate) fn resolve_shape(size: usize, shape: &[isize]) -> Result<Vec<usize>, LinalgError> {
    let err = || LinalgError::Reshape {
        size,
        shape: shape.to_vec(),
    };
    let mut unknown = None;
    let mut known = 1usize;
    for (i, &d) in shape.iter().enumerate() {
        if d == -1 {
            if unknown.replace(i).is_some() {
                return Err(LinalgError::invalid(
                    "reshape",
                    "can only specify one unknown dimension",
                ));
            }
        } else if d < 0 {
            return Err(err());
        } else {
            known = known
                .checked_mul(d as usize)
                .ok_or(LinalgError::SizeOverflow)?;
        }
    }
    let mut out: Vec<usize> = shape.iter().map(|&d| d.max(0) as usize).collect();
    match unknown {
        Some(i) => {
            if known == 0 || !size.is_multiple_of(known) {
                return Err(err());
            }
            out[i] = size / known;
        }
        None if known != size => return Err(err()),
        None => {}
    }
    Ok(out)
}

/// Strides that present (`old_shape`, `old_strides`) in `new_shape` (C order) without a
/// copy, when they exist (numpy's "no-copy reshape" test).
pub(crate) fn reshape_strides(
    old_shape: &[usize],
    old_strides: &[isize],
    new_shape: &[usize],
) -> Option<Vec<isize>> {
    if size(old_shape) == 0 {
        return Some(c_strides(new_shape));
    }
    let (os, ost): (Vec<usize>, Vec<isize>) = old_shape
        .iter()
        .zip(old_strides)
        .filter(|(d, _)| **d != 1)
        .map(|(&d, &s)| (d, s))
        .unzip();
    let mut ns = vec![0isize; new_shape.len()];
    let (mut oi, mut ni) = (0usize, 0usize);
    while oi < os.len() && ni < new_shape.len() {
        let (mut op, mut np) = (os[oi], new_shape[ni]);
        let (mut oj, mut nj) = (oi + 1, ni + 1);
        while op != np {
            if np < op {
                np *= new_shape[nj];
                nj += 1;
            } else {
                op *= os[oj];
                oj += 1;
            }
        }
        for k in oi..oj - 1 {
            if ost[k] != ost[k + 1] * os[k + 1] as isize {
                return None;
            }
        }
        ns[nj - 1] = ost[oj - 1];
        for k in (ni + 1..nj).rev() {
            ns[k - 1] = ns[k] * new_shape[k] as isize;
        }
        oi = oj;
        ni = nj;
    }
    // Whatever is left of the new shape are axes of length 1; any stride works.
    Some(ns)
}

impl<T: Element, S: Data<Elem = T>> ArrayBase<S> {
    /// The same elements in a new shape, read in C order (numpy's `a.reshape(shape)`); one
    /// entry may be `-1` (inferred). A view when the layout allows it, a copy otherwise.
    ///
    /// ```
    /// use lapis::{array, Array};
    /// // numpy: np.arange(6.).reshape(3, -1)
    /// let a = Array::arange(0., 6., 1.);
    /// let b = a.reshape(&[3, -1]).unwrap();
    /// assert_eq!(b.shape(), &[3, 2]);
    /// assert!(b.is_view());
    /// // numpy: a.reshape(2, 3).T.reshape(6) is a copy
    /// let bt = b.t();
    /// let c = bt.reshape(&[6]).unwrap();
    /// assert!(!c.is_view());
    /// assert_eq!(c, array![0., 2., 4., 1., 3., 5.]);
    /// assert!(a.reshape(&[4, 2]).is_err());
    /// ```
    pub fn reshape(&self, shape: &[isize]) -> Result<CowArray<'_, T>, LinalgError> {
        let new_shape = resolve_shape(self.len(), shape)?;
        match reshape_strides(&self.shape, &self.strides, &new_shape) {
            Some(strides) => Ok(ArrayBase::from_parts(
                CowRepr::View(self.data.storage()),
                new_shape,
                strides,
                self.offset,
            )),
            None => {
                let strides = c_strides(&new_shape);
                Ok(ArrayBase::from_parts(
                    CowRepr::Owned(self.to_vec()),
                    new_shape,
                    strides,
                    0,
                ))
            }
        }
    }

    /// The transpose: axes in reverse order (numpy's `a.T`), a view.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a.T
    /// let a = array![[1., 2., 3.], [4., 5., 6.]];
    /// assert_eq!(a.t(), array![[1., 4.], [2., 5.], [3., 6.]]);
    /// ```
    pub fn t(&self) -> ArrayView<'_, T> {
        self.view().reversed_axes()
    }

    /// The axes reordered: axis `i` of the result is axis `axes[i]` of this array (numpy's
    /// `np.transpose(a, axes)`), a view. Fails when `axes` is not a permutation.
    ///
    /// ```
    /// use lapis::Array;
    /// // numpy: np.transpose(np.zeros((2, 3, 4)), (1, 2, 0)).shape
    /// let a = Array::<f64>::zeros(&[2, 3, 4]);
    /// assert_eq!(a.permute_axes(&[1, 2, 0]).unwrap().shape(), &[3, 4, 2]);
    /// assert!(a.permute_axes(&[0, 0, 1]).is_err());
    /// ```
    pub fn permute_axes(&self, axes: &[usize]) -> Result<ArrayView<'_, T>, LinalgError> {
        let n = self.ndim();
        let mut seen = vec![false; n];
        if axes.len() != n
            || axes
                .iter()
                .any(|&a| a >= n || std::mem::replace(&mut seen[a], true))
        {
            return Err(LinalgError::invalid("transpose", "axes don't match array"));
        }
        let shape = axes.iter().map(|&a| self.shape[a]).collect();
        let strides = axes.iter().map(|&a| self.strides[a]).collect();
        Ok(ArrayBase::from_parts(
            self.data.storage(),
            shape,
            strides,
            self.offset,
        ))
    }

    /// The view with axes `a1` and `a2` exchanged (numpy's `np.swapaxes(a, a1, a2)`);
    /// negative axes count from the end.
    ///
    /// ```
    /// use lapis::Array;
    /// // numpy: np.swapaxes(np.zeros((2, 3, 4)), 0, -1).shape
    /// let a = Array::<f64>::zeros(&[2, 3, 4]);
    /// assert_eq!(a.swap_axes(0, -1).unwrap().shape(), &[4, 3, 2]);
    /// ```
    pub fn swap_axes(&self, a1: isize, a2: isize) -> Result<ArrayView<'_, T>, LinalgError> {
        let (i, j) = (
            normalize_axis(a1, self.ndim())?,
            normalize_axis(a2, self.ndim())?,
        );
        let mut v = self.view();
        v.shape.swap(i, j);
        v.strides.swap(i, j);
        Ok(v)
    }

    /// The view without its axes of length 1 (numpy's `np.squeeze(a)`).
    ///
    /// ```
    /// use lapis::Array;
    /// // numpy: np.squeeze(np.zeros((1, 3, 1))).shape
    /// assert_eq!(Array::<f64>::zeros(&[1, 3, 1]).squeeze().shape(), &[3]);
    /// ```
    pub fn squeeze(&self) -> ArrayView<'_, T> {
        let (shape, strides) = self
            .shape
            .iter()
            .zip(&self.strides)
            .filter(|(d, _)| **d != 1)
            .map(|(&d, &s)| (d, s))
            .unzip();
        ArrayBase::from_parts(self.data.storage(), shape, strides, self.offset)
    }

    /// The view without axis `axis`, which must have length 1 (numpy's
    /// `np.squeeze(a, axis)`).
    ///
    /// ```
    /// use lapis::Array;
    /// // numpy: np.squeeze(np.zeros((1, 3, 1)), axis=-1).shape
    /// let a = Array::<f64>::zeros(&[1, 3, 1]);
    /// assert_eq!(a.squeeze_axis(-1).unwrap().shape(), &[1, 3]);
    /// assert!(a.squeeze_axis(1).is_err());
    /// ```
    pub fn squeeze_axis(&self, axis: isize) -> Result<ArrayView<'_, T>, LinalgError> {
        let ax = normalize_axis(axis, self.ndim())?;
        if self.shape[ax] != 1 {
            return Err(LinalgError::invalid(
                "squeeze",
                "cannot select an axis to squeeze out which has size not equal to one",
            ));
        }
        let mut v = self.view();
        v.shape.remove(ax);
        v.strides.remove(ax);
        Ok(v)
    }

    /// The view with a new axis of length 1 at position `axis` of the result (numpy's
    /// `np.expand_dims(a, axis)`); `axis` may be negative, counted in the result's axes.
    ///
    /// ```
    /// use lapis::Array;
    /// // numpy: np.expand_dims(np.zeros((2, 3)), -1).shape
    /// let a = Array::<f64>::zeros(&[2, 3]);
    /// assert_eq!(a.expand_dims(-1).unwrap().shape(), &[2, 3, 1]);
    /// assert_eq!(a.expand_dims(0).unwrap().shape(), &[1, 2, 3]);
    /// ```
    pub fn expand_dims(&self, axis: isize) -> Result<ArrayView<'_, T>, LinalgError> {
        let ax = normalize_axis(axis, self.ndim() + 1)?;
        let mut v = self.view();
        v.shape.insert(ax, 1);
        v.strides.insert(ax, 0);
        Ok(v)
    }

    /// The elements as a 1-D array in C order: a view when they are C-contiguous, a copy
    /// otherwise (numpy's `np.ravel(a)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.ravel(a), np.ravel(a.T)
    /// let a = array![[1., 2.], [3., 4.]];
    /// assert!(a.ravel().is_view());
    /// assert_eq!(a.t().ravel(), array![1., 3., 2., 4.]);
    /// ```
    pub fn ravel(&self) -> CowArray<'_, T> {
        if is_c_contiguous(&self.shape, &self.strides) {
            ArrayBase::from_parts(
                CowRepr::View(self.data.storage()),
                vec![self.len()],
                vec![1],
                self.offset,
            )
        } else {
            let v = self.to_vec();
            let n = v.len();
            ArrayBase::from_parts(CowRepr::Owned(v), vec![n], vec![1], 0)
        }
    }

    /// A 1-D copy of the elements in C order (numpy's `a.flatten()`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a.flatten()
    /// assert_eq!(array![[1., 2.], [3., 4.]].flatten(), array![1., 2., 3., 4.]);
    /// ```
    pub fn flatten(&self) -> Array<T> {
        Array::from_vec(self.to_vec())
    }

    /// The view of diagonal `k` over the first two axes (numpy's `a.diagonal(k)`): the
    /// other axes come first and the diagonal last. Fails for arrays with fewer than 2 axes.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a.diagonal(1), a.diagonal(-1)
    /// let a = array![[1., 2., 3.], [4., 5., 6.]];
    /// assert_eq!(a.diagonal(1).unwrap(), array![2., 6.]);
    /// assert_eq!(a.diagonal(-1).unwrap(), array![4.]);
    /// ```
    pub fn diagonal(&self, k: isize) -> Result<ArrayView<'_, T>, LinalgError> {
        if self.ndim() < 2 {
            return Err(LinalgError::invalid(
                "diagonal",
                "diag requires an array of at least two dimensions",
            ));
        }
        Ok(self.diagonal_of(k, 0, 1))
    }

    /// The view of diagonal `k` of the matrices in axes `ax1` (rows) and `ax2` (columns),
    /// which must be distinct and in range (numpy's `a.diagonal(k, ax1, ax2)`): the other
    /// axes keep their order and the diagonal becomes the last axis.
    pub(crate) fn diagonal_of(&self, k: isize, ax1: usize, ax2: usize) -> ArrayView<'_, T> {
        debug_assert!(ax1 != ax2 && ax1.max(ax2) < self.ndim());
        let (n1, n2) = (self.shape[ax1] as isize, self.shape[ax2] as isize);
        let (s1, s2) = (self.strides[ax1], self.strides[ax2]);
        let len = (n1 - (-k).max(0)).min(n2 - k.max(0)).max(0) as usize;
        let kept = (0..self.ndim()).filter(|&d| d != ax1 && d != ax2);
        let (mut shape, mut strides): (Vec<usize>, Vec<isize>) =
            kept.map(|d| (self.shape[d], self.strides[d])).unzip();
        shape.push(len);
        strides.push(s1 + s2);
        let offset = if len == 0 || self.is_empty() {
            self.offset
        } else if k >= 0 {
            (self.offset as isize + k * s2) as usize
        } else {
            (self.offset as isize - k * s1) as usize
        };
        ArrayBase::from_parts(self.data.storage(), shape, strides, offset)
    }

    /// [`t`](Self::t) that consumes the array or view (keeps its storage and lifetime).
    ///
    /// ```
    /// use lapis::array;
    /// let a = array![[1., 2.], [3., 4.]].reversed_axes();
    /// assert_eq!(a[[0, 1]], 3.0);
    /// ```
    pub fn reversed_axes(mut self) -> Self {
        self.shape.reverse();
        self.strides.reverse();
        self
    }
}

impl<T: Element> Array<T> {
    /// [`reshape`](ArrayBase::reshape) for an owned array: keeps the storage when the
    /// layout allows it, copies otherwise.
    ///
    /// ```
    /// use lapis::Array;
    /// // numpy: np.arange(6.).reshape(2, 3)
    /// let a = Array::arange(0., 6., 1.).into_shape(&[2, 3]).unwrap();
    /// assert_eq!(a[[1, 2]], 5.0);
    /// ```
    pub fn into_shape(self, shape: &[isize]) -> Result<Array<T>, LinalgError> {
        let new_shape = resolve_shape(self.len(), shape)?;
        match reshape_strides(&self.shape, &self.strides, &new_shape) {
            Some(strides) => Ok(Array::from_parts(
                self.data,
                new_shape,
                strides,
                self.offset,
            )),
            None => Array::from_shape_vec(&new_shape, self.to_vec()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nocopy_reshape_rules() {
        // C-contiguous (2,3) -> (3,2)
        assert_eq!(reshape_strides(&[2, 3], &[3, 1], &[3, 2]), Some(vec![2, 1]));
        // transposed (3,2) strides (1,3) -> (6,) needs a copy
        assert_eq!(reshape_strides(&[3, 2], &[1, 3], &[6]), None);
        // a strided column slice (4,) stride 2 -> (2,2)
        assert_eq!(reshape_strides(&[4], &[2], &[2, 2]), Some(vec![4, 2]));
        // split the leading axis of a transposed array: (4,3) strides (1,4) -> (2,2,3)
        assert_eq!(
            reshape_strides(&[4, 3], &[1, 4], &[2, 2, 3]),
            Some(vec![2, 1, 4])
        );
        // inserting unit axes
        assert_eq!(
            reshape_strides(&[2, 3], &[3, 1], &[1, 2, 1, 3]).map(|s| s[1]),
            Some(3)
        );
        assert_eq!(resolve_shape(6, &[-1, 2]).unwrap(), vec![3, 2]);
        assert!(resolve_shape(6, &[-1, -1]).is_err());
        assert!(resolve_shape(6, &[4, -1]).is_err());
        assert!(resolve_shape(0, &[0, -1]).is_err());
    }
}
