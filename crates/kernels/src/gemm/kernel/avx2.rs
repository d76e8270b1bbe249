//! AVX2+FMA microkernels: two 256-bit vectors down the rows by six columns, i.e. 8 × 6 for
//! `f64` and 16 × 6 for `f32`: 12 accumulators, 2 A loads and a broadcast (15 of 16
//! registers). Partial tiles go through a spilled tile, the same arithmetic.

use core::arch::x86_64::*;

use super::{KernelTable, store_tile};
use crate::Isa;

macro_rules! avx2_kernel {
    ($name:ident, $T:ty, $lanes:expr,
     $load:ident, $set1:ident, $zero:ident, $fmadd:ident, $mul:ident, $store:ident) => {
        /// # Safety
        /// The microkernel contract of [`super::MicroKernel`]; the CPU supports AVX2 and FMA.
        #[target_feature(enable = "avx2,fma")]
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
            const MR: usize = 2 * L;
            const NR: usize = 6;
            // SAFETY: prefetches do not fault; the packed panels hold MR·k and k·NR elements;
            // full-tile vector stores happen only when m == MR and C is unit-stride down the
            // rows, otherwise the spilled tile is stored element by element inside the m × n
            // block.
            unsafe {
                if rs_c == 1 {
                    // The tile's columns (MR elements: one or two cache lines each), fetched
                    // while the loop runs instead of missed after it. Measured on Zen 3 (one
                    // thread, interleaved best of 20, time with / without): f64 1024³ 0.96,
                    // f32 1024³ 0.98, f32 2048 × 2048 × 64 0.97, 256³ and 2048 × 64 × 64
                    // within ±2%.
                    for j in 0..n {
                        let cj = c.offset(j as isize * cs_c);
                        _mm_prefetch::<_MM_HINT_T0>(cj as *const i8);
                        _mm_prefetch::<_MM_HINT_T0>(
                            cj.wrapping_add(m.saturating_sub(1)) as *const i8
                        );
                    }
                }
                let mut acc = [[$zero(); 2]; NR];
                let mut ap = a;
                let mut bp = b;
                for _ in 0..k {
                    let a0 = $load(ap);
                    let a1 = $load(ap.add(L));
                    for j in 0..NR {
                        let bj = $set1(*bp.add(j));
                        acc[j][0] = $fmadd(a0, bj, acc[j][0]);
                        acc[j][1] = $fmadd(a1, bj, acc[j][1]);
                    }
                    ap = ap.add(MR);
                    bp = bp.add(NR);
                }
                if rs_c == 1 && m == MR {
                    let alpha_v = $set1(alpha);
                    let beta_v = $set1(beta);
                    for j in 0..n {
                        let cj = c.offset(j as isize * cs_c);
                        for v in 0..2 {
                            let ptr = cj.add(v * L);
                            let mut r = $mul(acc[j][v], alpha_v);
                            if beta != 0.0 {
                                r = $fmadd(beta_v, $load(ptr), r);
                            }
                            $store(ptr, r);
                        }
                    }
                } else {
                    let mut tile = [0.0 as $T; MR * NR];
                    for j in 0..NR {
                        for v in 0..2 {
                            $store(tile.as_mut_ptr().add(j * MR + v * L), acc[j][v]);
                        }
                    }
                    store_tile(&tile, MR, alpha, beta, c, rs_c, cs_c, m, n);
                }
            }
        }
    };
}

avx2_kernel!(
    kernel_f64,
    f64,
    4,
    _mm256_loadu_pd,
    _mm256_set1_pd,
    _mm256_setzero_pd,
    _mm256_fmadd_pd,
    _mm256_mul_pd,
    _mm256_storeu_pd
);
avx2_kernel!(
    kernel_f32,
    f32,
    8,
    _mm256_loadu_ps,
    _mm256_set1_ps,
    _mm256_setzero_ps,
    _mm256_fmadd_ps,
    _mm256_mul_ps,
    _mm256_storeu_ps
);

/// Largest `m` of a deep, wide product that reads B unpacked (`gemm/short.rs`): four row
/// blocks of the no-packing kernel. Measured on AMD Zen 3 (one thread, `m × 1936 × 2000`,
/// in-process interleaved best of 10, short path against packing): f64 m = 32 0.89, 64
/// 1.00, 96 1.11; f32 m = 32 0.67–0.70, 64 0.82–0.84, 96 1.02. f64 QR of 500², 1000² and
/// 2000 × 500 was within 1% with and without it.
const SHORT_MAX_M_F64: usize = 32;
const SHORT_MAX_M_F32: usize = 64;

pub(crate) static F64: KernelTable<f64> = KernelTable {
    isa: Isa::Avx2,
    mr: 8,
    nr: 6,
    kernel: kernel_f64,
    small: Some(super::Small {
        kernel: super::small_x86::avx2_f64,
        max_k: SMALL_MAX_K,
        max_work: SMALL_MAX_WORK,
        max_short_m: SHORT_MAX_M_F64,
        tiny: &super::small_x86::tiny_avx2_f64::BY_COLS,
        tiny_max_m: 4,
    }),
};

pub(crate) static F32: KernelTable<f32> = KernelTable {
    isa: Isa::Avx2,
    mr: 16,
    nr: 6,
    kernel: kernel_f32,
    small: Some(super::Small {
        kernel: super::small_x86::avx2_f32,
        max_k: SMALL_MAX_K,
        max_work: SMALL_MAX_WORK,
        max_short_m: SHORT_MAX_M_F32,
        tiny: &super::small_x86::tiny_avx2_f32::BY_COLS,
        tiny_max_m: 8,
    }),
};

/// AVX2's no-packing limits. Measured on AMD Zen 3 with the kernel of 2 vectors × 6 columns
/// (f64, one thread, GF/s unpacked / packed, two alternating runs): n = 128 43.3 and 40.5 /
/// 41.4 and 41.8, 144 45.8 and 44.2 / 43.6 and 44.0, 160 37.5 / 43.4, 192 36.8 / 44.6, 256
/// 32.5 / 44.9 (n ≤ 120 is unpacked: 48 GF/s at 120). The unpacked kernel keeps up to about
/// 144 and loses from 160.
const SMALL_MAX_K: usize = 128;
const SMALL_MAX_WORK: usize = 120 * 120 * 120;
