//! Truth reductions: `any`, `all`, `count_nonzero`, over the whole array or along one
//! axis with `keepdims`.
//!
//! They take every element type with numpy's truthiness: `true` for `bool`, nonzero for
//! numbers (so NaN counts as true, `-0.0` as false, and a complex number is true when
//! either part is nonzero). An empty `any` is false and an empty `all` true, as in numpy.

use super::{Array, ArrayBase, Data};
use crate::{Element, LinalgError};

/// numpy's `bool(x)`: different from the type's zero (`false` for `bool`).
#[inline]
fn truthy<T: Element>(x: T) -> bool {
    x != T::default()
}

impl<T: Element, S: Data<Elem = T>> ArrayBase<S> {
    /// Whether any element is true/nonzero (numpy's `np.any(a)`); false when empty.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.any([False, True]), np.any([0., 0.])
    /// assert!(array![false, true].any());
    /// assert!(!array![0., 0.].any());
    /// ```
    pub fn any(&self) -> bool {
        self.iter().any(|&x| truthy(x))
    }

    /// Whether every element is true/nonzero (numpy's `np.all(a)`); true when empty.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.all([1, 2, 0]), np.all([f64::NAN])
    /// assert!(!array![1i64, 2, 0].all());
    /// assert!(array![f64::NAN].all());
    /// ```
    pub fn all(&self) -> bool {
        self.iter().all(|&x| truthy(x))
    }

    /// [`any`](Self::any) along `axis` (negative counts from the end), keeping it with
    /// length 1 under `keepdims` (numpy's `np.any(a, axis, keepdims=keepdims)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.any([[True, False], [False, False]], axis=1)
    /// let m = array![[true, false], [false, false]];
    /// assert_eq!(m.any_axis(1, false).unwrap(), array![true, false]);
    /// ```
    pub fn any_axis(&self, axis: isize, keepdims: bool) -> Result<Array<bool>, LinalgError> {
        self.reduce_lanes(axis, keepdims, |lane| lane.iter().any(|&x| truthy(x)))
    }

    /// [`all`](Self::all) along `axis` (numpy's `np.all(a, axis, keepdims=keepdims)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.all([[1., 2.], [0., 3.]], axis=0, keepdims=True)
    /// let a = array![[1., 2.], [0., 3.]];
    /// assert_eq!(a.all_axis(0, true).unwrap(), array![[false, true]]);
    /// ```
    pub fn all_axis(&self, axis: isize, keepdims: bool) -> Result<Array<bool>, LinalgError> {
        self.reduce_lanes(axis, keepdims, |lane| lane.iter().all(|&x| truthy(x)))
    }

    /// How many elements are true/nonzero (numpy's `np.count_nonzero(a)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.count_nonzero([[0, 1, 7], [0, 0, -2]])
    /// assert_eq!(array![[0i64, 1, 7], [0, 0, -2]].count_nonzero(), 3);
    /// ```
    pub fn count_nonzero(&self) -> usize {
        self.iter().filter(|&&x| truthy(x)).count()
    }

    /// The nonzero count along `axis` (numpy's `np.count_nonzero(a, axis,
    /// keepdims=keepdims)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.count_nonzero([[0, 1, 7], [0, 0, -2]], axis=-1)
    /// let a = array![[0i64, 1, 7], [0, 0, -2]];
    /// assert_eq!(a.count_nonzero_axis(-1, false).unwrap(), array![2usize, 1]);
    /// ```
    pub fn count_nonzero_axis(
        &self,
        axis: isize,
        keepdims: bool,
    ) -> Result<Array<usize>, LinalgError> {
        self.reduce_lanes(axis, keepdims, |lane| {
            lane.iter().filter(|&&x| truthy(x)).count()
        })
    }
}
