//! Triangular solve with many right-hand sides: `op(T)·X = α·B` or `X·op(T) = α·B`.
//!
//! Recursive: the triangle is halved, the two diagonal halves are solved recursively and the
//! off-diagonal block updates the remaining right-hand sides through GEMM, so all but
//! `O(NB/n)` of the flops run in the packed GEMM. Diagonal blocks of at most [`NB`] rows are
//! solved by the register-blocked kernel of `trsm_leaf`, in place when the right-hand sides
//! are rows of unit stride and on a row-major copy otherwise.
//!
//! A right-side solve `X·T = B` is the left-side solve `Tᵀ·Xᵀ = Bᵀ` on transposed views, and a
//! transposed triangle is a transposed view with the opposite [`Uplo`]: views are free, so
//! there is one algorithm.

use crate::blas1::kern;
use crate::gemm::gemm_unchecked_shapes;
use crate::trsm_leaf::{DiagOp, Lower, solve_rows};
use crate::{KernelError, MatMut, MatRef, Par, Scalar};

/// Which side of `B` the triangular matrix multiplies.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Side {
    /// `op(T)·X` (`T` is `m × m` for an `m × n` `B`).
    Left,
    /// `X·op(T)` (`T` is `n × n` for an `m × n` `B`).
    Right,
}

/// Which triangle of a square matrix holds the data.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Uplo {
    /// On and below the diagonal.
    Lower,
    /// On and above the diagonal.
    Upper,
}

impl Uplo {
    /// The other triangle (what a transposed view of the same matrix holds).
    ///
    /// ```
    /// use lapis_kernels::Uplo;
    /// assert_eq!(Uplo::Lower.flip(), Uplo::Upper);
    /// ```
    pub fn flip(self) -> Uplo {
        match self {
            Uplo::Lower => Uplo::Upper,
            Uplo::Upper => Uplo::Lower,
        }
    }
}

/// Whether the diagonal of a triangular matrix is read or taken to be all ones.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Diag {
    /// The diagonal is all ones and is not read (LU's `L` factor).
    Unit,
    /// The diagonal is read from the matrix.
    NonUnit,
}

/// Largest diagonal block solved by substitution rather than split further.
pub(crate) const NB: usize = 16;
/// Columns of the right-hand side handled per substitution sweep (the row-major copy).
const CHUNK: usize = 256;

/// Solves `op(T)·X = α·B` (`Side::Left`) or `X·op(T) = α·B` (`Side::Right`) in place in `b`.
///
/// `t` is square; only its triangle `uplo` is read (the other triangle is ignored, and with
/// `Diag::Unit` the diagonal is not read either). There is no transpose flag: solve with `Tᵀ`
/// by passing `t.transpose()` and the opposite `uplo`. When `α = 0`, `B` is overwritten with
/// zeros without being read. A zero on a non-unit diagonal gives `Inf`/`NaN` in `X`, as in
/// BLAS (the caller checks for singularity). `par` is passed to the GEMM updates.
///
/// Errors with [`KernelError::Shape`] when `t` is not square or does not match `b`.
///
/// ```
/// use lapis_kernels::{trsm, Diag, MatMut, MatRef, Par, Side, Uplo};
/// // numpy/scipy: x = scipy.linalg.solve_triangular(l, b, lower=True)
/// let l = [2.0, 0.0, 1.0, 4.0]; // [[2, 0], [1, 4]] row-major
/// let mut b = [2.0, 9.0]; // a 2 × 1 right-hand side
/// trsm(
///     Side::Left,
///     Uplo::Lower,
///     Diag::NonUnit,
///     1.0,
///     MatRef::from_row_major(&l, 2, 2).unwrap(),
///     MatMut::from_col_major(&mut b, 2, 1).unwrap(),
///     Par::Seq,
/// )
/// .unwrap();
/// assert_eq!(b, [1.0, 2.0]);
/// ```
pub fn trsm<T: Scalar>(
    side: Side,
    uplo: Uplo,
    diag: Diag,
    alpha: T,
    t: MatRef<'_, T>,
    b: MatMut<'_, T>,
    par: Par,
) -> Result<(), KernelError> {
    check_tri_shapes("trsm", side, t, &b)?;
    let (t, uplo, mut b) = to_left(side, uplo, t, b);
    if b.is_empty() {
        return Ok(());
    }
    crate::gemm::scale(alpha, b.rb());
    if alpha == T::zero() {
        return Ok(());
    }
    if b.ncols() == 1 {
        substitute_vector(uplo, diag, t, b);
        return Ok(());
    }
    let mut work = Vec::new();
    solve_left(uplo, diag, t, b, par, &mut work);
    Ok(())
}

/// Runs `step` on `0..n`, upwards for a lower triangle (forward substitution) and downwards
/// for an upper one.
fn in_order(lower: bool, n: usize, step: &mut impl FnMut(usize)) {
    if lower {
        (0..n).for_each(step);
    } else {
        (0..n).rev().for_each(step);
    }
}

/// `T·x = b` for one right-hand side (BLAS `trsv`), in one pass over the triangle along its
/// unit stride: `axpy` down the columns of a column-major `T`, `dot` along the rows of a
/// row-major one. The blocked path would copy the column into a row-major buffer and run an
/// `axpy` of length one per element of the triangle (the `getrs` of a single-vector `solve`).
fn substitute_vector<T: Scalar>(uplo: Uplo, diag: Diag, t: MatRef<'_, T>, mut b: MatMut<'_, T>) {
    let n = t.nrows();
    // SAFETY: i < n = b's row count, column 0 exists.
    let mut x: Vec<T> = (0..n)
        .map(|i| unsafe { b.as_ref().get_unchecked(i, 0) })
        .collect();
    // SAFETY: i < n.
    let diagonal = |i: usize| unsafe { t.get_unchecked(i, i) };
    let lower = uplo == Uplo::Lower;
    let unit = diag == Diag::Unit;
    if t.row_stride() == 1 {
        // Column j of the triangle below (lower) or above (upper) the diagonal is contiguous.
        let mut step = |j: usize| {
            if !unit {
                x[j] /= diagonal(j);
            }
            let xj = x[j];
            let (start, len) = if lower { (j + 1, n - j - 1) } else { (0, j) };
            if len > 0 {
                // SAFETY: rows start..start+len of column j are inside t and, with unit row
                // stride, consecutive elements.
                let col = unsafe { core::slice::from_raw_parts(t.ptr_at(start, j), len) };
                kern::axpy(-xj, col, &mut x[start..start + len]);
            }
        };
        in_order(lower, n, &mut step);
    } else {
        let mut step = |i: usize| {
            let (start, len) = if lower { (0, i) } else { (i + 1, n - i - 1) };
            let s = if len == 0 {
                T::zero()
            } else if t.col_stride() == 1 {
                // SAFETY: columns start..start+len of row i are inside t and, with unit
                // column stride, consecutive elements.
                let row = unsafe { core::slice::from_raw_parts(t.ptr_at(i, start), len) };
                kern::dot(row, &x[start..start + len])
            } else {
                (start..start + len)
                    // SAFETY: i, k < n.
                    .map(|k| unsafe { t.get_unchecked(i, k) } * x[k])
                    .fold(T::zero(), |a, v| a + v)
            };
            x[i] -= s;
            if !unit {
                x[i] /= diagonal(i);
            }
        };
        in_order(lower, n, &mut step);
    }
    for (i, &v) in x.iter().enumerate() {
        // SAFETY: i < n = b's row count, column 0 exists.
        unsafe { *b.get_unchecked_mut(i, 0) = v };
    }
}

/// Shape check shared by TRSM and TRMM: `t` square, of `b`'s row count (Left) or column
/// count (Right).
pub(crate) fn check_tri_shapes<T>(
    op: &'static str,
    side: Side,
    t: MatRef<'_, T>,
    b: &MatMut<'_, T>,
) -> Result<(), KernelError> {
    let need = match side {
        Side::Left => b.nrows(),
        Side::Right => b.ncols(),
    };
    if t.nrows() != t.ncols() || t.nrows() != need {
        return Err(KernelError::Shape {
            op,
            shapes: vec![("t", t.shape()), ("b", b.shape())],
        });
    }
    Ok(())
}

/// Rewrites a right-side problem as the left-side one on transposed views.
pub(crate) fn to_left<'t, 'b, T>(
    side: Side,
    uplo: Uplo,
    t: MatRef<'t, T>,
    b: MatMut<'b, T>,
) -> (MatRef<'t, T>, Uplo, MatMut<'b, T>) {
    match side {
        Side::Left => (t, uplo, b),
        Side::Right => (t.transpose(), uplo.flip(), b.transpose()),
    }
}

/// A split point for a triangle of order `n > NB`: about half, rounded to a multiple of 8
/// so that GEMM sees register-block-friendly sizes.
pub(crate) fn split_point(n: usize) -> usize {
    let h = n / 2;
    if h >= 16 { h / 8 * 8 } else { h.max(1) }
}

/// `T·X = B` in place, `T` triangular `n × n`, `B` `n × m`.
fn solve_left<T: Scalar>(
    uplo: Uplo,
    diag: Diag,
    t: MatRef<'_, T>,
    b: MatMut<'_, T>,
    par: Par,
    work: &mut Vec<T>,
) {
    let n = t.nrows();
    if n <= NB {
        substitute(uplo, diag, t, b, work);
        return;
    }
    let n1 = split_point(n);
    let t11 = t.submatrix(0, 0, n1, n1);
    let t22 = t.submatrix(n1, n1, n - n1, n - n1);
    let (mut b1, mut b2) = b.split_at_row(n1);
    match uplo {
        Uplo::Lower => {
            // [T11 0; T21 T22]·[X1; X2] = [B1; B2]
            solve_left(uplo, diag, t11, b1.rb(), par, work);
            let t21 = t.submatrix(n1, 0, n - n1, n1);
            gemm_unchecked_shapes(-T::one(), t21, b1.as_ref(), T::one(), b2.rb(), par);
            solve_left(uplo, diag, t22, b2, par, work);
        }
        Uplo::Upper => {
            // [T11 T12; 0 T22]·[X1; X2] = [B1; B2]
            solve_left(uplo, diag, t22, b2.rb(), par, work);
            let t12 = t.submatrix(0, n1, n1, n - n1);
            gemm_unchecked_shapes(-T::one(), t12, b2.as_ref(), T::one(), b1.rb(), par);
            solve_left(uplo, diag, t11, b1, par, work);
        }
    }
}

/// Copies rows of `b` (columns `c0..c0+w`) into a row-major `n × w` buffer.
pub(crate) fn gather<T: Scalar>(b: &MatMut<'_, T>, c0: usize, w: usize, buf: &mut [T]) {
    let n = b.nrows();
    let src = b.as_ref();
    // Column by column: a walk along the rows touches one line of each of the `w` columns per
    // row, and at a power-of-two leading dimension those lines fall into the same few cache
    // sets and evict each other before the next row comes back to them (`solve` of order
    // 1024: this base case took 13% of the time against 4% at 1000).
    for j in 0..w {
        for i in 0..n {
            // SAFETY: i < nrows and c0 + j < c0 + w <= ncols.
            buf[i * w + j] = unsafe { src.get_unchecked(i, c0 + j) };
        }
    }
}

/// Inverse of [`gather`].
pub(crate) fn scatter<T: Scalar>(b: &mut MatMut<'_, T>, c0: usize, w: usize, buf: &[T]) {
    let n = b.nrows();
    // Column by column, for the reason given at `gather`.
    for j in 0..w {
        for i in 0..n {
            // SAFETY: i < nrows and c0 + j < c0 + w <= ncols.
            unsafe { *b.get_unchecked_mut(i, c0 + j) = buf[i * w + j] };
        }
    }
}

/// Substitution for a small triangle (`n ≤ NB`) by the register-blocked kernel of
/// [`trsm_leaf`](crate::trsm_leaf), which wants the right-hand sides as rows of unit stride:
/// a row-major `B` is solved where it lies (Cholesky's and LU's right-side solves, which are
/// left-side solves on transposed views), any other `B` through a row-major copy of a chunk
/// of its columns. An upper triangle is the lower one read from the last row backwards.
fn substitute<T: Scalar>(
    uplo: Uplo,
    diag: Diag,
    t: MatRef<'_, T>,
    mut b: MatMut<'_, T>,
    work: &mut Vec<T>,
) {
    let (n, m) = (b.nrows(), b.ncols());
    debug_assert!(n <= NB);
    // Row i of the lower triangle is row n−1−i of an upper one, reversed.
    let at = |i: usize| if uplo == Uplo::Lower { i } else { n - 1 - i };
    let mut tri = [T::zero(); NB * NB];
    let mut s = [T::zero(); NB];
    for i in 0..n {
        for k in 0..i {
            // SAFETY: at(i), at(k) < n, the order of t.
            tri[i * n + k] = unsafe { t.get_unchecked(at(i), at(k)) };
        }
        // SAFETY: as above.
        s[i] = unsafe { t.get_unchecked(at(i), at(i)) };
    }
    // A division per element costs more than the whole row update of the first rows (a
    // 512-bit divide issues every ~8 cycles against two FMAs per cycle), so a normal, finite
    // diagonal multiplies by its reciprocals, exact to a rounding more, as optimized BLAS trsm
    // kernels do. Zero, subnormal and non-finite pivots divide (their reciprocal would
    // overflow or lose the IEEE result).
    let op = if diag == Diag::Unit {
        DiagOp::Unit
    } else if s[..n]
        .iter()
        .all(|d| d.abs() >= T::MIN_POSITIVE && d.is_finite())
    {
        s[..n].iter_mut().for_each(|d| *d = T::one() / *d);
        DiagOp::Mul
    } else {
        DiagOp::Div
    };
    let lower = Lower {
        n,
        t: &tri[..n * n],
        s: &s[..n],
        op,
    };
    if b.col_stride() == 1 {
        let rs = b.row_stride();
        // SAFETY: at(0) < n; rows at(i) = ±i from it and columns 0..m, at unit column stride,
        // are the elements of b.
        unsafe {
            solve_rows(
                &lower,
                m,
                b.ptr_at_mut(at(0), 0),
                if uplo == Uplo::Lower { rs } else { -rs },
            )
        };
        return;
    }
    let w_max = m.min(CHUNK);
    if work.len() < n * w_max {
        work.resize(n * w_max, T::zero());
    }
    for c0 in (0..m).step_by(CHUNK) {
        let w = CHUNK.min(m - c0);
        let buf = &mut work[..n * w];
        gather(&b, c0, w, buf);
        let (first, step) = match uplo {
            Uplo::Lower => (0, w as isize),
            Uplo::Upper => ((n - 1) * w, -(w as isize)),
        };
        // SAFETY: buf holds n rows of w elements; row at(i) = first + i·step is one of them.
        unsafe { solve_rows(&lower, w, buf.as_mut_ptr().add(first), step) };
        scatter(&mut b, c0, w, buf);
    }
}
