//! Small helpers shared by the factorizations: finiteness checks, row swaps, diagonals, a
//! team's shares.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use lapis_kernels::{MatMut, MatRef, Par, Scalar, Team};

use crate::FactorError;

/// Whether every element of `a` is finite.
pub(crate) fn all_finite<T: Scalar>(a: MatRef<'_, T>) -> bool {
    lapis_kernels::all_finite(a)
}

/// Whether every element on and below the diagonal of the square `a` is finite.
pub(crate) fn lower_finite<T: Scalar>(a: MatRef<'_, T>) -> bool {
    let (m, n) = a.shape();
    // The triangle in pieces along the view's unit stride: columns below the diagonal of a
    // column-major view, rows up to it in a row-major one.
    if a.row_stride().unsigned_abs() <= a.col_stride().unsigned_abs() {
        (0..n.min(m)).all(|j| all_finite(a.submatrix(j, j, m - j, 1)))
    } else {
        (0..m).all(|i| all_finite(a.submatrix(i, 0, 1, (i + 1).min(n))))
    }
}

/// `Err(NotSquare)` unless `a` is square.
pub(crate) fn check_square<T>(a: MatRef<'_, T>) -> Result<usize, FactorError> {
    if a.nrows() == a.ncols() {
        Ok(a.nrows())
    } else {
        Err(FactorError::NotSquare {
            nrows: a.nrows(),
            ncols: a.ncols(),
        })
    }
}

/// Exchanges rows `i` and `k` of `a` (all columns).
pub(crate) fn swap_rows<T: Scalar>(a: &mut MatMut<'_, T>, i: usize, k: usize) {
    lapis_kernels::swap_rows(a.rb(), i, k);
}

/// Applies the interchanges `row i ↔ row ipiv[i]` to `a`, for `i` in increasing order
/// (`forward`) or decreasing order (`!forward`, which undoes the forward sequence).
///
/// The pivots come from a factorization of `a`'s rows (or were validated by the caller), so
/// every entry names a row of `a`.
pub(crate) fn apply_row_swaps<T: Scalar>(a: MatMut<'_, T>, ipiv: &[usize], forward: bool) {
    lapis_kernels::laswp(a, ipiv, forward).expect("pivot rows lie inside the view");
}

/// 0-based index of the first exact zero on the diagonal of the square `a`.
pub(crate) fn first_zero_diagonal<T: Scalar>(a: MatRef<'_, T>) -> Option<usize> {
    (0..a.nrows().min(a.ncols())).find(|&i| a.get(i, i) == T::zero())
}

/// A dense column-major `m × n` view of the first `m·n` elements of a workspace buffer.
pub(crate) fn workspace<T>(
    buf: &mut [T],
    m: usize,
    n: usize,
) -> Result<MatMut<'_, T>, FactorError> {
    let len = buf.len();
    let need = m.checked_mul(n).filter(|&k| k <= len);
    match need {
        Some(k) => MatMut::from_col_major(&mut buf[..k], m, n).map_err(|_| FactorError::Shape {
            op: "workspace",
            shapes: vec![("work", (len, 1)), ("needed", (m, n))],
        }),
        None => Err(FactorError::Shape {
            op: "workspace",
            shapes: vec![("work", (len, 1)), ("needed", (m, n))],
        }),
    }
}

/// The upper triangle of a square view (zeros below) as a dense column-major matrix: the `R`
/// of a QR factorization stored over its reflectors.
pub(crate) fn upper_triangle<T: Scalar>(r: MatRef<'_, T>) -> Vec<T> {
    let n = r.nrows();
    let mut out = vec![T::zero(); n * n];
    for j in 0..n {
        for i in 0..=j {
            out[i + j * n] = r.get(i, j);
        }
    }
    out
}

/// Runs `share(k)` for `k < shares` on `team` (shares beyond the team's size are not run: pass
/// at most `team.size()`), returning an error a share met, if any did.
pub(crate) fn run_shares(
    team: &Team,
    shares: usize,
    share: impl Fn(usize) -> Result<(), FactorError> + Sync,
) -> Result<(), FactorError> {
    let failed = ErrorSlot::default();
    team.run(&|k| {
        if k < shares {
            failed.keep(share(k));
        }
    });
    failed.or(Ok(()))
}

/// The error some thread of a parallel loop met (the last one kept), shared by the threads.
#[derive(Default)]
struct ErrorSlot(Mutex<Option<FactorError>>);

impl ErrorSlot {
    /// Keeps `r`'s error, if it is one.
    fn keep(&self, r: Result<(), FactorError>) {
        if let Err(err) = r {
            *self.0.lock().expect("error slot") = Some(err);
        }
    }

    /// The kept error, or `out` when no thread met one.
    fn or<R>(self, out: Result<R, FactorError>) -> Result<R, FactorError> {
        match self.0.into_inner().expect("error slot") {
            Some(err) => Err(err),
            None => out,
        }
    }
}

/// `v` cut into consecutive mutable pieces of the lengths of `ranges` (which start at 0 and
/// follow each other), each behind its own lock for a team's share.
pub(crate) fn split_ranges<'a, T>(
    mut v: &'a mut [T],
    ranges: &[core::ops::Range<usize>],
) -> Vec<Mutex<&'a mut [T]>> {
    let mut out = Vec::with_capacity(ranges.len());
    for r in ranges {
        let (here, there) = core::mem::take(&mut v).split_at_mut(r.len());
        out.push(Mutex::new(here));
        v = there;
    }
    out
}

/// `0..len` cut into consecutive ranges of `width` (the last one shorter).
pub(crate) fn chunks_of(len: usize, width: usize) -> Vec<core::ops::Range<usize>> {
    let width = width.max(1);
    (0..len)
        .step_by(width)
        .map(|c| c..(c + width).min(len))
        .collect()
}

/// The columns of `a` cut into consecutive pieces of the lengths of `ranges` (which start at
/// 0 and follow each other), each behind its own lock for a team's share.
pub(crate) fn split_cols<'a, T>(
    mut a: MatMut<'a, T>,
    ranges: &[core::ops::Range<usize>],
) -> Vec<Mutex<MatMut<'a, T>>> {
    let mut out = Vec::with_capacity(ranges.len());
    for r in ranges {
        let (here, there) = a.split_at_col(r.len());
        out.push(Mutex::new(here));
        a = there;
    }
    out
}

/// Runs `item(i)` for every `i < count` on up to `par.degree()` threads that take the items in
/// turn (the other threads are tasks on the current rayon pool): the caller first runs `own`
/// and then takes items too. Returns what `own` returned, or `own`'s error, or an error an item
/// met (every item runs either way).
pub(crate) fn take_in_turn<R>(
    par: Par,
    count: usize,
    item: impl Fn(usize) -> Result<(), FactorError> + Sync,
    own: impl FnOnce() -> Result<R, FactorError>,
) -> Result<R, FactorError> {
    let taken = AtomicUsize::new(0);
    let failed = ErrorSlot::default();
    let take = || {
        loop {
            let i = taken.fetch_add(1, Ordering::Relaxed);
            if i >= count {
                break;
            }
            failed.keep(item(i));
        }
    };
    let out = rayon::in_place_scope(|s| {
        for _ in 1..par.degree().min(count) {
            s.spawn(|_| take());
        }
        let out = own();
        take();
        out
    })?;
    failed.or(Ok(out))
}
