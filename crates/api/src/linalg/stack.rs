//! Running a function over a stack of matrices: numpy's "generalized ufunc" loop.
//!
//! An operand of shape `(…, m, n)` is a stack of `m × n` matrices over its leading axes.
//! [`Stack`] reads such an operand in place (any strides, broadcast leading axes with
//! stride 0) as one [`MatRef`] per matrix of the broadcast batch, in C order. [`for_each`]
//! calls a per-matrix closure over the batch with a reusable workspace per thread and
//! hands each call its own chunk of every output buffer; a large stack runs in parallel
//! (rayon, on the threads [`config::install`](crate::config::install) provides), a single
//! large matrix gets the parallelism itself. The first failure in batch order is the one
//! reported, whatever the scheduling.

use lapis_kernels::{MatRef, Par};
use rayon::prelude::*;

use crate::array::shape::{broadcast_shapes, broadcast_strides, checked_size, walk};
use crate::error::fmt_shape;
use crate::{ArrayBase, Data, Element, LinalgError};

/// Work (multiply–adds) of a stack below which it runs on one thread.
pub(crate) const PAR_WORK: usize = 1 << 16;

/// Work of one matrix above which it gets the threads itself (instead of the batch
/// being split across threads), when the batch is smaller than twice the thread count.
const BIG_ITEM: usize = 1 << 21;

/// One operand read as a stack of matrices over a (broadcast) batch shape.
#[derive(Debug)]
pub(crate) struct Stack<'a, T> {
    data: &'a [T],
    /// Rows of each matrix.
    pub(crate) rows: usize,
    /// Columns of each matrix.
    pub(crate) cols: usize,
    rs: isize,
    cs: isize,
    /// Storage offset of element `[0, 0]` of each matrix, batch in C order.
    offsets: Vec<usize>,
}

impl<'a, T: Element> Stack<'a, T> {
    /// `a` (at least 2-D) as matrices in its last two axes, its leading axes broadcast to
    /// `batch` (which the caller has checked they broadcast to).
    pub(crate) fn new<S: Data<Elem = T>>(a: &'a ArrayBase<S>, batch: &[usize]) -> Self {
        let nd = a.ndim();
        debug_assert!(nd >= 2);
        Self::from_layout(
            a.data.storage(),
            a.offset,
            (&a.shape[..nd - 2], &a.strides[..nd - 2]),
            (a.shape[nd - 2], a.shape[nd - 1]),
            (a.strides[nd - 2], a.strides[nd - 1]),
            batch,
        )
    }

    /// A 1-D `b` of length `m` as one `m × 1` column repeated over `batch` (numpy 2's
    /// vector right-hand side).
    pub(crate) fn column<S: Data<Elem = T>>(b: &'a ArrayBase<S>, batch: &[usize]) -> Self {
        debug_assert_eq!(b.ndim(), 1);
        Self::from_layout(
            b.data.storage(),
            b.offset,
            (&[], &[]),
            (b.shape[0], 1),
            (b.strides[0], 0),
            batch,
        )
    }

    /// The last axis of `v` (at least 1-D) as one `n × 1` column per matrix, its leading
    /// axes broadcast to `batch` (pivot vectors of a stack of factorizations).
    pub(crate) fn vectors<S: Data<Elem = T>>(v: &'a ArrayBase<S>, batch: &[usize]) -> Self {
        let nd = v.ndim();
        debug_assert!(nd >= 1);
        Self::from_layout(
            v.data.storage(),
            v.offset,
            (&v.shape[..nd - 1], &v.strides[..nd - 1]),
            (v.shape[nd - 1], 1),
            (v.strides[nd - 1], 0),
            batch,
        )
    }

    fn from_layout(
        data: &'a [T],
        offset: usize,
        (lead_shape, lead_strides): (&[usize], &[isize]),
        (rows, cols): (usize, usize),
        (rs, cs): (isize, isize),
        batch: &[usize],
    ) -> Self {
        let lead = broadcast_strides(lead_shape, lead_strides, batch)
            .expect("the caller checked that the leading axes broadcast");
        let mut offsets = Vec::with_capacity(batch.iter().product());
        walk(batch, [&lead], [offset], |[o]| offsets.push(o));
        Stack {
            data,
            rows,
            cols,
            rs,
            cs,
            offsets,
        }
    }

    /// The number of matrices.
    pub(crate) fn count(&self) -> usize {
        self.offsets.len()
    }

    /// Matrix `i` as a kernel view (no copy). Only for non-empty matrices.
    pub(crate) fn mat(&self, i: usize) -> MatRef<'a, T> {
        MatRef::from_slice_with_offset(
            self.data,
            self.offsets[i],
            self.rows,
            self.cols,
            self.rs,
            self.cs,
        )
        .expect("in bounds by the array's invariant")
    }

    /// Element `(r, c)` of matrix `i` (no bounds check beyond the slice's own).
    #[inline(always)]
    pub(crate) fn at(&self, i: usize, r: usize, c: usize) -> T {
        let o = self.offsets[i] as isize + r as isize * self.rs + c as isize * self.cs;
        self.data[o as usize]
    }

    /// The storage, each matrix's offset of element `[0, 0]` (batch in C order) and the
    /// row and column strides: the layout the batched kernels read in place.
    pub(crate) fn layout(&self) -> (&'a [T], &[usize], isize, isize) {
        (self.data, &self.offsets, self.rs, self.cs)
    }

    /// Copies matrix `i` into `dst` in column-major order (`dst.len() >= rows·cols`).
    pub(crate) fn copy_col_major(&self, i: usize, dst: &mut [T]) {
        let (m, n) = (self.rows, self.cols);
        if m == 0 || n == 0 {
            return;
        }
        let base = self.offsets[i] as isize;
        for c in 0..n {
            let col = &mut dst[c * m..(c + 1) * m];
            let mut o = base + c as isize * self.cs;
            for x in col.iter_mut() {
                *x = self.data[o as usize];
                o += self.rs;
            }
        }
    }

    /// Copies matrix `i` into `dst` in row-major (C) order.
    pub(crate) fn copy_row_major(&self, i: usize, dst: &mut [T]) {
        let (m, n) = (self.rows, self.cols);
        if m == 0 || n == 0 {
            return;
        }
        let base = self.offsets[i] as isize;
        for r in 0..m {
            let row = &mut dst[r * n..(r + 1) * n];
            let mut o = base + r as isize * self.rs;
            for x in row.iter_mut() {
                *x = self.data[o as usize];
                o += self.cs;
            }
        }
    }
}

impl<'a, T: crate::Inexact> Stack<'a, T> {
    /// A stack of a real element type as its part type (`T::Float` is `T` itself then): the
    /// same storage, no copy, for the real code path of a function generic over `Inexact`.
    /// Panics for a complex `T`.
    pub(crate) fn real(self) -> Stack<'a, T::Float> {
        assert!(!T::IS_COMPLEX, "Stack::real is for real element types");
        Stack {
            data: bytemuck::cast_slice(self.data),
            rows: self.rows,
            cols: self.cols,
            rs: self.rs,
            cs: self.cs,
            offsets: self.offsets,
        }
    }
}

/// numpy's `_assert_stacked_2d`: the batch shape and the matrix shape `(m, n)` of `a`.
pub(crate) fn stacked_2d<S: Data>(
    op: &'static str,
    a: &ArrayBase<S>,
) -> Result<(Vec<usize>, usize, usize), LinalgError> {
    let nd = a.ndim();
    if nd < 2 {
        return Err(LinalgError::shape(
            op,
            &[a.shape()],
            format!("{nd}-dimensional array given. Array must be at least two-dimensional"),
        ));
    }
    checked_size(a.shape())?;
    Ok((a.shape[..nd - 2].to_vec(), a.shape[nd - 2], a.shape[nd - 1]))
}

/// numpy's `_assert_stacked_2d` + `_assert_stacked_square`: the batch shape and `n`.
pub(crate) fn stacked_square<S: Data>(
    op: &'static str,
    a: &ArrayBase<S>,
) -> Result<(Vec<usize>, usize), LinalgError> {
    let (batch, m, n) = stacked_2d(op, a)?;
    if m != n {
        return Err(LinalgError::NotSquare {
            shape: a.shape().to_vec(),
        });
    }
    Ok((batch, n))
}

/// The shape of a two-operand call `f(a, b)` with `a` a stack of `n × n` matrices and `b` a
/// right-hand side under numpy 2's rule: `b` is one vector **only** when it is exactly 1-D
/// (then broadcast against every matrix of `a`); otherwise it is a stack `(…, n, k)` whose
/// leading axes broadcast against `a`'s. Returns `(batch, k, b_is_vector)`.
pub(crate) fn rhs_batch<S1: Data, S2: Data>(
    op: &'static str,
    a: &ArrayBase<S1>,
    a_batch: &[usize],
    n: usize,
    b: &ArrayBase<S2>,
) -> Result<(Vec<usize>, usize, bool), LinalgError> {
    let shapes: [&[usize]; 2] = [a.shape(), b.shape()];
    checked_size(b.shape())?;
    match b.ndim() {
        0 => Err(LinalgError::shape(
            op,
            &shapes,
            "the right-hand side must be at least 1-dimensional",
        )),
        1 => {
            if b.shape[0] != n {
                return Err(LinalgError::shape(
                    op,
                    &shapes,
                    format!(
                        "Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (m,m),(m)->(m) (size {} is different from {n})",
                        b.shape[0]
                    ),
                ));
            }
            Ok((a_batch.to_vec(), 1, true))
        }
        nd => {
            if b.shape[nd - 2] != n {
                return Err(LinalgError::shape(
                    op,
                    &shapes,
                    format!(
                        "Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (m,m),(m,n)->(m,n) (size {} is different from {n})",
                        b.shape[nd - 2]
                    ),
                ));
            }
            let batch = broadcast_shapes(a_batch, &b.shape[..nd - 2]).map_err(|_| {
                LinalgError::shape(
                    op,
                    &shapes,
                    format!(
                        "the stacks cannot be broadcast together: leading axes {} and {}",
                        fmt_shape(a_batch),
                        fmt_shape(&b.shape[..nd - 2])
                    ),
                )
            })?;
            Ok((batch, b.shape[nd - 1], false))
        }
    }
}

/// `batch + tail`, checked for overflow; returns the shape and its number of elements.
pub(crate) fn out_shape(
    batch: &[usize],
    tail: &[usize],
) -> Result<(Vec<usize>, usize), LinalgError> {
    let shape: Vec<usize> = batch.iter().chain(tail).copied().collect();
    let size = checked_size(&shape)?;
    Ok((shape, size))
}

/// Runs `f(i, outs_i, work, par)` for every matrix `i` of a stack of `count`.
///
/// `outs` are the output buffers with the number of elements each matrix owns in them;
/// `outs_i[j]` is matrix `i`'s chunk of buffer `j`. `work` is the multiply–adds of one
/// call (to decide on threads); `init` makes a workspace, once per thread. `par` is what
/// `f` may hand the kernels: the configured parallelism when the matrices run one after
/// the other, `Par::Seq` when the batch itself is split across threads.
///
/// Returns the values of `f` in batch order, or the error of the first matrix (in batch
/// order) that failed.
pub(crate) fn for_each<T, W, R, I, F>(
    count: usize,
    outs: Vec<(&mut [T], usize)>,
    work: usize,
    init: I,
    f: F,
) -> Result<Vec<R>, LinalgError>
where
    T: Send,
    R: Send,
    I: Fn() -> W + Sync + Send,
    F: Fn(usize, &mut [&mut [T]], &mut W, Par) -> Result<R, LinalgError> + Sync + Send,
{
    if count == 0 {
        return Ok(Vec::new());
    }
    let k = outs.len().max(1);
    let mut chunks: Vec<&mut [T]> = Vec::with_capacity(count * k);
    if outs.is_empty() {
        chunks.extend((0..count).map(|_| -> &mut [T] { &mut [] }));
    } else {
        let mut per: Vec<std::vec::IntoIter<&mut [T]>> = outs
            .into_iter()
            .map(|(buf, len)| {
                let v: Vec<&mut [T]> = if len == 0 {
                    (0..count).map(|_| -> &mut [T] { &mut [] }).collect()
                } else {
                    buf.chunks_mut(len).collect()
                };
                debug_assert_eq!(v.len(), count);
                v.into_iter()
            })
            .collect();
        for _ in 0..count {
            for it in per.iter_mut() {
                chunks.push(it.next().expect("one chunk per matrix"));
            }
        }
    }
    crate::config::install(|par| {
        let threads = par.degree();
        let split_batch = count > 1
            && par.is_parallel()
            && count.saturating_mul(work) >= PAR_WORK
            && (work < BIG_ITEM || count >= 2 * threads);
        if split_batch {
            let min_len = (PAR_WORK / work.max(1)).max(1);
            let results: Vec<Result<R, LinalgError>> = chunks
                .par_chunks_mut(k)
                .enumerate()
                .with_min_len(min_len)
                .map_init(&init, |w, (i, o)| f(i, o, w, Par::Seq))
                .collect();
            results.into_iter().collect()
        } else {
            let mut w = init();
            chunks
                .chunks_mut(k)
                .enumerate()
                .map(|(i, o)| f(i, o, &mut w, par))
                .collect()
        }
    })
}

/// Runs `f(i, out_i)` for every matrix `i` of a stack of `count` whose one output owns
/// `chunk > 0` elements per matrix: the loop for tiny matrices, in blocks of many
/// matrices per task and with no per-matrix allocation. The first failure in batch order
/// is returned.
pub(crate) fn for_each_tiny<T, F>(
    count: usize,
    out: &mut [T],
    chunk: usize,
    f: F,
) -> Result<(), LinalgError>
where
    T: Send,
    F: Fn(usize, &mut [T]) -> Result<(), LinalgError> + Sync + Send,
{
    for_each_tiny_block(count, out, chunk, |first, o| {
        for (j, c) in o.chunks_mut(chunk).enumerate() {
            f(first + j, c).map_err(|e| (first + j, e))?;
        }
        Ok(())
    })
}

/// [`for_each_tiny`] a block at a time: `f(first, out_block)` handles matrices
/// `first..first + out_block.len() / chunk` and reports its first failure with the
/// matrix's index. The first failure in batch order is returned.
pub(crate) fn for_each_tiny_block<T, F>(
    count: usize,
    out: &mut [T],
    chunk: usize,
    f: F,
) -> Result<(), LinalgError>
where
    T: Send,
    F: Fn(usize, &mut [T]) -> Result<(), (usize, LinalgError)> + Sync + Send,
{
    const BLOCK: usize = 512;
    if count == 0 || chunk == 0 {
        return Ok(());
    }
    let run_block = |(b, o): (usize, &mut [T])| f(b * BLOCK, o).err();
    let failed = crate::config::install(|par| {
        if par.is_parallel() && count > BLOCK {
            out.par_chunks_mut(chunk * BLOCK)
                .enumerate()
                .filter_map(run_block)
                .min_by_key(|(i, _)| *i)
        } else {
            out.chunks_mut(chunk * BLOCK)
                .enumerate()
                .find_map(run_block)
        }
    });
    match failed {
        Some((_, e)) => Err(e),
        None => Ok(()),
    }
}

/// A right-hand side `b` planned against a stack of `n × n` factors `a` (numpy 2's rule, see
/// [`rhs_batch`]): the broadcast batch, the result's shape, and `b` read as a stack.
#[derive(Debug)]
pub(crate) struct RhsPlan<'b, T> {
    /// The broadcast batch shape.
    pub(crate) batch: Vec<usize>,
    /// The order of the matrices.
    pub(crate) n: usize,
    /// Right-hand sides per matrix.
    pub(crate) k: usize,
    shape: Vec<usize>,
    size: usize,
    b: Stack<'b, T>,
}

impl<'b, T: Element> RhsPlan<'b, T> {
    /// Checks `a` (stacked square) against `b` and plans the result.
    pub(crate) fn new<S1: Data, S2: Data<Elem = T>>(
        op: &'static str,
        a: &ArrayBase<S1>,
        b: &'b ArrayBase<S2>,
    ) -> Result<Self, LinalgError> {
        let (a_batch, n) = stacked_square(op, a)?;
        let (batch, k, vector) = rhs_batch(op, a, &a_batch, n, b)?;
        let tail: &[usize] = if vector { &[n] } else { &[n, k] };
        let (shape, size) = out_shape(&batch, tail)?;
        let b = if vector {
            Stack::column(b, &batch)
        } else {
            Stack::new(b, &batch)
        };
        Ok(RhsPlan {
            batch,
            n,
            k,
            shape,
            size,
            b,
        })
    }

    /// Copies each right-hand side into the result (C order) and calls `f(i, x_i, work, par)`
    /// to overwrite it with the solution; `x_i` is the raw chunk (`n·k` elements, C order),
    /// which a caller may read as another element type (a complex chunk as its parts).
    /// `work` is made by `init` once per thread, `flops` is the work of one call.
    pub(crate) fn run_chunks<W, I, F>(
        self,
        flops: usize,
        init: I,
        f: F,
    ) -> Result<crate::Array<T>, LinalgError>
    where
        T: Send,
        I: Fn() -> W + Sync + Send,
        F: Fn(usize, &mut [T], &mut W, Par) -> Result<(), LinalgError> + Sync + Send,
    {
        let (n, k) = (self.n, self.k);
        let mut out = vec![T::default(); self.size];
        // Matrices are visited even with k = 0 (a singular factor is still reported);
        // nothing runs for an empty batch or n = 0.
        if n > 0 && self.b.count() > 0 {
            let sb = &self.b;
            for_each(
                sb.count(),
                vec![(&mut out[..], n * k)],
                flops,
                init,
                |i, o, w, par| {
                    let x = &mut *o[0];
                    sb.copy_row_major(i, x);
                    f(i, x, w, par)
                },
            )?;
        }
        crate::Array::from_shape_vec(&self.shape, out)
    }
}
