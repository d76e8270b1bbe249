//! Running sums and products: `cumsum`, `cumprod` (numpy's `np.cumsum`, `np.cumprod`),
//! along one axis or over the flattened array.
//!
//! The result keeps the element type (numpy promotes `int32` to the platform integer; cast
//! first with `astype` if that matters), as `sum` and `prod` do.

use super::{Array, ArrayBase, Data};
use crate::{LinalgError, Number};

/// Writes the running fold of `lane` into `out`.
fn running<T: Number>(lane: &[T], out: &mut [T], start: T, op: impl Fn(T, T) -> T) {
    let mut acc = start;
    for (o, &x) in out.iter_mut().zip(lane) {
        acc = op(acc, x);
        *o = acc;
    }
}

impl<T: Number, S: Data<Elem = T>> ArrayBase<S> {
    /// The running sum along `axis` (negative counts from the end), or over the flattened
    /// array in C order when `axis` is `None` (numpy's `np.cumsum(a, axis)`).
    ///
    /// Fails with [`LinalgError::AxisOutOfBounds`] for a bad axis.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.cumsum([[1, 2], [3, 4]]), np.cumsum([[1, 2], [3, 4]], axis=0)
    /// let a = array![[1i64, 2], [3, 4]];
    /// assert_eq!(a.cumsum(None).unwrap(), array![1i64, 3, 6, 10]);
    /// assert_eq!(a.cumsum(Some(0)).unwrap(), array![[1i64, 2], [4, 6]]);
    /// ```
    pub fn cumsum(&self, axis: Option<isize>) -> Result<Array<T>, LinalgError> {
        self.map_lanes_along(axis, |lane, out| {
            running(lane, out, T::zero(), |a, x| a + x)
        })
    }

    /// The running product along `axis`, or over the flattened array when `axis` is `None`
    /// (numpy's `np.cumprod(a, axis)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.cumprod([[1., 2.], [3., 4.]], axis=-1)
    /// let a = array![[1., 2.], [3., 4.]];
    /// assert_eq!(a.cumprod(Some(-1)).unwrap(), array![[1., 2.], [3., 12.]]);
    /// ```
    pub fn cumprod(&self, axis: Option<isize>) -> Result<Array<T>, LinalgError> {
        self.map_lanes_along(axis, |lane, out| running(lane, out, T::one(), |a, x| a * x))
    }
}
