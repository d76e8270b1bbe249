//! Householder QR (blocked, compact WY), forming and applying `Q`, and column-pivoted QR: on
//! every ISA path, f32 and f64, every shape (empty, 1 × 1, tall, wide), rank-deficient,
//! graded, Hilbert, Kahan and tiny/huge-scaled matrices, strided / transposed /
//! negative-stride views.
//!
//! Bounds (Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., §19.3):
//! * Thm 19.4: the computed `R̂` satisfies `A + ΔA = Q·R̂` for an exactly orthogonal `Q` with
//!   `‖Δa_j‖₂ ≤ γ̃_{mk}·‖a_j‖₂`, and (Lemma 19.3) the computed `Q̂` formed from the reflectors
//!   is within `γ̃_{mk}` of `Q`. `γ̃` hides a small constant; to first order the errors are a
//!   sum over `k` reflector applications, each `O(m·u)` in a columnwise-normwise sense, and in
//!   practice (random rounding) grow like `√(m·k)·u`. The tests divide by
//!   `‖A‖_F·max(m, n)·ε` and `k·ε` (`k = min(m, n)`), so the ratios
//!   `‖A − Q̂R̂‖_F / (‖A‖_F·max(m, n)·ε)` and `‖Q̂ᵀQ̂ − I‖_F / (p·ε)` are asserted `≤ 10`.
//! * `‖op(Q̂)·C − op(Q)·C‖_F / (‖C‖_F·m·ε) ≤ 10` for `apply_q` against the explicitly formed `Q`
//!   (both are the same products of reflectors, rounded in different orders).
//! * Pivoted QR: `|r_ii| ≥ ‖R[i.., j]‖₂` for `j > i` up to the downdating accuracy
//!   (relative `O(√ε)` by the LAWN 176 safeguard, plus `O(k·ε·‖A‖)` rounding).

use crate::common::*;
use lapis_factor::FactorError;
use lapis_factor::kernels::{MatMut, MatRef, Par, Scalar};
use lapis_factor::qr::{self, QrParams, Side, Trans};

const BOUND: f64 = 10.0;

fn eps<T: Scalar>() -> f64 {
    T::EPS.to_f64()
}

/// Explicit `R` (`k × n`, upper part of the packed factor).
fn r_of(qr: &Dense) -> Dense {
    let k = qr.m.min(qr.n);
    Dense::from_fn(k, qr.n, |i, j| if j >= i { qr.at(i, j) } else { 0.0 })
}

/// Forms `Q` (`m × p`) from a packed factorization with `form_q_with_params`, into a view with
/// the given layout; returns it in f64.
fn form_q<T: Scalar>(
    packed: &Stored<T>,
    tau: &[T],
    p: usize,
    layout: Layout,
    params: &QrParams,
) -> Dense {
    let m = packed.m;
    let mut q = Stored::<T>::new(&Dense::from_fn(m, p, |_, _| f64::NAN), layout);
    qr::form_q_with_params(packed.view(), tau, q.view_mut(), Par::Seq, params).expect("form_q");
    assert!(q.gaps_untouched(), "form_q wrote outside the view");
    q.to_dense()
}

/// `‖QᵀQ − I‖_F / (p·ε)`.
fn orthogonality(q: &Dense, eps: f64) -> f64 {
    let p = q.n;
    let g = q.t().matmul(q).sub(&Dense::identity(p));
    ratio(norm_fro(&g), p.max(1) as f64 * eps)
}

/// `‖A − Q·R‖_F / (‖A‖_F·max(m, n)·ε)`, with `A` as the code saw it (rounded to `T`).
fn backward(a: &Dense, q: &Dense, r: &Dense, eps: f64) -> f64 {
    let res = a.sub(&q.matmul(r));
    ratio(
        norm_fro(&res),
        norm_fro(a) * a.m.max(a.n).max(1) as f64 * eps,
    )
}

struct QrRatios {
    backward: f64,
    orth_reduced: f64,
    orth_complete: f64,
}

fn check_qr<T: Scalar>(a: &Dense, layout: Layout, params: &QrParams) -> QrRatios {
    let (m, n) = (a.m, a.n);
    let k = m.min(n);
    let a_t = a.round_to::<T>();
    let mut s = Stored::<T>::new(a, layout);
    let mut tau = vec![T::from_f64(f64::NAN); k];
    qr::factor_with_params(s.view_mut(), &mut tau, Par::Seq, params).expect("factor");
    assert!(s.gaps_untouched(), "factor wrote outside the view");
    let packed = s.to_dense();
    for &t in &tau {
        let t = t.to_f64();
        assert!(
            t == 0.0 || (1.0 - 1e-5..=2.0 + 1e-5).contains(&t),
            "tau = {t}"
        );
    }
    let r = r_of(&packed);
    let q = form_q::<T>(&s, &tau, k, layout, params);
    let qc = form_q::<T>(&s, &tau, m, Layout::ColMajor, params);
    // The complete Q's first k columns are the reduced Q.
    for j in 0..k {
        for i in 0..m {
            assert!(
                (q.at(i, j) - qc.at(i, j)).abs() <= 10.0 * eps::<T>(),
                "reduced Q != complete Q[:, :k]"
            );
        }
    }
    QrRatios {
        backward: backward(&a_t, &q, &r, eps::<T>()),
        orth_reduced: orthogonality(&q, eps::<T>()),
        orth_complete: orthogonality(&qc, eps::<T>()),
    }
}

fn param_variants<T: Scalar>() -> Vec<QrParams> {
    let d = QrParams::for_scalar::<T>();
    vec![
        d,
        QrParams {
            block_size: 1,
            recursion_threshold: 1,
            ..d
        },
        QrParams {
            block_size: 7,
            recursion_threshold: 3,
            ..d
        },
        QrParams {
            block_size: 40,
            recursion_threshold: 1,
            ..d
        },
        QrParams {
            block_size: usize::MAX,
            recursion_threshold: 5,
            ..d
        },
    ]
}

fn catalogue_run<T: Scalar>(test: &str) {
    let mut back = Vec::new();
    let mut orth = Vec::new();
    for c in qr_catalogue::<T>(false) {
        let r = check_qr::<T>(&c.a, Layout::ColMajor, &QrParams::for_scalar::<T>());
        back.push((c.name.clone(), r.backward));
        orth.push((c.name.clone(), r.orth_reduced.max(r.orth_complete)));
    }
    let tag = format!("{test}<{}>", T::DTYPE);
    assert!(report(&tag, "‖A−QR‖/(‖A‖·max(m,n)·ε)", &back) <= BOUND);
    assert!(report(&tag, "‖QᵀQ−I‖/(p·ε)", &orth) <= BOUND);
}

// ---------------------------------------------------------------------------------------------

#[test]
fn seed_examples() {
    // [[3, 1], [4, 2]] = Q·R with R = [[−5, −2.2], [0, 0.4]], Q = [[−0.6, −0.8], [−0.8, 0.6]]
    let mut a = [3.0, 1.0, 4.0, 2.0];
    let mut tau = [0.0; 2];
    qr::factor(
        MatMut::from_row_major(&mut a, 2, 2).unwrap(),
        &mut tau,
        Par::Seq,
    )
    .unwrap();
    let close = |x: f64, y: f64| (x - y).abs() < 1e-15;
    assert!(
        close(a[0], -5.0) && close(a[1], -2.2) && close(a[3], 0.4),
        "{a:?}"
    );
    let mut q = [0.0; 4];
    qr::form_q(
        MatRef::from_row_major(&a, 2, 2).unwrap(),
        &tau,
        MatMut::from_row_major(&mut q, 2, 2).unwrap(),
        Par::Seq,
    )
    .unwrap();
    let expect = [-0.6, -0.8, -0.8, 0.6];
    assert!(q.iter().zip(expect).all(|(x, y)| close(*x, y)), "{q:?}");
}

#[test]
fn backward_error_and_orthogonality_every_isa() {
    for_each_isa("qr_catalogue", |_| {
        catalogue_run::<f64>("qr_catalogue");
        catalogue_run::<f32>("qr_catalogue");
    });
}

#[test]
fn layouts_and_parameters() {
    let _g = isa_lock();
    let cases = [
        ("random45x30", Dense::random(45, 30, 1)),
        ("random30x45", Dense::random(30, 45, 2)),
        ("low_rank40x40r5", low_rank(40, 40, 5, 3)),
        ("random1x1", Dense::random(1, 1, 4)),
        ("empty0x3", Dense::zeros(0, 3)),
    ];
    let mut back = Vec::new();
    let mut orth = Vec::new();
    for (name, a) in &cases {
        for layout in LAYOUTS {
            for (pi, p) in param_variants::<f64>().iter().enumerate() {
                let r = check_qr::<f64>(a, layout, p);
                let tag = format!("{name}/{layout:?}/p{pi}");
                back.push((tag.clone(), r.backward));
                orth.push((tag, r.orth_reduced.max(r.orth_complete)));
            }
            let r = check_qr::<f32>(a, layout, &param_variants::<f32>()[2]);
            back.push((format!("{name}/{layout:?}/f32"), r.backward));
            orth.push((
                format!("{name}/{layout:?}/f32"),
                r.orth_reduced.max(r.orth_complete),
            ));
        }
    }
    assert!(report("layouts_and_parameters", "‖A−QR‖/(‖A‖·max(m,n)·ε)", &back) <= BOUND);
    assert!(report("layouts_and_parameters", "‖QᵀQ−I‖/(p·ε)", &orth) <= BOUND);
}

#[test]
fn r_is_upper_triangular_and_factor_is_blocking_invariant() {
    let _g = isa_lock();
    // The compact form below the diagonal holds the reflectors; R is the upper part, and all
    // blockings compute the same factorization up to rounding.
    let a = Dense::random(70, 50, 9);
    let mut reference: Option<Dense> = None;
    for p in param_variants::<f64>() {
        let mut s = Stored::<f64>::new(&a, Layout::ColMajor);
        let mut tau = vec![0.0; 50];
        qr::factor_with_params(s.view_mut(), &mut tau, Par::Seq, &p).unwrap();
        let r = r_of(&s.to_dense());
        for i in 0..r.m {
            for j in 0..i {
                assert_eq!(r.at(i, j), 0.0);
            }
        }
        if let Some(r0) = &reference {
            let d = norm_fro(&r.sub(r0)) / norm_fro(r0);
            assert!(d < 1e3 * f64::EPSILON, "blocking changed R by {d:e}");
        } else {
            reference = Some(r);
        }
    }
}

fn check_apply<T: Scalar>(m: usize, n: usize, nc: usize, params: &QrParams, layout: Layout) -> f64 {
    check_apply_par::<T>(m, n, nc, params, layout, Par::Seq)
}

fn check_apply_par<T: Scalar>(
    m: usize,
    n: usize,
    nc: usize,
    params: &QrParams,
    layout: Layout,
    par: Par,
) -> f64 {
    let a = Dense::random(m, n, (m * 7 + n) as u64);
    let k = m.min(n);
    let mut s = Stored::<T>::new(&a, Layout::ColMajor);
    let mut tau = vec![T::zero(); k];
    qr::factor_with_params(s.view_mut(), &mut tau, Par::Seq, params).unwrap();
    let q = form_q::<T>(&s, &tau, m, Layout::ColMajor, params);
    let mut worst = 0.0f64;
    for side in [Side::Left, Side::Right] {
        for trans in [Trans::No, Trans::Yes] {
            let c = match side {
                Side::Left => Dense::random(m, nc, 77).round_to::<T>(),
                Side::Right => Dense::random(nc, m, 78).round_to::<T>(),
            };
            let op_q = match trans {
                Trans::No => q.clone(),
                Trans::Yes => q.t(),
            };
            let expect = match side {
                Side::Left => op_q.matmul(&c),
                Side::Right => c.matmul(&op_q),
            };
            let mut cs = Stored::<T>::new(&c, layout);
            qr::apply_q_with_params(side, trans, s.view(), &tau, cs.view_mut(), par, params)
                .unwrap();
            assert!(cs.gaps_untouched());
            let got = cs.to_dense();
            let r = ratio(
                norm_fro(&got.sub(&expect)),
                norm_fro(&c) * m.max(1) as f64 * eps::<T>(),
            );
            worst = worst.max(r);
        }
    }
    worst
}

#[test]
fn apply_q_matches_formed_q_every_isa() {
    for_each_isa("apply_q", |_| {
        let mut ratios = Vec::new();
        for &(m, n, nc) in &[
            (0, 0, 3),
            (5, 0, 2),
            (1, 1, 1),
            (40, 25, 7),
            (25, 40, 9),
            (70, 70, 3),
            (90, 20, 0),
        ] {
            for (pi, p) in param_variants::<f64>().iter().enumerate() {
                ratios.push((
                    format!("{m}x{n}/p{pi}"),
                    check_apply::<f64>(m, n, nc, p, Layout::ColMajor),
                ));
            }
            for layout in [Layout::RowMajor, Layout::NegCols, Layout::Strided] {
                ratios.push((
                    format!("{m}x{n}/{layout:?}"),
                    check_apply::<f64>(m, n, nc, &QrParams::for_scalar::<f64>(), layout),
                ));
            }
            ratios.push((
                format!("{m}x{n}/f32"),
                check_apply::<f32>(m, n, nc, &QrParams::for_scalar::<f32>(), Layout::NegRows),
            ));
        }
        assert!(report("apply_q", "‖op(Q)C − op(Q̂)C‖/(‖C‖·m·ε)", &ratios) <= BOUND);
    });
}

/// With threads and at least 64 columns of `C` (rows, from the right) per thread, each thread
/// applies `Q` to a slice of its own.
#[test]
fn apply_q_parallel_slices_match_formed_q() {
    let _g = isa_lock();
    let mut ratios = Vec::new();
    for (t, nc) in [(2usize, 200usize), (3, 200), (3, 130), (2, 127)] {
        for layout in [Layout::ColMajor, Layout::RowMajor, Layout::Strided] {
            let p = QrParams::for_scalar::<f64>();
            let r = check_apply_par::<f64>(60, 45, nc, &p, layout, Par::Rayon(t));
            ratios.push((format!("t={t} nc={nc} {layout:?}"), r));
        }
        let p = QrParams::for_scalar::<f32>();
        let r = check_apply_par::<f32>(50, 50, nc, &p, Layout::NegRows, Par::Rayon(t));
        ratios.push((format!("t={t} nc={nc} f32"), r));
    }
    assert!(report("apply_q parallel", "‖op(Q)C − op(Q̂)C‖/(‖C‖·m·ε)", &ratios) <= BOUND);
}

// ---------------------------------------------------------------------------------------------
// Column pivoting
// ---------------------------------------------------------------------------------------------

/// Factors with pivoting; checks `A[:, perm] = Q·R`, orthogonality, the permutation, the
/// pivoting property; returns (backward ratio, orthogonality ratio, packed, tau, perm).
fn check_pivoted<T: Scalar>(a: &Dense, layout: Layout) -> (f64, f64, Dense, Vec<usize>) {
    let (m, n) = (a.m, a.n);
    let k = m.min(n);
    let e = eps::<T>();
    let mut s = Stored::<T>::new(a, layout);
    let mut tau = vec![T::zero(); k];
    let mut perm = vec![usize::MAX; n];
    qr::factor_pivoted(s.view_mut(), &mut tau, &mut perm, Par::Seq).expect("factor_pivoted");
    assert!(s.gaps_untouched());
    let mut seen = vec![false; n];
    perm.iter().for_each(|&p| seen[p] = true);
    assert!(
        seen.iter().all(|&x| x),
        "perm is not a permutation: {perm:?}"
    );
    let packed = s.to_dense();
    let r = r_of(&packed);
    let q = form_q::<T>(&s, &tau, k, Layout::ColMajor, &QrParams::for_scalar::<T>());
    let a_t = a.round_to::<T>();
    let ap = Dense::from_fn(m, n, |i, j| a_t.at(i, perm[j]));
    // Pivoting: |r_ii| dominates the norm of what remained of every later column at step i.
    let anorm = norm_fro(&a_t);
    for i in 0..k {
        let rii = r.at(i, i).abs();
        if i > 0 {
            assert!(
                rii <= r.at(i - 1, i - 1).abs() * (1.0 + 10.0 * e.sqrt())
                    + 10.0 * k as f64 * e * anorm
            );
        }
        for j in i + 1..n {
            let rest = norm_fro(&Dense::from_fn(k - i, 1, |p, _| r.at(i + p, j)));
            assert!(
                rii >= rest * (1.0 - 10.0 * e.sqrt()) - 10.0 * k as f64 * e * anorm,
                "pivoting: |r[{i},{i}]| = {rii:e} < {rest:e} (column {j})"
            );
        }
    }
    (backward(&ap, &q, &r, e), orthogonality(&q, e), packed, perm)
}

#[test]
fn pivoted_qr_every_isa() {
    for_each_isa("pivoted", |_| {
        let mut back = Vec::new();
        let mut orth = Vec::new();
        for c in qr_catalogue::<f64>(false) {
            let (b, o, _, _) = check_pivoted::<f64>(&c.a, Layout::ColMajor);
            back.push((c.name.clone(), b));
            orth.push((c.name.clone(), o));
        }
        for c in qr_catalogue::<f32>(false).into_iter().step_by(3) {
            let (b, o, _, _) = check_pivoted::<f32>(&c.a, Layout::RowMajor);
            back.push((format!("{}/f32", c.name), b));
            orth.push((format!("{}/f32", c.name), o));
        }
        for layout in LAYOUTS {
            let (b, o, _, _) = check_pivoted::<f64>(&low_rank(30, 20, 4, 5), layout);
            back.push((format!("low_rank/{layout:?}"), b));
            orth.push((format!("low_rank/{layout:?}"), o));
        }
        assert!(report("pivoted", "‖AP−QR‖/(‖A‖·max(m,n)·ε)", &back) <= BOUND);
        assert!(report("pivoted", "‖QᵀQ−I‖/(k·ε)", &orth) <= BOUND);
    });
}

#[test]
fn pivoted_qr_finds_the_rank_of_low_rank_products() {
    let _g = isa_lock();
    for &(m, n, r) in &[
        (60, 40, 7),
        (40, 60, 7),
        (50, 50, 1),
        (50, 50, 49),
        (80, 30, 30),
        (30, 80, 15),
        (100, 100, 33),
    ] {
        for seed in 0..3 {
            let a = low_rank(m, n, r, 100 + seed);
            let (_, _, packed, _) = check_pivoted::<f64>(&a, Layout::ColMajor);
            let rcond = m.max(n) as f64 * f64::EPSILON;
            let rank = lapis_factor::lstsq::numerical_rank(
                MatRef::from_col_major(&packed.data, m, n).unwrap(),
                rcond,
            );
            assert_eq!(
                rank, r,
                "rank of a {m}x{n} product of rank {r} (seed {seed})"
            );
            // The diagonal drops by many orders of magnitude right after r.
            if r < m.min(n) {
                let gap = packed.at(r, r).abs() / packed.at(r - 1, r - 1).abs();
                assert!(gap < 1e-10, "gap {gap:e}");
            }
        }
    }
    // f32 too, with numpy's f32 default rcond.
    let a = low_rank(40, 30, 6, 7);
    let (_, _, packed, _) = check_pivoted::<f32>(&a, Layout::ColMajor);
    let p32: Vec<f32> = packed.data.iter().map(|&x| x as f32).collect();
    let rank = lapis_factor::lstsq::numerical_rank(
        MatRef::from_col_major(&p32, 40, 30).unwrap(),
        40.0 * f32::EPSILON,
    );
    assert_eq!(rank, 6);
}

#[test]
fn pivoted_norm_downdating_recomputes_when_cancellation_strikes() {
    let _g = isa_lock();
    // Columns that are the first column plus tiny, decreasing perturbations: after the first
    // step almost all of every other column's norm is gone, and the downdated norms would be
    // pure rounding noise without the LAWN 176 recomputation. The pivoting property is
    // checked inside `check_pivoted` against norms recomputed from R.
    let n = 12;
    let base = Dense::random(40, 1, 5);
    let mut r = Rng::new(6);
    let a = Dense::from_fn(40, n, |i, j| {
        base.at(i, 0)
            + if j == 0 {
                0.0
            } else {
                10f64.powi(-(j as i32)) * r.uniform()
            }
    });
    let (b, o, packed, _) = check_pivoted::<f64>(&a, Layout::ColMajor);
    assert!(b <= BOUND && o <= BOUND);
    for i in 1..n {
        assert!(packed.at(i, i).abs() <= packed.at(i - 1, i - 1).abs() * (1.0 + 1e-6));
    }
    let (b, o, _, _) = check_pivoted::<f32>(&a, Layout::ColMajor);
    assert!(b <= BOUND && o <= BOUND);
}

// ---------------------------------------------------------------------------------------------
// Oracle, errors, degenerate input
// ---------------------------------------------------------------------------------------------

#[test]
fn r_matches_faer() {
    let _g = isa_lock();
    for &(m, n) in &[(50, 30), (30, 50), (64, 64), (200, 90)] {
        let a = Dense::random(m, n, (m + 13 * n) as u64);
        let fa = faer::Mat::<f64>::from_fn(m, n, |i, j| a.at(i, j));
        let fqr = fa.qr();
        let fr = fqr.thin_R();
        let mut s = Stored::<f64>::new(&a, Layout::ColMajor);
        let mut tau = vec![0.0; m.min(n)];
        qr::factor(s.view_mut(), &mut tau, Par::Seq).unwrap();
        let r = r_of(&s.to_dense());
        // R is unique up to the signs of its rows for a full-rank A.
        let mut worst = 0.0f64;
        for i in 0..m.min(n) {
            let sign = (r.at(i, i) * fr[(i, i)]).signum();
            for j in i..n {
                worst = worst.max((r.at(i, j) - sign * fr[(i, j)]).abs());
            }
        }
        let tol = 1e3 * f64::EPSILON * norm_fro(&a);
        assert!(worst <= tol, "{m}x{n}: |R − R_faer| = {worst:e} > {tol:e}");
    }
}

#[test]
fn errors_and_degenerate_input() {
    let mut a = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    let mut tau = [0.0; 3];
    let e = qr::factor(
        MatMut::from_col_major(&mut a, 3, 2).unwrap(),
        &mut tau,
        Par::Seq,
    );
    assert!(matches!(e, Err(FactorError::Shape { .. })), "{e:?}");
    let mut a = [1.0, f64::NAN, 3.0, 4.0];
    let mut tau = [0.0; 2];
    assert_eq!(
        qr::factor(
            MatMut::from_col_major(&mut a, 2, 2).unwrap(),
            &mut tau,
            Par::Seq
        ),
        Err(FactorError::NonFinite)
    );
    assert!(
        a[1].is_nan() && a[0] == 1.0,
        "a failed factor leaves a alone"
    );
    // Without the check NaN propagates and nothing panics.
    let p = QrParams {
        check_finite: false,
        ..QrParams::for_scalar::<f64>()
    };
    qr::factor_with_params(
        MatMut::from_col_major(&mut a, 2, 2).unwrap(),
        &mut tau,
        Par::Seq,
        &p,
    )
    .unwrap();
    let mut perm = [0usize; 2];
    let mut b = [1.0, f64::INFINITY, 3.0, 4.0];
    assert_eq!(
        qr::factor_pivoted(
            MatMut::from_col_major(&mut b, 2, 2).unwrap(),
            &mut tau,
            &mut perm,
            Par::Seq
        ),
        Err(FactorError::NonFinite)
    );
    // form_q: p out of range.
    let a = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    let tau = [0.0; 2];
    let mut q = [0.0; 3];
    let e = qr::form_q(
        MatRef::from_col_major(&a, 3, 2).unwrap(),
        &tau,
        MatMut::from_col_major(&mut q, 3, 1).unwrap(),
        Par::Seq,
    );
    assert!(matches!(e, Err(FactorError::Shape { .. })));
    let mut q = [0.0; 16];
    let e = qr::form_q(
        MatRef::from_col_major(&a, 3, 2).unwrap(),
        &tau,
        MatMut::from_col_major(&mut q, 4, 4).unwrap(),
        Par::Seq,
    );
    assert!(matches!(e, Err(FactorError::Shape { .. })));
    // apply_q: wrong side dimension.
    let mut c = [0.0; 4];
    let e = qr::apply_q(
        Side::Left,
        Trans::No,
        MatRef::from_col_major(&a, 3, 2).unwrap(),
        &tau,
        MatMut::from_col_major(&mut c, 2, 2).unwrap(),
        Par::Seq,
    );
    assert!(matches!(e, Err(FactorError::Shape { .. })));
    // Rayon parallelism gives the same factorization up to rounding.
    let a = Dense::random(150, 120, 3);
    let mut s1 = Stored::<f64>::new(&a, Layout::ColMajor);
    let mut s2 = Stored::<f64>::new(&a, Layout::ColMajor);
    let mut t1 = vec![0.0; 120];
    let mut t2 = vec![0.0; 120];
    qr::factor(s1.view_mut(), &mut t1, Par::Seq).unwrap();
    qr::factor(s2.view_mut(), &mut t2, Par::Rayon(2)).unwrap();
    let d = norm_fro(&s1.to_dense().sub(&s2.to_dense())) / norm_fro(&a);
    assert!(d < 1e3 * f64::EPSILON, "{d:e}");
}
