//! Inverses of many tiny matrices at once (order 1 to 8), vectorized *across the batch*.
//!
//! A 4 × 4 LU with partial pivoting has too little arithmetic to fill a SIMD register,
//! and its pivot search and row swaps are branches. Stacks of such matrices (numpy's
//! favourite: 100 000 homogeneous transforms) are therefore done the other way round: a
//! group of `W` matrices (a register's worth: 8 `f64` under AVX-512) is transposed into
//! lane arrays, element `(r, c)` of all `W` matrices side by side, and the same
//! elimination runs on all of them in lock step. The pivot search becomes compares and
//! blends, a row swap becomes a blend per element, and every operation is a vector
//! operation, so the per-matrix cost is a few dozen instructions instead of a thousand.
//!
//! The arithmetic is, lane by lane, that of LAPACK's `getf2` followed by one
//! forward/back substitution per column of the identity — the first largest magnitude as
//! pivot, multipliers by the reciprocal of the pivot unless it is subnormal, no fused
//! multiply–add — so the pivots, the singular verdict and the results are those of a
//! scalar loop over the matrices.
//!
//! The elimination is written once, over a small trait of register operations (`Lanes`):
//! AVX-512 and AVX2 registers implement it with intrinsics (masks and blends), and plain
//! arrays implement it for every other target.

use num_traits::{One, Zero};

use crate::{KernelError, Scalar};

/// The largest order handled here.
pub const TINY_MAX_N: usize = 8;

/// Why a matrix of the stack has no inverse here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TinyFailure {
    /// The matrix holds a NaN or an infinity.
    NonFinite {
        /// Position of the matrix in the stack.
        matrix: usize,
    },
    /// Elimination met an exactly zero pivot at `U[index, index]` (the first one).
    Singular {
        /// Position of the matrix in the stack.
        matrix: usize,
        /// 0-based index of the first zero pivot.
        index: usize,
    },
}

/// Inverts every matrix of a stack of `n × n` matrices (`1 ≤ n ≤ 8`) read in place:
/// matrix `i` has element `(r, c)` at `data[offsets[i] + r·rs + c·cs]`; its inverse is
/// written to `out[i·n² ..][.. n²]` in row-major (C) order.
///
/// Returns `Ok(None)` when every matrix was inverted, `Ok(Some(failure))` for the first
/// matrix in stack order that is non-finite or singular (the matrices before it are
/// inverted; the contents of `out` from it on are unspecified), and
/// [`KernelError::Shape`] when `n` is out of range, `out` has the wrong length or a
/// matrix reaches outside `data`.
///
/// ```
/// use lapis_kernels::tiny::{TinyFailure, inv_tiny};
/// // numpy: np.linalg.inv(np.stack([[[2., 1.], [1., 3.]], [[1., 2.], [2., 4.]]]))
/// let data = [2.0, 1.0, 1.0, 3.0, 4.0, 0.0, 0.0, 0.5];
/// let mut out = [0.0; 8];
/// assert_eq!(inv_tiny(&data, &[0, 4], 2, 2, 1, &mut out), Ok(None));
/// assert_eq!(out, [0.6, -0.2, -0.2, 0.4, 0.25, 0.0, 0.0, 2.0]);
/// let singular = [1.0, 2.0, 2.0, 4.0];
/// assert_eq!(
///     inv_tiny(&singular, &[0], 2, 2, 1, &mut out[..4]),
///     Ok(Some(TinyFailure::Singular { matrix: 0, index: 1 }))
/// );
/// ```
pub fn inv_tiny<T: Scalar>(
    data: &[T],
    offsets: &[usize],
    n: usize,
    rs: isize,
    cs: isize,
    out: &mut [T],
) -> Result<Option<TinyFailure>, KernelError> {
    let shape_error = || KernelError::Shape {
        op: "inv_tiny",
        shapes: vec![
            ("data", (data.len(), 1)),
            ("offsets", (offsets.len(), 1)),
            ("matrix", (n, n)),
            ("out", (out.len(), 1)),
        ],
    };
    if !(1..=TINY_MAX_N).contains(&n) || offsets.len().checked_mul(n * n) != Some(out.len()) {
        return Err(shape_error());
    }
    // The lowest and highest element offsets of a matrix relative to its (0, 0).
    let reach = |s: isize| (n as isize - 1).checked_mul(s);
    let (Some(r), Some(c)) = (reach(rs), reach(cs)) else {
        return Err(shape_error());
    };
    let (Some(lo), Some(hi)) = (
        r.min(0).checked_add(c.min(0)),
        r.max(0).checked_add(c.max(0)),
    ) else {
        return Err(shape_error());
    };
    let inside = |o: &usize| {
        let o = *o as isize;
        o >= 0 && o + lo >= 0 && o.checked_add(hi).is_some_and(|h| (h as usize) < data.len())
    };
    if !offsets.iter().all(inside) {
        return Err(shape_error());
    }
    let src = Source {
        data,
        rs,
        cs,
        offsets,
    };
    Ok(match n {
        1 => dispatch::<T, 1>(&src, out),
        2 => dispatch::<T, 2>(&src, out),
        3 => dispatch::<T, 3>(&src, out),
        4 => dispatch::<T, 4>(&src, out),
        5 => dispatch::<T, 5>(&src, out),
        6 => dispatch::<T, 6>(&src, out),
        7 => dispatch::<T, 7>(&src, out),
        _ => dispatch::<T, 8>(&src, out),
    })
}

/// The checked stack: every `offsets[i] + r·rs + c·cs` (`r, c < n`) is inside `data`.
struct Source<'a, T> {
    data: &'a [T],
    rs: isize,
    cs: isize,
    offsets: &'a [usize],
}

impl<T: Scalar> Source<'_, T> {
    #[inline(always)]
    fn at(&self, i: usize, r: usize, c: usize) -> T {
        let k = self.offsets[i] as isize + r as isize * self.rs + c as isize * self.cs;
        self.data[k as usize]
    }
}

/// Runs the stack on the widest registers of the running ISA.
fn dispatch<T: Scalar, const N: usize>(src: &Source<'_, T>, out: &mut [T]) -> Option<TinyFailure> {
    #[cfg(target_arch = "x86_64")]
    if let Some(done) = x86::dispatch::<T, N>(src, out) {
        return done;
    }
    // 128 bits' worth of lanes: NEON, and SSE2 on x86_64's baseline.
    if size_of::<T>() == 4 {
        run::<[T; 4], N>(src, out)
    } else {
        run::<[T; 2], N>(src, out)
    }
}

/// One SIMD register of `W` lanes, one lane per matrix, with what the elimination needs.
/// A mask is a lane-wise boolean; [`Lanes::bits`] turns it into bit `l` for lane `l`.
trait Lanes: Copy {
    type T: Scalar;
    type Mask: Copy;
    const W: usize;
    /// Lane `l` is `src[l]` (`src.len() ≥ W`).
    fn load(src: &[Self::T]) -> Self;
    /// Writes lane `l` to `dst[l]` (`dst.len() ≥ W`).
    fn store(self, dst: &mut [Self::T]);
    fn splat(x: Self::T) -> Self;
    fn sub(self, o: Self) -> Self;
    fn mul(self, o: Self) -> Self;
    fn div(self, o: Self) -> Self;
    fn abs(self) -> Self;
    /// `self > o` (false where either is NaN).
    fn gt(self, o: Self) -> Self::Mask;
    /// `self == o` (false where either is NaN).
    fn eq(self, o: Self) -> Self::Mask;
    /// `self >= o` (false where either is NaN).
    fn ge(self, o: Self) -> Self::Mask;
    /// `if m { a } else { b }`, lane by lane.
    fn select(m: Self::Mask, a: Self, b: Self) -> Self;
    fn bits(m: Self::Mask) -> u64;
}

/// Arrays are registers for the compiler to map onto whatever the target has.
impl<T: Scalar, const W: usize> Lanes for [T; W] {
    type T = T;
    type Mask = [bool; W];
    const W: usize = W;
    #[inline(always)]
    fn load(src: &[T]) -> Self {
        core::array::from_fn(|l| src[l])
    }
    #[inline(always)]
    fn store(self, dst: &mut [T]) {
        dst[..W].copy_from_slice(&self);
    }
    #[inline(always)]
    fn splat(x: T) -> Self {
        [x; W]
    }
    #[inline(always)]
    fn sub(self, o: Self) -> Self {
        core::array::from_fn(|l| self[l] - o[l])
    }
    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        core::array::from_fn(|l| self[l] * o[l])
    }
    #[inline(always)]
    fn div(self, o: Self) -> Self {
        core::array::from_fn(|l| self[l] / o[l])
    }
    #[inline(always)]
    fn abs(self) -> Self {
        core::array::from_fn(|l| self[l].abs())
    }
    #[inline(always)]
    fn gt(self, o: Self) -> [bool; W] {
        core::array::from_fn(|l| self[l] > o[l])
    }
    #[inline(always)]
    fn eq(self, o: Self) -> [bool; W] {
        core::array::from_fn(|l| self[l] == o[l])
    }
    #[inline(always)]
    fn ge(self, o: Self) -> [bool; W] {
        core::array::from_fn(|l| self[l] >= o[l])
    }
    #[inline(always)]
    fn select(m: [bool; W], a: Self, b: Self) -> Self {
        core::array::from_fn(|l| if m[l] { a[l] } else { b[l] })
    }
    #[inline(always)]
    fn bits(m: [bool; W]) -> u64 {
        m.iter()
            .enumerate()
            .fold(0, |acc, (l, &b)| acc | (u64::from(b) << l))
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use core::arch::x86_64::*;

    use super::{Lanes, Source, TinyFailure, run};
    use crate::scalar::{cast, cast_mut};
    use crate::{Isa, Scalar, arch};

    /// The stack on AVX-512 or AVX2 registers when the running ISA has them (`None`
    /// otherwise).
    pub(super) fn dispatch<T: Scalar, const N: usize>(
        src: &Source<'_, T>,
        out: &mut [T],
    ) -> Option<Option<TinyFailure>> {
        let isa = arch();
        if let (Some(data), Some(out)) = (cast::<T, f64>(src.data), cast_mut::<T, f64>(out)) {
            let src = src.with_data(data);
            return match isa {
                // SAFETY: `arch()` reports AVX-512F only when the CPU has it.
                Isa::Avx512 => Some(unsafe { avx512_f64::<N>(&src, out) }),
                // SAFETY: `arch()` reports AVX2 only when the CPU has AVX2 and FMA.
                Isa::Avx2 => Some(unsafe { avx2_f64::<N>(&src, out) }),
                _ => None,
            };
        }
        if let (Some(data), Some(out)) = (cast::<T, f32>(src.data), cast_mut::<T, f32>(out)) {
            let src = src.with_data(data);
            return match isa {
                // SAFETY: as above.
                Isa::Avx512 => Some(unsafe { avx512_f32::<N>(&src, out) }),
                // SAFETY: as above.
                Isa::Avx2 => Some(unsafe { avx2_f32::<N>(&src, out) }),
                _ => None,
            };
        }
        None
    }

    impl<'a, T> Source<'a, T> {
        /// The same layout over `data` (the same slice, seen as its concrete type).
        fn with_data<U>(&self, data: &'a [U]) -> Source<'a, U> {
            Source {
                data,
                rs: self.rs,
                cs: self.cs,
                offsets: self.offsets,
            }
        }
    }

    // The register types below are private to this module and only ever created inside
    // the `#[target_feature]` entry points at its end, which run after `arch()` found the
    // features; every intrinsic in the trait methods relies on that.

    /// One register type: the intrinsics by name, and the three operations whose form
    /// differs between AVX-512 (mask registers) and AVX2 (masks are vectors) as closures.
    macro_rules! lanes {
        ($name:ident, $T:ty, $W:literal, $reg:ty, $mask:ty, $loadu:ident, $storeu:ident,
         $set1:ident, $sub:ident, $mul:ident, $div:ident, $cmp:ident,
         abs = |$x:ident| $abs:expr,
         select = |$m:ident, $a:ident, $b:ident| $select:expr,
         bits = |$k:ident| $bits:expr) => {
            #[derive(Clone, Copy)]
            pub(super) struct $name($reg);
            impl Lanes for $name {
                type T = $T;
                type Mask = $mask;
                const W: usize = $W;
                #[inline(always)]
                fn load(src: &[$T]) -> Self {
                    assert!(src.len() >= $W);
                    // SAFETY: `src` holds W elements; the features are present (module note).
                    Self(unsafe { $loadu(src.as_ptr()) })
                }
                #[inline(always)]
                fn store(self, dst: &mut [$T]) {
                    assert!(dst.len() >= $W);
                    // SAFETY: `dst` holds W elements; the features are present.
                    unsafe { $storeu(dst.as_mut_ptr(), self.0) }
                }
                #[inline(always)]
                fn splat(x: $T) -> Self {
                    // SAFETY: the features are present (module note).
                    Self(unsafe { $set1(x) })
                }
                #[inline(always)]
                fn sub(self, o: Self) -> Self {
                    // SAFETY: the features are present.
                    Self(unsafe { $sub(self.0, o.0) })
                }
                #[inline(always)]
                fn mul(self, o: Self) -> Self {
                    // SAFETY: the features are present.
                    Self(unsafe { $mul(self.0, o.0) })
                }
                #[inline(always)]
                fn div(self, o: Self) -> Self {
                    // SAFETY: the features are present.
                    Self(unsafe { $div(self.0, o.0) })
                }
                #[inline(always)]
                fn abs(self) -> Self {
                    let $x = self.0;
                    // SAFETY: the features are present.
                    Self(unsafe { $abs })
                }
                #[inline(always)]
                fn gt(self, o: Self) -> $mask {
                    // SAFETY: the features are present.
                    unsafe { $cmp::<_CMP_GT_OQ>(self.0, o.0) }
                }
                #[inline(always)]
                fn eq(self, o: Self) -> $mask {
                    // SAFETY: the features are present.
                    unsafe { $cmp::<_CMP_EQ_OQ>(self.0, o.0) }
                }
                #[inline(always)]
                fn ge(self, o: Self) -> $mask {
                    // SAFETY: the features are present.
                    unsafe { $cmp::<_CMP_GE_OQ>(self.0, o.0) }
                }
                #[inline(always)]
                fn select($m: $mask, a: Self, b: Self) -> Self {
                    let ($a, $b) = (a.0, b.0);
                    // SAFETY: the features are present.
                    Self(unsafe { $select })
                }
                #[inline(always)]
                fn bits($k: $mask) -> u64 {
                    $bits
                }
            }
        };
    }

    // AVX-512 blends take their second operand where the mask bit is set; AVX2's `blendv`
    // where the mask lane's sign bit is set (all ones from a compare); AVX2 has no `abs`:
    // clear the sign bit.
    lanes!(
        Z64,
        f64,
        8,
        __m512d,
        __mmask8,
        _mm512_loadu_pd,
        _mm512_storeu_pd,
        _mm512_set1_pd,
        _mm512_sub_pd,
        _mm512_mul_pd,
        _mm512_div_pd,
        _mm512_cmp_pd_mask,
        abs = |x| _mm512_abs_pd(x),
        select = |m, a, b| _mm512_mask_blend_pd(m, b, a),
        bits = |k| u64::from(k)
    );
    lanes!(
        Z32,
        f32,
        16,
        __m512,
        __mmask16,
        _mm512_loadu_ps,
        _mm512_storeu_ps,
        _mm512_set1_ps,
        _mm512_sub_ps,
        _mm512_mul_ps,
        _mm512_div_ps,
        _mm512_cmp_ps_mask,
        abs = |x| _mm512_abs_ps(x),
        select = |m, a, b| _mm512_mask_blend_ps(m, b, a),
        bits = |k| u64::from(k)
    );
    lanes!(
        Y64,
        f64,
        4,
        __m256d,
        __m256d,
        _mm256_loadu_pd,
        _mm256_storeu_pd,
        _mm256_set1_pd,
        _mm256_sub_pd,
        _mm256_mul_pd,
        _mm256_div_pd,
        _mm256_cmp_pd,
        abs = |x| _mm256_andnot_pd(_mm256_set1_pd(-0.0), x),
        select = |m, a, b| _mm256_blendv_pd(b, a, m),
        bits = |k| {
            // SAFETY: AVX2 is present (module note).
            let bits = unsafe { _mm256_movemask_pd(k) };
            bits as u32 as u64
        }
    );
    lanes!(
        Y32,
        f32,
        8,
        __m256,
        __m256,
        _mm256_loadu_ps,
        _mm256_storeu_ps,
        _mm256_set1_ps,
        _mm256_sub_ps,
        _mm256_mul_ps,
        _mm256_div_ps,
        _mm256_cmp_ps,
        abs = |x| _mm256_andnot_ps(_mm256_set1_ps(-0.0), x),
        select = |m, a, b| _mm256_blendv_ps(b, a, m),
        bits = |k| {
            // SAFETY: AVX2 is present (module note).
            let bits = unsafe { _mm256_movemask_ps(k) };
            bits as u32 as u64
        }
    );

    macro_rules! entry {
        ($name:ident, $feat:literal, $T:ty, $V:ty) => {
            /// [`run`] on this register type.
            ///
            /// # Safety
            /// The CPU supports the target features.
            #[target_feature(enable = $feat)]
            pub(super) unsafe fn $name<const N: usize>(
                src: &Source<'_, $T>,
                out: &mut [$T],
            ) -> Option<TinyFailure> {
                run::<$V, N>(src, out)
            }
        };
    }
    entry!(avx512_f64, "avx512f", f64, Z64);
    entry!(avx512_f32, "avx512f", f32, Z32);
    entry!(avx2_f64, "avx2,fma", f64, Y64);
    entry!(avx2_f32, "avx2,fma", f32, Y32);
}

/// Room for one group in lane form: `W ≤ 16` lanes of `N·N ≤ 16` elements.
const STAGE: usize = 16 * TINY_MAX_N * TINY_MAX_N;

/// Inverts the stack group by group; see [`inv_tiny`].
#[inline(always)]
fn run<V: Lanes, const N: usize>(src: &Source<'_, V::T>, out: &mut [V::T]) -> Option<TinyFailure> {
    let (w, count) = (V::W, src.offsets.len());
    // Element (r, c) of lane l at stage[(r·N + c)·W + l].
    let mut stage = [V::T::zero(); STAGE];
    let mut first = 0;
    while first < count {
        let width = w.min(count - first);
        for l in 0..w {
            for r in 0..N {
                for c in 0..N {
                    // Lanes past the end of the stack hold the identity.
                    stage[(r * N + c) * w + l] = if l < width {
                        src.at(first + l, r, c)
                    } else if r == c {
                        V::T::one()
                    } else {
                        V::T::zero()
                    };
                }
            }
        }
        let mut a = [[V::splat(V::T::zero()); N]; N];
        for (r, row) in a.iter_mut().enumerate() {
            for (c, x) in row.iter_mut().enumerate() {
                *x = V::load(&stage[(r * N + c) * w..]);
            }
        }
        let (finite, zero_at) = invert::<V, N>(&mut a);
        for l in 0..width {
            if finite & (1 << l) == 0 {
                return Some(TinyFailure::NonFinite { matrix: first + l });
            }
            if zero_at[l] < N {
                return Some(TinyFailure::Singular {
                    matrix: first + l,
                    index: zero_at[l],
                });
            }
        }
        for (r, row) in a.iter().enumerate() {
            for (c, x) in row.iter().enumerate() {
                x.store(&mut stage[(r * N + c) * w..]);
            }
        }
        for (l, dst) in out[first * N * N..]
            .chunks_exact_mut(N * N)
            .take(width)
            .enumerate()
        {
            for (k, d) in dst.iter_mut().enumerate() {
                *d = stage[k * w + l];
            }
        }
        first += width;
    }
    None
}

/// LU with partial pivoting of `W` matrices in lane form, then their inverses, written
/// back into `a`. Returns the lanes whose input was finite (as bits) and, per lane, the
/// first zero pivot (`N` for none).
#[inline(always)]
fn invert<V: Lanes, const N: usize>(a: &mut [[V; N]; N]) -> (u64, [usize; 16]) {
    let zero = V::splat(V::T::zero());
    let one = V::splat(V::T::one());
    let index = |i: usize| V::splat(V::T::from_f64(i as f64));
    let mut finite = u64::MAX;
    for row in a.iter() {
        for &x in row {
            // x − x is 0 exactly for finite x, NaN for NaN and ±∞.
            finite &= V::bits(x.sub(x).eq(zero));
        }
    }
    // The pivot row of each step, as a float so that it blends like the data.
    let mut piv = [zero; N];
    let mut zero_at = [N; 16];
    let mut seen_zero = 0u64;
    for k in 0..N {
        let mut best = a[k][k].abs();
        let mut p = index(k);
        for r in k + 1..N {
            let v = a[r][k].abs();
            let gt = v.gt(best);
            best = V::select(gt, v, best);
            p = V::select(gt, index(r), p);
        }
        piv[k] = p;
        // Swap row k with row p, lane by lane.
        for r in k + 1..N {
            let m = p.eq(index(r));
            for c in 0..N {
                let (top, other) = (a[k][c], a[r][c]);
                a[k][c] = V::select(m, other, top);
                a[r][c] = V::select(m, top, other);
            }
        }
        let pivot = a[k][k];
        let mut new_zero = V::bits(pivot.eq(zero)) & !seen_zero;
        seen_zero |= new_zero;
        while new_zero != 0 {
            let l = new_zero.trailing_zeros() as usize;
            if l < 16 {
                zero_at[l] = k;
            }
            new_zero &= new_zero - 1;
        }
        let recip = one.div(pivot);
        let normal = pivot.abs().ge(V::splat(V::T::MIN_POSITIVE));
        let all_normal = V::bits(normal) & lane_bits(V::W) == lane_bits(V::W);
        for r in k + 1..N {
            let scaled = a[r][k].mul(recip);
            // A subnormal pivot's reciprocal overflows: divide instead (rare, so only then).
            let mult = if all_normal {
                scaled
            } else {
                V::select(normal, scaled, a[r][k].div(pivot))
            };
            a[r][k] = mult;
            for c in k + 1..N {
                a[r][c] = a[r][c].sub(mult.mul(a[k][c]));
            }
        }
    }
    // One forward and back substitution per column of the identity.
    let mut inv = [[zero; N]; N];
    for col in 0..N {
        let mut x = [zero; N];
        x[col] = one;
        for k in 0..N {
            for r in k + 1..N {
                let m = piv[k].eq(index(r));
                let (top, other) = (x[k], x[r]);
                x[k] = V::select(m, other, top);
                x[r] = V::select(m, top, other);
            }
        }
        for r in 1..N {
            for c in 0..r {
                x[r] = x[r].sub(a[r][c].mul(x[c]));
            }
        }
        for r in (0..N).rev() {
            for c in r + 1..N {
                x[r] = x[r].sub(a[r][c].mul(x[c]));
            }
            x[r] = x[r].div(a[r][r]);
        }
        for r in 0..N {
            inv[r][col] = x[r];
        }
    }
    *a = inv;
    (finite, zero_at)
}

/// The mask of lanes `0..w`.
#[inline(always)]
fn lane_bits(w: usize) -> u64 {
    if w >= 64 { u64::MAX } else { (1 << w) - 1 }
}
