//! Inverses of many tiny matrices at once (order 1 to 4), vectorized *across the batch*.
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
//! The lane code is plain safe Rust over fixed-size arrays; it is compiled once per ISA
//! under `#[target_feature]`, where the compiler turns each lane loop into one vector
//! instruction.

use crate::{Isa, KernelError, Scalar, arch};

/// The largest order handled here.
pub const TINY_MAX_N: usize = 4;

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

/// Inverts every matrix of a stack of `n × n` matrices (`1 ≤ n ≤ 4`) read in place:
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
        _ => dispatch::<T, 4>(&src, out),
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

/// Picks the group width and the compiled variant for the running ISA.
fn dispatch<T: Scalar, const N: usize>(src: &Source<'_, T>, out: &mut [T]) -> Option<TinyFailure> {
    let wide = size_of::<T>() == 4;
    match arch() {
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => {
            // SAFETY: `arch()` reports AVX-512F only when the CPU has it.
            unsafe {
                if wide {
                    x86::avx512::<T, N, 16>(src, out)
                } else {
                    x86::avx512::<T, N, 8>(src, out)
                }
            }
        }
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => {
            // SAFETY: `arch()` reports AVX2 only when the CPU has AVX2 and FMA.
            unsafe {
                if wide {
                    x86::avx2::<T, N, 8>(src, out)
                } else {
                    x86::avx2::<T, N, 4>(src, out)
                }
            }
        }
        // 128-bit registers: NEON, and SSE2 on x86_64's baseline.
        _ => {
            if wide {
                run::<T, N, 4>(src, out)
            } else {
                run::<T, N, 2>(src, out)
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{Source, TinyFailure, run};
    use crate::Scalar;

    /// [`run`] compiled for AVX-512.
    ///
    /// # Safety
    /// The CPU supports AVX-512F.
    #[target_feature(enable = "avx512f,avx512vl,avx512dq")]
    pub(super) unsafe fn avx512<T: Scalar, const N: usize, const W: usize>(
        src: &Source<'_, T>,
        out: &mut [T],
    ) -> Option<TinyFailure> {
        run::<T, N, W>(src, out)
    }

    /// [`run`] compiled for AVX2.
    ///
    /// # Safety
    /// The CPU supports AVX2 and FMA.
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn avx2<T: Scalar, const N: usize, const W: usize>(
        src: &Source<'_, T>,
        out: &mut [T],
    ) -> Option<TinyFailure> {
        run::<T, N, W>(src, out)
    }
}

/// `W` values, one per matrix of a group.
type Lanes<T, const W: usize> = [T; W];

/// Lane-wise `if m { a } else { b }`.
#[inline(always)]
fn select<T: Copy, const W: usize>(m: &[bool; W], a: &Lanes<T, W>, b: &Lanes<T, W>) -> Lanes<T, W> {
    core::array::from_fn(|l| if m[l] { a[l] } else { b[l] })
}

/// Inverts the stack group by group; see [`inv_tiny`].
#[inline(always)]
fn run<T: Scalar, const N: usize, const W: usize>(
    src: &Source<'_, T>,
    out: &mut [T],
) -> Option<TinyFailure> {
    let count = src.offsets.len();
    let mut first = 0;
    while first < count {
        let width = W.min(count - first);
        let mut a = [[[T::zero(); W]; N]; N];
        let o = src.offsets[first];
        let packed = src.rs == N as isize
            && src.cs == 1
            && width == W
            && (0..W).all(|l| src.offsets[first + l] == o + l * N * N);
        if packed {
            // The common C-ordered stack: one bounds check, then a transpose with
            // constant indices that the compiler turns into vector loads and shuffles.
            let block = &src.data[o..o + W * N * N];
            for (r, row) in a.iter_mut().enumerate() {
                for (c, x) in row.iter_mut().enumerate() {
                    for (l, v) in x.iter_mut().enumerate() {
                        *v = block[l * N * N + r * N + c];
                    }
                }
            }
        } else {
            // Lanes past the end of the stack hold the identity.
            for (r, row) in a.iter_mut().enumerate() {
                for (c, x) in row.iter_mut().enumerate() {
                    for (l, v) in x.iter_mut().enumerate() {
                        *v = if l < width {
                            src.at(first + l, r, c)
                        } else if r == c {
                            T::one()
                        } else {
                            T::zero()
                        };
                    }
                }
            }
        }
        let mut inv = [[[T::zero(); W]; N]; N];
        let (finite, zero_at) = invert::<T, N, W>(&mut a, &mut inv);
        for l in 0..width {
            if !finite[l] {
                return Some(TinyFailure::NonFinite { matrix: first + l });
            }
            if zero_at[l] < N {
                return Some(TinyFailure::Singular {
                    matrix: first + l,
                    index: zero_at[l],
                });
            }
        }
        for (l, dst) in out[first * N * N..]
            .chunks_exact_mut(N * N)
            .take(width)
            .enumerate()
        {
            for r in 0..N {
                for c in 0..N {
                    dst[r * N + c] = inv[r][c][l];
                }
            }
        }
        first += width;
    }
    None
}

/// LU with partial pivoting of `W` matrices in lane form, then their inverses into `inv`.
/// Returns which lanes were finite and, per lane, the first zero pivot (`N` for none).
#[inline(always)]
fn invert<T: Scalar, const N: usize, const W: usize>(
    a: &mut [[Lanes<T, W>; N]; N],
    inv: &mut [[Lanes<T, W>; N]; N],
) -> ([bool; W], [usize; W]) {
    let mut finite = [true; W];
    for row in a.iter() {
        for x in row {
            for l in 0..W {
                finite[l] &= x[l].is_finite();
            }
        }
    }
    // The pivot row of each step, as a float so that it blends like the data.
    let mut piv = [[T::zero(); W]; N];
    let mut zero_at = [N; W];
    for k in 0..N {
        let mut best: Lanes<T, W> = core::array::from_fn(|l| a[k][k][l].abs());
        let mut p = [T::from_f64(k as f64); W];
        for r in k + 1..N {
            let v: Lanes<T, W> = core::array::from_fn(|l| a[r][k][l].abs());
            let gt: [bool; W] = core::array::from_fn(|l| v[l] > best[l]);
            best = select(&gt, &v, &best);
            p = select(&gt, &[T::from_f64(r as f64); W], &p);
        }
        piv[k] = p;
        // Swap row k with row p, lane by lane.
        for r in k + 1..N {
            let m: [bool; W] = core::array::from_fn(|l| p[l] == T::from_f64(r as f64));
            for c in 0..N {
                let (top, other) = (a[k][c], a[r][c]);
                a[k][c] = select(&m, &other, &top);
                a[r][c] = select(&m, &top, &other);
            }
        }
        let pivot = a[k][k];
        for l in 0..W {
            if pivot[l] == T::zero() && zero_at[l] == N {
                zero_at[l] = k;
            }
        }
        let recip: Lanes<T, W> = core::array::from_fn(|l| T::one() / pivot[l]);
        let normal: [bool; W] = core::array::from_fn(|l| pivot[l].abs() >= T::MIN_POSITIVE);
        for r in k + 1..N {
            let scaled: Lanes<T, W> = core::array::from_fn(|l| a[r][k][l] * recip[l]);
            // A subnormal pivot's reciprocal overflows: divide instead (rare, so only then).
            let mult = if normal.iter().all(|&x| x) {
                scaled
            } else {
                let divided: Lanes<T, W> = core::array::from_fn(|l| a[r][k][l] / pivot[l]);
                select(&normal, &scaled, &divided)
            };
            a[r][k] = mult;
            for c in k + 1..N {
                for l in 0..W {
                    a[r][c][l] -= mult[l] * a[k][c][l];
                }
            }
        }
    }
    // One forward and back substitution per column of the identity.
    for col in 0..N {
        let mut x = [[T::zero(); W]; N];
        x[col] = [T::one(); W];
        for k in 0..N {
            for r in k + 1..N {
                let m: [bool; W] = core::array::from_fn(|l| piv[k][l] == T::from_f64(r as f64));
                let (top, other) = (x[k], x[r]);
                x[k] = select(&m, &other, &top);
                x[r] = select(&m, &top, &other);
            }
        }
        for r in 1..N {
            for c in 0..r {
                for l in 0..W {
                    x[r][l] -= a[r][c][l] * x[c][l];
                }
            }
        }
        for r in (0..N).rev() {
            for c in r + 1..N {
                for l in 0..W {
                    x[r][l] -= a[r][c][l] * x[c][l];
                }
            }
            for l in 0..W {
                x[r][l] /= a[r][r][l];
            }
        }
        for r in 0..N {
            inv[r][col] = x[r];
        }
    }
    (finite, zero_at)
}
