//! `linalg::{solve, inv, det, slogdet}` and `matrix_power` with negative powers: numpy's
//! semantics as the specification, checked by identities (A·x = b, A·A⁻¹ = I) with
//! tolerances from n·ε, closed forms (Hilbert determinants), stacks against per-matrix
//! results, the tiny-matrix path against the general LU path, empty shapes, errors.

use lapis::linalg::{self, QrMode};
use lapis::{Array, LinalgError, array, config, matmul, matrix_power, random, s};

const EPS: f64 = f64::EPSILON;

fn rand(shape: &[usize], seed: u64) -> Array<f64> {
    random::default_rng(seed).standard_normal::<f64>(shape)
}

fn max_abs(a: &Array<f64>) -> f64 {
    a.iter().fold(0.0f64, |m, &x| m.max(x.abs()))
}

/// ‖A‖∞ of a 2-D array.
fn norm_inf(a: &Array<f64>) -> f64 {
    (0..a.shape()[0])
        .map(|i| (0..a.shape()[1]).map(|j| a[[i, j]].abs()).sum::<f64>())
        .fold(0.0, f64::max)
}

/// ‖A·x − b‖∞ ≤ c·n·ε·‖A‖∞·‖x‖∞ (backward-stable solve), for 2-D a and x, b.
fn assert_residual(a: &Array<f64>, x: &Array<f64>, b: &Array<f64>, c: f64) {
    let n = a.shape()[0] as f64;
    let r = &matmul(a, x).unwrap() - b;
    let bound = c * n * EPS * norm_inf(a) * max_abs(x).max(1e-300) * (x.shape()[0] as f64);
    assert!(
        max_abs(&r) <= bound,
        "residual {} > bound {bound}",
        max_abs(&r)
    );
}

fn hilbert(n: usize) -> Array<f64> {
    Array::from_shape_fn(&[n, n], |ix| 1.0 / (ix[0] + ix[1] + 1) as f64)
}

#[test]
fn seed_examples() {
    // numpy: np.linalg.solve([[2, 1], [1, 3]], [5, 10]) -> [1, 3]
    let x: Array<f64> = linalg::solve(&array![[2., 1.], [1., 3.]], &array![5., 10.]).unwrap();
    assert_eq!(x.shape(), &[2]);
    assert!((x[[0]] - 1.0).abs() < 4.0 * EPS && (x[[1]] - 3.0).abs() < 8.0 * EPS);
    // numpy: np.linalg.solve([[1, 2], [2, 4]], ...) -> LinAlgError: Singular matrix
    let e = linalg::solve(&array![[1., 2.], [2., 4.]], &array![3., 6.]).unwrap_err();
    assert_eq!(e, LinalgError::Singular { index: 1 });
    assert!(e.to_string().starts_with("Singular matrix"));
    assert_eq!(
        linalg::inv(&array![[1., 2.], [2., 4.]]),
        Err(LinalgError::Singular { index: 1 })
    );
    // The same systems on the general path (n > 4) by embedding in a block diagonal.
    let mut big = Array::<f64>::eye(6);
    big.slice_mut(s![..2, ..2])
        .assign(&array![[1., 2.], [2., 4.]])
        .unwrap();
    assert!(matches!(
        linalg::inv(&big),
        Err(LinalgError::Singular { .. })
    ));
}

#[test]
fn numpy2_rhs_shape_rules() {
    let a = rand(&[2, 1, 3, 3], 1);
    // b exactly 1-D: one vector for every matrix -> (2, 1, 3)
    let x = linalg::solve(&a, &array![1., 2., 3.]).unwrap();
    assert_eq!(x.shape(), &[2, 1, 3]);
    // b (4, 3, 1): stacks of 3x1 broadcast (2,1) with (4,) -> (2, 4, 3, 1)
    let b = rand(&[4, 3, 1], 2);
    let x = linalg::solve(&a, &b).unwrap();
    assert_eq!(x.shape(), &[2, 4, 3, 1]);
    for i in 0..2 {
        for j in 0..4 {
            let ai = a.slice(s![i, 0, .., ..]).to_owned();
            let bj = b.slice(s![j, .., ..]).to_owned();
            let xij = x.slice(s![i, j, .., ..]).to_owned();
            assert_residual(&ai, &xij, &bj, 4.0);
            // the stack equals the per-matrix result
            assert_eq!(xij, linalg::solve(&ai, &bj).unwrap());
        }
    }
    // numpy 2: b of shape (3, 3) is a matrix (n, k), even with a stacked a
    let x = linalg::solve(&a, &Array::<f64>::eye(3)).unwrap();
    assert_eq!(x.shape(), &[2, 1, 3, 3]);
    // numpy 2: b of shape (2, 3) with a (2, 3, 3) is (n, k) = (2, 3): mismatch, both shapes named
    let a2 = rand(&[2, 3, 3], 3);
    let e = linalg::solve(&a2, &Array::<f64>::ones(&[2, 3])).unwrap_err();
    match &e {
        LinalgError::Shape { op, shapes, .. } => {
            assert_eq!(*op, "solve");
            assert_eq!(shapes, &vec![vec![2, 3, 3], vec![2, 3]]);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(e.to_string().contains("(2, 3, 3)") && e.to_string().contains("(2, 3)"));
    // batch axes that do not broadcast: (2,3,3) with (4,3,1)
    let e = linalg::solve(&a2, &Array::<f64>::ones(&[4, 3, 1])).unwrap_err();
    assert!(e.to_string().contains("(2, 3, 3)") && e.to_string().contains("(4, 3, 1)"));
    // wrong vector length, non-square, 1-D a, 0-d b
    assert!(matches!(
        linalg::solve(&a2, &array![1., 2.]),
        Err(LinalgError::Shape { .. })
    ));
    assert!(matches!(
        linalg::solve(&Array::<f64>::ones(&[2, 3]), &array![1., 2.]),
        Err(LinalgError::NotSquare { .. })
    ));
    assert!(matches!(
        linalg::solve(&array![1., 2.], &array![1., 2.]),
        Err(LinalgError::Shape { .. })
    ));
    assert!(linalg::solve(&array![[1.]], &Array::from_elem_0d(1.0)).is_err());
}

#[test]
fn solve_general_path_residuals_and_layouts() {
    for &n in &[5usize, 17, 64, 150] {
        let a = rand(&[n, n], 10 + n as u64);
        let b = rand(&[n, 3], 20 + n as u64);
        let x = linalg::solve(&a, &b).unwrap();
        assert_residual(&a, &x, &b, 8.0);
        // transposed and negative-stride views give the same answers as their copies
        let at = a.t();
        let xt = linalg::solve(&at, &b).unwrap();
        assert!(lapis::allclose(&xt, &linalg::solve(&at.to_owned(), &b).unwrap()).unwrap());
        let ar = a.slice(s![..;-1, ..]);
        let xr = linalg::solve(&ar, &b.slice(s![..;-1, ..])).unwrap();
        assert!(lapis::allclose_with(&xr, &x, 1e-9, 1e-12, false).unwrap());
    }
    // f32
    let a = random::default_rng(5).standard_normal::<f32>(&[20, 20]);
    let b = random::default_rng(6).standard_normal::<f32>(&[20]);
    let x = linalg::solve(&a, &b).unwrap();
    let r = &matmul(&a, &x).unwrap() - &b;
    assert!(r.iter().all(|v| v.abs() < 1e-3));
}

#[test]
fn inverse_identity_and_stacks() {
    for &n in &[1usize, 2, 3, 4, 5, 8, 33, 100] {
        let a = rand(&[n, n], 100 + n as u64);
        let ai = linalg::inv(&a).unwrap();
        let r = &matmul(&a, &ai).unwrap() - &Array::eye(n);
        // ‖A·A⁻¹ − I‖ ≤ c·n·ε·‖A‖·‖A⁻¹‖
        let bound = 10.0 * n as f64 * EPS * norm_inf(&a) * norm_inf(&ai);
        assert!(max_abs(&r) <= bound, "n={n}: {} > {bound}", max_abs(&r));
    }
    // stacks (tiny and general) equal the per-matrix results
    for &n in &[3usize, 7] {
        let a = rand(&[3, 5, n, n], 200 + n as u64);
        let ai = linalg::inv(&a).unwrap();
        assert_eq!(ai.shape(), &[3, 5, n, n]);
        for i in 0..3 {
            for j in 0..5 {
                let one = linalg::inv(&a.slice(s![i, j, .., ..])).unwrap();
                assert_eq!(ai.slice(s![i, j, .., ..]).to_owned(), one);
            }
        }
    }
    // a large stack runs in parallel and agrees with the sequential run
    let a = rand(&[3000, 6, 6], 7);
    let par = config::with_num_threads(2, || linalg::inv(&a).unwrap());
    let seq = config::with_num_threads(1, || linalg::inv(&a).unwrap());
    assert_eq!(par, seq);
}

#[test]
fn tiny_path_matches_general_path() {
    // random batches: inv/solve/det by the unrolled and lane-parallel paths (n ≤ 4 and
    // n ≤ 8) against lu_factor + lu_solve (the general blocked LU)
    for n in 1..=9usize {
        let a = rand(&[200, n, n], 300 + n as u64);
        let ai = linalg::inv(&a).unwrap();
        let f = linalg::lu_factor(&a).unwrap();
        let eye = Array::<f64>::eye(n);
        let ai2 = f.solve(&eye).unwrap();
        assert!(
            lapis::allclose_with(&ai, &ai2, 1e-10, 1e-12, false).unwrap(),
            "n={n}"
        );
        let d = linalg::det(&a).unwrap();
        let d2 = f.det().unwrap();
        assert!(lapis::allclose_with(&d, &d2, 1e-12, 1e-14, false).unwrap());
        let b = rand(&[200, n, 2], 400 + n as u64);
        let x = linalg::solve(&a, &b).unwrap();
        let x2 = f.solve(&b).unwrap();
        assert!(lapis::allclose_with(&x, &x2, 1e-10, 1e-12, false).unwrap());
        let sl = linalg::slogdet(&a).unwrap();
        for i in 0..200 {
            let di = d[[i]];
            assert_eq!(sl.sign[[i]], di.signum());
            assert!((sl.logabsdet[[i]] - di.abs().ln()).abs() < 1e-12);
        }
    }
    // singular batches (exact integer data): the same verdict and pivot index on both paths
    let singular = [
        array![[1., 2.], [2., 4.]],
        array![[0., 0.], [0., 1.]],
        array![[1., 2., 3.], [2., 4., 6.], [1., 1., 1.]],
        array![[1., 1., 0.], [1., 1., 0.], [0., 0., 1.]],
        array![
            [2., 0., 0., 1.],
            [0., 1., 0., 0.],
            [0., 0., 1., 0.],
            [4., 0., 0., 2.]
        ],
        array![
            [1., 2., 3., 4.],
            [2., 4., 6., 8.],
            [0., 1., 0., 1.],
            [1., 0., 1., 0.]
        ],
    ];
    for a in &singular {
        let n = a.shape()[0];
        let tiny = linalg::inv(a).unwrap_err();
        let general = linalg::lu_factor(a)
            .unwrap()
            .solve(&Array::<f64>::eye(n))
            .unwrap_err();
        assert_eq!(tiny, general, "{a}");
        assert!(matches!(tiny, LinalgError::Singular { .. }));
        assert_eq!(linalg::det(a).unwrap().item(), Some(0.0));
        let sl = linalg::slogdet(a).unwrap();
        assert_eq!(sl.sign.item(), Some(0.0));
        assert_eq!(sl.logabsdet.item(), Some(f64::NEG_INFINITY));
        // in a batch, the error is reported whatever its position
        let mut batch = Array::<f64>::zeros(&[1000, n, n]);
        for i in 0..1000 {
            batch
                .slice_mut(s![i, .., ..])
                .assign(&(&Array::<f64>::eye(n) * (1.0 + i as f64)))
                .unwrap();
        }
        batch.slice_mut(s![777, .., ..]).assign(a).unwrap();
        assert_eq!(linalg::inv(&batch).unwrap_err(), tiny);
        assert_eq!(
            linalg::solve(&batch, &Array::<f64>::ones(&[n])).unwrap_err(),
            tiny
        );
    }
}

#[test]
fn determinants_closed_forms() {
    // det(H_n) = c_n⁴ / c_2n, c_n = ∏_{i<n} i!
    let exact = [
        1.0,
        1.0 / 12.0,
        1.0 / 2160.0,
        1.0 / 6048000.0,
        1.0 / 266716800000.0,
        1.0 / 186313420339200000.0,
    ];
    for (i, &want) in exact.iter().enumerate() {
        let n = i + 1;
        let d = linalg::det(&hilbert(n)).unwrap().item().unwrap();
        // relative error ≲ κ(H_n)·ε (κ(H_6) ≈ 1.5e7)
        assert!(((d - want) / want).abs() < 1e-8, "n={n}: {d} vs {want}");
    }
    // triangular: the product of the diagonal; permutation: its sign
    for &n in &[3usize, 4, 9] {
        let mut t = Array::<f64>::zeros(&[n, n]);
        let mut want = 1.0;
        for i in 0..n {
            for j in i..n {
                t[[i, j]] = (1 + (i * 7 + j * 3) % 5) as f64;
            }
            want *= t[[i, i]];
        }
        assert_eq!(linalg::det(&t).unwrap().item(), Some(want));
        // the transpose is lower triangular: pivoting reorders, rounding enters
        let dt = linalg::det(&t.t()).unwrap().item().unwrap();
        assert!(((dt - want) / want).abs() < 1e-9, "{dt} vs {want}");
        // the cyclic shift of n elements has sign (-1)^(n-1)
        let p = Array::from_shape_fn(&[n, n], |ix| f64::from(u8::from(ix[1] == (ix[0] + 1) % n)));
        let sign = if n % 2 == 0 { -1.0 } else { 1.0 };
        assert_eq!(linalg::det(&p).unwrap().item(), Some(sign));
        assert_eq!(linalg::slogdet(&p).unwrap().sign.item(), Some(sign));
    }
    // overflow-safe: det(1e100·I_4) = 1e400 overflows as numpy; slogdet does not
    let big = &Array::<f64>::eye(4) * 1e100;
    assert_eq!(linalg::det(&big).unwrap().item(), Some(f64::INFINITY));
    let sl = linalg::slogdet(&big).unwrap();
    assert!((sl.logabsdet.item().unwrap() - 400.0 * 10f64.ln()).abs() < 1e-10);
    // intermediate underflow/overflow does not spoil a representable det
    let d: f64 = linalg::det(&array![[1e-200, 0.], [0., 1e200]])
        .unwrap()
        .item()
        .unwrap();
    assert!((d - 1.0).abs() < 1e-14);
    let mixed = array![
        [1e-160, 0., 0., 0.],
        [0., 1e-160, 0., 0.],
        [0., 0., 1e160, 0.],
        [0., 0., 0., 1e160]
    ];
    let d: f64 = linalg::det(&mixed).unwrap().item().unwrap();
    assert!((d - 1.0).abs() < 1e-12, "{d}");
    // stacks: det shape is the batch shape
    let a = rand(&[2, 3, 6, 6], 9);
    let d = linalg::det(&a).unwrap();
    assert_eq!(d.shape(), &[2, 3]);
    let one = linalg::det(&a.slice(s![1, 2, .., ..])).unwrap();
    assert_eq!(d[[1, 2]], one.item().unwrap());
}

#[test]
fn empty_shapes_as_numpy() {
    // inv of (0, 0) is (0, 0); det of (0, 0) is 1.0; slogdet (1, 0)
    assert_eq!(
        linalg::inv(&Array::<f64>::zeros(&[0, 0])).unwrap().shape(),
        &[0, 0]
    );
    assert_eq!(
        linalg::det(&Array::<f64>::zeros(&[0, 0])).unwrap().item(),
        Some(1.0)
    );
    let d = linalg::det(&Array::<f64>::zeros(&[3, 0, 0])).unwrap();
    assert_eq!(d, array![1., 1., 1.]);
    let sl = linalg::slogdet(&Array::<f64>::zeros(&[0, 0])).unwrap();
    assert_eq!(
        (sl.sign.item(), sl.logabsdet.item()),
        (Some(1.0), Some(0.0))
    );
    // empty stacks
    assert_eq!(
        linalg::inv(&Array::<f64>::zeros(&[0, 3, 3]))
            .unwrap()
            .shape(),
        &[0, 3, 3]
    );
    assert_eq!(
        linalg::det(&Array::<f64>::zeros(&[0, 3, 3]))
            .unwrap()
            .shape(),
        &[0]
    );
    // solve with 0 right-hand sides works: (n, 0)
    let a = rand(&[3, 3], 1);
    assert_eq!(
        linalg::solve(&a, &Array::<f64>::zeros(&[3, 0]))
            .unwrap()
            .shape(),
        &[3, 0]
    );
    let a6 = rand(&[6, 6], 1);
    assert_eq!(
        linalg::solve(&a6, &Array::<f64>::zeros(&[6, 0]))
            .unwrap()
            .shape(),
        &[6, 0]
    );
    // n = 0
    assert_eq!(
        linalg::solve(&Array::<f64>::zeros(&[0, 0]), &Array::<f64>::zeros(&[0]))
            .unwrap()
            .shape(),
        &[0]
    );
    assert_eq!(
        linalg::solve(
            &Array::<f64>::zeros(&[2, 0, 0]),
            &Array::<f64>::zeros(&[0, 4])
        )
        .unwrap()
        .shape(),
        &[2, 0, 4]
    );
    // qr of empty matrices keeps numpy's shapes
    let r = linalg::qr(&Array::<f64>::zeros(&[3, 0]), QrMode::Complete)
        .unwrap()
        .into_qr()
        .unwrap();
    assert_eq!(r.0, Array::<f64>::eye(3));
    assert_eq!(r.1.shape(), &[3, 0]);
}

#[test]
fn non_finite_input_is_reported() {
    let mut a = rand(&[3, 3], 1);
    a[[1, 2]] = f64::NAN;
    assert_eq!(linalg::inv(&a), Err(LinalgError::NonFinite));
    assert_eq!(linalg::det(&a).unwrap_err(), LinalgError::NonFinite);
    assert_eq!(linalg::slogdet(&a).unwrap_err(), LinalgError::NonFinite);
    assert_eq!(
        linalg::solve(&a, &array![1., 2., 3.]),
        Err(LinalgError::NonFinite)
    );
    let good = rand(&[3, 3], 2);
    assert_eq!(
        linalg::solve(&good, &array![1., f64::INFINITY, 3.]),
        Err(LinalgError::NonFinite)
    );
    let mut big = rand(&[8, 8], 3);
    big[[7, 0]] = f64::NEG_INFINITY;
    assert_eq!(linalg::inv(&big), Err(LinalgError::NonFinite));
    assert_eq!(
        linalg::solve(&rand(&[8, 8], 4), &Array::full(&[8], f64::NAN)),
        Err(LinalgError::NonFinite)
    );
    assert_eq!(linalg::det(&big).unwrap_err(), LinalgError::NonFinite);
}

#[test]
fn matrix_power_negative_uses_inv() {
    let a = array![[2., 1.], [1., 3.]];
    let m2 = matrix_power(&a, -2).unwrap();
    let ai = linalg::inv(&a).unwrap();
    assert!(lapis::allclose(&m2, &matmul(&ai, &ai).unwrap()).unwrap());
    let m1 = matrix_power(&a, -1).unwrap();
    assert_eq!(m1, ai);
    // stacks and errors
    let s = rand(&[4, 5, 5], 8);
    let p = matrix_power(&s, -3).unwrap();
    let prod = matmul(&matrix_power(&s, 3).unwrap(), &p).unwrap();
    for i in 0..4 {
        let r = &prod.slice(s![i, .., ..]).to_owned() - &Array::<f64>::eye(5);
        assert!(max_abs(&r) < 1e-8);
    }
    assert_eq!(
        matrix_power(&array![[1., 2.], [2., 4.]], -1),
        Err(LinalgError::Singular { index: 1 })
    );
}

#[test]
fn size_overflow_is_an_error() {
    // a broadcast view whose number of elements overflows is reported, never allocated
    let one = Array::<f64>::eye(3).into_shape(&[1, 3, 3]).unwrap();
    let huge = one.broadcast_to(&[1 << 62, 3, 3]).unwrap();
    assert_eq!(linalg::inv(&huge), Err(LinalgError::SizeOverflow));
    assert_eq!(linalg::det(&huge).unwrap_err(), LinalgError::SizeOverflow);
    let b = Array::<f64>::ones(&[3, 1]);
    let bh = b.broadcast_to(&[1 << 62, 3, 1]).unwrap();
    assert_eq!(
        linalg::solve(&Array::<f64>::eye(3), &bh),
        Err(LinalgError::SizeOverflow)
    );
}
