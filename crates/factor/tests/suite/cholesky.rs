//! Cholesky: backward error, solves, the failing minor of non-positive-definite input, NaN,
//! degenerate sizes, lower and upper, on every ISA path, f32 and f64, any layout.
//!
//! Bounds (Higham, *Accuracy and Stability*, Thm 10.3): the computed factor satisfies
//! `A + ΔA = L·Lᵀ` with `|ΔA| ≤ γ_{n+1}·|L|·|Lᵀ|`, for any order of the inner products.
//! So `‖A − LLᵀ‖₁ / (‖|L||Lᵀ|‖₁·(n+1)·ε) ≤ 1/2` to first order, plus as much again for the
//! f64 check itself: asserted `≤ 1`. Since `|l_ij|² ≤ a_ii`, `‖|L||Lᵀ|‖` is a small multiple
//! of `‖A‖` on the catalogue, and `‖A − LLᵀ‖₁ / (‖A‖₁·n·ε)` is asserted `≤ 10`. Solves:
//! `(A + ΔA)·x = b` with `|ΔA| ≤ γ_{3n+1}·|L||Lᵀ|` (Thm 10.4): residual ratio `≤ 10`.

use crate::common::*;
use lapis_factor::FactorError;
use lapis_factor::cholesky::{self, CholeskyParams, Uplo};
use lapis_factor::kernels::{MatMut, MatRef, Par, Scalar};

/// The factor as a dense lower-triangular `L` (for `Upper`, `L = Uᵀ`), and whether the other
/// triangle still holds what `a` had there.
fn read_factor(s: &Stored<impl Scalar>, a: &Dense, uplo: Uplo) -> (Dense, bool) {
    let f = s.to_dense();
    let n = a.n;
    let l = Dense::from_fn(n, n, |i, j| match uplo {
        Uplo::Lower if i >= j => f.at(i, j),
        Uplo::Upper if i >= j => f.at(j, i),
        _ => 0.0,
    });
    let mut untouched = true;
    for j in 0..n {
        for i in 0..n {
            let other = match uplo {
                Uplo::Lower => i < j,
                Uplo::Upper => i > j,
            };
            if other && f.at(i, j) != a.at(i, j) {
                untouched = false;
            }
        }
    }
    (l, untouched)
}

fn params_variants<T: Scalar>() -> Vec<CholeskyParams> {
    let d = CholeskyParams::for_scalar::<T>();
    vec![
        d,
        CholeskyParams {
            recursion_threshold: 1,
            ..d
        },
        CholeskyParams {
            recursion_threshold: 5,
            ..d
        },
        CholeskyParams {
            recursion_threshold: usize::MAX,
            ..d
        },
        // Panels of 7 columns with recursion down to 3 inside each; pure recursion.
        CholeskyParams {
            block_size: 7,
            recursion_threshold: 3,
            ..d
        },
        CholeskyParams {
            block_size: usize::MAX,
            ..d
        },
    ]
}

#[test]
fn seed_examples() {
    let mut a = [2.0, 1.0, 1.0, 3.0];
    cholesky::factor(
        MatMut::from_row_major(&mut a, 2, 2).unwrap(),
        Uplo::Lower,
        Par::Seq,
    )
    .unwrap();
    let mut b = [5.0f64, 10.0];
    cholesky::solve(
        MatRef::from_row_major(&a, 2, 2).unwrap(),
        Uplo::Lower,
        MatMut::from_col_major(&mut b, 2, 1).unwrap(),
        Par::Seq,
    )
    .unwrap();
    assert!(
        (b[0] - 1.0).abs() <= 4.0 * f64::EPSILON && (b[1] - 3.0).abs() <= 8.0 * f64::EPSILON,
        "{b:?}"
    );

    let mut s = [1.0, 2.0, 2.0, 4.0]; // semidefinite: d = 4 − 2² = 0 is not > 0
    let e = cholesky::factor(
        MatMut::from_row_major(&mut s, 2, 2).unwrap(),
        Uplo::Upper,
        Par::Seq,
    );
    assert_eq!(e, Err(FactorError::NotPositiveDefinite { minor: 2 }));
    assert_eq!(
        e.unwrap_err().to_string(),
        "Matrix is not positive definite: the leading minor of order 2 is not"
    );
}

fn backward_error_for<T: Scalar>(
    ra: &mut Vec<(String, f64)>,
    rl: &mut Vec<(String, f64)>,
    big: bool,
) {
    let eps = T::EPS.to_f64();
    for c in spd_catalogue::<T>(big) {
        let a = c.a.round_to::<T>();
        let n = a.n;
        for (li, &layout) in LAYOUTS.iter().enumerate() {
            for (pi, params) in params_variants::<T>().iter().enumerate() {
                if pi != 0 && layout != Layout::ColMajor && (li + pi) % 3 != 0 {
                    continue;
                }
                if n > 130 && (pi > 1 || li > 1) {
                    continue;
                }
                for uplo in [Uplo::Lower, Uplo::Upper] {
                    let mut s = Stored::<T>::new(&a, layout);
                    cholesky::factor_with_params(s.view_mut(), uplo, Par::Seq, params)
                        .unwrap_or_else(|e| panic!("{}: {e}", c.name));
                    assert!(s.gaps_untouched());
                    let (l, untouched) = read_factor(&s, &a, uplo);
                    assert!(untouched, "{}: the other triangle was written", c.name);
                    assert!((0..n).all(|i| l.at(i, i) > 0.0));
                    let r = a.sub(&l.matmul(&l.t())).norm1();
                    let labs = l.abs();
                    let r_a = ratio(r, a.norm1() * n as f64 * eps);
                    let r_l = ratio(r, labs.matmul(&labs.t()).norm1() * (n + 1) as f64 * eps);
                    let tag = format!("{}/{}/{layout:?}/{uplo:?}/p{pi}", T::DTYPE, c.name);
                    assert!(r_l <= 1.0, "{tag}: ‖A−LLᵀ‖/(‖|L||Lᵀ|‖(n+1)ε) = {r_l}");
                    assert!(r_a <= 10.0, "{tag}: ‖A−LLᵀ‖/(‖A‖nε) = {r_a}");
                    ra.push((tag.clone(), r_a));
                    rl.push((tag, r_l));
                }
            }
        }
    }
}

#[test]
fn backward_error_catalogue() {
    let (mut ra, mut rl) = (Vec::new(), Vec::new());
    let mut first = true;
    for_each_isa("cholesky::backward_error_catalogue", |isa| {
        let big = first || isa == lapis_factor::kernels::detected();
        first = false;
        backward_error_for::<f64>(&mut ra, &mut rl, big);
        backward_error_for::<f32>(&mut ra, &mut rl, big);
    });
    report(
        "cholesky::backward_error_catalogue",
        "‖A−LLᵀ‖₁/(‖A‖₁·n·ε)",
        &ra,
    );
    report(
        "cholesky::backward_error_catalogue",
        "‖A−LLᵀ‖₁/(‖|L||Lᵀ|‖₁·(n+1)·ε)",
        &rl,
    );
}

fn solves_for<T: Scalar>(out: &mut Vec<(String, f64)>) {
    let eps = T::EPS.to_f64();
    for c in spd_catalogue::<T>(false) {
        let a = c.a.round_to::<T>();
        let n = a.n;
        for (k, uplo) in [Uplo::Lower, Uplo::Upper].into_iter().enumerate() {
            let mut s = Stored::<T>::new(&a, LAYOUTS[(n + k) % LAYOUTS.len()]);
            cholesky::factor(s.view_mut(), uplo, Par::Seq).unwrap();
            let b = Dense::random(n, 1 + 4 * k, 5 + n as u64)
                .scaled(a.norm1())
                .round_to::<T>();
            let mut x = Stored::<T>::new(&b, LAYOUTS[(n + k + 1) % LAYOUTS.len()]);
            cholesky::solve(s.view(), uplo, x.view_mut(), Par::Seq).unwrap();
            assert!(x.gaps_untouched());
            let r = solve_residual(&a, &x.to_dense(), &b, eps);
            let tag = format!("{}/{}/{uplo:?}", T::DTYPE, c.name);
            assert!(r <= 10.0, "{tag}: residual ratio {r}");
            out.push((tag, r));
        }
    }
}

#[test]
fn solve_residuals() {
    let mut ratios = Vec::new();
    for_each_isa("cholesky::solve_residuals", |_| {
        solves_for::<f64>(&mut ratios);
        solves_for::<f32>(&mut ratios);
    });
    report(
        "cholesky::solve_residuals",
        "‖Ax−b‖₁/(‖A‖₁‖x‖₁·n·ε)",
        &ratios,
    );
}

/// `A = L·Lᵀ` with a random unit-diagonal `L`, then `a_kk −= 2`: the leading minors of order
/// `≤ k` are those of a positive definite matrix, and step `k` meets `d = 1 − 2 = −1`.
fn broken_at(n: usize, k: usize, seed: u64) -> Dense {
    let mut r = Rng::new(seed);
    let l = Dense::from_fn(n, n, |i, j| match i.cmp(&j) {
        std::cmp::Ordering::Greater => r.uniform() * 0.5,
        std::cmp::Ordering::Equal => 1.0,
        std::cmp::Ordering::Less => 0.0,
    });
    let mut a = l.matmul(&l.t());
    for j in 0..n {
        for i in 0..j {
            let v = a.at(j, i);
            a.set(i, j, v);
        }
    }
    let v = a.at(k, k) - 2.0;
    a.set(k, k, v);
    a
}

#[test]
fn not_positive_definite_reports_the_minor() {
    for_each_isa("cholesky::not_positive_definite", |_| {
        for params in params_variants::<f64>() {
            for (n, k) in [
                (1usize, 0usize),
                (7, 0),
                (7, 6),
                (40, 17),
                (200, 150),
                (200, 99),
            ] {
                let a = broken_at(n, k, (n * 31 + k) as u64);
                for uplo in [Uplo::Lower, Uplo::Upper] {
                    let mut s = Stored::<f64>::new(&a, Layout::Strided);
                    let e = cholesky::factor_with_params(s.view_mut(), uplo, Par::Seq, &params);
                    assert_eq!(
                        e,
                        Err(FactorError::NotPositiveDefinite { minor: k + 1 }),
                        "n={n} k={k}"
                    );
                    let mut s32 = Stored::<f32>::new(&a, Layout::NegRows);
                    let e = cholesky::factor_with_params(s32.view_mut(), uplo, Par::Seq, &params);
                    assert_eq!(
                        e,
                        Err(FactorError::NotPositiveDefinite { minor: k + 1 }),
                        "f32 n={n} k={k}"
                    );
                }
            }
            // Zero matrix, negative definite, indefinite.
            let mut z = Stored::<f64>::new(&Dense::zeros(30, 30), Layout::ColMajor);
            assert_eq!(
                cholesky::factor_with_params(z.view_mut(), Uplo::Lower, Par::Seq, &params),
                Err(FactorError::NotPositiveDefinite { minor: 1 })
            );
            let neg = random_spd(50, 0.1, 3).scaled(-1.0);
            let mut s = Stored::<f64>::new(&neg, Layout::RowMajor);
            assert_eq!(
                cholesky::factor_with_params(s.view_mut(), Uplo::Upper, Par::Seq, &params),
                Err(FactorError::NotPositiveDefinite { minor: 1 })
            );
        }
    });
}

#[test]
fn nan_and_infinity_fail_cleanly() {
    let _g = isa_lock();
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        for (i, j) in [(0usize, 0usize), (30, 2), (39, 39)] {
            let mut a = random_spd(40, 0.1, 4);
            a.set(i, j, bad);
            a.set(j, i, bad);
            for uplo in [Uplo::Lower, Uplo::Upper] {
                let mut s = Stored::<f64>::new(&a, Layout::ColMajor);
                let before = s.buf.clone();
                assert_eq!(
                    cholesky::factor(s.view_mut(), uplo, Par::Seq),
                    Err(FactorError::NonFinite)
                );
                assert!(
                    s.buf
                        .iter()
                        .zip(&before)
                        .all(|(x, y)| x == y || (x.is_nan() && y.is_nan()))
                );
                // Unchecked: terminates with an error or a (garbage) factor, never a panic.
                for t in [1usize, 16] {
                    let p = CholeskyParams {
                        check_finite: false,
                        recursion_threshold: t,
                        ..CholeskyParams::for_scalar::<f64>()
                    };
                    let mut s = Stored::<f64>::new(&a, Layout::RowMajor);
                    let r = cholesky::factor_with_params(s.view_mut(), uplo, Par::Seq, &p);
                    if bad.is_nan() && i == j {
                        assert_eq!(r, Err(FactorError::NotPositiveDefinite { minor: i + 1 }));
                    }
                }
            }
        }
    }
    // A NaN only in the triangle that is not referenced is not looked at.
    let mut a = random_spd(10, 0.1, 5);
    a.set(0, 9, f64::NAN);
    let mut s = Stored::<f64>::new(&a, Layout::ColMajor);
    cholesky::factor(s.view_mut(), Uplo::Lower, Par::Seq).unwrap();
    let mut b = [1.0, f64::INFINITY];
    let mut one = [4.0];
    cholesky::factor(
        MatMut::from_col_major(&mut one, 1, 1).unwrap(),
        Uplo::Lower,
        Par::Seq,
    )
    .unwrap();
    assert_eq!(
        cholesky::solve(
            MatRef::from_col_major(&one, 1, 1).unwrap(),
            Uplo::Lower,
            MatMut::from_row_major(&mut b, 1, 2).unwrap(),
            Par::Seq
        ),
        Err(FactorError::NonFinite)
    );
}

#[test]
fn empty_one_by_one_and_shapes() {
    let _g = isa_lock();
    let mut e: [f32; 0] = [];
    cholesky::factor(
        MatMut::from_col_major(&mut e, 0, 0).unwrap(),
        Uplo::Upper,
        Par::Seq,
    )
    .unwrap();
    let mut b: [f32; 0] = [];
    cholesky::solve(
        MatRef::from_col_major(&e, 0, 0).unwrap(),
        Uplo::Upper,
        MatMut::from_col_major(&mut b, 0, 2).unwrap(),
        Par::Seq,
    )
    .unwrap();
    let mut one = [9.0f32];
    cholesky::factor(
        MatMut::from_col_major(&mut one, 1, 1).unwrap(),
        Uplo::Upper,
        Par::Seq,
    )
    .unwrap();
    assert_eq!(one, [3.0]);
    let mut b = [6.0f32, 18.0];
    cholesky::solve(
        MatRef::from_col_major(&one, 1, 1).unwrap(),
        Uplo::Upper,
        MatMut::from_row_major(&mut b, 1, 2).unwrap(),
        Par::Seq,
    )
    .unwrap();
    assert_eq!(b, [6.0 / 9.0, 2.0]);
    let mut neg = [-1.0f64];
    assert_eq!(
        cholesky::factor(
            MatMut::from_col_major(&mut neg, 1, 1).unwrap(),
            Uplo::Lower,
            Par::Seq
        ),
        Err(FactorError::NotPositiveDefinite { minor: 1 })
    );
    let mut r = [1.0f64; 6];
    assert_eq!(
        cholesky::factor(
            MatMut::from_col_major(&mut r, 2, 3).unwrap(),
            Uplo::Lower,
            Par::Seq
        ),
        Err(FactorError::NotSquare { nrows: 2, ncols: 3 })
    );
    let f = [1.0f64, 0.0, 0.0, 1.0];
    let mut b = [1.0f64; 3];
    assert!(matches!(
        cholesky::solve(
            MatRef::from_col_major(&f, 2, 2).unwrap(),
            Uplo::Lower,
            MatMut::from_col_major(&mut b, 3, 1).unwrap(),
            Par::Seq
        ),
        Err(FactorError::Shape {
            op: "cholesky::solve",
            ..
        })
    ));
    let z = [1.0f64, 0.0, 0.0, 0.0];
    let mut b = [1.0f64; 2];
    assert_eq!(
        cholesky::solve(
            MatRef::from_col_major(&z, 2, 2).unwrap(),
            Uplo::Lower,
            MatMut::from_col_major(&mut b, 2, 1).unwrap(),
            Par::Seq
        ),
        Err(FactorError::Singular { index: 1 })
    );
}

#[test]
fn faer_oracle_solve() {
    use faer::linalg::solvers::Solve;
    let _g = isa_lock();
    for (n, seed) in [(6usize, 1u64), (90, 2), (220, 3)] {
        let a = random_spd(n, 0.05, seed);
        let b = Dense::random(n, 3, seed + 7);
        let fa = faer::Mat::<f64>::from_fn(n, n, |i, j| a.at(i, j));
        let fb = faer::Mat::<f64>::from_fn(n, 3, |i, j| b.at(i, j));
        let llt = fa.llt(faer::Side::Lower).expect("faer: SPD");
        let fx = llt.solve(&fb);
        let mut s = Stored::<f64>::new(&a, Layout::RowMajor);
        cholesky::factor(s.view_mut(), Uplo::Lower, Par::Rayon(2)).unwrap();
        let mut x = Stored::<f64>::new(&b, Layout::NegCols);
        cholesky::solve(s.view(), Uplo::Lower, x.view_mut(), Par::Rayon(2)).unwrap();
        let x = x.to_dense();
        // Two backward-stable solvers agree to about κ·n·ε; κ₁ from LU's estimate.
        let mut s2 = Stored::<f64>::new(&a, Layout::ColMajor);
        let mut ipiv = vec![0; n];
        lapis_factor::lu::factor(s2.view_mut(), &mut ipiv, Par::Seq).unwrap();
        let kappa = 1.0 / lapis_factor::lu::rcond(s2.view(), &ipiv, a.norm1(), Par::Seq).unwrap();
        let tol = 10.0 * kappa * n as f64 * f64::EPSILON;
        let diff = Dense::from_fn(n, 3, |i, j| x.at(i, j) - fx[(i, j)]).norm1() / x.norm1();
        eprintln!("faer oracle cholesky n={n}: rel diff {diff:.2e}, tol {tol:.2e}");
        assert!(diff <= tol, "n={n}: {diff} > {tol}");
    }
}

/// The one-panel lookahead with threads: the caller factors each next panel while the other
/// threads update the blocks of 256 columns to its right. Panels of 32 over orders up to 600
/// (several blocks per step, the last one partial), f64 and f32, both triangles, under the
/// same bounds; and a failing minor inside a panel factored ahead is reported for any number
/// of threads.
#[test]
fn parallel_lookahead_keeps_bounds_and_minors() {
    let params = CholeskyParams {
        block_size: 32,
        recursion_threshold: 8,
        ..CholeskyParams::for_scalar::<f64>()
    };
    for (n, t) in [(600usize, 2usize), (531, 3), (300, 2), (97, 3)] {
        let a = random_spd(n, 0.05, (n + t) as u64);
        for (layout, uplo) in [
            (Layout::ColMajor, Uplo::Lower),
            (Layout::RowMajor, Uplo::Upper),
        ] {
            let mut s = Stored::<f64>::new(&a, layout);
            cholesky::factor_with_params(s.view_mut(), uplo, Par::Rayon(t), &params).unwrap();
            let (l, untouched) = read_factor(&s, &a, uplo);
            assert!(untouched, "n={n} t={t}: the other triangle was written");
            let r = a.sub(&l.matmul(&l.t())).norm1();
            let r_a = ratio(r, a.norm1() * n as f64 * f64::EPSILON);
            assert!(r_a <= 10.0, "f64 n={n} t={t} {uplo:?}: {r_a}");
            let a32 = a.round_to::<f32>();
            let mut s = Stored::<f32>::new(&a32, layout);
            cholesky::factor_with_params(s.view_mut(), uplo, Par::Rayon(t), &params).unwrap();
            let (l, _) = read_factor(&s, &a32, uplo);
            let r = a32.sub(&l.matmul(&l.t())).norm1();
            let r_a = ratio(r, a32.norm1() * n as f64 * f32::EPSILON as f64);
            assert!(r_a <= 10.0, "f32 n={n} t={t} {uplo:?}: {r_a}");
        }
    }
    // Step 70 fails: in the third panel, which the caller factors ahead.
    let a = broken_at(300, 70, 5);
    for t in [1, 2, 3] {
        let par = if t == 1 { Par::Seq } else { Par::Rayon(t) };
        let mut s = Stored::<f64>::new(&a, Layout::ColMajor);
        let e = cholesky::factor_with_params(s.view_mut(), Uplo::Lower, par, &params);
        assert_eq!(
            e,
            Err(FactorError::NotPositiveDefinite { minor: 71 }),
            "t={t}"
        );
    }
}
