//! `tensorsolve` and `tensorinv`: numpy's tensor equations, reduced to one square matrix
//! (`prod(Q) × prod(Q)`) and handed to [`solve`] and [`inv`].

use super::{inv, solve};
use crate::array::shape::checked_size;
use crate::{Array, ArrayBase, Data, Inexact, LinalgError};

/// The `x` of the tensor equation `tensordot(a, x, x.ndim) = b` (numpy's
/// `np.linalg.tensorsolve(a, b, axes=None)`): `a` has shape `b.shape + Q` and `x` shape
/// `Q`, with `prod(Q) = prod(b.shape)`; the system is solved as one `prod(Q) × prod(Q)`
/// matrix by LU with partial pivoting ([`solve`]).
///
/// `axes` moves those axes of `a` (in order) to the end before the reshaping, as numpy's
/// `axes` does. Shapes follow numpy exactly: `Q` is the trailing `a.ndim - b.ndim` axes of
/// `a` (all of `a`'s axes when the two have as many), and only the sizes are checked, not
/// that `a`'s leading axes equal `b`'s shape.
///
/// Errors: [`LinalgError::Shape`] naming both shapes when `a.size ≠ prod(Q)²` (numpy's
/// "Input arrays must satisfy the requirement prod(a.shape[b.ndim:]) ==
/// prod(a.shape[:b.ndim])") or `b.size ≠ prod(Q)`; [`LinalgError::AxisOutOfBounds`] for an
/// entry of `axes` that is not an axis of `a`; [`LinalgError::Singular`],
/// [`LinalgError::NonFinite`] as [`solve`].
///
/// ```
/// use lapis::{linalg, tensordot, Array};
/// # fn main() -> Result<(), lapis::LinalgError> {
/// // numpy: a = np.eye(24).reshape(6, 4, 2, 3, 4); x = np.linalg.tensorsolve(a, b); x.shape
/// let a = Array::<f64>::eye(24).into_shape(&[6, 4, 2, 3, 4])?;
/// let b = Array::arange(0., 24., 1.).into_shape(&[6, 4])?;
/// let x = linalg::tensorsolve(&a, &b, None)?;
/// assert_eq!(x.shape(), &[2, 3, 4]);
/// // numpy: np.allclose(np.tensordot(a, x, axes=3), b)
/// assert!(lapis::allclose(&tensordot(&a, &x, 3)?, &b)?);
/// // numpy: np.linalg.tensorsolve(np.ones((2, 3, 6)), np.ones(6))  -> LinAlgError
/// assert!(linalg::tensorsolve(&Array::<f64>::ones(&[2, 3, 6]), &Array::ones(&[6]), None).is_err());
/// # Ok(())
/// # }
/// ```
pub fn tensorsolve<T, S1, S2>(
    a: &ArrayBase<S1>,
    b: &ArrayBase<S2>,
    axes: Option<&[usize]>,
) -> Result<Array<T>, LinalgError>
where
    T: Inexact,
    S1: Data<Elem = T>,
    S2: Data<Elem = T>,
{
    const OP: &str = "tensorsolve";
    let shapes = [a.shape(), b.shape()];
    let (an, bn) = (a.ndim(), b.ndim());
    // numpy's `allaxes.remove(k); allaxes.insert(an, k)`, repeated entries included.
    let mut order: Vec<usize> = (0..an).collect();
    for &k in axes.unwrap_or(&[]) {
        let pos = order
            .iter()
            .position(|&d| d == k)
            .ok_or(LinalgError::AxisOutOfBounds {
                axis: k as isize,
                ndim: an,
            })?;
        order.remove(pos);
        order.push(k);
    }
    let at = a.permute_axes(&order)?;
    // numpy's `a.shape[-(an - b.ndim):]`, with Python's slicing: `-0` is the whole shape.
    let start = match bn.cmp(&an) {
        core::cmp::Ordering::Less => bn,
        core::cmp::Ordering::Equal => 0,
        core::cmp::Ordering::Greater => (bn - an).min(an),
    };
    let q = &at.shape()[start..];
    let n = checked_size(q)?;
    if n.checked_mul(n) != Some(a.len()) {
        return Err(LinalgError::shape(
            OP,
            &shapes,
            "Input arrays must satisfy the requirement prod(a.shape[b.ndim:]) == prod(a.shape[:b.ndim])",
        ));
    }
    if b.len() != n {
        return Err(LinalgError::shape(
            OP,
            &shapes,
            format!(
                "b has {} elements but the equations have {n} unknowns",
                b.len()
            ),
        ));
    }
    let q: Vec<isize> = q.iter().map(|&d| d as isize).collect();
    let m = at.reshape(&[n as isize, n as isize])?;
    let x = solve(&m, &b.ravel())?;
    x.into_shape(&q)
}

/// The inverse of `a` for [`tensordot`](crate::tensordot) over `ind` axes (numpy's
/// `np.linalg.tensorinv(a, ind=2)`): `tensordot(tensorinv(a, ind), a, ind)` is the identity
/// tensor. `a`'s shape must be "square", `prod(a.shape[:ind]) = prod(a.shape[ind:])`; the
/// result has shape `a.shape[ind:] + a.shape[:ind]` and is one `inv` ([`inv`]) of `a`
/// reshaped to a matrix.
///
/// Errors: [`LinalgError::InvalidArgument`] for `ind = 0` (numpy: "Invalid ind argument.")
/// and for a 0-d `a` (numpy raises `TypeError`); [`LinalgError::Shape`] naming the shape
/// when it is not square or is empty (numpy cannot reshape it);
/// [`LinalgError::Singular`], [`LinalgError::NonFinite`] as [`inv`].
///
/// ```
/// use lapis::{linalg, tensordot, Array};
/// # fn main() -> Result<(), lapis::LinalgError> {
/// // numpy: a = np.eye(24).reshape(4, 6, 8, 3); np.linalg.tensorinv(a, ind=2).shape
/// let a = Array::<f64>::eye(24).into_shape(&[4, 6, 8, 3])?;
/// let ainv = linalg::tensorinv(&a, 2)?;
/// assert_eq!(ainv.shape(), &[8, 3, 4, 6]);
/// // numpy: np.tensordot(ainv, a, 2) is the identity of shape (8, 3, 8, 3)
/// let id = tensordot(&ainv, &a, 2)?;
/// assert_eq!(id, Array::eye(24).into_shape(&[8, 3, 8, 3])?);
/// // numpy: np.linalg.tensorinv(np.ones((2, 3)), ind=1)  -> LinAlgError
/// assert!(linalg::tensorinv(&Array::<f64>::ones(&[2, 3]), 1).is_err());
/// # Ok(())
/// # }
/// ```
pub fn tensorinv<T, S>(a: &ArrayBase<S>, ind: usize) -> Result<Array<T>, LinalgError>
where
    T: Inexact,
    S: Data<Elem = T>,
{
    const OP: &str = "tensorinv";
    if ind == 0 {
        return Err(LinalgError::invalid(OP, "Invalid ind argument."));
    }
    if a.ndim() == 0 {
        return Err(LinalgError::invalid(
            OP,
            "a 0-d array has no axes to invert over",
        ));
    }
    let (head, tail) = a.shape().split_at(ind.min(a.ndim()));
    let n = checked_size(tail)?;
    if n == 0 || n.checked_mul(n) != Some(a.len()) {
        return Err(LinalgError::shape(
            OP,
            &[a.shape()],
            format!(
                "prod(a.shape[:ind]) = {} and prod(a.shape[ind:]) = {n} must be equal and non-zero (ind = {ind})",
                checked_size(head)?
            ),
        ));
    }
    let inv_shape: Vec<isize> = tail.iter().chain(head).map(|&d| d as isize).collect();
    let m = a.reshape(&[n as isize, n as isize])?;
    inv(&m)?.into_shape(&inv_shape)
}
