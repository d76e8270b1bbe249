//! numpy's broadcasting: `broadcast_to` views and the shape rule shared by every
//! elementwise operation.
//!
//! Shapes are aligned at their last axis; missing leading axes count as length 1; two
//! lengths agree when equal or when one of them is 1 (which is then repeated with stride 0).
//! Length 0 broadcasts only against 0 or 1.

use super::shape;
use super::{ArrayBase, ArrayView, Data};
use crate::{Element, LinalgError};

/// The shape that arrays of the given shapes broadcast to (numpy's `np.broadcast_shapes`).
///
/// ```
/// // numpy: np.broadcast_shapes((3, 1), (4,), (2, 1, 1))
/// assert_eq!(lapis::broadcast_shapes(&[&[3, 1], &[4], &[2, 1, 1]]).unwrap(), vec![2, 3, 4]);
/// assert!(lapis::broadcast_shapes(&[&[3], &[4]]).is_err());
/// ```
pub fn broadcast_shapes(shapes: &[&[usize]]) -> Result<Vec<usize>, LinalgError> {
    let mut out: Vec<usize> = vec![];
    for s in shapes {
        out = shape::broadcast_shapes(&out, s).map_err(|_| LinalgError::Broadcast {
            shapes: shapes.iter().map(|s| s.to_vec()).collect(),
        })?;
    }
    Ok(out)
}

impl<T: Element, S: Data<Elem = T>> ArrayBase<S> {
    /// A read-only view of this array repeated to `shape` (numpy's `np.broadcast_to`):
    /// broadcast axes get stride 0, so nothing is copied.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.broadcast_to([1., 2.], (3, 2))
    /// let b = array![1., 2.];
    /// let v = b.broadcast_to(&[3, 2]).unwrap();
    /// assert_eq!(v.strides(), &[0, 1]);
    /// assert_eq!(v, array![[1., 2.], [1., 2.], [1., 2.]]);
    /// assert!(b.broadcast_to(&[3]).is_err());
    /// ```
    pub fn broadcast_to(&self, shape: &[usize]) -> Result<ArrayView<'_, T>, LinalgError> {
        let strides =
            shape::broadcast_strides(&self.shape, &self.strides, shape).ok_or_else(|| {
                LinalgError::Broadcast {
                    shapes: vec![self.shape.clone(), shape.to_vec()],
                }
            })?;
        Ok(ArrayBase::from_parts(
            self.data.storage(),
            shape.to_vec(),
            strides,
            self.offset,
        ))
    }
}
