//! `multi_dot` with the optimal multiplication order.

use super::gemm_new;
use crate::array::ArrayBase;
use crate::error::fmt_shape;
use crate::{Array, ArrayView, Inexact, LinalgError};

/// numpy's `np.linalg.multi_dot(arrays)`: the product of a chain of matrices in the order
/// that needs the fewest multiply–adds (the classic O(n³) dynamic programme over the chain
/// dimensions). The first array may be 1-D (a row) and the last 1-D (a column); the added
/// axes are removed from the result, as numpy does. All others must be 2-D.
///
/// ```
/// use lapis::{multi_dot, Array};
/// // numpy: np.linalg.multi_dot([A, B, C]) with A (10, 100), B (100, 5), C (5, 50)
/// let a = Array::<f64>::ones(&[10, 100]);
/// let b = Array::<f64>::ones(&[100, 5]);
/// let c = Array::<f64>::ones(&[5, 50]);
/// let d = multi_dot(&[a.view(), b.view(), c.view()]).unwrap();
/// assert_eq!(d.shape(), &[10, 50]);
/// assert_eq!(d[[0, 0]], 500.0);
/// ```
pub fn multi_dot<T: Inexact>(arrays: &[ArrayView<'_, T>]) -> Result<Array<T>, LinalgError> {
    let n = arrays.len();
    if n < 2 {
        return Err(LinalgError::invalid(
            "multi_dot",
            "Expecting at least two arrays.",
        ));
    }
    let (first_vec, last_vec) = (arrays[0].ndim() == 1, arrays[n - 1].ndim() == 1);
    let mut mats: Vec<ArrayView<'_, T>> = Vec::with_capacity(n);
    for (i, a) in arrays.iter().enumerate() {
        let m = match a.ndim() {
            1 if i == 0 => {
                ArrayBase::from_parts(a.data, vec![1, a.shape[0]], vec![0, a.strides[0]], a.offset)
            }
            1 if i == n - 1 => {
                ArrayBase::from_parts(a.data, vec![a.shape[0], 1], vec![a.strides[0], 0], a.offset)
            }
            2 => a.view(),
            d => {
                return Err(LinalgError::invalid(
                    "multi_dot",
                    format!(
                        "{d}-dimensional array given (array {i}). Array must be two-dimensional"
                    ),
                ));
            }
        };
        mats.push(m);
    }
    for i in 0..n - 1 {
        if mats[i].shape[1] != mats[i + 1].shape[0] {
            return Err(LinalgError::shape(
                "multi_dot",
                &[arrays[i].shape(), arrays[i + 1].shape()],
                format!(
                    "shapes {} (array {i}) and {} (array {}) not aligned: {} != {}",
                    fmt_shape(arrays[i].shape()),
                    fmt_shape(arrays[i + 1].shape()),
                    i + 1,
                    mats[i].shape[1],
                    mats[i + 1].shape[0]
                ),
            ));
        }
    }
    let dims: Vec<usize> = std::iter::once(mats[0].shape[0])
        .chain(mats.iter().map(|m| m.shape[1]))
        .collect();
    let split = chain_order(&dims);
    let mut out = product(&mats, &split, 0, n - 1);
    let mut shape = vec![];
    if !first_vec {
        shape.push(dims[0]);
    }
    if !last_vec {
        shape.push(dims[n]);
    }
    out.strides = crate::array::shape::c_strides(&shape);
    out.shape = shape;
    Ok(out)
}

/// `split[i][j]`: where the optimal parenthesisation of matrices `i..=j` splits, for the
/// chain with dimensions `dims` (matrix `i` is `dims[i] × dims[i + 1]`).
pub(crate) fn chain_order(dims: &[usize]) -> Vec<Vec<usize>> {
    let n = dims.len() - 1;
    let mut cost = vec![vec![0u128; n]; n];
    let mut split = vec![vec![0usize; n]; n];
    for len in 1..n {
        for i in 0..n - len {
            let j = i + len;
            cost[i][j] = u128::MAX;
            for k in i..j {
                let c = cost[i][k] + cost[k + 1][j] + (dims[i] * dims[k + 1] * dims[j + 1]) as u128;
                if c < cost[i][j] {
                    cost[i][j] = c;
                    split[i][j] = k;
                }
            }
        }
    }
    split
}

/// One operand of the chain: an input view or an intermediate product.
enum Operand<'a, T> {
    Input(&'a ArrayView<'a, T>),
    Product(Array<T>),
}

fn operand<'a, T: Inexact>(
    mats: &'a [ArrayView<'a, T>],
    split: &[Vec<usize>],
    i: usize,
    j: usize,
) -> Operand<'a, T> {
    if i == j {
        Operand::Input(&mats[i])
    } else {
        Operand::Product(product(mats, split, i, j))
    }
}

fn product<'a, T: Inexact>(
    mats: &'a [ArrayView<'a, T>],
    split: &[Vec<usize>],
    i: usize,
    j: usize,
) -> Array<T> {
    let k = split[i][j];
    let (l, r) = (operand(mats, split, i, k), operand(mats, split, k + 1, j));
    let lv = match &l {
        Operand::Input(v) => (*v).view(),
        Operand::Product(p) => p.view(),
    };
    let rv = match &r {
        Operand::Input(v) => (*v).view(),
        Operand::Product(p) => p.view(),
    };
    gemm_new(lv.mat_slice().expect("2-D"), rv.mat_slice().expect("2-D"))
}

#[cfg(test)]
mod tests {
    use super::chain_order;

    #[test]
    fn textbook_chain() {
        // CLRS 15.2: dims 30,35,15,5,10,20,25 -> ((A1(A2A3))((A4A5)A6)), split at 2 (0-based)
        let s = chain_order(&[30, 35, 15, 5, 10, 20, 25]);
        assert_eq!(s[0][5], 2);
        assert_eq!(s[0][2], 0);
        assert_eq!(s[3][5], 4);
        // numpy docs: A (10,100), B (100,5), C (5,50): (AB)C
        assert_eq!(chain_order(&[10, 100, 5, 50])[0][2], 1);
    }
}
