//! The Goto/BLIS loop nest: JC → PC → pack B → IC → pack A → JR → IR → microkernel.
//!
//! Written once for every ISA; the kernel table supplies the register block and the
//! microkernel. Parallel runs split C into a `tm × tn` grid of tasks per (JC, PC) step, in one
//! fork-join: the threads pack B together, then every task packs its own rows of A and sweeps
//! its columns.

use super::kernel::KernelTable;
use super::pack::{pack_a, pack_b, packed_a_len, packed_b_len};
use super::params::blocking;
use crate::buffer::{Scratch, with_scratch};
use crate::{MatMut, MatRef, Par, Scalar};

/// A raw pointer that may cross threads: the tasks it goes to write disjoint parts of C.
#[derive(Copy, Clone)]
pub(crate) struct SendPtr<T>(pub(crate) *mut T);
// SAFETY: only used to hand disjoint blocks of one MatMut (or disjoint B panels, or a packed
// block written before the fork and only read by the tasks) to tasks of one fork-join; the
// borrow it comes from outlives the join.
unsafe impl<T> Send for SendPtr<T> {}
// SAFETY: as above.
unsafe impl<T> Sync for SendPtr<T> {}

impl<T> SendPtr<T> {
    // A method, not field access: closures must capture the whole (Send) wrapper.
    #[inline(always)]
    pub(crate) fn get(self) -> *mut T {
        self.0
    }
}

/// Below this many multiply-adds per task (~10-20 µs of one core), waking threads and a
/// fork-join per (JC, PC) step cost more than they save.
///
/// It was 2²¹ while each step forked twice through `rayon::scope` (then 64³ on two threads ran
/// at a fifth of the sequential speed with 2¹⁷). With one fork per step and the caller working
/// (`one_fork`), two threads at 2¹⁹ against 2²¹ (Zen 3, in-process interleaved best of 60,
/// time): f64 130³ 0.58-0.63, 64 × 64 × 256 0.70, 48 × 48 × 512 0.71-0.75, 200 × 200 × 64
/// 0.60-0.71; f32 130³ 0.59-0.61, 64 × 64 × 256 0.72-0.79; the short path f64 32 × 500 × 200
/// 0.56-0.93, 16 × 800 × 300 0.67-0.69. 2¹⁸ gained no more.
pub(crate) const MIN_FLOPS_PER_TASK: usize = 1 << 19;

/// How many tasks, and their `tm × tn` grid, for an `m × n × k` product.
fn task_grid(m: usize, n: usize, k: usize, mr: usize, nr: usize, par: Par) -> (usize, usize) {
    let work = m.saturating_mul(n).saturating_mul(k);
    let max_tasks = par
        .degree()
        .min(work / MIN_FLOPS_PER_TASK)
        .min(m.div_ceil(mr) * n.div_ceil(nr))
        .max(1);
    // Among the factorizations tm·tn = t, pick the one giving the squarest task blocks.
    let mut best = (1, 1);
    let mut best_score = f64::INFINITY;
    for t in (1..=max_tasks).rev() {
        for tm in 1..=t {
            if t % tm != 0 {
                continue;
            }
            let tn = t / tm;
            if tm > m.div_ceil(mr) || tn > n.div_ceil(nr) {
                continue;
            }
            let ratio = (m as f64 / tm as f64) / (n as f64 / tn as f64);
            let score = ratio.ln().abs();
            if score < best_score {
                best_score = score;
                best = (tm, tn);
            }
        }
        if best_score.is_finite() {
            break;
        }
    }
    best
}

/// The part `[lo, hi)` of `0..len` that task `t` of `parts` gets, aligned to `align`.
fn share(len: usize, parts: usize, t: usize, align: usize) -> (usize, usize) {
    let units = len.div_ceil(align);
    let lo = (units * t / parts * align).min(len);
    let hi = (units * (t + 1) / parts * align).min(len);
    (lo, hi)
}

/// `C ← α·A·B + β·C` through packing and the microkernel. Shapes are already checked.
pub(crate) fn gemm_blocked<T: Scalar>(
    table: &KernelTable<T>,
    alpha: T,
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    beta: T,
    mut c: MatMut<'_, T>,
    par: Par,
) {
    let (m, n, k) = (c.nrows(), c.ncols(), a.ncols());
    let (mr, nr) = (table.mr, table.nr);
    let bl = blocking(size_of::<T>(), mr, nr);
    let (tm, tn) = task_grid(m, n, k, mr, nr, par);
    let tasks = tm * tn;

    let nc_max = bl.nc.min(n.div_ceil(nr) * nr);
    let kc_blk = bl.kc_for_depth(k);
    let kc_max = kc_blk.min(k);
    let (rs_c, cs_c) = (c.row_stride(), c.col_stride());
    let c_ptr = SendPtr(c.as_mut_ptr());
    with_scratch::<T, ()>(Scratch::PackB, packed_b_len(kc_max, nc_max, nr), |bbuf| {
        for jc in (0..n).step_by(bl.nc) {
            let nc = bl.nc.min(n - jc);
            for pc in (0..k).step_by(kc_blk) {
                let kc = kc_blk.min(k - pc);
                let mc = bl.mc_for_depth(kc, size_of::<T>(), mr);
                let beta_eff = if pc == 0 { beta } else { T::one() };
                let b_blk = b.submatrix(pc, jc, kc, nc);
                let panels = nc.div_ceil(nr);
                let b_ptr = SendPtr(bbuf.as_mut_ptr());
                let pack_panels = |lo: usize, hi: usize| {
                    if lo < hi {
                        let cols = (hi * nr).min(nc) - lo * nr;
                        // SAFETY: panels [lo, hi) occupy elements [lo·nr·kc, hi·nr·kc) of bbuf,
                        // which holds packed_b_len(kc, nc) elements; tasks get disjoint ranges.
                        unsafe {
                            pack_b(
                                b_blk.submatrix(0, lo * nr, kc, cols),
                                nr,
                                b_ptr.get().add(lo * nr * kc),
                            )
                        }
                    }
                };
                let run_task = |t: usize| {
                    let (ti, tj) = (t / tn, t % tn);
                    let (m0, m1) = share(m, tm, ti, mr);
                    let (p0, p1) = share(panels, tn, tj, 1);
                    // SAFETY: task (ti, tj) writes only rows [m0, m1) × columns of panels
                    // [p0, p1) of this JC block; the grid partitions C, so tasks never overlap.
                    unsafe {
                        macro_kernel(
                            table, alpha, a, beta_eff, c_ptr, rs_c, cs_c, m0, m1, jc, nc, pc, kc,
                            p0, p1, b_ptr, mc,
                        )
                    }
                };
                if tasks == 1 {
                    pack_panels(0, panels);
                    run_task(0);
                } else {
                    one_fork(tasks, panels, &pack_panels, &run_task);
                }
            }
        }
    });
}

/// Runs one (JC, PC) step on `tasks` threads in one fork-join: the threads pack the B
/// panels in up to `tasks` pieces, wait until every piece is packed, then run the tasks.
///
/// Pieces and tasks go to whichever thread claims them first (an atomic counter each), so no
/// thread ever waits for one that has not started: a piece is only waited for once a running
/// thread has claimed it. When the pool is busy or smaller than `tasks`, the threads that do
/// run take every piece and every task between them.
///
/// Against a fork-join to pack B and another to run the tasks, both with `rayon::scope`
/// (Zen 3, two threads, in-process interleaved best of 60): f32 2048 × 64 × 64 0.56-0.82 of
/// the time, 4096 × 32 × 32 0.56-0.70, 256³ 0.79-0.95; f64 2048 × 64 × 64 0.86-0.87,
/// 4096 × 32 × 32 0.66-0.74, 256³ 0.93-0.97; 1024³ f64 0.99, f32 0.84 and 1.03 (noise).
fn one_fork(
    tasks: usize,
    panels: usize,
    pack_panels: &(dyn Fn(usize, usize) + Sync),
    run_task: &(dyn Fn(usize) + Sync),
) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    /// Counts a piece as packed when its packing ends, even by a panic, so that no thread
    /// waits for it forever (the scope then re-raises the panic).
    struct Packed<'a>(&'a AtomicUsize);
    impl Drop for Packed<'_> {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::Release);
        }
    }
    let pieces = tasks.min(panels);
    let (next_piece, packed, next_task) = (
        AtomicUsize::new(0),
        AtomicUsize::new(0),
        AtomicUsize::new(0),
    );
    let work = || {
        loop {
            let piece = next_piece.fetch_add(1, Ordering::Relaxed);
            if piece >= pieces {
                break;
            }
            let _done = Packed(&packed);
            let (lo, hi) = share(panels, pieces, piece, 1);
            pack_panels(lo, hi);
        }
        // Every piece is claimed by a running thread; the Acquire pairs with each piece's
        // Release, so the whole packed block is visible once the count is complete.
        let mut spins = 0u32;
        while packed.load(Ordering::Acquire) < pieces {
            if spins < 1 << 12 {
                spins += 1;
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
        loop {
            let t = next_task.fetch_add(1, Ordering::Relaxed);
            if t >= tasks {
                break;
            }
            run_task(t);
        }
    };
    crate::par::fork_each(0..tasks, |_| work());
}

/// Rows `[m0, m1)` of C against B panels `[p0, p1)` of the current (JC, PC) block.
///
/// # Safety
/// `c` must address the caller's C with strides `rs_c`, `cs_c`; the (rows × panels) region
/// must be written by no one else during the call; `bpack` must hold the packed B block.
#[allow(clippy::too_many_arguments)]
unsafe fn macro_kernel<T: Scalar>(
    table: &KernelTable<T>,
    alpha: T,
    a: MatRef<'_, T>,
    beta: T,
    c: SendPtr<T>,
    rs_c: isize,
    cs_c: isize,
    m0: usize,
    m1: usize,
    jc: usize,
    nc: usize,
    pc: usize,
    kc: usize,
    p0: usize,
    p1: usize,
    bpack: SendPtr<T>,
    mc: usize,
) {
    let (mr, nr) = (table.mr, table.nr);
    if m0 >= m1 || p0 >= p1 {
        return;
    }
    with_scratch::<T, ()>(
        Scratch::PackA,
        packed_a_len(mc.min(m1 - m0), kc, mr),
        |abuf| {
            for ic in (m0..m1).step_by(mc) {
                let mcur = mc.min(m1 - ic);
                // SAFETY: abuf holds packed_a_len(mc, kc) >= packed_a_len(mcur, kc) elements.
                unsafe { pack_a(a.submatrix(ic, pc, mcur, kc), mr, abuf.as_mut_ptr()) };
                for panel in p0..p1 {
                    let j0 = panel * nr;
                    let ncur = nr.min(nc - j0);
                    // SAFETY: panel < ⌈nc/nr⌉, so the packed B panel lies inside bpack.
                    let bp = unsafe { bpack.get().add(panel * nr * kc) };
                    for ir in (0..mcur).step_by(mr) {
                        let mcur_r = mr.min(mcur - ir);
                        // SAFETY: C(ic+ir, jc+j0) is inside C (ic+ir < m, jc+j0 < n); the kernel
                        // writes its mcur_r × ncur block only, which lies in this task's region;
                        // the packed A panel at ir·kc holds mr·kc elements; the table's ISA was
                        // checked to be supported when it was selected.
                        unsafe {
                            let cp = c
                                .get()
                                .offset((ic + ir) as isize * rs_c + (jc + j0) as isize * cs_c);
                            (table.kernel)(
                                kc,
                                alpha,
                                abuf.as_ptr().add(ir * kc),
                                bp,
                                beta,
                                cp,
                                rs_c,
                                cs_c,
                                mcur_r,
                                ncur,
                            );
                        }
                    }
                }
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_partition_the_range() {
        for len in [0, 1, 7, 100, 2048] {
            for parts in 1..5 {
                let mut next = 0;
                for t in 0..parts {
                    let (lo, hi) = share(len, parts, t, 8);
                    assert_eq!(lo, next);
                    assert!(hi >= lo);
                    next = hi;
                }
                assert_eq!(next, len);
            }
        }
    }

    #[test]
    fn grid_is_sequential_for_small_work() {
        assert_eq!(task_grid(8, 8, 8, 8, 8, Par::Rayon(16)), (1, 1));
        let (tm, tn) = task_grid(2048, 2048, 2048, 24, 8, Par::Rayon(4));
        assert_eq!(tm * tn, 4);
        let (tm, tn) = task_grid(64, 2048, 64, 24, 8, Par::Rayon(2));
        assert_eq!((tm, tn), (1, 2));
    }
}
