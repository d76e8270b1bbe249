//! Small- and medium-product kernels for x86 (no packing): `C ← α·A·B + β·C` reading A
//! straight from its unit-stride columns and broadcasting B from any strides.
//!
//! Rows go in blocks of up to three (AVX-512) or four (AVX2) vectors, the last one masked;
//! C is swept eight (AVX-512) or four (AVX2) columns at a time, so a 5 × 5 product costs one
//! masked vector per column instead of a
//! zero-padded 24 × 8 tile, and a 64³ product reads its operands where they lie instead of
//! copying them into panels. Columns past `n` in the last group re-read column `n − 1` of B (valid memory) and
//! are not stored: no branch in the inner loop.

use core::arch::x86_64::*;

/// Columns of C per sweep of the AVX2 kernel (up to four row vectors: 16 accumulators).
const NB: usize = 4;
/// Columns of C per sweep of the AVX-512 kernel (up to three row vectors: 24 of the 32
/// accumulator registers). Against four vectors × four columns, three × eight loads one
/// vector of A per eight multiply-adds instead of four: f64 n = 64 7.50 → 6.66 µs, 100
/// 31.2 → 26.3 µs (one thread, Xeon).
const NB512: usize = 8;

macro_rules! small_avx512 {
    ($name:ident, $body:ident, $T:ty, $V:ty, $L:expr, $mask:ty,
     $maskz_load:ident, $mask_store:ident, $set1:ident, $zero:ident, $fmadd:ident, $mul:ident) => {
        #[inline(always)]
        unsafe fn $body<const MV: usize>(
            m: usize,
            n: usize,
            k: usize,
            alpha: $T,
            a: *const $T,
            cs_a: isize,
            b: *const $T,
            rs_b: isize,
            cs_b: isize,
            beta: $T,
            c: *mut $T,
            cs_c: isize,
        ) {
            const L: usize = $L;
            // SAFETY: masked lanes (rows ≥ m) are neither loaded nor stored, so every access
            // is to an element of A, B or C inside the views the caller vouched for.
            unsafe {
                let mut masks = [0 as $mask; MV];
                for v in 0..MV {
                    let rem = m.saturating_sub(v * L).min(L);
                    masks[v] = ((1u64 << rem) - 1) as $mask;
                }
                let alpha_v = $set1(alpha);
                let beta_v = $set1(beta);
                for j0 in (0..n).step_by(NB512) {
                    let mut bcol = [b; NB512];
                    for jj in 0..NB512 {
                        bcol[jj] = b.offset((j0 + jj).min(n - 1) as isize * cs_b);
                    }
                    let mut acc = [[$zero(); MV]; NB512];
                    for p in 0..k {
                        let acol = a.offset(p as isize * cs_a);
                        let mut av = [$zero(); MV];
                        for v in 0..MV {
                            av[v] = $maskz_load(masks[v], acol.add(v * L));
                        }
                        for jj in 0..NB512 {
                            let bj = $set1(*bcol[jj].offset(p as isize * rs_b));
                            for v in 0..MV {
                                acc[jj][v] = $fmadd(av[v], bj, acc[jj][v]);
                            }
                        }
                    }
                    for jj in 0..NB512.min(n - j0) {
                        let ccol = c.offset((j0 + jj) as isize * cs_c);
                        for v in 0..MV {
                            let ptr = ccol.add(v * L);
                            let mut r = $mul(acc[jj][v], alpha_v);
                            if beta != 0.0 {
                                r = $fmadd(beta_v, $maskz_load(masks[v], ptr), r);
                            }
                            $mask_store(ptr, masks[v], r);
                        }
                    }
                }
            }
        }

        /// # Safety
        /// See [`super::SmallKernel`]; the CPU supports AVX-512F.
        #[target_feature(enable = "avx512f")]
        pub(crate) unsafe fn $name(
            m: usize,
            n: usize,
            k: usize,
            alpha: $T,
            a: *const $T,
            cs_a: isize,
            b: *const $T,
            rs_b: isize,
            cs_b: isize,
            beta: $T,
            c: *mut $T,
            cs_c: isize,
        ) {
            // Row blocks of up to three vectors: a block of A (≤ 3L × k) stays in L1 while
            // every column group of C streams past it.
            let blk = 3 * $L;
            let mut i0 = 0;
            while i0 < m {
                let mb = blk.min(m - i0);
                // SAFETY: rows [i0, i0 + mb) of A and C are inside the views (unit row
                // stride); MV·L ≥ mb in each arm; the rest is the forwarded contract.
                unsafe {
                    let (a, c) = (a.add(i0), c.add(i0));
                    match mb.div_ceil($L) {
                        1 => $body::<1>(mb, n, k, alpha, a, cs_a, b, rs_b, cs_b, beta, c, cs_c),
                        2 => $body::<2>(mb, n, k, alpha, a, cs_a, b, rs_b, cs_b, beta, c, cs_c),
                        _ => $body::<3>(mb, n, k, alpha, a, cs_a, b, rs_b, cs_b, beta, c, cs_c),
                    }
                }
                i0 += blk;
            }
        }
    };
}

small_avx512!(
    avx512_f64,
    avx512_f64_body,
    f64,
    __m512d,
    8,
    __mmask8,
    _mm512_maskz_loadu_pd,
    _mm512_mask_storeu_pd,
    _mm512_set1_pd,
    _mm512_setzero_pd,
    _mm512_fmadd_pd,
    _mm512_mul_pd
);
small_avx512!(
    avx512_f32,
    avx512_f32_body,
    f32,
    __m512,
    16,
    __mmask16,
    _mm512_maskz_loadu_ps,
    _mm512_mask_storeu_ps,
    _mm512_set1_ps,
    _mm512_setzero_ps,
    _mm512_fmadd_ps,
    _mm512_mul_ps
);

macro_rules! small_avx2 {
    ($name:ident, $body:ident, $T:ty, $V:ty, $L:expr, $I:ty, $lane_mask:expr,
     $maskload:ident, $maskstore:ident, $set1:ident, $zero:ident, $fmadd:ident, $mul:ident) => {
        #[inline(always)]
        unsafe fn $body<const MV: usize>(
            m: usize,
            n: usize,
            k: usize,
            alpha: $T,
            a: *const $T,
            cs_a: isize,
            b: *const $T,
            rs_b: isize,
            cs_b: isize,
            beta: $T,
            c: *mut $T,
            cs_c: isize,
        ) {
            const L: usize = $L;
            // SAFETY: masked lanes (rows ≥ m) are neither loaded nor stored (vmaskmov does
            // not fault on them), so every access is to an element inside the views.
            unsafe {
                let mut masks = [_mm256_setzero_si256(); MV];
                for v in 0..MV {
                    let rem = m.saturating_sub(v * L).min(L);
                    masks[v] = $lane_mask(rem);
                }
                let alpha_v = $set1(alpha);
                let beta_v = $set1(beta);
                for j0 in (0..n).step_by(NB) {
                    let mut bcol = [b; NB];
                    for jj in 0..NB {
                        bcol[jj] = b.offset((j0 + jj).min(n - 1) as isize * cs_b);
                    }
                    let mut acc = [[$zero(); MV]; NB];
                    for p in 0..k {
                        let acol = a.offset(p as isize * cs_a);
                        let mut av = [$zero(); MV];
                        for v in 0..MV {
                            av[v] = $maskload(acol.add(v * L), masks[v]);
                        }
                        for jj in 0..NB {
                            let bj = $set1(*bcol[jj].offset(p as isize * rs_b));
                            for v in 0..MV {
                                acc[jj][v] = $fmadd(av[v], bj, acc[jj][v]);
                            }
                        }
                    }
                    for jj in 0..NB.min(n - j0) {
                        let ccol = c.offset((j0 + jj) as isize * cs_c);
                        for v in 0..MV {
                            let ptr = ccol.add(v * L);
                            let mut r = $mul(acc[jj][v], alpha_v);
                            if beta != 0.0 {
                                r = $fmadd(beta_v, $maskload(ptr, masks[v]), r);
                            }
                            $maskstore(ptr, masks[v], r);
                        }
                    }
                }
            }
        }

        /// # Safety
        /// See [`super::SmallKernel`]; the CPU supports AVX2 and FMA.
        #[target_feature(enable = "avx2,fma")]
        pub(crate) unsafe fn $name(
            m: usize,
            n: usize,
            k: usize,
            alpha: $T,
            a: *const $T,
            cs_a: isize,
            b: *const $T,
            rs_b: isize,
            cs_b: isize,
            beta: $T,
            c: *mut $T,
            cs_c: isize,
        ) {
            // Row blocks of up to four vectors: a block of A (≤ 4L × k) stays in L1 while
            // every column group of C streams past it.
            let blk = 4 * $L;
            let mut i0 = 0;
            while i0 < m {
                let mb = blk.min(m - i0);
                // SAFETY: rows [i0, i0 + mb) of A and C are inside the views (unit row
                // stride); MV·L ≥ mb in each arm; the rest is the forwarded contract.
                unsafe {
                    let (a, c) = (a.add(i0), c.add(i0));
                    match mb.div_ceil($L) {
                        1 => $body::<1>(mb, n, k, alpha, a, cs_a, b, rs_b, cs_b, beta, c, cs_c),
                        2 => $body::<2>(mb, n, k, alpha, a, cs_a, b, rs_b, cs_b, beta, c, cs_c),
                        3 => $body::<3>(mb, n, k, alpha, a, cs_a, b, rs_b, cs_b, beta, c, cs_c),
                        _ => $body::<4>(mb, n, k, alpha, a, cs_a, b, rs_b, cs_b, beta, c, cs_c),
                    }
                }
                i0 += blk;
            }
        }
    };
}

/// Lane mask with the first `rem` of four 64-bit lanes set (AVX2 has no mask registers;
/// also used by the GEMV kernels).
#[inline]
#[target_feature(enable = "avx2")]
pub(crate) fn mask_pd(rem: usize) -> __m256i {
    _mm256_cmpgt_epi64(
        _mm256_set1_epi64x(rem as i64),
        _mm256_setr_epi64x(0, 1, 2, 3),
    )
}

/// Lane mask with the first `rem` of eight 32-bit lanes set.
#[inline]
#[target_feature(enable = "avx2")]
pub(crate) fn mask_ps(rem: usize) -> __m256i {
    _mm256_cmpgt_epi32(
        _mm256_set1_epi32(rem as i32),
        _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7),
    )
}

small_avx2!(
    avx2_f64,
    avx2_f64_body,
    f64,
    __m256d,
    4,
    i64,
    mask_pd,
    _mm256_maskload_pd,
    _mm256_maskstore_pd,
    _mm256_set1_pd,
    _mm256_setzero_pd,
    _mm256_fmadd_pd,
    _mm256_mul_pd
);
small_avx2!(
    avx2_f32,
    avx2_f32_body,
    f32,
    __m256,
    8,
    i32,
    mask_ps,
    _mm256_maskload_ps,
    _mm256_maskstore_ps,
    _mm256_set1_ps,
    _mm256_setzero_ps,
    _mm256_fmadd_ps,
    _mm256_mul_ps
);
