//! Packing: copy blocks of A and B into the panel layouts the microkernels stream through.
//!
//! A block of A (`m × k`) becomes `⌈m/MR⌉` panels; panel `r` holds, for each `p < k`, the `MR`
//! elements `A(r·MR .. r·MR+MR, p)`, rows past `m` set to zero. A block of B (`k × n`)
//! becomes `⌈n/NR⌉` panels; panel `s` holds, for each `p`, `B(p, s·NR .. s·NR+NR)`.
//!
//! A sliver with unit row stride is one copy per depth step. One with unit column stride
//! (A row-major or transposed, and B column-major, since B is packed as Bᵀ) has its rows
//! contiguous instead, and an element-by-element gather would load each element from a
//! different row; the SIMD paths (`x86`, `neon`) load a few elements from each of a few
//! rows and transpose the square block in registers. Any other layout is gathered.

use core::any::TypeId;
use core::ops::Range;

use crate::{Isa, MatRef, Scalar, arch};

/// Defines `$name`, which packs a sliver of contiguous rows with the square transposes
/// `$tile` of heights `$h` (largest first, each dividing the first) and gathers the rows
/// and depth steps they leave.
///
/// Each `$tile(src, rs, dst, mr)` reads `src + r·rs + j` and writes `dst + j·mr + r` for
/// `r, j < h`, nothing else. The loop goes through blocks of `$w` (the largest height) depth
/// steps, so that the panel is written front to back, a few whole cache lines at a time.
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
macro_rules! transpose_rows {
    ($feat:literal, $name:ident, $T:ty, $w:literal, [$($h:literal => $tile:ident),+]) => {
        /// Writes `out[p·mr + i] = base[i·rs + p]` for `i < rows`, `p < k`.
        ///
        /// # Safety
        /// The CPU supports the target features; `base + i·rs + p` is readable and
        /// `out + p·mr + i` writable for every `i < rows ≤ mr`, `p < k`.
        #[target_feature(enable = $feat)]
        pub(super) unsafe fn $name(
            base: *const $T,
            rs: isize,
            rows: usize,
            k: usize,
            mr: usize,
            out: *mut $T,
        ) {
            let mut p = 0;
            while p + $w <= k {
                let mut i = 0;
                $(
                    while rows - i >= $h {
                        // SAFETY: rows i .. i + h are rows of the sliver and depths
                        // p .. p + w are below k, so each tile reads inside the sliver and
                        // writes the slots (p + q .. p + q + h) × (i .. i + h) of the panel.
                        unsafe {
                            let src = base.offset(i as isize * rs).add(p);
                            let dst = out.add(p * mr + i);
                            for q in (0..$w).step_by($h) {
                                $tile(src.add(q), rs, dst.add(q * mr), mr);
                            }
                        }
                        i += $h;
                    }
                )+
                if i < rows {
                    // SAFETY: rows i .. rows of the sliver, depths p .. p + w < k.
                    unsafe {
                        let src = base.offset(i as isize * rs);
                        super::gather(src, rs, 1, rows - i, p..p + $w, mr, out.add(i))
                    };
                }
                p += $w;
            }
            // SAFETY: every row of the sliver, the depths p .. k left.
            unsafe { super::gather(base, rs, 1, rows, p..k, mr, out) };
        }
    };
}

#[cfg(target_arch = "aarch64")]
mod neon;
#[cfg(target_arch = "x86_64")]
mod x86;

/// Depth steps per padding pass over a partial panel (a multiple of every transpose width).
const PAD_STEP: usize = 32;

/// Number of elements [`pack_a`] writes for an `m × k` block.
///
/// ```
/// use lapis_kernels::gemm::pack::packed_a_len;
/// // 5 rows in panels of 4: two panels, the second padded to 4 rows.
/// assert_eq!(packed_a_len(5, 3, 4), 2 * 4 * 3);
/// ```
#[inline]
pub fn packed_a_len(m: usize, k: usize, mr: usize) -> usize {
    m.div_ceil(mr) * mr * k
}

/// Number of elements [`pack_b`] writes for a `k × n` block.
///
/// ```
/// use lapis_kernels::gemm::pack::packed_b_len;
/// assert_eq!(packed_b_len(3, 5, 4), 2 * 4 * 3);
/// ```
#[inline]
pub fn packed_b_len(k: usize, n: usize, nr: usize) -> usize {
    n.div_ceil(nr) * nr * k
}

/// Packs `a` (`m × k`) into `MR`-row panels at `dst`.
///
/// # Safety
/// `dst` must be valid for writes of [`packed_a_len`] elements.
///
/// ```
/// use lapis_kernels::MatRef;
/// use lapis_kernels::gemm::pack::{pack_a, packed_a_len};
/// let d = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]; // [[1, 2], [3, 4], [5, 6]] row-major
/// let a = MatRef::from_row_major(&d, 3, 2).unwrap();
/// let mut buf = vec![f64::NAN; packed_a_len(3, 2, 2)];
/// // SAFETY: buf holds packed_a_len elements.
/// unsafe { pack_a(a, 2, buf.as_mut_ptr()) };
/// // Panel 0: rows 0..2 at p = 0, then p = 1; panel 1: row 2 and a zero, per p.
/// assert_eq!(buf, [1.0, 3.0, 2.0, 4.0, 5.0, 0.0, 6.0, 0.0]);
/// ```
pub unsafe fn pack_a<T: Scalar>(a: MatRef<'_, T>, mr: usize, dst: *mut T) {
    // SAFETY: the caller's contract; arch() reports an ISA this CPU supports.
    unsafe { pack_a_on(arch(), a, mr, dst) }
}

/// [`pack_a`] with the kernels of `isa` (the timing test sets the ISAs side by side).
///
/// # Safety
/// As [`pack_a`], and `isa` is supported by this CPU.
unsafe fn pack_a_on<T: Scalar>(isa: Isa, a: MatRef<'_, T>, mr: usize, dst: *mut T) {
    let (m, k) = a.shape();
    let (rs, cs) = (a.row_stride(), a.col_stride());
    let mut out = dst;
    for r0 in (0..m).step_by(mr) {
        let rows = mr.min(m - r0);
        // A partial panel is padded a few depth steps behind its rows, while that part of
        // the panel is still in L1.
        let step = if rows < mr { PAD_STEP } else { k.max(1) };
        for p0 in (0..k).step_by(step) {
            let kk = step.min(k - p0);
            // SAFETY: these depth steps of this panel are the mr·kk elements at
            // out + p0·mr, within packed_a_len; the source elements (r0 + i, p0 + p) with
            // i < rows, p < kk are inside `a`; the CPU supports `isa`.
            unsafe {
                let base = a.ptr_at(r0, p0);
                let out = out.add(p0 * mr);
                if rs == 1 {
                    copy_runs(base, cs, rows, kk, mr, out);
                } else if cs != 1 || !transpose_rows(isa, base, rs, rows, kk, mr, out) {
                    gather(base, rs, cs, rows, 0..kk, mr, out);
                }
                for p in 0..kk {
                    for i in rows..mr {
                        *out.add(p * mr + i) = T::zero();
                    }
                }
            }
        }
        // SAFETY: the next panel starts mr·k elements on, within packed_a_len (or one past it).
        out = unsafe { out.add(mr * k) };
    }
}

/// Packs `b` (`k × n`) into `NR`-column panels at `dst`.
///
/// # Safety
/// `dst` must be valid for writes of [`packed_b_len`] elements.
///
/// ```
/// use lapis_kernels::MatRef;
/// use lapis_kernels::gemm::pack::{pack_b, packed_b_len};
/// let d = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]; // [[1, 2, 3], [4, 5, 6]] row-major
/// let b = MatRef::from_row_major(&d, 2, 3).unwrap();
/// let mut buf = vec![f64::NAN; packed_b_len(2, 3, 2)];
/// // SAFETY: buf holds packed_b_len elements.
/// unsafe { pack_b(b, 2, buf.as_mut_ptr()) };
/// // Panel 0: B(0, 0..2), B(1, 0..2); panel 1: B(0, 2), pad, B(1, 2), pad.
/// assert_eq!(buf, [1.0, 2.0, 4.0, 5.0, 3.0, 0.0, 6.0, 0.0]);
/// ```
pub unsafe fn pack_b<T: Scalar>(b: MatRef<'_, T>, nr: usize, dst: *mut T) {
    // Packing B's columns into NR-wide rows is packing Bᵀ's rows into NR-high columns.
    // SAFETY: packed_b_len(k, n, nr) == packed_a_len(n, k, nr).
    unsafe { pack_a(b.transpose(), nr, dst) }
}

/// `out[p·mr + i] = base[p·cs + i]` for `i < rows`, `p < k`: one contiguous run per depth
/// step. A call to `memcpy` per run costs more than copying the few elements of a B sliver
/// (NR = 4, 6 or 8) or of a 16-row A sliver, so runs of those lengths copy a constant number
/// of elements, which compiles to a few moves (longer runs are worth the call).
///
/// # Safety
/// Those source elements are readable and those destination elements writable.
#[inline]
unsafe fn copy_runs<T: Copy>(
    base: *const T,
    cs: isize,
    rows: usize,
    k: usize,
    mr: usize,
    out: *mut T,
) {
    /// The loop with a run length known at compile time.
    ///
    /// # Safety
    /// As `copy_runs` with `rows = N`.
    #[inline(always)]
    unsafe fn fixed<T: Copy, const N: usize>(
        base: *const T,
        cs: isize,
        k: usize,
        mr: usize,
        out: *mut T,
    ) {
        for p in 0..k {
            // SAFETY: run p of N elements, inside the sliver and the panel.
            unsafe {
                core::ptr::copy_nonoverlapping(base.offset(p as isize * cs), out.add(p * mr), N)
            };
        }
    }
    // SAFETY: the caller's contract, with the run length each arm names.
    unsafe {
        match rows {
            4 => fixed::<T, 4>(base, cs, k, mr, out),
            6 => fixed::<T, 6>(base, cs, k, mr, out),
            8 => fixed::<T, 8>(base, cs, k, mr, out),
            16 => fixed::<T, 16>(base, cs, k, mr, out),
            _ => {
                for p in 0..k {
                    let src = base.offset(p as isize * cs);
                    core::ptr::copy_nonoverlapping(src, out.add(p * mr), rows);
                }
            }
        }
    }
}

/// `out[p·mr + i] = base[i·rs + p·cs]` for `i < rows`, `p` in `ps`: the path for any strides,
/// and the SIMD paths' edges.
///
/// # Safety
/// Those source elements are readable and those destination elements writable.
#[inline]
unsafe fn gather<T: Copy>(
    base: *const T,
    rs: isize,
    cs: isize,
    rows: usize,
    ps: Range<usize>,
    mr: usize,
    out: *mut T,
) {
    for p in ps {
        // SAFETY: the caller's contract, for this p and every i < rows.
        unsafe {
            let src = base.offset(p as isize * cs);
            let dst = out.add(p * mr);
            for i in 0..rows {
                *dst.add(i) = *src.offset(i as isize * rs);
            }
        }
    }
}

/// Packs a sliver whose `rows ≤ mr` rows are contiguous (unit column stride) with the
/// transposes of `isa`; false, writing nothing, where `isa` has none for `T`.
///
/// # Safety
/// `isa` is supported by this CPU; `base + i·rs + p` is readable and `out + p·mr + i`
/// writable for `i < rows`, `p < k`.
// Targets without SIMD paths keep only the `false` arm.
#[cfg_attr(
    not(any(target_arch = "x86_64", target_arch = "aarch64")),
    allow(unused_variables, unused_unsafe, unreachable_code)
)]
unsafe fn transpose_rows<T: Scalar>(
    isa: Isa,
    base: *const T,
    rs: isize,
    rows: usize,
    k: usize,
    mr: usize,
    out: *mut T,
) -> bool {
    let is = |t: TypeId| TypeId::of::<T>() == t;
    let (f64s, f32s) = (is(TypeId::of::<f64>()), is(TypeId::of::<f32>()));
    let (b64, o64) = (base.cast::<f64>(), out.cast::<f64>());
    let (b32, o32) = (base.cast::<f32>(), out.cast::<f32>());
    // SAFETY: T is the element type named in each arm (checked through TypeId), so the
    // casts are identities; the rest is the caller's contract.
    unsafe {
        match isa {
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 | Isa::Avx2 if f64s => x86::rows_f64(b64, rs, rows, k, mr, o64),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 | Isa::Avx2 if f32s => x86::rows_f32(b32, rs, rows, k, mr, o32),
            #[cfg(target_arch = "aarch64")]
            Isa::Neon if f64s => neon::rows_f64(b64, rs, rows, k, mr, o64),
            #[cfg(target_arch = "aarch64")]
            Isa::Neon if f32s => neon::rows_f32(b32, rs, rows, k, mr, o32),
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panels_have_the_documented_layout() {
        let d: Vec<f64> = (0..15).map(f64::from).collect();
        let a = MatRef::from_row_major(&d, 5, 3).unwrap();
        let mut buf = vec![f64::NAN; packed_a_len(5, 3, 4)];
        // SAFETY: buf has packed_a_len elements.
        unsafe { pack_a(a, 4, buf.as_mut_ptr()) };
        // panel 0, p = 1: A(0..4, 1)
        assert_eq!(&buf[4..8], &[1.0, 4.0, 7.0, 10.0]);
        // panel 1, p = 2: A(4, 2) then zero padding
        assert_eq!(&buf[12 + 8..12 + 12], &[14.0, 0.0, 0.0, 0.0]);
        let mut bb = vec![f64::NAN; packed_b_len(5, 3, 2)];
        // SAFETY: bb has packed_b_len elements.
        unsafe { pack_b(a, 2, bb.as_mut_ptr()) };
        // panel 0, p = 3: B(3, 0..2)
        assert_eq!(&bb[6..8], &[9.0, 10.0]);
        // panel 1, p = 0: B(0, 2), pad
        assert_eq!(&bb[10..12], &[2.0, 0.0]);
    }

    /// Small enough for Miri, which checks every access of the scalar paths: each layout
    /// (unit row stride, unit column stride with either sign of the row stride, neither)
    /// packs to the documented panels and writes nothing past them. `tests/isa_paths.rs`
    /// runs the full grid of shapes on every ISA.
    #[test]
    fn every_layout_packs_to_its_definition() {
        fn check<T: Scalar>() {
            let data: Vec<T> = (0..400).map(|i| T::from_f64(f64::from(i) - 0.5)).collect();
            for (m, k) in [
                (0usize, 3usize),
                (3, 0),
                (1, 1),
                (5, 9),
                (9, 5),
                (13, 2),
                (17, 11),
            ] {
                let (mi, ki) = (m as isize, k as isize);
                let layouts = [
                    (0, 1, mi.max(1)),
                    (0, ki.max(1), 1),
                    ((m.max(1) - 1) * (k + 2), -(ki + 2), 1),
                    (7, 2 * ki + 1, 2),
                    ((m * k).saturating_sub(1), -ki.max(1), -1),
                ];
                for (off, rs, cs) in layouts {
                    let a = MatRef::from_slice_with_offset(&data, off, m, k, rs, cs).unwrap();
                    for mr in [2, 4, 6, 8] {
                        let n = packed_a_len(m, k, mr);
                        let mut buf = vec![T::nan(); n + 4];
                        // SAFETY: buf holds packed_a_len elements and a guard band.
                        unsafe { pack_a(a, mr, buf.as_mut_ptr()) };
                        for (idx, &x) in buf[..n].iter().enumerate() {
                            let row = idx / (mr * k) * mr + idx % mr;
                            let want = if row < m {
                                a.get(row, idx / mr % k)
                            } else {
                                T::zero()
                            };
                            assert_eq!(
                                bytemuck::bytes_of(&x),
                                bytemuck::bytes_of(&want),
                                "{m}×{k} ({rs}, {cs}) {idx}"
                            );
                        }
                        assert!(buf[n..].iter().all(|x| x.is_nan()), "{m}×{k} ({rs}, {cs})");
                    }
                }
            }
        }
        check::<f64>();
        check::<f32>();
    }

    /// Pack time per packed element on this CPU's ISA against the scalar paths, for the
    /// layouts GEMM meets (`cargo test -p lapis-kernels --release --lib pack_timings --
    /// --ignored --nocapture`). Prints only: timings are no test.
    #[test]
    #[ignore]
    fn pack_timings() {
        use std::time::Instant;
        fn time<T: Scalar>(what: &str, a: MatRef<'_, T>, mr: usize, buf: &mut [T]) {
            let (m, k) = a.shape();
            let n = packed_a_len(m, k, mr);
            let reps = (1usize << 21) / n.max(1) + 1;
            let mut best = [f64::INFINITY; 2];
            for _ in 0..41 {
                for (b, isa) in best.iter_mut().zip([arch(), Isa::Scalar]) {
                    let t = Instant::now();
                    for _ in 0..reps {
                        // SAFETY: buf holds packed_a_len(m, k, mr) elements; both ISAs run here.
                        unsafe { pack_a_on(isa, a, mr, buf.as_mut_ptr()) };
                    }
                    *b = b.min(t.elapsed().as_secs_f64());
                }
            }
            let per = |s: f64| s * 1e9 / (reps * n) as f64;
            println!(
                "{} {what:>9} {m:>4}×{k:<4} panel {mr:>2}: {:.3} ns/elem ({:?}), scalar {:.3}",
                T::DTYPE,
                per(best[0]),
                arch(),
                per(best[1])
            );
        }
        fn run<T: Scalar>(mr: usize, nr: usize) {
            let data: Vec<T> = (0..1 << 20).map(|i| T::from_f64(i as f64)).collect();
            // The driver packs into 64-byte-aligned scratch; misaligned stores cost more.
            let mut buf: Vec<T> = core::iter::repeat_n(T::zero(), 1 << 20).collect();
            let start = buf.as_ptr().align_offset(64);
            let buf = &mut buf[start..];
            for (m, k) in [
                (256, 256),
                (96, 384),
                (168, 168),
                (32, 168),
                (8, 384),
                (48, 64),
            ] {
                let cm = MatRef::from_col_major(&data[..m * k], m, k).unwrap();
                let rm = MatRef::from_row_major(&data[..m * k], m, k).unwrap();
                time("A col-maj", cm, mr, buf);
                time("A row-maj", rm, mr, buf);
                // pack_b on a column-major (row-major) B, k × m, is pack_a on a row-major
                // (column-major) m × k.
                time("B col-maj", rm, nr, buf);
                time("B row-maj", cm, nr, buf);
            }
        }
        let t64 = f64::gemm_table(arch());
        run::<f64>(t64.mr, t64.nr);
        let t32 = f32::gemm_table(arch());
        run::<f32>(t32.mr, t32.nr);
    }
}
