//! Symmetric eigendecomposition: backward error and orthogonality of `eigh`, eigenvalues of
//! the tridiagonal solvers against closed forms, clustered / repeated / graded / scaled /
//! degenerate inputs, every layout and both triangles, f32 and f64, on every ISA path, and
//! faer as an independent oracle.
//!
//! Bounds (Golub & Van Loan §8.3–8.4; Demmel, *Applied Numerical Linear Algebra* §5.2–5.3): the
//! Householder reduction, the QL rotations and the back-transformation are each backward stable,
//! so the computed `V`, `Λ` satisfy `‖A − V·Λ·Vᵀ‖ ≤ p(n)·ε·‖A‖` and `‖VᵀV − I‖ ≤ p(n)·ε` with a
//! modest `p(n)` (about `n` for the reduction plus a few multiples of the `O(n)` rotations each
//! column meets). We assert `‖A − VΛVᵀ‖₁/(‖A‖₁·n·ε) ≤ 10` and `‖VᵀV − I‖₁/(n·ε) ≤ 10`.
//! By Weyl's theorem every computed eigenvalue is then within `p(n)·ε·‖A‖₂` of an exact one:
//! asserted `|λ̂_j − λ_j| ≤ 10·n·ε·‖A‖₁` against closed forms and faer.

use crate::common::*;
use lapis_factor::FactorError;
use lapis_factor::eigh::{
    EighParams, eigh, eigh_with_params, eigvalsh, tridiagonal_eigh, tridiagonal_eigh_dc,
    tridiagonal_eigvals,
};
use lapis_factor::kernels::{MatMut, MatRef, Par, Scalar, Uplo};

const BOUND: f64 = 10.0;

/// Runs `eigh` (vectors) and `eigvalsh` on `a` stored with `layout`, reading triangle `uplo`
/// (the other triangle is filled with garbage); returns `(w, V, w_values_only)`.
fn run<T: Scalar>(a: &Dense, layout: Layout, uplo: Uplo, par: Par) -> (Vec<f64>, Dense, Vec<f64>) {
    run_with::<T>(a, layout, uplo, par, &EighParams::default())
}

/// [`run`] with explicit parameters (QL or divide and conquer).
fn run_with<T: Scalar>(
    a: &Dense,
    layout: Layout,
    uplo: Uplo,
    par: Par,
    params: &EighParams,
) -> (Vec<f64>, Dense, Vec<f64>) {
    let n = a.n;
    let poisoned = Dense::from_fn(n, n, |i, j| {
        let keep = match uplo {
            Uplo::Lower => i >= j,
            Uplo::Upper => i <= j,
        };
        if keep { a.at(i, j) } else { 1e30 }
    });
    let mut s = Stored::<T>::new(&poisoned, layout);
    let mut wv = vec![T::zero(); n];
    eigvalsh(s.view(), uplo, &mut wv, par).expect("eigvalsh");
    let mut w = vec![T::zero(); n];
    eigh_with_params(s.view_mut(), uplo, &mut w, true, par, params).expect("eigh");
    assert!(s.gaps_untouched(), "eigh wrote outside the view");
    let f = |x: &Vec<T>| x.iter().map(|&v| Scalar::to_f64(v)).collect::<Vec<f64>>();
    (f(&w), s.to_dense(), f(&wv))
}

/// `(‖A − VΛVᵀ‖₁/(‖A‖₁·n·ε), ‖VᵀV − I‖₁/(n·ε))`.
fn eigh_errors(a: &Dense, w: &[f64], v: &Dense, eps: f64) -> (f64, f64) {
    let n = a.n.max(1) as f64;
    let vl = Dense::from_fn(v.m, v.n, |i, j| v.at(i, j) * w[j]);
    let r = a.sub(&vl.matmul(&v.t())).norm1();
    (
        ratio(r, a.norm1() * n * eps),
        ratio(orthogonality_error(v), n * eps),
    )
}

fn catalogue<T: Scalar>() -> Vec<(String, Dense)> {
    let (huge, tiny) = extreme_scale::<T>();
    let mut v: Vec<(String, Dense)> = Vec::new();
    for &n in &[0usize, 1, 2, 3, 5, 16, 17, 33, 64, 100, 129, 257] {
        v.push((format!("random{n}"), random_symmetric(n, 4000 + n as u64)));
    }
    v.push(("toeplitz_121_50".into(), toeplitz_121(50)));
    v.push(("wilkinson21".into(), wilkinson_plus(21)));
    v.push(("wilkinson41".into(), wilkinson_plus(41)));
    v.push(("identity30".into(), Dense::identity(30)));
    v.push(("zero20".into(), Dense::zeros(20, 20)));
    let reps: Vec<f64> = (0..40).map(|i| [1.0, -2.0, 3.0][i % 3]).collect();
    v.push((
        "diag_repeats40".into(),
        Dense::from_fn(40, 40, |i, j| if i == j { reps[i] } else { 0.0 }),
    ));
    v.push((
        "repeated_spectrum40".into(),
        symmetric_with_spectrum(&reps, 41),
    ));
    let cluster: Vec<f64> = (0..50)
        .map(|i| {
            if i < 45 {
                1.0 + i as f64 * 1e-12
            } else {
                i as f64
            }
        })
        .collect();
    v.push(("clustered50".into(), symmetric_with_spectrum(&cluster, 42)));
    let graded_spec: Vec<f64> = (0..40)
        .map(|i| 10f64.powf(-(i as f64) * 0.3) * if i % 2 == 0 { 1.0 } else { -1.0 })
        .collect();
    v.push((
        "graded_spectrum40".into(),
        symmetric_with_spectrum(&graded_spec, 43),
    ));
    let s = random_symmetric(60, 44);
    let d = |i: usize| 10f64.powf(-8.0 * i as f64 / 59.0);
    v.push((
        "graded60".into(),
        Dense::from_fn(60, 60, |i, j| d(i) * s.at(i, j) * d(j)),
    ));
    v.push(("hilbert10".into(), hilbert(10)));
    v.push(("spd50".into(), random_spd(50, 0.1, 45)));
    v.push(("huge40".into(), random_symmetric(40, 46).scaled(huge)));
    v.push(("tiny40".into(), random_symmetric(40, 47).scaled(tiny)));
    v.push(("rank2_60".into(), {
        let x = Dense::random(60, 2, 48);
        x.matmul(&x.t())
    }));
    v
}

fn catalogue_checks<T: Scalar>(test: &str) {
    let eps = T::EPS.to_f64();
    let mut back = Vec::new();
    let mut orth = Vec::new();
    let mut agree = Vec::new();
    for (name, a) in catalogue::<T>() {
        let a = a.round_to::<T>();
        for (k, &layout) in LAYOUTS.iter().enumerate() {
            // Every layout on the small and medium cases; column-major only on the largest.
            if a.n > 64 && k > 0 {
                continue;
            }
            let uplo = if k % 2 == 0 { Uplo::Lower } else { Uplo::Upper };
            // Alternate the vector paths: default, QL only, divide and conquer at every size.
            let threshold = [
                EighParams::default().divide_conquer_threshold,
                usize::MAX,
                0,
            ][k % 3];
            let params = EighParams {
                divide_conquer_threshold: threshold,
            };
            let (w, v, wv) = run_with::<T>(&a, layout, uplo, Par::Seq, &params);
            assert!(w.windows(2).all(|p| p[0] <= p[1]), "{name}: not ascending");
            let (b, o) = eigh_errors(&a, &w, &v, eps);
            let path = ["default", "ql", "dc"][k % 3];
            let tag = format!("{name}/{layout:?}/{path}");
            assert!(b <= BOUND, "{tag}: backward error {b}");
            assert!(o <= BOUND, "{tag}: orthogonality {o}");
            // Values-only (root-free QL) agrees with the QL-with-vectors values.
            let scale = a.norm1().max(f64::MIN_POSITIVE);
            let n = a.n.max(1) as f64;
            let dev = w
                .iter()
                .zip(&wv)
                .map(|(x, y)| (x - y).abs())
                .fold(0.0, f64::max);
            let r = ratio(dev, scale * n * eps);
            assert!(r <= BOUND, "{tag}: eigvalsh vs eigh {r}");
            back.push((tag.clone(), b));
            orth.push((tag.clone(), o));
            agree.push((tag, r));
        }
    }
    report(test, "‖A − VΛVᵀ‖₁/(‖A‖₁·n·ε)", &back);
    report(test, "‖VᵀV − I‖₁/(n·ε)", &orth);
    report(test, "|λ(eigvalsh) − λ(eigh)|/(‖A‖₁·n·ε)", &agree);
}

#[test]
fn catalogue_f64() {
    for_each_isa("eigh catalogue_f64", |_| {
        catalogue_checks::<f64>("eigh catalogue_f64")
    });
}

#[test]
fn catalogue_f32() {
    for_each_isa("eigh catalogue_f32", |_| {
        catalogue_checks::<f32>("eigh catalogue_f32")
    });
}

#[test]
fn parallel_matches_bounds() {
    let _g = isa_lock();
    // 300: the merges of order 300 and 150 split their secular roots and vectors across
    // the threads (from 128 up); from 256 the tridiagonal reduction runs on a spinning team.
    for n in [150, 300] {
        let a = random_symmetric(n, 99);
        let (w, v, _) = run::<f64>(&a, Layout::ColMajor, Uplo::Lower, Par::Rayon(2));
        let (b, o) = eigh_errors(&a, &w, &v, f64::EPSILON);
        eprintln!("eigh parallel n={n}: backward {b:.3e}, orthogonality {o:.3e}");
        assert!(b <= BOUND && o <= BOUND);
        let a = a.round_to::<f32>();
        let (w, v, _) = run::<f32>(&a, Layout::RowMajor, Uplo::Upper, Par::Rayon(2));
        let (b, o) = eigh_errors(&a, &w, &v, f32::EPSILON as f64);
        eprintln!("eigh parallel f32 n={n}: backward {b:.3e}, orthogonality {o:.3e}");
        assert!(b <= BOUND && o <= BOUND);
    }
}

#[test]
fn toeplitz_closed_form() {
    let _g = isa_lock();
    let mut worst = Vec::new();
    for &n in &[1usize, 2, 3, 10, 57, 150] {
        let exact = toeplitz_121_eigenvalues(n);
        let bound = |name: &str, got: &[f64], eps: f64| {
            let dev = got
                .iter()
                .zip(&exact)
                .map(|(x, y)| (x - y).abs())
                .fold(0.0, f64::max);
            let r = dev / (4.0 * n as f64 * eps);
            assert!(r <= BOUND, "{name} n={n}: {r}");
            (format!("{name}{n}"), r)
        };
        // Tridiagonal solvers directly, f64 and f32.
        let mut d = vec![2.0; n];
        let mut e = vec![-1.0; n.saturating_sub(1)];
        tridiagonal_eigvals(&mut d, &mut e).unwrap();
        worst.push(bound("sterf", &d, f64::EPSILON));
        let mut d = vec![2.0; n];
        let mut e = vec![-1.0; n.saturating_sub(1)];
        let mut z = Dense::identity(n).data;
        tridiagonal_eigh(
            &mut d,
            &mut e,
            Some(MatMut::from_col_major(&mut z, n, n).unwrap()),
        )
        .unwrap();
        worst.push(bound("steqr", &d, f64::EPSILON));
        let zd = Dense { m: n, n, data: z };
        let (b, o) = eigh_errors(&toeplitz_121(n), &d, &zd, f64::EPSILON);
        assert!(b <= BOUND && o <= BOUND, "steqr vectors n={n}: {b} {o}");
        let mut d = vec![2.0; n];
        let mut e = vec![-1.0; n.saturating_sub(1)];
        let mut z = vec![0.0; n * n];
        tridiagonal_eigh_dc(
            &mut d,
            &mut e,
            MatMut::from_col_major(&mut z, n, n).unwrap(),
            Par::Seq,
        )
        .unwrap();
        worst.push(bound("stedc", &d, f64::EPSILON));
        let zd = Dense { m: n, n, data: z };
        let (b, o) = eigh_errors(&toeplitz_121(n), &d, &zd, f64::EPSILON);
        assert!(b <= BOUND && o <= BOUND, "stedc vectors n={n}: {b} {o}");
        let mut d32 = vec![2.0f32; n];
        let mut e32 = vec![-1.0f32; n.saturating_sub(1)];
        tridiagonal_eigvals(&mut d32, &mut e32).unwrap();
        let d32: Vec<f64> = d32.iter().map(|&x| x as f64).collect();
        worst.push(bound("sterf_f32_", &d32, f32::EPSILON as f64));
        // Through the dense driver.
        let a = toeplitz_121(n);
        let (w, _, wv) = run::<f64>(&a, Layout::RowMajor, Uplo::Upper, Par::Seq);
        worst.push(bound("eigh", &w, f64::EPSILON));
        worst.push(bound("eigvalsh", &wv, f64::EPSILON));
    }
    report(
        "toeplitz_closed_form",
        "|λ − 2 + 2cos(jπ/(n+1))|/(4·n·ε)",
        &worst,
    );
}

#[test]
fn wilkinson_pairs_and_repeats() {
    let _g = isa_lock();
    // W21+: the largest two eigenvalues agree to ~14 digits and are 10.746194182903393...
    let a = wilkinson_plus(21);
    let (w, v, _) = run::<f64>(&a, Layout::ColMajor, Uplo::Lower, Par::Seq);
    assert!((w[20] - 10.746_194_182_903_393).abs() < 1e-13, "{}", w[20]);
    assert!((w[19] - w[20]).abs() < 1e-12);
    let (b, o) = eigh_errors(&a, &w, &v, f64::EPSILON);
    assert!(b <= BOUND && o <= BOUND);
    // Identity: all ones, V orthogonal.
    let (w, v, _) = run::<f64>(
        &Dense::identity(12),
        Layout::ColMajor,
        Uplo::Lower,
        Par::Seq,
    );
    assert!(w.iter().all(|&x| x == 1.0));
    assert!(orthogonality_error(&v) < 12.0 * f64::EPSILON * BOUND);
}

#[test]
fn tiny_and_empty() {
    let _g = isa_lock();
    let mut w: [f64; 0] = [];
    let mut a: [f64; 0] = [];
    eigh(
        MatMut::from_col_major(&mut a, 0, 0).unwrap(),
        Uplo::Lower,
        &mut w,
        true,
        Par::Seq,
    )
    .unwrap();
    let mut a = [-3.5];
    let mut w = [0.0];
    eigh(
        MatMut::from_col_major(&mut a, 1, 1).unwrap(),
        Uplo::Upper,
        &mut w,
        true,
        Par::Seq,
    )
    .unwrap();
    assert_eq!((w, a), ([-3.5], [1.0]));
    // Extreme scales near the ends of the range: no overflow, exact eigenvalues of a diagonal.
    for s in [1e307, 1e-307, 4e-320] {
        let mut a = [2.0 * s, 0.0, 0.0, -s];
        let mut w = [0.0; 2];
        eigh(
            MatMut::from_col_major(&mut a, 2, 2).unwrap(),
            Uplo::Lower,
            &mut w,
            true,
            Par::Seq,
        )
        .unwrap();
        assert_eq!(w, [-s, 2.0 * s], "scale {s}");
    }
    // [[1e300, 1e300], [1e300, 1e300]]: λ = 0, 2e300.
    let mut a = [1e300f64; 4];
    let mut w = [0.0f64; 2];
    eigh(
        MatMut::from_col_major(&mut a, 2, 2).unwrap(),
        Uplo::Lower,
        &mut w,
        true,
        Par::Seq,
    )
    .unwrap();
    assert!(
        w[0].abs() < 1e285 && (w[1] / 2e300 - 1.0).abs() < 1e-15,
        "{w:?}"
    );
}

#[test]
fn errors() {
    let _g = isa_lock();
    let mut a = [1.0; 6];
    let mut w = [0.0; 2];
    assert_eq!(
        eigh(
            MatMut::from_col_major(&mut a, 2, 3).unwrap(),
            Uplo::Lower,
            &mut w,
            true,
            Par::Seq
        ),
        Err(FactorError::NotSquare { nrows: 2, ncols: 3 })
    );
    let mut a = [1.0, f64::NAN, 0.0, 1.0]; // NaN below the diagonal
    assert_eq!(
        eigh(
            MatMut::from_col_major(&mut a, 2, 2).unwrap(),
            Uplo::Lower,
            &mut w,
            true,
            Par::Seq
        ),
        Err(FactorError::NonFinite)
    );
    // ... but the upper triangle is fine and the NaN is never read.
    eigh(
        MatMut::from_col_major(&mut a, 2, 2).unwrap(),
        Uplo::Upper,
        &mut w,
        false,
        Par::Seq,
    )
    .unwrap();
    assert_eq!(w, [1.0, 1.0]);
    let a = [1.0; 4];
    let mut w3 = [0.0; 3];
    assert!(matches!(
        eigvalsh(
            MatRef::from_col_major(&a, 2, 2).unwrap(),
            Uplo::Lower,
            &mut w3,
            Par::Seq
        ),
        Err(FactorError::Shape { .. })
    ));
    let (mut d, mut e) = ([1.0, f64::INFINITY], [0.0]);
    assert_eq!(
        tridiagonal_eigvals(&mut d, &mut e),
        Err(FactorError::NonFinite)
    );
}

#[test]
fn faer_oracle() {
    let _g = isa_lock();
    let mut worst = Vec::new();
    for (name, a) in [
        ("random100", random_symmetric(100, 7)),
        ("graded60", {
            let s = random_symmetric(60, 8);
            let d = |i: usize| 10f64.powf(-6.0 * i as f64 / 59.0);
            Dense::from_fn(60, 60, |i, j| d(i) * s.at(i, j) * d(j))
        }),
        ("wilkinson31", wilkinson_plus(31)),
    ] {
        let n = a.n;
        let fm = faer::Mat::<f64>::from_fn(n, n, |i, j| a.at(i, j));
        let theirs = fm
            .self_adjoint_eigenvalues(faer::Side::Lower)
            .expect("faer evd");
        let (w, _, wv) = run::<f64>(&a, Layout::ColMajor, Uplo::Lower, Par::Seq);
        for (label, ours) in [("eigh", &w), ("eigvalsh", &wv)] {
            let dev = ours
                .iter()
                .zip(&theirs)
                .map(|(x, y)| (x - y).abs())
                .fold(0.0, f64::max);
            let r = dev / (a.norm1() * n as f64 * f64::EPSILON);
            assert!(r <= BOUND, "{name} {label} vs faer: {r}");
            worst.push((format!("{name}/{label}"), r));
        }
    }
    report("faer_oracle", "|λ − λ_faer|/(‖A‖₁·n·ε)", &worst);
}
