//! Row interchanges (LAPACK `laswp`): the permutation half of every pivoted factorization.
//!
//! Column-major-like views are swept a column at a time, applying every interchange to the
//! column while it is in cache (swapping a row across a block of columns touches a cache
//! line per column per interchange); row-major-like views swap whole rows, which are
//! contiguous.

use crate::{KernelError, MatMut, Scalar};

/// Applies the interchanges `row t ↔ row ipiv[t]` to `a`, for `t = 0, 1, …` in order
/// (`forward`), or in reverse order (`!forward`, which undoes the forward sequence).
///
/// Errors with [`KernelError::Shape`] when `ipiv` is longer than `a` has rows or names a
/// row outside `a` (nothing is swapped then).
///
/// ```
/// use lapis_kernels::{laswp, MatMut};
/// // numpy: a[[0, 2]] = a[[2, 0]]; then a[[1, 2]] = a[[2, 1]]
/// let mut a = [0.0, 1.0, 2.0, 10.0, 11.0, 12.0]; // 3×2 column-major: rows (0,10) (1,11) (2,12)
/// laswp(MatMut::from_col_major(&mut a, 3, 2).unwrap(), &[2, 2], true).unwrap();
/// assert_eq!(a, [2.0, 0.0, 1.0, 12.0, 10.0, 11.0]);
/// ```
pub fn laswp<T: Scalar>(
    mut a: MatMut<'_, T>,
    ipiv: &[usize],
    forward: bool,
) -> Result<(), KernelError> {
    let (m, n) = a.shape();
    if ipiv.len() > m || ipiv.iter().any(|&k| k >= m) {
        return Err(KernelError::Shape {
            op: "laswp",
            shapes: vec![("a", (m, n)), ("ipiv", (ipiv.len(), 1))],
        });
    }
    if n == 0 || ipiv.is_empty() {
        return Ok(());
    }
    let steps = ipiv.len();
    let order = |t: usize| if forward { t } else { steps - 1 - t };
    let (rs, cs) = (a.row_stride(), a.col_stride());
    let base = a.as_mut_ptr();
    if rs.unsigned_abs() <= cs.unsigned_abs() {
        // The interchanges that move something, in order, as element offsets in a column,
        // all of them, so that each column is swept once while it is in cache (sweeping the
        // columns once per group of 64 interchanges streamed a panel of a large LU through
        // memory eight times at n = 1024). A short list lives on the stack: a heap buffer per
        // call cost more than the swaps themselves on the small panels of a recursive LU.
        const STACK: usize = 64;
        let mut stack = [(0isize, 0isize); STACK];
        let mut heap = Vec::new();
        let swaps: &mut [(isize, isize)] = if steps <= STACK {
            &mut stack[..steps]
        } else {
            heap.resize(steps, (0, 0));
            &mut heap
        };
        let mut len = 0;
        for t in 0..steps {
            let (i, k) = (order(t), ipiv[order(t)]);
            if i != k {
                swaps[len] = (i as isize * rs, k as isize * rs);
                len += 1;
            }
        }
        for j in 0..n {
            // SAFETY: j < n, so the column's base is inside the view.
            let col = unsafe { base.offset(j as isize * cs) };
            for &(oi, ok) in &swaps[..len] {
                // SAFETY: oi and ok are the offsets of rows i ≠ k < m (checked above) of
                // column j, inside the view; a MatMut never aliases two elements, so the
                // two pointers are distinct.
                unsafe { core::ptr::swap(col.offset(oi), col.offset(ok)) };
            }
        }
    } else {
        for t in 0..steps {
            let (i, k) = (order(t), ipiv[order(t)]);
            if i == k {
                continue;
            }
            // SAFETY: i, k < m and the n elements of each row are inside the view; with unit
            // column stride the rows are contiguous and, as distinct rows of a non-aliasing
            // view, do not overlap.
            unsafe {
                let (ri, rk) = (base.offset(i as isize * rs), base.offset(k as isize * rs));
                if cs == 1 {
                    core::ptr::swap_nonoverlapping(ri, rk, n);
                } else {
                    for j in 0..n as isize {
                        core::ptr::swap(ri.offset(j * cs), rk.offset(j * cs));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Exchanges rows `i` and `k` of `a`; panics when either is not a row of `a`.
///
/// ```
/// use lapis_kernels::{swap_rows, MatMut};
/// let mut a = [1.0, 2.0, 3.0, 4.0]; // [[1, 2], [3, 4]] row-major
/// swap_rows(MatMut::from_row_major(&mut a, 2, 2).unwrap(), 0, 1);
/// assert_eq!(a, [3.0, 4.0, 1.0, 2.0]);
/// ```
pub fn swap_rows<T: Scalar>(a: MatMut<'_, T>, i: usize, k: usize) {
    let m = a.nrows();
    assert!(
        i < m && k < m,
        "swap_rows: rows {i} and {k} of a view with {m} rows"
    );
    if i == k {
        return;
    }
    let mut a = a;
    let (rs, cs) = (a.row_stride(), a.col_stride());
    let base = a.as_mut_ptr();
    for j in 0..a.ncols() as isize {
        // SAFETY: i, k < m (asserted) and j < ncols, so both elements are inside the view;
        // i ≠ k and a MatMut never aliases two elements, so the pointers are distinct.
        unsafe {
            let col = base.offset(j * cs);
            core::ptr::swap(col.offset(i as isize * rs), col.offset(k as isize * rs));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MatRef;

    /// The permutation the pivot sequence applies, computed on indices.
    fn permuted(m: usize, ipiv: &[usize], forward: bool) -> Vec<usize> {
        let mut p: Vec<usize> = (0..m).collect();
        let order: Vec<usize> = if forward {
            (0..ipiv.len()).collect()
        } else {
            (0..ipiv.len()).rev().collect()
        };
        for t in order {
            p.swap(t, ipiv[t]);
        }
        p
    }

    #[test]
    fn matches_the_index_permutation_in_every_layout() {
        let (m, n) = (7, 70);
        let ipiv = [3, 1, 6, 6, 4, 6];
        for forward in [true, false] {
            let p = permuted(m, &ipiv, forward);
            for (rs, cs) in [(1, m as isize), (n as isize, 1), (2 * n as isize, 2)] {
                let len = m * n * 4;
                let src: Vec<f64> = (0..len).map(|x| x as f64).collect();
                let mut buf = src.clone();
                let a = MatMut::from_slice(&mut buf, m, n, rs, cs).unwrap();
                laswp(a, &ipiv, forward).unwrap();
                let before = MatRef::from_slice(&src, m, n, rs, cs).unwrap();
                let after = MatRef::from_slice(&buf, m, n, rs, cs).unwrap();
                for i in 0..m {
                    for j in 0..n {
                        assert_eq!(after.get(i, j), before.get(p[i], j), "rs {rs} cs {cs}");
                    }
                }
            }
        }
    }

    #[test]
    fn more_interchanges_than_one_group_apply_in_order() {
        // 150 interchanges: more than the stack list holds, so the column-major sweep takes
        // them from the heap; pivots that name earlier rows make the result depend on the
        // order.
        let (m, n) = (160, 5);
        let ipiv: Vec<usize> = (0..150).map(|t| (t * 97 + 13) % m).collect();
        for forward in [true, false] {
            let p = permuted(m, &ipiv, forward);
            let src: Vec<f64> = (0..m * n).map(|x| x as f64).collect();
            let mut buf = src.clone();
            laswp(
                MatMut::from_col_major(&mut buf, m, n).unwrap(),
                &ipiv,
                forward,
            )
            .unwrap();
            for i in 0..m {
                for j in 0..n {
                    assert_eq!(buf[i + j * m], src[p[i] + j * m], "forward {forward}");
                }
            }
        }
    }

    #[test]
    fn rejects_pivots_outside_the_view() {
        let mut buf = vec![0.0f32; 6];
        let a = MatMut::from_col_major(&mut buf, 3, 2).unwrap();
        assert!(laswp(a, &[3], true).is_err());
        let a = MatMut::from_col_major(&mut buf, 3, 2).unwrap();
        assert!(laswp(a, &[0, 1, 2, 2], true).is_err());
    }
}
