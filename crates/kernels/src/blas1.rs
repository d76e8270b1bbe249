//! Level-1 BLAS on vector views: `dot`, `axpy`, `scal`, `nrm2`, `iamax`, `rot`, `rotg`.
//!
//! A vector is any view with one column (`n × 1`) or one row (`1 × n`); element `i` is then
//! `x(i, 0)` or `x(0, i)`. Unit-stride vectors (and pairs of vectors that both run backwards
//! with stride −1) take the ISA-dispatched kernels of [`kern`]; other strides take a
//! portable strided loop.

use core::any::TypeId;

use crate::{KernelError, MatMut, MatRef, Scalar, arch};

/// `(len, stride)` of a vector view: one column or one row.
pub(crate) fn vec_layout(shape: (usize, usize), rs: isize, cs: isize) -> Option<(usize, isize)> {
    match shape {
        (n, 1) => Some((n, rs)),
        (1, n) => Some((n, cs)),
        _ => None,
    }
}

/// A vector view as `(pointer to element 0, length, stride)`.
pub(crate) fn vec_ref<T>(x: &MatRef<'_, T>) -> Option<(*const T, usize, isize)> {
    vec_layout(x.shape(), x.row_stride(), x.col_stride()).map(|(n, s)| (x.as_ptr(), n, s))
}

/// A mutable vector view as `(pointer to element 0, length, stride)`.
pub(crate) fn vec_mut<T>(x: &mut MatMut<'_, T>) -> Option<(*mut T, usize, isize)> {
    vec_layout(x.shape(), x.row_stride(), x.col_stride()).map(|(n, s)| (x.as_mut_ptr(), n, s))
}

/// The elements of a vector `(ptr, n, stride)` as a slice when they are contiguous: stride 1
/// gives them in order, stride −1 reversed (`reversed = true`); `n ≤ 1` counts as stride 1.
///
/// # Safety
/// `(ptr, n, stride)` must describe elements valid for reads for `'a`, not written elsewhere.
pub(crate) unsafe fn contiguous<'a, T>(
    ptr: *const T,
    n: usize,
    stride: isize,
) -> Option<(&'a [T], bool)> {
    if n <= 1 || stride == 1 {
        // SAFETY: the n elements at ptr, ptr+1, … are the vector's (caller's guarantee).
        Some((unsafe { core::slice::from_raw_parts(ptr, n) }, false))
    } else if stride == -1 {
        // SAFETY: the vector occupies ptr-(n-1) ..= ptr (caller's guarantee).
        Some((
            unsafe { core::slice::from_raw_parts(ptr.offset(1 - n as isize), n) },
            true,
        ))
    } else {
        None
    }
}

/// The elements of a vector `(ptr, n, stride)` in order, as a slice: borrowed when they are
/// contiguous and forwards, otherwise copied into `buf` (the kernels that stream a vector
/// many times read it along unit stride).
///
/// # Safety
/// As [`contiguous`].
pub(crate) unsafe fn forwards<T: Copy>(
    ptr: *const T,
    n: usize,
    stride: isize,
    buf: &mut Vec<T>,
) -> &[T] {
    // SAFETY: the caller's guarantee, forwarded.
    match unsafe { contiguous(ptr, n, stride) } {
        Some((s, false)) => s,
        _ => {
            buf.clear();
            // SAFETY: i < n, inside the vector (the caller's guarantee).
            buf.extend((0..n as isize).map(|i| unsafe { *ptr.offset(i * stride) }));
            buf
        }
    }
}

/// Mutable counterpart of [`contiguous`].
///
/// # Safety
/// As [`contiguous`], and the elements must be valid for writes and not aliased.
pub(crate) unsafe fn contiguous_mut<'a, T>(
    ptr: *mut T,
    n: usize,
    stride: isize,
) -> Option<(&'a mut [T], bool)> {
    if n <= 1 || stride == 1 {
        // SAFETY: as in `contiguous`; the view is unique.
        Some((unsafe { core::slice::from_raw_parts_mut(ptr, n) }, false))
    } else if stride == -1 {
        // SAFETY: as in `contiguous`; the view is unique.
        Some((
            unsafe { core::slice::from_raw_parts_mut(ptr.offset(1 - n as isize), n) },
            true,
        ))
    } else {
        None
    }
}

fn vector_error(op: &'static str, shapes: Vec<(&'static str, (usize, usize))>) -> KernelError {
    KernelError::Shape { op, shapes }
}

/// `xᵀ·y`, the dot product of two vectors of equal length.
///
/// Vectors are `n × 1` or `1 × n` views with any stride. Errors with [`KernelError::Shape`]
/// when either is not a vector or the lengths differ.
///
/// ```
/// use lapis_kernels::{dot, MatRef};
/// // numpy: np.dot(x, y)
/// let x = [1.0, 2.0, 3.0];
/// let y = [4.0, 5.0, 6.0];
/// let d = dot(MatRef::from_col_major(&x, 3, 1).unwrap(), MatRef::from_row_major(&y, 1, 3).unwrap());
/// assert_eq!(d.unwrap(), 32.0);
/// ```
pub fn dot<T: Scalar>(x: MatRef<'_, T>, y: MatRef<'_, T>) -> Result<T, KernelError> {
    let (Some((px, n, sx)), Some((py, ny, sy))) = (vec_ref(&x), vec_ref(&y)) else {
        return Err(vector_error(
            "dot",
            vec![("x", x.shape()), ("y", y.shape())],
        ));
    };
    if n != ny {
        return Err(vector_error(
            "dot",
            vec![("x", x.shape()), ("y", y.shape())],
        ));
    }
    // SAFETY: both views describe n valid elements with these strides.
    unsafe {
        if let (Some((xs, rx)), Some((ys, ry))) = (contiguous(px, n, sx), contiguous(py, n, sy))
            && rx == ry
        {
            return Ok(kern::dot(xs, ys));
        }
        Ok(strided_dot(px, sx, py, sy, n))
    }
}

/// Portable strided dot product.
///
/// # Safety
/// `(px, n, sx)` and `(py, n, sy)` must describe valid elements.
pub(crate) unsafe fn strided_dot<T: Scalar>(
    px: *const T,
    sx: isize,
    py: *const T,
    sy: isize,
    n: usize,
) -> T {
    let mut acc = [T::zero(); 4];
    let mut i = 0;
    // SAFETY: every index is < n (caller's guarantee on the layouts).
    unsafe {
        while i + 4 <= n {
            for (u, a) in acc.iter_mut().enumerate() {
                let k = (i + u) as isize;
                *a += *px.offset(k * sx) * *py.offset(k * sy);
            }
            i += 4;
        }
        let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
        while i < n {
            s += *px.offset(i as isize * sx) * *py.offset(i as isize * sy);
            i += 1;
        }
        s
    }
}

/// `y ← α·x + y`.
///
/// With `α = 0`, `y` is left unchanged (as in BLAS). Errors with [`KernelError::Shape`] when
/// either is not a vector or the lengths differ.
///
/// ```
/// use lapis_kernels::{axpy, MatMut, MatRef};
/// // numpy: y += 2 * x
/// let x = [1.0, 2.0];
/// let mut y = [10.0, 20.0];
/// axpy(2.0, MatRef::from_col_major(&x, 2, 1).unwrap(), MatMut::from_col_major(&mut y, 2, 1).unwrap())
///     .unwrap();
/// assert_eq!(y, [12.0, 24.0]);
/// ```
pub fn axpy<T: Scalar>(
    alpha: T,
    x: MatRef<'_, T>,
    mut y: MatMut<'_, T>,
) -> Result<(), KernelError> {
    let (xs, ys) = (x.shape(), y.shape());
    let (Some((px, n, sx)), Some((py, ny, sy))) = (vec_ref(&x), vec_mut(&mut y)) else {
        return Err(vector_error("axpy", vec![("x", xs), ("y", ys)]));
    };
    if n != ny {
        return Err(vector_error("axpy", vec![("x", xs), ("y", ys)]));
    }
    if alpha == T::zero() {
        return Ok(());
    }
    // SAFETY: both views describe n valid elements; y is unique, so it does not alias x.
    unsafe { strided_axpy(alpha, px, sx, py, sy, n) };
    Ok(())
}

/// `y ← α·x + y` on raw vectors, taking the SIMD kernel when both are contiguous.
///
/// # Safety
/// `(px, n, sx)` valid for reads, `(py, n, sy)` valid for writes, not overlapping.
pub(crate) unsafe fn strided_axpy<T: Scalar>(
    alpha: T,
    px: *const T,
    sx: isize,
    py: *mut T,
    sy: isize,
    n: usize,
) {
    // SAFETY: the caller's guarantees.
    unsafe {
        if let (Some((xs, rx)), Some((ys, ry))) = (contiguous(px, n, sx), contiguous_mut(py, n, sy))
            && rx == ry
        {
            kern::axpy(alpha, xs, ys);
            return;
        }
        for i in 0..n as isize {
            *py.offset(i * sy) += alpha * *px.offset(i * sx);
        }
    }
}

/// Visits every element of a view as a set of lines along its smaller stride: each call gets
/// `(pointer, length, stride)`.
fn for_each_line(
    shape: (usize, usize),
    rs: isize,
    cs: isize,
    mut f: impl FnMut(usize, usize, isize),
) {
    let (m, n) = shape;
    if m == 0 || n == 0 {
        return;
    }
    // Lines run down columns (stride rs) unless rows are the unit-stride direction.
    if rs.unsigned_abs() <= cs.unsigned_abs() || n == 1 {
        for j in 0..n {
            f(j, m, rs);
        }
    } else {
        for i in 0..m {
            f(i, n, cs);
        }
    }
}

/// `x ← α·x` for every element of the view (any shape: a vector or a whole matrix).
///
/// `α = 0` writes zeros without reading `x` (NaN in `x` does not survive), as BLAS does.
///
/// ```
/// use lapis_kernels::{scal, MatMut};
/// // numpy: x *= 3
/// let mut x = [1.0, -2.0];
/// scal(3.0, MatMut::from_col_major(&mut x, 2, 1).unwrap());
/// assert_eq!(x, [3.0, -6.0]);
/// ```
pub fn scal<T: Scalar>(alpha: T, mut x: MatMut<'_, T>) {
    if alpha == T::one() {
        return;
    }
    let (rs, cs) = (x.row_stride(), x.col_stride());
    let by_cols = rs.unsigned_abs() <= cs.unsigned_abs() || x.ncols() == 1;
    let base = x.as_mut_ptr();
    for_each_line(x.shape(), rs, cs, |line, len, stride| {
        let start = if by_cols {
            line as isize * cs
        } else {
            line as isize * rs
        };
        let p = base.wrapping_offset(start);
        // SAFETY: the line is a row or a column of the view: `len` valid, unique elements.
        unsafe {
            if let Some((s, _)) = contiguous_mut(p, len, stride) {
                kern::scal(alpha, s);
            } else {
                for i in 0..len as isize {
                    let e = p.offset(i * stride);
                    *e = if alpha == T::zero() {
                        T::zero()
                    } else {
                        alpha * *e
                    };
                }
            }
        }
    });
}

/// `‖x‖₂`, the Euclidean norm of the view's elements (a vector's 2-norm; for a matrix view, the
/// Frobenius norm), without overflow or underflow in intermediate results.
///
/// `f32` squares are summed in `f64`, where they can neither overflow nor underflow. For
/// `f64`, the plain sum of squares is taken first; only when it overflowed or may have lost
/// tiny elements to underflow is the sum redone with the elements scaled by a power of two
/// (exact), as in Blue's algorithm. Any NaN element gives NaN; otherwise any infinite element
/// gives `+∞`. The empty view gives 0.
///
/// ```
/// use lapis_kernels::{nrm2, MatRef};
/// // numpy: np.linalg.norm(x)
/// let x = [3.0, 4.0];
/// assert_eq!(nrm2(MatRef::from_col_major(&x, 2, 1).unwrap()), 5.0);
/// let big = [3e300, 4e300];
/// assert_eq!(nrm2(MatRef::from_col_major(&big, 2, 1).unwrap()), 5e300);
/// ```
pub fn nrm2<T: Scalar>(x: MatRef<'_, T>) -> T {
    let lines = |f: &mut dyn FnMut(&[T])| visit_lines(&x, f);
    if TypeId::of::<T>() != TypeId::of::<f64>() {
        // f32: squares and their sum are exact-range in f64.
        let mut s = 0.0f64;
        lines(&mut |v| s += kern::sumsq(v));
        return T::from_f64(s.sqrt());
    }
    // f64: thresholds of the "medium" range where the plain sum is safe.
    let mut s = 0.0f64;
    lines(&mut |v| s += kern::sumsq(v));
    // Below 2^-900 some tiny elements may have underflowed when squared; above it, the
    // absolute error of every underflowed square (< 2^-1074·n) is negligible.
    let tiny_ok = f64::powi(2.0, -900);
    if s.is_nan() || (s.is_finite() && s >= tiny_ok) {
        return T::from_f64(s.sqrt());
    }
    // Rare path: overflow, infinities or tiny values. Find max |x_i| (NaN already excluded
    // above: a NaN element makes the plain sum NaN).
    let mut amax = 0.0f64;
    lines(&mut |v| {
        for e in v {
            let a = Scalar::to_f64(*e).abs();
            if a > amax {
                amax = a;
            }
        }
    });
    if amax == 0.0 || amax.is_infinite() {
        return T::from_f64(amax);
    }
    let (scale, unscale) = if s.is_infinite() {
        (f64::powi(2.0, -600), f64::powi(2.0, 600))
    } else {
        (f64::powi(2.0, 600), f64::powi(2.0, -600))
    };
    let mut ss = 0.0f64;
    lines(&mut |v| {
        for e in v {
            let y = Scalar::to_f64(*e) * scale;
            ss += y * y;
        }
    });
    T::from_f64(ss.sqrt() * unscale)
}

/// Calls `f` on every line (row or column) of `x` as a slice; strided lines are copied into a
/// small buffer first.
fn visit_lines<T: Scalar>(x: &MatRef<'_, T>, f: &mut dyn FnMut(&[T])) {
    let (rs, cs) = (x.row_stride(), x.col_stride());
    let by_cols = rs.unsigned_abs() <= cs.unsigned_abs() || x.ncols() == 1;
    let base = x.as_ptr();
    let mut buf: Vec<T> = Vec::new();
    for_each_line(x.shape(), rs, cs, |line, len, stride| {
        let start = if by_cols {
            line as isize * cs
        } else {
            line as isize * rs
        };
        let p = base.wrapping_offset(start);
        // SAFETY: the line is a row or a column of the view: `len` valid elements.
        unsafe {
            if let Some((s, _)) = contiguous(p, len, stride) {
                f(s);
            } else {
                buf.clear();
                buf.extend((0..len as isize).map(|i| *p.offset(i * stride)));
                f(&buf);
            }
        }
    });
}

/// Index of the first element of largest absolute value, `None` for an empty view.
///
/// For a vector (`n × 1` or `1 × n`) the index is the element's position; any other view is
/// read in column-major order (index `i + j·nrows`). NaN follows the reference BLAS `i?amax`:
/// an element is chosen only when its `|x_i|` is strictly greater than the best so far, so a
/// NaN is never chosen — except as element 0, which then stays chosen (nothing compares
/// greater than NaN).
///
/// ```
/// use lapis_kernels::{iamax, MatRef};
/// // numpy: np.argmax(np.abs(x))
/// let x = [1.0, -7.0, 7.0, 3.0];
/// assert_eq!(iamax(MatRef::from_col_major(&x, 4, 1).unwrap()), Some(1));
/// ```
pub fn iamax<T: Scalar>(x: MatRef<'_, T>) -> Option<usize> {
    if x.is_empty() {
        return None;
    }
    let (m, n) = x.shape();
    if let Some((ptr, len, stride)) = vec_ref(&x) {
        // SAFETY: (ptr, len, stride) describes the vector x, borrowed for reading.
        if let Some((v, false)) = unsafe { contiguous(ptr, len, stride) } {
            return Some(iamax_contiguous(v));
        }
    }
    // SAFETY: (0, 0) is inside the non-empty view.
    let mut best = unsafe { x.get_unchecked(0, 0) }.abs();
    let mut arg = 0;
    for j in 0..n {
        for i in 0..m {
            // SAFETY: i < m, j < n.
            let a = unsafe { x.get_unchecked(i, j) }.abs();
            if a > best {
                best = a;
                arg = i + j * m;
            }
        }
    }
    Some(arg)
}

/// [`iamax`] of a non-empty slice, in two passes the compiler can vectorize: the largest
/// magnitude over independent lanes (a strict `>` keeps NaN out, as the reference loop's does),
/// then the first chunk holding it. The reference loop's single running maximum is a chain of
/// dependent compares, several times slower on the pivot searches of LU.
fn iamax_contiguous<T: Scalar>(x: &[T]) -> usize {
    const W: usize = 8;
    let first = x[0].abs();
    if first.is_nan() {
        // Nothing compares greater than NaN: element 0 stays chosen.
        return 0;
    }
    let mut lanes = [first; W];
    let chunks = x.chunks_exact(W);
    let tail = chunks.remainder();
    for c in chunks {
        for (best, &v) in lanes.iter_mut().zip(c) {
            let a = v.abs();
            if a > *best {
                *best = a;
            }
        }
    }
    let mut best = first;
    for a in lanes.into_iter().chain(tail.iter().map(|v| v.abs())) {
        if a > best {
            best = a;
        }
    }
    // `best` is |x_i| for some non-NaN x_i, so the search below finds it.
    let start = x
        .chunks(W)
        .position(|c| c.iter().fold(false, |hit, v| hit | (v.abs() == best)))
        .unwrap_or(0)
        * W;
    start + x[start..].iter().position(|v| v.abs() == best).unwrap_or(0)
}

/// Applies the plane rotation `[x; y] ← [c s; −s c]·[x; y]` elementwise.
///
/// Errors with [`KernelError::Shape`] when either is not a vector or the lengths differ.
///
/// ```
/// use lapis_kernels::{rot, MatMut};
/// // numpy: x, y = c*x + s*y, c*y - s*x
/// let (mut x, mut y) = ([1.0, 0.0], [0.0, 1.0]);
/// rot(MatMut::from_col_major(&mut x, 2, 1).unwrap(), MatMut::from_col_major(&mut y, 2, 1).unwrap(), 0.0, 1.0)
///     .unwrap();
/// assert_eq!((x, y), ([0.0, 1.0], [-1.0, 0.0]));
/// ```
pub fn rot<T: Scalar>(
    mut x: MatMut<'_, T>,
    mut y: MatMut<'_, T>,
    c: T,
    s: T,
) -> Result<(), KernelError> {
    let (xs, ys) = (x.shape(), y.shape());
    let (Some((px, n, sx)), Some((py, ny, sy))) = (vec_mut(&mut x), vec_mut(&mut y)) else {
        return Err(vector_error("rot", vec![("x", xs), ("y", ys)]));
    };
    if n != ny {
        return Err(vector_error("rot", vec![("x", xs), ("y", ys)]));
    }
    // SAFETY: both views describe n valid, unique elements; two MatMuts never overlap.
    unsafe {
        if let (Some((xv, rx)), Some((yv, ry))) =
            (contiguous_mut(px, n, sx), contiguous_mut(py, n, sy))
            && rx == ry
        {
            for (a, b) in xv.iter_mut().zip(yv.iter_mut()) {
                let (xa, yb) = (*a, *b);
                *a = c * xa + s * yb;
                *b = c * yb - s * xa;
            }
            return Ok(());
        }
        for i in 0..n as isize {
            let (pa, pb) = (px.offset(i * sx), py.offset(i * sy));
            let (xa, yb) = (*pa, *pb);
            *pa = c * xa + s * yb;
            *pb = c * yb - s * xa;
        }
    }
    Ok(())
}

/// Constructs a Givens rotation: `(c, s, r)` with `[c s; −s c]·[a; b] = [r; 0]`,
/// `c² + s² = 1`.
///
/// Follows LAPACK's `?lartg` conventions: `c ≥ 0`; `r` has the sign of `a` (when `a ≠ 0`);
/// `b = 0` gives `(1, 0, a)`; `a = 0` gives `(0, sign(b), |b|)`. Operands are scaled when
/// `a² + b²` could overflow or underflow, so any finite inputs give finite outputs. NaN
/// inputs give NaN outputs.
///
/// ```
/// use lapis_kernels::rotg;
/// // numpy: r = np.hypot(a, b); c, s = a / r, b / r
/// let (c, s, r) = rotg(3.0, 4.0);
/// assert_eq!((c, s, r), (0.6, 0.8, 5.0));
/// ```
pub fn rotg<T: Scalar>(a: T, b: T) -> (T, T, T) {
    let (zero, one) = (T::zero(), T::one());
    if b == zero {
        return (one, zero, a);
    }
    if a == zero {
        return (zero, one.copysign(b), b.abs());
    }
    let safmin = T::MIN_POSITIVE;
    let safmax = one / safmin;
    // |a|, |b| in [rtmin, rtmax] make a² + b² safe.
    let rtmin = safmin.sqrt();
    let rtmax = (safmax / (one + one)).sqrt();
    let (fa, fb) = (a.abs(), b.abs());
    if fa > rtmin && fa < rtmax && fb > rtmin && fb < rtmax {
        let d = (a * a + b * b).sqrt();
        let c = fa / d;
        let r = d.copysign(a);
        let s = b / r;
        return (c, s, r);
    }
    // Scale both into a safe range by u = clamp(max(|a|, |b|)).
    let u = safmin.max(fa).max(fb).min(safmax);
    let (fs, gs) = (a / u, b / u);
    let d = (fs * fs + gs * gs).sqrt();
    let c = fs.abs() / d;
    let r = d.copysign(a);
    let s = gs / r;
    (c, s, r * u)
}

/// Slice-level kernels dispatched on [`arch`] and the element type.
pub(crate) mod kern {
    use super::*;

    use crate::scalar::{cast, cast_mut};

    /// Below this length a plain loop beats the dispatched kernel's call and set-up (the
    /// triangular kernels call these once per element of short rows).
    const SHORT: usize = 16;

    /// `Σ x_i·y_i` over `min(len)` elements.
    pub(crate) fn dot<T: Scalar>(x: &[T], y: &[T]) -> T {
        let n = x.len().min(y.len());
        let (x, y) = (&x[..n], &y[..n]);
        if n < SHORT {
            return portable::dot(x, y);
        }
        if let (Some(x), Some(y)) = (cast::<T, f64>(x), cast::<T, f64>(y)) {
            return T::from_f64(isa::dot_f64(x, y));
        }
        if let (Some(x), Some(y)) = (cast::<T, f32>(x), cast::<T, f32>(y)) {
            return T::from_f64(isa::dot_f32(x, y) as f64);
        }
        portable::dot(x, y)
    }

    /// `y ← α·x + y` over `min(len)` elements.
    pub(crate) fn axpy<T: Scalar>(alpha: T, x: &[T], y: &mut [T]) {
        let n = x.len().min(y.len());
        let (x, y) = (&x[..n], &mut y[..n]);
        if n < SHORT {
            return portable::axpy(alpha, x, y);
        }
        if let (Some(xf), Some(yf)) = (cast::<T, f64>(x), cast_mut::<T, f64>(y)) {
            return isa::axpy_f64(Scalar::to_f64(alpha), xf, yf);
        }
        if let (Some(xf), Some(yf)) = (cast::<T, f32>(x), cast_mut::<T, f32>(y)) {
            return isa::axpy_f32(Scalar::to_f64(alpha) as f32, xf, yf);
        }
        portable::axpy(alpha, x, y)
    }

    /// `x ← α·x`; `α = 0` writes zeros.
    pub(crate) fn scal<T: Scalar>(alpha: T, x: &mut [T]) {
        if alpha == T::zero() {
            x.fill(T::zero());
            return;
        }
        if let Some(xf) = cast_mut::<T, f64>(x) {
            return isa::scal_f64(Scalar::to_f64(alpha), xf);
        }
        if let Some(xf) = cast_mut::<T, f32>(x) {
            return isa::scal_f32(Scalar::to_f64(alpha) as f32, xf);
        }
        portable::scal(alpha, x)
    }

    /// `Σ x_i²` computed in `f64` (`f32` elements are widened first).
    pub(crate) fn sumsq<T: Scalar>(x: &[T]) -> f64 {
        if let Some(xf) = cast::<T, f64>(x) {
            return isa::dot_f64(xf, xf);
        }
        if let Some(xf) = cast::<T, f32>(x) {
            return isa::sumsq_f32(xf);
        }
        portable::sumsq(x)
    }

    /// Per-type entry points that pick the ISA.
    mod isa {
        use super::*;

        macro_rules! dispatch {
            ($name:ident, ($($arg:ident: $ty:ty),*) -> $ret:ty, $port:expr,
             $avx512:ident, $avx2:ident, $neon:ident) => {
                pub(crate) fn $name($($arg: $ty),*) -> $ret {
                    match arch() {
                        #[cfg(target_arch = "x86_64")]
                        // SAFETY: arch() only reports ISAs this CPU supports.
                        crate::Isa::Avx512 => unsafe { super::super::x86::$avx512($($arg),*) },
                        #[cfg(target_arch = "x86_64")]
                        // SAFETY: as above.
                        crate::Isa::Avx2 => unsafe { super::super::x86::$avx2($($arg),*) },
                        #[cfg(target_arch = "aarch64")]
                        // SAFETY: as above.
                        crate::Isa::Neon => unsafe { super::super::neon::$neon($($arg),*) },
                        _ => $port($($arg),*),
                    }
                }
            };
        }

        dispatch!(dot_f64, (x: &[f64], y: &[f64]) -> f64, portable::dot::<f64>,
                  dot_f64_avx512, dot_f64_avx2, dot_f64);
        dispatch!(dot_f32, (x: &[f32], y: &[f32]) -> f32, portable::dot::<f32>,
                  dot_f32_avx512, dot_f32_avx2, dot_f32);
        dispatch!(axpy_f64, (a: f64, x: &[f64], y: &mut [f64]) -> (), portable::axpy::<f64>,
                  axpy_f64_avx512, axpy_f64_avx2, axpy_f64);
        dispatch!(axpy_f32, (a: f32, x: &[f32], y: &mut [f32]) -> (), portable::axpy::<f32>,
                  axpy_f32_avx512, axpy_f32_avx2, axpy_f32);
        dispatch!(scal_f64, (a: f64, x: &mut [f64]) -> (), portable::scal::<f64>,
                  scal_f64_avx512, scal_f64_avx2, scal_f64);
        dispatch!(scal_f32, (a: f32, x: &mut [f32]) -> (), portable::scal::<f32>,
                  scal_f32_avx512, scal_f32_avx2, scal_f32);
        dispatch!(sumsq_f32, (x: &[f32]) -> f64, portable::sumsq::<f32>,
                  sumsq_f32_avx512, sumsq_f32_avx2, sumsq_f32);
    }

    /// Plain Rust: the `Isa::Scalar` path and the oracle's shape.
    pub(crate) mod portable {
        use crate::Scalar;

        pub(crate) fn dot<T: Scalar>(x: &[T], y: &[T]) -> T {
            let mut acc = [T::zero(); 4];
            let (xc, xr) = x.as_chunks::<4>();
            let (yc, yr) = y.as_chunks::<4>();
            for (a, b) in xc.iter().zip(yc) {
                for l in 0..4 {
                    acc[l] += a[l] * b[l];
                }
            }
            let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
            for (a, b) in xr.iter().zip(yr) {
                s += *a * *b;
            }
            s
        }

        pub(crate) fn axpy<T: Scalar>(alpha: T, x: &[T], y: &mut [T]) {
            for (yi, xi) in y.iter_mut().zip(x) {
                *yi += alpha * *xi;
            }
        }

        pub(crate) fn scal<T: Scalar>(alpha: T, x: &mut [T]) {
            for xi in x {
                *xi *= alpha;
            }
        }

        pub(crate) fn sumsq<T: Scalar>(x: &[T]) -> f64 {
            let mut acc = [0.0f64; 4];
            let (xc, xr) = x.as_chunks::<4>();
            for a in xc {
                for l in 0..4 {
                    let v = Scalar::to_f64(a[l]);
                    acc[l] += v * v;
                }
            }
            let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
            for a in xr {
                let v = Scalar::to_f64(*a);
                s += v * v;
            }
            s
        }
    }
}

/// AVX2+FMA and AVX-512F kernels: four vector accumulators (or four vectors per step) to hide
/// the FMA latency; scalar tails.
#[cfg(target_arch = "x86_64")]
mod x86 {
    use core::arch::x86_64::*;

    macro_rules! x86_kernels {
        ($feat:literal, $T:ty, $L:expr, $load:ident, $store:ident, $set1:ident, $zero:ident,
         $fmadd:ident, $mul:ident, $add:ident, $dot:ident, $axpy:ident, $scal:ident) => {
            /// `Σ x_i·y_i`.
            ///
            /// # Safety
            /// The CPU supports the target features; `x.len() == y.len()`.
            #[target_feature(enable = $feat)]
            pub(crate) unsafe fn $dot(x: &[$T], y: &[$T]) -> $T {
                const L: usize = $L;
                let n = x.len().min(y.len());
                let (xp, yp) = (x.as_ptr(), y.as_ptr());
                let mut acc = [$zero(); 4];
                let mut i = 0;
                while i + 4 * L <= n {
                    for u in 0..4 {
                        let k = i + u * L;
                        // SAFETY: k + L <= n, inside both slices.
                        let (a, b) = unsafe { ($load(xp.add(k)), $load(yp.add(k))) };
                        acc[u] = $fmadd(a, b, acc[u]);
                    }
                    i += 4 * L;
                }
                while i + L <= n {
                    // SAFETY: i + L <= n.
                    let (a, b) = unsafe { ($load(xp.add(i)), $load(yp.add(i))) };
                    acc[0] = $fmadd(a, b, acc[0]);
                    i += L;
                }
                let v = $add($add(acc[0], acc[1]), $add(acc[2], acc[3]));
                let mut lanes = [0.0 as $T; L];
                // SAFETY: `lanes` holds L elements.
                unsafe { $store(lanes.as_mut_ptr(), v) };
                let mut s = lanes.iter().sum::<$T>();
                while i < n {
                    s = x[i].mul_add(y[i], s);
                    i += 1;
                }
                s
            }

            /// `y ← a·x + y`.
            ///
            /// # Safety
            /// The CPU supports the target features; `x.len() == y.len()`.
            #[target_feature(enable = $feat)]
            pub(crate) unsafe fn $axpy(a: $T, x: &[$T], y: &mut [$T]) {
                const L: usize = $L;
                let n = x.len().min(y.len());
                let (xp, yp) = (x.as_ptr(), y.as_mut_ptr());
                let av = $set1(a);
                let mut i = 0;
                while i + 4 * L <= n {
                    for u in 0..4 {
                        let k = i + u * L;
                        // SAFETY: k + L <= n, inside both slices.
                        unsafe {
                            $store(yp.add(k), $fmadd(av, $load(xp.add(k)), $load(yp.add(k))))
                        };
                    }
                    i += 4 * L;
                }
                while i + L <= n {
                    // SAFETY: i + L <= n.
                    unsafe { $store(yp.add(i), $fmadd(av, $load(xp.add(i)), $load(yp.add(i)))) };
                    i += L;
                }
                while i < n {
                    y[i] = a.mul_add(x[i], y[i]);
                    i += 1;
                }
            }

            /// `x ← a·x`.
            ///
            /// # Safety
            /// The CPU supports the target features.
            #[target_feature(enable = $feat)]
            pub(crate) unsafe fn $scal(a: $T, x: &mut [$T]) {
                const L: usize = $L;
                let n = x.len();
                let xp = x.as_mut_ptr();
                let av = $set1(a);
                let mut i = 0;
                while i + 2 * L <= n {
                    // SAFETY: i + 2L <= n.
                    unsafe {
                        $store(xp.add(i), $mul(av, $load(xp.add(i))));
                        $store(xp.add(i + L), $mul(av, $load(xp.add(i + L))));
                    }
                    i += 2 * L;
                }
                while i < n {
                    x[i] *= a;
                    i += 1;
                }
            }
        };
    }

    x86_kernels!(
        "avx2,fma",
        f64,
        4,
        _mm256_loadu_pd,
        _mm256_storeu_pd,
        _mm256_set1_pd,
        _mm256_setzero_pd,
        _mm256_fmadd_pd,
        _mm256_mul_pd,
        _mm256_add_pd,
        dot_f64_avx2,
        axpy_f64_avx2,
        scal_f64_avx2
    );
    x86_kernels!(
        "avx2,fma",
        f32,
        8,
        _mm256_loadu_ps,
        _mm256_storeu_ps,
        _mm256_set1_ps,
        _mm256_setzero_ps,
        _mm256_fmadd_ps,
        _mm256_mul_ps,
        _mm256_add_ps,
        dot_f32_avx2,
        axpy_f32_avx2,
        scal_f32_avx2
    );
    x86_kernels!(
        "avx512f",
        f64,
        8,
        _mm512_loadu_pd,
        _mm512_storeu_pd,
        _mm512_set1_pd,
        _mm512_setzero_pd,
        _mm512_fmadd_pd,
        _mm512_mul_pd,
        _mm512_add_pd,
        dot_f64_avx512,
        axpy_f64_avx512,
        scal_f64_avx512
    );
    x86_kernels!(
        "avx512f",
        f32,
        16,
        _mm512_loadu_ps,
        _mm512_storeu_ps,
        _mm512_set1_ps,
        _mm512_setzero_ps,
        _mm512_fmadd_ps,
        _mm512_mul_ps,
        _mm512_add_ps,
        dot_f32_avx512,
        axpy_f32_avx512,
        scal_f32_avx512
    );

    /// `Σ x_i²` in `f64`, four `f32` widened per AVX2 vector.
    ///
    /// # Safety
    /// The CPU supports AVX2 and FMA.
    #[target_feature(enable = "avx2,fma")]
    pub(crate) unsafe fn sumsq_f32_avx2(x: &[f32]) -> f64 {
        let n = x.len();
        let p = x.as_ptr();
        let mut acc = [_mm256_setzero_pd(); 4];
        let mut i = 0;
        while i + 16 <= n {
            for u in 0..4 {
                // SAFETY: i + 4u + 4 <= n.
                let v = _mm256_cvtps_pd(unsafe { _mm_loadu_ps(p.add(i + 4 * u)) });
                acc[u] = _mm256_fmadd_pd(v, v, acc[u]);
            }
            i += 16;
        }
        let v = _mm256_add_pd(_mm256_add_pd(acc[0], acc[1]), _mm256_add_pd(acc[2], acc[3]));
        let mut lanes = [0.0f64; 4];
        // SAFETY: `lanes` holds 4 elements.
        unsafe { _mm256_storeu_pd(lanes.as_mut_ptr(), v) };
        let mut s = lanes.iter().sum::<f64>();
        for &e in &x[i..] {
            s += f64::from(e) * f64::from(e);
        }
        s
    }

    /// `Σ x_i²` in `f64`, eight `f32` widened per AVX-512 vector.
    ///
    /// # Safety
    /// The CPU supports AVX-512F.
    #[target_feature(enable = "avx512f")]
    pub(crate) unsafe fn sumsq_f32_avx512(x: &[f32]) -> f64 {
        let n = x.len();
        let p = x.as_ptr();
        let mut acc = [_mm512_setzero_pd(); 4];
        let mut i = 0;
        while i + 32 <= n {
            for u in 0..4 {
                // SAFETY: i + 8u + 8 <= n.
                let v = _mm512_cvtps_pd(unsafe { _mm256_loadu_ps(p.add(i + 8 * u)) });
                acc[u] = _mm512_fmadd_pd(v, v, acc[u]);
            }
            i += 32;
        }
        let v = _mm512_add_pd(_mm512_add_pd(acc[0], acc[1]), _mm512_add_pd(acc[2], acc[3]));
        let mut s = _mm512_reduce_add_pd(v);
        for &e in &x[i..] {
            s += f64::from(e) * f64::from(e);
        }
        s
    }
}

/// NEON kernels (128-bit: 2 × f64 or 4 × f32), four accumulators.
#[cfg(target_arch = "aarch64")]
mod neon {
    use core::arch::aarch64::*;

    macro_rules! neon_kernels {
        ($T:ty, $L:expr, $load:ident, $store:ident, $dup:ident, $fma:ident, $mul:ident,
         $add:ident, $dot:ident, $axpy:ident, $scal:ident) => {
            /// `Σ x_i·y_i`.
            ///
            /// # Safety
            /// The CPU supports NEON.
            #[target_feature(enable = "neon")]
            pub(crate) unsafe fn $dot(x: &[$T], y: &[$T]) -> $T {
                const L: usize = $L;
                let n = x.len().min(y.len());
                let (xp, yp) = (x.as_ptr(), y.as_ptr());
                let mut acc = [$dup(0.0); 4];
                let mut i = 0;
                while i + 4 * L <= n {
                    for u in 0..4 {
                        let k = i + u * L;
                        // SAFETY: k + L <= n, inside both slices.
                        let (a, b) = unsafe { ($load(xp.add(k)), $load(yp.add(k))) };
                        acc[u] = $fma(acc[u], a, b);
                    }
                    i += 4 * L;
                }
                let v = $add($add(acc[0], acc[1]), $add(acc[2], acc[3]));
                let mut lanes = [0.0 as $T; L];
                // SAFETY: `lanes` holds L elements.
                unsafe { $store(lanes.as_mut_ptr(), v) };
                let mut s = lanes.iter().sum::<$T>();
                while i < n {
                    s = x[i].mul_add(y[i], s);
                    i += 1;
                }
                s
            }

            /// `y ← a·x + y`.
            ///
            /// # Safety
            /// The CPU supports NEON.
            #[target_feature(enable = "neon")]
            pub(crate) unsafe fn $axpy(a: $T, x: &[$T], y: &mut [$T]) {
                const L: usize = $L;
                let n = x.len().min(y.len());
                let (xp, yp) = (x.as_ptr(), y.as_mut_ptr());
                let av = $dup(a);
                let mut i = 0;
                while i + 2 * L <= n {
                    // SAFETY: i + 2L <= n.
                    unsafe {
                        $store(yp.add(i), $fma($load(yp.add(i)), av, $load(xp.add(i))));
                        $store(
                            yp.add(i + L),
                            $fma($load(yp.add(i + L)), av, $load(xp.add(i + L))),
                        );
                    }
                    i += 2 * L;
                }
                while i < n {
                    y[i] = a.mul_add(x[i], y[i]);
                    i += 1;
                }
            }

            /// `x ← a·x`.
            ///
            /// # Safety
            /// The CPU supports NEON.
            #[target_feature(enable = "neon")]
            pub(crate) unsafe fn $scal(a: $T, x: &mut [$T]) {
                const L: usize = $L;
                let n = x.len();
                let xp = x.as_mut_ptr();
                let av = $dup(a);
                let mut i = 0;
                while i + L <= n {
                    // SAFETY: i + L <= n.
                    unsafe { $store(xp.add(i), $mul(av, $load(xp.add(i)))) };
                    i += L;
                }
                while i < n {
                    x[i] *= a;
                    i += 1;
                }
            }
        };
    }

    neon_kernels!(
        f64,
        2,
        vld1q_f64,
        vst1q_f64,
        vdupq_n_f64,
        vfmaq_f64,
        vmulq_f64,
        vaddq_f64,
        dot_f64,
        axpy_f64,
        scal_f64
    );
    neon_kernels!(
        f32,
        4,
        vld1q_f32,
        vst1q_f32,
        vdupq_n_f32,
        vfmaq_f32,
        vmulq_f32,
        vaddq_f32,
        dot_f32,
        axpy_f32,
        scal_f32
    );

    /// `Σ x_i²` in `f64`, `f32` pairs widened.
    ///
    /// # Safety
    /// The CPU supports NEON.
    #[target_feature(enable = "neon")]
    pub(crate) unsafe fn sumsq_f32(x: &[f32]) -> f64 {
        let n = x.len();
        let p = x.as_ptr();
        let mut acc = [vdupq_n_f64(0.0); 4];
        let mut i = 0;
        while i + 8 <= n {
            // SAFETY: i + 8 <= n.
            let (a, b) = unsafe { (vld1q_f32(p.add(i)), vld1q_f32(p.add(i + 4))) };
            let (a0, a1) = (vcvt_f64_f32(vget_low_f32(a)), vcvt_high_f64_f32(a));
            let (b0, b1) = (vcvt_f64_f32(vget_low_f32(b)), vcvt_high_f64_f32(b));
            acc[0] = vfmaq_f64(acc[0], a0, a0);
            acc[1] = vfmaq_f64(acc[1], a1, a1);
            acc[2] = vfmaq_f64(acc[2], b0, b0);
            acc[3] = vfmaq_f64(acc[3], b1, b1);
            i += 8;
        }
        let v = vaddq_f64(vaddq_f64(acc[0], acc[1]), vaddq_f64(acc[2], acc[3]));
        let mut s = vaddvq_f64(v);
        for &e in &x[i..] {
            s += f64::from(e) * f64::from(e);
        }
        s
    }
}
