//! scipy's and numpy's factorization front doors: `cholesky`, `cho_factor`/`cho_solve`,
//! `lu`, `lu_factor`/`lu_solve`, `solve_triangular`. Identities (P·L·U = A, L·Lᵀ = A, residuals)
//! with tolerances from n·ε, stacks against per-matrix results, errors.

use lapis::linalg::{self, SolveTriangular, Trans};
use lapis::{Array, LinalgError, array, matmul, random, s};

const EPS: f64 = f64::EPSILON;

fn rand(shape: &[usize], seed: u64) -> Array<f64> {
    random::default_rng(seed).standard_normal::<f64>(shape)
}

fn max_abs(a: &Array<f64>) -> f64 {
    a.iter().fold(0.0f64, |m, &x| m.max(x.abs()))
}

/// A random symmetric positive definite `n × n`: `X·Xᵀ + n·I`.
fn spd(n: usize, seed: u64) -> Array<f64> {
    let x = rand(&[n, n], seed);
    &matmul(&x, &x.t()).unwrap() + &(&Array::<f64>::eye(n) * n as f64)
}

#[test]
fn cholesky_lower_upper_and_errors() {
    for &n in &[1usize, 3, 4, 20, 70] {
        let a = spd(n, n as u64);
        let l = linalg::cholesky(&a, false).unwrap();
        let u = linalg::cholesky(&a, true).unwrap();
        // triangles, the other half zero, and U = Lᵀ
        for i in 0..n {
            for j in i + 1..n {
                assert_eq!(l[[i, j]], 0.0);
                assert_eq!(u[[j, i]], 0.0);
            }
        }
        assert!(lapis::allclose(&u, &l.t()).unwrap());
        // ‖A − L·Lᵀ‖ ≤ c·n·ε·‖A‖
        let r = &matmul(&l, &l.t()).unwrap() - &a;
        assert!(max_abs(&r) <= 4.0 * n as f64 * EPS * max_abs(&a) * n as f64);
    }
    // only the named triangle is read: garbage (even NaN) in the other is ignored, as numpy
    let mut a = spd(5, 9);
    let l = linalg::cholesky(&a, false).unwrap();
    a[[0, 4]] = f64::NAN;
    assert_eq!(linalg::cholesky(&a, false).unwrap(), l);
    assert_eq!(linalg::cholesky(&a, true), Err(LinalgError::NonFinite));
    // not positive definite: the failing minor
    assert_eq!(
        linalg::cholesky(&array![[1., 2.], [2., 1.]], false),
        Err(LinalgError::NotPositiveDefinite { minor: 2 })
    );
    assert_eq!(
        linalg::cholesky(&array![[-1., 0.], [0., 1.]], false),
        Err(LinalgError::NotPositiveDefinite { minor: 1 })
    );
    assert!(matches!(
        linalg::cholesky(&Array::<f64>::ones(&[2, 3]), false),
        Err(LinalgError::NotSquare { .. })
    ));
    // stacks
    let mut st = Array::<f64>::zeros(&[3, 6, 6]);
    for i in 0..3 {
        st.slice_mut(s![i, .., ..])
            .assign(&spd(6, 30 + i as u64))
            .unwrap();
    }
    let ls = linalg::cholesky(&st, false).unwrap();
    for i in 0..3 {
        let one = linalg::cholesky(&st.slice(s![i, .., ..]), false).unwrap();
        assert_eq!(ls.slice(s![i, .., ..]).to_owned(), one);
    }
    // empty
    assert_eq!(
        linalg::cholesky(&Array::<f64>::zeros(&[0, 0]), false)
            .unwrap()
            .shape(),
        &[0, 0]
    );
}

#[test]
fn cho_factor_and_solve() {
    for &lower in &[false, true] {
        let a = spd(12, 4);
        let f = linalg::cho_factor(&a, lower).unwrap();
        assert_eq!(f.lower, lower);
        let b = rand(&[12, 3], 5);
        let x = f.solve(&b).unwrap();
        let r = &matmul(&a, &x).unwrap() - &b;
        assert!(max_abs(&r) < 1e-12 * max_abs(&a) * max_abs(&x) * 12.0);
        // cho_solve on numpy's cholesky output agrees
        let l = linalg::cholesky(&a, !lower).unwrap();
        let x2 = linalg::cho_solve((&l, lower), &b).unwrap();
        assert!(lapis::allclose(&x, &x2).unwrap());
        // vector rhs
        let xv = f.solve(&b.slice(s![.., 0])).unwrap();
        assert_eq!(xv.shape(), &[12]);
        assert!(lapis::allclose(&xv, &x.slice(s![.., 0])).unwrap());
    }
    // the untouched triangle keeps a's entries (scipy: "arbitrary data")
    let a = array![[4., 2.], [2., 5.]];
    assert_eq!(
        linalg::cho_factor(&a, true).unwrap().c,
        array![[2., 2.], [1., 2.]]
    );
    // NaN rhs, shape errors naming both shapes
    let f = linalg::cho_factor(&a, false).unwrap();
    assert_eq!(f.solve(&array![1., f64::NAN]), Err(LinalgError::NonFinite));
    let e = f.solve(&array![1., 2., 3.]).unwrap_err();
    assert!(e.to_string().contains("(2, 2)") && e.to_string().contains("(3,)"));
}

#[test]
fn lu_p_l_u_reconstructs() {
    for &(m, n) in &[(1usize, 1usize), (4, 4), (7, 3), (3, 7), (40, 40), (65, 30)] {
        let a = rand(&[m, n], (m * 100 + n) as u64);
        let f = linalg::lu(&a).unwrap();
        let k = m.min(n);
        assert_eq!(f.p.shape(), &[m, m]);
        assert_eq!(f.l.shape(), &[m, k]);
        assert_eq!(f.u.shape(), &[k, n]);
        // L unit lower with |l| ≤ 1, U upper
        for i in 0..m {
            for j in 0..k {
                let v = f.l[[i, j]];
                if i == j {
                    assert_eq!(v, 1.0);
                } else if j > i {
                    assert_eq!(v, 0.0);
                } else {
                    assert!(v.abs() <= 1.0);
                }
            }
        }
        for i in 0..k {
            for j in 0..i {
                assert_eq!(f.u[[i, j]], 0.0);
            }
        }
        // P is a permutation matrix and P·L·U = A within n·ε·‖A‖
        assert!(f.p.iter().all(|&x| x == 0.0 || x == 1.0));
        assert!(f.p.sum_axis(0, false).unwrap().iter().all(|&x| x == 1.0));
        let plu = matmul(&f.p, &matmul(&f.l, &f.u).unwrap()).unwrap();
        let r = &plu - &a;
        assert!(max_abs(&r) <= 8.0 * k as f64 * EPS * max_abs(&a) * k as f64);
    }
    // singular input is factored, not refused; stacks; empty; NaN
    let f = linalg::lu(&array![[1., 2.], [2., 4.]]).unwrap();
    assert_eq!(f.u[[1, 1]], 0.0);
    let st = rand(&[2, 3, 5, 4], 3);
    let fs = linalg::lu(&st).unwrap();
    assert_eq!(fs.p.shape(), &[2, 3, 5, 5]);
    assert_eq!(fs.u.shape(), &[2, 3, 4, 4]);
    let one = linalg::lu(&st.slice(s![1, 2, .., ..])).unwrap();
    assert_eq!(fs.l.slice(s![1, 2, .., ..]).to_owned(), one.l);
    let e = linalg::lu(&Array::<f64>::zeros(&[3, 0])).unwrap();
    assert_eq!(
        (e.p, e.l.shape(), e.u.shape()),
        (Array::eye(3), &[3, 0][..], &[0, 0][..])
    );
    assert_eq!(
        linalg::lu(&array![[f64::NAN]]).unwrap_err(),
        LinalgError::NonFinite
    );
}

/// scipy's `lu(a, p_indices=True)` and `lu(a, permute_l=True)`: `A = L[p, :]·U` and
/// `A = (P·L)·U`, with `P·L` formed exactly (a row permutation, no arithmetic).
#[test]
fn lu_p_indices_and_permute_l() {
    // The scipy example: p = [1, 2, 0].
    let f = linalg::lu(&array![[1., 2., 3.], [4., 5., 6.], [7., 8., 10.]]).unwrap();
    assert_eq!(f.p_indices().to_vec(), vec![1, 2, 0]);
    for shape in [
        &[4usize, 4][..],
        &[7, 3],
        &[3, 7],
        &[2, 3, 5, 4],
        &[3, 0],
        &[0, 3],
        &[2, 0, 0],
    ] {
        let a = rand(shape, shape.iter().product::<usize>() as u64 + 5);
        let f = linalg::lu(&a).unwrap();
        let (pl, p) = (f.permuted_l(), f.p_indices());
        let nd = shape.len();
        assert_eq!(pl.shape(), f.l.shape());
        assert_eq!(p.shape(), &shape[..nd - 1]);
        // P·L by a matrix product equals the row gather exactly.
        assert_eq!(matmul(&f.p, &f.l).unwrap(), pl, "{shape:?}");
        let r = &matmul(&pl, &f.u).unwrap() - &a;
        let k = shape[nd - 2].min(shape[nd - 1]).max(1);
        assert!(max_abs(&r) <= 8.0 * (k * k) as f64 * EPS * max_abs(&a).max(1.0));
        // A[i, :] = (L·U)[p[i], :], matrix by matrix of the stack.
        let lu = matmul(&f.l, &f.u).unwrap().to_vec();
        let (m, n) = (shape[nd - 2], shape[nd - 1]);
        let (av, pv) = (a.to_vec(), p.to_vec());
        for (b, pb) in pv.chunks(m.max(1)).enumerate() {
            for (i, &pi) in pb.iter().enumerate() {
                for j in 0..n {
                    let (x, y) = (av[b * m * n + i * n + j], lu[b * m * n + pi * n + j]);
                    assert!((x - y).abs() <= 8.0 * (k * k) as f64 * EPS, "{shape:?}");
                }
            }
        }
    }
}

#[test]
fn lu_factor_solve_many() {
    let a = rand(&[30, 30], 1);
    let f = linalg::lu_factor(&a).unwrap();
    assert_eq!(f.piv.shape(), &[30]);
    assert!(f.piv.iter().enumerate().all(|(i, &p)| p >= i && p < 30));
    for seed in 0..3 {
        let b = rand(&[30, 2], 10 + seed);
        let x = f.solve(&b).unwrap();
        assert!(
            lapis::allclose_with(&x, &linalg::solve(&a, &b).unwrap(), 1e-10, 1e-12, false).unwrap()
        );
        let xt = f.solve_transpose(&b).unwrap();
        let r = &matmul(&a.t(), &xt).unwrap() - &b;
        assert!(max_abs(&r) < 1e-10);
        let xc = linalg::lu_solve((&f.lu, &f.piv), &b, Trans::C).unwrap();
        assert_eq!(xc, xt);
    }
    let d = f.det().unwrap().item().unwrap();
    let d2 = linalg::det(&a).unwrap().item().unwrap();
    assert!(((d - d2) / d2).abs() < 1e-12);
    // singular factors: lu_factor succeeds, solving reports the pivot
    let s = linalg::lu_factor(&array![[1., 2.], [2., 4.]]).unwrap();
    assert_eq!(
        s.solve(&array![1., 1.]),
        Err(LinalgError::Singular { index: 1 })
    );
    assert_eq!(s.det().unwrap().item(), Some(0.0));
    // stacks of factors, with broadcasting right-hand sides
    let st = rand(&[4, 6, 6], 2);
    let fs = linalg::lu_factor(&st).unwrap();
    assert_eq!(fs.piv.shape(), &[4, 6]);
    let b = rand(&[6, 1], 3);
    let x = fs.solve(&b).unwrap();
    assert_eq!(x.shape(), &[4, 6, 1]);
    for i in 0..4 {
        let xi = linalg::solve(&st.slice(s![i, .., ..]), &b).unwrap();
        assert!(lapis::allclose(&x.slice(s![i, .., ..]), &xi).unwrap());
    }
    // piv of the wrong shape, bad pivot values, NaN in lu
    let bad = Array::from_vec(vec![0usize, 5]);
    assert!(matches!(
        linalg::lu_solve((&s.lu, &bad), &array![1., 1.], Trans::N),
        Err(LinalgError::InvalidArgument { .. })
    ));
    let short = Array::from_vec(vec![0usize]);
    assert!(matches!(
        linalg::lu_solve((&s.lu, &short), &array![1., 1.], Trans::N),
        Err(LinalgError::Shape { .. })
    ));
    let mut nan_lu = f.lu.clone();
    nan_lu[[3, 3]] = f64::NAN;
    assert_eq!(
        linalg::lu_solve((&nan_lu, &f.piv), &rand(&[30], 1), Trans::N),
        Err(LinalgError::NonFinite)
    );
    // rectangular lu_factor: (m, n) with piv (min(m, n),)
    let r = linalg::lu_factor(&rand(&[5, 3], 4)).unwrap();
    assert_eq!((r.lu.shape(), r.piv.shape()), (&[5, 3][..], &[3][..]));
    assert!(matches!(r.det(), Err(LinalgError::NotSquare { .. })));
}

#[test]
fn solve_triangular_all_options() {
    let n = 9;
    let mut up = rand(&[n, n], 8);
    for i in 0..n {
        up[[i, i]] = 3.0 + i as f64;
        for j in 0..i {
            up[[i, j]] = f64::NAN; // never read
        }
    }
    let clean = Array::from_shape_fn(&[n, n], |ix| {
        if ix[1] >= ix[0] {
            up[[ix[0], ix[1]]]
        } else {
            0.0
        }
    });
    let b = rand(&[n, 2], 9);
    // the NaN below the diagonal makes scipy's check_finite fail: Lapis reports it too
    assert_eq!(
        linalg::solve_triangular(&up, &b, SolveTriangular::default()),
        Err(LinalgError::NonFinite)
    );
    let cases = [
        (clean.clone(), false, Trans::N, false),
        (clean.clone(), false, Trans::T, false),
        (clean.t().to_owned(), true, Trans::N, false),
        (clean.t().to_owned(), true, Trans::T, false),
        (clean.clone(), false, Trans::N, true),
        (clean.t().to_owned(), true, Trans::C, true),
    ];
    for (t, lower, trans, unit) in cases {
        let opts = SolveTriangular {
            lower,
            trans,
            unit_diagonal: unit,
        };
        let x = linalg::solve_triangular(&t, &b, opts).unwrap();
        let mut eff = t.clone();
        if unit {
            for i in 0..n {
                eff[[i, i]] = 1.0;
            }
        }
        let op = if trans == Trans::N {
            eff
        } else {
            eff.t().to_owned()
        };
        let r = &matmul(&op, &x).unwrap() - &b;
        assert!(
            max_abs(&r) < 1e-12 * max_abs(&x).max(1.0) * n as f64,
            "{lower} {trans:?} {unit}"
        );
    }
    // zero on the diagonal: singular at that index (unless unit_diagonal)
    let mut z = clean.clone();
    z[[4, 4]] = 0.0;
    assert_eq!(
        linalg::solve_triangular(&z, &b, SolveTriangular::default()),
        Err(LinalgError::Singular { index: 4 })
    );
    let unit = SolveTriangular {
        unit_diagonal: true,
        ..Default::default()
    };
    assert!(linalg::solve_triangular(&z, &b, unit).is_ok());
    // stacks broadcast like solve; vector rhs
    let st = Array::from_shape_fn(&[3, n, n], |ix| clean[[ix[1], ix[2]]] * (1 + ix[0]) as f64);
    let x = linalg::solve_triangular(&st, &b.slice(s![.., 0]), SolveTriangular::default()).unwrap();
    assert_eq!(x.shape(), &[3, n]);
    let x1 =
        linalg::solve_triangular(&clean, &b.slice(s![.., 0]), SolveTriangular::default()).unwrap();
    assert!(lapis::allclose(&(&x.slice(s![2, ..]).to_owned() * 3.0), &x1).unwrap());
}
