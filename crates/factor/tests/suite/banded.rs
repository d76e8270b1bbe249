//! Banded LU (`gbtrf`/`gbtrs`, scipy's `solve_banded`) and the tridiagonal fast path (`gtsv`):
//! against the dense LU on random band matrices of many `(kl, ku)` and orders, with multiple
//! right-hand sides, transposed solves, forced row interchanges, singular bands, strided views,
//! f32 and f64, on every ISA path.
//!
//! Bounds (Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed.):
//! * Thm 9.4 holds for the banded elimination too (it is Gaussian elimination with partial
//!   pivoting whose zero entries are skipped): `(A + ΔA)·x = b`, `|ΔA| ≤ γ_{3n}·|L|·|U|`, so
//!   the residual ratio `‖Ax − b‖₁ / (‖A‖₁·‖x‖₁·n·ε) ≤ (3/2)·‖|L||U|‖₁/‖A‖₁`. The growth of a
//!   band LU is at most `2^(2kl+ku−1)` and modest on random bands: asserted `≤ 10`.
//! * Two backward-stable solutions of the same system differ by at most
//!   `2·(residual bound)·κ₁(A)`: `‖x_band − x_dense‖₁ / ‖x_dense‖₁ ≤ 2·10·n·ε·κ₁(A)`.

use crate::common::*;
use lapis_factor::FactorError;
use lapis_factor::banded;
use lapis_factor::kernels::{MatMut, MatRef, Par, Scalar};
use lapis_factor::lu;

const BANDS: [(usize, usize); 11] = [
    (0, 0),
    (1, 0),
    (0, 1),
    (1, 1),
    (2, 3),
    (5, 1),
    (1, 5),
    (3, 3),
    (2, 0),
    (0, 2),
    (7, 4),
];
const ORDERS: [usize; 9] = [0, 1, 2, 3, 4, 7, 16, 65, 200];

/// `x` from the dense f64 LU of `a` (stored exactly as the band solve saw it), and `κ₁(A)`.
fn dense_solve(a: &Dense, b: &Dense) -> (Dense, f64) {
    let n = a.n;
    let mut lu_buf = a.data.clone();
    let mut ipiv = vec![0; n];
    let mut luv = MatMut::from_col_major(&mut lu_buf, n, n).unwrap();
    lu::factor(luv.rb(), &mut ipiv, Par::Seq)
        .unwrap()
        .check()
        .unwrap();
    let mut x = b.clone();
    lu::solve(
        luv.as_ref(),
        &ipiv,
        MatMut::from_col_major(&mut x.data, n, b.n).unwrap(),
        Par::Seq,
    )
    .unwrap();
    let mut inv = Dense::identity(n);
    lu::solve(
        luv.as_ref(),
        &ipiv,
        MatMut::from_col_major(&mut inv.data, n, n).unwrap(),
        Par::Seq,
    )
    .unwrap();
    (x, a.norm1() * inv.norm1())
}

/// `‖x − y‖₁ / ‖y‖₁` over all columns together.
fn rel_diff(x: &Dense, y: &Dense) -> f64 {
    ratio(x.sub(y).norm1(), y.norm1())
}

/// Solves one band system four ways (scipy layout through `solve_banded`, the factor layout
/// through `factor` + `solve`, and `solve_transpose` against `Aᵀ`), checks residuals and the
/// agreement with the dense LU. Returns (residual ratio, forward-difference ratio) maxima.
fn check_band<T: Scalar>(
    n: usize,
    kl: usize,
    ku: usize,
    nrhs: usize,
    diag_scale: f64,
    layout: Layout,
    seed: u64,
) -> (f64, f64) {
    let eps = T::EPS.to_f64();
    let a = random_banded(n, kl, ku, diag_scale, seed).round_to::<T>();
    let b = Dense::random(n, nrhs, seed ^ 0xB).round_to::<T>();
    let (x_ref, kappa) = if n > 0 {
        dense_solve(&a, &b)
    } else {
        (b.clone(), 1.0)
    };
    let fwd_scale = 2.0 * 10.0 * n.max(1) as f64 * eps * kappa;
    let mut worst = (0.0f64, 0.0f64);

    // scipy layout, strided views; NaN in the ignored corners must not matter.
    let ab = Stored::<T>::new(&to_scipy_band(&a, kl, ku, f64::NAN), layout);
    let mut xs = Stored::<T>::new(&b, layout);
    banded::solve_banded(kl, ku, ab.view(), xs.view_mut()).expect("solve_banded");
    assert!(xs.gaps_untouched());
    let x = xs.to_dense();
    let res = solve_residual(&a, &x, &b, eps);
    let fwd = ratio(rel_diff(&x, &x_ref), fwd_scale);
    assert!(
        res <= 10.0 && fwd <= 1.0,
        "solve_banded n={n} ({kl},{ku}) {layout:?}: residual {res:.2e}, forward {fwd:.2e}"
    );
    worst = (worst.0.max(res), worst.1.max(fwd));

    // Factor layout: factor once, solve A·X = B and Aᵀ·X = B.
    let ldab = banded::factor_rows(kl, ku).unwrap();
    let mut f = Stored::<T>::new(&Dense::zeros(ldab, n), layout);
    banded::copy_from_scipy(kl, ku, ab.view(), f.view_mut()).unwrap();
    let mut ipiv = vec![usize::MAX; n];
    let status = banded::factor(f.view_mut(), kl, ku, &mut ipiv).expect("factor");
    assert!(!status.is_singular());
    assert!(f.gaps_untouched());
    for (j, &p) in ipiv.iter().enumerate() {
        assert!(p >= j && p <= (j + kl).min(n - 1), "ipiv[{j}] = {p}");
    }
    for transpose in [false, true] {
        let (op, rhs) = if transpose {
            (a.t(), &b)
        } else {
            (a.clone(), &b)
        };
        let mut xs = Stored::<T>::new(rhs, layout);
        if transpose {
            banded::solve_transpose(f.view(), kl, ku, &ipiv, xs.view_mut()).unwrap();
        } else {
            banded::solve(f.view(), kl, ku, &ipiv, xs.view_mut()).unwrap();
        }
        let x = xs.to_dense();
        let res = solve_residual(&op, &x, rhs, eps);
        let fwd = if transpose || n == 0 {
            let (xt, kt) = if n > 0 {
                dense_solve(&op, rhs)
            } else {
                (rhs.clone(), 1.0)
            };
            ratio(rel_diff(&x, &xt), 2.0 * 10.0 * n.max(1) as f64 * eps * kt)
        } else {
            ratio(rel_diff(&x, &x_ref), fwd_scale)
        };
        assert!(
            res <= 10.0 && fwd <= 1.0,
            "banded::solve n={n} ({kl},{ku}) transpose={transpose} {layout:?}: residual {res:.2e}, forward {fwd:.2e}"
        );
        worst = (worst.0.max(res), worst.1.max(fwd));
    }
    worst
}

#[test]
fn against_dense_lu_every_band_and_order() {
    let mut res = Vec::new();
    let mut fwd = Vec::new();
    for_each_isa("against_dense_lu_every_band_and_order", |isa| {
        for (bi, &(kl, ku)) in BANDS.iter().enumerate() {
            for (ni, &n) in ORDERS.iter().enumerate() {
                for (k, nrhs) in [1usize, 3].into_iter().enumerate() {
                    let layout = LAYOUTS[(bi + ni + k) % LAYOUTS.len()];
                    let seed = (bi * 1000 + ni * 10 + k) as u64;
                    let tag = |t: &str| format!("{t}/band{kl}x{ku}/n{n}/rhs{nrhs}/{isa}");
                    let (r, f) = check_band::<f64>(n, kl, ku, nrhs, 1.0, layout, seed);
                    res.push((tag("float64"), r));
                    fwd.push((tag("float64"), f));
                    let (r, f) = check_band::<f32>(n, kl, ku, nrhs, 1.0, layout, seed + 7);
                    res.push((tag("float32"), r));
                    fwd.push((tag("float32"), f));
                }
            }
        }
    });
    report(
        "against_dense_lu_every_band_and_order",
        "‖Ax−b‖₁/(‖A‖₁‖x‖₁nε)",
        &res,
    );
    report(
        "against_dense_lu_every_band_and_order",
        "‖x−x_dense‖₁/(‖x_dense‖₁·20nεκ₁)",
        &fwd,
    );
}

#[test]
fn small_diagonal_forces_interchanges() {
    let mut res = Vec::new();
    for_each_isa("small_diagonal_forces_interchanges", |isa| {
        for &(kl, ku) in &[(1, 1), (2, 3), (5, 1), (3, 2)] {
            for &n in &[5usize, 40, 150] {
                // Interchanges happen: the dense-reference check runs inside check_band.
                let a = random_banded(n, kl, ku, 1e-6, 77);
                let ab = to_scipy_band(&a, kl, ku, 0.0);
                let mut f = Dense::zeros(banded::factor_rows(kl, ku).unwrap(), n);
                banded::copy_from_scipy(
                    kl,
                    ku,
                    MatRef::from_col_major(&ab.data, ab.m, n).unwrap(),
                    MatMut::from_col_major(&mut f.data, f.m, n).unwrap(),
                )
                .unwrap();
                let mut ipiv = vec![0; n];
                banded::factor(
                    MatMut::from_col_major(&mut f.data, f.m, n).unwrap(),
                    kl,
                    ku,
                    &mut ipiv,
                )
                .unwrap();
                let swaps = ipiv.iter().enumerate().filter(|&(j, &p)| p != j).count();
                if kl > 0 {
                    assert!(
                        swaps > n / 4,
                        "({kl},{ku}) n={n}: only {swaps} interchanges"
                    );
                }
                for layout in [Layout::ColMajor, Layout::NegRows] {
                    let (r, _) = check_band::<f64>(n, kl, ku, 2, 1e-6, layout, 77);
                    res.push((format!("float64/small_diag{kl}x{ku}/n{n}/{isa}"), r));
                }
            }
        }
    });
    let worst = report(
        "small_diagonal_forces_interchanges",
        "‖Ax−b‖₁/(‖A‖₁‖x‖₁nε)",
        &res,
    );
    assert!(worst <= 10.0);
}

/// scipy's own docstring example for `solve_banded`.
#[test]
fn scipy_docstring_example() {
    // a = [[5, 2, -1, 0, 0], [1, 4, 2, -1, 0], [0, 1, 3, 2, -1], [0, 0, 1, 2, 2], [0, 0, 0, 1, 1]]
    let ab = [
        0.0, 0.0, -1.0, -1.0, -1.0, //
        0.0, 2.0, 2.0, 2.0, 2.0, //
        5.0, 4.0, 3.0, 2.0, 1.0, //
        1.0, 1.0, 1.0, 1.0, 0.0,
    ];
    let mut b = [0.0, 1.0, 2.0, 2.0, 3.0];
    banded::solve_banded(
        1,
        2,
        MatRef::from_row_major(&ab, 4, 5).unwrap(),
        MatMut::from_col_major(&mut b, 5, 1).unwrap(),
    )
    .unwrap();
    let want: [f64; 5] = [-2.37288136, 3.93220339, -4.0, 4.3559322, -1.3559322];
    for (x, w) in b.iter().zip(want) {
        assert!((x - w).abs() < 1e-8, "{b:?}");
    }
}

#[test]
fn tridiagonal_fast_path_matches_general_path() {
    let eps = f64::EPSILON;
    let mut diffs = Vec::new();
    for &n in &[1usize, 2, 3, 10, 100, 200] {
        for (k, &scale) in [1.0, 1e-3, 0.0].iter().enumerate() {
            let a = random_banded(n, 1, 1, scale, 500 + n as u64 + k as u64);
            if scale == 0.0 && n % 2 == 1 {
                continue; // a zero diagonal with odd n is singular
            }
            let b = Dense::random(n, 2, 9);
            // Fast path, straight from the diagonals.
            let mut dl: Vec<f64> = (0..n - 1).map(|i| a.at(i + 1, i)).collect();
            let mut d: Vec<f64> = (0..n).map(|i| a.at(i, i)).collect();
            let mut du: Vec<f64> = (0..n - 1).map(|i| a.at(i, i + 1)).collect();
            let mut x1 = b.clone();
            banded::solve_tridiagonal(
                &mut dl,
                &mut d,
                &mut du,
                MatMut::from_col_major(&mut x1.data, n, 2).unwrap(),
            )
            .unwrap();
            // General path with kl = ku = 1.
            let ab = to_scipy_band(&a, 1, 1, 0.0);
            let mut f = Dense::zeros(4, n);
            banded::copy_from_scipy(
                1,
                1,
                MatRef::from_col_major(&ab.data, 3, n).unwrap(),
                MatMut::from_col_major(&mut f.data, 4, n).unwrap(),
            )
            .unwrap();
            let mut ipiv = vec![0; n];
            let mut fv = MatMut::from_col_major(&mut f.data, 4, n).unwrap();
            banded::factor(fv.rb(), 1, 1, &mut ipiv)
                .unwrap()
                .check()
                .unwrap();
            let mut x2 = b.clone();
            banded::solve(
                fv.as_ref(),
                1,
                1,
                &ipiv,
                MatMut::from_col_major(&mut x2.data, n, 2).unwrap(),
            )
            .unwrap();
            let (_, kappa) = dense_solve(&a, &b);
            let r = ratio(rel_diff(&x1, &x2), 2.0 * 10.0 * n as f64 * eps * kappa);
            assert!(r <= 1.0, "n={n} scale={scale}: {r:.2e}");
            assert!(solve_residual(&a, &x1, &b, eps) <= 10.0);
            diffs.push((format!("float64/tridiag{n}/scale{k}"), r));
            // Transposed system: swap dl and du.
            let mut dl: Vec<f64> = (0..n - 1).map(|i| a.at(i, i + 1)).collect();
            let mut d: Vec<f64> = (0..n).map(|i| a.at(i, i)).collect();
            let mut du: Vec<f64> = (0..n - 1).map(|i| a.at(i + 1, i)).collect();
            let mut xt = b.clone();
            banded::solve_tridiagonal(
                &mut dl,
                &mut d,
                &mut du,
                MatMut::from_col_major(&mut xt.data, n, 2).unwrap(),
            )
            .unwrap();
            assert!(solve_residual(&a.t(), &xt, &b, eps) <= 10.0);
        }
    }
    report(
        "tridiagonal_fast_path_matches_general_path",
        "‖x_gtsv−x_gbtrs‖₁/(‖x‖₁·20nεκ₁)",
        &diffs,
    );
}

#[test]
fn singular_band_reports_first_zero_pivot() {
    for_each_isa("singular_band_reports_first_zero_pivot", |_| {
        for &(kl, ku) in &[(0, 0), (1, 0), (0, 1), (1, 1), (2, 3), (5, 1)] {
            for &(n, zero_col) in &[(1usize, 0usize), (6, 0), (6, 3), (6, 5), (50, 17)] {
                let mut a = random_banded(n, kl, ku, 1.0, 31);
                for i in 0..n {
                    a.set(i, zero_col, 0.0);
                }
                let ab = to_scipy_band(&a, kl, ku, 0.0);
                let abv = MatRef::from_col_major(&ab.data, ab.m, n).unwrap();
                let mut b = Dense::random(n, 1, 1);
                let e = banded::solve_banded(
                    kl,
                    ku,
                    abv,
                    MatMut::from_col_major(&mut b.data, n, 1).unwrap(),
                );
                assert_eq!(
                    e,
                    Err(FactorError::Singular { index: zero_col }),
                    "({kl},{ku}) n={n} zero column {zero_col}"
                );
                // The general path reports the same index, in its status and in solve.
                let ldab = banded::factor_rows(kl, ku).unwrap();
                let mut f = vec![0.0; ldab * n];
                let mut fv = MatMut::from_col_major(&mut f, ldab, n).unwrap();
                banded::copy_from_scipy(kl, ku, abv, fv.rb()).unwrap();
                let mut ipiv = vec![0; n];
                let s = banded::factor(fv.rb(), kl, ku, &mut ipiv).unwrap();
                assert_eq!(s.first_zero_pivot, Some(zero_col));
                let mut b = vec![1.0; n];
                let before = b.clone();
                let e = banded::solve(
                    fv.as_ref(),
                    kl,
                    ku,
                    &ipiv,
                    MatMut::from_col_major(&mut b, n, 1).unwrap(),
                );
                assert_eq!(e, Err(FactorError::Singular { index: zero_col }));
                assert_eq!(b, before, "nothing written on a singular error");
            }
        }
    });
    // [[1, 2], [2, 4]] as a full (1, 1) band: the second pivot is zero.
    let ab = [0.0, 2.0, 1.0, 4.0, 2.0, 0.0];
    let mut b = [1.0, 2.0];
    let e = banded::solve_banded(
        1,
        1,
        MatRef::from_row_major(&ab, 3, 2).unwrap(),
        MatMut::from_col_major(&mut b, 2, 1).unwrap(),
    );
    assert_eq!(e, Err(FactorError::Singular { index: 1 }));
}

#[test]
fn shape_and_finiteness_errors() {
    let ab = vec![1.0; 4 * 5];
    let mut b = vec![1.0; 5];
    // ab has 4 rows, (kl, ku) = (1, 1) wants 3.
    let e = banded::solve_banded(
        1,
        1,
        MatRef::from_col_major(&ab, 4, 5).unwrap(),
        MatMut::from_col_major(&mut b, 5, 1).unwrap(),
    );
    assert_eq!(
        e,
        Err(FactorError::Shape {
            op: "banded::solve_banded",
            shapes: vec![("ab", (4, 5)), ("b", (5, 1))],
        })
    );
    // b has 4 rows for n = 5.
    let e = banded::solve_banded(
        2,
        1,
        MatRef::from_col_major(&ab, 4, 5).unwrap(),
        MatMut::from_col_major(&mut b[..4], 4, 1).unwrap(),
    );
    assert_eq!(
        e,
        Err(FactorError::Shape {
            op: "banded::solve_banded",
            shapes: vec![("ab", (4, 5)), ("b", (4, 1))],
        })
    );
    assert!(e.unwrap_err().to_string().contains("ab is 4x5, b is 4x1"));
    // Factor layout with the wrong row count; ipiv of the wrong length.
    let mut f = vec![0.0; 5 * 5];
    let mut ipiv = vec![0; 5];
    let e = banded::factor(
        MatMut::from_col_major(&mut f, 5, 5).unwrap(),
        1,
        1,
        &mut ipiv,
    );
    assert!(matches!(
        e,
        Err(FactorError::Shape {
            op: "banded::factor",
            ..
        })
    ));
    let e = banded::factor(
        MatMut::from_col_major(&mut f[..20], 4, 5).unwrap(),
        1,
        1,
        &mut ipiv[..4],
    );
    assert!(matches!(e, Err(FactorError::Shape { .. })));
    // Tridiagonal lengths.
    let e = banded::solve_tridiagonal(
        &mut [1.0; 3],
        &mut [1.0; 3],
        &mut [1.0; 2],
        MatMut::from_col_major(&mut b[..3], 3, 1).unwrap(),
    );
    assert!(matches!(e, Err(FactorError::Shape { .. })));
    // NaN inside the band (either path) or in b; NaN in the ignored corners is fine.
    for (kl, ku) in [(1usize, 1usize), (2, 1)] {
        let a = random_banded(5, kl, ku, 1.0, 3);
        let mut ab = to_scipy_band(&a, kl, ku, f64::NAN);
        let mut b = vec![1.0; 5];
        fn view(ab: &Dense) -> MatRef<'_, f64> {
            MatRef::from_col_major(&ab.data, ab.m, 5).unwrap()
        }
        banded::solve_banded(
            kl,
            ku,
            view(&ab),
            MatMut::from_col_major(&mut b, 5, 1).unwrap(),
        )
        .unwrap();
        ab.set(ku, 2, f64::INFINITY);
        let e = banded::solve_banded(
            kl,
            ku,
            view(&ab),
            MatMut::from_col_major(&mut b, 5, 1).unwrap(),
        );
        assert_eq!(e, Err(FactorError::NonFinite));
        ab.set(ku, 2, 1.0);
        b[3] = f64::NAN;
        let e = banded::solve_banded(
            kl,
            ku,
            view(&ab),
            MatMut::from_col_major(&mut b, 5, 1).unwrap(),
        );
        assert_eq!(e, Err(FactorError::NonFinite));
    }
    // An out-of-band pivot is refused.
    let mut f = vec![0.0, 2.0, 1.0, 0.0, 3.0, 0.0]; // kl = 1, ku = 0, n = 2
    let mut ipiv = vec![0; 2];
    banded::factor(
        MatMut::from_col_major(&mut f, 3, 2).unwrap(),
        1,
        0,
        &mut ipiv,
    )
    .unwrap();
    let mut b = vec![1.0, 1.0];
    let e = banded::solve(
        MatRef::from_col_major(&f, 3, 2).unwrap(),
        1,
        0,
        &[0, 0],
        MatMut::from_col_major(&mut b, 2, 1).unwrap(),
    );
    assert!(matches!(e, Err(FactorError::InvalidPivot { index: 1, .. })));
}

#[test]
fn empty_and_degenerate_shapes() {
    // n = 0, with and without right-hand sides.
    let ab: [f64; 0] = [];
    let mut b: [f64; 0] = [];
    banded::solve_banded(
        2,
        1,
        MatRef::from_col_major(&ab, 4, 0).unwrap(),
        MatMut::from_col_major(&mut b, 0, 3).unwrap(),
    )
    .unwrap();
    // nrhs = 0.
    let ab = [0.0, 2.0, 1.0, 4.0, 3.0, 0.0];
    let mut b: [f64; 0] = [];
    banded::solve_banded(
        1,
        1,
        MatRef::from_row_major(&ab, 3, 2).unwrap(),
        MatMut::from_col_major(&mut b, 2, 0).unwrap(),
    )
    .unwrap();
    // Bands wider than the matrix: (5, 4) on a 2 × 2.
    let a = Dense::from_fn(2, 2, |i, j| [[1.0, 2.0], [3.0, 4.0]][i][j]);
    let ab = to_scipy_band(&a, 5, 4, 0.0);
    let mut b = [5.0, 11.0];
    banded::solve_banded(
        5,
        4,
        MatRef::from_col_major(&ab.data, 10, 2).unwrap(),
        MatMut::from_col_major(&mut b, 2, 1).unwrap(),
    )
    .unwrap();
    assert!((b[0] - 1.0).abs() < 1e-14 && (b[1] - 2.0).abs() < 1e-14);
}
