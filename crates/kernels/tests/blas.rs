//! The kernels beside GEMM against naive references, on every ISA this CPU supports.
//!
//! `set_arch` is process-global and the harness runs tests on parallel threads, so every test
//! that switches ISA holds `LOCK`. Error bounds come from the standard rounding-error analysis
//! (Higham, *Accuracy and Stability of Numerical Algorithms*): a length-`k` inner product has
//! `|error| ≤ γ_k·Σ|a_i·b_i|`, `γ_k ≈ k·ε`; triangular solves are componentwise backward
//! stable, `|α·B − T·X̂| ≤ γ_n·|T|·|X̂|` (plus one rounding of `α·B`). A constant factor `C`
//! absorbs the second-order terms.

use std::sync::Mutex;

use lapis_kernels::{
    Diag, Isa, KernelError, MatMut, MatRef, Par, Scalar, Side, Sweep, Uplo, axpy, dot, gemv, ger,
    iamax, nrm2, reference, rot, rotg, scal, set_arch, symv, symv_sweep, symv_sweep_team, syrk,
    trmm, trsm, with_team,
};
use proptest::prelude::*;

static LOCK: Mutex<()> = Mutex::new(());

/// Safety factor over the first-order bounds.
const C: f64 = 2.0;

const SIZES: [usize; 14] = [0, 1, 2, 3, 7, 8, 9, 16, 17, 31, 33, 64, 65, 100];
const ALPHAS: [f64; 4] = [0.0, 1.0, -1.0, 0.3];

/// Runs `f` once per supported ISA, holding the lock, and restores the ISA afterwards.
/// Under an emulator (`cargo xtask cross` sets `LAPIS_TEST_RUNNER` to the qemu command) only
/// the detected ISA runs: the emulated run is there for that CPU's own kernels, and the lower
/// paths are portable code the native run covers on every host.
fn for_each_isa(name: &str, mut f: impl FnMut(Isa)) {
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let before = lapis_kernels::arch();
    let emulated = std::env::var_os("LAPIS_TEST_RUNNER").is_some_and(|r| !r.is_empty());
    let isas: Vec<Isa> = Isa::supported()
        .into_iter()
        .filter(|&isa| !emulated || isa == lapis_kernels::detected())
        .collect();
    for &isa in &isas {
        set_arch(isa).unwrap();
        f(isa);
    }
    set_arch(before).unwrap();
    eprintln!("{name}: ran on {isas:?}");
}

/// Deterministic xorshift generator.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// Uniform in [-1, 1).
    fn uni(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    }
}

/// A matrix stored with a chosen layout inside a padded buffer.
#[derive(Clone)]
struct Store<T> {
    data: Vec<T>,
    off: usize,
    m: usize,
    n: usize,
    rs: isize,
    cs: isize,
}

/// Layout kinds: 0 column-major, 1 row-major, 2 strided column-major (odd padding),
/// 3 column-major with reversed rows, 4 row-major with reversed columns, 5 strided row-major.
const LAYOUTS: usize = 6;

impl<T: Scalar> Store<T> {
    fn new(m: usize, n: usize, kind: usize, mut fill: impl FnMut(usize, usize) -> f64) -> Self {
        let (mm, nn) = (m.max(1) as isize, n.max(1) as isize);
        let (rs, cs) = match kind % LAYOUTS {
            0 => (1, mm),
            1 => (nn, 1),
            2 => (2, 2 * mm + 3),
            3 => (-1, mm),
            4 => (nn, -1),
            _ => (3 * nn + 1, 3),
        };
        let span = |len: usize, s: isize| (len.max(1) as isize - 1) * s;
        let (lo, hi) = (
            span(m, rs).min(0) + span(n, cs).min(0),
            span(m, rs).max(0) + span(n, cs).max(0),
        );
        let len = (hi - lo + 1) as usize + 5;
        // Padding holds a sentinel so that writes outside the view are detected.
        let mut s = Store {
            data: vec![T::from_f64(-777.0); len],
            off: (-lo) as usize + 2,
            m,
            n,
            rs,
            cs,
        };
        for j in 0..n {
            for i in 0..m {
                let k = s.idx(i, j);
                s.data[k] = T::from_f64(fill(i, j));
            }
        }
        s
    }
    fn idx(&self, i: usize, j: usize) -> usize {
        (self.off as isize + i as isize * self.rs + j as isize * self.cs) as usize
    }
    fn r(&self) -> MatRef<'_, T> {
        MatRef::from_slice_with_offset(&self.data, self.off, self.m, self.n, self.rs, self.cs)
            .unwrap()
    }
    fn w(&mut self) -> MatMut<'_, T> {
        MatMut::from_slice_with_offset(&mut self.data, self.off, self.m, self.n, self.rs, self.cs)
            .unwrap()
    }
    fn at(&self, i: usize, j: usize) -> f64 {
        self.data[self.idx(i, j)].to_f64()
    }
    /// Whether every buffer element outside the view is unchanged from `orig`.
    fn padding_intact(&self, orig: &Store<T>) -> bool {
        let mut inside = vec![false; self.data.len()];
        for j in 0..self.n {
            for i in 0..self.m {
                inside[self.idx(i, j)] = true;
            }
        }
        self.data
            .iter()
            .zip(&orig.data)
            .zip(&inside)
            .all(|((a, b), &ins)| {
                ins || Scalar::to_f64(*a).to_bits() == Scalar::to_f64(*b).to_bits()
            })
    }
}

fn random<T: Scalar>(m: usize, n: usize, kind: usize, rng: &mut Rng) -> Store<T> {
    Store::new(m, n, kind, |_, _| rng.uni())
}

fn eps<T: Scalar>() -> f64 {
    T::EPS.to_f64()
}

/// Asserts `|got − want| ≤ bound` with a readable message.
fn check(what: &str, got: f64, want: f64, bound: f64) {
    assert!(
        (got - want).abs() <= bound || (got.is_nan() && want.is_nan()),
        "{what}: got {got:e}, want {want:e}, |diff| {:e} > bound {bound:e}",
        (got - want).abs()
    );
}

// ---------------------------------------------------------------------------------------------
// TRSM / TRMM

/// A triangular test matrix: random off-diagonal scaled by 1/n (well conditioned), diagonal of
/// magnitude in [1, 2] with random sign, and NaN in everything the kernel must not read.
fn tri_matrix<T: Scalar>(n: usize, uplo: Uplo, diag: Diag, kind: usize, rng: &mut Rng) -> Store<T> {
    Store::new(n, n, kind, |i, j| {
        let r = rng.uni();
        if i == j {
            if diag == Diag::Unit {
                f64::NAN
            } else {
                (1.5 + 0.5 * r).copysign(r)
            }
        } else if (uplo == Uplo::Lower) == (i > j) {
            r / n.max(1) as f64
        } else {
            f64::NAN
        }
    })
}

fn tri_el<T: Scalar>(t: &Store<T>, uplo: Uplo, diag: Diag, i: usize, j: usize) -> f64 {
    if i == j {
        if diag == Diag::Unit { 1.0 } else { t.at(i, i) }
    } else if (uplo == Uplo::Lower) == (i > j) {
        t.at(i, j)
    } else {
        0.0
    }
}

/// `op(T)(i, j)` for the view the kernel sees (transposed or not).
fn op_el<T: Scalar>(t: &Store<T>, trans: bool, uplo: Uplo, diag: Diag, i: usize, j: usize) -> f64 {
    if trans {
        tri_el(t, uplo, diag, j, i)
    } else {
        tri_el(t, uplo, diag, i, j)
    }
}

fn all_sdu() -> Vec<(Side, Uplo, Diag)> {
    let mut v = Vec::new();
    for side in [Side::Left, Side::Right] {
        for uplo in [Uplo::Lower, Uplo::Upper] {
            for diag in [Diag::NonUnit, Diag::Unit] {
                v.push((side, uplo, diag));
            }
        }
    }
    v
}

/// Solves with every side/uplo/diag and checks the componentwise residual.
fn trsm_case<T: Scalar>(n: usize, other: usize, counter: &mut usize, rng: &mut Rng, par: Par) {
    for (side, uplo, diag) in all_sdu() {
        for trans in [false, true] {
            *counter += 1;
            let c = *counter;
            let alpha = ALPHAS[c % 4];
            let t = tri_matrix::<T>(n, uplo, diag, c % LAYOUTS, rng);
            // The kernel sees op(T) = T or Tᵀ (then with the opposite uplo).
            let (tv, kuplo) = if trans {
                (t.r().transpose(), uplo.flip())
            } else {
                (t.r(), uplo)
            };
            let (bm, bn) = if side == Side::Left {
                (n, other)
            } else {
                (other, n)
            };
            let b0 = random::<T>(bm, bn, c / 2 % LAYOUTS, rng);
            let mut b = b0.clone();
            trsm(side, kuplo, diag, T::from_f64(alpha), tv, b.w(), par).unwrap();
            assert!(b.padding_intact(&b0), "trsm wrote outside B");
            // Residual R = op(T)·X − α·B (Left) or X·op(T) − α·B (Right), elementwise bound.
            let u = eps::<T>();
            for i in 0..bm {
                for j in 0..bn {
                    let (mut s, mut scale) = (0.0, 0.0);
                    for k in 0..n {
                        let (tv, xv) = match side {
                            Side::Left => (op_el(&t, trans, uplo, diag, i, k), b.at(k, j)),
                            Side::Right => (op_el(&t, trans, uplo, diag, k, j), b.at(i, k)),
                        };
                        s += tv * xv;
                        scale += (tv * xv).abs();
                    }
                    let rhs = alpha * T::from_f64(b0.at(i, j)).to_f64();
                    let bound = C * (n as f64 + 2.0) * u * (scale + rhs.abs()) + f64::MIN_POSITIVE;
                    check(
                        &format!(
                            "trsm {} n={n} other={other} {side:?} {uplo:?} {diag:?} trans={trans} α={alpha} ({i},{j})",
                            T::DTYPE
                        ),
                        s,
                        rhs,
                        bound,
                    );
                }
            }
        }
    }
}

#[test]
fn trsm_matches_residual_bound() {
    for_each_isa("trsm", |_| {
        let mut rng = Rng(0x9e3779b97f4a7c15);
        let mut counter = 0;
        for &n in &SIZES {
            let other = [0, 1, 5, 13][n % 4].max(if n > 30 { 3 } else { 0 });
            trsm_case::<f64>(n, other, &mut counter, &mut rng, Par::Seq);
            trsm_case::<f32>(n, other + 1, &mut counter, &mut rng, Par::Seq);
        }
    });
}

#[test]
fn trsm_large_crosses_gemm_blocking() {
    for_each_isa("trsm large", |_| {
        let mut rng = Rng(77);
        let mut counter = 3;
        trsm_case::<f64>(300, 37, &mut counter, &mut rng, Par::Rayon(2));
        trsm_case::<f32>(290, 9, &mut counter, &mut rng, Par::Seq);
    });
}

/// One right-hand side takes the substitution sweep along the triangle's unit stride (or
/// the strided loop): every layout of `T` (the counter cycles through them) and both sides.
#[test]
fn trsm_single_right_hand_side() {
    for_each_isa("trsm one column", |_| {
        let mut rng = Rng(4242);
        let mut counter = 0;
        for n in [1, 2, 17, 64, 150] {
            for _ in 0..LAYOUTS {
                trsm_case::<f64>(n, 1, &mut counter, &mut rng, Par::Seq);
                trsm_case::<f32>(n + 3, 1, &mut counter, &mut rng, Par::Seq);
            }
        }
    });
}

fn trmm_case<T: Scalar>(n: usize, other: usize, counter: &mut usize, rng: &mut Rng, par: Par) {
    for (side, uplo, diag) in all_sdu() {
        for trans in [false, true] {
            *counter += 1;
            let c = *counter;
            let alpha = ALPHAS[c % 4];
            let t = tri_matrix::<T>(n, uplo, diag, c % LAYOUTS, rng);
            let (tv, kuplo) = if trans {
                (t.r().transpose(), uplo.flip())
            } else {
                (t.r(), uplo)
            };
            let (bm, bn) = if side == Side::Left {
                (n, other)
            } else {
                (other, n)
            };
            let b0 = random::<T>(bm, bn, c / 2 % LAYOUTS, rng);
            let mut b = b0.clone();
            trmm(side, kuplo, diag, T::from_f64(alpha), tv, b.w(), par).unwrap();
            assert!(b.padding_intact(&b0), "trmm wrote outside B");
            let u = eps::<T>();
            for i in 0..bm {
                for j in 0..bn {
                    let (mut s, mut scale) = (0.0, 0.0);
                    for k in 0..n {
                        let (tv, bv) = match side {
                            Side::Left => (op_el(&t, trans, uplo, diag, i, k), b0.at(k, j)),
                            Side::Right => (op_el(&t, trans, uplo, diag, k, j), b0.at(i, k)),
                        };
                        s += tv * bv;
                        scale += (tv * bv).abs();
                    }
                    let want = alpha * s;
                    let bound = C * (n as f64 + 2.0) * u * alpha.abs() * scale + f64::MIN_POSITIVE;
                    check(
                        &format!(
                            "trmm {} n={n} {side:?} {uplo:?} {diag:?} trans={trans} α={alpha} ({i},{j})",
                            T::DTYPE
                        ),
                        b.at(i, j),
                        want,
                        bound,
                    );
                }
            }
        }
    }
}

#[test]
fn trmm_matches_reference() {
    for_each_isa("trmm", |_| {
        let mut rng = Rng(12345);
        let mut counter = 0;
        for &n in &SIZES {
            let other = [0, 1, 5, 13][n % 4].max(if n > 30 { 3 } else { 0 });
            trmm_case::<f64>(n, other, &mut counter, &mut rng, Par::Seq);
            trmm_case::<f32>(n, other + 2, &mut counter, &mut rng, Par::Seq);
        }
        trmm_case::<f64>(300, 11, &mut counter, &mut rng, Par::Rayon(2));
    });
}

#[test]
fn trsm_trmm_reference_agree() {
    // The naive references themselves round-trip (guards the oracle).
    let mut rng = Rng(5);
    for (side, uplo, diag) in all_sdu() {
        let t = tri_matrix::<f64>(9, uplo, diag, 0, &mut rng);
        let b0 = random::<f64>(9, 9, 1, &mut rng);
        let mut b = b0.clone();
        reference::trmm(side, uplo, diag, 1.0, t.r(), b.w());
        reference::trsm(side, uplo, diag, 1.0, t.r(), b.w());
        for i in 0..9 {
            for j in 0..9 {
                check("reference round trip", b.at(i, j), b0.at(i, j), 1e-12);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// SYRK

fn syrk_case<T: Scalar>(n: usize, k: usize, counter: &mut usize, rng: &mut Rng, par: Par) {
    for uplo in [Uplo::Lower, Uplo::Upper] {
        for trans in [false, true] {
            *counter += 1;
            let c = *counter;
            let (alpha, beta) = (ALPHAS[c % 4], ALPHAS[(c / 4 + 1) % 4]);
            let a = if trans {
                random::<T>(k, n, c % LAYOUTS, rng)
            } else {
                random::<T>(n, k, c % LAYOUTS, rng)
            };
            let av = if trans { a.r().transpose() } else { a.r() };
            let c0 = Store::<T>::new(n, n, (c + 1) % LAYOUTS, |i, j| {
                if (uplo == Uplo::Lower) == (i >= j) || i == j {
                    rng.uni()
                } else {
                    f64::NAN
                }
            });
            let mut cm = c0.clone();
            syrk(uplo, T::from_f64(alpha), av, T::from_f64(beta), cm.w(), par).unwrap();
            assert!(cm.padding_intact(&c0), "syrk wrote outside C");
            let mut cref = c0.clone();
            reference::syrk(uplo, T::from_f64(alpha), av, T::from_f64(beta), cref.w());
            let u = eps::<T>();
            for j in 0..n {
                for i in 0..n {
                    let inside = if uplo == Uplo::Lower { i >= j } else { i <= j };
                    if !inside {
                        assert!(cm.at(i, j).is_nan(), "syrk touched the other triangle");
                        continue;
                    }
                    let mut scale = 0.0;
                    for p in 0..k {
                        scale += (av.get(i, p).to_f64() * av.get(j, p).to_f64()).abs();
                    }
                    let want = cref.at(i, j);
                    let bound = C
                        * (k as f64 + 2.0)
                        * u
                        * (alpha.abs() * scale + (beta * c0.at(i, j)).abs())
                        + u * want.abs()
                        + f64::MIN_POSITIVE;
                    check(
                        &format!(
                            "syrk {} n={n} k={k} {uplo:?} trans={trans} α={alpha} β={beta} ({i},{j})",
                            T::DTYPE
                        ),
                        cm.at(i, j),
                        want,
                        bound,
                    );
                }
            }
        }
    }
}

#[test]
fn syrk_matches_reference() {
    for_each_isa("syrk", |_| {
        let mut rng = Rng(4242);
        let mut counter = 0;
        for &n in &SIZES {
            let k = [0, 1, 7, 33][n % 4];
            syrk_case::<f64>(n, k, &mut counter, &mut rng, Par::Seq);
            syrk_case::<f32>(n, k + 3, &mut counter, &mut rng, Par::Seq);
        }
        syrk_case::<f64>(300, 40, &mut counter, &mut rng, Par::Rayon(2));
        syrk_case::<f32>(257, 300, &mut counter, &mut rng, Par::Seq);
        // Past every cache block of the packed loop nest (KC ≤ 1024, MC ≥ MR): several depth
        // blocks (β applied on the first only), several row blocks, edge tiles on both sides.
        syrk_case::<f64>(401, 1100, &mut counter, &mut rng, Par::Seq);
        syrk_case::<f32>(389, 1100, &mut counter, &mut rng, Par::Rayon(3));
    });
}

// ---------------------------------------------------------------------------------------------
// GEMV / GER

fn gemv_case<T: Scalar>(m: usize, n: usize, c: usize, rng: &mut Rng, par: Par) {
    let (alpha, beta) = (ALPHAS[c % 4], ALPHAS[(c / 4) % 4]);
    let a = random::<T>(m, n, c % LAYOUTS, rng);
    // x as a column or a row view, any layout kind.
    let x = if c.is_multiple_of(2) {
        random::<T>(n, 1, c / 3, rng)
    } else {
        random::<T>(1, n, c / 3, rng)
    };
    let y0 = if c.is_multiple_of(3) {
        Store::<T>::new(1, m, c / 5, |_, _| rng.uni())
    } else {
        // β = 0 must ignore NaN in y.
        let nan = beta == 0.0;
        Store::<T>::new(
            m,
            1,
            c / 5 + 2,
            |_, _| if nan { f64::NAN } else { rng.uni() },
        )
    };
    let mut y = y0.clone();
    gemv(
        T::from_f64(alpha),
        a.r(),
        x.r(),
        T::from_f64(beta),
        y.w(),
        par,
    )
    .unwrap();
    assert!(y.padding_intact(&y0), "gemv wrote outside y");
    let mut yr = y0.clone();
    reference::gemv(T::from_f64(alpha), a.r(), x.r(), T::from_f64(beta), yr.w());
    let u = eps::<T>();
    let xv = |j: usize| if x.m == 1 { x.at(0, j) } else { x.at(j, 0) };
    let yv = |s: &Store<T>, i: usize| if s.m == 1 { s.at(0, i) } else { s.at(i, 0) };
    for i in 0..m {
        let scale: f64 = (0..n).map(|j| (a.at(i, j) * xv(j)).abs()).sum();
        let old = if beta == 0.0 {
            0.0
        } else {
            (beta * yv(&y0, i)).abs()
        };
        let want = yv(&yr, i);
        let bound = C * (n as f64 + 2.0) * u * (alpha.abs() * scale + old)
            + u * want.abs()
            + f64::MIN_POSITIVE;
        check(
            &format!("gemv {} {m}x{n} case {c} row {i}", T::DTYPE),
            yv(&y, i),
            want,
            bound,
        );
    }
}

#[test]
fn gemv_matches_reference() {
    for_each_isa("gemv", |_| {
        let mut rng = Rng(99);
        let mut c = 0;
        for &m in &SIZES {
            for &n in &[0usize, 1, 3, 8, 17, 33, 100] {
                for _ in 0..2 {
                    c += 1;
                    gemv_case::<f64>(m, n, c, &mut rng, Par::Seq);
                    gemv_case::<f32>(n, m, c + 7, &mut rng, Par::Seq);
                }
            }
        }
        // Large enough to split across tasks; both layouts.
        gemv_case::<f64>(2000, 300, 0, &mut rng, Par::Rayon(2));
        gemv_case::<f64>(2000, 300, 1, &mut rng, Par::Rayon(2));
        gemv_case::<f32>(1100, 1500, 6, &mut rng, Par::Rayon(2));
    });
}

fn ger_case<T: Scalar>(m: usize, n: usize, c: usize, rng: &mut Rng) {
    let alpha = ALPHAS[c % 4];
    let a0 = random::<T>(m, n, c % LAYOUTS, rng);
    let x = if c.is_multiple_of(2) {
        random::<T>(m, 1, c / 3, rng)
    } else {
        random::<T>(1, m, c / 3, rng)
    };
    let y = if c.is_multiple_of(3) {
        random::<T>(n, 1, c / 5, rng)
    } else {
        random::<T>(1, n, c / 5 + 1, rng)
    };
    let mut a = a0.clone();
    ger(T::from_f64(alpha), x.r(), y.r(), a.w()).unwrap();
    assert!(a.padding_intact(&a0), "ger wrote outside A");
    let mut ar = a0.clone();
    reference::ger(T::from_f64(alpha), x.r(), y.r(), ar.w());
    let u = eps::<T>();
    let xv = |i: usize| if x.m == 1 { x.at(0, i) } else { x.at(i, 0) };
    let yv = |j: usize| if y.m == 1 { y.at(0, j) } else { y.at(j, 0) };
    for j in 0..n {
        for i in 0..m {
            let bound = C * 3.0 * u * (a0.at(i, j).abs() + (alpha * xv(i) * yv(j)).abs())
                + f64::MIN_POSITIVE;
            check(
                &format!("ger {} {m}x{n} case {c} ({i},{j})", T::DTYPE),
                a.at(i, j),
                ar.at(i, j),
                bound,
            );
        }
    }
}

#[test]
fn ger_matches_reference() {
    for_each_isa("ger", |_| {
        let mut rng = Rng(7);
        let mut c = 0;
        for &m in &SIZES {
            for &n in &[0usize, 1, 2, 9, 31, 65] {
                c += 1;
                ger_case::<f64>(m, n, c, &mut rng);
                ger_case::<f32>(n, m, c + 1, &mut rng);
            }
        }
    });
}

// ---------------------------------------------------------------------------------------------
// Level 1

/// A vector store of length n with layout kind: column/row, stride 1, 3, −1, −2.
fn vector<T: Scalar>(n: usize, kind: usize, rng: &mut Rng) -> Store<T> {
    let mut s = if kind.is_multiple_of(2) {
        random::<T>(n, 1, 0, rng)
    } else {
        random::<T>(1, n, 1, rng)
    };
    let stride: isize = [1, 3, -1, -2][(kind / 2) % 4];
    // Re-lay the same values out with the stride.
    let vals: Vec<f64> = (0..n)
        .map(|i| if s.m == 1 { s.at(0, i) } else { s.at(i, 0) })
        .collect();
    let len = n * stride.unsigned_abs() + 4;
    let off = if stride < 0 {
        (n.max(1) - 1) * stride.unsigned_abs() + 2
    } else {
        2
    };
    let mut data = vec![T::from_f64(-777.0); len];
    for (i, v) in vals.iter().enumerate() {
        data[(off as isize + i as isize * stride) as usize] = T::from_f64(*v);
    }
    let (rs, cs) = if s.m == 1 { (1, stride) } else { (stride, 1) };
    s.data = data;
    s.off = off;
    s.rs = rs;
    s.cs = cs;
    s
}

fn vat<T: Scalar>(s: &Store<T>, i: usize) -> f64 {
    if s.m == 1 { s.at(0, i) } else { s.at(i, 0) }
}

#[test]
fn level1_matches_reference() {
    for_each_isa("level1", |_| {
        let mut rng = Rng(31337);
        let mut c = 0;
        for &n in SIZES.iter().chain(&[257usize, 1000]) {
            for kx in 0..8 {
                c += 1;
                let ky = (kx * 3 + c) % 8;
                level1_case::<f64>(n, kx, ky, c, &mut rng);
                level1_case::<f32>(n, ky, kx, c + 1, &mut rng);
            }
        }
    });
}

fn level1_case<T: Scalar>(n: usize, kx: usize, ky: usize, c: usize, rng: &mut Rng) {
    let u = eps::<T>();
    let x = vector::<T>(n, kx, rng);
    let y0 = vector::<T>(n, ky, rng);
    let tag = format!("{} n={n} kinds ({kx},{ky})", T::DTYPE);
    // dot
    let d = dot(x.r(), y0.r()).unwrap().to_f64();
    let scale: f64 = (0..n).map(|i| (vat(&x, i) * vat(&y0, i)).abs()).sum();
    let want = reference::dot(x.r(), y0.r()).to_f64();
    check(
        &format!("dot {tag}"),
        d,
        want,
        C * (n as f64 + 1.0) * u * scale + u * want.abs(),
    );
    // axpy
    let alpha = ALPHAS[c % 4];
    let mut y = y0.clone();
    axpy(T::from_f64(alpha), x.r(), y.w()).unwrap();
    assert!(y.padding_intact(&y0), "axpy wrote outside y");
    let mut yr = y0.clone();
    reference::axpy(T::from_f64(alpha), x.r(), yr.w());
    for i in 0..n {
        let bound = C * 2.0 * u * (vat(&y0, i).abs() + (alpha * vat(&x, i)).abs());
        check(
            &format!("axpy {tag} α={alpha} [{i}]"),
            vat(&y, i),
            vat(&yr, i),
            bound,
        );
    }
    // scal: one rounding per element, so exact against T's own product.
    let mut s = x.clone();
    scal(T::from_f64(alpha), s.w());
    assert!(s.padding_intact(&x), "scal wrote outside x");
    for i in 0..n {
        // α = 0 writes +0 (not 0·x, which would keep NaN and the sign of x).
        let want = if alpha == 0.0 {
            0.0
        } else {
            (T::from_f64(alpha) * T::from_f64(vat(&x, i))).to_f64()
        };
        assert_eq!(
            vat(&s, i).to_bits(),
            want.to_bits(),
            "scal {tag} α={alpha} [{i}]"
        );
    }
    // nrm2
    let nr = nrm2(x.r()).to_f64();
    let want = reference::nrm2(x.r()).to_f64();
    check(
        &format!("nrm2 {tag}"),
        nr,
        want,
        C * (n as f64 + 2.0) * u * want,
    );
    // iamax
    assert_eq!(iamax(x.r()), reference::iamax(x.r()), "iamax {tag}");
    // rot
    let (cs, sn) = (0.6, 0.8);
    let (mut rx, mut ry) = (x.clone(), y0.clone());
    rot(rx.w(), ry.w(), T::from_f64(cs), T::from_f64(sn)).unwrap();
    for i in 0..n {
        let (a, b) = (vat(&x, i), vat(&y0, i));
        let bound = C * 2.0 * u * (a.abs() + b.abs());
        check(
            &format!("rot x {tag} [{i}]"),
            vat(&rx, i),
            cs * a + sn * b,
            bound,
        );
        check(
            &format!("rot y {tag} [{i}]"),
            vat(&ry, i),
            cs * b - sn * a,
            bound,
        );
    }
}

#[test]
fn scal_zero_writes_zeros_and_matrices() {
    for_each_isa("scal", |_| {
        let mut x = Store::<f64>::new(5, 1, 0, |_, _| f64::NAN);
        scal(0.0, x.w());
        assert!((0..5).all(|i| x.at(i, 0) == 0.0));
        // A whole matrix view, strided.
        let mut rng = Rng(3);
        let m0 = random::<f32>(7, 9, 2, &mut rng);
        let mut m = m0.clone();
        scal(2.0, m.w());
        for j in 0..9 {
            for i in 0..7 {
                assert_eq!(m.at(i, j), 2.0 * m0.at(i, j));
            }
        }
        assert!(m.padding_intact(&m0));
    });
}

#[test]
fn nrm2_is_overflow_and_underflow_safe() {
    for_each_isa("nrm2 extremes", |_| {
        let v = |d: &[f64]| nrm2(MatRef::from_col_major(d, d.len(), 1).unwrap());
        let rel = |got: f64, want: f64| ((got - want) / want).abs() <= 8.0 * f64::EPSILON;
        assert!(rel(v(&[1e300, 1e300]), 2f64.sqrt() * 1e300));
        assert!(rel(v(&[3e300, -4e300]), 5e300));
        assert!(rel(v(&[1e-300; 50]), 50f64.sqrt() * 1e-300));
        assert!(
            rel(v(&[3e-320, 4e-320]), 5e-320) || (v(&[3e-320, 4e-320]) - 5e-320).abs() < 1e-322
        );
        assert!(rel(v(&[1e300, 1e-300, 1.0]), 1e300));
        assert!(rel(
            v(&[1e-300, 1e-310, 3e-300, 4e-300]),
            (26f64).sqrt() * 1e-300
        ));
        assert!(
            rel(
                v(&[f64::MAX, f64::MAX / 2.0]),
                f64::MAX.hypot(f64::MAX / 2.0)
            ) || v(&[f64::MAX, f64::MAX / 2.0]).is_infinite()
        );
        assert!(rel(v(&[f64::MAX / 4.0; 3]), (f64::MAX / 4.0) * 3f64.sqrt()));
        assert_eq!(v(&[]), 0.0);
        assert_eq!(v(&[0.0, -0.0]), 0.0);
        assert!(v(&[1.0, f64::NAN, 1e300]).is_nan());
        assert!(v(&[0.0, f64::NAN]).is_nan());
        assert_eq!(v(&[1.0, f64::INFINITY, 2.0]), f64::INFINITY);
        assert_eq!(v(&[f64::NEG_INFINITY]), f64::INFINITY);
        assert!(v(&[f64::INFINITY, f64::NAN]).is_nan());
        assert!(v(&[f64::NAN, f64::INFINITY]).is_nan());
        // Long vectors take the SIMD paths.
        // Long vectors take the SIMD paths; the sum of n squares carries up to n·ε.
        let rel_n =
            |got: f64, want: f64, n: f64| ((got - want) / want).abs() <= C * n * f64::EPSILON;
        let long = vec![1e300; 1000];
        assert!(rel_n(v(&long), 1e300 * 1000f64.sqrt(), 1000.0));
        let long = vec![-1e-300; 1001];
        assert!(rel_n(v(&long), 1e-300 * 1001f64.sqrt(), 1001.0));
        // f32: squares are summed in f64.
        let w = |d: &[f32]| nrm2(MatRef::from_col_major(d, d.len(), 1).unwrap());
        // Relative to ε, or one subnormal spacing (2^-149) for results below f32's normal range.
        let relf = |got: f32, want: f64| {
            (got as f64 - want).abs() <= 4.0 * f32::EPSILON as f64 * want + f64::powi(2.0, -149)
        };
        assert!(relf(w(&[1e30, 1e30]), 2f64.sqrt() * 1e30));
        assert!(
            relf(w(&[f32::MAX, f32::MAX]), 2f64.sqrt() * f32::MAX as f64)
                || w(&[f32::MAX, f32::MAX]).is_infinite()
        );
        assert!(relf(
            w(&[f32::MAX / 2.0, f32::MAX / 2.0]),
            2f64.sqrt() * (f32::MAX / 2.0) as f64
        ));
        assert!(relf(w(&[1e-30; 40]), 40f64.sqrt() * 1e-30));
        assert!(relf(w(&[1e-40, 1e-40]), 2f64.sqrt() * 1e-40f32 as f64));
        let got = w(&vec![1e20; 999]) as f64;
        assert!(((got - 999f64.sqrt() * 1e20f32 as f64) / got).abs() <= 2.0 * f32::EPSILON as f64);
        assert!(w(&[1.0, f32::NAN]).is_nan());
        assert_eq!(w(&[1.0, f32::INFINITY]), f32::INFINITY);
        assert!(w(&[f32::INFINITY, f32::NAN]).is_nan());
    });
}

#[test]
fn iamax_follows_reference_blas() {
    let v = |d: &[f64]| iamax(MatRef::from_col_major(d, d.len(), 1).unwrap());
    assert_eq!(v(&[]), None);
    assert_eq!(v(&[1.0, -3.0, 3.0, 2.0]), Some(1));
    assert_eq!(v(&[f64::NAN, 1.0, 5.0]), Some(0));
    assert_eq!(v(&[1.0, f64::NAN, 5.0]), Some(2));
    assert_eq!(v(&[1.0, f64::INFINITY, f64::NEG_INFINITY]), Some(1));
    // Row vectors and reversed strides index by vector position.
    let d = [1.0, 9.0, 2.0];
    assert_eq!(iamax(MatRef::from_row_major(&d, 1, 3).unwrap()), Some(1));
    assert_eq!(
        iamax(MatRef::from_col_major(&d, 3, 1).unwrap().reverse_rows()),
        Some(1)
    );
    let d = [1.0, 2.0, 9.0];
    assert_eq!(
        iamax(MatRef::from_col_major(&d, 3, 1).unwrap().reverse_rows()),
        Some(0)
    );
}

#[test]
fn iamax_of_long_vectors_keeps_the_first_of_ties_and_skips_nan() {
    // The contiguous path searches lanes of 8 and then chunks: the maximum, its ties and the
    // NaN are placed in every lane, across chunk boundaries and in the tail.
    for n in [1usize, 7, 8, 9, 15, 16, 17, 31, 64, 100] {
        let base: Vec<f64> = (0..n)
            .map(|i| ((i * 37 % 11) as f64 - 5.0) * 0.125)
            .collect();
        let check = |d: &[f64], tag: &str| {
            let x = MatRef::from_col_major(d, n, 1).unwrap();
            assert_eq!(iamax(x), reference::iamax(x), "{tag} n={n} {d:?}");
            let d32: Vec<f32> = d.iter().map(|&v| v as f32).collect();
            let x32 = MatRef::from_col_major(&d32, n, 1).unwrap();
            assert_eq!(iamax(x32), reference::iamax(x32), "f32 {tag} n={n}");
        };
        check(&base, "plain");
        check(&vec![0.0; n], "zeros");
        check(&vec![-0.0; n], "negative zeros");
        for p in 0..n {
            for q in p..n {
                let mut d = base.clone();
                d[p] = -9.0;
                d[q] = 9.0;
                check(&d, "tie");
                d[q] = f64::INFINITY;
                check(&d, "inf");
                let mut d = base.clone();
                d[p] = f64::NAN;
                d[q] = -9.0;
                check(&d, "nan before max");
                d[q] = f64::NAN;
                check(&d, "nans");
            }
        }
    }
}

#[test]
fn rotg_is_safe_and_consistent() {
    let cases: [(f64, f64); 12] = [
        (3.0, 4.0),
        (-3.0, 4.0),
        (1e300, 1e300),
        (-1e300, 3e299),
        (1e-300, 1e-310),
        (5e-324, 5e-324),
        (1.0, 1e-200),
        (1e-200, 1.0),
        (0.0, -2.0),
        (2.0, 0.0),
        (0.0, 0.0),
        (f64::MAX / 2.0, -f64::MAX / 2.0),
    ];
    for (a, b) in cases {
        let (c, s, r) = rotg(a, b);
        assert!(
            c.is_finite() && s.is_finite() && r.is_finite(),
            "rotg({a}, {b}) = {c}, {s}, {r}"
        );
        assert!(
            (c * c + s * s - 1.0).abs() <= 4.0 * f64::EPSILON,
            "rotg({a}, {b}): c²+s² ≠ 1"
        );
        assert!(c >= 0.0);
        let rr = r.abs().max(f64::MIN_POSITIVE);
        // [c s; −s c]·[a; b] = [r; 0], scaled to avoid overflow in the check.
        let (a2, b2, r2) = (a / rr, b / rr, r / rr);
        assert!(
            (c * a2 + s * b2 - r2).abs() <= 8.0 * f64::EPSILON,
            "rotg({a}, {b}): first row"
        );
        assert!(
            (-s * a2 + c * b2).abs() <= 8.0 * f64::EPSILON,
            "rotg({a}, {b}): second row"
        );
        if a != 0.0 {
            assert_eq!(r.signum(), a.signum());
        }
    }
    assert_eq!(rotg(-3.0, 4.0), (0.6, -0.8, -5.0));
    assert_eq!(rotg(0.0, -2.0), (0.0, -1.0, 2.0));
    let (c, s, r) = rotg(f64::NAN, 1.0);
    assert!(c.is_nan() || s.is_nan() || r.is_nan());
    let (c, s, r) = rotg(3.0f32, 4.0f32);
    assert!((c - 0.6).abs() < 1e-7 && (s - 0.8).abs() < 1e-7 && (r - 5.0).abs() < 1e-6);
}

// ---------------------------------------------------------------------------------------------
// Shape errors

#[test]
fn shape_errors_name_every_operand() {
    let d = [0.0f64; 16];
    let mut e = [0.0f64; 16];
    let m = |r, c| MatRef::from_col_major(&d[..r * c], r, c).unwrap();
    let names = |err: KernelError| match err {
        KernelError::Shape { op, shapes } => (op, shapes),
    };
    let (op, shapes) = names(
        trsm(
            Side::Left,
            Uplo::Lower,
            Diag::Unit,
            1.0,
            m(2, 3),
            MatMut::from_col_major(&mut e, 2, 2).unwrap(),
            Par::Seq,
        )
        .unwrap_err(),
    );
    assert_eq!((op, shapes), ("trsm", vec![("t", (2, 3)), ("b", (2, 2))]));
    let (op, shapes) = names(
        trmm(
            Side::Right,
            Uplo::Lower,
            Diag::Unit,
            1.0,
            m(3, 3),
            MatMut::from_col_major(&mut e, 3, 2).unwrap(),
            Par::Seq,
        )
        .unwrap_err(),
    );
    assert_eq!((op, shapes), ("trmm", vec![("t", (3, 3)), ("b", (3, 2))]));
    let (op, shapes) = names(
        syrk(
            Uplo::Upper,
            1.0,
            m(3, 2),
            0.0,
            MatMut::from_col_major(&mut e, 2, 2).unwrap(),
            Par::Seq,
        )
        .unwrap_err(),
    );
    assert_eq!((op, shapes), ("syrk", vec![("a", (3, 2)), ("c", (2, 2))]));
    let (op, shapes) = names(
        gemv(
            1.0,
            m(2, 3),
            m(2, 1),
            0.0,
            MatMut::from_col_major(&mut e, 2, 1).unwrap(),
            Par::Seq,
        )
        .unwrap_err(),
    );
    assert_eq!(
        (op, shapes),
        ("gemv", vec![("a", (2, 3)), ("x", (2, 1)), ("y", (2, 1))])
    );
    let (op, shapes) = names(
        gemv(
            1.0,
            m(2, 3),
            m(3, 2),
            0.0,
            MatMut::from_col_major(&mut e, 2, 1).unwrap(),
            Par::Seq,
        )
        .unwrap_err(),
    );
    assert_eq!(
        (op, shapes),
        ("gemv", vec![("a", (2, 3)), ("x", (3, 2)), ("y", (2, 1))])
    );
    let (op, shapes) = names(
        ger(
            1.0,
            m(2, 1),
            m(1, 4),
            MatMut::from_col_major(&mut e, 2, 3).unwrap(),
        )
        .unwrap_err(),
    );
    assert_eq!(
        (op, shapes),
        ("ger", vec![("x", (2, 1)), ("y", (1, 4)), ("a", (2, 3))])
    );
    let (op, shapes) = names(dot(m(3, 1), m(1, 2)).unwrap_err());
    assert_eq!((op, shapes), ("dot", vec![("x", (3, 1)), ("y", (1, 2))]));
    let (op, _) = names(dot(m(2, 2), m(2, 2)).unwrap_err());
    assert_eq!(op, "dot");
    let (op, shapes) =
        names(axpy(1.0, m(3, 1), MatMut::from_col_major(&mut e, 4, 1).unwrap()).unwrap_err());
    assert_eq!((op, shapes), ("axpy", vec![("x", (3, 1)), ("y", (4, 1))]));
    let mut f = [0.0f64; 4];
    let (op, shapes) = names(
        rot(
            MatMut::from_col_major(&mut e, 3, 1).unwrap(),
            MatMut::from_col_major(&mut f, 1, 4).unwrap(),
            1.0,
            0.0,
        )
        .unwrap_err(),
    );
    assert_eq!((op, shapes), ("rot", vec![("x", (3, 1)), ("y", (1, 4))]));
}

// ---------------------------------------------------------------------------------------------
// Property tests: random shapes and strides (moderate case counts).

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn prop_gemv(m in 0usize..70, n in 0usize..70, c in 0usize..1000, seed in 1u64..u64::MAX) {
        let mut rng = Rng(seed);
        let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
        gemv_case::<f64>(m, n, c, &mut rng, Par::Seq);
        gemv_case::<f32>(m, n, c + 1, &mut rng, Par::Seq);
    }

    #[test]
    fn prop_trsm(n in 0usize..80, other in 0usize..20, c in 0usize..1000, seed in 1u64..u64::MAX) {
        let mut rng = Rng(seed);
        let mut counter = c;
        let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
        trsm_case::<f64>(n, other, &mut counter, &mut rng, Par::Seq);
    }

    #[test]
    fn prop_level1(n in 0usize..300, kx in 0usize..8, ky in 0usize..8, c in 0usize..1000, seed in 1u64..u64::MAX) {
        let mut rng = Rng(seed);
        let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
        level1_case::<f64>(n, kx, ky, c, &mut rng);
        level1_case::<f32>(n, ky, kx, c, &mut rng);
    }
}

/// Timing smoke test (not a benchmark): `cargo test --release --test blas -- --ignored`.
#[test]
#[ignore]
fn perf_smoke() {
    use std::time::Instant;
    let n = 1000;
    let mut rng = Rng(1);
    let a = random::<f64>(n, n, 0, &mut rng);
    let t = tri_matrix::<f64>(n, Uplo::Lower, Diag::NonUnit, 0, &mut rng);
    let mut c = random::<f64>(n, n, 0, &mut rng);
    let time = |f: &mut dyn FnMut()| {
        let s = Instant::now();
        f();
        s.elapsed().as_secs_f64()
    };
    let g = time(&mut || lapis_kernels::gemm(1.0, a.r(), a.r(), 0.0, c.w(), Par::Seq).unwrap());
    let mut b = a.clone();
    let ts = time(&mut || {
        trsm(
            Side::Left,
            Uplo::Lower,
            Diag::NonUnit,
            1.0,
            t.r(),
            b.w(),
            Par::Seq,
        )
        .unwrap()
    });
    let mut b = a.clone();
    let tr = time(&mut || {
        trsm(
            Side::Right,
            Uplo::Lower,
            Diag::NonUnit,
            1.0,
            t.r(),
            b.w(),
            Par::Seq,
        )
        .unwrap()
    });
    let sy = time(&mut || syrk(Uplo::Lower, 1.0, a.r(), 0.0, c.w(), Par::Seq).unwrap());
    let x = random::<f64>(n, 1, 0, &mut rng);
    let mut y = random::<f64>(n, 1, 0, &mut rng);
    let gv = time(&mut || {
        for _ in 0..100 {
            gemv(1.0, a.r(), x.r(), 1.0, y.w(), Par::Seq).unwrap();
        }
    }) / 100.0;
    let gvt = time(&mut || {
        for _ in 0..100 {
            gemv(1.0, a.r().transpose(), x.r(), 1.0, y.w(), Par::Seq).unwrap();
        }
    }) / 100.0;
    let gf = |flops: f64, s: f64| flops / s / 1e9;
    let nf = n as f64;
    eprintln!(
        "n={n} GFLOP/s: gemm {:.1}, trsm L {:.1}, trsm R {:.1}, syrk {:.1}, gemv col-major {:.1}, gemv row-major {:.1}",
        gf(2.0 * nf * nf * nf, g),
        gf(nf * nf * nf, ts),
        gf(nf * nf * nf, tr),
        gf(nf * nf * nf, sy),
        gf(2.0 * nf * nf, gv),
        gf(2.0 * nf * nf, gvt)
    );
}

// ---------------------------------------------------------------------------------------------
// Batched inverses of tiny matrices

/// `getf2` (first largest pivot, reciprocal multipliers unless the pivot is subnormal, no
/// fused multiply–add) and one substitution per identity column, one matrix at a time: the
/// lane-parallel kernel must reproduce it bit for bit.
fn inv_tiny_reference<T: Scalar>(a: &mut [T], n: usize) -> Result<Vec<T>, usize> {
    let mut ipiv = vec![0; n];
    let mut first_zero = None;
    for k in 0..n {
        let mut p = k;
        for r in k + 1..n {
            if a[r * n + k].abs() > a[p * n + k].abs() {
                p = r;
            }
        }
        ipiv[k] = p;
        for c in 0..n {
            a.swap(k * n + c, p * n + c);
        }
        let pivot = a[k * n + k];
        if pivot == T::zero() {
            first_zero = first_zero.or(Some(k));
            continue;
        }
        let recip = T::one() / pivot;
        for r in k + 1..n {
            let l = if pivot.abs() >= T::MIN_POSITIVE {
                a[r * n + k] * recip
            } else {
                a[r * n + k] / pivot
            };
            a[r * n + k] = l;
            for c in k + 1..n {
                let t = l * a[k * n + c];
                a[r * n + c] -= t;
            }
        }
    }
    if let Some(k) = first_zero {
        return Err(k);
    }
    let mut inv = vec![T::zero(); n * n];
    for col in 0..n {
        let mut x = vec![T::zero(); n];
        x[col] = T::one();
        for (k, &p) in ipiv.iter().enumerate() {
            x.swap(k, p);
        }
        for r in 0..n {
            for c in 0..r {
                let t = a[r * n + c] * x[c];
                x[r] -= t;
            }
        }
        for r in (0..n).rev() {
            for c in r + 1..n {
                let t = a[r * n + c] * x[c];
                x[r] -= t;
            }
            x[r] /= a[r * n + r];
        }
        for r in 0..n {
            inv[r * n + col] = x[r];
        }
    }
    Ok(inv)
}

/// A stack of `count` random `n × n` matrices stored with strides `(rs, cs)` (possibly
/// negative) inside a padded buffer, `gap` elements apart; returns (data, offsets).
fn tiny_stack<T: Scalar>(
    count: usize,
    n: usize,
    (rs, cs): (isize, isize),
    rng: &mut Rng,
    mut entry: impl FnMut(usize, usize, usize, &mut Rng) -> f64,
) -> (Vec<T>, Vec<usize>) {
    let span = (n as isize - 1) * (rs.abs() + cs.abs()) + 1;
    let gap = span as usize + 3;
    let mut data = vec![T::nan(); count * gap + 5];
    let mut offsets = Vec::new();
    for i in 0..count {
        let base = 2 + i * gap;
        let o = base as isize - (n as isize - 1) * (rs.min(0) + cs.min(0));
        offsets.push(o as usize);
        for r in 0..n {
            for c in 0..n {
                let k = o + r as isize * rs + c as isize * cs;
                data[k as usize] = T::from_f64(entry(i, r, c, rng));
            }
        }
    }
    (data, offsets)
}

fn read_tiny<T: Scalar>(data: &[T], o: usize, n: usize, (rs, cs): (isize, isize)) -> Vec<T> {
    let mut a = Vec::new();
    for r in 0..n {
        for c in 0..n {
            a.push(data[(o as isize + r as isize * rs + c as isize * cs) as usize]);
        }
    }
    a
}

fn inv_tiny_matches_reference<T: Scalar>() {
    use lapis_kernels::tiny::inv_tiny;
    let mut rng = Rng(0x5eed_7171);
    for n in 1..=lapis_kernels::tiny::TINY_MAX_N {
        let layouts = [
            (n as isize, 1),
            (1, n as isize),
            (-(n as isize), 1),
            (2, -2 * n as isize - 1),
        ];
        for strides in layouts {
            // Sizes around every group width (2, 4, 8, 16 lanes) and a long stack.
            for count in [0, 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 33, 1000] {
                let (data, offsets) =
                    tiny_stack::<T>(count, n, strides, &mut rng, |_, r, c, rng| {
                        rng.uni() + if r == c { 0.1 } else { 0.0 }
                    });
                let mut out = vec![T::nan(); count * n * n];
                let got = inv_tiny(&data, &offsets, n, strides.0, strides.1, &mut out).unwrap();
                assert_eq!(got, None, "n {n} count {count} strides {strides:?}");
                for (i, &o) in offsets.iter().enumerate() {
                    let mut a = read_tiny(&data, o, n, strides);
                    let want = inv_tiny_reference(&mut a, n).unwrap();
                    let have = &out[i * n * n..(i + 1) * n * n];
                    let same = want
                        .iter()
                        .zip(have)
                        .all(|(w, h)| Scalar::to_f64(*w).to_bits() == Scalar::to_f64(*h).to_bits());
                    assert!(same, "n {n} matrix {i}: {have:?} != reference {want:?}");
                }
            }
        }
    }
}

/// Well-conditioned inputs: `‖A·X − I‖_max ≤ C·n·ε·‖A‖·‖X‖` (inverse by LU, Higham §14.3).
fn inv_tiny_residual<T: Scalar>() {
    use lapis_kernels::tiny::inv_tiny;
    let mut rng = Rng(0xabc);
    for n in 1..=lapis_kernels::tiny::TINY_MAX_N {
        let count = 257;
        let (data, offsets) =
            tiny_stack::<T>(count, n, (n as isize, 1), &mut rng, |_, r, c, rng| {
                rng.uni() + if r == c { 2.0 } else { 0.0 }
            });
        let mut out = vec![T::zero(); count * n * n];
        assert_eq!(
            inv_tiny(&data, &offsets, n, n as isize, 1, &mut out),
            Ok(None)
        );
        for (i, &o) in offsets.iter().enumerate() {
            let a = read_tiny(&data, o, n, (n as isize, 1));
            let x = &out[i * n * n..];
            let norm = |m: &[T]| {
                m[..n * n]
                    .iter()
                    .map(|v| Scalar::to_f64(v.abs()))
                    .fold(0.0, f64::max)
            };
            for r in 0..n {
                for c in 0..n {
                    let s: f64 = (0..n)
                        .map(|p| Scalar::to_f64(a[r * n + p]) * Scalar::to_f64(x[p * n + c]))
                        .sum();
                    let want = if r == c { 1.0 } else { 0.0 };
                    let bound = C * 4.0 * n as f64 * eps::<T>() * n as f64 * norm(&a) * norm(x);
                    check("A·inv(A) − I", s, want, bound);
                }
            }
        }
    }
}

/// The first failing matrix in stack order is reported, whichever lane of whichever group it
/// sits in: non-finite before singular inside one matrix, the zero pivot's index as LAPACK.
fn inv_tiny_failures<T: Scalar>() {
    use lapis_kernels::tiny::{TinyFailure, inv_tiny};
    let mut rng = Rng(0xfa11);
    for n in 1..=lapis_kernels::tiny::TINY_MAX_N {
        for bad in [0, 1, 7, 8, 9, 30] {
            for kind in 0..3 {
                let count = 31;
                let (data, offsets) =
                    tiny_stack::<T>(count, n, (n as isize, 1), &mut rng, |i, r, c, rng| {
                        match (i == bad, kind) {
                            // A zero last row: elimination keeps it exactly zero.
                            (true, 0) if r == n - 1 => 0.0,
                            (true, 1) if r == n - 1 && c == 0 => f64::NAN,
                            (true, 2) if r == 0 && c == n - 1 => f64::NEG_INFINITY,
                            _ => rng.uni() + if r == c { 3.0 } else { 0.0 },
                        }
                    });
                // A later singular matrix must not hide the first failure.
                let mut data = data;
                if bad + 1 < count {
                    for r in 0..n {
                        for c in 0..n {
                            data[offsets[bad + 1] + r * n + c] = T::zero();
                        }
                    }
                }
                let mut out = vec![T::zero(); count * n * n];
                let got = inv_tiny(&data, &offsets, n, n as isize, 1, &mut out).unwrap();
                let want = match kind {
                    0 => TinyFailure::Singular {
                        matrix: bad,
                        index: n - 1,
                    },
                    _ => TinyFailure::NonFinite { matrix: bad },
                };
                assert_eq!(got, Some(want), "n {n} bad {bad} kind {kind}");
                let mut a = read_tiny(&data, offsets[bad], n, (n as isize, 1));
                if kind == 0 {
                    assert_eq!(inv_tiny_reference(&mut a, n), Err(n - 1));
                }
            }
        }
    }
}

#[test]
fn inv_tiny_bitwise_as_getf2_every_isa() {
    for_each_isa("inv_tiny", |_| {
        inv_tiny_matches_reference::<f64>();
        inv_tiny_matches_reference::<f32>();
        inv_tiny_residual::<f64>();
        inv_tiny_residual::<f32>();
        inv_tiny_failures::<f64>();
        inv_tiny_failures::<f32>();
    });
}

#[test]
fn inv_tiny_rejects_bad_shapes() {
    use lapis_kernels::tiny::inv_tiny;
    let data = [1.0f64; 16];
    let mut out = [0.0; 16];
    let shape = |r: Result<_, KernelError>| matches!(r, Err(KernelError::Shape { .. }));
    assert!(shape(inv_tiny(&data, &[0], 9, 9, 1, &mut out)));
    assert!(shape(inv_tiny(&data, &[0], 0, 1, 1, &mut out)));
    assert!(shape(inv_tiny(&data, &[0], 4, 4, 1, &mut out[..15])));
    assert!(shape(inv_tiny(&data, &[1], 4, 4, 1, &mut out)));
    assert!(shape(inv_tiny(&data, &[0], 4, -4, 1, &mut out)));
    assert!(shape(inv_tiny(&data, &[13], 4, -4, 1, &mut out)));
    assert_eq!(
        inv_tiny(&data, &[12], 4, -4, 1, &mut out).map(|_| ()),
        Ok(())
    );
    assert!(shape(inv_tiny(
        &data,
        &[0],
        2,
        isize::MAX,
        1,
        &mut out[..4]
    )));
    assert_eq!(
        inv_tiny(&data, &[12], 2, -4, 1, &mut out[..4]).map(|_| ()),
        Ok(())
    );
}

// ---------------------------------------------------------------------------------------------
// SYMV

/// `y ← α·A·x + β·y` with NaN in the triangle the kernel must not read, against the naive
/// product over the symmetric matrix built from the read triangle; first-order bound
/// `(n + 2)·ε·(|α|·Σ|a_ij·x_j| + |β·y_i|)`.
fn symv_case<T: Scalar>(n: usize, c: usize, par: Par, rng: &mut Rng) {
    symv_case_by::<T>(n, c, par, false, rng)
}

/// [`symv_case`] through a spinning team of `par.degree()` threads (`symv_sweep_team`) when
/// `team`.
fn symv_case_by<T: Scalar>(n: usize, c: usize, par: Par, team: bool, rng: &mut Rng) {
    let (alpha, beta) = (ALPHAS[(c + 1) % 4], ALPHAS[(c / 4) % 4]);
    let uplo = if c.is_multiple_of(2) {
        Uplo::Lower
    } else {
        Uplo::Upper
    };
    let vals: Vec<f64> = (0..n * n).map(|_| rng.uni()).collect();
    let sym = |i: usize, j: usize| vals[i.max(j) * n + i.min(j)];
    let read = |i: usize, j: usize| match uplo {
        Uplo::Lower => i >= j,
        Uplo::Upper => i <= j,
    };
    let a = Store::<T>::new(n, n, c % LAYOUTS, |i, j| {
        if read(i, j) { sym(i, j) } else { f64::NAN }
    });
    let x = vector::<T>(n, c / 3, rng);
    let mut y0 = vector::<T>(n, c / 5 + 1, rng);
    if beta == 0.0 {
        // β = 0 must ignore NaN in y.
        for i in 0..n {
            let k = if y0.m == 1 {
                y0.idx(0, i)
            } else {
                y0.idx(i, 0)
            };
            y0.data[k] = T::from_f64(f64::NAN);
        }
    }
    let mut y = y0.clone();
    // symv, and symv_sweep in both orders (always symv_sweep when threads are allowed).
    let sweep = if par.is_parallel() || team {
        Some([Sweep::Forward, Sweep::Backward][(c / 2) % 2])
    } else {
        [None, Some(Sweep::Forward), Some(Sweep::Backward)][(c / 2) % 3]
    };
    let (al, be) = (T::from_f64(alpha), T::from_f64(beta));
    match sweep {
        None => symv(uplo, al, a.r(), x.r(), be, y.w()),
        Some(s) if team => with_team(par, |t| {
            symv_sweep_team(uplo, al, a.r(), x.r(), be, y.w(), s, t)
        }),
        Some(s) => symv_sweep(uplo, al, a.r(), x.r(), be, y.w(), s, par),
    }
    .unwrap();
    assert!(y.padding_intact(&y0), "symv wrote outside y");
    let u = eps::<T>();
    for i in 0..n {
        let exact: f64 = (0..n).map(|j| sym(i, j) * vat(&x, j)).sum();
        let scale: f64 = (0..n).map(|j| (sym(i, j) * vat(&x, j)).abs()).sum();
        let old = if beta == 0.0 { 0.0 } else { beta * vat(&y0, i) };
        let want = alpha * exact + old;
        let bound = C * (n as f64 + 2.0) * u * (alpha.abs() * scale + old.abs())
            + u * want.abs()
            + f64::MIN_POSITIVE;
        check(
            &format!(
                "symv {} {uplo:?} {sweep:?} {par:?} team {team} n={n} case {c} row {i}",
                T::DTYPE
            ),
            vat(&y, i),
            want,
            bound,
        );
    }
}

#[test]
fn symv_matches_reference() {
    for_each_isa("symv", |_| {
        let mut rng = Rng(1234);
        let mut c = 0;
        for &n in &SIZES {
            for _ in 0..6 {
                c += 1;
                symv_case::<f64>(n, c, Par::Seq, &mut rng);
                symv_case::<f32>(n, c + 3, Par::Seq, &mut rng);
            }
        }
        symv_case::<f64>(300, 0, Par::Seq, &mut rng);
        symv_case::<f32>(301, 1, Par::Seq, &mut rng);
        // Orders from 1200 split the column blocks across threads (2 and 3 ranges), for
        // every layout and both sweeps and triangles.
        for c in 0..8 {
            let par = Par::Rayon(2 + c % 2);
            symv_case::<f64>(1200 + c, c, par, &mut rng);
            symv_case::<f32>(1203 + c, c + 1, par, &mut rng);
        }
        // A spinning team splits from order 256 (2 and 3 ranges).
        for c in 0..8 {
            let par = Par::Rayon(2 + c % 2);
            symv_case_by::<f64>(256 + c, c, par, true, &mut rng);
            symv_case_by::<f32>(259 + c, c + 1, par, true, &mut rng);
        }
    });
}

#[test]
fn symv_rejects_bad_shapes() {
    let (a, x) = (vec![0.0f64; 6], vec![0.0f64; 3]);
    let mut y = vec![0.0f64; 3];
    let e = symv(
        Uplo::Lower,
        1.0,
        MatRef::from_col_major(&a, 3, 2).unwrap(),
        MatRef::from_col_major(&x, 3, 1).unwrap(),
        0.0,
        MatMut::from_col_major(&mut y, 3, 1).unwrap(),
    );
    assert!(e.is_err());
    let a = vec![0.0f64; 9];
    let e = symv(
        Uplo::Lower,
        1.0,
        MatRef::from_col_major(&a, 3, 3).unwrap(),
        MatRef::from_col_major(&x[..2], 2, 1).unwrap(),
        0.0,
        MatMut::from_col_major(&mut y, 3, 1).unwrap(),
    );
    assert!(e.is_err());
}

/// A subnormal diagonal must divide (its reciprocal overflows): `T·x = b` with
/// `T = diag(1e-310, 3, 1e-300)` plus `T[1, 0] = 1`, `b` chosen so `x = [1, 1, 1]`.
#[test]
fn trsm_subnormal_diagonal_divides() {
    for_each_isa("trsm subnormal diagonal", |_| {
        // Column-major lower triangular, NaN above the diagonal (never read).
        let t = [
            1e-310,
            1.0,
            0.0,
            f64::NAN,
            3.0,
            0.0,
            f64::NAN,
            f64::NAN,
            1e-300,
        ];
        for m in [1usize, 5, 40] {
            // Every column of B is [1e-310, 1 + 3, 1e-300].
            let mut b: Vec<f64> = (0..m).flat_map(|_| [1e-310, 4.0, 1e-300]).collect();
            trsm(
                Side::Left,
                Uplo::Lower,
                Diag::NonUnit,
                1.0,
                MatRef::from_col_major(&t, 3, 3).unwrap(),
                MatMut::from_col_major(&mut b, 3, m).unwrap(),
                Par::Seq,
            )
            .unwrap();
            for j in 0..m {
                assert_eq!(b[3 * j], 1.0, "x0 column {j}");
                assert!((b[3 * j + 1] - 1.0).abs() < 4.0 * f64::EPSILON);
                assert!((b[3 * j + 2] - 1.0).abs() < 4.0 * f64::EPSILON);
            }
        }
    });
}

// ---------------------------------------------------------------------------------------------
// SYR2

/// `A ← A + α·(x·yᵀ + y·xᵀ)` on one triangle, with NaN in the other triangle (which must be
/// neither read nor written), against the exact update; each element is two products and two
/// additions: `|error| ≤ 3·ε·(|a_ij| + |α|·(|x_i·y_j| + |y_i·x_j|))`.
fn syr2_case<T: Scalar>(n: usize, c: usize, rng: &mut Rng) {
    let alpha = ALPHAS[(c + 1) % 4];
    let uplo = if c.is_multiple_of(2) {
        Uplo::Lower
    } else {
        Uplo::Upper
    };
    let inside = |i: usize, j: usize| match uplo {
        Uplo::Lower => i >= j,
        Uplo::Upper => i <= j,
    };
    let vals: Vec<f64> = (0..n * n).map(|_| rng.uni()).collect();
    let a0 = Store::<T>::new(n, n, c % LAYOUTS, |i, j| {
        if inside(i, j) {
            vals[i * n + j]
        } else {
            f64::NAN
        }
    });
    let x = vector::<T>(n, c / 3, rng);
    let y = vector::<T>(n, c / 5 + 1, rng);
    let mut a = a0.clone();
    lapis_kernels::syr2(uplo, T::from_f64(alpha), x.r(), y.r(), a.w()).unwrap();
    assert!(a.padding_intact(&a0), "syr2 wrote outside A");
    let u = eps::<T>();
    for j in 0..n {
        for i in 0..n {
            let tag = format!("syr2 {} {uplo:?} n={n} case {c} ({i},{j})", T::DTYPE);
            if !inside(i, j) {
                assert!(a.at(i, j).is_nan(), "{tag}: the other triangle was written");
                continue;
            }
            let (xi, xj, yi, yj) = (vat(&x, i), vat(&x, j), vat(&y, i), vat(&y, j));
            let want = a0.at(i, j) + alpha * (xi * yj + yi * xj);
            let bound = C
                * 3.0
                * u
                * (a0.at(i, j).abs() + alpha.abs() * ((xi * yj).abs() + (yi * xj).abs()))
                + f64::MIN_POSITIVE;
            check(&tag, a.at(i, j), want, bound);
        }
    }
}

#[test]
fn syr2_matches_reference() {
    for_each_isa("syr2", |_| {
        let mut rng = Rng(4321);
        let mut c = 0;
        for &n in &SIZES {
            for _ in 0..6 {
                c += 1;
                syr2_case::<f64>(n, c, &mut rng);
                syr2_case::<f32>(n, c + 3, &mut rng);
            }
        }
    });
}

#[test]
fn syr2_rejects_bad_shapes() {
    let (x, y) = (vec![0.0f64; 3], vec![0.0f64; 2]);
    let mut a = vec![0.0f64; 9];
    let e = lapis_kernels::syr2(
        Uplo::Lower,
        1.0,
        MatRef::from_col_major(&x, 3, 1).unwrap(),
        MatRef::from_col_major(&y, 2, 1).unwrap(),
        MatMut::from_col_major(&mut a, 3, 3).unwrap(),
    );
    match e {
        Err(KernelError::Shape { op, shapes }) => {
            assert_eq!(op, "syr2");
            assert_eq!(shapes.len(), 3);
        }
        other => panic!("expected a shape error, got {other:?}"),
    }
}
