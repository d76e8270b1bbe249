//! Divide-and-conquer bidiagonal SVD (`bidiagonal_svd_dc`, LAPACK `bdsdc`) alone and through
//! `svd`: backward error, orthogonality, agreement of the singular values with implicit QR
//! (`bidiagonal_svd`), and the automatic fallback to QR.
//!
//! Bounds. Each merge is backward stable (Gu & Eisenstat 1995): deflation perturbs `B` by at
//! most `8·ε·‖B‖`, the secular roots are accurate to `O(ε)` relative to their distance to the
//! nearest pole, and the recomputed `ẑ` makes the computed vectors the exact ones of a matrix
//! within `O(ε·‖B‖)`, orthonormal to `O(n·ε)`. Over `log n` levels: `‖B − UΣVᵀ‖₁ ≤ p(n)·ε·‖B‖₁`
//! and `‖UᵀU − I‖₁, ‖VᵀV − I‖₁ ≤ p(n)·ε`, asserted as `≤ 10·n·ε` (norms `‖·‖₁`, which are at
//! most `√n` times the 2-norms the theory uses, so the constant is generous only in form). By
//! Weyl, `|σ̂_j − σ_j| ≤ ‖ΔB‖₂`: the values must agree with QR's to `10·n·ε·‖B‖₁`. That is
//! an absolute bound (divide and conquer, like every normwise backward-stable method, does not
//! have `bdsqr`'s relative accuracy on graded matrices); on well-conditioned bidiagonals
//! (`κ = σ_max/σ_min ≤ 4` here, checked) it gives every value, the smallest included, a
//! relative accuracy `|σ̂_j − σ_j|/σ_j ≤ c·n·ε·κ`, asserted as `≤ 10·n·ε`.

use crate::common::*;
use lapis_factor::FactorError;
use lapis_factor::kernels::{MatMut, Par, Scalar};
use lapis_factor::svd::{
    SvdParams, bidiagonal_svd, bidiagonal_svd_dc, bidiagonal_svd_dc_unguarded,
    bidiagonal_svd_dc_with_params, svd, svd_with_params,
};

const BOUND: f64 = 10.0;

/// The dense upper bidiagonal with diagonal `d`, superdiagonal `e`.
fn bidiag(d: &[f64], e: &[f64]) -> Dense {
    let n = d.len();
    Dense::from_fn(n, n, |i, j| {
        if i == j {
            d[i]
        } else if j == i + 1 {
            e[i]
        } else {
            0.0
        }
    })
}

/// A bidiagonal SVD's answer, widened to f64.
struct Bsvd {
    s: Vec<f64>,
    u: Dense,
    vt: Dense,
}

fn widen<T: Scalar>(x: &[T]) -> Vec<f64> {
    x.iter().map(|&v| v.to_f64()).collect()
}

/// The fast path alone (no fallback): it must succeed.
fn run_dc<T: Scalar>(d: &[f64], e: &[f64]) -> Bsvd {
    let n = d.len();
    let mut dt: Vec<T> = d.iter().map(|&x| T::from_f64(x)).collect();
    let mut et: Vec<T> = e.iter().map(|&x| T::from_f64(x)).collect();
    let mut u = vec![T::nan(); n * n];
    let mut vt = vec![T::nan(); n * n];
    bidiagonal_svd_dc_unguarded(
        &mut dt,
        &mut et,
        MatMut::from_col_major(&mut u, n, n).unwrap(),
        MatMut::from_col_major(&mut vt, n, n).unwrap(),
        Par::Seq,
    )
    .expect("divide and conquer gave up");
    Bsvd {
        s: widen(&dt),
        u: Dense {
            m: n,
            n,
            data: widen(&u),
        },
        vt: Dense {
            m: n,
            n,
            data: widen(&vt),
        },
    }
}

/// Implicit QR with vectors of the same (rounded) bidiagonal.
fn run_qr<T: Scalar>(d: &[f64], e: &[f64]) -> Bsvd {
    run_qr_scaled::<T>(d, e, 0)
}

/// [`run_qr`] on `B·2^k` (exact), with the values scaled back: `bidiagonal_svd`'s absolute
/// threshold `6n²·λ_min` (LAPACK `bdsqr`'s) costs accuracy on bidiagonals near underflow, so
/// the reference for those is computed near 1, as `svd` does.
fn run_qr_scaled<T: Scalar>(d: &[f64], e: &[f64], k: i32) -> Bsvd {
    let n = d.len();
    let f = 2f64.powi(k);
    let mut dt: Vec<T> = d.iter().map(|&x| T::from_f64(x * f)).collect();
    let mut et: Vec<T> = e.iter().map(|&x| T::from_f64(x * f)).collect();
    let mut u: Vec<T> = Dense::identity(n)
        .data
        .iter()
        .map(|&x| T::from_f64(x))
        .collect();
    let mut vt = u.clone();
    bidiagonal_svd(
        &mut dt,
        &mut et,
        Some(MatMut::from_col_major(&mut u, n, n).unwrap()),
        Some(MatMut::from_col_major(&mut vt, n, n).unwrap()),
    )
    .expect("bidiagonal_svd");
    Bsvd {
        s: dt.iter().map(|&x| x.to_f64() / f).collect(),
        u: Dense {
            m: n,
            n,
            data: widen(&u),
        },
        vt: Dense {
            m: n,
            n,
            data: widen(&vt),
        },
    }
}

/// `(‖B − UΣVᵀ‖₁/(‖B‖₁·n·ε), ‖UᵀU − I‖₁/(n·ε), ‖VᵀV − I‖₁/(n·ε))`.
fn errors(b: &Dense, o: &Bsvd, eps: f64) -> (f64, f64, f64) {
    let n = b.n.max(1) as f64;
    let us = Dense::from_fn(b.m, b.n, |i, j| o.u.at(i, j) * o.s[j]);
    let r = b.sub(&us.matmul(&o.vt)).norm1();
    (
        ratio(r, b.norm1() * n * eps),
        ratio(orthogonality_error(&o.u), n * eps),
        ratio(orthogonality_error(&o.vt.t()), n * eps),
    )
}

/// Bidiagonal test cases `(name, d, e, well_conditioned)`; `well_conditioned` marks those with
/// `σ_max/σ_min ≤ 4`, where the per-value relative check applies.
fn cases<T: Scalar>() -> Vec<(String, Vec<f64>, Vec<f64>, bool)> {
    let (huge, tiny) = extreme_scale::<T>();
    let mut v = Vec::new();
    let mut push = |name: String, d: Vec<f64>, e: Vec<f64>, well_conditioned: bool| {
        v.push((name, d, e, well_conditioned));
    };
    // Sizes at the leaf size (25), two leaves (51), and on up.
    for &n in &[1usize, 2, 3, 24, 25, 26, 27, 50, 51, 52, 77, 100, 203, 500] {
        let mut r = Rng::new(7000 + n as u64);
        push(
            format!("random{n}"),
            r.vec(n),
            r.vec(n.saturating_sub(1)),
            false,
        );
    }
    // Diagonally dominant (d ∈ [2, 3], |e| < 1): σ ∈ [1, 4], κ ≤ 4.
    for &n in &[40usize, 130] {
        let mut r = Rng::new(7100 + n as u64);
        let d: Vec<f64> = (0..n).map(|_| 2.0 + r.uniform().abs()).collect();
        let e: Vec<f64> = (0..n - 1).map(|_| r.uniform()).collect();
        push(format!("diag_dominant{n}"), d, e, true);
    }
    // Toeplitz and Wilkinson-like.
    push(
        "toeplitz_2_1_n100".into(),
        vec![2.0; 100],
        vec![1.0; 99],
        true,
    );
    push("ones120".into(), vec![1.0; 120], vec![1.0; 119], false);
    let w: Vec<f64> = (0..101).map(|i| (i as f64 - 50.0).abs()).collect();
    push("wilkinson_like101".into(), w, vec![1.0; 100], false);
    let w21: Vec<f64> = (0..21).map(|i| (i as f64 - 10.0).abs() + 1.0).collect();
    let d: Vec<f64> = (0..6).flat_map(|_| w21.clone()).collect();
    let e: Vec<f64> = (0..125)
        .map(|i| if i % 21 == 20 { 1e-9 } else { 1.0 })
        .collect();
    push("glued_wilkinson126".into(), d, e, false);
    // Graded d_i = 10^(−k·i), both directions.
    for &(n, k) in &[(60usize, 0.25f64), (90, 0.15), (150, 2.0)] {
        let d: Vec<f64> = (0..n).map(|i| 10f64.powf(-k * i as f64)).collect();
        let e: Vec<f64> = (0..n - 1)
            .map(|i| 10f64.powf(-k * i as f64 - 0.3))
            .collect();
        let (dr, er) = (
            d.iter().rev().copied().collect(),
            e.iter().rev().copied().collect(),
        );
        push(format!("graded_down{n}_k{k}"), d, e, false);
        push(format!("graded_up{n}_k{k}"), dr, er, false);
    }
    // Clustered and repeated singular values.
    let mut r = Rng::new(7200);
    let d: Vec<f64> = (0..80).map(|_| 1.0 + 1e-12 * r.uniform()).collect();
    push("clustered80".into(), d, vec![1e-13; 79], true);
    let d: Vec<f64> = (0..90).map(|i| [1.0, 2.0, 1.0][i % 3]).collect();
    let e: Vec<f64> = (0..89)
        .map(|i| if i % 10 == 0 { 1e-3 } else { 0.0 })
        .collect();
    push("repeated90".into(), d, e, true);
    push("constant_diag70".into(), vec![3.0; 70], vec![0.0; 69], true);
    // Exact zeros: on the diagonal (B singular), on the superdiagonal (B splits), all zero.
    let mut r = Rng::new(7300);
    let d: Vec<f64> = (0..110)
        .map(|i| if i % 7 == 3 { 0.0 } else { r.uniform() })
        .collect();
    let e: Vec<f64> = (0..109).map(|_| r.uniform()).collect();
    push("zero_diag110".into(), d, e, false);
    let d: Vec<f64> = (0..110).map(|_| r.uniform()).collect();
    let e: Vec<f64> = (0..109)
        .map(|i| if i % 10 == 0 { 0.0 } else { r.uniform() })
        .collect();
    push("zero_super110".into(), d, e, false);
    let mut d = vec![0.0; 60];
    d[59] = 1.0;
    push("zero_but_last60".into(), d, vec![0.0; 59], false);
    push("zeros60".into(), vec![0.0; 60], vec![0.0; 59], false);
    // Near overflow and underflow.
    let mut r = Rng::new(7400);
    let (d, e) = (r.vec(90), r.vec(89));
    push(
        "huge90".into(),
        d.iter().map(|x| x * huge).collect(),
        e.iter().map(|x| x * huge).collect(),
        false,
    );
    push(
        "tiny90".into(),
        d.iter().map(|x| x * tiny).collect(),
        e.iter().map(|x| x * tiny).collect(),
        false,
    );
    v
}

fn bidiagonal_checks<T: Scalar>(test: &str) {
    let eps = T::EPS.to_f64();
    let (mut back, mut orth, mut agree) = (Vec::new(), Vec::new(), Vec::new());
    for (name, d0, e0, well_conditioned) in cases::<T>() {
        // The matrix the solver actually sees.
        let d: Vec<f64> = d0.iter().map(|&x| T::from_f64(x).to_f64()).collect();
        let e: Vec<f64> = e0.iter().map(|&x| T::from_f64(x).to_f64()).collect();
        let n = d.len();
        let b = bidiag(&d, &e);
        let o = run_dc::<T>(&d, &e);
        assert!(
            o.s.windows(2).all(|p| p[0] >= p[1]) && o.s.iter().all(|&x| x >= 0.0),
            "{name}: values not descending and non-negative"
        );
        let (be, ou, ov) = errors(&b, &o, eps);
        assert!(be <= BOUND, "{name}: backward error {be}");
        assert!(
            ou <= BOUND && ov <= BOUND,
            "{name}: orthogonality {ou} {ov}"
        );
        let bmax = d.iter().chain(&e).fold(0.0f64, |a, x| a.max(x.abs()));
        let k = if bmax > 0.0 {
            -bmax.log2().round() as i32
        } else {
            0
        };
        let q = run_qr_scaled::<T>(&d, &e, k);
        let bn = b.norm1();
        let nf = n as f64;
        // Weyl: |σ̂ − σ| ≤ ‖ΔB‖ ≤ c·n·ε·‖B‖.
        let worst =
            o.s.iter()
                .zip(&q.s)
                .map(|(x, y)| ratio((x - y).abs(), bn * nf * eps))
                .fold(0.0, f64::max);
        assert!(worst <= BOUND, "{name}: values vs QR {worst}");
        if well_conditioned {
            let kappa = q.s[0] / q.s[n - 1];
            assert!(
                kappa <= 4.0,
                "{name}: κ = {kappa}, not a well-conditioned case"
            );
            let rel =
                o.s.iter()
                    .zip(&q.s)
                    .map(|(x, y)| ratio((x - y).abs(), y * nf * eps))
                    .fold(0.0, f64::max);
            assert!(rel <= BOUND, "{name}: relative {rel}");
            agree.push((format!("{name}/relative"), rel));
        }
        back.push((name.clone(), be));
        orth.push((name.clone(), ou.max(ov)));
        agree.push((name, worst));
    }
    report(test, "‖B − UΣVᵀ‖₁/(‖B‖₁·n·ε)", &back);
    report(test, "max(‖UᵀU − I‖₁, ‖VᵀV − I‖₁)/(n·ε)", &orth);
    report(test, "|σ_dc − σ_qr|/(‖B‖₁·n·ε)", &agree);
}

#[test]
fn bidiagonal_f64() {
    let _g = isa_lock();
    bidiagonal_checks::<f64>("svd_dc bidiagonal_f64");
}

#[test]
fn bidiagonal_f32() {
    let _g = isa_lock();
    bidiagonal_checks::<f32>("svd_dc bidiagonal_f32");
}

/// A sweep over 240 seeded bidiagonals of orders 26–275 and six structures (random; positive
/// with entries spread over 8 decades; exact zeros in `d` and `e`; a cluster `1 ± 1e-14` with
/// tiny `e`; graded over 12 decades; small integers with tiny `e`, i.e. exact repeats): the fast
/// path alone must succeed on every one, within the bounds above. Under an emulator the first
/// 60 (ten of each structure): what depends on the CPU there is the merges' products, and the
/// native run has swept all 240 on the same code.
#[test]
fn structured_sweep() {
    let _g = isa_lock();
    let (mut back, mut orth) = (Vec::new(), Vec::new());
    let seeds = if emulated() { 60 } else { 240u64 };
    for seed in 0..seeds {
        let mut r = Rng::new(seed * 7919 + 1);
        let n = 26 + (r.next_u64() % 250) as usize;
        let (mut d, mut e) = (r.vec(n), r.vec(n - 1));
        let nf = n as f64;
        match seed % 6 {
            0 => {}
            1 => {
                for x in d.iter_mut() {
                    *x = x.abs() * 10f64.powf(-8.0 * r.uniform().abs());
                }
            }
            2 => {
                d.iter_mut().step_by(5).for_each(|x| *x = 0.0);
                e.iter_mut().step_by(7).for_each(|x| *x = 0.0);
            }
            3 => {
                d.iter_mut().for_each(|x| *x = 1.0 + 1e-14 * *x);
                e.iter_mut().for_each(|x| *x *= 1e-8);
            }
            4 => {
                for (i, x) in d.iter_mut().enumerate() {
                    *x = 10f64.powf(-(i as f64) * 12.0 / nf);
                }
                for (i, x) in e.iter_mut().enumerate() {
                    *x = 10f64.powf(-(i as f64) * 12.0 / nf - 0.5);
                }
            }
            _ => {
                d.iter_mut().for_each(|x| *x = (*x * 3.0).round());
                e.iter_mut().for_each(|x| *x = (*x * 2.0).round() * 1e-3);
            }
        }
        let o = run_dc::<f64>(&d, &e);
        let (be, ou, ov) = errors(&bidiag(&d, &e), &o, f64::EPSILON);
        let tag = format!("kind{}/seed{seed}/n{n}", seed % 6);
        assert!(
            be <= BOUND && ou <= BOUND && ov <= BOUND,
            "{tag}: {be} {ou} {ov}"
        );
        back.push((tag.clone(), be));
        orth.push((tag, ou.max(ov)));
    }
    report("svd_dc structured_sweep", "‖B − UΣVᵀ‖₁/(‖B‖₁·n·ε)", &back);
    report("svd_dc structured_sweep", "orthogonality/(n·ε)", &orth);
}

/// `B = I + N` (ones on the diagonal and the superdiagonal): `BBᵀ` is `tridiag(1, 2, 1)` with
/// a last diagonal entry of 1, whose eigenvalues are `4·cos²(jπ/(2n + 1))`, so
/// `σ_j = 2·cos(jπ/(2n + 1))`, `j = 1..n`. Weyl: `|σ̂_j − σ_j| ≤ c·n·ε·‖B‖₂`, `‖B‖₂ ≤ 2`.
#[test]
fn known_values_of_ones_bidiagonal() {
    let _g = isa_lock();
    for &n in &[30usize, 101, 256] {
        let exact: Vec<f64> = (1..=n)
            .map(|j| 2.0 * (j as f64 * std::f64::consts::PI / (2 * n + 1) as f64).cos())
            .collect();
        for (eps, s) in [
            (
                f64::EPSILON,
                run_dc::<f64>(&vec![1.0; n], &vec![1.0; n - 1]).s,
            ),
            (
                f32::EPSILON as f64,
                run_dc::<f32>(&vec![1.0; n], &vec![1.0; n - 1]).s,
            ),
        ] {
            let dev = s
                .iter()
                .zip(&exact)
                .map(|(x, y)| (x - y).abs())
                .fold(0.0, f64::max);
            let r = dev / (2.0 * n as f64 * eps);
            eprintln!("ones bidiagonal n={n}: max |σ − 2cos(jπ/(2n+1))|/(‖B‖·n·ε) = {r:.3e}");
            assert!(r <= BOUND, "n={n}: {r}");
        }
    }
}

/// `svd` of `a` with `params`: `(s, U, Vᵀ)` thin or full.
fn run_svd<T: Scalar>(a: &Dense, full: bool, params: &SvdParams) -> (Vec<f64>, Dense, Dense) {
    let (m, n) = (a.m, a.n);
    let k = m.min(n);
    let (uc, vr) = if full { (m, n) } else { (k, k) };
    let at: Vec<T> = a.data.iter().map(|&x| T::from_f64(x)).collect();
    let mut s = vec![T::zero(); k];
    let mut u = vec![T::nan(); m * uc];
    let mut vt = vec![T::nan(); vr * n];
    svd_with_params(
        lapis_factor::kernels::MatRef::from_col_major(&at, m, n).unwrap(),
        &mut s,
        Some(MatMut::from_col_major(&mut u, m, uc).unwrap()),
        Some(MatMut::from_col_major(&mut vt, vr, n).unwrap()),
        Par::Seq,
        params,
    )
    .expect("svd");
    (
        widen(&s),
        Dense {
            m,
            n: uc,
            data: widen(&u),
        },
        Dense {
            m: vr,
            n,
            data: widen(&vt),
        },
    )
}

fn svd_checks<T: Scalar>(test: &str) {
    let eps = T::EPS.to_f64();
    let (huge, tiny) = extreme_scale::<T>();
    let graded_s: Vec<f64> = (0..120).map(|i| 10f64.powf(-0.1 * i as f64)).collect();
    // Descending, as svd returns them.
    let clustered_s: Vec<f64> = (0..90).map(|i| 1.0 + (89 - i) as f64 * 1e-13).collect();
    let cases: Vec<(&str, Dense, Option<Vec<f64>>)> = vec![
        ("random26", Dense::random(26, 26, 1), None),
        ("random100", Dense::random(100, 100, 2), None),
        ("tall300x140", Dense::random(300, 140, 3), None),
        ("tall170x150", Dense::random(170, 150, 4), None),
        ("wide120x260", Dense::random(120, 260, 5), None),
        ("low_rank200x150r20", low_rank(200, 150, 20, 6), None),
        (
            "zero_cols",
            Dense::from_fn(80, 60, |i, j| {
                if j % 3 == 0 {
                    0.0
                } else {
                    (i * j) as f64 % 7.0 - 3.0
                }
            }),
            None,
        ),
        ("zeros70", Dense::zeros(70, 70), None),
        (
            "graded_sv130x120",
            with_singular_values(130, 120, &graded_s, 7),
            Some(graded_s.clone()),
        ),
        (
            "repeated_sv80",
            with_singular_values(80, 80, &[2.0; 80], 8),
            Some(vec![2.0; 80]),
        ),
        (
            "clustered_sv100x90",
            with_singular_values(100, 90, &clustered_s, 9),
            Some(clustered_s.clone()),
        ),
        ("huge110", Dense::random(110, 110, 10).scaled(huge), None),
        ("tiny110x90", Dense::random(110, 90, 11).scaled(tiny), None),
        ("hilbert40", hilbert(40), None),
        ("kahan60", kahan(60, 1.2), None),
    ];
    let dc = SvdParams::default();
    let (mut back, mut orth, mut known) = (Vec::new(), Vec::new(), Vec::new());
    for (name, a0, exact) in cases {
        let a = a0.round_to::<T>();
        let (m, n) = (a.m, a.n);
        let k = m.min(n);
        for full in [false, true] {
            let (s, u, vt) = run_svd::<T>(&a, full, &dc);
            let tag = format!("{name}/{}", if full { "full" } else { "thin" });
            assert!(s.windows(2).all(|p| p[0] >= p[1]), "{tag}: not descending");
            let us = Dense::from_fn(m, k, |i, j| u.at(i, j) * s[j]);
            let vtk = Dense::from_fn(k, n, |i, j| vt.at(i, j));
            let r = a.sub(&us.matmul(&vtk)).norm1();
            let be = ratio(r, a.norm1() * m.max(n) as f64 * eps);
            let ou = ratio(orthogonality_error(&u), m as f64 * eps);
            let ov = ratio(orthogonality_error(&vt.t()), n as f64 * eps);
            assert!(be <= BOUND, "{tag}: backward {be}");
            assert!(ou <= BOUND && ov <= BOUND, "{tag}: orthogonality {ou} {ov}");
            back.push((tag.clone(), be));
            orth.push((tag.clone(), ou.max(ov)));
            if let Some(x) = &exact {
                // Weyl against the singular values the matrix was built with (its own
                // rounding to T is a perturbation of O(ε·‖A‖)).
                let dev = s
                    .iter()
                    .zip(x)
                    .map(|(p, q)| (p - q).abs())
                    .fold(0.0, f64::max);
                let r = dev / (x[0] * m.max(n) as f64 * eps);
                assert!(r <= BOUND, "{tag}: known values {r}");
                known.push((tag, r));
            }
        }
    }
    report(test, "‖A − UΣVᵀ‖₁/(‖A‖₁·max(m,n)·ε)", &back);
    report(test, "max(‖UᵀU − I‖₁/(m·ε), ‖VVᵀ − I‖₁/(n·ε))", &orth);
    report(test, "|σ̂ − σ|/(σ_max·max(m,n)·ε)", &known);
}

#[test]
fn through_svd_f64() {
    for_each_isa("svd_dc through_svd_f64", |_| {
        svd_checks::<f64>("svd_dc through_svd_f64")
    });
}

#[test]
fn through_svd_f32() {
    let _g = isa_lock();
    svd_checks::<f32>("svd_dc through_svd_f32");
}

/// With a secular iteration limit of 0 every divide-and-conquer merge gives up, and the
/// answer must be exactly that of implicit QR — through the production fallback, both in
/// `bidiagonal_svd_dc_with_params` and in `svd`.
#[test]
fn fallback_is_implicit_qr() {
    let _g = isa_lock();
    let forced = SvdParams {
        secular_iteration_limit: 0,
        ..SvdParams::default()
    };
    for &n in &[60usize, 200] {
        let mut r = Rng::new(n as u64);
        let (d0, e0) = (r.vec(n), r.vec(n - 1));
        let (mut d, mut e) = (d0.clone(), e0.clone());
        let mut u = vec![f64::NAN; n * n];
        let mut vt = vec![f64::NAN; n * n];
        bidiagonal_svd_dc_with_params(
            &mut d,
            &mut e,
            MatMut::from_col_major(&mut u, n, n).unwrap(),
            MatMut::from_col_major(&mut vt, n, n).unwrap(),
            Par::Seq,
            &forced,
        )
        .unwrap();
        let q = run_qr::<f64>(&d0, &e0);
        assert_eq!(d, q.s, "n={n}: values are QR's");
        assert_eq!(u, q.u.data, "n={n}: U is QR's");
        assert_eq!(vt, q.vt.data, "n={n}: Vᵀ is QR's");

        // Through svd: identical to the QR-only configuration, and a valid SVD.
        let a = Dense::random(n + 30, n, 77 + n as u64);
        let qr_only = SvdParams {
            divide_conquer_threshold: usize::MAX,
            ..SvdParams::default()
        };
        for full in [false, true] {
            let (s1, u1, vt1) = run_svd::<f64>(&a, full, &forced);
            let (s2, u2, vt2) = run_svd::<f64>(&a, full, &qr_only);
            assert_eq!(s1, s2, "n={n}: svd values after the fallback");
            assert_eq!(u1.data, u2.data, "n={n}: svd U after the fallback");
            assert_eq!(vt1.data, vt2.data, "n={n}: svd Vᵀ after the fallback");
            // And the default (divide and conquer) agrees with both to Weyl's bound.
            let (s3, _, _) = run_svd::<f64>(&a, full, &SvdParams::default());
            let dev = s1
                .iter()
                .zip(&s3)
                .map(|(x, y)| (x - y).abs())
                .fold(0.0, f64::max);
            assert!(dev <= BOUND * a.norm1() * (n + 30) as f64 * f64::EPSILON);
        }
    }
}

/// Asking for only `U` or only `Vᵀ` gives bitwise what the full call gives (divide and conquer
/// computes both either way, into scratch for the side not asked for).
#[test]
fn one_sided_requests() {
    let _g = isa_lock();
    for (m, n) in [(90usize, 70usize), (200, 60), (50, 120)] {
        let a = Dense::random(m, n, (m + n) as u64);
        let k = m.min(n);
        let mut s = vec![0.0; k];
        let (mut u, mut vt) = (vec![0.0; m * k], vec![0.0; k * n]);
        let av = lapis_factor::kernels::MatRef::from_col_major(&a.data, m, n).unwrap();
        svd(
            av,
            &mut s,
            Some(MatMut::from_col_major(&mut u, m, k).unwrap()),
            Some(MatMut::from_col_major(&mut vt, k, n).unwrap()),
            Par::Seq,
        )
        .unwrap();
        let (mut s1, mut u1) = (vec![0.0; k], vec![f64::NAN; m * k]);
        svd(
            av,
            &mut s1,
            Some(MatMut::from_col_major(&mut u1, m, k).unwrap()),
            None,
            Par::Seq,
        )
        .unwrap();
        let (mut s2, mut vt2) = (vec![0.0; k], vec![f64::NAN; k * n]);
        svd(
            av,
            &mut s2,
            None,
            Some(MatMut::from_col_major(&mut vt2, k, n).unwrap()),
            Par::Seq,
        )
        .unwrap();
        assert_eq!((&s1, &u1), (&s, &u), "{m}x{n}: U only");
        assert_eq!((&s2, &vt2), (&s, &vt), "{m}x{n}: Vᵀ only");
    }
}

#[test]
fn degenerate_and_errors() {
    let _g = isa_lock();
    // 0 × 0 and 1 × 1.
    let (mut d, mut e): (Vec<f64>, Vec<f64>) = (vec![], vec![]);
    let (mut u, mut vt) = (vec![], vec![]);
    bidiagonal_svd_dc(
        &mut d,
        &mut e,
        MatMut::from_col_major(&mut u, 0, 0).unwrap(),
        MatMut::from_col_major(&mut vt, 0, 0).unwrap(),
        Par::Seq,
    )
    .unwrap();
    let (mut d, mut e) = (vec![-3.0f64], vec![]);
    let (mut u, mut vt) = (vec![0.0; 1], vec![0.0; 1]);
    bidiagonal_svd_dc(
        &mut d,
        &mut e,
        MatMut::from_col_major(&mut u, 1, 1).unwrap(),
        MatMut::from_col_major(&mut vt, 1, 1).unwrap(),
        Par::Seq,
    )
    .unwrap();
    assert_eq!(d, [3.0]);
    assert_eq!(u[0] * vt[0], -1.0);
    // Non-finite input and wrong shapes are errors, for the guarded and unguarded paths.
    let n = 40;
    for bad in [f64::NAN, f64::INFINITY] {
        let (mut d, mut e) = (vec![1.0; n], vec![1.0; n - 1]);
        e[17] = bad;
        let (mut u, mut vt) = (vec![0.0; n * n], vec![0.0; n * n]);
        let r = bidiagonal_svd_dc(
            &mut d,
            &mut e,
            MatMut::from_col_major(&mut u, n, n).unwrap(),
            MatMut::from_col_major(&mut vt, n, n).unwrap(),
            Par::Seq,
        );
        assert_eq!(r, Err(FactorError::NonFinite));
        let r = bidiagonal_svd_dc_unguarded(
            &mut d,
            &mut e,
            MatMut::from_col_major(&mut u, n, n).unwrap(),
            MatMut::from_col_major(&mut vt, n, n).unwrap(),
            Par::Seq,
        );
        assert_eq!(r, Err(FactorError::NonFinite));
    }
    let (mut d, mut e) = (vec![1.0; n], vec![1.0; n - 2]);
    let (mut u, mut vt) = (vec![0.0; n * n], vec![0.0; n * n]);
    let r = bidiagonal_svd_dc(
        &mut d,
        &mut e,
        MatMut::from_col_major(&mut u, n, n).unwrap(),
        MatMut::from_col_major(&mut vt, n, n).unwrap(),
        Par::Seq,
    );
    assert!(matches!(r, Err(FactorError::Shape { .. })));
    let mut e = vec![1.0; n - 1];
    let r = bidiagonal_svd_dc(
        &mut d,
        &mut e,
        MatMut::from_col_major(&mut u, n, n).unwrap(),
        MatMut::from_col_major(&mut vt[..n * (n - 1)], n - 1, n).unwrap(),
        Par::Seq,
    );
    assert!(matches!(r, Err(FactorError::Shape { .. })));
    // NaN through svd (with vectors, above the threshold).
    let mut a = Dense::random(60, 50, 3).data;
    a[77] = f64::NAN;
    let mut s = vec![0.0; 50];
    let (mut u, mut vt) = (vec![0.0; 60 * 50], vec![0.0; 50 * 50]);
    let r = svd(
        lapis_factor::kernels::MatRef::from_col_major(&a, 60, 50).unwrap(),
        &mut s,
        Some(MatMut::from_col_major(&mut u, 60, 50).unwrap()),
        Some(MatMut::from_col_major(&mut vt, 50, 50).unwrap()),
        Par::Seq,
    );
    assert_eq!(r, Err(FactorError::NonFinite));
}

#[test]
fn parallel_matches_bounds() {
    let _g = isa_lock();
    let n = 300;
    let mut r = Rng::new(99);
    let (d0, e0) = (r.vec(n), r.vec(n - 1));
    let (mut d, mut e) = (d0.clone(), e0.clone());
    let (mut u, mut vt) = (vec![0.0; n * n], vec![0.0; n * n]);
    bidiagonal_svd_dc(
        &mut d,
        &mut e,
        MatMut::from_col_major(&mut u, n, n).unwrap(),
        MatMut::from_col_major(&mut vt, n, n).unwrap(),
        Par::Rayon(2),
    )
    .unwrap();
    let o = Bsvd {
        s: d,
        u: Dense { m: n, n, data: u },
        vt: Dense { m: n, n, data: vt },
    };
    let (be, ou, ov) = errors(&bidiag(&d0, &e0), &o, f64::EPSILON);
    eprintln!("svd_dc parallel n={n}: backward {be:.3e}, orthogonality {ou:.3e} {ov:.3e}");
    assert!(be <= BOUND && ou <= BOUND && ov <= BOUND);
}
