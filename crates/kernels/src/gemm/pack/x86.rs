//! x86_64 transposes of contiguous rows, for AVX2 and AVX-512 alike: 4 × 4 `f64` and 8 × 8
//! `f32` in 256-bit registers, 2 × 2 and 4 × 4 in 128-bit ones for the rows the larger
//! blocks leave (an `f64` NR = 6 is a 4-row and a 2-row block); six `f32` rows by eight depth
//! steps for the six-wide `f32` panels of AVX2.
//!
//! An 8 × 8 `f64` block in 512-bit registers packed a column-major B (8-column panels) 10-20%
//! slower than two 4 × 4 blocks on an AVX-512 Xeon, and gained at most 8% on 24-row A
//! panels (likely because every 64-byte load from an unaligned row spans two cache lines).
//!
//! Every `t*` tile reads `src + r·rs + j` and writes `dst + j·mr + r` for `r, j < h` (its
//! height), nothing else; its caller guarantees those are inside the sliver and the panel.

use core::arch::x86_64::*;

transpose_rows!("avx2", rows_f64, f64, 4, [4 => t4_f64, 2 => t2_f64]);
transpose_rows!("avx2", rows_f32_tiles, f32, 8, [8 => t8_f32, 4 => t4_f32, 2 => t2_f32]);

/// Writes `out[p·mr + i] = base[i·rs + p]` for `i < rows`, `p < k`: six rows into six-wide
/// panels (AVX2's B panels, NR = 6) by [`six_rows_f32`], any other sliver by the square
/// tiles.
///
/// # Safety
/// AVX2; `base + i·rs + p` is readable and `out + p·mr + i` writable for every
/// `i < rows ≤ mr`, `p < k`.
#[target_feature(enable = "avx2")]
pub(super) unsafe fn rows_f32(
    base: *const f32,
    rs: isize,
    rows: usize,
    k: usize,
    mr: usize,
    out: *mut f32,
) {
    // SAFETY: the caller's contract, which for rows == mr == 6 is six_rows_f32's.
    unsafe {
        if rows == 6 && mr == 6 {
            six_rows_f32(base, rs, k, out);
        } else {
            rows_f32_tiles(base, rs, rows, k, mr, out);
        }
    }
}

/// `out[p·6 + i] = base[i·rs + p]` for `i < 6`, `p < k`, eight depth steps at a time in
/// 256-bit registers.
///
/// As 4 × 4 and 2 × 2 tiles, these panels took 16 stores of 128 and 64 bits per eight depth
/// steps. Here each depth step's six elements are one 256-bit store whose last two lanes fall
/// on the next step's first two, which the next store (or the gather of the depths left)
/// writes over in order; only the sliver's very last step stores its six exactly. Packing a
/// column-major B on Zen 3 (`pack_timings`, ns per element, tiles → this): 256 × 256 0.42 →
/// 0.18, 96 × 384 0.40 → 0.10, 48 × 64 0.37 → 0.08; f32 GEMM 200³ 0.97 of the time, 256³
/// 0.98, 512³ 0.98-1.01.
///
/// # Safety
/// AVX; `base + i·rs + p` is readable and `out + p·6 + i` writable for `i < 6`, `p < k`.
#[target_feature(enable = "avx")]
unsafe fn six_rows_f32(base: *const f32, rs: isize, k: usize, out: *mut f32) {
    let mut p = 0;
    while p + 8 <= k {
        // SAFETY: rows 0..6 at depths p .. p + 8 ≤ k are inside the sliver; the stores at
        // out + (p + d)·6 write 8 elements, i.e. depth p + d and the first two of depth
        // p + d + 1, which is below k except for the last store when p + 8 == k, and that
        // one stores exactly six.
        unsafe {
            let src = base.add(p);
            let r0 = _mm256_loadu_ps(src);
            let r1 = _mm256_loadu_ps(src.offset(rs));
            let r2 = _mm256_loadu_ps(src.offset(2 * rs));
            let r3 = _mm256_loadu_ps(src.offset(3 * rs));
            let r4 = _mm256_loadu_ps(src.offset(4 * rs));
            let r5 = _mm256_loadu_ps(src.offset(5 * rs));
            // Pairs of rows interleaved: depths (0, 1 | 4, 5) and (2, 3 | 6, 7).
            let e01 = _mm256_unpacklo_ps(r0, r1);
            let o01 = _mm256_unpackhi_ps(r0, r1);
            let e23 = _mm256_unpacklo_ps(r2, r3);
            let o23 = _mm256_unpackhi_ps(r2, r3);
            let e45 = _mm256_unpacklo_ps(r4, r5);
            let o45 = _mm256_unpackhi_ps(r4, r5);
            // q[d]: rows 0-3 at depth d in the low lane, d + 4 in the high one; s[d]: rows 4
            // and 5 at those depths in the first two slots of each lane.
            let q = [
                _mm256_shuffle_ps::<0x44>(e01, e23),
                _mm256_shuffle_ps::<0xEE>(e01, e23),
                _mm256_shuffle_ps::<0x44>(o01, o23),
                _mm256_shuffle_ps::<0xEE>(o01, o23),
            ];
            let s = [
                e45,
                _mm256_shuffle_ps::<0xEE>(e45, e45),
                o45,
                _mm256_shuffle_ps::<0xEE>(o45, o45),
            ];
            let dst = out.add(p * 6);
            for d in 0..4 {
                _mm256_storeu_ps(dst.add(d * 6), _mm256_permute2f128_ps::<0x20>(q[d], s[d]));
            }
            for d in 0..3 {
                _mm256_storeu_ps(
                    dst.add((d + 4) * 6),
                    _mm256_permute2f128_ps::<0x31>(q[d], s[d]),
                );
            }
            let last = dst.add(7 * 6);
            if p + 8 < k {
                _mm256_storeu_ps(last, _mm256_permute2f128_ps::<0x31>(q[3], s[3]));
            } else {
                _mm_storeu_ps(last, _mm256_extractf128_ps::<1>(q[3]));
                let pair = _mm_castps_si128(_mm256_extractf128_ps::<1>(s[3]));
                _mm_storel_epi64(last.add(4).cast(), pair);
            }
        }
        p += 8;
    }
    // SAFETY: every row of the sliver, the depths p .. k left.
    unsafe { super::gather(base, rs, 1, 6, p..k, 6, out) };
}

/// 4 × 4 `f64`: pairs of rows interleaved, then 128-bit halves regrouped.
///
/// # Safety
/// AVX; the tile contract (module doc).
#[inline]
#[target_feature(enable = "avx")]
unsafe fn t4_f64(src: *const f64, rs: isize, dst: *mut f64, mr: usize) {
    // SAFETY: the tile contract for h = 4.
    unsafe {
        let r0 = _mm256_loadu_pd(src);
        let r1 = _mm256_loadu_pd(src.offset(rs));
        let r2 = _mm256_loadu_pd(src.offset(2 * rs));
        let r3 = _mm256_loadu_pd(src.offset(3 * rs));
        // Rows 0-1 / 2-3 at depths (0, 2) and (1, 3).
        let e01 = _mm256_unpacklo_pd(r0, r1);
        let o01 = _mm256_unpackhi_pd(r0, r1);
        let e23 = _mm256_unpacklo_pd(r2, r3);
        let o23 = _mm256_unpackhi_pd(r2, r3);
        _mm256_storeu_pd(dst, _mm256_permute2f128_pd::<0x20>(e01, e23));
        _mm256_storeu_pd(dst.add(mr), _mm256_permute2f128_pd::<0x20>(o01, o23));
        _mm256_storeu_pd(dst.add(2 * mr), _mm256_permute2f128_pd::<0x31>(e01, e23));
        _mm256_storeu_pd(dst.add(3 * mr), _mm256_permute2f128_pd::<0x31>(o01, o23));
    }
}

/// 2 × 2 `f64`.
///
/// # Safety
/// SSE2; the tile contract (module doc).
#[inline]
#[target_feature(enable = "sse2")]
unsafe fn t2_f64(src: *const f64, rs: isize, dst: *mut f64, mr: usize) {
    // SAFETY: the tile contract for h = 2.
    unsafe {
        let r0 = _mm_loadu_pd(src);
        let r1 = _mm_loadu_pd(src.offset(rs));
        _mm_storeu_pd(dst, _mm_unpacklo_pd(r0, r1));
        _mm_storeu_pd(dst.add(mr), _mm_unpackhi_pd(r0, r1));
    }
}

/// 8 × 8 `f32`: pairs of rows interleaved, pairs of pairs combined within each 128-bit
/// lane, then the lanes regrouped.
///
/// # Safety
/// AVX; the tile contract (module doc).
#[inline]
#[target_feature(enable = "avx")]
unsafe fn t8_f32(src: *const f32, rs: isize, dst: *mut f32, mr: usize) {
    // SAFETY: the tile contract for h = 8.
    unsafe {
        let mut r = [_mm256_setzero_ps(); 8];
        for i in 0..8 {
            r[i] = _mm256_loadu_ps(src.offset(i as isize * rs));
        }
        // t[2q] / t[2q + 1]: rows 2q, 2q + 1 interleaved at depths (0, 1 | 4, 5) / (2, 3 | 6, 7).
        let mut t = [_mm256_setzero_ps(); 8];
        for q in 0..4 {
            t[2 * q] = _mm256_unpacklo_ps(r[2 * q], r[2 * q + 1]);
            t[2 * q + 1] = _mm256_unpackhi_ps(r[2 * q], r[2 * q + 1]);
        }
        // u[d]: rows 0-3 at depth d in the low lane and d + 4 in the high one (d < 4);
        // u[4 + d]: rows 4-7.
        let mut u = [_mm256_setzero_ps(); 8];
        for h in [0, 4] {
            u[h] = _mm256_shuffle_ps::<0x44>(t[h], t[h + 2]);
            u[h + 1] = _mm256_shuffle_ps::<0xEE>(t[h], t[h + 2]);
            u[h + 2] = _mm256_shuffle_ps::<0x44>(t[h + 1], t[h + 3]);
            u[h + 3] = _mm256_shuffle_ps::<0xEE>(t[h + 1], t[h + 3]);
        }
        for d in 0..4 {
            let lo = _mm256_permute2f128_ps::<0x20>(u[d], u[d + 4]);
            let hi = _mm256_permute2f128_ps::<0x31>(u[d], u[d + 4]);
            _mm256_storeu_ps(dst.add(d * mr), lo);
            _mm256_storeu_ps(dst.add((d + 4) * mr), hi);
        }
    }
}

/// 4 × 4 `f32`.
///
/// # Safety
/// SSE; the tile contract (module doc).
#[inline]
#[target_feature(enable = "sse")]
unsafe fn t4_f32(src: *const f32, rs: isize, dst: *mut f32, mr: usize) {
    // SAFETY: the tile contract for h = 4.
    unsafe {
        let r0 = _mm_loadu_ps(src);
        let r1 = _mm_loadu_ps(src.offset(rs));
        let r2 = _mm_loadu_ps(src.offset(2 * rs));
        let r3 = _mm_loadu_ps(src.offset(3 * rs));
        // Rows 0-1 / 2-3 interleaved at depths (0, 1) and (2, 3).
        let a01 = _mm_unpacklo_ps(r0, r1);
        let b01 = _mm_unpackhi_ps(r0, r1);
        let a23 = _mm_unpacklo_ps(r2, r3);
        let b23 = _mm_unpackhi_ps(r2, r3);
        _mm_storeu_ps(dst, _mm_movelh_ps(a01, a23));
        _mm_storeu_ps(dst.add(mr), _mm_movehl_ps(a23, a01));
        _mm_storeu_ps(dst.add(2 * mr), _mm_movelh_ps(b01, b23));
        _mm_storeu_ps(dst.add(3 * mr), _mm_movehl_ps(b23, b01));
    }
}

/// 2 × 2 `f32`, through 64-bit loads and stores.
///
/// # Safety
/// SSE2; the tile contract (module doc).
#[inline]
#[target_feature(enable = "sse2")]
unsafe fn t2_f32(src: *const f32, rs: isize, dst: *mut f32, mr: usize) {
    // SAFETY: the tile contract for h = 2; the 64-bit loads and stores are unaligned ones
    // of two f32 each.
    unsafe {
        let r0 = _mm_castsi128_ps(_mm_loadl_epi64(src.cast()));
        let r1 = _mm_castsi128_ps(_mm_loadl_epi64(src.offset(rs).cast()));
        let x = _mm_unpacklo_ps(r0, r1);
        _mm_storel_epi64(dst.cast(), _mm_castps_si128(x));
        _mm_storel_epi64(dst.add(mr).cast(), _mm_castps_si128(_mm_movehl_ps(x, x)));
    }
}
