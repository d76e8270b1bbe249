//! Singular values of bidiagonal matrices by dqds (`bidiagonal_svdvals`), against implicit QR
//! (`bidiagonal_svd`, Demmel–Kahan) and closed forms, f32 and f64; and `svdvals` of dense
//! matrices (which now runs dqds) against the full `svd`.
//!
//! Bounds: dqds is mixed stable with every quantity positive (Fernando & Parlett 1994): each
//! transform equals exact arithmetic on arrays perturbed by a few ulps relative, and each
//! deflation or split perturbs the eigenvalues of `BBᵀ` by at most `ε` relative, so every
//! singular value, the tiniest included, has relative error `O(n·ε)`. Implicit QR has the
//! same kind of bound (Demmel & Kahan 1990). Asserted: `|σ̂_j − σ_j| ≤ 10·n·ε·σ_j` against the
//! f64 QR values of the same (rounded) matrix — for f32 the reference is f64, for f64 the
//! bound covers both methods' errors. For dense matrices the values are only absolutely
//! accurate (Weyl): `|σ̂_j − σ_j| ≤ 10·max(m, n)·ε·σ_max`.

use crate::common::*;
use lapis_factor::FactorError;
use lapis_factor::kernels::{MatMut, MatRef, Par, Scalar};
use lapis_factor::svd::{
    bidiagonal_svd, bidiagonal_svdvals, bidiagonal_svdvals_unguarded, svd, svdvals,
};

const BOUND: f64 = 10.0;

/// A named upper bidiagonal `(d, e)` in f64.
struct Bidiag {
    name: String,
    d: Vec<f64>,
    e: Vec<f64>,
    /// A power of two the matrix was scaled by: the reference is computed unscaled, where
    /// implicit QR's own thresholds cannot meet underflow, and scaled back exactly.
    scale: f64,
}

fn bidiag(name: impl Into<String>, d: Vec<f64>, e: Vec<f64>) -> Bidiag {
    assert_eq!(e.len(), d.len().saturating_sub(1));
    Bidiag {
        name: name.into(),
        d,
        e,
        scale: 1.0,
    }
}

fn round<T: Scalar>(x: &[f64]) -> Vec<T> {
    x.iter().map(|&v| T::from_f64(v)).collect()
}

fn widen<T: Scalar>(x: &[T]) -> Vec<f64> {
    x.iter().map(|&v| v.to_f64()).collect()
}

/// The f64 implicit-QR singular values of `(d, e)` rounded to `T` (exact in f64).
fn reference<T: Scalar>(b: &Bidiag) -> Vec<f64> {
    let unscaled =
        |x: &[f64]| -> Vec<f64> { widen(&round::<T>(x)).iter().map(|v| v / b.scale).collect() };
    let (mut d, mut e) = (unscaled(&b.d), unscaled(&b.e));
    bidiagonal_svd(&mut d, &mut e, None, None).expect("reference");
    d.iter().map(|v| v * b.scale).collect()
}

/// dqds alone in `T`: the values (in f64) and the number of transforms.
fn dqds<T: Scalar>(b: &Bidiag) -> (Vec<f64>, usize) {
    let (mut d, mut e) = (round::<T>(&b.d), round::<T>(&b.e));
    let e_in = e.clone();
    let sweeps = bidiagonal_svdvals_unguarded(&mut d, &mut e)
        .unwrap_or_else(|err| panic!("{}: dqds gave up: {err}", b.name));
    assert_eq!(e, e_in, "{}: e changed", b.name);
    (widen(&d), sweeps)
}

/// `max_j |σ̂_j − σ_j|/(σ_j·n·ε)`, with exact agreement required where `σ_j = 0`.
fn relative_error(name: &str, ours: &[f64], reference: &[f64], eps: f64) -> f64 {
    assert_eq!(ours.len(), reference.len(), "{name}");
    let n = ours.len().max(1) as f64;
    assert!(
        ours.windows(2).all(|w| w[0] >= w[1]) && ours.iter().all(|&x| x >= 0.0),
        "{name}: not non-negative and descending: {ours:?}"
    );
    ours.iter()
        .zip(reference)
        .map(|(&x, &y)| {
            if y == 0.0 {
                if x == 0.0 { 0.0 } else { f64::INFINITY }
            } else {
                ((x - y) / y).abs() / (n * eps)
            }
        })
        .fold(0.0, f64::max)
}

fn powers(n: usize, step: f64, offset: f64) -> Vec<f64> {
    (0..n)
        .map(|i| 10f64.powf(step * i as f64 + offset))
        .collect()
}

fn random_positive(n: usize, seed: u64) -> Vec<f64> {
    let mut r = Rng::new(seed);
    (0..n).map(|_| 0.5 * (r.uniform() + 1.0) + 1e-3).collect()
}

/// Hard bidiagonals for element type `T` (gradings kept inside `T`'s range of squares).
fn catalogue<T: Scalar>() -> Vec<Bidiag> {
    let is_f32 = T::EPS.to_f64() > 1e-10;
    // Decades a graded case may span: singular values near the underflow of their squares
    // are only absolutely accurate (see the dqds module docs).
    let span = if is_f32 { 20.0 } else { 200.0 };
    let mut v = vec![
        bidiag("empty", vec![], vec![]),
        bidiag("one", vec![-3.0], vec![]),
        bidiag("two", vec![2.0, -1e-3], vec![0.5]),
        bidiag("two_equal", vec![1.0, 1.0], vec![1.0]),
        bidiag("three", vec![1.0, 2.0, 3.0], vec![4.0, 5.0]),
    ];
    for &(n, seed) in &[(5usize, 1u64), (17, 2), (64, 3), (150, 4), (301, 5)] {
        let mut r = Rng::new(seed);
        v.push(bidiag(format!("random{n}"), r.vec(n), r.vec(n - 1)));
        v.push(bidiag(
            format!("positive{n}"),
            random_positive(n, seed + 100),
            random_positive(n - 1, seed + 200),
        ));
    }
    // Graded: each singular value is about its d_i, over `span` decades, both directions.
    for &n in &[10usize, 40, 100] {
        let step = span / n as f64;
        let mut down_e = powers(n - 1, -step, -0.3 * step);
        let mut r = Rng::new(n as u64);
        for x in &mut down_e {
            *x *= 1.0 + 0.5 * r.uniform();
        }
        v.push(bidiag(
            format!("graded_down{n}"),
            powers(n, -step, 0.0),
            down_e.clone(),
        ));
        let mut up_d = powers(n, -step, 0.0);
        up_d.reverse();
        down_e.reverse();
        v.push(bidiag(format!("graded_up{n}"), up_d, down_e));
    }
    // Strongly graded: d_i = 10^{−i}, e_i = 10^{−i} (the off-diagonal as large as the
    // diagonal above it), both directions.
    let n = if is_f32 { 12 } else { 90 };
    v.push(bidiag(
        "strong_down",
        powers(n, -1.0, 0.0),
        powers(n - 1, -1.0, 0.0),
    ));
    let (mut d, mut e) = (powers(n, -1.0, 0.0), powers(n - 1, -1.0, 0.0));
    d.reverse();
    e.reverse();
    v.push(bidiag("strong_up", d, e));
    // Grading that alternates: large and tiny diagonal entries side by side.
    let n = 30;
    let alt = |i: usize| {
        if i.is_multiple_of(2) {
            1.0
        } else {
            10f64.powf(-span / 20.0)
        }
    };
    v.push(bidiag(
        "alternating",
        (0..n).map(alt).collect(),
        (0..n - 1).map(|i| 0.5 * alt(i + 1)).collect(),
    ));
    // Clustered and repeated: σ within 1e-8 relative; exactly repeated blocks split by zero
    // couplings; an orthogonal-like bidiagonal (ε-sized couplings, all σ ≈ 1).
    let mut r = Rng::new(7);
    v.push(bidiag(
        "cluster1e-8",
        (0..80).map(|_| 1.0 + 1e-9 * r.uniform()).collect(),
        vec![1e-8; 79],
    ));
    v.push(bidiag(
        "repeated_split",
        vec![2.0; 60],
        (0..59)
            .map(|i| if i % 3 == 2 { 0.0 } else { 1.0 })
            .collect(),
    ));
    v.push(bidiag(
        "near_orthogonal",
        (0..70)
            .map(|i: usize| if i.is_multiple_of(2) { 1.0 } else { -1.0 })
            .collect(),
        (0..69).map(|_| 3e-17 * r.uniform()).collect(),
    ));
    // Zeros on the diagonal (top, middle, bottom, adjacent): exact zero singular values.
    let mut r = Rng::new(8);
    let mut d = random_positive(40, 9);
    for &i in &[0usize, 17, 18, 39] {
        d[i] = 0.0;
    }
    v.push(bidiag("zero_diagonal", d, r.vec(39)));
    let mut d = random_positive(25, 10);
    d[24] = 0.0;
    v.push(bidiag("zero_last", d, random_positive(24, 11)));
    // Zeros on the superdiagonal: the matrix splits.
    let mut e = random_positive(49, 12);
    for &i in &[0usize, 10, 11, 30, 48] {
        e[i] = 0.0;
    }
    v.push(bidiag("zero_superdiagonal", random_positive(50, 13), e));
    v.push(bidiag("diagonal", random_positive(30, 14), vec![0.0; 29]));
    v.push(bidiag("all_zero", vec![0.0; 6], vec![0.0; 5]));
    // Wilkinson-like: d_i = |i − m| (one exact zero), unit couplings; close pairs on top.
    let n = 41;
    v.push(bidiag(
        "wilkinson",
        (0..n).map(|i| (i as f64 - 20.0).abs()).collect(),
        vec![1.0; n - 1],
    ));
    // Couplings twice the diagonal: σ_min ≈ 2^{−n}.
    let n = if is_f32 { 30 } else { 200 };
    v.push(bidiag("kahan_like", vec![1.0; n], vec![2.0; n - 1]));
    // Huge and tiny scale (powers of two, so the reference scales exactly).
    let (huge, tiny) = if is_f32 {
        (2f64.powi(115), 2f64.powi(-115))
    } else {
        (2f64.powi(990), 2f64.powi(-990))
    };
    let mut r = Rng::new(15);
    let (d, e) = (r.vec(60), r.vec(59));
    for (name, s) in [("huge", huge), ("tiny", tiny)] {
        let mut b = bidiag(
            name,
            d.iter().map(|x| x * s).collect(),
            e.iter().map(|x| x * s).collect(),
        );
        b.scale = s;
        v.push(b);
    }
    v
}

fn matches_implicit_qr<T: Scalar>(test: &str) {
    let eps = T::EPS.to_f64();
    let mut worst = Vec::new();
    let mut sweeps_per_value = Vec::new();
    for b in catalogue::<T>() {
        let (ours, sweeps) = dqds::<T>(&b);
        let reference = reference::<T>(&b);
        let r = relative_error(&b.name, &ours, &reference, eps);
        assert!(r <= BOUND, "{test}/{}: relative error {r:.3e}", b.name);
        worst.push((format!("{}/{}", T::DTYPE, b.name), r));
        sweeps_per_value.push((
            format!("{}/{}", T::DTYPE, b.name),
            sweeps as f64 / b.d.len().max(1) as f64,
        ));
        // The guarded entry gives the same values.
        let (mut d, mut e) = (round::<T>(&b.d), round::<T>(&b.e));
        bidiagonal_svdvals(&mut d, &mut e).unwrap();
        assert_eq!(widen(&d), ours, "{test}/{}", b.name);
    }
    report(test, "max_j |σ̂_j − σ_j|/(σ_j·n·ε)", &worst);
    report(test, "transforms per value", &sweeps_per_value);
}

#[test]
fn matches_implicit_qr_f64() {
    matches_implicit_qr::<f64>("matches_implicit_qr_f64");
}

#[test]
fn matches_implicit_qr_f32() {
    matches_implicit_qr::<f32>("matches_implicit_qr_f32");
}

/// `B` with unit diagonal and superdiagonal: `σ_k = 2·cos(kπ/(2n + 1))`, evaluated as
/// `2·sin((2n + 1 − 2k)·π/(2·(2n + 1)))` so that the small ones keep their relative accuracy.
fn closed_form<T: Scalar>(test: &str) {
    let eps = T::EPS.to_f64();
    let mut worst = Vec::new();
    for &n in &[1usize, 2, 3, 10, 100, 300] {
        let b = bidiag(format!("ones{n}"), vec![1.0; n], vec![1.0; n - 1]);
        let (ours, _) = dqds::<T>(&b);
        let exact: Vec<f64> = (1..=n)
            .map(|k| {
                let m = (2 * n + 1) as f64;
                2.0 * ((m - 2.0 * k as f64) * std::f64::consts::PI / (2.0 * m)).sin()
            })
            .collect();
        let r = relative_error(&b.name, &ours, &exact, eps);
        assert!(r <= BOUND, "{test}/{}: relative error {r:.3e}", b.name);
        worst.push((format!("{}/{}", T::DTYPE, b.name), r));
    }
    report(test, "max_j |σ̂_j − σ_j|/(σ_j·n·ε)", &worst);
}

#[test]
fn closed_form_f64() {
    closed_form::<f64>("closed_form_f64");
}

#[test]
fn closed_form_f32() {
    closed_form::<f32>("closed_form_f32");
}

/// A zero on the diagonal makes an unreduced bidiagonal singular with nullity one (its
/// superdiagonal spans the other `n − 1` directions); zeros propagate exactly through the
/// transform, so dqds returns exact zeros, as many as the unreduced blocks holding a zero.
fn exact_zeros<T: Scalar>() {
    let e = random_positive(39, 21);
    let cases: Vec<(&str, Vec<f64>, Vec<f64>, usize)> = vec![
        (
            "first",
            (0..40).map(|i| if i == 0 { 0.0 } else { 1.0 }).collect(),
            e.clone(),
            1,
        ),
        (
            "middle_pair",
            (0..40)
                .map(|i| if i == 17 || i == 18 { 0.0 } else { 1.0 })
                .collect(),
            e.clone(),
            1,
        ),
        (
            "last",
            (0..40).map(|i| if i == 39 { 0.0 } else { 1.0 }).collect(),
            e.clone(),
            1,
        ),
        (
            "two_blocks",
            (0..40)
                .map(|i| if i == 3 || i == 30 { 0.0 } else { 1.0 })
                .collect(),
            (0..39).map(|i| if i == 20 { 0.0 } else { e[i] }).collect(),
            2,
        ),
        ("all", vec![0.0; 40], e.clone(), 1),
        ("all_and_split", vec![0.0; 40], vec![0.0; 39], 40),
    ];
    for (name, d, e, zeros) in cases {
        let b = bidiag(name, d, e);
        let (ours, _) = dqds::<T>(&b);
        let found = ours.iter().filter(|&&x| x == 0.0).count();
        assert_eq!(found, zeros, "{}/{name}: {ours:?}", T::DTYPE);
        // The nonzero ones agree with implicit QR to high relative accuracy.
        let reference = reference::<T>(&b);
        let n = ours.len();
        let r = relative_error(
            name,
            &ours[..n - zeros],
            &reference[..n - zeros],
            T::EPS.to_f64(),
        );
        assert!(r <= BOUND, "{}/{name}: {r:.3e}", T::DTYPE);
    }
}

#[test]
fn exact_zeros_f64() {
    exact_zeros::<f64>();
}

#[test]
fn exact_zeros_f32() {
    exact_zeros::<f32>();
}

/// A standard normal from two uniforms (Box–Muller).
fn normal(r: &mut Rng) -> f64 {
    let u1 = 0.5 * (r.uniform() + 1.0);
    let u2 = r.uniform();
    (-2.0 * (1.0 - u1).ln()).sqrt() * (std::f64::consts::PI * u2).cos()
}

/// The Golub–Kahan bidiagonal of an `n × n` Gaussian matrix has independent entries
/// `d_i ~ χ_{n−i}`, `e_i ~ χ_{n−i−1}` (Dumitriu & Edelman 2002): what `svdvals` hands dqds.
fn gaussian_bidiagonal(n: usize, seed: u64) -> Bidiag {
    let mut r = Rng::new(seed);
    let mut chi = |k: usize| (0..k).map(|_| normal(&mut r).powi(2)).sum::<f64>().sqrt();
    let d = (0..n).map(|i| chi(n - i)).collect();
    let e = (0..n - 1).map(|i| chi(n - i - 1)).collect();
    bidiag(format!("gaussian{n}"), d, e)
}

/// dqds' cost on what `svdvals` sees: the shifts from the two-sided bounds converge fast
/// enough that a singular value takes at most four transforms on average (the goal dqds was
/// built to; LAPACK's adaptive shifts take a few more), with accuracy as everywhere.
fn few_transforms<T: Scalar>(test: &str) {
    let mut per_value = Vec::new();
    for &(n, seed) in &[(100usize, 31u64), (200, 32), (400, 33)] {
        let b = gaussian_bidiagonal(n, seed);
        let (ours, sweeps) = dqds::<T>(&b);
        let r = relative_error(&b.name, &ours, &reference::<T>(&b), T::EPS.to_f64());
        assert!(r <= BOUND, "{test}/{}: relative error {r:.3e}", b.name);
        let per = sweeps as f64 / n as f64;
        assert!(
            per <= 4.0,
            "{test}/{}: {per:.2} transforms per value",
            b.name
        );
        per_value.push((format!("{}/{}", T::DTYPE, b.name), per));
    }
    report(test, "transforms per value", &per_value);
}

#[test]
fn few_transforms_f64() {
    few_transforms::<f64>("few_transforms_f64");
}

#[test]
fn few_transforms_f32() {
    few_transforms::<f32>("few_transforms_f32");
}

#[test]
fn errors() {
    for (d, e) in [
        (vec![1.0, f64::NAN, 2.0], vec![1.0, 1.0]),
        (vec![1.0, 2.0, 3.0], vec![f64::INFINITY, 1.0]),
        (vec![f64::NEG_INFINITY], vec![]),
        (vec![1.0, 2.0], vec![f64::NAN]),
    ] {
        let (mut d1, mut e1) = (d.clone(), e.clone());
        assert_eq!(
            bidiagonal_svdvals(&mut d1, &mut e1),
            Err(FactorError::NonFinite),
            "{d:?} {e:?}"
        );
        let (mut d2, mut e2) = (d.clone(), e.clone());
        assert_eq!(
            bidiagonal_svdvals_unguarded(&mut d2, &mut e2),
            Err(FactorError::NonFinite)
        );
        // Nothing was written.
        assert_eq!(format!("{d1:?}{e1:?}"), format!("{d:?}{e:?}"));
    }
    // e shorter than n − 1; longer is accepted (only n − 1 entries read).
    let (mut d, mut e) = (vec![1.0f32; 3], vec![1.0f32; 1]);
    assert!(matches!(
        bidiagonal_svdvals(&mut d, &mut e),
        Err(FactorError::Shape { .. })
    ));
    let (mut d, mut e) = (vec![3.0f32, 4.0], vec![0.0f32, f32::NAN]);
    bidiagonal_svdvals(&mut d, &mut e).unwrap();
    assert_eq!(d, [4.0, 3.0]);
    // Through svdvals, a NaN in a dense matrix still reports NonFinite.
    let a = [1.0, 2.0, f64::NAN, 4.0];
    let mut s = [0.0; 2];
    assert_eq!(
        svdvals(MatRef::from_col_major(&a, 2, 2).unwrap(), &mut s, Par::Seq),
        Err(FactorError::NonFinite)
    );
}

/// `svdvals` of dense matrices (bidiagonalization, then dqds) against the full `svd` (the
/// same bidiagonalization, then divide and conquer or implicit QR with vectors): both are
/// absolutely accurate, `|σ̂_j − σ_j| ≤ 10·max(m, n)·ε·σ_max` each.
fn svdvals_end_to_end<T: Scalar>(test: &str) {
    let eps = T::EPS.to_f64();
    let (huge, tiny) = extreme_scale::<T>();
    let mut worst = Vec::new();
    for (name, a) in [
        ("square100", Dense::random(100, 100, 41)),
        ("tall150x40", Dense::random(150, 40, 42)),
        ("wide30x90", Dense::random(30, 90, 43)),
        ("graded60", graded(60, 8.0, 44)),
        ("low_rank80x70r6", low_rank(80, 70, 6, 45)),
        ("kahan40", kahan(40, 1.2)),
        ("huge50", Dense::random(50, 50, 46).scaled(huge)),
        ("tiny50", Dense::random(50, 50, 47).scaled(tiny)),
        ("one_by_one", Dense::random(1, 1, 48)),
    ] {
        let (m, n) = (a.m, a.n);
        let k = m.min(n);
        let st = Stored::<T>::new(&a, Layout::ColMajor);
        let mut vals = vec![T::zero(); k];
        svdvals(st.view(), &mut vals, Par::Seq).unwrap();
        let mut full = vec![T::zero(); k];
        let (mut u, mut vt) = (vec![T::zero(); m * k], vec![T::zero(); k * n]);
        svd(
            st.view(),
            &mut full,
            Some(MatMut::from_col_major(&mut u, m, k).unwrap()),
            Some(MatMut::from_col_major(&mut vt, k, n).unwrap()),
            Par::Seq,
        )
        .unwrap();
        let (vals, full) = (widen(&vals), widen(&full));
        let dev = vals
            .iter()
            .zip(&full)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max);
        let r = ratio(dev, full[0] * m.max(n) as f64 * eps);
        assert!(r <= BOUND, "{test}/{name}: {r:.3e}");
        worst.push((format!("{}/{name}", T::DTYPE), r));
    }
    report(test, "max |σ_svdvals − σ_svd|/(σ_max·max(m,n)·ε)", &worst);
}

#[test]
fn svdvals_end_to_end_f64() {
    svdvals_end_to_end::<f64>("svdvals_end_to_end_f64");
}

#[test]
fn svdvals_end_to_end_f32() {
    svdvals_end_to_end::<f32>("svdvals_end_to_end_f32");
}
