//! Complex matrices between numpy's interleaved layout and the split planes of
//! [`lapis_factor::complex`]: the complex paths of the linalg functions read each matrix of
//! a stack into a [`CMat`] (reused across a stack where the shape allows) and write results
//! back as parts.

use lapis_factor::complex::{CMat, CMatRef, Complex};

use super::stack::Stack;
use crate::Inexact;

/// Matrix `i` of `st` into `dst` (same shape).
pub(crate) fn load<T: Inexact>(st: &Stack<'_, T>, i: usize, dst: &mut CMat<T::Float>) {
    let mut d = dst.as_mut();
    for c in 0..st.cols {
        for r in 0..st.rows {
            let z = st.at(i, r, c);
            d.write(r, c, Complex::new(z.re(), z.im()));
        }
    }
}

/// Matrix `i` of `st` as a new split matrix.
pub(crate) fn copy<T: Inexact>(st: &Stack<'_, T>, i: usize) -> CMat<T::Float> {
    let mut m = CMat::zeros(st.rows, st.cols);
    load(st, i, &mut m);
    m
}

/// An `n × k` matrix given in C order into `dst` (`n × k`).
pub(crate) fn load_row_major<T: Inexact>(x: &[T], dst: &mut CMat<T::Float>) {
    let k = dst.ncols();
    let mut d = dst.as_mut();
    for (at, z) in x.iter().enumerate() {
        d.write(at / k.max(1), at % k.max(1), Complex::new(z.re(), z.im()));
    }
}

/// `src` into `dst` in C order, element `(r, c)` kept only where `keep(r, c)` (zero
/// elsewhere).
pub(crate) fn store_where<T: Inexact>(
    src: CMatRef<'_, T::Float>,
    dst: &mut [T],
    keep: impl Fn(usize, usize) -> bool,
) {
    let (m, n) = src.shape();
    let parts: &mut [T::Float] = bytemuck::cast_slice_mut(dst);
    debug_assert_eq!(parts.len(), 2 * m * n);
    for r in 0..m {
        for c in 0..n {
            let at = 2 * (r * n + c);
            let (re, im) = if keep(r, c) {
                let z = src.get(r, c);
                (z.re, z.im)
            } else {
                Default::default()
            };
            parts[at] = re;
            parts[at + 1] = im;
        }
    }
}

/// `src` into `dst` in C order.
pub(crate) fn store<T: Inexact>(src: CMatRef<'_, T::Float>, dst: &mut [T]) {
    store_where(src, dst, |_, _| true);
}
