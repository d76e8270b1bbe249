//! Small- and medium-product kernels for x86 (no packing): `C ← α·A·B + β·C` reading A
//! straight from its unit-stride columns and broadcasting B from any strides.
//!
//! Rows go in blocks of up to three (AVX-512) or two (AVX2) vectors, the last one partial;
//! C is swept eight (AVX-512) or six (AVX2) columns at a time, so a 5 × 5 product costs one
//! or two vectors per column instead of a zero-padded 24 × 8 tile, and a 64³ product reads
//! its operands where they lie instead of copying them into panels. Columns past `n` in the
//! last group re-read column `n − 1` of B (valid memory) and are not stored: no branch in
//! the inner loop.
//!
//! AVX2 differs: 16 registers hold no more than 12 accumulators beside two A vectors and a
//! broadcast (four vectors by four columns spilled accumulators on every step and ran at
//! 21 GF/s on Zen 3 where two by six runs 45–48, f64 n = 64–120), and its masked moves are
//! slow on AMD (the masked store is microcoded). So the partial last vector of a block of two
//! overlaps the one below it, whole; only a block of less than one vector is masked, and its
//! stores are plain moves of 128, 64 and 32 bits. Against masked moves on Zen 3 (interleaved
//! best of 20): f32 12³ 1.56×, 15 × 16 × 16 1.49×, 31 × 32 × 32 1.13× faster; f64 7 × 8 × 8
//! 1.21×, 5 × 16 × 16 1.22×.

use core::arch::x86_64::*;

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
    ($name:ident, $rows:ident, $group:ident, $T:ty, $L:expr, $lane_mask:expr,
     $load:ident, $store:ident, $maskload:ident, $store_first:ident,
     $set1:ident, $zero:ident, $fmadd:ident, $mul:ident) => {
        /// Columns `0..nb` of C (`nb ≤ NB`) for a block of `MV` row vectors, the last one
        /// holding only `rem` rows when `MASKED` (`mask` selects them). Columns past `nb`
        /// re-read column `nb − 1` of B and are not stored.
        #[inline(always)]
        unsafe fn $group<const MV: usize, const NB: usize, const MASKED: bool>(
            nb: usize,
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
            mask: __m256i,
            rem: usize,
        ) {
            const L: usize = $L;
            // A partial last vector of a block of two or more overlaps the one below it:
            // it covers the L rows ending at the block's last, whole and unmasked. Rows in
            // both vectors get the same multiply-adds in the same order, so the same value,
            // and C is read for every vector of a column before any is stored.
            let shift = MASKED && MV >= 2;
            let top = if shift {
                (MV - 2) * L + rem
            } else {
                (MV - 1) * L
            };
            // SAFETY: every vector below the last is whole rows of the block; so is the last
            // where `shift` (it ends at the block's last row and starts at or above its first,
            // as rem ≥ 1); otherwise its lanes past the block are masked off (vmaskmov does
            // not load them) and only its first rem lanes are stored. Columns of B are clamped
            // to nb − 1 and only nb columns of C are touched, so every access is inside the
            // views the caller vouched for.
            unsafe {
                let mut bcol = [b; NB];
                for jj in 0..NB {
                    bcol[jj] = b.offset(jj.min(nb - 1) as isize * cs_b);
                }
                let mut acc = [[$zero(); MV]; NB];
                for p in 0..k {
                    let acol = a.offset(p as isize * cs_a);
                    let mut av = [$zero(); MV];
                    for v in 0..MV - 1 {
                        av[v] = $load(acol.add(v * L));
                    }
                    av[MV - 1] = if MASKED && !shift {
                        $maskload(acol.add(top), mask)
                    } else {
                        $load(acol.add(top))
                    };
                    for jj in 0..NB {
                        let bj = $set1(*bcol[jj].offset(p as isize * rs_b));
                        for v in 0..MV {
                            acc[jj][v] = $fmadd(av[v], bj, acc[jj][v]);
                        }
                    }
                }
                let alpha_v = $set1(alpha);
                let beta_v = $set1(beta);
                for jj in 0..NB.min(nb) {
                    let ccol = c.offset(jj as isize * cs_c);
                    let mut r = acc[jj];
                    // Every plain product has α = 1, and acc·1 is acc bit for bit: the
                    // multiplies would only lengthen the C update of each short group
                    // (f64 16³ ran 3-5% slower with them on Zen 3).
                    if alpha != 1.0 {
                        for v in 0..MV {
                            r[v] = $mul(r[v], alpha_v);
                        }
                    }
                    if beta != 0.0 {
                        for v in 0..MV - 1 {
                            r[v] = $fmadd(beta_v, $load(ccol.add(v * L)), r[v]);
                        }
                        let old = if MASKED && !shift {
                            $maskload(ccol.add(top), mask)
                        } else {
                            $load(ccol.add(top))
                        };
                        r[MV - 1] = $fmadd(beta_v, old, r[MV - 1]);
                    }
                    for v in 0..MV - 1 {
                        $store(ccol.add(v * L), r[v]);
                    }
                    if MASKED && !shift {
                        $store_first(ccol.add(top), rem, r[MV - 1]);
                    } else {
                        $store(ccol.add(top), r[MV - 1]);
                    }
                }
            }
        }

        /// All columns of C for a block of `MV` row vectors: groups of `NB` columns, then
        /// the rest in a group of 2, 4 or `NB`.
        #[inline(always)]
        unsafe fn $rows<const MV: usize, const NB: usize, const MASKED: bool>(
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
            let mut j0 = 0;
            // SAFETY: each group gets columns [j0, j0 + nb) of B and C with j0 + nb ≤ n; the
            // rest is the forwarded contract (which includes AVX2 for the mask).
            unsafe {
                let rem = m - (MV - 1) * $L;
                let mask = $lane_mask(rem);
                while j0 + NB <= n {
                    let (b, c) = (b.offset(j0 as isize * cs_b), c.offset(j0 as isize * cs_c));
                    $group::<MV, NB, MASKED>(
                        NB, k, alpha, a, cs_a, b, rs_b, cs_b, beta, c, cs_c, mask, rem,
                    );
                    j0 += NB;
                }
                let nb = n - j0;
                let (b, c) = (b.offset(j0 as isize * cs_b), c.offset(j0 as isize * cs_c));
                match nb {
                    0 => {}
                    1..=2 => $group::<MV, 2, MASKED>(
                        nb, k, alpha, a, cs_a, b, rs_b, cs_b, beta, c, cs_c, mask, rem,
                    ),
                    3..=4 => $group::<MV, 4, MASKED>(
                        nb, k, alpha, a, cs_a, b, rs_b, cs_b, beta, c, cs_c, mask, rem,
                    ),
                    _ => $group::<MV, NB, MASKED>(
                        nb, k, alpha, a, cs_a, b, rs_b, cs_b, beta, c, cs_c, mask, rem,
                    ),
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
            // Row blocks of two vectors by six columns (one vector by eight): 12 accumulators,
            // two A vectors and a broadcast fit AVX2's 16 registers, where four vectors by four
            // columns spilled accumulators on every step.
            let blk = 2 * $L;
            let mut i0 = 0;
            while i0 < m {
                let mb = blk.min(m - i0);
                // SAFETY: rows [i0, i0 + mb) of A and C are inside the views (unit row
                // stride); each arm gets MV = ⌈mb/L⌉ vectors, masked exactly when L ∤ mb;
                // the rest is the forwarded contract.
                unsafe {
                    let (a, c) = (a.add(i0), c.add(i0));
                    match (mb.div_ceil($L), mb % $L != 0) {
                        (1, false) => $rows::<1, 8, false>(
                            mb, n, k, alpha, a, cs_a, b, rs_b, cs_b, beta, c, cs_c,
                        ),
                        (1, true) => $rows::<1, 8, true>(
                            mb, n, k, alpha, a, cs_a, b, rs_b, cs_b, beta, c, cs_c,
                        ),
                        (_, false) => $rows::<2, 6, false>(
                            mb, n, k, alpha, a, cs_a, b, rs_b, cs_b, beta, c, cs_c,
                        ),
                        (_, true) => $rows::<2, 6, true>(
                            mb, n, k, alpha, a, cs_a, b, rs_b, cs_b, beta, c, cs_c,
                        ),
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
    avx2_f64_rows,
    avx2_f64_group,
    f64,
    4,
    mask_pd,
    _mm256_loadu_pd,
    _mm256_storeu_pd,
    _mm256_maskload_pd,
    store_first_pd,
    _mm256_set1_pd,
    _mm256_setzero_pd,
    _mm256_fmadd_pd,
    _mm256_mul_pd
);
small_avx2!(
    avx2_f32,
    avx2_f32_rows,
    avx2_f32_group,
    f32,
    8,
    mask_ps,
    _mm256_loadu_ps,
    _mm256_storeu_ps,
    _mm256_maskload_ps,
    store_first_ps,
    _mm256_set1_ps,
    _mm256_setzero_ps,
    _mm256_fmadd_ps,
    _mm256_mul_ps
);

/// The tiny-product kernels of one (ISA, type): `C ← α·A·B + β·C` for `1 ≤ m ≤ L` (one
/// vector) and `1 ≤ n ≤ 8`, one masked vector per column of C and one accumulator per column,
/// no row or column loop around it. Entry `n − 1` of `BY_COLS` takes `n` columns; each is its
/// own function, so that the few columns of a 4 × 4 product neither branch on `n` nor save the
/// registers of the eight-column body. `$load(mask, ptr)` is the ISA's masked load,
/// `$store(ptr, m, v)` its store of the first `m` lanes (AVX2: plain moves, its masked store
/// being microcoded on AMD), `$full_load(ptr)` and `$full_store(ptr, v)` its plain moves for
/// `m = L` (faster than masked ones on AMD, and unable to reach past a page), and
/// `$shifted_load(ptr, m)` and `$shifted_store(ptr, m, v)` its shifted ones (below); `$mask(m)`
/// selects the first `m` lanes.
macro_rules! tiny_kernels {
    ($module:ident, $feature:literal, $T:ty, $V:ty, $L:expr, $mask:path, $load:path, $store:path,
     $full_load:path, $full_store:path, $shifted_load:path, $shifted_store:path,
     $set1:path, $zero:path, $fmadd:path, $mul:path) => {
        pub(crate) mod $module {
            use super::*;

            /// The kernels, by number of columns.
            pub(crate) static BY_COLS: [super::super::SmallKernel<$T>; super::super::TINY_MAX_N] = [
                cols::<1>, cols::<2>, cols::<3>, cols::<4>, cols::<5>, cols::<6>, cols::<7>,
                cols::<8>,
            ];

            /// # Safety
            /// See [`super::super::SmallKernel`], with `1 ≤ m ≤ L` and `n = N`; the CPU
            /// supports the module's ISA.
            #[target_feature(enable = $feature)]
            unsafe fn cols<const N: usize>(
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
                debug_assert!(n == N && (1..=$L).contains(&m));
                if m == $L {
                    // SAFETY: the caller's contract.
                    return unsafe {
                        body::<N, false, true>(
                            m, k, alpha, a, cs_a, b, rs_b, cs_b, beta, c, cs_c, 0, 0,
                        )
                    };
                }
                // The highest vector of A or C may reach past the page of the operand's last
                // element (see the comment on the shifted moves); the body for that rare case
                // is a separate copy, so that the loops of the common one test nothing.
                let (top_a, top_c) = (top_column(a, k, cs_a), top_column(c, N, cs_c));
                let (a_hi, c_hi) = (last_page(top_a, m), last_page(top_c, m));
                // SAFETY: the caller's contract.
                unsafe {
                    if reaches_past(top_a, $L, a_hi) || reaches_past(top_c, $L, c_hi) {
                        cols_shifted::<N>(
                            m, k, alpha, a, cs_a, b, rs_b, cs_b, beta, c, cs_c, a_hi, c_hi,
                        )
                    } else {
                        body::<N, false, false>(
                            m, k, alpha, a, cs_a, b, rs_b, cs_b, beta, c, cs_c, 0, 0,
                        )
                    }
                }
            }

            /// [`body`] with shifted moves, out of line.
            ///
            /// # Safety
            /// As [`body`].
            #[allow(clippy::too_many_arguments)]
            #[inline(never)]
            #[target_feature(enable = $feature)]
            unsafe fn cols_shifted<const N: usize>(
                m: usize,
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
                a_hi: usize,
                c_hi: usize,
            ) {
                // SAFETY: the caller's contract.
                unsafe {
                    body::<N, true, false>(
                        m, k, alpha, a, cs_a, b, rs_b, cs_b, beta, c, cs_c, a_hi, c_hi,
                    )
                }
            }

            /// [`cols`], given the pages `a_hi` and `c_hi` of the last elements of A and C:
            /// where `SHIFTED`, the vectors reaching past them move shifted (the common copy
            /// never looks); where `FULL` (`m = L`), every move is a plain one.
            ///
            /// # Safety
            /// As [`cols`].
            #[allow(clippy::too_many_arguments)]
            #[inline(always)]
            unsafe fn body<const N: usize, const SHIFTED: bool, const FULL: bool>(
                m: usize,
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
                a_hi: usize,
                c_hi: usize,
            ) {
                // SAFETY: lanes at rows ≥ m are masked off (there are none where FULL), and the
                // masked-off lanes of a shifted move lie on the page of its operand's last
                // element, so every access is to an element of the views the caller vouched
                // for or masked off on a mapped page.
                unsafe {
                    let mask = $mask(m);
                    let mut bcol = [b; N];
                    for j in 0..N {
                        bcol[j] = b.offset(j as isize * cs_b);
                    }
                    let mut acc = [$zero(); N];
                    let (mut acol, mut off) = (a, 0isize);
                    for _ in 0..k {
                        let av = if FULL {
                            $full_load(acol)
                        } else if SHIFTED && reaches_past(acol, $L, a_hi) {
                            $shifted_load(acol, m)
                        } else {
                            $load(mask, acol)
                        };
                        for j in 0..N {
                            acc[j] = $fmadd(av, $set1(*bcol[j].offset(off)), acc[j]);
                        }
                        acol = acol.offset(cs_a);
                        off += rs_b;
                    }
                    let (alpha_v, beta_v) = ($set1(alpha), $set1(beta));
                    for j in 0..N {
                        let ptr = c.offset(j as isize * cs_c);
                        // Multiplying by one is exact: skipping it changes no result.
                        let mut r = if alpha == 1.0 {
                            acc[j]
                        } else {
                            $mul(acc[j], alpha_v)
                        };
                        if FULL {
                            if beta != 0.0 {
                                r = $fmadd(beta_v, $full_load(ptr), r);
                            }
                            $full_store(ptr, r);
                        } else if SHIFTED && reaches_past(ptr, $L, c_hi) {
                            if beta != 0.0 {
                                r = $fmadd(beta_v, $shifted_load(ptr, m), r);
                            }
                            $shifted_store(ptr, m, r);
                        } else {
                            if beta != 0.0 {
                                r = $fmadd(beta_v, $load(mask, ptr), r);
                            }
                            $store(ptr, m, r);
                        }
                    }
                }
            }
        }
    };
}

// Masked-off lanes never fault, but a page that no real access touches may stay unmapped,
// and then every masked access reaching into it takes a microcode assist: a 4 × 4 `f64`
// product whose C ended at the end of a mapping ran 94–101 ns instead of 13–14 (Xeon,
// AVX-512), and small heap buffers end there often enough (two of the first five argument
// lists of a timing program put one there). Such a page can only lie past the highest
// element of an operand, so the tiny kernels compare their highest vectors with the page of
// that element and, where one reaches past, run a separate copy of their body in which the
// vectors that do are moved shifted (below). That copy ran the same product in 19–23 ns;
// the test costs the common one about 1 ns. The general no-packing kernel does not test:
// its products are larger, so one assist costs less in proportion (12 × 12 × 12: 172 ns
// against 94), and a copy of its body with shifted moves ran 30% slower than the plain one.

/// The highest of `cols` column starts `cs` apart from `p` (the last column, or the first
/// where `cs ≤ 0` or there is none).
#[inline(always)]
fn top_column<T>(p: *const T, cols: usize, cs: isize) -> *const T {
    p.wrapping_offset(if cs > 0 {
        cols.saturating_sub(1) as isize * cs
    } else {
        0
    })
}

/// The 4 KiB page (x86's smallest) of element `rows − 1` of the column at `top`.
#[inline(always)]
fn last_page<T>(top: *const T, rows: usize) -> usize {
    (top as usize + (rows - 1) * size_of::<T>()) >> 12
}

/// Whether a vector of `lanes` elements at `p` reaches a page past `page`.
#[inline(always)]
fn reaches_past<T>(p: *const T, lanes: usize, page: usize) -> bool {
    (p as usize + (lanes - 1) * size_of::<T>()) >> 12 > page
}

/// The first `m ≤ 8` of eight lanes.
#[inline(always)]
fn kmask8(m: usize) -> __mmask8 {
    ((1u32 << m) - 1) as __mmask8
}

/// The first `m ≤ 16` of sixteen lanes.
#[inline(always)]
fn kmask16(m: usize) -> __mmask16 {
    ((1u32 << m) - 1) as __mmask16
}

/// Stores the first `m ≤ 8` lanes of `v` at `p` (a masked store).
///
/// # Safety
/// `p[..m]` is writable; AVX-512F.
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn store_first_pd512(p: *mut f64, m: usize, v: __m512d) {
    // SAFETY: the lanes at m and above are masked off.
    unsafe { _mm512_mask_storeu_pd(p, kmask8(m), v) }
}

/// Stores the first `m ≤ 16` lanes of `v` at `p` (a masked store).
///
/// # Safety
/// `p[..m]` is writable; AVX-512F.
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn store_first_ps512(p: *mut f32, m: usize, v: __m512) {
    // SAFETY: the lanes at m and above are masked off.
    unsafe { _mm512_mask_storeu_ps(p, kmask16(m), v) }
}

/// `_mm256_maskload_pd` with the mask first, as the AVX-512 masked loads take it.
///
/// # Safety
/// The lanes the mask selects are readable; AVX.
#[inline(always)]
unsafe fn maskload_pd(mask: __m256i, p: *const f64) -> __m256d {
    // SAFETY: the caller's contract.
    unsafe { _mm256_maskload_pd(p, mask) }
}

/// `_mm256_maskload_ps` with the mask first.
///
/// # Safety
/// The lanes the mask selects are readable; AVX.
#[inline(always)]
unsafe fn maskload_ps(mask: __m256i, p: *const f32) -> __m256 {
    // SAFETY: the caller's contract.
    unsafe { _mm256_maskload_ps(p, mask) }
}

/// Stores the first `m` lanes of `v` (`1 ≤ m < 4`) at `p` with plain moves of 128 and 64
/// bits. AVX2's masked store is microcoded on AMD: on Zen 3 it made a 7 × 8 × 8 product
/// slower than an 8 × 8 × 8 one. Also used by the GEMV kernels.
///
/// # Safety
/// `p[..m]` is writable; AVX.
#[inline]
#[target_feature(enable = "avx2")]
pub(crate) unsafe fn store_first_pd(p: *mut f64, m: usize, v: __m256d) {
    let lo = _mm256_castpd256_pd128(v);
    // SAFETY: each move writes lanes below m only.
    unsafe {
        match m {
            1 => _mm_store_sd(p, lo),
            2 => _mm_storeu_pd(p, lo),
            _ => {
                _mm_storeu_pd(p, lo);
                _mm_store_sd(p.add(2), _mm256_extractf128_pd::<1>(v));
            }
        }
    }
}

/// [`store_first_pd`] for eight `f32` lanes (`1 ≤ m < 8`).
///
/// # Safety
/// `p[..m]` is writable; AVX.
#[inline]
#[target_feature(enable = "avx2")]
pub(crate) unsafe fn store_first_ps(p: *mut f32, m: usize, v: __m256) {
    let (mut x, mut p, mut m) = (_mm256_castps256_ps128(v), p, m);
    // SAFETY: each move writes lanes below m only: four, then two, then one.
    unsafe {
        if m >= 4 {
            _mm_storeu_ps(p, x);
            (x, p, m) = (_mm256_extractf128_ps::<1>(v), p.add(4), m - 4);
        }
        if m >= 2 {
            // movq: an unaligned 64-bit store (`_mm_store_sd` would be an f64 write, which
            // Rust requires to be 8-byte aligned).
            _mm_storel_epi64(p as *mut __m128i, _mm_castps_si128(x));
            (x, p, m) = (_mm_movehl_ps(x, x), p.add(2), m - 2);
        }
        if m == 1 {
            _mm_store_ss(p, x);
        }
    }
}

// Shifted moves: the first `m < L` elements at `p` into the low lanes of a vector (the rest
// zero), or the low `m` lanes of `v` to `p`, by the masked access of the `L` elements that
// end at `p + m − 1`, masked to the top `m`, and one lane permute. For the vector at `p` that
// reaches past page `hi` (that of the operand's highest element, hence of `p + m − 1`), the
// shifted one starts at least `4096 − 2L·size > 0` bytes into page `hi`: all of it lies on a
// page the operand's own elements keep mapped. Masked expanding loads and compressing stores
// are no way out: a compressing store to a C ending at a page end ran 122 ns.

/// The shifted load for eight `f64` lanes: that of their sixteen 32-bit halves.
///
/// # Safety
/// `1 ≤ m ≤ 8`; the `m` elements at `p` are readable and the 8 ending with them lie on one
/// mapped page; AVX-512F.
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn shifted_load_pd512(p: *const f64, m: usize) -> __m512d {
    // SAFETY: the m elements are the 2m words; the caller's contract.
    _mm512_castps_pd(unsafe { shifted_load_ps512(p.cast(), 2 * m) })
}

/// The shifted store for eight `f64` lanes, through their 32-bit halves.
///
/// # Safety
/// As for [`shifted_load_pd512`], the `m` elements writable.
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn shifted_store_pd512(p: *mut f64, m: usize, v: __m512d) {
    // SAFETY: the m elements are the 2m words; the caller's contract.
    unsafe { shifted_store_ps512(p.cast(), 2 * m, _mm512_castpd_ps(v)) }
}

/// The shifted load for sixteen `f32` lanes.
///
/// # Safety
/// `1 ≤ m ≤ 16`; the `m` elements at `p` are readable and the 16 ending with them lie on
/// one mapped page; AVX-512F.
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn shifted_load_ps512(p: *const f32, m: usize) -> __m512 {
    let shift = 16 - m;
    // SAFETY: the caller's contract: lanes shift..16 at p − shift are the m elements.
    let v = unsafe { _mm512_maskz_loadu_ps(!kmask16(shift), p.wrapping_sub(shift)) };
    let idx = _mm512_add_epi32(IOTA16(), _mm512_set1_epi32(shift as i32));
    _mm512_maskz_permutexvar_ps(kmask16(m), idx, v)
}

/// The shifted store for sixteen `f32` lanes.
///
/// # Safety
/// As for [`shifted_load_ps512`], the `m` elements writable.
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn shifted_store_ps512(p: *mut f32, m: usize, v: __m512) {
    let shift = 16 - m;
    let idx = _mm512_sub_epi32(IOTA16(), _mm512_set1_epi32(shift as i32));
    let up = _mm512_permutexvar_ps(idx, v);
    // SAFETY: the caller's contract; only lanes shift..16, the m elements, are written.
    unsafe { _mm512_mask_storeu_ps(p.wrapping_sub(shift), !kmask16(shift), up) }
}

/// Lanes `0, 1, …, 15`.
#[inline]
#[target_feature(enable = "avx512f")]
#[allow(non_snake_case)]
fn IOTA16() -> __m512i {
    _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
}

/// The shifted load for four `f64` lanes: that of their eight 32-bit halves.
///
/// # Safety
/// `1 ≤ m ≤ 4`; the `m` elements at `p` are readable and the 4 ending with them lie on one
/// mapped page; AVX2.
#[inline]
#[target_feature(enable = "avx2")]
unsafe fn shifted_load_pd(p: *const f64, m: usize) -> __m256d {
    // SAFETY: the m elements are the 2m words; the caller's contract.
    _mm256_castps_pd(unsafe { shifted_load_ps(p.cast(), 2 * m) })
}

/// The shifted store for four `f64` lanes, through their 32-bit halves.
///
/// # Safety
/// As for [`shifted_load_pd`], the `m` elements writable.
#[inline]
#[target_feature(enable = "avx2")]
unsafe fn shifted_store_pd(p: *mut f64, m: usize, v: __m256d) {
    // SAFETY: the m elements are the 2m words; the caller's contract.
    unsafe { shifted_store_ps(p.cast(), 2 * m, _mm256_castpd_ps(v)) }
}

/// The shifted load for eight `f32` lanes.
///
/// # Safety
/// `1 ≤ m ≤ 8`; the `m` elements at `p` are readable and the 8 ending with them lie on one
/// mapped page; AVX2.
#[inline]
#[target_feature(enable = "avx2")]
unsafe fn shifted_load_ps(p: *const f32, m: usize) -> __m256 {
    let shift = 8 - m;
    let top = _mm256_xor_si256(mask_ps(shift), _mm256_set1_epi32(-1));
    // SAFETY: the caller's contract: lanes shift..8 at p − shift are the m elements.
    let v = unsafe { _mm256_maskload_ps(p.wrapping_sub(shift), top) };
    let iota = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    let down = _mm256_permutevar8x32_ps(v, _mm256_add_epi32(iota, _mm256_set1_epi32(shift as i32)));
    _mm256_and_ps(down, _mm256_castsi256_ps(mask_ps(m)))
}

/// The shifted store for eight `f32` lanes.
///
/// # Safety
/// As for [`shifted_load_ps`], the `m` elements writable.
#[inline]
#[target_feature(enable = "avx2")]
unsafe fn shifted_store_ps(p: *mut f32, m: usize, v: __m256) {
    let shift = 8 - m;
    let top = _mm256_xor_si256(mask_ps(shift), _mm256_set1_epi32(-1));
    let iota = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    let up = _mm256_permutevar8x32_ps(v, _mm256_sub_epi32(iota, _mm256_set1_epi32(shift as i32)));
    // SAFETY: the caller's contract; only lanes shift..8, the m elements, are written.
    unsafe { _mm256_maskstore_ps(p.wrapping_sub(shift), top, up) }
}

tiny_kernels!(
    tiny_avx512_f64,
    "avx512f",
    f64,
    __m512d,
    8,
    kmask8,
    _mm512_maskz_loadu_pd,
    store_first_pd512,
    _mm512_loadu_pd,
    _mm512_storeu_pd,
    shifted_load_pd512,
    shifted_store_pd512,
    _mm512_set1_pd,
    _mm512_setzero_pd,
    _mm512_fmadd_pd,
    _mm512_mul_pd
);
tiny_kernels!(
    tiny_avx512_f32,
    "avx512f",
    f32,
    __m512,
    16,
    kmask16,
    _mm512_maskz_loadu_ps,
    store_first_ps512,
    _mm512_loadu_ps,
    _mm512_storeu_ps,
    shifted_load_ps512,
    shifted_store_ps512,
    _mm512_set1_ps,
    _mm512_setzero_ps,
    _mm512_fmadd_ps,
    _mm512_mul_ps
);
tiny_kernels!(
    tiny_avx2_f64,
    "avx2,fma",
    f64,
    __m256d,
    4,
    mask_pd,
    maskload_pd,
    store_first_pd,
    _mm256_loadu_pd,
    _mm256_storeu_pd,
    shifted_load_pd,
    shifted_store_pd,
    _mm256_set1_pd,
    _mm256_setzero_pd,
    _mm256_fmadd_pd,
    _mm256_mul_pd
);
tiny_kernels!(
    tiny_avx2_f32,
    "avx2,fma",
    f32,
    __m256,
    8,
    mask_ps,
    maskload_ps,
    store_first_ps,
    _mm256_loadu_ps,
    _mm256_storeu_ps,
    shifted_load_ps,
    shifted_store_ps,
    _mm256_set1_ps,
    _mm256_setzero_ps,
    _mm256_fmadd_ps,
    _mm256_mul_ps
);
