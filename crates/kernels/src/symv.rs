//! SYMV: `y ← α·A·x + β·y` for a symmetric `A` of which one triangle is read.
//!
//! The lower triangle is walked by blocks of four columns. The block's rectangle below the
//! diagonal is used twice, for `y[below] += R·x[block]` and `y[block] += Rᵀ·x[below]`, and
//! the fused kernel does both in **one pass**: each row chunk of the four columns is loaded
//! once, `y`'s chunk is loaded and stored once, and the four dot products accumulate in
//! registers. Two separate GEMVs (or a dot and an axpy per column) read the rectangle twice
//! and load and store `y` once per column; in the tridiagonal reduction of `eigh`, where
//! half the flops are this product, the fused form is what makes the reduction
//! memory-bound on `A` alone.

use crate::blas1::{forwards, vec_mut, vec_ref};
use crate::scalar::{cast, cast_mut};
use crate::{KernelError, MatMut, MatRef, Scalar, Uplo, arch};

/// Columns per fused step.
const COLS: usize = 4;

/// `y ← α·A·x + β·y` for the symmetric `n × n` matrix `A`, reading only its `uplo`
/// triangle (BLAS `symv`); `x` and `y` are vectors of length `n` with any strides. β = 0
/// ignores NaN in `y`, as BLAS.
///
/// Errors with [`KernelError::Shape`] when `a` is not square or a vector's length is not `n`.
///
/// ```
/// use lapis_kernels::{MatMut, MatRef, Uplo, symv};
/// // numpy: np.array([[2., 1.], [1., 3.]]) @ [1., 1.]   (upper entry never read)
/// let a = [2.0, 1.0, f64::NAN, 3.0]; // column-major, NaN above the diagonal
/// let x = [1.0, 1.0];
/// let mut y = [0.0; 2];
/// symv(
///     Uplo::Lower,
///     1.0,
///     MatRef::from_col_major(&a, 2, 2).unwrap(),
///     MatRef::from_col_major(&x, 2, 1).unwrap(),
///     0.0,
///     MatMut::from_col_major(&mut y, 2, 1).unwrap(),
/// )
/// .unwrap();
/// assert_eq!(y, [3.0, 4.0]);
/// ```
pub fn symv<T: Scalar>(
    uplo: Uplo,
    alpha: T,
    a: MatRef<'_, T>,
    x: MatRef<'_, T>,
    beta: T,
    mut y: MatMut<'_, T>,
) -> Result<(), KernelError> {
    let n = a.nrows();
    let ys = y.shape();
    let shape_error = || KernelError::Shape {
        op: "symv",
        shapes: vec![("a", a.shape()), ("x", x.shape()), ("y", ys)],
    };
    let (Some((px, nx, sx)), Some((py, ny, sy))) = (vec_ref(&x), vec_mut(&mut y)) else {
        return Err(shape_error());
    };
    if a.ncols() != n || nx != n || ny != n {
        return Err(shape_error());
    }
    if n == 0 {
        return Ok(());
    }
    crate::gemm::scale(beta, y.rb());
    if alpha == T::zero() {
        return Ok(());
    }
    // The upper triangle of A is the lower triangle of Aᵀ, and Aᵀ·x = A·x.
    let low = match uplo {
        Uplo::Lower => a,
        Uplo::Upper => a.transpose(),
    };
    let mut xbuf = Vec::new();
    // SAFETY: (px, n, sx) describes the view x.
    let xs = unsafe { forwards(px, n, sx, &mut xbuf) };
    if sy == 1 {
        // SAFETY: y is a unit-stride vector of n unique elements, borrowed from `y`.
        let ys = unsafe { core::slice::from_raw_parts_mut(py, n) };
        lower_contig(alpha, low, xs, ys);
    } else {
        let mut tmp = vec![T::zero(); n];
        lower_contig(alpha, low, xs, &mut tmp);
        for (i, &v) in tmp.iter().enumerate() {
            // SAFETY: i < n, inside the vector y.
            unsafe { *py.offset(i as isize * sy) += v };
        }
    }
    Ok(())
}

/// `y += α·A·x` from the lower triangle of `a`, contiguous `x` and `y`.
fn lower_contig<T: Scalar>(alpha: T, a: MatRef<'_, T>, x: &[T], y: &mut [T]) {
    let n = a.nrows();
    if a.row_stride() != 1 {
        // Rows not contiguous (a caller's row-major or transposed view): element by element.
        for j in 0..n {
            let (xj, mut t) = (alpha * x[j], T::zero());
            y[j] += xj * a.get(j, j);
            for i in j + 1..n {
                let aij = a.get(i, j);
                y[i] += xj * aij;
                t += aij * x[i];
            }
            y[j] += alpha * t;
        }
        return;
    }
    let mut j = 0;
    while j < n {
        let kb = COLS.min(n - j);
        // The kb × kb triangle on the diagonal.
        for c in 0..kb {
            let jj = j + c;
            y[jj] += alpha * a.get(jj, jj) * x[jj];
            for r in c + 1..kb {
                let (ii, aij) = (j + r, a.get(j + r, jj));
                y[ii] += alpha * aij * x[jj];
                y[jj] += alpha * aij * x[ii];
            }
        }
        let (top, len) = (j + kb, n - j - kb);
        if len > 0 {
            // SAFETY: a has unit row stride, so rows top..n of column j + c are `len`
            // consecutive elements inside the view.
            let col = |c: usize| unsafe { core::slice::from_raw_parts(a.ptr_at(top, j + c), len) };
            let (yhead, yb) = y.split_at_mut(top);
            let xb = &x[top..];
            if kb == COLS {
                let xc = [0, 1, 2, 3].map(|c| alpha * x[j + c]);
                let dots = fused4([col(0), col(1), col(2), col(3)], xc, xb, yb);
                for c in 0..COLS {
                    yhead[j + c] += alpha * dots[c];
                }
            } else {
                for c in 0..kb {
                    let t = crate::blas1::kern::dot(col(c), xb);
                    crate::blas1::kern::axpy(alpha * x[j + c], col(c), yb);
                    yhead[j + c] += alpha * t;
                }
            }
        }
        j += kb;
    }
}

/// `y += Σ_c xc[c]·cols[c]` and returns `[colsᵀ[c]·x]`, in one pass (all slices of x's
/// length).
fn fused4<T: Scalar>(cols: [&[T]; 4], xc: [T; 4], x: &[T], y: &mut [T]) -> [T; 4] {
    let f64s = cols.map(cast::<T, f64>);
    if let ([Some(c0), Some(c1), Some(c2), Some(c3)], Some(xf), Some(yf)) =
        (f64s, cast::<T, f64>(x), cast_mut::<T, f64>(y))
    {
        let xcf = xc.map(Scalar::to_f64);
        return isa::fused4_f64([c0, c1, c2, c3], xcf, xf, yf).map(T::from_f64);
    }
    let f32s = cols.map(cast::<T, f32>);
    if let ([Some(c0), Some(c1), Some(c2), Some(c3)], Some(xf), Some(yf)) =
        (f32s, cast::<T, f32>(x), cast_mut::<T, f32>(y))
    {
        let xcf = xc.map(|v| Scalar::to_f64(v) as f32);
        return isa::fused4_f32([c0, c1, c2, c3], xcf, xf, yf).map(|v| T::from_f64(v as f64));
    }
    portable(cols, xc, x, y)
}

/// Plain Rust: the `Isa::Scalar` path and the SIMD kernels' tails.
fn portable<T: Scalar>(cols: [&[T]; 4], xc: [T; 4], x: &[T], y: &mut [T]) -> [T; 4] {
    let mut acc = [T::zero(); 4];
    for i in 0..x.len() {
        let mut yi = y[i];
        for c in 0..4 {
            let a = cols[c][i];
            yi += a * xc[c];
            acc[c] += a * x[i];
        }
        y[i] = yi;
    }
    acc
}

mod isa {
    use super::*;

    macro_rules! dispatch {
        ($name:ident, $T:ty, $avx512:ident, $avx2:ident, $neon:ident) => {
            pub(super) fn $name(c: [&[$T]; 4], xc: [$T; 4], x: &[$T], y: &mut [$T]) -> [$T; 4] {
                debug_assert!(c.iter().all(|s| s.len() == x.len()) && y.len() == x.len());
                match arch() {
                    #[cfg(target_arch = "x86_64")]
                    // SAFETY: arch() only reports ISAs this CPU supports; the slices have
                    // equal lengths (asserted by the caller's construction).
                    crate::Isa::Avx512 => unsafe { super::x86::$avx512(c, xc, x, y) },
                    #[cfg(target_arch = "x86_64")]
                    // SAFETY: as above.
                    crate::Isa::Avx2 => unsafe { super::x86::$avx2(c, xc, x, y) },
                    #[cfg(target_arch = "aarch64")]
                    // SAFETY: as above.
                    crate::Isa::Neon => unsafe { super::neon::$neon(c, xc, x, y) },
                    _ => portable(c, xc, x, y),
                }
            }
        };
    }

    dispatch!(
        fused4_f64,
        f64,
        fused4_f64_avx512,
        fused4_f64_avx2,
        fused4_f64
    );
    dispatch!(
        fused4_f32,
        f32,
        fused4_f32_avx512,
        fused4_f32_avx2,
        fused4_f32
    );
}

/// AVX2+FMA and AVX-512F: one vector of rows at a time; the four dot accumulators are the
/// only loop-carried chains (one FMA each per step), `y`'s chunk is loaded fresh each step.
#[cfg(target_arch = "x86_64")]
mod x86 {
    use core::arch::x86_64::*;

    macro_rules! x86_fused {
        ($feat:literal, $T:ty, $L:expr, $load:ident, $store:ident, $set1:ident, $zero:ident,
         $fmadd:ident, $name:ident) => {
            /// `y += Σ xc[c]·cols[c]`, returns `colsᵀ·x`.
            ///
            /// # Safety
            /// The CPU supports the target features; every slice has `x.len()` elements.
            #[target_feature(enable = $feat)]
            pub(crate) unsafe fn $name(
                cols: [&[$T]; 4],
                xc: [$T; 4],
                x: &[$T],
                y: &mut [$T],
            ) -> [$T; 4] {
                const L: usize = $L;
                let n = x.len();
                let cp = cols.map(|c| c.as_ptr());
                let (xp, yp) = (x.as_ptr(), y.as_mut_ptr());
                let b = xc.map(|v| $set1(v));
                let mut acc = [$zero(); 4];
                let mut i = 0;
                while i + L <= n {
                    // SAFETY: i + L <= n, inside every slice.
                    unsafe {
                        let xv = $load(xp.add(i));
                        let mut yv = $load(yp.add(i));
                        for c in 0..4 {
                            let a = $load(cp[c].add(i));
                            yv = $fmadd(a, b[c], yv);
                            acc[c] = $fmadd(a, xv, acc[c]);
                        }
                        $store(yp.add(i), yv);
                    }
                    i += L;
                }
                let mut out = [0.0 as $T; 4];
                for c in 0..4 {
                    let mut lanes = [0.0 as $T; L];
                    // SAFETY: `lanes` holds L elements.
                    unsafe { $store(lanes.as_mut_ptr(), acc[c]) };
                    out[c] = lanes.iter().sum::<$T>();
                }
                let tail = super::portable(cols.map(|c| &c[i..]), xc, &x[i..], &mut y[i..]);
                for c in 0..4 {
                    out[c] += tail[c];
                }
                out
            }
        };
    }

    x86_fused!(
        "avx2,fma",
        f64,
        4,
        _mm256_loadu_pd,
        _mm256_storeu_pd,
        _mm256_set1_pd,
        _mm256_setzero_pd,
        _mm256_fmadd_pd,
        fused4_f64_avx2
    );
    x86_fused!(
        "avx2,fma",
        f32,
        8,
        _mm256_loadu_ps,
        _mm256_storeu_ps,
        _mm256_set1_ps,
        _mm256_setzero_ps,
        _mm256_fmadd_ps,
        fused4_f32_avx2
    );
    x86_fused!(
        "avx512f",
        f64,
        8,
        _mm512_loadu_pd,
        _mm512_storeu_pd,
        _mm512_set1_pd,
        _mm512_setzero_pd,
        _mm512_fmadd_pd,
        fused4_f64_avx512
    );
    x86_fused!(
        "avx512f",
        f32,
        16,
        _mm512_loadu_ps,
        _mm512_storeu_ps,
        _mm512_set1_ps,
        _mm512_setzero_ps,
        _mm512_fmadd_ps,
        fused4_f32_avx512
    );
}

/// NEON (128-bit), the same shape.
#[cfg(target_arch = "aarch64")]
mod neon {
    use core::arch::aarch64::*;

    macro_rules! neon_fused {
        ($T:ty, $L:expr, $load:ident, $store:ident, $dup:ident, $fma:ident, $name:ident) => {
            /// `y += Σ xc[c]·cols[c]`, returns `colsᵀ·x`.
            ///
            /// # Safety
            /// The CPU supports NEON; every slice has `x.len()` elements.
            #[target_feature(enable = "neon")]
            pub(crate) unsafe fn $name(
                cols: [&[$T]; 4],
                xc: [$T; 4],
                x: &[$T],
                y: &mut [$T],
            ) -> [$T; 4] {
                const L: usize = $L;
                let n = x.len();
                let cp = cols.map(|c| c.as_ptr());
                let (xp, yp) = (x.as_ptr(), y.as_mut_ptr());
                let b = xc.map(|v| $dup(v));
                let mut acc = [$dup(0.0); 4];
                let mut i = 0;
                while i + L <= n {
                    // SAFETY: i + L <= n, inside every slice.
                    unsafe {
                        let xv = $load(xp.add(i));
                        let mut yv = $load(yp.add(i));
                        for c in 0..4 {
                            let a = $load(cp[c].add(i));
                            yv = $fma(yv, a, b[c]);
                            acc[c] = $fma(acc[c], a, xv);
                        }
                        $store(yp.add(i), yv);
                    }
                    i += L;
                }
                let mut out = [0.0 as $T; 4];
                for c in 0..4 {
                    let mut lanes = [0.0 as $T; L];
                    // SAFETY: `lanes` holds L elements.
                    unsafe { $store(lanes.as_mut_ptr(), acc[c]) };
                    out[c] = lanes.iter().sum::<$T>();
                }
                let tail = super::portable(cols.map(|c| &c[i..]), xc, &x[i..], &mut y[i..]);
                for c in 0..4 {
                    out[c] += tail[c];
                }
                out
            }
        };
    }

    neon_fused!(
        f64,
        2,
        vld1q_f64,
        vst1q_f64,
        vdupq_n_f64,
        vfmaq_f64,
        fused4_f64
    );
    neon_fused!(
        f32,
        4,
        vld1q_f32,
        vst1q_f32,
        vdupq_n_f32,
        vfmaq_f32,
        fused4_f32
    );
}
