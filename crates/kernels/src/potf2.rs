//! Unblocked Cholesky factorization of a small block (LAPACK `potf2`, lower triangle): the
//! leaf of the recursive factorization in `lapis-factor`.
//!
//! The triangle is copied into a contiguous column-major buffer whose leading dimension is
//! the order rounded up to 8, 16 or 32, and factored right-looking: once column `j` is
//! scaled, every later column takes its rank-1 update over the buffer's full height. Rows
//! above the diagonal then hold garbage, but row `r` of a column only ever receives row `r`
//! of earlier columns, so the garbage never reaches the triangle, and every loop has a
//! compile-time length that the ISA wrappers turn into whole vectors.

#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
use crate::Isa;
use crate::scalar::mul_add_if;
use crate::{KernelError, MatMut, Scalar, arch};

/// Factors the symmetric positive definite `a` (square, any strides) in place as `A = L·Lᵀ`,
/// reading and writing only its lower triangle (with the diagonal).
///
/// Returns `Ok(0)` on success, or `Ok(j)` (LAPACK's `info`) when the leading principal
/// submatrix of order `j` is not positive definite (its pivot is `≤ 0` or NaN): `a` then
/// holds the first `j − 1` columns of `L`, the failed pivot at `(j − 1, j − 1)` and the
/// partly updated columns after it. Meant for blocks of order up to about 32; larger ones
/// work but belong to a blocked algorithm. Errors with [`KernelError::Shape`] when `a` is
/// not square.
///
/// ```
/// use lapis_kernels::{potf2, MatMut};
/// // numpy: np.linalg.cholesky(a)
/// let mut a = [4.0, 2.0, 2.0, 5.0]; // [[4, 2], [2, 5]]
/// assert_eq!(potf2(MatMut::from_col_major(&mut a, 2, 2).unwrap()), Ok(0));
/// assert_eq!(a, [2.0, 1.0, 2.0, 2.0]); // L = [[2, 0], [1, 2]]; the upper entry is untouched
///
/// let mut b = [1.0, 2.0, 2.0, 1.0]; // [[1, 2], [2, 1]] is indefinite
/// assert_eq!(potf2(MatMut::from_col_major(&mut b, 2, 2).unwrap()), Ok(2));
/// ```
pub fn potf2<T: Scalar>(mut a: MatMut<'_, T>) -> Result<usize, KernelError> {
    let n = a.nrows();
    if a.ncols() != n {
        return Err(KernelError::Shape {
            op: "potf2",
            shapes: vec![("a", a.shape())],
        });
    }
    let info = match n {
        0 => 0,
        1..=8 => on_stack::<T, 8, 64>(&mut a),
        9..=16 => on_stack::<T, 16, 256>(&mut a),
        17..=32 => on_stack::<T, 32, 1024>(&mut a),
        _ => {
            let mut buf = vec![T::zero(); n * n];
            in_buffer(&mut a, &mut buf, n, factor_dispatch::<T>)
        }
    };
    Ok(info)
}

/// Copies the lower triangle of `a` into `buf` (leading dimension `p`), runs `factor` and
/// copies the triangle back.
fn in_buffer<T: Scalar>(
    a: &mut MatMut<'_, T>,
    buf: &mut [T],
    p: usize,
    factor: impl FnOnce(&mut [T], usize) -> usize,
) -> usize {
    let n = a.nrows();
    for j in 0..n {
        for i in j..n {
            // SAFETY: i, j < n, the order of a.
            buf[j * p + i] = unsafe { *a.get_unchecked_mut(i, j) };
        }
    }
    let info = factor(buf, n);
    for j in 0..n {
        for i in j..n {
            // SAFETY: as above.
            unsafe { *a.get_unchecked_mut(i, j) = buf[j * p + i] };
        }
    }
    info
}

/// [`in_buffer`] on a stack buffer of `PP = P²` elements.
fn on_stack<T: Scalar, const P: usize, const PP: usize>(a: &mut MatMut<'_, T>) -> usize {
    debug_assert!(PP == P * P && a.nrows() <= P);
    let mut buf = [T::zero(); PP];
    in_buffer(a, &mut buf, P, |buf, n| {
        match arch() {
            // SAFETY: arch() reports only ISAs this CPU supports.
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => unsafe { avx512::<T, P>(buf, n) },
            // SAFETY: as above.
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => unsafe { avx2::<T, P>(buf, n) },
            // SAFETY: as above.
            #[cfg(target_arch = "aarch64")]
            Isa::Neon => unsafe { neon::<T, P>(buf, n) },
            _ => factor::<T, false>(buf, n, P),
        }
    })
}

/// Any order: the leading dimension is the order itself (known only at run time).
fn factor_dispatch<T: Scalar>(buf: &mut [T], n: usize) -> usize {
    match arch() {
        // SAFETY: arch() reports only ISAs this CPU supports.
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 | Isa::Avx2 => unsafe { avx2_any::<T>(buf, n) },
        // SAFETY: as above.
        #[cfg(target_arch = "aarch64")]
        Isa::Neon => unsafe { neon_any::<T>(buf, n) },
        _ => factor::<T, false>(buf, n, n),
    }
}

/// # Safety
/// The CPU supports AVX-512F.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx2,fma")]
unsafe fn avx512<T: Scalar, const P: usize>(buf: &mut [T], n: usize) -> usize {
    factor::<T, true>(buf, n, P)
}

/// # Safety
/// The CPU supports AVX2 and FMA.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn avx2<T: Scalar, const P: usize>(buf: &mut [T], n: usize) -> usize {
    factor::<T, true>(buf, n, P)
}

/// # Safety
/// The CPU supports AVX2 and FMA.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn avx2_any<T: Scalar>(buf: &mut [T], n: usize) -> usize {
    factor::<T, true>(buf, n, n)
}

/// # Safety
/// The CPU supports NEON.
#[cfg(target_arch = "aarch64")]
#[target_feature(enable = "neon")]
unsafe fn neon<T: Scalar, const P: usize>(buf: &mut [T], n: usize) -> usize {
    factor::<T, true>(buf, n, P)
}

/// # Safety
/// The CPU supports NEON.
#[cfg(target_arch = "aarch64")]
#[target_feature(enable = "neon")]
unsafe fn neon_any<T: Scalar>(buf: &mut [T], n: usize) -> usize {
    factor::<T, true>(buf, n, n)
}

/// Right-looking factorization of the `n × n` lower triangle in `buf` (column `j` at
/// `buf[j·p..(j + 1)·p]`); returns LAPACK's `info`.
#[inline(always)]
fn factor<T: Scalar, const FMA: bool>(buf: &mut [T], n: usize, p: usize) -> usize {
    for j in 0..n {
        let (left, right) = buf.split_at_mut((j + 1) * p);
        let col = &mut left[j * p..];
        let d = col[j];
        // `d > 0` is false for NaN as well: a NaN pivot fails here instead of propagating.
        let positive = d > T::zero();
        if !positive {
            return j + 1;
        }
        let r = d.sqrt();
        // The column is scaled by the reciprocal (one rounding more, as LAPACK's potf2 does).
        // It never overflows: `r = √d` of a positive `d` is at least √(smallest subnormal), a
        // normal number; and for `d = +∞`, `x·(1/∞) = x·0` gives what `x/∞` would.
        let inv = T::one() / r;
        col.iter_mut().for_each(|x| *x *= inv);
        col[j] = r;
        let col: &[T] = col;
        for (c, next) in right.chunks_exact_mut(p).enumerate().take(n - j - 1) {
            update::<T, FMA>(-col[j + 1 + c], col, next);
        }
    }
    0
}

/// `y ← y + f·x`, in chunks copied into local arrays: a loop straight over `x` and `y`
/// (halves of one buffer) was fully unrolled at these short lengths and then left scalar,
/// since the compiler could not tell that its stores to `y` miss the loads from `x`.
#[inline(always)]
fn update<T: Scalar, const FMA: bool>(f: T, x: &[T], y: &mut [T]) {
    let (yc, y_rest) = y.as_chunks_mut::<16>();
    let (xc, x_rest) = x.as_chunks::<16>();
    for (y, x) in yc.iter_mut().zip(xc) {
        *y = update_chunk::<T, 16, FMA>(f, *x, *y);
    }
    let (yc, y_rest) = y_rest.as_chunks_mut::<8>();
    let (xc, x_rest) = x_rest.as_chunks::<8>();
    for (y, x) in yc.iter_mut().zip(xc) {
        *y = update_chunk::<T, 8, FMA>(f, *x, *y);
    }
    for (y, &x) in y_rest.iter_mut().zip(x_rest) {
        *y = mul_add_if::<T, FMA>(f, x, *y);
    }
}

#[inline(always)]
fn update_chunk<T: Scalar, const C: usize, const FMA: bool>(
    f: T,
    x: [T; C],
    mut y: [T; C],
) -> [T; C] {
    for c in 0..C {
        y[c] = mul_add_if::<T, FMA>(f, x[c], y[c]);
    }
    y
}
