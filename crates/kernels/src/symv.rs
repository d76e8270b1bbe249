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
use std::sync::Mutex;

use crate::{KernelError, MatMut, MatRef, Par, Scalar, Team, Uplo, arch};

/// Columns per fused step.
const COLS: usize = 4;
/// Smallest order a spinning [`Team`] splits ([`symv_sweep_team`]). Measured in the
/// tridiagonal reduction (eigvalsh f64, two threads, AVX-512 Xeon), rayon's split from 1200
/// against the team's from 256: n = 500 9.0 → 8.4 ms, 1000 68.9 → 42.8 ms, 2000 450 → 324 ms;
/// n = 300 unchanged; 64 and 128 within noise of 256.
const TEAM_MIN_N: usize = 256;
/// Smallest order split across rayon tasks ([`symv_sweep`]): the product is bound by reading
/// the triangle and lasts tens of microseconds, about what waking a sleeping rayon thread
/// costs on a VM. Measured (eigvalsh f64, two threads, 2 MiB L2): n = 1500 250 → 226 ms,
/// 2000 590 → 457 ms; 768 or 256 made n = 1000 no faster or 2–4% slower.
const RAYON_MIN_N: usize = 1200;

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
    y: MatMut<'_, T>,
) -> Result<(), KernelError> {
    symv_sweep(uplo, alpha, a, x, beta, y, Sweep::Forward, Par::Seq)
}

/// The order in which [`symv_sweep`] walks the stored triangle, by blocks of columns.
///
/// A product with a matrix larger than the cache streams it from memory; when the next
/// product is with the same matrix (the tridiagonal reduction of `eigh` makes one per column
/// of a panel with the same trailing block), walking it in the opposite order starts on the
/// columns the previous walk left in cache. Measured on this Xeon (2 MiB L2), f64 SYMVs
/// alternating the two orders on one matrix: 36 / 31 / 29 GB/s at n = 1000 / 1400 / 2000
/// against 27 / 27 / 28 GB/s all forward.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Sweep {
    /// First column to last (for `Upper`, first row to last).
    Forward,
    /// Last column to first.
    Backward,
}

impl Sweep {
    /// The other order.
    ///
    /// ```
    /// use lapis_kernels::Sweep;
    /// assert_eq!(Sweep::Forward.reversed(), Sweep::Backward);
    /// assert_eq!(Sweep::Backward.reversed(), Sweep::Forward);
    /// ```
    pub fn reversed(self) -> Sweep {
        match self {
            Sweep::Forward => Sweep::Backward,
            Sweep::Backward => Sweep::Forward,
        }
    }
}

/// [`symv`] walking the stored triangle in the order `sweep` (the result is the same up to
/// rounding: the sums are accumulated in another order), its column blocks split across the
/// threads `par` allows from order 1200 up (each thread walks its share in the order `sweep`).
///
/// ```
/// use lapis_kernels::{MatMut, MatRef, Par, Sweep, Uplo, symv_sweep};
/// // numpy: np.array([[2., 1.], [1., 3.]]) @ [1., 1.]
/// let a = [2.0, 1.0, f64::NAN, 3.0]; // column-major, NaN above the diagonal
/// let x = [1.0, 1.0];
/// let mut y = [0.0; 2];
/// symv_sweep(
///     Uplo::Lower,
///     1.0,
///     MatRef::from_col_major(&a, 2, 2).unwrap(),
///     MatRef::from_col_major(&x, 2, 1).unwrap(),
///     0.0,
///     MatMut::from_col_major(&mut y, 2, 1).unwrap(),
///     Sweep::Backward,
///     Par::Seq,
/// )
/// .unwrap();
/// assert_eq!(y, [3.0, 4.0]);
/// ```
pub fn symv_sweep<T: Scalar>(
    uplo: Uplo,
    alpha: T,
    a: MatRef<'_, T>,
    x: MatRef<'_, T>,
    beta: T,
    y: MatMut<'_, T>,
    sweep: Sweep,
    par: Par,
) -> Result<(), KernelError> {
    symv_split(uplo, alpha, a, x, beta, y, sweep, Split::Par(par))
}

/// [`symv_sweep`] with its column ranges ([`symv_column_ranges`] for the team's size) run by
/// a spinning [`Team`], for callers that make many short products in a row: split from order
/// 256 where `symv_sweep` splits from 1200.
///
/// ```
/// use lapis_kernels::{MatMut, MatRef, Par, Sweep, Uplo, symv_sweep_team, with_team};
/// let a = [2.0, 1.0, 1.0, 3.0];
/// let x = [1.0, 1.0];
/// let mut y = [0.0; 2];
/// with_team(Par::Rayon(2), |team| {
///     symv_sweep_team(
///         Uplo::Lower,
///         1.0,
///         MatRef::from_col_major(&a, 2, 2).unwrap(),
///         MatRef::from_col_major(&x, 2, 1).unwrap(),
///         0.0,
///         MatMut::from_col_major(&mut y, 2, 1).unwrap(),
///         Sweep::Forward,
///         team,
///     )
/// })
/// .unwrap();
/// assert_eq!(y, [3.0, 4.0]);
/// ```
#[allow(clippy::too_many_arguments)]
pub fn symv_sweep_team<T: Scalar>(
    uplo: Uplo,
    alpha: T,
    a: MatRef<'_, T>,
    x: MatRef<'_, T>,
    beta: T,
    y: MatMut<'_, T>,
    sweep: Sweep,
    team: &Team,
) -> Result<(), KernelError> {
    symv_split(uplo, alpha, a, x, beta, y, sweep, Split::Team(team))
}

/// Who runs the column ranges of a product.
#[derive(Clone, Copy)]
enum Split<'t> {
    /// Rayon tasks, as `Par` allows.
    Par(Par),
    /// A spinning team.
    Team(&'t Team),
}

#[allow(clippy::too_many_arguments)]
fn symv_split<T: Scalar>(
    uplo: Uplo,
    alpha: T,
    a: MatRef<'_, T>,
    x: MatRef<'_, T>,
    beta: T,
    mut y: MatMut<'_, T>,
    sweep: Sweep,
    split: Split<'_>,
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
        lower_contig(alpha, low, xs, ys, sweep, split);
    } else {
        let mut tmp = vec![T::zero(); n];
        lower_contig(alpha, low, xs, &mut tmp, sweep, split);
        for (i, &v) in tmp.iter().enumerate() {
            // SAFETY: i < n, inside the vector y.
            unsafe { *py.offset(i as isize * sy) += v };
        }
    }
    Ok(())
}

/// The ranges of columns that [`symv_sweep_team`] gives each of `threads` threads for a lower
/// triangle of order `n` (column-major): one range `0..n` below the order where splitting
/// pays, else `threads` ranges (fewer for narrow matrices) of about equal area of the
/// triangle, each starting at a multiple of four columns.
///
/// A caller that updates the same matrix between products (as the tridiagonal reduction of
/// `eigh` does) can split its update by the same ranges, so that each thread writes the
/// columns it reads next and they stay in that core's cache; the first range runs on the
/// calling thread.
///
/// ```
/// use lapis_kernels::symv_column_ranges;
/// assert_eq!(symv_column_ranges(100, 2), vec![0..100]);
/// let r = symv_column_ranges(1000, 2);
/// assert_eq!((r.len(), r[0].start, r[1].end), (2, 0, 1000));
/// assert!(r[0].end > 250 && r[0].end < 340); // n·(1 − 1/√2) ≈ 293
/// ```
pub fn symv_column_ranges(n: usize, threads: usize) -> Vec<core::ops::Range<usize>> {
    let parts = if n >= TEAM_MIN_N { threads } else { 1 };
    if parts <= 1 {
        return core::iter::once(0..n).collect();
    }
    // Block b (columns COLS·b ..) costs about n − COLS·b: cut where the running cost reaches
    // each share of the total.
    let nblk = n.div_ceil(COLS);
    let total: usize = (0..nblk).map(|b| n - COLS * b).sum();
    let mut cuts = vec![0];
    let mut acc = 0;
    for b in 0..nblk {
        acc += n - COLS * b;
        if acc * parts >= total * cuts.len() && cuts.len() < parts {
            cuts.push(b + 1);
        }
    }
    cuts.push(nblk);
    cuts.dedup();
    cuts.windows(2)
        .map(|w| COLS * w[0]..(COLS * w[1]).min(n))
        .collect()
}

/// `y += α·A·x` from the lower triangle of `a`, contiguous `x` and `y`, columns in the
/// order `sweep`; with unit row stride and threads allowed, the column blocks are cut into
/// ranges of equal work, each thread but the first summing into its own copy of `y` (block
/// `j` writes `y[j..]`).
fn lower_contig<T: Scalar>(
    alpha: T,
    a: MatRef<'_, T>,
    x: &[T],
    y: &mut [T],
    sweep: Sweep,
    split: Split<'_>,
) {
    let n = a.nrows();
    let ranges = match split {
        _ if a.row_stride() != 1 => core::iter::once(0..n).collect(),
        Split::Par(p) if n >= RAYON_MIN_N => symv_column_ranges(n, p.degree()),
        Split::Par(_) => core::iter::once(0..n).collect(),
        Split::Team(team) => symv_column_ranges(n, team.size()),
    };
    if ranges.len() <= 1 {
        return lower_blocks(alpha, a, x, y, 0..n.div_ceil(COLS), sweep);
    }
    // In units of COLS-column blocks.
    let ranges: Vec<core::ops::Range<usize>> = ranges
        .iter()
        .map(|r| r.start / COLS..r.end.div_ceil(COLS))
        .collect();
    let mut own: Vec<Vec<T>> = ranges[1..].iter().map(|_| vec![T::zero(); n]).collect();
    match split {
        Split::Par(_) => {
            let outs = core::iter::once(&mut *y).chain(own.iter_mut().map(|b| b.as_mut_slice()));
            crate::par::fork_each(ranges.iter().zip(outs), |(range, out)| {
                lower_blocks(alpha, a, x, out, range.clone(), sweep)
            });
        }
        Split::Team(team) => {
            // Share k writes only its own output, behind a lock no other share takes.
            let outs: Vec<Mutex<&mut [T]>> = core::iter::once(Mutex::new(&mut *y))
                .chain(own.iter_mut().map(|b| Mutex::new(b.as_mut_slice())))
                .collect();
            team.run(&|k| {
                if let (Some(range), Some(out)) = (ranges.get(k), outs.get(k)) {
                    let mut out = out.lock().expect("share output");
                    lower_blocks(alpha, a, x, &mut out, range.clone(), sweep);
                }
            });
        }
    }
    for (range, buf) in ranges[1..].iter().zip(&own) {
        let from = COLS * range.start;
        for (yi, &v) in y[from..].iter_mut().zip(&buf[from..]) {
            *yi += v;
        }
    }
}

/// The column blocks `blocks` (of `COLS` columns) of [`lower_contig`], in the order `sweep`.
fn lower_blocks<T: Scalar>(
    alpha: T,
    a: MatRef<'_, T>,
    x: &[T],
    y: &mut [T],
    blocks: core::ops::Range<usize>,
    sweep: Sweep,
) {
    let n = a.nrows();
    // The b-th of `count` steps in the order `sweep`.
    let nth = |b: usize, count: usize| match sweep {
        Sweep::Forward => b,
        Sweep::Backward => count - 1 - b,
    };
    if a.row_stride() != 1 {
        // Rows not contiguous (a caller's row-major or transposed view): element by element.
        let (c0, c1) = (COLS * blocks.start, (COLS * blocks.end).min(n));
        for b in 0..c1 - c0 {
            let j = c0 + nth(b, c1 - c0);
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
    let nblk = blocks.len();
    for b in 0..nblk {
        let j = COLS * (blocks.start + nth(b, nblk));
        let kb = COLS.min(n - j);
        // SAFETY: a has unit row stride, so rows j..n of column j + c (c < kb) are n − j
        // consecutive elements inside the view.
        let col = |c: usize| unsafe { core::slice::from_raw_parts(a.ptr_at(j, j + c), n - j) };
        // The kb × kb triangle on the diagonal.
        for c in 0..kb {
            let (cc, jj) = (col(c), j + c);
            y[jj] += alpha * cc[c] * x[jj];
            for r in c + 1..kb {
                let (ii, aij) = (j + r, cc[r]);
                y[ii] += alpha * aij * x[jj];
                y[jj] += alpha * aij * x[ii];
            }
        }
        let top = j + kb;
        if top == n {
            continue;
        }
        let (yhead, yb) = y.split_at_mut(top);
        let xb = &x[top..];
        if kb == COLS {
            let cols: [&[T]; COLS] = core::array::from_fn(|c| &col(c)[kb..]);
            let xc = core::array::from_fn(|c| alpha * x[j + c]);
            let dots = fused(cols, xc, xb, yb);
            for c in 0..COLS {
                yhead[j + c] += alpha * dots[c];
            }
        } else {
            for c in 0..kb {
                let t = crate::blas1::kern::dot(&col(c)[kb..], xb);
                crate::blas1::kern::axpy(alpha * x[j + c], &col(c)[kb..], yb);
                yhead[j + c] += alpha * t;
            }
        }
    }
}

/// `y += Σ_c xc[c]·cols[c]` and returns `[colsᵀ[c]·x]`, in one pass (all slices of x's
/// length).
fn fused<T: Scalar, const N: usize>(cols: [&[T]; N], xc: [T; N], x: &[T], y: &mut [T]) -> [T; N] {
    // The columns have x's type: when x casts, each of them does.
    if let (Some(xf), Some(yf)) = (cast::<T, f64>(x), cast_mut::<T, f64>(y)) {
        let cf = cols.map(|c| cast::<T, f64>(c).expect("same type as x"));
        let xcf = xc.map(Scalar::to_f64);
        return isa::fused_f64(cf, xcf, xf, yf).map(T::from_f64);
    }
    if let (Some(xf), Some(yf)) = (cast::<T, f32>(x), cast_mut::<T, f32>(y)) {
        let cf = cols.map(|c| cast::<T, f32>(c).expect("same type as x"));
        let xcf = xc.map(|v| Scalar::to_f64(v) as f32);
        return isa::fused_f32(cf, xcf, xf, yf).map(|v| T::from_f64(v as f64));
    }
    portable(cols, xc, x, y)
}

/// Plain Rust: the `Isa::Scalar` path and the AVX2 and NEON kernels' tails.
fn portable<T: Scalar, const N: usize>(
    cols: [&[T]; N],
    xc: [T; N],
    x: &[T],
    y: &mut [T],
) -> [T; N] {
    let mut acc = [T::zero(); N];
    for i in 0..x.len() {
        let mut yi = y[i];
        for c in 0..N {
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
            pub(super) fn $name<const N: usize>(
                c: [&[$T]; N],
                xc: [$T; N],
                x: &[$T],
                y: &mut [$T],
            ) -> [$T; N] {
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

    dispatch!(fused_f64, f64, fused_f64_avx512, fused_f64_avx2, fused_f64);
    dispatch!(fused_f32, f32, fused_f32_avx512, fused_f32_avx2, fused_f32);
}

/// AVX2+FMA and AVX-512F: one vector of rows at a time; the N dot accumulators are the only
/// loop-carried chains (one FMA each per step), `y`'s chunk is loaded fresh each step.
#[cfg(target_arch = "x86_64")]
mod x86 {
    use core::arch::x86_64::*;

    /// The loop over whole vectors of rows shared by both widths: `y += Σ xc[c]·cols[c]`
    /// on rows `..n − n % L`, the dot products left in `$acc`; evaluates to the first row
    /// left.
    macro_rules! body {
        ($T:ty, $L:expr, $load:ident, $store:ident, $set1:ident, $zero:ident, $fmadd:ident,
         $cols:ident, $b:ident, $x:ident, $y:ident, $acc:ident) => {{
            const L: usize = $L;
            let n = $x.len();
            let cp = $cols.map(|c| c.as_ptr());
            let (xp, yp) = ($x.as_ptr(), $y.as_mut_ptr());
            let mut i = 0;
            while i + L <= n {
                // SAFETY: i + L <= n, inside every slice.
                unsafe {
                    let xv = $load(xp.add(i));
                    let mut yv = $load(yp.add(i));
                    for c in 0..N {
                        let a = $load(cp[c].add(i));
                        yv = $fmadd(a, $b[c], yv);
                        $acc[c] = $fmadd(a, xv, $acc[c]);
                    }
                    $store(yp.add(i), yv);
                }
                i += L;
            }
            i
        }};
    }

    macro_rules! avx2_fused {
        ($T:ty, $L:expr, $load:ident, $store:ident, $set1:ident, $zero:ident, $fmadd:ident,
         $name:ident) => {
            /// `y += Σ xc[c]·cols[c]`, returns `colsᵀ·x`.
            ///
            /// # Safety
            /// The CPU supports AVX2 and FMA; every slice has `x.len()` elements.
            #[target_feature(enable = "avx2,fma")]
            pub(crate) unsafe fn $name<const N: usize>(
                cols: [&[$T]; N],
                xc: [$T; N],
                x: &[$T],
                y: &mut [$T],
            ) -> [$T; N] {
                let mut acc = [$zero(); N];
                let b = xc.map(|v| $set1(v));
                let i = body!(
                    $T, $L, $load, $store, $set1, $zero, $fmadd, cols, b, x, y, acc
                );
                let tail = super::portable(cols.map(|c| &c[i..]), xc, &x[i..], &mut y[i..]);
                core::array::from_fn(|c| {
                    let mut lanes = [0.0 as $T; $L];
                    // SAFETY: `lanes` holds L elements.
                    unsafe { $store(lanes.as_mut_ptr(), acc[c]) };
                    lanes.iter().sum::<$T>() + tail[c]
                })
            }
        };
    }

    avx2_fused!(
        f64,
        4,
        _mm256_loadu_pd,
        _mm256_storeu_pd,
        _mm256_set1_pd,
        _mm256_setzero_pd,
        _mm256_fmadd_pd,
        fused_f64_avx2
    );
    avx2_fused!(
        f32,
        8,
        _mm256_loadu_ps,
        _mm256_storeu_ps,
        _mm256_set1_ps,
        _mm256_setzero_ps,
        _mm256_fmadd_ps,
        fused_f32_avx2
    );

    /// AVX-512: the last `n % L` rows are one masked step, where the scalar tail of a
    /// short column (the trailing blocks of a SYMV are all short) costs as much as the
    /// vector loop.
    macro_rules! avx512_fused {
        ($T:ty, $L:expr, $mask:ty, $load:ident, $store:ident, $maskz_load:ident,
         $mask_store:ident, $set1:ident, $zero:ident, $fmadd:ident, $reduce:ident,
         $name:ident) => {
            /// `y += Σ xc[c]·cols[c]`, returns `colsᵀ·x`.
            ///
            /// # Safety
            /// The CPU supports AVX-512F; every slice has `x.len()` elements.
            #[target_feature(enable = "avx512f")]
            pub(crate) unsafe fn $name<const N: usize>(
                cols: [&[$T]; N],
                xc: [$T; N],
                x: &[$T],
                y: &mut [$T],
            ) -> [$T; N] {
                let mut acc = [$zero(); N];
                let b = xc.map(|v| $set1(v));
                let i = body!(
                    $T, $L, $load, $store, $set1, $zero, $fmadd, cols, b, x, y, acc
                );
                let rem = x.len() - i;
                if rem > 0 {
                    // Lanes ≥ rem are neither read (zeros: they add 0·0 to the dots) nor
                    // written.
                    let k: $mask = ((1u32 << rem) - 1) as $mask;
                    // SAFETY: the mask keeps the rem < L rows i..n, inside every slice;
                    // masked-off lanes are not accessed.
                    unsafe {
                        let xv = $maskz_load(k, x.as_ptr().add(i));
                        let mut yv = $maskz_load(k, y.as_ptr().add(i));
                        for c in 0..N {
                            let a = $maskz_load(k, cols[c].as_ptr().add(i));
                            yv = $fmadd(a, b[c], yv);
                            acc[c] = $fmadd(a, xv, acc[c]);
                        }
                        $mask_store(y.as_mut_ptr().add(i), k, yv);
                    }
                }
                acc.map(|v| $reduce(v))
            }
        };
    }

    avx512_fused!(
        f64,
        8,
        __mmask8,
        _mm512_loadu_pd,
        _mm512_storeu_pd,
        _mm512_maskz_loadu_pd,
        _mm512_mask_storeu_pd,
        _mm512_set1_pd,
        _mm512_setzero_pd,
        _mm512_fmadd_pd,
        _mm512_reduce_add_pd,
        fused_f64_avx512
    );
    avx512_fused!(
        f32,
        16,
        __mmask16,
        _mm512_loadu_ps,
        _mm512_storeu_ps,
        _mm512_maskz_loadu_ps,
        _mm512_mask_storeu_ps,
        _mm512_set1_ps,
        _mm512_setzero_ps,
        _mm512_fmadd_ps,
        _mm512_reduce_add_ps,
        fused_f32_avx512
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
            pub(crate) unsafe fn $name<const N: usize>(
                cols: [&[$T]; N],
                xc: [$T; N],
                x: &[$T],
                y: &mut [$T],
            ) -> [$T; N] {
                const L: usize = $L;
                let n = x.len();
                let cp = cols.map(|c| c.as_ptr());
                let (xp, yp) = (x.as_ptr(), y.as_mut_ptr());
                let b = xc.map(|v| $dup(v));
                let mut acc = [$dup(0.0); N];
                let mut i = 0;
                while i + L <= n {
                    // SAFETY: i + L <= n, inside every slice.
                    unsafe {
                        let xv = $load(xp.add(i));
                        let mut yv = $load(yp.add(i));
                        for c in 0..N {
                            let a = $load(cp[c].add(i));
                            yv = $fma(yv, a, b[c]);
                            acc[c] = $fma(acc[c], a, xv);
                        }
                        $store(yp.add(i), yv);
                    }
                    i += L;
                }
                let tail = super::portable(cols.map(|c| &c[i..]), xc, &x[i..], &mut y[i..]);
                core::array::from_fn(|c| {
                    let mut lanes = [0.0 as $T; L];
                    // SAFETY: `lanes` holds L elements.
                    unsafe { $store(lanes.as_mut_ptr(), acc[c]) };
                    lanes.iter().sum::<$T>() + tail[c]
                })
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
        fused_f64
    );
    neon_fused!(
        f32,
        4,
        vld1q_f32,
        vst1q_f32,
        vdupq_n_f32,
        vfmaq_f32,
        fused_f32
    );
}
