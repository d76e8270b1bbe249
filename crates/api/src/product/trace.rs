//! `trace`.

use crate::{Array, ArrayBase, Data, LinalgError, Number};

/// numpy's `np.trace(a, offset)`: the sum along diagonal `offset` of the first two axes;
/// for more than two axes, one sum per position of the remaining axes. A 2-D input gives a
/// 0-d array (`.item()`); fewer than two axes is an error.
///
/// ```
/// use lapis::{array, trace};
/// // numpy: np.trace([[1., 2.], [3., 4.]]), np.trace(..., offset=1)
/// let a = array![[1., 2.], [3., 4.]];
/// assert_eq!(trace(&a, 0).unwrap().item(), Some(5.0));
/// assert_eq!(trace(&a, 1).unwrap().item(), Some(2.0));
/// ```
pub fn trace<T: Number, S: Data<Elem = T>>(
    a: &ArrayBase<S>,
    offset: isize,
) -> Result<Array<T>, LinalgError> {
    a.diagonal(offset)?.sum_axis(-1, false)
}
