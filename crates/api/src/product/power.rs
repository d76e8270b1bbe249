//! `matrix_power`.

use super::matmul::matmul;
use crate::{Array, ArrayBase, Data, Inexact, LinalgError};

/// numpy's `np.linalg.matrix_power(a, n)` for a square matrix or a stack of them (last two
/// axes), by repeated squaring: `n = 0` gives identities of `a`'s shape.
///
/// Negative `n` raises the inverse ([`linalg::inv`](crate::linalg::inv), real or complex)
/// to `|n|`, and fails as it does ([`LinalgError::Singular`], [`LinalgError::NonFinite`]).
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
/// // numpy: np.linalg.matrix_power([[2j, 0], [0, 1]], -1)  -> [[-0.5j, 0], [0, 1]]
/// use lapis::c64;
/// let z = |re, im| c64::new(re, im);
/// let h = matrix_power(&array![[z(0., 2.), z(0., 0.)], [z(0., 0.), z(1., 0.)]], -1).unwrap();
/// assert!(lapis::allclose(&h, &array![[z(0., -0.5), z(0., 0.)], [z(0., 0.), z(1., 0.)]]).unwrap());
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
        crate::linalg::inv(a)?
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
