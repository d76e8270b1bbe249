//! NEON microkernels: four 128-bit vectors down the rows by six columns, i.e. 8 × 6 for
//! `f64` and 16 × 6 for `f32`: 24 accumulators, 4 A loads and a broadcast (29 of the 32
//! registers). Partial tiles go through a spilled tile, the same arithmetic.

use core::arch::aarch64::*;

use super::{KernelTable, store_tile};
use crate::Isa;

macro_rules! neon_kernel {
    ($name:ident, $T:ty, $lanes:expr,
     $load:ident, $dup:ident, $fma:ident, $mul:ident, $store:ident) => {
        /// # Safety
        /// The microkernel contract of [`super::MicroKernel`]; the CPU supports NEON.
        #[target_feature(enable = "neon")]
        unsafe fn $name(
            k: usize,
            alpha: $T,
            a: *const $T,
            b: *const $T,
            beta: $T,
            c: *mut $T,
            rs_c: isize,
            cs_c: isize,
            m: usize,
            n: usize,
        ) {
            const L: usize = $lanes;
            const MV: usize = 4;
            const MR: usize = MV * L;
            const NR: usize = 6;
            // SAFETY: the packed panels hold MR·k and k·NR elements; full-tile vector stores
            // happen only when m == MR and C is unit-stride down the rows, otherwise the
            // spilled tile is stored element by element inside the m × n block.
            unsafe {
                let mut acc = [[$dup(0.0); MV]; NR];
                let mut ap = a;
                let mut bp = b;
                for _ in 0..k {
                    let a0 = $load(ap);
                    let a1 = $load(ap.add(L));
                    let a2 = $load(ap.add(2 * L));
                    let a3 = $load(ap.add(3 * L));
                    for j in 0..NR {
                        let bj = $dup(*bp.add(j));
                        acc[j][0] = $fma(acc[j][0], a0, bj);
                        acc[j][1] = $fma(acc[j][1], a1, bj);
                        acc[j][2] = $fma(acc[j][2], a2, bj);
                        acc[j][3] = $fma(acc[j][3], a3, bj);
                    }
                    ap = ap.add(MR);
                    bp = bp.add(NR);
                }
                if rs_c == 1 && m == MR {
                    let alpha_v = $dup(alpha);
                    let beta_v = $dup(beta);
                    for j in 0..n {
                        let cj = c.offset(j as isize * cs_c);
                        for v in 0..MV {
                            let ptr = cj.add(v * L);
                            let mut r = $mul(acc[j][v], alpha_v);
                            if beta != 0.0 {
                                r = $fma(r, beta_v, $load(ptr));
                            }
                            $store(ptr, r);
                        }
                    }
                } else {
                    let mut tile = [0.0 as $T; MR * NR];
                    for j in 0..NR {
                        for v in 0..MV {
                            $store(tile.as_mut_ptr().add(j * MR + v * L), acc[j][v]);
                        }
                    }
                    store_tile(&tile, MR, alpha, beta, c, rs_c, cs_c, m, n);
                }
            }
        }
    };
}

neon_kernel!(
    kernel_f64,
    f64,
    2,
    vld1q_f64,
    vdupq_n_f64,
    vfmaq_f64,
    vmulq_f64,
    vst1q_f64
);
neon_kernel!(
    kernel_f32,
    f32,
    4,
    vld1q_f32,
    vdupq_n_f32,
    vfmaq_f32,
    vmulq_f32,
    vst1q_f32
);

pub(crate) static F64: KernelTable<f64> = KernelTable {
    isa: Isa::Neon,
    mr: 8,
    nr: 6,
    kernel: kernel_f64,
    small: None,
};

pub(crate) static F32: KernelTable<f32> = KernelTable {
    isa: Isa::Neon,
    mr: 16,
    nr: 6,
    kernel: kernel_f32,
    small: None,
};
