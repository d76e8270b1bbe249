//! `outer` and `kron`.

use super::gemm_new;
use crate::{Array, ArrayBase, Data, Inexact, LinalgError};

/// numpy's `np.outer(a, b)`: both inputs are flattened; `out[i, j] = a[i]·b[j]`.
///
/// ```
/// use lapis::{array, outer};
/// // numpy: np.outer([1., 2.], [1., 10., 100.])
/// let c = outer(&array![1., 2.], &array![1., 10., 100.]).unwrap();
/// assert_eq!(c, array![[1., 10., 100.], [2., 20., 200.]]);
/// ```
pub fn outer<T, S1, S2>(a: &ArrayBase<S1>, b: &ArrayBase<S2>) -> Result<Array<T>, LinalgError>
where
    T: Inexact,
    S1: Data<Elem = T>,
    S2: Data<Elem = T>,
{
    let (ra, rb) = (a.ravel(), b.ravel());
    let (m, n) = (ra.len() as isize, rb.len() as isize);
    let (ca, rb) = (ra.reshape(&[m, 1])?, rb.reshape(&[1, n])?);
    Ok(gemm_new(ca.mat_slice()?, rb.mat_slice()?))
}

/// numpy's `np.kron(a, b)`: the Kronecker product; the operand with fewer axes gets leading
/// axes of length 1, and axis `i` of the result has length `a.shape[i]·b.shape[i]`.
///
/// ```
/// use lapis::{array, kron};
/// // numpy: np.kron([[1., 2.], [3., 4.]], [[1., 1.]])
/// let c = kron(&array![[1., 2.], [3., 4.]], &array![[1., 1.]]).unwrap();
/// assert_eq!(c, array![[1., 1., 2., 2.], [3., 3., 4., 4.]]);
/// ```
pub fn kron<T, S1, S2>(a: &ArrayBase<S1>, b: &ArrayBase<S2>) -> Result<Array<T>, LinalgError>
where
    T: Inexact,
    S1: Data<Elem = T>,
    S2: Data<Elem = T>,
{
    let nd = a.ndim().max(b.ndim());
    let pad = |s: &[usize]| -> Vec<usize> {
        let mut v = vec![1usize; nd - s.len()];
        v.extend_from_slice(s);
        v
    };
    let (sa, sb) = (pad(a.shape()), pad(b.shape()));
    let o = outer(a, b)?;
    let both: Vec<isize> = sa.iter().chain(&sb).map(|&d| d as isize).collect();
    let o = o.into_shape(&both)?;
    let perm: Vec<usize> = (0..nd).flat_map(|i| [i, nd + i]).collect();
    let shape: Vec<isize> = sa
        .iter()
        .zip(&sb)
        .map(|(&x, &y)| (x * y) as isize)
        .collect();
    o.permute_axes(&perm)?.to_owned().into_shape(&shape)
}
