//! Singular value decomposition: backward error and orthogonality of `svd` (thin and full,
//! tall / square / wide, QR-first path), values-only agreement, the bidiagonal solver's
//! relative accuracy, rank-deficient / graded / scaled / degenerate inputs, every layout, f32
//! and f64, on every ISA path; singular values against closed forms, against eigenvalues of
//! `AᵀA`, and against faer.
//!
//! Bounds (Golub & Van Loan §8.6; Demmel & Kahan 1990): QR, bidiagonalization and the
//! back-transformations are Householder-based and backward stable, and each QR sweep of the
//! bidiagonal is backward stable, so `‖A − UΣVᵀ‖ ≤ p(m, n)·ε·‖A‖` and
//! `‖UᵀU − I‖, ‖VᵀV − I‖ ≤ p(m, n)·ε` with `p` modest: asserted
//! `‖A − UΣVᵀ‖₁/(‖A‖₁·max(m, n)·ε) ≤ 10` and `‖UᵀU − I‖₁/(m·ε), ‖VVᵀ − I‖₁/(n·ε) ≤ 10`.
//! By Weyl's theorem for singular values, `|σ̂_j − σ_j| ≤ ‖ΔA‖₂`: asserted
//! `|σ̂_j − σ_j| ≤ 10·max(m, n)·ε·‖A‖₁` against references. For a bidiagonal matrix,
//! Demmel–Kahan prove *relative* accuracy: `|σ̂_j − σ_j| ≤ c·n·ε·σ_j` (their bound is
//! `O(n²)·ε` worst case, `O(n)` observed): asserted `≤ 10·n·ε·σ_j` for graded bidiagonals.

use crate::common::*;
use lapis_factor::FactorError;
use lapis_factor::kernels::{MatMut, MatRef, Par, Scalar};
use lapis_factor::svd::{RandomizedSvdParams, bidiagonal_svd, randomized_svd, svd, svdvals};

const BOUND: f64 = 10.0;

struct Out {
    s: Vec<f64>,
    u: Dense,
    vt: Dense,
    s_only: Vec<f64>,
}

/// `svd` of `a` stored with `layout`, with `u`/`vt` stored with the same layout (thin or full).
fn run<T: Scalar>(a: &Dense, layout: Layout, full: bool, par: Par) -> Out {
    let (m, n) = (a.m, a.n);
    let k = m.min(n);
    let st = Stored::<T>::new(a, layout);
    let (uc, vr) = if full { (m, n) } else { (k, k) };
    let mut us = Stored::<T>::new(&Dense::zeros(m, uc), layout);
    let mut vs = Stored::<T>::new(&Dense::zeros(vr, n), layout);
    let mut s = vec![T::zero(); k];
    svd(
        st.view(),
        &mut s,
        Some(us.view_mut()),
        Some(vs.view_mut()),
        par,
    )
    .expect("svd");
    assert!(
        us.gaps_untouched() && vs.gaps_untouched(),
        "svd wrote outside the views"
    );
    let mut s2 = vec![T::zero(); k];
    svdvals(st.view(), &mut s2, par).expect("svdvals");
    let f = |x: &Vec<T>| x.iter().map(|&v| Scalar::to_f64(v)).collect::<Vec<f64>>();
    Out {
        s: f(&s),
        u: us.to_dense(),
        vt: vs.to_dense(),
        s_only: f(&s2),
    }
}

/// `(‖A − UΣVᵀ‖₁/(‖A‖₁·max(m,n)·ε), ‖UᵀU − I‖₁/(m·ε), ‖VVᵀ − I‖₁/(n·ε))`.
fn svd_errors(a: &Dense, o: &Out, eps: f64) -> (f64, f64, f64) {
    let (m, n) = (a.m, a.n);
    let k = m.min(n);
    let us = Dense::from_fn(m, k, |i, j| o.u.at(i, j) * o.s[j]);
    let vtk = Dense::from_fn(k, n, |i, j| o.vt.at(i, j));
    let r = a.sub(&us.matmul(&vtk)).norm1();
    let b = ratio(r, a.norm1() * m.max(n).max(1) as f64 * eps);
    let ou = ratio(orthogonality_error(&o.u), m.max(1) as f64 * eps);
    let ov = ratio(orthogonality_error(&o.vt.t()), n.max(1) as f64 * eps);
    (b, ou, ov)
}

fn max_dev(x: &[f64], y: &[f64]) -> f64 {
    x.iter()
        .zip(y)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max)
}

fn catalogue<T: Scalar>() -> Vec<Case> {
    let mut v = qr_catalogue::<T>(false);
    let (huge, tiny) = extreme_scale::<T>();
    let extra: Vec<(&str, Dense)> = vec![
        ("tall160x20", Dense::random(160, 20, 51)),
        ("wide20x160", Dense::random(20, 160, 52)),
        ("square150", Dense::random(150, 150, 53)),
        ("random140x110", Dense::random(140, 110, 61)),
        ("low_rank120x90r5", low_rank(120, 90, 5, 54)),
        ("rank1_40x70", low_rank(40, 70, 1, 55)),
        (
            "graded_sv60x40",
            with_singular_values(
                60,
                40,
                &(0..40)
                    .map(|i| 10f64.powf(-0.3 * i as f64))
                    .collect::<Vec<_>>(),
                56,
            ),
        ),
        (
            "repeated_sv50x50",
            with_singular_values(50, 50, &[2.0; 50], 57),
        ),
        (
            "clustered_sv45x30",
            with_singular_values(
                45,
                30,
                &(0..30).map(|i| 1.0 + i as f64 * 1e-12).collect::<Vec<_>>(),
                58,
            ),
        ),
        ("identity25", Dense::identity(25)),
        ("huge_wide30x50", Dense::random(30, 50, 59).scaled(huge)),
        ("tiny_tall70x20", Dense::random(70, 20, 60).scaled(tiny)),
    ];
    for (name, a) in extra {
        v.push(Case {
            name: name.to_string(),
            a,
        });
    }
    v
}

fn catalogue_checks<T: Scalar>(test: &str) {
    let eps = T::EPS.to_f64();
    let (mut back, mut orth, mut agree) = (Vec::new(), Vec::new(), Vec::new());
    for case in catalogue::<T>() {
        let a = case.a.round_to::<T>();
        for (k, &layout) in LAYOUTS.iter().enumerate() {
            if a.m.max(a.n) > 70 && k > 1 {
                continue;
            }
            let full = k % 2 == 1 || a.m * a.n < 400;
            let o = run::<T>(&a, layout, full, Par::Seq);
            let tag = format!(
                "{}/{layout:?}/{}",
                case.name,
                if full { "full" } else { "thin" }
            );
            assert!(
                o.s.windows(2).all(|p| p[0] >= p[1]),
                "{tag}: not descending"
            );
            assert!(
                o.s.iter().all(|&x| x >= 0.0),
                "{tag}: negative singular value"
            );
            let (b, ou, ov) = svd_errors(&a, &o, eps);
            assert!(b <= BOUND, "{tag}: backward error {b}");
            assert!(ou <= BOUND && ov <= BOUND, "{tag}: orthogonality {ou} {ov}");
            let scale = a.norm1();
            let r = ratio(
                max_dev(&o.s, &o.s_only),
                scale * a.m.max(a.n).max(1) as f64 * eps,
            );
            assert!(r <= BOUND, "{tag}: svdvals vs svd {r}");
            back.push((tag.clone(), b));
            orth.push((tag.clone(), ou.max(ov)));
            agree.push((tag, r));
        }
    }
    report(test, "‖A − UΣVᵀ‖₁/(‖A‖₁·max(m,n)·ε)", &back);
    report(test, "max(‖UᵀU − I‖₁/(m·ε), ‖VVᵀ − I‖₁/(n·ε))", &orth);
    report(test, "|σ(svdvals) − σ(svd)|/(‖A‖₁·max(m,n)·ε)", &agree);
}

#[test]
fn catalogue_f64() {
    for_each_isa("svd catalogue_f64", |_| {
        catalogue_checks::<f64>("svd catalogue_f64")
    });
}

#[test]
fn catalogue_f32() {
    for_each_isa("svd catalogue_f32", |_| {
        catalogue_checks::<f32>("svd catalogue_f32")
    });
}

#[test]
fn parallel_tall_and_wide() {
    let _g = isa_lock();
    // From 256 columns the bidiagonalization runs on a spinning team (of 2 and 3 threads).
    for (m, n, t) in [
        (150usize, 60usize, 2usize),
        (60, 150, 2),
        (120, 120, 2),
        (300, 300, 2),
        (330, 280, 3),
    ] {
        let a = Dense::random(m, n, (m * n) as u64);
        let o = run::<f64>(&a, Layout::ColMajor, true, Par::Rayon(t));
        let (b, ou, ov) = svd_errors(&a, &o, f64::EPSILON);
        eprintln!("svd parallel {m}x{n}: backward {b:.3e}, orthogonality {ou:.3e} {ov:.3e}");
        assert!(b <= BOUND && ou <= BOUND && ov <= BOUND);
    }
}

#[test]
fn known_singular_values() {
    let _g = isa_lock();
    let mut worst = Vec::new();
    // Prescribed spectra, tall (QR-first), square and wide.
    for (m, n, seed) in [(90usize, 30usize, 1u64), (40, 40, 2), (25, 75, 3)] {
        let k = m.min(n);
        let exact: Vec<f64> = (0..k).map(|i| 1.0 + (k - i) as f64).collect();
        let a = with_singular_values(m, n, &exact, seed);
        let o = run::<f64>(&a, Layout::RowMajor, false, Par::Seq);
        let r = max_dev(&o.s, &exact) / (a.norm1() * m.max(n) as f64 * f64::EPSILON);
        assert!(r <= BOUND, "{m}x{n}: {r}");
        worst.push((format!("spectrum{m}x{n}"), r));
    }
    // Rank deficiency: exactly r values above the noise level.
    let a = low_rank(80, 50, 6, 9);
    let o = run::<f64>(&a, Layout::ColMajor, false, Par::Seq);
    let noise = a.norm1() * 80.0 * f64::EPSILON * BOUND;
    assert!(o.s[5] > 1e-3 && o.s[6] < noise, "{:?}", &o.s[..8]);
    // Zero matrix: all zero, U and V still orthonormal.
    let o = run::<f64>(&Dense::zeros(7, 4), Layout::ColMajor, true, Par::Seq);
    assert!(o.s.iter().all(|&x| x == 0.0));
    assert!(orthogonality_error(&o.u) == 0.0 && orthogonality_error(&o.vt) == 0.0);
    // The toeplitz [-1, 2, -1] matrix is SPD: σ = λ.
    let n = 60;
    let exact: Vec<f64> = toeplitz_121_eigenvalues(n).into_iter().rev().collect();
    let o = run::<f64>(&toeplitz_121(n), Layout::ColMajor, false, Par::Seq);
    let r = max_dev(&o.s, &exact) / (4.0 * n as f64 * f64::EPSILON);
    assert!(r <= BOUND, "toeplitz {r}");
    worst.push(("toeplitz60".into(), r));
    report(
        "known_singular_values",
        "|σ − σ_exact|/(‖A‖₁·max(m,n)·ε)",
        &worst,
    );
}

#[test]
fn singular_values_vs_gram_eigenvalues() {
    let _g = isa_lock();
    // Well conditioned (σ in [1, 3]): σ_j² = λ_j(AᵀA), which eigh computes to ‖AᵀA‖·n·ε.
    let (m, n) = (70usize, 30usize);
    let exact: Vec<f64> = (0..n)
        .map(|i| 3.0 - 2.0 * i as f64 / (n - 1) as f64)
        .collect();
    let a = with_singular_values(m, n, &exact, 77);
    let g = a.t().matmul(&a);
    let mut gbuf = g.data.clone();
    let mut w = vec![0.0; n];
    lapis_factor::eigh::eigh(
        MatMut::from_col_major(&mut gbuf, n, n).unwrap(),
        lapis_factor::kernels::Uplo::Lower,
        &mut w,
        false,
        Par::Seq,
    )
    .unwrap();
    let from_gram: Vec<f64> = w.iter().rev().map(|x| x.sqrt()).collect();
    let o = run::<f64>(&a, Layout::ColMajor, false, Par::Seq);
    // |σ − √λ| ≈ |σ² − λ|/(2σ) ≤ ‖AᵀA‖·n·ε/2.
    let r = max_dev(&o.s, &from_gram) / (g.norm1() * n as f64 * f64::EPSILON);
    eprintln!("singular_values_vs_gram_eigenvalues: max |σ − √λ(AᵀA)|/(‖AᵀA‖₁·n·ε) = {r:.3e}");
    assert!(r <= BOUND);
}

#[test]
fn bidiagonal_relative_accuracy() {
    let _g = isa_lock();
    // Graded bidiagonal matrices: the f32 singular values match the f64 ones to a relative
    // c·n·ε_f32, even the smallest (Demmel–Kahan); the f64 vectors satisfy the identities.
    let mut worst = Vec::new();
    for (name, d, e) in [
        (
            "graded_down",
            (0..30)
                .map(|i| 10f64.powf(-0.5 * i as f64))
                .collect::<Vec<_>>(),
            (0..29)
                .map(|i| 10f64.powf(-0.5 * i as f64 - 0.2))
                .collect::<Vec<_>>(),
        ),
        (
            "graded_up",
            (0..30)
                .map(|i| 10f64.powf(-0.5 * (29 - i) as f64))
                .collect(),
            (0..29)
                .map(|i| 10f64.powf(-0.5 * (28 - i) as f64 - 0.2))
                .collect(),
        ),
        ("ones", vec![1.0; 40], vec![1.0; 39]),
        (
            "wilkinson_like",
            (0..25).map(|i| (i as f64 - 12.0).abs() + 1e-3).collect(),
            vec![1.0; 24],
        ),
    ] {
        let n = d.len();
        let (mut d64, mut e64) = (d.clone(), e.clone());
        let mut u = Dense::identity(n).data;
        let mut vt = Dense::identity(n).data;
        bidiagonal_svd(
            &mut d64,
            &mut e64,
            Some(MatMut::from_col_major(&mut u, n, n).unwrap()),
            Some(MatMut::from_col_major(&mut vt, n, n).unwrap()),
        )
        .unwrap();
        let b = Dense::from_fn(n, n, |i, j| {
            if i == j {
                d[i]
            } else if j == i + 1 {
                e[i]
            } else {
                0.0
            }
        });
        let o = Out {
            s: d64.clone(),
            u: Dense { m: n, n, data: u },
            vt: Dense { m: n, n, data: vt },
            s_only: vec![],
        };
        let (be, ou, ov) = svd_errors(&b, &o, f64::EPSILON);
        assert!(
            be <= BOUND && ou <= BOUND && ov <= BOUND,
            "{name}: {be} {ou} {ov}"
        );
        // Values only, f64: bitwise-close to the vectors path.
        let (mut dv, mut ev) = (d.clone(), e.clone());
        bidiagonal_svd(&mut dv, &mut ev, None, None).unwrap();
        let mut d32: Vec<f32> = d.iter().map(|&x| x as f32).collect();
        let mut e32: Vec<f32> = e.iter().map(|&x| x as f32).collect();
        // The f64 reference of the f32-rounded matrix.
        let (mut dr, mut er): (Vec<f64>, Vec<f64>) = (
            d32.iter().map(|&x| x as f64).collect(),
            e32.iter().map(|&x| x as f64).collect(),
        );
        bidiagonal_svd(&mut dr, &mut er, None, None).unwrap();
        bidiagonal_svd(&mut d32, &mut e32, None, None).unwrap();
        let rel = d32
            .iter()
            .zip(&dr)
            .map(|(&x, &y)| ((x as f64 - y) / y).abs())
            .fold(0.0, f64::max)
            / (n as f64 * f32::EPSILON as f64);
        let rel64 = dv
            .iter()
            .zip(&d64)
            .map(|(x, y)| ((x - y) / y).abs())
            .fold(0.0, f64::max)
            / (n as f64 * f64::EPSILON);
        assert!(
            rel <= BOUND && rel64 <= BOUND,
            "{name}: relative {rel} {rel64}"
        );
        worst.push((format!("{name}/f32"), rel));
        worst.push((format!("{name}/values_vs_vectors"), rel64));
    }
    report(
        "bidiagonal_relative_accuracy",
        "max_j |σ̂_j − σ_j|/(σ_j·n·ε)",
        &worst,
    );
}

#[test]
fn faer_oracle() {
    let _g = isa_lock();
    let mut worst = Vec::new();
    for (name, a) in [
        ("random120x80", Dense::random(120, 80, 5)),
        ("random50x130", Dense::random(50, 130, 6)),
        ("graded70", graded(70, 6.0, 7)),
        ("kahan50", kahan(50, 1.2)),
    ] {
        let fm = faer::Mat::<f64>::from_fn(a.m, a.n, |i, j| a.at(i, j));
        let theirs = fm.singular_values().expect("faer svd");
        let o = run::<f64>(&a, Layout::ColMajor, false, Par::Seq);
        for (label, ours) in [("svd", &o.s), ("svdvals", &o.s_only)] {
            let r = max_dev(ours, &theirs) / (a.norm1() * a.m.max(a.n) as f64 * f64::EPSILON);
            assert!(r <= BOUND, "{name} {label} vs faer: {r}");
            worst.push((format!("{name}/{label}"), r));
        }
    }
    report("faer_oracle", "|σ − σ_faer|/(‖A‖₁·max(m,n)·ε)", &worst);
}

#[test]
fn degenerate_and_errors() {
    let _g = isa_lock();
    // 0 × 3: no values, full U is 0 × 0, full Vᵀ is the 3 × 3 identity.
    let a: [f64; 0] = [];
    let mut s: [f64; 0] = [];
    let mut vt = [9.0; 9];
    let mut u: [f64; 0] = [];
    svd(
        MatRef::from_col_major(&a, 0, 3).unwrap(),
        &mut s,
        Some(MatMut::from_col_major(&mut u, 0, 0).unwrap()),
        Some(MatMut::from_col_major(&mut vt, 3, 3).unwrap()),
        Par::Seq,
    )
    .unwrap();
    assert_eq!(vt, [1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0]);
    // 1 × 1 negative: σ = 3, u·vt = −1.
    let a = [-3.0];
    let (mut s, mut u, mut vt) = ([0.0], [0.0], [0.0]);
    svd(
        MatRef::from_col_major(&a, 1, 1).unwrap(),
        &mut s,
        Some(MatMut::from_col_major(&mut u, 1, 1).unwrap()),
        Some(MatMut::from_col_major(&mut vt, 1, 1).unwrap()),
        Par::Seq,
    )
    .unwrap();
    assert_eq!((s[0], u[0] * vt[0]), (3.0, -1.0));
    // Extreme scale, no overflow: [[1e308, 1e308]] has σ = √2·1e308.
    let a = [1e308, 1e308];
    let mut s = [0.0];
    svdvals(MatRef::from_col_major(&a, 1, 2).unwrap(), &mut s, Par::Seq).unwrap();
    assert!((s[0] / (2f64.sqrt() * 1e308) - 1.0).abs() < 1e-15, "{s:?}");
    let a = [3e-320, 4e-320];
    svdvals(MatRef::from_col_major(&a, 2, 1).unwrap(), &mut s, Par::Seq).unwrap();
    assert!((s[0] / 5e-320 - 1.0).abs() < 1e-3, "{s:?}");
    // Errors.
    let a = [1.0, f64::NAN];
    assert_eq!(
        svdvals(MatRef::from_col_major(&a, 2, 1).unwrap(), &mut s, Par::Seq),
        Err(FactorError::NonFinite)
    );
    let a = [1.0; 6];
    let mut s2 = [0.0; 3];
    assert!(matches!(
        svdvals(MatRef::from_col_major(&a, 2, 3).unwrap(), &mut s2, Par::Seq),
        Err(FactorError::Shape { .. })
    ));
    let mut s = [0.0; 2];
    let mut u = [0.0; 6]; // 2 × 3: neither 2 × 2 nor 2 × 2
    assert!(matches!(
        svd(
            MatRef::from_col_major(&a, 2, 3).unwrap(),
            &mut s,
            Some(MatMut::from_col_major(&mut u, 2, 3).unwrap()),
            None,
            Par::Seq
        ),
        Err(FactorError::Shape { .. })
    ));
}

/// `(s, U, Vᵀ)` of the rank-`k` randomized SVD of `a`, in f64.
fn run_randomized<T: Scalar>(
    a: &Dense,
    k: usize,
    params: &RandomizedSvdParams,
) -> (Vec<f64>, Dense, Dense) {
    let (m, n) = (a.m, a.n);
    let st = Stored::<T>::new(a, Layout::RowMajor);
    let mut us = Stored::<T>::new(&Dense::zeros(m, k), Layout::Strided);
    let mut vs = Stored::<T>::new(&Dense::zeros(k, n), Layout::ColMajor);
    let mut s = vec![T::zero(); k];
    randomized_svd(
        st.view(),
        &mut s,
        Some(us.view_mut()),
        Some(vs.view_mut()),
        params,
        Par::Seq,
    )
    .expect("randomized_svd");
    (
        s.iter().map(|&x| Scalar::to_f64(x)).collect(),
        us.to_dense(),
        vs.to_dense(),
    )
}

#[test]
fn randomized_against_exact_tail() {
    // Bounds (Halko, Martinsson & Tropp 2011, Thm 10.7 and Cor. 10.10): with oversampling p ≥ 2
    // and q power iterations, ‖A − U·Σ·Vᵀ‖ is within a modest factor (→ 1 as q grows) of the
    // optimal rank-k error; Eckart–Young gives the optimum ‖A − A_k‖_F = √(Σ_{j≥k} σ_j²).
    // Asserted: Frobenius error ≤ 1.5 × optimal (fast and slow decay), top-k values within
    // 1e-8·σ₀ for fast decay (exact up to rounding when rank ≤ k + p), orthonormal factors.
    for_each_isa("randomized_against_exact_tail", |_| {
        let (m, n, k) = (150usize, 120usize, 10usize);
        let mut worst = Vec::new();
        for (name, sig) in [
            (
                "fast_decay",
                (0..n).map(|j| 0.7f64.powi(j as i32)).collect::<Vec<_>>(),
            ),
            (
                "slow_decay",
                (0..n).map(|j| 1.0 / (j + 1) as f64).collect::<Vec<_>>(),
            ),
            ("rank8", (0..8).map(|j| 8.0 - j as f64).collect::<Vec<_>>()),
        ] {
            let a = with_singular_values(m, n, &sig, 91);
            let params = RandomizedSvdParams::default();
            let (s, u, vt) = run_randomized::<f64>(&a, k, &params);
            let us = Dense::from_fn(m, k, |i, j| u.at(i, j) * s[j]);
            let err = norm_fro(&a.sub(&us.matmul(&vt)));
            let opt = sig.iter().skip(k).map(|x| x * x).sum::<f64>().sqrt();
            let eps = f64::EPSILON;
            let floor = norm_fro(&a) * (m as f64) * eps;
            let r = err / opt.max(floor);
            assert!(r <= 1.5, "{name}: error/optimal {r}");
            let ou = orthogonality_error(&u) / (m as f64 * eps);
            let ov = orthogonality_error(&vt.t()) / (n as f64 * eps);
            assert!(
                ou <= BOUND && ov <= BOUND,
                "{name}: orthogonality {ou} {ov}"
            );
            if name != "slow_decay" {
                let dev = s
                    .iter()
                    .zip(&sig)
                    .map(|(x, y)| (x - y).abs())
                    .fold(0.0, f64::max);
                assert!(dev <= 1e-8 * sig[0], "{name}: values {dev}");
            }
            // Same seed, same result; another seed, a different sketch but the same quality.
            let (s2, _, _) = run_randomized::<f64>(&a, k, &params);
            assert_eq!(s, s2, "{name}: not deterministic");
            worst.push((format!("{name}/error_over_optimal"), r));
            // f32: the same bounds with f32 rounding.
            let (s32, u32_, vt32) = run_randomized::<f32>(&a.round_to::<f32>(), k, &params);
            let us = Dense::from_fn(m, k, |i, j| u32_.at(i, j) * s32[j]);
            let err = norm_fro(&a.round_to::<f32>().sub(&us.matmul(&vt32)));
            let floor32 = norm_fro(&a) * m as f64 * f32::EPSILON as f64;
            let r32 = err / opt.max(floor32);
            assert!(r32 <= 1.5, "{name} f32: error/optimal {r32}");
            worst.push((format!("{name}/f32/error_over_optimal"), r32));
        }
        report(
            "randomized_against_exact_tail",
            "‖A − UΣVᵀ‖_F / ‖A − A_k‖_F",
            &worst,
        );
    });
}

#[test]
fn randomized_degenerate() {
    let _g = isa_lock();
    // k = 0, k = min(m, n) (exact SVD), and shape errors.
    let a = Dense::random(12, 7, 3);
    let st = Stored::<f64>::new(&a, Layout::ColMajor);
    let p = RandomizedSvdParams::default();
    randomized_svd(st.view(), &mut [], None, None, &p, Par::Seq).unwrap();
    let mut s = vec![0.0; 7];
    randomized_svd(st.view(), &mut s, None, None, &p, Par::Seq).unwrap();
    let mut exact = vec![0.0; 7];
    svdvals(st.view(), &mut exact, Par::Seq).unwrap();
    assert!(max_dev(&s, &exact) <= 1e-13 * exact[0]);
    let mut s8 = vec![0.0; 8];
    assert!(matches!(
        randomized_svd(st.view(), &mut s8, None, None, &p, Par::Seq),
        Err(FactorError::Shape { .. })
    ));
}

#[test]
fn eckart_young_truncation() {
    let _g = isa_lock();
    // Truncating the SVD to rank k gives the best rank-k approximation: in the Frobenius norm
    // the error is √(Σ_{j≥k} σ_j²) (Eckart–Young–Mirsky), up to the SVD's own backward error.
    let (m, n) = (90usize, 60usize);
    let sig: Vec<f64> = (0..n).map(|j| 1.0 / (1.0 + j as f64).powf(1.5)).collect();
    let a = with_singular_values(m, n, &sig, 123);
    let o = run::<f64>(&a, Layout::ColMajor, false, Par::Seq);
    let mut worst = Vec::new();
    for k in [1usize, 5, 20, 59] {
        let us = Dense::from_fn(m, k, |i, j| o.u.at(i, j) * o.s[j]);
        let vk = Dense::from_fn(k, n, |i, j| o.vt.at(i, j));
        let err = norm_fro(&a.sub(&us.matmul(&vk)));
        let opt = o.s[k..].iter().map(|x| x * x).sum::<f64>().sqrt();
        let dev = (err - opt).abs() / (norm_fro(&a) * m as f64 * f64::EPSILON);
        assert!(
            dev <= BOUND,
            "k={k}: |error − optimal| = {dev} (n·ε·‖A‖ units)"
        );
        worst.push((format!("k{k}"), dev));
    }
    report(
        "eckart_young_truncation",
        "|‖A − A_k‖_F − √Σσ_j²|/(‖A‖_F·m·ε)",
        &worst,
    );
}
