//! Ordering: `sort`, `argsort`, `searchsorted`, `unique`, and the reorderings `flip` and
//! `roll`.
//!
//! The order is numpy's: NaN sorts after every number (all NaNs alike), `-0.0` equals
//! `0.0`. Sorts are **stable** (equal keys keep their order): `argsort` is numpy's
//! `kind='stable'`, whereas numpy's default quicksort may order ties differently; `sort`
//! gives the same values either way.

use super::shape::normalize_axis;
use super::stats::cmp_nan_last;
use super::{Array, ArrayBase, ArrayView, Data};
use crate::{Element, LinalgError, RealNumber};

/// Which of the equal positions [`searchsorted`](ArrayBase::searchsorted) returns
/// (numpy's `side=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Side {
    /// The first position where the value fits (`a[i-1] < v <= a[i]`), numpy's default.
    #[default]
    Left,
    /// The last position where the value fits (`a[i-1] <= v < a[i]`).
    Right,
}

impl<T: RealNumber, S: Data<Elem = T>> ArrayBase<S> {
    /// A sorted copy along `axis` (negative counts from the end; numpy's default is `-1`),
    /// or of the flattened array when `axis` is `None` (numpy's `np.sort(a, axis)`).
    ///
    /// Fails with [`LinalgError::AxisOutOfBounds`] for a bad axis.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.sort([[3., np.nan, 1.], [2., 0., 5.]])
    /// let a = array![[3., f64::NAN, 1.], [2., 0., 5.]];
    /// let s = a.sort(Some(-1)).unwrap();
    /// assert_eq!(s.slice(lapis::s![1, ..]), array![0., 2., 5.]);
    /// assert!(s[[0, 2]].is_nan());
    /// // numpy: np.sort([[3, 1], [2, 0]], axis=None)
    /// assert_eq!(array![[3i64, 1], [2, 0]].sort(None).unwrap(), array![0i64, 1, 2, 3]);
    /// ```
    pub fn sort(&self, axis: Option<isize>) -> Result<Array<T>, LinalgError> {
        self.map_lanes_along(axis, |lane, out| {
            out.copy_from_slice(lane);
            out.sort_by(cmp_nan_last);
        })
    }

    /// The indices that sort each lane along `axis` (or the flattened array when `None`),
    /// ties in their original order (numpy's `np.argsort(a, axis, kind='stable')`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.argsort([3., 1., np.nan, 1.], kind='stable')
    /// let i = array![3., 1., f64::NAN, 1.].argsort(Some(0)).unwrap();
    /// assert_eq!(i, array![1usize, 3, 0, 2]);
    /// ```
    pub fn argsort(&self, axis: Option<isize>) -> Result<Array<usize>, LinalgError> {
        self.map_lanes_along(axis, |lane, out: &mut [usize]| {
            out.iter_mut().enumerate().for_each(|(i, o)| *o = i);
            out.sort_by(|&i, &j| cmp_nan_last(&lane[i], &lane[j]));
        })
    }

    /// Where each value of `v` would be inserted into this sorted 1-D array to keep it
    /// sorted (numpy's `np.searchsorted(a, v, side)`); the result has `v`'s shape. The
    /// array must be sorted in numpy's order (NaNs last); this is not checked.
    ///
    /// Fails when this array is not 1-D.
    ///
    /// ```
    /// use lapis::{array, Side};
    /// // numpy: np.searchsorted([1., 2., 2., 3.], [2., 0., 9.]), side='right'
    /// let a = array![1., 2., 2., 3.];
    /// assert_eq!(a.searchsorted(&array![2., 0., 9.], Side::Left).unwrap(), array![1usize, 0, 4]);
    /// assert_eq!(a.searchsorted(&array![2., 0., 9.], Side::Right).unwrap(), array![3usize, 0, 4]);
    /// ```
    pub fn searchsorted<S2: Data<Elem = T>>(
        &self,
        v: &ArrayBase<S2>,
        side: Side,
    ) -> Result<Array<usize>, LinalgError> {
        if self.ndim() != 1 {
            return Err(LinalgError::shape(
                "searchsorted",
                &[&self.shape],
                "the sorted array must be 1-D",
            ));
        }
        let a = self.ravel();
        let a = a.as_slice().unwrap_or_default();
        Ok(v.mapv(|x| match side {
            Side::Left => a.partition_point(|y| cmp_nan_last(y, &x).is_lt()),
            Side::Right => a.partition_point(|y| cmp_nan_last(y, &x).is_le()),
        }))
    }

    /// The sorted distinct elements of the flattened array (numpy's `np.unique(a)`; NaNs
    /// collapse into one, as numpy's default `equal_nan=True`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.unique([[3, 1], [3, 2]])
    /// assert_eq!(array![[3i64, 1], [3, 2]].unique(), array![1i64, 2, 3]);
    /// ```
    pub fn unique(&self) -> Array<T> {
        self.unique_counts().0
    }

    /// The sorted distinct elements and how often each occurs (numpy's
    /// `np.unique(a, return_counts=True)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.unique([2., 1., 2., np.nan, np.nan], return_counts=True)
    /// let (u, c) = array![2., 1., 2., f64::NAN, f64::NAN].unique_counts();
    /// assert_eq!(u.slice(lapis::s![..2]), array![1., 2.]);
    /// assert!(u[[2]].is_nan());
    /// assert_eq!(c, array![1usize, 2, 2]);
    /// ```
    pub fn unique_counts(&self) -> (Array<T>, Array<usize>) {
        let mut v = self.to_vec();
        v.sort_by(cmp_nan_last);
        let mut values: Vec<T> = Vec::new();
        let mut counts: Vec<usize> = Vec::new();
        for x in v {
            match values.last() {
                Some(last) if cmp_nan_last(last, &x).is_eq() => {
                    if let Some(c) = counts.last_mut() {
                        *c += 1;
                    }
                }
                _ => {
                    values.push(x);
                    counts.push(1);
                }
            }
        }
        (Array::from_vec(values), Array::from_vec(counts))
    }
}

impl<T: Element, S: Data<Elem = T>> ArrayBase<S> {
    /// A view with the order of the elements reversed along `axis`, or along every axis
    /// when `None` (numpy's `np.flip(a, axis)`); free (negated strides).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.flip([[1, 2], [3, 4]], 1), np.flip([[1, 2], [3, 4]])
    /// let a = array![[1i64, 2], [3, 4]];
    /// assert_eq!(a.flip(Some(1)).unwrap(), array![[2i64, 1], [4, 3]]);
    /// assert_eq!(a.flip(None).unwrap(), array![[4i64, 3], [2, 1]]);
    /// ```
    pub fn flip(&self, axis: Option<isize>) -> Result<ArrayView<'_, T>, LinalgError> {
        let axes: Vec<usize> = match axis {
            None => (0..self.ndim()).collect(),
            Some(a) => vec![normalize_axis(a, self.ndim())?],
        };
        let mut v = self.view();
        if v.is_empty() {
            for ax in axes {
                v.strides[ax] = -v.strides[ax];
            }
            return Ok(v);
        }
        for ax in axes {
            let (n, s) = (v.shape[ax], v.strides[ax]);
            v.offset = (v.offset as isize + (n as isize - 1) * s) as usize;
            v.strides[ax] = -s;
        }
        Ok(v)
    }

    /// The elements shifted by `shift` positions along `axis`, those pushed past the end
    /// coming back at the start (negative shifts go the other way); with `None` the
    /// flattened array is rolled and the shape kept (numpy's `np.roll(a, shift, axis)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.roll([1, 2, 3, 4], 1), np.roll([[1, 2], [3, 4]], -1, axis=0)
    /// assert_eq!(array![1i64, 2, 3, 4].roll(1, None).unwrap(), array![4i64, 1, 2, 3]);
    /// let a = array![[1i64, 2], [3, 4]];
    /// assert_eq!(a.roll(-1, Some(0)).unwrap(), array![[3i64, 4], [1, 2]]);
    /// ```
    pub fn roll(&self, shift: isize, axis: Option<isize>) -> Result<Array<T>, LinalgError> {
        let rolled = self.map_lanes_along(axis, |lane, out| {
            let n = lane.len();
            if n == 0 {
                return;
            }
            let k = shift.rem_euclid(n as isize) as usize;
            out[k..].copy_from_slice(&lane[..n - k]);
            out[..k].copy_from_slice(&lane[n - k..]);
        })?;
        if axis.is_none() {
            let shape: Vec<isize> = self.shape.iter().map(|&d| d as isize).collect();
            return rolled.into_shape(&shape);
        }
        Ok(rolled)
    }
}
