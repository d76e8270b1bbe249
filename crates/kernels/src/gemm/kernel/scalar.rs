//! Portable microkernel: a 4 × 4 register block in plain Rust, the fallback on every target.

use super::{KernelTable, store_tile};
use crate::{Isa, Scalar};

const MR: usize = 4;
const NR: usize = 4;

/// # Safety
/// The microkernel contract of [`super::MicroKernel`].
unsafe fn kernel<T: Scalar>(
    k: usize,
    alpha: T,
    a: *const T,
    b: *const T,
    beta: T,
    c: *mut T,
    rs_c: isize,
    cs_c: isize,
    m: usize,
    n: usize,
) {
    let mut acc = [T::zero(); MR * NR];
    for p in 0..k {
        // SAFETY: the packed panels hold MR·k and k·NR elements.
        let (ap, bp) = unsafe { (a.add(p * MR), b.add(p * NR)) };
        for j in 0..NR {
            // SAFETY: j < NR, inside the packed row p of b.
            let bj = unsafe { *bp.add(j) };
            for i in 0..MR {
                // SAFETY: i < MR, inside the packed column p of a.
                let ai = unsafe { *ap.add(i) };
                // Not `mul_add`: without hardware FMA that is a slow libm call.
                acc[i + j * MR] += ai * bj;
            }
        }
    }
    // SAFETY: forwarded from the caller's contract on C.
    unsafe { store_tile(&acc, MR, alpha, beta, c, rs_c, cs_c, m, n) };
}

pub(crate) static F64: KernelTable<f64> = KernelTable {
    isa: Isa::Scalar,
    mr: MR,
    nr: NR,
    kernel: kernel::<f64>,
    small: None,
};

pub(crate) static F32: KernelTable<f32> = KernelTable {
    isa: Isa::Scalar,
    mr: MR,
    nr: NR,
    kernel: kernel::<f32>,
    small: None,
};
