//! AVX-512F and AVX2+FMA kernels for both forms, one module per (ISA, type).
//!
//! Tails are masked: the last partial vector of a column (column form) or of a row (row
//! form) is loaded through a lane mask and stored through one (AVX-512) or by plain moves of
//! its first lanes (AVX2, whose masked store is microcoded on AMD); masked lanes are neither
//! read nor written, so a 13-row product costs two vectors per column instead of one plus
//! five scalar steps, and nothing outside the views is touched.

use core::arch::x86_64::*;

use crate::gemm::kernel::small_x86::{mask_pd, mask_ps, store_first_pd, store_first_ps};

/// Columns per pass of the column form: `y`'s chunk is loaded and stored once per this many
/// columns. Eight measured faster than four (fewer `y` round trips; the eight broadcasts
/// still fit in registers with AVX2's sixteen). The tail passes cover up to seven.
const COLS: usize = 8;
const _: () = assert!(COLS <= 8);
/// Rows per pass of the row form: `x`'s chunk is loaded once per this many rows.
const ROWS: usize = 4;

macro_rules! kernels {
    ($mod:ident, $feat:literal, $T:ty, $V:ty, $L:expr, $M:ty, $tail:expr, $mload:expr,
     $mstore:expr, $hsum:expr, $load:ident, $store:ident, $set1:ident, $zero:ident,
     $fmadd:ident, $add:ident) => {
        pub(crate) mod $mod {
            use super::*;

            const L: usize = $L;

            /// Lane mask for the first `rem` lanes, `rem < L`.
            #[inline(always)]
            #[allow(unused_unsafe)]
            fn tail(rem: usize) -> $M {
                // SAFETY: only called from the kernels below, which run where the ISA is
                // supported.
                unsafe { $tail(rem) }
            }

            /// `y[..m] += Σ_c b[c]·col[c][..m]`, `y`'s chunk loaded and stored once.
            ///
            /// # Safety
            /// `m` elements from `y` and from every `col[c]` are valid (`y` for writes).
            #[inline(always)]
            unsafe fn cols_pass<const K: usize>(
                b: [$T; K],
                col: [*const $T; K],
                m: usize,
                y: *mut $T,
            ) {
                let mut i = 0;
                // SAFETY: full vectors stay below i + L ≤ m; the masked tail reads and writes
                // only lanes below m − i.
                unsafe {
                    let bv = b.map(|v| $set1(v));
                    while i + L <= m {
                        let mut yv = $load(y.add(i));
                        for c in 0..K {
                            yv = $fmadd($load(col[c].add(i)), bv[c], yv);
                        }
                        $store(y.add(i), yv);
                        i += L;
                    }
                    if i < m {
                        let k = tail(m - i);
                        let mut yv = $mload(k, y.add(i));
                        for c in 0..K {
                            yv = $fmadd($mload(k, col[c].add(i)), bv[c], yv);
                        }
                        $mstore(y.add(i), m - i, k, yv);
                    }
                }
            }

            /// `y[r] += α·row[r][..n]·x[..n]` for the `R` rows, `x`'s chunk loaded once.
            ///
            /// # Safety
            /// `n` elements from `x` and from every `row[r]` are readable; `R` from `y`
            /// writable.
            #[inline(always)]
            unsafe fn rows_pass<const R: usize>(
                alpha: $T,
                row: [*const $T; R],
                x: *const $T,
                n: usize,
                y: *mut $T,
            ) {
                let mut j = 0;
                // SAFETY: full vectors stay below j + L ≤ n; the masked tail reads only lanes
                // below n − j; y has R elements.
                unsafe {
                    // Two accumulators per row: the FMA latency is hidden by 2·R chains.
                    let mut acc = [[$zero(); 2]; R];
                    while j + 2 * L <= n {
                        let (x0, x1) = ($load(x.add(j)), $load(x.add(j + L)));
                        for r in 0..R {
                            acc[r][0] = $fmadd($load(row[r].add(j)), x0, acc[r][0]);
                            acc[r][1] = $fmadd($load(row[r].add(j + L)), x1, acc[r][1]);
                        }
                        j += 2 * L;
                    }
                    if j + L <= n {
                        let x0 = $load(x.add(j));
                        for r in 0..R {
                            acc[r][0] = $fmadd($load(row[r].add(j)), x0, acc[r][0]);
                        }
                        j += L;
                    }
                    if j < n {
                        let k = tail(n - j);
                        let x1 = $mload(k, x.add(j));
                        for r in 0..R {
                            acc[r][1] = $fmadd($mload(k, row[r].add(j)), x1, acc[r][1]);
                        }
                    }
                    for r in 0..R {
                        *y.add(r) += alpha * $hsum($add(acc[r][0], acc[r][1]));
                    }
                }
            }

            /// Column form; the contract of `gemv::by_cols`.
            ///
            /// # Safety
            /// The CPU supports the target features; both lengths are at least 1 and every
            /// `A(i, j)` at `a + i + j·cs` (`i < y.len()`, `j < x.len()`) is readable.
            #[target_feature(enable = $feat)]
            pub(crate) unsafe fn cols(alpha: $T, a: *const $T, cs: isize, x: &[$T], y: &mut [$T]) {
                let (m, n) = (y.len(), x.len());
                let yp = y.as_mut_ptr();
                // SAFETY: column j < n is inside the view (the caller's contract).
                let col = |j: usize| unsafe { a.offset(j as isize * cs) };
                let mut j = 0;
                while j + COLS <= n {
                    let b = core::array::from_fn(|c| alpha * x[j + c]);
                    // SAFETY: columns j..j+COLS ≤ n, each with m readable rows; y has m.
                    unsafe { cols_pass::<COLS>(b, core::array::from_fn(|c| col(j + c)), m, yp) };
                    j += COLS;
                }
                // The fewer than COLS columns left: at most one pass each of four, two, one.
                if n - j >= 4 {
                    let b = core::array::from_fn(|c| alpha * x[j + c]);
                    // SAFETY: as above, columns j..j+4 ≤ n.
                    unsafe { cols_pass::<4>(b, core::array::from_fn(|c| col(j + c)), m, yp) };
                    j += 4;
                }
                if n - j >= 2 {
                    let b = [alpha * x[j], alpha * x[j + 1]];
                    // SAFETY: as above, columns j, j + 1 < n.
                    unsafe { cols_pass::<2>(b, [col(j), col(j + 1)], m, yp) };
                    j += 2;
                }
                if j < n {
                    // SAFETY: as above, column j < n.
                    unsafe { cols_pass::<1>([alpha * x[j]], [col(j)], m, yp) };
                }
            }

            /// Row form; the contract of `gemv::by_rows`.
            ///
            /// # Safety
            /// The CPU supports the target features; both lengths are at least 1 and every
            /// `A(i, j)` at `a + i·rs + j` (`i < y.len()`, `j < x.len()`) is readable.
            #[target_feature(enable = $feat)]
            pub(crate) unsafe fn rows(alpha: $T, a: *const $T, rs: isize, x: &[$T], y: &mut [$T]) {
                let (m, n) = (y.len(), x.len());
                let (xp, yp) = (x.as_ptr(), y.as_mut_ptr());
                // SAFETY: row i < m is inside the view (the caller's contract).
                let row = |i: usize| unsafe { a.offset(i as isize * rs) };
                let mut i = 0;
                while i + ROWS <= m {
                    let r = core::array::from_fn(|k| row(i + k));
                    // SAFETY: rows i..i+ROWS ≤ m, each with n readable columns; x has n
                    // elements and y has m.
                    unsafe { rows_pass::<ROWS>(alpha, r, xp, n, yp.add(i)) };
                    i += ROWS;
                }
                // The 1–3 rows left, as at most one pass of two and one of one.
                if m - i >= 2 {
                    // SAFETY: as above, rows i, i + 1 < m.
                    unsafe { rows_pass::<2>(alpha, [row(i), row(i + 1)], xp, n, yp.add(i)) };
                    i += 2;
                }
                if i < m {
                    // SAFETY: as above, row i < m.
                    unsafe { rows_pass::<1>(alpha, [row(i)], xp, n, yp.add(i)) };
                }
            }
        }
    };
}

/// Sum of the four lanes.
#[inline]
#[target_feature(enable = "avx2")]
fn hsum_pd(v: __m256d) -> f64 {
    let s = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)))
}

/// Sum of the eight lanes.
#[inline]
#[target_feature(enable = "avx2")]
fn hsum_ps(v: __m256) -> f32 {
    let s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    _mm_cvtss_f32(_mm_add_ss(s, _mm_movehdup_ps(s)))
}

kernels!(
    avx512_f64,
    "avx512f",
    f64,
    __m512d,
    8,
    __mmask8,
    |rem: usize| ((1u32 << rem) - 1) as __mmask8,
    |k, p| _mm512_maskz_loadu_pd(k, p),
    |p, _rem, k, v| _mm512_mask_storeu_pd(p, k, v),
    |v| _mm512_reduce_add_pd(v),
    _mm512_loadu_pd,
    _mm512_storeu_pd,
    _mm512_set1_pd,
    _mm512_setzero_pd,
    _mm512_fmadd_pd,
    _mm512_add_pd
);
kernels!(
    avx512_f32,
    "avx512f",
    f32,
    __m512,
    16,
    __mmask16,
    |rem: usize| ((1u32 << rem) - 1) as __mmask16,
    |k, p| _mm512_maskz_loadu_ps(k, p),
    |p, _rem, k, v| _mm512_mask_storeu_ps(p, k, v),
    |v| _mm512_reduce_add_ps(v),
    _mm512_loadu_ps,
    _mm512_storeu_ps,
    _mm512_set1_ps,
    _mm512_setzero_ps,
    _mm512_fmadd_ps,
    _mm512_add_ps
);
kernels!(
    avx2_f64,
    "avx2,fma",
    f64,
    __m256d,
    4,
    __m256i,
    mask_pd,
    |k, p| _mm256_maskload_pd(p, k),
    |p, rem, _k, v| store_first_pd(p, rem, v),
    hsum_pd,
    _mm256_loadu_pd,
    _mm256_storeu_pd,
    _mm256_set1_pd,
    _mm256_setzero_pd,
    _mm256_fmadd_pd,
    _mm256_add_pd
);
kernels!(
    avx2_f32,
    "avx2,fma",
    f32,
    __m256,
    8,
    __m256i,
    mask_ps,
    |k, p| _mm256_maskload_ps(p, k),
    |p, rem, _k, v| store_first_ps(p, rem, v),
    hsum_ps,
    _mm256_loadu_ps,
    _mm256_storeu_ps,
    _mm256_set1_ps,
    _mm256_setzero_ps,
    _mm256_fmadd_ps,
    _mm256_add_ps
);
