//! `linalg::eigh`/`eigvalsh`, `svd`/`svdvals`, `randomized_svd`, `pinv`, `matrix_rank` and
//! `solve_banded`: checked by their defining identities (A·V = V·diag(w), VᵀV = I,
//! U·diag(s)·Vh = A, the Moore–Penrose conditions), closed forms and numpy's shapes.

use lapis::linalg::{self, SvdResult, Uplo};
use lapis::{Array, LinalgError, array, matmul, random, s};

const EPS: f64 = f64::EPSILON;

fn rand(shape: &[usize], seed: u64) -> Array<f64> {
    random::default_rng(seed).standard_normal::<f64>(shape)
}

fn max_abs(a: &Array<f64>) -> f64 {
    a.iter().fold(0.0f64, |m, &x| m.max(x.abs()))
}

/// A random symmetric `n × n` matrix.
fn sym(n: usize, seed: u64) -> Array<f64> {
    let a = rand(&[n, n], seed);
    &a + &a.t()
}

/// `‖A·V − V·diag(w)‖ ≤ c·n·ε·‖A‖`, `‖VᵀV − I‖ ≤ c·n·ε`, `w` ascending.
fn check_eigh(a: &Array<f64>, w: &Array<f64>, v: &Array<f64>) {
    let n = a.shape()[0];
    let tol = 20.0 * n.max(1) as f64 * EPS;
    let res = &matmul(a, v).unwrap() - &(v * w);
    assert!(
        max_abs(&res) <= tol * max_abs(a).max(1.0) * n as f64,
        "{}",
        max_abs(&res)
    );
    let orth = &matmul(&v.t(), v).unwrap() - &Array::eye(n);
    assert!(max_abs(&orth) <= tol, "{}", max_abs(&orth));
    let wv = w.to_vec();
    assert!(wv.windows(2).all(|p| p[0] <= p[1]));
}

#[test]
fn eigh_identities_and_triangles() {
    for &n in &[1usize, 2, 5, 31, 33, 70] {
        let a = sym(n, n as u64);
        let r = linalg::eigh(&a, Uplo::Lower).unwrap();
        assert_eq!(
            (r.eigenvalues.shape(), r.eigenvectors.shape()),
            (&[n][..], &[n, n][..])
        );
        check_eigh(&a, &r.eigenvalues, &r.eigenvectors);
        // eigvalsh gives the same values to rounding
        let w = linalg::eigvalsh(&a, Uplo::Lower).unwrap();
        let d = &w - &r.eigenvalues;
        assert!(max_abs(&d) <= 20.0 * n as f64 * EPS * max_abs(&a) * n as f64);
        // only the named triangle is read: garbage in the other one changes nothing
        let lower = Array::from_shape_fn(&[n, n], |ix| {
            if ix[0] >= ix[1] {
                a[[ix[0], ix[1]]]
            } else {
                1e6
            }
        });
        let upper = lower.t().to_owned();
        assert_eq!(linalg::eigvalsh(&lower, Uplo::Lower).unwrap(), w);
        let ru = linalg::eigh(&upper, Uplo::Upper).unwrap();
        check_eigh(&a, &ru.eigenvalues, &ru.eigenvectors);
    }
}

#[test]
fn eigh_tridiagonal_toeplitz_closed_form() {
    // eigenvalues of tridiag(-1, 2, -1) of order n: 2 − 2cos(jπ/(n+1)), j = 1..n
    for &n in &[3usize, 20, 64] {
        let a = Array::from_shape_fn(&[n, n], |ix| match ix[0].abs_diff(ix[1]) {
            0 => 2.0f64,
            1 => -1.0,
            _ => 0.0,
        });
        let exact: Vec<f64> = (1..=n)
            .map(|j| 2.0 - 2.0 * (j as f64 * std::f64::consts::PI / (n + 1) as f64).cos())
            .collect();
        let tol = 10.0 * n as f64 * EPS * 4.0;
        let w = linalg::eigvalsh(&a, Uplo::Lower).unwrap();
        let r = linalg::eigh(&a, Uplo::Upper).unwrap();
        for j in 0..n {
            assert!(
                (w[[j]] - exact[j]).abs() <= tol,
                "{j}: {} vs {}",
                w[[j]],
                exact[j]
            );
            assert!((r.eigenvalues[[j]] - exact[j]).abs() <= tol);
        }
        check_eigh(&a, &r.eigenvalues, &r.eigenvectors);
    }
}

#[test]
fn eigh_stacks_empty_and_errors() {
    let a = rand(&[3, 2, 6, 6], 7);
    let a = &a + &a.swap_axes(-1, -2).unwrap();
    let r = linalg::eigh(&a, Uplo::Lower).unwrap();
    assert_eq!(r.eigenvalues.shape(), &[3, 2, 6]);
    assert_eq!(r.eigenvectors.shape(), &[3, 2, 6, 6]);
    let w = linalg::eigvalsh(&a, Uplo::Lower).unwrap();
    for i in 0..3 {
        for j in 0..2 {
            let ai = a.slice(s![i, j, .., ..]).to_owned();
            let one = linalg::eigh(&ai, Uplo::Lower).unwrap();
            assert_eq!(
                r.eigenvalues.slice(s![i, j, ..]).to_owned(),
                one.eigenvalues
            );
            assert_eq!(
                r.eigenvectors.slice(s![i, j, .., ..]).to_owned(),
                one.eigenvectors
            );
            check_eigh(&ai, &one.eigenvalues, &one.eigenvectors);
            let wd = &w.slice(s![i, j, ..]).to_owned() - &one.eigenvalues;
            assert!(max_abs(&wd) <= 1e3 * EPS * max_abs(&ai));
        }
    }
    // numpy: eigh of (0, 0) -> (0,), (0, 0); of (0, 3, 3) -> (0, 3), (0, 3, 3)
    let e = linalg::eigh(&Array::<f64>::zeros(&[0, 0]), Uplo::Lower).unwrap();
    assert_eq!(
        (e.eigenvalues.shape(), e.eigenvectors.shape()),
        (&[0][..], &[0, 0][..])
    );
    let e = linalg::eigh(&Array::<f64>::zeros(&[0, 3, 3]), Uplo::Lower).unwrap();
    assert_eq!(
        (e.eigenvalues.shape(), e.eigenvectors.shape()),
        (&[0, 3][..], &[0, 3, 3][..])
    );
    // zero matrix, 1 × 1, huge scaling
    let z = linalg::eigh(&Array::<f64>::zeros(&[4, 4]), Uplo::Lower).unwrap();
    assert_eq!(z.eigenvalues, Array::zeros(&[4]));
    assert_eq!(
        linalg::eigvalsh(&array![[-3.5]], Uplo::Lower).unwrap(),
        array![-3.5]
    );
    let big = &sym(10, 3) * 1e300;
    let rb = linalg::eigh(&big, Uplo::Lower).unwrap();
    assert!(rb.eigenvalues.iter().all(|x| x.is_finite()));
    check_eigh(
        &(&big * 1e-300),
        &(&rb.eigenvalues * 1e-300),
        &rb.eigenvectors,
    );
    // errors
    assert!(matches!(
        linalg::eigh(&Array::<f64>::zeros(&[2, 3]), Uplo::Lower),
        Err(LinalgError::NotSquare { .. })
    ));
    assert!(matches!(
        linalg::eigvalsh(&array![1., 2.], Uplo::Lower),
        Err(LinalgError::Shape { .. })
    ));
    assert_eq!(
        linalg::eigvalsh(&array![[1., f64::NAN], [0., 1.]], Uplo::Upper),
        Err(LinalgError::NonFinite)
    );
    // NaN in the triangle not read is ignored (numpy reads only UPLO)
    assert!(linalg::eigvalsh(&array![[1., f64::NAN], [0., 1.]], Uplo::Lower).is_ok());
}

/// `U·diag(s)·Vh = A` (thin parts), orthonormal `U`, `Vh`, `s` descending and non-negative.
fn check_svd(a: &Array<f64>, u: &Array<f64>, sv: &Array<f64>, vh: &Array<f64>) {
    let (m, n) = (a.shape()[0], a.shape()[1]);
    let k = m.min(n);
    let tol = 20.0 * m.max(n).max(1) as f64 * EPS;
    let uk = u.slice(s![.., ..k]).to_owned();
    let vk = vh.slice(s![..k, ..]).to_owned();
    let res = &matmul(&(&uk * sv), &vk).unwrap() - a;
    assert!(
        max_abs(&res) <= tol * max_abs(a).max(1.0) * k.max(1) as f64,
        "{}",
        max_abs(&res)
    );
    let p = u.shape()[1];
    let uo = &matmul(&u.t(), u).unwrap() - &Array::eye(p);
    assert!(max_abs(&uo) <= tol);
    let q = vh.shape()[0];
    let vo = &matmul(vh, &vh.t()).unwrap() - &Array::eye(q);
    assert!(max_abs(&vo) <= tol);
    let s = sv.to_vec();
    assert!(s.windows(2).all(|p| p[0] >= p[1]) && s.iter().all(|&x| x >= 0.0));
}

#[test]
fn svd_shapes_and_identities() {
    for &(m, n) in &[
        (1usize, 1usize),
        (5, 3),
        (3, 5),
        (6, 6),
        (40, 17),
        (17, 40),
        (90, 90),
    ] {
        let a = rand(&[m, n], (m * 100 + n) as u64);
        let k = m.min(n);
        let (u, sv, vh) = linalg::svd(&a, true, true).unwrap().into_usv().unwrap();
        assert_eq!(
            (u.shape(), sv.shape(), vh.shape()),
            (&[m, m][..], &[k][..], &[n, n][..])
        );
        check_svd(&a, &u, &sv, &vh);
        let (ut, st, vt) = linalg::svd(&a, false, true).unwrap().into_usv().unwrap();
        assert_eq!(
            (ut.shape(), st.shape(), vt.shape()),
            (&[m, k][..], &[k][..], &[k, n][..])
        );
        check_svd(&a, &ut, &st, &vt);
        let only = linalg::svd(&a, true, false).unwrap();
        assert!(matches!(only, SvdResult::S(_)));
        assert_eq!(only.s().shape(), &[k]);
        let vals = linalg::svdvals(&a).unwrap();
        assert_eq!(&vals, only.s());
        let d = &vals - &sv;
        assert!(max_abs(&d) <= 20.0 * m.max(n) as f64 * EPS * sv[[0]]);
    }
}

#[test]
fn svd_rank_deficient_stacks_and_empty() {
    // rank 2: X (7 × 2) · Y (2 × 5); the trailing singular values vanish to rounding
    let a = matmul(&rand(&[7, 2], 1), &rand(&[2, 5], 2)).unwrap();
    let (u, sv, vh) = linalg::svd(&a, false, true).unwrap().into_usv().unwrap();
    check_svd(&a, &u, &sv, &vh);
    for j in 2..5 {
        assert!(sv[[j]] <= 20.0 * 7.0 * EPS * sv[[0]]);
    }
    // seed: np.linalg.svd([[1, 2], [2, 4]]) -> s = [5, 0]
    let s2: Array<f64> = linalg::svdvals(&array![[1., 2.], [2., 4.]]).unwrap();
    assert!((s2[[0]] - 5.0).abs() <= 10.0 * EPS * 5.0 && s2[[1]].abs() <= 10.0 * EPS * 5.0);
    // stacks (2, 3, 5, 4): each matrix as the single call
    let st = rand(&[2, 3, 5, 4], 9);
    let r = linalg::svd(&st, true, true).unwrap();
    let (u, sv, vh) = r.into_usv().unwrap();
    assert_eq!(
        (u.shape(), sv.shape(), vh.shape()),
        (&[2, 3, 5, 5][..], &[2, 3, 4][..], &[2, 3, 4, 4][..])
    );
    let vals = linalg::svdvals(&st).unwrap();
    assert_eq!(vals.shape(), &[2, 3, 4]);
    for i in 0..2 {
        for j in 0..3 {
            let ai = st.slice(s![i, j, .., ..]).to_owned();
            check_svd(
                &ai,
                &u.slice(s![i, j, .., ..]).to_owned(),
                &sv.slice(s![i, j, ..]).to_owned(),
                &vh.slice(s![i, j, .., ..]).to_owned(),
            );
            assert_eq!(
                vals.slice(s![i, j, ..]).to_owned(),
                linalg::svdvals(&ai).unwrap()
            );
        }
    }
    // numpy: svd(zeros((0, 3))) -> (0, 0), (0,), eye(3); thin svd(zeros((3, 0))) -> (3, 0), (0,), (0, 0)
    let (u, sv, vh) = linalg::svd(&Array::<f64>::zeros(&[0, 3]), true, true)
        .unwrap()
        .into_usv()
        .unwrap();
    assert_eq!((u.shape(), sv.shape()), (&[0, 0][..], &[0][..]));
    assert_eq!(vh, Array::eye(3));
    let (u, sv, vh) = linalg::svd(&Array::<f64>::zeros(&[3, 0]), false, true)
        .unwrap()
        .into_usv()
        .unwrap();
    assert_eq!(
        (u.shape(), sv.shape(), vh.shape()),
        (&[3, 0][..], &[0][..], &[0, 0][..])
    );
    assert_eq!(
        linalg::svdvals(&Array::<f64>::zeros(&[4, 0, 2]))
            .unwrap()
            .shape(),
        &[4, 0]
    );
    assert_eq!(
        linalg::svdvals(&Array::<f64>::zeros(&[0, 2, 2]))
            .unwrap()
            .shape(),
        &[0, 2]
    );
    // zero matrix, huge and tiny scaling
    assert_eq!(
        linalg::svdvals(&Array::<f64>::zeros(&[3, 2])).unwrap(),
        Array::zeros(&[2])
    );
    let b = rand(&[6, 4], 5);
    let sb = linalg::svdvals(&b).unwrap();
    for scale in [1e300, 1e-300] {
        let ss = linalg::svdvals(&(&b * scale)).unwrap();
        let d = &(&ss / scale) - &sb;
        assert!(max_abs(&d) <= 100.0 * EPS * sb[[0]]);
    }
    // errors
    assert!(matches!(
        linalg::svd(&array![1., 2.], true, true),
        Err(LinalgError::Shape { .. })
    ));
    assert_eq!(
        linalg::svdvals(&array![[1., f64::INFINITY]]),
        Err(LinalgError::NonFinite)
    );
}

#[test]
fn randomized_svd_low_rank_and_tail() {
    // exactly rank 5: the top 5 triplets are recovered to rounding
    let (m, n) = (80, 60);
    let a = matmul(&rand(&[m, 5], 11), &rand(&[5, n], 12)).unwrap();
    let exact = linalg::svdvals(&a).unwrap();
    let (u, sv, vt) = linalg::randomized_svd(&a, 5, 10, 4, 42).unwrap();
    assert_eq!(
        (u.shape(), sv.shape(), vt.shape()),
        (&[m, 5][..], &[5][..], &[5, n][..])
    );
    let tol = 100.0 * m as f64 * EPS * exact[[0]];
    for j in 0..5 {
        assert!((sv[[j]] - exact[[j]]).abs() <= tol);
    }
    let res = &matmul(&(&u * &sv), &vt).unwrap() - &a;
    assert!(max_abs(&res) <= tol);
    // equal seeds, equal results
    let again = linalg::randomized_svd(&a, 5, 10, 4, 42).unwrap();
    assert_eq!(again.1, sv);
    // a full-rank matrix: the rank-k error ‖A − U·Σ·Vᵀ‖₂ is near σ_{k+1} (Eckart–Young)
    let g = rand(&[60, 40], 13);
    let gs = linalg::svdvals(&g).unwrap();
    let (u, sv, vt) = linalg::randomized_svd(&g, 4, 10, 6, 1).unwrap();
    let err = &g - &matmul(&(&u * &sv), &vt).unwrap();
    let e2 = linalg::svdvals(&err).unwrap()[[0]];
    assert!(
        e2 >= gs[[4]] * (1.0 - 1e-12) && e2 <= 1.5 * gs[[4]],
        "{e2} vs {}",
        gs[[4]]
    );
    // errors
    assert!(matches!(
        linalg::randomized_svd(&g, 41, 10, 4, 0),
        Err(LinalgError::Shape { .. })
    ));
    assert!(matches!(
        linalg::randomized_svd(&rand(&[2, 3, 4], 0), 1, 10, 4, 0),
        Err(LinalgError::Shape { .. })
    ));
}

/// The four Moore–Penrose conditions, to `c·max(m, n)·ε·‖A‖·‖A⁺‖`.
fn check_penrose(a: &Array<f64>, p: &Array<f64>) {
    let (m, n) = (a.shape()[0], a.shape()[1]);
    let tol = 100.0 * m.max(n) as f64 * EPS * max_abs(a).max(1.0) * max_abs(p).max(1.0);
    let ap = matmul(a, p).unwrap();
    let pa = matmul(p, a).unwrap();
    assert!(max_abs(&(&matmul(&ap, a).unwrap() - a)) <= tol * max_abs(a));
    assert!(max_abs(&(&matmul(&pa, p).unwrap() - p)) <= tol * max_abs(p));
    assert!(max_abs(&(&ap - &ap.t())) <= tol);
    assert!(max_abs(&(&pa - &pa.t())) <= tol);
}

#[test]
fn pinv_moore_penrose_and_seed() {
    for &(m, n, r) in &[
        (6usize, 4usize, 2usize),
        (4, 6, 2),
        (5, 5, 3),
        (8, 3, 3),
        (3, 8, 1),
    ] {
        let a = matmul(
            &rand(&[m, r], (m + n) as u64),
            &rand(&[r, n], (m * n) as u64),
        )
        .unwrap();
        let p = linalg::pinv(&a, None, false).unwrap();
        assert_eq!(p.shape(), &[n, m]);
        check_penrose(&a, &p);
    }
    // hermitian path: B·Bᵀ of rank 2, and a symmetric indefinite rank-deficient matrix
    let b = rand(&[6, 2], 3);
    let h = matmul(&b, &b.t()).unwrap();
    let ph = linalg::pinv(&h, None, true).unwrap();
    check_penrose(&h, &ph);
    assert!(max_abs(&(&ph - &linalg::pinv(&h, None, false).unwrap())) <= 1e-10 * max_abs(&ph));
    let d = Array::from_shape_vec(&[3, 3], vec![2., 0., 0., 0., -4., 0., 0., 0., 0.]).unwrap();
    let pd = linalg::pinv(&d, None, true).unwrap();
    assert_eq!(
        pd,
        Array::from_shape_vec(&[3, 3], vec![0.5, 0., 0., 0., -0.25, 0., 0., 0., 0.]).unwrap()
    );
    // seed: pinv([[1, 2], [2, 4]]) = A / 25, and pinv·b is lstsq's min-norm x = [0.6, 1.2]
    let a = array![[1., 2.], [2., 4.]];
    let p = linalg::pinv(&a, None, false).unwrap();
    assert!(max_abs(&(&p - &(&a / 25.0))) <= 10.0 * EPS);
    let x = matmul(&p, &array![3., 6.]).unwrap();
    let l = linalg::lstsq(&a, &array![3., 6.], None).unwrap();
    assert!(max_abs(&(&x - &l.x)) <= 10.0 * EPS * 2.0);
    // rtol: a cut-off above the smallest singular value drops it
    let dg = array![[1., 0.], [0., 1e-8]];
    assert_eq!(
        linalg::pinv(&dg, Some(1e-6), false).unwrap(),
        array![[1., 0.], [0., 0.]]
    );
    let pd: Array<f64> = linalg::pinv(&dg, None, false).unwrap();
    assert!((pd[[1, 1]] - 1e8).abs() <= 1e8 * 4.0 * EPS);
    // stacks and empty
    let st = rand(&[2, 3, 5, 4], 21);
    let ps = linalg::pinv(&st, None, false).unwrap();
    assert_eq!(ps.shape(), &[2, 3, 4, 5]);
    for i in 0..2 {
        for j in 0..3 {
            check_penrose(
                &st.slice(s![i, j, .., ..]).to_owned(),
                &ps.slice(s![i, j, .., ..]).to_owned(),
            );
        }
    }
    assert_eq!(
        linalg::pinv(&Array::<f64>::zeros(&[0, 3]), None, false)
            .unwrap()
            .shape(),
        &[3, 0]
    );
    assert_eq!(
        linalg::pinv(&Array::<f64>::zeros(&[3, 3]), None, false).unwrap(),
        Array::zeros(&[3, 3])
    );
    assert!(matches!(
        linalg::pinv(&rand(&[2, 3], 0), None, true),
        Err(LinalgError::NotSquare { .. })
    ));
    assert!(linalg::pinv(&a, Some(f64::NAN), false).is_err());
}

#[test]
fn matrix_rank_of_products() {
    for r in 0..=4usize {
        let a = if r == 0 {
            Array::zeros(&[10, 8])
        } else {
            matmul(&rand(&[10, r], r as u64), &rand(&[r, 8], 10 + r as u64)).unwrap()
        };
        assert_eq!(
            linalg::matrix_rank(&a, None, false)
                .unwrap()
                .item()
                .unwrap(),
            r
        );
        assert_eq!(
            linalg::matrix_rank(&a.t().to_owned(), None, false)
                .unwrap()
                .item()
                .unwrap(),
            r
        );
        let h = matmul(&a, &a.t()).unwrap();
        assert_eq!(
            linalg::matrix_rank(&h, None, true).unwrap().item().unwrap(),
            r
        );
    }
    // numpy's default tol S.max()·max(M, N)·ε, and an explicit tol
    let d = array![[1., 0.], [0., 1e-17]];
    assert_eq!(
        linalg::matrix_rank(&d, None, false)
            .unwrap()
            .item()
            .unwrap(),
        1
    );
    assert_eq!(
        linalg::matrix_rank(&d, Some(1e-18), false)
            .unwrap()
            .item()
            .unwrap(),
        2
    );
    assert_eq!(
        linalg::matrix_rank(&d, Some(2.0), false)
            .unwrap()
            .item()
            .unwrap(),
        0
    );
    // stacks: one rank per matrix; 1-D and 0-d input as numpy
    let mut st = rand(&[3, 4, 4], 2);
    st.slice_mut(s![1, 3, ..]).fill(0.0);
    let rk = linalg::matrix_rank(&st, None, false).unwrap();
    assert_eq!(rk, Array::from_vec(vec![4usize, 3, 4]));
    assert_eq!(
        linalg::matrix_rank(&array![0., 1.], None, false)
            .unwrap()
            .item()
            .unwrap(),
        1
    );
    assert_eq!(
        linalg::matrix_rank(&Array::<f64>::zeros(&[3]), None, false)
            .unwrap()
            .item()
            .unwrap(),
        0
    );
    assert_eq!(
        linalg::matrix_rank(&Array::<f64>::zeros(&[0, 3]), None, false)
            .unwrap()
            .item()
            .unwrap(),
        0
    );
    // lstsq agrees on the seed
    let l = linalg::lstsq(&array![[1., 2.], [2., 4.]], &array![3., 6.], None).unwrap();
    assert_eq!(
        l.rank,
        linalg::matrix_rank(&array![[1., 2.], [2., 4.]], None, false)
            .unwrap()
            .item()
            .unwrap()
    );
}

/// scipy's band storage of a dense `a`: `ab[u + i − j, j] = a[i, j]`.
fn to_band(a: &Array<f64>, l: usize, u: usize) -> Array<f64> {
    let n = a.shape()[0];
    Array::from_shape_fn(&[l + u + 1, n], |ix| {
        let (r, j) = (ix[0], ix[1]);
        let i = (r + j) as isize - u as isize;
        if i >= 0 && (i as usize) < n {
            a[[i as usize, j]]
        } else {
            0.0
        }
    })
}

#[test]
fn solve_banded_matches_dense() {
    for &(n, l, u) in &[
        (1usize, 0usize, 0usize),
        (20, 1, 1),
        (30, 2, 1),
        (25, 0, 3),
        (12, 4, 0),
    ] {
        let full = rand(&[n, n], (n + 10 * l + u) as u64);
        let a = Array::from_shape_fn(&[n, n], |ix| {
            let (i, j) = (ix[0] as isize, ix[1] as isize);
            if j - i <= u as isize && i - j <= l as isize {
                full[[ix[0], ix[1]]] + if i == j { 4.0 } else { 0.0 }
            } else {
                0.0
            }
        });
        let ab = to_band(&a, l, u);
        let b = rand(&[n, 3], 99);
        let x = linalg::solve_banded((l, u), &ab, &b).unwrap();
        assert_eq!(x.shape(), &[n, 3]);
        let xd = linalg::solve(&a, &b).unwrap();
        assert!(max_abs(&(&x - &xd)) <= 1e3 * n as f64 * EPS * max_abs(&xd));
        let b1 = b.slice(s![.., 0]).to_owned();
        let x1 = linalg::solve_banded((l, u), &ab, &b1).unwrap();
        assert_eq!(x1.shape(), &[n]);
        let r = &matmul(&a, &x1).unwrap() - &b1;
        assert!(max_abs(&r) <= 100.0 * n as f64 * EPS * max_abs(&a) * max_abs(&x1));
    }
    // errors: wrong (l, u), wrong b rows, singular, NaN
    let ab = array![[0., 1., 1.], [4., 5., 6.], [2., 2., 0.]];
    assert!(matches!(
        linalg::solve_banded((2, 1), &ab, &array![1., 2., 3.]),
        Err(LinalgError::Shape { .. })
    ));
    assert!(matches!(
        linalg::solve_banded((1, 1), &ab, &array![1., 2.]),
        Err(LinalgError::Shape { .. })
    ));
    let sing = array![[0., 0., 0.], [1., 0., 1.], [0., 0., 0.]];
    assert!(matches!(
        linalg::solve_banded((1, 1), &sing, &array![1., 2., 3.]),
        Err(LinalgError::Singular { .. })
    ));
    assert_eq!(
        linalg::solve_banded((1, 1), &ab, &array![1., f64::NAN, 3.]),
        Err(LinalgError::NonFinite)
    );
    // empty
    let e = linalg::solve_banded(
        (1, 1),
        &Array::<f64>::zeros(&[3, 0]),
        &Array::<f64>::zeros(&[0]),
    )
    .unwrap();
    assert_eq!(e.shape(), &[0]);
}

#[test]
fn large_stacks_split_across_threads_match_single_calls() {
    // 300 matrices: enough work for the batch to be split across threads
    let a = rand(&[300, 7, 6], 31);
    let (u, sv, vh) = linalg::svd(&a, false, true).unwrap().into_usv().unwrap();
    let h = matmul(&a.swap_axes(-1, -2).unwrap(), &a).unwrap();
    let r = linalg::eigh(&h, Uplo::Lower).unwrap();
    let ranks = linalg::matrix_rank(&a, None, false).unwrap();
    let conds = linalg::cond(&h, Some(linalg::Ord::P(1.))).unwrap();
    for i in (0..300).step_by(37) {
        let ai = a.slice(s![i, .., ..]).to_owned();
        let one = linalg::svd(&ai, false, true).unwrap().into_usv().unwrap();
        assert_eq!(u.slice(s![i, .., ..]).to_owned(), one.0);
        assert_eq!(sv.slice(s![i, ..]).to_owned(), one.1);
        assert_eq!(vh.slice(s![i, .., ..]).to_owned(), one.2);
        let hi = h.slice(s![i, .., ..]).to_owned();
        let e = linalg::eigh(&hi, Uplo::Lower).unwrap();
        assert_eq!(r.eigenvalues.slice(s![i, ..]).to_owned(), e.eigenvalues);
        assert_eq!(
            r.eigenvectors.slice(s![i, .., ..]).to_owned(),
            e.eigenvectors
        );
        assert_eq!(ranks[[i]], 6);
        assert_eq!(
            conds[[i]],
            linalg::cond(&hi, Some(linalg::Ord::P(1.)))
                .unwrap()
                .item()
                .unwrap()
        );
    }
}
