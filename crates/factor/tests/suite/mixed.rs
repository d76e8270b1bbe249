//! Mixed precision solve (`dsgesv`): `f32` LU refined in `f64`, with the `f64` fallback, on
//! every ISA path and strided views.
//!
//! Bounds: when refinement stops, every column meets `‖b − A·x‖∞ ≤ ‖x‖∞·‖A‖∞·u·√n`
//! (`u = 2⁻⁵³`); `b = A·x_true` is itself rounded (`|δb| ≤ γ_n·|A|·|x_true|`), so
//! `‖x − x_true‖∞/‖x_true‖∞ ≤ κ∞(A)·(√n + n)·u` to first order: asserted
//! `err / (κ∞·ε) ≤ n` (`ε = 2u`). The fallback is a backward-stable `f64` LU solve
//! (Higham Thm 9.4), so the same bound holds with a modest growth factor, and the residual
//! ratio `‖Ax − b‖₁/(‖A‖₁‖x‖₁nε)` is asserted `≤ 10` for both paths.

use crate::common::*;
use lapis_factor::FactorError;
use lapis_factor::kernels::{MatMut, MatRef, Par};
use lapis_factor::lu;
use lapis_factor::mixed::{self, MAX_ITERATIONS, MixedPath};

fn norm_inf(a: &Dense) -> f64 {
    (0..a.m)
        .map(|i| (0..a.n).map(|j| a.at(i, j).abs()).sum::<f64>())
        .fold(0.0, f64::max)
}

/// `κ∞(A)` from the exact-enough f64 inverse.
fn cond_inf(a: &Dense) -> f64 {
    let n = a.n;
    let mut f = a.data.clone();
    let mut ipiv = vec![0; n];
    let mut fv = MatMut::from_col_major(&mut f, n, n).unwrap();
    lu::factor(fv.rb(), &mut ipiv, Par::Seq).unwrap();
    let mut inv = Dense::identity(n);
    lu::solve(
        fv.as_ref(),
        &ipiv,
        MatMut::from_col_major(&mut inv.data, n, n).unwrap(),
        Par::Seq,
    )
    .unwrap();
    norm_inf(a) * norm_inf(&inv)
}

/// Solves `A·x = A·x_true` with `mixed::solve` in `layout`; returns the path, the forward
/// error ratio `‖x − x_true‖∞/(‖x_true‖∞·κ∞·ε)` and the residual ratio.
fn run(a: &Dense, x_true: &Dense, layout: Layout, par: Par) -> (MixedPath, f64, f64) {
    let b = a.matmul(x_true);
    let sa = Stored::<f64>::new(a, layout);
    let mut sb = Stored::<f64>::new(&b, layout);
    let path = mixed::solve(sa.view(), sb.view_mut(), par).expect("mixed::solve");
    assert!(sb.gaps_untouched());
    let x = sb.to_dense();
    let kappa = cond_inf(a);
    let err = (0..x.n)
        .map(|j| {
            let e = (0..x.m).map(|i| (x.at(i, j) - x_true.at(i, j)).abs());
            let t = (0..x.m).map(|i| x_true.at(i, j).abs());
            ratio(e.fold(0.0, f64::max), t.fold(0.0, f64::max))
        })
        .fold(0.0, f64::max);
    let fwd = ratio(err, kappa * f64::EPSILON);
    (path, fwd, solve_residual(a, &x, &b, f64::EPSILON))
}

#[test]
fn seed_example() {
    let a = [2.0, 1.0, 1.0, 3.0];
    let mut b = [5.0, 10.0];
    let p = mixed::solve(
        MatRef::from_row_major(&a, 2, 2).unwrap(),
        MatMut::from_col_major(&mut b, 2, 1).unwrap(),
        Par::Seq,
    )
    .unwrap();
    assert!(p.is_refined(), "{p:?}");
    assert!(
        (b[0] - 1.0).abs() < 1e-15 && (b[1] - 3.0).abs() < 1e-15,
        "{b:?}"
    );
}

#[test]
fn well_conditioned_converges_in_a_few_steps() {
    let mut fwd = Vec::new();
    let mut res = Vec::new();
    let mut most = 0;
    for_each_isa("well_conditioned_converges_in_a_few_steps", |isa| {
        for (k, &n) in [1usize, 2, 3, 10, 50, 130, 200].iter().enumerate() {
            let layout = LAYOUTS[k % LAYOUTS.len()];
            // Random plus a shift: κ∞ in the tens to hundreds.
            let a = Dense::random(n, n, 40 + n as u64)
                .sub(&Dense::identity(n).scaled(-(n as f64).sqrt()));
            // Columns on very different scales (and a zero column): the residual scaling.
            let x_true = Dense::from_fn(n, 3, |i, j| {
                let r = Rng::new((i * 7 + j) as u64).uniform();
                [1.0, 1e-200, 0.0][j] * r + if j == 1 { 1e-200 } else { 0.0 }
            });
            let x_true = Dense::from_fn(n, 4, |i, j| {
                if j < 3 {
                    x_true.at(i, j)
                } else {
                    1e250 * (1.0 + i as f64)
                }
            });
            let par = if k % 2 == 0 { Par::Seq } else { Par::Rayon(2) };
            let (path, f, r) = run(&a, &x_true, layout, par);
            match path {
                MixedPath::Refined { iterations } => {
                    assert!(iterations <= 4, "n={n}: {iterations} iterations");
                    most = most.max(iterations);
                }
                other => panic!("n={n}: fell back ({other:?})"),
            }
            assert!(
                f <= n as f64 && r <= 10.0,
                "n={n}: forward {f:.2e}, residual {r:.2e}"
            );
            fwd.push((format!("float64/random{n}/{isa}"), f));
            res.push((format!("float64/random{n}/{isa}"), r));
        }
    });
    eprintln!("well_conditioned_converges_in_a_few_steps: at most {most} refinement steps");
    report("well_conditioned", "‖x−x_true‖∞/(‖x_true‖∞·κ∞·ε)", &fwd);
    report("well_conditioned", "‖Ax−b‖₁/(‖A‖₁‖x‖₁nε)", &res);
}

#[test]
fn ill_conditioned_falls_back_and_stays_accurate() {
    let mut fwd = Vec::new();
    for_each_isa("ill_conditioned_falls_back_and_stays_accurate", |isa| {
        // κ∞(H10) ≈ 3.5e13 ≫ 1/ε₃₂ ≈ 8.4e6; κ∞(H8) ≈ 3.4e10.
        for (n, layout) in [
            (8usize, Layout::ColMajor),
            (10, Layout::RowMajor),
            (12, Layout::NegCols),
        ] {
            let a = hilbert(n);
            let x_true = Dense::from_fn(n, 2, |i, j| 1.0 + (i + j) as f64 * 0.25);
            let (path, f, r) = run(&a, &x_true, layout, Par::Seq);
            assert!(
                matches!(
                    path,
                    MixedPath::NoConvergence { .. } | MixedPath::SingleSingular { .. }
                ),
                "hilbert{n}: {path:?}"
            );
            assert!(path.dsgesv_iter() < 0);
            assert!(
                f <= n as f64 && r <= 10.0,
                "hilbert{n}: forward {f:.2e}, residual {r:.2e}"
            );
            eprintln!(
                "    hilbert{n} on {isa}: {path:?}, forward ratio {f:.2e}, residual ratio {r:.2e}"
            );
            fwd.push((format!("float64/hilbert{n}/{isa}"), f));
        }
        // Around 1/ε₃₂ (κ₂ = 1e8 and 1e10, random singular vectors): refinement may or may not
        // meet the stopping rule (the contraction bound κ·ε₃₂ is pessimistic); either way the
        // answer is f64-accurate.
        for (k, decades) in [8.0, 10.0].into_iter().enumerate() {
            let n = 30;
            let s: Vec<f64> = (0..n)
                .map(|i| 10f64.powf(-decades * i as f64 / (n - 1) as f64))
                .collect();
            let a = with_singular_values(n, n, &s, 5 + k as u64);
            let x_true = Dense::random(n, 1, 6);
            let (path, f, r) = run(&a, &x_true, Layout::Strided, Par::Seq);
            assert!(
                f <= n as f64 && r <= 10.0,
                "graded: forward {f:.2e}, residual {r:.2e}"
            );
            eprintln!(
                "    graded κ₂=1e{decades} on {isa}: {path:?}, forward ratio {f:.2e}, residual ratio {r:.2e}"
            );
            fwd.push((format!("float64/graded{n}e{decades}/{isa}"), f));
        }
    });
    report("ill_conditioned", "‖x−x_true‖∞/(‖x_true‖∞·κ∞·ε)", &fwd);
}

#[test]
fn moderately_conditioned_needs_more_steps() {
    // κ ≈ 1e5: contraction ≈ κ·ε₃₂ ≈ 1e-2 per step, still converges.
    let n = 40;
    let s: Vec<f64> = (0..n)
        .map(|i| 10f64.powf(-5.0 * i as f64 / (n - 1) as f64))
        .collect();
    let a = with_singular_values(n, n, &s, 8);
    let x_true = Dense::random(n, 2, 9);
    let _g = isa_lock();
    let (path, f, r) = run(&a, &x_true, Layout::ColMajor, Par::Seq);
    eprintln!("moderately_conditioned (κ₂ = 1e5): {path:?}, forward {f:.2e}, residual {r:.2e}");
    match path {
        MixedPath::Refined { iterations } => assert!((2..=MAX_ITERATIONS).contains(&iterations)),
        other => panic!("{other:?}"),
    }
    assert!(f <= n as f64 && r <= 10.0);
}

#[test]
fn out_of_f32_range_falls_back() {
    let _g = isa_lock();
    let n = 20;
    let base = Dense::random(n, n, 11).sub(&Dense::identity(n).scaled(-5.0));
    let x_true = Dense::random(n, 1, 12);
    for (name, a) in [
        ("huge", base.scaled(1e39)),
        ("tiny", base.scaled(1e-39)),
        ("one_huge_entry", {
            let mut a = base.clone();
            a.set(3, 4, 4e38);
            a
        }),
    ] {
        let (path, f, r) = run(&a, &x_true, Layout::RowMajor, Par::Seq);
        assert_eq!(path, MixedPath::OutOfRange, "{name}");
        assert_eq!(path.dsgesv_iter(), -2);
        assert!(
            f <= n as f64 && r <= 10.0,
            "{name}: forward {f:.2e}, residual {r:.2e}"
        );
        eprintln!("out_of_f32_range_falls_back: {name}: forward {f:.2e}, residual {r:.2e}");
    }
    // Large but in range: refined.
    let (path, _, r) = run(&base.scaled(1e30), &x_true, Layout::ColMajor, Par::Seq);
    assert!(path.is_refined() && r <= 10.0, "{path:?}");
}

#[test]
fn singular_and_invalid_inputs() {
    let _g = isa_lock();
    // [[1, 2], [2, 4]]: singular in f32 and in f64.
    let a = [1.0, 2.0, 2.0, 4.0];
    let mut b = [1.0, 2.0];
    let e = mixed::solve(
        MatRef::from_row_major(&a, 2, 2).unwrap(),
        MatMut::from_col_major(&mut b, 2, 1).unwrap(),
        Par::Seq,
    );
    assert_eq!(e, Err(FactorError::Singular { index: 1 }));
    // Singular in f32 only: 1 + 2⁻³⁰ rounds to 1.
    let t = 1.0 + 2f64.powi(-30);
    let a = [1.0, 1.0, 1.0, t];
    let mut b = [2.0, 1.0 + t];
    let p = mixed::solve(
        MatRef::from_row_major(&a, 2, 2).unwrap(),
        MatMut::from_col_major(&mut b, 2, 1).unwrap(),
        Par::Seq,
    )
    .unwrap();
    assert_eq!(p, MixedPath::SingleSingular { index: 1 });
    assert_eq!(p.dsgesv_iter(), -3);
    assert!(
        (b[0] - 1.0).abs() < 1e-6 && (b[1] - 1.0).abs() < 1e-6,
        "{b:?}"
    );
    // Shapes, non-finite, empty.
    let a = [1.0; 6];
    let mut b = [1.0; 3];
    assert_eq!(
        mixed::solve(
            MatRef::from_row_major(&a, 2, 3).unwrap(),
            MatMut::from_col_major(&mut b[..2], 2, 1).unwrap(),
            Par::Seq
        ),
        Err(FactorError::NotSquare { nrows: 2, ncols: 3 })
    );
    let a = [1.0, 0.0, 0.0, 1.0];
    assert_eq!(
        mixed::solve(
            MatRef::from_row_major(&a, 2, 2).unwrap(),
            MatMut::from_col_major(&mut b, 3, 1).unwrap(),
            Par::Seq
        ),
        Err(FactorError::Shape {
            op: "mixed::solve",
            shapes: vec![("a", (2, 2)), ("b", (3, 1))]
        })
    );
    let mut b = [1.0, f64::NAN];
    assert_eq!(
        mixed::solve(
            MatRef::from_row_major(&a, 2, 2).unwrap(),
            MatMut::from_col_major(&mut b, 2, 1).unwrap(),
            Par::Seq
        ),
        Err(FactorError::NonFinite)
    );
    let e: [f64; 0] = [];
    let mut eb: [f64; 0] = [];
    assert!(
        mixed::solve(
            MatRef::from_col_major(&e, 0, 0).unwrap(),
            MatMut::from_col_major(&mut eb, 0, 2).unwrap(),
            Par::Seq
        )
        .unwrap()
        .is_refined()
    );
}
