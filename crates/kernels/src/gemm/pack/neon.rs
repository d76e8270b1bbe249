//! aarch64 NEON transposes of contiguous rows: 2 × 2 `f64` and 4 × 4 `f32` in 128-bit
//! registers, 2 × 2 `f32` in 64-bit ones for the rows a 4-row block leaves (NR = 6).
//!
//! Every `t*` tile reads `src + r·rs + j` and writes `dst + j·mr + r` for `r, j < h` (its
//! height), nothing else; its caller guarantees those are inside the sliver and the panel.

use core::arch::aarch64::*;

transpose_rows!("neon", rows_f64, f64, 2, [2 => t2_f64]);
transpose_rows!("neon", rows_f32, f32, 4, [4 => t4_f32, 2 => t2_f32]);

/// 2 × 2 `f64`.
///
/// # Safety
/// NEON; the tile contract (module doc).
#[inline]
#[target_feature(enable = "neon")]
unsafe fn t2_f64(src: *const f64, rs: isize, dst: *mut f64, mr: usize) {
    // SAFETY: the tile contract for h = 2.
    unsafe {
        let r0 = vld1q_f64(src);
        let r1 = vld1q_f64(src.offset(rs));
        vst1q_f64(dst, vtrn1q_f64(r0, r1));
        vst1q_f64(dst.add(mr), vtrn2q_f64(r0, r1));
    }
}

/// 4 × 4 `f32`: pairs of rows transposed as 2 × 2 blocks of `f32`, then the 64-bit halves
/// regrouped.
///
/// # Safety
/// NEON; the tile contract (module doc).
#[inline]
#[target_feature(enable = "neon")]
unsafe fn t4_f32(src: *const f32, rs: isize, dst: *mut f32, mr: usize) {
    // SAFETY: the tile contract for h = 4.
    unsafe {
        let r0 = vld1q_f32(src);
        let r1 = vld1q_f32(src.offset(rs));
        let r2 = vld1q_f32(src.offset(2 * rs));
        let r3 = vld1q_f32(src.offset(3 * rs));
        // Rows 0-1 / 2-3 at depths (0, 2) and (1, 3), as pairs of f64-sized halves.
        let e01 = vreinterpretq_f64_f32(vtrn1q_f32(r0, r1));
        let o01 = vreinterpretq_f64_f32(vtrn2q_f32(r0, r1));
        let e23 = vreinterpretq_f64_f32(vtrn1q_f32(r2, r3));
        let o23 = vreinterpretq_f64_f32(vtrn2q_f32(r2, r3));
        vst1q_f32(dst, vreinterpretq_f32_f64(vtrn1q_f64(e01, e23)));
        vst1q_f32(dst.add(mr), vreinterpretq_f32_f64(vtrn1q_f64(o01, o23)));
        vst1q_f32(dst.add(2 * mr), vreinterpretq_f32_f64(vtrn2q_f64(e01, e23)));
        vst1q_f32(dst.add(3 * mr), vreinterpretq_f32_f64(vtrn2q_f64(o01, o23)));
    }
}

/// 2 × 2 `f32`.
///
/// # Safety
/// NEON; the tile contract (module doc).
#[inline]
#[target_feature(enable = "neon")]
unsafe fn t2_f32(src: *const f32, rs: isize, dst: *mut f32, mr: usize) {
    // SAFETY: the tile contract for h = 2.
    unsafe {
        let r0 = vld1_f32(src);
        let r1 = vld1_f32(src.offset(rs));
        vst1_f32(dst, vtrn1_f32(r0, r1));
        vst1_f32(dst.add(mr), vtrn2_f32(r0, r1));
    }
}
