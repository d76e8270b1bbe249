//! Reductions: `sum`, `prod`, `mean`, `max`, `min`, `argmax`, `argmin`, over the whole
//! array or along one axis with numpy's `keepdims`. `sum` and `prod` take any [`Number`]
//! (complex included), `mean` an [`Inexact`] type, and the ordering reductions a
//! [`RealNumber`] (complex numbers have no order).
//!
//! Sums run in C order with one accumulator (numpy uses pairwise summation for contiguous
//! data, so the last bits of a long float sum may differ). `max`/`min` propagate NaN, and
//! `argmax`/`argmin` return the first NaN's index, as numpy does.

use super::shape::{c_strides, normalize_axis, walk};
use super::{Array, ArrayBase, Data};
use crate::{Element, Inexact, LinalgError, Number, RealNumber};

/// The elements along one axis at a fixed position of the other axes.
struct Lane<'a, T> {
    data: &'a [T],
    pos: isize,
    stride: isize,
    remaining: usize,
}

impl<T: Copy> Iterator for Lane<'_, T> {
    type Item = T;
    #[inline]
    fn next(&mut self) -> Option<T> {
        if self.remaining == 0 {
            return None;
        }
        let x = self.data[self.pos as usize];
        self.remaining -= 1;
        if self.remaining > 0 {
            self.pos += self.stride;
        }
        Some(x)
    }
}

/// NaN-propagating maximum of a sequence; `None` when empty.
fn fold_extreme<T: RealNumber>(it: impl Iterator<Item = T>, want_greater: bool) -> Option<T> {
    let mut best: Option<T> = None;
    for x in it {
        best = Some(match best {
            None => x,
            Some(b) if b.is_nan() => b,
            Some(_) if x.is_nan() => x,
            Some(b) if (want_greater && x > b) || (!want_greater && x < b) => x,
            Some(b) => b,
        });
    }
    best
}

/// Index of the first extreme (first NaN if any); `None` when empty.
fn arg_extreme<T: RealNumber>(it: impl Iterator<Item = T>, want_greater: bool) -> Option<usize> {
    let mut best: Option<(usize, T)> = None;
    for (i, x) in it.enumerate() {
        match best {
            None => best = Some((i, x)),
            Some((_, b)) if b.is_nan() => return best.map(|p| p.0),
            Some(_) if x.is_nan() => return Some(i),
            Some((_, b)) if (want_greater && x > b) || (!want_greater && x < b) => {
                best = Some((i, x))
            }
            Some(_) => {}
        }
    }
    best.map(|p| p.0)
}

impl<T: Element, S: Data<Elem = T>> ArrayBase<S> {
    /// `f(lane)` for every lane along `axis`; the axis is removed (kept as length 1 with
    /// `keepdims`).
    fn fold_axis<U: Element>(
        &self,
        axis: isize,
        keepdims: bool,
        mut f: impl FnMut(Lane<'_, T>) -> Result<U, LinalgError>,
    ) -> Result<Array<U>, LinalgError> {
        let ax = normalize_axis(axis, self.ndim())?;
        let mut shape = self.shape.clone();
        let mut strides = self.strides.clone();
        let len = shape.remove(ax);
        let stride = strides.remove(ax);
        let data = self.data.storage();
        let mut out = Vec::with_capacity(super::shape::size(&shape));
        let mut err = None;
        walk(&shape, [&strides], [self.offset], |[o]| {
            if err.is_some() {
                return;
            }
            let lane = Lane {
                data,
                pos: o as isize,
                stride,
                remaining: len,
            };
            match f(lane) {
                Ok(u) => out.push(u),
                Err(e) => err = Some(e),
            }
        });
        if let Some(e) = err {
            return Err(e);
        }
        if keepdims {
            shape.insert(ax, 1);
        }
        let strides = c_strides(&shape);
        Ok(Array::from_parts(out, shape, strides, 0))
    }
}

impl<T: Number, S: Data<Elem = T>> ArrayBase<S> {
    /// The sum of all elements (numpy's `a.sum()`); 0 for an empty array.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.sum([[1., 2.], [3., 4.]])
    /// assert_eq!(array![[1., 2.], [3., 4.]].sum(), 10.0);
    /// ```
    pub fn sum(&self) -> T {
        self.iter().fold(T::zero(), |acc, &x| acc + x)
    }

    /// Sums along `axis` (negative counts from the end); with `keepdims` the axis stays
    /// with length 1 (numpy's `a.sum(axis=axis, keepdims=keepdims)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a.sum(axis=0), a.sum(axis=-1, keepdims=True)
    /// let a = array![[1., 2.], [3., 4.]];
    /// assert_eq!(a.sum_axis(0, false).unwrap(), array![4., 6.]);
    /// assert_eq!(a.sum_axis(-1, true).unwrap(), array![[3.], [7.]]);
    /// ```
    pub fn sum_axis(&self, axis: isize, keepdims: bool) -> Result<Array<T>, LinalgError> {
        self.fold_axis(
            axis,
            keepdims,
            |lane| Ok(lane.fold(T::zero(), |a, x| a + x)),
        )
    }

    /// The product of all elements (numpy's `a.prod()`); 1 for an empty array.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.prod([1., 2., 3.])
    /// assert_eq!(array![1., 2., 3.].prod(), 6.0);
    /// ```
    pub fn prod(&self) -> T {
        self.iter().fold(T::one(), |acc, &x| acc * x)
    }

    /// Products along `axis` (numpy's `a.prod(axis=axis, keepdims=keepdims)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a.prod(axis=1)
    /// assert_eq!(array![[1., 2.], [3., 4.]].prod_axis(1, false).unwrap(), array![2., 12.]);
    /// ```
    pub fn prod_axis(&self, axis: isize, keepdims: bool) -> Result<Array<T>, LinalgError> {
        self.fold_axis(axis, keepdims, |lane| Ok(lane.fold(T::one(), |a, x| a * x)))
    }
}

impl<T: RealNumber, S: Data<Elem = T>> ArrayBase<S> {
    /// The largest element, NaN if any element is NaN, `None` when empty (numpy's
    /// `a.max()`, which raises on empty arrays).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.max([1., 3., 2.])
    /// assert_eq!(array![1., 3., 2.].max(), Some(3.0));
    /// assert!(array![1., f64::NAN].max().unwrap().is_nan());
    /// ```
    pub fn max(&self) -> Option<T> {
        fold_extreme(self.iter().copied(), true)
    }

    /// The smallest element, NaN if any element is NaN, `None` when empty (numpy's `a.min()`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.min([1., 3., 2.])
    /// assert_eq!(array![1., 3., 2.].min(), Some(1.0));
    /// ```
    pub fn min(&self) -> Option<T> {
        fold_extreme(self.iter().copied(), false)
    }

    /// Maxima along `axis` (numpy's `a.max(axis=axis, keepdims=keepdims)`); fails on an
    /// empty axis.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a.max(axis=0)
    /// assert_eq!(array![[1., 5.], [3., 2.]].max_axis(0, false).unwrap(), array![3., 5.]);
    /// ```
    pub fn max_axis(&self, axis: isize, keepdims: bool) -> Result<Array<T>, LinalgError> {
        self.fold_axis(axis, keepdims, |lane| {
            fold_extreme(lane, true).ok_or_else(|| {
                LinalgError::invalid(
                    "max",
                    "zero-size array to reduction operation maximum which has no identity",
                )
            })
        })
    }

    /// Minima along `axis` (numpy's `a.min(axis=axis, keepdims=keepdims)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a.min(axis=1)
    /// assert_eq!(array![[1., 5.], [3., 2.]].min_axis(1, false).unwrap(), array![1., 2.]);
    /// ```
    pub fn min_axis(&self, axis: isize, keepdims: bool) -> Result<Array<T>, LinalgError> {
        self.fold_axis(axis, keepdims, |lane| {
            fold_extreme(lane, false).ok_or_else(|| {
                LinalgError::invalid(
                    "min",
                    "zero-size array to reduction operation minimum which has no identity",
                )
            })
        })
    }

    /// The C-order (flat) index of the first largest element, or of the first NaN; `None`
    /// when empty (numpy's `np.argmax(a)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.argmax([[1., 5.], [5., 2.]])
    /// assert_eq!(array![[1., 5.], [5., 2.]].argmax(), Some(1));
    /// ```
    pub fn argmax(&self) -> Option<usize> {
        arg_extreme(self.iter().copied(), true)
    }

    /// The flat index of the first smallest element, or of the first NaN (numpy's
    /// `np.argmin(a)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.argmin([3., 1., 1.])
    /// assert_eq!(array![3., 1., 1.].argmin(), Some(1));
    /// ```
    pub fn argmin(&self) -> Option<usize> {
        arg_extreme(self.iter().copied(), false)
    }

    /// Indices of the maxima along `axis` (numpy's `np.argmax(a, axis)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.argmax(a, axis=1)
    /// let a = array![[1., 5.], [3., 2.]];
    /// assert_eq!(a.argmax_axis(1).unwrap(), array![1usize, 0]);
    /// ```
    pub fn argmax_axis(&self, axis: isize) -> Result<Array<usize>, LinalgError> {
        self.fold_axis(axis, false, |lane| {
            arg_extreme(lane, true).ok_or_else(|| {
                LinalgError::invalid("argmax", "attempt to get argmax of an empty sequence")
            })
        })
    }

    /// Indices of the minima along `axis` (numpy's `np.argmin(a, axis)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.argmin(a, axis=0)
    /// let a = array![[1., 5.], [3., 2.]];
    /// assert_eq!(a.argmin_axis(0).unwrap(), array![0usize, 1]);
    /// ```
    pub fn argmin_axis(&self, axis: isize) -> Result<Array<usize>, LinalgError> {
        self.fold_axis(axis, false, |lane| {
            arg_extreme(lane, false).ok_or_else(|| {
                LinalgError::invalid("argmin", "attempt to get argmin of an empty sequence")
            })
        })
    }
}

impl<T: Inexact, S: Data<Elem = T>> ArrayBase<S> {
    /// The arithmetic mean (numpy's `a.mean()`); NaN (`nan+nanj`) for an empty array.
    ///
    /// ```
    /// use lapis::{array, c64, Array};
    /// // numpy: np.mean([1., 2., 3., 4.])
    /// assert_eq!(array![1., 2., 3., 4.].mean(), 2.5);
    /// // numpy: np.mean([1+2j, 3-4j])
    /// let z = Array::from_vec(vec![c64::new(1., 2.), c64::new(3., -4.)]);
    /// assert_eq!(z.mean(), c64::new(2., -1.));
    /// ```
    pub fn mean(&self) -> T {
        let n = self.len();
        if n == 0 {
            return T::nan_elem();
        }
        self.sum().div_elem(T::from_usize(n))
    }

    /// Means along `axis` (numpy's `a.mean(axis=axis, keepdims=keepdims)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a.mean(axis=0)
    /// assert_eq!(array![[1., 2.], [3., 4.]].mean_axis(0, false).unwrap(), array![2., 3.]);
    /// ```
    pub fn mean_axis(&self, axis: isize, keepdims: bool) -> Result<Array<T>, LinalgError> {
        let ax = normalize_axis(axis, self.ndim())?;
        let n = T::from_usize(self.shape[ax]);
        let mut s = self.sum_axis(axis, keepdims)?;
        s.map_inplace(|x| x.div_elem(n));
        Ok(s)
    }
}
