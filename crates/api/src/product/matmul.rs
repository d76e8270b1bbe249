//! `matmul`: numpy's `np.matmul` / `a @ b`.

use lapis_kernels::Par;
use rayon::prelude::*;

use super::{MatSlice, PAR_WORK, gemm_into, gemm_new};
use crate::array::shape::{broadcast_shapes, broadcast_strides, walk};
use crate::{Array, ArrayBase, ArrayView, Data, Inexact, LinalgError};

const SIGNATURE: &str = "with gufunc signature (n?,k),(k,m?)->(n?,m?)";

/// The matrix product with numpy's rules (numpy's `np.matmul(a, b)`, `a @ b`):
///
/// * 2-D · 2-D is the matrix product;
/// * a 1-D `a` is promoted to a row `(1, k)`, a 1-D `b` to a column `(k, 1)`, and the
///   added axis is removed from the result (1-D · 1-D is a 0-d inner product);
/// * N-D operands are stacks of matrices in the last two axes; the leading (batch) axes
///   broadcast against each other;
/// * 0-d operands are an error (use `*`).
///
/// Errors name both shapes: a core-dimension mismatch reads like numpy's
/// `"matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature
/// (n?,k),(k,m?)->(n?,m?) (size 4 is different from 3)"`.
///
/// Any strides are read in place. Stacks loop over the batch with no per-matrix allocation,
/// in parallel (rayon) when the total work is large.
///
/// ```
/// use lapis::{array, matmul, Array};
/// // numpy: np.matmul([[1., 2.], [3., 4.]], [5., 6.])  -> shape (2,)
/// let a = array![[1., 2.], [3., 4.]];
/// assert_eq!(matmul(&a, &array![5., 6.]).unwrap(), array![17., 39.]);
/// // numpy: np.matmul(np.ones((5, 1, 2, 3)), np.ones((4, 3, 2))).shape  -> (5, 4, 2, 2)
/// let c = matmul(&Array::<f64>::ones(&[5, 1, 2, 3]), &Array::<f64>::ones(&[4, 3, 2])).unwrap();
/// assert_eq!(c.shape(), &[5, 4, 2, 2]);
/// assert!(matmul(&a, &Array::<f64>::ones(&[3])).is_err());
/// ```
pub fn matmul<T, S1, S2>(a: &ArrayBase<S1>, b: &ArrayBase<S2>) -> Result<Array<T>, LinalgError>
where
    T: Inexact,
    S1: Data<Elem = T>,
    S2: Data<Elem = T>,
{
    for (i, x) in [a.shape(), b.shape()].iter().enumerate() {
        if x.is_empty() {
            return Err(LinalgError::shape(
                "matmul",
                &[a.shape(), b.shape()],
                format!(
                    "Input operand {i} does not have enough dimensions (has 0, gufunc core {SIGNATURE} requires 1)"
                ),
            ));
        }
    }
    let (a_vec, b_vec) = (a.ndim() == 1, b.ndim() == 1);
    let av = promote(a.view(), true);
    let bv = promote(b.view(), false);
    let (an, bn) = (av.ndim(), bv.ndim());
    let (n, k) = (av.shape()[an - 2], av.shape()[an - 1]);
    let (k2, m) = (bv.shape()[bn - 2], bv.shape()[bn - 1]);
    if k != k2 {
        return Err(LinalgError::shape(
            "matmul",
            &[a.shape(), b.shape()],
            format!(
                "Input operand 1 has a mismatch in its core dimension 0, {SIGNATURE} (size {k2} is different from {k})"
            ),
        ));
    }
    let batch = broadcast_shapes(&av.shape()[..an - 2], &bv.shape()[..bn - 2]).map_err(|_| {
        LinalgError::shape(
            "matmul",
            &[a.shape(), b.shape()],
            format!(
                "operands could not be broadcast together: batch dimensions {} and {}",
                crate::error::fmt_shape(&av.shape()[..an - 2]),
                crate::error::fmt_shape(&bv.shape()[..bn - 2])
            ),
        )
    })?;
    let mut out = if batch.is_empty() {
        gemm_new(av.mat_slice()?, bv.mat_slice()?)
    } else {
        batched(&av, &bv, &batch, n, k, m)
    };
    let mut shape = batch;
    if !a_vec {
        shape.push(n);
    }
    if !b_vec {
        shape.push(m);
    }
    out.shape = shape;
    out.strides = crate::array::shape::c_strides(&out.shape);
    Ok(out)
}

/// A 1-D operand as a matrix: a row for the left operand, a column for the right one.
fn promote<T: Inexact>(v: ArrayView<'_, T>, left: bool) -> ArrayView<'_, T> {
    if v.ndim() != 1 {
        return v;
    }
    let (n, s) = (v.shape[0], v.strides[0]);
    let (shape, strides) = if left {
        (vec![1, n], vec![0, s])
    } else {
        (vec![n, 1], vec![s, 0])
    };
    ArrayBase::from_parts(v.data, shape, strides, v.offset)
}

/// A stack of `n × k` by `k × m` products over the broadcast `batch` shape.
fn batched<T: Inexact>(
    a: &ArrayView<'_, T>,
    b: &ArrayView<'_, T>,
    batch: &[usize],
    n: usize,
    k: usize,
    m: usize,
) -> Array<T> {
    let (an, bn) = (a.ndim(), b.ndim());
    let count: usize = batch.iter().product();
    let mut out = Array::<T>::zeros(&[count * n * m]);
    if count == 0 || n == 0 || m == 0 || k == 0 {
        return out;
    }
    let sa = broadcast_strides(&a.shape[..an - 2], &a.strides[..an - 2], batch)
        .expect("broadcast checked");
    let sb = broadcast_strides(&b.shape[..bn - 2], &b.strides[..bn - 2], batch)
        .expect("broadcast checked");
    let mut offsets = Vec::with_capacity(count);
    walk(batch, [&sa, &sb], [a.offset, b.offset], |o| offsets.push(o));
    let (ars, acs) = (a.strides[an - 2], a.strides[an - 1]);
    let (brs, bcs) = (b.strides[bn - 2], b.strides[bn - 1]);
    let (ad, bd) = (a.data, b.data);
    let product = |(c, &[oa, ob]): (&mut [T], &[usize; 2])| {
        // In bounds: every offset came from walking the broadcast batch of valid views.
        let am = MatSlice {
            data: ad,
            offset: oa,
            nrows: n,
            ncols: k,
            row_stride: ars,
            col_stride: acs,
        };
        let bm = MatSlice {
            data: bd,
            offset: ob,
            nrows: k,
            ncols: m,
            row_stride: brs,
            col_stride: bcs,
        };
        gemm_into(am, bm, c, Par::Seq);
    };
    let chunk = n * m;
    let work = count.saturating_mul(n * m * k);
    if work >= PAR_WORK && count > 1 && crate::config::par().is_parallel() {
        let min_len = (PAR_WORK / (n * m * k).max(1)).max(1);
        // Runs on `config::num_threads()` threads (see `config::install`).
        crate::config::install(|_| {
            out.data
                .par_chunks_mut(chunk)
                .zip(offsets.par_iter())
                .with_min_len(min_len)
                .for_each(product)
        });
    } else {
        out.data
            .chunks_mut(chunk)
            .zip(offsets.iter())
            .for_each(product);
    }
    out
}
