//! `linalg::qr` (numpy's modes and shapes, stacks) and `linalg::lstsq` (numpy's `x, residuals,
//! rank, s`): checked by Q·R = A, QᵀQ = I, the raw layout rebuilt by hand, the normal equations,
//! and the min-norm answers on rank-deficient data.

use lapis::linalg::{self, QrMode};
use lapis::{Array, LinalgError, array, matmul, random, s};

const EPS: f64 = f64::EPSILON;

fn rand(shape: &[usize], seed: u64) -> Array<f64> {
    random::default_rng(seed).standard_normal::<f64>(shape)
}

fn max_abs(a: &Array<f64>) -> f64 {
    a.iter().fold(0.0f64, |m, &x| m.max(x.abs()))
}

fn check_qr(a: &Array<f64>, q: &Array<f64>, r: &Array<f64>) {
    let (m, n) = (a.shape()[0], a.shape()[1]);
    let p = q.shape()[1];
    // R upper trapezoidal
    for i in 0..r.shape()[0] {
        for j in 0..i.min(n) {
            assert_eq!(r[[i, j]], 0.0);
        }
    }
    // ‖A − Q·R‖ / (‖A‖·n·ε) and ‖QᵀQ − I‖ / (n·ε) small
    let c = 10.0 * (m.max(n).max(1)) as f64 * EPS;
    let res = &matmul(q, r).unwrap() - a;
    assert!(max_abs(&res) <= c * max_abs(a).max(1.0) * m.max(1) as f64);
    let orth = &matmul(&q.t(), q).unwrap() - &Array::eye(p);
    assert!(max_abs(&orth) <= c, "{}", max_abs(&orth));
}

#[test]
fn qr_modes_shapes_and_identities() {
    for &(m, n) in &[
        (1usize, 1usize),
        (5, 5),
        (9, 4),
        (4, 9),
        (80, 30),
        (30, 80),
        (130, 130),
    ] {
        let a = rand(&[m, n], (m * 1000 + n) as u64);
        let k = m.min(n);
        let (q, r) = linalg::qr(&a, QrMode::Reduced).unwrap().into_qr().unwrap();
        assert_eq!((q.shape(), r.shape()), (&[m, k][..], &[k, n][..]));
        check_qr(&a, &q, &r);
        let (qc, rc) = linalg::qr(&a, QrMode::Complete).unwrap().into_qr().unwrap();
        assert_eq!((qc.shape(), rc.shape()), (&[m, m][..], &[m, n][..]));
        check_qr(&a, &qc, &rc);
        // the first k columns of the complete Q are the reduced Q; R's leading rows agree
        assert!(lapis::allclose(&qc.slice(s![.., ..k]), &q).unwrap());
        assert_eq!(rc.slice(s![..k, ..]).to_owned(), r);
        let r_only = linalg::qr(&a, QrMode::R).unwrap().into_r().unwrap();
        assert_eq!(r_only, r);
        // raw: h = compact.T (n, m), tau (k,); rebuild Q = H_0⋯H_{k−1} and R from it
        let (h, tau) = linalg::qr(&a, QrMode::Raw).unwrap().into_raw().unwrap();
        assert_eq!((h.shape(), tau.shape()), (&[n, m][..], &[k][..]));
        let mut qb = Array::<f64>::eye(m);
        for j in (0..k).rev() {
            let v = Array::from_shape_fn(&[m, 1], |ix| match ix[0].cmp(&j) {
                core::cmp::Ordering::Less => 0.0,
                core::cmp::Ordering::Equal => 1.0,
                core::cmp::Ordering::Greater => h[[j, ix[0]]],
            });
            // qb ← H_j·qb = qb − τ_j·v·(vᵀ·qb)
            let w = matmul(&v.t(), &qb).unwrap();
            qb = &qb - &(&matmul(&v, &w).unwrap() * tau[[j]]);
        }
        let rb = Array::from_shape_fn(&[k, n], |ix| {
            if ix[0] <= ix[1] {
                h[[ix[1], ix[0]]]
            } else {
                0.0
            }
        });
        assert_eq!(rb, r);
        assert!(lapis::allclose_with(&qb.slice(s![.., ..k]), &q, 1e-10, 1e-12, false).unwrap());
    }
}

#[test]
fn qr_numpy_signs_stacks_empty_errors() {
    // LAPACK's signs, as numpy: np.linalg.qr([[3, 1], [4, 2]]) -> r = [[-5, -2.2], [0, 0.4]]
    let (q, r) = linalg::qr(&array![[3., 1.], [4., 2.]], QrMode::Reduced)
        .unwrap()
        .into_qr()
        .unwrap();
    assert!(lapis::allclose(&r, &array![[-5., -2.2], [0., 0.4]]).unwrap());
    assert!(lapis::allclose(&q, &array![[-0.6, -0.8], [-0.8, 0.6]]).unwrap());
    // stacks as numpy 2: (2, 3, 6, 4)
    let st = rand(&[2, 3, 6, 4], 1);
    let (qs, rs) = linalg::qr(&st, QrMode::Reduced).unwrap().into_qr().unwrap();
    assert_eq!(
        (qs.shape(), rs.shape()),
        (&[2, 3, 6, 4][..], &[2, 3, 4, 4][..])
    );
    let (hs, ts) = linalg::qr(&st, QrMode::Raw).unwrap().into_raw().unwrap();
    assert_eq!(
        (hs.shape(), ts.shape()),
        (&[2, 3, 4, 6][..], &[2, 3, 4][..])
    );
    for i in 0..2 {
        for j in 0..3 {
            let a = st.slice(s![i, j, .., ..]).to_owned();
            let (q1, r1) = linalg::qr(&a, QrMode::Reduced).unwrap().into_qr().unwrap();
            assert_eq!(qs.slice(s![i, j, .., ..]).to_owned(), q1);
            assert_eq!(rs.slice(s![i, j, .., ..]).to_owned(), r1);
        }
    }
    // rank-deficient input factors fine
    let low = matmul(&rand(&[10, 2], 2), &rand(&[2, 6], 3)).unwrap();
    let (q, r) = linalg::qr(&low, QrMode::Complete)
        .unwrap()
        .into_qr()
        .unwrap();
    check_qr(&low, &q, &r);
    // empty: reduced (0, n) / (m, 0)
    let (q, r) = linalg::qr(&Array::<f64>::zeros(&[0, 3]), QrMode::Reduced)
        .unwrap()
        .into_qr()
        .unwrap();
    assert_eq!((q.shape(), r.shape()), (&[0, 0][..], &[0, 3][..]));
    let (q, r) = linalg::qr(&Array::<f64>::zeros(&[4, 0]), QrMode::Reduced)
        .unwrap()
        .into_qr()
        .unwrap();
    assert_eq!((q.shape(), r.shape()), (&[4, 0][..], &[0, 0][..]));
    // errors
    assert!(matches!(
        linalg::qr(&array![1., 2.], QrMode::R),
        Err(LinalgError::Shape { .. })
    ));
    assert_eq!(
        linalg::qr(&array![[1., f64::NAN]], QrMode::Reduced).unwrap_err(),
        LinalgError::NonFinite
    );
}

#[test]
fn lstsq_seed_and_numpy_rules() {
    // numpy: np.linalg.lstsq([[1, 2], [2, 4]], [3, 6]) -> x = [0.6, 1.2], res = [], rank 1, s = [5, 0]
    let r: linalg::Lstsq<f64> =
        linalg::lstsq(&array![[1., 2.], [2., 4.]], &array![3., 6.], None).unwrap();
    assert!(lapis::allclose(&r.x, &array![0.6, 1.2]).unwrap());
    assert_eq!(r.rank, 1);
    assert_eq!(r.residuals.shape(), &[0]);
    assert!((r.singular_values[[0]] - 5.0).abs() < 1e-14 && r.singular_values[[1]].abs() < 1e-14);
    // over-determined, full rank: the normal-equations answer, residuals (k,) or (1,)
    let a = rand(&[20, 4], 1);
    let b = rand(&[20, 3], 2);
    let r = linalg::lstsq(&a, &b, None).unwrap();
    assert_eq!(
        (r.x.shape(), r.residuals.shape(), r.rank),
        (&[4, 3][..], &[3][..], 4)
    );
    let ata = matmul(&a.t(), &a).unwrap();
    let atb = matmul(&a.t(), &b).unwrap();
    let xn = linalg::solve(&ata, &atb).unwrap();
    assert!(lapis::allclose_with(&r.x, &xn, 1e-10, 1e-12, false).unwrap());
    for j in 0..3 {
        let res = &matmul(&a, &r.x.slice(s![.., j])).unwrap() - &b.slice(s![.., j]);
        let ss: f64 = res.iter().map(|v| v * v).sum();
        assert!((ss - r.residuals[[j]]).abs() < 1e-10 * ss.max(1.0));
    }
    let rv = linalg::lstsq(&a, &b.slice(s![.., 0]), None).unwrap();
    assert_eq!((rv.x.shape(), rv.residuals.shape()), (&[4][..], &[1][..]));
    // singular values: descending, and their squares sum to ‖A‖_F²
    let sv = &r.singular_values;
    assert_eq!(sv.shape(), &[4]);
    assert!((0..3).all(|i| sv[[i]] >= sv[[i + 1]]));
    let fro: f64 = a.iter().map(|v| v * v).sum();
    let ssv: f64 = sv.iter().map(|v| v * v).sum();
    assert!((fro - ssv).abs() < 1e-12 * fro);
    // under-determined: the min-norm solution x = Aᵀ(AAᵀ)⁻¹b, residuals empty
    let a = rand(&[3, 7], 3);
    let b = rand(&[3], 4);
    let r = linalg::lstsq(&a, &b, None).unwrap();
    let aat = matmul(&a, &a.t()).unwrap();
    let xmin = matmul(&a.t(), &linalg::solve(&aat, &b).unwrap()).unwrap();
    assert!(lapis::allclose_with(&r.x, &xmin, 1e-10, 1e-12, false).unwrap());
    assert_eq!((r.rank, r.residuals.shape()), (3, &[0][..]));
    // rank-deficient tall: rank 2 of a product of thin factors; x is min-norm (⊥ null space)
    let a = matmul(&rand(&[12, 2], 5), &rand(&[2, 5], 6)).unwrap();
    let b = rand(&[12], 7);
    let r = linalg::lstsq(&a, &b, None).unwrap();
    assert_eq!(r.rank, 2);
    assert_eq!(r.residuals.shape(), &[0]);
    // x in the row space of a: the projector onto row(a) leaves it unchanged
    let (q, _) = linalg::qr(&a.t().to_owned(), QrMode::Reduced)
        .unwrap()
        .into_qr()
        .unwrap();
    let q2 = q.slice(s![.., ..2]).to_owned();
    let proj = matmul(&q2, &matmul(&q2.t(), &r.x).unwrap()).unwrap();
    assert!(lapis::allclose_with(&proj, &r.x, 1e-8, 1e-10, false).unwrap());
    // rcond: a large cut-off drops the small direction
    let a = array![[1., 0.], [0., 1e-8]];
    assert_eq!(linalg::lstsq(&a, &array![1., 1.], None).unwrap().rank, 2);
    assert_eq!(
        linalg::lstsq(&a, &array![1., 1.], Some(1e-6)).unwrap().rank,
        1
    );
}

#[test]
fn lstsq_empty_and_errors() {
    // numpy: lstsq(zeros((3, 0)), ones(3)) -> x (0,), residuals [3.], rank 0, s (0,)
    let r = linalg::lstsq(
        &Array::<f64>::zeros(&[3, 0]),
        &Array::<f64>::ones(&[3]),
        None,
    )
    .unwrap();
    assert_eq!(r.x.shape(), &[0]);
    assert_eq!(r.residuals, array![3.]);
    assert_eq!((r.rank, r.singular_values.shape()), (0, &[0][..]));
    let r = linalg::lstsq(
        &Array::<f64>::zeros(&[0, 3]),
        &Array::<f64>::zeros(&[0, 2]),
        None,
    )
    .unwrap();
    assert_eq!((r.x.shape(), r.residuals.shape()), (&[3, 2][..], &[0][..]));
    assert!(r.x.iter().all(|&v| v == 0.0));
    // k = 0 right-hand sides
    let r = linalg::lstsq(&rand(&[5, 2], 1), &Array::<f64>::zeros(&[5, 0]), None).unwrap();
    assert_eq!((r.x.shape(), r.residuals.shape()), (&[2, 0][..], &[0][..]));
    // errors name both shapes
    let e = linalg::lstsq(&rand(&[5, 2], 1), &rand(&[4], 2), None).unwrap_err();
    assert!(e.to_string().contains("(5, 2)") && e.to_string().contains("(4,)"));
    assert!(matches!(
        linalg::lstsq(&rand(&[2, 5, 2], 1), &rand(&[5], 2), None),
        Err(LinalgError::Shape { .. })
    ));
    assert_eq!(
        linalg::lstsq(&array![[1., f64::NAN]], &array![1.], None).unwrap_err(),
        LinalgError::NonFinite
    );
    assert!(matches!(
        linalg::lstsq(&array![[1., 0.]], &array![1.], Some(f64::NAN)),
        Err(LinalgError::InvalidArgument { .. })
    ));
}

/// numpy's rank rule on a smoothly decaying spectrum: singular values 10^0 … 10^-15, so the
/// default cut-off max(m, n)·ε·σ_max ≈ 6.7e-15 keeps exactly the values ≥ 1e-14 (rank 15 of
/// 16 for a 30 × 16 matrix), and x is the SVD's truncated solution.
#[test]
fn lstsq_rank_follows_the_singular_values() {
    use lapis::linalg::{lstsq, svd};
    let (m, n) = (30usize, 16usize);
    // A = Q1 · diag(σ) · Q2ᵀ from QR factors of fixed pseudo-random matrices.
    let mut seed = 12345u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    };
    let g1 = lapis::Array::from_shape_vec(&[m, n], (0..m * n).map(|_| next()).collect()).unwrap();
    let g2 = lapis::Array::from_shape_vec(&[n, n], (0..n * n).map(|_| next()).collect()).unwrap();
    let q1 = lapis::linalg::qr(&g1, lapis::linalg::QrMode::Reduced)
        .unwrap()
        .into_qr()
        .unwrap()
        .0;
    let q2 = lapis::linalg::qr(&g2, lapis::linalg::QrMode::Reduced)
        .unwrap()
        .into_qr()
        .unwrap()
        .0;
    let sigma: Vec<f64> = (0..n).map(|i| 10f64.powi(-(i as i32))).collect();
    let mut d = lapis::Array::<f64>::zeros(&[n, n]);
    for i in 0..n {
        d[[i, i]] = sigma[i];
    }
    let a = lapis::matmul(&lapis::matmul(&q1, &d).unwrap(), &q2.t()).unwrap();
    let b = lapis::Array::from_shape_vec(&[m], (0..m).map(|_| next()).collect()).unwrap();
    let res = lstsq(&a, &b, None).unwrap();
    let s = svd(&a, false, false).unwrap().into_s();
    let cutoff = (m.max(n) as f64) * f64::EPSILON * s[[0]];
    let want_rank = s.iter().filter(|&&x| x > cutoff).count();
    assert_eq!(res.rank, want_rank, "singular values {:?}", s.to_vec());
    assert_eq!(want_rank, 15);
    assert!(
        res.residuals.shape() == [0],
        "rank < n: numpy gives no residuals"
    );
    // x must be orthogonal to the dropped right singular vector, i.e. lie in the span of the
    // kept ones: the truncated solution.
    let (_, _, vh) = svd(&a, false, true).unwrap().into_usv().unwrap();
    let v_last: Vec<f64> = (0..n).map(|j| vh[[n - 1, j]]).collect();
    let dot: f64 = v_last.iter().zip(res.x.iter()).map(|(p, q)| p * q).sum();
    let xnorm = res.x.iter().map(|v| v * v).sum::<f64>().sqrt();
    // The kept vectors are orthogonal to v₁₆ up to n·ε, so the truncated x has a component
    // of at most ~n·ε·‖x‖ along it; keeping σ₁₆ = 1e-15 would put ~|u₁₆ᵀb|/1e-15 there.
    let bound = 10.0 * n as f64 * f64::EPSILON * xnorm;
    assert!(
        dot.abs() <= bound,
        "component along the dropped vector: {dot} > {bound}"
    );
}
