//! GEMM and GEMV against the naive references, and GEMM's packing against the documented
//! panel layout, on every ISA path.
//!
//! Each check is registered once per ISA (`avx512::…`, `avx2::…`, `neon::…`, `scalar::…`).
//! Paths this CPU cannot run are reported as *ignored*, never as passed; running them anyway
//! (`-- --include-ignored`) fails, as a forced path should. Trials run one at a time because
//! the ISA is a process-wide setting.

use lapis_kernels::gemm::pack::{pack_a, pack_b, packed_a_len, packed_b_len};
use lapis_kernels::gemm::params::blocking;
use lapis_kernels::{
    Isa, KernelError, MatMut, MatRef, Par, Scalar, gemm, gemv, reference, set_arch,
};
use libtest_mimic::{Arguments, Failed, Trial};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Deterministic xorshift data in [-1, 1).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    }
    fn vec<T: Scalar>(&mut self, n: usize) -> Vec<T> {
        (0..n).map(|_| T::from_f64(self.next())).collect()
    }
}

/// How an operand is laid out in its buffer.
#[derive(Copy, Clone, Debug)]
enum Layout {
    ColMajor,
    RowMajor,
    /// Column-major with padding rows and a column stride larger than needed.
    Padded,
    /// Row-major, both axes reversed (negative strides).
    Reversed,
    /// Every other element in both directions.
    Strided,
}

const LAYOUTS: [Layout; 5] = [
    Layout::ColMajor,
    Layout::RowMajor,
    Layout::Padded,
    Layout::Reversed,
    Layout::Strided,
];

/// A buffer and the (offset, rs, cs) that view it as an `r × c` matrix.
fn make<T: Scalar>(
    rng: &mut Rng,
    r: usize,
    c: usize,
    layout: Layout,
) -> (Vec<T>, usize, isize, isize) {
    let (ri, ci) = (r as isize, c as isize);
    match layout {
        Layout::ColMajor => (rng.vec(r * c), 0, 1, ri.max(1)),
        Layout::RowMajor => (rng.vec(r * c), 0, ci.max(1), 1),
        Layout::Padded => {
            let ld = r + 3;
            (rng.vec(ld * c + 2), 2, 1, ld as isize)
        }
        Layout::Reversed => {
            let off = (r * c).saturating_sub(1);
            (rng.vec(r * c), off, -ci.max(1), -1)
        }
        Layout::Strided => (rng.vec(4 * r * c + 1), 0, 2 * (2 * ci).max(1), 2),
    }
}

struct Case<T> {
    a: (Vec<T>, usize, isize, isize),
    b: (Vec<T>, usize, isize, isize),
    c: (Vec<T>, usize, isize, isize),
    m: usize,
    n: usize,
    k: usize,
    trans_a: bool,
    trans_b: bool,
}

impl<T: Scalar> Case<T> {
    #[allow(clippy::too_many_arguments)]
    fn new(
        rng: &mut Rng,
        m: usize,
        n: usize,
        k: usize,
        la: Layout,
        lb: Layout,
        lc: Layout,
        trans_a: bool,
        trans_b: bool,
    ) -> Self {
        let a = if trans_a {
            make(rng, k, m, la)
        } else {
            make(rng, m, k, la)
        };
        let b = if trans_b {
            make(rng, n, k, lb)
        } else {
            make(rng, k, n, lb)
        };
        let c = make(rng, m, n, lc);
        Case {
            a,
            b,
            c,
            m,
            n,
            k,
            trans_a,
            trans_b,
        }
    }

    fn a(&self) -> MatRef<'_, T> {
        let (ref d, off, rs, cs) = self.a;
        let (r, c) = if self.trans_a {
            (self.k, self.m)
        } else {
            (self.m, self.k)
        };
        let v = MatRef::from_slice_with_offset(d, off, r, c, rs, cs).unwrap();
        if self.trans_a { v.transpose() } else { v }
    }

    fn b(&self) -> MatRef<'_, T> {
        let (ref d, off, rs, cs) = self.b;
        let (r, c) = if self.trans_b {
            (self.n, self.k)
        } else {
            (self.k, self.n)
        };
        let v = MatRef::from_slice_with_offset(d, off, r, c, rs, cs).unwrap();
        if self.trans_b { v.transpose() } else { v }
    }

    /// Runs lapis and the reference on copies of C and checks every element against
    /// `|err| ≤ 2·(k + 2)·ε·(|α||A||B| + |β||C|)`, the standard dot-product error bound.
    fn check(&self, alpha: T, beta: T, par: Par) -> Result<(), Failed> {
        let (ref cd, off, rs, cs) = self.c;
        let (m, n) = (self.m, self.n);
        let mut got = cd.clone();
        let mut want = cd.clone();
        gemm(
            alpha,
            self.a(),
            self.b(),
            beta,
            MatMut::from_slice_with_offset(&mut got, off, m, n, rs, cs).unwrap(),
            par,
        )
        .map_err(|e| e.to_string())?;
        reference::gemm(
            alpha,
            self.a(),
            self.b(),
            beta,
            MatMut::from_slice_with_offset(&mut want, off, m, n, rs, cs).unwrap(),
        );
        let c0 = MatRef::from_slice_with_offset(cd, off, m, n, rs, cs).unwrap();
        let scale = reference::gemm_error_scale(alpha, self.a(), self.b(), beta, c0);
        let gv = MatRef::from_slice_with_offset(&got, off, m, n, rs, cs).unwrap();
        let wv = MatRef::from_slice_with_offset(&want, off, m, n, rs, cs).unwrap();
        let bound_per_scale = 2.0 * (self.k as f64 + 2.0) * T::EPS.to_f64();
        for j in 0..n {
            for i in 0..m {
                let (g, w) = (gv.get(i, j).to_f64(), wv.get(i, j).to_f64());
                let bound = bound_per_scale * scale[i + j * m] + T::MIN_POSITIVE.to_f64();
                // Written so that a NaN error fails too.
                let within = (g - w).abs() <= bound;
                if !within {
                    return Err(format!(
                        "{} m={m} n={n} k={} α={alpha} β={beta} transA={} transB={} layouts a={:?} b={:?} c={:?}: C({i},{j}) = {g}, reference {w}, |err| {} > bound {bound}",
                        T::DTYPE,
                        self.k,
                        self.trans_a,
                        self.trans_b,
                        (self.a.2, self.a.3),
                        (self.b.2, self.b.3),
                        (rs, cs),
                        (g - w).abs()
                    )
                    .into());
                }
            }
        }
        // Outside the view, the buffer must be untouched.
        let mut inside = vec![false; cd.len()];
        for j in 0..n {
            for i in 0..m {
                inside[(off as isize + i as isize * rs + j as isize * cs) as usize] = true;
            }
        }
        for (idx, (g, o)) in got.iter().zip(cd).enumerate() {
            if !inside[idx] && bytemuck::bytes_of(g) != bytemuck::bytes_of(o) {
                return Err(format!("element {idx} outside the view of C was written").into());
            }
        }
        Ok(())
    }
}

const SCALARS: [f64; 4] = [0.0, 1.0, -1.0, 0.3];

fn all_small_shapes<T: Scalar>() -> Result<(), Failed> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for m in 0..=20 {
        for n in 0..=20 {
            for k in [0, 1, 2, 3, 5, 8, 13, 20] {
                let case = Case::<T>::new(
                    &mut rng,
                    m,
                    n,
                    k,
                    Layout::ColMajor,
                    Layout::ColMajor,
                    Layout::ColMajor,
                    false,
                    false,
                );
                case.check(T::one(), T::zero(), Par::Seq)?;
            }
        }
    }
    Ok(())
}

fn layouts_transposes_and_scalars<T: Scalar>() -> Result<(), Failed> {
    let mut rng = Rng(0x1234_5678_9ABC_DEF1);
    for (m, n, k) in [
        (1, 1, 1),
        (7, 5, 3),
        (17, 9, 33),
        // The small path's limits: m, n, k ≤ 32, row vectors up to four per column.
        (32, 32, 32),
        (25, 31, 7),
        (16, 4, 32),
        (33, 35, 40),
        (50, 3, 70),
        (3, 61, 45),
    ] {
        for (ia, &la) in LAYOUTS.iter().enumerate() {
            for (ib, &lb) in LAYOUTS.iter().enumerate() {
                let lc = LAYOUTS[(ia + 2 * ib) % LAYOUTS.len()];
                for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                    let case = Case::<T>::new(&mut rng, m, n, k, la, lb, lc, ta, tb);
                    for &alpha in &SCALARS {
                        for &beta in &SCALARS {
                            case.check(T::from_f64(alpha), T::from_f64(beta), Par::Seq)?;
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// The tiny products (`m` up to one vector, `n ≤ 8`), one kernel per column count, and the
/// shapes just past them: every α and β, C column- and row-major, B in every layout.
fn tiny_products<T: Scalar>() -> Result<(), Failed> {
    let mut rng = Rng(0x0DDB_A11C_AFE5_7A7E);
    let mut turn = 0;
    for m in 1..=17 {
        for n in 1..=9 {
            for k in [1, 4, 9] {
                for lc in [Layout::ColMajor, Layout::RowMajor, Layout::Padded] {
                    let la = [Layout::ColMajor, Layout::Padded, Layout::Reversed][turn % 3];
                    let lb = LAYOUTS[turn % LAYOUTS.len()];
                    turn += 1;
                    let case = Case::<T>::new(&mut rng, m, n, k, la, lb, lc, false, turn % 4 == 0);
                    for &alpha in &SCALARS {
                        for &beta in &SCALARS {
                            case.check(T::from_f64(alpha), T::from_f64(beta), Par::Seq)?;
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// The index of the first element of `buf` on a 4 KiB page boundary, at least `skip` pages
/// in (the buffer must be long enough).
fn page_boundary<T>(buf: &[T], skip: usize) -> usize {
    let (addr, size) = (buf.as_ptr() as usize, size_of::<T>());
    (addr.next_multiple_of(4096) - addr) / size + skip * 4096 / size
}

/// Tiny products whose A or C ends exactly at a page boundary, so that the masked vector of
/// their highest column would reach into the next page: the kernels move those vectors
/// another way (`gemm/kernel/small_x86.rs`), which must give the same products and touch
/// nothing outside C.
fn tiny_products_at_page_ends<T: Scalar>() -> Result<(), Failed> {
    let mut rng = Rng(0x5EED_0F9A_6EE2_D5C3);
    let page = 4096 / size_of::<T>();
    for m in 1..=16 {
        for n in 2..=8 {
            for k in [1, 3] {
                for (a_at_end, c_at_end) in [(true, false), (false, true), (true, true)] {
                    let a_buf: Vec<T> = rng.vec(4 * page);
                    let b_buf: Vec<T> = rng.vec(k * n);
                    let c_buf: Vec<T> = rng.vec(4 * page);
                    let a_end = page_boundary(&a_buf, 2);
                    let a_off = if a_at_end {
                        a_end - m * k
                    } else {
                        a_end - page
                    };
                    let a = MatRef::from_slice_with_offset(&a_buf, a_off, m, k, 1, m as isize)?;
                    let b = MatRef::from_col_major(&b_buf, k, n)?;
                    for (alpha, beta) in [(1.0, 0.0), (0.3, 1.0), (-1.0, 0.3)] {
                        let (alpha, beta) = (T::from_f64(alpha), T::from_f64(beta));
                        // The boundary is that of the buffer the product writes.
                        let mut got = c_buf.clone();
                        let mut want = c_buf.clone();
                        let c_end = page_boundary(&got, 2);
                        let c_off = if c_at_end {
                            c_end - m * n
                        } else {
                            c_end - page
                        };
                        let c0 =
                            MatRef::from_slice_with_offset(&c_buf, c_off, m, n, 1, m as isize)?;
                        let gv =
                            MatMut::from_slice_with_offset(&mut got, c_off, m, n, 1, m as isize)?;
                        gemm(alpha, a, b, beta, gv, Par::Seq)?;
                        let wv =
                            MatMut::from_slice_with_offset(&mut want, c_off, m, n, 1, m as isize)?;
                        reference::gemm(alpha, a, b, beta, wv);
                        let scale = reference::gemm_error_scale(alpha, a, b, beta, c0);
                        let bound = 2.0 * (k as f64 + 2.0) * Scalar::to_f64(T::EPS);
                        for (idx, (g, w)) in got.iter().zip(&want).enumerate() {
                            let inside = (c_off..c_off + m * n).contains(&idx);
                            let ok = if inside {
                                let s = scale[idx - c_off];
                                let err = (Scalar::to_f64(*g) - Scalar::to_f64(*w)).abs();
                                err <= bound * s + Scalar::to_f64(T::MIN_POSITIVE)
                            } else {
                                bytemuck::bytes_of(g) == bytemuck::bytes_of(&c_buf[idx])
                            };
                            if !ok {
                                return Err(format!(
                                    "{} m={m} n={n} k={k} α={alpha} β={beta} A at end {a_at_end}, C at end {c_at_end}: element {idx} (C from {c_off}) is {g}, want {w}",
                                    T::DTYPE
                                )
                                .into());
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// Shapes one either side of the register block and of every cache block.
fn blocking_boundaries<T: Scalar>() -> Result<(), Failed> {
    let table = T::gemm_table(lapis_kernels::arch());
    let (mr, nr) = (table.mr, table.nr);
    let bl = blocking(size_of::<T>(), mr, nr);
    let mut rng = Rng(42);
    let ms = [mr - 1, mr, mr + 1, 2 * mr + 1, bl.mc - 1, bl.mc + 1];
    let ns = [nr - 1, nr + 1, 3 * nr, 40];
    let ks = [bl.kc - 1, bl.kc, bl.kc + 1];
    for &m in &ms {
        for &n in &ns {
            for &k in &ks {
                let case = Case::<T>::new(
                    &mut rng,
                    m,
                    n,
                    k,
                    Layout::ColMajor,
                    Layout::RowMajor,
                    Layout::Padded,
                    false,
                    false,
                );
                case.check(T::from_f64(0.3), T::from_f64(-1.0), Par::Seq)?;
            }
        }
    }
    // One product wider than NC, so the JC loop runs more than once.
    let wide = bl.nc + nr + 1;
    let case = Case::<T>::new(
        &mut rng,
        mr + 3,
        wide,
        9,
        Layout::ColMajor,
        Layout::ColMajor,
        Layout::ColMajor,
        false,
        false,
    );
    case.check(T::one(), T::one(), Par::Seq)
}

/// Medium products around the limits of the unpacked (no-packing) path, in the layouts it
/// takes (unit-stride columns of A and C) and the ones it must leave to the packed paths.
fn medium_unpacked_limits<T: Scalar>() -> Result<(), Failed> {
    let mut rng = Rng(99);
    // Limits: k ≤ 192 and m·n·k ≤ 192³; AVX-512 row blocks of 3 vectors (24 / 48 rows) and
    // 8 columns, so 25 and 49 rows and 9 and 17 columns leave one row or column over. AVX2:
    // k ≤ 128 and m·n·k ≤ 120³; row blocks of 2 vectors (8 / 16 rows) by 6 columns (one
    // vector by 8), the last columns in a group of 2, 4 or 6.
    for (m, n, k) in [
        (120, 120, 120),
        (121, 119, 120),
        (17, 13, 128),
        (33, 11, 129),
        (9, 23, 100),
        (64, 64, 64),
        (96, 96, 96),
        (97, 96, 96),
        (25, 17, 40),
        (49, 9, 64),
        (192, 192, 192),
        (200, 190, 192),
        (200, 30, 192),
        (40, 33, 193),
    ] {
        for (la, lb, lc) in [
            (Layout::ColMajor, Layout::ColMajor, Layout::ColMajor),
            (Layout::Padded, Layout::RowMajor, Layout::Padded),
            (Layout::RowMajor, Layout::Strided, Layout::RowMajor),
            (Layout::Reversed, Layout::ColMajor, Layout::ColMajor),
        ] {
            let case = Case::<T>::new(&mut rng, m, n, k, la, lb, lc, false, false);
            case.check(T::from_f64(-0.3), T::from_f64(0.3), Par::Seq)?;
        }
    }
    Ok(())
}

/// Short, wide and deep products (`m` up to a few register blocks, `k` past one depth block
/// of the no-packing kernel): the path that reads B in place and copies A by depth blocks
/// (AVX-512: `m ≤ 96`, `n ≥ 128`, `k ≥ 192`; AVX2: `m ≤ 32` for f64 and `m ≤ 64` for f32,
/// `k ≥ 128`), across its limits, with B in every layout, C column-major or row-major (which
/// turns the product around), and split across threads.
///
/// Where the ISA has no such path (NEON, scalar), these products take the packed loop nest,
/// whose blocks `blocking_boundaries` crosses, and three of the shapes remain. (The whole list
/// was the longest trial of the aarch64 run under qemu.)
fn short_wide_deep<T: Scalar>() -> Result<(), Failed> {
    let mut rng = Rng(31);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(3)
        .build()
        .unwrap();
    let shapes = [
        (96, 128, 192),
        (96, 130, 193),
        (32, 128, 128),
        (33, 131, 129),
        (64, 140, 200),
        (65, 128, 300),
        (97, 200, 400),
        (2, 129, 385),
        (25, 200, 600),
        (49, 257, 250),
        (64, 127, 1000),
        (8, 300, 191),
    ];
    let shapes = if T::gemm_table(lapis_kernels::arch()).has_short_path() {
        &shapes[..]
    } else {
        &shapes[1..4]
    };
    for &(m, n, k) in shapes {
        for (la, lb, lc) in [
            (Layout::RowMajor, Layout::ColMajor, Layout::ColMajor),
            (Layout::ColMajor, Layout::RowMajor, Layout::Padded),
            (Layout::Strided, Layout::Reversed, Layout::ColMajor),
            (Layout::Padded, Layout::Strided, Layout::Padded),
        ] {
            let case = Case::<T>::new(&mut rng, m, n, k, la, lb, lc, false, false);
            for (alpha, beta) in [(1.0, 0.0), (-0.3, 0.3), (1.0, 1.0)] {
                case.check(T::from_f64(alpha), T::from_f64(beta), Par::Seq)?;
            }
            pool.install(|| case.check(T::one(), T::from_f64(0.3), Par::Rayon(3)))?;
        }
        // Row-major C: the product runs as Cᵀ = Bᵀ·Aᵀ, short when n is.
        let case = Case::<T>::new(
            &mut rng,
            n,
            m,
            k,
            Layout::ColMajor,
            Layout::ColMajor,
            Layout::RowMajor,
            true,
            false,
        );
        case.check(T::from_f64(0.3), T::from_f64(-1.0), Par::Seq)?;
    }
    // β = 0 ignores NaN in C on this path too.
    let (m, n, k) = (40, 200, 300);
    let a = rng.vec::<T>(m * k);
    let b = rng.vec::<T>(k * n);
    let mut c = vec![T::nan(); m * n];
    gemm(
        T::one(),
        MatRef::from_col_major(&a, m, k).unwrap(),
        MatRef::from_col_major(&b, k, n).unwrap(),
        T::zero(),
        MatMut::from_col_major(&mut c, m, n).unwrap(),
        Par::Seq,
    )
    .map_err(|e| e.to_string())?;
    if c.iter().any(|x| !x.is_finite()) {
        return Err("β = 0 kept a NaN of C in a short, deep product".into());
    }
    Ok(())
}

/// Threaded runs give the sequential answer (within the same rounding bound): called from
/// inside a pool of four, from outside any pool (the caller works beside the global pool's
/// threads), inside a pool of one thread, which must run every task itself, and several at
/// once (the first shape), so that their forks meet busy threads: from threads outside the
/// pool, and from the tasks of a parallel loop inside a pool of two.
fn threaded_matches_sequential<T: Scalar>() -> Result<(), Failed> {
    let mut rng = Rng(7);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .unwrap();
    let lone = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let pair = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let shapes = [
        (300, 257, 200),
        (64, 2100, 64),
        (1000, 40, 300),
        (129, 131, 520),
    ];
    for (idx, (m, n, k)) in shapes.into_iter().enumerate() {
        let case = Case::<T>::new(
            &mut rng,
            m,
            n,
            k,
            Layout::ColMajor,
            Layout::ColMajor,
            Layout::RowMajor,
            false,
            true,
        );
        for t in [2, 3, 4] {
            pool.install(|| case.check(T::from_f64(1.0), T::from_f64(0.3), Par::Rayon(t)))?;
        }
        case.check(T::from_f64(1.0), T::from_f64(0.3), Par::Rayon(3))?;
        lone.install(|| case.check(T::from_f64(1.0), T::from_f64(0.3), Par::Rayon(4)))?;
        if idx > 0 {
            continue;
        }
        let check = || case.check(T::from_f64(1.0), T::from_f64(0.3), Par::Rayon(4));
        std::thread::scope(|s| {
            let runs: Vec<_> = (0..3).map(|_| s.spawn(check)).collect();
            runs.into_iter()
                .try_for_each(|r| r.join().expect("a product panicked"))
        })?;
        pair.install(|| {
            use rayon::prelude::*;
            (0..6).into_par_iter().try_for_each(|_| check())
        })?;
    }
    Ok(())
}

/// BLAS semantics: β = 0 overwrites NaN/Inf in C; α = 0 does not read A or B.
fn blas_special_values<T: Scalar>() -> Result<(), Failed> {
    for (m, n, k) in [(3, 4, 5), (40, 50, 60)] {
        let a = vec![T::one(); m * k];
        let b = vec![T::one(); k * n];
        let mut c = vec![T::nan(); m * n];
        gemm(
            T::one(),
            MatRef::from_col_major(&a, m, k)?,
            MatRef::from_col_major(&b, k, n)?,
            T::zero(),
            MatMut::from_col_major(&mut c, m, n)?,
            Par::Seq,
        )?;
        if c.iter().any(|&x| x != T::from_f64(k as f64)) {
            return Err("β = 0 did not overwrite NaN in C".into());
        }
        let a_nan = vec![T::nan(); m * k];
        let mut c = vec![T::from_f64(2.0); m * n];
        gemm(
            T::zero(),
            MatRef::from_col_major(&a_nan, m, k)?,
            MatRef::from_col_major(&b, k, n)?,
            T::from_f64(0.5),
            MatMut::from_col_major(&mut c, m, n)?,
            Par::Seq,
        )?;
        if c.iter().any(|&x| x != T::one()) {
            return Err("α = 0 must give β·C without reading A".into());
        }
        // NaN in A must reach C when α ≠ 0.
        let mut c = vec![T::zero(); m * n];
        gemm(
            T::one(),
            MatRef::from_col_major(&a_nan, m, k)?,
            MatRef::from_col_major(&b, k, n)?,
            T::zero(),
            MatMut::from_col_major(&mut c, m, n)?,
            Par::Seq,
        )?;
        if !c.iter().all(|x| x.is_nan()) {
            return Err("NaN in A did not propagate".into());
        }
    }
    Ok(())
}

fn shape_errors<T: Scalar>() -> Result<(), Failed> {
    let a = vec![T::one(); 6];
    let mut c = vec![T::one(); 4];
    let err = gemm(
        T::one(),
        MatRef::from_col_major(&a, 2, 3)?,
        MatRef::from_col_major(&a, 2, 3)?,
        T::zero(),
        MatMut::from_col_major(&mut c, 2, 2)?,
        Par::Seq,
    )
    .unwrap_err();
    let msg = err.to_string();
    if !matches!(err, KernelError::Shape { .. }) || !msg.contains("2x3") || !msg.contains("2x2") {
        return Err(format!("unexpected error {msg:?}").into());
    }
    Ok(())
}

fn proptest_shapes_strides_scalars<T: Scalar>() -> Result<(), Failed> {
    let mut runner = TestRunner::new(Config {
        cases: 64,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        0usize..70,
        0usize..70,
        0usize..70,
        0usize..LAYOUTS.len(),
        0usize..LAYOUTS.len(),
        0usize..LAYOUTS.len(),
        any::<(bool, bool)>(),
        -2.0f64..2.0,
        prop_oneof![Just(0.0), Just(1.0), -2.0f64..2.0],
        any::<u64>(),
    );
    runner
        .run(
            &strategy,
            |(m, n, k, la, lb, lc, (ta, tb), alpha, beta, seed)| {
                let mut rng = Rng(seed | 1);
                let case = Case::<T>::new(
                    &mut rng,
                    m,
                    n,
                    k,
                    LAYOUTS[la],
                    LAYOUTS[lb],
                    LAYOUTS[lc],
                    ta,
                    tb,
                );
                case.check(T::from_f64(alpha), T::from_f64(beta), Par::Seq)
                    .map_err(|e| TestCaseError::fail(format!("{e:?}")))
            },
        )
        .map_err(|e| Failed::from(e.to_string()))
}

// ---------------------------------------------------------------------------------------------
// GEMV: the column form (unit row stride) and the row form (unit column stride).

/// Lengths either side of every vector width, of the four- and eight-column/row groups and of
/// the masked tails, plus 0 and 1.
const GEMV_SIZES: [usize; 16] = [0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 33, 64, 100, 257];

/// How the `m × n` matrix of a GEMV case sits in its buffer. Every element of the buffer
/// outside the view is NaN, so a kernel that reads past a column or row end poisons `y`.
#[derive(Copy, Clone, Debug)]
enum GemvLayout {
    /// Column-major, three padding rows per column: the column form.
    Cols,
    /// As `Cols` with the columns in reverse order (negative column stride).
    ColsReversed,
    /// Row-major, three padding columns per row: the row form.
    Rows,
    /// As `Rows` with the rows in reverse order (negative row stride).
    RowsReversed,
}

const GEMV_LAYOUTS: [GemvLayout; 4] = [
    GemvLayout::Cols,
    GemvLayout::ColsReversed,
    GemvLayout::Rows,
    GemvLayout::RowsReversed,
];

/// How the entries of A and x are scaled: plain, scaled near the ends of the exponent range,
/// or graded across columns (so that a sum mixes magnitudes many orders apart).
#[derive(Copy, Clone, Debug)]
enum GemvScale {
    Unit,
    Huge,
    Tiny,
    Graded,
}

struct GemvCase<T> {
    a: Vec<T>,
    a_off: usize,
    rs: isize,
    cs: isize,
    /// x at stride `sx` from the start of its buffer (NaN after it and between elements).
    x: Vec<T>,
    sx: usize,
    y: Vec<T>,
    sy: usize,
    m: usize,
    n: usize,
}

impl<T: Scalar> GemvCase<T> {
    fn new(
        rng: &mut Rng,
        m: usize,
        n: usize,
        layout: GemvLayout,
        scale: GemvScale,
        strided: bool,
    ) -> Self {
        const PAD: usize = 3;
        let (ld_c, ld_r) = (m + PAD, n + PAD);
        let (len, a_off, rs, cs) = match layout {
            GemvLayout::Cols => (ld_c * n, 0, 1, ld_c as isize),
            GemvLayout::ColsReversed => (ld_c * n, ld_c * n.saturating_sub(1), 1, -(ld_c as isize)),
            GemvLayout::Rows => (ld_r * m, 0, ld_r as isize, 1),
            GemvLayout::RowsReversed => (ld_r * m, ld_r * m.saturating_sub(1), -(ld_r as isize), 1),
        };
        // Powers of two keep the scaled entries exact, so the scaling itself adds no error.
        let (sa, sx) = match scale {
            GemvScale::Unit | GemvScale::Graded => (1.0, 1.0),
            GemvScale::Huge if T::DTYPE == "float32" => (2f64.powi(60), 2f64.powi(-60)),
            GemvScale::Huge => (2f64.powi(500), 2f64.powi(-500)),
            GemvScale::Tiny if T::DTYPE == "float32" => (2f64.powi(-60), 2f64.powi(-60)),
            GemvScale::Tiny => (2f64.powi(-500), 2f64.powi(-500)),
        };
        let grade = |j: usize| match scale {
            GemvScale::Graded => 2f64.powi(-(((3 * j) % 40) as i32)),
            _ => 1.0,
        };
        let mut a = vec![T::nan(); len + 4];
        for j in 0..n {
            for i in 0..m {
                let k = (a_off as isize + i as isize * rs + j as isize * cs) as usize;
                a[k] = T::from_f64(rng.next() * sa * grade(j));
            }
        }
        let (sx_stride, sy_stride) = if strided { (2, 3) } else { (1, 1) };
        let mut x = vec![T::nan(); n * sx_stride + 4];
        for j in 0..n {
            x[j * sx_stride] = T::from_f64(rng.next() * sx);
        }
        let mut y = vec![T::from_f64(-777.0); m * sy_stride + 4];
        for i in 0..m {
            y[i * sy_stride] = T::from_f64(rng.next());
        }
        GemvCase {
            a,
            a_off,
            rs,
            cs,
            x,
            sx: sx_stride,
            y,
            sy: sy_stride,
            m,
            n,
        }
    }

    fn a(&self) -> MatRef<'_, T> {
        MatRef::from_slice_with_offset(&self.a, self.a_off, self.m, self.n, self.rs, self.cs)
            .unwrap()
    }

    fn x(&self) -> MatRef<'_, T> {
        MatRef::from_slice(&self.x, self.n, 1, self.sx as isize, 1).unwrap()
    }

    /// Runs `gemv` and the reference on copies of y; checks every element against
    /// `|err| ≤ 2·(n + 2)·ε·(|α|·|A|·|x| + |β|·|y|)` (the inner-product bound) and that no
    /// element of y's buffer outside the vector changed.
    fn check(&self, alpha: T, beta: T, y_init: Option<T>, par: Par) -> Result<(), Failed> {
        let (m, n) = (self.m, self.n);
        let mut y0 = self.y.clone();
        if let Some(v) = y_init {
            for i in 0..m {
                y0[i * self.sy] = v;
            }
        }
        let yview = |buf: &mut Vec<T>| {
            MatMut::from_slice(buf, m, 1, self.sy as isize, 1)
                .unwrap()
                .as_ref()
                .to_col_major_vec()
        };
        let mut got = y0.clone();
        gemv(
            alpha,
            self.a(),
            self.x(),
            beta,
            MatMut::from_slice(&mut got, m, 1, self.sy as isize, 1)?,
            par,
        )
        .map_err(|e| e.to_string())?;
        let mut want = y0.clone();
        reference::gemv(
            alpha,
            self.a(),
            self.x(),
            beta,
            MatMut::from_slice(&mut want, m, 1, self.sy as isize, 1)?,
        );
        let (g, w, old) = (yview(&mut got), yview(&mut want), yview(&mut y0));
        let (a, x) = (self.a(), self.x());
        let per_scale = 2.0 * (n as f64 + 2.0) * T::EPS.to_f64();
        for i in 0..m {
            let ax: f64 = (0..n)
                .map(|j| (a.get(i, j).to_f64() * x.get(j, 0).to_f64()).abs())
                .sum();
            let by = if beta == T::zero() {
                0.0
            } else {
                (beta.to_f64() * old[i].to_f64()).abs()
            };
            let bound = per_scale * (alpha.to_f64().abs() * ax + by) + T::MIN_POSITIVE.to_f64();
            let (gi, wi) = (g[i].to_f64(), w[i].to_f64());
            // Written so that a NaN error fails too.
            let within = (gi - wi).abs() <= bound;
            if !within {
                return Err(format!(
                    "{} m={m} n={n} α={alpha} β={beta} strides a=({}, {}) x={} y={}: y[{i}] = {gi}, reference {wi}, |err| {} > bound {bound}",
                    T::DTYPE,
                    self.rs,
                    self.cs,
                    self.sx,
                    self.sy,
                    (gi - wi).abs()
                )
                .into());
            }
        }
        for (k, (gk, ok)) in got.iter().zip(&y0).enumerate() {
            let inside = k % self.sy == 0 && k / self.sy < m;
            if !inside && bytemuck::bytes_of(gk) != bytemuck::bytes_of(ok) {
                return Err(format!("gemv m={m} n={n}: y's buffer element {k} was written").into());
            }
        }
        Ok(())
    }
}

/// Every size pair, both forms and both directions, with α/β variety, NaN in y under β = 0,
/// unit and strided vectors.
fn gemv_sizes_forms_scalars<T: Scalar>() -> Result<(), Failed> {
    let mut rng = Rng(0xC0FF_EE00_1234_5679);
    let ab = [
        (1.0, 0.0),
        (-0.5, 1.0),
        (0.3, -1.0),
        (2.0, 0.25),
        (0.0, 0.5),
    ];
    for &m in &GEMV_SIZES {
        for &n in &GEMV_SIZES {
            for (l, &layout) in GEMV_LAYOUTS.iter().enumerate() {
                let strided = (m + n + l) % 3 == 0;
                let case = GemvCase::<T>::new(&mut rng, m, n, layout, GemvScale::Unit, strided);
                for &(alpha, beta) in &ab {
                    let (alpha, beta) = (T::from_f64(alpha), T::from_f64(beta));
                    case.check(alpha, beta, None, Par::Seq)?;
                }
                // β = 0 writes y without reading it.
                case.check(T::one(), T::zero(), Some(T::nan()), Par::Seq)?;
            }
        }
    }
    Ok(())
}

/// Entries near the ends of the exponent range and graded columns, in both forms.
fn gemv_scaled_entries<T: Scalar>() -> Result<(), Failed> {
    let mut rng = Rng(0x5EED_0000_0000_0017);
    for scale in [GemvScale::Huge, GemvScale::Tiny, GemvScale::Graded] {
        for (m, n) in [(1, 1), (5, 33), (17, 16), (64, 7), (100, 257), (257, 100)] {
            for &layout in &GEMV_LAYOUTS {
                let case = GemvCase::<T>::new(&mut rng, m, n, layout, scale, false);
                case.check(T::from_f64(0.75), T::from_f64(-0.5), None, Par::Seq)?;
            }
        }
    }
    Ok(())
}

/// A NaN or infinity in A or x reaches exactly the entries of y it should, in every lane
/// position of a vector (first, middle, masked tail), in both forms.
fn gemv_nan_inf_propagate<T: Scalar>() -> Result<(), Failed> {
    let (m, n) = (37, 29);
    for &layout in &GEMV_LAYOUTS {
        for (pi, pj) in [(0, 0), (5, 17), (36, 28), (33, 3)] {
            for bad in [T::nan(), T::infinity()] {
                let a_col_major: Vec<T> = (0..m * n)
                    .map(|k| T::from_f64(((k * 37) % 11) as f64 - 5.0))
                    .collect();
                let mut case =
                    GemvCase::<T>::new(&mut Rng(3), m, n, layout, GemvScale::Unit, false);
                for j in 0..n {
                    case.x[j] = T::from_f64(((j * 7) % 5) as f64 - 2.0);
                }
                for j in 0..n {
                    for i in 0..m {
                        let k = (case.a_off as isize + i as isize * case.rs + j as isize * case.cs)
                            as usize;
                        case.a[k] = a_col_major[i + j * m];
                    }
                }
                let k =
                    (case.a_off as isize + pi as isize * case.rs + pj as isize * case.cs) as usize;
                case.a[k] = bad;
                // With integer entries every finite row sum is exact.
                let mut y = vec![T::zero(); m];
                gemv(
                    T::one(),
                    case.a(),
                    case.x(),
                    T::zero(),
                    MatMut::from_col_major(&mut y, m, 1)?,
                    Par::Seq,
                )?;
                let mut want = vec![T::zero(); m];
                reference::gemv(
                    T::one(),
                    case.a(),
                    case.x(),
                    T::zero(),
                    MatMut::from_col_major(&mut want, m, 1)?,
                );
                for i in 0..m {
                    let same = (y[i].is_nan() && want[i].is_nan()) || y[i] == want[i];
                    let poisoned = !y[i].is_finite();
                    if (i == pi) != poisoned || (poisoned && !same) {
                        return Err(format!(
                            "{layout:?}: {bad} at A({pi}, {pj}) gave y[{i}] = {}, reference {}",
                            y[i], want[i]
                        )
                        .into());
                    }
                }
                // The same value in x poisons every row whose entry in that column is nonzero.
                let mut case =
                    GemvCase::<T>::new(&mut Rng(4), m, n, layout, GemvScale::Unit, false);
                case.x[pj] = bad;
                let mut y = vec![T::zero(); m];
                gemv(
                    T::one(),
                    case.a(),
                    case.x(),
                    T::zero(),
                    MatMut::from_col_major(&mut y, m, 1)?,
                    Par::Seq,
                )?;
                let a = case.a();
                for i in 0..m {
                    let hit = a.get(i, pj) != T::zero();
                    if hit == y[i].is_finite() {
                        return Err(format!(
                            "{layout:?}: {bad} at x[{pj}] gave y[{i}] = {} (A({i}, {pj}) = {})",
                            y[i],
                            a.get(i, pj)
                        )
                        .into());
                    }
                }
            }
        }
    }
    Ok(())
}

/// Products large enough to split across threads, in both forms.
fn gemv_threaded<T: Scalar>() -> Result<(), Failed> {
    let mut rng = Rng(11);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(3)
        .build()
        .unwrap();
    for (m, n) in [(1100, 300), (700, 513)] {
        for &layout in &GEMV_LAYOUTS {
            let case = GemvCase::<T>::new(&mut rng, m, n, layout, GemvScale::Unit, false);
            for t in [2, 3] {
                pool.install(|| {
                    case.check(T::from_f64(-0.7), T::from_f64(0.3), None, Par::Rayon(t))
                })?;
            }
        }
    }
    Ok(())
}

/// Element `idx` of a packing source: distinct bit patterns, with NaNs carrying payloads,
/// signed zeros, infinities and subnormals among them, so that a copy that goes through
/// arithmetic or canonicalises a NaN is seen.
fn pack_element<T: Scalar>(idx: usize) -> T {
    let bits = |b64: u64, b32: u32| -> T {
        if size_of::<T>() == 8 {
            bytemuck::pod_read_unaligned(&b64.to_ne_bytes())
        } else {
            bytemuck::pod_read_unaligned(&b32.to_ne_bytes())
        }
    };
    let i = idx as u64;
    match idx % 7 {
        0 => bits(
            0x7ff8_0000_0000_0000 | i,
            0x7fc0_0000 | (i as u32 & 0x3f_ffff),
        ),
        1 => -T::zero(),
        2 => T::infinity(),
        3 => T::MIN_POSITIVE / T::from_f64(1024.0),
        _ => T::from_f64(idx as f64 + 0.5),
    }
}

/// Layouts of a packing source `r × c`: (offset, rs, cs, buffer length).
fn pack_layouts(r: usize, c: usize) -> [(&'static str, usize, isize, isize, usize); 7] {
    let (ri, ci) = (r as isize, c as isize);
    let n = r * c;
    [
        ("column-major", 0, 1, ri.max(1), n),
        ("row-major", 0, ci.max(1), 1, n),
        // A c × r column-major matrix with leading dimension c + 1, transposed.
        ("transposed", 0, ci + 1, 1, (c + 1) * r),
        // Rows 2.. and columns 5.. of an (r + 4) × (c + 9) row-major parent.
        ("sub-view", 2 * (c + 9) + 5, ci + 9, 1, (r + 4) * (c + 9)),
        (
            "reversed rows",
            (r.max(1) - 1) * (c + 1),
            -(ci + 1),
            1,
            (c + 1) * r.max(1),
        ),
        ("reversed", n.saturating_sub(1), -ci.max(1), -1, n),
        ("strided", 0, 2 * ci + 1, 2, (2 * c + 1) * r + 1),
    ]
}

/// Packing is a copy: on every ISA, `pack_a` and `pack_b` write exactly the documented
/// panels (bit for bit) and nothing past them, for every layout of the source.
fn packing_is_exact<T: Scalar>() -> Result<(), Failed> {
    const DIMS: [usize; 17] = [0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 23, 24, 25, 47, 48, 49, 100];
    const PANEL: [usize; 7] = [4, 6, 8, 12, 16, 24, 48];
    const GUARD: usize = 64;
    let sentinel: T = bytemuck::pod_read_unaligned(&[0xA5; 8][..size_of::<T>()]);
    let same = |x: T, y: T| bytemuck::bytes_of(&x) == bytemuck::bytes_of(&y);
    for &m in &DIMS {
        for &k in &DIMS {
            for (name, off, rs, cs, len) in pack_layouts(m, k) {
                let data: Vec<T> = (0..len).map(pack_element).collect();
                let a = MatRef::from_slice_with_offset(&data, off, m, k, rs, cs)?;
                for &mr in &PANEL {
                    for as_b in [false, true] {
                        // As the A operand: panel r, depth p, slot i holds A(r·mr + i, p), zero
                        // past m. As a B operand (m × k): panel s, depth p, slot j holds
                        // B(p, s·mr + j), zero past k.
                        let (op, depth, width) = if as_b {
                            ("pack_b", m, k)
                        } else {
                            ("pack_a", k, m)
                        };
                        let want = |idx: usize| {
                            let (panel, p, slot) = (idx / (mr * depth), idx / mr % depth, idx % mr);
                            let line = panel * mr + slot;
                            match (line < width, as_b) {
                                (false, _) => T::zero(),
                                (true, false) => a.get(line, p),
                                (true, true) => a.get(p, line),
                            }
                        };
                        let n = if as_b {
                            packed_b_len(m, k, mr)
                        } else {
                            packed_a_len(m, k, mr)
                        };
                        let mut buf = vec![sentinel; n + GUARD];
                        // SAFETY: buf holds packed_{a,b}_len elements (and a guard band).
                        unsafe {
                            if as_b {
                                pack_b(a, mr, buf.as_mut_ptr())
                            } else {
                                pack_a(a, mr, buf.as_mut_ptr())
                            }
                        };
                        let what = || format!("{} {op} {name} m={m} k={k} panel={mr}", T::DTYPE);
                        if let Some(idx) = (0..n).find(|&idx| !same(buf[idx], want(idx))) {
                            return Err(format!(
                                "{}: element {idx} is {:?}, want {:?}",
                                what(),
                                buf[idx],
                                want(idx)
                            )
                            .into());
                        }
                        if buf[n..].iter().any(|&x| !same(x, sentinel)) {
                            return Err(format!("{}: wrote past the packed length", what()).into());
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// TRSM's register-blocked base case and the unblocked Cholesky leaf (potf2).

/// `op(T)·X = B` (Left) or `X·op(T) = B` (Right) for triangles up to two base cases deep and
/// right-hand-side counts either side of every column block (16, 32, 64), with `B` row- and
/// column-major (solved in place or through the row-major copy), a graded diagonal
/// (magnitudes 1 to 2⁻³⁰, 2⁻¹² for f32, and back) and both diagonal kinds. Each element of the residual
/// must be within `2·(n + 2)·ε·(|op(T)|·|X| + |B|)`, the componentwise bound of substitution.
fn trsm_leaf_blocks<T: Scalar>() -> Result<(), Failed> {
    use lapis_kernels::{Diag, Side, Uplo, trsm};
    let mut rng = Rng(0x005E_ED0F_7125);
    for n in [1, 2, 3, 7, 8, 9, 15, 16, 17, 40] {
        for m in [2, 7, 15, 16, 17, 31, 33, 64, 65, 130] {
            for (side, uplo, diag, row_major) in [
                (Side::Left, Uplo::Lower, Diag::NonUnit, true),
                (Side::Left, Uplo::Upper, Diag::Unit, true),
                (Side::Left, Uplo::Lower, Diag::Unit, false),
                (Side::Left, Uplo::Upper, Diag::NonUnit, false),
                (Side::Right, Uplo::Upper, Diag::NonUnit, false),
                (Side::Right, Uplo::Lower, Diag::Unit, false),
                (Side::Right, Uplo::Lower, Diag::NonUnit, true),
                (Side::Right, Uplo::Upper, Diag::Unit, true),
            ] {
                let tri: Vec<T> = (0..n * n)
                    .map(|idx| {
                        let (i, j) = (idx % n, idx / n);
                        if i == j {
                            // Steps of 2⁻⁵ (f64) or 2⁻² (f32): X grows by up to the inverse
                            // pivots along a path, which must stay inside f32's range.
                            let step = if T::EPS.to_f64() > 1e-10 { 2.0 } else { 5.0 };
                            let g = (i % 7) as f64 * step;
                            T::from_f64((1.5 + 0.5 * rng.next()) * (-g).exp2())
                        } else {
                            T::from_f64(rng.next() / n as f64)
                        }
                    })
                    .collect();
                let t = MatRef::from_col_major(&tri, n, n).unwrap();
                let (bm, bn) = if side == Side::Left { (n, m) } else { (m, n) };
                let b0: Vec<T> = rng.vec(bm * bn);
                let mut x = b0.clone();
                fn view<T: Scalar>(
                    d: &mut [T],
                    r: usize,
                    c: usize,
                    row_major: bool,
                ) -> MatMut<'_, T> {
                    if row_major {
                        MatMut::from_row_major(d, r, c).unwrap()
                    } else {
                        MatMut::from_col_major(d, r, c).unwrap()
                    }
                }
                trsm(
                    side,
                    uplo,
                    diag,
                    T::one(),
                    t,
                    view(&mut x, bm, bn, row_major),
                    Par::Seq,
                )
                .map_err(|e| e.to_string())?;
                let xv = view(&mut x, bm, bn, row_major).into_ref();
                let bv = if row_major {
                    MatRef::from_row_major(&b0, bm, bn).unwrap()
                } else {
                    MatRef::from_col_major(&b0, bm, bn).unwrap()
                };
                let t_at = |i: usize, j: usize| -> f64 {
                    let inside = match uplo {
                        Uplo::Lower => i >= j,
                        Uplo::Upper => i <= j,
                    };
                    match (i == j, inside) {
                        (true, _) if diag == Diag::Unit => 1.0,
                        (_, true) => t.get(i, j).to_f64(),
                        _ => 0.0,
                    }
                };
                for i in 0..bm {
                    for j in 0..bn {
                        let (mut r, mut scale) =
                            (-bv.get(i, j).to_f64(), bv.get(i, j).to_f64().abs());
                        for k in 0..n {
                            let p = match side {
                                Side::Left => t_at(i, k) * xv.get(k, j).to_f64(),
                                Side::Right => xv.get(i, k).to_f64() * t_at(k, j),
                            };
                            r += p;
                            scale += p.abs();
                        }
                        let bound = 2.0 * (n as f64 + 2.0) * T::EPS.to_f64() * scale;
                        let within = r.abs() <= bound; // false for NaN too
                        if !within {
                            return Err(format!(
                                "{} trsm n={n} m={m} {side:?} {uplo:?} {diag:?} row-major B {row_major}: residual ({i},{j}) = {r:e} > {bound:e}",
                                T::DTYPE
                            )
                            .into());
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// The vector lanes of the base case are independent right-hand sides: a NaN in one column
/// of `B` reaches exactly the rows of that column at and after it, a zero pivot gives ±∞/NaN
/// from its row on (BLAS), and a subnormal pivot is divided by, not inverted to ∞.
fn trsm_leaf_special_values<T: Scalar>() -> Result<(), Failed> {
    use lapis_kernels::{Diag, Side, Uplo, trsm};
    let (n, m) = (9, 37);
    let l: Vec<T> = (0..n * n)
        .map(|idx| T::from_f64(if idx % n == idx / n { 2.0 } else { 0.25 }))
        .collect();
    for (bad_row, bad_col) in [(0, 0), (4, 17), (8, 36)] {
        let mut b = vec![T::one(); n * m];
        b[bad_row * m + bad_col] = T::nan();
        let t = MatRef::from_col_major(&l, n, n).unwrap();
        let bm = MatMut::from_row_major(&mut b, n, m).unwrap();
        trsm(
            Side::Left,
            Uplo::Lower,
            Diag::NonUnit,
            T::one(),
            t,
            bm,
            Par::Seq,
        )
        .map_err(|e| e.to_string())?;
        for i in 0..n {
            for j in 0..m {
                let nan = b[i * m + j].is_nan();
                if nan != (j == bad_col && i >= bad_row) || !(nan || b[i * m + j].is_finite()) {
                    return Err(format!(
                        "{} NaN at ({bad_row},{bad_col}) gave X({i},{j}) = {:?}",
                        T::DTYPE,
                        b[i * m + j].to_f64()
                    )
                    .into());
                }
            }
        }
    }
    // A subnormal pivot at row 1 and a zero one at the last row of a diagonal triangle (a
    // zero pivot earlier would make the later rows 0·∞ = NaN).
    let mut d = l.clone();
    for i in 0..n {
        for k in 0..n {
            if i != k {
                d[i + k * n] = T::zero();
            }
        }
    }
    d[(n - 1) * (n + 1)] = T::zero();
    d[1 + n] = T::MIN_POSITIVE * T::from_f64(0.25);
    let mut b = vec![T::MIN_POSITIVE; n * m];
    let t = MatRef::from_col_major(&d, n, n).unwrap();
    trsm(
        Side::Left,
        Uplo::Lower,
        Diag::NonUnit,
        T::one(),
        t,
        MatMut::from_row_major(&mut b, n, m).unwrap(),
        Par::Seq,
    )
    .map_err(|e| e.to_string())?;
    for j in 0..m {
        let (x1, xl) = (b[m + j], b[(n - 1) * m + j]);
        if xl != T::infinity()
            || x1 != T::from_f64(4.0)
            || b[j] != T::MIN_POSITIVE * T::from_f64(0.5)
        {
            return Err(format!(
                "{} diagonal solve column {j}: x1 = {:?}, x_last = {:?}",
                T::DTYPE,
                x1.to_f64(),
                xl.to_f64()
            )
            .into());
        }
    }
    Ok(())
}

/// `potf2` on every order around its buffer sizes (8, 16, 32 and the heap path beyond), in
/// column-major, row-major and strided views, on `D·(M·Mᵀ + I)·D` with `D` graded over 2⁶⁰:
/// each element of `A − L·Lᵀ` must be within `2·(n + 1)·ε·(|L|·|Lᵀ|)` (Higham, Thm 10.3),
/// and the upper triangle must be left as it was.
fn potf2_backward_error<T: Scalar>() -> Result<(), Failed> {
    let mut rng = Rng(0xC401_E5C1);
    for n in (0..=34).chain([47]) {
        let mm: Vec<f64> = (0..n * n).map(|_| rng.next()).collect();
        let dscale = |i: usize| ((i % 5) as f64 * 15.0 - 30.0).exp2();
        let a: Vec<f64> = (0..n * n)
            .map(|idx| {
                let (i, j) = (idx % n, idx / n);
                let s: f64 = (0..n).map(|k| mm[i + k * n] * mm[j + k * n]).sum();
                (s + if i == j { 1.0 } else { 0.0 }) * dscale(i) * dscale(j)
            })
            .collect();
        for layout in 0..3 {
            let ld = n + 3;
            let (rs, cs, len) = match layout {
                0 => (1, n.max(1) as isize, n * n),
                1 => (n.max(1) as isize, 1, n * n),
                _ => (2, 2 * ld as isize, 2 * ld * n.max(1)),
            };
            let mut buf = vec![T::from_f64(-7.0); len];
            let mut v = MatMut::from_slice(&mut buf, n, n, rs, cs).unwrap();
            for j in 0..n {
                for i in 0..n {
                    v.write(i, j, T::from_f64(a[i + j * n]));
                }
            }
            let before = buf.clone();
            let info = lapis_kernels::potf2(MatMut::from_slice(&mut buf, n, n, rs, cs).unwrap())
                .map_err(|e| e.to_string())?;
            if info != 0 {
                return Err(format!("{} n={n} layout {layout}: info {info}", T::DTYPE).into());
            }
            let f = MatRef::from_slice(&buf, n, n, rs, cs).unwrap();
            let b = MatRef::from_slice(&before, n, n, rs, cs).unwrap();
            let l = |i: usize, j: usize| if i >= j { f.get(i, j).to_f64() } else { 0.0 };
            for j in 0..n {
                for i in 0..n {
                    if i < j {
                        if f.get(i, j).to_f64().to_bits() != b.get(i, j).to_f64().to_bits() {
                            return Err(
                                format!("{} n={n}: upper ({i},{j}) written", T::DTYPE).into()
                            );
                        }
                        continue;
                    }
                    let (mut r, mut scale) = (-b.get(i, j).to_f64(), 0.0);
                    for k in 0..=j {
                        r += l(i, k) * l(j, k);
                        scale += (l(i, k) * l(j, k)).abs();
                    }
                    let bound = 2.0 * (n as f64 + 1.0) * T::EPS.to_f64() * scale;
                    let within = r.abs() <= bound; // false for NaN too
                    if !within {
                        return Err(format!("{} potf2 n={n} layout {layout}: (A − LLᵀ)({i},{j}) = {r:e} > {bound:e}", T::DTYPE).into());
                    }
                }
            }
        }
    }
    Ok(())
}

/// The first leading minor that is not positive definite is the one reported, for a
/// negative, a zero and a NaN pivot and for a NaN off the diagonal, at every position
/// around the vector widths; a non-square view is a shape error.
fn potf2_reports_the_failing_minor<T: Scalar>() -> Result<(), Failed> {
    for n in [1, 2, 8, 9, 16, 17, 32, 33] {
        for k in [0, n / 2, n - 1] {
            // 2.0 stands for a NaN off the diagonal.
            for bad in [-1.0, 0.0, f64::NAN, 2.0] {
                // Identity plus a small coupling: positive definite until entry k is spoiled.
                let mut a: Vec<T> = (0..n * n)
                    .map(|idx| T::from_f64(if idx % n == idx / n { 1.0 } else { 0.01 }))
                    .collect();
                if bad == 2.0 {
                    // NaN below the diagonal in row k reaches pivot k, none before it.
                    if k == 0 {
                        continue;
                    }
                    a[k + (k - 1) * n] = T::nan();
                } else {
                    // A pivot a_kk − Σ l_kj² that is negative, zero or NaN.
                    a[k + k * n] = T::from_f64(bad);
                }
                let expect = k + 1;
                let info = lapis_kernels::potf2(MatMut::from_col_major(&mut a, n, n).unwrap())
                    .map_err(|e| e.to_string())?;
                if info != expect {
                    return Err(format!(
                        "{} n={n} bad {bad} at {k}: info {info}, expected {expect}",
                        T::DTYPE
                    )
                    .into());
                }
            }
        }
    }
    let mut a = vec![T::one(); 6];
    if lapis_kernels::potf2(MatMut::from_col_major(&mut a, 2, 3).unwrap()).is_ok() {
        return Err("a 2 × 3 view must be a shape error".into());
    }
    Ok(())
}

type Check = fn() -> Result<(), Failed>;

/// The finiteness scan (every factorization's `check_finite`) on every length up to a few
/// blocks and a long column, with one NaN or infinity at every position, and the extremes of
/// the finite range (largest, smallest normal and subnormal, both signs) accepted.
fn all_finite_finds_every_non_finite<T: Scalar>() -> Result<(), Failed> {
    let finite = [
        // The largest finite value of T (f32::MAX is exact in f64).
        T::from_f64(if core::mem::size_of::<T>() == 4 {
            f32::MAX as f64
        } else {
            f64::MAX
        }),
        -T::MIN_POSITIVE,
        T::MIN_POSITIVE / T::from_f64(8.0),
        T::zero(),
    ];
    for len in (0..=70).chain([1000, 1001]) {
        let base: Vec<T> = (0..len).map(|i| finite[i % finite.len()]).collect();
        let view = |v: &[T]| lapis_kernels::all_finite(MatRef::from_col_major(v, len, 1).unwrap());
        if !view(&base) {
            return Err(format!("{} len {len}: finite input rejected", T::DTYPE).into());
        }
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY].map(T::from_f64) {
            for pos in 0..len {
                let mut v = base.clone();
                v[pos] = bad;
                if view(&v) {
                    return Err(format!("{} len {len}: {bad:?} at {pos} missed", T::DTYPE).into());
                }
            }
        }
    }
    Ok(())
}

fn checks() -> Vec<(&'static str, Check)> {
    vec![
        ("gemm_f64_all_small_shapes", all_small_shapes::<f64>),
        ("gemm_f32_all_small_shapes", all_small_shapes::<f32>),
        (
            "gemm_f64_layouts_transposes_scalars",
            layouts_transposes_and_scalars::<f64>,
        ),
        (
            "gemm_f32_layouts_transposes_scalars",
            layouts_transposes_and_scalars::<f32>,
        ),
        ("gemm_f64_tiny_products", tiny_products::<f64>),
        ("gemm_f32_tiny_products", tiny_products::<f32>),
        (
            "gemm_f64_tiny_products_at_page_ends",
            tiny_products_at_page_ends::<f64>,
        ),
        (
            "gemm_f32_tiny_products_at_page_ends",
            tiny_products_at_page_ends::<f32>,
        ),
        ("gemm_f64_blocking_boundaries", blocking_boundaries::<f64>),
        (
            "gemm_f64_medium_unpacked_limits",
            medium_unpacked_limits::<f64>,
        ),
        (
            "gemm_f32_medium_unpacked_limits",
            medium_unpacked_limits::<f32>,
        ),
        ("gemm_f32_blocking_boundaries", blocking_boundaries::<f32>),
        ("gemm_f64_short_wide_deep", short_wide_deep::<f64>),
        ("gemm_f32_short_wide_deep", short_wide_deep::<f32>),
        (
            "gemm_f64_threaded_matches_sequential",
            threaded_matches_sequential::<f64>,
        ),
        (
            "gemm_f32_threaded_matches_sequential",
            threaded_matches_sequential::<f32>,
        ),
        ("gemm_f64_blas_special_values", blas_special_values::<f64>),
        ("gemm_f32_blas_special_values", blas_special_values::<f32>),
        ("gemm_f64_shape_errors", shape_errors::<f64>),
        ("gemm_f64_proptest", proptest_shapes_strides_scalars::<f64>),
        ("gemm_f32_proptest", proptest_shapes_strides_scalars::<f32>),
        ("pack_f64_is_exact", packing_is_exact::<f64>),
        ("pack_f32_is_exact", packing_is_exact::<f32>),
        (
            "gemv_f64_sizes_forms_scalars",
            gemv_sizes_forms_scalars::<f64>,
        ),
        (
            "gemv_f32_sizes_forms_scalars",
            gemv_sizes_forms_scalars::<f32>,
        ),
        ("gemv_f64_scaled_entries", gemv_scaled_entries::<f64>),
        ("gemv_f32_scaled_entries", gemv_scaled_entries::<f32>),
        ("gemv_f64_nan_inf_propagate", gemv_nan_inf_propagate::<f64>),
        ("gemv_f32_nan_inf_propagate", gemv_nan_inf_propagate::<f32>),
        ("gemv_f64_threaded", gemv_threaded::<f64>),
        ("gemv_f32_threaded", gemv_threaded::<f32>),
        ("trsm_leaf_f64_blocks", trsm_leaf_blocks::<f64>),
        ("trsm_leaf_f32_blocks", trsm_leaf_blocks::<f32>),
        (
            "trsm_leaf_f64_special_values",
            trsm_leaf_special_values::<f64>,
        ),
        (
            "trsm_leaf_f32_special_values",
            trsm_leaf_special_values::<f32>,
        ),
        ("potf2_f64_backward_error", potf2_backward_error::<f64>),
        ("potf2_f32_backward_error", potf2_backward_error::<f32>),
        (
            "potf2_f64_failing_minor",
            potf2_reports_the_failing_minor::<f64>,
        ),
        (
            "potf2_f32_failing_minor",
            potf2_reports_the_failing_minor::<f32>,
        ),
        (
            "finite_f64_finds_every_non_finite",
            all_finite_finds_every_non_finite::<f64>,
        ),
        (
            "finite_f32_finds_every_non_finite",
            all_finite_finds_every_non_finite::<f32>,
        ),
    ]
}

fn main() {
    let mut args = Arguments::from_args();
    // The ISA is process-wide: one trial at a time.
    args.test_threads = Some(1);
    // Under an emulator (`cargo xtask cross` sets LAPIS_TEST_RUNNER to the qemu command) only
    // the detected ISA runs: the emulated run is there for that CPU's own kernels, and the
    // lower paths are portable code the native run covers on every host.
    let emulated = std::env::var_os("LAPIS_TEST_RUNNER").is_some_and(|r| !r.is_empty());
    let runs = |isa: Isa| isa.is_supported() && (!emulated || isa == lapis_kernels::detected());
    let mut trials = Vec::new();
    for isa in Isa::ALL {
        for (name, check) in checks() {
            trials.push(
                Trial::test(format!("{isa}::{name}"), move || {
                    set_arch(isa).map_err(|e| Failed::from(e.to_string()))?;
                    check()
                })
                .with_ignored_flag(!runs(isa)),
            );
        }
    }
    let names = |run: bool| {
        Isa::ALL
            .iter()
            .filter(|&&i| runs(i) == run)
            .map(|i| i.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    eprintln!(
        "ISA paths on this CPU{}: running [{}]; skipped (reported as ignored) [{}]",
        if emulated {
            " (emulated: the detected one only)"
        } else {
            ""
        },
        names(true),
        names(false)
    );
    libtest_mimic::run(&args, trials).exit();
}
