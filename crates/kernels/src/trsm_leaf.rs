//! The base case of [`trsm`](crate::trsm): a lower triangle of order at most
//! [`NB`](crate::trsm::NB) against right-hand sides stored as rows of unit stride.
//!
//! A block of `W` columns of the right-hand sides is solved row by row with the row held in
//! registers: row `i` is loaded once, receives `i` fused multiply-adds from the rows already
//! solved (read from L1) and is stored once. Calling a vector `axpy` per element of the
//! triangle instead loads and stores the row `i` times and pays a call each time.
//!
//! One generic body serves every ISA: it is compiled inside `#[target_feature]` wrappers,
//! where its fixed-length array loops become the ISA's vector instructions.

#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
use crate::Isa;
use crate::scalar::mul_add_if;
use crate::{Scalar, arch};

/// How the diagonal of the triangle enters the solve.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum DiagOp {
    /// Unit diagonal: nothing to divide by.
    Unit,
    /// Multiply row `i` by `s[i]` (the reciprocals of a normal, finite diagonal).
    Mul,
    /// Divide row `i` by `s[i]` (any diagonal: IEEE division keeps `0`, subnormal and
    /// non-finite pivots exact where a reciprocal would overflow).
    Div,
}

/// A lower triangle of order `n`, row by row: `t[i·n + k]` is `T(i, k)` for `k < i`; `s` and
/// `op` say what to do with the diagonal.
pub(crate) struct Lower<'a, T> {
    pub(crate) n: usize,
    pub(crate) t: &'a [T],
    pub(crate) s: &'a [T],
    pub(crate) op: DiagOp,
}

/// Largest triangle the tail buffer is sized for (the order of `trsm`'s base case).
const MAX_N: usize = crate::trsm::NB;
/// Columns of one vector in the widest instantiation (f32 on AVX-512).
const MAX_V: usize = 16;

/// Solves `L·X = B` in place for the `n × m` right-hand sides `B(i, j)` at `b + i·rs_b + j`.
///
/// # Safety
/// `l.n ≤ NB`, `l.t` holds `n²` and `l.s` `n` elements (unless `op` is `Unit`), and every
/// `B(i, j)` with `i < n`, `j < m` is valid for reads and writes.
pub(crate) unsafe fn solve_rows<T: Scalar>(l: &Lower<'_, T>, m: usize, b: *mut T, rs_b: isize) {
    debug_assert!(l.n <= MAX_N && l.t.len() >= l.n * l.n);
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    let wide = core::mem::size_of::<T>() <= 4;
    // SAFETY: arch() reports only ISAs this CPU supports; the rest is the caller's contract.
    unsafe {
        match arch() {
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 if wide => avx512::<T, 64, 16>(l, m, b, rs_b),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => avx512::<T, 32, 8>(l, m, b, rs_b),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 if wide => avx2::<T, 32, 8>(l, m, b, rs_b),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => avx2::<T, 16, 4>(l, m, b, rs_b),
            #[cfg(target_arch = "aarch64")]
            Isa::Neon if wide => neon::<T, 16, 4>(l, m, b, rs_b),
            #[cfg(target_arch = "aarch64")]
            Isa::Neon => neon::<T, 8, 2>(l, m, b, rs_b),
            _ => body::<T, 8, 2, false>(l, m, b, rs_b),
        }
    }
}

/// # Safety
/// The CPU supports AVX-512F; [`solve_rows`]'s contract.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx2,fma")]
unsafe fn avx512<T: Scalar, const W: usize, const V: usize>(
    l: &Lower<'_, T>,
    m: usize,
    b: *mut T,
    rs_b: isize,
) {
    // SAFETY: forwarded contract.
    unsafe { body::<T, W, V, true>(l, m, b, rs_b) }
}

/// # Safety
/// The CPU supports AVX2 and FMA; [`solve_rows`]'s contract.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn avx2<T: Scalar, const W: usize, const V: usize>(
    l: &Lower<'_, T>,
    m: usize,
    b: *mut T,
    rs_b: isize,
) {
    // SAFETY: forwarded contract.
    unsafe { body::<T, W, V, true>(l, m, b, rs_b) }
}

/// # Safety
/// The CPU supports NEON; [`solve_rows`]'s contract.
#[cfg(target_arch = "aarch64")]
#[target_feature(enable = "neon")]
unsafe fn neon<T: Scalar, const W: usize, const V: usize>(
    l: &Lower<'_, T>,
    m: usize,
    b: *mut T,
    rs_b: isize,
) {
    // SAFETY: forwarded contract.
    unsafe { body::<T, W, V, true>(l, m, b, rs_b) }
}

/// Full blocks of `W` columns (four vectors of `V`) in place, then the rest.
///
/// # Safety
/// [`solve_rows`]'s contract; `V ≤ MAX_V`.
#[inline(always)]
unsafe fn body<T: Scalar, const W: usize, const V: usize, const FMA: bool>(
    l: &Lower<'_, T>,
    m: usize,
    b: *mut T,
    rs_b: isize,
) {
    let n = l.n;
    let mut j0 = 0;
    while j0 + W <= m {
        // SAFETY: columns j0..j0+W of rows 0..n are inside B.
        unsafe { block::<T, W, FMA>(l, b.add(j0), rs_b) };
        j0 += W;
    }
    // What is left (fewer than W columns) goes one vector (V = W/4 columns) at a time, the
    // last partial vector through a zero-padded copy, so that the block loop has no tail and
    // a narrow B does not pay for a full block of padding.
    while j0 + V <= m {
        // SAFETY: columns j0..j0+W/4 of rows 0..n are inside B.
        unsafe { block::<T, V, FMA>(l, b.add(j0), rs_b) };
        j0 += V;
    }
    if j0 == m {
        return;
    }
    let (w, v) = (m - j0, V);
    let mut tmp = [T::zero(); MAX_N * MAX_V];
    for i in 0..n {
        // SAFETY: row i, columns j0..m are inside B; tmp row i has v ≥ w elements.
        unsafe {
            core::ptr::copy_nonoverlapping(
                b.offset(i as isize * rs_b).add(j0),
                tmp.as_mut_ptr().add(i * v),
                w,
            )
        };
    }
    // SAFETY: tmp holds n rows of v elements at stride v (n·v ≤ MAX_N·MAX_V).
    unsafe { block::<T, V, FMA>(l, tmp.as_mut_ptr(), v as isize) };
    for i in 0..n {
        // SAFETY: as for the copy in.
        unsafe {
            core::ptr::copy_nonoverlapping(
                tmp.as_ptr().add(i * v),
                b.offset(i as isize * rs_b).add(j0),
                w,
            )
        };
    }
}

/// One block of `W` columns: row `i` gathers its updates in two accumulators (even and odd
/// `k`), so that twice as many independent FMA chains hide the FMA latency.
///
/// # Safety
/// Every `B(i, j)` with `i < n`, `j < W` at `b + i·rs_b + j` is valid for reads and writes.
#[inline(always)]
unsafe fn block<T: Scalar, const W: usize, const FMA: bool>(
    l: &Lower<'_, T>,
    b: *mut T,
    rs_b: isize,
) {
    let n = l.n;
    let row = |i: usize| b.wrapping_offset(i as isize * rs_b) as *mut [T; W];
    for i in 0..n {
        let ti = &l.t[i * n..i * n + i];
        // SAFETY: rows 0..=i of the block are valid (caller) and [T; W] has T's alignment.
        let mut acc0 = unsafe { *row(i) };
        let mut acc1 = [T::zero(); W];
        let mut k = 0;
        while k + 1 < i {
            // SAFETY: as above; rows k, k + 1 < i are distinct from row i.
            let (x0, x1) = unsafe { (&*row(k), &*row(k + 1)) };
            let (a0, a1) = (-ti[k], -ti[k + 1]);
            for c in 0..W {
                acc0[c] = mul_add_if::<T, FMA>(a0, x0[c], acc0[c]);
                acc1[c] = mul_add_if::<T, FMA>(a1, x1[c], acc1[c]);
            }
            k += 2;
        }
        if k < i {
            // SAFETY: as above.
            let x0 = unsafe { &*row(k) };
            let a0 = -ti[k];
            for c in 0..W {
                acc0[c] = mul_add_if::<T, FMA>(a0, x0[c], acc0[c]);
            }
        }
        // One pass from the two accumulators to a fresh row: summing into `acc0` and then
        // scaling it in place compiled (AVX-512, f64) to lane shuffles and half-width
        // multiplies that took half of the leaf's time; this form stays whole vectors, and
        // the 16 × 872 leaf of Cholesky's panel solve went from 24 to 31 GF/s.
        let mut out = [T::zero(); W];
        match l.op {
            DiagOp::Unit => (0..W).for_each(|c| out[c] = acc0[c] + acc1[c]),
            DiagOp::Mul => {
                let s = l.s[i];
                (0..W).for_each(|c| out[c] = (acc0[c] + acc1[c]) * s);
            }
            DiagOp::Div => {
                let s = l.s[i];
                (0..W).for_each(|c| out[c] = (acc0[c] + acc1[c]) / s);
            }
        }
        // SAFETY: as above.
        unsafe { *row(i) = out };
    }
}
