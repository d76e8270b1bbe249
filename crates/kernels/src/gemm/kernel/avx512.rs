//! AVX-512F microkernels: three 512-bit vectors down the rows by eight columns, i.e.
//! 24 × 8 for `f64` and 48 × 8 for `f32`: 24 accumulators, 3 A loads and one broadcast per
//! column per step (28 of the 32 vector registers). Partial rows use masked loads/stores.

use core::arch::x86_64::*;

use super::{KernelTable, store_tile};
use crate::Isa;

macro_rules! avx512_kernel {
    ($name:ident, $body:ident, $T:ty, $V:ty, $lanes:expr, $mask:ty,
     $load:ident, $set1:ident, $zero:ident, $fmadd:ident, $mul:ident, $store:ident,
     $mload:ident, $mstore:ident) => {
        /// The kernel for tiles with at most `MV` row vectors: an edge tile of a few rows
        /// does a third of the work of a full one instead of computing zero padding.
        #[inline(always)]
        unsafe fn $body<const MV: usize>(
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
            const MR: usize = L * 3;
            const NR: usize = 8;
            // SAFETY: the packed panels hold MR·k and k·NR elements (the caller's contract),
            // so every load below is in bounds; stores touch only C(i, j) with i < m, j < n
            // (masked lanes are neither read nor written).
            unsafe {
                let mut acc = [[$zero(); MV]; NR];
                if rs_c == 1 {
                    // Every cache line of the tile's columns, not only the first: a column
                    // of MR elements spans three lines (four when not aligned), and with a
                    // shallow depth (the rank-k updates of the factorizations) the loop is
                    // too short to hide the misses on the others. Measured (f64, one
                    // thread): C(8000 × 1904) −= V·W with k = 96 71–77 → 80–88 GF/s, QR
                    // of 8000 × 2000 −7%, of 2000² −4%, LU of 2000 −3%.
                    for j in 0..n {
                        let cj = c.offset(j as isize * cs_c);
                        for row in [0, L, 2 * L, m.wrapping_sub(1)] {
                            if row < m {
                                _mm_prefetch::<_MM_HINT_T0>(cj.add(row) as *const i8);
                            }
                        }
                    }
                }
                let mut ap = a;
                let mut bp = b;
                for _ in 0..k {
                    let mut av = [$zero(); MV];
                    for v in 0..MV {
                        av[v] = $load(ap.add(v * L));
                    }
                    for j in 0..NR {
                        let bj = $set1(*bp.add(j));
                        for v in 0..MV {
                            acc[j][v] = $fmadd(av[v], bj, acc[j][v]);
                        }
                    }
                    ap = ap.add(MR);
                    bp = bp.add(NR);
                }
                if rs_c == 1 {
                    let alpha_v = $set1(alpha);
                    let beta_v = $set1(beta);
                    let read_c = beta != 0.0;
                    for j in 0..n {
                        let cj = c.offset(j as isize * cs_c);
                        for v in 0..MV {
                            let row0 = v * L;
                            if row0 >= m {
                                break;
                            }
                            let ptr = cj.add(row0);
                            let mut r = $mul(acc[j][v], alpha_v);
                            let rem = m - row0;
                            if rem >= L {
                                if read_c {
                                    r = $fmadd(beta_v, $load(ptr), r);
                                }
                                $store(ptr, r);
                            } else {
                                let mask = ((1u32 << rem) - 1) as $mask;
                                if read_c {
                                    r = $fmadd(beta_v, $mload($zero(), mask, ptr), r);
                                }
                                $mstore(ptr, mask, r);
                            }
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

        /// # Safety
        /// The microkernel contract of [`super::MicroKernel`]; the CPU supports AVX-512F.
        #[target_feature(enable = "avx512f")]
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
            // SAFETY: forwarded contract; each arm covers the m rows it is chosen for.
            unsafe {
                match m.div_ceil($lanes) {
                    3 => $body::<3>(k, alpha, a, b, beta, c, rs_c, cs_c, m, n),
                    2 => $body::<2>(k, alpha, a, b, beta, c, rs_c, cs_c, m, n),
                    _ => $body::<1>(k, alpha, a, b, beta, c, rs_c, cs_c, m, n),
                }
            }
        }
    };
}

avx512_kernel!(
    kernel_f64,
    body_f64,
    f64,
    __m512d,
    8,
    __mmask8,
    _mm512_loadu_pd,
    _mm512_set1_pd,
    _mm512_setzero_pd,
    _mm512_fmadd_pd,
    _mm512_mul_pd,
    _mm512_storeu_pd,
    _mm512_mask_loadu_pd,
    _mm512_mask_storeu_pd
);
avx512_kernel!(
    kernel_f32,
    body_f32,
    f32,
    __m512,
    16,
    __mmask16,
    _mm512_loadu_ps,
    _mm512_set1_ps,
    _mm512_setzero_ps,
    _mm512_fmadd_ps,
    _mm512_mul_ps,
    _mm512_storeu_ps,
    _mm512_mask_loadu_ps,
    _mm512_mask_storeu_ps
);

pub(crate) static F64: KernelTable<f64> = KernelTable {
    isa: Isa::Avx512,
    mr: 24,
    nr: 8,
    kernel: kernel_f64,
    small: Some(super::Small {
        kernel: super::small_x86::avx512_f64,
        max_k: SMALL_MAX_K,
        max_work: SMALL_MAX_WORK,
        max_short_m: SHORT_MAX_M,
        tiny: &super::small_x86::tiny_avx512_f64::BY_COLS,
        tiny_max_m: 8,
    }),
};

pub(crate) static F32: KernelTable<f32> = KernelTable {
    isa: Isa::Avx512,
    mr: 48,
    nr: 8,
    kernel: kernel_f32,
    small: Some(super::Small {
        kernel: super::small_x86::avx512_f32,
        max_k: SMALL_MAX_K,
        max_work: SMALL_MAX_WORK,
        max_short_m: SHORT_MAX_M,
        tiny: &super::small_x86::tiny_avx512_f32::BY_COLS,
        tiny_max_m: 16,
    }),
};

/// Largest `m` of a deep, wide product that reads B unpacked (`gemm/short.rs`). Measured
/// (one thread, f64 QR factorizations, whose `W = Vᵀ·C` products take it, interleaved best
/// of 5): 2000 × 2000 200–206 → 174–178 ms, 1000 × 1000 27.3–27.4 → 24.1–24.6 ms, 500 × 500
/// 4.23–4.35 → 3.70–3.73 ms, against none. 96 and 64 were within 2% of each other (96 ahead
/// on 2000², 1000², 500² and 8000 × 2000, behind on 4000 × 1000 and 2000 × 500). `m = 128`
/// (5⅓ row blocks) was slower than packing (`W` of 8000 × 1872, depth blocks of 192: 60.7
/// against 63.6 ms).
const SHORT_MAX_M: usize = 96;

/// AVX-512's no-packing limits. Measured with the kernel of 3 vectors × 8 columns (one
/// thread, Xeon, lapis µs unpacked / packed): f64 n = 128 61.5 / 60.0, 144 75.2 / 80.1,
/// 160 101.9 / 110.6, 192 188.8 / 189.3; f32 n = 128 27.9 / 31.3, 160 47.9 / 56.5, 192
/// 86.8 / 94.4.
const SMALL_MAX_K: usize = 192;
const SMALL_MAX_WORK: usize = 192 * 192 * 192;
