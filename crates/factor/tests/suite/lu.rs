//! LU with partial pivoting: backward error, solves, inverse, determinants, condition
//! estimates, singular and degenerate inputs, on every ISA path, f32 and f64, and strided /
//! transposed / negative-stride views.
//!
//! Bounds (Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed.):
//! * Thm 9.3: the computed factors satisfy `P·A + ΔA = L·U` with `|ΔA| ≤ γ_k·|L|·|U|`,
//!   `γ_k = k·u/(1 − k·u)`, `u = ε/2`, for any order of the inner products (so for the
//!   recursive and blocked orders too). Hence `‖PA − LU‖₁ ≤ (k·ε/2)·‖|L||U|‖₁` to first
//!   order; the test's own f64 product adds at most as much again at f64 (nothing at f32),
//!   so `‖PA − LU‖₁ / (‖|L||U|‖₁·k·ε) ≤ 1` is asserted for every case.
//! * With partial pivoting `‖|L||U|‖₁ / ‖A‖₁` is the growth-like factor; on the catalogue
//!   (random, graded, Hilbert, Kahan, diagonally dominant, scaled) it is modest, and the
//!   normwise ratio `‖PA − LU‖₁ / (‖A‖₁·k·ε)` is asserted `≤ 10`.
//! * Thm 9.4: `(A + ΔA)·x = b` with `|ΔA| ≤ γ_{3n}·|L|·|U|`, so the residual ratio
//!   `‖Ax − b‖₁ / (‖A‖₁·‖x‖₁·n·ε) ≤ (3/2)·‖|L||U|‖₁/‖A‖₁`: asserted `≤ 10`.
//! * §14.3 (method B, as `getri`): `|X·A − I| ≤ c_n·u·|X|·|L|·|U|`: the left residual
//!   `‖XA − I‖₁ / (‖X‖₁·‖A‖₁·n·ε)` is asserted `≤ 10`.

use crate::common::*;
use lapis_factor::FactorError;
use lapis_factor::kernels::{MatMut, MatRef, Par, Scalar};
use lapis_factor::lu::{self, LuParams};

/// Factors a copy of `a` stored with `layout`; returns the packed factors, pivots, status.
fn factor_stored<T: Scalar>(
    a: &Dense,
    layout: Layout,
    params: &LuParams,
    par: Par,
) -> (Stored<T>, Vec<usize>, lu::LuStatus) {
    let mut s = Stored::<T>::new(a, layout);
    let mut ipiv = vec![usize::MAX; a.m.min(a.n)];
    let status = lu::factor_with_params(s.view_mut(), &mut ipiv, par, params).expect("factor");
    assert!(s.gaps_untouched(), "factor wrote outside the view");
    (s, ipiv, status)
}

fn param_variants<T: Scalar>() -> Vec<LuParams> {
    let d = LuParams::for_scalar::<T>();
    vec![
        d,
        LuParams {
            block_size: usize::MAX,
            ..d
        },
        LuParams {
            block_size: 7,
            recursion_threshold: 3,
            ..d
        },
        LuParams {
            block_size: 1,
            recursion_threshold: 1,
            ..d
        },
        LuParams {
            block_size: 40,
            recursion_threshold: 1,
            ..d
        },
    ]
}

// ---------------------------------------------------------------------------------------------

#[test]
fn seed_examples() {
    // [[2, 1], [1, 3]] x = [5, 10]  ->  x = [1, 3]
    let mut a = [2.0, 1.0, 1.0, 3.0];
    let mut ipiv = [0; 2];
    let s = lu::factor(
        MatMut::from_row_major(&mut a, 2, 2).unwrap(),
        &mut ipiv,
        Par::Seq,
    )
    .unwrap();
    assert_eq!(s.first_zero_pivot, None);
    let mut b = [5.0, 10.0];
    lu::solve(
        MatRef::from_row_major(&a, 2, 2).unwrap(),
        &ipiv,
        MatMut::from_col_major(&mut b, 2, 1).unwrap(),
        Par::Seq,
    )
    .unwrap();
    assert_eq!(b, [1.0, 3.0]);

    // [[1, 2], [2, 4]]  ->  singular, U[1, 1] == 0
    let mut a = [1.0, 2.0, 2.0, 4.0];
    let s = lu::factor(
        MatMut::from_row_major(&mut a, 2, 2).unwrap(),
        &mut ipiv,
        Par::Seq,
    )
    .unwrap();
    assert_eq!(s.first_zero_pivot, Some(1));
    assert_eq!(s.check(), Err(FactorError::Singular { index: 1 }));
    let view = MatRef::from_row_major(&a, 2, 2).unwrap();
    let mut b = [5.0, 10.0];
    assert_eq!(
        lu::solve(
            view,
            &ipiv,
            MatMut::from_col_major(&mut b, 2, 1).unwrap(),
            Par::Seq
        ),
        Err(FactorError::Singular { index: 1 })
    );
    assert_eq!(b, [5.0, 10.0], "a failed solve leaves b alone");
    assert_eq!(lu::det(view, &ipiv).unwrap(), 0.0);
    assert_eq!(lu::slogdet(view, &ipiv).unwrap(), (0.0, f64::NEG_INFINITY));
    assert_eq!(lu::rcond(view, &ipiv, 6.0, Par::Seq).unwrap(), 0.0);
    let mut inv = a;
    assert_eq!(
        lu::inverse(
            MatMut::from_row_major(&mut inv, 2, 2).unwrap(),
            &ipiv,
            Par::Seq
        ),
        Err(FactorError::Singular { index: 1 })
    );
}

// ---------------------------------------------------------------------------------------------

fn backward_error_for<T: Scalar>(
    out: &mut Vec<(String, f64)>,
    out_lu: &mut Vec<(String, f64)>,
    big: bool,
) {
    let eps = T::EPS.to_f64();
    for c in lu_catalogue::<T>(big) {
        let a = c.a.round_to::<T>();
        for (li, &layout) in LAYOUTS.iter().enumerate() {
            for (pi, params) in param_variants::<T>().iter().enumerate() {
                // Every layout with the default parameters, every parameter set column-major.
                if pi != 0 && layout != Layout::ColMajor && (li + pi) % 3 != 0 {
                    continue;
                }
                if a.n > 130 && (pi > 1 || li > 1) {
                    continue;
                }
                let (s, ipiv, status) = factor_stored::<T>(&a, layout, params, Par::Seq);
                assert_eq!(status.first_zero_pivot, None, "{}", c.name);
                assert!(ipiv.iter().enumerate().all(|(i, &p)| p >= i && p < a.m));
                let perm = lu::permutation(&ipiv, a.m).unwrap();
                let f = s.to_dense();
                // |l_ij| <= 1 is what partial pivoting promises.
                let (l, _) = unpack_lu(&f);
                assert!(l.data.iter().all(|x| x.abs() <= 1.0), "{}: |L| > 1", c.name);
                let (ra, rlu) = lu_backward_error(&a, &f, &perm, eps);
                let tag = format!("{}/{}/{:?}/p{pi}", T::DTYPE, c.name, layout);
                assert!(rlu <= 1.0, "{tag}: ‖PA−LU‖/(‖|L||U|‖kε) = {rlu}");
                assert!(ra <= 10.0, "{tag}: ‖PA−LU‖/(‖A‖kε) = {ra}");
                out.push((tag.clone(), ra));
                out_lu.push((tag, rlu));
            }
        }
    }
}

#[test]
fn backward_error_catalogue() {
    let mut ra = Vec::new();
    let mut rlu = Vec::new();
    let mut first = true;
    for_each_isa("lu::backward_error_catalogue", |_isa| {
        // The 300 × 300 cases on the first (scalar) and last (widest) path only.
        let big = first || _isa == lapis_factor::kernels::detected();
        first = false;
        backward_error_for::<f64>(&mut ra, &mut rlu, big);
        backward_error_for::<f32>(&mut ra, &mut rlu, big);
    });
    report("lu::backward_error_catalogue", "‖PA−LU‖₁/(‖A‖₁·k·ε)", &ra);
    report(
        "lu::backward_error_catalogue",
        "‖PA−LU‖₁/(‖|L||U|‖₁·k·ε)",
        &rlu,
    );
}

#[test]
fn rectangular_factorizations() {
    let mut ratios = Vec::new();
    for_each_isa("lu::rectangular_factorizations", |_| {
        for &(m, n) in &[
            (300usize, 120usize),
            (120, 37),
            (50, 130),
            (1, 9),
            (9, 1),
            (17, 0),
            (0, 4),
        ] {
            for params in param_variants::<f64>().iter().take(3) {
                let a = Dense::random(m, n, (m * 1000 + n) as u64);
                let (s, ipiv, status) =
                    factor_stored::<f64>(&a, Layout::RowMajor, params, Par::Seq);
                assert_eq!(status.first_zero_pivot, None);
                assert_eq!(ipiv.len(), m.min(n));
                let perm = lu::permutation(&ipiv, m).unwrap();
                let (ra, rlu) = lu_backward_error(&a, &s.to_dense(), &perm, f64::EPSILON);
                assert!(rlu <= 1.0 && ra <= 10.0, "{m}x{n}: {ra} {rlu}");
                ratios.push((format!("{m}x{n}"), ra));
            }
        }
    });
    report(
        "lu::rectangular_factorizations",
        "‖PA−LU‖₁/(‖A‖₁·k·ε)",
        &ratios,
    );
}

// ---------------------------------------------------------------------------------------------

fn solves_for<T: Scalar>(out: &mut Vec<(String, f64)>) {
    let eps = T::EPS.to_f64();
    for c in lu_catalogue::<T>(false) {
        let a = c.a.round_to::<T>();
        let n = a.n;
        for (k, &nrhs) in [1usize, 3, 17].iter().enumerate() {
            let layout = LAYOUTS[(k + n) % LAYOUTS.len()];
            let (s, ipiv, _) =
                factor_stored::<T>(&a, layout, &LuParams::for_scalar::<T>(), Par::Seq);
            let b = Dense::random(n, nrhs, 77 + n as u64).scaled(a.norm1().max(f64::MIN_POSITIVE));
            let b = b.round_to::<T>();
            for transpose in [false, true] {
                let mut x = Stored::<T>::new(&b, LAYOUTS[(k + 2) % LAYOUTS.len()]);
                if transpose {
                    lu::solve_transpose(s.view(), &ipiv, x.view_mut(), Par::Seq).unwrap();
                } else {
                    lu::solve(s.view(), &ipiv, x.view_mut(), Par::Seq).unwrap();
                }
                assert!(x.gaps_untouched());
                let op = if transpose { a.t() } else { a.clone() };
                let r = solve_residual(&op, &x.to_dense(), &b, eps);
                let tag = format!(
                    "{}/{}/nrhs{nrhs}/{}",
                    T::DTYPE,
                    c.name,
                    if transpose { "T" } else { "N" }
                );
                assert!(r <= 10.0, "{tag}: residual ratio {r}");
                out.push((tag, r));
            }
        }
    }
}

#[test]
fn solve_residuals() {
    let mut ratios = Vec::new();
    for_each_isa("lu::solve_residuals", |_| {
        solves_for::<f64>(&mut ratios);
        solves_for::<f32>(&mut ratios);
    });
    report("lu::solve_residuals", "‖Ax−b‖₁/(‖A‖₁‖x‖₁·n·ε)", &ratios);
}

// ---------------------------------------------------------------------------------------------

fn inverses_for<T: Scalar>(out: &mut Vec<(String, f64)>, out_right: &mut Vec<(String, f64)>) {
    let eps = T::EPS.to_f64();
    for c in lu_catalogue::<T>(false) {
        let a = c.a.round_to::<T>();
        let n = a.n;
        let layout = LAYOUTS[n % LAYOUTS.len()];
        let (mut s, ipiv, _) =
            factor_stored::<T>(&a, layout, &LuParams::for_scalar::<T>(), Par::Seq);
        lu::inverse(s.view_mut(), &ipiv, Par::Seq).unwrap();
        assert!(s.gaps_untouched());
        let x = s.to_dense();
        let denom = x.norm1() * a.norm1() * n as f64 * eps;
        let left = ratio(x.matmul(&a).sub(&Dense::identity(n)).norm1(), denom);
        let right = ratio(a.matmul(&x).sub(&Dense::identity(n)).norm1(), denom);
        let tag = format!("{}/{}", T::DTYPE, c.name);
        assert!(left <= 10.0, "{tag}: ‖XA − I‖ ratio {left}");
        out.push((tag.clone(), left));
        out_right.push((tag, right));
    }
}

#[test]
fn inverse_identity() {
    let mut left = Vec::new();
    let mut right = Vec::new();
    for_each_isa("lu::inverse_identity", |_| {
        inverses_for::<f64>(&mut left, &mut right);
        inverses_for::<f32>(&mut left, &mut right);
    });
    report("lu::inverse_identity", "‖XA−I‖₁/(‖X‖₁‖A‖₁·n·ε)", &left);
    report(
        "lu::inverse_identity",
        "‖AX−I‖₁/(‖X‖₁‖A‖₁·n·ε) (not asserted)",
        &right,
    );
}

#[test]
fn inverse_of_hilbert_matches_closed_form() {
    // Forward error of the inverse: ‖X − H⁻¹‖/‖H⁻¹‖ ≲ c·κ·n·ε (Higham §14.1); κ₁(H₈) ≈ 3.4e10.
    let _g = isa_lock();
    for n in [3usize, 6, 8] {
        let h = hilbert(n);
        let exact = hilbert_inverse(n);
        let mut s = Stored::<f64>::new(&h, Layout::ColMajor);
        let mut ipiv = vec![0; n];
        lu::factor(s.view_mut(), &mut ipiv, Par::Seq).unwrap();
        lu::inverse(s.view_mut(), &ipiv, Par::Seq).unwrap();
        let kappa = h.norm1() * exact.norm1();
        let err = s.to_dense().sub(&exact).norm1() / exact.norm1();
        eprintln!(
            "hilbert{n}: ‖X − H⁻¹‖/‖H⁻¹‖ = {err:.2e}, κ₁·n·ε = {:.2e}",
            kappa * n as f64 * f64::EPSILON
        );
        assert!(err <= kappa * n as f64 * f64::EPSILON, "hilbert{n}: {err}");
    }
}

// ---------------------------------------------------------------------------------------------

#[test]
fn determinants() {
    let _g = isa_lock();
    // Product of pivots with the swap parity, computed here independently in f64.
    for c in lu_catalogue::<f64>(false)
        .into_iter()
        .filter(|c| c.a.n <= 64)
    {
        let (s, ipiv, _) = factor_stored::<f64>(
            &c.a,
            Layout::RowMajor,
            &LuParams::for_scalar::<f64>(),
            Par::Seq,
        );
        let f = s.to_dense();
        let swaps = ipiv.iter().enumerate().filter(|(i, p)| *i != **p).count();
        let mut prod = if swaps % 2 == 1 { -1.0 } else { 1.0 };
        let mut logabs = 0.0;
        for i in 0..c.a.n {
            prod *= f.at(i, i);
            logabs += f.at(i, i).abs().ln();
        }
        let d = lu::det(s.view(), &ipiv).unwrap();
        let (sign, ld) = lu::slogdet(s.view(), &ipiv).unwrap();
        assert_eq!(sign, prod.signum(), "{}", c.name);
        assert!(
            (ld - logabs).abs() <= 1e-12 * logabs.abs().max(1.0),
            "{}",
            c.name
        );
        if prod.is_finite() && prod.abs() > 1e-290 {
            assert!(
                (d - prod).abs() <= 64.0 * f64::EPSILON * prod.abs(),
                "{}: {d} vs {prod}",
                c.name
            );
        }
        // det of the huge and tiny cases is out of range: ±inf / ±0, as numpy.
        if c.name.starts_with("huge") {
            assert!(d.is_infinite() && d.signum() == sign, "{}: {d}", c.name);
        }
        if c.name.starts_with("tiny") {
            assert!(d == 0.0, "{}: {d}", c.name);
        }
    }
    // No spurious intermediate overflow: pivots 1e200, 1e200, 1e-200 give 1e200.
    let mut a = Dense::zeros(3, 3);
    a.set(0, 0, 1e200);
    a.set(1, 1, 1e200);
    a.set(2, 2, 1e-200);
    let (s, ipiv, _) = factor_stored::<f64>(
        &a,
        Layout::ColMajor,
        &LuParams::for_scalar::<f64>(),
        Par::Seq,
    );
    let d = lu::det(s.view(), &ipiv).unwrap();
    assert!((d - 1e200).abs() <= 4.0 * f64::EPSILON * 1e200, "{d}");
    // f32 too: the product is accumulated beyond f32's range.
    let a32 = Dense::from_fn(
        3,
        3,
        |i, j| if i == j { [1e30, 1e30, 1e-30][i] } else { 0.0 },
    );
    let (s, ipiv, _) = factor_stored::<f32>(
        &a32,
        Layout::ColMajor,
        &LuParams::for_scalar::<f32>(),
        Par::Seq,
    );
    let d = lu::det(s.view(), &ipiv).unwrap();
    assert!((d - 1e30).abs() <= 4.0 * f32::EPSILON * 1e30, "{d}");
}

#[test]
fn hilbert_determinant_closed_form() {
    // Relative error of det from a backward-stable LU: det(A + ΔA)/det(A) − 1 ≈ tr(A⁻¹ΔA),
    // |tr(A⁻¹ΔA)| ≤ γ_n · Σ_ij |A⁻¹|_ji (|L||U|)_ij, computed here with the exact inverse;
    // plus n·ε for the product of the pivots.
    let _g = isa_lock();
    for n in 1..=10usize {
        let h = hilbert(n);
        let (s, ipiv, _) = factor_stored::<f64>(
            &h,
            Layout::NegCols,
            &LuParams::for_scalar::<f64>(),
            Par::Seq,
        );
        let (sign, ld) = lu::slogdet(s.view(), &ipiv).unwrap();
        let d = lu::det(s.view(), &ipiv).unwrap();
        let exact = hilbert_logdet(n);
        let (l, u) = unpack_lu(&s.to_dense());
        let lu_abs = l.abs().matmul(&u.abs());
        let hinv = hilbert_inverse(n);
        // (P·H)⁻¹ = H⁻¹·Pᵀ, whose (j, i) entry is H⁻¹[j, perm[i]].
        let perm = lu::permutation(&ipiv, n).unwrap();
        let mut tr = 0.0;
        for i in 0..n {
            for j in 0..n {
                tr += hinv.at(j, perm[i]).abs() * lu_abs.at(i, j);
            }
        }
        let bound = (n as f64 * f64::EPSILON / 2.0) * tr + n as f64 * f64::EPSILON;
        let err = (ld - exact).abs();
        eprintln!("hilbert{n}: |Δ ln det| = {err:.2e}, bound {bound:.2e}");
        assert_eq!(sign, 1.0);
        assert!(err <= 2.0 * bound, "hilbert{n}: {err} > {bound}");
        assert!((d / exact.exp() - 1.0).abs() <= 2.0 * bound + 1e-15);
    }
}

// ---------------------------------------------------------------------------------------------

#[test]
fn singular_matrices_report_the_first_zero_pivot() {
    for_each_isa("lu::singular_matrices", |_| {
        for params in param_variants::<f64>() {
            // Exact arithmetic throughout: pivots 2 and −1, then an exact 0.
            let a = Dense::from_fn(3, 3, |i, j| {
                [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 1.0, 1.0]][i][j]
            });
            let (s, ipiv, st) = factor_stored::<f64>(&a, Layout::RowMajor, &params, Par::Seq);
            assert_eq!(st.first_zero_pivot, Some(2));
            let mut b = Stored::<f64>::new(&Dense::random(3, 2, 1), Layout::ColMajor);
            assert_eq!(
                lu::solve(s.view(), &ipiv, b.view_mut(), Par::Seq),
                Err(FactorError::Singular { index: 2 })
            );

            // A zero column c stays exactly zero under elimination: the pivot at step c is 0,
            // and the factorization carries on (a valid P·A = L·U all the same).
            for (n, c) in [(200usize, 137usize), (64, 0), (65, 64), (9, 4)] {
                let mut a = Dense::random(n, n, (n + c) as u64);
                for i in 0..n {
                    a.set(i, c, 0.0);
                }
                let (mut s, ipiv, st) =
                    factor_stored::<f64>(&a, Layout::Strided, &params, Par::Seq);
                assert_eq!(st.first_zero_pivot, Some(c), "n={n} c={c}");
                let perm = lu::permutation(&ipiv, n).unwrap();
                let (ra, rlu) = lu_backward_error(&a, &s.to_dense(), &perm, f64::EPSILON);
                assert!(rlu <= 1.0 && ra <= 10.0, "singular n={n}: {ra} {rlu}");
                assert_eq!(lu::det(s.view(), &ipiv).unwrap(), 0.0);
                assert_eq!(
                    lu::slogdet(s.view(), &ipiv).unwrap(),
                    (0.0, f64::NEG_INFINITY)
                );
                assert_eq!(
                    lu::rcond(s.view(), &ipiv, a.norm1(), Par::Seq).unwrap(),
                    0.0
                );
                let mut x = Stored::<f64>::new(&Dense::random(n, 1, 5), Layout::ColMajor);
                assert_eq!(
                    lu::solve_transpose(s.view(), &ipiv, x.view_mut(), Par::Seq),
                    Err(FactorError::Singular { index: c })
                );
                assert_eq!(
                    lu::inverse(s.view_mut(), &ipiv, Par::Seq),
                    Err(FactorError::Singular { index: c })
                );
            }

            // The zero matrix: every pivot is zero, the first is reported.
            let (_, ipiv, st) =
                factor_stored::<f32>(&Dense::zeros(20, 20), Layout::NegRows, &params, Par::Seq);
            assert_eq!(st.first_zero_pivot, Some(0));
            assert_eq!(ipiv, (0..20).collect::<Vec<_>>());
        }
    });
}

#[test]
fn empty_and_one_by_one() {
    let _g = isa_lock();
    // 0 × 0
    let mut e: [f64; 0] = [];
    let mut ipiv: [usize; 0] = [];
    let st = lu::factor(
        MatMut::from_col_major(&mut e, 0, 0).unwrap(),
        &mut ipiv,
        Par::Seq,
    )
    .unwrap();
    assert_eq!(st.first_zero_pivot, None);
    let v = MatRef::from_col_major(&e, 0, 0).unwrap();
    assert_eq!(lu::det(v, &ipiv).unwrap(), 1.0);
    assert_eq!(lu::slogdet(v, &ipiv).unwrap(), (1.0, 0.0));
    assert_eq!(lu::rcond(v, &ipiv, 0.0, Par::Seq).unwrap(), 1.0);
    let mut b = [0.0f64; 0];
    lu::solve(
        v,
        &ipiv,
        MatMut::from_col_major(&mut b, 0, 3).unwrap(),
        Par::Seq,
    )
    .unwrap();
    let mut e2: [f64; 0] = [];
    lu::inverse(
        MatMut::from_col_major(&mut e2, 0, 0).unwrap(),
        &ipiv,
        Par::Seq,
    )
    .unwrap();

    // 1 × 1
    let mut a = [-4.0f32];
    let mut ipiv = [9usize];
    lu::factor(
        MatMut::from_col_major(&mut a, 1, 1).unwrap(),
        &mut ipiv,
        Par::Seq,
    )
    .unwrap();
    assert_eq!(ipiv, [0]);
    let v = MatRef::from_col_major(&a, 1, 1).unwrap();
    assert_eq!(lu::det(v, &ipiv).unwrap(), -4.0);
    assert_eq!(lu::slogdet(v, &ipiv).unwrap(), (-1.0, 4f32.ln()));
    assert_eq!(lu::rcond(v, &ipiv, 4.0, Par::Seq).unwrap(), 1.0);
    let mut b = [2.0f32, -8.0];
    lu::solve(
        v,
        &ipiv,
        MatMut::from_row_major(&mut b, 1, 2).unwrap(),
        Par::Seq,
    )
    .unwrap();
    assert_eq!(b, [-0.5, 2.0]);
    lu::inverse(
        MatMut::from_col_major(&mut a, 1, 1).unwrap(),
        &ipiv,
        Par::Seq,
    )
    .unwrap();
    assert_eq!(a, [-0.25]);

    let mut z = [0.0f64];
    let st = lu::factor(
        MatMut::from_col_major(&mut z, 1, 1).unwrap(),
        &mut ipiv,
        Par::Seq,
    )
    .unwrap();
    assert_eq!(st.first_zero_pivot, Some(0));
}

#[test]
fn non_finite_input_is_rejected_untouched() {
    let _g = isa_lock();
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        for (i, j) in [(0usize, 0usize), (4, 7), (9, 9)] {
            let mut a = Dense::random(10, 10, 3);
            a.set(i, j, bad);
            let mut s = Stored::<f64>::new(&a, Layout::RowMajor);
            let before = s.buf.clone();
            let mut ipiv = vec![0; 10];
            assert_eq!(
                lu::factor(s.view_mut(), &mut ipiv, Par::Seq),
                Err(FactorError::NonFinite)
            );
            assert!(
                s.buf
                    .iter()
                    .zip(&before)
                    .all(|(x, y)| x == y || (x.is_nan() && y.is_nan()))
            );
            // Without the check the factorization runs to the end without panicking.
            let params = LuParams {
                check_finite: false,
                ..LuParams::for_scalar::<f64>()
            };
            let mut ipiv = vec![0; 10];
            let _ = lu::factor_with_params(s.view_mut(), &mut ipiv, Par::Seq, &params).unwrap();
            let _ = lu::det(s.view(), &ipiv).unwrap();
            let _ = lu::slogdet(s.view(), &ipiv).unwrap();
            let _ = lu::rcond(s.view(), &ipiv, 1.0, Par::Seq).unwrap();
            let mut x = vec![1.0; 10];
            let _ = lu::solve(
                s.view(),
                &ipiv,
                MatMut::from_col_major(&mut x, 10, 1).unwrap(),
                Par::Seq,
            );
        }
    }
    // Non-finite right-hand side.
    let a = Dense::random(4, 4, 9);
    let (s, ipiv, _) = factor_stored::<f32>(
        &a,
        Layout::ColMajor,
        &LuParams::for_scalar::<f32>(),
        Par::Seq,
    );
    let mut b = [1.0f32, f32::NAN, 0.0, 2.0];
    assert_eq!(
        lu::solve(
            s.view(),
            &ipiv,
            MatMut::from_col_major(&mut b, 4, 1).unwrap(),
            Par::Seq
        ),
        Err(FactorError::NonFinite)
    );
    assert_eq!(
        lu::rcond(s.view(), &ipiv, f32::NAN, Par::Seq),
        Err(FactorError::NonFinite)
    );
    assert_eq!(
        lu::rcond(s.view(), &ipiv, -1.0, Par::Seq),
        Err(FactorError::InvalidArgument { name: "anorm" })
    );
}

#[test]
fn shape_errors_are_values() {
    let mut a = Dense::random(4, 4, 1).data;
    let mut ipiv = vec![0; 3];
    let e = lu::factor(
        MatMut::from_col_major(&mut a, 4, 4).unwrap(),
        &mut ipiv,
        Par::Seq,
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            FactorError::Shape {
                op: "lu::factor",
                ..
            }
        ),
        "{e}"
    );
    let mut ipiv = vec![0; 4];
    lu::factor(
        MatMut::from_col_major(&mut a, 4, 4).unwrap(),
        &mut ipiv,
        Par::Seq,
    )
    .unwrap();
    let v = MatRef::from_col_major(&a, 4, 4).unwrap();
    let mut b = vec![0.0; 6];
    let e = lu::solve(
        v,
        &ipiv,
        MatMut::from_col_major(&mut b, 3, 2).unwrap(),
        Par::Seq,
    )
    .unwrap_err();
    assert_eq!(
        e,
        FactorError::Shape {
            op: "lu::solve",
            shapes: vec![("lu", (4, 4)), ("b", (3, 2))]
        }
    );
    assert_eq!(
        e.to_string(),
        "lu::solve: operand shapes do not match: lu is 4x4, b is 3x2"
    );
    let r = MatRef::from_col_major(&a, 4, 3).unwrap();
    assert_eq!(
        lu::det(r, &ipiv[..3]),
        Err(FactorError::NotSquare { nrows: 4, ncols: 3 })
    );
    assert_eq!(
        lu::slogdet(v, &[0, 1, 7, 3]),
        Err(FactorError::InvalidPivot {
            index: 2,
            pivot: 7,
            nrows: 4
        })
    );
    assert!(matches!(
        lu::permutation(&[0, 1, 2], 2),
        Err(FactorError::Shape { .. })
    ));
    assert!(matches!(
        lu::rcond(v, &ipiv[..2], 1.0, Par::Seq),
        Err(FactorError::Shape { .. })
    ));
}

// ---------------------------------------------------------------------------------------------

#[test]
fn rcond_estimates() {
    // The estimate is a lower bound on ‖A⁻¹‖₁ (so rcond_est ≥ rcond up to rounding) and, by
    // Higham's experience, within a factor 3 almost always; here asserted within a factor 10.
    let mut ratios = Vec::new();
    for_each_isa("lu::rcond_estimates", |_| {
        for c in lu_catalogue::<f64>(false) {
            let a = &c.a;
            let n = a.n;
            let anorm = lu::norm1(Stored::<f64>::new(a, Layout::ColMajor).view());
            assert_eq!(anorm, a.norm1());
            let (s, ipiv, _) = factor_stored::<f64>(
                a,
                Layout::RowMajor,
                &LuParams::for_scalar::<f64>(),
                Par::Seq,
            );
            let est = lu::rcond(s.view(), &ipiv, anorm, Par::Seq).unwrap();
            // Reference: ‖A⁻¹‖₁ from the exact inverse (Hilbert) or the computed one.
            let ainv = if c.name.starts_with("hilbert") {
                hilbert_inverse(n)
            } else {
                let (mut s2, ipiv2, _) = factor_stored::<f64>(
                    a,
                    Layout::ColMajor,
                    &LuParams::for_scalar::<f64>(),
                    Par::Seq,
                );
                lu::inverse(s2.view_mut(), &ipiv2, Par::Seq).unwrap();
                s2.to_dense()
            };
            let exact = 1.0 / (anorm * ainv.norm1());
            let q = est / exact;
            assert!(
                (1.0 - 1e-6..=10.0).contains(&q),
                "{}: rcond est {est:e}, exact {exact:e}",
                c.name
            );
            ratios.push((c.name.clone(), q));
        }
    });
    report("lu::rcond_estimates", "rcond_est / rcond_exact", &ratios);
}

// ---------------------------------------------------------------------------------------------

#[test]
fn faer_oracle_solve_and_det() {
    use faer::linalg::solvers::Solve;
    let _g = isa_lock();
    for (n, seed) in [(5usize, 1u64), (57, 2), (200, 3)] {
        let a = Dense::random(n, n, seed);
        let b = Dense::random(n, 2, seed + 100);
        let fa = faer::Mat::<f64>::from_fn(n, n, |i, j| a.at(i, j));
        let fb = faer::Mat::<f64>::from_fn(n, 2, |i, j| b.at(i, j));
        let plu = fa.partial_piv_lu();
        let fx = plu.solve(&fb);
        let fdet = fa.as_ref().determinant();

        let (s, ipiv, _) = factor_stored::<f64>(
            &a,
            Layout::NegRows,
            &LuParams::for_scalar::<f64>(),
            Par::Seq,
        );
        let mut x = Stored::<f64>::new(&b, Layout::RowMajor);
        lu::solve(s.view(), &ipiv, x.view_mut(), Par::Seq).unwrap();
        let x = x.to_dense();
        let det = lu::det(s.view(), &ipiv).unwrap();
        // Two backward-stable solvers agree to about κ·n·ε.
        let kappa = 1.0 / lu::rcond(s.view(), &ipiv, a.norm1(), Par::Seq).unwrap();
        let tol = 10.0 * kappa * n as f64 * f64::EPSILON;
        let diff = Dense::from_fn(n, 2, |i, j| x.at(i, j) - fx[(i, j)]).norm1() / x.norm1();
        let ddiff = (det - fdet).abs() / det.abs();
        eprintln!(
            "faer oracle n={n}: solve rel diff {diff:.2e}, det rel diff {ddiff:.2e}, tol {tol:.2e}"
        );
        assert!(diff <= tol, "n={n}: solve differs from faer by {diff}");
        assert!(ddiff <= tol, "n={n}: det {det} vs faer {fdet}");
    }
}

/// With threads the blocked loop factors each next panel ahead, on the caller, while the other
/// threads update the rest: many panels (blocks of 32), square, tall and wide, f64 and f32,
/// 2 and 3 threads; and a zero column in a panel that is factored ahead is still the first
/// zero pivot reported.
#[test]
fn parallel_lookahead_keeps_bounds_and_zero_pivots() {
    let _g = isa_lock();
    let params = LuParams {
        block_size: 32,
        recursion_threshold: 8,
        ..LuParams::for_scalar::<f64>()
    };
    for (m, n, t) in [
        (300usize, 300usize, 2usize),
        (400, 250, 3),
        (250, 400, 2),
        (97, 97, 3),
    ] {
        let a = Dense::random(m, n, (m * n + t) as u64);
        for layout in [Layout::ColMajor, Layout::RowMajor] {
            let (s, ipiv, status) = factor_stored::<f64>(&a, layout, &params, Par::Rayon(t));
            assert_eq!(status.first_zero_pivot, None);
            let perm = lu::permutation(&ipiv, m).unwrap();
            let (ra, rlu) = lu_backward_error(&a, &s.to_dense(), &perm, f64::EPSILON);
            assert!(ra <= 10.0 && rlu <= 1.0, "f64 {m}x{n} t={t}: {ra} {rlu}");
            let (s, ipiv, _) = factor_stored::<f32>(&a, layout, &params, Par::Rayon(t));
            let perm = lu::permutation(&ipiv, m).unwrap();
            let eps = f32::EPSILON as f64;
            let (ra, rlu) = lu_backward_error(&a.round_to::<f32>(), &s.to_dense(), &perm, eps);
            assert!(ra <= 10.0 && rlu <= 1.0, "f32 {m}x{n} t={t}: {ra} {rlu}");
        }
    }
    // Columns 70 and 71 are zero: the first zero pivot is 70, in the third panel, which the
    // caller factors ahead.
    let a = Dense::from_fn(200, 200, |i, j| {
        if j == 70 || j == 71 {
            0.0
        } else {
            ((i * 37 + j * 11) % 23) as f64 - 11.0 + if i == j { 50.0 } else { 0.0 }
        }
    });
    for t in [1, 2, 3] {
        let par = if t == 1 { Par::Seq } else { Par::Rayon(t) };
        let (_, _, status) = factor_stored::<f64>(&a, Layout::ColMajor, &params, par);
        assert_eq!(status.first_zero_pivot, Some(70), "t={t}");
    }
}

#[test]
fn parallel_matches_sequential_quality() {
    let _g = isa_lock();
    let a = Dense::random(260, 260, 42);
    let (s, ipiv, _) = factor_stored::<f64>(
        &a,
        Layout::ColMajor,
        &LuParams::for_scalar::<f64>(),
        Par::Rayon(2),
    );
    let perm = lu::permutation(&ipiv, 260).unwrap();
    let (ra, rlu) = lu_backward_error(&a, &s.to_dense(), &perm, f64::EPSILON);
    assert!(ra <= 10.0 && rlu <= 1.0, "{ra} {rlu}");
    let mut x = Stored::<f64>::new(&Dense::random(260, 4, 1), Layout::ColMajor);
    let b = x.to_dense();
    lu::solve(s.view(), &ipiv, x.view_mut(), Par::Rayon(2)).unwrap();
    assert!(solve_residual(&a, &x.to_dense(), &b, f64::EPSILON) <= 10.0);
}
