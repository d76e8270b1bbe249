//! The shared catalogue of hard matrices and the f64 reference arithmetic the factorization
//! tests check identities with.
//!
//! Matrices are generated in `f64` (column-major `Vec<f64>`), stored in the element type
//! under test with one of several layouts ([`Layout`]), and every check recomputes its
//! identity in `f64` from the stored elements, so the check itself adds no error at `f32`
//! precision and at most `O(n·ε)` of its own at `f64`, which the derived bounds allow for.

#![allow(dead_code)]

use std::sync::{Mutex, MutexGuard};

use lapis_factor::kernels::{Isa, MatMut, MatRef, Scalar, set_arch};

// ---------------------------------------------------------------------------------------------
// Every ISA path
// ---------------------------------------------------------------------------------------------

/// `set_arch` is process-global: tests that depend on the active ISA take this lock.
static ISA_LOCK: Mutex<()> = Mutex::new(());

/// Whether the tests run under an emulator (`cargo xtask cross` sets `LAPIS_TEST_RUNNER` to
/// the qemu command): the heaviest size sweeps then keep one size of each regime, and
/// [`for_each_isa`] runs the detected ISA only, since the emulated run is there for the NEON
/// kernels, not for the algorithms' large-n behaviour or the portable scalar path, which the
/// native run covers.
#[allow(dead_code)]
pub fn emulated() -> bool {
    std::env::var_os("LAPIS_TEST_RUNNER").is_some_and(|r| !r.is_empty())
}

/// Holds the ISA lock (poison-tolerant: one failed test must not hide the others' results).
pub fn isa_lock() -> MutexGuard<'static, ()> {
    ISA_LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs `f` once per ISA this CPU supports, with the kernels dispatched to it, and restores
/// the previous choice. Prints the paths that ran. Under an emulator only the detected ISA
/// runs: the lower paths are portable code the native run covers on every host.
pub fn for_each_isa(test: &str, mut f: impl FnMut(Isa)) {
    let _guard = isa_lock();
    let before = lapis_factor::kernels::arch();
    let mut ran = Vec::new();
    for isa in Isa::supported() {
        if emulated() && isa != lapis_factor::kernels::detected() {
            continue;
        }
        set_arch(isa).expect("supported ISA");
        f(isa);
        ran.push(isa.name());
    }
    set_arch(before).expect("restore ISA");
    eprintln!("{test}: ran on ISA paths {ran:?}");
}

// ---------------------------------------------------------------------------------------------
// Random numbers (xorshift64*), no dependency
// ---------------------------------------------------------------------------------------------

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in [-1, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    }
    pub fn vec(&mut self, len: usize) -> Vec<f64> {
        (0..len).map(|_| self.uniform()).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Dense f64 matrices (column-major) and the catalogue
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub struct Dense {
    pub m: usize,
    pub n: usize,
    pub data: Vec<f64>,
}

impl Dense {
    pub fn zeros(m: usize, n: usize) -> Self {
        Dense {
            m,
            n,
            data: vec![0.0; m * n],
        }
    }
    pub fn from_fn(m: usize, n: usize, mut f: impl FnMut(usize, usize) -> f64) -> Self {
        let mut d = Dense::zeros(m, n);
        for j in 0..n {
            for i in 0..m {
                d.data[i + j * m] = f(i, j);
            }
        }
        d
    }
    pub fn identity(n: usize) -> Self {
        Dense::from_fn(n, n, |i, j| if i == j { 1.0 } else { 0.0 })
    }
    pub fn random(m: usize, n: usize, seed: u64) -> Self {
        let mut r = Rng::new(seed);
        Dense {
            m,
            n,
            data: r.vec(m * n),
        }
    }
    #[inline]
    pub fn at(&self, i: usize, j: usize) -> f64 {
        self.data[i + j * self.m]
    }
    #[inline]
    pub fn set(&mut self, i: usize, j: usize, v: f64) {
        self.data[i + j * self.m] = v;
    }
    pub fn t(&self) -> Dense {
        Dense::from_fn(self.n, self.m, |i, j| self.at(j, i))
    }
    pub fn scaled(&self, s: f64) -> Dense {
        Dense {
            data: self.data.iter().map(|x| x * s).collect(),
            ..self.clone()
        }
    }
    /// `self · other`, plain triple loop in f64.
    pub fn matmul(&self, b: &Dense) -> Dense {
        assert_eq!(self.n, b.m);
        let mut c = Dense::zeros(self.m, b.n);
        for j in 0..b.n {
            for k in 0..self.n {
                let bkj = b.at(k, j);
                if bkj == 0.0 {
                    continue;
                }
                let col = &self.data[k * self.m..(k + 1) * self.m];
                let out = &mut c.data[j * self.m..(j + 1) * self.m];
                for (o, a) in out.iter_mut().zip(col) {
                    *o += a * bkj;
                }
            }
        }
        c
    }
    pub fn abs(&self) -> Dense {
        Dense {
            data: self.data.iter().map(|x| x.abs()).collect(),
            ..self.clone()
        }
    }
    pub fn sub(&self, b: &Dense) -> Dense {
        assert_eq!((self.m, self.n), (b.m, b.n));
        Dense {
            data: self.data.iter().zip(&b.data).map(|(x, y)| x - y).collect(),
            ..self.clone()
        }
    }
    /// Max column sum of absolute values.
    pub fn norm1(&self) -> f64 {
        (0..self.n)
            .map(|j| (0..self.m).map(|i| self.at(i, j).abs()).sum::<f64>())
            .fold(0.0, f64::max)
    }
    /// Rounds every element through `T` (what the code under test actually sees).
    pub fn round_to<T: Scalar>(&self) -> Dense {
        Dense {
            data: self.data.iter().map(|&x| T::from_f64(x).to_f64()).collect(),
            ..self.clone()
        }
    }
}

/// `H_ij = 1/(i + j + 1)` (0-based).
pub fn hilbert(n: usize) -> Dense {
    Dense::from_fn(n, n, |i, j| 1.0 / (i + j + 1) as f64)
}

/// The exact inverse of the Hilbert matrix (integers; exact in f64 for n ≤ 12).
pub fn hilbert_inverse(n: usize) -> Dense {
    let binom = |a: usize, b: usize| -> f64 {
        if b > a {
            return 0.0;
        }
        let mut r = 1.0f64;
        for k in 0..b {
            r = r * (a - k) as f64 / (k + 1) as f64;
        }
        r.round()
    };
    Dense::from_fn(n, n, |i0, j0| {
        let (i, j) = (i0 + 1, j0 + 1);
        let s = if (i + j) % 2 == 0 { 1.0 } else { -1.0 };
        s * (i + j - 1) as f64
            * binom(n + i - 1, n - j)
            * binom(n + j - 1, n - i)
            * binom(i + j - 2, i - 1).powi(2)
    })
}

/// `ln det H_n = 4·Σ_{k<n} ln k! − Σ_{k<2n} ln k!` (det H_n = c_n⁴ / c_{2n}, c_n = ∏_{k<n} k!).
pub fn hilbert_logdet(n: usize) -> f64 {
    let ln_fact = |k: usize| (1..=k).map(|i| (i as f64).ln()).sum::<f64>();
    let c = |m: usize| (1..m).map(ln_fact).sum::<f64>();
    4.0 * c(n) - c(2 * n)
}

/// Kahan's upper triangular matrix: `diag(1, s, s², …)·(I − c·strict upper ones)`,
/// `s² + c² = 1`; badly conditioned, and a classic trap for pivoting and condition estimators.
pub fn kahan(n: usize, theta: f64) -> Dense {
    let (s, c) = (theta.sin(), theta.cos());
    Dense::from_fn(n, n, |i, j| {
        let d = s.powi(i as i32);
        if i == j {
            d
        } else if j > i {
            -c * d
        } else {
            0.0
        }
    })
}

/// `D·R·D` with `D = diag(10^(−k·i/(n−1)))`: rows and columns graded over `k` decades.
pub fn graded(n: usize, decades: f64, seed: u64) -> Dense {
    let r = Dense::random(n, n, seed);
    let d = |i: usize| 10f64.powf(-decades * i as f64 / (n.max(2) - 1) as f64);
    Dense::from_fn(n, n, |i, j| d(i) * r.at(i, j) * d(j))
}

/// Random with the last column replaced by the first plus a `delta`-sized random change.
pub fn nearly_singular(n: usize, delta: f64, seed: u64) -> Dense {
    let mut a = Dense::random(n, n, seed);
    let mut r = Rng::new(seed ^ 0xABCD);
    if n >= 2 {
        for i in 0..n {
            let v = a.at(i, 0) + delta * r.uniform();
            a.set(i, n - 1, v);
        }
    }
    a
}

/// A random symmetric positive definite matrix `B·Bᵀ/n + shift·I`.
pub fn random_spd(n: usize, shift: f64, seed: u64) -> Dense {
    let b = Dense::random(n, n, seed);
    let mut a = b.matmul(&b.t()).scaled(1.0 / n.max(1) as f64);
    for i in 0..n {
        let v = a.at(i, i) + shift;
        a.set(i, i, v);
    }
    // Exact symmetry (the product is symmetric up to rounding only).
    for j in 0..n {
        for i in 0..j {
            let v = a.at(j, i);
            a.set(i, j, v);
        }
    }
    a
}

/// A named test matrix.
pub struct Case {
    pub name: String,
    pub a: Dense,
}

fn case(name: impl Into<String>, a: Dense) -> Case {
    Case {
        name: name.into(),
        a,
    }
}

/// Scale for the "huge" and "tiny" cases of element type `T`: far from 1 but with enough
/// room that `n·max|a|` and the products of the residual checks stay in range.
pub fn extreme_scale<T: Scalar>() -> (f64, f64) {
    if T::EPS.to_f64() > 1e-10 {
        (1e30, 1e-30)
    } else {
        (1e300, 1e-300)
    }
}

/// General nonsingular test matrices for LU, in f64: random, graded, Hilbert, Kahan, nearly
/// singular, huge- and tiny-scaled, diagonally dominant; sizes crossing the blocking
/// thresholds. `big` adds the 300 × 300 cases.
pub fn lu_catalogue<T: Scalar>(big: bool) -> Vec<Case> {
    let (huge, tiny) = extreme_scale::<T>();
    let mut v = Vec::new();
    for &n in &[1usize, 2, 3, 5, 16, 17, 33, 64, 100, 129] {
        v.push(case(
            format!("random{n}"),
            Dense::random(n, n, 1000 + n as u64),
        ));
    }
    v.push(case("graded50x8", graded(50, 8.0, 7)));
    v.push(case("graded130x12", graded(130, 12.0, 8)));
    for &n in &[4usize, 8, 12] {
        v.push(case(format!("hilbert{n}"), hilbert(n)));
    }
    v.push(case("kahan40", kahan(40, 1.2)));
    v.push(case("kahan100", kahan(100, 1.4)));
    v.push(case("nearly_singular60", nearly_singular(60, 1e-10, 3)));
    v.push(case("huge80", Dense::random(80, 80, 11).scaled(huge)));
    v.push(case("tiny80", Dense::random(80, 80, 12).scaled(tiny)));
    v.push(case("dominant70", {
        let mut a = Dense::random(70, 70, 13);
        for i in 0..70 {
            a.set(i, i, 80.0);
        }
        a
    }));
    if big {
        v.push(case("random300", Dense::random(300, 300, 300)));
        v.push(case("graded300x10", graded(300, 10.0, 301)));
    }
    v
}

/// Symmetric positive definite test matrices for Cholesky.
pub fn spd_catalogue<T: Scalar>(big: bool) -> Vec<Case> {
    let (huge, tiny) = extreme_scale::<T>();
    let mut v = Vec::new();
    for &n in &[1usize, 2, 3, 5, 16, 17, 33, 64, 100, 129] {
        v.push(case(format!("spd{n}"), random_spd(n, 0.1, 2000 + n as u64)));
    }
    // Cholesky is guaranteed to succeed when 20·n^{3/2}·κ₂(A)·u < 1 (Higham Thm 10.7); the
    // Hilbert sizes stay near that edge for each precision (κ₂(H₅) ≈ 4.8e5, κ₂(H₁₀) ≈ 1.6e13).
    let single = T::EPS.to_f64() > 1e-10;
    let hilberts: &[usize] = if single { &[3, 4, 5] } else { &[4, 8, 10] };
    for &n in hilberts {
        v.push(case(format!("hilbert{n}"), hilbert(n)));
    }
    // Kahan's Gram matrix KᵀK: κ₁ ≈ 6e7 for (30, 1.3), ≈ 5e3 for (15, 1.3).
    let (kn, kt) = if single { (15, 1.3) } else { (30, 1.3) };
    let k = kahan(kn, kt);
    v.push(case(format!("kahan_gram{kn}"), k.t().matmul(&k)));
    // Graded SPD: D·S·D keeps definiteness.
    let s = random_spd(90, 0.5, 21);
    let d = |i: usize| 10f64.powf(-10.0 * i as f64 / 89.0);
    v.push(case(
        "graded_spd90",
        Dense::from_fn(90, 90, |i, j| d(i) * s.at(i, j) * d(j)),
    ));
    // Smallest eigenvalue ≈ 1e4·ε·‖A‖: as close to semidefinite as the bound above allows.
    v.push(case(
        "nearly_semidefinite50",
        random_spd(50, 1e4 * T::EPS.to_f64(), 22),
    ));
    v.push(case("huge60", random_spd(60, 0.1, 23).scaled(huge)));
    v.push(case("tiny60", random_spd(60, 0.1, 24).scaled(tiny)));
    if big {
        v.push(case("spd300", random_spd(300, 0.05, 25)));
    }
    v
}

// ---------------------------------------------------------------------------------------------
// Storage layouts
// ---------------------------------------------------------------------------------------------

/// How a matrix is laid out in its buffer.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Layout {
    /// Fortran order, leading dimension m.
    ColMajor,
    /// C order (a transposed column-major view).
    RowMajor,
    /// Both strides > 1 with gaps: row stride 2, column stride 2m + 3.
    Strided,
    /// Rows reversed in memory (row stride −1), padded columns.
    NegRows,
    /// Columns reversed in memory (column stride −(m + 1)).
    NegCols,
}

pub const LAYOUTS: [Layout; 5] = [
    Layout::ColMajor,
    Layout::RowMajor,
    Layout::Strided,
    Layout::NegRows,
    Layout::NegCols,
];

/// A matrix of `T` stored with some [`Layout`].
pub struct Stored<T> {
    pub buf: Vec<T>,
    pub off: usize,
    pub m: usize,
    pub n: usize,
    pub rs: isize,
    pub cs: isize,
}

impl<T: Scalar> Stored<T> {
    pub fn new(a: &Dense, layout: Layout) -> Self {
        let (m, n) = (a.m, a.n);
        let (len, off, rs, cs) = match layout {
            Layout::ColMajor => (m * n, 0, 1, m.max(1) as isize),
            Layout::RowMajor => (m * n, 0, n.max(1) as isize, 1),
            Layout::Strided => {
                let cs = 2 * m + 3;
                (cs * n.max(1) + 2, 1, 2, cs as isize)
            }
            Layout::NegRows => {
                let cs = m + 2;
                (cs * n.max(1) + 1, m.saturating_sub(1), -1, cs as isize)
            }
            Layout::NegCols => {
                let ld = m + 1;
                (ld * n.max(1), ld * n.saturating_sub(1), 1, -(ld as isize))
            }
        };
        // Fill the gaps with a sentinel that must never leak into results.
        let mut s = Stored {
            buf: vec![T::from_f64(-7.77e7); len.max(1)],
            off,
            m,
            n,
            rs,
            cs,
        };
        {
            let mut v = s.view_mut();
            for j in 0..n {
                for i in 0..m {
                    v.write(i, j, T::from_f64(a.at(i, j)));
                }
            }
        }
        s
    }
    pub fn view(&self) -> MatRef<'_, T> {
        MatRef::from_slice_with_offset(&self.buf, self.off, self.m, self.n, self.rs, self.cs)
            .expect("layout fits")
    }
    pub fn view_mut(&mut self) -> MatMut<'_, T> {
        MatMut::from_slice_with_offset(&mut self.buf, self.off, self.m, self.n, self.rs, self.cs)
            .expect("layout fits")
    }
    pub fn to_dense(&self) -> Dense {
        let v = self.view();
        Dense::from_fn(self.m, self.n, |i, j| v.get(i, j).to_f64())
    }
    /// Elements outside the view still hold the sentinel.
    pub fn gaps_untouched(&self) -> bool {
        let v = self.view();
        let mut inside = vec![false; self.buf.len()];
        for j in 0..self.n {
            for i in 0..self.m {
                let p = self.off as isize + i as isize * self.rs + j as isize * self.cs;
                inside[p as usize] = true;
            }
        }
        let _ = v;
        self.buf
            .iter()
            .zip(&inside)
            .all(|(x, &ins)| ins || Scalar::to_f64(*x) == Scalar::to_f64(T::from_f64(-7.77e7)))
    }
}

// ---------------------------------------------------------------------------------------------
// Identities
// ---------------------------------------------------------------------------------------------

/// `(L, U)` of a packed `m × n` LU factorization (L unit lower `m × k`, U upper `k × n`).
pub fn unpack_lu(lu: &Dense) -> (Dense, Dense) {
    let (m, n) = (lu.m, lu.n);
    let k = m.min(n);
    let l = Dense::from_fn(m, k, |i, j| match i.cmp(&j) {
        std::cmp::Ordering::Greater => lu.at(i, j),
        std::cmp::Ordering::Equal => 1.0,
        std::cmp::Ordering::Less => 0.0,
    });
    let u = Dense::from_fn(k, n, |i, j| if j >= i { lu.at(i, j) } else { 0.0 });
    (l, u)
}

/// Rows of `a` in the order `perm`.
pub fn permute_rows(a: &Dense, perm: &[usize]) -> Dense {
    Dense::from_fn(a.m, a.n, |i, j| a.at(perm[i], j))
}

/// Backward error of `P·A = L·U` in two normalizations:
/// `‖PA − LU‖₁ / (‖A‖₁·k·ε)` and `‖PA − LU‖₁ / (‖|L||U|‖₁·k·ε)`.
pub fn lu_backward_error(a: &Dense, lu: &Dense, perm: &[usize], eps: f64) -> (f64, f64) {
    let k = a.m.min(a.n).max(1) as f64;
    let (l, u) = unpack_lu(lu);
    let r = permute_rows(a, perm).sub(&l.matmul(&u)).norm1();
    let lu_abs = l.abs().matmul(&u.abs()).norm1();
    (ratio(r, a.norm1() * k * eps), ratio(r, lu_abs * k * eps))
}

/// `x / y` with `0 / 0 = 0`.
pub fn ratio(x: f64, y: f64) -> f64 {
    if x == 0.0 { 0.0 } else { x / y }
}

/// Max over columns of `‖A·x_j − b_j‖₁ / (‖A‖₁·‖x_j‖₁·n·ε)`.
pub fn solve_residual(a: &Dense, x: &Dense, b: &Dense, eps: f64) -> f64 {
    let n = a.n.max(1) as f64;
    let r = a.matmul(x).sub(b);
    let an = a.norm1();
    (0..x.n)
        .map(|j| {
            let rj: f64 = (0..r.m).map(|i| r.at(i, j).abs()).sum();
            let xj: f64 = (0..x.m).map(|i| x.at(i, j).abs()).sum();
            ratio(rj, an * xj * n * eps)
        })
        .fold(0.0, f64::max)
}

/// Prints the max of a named list of ratios, overall and per (dtype, matrix family); returns
/// the overall max. Tags look like `float64/random17/…`; the family drops the size digits.
pub fn report(test: &str, what: &str, ratios: &[(String, f64)]) -> f64 {
    let family = |tag: &str| -> String {
        let parts: Vec<&str> = tag.split('/').collect();
        let (dtype, name) = if parts.len() > 1 && parts[0].starts_with("float") {
            (parts[0], parts[1])
        } else {
            ("", parts[0])
        };
        let stem = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == 'x');
        if dtype.is_empty() {
            stem.to_string()
        } else {
            format!("{dtype}/{stem}")
        }
    };
    let mut by_family: std::collections::BTreeMap<String, (f64, String)> = Default::default();
    let mut worst = (0.0f64, String::new());
    for (tag, r) in ratios {
        let e = by_family.entry(family(tag)).or_insert((0.0, String::new()));
        if *r >= e.0 {
            *e = (*r, tag.clone());
        }
        if *r >= worst.0 {
            worst = (*r, tag.clone());
        }
    }
    eprintln!(
        "{test}: max {what} = {:.3e} ({}) over {} cases",
        worst.0,
        worst.1,
        ratios.len()
    );
    for (fam, (r, tag)) in &by_family {
        eprintln!("    {fam:<28} max {r:.3e}  ({tag})");
    }
    worst.0
}

// ---------------------------------------------------------------------------------------------
// Rectangular and rank-deficient matrices (QR, least squares)
// ---------------------------------------------------------------------------------------------

/// `X·Y` with `X` random `m × r` and `Y` random `r × n`: rank exactly `r` (for `r ≤ min(m, n)`,
/// with probability one), up to the rounding of the f64 product.
pub fn low_rank(m: usize, n: usize, r: usize, seed: u64) -> Dense {
    Dense::random(m, r, seed).matmul(&Dense::random(r, n, seed ^ 0x5151))
}

/// Rectangular test matrices for QR of every shape: empty, 1 × 1, tall, wide, square (sizes
/// crossing block widths), rank-deficient, graded, Hilbert, Kahan, tiny- and huge-scaled.
pub fn qr_catalogue<T: Scalar>(big: bool) -> Vec<Case> {
    let (huge, tiny) = extreme_scale::<T>();
    let mut v = Vec::new();
    for &(m, n) in &[
        (0usize, 0usize),
        (0, 5),
        (5, 0),
        (1, 1),
        (1, 7),
        (7, 1),
        (3, 3),
        (17, 5),
        (5, 17),
        (33, 33),
        (65, 65),
        (100, 37),
        (37, 100),
        (131, 70),
    ] {
        v.push(case(
            format!("random{m}x{n}"),
            Dense::random(m, n, 3000 + (m * 1000 + n) as u64),
        ));
    }
    v.push(case("low_rank60x40r7", low_rank(60, 40, 7, 31)));
    v.push(case("low_rank30x50r12", low_rank(30, 50, 12, 32)));
    v.push(case(
        "zero_cols20x6",
        Dense::from_fn(20, 6, |i, j| if j % 2 == 0 { 0.0 } else { (i + j) as f64 }),
    ));
    v.push(case("zeros9x4", Dense::zeros(9, 4)));
    v.push(case("graded80x8", graded(80, 8.0, 33)));
    v.push(case("hilbert8", hilbert(8)));
    v.push(case("hilbert12", hilbert(12)));
    v.push(case("kahan40", kahan(40, 1.2)));
    v.push(case("huge50x30", Dense::random(50, 30, 34).scaled(huge)));
    v.push(case("tiny50x30", Dense::random(50, 30, 35).scaled(tiny)));
    if big {
        v.push(case("random300x200", Dense::random(300, 200, 36)));
        v.push(case("random150x260", Dense::random(150, 260, 37)));
    }
    v
}

/// Frobenius norm.
pub fn norm_fro(a: &Dense) -> f64 {
    // Scaled to survive 1e±300 entries.
    let s = a.data.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    if s == 0.0 {
        return 0.0;
    }
    s * a.data.iter().map(|x| (x / s) * (x / s)).sum::<f64>().sqrt()
}

// ---------------------------------------------------------------------------------------------
// Generators for the eigenvalue and SVD tests
// ---------------------------------------------------------------------------------------------

/// A random symmetric matrix (entries uniform in [-1, 1), exactly symmetric).
pub fn random_symmetric(n: usize, seed: u64) -> Dense {
    let r = Dense::random(n, n, seed);
    Dense::from_fn(n, n, |i, j| if i >= j { r.at(i, j) } else { r.at(j, i) })
}

/// The tridiagonal Toeplitz matrix `[-1, 2, -1]` of order `n`; `λ_j = 2 − 2·cos(jπ/(n+1))`.
pub fn toeplitz_121(n: usize) -> Dense {
    Dense::from_fn(n, n, |i, j| match i.abs_diff(j) {
        0 => 2.0,
        1 => -1.0,
        _ => 0.0,
    })
}

/// The exact eigenvalues of [`toeplitz_121`], ascending.
pub fn toeplitz_121_eigenvalues(n: usize) -> Vec<f64> {
    (1..=n)
        .map(|j| 2.0 - 2.0 * (j as f64 * std::f64::consts::PI / (n + 1) as f64).cos())
        .collect()
}

/// Wilkinson's `W_n⁺`: diagonal `|i − (n−1)/2|`, off-diagonals 1; its largest eigenvalues come
/// in pairs that agree to many digits (W₂₁⁺: the top two differ by about 1e-14 relative).
pub fn wilkinson_plus(n: usize) -> Dense {
    let h = (n as f64 - 1.0) / 2.0;
    Dense::from_fn(n, n, |i, j| match i.abs_diff(j) {
        0 => (i as f64 - h).abs(),
        1 => 1.0,
        _ => 0.0,
    })
}

/// A random `m × k` matrix with orthonormal columns (`k ≤ m`; modified Gram–Schmidt, twice).
pub fn random_orthonormal(m: usize, k: usize, seed: u64) -> Dense {
    let mut q = Dense::random(m, k, seed);
    for j in 0..k {
        for _pass in 0..2 {
            for p in 0..j {
                let d: f64 = (0..m).map(|i| q.at(i, p) * q.at(i, j)).sum();
                for i in 0..m {
                    let v = q.at(i, j) - d * q.at(i, p);
                    q.set(i, j, v);
                }
            }
        }
        let nrm = (0..m).map(|i| q.at(i, j).powi(2)).sum::<f64>().sqrt();
        for i in 0..m {
            let v = q.at(i, j) / nrm;
            q.set(i, j, v);
        }
    }
    q
}

/// `Q·diag(eigs)·Qᵀ` for a random orthogonal `Q`, made exactly symmetric.
pub fn symmetric_with_spectrum(eigs: &[f64], seed: u64) -> Dense {
    let n = eigs.len();
    let q = random_orthonormal(n, n, seed);
    let qd = Dense::from_fn(n, n, |i, j| q.at(i, j) * eigs[j]);
    let a = qd.matmul(&q.t());
    Dense::from_fn(n, n, |i, j| if i >= j { a.at(i, j) } else { a.at(j, i) })
}

/// `U·diag(s)·Vᵀ` (`m × n`, `s.len() ≤ min(m, n)`) for random orthonormal `U`, `V`.
pub fn with_singular_values(m: usize, n: usize, s: &[f64], seed: u64) -> Dense {
    let k = s.len();
    let u = random_orthonormal(m, k, seed);
    let v = random_orthonormal(n, k, seed ^ 0x5EED);
    let us = Dense::from_fn(m, k, |i, j| u.at(i, j) * s[j]);
    us.matmul(&v.t())
}

/// `‖A − B‖₁`-style helpers: `‖QᵀQ − I‖₁` for the columns of `q`.
pub fn orthogonality_error(q: &Dense) -> f64 {
    q.t().matmul(q).sub(&Dense::identity(q.n)).norm1()
}

// ---------------------------------------------------------------------------------------------
// Band matrices (banded LU)
// ---------------------------------------------------------------------------------------------

/// A random `n × n` band matrix with `kl` subdiagonals and `ku` superdiagonals: entries
/// uniform in [-1, 1) inside the band, zero outside, and diagonal entries `±[1, 2)` multiplied
/// by `diag_scale` (a small value forces row interchanges). Diagonal entries of at least 1
/// keep triangular bands (`kl = 0` or `ku = 0`) away from the exponential ill-conditioning
/// (and determinant underflow) of random triangular matrices.
pub fn random_banded(n: usize, kl: usize, ku: usize, diag_scale: f64, seed: u64) -> Dense {
    let r = Dense::random(n, n, seed);
    Dense::from_fn(n, n, |i, j| {
        let v = r.at(i, j);
        if i > j + kl || j > i + ku {
            0.0
        } else if i == j {
            (v + v.signum()) * diag_scale
        } else {
            v
        }
    })
}

/// scipy's band storage of `a`: `(kl + ku + 1) × n` with `ab[ku + i − j, j] = a[i, j]`; the
/// corners outside the matrix hold `corner` (scipy ignores them).
pub fn to_scipy_band(a: &Dense, kl: usize, ku: usize, corner: f64) -> Dense {
    let n = a.n;
    Dense::from_fn(kl + ku + 1, n, |r, j| {
        // i = r + j − ku
        if r + j >= ku && r + j - ku < n {
            a.at(r + j - ku, j)
        } else {
            corner
        }
    })
}
