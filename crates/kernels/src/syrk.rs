//! Symmetric rank-k update of one triangle: `C ← α·A·Aᵀ + β·C`.
//!
//! The GEMM loop nest (`gemm::driver`) restricted to one triangle: `A` is packed once per
//! depth block, both as the row panels and as the column panels of `A·Aᵀ`, and the
//! microkernel runs only on the register tiles that meet the triangle. Tiles wholly inside
//! it are written in place; the few that the diagonal crosses are formed in a small buffer
//! and only their triangle is merged into `C`, so the waste is `O((MR + NR)/n)` of the work.
//!
//! Small updates keep the recursive form (one GEMM for the off-diagonal block, recursion on
//! the two diagonal blocks, the last ones formed whole in a buffer), whose GEMMs read their
//! operands unpacked. For larger ones it packed each row of `A` once per recursion level and
//! ran the GEMMs near the diagonal with their own call and packing overhead; the loop nest
//! runs the depth-128 updates of the blocked Cholesky (n ≈ 900) at ~73 GF/s against ~74 for
//! a 500³ GEMM (f64, one thread, AVX-512 Xeon).

use crate::arch;
use crate::buffer::{Scratch, with_scratch};
use crate::gemm::driver::SendPtr;
use crate::gemm::gemm_unchecked_shapes;
use crate::gemm::kernel::KernelTable;
use crate::gemm::pack::{pack_a, pack_b, packed_a_len, packed_b_len};
use crate::gemm::params::blocking;
use crate::trsm::{Uplo, split_point};
use crate::{KernelError, MatMut, MatRef, Par, Scalar};

/// Below this many multiply-adds per task, the packed loop nest runs on one thread. Higher than
/// GEMM's (`gemm::driver::MIN_FLOPS_PER_TASK`, 2¹⁹) because here the caller packs each B block
/// alone before the fork: at 2¹⁹, two threads ran f32 200 × 64 8-10% slower than one (Zen 3).
const MIN_FLOPS_PER_TASK: usize = 1 << 21;

/// Elements of the buffer for a diagonal tile: at least `MR·NR` of every kernel table
/// (48 × 8 is the largest).
const TILE: usize = 512;

/// Largest `n²·k` left to the recursion: its GEMMs take GEMM's unpacked small-product path
/// there, where the loop nest would pay for packing and for `MR`-high edge tiles on a few
/// dozen rows. Measured (one thread, AVX-512 Xeon, Cholesky f64/f32, µs): all packed → this
/// limit, n = 64: 8.2/5.4 → 7.3/4.7; n = 100: 23.5/16.4 → 20.4/12.9; n = 200: 96/62 → 89/52;
/// limits of 2²⁰ to 2²³ were within noise of each other.
const RECURSIVE_MAX_WORK: usize = 1 << 21;

/// `C ← α·A·Aᵀ + β·C` on the triangle `uplo` of `C` only.
///
/// `a` is `n × k`, `c` is `n × n`. Elements of `C` outside triangle `uplo` are neither read nor
/// written. When `β = 0`, the triangle is overwritten without being read (NaN in `C` does not
/// propagate). For `C ← α·Aᵀ·A + β·C`, pass `a.transpose()`. `par` splits the rows of `C`
/// into tasks when the work pays for it.
///
/// Errors with [`KernelError::Shape`] when `c` is not square or does not match `a`.
///
/// ```
/// use lapis_kernels::{syrk, MatMut, MatRef, Par, Uplo};
/// // numpy: c = np.tril(a @ a.T)
/// let a = [1.0, 2.0, 3.0, 4.0]; // [[1, 2], [3, 4]] row-major
/// let mut c = [-1.0; 4];
/// syrk(
///     Uplo::Lower,
///     1.0,
///     MatRef::from_row_major(&a, 2, 2).unwrap(),
///     0.0,
///     MatMut::from_row_major(&mut c, 2, 2).unwrap(),
///     Par::Seq,
/// )
/// .unwrap();
/// assert_eq!(c, [5.0, -1.0, 11.0, 25.0]); // the upper triangle is untouched
/// ```
pub fn syrk<T: Scalar>(
    uplo: Uplo,
    alpha: T,
    a: MatRef<'_, T>,
    beta: T,
    c: MatMut<'_, T>,
    par: Par,
) -> Result<(), KernelError> {
    if c.nrows() != c.ncols() || a.nrows() != c.nrows() {
        return Err(KernelError::Shape {
            op: "syrk",
            shapes: vec![("a", a.shape()), ("c", c.shape())],
        });
    }
    // The microkernels store fastest down unit-stride columns; the triangle `uplo` of a
    // row-major C is the other triangle of its (column-major) transpose, and A·Aᵀ is
    // symmetric.
    let (c, uplo) = if c.col_stride().unsigned_abs() == 1 && c.row_stride().unsigned_abs() != 1 {
        (c.transpose(), uplo.flip())
    } else {
        (c, uplo)
    };
    if c.nrows() == 0 {
        return Ok(());
    }
    if a.ncols() == 0 || alpha == T::zero() {
        scale_triangle(uplo, beta, c);
        return Ok(());
    }
    if c.nrows()
        .saturating_mul(c.nrows())
        .saturating_mul(a.ncols())
        <= RECURSIVE_MAX_WORK
    {
        let mut work = Vec::new();
        syrk_rec(uplo, alpha, a, beta, c, par, &mut work);
        return Ok(());
    }
    packed(T::gemm_table(arch()), uplo, alpha, a, beta, c, par);
    Ok(())
}

/// Largest diagonal block formed whole in a buffer rather than split further.
const NB: usize = 32;

/// The triangle `uplo` of `C` ← `β·C` (`β = 0` writes zeros without reading).
fn scale_triangle<T: Scalar>(uplo: Uplo, beta: T, mut c: MatMut<'_, T>) {
    let n = c.nrows();
    for j in 0..n {
        let rows = match uplo {
            Uplo::Lower => j..n,
            Uplo::Upper => 0..j + 1,
        };
        for i in rows {
            // SAFETY: i, j < n, the order of C.
            let x = unsafe { c.get_unchecked_mut(i, j) };
            *x = if beta == T::zero() {
                T::zero()
            } else {
                beta * *x
            };
        }
    }
}

/// Where a register tile (rows `i0..i0+mr`, columns `j0..j0+nr`) lies against the triangle.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Tile {
    Outside,
    Inside,
    Crossed,
}

fn classify(uplo: Uplo, i0: usize, mr: usize, j0: usize, nr: usize) -> Tile {
    let (i_last, j_last) = (i0 + mr - 1, j0 + nr - 1);
    match uplo {
        Uplo::Lower if i_last < j0 => Tile::Outside,
        Uplo::Lower if i0 >= j_last => Tile::Inside,
        Uplo::Upper if i0 > j_last => Tile::Outside,
        Uplo::Upper if i_last <= j0 => Tile::Inside,
        _ => Tile::Crossed,
    }
}

/// The rows of `C` that meet the triangle within columns `jc..jc+nc` of an order-`n` C.
fn row_range(uplo: Uplo, n: usize, jc: usize, nc: usize) -> (usize, usize) {
    match uplo {
        Uplo::Lower => (jc, n),
        Uplo::Upper => (0, jc + nc),
    }
}

/// Splits rows `r0..r1` into `parts` ranges, aligned to `mr`, of about equal triangle work in
/// columns `jc..jc+nc` (the row `i` of a lower triangle has `i − jc + 1` of them, clamped).
fn balanced_rows(
    uplo: Uplo,
    (r0, r1): (usize, usize),
    jc: usize,
    nc: usize,
    parts: usize,
    mr: usize,
) -> Vec<(usize, usize)> {
    let width = |i: usize| match uplo {
        Uplo::Lower => (i + 1).saturating_sub(jc).min(nc),
        Uplo::Upper => (jc + nc).saturating_sub(i.max(jc)).min(nc),
    };
    let total: usize = (r0..r1).map(width).sum();
    let mut cuts = vec![r0];
    let mut acc = 0;
    let mut i = r0;
    for p in 1..parts {
        let target = total * p / parts;
        while i < r1 && acc < target {
            acc += width(i);
            i += 1;
        }
        let cut = (i.div_ceil(mr) * mr).clamp(*cuts.last().unwrap_or(&r0), r1);
        cuts.push(cut);
    }
    cuts.push(r1);
    cuts.windows(2)
        .map(|w| (w[0], w[1]))
        .filter(|(lo, hi)| lo < hi)
        .collect()
}

/// The loop nest: JC → PC → pack `Aᵀ` columns → rows (per task) → pack `A` rows → tiles.
fn packed<T: Scalar>(
    table: &KernelTable<T>,
    uplo: Uplo,
    alpha: T,
    a: MatRef<'_, T>,
    beta: T,
    mut c: MatMut<'_, T>,
    par: Par,
) {
    let (n, k) = a.shape();
    let (mr, nr) = (table.mr, table.nr);
    assert!(
        mr * nr <= TILE,
        "register tile larger than the diagonal buffer"
    );
    let bl = blocking(size_of::<T>(), mr, nr);
    let work = n.saturating_mul(n).saturating_mul(k) / 2;
    let tasks = par.degree().min(work / MIN_FLOPS_PER_TASK).max(1);
    let nc_max = bl.nc.min(n.div_ceil(nr) * nr);
    let kc_max = bl.kc.min(k);
    let (rs_c, cs_c) = (c.row_stride(), c.col_stride());
    let c_ptr = SendPtr(c.as_mut_ptr());
    with_scratch::<T, ()>(Scratch::PackB, packed_b_len(kc_max, nc_max, nr), |bbuf| {
        for jc in (0..n).step_by(bl.nc) {
            let nc = bl.nc.min(n - jc);
            let rows = row_range(uplo, n, jc, nc);
            for pc in (0..k).step_by(bl.kc) {
                let kc = bl.kc.min(k - pc);
                let mc = bl.mc_for_depth(kc, size_of::<T>(), mr);
                let beta_eff = if pc == 0 { beta } else { T::one() };
                // SAFETY: bbuf holds packed_b_len(kc_max, nc_max) ≥ packed_b_len(kc, nc).
                unsafe {
                    pack_b(
                        a.submatrix(jc, pc, nc, kc).transpose(),
                        nr,
                        bbuf.as_mut_ptr(),
                    )
                };
                let b_ptr = SendPtr(bbuf.as_mut_ptr());
                let block = Block {
                    table,
                    uplo,
                    alpha,
                    beta: beta_eff,
                    a: a.submatrix(0, pc, n, kc),
                    jc,
                    nc,
                    mc,
                };
                let run = |(lo, hi): (usize, usize)| {
                    // SAFETY: c_ptr addresses C with strides (rs_c, cs_c); this call writes
                    // rows lo..hi only, which no other task of the fork-join touches; b_ptr
                    // holds the packed columns jc..jc+nc at depth kc.
                    unsafe { block.rows(lo, hi, c_ptr, rs_c, cs_c, b_ptr) }
                };
                if tasks == 1 {
                    run(rows);
                } else {
                    let parts = balanced_rows(uplo, rows, jc, nc, tasks, mr);
                    crate::par::fork_each(parts, run);
                }
            }
        }
    });
}

/// One (JC, PC) step: columns `jc..jc+nc` of C at one depth block of `A`.
struct Block<'a, T: 'static> {
    table: &'a KernelTable<T>,
    uplo: Uplo,
    alpha: T,
    beta: T,
    /// All `n` rows of `A` at this depth block (`n × kc`).
    a: MatRef<'a, T>,
    jc: usize,
    nc: usize,
    mc: usize,
}

// SAFETY: a Block is only read by the tasks (its views are shared borrows of A, its table
// is static), so sharing it between threads is sharing `&` references.
unsafe impl<T: Scalar> Sync for Block<'_, T> {}

impl<T: Scalar> Block<'_, T> {
    /// `c ← v + β·c`, not reading `c` when `β = 0`.
    #[inline(always)]
    fn merge(&self, c: &mut T, v: T) {
        *c = if self.beta == T::zero() {
            v
        } else {
            v + self.beta * *c
        };
    }

    /// Rows `lo..hi` of C against every packed column panel.
    ///
    /// # Safety
    /// `c` addresses C (strides `rs_c`, `cs_c`, order `a.nrows()`); rows `lo..hi` of its
    /// columns `jc..jc+nc` are written by no one else during the call; `bpack` holds the
    /// packed `Aᵀ` block of these columns and depth.
    unsafe fn rows(
        &self,
        lo: usize,
        hi: usize,
        c: SendPtr<T>,
        rs_c: isize,
        cs_c: isize,
        bpack: SendPtr<T>,
    ) {
        let (mr, nr, kc) = (self.table.mr, self.table.nr, self.a.ncols());
        let panels = self.nc.div_ceil(nr);
        let len = packed_a_len(self.mc.min(hi - lo), kc, mr);
        // Crossed tiles are formed here (the kernel writes every element that is read back).
        let mut tile_buf = [T::zero(); TILE];
        with_scratch::<T, ()>(Scratch::PackA, len, |abuf| {
            for ic in (lo..hi).step_by(self.mc) {
                let mcur = self.mc.min(hi - ic);
                // SAFETY: abuf holds packed_a_len(mc, kc) ≥ packed_a_len(mcur, kc) elements.
                unsafe { pack_a(self.a.submatrix(ic, 0, mcur, kc), mr, abuf.as_mut_ptr()) };
                for panel in 0..panels {
                    let j0 = self.jc + panel * nr;
                    let ncur = nr.min(self.jc + self.nc - j0);
                    // SAFETY: panel < ⌈nc/nr⌉: the packed panel lies inside bpack.
                    let bp = unsafe { bpack.get().add(panel * nr * kc) };
                    for ir in (0..mcur).step_by(mr) {
                        let i0 = ic + ir;
                        let mcur_r = mr.min(mcur - ir);
                        // SAFETY: the packed A panel at ir·kc holds mr·kc elements; (i0, j0)
                        // is inside C and the tile's rows are this task's.
                        unsafe {
                            self.tile(
                                abuf.as_ptr().add(ir * kc),
                                bp,
                                c.get(),
                                rs_c,
                                cs_c,
                                (i0, mcur_r),
                                (j0, ncur),
                                &mut tile_buf,
                            )
                        };
                    }
                }
            }
        });
    }

    /// One register tile at `(i0, j0)` of `m × n` (edge tiles are smaller than `mr × nr`).
    ///
    /// # Safety
    /// `ap`, `bp` are packed panels of depth `kc`; C(i0.., j0..) for the `m × n` tile lies
    /// inside C, which `c` addresses, and is written by no one else.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    unsafe fn tile(
        &self,
        ap: *const T,
        bp: *const T,
        c: *mut T,
        rs_c: isize,
        cs_c: isize,
        (i0, m): (usize, usize),
        (j0, n): (usize, usize),
        buf: &mut [T; TILE],
    ) {
        let kc = self.a.ncols();
        let mr = self.table.mr;
        let kernel = self.table.kernel;
        // SAFETY: the caller's contract (the tile lies inside C, the panels hold depth kc);
        // the buffer holds mr·nr ≤ TILE elements at leading dimension mr for the kernel's
        // m × n store; the merged rows of a crossed tile are rows < m of columns < n of the
        // tile, consecutive in C when rs_c = 1; the table's ISA was checked to be supported
        // when it was selected.
        unsafe {
            let cp = c.offset(i0 as isize * rs_c + j0 as isize * cs_c);
            match classify(self.uplo, i0, m, j0, n) {
                Tile::Outside => {}
                Tile::Inside => kernel(kc, self.alpha, ap, bp, self.beta, cp, rs_c, cs_c, m, n),
                Tile::Crossed => {
                    let w = buf.as_mut_ptr();
                    kernel(kc, self.alpha, ap, bp, T::zero(), w, 1, mr as isize, m, n);
                    for j in 0..n {
                        // The rows of column j0 + j inside the triangle: a tail (lower) or a
                        // head (upper) of the tile's rows.
                        let rows = match self.uplo {
                            Uplo::Lower => (j0 + j).saturating_sub(i0).min(m)..m,
                            Uplo::Upper => 0..(j0 + j + 1).saturating_sub(i0).min(m),
                        };
                        let src = &buf[rows.start + j * mr..rows.end + j * mr];
                        let col = cp.offset(j as isize * cs_c);
                        if rs_c == 1 {
                            let dst =
                                core::slice::from_raw_parts_mut(col.add(rows.start), src.len());
                            dst.iter_mut().zip(src).for_each(|(c, &v)| self.merge(c, v));
                        } else {
                            for (i, &v) in rows.zip(src) {
                                self.merge(&mut *col.offset(i as isize * rs_c), v);
                            }
                        }
                    }
                }
            }
        }
    }
}

fn syrk_rec<T: Scalar>(
    uplo: Uplo,
    alpha: T,
    a: MatRef<'_, T>,
    beta: T,
    mut c: MatMut<'_, T>,
    par: Par,
    work: &mut Vec<T>,
) {
    let n = c.nrows();
    if n == 0 {
        return;
    }
    if n <= NB {
        diagonal_block(uplo, alpha, a, beta, c, par, work);
        return;
    }
    let n1 = split_point(n);
    let (a1, a2) = a.split_at_row(n1);
    let (top, bottom) = c.rb().split_at_row(n1);
    let (c11, c12) = top.split_at_col(n1);
    let (c21, c22) = bottom.split_at_col(n1);
    syrk_rec(uplo, alpha, a1, beta, c11, par, work);
    match uplo {
        Uplo::Lower => gemm_unchecked_shapes(alpha, a2, a1.transpose(), beta, c21, par),
        Uplo::Upper => gemm_unchecked_shapes(alpha, a1, a2.transpose(), beta, c12, par),
    }
    syrk_rec(uplo, alpha, a2, beta, c22, par, work);
}

/// A diagonal block of order `n ≤ NB`: the full `α·A·Aᵀ` by GEMM into `work`, then the
/// triangle merged into `C` with `β`.
fn diagonal_block<T: Scalar>(
    uplo: Uplo,
    alpha: T,
    a: MatRef<'_, T>,
    beta: T,
    mut c: MatMut<'_, T>,
    par: Par,
    work: &mut Vec<T>,
) {
    let n = c.nrows();
    if work.len() < n * n {
        work.resize(n * n, T::zero());
    }
    let buf = &mut work[..n * n];
    // `buf` holds exactly n·n elements, so the column-major view always fits.
    if let Ok(w) = MatMut::from_col_major(&mut *buf, n, n) {
        gemm_unchecked_shapes(alpha, a, a.transpose(), T::zero(), w, par);
    }
    let merge = |c: &mut T, p: T| *c = if beta == T::zero() { p } else { p + beta * *c };
    for j in 0..n {
        let rows = match uplo {
            Uplo::Lower => j..n,
            Uplo::Upper => 0..j + 1,
        };
        let prod = &buf[rows.start + j * n..rows.end + j * n];
        if c.row_stride() == 1 {
            // SAFETY: with unit row stride, rows `rows` (< n) of column j < n are that many
            // consecutive elements of C. A slice, not element access through the strides,
            // so that the merge vectorizes.
            let col =
                unsafe { core::slice::from_raw_parts_mut(c.ptr_at_mut(rows.start, j), rows.len()) };
            col.iter_mut().zip(prod).for_each(|(c, &p)| merge(c, p));
        } else {
            for (i, &p) in rows.zip(prod) {
                // SAFETY: i, j < n, the order of C.
                merge(unsafe { c.get_unchecked_mut(i, j) }, p);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balanced_rows_partition_the_range() {
        for uplo in [Uplo::Lower, Uplo::Upper] {
            for (n, jc, nc) in [(1000, 0, 1000), (37, 8, 16), (5, 0, 5)] {
                for parts in 1..5 {
                    let rows = row_range(uplo, n, jc, nc);
                    let got = balanced_rows(uplo, rows, jc, nc, parts, 8);
                    assert_eq!(got.first().map(|r| r.0), Some(rows.0));
                    assert_eq!(got.last().map(|r| r.1), Some(rows.1));
                    assert!(got.windows(2).all(|w| w[0].1 == w[1].0));
                }
            }
        }
    }
}
