//! `matrix_power`.

use super::matmul::matmul;
use crate::{Array, ArrayBase, ArrayView, Data, Inexact, LinalgError};

/// numpy's `np.linalg.matrix_power(a, n)` for a square matrix or a stack of them (last two
/// axes), by repeated squaring: `n = 0` gives identities of `a`'s shape.
///
/// Negative `n` raises the inverse ([`linalg::inv`](crate::linalg::inv)) to `|n|`, and
/// fails as it does ([`LinalgError::Singular`], [`LinalgError::NonFinite`]); for a complex
/// matrix a negative `n` is [`LinalgError::Unsupported`] (no complex inverse yet).
///
/// ```
/// use lapis::{array, matrix_power};
/// // numpy: np.linalg.matrix_power([[1., 1.], [1., 0.]], 10)
/// let f = matrix_power(&array![[1., 1.], [1., 0.]], 10).unwrap();
/// assert_eq!(f, array![[89., 55.], [55., 34.]]);
/// assert!(matrix_power(&array![[1., 2., 3.]], 2).is_err());
/// // numpy: np.linalg.matrix_power([[2., 0.], [0., 4.]], -2)  -> [[0.25, 0.], [0., 0.0625]]
/// let g = matrix_power(&array![[2., 0.], [0., 4.]], -2).unwrap();
/// assert_eq!(g, array![[0.25, 0.], [0., 0.0625]]);
/// ```
pub fn matrix_power<T, S>(a: &ArrayBase<S>, n: i64) -> Result<Array<T>, LinalgError>
where
    T: Inexact,
    S: Data<Elem = T>,
{
    let nd = a.ndim();
    if nd < 2 {
        return Err(LinalgError::invalid(
            "matrix_power",
            format!("{nd}-dimensional array given. Array must be at least two-dimensional"),
        ));
    }
    if a.shape()[nd - 1] != a.shape()[nd - 2] {
        return Err(LinalgError::NotSquare {
            shape: a.shape().to_vec(),
        });
    }
    if n == 0 {
        let m = a.shape()[nd - 1];
        let eye = Array::<T>::eye(m);
        return Ok(eye.broadcast_to(a.shape())?.to_owned());
    }
    let mut result: Option<Array<T>> = None;
    let mut base = if n < 0 {
        inverse(&a.view())?
    } else {
        a.to_owned()
    };
    let mut e = n.unsigned_abs();
    loop {
        if e & 1 == 1 {
            result = Some(match result {
                None => base.clone(),
                Some(r) => matmul(&r, &base)?,
            });
        }
        e >>= 1;
        if e == 0 {
            break;
        }
        base = matmul(&base, &base)?;
    }
    Ok(result.expect("n > 0"))
}

/// `a⁻¹` for a negative power: [`linalg::inv`](crate::linalg::inv) on a real type; complex
/// matrices have no inverse in Lapis yet, so a negative power of one is an error.
fn inverse<T: Inexact>(a: &ArrayView<'_, T>) -> Result<Array<T>, LinalgError> {
    if T::IS_COMPLEX {
        return Err(LinalgError::Unsupported {
            op: "matrix_power",
            message: format!(
                "a negative power of a {} matrix needs its inverse, and Lapis has no complex inverse yet (positive powers work)",
                T::DTYPE
            ),
        });
    }
    // A real `T` is its own part type `T::Float` (same size, same bits): reinterpreting the
    // elements reaches the real-only `inv` without a second code path.
    let c = a.as_contiguous();
    let parts: &[T::Float] = bytemuck::cast_slice(c.as_slice().expect("contiguous"));
    let real = Array::from_shape_vec(a.shape(), parts.to_vec())?;
    let inv = crate::linalg::inv(&real)?;
    let back: &[T] = bytemuck::cast_slice(inv.as_slice().expect("a fresh array is contiguous"));
    Array::from_shape_vec(inv.shape(), back.to_vec())
}
