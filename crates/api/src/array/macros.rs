//! The nested-literal constructor [`array!`](crate::array).

/// An array from nested brackets, like `np.array([[1., 2.], [3., 4.]])`: 1-D, 2-D and 3-D.
/// Rows of unequal length do not compile.
///
/// ```
/// use lapis::array;
/// // numpy: np.array([1., 2., 3.])
/// assert_eq!(array![1., 2., 3.].shape(), &[3]);
/// // numpy: np.array([[1., 2.], [3., 4.]])
/// assert_eq!(array![[1., 2.], [3., 4.]].shape(), &[2, 2]);
/// // numpy: np.array([[[1, 2]], [[3, 4]]])
/// assert_eq!(array![[[1, 2]], [[3, 4]]].shape(), &[2, 1, 2]);
/// ```
#[macro_export]
macro_rules! array {
    ($([$([$($x:expr),* $(,)?]),+ $(,)?]),+ $(,)?) => {
        $crate::Array::__from_blocks(vec![$([$([$($x,)*],)*],)*])
    };
    ($([$($x:expr),* $(,)?]),+ $(,)?) => {
        $crate::Array::__from_rows(vec![$([$($x,)*],)*])
    };
    ($($x:expr),* $(,)?) => {
        $crate::Array::from_vec(vec![$($x,)*])
    };
}
