//! Matrix–vector product `y ← α·A·x + β·y`.
//!
//! Two inner forms, chosen by A's layout so that A is always read along unit stride, each
//! working on a few columns or rows of A per pass:
//!
//! * column-major A (unit row stride), the *column* form: per row block that keeps `y` in L1,
//!   `y += Σ_c (α·x_c)·A[:, c]` over groups of columns, so each chunk of `y` is loaded and
//!   stored once per group instead of once per column (one `axpy` per column);
//! * row-major A (unit column stride), the *row* form: groups of rows with one accumulator
//!   each, so each chunk of `x` is loaded once per group instead of once per row (one `dot`
//!   per row); the horizontal sums come at the end.
//!
//! Kernels: `x86` (AVX-512F, AVX2+FMA; masked row/column tails), `neon` and the portable
//! ones here (the `Isa::Scalar` path and NEON's tails), dispatched on [`arch()`]. Vectors of
//! other strides are copied to contiguous scratch first; A of other layouts takes strided dot
//! products.

#[cfg(target_arch = "aarch64")]
mod neon;
#[cfg(target_arch = "x86_64")]
mod x86;

use crate::blas1::{forwards, strided_dot, vec_mut, vec_ref};
use crate::scalar::{cast, cast_mut};
use crate::{KernelError, MatMut, MatRef, Par, Scalar, arch};

/// Rows per block of the column form (a block of `y` stays in L1 across all columns).
const ROW_BLOCK: usize = 1024;
/// Below this many multiply-adds, a parallel split costs more than it saves.
const PAR_MIN_WORK: usize = 1 << 18;

/// `y ← α·A·x + β·y`.
///
/// `a` is `m × n`; `x` is a vector of length `n` and `y` a vector of length `m`, where a vector
/// is an `n × 1` view or a `1 × n` view (e.g. `row.transpose()` or just a row), with any
/// stride. For `α·Aᵀ·x`, pass `a.transpose()`. When `β = 0`, `y` is overwritten without being
/// read. With `Par::Rayon`, large products are split by rows of `A`.
///
/// Errors with [`KernelError::Shape`] naming all three shapes when `x` or `y` is not a vector
/// or the lengths do not match `a`.
///
/// ```
/// use lapis_kernels::{gemv, MatMut, MatRef, Par};
/// // numpy: y = a @ x
/// let a = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]; // [[1, 2, 3], [4, 5, 6]] row-major
/// let x = [1.0, 0.0, -1.0];
/// let mut y = [0.0; 2];
/// gemv(
///     1.0,
///     MatRef::from_row_major(&a, 2, 3).unwrap(),
///     MatRef::from_col_major(&x, 3, 1).unwrap(),
///     0.0,
///     MatMut::from_col_major(&mut y, 2, 1).unwrap(),
///     Par::Seq,
/// )
/// .unwrap();
/// assert_eq!(y, [-2.0, -2.0]);
/// ```
pub fn gemv<T: Scalar>(
    alpha: T,
    a: MatRef<'_, T>,
    x: MatRef<'_, T>,
    beta: T,
    mut y: MatMut<'_, T>,
    par: Par,
) -> Result<(), KernelError> {
    let (m, n) = a.shape();
    let ys = y.shape();
    let (Some((px, nx, sx)), Some((py, ny, sy))) = (vec_ref(&x), vec_mut(&mut y)) else {
        return Err(shape_error(a, x, ys));
    };
    if nx != n || ny != m {
        return Err(shape_error(a, x, ys));
    }
    if m == 0 {
        return Ok(());
    }
    // y ← β·y (β = 0 writes zeros, β = 1 leaves y alone).
    crate::gemm::scale(beta, y.rb());
    if n == 0 || alpha == T::zero() {
        return Ok(());
    }
    // Contiguous x: borrowed when unit-stride (forwards), copied otherwise.
    let mut xbuf = Vec::new();
    // SAFETY: (px, n, sx) describes the view x.
    let xs = unsafe { forwards(px, n, sx, &mut xbuf) };
    if sy == 1 || m == 1 {
        // SAFETY: y is a unit-stride vector of m unique elements, borrowed from `y`.
        let ys = unsafe { core::slice::from_raw_parts_mut(py, m) };
        gemv_contig(alpha, a, xs, ys, par);
    } else {
        let mut tmp = vec![T::zero(); m];
        gemv_contig(T::one(), a, xs, &mut tmp, par);
        for (i, &v) in tmp.iter().enumerate() {
            // SAFETY: i < m, inside the vector y.
            unsafe { *py.offset(i as isize * sy) += alpha * v };
        }
    }
    Ok(())
}

fn shape_error<T>(a: MatRef<'_, T>, x: MatRef<'_, T>, y: (usize, usize)) -> KernelError {
    KernelError::Shape {
        op: "gemv",
        shapes: vec![("a", a.shape()), ("x", x.shape()), ("y", y)],
    }
}

/// `y += α·A·x` with contiguous `x` (length n) and `y` (length m); splits rows across rayon
/// tasks when allowed and worth it.
fn gemv_contig<T: Scalar>(alpha: T, a: MatRef<'_, T>, x: &[T], y: &mut [T], par: Par) {
    let (m, n) = a.shape();
    let tasks = par
        .degree()
        .min(m.saturating_mul(n) / PAR_MIN_WORK)
        .min(m / 64)
        .max(1);
    if tasks <= 1 {
        gemv_seq(alpha, a, x, y);
        return;
    }
    let rows = m.div_ceil(tasks).next_multiple_of(16);
    crate::par::fork_each(y.chunks_mut(rows).enumerate(), |(t, yc)| {
        gemv_seq(alpha, a.submatrix(t * rows, 0, yc.len(), n), x, yc)
    });
}

/// Sequential `y += α·A·x`, contiguous `x` and `y`.
fn gemv_seq<T: Scalar>(alpha: T, a: MatRef<'_, T>, x: &[T], y: &mut [T]) {
    let (m, n) = a.shape();
    let (rs, cs) = (a.row_stride(), a.col_stride());
    if m == 0 || n == 0 {
        return;
    }
    // A single row with unit column stride is a dot product: the row form reads it by
    // vectors, the column form would take one element per column.
    let row_form = cs == 1 && (rs != 1 || m == 1);
    if !row_form && (rs == 1 || m == 1) {
        for i0 in (0..m).step_by(ROW_BLOCK) {
            let mb = ROW_BLOCK.min(m - i0);
            // SAFETY: rows i0..i0+mb of every column are inside the view, A(i, j) at
            // ptr_at(i0, 0) + (i − i0) + j·cs (unit row stride, or a single row).
            unsafe { by_cols(alpha, a.ptr_at(i0, 0), cs, x, &mut y[i0..i0 + mb]) };
        }
    } else if cs == 1 || n == 1 {
        // SAFETY: A(i, j) is at as_ptr() + i·rs + j (unit column stride, or a single column),
        // inside the view for i < m, j < n.
        unsafe { by_rows(alpha, a.as_ptr(), rs, x, y) };
    } else {
        // Any other layout: strided dot products.
        for (i, yi) in y.iter_mut().enumerate() {
            // SAFETY: row i of A has n elements at stride cs; x has n elements.
            *yi += alpha * unsafe { strided_dot(a.ptr_at(i, 0), cs, x.as_ptr(), 1, n) };
        }
    }
}

/// Column form: `y += α·A·x` with `A(i, j)` at `a + i + j·cs` for `i < y.len()`,
/// `j < x.len()`.
///
/// # Safety
/// Both lengths are at least 1 and every such `A(i, j)` is readable.
unsafe fn by_cols<T: Scalar>(alpha: T, a: *const T, cs: isize, x: &[T], y: &mut [T]) {
    if let (Some(xf), Some(yf)) = (cast::<T, f64>(x), cast_mut::<T, f64>(y)) {
        // SAFETY: T is f64 (the casts succeeded), so `a` points at f64s; the rest is the
        // caller's contract.
        return unsafe { isa::cols_f64(alpha.to_f64(), a.cast(), cs, xf, yf) };
    }
    if let (Some(xf), Some(yf)) = (cast::<T, f32>(x), cast_mut::<T, f32>(y)) {
        // SAFETY: as above, with f32.
        return unsafe { isa::cols_f32(alpha.to_f64() as f32, a.cast(), cs, xf, yf) };
    }
    // SAFETY: the caller's contract.
    unsafe { portable::cols(alpha, a, cs, x, y) }
}

/// Row form: `y += α·A·x` with `A(i, j)` at `a + i·rs + j` for `i < y.len()`, `j < x.len()`.
///
/// # Safety
/// Both lengths are at least 1 and every such `A(i, j)` is readable.
unsafe fn by_rows<T: Scalar>(alpha: T, a: *const T, rs: isize, x: &[T], y: &mut [T]) {
    if let (Some(xf), Some(yf)) = (cast::<T, f64>(x), cast_mut::<T, f64>(y)) {
        // SAFETY: T is f64 (the casts succeeded), so `a` points at f64s; the rest is the
        // caller's contract.
        return unsafe { isa::rows_f64(alpha.to_f64(), a.cast(), rs, xf, yf) };
    }
    if let (Some(xf), Some(yf)) = (cast::<T, f32>(x), cast_mut::<T, f32>(y)) {
        // SAFETY: as above, with f32.
        return unsafe { isa::rows_f32(alpha.to_f64() as f32, a.cast(), rs, xf, yf) };
    }
    // SAFETY: the caller's contract.
    unsafe { portable::rows(alpha, a, rs, x, y) }
}

/// Per-type entry points that pick the ISA; each has the contract of [`by_cols`] or
/// [`by_rows`].
mod isa {
    use super::*;

    macro_rules! dispatch {
        ($name:ident, $T:ty, $port:path, $avx512:path, $avx2:path, $neon:path) => {
            /// # Safety
            /// As [`by_cols`] / [`by_rows`], whichever form the name says.
            pub(super) unsafe fn $name(alpha: $T, a: *const $T, s: isize, x: &[$T], y: &mut [$T]) {
                match arch() {
                    #[cfg(target_arch = "x86_64")]
                    // SAFETY: arch() only reports ISAs this CPU supports; the rest is the
                    // caller's contract.
                    crate::Isa::Avx512 => unsafe { $avx512(alpha, a, s, x, y) },
                    #[cfg(target_arch = "x86_64")]
                    // SAFETY: as above.
                    crate::Isa::Avx2 => unsafe { $avx2(alpha, a, s, x, y) },
                    #[cfg(target_arch = "aarch64")]
                    // SAFETY: as above.
                    crate::Isa::Neon => unsafe { $neon(alpha, a, s, x, y) },
                    // SAFETY: the caller's contract.
                    _ => unsafe { $port(alpha, a, s, x, y) },
                }
            }
        };
    }

    dispatch!(
        cols_f64,
        f64,
        portable::cols::<f64>,
        super::x86::avx512_f64::cols,
        super::x86::avx2_f64::cols,
        super::neon::f64::cols
    );
    dispatch!(
        cols_f32,
        f32,
        portable::cols::<f32>,
        super::x86::avx512_f32::cols,
        super::x86::avx2_f32::cols,
        super::neon::f32::cols
    );
    dispatch!(
        rows_f64,
        f64,
        portable::rows::<f64>,
        super::x86::avx512_f64::rows,
        super::x86::avx2_f64::rows,
        super::neon::f64::rows
    );
    dispatch!(
        rows_f32,
        f32,
        portable::rows::<f32>,
        super::x86::avx512_f32::rows,
        super::x86::avx2_f32::rows,
        super::neon::f32::rows
    );
}

/// Plain Rust: the `Isa::Scalar` path and NEON's tails.
pub(crate) mod portable {
    use crate::Scalar;
    use crate::blas1::kern;

    /// Column form, four columns per pass.
    ///
    /// # Safety
    /// As [`super::by_cols`].
    pub(crate) unsafe fn cols<T: Scalar>(alpha: T, a: *const T, cs: isize, x: &[T], y: &mut [T]) {
        let m = y.len();
        // SAFETY: rows 0..m of column j < x.len() are m consecutive readable elements (the
        // caller's contract).
        let col = |j: usize| unsafe { core::slice::from_raw_parts(a.offset(j as isize * cs), m) };
        let (groups, rest) = x.as_chunks::<4>();
        for (g, xg) in groups.iter().enumerate() {
            let b = xg.map(|v| alpha * v);
            let c = [0, 1, 2, 3].map(|k| col(4 * g + k));
            for i in 0..m {
                let mut v = y[i];
                for k in 0..4 {
                    v += b[k] * c[k][i];
                }
                y[i] = v;
            }
        }
        for (k, &xj) in rest.iter().enumerate() {
            kern::portable::axpy(alpha * xj, col(4 * groups.len() + k), y);
        }
    }

    /// Row form: the portable `dot` per row. Plain Rust gets no register blocking to gain
    /// from sharing `x` across rows: a four-row version (sixteen scalar accumulators) was
    /// measured slower for f32, because the compiler vectorizes it across iterations with
    /// lane shuffles instead of one vector per row as it does `dot`.
    ///
    /// # Safety
    /// As [`super::by_rows`].
    pub(crate) unsafe fn rows<T: Scalar>(alpha: T, a: *const T, rs: isize, x: &[T], y: &mut [T]) {
        for (i, yi) in y.iter_mut().enumerate() {
            // SAFETY: columns 0..x.len() of row i < y.len() are consecutive readable elements
            // (the caller's contract).
            let row = unsafe { core::slice::from_raw_parts(a.offset(i as isize * rs), x.len()) };
            *yi += alpha * kern::portable::dot(row, x);
        }
    }
}
