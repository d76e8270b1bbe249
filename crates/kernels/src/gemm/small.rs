//! Small and medium products: no heap, no threads, no cache blocking.
//!
//! At these sizes the cost is call overhead and copying, not bandwidth. Where the ISA has a
//! no-packing kernel and A and C have unit-stride columns (every dense layout after the
//! row-major transpose), nothing is packed, up to medium sizes whose operands sit in L1/L2.
//! Otherwise, for `m, n, k ≤ SMALL`, the operands are packed into stack buffers in one go and
//! the microkernel sweeps the tiles directly.

use core::mem::MaybeUninit;

use super::kernel::{KernelTable, Small, TINY_MAX_N};
use super::pack::{pack_a, pack_b, packed_a_len, packed_b_len};
use crate::{MatMut, MatRef, Scalar};

/// Largest `m`, `n` and `k` the stack-packed small path takes.
pub(crate) const SMALL: usize = 32;

/// `C ← α·A·B + β·C` by the ISA's no-packing kernel, when it has one, A and C have unit-stride
/// columns (every dense layout once a row-major C is transposed), and the operands are small
/// enough to be read in place. Returns `c` back when the product is not for this path.
#[inline]
pub(crate) fn try_gemm_unpacked<'c, T: Scalar>(
    table: &KernelTable<T>,
    alpha: T,
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    beta: T,
    c: MatMut<'c, T>,
) -> Option<MatMut<'c, T>> {
    let (m, n, k) = (c.nrows(), c.ncols(), a.ncols());
    let Some(small) = &table.small else {
        return Some(c);
    };
    let small_enough = (m <= SMALL && n <= SMALL && k <= SMALL)
        || (k <= small.max_k && m.saturating_mul(n).saturating_mul(k) <= small.max_work);
    if !small_enough || a.row_stride() != 1 || c.row_stride() != 1 || m == 0 || n == 0 {
        return Some(c);
    }
    run_kernel(small, alpha, a, b, beta, c);
    None
}

/// `C ← α·A·B + β·C` by the no-packing kernel `small`, in one call: A and C must have
/// unit-stride columns (panics otherwise) and be non-empty; B any strides. Products of one
/// vector of rows and at most [`TINY_MAX_N`] columns go to the kernel for their column count.
#[inline]
pub(crate) fn run_kernel<T: Scalar>(
    small: &Small<T>,
    alpha: T,
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    beta: T,
    mut c: MatMut<'_, T>,
) {
    let (m, n, k) = (c.nrows(), c.ncols(), a.ncols());
    assert!(
        a.row_stride() == 1 && c.row_stride() == 1 && m > 0 && n > 0,
        "the no-packing kernel needs non-empty A and C with unit-stride columns"
    );
    let (cs_c, p) = (c.col_stride(), c.as_mut_ptr());
    let kernel = if m <= small.tiny_max_m && n <= TINY_MAX_N {
        small.tiny[n - 1]
    } else {
        small.kernel
    };
    // SAFETY: m, n ≥ 1 and A and C have unit row stride, as the kernel requires (asserted),
    // and a tiny kernel gets m ≤ tiny_max_m rows and the n columns it is for; every element
    // of the three views is valid (safe construction); the table's ISA is supported (checked
    // when it was selected).
    unsafe {
        kernel(
            m,
            n,
            k,
            alpha,
            a.as_ptr(),
            a.col_stride(),
            b.as_ptr(),
            b.row_stride(),
            b.col_stride(),
            beta,
            p,
            cs_c,
        )
    };
}

/// Stack elements per operand: enough for `⌈32/48⌉·48 × 32` (the widest register block).
const BUF: usize = 48 * SMALL;

/// `C ← α·A·B + β·C` for `m, n, k ≤ SMALL` through stack-packed panels.
pub(crate) fn gemm_small<T: Scalar>(
    table: &KernelTable<T>,
    alpha: T,
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    beta: T,
    mut c: MatMut<'_, T>,
) {
    let (m, n, k) = (c.nrows(), c.ncols(), a.ncols());
    debug_assert!(m <= SMALL && n <= SMALL && k <= SMALL);
    let (mr, nr) = (table.mr, table.nr);
    assert!(packed_a_len(m, k, mr) <= BUF && packed_b_len(k, n, nr) <= BUF);
    let mut abuf = [const { MaybeUninit::<T>::uninit() }; BUF];
    let mut bbuf = [const { MaybeUninit::<T>::uninit() }; BUF];
    let (ap, bp) = (abuf.as_mut_ptr() as *mut T, bbuf.as_mut_ptr() as *mut T);
    // SAFETY: both buffers hold BUF elements, at least the packed lengths (asserted above);
    // the kernel reads only what packing wrote.
    unsafe {
        pack_a(a, mr, ap);
        pack_b(b, nr, bp);
    }
    let (rs_c, cs_c) = (c.row_stride(), c.col_stride());
    for j0 in (0..n).step_by(nr) {
        for i0 in (0..m).step_by(mr) {
            // SAFETY: (i0, j0) is inside C and the kernel writes only its min(mr, m-i0) ×
            // min(nr, n-j0) block; the packed panels at i0·k and j0·k hold mr·k and k·nr
            // elements; the table's ISA is supported (checked when it was selected).
            unsafe {
                (table.kernel)(
                    k,
                    alpha,
                    ap.add(i0 * k),
                    bp.add(j0 * k),
                    beta,
                    c.ptr_at_mut(i0, j0),
                    rs_c,
                    cs_c,
                    mr.min(m - i0),
                    nr.min(n - j0),
                );
            }
        }
    }
}
