//! Packing: copy blocks of A and B into the panel layouts the microkernels stream through.
//!
//! A block of A (`m × k`) becomes `⌈m/MR⌉` panels; panel `r` holds, for each `p < k`, the `MR`
//! elements `A(r·MR .. r·MR+MR, p)`, rows past `m` set to zero. A block of B (`k × n`)
//! becomes `⌈n/NR⌉` panels; panel `s` holds, for each `p`, `B(p, s·NR .. s·NR+NR)`.

use crate::MatRef;
use crate::Scalar;

/// Number of elements [`pack_a`] writes for an `m × k` block.
#[inline]
pub fn packed_a_len(m: usize, k: usize, mr: usize) -> usize {
    m.div_ceil(mr) * mr * k
}

/// Number of elements [`pack_b`] writes for a `k × n` block.
#[inline]
pub fn packed_b_len(k: usize, n: usize, nr: usize) -> usize {
    n.div_ceil(nr) * nr * k
}

/// Packs `a` (`m × k`) into `MR`-row panels at `dst`.
///
/// # Safety
/// `dst` must be valid for writes of [`packed_a_len`] elements.
pub unsafe fn pack_a<T: Scalar>(a: MatRef<'_, T>, mr: usize, dst: *mut T) {
    let (m, k) = a.shape();
    let (rs, cs) = (a.row_stride(), a.col_stride());
    let mut out = dst;
    for r0 in (0..m).step_by(mr) {
        let rows = mr.min(m - r0);
        // SAFETY: row r0 < m is inside `a` (or the block is empty and never read).
        let base = unsafe { a.ptr_at(r0, 0) };
        for p in 0..k {
            // SAFETY: `out` advances by exactly mr per (panel, p), within packed_a_len; the
            // source elements (r0 + i, p) with i < rows are inside `a`.
            unsafe {
                let src = base.offset(p as isize * cs);
                if rs == 1 {
                    core::ptr::copy_nonoverlapping(src, out, rows);
                } else {
                    for i in 0..rows {
                        *out.add(i) = *src.offset(i as isize * rs);
                    }
                }
                for i in rows..mr {
                    *out.add(i) = T::zero();
                }
                out = out.add(mr);
            }
        }
    }
}

/// Packs `b` (`k × n`) into `NR`-column panels at `dst`.
///
/// # Safety
/// `dst` must be valid for writes of [`packed_b_len`] elements.
pub unsafe fn pack_b<T: Scalar>(b: MatRef<'_, T>, nr: usize, dst: *mut T) {
    // Packing B's columns into NR-wide rows is packing Bᵀ's rows into NR-high columns.
    // SAFETY: packed_b_len(k, n, nr) == packed_a_len(n, k, nr).
    unsafe { pack_a(b.transpose(), nr, dst) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panels_have_the_documented_layout() {
        let d: Vec<f64> = (0..15).map(f64::from).collect();
        let a = MatRef::from_row_major(&d, 5, 3).unwrap();
        let mut buf = vec![f64::NAN; packed_a_len(5, 3, 4)];
        // SAFETY: buf has packed_a_len elements.
        unsafe { pack_a(a, 4, buf.as_mut_ptr()) };
        // panel 0, p = 1: A(0..4, 1)
        assert_eq!(&buf[4..8], &[1.0, 4.0, 7.0, 10.0]);
        // panel 1, p = 2: A(4, 2) then zero padding
        assert_eq!(&buf[12 + 8..12 + 12], &[14.0, 0.0, 0.0, 0.0]);
        let mut bb = vec![f64::NAN; packed_b_len(5, 3, 2)];
        // SAFETY: bb has packed_b_len elements.
        unsafe { pack_b(a, 2, bb.as_mut_ptr()) };
        // panel 0, p = 3: B(3, 0..2)
        assert_eq!(&bb[6..8], &[9.0, 10.0]);
        // panel 1, p = 0: B(0, 2), pad
        assert_eq!(&bb[10..12], &[2.0, 0.0]);
    }
}
