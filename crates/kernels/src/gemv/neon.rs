//! NEON (128-bit) kernels for both forms, one module per type. NEON has no lane masks, so
//! the rows (column form) or columns (row form) past the last full vector go to the portable
//! kernels.

use core::arch::aarch64::*;

/// Columns per pass of the column form.
const COLS: usize = 4;
/// Rows per pass of the row form.
const ROWS: usize = 4;

macro_rules! kernels {
    ($mod:ident, $T:ty, $L:expr, $load:ident, $store:ident, $dup:ident, $fma:ident,
     $add:ident, $addv:ident) => {
        pub(crate) mod $mod {
            use super::*;
            use crate::gemv::portable;

            const L: usize = $L;

            /// `y[..m] += Σ_c b[c]·col[c][..m]` over whole vectors (`m` a multiple of `L`).
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
                // SAFETY: i + L ≤ m, inside every slice.
                unsafe {
                    let bv = b.map(|v| $dup(v));
                    while i + L <= m {
                        let mut yv = $load(y.add(i));
                        for c in 0..K {
                            yv = $fma(yv, $load(col[c].add(i)), bv[c]);
                        }
                        $store(y.add(i), yv);
                        i += L;
                    }
                }
            }

            /// `y[r] += α·row[r][..n]·x[..n]` over whole vectors (`n` a multiple of `L`).
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
                // SAFETY: j + L ≤ n (j + 2L ≤ n in the paired loop); y has R elements.
                unsafe {
                    let mut acc = [[$dup(0.0); 2]; R];
                    while j + 2 * L <= n {
                        let (x0, x1) = ($load(x.add(j)), $load(x.add(j + L)));
                        for r in 0..R {
                            acc[r][0] = $fma(acc[r][0], $load(row[r].add(j)), x0);
                            acc[r][1] = $fma(acc[r][1], $load(row[r].add(j + L)), x1);
                        }
                        j += 2 * L;
                    }
                    if j + L <= n {
                        let x0 = $load(x.add(j));
                        for r in 0..R {
                            acc[r][0] = $fma(acc[r][0], $load(row[r].add(j)), x0);
                        }
                    }
                    for r in 0..R {
                        *y.add(r) += alpha * $addv($add(acc[r][0], acc[r][1]));
                    }
                }
            }

            /// Column form; the contract of `gemv::by_cols`.
            ///
            /// # Safety
            /// The CPU supports NEON; both lengths are at least 1 and every `A(i, j)` at
            /// `a + i + j·cs` (`i < y.len()`, `j < x.len()`) is readable.
            #[target_feature(enable = "neon")]
            pub(crate) unsafe fn cols(alpha: $T, a: *const $T, cs: isize, x: &[$T], y: &mut [$T]) {
                let (m, n) = (y.len(), x.len());
                let mv = m - m % L;
                let yp = y.as_mut_ptr();
                // SAFETY: column j < n is inside the view (the caller's contract).
                let col = |j: usize| unsafe { a.offset(j as isize * cs) };
                let mut j = 0;
                while j + COLS <= n {
                    let b = core::array::from_fn(|c| alpha * x[j + c]);
                    // SAFETY: columns j..j+COLS ≤ n, each with m ≥ mv readable rows; y has m.
                    unsafe { cols_pass::<COLS>(b, core::array::from_fn(|c| col(j + c)), mv, yp) };
                    j += COLS;
                }
                if n - j >= 2 {
                    let b = [alpha * x[j], alpha * x[j + 1]];
                    // SAFETY: as above, columns j, j + 1 < n.
                    unsafe { cols_pass::<2>(b, [col(j), col(j + 1)], mv, yp) };
                    j += 2;
                }
                if j < n {
                    // SAFETY: as above, column j < n.
                    unsafe { cols_pass::<1>([alpha * x[j]], [col(j)], mv, yp) };
                }
                if mv < m {
                    // SAFETY: rows mv..m of every column, A(i, j) at a + mv + (i − mv) + j·cs,
                    // are inside the view.
                    unsafe { portable::cols(alpha, a.add(mv), cs, x, &mut y[mv..]) };
                }
            }

            /// Row form; the contract of `gemv::by_rows`.
            ///
            /// # Safety
            /// The CPU supports NEON; both lengths are at least 1 and every `A(i, j)` at
            /// `a + i·rs + j` (`i < y.len()`, `j < x.len()`) is readable.
            #[target_feature(enable = "neon")]
            pub(crate) unsafe fn rows(alpha: $T, a: *const $T, rs: isize, x: &[$T], y: &mut [$T]) {
                let (m, n) = (y.len(), x.len());
                let nv = n - n % L;
                let (xp, yp) = (x.as_ptr(), y.as_mut_ptr());
                // SAFETY: row i < m is inside the view (the caller's contract).
                let row = |i: usize| unsafe { a.offset(i as isize * rs) };
                let mut i = 0;
                while i + ROWS <= m {
                    let r = core::array::from_fn(|k| row(i + k));
                    // SAFETY: rows i..i+ROWS ≤ m, each with n ≥ nv readable columns; x has n
                    // elements and y has m.
                    unsafe { rows_pass::<ROWS>(alpha, r, xp, nv, yp.add(i)) };
                    i += ROWS;
                }
                if m - i >= 2 {
                    // SAFETY: as above, rows i, i + 1 < m.
                    unsafe { rows_pass::<2>(alpha, [row(i), row(i + 1)], xp, nv, yp.add(i)) };
                    i += 2;
                }
                if i < m {
                    // SAFETY: as above, row i < m.
                    unsafe { rows_pass::<1>(alpha, [row(i)], xp, nv, yp.add(i)) };
                }
                if nv < n {
                    // SAFETY: columns nv..n of every row, A(i, j) at a + nv + i·rs + (j − nv),
                    // are inside the view.
                    unsafe { portable::rows(alpha, a.add(nv), rs, &x[nv..], y) };
                }
            }
        }
    };
}

kernels!(
    f64,
    f64,
    2,
    vld1q_f64,
    vst1q_f64,
    vdupq_n_f64,
    vfmaq_f64,
    vaddq_f64,
    vaddvq_f64
);
kernels!(
    f32,
    f32,
    4,
    vld1q_f32,
    vst1q_f32,
    vdupq_n_f32,
    vfmaq_f32,
    vaddq_f32,
    vaddvq_f32
);
