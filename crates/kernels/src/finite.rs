//! Finiteness scans: the `check_finite` of every factorization reads its whole input once
//! before any work, so the scan runs along the view's unit stride, a block of elements per
//! test, rather than element by element across cache lines.

use crate::{MatRef, Scalar};

/// Elements tested together: the per-block `&` of the comparisons vectorizes, and the early
/// exit is taken once per block.
const BLOCK: usize = 16;

/// Whether every element of `a` is finite (neither NaN nor ±∞); `true` for an empty view.
///
/// ```
/// use lapis_kernels::{MatRef, all_finite};
/// // numpy: np.isfinite(a).all()
/// let a = [1.0, 2.0, f64::INFINITY, 4.0];
/// assert!(!all_finite(MatRef::from_row_major(&a, 2, 2).unwrap()));
/// assert!(all_finite(MatRef::from_row_major(&a[..2], 1, 2).unwrap()));
/// ```
pub fn all_finite<T: Scalar>(a: MatRef<'_, T>) -> bool {
    // Lines along the smaller stride: columns of a column-major view, rows of a row-major one.
    let a = if a.row_stride().unsigned_abs() <= a.col_stride().unsigned_abs() {
        a
    } else {
        a.transpose()
    };
    let (len, lines) = a.shape();
    if len == 0 {
        return true;
    }
    (0..lines).all(|j| {
        if a.row_stride() == 1 {
            // SAFETY: column j of a view with unit row stride is `len` consecutive elements
            // inside the view.
            let line = unsafe { core::slice::from_raw_parts(a.ptr_at(0, j), len) };
            slice_finite(line)
        } else {
            // SAFETY: i < len rows, j < lines columns.
            (0..len).all(|i| unsafe { a.get_unchecked(i, j) }.is_finite())
        }
    })
}

fn slice_finite<T: Scalar>(x: &[T]) -> bool {
    #[cfg(target_arch = "x86_64")]
    match crate::arch() {
        // SAFETY: arch() reports only ISAs this CPU supports.
        crate::Isa::Avx512 => return unsafe { finite_avx512(x) },
        // SAFETY: as above.
        crate::Isa::Avx2 => return unsafe { finite_avx2(x) },
        _ => {}
    }
    // NEON is part of the aarch64 baseline, so there the plain body is vectorized already.
    finite_body(x)
}

/// [`finite_body`] compiled for AVX-512: eight lanes per compare instead of the baseline
/// build's two (3–7 elements/ns measured in Cholesky's input check).
///
/// # Safety
/// The CPU supports AVX-512F.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx2")]
unsafe fn finite_avx512<T: Scalar>(x: &[T]) -> bool {
    finite_body(x)
}

/// [`finite_body`] compiled for AVX2.
///
/// # Safety
/// The CPU supports AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn finite_avx2<T: Scalar>(x: &[T]) -> bool {
    finite_body(x)
}

#[inline(always)]
fn finite_body<T: Scalar>(x: &[T]) -> bool {
    let (blocks, rest) = x.as_chunks::<BLOCK>();
    blocks
        .iter()
        .all(|b| b.iter().fold(true, |ok, v| ok & v.is_finite()))
        && rest.iter().all(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_one_non_finite_anywhere_in_any_layout() {
        let (m, n) = (19, 37);
        let len = 2 * m * n;
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            for (rs, cs) in [
                (1, m as isize),
                (n as isize, 1),
                (2, 2 * m as isize),
                (-1, m as isize),
            ] {
                for pos in [(0, 0), (m - 1, n - 1), (7, 20), (18, 0), (0, 36)] {
                    let mut buf = vec![1.5f64; len];
                    let off = if rs < 0 { m - 1 } else { 0 };
                    let idx = off as isize + pos.0 as isize * rs + pos.1 as isize * cs;
                    buf[idx as usize] = bad;
                    let a = MatRef::from_slice_with_offset(&buf, off, m, n, rs, cs).unwrap();
                    assert!(!all_finite(a), "{bad} at {pos:?}, strides ({rs}, {cs})");
                    buf[idx as usize] = f64::MAX;
                    let a = MatRef::from_slice_with_offset(&buf, off, m, n, rs, cs).unwrap();
                    assert!(all_finite(a), "finite, strides ({rs}, {cs})");
                }
            }
        }
        assert!(all_finite(
            MatRef::<f32>::from_slice(&[], 0, 5, 1, 1).unwrap()
        ));
        assert!(!all_finite(
            MatRef::from_slice(&[f32::NAN], 1, 1, 1, 1).unwrap()
        ));
    }
}
