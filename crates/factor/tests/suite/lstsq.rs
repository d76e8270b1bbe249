//! Least squares by complete orthogonal decomposition: over- and under-determined,
//! rank-deficient, multiple right-hand sides, numpy's residual and rank rules, strided views,
//! f32 and f64, every ISA path; faer as an independent oracle.
//!
//! Bounds (Higham, *Accuracy and Stability*, §20): the QR-based solution is normwise backward
//! stable, so for a full-rank `A` with `κ = κ₂(A)` and residual `r`,
//! `‖x̂ − x‖/‖x‖ ≲ c·mn·u·(κ + κ²·‖r‖/(‖A‖‖x‖))`. The tests compare with an f64 oracle and
//! allow `10·max(m, n)·ε·κ̂²` where `κ̂² = κ₁(AᵀA) ≥ κ₂(A)²` is computed in f64 (a safe upper
//! bound of the first-order term). For rank-deficient `A = X·Y` the minimum-norm solution is
//! `A⁺b = Yᵀ(YYᵀ)⁻¹(XᵀX)⁻¹Xᵀb`; the truncated problem is a perturbation of size `O(ε‖A‖)` of
//! the exact-rank one, so the same form of bound holds with `κ` that of the nonzero part.
//! Optimality is also checked directly: `‖Aᵀ(b − A·x̂)‖ / (‖A‖²·‖x̂‖·max(m, n)·ε) ≤ 10`
//! (Higham (20.11), LAPACK's `qrt17`-style ratio), for full-rank and truncated problems.

use crate::common::*;
use lapis_factor::FactorError;
use lapis_factor::kernels::{MatMut, MatRef, Par, Scalar};
use lapis_factor::lstsq::{LstsqInfo, lstsq, lstsq_svd};

const BOUND: f64 = 10.0;

fn eps<T: Scalar>() -> f64 {
    T::EPS.to_f64()
}

/// Solves the square system `m·x = b` in f64 by Gaussian elimination with partial pivoting.
fn solve_dense(m: &Dense, b: &Dense) -> Dense {
    let n = m.m;
    let mut a = m.clone();
    let mut x = b.clone();
    for k in 0..n {
        let p = (k..n)
            .max_by(|&i, &j| a.at(i, k).abs().total_cmp(&a.at(j, k).abs()))
            .unwrap();
        for j in 0..n {
            let (u, v) = (a.at(k, j), a.at(p, j));
            a.set(k, j, v);
            a.set(p, j, u);
        }
        for j in 0..x.n {
            let (u, v) = (x.at(k, j), x.at(p, j));
            x.set(k, j, v);
            x.set(p, j, u);
        }
        for i in k + 1..n {
            let l = a.at(i, k) / a.at(k, k);
            for j in k..n {
                let v = a.at(i, j) - l * a.at(k, j);
                a.set(i, j, v);
            }
            for j in 0..x.n {
                let v = x.at(i, j) - l * x.at(k, j);
                x.set(i, j, v);
            }
        }
    }
    for k in (0..n).rev() {
        for j in 0..x.n {
            let mut s = x.at(k, j);
            for p in k + 1..n {
                s -= a.at(k, p) * x.at(p, j);
            }
            x.set(k, j, s / a.at(k, k));
        }
    }
    x
}

/// `κ₁(M)` of a small square f64 matrix.
fn cond1(m: &Dense) -> f64 {
    m.norm1() * solve_dense(m, &Dense::identity(m.m)).norm1()
}

/// Runs `lstsq` on copies of `a`, `b` stored with the given layouts; returns x (f64) and info.
/// Which least-squares path a test runs.
#[derive(Copy, Clone, Debug)]
enum Method {
    /// Complete orthogonal decomposition (`gelsy`).
    Cod,
    /// Thin SVD (`gelsd`'s answer, numpy's).
    Svd,
}

fn run<T: Scalar>(
    a: &Dense,
    b: &Dense,
    rcond: Option<f64>,
    la: Layout,
    lb: Layout,
) -> (Dense, LstsqInfo<T>) {
    run_with::<T>(Method::Cod, a, b, rcond, la, lb)
}

fn run_with<T: Scalar>(
    method: Method,
    a: &Dense,
    b: &Dense,
    rcond: Option<f64>,
    la: Layout,
    lb: Layout,
) -> (Dense, LstsqInfo<T>) {
    let (m, n) = (a.m, a.n);
    let mut sa = Stored::<T>::new(a, la);
    let sb = Stored::<T>::new(b, lb);
    let mut sx = Stored::<T>::new(&Dense::from_fn(n, b.n, |_, _| f64::NAN), lb);
    let rcond = rcond.map(T::from_f64);
    let info = match method {
        Method::Cod => lstsq(sa.view_mut(), sb.view(), sx.view_mut(), rcond, Par::Seq),
        Method::Svd => {
            let mut s = vec![T::zero(); m.min(n)];
            let info = lstsq_svd(sa.view(), sb.view(), sx.view_mut(), &mut s, rcond, Par::Seq);
            assert!(
                s.windows(2).all(|w| w[0] >= w[1]),
                "singular values descending"
            );
            info
        }
    }
    .expect("lstsq");
    assert!(
        sa.gaps_untouched() && sx.gaps_untouched(),
        "lstsq wrote outside a view"
    );
    assert_eq!(info.rank.min(m.min(n)), info.rank);
    (sx.to_dense(), info)
}

/// Max over columns of `‖Aᵀ(b − A·x)‖₂ / (‖A‖_F²·‖x‖₂·max(m, n)·ε)` (0 when `x = 0` and the
/// gradient is 0).
fn optimality(a: &Dense, x: &Dense, b: &Dense, eps: f64) -> f64 {
    let r = b.sub(&a.matmul(x));
    let g = a.t().matmul(&r);
    let an = norm_fro(a);
    (0..x.n)
        .map(|j| {
            let gj = norm_fro(&Dense::from_fn(g.m, 1, |i, _| g.at(i, j)));
            let xj = norm_fro(&Dense::from_fn(x.m, 1, |i, _| x.at(i, j)));
            let bj = norm_fro(&Dense::from_fn(b.m, 1, |i, _| b.at(i, j)));
            ratio(gj, an * (an * xj + bj) * a.m.max(a.n).max(1) as f64 * eps)
        })
        .fold(0.0, f64::max)
}

/// `‖x − y‖_F / ‖y‖_F`.
fn rel(x: &Dense, y: &Dense) -> f64 {
    ratio(norm_fro(&x.sub(y)), norm_fro(y))
}

// ---------------------------------------------------------------------------------------------

#[test]
fn seed_rank_deficient_example() {
    // numpy: np.linalg.lstsq([[1, 2], [2, 4]], [3, 6]) -> x = [0.6, 1.2], rank 1, resid = []
    let a = Dense::from_fn(2, 2, |i, j| [[1.0, 2.0], [2.0, 4.0]][i][j]);
    let b = Dense::from_fn(2, 1, |i, _| [3.0, 6.0][i]);
    for layout in LAYOUTS {
        let (x, info) = run::<f64>(&a, &b, None, layout, layout);
        assert_eq!(info.rank, 1);
        assert!(info.residuals.is_empty());
        assert!(
            (x.at(0, 0) - 0.6).abs() < 4.0 * f64::EPSILON
                && (x.at(1, 0) - 1.2).abs() < 4.0 * f64::EPSILON,
            "{x:?}"
        );
        let (x, info) = run::<f32>(&a, &b, None, layout, Layout::ColMajor);
        assert_eq!(info.rank, 1);
        assert!(
            (x.at(0, 0) - 0.6).abs() < 4e-7 && (x.at(1, 0) - 1.2).abs() < 4e-7,
            "{x:?}"
        );
    }
}

fn overdetermined_full_rank<T: Scalar>(tag: &str, method: Method) -> (f64, f64) {
    let mut errs = Vec::new();
    let mut opts = Vec::new();
    for &(m, n, nrhs) in &[
        (1, 1, 1),
        (10, 3, 2),
        (60, 20, 3),
        (150, 70, 1),
        (200, 20, 2),
        (40, 40, 2),
    ] {
        let a = Dense::random(m, n, (m * 31 + n) as u64).round_to::<T>();
        let b = Dense::random(m, nrhs, (m + 5 * n) as u64).round_to::<T>();
        let (x, info) = run_with::<T>(method, &a, &b, None, Layout::ColMajor, Layout::ColMajor);
        assert_eq!(info.rank, n, "{m}x{n}");
        // Normal equations in f64: AᵀA·x = Aᵀb.
        let ata = a.t().matmul(&a);
        let xne = solve_dense(&ata, &a.t().matmul(&b));
        let k2 = cond1(&ata);
        errs.push((
            format!("{m}x{n}"),
            rel(&x, &xne) / (m.max(n) as f64 * eps::<T>() * k2),
        ));
        opts.push((format!("{m}x{n}"), optimality(&a, &x, &b, eps::<T>())));
        // numpy's residuals: ‖b − Ax‖² per column when rank == n and m > n, else empty.
        if m > n {
            assert_eq!(info.residuals.len(), nrhs);
            let r = b.sub(&a.matmul(&x));
            for j in 0..nrhs {
                let rr: f64 = (0..m).map(|i| r.at(i, j) * r.at(i, j)).sum();
                let got = info.residuals[j].to_f64();
                assert!(
                    (got - rr).abs() <= 1e2 * m as f64 * eps::<T>() * rr.max(f64::MIN_POSITIVE),
                    "{got} vs {rr}"
                );
            }
        } else {
            assert!(info.residuals.is_empty());
        }
    }
    let t = format!("{tag}<{}> {method:?}", T::DTYPE);
    (
        report(&t, "‖x−x_ne‖/‖x_ne‖/(max(m,n)·ε·κ₁(AᵀA))", &errs),
        report(&t, "‖Aᵀr‖/(‖A‖(‖A‖‖x‖+‖b‖)·max(m,n)·ε)", &opts),
    )
}

#[test]
fn overdetermined_matches_normal_equations_every_isa() {
    for_each_isa("overdetermined", |_| {
        for method in [Method::Cod, Method::Svd] {
            let (e, o) = overdetermined_full_rank::<f64>("overdetermined", method);
            assert!(e <= BOUND && o <= BOUND);
            let (e, o) = overdetermined_full_rank::<f32>("overdetermined", method);
            assert!(e <= BOUND && o <= BOUND);
        }
    });
}

/// Min-norm solution of `A = X·Y` (`X` m × r, `Y` r × n) from the factors, in f64.
fn min_norm_low_rank(x: &Dense, y: &Dense, b: &Dense) -> Dense {
    let xtx = x.t().matmul(x);
    let yyt = y.matmul(&y.t());
    let u = solve_dense(&xtx, &x.t().matmul(b));
    let v = solve_dense(&yyt, &u);
    y.t().matmul(&v)
}

fn rank_deficient<T: Scalar>(tag: &str, method: Method) -> (f64, f64, f64) {
    let mut errs = Vec::new();
    let mut opts = Vec::new();
    let mut rows = Vec::new();
    for &(m, n, r, nrhs) in &[
        (30, 20, 5, 2),
        (20, 30, 5, 1),
        (50, 50, 17, 3),
        (8, 8, 1, 1),
        (60, 10, 9, 2),
        (10, 60, 9, 2),
        (25, 40, 25, 1),
    ] {
        let xf = Dense::random(m, r, (m * 3 + r) as u64);
        let yf = Dense::random(r, n, (n * 5 + r) as u64);
        let a = xf.matmul(&yf).round_to::<T>();
        let b = Dense::random(m, nrhs, 999 + m as u64).round_to::<T>();
        let (x, info) = run_with::<T>(method, &a, &b, None, Layout::ColMajor, Layout::ColMajor);
        assert_eq!(info.rank, r, "{method:?} {m}x{n} rank {r}");
        if r < n || m <= n {
            assert!(
                info.residuals.is_empty(),
                "numpy: no residuals when rank < n or m <= n"
            );
        }
        let xmn = min_norm_low_rank(&xf, &yf, &b);
        let k2 = cond1(&xf.t().matmul(&xf)) * cond1(&yf.matmul(&yf.t()));
        let name = format!("{m}x{n}r{r}");
        errs.push((
            name.clone(),
            rel(&x, &xmn) / (m.max(n) as f64 * eps::<T>() * k2),
        ));
        opts.push((name.clone(), optimality(&a, &x, &b, eps::<T>())));
        // x lies in the row space of A: x = Yᵀ·z, i.e. (I − Yᵀ(YYᵀ)⁻¹Y)·x = 0.
        let proj = yf
            .t()
            .matmul(&solve_dense(&yf.matmul(&yf.t()), &yf.matmul(&x)));
        rows.push((
            name,
            ratio(norm_fro(&x.sub(&proj)), norm_fro(&x)) / (m.max(n) as f64 * eps::<T>() * k2),
        ));
    }
    let t = format!("{tag}<{}> {method:?}", T::DTYPE);
    (
        report(&t, "‖x−A⁺b‖/‖A⁺b‖/(max(m,n)·ε·κ²)", &errs),
        report(&t, "‖Aᵀr‖/(‖A‖(‖A‖‖x‖+‖b‖)·max(m,n)·ε)", &opts),
        report(&t, "‖(I−P_row)x‖/‖x‖/(max(m,n)·ε·κ²)", &rows),
    )
}

#[test]
fn rank_deficient_gives_the_minimum_norm_solution_every_isa() {
    for_each_isa("rank_deficient", |_| {
        for method in [Method::Cod, Method::Svd] {
            let (e, o, r) = rank_deficient::<f64>("rank_deficient", method);
            assert!(e <= BOUND && o <= BOUND && r <= BOUND);
            let (e, o, r) = rank_deficient::<f32>("rank_deficient", method);
            assert!(e <= BOUND && o <= BOUND && r <= BOUND);
        }
    });
}

#[test]
fn underdetermined_full_rank_is_minimum_norm() {
    let _g = isa_lock();
    let mut errs = Vec::new();
    for (m, n, nrhs, method) in [(1, 5, 1), (3, 10, 2), (20, 60, 3), (45, 46, 1)]
        .into_iter()
        .flat_map(|(m, n, k)| [(m, n, k, Method::Cod), (m, n, k, Method::Svd)])
    {
        let a = Dense::random(m, n, (m * 17 + n) as u64);
        let b = Dense::random(m, nrhs, (m * 19 + n) as u64);
        let (x, info) = run_with::<f64>(method, &a, &b, None, Layout::ColMajor, Layout::ColMajor);
        assert_eq!(info.rank, m);
        assert!(info.residuals.is_empty(), "m <= n: no residuals");
        // x = Aᵀ(AAᵀ)⁻¹b
        let aat = a.matmul(&a.t());
        let xmn = a.t().matmul(&solve_dense(&aat, &b));
        errs.push((
            format!("{m}x{n} {method:?}"),
            rel(&x, &xmn) / (n as f64 * f64::EPSILON * cond1(&aat)),
        ));
        // Consistent system: A·x = b.
        assert!(solve_residual(&a, &x, &b, f64::EPSILON) <= BOUND);
    }
    assert!(report("underdetermined", "‖x−Aᵀ(AAᵀ)⁻¹b‖/‖x‖/(n·ε·κ₁(AAᵀ))", &errs) <= BOUND);
}

#[test]
fn layouts_scaling_and_multiple_rhs() {
    let _g = isa_lock();
    let (huge, tiny) = extreme_scale::<f64>();
    let mut opts = Vec::new();
    // Tall (QR first on the SVD path) and square (bidiagonalization directly).
    for (method, (m, n)) in [Method::Cod, Method::Svd]
        .into_iter()
        .flat_map(|meth| [(meth, (40, 15)), (meth, (30, 28))])
    {
        let base = Dense::random(m, n, 8);
        let bb = Dense::random(m, 4, 9);
        let run = |a: &Dense, b: &Dense, la, lb| run_with::<f64>(method, a, b, None, la, lb);
        let (x0, i0) = run(&base, &bb, Layout::ColMajor, Layout::ColMajor);
        for la in LAYOUTS {
            for lb in LAYOUTS {
                let (x, info) = run(&base, &bb, la, lb);
                assert_eq!(info.rank, n, "{method:?}");
                assert!(rel(&x, &x0) <= 1e3 * f64::EPSILON);
                assert_eq!(info.residuals.len(), 4);
                for (r, r0) in info.residuals.iter().zip(&i0.residuals) {
                    assert!((r - r0).abs() <= 1e-12 * r0);
                }
            }
        }
        // Scale invariance: (s·A)·x = s·b has the same solution.
        for (name, s) in [("huge", huge), ("tiny", tiny)] {
            let a = base.scaled(s);
            let b = bb.scaled(s);
            let (x, info) = run(&a, &b, Layout::ColMajor, Layout::ColMajor);
            assert_eq!(info.rank, n, "{name} {method:?}");
            assert!(
                rel(&x, &x0) <= 1e3 * f64::EPSILON,
                "{name} {method:?}: {}",
                rel(&x, &x0)
            );
            opts.push((
                format!("{name} {method:?} {m}x{n}"),
                optimality(&base, &x, &bb, f64::EPSILON),
            ));
            let lr = low_rank(30, 20, 6, 4).scaled(s);
            let (x, info) = run(
                &lr,
                &Dense::random(30, 1, 5).scaled(s),
                Layout::RowMajor,
                Layout::Strided,
            );
            assert_eq!(info.rank, 6, "{name} low rank");
            assert!(x.data.iter().all(|v| v.is_finite()));
        }
    }
    assert!(report("scaled", "optimality", &opts) <= BOUND);
}

#[test]
fn rcond_semantics_and_degenerate_shapes() {
    let _g = isa_lock();
    // diag(1, 1e-3, 1e-9): rank 3 by default, 2 with rcond 1e-6, 1 with rcond 1e-2.
    let a = Dense::from_fn(3, 3, |i, j| if i == j { [1.0, 1e-3, 1e-9][i] } else { 0.0 });
    let b = Dense::from_fn(3, 1, |_, _| 1.0);
    let (x, info) = run::<f64>(&a, &b, None, Layout::ColMajor, Layout::ColMajor);
    assert_eq!(info.rank, 3);
    assert!((x.at(2, 0) - 1e9).abs() < 1e-6);
    let (x, info) = run::<f64>(&a, &b, Some(1e-6), Layout::ColMajor, Layout::ColMajor);
    assert_eq!(info.rank, 2);
    assert_eq!(x.at(2, 0), 0.0);
    let (_, info) = run::<f64>(&a, &b, Some(1e-2), Layout::ColMajor, Layout::ColMajor);
    assert_eq!(info.rank, 1);
    // Negative rcond means machine precision; zero keeps everything nonzero.
    assert_eq!(
        run::<f64>(&a, &b, Some(-1.0), Layout::ColMajor, Layout::ColMajor)
            .1
            .rank,
        3
    );
    assert_eq!(
        run::<f64>(&a, &b, Some(0.0), Layout::ColMajor, Layout::ColMajor)
            .1
            .rank,
        3
    );
    // Zero matrix: rank 0, x = 0; 4 × 3 zero has rank 0 < n so no residuals.
    let (x, info) = run::<f64>(
        &Dense::zeros(4, 3),
        &Dense::random(4, 2, 1),
        None,
        Layout::ColMajor,
        Layout::ColMajor,
    );
    assert_eq!(info.rank, 0);
    assert!(x.data.iter().all(|&v| v == 0.0));
    assert!(info.residuals.is_empty());
    // m × 0: x is 0 × nrhs, rank 0 == n and m > n: residuals are ‖b_j‖².
    let b = Dense::random(3, 2, 2);
    let (x, info) = run::<f64>(
        &Dense::zeros(3, 0),
        &b,
        None,
        Layout::ColMajor,
        Layout::ColMajor,
    );
    assert_eq!((x.m, x.n, info.rank), (0, 2, 0));
    for j in 0..2 {
        let nb: f64 = (0..3).map(|i| b.at(i, j) * b.at(i, j)).sum();
        assert!((info.residuals[j] - nb).abs() <= 1e-15 * nb);
    }
    // 0 × n: x = 0.
    let (x, info) = run::<f64>(
        &Dense::zeros(0, 4),
        &Dense::zeros(0, 1),
        None,
        Layout::ColMajor,
        Layout::ColMajor,
    );
    assert_eq!((x.m, info.rank), (4, 0));
    assert!(x.data.iter().all(|&v| v == 0.0) && info.residuals.is_empty());
    // No right-hand sides.
    let (x, info) = run::<f64>(
        &Dense::random(5, 3, 3),
        &Dense::zeros(5, 0),
        None,
        Layout::ColMajor,
        Layout::ColMajor,
    );
    assert_eq!((x.m, x.n, info.rank, info.residuals.len()), (3, 0, 3, 0));
}

#[test]
fn errors() {
    let mut a = [1.0, 2.0, 3.0, 4.0];
    let b = [1.0, 2.0, 3.0];
    let mut x = [0.0; 2];
    let e = lstsq(
        MatMut::from_col_major(&mut a, 2, 2).unwrap(),
        MatRef::from_col_major(&b, 3, 1).unwrap(),
        MatMut::from_col_major(&mut x, 2, 1).unwrap(),
        None,
        Par::Seq,
    );
    assert!(matches!(e, Err(FactorError::Shape { .. })), "{e:?}");
    let b = [1.0, f64::NAN];
    let e = lstsq(
        MatMut::from_col_major(&mut a, 2, 2).unwrap(),
        MatRef::from_col_major(&b, 2, 1).unwrap(),
        MatMut::from_col_major(&mut x, 2, 1).unwrap(),
        None,
        Par::Seq,
    );
    assert_eq!(e, Err(FactorError::NonFinite));
    assert_eq!(a, [1.0, 2.0, 3.0, 4.0], "a failed lstsq leaves a alone");
    let b = [1.0, 2.0];
    let e = lstsq(
        MatMut::from_col_major(&mut a, 2, 2).unwrap(),
        MatRef::from_col_major(&b, 2, 1).unwrap(),
        MatMut::from_col_major(&mut x, 2, 1).unwrap(),
        Some(f64::NAN),
        Par::Seq,
    );
    assert_eq!(e, Err(FactorError::InvalidArgument { name: "rcond" }));
}

#[test]
fn matches_faer_lstsq() {
    use faer::linalg::solvers::SolveLstsq;
    let _g = isa_lock();
    for &(m, n) in &[(80, 30), (200, 120), (30, 30)] {
        let a = Dense::random(m, n, (m * 11 + n) as u64);
        let b = Dense::random(m, 2, (m * 13 + n) as u64);
        let fa = faer::Mat::<f64>::from_fn(m, n, |i, j| a.at(i, j));
        let fb = faer::Mat::<f64>::from_fn(m, 2, |i, j| b.at(i, j));
        let fx = fa.qr().solve_lstsq(&fb);
        let xf = Dense::from_fn(n, 2, |i, j| fx[(i, j)]);
        let (x, _) = run::<f64>(&a, &b, None, Layout::ColMajor, Layout::ColMajor);
        let ata = a.t().matmul(&a);
        let d = rel(&x, &xf) / (m as f64 * f64::EPSILON * cond1(&ata));
        assert!(d <= BOUND, "{m}x{n}: {d:e}");
        eprintln!("faer lstsq {m}x{n}: ‖x − x_faer‖/‖x‖/(m·ε·κ₁(AᵀA)) = {d:.3e}");
    }
    // Parallel run agrees.
    let a = Dense::random(120, 60, 1);
    let b = Dense::random(120, 3, 2);
    let mut sa = Stored::<f64>::new(&a, Layout::ColMajor);
    let sb = Stored::<f64>::new(&b, Layout::ColMajor);
    let mut sx = Stored::<f64>::new(&Dense::zeros(60, 3), Layout::ColMajor);
    lstsq(sa.view_mut(), sb.view(), sx.view_mut(), None, Par::Rayon(2)).unwrap();
    let (x, _) = run::<f64>(&a, &b, None, Layout::ColMajor, Layout::ColMajor);
    assert!(rel(&sx.to_dense(), &x) <= 1e3 * f64::EPSILON);
}
